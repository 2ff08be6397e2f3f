//! The searchable documents of a briefing: incidents (newest first), then figures, then
//! sources, read from the [`Site`] when asked for, so no text is copied.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use super::{Corpus, Indexed, ResultKind, Shown, TermIndex, Text, facet_term};
use crate::facets;
use crate::model::{IncidentIx, Place};
use crate::site::Site;

/// Characters of the snippet a result shows.
const SNIPPET_CHARS: usize = 160;

/// A briefing as a search [`Corpus`].
pub struct SiteCorpus<'a> {
    site: &'a Site,
    /// How many incidents have calendar dates (the first of `Index::incidents_by_time`).
    dated: usize,
    /// The URL of an item's page, relative to the site root, from its kind and id.
    url: fn(ResultKind, &str) -> String,
}

impl<'a> SiteCorpus<'a> {
    /// The corpus of `site`, whose pages are at `url(kind, id)`.
    pub fn new(site: &'a Site, url: fn(ResultKind, &str) -> String) -> SiteCorpus<'a> {
        let (b, by_time) = (&site.briefing, &site.index.incidents_by_time);
        let dated = by_time.partition_point(|&i| b.incidents[i.get()].date.sort_key().0 == 0);
        SiteCorpus { site, dated, url }
    }

    /// The kind and index (in the briefing) of document `id`.
    pub fn item(&self, id: usize) -> (ResultKind, usize) {
        // Incidents with calendar dates newest first (among results that score the same,
        // recent ones come first), then the others in time order.
        let by_time = &self.site.index.incidents_by_time;
        let dated = self.dated;
        let figures = by_time.len();
        let sources = figures + self.site.briefing.figures.len();
        match id {
            _ if id < dated => (ResultKind::Incident, by_time[dated - 1 - id].get()),
            _ if id < figures => (ResultKind::Incident, by_time[id].get()),
            _ if id < sources => (ResultKind::Figure, id - figures),
            _ => (ResultKind::Source, id - sources),
        }
    }
}

/// The number of documents of `site` (the corpus length, without building it).
pub fn document_count(site: &Site) -> usize {
    let b = &site.briefing;
    b.incidents.len() + b.figures.len() + b.sources.len()
}

fn place_label(place: &Place) -> String {
    let parts = [place.district.as_deref(), place.province.as_deref()];
    let mut out: Vec<&str> = parts.into_iter().flatten().collect();
    out.push(&place.country);
    out.join(", ")
}

fn cut(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(SNIPPET_CHARS) {
        None => text,
        Some((at, _)) => {
            let head = &text[..at];
            let head = head.rsplit_once(' ').map_or(head, |(h, _)| h);
            format!("{head}…")
        }
    }
}

impl Corpus for SiteCorpus<'_> {
    fn len(&self) -> usize {
        document_count(self.site)
    }

    fn indexed(&self, id: usize) -> Indexed<'_> {
        let b = &self.site.briefing;
        let mut facets = Vec::new();
        let mut facet = |name: &str, value: &str| facets.extend(facet_term(name, value));
        let (kind, n) = self.item(id);
        facet("kind", kind.as_str());
        let (title, text) = match kind {
            ResultKind::Incident => {
                let i = IncidentIx::new(n);
                let inc = &b.incidents[i];
                facets::of_incident(inc).each(&mut |f, value| facet(f.name(), value));
                let text = vec![
                    Text::Markdown(self.site.incident_body(i)),
                    Text::Plain(Cow::Owned(place_label(&inc.place))),
                    Text::Plain(Cow::Borrowed(&inc.category)),
                    Text::Plain(Cow::Owned(inc.actors.join(" "))),
                ];
                (&inc.title, text)
            }
            ResultKind::Figure => {
                let fig = &b.figures[n];
                let mut text = vec![Text::Plain(Cow::Borrowed(&fig.definition))];
                facets::of_figure(fig, &mut |f, value| facet(f.name(), value));
                if let Some(place) = &fig.scope.place {
                    text.push(Text::Plain(Cow::Borrowed(place)));
                }
                for claim in &fig.claims {
                    text.push(Text::Plain(Cow::Borrowed(&claim.quote)));
                }
                (&fig.label, text)
            }
            ResultKind::Source => {
                let src = &b.sources[n];
                facets::of_source(src, &mut |f, value| facet(f.name(), value));
                let mut text = vec![Text::Plain(Cow::Borrowed(&src.outlet))];
                text.extend(src.author.as_deref().map(|a| Text::Plain(Cow::Borrowed(a))));
                (&src.title, text)
            }
        };
        facets.sort();
        facets.dedup();
        Indexed {
            title: Cow::Borrowed(title),
            text,
            facets,
        }
    }

    fn shown(&self, id: usize) -> Shown {
        let b = &self.site.briefing;
        let (kind, n) = self.item(id);
        let (url, title, date, place, snippet) = match kind {
            ResultKind::Incident => {
                let i = IncidentIx::new(n);
                let inc = &b.incidents[i];
                let summary = self.site.bodies.incident(i).first_paragraph.as_str();
                let (date, place) = (inc.date.label(), place_label(&inc.place));
                (
                    (self.url)(kind, &inc.id),
                    &inc.title,
                    date,
                    place,
                    cut(summary),
                )
            }
            ResultKind::Figure => {
                let fig = &b.figures[n];
                let place = fig.scope.place.clone().unwrap_or_default();
                let date = fig.scope.window.clone().unwrap_or_default();
                (
                    (self.url)(kind, &fig.id),
                    &fig.label,
                    date,
                    place,
                    cut(&fig.definition),
                )
            }
            ResultKind::Source => {
                let src = &b.sources[n];
                let date = src
                    .published
                    .as_ref()
                    .map(|w| w.label())
                    .unwrap_or_default();
                let url = (self.url)(kind, &src.id);
                (url, &src.title, date, String::new(), cut(&src.outlet))
            }
        };
        Shown {
            kind: kind.as_str(),
            url,
            title: title.clone(),
            date,
            place,
            snippet,
        }
    }
}

/// Changed documents above which [`IndexCache`] builds the index anew rather than
/// updating it.
const MAX_UPDATED: usize = 256;

/// A site's search index kept between renders (by `sitrep serve`), with the file text of
/// each document it was made from: the next render indexes again only the documents whose
/// text is another (the `Arc`s are kept, so an address cannot be reused by a new text).
#[derive(Default)]
pub struct IndexCache {
    kept: Mutex<Option<(TermIndex, Vec<Arc<str>>)>>,
}

impl std::fmt::Debug for IndexCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexCache")
    }
}

impl IndexCache {
    /// The index of `corpus` in `shards` term shards: the kept one updated, or a new one.
    pub fn index(&self, corpus: &SiteCorpus, shards: usize) -> TermIndex {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner()).take();
        let texts = corpus.texts();
        if let Some((mut index, old)) = kept
            && old.len() == texts.len()
        {
            let changed: Vec<usize> = (0..texts.len())
                .filter(|&id| !Arc::ptr_eq(&old[id], &texts[id]))
                .collect();
            if changed.len() <= MAX_UPDATED {
                index.update(corpus, &changed, shards);
                return index;
            }
        }
        TermIndex::build(corpus, shards)
    }

    /// Keeps `index`, made from `corpus`, for the next [`IndexCache::index`].
    pub fn keep(&self, index: TermIndex, corpus: &SiteCorpus) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        *kept = Some((index, corpus.texts()));
    }

    /// Takes over what `other` kept.
    pub fn take_from(&self, other: &IndexCache) {
        let taken = other.kept.lock().unwrap_or_else(|e| e.into_inner()).take();
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = taken;
    }
}

impl SiteCorpus<'_> {
    /// The text of the file each document comes from, by document id.
    fn texts(&self) -> Vec<Arc<str>> {
        let b = &self.site.briefing;
        (0..self.len())
            .map(|id| match self.item(id) {
                (ResultKind::Incident, n) => b.incidents[n].origin.text.clone(),
                (ResultKind::Figure, n) => b.figures[n].origin.text.clone(),
                (ResultKind::Source, n) => b.sources[n].origin.text.clone(),
            })
            .collect()
    }
}
