//! Bad input: each folder under `tests/fixtures/bad/` holds files that are laid over a copy
//! of the valid fixture site, and an `expected` file listing the diagnostics the build must
//! report, one per line: `file:line: message part | hint part` (line 0: the whole file).
//! Every case must fail with all its diagnostics at once, and leave the previous output
//! exactly as it was.

mod common;

use std::path::{Path, PathBuf};

use common::*;

struct Expected {
    file: String,
    line: usize,
    message: String,
    hint: Option<String>,
}

fn parse_expected(text: &str) -> Vec<Expected> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (location, rest) = l
                .split_once(": ")
                .map_or((l.trim_end_matches(':'), ""), |(a, b)| (a, b));
            let (file, line) = location.rsplit_once(':').expect("file:line");
            let (message, hint) = match rest.split_once(" | ") {
                Some((m, h)) => (m.to_string(), Some(h.to_string())),
                None => (rest.to_string(), None),
            };
            Expected {
                file: file.to_string(),
                line: line.parse().expect("line number"),
                message,
                hint,
            }
        })
        .collect()
}

#[test]
fn every_bad_input_fixture_reports_its_diagnostics_and_keeps_the_output() {
    let cases_dir = fixture("bad");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&cases_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        copy_tree(&fixture("valid"), &site);
        let out = dir.path().join("public");
        build_into(&site, &out)
            .unwrap_or_else(|d| panic!("{name}: the valid site must build first: {d:?}"));
        let before = snapshot(&out);

        copy_tree(&case, &site);
        let diagnostics = match build_into(&site, &out) {
            Ok(_) => panic!("{name}: the build succeeded but should have failed"),
            Err(diagnostics) => diagnostics,
        };
        let expected = parse_expected(&std::fs::read_to_string(case.join("expected")).unwrap());
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
        for want in &expected {
            let found = errors.iter().any(|d| {
                d.file == Path::new(&want.file)
                    && d.line == want.line
                    && d.message.contains(&want.message)
                    && want
                        .hint
                        .as_ref()
                        .is_none_or(|h| d.hint.as_deref().is_some_and(|dh| dh.contains(h.as_str())))
            });
            assert!(
                found,
                "{name}: expected {}:{}: {} | {:?}\ngot:\n{}",
                want.file,
                want.line,
                want.message,
                want.hint,
                errors
                    .iter()
                    .map(|d| format!("{d} [line {}]", d.line))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        for d in &errors {
            // Every error is located and shows its line, unless it concerns a whole file.
            if d.line > 0 {
                assert!(d.column > 0, "{name}: {d} has no column");
                assert!(
                    d.source_line.is_some(),
                    "{name}: {d} does not show the offending line"
                );
            }
            assert!(d.hint.is_some(), "{name}: {d} gives no hint");
        }
        assert_eq!(
            snapshot(&out),
            before,
            "{name}: the previous output was changed"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            2,
            "{name}: a staging folder was left behind: {leftovers:?}"
        );
    }
}

#[test]
fn warnings_do_not_stop_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("valid"), &site);
    std::fs::write(
        site.join("content/sources/unused.yaml"),
        "title: Never cited\noutlet: Nobody\nlanguage: en\nkind: blog\narchive: archives/missing.txt\n",
    )
    .unwrap();
    let figure = site.join("content/figures/inmates-freed.yaml");
    let text = std::fs::read_to_string(&figure).unwrap().replace(
        "    stated_on: Sunday\n    quote: \"Nearly 30",
        "    stated_on: Sunday\n    supersedes: wire-count\n    quote: \"Nearly 30",
    );
    std::fs::write(&figure, text).unwrap();
    let report = build_into(&site, &dir.path().join("public")).expect("warnings only");
    let warnings: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("`unused` is not cited")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("archive `archives/missing.txt` cannot be read")),
        "{warnings:?}"
    );
    assert!(
        report
            .summary()
            .contains("1 sources have no readable archive"),
        "{}",
        report.summary()
    );
}

#[test]
fn hostile_content_is_escaped_and_cannot_escape_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("valid"), &site);
    let incident = site.join("content/incidents/wave.md");
    let text = std::fs::read_to_string(&incident).unwrap().replace(
        "title: Wave of attacks",
        "title: \"<script>alert('t')</script> Wave\"",
    ) + "\n<img src=x onerror=alert(1)> [x](javascript:alert(1))\n";
    std::fs::write(&incident, text).unwrap();
    let out = dir.path().join("public");
    build_into(&site, &out).expect("hostile text is still valid content");
    let html = std::fs::read_to_string(out.join("incidents/wave.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(
        doc.select(&sel("script")).count(),
        0,
        "no script element from content"
    );
    assert_eq!(
        doc.select(&sel("img")).count(),
        0,
        "raw HTML is shown as text"
    );
    assert!(doc.select(&sel("a[href^='javascript']")).next().is_none());
    assert_eq!(texts(&doc, "h1"), ["<script>alert('t')</script> Wave"]);
    // The output folder cannot be the site itself.
    let err = build_into(&site, &site).expect_err("building over the site is refused");
    assert!(err.iter().any(|d| {
        d.message
            .contains("as the output folder: it contains the site")
    }));
}

#[test]
fn a_broken_file_is_reported_first_and_references_to_it_are_not_unknown_ids() {
    // `wave.md` never closes its front matter, so the incident `wave` does not load. The
    // figures `civilians-killed` and `security-killed` list it in their scope: before this
    // was handled, each reported "unknown incident `wave`" ahead of the real cause.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("valid"), &site);
    copy_tree(&fixture("bad/unclosed-front-matter"), &site);
    let diagnostics = build_into(&site, &dir.path().join("public")).expect_err("must fail");
    let all: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        all[0].starts_with("content/incidents/wave.md:1:1: error: the front matter is not closed"),
        "the cause comes first: {all:#?}"
    );
    assert!(
        !all.iter().any(|d| d.contains("unknown incident")),
        "{all:#?}"
    );
    let consequences: Vec<&String> = all
        .iter()
        .filter(|d| {
            d.contains("`wave` is defined in content/incidents/wave.md, which has errors above")
        })
        .collect();
    assert_eq!(consequences.len(), 1, "reported once: {all:#?}");
    assert_eq!(diagnostics.error_count(), 1, "{all:#?}");
    assert_eq!(
        diagnostics.warning_count(),
        1,
        "no other consequences: {all:#?}"
    );
}

/// The valid fixture with the daily's archive gone: a warning, and its quotes unverified.
fn site_without_daily_archive(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    copy_tree(&fixture("valid"), &site);
    std::fs::remove_file(site.join("archives/daily.txt")).unwrap();
    site
}

#[test]
fn strict_builds_and_checks_turn_warnings_into_errors() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_without_daily_archive(dir.path());
    let out = dir.path().join("public");
    build_into(&site, &out).expect("a missing archive is only a warning");
    let before = snapshot(&out);
    let mut options = options(&site, &out, None);
    options.overrides.strict = true;
    let errors = sitrep::pipeline::build(&options).expect_err("--strict fails the build");
    let archive = errors
        .iter()
        .find(|d| {
            d.message
                .contains("archive `archives/daily.txt` cannot be read")
        })
        .expect("the warning is reported");
    assert!(archive.is_error(), "{archive}");
    assert!(
        archive
            .hint
            .as_deref()
            .unwrap()
            .contains("because of --strict"),
        "{archive}"
    );
    assert_eq!(
        snapshot(&out),
        before,
        "a failed strict build keeps the output"
    );
    // `sitrep check --strict` validates the same way.
    let check = sitrep::pipeline::check::check(&sitrep::pipeline::check::CheckOptions {
        site: options.clone(),
        ..Default::default()
    });
    assert!(check.is_err_and(|d| d.has_errors()));
    // `strict = true` in site.toml does the same without the flag.
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap() + "strict = true\n";
    std::fs::write(site.join("site.toml"), toml).unwrap();
    let errors = build_into(&site, &out).expect_err("strict = true fails the build");
    assert!(errors.iter().any(|d| {
        d.is_error()
            && d.hint
                .as_deref()
                .is_some_and(|h| h.contains("`strict = true` in site.toml"))
    }));
}

#[test]
fn unverified_quotes_are_listed_by_figure_claim_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_without_daily_archive(dir.path());
    let report = build_into(&site, &dir.path().join("public")).expect("warnings only");
    // The fixture's claims from `daily`, in figure order (claim numbers count from 1).
    assert_eq!(
        report.unverified,
        [
            "figure `civilians-killed`, claim 2, source `daily`",
            "figure `inmates-freed`, claim 2, source `daily`",
            "figure `militants-day`, claim 2, source `daily`",
            "figure `non-militant-deaths`, claim 2, source `daily`",
            "figure `security-killed`, claim 2, source `daily`",
        ]
    );
    assert!(
        report
            .summary()
            .contains("1 sources have no readable archive")
    );
}
