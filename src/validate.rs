//! Validation: checks that hold across files — references between ids, duplicate ids,
//! claim values, and that every quote occurs in its source's archived text.
//!
//! Per-file problems (syntax, unknown fields, types) are found while loading; this stage
//! sees the whole briefing. Every problem is reported, located at the offending field.

mod references;
mod relations;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::analyse::qualifiers::Rule;
use crate::analyse::wordings::Wordings;
use crate::archive;
use crate::diagnostics::{Diagnostic, Diagnostics, suggestion};
use crate::load::split_front_matter;
use crate::markdown::{Bodies, Body};
use crate::model::{
    Briefing, Claim, FailedFile, Figure, Incident, MAX_NUMBER, Origin, Rank, Source, is_safe_slug,
};
use crate::read::{self, ReadError};
use crate::yaml::{Seg, YamlDoc};
use crate::yaml_path;
use references::{defined_in_broken_file, failed_definition, once_per_broken_id, unknown};

/// What quote verification found for one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteStatus {
    /// The quote occurs in the source's archived text.
    Verified,
    /// The source has no archive, or its archive file is missing.
    Unverifiable,
    /// The archive exists and the quote is not in it (an error).
    NotFound,
}

/// Results of validation that later stages show: quote checks per figure and claim.
#[derive(Debug, Clone, Default)]
pub struct Validation {
    /// `quotes[figure index][claim index]`.
    pub quotes: Vec<Vec<QuoteStatus>>,
    /// Sources whose archive was read, by source index.
    pub archived: Vec<bool>,
}

impl Validation {
    pub fn quotes_verified(&self) -> usize {
        self.quotes
            .iter()
            .flatten()
            .filter(|q| **q == QuoteStatus::Verified)
            .count()
    }

    pub fn quotes_total(&self) -> usize {
        self.quotes.iter().map(Vec::len).sum()
    }
}

/// The claims whose quote could not be checked because their source has no readable
/// archive, one line each: "figure `f`, claim 2 (`id`), source `s`".
pub fn unverified_quotes(briefing: &Briefing, validation: &Validation) -> Vec<String> {
    let mut lines = Vec::new();
    for (figure, statuses) in briefing.figures.iter().zip(&validation.quotes) {
        for (n, (claim, status)) in figure.claims.iter().zip(statuses).enumerate() {
            if *status != QuoteStatus::Unverifiable {
                continue;
            }
            let id = claim
                .id
                .as_deref()
                .map(|id| format!(" (`{id}`)"))
                .unwrap_or_default();
            lines.push(format!(
                "figure `{}`, claim {}{id}, source `{}`",
                figure.id,
                n + 1,
                claim.source
            ));
        }
    }
    lines
}

/// Pages that sitrep generates itself; content pages may not take these names.
pub const RESERVED_PAGE_IDS: &[&str] = &[
    "404",
    "incidents",
    "figures",
    "sources",
    "parties",
    "matrix",
    "timeline",
    "checks",
    "data",
    "static",
    "feed",
    "sitemap",
    "robots",
];

/// Points a diagnostic at a YAML path inside an item's file (front matter for Markdown).
pub fn locate(origin: &Origin, path: &[Seg], diagnostic: Diagnostic) -> Diagnostic {
    let text: &str = &origin.text;
    let (yaml, line_offset) = match split_front_matter(text) {
        Some((yaml, _)) if origin.file.extension().is_some_and(|e| e == "md") => (yaml, 1),
        _ => (text, 0),
    };
    match YamlDoc::parse(&origin.file, text, yaml, line_offset) {
        Ok(doc) => {
            let located = match diagnostic.severity {
                crate::diagnostics::Severity::Error => doc.error_at(path, diagnostic.message),
                crate::diagnostics::Severity::Warning => doc.warning_at(path, diagnostic.message),
            };
            Diagnostic {
                hint: diagnostic.hint,
                ..located
            }
        }
        Err(_) => diagnostic,
    }
}

/// Reads a source's archive, given its path as written in the source file.
pub type ArchiveReader<'a> = dyn Fn(&Path) -> Result<Arc<str>, ReadError> + Sync + 'a;

/// Checks the briefing as a whole. `root` is the site root, for archive paths; archives
/// larger than `max_size` bytes are refused.
pub fn validate(
    root: &Path,
    briefing: &Briefing,
    wordings: &Wordings,
    bodies: &Bodies,
    max_size: u64,
    diagnostics: &mut Diagnostics,
) -> Validation {
    validate_with(
        briefing,
        wordings,
        bodies,
        &|path| read_archive(&root.join(path), max_size),
        diagnostics,
    )
}

/// Reads an archived source text (at most `max_size` bytes) and normalises it for quote
/// comparison.
pub fn read_archive(path: &Path, max_size: u64) -> Result<Arc<str>, ReadError> {
    let text = read::read_text(path, max_size)?;
    Ok(Arc::from(normalize_quote(&archive::readable_text(
        path, text,
    ))))
}

/// [`validate`] with archive texts from `archive` (`sitrep serve` keeps them between builds).
pub fn validate_with(
    briefing: &Briefing,
    wordings: &Wordings,
    bodies: &Bodies,
    archive: &ArchiveReader,
    all: &mut Diagnostics,
) -> Validation {
    let mut found = Diagnostics::default();
    let diagnostics = &mut found;
    let source_ids: HashSet<&str> = briefing.sources.iter().map(|s| s.id.as_str()).collect();
    let party_ids: HashSet<&str> = briefing.parties.iter().map(|p| p.id.as_str()).collect();
    let incident_ids: HashSet<&str> = briefing.incidents.iter().map(|i| i.id.as_str()).collect();
    let figure_ids: HashSet<&str> = briefing.figures.iter().map(|f| f.id.as_str()).collect();

    check_duplicates(briefing, diagnostics);
    for page in &briefing.pages {
        if RESERVED_PAGE_IDS.contains(&page.id.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    &page.origin.file,
                    format!(
                        "the page name `{}` is reserved for a generated page",
                        page.id
                    ),
                )
                .with_hint(format!(
                    "rename the file, e.g. to `content/{}-notes.md`",
                    page.id
                )),
            );
        }
    }
    for (incident, body) in briefing.incidents.iter().zip(&bodies.incidents) {
        check_incident_sources(incident, &source_ids, &briefing.failed, &mut |d| {
            diagnostics.push(d)
        });
        diagnostics.extend(relations::incident_checks(incident, body, &source_ids));
    }

    let archives = read_archives(briefing, archive, diagnostics);
    let ids = Ids {
        failed: &briefing.failed,
        sources: &source_ids,
        parties: &party_ids,
        incidents: &incident_ids,
        figures: &figure_ids,
        wordings,
    };
    let per_figure: Vec<(Vec<QuoteStatus>, Vec<Diagnostic>)> = briefing
        .figures
        .par_iter()
        .map(|figure| check_figure_and_quotes(figure, briefing, &ids, &archives, false))
        .collect();
    let mut quotes = Vec::with_capacity(per_figure.len());
    for (q, found) in per_figure {
        quotes.push(q);
        diagnostics.extend(found);
    }
    check_citations(briefing, bodies, &source_ids, diagnostics);
    // A file that failed to load may be what cites a source: "not cited" would be a
    // consequence of its errors, not a finding.
    if briefing.failed.is_empty() {
        warn_uncited_sources(briefing, bodies, diagnostics);
    }
    all.extend(once_per_broken_id(found.into_vec()));
    Validation {
        quotes,
        archived: archives.iter().map(Option::is_some).collect(),
    }
}

/// What validation finds about one changed item, for `sitrep serve`'s incremental rebuilds
/// (`rebuild`): the checks [`validate_with`] runs per incident or per figure, with every
/// other item of `briefing` as it is. Cross-file checks that are not per item (duplicate
/// ids, reserved page names, uncited sources) are not repeated here.
pub struct ItemCheck<'a> {
    briefing: &'a Briefing,
    wordings: &'a Wordings,
    source_ids: HashSet<&'a str>,
    party_ids: HashSet<&'a str>,
    incident_ids: HashSet<&'a str>,
    figure_ids: HashSet<&'a str>,
}

impl<'a> ItemCheck<'a> {
    pub fn new(briefing: &'a Briefing, wordings: &'a Wordings) -> ItemCheck<'a> {
        ItemCheck {
            briefing,
            wordings,
            source_ids: briefing.sources.iter().map(|s| s.id.as_str()).collect(),
            party_ids: briefing.parties.iter().map(|p| p.id.as_str()).collect(),
            incident_ids: briefing.incidents.iter().map(|i| i.id.as_str()).collect(),
            figure_ids: briefing.figures.iter().map(|f| f.id.as_str()).collect(),
        }
    }

    /// The diagnostics of an incident: unknown sources in `sources` and in citations.
    pub fn incident(&self, incident: &Incident, body: &Body) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        check_incident_sources(
            incident,
            &self.source_ids,
            &self.briefing.failed,
            &mut |d| found.push(d),
        );
        let mut diagnostics = Diagnostics::default();
        citation_errors(
            &incident.origin,
            incident.body_offset,
            body,
            &self.source_ids,
            &self.briefing.failed,
            &mut diagnostics,
        );
        found.extend(diagnostics.into_vec());
        found
    }

    /// The quote statuses and diagnostics of a figure, quotes checked against `archives`
    /// (by source index, as [`validate_with`] read them).
    pub fn figure(
        &self,
        figure: &Figure,
        archives: &[Option<Arc<str>>],
    ) -> (Vec<QuoteStatus>, Vec<Diagnostic>) {
        let ids = Ids {
            failed: &self.briefing.failed,
            sources: &self.source_ids,
            parties: &self.party_ids,
            incidents: &self.incident_ids,
            figures: &self.figure_ids,
            wordings: self.wordings,
        };
        // Every cycle through the edited figure, so an edit that closes one is not patched in.
        check_figure_and_quotes(figure, self.briefing, &ids, archives, true)
    }
}

/// Reads each source's normalised archive as [`validate_with`] does, without diagnostics;
/// `None` where there is none or it cannot be read.
pub fn archives(briefing: &Briefing, archive: &ArchiveReader) -> Vec<Option<Arc<str>>> {
    briefing
        .sources
        .iter()
        .map(|source| archive(source.archive.as_ref()?).ok())
        .collect()
}

fn check_incident_sources(
    incident: &Incident,
    source_ids: &HashSet<&str>,
    failed: &[FailedFile],
    push: &mut dyn FnMut(Diagnostic),
) {
    for (n, id) in incident.sources.iter().enumerate() {
        if !source_ids.contains(id.as_str()) {
            push(unknown(
                failed,
                &incident.origin,
                &yaml_path!["sources", n],
                "source",
                id,
                source_ids,
            ));
        }
    }
}

fn check_figure_and_quotes(
    figure: &Figure,
    briefing: &Briefing,
    ids: &Ids,
    archives: &[Option<Arc<str>>],
    every_cycle: bool,
) -> (Vec<QuoteStatus>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    check_figure(figure, ids, &mut found);
    found.extend(relations::figure_relations(briefing, figure, every_cycle));
    found.extend(relations::supersede_cycles(figure));
    let quotes = figure
        .claims
        .iter()
        .enumerate()
        .map(|(n, claim)| check_quote(figure, n, claim, briefing, archives, &mut found))
        .collect();
    (quotes, found)
}

/// The known ids of each kind, for reference checks.
struct Ids<'a> {
    failed: &'a [FailedFile],
    sources: &'a HashSet<&'a str>,
    parties: &'a HashSet<&'a str>,
    incidents: &'a HashSet<&'a str>,
    wordings: &'a Wordings,
    figures: &'a HashSet<&'a str>,
}

fn check_duplicates(briefing: &Briefing, diagnostics: &mut Diagnostics) {
    fn dups<'a>(
        kind: &str,
        items: impl Iterator<Item = (&'a str, &'a Path)>,
        diagnostics: &mut Diagnostics,
    ) {
        let mut seen: HashMap<&str, &Path> = HashMap::new();
        for (id, file) in items {
            if let Some(first) = seen.insert(id, file) {
                diagnostics.push(
                    Diagnostic::error(file, format!("duplicate {kind} id `{id}`")).with_hint(
                        format!(
                            "`{}` already defines it; ids must be unique, so rename one file",
                            first.display()
                        ),
                    ),
                );
            }
        }
    }
    dups(
        "source",
        briefing
            .sources
            .iter()
            .map(|s| (s.id.as_str(), s.origin.file.as_path())),
        diagnostics,
    );
    dups(
        "incident",
        briefing
            .incidents
            .iter()
            .map(|s| (s.id.as_str(), s.origin.file.as_path())),
        diagnostics,
    );
    dups(
        "figure",
        briefing
            .figures
            .iter()
            .map(|s| (s.id.as_str(), s.origin.file.as_path())),
        diagnostics,
    );
    dups(
        "page",
        briefing
            .pages
            .iter()
            .map(|s| (s.id.as_str(), s.origin.file.as_path())),
        diagnostics,
    );
}

fn check_figure(figure: &Figure, ids: &Ids, found: &mut Vec<Diagnostic>) {
    let origin = &figure.origin;
    let error = |path: &[Seg], message: String, hint: &str| {
        let d = Diagnostic::error(&origin.file, message);
        let d = if hint.is_empty() {
            d
        } else {
            d.with_hint(hint)
        };
        locate(origin, path, d)
    };
    if figure.claims.is_empty() {
        found.push(error(
            &yaml_path!["label"],
            format!("figure `{}` has no claims", figure.id),
            "add at least one claim under `claims:` (value, qualifier, source, stated_by, quote)",
        ));
    }
    for (n, id) in figure.scope.incidents.iter().enumerate() {
        if !ids.incidents.contains(id.as_str()) {
            found.push(unknown(
                ids.failed,
                origin,
                &yaml_path!["scope", "incidents", n],
                "incident",
                id,
                ids.incidents,
            ));
        }
    }
    for (field, list) in [("sum_of", &figure.sum_of), ("within", &figure.within)] {
        for (n, id) in list.iter().enumerate() {
            if id == &figure.id {
                found.push(error(
                    &yaml_path![field, n],
                    format!("figure `{id}` cannot refer to itself in `{field}`"),
                    "",
                ));
            } else if !ids.figures.contains(id.as_str()) {
                found.push(unknown(
                    ids.failed,
                    origin,
                    &yaml_path![field, n],
                    "figure",
                    id,
                    ids.figures,
                ));
            }
        }
    }
    if let Some((message, hint)) = figure
        .best
        .as_ref()
        .and_then(|best| bad_number("value", best.value))
    {
        found.push(error(&yaml_path!["best", "value"], message, hint));
    }
    let claim_ids: Vec<&str> = figure
        .claims
        .iter()
        .filter_map(|c| c.id.as_deref())
        .collect();
    let mut seen_ids = HashSet::new();
    for (n, claim) in figure.claims.iter().enumerate() {
        check_claim(figure, n, claim, ids, &claim_ids, found);
        if let Some(id) = &claim.id
            && !seen_ids.insert(id.as_str())
        {
            found.push(error(
                &yaml_path!["claims", n, "id"],
                format!("duplicate claim id `{id}` in this figure"),
                "claim ids must be unique within a figure",
            ));
        }
    }
}

fn check_claim(
    figure: &Figure,
    n: usize,
    claim: &Claim,
    ids: &Ids,
    claim_ids: &[&str],
    found: &mut Vec<Diagnostic>,
) {
    let origin = &figure.origin;
    let at = |field: &str| yaml_path!["claims", n, field];
    let error = |path: &[Seg], message: String, hint: String| {
        let d = Diagnostic::error(&origin.file, message);
        let d = if hint.is_empty() {
            d
        } else {
            d.with_hint(hint)
        };
        locate(origin, path, d)
    };
    if !ids.sources.contains(claim.source.as_str()) {
        found.push(unknown(
            ids.failed,
            origin,
            &at("source"),
            "source",
            &claim.source,
            ids.sources,
        ));
    }
    if !ids.parties.contains(claim.stated_by.party.as_str()) {
        found.push(unknown(
            ids.failed,
            origin,
            &yaml_path!["claims", n, "stated_by", "party"],
            "party",
            &claim.stated_by.party,
            ids.parties,
        ));
    }
    for (field, value) in [
        ("value", claim.value),
        ("low", claim.low),
        ("high", claim.high),
    ] {
        if let Some((message, hint)) = value.and_then(|v| bad_number(field, v)) {
            found.push(error(&at(field), message, hint.into()));
        }
    }
    found.extend(check_numbers(figure, n, claim, ids.wordings));
    if claim.quote.trim().is_empty() {
        found.push(error(
            &at("quote"),
            "the quote is empty".into(),
            "copy a short verbatim excerpt (a sentence at most) from the source".into(),
        ));
    }
    if let Some(id) = &claim.id
        && !is_safe_slug(id)
    {
        found.push(error(
            &at("id"),
            format!("`{id}` is not a safe claim id"),
            "use lowercase letters, digits, - and _".into(),
        ));
    }
    if claim.rank != Rank::Normal
        && claim
            .rank_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        found.push(error(
            &at("rank"),
            format!("a claim ranked `{}` needs a `rank_reason`", claim.rank),
            "say why, e.g. `rank_reason: The source says the claim has not been confirmed.`".into(),
        ));
    }
    found.extend(check_replaces(n, claim, claim_ids, origin));
    if let Some(target) = &claim.supersedes {
        if Some(target.as_str()) == claim.id.as_deref() {
            found.push(error(
                &at("supersedes"),
                "a claim cannot supersede itself".into(),
                String::new(),
            ));
        } else if let Some(earlier) = figure
            .claims
            .iter()
            .find(|c| c.id.as_deref() == Some(target.as_str()))
            && earlier.stated_by.party != claim.stated_by.party
        {
            found.push(locate(
                origin,
                &at("supersedes"),
                Diagnostic::warning(
                    &origin.file,
                    format!(
                        "this claim by `{}` supersedes `{target}`, a claim by `{}`",
                        claim.stated_by.party, earlier.stated_by.party
                    ),
                )
                .with_hint("a claim supersedes a party's own earlier count; to let a later count replace another party's, write `replaces` with a `replaces_reason`; to show that parties disagree, keep both claims current"),
            ));
        } else if !claim_ids.contains(&target.as_str()) {
            let hint = suggestion(target, "claim id", claim_ids.iter().copied());
            found.push(error(
                &at("supersedes"),
                format!("`supersedes` names `{target}`, which is not a claim id of this figure"),
                hint,
            ));
        }
    }
}

/// What is wrong with a number given as `field`, if anything: not a number at all (NaN,
/// infinity), negative, or too large to be a count (a typing mistake).
fn bad_number(field: &str, v: f64) -> Option<(String, &'static str)> {
    if !v.is_finite() {
        Some((
            format!("`{field}` is {v}, which is not a number sitrep can count with"),
            "write the number the source gives, e.g. `value: 12`; for an unknown number, leave the claim out or use a vague qualifier such as `dozens`",
        ))
    } else if v < 0.0 {
        Some((
            format!("`{field}` is {v}, but a count cannot be negative"),
            "counts are zero or more; write the number as the source gives it",
        ))
    } else if v > MAX_NUMBER {
        Some((
            format!("`{field}` is {v}, larger than any count sitrep accepts ({MAX_NUMBER:e})"),
            "check the number against the source: it is probably mistyped",
        ))
    } else {
        None
    }
}

/// The claim's wording is known, and its value, range or absence fits the wording.
fn check_numbers(figure: &Figure, n: usize, claim: &Claim, wordings: &Wordings) -> Vec<Diagnostic> {
    let origin = &figure.origin;
    let at = |field: &str| yaml_path!["claims", n, field];
    let error = |path: &[Seg], message: String, hint: String| {
        locate(
            origin,
            path,
            Diagnostic::error(&origin.file, message).with_hint(hint),
        )
    };
    let mut found = Vec::new();
    let known = wordings.get(&claim.qualifier).is_some();
    if !known {
        found.push(error(
            &at("qualifier"),
            format!("unknown qualifier `{}`", claim.qualifier),
            suggestion(claim.qualifier.as_str(), "qualifier", wordings.names())
                + "; a site can define its own wordings under `[wordings]` in site.toml",
        ));
    }
    match (claim.value, claim.low, claim.high) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => found.push(error(
            &at("value"),
            "a claim has either `value` or `low`/`high`, not both".into(),
            "use `value` for a single number, `low` and `high` for a range".into(),
        )),
        (None, Some(low), Some(high)) if low > high => found.push(error(
            &at("low"),
            format!("`low` ({low}) is greater than `high` ({high})"),
            "swap them, or check the numbers against the source".into(),
        )),
        (None, Some(_), None) | (None, None, Some(_)) => found.push(error(
            &at(if claim.low.is_some() { "low" } else { "high" }),
            "a range needs both `low` and `high`".into(),
            "give both ends, or use `value` with a qualifier such as `at least`".into(),
        )),
        (None, None, None) if known && !wordings.may_stand_alone(&claim.qualifier) => {
            found.push(error(
                &at("qualifier"),
                format!(
                    "this claim has no value, and `{}` needs one",
                    claim.qualifier
                ),
                "add `value: N` (or `low`/`high`); only words without a number (`dozens`, `several`, `some` …) may stand alone"
                    .into(),
            ))
        }
        (_, None, None) if known && wordings.get(&claim.qualifier).is_some_and(|w| w.rule == Rule::Range) => {
            found.push(error(
                &at("qualifier"),
                format!("`{}` gives a range, and needs `low` and `high`", claim.qualifier),
                "write the two ends as `low: X` and `high: Y` instead of `value`".into(),
            ))
        }
        _ => {}
    }
    found
}

/// `replaces` names another claim of the figure, not this one, and says why.
fn check_replaces(n: usize, claim: &Claim, claim_ids: &[&str], origin: &Origin) -> Vec<Diagnostic> {
    let at = |field: &str| yaml_path!["claims", n, field];
    let error = |field: &str, message: String, hint: String| {
        locate(
            origin,
            &at(field),
            Diagnostic::error(&origin.file, message).with_hint(hint),
        )
    };
    let mut found = Vec::new();
    match &claim.replaces {
        Some(target) if Some(target.as_str()) == claim.id.as_deref() => found.push(error(
            "replaces",
            "a claim cannot replace itself".into(),
            "name the earlier claim this one replaces".into(),
        )),
        Some(target) if !claim_ids.contains(&target.as_str()) => found.push(error(
            "replaces",
            format!("`replaces` names `{target}`, which is not a claim id of this figure"),
            suggestion(target, "claim id", claim_ids.iter().copied()),
        )),
        Some(_) if claim.replaces_reason.as_deref().is_none_or(|r| r.trim().is_empty()) => {
            found.push(error(
                "replaces",
                "a claim that replaces another needs a `replaces_reason`".into(),
                "say why, e.g. `replaces_reason: The coroner's count supersedes early media tallies.`".into(),
            ))
        }
        None if claim.replaces_reason.is_some() => found.push(error(
            "replaces_reason",
            "`replaces_reason` without `replaces`".into(),
            "add `replaces: <claim id>` or remove the reason".into(),
        )),
        _ => {}
    }
    found
}

/// Reads each source's normalised archive; `None` where there is none.
fn read_archives(
    briefing: &Briefing,
    archive: &ArchiveReader,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<Arc<str>>> {
    briefing
        .sources
        .iter()
        .map(|source| {
            let path = source.archive.as_ref()?;
            match archive(path) {
                Ok(text) => Some(text),
                Err(err) => {
                    diagnostics.push(archive_problem(source, path, &err));
                    None
                }
            }
        })
        .collect()
}

/// A missing, unreadable or non-UTF-8 archive leaves quotes unverified (a warning); one
/// that is not a regular file or is too large is a mistake in the source file (an error).
fn archive_problem(source: &Source, path: &Path, err: &ReadError) -> Diagnostic {
    let shown = path.display();
    let diagnostic = match err {
        ReadError::Io(_) | ReadError::NotUtf8 { .. } => Diagnostic::warning(
            &source.origin.file,
            format!(
                "archive `{shown}` cannot be read ({err}); quotes from this source are not verified"
            ),
        )
        .with_hint(match err {
            ReadError::NotUtf8 { .. } => "save the archive as UTF-8",
            _ => "the path is relative to the site root; fix it or remove `archive`",
        }),
        ReadError::NotAFile(what) => Diagnostic::error(
            &source.origin.file,
            format!("archive `{shown}` is {what}, not a regular file"),
        )
        .with_hint("an archive is a text file with the source's text; point `archive` at one"),
        ReadError::TooLarge { limit } => Diagnostic::error(
            &source.origin.file,
            format!(
                "archive `{shown}` is larger than the limit of {} (`max_file_size`)",
                read::describe_size(*limit)
            ),
        )
        .with_hint("archive only the article's text, or raise `max_file_size` in site.toml"),
    };
    locate(&source.origin, &yaml_path!["archive"], diagnostic)
}

fn check_quote(
    figure: &Figure,
    n: usize,
    claim: &Claim,
    briefing: &Briefing,
    archives: &[Option<Arc<str>>],
    found: &mut Vec<Diagnostic>,
) -> QuoteStatus {
    let Some(index) = briefing.source_index(&claim.source) else {
        return QuoteStatus::Unverifiable;
    };
    let Some(archive) = &archives[index] else {
        return QuoteStatus::Unverifiable;
    };
    let quote = normalize_quote(&claim.quote);
    if quote.is_empty() || archive.contains(&quote) {
        return QuoteStatus::Verified;
    }
    let hint = match longest_matching_prefix(archive, &quote) {
        0 => "the archived text contains none of it; check the claim's `source`".to_string(),
        k => format!(
            "the first {k} characters match the archive, then it differs after \"…{}\"; copy the quote exactly",
            quote
                .chars()
                .take(k)
                .collect::<String>()
                .chars()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>()
        ),
    };
    let path = briefing.sources[index]
        .archive
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    found.push(locate(
        &figure.origin,
        &yaml_path!["claims", n, "quote"],
        Diagnostic::error(
            &figure.origin.file,
            format!(
                "the quote does not occur in the archived text of `{}` ({path})",
                claim.source
            ),
        )
        .with_hint(hint),
    ));
    QuoteStatus::NotFound
}

/// How many leading characters of `quote` occur somewhere in `archive` (binary search).
pub fn longest_matching_prefix(archive: &str, quote: &str) -> usize {
    let chars: Vec<usize> = quote
        .char_indices()
        .map(|(i, _)| i)
        .chain([quote.len()])
        .collect();
    let (mut lo, mut hi) = (0, chars.len() - 1);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if archive.contains(&quote[..chars[mid]]) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// Normalises text for quote comparison: case, whitespace runs and quote marks.
pub fn normalize_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '`' | '\u{00B4}' | '\u{2032}' => {
                out.push('\'')
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
            | '\u{2033}' => out.push('"'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Unknown ids in `[@…]` citations, located in the Markdown body.
fn check_citations(
    briefing: &Briefing,
    bodies: &Bodies,
    source_ids: &HashSet<&str>,
    diagnostics: &mut Diagnostics,
) {
    let incidents = briefing
        .incidents
        .iter()
        .map(|i| (&i.origin, i.body_offset))
        .zip(&bodies.incidents);
    let pages = briefing
        .pages
        .iter()
        .map(|p| (&p.origin, p.body_offset))
        .zip(&bodies.pages);
    for ((origin, body_offset), body) in incidents.chain(pages) {
        citation_errors(
            origin,
            body_offset,
            body,
            source_ids,
            &briefing.failed,
            diagnostics,
        );
    }
}

fn citation_errors(
    origin: &Origin,
    body_offset: usize,
    body: &Body,
    source_ids: &HashSet<&str>,
    failed: &[FailedFile],
    diagnostics: &mut Diagnostics,
) {
    for citation in &body.citations {
        if source_ids.contains(citation.id.as_str()) {
            continue;
        }
        if let Some(file) = failed_definition(failed, "source", &citation.id) {
            diagnostics.push(
                defined_in_broken_file(origin, &citation.id, file)
                    .at_offset(&origin.text, body_offset + citation.range.start)
                    .with_span_len(citation.range.len()),
            );
        } else {
            diagnostics.push(
                Diagnostic::error(
                    &origin.file,
                    format!("citation of unknown source `{}`", citation.id),
                )
                .at_offset(&origin.text, body_offset + citation.range.start)
                .with_span_len(citation.range.len())
                .with_hint(suggestion(
                    &citation.id,
                    "source id",
                    source_ids.iter().copied(),
                )),
            );
        }
    }
}

/// Warnings for sources that no claim, incident or page cites.
pub fn warn_uncited_sources(briefing: &Briefing, bodies: &Bodies, diagnostics: &mut Diagnostics) {
    let mut cited: HashSet<&str> = HashSet::new();
    for incident in &briefing.incidents {
        cited.extend(incident.sources.iter().map(String::as_str));
    }
    for figure in &briefing.figures {
        cited.extend(figure.claims.iter().map(|c| c.source.as_str()));
    }
    for body in bodies.incidents.iter().chain(&bodies.pages) {
        cited.extend(body.citations.iter().map(|c| c.id.as_str()));
    }
    for source in &briefing.sources {
        if !cited.contains(source.id.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    &source.origin.file,
                    format!("source `{}` is not cited by any claim, incident or page", source.id),
                )
                .with_hint("cite it with [@id] in a summary, list it in an incident's `sources`, or remove it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_ignores_case_space_and_quote_style() {
        assert_eq!(
            normalize_quote("Pakistan\u{2019}s  military\nSAID “no”"),
            "pakistan's military said \"no\""
        );
    }

    #[test]
    fn prefix_search_finds_where_a_quote_diverges() {
        let archive = normalize_quote("the attack killed 10 people");
        assert_eq!(
            longest_matching_prefix(&archive, "the attack killed 12"),
            19
        );
        assert_eq!(longest_matching_prefix(&archive, "zzz"), 0);
    }
}
