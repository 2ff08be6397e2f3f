//! Full-text search that works from `file://`, under any sub-path and on any static host:
//! an index cut into small files that the search script (`search/search.js`) loads on
//! demand with classic `<script>` tags, since browsers refuse `fetch`, ES modules and
//! WebAssembly for local files. The format is described in docs/search.md.
//!
//! Everything here is a function from a [`Corpus`] (a numbered list of documents) to
//! files; [`site`] makes the corpus of a briefing. The number and names of the files
//! depend only on the number of documents ([`Layout`]), so a content edit rewrites files
//! but never adds or removes one.

mod encode;
mod index;
pub mod site;
mod terms;
pub mod tokenise;

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::MarkdownText;

pub use encode::decode_set;
pub use index::{Postings, TermIndex};
pub use site::IndexCache;

/// The format version written in the manifest.
pub const FORMAT_VERSION: u32 = 1;
/// Documents per document shard (`search/d<N>.js`).
pub const DOCS_PER_SHARD: usize = 32;
/// Documents per term shard (`search/t<N>.js`): their number is the number of documents
/// divided by this, rounded up.
pub const DOCS_PER_TERM_SHARD: usize = 128;
/// The facets whose values are indexed as `<facet>:<value>` terms.
pub const FACETS: &[&str] = &[
    "kind", "place", "category", "actor", "outcome", "source", "party", "month",
];
/// The search script, written as `search/search.js`.
pub const SCRIPT: &[u8] = include_bytes!("../../themes/default/static/search.js");

/// What a result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    Incident,
    Figure,
    Source,
}

impl ResultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultKind::Incident => "incident",
            ResultKind::Figure => "figure",
            ResultKind::Source => "source",
        }
    }
}

/// A text of a document, as written.
#[derive(Debug, Clone)]
pub enum Text<'a> {
    Plain(Cow<'a, str>),
    /// A Markdown body (a shared handle on the file's text, not a copy).
    Markdown(MarkdownText),
}

/// What is searched in a document.
#[derive(Debug, Clone, Default)]
pub struct Indexed<'a> {
    /// Words found here rank the document higher.
    pub title: Cow<'a, str>,
    pub text: Vec<Text<'a>>,
    /// Facet terms such as `place:turbat` (see [`facet_term`]).
    pub facets: Vec<String>,
}

/// What a result shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    pub kind: &'static str,
    /// Relative to the site root.
    pub url: String,
    pub title: String,
    pub date: String,
    pub place: String,
    pub snippet: String,
}

/// A numbered list of documents. Document ids are positions in the list; among results
/// that score the same, the lower id comes first.
pub trait Corpus: Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn indexed(&self, id: usize) -> Indexed<'_>;
    fn shown(&self, id: usize) -> Shown;
}

/// The facet term for `value` of `facet`, or `None` when the value has no words.
pub fn facet_term(facet: &str, value: &str) -> Option<String> {
    let mut term = String::with_capacity(facet.len() + 1 + value.len());
    term.push_str(facet);
    term.push(':');
    tokenise::push_slug(value, &mut term);
    (term.len() > facet.len() + 1).then_some(term)
}

/// How many files of each kind an index of `docs` documents has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub term_shards: usize,
    pub doc_shards: usize,
}

impl Layout {
    pub fn of(docs: usize) -> Layout {
        Layout {
            term_shards: docs.div_ceil(DOCS_PER_TERM_SHARD).max(1),
            doc_shards: docs.div_ceil(DOCS_PER_SHARD),
        }
    }
}

/// The index files, by path under the output folder.
pub fn manifest_path() -> &'static str {
    "search/manifest.js"
}
pub fn script_path() -> &'static str {
    "search/search.js"
}
pub fn term_shard_path(n: usize) -> String {
    format!("search/t{n}.js")
}
pub fn doc_shard_path(n: usize) -> String {
    format!("search/d{n}.js")
}
/// The file naming the values of `facet` (see [`facet_labels`]).
pub fn facet_labels_path(facet: &str) -> String {
    format!("search/f-{facet}.js")
}

#[derive(Serialize)]
struct Manifest<'a> {
    v: u32,
    docs: usize,
    #[serde(rename = "docsPer")]
    docs_per: usize,
    /// `[shard number, first term]` of every non-empty term shard, in term order.
    shards: Vec<(usize, &'a str)>,
    facets: &'a [&'a str],
}

/// `search/manifest.js`: `sitrepSearch.m({...})`.
pub fn manifest(index: &TermIndex) -> Vec<u8> {
    let shards = (index.shards.iter().enumerate())
        .filter(|(_, range)| !range.is_empty())
        .map(|(n, range)| (n, &*index.terms[range.start].0))
        .collect();
    let manifest = Manifest {
        v: FORMAT_VERSION,
        docs: index.docs,
        docs_per: DOCS_PER_SHARD,
        shards,
        facets: FACETS,
    };
    let json = serde_json::to_string(&manifest).unwrap_or_default();
    format!("sitrepSearch.m({json});\n").into_bytes()
}

/// `search/t<n>.js`: `sitrepSearch.t(n,{"term":"<set>" or ["<set>","<title set>"],…})`,
/// encoded once per index (and kept by `TermIndex::update` while the shard is the same).
pub fn term_shard(index: &TermIndex, n: usize) -> Vec<u8> {
    match index.encoded.get(n) {
        Some(cell) => cell.get_or_init(|| encode_term_shard(index, n)).clone(),
        None => encode_term_shard(index, n),
    }
}

fn encode_term_shard(index: &TermIndex, n: usize) -> Vec<u8> {
    let range = index.shards.get(n).cloned().unwrap_or(0..0);
    let mut out = String::new();
    let _ = write!(out, "sitrepSearch.t({n},{{");
    for (k, (term, postings)) in index.terms[range].iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(&**term).unwrap_or_default());
        out.push(':');
        if postings.title.is_empty() {
            out.push('"');
            encode::push_set(&mut out, &postings.all);
            out.push('"');
        } else {
            out.push_str("[\"");
            encode::push_set(&mut out, &postings.all);
            out.push_str("\",\"");
            encode::push_set(&mut out, &postings.title);
            out.push_str("\"]");
        }
    }
    out.push_str("});\n");
    out.into_bytes()
}

/// `search/d<n>.js`: `sitrepSearch.d(n,[[kind,url,title,date,place,snippet],…])` for
/// documents `n * DOCS_PER_SHARD` onwards.
pub fn doc_shard(corpus: &dyn Corpus, n: usize) -> Vec<u8> {
    let start = (n * DOCS_PER_SHARD).min(corpus.len());
    let end = (start + DOCS_PER_SHARD).min(corpus.len());
    let rows: Vec<[String; 6]> = (start..end)
        .map(|id| {
            let s = corpus.shown(id);
            [s.kind.into(), s.url, s.title, s.date, s.place, s.snippet]
        })
        .collect();
    let json = serde_json::to_string(&rows).unwrap_or_default();
    format!("sitrepSearch.d({n},{json});\n").into_bytes()
}

/// `search/f-<facet>.js`: `sitrepSearch.f("facet",{"value":"label",…})`, the name of each
/// value of a facet term (`place:pasni-port` is "Pasnī Port"), in the order given; for the
/// browse filter, which offers the values of a whole list, most of them not on the page.
pub fn facet_labels<'a>(facet: &str, labels: impl Iterator<Item = (&'a str, String)>) -> Vec<u8> {
    let json = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let mut out = format!("sitrepSearch.f({},{{", json(facet));
    for (n, (value, label)) in labels.enumerate() {
        if n > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}:{}", json(value), json(&label));
    }
    out.push_str("});\n");
    out.into_bytes()
}

/// Reads the JSON argument out of a file written here (`sitrepSearch.x(…);`), for tests
/// and tools: the manifest's object, or a shard's (or a facet's labels') `[n, data]`.
pub fn parse_file(bytes: &[u8]) -> Option<serde_json::Value> {
    let text = std::str::from_utf8(bytes).ok()?.trim_end();
    let open = text.find('(')?;
    let inner = text.get(open + 1..)?.strip_suffix(");")?;
    if text.starts_with("sitrepSearch.m(") {
        return serde_json::from_str(inner).ok();
    }
    serde_json::from_str(&format!("[{inner}]")).ok()
}
