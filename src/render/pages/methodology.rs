//! The methodology page: the estimate rules and flags, around the site's own text.

use serde::Serialize;

use super::{PageData, page_html, page_inputs};
use crate::analyse::qualifiers::{self, TOLERANCE};
use crate::analyse::{EstimateRule, Flag};
use crate::model::PageIx;
use crate::render::METHODOLOGY_PAGE;
use crate::render::context::{self, *};
use crate::render::inputs::Input;
use crate::site::Site;

#[derive(Serialize)]
struct RuleCtx {
    name: &'static str,
    description: &'static str,
    active: bool,
}

pub(super) fn methodology(site: &Site) -> PageData {
    let page = site
        .briefing
        .pages
        .iter()
        .position(|p| p.id == METHODOLOGY_PAGE);
    let title = page.map_or("Methodology".to_string(), |p| {
        site.briefing.pages[PageIx::new(p)].title.clone()
    });
    let flags: Vec<FlagCtx> = context::flags(
        &site.vocabulary,
        &[
            Flag::SourcesDisagree,
            Flag::CountChangedOverTime,
            Flag::SingleSource,
            Flag::OnlyConflictParties,
            Flag::OnlyVagueWording,
            Flag::BreakdownDoesNotAddUp,
            Flag::WindowsDoNotNest,
        ],
    );
    let (rules, wordings) = site.analysis.wordings.table();
    PageData::new(
        "methodology.html",
        title,
        "How figures are read, bounded, estimated and checked.",
    )
    .with("body", page.map(|p| page_html(site, PageIx::new(p))))
    .with("qualifiers", wordings)
    .with("wording_rules", rules)
    .with(
        "tolerance_percent",
        qualifiers::format_number((TOLERANCE * 100.0).round()),
    )
    .with(
        "rules",
        EstimateRule::ALL
            .iter()
            .map(|r| RuleCtx {
                name: r.name(),
                description: r.description(),
                active: *r == site.analysis.rule,
            })
            .collect::<Vec<_>>(),
    )
    .with("flags", flags)
}

/// What [`methodology`] reads besides the settings (rules, wordings, vocabulary): the
/// methodology page's own text, if there is one.
pub(super) fn inputs(site: &Site) -> Vec<Input> {
    let page = (site.briefing.pages.iter()).position(|p| p.id == METHODOLOGY_PAGE);
    page.into_iter()
        .flat_map(|p| page_inputs(site, PageIx::new(p)))
        .collect()
}
