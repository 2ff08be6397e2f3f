//! A vocabulary for any briefing: `[vocabulary]` in site.toml sets the outcomes, categories
//! and what an interested party is called; the default is the conflict vocabulary.

mod common;

use common::*;

#[test]
fn the_conflict_vocabulary_is_the_default() {
    let (_dir, out) = build_ok(&fixture("valid"));
    let html = page(&out, "figures/militants-48h.html");
    assert!(
        texts(&html, ".flag").contains(&"Only parties to the conflict report it".to_string()),
        "{:?}",
        texts(&html, ".flag")
    );
    let incident = page(&out, "incidents/prison-attack.html");
    assert!(texts(&incident, ".outcome").contains(&"carried out".to_string()));
}

#[test]
fn a_disaster_briefing_uses_its_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("valid"), &site);
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap()
        + "\n[vocabulary]\npreset = \"disaster\"\ncategories = [\"flooding\", \"dam failure\"]\n";
    std::fs::write(site.join("site.toml"), toml).unwrap();
    let incidents = site.join("content/incidents");
    edit(
        &incidents.join("wave.md"),
        "outcome: repelled",
        "outcome: Averted",
    );
    edit(
        &incidents.join("wave.md"),
        "category: coordinated attacks",
        "category: flooding",
    );
    edit(
        &incidents.join("prison-attack.md"),
        "outcome: carried out",
        "outcome: occurred",
    );
    edit(
        &incidents.join("prison-attack.md"),
        "category: prison attack",
        "category: dam failure",
    );
    // `interested: true` is the general spelling of `party_to_conflict: true`.
    let parties = site.join("content/parties.yaml");
    let text = std::fs::read_to_string(&parties).unwrap();
    std::fs::write(
        &parties,
        text.replace("party_to_conflict: true", "interested: true"),
    )
    .unwrap();

    let (_out_dir, out) = build_ok(&site);
    let html = page(&out, "figures/militants-48h.html");
    assert!(
        texts(&html, ".flag").contains(&"Only interested parties report it".to_string()),
        "{:?}",
        texts(&html, ".flag")
    );
    // The outcome is shown as the vocabulary spells it.
    let wave = page(&out, "incidents/wave.html");
    assert_eq!(texts(&wave, "dd .outcome"), ["averted"]);
    let badge = wave
        .select(&sel(".badge.conflict"))
        .next()
        .expect("the army is an interested party");
    assert_eq!(badge.value().attr("title"), Some("Interested party"));
    for file in html_files(&out) {
        let text = std::fs::read_to_string(out.join(&file)).unwrap();
        assert!(
            !text.contains("to the conflict"),
            "{file} still speaks of a conflict"
        );
    }
}
