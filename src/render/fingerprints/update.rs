//! Fingerprints brought up to date after an edit of a few items ([`Fingerprints::update`]):
//! only the prints the edit can change are made again (the edited items', and the
//! relations, months, facts and browse values that read them), and the inputs whose
//! prints changed are found on the way instead of by comparing every print.

use std::collections::{BTreeMap, BTreeSet};

use super::changed::nested_changes;
use super::split::Month;
use super::{FACTS, Fingerprints, Input, SiteFact, item_prints};
use crate::facets::Facet;
use crate::model::{FigureIx, IncidentIx, SourceIx};
use crate::site::Site;

/// What changed in a site since its fingerprints were taken: a few items, and what the
/// change of those items changed beside them.
#[derive(Debug, Clone, Copy)]
pub struct Edit<'a> {
    /// Incidents whose file changed.
    pub incidents: &'a BTreeSet<IncidentIx>,
    /// Figures whose item or analysis changed.
    pub figures: &'a BTreeSet<FigureIx>,
    /// The index was built again (relations, citations, the order of incidents and
    /// sources, the matrix pages).
    pub index: bool,
    /// An incident moved in the time order.
    pub order: bool,
    /// The browse table changed (built again, or an incident moved in its lists).
    pub browse: bool,
    /// The consistency checks changed.
    pub checks: bool,
}

/// How the consistency checks changed.
enum Checks {
    Same,
    /// Those at these positions changed, each still of the same figure.
    Changed(Vec<usize>),
    /// Checks came or went, or are of other figures.
    Moved,
}

/// Which kinds of item prints the edited items changed.
#[derive(Default)]
struct ItemChanges {
    front: bool,
    file: bool,
    feed: bool,
    figure: bool,
    summary: bool,
    claims: bool,
    /// The months whose timeline entries an edited item was or is listed under.
    months: BTreeSet<Month>,
    /// The figures whose summary changed.
    summaries: BTreeSet<FigureIx>,
}

impl Fingerprints {
    /// Brings these fingerprints of `site` up to date after `edit` (nothing else changed:
    /// the sets of items, sources, parties and pages are the same), and returns the
    /// inputs whose prints changed, as [`Fingerprints::changed`] would find them against
    /// the fingerprints as they were.
    pub fn update(&mut self, site: &Site, edit: &Edit) -> Vec<Input> {
        #[cfg(debug_assertions)]
        let before = self.clone();
        let mut changed = Vec::new();
        let items = self.update_items(site, edit, &mut changed);
        crate::timings::lap("prints: items");
        if edit.index {
            self.update_relations(site, &mut changed);
        }
        let mut checks = Checks::Same;
        if edit.checks {
            checks = self.changed_checks(site);
            self.refresh_checks(site);
        }
        crate::timings::lap("prints: relations");
        if edit.browse {
            let (terms, facets) = (self.browse_terms.clone(), self.browse_facets.clone());
            self.refresh_browse(site);
            let term = |n: usize, t| Input::BrowseTerm(Facet::ALL[n], t);
            nested_changes(&terms, &self.browse_terms, term, &mut changed);
            for (n, &facet) in Facet::ALL.iter().enumerate() {
                if facets.get(n) != self.browse_facets.get(n) {
                    changed.push(Input::BrowseFacet(facet));
                }
            }
        }
        crate::timings::lap("prints: browse");
        for (n, fact) in FACTS.into_iter().enumerate() {
            if may_change(fact, &items, edit) {
                let print = self.fact(site, fact);
                if print != self.facts[n] {
                    self.facts[n] = print;
                    changed.push(Input::Fact(fact));
                }
            }
        }
        crate::timings::lap("prints: facts");
        self.update_months(site, edit.index, &checks, &items, &mut changed);
        crate::timings::lap("prints: months");
        #[cfg(debug_assertions)]
        self.assert_updated(site, &before, &changed);
        changed
    }

    /// Makes the prints of the edited items again; notes which inputs and which kinds of
    /// prints changed.
    fn update_items(&mut self, site: &Site, edit: &Edit, changed: &mut Vec<Input>) -> ItemChanges {
        let mut ch = ItemChanges::default();
        let (incidents, figures) = item_prints(site, edit.incidents, edit.figures);
        for (i, prints) in incidents {
            let n = i.get();
            if put(&mut self.incident_front[n], prints.front) {
                ch.front = true;
                changed.push(Input::IncidentFront(i));
            }
            if put(&mut self.incident_file[n], prints.file) {
                ch.file = true;
                changed.push(Input::IncidentFile(i));
            }
            ch.feed |= put(&mut self.incident_feed[n], prints.feed);
            ch.months.insert(self.incident_month[n]);
            ch.months.insert(prints.month);
            self.incident_month[n] = prints.month;
        }
        for (f, prints) in figures {
            let n = f.get();
            if put(&mut self.figure[n], prints.figure) {
                ch.figure = true;
                changed.push(Input::Figure(f));
            }
            if put(&mut self.figure_summary[n], prints.summary) {
                ch.summary = true;
                ch.summaries.insert(f);
                changed.push(Input::FigureSummary(f));
            }
            ch.feed |= put(&mut self.figure_feed[n], prints.feed);
            let (old, new) = (&self.claims[n], &prints.claims);
            for c in 0..old.len().max(new.len()) {
                if old.get(c) != new.get(c) {
                    ch.claims = true;
                    changed.push(Input::Claim(f, c));
                }
            }
            self.claims[n] = prints.claims;
            let months = self.claim_months[n].iter().chain(&prints.months);
            ch.months.extend(months.flatten());
            self.claim_months[n] = prints.months;
        }
        ch
    }

    /// Makes the prints of every relation and citation again (after the index was built
    /// again).
    fn update_relations(&mut self, site: &Site, changed: &mut Vec<Input>) {
        let old = (
            std::mem::take(&mut self.incident_figures),
            std::mem::take(&mut self.figure_relations),
            std::mem::take(&mut self.source_summary),
            std::mem::take(&mut self.source_citations),
        );
        self.refresh_relations(site);
        let mut compare = |old: &[u64], new: &[u64], input: fn(usize) -> Input| {
            let len = old.len().max(new.len());
            changed.extend((0..len).filter(|&n| old.get(n) != new.get(n)).map(input));
        };
        compare(&old.0, &self.incident_figures, |i| {
            Input::IncidentFigures(IncidentIx::new(i))
        });
        compare(&old.1, &self.figure_relations, |f| {
            Input::FigureRelations(FigureIx::new(f))
        });
        compare(&old.2, &self.source_summary, |s| {
            Input::SourceSummary(SourceIx::new(s))
        });
        compare(&old.3, &self.source_citations, |s| {
            Input::SourceCitations(SourceIx::new(s))
        });
    }

    /// How the checks of `site` differ from the kept ones.
    fn changed_checks(&self, site: &Site) -> Checks {
        let new = &site.analysis.checks;
        let moved = self.checks.len() != new.len()
            || (self.checks.iter().zip(new)).any(|((old, _), new)| old.figure() != new.figure());
        if moved {
            return Checks::Moved;
        }
        let changed = (self.checks.iter().zip(new).enumerate())
            .filter(|(_, ((old, _), new))| old != *new)
            .map(|(n, _)| n);
        Checks::Changed(changed.collect())
    }

    /// Makes again the prints of the timeline months the edited items were or are listed
    /// under, and of the check months: all of them when the index changed or checks came,
    /// went or moved to other figures, else those listing a check that changed or a check
    /// of a figure whose summary changed.
    fn update_months(
        &mut self,
        site: &Site,
        index: bool,
        checks: &Checks,
        items: &ItemChanges,
        changed: &mut Vec<Input>,
    ) {
        let months = &items.months;
        let fresh = self.timeline_month_prints(site, |m| months.contains(&m));
        replace_months(&mut self.timeline_months, months, fresh, |m| {
            changed.push(Input::TimelineMonth(m))
        });
        let months: BTreeSet<Month> = match checks {
            Checks::Moved => self.all_check_months(site),
            _ if index => self.all_check_months(site),
            Checks::Same | Checks::Changed(_) => {
                let edited = match checks {
                    Checks::Changed(edited) => edited.as_slice(),
                    _ => &[],
                };
                let months = edited.iter().map(|&n| self.check_month[n]);
                let of_summaries = (self.checks.iter().zip(&self.check_month))
                    .filter(|(check, _)| {
                        (check.0.figures().iter()).any(|f| items.summaries.contains(f))
                    })
                    .map(|(_, &month)| month);
                months.chain(of_summaries).collect()
            }
        };
        if months.is_empty() {
            return;
        }
        let fresh = self.check_month_prints(|m| months.contains(&m));
        replace_months(&mut self.check_months, &months, fresh, |m| {
            changed.push(Input::CheckMonth(m))
        });
    }

    /// Finds the month of every check again; returns every month a check was or is in.
    fn all_check_months(&mut self, site: &Site) -> BTreeSet<Month> {
        self.refresh_check_month(site);
        (self.check_months.keys().copied())
            .chain(self.check_month.iter().copied())
            .collect()
    }

    /// Checks (in debug builds, so every test does) that the prints are those of `site`
    /// made anew, and `changed` what comparing them with `before` finds.
    #[cfg(debug_assertions)]
    fn assert_updated(&self, site: &Site, before: &Fingerprints, changed: &[Input]) {
        assert!(*self == Fingerprints::of(site), "prints updated wrongly");
        let mut found = changed.to_vec();
        let mut expected = before.changed(self);
        found.sort_unstable();
        found.dedup();
        expected.sort_unstable();
        assert_eq!(found, expected, "changed inputs");
    }
}

/// Puts `print` in `slot`; whether it differs from the print it replaces.
fn put<T: PartialEq + Copy>(slot: &mut T, print: T) -> bool {
    std::mem::replace(slot, print) != print
}

/// Puts the `fresh` prints of `months` into `prints` (a month without entries has none),
/// calling `changed` with each month whose print changed.
fn replace_months(
    prints: &mut BTreeMap<Month, u64>,
    months: &BTreeSet<Month>,
    mut fresh: BTreeMap<Month, u64>,
    mut changed: impl FnMut(Month),
) {
    for &month in months {
        let new = fresh.remove(&month);
        if prints.get(&month) != new.as_ref() {
            changed(month);
        }
        match new {
            Some(print) => prints.insert(month, print),
            None => prints.remove(&month),
        };
    }
}

/// Whether `fact` may have changed after `edit`, of whose items `items` changed: whether
/// any print it is made of was made again and changed.
fn may_change(fact: SiteFact, items: &ItemChanges, edit: &Edit) -> bool {
    let order = edit.index || edit.order;
    match fact {
        SiteFact::Incidents => items.front || order,
        SiteFact::Figures => items.figure,
        SiteFact::FigureSummaries => items.summary,
        SiteFact::Claims => items.claims,
        SiteFact::SourceSummaries | SiteFact::MatrixPages => edit.index,
        SiteFact::Checks => edit.checks,
        SiteFact::Updated | SiteFact::Feed => items.feed,
        SiteFact::Searchable => items.file || items.figure,
        SiteFact::IncidentOrder => order,
        SiteFact::Browse => edit.browse,
    }
}
