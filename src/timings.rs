//! Step timings for profiling `sitrep build` and `sitrep serve`'s rebuilds: with the
//! environment variable `SITREP_TIMINGS` set, each build and rebuild prints to standard
//! error how long each of its steps took and which output files took longest to render.
//! Off (and nearly free) otherwise.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Whether timings are collected (`SITREP_TIMINGS` is set).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("SITREP_TIMINGS").is_some())
}

/// How many of the slowest output files a report lists.
const SLOWEST: usize = 6;

/// What one rebuild measured: its steps in order, and each rendered file.
struct Collected {
    started: Instant,
    last: Instant,
    steps: Vec<(&'static str, Duration)>,
    files: Vec<(String, Duration)>,
}

/// The rebuild being timed, if any.
static COLLECTED: Mutex<Option<Collected>> = Mutex::new(None);

fn with(f: impl FnOnce(&mut Collected)) {
    if !enabled() {
        return;
    }
    let mut guard = COLLECTED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(collected) = guard.as_mut() {
        f(collected);
    }
}

/// Starts timing a rebuild (forgetting what an earlier one left unreported).
pub fn start() {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    *COLLECTED.lock().unwrap_or_else(|e| e.into_inner()) = Some(Collected {
        started: now,
        last: now,
        steps: Vec::new(),
        files: Vec::new(),
    });
}

/// Records the time since the last lap (or the start) as step `name`.
pub fn lap(name: &'static str) {
    with(|c| {
        let now = Instant::now();
        c.steps.push((name, now - c.last));
        c.last = now;
    });
}

/// Records that rendering the file at `path` took `took`.
pub fn file(path: &str, took: Duration) {
    with(|c| c.files.push((path.to_string(), took)));
}

/// Prints the steps and the slowest files of the rebuild being timed to standard error,
/// and stops timing it.
pub fn report(what: &str) {
    if !enabled() {
        return;
    }
    let taken = COLLECTED.lock().unwrap_or_else(|e| e.into_inner()).take();
    let Some(mut c) = taken else {
        return;
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let steps: Vec<String> = (c.steps.iter())
        .map(|(name, took)| format!("{name} {:.1}", ms(*took)))
        .collect();
    eprintln!(
        "timings: {what} {:.1} ms: {}",
        ms(c.started.elapsed()),
        steps.join(", ")
    );
    c.files.sort_by_key(|file| std::cmp::Reverse(file.1));
    let slowest: Vec<String> = (c.files.iter().take(SLOWEST))
        .map(|(path, took)| format!("{path} {:.1}", ms(*took)))
        .collect();
    if !slowest.is_empty() {
        eprintln!(
            "timings:   {} files rendered, slowest: {}",
            c.files.len(),
            slowest.join(", ")
        );
        eprintln!("timings:   by folder: {}", by_folder(&c.files, ms));
    }
}

/// The time spent rendering the files of each top folder (root files by name), most first,
/// with how many files.
fn by_folder(files: &[(String, Duration)], ms: impl Fn(Duration) -> f64) -> String {
    let mut folders: std::collections::BTreeMap<&str, (Duration, usize)> = Default::default();
    for (path, took) in files {
        let folder = path.split('/').next().unwrap_or(path);
        let entry = folders.entry(folder).or_default();
        *entry = (entry.0 + *took, entry.1 + 1);
    }
    let mut folders: Vec<_> = folders.into_iter().collect();
    folders.sort_by_key(|(_, (took, _))| std::cmp::Reverse(*took));
    let folders: Vec<String> = (folders.iter().take(10))
        .map(|(folder, (took, n))| format!("{folder} {:.0} ({n})", ms(*took)))
        .collect();
    folders.join(", ")
}
