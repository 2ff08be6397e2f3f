//! Template values that many pages share, serialised once per render: each source's,
//! incident's and figure's summary and each claim as shown. Pages clone them, which is
//! cheap (tera values share their maps, arrays and long strings), instead of building and
//! serialising the same summary on every page that lists it.
//!
//! Values are made on first use, so a render of a few pages (as in `serve`) only builds
//! what those pages need.

use std::sync::OnceLock;

use serde::Serialize;
use tera::Value;

use super::cache::Slots;
use super::context::{ClaimCtx, FigureSummary, IncidentSummary, SourceSummary};
use crate::site::Site;

/// The shared values of one site. Every method must be given the site it was made for.
#[derive(Debug, Default)]
pub struct Shared {
    sources: Slots<Value>,
    incidents: Slots<Value>,
    figures: Slots<Value>,
    /// Every figure's claims, one figure after another.
    claims: Slots<Value>,
    /// Where each figure's claims start in `claims`.
    first_claim: Vec<usize>,
    incidents_by_time: OnceLock<Value>,
    all_sources: OnceLock<Value>,
    all_figures: OnceLock<Value>,
}

/// The value in `cell`, made with `make` the first time.
fn cached<T: Serialize>(cell: &OnceLock<Value>, make: impl FnOnce() -> T) -> Value {
    cell.get_or_init(|| Value::from_serializable(&make()))
        .clone()
}

impl Shared {
    pub fn new(site: &Site) -> Shared {
        let b = &site.briefing;
        let mut first_claim = Vec::with_capacity(b.figures.len());
        let mut claims = 0;
        for figure in &b.figures {
            first_claim.push(claims);
            claims += figure.claims.len();
        }
        Shared {
            sources: Slots::new(b.sources.len()),
            incidents: Slots::new(b.incidents.len()),
            figures: Slots::new(b.figures.len()),
            claims: Slots::new(claims),
            first_claim,
            ..Shared::default()
        }
    }

    /// Forgets figure `f`'s summary and claims, and the list of all figures.
    pub fn forget_figure(&mut self, f: usize) {
        self.figures.forget(f);
        let start = self.first_claim[f];
        let end = self.first_claim.get(f + 1).copied();
        let end = end.unwrap_or(self.claims.len());
        self.claims.forget_range(start..end);
        self.all_figures.take();
    }

    /// Forgets incident `i`'s summary and the list of incidents in time order.
    pub fn forget_incident(&mut self, i: usize) {
        self.incidents.forget(i);
        self.incidents_by_time.take();
    }

    /// Source `s` as a [`SourceSummary`].
    pub fn source(&self, site: &Site, s: usize) -> Value {
        cached(self.sources.cell(s), || SourceSummary::new(site, s))
    }

    /// Incident `i` as an [`IncidentSummary`].
    pub fn incident(&self, site: &Site, i: usize) -> Value {
        cached(self.incidents.cell(i), || IncidentSummary::new(site, i))
    }

    /// Figure `f` as a [`FigureSummary`].
    pub fn figure(&self, site: &Site, f: usize) -> Value {
        cached(self.figures.cell(f), || FigureSummary::new(site, f))
    }

    /// Claim `c` of figure `f` as a [`ClaimCtx`].
    pub fn claim(&self, site: &Site, f: usize, c: usize) -> Value {
        cached(self.claims.cell(self.first_claim[f] + c), || {
            ClaimCtx::new(site, f, c)
        })
    }

    /// Every claim of figure `f`, in order.
    pub fn claims_of_figure(&self, site: &Site, f: usize) -> Value {
        let count = site.briefing.figures[f].claims.len();
        Value::from(
            (0..count)
                .map(|c| self.claim(site, f, c))
                .collect::<Vec<_>>(),
        )
    }

    /// Every incident in time order, as summaries.
    pub fn incidents_by_time(&self, site: &Site) -> Value {
        self.incidents_by_time
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
        self.all_sources
            .get_or_init(|| self.list(site.briefing.sources.len(), |s| self.source(site, s)))
            .clone()
    }

    /// Every figure, as summaries.
    pub fn all_figures(&self, site: &Site) -> Value {
        self.all_figures
            .get_or_init(|| self.list(site.briefing.figures.len(), |f| self.figure(site, f)))
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
