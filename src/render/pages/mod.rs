//! Pages: what each page shows, one module per family of pages (the data every built-in
//! page receives, built from the analysed site as small precomputed values; see
//! `docs/templates.md` for the variables). This module dispatches a job to its family and
//! holds the generic content pages.

mod figure;
mod incident;
mod listings;
mod methodology;
mod overview;
mod source;

use serde::Serialize;
use tera::Value;

use crate::markdown::{self, PAGE_ROOT, SourceTitles};
use crate::render::Job;
use crate::render::inputs::{Input, SiteFact};
use crate::render::rows::IncidentList;
use crate::render::rows::Rows;
use crate::render::shared::Shared;
use crate::site::Site;

/// A page's template, title, description and its own variables.
pub(in crate::render) struct PageData {
    pub(in crate::render) template: &'static str,
    pub(in crate::render) title: String,
    pub(in crate::render) description: String,
    pub(in crate::render) values: Vec<(&'static str, Value)>,
    /// The incidents the page lists as `incidents_html`, each rendered by
    /// `incident_item.html` (see [`Rows::incident_list`]).
    pub(in crate::render) incident_list: Option<IncidentList>,
}

impl PageData {
    fn new(
        template: &'static str,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        PageData {
            template,
            title: title.into(),
            description: description.into(),
            values: Vec::new(),
            incident_list: None,
        }
    }

    fn with(self, key: &'static str, value: impl Serialize) -> Self {
        self.with_value(key, Value::from_serializable(&value))
    }

    fn with_value(mut self, key: &'static str, value: Value) -> Self {
        self.values.push((key, value));
        self
    }

    fn with_incident_list(mut self, list: IncidentList) -> Self {
        self.incident_list = Some(list);
        self
    }
}

pub(in crate::render) fn page_data(
    site: &Site,
    shared: &Shared,
    rows: &Rows,
    job: Job,
) -> PageData {
    let b = &site.briefing;
    match job {
        Job::Overview => overview::overview(site, shared),
        Job::Incident(i) => incident::incident(site, shared, i),
        Job::Figure(f) => figure::figure(site, shared, f),
        Job::Source(s) => source::source(site, shared, s),
        Job::Page(p) => {
            let page = &b.pages[p];
            let description = page
                .description
                .clone()
                .unwrap_or_else(|| site.bodies.pages[p].summary(160));
            PageData::new("page.html", &page.title, description).with("body", page_html(site, p))
        }
        Job::Methodology => methodology::methodology(site),
        Job::IncidentList => PageData::new(
            "incidents.html",
            "Incidents",
            format!(
                "All {} incidents of the briefing in time order.",
                b.incidents.len()
            ),
        )
        .with_value("incidents", shared.incidents_by_time(site))
        .with_incident_list(IncidentList::All),
        Job::FigureList => PageData::new(
            "figures.html",
            "Figures",
            format!(
                "All {} figures of the fact table with their ranges and flags.",
                b.figures.len()
            ),
        )
        .with_value("figures", shared.all_figures(site)),
        Job::SourceList => PageData::new(
            "sources.html",
            "Sources",
            format!(
                "The {} sources of the briefing and what each supports.",
                b.sources.len()
            ),
        )
        .with_value("sources", shared.all_sources(site)),
        Job::Matrix => listings::matrix(site, rows),
        Job::Timeline => listings::timeline(site, rows),
        Job::Checks => listings::checks(site),
        Job::NotFound => PageData::new(
            "404.html",
            "Page not found",
            "This page does not exist in the briefing.",
        ),
        Job::SearchPage => PageData::new(
            "search.html",
            "Search",
            "Search the incidents, figures and sources of the briefing.",
        ),
        Job::ClaimsCsv
        | Job::IncidentsCsv
        | Job::FiguresJson
        | Job::Sitemap
        | Job::SitemapPart(_)
        | Job::Robots
        | Job::Feed
        | Job::SearchScript
        | Job::SearchManifest
        | Job::SearchTerms(_)
        | Job::SearchDocs(_) => {
            unreachable!("data jobs are rendered without templates")
        }
    }
}

/// The HTML of content page `p`'s body, rendered for the page that shows it.
pub(super) fn page_html(site: &Site, p: usize) -> String {
    let b = &site.briefing;
    let allow_remote_images = site.config.allow_remote_images;
    markdown::render(
        &b.pages[p].body,
        PAGE_ROOT,
        &SourceTitles::new(b),
        allow_remote_images,
    )
}

/// The inputs of page `job` (see `render::inputs`): each family declares them beside its
/// view.
pub(in crate::render) fn inputs(site: &Site, job: Job) -> Vec<Input> {
    match job {
        Job::Overview => overview::inputs(site),
        Job::Incident(i) => incident::inputs(site, i),
        Job::Figure(f) => figure::inputs(site, f),
        Job::Source(s) => source::inputs(site, s),
        Job::Page(p) => page_inputs(site, p),
        Job::Methodology => methodology::inputs(site),
        Job::IncidentList => vec![Input::Fact(SiteFact::Incidents)],
        Job::FigureList => vec![Input::Fact(SiteFact::FigureSummaries)],
        Job::SourceList => vec![Input::Fact(SiteFact::SourceSummaries)],
        Job::Matrix => listings::matrix_inputs(),
        Job::Timeline => listings::timeline_inputs(),
        Job::Checks => listings::checks_inputs(),
        // The settings only (the 404 page inlines the theme's stylesheet; the search page
        // finds everything through the index files).
        Job::NotFound | Job::SearchPage => Vec::new(),
        // Data files declare theirs beside their writers (`render::inputs::of_job`).
        Job::ClaimsCsv
        | Job::IncidentsCsv
        | Job::FiguresJson
        | Job::Sitemap
        | Job::SitemapPart(_)
        | Job::Robots
        | Job::Feed
        | Job::SearchScript
        | Job::SearchManifest
        | Job::SearchTerms(_)
        | Job::SearchDocs(_) => Vec::new(),
    }
}

/// A content page reads its file and the titles of the sources its body cites.
pub(super) fn page_inputs(site: &Site, p: usize) -> Vec<Input> {
    let mut inputs = vec![Input::Page(p)];
    inputs.extend(cited_sources(site, &site.bodies.pages[p]));
    inputs
}

/// The sources a Markdown body cites: their titles are shown with the citations.
pub(super) fn cited_sources<'a>(
    site: &'a Site,
    body: &'a markdown::Body,
) -> impl Iterator<Item = Input> + 'a {
    (body.citations.iter())
        .filter_map(|c| site.briefing.source_index(&c.id))
        .map(Input::SourceSummary)
}
