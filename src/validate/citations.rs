//! Citations in Markdown bodies: unknown ids in `[@…]`, and sources nothing cites.

use super::*;

/// Unknown ids in `[@…]` citations, located in the Markdown body.
pub(super) fn citation_errors(
    origin: &Origin,
    body_offset: usize,
    body: &Body,
    source_ids: &Known,
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
                    .at_offset(&origin.located_text(), body_offset + citation.range.start)
                    .with_span_len(citation.range.len()),
            );
        } else {
            diagnostics.push(
                Diagnostic::error(
                    &origin.file,
                    format!("citation of unknown source `{}`", citation.id),
                )
                .at_offset(&origin.located_text(), body_offset + citation.range.start)
                .with_span_len(citation.range.len())
                .with_hint(suggestion(&citation.id, "source id", source_ids.all())),
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
