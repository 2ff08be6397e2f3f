//! Authoring: the logic behind `sitrep init` and `sitrep new`, which write content files
//! for the author instead of reading them.
//!
//! Every command here writes only new files (or appends to `content/parties.yaml` and a
//! figure's file), never reformats what is there, checks each text it writes by parsing it
//! exactly as a build would before writing it, and reports problems as [`Diagnostic`]s with
//! the nearest existing id as a hint. [`init`] writes a starter site, [`stubs`] the stub
//! texts, [`claim`] appends claims to figures, [`new`] creates items and fills in missing
//! references.

pub mod claim;
pub mod init;
pub mod new;
pub mod stubs;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::analyse::wordings::Wordings;
use crate::config::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, Diagnostics, nearest};
use crate::load::{self, CONTENT_DIR, FileKind, LoadedFile};
use crate::model::{Briefing, is_safe_slug, slugify};

/// The file of parties, relative to the site root.
pub const PARTIES_FILE: &str = "content/parties.yaml";

/// What an authoring command did: each file it wrote, and what the author should do next.
#[derive(Debug, Default)]
pub struct AuthorReport {
    pub written: Vec<Written>,
    /// Lines for the author: what to fill in, the next commands.
    pub notes: Vec<String>,
}

/// One file written by an authoring command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Relative to the site root.
    pub path: PathBuf,
    pub action: Action,
}

/// How a file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Created,
    /// An existing file was replaced (`sitrep init --force`).
    Replaced,
    /// Text was added at the end of an existing file or list; the rest is unchanged.
    Appended,
}

impl fmt::Display for Written {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = match self.action {
            Action::Created => "created ",
            Action::Replaced => "replaced",
            Action::Appended => "appended",
        };
        write!(f, "{verb} {}", self.path.display())
    }
}

/// The kinds of item `sitrep new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    Party,
    Source,
    Incident,
    Figure,
}

impl ItemKind {
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Party => "party",
            ItemKind::Source => "source",
            ItemKind::Incident => "incident",
            ItemKind::Figure => "figure",
        }
    }

    /// The file an item of this kind with `id` goes in, relative to the site root.
    pub fn path(self, id: &str) -> PathBuf {
        match self {
            ItemKind::Party => PathBuf::from(PARTIES_FILE),
            ItemKind::Source => PathBuf::from(format!("{CONTENT_DIR}/sources/{id}.yaml")),
            ItemKind::Incident => PathBuf::from(format!("{CONTENT_DIR}/incidents/{id}.md")),
            ItemKind::Figure => PathBuf::from(format!("{CONTENT_DIR}/figures/{id}.yaml")),
        }
    }

    fn file_kind(self) -> FileKind {
        match self {
            ItemKind::Party => FileKind::Parties,
            ItemKind::Source => FileKind::Source,
            ItemKind::Incident => FileKind::Incident,
            ItemKind::Figure => FileKind::Figure,
        }
    }
}

/// An existing site as the authoring commands see it: its content files (including those
/// that do not parse) and the briefing assembled from the ones that do.
pub struct Existing {
    pub root: PathBuf,
    pub files: Vec<(PathBuf, FileKind)>,
    pub loaded: Vec<LoadedFile>,
    pub briefing: Briefing,
    /// The largest file sitrep reads (`max_file_size` in `site.toml`).
    pub max_size: u64,
    /// The wordings claims may use: the built-in ones and the site's own.
    pub wordings: Wordings,
}

impl Existing {
    /// Reads the site at `root`; an error when it is not a site folder.
    pub fn read(root: &Path) -> Result<Existing, Diagnostics> {
        if !root.join(CONFIG_FILE).is_file() {
            let mut d = Diagnostics::default();
            d.push(
                Diagnostic::error(
                    root.join(CONFIG_FILE),
                    format!(
                        "`{}` is not a sitrep site (it has no {CONFIG_FILE})",
                        root.display()
                    ),
                )
                .with_hint(
                    "pass the site folder with --root DIR, or create a site with `sitrep init DIR`",
                ),
            );
            return Err(d);
        }
        let mut ignored = Diagnostics::default();
        let files = if root.join(CONTENT_DIR).is_dir() {
            load::discover(root, &mut ignored)
        } else {
            Vec::new()
        };
        let config = crate::config::Config::load(root).ok();
        let max_size = config
            .as_ref()
            .map_or(crate::read::DEFAULT_MAX_FILE_SIZE, |c| c.max_file_size());
        let wordings = Wordings::new(&config.map(|c| c.wordings).unwrap_or_default());
        let loaded = load::load_all(root, &files, max_size);
        let briefing = load::assemble(&loaded);
        Ok(Existing {
            root: root.to_path_buf(),
            files,
            loaded,
            briefing,
            max_size,
            wordings,
        })
    }

    /// The ids of one kind that exist: file names for files (even those with errors),
    /// the keys of `content/parties.yaml` for parties.
    pub fn ids(&self, kind: ItemKind) -> Vec<String> {
        if kind == ItemKind::Party {
            return self.briefing.parties.iter().map(|p| p.id.clone()).collect();
        }
        self.files
            .iter()
            .filter(|(_, k)| *k == kind.file_kind())
            .filter_map(|(path, _)| path.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }

    /// The errors `content/parties.yaml` has, if any (parties are appended to it, so it
    /// must parse first).
    pub fn parties_errors(&self) -> Vec<Diagnostic> {
        self.loaded
            .iter()
            .filter(|f| f.path == Path::new(PARTIES_FILE))
            .flat_map(|f| f.diagnostics.iter().filter(|d| d.is_error()).cloned())
            .collect()
    }
}

/// Checks that `id` can name a new item of `kind`: a safe slug, not taken, and not one
/// edit away from an existing id (a likely typo) unless `force`. `flag` names where the id
/// came from on the command line.
pub fn check_new_id(
    kind: ItemKind,
    id: &str,
    existing: &[String],
    force: bool,
    flag: &str,
) -> Result<(), Diagnostic> {
    let what = kind.name();
    if !is_safe_slug(id) {
        return Err(Diagnostic::error(flag, format!("`{id}` is not a valid {what} id"))
            .with_hint(format!(
                "ids use only lowercase letters, digits, - and _ (at most 100 characters, starting with a letter or digit); for example `{}`",
                slugify(id)
            )));
    }
    if existing.iter().any(|e| e == id) {
        return Err(
            Diagnostic::error(kind.path(id), format!("the {what} `{id}` already exists"))
                .with_hint(format!(
                    "choose another id; sitrep never overwrites a {what}"
                )),
        );
    }
    if !force && let Some(close) = nearest(id, existing.iter().map(String::as_str)) {
        return Err(Diagnostic::error(
            flag,
            format!("`{id}` is close to the existing {what} `{close}`"),
        )
        .with_hint(format!(
            "if you meant `{close}`, it exists already; pass --force to create `{id}` anyway"
        )));
    }
    Ok(())
}

/// An error for an id that names no existing item of `kind`, with the nearest one.
pub fn unknown_id(kind: ItemKind, id: &str, existing: &[String], flag: &str) -> Diagnostic {
    let what = kind.name();
    let hint = match nearest(id, existing.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `{close}`?"),
        None if existing.is_empty() => {
            format!("there is no {what} yet; create one with `sitrep new {what} ID`")
        }
        None => format!(
            "create it with `sitrep new {what} {id}`, or use an existing {what}: {}",
            listing(existing)
        ),
    };
    Diagnostic::error(flag, format!("there is no {what} `{id}`")).with_hint(hint)
}

/// A short listing of ids for a hint (the first dozen).
fn listing(ids: &[String]) -> String {
    let mut sorted: Vec<&str> = ids.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    if sorted.len() > 12 {
        format!("{}, … ({} in all)", sorted[..12].join(", "), sorted.len())
    } else {
        sorted.join(", ")
    }
}

/// A YAML double-quoted scalar holding `text` exactly (JSON strings are valid YAML).
pub fn yaml_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// An id as a YAML scalar: plain where YAML reads it back as the same string, quoted
/// otherwise (ids that start with a digit could be read as numbers, `null` as nothing).
pub fn yaml_id(id: &str) -> String {
    let plain = id.starts_with(|c: char| c.is_ascii_lowercase())
        && !matches!(
            id,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        id.to_string()
    } else {
        yaml_string(id)
    }
}

/// Checks that `text` parses as a content file of `kind` at `rel`, exactly as a build
/// reads it; returns the parse errors otherwise (a bug in a stub, or a file that already
/// had errors).
pub fn parses(rel: &Path, kind: FileKind, text: &str) -> Result<load::Loaded, Vec<Diagnostic>> {
    let file = load::parse_file(rel, kind, text.into());
    let errors: Vec<Diagnostic> = file
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if errors.is_empty() {
        Ok(file.item)
    } else {
        Err(errors)
    }
}

/// Writes a new file under `root`, creating its folders; fails if it exists.
pub fn create_file(root: &Path, rel: &Path, text: &str) -> Result<(), Diagnostic> {
    let path = root.join(rel);
    let io_error = |err: std::io::Error| {
        Diagnostic::error(rel, format!("cannot write this file: {err}"))
            .with_hint("check that the folder is writable")
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io_error)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|err| {
            if err.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::error(rel, "this file exists already; sitrep never overwrites it")
                    .with_hint("choose another id, or remove the file first")
            } else {
                io_error(err)
            }
        })?;
    file.write_all(text.as_bytes()).map_err(io_error)
}

/// Replaces the text of an existing file (after appending to it), through a temporary
/// file and a rename so a failure never leaves half a file.
pub fn rewrite_file(root: &Path, rel: &Path, text: &str) -> Result<(), Diagnostic> {
    // Through a symbolic link to the file it points at, which is what the author edits.
    let path = std::fs::canonicalize(root.join(rel)).unwrap_or_else(|_| root.join(rel));
    let tmp = path.with_extension("sitrep-new.tmp");
    let result = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, &path));
    result.map_err(|err| {
        let _ = std::fs::remove_file(&tmp);
        Diagnostic::error(rel, format!("cannot write this file: {err}"))
    })
}

/// A label from an id: `homes-flooded` → `Homes flooded`.
pub fn label_from_id(id: &str) -> String {
    let words = id.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Diagnostics from a list, sorted, for returning as an error.
pub fn diagnostics(list: impl IntoIterator<Item = Diagnostic>) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.extend(list);
    d.sort();
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_quoted_only_where_yaml_would_misread_them() {
        assert_eq!(yaml_id("prison-attack"), "prison-attack");
        assert_eq!(yaml_id("000_081c"), "\"000_081c\"");
        assert_eq!(yaml_id("null"), "\"null\"");
        assert_eq!(yaml_string("say \"no\"\n"), r#""say \"no\"\n""#);
    }

    #[test]
    fn a_new_id_close_to_an_existing_one_is_refused_unless_forced() {
        let existing = vec!["prison-attack".to_string()];
        let err =
            check_new_id(ItemKind::Incident, "prison-atack", &existing, false, "ID").unwrap_err();
        assert!(
            err.message
                .contains("close to the existing incident `prison-attack`")
        );
        assert!(check_new_id(ItemKind::Incident, "prison-atack", &existing, true, "ID").is_ok());
        assert!(check_new_id(ItemKind::Incident, "prison-attack", &existing, true, "ID").is_err());
        let err = check_new_id(ItemKind::Incident, "Bad Id", &existing, true, "ID").unwrap_err();
        assert!(err.hint.unwrap().contains("`bad-id`"));
    }
}
