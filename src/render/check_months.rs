//! The consistency checks by month, for the checks listing when it is split by month
//! (`split.rs`): each figure's month (that of its checks) and each month's checks, failed
//! ones first. `render::rows` keeps them, so that the month index and each month's pages
//! are put together from them rather than each finding every check's month again.
//!
//! Like the timeline's order, they are brought up to date after an edit, not made anew:
//! the inputs a figure's month reads are its file (its scope, [`Input::Figure`]) and the
//! dates of the incidents in its scope ([`Input::IncidentFront`]), so only the months of
//! the figures given or about the incidents given are found again; the checks are grouped
//! again only when one of those months moved or the checks changed
//! (`SiteFact::Checks`).

use std::collections::{BTreeMap, BTreeSet};

use super::inputs::{Input, SiteFact};
use super::split::{self, Month, MonthCounts};
use crate::model::{FigureIx, IncidentIx, IxVec};
use crate::site::Site;

/// The checks listed under one month.
#[derive(Debug, Default)]
pub(super) struct MonthChecks {
    /// Positions in `Analysis::checks`: failed ones first, then in the analysis's order.
    pub(super) checks: Vec<usize>,
    /// How many of them failed.
    pub(super) failed: usize,
}

/// Each figure's month and the checks by month, once made, and what changed since.
#[derive(Debug, Default)]
pub(super) struct CheckMonths {
    figure_months: Option<IxVec<FigureIx, Month>>,
    /// Figures whose month is to be found again.
    figures: BTreeSet<FigureIx>,
    /// Incidents whose dates changed: the months of the figures about them are to be
    /// found again.
    incidents: BTreeSet<IncidentIx>,
    months: Option<BTreeMap<Month, MonthChecks>>,
}

impl CheckMonths {
    /// Notes the figures and incidents in `changed`, and forgets the grouping if the checks
    /// changed.
    pub(super) fn forget(&mut self, changed: &[Input]) {
        for &input in changed {
            match input {
                Input::Figure(f) => {
                    self.figures.insert(f);
                }
                Input::IncidentFront(i) => {
                    self.incidents.insert(i);
                }
                Input::Fact(SiteFact::Checks) => self.months = None,
                _ => {}
            }
        }
    }

    /// The checks of each month with any, brought up to date with `site`.
    pub(super) fn months(&mut self, site: &Site) -> &BTreeMap<Month, MonthChecks> {
        let figures = site.briefing.figures.len();
        let mut changed = std::mem::take(&mut self.figures);
        for i in std::mem::take(&mut self.incidents) {
            let about = site.index.figures_of_incident.get(i).into_iter().flatten();
            changed.extend(about.copied());
        }
        // Months of another site's figures are of no use (a rebuilder makes new rows when
        // figures come or go; this is only a safeguard).
        let of_site = |months: &IxVec<FigureIx, Month>| {
            months.len() == figures && changed.last().is_none_or(|f| f.get() < figures)
        };
        let figure_months = match &mut self.figure_months {
            Some(months) if of_site(months) => {
                for &f in &changed {
                    let month = split::figure_month(site, f);
                    if months[f] != month {
                        months[f] = month;
                        self.months = None;
                    }
                }
                months
            }
            _ => {
                self.months = None;
                let all = FigureIx::all(figures).map(|f| split::figure_month(site, f));
                self.figure_months.insert(all.collect())
            }
        };
        self.months
            .get_or_insert_with(|| group(site, figure_months))
    }

    /// How many checks each month lists, and how many of them failed (months without a
    /// failed check left out).
    pub(super) fn counts(&mut self, site: &Site) -> (MonthCounts, MonthCounts) {
        let months = self.months(site);
        let counts = months.iter().map(|(&m, checks)| (m, checks.checks.len()));
        let failed = (months.iter())
            .filter(|(_, checks)| checks.failed > 0)
            .map(|(&m, checks)| (m, checks.failed));
        (counts.collect(), failed.collect())
    }
}

/// Every check of `site` under its figure's month.
fn group(site: &Site, figure_months: &IxVec<FigureIx, Month>) -> BTreeMap<Month, MonthChecks> {
    let checks = &site.analysis.checks;
    let mut months: BTreeMap<Month, MonthChecks> = BTreeMap::new();
    for (n, check) in checks.iter().enumerate() {
        let month = months.entry(figure_months[check.figure()]).or_default();
        month.checks.push(n);
        month.failed += usize::from(!check.consistent);
    }
    for month in months.values_mut() {
        // Failed checks first, then in the order of the analysis (a stable sort).
        month.checks.sort_by_key(|&n| checks[n].consistent);
    }
    months
}
