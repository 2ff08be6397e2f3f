//! Fingerprints of inputs: a hash of exactly the data each [`Input`] stands for.
//!
//! The inputs whose fingerprints differ between two sites are those that changed
//! ([`Fingerprints::changed`]); `sitrep serve` keeps them between rebuilds and, after an
//! edit of a few items, computes again only those items' prints and the site-wide facts
//! made from them. A build needs none.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Debug, Write as _};
use std::hash::Hasher;

use ahash::AHasher;
use rayon::prelude::*;

use super::context::{ClaimCtx, FigureSummary};
use super::feeds;
use super::inputs::{FACTS, Input, SiteFact};
use super::split::{self, Month};
use crate::analyse::Check;
use crate::facets::{Facet, Term};
use crate::load;
use crate::model::{FigureIx, IncidentIx, Ix};
use crate::site::Site;

mod changed;
mod update;
pub use update::Edit;

/// A hasher that `Debug` output can be written to.
struct Fingerprint(AHasher);

impl Fingerprint {
    fn new() -> Fingerprint {
        Fingerprint(AHasher::default())
    }

    fn text(mut self, text: &str) -> Self {
        self.0.write(text.as_bytes());
        self.0.write_u8(0xff);
        self
    }

    fn debug(mut self, value: &impl Debug) -> Self {
        let _ = write!(self, "{value:?}");
        self.0.write_u8(0xff);
        self
    }

    fn numbers(mut self, numbers: impl IntoIterator<Item = u64>) -> Self {
        for n in numbers {
            self.0.write_u64(n);
        }
        self.0.write_u8(0xff);
        self
    }

    fn finish(self) -> u64 {
        self.0.finish()
    }
}

impl fmt::Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// The numbers of typed positions, to fingerprint.
fn positions<I: Ix>(items: &[I]) -> impl Iterator<Item = u64> + '_ {
    items.iter().map(|&n| n.to_usize() as u64)
}

/// The fingerprint of every input of a site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fingerprints {
    incident_front: Vec<u64>,
    incident_file: Vec<u64>,
    incident_figures: Vec<u64>,
    /// `updated`, and what the feed shows (0 when not in the feed), per incident.
    incident_feed: Vec<(u64, u64)>,
    figure: Vec<u64>,
    figure_summary: Vec<u64>,
    figure_relations: Vec<u64>,
    figure_feed: Vec<(u64, u64)>,
    claims: Vec<Vec<u64>>,
    source: Vec<u64>,
    archive_text: Vec<u64>,
    source_summary: Vec<u64>,
    source_citations: Vec<u64>,
    parties: u64,
    pages: Vec<u64>,
    /// Per facet, each value's [`Input::BrowseTerm`] and the [`Input::BrowseFacet`].
    browse_terms: Vec<Vec<u64>>,
    browse_facets: Vec<u64>,
    /// [`Input::TimelineMonth`] and [`Input::CheckMonth`] of each month with entries.
    timeline_months: BTreeMap<Month, u64>,
    check_months: BTreeMap<Month, u64>,
    /// The month each incident, each dated claim and each check is listed under, so that
    /// an edit makes again only the prints of the months it touches.
    incident_month: Vec<Month>,
    claim_months: Vec<Vec<Option<Month>>>,
    check_month: Vec<Month>,
    /// Each consistency check as of the last refresh, with the fingerprint of its `Debug`
    /// form: only the checks that differ are formatted again.
    checks: Vec<(Check, u64)>,
    facts: [u64; FACTS.len()],
}

impl Fingerprints {
    /// The fingerprints of every input of `site`.
    pub fn of(site: &Site) -> Fingerprints {
        let b = &site.briefing;
        let mut prints = Fingerprints {
            incident_front: vec![0; b.incidents.len()],
            incident_file: vec![0; b.incidents.len()],
            incident_feed: vec![(0, 0); b.incidents.len()],
            figure: vec![0; b.figures.len()],
            figure_summary: vec![0; b.figures.len()],
            figure_feed: vec![(0, 0); b.figures.len()],
            claims: vec![Vec::new(); b.figures.len()],
            incident_month: vec![Month::Unknown; b.incidents.len()],
            claim_months: vec![Vec::new(); b.figures.len()],
            source: (b.indexed_sources())
                .map(|(s, source)| {
                    let archived = site.validation.archived.get(s).copied();
                    (Fingerprint::new().text(&source.origin.file.to_string_lossy()))
                        .text(&source.origin.text)
                        .debug(&archived)
                        .finish()
                })
                .collect(),
            // Only published texts are read (by their archive pages).
            archive_text: (site.validation.archives.indexed())
                .map(|(s, text)| match text {
                    Some(text) if site.publishes_archive(s) => {
                        Fingerprint::new().text(&text.readable).finish()
                    }
                    _ => 0,
                })
                .collect(),
            parties: Fingerprint::new().debug(&b.parties).finish(),
            pages: (b.pages.iter())
                .map(|p| file_print(&p.origin.file, &p.origin.text))
                .collect(),
            ..Fingerprints::default()
        };
        let incidents: BTreeSet<IncidentIx> = IncidentIx::all(b.incidents.len()).collect();
        let figures: BTreeSet<FigureIx> = FigureIx::all(b.figures.len()).collect();
        prints.refresh(site, &incidents, &figures);
        prints
    }

    /// Computes the prints of the items given, then of every relation, count, month and
    /// site-wide fact.
    fn refresh(
        &mut self,
        site: &Site,
        incidents: &BTreeSet<IncidentIx>,
        figures: &BTreeSet<FigureIx>,
    ) {
        let (incidents, figures) = item_prints(site, incidents, figures);
        for (i, prints) in incidents {
            self.incident_front[i.get()] = prints.front;
            self.incident_file[i.get()] = prints.file;
            self.incident_feed[i.get()] = prints.feed;
            self.incident_month[i.get()] = prints.month;
        }
        for (f, prints) in figures {
            self.figure[f.get()] = prints.figure;
            self.figure_summary[f.get()] = prints.summary;
            self.figure_feed[f.get()] = prints.feed;
            self.claims[f.get()] = prints.claims;
            self.claim_months[f.get()] = prints.months;
        }
        self.refresh_relations(site);
        self.refresh_checks(site);
        self.refresh_browse(site);
        self.facts = FACTS.map(|fact| self.fact(site, fact));
        self.timeline_months = self.timeline_month_prints(site, |_| true);
        self.refresh_check_month(site);
        self.check_months = self.check_month_prints(|_| true);
    }

    /// Recomputes the prints of every relation between items and of each source's
    /// citations.
    fn refresh_relations(&mut self, site: &Site) {
        let index = &site.index;
        self.incident_figures = (index.figures_of_incident.iter())
            .map(|figures| Fingerprint::new().numbers(positions(figures)).finish())
            .collect();
        self.figure_relations = (index.wholes_of.iter().zip(&index.narrower_of))
            .map(|(wholes, narrower)| {
                (Fingerprint::new().numbers(positions(wholes)))
                    .numbers(positions(narrower))
                    .finish()
            })
            .collect();
        let citations = index
            .claims_of_source
            .iter()
            .zip(&index.incidents_of_source);
        self.source_summary = (citations.clone().zip(&self.source))
            .map(|((claims, incidents), &file)| {
                let counts = [file, claims.len() as u64, incidents.len() as u64];
                Fingerprint::new().numbers(counts).finish()
            })
            .collect();
        self.source_citations = citations
            .map(|(claims, incidents)| {
                let claims = claims.iter().flat_map(|&(f, c)| [f.get() as u64, c as u64]);
                (Fingerprint::new().numbers(claims))
                    .numbers(positions(incidents))
                    .finish()
            })
            .collect();
    }

    /// Recomputes the print of every browse term and facet index.
    fn refresh_browse(&mut self, site: &Site) {
        let browse = &site.index.browse;
        self.browse_terms = (Facet::ALL.iter())
            .map(|&facet| {
                let terms = browse.of(facet);
                (0..terms.len()).map(|t| term_print(terms, t)).collect()
            })
            .collect();
        self.browse_facets = (Facet::ALL.iter())
            .map(|&facet| {
                let mut print = Fingerprint::new();
                for term in browse.of(facet) {
                    print = term_listed(print, term);
                }
                print.finish()
            })
            .collect();
    }

    /// Brings the kept checks and their fingerprints up to date with `site`'s.
    fn refresh_checks(&mut self, site: &Site) {
        let checks = &site.analysis.checks;
        let print = |check: &Check| Fingerprint::new().debug(check).finish();
        self.checks.truncate(checks.len());
        for (n, check) in checks.iter().enumerate() {
            match self.checks.get_mut(n) {
                Some((kept, _)) if kept == check => {}
                Some(slot) => *slot = (check.clone(), print(check)),
                None => self.checks.push((check.clone(), print(check))),
            }
        }
    }

    /// The fingerprint of each `wanted` month's timeline entries: its incidents in time
    /// order and its dated claims, each with its index and fingerprint (a claim with its
    /// figure's). Months without entries have none.
    fn timeline_month_prints(
        &self,
        site: &Site,
        wanted: impl Fn(Month) -> bool,
    ) -> BTreeMap<Month, u64> {
        let mut prints: BTreeMap<Month, Fingerprint> = BTreeMap::new();
        for &i in &site.index.incidents_by_time {
            let month = self.incident_month[i.get()];
            if !wanted(month) {
                continue;
            }
            let print = prints.entry(month).or_insert_with(Fingerprint::new);
            print.0.write_u8(1);
            print.0.write_u64(i.get() as u64);
            print.0.write_u64(self.incident_front[i.get()]);
        }
        for (f, months) in self.claim_months.iter().enumerate() {
            for (c, &month) in months.iter().enumerate() {
                let Some(month) = month.filter(|&m| wanted(m)) else {
                    continue;
                };
                let print = prints.entry(month).or_insert_with(Fingerprint::new);
                print.0.write_u8(2);
                for n in [f as u64, c as u64, self.claims[f][c], self.figure[f]] {
                    print.0.write_u64(n);
                }
            }
        }
        (prints.into_iter()).map(|(m, p)| (m, p.finish())).collect()
    }

    /// Finds the month of each consistency check again.
    fn refresh_check_month(&mut self, site: &Site) {
        self.check_month.clear();
        // A check's month is that of its figure: found once per figure.
        let mut figure_month: Option<(FigureIx, Month)> = None;
        for (n, check) in site.analysis.checks.iter().enumerate() {
            let month = match figure_month {
                Some((f, month)) if f == check.figure() => month,
                _ => split::check_month(site, n),
            };
            figure_month = Some((check.figure(), month));
            self.check_month.push(month);
        }
    }

    /// The fingerprint of the checks each `wanted` month lists: each check, with its index
    /// and the summaries of its figures.
    fn check_month_prints(&self, wanted: impl Fn(Month) -> bool) -> BTreeMap<Month, u64> {
        let mut prints: BTreeMap<Month, Fingerprint> = BTreeMap::new();
        for (n, (check, print)) in self.checks.iter().enumerate() {
            let month = self.check_month[n];
            if !wanted(month) {
                continue;
            }
            let summaries = (check.figures().iter()).map(|&f| self.figure_summary[f.get()]);
            let month_print = prints.remove(&month).unwrap_or_else(Fingerprint::new);
            let month_print = (month_print.numbers([n as u64, *print])).numbers(summaries);
            prints.insert(month, month_print);
        }
        (prints.into_iter()).map(|(m, p)| (m, p.finish())).collect()
    }

    fn fact(&self, site: &Site, fact: SiteFact) -> u64 {
        let print = Fingerprint::new();
        let print = match fact {
            SiteFact::Incidents => print
                .numbers(self.incident_front.iter().copied())
                .numbers(positions(&site.index.incidents_by_time)),
            SiteFact::Figures => print.numbers(self.figure.iter().copied()),
            SiteFact::FigureSummaries => print.numbers(self.figure_summary.iter().copied()),
            SiteFact::Claims => print.numbers(self.claims.iter().flatten().copied()),
            SiteFact::SourceSummaries => print
                .numbers(self.source_summary.iter().copied())
                .numbers(positions(&site.index.sources_by_date)),
            SiteFact::Checks => print.numbers(self.checks.iter().map(|(_, print)| *print)),
            SiteFact::Updated => {
                let feeds = self.incident_feed.iter().chain(&self.figure_feed);
                print.numbers(feeds.map(|&(updated, _)| updated))
            }
            SiteFact::Feed => {
                let feeds = self.incident_feed.iter().chain(&self.figure_feed);
                print.numbers(feeds.map(|&(_, entry)| entry))
            }
            SiteFact::Searchable => print
                .numbers(self.incident_file.iter().copied())
                .numbers(self.figure.iter().copied())
                .numbers(self.source.iter().copied()),
            SiteFact::IncidentOrder => {
                let b = &site.briefing;
                let dated = (b.incidents.iter()).filter(|i| i.date.sort_key().0 == 0);
                print
                    .numbers(positions(&site.index.incidents_by_time))
                    .numbers([dated.count() as u64])
            }
            SiteFact::MatrixPages => {
                let pages = split::matrix_pages(site).into_iter();
                print.numbers(pages.flat_map(|r| [r.start as u64, r.end as u64]))
            }
            SiteFact::Browse => print.numbers(self.browse_terms.iter().flatten().copied()),
        };
        print.finish()
    }
}

/// The prints of the incidents and figures given.
type ItemPrints = (
    Vec<(IncidentIx, IncidentPrints)>,
    Vec<(FigureIx, FigurePrints)>,
);

fn item_prints(
    site: &Site,
    incidents: &BTreeSet<IncidentIx>,
    figures: &BTreeSet<FigureIx>,
) -> ItemPrints {
    // A few items (an edit) are quicker made here than handed to other threads.
    const FEW: usize = 16;
    if incidents.len() + figures.len() <= FEW {
        return (
            (incidents.iter())
                .map(|&i| (i, IncidentPrints::of(site, i)))
                .collect(),
            (figures.iter())
                .map(|&f| (f, FigurePrints::of(site, f)))
                .collect(),
        );
    }
    rayon::join(
        || {
            (incidents.par_iter())
                .map(|&i| (i, IncidentPrints::of(site, i)))
                .collect()
        },
        || {
            (figures.par_iter())
                .map(|&f| (f, FigurePrints::of(site, f)))
                .collect()
        },
    )
}

/// The fingerprints of one incident's inputs.
struct IncidentPrints {
    front: u64,
    file: u64,
    feed: (u64, u64),
    month: Month,
}

impl IncidentPrints {
    fn of(site: &Site, i: IncidentIx) -> IncidentPrints {
        let incident = &site.briefing.incidents[i];
        let origin = &incident.origin;
        let front = load::split_front_matter(&origin.text).map_or(&*origin.text, |(yaml, _)| yaml);
        IncidentPrints {
            front: file_print(&origin.file, front),
            file: file_print(&origin.file, &origin.text),
            feed: match &incident.updated {
                None => (0, 0),
                Some(updated) => (
                    Fingerprint::new().debug(updated).finish(),
                    (Fingerprint::new().text(&incident.title).debug(updated))
                        .text(&feeds::incident_summary(site.bodies.incident(i)))
                        .finish(),
                ),
            },
            month: Month::of(&incident.date),
        }
    }
}

/// The fingerprints of one figure's inputs and of its claims.
struct FigurePrints {
    figure: u64,
    summary: u64,
    feed: (u64, u64),
    claims: Vec<u64>,
    /// The month of each claim's `stated_on`.
    months: Vec<Option<Month>>,
}

impl FigurePrints {
    fn of(site: &Site, f: FigureIx) -> FigurePrints {
        let figure = &site.briefing.figures[f];
        let analysis = &site.analysis.figures[f];
        let checks = analysis.checks.iter().map(|&n| &site.analysis.checks[n]);
        FigurePrints {
            figure: (Fingerprint::new().text(&figure.origin.file.to_string_lossy()))
                .text(&figure.origin.text)
                .debug(analysis)
                .debug(&site.validation.quotes.get(f))
                .debug(&checks.collect::<Vec<_>>())
                .finish(),
            summary: Fingerprint::new()
                .debug(&FigureSummary::new(site, f))
                .finish(),
            feed: match &figure.updated {
                None => (0, 0),
                Some(updated) => (
                    Fingerprint::new().debug(updated).finish(),
                    (Fingerprint::new().text(&figure.label).debug(updated))
                        .text(&feeds::figure_summary(figure, analysis))
                        .finish(),
                ),
            },
            claims: (0..figure.claims.len())
                .map(|c| {
                    (Fingerprint::new().debug(&ClaimCtx::new(site, f, c)))
                        .debug(&figure.claims[c].stated_on)
                        .finish()
                })
                .collect(),
            months: (figure.claims.iter())
                .map(|claim| claim.stated_on.as_ref().map(Month::of))
                .collect(),
        }
    }
}

/// What a list of values shows of `term`.
fn term_listed(print: Fingerprint, term: &Term) -> Fingerprint {
    (print.text(&term.key).text(&term.slug).text(&term.label)).numbers([
        term.depth as u64,
        term.incidents.len() as u64,
        term.claims.len() as u64,
    ])
}

/// The fingerprint of [`Input::BrowseTerm`] for value `t` of `terms`.
fn term_print(terms: &[Term], t: usize) -> u64 {
    let term = &terms[t];
    let mut print = term_listed(Fingerprint::new(), term).debug(&term.filter);
    let mut up = term.parent;
    while let Some(p) = up {
        print = term_listed(print, &terms[p]);
        up = terms[p].parent;
    }
    for &c in &term.children {
        print = term_listed(print, &terms[c]);
    }
    let claims = term
        .claims
        .iter()
        .flat_map(|&(f, c)| [f.get() as u64, c as u64]);
    (print.numbers(positions(&term.incidents)))
        .numbers(claims)
        .finish()
}

fn file_print(file: &std::path::Path, text: &str) -> u64 {
    (Fingerprint::new().text(&file.to_string_lossy()))
        .text(text)
        .finish()
}
