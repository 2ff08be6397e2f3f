//! Which inputs changed between two sites: their fingerprints compared item by item, value
//! by value, month by month and fact by fact.

use std::collections::BTreeSet;

use super::Fingerprints;
use crate::facets::Facet;
use crate::model::{FigureIx, Ix};
use crate::render::inputs::{FACTS, Input};
use crate::render::split::Month;

impl Fingerprints {
    /// The inputs whose fingerprints differ between `self` and `new` (fingerprints of sites
    /// with the same items).
    pub fn changed(&self, new: &Fingerprints) -> Vec<Input> {
        let mut changed = Vec::new();
        self.item_changes(new, &mut changed);
        let claim = |f, c| Input::Claim(FigureIx::new(f), c);
        nested_changes(&self.claims, &new.claims, claim, &mut changed);
        let term = |n: usize, t| Input::BrowseTerm(Facet::ALL[n], t);
        nested_changes(&self.browse_terms, &new.browse_terms, term, &mut changed);
        for (n, &facet) in Facet::ALL.iter().enumerate() {
            if self.browse_facets.get(n) != new.browse_facets.get(n) {
                changed.push(Input::BrowseFacet(facet));
            }
        }
        for (old, new, input) in [
            (
                &self.timeline_months,
                &new.timeline_months,
                Input::TimelineMonth as fn(Month) -> Input,
            ),
            (&self.check_months, &new.check_months, Input::CheckMonth),
        ] {
            let months: BTreeSet<&Month> = old.keys().chain(new.keys()).collect();
            changed.extend(
                (months.into_iter())
                    .filter(|m| old.get(m) != new.get(m))
                    .map(|&m| input(m)),
            );
        }
        if self.parties != new.parties {
            changed.push(Input::Parties);
        }
        for (n, fact) in FACTS.into_iter().enumerate() {
            if self.facts[n] != new.facts[n] {
                changed.push(Input::Fact(fact));
            }
        }
        changed
    }

    /// Adds to `c` the inputs of one incident, figure, source or page whose prints differ.
    fn item_changes(&self, new: &Fingerprints, c: &mut Vec<Input>) {
        compare(
            &self.incident_front,
            &new.incident_front,
            Input::IncidentFront,
            c,
        );
        compare(
            &self.incident_file,
            &new.incident_file,
            Input::IncidentFile,
            c,
        );
        compare(
            &self.incident_figures,
            &new.incident_figures,
            Input::IncidentFigures,
            c,
        );
        compare(&self.figure, &new.figure, Input::Figure, c);
        compare(
            &self.figure_summary,
            &new.figure_summary,
            Input::FigureSummary,
            c,
        );
        compare(
            &self.figure_relations,
            &new.figure_relations,
            Input::FigureRelations,
            c,
        );
        compare(&self.source, &new.source, Input::Source, c);
        compare(&self.archive_text, &new.archive_text, Input::ArchiveText, c);
        compare(
            &self.source_summary,
            &new.source_summary,
            Input::SourceSummary,
            c,
        );
        compare(
            &self.source_citations,
            &new.source_citations,
            Input::SourceCitations,
            c,
        );
        compare(&self.pages, &new.pages, Input::Page, c);
    }
}

/// Adds to `changed` the input (of item type `I`) of each position whose print differs
/// between `old` and `new`.
fn compare<I: Ix>(old: &[u64], new: &[u64], input: fn(I) -> Input, changed: &mut Vec<Input>) {
    let len = old.len().max(new.len());
    let differ = (0..len).filter(|&n| old.get(n) != new.get(n));
    changed.extend(differ.map(|n| input(I::from_usize(n))));
}

/// Pushes `input(n, m)` for each position `m` of list `n` where `old` and `new` differ.
pub(super) fn nested_changes(
    old: &[Vec<u64>],
    new: &[Vec<u64>],
    input: impl Fn(usize, usize) -> Input,
    changed: &mut Vec<Input>,
) {
    for n in 0..old.len().max(new.len()) {
        let (old, new) = (old.get(n), new.get(n));
        let len = old.map_or(0, Vec::len).max(new.map_or(0, Vec::len));
        for m in 0..len {
            if old.and_then(|o| o.get(m)) != new.and_then(|v| v.get(m)) {
                changed.push(input(n, m));
            }
        }
    }
}
