//! Freeing large values off the critical path: a build's model, template values and
//! replaced output files are dropped on a thread of their own.

/// Drops `value` on a thread of its own, so that nothing waits while it is freed (a big
/// site's model and template values take tens of milliseconds; replaced files, see
/// [`crate::write::DirSink::release_replaced`]). A process that ends meanwhile does not wait for it:
/// its memory is freed with the process.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    // When the system refuses a thread, the closure, and `value` with it, is dropped here.
    let _ = std::thread::Builder::new()
        .name("sitrep-release".into())
        .spawn(move || drop(value));
}
