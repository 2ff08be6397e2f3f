//! Incident pages.

use serde::Serialize;
use tera::Value;

use super::PageData;
use crate::markdown::{self, INCIDENT_ROOT, SourceTitles};
use crate::model::IncidentIx;
use crate::render::context::*;
use crate::render::inputs::Input;
use crate::render::shared::{Shared, with_entry};
use crate::site::Site;

#[derive(Serialize)]
struct IncidentCtx {
    id: String,
    title: String,
    date: DateCtx,
    place: String,
    coordinates: Option<String>,
    category: String,
    outcome: String,
    outcome_note: Option<String>,
    actors: Vec<String>,
    body: String,
}

pub(super) fn incident(site: &Site, shared: &Shared, i: IncidentIx) -> PageData {
    let incident = &site.briefing.incidents[i];
    let figures: Vec<Value> = site.index.figures_of_incident[i]
        .iter()
        .map(|&f| {
            with_entry(
                shared.figure(site, f),
                "claims",
                shared.claims_of_figure(site, f),
            )
        })
        .collect();
    let sources: Vec<Value> = (site.index.sources_of_incident[i].iter())
        .map(|&s| shared.source(site, s))
        .collect();
    let ctx = IncidentCtx {
        id: incident.id.clone(),
        title: incident.title.clone(),
        date: DateCtx::new(&incident.date),
        place: incident.place.to_string(),
        coordinates: incident
            .place
            .coordinates
            .map(|[lat, lon]| format!("{lat:.4}, {lon:.4}")),
        category: incident.category.clone(),
        outcome: outcome_word(site, &incident.outcome),
        outcome_note: incident.outcome_note.clone(),
        actors: incident.actors.clone(),
        body: markdown::render(
            &site.incident_body(i),
            INCIDENT_ROOT,
            &SourceTitles::new(&site.briefing),
            site.config.allow_remote_images,
        ),
    };
    let mut data = PageData::new(
        "incident.html",
        &incident.title,
        site.bodies.incident(i).summary(160),
    );
    data.room = ctx.body.len();
    data.with("incident", ctx)
        .with_value("figures", Value::from(figures))
        .with_value("sources", Value::from(sources))
}

/// What [`incident`] reads: the incident's file, the figures scoped to it (summaries and
/// claims), the sources it lists and those its body cites.
pub(super) fn inputs(site: &Site, i: IncidentIx) -> Vec<Input> {
    let b = &site.briefing;
    let mut inputs = vec![Input::IncidentFile(i), Input::IncidentFigures(i)];
    for &f in &site.index.figures_of_incident[i] {
        inputs.push(Input::FigureSummary(f));
        inputs.extend((0..b.figures[f].claims.len()).map(|c| Input::Claim(f, c)));
    }
    let listed = site.index.sources_of_incident[i].iter();
    inputs.extend(listed.map(|&s| Input::SourceSummary(s)));
    inputs.extend(super::cited_sources(site, site.bodies.incident(i)));
    inputs
}
