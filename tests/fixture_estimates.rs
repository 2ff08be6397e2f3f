//! Builds a small fixture briefing whose estimates, disagreements and checks were worked
//! out by hand, and checks the generated pages and data against them.

mod common;

use common::*;

fn figure_json(out: &std::path::Path, id: &str) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/figures.json")).unwrap()).unwrap();
    json["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no figure {id}"))
}

fn estimate(out: &std::path::Path, id: &str) -> (f64, f64, f64, bool) {
    let f = figure_json(out, id);
    (
        f["low"].as_f64().unwrap(),
        f["best"].as_f64().unwrap(),
        f["high"].as_f64().unwrap(),
        f["open_ended"].as_bool().unwrap(),
    )
}

fn flags(out: &std::path::Path, id: &str) -> Vec<String> {
    figure_json(out, id)["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn hand_worked_estimates() {
    let (_dir, out) = build_ok(&fixture("valid"));
    // 18 exactly vs at least 31: conservative best 18, high 31 and open-ended.
    assert_eq!(estimate(&out, "civilians-killed"), (18.0, 18.0, 31.0, true));
    assert_eq!(estimate(&out, "security-killed"), (15.0, 15.0, 17.0, false));
    // 33 vs "close to 50" (45–49, counted as 49).
    assert_eq!(
        estimate(&out, "non-militant-deaths"),
        (33.0, 33.0, 49.0, false)
    );
    // "dozens" does not count beside the army's 92.
    assert_eq!(estimate(&out, "militants-day"), (92.0, 92.0, 92.0, false));
    // "more than 30" (31+) vs "nearly 30" (27–29): best 29, low 27, high 31+.
    assert_eq!(estimate(&out, "inmates-freed"), (27.0, 29.0, 31.0, true));
}

#[test]
fn hand_worked_flags() {
    let (_dir, out) = build_ok(&fixture("valid"));
    assert_eq!(
        flags(&out, "civilians-killed"),
        ["sources-disagree", "only-conflict-parties"]
    );
    assert_eq!(
        flags(&out, "security-killed"),
        ["sources-disagree", "only-conflict-parties"]
    );
    assert_eq!(flags(&out, "non-militant-deaths"), ["sources-disagree"]);
    assert!(
        flags(&out, "militants-day").is_empty(),
        "92 and dozens are compatible"
    );
    assert_eq!(
        flags(&out, "militants-48h"),
        ["single-source", "only-conflict-parties"]
    );
    assert_eq!(flags(&out, "inmates-freed"), ["sources-disagree"]);
}

#[test]
fn hand_worked_consistency_checks() {
    let (_dir, out) = build_ok(&fixture("valid"));
    let checks = figure_json(&out, "non-militant-deaths")["checks"]
        .as_array()
        .unwrap()
        .clone();
    let details: Vec<(String, String, bool)> = checks
        .iter()
        .map(|c| {
            (
                c["group"].as_str().unwrap().to_string(),
                c["detail"].as_str().unwrap().to_string(),
                c["consistent"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        details,
        [
            (
                "source daily".to_string(),
                "31 or more + 17 = 48 or more people; stated whole: 45–49 people — consistent"
                    .to_string(),
                true
            ),
            (
                "source wire".to_string(),
                "18 + 15 = 33 people; stated whole: 33 people — consistent".to_string(),
                true
            ),
            (
                "The army".to_string(),
                "18 + 15 = 33 people; stated whole: 33 people — consistent".to_string(),
                true
            ),
        ]
    );
    let html = page(&out, "checks.html");
    assert_eq!(
        html.select(&sel("table.checks-table tbody tr")).count(),
        5,
        "3 sums and 2 windows"
    );
    assert_eq!(
        html.select(&sel("table.checks-table tbody tr.violation"))
            .count(),
        0
    );
}

#[test]
fn figure_page_shows_bounds_superseding_and_silent_sources() {
    let (_dir, out) = build_ok(&fixture("valid"));
    let html = page(&out, "figures/militants-48h.html");
    assert_eq!(
        texts(&html, "#silent-heading + ul li a"),
        ["daily"],
        "the daily is silent on this figure"
    );
    let html = page(&out, "figures/inmates-freed.html");
    let bounds = texts(&html, "table.claims td.bounds");
    assert_eq!(bounds, ["31 or more", "27–29"]);
    assert!(
        html.select(&sel("#claim-wire-count")).next().is_some(),
        "claim ids become anchors"
    );
}

#[test]
fn methodology_page_is_generated_from_the_qualifier_table() {
    let (_dir, out) = build_ok(&fixture("valid"));
    let html = page(&out, "methodology.html");
    let rows = html.select(&sel("table.qualifiers tbody tr")).count();
    let (_, table) = sitrep::analyse::wordings::Wordings::default().table();
    assert_eq!(rows, table.len());
    let shown = texts(&html, "table.qualifiers tbody td:nth-child(4)");
    let expected: Vec<String> = table.iter().map(|r| r.example_bounds.clone()).collect();
    assert_eq!(shown, expected);
}

#[test]
fn overview_lists_incidents_in_time_order_and_key_figures() {
    let (_dir, out) = build_ok(&fixture("valid"));
    let html = page(&out, "index.html");
    let key = texts(&html, "table.key-figures tbody th a");
    assert_eq!(
        key,
        [
            "Civilians killed",
            "Inmates freed",
            "Security personnel killed"
        ]
    );
    assert_eq!(
        html.select(&sel("table.key-figures svg.strip")).count(),
        3,
        "a range strip per key figure"
    );
    let incidents = texts(&html, "ol.incident-list li > a");
    assert_eq!(incidents, ["Prison attack in Northtown", "Wave of attacks"]);
}

#[test]
fn timeline_orders_days_and_marks_inferred_dates() {
    let (_dir, out) = build_ok(&fixture("valid"));
    let html = page(&out, "timeline.html");
    let days = texts(&html, "section.day h2");
    assert_eq!(
        days,
        [
            "Saturday (weekday only, no calendar date given)",
            "Sunday (weekday only, no calendar date given)"
        ]
    );
    let saturday = html.select(&sel("section.day")).next().unwrap();
    let entries: Vec<String> = saturday
        .select(&sel("li > a"))
        .map(|a| a.text().collect::<String>())
        .collect();
    // Incidents first, then statements, each alphabetical.
    assert_eq!(
        entries,
        [
            "Prison attack in Northtown",
            "Wave of attacks",
            "Civilians and security personnel killed: 33 people",
            "Civilians killed: 18 people",
            "Militants killed on the day: 92 people",
            "Security personnel killed: 15 people",
        ]
    );
    let inferred: Vec<String> = saturday
        .select(&sel("li"))
        .filter(|li| li.select(&sel(".badge.inferred")).next().is_some())
        .map(|li| li.select(&sel("a")).next().unwrap().text().collect())
        .collect();
    assert_eq!(inferred, ["Wave of attacks"]);
    for link in saturday.select(&sel("li > a")) {
        let (target, _) = resolve("timeline.html", link.value().attr("href").unwrap());
        assert!(out.join(&target).is_file(), "{target}");
    }
}
