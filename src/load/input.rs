//! What the content files contain, as serde reads them: one input type per kind of file
//! (and per nested mapping), with the defaults and spellings files may use, turned into
//! the model's types once read. Unknown fields are errors, and each input type reads
//! under its model type's name, so messages are the same as if the model were read
//! directly.

use std::path::PathBuf;

use serde::{Deserialize, Deserializer};

use crate::model::{
    BestOverride, Claim, Figure, HINT_SEPARATOR, Incident, MarkdownText, Origin, Page, Party,
    PartyKind, Place, Qualifier, Rank, Scope, Source, StatedBy, Timestamp, When, parse_number,
};

/// What a file gives the item it holds beside its fields: its id (the file name), where
/// it came from and, for Markdown files, the body after the front matter.
pub struct FileParts {
    pub id: String,
    pub origin: Origin,
    pub body: MarkdownText,
    pub body_offset: usize,
}

/// A party, as written under its id in `content/parties.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Party")]
pub struct PartyYaml {
    name: String,
    kind: PartyKind,
    #[serde(default, alias = "interested")]
    party_to_conflict: bool,
    #[serde(default)]
    notes: Option<String>,
}

impl PartyYaml {
    /// The party of id `id`.
    pub fn into_party(self, id: String) -> Party {
        Party {
            id,
            name: self.name,
            kind: self.kind,
            party_to_conflict: self.party_to_conflict,
            notes: self.notes,
        }
    }
}

/// A source file (`content/sources/*.yaml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Source")]
pub struct SourceYaml {
    title: String,
    outlet: String,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    published: Option<When>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    archive: Option<PathBuf>,
    #[serde(default)]
    publish_archive: Option<bool>,
    language: String,
    kind: String,
    #[serde(default)]
    notes: Option<String>,
}

impl SourceYaml {
    pub fn into_source(self, file: FileParts) -> Source {
        Source {
            id: file.id,
            origin: file.origin,
            title: self.title,
            outlet: self.outlet,
            author: self.author,
            published: self.published,
            url: self.url,
            archive: self.archive,
            publish_archive: self.publish_archive,
            language: self.language,
            kind: self.kind,
            notes: self.notes,
        }
    }
}

/// An incident file's front matter (`content/incidents/*.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Incident")]
pub struct IncidentYaml {
    title: String,
    date: When,
    place: PlaceYaml,
    category: String,
    outcome: String,
    #[serde(default)]
    outcome_note: Option<String>,
    #[serde(default)]
    actors: Vec<String>,
    sources: Vec<String>,
    #[serde(default)]
    updated: Option<Timestamp>,
}

impl IncidentYaml {
    pub fn into_incident(self, file: FileParts) -> Incident {
        Incident {
            id: file.id,
            origin: file.origin,
            body: file.body,
            body_offset: file.body_offset,
            title: self.title,
            date: self.date,
            place: self.place.into_place(),
            category: self.category,
            outcome: self.outcome,
            outcome_note: self.outcome_note,
            actors: self.actors,
            sources: self.sources,
            updated: self.updated,
        }
    }
}

/// An incident's `place`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Place")]
struct PlaceYaml {
    #[serde(default)]
    district: Option<String>,
    #[serde(default)]
    province: Option<String>,
    country: String,
    #[serde(default)]
    coordinates: Option<[f64; 2]>,
}

impl PlaceYaml {
    fn into_place(self) -> Place {
        Place {
            district: self.district,
            province: self.province,
            country: self.country,
            coordinates: self.coordinates,
        }
    }
}

/// A figure file (`content/figures/*.yaml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Figure")]
pub struct FigureYaml {
    label: String,
    unit: String,
    definition: String,
    #[serde(default)]
    scope: ScopeYaml,
    #[serde(default)]
    key: bool,
    #[serde(default)]
    sum_of: Vec<String>,
    #[serde(default)]
    within: Vec<String>,
    #[serde(default)]
    best: Option<BestYaml>,
    #[serde(default)]
    claims: Vec<ClaimYaml>,
    #[serde(default)]
    updated: Option<Timestamp>,
}

impl FigureYaml {
    pub fn into_figure(self, file: FileParts) -> Figure {
        Figure {
            id: file.id,
            origin: file.origin,
            label: self.label,
            unit: self.unit,
            definition: self.definition,
            scope: Scope {
                window: self.scope.window,
                place: self.scope.place,
                incidents: self.scope.incidents,
            },
            key: self.key,
            sum_of: self.sum_of,
            within: self.within,
            best: self.best.map(|best| BestOverride {
                value: best.value,
                reason: best.reason,
            }),
            claims: self.claims.into_iter().map(ClaimYaml::into_claim).collect(),
            updated: self.updated,
        }
    }
}

/// A figure's `scope`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scope")]
struct ScopeYaml {
    #[serde(default)]
    window: Option<String>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    incidents: Vec<String>,
}

/// A figure's `best`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "BestOverride")]
struct BestYaml {
    #[serde(deserialize_with = "number")]
    value: f64,
    reason: String,
}

/// One of a figure's `claims`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Claim")]
struct ClaimYaml {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, deserialize_with = "some_number")]
    value: Option<f64>,
    #[serde(default, deserialize_with = "some_number")]
    low: Option<f64>,
    #[serde(default, deserialize_with = "some_number")]
    high: Option<f64>,
    qualifier: Qualifier,
    source: String,
    stated_by: StatedByYaml,
    #[serde(default)]
    stated_on: Option<When>,
    quote: String,
    #[serde(default = "normal_rank")]
    rank: Rank,
    #[serde(default)]
    rank_reason: Option<String>,
    #[serde(default)]
    supersedes: Option<String>,
    #[serde(default)]
    replaces: Option<String>,
    #[serde(default)]
    replaces_reason: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

fn normal_rank() -> Rank {
    Rank::Normal
}

impl ClaimYaml {
    fn into_claim(self) -> Claim {
        Claim {
            id: self.id,
            value: self.value,
            low: self.low,
            high: self.high,
            qualifier: self.qualifier,
            source: self.source,
            stated_by: StatedBy {
                party: self.stated_by.party,
                person: self.stated_by.person,
                role: self.stated_by.role,
            },
            stated_on: self.stated_on,
            quote: self.quote,
            rank: self.rank,
            rank_reason: self.rank_reason,
            supersedes: self.supersedes,
            replaces: self.replaces,
            replaces_reason: self.replaces_reason,
            note: self.note,
        }
    }
}

/// A claim's `stated_by`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "StatedBy")]
struct StatedByYaml {
    party: String,
    #[serde(default)]
    person: Option<String>,
    #[serde(default)]
    role: Option<String>,
}

/// A free page's front matter (`content/*.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Page")]
pub struct PageYaml {
    title: String,
    #[serde(default)]
    order: Option<i64>,
    #[serde(default)]
    description: Option<String>,
}

impl PageYaml {
    pub fn into_page(self, file: FileParts) -> Page {
        Page {
            id: file.id,
            origin: file.origin,
            body: file.body,
            body_offset: file.body_offset,
            title: self.title,
            order: self.order,
            description: self.description,
        }
    }
}

/// A number: a YAML number, or a string with digit groups (see
/// [`crate::model::parse_number`]).
fn number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    use serde::de::Error;
    match serde_yaml::Value::deserialize(d)? {
        serde_yaml::Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| D::Error::custom(format!("`{n}` is not a number"))),
        serde_yaml::Value::String(t) => parse_number(&t).map_err(D::Error::custom),
        other => Err(D::Error::custom(format!(
            "expected a number, found {}{HINT_SEPARATOR}write the number alone, e.g. `value: 13000`",
            match other {
                serde_yaml::Value::Null => "nothing",
                serde_yaml::Value::Bool(_) => "true or false",
                serde_yaml::Value::Sequence(_) => "a list",
                _ => "a mapping",
            }
        ))),
    }
}

fn some_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    number(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_values_accept_digit_groups() {
        let claim: ClaimYaml = serde_yaml::from_str(
            "value: \"13,000\"\nqualifier: about\nsource: s\nstated_by: {party: p}\nquote: q\n",
        )
        .unwrap();
        assert_eq!(claim.into_claim().value, Some(13000.0));
    }

    #[test]
    fn errors_name_the_model_type() {
        let err = serde_yaml::from_str::<IncidentYaml>("place: 3\n").unwrap_err();
        assert!(err.to_string().contains("expected struct Place"), "{err}");
    }
}
