//! Consistency checks between figures, per source and per stating party:
//! parts must add up to their whole (`sum_of`), and a count over a shorter time window or a
//! smaller place cannot exceed the same count over the wider one (`within`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::FigureAnalysis;
use super::qualifiers::Bounds;
use crate::model::{Briefing, Figure, FigureIx, IxVec, PartyIx, SourceIx};

/// Which relation a check tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// `figure` is the sum of `others`.
    Sum,
    /// `figure` lies within each of `others` (shorter time window or smaller place).
    Within,
}

/// Whose numbers a check compares: one source's, or one party's across sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Source(SourceIx),
    Party(PartyIx),
}

/// One consistency check and its result.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub kind: CheckKind,
    pub group: Group,
    /// The whole (for sums) or the narrower figure (for windows), then the others.
    figures: Vec<FigureIx>,
    pub consistent: bool,
    /// The arithmetic in words: "18 + 15 = 33; stated: 33".
    pub detail: String,
}

impl Check {
    /// The figure the relation is declared on.
    pub fn figure(&self) -> FigureIx {
        self.figures[0]
    }

    /// The other figures (parts, or wider windows).
    pub fn others(&self) -> &[FigureIx] {
        &self.figures[1..]
    }

    /// Every figure involved.
    pub fn figures(&self) -> &[FigureIx] {
        &self.figures
    }
}

/// The hull of a group's counted claims for one figure, and how its values read.
struct Reading {
    bounds: Bounds,
    label: String,
}

/// Runs every declared relation for every source and party that reports all its figures:
/// the checks [`declared_by`] each figure, one figure after another.
pub fn run(briefing: &Briefing, analyses: &IxVec<FigureIx, FigureAnalysis>) -> Vec<Check> {
    let mut readings = Readings::default();
    FigureIx::all(briefing.figures.len())
        .flat_map(|w| checks_of(briefing, analyses, &mut readings, w))
        .collect()
}

/// The checks of the relations figure `w` declares (`sum_of`, then `within`): with every
/// figure's, what [`run`] finds, in the same order.
pub fn declared_by(
    briefing: &Briefing,
    analyses: &IxVec<FigureIx, FigureAnalysis>,
    w: FigureIx,
) -> Vec<Check> {
    checks_of(briefing, analyses, &mut Readings::default(), w)
}

/// Each figure's readings by group, read when first needed.
#[derive(Default)]
struct Readings(BTreeMap<FigureIx, BTreeMap<Group, Reading>>);

impl Readings {
    /// Reads figures `figures`, so [`Readings::get`] finds them.
    fn read(
        &mut self,
        briefing: &Briefing,
        analyses: &IxVec<FigureIx, FigureAnalysis>,
        figures: &[FigureIx],
    ) {
        for &f in figures {
            self.0
                .entry(f)
                .or_insert_with(|| read_groups(briefing, f, &analyses[f]));
        }
    }

    fn get(&self, f: FigureIx) -> &BTreeMap<Group, Reading> {
        &self.0[&f]
    }
}

/// The hull of each source's and each party's current claims for figure `f`.
fn read_groups(
    briefing: &Briefing,
    f: FigureIx,
    analysis: &FigureAnalysis,
) -> BTreeMap<Group, Reading> {
    let mut groups: BTreeMap<Group, Vec<usize>> = BTreeMap::new();
    for (n, claim) in briefing.figures[f].claims.iter().enumerate() {
        // Only the claims that could be counted: a superseded, replaced or revised claim,
        // or a disputed one, never makes a check pass or fail.
        let ca = &analysis.claims[n];
        if !ca.is_current() || claim.rank == crate::model::Rank::Disputed {
            continue;
        }
        if let Some(s) = briefing.source_index(&claim.source) {
            groups.entry(Group::Source(s)).or_default().push(n);
        }
        if let Some(p) = briefing.party_index(&claim.stated_by.party) {
            groups.entry(Group::Party(p)).or_default().push(n);
        }
    }
    groups
        .into_iter()
        .map(|(group, claims)| {
            let low = claims
                .iter()
                .map(|&n| analysis.claims[n].bounds.low)
                .fold(f64::INFINITY, f64::min);
            let high = claims
                .iter()
                .map(|&n| analysis.claims[n].bounds.high)
                .try_fold(0.0_f64, |acc, h| h.map(|h| acc.max(h)));
            let mut labels: Vec<String> = claims
                .iter()
                .map(|&n| analysis.claims[n].bounds.label())
                .collect();
            labels.dedup();
            (
                group,
                Reading {
                    bounds: Bounds { low, high },
                    label: labels.join(" / "),
                },
            )
        })
        .collect()
}

fn checks_of(
    briefing: &Briefing,
    analyses: &IxVec<FigureIx, FigureAnalysis>,
    readings: &mut Readings,
    w: FigureIx,
) -> Vec<Check> {
    let figure = &briefing.figures[w];
    let parts: Vec<FigureIx> = figure
        .sum_of
        .iter()
        .filter_map(|id| briefing.figure_index(id))
        .collect();
    let outers: Vec<FigureIx> = figure
        .within
        .iter()
        .filter_map(|id| briefing.figure_index(id))
        .collect();
    if parts.is_empty() && outers.is_empty() {
        return Vec::new();
    }
    readings.read(briefing, analyses, &[w]);
    readings.read(briefing, analyses, &parts);
    readings.read(briefing, analyses, &outers);
    let mut checks = Vec::new();
    if !parts.is_empty() && parts.len() == figure.sum_of.len() {
        checks.extend(sum_checks(figure, w, &parts, readings));
    }
    for &outer in &outers {
        checks.extend(within_checks(briefing, w, outer, readings));
    }
    checks
}

/// The checks that figure `w`'s `parts` add up to it, one per group reading all of them.
fn sum_checks(figure: &Figure, w: FigureIx, parts: &[FigureIx], readings: &Readings) -> Vec<Check> {
    let mut checks = Vec::new();
    for (group, whole) in readings.get(w) {
        let Some(part_readings) = parts
            .iter()
            .map(|&p| readings.get(p).get(group))
            .collect::<Option<Vec<&Reading>>>()
        else {
            continue;
        };
        let sum_low: f64 = part_readings.iter().map(|r| r.bounds.low).sum();
        let sum_high: Option<f64> = part_readings.iter().map(|r| r.bounds.high).sum();
        let sum = Bounds {
            low: sum_low,
            high: sum_high,
        };
        let consistent = sum.overlaps(&whole.bounds);
        let unit = &figure.unit;
        let detail = format!(
            "{} = {} {unit}; stated whole: {} {unit} — {}",
            part_readings
                .iter()
                .map(|r| r.label.as_str())
                .collect::<Vec<_>>()
                .join(" + "),
            sum.label(),
            whole.label,
            if consistent {
                "consistent"
            } else {
                "does not add up"
            }
        );
        checks.push(Check {
            kind: CheckKind::Sum,
            group: *group,
            figures: std::iter::once(w).chain(parts.iter().copied()).collect(),
            consistent,
            detail,
        });
    }
    checks
}

/// The checks that figure `w` is within the wider figure `outer`, one per group reading
/// both.
fn within_checks(
    briefing: &Briefing,
    w: FigureIx,
    outer: FigureIx,
    readings: &Readings,
) -> Vec<Check> {
    let figure = &briefing.figures[w];
    let mut checks = Vec::new();
    for (group, inner) in readings.get(w) {
        let Some(wide) = readings.get(outer).get(group) else {
            continue;
        };
        // The narrower count's lowest possible value cannot exceed the wider one's highest.
        let unit = &figure.unit;
        let consistent = wide.bounds.high.is_none_or(|h| inner.bounds.low <= h);
        let detail = format!(
            "{} {unit} ({}) ≤ {} {unit} ({}) — {}",
            inner.label,
            figure.label,
            wide.label,
            briefing.figures[outer].label,
            if consistent {
                "consistent"
            } else {
                "the narrower count (shorter window or smaller place) is the larger"
            }
        );
        checks.push(Check {
            kind: CheckKind::Within,
            group: *group,
            figures: vec![w, outer],
            consistent,
            detail,
        });
    }
    checks
}

/// "source 000_…" or "party Pakistan military", for check listings.
pub fn group_label(briefing: &Briefing, group: Group) -> String {
    match group {
        Group::Source(s) => format!("source {}", briefing.sources[s].id),
        Group::Party(p) => briefing.parties[p].name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{briefing, claim, figure};
    use super::super::{EstimateRule, analyse};
    use super::*;
    use crate::model::{Party, PartyKind};

    fn fixture() -> Briefing {
        let mut b = briefing(&["s1", "s2"], Vec::new());
        b.parties.push(Party {
            id: "mil".into(),
            name: "Military".into(),
            kind: PartyKind::Military,
            party_to_conflict: true,
            notes: None,
        });
        // s1: 18 + 15 = 33 (consistent). s2: 31 + 17 vs at least 40 (consistent: 48 ≥ 40).
        // Militants: s1 says 92 on the day and at least 133 over 48 hours (consistent);
        // s2 says 150 on the day but 133 over 48 hours (violation).
        b.figures = vec![
            figure(
                "civilians",
                vec![
                    claim(18.0, "exact", "s1", "mil"),
                    claim(31.0, "exact", "s2", "x"),
                ],
                &[],
                &[],
            ),
            figure(
                "day",
                vec![
                    claim(92.0, "exact", "s1", "mil"),
                    claim(150.0, "exact", "s2", "x"),
                ],
                &[],
                &["two-days"],
            ),
            figure(
                "non-militant",
                vec![
                    claim(33.0, "exact", "s1", "mil"),
                    claim(40.0, "at least", "s2", "x"),
                ],
                &["civilians", "security"],
                &[],
            ),
            figure(
                "security",
                vec![
                    claim(15.0, "exact", "s1", "mil"),
                    claim(17.0, "exact", "s2", "x"),
                ],
                &[],
                &[],
            ),
            figure(
                "two-days",
                vec![
                    claim(133.0, "at least", "s1", "mil"),
                    claim(133.0, "exact", "s2", "x"),
                ],
                &[],
                &[],
            ),
        ];
        b
    }

    #[test]
    fn sums_and_windows_are_checked_per_source_and_party() {
        let b = fixture();
        let a = analyse(&b, EstimateRule::Conservative, Default::default());
        let sums: Vec<&Check> = a
            .checks
            .iter()
            .filter(|c| c.kind == CheckKind::Sum)
            .collect();
        // s1, s2 and the military party each report the whole and both parts.
        assert_eq!(sums.len(), 3, "{sums:?}");
        assert!(sums.iter().all(|c| c.consistent), "{sums:?}");
        let s1 = sums
            .iter()
            .find(|c| c.group == Group::Source(SourceIx::new(0)))
            .unwrap();
        assert_eq!(
            s1.detail,
            "18 + 15 = 33 people; stated whole: 33 people — consistent"
        );
        let windows: Vec<&Check> = a
            .checks
            .iter()
            .filter(|c| c.kind == CheckKind::Within)
            .collect();
        let s2 = windows
            .iter()
            .find(|c| c.group == Group::Source(SourceIx::new(1)))
            .unwrap();
        assert!(!s2.consistent, "{s2:?}");
        let s1w = windows
            .iter()
            .find(|c| c.group == Group::Source(SourceIx::new(0)))
            .unwrap();
        assert!(s1w.consistent);
        // The violation flags both figures involved.
        let day = b.figure_index("day").unwrap();
        assert!(
            a.figures[day]
                .flags
                .contains(&super::super::Flag::WindowsDoNotNest)
        );
    }
}
