//! Errors and warnings about a site's input, located at file, line and column.
//!
//! Every stage of the pipeline reports problems as [`Diagnostic`]s into a [`Diagnostics`]
//! collection instead of stopping at the first one, so a user sees everything that is wrong
//! in one run. Rendering for the terminal goes through `annotate-snippets`; the same data is
//! serialised for the browser overlay of `sitrep serve`.

use std::fmt;
use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How bad a diagnostic is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Which kind of check found a problem. Problems of reading a file (syntax, unknown fields,
/// bad values) are listed before those of checks across files, which they often cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Read,
    Check,
}

/// One problem, tied to a place in a file when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    /// What to do about it, e.g. the nearest valid id.
    pub hint: Option<String>,
    /// The text of the offending line, shown under the message.
    pub source_line: Option<String>,
    /// Length of the offending text on that line, in characters (at least 1).
    pub span_len: usize,
    /// Reading a file, or checking across files: read problems are reported first.
    pub stage: Stage,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file.into(), message.into())
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file.into(), message.into())
    }

    fn new(severity: Severity, file: PathBuf, message: String) -> Self {
        Diagnostic {
            severity,
            file,
            line: 0,
            column: 0,
            message,
            hint: None,
            source_line: None,
            span_len: 1,
            stage: Stage::Check,
        }
    }

    /// Places the diagnostic at a 1-based line and column of `text`, the file's contents.
    /// A place past the end (parsers report an unexpected end of input there) becomes the
    /// end of the last line, and a column past the end of its line the line's end.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        let lines = text.split('\n').count();
        let width = |line: usize| {
            let text = text.split('\n').nth(line - 1).unwrap_or("");
            text.trim_end_matches('\r').chars().count()
        };
        let (line, column) = if line > lines {
            (lines, width(lines) + 1)
        } else if line > 0 {
            // A parser that counts other line breaks (YAML 1.1 counts U+2028) can place a
            // column past the end of the line as this file's lines go.
            (line, column.min(width(line) + 1))
        } else {
            (line, column)
        };
        self.line = line;
        self.column = column;
        self.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        self
    }

    /// Places the diagnostic at a byte offset of `text`.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_column(text, offset);
        self.at(text, line, column)
    }

    pub fn with_span_len(mut self, len: usize) -> Self {
        self.span_len = len.max(1);
        self
    }

    /// Marks the diagnostic as found while reading a file (see [`Stage`]).
    pub fn while_reading(mut self) -> Self {
        self.stage = Stage::Read;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic for a terminal, with the offending line underlined.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.file.display().to_string();
        let title = level.primary_title(self.message.as_str());
        let location = match (&self.source_line, self.line) {
            (Some(source), line) if line > 0 => {
                let start = char_to_byte(source, self.column.saturating_sub(1));
                let end =
                    char_to_byte(source, self.column.saturating_sub(1) + self.span_len).max(start);
                Snippet::source(source.as_str())
                    .line_start(line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end))
            }
            _ => Snippet::source("").path(path.as_str()),
        };
        let mut report = vec![Group::with_title(title).element(location)];
        if let Some(hint) = &self.hint {
            report.push(Group::with_title(
                Level::HELP.secondary_title(hint.as_str()),
            ));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }
}

impl fmt::Display for Diagnostic {
    /// A one-line form: `file:line:column: error: message (hint)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column.max(1))?;
        }
        write!(f, ": {kind}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The diagnostics gathered by a run, in the order they were found.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts problems of reading files first (they are the root causes of many others),
    /// then by file and position, so reports are stable whatever order stages ran in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (a.stage, &a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(b.stage, &b.file, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
    }

    /// Turns every warning into an error, saying why in its hint (strict mode, for CI).
    pub fn make_warnings_errors(&mut self, why: &str) {
        for d in self.items.iter_mut().filter(|d| !d.is_error()) {
            d.severity = Severity::Error;
            d.hint = Some(match d.hint.take() {
                Some(hint) => format!("{hint}; this warning is an error because of {why}"),
                None => format!("this warning is an error because of {why}"),
            });
        }
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The 1-based line and character column of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn char_to_byte(line: &str, chars: usize) -> usize {
    line.char_indices()
        .nth(chars)
        .map_or(line.len(), |(i, _)| i)
}

/// The candidate closest to `wanted` by edit distance, if any is reasonably close.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(wanted, c), c))
        .filter(|(distance, c)| *distance <= (wanted.len().max(c.len()) / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

/// "did you mean `x`?" for the nearest candidate, or a listing of what is valid.
pub fn suggestion<'a>(
    wanted: &str,
    what: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match nearest(wanted, candidates.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => {
            let mut all: Vec<&str> = candidates.into_iter().collect();
            all.sort_unstable();
            if all.is_empty() {
                format!("no {what} is defined yet")
            } else if all.len() <= 12 {
                format!("valid {what}s: {}", all.join(", "))
            } else {
                format!(
                    "there are {} {what}s; none is close to `{wanted}`",
                    all.len()
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_past_the_end_becomes_the_end_of_the_last_line() {
        // Found by fuzzing: YAML reports an unexpected end of input on the line after the
        // last one of a file that does not end in a newline.
        let d = Diagnostic::error("f.yaml", "m").at("a: [1,\nb: {", 3, 1);
        assert_eq!((d.line, d.column), (2, 5));
        assert_eq!(d.source_line.as_deref(), Some("b: {"));
        let d = Diagnostic::error("f.yaml", "m").at("a: 1\n", 2, 1);
        assert_eq!(
            (d.line, d.column),
            (2, 1),
            "the empty line after a final newline"
        );
    }

    #[test]
    fn line_column_counts_characters() {
        let text = "ab\ncé d\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // 'd' is after a two-byte character: byte 7, character column 4.
        assert_eq!(line_column(text, 7), (2, 4));
    }

    #[test]
    fn nearest_suggests_close_ids_only() {
        let ids = ["security-personnel-killed", "civilians-killed"];
        assert_eq!(nearest("civilian-killed", ids), Some("civilians-killed"));
        assert_eq!(nearest("inmates", ids), None);
    }

    #[test]
    fn rendered_diagnostic_names_file_line_and_hint() {
        let text = "label: x\nqualifer: at least\n";
        let d = Diagnostic::error("content/figures/a.yaml", "unknown field `qualifer`")
            .at(text, 2, 1)
            .with_span_len(8)
            .with_hint("did you mean `qualifier`?");
        let out = d.render(false);
        assert!(out.contains("content/figures/a.yaml:2:1"), "{out}");
        assert!(out.contains("qualifer: at least"), "{out}");
        assert!(out.contains("did you mean `qualifier`?"), "{out}");
        assert_eq!(
            d.to_string(),
            "content/figures/a.yaml:2:1: error: unknown field `qualifer` (hint: did you mean `qualifier`?)"
        );
    }
}
