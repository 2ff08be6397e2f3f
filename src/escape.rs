//! Text from content made safe for the HTML and XML sitrep writes: markup characters
//! escaped, and characters those formats forbid left out.
//!
//! XML 1.0 allows only tab, line feed, carriage return and U+0020–U+D7FF, U+E000–U+FFFD
//! and U+10000 and above: one C0 control (U+0001, vertical tab …) or U+FFFE in a title
//! makes `feed.xml`, `sitemap.xml` or an SVG chart unreadable to every XML parser. HTML
//! flags C0 and C1 controls (other than whitespace) and noncharacters as parse errors.
//! [`is_forbidden`] is the union of both rules; every escaping function here (and the one
//! templates use) drops those characters, so no output carries them. Text without them
//! is escaped exactly as before.

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

/// Whether the UTF-8 byte `byte` may start a forbidden character: an ASCII control or DEL,
/// or the first byte of U+0080–U+00BF, U+F000–U+FFFF or a supplementary character. A
/// quick test that lets text without such bytes through without decoding it.
fn may_start_forbidden(byte: u8) -> bool {
    byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xEF || byte >= 0xF0
}

/// The length in bytes of the forbidden character starting at byte `at` of `text`, if
/// there is one (`at` is where a character starts).
fn forbidden_at(text: &str, at: usize) -> Option<usize> {
    let c = text[at..].chars().next()?;
    is_forbidden(c).then(|| c.len_utf8())
}

/// `text` without the characters XML and HTML forbid; borrowed when it has none.
pub fn strip_forbidden(text: &str) -> Cow<'_, str> {
    let has_forbidden = text.bytes().any(may_start_forbidden) && text.chars().any(is_forbidden);
    match has_forbidden {
        true => Cow::Owned(text.chars().filter(|&c| !is_forbidden(c)).collect()),
        false => Cow::Borrowed(text),
    }
}

/// Escapes text for HTML and XML content and double-quoted attributes, leaving out the
/// characters they forbid.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape_html`] does.
pub fn push_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let (entity, len) = match byte {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            _ if may_start_forbidden(byte) => match forbidden_at(text, at) {
                Some(len) => ("", len),
                None => {
                    at += 1;
                    continue;
                }
            },
            _ => {
                at += 1;
                continue;
            }
        };
        out.push_str(&text[plain_from..at]);
        out.push_str(entity);
        at += len;
        plain_from = at;
    }
    out.push_str(&text[plain_from..]);
}

/// The escaping function templates use (`Tera::set_escape_fn`): Tera's own HTML escaping,
/// of the text without the characters XML and HTML forbid.
pub fn template_escape(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    tera::escape_html(&strip_forbidden(text), out)
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
    fn allowed_characters_are_kept() {
        let text = "tab\tline\nreturn\r é € \u{a0} \u{d7ff}\u{e000}\u{fffd}\u{10000}🙂\u{10fffd}";
        assert_eq!(escape_html(text), text);
        assert!(matches!(strip_forbidden(text), Cow::Borrowed(_)));
    }
}
