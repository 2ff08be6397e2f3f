//! Words as the search index and the search script see them: Unicode letters and digits,
//! lowercased, with diacritics removed ("Pasnī" → "pasni"), at most [`MAX_WORD_CHARS`]
//! characters. `search.js` applies the same rules to queries (see docs/search.md).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Longer words are cut to this many characters (the script cuts queries the same way).
pub const MAX_WORD_CHARS: usize = 64;

/// Calls `each` with every normalised word of `text`, in order. `buf` is scratch space
/// reused between calls so that no word allocates.
pub fn words(text: &str, buf: &mut String, each: &mut dyn FnMut(&str)) {
    let mut chars = 0;
    buf.clear();
    let mut end_word = |buf: &mut String, chars: &mut usize| {
        if !buf.is_empty() {
            each(buf);
            buf.clear();
        }
        *chars = 0;
    };
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                if chars < MAX_WORD_CHARS {
                    buf.push(c.to_ascii_lowercase());
                    chars += 1;
                }
            } else {
                end_word(buf, &mut chars);
            }
            continue;
        }
        let mut boundary = false;
        decompose_canonical(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            if !d.is_alphanumeric() {
                boundary = true;
                return;
            }
            for lower in d.to_lowercase() {
                if chars < MAX_WORD_CHARS {
                    // Final sigma is folded into sigma, as `search.js` does.
                    buf.push(if lower == 'ς' { 'σ' } else { lower });
                    chars += 1;
                }
            }
        });
        if boundary {
            end_word(buf, &mut chars);
        }
    }
    end_word(buf, &mut chars);
}

/// Calls `each` with the words of Markdown `text` a reader sees: link targets
/// (`](…)`), citations (`[@…]`) and HTML tags are skipped.
pub fn markdown_words(text: &str, buf: &mut String, each: &mut dyn FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
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
    let at = rest.iter().position(|&b| b == close || b == b'\n')?;
    (rest[at] == close).then_some(from + at)
}

/// A facet value as one search term part: its words joined by `-` ("Pasnī Port" →
/// "pasni-port"). Empty when the value has no letters or digits.
pub fn slug(value: &str) -> String {
    let mut out = String::new();
    let mut buf = String::new();
    words(value, &mut buf, &mut |w| {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(w);
    });
    out
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
