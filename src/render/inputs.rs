//! Declared inputs: the things an output file reads.
//!
//! Every page kind says, beside the code that renders it, which [`Input`]s it reads (the
//! `inputs` functions in `pages/`, `exports.rs` and `feeds.rs`; `input_map::of_job`
//! dispatches to them): an item's group of fields, a relation between items, or a
//! site-wide fact. Every output file also reads the site's settings (`site.toml`, the
//! vocabulary, the navigation, the templates and the theme); a change to those re-renders
//! everything, so they are not listed. `fingerprints.rs` hashes what each input stands
//! for; `input_map.rs` turns the declarations into "input → output files".

use super::split::Month;
use crate::facets::Facet;
use crate::model::{FigureIx, IncidentIx, PageIx, SourceIx};

/// Something an output file reads. Indices are those of the site the file is rendered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    /// An incident's front matter: everything of it but the body (lists, timeline, links).
    IncidentFront(IncidentIx),
    /// An incident's whole file, body included: its own page.
    IncidentFile(IncidentIx),
    /// The figures whose scope lists an incident (`Lookups::figures_of_incident`).
    IncidentFigures(IncidentIx),
    /// A figure's file, its analysis, its quote statuses and its checks: its own page.
    Figure(FigureIx),
    /// A figure as lists show it ([`FigureSummary`]).
    FigureSummary(FigureIx),
    /// The figures that list a figure in `sum_of` or `within` (`wholes_of`, `narrower_of`).
    FigureRelations(FigureIx),
    /// Claim `c` of figure `f` as pages show it ([`ClaimCtx`], and its `stated_on`).
    Claim(FigureIx, usize),
    /// A source's file and whether its archive can be read: its own page.
    Source(SourceIx),
    /// A source's archived text, as its archive page shows it.
    ArchiveText(SourceIx),
    /// A source as lists show it (`SourceSummary`: its file and how many cite it).
    SourceSummary(SourceIx),
    /// The claims and the incidents that cite a source.
    SourceCitations(SourceIx),
    /// The parties (`parties.yaml`).
    Parties,
    /// A content page's file.
    Page(PageIx),
    /// What a browse page shows of value `t` of a facet (`crate::facets::Term`): its
    /// name, file name, the places above and in it, and its incidents and claims.
    BrowseTerm(Facet, usize),
    /// A facet's values as lists show them: names, file names, depths and counts.
    BrowseFacet(Facet),
    /// The timeline's entries in a month, in order: the front matter of its incidents and
    /// its dated claims (with their figures).
    TimelineMonth(Month),
    /// The consistency checks listed under a month, with the summaries of their figures.
    CheckMonth(Month),
    /// A site-wide fact.
    Fact(SiteFact),
}

impl Input {
    /// The index of the one item this input is of (`None` for claims and inputs of the
    /// whole site).
    pub fn item(self) -> Option<usize> {
        match self {
            Input::IncidentFront(i) | Input::IncidentFile(i) | Input::IncidentFigures(i) => {
                Some(i.get())
            }
            Input::Figure(f) | Input::FigureSummary(f) | Input::FigureRelations(f) => Some(f.get()),
            Input::BrowseTerm(_, n) => Some(n),
            Input::Source(s)
            | Input::SourceSummary(s)
            | Input::SourceCitations(s)
            | Input::ArchiveText(s) => Some(s.get()),
            Input::Page(p) => Some(p.get()),
            Input::Claim(..)
            | Input::Parties
            | Input::BrowseFacet(_)
            | Input::TimelineMonth(_)
            | Input::CheckMonth(_)
            | Input::Fact(_) => None,
        }
    }
}

/// A fact about the whole site, made of every item's fingerprints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SiteFact {
    /// Every incident's front matter, and the incidents' time order.
    Incidents,
    /// Every figure (as [`Input::Figure`]).
    Figures,
    /// Every figure summary.
    FigureSummaries,
    /// Every claim.
    Claims,
    /// Every source summary, and the sources' order by date.
    SourceSummaries,
    /// Every consistency check.
    Checks,
    /// Every incident's and figure's `updated`.
    Updated,
    /// What the feed shows of each incident and figure in it.
    Feed,
    /// Everything the search index holds: every incident's file, every figure and every
    /// source.
    Searchable,
    /// The incidents' time order, and how many have calendar dates (the order of the
    /// search index's documents).
    IncidentOrder,
    /// The figures on each page of the matrix (`split::matrix_pages`).
    MatrixPages,
    /// The browse table: every facet's values, and the incidents and claims each lists.
    Browse,
}

pub(super) const FACTS: [SiteFact; 12] = [
    SiteFact::Incidents,
    SiteFact::Figures,
    SiteFact::FigureSummaries,
    SiteFact::Claims,
    SiteFact::SourceSummaries,
    SiteFact::Checks,
    SiteFact::Updated,
    SiteFact::Feed,
    SiteFact::Searchable,
    SiteFact::IncidentOrder,
    SiteFact::MatrixPages,
    SiteFact::Browse,
];
