//! Reading input files: the one way sitrep reads content files, archives, templates, theme
//! files and `site.toml`, in `build` and in `serve`'s rebuilds alike.
//!
//! Only regular files are read (a named pipe would block the build forever, a device such
//! as `/dev/zero` would never end), and never more than a size limit (`max_file_size` in
//! `site.toml`): reading goes through `take(limit + 1)`, so a file that grows or lies about
//! its size cannot overflow it. Text is UTF-8, with an optional byte order mark that is
//! dropped; invalid UTF-8 is reported at its byte, line and column. [`files_in`] lists the
//! files of an input folder, following symbolic links only within the site folder.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// The default size limit for one input file: 50 MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 50_000_000;

/// The UTF-8 byte order mark some editors write at the start of a file.
const BOM: &str = "\u{feff}";

/// Why an input file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (missing file, permissions …).
    Io(std::io::Error),
    /// The path names something other than a regular file: what it is.
    NotAFile(&'static str),
    /// The file is larger than the limit, in bytes.
    TooLarge { limit: u64 },
    /// The bytes are not UTF-8: the first bad byte's offset, line and column.
    NotUtf8 {
        offset: usize,
        line: usize,
        column: usize,
        /// The file decoded with replacement characters, for showing the line.
        lossy: String,
    },
}

impl ReadError {
    /// Whether the file simply could not be opened (missing, unreadable), as opposed to
    /// being there and unusable (a pipe, a device, too large, not UTF-8).
    pub fn is_io(&self) -> bool {
        matches!(self, ReadError::Io(_))
    }

    /// An error about `file`, located where that makes sense, with what to do about it.
    pub fn diagnostic(&self, file: impl Into<PathBuf>) -> Diagnostic {
        let diagnostic = Diagnostic::error(file, self.to_string());
        match self {
            ReadError::Io(_) => diagnostic.with_hint("check that the file exists and is readable"),
            ReadError::NotAFile(_) => diagnostic.with_hint(
                "sitrep reads only regular files; replace this with a file (or a symbolic link to one)",
            ),
            ReadError::TooLarge { .. } => diagnostic.with_hint(
                "make the file smaller (split it), or raise `max_file_size` in site.toml",
            ),
            ReadError::NotUtf8 {
                line,
                column,
                lossy,
                ..
            } => diagnostic
                .at(lossy, *line, *column)
                .with_hint("save the file as UTF-8"),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(err) => write!(f, "cannot read this file: {err}"),
            ReadError::NotAFile(what) => write!(f, "this is {what}, not a regular file"),
            ReadError::TooLarge { limit } => write!(
                f,
                "this file is larger than the limit of {} (`max_file_size`)",
                describe_size(*limit)
            ),
            ReadError::NotUtf8 {
                offset,
                line,
                column,
                ..
            } => write!(
                f,
                "invalid UTF-8 at byte {offset} (line {line}, column {column})"
            ),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(err: std::io::Error) -> Self {
        ReadError::Io(err)
    }
}

/// Reads the regular file at `path`, at most `limit` bytes.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // Refuse anything but a regular file before opening it: opening a device can have
    // effects of its own. The check is repeated on the open file, which may have been
    // swapped in between; opening without blocking keeps a pipe from stalling even then.
    check_regular(&std::fs::metadata(path)?)?;
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    check_regular(&meta)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    // The reported size is only a hint (a sparse file, a file still being written).
    let mut bytes = Vec::with_capacity(meta.len().min(1 << 26) as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Reads the regular file at `path` as UTF-8 text, at most `limit` bytes. A leading byte
/// order mark is dropped (line and column numbers are unaffected).
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    text_from_bytes(read_bytes(path, limit)?)
}

/// Decodes `bytes` as UTF-8 without a byte order mark, or says where the first bad byte is.
pub fn text_from_bytes(bytes: Vec<u8>) -> Result<String, ReadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(strip_bom(text)),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
            let valid = valid.strip_prefix(BOM).unwrap_or(valid);
            let (line, column) = crate::diagnostics::line_column(valid, valid.len());
            let lossy = String::from_utf8_lossy(&bytes);
            let lossy = lossy.strip_prefix(BOM).unwrap_or(&lossy).to_string();
            Err(ReadError::NotUtf8 {
                offset,
                line,
                column,
                lossy,
            })
        }
    }
}

/// Drops a leading byte order mark.
pub fn strip_bom(text: String) -> String {
    match text.strip_prefix(BOM) {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// The files under `dir` (a folder of the site at `root`), sorted by path; folders are left
/// out, and so are hidden and editor files. Pipes, devices and sockets are listed: reading
/// them is refused with an error. Symbolic links are followed when their target is inside
/// the site folder; one that leads outside it, loops or leads nowhere is an error naming
/// the link and its target, so no file is ever skipped without a word.
pub fn files_in(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut refused = Vec::new();
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_ignored_name(&e.file_name().to_string_lossy()) {
                return false;
            }
            if !e.path_is_symlink() {
                return true;
            }
            match e.path().canonicalize() {
                Ok(target) if target.starts_with(&site) => true,
                Ok(target) => {
                    refused.push(link_error(
                        root,
                        e.path(),
                        &target,
                        "outside the site folder",
                    ));
                    false
                }
                // Loops and dangling links fail to resolve: walkdir reports them below.
                Err(_) => true,
            }
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_dir() => {}
            Ok(entry) => files.push(entry.into_path()),
            // A folder that does not exist has no files.
            Err(err)
                if err.depth() == 0 && !dir.exists() && std::fs::symlink_metadata(dir).is_err() => {
            }
            Err(err) => diagnostics.push(walk_error(root, &err)),
        }
    }
    diagnostics.extend(refused);
    files
}

/// "content/figures/x.yaml is a symbolic link to /elsewhere/x.yaml, outside the site folder".
fn link_error(root: &Path, link: &Path, target: &Path, problem: &str) -> Diagnostic {
    let rel = relative(root, link);
    Diagnostic::error(
        &rel,
        format!(
            "{} is a symbolic link to {}, {problem}",
            rel.display(),
            target.display()
        ),
    )
    .with_hint("sitrep reads only files inside the site folder: copy the file into the site, or fix the link")
}

/// A file or folder of an input folder that could not be listed: a symbolic link that loops
/// or leads nowhere, or a folder that cannot be read.
fn walk_error(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let Some(path) = err.path() else {
        return Diagnostic::error(".", format!("cannot list a folder: {err}"))
            .with_hint("check the permissions of the site's folders");
    };
    let target = std::fs::read_link(path).ok();
    match target {
        Some(target) if err.loop_ancestor().is_some() => link_error(
            root,
            path,
            &target,
            "which leads back into a folder that contains it (a loop)",
        ),
        Some(target) => {
            let problem = match err.io_error().and_then(std::io::Error::raw_os_error) {
                Some(code) if code == rustix::io::Errno::LOOP.raw_os_error() => {
                    "which loops (links that lead to each other)"
                }
                _ if !path.exists() => "which does not exist",
                _ => "which cannot be read",
            };
            link_error(root, path, &target, problem)
        }
        None => Diagnostic::error(relative(root, path), format!("cannot read: {err}"))
            .with_hint("check the permissions of this file or folder"),
    }
}

/// Hidden files, editors' temporary and backup files: never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn check_regular(meta: &std::fs::Metadata) -> Result<(), ReadError> {
    if meta.is_file() {
        return Ok(());
    }
    Err(ReadError::NotAFile(kind_of(&meta.file_type())))
}

/// What a non-regular file is, for messages.
fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NONBLOCK.bits() as i32;
    OpenOptions::new().read(true).custom_flags(flags).open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

/// A byte count as written in `site.toml`: a number of bytes, or a number with a unit,
/// "50MB", "512 KB", "2 GiB" (KB, MB, GB are powers of 1000; KiB, MiB, GiB of 1024).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => return None,
    };
    let number: f64 = number.parse().ok()?;
    let bytes = number * factor as f64;
    (bytes.is_finite() && bytes >= 1.0 && bytes < u64::MAX as f64).then_some(bytes as u64)
}

/// "50 MB", "1.5 KB", "12 bytes": a size for messages, in powers of 1000.
pub fn describe_size(bytes: u64) -> String {
    let units = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "KB")];
    for (factor, unit) in units {
        if bytes >= factor {
            let value = bytes as f64 / factor as f64;
            let text = format!("{value:.1}");
            let text = text.strip_suffix(".0").unwrap_or(&text);
            return format!("{text} {unit}");
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_and_without_units() {
        assert_eq!(parse_size("50MB"), Some(50_000_000));
        assert_eq!(parse_size("512 kb"), Some(512_000));
        assert_eq!(parse_size("2 GiB"), Some(2 << 30));
        assert_eq!(parse_size("1.5 KB"), Some(1500));
        assert_eq!(parse_size("300"), Some(300));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("fifty"), None);
        assert_eq!(parse_size("5 parsecs"), None);
        assert_eq!(describe_size(50_000_000), "50 MB");
        assert_eq!(describe_size(1500), "1.5 KB");
        assert_eq!(describe_size(12), "12 bytes");
    }

    #[test]
    fn bad_utf8_is_located_by_byte_line_and_column() {
        // "ab\n" is 3 bytes, "cé" 3 more (é is two bytes): the bad byte 0xFF is byte 6,
        // on line 2 after two characters, so column 3.
        let mut bytes = "ab\ncé".as_bytes().to_vec();
        bytes.extend_from_slice(&[0xFF, b'x', b'\n']);
        let err = text_from_bytes(bytes).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 at byte 6 (line 2, column 3)"
        );
        let d = err.diagnostic("a.yaml");
        assert_eq!((d.line, d.column), (2, 3));
        assert_eq!(d.source_line.as_deref(), Some("cé\u{fffd}x"));
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let bytes = "\u{feff}title: x\n".as_bytes().to_vec();
        assert_eq!(text_from_bytes(bytes).unwrap(), "title: x\n");
    }

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "0123456789").unwrap();
        assert_eq!(read_bytes(&file, 10).unwrap().len(), 10);
        assert!(matches!(
            read_bytes(&file, 9),
            Err(ReadError::TooLarge { limit: 9 })
        ));
        assert!(matches!(
            read_bytes(dir.path(), 100),
            Err(ReadError::NotAFile("a folder"))
        ));
        #[cfg(unix)]
        assert!(matches!(
            read_bytes(Path::new("/dev/zero"), 100),
            Err(ReadError::NotAFile("a device"))
        ));
        assert!(
            read_bytes(&dir.path().join("missing"), 100)
                .unwrap_err()
                .is_io()
        );
    }
}
