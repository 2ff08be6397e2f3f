//! Source pages.

use serde::Serialize;
use tera::Value;

use super::PageData;
use crate::model::SourceIx;
use crate::render::context::*;
use crate::render::inputs::Input;
use crate::render::rows::IncidentList;
use crate::render::shared::Shared;
use crate::site::Site;

#[derive(Serialize)]
struct SourceCtx {
    id: String,
    title: String,
    outlet: String,
    author: Option<String>,
    published: Option<DateCtx>,
    url: Option<String>,
    archive: Option<String>,
    archived: bool,
    /// The archive page, when the archived text is published.
    archive_page: Option<String>,
    language: String,
    kind: String,
    notes: Option<String>,
}

pub(super) fn source(site: &Site, shared: &Shared, s: SourceIx) -> PageData {
    let source = &site.briefing.sources[s];
    let ctx = SourceCtx {
        id: source.id.clone(),
        title: source.title.clone(),
        outlet: source.outlet.clone(),
        author: source.author.clone(),
        published: source.published.as_ref().map(DateCtx::new),
        url: source
            .url
            .as_ref()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .cloned(),
        archive: source.archive.as_ref().map(|p| p.display().to_string()),
        archived: site.validation.archived.get(s).copied().unwrap_or(false),
        archive_page: site.publishes_archive(s).then(|| archive_url(&source.id)),
        language: source.language.clone(),
        kind: source.kind.clone(),
        notes: source.notes.clone(),
    };
    let claims: Vec<Value> = site.index.claims_of_source[s]
        .iter()
        .map(|&(f, c)| shared.claim(site, f, c))
        .collect();
    let incidents: Vec<Value> = site.index.incidents_of_source[s]
        .iter()
        .map(|&i| shared.incident(site, i))
        .collect();
    PageData::new(
        "source.html",
        &source.title,
        format!(
            "What {} ({}) reports: every claim and incident it supports.",
            source.id, source.outlet
        ),
    )
    .with("source", ctx)
    .with_value("claims", Value::from(claims))
    .with_value("incidents", Value::from(incidents))
    .with_incident_list(IncidentList::OfSource(s))
}

/// What [`source`] reads: the source's file, the claims and incidents that cite it.
pub(super) fn inputs(site: &Site, s: SourceIx) -> Vec<Input> {
    let mut inputs = vec![Input::Source(s), Input::SourceCitations(s)];
    let claims = site.index.claims_of_source[s].iter();
    inputs.extend(claims.map(|&(f, c)| Input::Claim(f, c)));
    let incidents = site.index.incidents_of_source[s].iter();
    inputs.extend(incidents.map(|&i| Input::IncidentFront(i)));
    inputs
}
