//! Long listings split into pages: the shipped briefing with `[listings] page_size = 3` and
//! its incidents spread over months (`common::spread_over_months`) is built and its pages
//! parsed. Every incident and dated claim is on exactly one timeline page, under its month;
//! every check on one checks page; every figure on one matrix page and one figure list
//! page, every source on one source list page; the month indexes count what the model
//! holds; `data/matrix.csv` has one row per figure and source with claims; `sitrep check`
//! finds every link. A briefing over the overview's bounds gets a bounded overview.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use sitrep::model::{DateValue, FigureIx, When};
use sitrep::pipeline::check::{self, CheckOptions};
use sitrep::site::{Overrides, Site, load};

/// A copy of the shipped briefing split into pages of 3, built; with its model.
fn split_site() -> (tempfile::TempDir, std::path::PathBuf, Site) {
    let dir = temp_dir("split-listings");
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    fixture_site(&root, &[]);
    spread_over_months(&root, 3);
    let out = dir.path().join("public");
    build_into(&root, &out).unwrap();
    let (site, _) = load(&root, &Overrides::default());
    (dir, out, site.expect("the split site loads"))
}

/// The month folder name an entry dated `date` is listed under: `YYYY-MM` for dates with
/// a year and a month, `undated` for the others (year only, no year, weekday, unknown).
fn month_of(date: &When) -> String {
    match date.start {
        DateValue::Day { year, month, .. } | DateValue::Month { year, month } => {
            format!("{year:04}-{month:02}")
        }
        _ => "undated".to_string(),
    }
}

/// The pages of a listing's month or list: `base.html` and `base/N.html` (N ≥ 2), in order.
fn pages_of(out: &Path, first: &str, folder: &str) -> Vec<String> {
    let mut pages = vec![first.to_string()];
    for n in 2.. {
        let page = format!("{folder}/{n}.html");
        if !out.join(&page).exists() {
            break;
        }
        pages.push(page);
    }
    pages
}

/// Every link of `css` on `page`, resolved to a path (and fragment) from the site root.
fn links(out: &Path, page: &str, css: &str) -> Vec<String> {
    let html = common::page(out, page);
    html.select(&sel(css))
        .map(|a| {
            let (path, fragment) = resolve(page, a.value().attr("href").unwrap());
            match fragment {
                Some(f) => format!("{path}#{f}"),
                None => path,
            }
        })
        .collect()
}

/// The month index of a split listing: (month folder name, count) for each month, in the
/// order listed.
fn month_index(out: &Path, base: &str) -> Vec<(String, usize)> {
    let html = common::page(out, base);
    html.select(&sel("ul.month-index li"))
        .map(|li| {
            let href = li.select(&sel("a")).next().unwrap().value().attr("href");
            let name = href.unwrap().rsplit('/').next().unwrap();
            let text = li.text().collect::<String>();
            let count = text.split('(').nth(1).unwrap().split(' ').next().unwrap();
            (
                name.trim_end_matches(".html").to_string(),
                count.parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_timeline_lists_every_entry_once_under_its_month() {
    let (_dir, out, site) = split_site();
    let b = &site.briefing;
    // Expected: each incident and each claim with a `stated_on`, by month.
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for incident in &b.incidents {
        let url = format!("incidents/{}.html", incident.id);
        expected
            .entry(month_of(&incident.date))
            .or_default()
            .insert(url);
    }
    let mut statements = 0;
    for figure in &b.figures {
        for claim in &figure.claims {
            if let Some(date) = &claim.stated_on {
                statements += 1;
                let url = format!("figures/{}.html", figure.id);
                expected.entry(month_of(date)).or_default().insert(url);
            }
        }
    }
    // Months with incidents: February, March (the anchored Sunday), April 2025, and the
    // entries without a known month (Saturday, Friday, unknown, a day without a year).
    assert!(expected.len() >= 4, "{:?}", expected.keys());

    let index = month_index(&out, "timeline.html");
    let names: Vec<&str> = index.iter().map(|(m, _)| m.as_str()).collect();
    let mut newest_first: Vec<&str> = expected.keys().map(String::as_str).collect();
    newest_first.retain(|m| *m != "undated");
    newest_first.reverse();
    newest_first.push("undated");
    assert_eq!(names, newest_first, "months newest first, undated last");

    let mut seen_incidents = Vec::new();
    let mut seen_statements = 0;
    for (month, count) in &index {
        let first = format!("timeline/{month}.html");
        let pages = pages_of(&out, &first, &format!("timeline/{month}"));
        let mut entries = 0;
        let mut urls = BTreeSet::new();
        for page in &pages {
            let incidents = links(&out, page, "li.entry-incident > a");
            let claims = links(&out, page, "li.entry-statement > a");
            assert!(
                incidents.len() + claims.len() <= 3,
                "{page} holds at most page_size"
            );
            entries += incidents.len() + claims.len();
            seen_statements += claims.len();
            urls.extend(
                claims
                    .iter()
                    .map(|c| c.split('#').next().unwrap().to_string()),
            );
            urls.extend(incidents.iter().cloned());
            seen_incidents.extend(incidents);
        }
        let in_model = b
            .incidents
            .iter()
            .filter(|i| &month_of(&i.date) == month)
            .count()
            + (b.figures.iter().flat_map(|f| &f.claims))
                .filter(|c| c.stated_on.as_ref().is_some_and(|d| &month_of(d) == month))
                .count();
        assert_eq!((entries, *count), (in_model, in_model), "timeline/{month}");
        assert_eq!(&urls, &expected[month], "timeline/{month}");
    }
    // Every incident exactly once.
    let unique: BTreeSet<_> = seen_incidents.iter().collect();
    assert_eq!(
        (seen_incidents.len(), unique.len()),
        (b.incidents.len(), b.incidents.len())
    );
    assert_eq!(seen_statements, statements);
}

#[test]
fn the_checks_are_split_by_the_month_of_their_figures_incidents() {
    let (_dir, out, site) = split_site();
    let b = &site.briefing;
    let checks = &site.analysis.checks;
    assert!(
        checks.len() > 3,
        "the shipped briefing has more checks than a page holds"
    );
    // A check's month: that of the earliest dated incident in its figure's scope.
    let mut expected: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for check in checks.iter() {
        let scope = &b.figures[check.figure()].scope.incidents;
        let months = scope.iter().map(|id| {
            let i = b.incident_index(id).unwrap();
            month_of(&b.incidents[i].date)
        });
        let month = months.filter(|m| m != "undated").min();
        let counts = expected
            .entry(month.unwrap_or("undated".into()))
            .or_default();
        counts.0 += 1;
        counts.1 += usize::from(!check.consistent);
    }
    let index = month_index(&out, "checks.html");
    let mut rows = 0;
    for (month, count) in &index {
        let first = format!("checks/{month}.html");
        let pages = pages_of(&out, &first, &format!("checks/{month}"));
        let (mut in_month, mut failed) = (0, 0);
        for page in &pages {
            let html = common::page(&out, page);
            in_month += html.select(&sel("table.checks-table tbody tr")).count();
            failed += html.select(&sel("tbody tr.violation")).count();
        }
        assert_eq!((in_month, failed), expected[month], "checks/{month}");
        assert_eq!(*count, in_month, "checks.html counts {month}");
        rows += in_month;
    }
    assert_eq!(index.len(), expected.len());
    assert_eq!(rows, checks.len(), "every check once");
}

#[test]
fn matrix_pages_show_each_figure_once_with_the_columns_it_uses() {
    let (_dir, out, site) = split_site();
    let b = &site.briefing;
    let pages = pages_of(&out, "matrix.html", "matrix");
    assert_eq!(pages.len(), b.figures.len().div_ceil(3));
    let mut seen = Vec::new();
    for page in &pages {
        let rows = links(&out, page, "table.matrix tbody th a");
        let columns: BTreeSet<String> = links(&out, page, "table.matrix thead a")
            .into_iter()
            .collect();
        // The columns are exactly the sources the page's figures have claims from.
        let cited: BTreeSet<String> = (rows.iter())
            .flat_map(|url| {
                let figure = b
                    .figures
                    .iter()
                    .find(|f| url.ends_with(&format!("/{}.html", f.id)));
                figure.unwrap().claims.iter()
            })
            .map(|claim| format!("sources/{}.html", claim.source))
            .collect();
        assert_eq!(columns, cited, "{page}");
        seen.extend(rows);
    }
    let expected: Vec<String> = (b.figures.iter())
        .map(|f| format!("figures/{}.html", f.id))
        .collect();
    assert_eq!(seen, expected, "every figure once, in order");

    // matrix.csv: one row per figure and source with claims, counting them.
    let mut reader = csv::Reader::from_path(out.join("data/matrix.csv")).unwrap();
    let mut cells: BTreeMap<(String, String), usize> = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let key = (record[0].to_string(), record[4].to_string());
        let claims: usize = record[5].parse().unwrap();
        assert!(cells.insert(key.clone(), claims).is_none(), "{key:?} twice");
    }
    let mut model: BTreeMap<(String, String), usize> = BTreeMap::new();
    for figure in &b.figures {
        for claim in &figure.claims {
            *model
                .entry((figure.id.clone(), claim.source.clone()))
                .or_default() += 1;
        }
    }
    assert_eq!(cells, model);
    // Linked from the matrix pages and the footer.
    assert!(links(&out, "matrix/2.html", "main a").contains(&"data/matrix.csv".to_string()));
    assert!(links(&out, "index.html", "footer a").contains(&"data/matrix.csv".to_string()));
}

#[test]
fn figure_and_source_lists_are_paginated() {
    let (_dir, out, site) = split_site();
    let b = &site.briefing;
    for (base, folder, css, expected) in [
        (
            "figures.html",
            "figures/page",
            "table.figures tbody th a",
            (b.figures.iter())
                .map(|f| format!("figures/{}.html", f.id))
                .collect::<Vec<_>>(),
        ),
        (
            "sources.html",
            "sources/page",
            "table.sources tbody th a",
            (b.sources.iter())
                .map(|s| format!("sources/{}.html", s.id))
                .collect(),
        ),
    ] {
        let pages = pages_of(&out, base, folder);
        assert_eq!(pages.len(), expected.len().div_ceil(3), "{base}");
        let seen: Vec<String> = pages.iter().flat_map(|p| links(&out, p, css)).collect();
        assert_eq!(seen, expected, "{base}: every item once, in order");
        // Page 2 links back to the first page and on to the third, if any.
        let prev = links(&out, &pages[1], "nav.pager a[rel=prev]");
        assert_eq!(prev[0], base);
        let next = links(&out, &pages[1], "nav.pager a[rel=next]");
        assert_eq!(next.first(), pages.get(2));
    }
}

#[test]
fn a_split_site_passes_the_link_check() {
    let (dir, out, _) = split_site();
    let options = CheckOptions {
        site: options(&dir.path().join("site"), &out, None),
        ..CheckOptions::default()
    };
    let report = check::check(&options).unwrap();
    let broken: Vec<_> = (report.links.failures.iter())
        .map(|f| (&f.page, &f.link))
        .collect();
    assert!(broken.is_empty(), "{broken:?}");
    assert!(report.passed(), "{:?}", report.diagnostics);
}

#[test]
fn listings_that_fit_on_one_page_are_not_split() {
    let dir = temp_dir("split-fits");
    let out = dir.path().join("public");
    build_shipped(&out, None);
    for folder in [
        "timeline",
        "checks",
        "matrix",
        "figures/page",
        "sources/page",
    ] {
        assert!(
            !out.join(folder).exists(),
            "{folder}/ with the default page_size"
        );
    }
    assert!(
        common::page(&out, "timeline.html")
            .select(&sel("ul.month-index"))
            .next()
            .is_none()
    );
}

/// Adds `n` incidents dated 1 January 2025 onwards (one a day), each citing the first
/// shipped source.
fn add_incidents(root: &Path, n: usize) {
    for k in 0..n {
        let day = 1 + k % 28;
        let month = 1 + k / 28;
        let text = format!(
            "---\ntitle: Added incident {k}\ndate: 2025-{month:02}-{day:02}\nplace:\n  country: Pakistan\ncategory: attack\noutcome: carried out\nsources:\n  - 000_081c7ac4728af589\n---\nAdded [@000_081c7ac4728af589].\n"
        );
        std::fs::write(
            root.join(format!("content/incidents/added-{k:03}.md")),
            text,
        )
        .unwrap();
    }
}

#[test]
fn the_overview_of_a_long_briefing_is_bounded() {
    let dir = temp_dir("bounded-overview");
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    fixture_site(&root, &[]);
    // 60 added incidents: 82 in all, more than the 50 the overview lists.
    add_incidents(&root, 60);
    // Every figure key: 21, one more than the 20 the overview shows.
    for file in files(&root.join("content/figures")) {
        let path = root.join("content/figures").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("key: true\n", "");
        std::fs::write(&path, format!("{text}key: true\n")).unwrap();
    }
    let out = dir.path().join("public");
    build_into(&root, &out).unwrap();
    let (site, _) = load(&root, &Overrides::default());
    let site = site.unwrap();
    let b = &site.briefing;

    let html = common::page(&out, "index.html");
    // The latest 50 incidents, newest first: the added ones (the shipped incidents have no
    // calendar dates), from k = 59 (4 March 2025: day 4 of the third 28-day block) back
    // to k = 10 (11 January).
    let listed = links(&out, "index.html", "ol.incident-list > li > a");
    let expected: Vec<String> = (10..60)
        .rev()
        .map(|k| format!("incidents/added-{k:03}.html"))
        .collect();
    assert_eq!(listed, expected);
    assert!(texts(&html, "#incidents-heading")[0].starts_with("Latest incidents"));
    assert!(links(&out, "index.html", "main a").contains(&"incidents.html".to_string()));

    // 20 key figures: every one where sources disagree, then the most claimed.
    let shown = links(&out, "index.html", "table.key-figures tbody th a");
    assert_eq!(shown.len(), 20);
    let left_out: Vec<FigureIx> = FigureIx::all(b.figures.len())
        .filter(|&f| !shown.contains(&format!("figures/{}.html", b.figures[f].id)))
        .collect();
    assert_eq!(left_out.len(), 1);
    let out_f = left_out[0];
    let disagree = |f: FigureIx| {
        site.analysis.figures[f]
            .flags
            .contains(&sitrep::analyse::Flag::SourcesDisagree)
    };
    assert!(!disagree(out_f), "a disputed figure is always shown");
    for f in FigureIx::all(b.figures.len()).filter(|&f| f != out_f && !disagree(f)) {
        assert!(b.figures[f].claims.len() >= b.figures[out_f].claims.len());
    }
    // The page stays small: 50 incident items and 20 figures.
    let size = std::fs::metadata(out.join("index.html")).unwrap().len();
    assert!(size < 200_000, "index.html is {size} bytes");
}

/// Every page of a month's checks states how many of the month's checks failed, not how
/// many of its own: the flood fixture in pages of one check (May 2026 holds both failed
/// checks of `injured` and consistent ones, so its later pages list no failure).
#[test]
fn every_page_of_a_months_checks_counts_the_months_failures() {
    let dir = temp_dir("split-checks");
    let root = dir.path().join("site");
    copy_tree(&repo_root().join("tests/fixtures/flood"), &root);
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("{config}\n[listings]\npage_size = 1\n"),
    )
    .unwrap();
    let out = dir.path().join("public");
    build_into(&root, &out).unwrap();
    let (site, _) = load(&root, &Overrides::default());
    let failed = (site.unwrap().analysis.checks.iter())
        .filter(|c| !c.consistent)
        .count();
    assert!(failed > 0, "the flood fixture has failed checks");
    let mut pages = 0;
    for (month, _) in month_index(&out, "checks.html") {
        let first = format!("checks/{month}.html");
        for page in pages_of(&out, &first, &format!("checks/{month}")) {
            let html = common::page(&out, &page);
            let stated = (html.select(&sel("main > p > strong")).next())
                .map(|s| s.text().collect::<String>().parse::<usize>().unwrap())
                .unwrap_or(0);
            // One month holds every check here (both incidents are in May 2026).
            assert_eq!(stated, failed, "{page}: the month's failed checks");
            pages += 1;
        }
    }
    assert!(pages > 1, "the checks take several pages");
}
