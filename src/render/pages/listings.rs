//! The site-wide listing pages: the sources × figures matrix, the timeline and the
//! consistency checks, put together from kept rows (`render::rows`).

use serde::Serialize;
use tera::Value;

use super::PageData;
use super::figure::{CheckCtx, check_ctx};
use crate::render::context::*;
use crate::render::inputs::{Input, SiteFact};
use crate::render::rows::Rows;
use crate::site::Site;

/// Figures as rows and sources as columns (by publication date, then id): briefings have
/// far more figures than sources.
/// With thousands of figures and hundreds of sources the table has millions of cells, so
/// each row is written as escaped HTML (`rows`, see `listing_rows::matrix_row`) rather than looped
/// over in the template.
pub(super) fn matrix(site: &Site, rows: &Rows) -> PageData {
    let b = &site.briefing;
    // Columns in publication order, as the timeline lists statements.
    let columns: Vec<Link> = (site.index.sources_by_date.iter())
        .map(|&s| Link {
            title: b.sources[s].id.clone(),
            url: source_url(&b.sources[s].id),
        })
        .collect();
    let rows: Vec<Value> = (0..b.figures.len())
        .map(|f| rows.matrix_row(site, f))
        .collect();
    PageData::new(
        "matrix.html",
        "Sources × figures",
        "Which source reports which figure, and what value it gives.",
    )
    .with("columns", columns)
    .with_value("rows", Value::from(rows))
}

#[derive(Serialize)]
struct TimelineDay {
    label: String,
    precision: &'static str,
    /// The day's entries as escaped `<li>` items (a long briefing has tens of thousands).
    entries_html: String,
}

pub(super) fn timeline(site: &Site, rows: &Rows) -> PageData {
    // In timeline order, each day's entries come one after another, under one heading.
    let days: Vec<TimelineDay> = rows.timeline(site, |entries| {
        let days = entries.chunk_by(|a, b| a.day == b.day);
        days.map(|day| {
            let mut entries_html = String::with_capacity(day.iter().map(|e| e.html.len()).sum());
            for entry in day {
                entries_html.push_str(&entry.html);
            }
            TimelineDay {
                label: day[0].day.1.clone(),
                precision: day[0].precision,
                entries_html,
            }
        })
        .collect()
    });
    PageData::new(
        "timeline.html",
        "Timeline",
        "Incidents and statements in time order, showing how the counts evolved.",
    )
    .with("days", days)
}

pub(super) fn checks(site: &Site) -> PageData {
    let mut all: Vec<CheckCtx> = (0..site.analysis.checks.len())
        .map(|n| check_ctx(site, n))
        .collect();
    all.sort_by_key(|c| c.consistent);
    let violations = all.iter().filter(|c| !c.consistent).count();
    PageData::new("checks.html", "Consistency checks", "Whether parts add up to wholes and counts over a shorter time window or a smaller place fit in the wider ones, per source and per party.")
        .with("checks", all)
        .with("violations", violations)
}

/// What [`matrix`] reads: every figure with its claims, the sources (columns, in date
/// order) and the parties (each cell's title).
pub(super) fn matrix_inputs() -> Vec<Input> {
    vec![
        Input::Fact(SiteFact::Figures),
        Input::Fact(SiteFact::SourceSummaries),
        Input::Parties,
    ]
}

/// What [`timeline`] reads: every incident's front matter, in time order, and every claim.
pub(super) fn timeline_inputs() -> Vec<Input> {
    vec![
        Input::Fact(SiteFact::Incidents),
        Input::Fact(SiteFact::Claims),
    ]
}

/// What [`checks`] reads: the checks, the figures' labels and the parties (check groups).
pub(super) fn checks_inputs() -> Vec<Input> {
    vec![
        Input::Fact(SiteFact::Checks),
        Input::Fact(SiteFact::FigureSummaries),
        Input::Parties,
    ]
}
