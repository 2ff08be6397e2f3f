//! Analysis: turns each figure's claims into bounds, a low / best / high estimate with the
//! reason for it, the disagreements between claims, consistency checks between figures
//! (parts of a whole, counts nested in a wider window or place) and flags a reader should see at a glance.
//!
//! Disagreement is only ever looked for *within* a figure: a figure has one scope, so two
//! figures with different windows or places are never compared as if they disagreed.

pub mod checks;
mod estimate;
pub mod qualifiers;
#[cfg(test)]
mod test_support;
pub mod wordings;

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use crate::model::{Briefing, Claim, Figure, FigureIx, IxVec, SourceIx};
use qualifiers::{Bounds, format_number};
use wordings::Wordings;

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
                "the lowest counted value that every counted claim allows (with “at least 27” and an exact 31, that is 31, not 27); if no counted value fits them all, the lowest value they all allow; when the counted claims cannot all hold at once, the lowest counted value, as ACLED codes conflicting reports conservatively"
            }
            EstimateRule::Median => "the median of the counted claims' values",
            EstimateRule::Maximum => "the highest value among the counted claims",
            EstimateRule::Latest => {
                "the value of the most recently stated counted claim; claims without a statement date never count as the latest, and if several share the latest date the lowest of them is taken (the figure page says so); with no dated claim, the conservative rule applies"
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
    CountChangedOverTime,
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
            Flag::CountChangedOverTime => "count-changed-over-time",
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
            Flag::CountChangedOverTime => "Count changed over time",
            Flag::SingleSource => "Single source only",
            Flag::OnlyConflictParties => "Only parties to the conflict report it",
            Flag::OnlyVagueWording => "Only vague wording",
            Flag::BreakdownDoesNotAddUp => "Breakdown does not add up",
            Flag::WindowsDoNotNest => "Narrower count exceeds the wider one",
        }
    }
}

/// What analysis found about one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimAnalysis {
    pub bounds: Bounds,
    /// The single number the claim stands for (see [`Wordings::point`]).
    pub point: f64,
    /// Index of the claim that supersedes this one (the same party's later count).
    pub superseded_by: Option<usize>,
    /// Index of the claim that replaces this one (`replaces`, any party).
    pub replaced_by: Option<usize>,
    /// Index of the same party's later, different count that revises this one (found from
    /// the statement dates, without `supersedes`).
    pub revised_by: Option<usize>,
    /// Whether the claim is counted in the estimate.
    pub counted: bool,
}

impl ClaimAnalysis {
    /// Not superseded, replaced or revised: a claim that still stands.
    pub fn is_current(&self) -> bool {
        self.superseded_by.is_none() && self.replaced_by.is_none() && self.revised_by.is_none()
    }
}

/// Two claims whose bounds cannot both be right.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub a: usize,
    pub b: usize,
}

/// A range of values: `high` is the highest value or bound, `open_ended` when some claim
/// sets no upper limit.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Range {
    pub low: f64,
    pub high: f64,
    pub open_ended: bool,
}

impl Range {
    /// The hull of the given claims' bounds and points; all zero for no claims.
    fn of<'a>(claims: impl IntoIterator<Item = &'a ClaimAnalysis>) -> Range {
        let mut range: Option<Range> = None;
        for c in claims {
            let top = c.bounds.high.unwrap_or(c.point).max(c.point);
            let r = range.get_or_insert(Range {
                low: c.bounds.low,
                high: top,
                open_ended: false,
            });
            r.low = r.low.min(c.bounds.low);
            r.high = r.high.max(top);
            r.open_ended |= c.bounds.high.is_none();
        }
        range.unwrap_or_default()
    }

    /// "low–high", with "+" when open-ended.
    pub fn label(&self) -> String {
        let mut out = if self.low == self.high {
            format_number(self.low)
        } else {
            format!("{}–{}", format_number(self.low), format_number(self.high))
        };
        if self.open_ended {
            out.push('+');
        }
        out
    }

    /// Whether every value of `other` lies in this range.
    pub fn contains(&self, other: &Range) -> bool {
        self.low <= other.low && (self.open_ended || (!other.open_ended && other.high <= self.high))
    }
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
    /// Every claim's range, counted or not (superseded, replaced, disputed included).
    pub claimed: Range,
    /// The rule or the analyst's reason that produced `best`.
    pub best_basis: String,
    /// Source indices that report this figure, sorted.
    pub sources: Vec<SourceIx>,
    pub disagreements: Vec<Disagreement>,
    pub flags: Vec<Flag>,
    /// Indices into [`Analysis::checks`] that involve this figure.
    pub checks: Vec<usize>,
}

impl FigureAnalysis {
    /// The range of the counted claims (and the best estimate).
    pub fn counted(&self) -> Range {
        Range {
            low: self.low,
            high: self.high,
            open_ended: self.open_ended,
        }
    }
}

/// The analysis of a whole briefing; `figures` is parallel to `briefing.figures`.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub rule: EstimateRule,
    /// The wording table the claims were read with (built-in and the site's own).
    pub wordings: Wordings,
    pub figures: IxVec<FigureIx, FigureAnalysis>,
    pub checks: Vec<Check>,
}

/// Analyses every figure with `rule` as the default estimate rule.
pub fn analyse(briefing: &Briefing, rule: EstimateRule, wordings: Wordings) -> Analysis {
    use rayon::prelude::*;
    let mut figures: IxVec<FigureIx, FigureAnalysis> = briefing
        .figures
        .par_iter()
        .map(|figure| analyse_figure(briefing, figure, rule, &wordings))
        .collect::<Vec<_>>()
        .into();
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
    figures: &mut IxVec<FigureIx, FigureAnalysis>,
    checks: &[Check],
    touched: impl Fn(FigureIx) -> bool,
) {
    let check_flag =
        |flag: &Flag| matches!(flag, Flag::BreakdownDoesNotAddUp | Flag::WindowsDoNotNest);
    for (f, analysis) in figures.indexed_mut() {
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
    for (f, analysis) in figures.indexed_mut() {
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
            replaced_by: None,
            revised_by: None,
            counted: false,
        })
        .collect();
    let position = |id: &String| figure.claims.iter().position(|c| c.id.as_ref() == Some(id));
    for (n, claim) in figure.claims.iter().enumerate() {
        if let Some(t) = claim.supersedes.as_ref().and_then(position) {
            claims[t].superseded_by = Some(n);
        }
        if let Some(t) = claim.replaces.as_ref().and_then(position) {
            claims[t].replaced_by = Some(n);
        }
    }
    estimate::mark_revisions(figure, &mut claims);
    let counted = estimate::counted(figure, &claims, wordings);
    for &i in &counted {
        claims[i].counted = true;
    }
    let range = Range::of(counted.iter().map(|&i| &claims[i]));
    let (best, best_basis) = match &figure.best {
        Some(best) => (best.value, format!("set by the analysts: {}", best.reason)),
        None => estimate::best(rule, figure, &claims, &counted),
    };
    let low = if counted.is_empty() {
        best
    } else {
        range.low.min(best)
    };
    let high = range.high.max(best);

    let disagreements = disagreements(&claims);
    let sources: BTreeSet<SourceIx> = figure
        .claims
        .iter()
        .filter_map(|c| briefing.source_index(&c.source))
        .collect();
    let revised = claims.iter().any(|c| c.revised_by.is_some());
    let flags = figure_flags(
        briefing,
        figure,
        wordings,
        &disagreements,
        revised,
        sources.len(),
    );
    FigureAnalysis {
        claimed: Range::of(&claims),
        claims,
        low,
        best,
        high,
        open_ended: range.open_ended,
        best_basis,
        sources: sources.into_iter().collect(),
        disagreements,
        flags,
        checks: Vec::new(),
    }
}

/// The pairs of claims still standing whose bounds cannot both hold.
fn disagreements(claims: &[ClaimAnalysis]) -> Vec<Disagreement> {
    let current: Vec<usize> = (0..claims.len())
        .filter(|&i| claims[i].is_current())
        .collect();
    let mut found = Vec::new();
    for (x, &a) in current.iter().enumerate() {
        for &b in &current[x + 1..] {
            if !claims[a].bounds.overlaps(&claims[b].bounds) {
                found.push(Disagreement { a, b });
            }
        }
    }
    found
}

/// The flags a figure raises on its own (checks add theirs in [`apply_checks`]).
fn figure_flags(
    briefing: &Briefing,
    figure: &Figure,
    wordings: &Wordings,
    disagreements: &[Disagreement],
    revised: bool,
    sources: usize,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    if !disagreements.is_empty() {
        flags.push(Flag::SourcesDisagree);
    }
    if revised {
        flags.push(Flag::CountChangedOverTime);
    }
    if sources == 1 {
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
    flags
}

/// "low–high" of the counted claims for display, with "+" when some claim is open-ended.
pub fn range_label(analysis: &FigureAnalysis) -> String {
    analysis.counted().label()
}

#[cfg(test)]
mod tests;
