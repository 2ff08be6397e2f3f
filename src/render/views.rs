//! Views: what each page shows. The data every built-in page receives, built from the
//! analysed site as small precomputed values (see `docs/templates.md` for the variables).

use std::fmt::Write;

use serde::Serialize;
use tera::Value;

use super::context::{self, *};
use super::rows::Rows;
use super::shared::{Shared, with_entry};
use super::svg;
use super::{Job, METHODOLOGY_PAGE, OVERVIEW_PAGE};
use crate::analyse::checks::group_label;
use crate::analyse::qualifiers::{self, TOLERANCE};
use crate::analyse::{CheckKind, EstimateRule, Flag};
use crate::escape::escape_html;
use crate::markdown::{self, INCIDENT_ROOT, PAGE_ROOT, SourceTitles};
use crate::model::When;
use crate::site::Site;

/// A page's template, title, description and its own variables.
pub(super) struct PageData {
    pub(super) template: &'static str,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) values: Vec<(&'static str, Value)>,
    /// The incidents the page lists as `incidents_html`, each rendered by
    /// `incident_item.html` (see [`Rows::incident_list`]).
    pub(super) incident_list: Option<IncidentList>,
}

/// An incident list a page shows.
#[derive(Debug, Clone, Copy)]
pub(super) enum IncidentList {
    /// Every incident in time order, on a page at the site root.
    All,
    /// The incidents that list source `s`, on its page (one folder down).
    OfSource(usize),
}

impl PageData {
    fn new(
        template: &'static str,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        PageData {
            template,
            title: title.into(),
            description: description.into(),
            values: Vec::new(),
            incident_list: None,
        }
    }

    fn with(self, key: &'static str, value: impl Serialize) -> Self {
        self.with_value(key, Value::from_serializable(&value))
    }

    fn with_value(mut self, key: &'static str, value: Value) -> Self {
        self.values.push((key, value));
        self
    }

    fn with_incident_list(mut self, list: IncidentList) -> Self {
        self.incident_list = Some(list);
        self
    }
}

pub(super) fn page_data(site: &Site, shared: &Shared, rows: &Rows, job: Job) -> PageData {
    let b = &site.briefing;
    match job {
        Job::Overview => overview(site, shared),
        Job::Incident(i) => incident(site, shared, i),
        Job::Figure(f) => figure(site, shared, f),
        Job::Source(s) => source(site, shared, s),
        Job::Page(p) => {
            let page = &b.pages[p];
            let description = page
                .description
                .clone()
                .unwrap_or_else(|| site.bodies.pages[p].summary(160));
            PageData::new("page.html", &page.title, description).with("body", page_html(site, p))
        }
        Job::Methodology => methodology(site),
        Job::IncidentList => PageData::new(
            "incidents.html",
            "Incidents",
            format!(
                "All {} incidents of the briefing in time order.",
                b.incidents.len()
            ),
        )
        .with_value("incidents", shared.incidents_by_time(site))
        .with_incident_list(IncidentList::All),
        Job::FigureList => PageData::new(
            "figures.html",
            "Figures",
            format!(
                "All {} figures of the fact table with their ranges and flags.",
                b.figures.len()
            ),
        )
        .with_value("figures", shared.all_figures(site)),
        Job::SourceList => PageData::new(
            "sources.html",
            "Sources",
            format!(
                "The {} sources of the briefing and what each supports.",
                b.sources.len()
            ),
        )
        .with_value("sources", shared.all_sources(site)),
        Job::Matrix => matrix(site, rows),
        Job::Timeline => timeline(site, rows),
        Job::Checks => checks(site),
        Job::NotFound => PageData::new(
            "404.html",
            "Page not found",
            "This page does not exist in the briefing.",
        ),
        Job::SearchPage => PageData::new(
            "search.html",
            "Search",
            "Search the incidents, figures and sources of the briefing.",
        ),
        Job::ClaimsCsv
        | Job::FiguresJson
        | Job::Sitemap
        | Job::Robots
        | Job::Feed
        | Job::SearchScript
        | Job::SearchManifest
        | Job::SearchTerms(_)
        | Job::SearchDocs(_) => {
            unreachable!("data jobs are rendered without templates")
        }
    }
}

fn overview(site: &Site, shared: &Shared) -> PageData {
    let b = &site.briefing;
    let summary = b
        .pages
        .iter()
        .position(|p| p.id == OVERVIEW_PAGE)
        .map(|p| page_html(site, p));
    let key: Vec<Value> = b
        .figures
        .iter()
        .enumerate()
        .filter(|(_, f)| f.key)
        .map(|(f, _)| {
            with_entry(
                shared.figure(site, f),
                "strip",
                Value::from(svg::range_strip(site, f)),
            )
        })
        .collect();
    let violations = site
        .analysis
        .checks
        .iter()
        .filter(|c| !c.consistent)
        .count();
    PageData::new("overview.html", &site.config.title, &site.config.description)
        .with("summary", summary)
        .with_value("key_figures", Value::from(key))
        .with_value("incidents", shared.incidents_by_time(site))
        .with_incident_list(IncidentList::All)
        .with_value("sources", shared.all_sources(site))
        .with(
            "counts",
            serde_json::json!({
                "incidents": b.incidents.len(),
                "figures": b.figures.len(),
                "claims": b.figures.iter().map(|f| f.claims.len()).sum::<usize>(),
                "sources": b.sources.len(),
                "disputed_figures": site.analysis.figures.iter().filter(|a| a.flags.contains(&Flag::SourcesDisagree)).count(),
                "check_violations": violations,
                "quotes_verified": site.validation.quotes_verified(),
                "quotes_total": site.validation.quotes_total(),
            }),
        )
}

#[derive(Serialize)]
struct IncidentCtx {
    id: String,
    title: String,
    date: DateCtx,
    place: String,
    coordinates: Option<String>,
    category: String,
    outcome: String,
    outcome_note: Option<String>,
    actors: Vec<String>,
    body: String,
}

fn incident(site: &Site, shared: &Shared, i: usize) -> PageData {
    let incident = &site.briefing.incidents[i];
    let figures: Vec<Value> = site.index.figures_of_incident[i]
        .iter()
        .map(|&f| {
            with_entry(
                shared.figure(site, f),
                "claims",
                shared.claims_of_figure(site, f),
            )
        })
        .collect();
    let sources: Vec<Value> = incident
        .sources
        .iter()
        .filter_map(|id| site.briefing.source_index(id))
        .map(|s| shared.source(site, s))
        .collect();
    let ctx = IncidentCtx {
        id: incident.id.clone(),
        title: incident.title.clone(),
        date: DateCtx::new(&incident.date),
        place: incident.place.to_string(),
        coordinates: incident
            .place
            .coordinates
            .map(|[lat, lon]| format!("{lat:.4}, {lon:.4}")),
        category: incident.category.clone(),
        outcome: outcome_word(site, &incident.outcome),
        outcome_note: incident.outcome_note.clone(),
        actors: incident.actors.clone(),
        body: markdown::render(
            &incident.body,
            INCIDENT_ROOT,
            &SourceTitles::new(&site.briefing),
            site.config.allow_remote_images,
        ),
    };
    PageData::new(
        "incident.html",
        &incident.title,
        site.bodies.incidents[i].summary(160),
    )
    .with("incident", ctx)
    .with_value("figures", Value::from(figures))
    .with_value("sources", Value::from(sources))
}

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
struct CheckCtx {
    kind: &'static str,
    group: String,
    consistent: bool,
    detail: String,
    figure: Link,
    others: Vec<Link>,
}

fn check_ctx(site: &Site, n: usize) -> CheckCtx {
    let check = &site.analysis.checks[n];
    let link = |f: usize| Link {
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
fn positions(site: &Site, f: usize) -> (Vec<Position>, Option<String>) {
    let figure = &site.briefing.figures[f];
    let analysis = &site.analysis.figures[f];
    if analysis.disagreements.is_empty() {
        return (Vec::new(), None);
    }
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
    let positions = groups
        .iter()
        .map(|(bounds, members)| {
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
        })
        .collect();
    // The widest gap between counted claims; between any claims if no counted ones disagree.
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
    let widest = candidates
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
        });
    (positions, widest)
}

fn figure(site: &Site, shared: &Shared, f: usize) -> PageData {
    let b = &site.briefing;
    let figure = &b.figures[f];
    let a = &site.analysis.figures[f];
    let link = |f: usize| Link {
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
        incidents: figure
            .scope
            .incidents
            .iter()
            .filter_map(|id| b.incident_index(id))
            .map(|i| Link {
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
fn changes(site: &Site, f: usize) -> Vec<String> {
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
fn silent_sources(site: &Site, f: usize) -> Vec<usize> {
    let b = &site.briefing;
    let scope = &b.figures[f].scope.incidents;
    let mut covering: Vec<usize> = match scope.is_empty() {
        true => (0..b.sources.len()).collect(),
        false => scope
            .iter()
            .filter_map(|id| b.incident_index(id))
            .flat_map(|i| &b.incidents[i].sources)
            .filter_map(|id| b.source_index(id))
            .collect(),
    };
    covering.sort_unstable();
    covering.dedup();
    let reporting = &site.analysis.figures[f].sources;
    covering.retain(|s| reporting.binary_search(s).is_err());
    covering
}

#[derive(Serialize)]
struct SourceCtx {
    id: String,
    title: String,
    outlet: String,
    author: Option<String>,
    published: Option<DateCtx>,
    url: Option<String>,
    archive: Option<String>,
    archived: bool,
    language: String,
    kind: String,
    notes: Option<String>,
}

fn source(site: &Site, shared: &Shared, s: usize) -> PageData {
    let source = &site.briefing.sources[s];
    let ctx = SourceCtx {
        id: source.id.clone(),
        title: source.title.clone(),
        outlet: source.outlet.clone(),
        author: source.author.clone(),
        published: source.published.as_ref().map(DateCtx::new),
        url: source
            .url
            .as_ref()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .cloned(),
        archive: source.archive.as_ref().map(|p| p.display().to_string()),
        archived: site.validation.archived.get(s).copied().unwrap_or(false),
        language: source.language.clone(),
        kind: source.kind.clone(),
        notes: source.notes.clone(),
    };
    let claims: Vec<Value> = site.index.claims_of_source[s]
        .iter()
        .map(|&(f, c)| shared.claim(site, f, c))
        .collect();
    let incidents: Vec<Value> = site.index.incidents_of_source[s]
        .iter()
        .map(|&i| shared.incident(site, i))
        .collect();
    PageData::new(
        "source.html",
        &source.title,
        format!(
            "What {} ({}) reports: every claim and incident it supports.",
            source.id, source.outlet
        ),
    )
    .with("source", ctx)
    .with_value("claims", Value::from(claims))
    .with_value("incidents", Value::from(incidents))
    .with_incident_list(IncidentList::OfSource(s))
}

#[derive(Serialize)]
struct RuleCtx {
    name: &'static str,
    description: &'static str,
    active: bool,
}

fn methodology(site: &Site) -> PageData {
    let page = site
        .briefing
        .pages
        .iter()
        .position(|p| p.id == METHODOLOGY_PAGE);
    let title = page.map_or("Methodology".to_string(), |p| {
        site.briefing.pages[p].title.clone()
    });
    let flags: Vec<FlagCtx> = context::flags(
        &site.vocabulary,
        &[
            Flag::SourcesDisagree,
            Flag::CountChangedOverTime,
            Flag::SingleSource,
            Flag::OnlyConflictParties,
            Flag::OnlyVagueWording,
            Flag::BreakdownDoesNotAddUp,
            Flag::WindowsDoNotNest,
        ],
    );
    let (rules, wordings) = site.analysis.wordings.table();
    PageData::new(
        "methodology.html",
        title,
        "How figures are read, bounded, estimated and checked.",
    )
    .with("body", page.map(|p| page_html(site, p)))
    .with("qualifiers", wordings)
    .with("wording_rules", rules)
    .with(
        "tolerance_percent",
        qualifiers::format_number((TOLERANCE * 100.0).round()),
    )
    .with(
        "rules",
        EstimateRule::ALL
            .iter()
            .map(|r| RuleCtx {
                name: r.name(),
                description: r.description(),
                active: *r == site.analysis.rule,
            })
            .collect::<Vec<_>>(),
    )
    .with("flags", flags)
}

/// Figures as rows and sources as columns (by publication date, then id): briefings have
/// far more figures than sources.
/// With thousands of figures and hundreds of sources the table has millions of cells, so
/// each row is written as escaped HTML (`rows`, see [`matrix_row`]) rather than looped
/// over in the template.
fn matrix(site: &Site, rows: &Rows) -> PageData {
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

/// Figure `f`'s row of the matrix: a cell per source, each the source's claims as links.
pub(super) fn matrix_row(site: &Site, f: usize) -> String {
    let b = &site.briefing;
    let figure = &b.figures[f];
    let mut cells: Vec<Vec<usize>> = vec![Vec::new(); b.sources.len()];
    for (c, claim) in figure.claims.iter().enumerate() {
        if let Some(s) = b.source_index(&claim.source) {
            cells[s].push(c);
        }
    }
    let mut row = String::with_capacity(b.sources.len() * 9 + 200);
    let _ = write!(
        row,
        "<tr>\n<th scope=\"row\"><a href=\"{}\">{}</a> <span class=\"unit\">({})</span>",
        escape_html(&figure_url(&figure.id)),
        escape_html(&figure.label),
        escape_html(&figure.unit)
    );
    if let Some(window) = &figure.scope.window {
        let _ = write!(
            row,
            "<br><span class=\"muted\">{}</span>",
            escape_html(window)
        );
    }
    row.push_str("</th>\n");
    for claims in site.index.sources_by_date.iter().map(|&s| &cells[s]) {
        row.push_str("<td>");
        for (n, &c) in claims.iter().enumerate() {
            let claim = &figure.claims[c];
            if n > 0 {
                row.push_str("<br>");
            }
            let superseded = !site.analysis.figures[f].claims[c].is_current();
            let _ = write!(
                row,
                "<a class=\"cell-claim{}\" href=\"{}#{}\" title=\"{}\">{}</a>",
                if superseded { " superseded" } else { "" },
                escape_html(&figure_url(&figure.id)),
                escape_html(&claim_anchor(claim, c)),
                escape_html(&format!(
                    "{}: {} {}",
                    StatedByCtx::new(site, claim).label,
                    worded(site, claim),
                    figure.unit
                )),
                escape_html(&worded(site, claim))
            );
        }
        row.push_str("</td>");
    }
    row.push_str("\n</tr>\n");
    row
}

/// A day on the timeline: its sort key and its heading.
type DayKey = ((u8, i64), String);

/// One incident or statement on the timeline, with the day it is listed under.
#[derive(Debug, Clone)]
pub(super) struct TimelineEntry {
    day: DayKey,
    precision: &'static str,
    /// The time of day in minutes, if the date gives one as HH:MM: a day lists its entries
    /// without a time first, then the others by time.
    time: Option<u16>,
    /// 0 for incidents, 1 for statements: a day lists its incidents first (at one time).
    kind: u8,
    title: String,
    /// The incident's index (and 0), or the figure's and the claim's: the order of entries
    /// alike in all else.
    item: (usize, usize),
    /// The entry as an HTML list item on the timeline page (at the site root).
    html: String,
}

#[derive(Serialize)]
struct TimelineDay {
    label: String,
    precision: &'static str,
    /// The day's entries as escaped `<li>` items (a long briefing has tens of thousands).
    entries_html: String,
}

impl TimelineEntry {
    fn new(
        date: &When,
        kind: u8,
        item: (usize, usize),
        title: String,
        url: &str,
        detail: &str,
    ) -> TimelineEntry {
        let name = ["incident", "statement"][usize::from(kind)];
        let time = match &date.time {
            Some(time) => format!("<span class=\"time\">{}</span> ", escape_html(time)),
            None => String::new(),
        };
        let html = format!(
            "<li class=\"entry-{name}\">{time}<span class=\"badge kind\">{name}</span> <a href=\"{}\">{}</a>{}<br><span class=\"meta\">{}</span></li>\n",
            escape_html(url),
            escape_html(&title),
            if date.is_inferred() {
                " <span class=\"badge inferred\">inferred</span>"
            } else {
                ""
            },
            escape_html(detail),
        );
        TimelineEntry {
            day: (date.sort_key(), date.start.to_string()),
            precision: date.start.precision(),
            time: date.time_of_day(),
            kind,
            title,
            item,
            html,
        }
    }

    /// The timeline's order: by day; within a day, entries without a time of day first,
    /// then by time; at one time incidents first, then by title, then by incident index or
    /// by figure and claim. For incidents that is their time order
    /// (`Index::incidents_by_time`: date, time, title, index).
    pub(super) fn timeline_cmp(&self, other: &TimelineEntry) -> std::cmp::Ordering {
        (&self.day, self.time, self.kind, &self.title, self.item).cmp(&(
            &other.day,
            other.time,
            other.kind,
            &other.title,
            other.item,
        ))
    }
}

/// Incident `i` on the timeline.
pub(super) fn timeline_incident(site: &Site, i: usize) -> TimelineEntry {
    let incident = &site.briefing.incidents[i];
    TimelineEntry::new(
        &incident.date,
        0,
        (i, 0),
        incident.title.clone(),
        &incident_url(&incident.id),
        &format!("{} · {}", incident.place, incident.outcome),
    )
}

/// Figure `f`'s claims with a `stated_on` date, as timeline statements.
pub(super) fn timeline_statements(site: &Site, f: usize) -> Vec<TimelineEntry> {
    let figure = &site.briefing.figures[f];
    let mut entries = Vec::new();
    for (c, claim) in figure.claims.iter().enumerate() {
        let Some(date) = &claim.stated_on else {
            continue;
        };
        entries.push(TimelineEntry::new(
            date,
            1,
            (f, c),
            format!("{}: {}", figure.label, worded(site, claim)),
            &format!("{}#{}", figure_url(&figure.id), claim_anchor(claim, c)),
            &format!("{} — {}", StatedByCtx::new(site, claim).label, claim.source),
        ));
    }
    entries
}

fn timeline(site: &Site, rows: &Rows) -> PageData {
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

fn checks(site: &Site) -> PageData {
    let mut all: Vec<CheckCtx> = (0..site.analysis.checks.len())
        .map(|n| check_ctx(site, n))
        .collect();
    all.sort_by_key(|c| c.consistent);
    let violations = all.iter().filter(|c| !c.consistent).count();
    PageData::new("checks.html", "Consistency checks", "Whether parts add up to wholes and counts over a shorter time window or a smaller place fit in the wider ones, per source and per party.")
        .with("checks", all)
        .with("violations", violations)
}

/// The HTML of content page `p`'s body, rendered for the page that shows it.
fn page_html(site: &Site, p: usize) -> String {
    let b = &site.briefing;
    let allow_remote_images = site.config.allow_remote_images;
    markdown::render(
        &b.pages[p].body,
        PAGE_ROOT,
        &SourceTitles::new(b),
        allow_remote_images,
    )
}
