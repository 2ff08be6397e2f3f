//! The plain in-memory model of a briefing: parties, sources, incidents, figures with their
//! claims, and pages. Loading fills it, validation checks it, analysis and rendering read it.
//!
//! The types deserialise straight from the content files (unknown fields are errors); ids
//! come from file names and are filled in by the loader.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostics::nearest;

mod values;

pub use values::{MAX_NUMBER, parse_number};
use values::{clock_minutes, looks_like_clock, number, some_number};

/// The whole briefing, as loaded from a site folder. Collections are sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Briefing {
    pub parties: Vec<Party>,
    pub sources: Vec<Source>,
    pub incidents: Vec<Incident>,
    pub figures: Vec<Figure>,
    pub pages: Vec<Page>,
    /// Content files that failed to load: what they would have defined.
    pub failed: Vec<FailedFile>,
}

/// A content file that had errors, and the id it would have defined (`kind` is `source`,
/// `incident`, `figure`, `page` or `party`, for `content/parties.yaml`, which defines all
/// parties).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedFile {
    pub kind: &'static str,
    pub id: String,
    pub file: PathBuf,
}

impl Briefing {
    /// The position of the source `id` (collections are sorted by id).
    pub fn source_index(&self, id: &str) -> Option<usize> {
        position(&self.sources, id, |s| &s.id)
    }

    /// The position of the incident `id`.
    pub fn incident_index(&self, id: &str) -> Option<usize> {
        position(&self.incidents, id, |i| &i.id)
    }

    /// The position of the figure `id`.
    pub fn figure_index(&self, id: &str) -> Option<usize> {
        position(&self.figures, id, |f| &f.id)
    }

    /// The position of the party `id`.
    pub fn party_index(&self, id: &str) -> Option<usize> {
        position(&self.parties, id, |p| &p.id)
    }

    /// The party `id`, if it is defined.
    pub fn party(&self, id: &str) -> Option<&Party> {
        self.party_index(id).map(|i| &self.parties[i])
    }
}

/// Binary search of a collection sorted by id.
fn position<T>(items: &[T], id: &str, key: impl Fn(&T) -> &String) -> Option<usize> {
    items
        .binary_search_by(|item| key(item).as_str().cmp(id))
        .ok()
}

/// Where an item came from: its file (relative to the site root) and that file's text,
/// kept so later stages can point diagnostics at lines.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub file: PathBuf,
    pub text: Arc<str>,
}

/// The Markdown body of an incident or page: the end of its file's text, shared with the
/// item's [`Origin`] rather than copied, so large briefings hold each file once.
#[derive(Debug, Clone, Default)]
pub struct Body {
    text: Arc<str>,
    start: usize,
}

impl Body {
    /// The body starting at byte `start` of `text` (clamped to the text).
    pub fn new(text: Arc<str>, start: usize) -> Body {
        let start = start.min(text.len());
        Body { text, start }
    }
}

impl std::ops::Deref for Body {
    type Target = str;

    fn deref(&self) -> &str {
        self.text.get(self.start..).unwrap_or_default()
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body::new(Arc::from(text), 0)
    }
}

/// Someone who makes statements: a government, a military, an armed group, an analyst.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[serde(skip_deserializing)]
    pub id: String,
    pub name: String,
    pub kind: PartyKind,
    /// A party with a stake in the numbers (a party to the conflict, a dam operator
    /// defending its response): written `interested: true` or `party_to_conflict: true`.
    #[serde(default, alias = "interested")]
    pub party_to_conflict: bool,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A news report, statement or document that claims are drawn from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub origin: Origin,
    pub title: String,
    pub outlet: String,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub published: Option<When>,
    #[serde(default)]
    pub url: Option<String>,
    /// Path to a local copy of the text, relative to the site root.
    #[serde(default)]
    pub archive: Option<PathBuf>,
    pub language: String,
    pub kind: String,
    #[serde(default)]
    pub notes: Option<String>,
}

/// One event of the briefing, with its Markdown summary.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub origin: Origin,
    /// The Markdown body and the byte offset where it starts in the file.
    #[serde(skip)]
    pub body: Body,
    #[serde(skip)]
    pub body_offset: usize,
    pub title: String,
    pub date: When,
    pub place: Place,
    pub category: String,
    /// How the incident ended, in the site's vocabulary (see `vocabulary`).
    pub outcome: String,
    #[serde(default)]
    pub outcome_note: Option<String>,
    #[serde(default)]
    pub actors: Vec<String>,
    pub sources: Vec<String>,
    /// When the analysts last changed this entry (for the Atom feed).
    #[serde(default)]
    pub updated: Option<Timestamp>,
}

/// Where an incident happened.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub province: Option<String>,
    pub country: String,
    /// Latitude and longitude in degrees.
    #[serde(default)]
    pub coordinates: Option<[f64; 2]>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = [self.district.as_deref(), self.province.as_deref()]
            .into_iter()
            .flatten()
            .chain([self.country.as_str()])
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// One number of the fact table and every claim made about it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub origin: Origin,
    pub label: String,
    pub unit: String,
    pub definition: String,
    #[serde(default)]
    pub scope: Scope,
    /// Shown in the overview's key-figures table.
    #[serde(default)]
    pub key: bool,
    /// This figure is the whole of these parts (ids of other figures).
    #[serde(default)]
    pub sum_of: Vec<String>,
    /// The same quantity over a wider window or area: this figure ≤ each of those.
    #[serde(default)]
    pub within: Vec<String>,
    /// An analyst's override of the estimate rule.
    #[serde(default)]
    pub best: Option<BestOverride>,
    #[serde(default)]
    pub claims: Vec<Claim>,
    /// When the analysts last changed this figure (for the Atom feed).
    #[serde(default)]
    pub updated: Option<Timestamp>,
}

/// What a figure covers: the time window, the area and the incidents.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    #[serde(default)]
    pub window: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    /// Incident ids; empty means the briefing as a whole.
    #[serde(default)]
    pub incidents: Vec<String>,
}

/// A best estimate chosen by hand, with the reason shown on the figure page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BestOverride {
    #[serde(deserialize_with = "number")]
    pub value: f64,
    pub reason: String,
}

/// One source's statement of a figure's value.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "some_number")]
    pub value: Option<f64>,
    #[serde(default, deserialize_with = "some_number")]
    pub low: Option<f64>,
    #[serde(default, deserialize_with = "some_number")]
    pub high: Option<f64>,
    pub qualifier: Qualifier,
    pub source: String,
    pub stated_by: StatedBy,
    #[serde(default)]
    pub stated_on: Option<When>,
    pub quote: String,
    #[serde(default = "normal_rank")]
    pub rank: Rank,
    #[serde(default)]
    pub rank_reason: Option<String>,
    #[serde(default)]
    pub supersedes: Option<String>,
    /// A claim (of any party) that this later claim replaces, as the analysts judge it.
    #[serde(default)]
    pub replaces: Option<String>,
    /// Why this claim replaces the other one (required with `replaces`).
    #[serde(default)]
    pub replaces_reason: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl Claim {
    /// A plain claim: a value (or none, for vague words) in a source's wording, with every
    /// optional field empty. Used for worked examples and tests.
    pub fn new(qualifier: Qualifier, value: Option<f64>, source: &str, party: &str) -> Claim {
        Claim {
            id: None,
            value,
            low: None,
            high: None,
            qualifier,
            source: source.to_string(),
            stated_by: StatedBy {
                party: party.to_string(),
                person: None,
                role: None,
            },
            stated_on: None,
            quote: String::new(),
            rank: Rank::Normal,
            rank_reason: None,
            supersedes: None,
            replaces: None,
            replaces_reason: None,
            note: None,
        }
    }
}

fn normal_rank() -> Rank {
    Rank::Normal
}

/// Who made a claim.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatedBy {
    /// A party id from `content/parties.yaml`.
    pub party: String,
    #[serde(default)]
    pub person: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
}

/// A free Markdown page at the root of `content/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub origin: Origin,
    #[serde(skip)]
    pub body: Body,
    #[serde(skip)]
    pub body_offset: usize,
    pub title: String,
    #[serde(default)]
    pub order: Option<i64>,
    #[serde(default)]
    pub description: Option<String>,
}

/// Declares a string-backed enum with its accepted spellings; unknown words get the
/// nearest valid one as a hint.
macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in content files and on the site.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn parse(word: &str) -> Result<Self, String> {
                let normal = word.trim().to_lowercase().replace('_', " ");
                $(if normal == $word || normal == $word.replace('-', " ") { return Ok($name::$variant); })+
                let words = [$($word),+];
                let hint = match nearest(&normal, words) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("use one of: {}", words.join(", ")),
                };
                Err(format!("unknown {} `{}`{}{}", $what, word, crate::model::HINT_SEPARATOR, hint))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = String::deserialize(d)?;
                $name::parse(&word).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// Separates a message from its hint in errors raised inside deserialisation.
pub const HINT_SEPARATOR: &str = "; hint: ";

/// How a source words a number ("at least", "some", "as many as"): the name of a wording
/// in the site's wording table (`analyse::wordings`), lowercased, with `_` read as a
/// space. Validation rejects names the table does not have.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Qualifier(std::borrow::Cow<'static, str>);

impl Qualifier {
    pub const EXACT: Qualifier = Qualifier::word("exact");
    pub const AT_LEAST: Qualifier = Qualifier::word("at least");
    pub const MORE_THAN: Qualifier = Qualifier::word("more than");
    pub const OVER: Qualifier = Qualifier::word("over");
    pub const NEARLY: Qualifier = Qualifier::word("nearly");
    pub const CLOSE_TO: Qualifier = Qualifier::word("close to");
    pub const ABOUT: Qualifier = Qualifier::word("about");
    pub const APPROXIMATELY: Qualifier = Qualifier::word("approximately");
    pub const SOME: Qualifier = Qualifier::word("some");
    pub const UP_TO: Qualifier = Qualifier::word("up to");
    pub const AS_MANY_AS: Qualifier = Qualifier::word("as many as");
    pub const AT_MOST: Qualifier = Qualifier::word("at most");
    pub const BETWEEN: Qualifier = Qualifier::word("between");
    pub const DOZENS: Qualifier = Qualifier::word("dozens");
    pub const SEVERAL: Qualifier = Qualifier::word("several");

    const fn word(word: &'static str) -> Qualifier {
        Qualifier(std::borrow::Cow::Borrowed(word))
    }

    /// The wording `word` as written in a content file: lowercased, `_` and runs of
    /// spaces read as one space.
    pub fn new(word: &str) -> Qualifier {
        let normal = word.to_lowercase().replace('_', " ");
        let normal: Vec<&str> = normal.split_whitespace().collect();
        Qualifier(std::borrow::Cow::Owned(normal.join(" ")))
    }

    /// The word used in content files and on the site.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Qualifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Qualifier {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Qualifier::new(&String::deserialize(d)?))
    }
}

word_enum!(
    /// How much weight a claim carries, after Wikidata's statement ranks (default normal).
    Rank, "rank" {
        Preferred => "preferred",
        Normal => "normal",
        Disputed => "disputed",
    }
);

word_enum!(
    /// What kind of body a party is.
    PartyKind, "party kind" {
        Government => "government",
        Military => "military",
        ArmedGroup => "armed-group",
        Independent => "independent",
        Media => "media",
        Other => "other",
    }
);

/// When something happened or was said, as precisely as the sources allow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct When {
    pub start: DateValue,
    /// The end of a range; `None` for a single day.
    pub end: Option<DateValue>,
    pub approximate: bool,
    pub basis: Basis,
    pub time: Option<String>,
    pub note: Option<String>,
}

/// Whether a date was stated by the sources or worked out by the briefing's authors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    Reported,
    Inferred,
}

/// A date at whatever precision the sources give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DateValue {
    Day {
        year: i32,
        month: u8,
        day: u8,
    },
    Month {
        year: i32,
        month: u8,
    },
    Year {
        year: i32,
    },
    /// Day and month with no year (ISO 8601 `--MM-DD`).
    MonthDay {
        month: u8,
        day: u8,
    },
    /// Monday = 0 … Sunday = 6.
    Weekday(u8),
    Unknown,
}

/// The weekdays, Monday first, as dates name them.
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateValue {
    pub fn parse(text: &str) -> Result<DateValue, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("unknown") {
            return Ok(DateValue::Unknown);
        }
        if let Some(i) = WEEKDAYS.iter().position(|w| w.eq_ignore_ascii_case(t)) {
            return Ok(DateValue::Weekday(i as u8));
        }
        let bad = || {
            format!(
                "`{t}` is not a date{HINT_SEPARATOR}write YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD (no year), a weekday such as Saturday, or unknown"
            )
        };
        let number = |s: &str, digits: usize| -> Result<u32, String> {
            if s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let month_ok = |m: u32| {
            if (1..=12).contains(&m) {
                Ok(m as u8)
            } else {
                Err(bad())
            }
        };
        let day_ok = |m: u8, d: u32, year: Option<i32>| {
            if d >= 1 && d <= u32::from(days_in_month(m, year)) {
                Ok(d as u8)
            } else {
                Err(format!(
                    "day {d} does not exist in {}{HINT_SEPARATOR}check the date against the source",
                    MONTHS[m as usize - 1]
                ))
            }
        };
        if let Some(rest) = t.strip_prefix("--") {
            let (m, d) = rest.split_once('-').ok_or_else(bad)?;
            let month = month_ok(number(m, 2)?)?;
            let day = day_ok(month, number(d, 2)?, None)?;
            return Ok(DateValue::MonthDay { month, day });
        }
        let parts: Vec<&str> = t.split('-').collect();
        match parts.as_slice() {
            [y] => Ok(DateValue::Year {
                year: number(y, 4)? as i32,
            }),
            [y, m] => Ok(DateValue::Month {
                year: number(y, 4)? as i32,
                month: month_ok(number(m, 2)?)?,
            }),
            [y, m, d] => {
                let year = number(y, 4)? as i32;
                let month = month_ok(number(m, 2)?)?;
                let day = day_ok(month, number(d, 2)?, Some(year))?;
                Ok(DateValue::Day { year, month, day })
            }
            _ => Err(bad()),
        }
    }

    /// The precision in words, shown next to dates on the site.
    pub fn precision(&self) -> &'static str {
        match self {
            DateValue::Day { .. } => "exact day",
            DateValue::Month { .. } => "month only",
            DateValue::Year { .. } => "year only",
            DateValue::MonthDay { .. } => "day and month, no year given",
            DateValue::Weekday(_) => "weekday only, no calendar date given",
            DateValue::Unknown => "not stated",
        }
    }

    /// Machine-readable form (ISO 8601 where one exists).
    pub fn iso(&self) -> String {
        match *self {
            DateValue::Day { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
            DateValue::Month { year, month } => format!("{year:04}-{month:02}"),
            DateValue::Year { year } => format!("{year:04}"),
            DateValue::MonthDay { month, day } => format!("--{month:02}-{day:02}"),
            DateValue::Weekday(w) => WEEKDAYS[w as usize].to_string(),
            DateValue::Unknown => "unknown".to_string(),
        }
    }

    /// A sort key: calendar dates in order, then day-month dates, then weekdays (assumed to
    /// fall in one week, Monday first), then unknown dates.
    pub fn sort_key(&self) -> (u8, i64) {
        match *self {
            DateValue::Day { year, month, day } => (
                0,
                i64::from(year) * 10_000 + i64::from(month) * 100 + i64::from(day),
            ),
            DateValue::Month { year, month } => {
                (0, i64::from(year) * 10_000 + i64::from(month) * 100)
            }
            DateValue::Year { year } => (0, i64::from(year) * 10_000),
            DateValue::MonthDay { month, day } => (1, i64::from(month) * 100 + i64::from(day)),
            DateValue::Weekday(w) => (2, i64::from(w)),
            DateValue::Unknown => (3, 0),
        }
    }
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DateValue::Day { year, month, day } => {
                write!(f, "{day} {} {year}", MONTHS[month as usize - 1])
            }
            DateValue::Month { year, month } => write!(f, "{} {year}", MONTHS[month as usize - 1]),
            DateValue::Year { year } => write!(f, "{year}"),
            DateValue::MonthDay { month, day } => {
                write!(f, "{day} {} (year not given)", MONTHS[month as usize - 1])
            }
            DateValue::Weekday(w) => f.write_str(WEEKDAYS[w as usize]),
            DateValue::Unknown => f.write_str("date unknown"),
        }
    }
}

/// Whether a range's `end` lies wholly before its `start`. Only calendar dates (day, month,
/// year) are compared: a range of weekdays or of days without a year may run across the
/// end of a week or year.
fn ends_before_start(start: &DateValue, end: &DateValue) -> bool {
    // The first and last day of a date's period, as YYYYMMDD numbers.
    let span = |d: &DateValue| match *d {
        DateValue::Day { year, month, day } => {
            let n = i64::from(year) * 10_000 + i64::from(month) * 100 + i64::from(day);
            Some((n, n))
        }
        DateValue::Month { year, month } => {
            let n = i64::from(year) * 10_000 + i64::from(month) * 100;
            Some((n + 1, n + 31))
        }
        DateValue::Year { year } => {
            let n = i64::from(year) * 10_000;
            Some((n + 101, n + 1231))
        }
        _ => None,
    };
    match (span(start), span(end)) {
        (Some((first, _)), Some((_, last))) => last < first,
        _ => false,
    }
}

fn days_in_month(month: u8, year: Option<i32>) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) => 28,
            _ => 29,
        },
        _ => 31,
    }
}

impl When {
    /// "Saturday – Sunday", with "about" for approximate dates.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.approximate {
            out.push_str("about ");
        }
        out.push_str(&self.start.to_string());
        if let Some(end) = &self.end {
            out.push_str(" – ");
            out.push_str(&end.to_string());
        }
        if let Some(time) = &self.time {
            out.push_str(", ");
            out.push_str(time);
        }
        out
    }

    /// The precision of the start date, or "approximate".
    pub fn precision(&self) -> &'static str {
        if self.approximate {
            "approximate"
        } else {
            self.start.precision()
        }
    }

    pub fn is_inferred(&self) -> bool {
        self.basis == Basis::Inferred
    }

    pub fn sort_key(&self) -> (u8, i64) {
        self.start.sort_key()
    }

    /// The time of day in minutes after midnight, when `time` is a 24-hour `HH:MM` (free
    /// text such as "before dawn" has none). Orders entries within a day.
    pub fn time_of_day(&self) -> Option<u16> {
        self.time.as_deref().and_then(clock_minutes)
    }
}

/// The long, mapping form of a date in content files.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhenFields {
    #[serde(default)]
    on: Option<String>,
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    approximate: bool,
    #[serde(default)]
    basis: Option<Basis>,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_yaml::Value::deserialize(d)?;
        let fields = match value {
            serde_yaml::Value::String(s) => {
                // `2025-04-15T14:30`: a day and a time of day.
                let (on, time) = match s.split_once('T') {
                    Some((day, time)) if time.contains(':') => {
                        (day.to_string(), Some(time.to_string()))
                    }
                    _ => (s, None),
                };
                WhenFields {
                    on: Some(on),
                    start: None,
                    end: None,
                    approximate: false,
                    basis: None,
                    time,
                    note: None,
                }
            }
            other => serde_yaml::from_value(other).map_err(|e| {
                let message = e.to_string();
                D::Error::custom(match message.find(" at line ") {
                    Some(i) => message[..i].to_string(),
                    None => message,
                })
            })?,
        };
        let (start, end) = match (fields.on, fields.start, fields.end) {
            (Some(on), None, None) => (on, None),
            (None, Some(start), end) => (start, end),
            (Some(_), _, _) => {
                return Err(D::Error::custom(format!(
                    "a date has either `on` or `start`/`end`, not both{HINT_SEPARATOR}use `on` for one day, `start` and `end` for a range"
                )));
            }
            (None, None, _) => {
                return Err(D::Error::custom(format!(
                    "a date needs `on` (one day) or `start` (a range){HINT_SEPARATOR}for example `on: Saturday`"
                )));
            }
        };
        let start = DateValue::parse(&start).map_err(D::Error::custom)?;
        let end = end
            .map(|e| DateValue::parse(&e))
            .transpose()
            .map_err(D::Error::custom)?;
        if let Some(end) = &end
            && ends_before_start(&start, end)
        {
            return Err(D::Error::custom(format!(
                "the date range ends ({end}) before it starts ({start}){HINT_SEPARATOR}swap `start` and `end`, or check the dates against the source"
            )));
        }
        if let Some(time) = &fields.time
            && looks_like_clock(time)
            && clock_minutes(time).is_none()
        {
            return Err(D::Error::custom(format!(
                "`{time}` is not a time of day{HINT_SEPARATOR}write 24-hour HH:MM, e.g. time: \"14:30\" (or free text such as \"before dawn\")"
            )));
        }
        Ok(When {
            start,
            end,
            approximate: fields.approximate,
            basis: fields.basis.unwrap_or(Basis::Reported),
            time: fields.time,
            note: fields.note,
        })
    }
}

/// An RFC 3339 time of an edit to the briefing (`2026-11-21` or `2026-11-21T09:30:00Z`),
/// kept in its normalised RFC 3339 form so it sorts as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Timestamp(pub String);

impl Timestamp {
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let t = text.trim();
        let bad = || {
            format!(
                "`{t}` is not a timestamp{HINT_SEPARATOR}write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)"
            )
        };
        let (date, time) = match t.split_once('T') {
            Some((d, time)) => (d, Some(time)),
            None => (t, None),
        };
        match DateValue::parse(date) {
            Ok(DateValue::Day { .. }) => {}
            _ => return Err(bad()),
        }
        let time = match time {
            None => "00:00:00Z".to_string(),
            Some(time) => {
                let clock = time.strip_suffix('Z').ok_or_else(bad)?;
                let parts: Vec<&str> = clock.split(':').collect();
                let valid = parts.len() == 3
                    && parts
                        .iter()
                        .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
                    && parts[0] < "24"
                    && parts[1] < "60"
                    && parts[2] < "60";
                if !valid {
                    return Err(bad());
                }
                format!("{clock}Z")
            }
        };
        Ok(Timestamp(format!("{date}T{time}")))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Whether `id` is a safe slug: lowercase ASCII letters, digits, `-` and `_`, starting with
/// a letter or digit, at most 100 characters.
pub fn is_safe_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.as_bytes()[0].is_ascii_alphanumeric()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// The nearest safe slug to an unsafe id, offered as a hint.
pub fn slugify(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "item".to_string()
    } else {
        trimmed.chars().take(100).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_at_every_precision() {
        assert_eq!(
            DateValue::parse("2025-03-11"),
            Ok(DateValue::Day {
                year: 2025,
                month: 3,
                day: 11
            })
        );
        assert_eq!(DateValue::parse("saturday"), Ok(DateValue::Weekday(5)));
        assert_eq!(
            DateValue::parse("--02-02"),
            Ok(DateValue::MonthDay { month: 2, day: 2 })
        );
        assert!(DateValue::parse("2025-02-30").is_err());
        assert!(DateValue::parse("Satday").is_err());
        assert!(DateValue::parse("2025-13").is_err());
    }

    #[test]
    fn weekdays_sort_within_one_week() {
        let friday = DateValue::parse("Friday").unwrap();
        let sunday = DateValue::parse("Sunday").unwrap();
        assert!(friday.sort_key() < sunday.sort_key());
    }

    #[test]
    fn when_reads_short_and_long_forms() {
        let w: When = serde_yaml::from_str("Saturday").unwrap();
        assert_eq!(w.basis, Basis::Reported);
        let w: When = serde_yaml::from_str("{on: Sunday, basis: inferred, note: x}").unwrap();
        assert!(w.is_inferred());
        assert_eq!(w.start, DateValue::Weekday(6));
        let err = serde_yaml::from_str::<When>("{on: Sunday, start: Monday}").unwrap_err();
        assert!(err.to_string().contains("not both"));
    }

    #[test]
    fn qualifier_words_are_normalised() {
        assert_eq!(Qualifier::new("At  least"), Qualifier::AT_LEAST);
        assert_eq!(Qualifier::new("more_than"), Qualifier::MORE_THAN);
        assert_eq!(Qualifier::new("Près de").as_str(), "près de");
    }

    #[test]
    fn timestamps_normalise_to_rfc3339() {
        assert_eq!(
            Timestamp::parse("2026-11-21").unwrap().0,
            "2026-11-21T00:00:00Z"
        );
        assert_eq!(
            Timestamp::parse("2026-11-21T09:30:00Z").unwrap().0,
            "2026-11-21T09:30:00Z"
        );
        assert!(Timestamp::parse("2026-11-21T25:00:00Z").is_err());
        assert!(Timestamp::parse("Saturday").is_err());
    }

    #[test]
    fn numbers_accept_digit_groups_as_sources_print_them() {
        assert_eq!(parse_number("13,000"), Ok(13000.0));
        assert_eq!(parse_number("13 000"), Ok(13000.0));
        assert_eq!(parse_number("1\u{202f}234\u{202f}567.5"), Ok(1234567.5));
        assert_eq!(parse_number("42"), Ok(42.0));
        // Groups must be of three digits, and words are not numbers.
        assert!(parse_number("13,00").is_err());
        assert!(parse_number("1,2345").is_err());
        assert!(parse_number("13k").is_err());
        assert!(parse_number("").is_err());
        let claim: Claim = serde_yaml::from_str(
            "value: \"13,000\"\nqualifier: about\nsource: s\nstated_by: {party: p}\nquote: q\n",
        )
        .unwrap();
        assert_eq!(claim.value, Some(13000.0));
    }

    #[test]
    fn a_range_may_not_end_before_it_starts() {
        let err = serde_yaml::from_str::<When>("{start: 2025-03-12, end: 2025-03-10}").unwrap_err();
        assert!(
            err.to_string()
                .contains("ends (10 March 2025) before it starts"),
            "{err}"
        );
        // A month contains its days, and weekday ranges may run over the end of a week.
        assert!(serde_yaml::from_str::<When>("{start: 2025-03-12, end: 2025-03}").is_ok());
        assert!(serde_yaml::from_str::<When>("{start: Saturday, end: Monday}").is_ok());
        assert!(serde_yaml::from_str::<When>("{start: 2025, end: 2024-12}").is_err());
    }

    #[test]
    fn slugs() {
        assert!(is_safe_slug("000_081c7ac4728af589"));
        assert!(is_safe_slug("security-personnel-killed"));
        assert!(!is_safe_slug("Bad Id"));
        assert!(!is_safe_slug("../escape"));
        assert!(!is_safe_slug("-x"));
        assert_eq!(slugify("Bad Id!"), "bad-id");
    }
}
