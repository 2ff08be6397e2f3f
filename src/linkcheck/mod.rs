//! Link checking of a built site folder, as a browser opening the files or a static host
//! serving them would resolve each link.
//!
//! Every HTML page is tokenized once (in parallel) to collect its links, assets and the ids
//! it defines; CSS files give their `url(…)` and `@import` references; `sitemap.xml` and the
//! Atom feed give their `<loc>` and `<link href>` URLs. Then every link is resolved:
//!
//! - relative links against the page's place in the folder: the file must exist (a folder
//!   needs an `index.html`), and a `#fragment` must name an `id` on the target page;
//! - absolute URLs under `base_url` the same way, as the file they address;
//! - root-relative links (`/x.html`) and relative links that climb out of the folder are
//!   failures: they break at a sub-path or from disk;
//! - other `http(s)` URLs are external, fetched only when asked (see [`external`]).

mod scan;

pub use scan::css_urls;
use scan::{scan_file, scan_kind};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use html5gum::{DefaultEmitter, Token, Tokenizer};
use rayon::prelude::*;
use url::Url;

/// How to check a folder.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The URL the site is published at; absolute links under it are internal.
    pub base_url: Option<String>,
    /// Fetch external `http(s)` URLs too.
    pub external: bool,
    /// FetchLimits for fetching external URLs.
    pub fetch: external::FetchLimits,
}

/// One link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Failure {
    /// The file the link is in, relative to the folder, `/`-separated.
    pub page: String,
    /// The link as written.
    pub link: String,
    /// Why it does not resolve.
    pub reason: String,
}

/// What a check found.
#[derive(Debug, Default)]
pub struct LinkReport {
    /// HTML pages read.
    pub pages: usize,
    /// Links, assets and anchors checked inside the site (each distinct one per page).
    pub internal: usize,
    /// Distinct external URLs fetched (0 unless asked to).
    pub external_fetched: usize,
    /// Distinct external URLs seen.
    pub external_seen: usize,
    /// Every failure, sorted by page and link.
    pub failures: Vec<Failure>,
}

/// Where a link is written, which decides how it must resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum LinkKind {
    /// A hyperlink or URL-valued attribute: may point outside the site.
    Link,
    /// A resource the page loads (stylesheet, image, script …).
    Asset,
}

/// A link found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Found {
    url: String,
    kind: LinkKind,
}

/// What one file contributes: the links in it and (for HTML) the ids it defines.
#[derive(Debug, Default)]
struct Scanned {
    links: Vec<Found>,
    ids: HashSet<String>,
}

/// Checks every link in the folder `dir`. Fails only when the folder cannot be read.
pub fn check_folder(dir: &Path, options: &Options) -> io::Result<LinkReport> {
    let files = list_files(dir)?;
    let scanned: Vec<(usize, io::Result<Scanned>)> = files
        .par_iter()
        .enumerate()
        .filter(|(_, path)| scan_kind(path).is_some())
        .map(|(n, path)| (n, scan_file(dir, path)))
        .collect();
    let mut pages: BTreeMap<&str, Scanned> = BTreeMap::new();
    for (n, result) in scanned {
        pages.insert(files[n].as_str(), result?);
    }
    let site = BuiltSite {
        files: files.iter().map(String::as_str).collect(),
        folders: files.iter().flat_map(|f| parents(f)).collect(),
        ids: pages.iter().map(|(path, s)| (*path, &s.ids)).collect(),
        base: options.base_url.as_deref().and_then(|b| Url::parse(b).ok()),
        folder: folder_url(),
    };
    let checked: Vec<PageResult> = pages
        .par_iter()
        .map(|(page, scanned)| site.check_page(page, &scanned.links))
        .collect();
    let mut report = LinkReport {
        pages: pages.keys().filter(|p| is_html(p)).count(),
        ..LinkReport::default()
    };
    let mut external: Vec<(Url, Failure)> = Vec::new();
    for page in checked {
        report.internal += page.internal;
        report.failures.extend(page.failures);
        external.extend(page.external);
    }
    let distinct: HashSet<&Url> = external.iter().map(|(u, _)| u).collect();
    report.external_seen = distinct.len();
    if options.external {
        let urls: Vec<Url> = distinct.into_iter().cloned().collect();
        report.external_fetched = urls.len();
        let results = external::check_all(urls, &options.fetch);
        for (url, failure) in external {
            if let Some(Err(reason)) = results.get(&url) {
                report.failures.push(Failure {
                    reason: reason.clone(),
                    ..failure
                });
            }
        }
    }
    report.failures.sort();
    report.failures.dedup();
    Ok(report)
}

/// Every file under `dir`, relative and `/`-separated, sorted. Links are not followed.
fn list_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(files)
}

/// The folders above a relative file path: `a/b/c.html` → `a`, `a/b`.
fn parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// The built folder as links see it.
struct BuiltSite<'a> {
    files: HashSet<&'a str>,
    folders: HashSet<&'a str>,
    ids: HashMap<&'a str, &'a HashSet<String>>,
    base: Option<Url>,
    /// [`FOLDER_URL`], parsed.
    folder: Url,
}

/// Where a link leads.
enum Target {
    /// A file of the site (relative path, percent-decoded) and a fragment.
    Internal(String, Option<String>),
    External(Url),
    /// Nothing to check: `mailto:`, `data:`, an empty link …
    Unchecked,
    Broken(String),
}

/// The stand-in address of the folder for resolving relative links.
const FOLDER_URL: &str = "http://sitrep.invalid/site/";

fn folder_url() -> Url {
    Url::parse(FOLDER_URL).expect("a constant, valid URL")
}

/// What checking one page's links found.
struct PageResult {
    /// Links checked inside the site.
    internal: usize,
    failures: Vec<Failure>,
    /// External URLs, each with the failure to report if it turns out broken.
    external: Vec<(Url, Failure)>,
}

impl BuiltSite<'_> {
    /// Checks one page's links.
    fn check_page(&self, page: &str, links: &[Found]) -> PageResult {
        let mut failures = Vec::new();
        let mut external = Vec::new();
        let mut internal = 0;
        let failure = |link: &Found, reason: String| Failure {
            page: page.to_string(),
            link: link.url.clone(),
            reason,
        };
        // The page's stand-in address, to resolve its relative links against.
        let page_url = self.folder.join(page);
        for link in links {
            match self.resolve(page, page_url.as_ref().ok(), &link.url) {
                Target::Internal(path, fragment) => {
                    internal += 1;
                    if let Err(reason) = self.check_internal(&path, fragment.as_deref(), link) {
                        failures.push(failure(link, reason));
                    }
                }
                Target::External(url) => external.push((url, failure(link, String::new()))),
                Target::Unchecked => {}
                Target::Broken(reason) => failures.push(failure(link, reason)),
            }
        }
        PageResult {
            internal,
            failures,
            external,
        }
    }

    fn resolve(&self, page: &str, page_url: Option<&Url>, link: &str) -> Target {
        let link = link.trim_matches(|c: char| c.is_ascii_whitespace());
        if link.is_empty() {
            return Target::Unchecked;
        }
        if let Some(fragment) = link.strip_prefix('#') {
            return Target::Internal(page.to_string(), Some(decode(fragment)));
        }
        if link.starts_with("//") {
            return match Url::parse(&format!("https:{link}")) {
                Ok(url) => self.absolute(url),
                Err(err) => Target::Broken(format!("not a valid URL: {err}")),
            };
        }
        if link.starts_with('/') || link.starts_with('\\') {
            return Target::Broken(
                "root-relative link: it breaks when the site is opened from disk or served \
                 under a sub-path; make it relative to the page"
                    .into(),
            );
        }
        if has_scheme(link) {
            return match Url::parse(link) {
                Ok(url) => self.absolute(url),
                Err(err) => Target::Broken(format!("not a valid URL: {err}")),
            };
        }
        let Some(page_url) = page_url else {
            return Target::Broken("the page's own path is not a valid URL".into());
        };
        match page_url.join(link) {
            Ok(url) => match url.path().strip_prefix(self.folder.path()) {
                Some(path) => Target::Internal(decode(path), url.fragment().map(decode)),
                None => Target::Broken("leads outside the site's folder".into()),
            },
            Err(err) => Target::Broken(format!("not a valid URL: {err}")),
        }
    }

    /// An absolute URL: inside the site when it is under `base_url`.
    fn absolute(&self, url: Url) -> Target {
        match url.scheme() {
            "http" | "https" => {}
            "file" => {
                return Target::Broken(
                    "a file: URL points at one computer's disk; make it relative".into(),
                );
            }
            _ => return Target::Unchecked,
        }
        if let Some(base) = &self.base {
            let same_origin = url.origin() == base.origin();
            if let (true, Some(path)) = (same_origin, url.path().strip_prefix(base.path())) {
                return Target::Internal(decode(path), url.fragment().map(decode));
            }
        }
        let mut url = url;
        url.set_fragment(None);
        Target::External(url)
    }

    /// Whether a site path (and fragment) exists: a file, or a folder with `index.html`.
    fn check_internal(
        &self,
        path: &str,
        fragment: Option<&str>,
        link: &Found,
    ) -> Result<(), String> {
        let path = path.trim_end_matches('/');
        let file = if path.is_empty() {
            "index.html".to_string()
        } else if self.folders.contains(path) {
            format!("{path}/index.html")
        } else {
            path.to_string()
        };
        if !self.files.contains(file.as_str()) {
            return Err(match (link.kind, self.folders.contains(path)) {
                (_, true) => format!("`{path}/` is a folder without an index.html"),
                (LinkKind::Asset, _) => format!("asset `{file}` does not exist"),
                (LinkKind::Link, _) => format!("page `{file}` does not exist"),
            });
        }
        let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
            return Ok(());
        };
        match self.ids.get(file.as_str()) {
            // Only HTML pages are indexed; fragments of other files (#page=2) are not checked.
            Some(ids) if is_html(&file) => {
                if ids.contains(fragment) || fragment.eq_ignore_ascii_case("top") {
                    Ok(())
                } else {
                    Err(format!("`{file}` has no element with id `{fragment}`"))
                }
            }
            _ => Ok(()),
        }
    }
}

/// Whether a link starts with a URL scheme (`https:`, `mailto:` …).
fn has_scheme(link: &str) -> bool {
    let Some((scheme, _)) = link.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Percent-decodes a path or fragment.
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

pub mod external {
    //! Fetching external URLs: a HEAD request (GET where HEAD is refused), with timeouts,
    //! at most a few requests at a time to any one host, a few hosts at a time.

    use super::*;

    /// FetchLimits for fetching.
    #[derive(Debug, Clone)]
    pub struct FetchLimits {
        /// Time for one whole request, connection included.
        pub timeout: Duration,
        /// Requests at a time to one host.
        pub per_host: usize,
        /// Hosts fetched from at a time.
        pub hosts: usize,
    }

    impl Default for FetchLimits {
        fn default() -> Self {
            FetchLimits {
                timeout: Duration::from_secs(10),
                per_host: 2,
                hosts: 8,
            }
        }
    }

    /// Fetches every URL; `Err` holds why one is broken.
    pub fn check_all(urls: Vec<Url>, limits: &FetchLimits) -> HashMap<Url, Result<(), String>> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(limits.timeout))
            .http_status_as_error(false)
            .user_agent(concat!("sitrep-check/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let mut by_host: BTreeMap<String, Vec<Url>> = BTreeMap::new();
        for url in urls {
            let host = format!(
                "{}:{}",
                url.host_str().unwrap_or_default(),
                url.port_or_known_default().unwrap_or_default()
            );
            by_host.entry(host).or_default().push(url);
        }
        let results = Mutex::new(HashMap::new());
        let next_host = AtomicUsize::new(0);
        let hosts: Vec<Vec<Url>> = by_host.into_values().collect();
        std::thread::scope(|scope| {
            for _ in 0..limits.hosts.max(1).min(hosts.len()) {
                scope.spawn(|| {
                    while let Some(urls) = hosts.get(next_host.fetch_add(1, Ordering::Relaxed)) {
                        check_host(&agent, urls, limits.per_host, &results);
                    }
                });
            }
        });
        results.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// Fetches one host's URLs with at most `per_host` requests at a time.
    fn check_host(
        agent: &ureq::Agent,
        urls: &[Url],
        per_host: usize,
        results: &Mutex<HashMap<Url, Result<(), String>>>,
    ) {
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..per_host.max(1).min(urls.len()) {
                scope.spawn(|| {
                    while let Some(url) = urls.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let result = fetch(agent, url);
                        results
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .insert(url.clone(), result);
                    }
                });
            }
        });
    }

    /// Whether a URL answers with a success (after redirects).
    fn fetch(agent: &ureq::Agent, url: &Url) -> Result<(), String> {
        let status = |response: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
            response
                .map(|r| r.status().as_u16())
                .map_err(|err| format!("cannot fetch: {err}"))
        };
        let mut code = status(agent.head(url.as_str()).call())?;
        // Some servers refuse HEAD; ask again with GET before calling the link broken.
        if matches!(code, 403 | 405 | 501) {
            code = status(agent.get(url.as_str()).call())?;
        }
        if code >= 400 {
            Err(format!("the server answers HTTP {code}"))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scan::*;
    use super::*;

    #[test]
    fn srcset_candidates() {
        assert_eq!(
            srcset_urls("a.png 1x, b%20c.png 2x,d.png"),
            ["a.png", "b%20c.png", "d.png"]
        );
        assert_eq!(srcset_urls(" x.png, y.png 100w"), ["x.png", "y.png"]);
        // Only trailing commas end a URL: this is one candidate, as browsers read it.
        assert_eq!(srcset_urls("x.png,y.png 100w"), ["x.png,y.png"]);
    }

    #[test]
    fn css_references() {
        let css = "/* url(no.png) */ a { background: url( 'img/a.png' ) } \
                   @import \"print.css\"; b { content: \"url(not)\"; src: URL(f.woff2) }";
        assert_eq!(css_urls(css), ["img/a.png", "print.css", "f.woff2"]);
    }

    #[test]
    fn html_links_and_ids() {
        let scanned = scan_html(
            r##"<link rel="preconnect" href="https://x.org"><link rel=stylesheet href="s.css">
            <style>p { background: url(bg.png) }</style>
            <script>var s = "<a href='in-script.html'>";</script>
            <h2 id="one">x</h2><a name="two"></a><a href="p.html#one">p</a>
            <img src="i.png" srcset="i2.png 2x"><meta property="og:url" content="https://e.org/">"##,
        );
        let urls: Vec<&str> = scanned.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "s.css",
                "bg.png",
                "p.html#one",
                "i.png",
                "i2.png",
                "https://e.org/"
            ]
        );
        assert!(scanned.ids.contains("one") && scanned.ids.contains("two"));
        let kinds: Vec<LinkKind> = scanned.links.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds[..3],
            [LinkKind::Asset, LinkKind::Asset, LinkKind::Link]
        );
        let canonical =
            scan_html(r#"<link rel="canonical" href="c.html"><link rel="ICON" href="f.svg">"#);
        let kinds: Vec<LinkKind> = canonical.links.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, [LinkKind::Link, LinkKind::Asset]);
    }

    fn site<'a>(files: &[&'a str], ids: &'a HashSet<String>, base: Option<&str>) -> BuiltSite<'a> {
        BuiltSite {
            files: files.iter().copied().collect(),
            folders: files.iter().flat_map(|f| parents(f)).collect(),
            ids: files
                .iter()
                .filter(|f| is_html(f))
                .map(|f| (*f, ids))
                .collect(),
            base: base.map(|b| Url::parse(b).unwrap()),
            folder: folder_url(),
        }
    }

    fn check(site: &BuiltSite, page: &str, link: &str) -> Result<(), String> {
        let found = Found {
            url: link.into(),
            kind: LinkKind::Link,
        };
        let page_url = site.folder.join(page).unwrap();
        match site.resolve(page, Some(&page_url), link) {
            Target::Internal(path, fragment) => {
                site.check_internal(&path, fragment.as_deref(), &found)
            }
            Target::Broken(reason) => Err(reason),
            Target::External(url) => Err(format!("external {url}")),
            Target::Unchecked => Ok(()),
        }
    }

    #[test]
    fn links_resolve_like_a_browser() {
        let ids: HashSet<String> = ["main".to_string()].into();
        let s = site(
            &["index.html", "a/b c.html", "a/index.html", "static/s.css"],
            &ids,
            Some("https://example.org/briefing/"),
        );
        assert_eq!(check(&s, "a/b c.html", "../index.html#main"), Ok(()));
        assert_eq!(check(&s, "a/b c.html", "b%20c.html"), Ok(()));
        assert_eq!(check(&s, "index.html", "a/"), Ok(()));
        assert_eq!(check(&s, "index.html", "a"), Ok(()));
        assert_eq!(check(&s, "index.html", "#top"), Ok(()));
        assert_eq!(check(&s, "index.html", "mailto:x@y.org"), Ok(()));
        assert_eq!(
            check(&s, "index.html", "https://example.org/briefing/"),
            Ok(())
        );
        assert_eq!(
            check(
                &s,
                "index.html",
                "https://example.org/briefing/a/b%20c.html#main"
            ),
            Ok(())
        );
        assert!(
            check(&s, "index.html", "#nowhere")
                .unwrap_err()
                .contains("no element with id `nowhere`")
        );
        assert!(
            check(&s, "index.html", "missing.html")
                .unwrap_err()
                .contains("`missing.html` does not exist")
        );
        assert!(
            check(&s, "index.html", "../up.html")
                .unwrap_err()
                .contains("outside")
        );
        assert!(
            check(&s, "a/b c.html", "/index.html")
                .unwrap_err()
                .contains("root-relative")
        );
        assert!(
            check(&s, "index.html", "static/")
                .unwrap_err()
                .contains("folder without")
        );
        assert!(
            check(&s, "index.html", "https://example.org/other/")
                .unwrap_err()
                .contains("external")
        );
        assert!(check(&s, "index.html", "https://example.org/briefing/gone.html").is_err());
    }
}
