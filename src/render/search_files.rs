//! The search files among the jobs (see [`crate::search`]): which there are, and their
//! bytes. The index itself is made by `render_with`, on the thread pool while pages render.

use super::Job;
use super::context::{figure_url, incident_url, source_url};
use super::filter_options::label as browse_label;
use super::inputs::{Input, SiteFact};
use crate::facets::{self, Facet};
use crate::model::{FigureIx, IncidentIx, SourceIx};
use crate::search::{self, IndexCache, TermIndex, site::SiteCorpus};
use crate::site::Site;

/// The search files of `site` that every content edit may change (all but the page and
/// the script); none when search is off.
pub fn search_index_jobs(site: &Site) -> Vec<Job> {
    if !site.config.search.enabled {
        return Vec::new();
    }
    let layout = search::Layout::of(search::site::document_count(site));
    let mut jobs = vec![Job::SearchManifest];
    jobs.extend((0..layout.term_shards).map(Job::SearchTerms));
    jobs.extend((0..layout.doc_shards).map(Job::SearchDocs));
    jobs
}

/// The files naming facet values, one per facet that incidents have (the browse filter's
/// facets; `party` is a facet of claims).
pub(super) fn label_jobs() -> impl Iterator<Item = Job> {
    (Facet::ALL.into_iter())
        .filter(|&facet| facet != Facet::Party)
        .map(Job::SearchLabels)
}

/// What search file `job` reads (see `render::inputs`). A document shard shows the documents
/// in it, and which those are follows from the incidents' time order; the manifest and the
/// term shards hold the words of every document.
pub(super) fn inputs(site: &Site, job: Job) -> Vec<Input> {
    match job {
        Job::SearchDocs(n) => {
            let corpus = corpus(site);
            let start = (n * search::DOCS_PER_SHARD).min(corpus_len(site));
            let end = (start + search::DOCS_PER_SHARD).min(corpus_len(site));
            let mut inputs = vec![Input::Fact(SiteFact::IncidentOrder)];
            inputs.extend((start..end).map(|id| match corpus.item(id) {
                (search::ResultKind::Incident, i) => Input::IncidentFile(IncidentIx::new(i)),
                (search::ResultKind::Figure, f) => Input::Figure(FigureIx::new(f)),
                (search::ResultKind::Source, s) => Input::Source(SourceIx::new(s)),
            }));
            inputs
        }
        Job::SearchManifest | Job::SearchTerms(_) => vec![Input::Fact(SiteFact::Searchable)],
        Job::SearchLabels(facet) => vec![Input::BrowseFacet(facet)],
        _ => Vec::new(),
    }
}

fn corpus_len(site: &Site) -> usize {
    search::site::document_count(site)
}

/// The items whose search documents changed, as far as `changed` (the inputs whose
/// fingerprints changed since the index was made) tells: those documents read only their
/// item's file (incidents), or item (figures, sources), and the incidents' time order (the
/// order of the documents; when it changed, `None`: every document is compared).
pub(super) fn edited_documents(changed: &[Input]) -> Option<Vec<(search::ResultKind, usize)>> {
    if changed.contains(&Input::Fact(SiteFact::IncidentOrder)) {
        return None;
    }
    let items = changed.iter().filter_map(|input| match *input {
        Input::IncidentFile(i) => Some((search::ResultKind::Incident, i.get())),
        Input::Figure(f) => Some((search::ResultKind::Figure, f.get())),
        Input::Source(s) => Some((search::ResultKind::Source, s.get())),
        _ => None,
    });
    Some(items.collect())
}

/// The page URL of a search result, relative to the site root.
fn url(kind: search::ResultKind, id: &str) -> String {
    match kind {
        search::ResultKind::Incident => incident_url(id),
        search::ResultKind::Figure => figure_url(id),
        search::ResultKind::Source => source_url(id),
    }
}

/// The documents of `site` as search sees them.
pub(super) fn corpus(site: &Site) -> SiteCorpus<'_> {
    SiteCorpus::new(site, url)
}

pub(super) fn term_shards(site: &Site) -> usize {
    search::Layout::of(search::site::document_count(site)).term_shards
}

/// The bytes of a search file, or `None` for other jobs. Files made from the index use
/// `index` when given, and otherwise make it anew.
pub(super) fn render(site: &Site, job: Job, index: Option<&TermIndex>) -> Option<Vec<u8>> {
    let fresh = || {
        IndexCache::default()
            .index(&corpus(site), term_shards(site))
            .0
    };
    Some(match (job, index) {
        (Job::SearchScript, _) => search::SCRIPT.to_vec(),
        (Job::SearchDocs(n), _) => search::doc_shard(&corpus(site), n),
        (Job::SearchManifest, Some(index)) => search::manifest(index),
        (Job::SearchManifest, None) => search::manifest(&fresh()),
        (Job::SearchTerms(n), Some(index)) => search::term_shard(index, n),
        (Job::SearchTerms(n), None) => search::term_shard(&fresh(), n),
        (Job::SearchLabels(facet), _) => labels(site, facet),
        _ => return None,
    })
}

/// `search/f-<facet>.js`: each value of `facet` by the key of its search term, named as its
/// browse page names it; values whose terms are alike (districts of one name in two
/// provinces) are one, named by the first, as the browse filter counts them.
fn labels(site: &Site, facet: Facet) -> Vec<u8> {
    let terms = site.index.browse.of(facet);
    // Each value once, by the term that names it.
    let named = terms.iter().enumerate().zip(facets::filter_names(terms));
    let labels = named.filter_map(|((t, term), name)| {
        let value = term.filter_value().filter(|_| name == Some(t as u32))?;
        Some((value, browse_label(site, facet, term)))
    });
    search::facet_labels(facet.name(), labels)
}
