//! Views: what each page shows. The data every built-in page receives, built from the
//! analysed site as small precomputed values (see `docs/templates.md` for the variables).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;
use tera::Value;

use super::context::*;
use super::shared::{Shared, with_entry};
use super::svg;
use super::{Job, METHODOLOGY_PAGE, OVERVIEW_PAGE};
use crate::analyse::checks::group_label;
use crate::analyse::qualifiers::{self, TOLERANCE};
use crate::analyse::{CheckKind, EstimateRule, Flag};
use crate::markdown::{self, INCIDENT_ROOT, PAGE_ROOT, SourceTitles, escape_html};
use crate::site::Site;

/// A page's template, title, description and its own variables.
pub(super) struct PageData {
    pub(super) template: &'static str,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) values: Vec<(&'static str, Value)>,
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
        }
    }

    fn with(self, key: &'static str, value: impl Serialize) -> Self {
        self.with_value(key, Value::from_serializable(&value))
    }

    fn with_value(mut self, key: &'static str, value: Value) -> Self {
        self.values.push((key, value));
        self
    }
}

pub(super) fn page_data(site: &Site, shared: &Shared, job: Job) -> PageData {
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
        .with_value("incidents", shared.incidents_by_time(site)),
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
        Job::Matrix => matrix(site),
        Job::Timeline => timeline(site),
        Job::Checks => checks(site),
        Job::NotFound => PageData::new(
            "404.html",
            "Page not found",
            "This page does not exist in the briefing.",
        ),
        Job::ClaimsCsv | Job::FiguresJson | Job::Sitemap | Job::Robots | Job::Feed => {
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
    outcome: &'static str,
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
        outcome: incident.outcome.as_str(),
        outcome_note: incident.outcome_note.clone(),
        actors: incident.actors.clone(),
        body: markdown::render(
            &incident.body,
            INCIDENT_ROOT,
            &SourceTitles::new(&site.briefing),
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
    open_ended: bool,
    best_basis: String,
    flags: Vec<FlagCtx>,
    chart: String,
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
            CheckKind::Within => "narrower window within wider",
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
        if ca.superseded_by.is_some() {
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
            let mut worded: Vec<String> =
                members.iter().map(|&n| worded(&figure.claims[n])).collect();
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
                    worded(claim),
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
        open_ended: a.open_ended,
        best_basis: a.best_basis.clone(),
        flags: flags(&a.flags),
        chart: svg::figure_chart(site, f),
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
    let flags: Vec<FlagCtx> = [
        Flag::SourcesDisagree,
        Flag::SingleSource,
        Flag::OnlyConflictParties,
        Flag::OnlyVagueWording,
        Flag::BreakdownDoesNotAddUp,
        Flag::WindowsDoNotNest,
    ]
    .iter()
    .map(|f| FlagCtx {
        slug: f.slug(),
        label: f.label(),
    })
    .collect();
    PageData::new(
        "methodology.html",
        title,
        "How figures are read, bounded, estimated and checked.",
    )
    .with("body", page.map(|p| page_html(site, p)))
    .with("qualifiers", qualifiers::table())
    .with("tolerance_percent", (TOLERANCE * 100.0).round())
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

/// Figures as rows and sources as columns: briefings have far more figures than sources.
/// With thousands of figures and hundreds of sources the table has millions of cells, so
/// its rows are written here as escaped HTML (`rows_html`) rather than looped over in the
/// template.
fn matrix(site: &Site) -> PageData {
    let b = &site.briefing;
    let columns: Vec<Link> = b
        .sources
        .iter()
        .map(|s| Link {
            title: s.id.clone(),
            url: source_url(&s.id),
        })
        .collect();
    let mut rows = String::with_capacity(b.figures.len() * (b.sources.len() * 9 + 200));
    let mut cells: Vec<Vec<usize>> = vec![Vec::new(); b.sources.len()];
    for (f, figure) in b.figures.iter().enumerate() {
        for (c, claim) in figure.claims.iter().enumerate() {
            if let Some(s) = b.source_index(&claim.source) {
                cells[s].push(c);
            }
        }
        let _ = write!(
            rows,
            "<tr>\n<th scope=\"row\"><a href=\"{}\">{}</a>",
            escape_html(&figure_url(&figure.id)),
            escape_html(&figure.label)
        );
        if let Some(window) = &figure.scope.window {
            let _ = write!(
                rows,
                "<br><span class=\"muted\">{}</span>",
                escape_html(window)
            );
        }
        rows.push_str("</th>\n");
        for claims in cells.iter_mut() {
            rows.push_str("<td>");
            for (n, &c) in claims.iter().enumerate() {
                let claim = &figure.claims[c];
                if n > 0 {
                    rows.push_str("<br>");
                }
                let superseded = site.analysis.figures[f].claims[c].superseded_by.is_some();
                let _ = write!(
                    rows,
                    "<a class=\"cell-claim{}\" href=\"{}#{}\" title=\"{}\">{}</a>",
                    if superseded { " superseded" } else { "" },
                    escape_html(&figure_url(&figure.id)),
                    escape_html(&claim_anchor(claim, c)),
                    escape_html(&StatedByCtx::new(site, claim).label),
                    escape_html(&worded(claim))
                );
            }
            rows.push_str("</td>");
            claims.clear();
        }
        rows.push_str("\n</tr>\n");
    }
    PageData::new(
        "matrix.html",
        "Sources × figures",
        "Which source reports which figure, and what value it gives.",
    )
    .with("columns", columns)
    .with("rows_html", rows)
}

/// One incident or statement on the timeline.
struct TimelineEntry {
    kind: &'static str,
    title: String,
    url: String,
    detail: String,
    inferred: bool,
}

#[derive(Serialize)]
struct TimelineDay {
    label: String,
    precision: &'static str,
    /// The day's entries as escaped `<li>` items (a long briefing has tens of thousands).
    entries_html: String,
}

impl TimelineEntry {
    /// The entry as an HTML list item on the timeline page (at the site root).
    fn write_html(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "<li class=\"entry-{kind}\"><span class=\"badge kind\">{kind}</span> <a href=\"{}\">{}</a>{}<br><span class=\"meta\">{}</span></li>",
            escape_html(&self.url),
            escape_html(&self.title),
            if self.inferred {
                " <span class=\"badge inferred\">inferred</span>"
            } else {
                ""
            },
            escape_html(&self.detail),
            kind = self.kind,
        );
    }
}

/// Timeline entries of one day, tagged 0 for incidents and 1 for statements (for sorting).
type DayEntries = (&'static str, Vec<(u8, TimelineEntry)>);

fn timeline(site: &Site) -> PageData {
    let b = &site.briefing;
    // Keyed by (sort key, label) so days sort in time and each day keeps one heading.
    let mut days: BTreeMap<((u8, i64), String), DayEntries> = BTreeMap::new();
    for &i in &site.index.incidents_by_time {
        let incident = &b.incidents[i];
        let date = &incident.date;
        days.entry((date.sort_key(), date.start.to_string()))
            .or_insert((date.start.precision(), Vec::new()))
            .1
            .push((
                0,
                TimelineEntry {
                    kind: "incident",
                    title: incident.title.clone(),
                    url: incident_url(&incident.id),
                    detail: format!("{} · {}", incident.place, incident.outcome),
                    inferred: date.is_inferred(),
                },
            ));
    }
    for figure in &b.figures {
        for (c, claim) in figure.claims.iter().enumerate() {
            let Some(date) = &claim.stated_on else {
                continue;
            };
            days.entry((date.sort_key(), date.start.to_string()))
                .or_insert((date.start.precision(), Vec::new()))
                .1
                .push((
                    1,
                    TimelineEntry {
                        kind: "statement",
                        title: format!("{}: {}", figure.label, worded(claim)),
                        url: format!("{}#{}", figure_url(&figure.id), claim_anchor(claim, c)),
                        detail: format!(
                            "{} — {}",
                            StatedByCtx::new(site, claim).label,
                            claim.source
                        ),
                        inferred: date.is_inferred(),
                    },
                ));
        }
    }
    let days: Vec<TimelineDay> = days
        .into_iter()
        .map(|((_, label), (precision, mut entries))| {
            entries.sort_by(|a, b| (a.0, &a.1.title).cmp(&(b.0, &b.1.title)));
            let mut entries_html = String::new();
            for (_, entry) in &entries {
                entry.write_html(&mut entries_html);
            }
            TimelineDay {
                label,
                precision,
                entries_html,
            }
        })
        .collect();
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
    PageData::new("checks.html", "Consistency checks", "Whether parts add up to wholes and narrower time windows fit in wider ones, per source and per party.")
        .with("checks", all)
        .with("violations", violations)
}

/// The HTML of content page `p`'s body, rendered for the page that shows it.
fn page_html(site: &Site, p: usize) -> String {
    let b = &site.briefing;
    markdown::render(&b.pages[p].body, PAGE_ROOT, &SourceTitles::new(b))
}
