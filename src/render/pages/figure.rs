//! Figure pages: claims, positions, changes over time, silent sources, checks.

use serde::Serialize;
use tera::Value;

use super::PageData;
use crate::analyse::CheckKind;
use crate::analyse::checks::group_label;
use crate::analyse::qualifiers::{self};
use crate::model::{FigureIx, SourceIx};
use crate::render::context::*;
use crate::render::inputs::Input;
use crate::render::shared::Shared;
use crate::render::svg;
use crate::site::Site;

#[derive(Serialize)]
struct FigureCtx {
    id: String,
    label: String,
    unit: String,
    definition: String,
    window: Option<String>,
    place: Option<String>,
    incidents: Vec<Link>,
    low: String,
    best: String,
    high: String,
    range: String,
    claimed_range: String,
    claimed_note: String,
    counted_range: String,
    open_ended: bool,
    best_basis: String,
    flags: Vec<FlagCtx>,
    chart: String,
    /// The count over time, when two or more dates have claims; empty otherwise.
    time_chart: String,
    sum_of: Vec<Link>,
    part_of: Vec<Link>,
    within: Vec<Link>,
    contains: Vec<Link>,
}

#[derive(Serialize)]
pub(super) struct CheckCtx {
    kind: &'static str,
    group: String,
    pub(super) consistent: bool,
    detail: String,
    figure: Link,
    others: Vec<Link>,
}

pub(super) fn check_ctx(site: &Site, n: usize) -> CheckCtx {
    let check = &site.analysis.checks[n];
    let link = |f: FigureIx| Link {
        title: site.briefing.figures[f].label.clone(),
        url: figure_url(&site.briefing.figures[f].id),
    };
    CheckCtx {
        kind: match check.kind {
            CheckKind::Sum => "parts add up to the whole",
            CheckKind::Within => "narrower count within wider (time window or place)",
        },
        group: group_label(&site.briefing, check.group),
        consistent: check.consistent,
        detail: check.detail.clone(),
        figure: link(check.figure()),
        others: check.others().iter().map(|&f| link(f)).collect(),
    }
}

/// One position in a dispute: the claims whose wording implies the same bounds.
#[derive(Serialize)]
struct Position {
    bounds: String,
    worded: String,
    claims: Vec<PositionClaim>,
    /// The bounds of the positions this one cannot be reconciled with.
    conflicts: Vec<String>,
    counted: bool,
}

#[derive(Serialize)]
struct PositionClaim {
    who: String,
    source_id: String,
    url: String,
    disputed: bool,
    /// When the claim was stated, so readers see claims made on different days.
    stated_on: Option<String>,
}

/// Groups a figure's current claims into positions and says which positions conflict,
/// plus one sentence naming the widest gap. Empty when the claims all agree.
fn positions(site: &Site, f: FigureIx) -> (Vec<Position>, Option<String>) {
    let analysis = &site.analysis.figures[f];
    if analysis.disagreements.is_empty() {
        return (Vec::new(), None);
    }
    let groups = claim_groups(analysis);
    let positions = (groups.iter())
        .map(|(bounds, members)| position(site, f, &groups, bounds, members))
        .collect();
    (positions, widest_gap(site, f))
}

/// A figure's current claims grouped by their bounds, lowest first.
fn claim_groups(
    analysis: &crate::analyse::FigureAnalysis,
) -> Vec<(qualifiers::Bounds, Vec<usize>)> {
    let mut groups: Vec<(qualifiers::Bounds, Vec<usize>)> = Vec::new();
    for (n, ca) in analysis.claims.iter().enumerate() {
        if !ca.is_current() {
            continue;
        }
        match groups.iter_mut().find(|(b, _)| *b == ca.bounds) {
            Some((_, members)) => members.push(n),
            None => groups.push((ca.bounds, vec![n])),
        }
    }
    groups.sort_by(|a, b| {
        a.0.low.total_cmp(&b.0.low).then(
            a.0.high
                .unwrap_or(f64::INFINITY)
                .total_cmp(&b.0.high.unwrap_or(f64::INFINITY)),
        )
    });
    groups
}

/// The position of figure `f`'s claims `members` (of `bounds`), with the other `groups`
/// it conflicts with.
fn position(
    site: &Site,
    f: FigureIx,
    groups: &[(qualifiers::Bounds, Vec<usize>)],
    bounds: &qualifiers::Bounds,
    members: &[usize],
) -> Position {
    let figure = &site.briefing.figures[f];
    let analysis = &site.analysis.figures[f];
    let mut worded: Vec<String> = members
        .iter()
        .map(|&n| worded(site, &figure.claims[n]))
        .collect();
    worded.dedup();
    Position {
        bounds: bounds.label(),
        worded: worded.join(" / "),
        claims: members
            .iter()
            .map(|&n| {
                let claim = &figure.claims[n];
                PositionClaim {
                    who: StatedByCtx::new(site, claim).label,
                    source_id: claim.source.clone(),
                    url: format!("{}#{}", figure_url(&figure.id), claim_anchor(claim, n)),
                    disputed: claim.rank == crate::model::Rank::Disputed,
                    stated_on: claim.stated_on.as_ref().map(|w| w.label()),
                }
            })
            .collect(),
        conflicts: groups
            .iter()
            .filter(|(other, _)| !other.overlaps(bounds))
            .map(|(other, _)| other.label())
            .collect(),
        counted: members.iter().any(|&n| analysis.claims[n].counted),
    }
}

/// One sentence naming the widest gap between counted claims of figure `f` (between any
/// claims if no counted ones disagree).
fn widest_gap(site: &Site, f: FigureIx) -> Option<String> {
    let figure = &site.briefing.figures[f];
    let analysis = &site.analysis.figures[f];
    let counted_pairs: Vec<&crate::analyse::Disagreement> = analysis
        .disagreements
        .iter()
        .filter(|d| analysis.claims[d.a].counted && analysis.claims[d.b].counted)
        .collect();
    let candidates = if counted_pairs.is_empty() {
        analysis.disagreements.iter().collect()
    } else {
        counted_pairs
    };
    candidates
        .into_iter()
        .max_by(|x, y| {
            let gap = |d: &crate::analyse::Disagreement| {
                (analysis.claims[d.a].point - analysis.claims[d.b].point).abs()
            };
            gap(x).total_cmp(&gap(y))
        })
        .map(|d| {
            let side = |n: usize| {
                let claim = &figure.claims[n];
                format!(
                    "{} ({}, {})",
                    worded(site, claim),
                    StatedByCtx::new(site, claim).label,
                    claim.source
                )
            };
            format!("The widest gap is between {} and {}.", side(d.a), side(d.b))
        })
}

pub(super) fn figure(site: &Site, shared: &Shared, f: FigureIx) -> PageData {
    let b = &site.briefing;
    let figure = &b.figures[f];
    let a = &site.analysis.figures[f];
    let link = |f: FigureIx| Link {
        title: b.figures[f].label.clone(),
        url: figure_url(&b.figures[f].id),
    };
    let by_id = |id: &String| b.figure_index(id);
    let ctx = FigureCtx {
        id: figure.id.clone(),
        label: figure.label.clone(),
        unit: figure.unit.clone(),
        definition: figure.definition.clone(),
        window: figure.scope.window.clone(),
        place: figure.scope.place.clone(),
        incidents: (site.index.incidents_of_figure[f].iter())
            .map(|&i| Link {
                title: b.incidents[i].title.clone(),
                url: incident_url(&b.incidents[i].id),
            })
            .collect(),
        low: qualifiers::format_number(a.low),
        best: qualifiers::format_number(a.best),
        high: qualifiers::format_number(a.high),
        range: crate::analyse::range_label(a),
        claimed_range: a.claimed.label(),
        claimed_note: claimed_note(site, f),
        counted_range: crate::analyse::range_label(a),
        open_ended: a.open_ended,
        best_basis: a.best_basis.clone(),
        flags: flags(&site.vocabulary, &a.flags),
        chart: svg::figure_chart(site, f),
        time_chart: svg::time_chart(site, f).unwrap_or_default(),
        sum_of: figure.sum_of.iter().filter_map(by_id).map(link).collect(),
        part_of: site.index.wholes_of[f].iter().map(|&w| link(w)).collect(),
        within: figure.within.iter().filter_map(by_id).map(link).collect(),
        contains: site.index.narrower_of[f].iter().map(|&n| link(n)).collect(),
    };
    let (positions, widest_gap) = positions(site, f);
    let silent = silent_sources(site, f);
    let not_covering = site.briefing.sources.len() - a.sources.len() - silent.len();
    let checks: Vec<CheckCtx> = a.checks.iter().map(|&n| check_ctx(site, n)).collect();
    PageData::new("figure.html", &figure.label, &figure.definition)
        .with("figure", ctx)
        .with_value("claims", shared.claims_of_figure(site, f))
        .with("positions", positions)
        .with("changes", changes(site, f))
        .with("widest_gap", widest_gap)
        .with("checks", checks)
        .with_value(
            "silent_sources",
            Value::from(
                silent
                    .iter()
                    .map(|&s| shared.source(site, s))
                    .collect::<Vec<_>>(),
            ),
        )
        .with("scoped", !figure.scope.incidents.is_empty())
        .with("not_covering", not_covering)
}

/// One sentence per party whose count of figure `f` changed over time: "County emergency
/// office: the count changed from 41 on 11 May 2026 to 17 on 13 May 2026."
fn changes(site: &Site, f: FigureIx) -> Vec<String> {
    let figure = &site.briefing.figures[f];
    let a = &site.analysis.figures[f];
    let mut chains: Vec<(String, Vec<usize>)> = Vec::new();
    for (n, ca) in a.claims.iter().enumerate() {
        let Some(later) = ca.revised_by else { continue };
        let party = &figure.claims[n].stated_by.party;
        match chains.iter_mut().find(|(p, _)| p == party) {
            Some((_, members)) => members.extend([n, later]),
            None => chains.push((party.clone(), vec![n, later])),
        }
    }
    chains
        .into_iter()
        .map(|(_, mut members)| {
            let key = |n: &usize| figure.claims[*n].stated_on.as_ref().map(|w| w.sort_key());
            members.sort_by_key(|n| (key(n), *n));
            members.dedup();
            let step = |n: usize| {
                let claim = &figure.claims[n];
                let on = claim
                    .stated_on
                    .as_ref()
                    .map(|w| w.label())
                    .unwrap_or_default();
                format!("{} on {on}", worded(site, claim))
            };
            let who = StatedByCtx::new(site, &figure.claims[members[0]]).party;
            let steps: Vec<String> = members.iter().skip(1).map(|&n| step(n)).collect();
            format!(
                "{who}: the count changed from {} to {}.",
                step(members[0]),
                steps.join(", then to ")
            )
        })
        .collect()
}

/// The sources that are silent on figure `f`, by index: those that report an incident in
/// the figure's scope but make no claim about it. A figure scoped to no incident can be
/// reported by any source, so every source without a claim about it is silent.
fn silent_sources(site: &Site, f: FigureIx) -> Vec<SourceIx> {
    let b = &site.briefing;
    let scope = &b.figures[f].scope.incidents;
    let mut covering: Vec<SourceIx> = match scope.is_empty() {
        true => SourceIx::all(b.sources.len()).collect(),
        false => (site.index.incidents_of_figure[f].iter())
            .flat_map(|&i| site.index.sources_of_incident[i].iter().copied())
            .collect(),
    };
    covering.sort_unstable();
    covering.dedup();
    let reporting = &site.analysis.figures[f].sources;
    covering.retain(|s| reporting.binary_search(s).is_err());
    covering
}

/// What [`figure`] reads: the figure (file, analysis, checks, quote statuses), its claims,
/// the figures it links to (parts, wholes, windows, those it shares checks with), the
/// incidents in its scope (titles, and their sources for the silent ones), the silent
/// sources' summaries, and the parties (positions, changes, charts, check groups).
pub(super) fn inputs(site: &Site, f: FigureIx) -> Vec<Input> {
    let b = &site.briefing;
    let figure = &b.figures[f];
    let mut inputs = vec![Input::Figure(f), Input::FigureRelations(f), Input::Parties];
    inputs.extend((0..figure.claims.len()).map(|c| Input::Claim(f, c)));
    let named = figure.sum_of.iter().chain(&figure.within);
    let checks = site.analysis.figures[f].checks.iter();
    let related = (named.filter_map(|id| b.figure_index(id)))
        .chain(site.index.wholes_of[f].iter().copied())
        .chain(site.index.narrower_of[f].iter().copied())
        .chain(checks.flat_map(|&n| site.analysis.checks[n].figures().iter().copied()));
    inputs.extend(related.map(Input::FigureSummary));
    let scope = site.index.incidents_of_figure[f].iter();
    inputs.extend(scope.map(|&i| Input::IncidentFront(i)));
    inputs.extend(
        silent_sources(site, f)
            .into_iter()
            .map(Input::SourceSummary),
    );
    inputs
}
