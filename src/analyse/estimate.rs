//! Which claims a figure's estimate counts, and the best estimate each rule picks from
//! them, with the reason in words. Also finds counts a party revised over time.

use super::{ClaimAnalysis, EstimateRule};
use crate::analyse::qualifiers::format_number;
use crate::analyse::wordings::Wordings;
use crate::model::{DateValue, Figure, Rank, When};

/// A statement date that can be compared with others of its kind, as its sort key.
fn dated(when: Option<&When>) -> Option<(u8, i64)> {
    when.filter(|w| w.start != DateValue::Unknown)
        .map(|w| w.sort_key())
}

/// Marks each claim that a later, disagreeing count by the same party revises: the same
/// party's numbers on different (comparable) dates that cannot both hold are a count that
/// changed over time, not two sources disagreeing. Each claim is revised by the earliest
/// such later claim.
pub(super) fn mark_revisions(figure: &Figure, claims: &mut [ClaimAnalysis]) {
    let standing = |c: &ClaimAnalysis| c.superseded_by.is_none() && c.replaced_by.is_none();
    for a in 0..claims.len() {
        let (Some(date_a), true) = (
            dated(figure.claims[a].stated_on.as_ref()),
            standing(&claims[a]),
        ) else {
            continue;
        };
        let later = (0..claims.len())
            .filter(|&b| b != a && standing(&claims[b]))
            .filter(|&b| figure.claims[b].rank != Rank::Disputed)
            .filter(|&b| figure.claims[b].stated_by.party == figure.claims[a].stated_by.party)
            .filter(|&b| !claims[a].bounds.overlaps(&claims[b].bounds))
            .filter_map(|b| {
                let date_b = dated(figure.claims[b].stated_on.as_ref())?;
                (date_b.0 == date_a.0 && date_b.1 > date_a.1).then_some((date_b, b))
            })
            .min();
        claims[a].revised_by = later.map(|(_, b)| b);
    }
}

/// The claims an estimate counts: the current ones; preferred ones alone if any; disputed
/// ones only if nothing else. Words without a number ("dozens") count only when no counted
/// claim gives a number.
pub(super) fn counted(
    figure: &Figure,
    claims: &[ClaimAnalysis],
    wordings: &Wordings,
) -> Vec<usize> {
    let current: Vec<usize> = (0..claims.len())
        .filter(|&i| claims[i].is_current())
        .collect();
    let rank = |i: &usize| figure.claims[*i].rank;
    let preferred: Vec<usize> = current
        .iter()
        .copied()
        .filter(|i| rank(i) == Rank::Preferred)
        .collect();
    let undisputed: Vec<usize> = current
        .iter()
        .copied()
        .filter(|i| rank(i) != Rank::Disputed)
        .collect();
    let mut counted = if !preferred.is_empty() {
        preferred
    } else if !undisputed.is_empty() {
        undisputed
    } else {
        current
    };
    let has_number = |i: &usize| wordings.has_number(&figure.claims[*i]);
    if counted.iter().any(has_number) {
        counted.retain(has_number);
    }
    counted
}

/// The best estimate `rule` picks from the counted claims, and why, in words.
pub(super) fn best(
    rule: EstimateRule,
    figure: &Figure,
    claims: &[ClaimAnalysis],
    counted: &[usize],
) -> (f64, String) {
    let head = format!("rule “{}”", rule.name());
    if counted.is_empty() {
        return (0.0, format!("{head}: no claim is counted"));
    }
    let mut points: Vec<f64> = counted.iter().map(|&i| claims[i].point).collect();
    points.sort_by(f64::total_cmp);
    match rule {
        EstimateRule::Conservative => conservative(claims, counted, &head),
        EstimateRule::Maximum => {
            let best = points[points.len() - 1];
            (
                best,
                format!("{head}: the highest counted value, {}", format_number(best)),
            )
        }
        EstimateRule::Median => {
            let mid = points.len() / 2;
            let best = if points.len() % 2 == 1 {
                points[mid]
            } else {
                (points[mid - 1] + points[mid]) / 2.0
            };
            (
                best,
                format!(
                    "{head}: the median of {} counted values, {}",
                    points.len(),
                    format_number(best)
                ),
            )
        }
        EstimateRule::Latest => latest(figure, claims, counted, &head),
    }
}

/// The lowest value consistent with every counted claim: the lowest counted value that
/// every counted claim allows; if no counted value fits them all, the lowest value they all
/// allow (the greatest of their lower bounds); if they cannot all hold, the lowest counted
/// value.
fn conservative(claims: &[ClaimAnalysis], counted: &[usize], head: &str) -> (f64, String) {
    let floor = counted
        .iter()
        .map(|&i| claims[i].bounds.low)
        .fold(f64::NEG_INFINITY, f64::max);
    let ceiling = counted
        .iter()
        .filter_map(|&i| claims[i].bounds.high)
        .fold(f64::INFINITY, f64::min);
    let lowest = |points: &mut dyn Iterator<Item = f64>| points.fold(f64::INFINITY, f64::min);
    if floor > ceiling {
        let best = lowest(&mut counted.iter().map(|&i| claims[i].point));
        return (
            best,
            format!(
                "{head}: the counted claims cannot all hold at once, so the lowest counted value, {}",
                format_number(best)
            ),
        );
    }
    let n = counted.len();
    let all = if n == 1 {
        "the counted claim".to_string()
    } else {
        format!("all {n} counted claims")
    };
    let fitting = lowest(
        &mut counted
            .iter()
            .map(|&i| claims[i].point)
            .filter(|&p| p >= floor && p <= ceiling),
    );
    if fitting.is_finite() {
        let why = if n == 1 {
            "the value the counted claim states".to_string()
        } else {
            format!("the lowest counted value that {all} allow")
        };
        return (
            fitting,
            format!("{head}: {}, {why}", format_number(fitting)),
        );
    }
    (
        floor,
        format!(
            "{head}: {}, the lowest value {all} allow",
            format_number(floor)
        ),
    )
}

/// The most recently stated counted claim; undated claims never win, ties take the lowest.
fn latest(
    figure: &Figure,
    claims: &[ClaimAnalysis],
    counted: &[usize],
    head: &str,
) -> (f64, String) {
    let key = |i: usize| dated(figure.claims[i].stated_on.as_ref());
    let undated = counted.iter().filter(|&&i| key(i).is_none()).count();
    let Some(newest) = counted.iter().filter_map(|&i| key(i)).max() else {
        let (best, why) = conservative(claims, counted, "");
        return (
            best,
            format!(
                "{head}: no counted claim has a statement date, so the conservative reading applies{why}"
            ),
        );
    };
    let tied: Vec<usize> = counted
        .iter()
        .copied()
        .filter(|&i| key(i) == Some(newest))
        .collect();
    let best = tied
        .iter()
        .map(|&i| claims[i].point)
        .fold(f64::INFINITY, f64::min);
    let date = figure.claims[tied[0]]
        .stated_on
        .as_ref()
        .map(|w| w.label())
        .unwrap_or_default();
    let mut why = if tied.len() == 1 {
        format!(
            "{head}: {}, the claim stated most recently ({date})",
            format_number(best)
        )
    } else {
        let values: Vec<String> = tied
            .iter()
            .map(|&i| format_number(claims[i].point))
            .collect();
        format!(
            "{head}: {} counted claims share the latest date ({date}), with values {}; the lowest, {}, is taken",
            tied.len(),
            values.join(", "),
            format_number(best)
        )
    };
    if undated > 0 {
        why.push_str(&format!(
            " ({undated} counted claim{} without a statement date cannot be the latest)",
            if undated == 1 { "" } else { "s" }
        ));
    }
    (best, why)
}
