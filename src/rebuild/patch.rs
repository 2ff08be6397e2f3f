//! The fast path: patching the kept site in place after edits of existing incidents and
//! figures ([`apply`]): items, bodies, quote statuses, analysis, checks, indexes and
//! warnings. Which output files to render again then follows from the fingerprints of the
//! changed items' inputs (`render::inputs`).

use std::collections::{BTreeMap, BTreeSet};

use super::Last;
use super::affected::{front_matter, same_origin};
use crate::analyse::{self, Analysis, Check, FigureAnalysis};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::facets::{self, Browse};
use crate::markdown::Body;
use crate::model::{Briefing, Figure, FigureIx, Incident, IncidentIx, SourceIx};
use crate::render;
use crate::site::{self, Lookups, Site};
use crate::validate::{self, QuoteStatus};

/// What patching the kept site changed.
pub(super) struct Patched {
    /// Why every output file must be re-rendered, when it must.
    pub(super) full: Option<&'static str>,
    /// Figures whose item or analysis changed.
    pub(super) figures: BTreeSet<FigureIx>,
    /// Incidents whose file changed.
    pub(super) edited_incidents: BTreeSet<IncidentIx>,
    /// What else changed beside the edited items, for what is made over the whole site
    /// (fingerprints, the pages of the split listings).
    pub(super) touched: Touched,
}

/// What a patch changed beside the edited items themselves.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Touched {
    /// The index was built again (relations, citations, the order of incidents and
    /// sources).
    pub(super) index: bool,
    /// An incident moved in the time order (a new title).
    pub(super) order: bool,
    /// The browse table was built again, or an incident moved in its lists.
    pub(super) browse: bool,
    /// The consistency checks changed.
    pub(super) checks: bool,
    /// Checks came or went, or are of other figures (their months may have changed).
    pub(super) checks_moved: bool,
    /// An incident's date, or a claim's `stated_on`, changed (the months of the timeline).
    pub(super) dates: bool,
}

/// Puts edited incidents (index, item, rendered body) and figures (index, item, quote
/// statuses) into the kept site, updating bodies, validation, analysis, indexes and
/// warnings, and returns what changed: the output files to re-render follow from the
/// fingerprints of the changed items' inputs (see `render::inputs`).
pub(super) fn apply(
    last: &mut Last,
    incidents: Vec<(IncidentIx, Incident, Body)>,
    figures: Vec<(FigureIx, Figure, Vec<QuoteStatus>)>,
) -> Patched {
    let mut progress = Progress::default();
    put_incidents(&mut last.site, incidents, &mut progress);
    put_figures(&mut last.site, figures, &mut progress);
    let site = &mut last.site;
    if progress.rebuild_index {
        site.index = Lookups::build(&site.briefing);
        crate::timings::lap("index");
    } else if progress.rebuild_browse {
        site.index.browse = Browse::build(&site.briefing, &site.index.incidents_by_time);
        crate::timings::lap("browse table");
    }
    // A new, renamed or vanished facet value, or a list that takes another number of pages,
    // adds or removes output files: the full path writes and sweeps them. Only a new
    // browse table can.
    if progress.rebuild_index || progress.rebuild_browse || progress.browse_rebuilt {
        let browse_pages = browse_paths(site);
        if progress.full.is_none() && browse_pages != last.browse_pages {
            progress.full = Some("the browse pages changed");
        }
        last.browse_pages = browse_pages;
        crate::timings::lap("browse paths");
    }
    let edited = std::mem::take(&mut progress.figures);
    // Which figure each check is of: while they stay the same, so do the checks' months.
    let check_figures =
        |site: &Site| -> Vec<FigureIx> { site.analysis.checks.iter().map(Check::figure).collect() };
    let figures_before = progress.rerun_checks.then(|| check_figures(site));
    let (edited, checks_changed) = reanalyse(site, edited, progress.rerun_checks);
    let checks_moved = checks_changed && figures_before != Some(check_figures(site));
    if checks_changed || progress.recount_cited {
        update_warnings(last, checks_changed, progress.recount_cited);
    }
    let touched = Touched {
        index: progress.rebuild_index,
        order: progress.reordered,
        browse: progress.rebuild_index || progress.rebuild_browse || progress.reordered,
        checks: checks_changed,
        checks_moved,
        dates: progress.dates,
    };
    Patched {
        full: progress.full,
        figures: edited,
        edited_incidents: progress.edited_incidents,
        touched,
    }
}

/// The paths of the browse pages: a value renamed keeps its job but moves its page.
pub(super) fn browse_paths(site: &Site) -> Vec<String> {
    let jobs = render::browse_jobs(site).into_iter();
    jobs.map(|job| render::job_path(site, job)).collect()
}

/// What putting the edited items into the kept site found.
#[derive(Default)]
struct Progress {
    full: Option<&'static str>,
    rebuild_index: bool,
    /// Whether an incident's facet values or a claim's source or party changed.
    rebuild_browse: bool,
    /// Whether the browse table was built again while patching (for a new title).
    browse_rebuilt: bool,
    recount_cited: bool,
    rerun_checks: bool,
    /// Whether an incident was moved in the time order for a new title.
    reordered: bool,
    /// Whether an incident's date or a claim's `stated_on` changed.
    dates: bool,
    /// Incidents whose file changed.
    edited_incidents: BTreeSet<IncidentIx>,
    /// Figures whose file changed.
    figures: BTreeSet<FigureIx>,
}

/// The indices of the sources `ids` names, sorted.
fn source_indices(b: &Briefing, ids: &[String]) -> Vec<SourceIx> {
    let mut found: Vec<SourceIx> = ids.iter().filter_map(|id| b.source_index(id)).collect();
    found.sort_unstable();
    found
}

/// Puts edited incidents into the site, with their bodies; patches the index for a new
/// title, or asks for it to be built again for new dates or sources.
fn put_incidents(site: &mut Site, incidents: Vec<(IncidentIx, Incident, Body)>, p: &mut Progress) {
    for (i, new, body) in incidents {
        let b = &mut site.briefing;
        if same_origin(&b.incidents[i].origin, &new.origin) {
            continue;
        }
        let old = std::mem::replace(&mut b.incidents[i], new);
        let old_body = std::mem::replace(&mut site.bodies.incidents[i.get()], body);
        let (b, new) = (&site.briefing, &site.briefing.incidents[i]);
        p.edited_incidents.insert(i);
        p.recount_cited |= cited(&old, &old_body) != cited(new, site.bodies.incident(i));
        if front_matter(&old.origin) == front_matter(&new.origin) {
            continue;
        }
        p.rebuild_browse |= facets::of_incident(&old) != facets::of_incident(new);
        let (old_sources, new_sources) = (
            source_indices(b, &old.sources),
            source_indices(b, &new.sources),
        );
        if old_sources != new_sources {
            p.full = Some("the number of claims or incidents citing a source changed");
        }
        p.dates |= old.date != new.date;
        if old_sources != new_sources || old.date != new.date {
            p.rebuild_index = true;
        } else if old.title != new.title && !p.rebuild_index {
            p.browse_rebuilt |= site.index.retitle_incident(b, i);
            p.reordered = true;
        }
    }
}

/// Puts edited figures into the site, with their quote statuses; notes whether the checks
/// between figures must run again and whether the index must be built again.
fn put_figures(
    site: &mut Site,
    figures: Vec<(FigureIx, Figure, Vec<QuoteStatus>)>,
    p: &mut Progress,
) {
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
        p.rerun_checks |= related(site, &site.briefing.figures[f]) || related(site, &new);
        let old = std::mem::replace(&mut site.briefing.figures[f], new);
        let new = &site.briefing.figures[f];
        let claim_sources = |fig: &Figure| {
            fig.claims
                .iter()
                .map(|c| c.source.clone())
                .collect::<Vec<_>>()
        };
        let (old_claims, new_claims) = (claim_sources(&old), claim_sources(new));
        let b = &site.briefing;
        if source_indices(b, &old_claims) != source_indices(b, &new_claims) {
            p.full = Some("the number of claims or incidents citing a source changed");
            p.recount_cited = true;
        }
        // Values pages share are kept per claim, by position: a figure with another number
        // of claims moves every later figure's.
        if old.claims.len() != new.claims.len() {
            p.full = Some("the number of claims of a figure changed");
        }
        let parties = |fig: &Figure| {
            (fig.claims.iter())
                .map(|c| c.stated_by.party.clone())
                .collect::<Vec<_>>()
        };
        p.rebuild_browse |= parties(&old) != parties(new);
        let dates = (old.claims.iter()).map(|c| &c.stated_on);
        p.dates |= !dates.eq(new.claims.iter().map(|c| &c.stated_on));
        if old_claims != new_claims
            || old.scope.incidents != new.scope.incidents
            || old.sum_of != new.sum_of
            || old.within != new.within
        {
            p.rebuild_index = true;
        }
        site.validation.quotes[f] = quotes;
        p.figures.insert(f);
    }
}

/// Analyses the `edited` figures again, and with `rerun_checks` the checks they take part
/// in. Returns the figures whose analysis or shown checks changed (the edited ones among
/// them), and whether the checks changed.
fn reanalyse(
    site: &mut Site,
    mut edited: BTreeSet<FigureIx>,
    rerun_checks: bool,
) -> (BTreeSet<FigureIx>, bool) {
    let rule = site.analysis.rule;
    let mut old_analyses: BTreeMap<FigureIx, FigureAnalysis> = BTreeMap::new();
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
    let mut touched = edited.clone();
    let checks_changed =
        rerun_checks && redo_checks_of(site, &mut edited, &mut touched, &mut old_analyses);
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
    (edited, checks_changed)
}

/// Runs the checks the `edited` figures take part in again. When they changed, puts them
/// into the analysis of every figure they involve (added to `touched`, their analyses as
/// they were to `old_analyses`) and adds to `edited` the figures whose shown checks differ.
/// Returns whether the checks changed.
fn redo_checks_of(
    site: &mut Site,
    edited: &mut BTreeSet<FigureIx>,
    touched: &mut BTreeSet<FigureIx>,
    old_analyses: &mut BTreeMap<FigureIx, FigureAnalysis>,
) -> bool {
    // The checks an edited figure takes part in are declared by it or by its wholes and
    // wider windows (unchanged unless edited too, so the patched index has them).
    let redo: BTreeSet<FigureIx> = (edited.iter())
        .flat_map(|&f| {
            let index = &site.index;
            let declaring = index.wholes_of[f].iter().chain(&index.narrower_of[f]);
            std::iter::once(f).chain(declaring.copied())
        })
        .collect();
    let checks = match redo_checks(&site.briefing, &site.analysis, &redo) {
        Some(checks) => checks,
        None => return false,
    };
    let old_checks = std::mem::replace(&mut site.analysis.checks, checks);
    for f in figures_in_changed_checks(&old_checks, &site.analysis.checks) {
        if touched.insert(f) {
            old_analyses.insert(f, site.analysis.figures[f].clone());
        }
    }
    let touched_now = touched.clone();
    analyse::apply_checks(&mut site.analysis.figures, &site.analysis.checks, |f| {
        touched_now.contains(&f)
    });
    // A figure page shows its checks: compare them by content, not index.
    for &f in touched.iter() {
        let old: Vec<&Check> = (old_analyses[&f].checks.iter())
            .map(|&n| &old_checks[n])
            .collect();
        let new: Vec<&Check> = (site.analysis.figures[f].checks.iter())
            .map(|&n| &site.analysis.checks[n])
            .collect();
        if old != new {
            edited.insert(f);
        }
    }
    true
}

/// Replaces the warnings that depend on the whole site: failed checks (when the checks
/// changed) and sources nothing cites (when citations changed).
fn update_warnings(last: &mut Last, checks_changed: bool, recount_cited: bool) {
    let site = &last.site;
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

/// The checks of `analysis` with those declared by the figures `redo` run again (on their
/// current analysis), or `None` when they came out as they were. Checks are in the order
/// of the figures declaring them, as [`analyse::checks::run`] lists them, so the others
/// are copied between.
pub(super) fn redo_checks(
    b: &Briefing,
    analysis: &Analysis,
    redo: &BTreeSet<FigureIx>,
) -> Option<Vec<Check>> {
    let old = &analysis.checks;
    let declared_by = |w: FigureIx| {
        let start = old.partition_point(|c| c.figure() < w);
        let end = start + old[start..].partition_point(|c| c.figure() == w);
        start..end
    };
    let redone: Vec<(std::ops::Range<usize>, Vec<Check>)> = (redo.iter())
        .map(|&w| {
            (
                declared_by(w),
                analyse::checks::declared_by(b, &analysis.figures, w),
            )
        })
        .filter(|(was, now)| old[was.clone()] != now[..])
        .collect();
    if redone.is_empty() {
        return None;
    }
    let mut checks = Vec::with_capacity(old.len());
    let mut from = 0;
    for (was, now) in redone {
        checks.extend_from_slice(&old[from..was.start]);
        checks.extend(now);
        from = was.end;
    }
    checks.extend_from_slice(&old[from..]);
    Some(checks)
}

/// The figures whose checks, as analyses refer to them (by position), differ between `old`
/// and `new`: the figures of each check that changed, and when the number of checks
/// changed, of every check from the first difference on (those moved).
pub(super) fn figures_in_changed_checks(old: &[Check], new: &[Check]) -> BTreeSet<FigureIx> {
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
pub(super) fn uncited_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut found = Diagnostics::default();
    validate::warn_uncited_sources(&site.briefing, &site.bodies, &mut found);
    found.into_vec()
}

/// The source ids an incident refers to, in `sources` and in citations of its body.
pub(super) fn cited<'a>(incident: &'a Incident, body: &'a Body) -> Vec<&'a str> {
    let mut ids: Vec<&str> = incident.sources.iter().map(String::as_str).collect();
    ids.extend(body.citations.iter().map(|c| c.id.as_str()));
    ids.sort_unstable();
    ids.dedup();
    ids
}
