//! Property-based fuzzing of the parsers that read what users write: the front-matter
//! splitter, YAML parsing with its position index (through whole content files of every
//! kind), the date language, citation scanning and rendering, and the qualifier words.
//!
//! Inputs are built from the pieces these parsers care about (YAML punctuation, anchors,
//! dates, citations, byte-order marks, control characters …) and from valid fixture files
//! with random edits, so most cases get past the first line. Every property holds for any
//! input: no panic, no hang (each call well under a second), and every diagnostic placed
//! inside the file it names.
//!
//! CI runs a modest number of cases (`PROPTEST_CASES`, default 256 per property). For a
//! long local run, e.g. about 30 minutes:
//!
//! ```sh
//! PROPTEST_CASES=200000 cargo test --release --test fuzz
//! ```

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use sitrep::analyse::wordings::Wordings;
use sitrep::diagnostics::Diagnostic;
use sitrep::load::{self, FileKind};
use sitrep::markdown::{self, CitationResolver};
use sitrep::model::{Claim, DateValue, Qualifier, Timestamp};

/// The longest one parse of a small input may take before it counts as a hang.
const TOO_SLOW: Duration = Duration::from_secs(2);

/// Pieces of text the content parsers give meaning to.
fn piece() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "---\n",
        "---",
        "\n",
        "\r\n",
        "  ",
        "- ",
        ": ",
        ":",
        "#",
        "\"",
        "'",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "&b [*a, *a, *a]",
        "!!str ",
        "|\n  ",
        ">\n  ",
        "? ",
        "...\n",
        "\u{feff}",
        "\u{0}",
        "\u{1}",
        "\u{202e}",
        "é",
        "🙂",
        "\t",
        "\\",
        "%YAML 1.2\n",
        "title: ",
        "value: ",
        "low: ",
        "high: ",
        "qualifier: ",
        "claims:\n",
        "source: ",
        "stated_by:\n",
        "party: ",
        "stated_on: ",
        "quote: ",
        "date: ",
        "place:\n",
        "district: ",
        "coordinates: ",
        "sources: [",
        "scope:\n",
        "incidents: [",
        "sum_of: [",
        "within: ",
        "supersedes: ",
        "rank: ",
        "best:\n",
        "archive: ",
        "published: ",
        "outcome: ",
        "actors: ",
        "id: ",
        "unit: ",
        "label: ",
        "at least",
        "nearly",
        "dozens",
        "Saturday",
        "2025-03-11",
        "2025-02-30",
        "--02-02",
        "2025-13",
        "unknown",
        "start: ",
        "end: ",
        "basis: inferred",
        "approximate: true",
        "-3",
        "1e400",
        ".nan",
        "NaN",
        "18446744073709551616",
        "13,000",
        "0.5",
        "[@wire]",
        "[@a; @b, para. 3]",
        "@",
        "[@",
        "[@ ",
        "]]",
        "![x](https://e.org/x.png)",
        "<script>",
        "`code`",
        "*em*",
        "> ",
        "| a | b |\n",
        "[^1]",
        "\\[@x]",
        "[@a\\_b]",
        "@x\\_y",
        "[@x](y)",
        "&amp;",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        8 => fixed,
        2 => "[a-z0-9_-]{1,8}",
        1 => any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

/// Text assembled from pieces.
fn pieces(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..max).prop_map(|p| p.concat())
}

/// One random edit: insert a piece, delete a range, or duplicate a range.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    Repeat(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), piece()).prop_map(|(at, p)| Edit::Insert(at, p)),
        (any::<usize>(), 0usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), 0usize..40).prop_map(|(at, n)| Edit::Repeat(at, n)),
    ];
    prop::collection::vec(edit, 1..6)
}

/// `text` with `edits` applied at character boundaries.
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        let at = |n: usize| {
            if chars.is_empty() {
                0
            } else {
                n % (chars.len() + 1)
            }
        };
        match edit {
            Edit::Insert(n, piece) => {
                let i = at(*n);
                chars.splice(i..i, piece.chars());
            }
            Edit::Delete(n, len) => {
                let i = at(*n);
                let end = (i + len).min(chars.len());
                chars.drain(i..end);
            }
            Edit::Repeat(n, len) => {
                let i = at(*n);
                let end = (i + len).min(chars.len());
                let copy: Vec<char> = chars[i..end].to_vec();
                chars.splice(end..end, copy);
            }
        }
    }
    chars.into_iter().collect()
}

/// The valid fixture's files of each kind, as seeds for edits.
fn seeds() -> Vec<(&'static str, FileKind, String)> {
    let root = common::fixture("valid");
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap();
    let mut seeds = vec![(
        "content/parties.yaml",
        FileKind::Parties,
        read("content/parties.yaml"),
    )];
    for (folder, kind, extension) in [
        ("sources", FileKind::Source, "yaml"),
        ("incidents", FileKind::Incident, "md"),
        ("figures", FileKind::Figure, "yaml"),
    ] {
        let dir = root.join("content").join(folder);
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(extension))
            .collect();
        names.sort();
        let rel: &'static str = Box::leak(format!("content/{folder}/{}", names[0]).into());
        seeds.push((rel, kind, read(rel)));
    }
    seeds
}

/// Asserts that `diagnostic` names `file` and a line and column that exist in `text`.
fn located_inside(diagnostic: &Diagnostic, file: &Path, text: &str) {
    assert_eq!(diagnostic.file, file, "{diagnostic:?}");
    if !diagnostic.is_error() && diagnostic.line == 0 {
        return;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        diagnostic.line >= 1 && diagnostic.line <= lines.len(),
        "line {} is outside the file's {} lines: {diagnostic:?}",
        diagnostic.line,
        lines.len()
    );
    let width = lines[diagnostic.line - 1].chars().count();
    assert!(
        diagnostic.column <= width + 1,
        "column {} is past the end of line {} ({width} characters): {diagnostic:?}",
        diagnostic.column,
        diagnostic.line
    );
}

/// Parses `text` as a content file of `kind` and checks every property.
fn parse_checked(rel: &str, kind: FileKind, text: &str) {
    let started = Instant::now();
    let loaded = load::parse_file(Path::new(rel), kind, Arc::from(text));
    assert!(
        started.elapsed() < TOO_SLOW,
        "parsing took {:?}",
        started.elapsed()
    );
    for diagnostic in &loaded.diagnostics {
        located_inside(diagnostic, Path::new(rel), text);
    }
}

struct Titles;

impl CitationResolver for Titles {
    fn title(&self, id: &str) -> Option<&str> {
        id.len().is_multiple_of(2).then_some("A source")
    }
}

proptest! {
    #[test]
    fn edited_content_files_parse_without_panics_and_with_located_errors(
        seed in 0usize..4,
        edits in edits(),
    ) {
        let seeds = seeds();
        let (rel, kind, text) = &seeds[seed % seeds.len()];
        parse_checked(rel, *kind, &apply(text, &edits));
    }

    #[test]
    fn content_files_from_pieces_parse_without_panics_and_with_located_errors(
        text in pieces(40),
        kind in prop::sample::select(vec![
            FileKind::Parties, FileKind::Source, FileKind::Incident, FileKind::Figure,
        ]),
    ) {
        let rel = match kind {
            FileKind::Incident => "content/incidents/x.md",
            FileKind::Parties => "content/parties.yaml",
            FileKind::Source => "content/sources/x.yaml",
            _ => "content/figures/x.yaml",
        };
        parse_checked(rel, kind, &text);
    }

    #[test]
    fn the_front_matter_splitter_returns_parts_of_its_input(text in pieces(30)) {
        if let Some((yaml, body)) = load::split_front_matter(&text) {
            prop_assert!(body <= text.len());
            prop_assert!(text.is_char_boundary(body));
            let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
            prop_assert!(start + yaml.len() <= body);
        }
    }

    #[test]
    fn dates_and_timestamps_parse_without_panics(text in pieces(6), raw in any::<String>()) {
        for input in [&text, &raw] {
            if let Ok(date) = DateValue::parse(input) {
                let _ = (date.to_string(), date.iso(), date.precision(), date.sort_key());
            }
            let _ = Timestamp::parse(input);
        }
    }

    #[test]
    fn any_wording_with_any_number_gives_ordered_bounds(
        word in prop_oneof![pieces(3), any::<String>()],
        value in prop_oneof![Just(None), (0u32..2_000_000).prop_map(|v| Some(f64::from(v))), (0.0f64..1e15).prop_map(Some)],
    ) {
        let wordings = Wordings::new(&Default::default());
        let claim = Claim::new(Qualifier::new(&word), value, "s", "p");
        let bounds = wordings.bounds(&claim);
        prop_assert!(bounds.low.is_finite() && bounds.low >= 0.0, "{:?} {:?}", word, bounds);
        if let Some(high) = bounds.high {
            prop_assert!(high >= bounds.low, "{:?} {:?} {:?}", word, value, bounds);
        }
    }

    #[test]
    fn citations_scan_and_render_without_panics_or_markup_from_content(text in pieces(40)) {
        let started = Instant::now();
        let body = markdown::scan(&text);
        for citation in &body.citations {
            // `@id` as written: the id's characters, perhaps with backslash escapes.
            let written = &text[citation.range.clone()];
            prop_assert!(written.starts_with('@'), "{:?}", written);
            prop_assert_eq!(written[1..].replace('\\', ""), citation.id.replace('\\', ""));
        }
        let html = markdown::render(&text, "../", &Titles, false);
        prop_assert!(started.elapsed() < TOO_SLOW);
        prop_assert!(!html.contains("<script"), "{}", html);
    }
}
