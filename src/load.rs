//! Loading: find the content files of a site and parse each into the model.
//!
//! Discovery walks `content/` with walkdir and classifies files by where they sit. Parsing
//! is per file and pure (text in, model item and diagnostics out), so files load in
//! parallel and `sitrep serve` can re-parse only the files that changed. Files are read
//! into the input types of `input.rs` (what a file may contain), then made model items.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Body};
use crate::model::{
    Briefing, FailedFile, Figure, Incident, MarkdownText, Origin, Page, Party, Source, TextOnDisk,
    is_safe_slug, slugify,
};

mod input;

use crate::read;
use crate::yaml::{Seg, YamlDoc};
use input::{FigureYaml, FileParts, IncidentYaml, PageYaml, PartyYaml, SourceYaml};

/// The folder holding a site's content, under the site root.
pub const CONTENT_DIR: &str = "content";

/// What a content file is, decided by its place in `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Parties,
    Source,
    Incident,
    Figure,
    Page,
}

/// One parsed content file.
#[derive(Debug, Clone)]
pub enum Loaded {
    Parties(Vec<Party>),
    Source(Box<Source>),
    Incident(Box<Incident>),
    Figure(Box<Figure>),
    Page(Box<Page>),
    /// The file had errors; they are in the diagnostics.
    Failed,
}

/// A parsed file with the diagnostics its parsing produced.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub path: PathBuf,
    pub item: Loaded,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lists the content files of the site at `root` with their kinds, sorted by path.
/// Files that sitrep does not use produce a warning, except hidden and editor files.
/// Symbolic links are followed when their target is inside the site folder; one that
/// leads outside it, loops or leads nowhere is an error, never silently skipped.
pub fn discover(root: &Path, diagnostics: &mut Diagnostics) -> Vec<(PathBuf, FileKind)> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(CONTENT_DIR, "the site has no content folder")
                .with_hint("create `content/` with sources/, incidents/ and figures/ (see docs/content-format.md)"),
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    for path in read::files_in(root, &content, diagnostics) {
        let rel = relative(root, &path);
        match classify(&rel) {
            Some(kind) => files.push((rel, kind)),
            None => diagnostics.push(
                Diagnostic::warning(&rel, "this file is not used by sitrep and is ignored")
                    .with_hint("sources are content/sources/*.yaml, incidents content/incidents/*.md, figures content/figures/*.yaml, pages content/*.md"),
            ),
        }
    }
    files
}

pub use crate::read::is_ignored_name;

/// The kind of a content file from its path relative to the site root.
pub fn classify(rel: &Path) -> Option<FileKind> {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
    match parts.as_slice() {
        [CONTENT_DIR, "parties.yaml"] => Some(FileKind::Parties),
        [CONTENT_DIR, _] if ext == "md" => Some(FileKind::Page),
        [CONTENT_DIR, "sources", .., _] if ext == "yaml" => Some(FileKind::Source),
        [CONTENT_DIR, "incidents", .., _] if ext == "md" => Some(FileKind::Incident),
        [CONTENT_DIR, "figures", .., _] if ext == "yaml" => Some(FileKind::Figure),
        _ => None,
    }
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Reads and parses every file, in parallel; none may be larger than `max_size` bytes.
pub fn load_all(root: &Path, files: &[(PathBuf, FileKind)], max_size: u64) -> Vec<LoadedFile> {
    files
        .par_iter()
        .map(|(rel, kind)| load_file(root, rel, *kind, max_size))
        .collect()
}

/// How many bytes of incident files a build keeps in memory from loading to rendering;
/// the bodies of the others are read again by their page and by the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptText(pub usize);

impl Default for KeptText {
    /// 64 MiB: every file of a 10,000-incident briefing (54 MB), which saves reading 20,000
    /// files again (4% of its build), and a 15th of a 100,000-incident one, whose files are
    /// more than the build could hold beside its pages.
    fn default() -> KeptText {
        KeptText(64 << 20)
    }
}

/// [`load_all`] for a build, which does not hold every content file's text from loading
/// to rendering: each incident body is scanned as soon as its file is parsed (the scan is
/// returned beside the file); figures and sources keep no text, and incidents none once
/// `kept` bytes of them are kept, only where to read it again (`Origin::on_disk`, for
/// diagnostics and the bodies' readers; such an incident's body is empty). At 100,000
/// incidents this is over 600 MB the build never holds at once. Which incidents keep
/// their text depends on the order the threads load them in; the output does not.
pub fn load_all_for_build(
    root: &Path,
    files: &[(PathBuf, FileKind)],
    max_size: u64,
    kept: KeptText,
) -> Vec<(LoadedFile, Option<Body>)> {
    let held = AtomicUsize::new(0);
    let keep = |len: usize| held.fetch_add(len, Ordering::Relaxed) + len <= kept.0;
    files
        .par_iter()
        .map(|(rel, kind)| {
            let mut file = load_file(root, rel, *kind, max_size);
            let scanned = match &mut file.item {
                Loaded::Incident(incident) => {
                    let scanned = markdown::scan(&incident.body);
                    if !keep(incident.origin.text.len()) {
                        incident.body = MarkdownText::default();
                        leave_on_disk(root, &mut incident.origin);
                    }
                    Some(scanned)
                }
                Loaded::Figure(figure) => {
                    leave_on_disk(root, &mut figure.origin);
                    None
                }
                Loaded::Source(source) => {
                    leave_on_disk(root, &mut source.origin);
                    None
                }
                _ => None,
            };
            (file, scanned)
        })
        .collect()
}

/// Lets go of `origin`'s text, keeping where to read it again.
fn leave_on_disk(root: &Path, origin: &mut Origin) {
    let on_disk = TextOnDisk::of(root.join(&origin.file), &origin.text);
    origin.text = Arc::from("");
    origin.on_disk = Some(Arc::new(on_disk));
}

/// Reads one file (at most `max_size` bytes) and parses it.
pub fn load_file(root: &Path, rel: &Path, kind: FileKind, max_size: u64) -> LoadedFile {
    match read::read_text(&root.join(rel), max_size) {
        Ok(text) => parse_file(rel, kind, Arc::from(text)),
        Err(err) => LoadedFile {
            path: rel.to_path_buf(),
            item: Loaded::Failed,
            diagnostics: vec![err.diagnostic(rel).while_reading()],
        },
    }
}

/// Parses the text of one content file.
pub fn parse_file(rel: &Path, kind: FileKind, text: Arc<str>) -> LoadedFile {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => Arc::from(rest),
        None => text,
    };
    let mut diagnostics = Diagnostics::default();
    let origin = Origin {
        file: rel.to_path_buf(),
        text: text.clone(),
        on_disk: None,
    };
    let id = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if kind != FileKind::Parties && !is_safe_slug(&id) {
        diagnostics.push(
            Diagnostic::error(rel, format!("`{id}` is not a safe id"))
                .with_hint(format!(
                    "ids come from file names and may use only lowercase letters, digits, - and _; rename the file to `{}`",
                    slugify(&id)
                )),
        );
    }
    let item = match kind {
        FileKind::Parties => parse_parties(rel, &text, &mut diagnostics),
        FileKind::Source => parse_item::<SourceYaml>(id, origin, &mut diagnostics),
        FileKind::Figure => parse_item::<FigureYaml>(id, origin, &mut diagnostics),
        FileKind::Incident => parse_item::<IncidentYaml>(id, origin, &mut diagnostics),
        FileKind::Page => parse_item::<PageYaml>(id, origin, &mut diagnostics),
    };
    let item = if diagnostics.has_errors() {
        Loaded::Failed
    } else {
        item.unwrap_or(Loaded::Failed)
    };
    LoadedFile {
        path: rel.to_path_buf(),
        item,
        diagnostics: diagnostics
            .into_iter()
            .map(Diagnostic::while_reading)
            .collect(),
    }
}

/// A content item of its own file (a source, a figure, an incident, a page), as the file
/// holds it: parsed from YAML, or from a Markdown file's front matter with the rest as its
/// body, then made into the model's item.
trait ContentItem: serde::de::DeserializeOwned {
    /// Whether the file is Markdown with front matter.
    const MARKDOWN: bool;
    /// The model's item: these fields with the file's id, origin and body.
    fn loaded(self, file: FileParts) -> Loaded;
}

/// Parses the file of id `id` from `origin` as an item of kind `T`.
fn parse_item<T: ContentItem>(
    id: String,
    origin: Origin,
    diagnostics: &mut Diagnostics,
) -> Option<Loaded> {
    let (rel, text) = (&origin.file, &origin.text);
    let (item, body_offset) = match T::MARKDOWN {
        true => parse_front_matter::<T>(rel, text, diagnostics)?,
        false => (parse_yaml_item::<T>(rel, text, diagnostics)?, 0),
    };
    let body = match T::MARKDOWN {
        true => MarkdownText::new(text.clone(), body_offset),
        false => MarkdownText::default(),
    };
    let file = FileParts {
        id,
        origin,
        body,
        body_offset,
    };
    Some(item.loaded(file))
}

impl ContentItem for SourceYaml {
    const MARKDOWN: bool = false;
    fn loaded(self, file: FileParts) -> Loaded {
        Loaded::Source(Box::new(self.into_source(file)))
    }
}

impl ContentItem for FigureYaml {
    const MARKDOWN: bool = false;
    fn loaded(self, file: FileParts) -> Loaded {
        Loaded::Figure(Box::new(self.into_figure(file)))
    }
}

impl ContentItem for IncidentYaml {
    const MARKDOWN: bool = true;
    fn loaded(self, file: FileParts) -> Loaded {
        Loaded::Incident(Box::new(self.into_incident(file)))
    }
}

impl ContentItem for PageYaml {
    const MARKDOWN: bool = true;
    fn loaded(self, file: FileParts) -> Loaded {
        Loaded::Page(Box::new(self.into_page(file)))
    }
}

fn parse_yaml_item<T: serde::de::DeserializeOwned>(
    rel: &Path,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    let doc = match YamlDoc::parse(rel, text, text, 0) {
        Ok(doc) => doc,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    if !doc.value.is_mapping() {
        diagnostics.push(
            doc.error_at(
                &[],
                "expected a mapping of fields (`label: …`, `claims: …`)",
            )
            .with_hint("see docs/content-format.md for the fields of this kind of file"),
        );
        return None;
    }
    doc.deserialize(&doc.value, &[], diagnostics)
}

fn parse_parties(rel: &Path, text: &str, diagnostics: &mut Diagnostics) -> Option<Loaded> {
    let doc = match YamlDoc::parse(rel, text, text, 0) {
        Ok(doc) => doc,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    let Value::Mapping(map) = &doc.value else {
        if doc.value.is_null() {
            return Some(Loaded::Parties(Vec::new()));
        }
        diagnostics.push(
            doc.error_at(&[], "parties.yaml must map party ids to parties")
                .with_hint(
                    "for example `pakistan-military: {name: Pakistan military, kind: military}`",
                ),
        );
        return None;
    };
    let mut parties = Vec::new();
    for (key, value) in map {
        let Some(id) = key.as_str() else {
            diagnostics.push(doc.error_at(&[], "party ids must be strings"));
            continue;
        };
        let path = [Seg::Key(id.to_string())];
        if !is_safe_slug(id) {
            diagnostics.push(
                doc.error_at_key(&path, format!("`{id}` is not a safe id"))
                    .with_hint(format!(
                        "use lowercase letters, digits, - and _, e.g. `{}`",
                        slugify(id)
                    )),
            );
            continue;
        }
        if let Some(party) = doc.deserialize::<PartyYaml>(value, &path, diagnostics) {
            parties.push(party.into_party(id.to_string()));
        }
    }
    Some(Loaded::Parties(parties))
}

/// Splits `---`-delimited YAML front matter from the Markdown body and parses it.
/// Returns the item and the byte offset where the body starts.
fn parse_front_matter<T: serde::de::DeserializeOwned>(
    rel: &Path,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Option<(T, usize)> {
    let Some((yaml, body_offset)) = split_front_matter(text) else {
        diagnostics.push(front_matter_error(rel, text));
        return None;
    };
    let doc = match YamlDoc::parse(rel, text, yaml, 1) {
        Ok(doc) => doc,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    if !doc.value.is_mapping() {
        diagnostics.push(
            doc.error_at(&[], "the front matter must be a mapping of fields")
                .with_hint("for example `title: Prison attack in Mastung`"),
        );
        return None;
    }
    doc.deserialize(&doc.value, &[], diagnostics)
        .map(|item| (item, body_offset))
}

/// Why [`split_front_matter`] found no front matter: none at all, or an opening `---`
/// that is never closed.
fn front_matter_error(rel: &Path, text: &str) -> Diagnostic {
    let opened = text.starts_with("---\n") || text.starts_with("---\r\n");
    if opened {
        Diagnostic::error(
            rel,
            "the front matter is not closed: no line `---` after the opening one",
        )
        .at(text, 1, 1)
        .with_span_len(3)
        .with_hint("add a line `---` after the last YAML field, then the Markdown")
    } else {
        Diagnostic::error(rel, "missing front matter")
            .at(text, 1, 1)
            .with_hint("start the file with a line `---`, the YAML fields, then another line `---` before the Markdown")
    }
}

/// Returns the front matter YAML and the offset of the body, if the text has front matter.
pub fn split_front_matter(text: &str) -> Option<(&str, usize)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let start = text.len() - rest.len();
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            return Some((yaml, start + offset + line.len()));
        }
        offset += line.len();
    }
    None
}

/// What a file that failed to load would have defined, so references to it can be told
/// apart from typos (see `validate`).
fn failed_file(path: &Path) -> Option<FailedFile> {
    let kind = match classify(path)? {
        FileKind::Parties => "party",
        FileKind::Source => "source",
        FileKind::Incident => "incident",
        FileKind::Figure => "figure",
        FileKind::Page => "page",
    };
    let id = path.file_stem()?.to_string_lossy().into_owned();
    Some(FailedFile {
        kind,
        id,
        file: path.to_path_buf(),
    })
}

/// Puts parsed files together into a briefing, sorted by id.
pub fn assemble<'a>(files: impl IntoIterator<Item = &'a LoadedFile>) -> Briefing {
    let mut briefing = Briefing::default();
    for file in files {
        match &file.item {
            Loaded::Parties(parties) => briefing.parties.extend(parties.iter().cloned()),
            Loaded::Source(s) => briefing.sources.push((**s).clone()),
            Loaded::Incident(i) => briefing.incidents.push((**i).clone()),
            Loaded::Figure(f) => briefing.figures.push((**f).clone()),
            Loaded::Page(p) => briefing.pages.push((**p).clone()),
            Loaded::Failed => briefing.failed.extend(failed_file(&file.path)),
        }
    }
    sort(&mut briefing);
    briefing
}

/// [`assemble`], moving the items out of `files` rather than copying them (a build keeps
/// no parsed file beside the briefing).
pub fn assemble_owned(files: impl IntoIterator<Item = LoadedFile>) -> Briefing {
    let mut briefing = Briefing::default();
    for file in files {
        match file.item {
            Loaded::Parties(parties) => briefing.parties.extend(parties),
            Loaded::Source(s) => briefing.sources.push(*s),
            Loaded::Incident(i) => briefing.incidents.push(*i),
            Loaded::Figure(f) => briefing.figures.push(*f),
            Loaded::Page(p) => briefing.pages.push(*p),
            Loaded::Failed => briefing.failed.extend(failed_file(&file.path)),
        }
    }
    sort(&mut briefing);
    briefing
}

/// Sorts each collection of `briefing` by id, and gives back the room left over from
/// growing it (a quarter of the incidents' vector, on average).
fn sort(briefing: &mut Briefing) {
    briefing.parties.sort_by(|a, b| a.id.cmp(&b.id));
    briefing.sources.sort_by(|a, b| a.id.cmp(&b.id));
    briefing.incidents.sort_by(|a, b| a.id.cmp(&b.id));
    briefing.figures.sort_by(|a, b| a.id.cmp(&b.id));
    briefing.pages.sort_by(|a, b| a.id.cmp(&b.id));
    briefing.sources.shrink_to_fit();
    briefing.incidents.shrink_to_fit();
    briefing.figures.shrink_to_fit();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_place() {
        assert_eq!(
            classify(Path::new("content/index.md")),
            Some(FileKind::Page)
        );
        assert_eq!(
            classify(Path::new("content/incidents/a.md")),
            Some(FileKind::Incident)
        );
        assert_eq!(
            classify(Path::new("content/figures/x.yaml")),
            Some(FileKind::Figure)
        );
        assert_eq!(classify(Path::new("content/figures/x.yml")), None);
        assert_eq!(
            classify(Path::new("content/parties.yaml")),
            Some(FileKind::Parties)
        );
    }

    #[test]
    fn front_matter_splits_and_reports_body_offset() {
        let text = "---\ntitle: A\n---\nBody\n";
        let (yaml, offset) = split_front_matter(text).unwrap();
        assert_eq!(yaml, "title: A\n");
        assert_eq!(&text[offset..], "Body\n");
        assert!(split_front_matter("title: A\n").is_none());
    }

    #[test]
    fn incident_errors_point_into_the_front_matter() {
        let text = "---\ntitle: A\ndate: Satday\nplace: {country: X}\ncategory: c\noutcome: repelled\nsources: []\n---\nBody\n";
        let loaded = parse_file(
            Path::new("content/incidents/a.md"),
            FileKind::Incident,
            Arc::from(text),
        );
        assert!(matches!(loaded.item, Loaded::Failed));
        let d = &loaded.diagnostics[0];
        assert_eq!(d.line, 3, "{d:?}");
        assert!(d.message.contains("`Satday` is not a date"), "{d:?}");
    }

    #[test]
    fn unsafe_file_names_are_errors() {
        let loaded = parse_file(
            Path::new("content/sources/Bad Name.yaml"),
            FileKind::Source,
            Arc::from("title: x"),
        );
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.message.contains("not a safe id"))
        );
    }
}
