//! `sitrep serve`'s machinery: build the site, serve the output folder over HTTP, watch
//! the inputs, rebuild on change ([`crate::rebuild`]) and tell open pages to reload.
//!
//! Three parts run side by side: the HTTP server ([`http`] behind [`guard`]'s checks,
//! driven by [`listen`]'s accept loop on a small tokio runtime), the watcher ([`watch`],
//! notify's threads) and one rebuild thread that owns the [`Rebuilder`]. The rebuild
//! thread is the only writer of the output folder; it updates the shared [`Status`] and
//! broadcasts a [`live::Message`] only after a rebuild's files are all in place, so a page
//! never reloads onto a half-written site.

pub mod guard;
pub mod http;
pub mod listen;
pub mod live;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{broadcast, watch as tokio_watch};

use crate::diagnostics::Diagnostic;
use crate::rebuild::{Changes, Outcome, Rebuilder};
use crate::site::Overrides;
pub use listen::ClientLimits;
use live::Message;
use watch::{Batch, Signal, SiteWatcher};

/// Called after every build with what changed and what the build did (the command line
/// prints it; tests pass nothing).
pub type BuildHook = Arc<dyn Fn(&Changes, &Outcome) + Send + Sync>;

/// How to serve a site.
#[derive(Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The output folder; `site.toml`'s `output` when `None`.
    pub out: Option<PathBuf>,
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Use notify's polling watcher instead of native events.
    pub poll: bool,
    /// `--force`: write into an output folder sitrep did not write.
    pub force: bool,
    /// `--strict`: warnings are errors (as `strict = true` in `site.toml`).
    pub strict: bool,
    pub on_build: Option<BuildHook>,
    /// Timeouts and the connection limit; tests shorten them.
    pub limits: ClientLimits,
}

/// One finished build, as recorded in [`Status::log`].
#[derive(Debug, Clone)]
pub struct BuildRecord {
    /// 1 for the first build, then counting up.
    pub number: u64,
    pub changes: Changes,
    pub ok: bool,
    /// Output files written and deleted.
    pub written: Vec<String>,
    pub deleted: Vec<String>,
    /// Pages rendered.
    pub pages: usize,
    pub elapsed: Duration,
}

/// The server's state, shared by the rebuild thread, the HTTP handlers and tests.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// Builds finished, the first one included.
    pub builds: u64,
    /// Changes whenever the output folder changes; pages carry the generation they were
    /// served from.
    pub generation: u64,
    /// The diagnostics of the last build when it failed; `None` while the site is good.
    pub errors: Option<Vec<Diagnostic>>,
    /// The most recent builds, oldest first (at most [`LOG_LEN`]).
    pub log: Vec<BuildRecord>,
}

/// How many builds [`Status::log`] keeps.
pub const LOG_LEN: usize = 1000;

/// What the parts of the server share.
pub struct ServerState {
    /// The output folder: `site.toml`'s `output` may change while serving.
    out: Mutex<PathBuf>,
    status: Mutex<Status>,
    changed: Condvar,
    messages: broadcast::Sender<Message>,
    shutdown: tokio_watch::Sender<bool>,
}

impl ServerState {
    /// The output folder being served.
    pub fn out(&self) -> PathBuf {
        self.out.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_out(&self, out: &Path) {
        *self.out.lock().unwrap_or_else(|e| e.into_inner()) = out.to_path_buf();
    }

    /// The current generation and errors.
    pub fn current(&self) -> (u64, Option<Vec<Diagnostic>>) {
        let status = self.lock();
        (status.generation, status.errors.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a finished build and tells open pages what to do.
    fn publish(&self, changes: &Changes, outcome: &Outcome) {
        let mut status = self.lock();
        status.builds += 1;
        let mut record = BuildRecord {
            number: status.builds,
            changes: changes.clone(),
            ok: outcome.result.is_ok(),
            written: Vec::new(),
            deleted: Vec::new(),
            pages: 0,
            elapsed: outcome.elapsed,
        };
        let message = match &outcome.result {
            Ok(update) => {
                let after_errors = status.errors.take().is_some();
                record.written = update.written.clone();
                record.deleted = update.deleted.clone();
                record.pages = update.pages;
                if update.changed_output() {
                    status.generation += 1;
                }
                (update.changed_output() || after_errors)
                    .then(|| Message::for_update(update, status.generation, after_errors))
            }
            Err(diagnostics) => {
                let diagnostics: Vec<Diagnostic> = diagnostics.iter().cloned().collect();
                let message = Message::errors(&diagnostics);
                status.errors = Some(diagnostics);
                Some(message)
            }
        };
        if status.log.len() >= LOG_LEN {
            status.log.remove(0);
        }
        status.log.push(record);
        drop(status);
        self.changed.notify_all();
        if let Some(message) = message {
            // No open pages is not an error.
            let _ = self.messages.send(message);
        }
    }
}

/// A running server. Dropping it stops everything it started.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<ServerState>,
    runtime: Option<tokio::runtime::Runtime>,
    signals: mpsc::Sender<Signal>,
    rebuild_thread: Option<JoinHandle<()>>,
}

/// Starts serving: binds the port, builds the site once (errors are shown, not fatal),
/// then serves and rebuilds on change until stopped. Returns an error a user can act on
/// when the site folder, the port or the watcher cannot be used.
pub fn start(options: ServeOptions) -> Result<Server, String> {
    let root = options.root.canonicalize().map_err(|err| {
        format!(
            "cannot open the site folder {}: {err}",
            options.root.display()
        )
    })?;
    let mut rebuilder = rebuilder(&options, &root)?;
    let listener = bind(options.bind, options.port)?;
    let addr = listener
        .local_addr()
        .map_err(|err| format!("cannot read the server's address: {err}"))?;
    let (messages, _) = broadcast::channel(64);
    let (shutdown, _) = tokio_watch::channel(false);
    let shared = Arc::new(ServerState {
        out: Mutex::new(rebuilder.out().to_path_buf()),
        status: Mutex::new(Status {
            // Pages of an earlier server must not match a generation of this one.
            generation: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64),
            ..Status::default()
        }),
        changed: Condvar::new(),
        messages,
        shutdown,
    });

    // Watch before the first build, so edits made during it are not lost.
    let (signals, receiver) = mpsc::channel();
    let mut watcher = SiteWatcher::start(&root, options.poll, signals.clone())?;
    let changes = Changes::everything();
    let outcome = rebuilder.rebuild(&changes);
    let watched = watcher.watch_archives(rebuilder.archive_files());
    rebuilder.set_archives_watched(watched);
    report(&options.on_build, &changes, &outcome);
    shared.set_out(rebuilder.out());
    shared.publish(&changes, &outcome);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("sitrep-serve")
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the server: {err}"))?;
    let router = http::router(shared.clone(), guard::Hosts::for_addr(addr));
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(listener)
            .map_err(|err| format!("cannot start the server: {err}"))?
    };
    runtime.spawn(listen::serve(
        listener,
        router,
        options.limits,
        shared.shutdown.subscribe(),
    ));

    let thread_shared = shared.clone();
    let on_build = options.on_build.clone();
    let rebuild_thread = std::thread::Builder::new()
        .name("sitrep-rebuild".into())
        .spawn(move || rebuild_loop(rebuilder, watcher, receiver, thread_shared, on_build))
        .map_err(|err| format!("cannot start the rebuild thread: {err}"))?;
    Ok(Server {
        addr,
        shared,
        runtime: Some(runtime),
        signals,
        rebuild_thread: Some(rebuild_thread),
    })
}

/// The rebuilder for the site at `root`, once its output folder is found usable.
fn rebuilder(options: &ServeOptions, root: &Path) -> Result<Rebuilder, String> {
    let overrides = Overrides {
        strict: options.strict,
        ..Overrides::default()
    };
    let rebuilder = Rebuilder::new(root, options.out.as_deref(), overrides, options.force);
    rebuilder
        .check_place()
        .map_err(|d| d.render(false).trim_end().to_string())?;
    Ok(rebuilder)
}

fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, String> {
    let listener = TcpListener::bind((ip, port)).map_err(|err| match err.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {port} on {ip} is already in use (another `sitrep serve`?); choose another with --port, e.g. --port {}",
            port.wrapping_add(1).max(1024)
        ),
        std::io::ErrorKind::AddrNotAvailable => format!(
            "cannot listen on {ip}: it is not an address of this machine; check --bind"
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "not allowed to listen on port {port}; choose a port above 1023 with --port"
        ),
        _ => format!("cannot listen on {ip} port {port}: {err}; check --bind and --port"),
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|err| format!("cannot start the server: {err}"))?;
    Ok(listener)
}

fn report(hook: &Option<BuildHook>, changes: &Changes, outcome: &Outcome) {
    if let Some(hook) = hook {
        hook(changes, outcome);
    }
}

/// The rebuild thread: wait for a settled batch of changes, rebuild, publish; repeat.
fn rebuild_loop(
    mut rebuilder: Rebuilder,
    mut watcher: SiteWatcher,
    signals: mpsc::Receiver<Signal>,
    shared: Arc<ServerState>,
    on_build: Option<BuildHook>,
) {
    loop {
        let (changes, input_dirs) = match watch::collect_batch(&signals, &watcher) {
            Batch::Stop => return,
            Batch::Changed {
                changes,
                input_dirs,
            } => (changes, input_dirs),
        };
        if input_dirs || changes.everything {
            watcher.refresh(true);
        }
        if changes.is_empty() {
            continue;
        }
        let outcome = rebuild_safely(&mut rebuilder, &changes);
        let watched = watcher.watch_archives(rebuilder.archive_files());
        rebuilder.set_archives_watched(watched);
        report(&on_build, &changes, &outcome);
        shared.set_out(rebuilder.out());
        shared.publish(&changes, &outcome);
    }
}

/// Rebuilds; a bug that panics becomes an error on the overlay instead of ending the
/// rebuild thread, and the next change starts over from a fresh [`Rebuilder`].
fn rebuild_safely(rebuilder: &mut Rebuilder, changes: &Changes) -> Outcome {
    let started = Instant::now();
    let attempt =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rebuilder.rebuild(changes)));
    attempt.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        *rebuilder = rebuilder.restarted();
        let mut diagnostics = crate::diagnostics::Diagnostics::default();
        diagnostics.push(
            Diagnostic::error(
                changes.describe(),
                format!("sitrep failed while rebuilding (a bug): {what}"),
            )
            .with_hint("the next change rebuilds everything; please report this with the file that triggered it"),
        );
        Outcome {
            result: Err(diagnostics),
            warnings: Default::default(),
            elapsed: started.elapsed(),
        }
    })
}

impl Server {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The output folder being served.
    pub fn out(&self) -> PathBuf {
        self.shared.out()
    }

    /// A copy of the current status.
    pub fn status(&self) -> Status {
        self.shared.lock().clone()
    }

    /// Waits until `ready` holds for the status, or `timeout` passes (then returns the
    /// status it last saw as an error).
    pub fn wait_for(
        &self,
        timeout: Duration,
        ready: impl Fn(&Status) -> bool,
    ) -> Result<Status, Status> {
        let deadline = Instant::now() + timeout;
        let mut status = self.shared.lock();
        loop {
            if ready(&status) {
                return Ok(status.clone());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(status.clone());
            }
            status = self
                .shared
                .changed
                .wait_timeout(status, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Blocks until Ctrl-C.
    pub fn wait_for_ctrl_c(&self) {
        if let Some(runtime) = &self.runtime {
            let _ = runtime.block_on(tokio::signal::ctrl_c());
        }
    }

    /// Stops the server, the watcher and the rebuild thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.shared.shutdown.send(true);
        let _ = self.signals.send(Signal::Stop);
        if let Some(thread) = self.rebuild_thread.take() {
            let _ = thread.join();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(2));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}
