//! YAML syntax errors placed where the mistake is, and the alias-bomb check.
//!
//! libyaml's position is not always the useful one: an unterminated quote is reported where
//! the file ends, a second document and a runaway alias carry no position at all. These
//! helpers find the place with saphyr-parser's events, and refuse documents whose aliases
//! would repeat so much that parsing them would exhaust memory or time.

use std::collections::HashMap;
use std::path::Path;

use saphyr_parser::{Event, Parser};

use super::Pos;
use crate::diagnostics::Diagnostic;
use crate::model::MAX_NUMBER;

/// A located diagnostic for a YAML syntax error. The parser's position is not always the
/// useful one: an unterminated quote is reported where the file ends (point at the quote),
/// a second document carries no position (point at its `---`).
pub(super) fn syntax_error(
    file: &Path,
    text: &str,
    yaml: &str,
    line_offset: usize,
    err: &serde_yaml::Error,
) -> Diagnostic {
    let full = err.to_string();
    const HINT: &str = "check the indentation and quoting around this line; strings containing `: ` or starting with `[`, `{`, `*` or `&` need quotes";
    if full.starts_with("deserializing from YAML containing more than one document") {
        let (line, column) = second_document(yaml).unwrap_or((1, 1));
        return Diagnostic::error(
            file,
            "invalid YAML: a second document starts here, and a file holds one",
        )
        .at(text, line + line_offset, column)
        .with_span_len(3)
        .with_hint("remove this `---` line, or move what follows it into its own file");
    }
    if let Some(diagnostic) = duplicate_or_huge(file, text, yaml, line_offset, err) {
        return diagnostic;
    }
    let location = err.location().map(|l| (l.line(), l.column()));
    if let Some((line, column)) = runaway_quote(yaml)
        && location.is_none_or(|(at, _)| at >= line)
    {
        return Diagnostic::error(
            file,
            "invalid YAML: this quote is never closed, so the lines below it are read as part of the string",
        )
        .at(text, line + line_offset, column)
        .with_hint("add the closing quote at the end of the value");
    }
    // At the end of the text, the place where the unfinished part began is more useful.
    let (line, column) = match (
        full.contains("unexpected end of stream"),
        context_mark(&full),
    ) {
        (true, Some(mark)) => mark,
        _ => location.unwrap_or((1, 1)),
    };
    let message = strip_location(&full);
    Diagnostic::error(file, format!("invalid YAML: {message}"))
        .at(text, line + line_offset, column)
        .with_hint(HINT)
}

/// Duplicate keys and numbers too large for any count get their own messages.
fn duplicate_or_huge(
    file: &Path,
    text: &str,
    yaml: &str,
    line_offset: usize,
    err: &serde_yaml::Error,
) -> Option<Diagnostic> {
    let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
    let message = strip_location(&err.to_string());
    if let Some(key) = message
        .split_once("duplicate entry with key ")
        .map(|(_, k)| k.trim_matches('"'))
        && let Some((at, first)) = duplicate_key(yaml)
    {
        return Some(
            Diagnostic::error(
                file,
                format!(
                    "duplicate key `{key}`: it is already given on line {}",
                    first + line_offset
                ),
            )
            .at(text, at.line + line_offset, at.column)
            .with_span_len(at.len)
            .with_hint("a key may appear once in a mapping; remove one of the two, or merge them"),
        );
    }
    let number = huge_integer(&message)?;
    Some(
        Diagnostic::error(file, format!("the number `{number}` is too large"))
            .at(text, line + line_offset, column)
            .with_span_len(number.len())
            .with_hint(format!(
                "sitrep accepts numbers up to {MAX_NUMBER:e}; check the value against the source"
            )),
    )
}

/// The digits of an integer `serde_yaml` could not hold ("invalid type: integer `N` as u128").
fn huge_integer(message: &str) -> Option<&str> {
    let rest = message.split_once("integer `")?.1;
    let (digits, after) = rest.split_once('`')?;
    (after.starts_with(" as u128") || after.starts_with(" as i128")).then_some(digits)
}

/// The position of the first repeated key in a mapping of `yaml`, and the line of its first
/// occurrence. Best effort, like [`position_index`].
fn duplicate_key(yaml: &str) -> Option<(Pos, usize)> {
    // For each open container: the keys of a mapping seen so far (key → line) and whether
    // the next scalar is a key; `None` for a sequence.
    let mut stack: Vec<Option<(HashMap<String, usize>, bool)>> = Vec::new();
    let mut parser = Parser::new_from_str(yaml);
    while let Some(Ok((event, span))) = parser.next_event() {
        let pos = Pos {
            line: span.start.line(),
            column: span.start.col() + 1,
            len: span.end.index().saturating_sub(span.start.index()).max(1),
        };
        match event {
            Event::Scalar(text, ..) => {
                if let Some(Some((keys, true))) = stack.last_mut()
                    && let Some(first) = keys.insert(text.to_string(), pos.line)
                {
                    return Some((pos, first));
                }
                value_done(&mut stack);
            }
            Event::Alias(_) => value_done(&mut stack),
            Event::MappingStart(..) => {
                value_done(&mut stack);
                stack.push(Some((HashMap::new(), true)));
            }
            Event::SequenceStart(..) => {
                value_done(&mut stack);
                stack.push(None);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    None
}

/// After a key or value inside a mapping, the next scalar is a value or a key.
fn value_done(stack: &mut [Option<(HashMap<String, usize>, bool)>]) {
    if let Some(Some((_, expect_key))) = stack.last_mut() {
        *expect_key = !*expect_key;
    }
}

/// Where a quoted string that runs on past its line starts, if that is what made the YAML
/// invalid. saphyr-parser reports these errors at the opening quote; libyaml where it gave
/// up, often lines below, at the next quote character, which it took for the closing one.
fn runaway_quote(yaml: &str) -> Option<(usize, usize)> {
    let mut parser = Parser::new_from_str(yaml);
    loop {
        match parser.next_event()? {
            Ok(_) => {}
            // The errors of a quote that runs on; saphyr marks them at the opening quote.
            Err(err)
                if err.info().starts_with("while scanning a quoted scalar")
                    || err.info() == "invalid indentation in quoted scalar" =>
            {
                return Some((err.marker().line(), err.marker().col() + 1));
            }
            Err(_) => return None,
        }
    }
}

/// The position in a libyaml message's context: "…, while scanning a quoted scalar at
/// line 2 column 7" gives (2, 7).
fn context_mark(message: &str) -> Option<(usize, usize)> {
    let (_, context) = message.split_once(", while ")?;
    let (_, at) = context.rsplit_once(" at line ")?;
    let (line, column) = at.split_once(" column ")?;
    let column: String = column.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// The line and column of the second document's start (`---`), if there is one.
fn second_document(yaml: &str) -> Option<(usize, usize)> {
    let mut parser = Parser::new_from_str(yaml);
    let mut documents = 0;
    while let Some(Ok((event, span))) = parser.next_event() {
        if let Event::DocumentStart(_) = event {
            documents += 1;
            if documents == 2 {
                return Some((span.start.line(), span.start.col() + 1));
            }
        }
    }
    None
}

/// Nodes that aliases may add to a document before it counts as an alias bomb, at least.
const ALIAS_NODES_FLOOR: usize = 100_000;

/// Finds the alias at which aliases would repeat too much of the document: more than
/// [`ALIAS_NODES_FLOOR`] nodes (or 10 per event written, if more), or more alias jumps than
/// 50 per event (`serde_yaml` gives up at 100 per event, without saying where). Each
/// anchor's size is counted once, so the check is linear in the text.
pub(super) fn alias_bomb(yaml: &str) -> Option<Pos> {
    if !(yaml.contains('&') && yaml.contains('*')) {
        return None;
    }
    let events = Parser::new_from_str(yaml).take_while(Result::is_ok).count();
    let node_limit = ALIAS_NODES_FLOOR.max(events.saturating_mul(10));
    let jump_limit = events.saturating_mul(50);
    // Per anchor id: (nodes, jumps) of its expansion.
    let mut anchors: HashMap<usize, (usize, usize)> = HashMap::new();
    // Open containers: anchor id, and the totals when they started.
    let mut open: Vec<(usize, usize, usize)> = Vec::new();
    let (mut nodes, mut jumps) = (0usize, 0usize);
    let mut parser = Parser::new_from_str(yaml);
    while let Some(Ok((event, span))) = parser.next_event() {
        match event {
            Event::Scalar(_, _, anchor, _) => {
                nodes += 1;
                if anchor > 0 {
                    anchors.insert(anchor, (1, 0));
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                nodes += 1;
                open.push((anchor, nodes - 1, jumps));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, start_nodes, start_jumps)) = open.pop()
                    && anchor > 0
                {
                    anchors.insert(anchor, (nodes - start_nodes, jumps - start_jumps));
                }
            }
            Event::Alias(anchor) => {
                let (size, inner) = anchors.get(&anchor).copied().unwrap_or((0, 0));
                nodes = nodes.saturating_add(size);
                jumps = jumps.saturating_add(inner).saturating_add(1);
                if nodes > node_limit || jumps > jump_limit {
                    return Some(Pos {
                        line: span.start.line(),
                        column: span.start.col() + 1,
                        len: span.end.index().saturating_sub(span.start.index()).max(1),
                    });
                }
            }
            _ => {}
        }
    }
    None
}

/// `serde_yaml` appends " at line L column C" to messages; positions are shown separately.
/// A trailing context ("while parsing a flow sequence at line 3 column 13") is kept, as it
/// often points at the real cause (an unclosed bracket) above the reported position.
pub(super) fn strip_location(message: &str) -> String {
    let Some(i) = message.find(" at line ") else {
        return message.to_string();
    };
    let head = &message[..i];
    match message[i..].split_once(", while ") {
        Some((_, context)) => format!(
            "{head} (while {})",
            context.replace(" at line ", " that started at line ")
        ),
        None => head.to_string(),
    }
}
