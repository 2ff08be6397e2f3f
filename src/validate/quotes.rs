//! Quotes against archives: reading each source's archived text (through
//! [`crate::archive`]) and finding every claim's quote in it, or saying where it diverges.

use super::*;

/// An archived source text: the text a reader sees (see [`archive::readable_text`]), which
/// an archive page shows, and the same normalised for quote comparison.
pub struct ArchiveText {
    pub readable: String,
    pub normalized: String,
}

impl std::fmt::Debug for ArchiveText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ArchiveText({} bytes)", self.readable.len())
    }
}

/// Reads an archived source text (at most `max_size` bytes): its readable text, and that
/// normalised for quote comparison.
pub fn read_archive(path: &Path, max_size: u64) -> Result<Arc<ArchiveText>, ReadError> {
    let text = read::read_text(path, max_size)?;
    let readable = archive::readable_text(path, text);
    let normalized = normalize_quote(&readable);
    Ok(Arc::new(ArchiveText {
        readable,
        normalized,
    }))
}

/// Reads each source's normalised archive; `None` where there is none.
pub(super) fn read_archives(
    briefing: &Briefing,
    archive: &ArchiveReader,
    diagnostics: &mut Diagnostics,
) -> Archives {
    briefing
        .sources
        .iter()
        .map(|source| {
            let Some(path) = source.archive.as_ref() else {
                if source.publish_archive == Some(true) {
                    diagnostics.push(nothing_to_publish(source));
                }
                return None;
            };
            match archive(path) {
                Ok(text) => Some(text),
                Err(err) => {
                    diagnostics.push(archive_problem(source, path, &err));
                    None
                }
            }
        })
        .collect()
}

/// `publish_archive: true` on a source without an archive publishes nothing (a warning).
fn nothing_to_publish(source: &Source) -> Diagnostic {
    let warning = Diagnostic::warning(
        &source.origin.file,
        "`publish_archive` is true but the source has no `archive`, so there is nothing to publish",
    )
    .with_hint(format!(
        "save the source's text (e.g. as archive/{}.txt) and set `archive:` to it, or remove `publish_archive`",
        source.id
    ));
    locate(&source.origin, &yaml_path!["publish_archive"], warning)
}

/// A missing, unreadable or non-UTF-8 archive leaves quotes unverified (a warning); one
/// that is not a regular file or is too large is a mistake in the source file (an error).
fn archive_problem(source: &Source, path: &Path, err: &ReadError) -> Diagnostic {
    let shown = path.display();
    let diagnostic = match err {
        ReadError::Io(_) | ReadError::NotUtf8 { .. } => Diagnostic::warning(
            &source.origin.file,
            format!(
                "archive `{shown}` cannot be read ({err}); quotes from this source are not verified"
            ),
        )
        .with_hint(match err {
            ReadError::NotUtf8 { .. } => "save the archive as UTF-8",
            _ => "the path is relative to the site root; fix it or remove `archive`",
        }),
        ReadError::NotAFile(what) => Diagnostic::error(
            &source.origin.file,
            format!("archive `{shown}` is {what}, not a regular file"),
        )
        .with_hint("an archive is a text file with the source's text; point `archive` at one"),
        ReadError::TooLarge { limit } => Diagnostic::error(
            &source.origin.file,
            format!(
                "archive `{shown}` is larger than the limit of {} (`max_file_size`)",
                read::describe_size(*limit)
            ),
        )
        .with_hint("archive only the article's text, or raise `max_file_size` in site.toml"),
    };
    locate(&source.origin, &yaml_path!["archive"], diagnostic)
}

pub(super) fn check_quote(
    figure: &Figure,
    n: usize,
    claim: &Claim,
    briefing: &Briefing,
    archives: &Archives,
    found: &mut Vec<Diagnostic>,
) -> QuoteStatus {
    let Some(index) = briefing.source_index(&claim.source) else {
        return QuoteStatus::Unverifiable;
    };
    let Some(archive) = &archives[index] else {
        return QuoteStatus::Unverifiable;
    };
    let archive = &archive.normalized;
    let quote = normalize_quote(&claim.quote);
    if quote.is_empty() || find(archive, &quote).is_some() {
        return QuoteStatus::Verified;
    }
    let hint = match longest_matching_prefix(archive, &quote) {
        0 => "the archived text contains none of it; check the claim's `source`".to_string(),
        k => format!(
            "the first {k} characters match the archive, then it differs after \"…{}\"; copy the quote exactly",
            quote
                .chars()
                .take(k)
                .collect::<String>()
                .chars()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>()
        ),
    };
    let path = briefing.sources[index]
        .archive
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    found.push(locate(
        &figure.origin,
        &yaml_path!["claims", n, "quote"],
        Diagnostic::error(
            &figure.origin.file,
            format!(
                "the quote does not occur in the archived text of `{}` ({path})",
                claim.source
            ),
        )
        .with_hint(hint),
    ));
    QuoteStatus::NotFound
}

/// How many leading characters of `quote` occur somewhere in `archive` (binary search).
pub fn longest_matching_prefix(archive: &str, quote: &str) -> usize {
    let chars: Vec<usize> = quote
        .char_indices()
        .map(|(i, _)| i)
        .chain([quote.len()])
        .collect();
    let (mut lo, mut hi) = (0, chars.len() - 1);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if find(archive, &quote[..chars[mid]]).is_some() {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// Where `quote` first occurs in `text` (as `str::find`, with a vectorised search: an
/// archive is searched once per quote from its source).
fn find(text: &str, quote: &str) -> Option<usize> {
    memchr::memmem::find(text.as_bytes(), quote.as_bytes())
}

/// Normalises text for quote comparison: case, whitespace runs and quote marks.
pub fn normalize_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_with(text, &mut out, |_, _| {});
    out
}

/// [`normalize_quote`] with, for each byte of the normalised text, the byte offset in
/// `text` of the character it comes from: where a match in the normalised text is in the
/// original (a quoted passage on an archive page).
pub fn normalize_mapped(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut from = Vec::with_capacity(text.len());
    normalize_with(text, &mut out, |at, len| from.resize(len, at));
    (out, from)
}

/// The one normalisation (see [`normalize_quote`]): after each character it writes,
/// `wrote(at, len)` gets the byte offset in `text` of the character written from and the
/// normalised text's new length. A whitespace run is written from its first character.
fn normalize_with(text: &str, out: &mut String, mut wrote: impl FnMut(usize, usize)) {
    let mut space = None;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            if !out.is_empty() {
                space = space.or(Some(at));
            }
            continue;
        }
        if let Some(from) = space.take() {
            out.push(' ');
            wrote(from, out.len());
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '`' | '\u{00B4}' | '\u{2032}' => {
                out.push('\'')
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
            | '\u{2033}' => out.push('"'),
            // Most text is ASCII, whose lowercase is one character.
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
        wrote(at, out.len());
    }
}

/// Where each of `quotes` occurs in `text` (an archive's readable text), as byte ranges of
/// `text`, found as quote verification finds them: in the normalised text, first
/// occurrence. `None` for a quote that is not there or is empty once normalised.
pub fn find_quotes(text: &str, quotes: &[&str]) -> Vec<Option<std::ops::Range<usize>>> {
    let (normalized, from) = normalize_mapped(text);
    quotes
        .iter()
        .map(|quote| {
            let quote = normalize_quote(quote);
            let start = find(&normalized, &quote).filter(|_| !quote.is_empty())?;
            let last = from[start + quote.len() - 1];
            let end = last + text[last..].chars().next().map_or(0, char::len_utf8);
            Some(from[start]..end)
        })
        .collect()
}
