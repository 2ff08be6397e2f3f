//! The overview page (the site's front page), bounded whatever the briefing's size: at
//! most [`KEY_FIGURES_SHOWN`] key figures, the [`LATEST_INCIDENTS_SHOWN`] latest incidents
//! and the [`SOURCES_SHOWN`] most-cited sources, each with a link to the full list when
//! there are more. A briefing under every bound gets every key figure, incident and
//! source, in the order of the full lists.

use tera::Value;

use super::{PageData, page_html, page_inputs};
use crate::analyse::Flag;
use crate::model::{FigureIx, IncidentIx, PageIx, SourceIx};
use crate::render::OVERVIEW_PAGE;
use crate::render::inputs::{Input, SiteFact};
use crate::render::rows::IncidentList;
use crate::render::shared::{Shared, with_entry};
use crate::render::svg;
use crate::site::Site;

/// The most key figures the overview shows. With more figures marked `key`, those where
/// sources disagree come first, then those with the most claims, then file order.
pub const KEY_FIGURES_SHOWN: usize = 20;
/// The most incidents the overview lists; with more, it lists the latest ones (by calendar
/// date, newest first).
pub const LATEST_INCIDENTS_SHOWN: usize = 50;
/// The most sources the overview lists; with more, it lists the most-cited ones (by claims,
/// then incidents citing them, then source order).
pub const SOURCES_SHOWN: usize = 50;

/// The key figures the overview shows (see [`KEY_FIGURES_SHOWN`]), and how many there are.
fn key_figures(site: &Site) -> (Vec<FigureIx>, usize) {
    let b = &site.briefing;
    let mut key: Vec<FigureIx> = (b.indexed_figures())
        .filter(|(_, fig)| fig.key)
        .map(|(f, _)| f)
        .collect();
    let total = key.len();
    if total > KEY_FIGURES_SHOWN {
        key.sort_by_key(|&f| {
            let disagree = site.analysis.figures[f]
                .flags
                .contains(&Flag::SourcesDisagree);
            (!disagree, std::cmp::Reverse(b.figures[f].claims.len()), f)
        });
        key.truncate(KEY_FIGURES_SHOWN);
        key.sort_unstable();
    }
    (key, total)
}

/// The incidents the overview lists: all in time order, or the latest (newest first).
fn overview_incidents(site: &Site) -> Vec<IncidentIx> {
    let order = &site.index.incidents_by_time;
    if order.len() <= LATEST_INCIDENTS_SHOWN {
        return order.clone();
    }
    // Calendar dates come first in time order; the others are not "latest".
    let incidents = &site.briefing.incidents;
    let dated = order
        .iter()
        .filter(|&&i| incidents[i].date.sort_key().0 == 0);
    let mut latest: Vec<IncidentIx> = dated.rev().take(LATEST_INCIDENTS_SHOWN).copied().collect();
    if latest.is_empty() {
        latest = order[..LATEST_INCIDENTS_SHOWN].to_vec();
    }
    latest
}

/// The sources the overview lists: all, or the most-cited (see [`SOURCES_SHOWN`]).
fn overview_sources(site: &Site) -> Vec<SourceIx> {
    let count = site.briefing.sources.len();
    let mut sources: Vec<SourceIx> = SourceIx::all(count).collect();
    if count > SOURCES_SHOWN {
        let index = &site.index;
        sources.sort_by_key(|&s| {
            let (claims, incidents) = (
                index.claims_of_source[s].len(),
                index.incidents_of_source[s].len(),
            );
            (std::cmp::Reverse(claims), std::cmp::Reverse(incidents), s)
        });
        sources.truncate(SOURCES_SHOWN);
    }
    sources
}

pub(super) fn overview(site: &Site, shared: &Shared) -> PageData {
    let b = &site.briefing;
    let summary = b
        .pages
        .iter()
        .position(|p| p.id == OVERVIEW_PAGE)
        .map(|p| page_html(site, PageIx::new(p)));
    let (key, key_total) = key_figures(site);
    let key: Vec<Value> = key
        .into_iter()
        .map(|f| {
            with_entry(
                shared.figure(site, f),
                "strip",
                Value::from(svg::range_strip(site, f)),
            )
        })
        .collect();
    let violations = site
        .analysis
        .checks
        .iter()
        .filter(|c| !c.consistent)
        .count();
    let incidents_cut = b.incidents.len() > LATEST_INCIDENTS_SHOWN;
    let incidents = match incidents_cut {
        false => shared.incidents_by_time(site),
        true => Value::from(
            (overview_incidents(site).into_iter())
                .map(|i| shared.incident(site, i))
                .collect::<Vec<_>>(),
        ),
    };
    let sources_cut = b.sources.len() > SOURCES_SHOWN;
    let sources = match sources_cut {
        false => shared.all_sources(site),
        true => Value::from(
            (overview_sources(site).into_iter())
                .map(|s| shared.source(site, s))
                .collect::<Vec<_>>(),
        ),
    };
    PageData::new("overview.html", &site.config.title, &site.config.description)
        .with("summary", summary)
        .with("key_figures_total", key_total)
        .with_value("key_figures", Value::from(key))
        .with_value("incidents", incidents)
        .with_incident_list(match incidents_cut {
            false => IncidentList::All,
            true => IncidentList::Latest(overview_incidents(site)),
        })
        .with_value("sources", sources)
        .with(
            "bounded",
            serde_json::json!({
                "key_figures": key_total > KEY_FIGURES_SHOWN,
                "incidents": incidents_cut,
                "sources": sources_cut,
            }),
        )
        .with(
            "counts",
            serde_json::json!({
                "incidents": b.incidents.len(),
                "figures": b.figures.len(),
                "claims": b.figures.iter().map(|f| f.claims.len()).sum::<usize>(),
                "sources": b.sources.len(),
                "disputed_figures": site.analysis.figures.iter().filter(|a| a.flags.contains(&Flag::SourcesDisagree)).count(),
                "check_violations": violations,
                "quotes_verified": site.validation.quotes_verified(),
                "quotes_total": site.validation.quotes_total(),
            }),
        )
}

/// What [`overview`] reads: the introduction page, every incident (list and items), every
/// figure (key figures, counts, strips), every source summary (with the counts the
/// most-cited are chosen by), the checks and the parties.
pub(super) fn inputs(site: &Site) -> Vec<Input> {
    let mut inputs = vec![
        Input::Fact(SiteFact::Incidents),
        Input::Fact(SiteFact::Figures),
        Input::Fact(SiteFact::SourceSummaries),
        Input::Fact(SiteFact::Checks),
        Input::Parties,
    ];
    let page = (site.briefing.pages.iter()).position(|p| p.id == OVERVIEW_PAGE);
    inputs.extend(
        page.into_iter()
            .flat_map(|p| page_inputs(site, PageIx::new(p))),
    );
    inputs
}
