//! Builds an invented, non-conflict briefing (a river flood, `tests/fixtures/flood/`) whose
//! claims use the common English wordings of casualty reporting and two of the site's own
//! wordings, and checks every figure's bounds, estimate, flags, disagreements and checks
//! against values worked out by hand, as `data/figures.json` and the pages show them.
//!
//! Rules used below (the methodology page states them): tolerance 10%; "about N" is
//! N − 10% rounded down to N + 10% rounded up; "nearly N" is N − 10% (down) to N − 1; "just
//! over N" is N + 1 to N + 10% (up); "up to"/"as many as" N is N − 10% (down) to N; "more
//! than N" is N + 1 or more; "fewer than N" 0 to N − 1; vague words are fixed codes. The
//! conservative estimate is the lowest counted value every counted claim allows, else the
//! lowest value they all allow, else (when they cannot all hold) the lowest counted value.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

fn figures(out: &Path) -> Vec<Value> {
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("data/figures.json")).unwrap()).unwrap();
    json["figures"].as_array().unwrap().clone()
}

fn figure(out: &Path, id: &str) -> Value {
    figures(out)
        .into_iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no figure {id}"))
}

/// (low, best, high, open-ended) of the estimate.
fn estimate(f: &Value) -> (f64, f64, f64, bool) {
    (
        f["low"].as_f64().unwrap(),
        f["best"].as_f64().unwrap(),
        f["high"].as_f64().unwrap(),
        f["open_ended"].as_bool().unwrap(),
    )
}

fn flags(f: &Value) -> Vec<&str> {
    f["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

/// Each claim's (bound low, bound high or none, point, counted).
fn bounds(f: &Value) -> Vec<(f64, Option<f64>, f64, bool)> {
    f["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["bound_low"].as_f64().unwrap(),
                c["bound_high"].as_f64(),
                c["point"].as_f64().unwrap(),
                c["counted"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn ranges(f: &Value) -> (String, String) {
    (
        f["claimed_range"]["label"].as_str().unwrap().to_string(),
        f["counted_range"]["label"].as_str().unwrap().to_string(),
    )
}

fn build() -> (tempfile::TempDir, std::path::PathBuf) {
    build_ok(&fixture("flood"))
}

#[test]
fn some_n_an_estimated_n_and_upwards_of_read_as_numbers() {
    let (_dir, out) = build();
    let f = figure(&out, "people-displaced");
    // some 14,000: about 14,000 = 12,600–15,400 (not "1 or more"); tens of thousands:
    // 20,000–99,999, not counted beside numbers; upwards of 12,000: 12,001 or more; an
    // estimated 15,000: 13,500–16,500.
    assert_eq!(
        bounds(&f),
        [
            (12_600.0, Some(15_400.0), 14_000.0, true),
            (20_000.0, Some(99_999.0), 20_000.0, false),
            (12_001.0, None, 12_001.0, true),
            (13_500.0, Some(16_500.0), 15_000.0, true),
        ]
    );
    // The counted claims all allow 13,500–15,400; the lowest stated value in it is 14,000.
    // Low: 12,001 (upwards of); high: 16,500, open-ended.
    assert_eq!(estimate(&f), (12_001.0, 14_000.0, 16_500.0, true));
    assert_eq!(
        ranges(&f),
        ("12,001–99,999+".into(), "12,001–16,500+".into())
    );
    // "Tens of thousands" (20,000+) cannot hold with 14,000 or 15,000.
    assert_eq!(flags(&f), ["sources-disagree"]);
}

#[test]
fn an_exact_count_that_fits_at_least_n_is_the_conservative_estimate() {
    let (_dir, out) = build();
    let f = figure(&out, "deaths");
    // At least 27 and exactly 31 (which replaces the hospital's early 12): both allow 31.
    assert_eq!(estimate(&f), (27.0, 31.0, 31.0, true));
    assert_eq!(ranges(&f), ("12–31+".into(), "27–31+".into()));
    assert_eq!(
        f["claimed_range"]["note"].as_str(),
        Some("includes 1 replaced claim")
    );
    let claims = f["claims"].as_array().unwrap();
    assert_eq!(
        claims[1]["replaced_by"], "3",
        "the 12 is replaced by the third claim"
    );
    assert_eq!(claims[2]["replaces"], "hospital-tally");
    // Replaced, the 12 is no disagreement.
    assert!(flags(&f).is_empty(), "{:?}", flags(&f));
    // The figure page says so both ways.
    let html = page(&out, "figures/deaths.html");
    let rows = texts(&html, "table.claims td.value");
    assert!(rows[1].contains("replaced by a later claim"), "{rows:?}");
    assert!(rows[1].contains("includes the hospital's dead"), "{rows:?}");
    assert!(rows[2].contains("replaces an earlier claim"), "{rows:?}");
}

#[test]
fn a_falling_missing_count_is_a_change_over_time_with_a_chart() {
    let (_dir, out) = build();
    let f = figure(&out, "missing");
    // The county office: 41 on 11 May, nearly 30 (27–29) on 12 May, 17 on 13 May. Each
    // earlier count is revised by the next; only 17 stands.
    assert_eq!(estimate(&f), (17.0, 17.0, 17.0, false));
    assert_eq!(ranges(&f), ("17–41".into(), "17".into()));
    assert_eq!(flags(&f), ["count-changed-over-time"]);
    let html = page(&out, "figures/missing.html");
    assert_eq!(
        texts(&html, "ul.changes li"),
        [
            "County emergency office: the count changed from 41 on 11 May 2026 to nearly 30 on 12 May 2026, then to 17 on 13 May 2026."
        ]
    );
    assert!(html.select(&sel("table.positions")).next().is_none());
    assert_eq!(
        html.select(&sel("svg.time-chart g.claim")).count(),
        3,
        "one mark per dated claim"
    );
    assert_eq!(
        html.select(&sel("svg.time-chart polyline.party-line"))
            .count(),
        1
    );
}

#[test]
fn as_many_as_and_up_to_disagree_with_a_count_far_below() {
    let (_dir, out) = build();
    let f = figure(&out, "homes-destroyed");
    // 58; as many as 100 = 90–100; up to 95 = 85–95. 58 fits neither, so they disagree and
    // the conservative rule falls back to the lowest counted value, 58.
    assert_eq!(
        bounds(&f),
        [
            (58.0, Some(58.0), 58.0, true),
            (90.0, Some(100.0), 100.0, true),
            (85.0, Some(95.0), 95.0, true),
        ]
    );
    assert_eq!(estimate(&f), (58.0, 58.0, 100.0, false));
    assert_eq!(flags(&f), ["sources-disagree"]);
    let html = page(&out, "figures/homes-destroyed.html");
    let positions = texts(&html, "table.positions tbody th");
    assert_eq!(positions, ["58", "up to 95", "as many as 100"]);
}

#[test]
fn ranges_bounds_and_approximations() {
    let (_dir, out) = build();
    // Between 300 and 350; 320 to 340; more than 310 (311+). All allow 320–340; the lowest
    // stated value in it is 320.
    let f = figure(&out, "rescued");
    assert_eq!(estimate(&f), (300.0, 320.0, 350.0, true));
    assert!(flags(&f).is_empty());
    // Over 50 (51+), in excess of 60 (61+), almost 70 (63–69), close to 65 (58–64): all
    // allow 63–64; 64 (close to 65) is the lowest stated value in it.
    let f = figure(&out, "roads-closed");
    assert_eq!(estimate(&f), (51.0, 64.0, 69.0, true));
    assert!(flags(&f).is_empty());
    // Just over 40 (41–44), about 45 (40–50), around 42 (37–47), roughly 43 (38–48): all
    // allow 41–44; 41 is the lowest stated value in it. None is a firm bound.
    let f = figure(&out, "shelters-open");
    assert_eq!(estimate(&f), (37.0, 41.0, 50.0, false));
    assert_eq!(flags(&f), ["only-vague-wording"]);
    // At most 8 (0–8), no more than 9 (0–9), fewer than 10 (0–9), less than 12 (0–11),
    // half a dozen (5–7, counted as 6): all allow 5–7; 6 is the lowest stated value in it.
    let f = figure(&out, "pumps-working");
    assert_eq!(estimate(&f), (0.0, 6.0, 11.0, false));
    assert!(flags(&f).is_empty());
    // Thousands (2,000–9,999, not counted); an estimated 3,500 (3,150–3,850); estimated
    // 4,000 (3,600–4,400); "in the region of" 3,800 (this site's wording for
    // approximately: 3,420–4,180). All allow 3,600–3,850: 3,800.
    let f = figure(&out, "cattle-lost");
    assert_eq!(estimate(&f), (3_150.0, 3_800.0, 4_400.0, false));
    assert_eq!(flags(&f), ["only-vague-wording"]);
    assert_eq!(ranges(&f), ("2,000–9,999".into(), "3,150–4,400".into()));
}

#[test]
fn dozens_and_vague_words() {
    let (_dir, out) = build();
    // A dozen (10–14, 12), nearly a dozen (10–11, 11), more than a dozen (13+): the last two
    // cannot both hold, so the lowest counted value, 11.
    let f = figure(&out, "boats-deployed");
    assert_eq!(estimate(&f), (10.0, 11.0, 14.0, true));
    assert_eq!(flags(&f), ["sources-disagree"]);
    // Only words without numbers: dozens (24–99), scores of (40–99), tens of (20–99). All
    // allow 40–99; scores' 40 is the lowest counted value in it.
    let f = figure(&out, "villages-cut-off");
    assert_eq!(estimate(&f), (20.0, 40.0, 99.0, false));
    assert_eq!(flags(&f), ["only-vague-wording"]);
    // A few (2–5), several (3–9), "a handful of" (this site's vague code, 2–6) and 4-6: only
    // the range gives numbers, so it alone counts; the claimed range spans 2–9.
    let f = figure(&out, "bridges-damaged");
    assert_eq!(estimate(&f), (4.0, 4.0, 6.0, false));
    assert_eq!(ranges(&f), ("2–9".into(), "4–6".into()));
    assert_eq!(
        f["claimed_range"]["note"].as_str(),
        Some("includes 3 other uncounted claims")
    );
    assert!(flags(&f).is_empty());
}

#[test]
fn a_disputed_claim_never_rescues_a_breakdown() {
    let (_dir, out) = build();
    // The county office in the Herald: 40 + 25 = 65, but 80 in all. The Herald's disputed
    // "about 65" (58–72) would have made the source's numbers look consistent; it does not
    // count, so the source and the party get the same verdict on the same numbers.
    let f = figure(&out, "injured");
    let checks: Vec<(String, String, bool)> = f["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["group"].as_str().unwrap().to_string(),
                c["detail"].as_str().unwrap().to_string(),
                c["consistent"].as_bool().unwrap(),
            )
        })
        .collect();
    let detail = "40 + 25 = 65 people; stated whole: 80 people — does not add up".to_string();
    assert_eq!(
        checks,
        [
            ("source herald".to_string(), detail.clone(), false),
            ("County emergency office".to_string(), detail, false),
        ]
    );
    // 80 against the disputed about 65 and against hundreds (200–999).
    assert_eq!(flags(&f), ["sources-disagree", "breakdown-does-not-add-up"]);
    assert_eq!(estimate(&f), (80.0, 80.0, 80.0, false));
    let html = page(&out, "checks.html");
    assert_eq!(html.select(&sel("table.checks-table tbody tr")).count(), 2);
    assert_eq!(
        html.select(&sel("table.checks-table tbody tr.violation"))
            .count(),
        2
    );
}

#[test]
fn every_number_is_shown_with_its_unit() {
    let (_dir, out) = build();
    // Approximately 38.6 (34–43) and just under 40 (36–39): the lowest stated value all
    // allow is 38.6 million cubic metres.
    let f = figure(&out, "water-released");
    assert_eq!(estimate(&f), (34.0, 38.6, 43.0, false));
    let html = page(&out, "figures/water-released.html");
    assert_eq!(
        texts(&html, ".estimate-numbers .best"),
        ["Best 38.6 million cubic metres"]
    );
    assert_eq!(
        texts(&html, "svg.chart .axis-label"),
        ["million cubic metres"]
    );
    let list = page(&out, "figures.html");
    let row = list
        .select(&sel("table.figures tbody tr"))
        .find(|r| texts_in(r, "th a") == ["Water released through the spillway"])
        .unwrap();
    assert_eq!(texts_in(&row, "td.best"), ["38.6 million cubic metres"]);
    assert_eq!(
        texts_in(&row, "td.counted-range"),
        ["34–43 million cubic metres"]
    );
    let overview = page(&out, "index.html");
    assert_eq!(
        texts(&overview, "table.key-figures td.best"),
        ["31 people", "17 people", "14,000 people"]
    );
    let matrix = page(&out, "matrix.html");
    assert!(
        texts(&matrix, "table.matrix tbody th .unit").contains(&"(million cubic metres)".into())
    );
}

#[test]
fn methodology_lists_the_sites_own_wordings_with_the_built_in_ones() {
    let (_dir, out) = build();
    let html = page(&out, "methodology.html");
    let site_rows = texts(&html, "table.qualifiers tr.site-wording th");
    assert_eq!(
        site_rows,
        ["in the region of this site", "a handful of this site"]
    );
    let rules = texts(&html, "table.rules tbody th");
    assert!(rules.contains(&"up-to".to_string()), "{rules:?}");
}
