//! `sitrep init`: a minimal starter briefing that builds and checks with no warnings.
//!
//! The example is invented (a river flood in a fictional town) and says so on every page:
//! one archived report, two parties, one incident citing the report, and one figure with
//! two claims that disagree, each quote verbatim from the archived text, so the first
//! build already shows what sitrep is for.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};

use super::{Action, AuthorReport, Written, create_file, diagnostics};

/// What `sitrep init` was asked for.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    pub dir: PathBuf,
    pub title: Option<String>,
    pub language: Option<String>,
    /// Write into a non-empty folder, replacing the files the starter site has.
    pub force: bool,
}

/// The id of the example's source, and its archived text's path.
pub const EXAMPLE_SOURCE: &str = "alderford-gazette-flood";
/// The example figure's id.
pub const EXAMPLE_FIGURE: &str = "homes-flooded";

const ARCHIVE: &str = "\
EXAMPLE TEXT. This report is invented for the sitrep starter site: the town of Alderford, \
the River Wen and everyone named here are fictional.

Alderford Gazette, Tuesday

River Wen floods lower Alderford

The River Wen burst its banks at Alderford late on Monday after two days of heavy rain, \
flooding streets in the lower town.

The town council said on Tuesday that at least 40 homes had been flooded. The Wen Valley \
Rivers Authority, which runs the flood defences, put the number at about 25 homes, saying \
that many of the houses on the council's list had water only in their gardens.

No one was hurt. Fire crews and volunteers moved residents of the riverside streets to the \
school hall overnight, and the council said the clean-up would take weeks.
";

const PARTIES: &str = "\
# Who makes statements. Claims name a party with `stated_by: party: ID`.
# Add one with `sitrep new party ID`.
alderford-town-council:
  name: Alderford Town Council (fictional)
  kind: government
  party_to_conflict: false
  notes: The local authority of the invented town in the starter example.

wen-valley-rivers-authority:
  name: Wen Valley Rivers Authority (fictional)
  kind: government
  party_to_conflict: false
  notes: The invented body that runs the river's flood defences.
";

const SOURCE: &str = "\
# One file per source; the id is the file name. Add one with `sitrep new source ID`.
title: River Wen floods lower Alderford (example text)
outlet: Alderford Gazette (fictional)
author: unknown
published: Tuesday
archive: archive/alderford-gazette-flood.txt   # every quote from this source is checked against it
language: en
kind: news report
notes: An invented report, written for sitrep's starter site. Replace it with a real source.
";

const INCIDENT: &str = "\
---
title: River Wen floods lower Alderford (example)
date:
  on: Monday
  basis: reported
place:
  district: Alderford
  country: Exampleland (fictional)
category: flood
outcome: carried out
sources: [alderford-gazette-flood]
---
*This is an example: the town, the river and the report are invented.*

The River Wen burst its banks late on Monday after two days of heavy rain and flooded streets in
the lower town [@alderford-gazette-flood]. The town council and the rivers authority disagree on
how many homes were flooded; the figure page shows both claims side by side.
";

const FIGURE: &str = "\
# One file per figure: one precisely defined number and every claim made about it.
# Add a claim with:
#   sitrep new claim homes-flooded --source alderford-gazette-flood --value N --quote \"…\"
label: Homes flooded in Alderford
unit: homes
definition: Homes with flood water inside them in Alderford after the River Wen burst its banks.
scope:
  window: Monday night and Tuesday
  place: Alderford
  incidents: [alderford-river-flood]
key: true
claims:
  - value: 40
    qualifier: at least
    source: alderford-gazette-flood
    stated_by:
      party: alderford-town-council
    stated_on: Tuesday
    quote: \"The town council said on Tuesday that at least 40 homes had been flooded.\"
  - value: 25
    qualifier: about
    source: alderford-gazette-flood
    stated_by:
      party: wen-valley-rivers-authority
    stated_on: Tuesday
    quote: \"put the number at about 25 homes\"
    note: The authority says many homes on the council's list had water only in their gardens.
";

const GITIGNORE: &str = ".gitignore";

/// The starter site's files: path relative to the site folder, and text.
pub fn files(title: &str, language: &str) -> Vec<(&'static str, String)> {
    let site = format!(
        "title = {title}\n\
         description = \"A starter briefing made by sitrep init: an invented river flood, to replace with your own content.\"\n\
         language = {language}\n\
         output = \"public\"\n\
         \n\
         [estimate]\n\
         rule = \"conservative\"   # conservative | median | maximum | latest\n",
        title = toml::Value::from(title),
        language = toml::Value::from(language),
    );
    let index = format!(
        "---\ntitle: Overview\n---\n\
         *This briefing is an example made by `sitrep init`: the flood, the town and the report are \
         invented.* Replace it with your own content.\n\n\
         The River Wen flooded the lower town of Alderford late on Monday [@{EXAMPLE_SOURCE}]. How many \
         homes were flooded is disputed: the key figures below show each party's claim, the bounds its \
         wording implies, and the estimate sitrep draws from them.\n"
    );
    vec![
        ("site.toml", site),
        ("content/index.md", index),
        ("content/parties.yaml", PARTIES.to_string()),
        (
            "content/sources/alderford-gazette-flood.yaml",
            SOURCE.to_string(),
        ),
        (
            "content/incidents/alderford-river-flood.md",
            INCIDENT.to_string(),
        ),
        ("content/figures/homes-flooded.yaml", FIGURE.to_string()),
        ("archive/alderford-gazette-flood.txt", ARCHIVE.to_string()),
        (GITIGNORE, "/public/\n".to_string()),
    ]
}

/// Writes the starter site into `options.dir`. A folder with anything in it but hidden
/// files (such as `.git`) is refused, listing the files that would be replaced, unless
/// `force`; then those files are replaced and listed.
pub fn init(options: &InitOptions) -> Result<AuthorReport, Diagnostics> {
    let dir = &options.dir;
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| "Example briefing: River Wen flood (fictional)".into());
    let language = options.language.clone().unwrap_or_else(|| "en".into());
    let files = files(&title, &language);
    let occupied = occupied(dir).map_err(|d| diagnostics([d]))?;
    let mut existing: Vec<&str> = files
        .iter()
        .map(|(rel, _)| *rel)
        .filter(|rel| dir.join(rel).symlink_metadata().is_ok())
        .collect();
    // A repository's own `.gitignore` is kept (not replaced) unless --force.
    let keep_gitignore = !options.force && existing.contains(&GITIGNORE);
    existing.retain(|rel| !(keep_gitignore && *rel == GITIGNORE));
    if (occupied || !existing.is_empty()) && !options.force {
        let hint = if existing.is_empty() {
            "none of its files would be replaced; pass --force to write the starter site into it anyway, or choose a new folder".to_string()
        } else {
            format!(
                "it would replace {}; pass --force to replace them, or choose a new folder",
                existing.join(", ")
            )
        };
        return Err(diagnostics([Diagnostic::error(
            dir,
            "this folder is not empty; sitrep init writes only into a new or empty folder",
        )
        .with_hint(hint)]));
    }
    let mut report = AuthorReport::default();
    for (rel, text) in &files {
        if keep_gitignore && *rel == GITIGNORE {
            report.notes.push(format!(
                "kept the existing {GITIGNORE}: add `/public/` to it so built output is not committed"
            ));
            continue;
        }
        let replaced = existing.contains(rel);
        if replaced {
            remove_for_replace(dir, rel).map_err(|d| diagnostics([d]))?;
        }
        create_file(dir, Path::new(rel), text).map_err(|d| diagnostics([d]))?;
        report.written.push(Written {
            path: PathBuf::from(rel),
            action: if replaced {
                Action::Replaced
            } else {
                Action::Created
            },
        });
    }
    report.notes.extend([
        "sitrep serve      # build, serve on http://127.0.0.1:1111/ and rebuild as you edit"
            .to_string(),
        "sitrep new source ID --title \"…\" --archive archive/ID.txt   # save its text there first"
            .to_string(),
        format!(
            "sitrep new claim {EXAMPLE_FIGURE} --source {EXAMPLE_SOURCE} --value N --qualifier \"at least\" --quote \"…\" --stated-by PARTY"
        ),
        "sitrep check --build   # before publishing: validate, build and check every link"
            .to_string(),
    ]);
    if dir != Path::new(".") {
        let cd = format!("cd {}", shell_word(&dir.display().to_string()));
        let at = report.notes.len() - 4;
        report.notes.insert(at, cd);
    }
    Ok(report)
}

/// Whether `dir` holds anything but hidden entries (`.git`, `.gitignore` …).
fn occupied(dir: &Path) -> Result<bool, Diagnostic> {
    match std::fs::read_dir(dir) {
        Ok(entries) => Ok(entries
            .flatten()
            .any(|e| !e.file_name().to_string_lossy().starts_with('.'))),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(Diagnostic::error(
            dir,
            format!("cannot read this folder: {err}"),
        )),
    }
}

/// Removes a file that `--force` replaces (a folder in its place is refused).
fn remove_for_replace(dir: &Path, rel: &str) -> Result<(), Diagnostic> {
    let path = dir.join(rel);
    if path.is_dir() {
        return Err(
            Diagnostic::error(&path, "a folder is in the place of a starter file")
                .with_hint("move it away; sitrep init never deletes folders"),
        );
    }
    std::fs::remove_file(&path)
        .map_err(|err| Diagnostic::error(&path, format!("cannot replace this file: {err}")))
}

/// A folder name as a shell word (quoted when it holds anything unusual).
fn shell_word(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_quotes_are_verbatim_in_the_example_archive() {
        let archive = crate::validate::normalize_quote(ARCHIVE);
        for line in FIGURE
            .lines()
            .filter_map(|l| l.trim().strip_prefix("quote: "))
        {
            let quote: String = serde_yaml::from_str(line).unwrap();
            assert_eq!(
                super::super::claim::divergence(&archive, &quote),
                None,
                "{quote}"
            );
        }
    }
}
