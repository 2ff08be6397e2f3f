//! Authoring commands, run through the built `sitrep` binary: `sitrep init` writes a
//! starter site that builds and checks with no warnings and never overwrites; `sitrep new`
//! writes stubs that build, appends claims without touching the rest of a figure's file
//! (and refuses quotes that are not in the archive), and `--missing` stubs every dangling
//! reference.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use sitrep::pipeline::BuildOptions;
use sitrep::pipeline::check::{CheckOptions, check};

/// Runs the `sitrep` binary with `args` in `dir`.
fn sitrep(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run sitrep")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `sitrep` and panics with its output unless it succeeded.
fn sitrep_ok(dir: &Path, args: &[&str]) -> String {
    let output = sitrep(dir, args);
    assert!(
        output.status.success(),
        "sitrep {args:?} failed:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

/// A fresh starter site made by `sitrep init`, in a temporary folder.
fn starter() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    sitrep_ok(dir.path(), &["init", "site"]);
    let site = dir.path().join("site");
    (dir, site)
}

/// The claims' quotes shown on a built figure page.
fn quotes_on(out: &Path, figure: &str) -> Vec<String> {
    texts(
        &page(out, &format!("figures/{figure}.html")),
        "table.claims td.quote blockquote",
    )
}

#[test]
fn init_writes_a_site_that_builds_and_checks_with_no_warnings() {
    let (dir, site) = starter();
    let out = dir.path().join("public");
    let report = check(&CheckOptions {
        site: BuildOptions {
            root: site.clone(),
            out: Some(out.clone()),
            ..BuildOptions::default()
        },
        build_first: true,
        ..CheckOptions::default()
    })
    .unwrap_or_else(|d| panic!("{d:?}"));
    let found: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(found.is_empty(), "diagnostics: {found:#?}");
    // The figure shows two claims from two parties, both quotes verified, and the flag
    // that says they disagree ("at least 40" against "about 25").
    let figure = page(&out, "figures/homes-flooded.html");
    assert_eq!(quotes_on(&out, "homes-flooded").len(), 2);
    assert_eq!(texts(&figure, "td.quote .badge.verified").len(), 2);
    assert_eq!(texts(&figure, ".flag-sources-disagree").len(), 1);
    assert!(site.join("archive/alderford-gazette-flood.txt").is_file());
}

#[test]
fn init_refuses_a_non_empty_folder_and_changes_nothing_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"Mine\"\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "my notes").unwrap();
    let before = snapshot(dir.path());
    let output = sitrep(dir.path(), &["init", "."]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("not empty"), "{err}");
    assert!(err.contains("it would replace site.toml"), "{err}");
    assert_eq!(
        snapshot(dir.path()),
        before,
        "init changed a non-empty folder"
    );

    let out = sitrep_ok(
        dir.path(),
        &["init", ".", "--force", "--title", "Flood watch"],
    );
    assert!(out.contains("replaced ./site.toml"), "{out}");
    assert!(out.contains("created  ./content/index.md"), "{out}");
    let config = std::fs::read_to_string(dir.path().join("site.toml")).unwrap();
    assert!(config.contains("title = \"Flood watch\""), "{config}");
    assert_eq!(
        std::fs::read(dir.path().join("notes.txt")).unwrap(),
        b"my notes"
    );

    // A folder holding only hidden files (a fresh repository) counts as empty, and its
    // own .gitignore is kept.
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    std::fs::write(repo.path().join(".gitignore"), "target/\n").unwrap();
    let out = sitrep_ok(repo.path(), &["init"]);
    assert!(out.contains("kept the existing .gitignore"), "{out}");
    assert_eq!(
        std::fs::read(repo.path().join(".gitignore")).unwrap(),
        b"target/\n"
    );
    build_ok(repo.path());
}

#[test]
fn every_new_kind_builds() {
    let (_dir, site) = starter();
    std::fs::write(
        site.join("archive/council-bulletin.txt"),
        "Council bulletin. The council has moved 35 households to the school hall.",
    )
    .unwrap();
    sitrep_ok(
        &site,
        &["new", "party", "fire-service", "--kind", "independent"],
    );
    sitrep_ok(
        &site,
        &[
            "new",
            "source",
            "council-bulletin",
            "--title",
            "Council bulletin",
            "--archive",
            "archive/council-bulletin.txt",
        ],
    );
    sitrep_ok(
        &site,
        &[
            "new",
            "incident",
            "school-hall-shelter",
            "--source",
            "council-bulletin",
        ],
    );
    let out = sitrep_ok(
        &site,
        &[
            "new",
            "figure",
            "households-moved",
            "--label",
            "Households moved",
            "--unit",
            "households",
            "--incident",
            "school-hall-shelter",
            "--source",
            "council-bulletin",
            "--value",
            "35",
            "--quote",
            "moved 35 households",
            "--stated-by",
            "alderford-town-council",
        ],
    );
    assert!(
        out.contains("created  ./content/figures/households-moved.yaml"),
        "{out}"
    );
    let (_tmp, built) = build_ok(&site);
    assert!(built.join("incidents/school-hall-shelter.html").is_file());
    assert!(built.join("sources/council-bulletin.html").is_file());
    assert_eq!(
        quotes_on(&built, "households-moved"),
        vec!["moved 35 households"]
    );
    let stub =
        std::fs::read_to_string(site.join("content/incidents/school-hall-shelter.md")).unwrap();
    assert!(
        stub.contains("# outcome_note:"),
        "optional fields are shown as comments:\n{stub}"
    );
}

#[test]
fn new_refuses_existing_ids_and_ids_close_to_them_unless_forced() {
    let (_dir, site) = starter();
    let before = snapshot(&site);
    let output = sitrep(&site, &["new", "incident", "alderford-river-flod"]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains(
            "`alderford-river-flod` is close to the existing incident `alderford-river-flood`"
        ),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    let output = sitrep(&site, &["new", "figure", "homes-flooded", "--force"]);
    assert!(
        stderr(&output).contains("already exists"),
        "{}",
        stderr(&output)
    );
    let output = sitrep(&site, &["new", "source", "Bad Id"]);
    assert!(stderr(&output).contains("`bad-id`"), "{}", stderr(&output));
    assert_eq!(snapshot(&site), before, "a refused command wrote something");
    sitrep_ok(
        &site,
        &["new", "incident", "alderford-river-flod", "--force"],
    );
    build_ok(&site);
}

#[test]
fn new_claim_appends_without_touching_the_rest_of_the_figure_file() {
    let (_dir, site) = starter();
    let file = site.join("content/figures/homes-flooded.yaml");
    // Comments, odd spacing and a field after the claims, all to be kept byte for byte.
    let original = std::fs::read_to_string(&file).unwrap();
    let tail = "\n\n# Analysts' notes, kept where they are.\nupdated:   2026-01-31   # last edit\n";
    std::fs::write(&file, format!("{original}{tail}")).unwrap();

    let out = sitrep_ok(
        &site,
        &[
            "new",
            "claim",
            "homes-flooded",
            "--source",
            "alderford-gazette-flood",
            "--value",
            "20-30",
            "--qualifier",
            "about",
            "--quote",
            "many of the houses on the council's list had water only in their gardens",
            "--stated-by",
            "wen-valley-rivers-authority",
            "--stated-on",
            "Tuesday",
        ],
    );
    assert!(
        out.contains("appended ./content/figures/homes-flooded.yaml"),
        "{out}"
    );
    let after = std::fs::read_to_string(&file).unwrap();
    // The new claim goes right after the last claim: everything before it and everything
    // after it (the blank lines, the comment, `updated`) is unchanged.
    assert!(
        after.starts_with(&original),
        "the text before the new claim changed"
    );
    assert!(
        after.ends_with(tail),
        "the text after the claims changed:\n{after}"
    );
    let added = &after[original.len()..after.len() - tail.len()];
    assert!(added.starts_with("  - low: 20\n    high: 30\n"), "{added}");
    assert!(
        added.contains(
            "quote: \"many of the houses on the council's list had water only in their gardens\""
        ),
        "{added}"
    );

    let (_tmp, out) = build_ok(&site);
    let quotes = quotes_on(&out, "homes-flooded");
    assert_eq!(quotes.len(), 3, "{quotes:?}");
    assert!(
        quotes
            .iter()
            .any(|q| q.contains("water only in their gardens")),
        "{quotes:?}"
    );
}

#[test]
fn a_quote_not_in_the_archive_is_refused_showing_where_it_differs() {
    let (_dir, site) = starter();
    let before = snapshot(&site);
    let output = sitrep(
        &site,
        &[
            "new",
            "claim",
            "homes-flooded",
            "--source",
            "alderford-gazette-flood",
            "--value",
            "40",
            "--qualifier",
            "at least",
            "--quote",
            "at least 40 homes had been floded",
            "--stated-by",
            "alderford-town-council",
        ],
    );
    assert!(!output.status.success());
    let err = stderr(&output);
    // "at least 40 homes had been flo" (30 characters) is in the archive; the 31st differs.
    assert!(err.contains("differs at character 31"), "{err}");
    assert!(err.contains("the archive has `oded."), "{err}");
    assert!(err.contains("your quote has `ded`"), "{err}");
    assert_eq!(snapshot(&site), before, "a refused claim was written");

    // Unknown ids are all reported at once, each with the nearest existing id.
    let output = sitrep(
        &site,
        &[
            "new",
            "claim",
            "homes-floded",
            "--source",
            "alderford-gazete-flood",
            "--value",
            "3",
            "--quote",
            "x",
            "--stated-by",
            "alderford-town-counsil",
        ],
    );
    let err = stderr(&output);
    for hint in [
        "did you mean `homes-flooded`?",
        "did you mean `alderford-gazette-flood`?",
        "did you mean `alderford-town-council`?",
    ] {
        assert!(err.contains(hint), "{hint} missing from:\n{err}");
    }
}

/// The warnings of a build that succeeds.
fn warnings_of(site: &Path, out: &Path) -> Vec<sitrep::diagnostics::Diagnostic> {
    let report = build_into(site, out).unwrap_or_else(|d| panic!("{d:?}"));
    report.diagnostics.iter().cloned().collect()
}

#[test]
fn a_figure_without_claims_builds_with_a_located_warning_and_says_so() {
    let (dir, site) = starter();
    let printed = sitrep_ok(
        &site,
        &["new", "figure", "homes-damaged", "--unit", "homes"],
    );
    assert!(
        printed.contains("content/figures/homes-damaged.yaml"),
        "{printed}"
    );
    let out = dir.path().join("public");
    let warnings = warnings_of(&site, &out);
    let warning = (warnings.iter())
        .find(|d| d.message.contains("`homes-damaged` has no claims yet"))
        .unwrap_or_else(|| panic!("no warning in {warnings:?}"));
    assert!(!warning.is_error());
    // Located at the `claims: []` line of the stub, with a column, and a hint to add one.
    let text = std::fs::read_to_string(site.join("content/figures/homes-damaged.yaml")).unwrap();
    let line = text.lines().position(|l| l.starts_with("claims:")).unwrap() + 1;
    assert_eq!(
        warning.file,
        Path::new("content/figures/homes-damaged.yaml")
    );
    assert_eq!((warning.line, warning.column), (line, 9), "{warning}");
    assert!(
        warning
            .hint
            .as_deref()
            .unwrap()
            .contains("sitrep new claim homes-damaged")
    );
    // Its page and the figure list say it has no claims yet instead of an estimate of 0.
    let figure = page(&out, "figures/homes-damaged.html");
    assert_eq!(texts(&figure, ".no-claims-yet strong"), ["No claims yet."]);
    assert!(figure.select(&sel(".estimate-numbers")).next().is_none());
    assert!(figure.select(&sel("table.claims")).next().is_none());
    let list = page(&out, "figures.html");
    assert_eq!(texts(&list, "td.no-claims-yet"), ["no claims yet"]);
    // The first claim turns it into an ordinary figure, without the warning.
    sitrep_ok(
        &site,
        &[
            "new",
            "claim",
            "homes-damaged",
            "--source",
            "alderford-gazette-flood",
            "--value",
            "40",
            "--qualifier",
            "at least",
            "--stated-by",
            "alderford-town-council",
            "--quote",
            "at least 40 homes had been flooded",
        ],
    );
    let warnings = warnings_of(&site, &out);
    assert!(
        warnings
            .iter()
            .all(|d| !d.message.contains("no claims yet")),
        "{warnings:?}"
    );
}

#[test]
fn new_missing_makes_a_site_with_dangling_references_build() {
    let (dir, site) = starter();
    let figure = site.join("content/figures/homes-flooded.yaml");
    let text = std::fs::read_to_string(&figure).unwrap().replace(
        "incidents: [alderford-river-flood]",
        "incidents: [alderford-river-flood, upstream-dam-breach]\nwithin: [homes-flooded-valley]",
    ) + "  - value: 50\n    qualifier: over\n    source: radio-wen\n    stated_by:\n      party: residents-group\n    quote: \"over 50 homes\"\n";
    std::fs::write(&figure, text).unwrap();
    let incident = site.join("content/incidents/alderford-river-flood.md");
    let text = std::fs::read_to_string(&incident).unwrap().replace(
        "sources: [alderford-gazette-flood]",
        "sources: [alderford-gazette-flood, council-bulletin]",
    ) + "\nResidents wrote to the paper [@residents-letter].\n";
    std::fs::write(&incident, text).unwrap();
    let out = dir.path().join("public");
    let errors = build_into(&site, &out).expect_err("dangling references must fail");
    assert_eq!(errors.error_count(), 6, "{errors:?}");

    let printed = sitrep_ok(&site, &["new", "--missing"]);
    for file in [
        "content/parties.yaml",
        "content/sources/radio-wen.yaml",
        "content/sources/council-bulletin.yaml",
        "content/sources/residents-letter.yaml",
        "content/incidents/upstream-dam-breach.md",
        "content/figures/homes-flooded-valley.yaml",
    ] {
        assert!(printed.contains(file), "{file} not listed in:\n{printed}");
    }
    // The figure stub counts what the figure naming it counts, and has no claims yet.
    let stub = site.join("content/figures/homes-flooded-valley.yaml");
    let stub = std::fs::read_to_string(stub).unwrap();
    assert!(stub.contains("\nunit: \"homes\"\n"), "{stub}");
    let warnings = warnings_of(&site, &out);
    assert!(
        warnings.iter().any(|d| d
            .message
            .contains("`homes-flooded-valley` has no claims yet")
            && d.line > 0),
        "{warnings:?}"
    );
    let valley = page(&out, "figures/homes-flooded-valley.html");
    assert_eq!(texts(&valley, ".no-claims-yet strong"), ["No claims yet."]);
    let again = sitrep_ok(&site, &["new", "--missing"]);
    assert!(again.contains("nothing to create"), "{again}");
}

mod append_property {
    //! `new claim` appends to figure files written in any of the ways YAML allows for a
    //! block list: items indented or not, comments and blank lines anywhere, fields after
    //! the list, CRLF line endings, no final newline. Whatever the layout, the new file
    //! parses with one more claim (the new one, last) and is the old file with the item
    //! inserted at one place: no other byte changes.

    use proptest::prelude::*;
    use sitrep::author::claim::{CheckedClaim, Value, append};
    use sitrep::load::{FileKind, Loaded, parse_file};
    use sitrep::model::Qualifier;

    fn claim() -> CheckedClaim {
        CheckedClaim {
            value: Value::Range(3.0, 5.0),
            qualifier: Qualifier::ABOUT,
            source: "wire".into(),
            party: "police".into(),
            stated_on: Some("Sunday".into()),
            quote: "about three to five: \"quoted\" # not a comment".into(),
            id: Some("new-one".into()),
            person: None,
            role: None,
            note: None,
            verified: true,
        }
    }

    /// A figure file: head fields, `claims:` with `n` items indented by `indent`, then
    /// tail fields; `noise[i]` adds a comment or blank line after line i.
    fn figure(n: usize, indent: usize, noise: &[u8], tail: bool) -> String {
        let pad = " ".repeat(indent);
        let mut lines = vec![
            "label: X".to_string(),
            "unit: people".into(),
            "definition: D.".into(),
        ];
        lines.push("claims:".into());
        for k in 0..n {
            lines.push(format!("{pad}- value: {k}"));
            lines.push(format!("{pad}  qualifier: exact"));
            lines.push(format!("{pad}  source: wire"));
            lines.push(format!("{pad}  stated_by: {{party: police}}"));
            lines.push(format!("{pad}  quote: \"q{k}\""));
        }
        if tail {
            lines.push("key: true".into());
            lines.push("updated: 2026-01-31".into());
        }
        let mut out = Vec::new();
        for (i, line) in lines.into_iter().enumerate() {
            out.push(line);
            match noise.get(i).copied().unwrap_or(0) % 5 {
                1 => out.push(String::new()),
                2 => out.push("# a comment at the margin".into()),
                3 => out.push(format!("{pad}  # an indented comment")),
                _ => {}
            }
        }
        out.join("\n")
    }

    proptest! {
        #[test]
        fn appending_inserts_one_item_and_changes_nothing_else(
            n in 0usize..4,
            indent in 0usize..5,
            noise in prop::collection::vec(any::<u8>(), 0..30),
            tail in any::<bool>(),
            crlf in any::<bool>(),
            final_newline in any::<bool>(),
        ) {
            let mut text = figure(n, indent, &noise, tail);
            if final_newline {
                text.push('\n');
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            let path = std::path::Path::new("content/figures/f.yaml");
            let out = append(&text, &claim()).expect("a block list takes an item");
            let Loaded::Figure(figure) = parse_file(path, FileKind::Figure, out.as_str().into()).item else {
                panic!("the result does not parse:\n{out}");
            };
            prop_assert_eq!(figure.claims.len(), n + 1);
            let last = figure.claims.last().unwrap();
            prop_assert_eq!(&last.quote, &claim().quote);
            prop_assert_eq!((last.low, last.high), (Some(3.0), Some(5.0)));
            prop_assert_eq!(last.id.as_deref(), Some("new-one"));
            // The old text is a prefix and a suffix of the new one around one insertion.
            let prefix = text.bytes().zip(out.bytes()).take_while(|(a, b)| a == b).count();
            let rest = &text[prefix..];
            prop_assert!(out.ends_with(rest), "text after the insertion changed:\n{}", out);
            let inserted = &out[prefix..out.len() - rest.len()];
            prop_assert!(inserted.contains("- id: new-one"), "{}", inserted);
            prop_assert!(!crlf || !inserted.replace("\r\n", "").contains('\n'), "mixed line endings");
        }
    }
}
