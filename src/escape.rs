//! Text from content made safe for the HTML and XML sitrep writes: markup characters
//! escaped, characters those formats forbid left out, and bidi controls kept inside the
//! text that holds them.
//!
//! XML 1.0 allows only tab, line feed, carriage return and U+0020–U+D7FF, U+E000–U+FFFD
//! and U+10000 and above: one C0 control (U+0001, vertical tab …) or U+FFFE in a title
//! makes `feed.xml`, `sitemap.xml` or an SVG chart unreadable to every XML parser. HTML
//! flags C0 and C1 controls (other than whitespace) and noncharacters as parse errors.
//! [`is_forbidden`] is the union of both rules; every escaping function here (and the one
//! templates use) drops those characters, so no output carries them.
//!
//! A bidi override or embedding (U+202A–U+202E) or isolate (U+2066–U+2068) left open in a
//! title would reorder everything after it up to the end of the paragraph: the rest of a
//! list item, a table row, a tooltip. [`isolate_bidi`] closes what the text opens and
//! wraps it in FSI … PDI, the plain-text equivalent of `<bdi>`, so it takes its direction
//! from its own first strong character and leaves its surroundings alone, in every page,
//! attribute, feed entry and chart. Text without these characters (or forbidden ones) is
//! escaped exactly as before.

use std::borrow::Cow;

/// Whether XML 1.0 or HTML forbids `c` in a document: C0 controls other than tab, line
/// feed and carriage return, DEL and the C1 controls, and the noncharacters (U+FDD0 to
/// U+FDEF and the last two code points of every plane, such as U+FFFE).
pub fn is_forbidden(c: char) -> bool {
    let code = c as u32;
    match code {
        0x09 | 0x0A | 0x0D => false,
        0x00..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF => true,
        _ => code & 0xFFFE == 0xFFFE,
    }
}

/// Whether the UTF-8 byte `byte` may start a forbidden character: an ASCII control other
/// than tab, line feed and carriage return, DEL, or the first byte of U+0080–U+00BF,
/// U+F000–U+FFFF or a supplementary character. A quick test that lets text without such
/// bytes (line breaks included) through without decoding it.
const fn may_start_forbidden(byte: u8) -> bool {
    // `&` and `|` rather than `&&` and `||`: no branches, so scans over many bytes
    // ([`may_hold_forbidden`]) compile to vector instructions.
    (byte < 0x20) & (byte != b'\t') & (byte != b'\n') & (byte != b'\r')
        | (byte == 0x7F)
        | (byte == 0xC2)
        | (byte == 0xEF)
        | (byte >= 0xF0)
}

/// Whether `text` has a byte that may start a forbidden character: looked at 64 bytes at a
/// time, since nearly all text has none.
fn may_hold_forbidden(text: &str) -> bool {
    (text.as_bytes().chunks(64)).any(|chunk| {
        chunk
            .iter()
            .fold(false, |any, &b| any | may_start_forbidden(b))
    })
}

/// The length in bytes of the forbidden character starting at byte `at` of `text`, if
/// there is one (`at` is where a character starts).
fn forbidden_at(text: &str, at: usize) -> Option<usize> {
    let c = text[at..].chars().next()?;
    is_forbidden(c).then(|| c.len_utf8())
}

/// Whether `text` has a forbidden character. Only the characters starting with a byte
/// that may start one are decoded: text with `·` or `°` (0xC2 …) is not read whole.
fn holds_forbidden(text: &str) -> bool {
    if !may_hold_forbidden(text) {
        return false;
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(n) = bytes[at..].iter().position(|&b| may_start_forbidden(b)) {
        at += n;
        if forbidden_at(text, at).is_some() {
            return true;
        }
        at += 1;
    }
    false
}

/// `text` without the characters XML and HTML forbid; borrowed when it has none.
pub fn strip_forbidden(text: &str) -> Cow<'_, str> {
    match holds_forbidden(text) {
        true => Cow::Owned(text.chars().filter(|&c| !is_forbidden(c)).collect()),
        false => Cow::Borrowed(text),
    }
}

/// First Strong Isolate, Pop Directional Isolate and Pop Directional Formatting.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';
const PDF: char = '\u{202C}';

/// What a bidi control character does: open an embedding or override (closed by PDF),
/// open an isolate (closed by PDI), or close one.
#[derive(Clone, Copy, PartialEq)]
enum Bidi {
    Embedding,
    Isolate,
    Pdf,
    Pdi,
}

fn bidi(c: char) -> Option<Bidi> {
    match c {
        '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => Some(Bidi::Embedding),
        '\u{2066}' | '\u{2067}' | '\u{2068}' => Some(Bidi::Isolate),
        '\u{202C}' => Some(Bidi::Pdf),
        '\u{2069}' => Some(Bidi::Pdi),
        _ => None,
    }
}

/// Whether `text` has a bidi control. Each is three bytes in UTF-8, E2 80 AA–AE or
/// E2 81 A6–A9, so only the bytes after an 0xE2 are looked at (curly quotes and dashes
/// start with it too).
fn holds_bidi(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xE2, bytes).any(|at| {
        matches!(
            bytes.get(at + 1..at + 3),
            Some([0x80, 0xAA..=0xAE] | [0x81, 0xA6..=0xA9])
        )
    })
}

/// `text` with its bidi controls kept inside it (see the module comment): wrapped in FSI …
/// PDI, every embedding, override and isolate it opens closed before the end, and closers
/// that close nothing it opened left out (they could close the wrapping isolate early).
/// Borrowed when the text has no bidi controls.
pub fn isolate_bidi(text: &str) -> Cow<'_, str> {
    if !holds_bidi(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 12);
    out.push(FSI);
    let mut open: Vec<Bidi> = Vec::new();
    for c in text.chars() {
        match bidi(c) {
            None => {}
            Some(kind @ (Bidi::Embedding | Bidi::Isolate)) => open.push(kind),
            Some(Bidi::Pdf) if open.last() == Some(&Bidi::Embedding) => {
                open.pop();
            }
            // A PDI closes its isolate and every embedding opened inside it.
            Some(Bidi::Pdi) if open.contains(&Bidi::Isolate) => {
                while open.pop() == Some(Bidi::Embedding) {}
            }
            Some(_) => continue,
        }
        out.push(c);
    }
    for kind in open.into_iter().rev() {
        out.push(if kind == Bidi::Isolate { PDI } else { PDF });
    }
    out.push(PDI);
    Cow::Owned(out)
}

/// Escapes text for HTML and XML content and double-quoted attributes, leaving out the
/// characters they forbid and isolating its bidi controls ([`isolate_bidi`]).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape_html`] does.
pub fn push_escaped(out: &mut String, text: &str) {
    match isolate_bidi(text) {
        Cow::Borrowed(text) => push_escaped_isolated(out, text),
        Cow::Owned(text) => push_escaped_isolated(out, &text),
    }
}

/// Bytes [`escape_pieces`] stops at: markup characters and those that may start a
/// forbidden character.
static STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        stops[b] = matches!(byte, b'&' | b'<' | b'>' | b'"' | b'\'') || may_start_forbidden(byte);
        b += 1;
    }
    stops
};

/// [`push_escaped`] of text whose bidi controls are isolated already.
fn push_escaped_isolated(out: &mut String, text: &str) {
    escape_pieces(text, &mut |piece| out.push_str(piece));
}

/// Hands `text` to `emit` escaped, in pieces: the runs between the bytes it stops at,
/// copied whole, and the entities of markup characters; forbidden characters are left
/// out. Bidi controls are passed as they are.
fn escape_pieces(text: &str, emit: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(n) = bytes[at..].iter().position(|&b| STOPS[b as usize]) {
        at += n;
        let (entity, len) = match bytes[at] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            _ => match forbidden_at(text, at) {
                Some(len) => ("", len),
                None => {
                    at += 1;
                    continue;
                }
            },
        };
        emit(&text[plain_from..at]);
        emit(entity);
        at += len;
        plain_from = at;
    }
    emit(&text[plain_from..]);
}

/// The escaping function templates use (`Tera::set_escape_fn`): the same as
/// [`escape_html`] (Tera's own HTML escaping, of the text without the characters XML and
/// HTML forbid, its bidi controls isolated), written in one pass.
pub fn template_escape(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut written = Ok(());
    let mut write = |piece: &str| {
        if written.is_ok() && !piece.is_empty() {
            written = out.write_all(piece.as_bytes());
        }
    };
    match isolate_bidi(text) {
        Cow::Borrowed(text) => escape_pieces(text, &mut write),
        Cow::Owned(text) => escape_pieces(&text, &mut write),
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape_html("a<b>&\"c\"'d' é"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39; é"
        );
    }

    #[test]
    fn forbidden_characters_are_left_out() {
        let text = "a\u{1}b\u{b}c\u{c}d\u{7f}e\u{85}f\u{fffe}g\u{ffff}h\u{1fffe}i\u{fdd0}j\0";
        assert_eq!(escape_html(text), "abcdefghij");
        assert_eq!(strip_forbidden(text), "abcdefghij");
        let mut out = Vec::new();
        template_escape("<\u{1}>", &mut out).unwrap();
        assert_eq!(out, b"&lt;&gt;");
    }

    #[test]
    fn bidi_controls_are_closed_and_isolated() {
        // RLO opened and not closed: closed by a PDF, the whole in FSI … PDI.
        assert_eq!(
            isolate_bidi("abc\u{202E}txt.exe"),
            "\u{2068}abc\u{202E}txt.exe\u{202C}\u{2069}"
        );
        // Balanced controls are kept; a stray PDF or PDI is left out; an RLI closed by a
        // PDI closes the LRE opened inside it.
        assert_eq!(
            isolate_bidi("\u{202C}\u{2069}a\u{202B}b\u{202C}\u{2067}c\u{202A}d\u{2069}e"),
            "\u{2068}a\u{202B}b\u{202C}\u{2067}c\u{202A}d\u{2069}e\u{2069}"
        );
        // Isolates and embeddings left open are closed innermost first.
        assert_eq!(
            isolate_bidi("\u{2066}a\u{202D}b"),
            "\u{2068}\u{2066}a\u{202D}b\u{202C}\u{2069}\u{2069}"
        );
        assert!(matches!(isolate_bidi("a – “b” … c"), Cow::Borrowed(_)));
        assert_eq!(
            escape_html("<\u{202E}>"),
            "\u{2068}&lt;\u{202E}&gt;\u{202C}\u{2069}"
        );
    }

    #[test]
    fn allowed_characters_are_kept() {
        let text = "tab\tline\nreturn\r é € \u{a0} \u{d7ff}\u{e000}\u{fffd}\u{10000}🙂\u{10fffd}";
        assert_eq!(escape_html(text), text);
        assert!(matches!(strip_forbidden(text), Cow::Borrowed(_)));
    }

    #[test]
    fn forbidden_characters_are_found_anywhere_in_long_text() {
        // Text is scanned 64 bytes at a time: a forbidden character in the last byte of a
        // block, the first byte of the next, or in a short tail is still left out.
        for at in [0, 63, 64, 127, 128, 130] {
            let mut text = "a\n".repeat(65);
            text.insert(at, '\u{1}');
            assert_eq!(strip_forbidden(&text), "a\n".repeat(65), "at {at}");
        }
        let lines = "line\n".repeat(100);
        assert!(matches!(strip_forbidden(&lines), Cow::Borrowed(_)));
    }
    /// [`escape_html`] as its rules say, a character at a time.
    fn escaped_by_the_rules(text: &str) -> String {
        (isolate_bidi(text).chars())
            .filter(|&c| !is_forbidden(c))
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#39;".to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    proptest::proptest! {
        /// The scans that skip to the bytes that matter find what reading every character
        /// finds: text mixing markup, controls, characters starting with the same bytes as
        /// forbidden ones (`·`, `°`, U+FFFD, emoji), noncharacters, bidi controls and
        /// curly quotes (which start with the same byte as bidi controls).
        #[test]
        fn scans_agree_with_the_plain_rules(
            text in "[a-z <>&\"'\t\n\u{1}\u{7f}\u{85}·°\u{a0}\u{fdd0}\u{fffd}\u{fffe}\u{1fffe}🙂\u{202a}\u{202c}\u{202e}\u{2066}\u{2069}’“–]{0,80}"
        ) {
            let stripped: String = text.chars().filter(|&c| !is_forbidden(c)).collect();
            proptest::prop_assert_eq!(strip_forbidden(&text), stripped);
            proptest::prop_assert_eq!(holds_bidi(&text), text.chars().any(|c| bidi(c).is_some()));
            proptest::prop_assert_eq!(escape_html(&text), escaped_by_the_rules(&text));
            let mut written = Vec::new();
            template_escape(&text, &mut written).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(written).unwrap(), escaped_by_the_rules(&text));
        }
    }
}
