//! Helpers shared by the integration tests: build a site into a temporary folder, parse
//! its pages, resolve their links the way a browser opening the files would, and make
//! fixture sites from the shipped briefing.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use sitrep::diagnostics::Diagnostics;
use sitrep::pipeline::{BuildOptions, BuildReport, build};
use sitrep::rebuild::{Changes, Rebuilder, Update};
use sitrep::site::Overrides;

/// The repository root: the shipped briefing's site folder.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site folder under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Builds the site at `root` into `out`.
pub fn build_into(root: &Path, out: &Path) -> Result<BuildReport, Diagnostics> {
    build(&BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        ..BuildOptions::default()
    })
}

/// Builds the site at `root` into a fresh temporary folder, panicking with every
/// diagnostic if the build fails.
pub fn build_ok(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("public");
    if let Err(diagnostics) = build_into(root, &out) {
        let all: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        panic!("build of {} failed:\n{}", root.display(), all.join("\n"));
    }
    (dir, out)
}

/// Parses an output page.
pub fn page(out: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"))
}

/// The text of every element matching `css`, whitespace collapsed.
pub fn texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&sel(css)).map(collapsed_text).collect()
}

/// The texts of `css` matches inside one element, whitespace collapsed.
pub fn texts_in(element: &scraper::ElementRef, css: &str) -> Vec<String> {
    element.select(&sel(css)).map(collapsed_text).collect()
}

/// An element's text with runs of whitespace made single spaces.
fn collapsed_text(element: scraper::ElementRef) -> String {
    let text = element.text().collect::<Vec<_>>().join(" ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every HTML file under `out`, relative, `/`-separated.
pub fn html_files(out: &Path) -> Vec<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// Every internal reference (links, stylesheets, scripts, images) of a page: the value
/// as written. External (scheme) and `mailto:` references are left out.
pub fn internal_refs(html: &Html) -> Vec<String> {
    let mut refs = Vec::new();
    for (css, attr) in [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("script[src]", "src"),
        ("img[src]", "src"),
    ] {
        for element in html.select(&sel(css)) {
            let value = element.value().attr(attr).unwrap_or_default();
            let is_external =
                value.contains("://") || value.starts_with("mailto:") || value.starts_with("//");
            if !is_external {
                refs.push(value.to_string());
            }
        }
    }
    refs
}

/// Resolves a relative reference from page `from` (relative to `out`) to a file path
/// relative to `out` and an optional fragment, as a browser opening files would.
pub fn resolve(from: &str, reference: &str) -> (String, Option<String>) {
    let (path, fragment) = match reference.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (reference, None),
    };
    // A query (`search.html?q=…`) names the same file.
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    if path.is_empty() {
        return (from.to_string(), fragment);
    }
    assert!(
        !path.starts_with('/'),
        "root-absolute link {reference} in {from} breaks under a sub-path"
    );
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "{reference} in {from} leaves the site"
                );
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    (parts.join("/"), fragment)
}

/// The ids defined in a page.
pub fn ids(html: &Html) -> BTreeSet<String> {
    html.select(&sel("[id]"))
        .filter_map(|e| e.value().attr("id").map(str::to_owned))
        .collect()
}

/// A fresh temporary folder, removed when dropped.
pub fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("sitrep-{name}-"))
        .tempdir()
        .expect("temporary folder")
}

/// Build options for `root` into `out`, with an optional base URL.
pub fn options(root: &Path, out: &Path, base_url: Option<&str>) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        overrides: Overrides {
            base_url: base_url.map(str::to_string),
            ..Overrides::default()
        },
        ..BuildOptions::default()
    }
}

/// Builds the shipped briefing into `out`, panicking with the diagnostics on failure.
pub fn build_shipped(out: &Path, base_url: Option<&str>) {
    if let Err(diagnostics) = build(&options(&repo_root(), out, base_url)) {
        panic!("the shipped briefing does not build: {diagnostics:?}");
    }
}

/// A copy of the shipped site (site.toml, content/ and the archived source texts) in
/// `dir`, plus the given template overrides.
pub fn fixture_site(dir: &Path, templates: &[(&str, &str)]) {
    let repo = repo_root();
    std::fs::copy(repo.join("site.toml"), dir.join("site.toml")).unwrap();
    for folder in ["content", "archive"] {
        copy_tree(&repo.join(folder), &dir.join(folder));
    }
    for (name, text) in templates {
        let path = dir.join("templates").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// Copies the shipped briefing's content, archives, templates and theme (not `site.toml`)
/// into `root`.
pub fn copy_briefing(root: &Path) {
    let repo = repo_root();
    for item in ["content", "archive", "templates", "themes"] {
        copy_tree(&repo.join(item), &root.join(item));
    }
}

/// A copy of the shipped briefing in a temporary folder, with the `site.toml` given, beside
/// a folder for a rebuilder's output (`out`) and one for clean builds to compare it with.
pub struct BriefingCopy {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    pub out: PathBuf,
    pub clean: PathBuf,
}

impl BriefingCopy {
    pub fn new(name: &str, config: &str) -> BriefingCopy {
        let dir = temp_dir(name);
        let root = dir.path().join("site");
        copy_briefing(&root);
        std::fs::write(root.join("site.toml"), config).unwrap();
        BriefingCopy {
            out: dir.path().join("served"),
            clean: dir.path().join("clean"),
            root,
            _dir: dir,
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap();
    }

    /// Every file under `folder` (relative to the site root, sorted).
    pub fn files(&self, folder: &str) -> Vec<String> {
        (files(&self.path(folder)).into_iter())
            .map(|p| format!("{folder}/{}", p.display()))
            .collect()
    }

    /// What a clean build of the current files writes, or `None` when it fails.
    pub fn clean_build(&self) -> Option<BTreeMap<PathBuf, Vec<u8>>> {
        let _ = std::fs::remove_dir_all(&self.clean);
        let report = build(&BuildOptions {
            root: self.root.clone(),
            out: Some(self.clean.clone()),
            ..BuildOptions::default()
        });
        report.ok().map(|_| snapshot(&self.clean))
    }

    /// A rebuilder of the copy into `out`, after its first (whole) build.
    pub fn rebuilder(&self) -> Rebuilder {
        let mut rebuilder =
            Rebuilder::new(&self.root, Some(&self.out), Overrides::default(), false);
        let first = rebuilder.rebuild(&Changes::everything());
        assert!(first.result.is_ok(), "{:?}", first.result);
        rebuilder
    }

    /// Rebuilds after an edit of `rel` (a content file), as the watcher reports it.
    pub fn rebuild_after(&self, rebuilder: &mut Rebuilder, rel: &str) -> Update {
        let mut changes = Changes::default();
        changes.add(&self.root, &self.path(rel));
        let outcome = rebuilder.rebuild(&changes);
        outcome.result.expect("the rebuild succeeds")
    }

    /// Asserts the rebuilder's output is a clean build's, byte for byte; returns it.
    pub fn assert_clean(&self, what: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        let served = snapshot(&self.out);
        let clean = (self.clean_build()).expect("a clean build succeeds");
        let differ: Vec<_> = (served.keys().chain(clean.keys()))
            .filter(|p| served.get(*p) != clean.get(*p))
            .collect();
        assert!(
            differ.is_empty(),
            "{what}: differs from a clean build: {differ:?}"
        );
        served
    }
}

/// Copies a folder recursively (without `expected` files of bad-input cases).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_name() != "expected" {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Replaces the first `from` in the file at `path` with `to`; `from` must be there.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Splits the listings of the site at `root` (a copy of the shipped briefing) into pages of
/// `page_size`, and spreads its incidents over months: five incidents dated Saturday get
/// calendar dates in February and April 2025 and one a day without a year; Sunday is
/// anchored to 2 March 2025 (`[dates]`), so the claims stated on Sunday fall in March. The
/// other incidents (Saturday, Friday, unknown) have no known month.
pub fn spread_over_months(root: &Path, page_size: usize) {
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let added =
        format!("\n[listings]\npage_size = {page_size}\n\n[dates]\nSunday = \"2025-03-02\"\n");
    std::fs::write(root.join("site.toml"), format!("{config}{added}")).unwrap();
    let dates = [
        "2025-02-14",
        "2025-04",
        "2025-04-20",
        "--05-01",
        "2025-02-28",
    ];
    let incidents = files(&root.join("content/incidents"));
    let read =
        |f: &PathBuf| std::fs::read_to_string(root.join("content/incidents").join(f)).unwrap();
    let dated = incidents
        .iter()
        .filter(|f| read(f).contains("on: Saturday"));
    for (file, date) in dated.zip(dates) {
        edit(
            &root.join("content/incidents").join(file),
            "on: Saturday",
            &format!("on: {date}"),
        );
    }
}
