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
//!    relation; the output files to re-render are the readers of the inputs whose
//!    fingerprints changed (see `render::inputs`), looked up in the kept input map. The values
//!    pages share and the rows of the site-wide listings (matrix, timeline, incident lists,
//!    data files; see `render::rows`) are kept with the site, each keyed by its input, and
//!    those whose input changed forgotten, so a listing of thousands of items is put
//!    together again from kept rows. The further pages of the split listings and the
//!    browse page paths are kept too, and compared once after the patch: when they differ,
//!    files come or go and everything is rendered. Cost is O(edited items) plus rendering
//!    and writing the files that changed: the checks, the archives read, the pages of the
//!    split listings, the fingerprints and the search index follow only what the edit
//!    changed (see `SITREP_TIMINGS` in `crate::timings` for what each step costs). Anything else (and any diagnostic but a failed check, which the
//!    patch finds again) takes steps 3–5; so does any warning under `--strict`.
//! 3. **Reuse expensive work** through [`site::Reuse`]: a body's scan (citations, first
//!    paragraph) is kept while its file is unchanged; an archive's normalised text is kept
//!    while the archive's size and modification time are unchanged. Everything else (model,
//!    validation, analysis, indexes) is recomputed: it is fast, and recomputing it is what
//!    makes the result trustworthy.
//! 4. **Re-render only affected files.** [`affected`] compares the fingerprints of every
//!    input of the new site with those of the site the output was last rendered from, and
//!    lists the output files that read an input that changed (`render::inputs`: each page
//!    kind declares what it reads beside its view). A change to the settings (config,
//!    templates, navigation) or to the set of files re-renders everything.
//! 5. **Write only changed bytes.** Each rendered file is compared with what this process
//!    wrote (by length, then by hash; see `output.rs`) and, if it differs, staged beside its
//!    target as soon as it is rendered. Once every file rendered the staged files replace
//!    their targets, each through a rename, and files a full render no longer produces are
//!    deleted. Nothing in the output changes unless every file rendered.
//!
//! The invariant: after every successful rebuild the output folder holds exactly what a
//! clean `sitrep build` of the same inputs would write. `tests/rebuild_engine.rs` checks it
//! after random edits of every field of every kind of file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Loaded, LoadedFile};
use crate::pipeline;
use crate::render::fingerprints::Fingerprints;
use crate::render::input_map::InputMap;
use crate::render::templates::{self, Templates};
use crate::render::{self, Globals};
use crate::site::{self, Overrides, Reuse, Site};
use crate::validate::{self, Archives};
use crate::write::place::{self, OutputPlace};
use crate::write::{self};

mod affected;
mod caches;
mod changes;
mod fast;
mod output;
mod patch;

pub use affected::{Mapped, Plan, affected};
use caches::Caches;
pub use changes::Changes;
use output::Output;
use patch::uncited_warnings;

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
    /// Whether every change to an archive is reported in [`Changes::archives`] (see
    /// [`Rebuilder::set_archives_watched`]).
    archives_watched: bool,
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
            archives_watched: true,
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

    /// Says whether the caller watches every archive of [`Rebuilder::archive_files`], so
    /// that [`Changes::archives`] lists every archive that changed (as it must, and as it
    /// is assumed to until told otherwise). When not, each rebuild reads every archive's
    /// size and modification time again to find changes itself.
    pub fn set_archives_watched(&mut self, all: bool) {
        self.archives_watched = all;
    }

    /// The output folder.
    pub fn out(&self) -> &Path {
        self.output.sink.dir()
    }

    /// Re-reads what `changes` touched, rebuilds, and updates the output folder.
    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        let started = Instant::now();
        crate::timings::start();
        let mut warnings = Diagnostics::default();
        let result = self.rebuild_inner(changes, &mut warnings);
        crate::timings::report("rebuild");
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
        self.reload(changes);
        crate::timings::lap("reload");
        let (site, diagnostics) = self.assemble();
        crate::timings::lap("assemble");
        let (Some(site), false) = (site, diagnostics.has_errors()) else {
            return Err(diagnostics);
        };
        self.render_changed(site, diagnostics, warnings)
    }

    /// Re-reads what `changes` touched: settings, templates, theme and content files.
    fn reload(&mut self, changes: &Changes) {
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
    }

    /// The site assembled, validated and analysed from the kept files (`None` when it
    /// cannot be, or without templates), with every diagnostic found, sorted.
    fn assemble(&mut self) -> (Option<Site>, Diagnostics) {
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
        if let Some(why) = self.strict() {
            diagnostics.make_warnings_errors(why);
        }
        diagnostics.sort();
        (site.filter(|_| self.templates.is_some()), diagnostics)
    }

    /// Renders the output files of `site` whose inputs changed since the last render
    /// (every file after a settings change) and keeps the site for the next rebuild.
    fn render_changed(
        &mut self,
        site: Site,
        diagnostics: Diagnostics,
        warnings: &mut Diagnostics,
    ) -> Result<Update, Diagnostics> {
        let Some(templates) = &self.templates else {
            return Err(diagnostics);
        };
        // With the theme: 404.html inlines the stylesheet, so a CSS edit re-renders it.
        let mut globals = Globals::new(&site).with_theme(&self.theme).keeping_rows();
        if let Some(last) = &self.last {
            globals = globals.keeping_search_index(&last.globals);
        }
        let (fingerprints, map) = rayon::join(|| Fingerprints::of(&site), || InputMap::of(&site));
        crate::timings::lap("fingerprints and map");
        let plan = match (&self.last, self.full_pending) {
            (Some(last), false) => affected(
                last.mapped(),
                Mapped {
                    site: &site,
                    globals: &globals,
                    fingerprints: &fingerprints,
                    map: &map,
                },
            ),
            _ => Plan::All("first build, or config or templates changed"),
        };
        let (jobs, full_reason) = match plan {
            Plan::All(reason) => (render::pages(&site), Some(reason)),
            Plan::Jobs(jobs) => (jobs.into_iter().collect(), None),
        };
        crate::timings::lap("affected");
        let update = self
            .output
            .update(&site, templates, &self.theme, &globals, &jobs, full_reason)
            .inspect_err(|_| self.full_pending = true)?;
        crate::timings::lap("render and write");
        self.full_pending = false;
        let archives = validate::archives(&site.briefing, &|path| {
            self.caches.archive(&self.root, path, self.max_file_size())
        });
        self.last = Some(Last {
            split_pages: render::split::jobs(&site),
            browse_pages: patch::browse_paths(&site),
            failed_checks: site::check_warnings(&site.briefing, &site.analysis),
            uncited: uncited_warnings(&site),
            site,
            globals,
            fingerprints,
            map,
            archives,
            warnings: diagnostics.clone(),
        });
        *warnings = diagnostics;
        Ok(update)
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

    /// Why warnings are errors, when they are: `--strict`, or `strict = true` in
    /// `site.toml`, as in `sitrep build`.
    fn strict(&self) -> Option<&'static str> {
        if self.overrides.strict {
            Some("--strict")
        } else if self.config.as_ref().is_ok_and(|c| c.strict) {
            Some("`strict = true` in site.toml")
        } else {
            None
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
pub(super) struct Last {
    pub(super) site: Site,
    pub(super) globals: Globals,
    /// The fingerprints of the site's inputs, and which output files read each.
    fingerprints: Fingerprints,
    map: InputMap,
    /// The further pages of the split listings (`render::split::jobs`) and the paths of
    /// the browse pages: when either changes, files are added or removed.
    pub(super) split_pages: Vec<render::Job>,
    pub(super) browse_pages: Vec<String>,
    /// Each source's archive text as validation read it (by source index).
    pub(super) archives: Archives,
    /// Every diagnostic (warnings only) of the site, sorted.
    pub(super) warnings: Diagnostics,
    /// Those of `warnings` that depend on the whole site: failed checks, and sources
    /// nothing cites.
    pub(super) failed_checks: Vec<Diagnostic>,
    pub(super) uncited: Vec<Diagnostic>,
}

impl Last {
    fn mapped(&self) -> Mapped<'_> {
        Mapped {
            site: &self.site,
            globals: &self.globals,
            fingerprints: &self.fingerprints,
            map: &self.map,
        }
    }
}
