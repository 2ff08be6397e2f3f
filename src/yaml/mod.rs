//! YAML with positions: typed values from `serde_yaml`, line and column from a position index.
//!
//! `serde_yaml` parses values but forgets where they came from once parsing succeeded. To
//! point every later error (an unknown source id in claim 3, a negative value …) at its line,
//! the same text is also scanned into an index from *paths* (`claims/2/source`) to positions.
//! Deserialisation goes item by item so one bad item does not hide the errors of the others,
//! and unknown fields are all reported, each with the nearest valid field name.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::Path;

use saphyr_parser::{Event, Parser};
use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, nearest};
use crate::model::HINT_SEPARATOR;

mod index;
mod syntax;

use index::position_index;
use syntax::{alias_bomb, strip_location, syntax_error};

/// A position in a file: 1-based line and character column, and the length of the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path from the document root, written `claims/2/source` in messages.
pub type YamlPath = Vec<Seg>;

/// Where a path's key and value start.
#[derive(Debug, Clone, Copy)]
struct Located {
    key: Option<Pos>,
    value: Pos,
}

/// A parsed YAML document that can say where any of its parts is.
#[derive(Debug)]
pub struct YamlDoc<'a> {
    pub value: Value,
    /// The file's whole text, for quoting lines in diagnostics.
    text: &'a str,
    /// The line the YAML starts on within `text` (front matter starts on line 2).
    line_offset: usize,
    file: &'a Path,
    /// The YAML text, scanned into `index` only when a diagnostic needs a position.
    yaml: &'a str,
    index: OnceCell<HashMap<YamlPath, Located>>,
}

impl<'a> YamlDoc<'a> {
    /// Parses `yaml`, which starts at line `line_offset + 1` of `text` (the whole file).
    pub fn parse(
        file: &'a Path,
        text: &'a str,
        yaml: &'a str,
        line_offset: usize,
    ) -> Result<Self, Diagnostic> {
        if let Some(pos) = alias_bomb(yaml) {
            return Err(Diagnostic::error(
                file,
                "invalid YAML: this alias makes the document too large (aliases repeating aliases, a \"billion laughs\")",
            )
            .at(text, pos.line + line_offset, pos.column)
            .with_span_len(pos.len)
            .with_hint("write the values out instead of repeating anchors (`&name`) through aliases (`*name`)"));
        }
        let value: Value = serde_yaml::from_str(yaml)
            .map_err(|err| syntax_error(file, text, yaml, line_offset, &err))?;
        Ok(YamlDoc {
            value,
            text,
            line_offset,
            file,
            yaml,
            index: OnceCell::new(),
        })
    }

    pub fn file(&self) -> &Path {
        self.file
    }

    pub fn text(&self) -> &str {
        self.text
    }

    /// An error located at the value of `path`, or its nearest located ancestor.
    pub fn error_at(&self, path: &[Seg], message: impl Into<String>) -> Diagnostic {
        self.locate(Diagnostic::error(self.file, message), path, false)
    }

    /// A warning located at the value of `path`.
    pub fn warning_at(&self, path: &[Seg], message: impl Into<String>) -> Diagnostic {
        self.locate(Diagnostic::warning(self.file, message), path, false)
    }

    /// An error located at the *key* of `path` (for unknown fields).
    pub fn error_at_key(&self, path: &[Seg], message: impl Into<String>) -> Diagnostic {
        self.locate(Diagnostic::error(self.file, message), path, true)
    }

    fn locate(&self, diagnostic: Diagnostic, path: &[Seg], key: bool) -> Diagnostic {
        let index = self.index.get_or_init(|| position_index(self.yaml));
        let mut prefix = path;
        loop {
            if let Some(found) = index.get(prefix) {
                let pos = if key {
                    found.key.unwrap_or(found.value)
                } else {
                    found.value
                };
                return diagnostic
                    .at(self.text, pos.line + self.line_offset, pos.column)
                    .with_span_len(pos.len);
            }
            match prefix.split_last() {
                Some((_, rest)) => prefix = rest,
                None => return diagnostic.at(self.text, self.line_offset + 1, 1),
            }
        }
    }

    /// Deserialises the value at `path` into `T`, reporting every problem: each unknown
    /// field, and each bad value (a bad item of a list is set aside and the rest read on,
    /// so three bad claims give three errors). Returns `None` when anything was wrong.
    pub fn deserialize<T: DeserializeOwned>(
        &self,
        value: &Value,
        path: &[Seg],
        diagnostics: &mut Diagnostics,
    ) -> Option<T> {
        // The usual case, a valid item, needs no copy of the value, nor the path of an
        // error (tracking it costs as much again).
        if let Ok(typed) = T::deserialize(value) {
            return Some(typed);
        }
        let mut value = value.clone();
        let mut pruned = Pruned::default();
        for _ in 0..256 {
            let err = match serde_path_to_error::deserialize::<_, T>(&value) {
                Ok(_) => return None,
                Err(err) => err,
            };
            let current: YamlPath = err.path().iter().filter_map(segment).collect();
            let inner = pruned.original(&current);
            let full: YamlPath = path.iter().cloned().chain(inner.iter().cloned()).collect();
            let message = strip_location(&err.inner().to_string());
            if let Some((field, expected)) = parse_unknown_field(&message) {
                let mut diagnostic = self.error_at_key(
                    &full,
                    format!("unknown field `{field}` in {}", describe(path, &inner)),
                );
                diagnostic = match nearest(&field, expected.iter().map(String::as_str)) {
                    Some(best) => diagnostic.with_hint(format!("did you mean `{best}`?")),
                    None if expected.is_empty() => diagnostic,
                    None => {
                        diagnostic.with_hint(format!("valid fields here: {}", expected.join(", ")))
                    }
                };
                diagnostics.push(diagnostic.with_span_len(field.chars().count()));
                if !remove_path(&mut value, &current) {
                    return None;
                }
                continue;
            }
            if !pruned.caused(&inner, &message) {
                // Errors raised by our own types carry their hint after a separator.
                let (message, hint) = match message.split_once(HINT_SEPARATOR) {
                    Some((m, h)) => (m.to_string(), Some(h.to_string())),
                    None => (message.clone(), None),
                };
                let diagnostic = self.error_at(&full, describe_error(&message, path, &inner));
                diagnostics.push(match hint {
                    Some(hint) => diagnostic.with_hint(hint),
                    None => with_missing_field_hint(diagnostic, &message),
                });
            }
            if !pruned.set_aside(&mut value, &current, &message) {
                return None;
            }
        }
        None
    }
}

/// What [`YamlDoc::deserialize`] has set aside to read on past a bad value: items removed
/// from lists (so later paths are mapped back to the document's indices) and fields removed
/// from mappings (so the "missing field" that follows is not reported as a second error).
#[derive(Default)]
struct Pruned {
    /// Per list (its path in the document): the document indices removed, ascending.
    items: HashMap<YamlPath, Vec<usize>>,
    /// Document paths of removed fields.
    fields: Vec<YamlPath>,
}

impl Pruned {
    /// The document path of `path`, a path in the pruned copy.
    fn original(&self, path: &[Seg]) -> YamlPath {
        let mut out = Vec::with_capacity(path.len());
        for seg in path {
            let seg = match seg {
                Seg::Index(i) => Seg::Index(self.original_index(&out, *i)),
                key => key.clone(),
            };
            out.push(seg);
        }
        out
    }

    fn original_index(&self, list: &[Seg], mut i: usize) -> usize {
        for &removed in self.items.get(list).into_iter().flatten() {
            if removed <= i {
                i += 1;
            }
        }
        i
    }

    /// Whether an error at `inner` (a document path) only follows from something set aside.
    fn caused(&self, inner: &[Seg], message: &str) -> bool {
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|r| r.split_once('`'))
            .map(|(field, _)| field);
        let missing_removed = missing.is_some_and(|field| {
            self.fields
                .iter()
                .any(|f| f.split_last() == Some((&Seg::Key(field.to_string()), inner)))
        });
        missing_removed || (message.starts_with("invalid length") && self.items.contains_key(inner))
    }

    /// Removes the field at `current` (a path in the pruned copy) so reading can go on; for
    /// a missing field or a bad list item, the innermost list item around it. False when
    /// nothing can be removed.
    fn set_aside(&mut self, value: &mut Value, current: &[Seg], message: &str) -> bool {
        if !message.starts_with("missing field")
            && let Some(Seg::Key(_)) = current.last()
        {
            self.fields.push(self.original(current));
            return remove_path(value, current);
        }
        let Some(at) = current.iter().rposition(|s| matches!(s, Seg::Index(_))) else {
            return false;
        };
        let Seg::Index(i) = current[at] else {
            return false;
        };
        let list = self.original(&current[..at]);
        let original = self.original_index(&list, i);
        if !remove_item(value, &current[..at], i) {
            return false;
        }
        let removed = self.items.entry(list).or_default();
        let place = removed.partition_point(|&r| r < original);
        removed.insert(place, original);
        true
    }
}

/// Removes item `index` of the list at `path`.
fn remove_item(value: &mut Value, path: &[Seg], index: usize) -> bool {
    match value_at(value, path) {
        Some(Value::Sequence(items)) if index < items.len() => {
            items.remove(index);
            true
        }
        _ => false,
    }
}

/// The value at `path`, if there is one.
fn value_at<'v>(value: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    let mut current = value;
    for seg in path {
        current = match (seg, current) {
            (Seg::Key(k), Value::Mapping(m)) => m.get_mut(k.as_str())?,
            (Seg::Index(i), Value::Sequence(s)) => s.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

fn segment(seg: &serde_path_to_error::Segment) -> Option<Seg> {
    use serde_path_to_error::Segment;
    match seg {
        Segment::Seq { index } => Some(Seg::Index(*index)),
        Segment::Map { key } => Some(Seg::Key(key.clone())),
        Segment::Enum { variant } => Some(Seg::Key(variant.clone())),
        Segment::Unknown => None,
    }
}

/// Recognises serde's "unknown field `x`, expected one of `a`, `b`" and returns x and the list.
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let names = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some((field.to_string(), names))
}

fn with_missing_field_hint(diagnostic: Diagnostic, message: &str) -> Diagnostic {
    match message
        .strip_prefix("missing field `")
        .and_then(|r| r.split_once('`'))
    {
        Some((field, _)) => diagnostic.with_hint(format!("add `{field}:` to this entry")),
        None => diagnostic,
    }
}

fn describe_error(message: &str, base: &[Seg], inner: &[Seg]) -> String {
    format!("{message} in {}", describe(base, inner))
}

/// "claim 3 of `claims`" style description of where in the document we are.
fn describe(base: &[Seg], inner: &[Seg]) -> String {
    let all: Vec<&Seg> = base.iter().chain(inner.iter()).collect();
    if all.is_empty() {
        return "this file".to_string();
    }
    all.iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Index(i) => (i + 1).to_string(),
        })
        .collect::<Vec<_>>()
        .join(" › ")
}

/// Removes the mapping entry at `path` (the last segment must be a key).
fn remove_path(value: &mut Value, path: &[Seg]) -> bool {
    let Some((Seg::Key(k), parents)) = path.split_last() else {
        return false;
    };
    match value_at(value, parents) {
        Some(Value::Mapping(m)) => m.remove(k.as_str()).is_some(),
        _ => false,
    }
}

/// Convenience for building paths: `yaml_path!["claims", 2, "source"]` (an array).
#[macro_export]
macro_rules! yaml_path {
    ($($seg:expr),* $(,)?) => {
        [$($crate::yaml::IntoSeg::into_seg($seg)),*]
    };
}

/// Turns `&str` and `usize` into path segments for [`yaml_path!`].
pub trait IntoSeg {
    fn into_seg(self) -> Seg;
}

impl IntoSeg for &str {
    fn into_seg(self) -> Seg {
        Seg::Key(self.to_string())
    }
}

impl IntoSeg for &String {
    fn into_seg(self) -> Seg {
        Seg::Key(self.clone())
    }
}

impl IntoSeg for usize {
    fn into_seg(self) -> Seg {
        Seg::Index(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Claim {
        value: u32,
        source: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Figure {
        label: String,
        claims: Vec<Claim>,
    }

    const TEXT: &str = "label: Killed\nclaims:\n  - value: 3\n    source: a\n  - value: 4\n    sorce: b\n    extra: 1\n";

    #[test]
    fn index_locates_nested_values_and_keys() {
        let file = Path::new("f.yaml");
        let doc = YamlDoc::parse(file, TEXT, TEXT, 0).unwrap();
        let d = doc.error_at(&crate::yaml_path!["claims", 0usize, "source"], "x");
        assert_eq!((d.line, d.column), (4, 13));
        let d = doc.error_at_key(&crate::yaml_path!["claims", 1usize, "sorce"], "x");
        assert_eq!((d.line, d.column), (6, 5));
        // A path that does not exist falls back to its nearest ancestor.
        let d = doc.error_at(&crate::yaml_path!["claims", 1usize, "missing"], "x");
        assert_eq!((d.line, d.column), (5, 5));
    }

    #[test]
    fn every_unknown_field_is_reported_with_a_suggestion() {
        let file = Path::new("f.yaml");
        let doc = YamlDoc::parse(file, TEXT, TEXT, 0).unwrap();
        let mut diagnostics = Diagnostics::default();
        let figure: Option<Figure> = doc.deserialize(&doc.value, &[], &mut diagnostics);
        assert!(figure.is_none());
        let all: Vec<_> = diagnostics.iter().collect();
        // `sorce` is unknown (and, once removed, `source` is missing: reported too).
        assert!(all[0].message.contains("unknown field `sorce`"), "{all:?}");
        assert_eq!(all[0].hint.as_deref(), Some("did you mean `source`?"));
        assert_eq!(all[0].line, 6);
        assert!(all[1].message.contains("unknown field `extra`"), "{all:?}");
        assert_eq!(all[1].line, 7);
    }

    #[test]
    fn an_unterminated_quote_is_reported_at_the_quote() {
        let text = "label: x\nnote: \"unterminated\nclaims:\n  - a\n  - b\n";
        let err = YamlDoc::parse(Path::new("f.yaml"), text, text, 0).unwrap_err();
        assert_eq!((err.line, err.column), (2, 7), "{err:?}");
        assert!(err.message.contains("never closed"), "{err:?}");
        // libyaml takes the next quote, lines below, for the closing one and fails there.
        let text = "label: \"x\nunit: people\nclaims:\n  - quote: \"y\"\n";
        let err = YamlDoc::parse(Path::new("f.yaml"), text, text, 0).unwrap_err();
        assert_eq!((err.line, err.column), (1, 8), "{err:?}");
        // In front matter, lines count from the start of the file.
        let text = "---\ntitle: A\nnote: 'x\nplace: y\n---\nBody\n";
        let yaml = "title: A\nnote: 'x\nplace: y\n";
        let err = YamlDoc::parse(Path::new("i.md"), text, yaml, 1).unwrap_err();
        assert_eq!((err.line, err.column), (3, 7), "{err:?}");
        // A bad escape is not an unclosed quote.
        let text = "label: \"C:\\q\"\n";
        let err = YamlDoc::parse(Path::new("f.yaml"), text, text, 0).unwrap_err();
        assert!(!err.message.contains("never closed"), "{err:?}");
    }

    #[test]
    fn a_second_document_is_reported_at_its_start() {
        for (text, line) in [
            ("label: x\nclaims: []\n---\nlabel: y\n", 3),
            ("---\nlabel: x\n\n---\nlabel: y\n", 4),
        ] {
            let err = YamlDoc::parse(Path::new("f.yaml"), text, text, 0).unwrap_err();
            assert_eq!((err.line, err.column), (line, 1), "{err:?}");
            assert!(err.message.contains("second document"), "{err:?}");
        }
    }

    #[test]
    fn an_alias_bomb_is_stopped_at_the_alias_that_exceeds_the_limit() {
        // Level k holds nine aliases of level k-1. The text has 90 events (3 to open the
        // stream, document and mapping, 12 per line: key, list start, 9 items, list end, and
        // 3 to close), so at most 4,500 alias jumps. Expanding an alias of level k jumps once
        // plus everything its level jumps: a 0, b 9, c 9 × 10 = 90, d 9 × 91 = 819. Lines b
        // to d take 918 jumps; each `*d` of line e takes 820 more, and the fifth passes
        // 4,500 (918 + 5 × 820 = 5,018): line 5, column 8 + 4 × 3 = 20.
        let mut text = String::from("a: &a [1,2,3,4,5,6,7,8,9]\n");
        for (name, prev) in [
            ("b", "a"),
            ("c", "b"),
            ("d", "c"),
            ("e", "d"),
            ("f", "e"),
            ("g", "f"),
        ] {
            let items = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{items}]\n"));
        }
        let err = YamlDoc::parse(Path::new("f.yaml"), &text, &text, 0).unwrap_err();
        assert!(err.message.contains("too large"), "{err:?}");
        assert_eq!((err.line, err.column), (5, 20), "{err:?}");

        // Few jumps but many nodes: a list of 1,000 scalars repeated 1,000 times. Before the
        // aliases the document has 1,005 nodes (mapping, key, list, 1,000 items, key, list);
        // each alias adds 1,001, and the limit is 100,000 nodes (the text writes ~2,000
        // events, 10 per event is less): the 99th alias passes it (1,005 + 99 × 1,001 =
        // 100,104), at column 5 + 98 × 4 = 397 of line 2 (`b: [` then `*a, ` per alias).
        let big = format!(
            "a: &a [{}]\nb: [{}]\n",
            vec!["0"; 1000].join(", "),
            vec!["*a"; 1000].join(", ")
        );
        let err = YamlDoc::parse(Path::new("f.yaml"), &big, &big, 0).unwrap_err();
        assert_eq!((err.line, err.column), (2, 397), "{err:?}");

        // Aliases that repeat a little are fine.
        let text = "a: &a [1, 2]\nb: [*a, *a]\n";
        assert!(YamlDoc::parse(Path::new("f.yaml"), text, text, 0).is_ok());
    }

    #[test]
    fn bad_values_in_several_items_are_all_reported_at_their_lines() {
        // Claims 1 and 3 have bad values; claim 2 an unknown field. Claim 1 is set aside
        // after its error, so claim 3 is read as the second item: its error must still be
        // reported at line 7, the document's third claim.
        let text = "label: K\nclaims:\n  - value: x\n    source: a\n  - value: 4\n    sorce: b\n  - value: [1]\n    source: c\n";
        let doc = YamlDoc::parse(Path::new("f.yaml"), text, text, 0).unwrap();
        let mut diagnostics = Diagnostics::default();
        assert!(
            doc.deserialize::<Figure>(&doc.value, &[], &mut diagnostics)
                .is_none()
        );
        let found: Vec<(usize, &str)> = diagnostics
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        // Claim 2's `source` is missing too (it is spelled `sorce`): a real second error.
        assert_eq!(found.len(), 4, "{found:#?}");
        assert_eq!(found[0].0, 3);
        assert!(found[0].1.contains("claims › 1 › value"), "{found:#?}");
        assert_eq!(found[1].0, 6);
        assert!(found[1].1.contains("unknown field `sorce`"), "{found:#?}");
        assert!(found[2].1.contains("missing field `source` in claims › 2"));
        assert_eq!(found[3].0, 7);
        assert!(found[3].1.contains("claims › 3 › value"), "{found:#?}");
    }

    #[test]
    fn a_duplicate_key_is_located_where_it_repeats() {
        let text = "---\ntitle: A\nplace:\n  country: X\n  country: Y\n---\nBody\n";
        let yaml = "title: A\nplace:\n  country: X\n  country: Y\n";
        let err = YamlDoc::parse(Path::new("i.md"), text, yaml, 1).unwrap_err();
        assert_eq!((err.line, err.column), (5, 3), "{err:?}");
        assert_eq!(
            err.message,
            "duplicate key `country`: it is already given on line 4"
        );
    }

    #[test]
    fn syntax_errors_are_located_in_the_whole_file() {
        let text = "---\ntitle: [unclosed\n---\nbody";
        let yaml = "title: [unclosed\n";
        let err = YamlDoc::parse(Path::new("i.md"), text, yaml, 1).unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
        assert!(err.line >= 2, "{err:?}");
    }
}
