//! The wording table: which [`Rule`] each wording ("at least", "nearly", "as many as",
//! "dozens" …) follows. The common English wordings of casualty reporting are built in; a
//! site adds its own in `site.toml` (`[wordings."au moins"] rule = "lower-bound"`).
//!
//! This one table drives the estimates and the methodology page, which shows each rule
//! with its reasoning and every wording with a worked example computed by the same code,
//! so the page cannot drift from the code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::qualifiers::{Bounds, RULE_NAMES, Rule, bounds_of, format_number};
use crate::model::{Claim, Qualifier};

/// One wording of the table: its name as written in a claim's `qualifier`, its rule, and
/// the number it stands for by itself ("a dozen" is 12), if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Wording {
    pub name: String,
    pub rule: Rule,
    /// The number the wording carries ("a dozen", "half a dozen").
    pub value: Option<f64>,
    /// The rule when no number is given, if it differs ("some" alone is vague).
    pub alone: Option<Rule>,
    /// Defined in `site.toml` rather than built in.
    pub site: bool,
}

/// A built-in wording: (name, rule, implied number).
type Builtin = (&'static str, Rule, Option<f64>);

const fn vague(low: f64, high: f64) -> Rule {
    Rule::Vague {
        low,
        high: Some(high),
    }
}

/// The common English wordings of casualty reporting, grouped by rule.
const BUILTIN: &[Builtin] = &[
    ("exact", Rule::Exact, None),
    ("at least", Rule::LowerBound, None),
    ("no fewer than", Rule::LowerBound, None),
    ("no less than", Rule::LowerBound, None),
    ("a minimum of", Rule::LowerBound, None),
    ("more than", Rule::Above, None),
    ("over", Rule::Above, None),
    ("upwards of", Rule::Above, None),
    ("in excess of", Rule::Above, None),
    ("more than a dozen", Rule::Above, Some(12.0)),
    ("at most", Rule::UpperBound, None),
    ("no more than", Rule::UpperBound, None),
    ("a maximum of", Rule::UpperBound, None),
    ("fewer than", Rule::Below, None),
    ("less than", Rule::Below, None),
    ("under", Rule::Below, None),
    ("nearly", Rule::JustUnder, None),
    ("almost", Rule::JustUnder, None),
    ("close to", Rule::JustUnder, None),
    ("just under", Rule::JustUnder, None),
    ("nearly a dozen", Rule::JustUnder, Some(12.0)),
    ("just over", Rule::JustOver, None),
    ("slightly more than", Rule::JustOver, None),
    ("about", Rule::Approximately, None),
    ("approximately", Rule::Approximately, None),
    ("around", Rule::Approximately, None),
    ("roughly", Rule::Approximately, None),
    ("some", Rule::Approximately, None),
    ("an estimated", Rule::Approximately, None),
    ("estimated", Rule::Approximately, None),
    ("a dozen", Rule::Approximately, Some(12.0)),
    ("half a dozen", Rule::Approximately, Some(6.0)),
    ("up to", Rule::UpTo, None),
    ("as many as", Rule::UpTo, None),
    ("between", Rule::Range, None),
    ("range", Rule::Range, None),
    ("a few", vague(2.0, 5.0), None),
    ("several", vague(3.0, 9.0), None),
    ("dozens", vague(24.0, 99.0), None),
    ("tens", vague(20.0, 99.0), None),
    ("scores", vague(40.0, 99.0), None),
    ("hundreds", vague(200.0, 999.0), None),
    ("thousands", vague(2_000.0, 9_999.0), None),
    ("tens of thousands", vague(20_000.0, 99_999.0), None),
    ("hundreds of thousands", vague(200_000.0, 999_999.0), None),
];

/// A wording defined in `site.toml`: `[wordings."près de"] rule = "just-under"`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WordingConfig {
    /// One of [`RULE_NAMES`].
    pub rule: String,
    /// For `vague`: the lowest value of the code (also what the claim counts as).
    #[serde(default)]
    pub low: Option<f64>,
    /// For `vague`: the highest value; none for an open code ("1 or more").
    #[serde(default)]
    pub high: Option<f64>,
    /// The number the wording carries by itself ("une douzaine" = 12).
    #[serde(default)]
    pub value: Option<f64>,
}

impl WordingConfig {
    /// The problem with this definition, if any, as (message, hint).
    pub fn problem(&self) -> Option<(String, String)> {
        let Some(rule) = Rule::parse(&self.rule, self.low, self.high) else {
            return Some((
                format!("unknown wording rule `{}`", self.rule),
                crate::diagnostics::suggestion(&self.rule, "rule", RULE_NAMES.iter().copied()),
            ));
        };
        let bad = |n: Option<f64>| n.is_some_and(|n| !n.is_finite() || n < 0.0);
        if bad(self.low) || bad(self.high) || bad(self.value) {
            return Some((
                "wording numbers must be zero or more".into(),
                "write counts as whole, non-negative numbers".into(),
            ));
        }
        match rule {
            Rule::Vague { .. } if self.low.is_none() => Some((
                "a `vague` wording needs `low` (and `high` unless it has no upper limit)".into(),
                "for example `rule = \"vague\", low = 20, high = 99`".into(),
            )),
            Rule::Vague { low, high: Some(h) } if h < low => Some((
                format!("`low` ({low}) is greater than `high` ({h})"),
                "swap them".into(),
            )),
            Rule::Vague { .. } => None,
            _ if self.low.is_some() || self.high.is_some() => Some((
                format!(
                    "`low` and `high` apply only to `vague` wordings, not `{}`",
                    self.rule
                ),
                "remove them; the claim itself gives the number".into(),
            )),
            _ => None,
        }
    }
}

/// Every wording a site understands: the built-in ones and the site's own, by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Wordings {
    by_name: BTreeMap<String, Wording>,
}

impl Default for Wordings {
    fn default() -> Self {
        Wordings::new(&BTreeMap::new())
    }
}

impl Wordings {
    /// The built-in wordings plus `site`'s (a site wording with a built-in's name replaces
    /// it). Definitions with a [`WordingConfig::problem`] are left out (reported when the
    /// configuration is read).
    pub fn new(site: &BTreeMap<String, WordingConfig>) -> Wordings {
        let mut by_name = BTreeMap::new();
        for &(name, rule, value) in BUILTIN {
            let alone = (name == "some").then_some(Rule::Vague {
                low: 1.0,
                high: None,
            });
            let wording = Wording {
                name: name.to_string(),
                rule,
                value,
                alone,
                site: false,
            };
            by_name.insert(name.to_string(), wording);
        }
        for (name, config) in site {
            if config.problem().is_some() {
                continue;
            }
            let Some(rule) = Rule::parse(&config.rule, config.low, config.high) else {
                continue;
            };
            let name = Qualifier::new(name).as_str().to_string();
            let wording = Wording {
                name: name.clone(),
                rule,
                value: config.value,
                alone: None,
                site: true,
            };
            by_name.insert(name, wording);
        }
        Wordings { by_name }
    }

    /// The wording `qualifier` names ("dozens of" finds "dozens").
    pub fn get(&self, qualifier: &Qualifier) -> Option<&Wording> {
        let name = qualifier.as_str();
        self.by_name
            .get(name)
            .or_else(|| self.by_name.get(name.strip_suffix(" of")?))
    }

    /// Every wording name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> + Clone {
        self.by_name.keys().map(String::as_str)
    }

    /// The rule that applies to `claim`: its wording's, or the vague code of a wording used
    /// without a number. Unknown wordings (rejected by validation) read as exact.
    pub fn rule_of(&self, claim: &Claim) -> Rule {
        match self.get(&claim.qualifier) {
            Some(w) if stated(claim, w).is_none() => w.alone.unwrap_or(w.rule),
            Some(w) => w.rule,
            None => Rule::Exact,
        }
    }

    /// Whether `claim` may stand without a number (a vague word, or a wording that carries
    /// its own, such as "a dozen").
    pub fn may_stand_alone(&self, qualifier: &Qualifier) -> bool {
        self.get(qualifier).is_some_and(|w| {
            w.value.is_some() || matches!(w.alone.unwrap_or(w.rule), Rule::Vague { .. })
        })
    }

    /// The bounds a claim implies.
    pub fn bounds(&self, claim: &Claim) -> Bounds {
        let wording = self.get(&claim.qualifier);
        let (low, high) = wording.and_then(|w| stated(claim, w)).unwrap_or((0.0, 0.0));
        bounds_of(self.rule_of(claim), low, high)
    }

    /// The single number a claim stands for when estimates need one: the value its bounds
    /// allow nearest to the stated number ("more than 30" → 31, "nearly 30" → 29, "as many
    /// as 100" → 100, a range → its low end, a vague word → its lowest value).
    pub fn point(&self, claim: &Claim) -> f64 {
        let bounds = self.bounds(claim);
        let stated = self.get(&claim.qualifier).and_then(|w| stated(claim, w));
        match stated {
            Some((low, _)) if !matches!(self.rule_of(claim), Rule::Vague { .. }) => {
                low.clamp(bounds.low, bounds.high.unwrap_or(f64::INFINITY))
            }
            _ => bounds.low,
        }
    }

    /// Whether `claim`'s wording commits to a firm bound.
    pub fn is_firm(&self, claim: &Claim) -> bool {
        self.rule_of(claim).is_firm()
    }

    /// Whether `claim` gives a number, in its own value or its wording ("a dozen").
    pub fn has_number(&self, claim: &Claim) -> bool {
        self.get(&claim.qualifier)
            .is_some_and(|w| stated(claim, w).is_some())
            && !matches!(self.rule_of(claim), Rule::Vague { .. })
    }

    /// The methodology page's tables: one row per rule with its reasoning, and one per
    /// wording with a worked example computed by [`Wordings::bounds`] and
    /// [`Wordings::point`] themselves.
    pub fn table(&self) -> (Vec<RuleRow>, Vec<WordingRow>) {
        let mut wordings: Vec<&Wording> = self.by_name.values().collect();
        let order = |w: &Wording| RULE_NAMES.iter().position(|r| *r == w.rule.name());
        wordings.sort_by(|a, b| {
            (order(a), a.site, rule_key(a.rule), &a.name)
                .partial_cmp(&(order(b), b.site, rule_key(b.rule), &b.name))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let rules = RULE_NAMES
            .iter()
            .filter_map(|&name| {
                let first = wordings.iter().find(|w| w.rule.name() == name)?;
                let rule = Rule::parse(name, Some(0.0), None)?;
                Some(RuleRow {
                    rule: name,
                    summary: match rule {
                        Rule::Vague { .. } => "a fixed code for each word (below), counted as its lowest value (no number given)".into(),
                        _ => first.rule.summary(),
                    },
                    reasoning: rule.reasoning(),
                })
            })
            .collect();
        let mut rows = Vec::new();
        for w in wordings {
            rows.push(self.row(w));
            if let Some(alone) = w.alone {
                // The same word without a number ("some banks"): its vague code.
                let claim = Claim::new(Qualifier::new(&w.name), None, "", "");
                rows.push(WordingRow {
                    qualifier: format!("{} (no number)", w.name),
                    rule: alone.name(),
                    summary: alone.summary(),
                    site: w.site,
                    example: w.name.clone(),
                    example_bounds: self.bounds(&claim).label(),
                    example_point: format_number(self.point(&claim)),
                });
            }
        }
        (rules, rows)
    }

    fn row(&self, w: &Wording) -> WordingRow {
        let example_value = 30.0;
        let claim = match w.rule {
            Rule::Range => Claim {
                low: Some(30.0),
                high: Some(40.0),
                ..Claim::new(Qualifier::new(&w.name), None, "", "")
            },
            Rule::Vague { .. } => Claim::new(Qualifier::new(&w.name), None, "", ""),
            _ if w.value.is_some() => Claim::new(Qualifier::new(&w.name), None, "", ""),
            _ => Claim::new(Qualifier::new(&w.name), Some(example_value), "", ""),
        };
        WordingRow {
            qualifier: w.name.clone(),
            rule: w.rule.name(),
            summary: w.rule.summary(),
            site: w.site,
            example: worded(&claim, self),
            example_bounds: self.bounds(&claim).label(),
            example_point: format_number(self.point(&claim)),
        }
    }
}

/// Sorts vague codes by size within their rule.
fn rule_key(rule: Rule) -> f64 {
    match rule {
        Rule::Vague { low, .. } => low,
        _ => 0.0,
    }
}

/// The numbers a claim states, from its value, its low and high, or its wording.
fn stated(claim: &Claim, wording: &Wording) -> Option<(f64, f64)> {
    match (claim.value, claim.low, claim.high) {
        (Some(v), _, _) => Some((v, v)),
        (None, Some(l), Some(h)) => Some((l, h)),
        _ => wording.value.map(|v| (v, v)),
    }
}

/// One rule on the methodology page.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRow {
    pub rule: &'static str,
    pub summary: String,
    pub reasoning: &'static str,
}

/// One wording on the methodology page.
#[derive(Debug, Clone, Serialize)]
pub struct WordingRow {
    pub qualifier: String,
    pub rule: &'static str,
    pub summary: String,
    /// Defined by this site in `site.toml`.
    pub site: bool,
    pub example: String,
    pub example_bounds: String,
    pub example_point: String,
}

/// A claim's value in the source's words: "at least 10", "between 30 and 40", "dozens".
pub fn worded(claim: &Claim, wordings: &Wordings) -> String {
    let q = claim.qualifier.as_str();
    let number = match (claim.value, claim.low, claim.high) {
        (Some(v), _, _) => Some(format_number(v)),
        (None, Some(l), Some(h)) if q == "between" => {
            return ["between ", &format_number(l), " and ", &format_number(h)].concat();
        }
        (None, Some(l), Some(h)) => Some(format_number(l) + "–" + &format_number(h)),
        _ => None,
    };
    let plain = matches!(wordings.get(&claim.qualifier), Some(w) if matches!(w.rule, Rule::Exact | Rule::Range) && !w.site);
    match number {
        Some(n) if plain => n,
        Some(n) => [q, " ", &n].concat(),
        None => q.to_string(),
    }
}

#[cfg(test)]
#[path = "wordings_tests.rs"]
mod tests;
