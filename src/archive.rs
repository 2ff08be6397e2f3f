//! Archived source texts: the text every quote of a source is checked against.
//!
//! An archive is plain text, Markdown, or a web page saved as HTML (the way analysts keep
//! copies of online articles). Plain text is used as it is. Markdown is reduced to the
//! text a reader sees, so `*at least* 10` still matches the quote "at least 10". A saved
//! page is reduced to its readable text with html5gum's tokenizer, as a browser would parse
//! it: scripts, styles, navigation, headers, footers, forms and other page furniture are
//! dropped, entities decoded, and block elements separated, so a quote split across tags
//! (`killed <b>at least</b> 10`) still matches.

use std::path::Path;

use html5gum::{DefaultEmitter, Token, Tokenizer};
use pulldown_cmark::{Event, Parser, TagEnd};

/// What kind of text an archive holds, by its file name and, failing that, its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    pub fn of(path: &Path, text: &str) -> Format {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("html" | "htm" | "xhtml") => Format::Html,
            Some("md" | "markdown") => Format::Markdown,
            _ if looks_like_html(text) => Format::Html,
            _ => Format::Text,
        }
    }
}

/// Whether a text without a telling file name starts like a saved web page.
fn looks_like_html(text: &str) -> bool {
    let start: String = text.trim_start().chars().take(15).collect();
    let start = start.to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// The text of an archive a reader sees (see the module documentation).
pub fn readable_text(path: &Path, text: String) -> String {
    match Format::of(path, &text) {
        Format::Text => text,
        Format::Markdown => markdown_text(&text),
        Format::Html => html_text(&text),
    }
}

/// The text of a Markdown document: its words without the markup, blocks on lines of
/// their own.
fn markdown_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => out.push('\n'),
            Event::End(TagEnd::Item | TagEnd::TableCell | TagEnd::TableRow) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Elements whose content is not part of the article a page holds.
const SKIPPED: &[&[u8]] = &[
    b"script",
    b"style",
    b"noscript",
    b"template",
    b"nav",
    b"header",
    b"footer",
    b"aside",
    b"form",
    b"svg",
    b"iframe",
    b"object",
    b"button",
    b"select",
    b"head",
];

/// Elements that end a line of text.
const BLOCKS: &[&[u8]] = &[
    b"p",
    b"div",
    b"br",
    b"li",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"tr",
    b"td",
    b"th",
    b"blockquote",
    b"pre",
    b"section",
    b"article",
    b"main",
    b"figure",
    b"figcaption",
    b"dt",
    b"dd",
    b"hr",
    b"table",
    b"ul",
    b"ol",
    b"title",
];

/// The readable text of an HTML page (see the module documentation).
fn html_text(html: &str) -> String {
    let mut emitter = DefaultEmitter::default();
    // Script and style contents are text to skip, not markup, as a browser reads them.
    emitter.naively_switch_states(true);
    let mut out = String::with_capacity(html.len() / 2);
    // Open skipped elements, innermost last.
    let mut skipping: Vec<Vec<u8>> = Vec::new();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.as_slice();
                if SKIPPED.contains(&name) && !tag.self_closing {
                    skipping.push(name.to_vec());
                } else if skipping.is_empty() && BLOCKS.contains(&name) {
                    out.push('\n');
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.as_slice();
                if let Some(at) = skipping.iter().rposition(|open| open == name) {
                    skipping.truncate(at);
                } else if skipping.is_empty() && BLOCKS.contains(&name) {
                    out.push('\n');
                }
            }
            Token::String(text) if skipping.is_empty() => {
                out.push_str(&String::from_utf8_lossy(&text));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::normalize_quote;

    fn html(text: &str) -> String {
        normalize_quote(&readable_text(Path::new("a.html"), text.to_string()))
    }

    #[test]
    fn a_saved_page_keeps_its_article_and_drops_the_furniture() {
        let page = r#"<!DOCTYPE html><html><head><title>Floods</title>
            <style>p { color: red } .x::after { content: "at least 10" }</style>
            <script>var s = "<p>killed at least 10</p>";</script></head>
            <body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
            <header>Breaking news</header>
            <article><h1>River bursts its banks</h1>
            <p>Officials said the flood had killed <b>at least</b>&nbsp;10&nbsp;people
            and &ldquo;displaced&rdquo; hundreds.</p><p>Rescue work goes on.</p></article>
            <aside>Related: other floods</aside><footer>&copy; Example Wire</footer>
            </body></html>"#;
        let text = html(page);
        assert!(
            text.contains("the flood had killed at least 10 people and \"displaced\" hundreds."),
            "{text}"
        );
        assert!(text.contains("river bursts its banks"), "{text}");
        for furniture in [
            "home",
            "breaking",
            "related",
            "example wire",
            "color",
            "var s",
        ] {
            assert!(!text.contains(furniture), "{furniture} in {text}");
        }
        // The script's "killed at least 10" is gone: the article's is the only one.
        assert_eq!(text.matches("at least 10").count(), 1, "{text}");
        // Blocks do not run into each other.
        assert!(text.contains("hundreds. rescue work"), "{text}");
    }

    #[test]
    fn the_format_follows_the_name_then_the_text() {
        let format = |name: &str, text: &str| Format::of(Path::new(name), text);
        assert_eq!(format("a.HTM", "plain"), Format::Html);
        assert_eq!(format("a.md", "<html>"), Format::Markdown);
        assert_eq!(format("a.txt", "  <!DOCTYPE html><p>x"), Format::Html);
        assert_eq!(
            format("a.txt", "Officials said <b> was typed"),
            Format::Text
        );
    }

    #[test]
    fn markdown_is_read_without_its_markup() {
        let text = readable_text(
            Path::new("a.md"),
            "# Report\n\nThe army said *at least* 10 [militants](https://x.org) died.\n".into(),
        );
        assert!(
            normalize_quote(&text).contains("the army said at least 10 militants died."),
            "{text}"
        );
    }
}
