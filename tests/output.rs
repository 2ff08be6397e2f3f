//! The built output: deterministic, free of stale files, with correct head tags, 404 page,
//! robots.txt, sitemap and Atom feed, with and without `base_url`.

mod common;

use std::path::Path;

use common::{build_shipped, files, fixture_site, options, temp_dir};
use scraper::{Html, Selector};
use sitrep::load::KeptText;
use sitrep::pipeline::BuildOptions;
use sitrep::render::templates::Templates;

const BASE: &str = "https://example.org/briefing/";

fn page(out: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(path)).unwrap())
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn attr<'a>(html: &'a Html, css: &str, name: &str) -> Option<&'a str> {
    select(html, css).first().and_then(|e| e.value().attr(name))
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = temp_dir("determinism");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_shipped(&a, Some(BASE));
    build_shipped(&b, Some(BASE));
    let (files_a, files_b) = (files(&a), files(&b));
    assert_eq!(files_a, files_b);
    assert!(files_a.len() > 60, "{files_a:?}");
    for file in &files_a {
        let (x, y) = (
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
        );
        assert!(x == y, "{} differs between two builds", file.display());
    }
}

#[test]
fn files_from_an_earlier_build_are_removed() {
    let tmp = temp_dir("stale");
    let out = tmp.path().join("public");
    build_shipped(&out, Some(BASE));
    std::fs::write(out.join("incidents").join("renamed-long-ago.html"), "old").unwrap();
    assert!(out.join("feed.xml").is_file());
    build_shipped(&out, None);
    assert!(!out.join("incidents").join("renamed-long-ago.html").exists());
    assert!(
        !out.join("feed.xml").exists(),
        "the feed needs base_url, so it goes"
    );
    assert!(!out.join("sitemap.xml").exists());
}

#[test]
fn pages_have_description_canonical_open_graph_and_favicon() {
    let tmp = temp_dir("head");
    let out = tmp.path().join("public");
    build_shipped(&out, Some(BASE));
    let mut checked = 0;
    for file in files(&out) {
        let path = file.to_string_lossy().replace('\\', "/");
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = page(&out, &path);
        let expected = if path == "index.html" {
            BASE.to_string()
        } else {
            format!("{BASE}{path}")
        };
        assert_eq!(
            attr(&html, "link[rel=canonical]", "href"),
            Some(expected.as_str()),
            "{path}"
        );
        assert_eq!(
            attr(&html, "meta[property='og:url']", "content"),
            Some(expected.as_str()),
            "{path}"
        );
        let description = attr(&html, "meta[name=description]", "content").unwrap_or("");
        assert!(
            description.len() > 20,
            "{path}: description {description:?}"
        );
        assert_eq!(
            attr(&html, "meta[property='og:description']", "content"),
            Some(description)
        );
        assert!(attr(&html, "meta[property='og:title']", "content").is_some_and(|t| !t.is_empty()));
        let icon = attr(&html, "link[rel=icon]", "href").unwrap();
        let depth = path.matches('/').count();
        assert_eq!(
            icon,
            format!("{}static/favicon.svg", "../".repeat(depth)),
            "{path}"
        );
        checked += 1;
    }
    // 56 pages, the 5 archive pages, search.html and the browse pages.
    let browse = (common::html_files(&out).iter())
        .filter(|f| f.starts_with("browse"))
        .count();
    assert_eq!(checked, 62 + browse);
    assert!(out.join("static/favicon.svg").is_file());
}

#[test]
fn without_base_url_there_are_no_absolute_urls() {
    let tmp = temp_dir("no-base");
    let out = tmp.path().join("public");
    build_shipped(&out, None);
    for path in [
        "index.html",
        "incidents.html",
        "figures/civilians-killed.html",
        "404.html",
    ] {
        let html = page(&out, path);
        assert!(select(&html, "link[rel=canonical]").is_empty(), "{path}");
        assert!(
            select(&html, "meta[property='og:url']").is_empty(),
            "{path}"
        );
        for link in select(&html, "a[href], link[href]") {
            let href = link.value().attr("href").unwrap();
            assert!(
                !href.contains("://") && !href.starts_with('/'),
                "{path}: {href}"
            );
        }
    }
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert_eq!(robots, "User-agent: *\nAllow: /\n");
}

#[test]
fn the_404_page_works_at_any_depth() {
    let tmp = temp_dir("404");
    let out = tmp.path().join("public");
    build_shipped(&out, Some(BASE));
    let html = page(&out, "404.html");
    // Styles are inlined: no stylesheet to resolve from a deep URL.
    assert!(select(&html, "link[rel=stylesheet]").is_empty());
    let style: String = select(&html, "style")
        .iter()
        .flat_map(|s| s.text())
        .collect();
    assert!(
        style.contains(".site-header"),
        "the theme's stylesheet is inlined"
    );
    // Every link and the icon are absolute under base_url.
    let links = select(&html, "a[href], link[href]");
    assert!(links.len() > 10);
    for link in links {
        let href = link.value().attr("href").unwrap();
        assert!(href.starts_with(BASE) || href == "#main", "{href}");
    }
    assert_eq!(attr(&html, "meta[name=robots]", "content"), Some("noindex"));
    assert!(select(&html, "link[rel=canonical]").is_empty());
    assert!(
        select(&html, "script").is_empty(),
        "with base_url no script is needed"
    );

    let plain = tmp.path().join("plain");
    build_shipped(&plain, None);
    let html = page(&plain, "404.html");
    assert!(select(&html, "link[rel=stylesheet]").is_empty());
    let script: String = select(&html, "script")
        .iter()
        .flat_map(|s| s.text())
        .collect();
    assert!(
        script.contains("404.html"),
        "without base_url a script finds the site's root"
    );
}

#[test]
fn robots_sitemap_and_feed_with_base_url() {
    let tmp = temp_dir("feeds");
    let out = tmp.path().join("public");
    build_shipped(&out, Some(BASE));
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots
            .lines()
            .any(|l| l == format!("Sitemap: {BASE}sitemap.xml")),
        "{robots}"
    );

    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    let browse = (common::html_files(&out).iter())
        .filter(|f| f.starts_with("browse"))
        .count();
    assert!(browse > 20, "{browse}");
    assert_eq!(
        locs.len(),
        61 + browse,
        "every HTML page (the 5 archive pages too) but 404.html and search.html"
    );
    for loc in &locs {
        let path = loc.strip_prefix(BASE).unwrap();
        let file = if path.is_empty() { "index.html" } else { path };
        assert!(out.join(file).is_file(), "{loc}");
    }

    let feed = atom_syndication::Feed::read_from(std::io::BufReader::new(
        std::fs::File::open(out.join("feed.xml")).unwrap(),
    ))
    .expect("feed.xml is an Atom feed");
    assert_eq!(feed.title().as_str(), "Coordinated attacks in Balochistan");
    assert_eq!(feed.id(), BASE);
    assert!(
        feed.links()
            .iter()
            .any(|l| l.rel() == "self" && l.href() == format!("{BASE}feed.xml"))
    );
    assert_eq!(
        feed.entries().len(),
        22 + 21,
        "every incident and figure has `updated`"
    );
    assert_eq!(feed.updated().to_rfc3339(), "2026-11-21T00:00:00+00:00");
    for entry in feed.entries() {
        assert_eq!(entry.updated().to_rfc3339(), "2026-11-21T00:00:00+00:00");
        let href = entry.links()[0].href();
        assert_eq!(entry.id(), href);
        assert!(
            out.join(href.strip_prefix(BASE).unwrap()).is_file(),
            "{href}"
        );
        assert!(entry.summary().is_some_and(|s| !s.as_str().is_empty()));
    }
    // Pages point feed readers at it.
    let index = page(&out, "index.html");
    assert_eq!(
        attr(
            &index,
            "link[rel=alternate][type='application/atom+xml']",
            "href"
        ),
        Some("feed.xml")
    );
}

/// The data files are put together from one part per figure: the result is what
/// `serde_json` prints of the whole, compact, with each figure on a line of its own, and
/// what one CSV writer makes of the whole.
#[test]
fn data_files_are_whole_json_and_csv() {
    let tmp = temp_dir("data");
    let out = tmp.path().join("public");
    build_shipped(&out, None);
    let json = std::fs::read_to_string(out.join("data/figures.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let figures = value["figures"].as_array().unwrap();
    assert!(figures.len() > 10);
    let lines: Vec<String> = figures.iter().map(|f| f.to_string()).collect();
    let expected = format!(
        "{{\"estimate_rule\":{},\"figures\":[\n{}\n],\"title\":{}}}\n",
        value["estimate_rule"],
        lines.join(",\n"),
        value["title"]
    );
    assert!(
        json == expected,
        "figures.json is not as serde_json prints it, a figure a line"
    );

    let csv = std::fs::read(out.join("data/claims.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&csv[..]);
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in reader.records() {
        writer.write_record(&record.unwrap()).unwrap();
    }
    assert!(
        csv == writer.into_inner().unwrap(),
        "claims.csv is not as one writer writes it"
    );
}

#[test]
fn the_feed_lists_only_the_newest_entries_it_is_allowed() {
    let tmp = temp_dir("feed-limit");
    let site = tmp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    fixture_site(&site, &[]);
    let config = std::fs::read_to_string(site.join("site.toml")).unwrap();
    std::fs::write(site.join("site.toml"), config + "\n[feed]\nentries = 5\n").unwrap();
    // One incident updated after every other item (all others: 2026-11-21).
    let incident = site.join("content/incidents/hospital-emergency.md");
    let text = std::fs::read_to_string(&incident).unwrap();
    assert!(text.contains("updated: 2026-11-21"));
    std::fs::write(
        &incident,
        text.replace("updated: 2026-11-21", "updated: 2026-11-25"),
    )
    .unwrap();
    let out = tmp.path().join("public");
    sitrep::pipeline::build(&options(&site, &out, Some(BASE))).expect("the site builds");
    let feed = atom_syndication::Feed::read_from(std::io::BufReader::new(
        std::fs::File::open(out.join("feed.xml")).unwrap(),
    ))
    .unwrap();
    let hrefs: Vec<&str> = feed.entries().iter().map(|e| e.links()[0].href()).collect();
    // 43 items carry `updated`; the newest comes first, then the rest of the same time in
    // path order: figures/… sort before incidents/….
    assert_eq!(hrefs.len(), 5, "{hrefs:?}");
    assert_eq!(hrefs[0], format!("{BASE}incidents/hospital-emergency.html"));
    assert!(
        hrefs[1..]
            .iter()
            .all(|h| h.starts_with(&format!("{BASE}figures/"))),
        "{hrefs:?}"
    );
    assert_eq!(feed.updated().to_rfc3339(), "2026-11-25T00:00:00+00:00");
}

#[test]
fn incidents_csv_has_one_row_per_incident_in_time_order() {
    let tmp = temp_dir("incidents-csv");
    let out = tmp.path().join("public");
    build_shipped(&out, Some(BASE));
    let (site, _) = sitrep::site::load(&common::repo_root(), &Default::default());
    let site = site.expect("the shipped briefing loads");
    let mut reader = csv::Reader::from_path(out.join("data/incidents.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, sitrep::render::exports::INCIDENT_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    let expected: Vec<&str> = (site.index.incidents_by_time.iter())
        .map(|&i| site.briefing.incidents[i].id.as_str())
        .collect();
    assert_eq!(ids, expected, "every incident once, in time order");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (row, &i) in rows.iter().zip(&site.index.incidents_by_time) {
        let incident = &site.briefing.incidents[i];
        assert_eq!(&row[column("title")], incident.title);
        assert_eq!(&row[column("country")], incident.place.country);
        assert_eq!(&row[column("sources")], incident.sources.join("; "));
        let url = &row[column("url")];
        let path = url
            .strip_prefix(BASE)
            .expect("an absolute URL under base_url");
        assert!(out.join(path).is_file(), "{url}");
        if let Some([lat, lon]) = incident.place.coordinates {
            assert_eq!(row[column("latitude")].parse::<f64>().unwrap(), lat);
            assert_eq!(row[column("longitude")].parse::<f64>().unwrap(), lon);
        }
    }
}

/// A build keeps incident bodies in memory only up to its `kept_text` budget: it scans
/// each as its file loads, and the page and the search index of one beyond the budget
/// read it again from the file (`site::load_for_build`); it lets go of the other texts
/// and of the bodies' citations before it renders (`Site::release_for_render`).
/// Rendering the same site with all of them kept must give the same bytes, whether no
/// body, about half of them or all of them stayed in memory. Fails if a reader got no
/// body (an empty incident page, or its words missing from the search index), another
/// scan, or needed a citation.
#[test]
fn a_build_that_drops_texts_writes_what_one_that_keeps_them_writes() {
    let dir = temp_dir("released-texts");
    let root = common::repo_root();
    let kept = dir.path().join("kept");
    let prepared = sitrep::pipeline::prepare(&options(&root, &kept, None)).expect("prepare");
    sitrep::pipeline::write_prepared(&prepared, std::time::Instant::now()).expect("render");
    let kept = common::snapshot(&kept);
    let incidents: u64 = std::fs::read_dir(root.join("content/incidents"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    for budget in [0, incidents as usize / 2, KeptText::default().0] {
        let out = dir.path().join(format!("budget-{budget}"));
        let options = BuildOptions {
            kept_text: KeptText(budget),
            ..options(&root, &out, None)
        };
        sitrep::pipeline::build(&options).expect("build");
        let released = common::snapshot(&out);
        assert_eq!(
            released.keys().collect::<Vec<_>>(),
            kept.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &released {
            assert!(
                bytes == &kept[path],
                "{} differs ({budget})",
                path.display()
            );
        }
        let incident = String::from_utf8_lossy(
            &released[Path::new("incidents")
                .join(sitrep_first_incident(&root))
                .as_path()],
        )
        .into_owned();
        assert!(incident.contains("<p>"), "the incident page shows its body");
    }
}

/// The output path of the shipped briefing's first incident page (by file name).
fn sitrep_first_incident(root: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root.join("content/incidents"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .replace(".md", ".html")
        })
        .collect();
    names.sort();
    names.remove(0)
}

/// An incident file changed after a build loaded it (so its body, read again when its
/// page is rendered, is not the text that was checked) is not published: the render
/// fails naming the file, and the previous output is left as it was. Fails if the build
/// rendered the new, unchecked text (or an empty body) instead.
#[test]
fn a_body_changed_after_loading_is_not_published() {
    let dir = temp_dir("changed-body");
    let root = dir.path().join("site");
    common::copy_tree(&common::fixture("valid"), &root);
    let (site, diagnostics) = sitrep::site::load_for_build(&root, &Default::default(), KeptText(0));
    let site = site.unwrap_or_else(|| panic!("the site loads: {diagnostics:?}"));
    let incident = &site.briefing.incidents[0];
    let body = site.incident_body(sitrep::model::IncidentIx::new(0));
    assert!(!body.is_empty(), "the body is read again from its file");
    let path = root.join(&incident.origin.file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}\nAn unchecked sentence [@nowhere].\n"),
    )
    .unwrap();
    assert!(
        site.incident_body(sitrep::model::IncidentIx::new(0))
            .is_empty(),
        "a changed file gives no body"
    );
    let errors = site.take_read_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].file, incident.origin.file);
    assert!(errors[0].message.contains("changed"), "{errors:?}");
    // The same through a whole render: it fails, naming the file.
    let mut diagnostics = Default::default();
    let templates = Templates::load(&root, u64::MAX, &mut diagnostics).expect("templates");
    let theme = sitrep::render::templates::theme_files(&root, &site.config, &mut diagnostics);
    let jobs = sitrep::render::pages(&site);
    let rendered = sitrep::render::render_all(&site, &templates, &theme, &jobs, &Nowhere);
    let errors = rendered.expect_err("the render fails");
    let files: Vec<&Path> = errors.iter().map(|d| d.file.as_path()).collect();
    assert_eq!(files, [incident.origin.file.as_path()], "{errors:?}");
}

/// A sink that keeps nothing.
struct Nowhere;

impl sitrep::render::OutputSink for Nowhere {
    fn write(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}
