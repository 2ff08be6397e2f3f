//! The inverted index: every term (word or facet term) with the documents that contain it
//! and those whose title contains it, built in parallel from a [`Corpus`], and cut into
//! term shards of about equal size (see [`TermIndex::shard_of`]).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::terms::TermMap;
use super::tokenise::{markdown_words, words};
use super::{Corpus, Text, encode};

/// Documents indexed by one task; their postings are appended in document order.
const DOCS_PER_TASK: usize = 256;

/// Tasks indexed before their terms are merged (see [`TermIndex::build`]).
const TASKS_PER_BATCH: usize = 16;

/// The documents containing a term, in increasing id order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Postings {
    /// Documents where the term occurs anywhere.
    pub all: Vec<u32>,
    /// Documents whose title contains it (a subset of `all`).
    pub title: Vec<u32>,
}

impl Postings {
    pub(super) fn append(&mut self, mut other: Postings) {
        self.all.append(&mut other.all);
        self.title.append(&mut other.title);
    }
}

/// Terms sorted as JavaScript compares strings (by UTF-16 code units), with their
/// postings, and where each term shard starts.
#[derive(Debug, Default)]
pub struct TermIndex {
    pub docs: usize,
    pub terms: Vec<(Box<str>, Postings)>,
    /// For each term shard, the range of `terms` it holds (possibly empty).
    pub shards: Vec<Range<usize>>,
    /// Each term shard's file once encoded (see `search::term_shard`), kept by
    /// [`TermIndex::update`] for the shards whose terms and postings stay the same.
    pub(super) encoded: Vec<OnceLock<Vec<u8>>>,
    /// The bytes each term takes in its shard (see [`entry_size`]), by term.
    sizes: Vec<usize>,
    /// The first and last document of each term, by term: kept beside the terms so that
    /// finding the terms of a document reads only those whose postings may hold it.
    spans: Vec<(u32, u32)>,
}

impl TermIndex {
    /// Whether term shard `n`'s file is kept encoded: after [`TermIndex::update`], whether its
    /// bytes are those of the last time it was encoded.
    pub fn shard_encoded(&self, n: usize) -> bool {
        self.encoded.get(n).is_some_and(|cell| cell.get().is_some())
    }

    /// Indexes every document of `corpus` and cuts the terms into `shards` shards.
    pub fn build(corpus: &dyn Corpus, shards: usize) -> TermIndex {
        let docs = corpus.len();
        let tasks: Vec<Range<usize>> = (0..docs)
            .step_by(DOCS_PER_TASK)
            .map(|start| start..(start + DOCS_PER_TASK).min(docs))
            .collect();
        // Tasks run a batch at a time and each batch is merged before the next starts, so
        // no more than a batch of per-task maps is held beside the merged one.
        let mut merged = TermMap::default();
        for batch in tasks.chunks(TASKS_PER_BATCH) {
            let parts: Vec<TermMap> = batch
                .par_iter()
                .map(|range| index_range(corpus, range.clone()))
                .collect();
            // Parts are in document order, so appending keeps every list sorted.
            for part in parts {
                merged.append(part);
            }
        }
        let mut terms: Vec<(Box<str>, Postings)> = merged
            .into_terms()
            .map(|(term, mut postings)| {
                postings.all.shrink_to_fit();
                postings.title.shrink_to_fit();
                (term, postings)
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        let sizes: Vec<usize> = (terms.par_iter())
            .map(|(term, postings)| entry_size(term, postings, docs))
            .collect();
        let shards = cut_sizes(&sizes, shards.max(1));
        let spans = terms.iter().map(|(_, postings)| span(postings)).collect();
        TermIndex {
            docs,
            terms,
            encoded: shards.iter().map(|_| OnceLock::new()).collect(),
            shards,
            sizes,
            spans,
        }
    }

    /// Indexes documents `changed` (sorted, distinct) again, as they are now in `corpus`
    /// (which has as many documents as the index), and cuts the terms into `shards`
    /// shards anew. The result is the index [`TermIndex::build`] would make; the encoded
    /// term shards are kept for the shards whose terms and postings are the same.
    pub fn update(&mut self, corpus: &dyn Corpus, changed: &[usize], shards: usize) {
        let old_bounds = self.bounds();
        let mut removed = self.remove_docs(changed);
        let mut modified: HashSet<Box<str>, ahash::RandomState> = HashSet::default();
        let added = index_range(corpus, changed.iter().copied());
        for (term, postings) in added.into_terms() {
            match self.position(&term) {
                Ok(at) => {
                    let kept = &mut self.terms[at].1;
                    let mut readded = Vec::new();
                    for (title, list, new) in [
                        (false, &mut kept.all, postings.all),
                        (true, &mut kept.title, postings.title),
                    ] {
                        for doc in new {
                            if let Err(at) = list.binary_search(&doc) {
                                list.insert(at, doc);
                                readded.push((title, doc));
                            }
                        }
                    }
                    // Unchanged when exactly what was taken out is put back.
                    let mut taken = removed.remove(&term).unwrap_or_default();
                    taken.sort_unstable();
                    readded.sort_unstable();
                    if taken != readded {
                        modified.insert(term);
                    }
                }
                Err(at) => {
                    modified.insert(term.clone());
                    self.spans.insert(at, span(&postings));
                    self.terms.insert(at, (term, postings));
                    self.sizes.insert(at, 0);
                }
            }
        }
        // Terms that lost documents and got none back.
        modified.extend(removed.into_keys());
        self.resize(&modified);
        self.shards = cut_sizes(&self.sizes, shards.max(1));
        self.forget_encoded(&old_bounds, modified.iter());
    }

    /// Sizes the `modified` terms again (and their spans), and drops those left without
    /// documents: found by their place, so the other terms are not read.
    fn resize(&mut self, modified: &HashSet<Box<str>, ahash::RandomState>) {
        let mut at: Vec<usize> = (modified.iter())
            .filter_map(|term| self.position(term).ok())
            .collect();
        at.sort_unstable();
        for &n in at.iter().rev() {
            let (term, postings) = &self.terms[n];
            if postings.all.is_empty() {
                self.terms.remove(n);
                self.sizes.remove(n);
                self.spans.remove(n);
            } else {
                self.sizes[n] = entry_size(term, postings, self.docs);
                self.spans[n] = span(postings);
            }
        }
    }

    /// Where `term` is among the terms (or would be).
    fn position(&self, term: &str) -> Result<usize, usize> {
        let key: Vec<u16> = term.encode_utf16().collect();
        (self.terms).binary_search_by(|(t, _)| t.encode_utf16().cmp(key.iter().copied()))
    }

    /// Takes documents `changed` out of every term's postings. Returns, for each term
    /// that had any, what was taken out (title or not, document).
    fn remove_docs(&mut self, changed: &[usize]) -> Removed {
        let gone: Vec<u32> = changed.iter().map(|&id| id as u32).collect();
        let mut removed = Removed::default();
        let (Some(&first), Some(&last)) = (gone.first(), gone.last()) else {
            return removed;
        };
        // Most terms are in few documents, none of them between the first and the last
        // document taken out: their spans say so without reading their postings.
        let spans = self.spans.iter();
        for ((term, postings), &(low, high)) in self.terms.iter_mut().zip(spans) {
            if low > last || high < first {
                continue;
            }
            let mut taken = Vec::new();
            for (title, list) in [(false, &mut postings.all), (true, &mut postings.title)] {
                for doc in &gone {
                    if let Ok(at) = list.binary_search(doc) {
                        list.remove(at);
                        taken.push((title, *doc));
                    }
                }
            }
            if !taken.is_empty() {
                removed.insert(term.clone(), taken);
            }
        }
        removed
    }

    /// The first and last term of each shard (`None` for an empty one).
    fn bounds(&self) -> Vec<Option<(Box<str>, Box<str>)>> {
        (self.shards.iter())
            .map(|range| {
                let first = &self.terms.get(range.start)?.0;
                let last = &self.terms.get(range.end.checked_sub(1)?)?.0;
                (!range.is_empty()).then(|| (first.clone(), last.clone()))
            })
            .collect()
    }

    /// Forgets the encoded shards that differ from before: those whose first or last
    /// term changed (`old_bounds`), and those holding (or, when gone, having held near)
    /// a `modified` term.
    fn forget_encoded<'a>(
        &mut self,
        old_bounds: &[Option<(Box<str>, Box<str>)>],
        modified: impl Iterator<Item = &'a Box<str>>,
    ) {
        let bounds = self.bounds();
        if bounds.len() != old_bounds.len() || self.encoded.len() != bounds.len() {
            self.encoded = bounds.iter().map(|_| OnceLock::new()).collect();
            return;
        }
        let mut stale: Vec<bool> = (bounds.iter().zip(old_bounds))
            .map(|(a, b)| a != b)
            .collect();
        for term in modified {
            let key: Vec<u16> = term.encode_utf16().collect();
            let at =
                (self.terms).partition_point(|(t, _)| t.encode_utf16().lt(key.iter().copied()));
            // The shard holding position `at`, and the one before (a gone term may have
            // been the last of it).
            let shard = self.shards.partition_point(|range| range.end <= at);
            for n in [shard.checked_sub(1), Some(shard)].into_iter().flatten() {
                if let Some(flag) = stale.get_mut(n) {
                    *flag = true;
                }
            }
        }
        for (cell, stale) in self.encoded.iter_mut().zip(stale) {
            if stale {
                cell.take();
            }
        }
    }
}

/// What [`TermIndex::update`] took out of each term's postings: title or not, document.
type Removed = HashMap<Box<str>, Vec<(bool, u32)>, ahash::RandomState>;

/// The postings of the documents `ids` (in increasing order).
fn index_range(corpus: &dyn Corpus, ids: impl IntoIterator<Item = usize>) -> TermMap {
    let mut map = TermMap::default();
    let mut buf = String::new();
    for id in ids {
        let doc = id as u32;
        let indexed = corpus.indexed(id);
        let mut add = |word: &str, title: bool| map.add(word, doc, title);
        words(&indexed.title, &mut buf, &mut |w| add(w, true));
        for text in &indexed.text {
            match text {
                Text::Plain(text) => words(text, &mut buf, &mut |w| add(w, false)),
                Text::Markdown(text) => markdown_words(text, &mut buf, &mut |w| add(w, false)),
            }
        }
        for facet in &indexed.facets {
            add(facet, false);
        }
    }
    map
}

/// Cuts sorted `terms` into `count` contiguous ranges of about equal encoded size.
#[cfg(test)]
fn cut(terms: &[(Box<str>, Postings)], docs: usize, count: usize) -> Vec<Range<usize>> {
    let sizes: Vec<usize> = terms
        .par_iter()
        .map(|(term, postings)| entry_size(term, postings, docs))
        .collect();
    cut_sizes(&sizes, count)
}

/// Cuts terms of `sizes` (in term order) into `count` contiguous ranges of about equal
/// size.
fn cut_sizes(sizes: &[usize], count: usize) -> Vec<Range<usize>> {
    let total: usize = sizes.iter().sum::<usize>().max(1);
    let mut shards = vec![0..0; count];
    let mut before = 0usize;
    for (t, size) in sizes.iter().enumerate() {
        let shard = (before * count / total).min(count - 1);
        let range = &mut shards[shard];
        if range.start == range.end {
            *range = t..t;
        }
        range.end = t + 1;
        before += size;
    }
    // Give empty shards an empty range at the right place, so ranges stay in order.
    let mut next = sizes.len();
    for range in shards.iter_mut().rev() {
        if range.start == range.end {
            *range = next..next;
        } else {
            next = range.start;
        }
    }
    shards
}

/// The first and last document of `postings` (an empty span when there are none).
fn span(postings: &Postings) -> (u32, u32) {
    match (postings.all.first(), postings.all.last()) {
        (Some(&first), Some(&last)) => (first, last),
        _ => (u32::MAX, 0),
    }
}

/// The bytes a term takes in its shard, without writing it.
fn entry_size(term: &str, postings: &Postings, docs: usize) -> usize {
    let sets = encode::size(&postings.all, docs) + encode::size(&postings.title, docs);
    term.len() + sets + 8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postings(all: &[u32]) -> Postings {
        Postings {
            all: all.to_vec(),
            title: vec![],
        }
    }

    /// Documents as (title, Markdown text, facets).
    struct Docs(Vec<(String, String, Vec<String>)>);

    impl Corpus for Docs {
        fn len(&self) -> usize {
            self.0.len()
        }
        fn indexed(&self, id: usize) -> crate::search::Indexed<'_> {
            let (title, text, facets) = &self.0[id];
            crate::search::Indexed {
                title: title.as_str().into(),
                text: vec![Text::Markdown(text.as_str().into())],
                facets: facets.clone(),
            }
        }
        fn shown(&self, _: usize) -> crate::search::Shown {
            unreachable!("not written in these tests")
        }
    }

    fn same(a: &TermIndex, b: &TermIndex) {
        assert_eq!(a.docs, b.docs);
        assert_eq!(a.terms, b.terms);
        assert_eq!(a.shards, b.shards);
        assert_eq!(a.sizes, b.sizes);
        assert_eq!(a.spans, b.spans);
    }

    #[test]
    fn an_updated_index_is_the_index_built_anew() {
        let words = [
            "alpha", "Beta", "gamma", "Délta", "eps", "zeta", "eta", "theta",
        ];
        let doc = |n: usize, salt: usize| {
            let pick = |k: usize| words[(n * 7 + k * 3 + salt) % words.len()];
            let title = format!("{} {}", pick(0), pick(1));
            let text = format!(
                "{} [x](http://{}) {} {}{n}",
                pick(2),
                pick(3),
                pick(4),
                pick(5)
            );
            (title, text, vec![format!("kind:k{}", (n + salt) % 3)])
        };
        let before = Docs((0..300).map(|n| doc(n, 0)).collect());
        for changed in [
            vec![],
            vec![0],
            vec![5, 6, 299],
            (0..300).step_by(7).collect(),
        ] {
            let mut after = Docs(before.0.clone());
            for &n in &changed {
                after.0[n] = doc(n, 1 + n % 5);
            }
            // A word that only the changed documents had is gone, a new one appears.
            if let Some(&n) = changed.first() {
                after.0[n].1.push_str(" brandnew");
            }
            let mut index = TermIndex::build(&before, 4);
            // Every shard encoded before the update, so that the kept ones are compared.
            let encoded: Vec<Vec<u8>> = (0..4)
                .map(|n| super::super::term_shard(&index, n))
                .collect();
            index.update(&after, &changed, 4);
            let kept: Vec<bool> = index.encoded.iter().map(|c| c.get().is_some()).collect();
            let fresh = TermIndex::build(&after, 4);
            same(&index, &fresh);
            for n in 0..4 {
                let shard = super::super::term_shard(&fresh, n);
                assert_eq!(super::super::term_shard(&index, n), shard, "shard {n}");
                // A shard kept encoded is one whose bytes did not change.
                if kept[n] {
                    assert_eq!(encoded[n], shard, "shard {n} kept");
                }
            }
            if changed.is_empty() {
                assert!(
                    kept.iter().all(|&k| k),
                    "nothing changed, every shard is kept"
                );
            }
        }
    }

    #[test]
    fn shards_are_contiguous_ordered_and_cover_every_term() {
        let terms: Vec<(Box<str>, Postings)> = (0..50)
            .map(|n| (format!("t{n:02}").into(), postings(&[7])))
            .collect();
        for count in [1, 3, 7, 50, 80] {
            let shards = cut(&terms, 50, count);
            assert!(shards.iter().all(|r| r.start <= r.end));
            assert_eq!(shards.len(), count);
            assert_eq!(shards[0].start, 0);
            assert_eq!(shards[count - 1].end, 50);
            for pair in shards.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
            }
        }
        // Equal sizes: 50 terms in 5 shards are 10 each.
        let lens: Vec<usize> = cut(&terms, 50, 5).iter().map(|r| r.len()).collect();
        assert_eq!(lens, [10; 5]);
    }
}
