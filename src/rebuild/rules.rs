//! Which output files show what: the rules both [`super::affected`] and [`super::apply`]
//! follow from an old and a new item to the pages to re-render.

use crate::analyse::FigureAnalysis;
use crate::markdown::Body;
use crate::model::{Briefing, Figure, Incident};
use crate::render::{Job, feeds};
use crate::site::Site;
use crate::validate::QuoteStatus;

/// The files an edit of an incident's front matter re-renders besides the pages of the
/// incident, its sources and the figures scoped to it: the lists that show every incident,
/// the sitemap when `updated` (its `lastmod`) changed, and the feed when the incident is
/// in it (has `updated`) before or after.
pub(super) fn incident_listing_jobs(old: &Incident, new: &Incident) -> Vec<Job> {
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
pub(super) fn feed_entry_changed(old: (&Incident, &Body), new: (&Incident, &Body)) -> bool {
    (old.0.updated.is_some() || new.0.updated.is_some())
        && feeds::incident_summary(old.1) != feeds::incident_summary(new.1)
}

/// The pages that show figure `f` (as `figure` with `analysis`, before or after an edit)
/// besides the site-wide ones and its sources' (see [`claim_source_jobs`]): related figures
/// (parts, wholes, windows, shared checks) and the incidents in its scope. Ids are looked
/// up in `site`.
pub(super) fn related_jobs(
    site: &Site,
    f: usize,
    figure: &Figure,
    analysis: &FigureAnalysis,
) -> Vec<Job> {
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
pub(super) fn scope_jobs(b: &Briefing, figure: &Figure) -> Vec<Job> {
    let incidents = figure.scope.incidents.iter();
    (incidents.filter_map(|id| b.incident_index(id)))
        .map(Job::Incident)
        .collect()
}

/// Figure `f` of `site` with its analysis and quote statuses, as [`claim_source_jobs`]
/// compares them.
pub(super) fn claims(site: &Site, f: usize) -> (&Figure, &FigureAnalysis, &[QuoteStatus]) {
    let quotes = &site.validation.quotes[f];
    (&site.briefing.figures[f], &site.analysis.figures[f], quotes)
}

/// The pages of the sources whose claims of a figure changed between `old` and `new`
/// (figure, analysis, quote statuses) as source pages show them: a claim's fields, its
/// analysis or its quote status; every claim when the figure's label (each claim links to
/// the figure) or a claim's id (anchors of `superseded_by`) changed.
pub(super) fn claim_source_jobs(
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
pub(super) fn figure_jobs(
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
