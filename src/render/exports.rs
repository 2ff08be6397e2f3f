//! The data exports: `claims.csv`, `matrix.csv` and `figures.json`, put together from each
//! figure's rows, and `incidents.csv`, one row per incident in time order (rows made by
//! `render::data`, kept by `render::rows`).

use std::borrow::Cow;

use super::csv_writer::CsvWriter;
use super::data::{CSV_COLUMNS, MATRIX_COLUMNS};
use super::inputs::{Input, SiteFact};
use super::rows::Rows;
use crate::model::FigureIx;
use crate::site::Site;

/// Every claim as one CSV row, after a header row: the parts of the file, in order.
pub(in crate::render) fn claims_csv<'a>(site: &Site, rows: &'a Rows) -> Vec<Cow<'a, [u8]>> {
    csv_parts(site, CSV_COLUMNS, |f| rows.csv_rows(site, f))
}

/// A CSV file's parts: a header row of `columns`, then each figure's rows.
fn csv_parts<'a>(
    site: &Site,
    columns: &[&str],
    figure_rows: impl Fn(FigureIx) -> Cow<'a, [u8]>,
) -> Vec<Cow<'a, [u8]>> {
    let mut header = CsvWriter::default();
    header.header(columns);
    let mut parts = vec![Cow::Owned(header.into_bytes())];
    parts.extend(FigureIx::all(site.briefing.figures.len()).map(figure_rows));
    parts
}

/// The sources × figures matrix in long form: one row per figure and source that reports
/// it, after a header row; the parts of the file, in order (one per figure, so the file is
/// never built whole).
pub(in crate::render) fn matrix_csv<'a>(site: &Site, rows: &'a Rows) -> Vec<Cow<'a, [u8]>> {
    csv_parts(site, MATRIX_COLUMNS, |f| rows.matrix_csv_rows(site, f))
}

/// All figures with their analysis and claims, `{"estimate_rule", "figures": [...],
/// "title"}`, compact, each figure on a line of its own (so that a change to a figure
/// changes one line): the parts of the file, in order, each figure's entry made on its own
/// (see `data::figure_entry`).
pub(in crate::render) fn figures_json<'a>(site: &Site, rows: &'a Rows) -> Vec<Cow<'a, [u8]>> {
    let mut start = b"{\"estimate_rule\":".to_vec();
    let _ = serde_json::to_writer(&mut start, &site.analysis.rule);
    start.extend_from_slice(b",\"figures\":[");
    let mut parts = vec![Cow::Owned(start)];
    let count = site.briefing.figures.len();
    for f in FigureIx::all(count) {
        let before: &[u8] = if f.get() == 0 { b"\n" } else { b",\n" };
        parts.push(Cow::Borrowed(before));
        parts.push(rows.json_entry(site, f));
    }
    let mut end = match count {
        0 => Vec::new(),
        _ => b"\n".to_vec(),
    };
    end.extend_from_slice(b"],\"title\":");
    let _ = serde_json::to_writer(&mut end, &site.config.title);
    end.extend_from_slice(b"}\n");
    parts.push(Cow::Owned(end));
    parts
}

/// What [`claims_csv`] reads: every figure with its claims, analysis and quote statuses,
/// and the parties (who stated each claim).
pub(in crate::render) fn claims_csv_inputs() -> Vec<Input> {
    vec![Input::Fact(SiteFact::Figures), Input::Parties]
}

/// What [`matrix_csv`] reads: every figure with its claims, the sources (their order by
/// date) and the parties (who stated each claim).
pub(in crate::render) fn matrix_csv_inputs() -> Vec<Input> {
    vec![
        Input::Fact(SiteFact::Figures),
        Input::Fact(SiteFact::SourceSummaries),
        Input::Parties,
    ]
}

/// What [`figures_json`] reads: every figure, the checks and the parties (check groups,
/// who stated each claim).
pub(in crate::render) fn figures_json_inputs() -> Vec<Input> {
    vec![
        Input::Fact(SiteFact::Figures),
        Input::Fact(SiteFact::Checks),
        Input::Parties,
    ]
}

/// The columns of `incidents.csv`, in order.
pub const INCIDENT_COLUMNS: &[&str] = &[
    "incident_id",
    "title",
    "date",
    "date_label",
    "date_precision",
    "date_basis",
    "district",
    "province",
    "country",
    "latitude",
    "longitude",
    "category",
    "outcome",
    "actors",
    "sources",
    "url",
];

/// Every incident as one CSV row (see `data::incident_row`), in time order, after a
/// header row: the parts of the file, in order.
pub(in crate::render) fn incidents_csv<'a>(site: &Site, rows: &'a Rows) -> Vec<Cow<'a, [u8]>> {
    let mut header = CsvWriter::default();
    header.header(INCIDENT_COLUMNS);
    let mut parts = vec![Cow::Owned(header.into_bytes())];
    let order = site.index.incidents_by_time.iter();
    parts.extend(order.map(|&i| rows.incident_csv_row(site, i)));
    parts
}

/// What [`incidents_csv`] reads: every incident's front matter and their time order.
pub(in crate::render) fn incidents_csv_inputs() -> Vec<Input> {
    vec![Input::Fact(SiteFact::Incidents)]
}
