//! Writing output: a full build renders into a staging folder beside the output and swaps
//! it in only when everything succeeded, so the previous output is never left half-written
//! and files from earlier builds never linger. Output paths are checked to stay inside the
//! output folder; [`place`] decides which folders may be output folders at all.

pub mod place;

use std::collections::HashSet;
use std::io::{self, IoSlice, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::render::OutputSink;

/// Writes files under a folder, creating subfolders as needed.
#[derive(Debug)]
pub struct DirSink {
    dir: PathBuf,
    /// Subfolders already created, so each is created once rather than once per file.
    created: Mutex<HashSet<PathBuf>>,
    /// Files [`DirSink::commit`] replaced, still open (see [`DirSink::release_replaced`]).
    replaced: Mutex<Vec<std::fs::File>>,
}

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink {
            dir: dir.into(),
            created: Mutex::default(),
            replaced: Mutex::default(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The full path for a relative output path, refusing anything that could leave the folder.
    pub fn target(&self, path: &str) -> io::Result<PathBuf> {
        let rel = Path::new(path);
        if path.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "refusing to write `{path}`: output paths must stay inside the output folder"
                ),
            ));
        }
        Ok(self.dir.join(rel))
    }
}

/// Replacing files in place: a file is staged beside its target and renamed over it, so
/// a reader (the `serve` HTTP server) sees the old bytes or the new ones, never a
/// half-written file.
impl DirSink {
    /// Writes `parts`, one after another, into a temporary file beside the file at `path`.
    pub fn stage(&self, path: &str, parts: &[&[u8]]) -> io::Result<()> {
        let target = self.target(path)?;
        std::fs::create_dir_all(target.parent().unwrap_or(&self.dir))?;
        let temporary = temporary(&target);
        write_parts(&temporary, parts).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    }

    /// Whether the file at `path` holds exactly `parts`, one after another.
    pub fn holds(&self, path: &str, parts: &[&[u8]]) -> bool {
        let Ok(bytes) = self.target(path).and_then(std::fs::read) else {
            return false;
        };
        let mut rest = bytes.as_slice();
        for part in parts {
            match rest.strip_prefix(*part) {
                Some(after) => rest = after,
                None => return false,
            }
        }
        rest.is_empty()
    }

    /// Moves the file staged for `path` into place. The file it replaces is kept open until
    /// [`DirSink::release_replaced`].
    pub fn commit(&self, path: &str) -> io::Result<()> {
        let target = self.target(path)?;
        let temporary = temporary(&target);
        let replaced = std::fs::File::open(&target).ok();
        std::fs::rename(&temporary, &target).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })?;
        let mut files = self.replaced.lock().unwrap_or_else(|e| e.into_inner());
        files.extend(replaced);
        Ok(())
    }

    /// Closes the files [`DirSink::commit`] replaced, on a thread of their own: closing the
    /// last handle of a replaced file frees its storage, which for the largest data files
    /// takes milliseconds (on tmpfs), time an edit need not wait for. Without a thread they
    /// are closed here.
    pub fn release_replaced(&self) {
        let files = std::mem::take(&mut *self.replaced.lock().unwrap_or_else(|e| e.into_inner()));
        if !files.is_empty() {
            crate::release::drop_in_background(files);
        }
    }

    /// Removes the file staged for `path`, if any.
    pub fn discard(&self, path: &str) {
        if let Ok(target) = self.target(path) {
            let _ = std::fs::remove_file(temporary(&target));
        }
    }

    /// Removes a file, then its parent folders up to the output folder if they are empty.
    pub fn remove(&self, path: &str) -> io::Result<()> {
        let target = self.target(path)?;
        match std::fs::remove_file(&target) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
            _ => {}
        }
        let mut folder = target.parent();
        while let Some(dir) = folder.filter(|d| *d != self.dir && d.starts_with(&self.dir)) {
            if std::fs::remove_dir(dir).is_err() {
                break;
            }
            folder = dir.parent();
        }
        Ok(())
    }
}

/// Where a file is staged before it replaces `target`.
fn temporary(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.sitrep-tmp"))
}

/// Creates (or truncates) the file at `path` and writes `parts` into it, one after another,
/// many parts to a system call and without copying them into one buffer first.
fn write_parts(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    let mut slices: Vec<IoSlice> = (parts.iter())
        .filter(|part| !part.is_empty())
        .map(|part| IoSlice::new(part))
        .collect();
    let mut rest = &mut slices[..];
    while !rest.is_empty() {
        match file.write_vectored(rest) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => IoSlice::advance_slices(&mut rest, written),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

impl OutputSink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_parts(path, &[bytes])
    }

    fn write_parts(&self, path: &str, parts: &[&[u8]]) -> io::Result<()> {
        let target = self.target(path)?;
        if let Some(parent) = target.parent() {
            let mut created = self.created.lock().unwrap_or_else(|e| e.into_inner());
            if !created.contains(parent) {
                std::fs::create_dir_all(parent)?;
                created.insert(parent.to_path_buf());
            }
        }
        write_parts(&target, parts)
    }
}

/// An absolute, lexically normalised path (without following links).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Builds into a fresh staging folder beside `out` with `build`, then swaps it in for `out`.
/// On error the staging folder is removed and `out` is untouched.
pub fn build_atomically<T, E>(
    out: &Path,
    build: impl FnOnce(&DirSink) -> Result<T, E>,
    io_error: impl Fn(String) -> E,
) -> Result<T, E> {
    let out = absolute(out);
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out.parent().map(Path::to_path_buf).unwrap_or_default();
    let staging = parent.join(format!(".{name}.sitrep-staging"));
    let old = parent.join(format!(".{name}.sitrep-old"));
    let fail = |what: &str, err: io::Error| io_error(format!("{what}: {err}"));
    std::fs::create_dir_all(&parent)
        .map_err(|e| fail(&format!("cannot create {}", parent.display()), e))?;
    remove_dir_if_exists(&staging).map_err(|e| fail("cannot clear the staging folder", e))?;
    remove_dir_if_exists(&old).map_err(|e| fail("cannot clear an old output folder", e))?;
    std::fs::create_dir(&staging)
        .map_err(|e| fail(&format!("cannot create {}", staging.display()), e))?;
    let sink = DirSink::new(&staging);
    let result = match build(&sink) {
        Ok(value) => value,
        Err(err) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(err);
        }
    };
    swap_in(&staging, &out, &old).map_err(|e| {
        fail(
            &format!("cannot move the new output into {}", out.display()),
            e,
        )
    })?;
    Ok(result)
}

/// Replaces `out` with `staging`: one atomic exchange where the system supports it (Linux),
/// otherwise two renames, between which the output folder is briefly absent.
fn swap_in(staging: &Path, out: &Path, old: &Path) -> io::Result<()> {
    swap_with(staging, out, old, exchange)
}

/// [`swap_in`] with the system's exchange call given, so tests can take the fallback.
fn swap_with(
    staging: &Path,
    out: &Path,
    old: &Path,
    exchange: fn(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    if exchange(staging, out).is_ok() {
        return std::fs::remove_dir_all(staging);
    }
    std::fs::rename(out, old)?;
    std::fs::rename(staging, out)?;
    std::fs::remove_dir_all(old)
}

/// Swaps two paths in one step (`renameat2` with `RENAME_EXCHANGE`).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// No atomic exchange on this system: the caller falls back to two renames.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

fn remove_dir_if_exists(path: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_escape() {
        let sink = DirSink::new("/tmp/out");
        assert!(sink.target("incidents/a.html").is_ok());
        assert!(sink.target("../etc/passwd").is_err());
        assert!(sink.target("/etc/passwd").is_err());
        assert!(sink.target("a/../../b").is_err());
    }

    #[test]
    fn files_are_written_from_their_parts_and_replaced_when_committed() {
        let dir = std::env::temp_dir().join(format!("sitrep-parts-test-{}", std::process::id()));
        let sink = DirSink::new(&dir);
        // More parts than one system call takes, some of them empty.
        let numbers: Vec<String> = (0..3000).map(|n| format!("{n},")).collect();
        let mut parts: Vec<&[u8]> = numbers.iter().map(|n| n.as_bytes()).collect();
        parts.insert(5, b"");
        parts.push(b"");
        sink.write_parts("data/n.csv", &parts).unwrap();
        let expected = numbers.concat();
        assert_eq!(
            std::fs::read_to_string(dir.join("data/n.csv")).unwrap(),
            expected
        );

        sink.stage("data/n.csv", &[b"new", b"", b" bytes"]).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("data/n.csv")).unwrap(),
            expected
        );
        sink.commit("data/n.csv").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("data/n.csv")).unwrap(),
            "new bytes"
        );
        assert!(sink.holds("data/n.csv", &[b"new", b" ", b"bytes"]));
        assert!(!sink.holds("data/n.csv", &[b"new"]));
        assert!(!sink.holds("data/n.csv", &[b"new bytes", b"!"]));
        assert!(!sink.holds("data/missing.csv", &[]));
        sink.stage("data/n.csv", &[b"discarded"]).unwrap();
        sink.discard("data/n.csv");
        assert_eq!(
            std::fs::read_to_string(dir.join("data/n.csv")).unwrap(),
            "new bytes"
        );
        let names: Vec<_> = std::fs::read_dir(dir.join("data")).unwrap().collect();
        assert_eq!(names.len(), 1, "no staged file is left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn without_an_atomic_exchange_two_renames_replace_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let (staging, out, old) = (
            dir.path().join("s"),
            dir.path().join("o"),
            dir.path().join("x"),
        );
        for (folder, file) in [(&staging, "new.html"), (&out, "old.html")] {
            std::fs::create_dir(folder).unwrap();
            std::fs::write(folder.join(file), file).unwrap();
        }
        swap_with(&staging, &out, &old, |_, _| {
            Err(io::ErrorKind::Unsupported.into())
        })
        .unwrap();
        assert!(out.join("new.html").is_file());
        assert!(!out.join("old.html").exists());
        assert!(
            !staging.exists() && !old.exists(),
            "nothing left beside the output"
        );
    }

    #[test]
    fn failed_builds_leave_previous_output() {
        let dir = std::env::temp_dir().join(format!("sitrep-write-test-{}", std::process::id()));
        let out = dir.join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        let failed: Result<(), String> = build_atomically(
            &out,
            |sink| {
                sink.write("new.html", b"new").unwrap();
                Err("boom".to_string())
            },
            |e| e,
        );
        assert!(failed.is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("old.html")).unwrap(),
            "old"
        );
        assert!(!out.join("new.html").exists());
        let ok: Result<(), String> = build_atomically(
            &out,
            |sink| sink.write("new.html", b"new").map_err(|e| e.to_string()),
            |e| e,
        );
        assert!(ok.is_ok());
        assert!(!out.join("old.html").exists(), "stale files are removed");
        assert_eq!(
            std::fs::read_to_string(out.join("new.html")).unwrap(),
            "new"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
