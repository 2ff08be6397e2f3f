//! Quoted passages highlighted in an archived text, for archive pages.
//!
//! [`highlight`] finds each quote in the text exactly as quote verification does
//! ([`crate::validate::find_quotes`]: the same normalisation, the first occurrence), so a
//! quote is highlighted if and only if it was verified. Quotes that are the same once
//! normalised share one anchor ([`passage_anchor`]); quotes that overlap are highlighted
//! as one passage (one `<mark>`), which carries the anchor of its first quote and an empty
//! `<span id>` where each of its other quotes starts, so every claim's link lands on its own
//! words. After each passage come links back to the claims that quote it.
//!
//! The text is escaped (markup, forbidden characters, bidi controls isolated); whitespace
//! runs are collapsed to a space, a line break or a paragraph break (two), for a
//! `white-space: pre-wrap` block.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use super::context::passage_anchor;
use crate::escape::{escape_html, push_escaped};
use crate::validate::find_quotes;

/// A claim quoting the text: its quote, and where and how to link back to it.
pub struct Quoting<'a> {
    pub quote: &'a str,
    pub href: String,
    pub label: String,
}

/// An archived text as HTML with its quoted passages highlighted.
#[derive(Debug, Default)]
pub struct Highlighted {
    pub html: String,
    /// How many passages (`<mark>` elements) it holds.
    pub passages: usize,
}

/// Highlighted text (a range of the archive's text) and the groups quoted in it, each with
/// where in the text it starts.
type Passage = (Range<usize>, Vec<(usize, usize)>);

/// Quotes the same once normalised, with the claims quoting them.
struct QuoteGroup<'a> {
    anchor: String,
    quote: &'a str,
    claims: Vec<&'a Quoting<'a>>,
}

/// `text` with the passages `quoting` quotes highlighted (see the module documentation).
pub fn highlight(text: &str, quoting: &[Quoting]) -> Highlighted {
    let groups = group(quoting);
    let quotes: Vec<&str> = groups.iter().map(|g| g.quote).collect();
    let mut found: Vec<(Range<usize>, usize)> = find_quotes(text, &quotes)
        .into_iter()
        .enumerate()
        .filter_map(|(g, range)| Some((range?, g)))
        .collect();
    found.sort_by_key(|(range, g)| (range.start, std::cmp::Reverse(range.end), *g));
    // Overlapping quotes merged into passages.
    let mut passages: Vec<Passage> = Vec::new();
    for (range, g) in found {
        match passages.last_mut() {
            Some((passage, members)) if range.start < passage.end => {
                passage.end = passage.end.max(range.end);
                members.push((range.start, g));
            }
            _ => passages.push((range.clone(), vec![(range.start, g)])),
        }
    }
    let mut out = Out::default();
    let mut at = 0;
    for (range, members) in &passages {
        out.text(&text[at..range.start]);
        at = range.start;
        for (n, &(start, g)) in members.iter().enumerate() {
            out.text(&text[at..start]);
            at = start;
            let anchor = &groups[g].anchor;
            match n {
                0 => out.markup(&format!("<mark class=\"passage\" id=\"{anchor}\">")),
                _ => out.markup(&format!(
                    "<span class=\"passage-start\" id=\"{anchor}\"></span>"
                )),
            }
        }
        out.text(&text[at..range.end]);
        at = range.end;
        out.markup("</mark>");
        out.markup(&backlinks(members.iter().map(|&(_, g)| &groups[g])));
    }
    out.text(&text[at..]);
    Highlighted {
        html: out.finish(),
        passages: passages.len(),
    }
}

/// `quoting` grouped by anchor, in order of first appearance; quotes empty once normalised
/// are left out (there is nothing to highlight).
fn group<'a>(quoting: &'a [Quoting<'a>]) -> Vec<QuoteGroup<'a>> {
    let mut groups: Vec<QuoteGroup> = Vec::new();
    let mut by_anchor: HashMap<String, usize> = HashMap::new();
    for claim in quoting {
        let Some(anchor) = passage_anchor(claim.quote) else {
            continue;
        };
        let g = *by_anchor.entry(anchor.clone()).or_insert_with(|| {
            groups.push(QuoteGroup {
                anchor,
                quote: claim.quote,
                claims: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].claims.push(claim);
    }
    groups
}

/// The links from a passage back to every claim quoting it.
fn backlinks<'a>(groups: impl Iterator<Item = &'a QuoteGroup<'a>>) -> String {
    let mut html = String::from(" <span class=\"passage-claims\">[quoted in ");
    let claims = groups.flat_map(|g| &g.claims);
    for (n, claim) in claims.enumerate() {
        if n > 0 {
            html.push_str("; ");
        }
        let _ = write!(
            html,
            "<a href=\"{}\">{}</a>",
            escape_html(&claim.href),
            escape_html(&claim.label)
        );
    }
    html.push_str("]</span>");
    html
}

/// Whitespace not yet written: collapsed to the widest break it holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    #[default]
    None,
    Space,
    Line,
    Paragraph,
}

/// The page's HTML as it is written: escaped text with collapsed whitespace, and markup.
#[derive(Default)]
struct Out {
    html: String,
    /// Text not yet escaped into `html`.
    plain: String,
    gap: Gap,
}

impl Out {
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                let gap = match (c, self.gap) {
                    ('\n', Gap::Line | Gap::Paragraph) => Gap::Paragraph,
                    ('\n', _) => Gap::Line,
                    _ => Gap::Space,
                };
                self.gap = self.gap.max(gap);
                continue;
            }
            self.write_gap();
            self.plain.push(c);
        }
    }

    /// Writes the pending whitespace, unless nothing was written yet (leading whitespace).
    fn write_gap(&mut self) {
        let gap = std::mem::take(&mut self.gap);
        if self.plain.is_empty() && self.html.is_empty() {
            return;
        }
        self.plain.push_str(match gap {
            Gap::None => "",
            Gap::Space => " ",
            Gap::Line => "\n",
            Gap::Paragraph => "\n\n",
        });
    }

    fn markup(&mut self, html: &str) {
        self.write_gap();
        self.write_plain();
        self.html.push_str(html);
    }

    /// Escapes the text not yet written, line by line: a bidi control is closed on the
    /// line that holds it.
    fn write_plain(&mut self) {
        for (n, line) in self.plain.split('\n').enumerate() {
            if n > 0 {
                self.html.push('\n');
            }
            push_escaped(&mut self.html, line);
        }
        self.plain.clear();
    }

    fn finish(mut self) -> String {
        self.write_plain();
        self.html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoting<'a>(quote: &'a str, label: &str) -> Quoting<'a> {
        Quoting {
            quote,
            href: format!("../figures/f.html#{label}"),
            label: label.to_string(),
        }
    }

    /// The text of each `<mark>`, markup removed.
    fn marked(html: &str) -> Vec<String> {
        html.split("<mark")
            .skip(1)
            .map(|rest| {
                let inner = &rest[rest.find('>').unwrap() + 1..rest.find("</mark>").unwrap()];
                let mut text = String::new();
                let mut in_tag = false;
                for c in inner.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => text.push(c),
                        _ => {}
                    }
                }
                text
            })
            .collect()
    }

    #[test]
    fn a_quote_is_found_as_verification_finds_it() {
        let text = "Officials said the flood had\n   KILLED “at least 10” people.\n\n\nMore later.";
        let out = highlight(text, &[quoting("killed \"at least 10\" people", "claim-1")]);
        assert_eq!(out.passages, 1);
        assert_eq!(marked(&out.html), ["KILLED “at least 10” people"]);
        let anchor = passage_anchor("killed \"at least 10\" people").unwrap();
        assert!(
            out.html.contains(&format!("id=\"{anchor}\"")),
            "{}",
            out.html
        );
        // Whitespace collapsed: a line break kept, three line breaks become a paragraph.
        assert!(
            out.html.starts_with("Officials said the flood had\n<mark"),
            "{}",
            out.html
        );
        assert!(
            out.html.ends_with("]</span>.\n\nMore later."),
            "{}",
            out.html
        );
    }

    #[test]
    fn overlapping_and_repeated_quotes_make_one_passage_linking_to_each_claim() {
        let text = "The army said 10 militants and 3 soldiers died in the attack.";
        let out = highlight(
            text,
            &[
                quoting("10 militants and 3 soldiers", "claim-a"),
                quoting("3 soldiers died", "claim-b"),
                quoting("3  SOLDIERS died", "claim-c"),
                quoting("the army", "claim-d"),
            ],
        );
        assert_eq!(out.passages, 2, "{}", out.html);
        assert_eq!(
            marked(&out.html),
            ["The army", "10 militants and 3 soldiers died"]
        );
        // Each claim once among the backlinks; b and c share their anchor.
        for claim in ["claim-a", "claim-b", "claim-c", "claim-d"] {
            assert_eq!(
                out.html.matches(&format!("#{claim}\"")).count(),
                1,
                "{claim}"
            );
        }
        let b = passage_anchor("3 soldiers died").unwrap();
        assert_eq!(passage_anchor("3  SOLDIERS died").as_ref(), Some(&b));
        assert_eq!(out.html.matches(&format!("id=\"{b}\"")).count(), 1);
        assert!(
            out.html.contains(&format!(
                "10 militants and <span class=\"passage-start\" id=\"{b}\"></span>3 soldiers"
            )),
            "{}",
            out.html
        );
    }

    #[test]
    fn hostile_text_is_escaped() {
        let text = "<script>alert(1)</script> said \u{202E}evil & \"quoted\" <b>x</b>";
        let out = highlight(text, &[quoting("\u{202E}evil & \"quoted\"", "c")]);
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("<b>"), "{}", out.html);
        assert!(out.html.contains("&lt;script&gt;"), "{}", out.html);
        // The override is closed inside the passage, not left open over what follows.
        assert!(
            out.html
                .contains("\u{2068}\u{202E}evil &amp; &quot;quoted&quot;\u{202C}\u{2069}</mark>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn quotes_not_in_the_text_or_empty_are_not_highlighted() {
        let out = highlight("some text", &[quoting("absent", "a"), quoting(" ", "b")]);
        assert_eq!(out.passages, 0);
        assert_eq!(out.html, "some text");
    }
}
