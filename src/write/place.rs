//! Where the output may go. A build replaces everything in its output folder, so before
//! anything is written sitrep makes sure that folder is its own to replace:
//!
//! 1. It neither contains nor lies inside any input: the site root (it may lie inside the
//!    site, as `public/` does, but not contain it), `site.toml`, `content/`, `templates/`,
//!    `themes/` and every archive a source names.
//! 2. It is absent, empty, marked as sitrep's (every output holds the
//!    [`OUTPUT_MARKER`](crate::render::OUTPUT_MARKER) file), or the default `public/`
//!    inside the site; or the user adopted it with `--force`.
//!
//! Paths are compared after resolving symbolic links of the parts that exist, so neither
//! `..` nor a link can make two folders look apart when they are one.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::render::OUTPUT_MARKER;

use super::absolute;

/// The default output folder's name, inside the site root.
const DEFAULT_OUTPUT: &str = "public";

/// An output folder and where it was named: `--out` on the command line or `output` in
/// `site.toml`.
#[derive(Debug, Clone)]
pub struct OutputPlace {
    pub dir: PathBuf,
    pub from_config: bool,
    /// `--force`: replace the folder even though sitrep did not write it.
    pub force: bool,
}

/// The site's inputs an output folder must keep clear of.
pub fn inputs<'a>(root: &Path, archives: impl IntoIterator<Item = &'a Path>) -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = [CONFIG_FILE, "content", "templates", "themes"]
        .iter()
        .map(|name| root.join(name))
        .collect();
    inputs.extend(archives.into_iter().map(|archive| root.join(archive)));
    inputs
}

/// Refuses an output folder that overlaps the site root or one of `inputs` (rule 1).
pub fn check_apart(root: &Path, place: &OutputPlace, inputs: &[PathBuf]) -> Result<(), Diagnostic> {
    let out = resolve(&place.dir);
    let site = resolve(root);
    if site.starts_with(&out) {
        return Err(refusal(
            root,
            place,
            "it contains the site itself, and a build replaces everything in it",
        ));
    }
    for input in inputs {
        let input_resolved = resolve(input);
        let name = input.strip_prefix(root).unwrap_or(input).display();
        if input_resolved == out {
            return Err(refusal(
                root,
                place,
                &format!("it is `{name}`, an input of the site"),
            ));
        }
        if input_resolved.starts_with(&out) {
            return Err(refusal(
                root,
                place,
                &format!(
                    "it contains `{name}`, an input of the site, and a build replaces everything in it"
                ),
            ));
        }
        if out.starts_with(&input_resolved) {
            return Err(refusal(
                root,
                place,
                &format!("it lies inside `{name}`, an input of the site"),
            ));
        }
    }
    Ok(())
}

/// Refuses to replace a folder that sitrep did not write (rule 2), unless forced.
pub fn check_owned(root: &Path, place: &OutputPlace) -> Result<(), Diagnostic> {
    let out = &place.dir;
    if place.force || !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(refusal(root, place, "it is a file, not a folder"));
    }
    let marked = out.join(OUTPUT_MARKER).is_file();
    let default = resolve(out) == resolve(&root.join(DEFAULT_OUTPUT));
    let empty = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_none());
    if marked || default || empty {
        return Ok(());
    }
    Err(refusal(
        root,
        place,
        &format!("it holds files sitrep did not write (it has no `{OUTPUT_MARKER}` file), and a build would delete them"),
    )
    .with_hint(format!(
        "choose a new or empty folder ({}), or pass --force to let sitrep take this one over and delete what it holds",
        if place.from_config { "`output` in site.toml or --out DIR" } else { "--out DIR" }
    )))
}

/// The error for a refused folder, located at `output` in `site.toml` when it was named there.
fn refusal(root: &Path, place: &OutputPlace, why: &str) -> Diagnostic {
    let message = format!(
        "refusing to use `{}` as the output folder: {why}",
        place.dir.display()
    );
    let hint = "choose a separate folder, e.g. `output = \"public\"` in site.toml or --out DIR";
    if !place.from_config {
        return Diagnostic::error("--out", message).with_hint(hint);
    }
    let diagnostic = Diagnostic::error(CONFIG_FILE, message).with_hint(hint);
    match output_key_offset(root) {
        Some((text, offset)) => diagnostic.at_offset(&text, offset),
        None => diagnostic,
    }
}

/// The text of `site.toml` and the offset of its `output` value, if it has one.
fn output_key_offset(root: &Path) -> Option<(String, usize)> {
    #[derive(Deserialize)]
    struct OutputKey {
        output: Option<toml::Spanned<String>>,
    }
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).ok()?;
    let key: OutputKey = toml::from_str(&text).ok()?;
    let start = key.output?.span().start;
    Some((text, start))
}

/// `path` made absolute, with the symbolic links of its longest existing ancestor resolved
/// and the rest normalised lexically.
pub fn resolve(path: &Path) -> PathBuf {
    let path = absolute(path);
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(dir: &Path) -> OutputPlace {
        OutputPlace {
            dir: dir.to_path_buf(),
            from_config: false,
            force: false,
        }
    }

    #[test]
    fn output_keeps_clear_of_the_site_and_its_inputs() {
        let root = Path::new("/srv/site");
        let archive = [Path::new("../archives/a.txt")];
        let inputs = inputs(root, archive);
        let apart = |out: &str| check_apart(root, &place(Path::new(out)), &inputs).is_ok();
        assert!(!apart("/srv/site"), "the site itself");
        assert!(!apart("/srv"), "a folder holding the site");
        assert!(!apart("/srv/site/content/x"), "inside content/");
        assert!(!apart("/srv/site/themes"), "themes/ itself");
        assert!(!apart("/srv/archives"), "a folder holding an archive");
        assert!(!apart("/srv/site/public/../content"), "`..` is resolved");
        assert!(apart("/srv/site/public"));
        assert!(apart("/srv/site-out"), "a sibling whose name starts alike");
    }

    #[test]
    fn only_sitreps_own_folders_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("public/notes.txt"), "mine").unwrap();
        let foreign = dir.path().join("foreign");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();

        assert!(
            check_owned(&root, &place(&dir.path().join("new"))).is_ok(),
            "absent"
        );
        assert!(
            check_owned(&root, &place(&root.join("public"))).is_ok(),
            "the default"
        );
        let refused = check_owned(&root, &place(&foreign)).unwrap_err();
        assert!(
            refused.message.contains("did not write"),
            "{}",
            refused.message
        );
        assert!(refused.hint.unwrap().contains("--force"));
        let forced = OutputPlace {
            force: true,
            ..place(&foreign)
        };
        assert!(check_owned(&root, &forced).is_ok());
        std::fs::write(foreign.join(OUTPUT_MARKER), "").unwrap();
        assert!(check_owned(&root, &place(&foreign)).is_ok(), "marked");
        std::fs::remove_dir_all(&foreign).unwrap();
        std::fs::create_dir(&foreign).unwrap();
        assert!(check_owned(&root, &place(&foreign)).is_ok(), "empty");
    }

    #[test]
    fn a_refusal_points_at_output_in_site_toml() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "title = \"T\"\noutput = \"..\"\n",
        )
        .unwrap();
        let configured = OutputPlace {
            dir: dir.path().join(".."),
            from_config: true,
            force: false,
        };
        let err = check_apart(dir.path(), &configured, &inputs(dir.path(), [])).unwrap_err();
        assert_eq!(err.file, Path::new(CONFIG_FILE));
        assert_eq!((err.line, err.column), (2, 10));
    }
}
