//! Rendering: every output file of a site, from the analysed [`Site`] and the templates.
//!
//! [`pages`] lists the output files as [`Job`]s; [`render_job`] turns one job into bytes.
//! Jobs are independent, so [`render_all`] runs them in parallel and hands each result to
//! an [`OutputSink`] (a folder for `build`, an in-place updater for `serve`).

mod cache;
mod check_months;
pub mod context;
pub mod csv_writer;
pub mod data;
pub mod exports;
pub mod feeds;
mod filter_options;
pub mod fingerprints;
pub mod input_map;
pub mod inputs;
mod jobs;
mod listing_rows;
mod pages;
pub mod paginate;
mod passages;
mod rooted;
mod rows;
mod search_files;
pub mod shared;
pub mod split;
pub mod svg;
pub mod templates;

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::search;
use crate::site::Site;
use context::*;
pub use jobs::{Job, is_html_page, job_path, pages};
use jobs::{METHODOLOGY_PAGE, OVERVIEW_PAGE};
pub use pages::browse::jobs as browse_jobs;
use pages::page_data;
use rows::Rows;
pub use search_files::search_index_jobs;
use shared::Shared;
use templates::Templates;

/// Receives rendered files. Paths are relative, `/`-separated, built only from safe ids.
pub trait OutputSink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;

    /// Receives a file made of `parts`, one after another (see [`Rendered`]). By default
    /// they are joined and written as one.
    fn write_parts(&self, path: &str, parts: &[&[u8]]) -> std::io::Result<()> {
        self.write(path, &parts.concat())
    }
}

/// A rendered file: its bytes, or the parts it is made of. The data files are made of
/// one part per figure, kept apart so that neither a build nor a rebuild copies tens of
/// megabytes into one buffer.
pub enum Rendered<'a> {
    Bytes(Vec<u8>),
    Parts(Vec<Cow<'a, [u8]>>),
}

/// The files that are usually largest, largest first; [`render_with`] starts with them.
const LARGEST_FIRST: [Job; 8] = [
    Job::FiguresJson,
    Job::Matrix,
    Job::Timeline,
    Job::Overview,
    Job::IncidentList,
    Job::ClaimsCsv,
    Job::FigureList,
    Job::Checks,
];

/// Counts of what a render wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderSummary {
    pub pages: usize,
    pub files: usize,
}

/// The file every output folder holds, so that sitrep knows the folder is its own to replace
/// (see [`crate::write::place`]).
pub const OUTPUT_MARKER: &str = ".sitrep-output";

/// What the marker file says to someone who finds it.
const OUTPUT_MARKER_TEXT: &str = "This folder was written by sitrep. Each build replaces \
everything in it, so keep no other files here.\n";

/// Renders `jobs` and the theme files in parallel into `sink`. Template errors are
/// collected from every page and reported together.
pub fn render_all(
    site: &Site,
    templates: &Templates,
    theme: &[(String, Vec<u8>)],
    jobs: &[Job],
    sink: &dyn OutputSink,
) -> Result<RenderSummary, Diagnostics> {
    let globals = Globals::new(site).with_theme(theme);
    let rendered = render_with(site, templates, theme, &globals, jobs, sink, false);
    crate::release::drop_in_background(globals);
    rendered
}

/// [`render_all`] with `globals` made for `site` and `theme` and kept by the caller. With
/// `partial` (a rebuild that leaves the files it does not render as they are), the term
/// shards whose bytes the kept search index still holds from the last render are not
/// rendered again: the output already holds them.
pub fn render_with(
    site: &Site,
    templates: &Templates,
    theme: &[(String, Vec<u8>)],
    globals: &Globals,
    jobs: &[Job],
    sink: &dyn OutputSink,
    partial: bool,
) -> Result<RenderSummary, Diagnostics> {
    // The largest files first, each thread taking the next job when it is free, so the
    // threads finish at about the same time.
    let mut jobs = jobs.to_vec();
    jobs.sort_by_key(|&job| {
        let rank = LARGEST_FIRST.iter().position(|&large| large == job);
        rank.unwrap_or(LARGEST_FIRST.len())
    });
    // The search index is built while the other files render, then its files are written
    // and, unless a rebuilder keeps it, the index is dropped: a build holds it only while
    // the pages rendered beside it are still few.
    let (index_jobs, jobs): (Vec<Job>, Vec<Job>) =
        jobs.into_iter().partition(|job| job.needs_search_index());
    let (index_results, mut results) = rayon::join(
        || {
            if index_jobs.is_empty() {
                return Vec::new();
            }
            let started = std::time::Instant::now();
            let (index, texts) = globals.search_index(site);
            crate::timings::file("(search index)", started.elapsed());
            let mut index_jobs = index_jobs;
            if partial {
                index_jobs.retain(|&job| match job {
                    Job::SearchTerms(n) => !index.shard_encoded(n),
                    _ => true,
                });
            }
            let results = render_jobs(site, templates, globals, index_jobs, Some(&index), sink);
            if globals.keep_search_index {
                globals.search.keep(index, texts);
            }
            results
        },
        || render_jobs(site, templates, globals, jobs, None, sink),
    );
    results.extend(index_results);
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(site.take_read_errors());
    let mut summary = RenderSummary::default();
    for result in results {
        match result {
            Ok(is_page) => {
                summary.files += 1;
                summary.pages += usize::from(is_page);
            }
            Err(found) => diagnostics.extend(found),
        }
    }
    let theme_files = theme
        .iter()
        .map(|(name, bytes)| (format!("static/{name}"), &bytes[..]));
    let marker = (OUTPUT_MARKER.to_string(), OUTPUT_MARKER_TEXT.as_bytes());
    for (path, bytes) in theme_files.chain([marker]) {
        match sink.write(&path, bytes) {
            Ok(()) => summary.files += 1,
            Err(err) => diagnostics.push(write_error(&path, &err)),
        }
    }
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    Ok(summary)
}

/// Renders `jobs` in parallel into `sink`; for each, whether it is an HTML page, or its
/// errors. `index` is the search index, if the jobs need it.
fn render_jobs(
    site: &Site,
    templates: &Templates,
    globals: &Globals,
    jobs: Vec<Job>,
    index: Option<&search::TermIndex>,
    sink: &dyn OutputSink,
) -> Vec<Result<bool, Vec<Diagnostic>>> {
    jobs.into_iter()
        .par_bridge()
        .map(|job| {
            let started = crate::timings::enabled().then(std::time::Instant::now);
            let rendered = match search_files::render(site, job, index) {
                Some(bytes) => Rendered::Bytes(bytes),
                None => {
                    render_job(site, templates, globals, job).map_err(|e| templates.error(&e))?
                }
            };
            let path = job_path(site, job);
            let written = match rendered {
                Rendered::Bytes(bytes) => sink.write(&path, &bytes),
                Rendered::Parts(parts) => {
                    let parts: Vec<&[u8]> = parts.iter().map(|part| &**part).collect();
                    sink.write_parts(&path, &parts)
                }
            };
            written.map_err(|err| vec![write_error(&path, &err)])?;
            if let Some(started) = started {
                crate::timings::file(&path, started.elapsed());
            }
            Ok(path.ends_with(".html"))
        })
        .collect()
}

fn write_error(path: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("cannot write output file: {err}"))
        .with_hint("check that the output folder is writable and the disk is not full")
}

/// What every page receives ([`Settings`]), the values many pages share and the rows of
/// the site-wide listings (kept fragments, each forgotten when its input changes: see
/// [`Globals::forget`]).
#[derive(Debug)]
pub struct Globals {
    settings: Settings,
    shared: Shared,
    rows: Rows,
    /// The search index last rendered, kept for the next render (see [`search::IndexCache`]).
    search: search::IndexCache,
    /// Whether to keep the search index after a render (for a rebuilder; see
    /// [`Globals::keeping_rows`]).
    keep_search_index: bool,
}

/// What every page receives: the site settings and the navigation, serialised once. When
/// it changes, every page is rendered again.
#[derive(Debug, PartialEq)]
pub struct Settings {
    site: Value,
    nav: Value,
    has_feed: bool,
    /// The theme's `style.css`, inlined into `404.html` (see [`Globals::with_theme`]).
    not_found_style: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct SiteCtx {
    title: String,
    description: String,
    language: String,
    base_url: Option<String>,
    extra: toml::Table,
    generator: String,
    vocabulary: crate::vocabulary::Vocabulary,
}

impl Globals {
    pub fn new(site: &Site) -> Globals {
        Globals {
            settings: Settings::of(site),
            shared: Shared::new(site),
            rows: Rows::new(site),
            search: search::IndexCache::default(),
            keep_search_index: false,
        }
    }
}

impl Settings {
    /// What every page of `site` receives (without the theme: see [`Settings::with_theme`]).
    pub fn of(site: &Site) -> Settings {
        let mut nav = vec![
            Link {
                title: "Overview".into(),
                url: "index.html".into(),
            },
            Link {
                title: "Incidents".into(),
                url: "incidents.html".into(),
            },
            Link {
                title: "Browse".into(),
                url: "browse.html".into(),
            },
            Link {
                title: "Figures".into(),
                url: "figures.html".into(),
            },
            Link {
                title: "Sources".into(),
                url: "sources.html".into(),
            },
            Link {
                title: "Matrix".into(),
                url: "matrix.html".into(),
            },
            Link {
                title: "Timeline".into(),
                url: "timeline.html".into(),
            },
            Link {
                title: "Checks".into(),
                url: "checks.html".into(),
            },
            Link {
                title: "Methodology".into(),
                url: "methodology.html".into(),
            },
        ];
        let mut pages: Vec<&crate::model::Page> = site
            .briefing
            .pages
            .iter()
            .filter(|p| p.id != METHODOLOGY_PAGE && p.id != OVERVIEW_PAGE)
            .collect();
        pages.sort_by(|a, b| {
            (a.order.unwrap_or(i64::MAX), &a.title).cmp(&(b.order.unwrap_or(i64::MAX), &b.title))
        });
        nav.extend(pages.into_iter().map(|p| Link {
            title: p.title.clone(),
            url: page_url(&p.id),
        }));
        Settings {
            site: Value::from_serializable(&SiteCtx {
                title: site.config.title.clone(),
                description: site.config.description.clone(),
                language: site.config.language.clone(),
                base_url: site.config.base_url.clone(),
                extra: site.config.extra.clone(),
                generator: format!("sitrep {}", env!("CARGO_PKG_VERSION")),
                vocabulary: site.vocabulary.clone(),
            }),
            nav: Value::from_serializable(&nav),
            has_feed: feeds::has_feed(site),
            not_found_style: None,
        }
    }

    /// Adds the theme's stylesheet for `404.html` (see [`inline_style`]).
    pub fn with_theme(mut self, theme: &[(String, Vec<u8>)]) -> Settings {
        self.not_found_style = inline_style(theme);
        self
    }
}

impl Globals {
    /// Keeps the rows of the site-wide listings once made (see [`Rows::kept`]), the
    /// claims and incidents as shown (see [`Shared::keeping_all`]) and the search index after each
    /// render, for a rebuilder that renders the same site again
    /// after forgetting what an edit changed. A build keeps neither.
    pub fn keeping_rows(mut self) -> Globals {
        self.rows = self.rows.kept();
        self.shared = self.shared.keeping_all();
        self.keep_search_index = true;
        self
    }

    /// Takes over the search index `other` kept, for a rebuilder that renders the site
    /// again with new `Globals`.
    pub fn keeping_search_index(self, other: &Globals) -> Globals {
        self.search.take_from(&other.search);
        self
    }

    /// The search index of `site`: the kept one updated, or a new one.
    fn search_index(&self, site: &Site) -> (search::TermIndex, search::site::Texts) {
        let corpus = search_files::corpus(site);
        self.search.index(&corpus, search_files::term_shards(site))
    }

    /// Forgets the shared values and rows made from any of `changed`, for a rebuilder
    /// that renders the same site again after an edit.
    pub fn forget(&mut self, changed: &[inputs::Input]) {
        self.shared.forget(changed);
        self.rows.forget(changed);
        (self.search).edited(search_files::edited_documents(changed));
    }

    /// What every page receives.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Adds the theme's stylesheet for `404.html` (see [`inline_style`]).
    pub fn with_theme(mut self, theme: &[(String, Vec<u8>)]) -> Globals {
        self.settings = self.settings.with_theme(theme);
        self
    }
}

/// The theme's `style.css`, ready to inline into `404.html`. Hosts serve that page for
/// missing URLs at any depth, where a relative `static/style.css` would not resolve, so its
/// styles are inlined. `</` is escaped (`<\/` means the same in CSS) so the text cannot end
/// the `<style>` element early. A stylesheet that loads files by relative URL (fonts,
/// images) is not inlined, since those URLs would then resolve against the page: the page
/// links it instead, like every other page.
pub fn inline_style(theme: &[(String, Vec<u8>)]) -> Option<String> {
    let (_, bytes) = theme.iter().find(|(name, _)| name == "style.css")?;
    let css = String::from_utf8_lossy(bytes);
    let relative = crate::linkcheck::css_urls(&css)
        .iter()
        .any(|url| !url.contains(':') && !url.starts_with('#'));
    (!relative).then(|| css.replace("</", "<\\/"))
}

/// The relative URL of the site root from the page at `path` (`""`, `"../"`, …).
pub(in crate::render) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Renders one job.
pub fn render_job<'a>(
    site: &Site,
    templates: &Templates,
    globals: &'a Globals,
    job: Job,
) -> Result<Rendered<'a>, tera::Error> {
    let path = job_path(site, job);
    let rows = &globals.rows;
    let data = match job {
        Job::ClaimsCsv => return Ok(Rendered::Parts(exports::claims_csv(site, rows))),
        Job::IncidentsCsv => return Ok(Rendered::Parts(exports::incidents_csv(site, rows))),
        Job::MatrixCsv => return Ok(Rendered::Parts(exports::matrix_csv(site, rows))),
        Job::FiguresJson => return Ok(Rendered::Parts(exports::figures_json(site, rows))),
        Job::Sitemap => return Ok(Rendered::Bytes(feeds::sitemap(site))),
        Job::SitemapPart(n) => return Ok(Rendered::Bytes(feeds::sitemap_part(site, n))),
        Job::Robots => return Ok(Rendered::Bytes(feeds::robots(site))),
        Job::Feed => return Ok(Rendered::Bytes(feeds::atom(site))),
        Job::FilterScript => return Ok(Rendered::Bytes(pages::browse::FILTER_SCRIPT.to_vec())),
        _ => match search_files::render(site, job, None) {
            Some(bytes) => return Ok(Rendered::Bytes(bytes)),
            None => page_data(site, &globals.shared, rows, job),
        },
    };
    let not_found = job == Job::NotFound;
    // Internal links are relative, except on the 404 page: hosts serve it for missing URLs
    // at any depth, so its links are absolute when `base_url` is known (without it, a small
    // script in the template rebases them; see docs/publishing.md).
    let root = match (&site.config.base_url, not_found) {
        (Some(base), true) => base.clone(),
        _ => root_of(&path),
    };
    let mut context = Context::new();
    context.insert_value("site", globals.settings.site.clone());
    context.insert_value("nav", globals.settings.nav.clone());
    context.insert("has_feed", &globals.settings.has_feed);
    context.insert("search", &site.config.search.enabled);
    context.insert("root", &root);
    context.insert("path", &path);
    // The 404 page has no address of its own, so no canonical URL.
    let canonical = match not_found {
        true => None,
        false => feeds::absolute_url(site, &path),
    };
    context.insert("canonical", &canonical);
    context.insert("not_found", &not_found);
    context.insert(
        "inline_style",
        &globals
            .settings
            .not_found_style
            .as_ref()
            .filter(|_| not_found),
    );
    context.insert("title", &data.title);
    context.insert("description", &data.description);
    for (key, value) in data.values {
        context.insert_value(key, value);
    }
    // Room for a typical page (13 KB at the median), its long texts (such as a body) and
    // the list of incidents it shows, so the buffer is seldom copied to grow.
    let mut room = 16 * 1024 + data.room;
    if let Some(list) = data.incident_list {
        let html = (globals.rows).incident_list(site, templates, &globals.shared, list)?;
        room += html.as_str().map_or(0, str::len);
        context.insert_value("incidents_html", html);
    }
    let mut html = Vec::with_capacity(room);
    templates
        .tera
        .render_to(data.template, &context, &mut html)?;
    Ok(Rendered::Bytes(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(css: &str) -> Vec<(String, Vec<u8>)> {
        vec![("style.css".to_string(), css.as_bytes().to_vec())]
    }

    #[test]
    fn the_404_style_is_inlined_safely_or_not_at_all() {
        assert_eq!(
            inline_style(&theme("a::after { content: \"</style><script>\" }")).as_deref(),
            Some("a::after { content: \"<\\/style><script>\" }")
        );
        assert_eq!(
            inline_style(&theme("b { background: url(data:image/png;base64,AA==) }")).as_deref(),
            Some("b { background: url(data:image/png;base64,AA==) }")
        );
        assert_eq!(
            inline_style(&theme("@font-face { src: url(f.woff2) }")),
            None
        );
        assert_eq!(inline_style(&[]), None);
    }
}
