//! The rules that turn a source's wording into bounds: exact, lower bound, approximately,
//! up to, vague codes … each with the bounds it implies and the reasoning the methodology
//! page shows. Which wording follows which rule is the wording table (`wordings`).

use serde::Serialize;

/// Relative tolerance for "about", "nearly", "up to" and their kin.
pub const TOLERANCE: f64 = 0.10;

/// The interval a claim allows: `high` is `None` when the wording sets no upper limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub low: f64,
    pub high: Option<f64>,
}

impl Bounds {
    pub fn overlaps(&self, other: &Bounds) -> bool {
        let below = |a: &Bounds, b: &Bounds| a.high.is_some_and(|h| h < b.low);
        !below(self, other) && !below(other, self)
    }

    /// Whether `self` lies wholly inside `other`.
    pub fn within(&self, other: &Bounds) -> bool {
        self.low >= other.low
            && match (self.high, other.high) {
                (_, None) => true,
                (Some(a), Some(b)) => a <= b,
                (None, Some(_)) => false,
            }
    }

    /// "18", "at least 10", "27–29".
    pub fn label(&self) -> String {
        match self.high {
            Some(h) if h == self.low => format_number(self.low),
            Some(h) => format_number(self.low) + "–" + &format_number(h),
            None => format_number(self.low) + " or more",
        }
    }
}

/// How a wording bounds the true count. The names are what `site.toml` uses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Rule {
    /// "18": exactly N (or exactly the range given).
    Exact,
    /// "at least N": N or more.
    LowerBound,
    /// "more than N", "over N": N + 1 or more.
    Above,
    /// "at most N", "no more than N": 0 to N.
    UpperBound,
    /// "fewer than N", "less than N": 0 to N − 1.
    Below,
    /// "nearly N", "almost N", "just under N": a little below N.
    JustUnder,
    /// "just over N": a little above N.
    JustOver,
    /// "about N", "some N", "an estimated N": near N, either side.
    Approximately,
    /// "up to N", "as many as N": a high-side count near N, not above it.
    UpTo,
    /// "between X and Y", "X to Y", "X–Y": the range given.
    Range,
    /// A word without a number ("dozens"): a fixed code, counted as its lowest value.
    Vague { low: f64, high: Option<f64> },
}

/// The rule names `site.toml` accepts, in the order the methodology page lists them.
pub const RULE_NAMES: &[&str] = &[
    "exact",
    "lower-bound",
    "above",
    "upper-bound",
    "below",
    "just-under",
    "just-over",
    "approximately",
    "up-to",
    "range",
    "vague",
];

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::Exact => "exact",
            Rule::LowerBound => "lower-bound",
            Rule::Above => "above",
            Rule::UpperBound => "upper-bound",
            Rule::Below => "below",
            Rule::JustUnder => "just-under",
            Rule::JustOver => "just-over",
            Rule::Approximately => "approximately",
            Rule::UpTo => "up-to",
            Rule::Range => "range",
            Rule::Vague { .. } => "vague",
        }
    }

    /// The rule named `name`; a vague rule takes its code from `low` and `high`.
    pub fn parse(name: &str, low: Option<f64>, high: Option<f64>) -> Option<Rule> {
        let rule = match name {
            "exact" => Rule::Exact,
            "lower-bound" => Rule::LowerBound,
            "above" => Rule::Above,
            "upper-bound" => Rule::UpperBound,
            "below" => Rule::Below,
            "just-under" => Rule::JustUnder,
            "just-over" => Rule::JustOver,
            "approximately" => Rule::Approximately,
            "up-to" => Rule::UpTo,
            "range" => Rule::Range,
            "vague" => Rule::Vague {
                low: low.unwrap_or(0.0),
                high,
            },
            _ => return None,
        };
        Some(rule)
    }

    /// What the rule does, in words, with the tolerance filled in.
    pub fn summary(self) -> String {
        let pct = (TOLERANCE * 100.0).round();
        match self {
            Rule::Exact => "exactly N (or exactly the range given)".into(),
            Rule::LowerBound => "N, with no upper limit".into(),
            Rule::Above => "N + 1 (counts are whole numbers), with no upper limit".into(),
            Rule::UpperBound => "0 to N".into(),
            Rule::Below => "0 to N − 1".into(),
            Rule::JustUnder => format!("below N: from N − {pct}% (rounded down) to N − 1"),
            Rule::JustOver => format!("above N: from N + 1 to N + {pct}% (rounded up)"),
            Rule::Approximately => format!("N ± {pct}% (rounded outwards)"),
            Rule::UpTo => format!("near N and not above it: N − {pct}% (rounded down) to N"),
            Rule::Range => "from X to Y, as given".into(),
            Rule::Vague { low, high } => match high {
                Some(h) => format!(
                    "a fixed code: {} to {}, counted as {} (no number given)",
                    format_number(low),
                    format_number(h),
                    format_number(low)
                ),
                None => format!(
                    "a fixed code: {} or more, counted as {} (no number given)",
                    format_number(low),
                    format_number(low)
                ),
            },
        }
    }

    /// Why the rule reads the wording this way, as a casualty recorder would explain it.
    pub fn reasoning(self) -> &'static str {
        match self {
            Rule::Exact => {
                "A number given without qualification is taken as the source states it. It may still be wrong; other claims show whether it is disputed."
            }
            Rule::LowerBound => {
                "“At least N” is a floor: the source counted N and says there may be more. It agrees with any higher count and sets no ceiling, so figures with such claims are marked open-ended (“+”)."
            }
            Rule::Above => {
                "“More than N” and “over N” exclude N itself; since deaths and people are counted in whole numbers the lowest value allowed is N + 1. Sources use these wordings for counts they expect to rise, so no ceiling is set."
            }
            Rule::UpperBound => {
                "“At most N” and “no more than N” state a ceiling, usually to play a count down; they say nothing about how low the true count is, so any value from 0 to N agrees."
            }
            Rule::Below => {
                "“Fewer than N” and “less than N” are ceilings that exclude N: 0 to N − 1."
            }
            Rule::JustUnder => {
                "“Nearly N”, “almost N” and “close to N” say the count has not reached N but is not far from it. They conflict with “more than N” and with counts well below N."
            }
            Rule::JustOver => {
                "“Just over N” says the count passed N, but not by much: it conflicts with counts far above N as well as with N itself."
            }
            Rule::Approximately => {
                "“About N”, “around N”, “roughly N”, “some N” and “an estimated N” are round figures: the source means a count near N on either side. “Some” followed by a number is this wording, not the vague word “some”."
            }
            Rule::UpTo => {
                "“Up to N” and “as many as N” are how sources report the high end of a count: they assert that the toll reached about N, not merely that it was somewhere between zero and N, and nobody reads “as many as 100 dead” as agreeing with 5. Recorders that keep a range have a place for such a number at its high end (UCDP's high estimate beside its low and best ones, Iraq Body Count's maximum beside its minimum), while ACLED, which records one figure, takes the most conservative estimate when reports differ. So the claim is bounded near N and not above it: an official count of 58 disagrees with “as many as 100”, and the conservative estimate takes a lower counted figure where one exists."
            }
            Rule::Range => {
                "“Between X and Y”, “X to Y” and “X–Y” give both ends; recorders keep them as a minimum and a maximum (as Iraq Body Count does). The claim stands for X in estimates."
            }
            Rule::Vague { .. } => {
                "Words without a number are coded to fixed ranges, read literally (“dozens” is at least two dozen, “hundreds” at least two hundred) and counted as their lowest value, following ACLED's practice of coding vague reports conservatively (ACLED's own codes are lower still: 12 for “dozens”, 100 for “hundreds”). They count only when no counted claim gives a number."
            }
        }
    }

    /// Whether the wording commits to a firm bound rather than an approximation or a
    /// vague word.
    pub fn is_firm(self) -> bool {
        matches!(
            self,
            Rule::Exact
                | Rule::LowerBound
                | Rule::Above
                | Rule::UpperBound
                | Rule::Below
                | Rule::UpTo
                | Rule::Range
        )
    }
}

/// Removes floating-point noise before rounding (700 × 1.1 is 770.0000000000001).
fn snap(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The bounds of a claim of `low..=high` (equal for a single value) under `rule`.
pub fn bounds_of(rule: Rule, low: f64, high: f64) -> Bounds {
    let below_by = |n: f64| snap(n * (1.0 - TOLERANCE)).floor();
    let whole = |low: f64, high: f64| Bounds {
        low: low.min(high),
        high: Some(high),
    };
    match rule {
        Rule::Exact | Rule::Range => whole(low, high),
        Rule::LowerBound => Bounds { low, high: None },
        Rule::Above => Bounds {
            low: low.floor() + 1.0,
            high: None,
        },
        Rule::UpperBound => whole(0.0, high),
        Rule::Below => whole(0.0, (high.ceil() - 1.0).max(0.0)),
        Rule::JustUnder => {
            let top = (high.ceil() - 1.0).max(0.0);
            whole(below_by(low).min(top), top)
        }
        Rule::JustOver => {
            let bottom = low.floor() + 1.0;
            whole(bottom, snap(high * (1.0 + TOLERANCE)).ceil().max(bottom))
        }
        Rule::Approximately => whole(below_by(low), snap(high * (1.0 + TOLERANCE)).ceil()),
        Rule::UpTo => whole(below_by(high), high),
        Rule::Vague { low, high } => Bounds { low, high },
    }
}

/// Numbers as people read them: no trailing ".0", thousands separated.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        // A comma before each group of three digits (no `format!`: see `crate::digits`).
        let mut buf = [0; 20];
        let digits = crate::digits::decimal(n.abs() as u64, &mut buf);
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0.0 {
            out.push('-');
        }
        for (at, &digit) in digits.iter().enumerate() {
            if at > 0 && (digits.len() - at).is_multiple_of(3) {
                out.push(',');
            }
            out.push(char::from(digit));
        }
        out
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
