//! Remote images in Markdown (`![alt](https://…)`): the pages promise to load nothing from
//! other sites, so unless the site sets `allow_remote_images = true` such an image is shown
//! as a link to it, and the build warns where it is ([`remote_image_warnings`]).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Bodies;
use crate::diagnostics::Diagnostic;
use crate::escape::push_escaped;
use crate::model::Briefing;

/// An image in a Markdown body that would load from another site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteImage {
    pub url: String,
    /// Byte range of the whole image (`![alt](url)`) in the Markdown body.
    pub range: Range<usize>,
}

/// Whether an image at `url` loads from another site: an http(s) URL or a
/// scheme-relative one (`//host/…`). Other schemes never reach the page ([`super::safe_url`]).
pub fn is_remote(url: &str) -> bool {
    let url = url.trim_start();
    let scheme = |name: &str| {
        url.get(..name.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(name))
    };
    url.starts_with("//") || scheme("http:") || scheme("https:")
}

/// A warning for each remote image in an incident's or page's body, located at the image.
pub fn remote_image_warnings(briefing: &Briefing, bodies: &Bodies) -> Vec<Diagnostic> {
    let incidents = (briefing.incidents.iter())
        .map(|i| (&i.origin, i.body_offset))
        .zip(&bodies.incidents);
    let pages = (briefing.pages.iter())
        .map(|p| (&p.origin, p.body_offset))
        .zip(&bodies.pages);
    let mut found = Vec::new();
    for ((origin, body_offset), body) in incidents.chain(pages) {
        for image in &body.remote_images {
            let start = body_offset + image.range.start;
            let text = origin.located_text();
            let written = text.get(start..start + image.range.len());
            let len = written.map_or(1, |m| m.chars().count());
            found.push(
                Diagnostic::warning(
                    &origin.file,
                    format!(
                        "the image `{}` would load from another site, so it is shown as a link to it",
                        image.url
                    ),
                )
                .at_offset(&text, start)
                .with_span_len(len)
                .with_hint("download it into the theme's static folder or set `allow_remote_images = true` in site.toml"),
            );
        }
    }
    found
}

/// A remote image being turned into a link.
struct Open {
    /// Images nested in its alt text.
    nested: usize,
    /// Whether its alt text has shown any text yet.
    has_text: bool,
    url: String,
    /// Whether it sits inside a link, where it becomes plain text (links cannot nest).
    in_link: bool,
}

/// Turns the remote images of a stream of Markdown events into links to them: their alt
/// text (or, without one, the URL) becomes the link's text, plain as alt text is.
pub struct RemoteImagesAsLinks<'a, I: Iterator<Item = Event<'a>>> {
    events: I,
    /// How many links are open around the current event.
    links: usize,
    open: Option<Open>,
}

impl<'a, I: Iterator<Item = Event<'a>>> RemoteImagesAsLinks<'a, I> {
    pub fn new(events: I) -> Self {
        RemoteImagesAsLinks {
            events,
            links: 0,
            open: None,
        }
    }

    /// An event inside the alt text of the open remote image.
    fn inside(&mut self, event: Event<'a>) -> Event<'a> {
        let Some(open) = self.open.as_mut() else {
            return event;
        };
        match event {
            Event::Text(text) | Event::Code(text) => {
                open.has_text |= !text.trim().is_empty();
                Event::Text(text)
            }
            Event::Start(Tag::Image { .. }) => {
                open.nested += 1;
                nothing()
            }
            Event::End(TagEnd::Image) if open.nested > 0 => {
                open.nested -= 1;
                nothing()
            }
            Event::End(TagEnd::Image) => {
                let Some(open) = self.open.take() else {
                    return nothing();
                };
                let mut html = String::new();
                if !open.has_text {
                    push_escaped(&mut html, &open.url);
                }
                if !open.in_link {
                    html.push_str("</a>");
                }
                Event::InlineHtml(html.into())
            }
            Event::SoftBreak | Event::HardBreak => Event::Text(" ".into()),
            // Emphasis, links and the like in alt text show as their text alone.
            _ => nothing(),
        }
    }
}

/// An event that writes nothing.
fn nothing<'a>() -> Event<'a> {
    Event::Text(CowStr::Borrowed(""))
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for RemoteImagesAsLinks<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let event = self.events.next()?;
        if self.open.is_some() {
            return Some(self.inside(event));
        }
        match &event {
            Event::Start(Tag::Link { .. }) => self.links += 1,
            Event::End(TagEnd::Link) => self.links = self.links.saturating_sub(1),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if is_remote(dest_url) => {
                let in_link = self.links > 0;
                let mut html = String::new();
                if !in_link {
                    html.push_str("<a class=\"remote-image\" href=\"");
                    push_escaped(&mut html, dest_url);
                    html.push('"');
                    if !title.is_empty() {
                        html.push_str(" title=\"");
                        push_escaped(&mut html, title);
                        html.push('"');
                    }
                    html.push('>');
                }
                self.open = Some(Open {
                    nested: 0,
                    has_text: false,
                    url: dest_url.to_string(),
                    in_link,
                });
                return Some(Event::InlineHtml(html.into()));
            }
            _ => {}
        }
        Some(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_are_http_https_and_scheme_relative() {
        for url in [
            "https://x.org/a.png",
            "HTTP://x.org/a.png",
            " //x.org/a.png",
        ] {
            assert!(is_remote(url), "{url}");
        }
        for url in [
            "../static/a.png",
            "a.png",
            "/a.png",
            "#",
            "httpx.png",
            "http",
        ] {
            assert!(!is_remote(url), "{url}");
        }
    }
}
