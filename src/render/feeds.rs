//! Files for crawlers and feed readers: `sitemap.xml`, `robots.txt` and the Atom feed.
//!
//! Sitemaps and feeds need absolute URLs, so they are written only when `base_url` is set;
//! without it they are omitted rather than wrong. Nothing here depends on the build time,
//! so two builds of the same input are byte-identical.

use crate::analyse::FigureAnalysis;
use crate::markdown::Body;
use crate::model::{Figure, FigureIx, IncidentIx};
use crate::site::Site;

use super::context::{figure_url, incident_url};
use super::inputs::{Input, SiteFact};
use super::{Job, is_html_page, job_path};

fn xml_escape(text: &str) -> String {
    crate::escape::escape_html(text)
}

/// Whether the site has a sitemap (it needs `base_url`).
pub fn has_sitemap(site: &Site) -> bool {
    site.config.base_url.is_some()
}

/// Whether the site has an Atom feed: `base_url` is set and some entry has `updated`.
pub fn has_feed(site: &Site) -> bool {
    site.config.base_url.is_some() && feed_entries(site).next().is_some()
}

/// The absolute URL of an output file, when `base_url` is set; the overview is the base
/// URL itself. Canonical links, the sitemap and the feed all use it.
pub fn absolute_url(site: &Site, path: &str) -> Option<String> {
    let base = site.config.base_url.as_deref()?;
    Some(match path {
        "index.html" => base.to_string(),
        _ => format!("{base}{path}"),
    })
}

const XML_HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// How many sitemap files the index points at: none when every page fits in `sitemap.xml`
/// itself (`[sitemap] urls_per_file`), else one per `urls_per_file` pages.
pub fn sitemap_parts(site: &Site, html_pages: usize) -> usize {
    let per_file = site.config.sitemap.urls_per_file.max(1);
    match html_pages > per_file {
        true => html_pages.div_ceil(per_file),
        false => 0,
    }
}

/// The output path of sitemap file `n` (from 0): `sitemaps/1.xml`, `sitemaps/2.xml`, …
pub fn sitemap_part_path(n: usize) -> String {
    format!("sitemaps/{}.xml", n + 1)
}

/// The paths of every HTML page, sorted: the order the sitemap lists them in.
fn sitemap_paths(site: &Site) -> Vec<String> {
    let mut paths: Vec<String> = super::pages(site)
        .into_iter()
        .filter(|&job| is_html_page(job))
        .map(|job| job_path(site, job))
        .collect();
    paths.sort_unstable();
    paths
}

/// `sitemap.xml` per the sitemaps.org 0.9 protocol: every HTML page, absolute URLs, and
/// `<lastmod>` for incidents and figures with an `updated` time. When the pages are more
/// than one file may list, a sitemap index of the files `sitemaps/N.xml` instead.
pub fn sitemap(site: &Site) -> Vec<u8> {
    let paths = sitemap_paths(site);
    let parts = sitemap_parts(site, paths.len());
    if parts == 0 {
        return urlset(site, &paths);
    }
    drop(paths);
    let mut out = format!("{XML_HEADER}<sitemapindex xmlns=\"{SITEMAP_NS}\">\n");
    for n in 0..parts {
        let loc = absolute_url(site, &sitemap_part_path(n)).unwrap_or_default();
        out.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&loc)
        ));
    }
    out.push_str("</sitemapindex>\n");
    out.into_bytes()
}

/// Sitemap file `n` of a sitemap index: the `n`th run of `urls_per_file` pages in the
/// sitemap's order.
pub fn sitemap_part(site: &Site, n: usize) -> Vec<u8> {
    let paths = sitemap_paths(site);
    let per_file = site.config.sitemap.urls_per_file.max(1);
    let start = (n * per_file).min(paths.len());
    let end = (start + per_file).min(paths.len());
    urlset(site, &paths[start..end])
}

/// A `<urlset>` of the pages at `paths`.
fn urlset(site: &Site, paths: &[String]) -> Vec<u8> {
    let mut out = format!("{XML_HEADER}<urlset xmlns=\"{SITEMAP_NS}\">\n");
    let updated: std::collections::HashMap<String, &str> = feed_entries(site)
        .map(|entry| (entry.path, entry.updated))
        .collect();
    for path in paths {
        let loc = absolute_url(site, path).unwrap_or_default();
        out.push_str("  <url><loc>");
        out.push_str(&xml_escape(&loc));
        out.push_str("</loc>");
        if let Some(time) = updated.get(path) {
            out.push_str("<lastmod>");
            out.push_str(time);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// `robots.txt`: allow everything; name the sitemap when there is one.
pub fn robots(site: &Site) -> Vec<u8> {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let (true, Some(base)) = (has_sitemap(site), &site.config.base_url) {
        out.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    out.into_bytes()
}

/// An incident's summary in the feed: the plain text of its body's first paragraph.
pub fn incident_summary(body: &Body) -> String {
    body.summary(300)
}

/// A figure's summary in the feed: its definition, claim count, range and best estimate.
pub fn figure_summary(figure: &Figure, analysis: &FigureAnalysis) -> String {
    format!(
        "{} — {} claims; claimed range {} {unit}, counted range {} {unit}, best estimate {} {unit}.",
        figure.definition,
        figure.claims.len(),
        analysis.claimed.label(),
        crate::analyse::range_label(analysis),
        crate::analyse::qualifiers::format_number(analysis.best),
        unit = figure.unit,
    )
}

/// One feed entry: title, page path, updated time, and the item its summary is made from
/// (only for the entries the feed shows).
struct FeedEntry<'a> {
    title: &'a str,
    path: String,
    updated: &'a str,
    item: Item,
}

/// The incident or figure (by index) a feed entry stands for.
#[derive(Clone, Copy)]
enum Item {
    Incident(IncidentIx),
    Figure(FigureIx),
}

fn feed_entries(site: &Site) -> impl Iterator<Item = FeedEntry<'_>> {
    let incidents = site.briefing.indexed_incidents().filter_map(|(n, i)| {
        i.updated.as_ref().map(|u| FeedEntry {
            title: &i.title,
            path: incident_url(&i.id),
            updated: &u.0,
            item: Item::Incident(n),
        })
    });
    let figures = site.briefing.indexed_figures().filter_map(|(f, fig)| {
        fig.updated.as_ref().map(|u| FeedEntry {
            title: &fig.label,
            path: figure_url(&fig.id),
            updated: &u.0,
            item: Item::Figure(f),
        })
    });
    incidents.chain(figures)
}

/// The summary a feed entry shows.
fn summary(site: &Site, item: Item) -> String {
    match item {
        Item::Incident(n) => incident_summary(site.bodies.incident(n)),
        Item::Figure(f) => figure_summary(&site.briefing.figures[f], &site.analysis.figures[f]),
    }
}

/// The Atom feed of updated incidents and figures: the newest `[feed] entries`, newest first.
pub fn atom(site: &Site) -> Vec<u8> {
    let base = site.config.base_url.as_deref().unwrap_or_default();
    let mut entries: Vec<FeedEntry> = feed_entries(site).collect();
    entries.sort_by(|a, b| b.updated.cmp(a.updated).then_with(|| a.path.cmp(&b.path)));
    entries.truncate(site.config.feed.entries);
    let updated = entries
        .first()
        .map_or("1970-01-01T00:00:00Z", |e| e.updated);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <id>{}</id>\n  <link rel=\"self\" href=\"{}feed.xml\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n  <generator>sitrep</generator>\n",
        xml_escape(&site.config.language),
        xml_escape(&site.config.title),
        xml_escape(&site.config.description),
        xml_escape(base),
        xml_escape(base),
        xml_escape(base),
        xml_escape(&site.config.title),
    );
    for entry in entries {
        let url = format!("{base}{}", entry.path);
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(entry.title),
            xml_escape(&url),
            xml_escape(&url),
            entry.updated,
            xml_escape(&summary(site, entry.item)),
        ));
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

/// Whether a job's file is part of this site (sitemap and feed are conditional).
pub fn job_applies(site: &Site, job: Job) -> bool {
    match job {
        Job::Sitemap | Job::SitemapPart(_) => has_sitemap(site),
        Job::Feed => has_feed(site),
        _ => true,
    }
}

/// What the sitemap, `robots.txt` and the feed read besides the settings: every item's
/// `updated` (the sitemap's `lastmod`), and what the feed shows of each item in it.
pub(super) fn inputs(job: Job) -> Vec<Input> {
    match job {
        Job::Sitemap | Job::SitemapPart(_) => vec![Input::Fact(SiteFact::Updated)],
        Job::Feed => vec![Input::Fact(SiteFact::Feed)],
        _ => Vec::new(),
    }
}
