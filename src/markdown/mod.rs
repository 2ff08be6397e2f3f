//! Markdown to HTML with Pandoc-style citations (`[@id]`, `[@a; @b]`, `[@id, locator]`).
//!
//! Content is untrusted: raw HTML in Markdown is shown as text, link targets with schemes
//! other than http, https and mailto are dropped, and characters HTML forbids are left out
//! ([`crate::escape`]). Citations become links to the cited source's page; unknown ids are
//! reported with their line and column.
//!
//! Two passes, both streaming: [`scan`] (preprocessing) finds a body's citations and first
//! paragraph for validation, descriptions and feeds; [`render`] writes the HTML when the
//! page that shows the body is rendered, so no rendered body is kept for the whole build.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{
    CowStr, DefaultBrokenLinkCallback, Event, OffsetIter, Options, Parser, Tag, TagEnd, html,
};

use memchr::memchr;

use crate::escape::{push_escaped, strip_forbidden};
use crate::model::{IncidentIx, PageIx};

mod images;

use images::RemoteImagesAsLinks;
pub use images::{RemoteImage, remote_image_warnings};

/// One `@id` inside a citation, with its place in the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationRef {
    pub id: String,
    /// Byte range of `@id` in the Markdown body.
    pub range: Range<usize>,
}

/// What the pipeline needs to know about a Markdown body before rendering: the citations
/// it contains (validated against the sources) and its first paragraph as plain text (for
/// descriptions and feed entries). The HTML itself is rendered by the page that shows the
/// body ([`render`]), so no rendered body is held for the whole build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub citations: Vec<CitationRef>,
    /// The plain text of the first paragraph, citations left out, whitespace collapsed.
    pub first_paragraph: String,
    /// Images that would load from another site.
    pub remote_images: Vec<RemoteImage>,
}

impl Body {
    /// The first paragraph cut to at most `max_chars` characters at a word boundary.
    pub fn summary(&self, max_chars: usize) -> String {
        truncate_words(&self.first_paragraph, max_chars)
    }
}

/// The scanned body of every incident and page, in the briefing's order: the preprocessing
/// stage, run once per build.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    pub incidents: Vec<Body>,
    pub pages: Vec<Body>,
}

impl Bodies {
    /// Incident `i`'s scanned body.
    pub fn incident(&self, i: IncidentIx) -> &Body {
        &self.incidents[i.get()]
    }

    /// Content page `p`'s scanned body.
    pub fn page(&self, p: PageIx) -> &Body {
        &self.pages[p.get()]
    }

    /// Scans every body in parallel.
    pub fn scan(briefing: &crate::model::Briefing) -> Bodies {
        Self::scan_with(briefing, &|_, markdown| scan(markdown))
    }

    /// Like [`Bodies::scan`], but each body goes through `scan_body` (called with the
    /// body's file and its Markdown), so a caller can reuse bodies it scanned before.
    pub fn scan_with(
        briefing: &crate::model::Briefing,
        scan_body: &(dyn Fn(&crate::model::Origin, &str) -> Body + Sync),
    ) -> Bodies {
        use rayon::prelude::*;
        Bodies {
            incidents: briefing
                .incidents
                .par_iter()
                .map(|i| scan_body(&i.origin, &i.body))
                .collect(),
            pages: briefing
                .pages
                .par_iter()
                .map(|p| scan_body(&p.origin, &p.body))
                .collect(),
        }
    }
}

/// The path from an incident page back to the site root.
pub const INCIDENT_ROOT: &str = "../";
/// The path from a content page back to the site root.
pub const PAGE_ROOT: &str = "";

/// Resolves citations against the briefing's sources (sorted by id).
pub struct SourceTitles<'a> {
    briefing: &'a crate::model::Briefing,
}

impl<'a> SourceTitles<'a> {
    pub fn new(briefing: &'a crate::model::Briefing) -> Self {
        SourceTitles { briefing }
    }
}

impl CitationResolver for SourceTitles<'_> {
    fn title(&self, id: &str) -> Option<&str> {
        self.briefing
            .source_index(id)
            .map(|i| self.briefing.sources[i].title.as_str())
    }
}

/// How citations link: `{root}sources/{id}.html`, titled with the source's title.
pub trait CitationResolver {
    /// The source's title, or `None` when the id is unknown.
    fn title(&self, id: &str) -> Option<&str>;
}

/// One item of a citation: `@id` with an optional locator (`[@id, para. 2]`).
#[derive(Debug)]
struct CitedItem {
    id: String,
    locator: Option<String>,
    /// Byte range of `@id` in the Markdown body.
    range: Range<usize>,
}

/// A body as [`Walk`] hands it over: Markdown events, and citations found in its text.
enum Piece<'a> {
    Event(Event<'a>),
    Citation(Vec<CitedItem>),
}

/// The events of a Markdown body, with the citations in its text separated out. Text
/// arrives in pieces (`[`, `@id`, `]`, line breaks), so each run of text is looked at
/// whole; a run without a citation is passed on as it came, uncopied.
struct Walk<'a> {
    markdown: &'a str,
    parser: OffsetIter<'a, DefaultBrokenLinkCallback>,
    /// The run of text events being gathered.
    run: Vec<(Event<'a>, Range<usize>)>,
    /// Pieces ready to hand out.
    ready: VecDeque<Piece<'a>>,
    /// The remote images seen so far.
    remote_images: Vec<RemoteImage>,
}

impl<'a> Walk<'a> {
    fn new(markdown: &'a str) -> Self {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_SMART_PUNCTUATION;
        Walk {
            markdown,
            parser: Parser::new_ext(markdown, options).into_offset_iter(),
            run: Vec::new(),
            ready: VecDeque::new(),
            remote_images: Vec::new(),
        }
    }
}

impl<'a> Iterator for Walk<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        loop {
            if let Some(piece) = self.ready.pop_front() {
                return Some(piece);
            }
            let next = self.parser.next();
            if let Some((Event::Start(Tag::Image { dest_url, .. }), range)) = &next
                && images::is_remote(dest_url)
            {
                let (url, range) = (dest_url.to_string(), range.clone());
                self.remote_images.push(RemoteImage { url, range });
            }
            // Soft line breaks join the run too: a citation may wrap across lines.
            if let Some((event @ (Event::Text(_) | Event::SoftBreak), range)) = next {
                self.run.push((event, range));
                continue;
            }
            if self.run.is_empty() {
                return next.map(|(event, _)| Piece::Event(event));
            }
            let ready = &mut self.ready;
            flush_run(self.markdown, &mut self.run, &mut |p| ready.push_back(p));
            if let Some((event, _)) = next {
                self.ready.push_back(Piece::Event(event));
            }
        }
    }
}

/// Emits a run of text events, turning the citations in it into [`Piece::Citation`]s.
fn flush_run<'a>(
    markdown: &'a str,
    run: &mut Vec<(Event<'a>, Range<usize>)>,
    emit: &mut impl FnMut(Piece<'a>),
) {
    let has_at =
        |event: &Event| matches!(event, Event::Text(t) if memchr(b'@', t.as_bytes()).is_some());
    let segments = match run.iter().any(|(event, _)| has_at(event)) {
        true => {
            let text = run_text(markdown, run);
            let range = run[0].1.start..run[run.len() - 1].1.end;
            let segments = split_citations(&text, range, markdown);
            let cited = segments.iter().any(|s| matches!(s, Segment::Citation(_)));
            cited.then_some((text, segments))
        }
        false => None,
    };
    let Some((text, segments)) = segments else {
        run.drain(..)
            .for_each(|(event, _)| emit(Piece::Event(event)));
        return;
    };
    run.clear();
    for segment in segments {
        match segment {
            Segment::Text(r) => {
                let piece = match &text {
                    Cow::Borrowed(text) => CowStr::Borrowed(&text[r]),
                    Cow::Owned(text) => CowStr::from(text[r].to_string()),
                };
                emit(Piece::Event(Event::Text(piece)));
            }
            Segment::Citation(items) => emit(Piece::Citation(items)),
        }
    }
}

/// The text of a run, soft breaks as `\n`: a slice of the Markdown when the run is the
/// Markdown as written (the usual case), a copy when escapes or typography changed it.
fn run_text<'a>(markdown: &'a str, run: &[(Event<'a>, Range<usize>)]) -> Cow<'a, str> {
    let verbatim = run.iter().all(|(event, range)| {
        let source = &markdown[range.clone()];
        match event {
            Event::Text(t) => std::ptr::eq(t.as_ref(), source),
            _ => source == "\n",
        }
    });
    let contiguous = run.windows(2).all(|w| w[0].1.end == w[1].1.start);
    if verbatim && contiguous {
        return Cow::Borrowed(&markdown[run[0].1.start..run[run.len() - 1].1.end]);
    }
    let mut text = String::new();
    for (event, _) in run {
        match event {
            Event::Text(t) => text.push_str(t),
            _ => text.push('\n'),
        }
    }
    Cow::Owned(text)
}

/// A part of a run of text: plain text (a byte range of it) or a citation.
enum Segment {
    Text(Range<usize>),
    Citation(Vec<CitedItem>),
}

/// Splits a run of text (spanning `range` of `markdown`) into text and citations.
fn split_citations(text: &str, range: Range<usize>, markdown: &str) -> Vec<Segment> {
    let raw = markdown.get(range.clone()).unwrap_or("");
    let mut segments = Vec::with_capacity(8);
    let mut raw_cursor = 0;
    // Text from `plain` up to the current position has no citation in it.
    let (mut plain, mut from) = (0, 0);
    while let Some(found) = find_citation_start(&text[from..]) {
        let start = from + found;
        let Some(len) = memchr(b']', &text.as_bytes()[start..]) else {
            break;
        };
        let Some(items) = parse_citation(&text[start + 1..start + len]) else {
            from = start + 1;
            continue;
        };
        if start > plain {
            segments.push(Segment::Text(plain..start));
        }
        let mut cited = Vec::with_capacity(items.len());
        for (id, locator) in items {
            // Locate `@id` in the raw Markdown for precise diagnostics.
            let found = locate_id(raw, raw_cursor, id);
            let at = found.clone().unwrap_or(0..raw.len());
            raw_cursor = found.map_or(raw_cursor, |r| r.end);
            cited.push(CitedItem {
                id: id.to_string(),
                locator: locator.map(str::to_string),
                range: range.start + at.start..range.start + at.end,
            });
        }
        segments.push(Segment::Citation(cited));
        plain = start + len + 1;
        from = plain;
    }
    if plain < text.len() {
        segments.push(Segment::Text(plain..text.len()));
    }
    segments
}

/// Where `@id` stands in `raw` (Markdown source) at or after `from`, allowing backslash
/// escapes in the source (`@a\_b` for the id `a_b`).
fn locate_id(raw: &str, from: usize, id: &str) -> Option<Range<usize>> {
    memchr::memchr_iter(b'@', &raw.as_bytes()[from..]).find_map(|i| {
        let start = from + i;
        let mut end = start + 1;
        for ch in id.chars() {
            let rest = &raw[end..];
            if rest.starts_with('\\') && rest[1..].starts_with(ch) {
                end += 1;
            }
            if !raw[end..].starts_with(ch) {
                return None;
            }
            end += ch.len_utf8();
        }
        Some(start..end)
    })
}

/// The byte offset of the first `[@` in `text`.
fn find_citation_start(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr(b'[', &text.as_bytes()[from..]) {
        let at = from + i;
        if text.as_bytes().get(at + 1) == Some(&b'@') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Scans a body without rendering it: its citations and its first paragraph's text.
pub fn scan(markdown: &str) -> Body {
    let mut body = Body::default();
    // 0: before the first paragraph, 1: inside it, 2: after it.
    let mut paragraph = 0;
    let mut walk = Walk::new(markdown);
    for piece in walk.by_ref() {
        match piece {
            Piece::Citation(items) => {
                if paragraph == 1 {
                    let kept = body.first_paragraph.trim_end().len();
                    body.first_paragraph.truncate(kept);
                }
                let refs = items.into_iter().map(|item| CitationRef {
                    id: item.id,
                    range: item.range,
                });
                body.citations.extend(refs);
            }
            Piece::Event(Event::Start(Tag::Paragraph)) if paragraph == 0 => paragraph = 1,
            Piece::Event(Event::End(TagEnd::Paragraph)) if paragraph == 1 => paragraph = 2,
            Piece::Event(Event::Text(t) | Event::Code(t)) if paragraph == 1 => {
                body.first_paragraph.push_str(&t)
            }
            Piece::Event(Event::SoftBreak | Event::HardBreak) if paragraph == 1 => {
                body.first_paragraph.push(' ')
            }
            Piece::Event(_) => {}
        }
    }
    body.first_paragraph = collapse_whitespace(&body.first_paragraph);
    body.remote_images = walk.remote_images;
    body
}

/// `text` with runs of whitespace turned into single spaces and the ends trimmed.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    // Kept for the whole build (one per incident): room for the uncollapsed text is not.
    out.shrink_to_fit();
    out
}

/// Renders `markdown` to HTML for a page whose path back to the site root is `root`
/// (`""`, `"../"`). Citations become links to the cited source's page; images from other
/// sites become links to them unless `allow_remote_images`.
pub fn render(
    markdown: &str,
    root: &str,
    resolver: &dyn CitationResolver,
    allow_remote_images: bool,
) -> String {
    let events = Walk::new(markdown).map(|piece| match piece {
        Piece::Event(event) => sanitize(event),
        Piece::Citation(items) => Event::InlineHtml(citation_html(&items, root, resolver).into()),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    match allow_remote_images {
        true => html::push_html(&mut out, events),
        false => html::push_html(&mut out, RemoteImagesAsLinks::new(events)),
    }
    // Characters HTML forbids can only have come from the Markdown (text, link targets,
    // footnote labels …): leave them out wherever they are.
    match strip_forbidden(&out) {
        Cow::Owned(stripped) => stripped,
        Cow::Borrowed(_) => out,
    }
}

/// A citation as links to the cited sources: `[<a …>id</a>, locator; …]`.
fn citation_html(items: &[CitedItem], root: &str, resolver: &dyn CitationResolver) -> String {
    let mut html = String::with_capacity(64 + items.len() * 160);
    html.push_str("<span class=\"citation\">[");
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            html.push_str("; ");
        }
        match resolver.title(&item.id) {
            Some(title) => {
                html.push_str("<a class=\"cite\" href=\"");
                html.push_str(root);
                html.push_str("sources/");
                html.push_str(&item.id);
                html.push_str(".html\" title=\"");
                push_escaped(&mut html, title);
                html.push_str("\">");
                push_escaped(&mut html, &item.id);
                html.push_str("</a>");
            }
            None => {
                html.push('@');
                push_escaped(&mut html, &item.id);
            }
        }
        if let Some(locator) = &item.locator {
            html.push_str(", ");
            push_escaped(&mut html, locator);
        }
    }
    html.push_str("]</span>");
    html
}

/// Neutralises raw HTML and unsafe link targets.
fn sanitize(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

/// Keeps relative URLs and http(s)/mailto; anything else (javascript:, data: …) becomes `#`.
pub fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let trimmed = url.trim_start();
    let scheme_end = trimmed.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if trimmed.as_bytes()[i] == b':' => {
            let scheme = &trimmed[..i];
            let allowed = ["http", "https", "mailto"];
            if allowed.iter().any(|a| scheme.eq_ignore_ascii_case(a)) {
                url
            } else {
                CowStr::Borrowed("#")
            }
        }
        _ => url,
    }
}

/// Parses the inside of `[@a; @b, locator]`; `None` if it is not a citation.
fn parse_citation(inner: &str) -> Option<Vec<(&str, Option<&str>)>> {
    let mut items = Vec::new();
    for part in inner.split(';') {
        let part = part.trim();
        let rest = part.strip_prefix('@')?;
        if rest.starts_with(char::is_whitespace) {
            // `@ id` is not a citation: the id follows the `@` directly, as in Pandoc.
            return None;
        }
        let (id, locator) = match rest.split_once(',') {
            Some((id, loc)) => (id.trim(), Some(loc.trim()).filter(|l| !l.is_empty())),
            None => (rest.trim(), None),
        };
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        {
            return None;
        }
        items.push((id, locator));
    }
    (!items.is_empty()).then_some(items)
}

fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests;
