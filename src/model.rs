//! The plain in-memory model of a briefing: parties, sources, incidents, figures with their
//! claims, and pages. Loading fills it, validation checks it, analysis and rendering read it.
//!
//! The content files are read into input types (`load::input`) and turned into these;
//! the words and values of the content language (qualifiers, ranks, party kinds, numbers,
//! dates) parse here.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostics::nearest;

mod ix;
mod values;
mod when;

pub use ix::{FigureIx, IncidentIx, Ix, IxVec, PageIx, PartyIx, SourceIx};

pub use values::{MAX_NUMBER, parse_number};
pub use when::{Basis, DateValue, MONTHS, Timestamp, WEEKDAYS, When};

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
    pub fn source_index(&self, id: &str) -> Option<SourceIx> {
        position(&self.sources, id, |s| &s.id).map(SourceIx::new)
    }

    /// Every source with its position.
    pub fn indexed_sources(
        &self,
    ) -> impl DoubleEndedIterator<Item = (SourceIx, &Source)> + ExactSizeIterator {
        (self.sources.iter().enumerate()).map(|(n, s)| (SourceIx::new(n), s))
    }

    /// The position of the incident `id`.
    pub fn incident_index(&self, id: &str) -> Option<IncidentIx> {
        position(&self.incidents, id, |i| &i.id).map(IncidentIx::new)
    }

    /// Every incident with its position.
    pub fn indexed_incidents(
        &self,
    ) -> impl DoubleEndedIterator<Item = (IncidentIx, &Incident)> + ExactSizeIterator {
        (self.incidents.iter().enumerate()).map(|(n, i)| (IncidentIx::new(n), i))
    }

    /// The position of the figure `id`.
    pub fn figure_index(&self, id: &str) -> Option<FigureIx> {
        position(&self.figures, id, |f| &f.id).map(FigureIx::new)
    }

    /// Every figure with its position.
    pub fn indexed_figures(
        &self,
    ) -> impl DoubleEndedIterator<Item = (FigureIx, &Figure)> + ExactSizeIterator {
        (self.figures.iter().enumerate()).map(|(n, f)| (FigureIx::new(n), f))
    }

    /// The position of the party `id`.
    pub fn party_index(&self, id: &str) -> Option<PartyIx> {
        position(&self.parties, id, |p| &p.id).map(PartyIx::new)
    }

    /// The party `id`, if it is defined.
    pub fn party(&self, id: &str) -> Option<&Party> {
        self.party_index(id).map(|p| &self.parties[p])
    }

    /// Every content page with its position.
    pub fn indexed_pages(
        &self,
    ) -> impl DoubleEndedIterator<Item = (PageIx, &Page)> + ExactSizeIterator {
        (self.pages.iter().enumerate()).map(|(n, p)| (PageIx::new(n), p))
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
    /// Set when a build kept only the front matter of the file in `text` (see
    /// `load::load_all_for_build`): where to read the whole text again.
    pub on_disk: Option<Arc<TextOnDisk>>,
}

impl Origin {
    /// The file's whole text: `text`, or, when only its front matter is kept, the file
    /// read again (`None` if it can no longer be read or has changed since it was loaded).
    pub fn whole_text(&self) -> Option<Arc<str>> {
        match &self.on_disk {
            None => Some(self.text.clone()),
            Some(on_disk) => on_disk.read().map(Arc::from),
        }
    }

    /// The text to point a diagnostic into: the whole text if it can be had, else what
    /// is kept.
    pub fn located_text(&self) -> Arc<str> {
        self.whole_text().unwrap_or_else(|| self.text.clone())
    }
}

/// A file's text left on disk by a build: where it is and what it held when it was
/// loaded, so that reading it again gives the same text or nothing.
#[derive(Debug)]
pub struct TextOnDisk {
    pub path: PathBuf,
    pub len: usize,
    pub hash: u64,
}

impl TextOnDisk {
    /// `text`, read from `path`, to be read again later.
    pub fn of(path: PathBuf, text: &str) -> TextOnDisk {
        TextOnDisk {
            path,
            len: text.len(),
            hash: text_hash(text),
        }
    }

    /// The text, read again; `None` if the file cannot be read or is not the same.
    pub fn read(&self) -> Option<String> {
        // A byte order mark (3 bytes) is not part of the text.
        let limit = self.len as u64 + 3;
        let text = crate::read::read_text(&self.path, limit).ok()?;
        (text.len() == self.len && text_hash(&text) == self.hash).then_some(text)
    }
}

/// A hash of a text that is the same in every run (fixed seeds).
fn text_hash(text: &str) -> u64 {
    ahash::RandomState::with_seeds(0x5172, 0x6570, 0x2d74, 0x6578).hash_one(text)
}

/// The Markdown body of an incident or page: the end of its file's text, shared with the
/// item's [`Origin`] rather than copied, so large briefings hold each file once.
#[derive(Debug, Clone, Default)]
pub struct MarkdownText {
    text: Arc<str>,
    start: usize,
}

impl MarkdownText {
    /// The body starting at byte `start` of `text` (clamped to the text).
    pub fn new(text: Arc<str>, start: usize) -> MarkdownText {
        let start = start.min(text.len());
        MarkdownText { text, start }
    }
}

impl std::ops::Deref for MarkdownText {
    type Target = str;

    fn deref(&self) -> &str {
        self.text.get(self.start..).unwrap_or_default()
    }
}

impl From<&str> for MarkdownText {
    fn from(text: &str) -> MarkdownText {
        MarkdownText::new(Arc::from(text), 0)
    }
}

/// Someone who makes statements: a government, a military, an armed group, an analyst.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub kind: PartyKind,
    /// A party with a stake in the numbers (a party to the conflict, a dam operator
    /// defending its response): written `interested: true` or `party_to_conflict: true`.
    pub party_to_conflict: bool,
    pub notes: Option<String>,
}

/// A news report, statement or document that claims are drawn from.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub origin: Origin,
    pub title: String,
    pub outlet: String,
    pub author: Option<String>,
    pub published: Option<When>,
    pub url: Option<String>,
    /// Path to a local copy of the text, relative to the site root.
    pub archive: Option<PathBuf>,
    /// Whether the archived text is published as a page (overrides `publish_archive` in
    /// `site.toml`).
    pub publish_archive: Option<bool>,
    pub language: String,
    pub kind: String,
    pub notes: Option<String>,
}

/// One event of the briefing, with its Markdown summary.
#[derive(Debug, Clone)]
pub struct Incident {
    pub id: String,
    pub origin: Origin,
    /// The Markdown body and the byte offset where it starts in the file.
    pub body: MarkdownText,
    pub body_offset: usize,
    pub title: String,
    pub date: When,
    pub place: Place,
    pub category: String,
    /// How the incident ended, in the site's vocabulary (see `vocabulary`).
    pub outcome: String,
    pub outcome_note: Option<String>,
    pub actors: Vec<String>,
    pub sources: Vec<String>,
    /// When the analysts last changed this entry (for the Atom feed).
    pub updated: Option<Timestamp>,
}

/// Where an incident happened.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    pub district: Option<String>,
    pub province: Option<String>,
    pub country: String,
    /// Latitude and longitude in degrees.
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
#[derive(Debug, Clone)]
pub struct Figure {
    pub id: String,
    pub origin: Origin,
    pub label: String,
    pub unit: String,
    pub definition: String,
    pub scope: Scope,
    /// Shown in the overview's key-figures table.
    pub key: bool,
    /// This figure is the whole of these parts (ids of other figures).
    pub sum_of: Vec<String>,
    /// The same quantity over a wider window or area: this figure ≤ each of those.
    pub within: Vec<String>,
    /// An analyst's override of the estimate rule.
    pub best: Option<BestOverride>,
    pub claims: Vec<Claim>,
    /// When the analysts last changed this figure (for the Atom feed).
    pub updated: Option<Timestamp>,
}

/// What a figure covers: the time window, the area and the incidents.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scope {
    pub window: Option<String>,
    pub place: Option<String>,
    /// Incident ids; empty means the briefing as a whole.
    pub incidents: Vec<String>,
}

/// A best estimate chosen by hand, with the reason shown on the figure page.
#[derive(Debug, Clone, Serialize)]
pub struct BestOverride {
    pub value: f64,
    pub reason: String,
}

/// One source's statement of a figure's value.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: Option<String>,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub qualifier: Qualifier,
    pub source: String,
    pub stated_by: StatedBy,
    pub stated_on: Option<When>,
    pub quote: String,
    pub rank: Rank,
    pub rank_reason: Option<String>,
    pub supersedes: Option<String>,
    /// A claim (of any party) that this later claim replaces, as the analysts judge it.
    pub replaces: Option<String>,
    /// Why this claim replaces the other one (required with `replaces`).
    pub replaces_reason: Option<String>,
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

/// Who made a claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatedBy {
    /// A party id from `content/parties.yaml`.
    pub party: String,
    pub person: Option<String>,
    pub role: Option<String>,
}

/// A free Markdown page at the root of `content/`.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub origin: Origin,
    pub body: MarkdownText,
    pub body_offset: usize,
    pub title: String,
    pub order: Option<i64>,
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
    fn qualifier_words_are_normalised() {
        assert_eq!(Qualifier::new("At  least"), Qualifier::AT_LEAST);
        assert_eq!(Qualifier::new("more_than"), Qualifier::MORE_THAN);
        assert_eq!(Qualifier::new("Près de").as_str(), "près de");
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
