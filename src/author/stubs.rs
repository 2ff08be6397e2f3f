//! The texts of new items: an incident, a source, a party entry and a figure, each valid
//! as written, with every optional field present as a YAML comment so authors see the
//! whole format (docs/content-format.md describes each field).

use super::{label_from_id, yaml_id, yaml_string};

/// What the author gave for a new incident; `None` fields get placeholders.
#[derive(Debug, Clone, Default)]
pub struct IncidentFields {
    pub title: Option<String>,
    pub date: Option<String>,
    pub country: Option<String>,
    pub sources: Vec<String>,
}

/// A new incident: front matter with the required fields, the optional ones commented,
/// and a summary to replace.
pub fn incident(id: &str, fields: &IncidentFields) -> String {
    let title = fields.title.clone().unwrap_or_else(|| label_from_id(id));
    let date = fields.date.as_deref().unwrap_or("unknown");
    let country = fields.country.as_deref().unwrap_or("unknown");
    let sources: Vec<String> = fields.sources.iter().map(|s| yaml_id(s)).collect();
    let citation = match fields.sources.first() {
        Some(source) => format!(", e.g. [@{source}]"),
        None => String::new(),
    };
    format!(
        r#"---
title: {title}
# A date: 2025-03-11, 2025-03, 2025, --02-02 (no year), a weekday such as Saturday, or unknown.
# The long form: on (or start and end for a range), basis (reported | inferred),
# approximate: true, time (free text), note.
date: {date}
place:
  # district: …
  # province: …
  country: {country}
  # coordinates: [29.80, 66.85]   # latitude, longitude
# category: free text that groups incidents (prison attack, flood …)
category: uncategorised
# outcome: carried out | repelled | foiled | attempted | ongoing | unclear
outcome: unclear
# outcome_note: Where the sources differ about the outcome.
# actors: [Someone]
# sources: the ids of the sources that report it
sources: [{sources}]
# updated: 2026-01-31   # when you last changed this entry (for the Atom feed)
---
Summary of what happened, in your own words, citing the sources as `[@source-id]`{citation}.
"#,
        title = yaml_string(&title),
        date = yaml_string(date),
        country = yaml_string(country),
        sources = sources.join(", "),
    )
}

/// What the author gave for a new source.
#[derive(Debug, Clone, Default)]
pub struct SourceFields {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// Path of the archived text, relative to the site root.
    pub archive: Option<String>,
}

/// A new source file.
pub fn source(id: &str, fields: &SourceFields) -> String {
    let title = fields.title.clone().unwrap_or_else(|| label_from_id(id));
    let outlet = fields.outlet.as_deref().unwrap_or("unknown");
    let url = match &fields.url {
        Some(url) => format!("url: {}", yaml_string(url)),
        None => "# url: https://example.org/story".to_string(),
    };
    let archive = match &fields.archive {
        Some(path) => format!("archive: {}", yaml_string(path)),
        None => format!("# archive: archive/{id}.txt"),
    };
    format!(
        r#"title: {title}
# outlet: as named in the text, or "unnamed outlet"
outlet: {outlet}
# author: unknown   # or the by-line
# published: 2026-01-31   # a date, or the long form (on or start/end, basis, note)
{url}
# archive: a saved copy of the text, relative to the site root; every quote from this
# source is checked against it
{archive}
# publish_archive: true   # publish the archived text as a page with the quotes highlighted
#                         # (off by default: archived articles are usually copyrighted)
language: en
# kind: wire report | news report | newspaper | blog | official statement | other
kind: news report
# notes: Reliability, duplication of other reports, etc.
"#,
        title = yaml_string(&title),
        outlet = yaml_string(outlet),
    )
}

/// What the author gave for a new party.
#[derive(Debug, Clone, Default)]
pub struct PartyFields {
    pub name: Option<String>,
    pub kind: Option<String>,
}

/// A party entry for `content/parties.yaml` (a map from id to party), to append.
pub fn party(id: &str, fields: &PartyFields) -> String {
    let name = fields.name.clone().unwrap_or_else(|| label_from_id(id));
    let kind = fields.kind.as_deref().unwrap_or("other");
    format!(
        r#"{id}:
  name: {name}
  # kind: government | military | armed-group | independent | media | other
  kind: {kind}
  # party_to_conflict: true   # true for the belligerents and their governments
  # notes: Who speaks for this party in the sources.
"#,
        id = yaml_id(id),
        name = yaml_string(&name),
    )
}

/// What the author gave for a new figure (its first claim comes separately).
#[derive(Debug, Clone, Default)]
pub struct FigureFields {
    pub label: Option<String>,
    pub unit: Option<String>,
    pub definition: Option<String>,
    pub incidents: Vec<String>,
}

/// A new figure with its first claim, `claim` being the claim's list item as
/// [`super::claim::item`] writes it (indented by two spaces); without one, `claims: []`
/// (the figure builds, with a warning, and its page says it has no claims yet).
pub fn figure(id: &str, fields: &FigureFields, claim: Option<&str>) -> String {
    let label = fields.label.clone().unwrap_or_else(|| label_from_id(id));
    let unit = fields.unit.as_deref().unwrap_or("people");
    let definition = fields
        .definition
        .as_deref()
        .unwrap_or("Say exactly what is counted: who, where and when.");
    let incidents: Vec<String> = fields.incidents.iter().map(|s| yaml_id(s)).collect();
    format!(
        r#"label: {label}
unit: {unit}
definition: {definition}
scope:
  # window: on the day of the attacks   # free text: the time the figure covers
  # place: …
  # incidents: the ids of the incidents this figure belongs to
  incidents: [{incidents}]
# key: true                             # show it in the overview's key figures
# sum_of: [part-a, part-b]              # this figure is the whole of these figures
# within: [wider-figure]                # the same count over a wider window (this ≤ that)
# best:                                 # override the estimate rule
#   value: 15
#   reason: Why this value is the best estimate.
# updated: 2026-01-31                   # when you last changed this figure (Atom feed)
# claims: each one value (or low and high), qualifier, source, stated_by, quote; optional:
# id, stated_on, rank (preferred | normal | disputed) with rank_reason, supersedes, note.
# Add claims with `sitrep new claim {id} --source … --value … --quote "…"`.
{claims}"#,
        label = yaml_string(&label),
        unit = yaml_string(unit),
        definition = yaml_string(definition),
        incidents = incidents.join(", "),
        claims = match claim {
            Some(claim) => format!("claims:\n{claim}"),
            None => "claims: []   # none yet\n".to_string(),
        },
    )
}
