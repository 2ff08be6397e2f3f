//! The output folder as this process wrote it: rendered files are compared by hash and
//! only changed bytes are staged and swapped in ([`Output::update`]).

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::path::PathBuf;
use std::sync::Mutex;

use super::Update;
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::templates::Templates;
use crate::render::{self, Globals, Job, OutputSink};
use crate::site::Site;
use crate::write::DirSink;

/// The output folder and what is known of every file in it that this process wrote.
pub(super) struct Output {
    pub(super) sink: DirSink,
    pub(super) written: HashMap<String, Stamp>,
    /// Whether the folder has been cleared of files from before this process.
    pub(super) swept: bool,
}

/// Compares rendered files with the output by hash and stages each that differs as soon as
/// it is rendered (writing overlaps rendering); nothing replaces an output file until
/// [`Output::update`] commits them.
pub(super) struct StagingSink<'a> {
    pub(super) dir: &'a DirSink,
    pub(super) written: &'a HashMap<String, Stamp>,
    pub(super) produced: Mutex<Vec<(String, Stamp)>>,
    /// Files that differ from the output, and whether staging them worked.
    pub(super) staged: Mutex<Vec<(String, std::io::Result<()>)>>,
}

impl OutputSink for StagingSink<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.write_parts(path, &[bytes])
    }

    fn write_parts(&self, path: &str, parts: &[&[u8]]) -> std::io::Result<()> {
        let on_disk = self.written.get(path);
        let stamp = Stamp::of(parts, on_disk);
        let unchanged = match on_disk {
            // Written without a hash, and now of the same length again: compare the bytes.
            Some(known) if known.hash.is_none() && known.len == stamp.len => {
                self.dir.holds(path, parts)
            }
            Some(known) => known.same(&stamp),
            None => false,
        };
        if !unchanged {
            let staged = self.dir.stage(path, parts);
            let mut list = self.staged.lock().unwrap_or_else(|e| e.into_inner());
            list.push((path.to_string(), staged));
        }
        let mut produced = self.produced.lock().unwrap_or_else(|e| e.into_inner());
        produced.push((path.to_string(), stamp));
        Ok(())
    }
}

/// What is known of a written file: its length, and a hash of its bytes (see [`hash`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Stamp {
    pub(super) len: usize,
    /// Not computed when the file was written because its length had changed: only a
    /// render of the same length needs it.
    pub(super) hash: Option<u64>,
}

impl Stamp {
    /// The stamp of a file made of `parts`, to compare with `on_disk`, the stamp of the file
    /// it replaces, if any. A file of another length differs whatever its bytes, so its
    /// hash (tens of milliseconds for the largest data files) is left out.
    pub(super) fn of(parts: &[&[u8]], on_disk: Option<&Stamp>) -> Stamp {
        let len = parts.iter().map(|part| part.len()).sum();
        let hash = match on_disk {
            Some(known) if known.len != len => None,
            _ => Some(hash(parts)),
        };
        Stamp { len, hash }
    }

    /// Whether the file stamped `other` is known to hold the same bytes.
    pub(super) fn same(&self, other: &Stamp) -> bool {
        self.hash.is_some() && self == other
    }
}

/// A hash of a file made of `parts`. A file is compared with an earlier render of the
/// same job, which splits it the same way. aHash rather than the standard library's
/// SipHash: some files are tens of megabytes, and hashing is on every rebuild's path.
pub(super) fn hash(parts: &[&[u8]]) -> u64 {
    let mut hasher = ahash::AHasher::default();
    for part in parts {
        hasher.write(part);
    }
    hasher.finish()
}

impl Output {
    pub(super) fn new(dir: PathBuf) -> Output {
        Output {
            sink: DirSink::new(dir),
            written: HashMap::new(),
            swept: false,
        }
    }

    /// Renders `jobs` and the theme files, then writes the files whose bytes changed. With
    /// `full` (a reason), `jobs` are all the site's files and any other file is deleted.
    pub(super) fn update(
        &mut self,
        site: &Site,
        templates: &Templates,
        theme: &[(String, Vec<u8>)],
        globals: &Globals,
        jobs: &[Job],
        full: Option<&'static str>,
    ) -> Result<Update, Diagnostics> {
        let sink = StagingSink {
            dir: &self.sink,
            written: &self.written,
            produced: Mutex::default(),
            staged: Mutex::default(),
        };
        let rendered =
            render::render_with(site, templates, theme, globals, jobs, &sink, full.is_none());
        let produced = sink
            .produced
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let staged = sink.staged.into_inner().unwrap_or_else(|e| e.into_inner());
        let summary = match rendered {
            Ok(summary) => summary,
            Err(diagnostics) => {
                for (path, _) in &staged {
                    self.sink.discard(path);
                }
                return Err(diagnostics);
            }
        };
        let mut diagnostics = Diagnostics::default();
        let written = self.commit(staged, &produced, &mut diagnostics);
        let deleted = match full {
            Some(_) => {
                let keep: HashSet<&str> = produced.iter().map(|(p, _)| p.as_str()).collect();
                self.delete_stale(&keep, &mut diagnostics)
            }
            None => Vec::new(),
        };
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(Update {
            full: full.is_some(),
            full_reason: full,
            pages: summary.pages,
            files: summary.files,
            written,
            deleted,
        })
    }

    /// Swaps the `staged` files in and records the stamp of every file `produced`; reports
    /// files that could not be written (and forgets what is known of them). Returns the
    /// paths staged, sorted.
    fn commit(
        &mut self,
        mut staged: Vec<(String, std::io::Result<()>)>,
        produced: &[(String, Stamp)],
        diagnostics: &mut Diagnostics,
    ) -> Vec<String> {
        staged.sort_by(|a, b| a.0.cmp(&b.0));
        let results: Vec<(String, std::io::Result<()>)> = staged
            .into_par_iter()
            .map(|(path, staged)| {
                let result = staged.and_then(|()| self.sink.commit(&path));
                (path, result)
            })
            .collect();
        self.sink.release_replaced();
        // Every file rendered now holds what it was stamped with, unless writing it failed.
        for (path, stamp) in produced {
            self.written.insert(path.clone(), *stamp);
        }
        for (path, result) in &results {
            if let Err(err) = result {
                // What is on disk is unknown now: forget it, so it is written next time.
                self.written.remove(path);
                diagnostics.push(
                    Diagnostic::error(
                        self.sink.dir().join(path),
                        format!("cannot write output file: {err}"),
                    )
                    .with_hint("check that the output folder is writable and the disk is not full"),
                );
            }
        }
        results.into_iter().map(|(p, _)| p).collect()
    }

    /// Deletes the files this process wrote that are not in `keep` (and, the first time,
    /// every other file in the folder not in `keep`). Returns the paths deleted, sorted.
    fn delete_stale(&mut self, keep: &HashSet<&str>, diagnostics: &mut Diagnostics) -> Vec<String> {
        let stale: Vec<String> = (self.written.keys())
            .filter(|p| !keep.contains(p.as_str()))
            .cloned()
            .collect();
        let mut deleted = Vec::new();
        for path in stale {
            self.written.remove(&path);
            match self.sink.remove(&path) {
                Ok(()) => deleted.push(path),
                Err(err) => diagnostics.push(Diagnostic::error(
                    self.sink.dir().join(&path),
                    format!("cannot delete an output file the site no longer produces: {err}"),
                )),
            }
        }
        if !self.swept {
            deleted.extend(self.sweep(keep));
            self.swept = true;
        }
        deleted.sort();
        deleted
    }

    /// Deletes every file in the output folder that the site does not produce (left there
    /// by an earlier build of other inputs), as a clean build's folder swap would.
    pub(super) fn sweep(&self, keep: &HashSet<&str>) -> Vec<String> {
        let dir = self.sink.dir();
        let mut deleted = Vec::new();
        for entry in walkdir::WalkDir::new(dir)
            .min_depth(1)
            .contents_first(true)
            .into_iter()
            .flatten()
        {
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if entry.file_type().is_dir() {
                let _ = std::fs::remove_dir(entry.path());
            } else if !keep.contains(rel.as_str()) && std::fs::remove_file(entry.path()).is_ok() {
                deleted.push(rel);
            }
        }
        deleted
    }
}
