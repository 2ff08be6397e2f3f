//! Archive pages (`archive/<source>.html`): a source's archived text, published when the
//! site opts in (`publish_archive`, see [`Site::publishes_archive`]), with every quoted
//! passage highlighted and linked to the claims quoting it (`render/passages.rs`).

use serde::Serialize;
use tera::Value;

use super::PageData;
use crate::model::SourceIx;
use crate::render::context::*;
use crate::render::inputs::Input;
use crate::render::passages::{Quoting, highlight};
use crate::render::shared::Shared;
use crate::site::Site;
use crate::validate::QuoteStatus;

/// Archive pages are one folder deep: links from their text to other pages start here.
const ROOT: &str = "../";

#[derive(Serialize)]
struct ArchiveCtx {
    id: String,
    title: String,
    outlet: String,
    /// The source's page.
    url: String,
    /// The archive file, as the source names it.
    archive: String,
    /// The text, escaped, with its passages highlighted.
    text_html: String,
    passages: usize,
}

pub(super) fn archive(site: &Site, shared: &Shared, s: SourceIx) -> PageData {
    let source = &site.briefing.sources[s];
    let claims = &site.index.claims_of_source[s];
    let quoting: Vec<Quoting> = (claims.iter())
        .filter(|&&(f, c)| site.validation.quotes[f][c] == QuoteStatus::Verified)
        .map(|&(f, c)| {
            let figure = &site.briefing.figures[f];
            let claim = &figure.claims[c];
            Quoting {
                quote: &claim.quote,
                href: format!(
                    "{ROOT}{}#{}",
                    figure_url(&figure.id),
                    claim_anchor(claim, c)
                ),
                label: format!("{}: {}", figure.label, worded(site, claim)),
            }
        })
        .collect();
    let text = (site.validation.archives.get(s).and_then(Option::as_ref))
        .map_or("", |archive| archive.readable.as_str());
    let highlighted = highlight(text, &quoting);
    let ctx = ArchiveCtx {
        id: source.id.clone(),
        title: source.title.clone(),
        outlet: source.outlet.clone(),
        url: source_url(&source.id),
        archive: (source.archive.as_ref()).map_or_else(String::new, |p| p.display().to_string()),
        text_html: highlighted.html,
        passages: highlighted.passages,
    };
    let claims: Vec<Value> = claims
        .iter()
        .map(|&(f, c)| shared.claim(site, f, c))
        .collect();
    PageData::new(
        "archive.html",
        format!("Archived text: {}", source.title),
        format!(
            "The archived text of {} ({}) with the passages claims quote highlighted.",
            source.id, source.outlet
        ),
    )
    .with("source", ctx)
    .with_value("claims", Value::from(claims))
}

/// What [`archive`] reads: the source's file, its archived text, and the claims quoting
/// it (their quotes, values and figures).
pub(super) fn inputs(site: &Site, s: SourceIx) -> Vec<Input> {
    let mut inputs = vec![
        Input::Source(s),
        Input::ArchiveText(s),
        Input::SourceCitations(s),
    ];
    let claims = site.index.claims_of_source[s].iter();
    inputs.extend(claims.map(|&(f, c)| Input::Claim(f, c)));
    inputs
}
