//! Watching a site's inputs with notify: `content/`, `templates/` and `themes/` recursively,
//! the site folder itself without recursion (for `site.toml`, and for input folders
//! that appear or disappear), and the folders of the sources' archive files, wherever they
//! are ([`SiteWatcher::watch_archives`]). Only folders are watched, never single files, because editors
//! save by writing a temporary file and renaming it over the original. The output folder
//! is never watched. Events go to the rebuild thread, which debounces them
//! ([`collect_batch`]) and turns their paths into [`Changes`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::EventKind;
use notify::{Event, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::load::CONTENT_DIR;
use crate::rebuild::Changes;
use crate::render::templates::{TEMPLATES_DIR, THEMES_DIR};

/// The input folders watched recursively.
const INPUT_DIRS: [&str; 3] = [CONTENT_DIR, TEMPLATES_DIR, THEMES_DIR];
/// How often the polling watcher scans.
const POLL_INTERVAL: Duration = Duration::from_millis(300);
/// A batch ends once no event arrived for this long (an editor's save is a few events
/// within a millisecond or two) …
const QUIET: Duration = Duration::from_millis(30);
/// … or when it has been collecting this long, so a constant stream still rebuilds.
const MAX_BATCH: Duration = Duration::from_millis(500);

/// What the rebuild thread receives.
#[derive(Debug)]
pub enum Signal {
    /// A file-system event (or the watcher's error).
    Event(notify::Result<Event>),
    /// Stop the rebuild thread.
    Stop,
}

/// The watcher of one site.
pub struct SiteWatcher {
    watcher: Box<dyn Watcher + Send>,
    root: PathBuf,
    /// Which of [`INPUT_DIRS`] are currently watched.
    watched: [bool; 3],
    /// The archive files the sources name (absolute, resolved).
    archives: BTreeSet<PathBuf>,
    /// The folders of `archives` watched on their own (those outside the folders above).
    archive_dirs: BTreeSet<PathBuf>,
}

impl SiteWatcher {
    /// Starts watching the site at `root` (an absolute path); events go to `signals`.
    /// With `poll`, uses notify's polling watcher (for file systems without native events).
    pub fn start(root: &Path, poll: bool, signals: Sender<Signal>) -> Result<SiteWatcher, String> {
        let handler = move |event: notify::Result<Event>| {
            let _ = signals.send(Signal::Event(event));
        };
        let watcher: Box<dyn Watcher + Send> = if poll {
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            Box::new(PollWatcher::new(handler, config).map_err(describe)?)
        } else {
            Box::new(RecommendedWatcher::new(handler, notify::Config::default()).map_err(describe)?)
        };
        let mut site = SiteWatcher {
            watcher,
            root: root.to_path_buf(),
            watched: [false; 3],
            archives: BTreeSet::new(),
            archive_dirs: BTreeSet::new(),
        };
        site.watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(describe)?;
        site.refresh(true);
        Ok(site)
    }

    /// (Re-)watches input folders that appeared, and forgets those that vanished. With
    /// `again`, watches existing folders anew (a folder replaced by another of the same
    /// name loses its watch).
    pub fn refresh(&mut self, again: bool) {
        for (n, name) in INPUT_DIRS.iter().enumerate() {
            let dir = self.root.join(name);
            if self.watched[n] && (again || !dir.is_dir()) {
                let _ = self.watcher.unwatch(&dir);
                self.watched[n] = false;
            }
            if !self.watched[n] && dir.is_dir() {
                self.watched[n] = self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok();
            }
        }
    }

    /// Watches the folders of `files` (the archives the sources name, absolute), so that an
    /// edited archive rebuilds the site; stops watching folders no archive is in any more.
    /// Folders already watched (the site folder and the input folders) are not watched twice.
    /// Returns whether the folder of every archive is watched (one that does not exist
    /// cannot be).
    pub fn watch_archives(&mut self, files: BTreeSet<PathBuf>) -> bool {
        let covered = |dir: &Path| {
            dir == self.root
                || INPUT_DIRS
                    .iter()
                    .any(|name| dir.starts_with(self.root.join(name)))
        };
        let dirs: BTreeSet<PathBuf> = (files.iter())
            .filter_map(|file| file.parent())
            .filter(|dir| !covered(dir))
            .map(Path::to_path_buf)
            .collect();
        for gone in self.archive_dirs.difference(&dirs) {
            let _ = self.watcher.unwatch(gone);
        }
        let mut watched = BTreeSet::new();
        let all = dirs.len();
        for dir in dirs {
            let ok = self.archive_dirs.contains(&dir)
                || self
                    .watcher
                    .watch(&dir, RecursiveMode::NonRecursive)
                    .is_ok();
            if ok {
                watched.insert(dir);
            }
        }
        let every = watched.len() == all;
        self.archive_dirs = watched;
        self.archives = files;
        every
    }

    /// Whether an event path is one of the input folders themselves (created, removed or
    /// renamed), so the watches need a refresh.
    pub fn is_input_dir(&self, path: &Path) -> bool {
        INPUT_DIRS.iter().any(|name| path == self.root.join(name))
    }
}

fn describe(err: notify::Error) -> String {
    format!("cannot watch the site for changes: {err}")
}

/// The outcome of waiting for events.
pub enum Batch {
    /// Events arrived and settled: what they touched, and whether an input folder itself
    /// was created, removed or renamed.
    Changed { changes: Changes, input_dirs: bool },
    /// Stop was requested or the watcher is gone.
    Stop,
}

/// Waits for the next event, then keeps collecting until events pause for [`QUIET`] (at
/// most [`MAX_BATCH`]): a burst of saves becomes one batch. Access events (a rebuild
/// reading its inputs) and paths that are not inputs are dropped; a batch may therefore
/// be empty.
pub fn collect_batch(signals: &Receiver<Signal>, watcher: &SiteWatcher) -> Batch {
    let mut changes = Changes::default();
    let mut input_dirs = false;
    let mut absorb = |event: notify::Result<Event>| match event {
        Ok(event) if matches!(event.kind, EventKind::Access(_)) => {}
        Ok(event) => {
            if event.need_rescan() {
                changes.everything = true;
            }
            for path in &event.paths {
                input_dirs |= watcher.is_input_dir(path);
                if watcher.archives.contains(path) {
                    changes.add_archive(path);
                } else {
                    changes.add(&watcher.root, path);
                }
            }
        }
        // The watcher lost track (e.g. its event queue overflowed): re-read everything.
        Err(_) => changes.everything = true,
    };
    match signals.recv() {
        Ok(Signal::Event(event)) => absorb(event),
        Ok(Signal::Stop) | Err(_) => return Batch::Stop,
    }
    let started = Instant::now();
    while started.elapsed() < MAX_BATCH {
        match signals.recv_timeout(QUIET) {
            Ok(Signal::Event(event)) => absorb(event),
            Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return Batch::Stop,
            Err(RecvTimeoutError::Timeout) => break,
        }
    }
    Batch::Changed {
        changes,
        input_dirs,
    }
}
