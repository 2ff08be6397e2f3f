//! Template values that many pages share: each source's, incident's and figure's summary
//! and each claim as shown. Pages clone them, which is cheap (tera values share their
//! maps, arrays and long strings), instead of building and serialising the same summary
//! on every page that lists it. A build keeps source and figure summaries only (see
//! `Shared::keep_all`); `serve`'s rebuilder keeps them all.
//!
//! Values are made on first use, so a render of a few pages (as in `serve`) only builds
//! what those pages need.

use std::sync::OnceLock;

use serde::Serialize;
use tera::Value;

use super::cache::{ClaimSlots, Slot, Slots};
use super::context::{ClaimCtx, FigureSummary, IncidentSummary, SourceSummary};
use super::inputs::{Input, SiteFact};
use crate::model::{FigureIx, IncidentIx, SourceIx};
use crate::site::Site;

/// The shared values of one site, each kept until the input it is made from changes
/// (see `cache.rs`). Every method must be given the site it was made for.
#[derive(Debug)]
pub struct Shared {
    sources: Slots<SourceIx, Value>,
    incidents: Slots<IncidentIx, Value>,
    figures: Slots<FigureIx, Value>,
    claims: ClaimSlots<Value>,
    incidents_by_time: Slot<Value>,
    all_sources: Slot<Value>,
    all_figures: Slot<Value>,
    /// Whether claim and incident values are kept once made. A build makes each anew where
    /// it is shown: a claim is shown on pages spread over the whole render (its figure, the
    /// incidents in the figure's scope, its source, browse pages), and so is an incident
    /// (its sources' pages; the lists of incidents keep its items as HTML), so kept values
    /// would all be held at once (about 7 KB a claim, 700 MB at 100,000 claims; 2 KB an
    /// incident, 200 MB at 100,000 incidents).
    keep_all: bool,
}

/// The value in `cell`, made with `make` the first time.
fn cached<T: Serialize>(cell: &OnceLock<Value>, make: impl FnOnce() -> T) -> Value {
    cell.get_or_init(|| Value::from_serializable(&make()))
        .clone()
}

impl Shared {
    pub fn new(site: &Site) -> Shared {
        let b = &site.briefing;
        Shared {
            sources: Slots::new(b.sources.len(), Input::SourceSummary),
            incidents: Slots::new(b.incidents.len(), Input::IncidentFront),
            figures: Slots::new(b.figures.len(), Input::FigureSummary),
            claims: ClaimSlots::new(b),
            incidents_by_time: Slot::new(Input::Fact(SiteFact::Incidents)),
            all_sources: Slot::new(Input::Fact(SiteFact::SourceSummaries)),
            all_figures: Slot::new(Input::Fact(SiteFact::FigureSummaries)),
            keep_all: false,
        }
    }

    /// Keeps claim and incident values once made, for a rebuilder that renders the same
    /// site again.
    pub fn keeping_all(mut self) -> Shared {
        self.keep_all = true;
        self
    }

    /// Forgets the values made from any of `changed`.
    pub fn forget(&mut self, changed: &[Input]) {
        self.sources.forget(changed);
        self.incidents.forget(changed);
        self.figures.forget(changed);
        self.claims.forget(changed);
        self.incidents_by_time.forget(changed);
        self.all_sources.forget(changed);
        self.all_figures.forget(changed);
    }

    /// Source `s` as a [`SourceSummary`].
    pub fn source(&self, site: &Site, s: SourceIx) -> Value {
        cached(self.sources.cell(s), || SourceSummary::new(site, s))
    }

    /// Incident `i` as an [`IncidentSummary`].
    pub fn incident(&self, site: &Site, i: IncidentIx) -> Value {
        match self.keep_all {
            true => cached(self.incidents.cell(i), || IncidentSummary::new(site, i)),
            false => Value::from_serializable(&IncidentSummary::new(site, i)),
        }
    }

    /// Figure `f` as a [`FigureSummary`].
    pub fn figure(&self, site: &Site, f: FigureIx) -> Value {
        cached(self.figures.cell(f), || FigureSummary::new(site, f))
    }

    /// Claim `c` of figure `f` as a [`ClaimCtx`].
    pub fn claim(&self, site: &Site, f: FigureIx, c: usize) -> Value {
        match self.keep_all {
            true => cached(self.claims.cell(f, c), || ClaimCtx::new(site, f, c)),
            false => Value::from_serializable(&ClaimCtx::new(site, f, c)),
        }
    }

    /// Every claim of figure `f`, in order.
    pub fn claims_of_figure(&self, site: &Site, f: FigureIx) -> Value {
        let count = site.briefing.figures[f].claims.len();
        Value::from(
            (0..count)
                .map(|c| self.claim(site, f, c))
                .collect::<Vec<_>>(),
        )
    }

    /// Every incident in time order, as summaries.
    pub fn incidents_by_time(&self, site: &Site) -> Value {
        (self.incidents_by_time.cell())
            .get_or_init(|| {
                Value::from(
                    site.index
                        .incidents_by_time
                        .iter()
                        .map(|&i| self.incident(site, i))
                        .collect::<Vec<_>>(),
                )
            })
            .clone()
    }

    /// Every source, as summaries.
    pub fn all_sources(&self, site: &Site) -> Value {
        (self.all_sources.cell())
            .get_or_init(|| {
                let count = site.briefing.sources.len();
                self.list(count, |s| self.source(site, SourceIx::new(s)))
            })
            .clone()
    }

    /// Every figure, as summaries.
    pub fn all_figures(&self, site: &Site) -> Value {
        (self.all_figures.cell())
            .get_or_init(|| {
                self.list(site.briefing.figures.len(), |f| {
                    self.figure(site, FigureIx::new(f))
                })
            })
            .clone()
    }

    fn list(&self, n: usize, item: impl Fn(usize) -> Value) -> Value {
        Value::from((0..n).map(item).collect::<Vec<_>>())
    }
}

/// `base` (a map) with `key` set to `value`; the other entries are shared, not copied.
pub fn with_entry(base: Value, key: &'static str, value: Value) -> Value {
    let mut map = base.into_map().unwrap_or_default();
    map.insert(key.into(), value);
    Value::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{self, Overrides};

    fn valid_site() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let (site, diagnostics) = site::load(&root, &Overrides::default());
        site.unwrap_or_else(|| panic!("the valid fixture loads: {diagnostics:?}"))
    }

    #[test]
    fn a_build_makes_claims_and_incidents_anew_and_a_rebuilder_keeps_them() {
        let site = valid_site();
        let f = (site.briefing.indexed_figures())
            .find(|(_, figure)| !figure.claims.is_empty())
            .map(|(f, _)| f)
            .expect("the valid fixture has a figure with claims");
        let i = IncidentIx::new(0);
        let built = Shared::new(&site);
        let (claim, incident) = (built.claim(&site, f, 0), built.incident(&site, i));
        // The same values each time, but none held once the page has them.
        assert_eq!(built.claim(&site, f, 0), claim);
        assert_eq!(built.incident(&site, i), incident);
        assert!(built.claims.cell(f, 0).get().is_none());
        assert!(built.incidents.cell(i).get().is_none());
        let kept = Shared::new(&site).keeping_all();
        assert_eq!(kept.claim(&site, f, 0), claim);
        assert_eq!(kept.claims.cell(f, 0).get(), Some(&claim));
        assert_eq!(kept.incident(&site, i), incident);
        assert_eq!(kept.incidents.cell(i).get(), Some(&incident));
    }
}
