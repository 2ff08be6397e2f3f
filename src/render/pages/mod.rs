//! Pages: what each page shows, one module per family of pages (the data every built-in
//! page receives, built from the analysed site as small precomputed values; see
//! `docs/templates.md` for the variables). This module dispatches a job to its family and
//! holds the generic content pages.

mod archive;
pub(in crate::render) mod browse;
mod figure;
mod incident;
mod listings;
mod methodology;
mod overview;
mod source;

use serde::Serialize;
use tera::Value;

use crate::markdown::{self, PAGE_ROOT, SourceTitles};
use crate::model::PageIx;
use crate::render::inputs::{Input, SiteFact};
use crate::render::rows::IncidentList;
use crate::render::rows::Rows;
use crate::render::shared::Shared;
use crate::render::split::Listing;
use crate::render::{Job, job_path, root_of};
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
    /// Bytes of long texts in `values` (a body's HTML), for sizing the page's buffer.
    pub(in crate::render) room: usize,
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
            room: 0,
        }
    }

    fn with(self, key: &'static str, value: impl Serialize) -> Self {
        self.with_value(key, Value::from_serializable(&value))
    }

    /// Sets `key` only when there is a value (templates test `key is defined`).
    fn with_some(self, key: &'static str, value: Option<impl Serialize>) -> Self {
        match value {
            Some(value) => self.with(key, value),
            None => self,
        }
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
    match job {
        Job::Overview => overview::overview(site, shared),
        Job::Incident(i) => incident::incident(site, shared, i),
        Job::Figure(f) => figure::figure(site, shared, f),
        Job::Source(s) => source::source(site, shared, s),
        Job::Archive(s) => archive::archive(site, shared, s),
        Job::Page(p) => content_page(site, p),
        Job::Methodology => methodology::methodology(site),
        Job::IncidentList if browse::incidents_by_month(site) => browse::month_index(site),
        Job::IncidentList => incident_list(site, shared, rows),
        Job::FigureList => listings::figure_list(site, shared, 0),
        Job::SourceList => listings::source_list(site, shared, 0),
        Job::Matrix => listings::matrix(site, rows, 0, ""),
        Job::Timeline => listings::timeline(site, rows),
        Job::Checks => listings::checks(site, rows),
        Job::ListPage(listing, page) => {
            let root = root_of(&job_path(site, job));
            match listing {
                Listing::Figures => listings::figure_list(site, shared, page),
                Listing::Sources => listings::source_list(site, shared, page),
                Listing::Matrix => listings::matrix(site, rows, page, &root),
                Listing::Timeline | Listing::Checks => {
                    unreachable!("the timeline and the checks are split by month")
                }
            }
        }
        Job::MonthPage(Listing::Checks, month, page) => {
            listings::checks_month(site, rows, month, page)
        }
        Job::MonthPage(_, month, page) => {
            let root = root_of(&job_path(site, job));
            listings::timeline_month(site, rows, month, page, &root)
        }
        Job::Browse => browse::entry(site),
        Job::BrowseIndex(facet, n) => browse::index(site, facet, n),
        Job::BrowseTerm(facet, t, n) => browse::term(site, shared, rows, facet, t, n),
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
        // Data files (`Job::is_data_file`) are written by `render_job` without templates.
        _ => unreachable!("{job:?} is a data file, rendered without a template"),
    }
}

/// Content page `p` (`content/<id>.md`).
fn content_page(site: &Site, p: PageIx) -> PageData {
    let page = &site.briefing.pages[p];
    let description = page
        .description
        .clone()
        .unwrap_or_else(|| site.bodies.page(p).summary(160));
    PageData::new("page.html", &page.title, description).with("body", page_html(site, p))
}

/// `incidents.html` when the incidents fit on a page: all of them, with the browse filter
/// (each item carries its facet terms, see `browse::filter_facets`).
fn incident_list(site: &Site, shared: &Shared, rows: &Rows) -> PageData {
    let incidents = &site.index.incidents_by_time;
    PageData::new(
        "incidents.html",
        "Incidents",
        format!(
            "All {} incidents of the briefing in time order.",
            site.briefing.incidents.len()
        ),
    )
    .with_value("incidents", shared.incidents_by_time(site))
    .with_value("filters", browse::filter_facets(site, rows, incidents))
    .with_incident_list(IncidentList::Browse(incidents.clone(), String::new()))
}

/// The HTML of content page `p`'s body, rendered for the page that shows it.
pub(super) fn page_html(site: &Site, p: PageIx) -> String {
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
        Job::Archive(s) => archive::inputs(site, s),
        Job::Page(p) => page_inputs(site, p),
        Job::Methodology => methodology::inputs(site),
        Job::IncidentList if browse::incidents_by_month(site) => browse::index_inputs(),
        Job::IncidentList => {
            let mut inputs = browse::entry_inputs();
            inputs.push(Input::Fact(SiteFact::Incidents));
            inputs
        }
        Job::Browse => browse::entry_inputs(),
        Job::BrowseIndex(..) => browse::index_inputs(),
        Job::BrowseTerm(facet, t, n) => browse::term_inputs(site, facet, t, n),
        Job::FigureList => listings::summary_list_inputs(site, Listing::Figures, 0),
        Job::SourceList => listings::summary_list_inputs(site, Listing::Sources, 0),
        Job::ListPage(listing @ (Listing::Figures | Listing::Sources), page) => {
            listings::summary_list_inputs(site, listing, page)
        }
        Job::Matrix => listings::matrix_inputs(site, 0),
        Job::ListPage(Listing::Matrix, page) => listings::matrix_inputs(site, page),
        Job::Timeline => listings::timeline_inputs(),
        Job::MonthPage(Listing::Timeline, month, _) => listings::timeline_month_inputs(month),
        Job::Checks => listings::checks_inputs(site),
        Job::MonthPage(Listing::Checks, month, _) => listings::checks_month_inputs(month),
        Job::ListPage(..) | Job::MonthPage(..) => Vec::new(),
        // The settings only (the 404 page inlines the theme's stylesheet; the search page
        // finds everything through the index files).
        Job::NotFound | Job::SearchPage => Vec::new(),
        // Data files (`Job::is_data_file`) declare theirs beside their writers
        // (`render::input_map::of_job`).
        _ => {
            debug_assert!(job.is_data_file(), "{job:?} declares no inputs");
            Vec::new()
        }
    }
}

/// A content page reads its file and the titles of the sources its body cites.
pub(super) fn page_inputs(site: &Site, p: PageIx) -> Vec<Input> {
    let mut inputs = vec![Input::Page(p)];
    inputs.extend(cited_sources(site, site.bodies.page(p)));
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
