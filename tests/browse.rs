//! Browse pages: every facet value's page lists exactly the incidents (and claims) the
//! model gives it, its index page counts them, long lists are split into pages that
//! together list each incident once, and `incidents.html` becomes the month index when the
//! incidents take more than a page. Expected groups are worked out here from the model's
//! fields, not from the browse table the pages are made from.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{build_ok, copy_tree, edit, fixture, page, repo_root, resolve, sel, temp_dir};
use sitrep::facets::key;
use sitrep::model::{DateValue, IncidentIx};
use sitrep::site::Site;

/// The actor an `actors` entry names, as docs/content-format.md states it: the entry
/// without a trailing note in parentheses.
fn actor(entry: &str) -> &str {
    match entry.rfind(')') {
        Some(end) if end + 1 == entry.len() && entry.contains(" (") => {
            entry[..entry.find(" (").unwrap()].trim_end()
        }
        _ => entry,
    }
}

/// Runs `sitrep check` (every link, anchor and asset of the built site) on `out`.
fn link_check(root: &Path, out: &Path) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args([
            "check",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
}

/// What one value's pages list: incident ids and the number of claims.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Listed {
    incidents: Vec<String>,
    claims: usize,
}

fn load(root: &Path) -> Site {
    let (site, diagnostics) = sitrep::site::load(root, &Default::default());
    site.unwrap_or_else(|| panic!("{diagnostics:?}"))
}

/// The pages of a listing from its first page `first`, following the pager's next links.
fn pages_of(out: &Path, first: &str) -> Vec<(String, scraper::Html)> {
    let mut pages = Vec::new();
    let mut at = Some(first.to_string());
    while let Some(path) = at {
        let html = page(out, &path);
        at = (html.select(&sel("nav.pager a[rel=next]")).next())
            .map(|a| resolve(&path, a.value().attr("href").unwrap()).0);
        pages.push((path, html));
        assert!(pages.len() < 1000, "the pager of {first} loops");
    }
    pages
}

/// Every value of a facet as its index lists it: (page path, counts shown), and what the
/// value's pages list.
fn listed(out: &Path, index: &str) -> Vec<(String, Vec<usize>, Listed)> {
    let mut values = Vec::new();
    for (path, html) in pages_of(out, index) {
        for row in html.select(&sel("table.browse-values tbody tr")) {
            let a = row.select(&sel("a")).next().unwrap();
            let target = resolve(&path, a.value().attr("href").unwrap()).0;
            let count: Vec<usize> = (row.select(&sel("td.num")))
                .map(|td| td.text().collect::<String>().parse().unwrap())
                .collect();
            let mut shown = Listed {
                incidents: Vec::new(),
                claims: 0,
            };
            for (at, html) in pages_of(out, &target) {
                for a in html.select(&sel("ol.incident-list > li > a")) {
                    let (file, _) = resolve(&at, a.value().attr("href").unwrap());
                    let id = file.strip_prefix("incidents/").unwrap();
                    shown
                        .incidents
                        .push(id.strip_suffix(".html").unwrap().to_string());
                }
                shown.claims += html.select(&sel("table.claims tbody tr")).count();
            }
            values.push((target, count, shown));
        }
    }
    values
}

/// The groups of `site`'s incidents by a value each incident has (or several), in time
/// order, as sorted lists of ids.
fn groups<K: Ord>(site: &Site, values: impl Fn(IncidentIx) -> Vec<K>) -> Vec<Vec<String>> {
    let mut groups: BTreeMap<K, Vec<String>> = BTreeMap::new();
    for &i in &site.index.incidents_by_time {
        let keys: BTreeSet<K> = values(i).into_iter().collect();
        for k in keys {
            groups
                .entry(k)
                .or_default()
                .push(site.briefing.incidents[i].id.clone());
        }
    }
    let mut groups: Vec<Vec<String>> = groups.into_values().collect();
    groups.sort();
    groups
}

fn month(date: &DateValue) -> String {
    match *date {
        DateValue::Day { year, month, .. } | DateValue::Month { year, month } => {
            format!("{year:04}-{month:02}")
        }
        _ => "none".into(),
    }
}

/// Checks every browse page of the site at `root`, built into `out`, against the model.
fn check_site(root: &Path, out: &Path) {
    let site = load(root);
    let b = &site.briefing;
    let inc = |i: IncidentIx| &b.incidents[i];
    let place = |i: IncidentIx| {
        let p = &inc(i).place;
        let country = key(&p.country);
        let province = p.province.as_deref().map(key).unwrap_or_default();
        let mut keys = vec![country.clone()];
        if !province.is_empty() {
            keys.push(format!("{country}/{province}"));
        }
        if let Some(district) = &p.district {
            keys.push(format!("{country}/{province}/{}", key(district)));
        }
        keys
    };
    let expected: [(&str, Vec<Vec<String>>); 6] = [
        ("places", groups(&site, place)),
        ("categories", groups(&site, |i| vec![key(&inc(i).category)])),
        ("outcomes", groups(&site, |i| vec![key(&inc(i).outcome)])),
        (
            "actors",
            groups(&site, |i| {
                inc(i).actors.iter().map(|a| key(actor(a))).collect()
            }),
        ),
        ("months", groups(&site, |i| vec![month(&inc(i).date.start)])),
        (
            "sources",
            groups(&site, |i| inc(i).sources.iter().map(|s| key(s)).collect()),
        ),
    ];
    for (facet, expected) in expected {
        let values = listed(out, &format!("browse/{facet}.html"));
        for (path, count, shown) in &values {
            let mut counted = vec![shown.incidents.len()];
            if facet == "sources" {
                counted.push(shown.claims);
            }
            assert_eq!(*count, counted, "{path}: counts on the index");
            let unique: BTreeSet<&String> = shown.incidents.iter().collect();
            assert_eq!(unique.len(), shown.incidents.len(), "{path}: listed once");
        }
        let mut actual: Vec<Vec<String>> = (values.iter())
            .map(|(_, _, shown)| shown.incidents.clone())
            .filter(|list| !list.is_empty())
            .collect();
        actual.sort();
        let expected_ordered: Vec<Vec<String>> = expected;
        // Each page lists its incidents in time order; compare as sets of ordered lists.
        assert_eq!(actual, expected_ordered, "browse/{facet}.html");
    }
    // Claims per source and per stated-by party.
    let mut by_source: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_party: BTreeMap<String, usize> = BTreeMap::new();
    for claim in b.figures.iter().flat_map(|f| &f.claims) {
        *by_source.entry(key(&claim.source)).or_default() += 1;
        *by_party.entry(key(&claim.stated_by.party)).or_default() += 1;
    }
    for (facet, expected) in [("sources", by_source), ("parties", by_party)] {
        let mut expected: Vec<usize> = expected.into_values().collect();
        let values = listed(out, &format!("browse/{facet}.html"));
        if facet == "parties" {
            for (path, count, shown) in &values {
                assert_eq!(*count, [shown.claims], "{path}: count on the index");
            }
        }
        let mut actual: Vec<usize> = (values.iter())
            .map(|(_, _, shown)| shown.claims)
            .filter(|&n| n > 0)
            .collect();
        expected.sort();
        actual.sort();
        assert_eq!(actual, expected, "claims on browse/{facet}.html");
    }
    // Every browse list item carries its facet terms for the filter.
    let html = page(out, "browse/outcomes.html");
    let first = html.select(&sel("tbody a")).next().unwrap();
    let first = resolve("browse/outcomes.html", first.value().attr("href").unwrap()).0;
    let items: Vec<String> = (page(out, &first).select(&sel("ol.incident-list > li")))
        .map(|li| li.value().attr("data-facets").unwrap().to_string())
        .collect();
    assert!(!items.is_empty());
    assert!(
        items.iter().all(|terms| terms.contains("outcome:")),
        "{items:?}"
    );
}

#[test]
fn the_shipped_briefing_browse_pages_match_the_model() {
    let (_tmp, out) = build_ok(&repo_root());
    check_site(&repo_root(), &out);
    // The incident list fits on a page: incidents.html lists every incident.
    let list = page(&out, "incidents.html");
    let site = load(&repo_root());
    let items = list.select(&sel("ol.incident-list > li")).count();
    assert_eq!(items, site.briefing.incidents.len());
    assert_eq!(list.select(&sel("table.browse-values")).count(), 0);
    // With the browse filter: each item carries its facet terms, and each value of a facet
    // is offered with the number of incidents that have it (worked out from the model).
    let terms = list
        .select(&sel("ol.incident-list > li[data-facets]"))
        .count();
    assert_eq!(terms, items);
    let mut categories: BTreeMap<String, usize> = BTreeMap::new();
    for incident in &site.briefing.incidents {
        *categories.entry(key(&incident.category)).or_default() += 1;
    }
    let offered: BTreeMap<String, usize> = (list.select(&sel("#filter-category option")))
        .filter_map(|option| {
            let value = option.value().attr("value").filter(|v| !v.is_empty())?;
            let text: String = option.text().collect();
            let count = text
                .rsplit_once(" (")?
                .1
                .trim_end_matches(')')
                .parse()
                .ok()?;
            Some((value.to_string(), count))
        })
        .collect();
    assert_eq!(offered, categories);
    let scripts: Vec<&str> = (list.select(&sel("script[src]")))
        .filter_map(|s| s.value().attr("src"))
        .collect();
    assert!(scripts.contains(&"browse/filter.js"), "{scripts:?}");
    // The browse page is in the navigation and links every facet's index.
    let entry = page(&out, "browse.html");
    let links: Vec<&str> = (entry.select(&sel("main a")))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    for facet in [
        "places",
        "categories",
        "actors",
        "outcomes",
        "sources",
        "parties",
        "months",
    ] {
        assert!(
            links.contains(&format!("browse/{facet}.html").as_str()),
            "{links:?}"
        );
    }
    let nav = page(&out, "index.html");
    assert!(
        (nav.select(&sel("header nav a"))).any(|a| a.value().attr("href") == Some("browse.html"))
    );
}

#[test]
fn the_flood_fixture_browse_pages_match_the_model() {
    let (_tmp, out) = build_ok(&fixture("flood"));
    check_site(&fixture("flood"), &out);
}

#[test]
fn small_pages_split_browse_lists_and_make_incidents_html_the_month_index() {
    let tmp = temp_dir("browse-pages");
    let root = tmp.path().join("site");
    for folder in ["content", "archive"] {
        copy_tree(&repo_root().join(folder), &root.join(folder));
    }
    let config = std::fs::read_to_string(repo_root().join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("{config}\n[listings]\npage_size = 4\n"),
    )
    .unwrap();
    // Two incidents get calendar months, so the month index has months and the rest.
    let incidents = root.join("content/incidents");
    edit(
        &incidents.join("forty-hour-security-operation.md"),
        "start: Saturday",
        "start: 2025-03-15",
    );
    let (_out_dir, out) = build_ok(&root);
    check_site(&root, &out);
    link_check(&root, &out);
    // The country's 22 incidents take 6 pages of 4, at stable URLs.
    let pages = pages_of(&out, "browse/place/pakistan.html");
    assert_eq!(pages.len(), 6);
    assert_eq!(pages[1].0, "browse/place/pakistan/2.html");
    // The filter (shown by the script) looks up the value's incidents on every page in the
    // search index, through the search script at the site root, and counts them over all.
    let all = pages[0].1.select(&sel("#facet-filter-all")).next().unwrap();
    assert_eq!(
        all.value().attr("data-terms"),
        Some("place:pakistan kind:incident")
    );
    assert_eq!(all.value().attr("data-total"), Some("22"));
    assert_eq!(
        all.value().attr("data-script"),
        Some("../../search/search.js")
    );
    // incidents.html is the month index: months newest first, then the undated page.
    let index = page(&out, "incidents.html");
    assert_eq!(index.select(&sel("ol.incident-list")).count(), 0);
    let rows: Vec<String> = (index.select(&sel("table.browse-values tbody a")))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        rows,
        ["browse/month/2025-03.html", "browse/month/undated.html"]
    );
}

/// Sets the `category:` line of incident file `path`.
fn set_category(path: &Path, category: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let new: Vec<String> = (text.lines())
        .map(|line| match line.starts_with("category:") {
            true => format!("category: {category}"),
            false => line.to_string(),
        })
        .collect();
    std::fs::write(path, new.join("\n") + "\n").unwrap();
}

#[test]
fn values_that_slug_alike_share_a_page_and_others_stay_apart() {
    let tmp = temp_dir("browse-slugs");
    let root = tmp.path().join("site");
    copy_tree(&repo_root().join("content"), &root.join("content"));
    copy_tree(&repo_root().join("archive"), &root.join("archive"));
    std::fs::copy(repo_root().join("site.toml"), root.join("site.toml")).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(root.join("content/incidents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // "Kech" and "kech!" are one value (one search term); the two Urdu names are two.
    for (file, category) in files.iter().zip(["Kech", "kech!", "تربت", "کیچ"]) {
        set_category(file, category);
    }
    let (_out_dir, out) = build_ok(&root);
    check_site(&root, &out);
    link_check(&root, &out);
    let values = listed(&out, "browse/categories.html");
    let kech: Vec<_> = values
        .iter()
        .filter(|(p, ..)| p == "browse/category/kech.html")
        .collect();
    assert_eq!(kech.len(), 1);
    assert_eq!(kech[0].1, [2]);
    let others: Vec<&String> = (values.iter())
        .map(|(path, ..)| path)
        .filter(|p| !p.is_ascii())
        .collect();
    assert!(others.is_empty(), "{others:?}");
    let paths: BTreeSet<&String> = values.iter().map(|(path, ..)| path).collect();
    assert_eq!(
        paths.len(),
        values.len(),
        "two values share a page: {values:?}"
    );
    for path in paths {
        let name = path
            .rsplit('/')
            .next()
            .unwrap()
            .strip_suffix(".html")
            .unwrap();
        assert!(sitrep::model::is_safe_slug(name), "{path}");
    }
}
