//! The data exports, `claims.csv` and `figures.json`, put together from each figure's
//! rows (made by `render::data`, kept by `render::rows`).

use std::borrow::Cow;

use super::csv_writer::CsvWriter;
use super::data::CSV_COLUMNS;
use super::inputs::{Input, SiteFact};
use super::rows::Rows;
use crate::site::Site;

/// Every claim as one CSV row, after a header row: the parts of the file, in order.
pub(in crate::render) fn claims_csv<'a>(site: &Site, rows: &'a Rows) -> Vec<Cow<'a, [u8]>> {
    let mut header = CsvWriter::default();
    header.header(CSV_COLUMNS);
    let mut parts = vec![Cow::Owned(header.into_bytes())];
    parts.extend((0..site.briefing.figures.len()).map(|f| rows.csv_rows(site, f)));
    parts
}

/// All figures with their analysis and claims, laid out as `serde_json` pretty-prints
/// `{"estimate_rule", "figures": [...], "title"}`: the parts of the file, in order, each
/// figure's entry made on its own (see `data::figure_entry`).
pub(in crate::render) fn figures_json<'a>(site: &Site, rows: &'a Rows) -> Vec<Cow<'a, [u8]>> {
    let mut start = b"{\n  \"estimate_rule\": ".to_vec();
    let _ = serde_json::to_writer(&mut start, &site.analysis.rule);
    start.extend_from_slice(b",\n  \"figures\": [");
    let mut parts = vec![Cow::Owned(start)];
    let count = site.briefing.figures.len();
    for f in 0..count {
        let before: &[u8] = if f == 0 { b"\n    " } else { b",\n    " };
        parts.push(Cow::Borrowed(before));
        parts.push(rows.json_entry(site, f));
    }
    let mut end = match count {
        0 => Vec::new(),
        _ => b"\n  ".to_vec(),
    };
    end.extend_from_slice(b"],\n  \"title\": ");
    let _ = serde_json::to_writer(&mut end, &site.config.title);
    end.extend_from_slice(b"\n}\n");
    parts.push(Cow::Owned(end));
    parts
}

/// What [`claims_csv`] reads: every figure with its claims, analysis and quote statuses,
/// and the parties (who stated each claim).
pub(in crate::render) fn claims_csv_inputs() -> Vec<Input> {
    vec![Input::Fact(SiteFact::Figures), Input::Parties]
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
