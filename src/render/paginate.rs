//! Long listings split into pages of at most `[listings] page_size` entries.
//!
//! A listing whose base path is `place/turbat.html` puts its first page there and page
//! `n` (1-based, n ≥ 2) at `place/turbat/n.html`, so the first page's URL never changes
//! when the listing grows; a listing whose folder of that name holds item pages puts its
//! pages in a folder of their own instead ([`page_path_in`]: `figures/page/2.html`).
//! Templates get a [`Pager`] (as `pager`) to draw the page links;
//! `templates/pager.html` draws them.

use std::ops::Range;

use serde::Serialize;

/// How many pages a listing of `total` entries takes (at least one, even when empty).
pub fn page_count(total: usize, page_size: usize) -> usize {
    total.div_ceil(page_size.max(1)).max(1)
}

/// The entries (as a range of positions) page `page` (0-based) shows.
pub fn page_range(page: usize, total: usize, page_size: usize) -> Range<usize> {
    let size = page_size.max(1);
    let start = (page * size).min(total);
    start..(start + size).min(total)
}

/// The path of page `page` (0-based) of the listing whose first page is `base`
/// (`x/y.html` → `x/y/2.html`, `x/y/3.html`, …).
pub fn page_path(base: &str, page: usize) -> String {
    page_path_in(base, base.strip_suffix(".html").unwrap_or(base), page)
}

/// The path of page `page` (0-based) of the listing whose first page is `base` and whose
/// other pages are in folder `folder` (`figures.html` → `figures/page/2.html`, …, for a
/// listing whose folder of the same name holds item pages, which could be named `2`).
pub fn page_path_in(base: &str, folder: &str, page: usize) -> String {
    if page == 0 {
        return base.to_string();
    }
    format!("{folder}/{}.html", page + 1)
}

/// What a template needs to link a listing's pages: root-relative URLs (prefix `root`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pager {
    /// This page's number, 1-based.
    pub number: usize,
    /// How many pages the listing has.
    pub count: usize,
    /// How many entries the whole listing holds.
    pub total: usize,
    /// The positions (1-based) of this page's first and last entries.
    pub first: usize,
    pub last: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Every page, for a numbered list of links.
    pub pages: Vec<PagerLink>,
}

/// One page in a [`Pager`]'s list of pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Pager {
    /// The pager of page `page` (0-based) of the listing at `base` holding `total` entries.
    pub fn new(base: &str, page: usize, total: usize, page_size: usize) -> Pager {
        Pager::new_in(
            base,
            base.strip_suffix(".html").unwrap_or(base),
            page,
            total,
            page_size,
        )
    }

    /// [`Pager::new`] for a listing whose other pages are in `folder` (see
    /// [`page_path_in`]).
    pub fn new_in(base: &str, folder: &str, page: usize, total: usize, page_size: usize) -> Pager {
        let count = page_count(total, page_size);
        let range = page_range(page, total, page_size);
        Pager::of_pages(base, folder, page, count, total, range)
    }

    /// The pager of page `page` of `count` pages of a listing of `total` entries whose
    /// pages are not all of one size: this page shows entries `range`.
    pub fn of_pages(
        base: &str,
        folder: &str,
        page: usize,
        count: usize,
        total: usize,
        range: Range<usize>,
    ) -> Pager {
        Pager {
            number: page + 1,
            count,
            total,
            first: if range.is_empty() { 0 } else { range.start + 1 },
            last: range.end,
            previous: page.checked_sub(1).map(|p| page_path_in(base, folder, p)),
            next: (page + 1 < count).then(|| page_path_in(base, folder, page + 1)),
            pages: (0..count)
                .map(|p| PagerLink {
                    number: p + 1,
                    url: page_path_in(base, folder, p),
                    current: p == page,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_entry_once() {
        // 7 entries in pages of 3: [0,3), [3,6), [6,7).
        assert_eq!(page_count(7, 3), 3);
        assert_eq!(page_range(0, 7, 3), 0..3);
        assert_eq!(page_range(2, 7, 3), 6..7);
        assert_eq!(page_count(0, 3), 1);
        assert_eq!(page_range(0, 0, 3), 0..0);
        assert_eq!(page_count(6, 3), 2);
    }

    #[test]
    fn the_first_page_keeps_the_base_url() {
        assert_eq!(page_path("place/turbat.html", 0), "place/turbat.html");
        assert_eq!(page_path("place/turbat.html", 1), "place/turbat/2.html");
        let pager = Pager::new("incidents.html", 1, 7, 3);
        assert_eq!(
            (pager.number, pager.count, pager.first, pager.last),
            (2, 3, 4, 6)
        );
        assert_eq!(pager.previous.as_deref(), Some("incidents.html"));
        assert_eq!(pager.next.as_deref(), Some("incidents/3.html"));
        assert!(pager.pages[1].current && !pager.pages[0].current);
    }
}
