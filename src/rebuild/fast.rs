//! The fast path's steps ([`Rebuilder::patch`]): whether an edit may be patched into the
//! kept site, re-parsing and checking the edited items on their own, then patching the
//! kept site (`patch.rs`) and rendering the output files whose inputs changed.

use std::path::PathBuf;
use std::sync::Arc;

use super::patch::{Patched, apply};
use super::{Changes, Last, Rebuilder, Update};
use crate::diagnostics::Diagnostics;
use crate::load::{self, FileKind, Loaded, LoadedFile};
use crate::markdown::Body;
use crate::model::{Figure, FigureIx, Incident, IncidentIx};
use crate::render::fingerprints::{Edit, Fingerprints};
use crate::render::input_map::InputMap;
use crate::render::split::Listing;
use crate::render::{self, Globals, Job, Settings};
use crate::site::Reuse;
use crate::validate::{Archives, ItemCheck, QuoteStatus};

/// The edited items, checked and ready to be put into the kept site.
#[derive(Default)]
struct Edited {
    /// Index, item, scanned body.
    incidents: Vec<(IncidentIx, Incident, Body)>,
    /// Index, item, quote statuses.
    figures: Vec<(FigureIx, Figure, Vec<QuoteStatus>)>,
}

impl Rebuilder {
    /// The fast path: when only existing incident and figure files were edited, patches
    /// the kept site in place instead of assembling a new one. Returns `None` (having
    /// changed nothing but parsed files) when the edit needs the full path: anything but
    /// incident and figure files changed, a file has diagnostics (then the full path
    /// reports them exactly), or an archive changed.
    ///
    /// Sound because every stage is per item once the sets of ids, the sources and the
    /// parties are fixed: an edited incident or figure is re-parsed, its body scanned,
    /// validated and analysed on its own; the checks between figures are re-run when the
    /// edit touches a figure in a `sum_of`/`within` relation; the indexes are patched; the
    /// output files to re-render are those reading an input whose fingerprint changed, as
    /// [`super::affected`] would find them by comparing whole sites.
    pub(super) fn patch(
        &mut self,
        changes: &Changes,
        warnings: &mut Diagnostics,
    ) -> Option<Result<Update, Diagnostics>> {
        if !self.may_patch(changes) {
            return None;
        }
        let edits = self.reparse(&changes.content)?;
        crate::timings::lap("reparse");
        let edited = self.checked(&edits)?;
        crate::timings::lap("check");
        for file in edits {
            self.files.insert(file.path.clone(), file);
        }
        self.patch_and_render(edited, warnings)
    }

    /// Whether `changes` touched only content files of a site whose output is up to date.
    fn may_patch(&self, changes: &Changes) -> bool {
        !(changes.everything
            || changes.config
            || changes.templates
            || changes.theme
            || changes.content.is_empty()
            || !changes.archives.is_empty()
            || self.full_pending
            || self.templates.is_none()
            || self.last.is_none())
    }

    /// Re-parses the edited files; each must be a known incident or figure file that
    /// stays one and has no diagnostics before or after.
    fn reparse<'a>(&self, paths: impl IntoIterator<Item = &'a PathBuf>) -> Option<Vec<LoadedFile>> {
        let last = self.last.as_ref()?;
        let mut edits = Vec::new();
        for path in paths {
            let old = self.files.get(path)?;
            let kind = match old.item {
                Loaded::Incident(_) => FileKind::Incident,
                Loaded::Figure(_) => FileKind::Figure,
                _ => return None,
            };
            let is_file =
                std::fs::symlink_metadata(self.root.join(path)).is_ok_and(|m| m.is_file());
            // Failed checks are the only warnings of an item that the patch finds again
            // (see `patch::update_warnings`); the full path reports the others exactly.
            let per_item_warning =
                (last.warnings.iter()).any(|d| &d.file == path && !last.failed_checks.contains(d));
            if !is_file || !old.diagnostics.is_empty() || per_item_warning {
                return None;
            }
            let new = load::load_file(&self.root, path, kind, self.max_file_size());
            if !new.diagnostics.is_empty() {
                return None;
            }
            edits.push(new);
        }
        Some(edits)
    }

    /// Validates the edited items against the kept site (ids looked up in its sorted
    /// lists, nothing site-wide built), with the archives they need (see
    /// [`Rebuilder::fresh_archives`]).
    fn checked(&self, edits: &[LoadedFile]) -> Option<Edited> {
        let last = self.last.as_ref()?;
        let check = ItemCheck::few(&last.site.briefing, &last.site.analysis.wordings);
        let archives = self.fresh_archives(last, edits)?;
        let mut edited = Edited::default();
        for file in edits {
            match &file.item {
                Loaded::Incident(new) => {
                    let incident = self.checked_incident(last, &check, file, new)?;
                    edited.incidents.push(incident);
                }
                Loaded::Figure(new) => {
                    let figure = checked_figure(last, &check, &archives, file, new)?;
                    edited.figures.push(figure);
                }
                _ => return None,
            }
        }
        Some(edited)
    }

    /// The archives as the kept site read them, with those the edit reads (the archives
    /// of the sources the edited figures' claims cite) and those that could not be read
    /// (every archive, when not all of them are watched) read again; `None` when any of
    /// those changed: the full path reads them all.
    ///
    /// Sound because the output reads an archive only through validation (quote statuses,
    /// archive pages), and every change to an archive the fast path does not read again
    /// is reported in `Changes::archives`, which takes the full path: `sitrep serve`
    /// watches the folder of every archive the sources name ([`Rebuilder::archive_files`];
    /// an archive under `content/` arrives as a content change, which is not an incident
    /// or figure file and also takes the full path). An archive that could not be read
    /// may be in a folder that did not exist to be watched, so it is read each time; so
    /// is every archive when the server could not watch them all
    /// ([`Rebuilder::set_archives_watched`]).
    fn fresh_archives(&self, last: &Last, edits: &[LoadedFile]) -> Option<Archives> {
        let b = &last.site.briefing;
        let cited = (edits.iter())
            .filter_map(|file| match &file.item {
                Loaded::Figure(figure) => Some(figure),
                _ => None,
            })
            .flat_map(|figure| &figure.claims)
            .filter_map(|claim| b.source_index(&claim.source));
        let unread = (b.indexed_sources())
            .filter(|&(s, source)| {
                !self.archives_watched || (source.archive.is_some() && last.archives[s].is_none())
            })
            .map(|(s, _)| s);
        let mut archives = last.archives.clone();
        for s in cited.chain(unread) {
            let fresh = (b.sources[s].archive.as_ref()).and_then(|path| {
                self.caches
                    .archive(&self.root, path, self.max_file_size())
                    .ok()
            });
            let same = match (&fresh, &last.archives[s]) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            };
            if !same {
                return None;
            }
            archives[s] = fresh;
        }
        Some(archives)
    }

    /// An edited incident with its scanned body, if it has no findings.
    fn checked_incident(
        &self,
        last: &Last,
        check: &ItemCheck,
        file: &LoadedFile,
        new: &Incident,
    ) -> Option<(IncidentIx, Incident, Body)> {
        let site = &last.site;
        let i = site.briefing.incident_index(&new.id)?;
        if site.briefing.incidents[i].origin.file != file.path {
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
        let mut new = new.clone();
        site.anchors.incident(&mut new);
        Some((i, new, body))
    }

    /// Patches the checked items into the kept site, then renders and writes the output
    /// files that read an input whose fingerprint changed (every file when a site-wide
    /// value changed).
    fn patch_and_render(
        &mut self,
        edited: Edited,
        warnings: &mut Diagnostics,
    ) -> Option<Result<Update, Diagnostics>> {
        let strict = self.strict().is_some();
        let (last, templates) = (self.last.as_mut()?, self.templates.as_ref()?);
        let patched = apply(last, edited.incidents, edited.figures);
        crate::timings::lap("patch");
        let same_pages = last.refresh_split_pages(&patched);
        crate::timings::lap("split jobs");
        if strict && !last.warnings.is_empty() {
            // Warnings are errors: the full path reports them, from the files as they are.
            self.last = None;
            return None;
        }
        let full = last.refresh_globals(&self.theme, &patched, same_pages);
        crate::timings::lap("settings");
        let jobs = last.jobs_after(&patched, full);
        let result = (self.output).update(
            &last.site,
            templates,
            &self.theme,
            &last.globals,
            &jobs,
            full,
        );
        crate::timings::lap("render and write");
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
}

/// An edited figure with its quote statuses, if it has no findings.
fn checked_figure(
    last: &Last,
    check: &ItemCheck,
    archives: &Archives,
    file: &LoadedFile,
    new: &Figure,
) -> Option<(FigureIx, Figure, Vec<QuoteStatus>)> {
    let site = &last.site;
    let b = &site.briefing;
    let f = b.figure_index(&new.id)?;
    if b.figures[f].origin.file != file.path {
        return None;
    }
    // A whole or a wider figure that lists this one must count in its unit: a check of
    // those figures, which the full path runs.
    let listed = !site.index.wholes_of[f].is_empty() || !site.index.narrower_of[f].is_empty();
    if listed && b.figures[f].unit != new.unit {
        return None;
    }
    let (quotes, found) = check.figure(new, archives);
    if !found.is_empty() {
        return None;
    }
    let mut new = new.clone();
    site.anchors.figure(&mut new);
    Some((f, new, quotes))
}

impl Last {
    /// Brings the pages of the split listings up to date after `patched`; returns whether
    /// they stayed the same. They follow from the number of items (fixed on the fast
    /// path), the matrix's columns (from the index), the dates of incidents and claims
    /// (the timeline's months) and the number of checks with their figures' scopes and
    /// incidents' dates (the checks' months; scopes and incident dates change with the
    /// index): only the parts whose sources changed are made again.
    fn refresh_split_pages(&mut self, patched: &Patched) -> bool {
        let t = &patched.touched;
        if t.index || patched.full.is_some() {
            let split_pages = render::split::jobs(&self.site);
            let same = split_pages == self.split_pages;
            self.split_pages = split_pages;
            return same;
        }
        let again = |listing: Listing| match listing {
            Listing::Timeline => t.dates,
            Listing::Checks => t.checks_moved,
            _ => false,
        };
        if !again(Listing::Timeline) && !again(Listing::Checks) {
            debug_assert_eq!(self.split_pages, render::split::jobs(&self.site));
            return true;
        }
        let month_listing = |job: &Job| match *job {
            Job::MonthPage(listing, ..) => Some(listing),
            _ => None,
        };
        let mut pages: Vec<Job> = (self.split_pages.iter())
            .filter(|job| month_listing(job).is_none())
            .copied()
            .collect();
        for listing in [Listing::Timeline, Listing::Checks] {
            match again(listing) {
                true => pages.extend(render::split::month_jobs(&self.site, listing)),
                false => pages.extend(
                    (self.split_pages.iter()).filter(|job| month_listing(job) == Some(listing)),
                ),
            }
        }
        debug_assert_eq!(pages, render::split::jobs(&self.site));
        let same = pages == self.split_pages;
        self.split_pages = pages;
        same
    }

    /// Checks the values every page receives, and the pages of the split listings
    /// (`same_pages`: whether they stayed the same), against the patched site. Returns why
    /// every output file must be rendered again, if it must (then with new `Globals`, keeping
    /// only the search index).
    fn refresh_globals(
        &mut self,
        theme: &[(String, Vec<u8>)],
        patched: &Patched,
        same_pages: bool,
    ) -> Option<&'static str> {
        let settings = Settings::of(&self.site).with_theme(theme);
        let full = match (
            &patched.full,
            settings != *self.globals.settings(),
            same_pages,
        ) {
            (Some(reason), _, _) => Some(*reason),
            (None, true, _) => Some("the navigation or a site-wide setting changed"),
            (None, false, false) => Some("pages of a split listing were added or removed"),
            (None, false, true) => None,
        };
        if full.is_some() {
            let globals = Globals::new(&self.site).with_theme(theme).keeping_rows();
            self.globals = globals.keeping_search_index(&self.globals);
        }
        full
    }

    /// The output files to render after `patched`: every file (with fingerprints and
    /// input map made anew) when `full`; else the readers of the inputs whose fingerprints
    /// changed, whose kept fragments are forgotten.
    fn jobs_after(&mut self, patched: &Patched, full: Option<&'static str>) -> Vec<Job> {
        if full.is_some() {
            self.fingerprints = Fingerprints::of(&self.site);
            self.map = InputMap::of(&self.site);
            return render::pages(&self.site);
        }
        let site = &self.site;
        let t = &patched.touched;
        let edit = Edit {
            incidents: &patched.edited_incidents,
            figures: &patched.figures,
            index: t.index,
            order: t.order,
            browse: t.browse,
            checks: t.checks,
        };
        let changed = self.fingerprints.update(site, &edit);
        crate::timings::lap("changed inputs");
        self.globals.forget(&changed);
        let mut jobs = self.map.readers(&changed);
        // The inputs of an item's page follow the relations, which may have changed.
        self.map.redeclare(site, &jobs);
        jobs.extend(self.map.readers(&changed));
        crate::timings::lap("readers");
        (jobs.into_iter())
            .filter(|&job| render::feeds::job_applies(&self.site, job))
            .collect()
    }
}
