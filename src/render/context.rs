//! The small, precomputed values templates receive. Templates never get whole model
//! objects: a figure summary is a label, a URL and a few numbers, built once per page.
//! `docs/templates.md` lists what each template receives.

use std::borrow::Cow;

use serde::Serialize;

use crate::analyse::qualifiers::format_number;
use crate::analyse::{FigureAnalysis, Flag, range_label};
use crate::model::{Claim, DateValue, FigureIx, IncidentIx, SourceIx, When};
use crate::site::Site;
use crate::validate::QuoteStatus;
use crate::vocabulary::Vocabulary;

/// A title and a root-relative URL (templates prefix `root`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A date as shown: label, precision, whether inferred, and the analysts' note.
#[derive(Debug, Clone, Serialize)]
pub struct DateCtx {
    pub label: String,
    pub iso: String,
    pub precision: &'static str,
    pub inferred: bool,
    pub note: Option<String>,
    /// The date as an HTML `<time datetime>` value, when it has one: single calendar dates
    /// (`2025-03-11`, `2025-03`, `2025`, `--02-02`), not weekdays, unknown dates or ranges.
    pub datetime: Option<String>,
}

impl DateCtx {
    pub fn new(when: &When) -> DateCtx {
        DateCtx {
            label: when.label(),
            iso: match &when.end {
                Some(end) => format!("{}/{}", when.start.iso(), end.iso()),
                None => when.start.iso(),
            },
            precision: when.precision(),
            inferred: when.is_inferred(),
            note: when.note.clone(),
            datetime: match (&when.start, &when.end) {
                (DateValue::Weekday(_) | DateValue::Unknown, _) | (_, Some(_)) => None,
                (start, None) => Some(start.iso()),
            },
        }
    }
}

/// An incident's outcome as the site's vocabulary spells it.
pub fn outcome_word(site: &Site, written: &str) -> String {
    site.vocabulary
        .outcome(written)
        .unwrap_or(written)
        .to_string()
}

/// A flag as shown: a CSS-friendly slug and a label.
#[derive(Debug, Clone, Serialize)]
pub struct FlagCtx {
    pub slug: &'static str,
    pub label: String,
}

/// The flags as shown, worded in the site's vocabulary.
pub fn flags(vocabulary: &Vocabulary, list: &[Flag]) -> Vec<FlagCtx> {
    list.iter()
        .map(|&f| FlagCtx {
            slug: f.slug(),
            label: match f {
                Flag::OnlyConflictParties => vocabulary.only_interested_label(),
                _ => f.label().to_string(),
            },
        })
        .collect()
}

/// One figure in a list or table.
#[derive(Debug, Clone, Serialize)]
pub struct FigureSummary {
    pub id: String,
    pub label: String,
    pub url: String,
    pub unit: String,
    pub window: Option<String>,
    /// The counted range (same as `counted_range`; kept for older templates).
    pub range: String,
    /// Every claim's range, superseded, replaced, revised and disputed ones included.
    pub claimed_range: String,
    /// What the claimed range includes that the counted one leaves out: "includes 1
    /// superseded and 2 disputed claims", or empty.
    pub claimed_note: String,
    /// The range of the claims the estimate counts.
    pub counted_range: String,
    pub low: String,
    pub best: String,
    pub high: String,
    pub open_ended: bool,
    pub claims: usize,
    pub sources: usize,
    pub flags: Vec<FlagCtx>,
}

impl FigureSummary {
    pub fn new(site: &Site, f: FigureIx) -> FigureSummary {
        let figure = &site.briefing.figures[f];
        let a: &FigureAnalysis = &site.analysis.figures[f];
        FigureSummary {
            id: figure.id.clone(),
            label: figure.label.clone(),
            url: figure_url(&figure.id),
            unit: figure.unit.clone(),
            window: figure.scope.window.clone(),
            range: range_label(a),
            claimed_range: a.claimed.label(),
            claimed_note: claimed_note(site, f),
            counted_range: range_label(a),
            low: format_number(a.low),
            best: format_number(a.best),
            high: format_number(a.high),
            open_ended: a.open_ended,
            claims: figure.claims.len(),
            sources: a.sources.len(),
            flags: flags(&site.vocabulary, &a.flags),
        }
    }
}

/// What figure `f`'s claimed range includes beyond the counted claims, in words.
pub fn claimed_note(site: &Site, f: FigureIx) -> String {
    let a = &site.analysis.figures[f];
    let claims = &site.briefing.figures[f].claims;
    let mut parts = Vec::new();
    let mut add = |n: usize, what: &str| {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    };
    add(
        a.claims
            .iter()
            .filter(|c| c.superseded_by.is_some())
            .count(),
        "superseded",
    );
    add(
        a.claims.iter().filter(|c| c.replaced_by.is_some()).count(),
        "replaced",
    );
    add(
        a.claims.iter().filter(|c| c.revised_by.is_some()).count(),
        "revised",
    );
    add(
        claims
            .iter()
            .zip(&a.claims)
            .filter(|(c, ca)| ca.is_current() && c.rank == crate::model::Rank::Disputed)
            .count(),
        "disputed",
    );
    let others = claims
        .iter()
        .zip(&a.claims)
        .filter(|(c, ca)| ca.is_current() && !ca.counted && c.rank != crate::model::Rank::Disputed)
        .count();
    add(others, "other uncounted");
    let total: usize = a.claims.iter().filter(|c| !c.counted).count();
    match parts.len() {
        0 => String::new(),
        _ => {
            let last = parts.pop().unwrap_or_default();
            let list = if parts.is_empty() {
                last
            } else {
                format!("{} and {last}", parts.join(", "))
            };
            format!("includes {list} claim{}", if total == 1 { "" } else { "s" })
        }
    }
}

/// One incident in a list.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentSummary {
    pub id: String,
    pub title: String,
    pub url: String,
    pub date: DateCtx,
    pub place: String,
    pub category: String,
    pub outcome: String,
    pub sources: usize,
}

impl IncidentSummary {
    pub fn new(site: &Site, i: IncidentIx) -> IncidentSummary {
        let incident = &site.briefing.incidents[i];
        IncidentSummary {
            id: incident.id.clone(),
            title: incident.title.clone(),
            url: incident_url(&incident.id),
            date: DateCtx::new(&incident.date),
            place: incident.place.to_string(),
            category: incident.category.clone(),
            outcome: outcome_word(site, &incident.outcome),
            sources: incident.sources.len(),
        }
    }
}

/// One source in a list.
#[derive(Debug, Clone, Serialize)]
pub struct SourceSummary {
    pub id: String,
    pub title: String,
    pub url: String,
    pub outlet: String,
    pub kind: String,
    pub published: Option<DateCtx>,
    pub claims: usize,
    pub incidents: usize,
}

impl SourceSummary {
    pub fn new(site: &Site, s: SourceIx) -> SourceSummary {
        let source = &site.briefing.sources[s];
        SourceSummary {
            id: source.id.clone(),
            title: source.title.clone(),
            url: source_url(&source.id),
            outlet: source.outlet.clone(),
            kind: source.kind.clone(),
            published: source.published.as_ref().map(DateCtx::new),
            claims: site.index.claims_of_source[s].len(),
            incidents: site.index.incidents_of_source[s].len(),
        }
    }
}

/// Who stated a claim, ready to print (names borrowed from the briefing).
#[derive(Debug, Clone, Serialize)]
pub struct StatedByCtx<'a> {
    pub party: &'a str,
    pub party_id: &'a str,
    pub party_to_conflict: bool,
    pub person: Option<&'a str>,
    pub role: Option<&'a str>,
    /// "Interior Minister Mohsin Naqvi (Government of Pakistan)".
    pub label: String,
}

impl<'a> StatedByCtx<'a> {
    pub fn new(site: &'a Site, claim: &'a Claim) -> StatedByCtx<'a> {
        let stated_by = &claim.stated_by;
        let party = site.briefing.party(&stated_by.party);
        let party_name = party.map_or(stated_by.party.as_str(), |p| p.name.as_str());
        let label = match (stated_by.role.as_deref(), stated_by.person.as_deref()) {
            (None, None) => party_name.to_string(),
            (Some(who), None) | (None, Some(who)) => [who, " (", party_name, ")"].concat(),
            (Some(role), Some(person)) => [role, " ", person, " (", party_name, ")"].concat(),
        };
        StatedByCtx {
            party: party_name,
            party_id: &stated_by.party,
            party_to_conflict: party.is_some_and(|p| p.party_to_conflict),
            person: stated_by.person.as_deref(),
            role: stated_by.role.as_deref(),
            label,
        }
    }
}

/// A link whose title is borrowed from the briefing: serialised as a [`Link`] is.
#[derive(Debug, Clone, Serialize)]
pub struct LinkRef<'a> {
    pub title: &'a str,
    pub url: String,
}

/// One claim as shown on figure, source and incident pages. Text is borrowed from the
/// briefing where it is shown as written: a page makes this value for every claim it
/// lists, so it copies as little as it can.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimCtx<'a> {
    /// The anchor on the figure page: `claim-<id>` or `claim-<n>`.
    pub anchor: String,
    /// As worded by the source: "at least 10", "nearly 30", "dozens".
    pub worded: String,
    /// The figure's unit, to print beside the value.
    pub unit: &'a str,
    pub qualifier: String,
    pub value: Option<String>,
    pub low: String,
    pub high: Option<String>,
    pub bounds: String,
    pub point: String,
    pub source: LinkRef<'a>,
    pub source_id: &'a str,
    pub stated_by: StatedByCtx<'a>,
    pub stated_on: Option<DateCtx>,
    pub quote: &'a str,
    /// "verified", "unverifiable" or "not-found".
    pub quote_status: &'static str,
    /// The archived text the quote was checked against (its path as the source names it),
    /// when the source has one.
    pub archive: Option<Cow<'a, str>>,
    /// The quoted passage on the source's archive page (`archive/<source>.html#passage-…`),
    /// when the archived text is published and the quote verified.
    pub passage: Option<String>,
    pub rank: &'static str,
    pub rank_reason: Option<&'a str>,
    pub superseded_by: Option<String>,
    pub supersedes: Option<String>,
    /// The anchor of the claim that replaces this one, and why (its `replaces_reason`).
    pub replaced_by: Option<String>,
    pub replaced_because: Option<&'a str>,
    /// The anchor of the claim this one replaces, and why.
    pub replaces: Option<String>,
    pub replaces_reason: Option<&'a str>,
    /// The anchor of the same party's later count that revises this one.
    pub revised_by: Option<String>,
    /// Whether a later claim takes this one's place (`superseded_by`, `replaced_by` or
    /// `revised_by` is set).
    pub superseded: bool,
    /// Whether the claim links to another of its figure's claims (any of `superseded_by`,
    /// `supersedes`, `replaced_by`, `replaces` and `revised_by` is set): a template checks
    /// this once rather than each of them.
    pub linked: bool,
    pub counted: bool,
    pub note: Option<&'a str>,
    pub figure: LinkRef<'a>,
}

impl<'a> ClaimCtx<'a> {
    pub fn new(site: &'a Site, f: FigureIx, c: usize) -> ClaimCtx<'a> {
        let figure = &site.briefing.figures[f];
        let claim = &figure.claims[c];
        let analysis = &site.analysis.figures[f].claims[c];
        let source = site.index.claim_sources[f][c];
        let source_title = source.map_or(claim.source.as_str(), |i| {
            site.briefing.sources[i].title.as_str()
        });
        let superseded = (analysis.superseded_by)
            .or(analysis.replaced_by)
            .or(analysis.revised_by)
            .is_some();
        ClaimCtx {
            anchor: claim_anchor(claim, c),
            worded: worded(site, claim),
            unit: &figure.unit,
            qualifier: claim.qualifier.to_string(),
            value: claim.value.map(format_number),
            low: format_number(analysis.bounds.low),
            high: analysis.bounds.high.map(format_number),
            bounds: analysis.bounds.label(),
            point: format_number(analysis.point),
            source: LinkRef {
                title: source_title,
                url: source_url(&claim.source),
            },
            source_id: &claim.source,
            stated_by: StatedByCtx::new(site, claim),
            stated_on: claim.stated_on.as_ref().map(DateCtx::new),
            quote: &claim.quote,
            quote_status: match site.validation.quotes.get(f).and_then(|q| q.get(c)) {
                Some(QuoteStatus::Verified) => "verified",
                Some(QuoteStatus::NotFound) => "not-found",
                _ => "unverifiable",
            },
            archive: (source.and_then(|s| site.briefing.sources[s].archive.as_ref()))
                .map(|path| path.to_string_lossy()),
            passage: source.and_then(|s| passage_url(site, f, c, s)),
            rank: claim.rank.as_str(),
            rank_reason: claim.rank_reason.as_deref(),
            superseded_by: analysis
                .superseded_by
                .map(|n| claim_anchor(&figure.claims[n], n)),
            supersedes: claim.supersedes.as_ref().map(|id| ["claim-", id].concat()),
            replaced_by: analysis
                .replaced_by
                .map(|n| claim_anchor(&figure.claims[n], n)),
            replaced_because: analysis
                .replaced_by
                .and_then(|n| figure.claims[n].replaces_reason.as_deref()),
            replaces: claim.replaces.as_ref().map(|id| ["claim-", id].concat()),
            replaces_reason: claim.replaces_reason.as_deref(),
            revised_by: analysis
                .revised_by
                .map(|n| claim_anchor(&figure.claims[n], n)),
            superseded,
            linked: superseded || claim.supersedes.is_some() || claim.replaces.is_some(),
            counted: analysis.counted,
            note: claim.note.as_deref(),
            figure: LinkRef {
                title: &figure.label,
                url: figure_url(&figure.id),
            },
        }
    }
}

/// Where claim `c` of figure `f` links to its quote on the source's archive page: when the
/// page is published and the quote verified (so it occurs there, highlighted); `s` is the
/// claim's source.
fn passage_url(site: &Site, f: FigureIx, c: usize, s: SourceIx) -> Option<String> {
    let claim = &site.briefing.figures[f].claims[c];
    let verified = site.validation.quotes.get(f).and_then(|q| q.get(c));
    if !site.publishes_archive(s) || verified != Some(&QuoteStatus::Verified) {
        return None;
    }
    let anchor = passage_anchor(&claim.quote)?;
    let mut url = archive_url(&claim.source);
    url.push('#');
    url.push_str(&anchor);
    Some(url)
}

/// The anchor of a quoted passage on an archive page: `passage-` and a hash of the quote as
/// quote verification compares it, so claims quoting the same words share it and it stays
/// put when the archive or other claims change. `None` for a quote that is empty once
/// normalised (nothing to highlight).
pub fn passage_anchor(quote: &str) -> Option<String> {
    let normalized = crate::validate::normalize_quote(quote);
    if normalized.is_empty() {
        return None;
    }
    // FNV-1a: the same in every build, on every machine.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in normalized.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    Some(format!("passage-{:012x}", hash >> 16))
}

/// The anchor of a claim on its figure page.
pub fn claim_anchor(claim: &Claim, n: usize) -> String {
    match &claim.id {
        Some(id) => ["claim-", id].concat(),
        None => format!("claim-{}", n + 1),
    }
}

/// A claim's value in the source's words: "at least 10", "between 30 and 40", "dozens".
pub fn worded(site: &Site, claim: &Claim) -> String {
    crate::analyse::wordings::worded(claim, &site.analysis.wordings)
}

pub fn incident_url(id: &str) -> String {
    ["incidents/", id, ".html"].concat()
}
pub fn figure_url(id: &str) -> String {
    ["figures/", id, ".html"].concat()
}
pub fn source_url(id: &str) -> String {
    ["sources/", id, ".html"].concat()
}
/// A source's archive page (see `render/pages/archive.rs`).
pub fn archive_url(id: &str) -> String {
    ["archive/", id, ".html"].concat()
}
pub fn page_url(id: &str) -> String {
    if id == "index" {
        "index.html".into()
    } else {
        [id, ".html"].concat()
    }
}
