//! Builders for the analysis tests: small briefings with figures and claims.

use crate::model::{Briefing, Claim, Figure, Qualifier, Source};

/// A claim of `value` in `qualifier`'s wording from `source`, stated by `party`.
pub fn claim(value: f64, qualifier: &str, source: &str, party: &str) -> Claim {
    Claim::new(Qualifier::new(qualifier), Some(value), source, party)
}

/// A figure with the given claims and relations.
pub fn figure(id: &str, claims: Vec<Claim>, sum_of: &[&str], within: &[&str]) -> Figure {
    Figure {
        id: id.into(),
        origin: Default::default(),
        label: id.into(),
        unit: "people".into(),
        definition: "d".into(),
        scope: Default::default(),
        key: false,
        sum_of: sum_of.iter().map(|s| s.to_string()).collect(),
        within: within.iter().map(|s| s.to_string()).collect(),
        best: None,
        claims,
        updated: None,
    }
}

/// A briefing with sources of the given ids (in sorted order) and the given figures.
pub fn briefing(sources: &[&str], figures: Vec<Figure>) -> Briefing {
    let mut b = Briefing::default();
    for id in sources {
        b.sources.push(Source {
            id: id.to_string(),
            origin: Default::default(),
            title: id.to_string(),
            outlet: "o".into(),
            author: None,
            published: None,
            url: None,
            archive: None,
            publish_archive: None,
            language: "en".into(),
            kind: "news report".into(),
            notes: None,
        });
    }
    b.figures = figures;
    b
}
