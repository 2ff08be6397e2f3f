//! Unit tests of the wording table: every rule's bounds and point, worked by hand.

use super::*;
use crate::analyse::qualifiers::format_number;

fn claim(q: &str, value: Option<f64>) -> Claim {
    Claim::new(Qualifier::new(q), value, "", "")
}

/// The bounds and point of `q N` under the built-in table.
fn read(q: &str, n: f64) -> (Bounds, f64) {
    let w = Wordings::default();
    let c = claim(q, Some(n));
    (w.bounds(&c), w.point(&c))
}

fn b(low: f64, high: Option<f64>) -> Bounds {
    Bounds { low, high }
}

#[test]
fn exact_lower_and_upper_bounds() {
    assert_eq!(read("exact", 18.0), (b(18.0, Some(18.0)), 18.0));
    for q in ["at least", "no fewer than", "no less than", "a minimum of"] {
        assert_eq!(read(q, 10.0), (b(10.0, None), 10.0), "{q}");
    }
    // More than 30 excludes 30: whole counts start at 31.
    for q in ["more than", "over", "upwards of", "in excess of"] {
        assert_eq!(read(q, 30.0), (b(31.0, None), 31.0), "{q}");
    }
    for q in ["at most", "no more than", "a maximum of"] {
        assert_eq!(read(q, 5.0), (b(0.0, Some(5.0)), 5.0), "{q}");
    }
    // Fewer than 5 excludes 5: 0–4, counted as 4.
    for q in ["fewer than", "less than", "under"] {
        assert_eq!(read(q, 5.0), (b(0.0, Some(4.0)), 4.0), "{q}");
    }
}

#[test]
fn near_wordings() {
    // Nearly 30: 30 − 10% = 27 to 29, counted as 29.
    for q in ["nearly", "almost", "close to", "just under"] {
        assert_eq!(read(q, 30.0), (b(27.0, Some(29.0)), 29.0), "{q}");
    }
    // "Nearly 1" cannot go below zero.
    assert_eq!(read("nearly", 1.0), (b(0.0, Some(0.0)), 0.0));
    // Just over 30: 31 to 33.
    for q in ["just over", "slightly more than"] {
        assert_eq!(read(q, 30.0), (b(31.0, Some(33.0)), 31.0), "{q}");
    }
    // About 700: 630–770, counted as 700.
    for q in [
        "about",
        "approximately",
        "around",
        "roughly",
        "an estimated",
        "estimated",
    ] {
        assert_eq!(read(q, 700.0), (b(630.0, Some(770.0)), 700.0), "{q}");
    }
}

#[test]
fn some_with_a_number_means_about_that_number() {
    // "some 14,000": 12,600–15,400, counted as 14,000 — not the vague "1 or more".
    assert_eq!(
        read("some", 14_000.0),
        (b(12_600.0, Some(15_400.0)), 14_000.0)
    );
    // "some" alone is still the vague word.
    let w = Wordings::default();
    let alone = claim("some", None);
    assert_eq!(w.bounds(&alone), b(1.0, None));
    assert_eq!(w.point(&alone), 1.0);
    assert!(!w.has_number(&alone));
}

#[test]
fn up_to_and_as_many_as_assert_a_count_near_n() {
    // As many as 100: 90–100, counted as 100; an exact 58 does not fit.
    for q in ["up to", "as many as"] {
        let (bounds, point) = read(q, 100.0);
        assert_eq!((bounds, point), (b(90.0, Some(100.0)), 100.0), "{q}");
        assert!(!bounds.overlaps(&b(58.0, Some(58.0))));
    }
    // Up to 45: 40–45, not 0–45.
    assert_eq!(read("up to", 45.0).0, b(40.0, Some(45.0)));
}

#[test]
fn ranges() {
    let w = Wordings::default();
    for q in ["between", "range", "exact"] {
        let c = Claim {
            low: Some(30.0),
            high: Some(40.0),
            ..claim(q, None)
        };
        assert_eq!(w.bounds(&c), b(30.0, Some(40.0)), "{q}");
        assert_eq!(w.point(&c), 30.0, "{q}");
    }
    let c = Claim {
        low: Some(30.0),
        high: Some(40.0),
        ..claim("between", None)
    };
    assert_eq!(worded(&c, &w), "between 30 and 40");
}

#[test]
fn vague_words_and_wordings_with_their_own_number() {
    let w = Wordings::default();
    let cases: &[(&str, Bounds, f64)] = &[
        ("a few", b(2.0, Some(5.0)), 2.0),
        ("several", b(3.0, Some(9.0)), 3.0),
        ("dozens", b(24.0, Some(99.0)), 24.0),
        ("dozens of", b(24.0, Some(99.0)), 24.0),
        ("tens of", b(20.0, Some(99.0)), 20.0),
        ("scores of", b(40.0, Some(99.0)), 40.0),
        ("hundreds", b(200.0, Some(999.0)), 200.0),
        ("thousands", b(2_000.0, Some(9_999.0)), 2_000.0),
        ("tens of thousands", b(20_000.0, Some(99_999.0)), 20_000.0),
        // A dozen: about 12 (10.8 → 10, 13.2 → 14).
        ("a dozen", b(10.0, Some(14.0)), 12.0),
        ("half a dozen", b(5.0, Some(7.0)), 6.0),
        // Nearly a dozen: 10–11; more than a dozen: 13 or more.
        ("nearly a dozen", b(10.0, Some(11.0)), 11.0),
        ("more than a dozen", b(13.0, None), 13.0),
    ];
    for (q, bounds, point) in cases {
        let c = claim(q, None);
        assert!(w.get(&c.qualifier).is_some(), "{q} is a built-in wording");
        assert!(w.may_stand_alone(&c.qualifier), "{q}");
        assert_eq!((w.bounds(&c), w.point(&c)), (*bounds, *point), "{q}");
    }
    assert!(w.has_number(&claim("a dozen", None)));
    assert!(!w.has_number(&claim("dozens", None)));
    assert!(!w.may_stand_alone(&Qualifier::AT_LEAST));
}

#[test]
fn site_wordings_map_to_rules() {
    let mut site = BTreeMap::new();
    let config = |rule: &str, low: Option<f64>, high: Option<f64>| WordingConfig {
        rule: rule.into(),
        low,
        high,
        value: None,
    };
    site.insert("au moins".to_string(), config("lower-bound", None, None));
    site.insert("près de".to_string(), config("approximately", None, None));
    site.insert(
        "des dizaines".to_string(),
        config("vague", Some(20.0), Some(99.0)),
    );
    // A site may replace a built-in reading.
    site.insert(
        "hundreds".to_string(),
        config("vague", Some(100.0), Some(999.0)),
    );
    let w = Wordings::new(&site);
    let c = claim("Au moins", Some(12.0));
    assert_eq!(w.bounds(&c), b(12.0, None));
    assert_eq!(
        w.bounds(&claim("près de", Some(100.0))),
        b(90.0, Some(110.0))
    );
    let dizaines = claim("des dizaines", None);
    assert_eq!(
        (w.bounds(&dizaines), w.point(&dizaines)),
        (b(20.0, Some(99.0)), 20.0)
    );
    assert_eq!(w.bounds(&claim("hundreds", None)), b(100.0, Some(999.0)));
    let (_, rows) = w.table();
    let row = rows.iter().find(|r| r.qualifier == "des dizaines").unwrap();
    assert!(row.site);
    assert_eq!(row.example_bounds, "20–99");
    assert_eq!(row.rule, "vague");
}

#[test]
fn bad_site_wordings_are_explained() {
    let bad = WordingConfig {
        rule: "lower-bund".into(),
        low: None,
        high: None,
        value: None,
    };
    let (message, hint) = bad.problem().unwrap();
    assert!(message.contains("unknown wording rule"));
    assert!(hint.contains("lower-bound"), "{hint}");
    let vague = WordingConfig {
        rule: "vague".into(),
        low: Some(50.0),
        high: Some(10.0),
        value: None,
    };
    assert!(vague.problem().unwrap().0.contains("greater than"));
}

#[test]
fn more_than_thirty_and_nearly_thirty_do_not_overlap() {
    assert!(!read("more than", 30.0).0.overlaps(&read("nearly", 30.0).0));
    assert!(read("at least", 10.0).0.overlaps(&read("exact", 15.0).0));
    assert!(!read("exact", 15.0).0.overlaps(&read("exact", 17.0).0));
}

#[test]
fn table_covers_every_rule_and_wording_with_computed_examples() {
    let w = Wordings::default();
    let (rules, rows) = w.table();
    assert_eq!(
        rules.len(),
        RULE_NAMES.len(),
        "every rule has a built-in wording"
    );
    assert!(rules.iter().all(|r| !r.reasoning.is_empty()));
    // One row per wording, and one more for "some" without a number.
    assert_eq!(rows.len(), w.names().count() + 1);
    let some = rows
        .iter()
        .find(|r| r.qualifier == "some (no number)")
        .unwrap();
    assert_eq!(
        (some.example_bounds.as_str(), some.rule),
        ("1 or more", "vague")
    );
    let more = rows.iter().find(|r| r.qualifier == "more than").unwrap();
    assert_eq!(more.example, "more than 30");
    assert_eq!(more.example_bounds, "31 or more");
    assert_eq!(more.example_point, "31");
    let dozens = rows.iter().find(|r| r.qualifier == "dozens").unwrap();
    assert_eq!(dozens.example_bounds, "24–99");
    let as_many = rows.iter().find(|r| r.qualifier == "as many as").unwrap();
    assert_eq!(as_many.example_bounds, "27–30");
}

#[test]
fn numbers_format_plainly() {
    assert_eq!(format_number(10000.0), "10,000");
    assert_eq!(format_number(92.0), "92");
    assert_eq!(format_number(2.5), "2.5");
    assert_eq!(format_number(0.0), "0");
    assert_eq!(format_number(-1234567.0), "-1,234,567");
    assert_eq!(format_number(100.0), "100");
    assert_eq!(format_number(999_999_999_999_999.0), "999,999,999,999,999");
}
