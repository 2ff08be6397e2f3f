//! Checks of how items relate that need more than one id lookup: figures declared parts of
//! a whole or nested in a wider one (same unit, no cycles), claims superseding each other
//! (no cycles), and an incident's place and citations.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::diagnostics::Diagnostic;
use crate::markdown::Body;
use crate::model::{Briefing, Figure, Incident};
use crate::yaml_path;

use super::locate;
use super::references::Known;

/// The figure relations that must not loop back on themselves.
const RELATIONS: [&str; 2] = ["sum_of", "within"];

fn related<'a>(figure: &'a Figure, field: &str) -> &'a [String] {
    match field {
        "sum_of" => &figure.sum_of,
        _ => &figure.within,
    }
}

/// Problems with `figure`'s `sum_of` and `within` lists, read against `briefing` (where
/// `figure` stands in for the briefing's figure of the same id, so an edited figure can be
/// checked before it is swapped in): a related figure counted in another unit, and cycles.
/// A cycle is reported once, at its figure with the smallest id, unless `every_cycle`.
pub fn figure_relations(
    briefing: &Briefing,
    figure: &Figure,
    every_cycle: bool,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let lookup = |id: &str| -> Option<&Figure> {
        if id == figure.id {
            Some(figure)
        } else {
            briefing.figure_index(id).map(|i| &briefing.figures[i])
        }
    };
    for field in RELATIONS {
        for (n, id) in related(figure, field).iter().enumerate() {
            let Some(other) = lookup(id).filter(|o| o.id != figure.id) else {
                continue;
            };
            if !same_unit(&figure.unit, &other.unit) {
                found.push(locate(
                    &figure.origin,
                    &yaml_path![field, n],
                    Diagnostic::error(
                        &figure.origin.file,
                        format!(
                            "`{id}` is counted in {}, but `{}` in {}: `{field}` relates figures of one unit only",
                            other.unit, figure.id, figure.unit
                        ),
                    )
                    .with_hint(format!(
                        "remove `{id}` from `{field}`, or fix the `unit` of one of the two figures"
                    )),
                ));
            }
        }
        for (n, id) in related(figure, field).iter().enumerate() {
            if id == &figure.id {
                continue; // reported as a self-reference
            }
            let Some(cycle) = path_back(&figure.id, id, field, &lookup) else {
                continue;
            };
            let first = cycle.iter().min().is_some_and(|m| *m == figure.id);
            if every_cycle || first {
                found.push(locate(
                    &figure.origin,
                    &yaml_path![field, n],
                    Diagnostic::error(
                        &figure.origin.file,
                        format!("`{field}` goes round in a cycle: {}", cycle.join(" → ")),
                    )
                    .with_hint(format!(
                        "a figure cannot be (part of) itself; remove one link of the cycle from a `{field}` list"
                    )),
                ));
            }
            break; // one cycle per figure and relation is enough to fix
        }
    }
    found
}

/// The shortest chain `start → first → … → start` along `field`, if `first` leads back.
fn path_back<'a>(
    start: &str,
    first: &str,
    field: &str,
    lookup: &dyn Fn(&str) -> Option<&'a Figure>,
) -> Option<Vec<String>> {
    let mut parent: HashMap<String, String> = HashMap::new();
    let mut queue = VecDeque::from([first.to_string()]);
    let mut seen: HashSet<String> = HashSet::from([first.to_string()]);
    while let Some(id) = queue.pop_front() {
        let Some(figure) = lookup(&id) else {
            continue;
        };
        for next in related(figure, field) {
            if next == start {
                let mut chain = vec![id.clone()];
                while let Some(p) = parent.get(chain.last().map(String::as_str).unwrap_or("")) {
                    chain.push(p.clone());
                }
                chain.push(start.to_string());
                chain.reverse();
                chain.push(start.to_string());
                return Some(chain);
            }
            if seen.insert(next.clone()) {
                parent.insert(next.clone(), id.clone());
                queue.push_back(next.clone());
            }
        }
    }
    None
}

/// Units compare without case and surrounding space: `people` and `People` are one unit.
fn same_unit(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Claims of `figure` whose `supersedes` chain goes round in a cycle, reported once per
/// cycle at its first claim. (A claim superseding itself is reported elsewhere.)
pub fn supersede_cycles(figure: &Figure) -> Vec<Diagnostic> {
    let index_of: HashMap<&str, usize> = figure
        .claims
        .iter()
        .enumerate()
        .filter_map(|(n, c)| c.id.as_deref().map(|id| (id, n)))
        .collect();
    let next = |n: usize| {
        let claim = &figure.claims[n];
        let target = claim.supersedes.as_deref()?;
        (Some(target) != claim.id.as_deref())
            .then(|| index_of.get(target).copied())
            .flatten()
    };
    let mut found = Vec::new();
    let mut reported: HashSet<usize> = HashSet::new();
    for start in 0..figure.claims.len() {
        let mut chain = vec![start];
        let mut at = start;
        while let Some(n) = next(at) {
            if n == start {
                if !chain.iter().any(|c| reported.contains(c)) {
                    reported.extend(chain.iter().copied());
                    let ids: Vec<&str> = chain
                        .iter()
                        .chain([&start])
                        .filter_map(|&c| figure.claims[c].id.as_deref())
                        .collect();
                    found.push(locate(
                        &figure.origin,
                        &yaml_path!["claims", start, "supersedes"],
                        Diagnostic::error(
                            &figure.origin.file,
                            format!("claims supersede each other in a cycle: {}", ids.join(" → ")),
                        )
                        .with_hint("a later count supersedes an earlier one; remove `supersedes` from the earliest claim"),
                    ));
                }
                break;
            }
            if chain.contains(&n) || chain.len() > figure.claims.len() {
                break; // a cycle that does not pass through `start`: found from its own claims
            }
            chain.push(n);
            at = n;
        }
    }
    found
}

/// Problems of an incident beyond its own fields: coordinates outside the globe, and
/// citations in its summary of sources missing from its `sources` list (warnings).
pub fn incident_checks(incident: &Incident, body: &Body, source_ids: &Known) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if let Some([lat, lon]) = incident.place.coordinates {
        let lat_ok = (-90.0..=90.0).contains(&lat);
        let lon_ok = (-180.0..=180.0).contains(&lon);
        if !lat_ok || !lon_ok {
            let which = match (lat_ok, lon_ok) {
                (false, false) => format!("latitude {lat} and longitude {lon} are"),
                (false, true) => format!("latitude {lat} is"),
                _ => format!("longitude {lon} is"),
            };
            let hint = if lon_ok && (-90.0..=90.0).contains(&lon) && (-180.0..=180.0).contains(&lat)
            {
                "write [latitude, longitude]: latitude from -90 to 90, longitude from -180 to 180 (are the two swapped?)"
            } else {
                "write [latitude, longitude]: latitude from -90 to 90, longitude from -180 to 180, in decimal degrees"
            };
            found.push(locate(
                &incident.origin,
                &yaml_path!["place", "coordinates"],
                Diagnostic::error(
                    &incident.origin.file,
                    format!("the coordinates are off the globe: {which} out of range"),
                )
                .with_hint(hint),
            ));
        }
    }
    let listed: HashSet<&str> = incident.sources.iter().map(String::as_str).collect();
    let mut warned = HashSet::new();
    for citation in &body.citations {
        let id = citation.id.as_str();
        if listed.contains(id) || !source_ids.contains(id) || !warned.insert(id) {
            continue;
        }
        found.push(
            Diagnostic::warning(
                &incident.origin.file,
                format!("the summary cites `{id}`, which is not in this incident's `sources`"),
            )
            .at_offset(
                &incident.origin.located_text(),
                incident.body_offset + citation.range.start,
            )
            .with_span_len(citation.range.len())
            .with_hint(format!(
                "add `{id}` to `sources:` in the front matter, so the incident page and the matrix list it"
            )),
        );
    }
    found
}
