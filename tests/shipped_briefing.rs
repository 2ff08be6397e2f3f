//! Builds the shipped Balochistan briefing and checks its HTML: every figure page lists
//! every claim of its figure with a working link to the source page, every incident and
//! source has its page, every internal link and anchor resolves, and the real
//! disagreements and consistency results of the five reports are shown.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use sitrep::site::{Overrides, load};

#[test]
fn shipped_briefing_builds_with_every_claim_on_its_figure_page() {
    let root = repo_root();
    let (_dir, out) = build_ok(&root);
    let (site, _) = load(&root, &Overrides::default());
    let site = site.expect("the shipped briefing loads");
    let b = &site.briefing;
    assert!(
        b.incidents.len() >= 15,
        "the five reports describe many incidents"
    );
    assert_eq!(b.sources.len(), 5, "one source per seed report");
    assert_eq!(
        (
            site.validation.quotes_verified(),
            site.validation.quotes_total()
        ),
        (51, 51),
        "every quote is verified against its archive"
    );

    for figure in &b.figures {
        let rel = format!("figures/{}.html", figure.id);
        let html = page(&out, &rel);
        assert_eq!(
            texts(&html, "h1"),
            std::slice::from_ref(&figure.label),
            "{rel}"
        );
        let rows: Vec<_> = html.select(&sel("table.claims tbody tr")).collect();
        assert_eq!(rows.len(), figure.claims.len(), "{rel} lists every claim");
        for (row, claim) in rows.iter().zip(&figure.claims) {
            let link = row
                .select(&sel("a.source-link"))
                .next()
                .unwrap_or_else(|| panic!("{rel}: claim without a source link"));
            let href = link.value().attr("href").unwrap();
            let (target, _) = resolve(&rel, href);
            assert_eq!(target, format!("sources/{}.html", claim.source), "{rel}");
            let source = b.sources.iter().find(|s| s.id == claim.source).unwrap();
            assert_eq!(
                texts(&page(&out, &target), "h1"),
                std::slice::from_ref(&source.title)
            );
            let quote = row
                .select(&sel("blockquote"))
                .next()
                .unwrap()
                .text()
                .collect::<String>();
            assert_eq!(
                quote.trim(),
                claim.quote.trim(),
                "{rel}: the quote is shown verbatim"
            );
        }
        // The chart has one mark per claim, a title and a description.
        let marks = html
            .select(&sel("svg.chart:not(.time-chart) g.claim"))
            .count();
        assert_eq!(
            marks,
            figure.claims.len(),
            "{rel}: one chart mark per claim"
        );
        assert_eq!(
            html.select(&sel("svg.chart:not(.time-chart) > title"))
                .count(),
            1,
            "{rel}"
        );
        assert_eq!(
            html.select(&sel("svg.chart:not(.time-chart) > desc"))
                .count(),
            1,
            "{rel}"
        );
    }
    for incident in &b.incidents {
        let html = page(&out, &format!("incidents/{}.html", incident.id));
        assert_eq!(texts(&html, "h1"), std::slice::from_ref(&incident.title));
        assert!(
            html.select(&sel("span.citation a.cite")).count() > 0,
            "{}: summary cites sources",
            incident.id
        );
    }
    for (s, source) in b.indexed_sources() {
        let html = page(&out, &format!("sources/{}.html", source.id));
        let claims = site.index.claims_of_source[s].len();
        assert_eq!(
            html.select(&sel("table.claims tbody tr")).count(),
            claims,
            "{}",
            source.id
        );
    }
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let (_dir, out) = build_ok(&repo_root());
    let mut ids_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let files = html_files(&out);
    assert!(files.len() > 40);
    let mut checked = 0;
    for file in &files {
        let html = page(&out, file);
        for reference in internal_refs(&html) {
            let (target, fragment) = resolve(file, &reference);
            assert!(
                out.join(&target).is_file(),
                "{file}: link {reference} → {target} does not exist"
            );
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let ids = ids_of
                    .entry(target.clone())
                    .or_insert_with(|| ids(&page(&out, &target)));
                assert!(
                    ids.contains(&fragment),
                    "{file}: anchor {reference} not found in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn real_disagreements_and_consistency_results_are_shown() {
    let (_dir, out) = build_ok(&repo_root());
    // Security personnel: the military says 15, the interior minister 10, the chief minister 17.
    let html = page(&out, "figures/security-personnel-killed.html");
    let positions: BTreeSet<String> = texts(&html, "table.positions tbody th")
        .into_iter()
        .collect();
    for value in ["10", "15", "17"] {
        assert!(
            positions.contains(value),
            "position {value} missing: {positions:?}"
        );
    }
    assert!(texts(&html, ".flags .flag").contains(&"Sources disagree".to_string()));
    // Inmates freed: "more than 30" against "nearly 30" cannot both hold.
    let html = page(&out, "figures/inmates-freed-mastung.html");
    assert!(texts(&html, ".flags .flag").contains(&"Sources disagree".to_string()));
    // The military's breakdown in 000: 18 + 15 = 33.
    let html = page(&out, "figures/non-militant-deaths.html");
    let checks = texts(&html, "ul.checks li");
    assert!(
        checks.iter().any(|c| c.contains("000_081c7ac4728af589")
            && c.contains("18 + 15 = 33")
            && c.ends_with("consistent")),
        "{checks:?}"
    );
    // 004 states the 48-hour count includes the day's 92, and reports the 41 of the Friday
    // raids: 92 + 41 = 133, within "at least 133".
    let html = page(&out, "figures/militants-killed-48h.html");
    let checks = texts(&html, "ul.checks li");
    assert!(
        checks.iter().any(|c| c.contains("004_c31cf1ccab09c85f")
            && c.contains("92 + 41 = 133 people; stated whole: 133 or more people — consistent")),
        "{checks:?}"
    );
    // Exactly these figures show a disagreement between sources.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/figures.json")).unwrap()).unwrap();
    let disputed: Vec<&str> = json["figures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["flags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == "sources-disagree")
        })
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        disputed,
        [
            "civilians-killed",
            "inmates-freed-mastung",
            "non-militant-deaths",
            "security-personnel-killed"
        ]
    );
    // The matrix shows a blank cell where a source is silent and values where it speaks.
    let html = page(&out, "matrix.html");
    assert_eq!(
        html.select(&sel("table.matrix thead th")).count(),
        6,
        "a column per source"
    );
    let row = html
        .select(&sel("table.matrix tbody tr"))
        .find(|r| {
            r.select(&sel("th a")).next().is_some_and(|a| {
                a.value().attr("href") == Some("figures/security-personnel-killed.html")
            })
        })
        .expect("a row for security personnel killed");
    let cells: Vec<String> = row
        .select(&sel("td"))
        .map(|td| td.text().collect::<Vec<_>>().join(" / "))
        .collect();
    assert_eq!(cells[0], "15", "000 (the military's count)");
    assert_eq!(
        cells[1], "at least 10 / 10",
        "001: officials and the interior minister"
    );
}

#[test]
fn data_exports_cover_every_claim() {
    let root = repo_root();
    let (_dir, out) = build_ok(&root);
    let (site, _) = load(&root, &Overrides::default());
    let site = site.unwrap();
    let total: usize = site.briefing.figures.iter().map(|f| f.claims.len()).sum();
    let mut reader = csv::Reader::from_path(out.join("data/claims.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    for column in [
        "figure_id",
        "figure_label",
        "value",
        "low",
        "high",
        "qualifier",
        "source_id",
        "stated_by",
        "stated_on",
        "quote",
        "bound_low",
        "bound_high",
        "rank",
    ] {
        assert!(
            headers.iter().any(|h| h == column),
            "claims.csv lacks {column}"
        );
    }
    assert_eq!(reader.records().count(), total);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/figures.json")).unwrap()).unwrap();
    let figures = json["figures"].as_array().unwrap();
    assert_eq!(figures.len(), site.briefing.figures.len());
    for figure in figures {
        for key in [
            "low",
            "best",
            "high",
            "best_rule",
            "flags",
            "claims",
            "sources",
        ] {
            assert!(!figure[key].is_null(), "figures.json lacks {key}");
        }
    }
}

/// A figure page names, as silent, exactly the sources that report one of the figure's
/// incidents (as the incident pages list them) but have no claim in its table, and counts
/// the other sources of the briefing that report none of those incidents.
#[test]
fn figure_pages_name_the_sources_silent_on_their_incidents() {
    let (_dir, out) = build_ok(&repo_root());
    let all_sources = texts(&page(&out, "sources.html"), "main table tbody tr th a").len();
    assert_eq!(all_sources, 5, "the sources list shows every source");
    let hrefs = |html: &scraper::Html, rel: &str, css: &str| -> BTreeSet<String> {
        html.select(&sel(css))
            .map(|a| resolve(rel, a.value().attr("href").unwrap()).0)
            .collect()
    };
    let mut scoped_with_silence = 0;
    for rel in html_files(&out)
        .iter()
        .filter(|f| f.starts_with("figures/"))
    {
        let html = page(&out, rel);
        let reporting = hrefs(&html, rel, "table.claims a.source-link");
        let silent = hrefs(&html, rel, "#silent-heading ~ ul.silent a");
        let incidents = hrefs(&html, rel, "dl.facts a[href*='incidents/']");
        if incidents.is_empty() {
            assert_eq!(silent.len() + reporting.len(), all_sources, "{rel}");
            continue;
        }
        let expected: BTreeSet<String> = incidents
            .iter()
            .flat_map(|inc| hrefs(&page(&out, inc), inc, "#sources-heading + ul a"))
            .filter(|s| !reporting.contains(s))
            .collect();
        assert_eq!(silent, expected, "{rel}: silent sources");
        scoped_with_silence += usize::from(!silent.is_empty());
        let others = all_sources - reporting.len() - silent.len();
        let note = texts(&html, "#silent-heading ~ p.muted");
        match others {
            0 => assert!(note.is_empty(), "{rel}: {note:?}"),
            n => assert!(
                note.len() == 1 && note[0].starts_with(&format!("{n} other source")),
                "{rel}: {note:?}"
            ),
        }
    }
    assert!(
        scoped_with_silence > 0,
        "some figure has a source that covers its incident without a number"
    );
}

#[test]
fn a_copy_of_the_repository_alone_verifies_every_quote() {
    // A folder with nothing beside the site: no `../shared`, as in a fresh clone.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("briefing");
    std::fs::create_dir(&site).unwrap();
    fixture_site(&site, &[]);
    let out = site.join("public");
    let report = build_into(&site, &out).expect("the copy builds");
    let claims: usize = load(&site, &Overrides::default())
        .0
        .expect("the copy loads")
        .briefing
        .figures
        .iter()
        .map(|f| f.claims.len())
        .sum();
    // Every claim of the shipped briefing carries a quote: 51 in all.
    assert_eq!(claims, 51);
    assert_eq!((report.quotes_verified, report.quotes_total), (51, 51));
    assert_eq!(report.unarchived_sources, 0);
}

#[test]
fn every_verified_quote_says_which_archived_text_it_was_checked_against() {
    let root = repo_root();
    let (_dir, out) = build_ok(&root);
    let (site, _) = load(&root, &Overrides::default());
    let b = site.expect("the shipped briefing loads").briefing;
    let mut checked = 0;
    for figure in &b.figures {
        let html = page(&out, &format!("figures/{}.html", figure.id));
        let rows: Vec<_> = html.select(&sel("table.claims tbody tr")).collect();
        for (row, claim) in rows.iter().zip(&figure.claims) {
            let source = b.sources.iter().find(|s| s.id == claim.source).unwrap();
            let archive = source.archive.as_ref().unwrap().display().to_string();
            assert_eq!(
                texts_in(row, ".verified-against code"),
                [archive],
                "{}: {}",
                figure.id,
                claim.quote
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 51);
}
