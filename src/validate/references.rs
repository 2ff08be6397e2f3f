//! References to ids: an unknown id gets the nearest valid one as a hint, and an id whose
//! file failed to load is reported once as a consequence of that file's errors, not as
//! unknown (the file's own errors, listed first, are the cause).

use std::collections::HashSet;

use crate::diagnostics::{Diagnostic, suggestion};
use crate::model::{FailedFile, Origin};
use crate::yaml::Seg;

use super::locate;

pub(super) fn unknown(
    failed: &[FailedFile],
    origin: &Origin,
    path: &[Seg],
    what: &str,
    id: &str,
    known: &HashSet<&str>,
) -> Diagnostic {
    if let Some(file) = failed_definition(failed, what, id) {
        return locate(origin, path, defined_in_broken_file(origin, id, file));
    }
    let hint = suggestion(id, &format!("{what} id"), known.iter().copied());
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
