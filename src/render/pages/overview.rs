//! The overview page (the site's front page).

use tera::Value;

use super::{PageData, page_html, page_inputs};
use crate::analyse::Flag;
use crate::render::OVERVIEW_PAGE;
use crate::render::inputs::{Input, SiteFact};
use crate::render::rows::IncidentList;
use crate::render::shared::{Shared, with_entry};
use crate::render::svg;
use crate::site::Site;

pub(super) fn overview(site: &Site, shared: &Shared) -> PageData {
    let b = &site.briefing;
    let summary = b
        .pages
        .iter()
        .position(|p| p.id == OVERVIEW_PAGE)
        .map(|p| page_html(site, p));
    let key: Vec<Value> = b
        .figures
        .iter()
        .enumerate()
        .filter(|(_, f)| f.key)
        .map(|(f, _)| {
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
    PageData::new("overview.html", &site.config.title, &site.config.description)
        .with("summary", summary)
        .with_value("key_figures", Value::from(key))
        .with_value("incidents", shared.incidents_by_time(site))
        .with_incident_list(IncidentList::All)
        .with_value("sources", shared.all_sources(site))
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
/// figure (key figures, counts, strips), every source summary, the checks and the parties.
pub(super) fn inputs(site: &Site) -> Vec<Input> {
    let mut inputs = vec![
        Input::Fact(SiteFact::Incidents),
        Input::Fact(SiteFact::Figures),
        Input::Fact(SiteFact::SourceSummaries),
        Input::Fact(SiteFact::Checks),
        Input::Parties,
    ];
    let page = (site.briefing.pages.iter()).position(|p| p.id == OVERVIEW_PAGE);
    inputs.extend(page.into_iter().flat_map(|p| page_inputs(site, p)));
    inputs
}
