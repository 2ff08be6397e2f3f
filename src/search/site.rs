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
    // Whitespace runs collapsed and the ends trimmed, read word by word only as far as
    // the snippet goes (a first paragraph can be long).
    let mut out = String::with_capacity(SNIPPET_CHARS + 32);
    let mut chars = 0;
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += match word.is_ascii() {
            true => word.len(),
            false => word.chars().count(),
        };
        if chars > SNIPPET_CHARS {
            break;
        }
    }
    if chars <= SNIPPET_CHARS {
        return out;
    }
    // Longer than a snippet: cut at the last space within its first characters.
    let end = out
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(out.len(), |(at, _)| at);
    let head = &out[..end];
    let head = head.rsplit_once(' ').map_or(head, |(head, _)| head);
    format!("{head}…")
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
/// When the caller says which items changed since ([`IndexCache::edited`]), only their
/// documents are looked at.
#[derive(Default)]
pub struct IndexCache {
    kept: Mutex<Option<Kept>>,
}

struct Kept {
    index: TermIndex,
    texts: Vec<Arc<str>>,
    /// The items (kind, index in the briefing) whose documents changed since `index` was
    /// made, when known: then the documents are in the same order, and no other changed.
    edited: Option<Vec<(ResultKind, usize)>>,
}

/// The file text of each document an index was made from (see [`IndexCache::keep`]).
pub struct Texts(Vec<Arc<str>>);

impl std::fmt::Debug for IndexCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexCache")
    }
}

impl IndexCache {
    /// The index of `corpus` in `shards` term shards: the kept one updated, or a new one;
    /// with the texts it was made from, to [`IndexCache::keep`] with it.
    pub fn index(&self, corpus: &SiteCorpus, shards: usize) -> (TermIndex, Texts) {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some(Kept {
            mut index,
            mut texts,
            edited,
        }) = kept.filter(|kept| kept.texts.len() == corpus.len())
        else {
            return (TermIndex::build(corpus, shards), Texts(corpus.texts()));
        };
        let changed: Vec<usize> = match edited {
            Some(items) => {
                let changed = corpus.documents_of(&items);
                for &id in &changed {
                    texts[id] = corpus.text(id);
                }
                #[cfg(debug_assertions)]
                assert!(
                    (texts.iter().zip(corpus.texts())).all(|(a, b)| Arc::ptr_eq(a, &b)),
                    "a document changed that the edited items do not account for"
                );
                changed
            }
            None => {
                let new = corpus.texts();
                let changed = (0..new.len())
                    .filter(|&id| !Arc::ptr_eq(&texts[id], &new[id]))
                    .collect();
                texts = new;
                changed
            }
        };
        if changed.len() > MAX_UPDATED {
            return (TermIndex::build(corpus, shards), Texts(texts));
        }
        index.update(corpus, &changed, shards);
        (index, Texts(texts))
    }

    /// Keeps `index`, made from `texts`, for the next [`IndexCache::index`].
    pub fn keep(&self, index: TermIndex, texts: Texts) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        *kept = Some(Kept {
            index,
            texts: texts.0,
            edited: Some(Vec::new()),
        });
    }

    /// Notes which items' documents changed since the kept index was made: `None` when
    /// that is not known, or the order of the documents may have changed.
    pub fn edited(&self, items: Option<Vec<(ResultKind, usize)>>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let Some(kept) = kept.as_mut() else {
            return;
        };
        match (&mut kept.edited, items) {
            (Some(known), Some(items)) => known.extend(items),
            (known, _) => *known = None,
        }
    }

    /// Takes over what `other` kept (for another site: every document is compared).
    pub fn take_from(&self, other: &IndexCache) {
        let mut taken = other.kept.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(kept) = taken.as_mut() {
            kept.edited = None;
        }
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = taken;
    }
}

impl SiteCorpus<'_> {
    /// The text of the file each document comes from, by document id.
    fn texts(&self) -> Vec<Arc<str>> {
        (0..self.len()).map(|id| self.text(id)).collect()
    }

    /// The text of the file document `id` comes from.
    fn text(&self, id: usize) -> Arc<str> {
        let b = &self.site.briefing;
        match self.item(id) {
            (ResultKind::Incident, n) => b.incidents[n].origin.text.clone(),
            (ResultKind::Figure, n) => b.figures[n].origin.text.clone(),
            (ResultKind::Source, n) => b.sources[n].origin.text.clone(),
        }
    }

    /// The documents of `items` (kind, index in the briefing), sorted, each once.
    fn documents_of(&self, items: &[(ResultKind, usize)]) -> Vec<usize> {
        let by_time = &self.site.index.incidents_by_time;
        let figures = by_time.len();
        let sources = figures + self.site.briefing.figures.len();
        let mut ids: Vec<usize> = (items.iter())
            .filter_map(|&(kind, n)| match kind {
                ResultKind::Incident => {
                    let at = by_time.iter().position(|i| i.get() == n)?;
                    Some(match at < self.dated {
                        true => self.dated - 1 - at,
                        false => at,
                    })
                }
                ResultKind::Figure => Some(figures + n),
                ResultKind::Source => Some(sources + n),
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::{SNIPPET_CHARS, cut};

    /// The snippet as its rule says: whitespace collapsed, and if longer than
    /// [`SNIPPET_CHARS`] characters, cut at the last space within them, with "…".
    fn cut_by_the_rule(text: &str) -> String {
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

    proptest::proptest! {
        #[test]
        fn snippets_follow_the_rule(text in "[a-zé \n\t\u{a0}\u{2003}]{0,400}") {
            proptest::prop_assert_eq!(cut(&text), cut_by_the_rule(&text));
        }
    }

    #[test]
    fn snippets_at_the_edges() {
        let exact = "a".repeat(SNIPPET_CHARS);
        for text in [
            String::new(),
            "  ".into(),
            exact.clone(),
            format!("{exact} b"),
            format!(" {exact}\n"),
        ] {
            assert_eq!(cut(&text), cut_by_the_rule(&text), "{text:?}");
        }
        let words = "word ".repeat(100);
        assert!(cut(&words).ends_with("word…"), "{}", cut(&words));
    }
}
