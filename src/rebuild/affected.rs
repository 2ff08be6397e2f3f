//! The whole-site diff: the output files whose bytes may differ between two sites
//! ([`affected`]), through the rules in `rules.rs`.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use super::rules::{
    claim_source_jobs, claims, feed_entry_changed, figure_jobs, incident_listing_jobs, related_jobs,
};
use crate::load::{self};
use crate::model::Origin;
use crate::render::{self, Globals, Job};
use crate::site::Site;

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
pub(super) fn same_ids<T>(a: &[T], b: &[T], id: impl Fn(&T) -> &String) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| id(x) == id(y))
}

/// Whether two items came from the same file with the same text, and so are equal:
/// parsing is a pure function of path and text.
pub(super) fn same_origin(a: &Origin, b: &Origin) -> bool {
    a.file == b.file && (Arc::ptr_eq(&a.text, &b.text) || a.text == b.text)
}

/// The front matter of a Markdown file (everything when it has none).
pub(super) fn front_matter(origin: &Origin) -> &str {
    load::split_front_matter(&origin.text).map_or(&origin.text, |(yaml, _)| yaml)
}
