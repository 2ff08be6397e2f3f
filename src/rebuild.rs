//! Incremental rebuilds for `sitrep serve`: everything that makes a rebuild after an edit
//! cheap lives here, so the rest of the pipeline stays the plain one `sitrep build` runs.
//!
//! A [`Rebuilder`] keeps what earlier builds produced and redoes as little as is sound:
//!
//! 1. **Parse only changed files.** It keeps every content file's parse result
//!    ([`LoadedFile`]). After an edit it lists `content/` again (cheap: names only) and
//!    re-reads only the files the watcher reported, files it has not seen, and everything
//!    under a reported folder. `site.toml`, templates and the theme are re-read when touched.
//! 2. **Patch the kept site** when only existing incident and figure files were edited
//!    ([`Rebuilder::patch`]): the edited items are re-parsed, scanned, validated and
//!    analysed on their own and swapped into the site the output was rendered from; the
//!    checks between figures re-run only when an edited figure is in a `sum_of`/`within`
//!    relation; the output files to re-render follow from each old and new item. The values
//!    pages share and the rows of the site-wide listings (matrix, timeline, incident lists,
//!    data files; see `render::rows`) are kept with the site and those of the edited items
//!    forgotten, so a listing of thousands of items is put together again from kept rows.
//!    Cost is O(edited items) plus rendering and writing the files that changed. Anything
//!    else (and any diagnostic) takes steps 3–5.
//! 3. **Reuse expensive work** through [`site::Reuse`]: a body's scan (citations, first
//!    paragraph) is kept while its file is unchanged; an archive's normalised text is kept
//!    while the archive's size and modification time are unchanged. Everything else (model,
//!    validation, analysis, indexes) is recomputed: it is fast, and recomputing it is what
//!    makes the result trustworthy.
//! 4. **Re-render only affected files.** [`affected`] compares the new site with the site
//!    the output was last rendered from, item by item, and lists the output files whose
//!    inputs differ. Anything it does not model precisely (config, templates, navigation,
//!    sources, parties, added or removed files, changed counts) re-renders everything.
//! 5. **Write only changed bytes.** Each rendered file is compared with what this process
//!    wrote (by length, then by hash; see [`Stamp`]) and, if it differs, staged beside its
//!    target as soon as it is rendered. Once every file rendered the staged files replace
//!    their targets, each through a rename, and files a full render no longer produces are
//!    deleted. Nothing in the output changes unless every file rendered.
//!
//! The invariant: after every successful rebuild the output folder holds exactly what a
//! clean `sitrep build` of the same inputs would write. The serve tests check it after
//! random edit sequences.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::analyse::{self, Analysis, Check, FigureAnalysis};
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, CONTENT_DIR, FileKind, Loaded, LoadedFile};
use crate::markdown::{self, Body};
use crate::model::{Briefing, Figure, Incident, Origin};
use crate::pipeline;
use crate::read::ReadError;
use crate::render::templates::{self, TEMPLATES_DIR, THEMES_DIR, Templates};
use crate::render::{self, Globals, Job, OutputSink, feeds};
use crate::site::{self, Index, Overrides, Reuse, Site};
use crate::validate::{self, QuoteStatus};
use crate::write::place::{self, OutputPlace};
use crate::write::{self, DirSink};

/// What a batch of file-system events touched, as paths relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `site.toml` changed.
    pub config: bool,
    /// Something under `templates/` changed.
    pub templates: bool,
    /// Something under `themes/` changed.
    pub theme: bool,
    /// Content files or folders that were created, modified, removed or renamed.
    pub content: BTreeSet<PathBuf>,
    /// Archived source texts that changed (absolute paths; they may lie outside the site).
    pub archives: BTreeSet<PathBuf>,
    /// Re-read everything (the first build, or the watcher lost events).
    pub everything: bool,
}

impl Changes {
    /// Everything is to be re-read.
    pub fn everything() -> Changes {
        Changes {
            everything: true,
            ..Changes::default()
        }
    }

    /// Notes a changed path (absolute, or relative to `root`). Paths that are not inputs of
    /// the site (the output folder, hidden and editor files …) are ignored; returns whether
    /// the path was an input.
    pub fn add(&mut self, root: &Path, path: &Path) -> bool {
        let rel = path.strip_prefix(root).unwrap_or(path);
        if rel.is_absolute() || rel.as_os_str().is_empty() {
            return false;
        }
        let names: Vec<String> = rel
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        if names.iter().any(|n| load::is_ignored_name(n) || n == "..") {
            return false;
        }
        match names[0].as_str() {
            CONFIG_FILE if names.len() == 1 => self.config = true,
            CONTENT_DIR => {
                self.content.insert(rel.to_path_buf());
            }
            TEMPLATES_DIR => self.templates = true,
            THEMES_DIR => self.theme = true,
            _ => return false,
        }
        true
    }

    /// Notes a changed archive file (see [`Rebuilder::archive_files`]).
    pub fn add_archive(&mut self, path: &Path) {
        self.archives.insert(path.to_path_buf());
    }

    /// Adds everything `other` touched.
    pub fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.templates |= other.templates;
        self.theme |= other.theme;
        self.everything |= other.everything;
        self.content.extend(other.content);
        self.archives.extend(other.archives);
    }

    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// What changed, for the terminal: "content/incidents/a.md, site.toml".
    pub fn describe(&self) -> String {
        if self.everything {
            return "everything".into();
        }
        let mut parts: Vec<String> = Vec::new();
        if self.config {
            parts.push(CONFIG_FILE.into());
        }
        if self.templates {
            parts.push(format!("{TEMPLATES_DIR}/"));
        }
        if self.theme {
            parts.push(format!("{THEMES_DIR}/"));
        }
        const SHOWN: usize = 3;
        let paths = self.content.iter().chain(&self.archives);
        parts.extend(paths.take(SHOWN).map(|p| p.display().to_string()));
        let count = self.content.len() + self.archives.len();
        if count > SHOWN {
            parts.push(format!("{} more", count - SHOWN));
        }
        parts.join(", ")
    }
}

/// What a successful rebuild did to the output folder.
#[derive(Debug, Clone, Default)]
pub struct Update {
    /// Whether every output file was rendered (rather than only the affected ones).
    pub full: bool,
    /// Why everything was rendered, when it was.
    pub full_reason: Option<&'static str>,
    /// HTML pages rendered.
    pub pages: usize,
    /// Files rendered, pages included.
    pub files: usize,
    /// Output paths whose bytes changed and were written, sorted.
    pub written: Vec<String>,
    /// Output paths deleted because the site no longer produces them, sorted.
    pub deleted: Vec<String>,
}

impl Update {
    /// Whether the output folder changed.
    pub fn changed_output(&self) -> bool {
        !self.written.is_empty() || !self.deleted.is_empty()
    }
}

/// The result of one rebuild.
#[derive(Debug)]
pub struct Outcome {
    /// The output update, or every diagnostic when the site has errors (the output is then
    /// left as it was).
    pub result: Result<Update, Diagnostics>,
    /// Warnings of a successful rebuild.
    pub warnings: Diagnostics,
    pub elapsed: Duration,
}

/// Keeps a site's parsed files, caches and last rendered state between rebuilds.
pub struct Rebuilder {
    root: PathBuf,
    overrides: Overrides,
    config: Result<Config, Diagnostic>,
    templates: Option<Templates>,
    template_diagnostics: Vec<Diagnostic>,
    theme: Vec<(String, Vec<u8>)>,
    theme_diagnostics: Vec<Diagnostic>,
    /// Problems found while listing `content/` (unused files, unreadable folders).
    discover_diagnostics: Vec<Diagnostic>,
    /// Every content file's parse result, by path relative to the root.
    files: BTreeMap<PathBuf, LoadedFile>,
    caches: Caches,
    output: Output,
    /// Where the output goes, and whether sitrep may write there.
    place: OutputPlace,
    /// The site the output folder was last rendered from, and what patching it needs.
    last: Option<Last>,
    /// Config or templates changed (or a write failed) since the last render: the next
    /// render must re-render everything.
    full_pending: bool,
}

impl Rebuilder {
    /// A rebuilder for the site at `root` writing into `out` (`site.toml`'s `output` when
    /// `None`); `force` adopts an output folder sitrep did not write. Nothing is read
    /// beyond `site.toml` until the first [`Rebuilder::rebuild`].
    pub fn new(root: &Path, out: Option<&Path>, overrides: Overrides, force: bool) -> Rebuilder {
        let config = site::load_config(root, &overrides);
        let place = OutputPlace {
            dir: write::absolute(&match out {
                Some(out) => out.to_path_buf(),
                None => root.join(configured_output(&config)),
            }),
            from_config: out.is_none(),
            force,
        };
        Rebuilder {
            root: root.to_path_buf(),
            overrides,
            config,
            templates: None,
            template_diagnostics: Vec::new(),
            theme: Vec::new(),
            theme_diagnostics: Vec::new(),
            discover_diagnostics: Vec::new(),
            files: BTreeMap::new(),
            caches: Caches::default(),
            output: Output::new(place.dir.clone()),
            place,
            last: None,
            full_pending: true,
        }
    }

    /// A fresh rebuilder for the same site and output (after a rebuild panicked).
    pub fn restarted(&self) -> Rebuilder {
        let out = (!self.place.from_config).then_some(self.place.dir.as_path());
        Rebuilder::new(&self.root, out, self.overrides.clone(), self.place.force)
    }

    /// Whether sitrep may write into the output folder at all (see [`place`]), judged
    /// before the first build from what is known without reading content.
    pub fn check_place(&self) -> Result<(), Diagnostic> {
        place::check_apart(&self.root, &self.place, &place::inputs(&self.root, []))?;
        place::check_owned(&self.root, &self.place)
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The archive files the sources name (absolute; as far as they exist, with symbolic
    /// links and `..` resolved), for the watcher: archives are inputs, also outside the site.
    pub fn archive_files(&self) -> BTreeSet<PathBuf> {
        (self.files.values())
            .filter_map(|file| match &file.item {
                Loaded::Source(source) => source.archive.as_deref(),
                _ => None,
            })
            .map(|path| {
                let full = self.root.join(path);
                std::fs::canonicalize(&full).unwrap_or(full)
            })
            .collect()
    }

    /// The output folder.
    pub fn out(&self) -> &Path {
        self.output.sink.dir()
    }

    /// Re-reads what `changes` touched, rebuilds, and updates the output folder.
    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        let started = Instant::now();
        let mut warnings = Diagnostics::default();
        let result = self.rebuild_inner(changes, &mut warnings);
        Outcome {
            result,
            warnings,
            elapsed: started.elapsed(),
        }
    }

    fn rebuild_inner(
        &mut self,
        changes: &Changes,
        warnings: &mut Diagnostics,
    ) -> Result<Update, Diagnostics> {
        if let Some(result) = self.patch(changes, warnings) {
            return result;
        }
        let all = changes.everything;
        if all || changes.config {
            self.config = site::load_config(&self.root, &self.overrides);
            self.follow_configured_output();
            self.full_pending = true;
        }
        if all || changes.templates || changes.config || self.templates.is_none() {
            let mut found = Diagnostics::default();
            self.templates = Templates::load(&self.root, self.max_file_size(), &mut found);
            self.template_diagnostics = found.into_vec();
            self.full_pending = true;
        }
        if all || changes.theme || changes.config {
            let mut found = Diagnostics::default();
            self.theme = match &self.config {
                Ok(config) => templates::theme_files(&self.root, config, &mut found),
                Err(_) => templates::builtin_theme(),
            };
            self.theme_diagnostics = found.into_vec();
        }
        if all || !changes.content.is_empty() {
            self.refresh_content(&changes.content, all);
        }
        // Read changed archives anew, even if their size and modification time are the same.
        self.caches.forget_archives(&changes.archives);

        let mut diagnostics = Diagnostics::default();
        if let Err(d) = &self.config {
            diagnostics.push(d.clone().while_reading());
        }
        diagnostics.extend(self.discover_diagnostics.iter().cloned());
        diagnostics.extend(self.template_diagnostics.iter().cloned());
        diagnostics.extend(self.theme_diagnostics.iter().cloned());
        let site = match &self.config {
            Ok(config) => site::assemble_with(
                &self.root,
                config.clone(),
                self.files.values(),
                &self.caches,
                &mut diagnostics,
            ),
            Err(_) => None,
        };
        self.caches.forget_all_but(&self.files);
        if let Some(site) = &site {
            diagnostics.extend(pipeline::check_place(site, &self.place, true).err());
        }
        diagnostics.sort();
        let (Some(site), Some(templates), false) =
            (site, &self.templates, diagnostics.has_errors())
        else {
            return Err(diagnostics);
        };

        // With the theme: 404.html inlines the stylesheet, so a CSS edit re-renders it.
        let globals = Globals::new(&site).with_theme(&self.theme).keeping_rows();
        let plan = match (&self.last, self.full_pending) {
            (Some(last), false) => affected(&last.site, &last.globals, &site, &globals),
            _ => Plan::All("first build, or config or templates changed"),
        };
        let (jobs, full_reason) = match plan {
            Plan::All(reason) => (render::pages(&site), Some(reason)),
            Plan::Jobs(jobs) => (jobs.into_iter().collect(), None),
        };
        let update = self
            .output
            .update(&site, templates, &self.theme, &globals, &jobs, full_reason)
            .inspect_err(|_| self.full_pending = true)?;
        self.full_pending = false;
        let archives = validate::archives(&site.briefing, &|path| {
            self.caches.archive(&self.root, path, self.max_file_size())
        });
        self.last = Some(Last {
            failed_checks: site::check_warnings(&site.briefing, &site.analysis),
            uncited: uncited_warnings(&site),
            site,
            globals,
            archives,
            warnings: diagnostics.clone(),
        });
        *warnings = diagnostics;
        Ok(update)
    }

    /// The fast path: when only existing incident and figure files were edited, patches
    /// the kept site in place instead of assembling a new one. Returns `None` (having
    /// changed nothing but parsed files) when the edit needs the full path: anything but
    /// incident and figure files changed, a file has diagnostics (then the full path
    /// reports them exactly), or an archive changed.
    ///
    /// Sound because every stage is per item once the sets of ids, the sources and the
    /// parties are fixed: an edited incident or figure is re-parsed, its body re-rendered,
    /// validated and analysed on its own; the checks between figures are re-run when the
    /// edit touches a figure in a `sum_of`/`within` relation; the indexes are patched; the
    /// output files to re-render follow from the old and new item exactly as [`affected`]
    /// would find them by comparing whole sites.
    fn patch(
        &mut self,
        changes: &Changes,
        warnings: &mut Diagnostics,
    ) -> Option<Result<Update, Diagnostics>> {
        if changes.everything
            || changes.config
            || changes.templates
            || changes.theme
            || changes.content.is_empty()
            || !changes.archives.is_empty()
            || self.full_pending
        {
            return None;
        }
        let templates = self.templates.as_ref()?;
        let last = self.last.as_ref()?;
        let site = &last.site;
        let b = &site.briefing;

        // 1. Re-parse the edited files; each must be a known incident or figure file that
        //    stays one and has no diagnostics before or after.
        let mut edits = Vec::new();
        for path in &changes.content {
            let old = self.files.get(path)?;
            let kind = match old.item {
                Loaded::Incident(_) => FileKind::Incident,
                Loaded::Figure(_) => FileKind::Figure,
                _ => return None,
            };
            let is_file =
                std::fs::symlink_metadata(self.root.join(path)).is_ok_and(|m| m.is_file());
            if !is_file
                || !old.diagnostics.is_empty()
                || last.warnings.iter().any(|d| &d.file == path)
            {
                return None;
            }
            let new = load::load_file(&self.root, path, kind, self.max_file_size());
            if !new.diagnostics.is_empty() {
                return None;
            }
            edits.push(new);
        }
        // 2. Archives are read from outside `content/` too: any change takes the full path.
        // Meanwhile, the id lookups that validating the new items needs are built.
        let (archives, check) = rayon::join(
            || {
                validate::archives(b, &|path| {
                    self.caches.archive(&self.root, path, self.max_file_size())
                })
            },
            || validate::ItemCheck::new(b, &site.analysis.wordings),
        );
        let same_archive = |(a, b): (&Option<Arc<str>>, &Option<Arc<str>>)| match (a, b) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !archives.iter().zip(&last.archives).all(same_archive) {
            return None;
        }
        // 3. Render and validate the new items against the kept site.
        let mut incidents = Vec::new();
        let mut figures = Vec::new();
        for file in &edits {
            match &file.item {
                Loaded::Incident(new) => {
                    let i = b.incident_index(&new.id)?;
                    if b.incidents[i].origin.file != file.path {
                        return None;
                    }
                    let body = self.caches.scan_body(&new.origin, &new.body);
                    // A remote image is a warning the full path reports.
                    if !check.incident(new, &body).is_empty()
                        || !body.remote_images.is_empty()
                        || !site.vocabulary.check_incident(new).is_empty()
                    {
                        return None;
                    }
                    let mut new = (**new).clone();
                    site.anchors.incident(&mut new);
                    incidents.push((i, new, body));
                }
                Loaded::Figure(new) => {
                    let f = b.figure_index(&new.id)?;
                    if b.figures[f].origin.file != file.path {
                        return None;
                    }
                    let (quotes, found) = check.figure(new, &archives);
                    if !found.is_empty() {
                        return None;
                    }
                    let mut new = (**new).clone();
                    site.anchors.figure(&mut new);
                    figures.push((f, new, quotes));
                }
                _ => return None,
            }
        }
        drop(check);
        for file in edits {
            self.files.insert(file.path.clone(), file);
        }

        // 4. Patch the kept site; from here on the fast path runs to the end.
        let last = self.last.as_mut()?;
        let patched = apply(last, incidents, figures);
        let globals = Globals::new(&last.site).with_theme(&self.theme);
        let full = match (&patched.full, globals != last.globals) {
            (Some(reason), _) => Some(*reason),
            (None, true) => Some("the navigation or a site-wide setting changed"),
            (None, false) => None,
        };
        // What pages share and the listings' rows are kept, but for what the edit changed.
        if full.is_some() {
            last.globals = globals.keeping_rows();
        }
        for &f in &patched.figures {
            last.globals.forget_figure(f);
        }
        for &i in &patched.incidents {
            last.globals.forget_incident(i);
        }
        let jobs: Vec<Job> = match full {
            Some(_) => render::pages(&last.site),
            None => (patched.jobs.into_iter())
                .filter(|&job| render::feeds::job_applies(&last.site, job))
                .collect(),
        };
        let result = self.output.update(
            &last.site,
            templates,
            &self.theme,
            &last.globals,
            &jobs,
            full,
        );
        match result {
            Ok(update) => {
                *warnings = last.warnings.clone();
                Some(Ok(update))
            }
            Err(diagnostics) => {
                // The output no longer matches any kept site: start over next time.
                self.last = None;
                self.full_pending = true;
                Some(Err(diagnostics))
            }
        }
    }

    /// Without `--out`, the output goes where `site.toml` says, also when its `output`
    /// changed while serving or could not be read before: the new folder starts with a
    /// full render, and the old one is left as it was.
    fn follow_configured_output(&mut self) {
        if !self.place.from_config || self.config.is_err() {
            return;
        }
        let dir = write::absolute(&self.root.join(configured_output(&self.config)));
        if dir != self.place.dir {
            self.place.dir = dir.clone();
            self.output = Output::new(dir);
            self.last = None;
        }
    }

    /// The size limit for input files (the default while `site.toml` has errors).
    fn max_file_size(&self) -> u64 {
        self.config
            .as_ref()
            .map_or(crate::read::DEFAULT_MAX_FILE_SIZE, Config::max_file_size)
    }

    /// Lists `content/` again and re-parses the files that changed (or all, if `all`).
    fn refresh_content(&mut self, changed: &BTreeSet<PathBuf>, all: bool) {
        let mut found = Diagnostics::default();
        let listed = load::discover(&self.root, &mut found);
        self.discover_diagnostics = found.into_vec();
        // A reported path is stale, and so is everything under it (a folder moved or deleted).
        let is_stale = |path: &Path| all || changed.iter().any(|c| path.starts_with(c));
        let mut kept: BTreeMap<PathBuf, LoadedFile> = BTreeMap::new();
        let mut to_load = Vec::new();
        for (path, kind) in listed {
            match self.files.remove(&path) {
                Some(file) if !is_stale(&path) => {
                    kept.insert(path, file);
                }
                _ => to_load.push((path, kind)),
            }
        }
        for file in load::load_all(&self.root, &to_load, self.max_file_size()) {
            kept.insert(file.path.clone(), file);
        }
        self.files = kept;
    }
}

/// The output folder `site.toml` names, relative to the root (the default while it has
/// errors).
fn configured_output(config: &Result<Config, Diagnostic>) -> PathBuf {
    match config {
        Ok(config) => config.output.clone(),
        Err(_) => crate::config::default_output(),
    }
}

/// The site the output folder was last rendered from, with what [`Rebuilder::patch`]
/// needs to update it in place.
struct Last {
    site: Site,
    globals: Globals,
    /// Each source's archive text as validation read it (by source index).
    archives: Vec<Option<Arc<str>>>,
    /// Every diagnostic (warnings only) of the site, sorted.
    warnings: Diagnostics,
    /// Those of `warnings` that depend on the whole site: failed checks, and sources
    /// nothing cites.
    failed_checks: Vec<Diagnostic>,
    uncited: Vec<Diagnostic>,
}

/// What patching the kept site changed.
struct Patched {
    /// Output files to re-render.
    jobs: BTreeSet<Job>,
    /// Why every output file must be re-rendered, when it must.
    full: Option<&'static str>,
    /// Figures whose item or analysis changed.
    figures: BTreeSet<usize>,
    /// Incidents whose front matter changed.
    incidents: BTreeSet<usize>,
}

/// Puts edited incidents (index, item, rendered body) and figures (index, item, quote
/// statuses) into the kept site, updating bodies, validation, analysis, indexes and
/// warnings, and returns the output files to re-render. The rules are those of
/// [`affected`], applied to the edited items only.
fn apply(
    last: &mut Last,
    incidents: Vec<(usize, Incident, Body)>,
    figures: Vec<(usize, Figure, Vec<QuoteStatus>)>,
) -> Patched {
    let site = &mut last.site;
    let mut jobs = BTreeSet::new();
    let mut full = None;
    let mut rebuild_index = false;
    let mut recount_cited = false;
    let mut retitled = BTreeSet::new();

    let sources_of = |b: &Briefing, ids: &[String]| {
        let mut found: Vec<usize> = ids.iter().filter_map(|id| b.source_index(id)).collect();
        found.sort_unstable();
        found
    };

    for (i, new, body) in incidents {
        let b = &mut site.briefing;
        if same_origin(&b.incidents[i].origin, &new.origin) {
            continue;
        }
        let old = std::mem::replace(&mut b.incidents[i], new);
        let old_body = std::mem::replace(&mut site.bodies.incidents[i], body);
        let (b, new) = (&site.briefing, &site.briefing.incidents[i]);
        jobs.insert(Job::Incident(i));
        if feed_entry_changed((&old, &old_body), (new, &site.bodies.incidents[i])) {
            jobs.insert(Job::Feed);
        }
        recount_cited |= cited(&old, &old_body) != cited(new, &site.bodies.incidents[i]);
        if front_matter(&old.origin) == front_matter(&new.origin) {
            continue;
        }
        retitled.insert(i);
        jobs.extend(incident_listing_jobs(&old, new));
        jobs.extend(
            site.index.figures_of_incident[i]
                .iter()
                .map(|&f| Job::Figure(f)),
        );
        let (old_sources, new_sources) = (sources_of(b, &old.sources), sources_of(b, &new.sources));
        jobs.extend(
            old_sources
                .iter()
                .chain(&new_sources)
                .map(|&s| Job::Source(s)),
        );
        if old_sources != new_sources {
            full = Some("the number of claims or incidents citing a source changed");
        }
        if old_sources != new_sources || old.date != new.date {
            rebuild_index = true;
        } else if old.title != new.title && !rebuild_index {
            site.index.retitle_incident(b, i);
        }
    }

    // Figures: replace, re-analyse on their own; checks re-run when relations are involved.
    let rule = site.analysis.rule;
    let mut edited = BTreeSet::new();
    let mut rerun_checks = false;
    // Edited figures as they were, with their quote statuses.
    let mut old_figures: BTreeMap<usize, (Figure, Vec<QuoteStatus>)> = BTreeMap::new();
    for (f, new, quotes) in figures {
        if same_origin(&site.briefing.figures[f].origin, &new.origin) {
            continue;
        }
        let related = |site: &Site, fig: &Figure| {
            !fig.sum_of.is_empty()
                || !fig.within.is_empty()
                || !site.index.wholes_of[f].is_empty()
                || !site.index.narrower_of[f].is_empty()
        };
        rerun_checks |= related(site, &site.briefing.figures[f]) || related(site, &new);
        let old = std::mem::replace(&mut site.briefing.figures[f], new);
        let new = &site.briefing.figures[f];
        let claim_sources = |fig: &Figure| {
            fig.claims
                .iter()
                .map(|c| c.source.clone())
                .collect::<Vec<_>>()
        };
        let (old_claims, new_claims) = (claim_sources(&old), claim_sources(new));
        if sources_of(&site.briefing, &old_claims) != sources_of(&site.briefing, &new_claims) {
            full = Some("the number of claims or incidents citing a source changed");
            recount_cited = true;
        }
        // Values pages share are kept per claim, by position: a figure with another number
        // of claims moves every later figure's.
        if old.claims.len() != new.claims.len() {
            full = Some("the number of claims of a figure changed");
        }
        if old_claims != new_claims
            || old.scope.incidents != new.scope.incidents
            || old.sum_of != new.sum_of
            || old.within != new.within
        {
            rebuild_index = true;
        }
        let old_quotes = std::mem::replace(&mut site.validation.quotes[f], quotes);
        edited.insert(f);
        old_figures.insert(f, (old, old_quotes));
    }
    if rebuild_index {
        site.index = Index::build(&site.briefing);
    }
    let mut old_analyses: BTreeMap<usize, FigureAnalysis> = BTreeMap::new();
    for &f in &edited {
        let analysis = analyse::analyse_figure(
            &site.briefing,
            &site.briefing.figures[f],
            rule,
            &site.analysis.wordings,
        );
        old_analyses.insert(
            f,
            std::mem::replace(&mut site.analysis.figures[f], analysis),
        );
    }
    let mut checks_changed = false;
    let mut touched = edited.clone();
    if rerun_checks {
        // The checks an edited figure takes part in are declared by it or by its wholes
        // and wider windows (unchanged unless edited too, so the patched index has them).
        let redo: BTreeSet<usize> = (edited.iter())
            .flat_map(|&f| {
                let index = &site.index;
                let declaring = index.wholes_of[f].iter().chain(&index.narrower_of[f]);
                std::iter::once(f).chain(declaring.copied())
            })
            .collect();
        let checks = redo_checks(&site.briefing, &site.analysis, &redo);
        checks_changed = checks != site.analysis.checks;
        if checks_changed {
            let old_checks = std::mem::replace(&mut site.analysis.checks, checks);
            for f in figures_in_changed_checks(&old_checks, &site.analysis.checks) {
                if touched.insert(f) {
                    old_analyses.insert(f, site.analysis.figures[f].clone());
                }
            }
            // A figure page shows its checks: compare them by content, not index.
            let mut shown_checks_differ = BTreeSet::new();
            let touched_now = touched.clone();
            analyse::apply_checks(&mut site.analysis.figures, &site.analysis.checks, |f| {
                touched_now.contains(&f)
            });
            for &f in &touched {
                let old: Vec<&Check> = old_analyses[&f]
                    .checks
                    .iter()
                    .map(|&n| &old_checks[n])
                    .collect();
                let new: Vec<&Check> = site.analysis.figures[f]
                    .checks
                    .iter()
                    .map(|&n| &site.analysis.checks[n])
                    .collect();
                if old != new {
                    shown_checks_differ.insert(f);
                }
            }
            jobs.extend([Job::Checks, Job::Overview, Job::FiguresJson]);
            edited.extend(shown_checks_differ);
        }
    }
    if !checks_changed {
        let edited_now = edited.clone();
        analyse::apply_checks(&mut site.analysis.figures, &site.analysis.checks, |f| {
            edited_now.contains(&f)
        });
    }
    // Figures whose analysis changed through the checks re-render like edited ones.
    for &f in &touched {
        if old_analyses
            .get(&f)
            .is_some_and(|old| *old != site.analysis.figures[f])
        {
            edited.insert(f);
        }
    }

    let b = &site.briefing;
    for &f in &edited {
        let new = (&b.figures[f], &site.analysis.figures[f]);
        let old_analysis = old_analyses.get(&f).unwrap_or(new.1);
        match old_figures.get(&f) {
            Some((old, old_quotes)) => {
                jobs.extend(figure_jobs(f, (old, old_analysis), new));
                for (figure, analysis) in [(old, old_analysis), new] {
                    jobs.extend(related_jobs(site, f, figure, analysis));
                }
                let quotes = &site.validation.quotes[f];
                jobs.extend(claim_source_jobs(
                    b,
                    (old, old_analysis, old_quotes),
                    (new.0, new.1, quotes),
                ));
            }
            // Only its checks changed: pages that show its checks or flags.
            None => {
                jobs.extend(figure_jobs(f, (new.0, old_analysis), new));
                if old_analysis.flags != new.1.flags {
                    jobs.extend(scope_jobs(b, new.0));
                }
            }
        }
    }

    // Warnings that depend on the whole site.
    if checks_changed || recount_cited {
        let mut warnings: Vec<Diagnostic> = last.warnings.clone().into_vec();
        let mut replace = |kept: &mut Vec<Diagnostic>, new: Vec<Diagnostic>| {
            for old in kept.iter() {
                if let Some(at) = warnings.iter().position(|d| d == old) {
                    warnings.remove(at);
                }
            }
            warnings.extend(new.iter().cloned());
            *kept = new;
        };
        if checks_changed {
            let failed = site::check_warnings(&site.briefing, &site.analysis);
            replace(&mut last.failed_checks, failed);
        }
        if recount_cited {
            replace(&mut last.uncited, uncited_warnings(site));
        }
        let mut all = Diagnostics::default();
        all.extend(warnings);
        all.sort();
        last.warnings = all;
    }
    Patched {
        jobs,
        full,
        figures: edited,
        incidents: retitled,
    }
}

/// The checks of `analysis` with those declared by the figures `redo` run again (on their
/// current analysis). Checks are in the order of the figures declaring them, as
/// [`analyse::checks::run`] lists them, so the others are copied between.
fn redo_checks(b: &Briefing, analysis: &Analysis, redo: &BTreeSet<usize>) -> Vec<Check> {
    let mut checks = Vec::with_capacity(analysis.checks.len());
    let mut old = analysis.checks.iter().peekable();
    for w in 0..b.figures.len() {
        let mut kept = Vec::new();
        while let Some(check) = old.next_if(|c| c.figure() == w) {
            kept.push(check.clone());
        }
        match redo.contains(&w) {
            true => checks.extend(analyse::checks::declared_by(b, &analysis.figures, w)),
            false => checks.extend(kept),
        }
    }
    checks
}

/// The figures whose checks, as analyses refer to them (by position), differ between `old`
/// and `new`: the figures of each check that changed, and when the number of checks
/// changed, of every check from the first difference on (those moved).
fn figures_in_changed_checks(old: &[Check], new: &[Check]) -> BTreeSet<usize> {
    let first = (old.iter().zip(new))
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    let moved = old.len() != new.len();
    let mut figures = BTreeSet::new();
    for checks in [old, new] {
        for (n, check) in checks.iter().enumerate().skip(first) {
            if moved || old.get(n) != new.get(n) {
                figures.extend(check.figures());
            }
        }
    }
    figures
}

/// A warning for each source that no claim, incident or page cites.
fn uncited_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut found = Diagnostics::default();
    validate::warn_uncited_sources(&site.briefing, &site.bodies, &mut found);
    found.into_vec()
}

/// The source ids an incident refers to, in `sources` and in citations of its body.
fn cited<'a>(incident: &'a Incident, body: &'a Body) -> Vec<&'a str> {
    let mut ids: Vec<&str> = incident.sources.iter().map(String::as_str).collect();
    ids.extend(body.citations.iter().map(|c| c.id.as_str()));
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// What to re-render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Every output file, for the reason given.
    All(&'static str),
    /// Only these jobs; every other output file is unchanged.
    Jobs(BTreeSet<Job>),
}

/// The output files whose bytes may differ between rendering `old` and rendering `new`
/// (same templates and theme).
///
/// Per-item changes are followed through the indexes to every page that shows the item:
/// an incident's page, and when its front matter changed the lists, overview, timeline,
/// its sources' pages and the figures scoped to it; a figure's page, the figures related
/// to it by `sum_of`, `within` or a shared check, its incidents' and sources' pages, the
/// overview, lists, matrix, timeline, checks and data files. Both the old and the new
/// site's relations are followed, so a link that was removed re-renders its old target.
/// Changes that ripple further than that are answered with [`Plan::All`].
pub fn affected(old: &Site, old_globals: &Globals, new: &Site, new_globals: &Globals) -> Plan {
    let (ob, nb) = (&old.briefing, &new.briefing);
    if old.config != new.config {
        return Plan::All("site.toml changed");
    }
    if old_globals != new_globals {
        return Plan::All("the navigation or a site-wide setting changed");
    }
    let ids_differ = !same_ids(&ob.incidents, &nb.incidents, |i| &i.id)
        || !same_ids(&ob.figures, &nb.figures, |f| &f.id)
        || !same_ids(&ob.sources, &nb.sources, |s| &s.id)
        || !same_ids(&ob.pages, &nb.pages, |p| &p.id);
    if ids_differ || render::pages(old) != render::pages(new) {
        return Plan::All("files were added, removed or renamed");
    }
    if ob.parties != nb.parties {
        return Plan::All("parties changed");
    }
    if ob
        .sources
        .iter()
        .zip(&nb.sources)
        .any(|(a, b)| !same_origin(&a.origin, &b.origin))
    {
        return Plan::All("a source changed");
    }
    if old.validation.archived != new.validation.archived {
        return Plan::All("an archive became readable or unreadable");
    }
    // Source summaries (on every figure page, among others) count claims and incidents.
    let counts = |site: &Site| {
        let claims = site.index.claims_of_source.iter().map(Vec::len);
        let incidents = site.index.incidents_of_source.iter().map(Vec::len);
        claims.chain(incidents).collect::<Vec<_>>()
    };
    if counts(old) != counts(new) {
        return Plan::All("the number of claims or incidents citing a source changed");
    }

    let mut jobs = BTreeSet::new();
    let sites = [old, new];

    for (i, (o, n)) in ob.incidents.iter().zip(&nb.incidents).enumerate() {
        if same_origin(&o.origin, &n.origin) {
            continue;
        }
        jobs.insert(Job::Incident(i));
        if feed_entry_changed((o, &old.bodies.incidents[i]), (n, &new.bodies.incidents[i])) {
            jobs.insert(Job::Feed);
        }
        if front_matter(&o.origin) != front_matter(&n.origin) {
            jobs.extend(incident_listing_jobs(o, n));
            for site in sites {
                jobs.extend(
                    site.index.figures_of_incident[i]
                        .iter()
                        .map(|&f| Job::Figure(f)),
                );
                let incident = &site.briefing.incidents[i];
                jobs.extend(
                    incident
                        .sources
                        .iter()
                        .filter_map(|id| nb.source_index(id))
                        .map(Job::Source),
                );
            }
        }
    }

    let checks_changed = old.analysis.checks != new.analysis.checks;
    if checks_changed {
        jobs.extend([Job::Checks, Job::Overview, Job::FiguresJson]);
        for site in sites {
            for check in &site.analysis.checks {
                jobs.extend(check.figures().iter().map(|&f| Job::Figure(f)));
            }
        }
    }
    for f in 0..nb.figures.len() {
        let changed = !same_origin(&ob.figures[f].origin, &nb.figures[f].origin)
            || old.analysis.figures[f] != new.analysis.figures[f]
            || old.validation.quotes[f] != new.validation.quotes[f];
        if !changed {
            continue;
        }
        jobs.extend(figure_jobs(
            f,
            (&ob.figures[f], &old.analysis.figures[f]),
            (&nb.figures[f], &new.analysis.figures[f]),
        ));
        for site in sites {
            let (figure, analysis) = (&site.briefing.figures[f], &site.analysis.figures[f]);
            jobs.extend(related_jobs(site, f, figure, analysis));
        }
        jobs.extend(claim_source_jobs(nb, claims(old, f), claims(new, f)));
    }

    for (p, (o, n)) in ob.pages.iter().zip(&nb.pages).enumerate() {
        if !same_origin(&o.origin, &n.origin) {
            jobs.extend([Job::Page(p), Job::Overview, Job::Methodology]);
        }
    }

    let existing: HashSet<Job> = render::pages(new).into_iter().collect();
    jobs.retain(|job| existing.contains(job));
    Plan::Jobs(jobs)
}

/// Whether two lists hold items with the same ids in the same order.
fn same_ids<T>(a: &[T], b: &[T], id: impl Fn(&T) -> &String) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| id(x) == id(y))
}

/// Whether two items came from the same file with the same text, and so are equal:
/// parsing is a pure function of path and text.
fn same_origin(a: &Origin, b: &Origin) -> bool {
    a.file == b.file && (Arc::ptr_eq(&a.text, &b.text) || a.text == b.text)
}

/// The front matter of a Markdown file (everything when it has none).
fn front_matter(origin: &Origin) -> &str {
    load::split_front_matter(&origin.text).map_or(&origin.text, |(yaml, _)| yaml)
}

/// Scanned bodies and archive texts kept between rebuilds.
#[derive(Default)]
struct Caches {
    /// By file: the file's text and its scanned body.
    bodies: Mutex<HashMap<PathBuf, CachedBody>>,
    /// By absolute path.
    archives: Mutex<HashMap<PathBuf, CachedArchive>>,
}

struct CachedBody {
    text: Arc<str>,
    body: Body,
}

struct CachedArchive {
    modified: Option<SystemTime>,
    len: u64,
    text: Arc<str>,
}

impl Caches {
    /// Drops cached bodies of files that no longer exist.
    fn forget_archives(&self, paths: &BTreeSet<PathBuf>) {
        if paths.is_empty() {
            return;
        }
        let mut archives = self.archives.lock().unwrap_or_else(|e| e.into_inner());
        archives.retain(|path, _| {
            let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            !paths.contains(path) && !paths.contains(&real)
        });
    }

    fn forget_all_but(&self, files: &BTreeMap<PathBuf, LoadedFile>) {
        let mut bodies = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        bodies.retain(|path, _| files.contains_key(path));
    }
}

impl Reuse for Caches {
    fn scan_body(&self, origin: &Origin, markdown: &str) -> Body {
        {
            let bodies = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(cached) = bodies.get(&origin.file)
                && Arc::ptr_eq(&cached.text, &origin.text)
            {
                return cached.body.clone();
            }
        }
        let body = markdown::scan(markdown);
        let mut bodies = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        bodies.insert(
            origin.file.clone(),
            CachedBody {
                text: origin.text.clone(),
                body: body.clone(),
            },
        );
        body
    }

    fn archive(&self, root: &Path, path: &Path, max_size: u64) -> Result<Arc<str>, ReadError> {
        let full = root.join(path);
        let meta = std::fs::metadata(&full)?;
        let (modified, len) = (meta.modified().ok(), meta.len());
        {
            let archives = self.archives.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(cached) = archives.get(&full)
                && cached.modified == modified
                && modified.is_some()
                && cached.len == len
                && len <= max_size
            {
                return Ok(cached.text.clone());
            }
        }
        let text = crate::validate::read_archive(&full, max_size)?;
        let mut archives = self.archives.lock().unwrap_or_else(|e| e.into_inner());
        archives.insert(
            full,
            CachedArchive {
                modified,
                len,
                text: text.clone(),
            },
        );
        Ok(text)
    }
}

/// The output folder and what is known of every file in it that this process wrote.
struct Output {
    sink: DirSink,
    written: HashMap<String, Stamp>,
    /// Whether the folder has been cleared of files from before this process.
    swept: bool,
}

/// Compares rendered files with the output by hash and stages each that differs as soon as
/// it is rendered (writing overlaps rendering); nothing replaces an output file until
/// [`Output::update`] commits them.
struct CompareSink<'a> {
    dir: &'a DirSink,
    written: &'a HashMap<String, Stamp>,
    produced: Mutex<Vec<(String, Stamp)>>,
    /// Files that differ from the output, and whether staging them worked.
    staged: Mutex<Vec<(String, std::io::Result<()>)>>,
}

impl OutputSink for CompareSink<'_> {
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
struct Stamp {
    len: usize,
    /// Not computed when the file was written because its length had changed: only a
    /// render of the same length needs it.
    hash: Option<u64>,
}

impl Stamp {
    /// The stamp of a file made of `parts`, to compare with `on_disk`, the stamp of the file
    /// it replaces, if any. A file of another length differs whatever its bytes, so its
    /// hash (tens of milliseconds for the largest data files) is left out.
    fn of(parts: &[&[u8]], on_disk: Option<&Stamp>) -> Stamp {
        let len = parts.iter().map(|part| part.len()).sum();
        let hash = match on_disk {
            Some(known) if known.len != len => None,
            _ => Some(hash(parts)),
        };
        Stamp { len, hash }
    }

    /// Whether the file stamped `other` is known to hold the same bytes.
    fn same(&self, other: &Stamp) -> bool {
        self.hash.is_some() && self == other
    }
}

/// A hash of a file made of `parts`. A file is compared with an earlier render of the
/// same job, which splits it the same way. aHash rather than the standard library's
/// SipHash: some files are tens of megabytes, and hashing is on every rebuild's path.
fn hash(parts: &[&[u8]]) -> u64 {
    let mut hasher = ahash::AHasher::default();
    for part in parts {
        hasher.write(part);
    }
    hasher.finish()
}

impl Output {
    fn new(dir: PathBuf) -> Output {
        Output {
            sink: DirSink::new(dir),
            written: HashMap::new(),
            swept: false,
        }
    }

    /// Renders `jobs` and the theme files, then writes the files whose bytes changed. With
    /// `full` (a reason), `jobs` are all the site's files and any other file is deleted.
    fn update(
        &mut self,
        site: &Site,
        templates: &Templates,
        theme: &[(String, Vec<u8>)],
        globals: &Globals,
        jobs: &[Job],
        full: Option<&'static str>,
    ) -> Result<Update, Diagnostics> {
        let sink = CompareSink {
            dir: &self.sink,
            written: &self.written,
            produced: Mutex::default(),
            staged: Mutex::default(),
        };
        let rendered = render::render_with(site, templates, theme, globals, jobs, &sink);
        let produced = sink
            .produced
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let mut staged = sink.staged.into_inner().unwrap_or_else(|e| e.into_inner());
        let summary = match rendered {
            Ok(summary) => summary,
            Err(diagnostics) => {
                for (path, _) in &staged {
                    self.sink.discard(path);
                }
                return Err(diagnostics);
            }
        };
        staged.sort_by(|a, b| a.0.cmp(&b.0));

        let results: Vec<(String, std::io::Result<()>)> = staged
            .into_par_iter()
            .map(|(path, staged)| {
                let result = staged.and_then(|()| self.sink.commit(&path));
                (path, result)
            })
            .collect();
        self.sink.release_replaced();
        let mut diagnostics = Diagnostics::default();
        let stamps: HashMap<&str, Stamp> = produced.iter().map(|(p, s)| (p.as_str(), *s)).collect();
        // Every file rendered now holds what it was stamped with, unless writing it failed.
        for (path, stamp) in &produced {
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
        let mut deleted = Vec::new();
        if full.is_some() {
            let keep: HashSet<&str> = stamps.keys().copied().collect();
            let stale: Vec<String> = self
                .written
                .keys()
                .filter(|p| !keep.contains(p.as_str()))
                .cloned()
                .collect();
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
                deleted.extend(self.sweep(&keep));
                self.swept = true;
            }
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        deleted.sort();
        Ok(Update {
            full: full.is_some(),
            full_reason: full,
            pages: summary.pages,
            files: summary.files,
            written: results.into_iter().map(|(p, _)| p).collect(),
            deleted,
        })
    }

    /// Deletes every file in the output folder that the site does not produce (left there
    /// by an earlier build of other inputs), as a clean build's folder swap would.
    fn sweep(&self, keep: &HashSet<&str>) -> Vec<String> {
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

/// The files an edit of an incident's front matter re-renders besides the pages of the
/// incident, its sources and the figures scoped to it: the lists that show every incident,
/// the sitemap when `updated` (its `lastmod`) changed, and the feed when the incident is
/// in it (has `updated`) before or after.
fn incident_listing_jobs(old: &Incident, new: &Incident) -> Vec<Job> {
    let mut jobs = vec![Job::Overview, Job::IncidentList, Job::Timeline];
    if old.updated != new.updated {
        jobs.push(Job::Sitemap);
    }
    if old.updated.is_some() || new.updated.is_some() {
        jobs.push(Job::Feed);
    }
    jobs
}

/// Whether an edit of an incident's body changes its feed entry (its front matter is
/// compared separately): only incidents with `updated` are in the feed, and their entry
/// shows the first paragraph, so an edit further down leaves the feed as it was.
fn feed_entry_changed(old: (&Incident, &Body), new: (&Incident, &Body)) -> bool {
    (old.0.updated.is_some() || new.0.updated.is_some())
        && feeds::incident_summary(old.1) != feeds::incident_summary(new.1)
}

/// The pages that show figure `f` (as `figure` with `analysis`, before or after an edit)
/// besides the site-wide ones and its sources' (see [`claim_source_jobs`]): related figures
/// (parts, wholes, windows, shared checks) and the incidents in its scope. Ids are looked
/// up in `site`.
fn related_jobs(site: &Site, f: usize, figure: &Figure, analysis: &FigureAnalysis) -> Vec<Job> {
    let b = &site.briefing;
    let related = figure
        .sum_of
        .iter()
        .chain(&figure.within)
        .filter_map(|id| b.figure_index(id))
        .chain(site.index.wholes_of[f].iter().copied())
        .chain(site.index.narrower_of[f].iter().copied())
        .chain(
            analysis
                .checks
                .iter()
                .filter_map(|&n| site.analysis.checks.get(n))
                .flat_map(|c| c.figures().iter().copied()),
        );
    let mut jobs: Vec<Job> = related.map(Job::Figure).collect();
    jobs.extend(scope_jobs(b, figure));
    jobs
}

/// The pages of the incidents in `figure`'s scope, which show its summary and claims.
fn scope_jobs(b: &Briefing, figure: &Figure) -> Vec<Job> {
    let incidents = figure.scope.incidents.iter();
    (incidents.filter_map(|id| b.incident_index(id)))
        .map(Job::Incident)
        .collect()
}

/// Figure `f` of `site` with its analysis and quote statuses, as [`claim_source_jobs`]
/// compares them.
fn claims(site: &Site, f: usize) -> (&Figure, &FigureAnalysis, &[QuoteStatus]) {
    let quotes = &site.validation.quotes[f];
    (&site.briefing.figures[f], &site.analysis.figures[f], quotes)
}

/// The pages of the sources whose claims of a figure changed between `old` and `new`
/// (figure, analysis, quote statuses) as source pages show them: a claim's fields, its
/// analysis or its quote status; every claim when the figure's label (each claim links to
/// the figure) or a claim's id (anchors of `superseded_by`) changed.
fn claim_source_jobs(
    b: &Briefing,
    old: (&Figure, &FigureAnalysis, &[QuoteStatus]),
    new: (&Figure, &FigureAnalysis, &[QuoteStatus]),
) -> Vec<Job> {
    let ids = |figure: &Figure| {
        figure
            .claims
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>()
    };
    let all = old.0.label != new.0.label || old.0.unit != new.0.unit || ids(old.0) != ids(new.0);
    let changed = |c: usize| {
        all || old.0.claims.get(c) != new.0.claims.get(c)
            || old.1.claims.get(c) != new.1.claims.get(c)
            || old.2.get(c) != new.2.get(c)
    };
    let mut jobs = Vec::new();
    for figure in [old.0, new.0] {
        for (c, claim) in figure.claims.iter().enumerate() {
            if let (true, Some(s)) = (changed(c), b.source_index(&claim.source)) {
                jobs.push(Job::Source(s));
            }
        }
    }
    jobs
}

/// The files an edit of figure `f` re-renders besides [`related_jobs`]: its page, every page
/// or data file that lists all figures or all claims, and the sitemap and feed when what
/// they show of the figure (`updated`; label, summary) changed.
fn figure_jobs(
    f: usize,
    old: (&Figure, &FigureAnalysis),
    new: (&Figure, &FigureAnalysis),
) -> Vec<Job> {
    let mut jobs = vec![
        Job::Figure(f),
        Job::Overview,
        Job::FigureList,
        Job::Matrix,
        Job::Timeline,
        Job::Checks,
        Job::ClaimsCsv,
        Job::FiguresJson,
    ];
    if old.0.updated != new.0.updated {
        jobs.push(Job::Sitemap);
    }
    let in_feed = old.0.updated.is_some() || new.0.updated.is_some();
    let entry_changed = old.0.label != new.0.label
        || old.0.updated != new.0.updated
        || feeds::figure_summary(old.0, old.1) != feeds::figure_summary(new.0, new.1);
    if in_feed && entry_changed {
        jobs.push(Job::Feed);
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_keep_inputs_only() {
        let root = Path::new("/site");
        let mut changes = Changes::default();
        assert!(changes.add(root, Path::new("/site/content/incidents/a.md")));
        assert!(changes.add(root, Path::new("/site/site.toml")));
        assert!(changes.add(root, Path::new("/site/themes/default/static/style.css")));
        assert!(!changes.add(root, Path::new("/site/public/index.html")));
        assert!(!changes.add(root, Path::new("/site/content/incidents/.a.md.swp")));
        assert!(!changes.add(root, Path::new("/site/content/incidents/a.md~")));
        assert!(!changes.add(root, Path::new("/elsewhere/content/a.md")));
        assert!(!changes.add(root, Path::new("/site/sub/site.toml")));
        assert!(changes.config && changes.theme && !changes.templates);
        assert_eq!(
            changes.content,
            BTreeSet::from([PathBuf::from("content/incidents/a.md")])
        );
        assert_eq!(
            changes.describe(),
            "site.toml, themes/, content/incidents/a.md"
        );
    }
}
