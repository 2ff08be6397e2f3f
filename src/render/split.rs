//! Split listings: which pages the timeline, the checks, the matrix and the figure and
//! source lists take when they hold more than `[listings] page_size` entries.
//!
//! The figure list, the source list and the matrix are paginated (`figures.html`,
//! `figures/2.html`, …, see `render::paginate`). The timeline and the checks are split by
//! month: their base page becomes an index of months (newest first), each month has its
//! page (`timeline/2025-03.html`), paginated further when it holds more than `page_size`
//! entries (`timeline/2025-03/2.html`), and entries without a known month (dates given as
//! a year, a day without a year, a weekday, or unknown) have a page of their own
//! (`timeline/undated.html`). A listing that fits on one page stays one page, as it was.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Job;
use super::paginate::{page_count, page_path, page_path_in};
use crate::model::{DateValue, When};
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

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

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
                format!("{} {year}", MONTH_NAMES[usize::from(month) - 1])
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
    let b = &site.briefing;
    let figure = &b.figures[site.analysis.checks[n].figure()];
    let incidents = figure.scope.incidents.iter();
    let months = incidents.filter_map(|id| b.incident_index(id).map(|i| &b.incidents[i]));
    (months.map(|incident| Month::of(&incident.date)))
        .filter(|&month| month != Month::Unknown)
        .min()
        .unwrap_or(Month::Unknown)
}

/// Every consistency check, by month.
pub fn check_months(site: &Site) -> MonthCounts {
    let mut counts = MonthCounts::new();
    for n in 0..site.analysis.checks.len() {
        *counts.entry(check_month(site, n)).or_default() += 1;
    }
    counts
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
    for listing in [Listing::Figures, Listing::Sources, Listing::Matrix] {
        let pages = page_count(total(site, listing), page_size);
        jobs.extend((1..pages).map(|page| Job::ListPage(listing, page)));
    }
    for listing in [Listing::Timeline, Listing::Checks] {
        if !is_split(site, listing) {
            continue;
        }
        for (month, count) in months(site, listing) {
            let pages = page_count(count, page_size);
            jobs.extend((0..pages).map(|page| Job::MonthPage(listing, month, page)));
        }
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
