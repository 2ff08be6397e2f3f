//! Browse pages: `browse.html` (the facets), each facet's index (`browse/places.html`: its
//! values with counts) and a page per value (`browse/place/pakistan_balochistan.html`:
//! its incidents and, for sources and parties, their claims), long ones paginated
//! (`render::paginate`). Everything comes from the browse table the site's index holds
//! (`crate::facets::Browse`). A big briefing's `incidents.html` is the month index.

use std::ops::Range;

use serde::Serialize;
use tera::Value;

use super::PageData;
use crate::facets::{Facet, Term};
use crate::model::IncidentIx;
use crate::render::Job;
use crate::render::context::Link;
use crate::render::filter_options::label;
use crate::render::inputs::Input;
use crate::render::paginate::{Pager, page_count, page_path, page_range};
use crate::render::rows::{IncidentList, Rows};
use crate::render::shared::Shared;
use crate::site::Site;

/// The browse filter's script (see `docs/templates.md`), written as `browse/filter.js`.
pub const FILTER_SCRIPT: &[u8] = include_bytes!("../../../themes/default/static/filter.js");
pub const FILTER_SCRIPT_PATH: &str = "browse/filter.js";

/// The browse pages of `site` and the filter script: a page per facet value (or more, for
/// a long list), each facet's index and `browse.html`.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Browse, Job::FilterScript];
    for facet in Facet::ALL {
        jobs.extend((0..index_pages(site, facet)).map(|n| Job::BrowseIndex(facet, n)));
        for (t, term) in site.index.browse.of(facet).iter().enumerate() {
            let count = term_pages(site, term);
            jobs.extend((0..count).map(|n| Job::BrowseTerm(facet, t, n)));
        }
    }
    jobs
}

/// The path of page `page` of `facet`'s index.
pub fn index_path(facet: Facet, page: usize) -> String {
    page_path(&format!("browse/{}.html", facet.plural()), page)
}

/// The path of page `page` of value `t` of `facet`.
pub fn term_path(site: &Site, facet: Facet, t: usize, page: usize) -> String {
    let slug = &site.index.browse.of(facet)[t].slug;
    page_path(&format!("browse/{}/{slug}.html", facet.name()), page)
}

/// How many pages `facet`'s index takes.
pub fn index_pages(site: &Site, facet: Facet) -> usize {
    page_count(site.index.browse.of(facet).len(), page_size(site))
}

/// How many pages value `term` takes: its incidents, then its claims.
pub fn term_pages(site: &Site, term: &Term) -> usize {
    page_count(term.incidents.len() + term.claims.len(), page_size(site))
}

fn page_size(site: &Site) -> usize {
    site.config.listings.page_size
}

/// Whether `incidents.html` is the month index: when the incidents take more than a page.
pub fn incidents_by_month(site: &Site) -> bool {
    site.briefing.incidents.len() > page_size(site)
}

/// The positions of page `page` of value `t` in its incidents and in its claims.
fn slices(site: &Site, term: &Term, page: usize) -> (Range<usize>, Range<usize>) {
    let (incidents, claims) = (term.incidents.len(), term.claims.len());
    let range = page_range(page, incidents + claims, page_size(site));
    let shown = range.start.min(incidents)..range.end.min(incidents);
    let claims = range.start.saturating_sub(incidents)..range.end.saturating_sub(incidents);
    (shown, claims)
}

/// The incidents page `page` of value `t` shows, and the `root` of that page.
fn browse_incidents(site: &Site, facet: Facet, t: usize, page: usize) -> (&[IncidentIx], String) {
    let term = &site.index.browse.of(facet)[t];
    let (incidents, _) = slices(site, term, page);
    let root = "../".repeat(term_path(site, facet, t, page).matches('/').count());
    (&term.incidents[incidents], root)
}

/// One value in a list of values.
#[derive(Serialize)]
struct ValueRow {
    label: String,
    url: String,
    depth: usize,
    incidents: usize,
    claims: usize,
}

fn value_row(site: &Site, facet: Facet, t: usize) -> ValueRow {
    let term = &site.index.browse.of(facet)[t];
    ValueRow {
        label: label(site, facet, term),
        url: term_path(site, facet, t, 0),
        depth: term.depth,
        incidents: term.incidents.len(),
        claims: term.claims.len(),
    }
}

#[derive(Serialize)]
struct FacetLink {
    name: &'static str,
    title: &'static str,
    url: String,
    values: usize,
}

fn facet_links(site: &Site) -> Vec<FacetLink> {
    (Facet::ALL.iter())
        .map(|&facet| FacetLink {
            name: facet.name(),
            title: facet.title(),
            url: index_path(facet, 0),
            values: site.index.browse.of(facet).len(),
        })
        .collect()
}

/// `browse.html`: every facet with its number of values.
pub(super) fn entry(site: &Site) -> PageData {
    PageData::new(
        "browse.html",
        "Browse",
        "Browse the incidents and claims by place, category, actor, outcome, source, stated-by party and month.",
    )
    .with("facets", facet_links(site))
}

/// Page `page` of `facet`'s index: its values with counts.
pub(super) fn index(site: &Site, facet: Facet, page: usize) -> PageData {
    let terms = site.index.browse.of(facet);
    let range = page_range(page, terms.len(), page_size(site));
    let rows: Vec<ValueRow> = range.map(|t| value_row(site, facet, t)).collect();
    let pager = Pager::new(&index_path(facet, 0), page, terms.len(), page_size(site));
    PageData::new(
        "browse_index.html",
        facet.title(),
        format!(
            "The {} values of “{}” with their numbers of {}.",
            terms.len(),
            facet.title(),
            match facet {
                Facet::Party => "claims",
                Facet::Source => "incidents and claims",
                _ => "incidents",
            }
        ),
    )
    .with("facet", facet_link(site, facet))
    .with("facets", facet_links(site))
    .with("values", rows)
    .with("claims", has_claims(facet))
    .with("pager", pager)
}

fn facet_link(site: &Site, facet: Facet) -> FacetLink {
    facet_links(site).swap_remove(facet.position())
}

fn has_claims(facet: Facet) -> bool {
    matches!(facet, Facet::Source | Facet::Party)
}

/// A big briefing's `incidents.html`: the months, newest first, with their counts.
pub(super) fn month_index(site: &Site) -> PageData {
    let terms = site.index.browse.of(Facet::Month);
    let rows: Vec<ValueRow> = (0..terms.len())
        .map(|t| value_row(site, Facet::Month, t))
        .collect();
    PageData::new(
        "browse_index.html",
        "Incidents",
        format!(
            "All {} incidents of the briefing, month by month.",
            site.briefing.incidents.len()
        ),
    )
    .with("facet", facet_link(site, Facet::Month))
    .with("facets", facet_links(site))
    .with("values", rows)
    .with("claims", false)
}

/// The value a page is about, as its template gets it.
#[derive(Serialize)]
struct TermCtx {
    facet: FacetLink,
    title: String,
    /// The places this place is in, widest first.
    crumbs: Vec<Link>,
    incidents: usize,
    claims: usize,
    /// The value's search term (`place:turbat`).
    filter: Option<String>,
}

/// One facet of the filter: the values the page's incidents have, with counts.
#[derive(Serialize)]
struct FilterFacet<'a> {
    name: &'static str,
    title: &'static str,
    options: Vec<FilterOption<'a>>,
}

#[derive(Serialize)]
struct FilterOption<'a> {
    /// The value's key: the part of its search term after `facet:`.
    value: &'a str,
    label: &'a str,
    count: usize,
}

/// Page `page` of value `t` of `facet`.
pub(super) fn term(
    site: &Site,
    shared: &Shared,
    rows: &Rows,
    facet: Facet,
    t: usize,
    page: usize,
) -> PageData {
    let terms = site.index.browse.of(facet);
    let term = &terms[t];
    let title = label(site, facet, term);
    let mut crumbs = Vec::new();
    let mut up = term.parent;
    while let Some(p) = up {
        crumbs.insert(0, link(site, facet, p));
        up = terms[p].parent;
    }
    let (incidents, claims) = slices(site, term, page);
    let claims: Vec<Value> = term.claims[claims]
        .iter()
        .map(|&(f, c)| shared.claim(site, f, c))
        .collect();
    let children: Vec<ValueRow> = match page {
        0 => (term.children.iter())
            .map(|&c| value_row(site, facet, c))
            .collect(),
        _ => Vec::new(),
    };
    let total = term.incidents.len() + term.claims.len();
    let base = term_path(site, facet, t, 0);
    let ctx = TermCtx {
        facet: facet_link(site, facet),
        title: title.clone(),
        crumbs,
        incidents: term.incidents.len(),
        claims: term.claims.len(),
        filter: term.filter.clone(),
    };
    let filters = filter_facets(site, rows, &term.incidents[incidents]);
    let counts = match facet {
        Facet::Party => format!("{} claims", term.claims.len()),
        Facet::Source => format!(
            "{} incidents and {} claims",
            term.incidents.len(),
            term.claims.len()
        ),
        _ => format!("{} incidents", term.incidents.len()),
    };
    let description = format!("{} “{title}”: {counts} of the briefing.", facet.title());
    PageData::new(
        "browse_term.html",
        format!("{} · {title}", facet.title()),
        description,
    )
    .with("term", ctx)
    .with("children", children)
    .with_value("claims", Value::from(claims))
    .with_value("filters", filters)
    .with("pager", Pager::new(&base, page, total, page_size(site)))
    .with_incident_list({
        let (incidents, root) = browse_incidents(site, facet, t, page);
        IncidentList::Browse(incidents.to_vec(), root)
    })
}

fn link(site: &Site, facet: Facet, t: usize) -> Link {
    Link {
        title: label(site, facet, &site.index.browse.of(facet)[t]),
        url: term_path(site, facet, t, 0),
    }
}

/// The filter's facets for `incidents`: each value they have, by its search term (values
/// whose terms are alike, such as districts of one name in two provinces, are one option),
/// with how many have it, named as its browse page names it (the first of the alike
/// values in the browse table, as in `search/f-<facet>.js`); facets with one value or
/// none are left out. Each incident's values are read from the browse table
/// (`Rows::incident_values`).
pub(super) fn filter_facets(site: &Site, rows: &Rows, incidents: &[IncidentIx]) -> Value {
    let values = rows.incident_values(site);
    // How many of the incidents have each term, by facet and term.
    let mut counts: Vec<Vec<usize>> = (Facet::ALL.iter())
        .map(|&facet| vec![0; site.index.browse.of(facet).len()])
        .collect();
    for &i in incidents {
        for &(facet, t) in values.of(i) {
            counts[facet.position()][t as usize] += 1;
        }
    }
    // The options with incidents here, in the order the filter lists them.
    let order = rows.filter_order(site);
    let facets: Vec<FilterFacet> = (Facet::ALL.iter().zip(counts))
        .map(|(&facet, counts)| {
            let terms = site.index.browse.of(facet);
            let options = (order.of(facet).iter())
                .filter(|&&(t, _)| counts[t as usize] > 0)
                .filter_map(|(t, label)| {
                    Some(FilterOption {
                        value: terms[*t as usize].filter_value()?,
                        label,
                        count: counts[*t as usize],
                    })
                })
                .collect();
            FilterFacet {
                name: facet.name(),
                title: facet.title(),
                options,
            }
        })
        .filter(|facet| facet.options.len() > 1)
        .collect();
    Value::from_serializable(&facets)
}

/// What `browse.html` reads: every facet's values.
pub(super) fn entry_inputs() -> Vec<Input> {
    Facet::ALL.iter().map(|&f| Input::BrowseFacet(f)).collect()
}

/// What a facet's index page (and the month index) reads: the facet's values, and the
/// number of values of every facet (the links to the other facets).
pub(super) fn index_inputs() -> Vec<Input> {
    entry_inputs()
}

/// What page `page` of value `t` reads: the value (its name, place in the hierarchy, the
/// places in it, its lists), every facet's number of values, and the incidents and
/// claims the page shows.
pub(super) fn term_inputs(site: &Site, facet: Facet, t: usize, page: usize) -> Vec<Input> {
    let term = &site.index.browse.of(facet)[t];
    let mut inputs = entry_inputs();
    inputs.push(Input::BrowseTerm(facet, t));
    let (incidents, claims) = slices(site, term, page);
    inputs.extend(
        term.incidents[incidents]
            .iter()
            .map(|&i| Input::IncidentFront(i)),
    );
    inputs.extend(term.claims[claims].iter().map(|&(f, c)| Input::Claim(f, c)));
    inputs
}
