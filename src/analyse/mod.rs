//! Analysis: turns each figure's claims into bounds, a low / best / high estimate with the
//! reason for it, the disagreements between claims, consistency checks between figures
//! (parts of a whole, nested time windows) and flags a reader should see at a glance.
//!
//! Disagreement is only ever looked for *within* a figure: a figure has one scope, so two
//! figures with different windows or places are never compared as if they disagreed.

pub mod checks;
pub mod qualifiers;
#[cfg(test)]
mod test_support;

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use crate::model::{Briefing, Claim, Figure, Rank};
use qualifiers::{Bounds, Wordings, format_number};

pub use checks::{Check, CheckKind, Group};

/// How the best estimate is picked from a figure's counted claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EstimateRule {
    Conservative,
    Median,
    Maximum,
    Latest,
}

impl EstimateRule {
    pub const ALL: [EstimateRule; 4] = [
        EstimateRule::Conservative,
        EstimateRule::Median,
        EstimateRule::Maximum,
        EstimateRule::Latest,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EstimateRule::Conservative => "conservative",
            EstimateRule::Median => "median",
            EstimateRule::Maximum => "maximum",
            EstimateRule::Latest => "latest",
        }
    }

    pub fn parse(name: &str) -> Option<EstimateRule> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }

    /// What the rule does, in words, for the methodology and figure pages.
    pub fn description(self) -> &'static str {
        match self {
            EstimateRule::Conservative => {
                "the lowest value among the counted claims, as ACLED codes conflicting reports conservatively"
            }
            EstimateRule::Median => "the median of the counted claims' values",
            EstimateRule::Maximum => "the highest value among the counted claims",
            EstimateRule::Latest => {
                "the value of the most recently stated counted claim (the lowest, if several are equally recent)"
            }
        }
    }
}

impl fmt::Display for EstimateRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A warning sign on a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    SourcesDisagree,
    SingleSource,
    OnlyConflictParties,
    OnlyVagueWording,
    BreakdownDoesNotAddUp,
    WindowsDoNotNest,
}

impl Flag {
    pub fn slug(self) -> &'static str {
        match self {
            Flag::SourcesDisagree => "sources-disagree",
            Flag::SingleSource => "single-source",
            Flag::OnlyConflictParties => "only-conflict-parties",
            Flag::OnlyVagueWording => "only-vague-wording",
            Flag::BreakdownDoesNotAddUp => "breakdown-does-not-add-up",
            Flag::WindowsDoNotNest => "windows-do-not-nest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Flag::SourcesDisagree => "Sources disagree",
            Flag::SingleSource => "Single source only",
            Flag::OnlyConflictParties => "Only parties to the conflict report it",
            Flag::OnlyVagueWording => "Only vague wording",
            Flag::BreakdownDoesNotAddUp => "Breakdown does not add up",
            Flag::WindowsDoNotNest => "Time windows do not nest",
        }
    }
}

/// What analysis found about one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimAnalysis {
    pub bounds: Bounds,
    /// The single number the claim stands for (see [`qualifiers::claim_point`]).
    pub point: f64,
    /// Index of the claim that supersedes this one.
    pub superseded_by: Option<usize>,
    /// Whether the claim is counted in the estimate.
    pub counted: bool,
}

/// Two claims whose bounds cannot both be right.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub a: usize,
    pub b: usize,
}

/// What analysis found about one figure.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureAnalysis {
    pub claims: Vec<ClaimAnalysis>,
    pub low: f64,
    pub best: f64,
    pub high: f64,
    /// Some counted claim sets no upper limit ("at least", "more than").
    pub open_ended: bool,
    /// The rule or the analyst's reason that produced `best`.
    pub best_basis: String,
    /// Source indices that report this figure, sorted.
    pub sources: Vec<usize>,
    pub disagreements: Vec<Disagreement>,
    pub flags: Vec<Flag>,
    /// Indices into [`Analysis::checks`] that involve this figure.
    pub checks: Vec<usize>,
}

/// The analysis of a whole briefing; `figures` is parallel to `briefing.figures`.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub rule: EstimateRule,
    /// The wording table the claims were read with (built-in and the site's own).
    pub wordings: Wordings,
    pub figures: Vec<FigureAnalysis>,
    pub checks: Vec<Check>,
}

/// Analyses every figure with `rule` as the default estimate rule.
pub fn analyse(briefing: &Briefing, rule: EstimateRule, wordings: Wordings) -> Analysis {
    use rayon::prelude::*;
    let mut figures: Vec<FigureAnalysis> = briefing
        .figures
        .par_iter()
        .map(|figure| analyse_figure(briefing, figure, rule, &wordings))
        .collect();
    let checks = checks::run(briefing, &figures);
    apply_checks(&mut figures, &checks, |_| true);
    Analysis {
        rule,
        wordings,
        figures,
        checks,
    }
}

/// Records in each figure's analysis the checks involving it and the flags failed checks
/// raise, for the figures `touched` selects (the others are left as they are). Earlier
/// check results of those figures are replaced, so this also updates an analysis after the
/// checks changed (`sitrep serve` does that for the figures an edit touched).
pub fn apply_checks(
    figures: &mut [FigureAnalysis],
    checks: &[Check],
    touched: impl Fn(usize) -> bool,
) {
    let check_flag =
        |flag: &Flag| matches!(flag, Flag::BreakdownDoesNotAddUp | Flag::WindowsDoNotNest);
    for (f, analysis) in figures.iter_mut().enumerate() {
        if touched(f) {
            analysis.checks.clear();
            analysis.flags.retain(|flag| !check_flag(flag));
        }
    }
    for (n, check) in checks.iter().enumerate() {
        for &figure in check.figures() {
            if !touched(figure) {
                continue;
            }
            let analysis = &mut figures[figure];
            analysis.checks.push(n);
            if !check.consistent {
                analysis.flags.push(match check.kind {
                    CheckKind::Sum => Flag::BreakdownDoesNotAddUp,
                    CheckKind::Within => Flag::WindowsDoNotNest,
                });
            }
        }
    }
    for (f, analysis) in figures.iter_mut().enumerate() {
        if touched(f) {
            analysis.flags.sort();
            analysis.flags.dedup();
        }
    }
}

/// Analyses one figure on its own: everything but the checks between figures (see
/// [`apply_checks`]).
pub fn analyse_figure(
    briefing: &Briefing,
    figure: &Figure,
    rule: EstimateRule,
    wordings: &Wordings,
) -> FigureAnalysis {
    let mut claims: Vec<ClaimAnalysis> = figure
        .claims
        .iter()
        .map(|c| ClaimAnalysis {
            bounds: wordings.bounds(c),
            point: wordings.point(c),
            superseded_by: None,
            counted: false,
        })
        .collect();
    for (n, claim) in figure.claims.iter().enumerate() {
        if let Some(target) = &claim.supersedes
            && let Some(t) = figure
                .claims
                .iter()
                .position(|c| c.id.as_ref() == Some(target))
        {
            claims[t].superseded_by = Some(n);
        }
    }
    // Counted: current claims; preferred ones alone if any; disputed ones only if nothing else.
    let current: Vec<usize> = (0..claims.len())
        .filter(|&i| claims[i].superseded_by.is_none())
        .collect();
    let with_rank = |rank: Rank| -> Vec<usize> {
        current
            .iter()
            .copied()
            .filter(|&i| figure.claims[i].rank == rank)
            .collect()
    };
    let preferred = with_rank(Rank::Preferred);
    let undisputed: Vec<usize> = current
        .iter()
        .copied()
        .filter(|&i| figure.claims[i].rank != Rank::Disputed)
        .collect();
    let mut counted = if !preferred.is_empty() {
        preferred
    } else if !undisputed.is_empty() {
        undisputed
    } else {
        current.clone()
    };
    // Words without a number ("dozens") count only when no counted claim gives a number.
    let has_number = |i: &usize| wordings.has_number(&figure.claims[*i]);
    if counted.iter().any(has_number) {
        counted.retain(has_number);
    }
    for &i in &counted {
        claims[i].counted = true;
    }

    let low = counted
        .iter()
        .map(|&i| claims[i].bounds.low)
        .fold(f64::INFINITY, f64::min);
    let high = counted
        .iter()
        .map(|&i| {
            claims[i]
                .bounds
                .high
                .unwrap_or(claims[i].point)
                .max(claims[i].point)
        })
        .fold(0.0, f64::max);
    let open_ended = counted.iter().any(|&i| claims[i].bounds.high.is_none());
    let (best, best_basis) = match &figure.best {
        Some(best) => (best.value, format!("set by the analysts: {}", best.reason)),
        None => (
            pick_best(rule, &figure.claims, &claims, &counted),
            format!("rule “{}”: {}", rule.name(), rule.description()),
        ),
    };
    let low = if low.is_finite() { low.min(best) } else { best };
    let high = high.max(best);

    let mut disagreements = Vec::new();
    for (x, &a) in current.iter().enumerate() {
        for &b in &current[x + 1..] {
            if !claims[a].bounds.overlaps(&claims[b].bounds) {
                disagreements.push(Disagreement { a, b });
            }
        }
    }

    let sources: BTreeSet<usize> = figure
        .claims
        .iter()
        .filter_map(|c| briefing.source_index(&c.source))
        .collect();
    let mut flags = Vec::new();
    if !disagreements.is_empty() {
        flags.push(Flag::SourcesDisagree);
    }
    if sources.len() == 1 {
        flags.push(Flag::SingleSource);
    }
    let party_to_conflict = |c: &Claim| {
        briefing
            .party(&c.stated_by.party)
            .is_some_and(|p| p.party_to_conflict)
    };
    if !figure.claims.is_empty() && figure.claims.iter().all(party_to_conflict) {
        flags.push(Flag::OnlyConflictParties);
    }
    if !figure.claims.is_empty() && !figure.claims.iter().any(|c| wordings.is_firm(c)) {
        flags.push(Flag::OnlyVagueWording);
    }

    FigureAnalysis {
        claims,
        low,
        best,
        high,
        open_ended,
        best_basis,
        sources: sources.into_iter().collect(),
        disagreements,
        flags,
        checks: Vec::new(),
    }
}

/// Applies an estimate rule to the counted claims.
fn pick_best(
    rule: EstimateRule,
    claims: &[Claim],
    analysed: &[ClaimAnalysis],
    counted: &[usize],
) -> f64 {
    let mut points: Vec<f64> = counted.iter().map(|&i| analysed[i].point).collect();
    if points.is_empty() {
        return 0.0;
    }
    points.sort_by(f64::total_cmp);
    match rule {
        EstimateRule::Conservative => points[0],
        EstimateRule::Maximum => points[points.len() - 1],
        EstimateRule::Median => {
            let mid = points.len() / 2;
            if points.len() % 2 == 1 {
                points[mid]
            } else {
                (points[mid - 1] + points[mid]) / 2.0
            }
        }
        EstimateRule::Latest => {
            let key = |i: usize| claims[i].stated_on.as_ref().map(|w| w.sort_key());
            let latest = counted.iter().map(|&i| key(i)).max().flatten();
            counted
                .iter()
                .filter(|&&i| key(i) == latest)
                .map(|&i| analysed[i].point)
                .fold(f64::INFINITY, f64::min)
        }
    }
}

/// "low–high" for display, with "+" when some claim is open-ended.
pub fn range_label(analysis: &FigureAnalysis) -> String {
    let mut out = if analysis.low == analysis.high {
        format_number(analysis.low)
    } else {
        format!(
            "{}–{}",
            format_number(analysis.low),
            format_number(analysis.high)
        )
    };
    if analysis.open_ended {
        out.push('+');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Qualifier;

    fn claim(value: f64, qualifier: Qualifier, source: &str) -> Claim {
        super::test_support::claim(value, qualifier.as_str(), source, "p")
    }

    fn figure(claims: Vec<Claim>) -> Figure {
        super::test_support::figure("f", claims, &[], &[])
    }

    fn briefing_with(figures: Vec<Figure>) -> Briefing {
        super::test_support::briefing(&["a", "b", "c"], figures)
    }

    #[test]
    fn security_personnel_example_is_worked_by_hand() {
        // at least 10, exactly 15, exactly 17: low 10, best (conservative) 10, high 17, open.
        let f = figure(vec![
            claim(10.0, Qualifier::AT_LEAST, "a"),
            claim(15.0, Qualifier::EXACT, "b"),
            claim(17.0, Qualifier::EXACT, "c"),
        ]);
        let b = briefing_with(vec![f]);
        let a = analyse(&b, EstimateRule::Conservative, Wordings::default());
        let fa = &a.figures[0];
        assert_eq!((fa.low, fa.best, fa.high), (10.0, 10.0, 17.0));
        assert!(fa.open_ended);
        // 15 and 17 disagree; "at least 10" agrees with both.
        assert_eq!(fa.disagreements.len(), 1);
        assert_eq!((fa.disagreements[0].a, fa.disagreements[0].b), (1, 2));
        assert!(fa.flags.contains(&Flag::SourcesDisagree));
        let median = analyse(&b, EstimateRule::Median, Wordings::default()).figures[0].best;
        assert_eq!(median, 15.0);
        assert_eq!(
            analyse(&b, EstimateRule::Maximum, Wordings::default()).figures[0].best,
            17.0
        );
    }

    #[test]
    fn superseded_and_disputed_claims_leave_the_estimate() {
        let mut old = claim(5.0, Qualifier::EXACT, "a");
        old.id = Some("old".into());
        let mut new = claim(8.0, Qualifier::EXACT, "a");
        new.supersedes = Some("old".into());
        let mut disputed = claim(1.0, Qualifier::EXACT, "b");
        disputed.rank = Rank::Disputed;
        let b = briefing_with(vec![figure(vec![old, new, disputed])]);
        let fa = &analyse(&b, EstimateRule::Conservative, Wordings::default()).figures[0];
        assert_eq!(fa.claims[0].superseded_by, Some(1));
        assert!(!fa.claims[0].counted && fa.claims[1].counted && !fa.claims[2].counted);
        assert_eq!(fa.best, 8.0);
        // The superseded 5 is not a disagreement with 8; the disputed 1 still is.
        assert!(fa.disagreements.iter().all(|d| d.a != 0 && d.b != 0));
    }

    #[test]
    fn vague_words_count_only_without_numbers() {
        let dozens = Claim {
            value: None,
            ..claim(0.0, Qualifier::DOZENS, "a")
        };
        let b = briefing_with(vec![figure(vec![
            dozens.clone(),
            claim(37.0, Qualifier::AT_LEAST, "b"),
        ])]);
        let fa = &analyse(&b, EstimateRule::Conservative, Wordings::default()).figures[0];
        assert!(!fa.claims[0].counted && fa.claims[1].counted);
        assert_eq!(fa.best, 37.0);
        let b = briefing_with(vec![figure(vec![dozens])]);
        assert_eq!(
            analyse(&b, EstimateRule::Conservative, Wordings::default()).figures[0].best,
            24.0
        );
    }

    #[test]
    fn override_wins_and_says_why() {
        let mut f = figure(vec![
            claim(10.0, Qualifier::EXACT, "a"),
            claim(12.0, Qualifier::EXACT, "b"),
        ]);
        f.best = Some(crate::model::BestOverride {
            value: 12.0,
            reason: "later count".into(),
        });
        let fa = &analyse(
            &briefing_with(vec![f]),
            EstimateRule::Conservative,
            Wordings::default(),
        )
        .figures[0];
        assert_eq!(fa.best, 12.0);
        assert!(fa.best_basis.contains("later count"));
    }

    #[test]
    fn flags_single_source_and_vague_wording() {
        let f = figure(vec![Claim {
            value: None,
            ..claim(0.0, Qualifier::DOZENS, "a")
        }]);
        let fa = &analyse(
            &briefing_with(vec![f]),
            EstimateRule::Conservative,
            Wordings::default(),
        )
        .figures[0];
        assert!(fa.flags.contains(&Flag::SingleSource));
        assert!(fa.flags.contains(&Flag::OnlyVagueWording));
        assert_eq!(fa.best, 24.0);
    }
}
