//! Markdown to HTML with Pandoc-style citations (`[@id]`, `[@a; @b]`, `[@id, locator]`).
//!
//! Content is untrusted: raw HTML in Markdown is shown as text, and link targets with
//! schemes other than http, https and mailto are dropped. Citations become links to the
//! cited source's page; unknown ids are reported with their line and column.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// One `@id` inside a citation, with its place in the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationRef {
    pub id: String,
    /// Byte range of `@id` in the Markdown body.
    pub range: Range<usize>,
}

/// The HTML of a Markdown body and the citations it contains.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub citations: Vec<CitationRef>,
}

/// The rendered Markdown of every incident and page, in the briefing's order: the
/// preprocessing stage, run once per build so each body is rendered exactly once.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    pub incidents: Vec<Rendered>,
    pub pages: Vec<Rendered>,
}

impl Bodies {
    /// Renders every body in parallel. Incidents live one folder deep, pages at the root.
    pub fn render(briefing: &crate::model::Briefing) -> Bodies {
        Self::render_with(briefing, &|_, markdown, root, titles| {
            render(markdown, root, titles)
        })
    }

    /// Like [`Bodies::render`], but each body goes through `render_body` (called with the
    /// body's file, its Markdown, its root and the citation resolver), so a caller can
    /// reuse bodies it rendered before.
    pub fn render_with(
        briefing: &crate::model::Briefing,
        render_body: &(dyn Fn(&crate::model::Origin, &str, &str, &SourceTitles) -> Rendered + Sync),
    ) -> Bodies {
        use rayon::prelude::*;
        let titles = SourceTitles::new(briefing);
        Bodies {
            incidents: briefing
                .incidents
                .par_iter()
                .map(|i| render_body(&i.origin, &i.body, INCIDENT_ROOT, &titles))
                .collect(),
            pages: briefing
                .pages
                .par_iter()
                .map(|p| render_body(&p.origin, &p.body, PAGE_ROOT, &titles))
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

/// Renders `markdown` for a page whose path back to the site root is `root` (`""`, `"../"`).
pub fn render(markdown: &str, root: &str, resolver: &dyn CitationResolver) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut citations = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    // Text arrives in pieces ("[", "@id", "]"); merge runs so citations can be found whole.
    let mut pending: Option<(String, Range<usize>)> = None;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        // Soft line breaks join the run too: a citation may wrap across lines.
        let piece = match &event {
            Event::Text(text) => Some(text.as_ref()),
            Event::SoftBreak => Some("\n"),
            _ => None,
        };
        if let Some(piece) = piece {
            match &mut pending {
                Some((buf, r)) => {
                    buf.push_str(piece);
                    r.end = range.end;
                }
                None => pending = Some((piece.to_string(), range)),
            }
            continue;
        }
        if let Some((text, r)) = pending.take() {
            emit_text(
                &text,
                r,
                markdown,
                root,
                resolver,
                &mut events,
                &mut citations,
            );
        }
        events.push(sanitize(event));
    }
    if let Some((text, r)) = pending.take() {
        emit_text(
            &text,
            r,
            markdown,
            root,
            resolver,
            &mut events,
            &mut citations,
        );
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    // Bodies are kept for the whole build: give back what growing the string over-allocated.
    out.shrink_to_fit();
    citations.shrink_to_fit();
    Rendered {
        html: out,
        citations,
    }
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
    let lower = url.trim_start().to_ascii_lowercase();
    let scheme_end = lower.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if lower.as_bytes()[i] == b':' => {
            let scheme = &lower[..i];
            if matches!(scheme, "http" | "https" | "mailto") {
                url
            } else {
                CowStr::Borrowed("#")
            }
        }
        _ => url,
    }
}

/// Emits a run of text, turning citations in it into links.
fn emit_text<'a>(
    text: &str,
    range: Range<usize>,
    markdown: &str,
    root: &str,
    resolver: &dyn CitationResolver,
    events: &mut Vec<Event<'a>>,
    citations: &mut Vec<CitationRef>,
) {
    let raw = markdown.get(range.clone()).unwrap_or("");
    let mut rest = text;
    let mut raw_cursor = 0;
    while let Some(start) = rest.find("[@") {
        let Some(len) = rest[start..].find(']') else {
            break;
        };
        let inner = &rest[start + 1..start + len];
        let Some(items) = parse_citation(inner) else {
            events.push(Event::Text(CowStr::from(rest[..start + 1].to_string())));
            rest = &rest[start + 1..];
            continue;
        };
        if start > 0 {
            events.push(Event::Text(CowStr::from(rest[..start].to_string())));
        }
        let mut html = String::from("<span class=\"citation\">[");
        for (n, (id, locator)) in items.iter().enumerate() {
            // Locate `@id` in the raw Markdown for precise diagnostics.
            let needle = format!("@{id}");
            let offset = raw[raw_cursor..]
                .find(&needle)
                .map(|i| raw_cursor + i)
                .unwrap_or(0);
            raw_cursor = offset + needle.len().min(raw.len() - offset);
            citations.push(CitationRef {
                id: id.to_string(),
                range: range.start + offset..range.start + offset + needle.len(),
            });
            if n > 0 {
                html.push_str("; ");
            }
            match resolver.title(id) {
                Some(title) => {
                    html.push_str(&format!(
                        "<a class=\"cite\" href=\"{root}sources/{id}.html\" title=\"{}\">{}</a>",
                        escape_html(title),
                        escape_html(id)
                    ));
                }
                None => html.push_str(&escape_html(&format!("@{id}"))),
            }
            if let Some(locator) = locator {
                html.push_str(", ");
                html.push_str(&escape_html(locator));
            }
        }
        html.push_str("]</span>");
        events.push(Event::InlineHtml(CowStr::from(html)));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        events.push(Event::Text(CowStr::from(rest.to_string())));
    }
}

/// Parses the inside of `[@a; @b, locator]`; `None` if it is not a citation.
fn parse_citation(inner: &str) -> Option<Vec<(&str, Option<&str>)>> {
    let mut items = Vec::new();
    for part in inner.split(';') {
        let part = part.trim();
        let rest = part.strip_prefix('@')?;
        let (id, locator) = match rest.split_once(',') {
            Some((id, loc)) => (id.trim(), Some(loc.trim()).filter(|l| !l.is_empty())),
            None => (rest.trim(), None),
        };
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_alphanumeric() || "-_.:".contains(c))
        {
            return None;
        }
        items.push((id, locator));
    }
    (!items.is_empty()).then_some(items)
}

/// Escapes text for HTML and XML content and double-quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The plain text of a Markdown body's first paragraph, for descriptions and feeds.
pub fn first_paragraph_text(markdown: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut in_paragraph = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(pulldown_cmark::TagEnd::Paragraph) if in_paragraph => break,
            Event::Text(t) | Event::Code(t) if in_paragraph => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => out.push(' '),
            _ => {}
        }
    }
    // Citations are noise in a description.
    let mut cleaned = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(start) = rest.find("[@") {
        cleaned.push_str(rest[..start].trim_end());
        match rest[start..].find(']') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    cleaned.push_str(rest);
    truncate_words(cleaned.trim(), max_chars)
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
mod tests {
    use super::*;

    struct Known;
    impl CitationResolver for Known {
        fn title(&self, id: &str) -> Option<&str> {
            (id == "a" || id == "b").then_some("Title <A>")
        }
    }

    #[test]
    fn citations_become_links_and_are_located() {
        let md = "Text [@a; @b, para. 2] and [@zz].\n";
        let out = render(md, "../", &Known);
        assert!(
            out.html.contains("href=\"../sources/a.html\""),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("title=\"Title &lt;A&gt;\""),
            "{}",
            out.html
        );
        assert!(out.html.contains(", para. 2"), "{}", out.html);
        let ids: Vec<_> = out.citations.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "zz"]);
        assert_eq!(&md[out.citations[2].range.clone()], "@zz");
    }

    #[test]
    fn raw_html_and_script_urls_are_neutralised() {
        let md = "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b>hi</b>\n";
        let out = render(md, "", &Known);
        assert!(!out.html.contains("<script>"), "{}", out.html);
        assert!(out.html.contains("&lt;script&gt;"), "{}", out.html);
        assert!(!out.html.contains("javascript:"), "{}", out.html);
        assert!(!out.html.contains("<b>"), "{}", out.html);
    }

    #[test]
    fn citations_may_wrap_across_lines() {
        let md = "Text [@a;\n@b] end.\n";
        let out = render(md, "", &Known);
        assert!(out.html.contains("href=\"sources/b.html\""), "{}", out.html);
        assert!(!out.html.contains("[@"), "{}", out.html);
        assert_eq!(&md[out.citations[1].range.clone()], "@b");
    }

    #[test]
    fn citations_in_code_are_left_alone() {
        let out = render("`[@a]`\n", "", &Known);
        assert!(out.citations.is_empty());
        assert!(out.html.contains("<code>[@a]</code>"));
    }

    #[test]
    fn emails_and_brackets_are_not_citations() {
        let out = render("mail me@x.org and [see @ here]\n", "", &Known);
        assert!(out.citations.is_empty(), "{:?}", out.citations);
    }

    #[test]
    fn first_paragraph_drops_citations() {
        let text = first_paragraph_text("Militants attacked [@a]. More.\n\nSecond.", 200);
        assert_eq!(text, "Militants attacked. More.");
    }
}
