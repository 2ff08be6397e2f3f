//! Numbers and clock times as written in content files: counts with digit groups
//! (`"13,000"`), the largest count accepted, and 24-hour `HH:MM` times of day.

use super::HINT_SEPARATOR;

/// The largest number a content file may give (a count, a best estimate): larger values
/// are typing mistakes, and beyond 2^53 not even exact as floating point.
pub const MAX_NUMBER: f64 = 1e15;

/// A number as written in a content file: a YAML number, or a string of digits with digit
/// groups separated as sources print them (`"13,000"`, `"13 000"`, `"13_000"`, with a
/// non-breaking or thin space too), read as 13000.
pub fn parse_number(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let bad = || {
        format!(
            "`{t}` is not a number{HINT_SEPARATOR}write the digits only, e.g. 13000 (digit groups such as 13,000 are accepted; words and units are not)"
        )
    };
    let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
    let groups: Vec<&str> = whole
        .split([',', ' ', '_', '\u{a0}', '\u{202f}', '\u{2009}'])
        .collect();
    let grouped = groups.len() > 1
        && !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3);
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(groups.len() == 1 || grouped)
        || !groups.iter().all(|g| digits(g))
        || !digits(fraction)
        || whole.is_empty()
    {
        return Err(bad());
    }
    let plain = format!("{}.{}", groups.concat(), fraction);
    plain.trim_end_matches('.').parse().map_err(|_| bad())
}

/// Whether `text` is written as a clock time (digits and colons), right or wrong.
pub(crate) fn looks_like_clock(text: &str) -> bool {
    text.contains(':') && text.trim().bytes().all(|b| b.is_ascii_digit() || b == b':')
}

/// Minutes after midnight of a 24-hour `HH:MM` (or `H:MM`, or `HH:MM:SS`).
pub(crate) fn clock_minutes(text: &str) -> Option<u16> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    let digits =
        |p: &str, min: usize| (min..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let (h, m) = match parts.as_slice() {
        [h, m] => (h, m),
        [h, m, sec] if digits(sec, 2) && *sec < "60" => (h, m),
        _ => return None,
    };
    if !digits(h, 1) || !digits(m, 2) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}
