//! Unit tests of the figure analysis: estimates, counted and claimed ranges, revisions.

use super::*;
use crate::model::{FigureIx, Qualifier, Rank};

fn claim(value: f64, qualifier: Qualifier, source: &str) -> Claim {
    super::test_support::claim(value, qualifier.as_str(), source, "p")
}

fn figure(claims: Vec<Claim>) -> Figure {
    super::test_support::figure("f", claims, &[], &[])
}

fn briefing_with(figures: Vec<Figure>) -> Briefing {
    super::test_support::briefing(&["a", "b", "c"], figures)
}

#[test]
fn security_personnel_example_is_worked_by_hand() {
    // at least 10, exactly 15, exactly 17: low 10, best (conservative) 10, high 17, open.
    let f = figure(vec![
        claim(10.0, Qualifier::AT_LEAST, "a"),
        claim(15.0, Qualifier::EXACT, "b"),
        claim(17.0, Qualifier::EXACT, "c"),
    ]);
    let b = briefing_with(vec![f]);
    let a = analyse(&b, EstimateRule::Conservative, Wordings::default());
    let fa = &a.figures[FigureIx::new(0)];
    assert_eq!((fa.low, fa.best, fa.high), (10.0, 10.0, 17.0));
    assert!(fa.open_ended);
    // 15 and 17 disagree; "at least 10" agrees with both.
    assert_eq!(fa.disagreements.len(), 1);
    assert_eq!((fa.disagreements[0].a, fa.disagreements[0].b), (1, 2));
    assert!(fa.flags.contains(&Flag::SourcesDisagree));
    let median =
        analyse(&b, EstimateRule::Median, Wordings::default()).figures[FigureIx::new(0)].best;
    assert_eq!(median, 15.0);
    assert_eq!(
        analyse(&b, EstimateRule::Maximum, Wordings::default()).figures[FigureIx::new(0)].best,
        17.0
    );
}

#[test]
fn superseded_and_disputed_claims_leave_the_estimate() {
    let mut old = claim(5.0, Qualifier::EXACT, "a");
    old.id = Some("old".into());
    let mut new = claim(8.0, Qualifier::EXACT, "a");
    new.supersedes = Some("old".into());
    let mut disputed = claim(1.0, Qualifier::EXACT, "b");
    disputed.rank = Rank::Disputed;
    let b = briefing_with(vec![figure(vec![old, new, disputed])]);
    let fa =
        &analyse(&b, EstimateRule::Conservative, Wordings::default()).figures[FigureIx::new(0)];
    assert_eq!(fa.claims[0].superseded_by, Some(1));
    assert!(!fa.claims[0].counted && fa.claims[1].counted && !fa.claims[2].counted);
    assert_eq!(fa.best, 8.0);
    // The superseded 5 is not a disagreement with 8; the disputed 1 still is.
    assert!(fa.disagreements.iter().all(|d| d.a != 0 && d.b != 0));
}

#[test]
fn vague_words_count_only_without_numbers() {
    let dozens = Claim {
        value: None,
        ..claim(0.0, Qualifier::DOZENS, "a")
    };
    let b = briefing_with(vec![figure(vec![
        dozens.clone(),
        claim(37.0, Qualifier::AT_LEAST, "b"),
    ])]);
    let fa =
        &analyse(&b, EstimateRule::Conservative, Wordings::default()).figures[FigureIx::new(0)];
    assert!(!fa.claims[0].counted && fa.claims[1].counted);
    assert_eq!(fa.best, 37.0);
    let b = briefing_with(vec![figure(vec![dozens])]);
    assert_eq!(
        analyse(&b, EstimateRule::Conservative, Wordings::default()).figures[FigureIx::new(0)].best,
        24.0
    );
}

#[test]
fn override_wins_and_says_why() {
    let mut f = figure(vec![
        claim(10.0, Qualifier::EXACT, "a"),
        claim(12.0, Qualifier::EXACT, "b"),
    ]);
    f.best = Some(crate::model::BestOverride {
        value: 12.0,
        reason: "later count".into(),
    });
    let fa = &analyse(
        &briefing_with(vec![f]),
        EstimateRule::Conservative,
        Wordings::default(),
    )
    .figures[FigureIx::new(0)];
    assert_eq!(fa.best, 12.0);
    assert!(fa.best_basis.contains("later count"));
}

#[test]
fn flags_single_source_and_vague_wording() {
    let f = figure(vec![Claim {
        value: None,
        ..claim(0.0, Qualifier::DOZENS, "a")
    }]);
    let fa = &analyse(
        &briefing_with(vec![f]),
        EstimateRule::Conservative,
        Wordings::default(),
    )
    .figures[FigureIx::new(0)];
    assert!(fa.flags.contains(&Flag::SingleSource));
    assert!(fa.flags.contains(&Flag::OnlyVagueWording));
    assert_eq!(fa.best, 24.0);
}

fn dated(mut c: Claim, on: &str) -> Claim {
    c.stated_on = Some(serde_yaml::from_str(on).unwrap());
    c
}

fn by(mut c: Claim, party: &str) -> Claim {
    c.stated_by.party = party.into();
    c
}

fn one(claims: Vec<Claim>, rule: EstimateRule) -> FigureAnalysis {
    let b = briefing_with(vec![figure(claims)]);
    analyse(&b, rule, Wordings::default()).figures[FigureIx::new(0)].clone()
}

#[test]
fn conservative_takes_the_lowest_value_every_counted_claim_allows() {
    // "At least 27" and an exact 31 both allow 31, and nothing lower fits the exact 31.
    let fa = one(
        vec![
            claim(27.0, Qualifier::AT_LEAST, "a"),
            claim(31.0, Qualifier::EXACT, "b"),
        ],
        EstimateRule::Conservative,
    );
    assert_eq!(fa.best, 31.0, "{}", fa.best_basis);
    assert!(
        fa.best_basis
            .contains("lowest counted value that all 2 counted claims allow")
    );
    // When the claims cannot all hold, the lowest counted value (18 of 18 and 31+).
    let fa = one(
        vec![
            claim(18.0, Qualifier::EXACT, "a"),
            claim(31.0, Qualifier::AT_LEAST, "b"),
        ],
        EstimateRule::Conservative,
    );
    assert_eq!(fa.best, 18.0);
    assert!(
        fa.best_basis.contains("cannot all hold"),
        "{}",
        fa.best_basis
    );
    // "About 100" and "just over 105" share 106–110; 106 is the lowest stated value in it.
    let fa = one(
        vec![
            claim(100.0, Qualifier::ABOUT, "a"),
            claim(105.0, Qualifier::new("just over"), "b"),
        ],
        EstimateRule::Conservative,
    );
    assert_eq!(fa.best, 106.0);
    // A single "about 700" stands for 700, not the 630 it allows.
    let fa = one(
        vec![claim(700.0, Qualifier::ABOUT, "a")],
        EstimateRule::Conservative,
    );
    assert_eq!(fa.best, 700.0);
}

#[test]
fn latest_never_picks_an_undated_claim_and_explains_ties() {
    let fa = one(
        vec![
            dated(claim(10.0, Qualifier::EXACT, "a"), "2026-05-11"),
            dated(claim(12.0, Qualifier::EXACT, "b"), "unknown"),
            claim(14.0, Qualifier::EXACT, "c"),
        ],
        EstimateRule::Latest,
    );
    assert_eq!(fa.best, 10.0, "{}", fa.best_basis);
    assert!(
        fa.best_basis
            .contains("2 counted claims without a statement date")
    );
    let fa = one(
        vec![
            dated(claim(10.0, Qualifier::EXACT, "a"), "2026-05-12"),
            dated(by(claim(12.0, Qualifier::EXACT, "b"), "q"), "2026-05-12"),
        ],
        EstimateRule::Latest,
    );
    assert_eq!(fa.best, 10.0);
    assert!(
        fa.best_basis
            .contains("2 counted claims share the latest date"),
        "{}",
        fa.best_basis
    );
    // No dated claim: the conservative reading.
    let fa = one(
        vec![claim(10.0, Qualifier::EXACT, "a")],
        EstimateRule::Latest,
    );
    assert!(
        fa.best_basis
            .contains("no counted claim has a statement date")
    );
}

#[test]
fn a_count_one_party_revised_over_time_is_not_a_disagreement() {
    // The same office: 41 missing on 11 May, 17 on 13 May.
    let fa = one(
        vec![
            dated(claim(41.0, Qualifier::EXACT, "a"), "2026-05-11"),
            dated(claim(17.0, Qualifier::EXACT, "b"), "2026-05-13"),
        ],
        EstimateRule::Conservative,
    );
    assert_eq!(fa.claims[0].revised_by, Some(1));
    assert!(fa.disagreements.is_empty());
    assert!(fa.flags.contains(&Flag::CountChangedOverTime));
    assert!(!fa.flags.contains(&Flag::SourcesDisagree));
    assert_eq!((fa.low, fa.best, fa.high), (17.0, 17.0, 17.0));
    assert_eq!(fa.claimed.label(), "17–41");
    // Another party's different count on another day still disagrees.
    let fa = one(
        vec![
            dated(claim(41.0, Qualifier::EXACT, "a"), "2026-05-11"),
            dated(by(claim(17.0, Qualifier::EXACT, "b"), "q"), "2026-05-13"),
        ],
        EstimateRule::Conservative,
    );
    assert_eq!(fa.disagreements.len(), 1);
}

#[test]
fn replaces_lets_a_later_count_replace_another_partys() {
    let mut early = by(claim(12.0, Qualifier::EXACT, "a"), "q");
    early.id = Some("early".into());
    let mut official = claim(20.0, Qualifier::EXACT, "b");
    official.replaces = Some("early".into());
    official.replaces_reason = Some("the coroner's count".into());
    let fa = one(vec![early, official], EstimateRule::Conservative);
    assert_eq!(fa.claims[0].replaced_by, Some(1));
    assert!(!fa.claims[0].counted && fa.disagreements.is_empty());
    assert_eq!(fa.best, 20.0);
    assert_eq!(fa.claimed.label(), "12–20");
}

#[test]
fn the_claimed_range_covers_every_claim_and_the_counted_range_the_counted_ones() {
    let mut preferred = claim(10.0, Qualifier::EXACT, "a");
    preferred.rank = Rank::Preferred;
    let fa = one(
        vec![
            preferred,
            claim(45.0, Qualifier::UP_TO, "b"),
            claim(50.0, Qualifier::EXACT, "c"),
        ],
        EstimateRule::Conservative,
    );
    assert_eq!(fa.counted().label(), "10");
    // "Up to 45" is 40–45, not 0–45; the claimed range runs from 10 to 50.
    assert_eq!(fa.claimed.label(), "10–50");
}

mod properties {
    use super::super::checks::Group;
    use super::super::test_support;
    use super::*;
    use crate::model::{Party, PartyKind};
    use proptest::prelude::*;

    const WORDINGS: &[&str] = &[
        "exact",
        "at least",
        "more than",
        "at most",
        "fewer than",
        "nearly",
        "just over",
        "about",
        "some",
        "up to",
        "as many as",
        "between",
        "dozens",
        "several",
        "a dozen",
        "hundreds",
    ];

    /// (wording, value, spread, source 0..3, day 0..4 or none).
    fn arb_claim() -> impl Strategy<Value = (usize, u32, u32, usize, Option<u8>)> {
        (
            0..WORDINGS.len(),
            0u32..500,
            0u32..50,
            0usize..3,
            proptest::option::of(0u8..4),
        )
    }

    /// A claim from generated parts; source `s` is stated by party `p{s}`, so grouping
    /// by source and by party sees the same numbers.
    fn make((w, v, spread, s, day): (usize, u32, u32, usize, Option<u8>)) -> Claim {
        let q = WORDINGS[w];
        let source = ["a", "b", "c"][s];
        let mut c = Claim::new(
            Qualifier::new(q),
            Some(f64::from(v)),
            source,
            &format!("p{s}"),
        );
        if q == "between" {
            c.value = None;
            c.low = Some(f64::from(v));
            c.high = Some(f64::from(v + spread));
        } else if matches!(q, "dozens" | "several" | "a dozen" | "hundreds") {
            c.value = None;
        }
        if let Some(d) = day {
            c = dated(c, &format!("2026-05-1{d}"));
        }
        c
    }

    fn site(figures: Vec<Vec<Claim>>) -> Briefing {
        let ids = ["whole", "part-a", "part-b"];
        let mut b = test_support::briefing(
            &["a", "b", "c"],
            figures
                .into_iter()
                .zip(ids)
                .map(|(claims, id)| {
                    let sum: &[&str] = if id == "whole" {
                        &["part-a", "part-b"]
                    } else {
                        &[]
                    };
                    test_support::figure(id, claims, sum, &[])
                })
                .collect(),
        );
        b.figures.sort_by(|x, y| x.id.cmp(&y.id));
        for p in ["p0", "p1", "p2"] {
            b.parties.push(Party {
                id: p.into(),
                name: p.into(),
                kind: PartyKind::Other,
                party_to_conflict: false,
                notes: None,
            });
        }
        b
    }

    fn verdicts(a: &Analysis) -> Vec<(Group, bool)> {
        a.checks.iter().map(|c| (c.group, c.consistent)).collect()
    }

    proptest! {
        #[test]
        fn estimates_lie_within_the_counted_range_within_the_claimed_range(
            claims in proptest::collection::vec(arb_claim(), 1..7),
            rule in 0usize..4,
        ) {
            let rule = EstimateRule::ALL[rule];
            let fa = one(claims.into_iter().map(make).collect(), rule);
            prop_assert!(fa.low <= fa.best && fa.best <= fa.high, "{fa:?}");
            prop_assert!(fa.claimed.contains(&fa.counted()), "{:?} ⊉ {:?}", fa.claimed, fa.counted());
        }

        #[test]
        fn disputed_and_superseded_claims_change_no_verdict_or_counted_range(
            whole in proptest::collection::vec(arb_claim(), 1..4),
            part_a in proptest::collection::vec(arb_claim(), 1..4),
            part_b in proptest::collection::vec(arb_claim(), 1..4),
            extra in arb_claim(),
            target in 0usize..3,
            superseded in any::<bool>(),
        ) {
            let figures: Vec<Vec<Claim>> = [whole, part_a, part_b]
                .into_iter()
                .map(|cs| cs.into_iter().map(make).collect())
                .collect();
            let before = analyse(&site(figures.clone()), EstimateRule::Conservative, Wordings::default());
            let mut more = figures;
            let mut added = make(extra);
            if superseded {
                // An earlier count, superseded by the figure's first claim.
                added.id = Some("earlier".into());
                more[target][0].supersedes = Some("earlier".into());
            } else {
                added.rank = Rank::Disputed;
                added.rank_reason = Some("unconfirmed".into());
            }
            more[target].push(added);
            let after = analyse(&site(more), EstimateRule::Conservative, Wordings::default());
            prop_assert_eq!(verdicts(&before), verdicts(&after));
            for (x, y) in before.figures.iter().zip(&after.figures) {
                prop_assert_eq!(x.counted(), y.counted());
            }
        }

        #[test]
        fn grouping_by_source_or_by_party_gives_the_same_verdicts(
            whole in proptest::collection::vec(arb_claim(), 1..5),
            part_a in proptest::collection::vec(arb_claim(), 1..5),
            part_b in proptest::collection::vec(arb_claim(), 1..5),
        ) {
            let figures = [whole, part_a, part_b]
                .into_iter()
                .map(|cs| cs.into_iter().map(make).collect())
                .collect();
            let a = analyse(&site(figures), EstimateRule::Conservative, Wordings::default());
            for check in &a.checks {
                let Group::Source(s) = check.group else { continue };
                let twin = a.checks.iter().find(|c| c.group == Group::Party(crate::model::PartyIx::new(s.get())));
                prop_assert_eq!(twin.map(|c| c.consistent), Some(check.consistent));
            }
        }
    }
}
