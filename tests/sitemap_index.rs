//! The sitemap index: with more pages than `[sitemap] urls_per_file`, `sitemap.xml` is a
//! sitemap index of `sitemaps/N.xml` files that together list every HTML page exactly once,
//! none over the limit; with fewer, `sitemap.xml` stays one `<urlset>`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{fixture_site, html_files, options, temp_dir};
use sitrep::pipeline::build;

const BASE: &str = "https://example.org/briefing/";
const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The shipped briefing with `urls_per_file = limit`, built with `base_url` into `out`.
fn build_with_limit(dir: &Path, limit: usize) -> std::path::PathBuf {
    let root = dir.join("site");
    std::fs::create_dir_all(&root).unwrap();
    fixture_site(&root, &[]);
    let toml = root.join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{text}\n[sitemap]\nurls_per_file = {limit}\n"),
    )
    .unwrap();
    let out = dir.join("public");
    if let Err(d) = build(&options(&root, &out, Some(BASE))) {
        panic!("build failed: {d:?}");
    }
    out
}

/// The root element's name and the `<loc>` texts of an XML sitemap file.
fn locs(out: &Path, file: &str) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(NS), "{file}");
    let locs = (root.descendants())
        .filter(|n| n.has_tag_name((NS, "loc")))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect();
    (root.tag_name().name().to_string(), locs)
}

/// The output file a sitemap URL stands for.
fn file_of(loc: &str) -> String {
    let path = loc.strip_prefix(BASE).unwrap_or_else(|| panic!("{loc}"));
    match path {
        "" => "index.html".to_string(),
        _ => path.to_string(),
    }
}

/// The HTML pages a sitemap must list: all but the 404 page and the search page (which
/// shows nothing of its own).
fn listable_pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = html_files(out)
        .into_iter()
        .filter(|p| p != "404.html" && p != "search.html")
        .collect();
    pages.sort();
    pages
}

#[test]
fn many_pages_get_a_sitemap_index_of_files_within_the_limit() {
    let tmp = temp_dir("sitemap-index");
    // The shipped briefing has 56 listable pages (see tests/output.rs): 20 per file makes
    // three files of 20, 20 and 16.
    let limit = 20;
    let out = build_with_limit(tmp.path(), limit);
    let pages = listable_pages(&out);
    let parts = pages.len().div_ceil(limit);
    assert!(parts >= 2, "{} pages", pages.len());

    let (root, index) = locs(&out, "sitemap.xml");
    assert_eq!(root, "sitemapindex");
    let expected: Vec<String> = (1..=parts)
        .map(|n| format!("{BASE}sitemaps/{n}.xml"))
        .collect();
    assert_eq!(index, expected);

    let mut listed: BTreeMap<String, usize> = BTreeMap::new();
    for loc in &index {
        let (root, urls) = locs(&out, &file_of(loc));
        assert_eq!(root, "urlset", "{loc}");
        assert!(
            !urls.is_empty() && urls.len() <= limit,
            "{loc}: {}",
            urls.len()
        );
        for url in urls {
            *listed.entry(file_of(&url)).or_default() += 1;
        }
    }
    let twice: Vec<_> = listed.iter().filter(|&(_, &n)| n > 1).collect();
    assert!(twice.is_empty(), "listed more than once: {twice:?}");
    assert_eq!(listed.into_keys().collect::<Vec<_>>(), pages);
    // No stray part beyond those the index names.
    let files = std::fs::read_dir(out.join("sitemaps")).unwrap().count();
    assert_eq!(files, parts);

    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {BASE}sitemap.xml\n")));
}

#[test]
fn pages_that_fit_stay_in_one_urlset() {
    // As many URLs per file as the site has pages to list: one urlset, no parts.
    let all = temp_dir("sitemap-all");
    let count = listable_pages(&build_with_limit(all.path(), 50_000)).len();
    let tmp = temp_dir("sitemap-one");
    let out = build_with_limit(tmp.path(), count);
    let (root, urls) = locs(&out, "sitemap.xml");
    assert_eq!(root, "urlset");
    let mut files: Vec<String> = urls.iter().map(|u| file_of(u)).collect();
    files.sort();
    assert_eq!(files, listable_pages(&out));
    assert!(!out.join("sitemaps").exists());
}
