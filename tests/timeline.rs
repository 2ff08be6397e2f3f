//! The timeline and the matrix in time order: weekdays anchored to dates by `[dates]` in
//! site.toml share their day with the dates, a day is listed once, entries within a day
//! follow their time of day, and the matrix's columns follow publication dates.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// The valid fixture with the prison attack dated 2025-03-08 (a Saturday) instead of
/// "Saturday", and Saturday anchored to that date in site.toml.
fn anchored_site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    copy_tree(&fixture("valid"), &site);
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap()
        + "\n[dates]\nSaturday = \"2025-03-08\"\n";
    std::fs::write(site.join("site.toml"), toml).unwrap();
    edit(
        &site.join("content/incidents/prison-attack.md"),
        "date: Saturday",
        "date: 2025-03-08",
    );
    site
}

/// Each day heading of the timeline with the entry titles under it, in page order.
fn timeline(out: &Path) -> Vec<(String, Vec<String>)> {
    let html = page(out, "timeline.html");
    html.select(&sel("section.day"))
        .map(|day| {
            let heading = day.select(&sel("h2")).next().unwrap();
            let label = heading.text().next().unwrap().trim().to_string();
            let entries = day
                .select(&sel("li > a"))
                .map(|a| a.text().collect::<String>())
                .collect();
            (label, entries)
        })
        .collect()
}

#[test]
fn an_anchored_weekday_and_its_date_are_one_day() {
    let dir = tempfile::tempdir().unwrap();
    let (_out_dir, out) = build_ok(&anchored_site(dir.path()));
    let days = timeline(&out);
    let labels: Vec<&str> = days.iter().map(|(l, _)| l.as_str()).collect();
    // Without the anchor, "8 March 2025" (the prison attack) and "Saturday" (the wave and
    // the Saturday statements) were two days; Sunday is not anchored and stays a weekday.
    assert_eq!(labels, ["8 March 2025", "Sunday"], "{days:#?}");
    let saturday = &days[0].1;
    assert!(saturday.contains(&"Prison attack in Northtown".to_string()));
    assert!(saturday.contains(&"Wave of attacks".to_string()));
    // The wave's anchored date is shown as inferred on its page, with the reason.
    let wave = page(&out, "incidents/wave.html");
    assert_eq!(texts(&wave, "dd .badge.inferred"), ["inferred"]);
    let note = texts(&wave, "dd .note").join(" ");
    assert!(note.contains("anchors Saturday as 8 March 2025"), "{note}");
}

#[test]
fn entries_within_a_day_follow_their_time_of_day() {
    let dir = tempfile::tempdir().unwrap();
    let site = anchored_site(dir.path());
    let figures = site.join("content/figures");
    // Saturday's statements, by title: "Civilians killed: 18", "Civilians and security
    // personnel killed: 33", "Militants killed on the day: 92", "Security personnel killed:
    // 15". Times put them out of alphabetical order; the incidents have no time and stay
    // first.
    edit(
        &figures.join("security-killed.yaml"),
        "stated_on: Saturday",
        "stated_on: {on: Saturday, time: \"08:05\"}",
    );
    edit(
        &figures.join("militants-day.yaml"),
        "stated_on: Saturday",
        "stated_on: 2025-03-08T12:30",
    );
    edit(
        &figures.join("civilians-killed.yaml"),
        "stated_on: Saturday",
        "stated_on: {on: 2025-03-08, time: \"21:00\"}",
    );
    edit(
        &figures.join("non-militant-deaths.yaml"),
        "stated_on: Saturday",
        "stated_on: {on: Saturday, time: \"9:40\"}",
    );
    let (_out_dir, out) = build_ok(&site);
    let days = timeline(&out);
    assert_eq!(days[0].0, "8 March 2025");
    assert_eq!(
        days[0].1,
        [
            "Prison attack in Northtown",
            "Wave of attacks",
            "Security personnel killed: 15 people",
            "Civilians and security personnel killed: 33 people",
            "Militants killed on the day: 92 people",
            "Civilians killed: 18 people",
        ]
    );
    let html = page(&out, "timeline.html");
    assert_eq!(
        texts(&html, "section.day:first-of-type .time"),
        ["08:05", "9:40", "12:30", "21:00"]
    );
}

#[test]
fn matrix_columns_follow_publication_dates() {
    // `wire` is published on Saturday, `daily` on Sunday: date order is wire, daily; id
    // order (the old column order) daily, wire.
    let (_dir, out) = build_ok(&fixture("valid"));
    let html = page(&out, "matrix.html");
    assert_eq!(texts(&html, "thead th a"), ["wire", "daily"]);
    // Cells follow their columns: the army's 18 from the wire, the 31 from the daily.
    let row = html
        .select(&sel("tbody tr"))
        .find(|r| r.text().any(|t| t == "Civilians killed"))
        .unwrap();
    let cells: Vec<String> = row
        .select(&sel("td"))
        .map(|td| td.text().collect::<String>())
        .collect();
    assert_eq!(cells, ["18", "at least 31"]);
}
