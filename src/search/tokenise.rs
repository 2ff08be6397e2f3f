//! Words as the search index and the search script see them: Unicode letters and digits,
//! lowercased, with diacritics removed ("Pasnī" → "pasni"), at most [`MAX_WORD_CHARS`]
//! characters. `search.js` applies the same rules to queries (see docs/search.md).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Longer words are cut to this many characters (the script cuts queries the same way).
pub const MAX_WORD_CHARS: usize = 64;

/// What a byte is to [`words`]: between words (an ASCII character that is not a letter or
/// digit), a lowercase ASCII letter or digit, a capital, or part of a character beyond ASCII.
const BETWEEN: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const BEYOND: u8 = 4;

/// The class of every byte, looked up rather than tested.
static CLASS: [u8; 256] = {
    let mut class = [BETWEEN; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        class[b] = if !c.is_ascii() {
            BEYOND
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_alphanumeric() {
            LOWER
        } else {
            BETWEEN
        };
        b += 1;
    }
    class
};

/// Calls `each` with every normalised word of `text`, in order. `buf` is scratch space
/// reused between calls so that no word allocates.
pub fn words(text: &str, buf: &mut String, each: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if CLASS[bytes[i] as usize] == BETWEEN {
            i += 1;
            continue;
        }
        // A run up to the next ASCII separator. Most are ASCII letters and digits: passed
        // as a slice of `text` when they have no capitals, so without a copy.
        let start = i;
        let mut seen = 0;
        while let Some(&b) = bytes.get(i) {
            let class = CLASS[b as usize];
            if class == BETWEEN {
                break;
            }
            seen |= class;
            i += 1;
        }
        if seen & BEYOND != 0 {
            i = general_word(text, start, buf, each);
            continue;
        }
        let word = &text[start..i.min(start + MAX_WORD_CHARS)];
        if seen & UPPER != 0 {
            buf.clear();
            buf.push_str(word);
            buf.make_ascii_lowercase();
            each(buf);
        } else {
            each(word);
        }
    }
}

/// Reads the word (if any) at byte `start` of `text` character by character, decomposing
/// and lowercasing, passes it to `each` and returns the byte after it.
fn general_word(text: &str, start: usize, buf: &mut String, each: &mut dyn FnMut(&str)) -> usize {
    buf.clear();
    let mut chars = 0;
    let mut push = |buf: &mut String, c: char| {
        if chars < MAX_WORD_CHARS {
            buf.push(c);
            chars += 1;
        }
    };
    let mut at = start;
    for c in text[start..].chars() {
        at += c.len_utf8();
        let mut boundary = false;
        if c.is_ascii() {
            match c.is_ascii_alphanumeric() {
                true => push(buf, c.to_ascii_lowercase()),
                false => boundary = true,
            }
        } else {
            decompose_canonical(c, |d| {
                if is_combining_mark(d) {
                } else if d.is_alphanumeric() {
                    for lower in d.to_lowercase() {
                        // Final sigma is folded into sigma, as `search.js` does.
                        push(buf, if lower == 'ς' { 'σ' } else { lower });
                    }
                } else {
                    boundary = true;
                }
            });
        }
        if boundary {
            break;
        }
    }
    if !buf.is_empty() {
        each(buf);
    }
    at
}

/// Calls `each` with the words of Markdown `text` a reader sees: link targets
/// (`](…)`), citations (`[@…]`) and HTML tags are skipped.
pub fn markdown_words(text: &str, buf: &mut String, each: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Jump to the next byte that may open something to skip.
        match memchr::memchr3(b']', b'[', b'<', &bytes[i..]) {
            Some(at) => i += at,
            None => break,
        }
        let skip_to = match bytes[i] {
            b']' if bytes.get(i + 1) == Some(&b'(') => closing(bytes, i + 2, b')'),
            b'[' if bytes.get(i + 1) == Some(&b'@') => closing(bytes, i + 2, b']'),
            b'<' if bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/') =>
            {
                closing(bytes, i + 1, b'>')
            }
            _ => None,
        };
        match skip_to {
            Some(end) => {
                words(&text[start..i], buf, each);
                i = end + 1;
                start = i;
            }
            None => i += 1,
        }
    }
    words(&text[start..], buf, each);
}

/// The position of the first `close` at or after `from` on the same line, if any.
fn closing(bytes: &[u8], from: usize, close: u8) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let at = memchr::memchr2(close, b'\n', rest)?;
    (rest[at] == close).then_some(from + at)
}

/// A facet value as one search term part: its words joined by `-` ("Pasnī Port" →
/// "pasni-port"). Empty when the value has no letters or digits.
pub fn slug(value: &str) -> String {
    let mut out = String::new();
    push_slug(value, &mut out);
    out
}

/// Appends [`slug`]`(value)` to `out`.
pub fn push_slug(value: &str, out: &mut String) {
    let start = out.len();
    let mut buf = String::new();
    words(value, &mut buf, &mut |w| {
        if out.len() > start {
            out.push('-');
        }
        out.push_str(w);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        words(text, &mut String::new(), &mut |w| out.push(w.to_string()));
        out
    }

    fn md(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        markdown_words(text, &mut String::new(), &mut |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn words_are_lowercased_without_diacritics() {
        assert_eq!(all("Pasnī, TURBAT—Gwādar"), ["pasni", "turbat", "gwadar"]);
        assert_eq!(all("Ça va? Œuvre 12e"), ["ca", "va", "œuvre", "12e"]);
        assert_eq!(all("ΟΔΟΣ οδός"), ["οδοσ", "οδοσ"]);
        // Hamza above is a combining mark after decomposition, dropped like any accent.
        assert_eq!(all("کوئٹہ میں"), ["کويٹہ", "میں"]);
        assert_eq!(all("  "), Vec::<String>::new());
        let long = "x".repeat(100);
        assert_eq!(all(&long), ["x".repeat(MAX_WORD_CHARS)]);
    }

    /// The rules of [`words`] written plainly, one character at a time.
    fn reference(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut end = |word: &mut String| {
            if !word.is_empty() {
                out.push(word.chars().take(MAX_WORD_CHARS).collect());
                word.clear();
            }
        };
        for c in text.chars() {
            decompose_canonical(c, |d| {
                if is_combining_mark(d) {
                } else if d.is_alphanumeric() {
                    word.extend(d.to_lowercase().map(|l| if l == 'ς' { 'σ' } else { l }));
                } else {
                    end(&mut word);
                }
            });
        }
        end(&mut word);
        out
    }

    #[test]
    fn mixed_words_match_the_plain_rules() {
        for text in [
            "abcÉdef ÉA aÉ ABC",
            "X\u{301}Y, \u{301}",
            &"Xy".repeat(40),
            &format!("{}é", "a".repeat(70)),
            "İstanbul ǅemal ﬁne ½ Ⅻ",
        ] {
            assert_eq!(all(text), reference(text), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn words_follow_the_plain_rules(text in "[a-zA-Z0-9 ,.éÉīΣσςΟ\u{301}ß—’-]{0,90}") {
            proptest::prop_assert_eq!(all(&text), reference(&text));
        }
    }

    #[test]
    fn markdown_skips_link_targets_citations_and_tags() {
        assert_eq!(
            md("See [the report](https://example.org/zzz) [@wire-1] <b>bold</b> a]b"),
            ["see", "the", "report", "bold", "a", "b"]
        );
        // An unclosed construct is read as text.
        assert_eq!(md("[@open and\n](more"), ["open", "and", "more"]);
    }

    #[test]
    fn slugs_join_words() {
        assert_eq!(slug("Pasnī Port"), "pasni-port");
        assert_eq!(slug("carried out"), "carried-out");
        assert_eq!(slug("--"), "");
    }
}
