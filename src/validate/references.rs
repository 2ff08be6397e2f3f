//! References to ids: an unknown id gets the nearest valid one as a hint, and an id whose
//! file failed to load is reported once as a consequence of that file's errors, not as
//! unknown (the file's own errors, listed first, are the cause).

use std::collections::HashSet;

use crate::diagnostics::{Diagnostic, suggestion};
use crate::model::{Briefing, FailedFile, Origin};
use crate::yaml::Seg;

use super::locate;

/// The ids of one kind that references may name.
pub(super) enum Known<'a> {
    /// Hashed: a build checks every item against them.
    Set(HashSet<&'a str>),
    /// Looked up in the briefing's own list of that kind, which is sorted by id: checking
    /// one edited item (`sitrep serve`) builds nothing.
    Listed(&'a Briefing, IdKind),
}

/// The kinds of ids references name.
#[derive(Debug, Clone, Copy)]
pub(super) enum IdKind {
    Source,
    Party,
    Incident,
    Figure,
}

impl<'a> Known<'a> {
    /// The ids of `kind` in `briefing`, hashed.
    pub(super) fn hashed(briefing: &'a Briefing, kind: IdKind) -> Known<'a> {
        Known::Set(Known::Listed(briefing, kind).all().into_iter().collect())
    }

    pub(super) fn contains(&self, id: &str) -> bool {
        match self {
            Known::Set(set) => set.contains(id),
            Known::Listed(b, IdKind::Source) => b.source_index(id).is_some(),
            Known::Listed(b, IdKind::Party) => b.party_index(id).is_some(),
            Known::Listed(b, IdKind::Incident) => b.incident_index(id).is_some(),
            Known::Listed(b, IdKind::Figure) => b.figure_index(id).is_some(),
        }
    }

    /// Every id, for hints.
    pub(super) fn all(&self) -> Vec<&'a str> {
        match *self {
            Known::Set(ref set) => set.iter().copied().collect(),
            Known::Listed(b, kind) => match kind {
                IdKind::Source => b.sources.iter().map(|s| s.id.as_str()).collect(),
                IdKind::Party => b.parties.iter().map(|p| p.id.as_str()).collect(),
                IdKind::Incident => b.incidents.iter().map(|i| i.id.as_str()).collect(),
                IdKind::Figure => b.figures.iter().map(|f| f.id.as_str()).collect(),
            },
        }
    }
}

pub(super) fn unknown(
    failed: &[FailedFile],
    origin: &Origin,
    path: &[Seg],
    what: &str,
    id: &str,
    known: &Known,
) -> Diagnostic {
    if let Some(file) = failed_definition(failed, what, id) {
        return locate(origin, path, defined_in_broken_file(origin, id, file));
    }
    let hint = suggestion(id, &format!("{what} id"), known.all());
    locate(
        origin,
        path,
        Diagnostic::error(&origin.file, format!("unknown {what} `{id}`")).with_hint(hint),
    )
}

/// The file that would define `id` of kind `what`, if it failed to load.
pub(super) fn failed_definition<'a>(
    failed: &'a [FailedFile],
    what: &str,
    id: &str,
) -> Option<&'a FailedFile> {
    failed
        .iter()
        .find(|f| f.kind == what && (f.id == id || what == "party"))
}

/// Ends the message of a reference to an id whose file failed to load: such references
/// are reported once per id (see [`once_per_broken_id`]), as consequences, not causes.
const IN_BROKEN_FILE: &str = "which has errors above";

/// Said instead of "unknown source `x`" when `x` is defined in a file that failed to load.
pub(super) fn defined_in_broken_file(origin: &Origin, id: &str, file: &FailedFile) -> Diagnostic {
    // All parties are in one file: references to any of them are one consequence.
    let what = match file.kind {
        "party" => "parties are".to_string(),
        _ => format!("`{id}` is"),
    };
    Diagnostic::warning(
        &origin.file,
        format!(
            "{what} defined in {}, {IN_BROKEN_FILE}",
            file.file.display()
        ),
    )
    .with_hint(format!(
        "fix {} first; references to it are checked once it loads",
        file.file.display()
    ))
}

/// Keeps the first report of each reference into a file that failed to load.
pub(super) fn once_per_broken_id(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    diagnostics
        .into_iter()
        .filter(|d| !d.message.ends_with(IN_BROKEN_FILE) || seen.insert(d.message.clone()))
        .collect()
}
