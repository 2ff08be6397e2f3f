//! The site-wide listing pages: the sources × figures matrix, the timeline, the consistency
//! checks and the figure and source lists, put together from kept rows (`render::rows`)
//! and split into pages when long (`render::split`).

use serde::Serialize;
use tera::Value;

use super::PageData;
use super::figure::{CheckCtx, check_ctx};
use crate::model::{FigureIx, SourceIx};
use crate::render::context::*;
use crate::render::inputs::{Input, SiteFact};
use crate::render::paginate::{Pager, page_count, page_range};
use crate::render::rows::Rows;
use crate::render::shared::Shared;
use crate::render::split::{self, Listing, Month, MonthLink};
use crate::site::Site;

/// The title of page `page` (0-based) of `pages`: the first keeps the listing's title.
fn page_title(title: &str, page: usize, pages: usize) -> String {
    match page {
        0 => title.to_string(),
        _ => format!("{title}, page {} of {pages}", page + 1),
    }
}

/// The pager of page `page` of `listing` (its base page and further pages), when split.
fn list_pager(site: &Site, listing: Listing, page: usize) -> Option<Pager> {
    let (total, size) = (split::total(site, listing), site.config.listings.page_size);
    let (base, folder) = (listing.base(), listing.pages_folder());
    (total > size).then(|| Pager::new_in(base, folder, page, total, size))
}

/// Figures as rows and sources as columns (by publication date, then id): briefings have
/// far more figures than sources. A large matrix is split into pages (see
/// `split::matrix_pages`), each with only the columns of the sources its figures have
/// claims from (a single page shows every source); `data/matrix.csv` holds it all.
/// With thousands of figures and hundreds of sources the table has millions of cells, so
/// each row is written as escaped HTML (`rows`, see `listing_rows::matrix_row`) rather than
/// looped over in the template.
pub(super) fn matrix(site: &Site, rows: &Rows, page: usize, root: &str) -> PageData {
    let b = &site.briefing;
    let pages = rows.matrix_pages(site);
    let range = pages[page].clone();
    let pager = (pages.len() > 1).then(|| {
        let (base, folder) = (Listing::Matrix.base(), Listing::Matrix.pages_folder());
        Pager::of_pages(
            base,
            folder,
            page,
            pages.len(),
            b.figures.len(),
            range.clone(),
        )
    });
    let figure_rows: Vec<_> = range
        .map(|f| rows.matrix_row(site, FigureIx::new(f)))
        .collect();
    let columns: Vec<usize> = match pager {
        None => (0..b.sources.len()).collect(),
        Some(_) => {
            let mut used: Vec<usize> = figure_rows.iter().flat_map(|r| r.columns()).collect();
            used.sort_unstable();
            used.dedup();
            used
        }
    };
    let links: Vec<Link> = (columns.iter())
        .map(|&column| {
            let source = &b.sources[site.index.sources_by_date[column]];
            Link {
                title: source.id.clone(),
                url: source_url(&source.id),
            }
        })
        .collect();
    let html: Vec<Value> = (figure_rows.iter())
        .map(|row| Value::from(row.html(&columns, root)))
        .collect();
    PageData::new(
        "matrix.html",
        page_title("Sources × figures", page, pages.len()),
        "Which source reports which figure, and what value it gives.",
    )
    .with("columns", links)
    .with_value("rows", Value::from(html))
    .with_some("pager", pager)
}

/// Page `page` of the figure list.
pub(super) fn figure_list(site: &Site, shared: &Shared, page: usize) -> PageData {
    let all = || shared.all_figures(site);
    summary_list(site, Listing::Figures, page, all, |f| {
        shared.figure(site, FigureIx::new(f))
    })
}

/// Page `page` of the source list.
pub(super) fn source_list(site: &Site, shared: &Shared, page: usize) -> PageData {
    let all = || shared.all_sources(site);
    summary_list(site, Listing::Sources, page, all, |s| {
        shared.source(site, SourceIx::new(s))
    })
}

/// Page `page` of a list of summaries, the figure or the source list: every summary
/// (`all`) when the list is not split, else the page's, each made by `one`.
fn summary_list(
    site: &Site,
    listing: Listing,
    page: usize,
    all: impl FnOnce() -> Value,
    one: impl Fn(usize) -> Value,
) -> PageData {
    let (count, size) = (split::total(site, listing), site.config.listings.page_size);
    let (template, title, key, description) = match listing {
        Listing::Figures => (
            "figures.html",
            "Figures",
            "figures",
            format!("All {count} figures of the fact table with their ranges and flags."),
        ),
        _ => (
            "sources.html",
            "Sources",
            "sources",
            format!("The {count} sources of the briefing and what each supports."),
        ),
    };
    let pager = list_pager(site, listing, page);
    let summaries = match pager {
        None => all(),
        Some(_) => Value::from(page_range(page, count, size).map(one).collect::<Vec<_>>()),
    };
    PageData::new(
        template,
        page_title(title, page, page_count(count, size)),
        description,
    )
    .with_value(key, summaries)
    .with_some("pager", pager)
}

#[derive(Serialize)]
struct TimelineDay {
    label: String,
    precision: &'static str,
    /// The day's entries as escaped `<li>` items (a long briefing has tens of thousands).
    entries_html: String,
}

const TIMELINE_TITLE: &str = "Timeline";
const TIMELINE_DESCRIPTION: &str =
    "Incidents and statements in time order, showing how the counts evolved.";

/// The entries in timeline order, each day's under one heading, for a page at `root`.
fn timeline_days(
    entries: &[&crate::render::listing_rows::TimelineEntry],
    root: &str,
) -> Vec<TimelineDay> {
    let days = entries.chunk_by(|a, b| a.day == b.day);
    days.map(|day| {
        let mut entries_html = String::with_capacity(day.iter().map(|e| e.html.len()).sum());
        for entry in day {
            entry.html.write_to(&mut entries_html, root);
        }
        TimelineDay {
            label: day[0].day.1.clone(),
            precision: day[0].precision,
            entries_html,
        }
    })
    .collect()
}

/// `timeline.html`: every entry, or the index of months when the timeline is split.
pub(super) fn timeline(site: &Site, rows: &Rows) -> PageData {
    if split::is_split(site, Listing::Timeline) {
        let months = rows.timeline_month_counts(site);
        return month_index(
            site,
            Listing::Timeline,
            TIMELINE_TITLE,
            TIMELINE_DESCRIPTION,
            &months,
            None,
        );
    }
    let days = rows.timeline(site, |entries| timeline_days(entries, ""));
    PageData::new("timeline.html", TIMELINE_TITLE, TIMELINE_DESCRIPTION).with("days", days)
}

/// Page `page` of the timeline's entries in `month`, at `root`.
pub(super) fn timeline_month(
    site: &Site,
    rows: &Rows,
    month: Month,
    page: usize,
    root: &str,
) -> PageData {
    let (days, total) = rows.timeline_month(site, month, page, |entries, total| {
        (timeline_days(entries, root), total)
    });
    month_page(site, Listing::Timeline, TIMELINE_TITLE, month, page, total).with("days", days)
}

/// The variables every month page shows: its month, its pager and the way back to the
/// index of months.
fn month_page(
    site: &Site,
    listing: Listing,
    title: &str,
    month: Month,
    page: usize,
    total: usize,
) -> PageData {
    let size = site.config.listings.page_size;
    let title = page_title(
        &format!("{title}: {}", month.label()),
        page,
        page_count(total, size),
    );
    let noun = nouns(listing).1;
    let description = match month {
        Month::Known { .. } => format!("The {total} {noun} of {}.", month.label()),
        Month::Unknown => format!("The {total} {noun} without a known month."),
    };
    PageData::new(listing.base(), title, description)
        .with("month", month.label())
        .with("index_url", listing.base())
        .with(
            "pager",
            Pager::new(&month.path(listing, 0), page, total, size),
        )
}

/// What a split-by-month listing's entries are called, one and many.
fn nouns(listing: Listing) -> (&'static str, &'static str) {
    match listing {
        Listing::Checks => ("check", "checks"),
        _ => ("entry", "entries"),
    }
}

/// The base page of a split listing: its months, newest first, with their counts.
fn month_index(
    site: &Site,
    listing: Listing,
    title: &str,
    description: &str,
    counts: &split::MonthCounts,
    failed: Option<&split::MonthCounts>,
) -> PageData {
    let size = site.config.listings.page_size;
    let mut months: Vec<MonthLink> = split::month_links(listing, counts, size);
    if let Some(failed) = failed {
        for (link, month) in months.iter_mut().zip(split::month_order(counts)) {
            link.failed = failed.get(&month).copied();
        }
    }
    PageData::new("month_index.html", title, description)
        .with("months", months)
        .with("total", counts.values().sum::<usize>())
        .with("noun_one", nouns(listing).0)
        .with("noun", nouns(listing).1)
        .with("listing", listing.base().trim_end_matches(".html"))
}

const CHECKS_TITLE: &str = "Consistency checks";
const CHECKS_DESCRIPTION: &str = "Whether parts add up to wholes and counts over a shorter time window or a smaller place fit in the wider ones, per source and per party.";

/// Every check on one page: failed ones first.
fn checks_page(site: &Site, checks: impl Iterator<Item = usize>) -> (Vec<CheckCtx>, usize) {
    let mut all: Vec<CheckCtx> = checks.map(|n| check_ctx(site, n)).collect();
    all.sort_by_key(|c| c.consistent);
    let violations = all.iter().filter(|c| !c.consistent).count();
    (all, violations)
}

/// `checks.html`: every check, or the index of months when the checks are split.
pub(super) fn checks(site: &Site, rows: &Rows) -> PageData {
    let checks = 0..site.analysis.checks.len();
    if split::is_split(site, Listing::Checks) {
        let (months, failed) = rows.check_month_counts(site);
        return month_index(
            site,
            Listing::Checks,
            CHECKS_TITLE,
            CHECKS_DESCRIPTION,
            &months,
            Some(&failed),
        );
    }
    let (all, violations) = checks_page(site, checks);
    PageData::new("checks.html", CHECKS_TITLE, CHECKS_DESCRIPTION)
        .with("checks", all)
        .with("violations", violations)
}

/// Page `page` of the checks in `month` (failed ones first, across the month's pages; the
/// month's failed checks are counted on each, on whichever of its pages they are listed).
pub(super) fn checks_month(site: &Site, rows: &Rows, month: Month, page: usize) -> PageData {
    let checks = rows.month_checks(site, month, page);
    let shown: Vec<CheckCtx> = (checks.shown.iter()).map(|&n| check_ctx(site, n)).collect();
    month_page(
        site,
        Listing::Checks,
        CHECKS_TITLE,
        month,
        page,
        checks.total,
    )
    .with("checks", shown)
    .with("violations", checks.failed)
}

/// What [`matrix`] reads: every figure with its claims, the sources (columns, in date
/// order) and the parties (each cell's title).
/// Split, page `page` reads the figures on it, and which figures those are.
pub(super) fn matrix_inputs(site: &Site, page: usize) -> Vec<Input> {
    let pages = split::matrix_pages(site);
    let mut inputs = vec![Input::Fact(SiteFact::SourceSummaries), Input::Parties];
    match pages.get(page) {
        Some(range) if pages.len() > 1 => {
            inputs.push(Input::Fact(SiteFact::MatrixPages));
            inputs.extend(range.clone().map(|f| Input::Figure(FigureIx::new(f))));
        }
        _ => inputs.push(Input::Fact(SiteFact::Figures)),
    }
    inputs
}

/// What page `page` of the figure or the source list reads: every summary, or, when the
/// list is split, the summaries on the page (which figures or sources those are follows
/// from their number: when it changes, pages come or go and everything is rendered).
pub(super) fn summary_list_inputs(site: &Site, listing: Listing, page: usize) -> Vec<Input> {
    let (count, size) = (split::total(site, listing), site.config.listings.page_size);
    let split = count > size;
    match listing {
        Listing::Figures if split => (page_range(page, count, size))
            .map(|f| Input::FigureSummary(FigureIx::new(f)))
            .collect(),
        Listing::Figures => vec![Input::Fact(SiteFact::FigureSummaries)],
        _ if split => (page_range(page, count, size))
            .map(|s| Input::SourceSummary(SourceIx::new(s)))
            .collect(),
        _ => vec![Input::Fact(SiteFact::SourceSummaries)],
    }
}

/// What [`timeline_month`] reads: the month's entries (see [`Input::TimelineMonth`]).
pub(super) fn timeline_month_inputs(month: Month) -> Vec<Input> {
    vec![Input::TimelineMonth(month)]
}

/// What [`checks_month`] reads: the month's checks and the parties (check groups).
pub(super) fn checks_month_inputs(month: Month) -> Vec<Input> {
    vec![Input::CheckMonth(month), Input::Parties]
}

/// What [`timeline`] reads: every incident's front matter, in time order, and every claim
/// (split, which entries fall in which month follows from them).
pub(super) fn timeline_inputs() -> Vec<Input> {
    vec![
        Input::Fact(SiteFact::Incidents),
        Input::Fact(SiteFact::Claims),
    ]
}

/// What [`checks`] and [`checks_month`] read: the checks, the figures' labels and the
/// parties (check groups); split by month, also every figure's scope and every incident's
/// date (a check's month).
pub(super) fn checks_inputs(site: &Site) -> Vec<Input> {
    let mut inputs = vec![
        Input::Fact(SiteFact::Checks),
        Input::Fact(SiteFact::FigureSummaries),
        Input::Parties,
    ];
    if split::is_split(site, Listing::Checks) {
        inputs.extend([
            Input::Fact(SiteFact::Figures),
            Input::Fact(SiteFact::Incidents),
        ]);
    }
    inputs
}
