//! Reading a built file for what it links to and the ids it defines: HTML pages (one
//! tokenizer pass), CSS (`url(…)`, `@import`), and the sitemap and feed (their URLs).

use super::*;

#[derive(Debug, Clone, Copy)]
pub(super) enum ScanKind {
    Html,
    Css,
    Xml,
}

pub(super) fn scan_kind(path: &str) -> Option<ScanKind> {
    if is_html(path) {
        Some(ScanKind::Html)
    } else if path.ends_with(".css") {
        Some(ScanKind::Css)
    } else if path.ends_with(".xml") {
        Some(ScanKind::Xml)
    } else {
        None
    }
}

pub(super) fn scan_file(dir: &Path, path: &str) -> io::Result<Scanned> {
    let bytes = std::fs::read(dir.join(path))
        .map_err(|err| io::Error::new(err.kind(), format!("cannot read {path}: {err}")))?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(match scan_kind(path) {
        Some(ScanKind::Html) => scan_html(&text),
        Some(ScanKind::Css) => Scanned {
            links: css_urls(&text)
                .into_iter()
                .map(|url| Found {
                    url,
                    kind: LinkKind::Asset,
                })
                .collect(),
            ids: HashSet::new(),
        },
        Some(ScanKind::Xml) => scan_xml(&text),
        None => Scanned::default(),
    })
}

/// Attributes holding one URL, by element: `(element, attribute, kind)`.
const URL_ATTRIBUTES: &[(&str, &str, LinkKind)] = &[
    ("a", "href", LinkKind::Link),
    ("area", "href", LinkKind::Link),
    ("link", "href", LinkKind::Link),
    ("img", "src", LinkKind::Asset),
    ("script", "src", LinkKind::Asset),
    ("iframe", "src", LinkKind::Asset),
    ("source", "src", LinkKind::Asset),
    ("video", "src", LinkKind::Asset),
    ("video", "poster", LinkKind::Asset),
    ("audio", "src", LinkKind::Asset),
    ("track", "src", LinkKind::Asset),
    ("embed", "src", LinkKind::Asset),
    ("object", "data", LinkKind::Asset),
    ("input", "src", LinkKind::Asset),
    ("form", "action", LinkKind::Link),
    ("blockquote", "cite", LinkKind::Link),
    ("q", "cite", LinkKind::Link),
];

/// `<link rel>` values that name an origin or a hint, not a resource to check.
const UNCHECKED_RELS: &[&str] = &["preconnect", "dns-prefetch"];

/// `<link rel>` values whose target the page loads (the others, such as `canonical` or
/// `alternate`, are links).
const ASSET_RELS: &[&str] = &[
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
];

/// `<meta property>` values holding a URL (Open Graph).
const URL_METAS: &[&str] = &["og:url", "og:image", "og:audio", "og:video"];

/// The links and ids of a page as they are found, each link once.
#[derive(Default)]
struct Collector {
    scanned: Scanned,
    seen: HashSet<Found>,
}

impl Collector {
    fn push(&mut self, url: &[u8], kind: LinkKind) {
        let found = Found {
            url: String::from_utf8_lossy(url).into_owned(),
            kind,
        };
        if self.seen.insert(found.clone()) {
            self.scanned.links.push(found);
        }
    }
}

/// Collects the links and ids of an HTML page.
pub(super) fn scan_html(text: &str) -> Scanned {
    let mut emitter = DefaultEmitter::default();
    // Treat <script>, <style> and the like as text, as a browser does.
    emitter.naively_switch_states(true);
    let mut found = Collector::default();
    let mut in_style = false;
    for token in Tokenizer::new_with_emitter(text, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                in_style = tag.name.as_slice() == b"style";
                start_tag(&tag, &mut found);
            }
            Token::String(css) if in_style => {
                for url in css_urls(&String::from_utf8_lossy(&css)) {
                    found.push(url.as_bytes(), LinkKind::Asset);
                }
            }
            Token::EndTag(_) => in_style = false,
            _ => {}
        }
    }
    found.scanned
}

/// Collects the id and the URLs of one start tag.
fn start_tag(tag: &html5gum::StartTag<()>, found: &mut Collector) {
    let name = tag.name.as_slice();
    let attr = |key: &str| tag.attributes.get(key.as_bytes()).map(|v| v.as_slice());
    if let Some(id) = attr("id") {
        found
            .scanned
            .ids
            .insert(String::from_utf8_lossy(id).into_owned());
    }
    if name == b"a"
        && let Some(anchor) = attr("name")
    {
        (found.scanned.ids).insert(String::from_utf8_lossy(anchor).into_owned());
    }
    // A <link> is checked as an asset or a link by its `rel`, or not at all.
    let mut link_kind = None;
    if name == b"link" {
        let rel = attr("rel").map(String::from_utf8_lossy).unwrap_or_default();
        let has = |list: &[&str]| {
            rel.split_ascii_whitespace()
                .any(|r| list.iter().any(|l| l.eq_ignore_ascii_case(r)))
        };
        if has(UNCHECKED_RELS) {
            return;
        }
        link_kind = Some(if has(ASSET_RELS) {
            LinkKind::Asset
        } else {
            LinkKind::Link
        });
    }
    for (element, attribute, kind) in URL_ATTRIBUTES {
        if name == element.as_bytes()
            && let Some(url) = attr(attribute)
        {
            found.push(url, link_kind.unwrap_or(*kind));
        }
    }
    if (name == b"img" || name == b"source")
        && let Some(srcset) = attr("srcset")
    {
        for url in srcset_urls(&String::from_utf8_lossy(srcset)) {
            found.push(url.as_bytes(), LinkKind::Asset);
        }
    }
    if name == b"meta" {
        let property = attr("property").unwrap_or_default();
        if URL_METAS.iter().any(|m| m.as_bytes() == property)
            && let Some(url) = attr("content")
        {
            found.push(url, LinkKind::Link);
        }
    }
}

/// The URLs of a `srcset`: comma-separated candidates of a URL and a descriptor.
pub(super) fn srcset_urls(srcset: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return urls;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(',');
        let ended_by_comma = rest[..end].ends_with(',');
        urls.push(url.to_string());
        rest = &rest[end..];
        if !ended_by_comma {
            // Skip the descriptor, up to the next comma (outside parentheses).
            let mut depth = 0usize;
            let cut = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth = depth.saturating_sub(1),
                        ',' if depth == 0 => return true,
                        _ => {}
                    }
                    false
                })
                .map_or(rest.len(), |(i, _)| i);
            rest = &rest[cut..];
        }
    }
}

/// The URLs a stylesheet loads: `url(…)` and `@import "…"`. Comments are skipped.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = css;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |end| &after[end + 2..]);
        } else if let Some(after) = strip_prefix_ignore_case(rest, "url(") {
            let inner = after.trim_start();
            let (url, tail) = match inner.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let body = &inner[1..];
                    let end = body.find(quote).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = inner.find(')').unwrap_or(inner.len());
                    (inner[..end].trim_end(), &inner[end..])
                }
            };
            urls.push(url.to_string());
            rest = tail;
        } else if let Some(after) = strip_prefix_ignore_case(rest, "@import") {
            let inner = after.trim_start();
            if let Some(quote @ ('"' | '\'')) = inner.chars().next() {
                let body = &inner[1..];
                let end = body.find(quote).unwrap_or(body.len());
                urls.push(body[..end].to_string());
                rest = body.get(end + 1..).unwrap_or("");
            } else {
                rest = inner;
            }
        } else if let Some(quote @ ('"' | '\'')) = rest.chars().next() {
            // A string that is not a URL: skip it whole, so "url(" inside it is not read.
            let body = &rest[1..];
            rest = body.find(quote).map_or("", |end| &body[end + 1..]);
        } else {
            let next = rest.chars().next().map_or(1, char::len_utf8);
            rest = &rest[next..];
        }
    }
    urls.retain(|u| !u.is_empty());
    urls
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The URLs of a sitemap (`<loc>`) or an Atom feed (`<link href>`).
pub(super) fn scan_xml(text: &str) -> Scanned {
    let mut scanned = Scanned::default();
    let mut in_loc = false;
    for token in Tokenizer::new(text).flatten() {
        match token {
            Token::StartTag(tag) => {
                in_loc = tag.name.as_slice() == b"loc";
                if tag.name.as_slice() == b"link"
                    && let Some(href) = tag.attributes.get(b"href".as_slice())
                {
                    scanned.links.push(Found {
                        url: String::from_utf8_lossy(href).into_owned(),
                        kind: LinkKind::Link,
                    });
                }
            }
            Token::String(loc) if in_loc => scanned.links.push(Found {
                url: String::from_utf8_lossy(&loc).trim().to_string(),
                kind: LinkKind::Link,
            }),
            Token::EndTag(_) => in_loc = false,
            _ => {}
        }
    }
    scanned
}
