//! Split listings: which pages the timeline, the checks, the matrix and the figure and
//! source lists take when they hold more than `[listings] page_size` entries.
//!
//! The figure list and the source list are paginated (`figures.html`,
//! `figures/page/2.html`, …, see `render::paginate`). The matrix is split into pages of
//! at most `page_size` figure rows and [`MATRIX_CELLS`] cells, each showing only the
//! columns of the sources its figures have claims from ([`matrix_pages`]). The timeline and the checks are split by
//! month: their base page becomes an index of months (newest first), each month has its
//! page (`timeline/2025-03.html`), paginated further when it holds more than `page_size`
//! entries (`timeline/2025-03/2.html`), and entries without a known month (dates given as
//! a year, a day without a year, a weekday, or unknown) have a page of their own
//! (`timeline/undated.html`). A listing that fits on one page stays one page, as it was.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Job;
use super::paginate::{page_count, page_path, page_path_in};
use crate::model::{DateValue, FigureIx, MONTHS, When};
use crate::site::Site;

/// A listing that may be split into several pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Listing {
    Figures,
    Sources,
    Matrix,
    Timeline,
    Checks,
}

impl Listing {
    /// The path of the listing's first page (or month index), the stem of its other pages.
    pub fn base(self) -> &'static str {
        match self {
            Listing::Figures => "figures.html",
            Listing::Sources => "sources.html",
            Listing::Matrix => "matrix.html",
            Listing::Timeline => "timeline.html",
            Listing::Checks => "checks.html",
        }
    }

    /// The folder of the listing's month pages.
    fn folder(self) -> &'static str {
        self.base().trim_end_matches(".html")
    }

    /// The folder of the listing's further pages: `figures/page/` and `sources/page/`,
    /// since `figures/` and `sources/` hold the item pages (a figure may be named `2`).
    pub fn pages_folder(self) -> &'static str {
        match self {
            Listing::Figures => "figures/page",
            Listing::Sources => "sources/page",
            _ => self.folder(),
        }
    }

    /// The path of page `page` (0-based) of the listing.
    pub fn page_path(self, page: usize) -> String {
        page_path_in(self.base(), self.pages_folder(), page)
    }
}

/// The month an entry is listed under: a calendar month, or none known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Month {
    Known {
        year: i32,
        month: u8,
    },
    /// A year only, a day without a year, a weekday (not anchored by `[dates]`) or unknown.
    Unknown,
}

impl Month {
    /// The month of `date`'s start (a weekday anchored by `[dates]` is a day by now).
    pub fn of(date: &When) -> Month {
        match date.start {
            DateValue::Day { year, month, .. } | DateValue::Month { year, month } => {
                Month::Known { year, month }
            }
            _ => Month::Unknown,
        }
    }

    /// The month's name in page paths: `2025-03`, or `undated`.
    pub fn slug(self) -> String {
        match self {
            Month::Known { year, month } => format!("{year:04}-{month:02}"),
            Month::Unknown => "undated".to_string(),
        }
    }

    /// The month as headings show it: "March 2025", or "No known month".
    pub fn label(self) -> String {
        match self {
            Month::Known { year, month } => {
                format!("{} {year}", MONTHS[usize::from(month) - 1])
            }
            Month::Unknown => "No known month".to_string(),
        }
    }

    /// The path of page `page` (0-based) of `listing`'s entries in this month.
    pub fn path(self, listing: Listing, page: usize) -> String {
        page_path(&format!("{}/{}.html", listing.folder(), self.slug()), page)
    }
}

/// How many entries of a split-by-month listing fall in each month, in month order
/// (months without a known month last).
pub type MonthCounts = BTreeMap<Month, usize>;

/// Every incident and dated claim on the timeline, by month.
pub fn timeline_months(site: &Site) -> MonthCounts {
    let b = &site.briefing;
    let mut counts = MonthCounts::new();
    let claims = b.figures.iter().flat_map(|f| &f.claims);
    let dates = (b.incidents.iter().map(|i| Some(&i.date)))
        .chain(claims.map(|c| c.stated_on.as_ref()))
        .flatten();
    for date in dates {
        *counts.entry(Month::of(date)).or_default() += 1;
    }
    counts
}

/// The month consistency check `n` is listed under: that of the earliest incident (with a
/// known month) in its figure's scope; checks of figures about no dated incident have no
/// known month.
pub fn check_month(site: &Site, n: usize) -> Month {
    figure_month(site, site.analysis.checks[n].figure())
}

/// The month figure `f`'s consistency checks are listed under: that of the earliest
/// incident (with a known month) in its scope, else none known.
pub fn figure_month(site: &Site, f: FigureIx) -> Month {
    let incidents = site.index.incidents_of_figure[f].iter();
    (incidents.map(|&i| Month::of(&site.briefing.incidents[i].date)))
        .filter(|&month| month != Month::Unknown)
        .min()
        .unwrap_or(Month::Unknown)
}

/// Every consistency check, by month.
pub fn check_months(site: &Site) -> MonthCounts {
    let mut counts = MonthCounts::new();
    // A check's month is that of its figure: found once per figure (a figure's checks
    // are listed together).
    let mut figure_month: Option<(FigureIx, Month)> = None;
    for (n, check) in site.analysis.checks.iter().enumerate() {
        let month = match figure_month {
            Some((f, month)) if f == check.figure() => month,
            _ => check_month(site, n),
        };
        figure_month = Some((check.figure(), month));
        *counts.entry(month).or_default() += 1;
    }
    counts
}

/// The most cells (figure rows × source columns) one matrix page shows: with thousands of
/// sources, even a few hundred rows would make a page of millions of mostly empty cells.
pub const MATRIX_CELLS: usize = 40_000;

/// Each figure's columns in the matrix: the positions in `Lookups::sources_by_date` of the
/// sources it has claims from, ascending.
pub fn figure_columns(site: &Site) -> Vec<Vec<usize>> {
    let index = &site.index;
    let mut columns = vec![Vec::new(); site.briefing.figures.len()];
    for (column, &s) in index.sources_by_date.iter().enumerate() {
        for &(f, _) in &index.claims_of_source[s] {
            if columns[f.get()].last() != Some(&column) {
                columns[f.get()].push(column);
            }
        }
    }
    columns
}

/// The figures (index ranges, in order) on each page of the matrix. A matrix of at most
/// `page_size` figures and [`MATRIX_CELLS`] cells (every source a column) is one page.
/// Otherwise figures are put on a page while it holds fewer than `page_size` rows and
/// its rows × the sources they cite stay within [`MATRIX_CELLS`] (a page holds at least
/// one figure).
pub fn matrix_pages(site: &Site) -> Vec<std::ops::Range<usize>> {
    let (figures, sources) = (site.briefing.figures.len(), site.briefing.sources.len());
    let page_size = site.config.listings.page_size;
    if figures <= page_size && figures * sources <= MATRIX_CELLS {
        return std::iter::once(0..figures).collect();
    }
    pack(&figure_columns(site), sources, page_size, MATRIX_CELLS)
}

/// Rows (each with its columns, out of `columns` in all) put on pages in order: a page
/// takes the next row while it holds fewer than `rows_max` rows and its rows × their
/// distinct columns stay within `cells_max`; every page holds at least one row.
pub fn pack(
    rows: &[Vec<usize>],
    columns: usize,
    rows_max: usize,
    cells_max: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut pages = Vec::new();
    let mut used = vec![false; columns];
    let (mut start, mut count) = (0, 0);
    for (row, own) in rows.iter().enumerate() {
        let new = own.iter().filter(|&&c| !used[c]).count();
        let height = row - start + 1;
        if height > 1 && (height > rows_max || height * (count + new) > cells_max) {
            pages.push(start..row);
            used.fill(false);
            (start, count) = (row, 0);
        }
        for &c in own {
            count += usize::from(!used[c]);
            used[c] = true;
        }
    }
    pages.push(start..rows.len());
    pages
}

/// How many entries `listing` holds.
pub fn total(site: &Site, listing: Listing) -> usize {
    let b = &site.briefing;
    match listing {
        Listing::Figures | Listing::Matrix => b.figures.len(),
        Listing::Sources => b.sources.len(),
        Listing::Timeline => {
            let claims = b.figures.iter().flat_map(|f| &f.claims);
            b.incidents.len() + claims.filter(|c| c.stated_on.is_some()).count()
        }
        Listing::Checks => site.analysis.checks.len(),
    }
}

/// Whether `listing` holds more than one page's entries, and so is split.
pub fn is_split(site: &Site, listing: Listing) -> bool {
    total(site, listing) > site.config.listings.page_size
}

/// The entries of a split-by-month listing in each month.
pub fn months(site: &Site, listing: Listing) -> MonthCounts {
    match listing {
        Listing::Checks => check_months(site),
        _ => timeline_months(site),
    }
}

/// The pages of the split listings beyond their base pages (which `render::pages` always
/// lists): the further pages of the figure list, source list and matrix, and every month
/// page of the timeline and the checks. None for a listing that fits on one page.
pub fn jobs(site: &Site) -> Vec<Job> {
    let page_size = site.config.listings.page_size;
    let mut jobs = Vec::new();
    for listing in [Listing::Figures, Listing::Sources] {
        let pages = page_count(total(site, listing), page_size);
        jobs.extend((1..pages).map(|page| Job::ListPage(listing, page)));
    }
    let pages = matrix_pages(site).len();
    jobs.extend((1..pages).map(|page| Job::ListPage(Listing::Matrix, page)));
    for listing in [Listing::Timeline, Listing::Checks] {
        jobs.extend(month_jobs(site, listing));
    }
    jobs
}

/// The month pages of a split-by-month listing (`Timeline` or `Checks`), in the order
/// [`jobs`] lists them; none when it fits on one page.
pub fn month_jobs(site: &Site, listing: Listing) -> Vec<Job> {
    let page_size = site.config.listings.page_size;
    if !is_split(site, listing) {
        return Vec::new();
    }
    let mut jobs = Vec::new();
    for (month, count) in months(site, listing) {
        let pages = page_count(count, page_size);
        jobs.extend((0..pages).map(|page| Job::MonthPage(listing, month, page)));
    }
    jobs
}

/// One month in a listing's month index.
#[derive(Debug, Clone, Serialize)]
pub struct MonthLink {
    pub label: String,
    /// Root-relative URL of the month's first page.
    pub url: String,
    pub count: usize,
    /// How many pages the month's entries take.
    pub pages: usize,
    /// How many of them failed (checks only).
    pub failed: Option<usize>,
}

/// The months of `counts` as month indexes list them: newest first, the entries without a
/// known month last.
pub fn month_order(counts: &MonthCounts) -> impl Iterator<Item = Month> + '_ {
    let known = counts.keys().filter(|m| **m != Month::Unknown).rev();
    known
        .chain(counts.keys().filter(|m| **m == Month::Unknown))
        .copied()
}

/// The months of `listing` for its month index: newest first, the entries without a known
/// month last.
pub fn month_links(listing: Listing, counts: &MonthCounts, page_size: usize) -> Vec<MonthLink> {
    month_order(counts)
        .map(|month| MonthLink {
            label: month.label(),
            url: month.path(listing, 0),
            count: counts[&month],
            pages: page_count(counts[&month], page_size),
            failed: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_pages_are_bounded_by_rows_and_cells() {
        // Rows citing columns {0}, {1}, {0,1}, {2,3}, {4}: at most 3 rows and 6 cells.
        // Page 1: rows 0–2 use 2 columns, 3 × 2 = 6 cells. Page 2: row 3 (1 × 2), then
        // row 4 would make 2 × 3 = 6: fits.
        let rows = [vec![0], vec![1], vec![0, 1], vec![2, 3], vec![4]];
        assert_eq!(pack(&rows, 5, 3, 6), [0..3, 3..5]);
        // At most 4 cells: rows 0–1 (2 × 2), row 2 would make 3 × 2 = 6: next page; rows
        // 2–3 would make 2 × 4 = 8 and rows 3–4 2 × 3 = 6: rows 2, 3 and 4 alone.
        assert_eq!(pack(&rows, 5, 3, 4), [0..2, 2..3, 3..4, 4..5]);
        // A row wider than the budget still gets a page; no rows, one empty page.
        let single = |pages: Vec<std::ops::Range<usize>>| (pages.len(), pages[0].clone());
        assert_eq!(single(pack(&[vec![0, 1, 2]], 3, 3, 2)), (1, 0..1));
        assert_eq!(single(pack(&[], 3, 3, 2)), (1, 0..0));
    }

    #[test]
    fn month_paths_are_stable_and_unknown_months_come_last() {
        let march = Month::Known {
            year: 2025,
            month: 3,
        };
        assert_eq!(march.path(Listing::Timeline, 0), "timeline/2025-03.html");
        assert_eq!(march.path(Listing::Checks, 1), "checks/2025-03/2.html");
        assert_eq!(
            Month::Unknown.path(Listing::Timeline, 0),
            "timeline/undated.html"
        );
        assert_eq!(march.label(), "March 2025");
        let counts: MonthCounts = [
            (Month::Unknown, 2),
            (march, 7),
            (
                Month::Known {
                    year: 2024,
                    month: 12,
                },
                1,
            ),
        ]
        .into();
        let links = month_links(Listing::Timeline, &counts, 3);
        let labels: Vec<_> = links.iter().map(|l| (l.label.as_str(), l.pages)).collect();
        assert_eq!(
            labels,
            [
                ("March 2025", 3),
                ("December 2024", 1),
                ("No known month", 1)
            ]
        );
    }
}
