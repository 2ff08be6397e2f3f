//! The qualifier table: what bounds each wording ("at least", "nearly", "dozens" …) implies.
//!
//! This one table drives the estimates and the methodology page, which shows each rule and
//! a worked example computed by the same code, so the page cannot drift from the code.

use crate::model::{Claim, Qualifier};

/// Relative tolerance for "about", "approximately", "around", and the reach of "nearly".
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

    /// "18", "at least 10", "27–29".
    pub fn label(&self) -> String {
        match self.high {
            Some(h) if h == self.low => format_number(self.low),
            Some(h) => format!("{}–{}", format_number(self.low), format_number(h)),
            None => format!("{} or more", format_number(self.low)),
        }
    }
}

/// The fixed codes for wordings without a number, after ACLED's practice of coding vague
/// words conservatively: (lowest, highest or open, point used as the claim's value).
fn vague_code(qualifier: Qualifier) -> Option<(f64, Option<f64>, f64)> {
    match qualifier {
        Qualifier::Dozens => Some((24.0, Some(99.0), 24.0)),
        Qualifier::Several => Some((3.0, Some(9.0), 3.0)),
        Qualifier::Some => Some((1.0, None, 1.0)),
        _ => None,
    }
}

/// Removes floating-point noise before rounding (700 × 1.1 is 770.0000000000001).
fn snap(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The bounds of a claim with value `low..=high` (equal for a single value).
pub fn bounds_of(qualifier: Qualifier, low: f64, high: f64) -> Bounds {
    let under = |n: f64| snap(n * (1.0 - TOLERANCE)).floor().min((n - 1.0).max(0.0));
    match qualifier {
        Qualifier::Exact => Bounds {
            low,
            high: Some(high),
        },
        Qualifier::AtLeast => Bounds { low, high: None },
        Qualifier::MoreThan | Qualifier::Over => Bounds {
            low: low.floor() + 1.0,
            high: None,
        },
        Qualifier::Nearly | Qualifier::CloseTo | Qualifier::Almost => Bounds {
            low: under(low),
            high: Some((high - 1.0).max(0.0)),
        },
        Qualifier::About | Qualifier::Approximately | Qualifier::Around => Bounds {
            low: snap(low * (1.0 - TOLERANCE)).floor(),
            high: Some(snap(high * (1.0 + TOLERANCE)).ceil()),
        },
        Qualifier::UpTo | Qualifier::AtMost => Bounds {
            low: 0.0,
            high: Some(high),
        },
        Qualifier::Dozens | Qualifier::Several | Qualifier::Some => {
            let (l, h, _) = vague_code(qualifier).expect("vague qualifiers have codes");
            Bounds { low: l, high: h }
        }
    }
}

/// The bounds a claim implies.
pub fn claim_bounds(claim: &Claim) -> Bounds {
    match (claim.value, claim.low, claim.high) {
        (Some(v), _, _) => bounds_of(claim.qualifier, v, v),
        (None, Some(l), Some(h)) => bounds_of(claim.qualifier, l, h),
        _ => bounds_of(claim.qualifier, 0.0, 0.0),
    }
}

/// The single number a claim stands for when estimates need one: the conservative reading
/// of its wording ("more than 30" → 31, "nearly 30" → 29, "dozens" → 24, a range → its low).
pub fn claim_point(claim: &Claim) -> f64 {
    if let Some((_, _, point)) = vague_code(claim.qualifier)
        && claim.value.is_none()
        && claim.low.is_none()
    {
        return point;
    }
    let n = claim.value.or(claim.low).unwrap_or(0.0);
    match claim.qualifier {
        Qualifier::MoreThan | Qualifier::Over => n.floor() + 1.0,
        Qualifier::Nearly | Qualifier::CloseTo | Qualifier::Almost => (n - 1.0).max(0.0),
        _ => n,
    }
}

/// Whether a wording commits to a firm bound (exact, at least, more than, up to …) rather
/// than an approximation or a vague word.
pub fn is_firm(qualifier: Qualifier) -> bool {
    matches!(
        qualifier,
        Qualifier::Exact
            | Qualifier::AtLeast
            | Qualifier::MoreThan
            | Qualifier::Over
            | Qualifier::UpTo
            | Qualifier::AtMost
    )
}

/// One row of the documented qualifier table.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QualifierRow {
    pub qualifier: &'static str,
    pub rule: String,
    pub example: String,
    pub example_bounds: String,
    pub example_point: String,
}

/// The qualifier table with a worked example for each row, computed by [`bounds_of`] and
/// [`claim_point`] themselves.
pub fn table() -> Vec<QualifierRow> {
    let pct = (TOLERANCE * 100.0).round();
    Qualifier::ALL
        .iter()
        .map(|&q| {
            let vague = vague_code(q);
            let example_value = 30.0;
            let claim = Claim::new(q, vague.is_none().then_some(example_value), "", "");
            let rule = match q {
                Qualifier::Exact => "exactly N".to_string(),
                Qualifier::AtLeast => "N, with no upper limit".to_string(),
                Qualifier::MoreThan | Qualifier::Over => {
                    "N + 1 (counts are whole numbers), with no upper limit".to_string()
                }
                Qualifier::Nearly | Qualifier::CloseTo | Qualifier::Almost => {
                    format!("below N: from N − {pct}% (rounded down) to N − 1")
                }
                Qualifier::About | Qualifier::Approximately | Qualifier::Around => {
                    format!("N ± {pct}% (rounded outwards)")
                }
                Qualifier::UpTo | Qualifier::AtMost => "0 to N".to_string(),
                _ => {
                    let (l, h, p) = vague.expect("vague");
                    match h {
                        Some(h) => format!(
                            "a fixed code: {} to {}, counted as {} (no number given)",
                            format_number(l),
                            format_number(h),
                            format_number(p)
                        ),
                        None => format!(
                            "a fixed code: {} or more, counted as {} (no number given)",
                            format_number(l),
                            format_number(p)
                        ),
                    }
                }
            };
            QualifierRow {
                qualifier: q.as_str(),
                rule,
                example: if vague.is_some() {
                    q.as_str().to_string()
                } else if q == Qualifier::Exact {
                    format_number(example_value)
                } else {
                    format!("{} {}", q.as_str(), format_number(example_value))
                },
                example_bounds: claim_bounds(&claim).label(),
                example_point: format_number(claim_point(&claim)),
            }
        })
        .collect()
}

/// Numbers as people read them: no trailing ".0", thousands separated.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        let digits = format!("{}", n.abs() as u64);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0.0 {
            out.insert(0, '-');
        }
        out
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(q: Qualifier, n: f64) -> Bounds {
        bounds_of(q, n, n)
    }

    #[test]
    fn bounds_follow_the_wording() {
        assert_eq!(
            b(Qualifier::Exact, 18.0),
            Bounds {
                low: 18.0,
                high: Some(18.0)
            }
        );
        assert_eq!(
            b(Qualifier::AtLeast, 10.0),
            Bounds {
                low: 10.0,
                high: None
            }
        );
        assert_eq!(
            b(Qualifier::MoreThan, 30.0),
            Bounds {
                low: 31.0,
                high: None
            }
        );
        assert_eq!(
            b(Qualifier::Over, 120.0),
            Bounds {
                low: 121.0,
                high: None
            }
        );
        assert_eq!(
            b(Qualifier::Nearly, 30.0),
            Bounds {
                low: 27.0,
                high: Some(29.0)
            }
        );
        assert_eq!(
            b(Qualifier::CloseTo, 50.0),
            Bounds {
                low: 45.0,
                high: Some(49.0)
            }
        );
        assert_eq!(
            b(Qualifier::Approximately, 700.0),
            Bounds {
                low: 630.0,
                high: Some(770.0)
            }
        );
        assert_eq!(
            b(Qualifier::UpTo, 5.0),
            Bounds {
                low: 0.0,
                high: Some(5.0)
            }
        );
        assert_eq!(
            b(Qualifier::Dozens, 0.0),
            Bounds {
                low: 24.0,
                high: Some(99.0)
            }
        );
        // "nearly 1" cannot go below zero or above its own high.
        assert_eq!(
            b(Qualifier::Nearly, 1.0),
            Bounds {
                low: 0.0,
                high: Some(0.0)
            }
        );
    }

    #[test]
    fn more_than_thirty_and_nearly_thirty_do_not_overlap() {
        assert!(!b(Qualifier::MoreThan, 30.0).overlaps(&b(Qualifier::Nearly, 30.0)));
        assert!(b(Qualifier::AtLeast, 10.0).overlaps(&b(Qualifier::Exact, 15.0)));
        assert!(!b(Qualifier::Exact, 15.0).overlaps(&b(Qualifier::Exact, 17.0)));
    }

    #[test]
    fn table_covers_every_qualifier_with_computed_examples() {
        let rows = table();
        assert_eq!(rows.len(), Qualifier::ALL.len());
        let more = rows.iter().find(|r| r.qualifier == "more than").unwrap();
        assert_eq!(more.example_bounds, "31 or more");
        assert_eq!(more.example_point, "31");
        let dozens = rows.iter().find(|r| r.qualifier == "dozens").unwrap();
        assert_eq!(dozens.example_bounds, "24–99");
    }

    #[test]
    fn numbers_format_plainly() {
        assert_eq!(format_number(10000.0), "10,000");
        assert_eq!(format_number(92.0), "92");
        assert_eq!(format_number(2.5), "2.5");
    }
}
