//! Validation: checks that hold across files — references between ids, duplicate ids,
//! claim values, and that every quote occurs in its source's archived text.
//!
//! Per-file problems (syntax, unknown fields, types) are found while loading; this stage
//! sees the whole briefing. Every problem is reported, located at the offending field.

mod citations;
mod claims;
mod quotes;
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
    Briefing, Claim, FailedFile, Figure, FigureIx, Incident, IxVec, MAX_NUMBER, Origin, Page, Rank,
    Source, SourceIx, is_safe_slug,
};

/// Each source's archived text, read and normalised; `None` where it has none or it
/// could not be read.
pub type Archives = IxVec<SourceIx, Option<Arc<ArchiveText>>>;
use crate::read::{self, ReadError};
use crate::yaml::{Seg, YamlDoc};
use crate::yaml_path;
use references::{
    IdKind, Known, defined_in_broken_file, failed_definition, once_per_broken_id, unknown,
};

use citations::citation_errors;
pub use citations::warn_uncited_sources;
use claims::check_figure;
pub use quotes::{
    ArchiveText, find_quotes, longest_matching_prefix, normalize_mapped, normalize_quote,
    read_archive,
};
use quotes::{check_quote, read_archives};

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
    pub quotes: IxVec<FigureIx, Vec<QuoteStatus>>,
    /// Sources whose archive was read, by source index.
    pub archived: IxVec<SourceIx, bool>,
    /// The archived texts read, by source index (`None` where `archived` is false).
    pub archives: Archives,
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
    let text = origin.located_text();
    let text: &str = &text;
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
pub type ArchiveReader<'a> = dyn Fn(&Path) -> Result<Arc<ArchiveText>, ReadError> + Sync + 'a;

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

/// [`validate`] with archive texts from `archive` (`sitrep serve` keeps them between builds).
/// The per-item checks are [`ItemCheck`]'s, which `sitrep serve` runs on an edited item;
/// the rest (duplicate ids, archives, uncited sources) need the whole briefing.
pub fn validate_with(
    briefing: &Briefing,
    wordings: &Wordings,
    bodies: &Bodies,
    archive: &ArchiveReader,
    all: &mut Diagnostics,
) -> Validation {
    let mut found = Diagnostics::default();
    let diagnostics = &mut found;
    let check = ItemCheck::new(briefing, wordings);
    check_duplicates(briefing, diagnostics);
    for (page, body) in briefing.pages.iter().zip(&bodies.pages) {
        diagnostics.extend(check.page(page, body));
    }
    for (incident, body) in briefing.incidents.iter().zip(&bodies.incidents) {
        diagnostics.extend(check.incident(incident, body));
    }
    let archives = read_archives(briefing, archive, diagnostics);
    let per_figure: Vec<(Vec<QuoteStatus>, Vec<Diagnostic>)> = (briefing.figures.par_iter())
        .map(|figure| check.figure_with(figure, &archives, false))
        .collect();
    let mut quotes = Vec::with_capacity(per_figure.len());
    for (q, found) in per_figure {
        quotes.push(q);
        diagnostics.extend(found);
    }
    // A file that failed to load may be what cites a source: "not cited" would be a
    // consequence of its errors, not a finding.
    if briefing.failed.is_empty() {
        warn_uncited_sources(briefing, bodies, diagnostics);
    }
    // Of the references to an id a broken file defines, the first in file order is kept.
    found.sort();
    all.extend(once_per_broken_id(found.into_vec()));
    Validation {
        quotes: quotes.into(),
        archived: archives.iter().map(Option::is_some).collect(),
        archives,
    }
}

/// The checks of one item (an incident, a figure, a content page) against the ids of the
/// rest of the briefing: those [`validate_with`] runs on every item, and `sitrep serve`
/// (`rebuild`) on an edited one with every other item as it is. Checks that are not per
/// item (duplicate ids, uncited sources) are not here.
pub struct ItemCheck<'a> {
    briefing: &'a Briefing,
    wordings: &'a Wordings,
    source_ids: Known<'a>,
    party_ids: Known<'a>,
    incident_ids: Known<'a>,
    figure_ids: Known<'a>,
}

impl<'a> ItemCheck<'a> {
    /// The checks of every item of `briefing`, with its ids hashed.
    pub fn new(briefing: &'a Briefing, wordings: &'a Wordings) -> ItemCheck<'a> {
        ItemCheck {
            briefing,
            wordings,
            source_ids: Known::hashed(briefing, IdKind::Source),
            party_ids: Known::hashed(briefing, IdKind::Party),
            incident_ids: Known::hashed(briefing, IdKind::Incident),
            figure_ids: Known::hashed(briefing, IdKind::Figure),
        }
    }

    /// The checks of a few items: ids are looked up in `briefing`'s lists (sorted by id),
    /// so nothing the size of the briefing is built.
    pub fn few(briefing: &'a Briefing, wordings: &'a Wordings) -> ItemCheck<'a> {
        ItemCheck {
            briefing,
            wordings,
            source_ids: Known::Listed(briefing, IdKind::Source),
            party_ids: Known::Listed(briefing, IdKind::Party),
            incident_ids: Known::Listed(briefing, IdKind::Incident),
            figure_ids: Known::Listed(briefing, IdKind::Figure),
        }
    }

    /// The diagnostics of an incident: unknown sources in `sources` and in citations,
    /// coordinates off the globe, citations of sources missing from `sources`.
    pub fn incident(&self, incident: &Incident, body: &Body) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        check_incident_sources(
            incident,
            &self.source_ids,
            &self.briefing.failed,
            &mut |d| found.push(d),
        );
        found.extend(relations::incident_checks(incident, body, &self.source_ids));
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

    /// The diagnostics of a content page: a reserved name, unknown sources in citations.
    pub fn page(&self, page: &Page, body: &Body) -> Vec<Diagnostic> {
        let mut found = Diagnostics::default();
        if RESERVED_PAGE_IDS.contains(&page.id.as_str()) {
            found.push(
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
        citation_errors(
            &page.origin,
            page.body_offset,
            body,
            &self.source_ids,
            &self.briefing.failed,
            &mut found,
        );
        found.into_vec()
    }

    /// The quote statuses and diagnostics of a figure, quotes checked against `archives`
    /// (by source index, as [`validate_with`] read them), with every cycle of relations
    /// through it, so that an edit that closes one is not patched in.
    pub fn figure(
        &self,
        figure: &Figure,
        archives: &Archives,
    ) -> (Vec<QuoteStatus>, Vec<Diagnostic>) {
        self.figure_with(figure, archives, true)
    }

    /// [`ItemCheck::figure`]; a build reports each cycle once (`every_cycle` false).
    fn figure_with(
        &self,
        figure: &Figure,
        archives: &Archives,
        every_cycle: bool,
    ) -> (Vec<QuoteStatus>, Vec<Diagnostic>) {
        let ids = Ids {
            failed: &self.briefing.failed,
            sources: &self.source_ids,
            parties: &self.party_ids,
            incidents: &self.incident_ids,
            figures: &self.figure_ids,
            wordings: self.wordings,
        };
        let briefing = self.briefing;
        let mut found = Vec::new();
        check_figure(figure, &ids, &mut found);
        found.extend(relations::figure_relations(briefing, figure, every_cycle));
        found.extend(relations::supersede_cycles(figure));
        let quotes = (figure.claims.iter().enumerate())
            .map(|(n, claim)| check_quote(figure, n, claim, briefing, archives, &mut found))
            .collect();
        (quotes, found)
    }
}

/// Reads each source's normalised archive as [`validate_with`] does, without diagnostics;
/// `None` where there is none or it cannot be read.
pub fn archives(briefing: &Briefing, archive: &ArchiveReader) -> Archives {
    briefing
        .sources
        .iter()
        .map(|source| archive(source.archive.as_ref()?).ok())
        .collect()
}

fn check_incident_sources(
    incident: &Incident,
    source_ids: &Known,
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

/// The known ids of each kind, for reference checks.
struct Ids<'a> {
    failed: &'a [FailedFile],
    sources: &'a Known<'a>,
    parties: &'a Known<'a>,
    incidents: &'a Known<'a>,
    wordings: &'a Wordings,
    figures: &'a Known<'a>,
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
    fn quotes_are_found_where_verification_finds_them() {
        // `İ` lowercases to two characters; whitespace runs and curly quotes fold.
        let text = "  \u{130}stanbul:\n\t“ten  KILLED”, ‘ten’ killed ";
        let (normalized, from) = normalize_mapped(text);
        assert_eq!(normalized, normalize_quote(text));
        assert_eq!(from.len(), normalized.len());
        let found = find_quotes(
            text,
            &["\"ten killed\"", "i", "ten' killed", "absent", "  "],
        );
        let slices: Vec<Option<&str>> = (found.iter())
            .map(|r| r.clone().map(|r| &text[r]))
            .collect();
        assert_eq!(
            slices,
            [
                Some("“ten  KILLED”"),
                Some("\u{130}"),
                Some("ten’ killed"),
                None,
                None
            ]
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
