//! The plan: every output file of a site as a [`Job`], and where each is written.
//!
//! A page kind is a `Job` variant, its path in [`job_path`] and its place in [`pages`]
//! (see docs/architecture.md, "How to add a page kind").

use crate::facets::Facet;
use crate::model::{FigureIx, IncidentIx, PageIx, SourceIx};
use crate::search;
use crate::site::Site;

use super::context::{archive_url, figure_url, incident_url, page_url, source_url};
use super::feeds;
use super::pages::browse;
use super::search_files::{self, search_index_jobs};
use super::split::{self, Listing, Month};

/// One output file to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Overview,
    Incident(IncidentIx),
    Figure(FigureIx),
    Source(SourceIx),
    /// A source's archived text with its quoted passages, when published.
    Archive(SourceIx),
    Page(PageIx),
    Methodology,
    IncidentList,
    FigureList,
    SourceList,
    Matrix,
    Timeline,
    Checks,
    /// Page `n` (0-based, at least 1) of a paginated listing (figures, sources, matrix);
    /// page 0 is the listing's own job.
    ListPage(Listing, usize),
    /// Page `n` (0-based) of the timeline's or the checks' entries in one month, when
    /// the listing is split by month (see [`split`]).
    MonthPage(Listing, Month, usize),
    NotFound,
    ClaimsCsv,
    IncidentsCsv,
    MatrixCsv,
    FiguresJson,
    /// `sitemap.xml`: the sitemap, or the sitemap index when the pages need more files.
    Sitemap,
    /// `sitemaps/N.xml`, one file of a sitemap index (see [`feeds::sitemap_parts`]).
    SitemapPart(usize),
    Robots,
    Feed,
    /// `search.html`, the search page.
    SearchPage,
    /// The search script, the index's manifest, term shards and document shards (see
    /// [`crate::search`]); only when `[search] enabled`.
    SearchScript,
    SearchManifest,
    SearchTerms(usize),
    SearchDocs(usize),
    /// The names of a facet's values (`search/f-<facet>.js`, see
    /// [`crate::search::facet_labels`]).
    SearchLabels(Facet),
    /// `browse.html`, the facets readers browse by.
    Browse,
    /// Page `n` (0-based) of a facet's index, `browse/places.html`.
    BrowseIndex(Facet, usize),
    /// Page `n` of value `t` of a facet, `browse/place/<slug>.html`.
    BrowseTerm(Facet, usize, usize),
    /// The browse filter's script, `browse/filter.js`.
    FilterScript,
}

impl Job {
    /// Whether the job is a data file (CSV, JSON, XML, text, a script or a search index
    /// file), written without a template; the others are HTML pages. The one list of data
    /// files: every variant is named, so a new job kind must be placed here.
    pub fn is_data_file(self) -> bool {
        match self {
            Job::ClaimsCsv
            | Job::IncidentsCsv
            | Job::MatrixCsv
            | Job::FiguresJson
            | Job::Sitemap
            | Job::SitemapPart(_)
            | Job::Robots
            | Job::Feed
            | Job::SearchScript
            | Job::SearchManifest
            | Job::SearchTerms(_)
            | Job::SearchDocs(_)
            | Job::SearchLabels(_)
            | Job::FilterScript => true,
            Job::Overview
            | Job::Incident(_)
            | Job::Figure(_)
            | Job::Source(_)
            | Job::Archive(_)
            | Job::Page(_)
            | Job::Methodology
            | Job::IncidentList
            | Job::FigureList
            | Job::SourceList
            | Job::Matrix
            | Job::Timeline
            | Job::Checks
            | Job::ListPage(..)
            | Job::MonthPage(..)
            | Job::NotFound
            | Job::SearchPage
            | Job::Browse
            | Job::BrowseIndex(..)
            | Job::BrowseTerm(..) => false,
        }
    }

    /// Whether rendering the job needs the search index built.
    pub(super) fn needs_search_index(self) -> bool {
        matches!(self, Job::SearchManifest | Job::SearchTerms(_))
    }
}

/// The content page that supplies the methodology page's prose, if any.
pub(super) const METHODOLOGY_PAGE: &str = "methodology";
/// The content page that supplies the overview's summary, if any.
pub(super) const OVERVIEW_PAGE: &str = "index";

/// Every output file of the site, except theme static files.
pub fn pages(site: &Site) -> Vec<Job> {
    let b = &site.briefing;
    let mut jobs = vec![
        Job::Overview,
        Job::Methodology,
        Job::IncidentList,
        Job::FigureList,
        Job::SourceList,
        Job::Matrix,
        Job::Timeline,
        Job::Checks,
        Job::NotFound,
        Job::ClaimsCsv,
        Job::IncidentsCsv,
        Job::MatrixCsv,
        Job::FiguresJson,
        Job::Sitemap,
        Job::Robots,
        Job::Feed,
    ];
    jobs.extend(split::jobs(site));
    jobs.extend(IncidentIx::all(b.incidents.len()).map(Job::Incident));
    jobs.extend(FigureIx::all(b.figures.len()).map(Job::Figure));
    jobs.extend(SourceIx::all(b.sources.len()).map(Job::Source));
    jobs.extend(
        SourceIx::all(b.sources.len())
            .filter(|&s| site.publishes_archive(s))
            .map(Job::Archive),
    );
    jobs.extend(
        b.indexed_pages()
            .filter(|(_, p)| p.id != METHODOLOGY_PAGE && p.id != OVERVIEW_PAGE)
            .map(|(i, _)| Job::Page(i)),
    );
    if site.config.search.enabled {
        jobs.extend([Job::SearchPage, Job::SearchScript]);
        jobs.extend(search_files::label_jobs());
        jobs.extend(search_index_jobs(site));
    }
    jobs.extend(browse::jobs(site));
    jobs.retain(|&job| feeds::job_applies(site, job));
    if feeds::has_sitemap(site) {
        let html_pages = jobs.iter().filter(|&&job| is_html_page(job)).count();
        jobs.extend((0..feeds::sitemap_parts(site, html_pages)).map(Job::SitemapPart));
    }
    jobs
}

/// The output path of a job, relative to the output folder.
pub fn job_path(site: &Site, job: Job) -> String {
    let b = &site.briefing;
    match job {
        Job::Overview => "index.html".into(),
        Job::Incident(i) => incident_url(&b.incidents[i].id),
        Job::Figure(f) => figure_url(&b.figures[f].id),
        Job::Source(s) => source_url(&b.sources[s].id),
        Job::Archive(s) => archive_url(&b.sources[s].id),
        Job::Page(p) => page_url(&b.pages[p].id),
        Job::Methodology => "methodology.html".into(),
        Job::IncidentList => "incidents.html".into(),
        Job::FigureList => "figures.html".into(),
        Job::SourceList => "sources.html".into(),
        Job::Matrix => "matrix.html".into(),
        Job::Timeline => "timeline.html".into(),
        Job::Checks => "checks.html".into(),
        Job::ListPage(listing, n) => listing.page_path(n),
        Job::MonthPage(listing, month, n) => month.path(listing, n),
        Job::NotFound => "404.html".into(),
        Job::ClaimsCsv => "data/claims.csv".into(),
        Job::IncidentsCsv => "data/incidents.csv".into(),
        Job::MatrixCsv => "data/matrix.csv".into(),
        Job::FiguresJson => "data/figures.json".into(),
        Job::Sitemap => "sitemap.xml".into(),
        Job::SitemapPart(n) => feeds::sitemap_part_path(n),
        Job::Robots => "robots.txt".into(),
        Job::Feed => "feed.xml".into(),
        Job::SearchPage => "search.html".into(),
        Job::SearchScript => search::script_path().into(),
        Job::SearchManifest => search::manifest_path().into(),
        Job::SearchTerms(n) => search::term_shard_path(n),
        Job::SearchDocs(n) => search::doc_shard_path(n),
        Job::SearchLabels(facet) => search::facet_labels_path(facet.name()),
        Job::Browse => "browse.html".into(),
        Job::BrowseIndex(facet, n) => browse::index_path(facet, n),
        Job::BrowseTerm(facet, t, n) => browse::term_path(site, facet, t, n),
        Job::FilterScript => browse::FILTER_SCRIPT_PATH.into(),
    }
}

/// Whether a job is an HTML page listed in navigation, the sitemap and the feed: neither a
/// data file nor the 404 or search page.
pub fn is_html_page(job: Job) -> bool {
    !job.is_data_file() && !matches!(job, Job::NotFound | Job::SearchPage)
}
