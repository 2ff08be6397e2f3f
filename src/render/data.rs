//! Data for analysts: `data/claims.csv` (one row per claim), `data/matrix.csv` (one row
//! per figure and source that reports it), `data/incidents.csv` (one row per incident)
//! and `data/figures.json` (figures with their
//! estimates, flags, checks, claims and sources). CSV goes through
//! [`super::csv_writer`], which keeps text cells from running as spreadsheet formulas.

use serde::Serialize;

use super::context::{StatedByCtx, incident_url, worded};
use super::csv_writer::{Cell, CsvWriter};
use crate::analyse::checks::group_label;
use crate::model::{Basis, Figure, FigureIx, IncidentIx, IxVec, SourceIx};
use crate::site::Site;
use crate::validate::QuoteStatus;

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "figure_id",
    "figure_label",
    "unit",
    "claim_id",
    "value",
    "low",
    "high",
    "qualifier",
    "worded",
    "bound_low",
    "bound_high",
    "point",
    "source_id",
    "stated_by",
    "party_id",
    "person",
    "role",
    "stated_on",
    "stated_on_basis",
    "rank",
    "rank_reason",
    "superseded_by",
    "replaces",
    "replaced_by",
    "revised_by",
    "counted",
    "quote_verified",
    "quote",
];

/// The columns of `matrix.csv`, in order.
pub const MATRIX_COLUMNS: &[&str] = &[
    "figure_id",
    "figure_label",
    "unit",
    "window",
    "source_id",
    "claims",
    "values",
    "stated_by",
    "superseded",
];

/// Figure `f`'s non-empty cells of the sources × figures matrix as `matrix.csv` rows, one
/// per source that reports the figure, in the matrix's column order (`column_of`: each
/// source's position in `Lookups::sources_by_date`). A cell's claims are listed in the
/// figure's order, their values as worded and who stated them joined with `; `;
/// `superseded` counts those a later claim superseded.
pub(super) fn matrix_rows(site: &Site, f: FigureIx, column_of: &IxVec<SourceIx, usize>) -> Vec<u8> {
    let b = &site.briefing;
    let figure = &b.figures[f];
    let mut claims: Vec<(usize, usize)> = (site.index.claim_sources[f].iter().enumerate())
        .filter_map(|(c, s)| Some((column_of[(*s)?], c)))
        .collect();
    claims.sort_unstable();
    let mut writer = CsvWriter::default();
    for cell in claims.chunk_by(|a, b| a.0 == b.0) {
        let claim = |&(_, c): &(usize, usize)| &figure.claims[c];
        let values: Vec<String> = cell.iter().map(|e| worded(site, claim(e))).collect();
        let who: Vec<String> = (cell.iter())
            .map(|e| StatedByCtx::new(site, claim(e)).label)
            .collect();
        let superseded = (cell.iter())
            .filter(|&&(_, c)| !site.analysis.figures[f].claims[c].is_current())
            .count();
        writer.row(&[
            Cell::Text(&figure.id),
            Cell::Text(&figure.label),
            Cell::Text(&figure.unit),
            Cell::Text(text(&figure.scope.window)),
            Cell::Text(&claim(&cell[0]).source),
            Cell::Number(Some(cell.len() as f64)),
            Cell::Text(&values.join("; ")),
            Cell::Text(&who.join("; ")),
            Cell::Number(Some(superseded as f64)),
        ]);
    }
    writer.into_bytes()
}

/// An optional text field as a cell's text.
fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or_default()
}

/// Incident `i` as an `incidents.csv` row (columns `exports::INCIDENT_COLUMNS`). Lists
/// (actors, sources) are joined with `; `; `url` is the page's address (absolute with
/// `base_url`).
pub(super) fn incident_row(site: &Site, i: IncidentIx) -> Vec<u8> {
    let incident = &site.briefing.incidents[i];
    let base = site.config.base_url.as_deref().unwrap_or_default();
    let (date, place) = (&incident.date, &incident.place);
    let [latitude, longitude] = place.coordinates.map_or([None; 2], |c| c.map(Some));
    let basis = match date.is_inferred() {
        true => "inferred",
        false => "reported",
    };
    let (iso, label, precision) = (date.start.iso(), date.label(), date.precision().to_string());
    let (actors, sources) = (incident.actors.join("; "), incident.sources.join("; "));
    let url = format!("{base}{}", incident_url(&incident.id));
    let mut writer = CsvWriter::default();
    writer.row(&[
        Cell::Text(&incident.id),
        Cell::Text(&incident.title),
        Cell::Text(&iso),
        Cell::Text(&label),
        Cell::Text(&precision),
        Cell::Text(basis),
        Cell::Text(text(&place.district)),
        Cell::Text(text(&place.province)),
        Cell::Text(&place.country),
        Cell::Number(latitude),
        Cell::Number(longitude),
        Cell::Text(&incident.category),
        Cell::Text(incident.outcome.as_str()),
        Cell::Text(&actors),
        Cell::Text(&sources),
        Cell::Text(&url),
    ]);
    writer.into_bytes()
}

/// Figure `f`'s claims as `claims.csv` rows.
pub(super) fn claim_rows(site: &Site, f: FigureIx) -> Vec<u8> {
    let figure = &site.briefing.figures[f];
    let analysis = &site.analysis.figures[f];
    let mut writer = CsvWriter::default();
    for (c, claim) in figure.claims.iter().enumerate() {
        let ca = &analysis.claims[c];
        let stated_by = StatedByCtx::new(site, claim);
        let quote_verified = match site.validation.quotes[f][c] {
            QuoteStatus::Verified => "yes",
            QuoteStatus::Unverifiable => "no archive",
            QuoteStatus::NotFound => "not found",
        };
        let qualifier = claim.qualifier.to_string();
        let worded = worded(site, claim);
        let stated_on = claim.stated_on.as_ref();
        let stated_on_label = stated_on.map(|w| w.label()).unwrap_or_default();
        let stated_on_basis = match stated_on {
            Some(w) if w.basis == Basis::Inferred => "inferred",
            Some(_) => "reported",
            None => "",
        };
        let rank = claim.rank.to_string();
        let superseded_by = ca
            .superseded_by
            .and_then(|n| figure.claims[n].id.clone().or(Some((n + 1).to_string())))
            .unwrap_or_default();
        let replaced_by = ca
            .replaced_by
            .map(|n| claim_ref(figure, n))
            .unwrap_or_default();
        let revised_by = ca
            .revised_by
            .map(|n| claim_ref(figure, n))
            .unwrap_or_default();
        let counted = ca.counted.to_string();
        writer.row(&[
            Cell::Text(&figure.id),
            Cell::Text(&figure.label),
            Cell::Text(&figure.unit),
            Cell::Text(text(&claim.id)),
            Cell::Number(claim.value),
            Cell::Number(claim.low),
            Cell::Number(claim.high),
            Cell::Text(&qualifier),
            Cell::Text(&worded),
            Cell::Number(Some(ca.bounds.low)),
            Cell::Number(ca.bounds.high),
            Cell::Number(Some(ca.point)),
            Cell::Text(&claim.source),
            Cell::Text(&stated_by.label),
            Cell::Text(&claim.stated_by.party),
            Cell::Text(text(&claim.stated_by.person)),
            Cell::Text(text(&claim.stated_by.role)),
            Cell::Text(&stated_on_label),
            Cell::Text(stated_on_basis),
            Cell::Text(&rank),
            Cell::Text(text(&claim.rank_reason)),
            Cell::Text(&superseded_by),
            Cell::Text(text(&claim.replaces)),
            Cell::Text(&replaced_by),
            Cell::Text(&revised_by),
            Cell::Text(&counted),
            Cell::Text(quote_verified),
            Cell::Text(&claim.quote),
        ]);
    }
    writer.into_bytes()
}

/// One figure of `figures.json`. Every struct written to the file lists its fields in
/// alphabetical order, the order of keys the file has always had; it is serialised straight
/// to text, without an intermediate JSON tree.
#[derive(Serialize)]
struct FigureJson<'a> {
    best: f64,
    best_rule: &'a str,
    checks: Vec<CheckJson>,
    claimed_range: RangeJson,
    claims: Vec<ClaimJson<'a>>,
    counted_range: RangeJson,
    definition: &'a str,
    flags: Vec<&'static str>,
    high: f64,
    id: &'a str,
    incidents: &'a [String],
    label: &'a str,
    low: f64,
    open_ended: bool,
    place: Option<&'a str>,
    sources: Vec<&'a str>,
    sum_of: &'a [String],
    unit: &'a str,
    window: Option<&'a str>,
    within: &'a [String],
}

/// A range of values in `figures.json`: `claimed_range` covers every claim (with the
/// counts of claims it includes that the estimate leaves out), `counted_range` the counted
/// claims.
#[derive(Serialize)]
struct RangeJson {
    high: f64,
    label: String,
    low: f64,
    note: Option<String>,
    open_ended: bool,
}

impl RangeJson {
    fn new(range: crate::analyse::Range, note: Option<String>) -> RangeJson {
        RangeJson {
            high: range.high,
            label: range.label(),
            low: range.low,
            note,
            open_ended: range.open_ended,
        }
    }
}

#[derive(Serialize)]
struct CheckJson {
    consistent: bool,
    detail: String,
    group: String,
    kind: crate::analyse::CheckKind,
}

#[derive(Serialize)]
struct ClaimJson<'a> {
    bound_high: Option<f64>,
    bound_low: f64,
    counted: bool,
    high: Option<f64>,
    id: Option<&'a str>,
    low: Option<f64>,
    party: &'a str,
    person: Option<&'a str>,
    point: f64,
    qualifier: &'a str,
    quote: &'a str,
    quote_verified: bool,
    rank: &'static str,
    rank_reason: Option<&'a str>,
    replaced_by: Option<String>,
    replaces: Option<&'a str>,
    replaces_reason: Option<&'a str>,
    revised_by: Option<String>,
    role: Option<&'a str>,
    source: &'a str,
    stated_on: Option<String>,
    stated_on_inferred: bool,
    superseded: bool,
    value: Option<f64>,
}

/// Figure `f`'s entry in `figures.json`: compact JSON, on one line (strings escape their
/// line breaks).
pub(super) fn figure_entry(site: &Site, f: FigureIx) -> Vec<u8> {
    serde_json::to_vec(&figure_json(site, f, &site.briefing.figures[f])).unwrap_or_default()
}

/// A claim's id, or its 1-based position when it has none (as in `claims.csv`).
fn claim_ref(figure: &Figure, n: usize) -> String {
    figure.claims[n]
        .id
        .clone()
        .unwrap_or_else(|| (n + 1).to_string())
}

fn figure_json<'a>(site: &'a Site, f: FigureIx, figure: &'a Figure) -> FigureJson<'a> {
    let a = &site.analysis.figures[f];
    FigureJson {
        id: &figure.id,
        label: &figure.label,
        unit: &figure.unit,
        definition: &figure.definition,
        window: figure.scope.window.as_deref(),
        place: figure.scope.place.as_deref(),
        incidents: &figure.scope.incidents,
        sum_of: &figure.sum_of,
        within: &figure.within,
        low: a.low,
        best: a.best,
        high: a.high,
        open_ended: a.open_ended,
        claimed_range: RangeJson::new(a.claimed, {
            let note = super::context::claimed_note(site, f);
            (!note.is_empty()).then_some(note)
        }),
        counted_range: RangeJson::new(a.counted(), None),
        best_rule: &a.best_basis,
        flags: a.flags.iter().map(|f| f.slug()).collect(),
        sources: a
            .sources
            .iter()
            .map(|&s| site.briefing.sources[s].id.as_str())
            .collect(),
        checks: a
            .checks
            .iter()
            .map(|&n| {
                let check = &site.analysis.checks[n];
                CheckJson {
                    kind: check.kind,
                    group: group_label(&site.briefing, check.group),
                    consistent: check.consistent,
                    detail: check.detail.clone(),
                }
            })
            .collect(),
        claims: figure
            .claims
            .iter()
            .zip(&a.claims)
            .enumerate()
            .map(|(c, (claim, ca))| ClaimJson {
                id: claim.id.as_deref(),
                value: claim.value,
                low: claim.low,
                high: claim.high,
                qualifier: claim.qualifier.as_str(),
                bound_low: ca.bounds.low,
                bound_high: ca.bounds.high,
                point: ca.point,
                source: &claim.source,
                party: &claim.stated_by.party,
                person: claim.stated_by.person.as_deref(),
                role: claim.stated_by.role.as_deref(),
                stated_on: claim.stated_on.as_ref().map(|w| w.label()),
                stated_on_inferred: claim.stated_on.as_ref().is_some_and(|w| w.is_inferred()),
                rank: claim.rank.as_str(),
                rank_reason: claim.rank_reason.as_deref(),
                replaced_by: ca.replaced_by.map(|n| claim_ref(figure, n)),
                replaces: claim.replaces.as_deref(),
                replaces_reason: claim.replaces_reason.as_deref(),
                revised_by: ca.revised_by.map(|n| claim_ref(figure, n)),
                superseded: !ca.is_current(),
                counted: ca.counted,
                quote: &claim.quote,
                quote_verified: site.validation.quotes[f][c] == QuoteStatus::Verified,
            })
            .collect(),
    }
}
