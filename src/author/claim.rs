//! Claims written from the command line: checked against the site (source, party, value,
//! date, and the quote against the source's archive) and appended to a figure's YAML as
//! text, so the rest of the file (comments, order, spacing) stays byte for byte as it was.

use crate::diagnostics::{Diagnostic, suggestion};
use crate::model::{Qualifier, When};
use crate::validate::{longest_matching_prefix, normalize_quote, read_archive};

use super::{Existing, ItemKind, unknown_id, yaml_id, yaml_string};

/// A claim as given on the command line, unchecked.
#[derive(Debug, Clone, Default)]
pub struct ClaimInput {
    pub source: Option<String>,
    /// `N`, or `LOW-HIGH` for a range.
    pub value: Option<String>,
    pub qualifier: Option<String>,
    pub quote: Option<String>,
    pub stated_by: Option<String>,
    pub stated_on: Option<String>,
    pub id: Option<String>,
    pub person: Option<String>,
    pub role: Option<String>,
    pub note: Option<String>,
}

/// A claim that passed every check, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedClaim {
    pub value: Value,
    pub qualifier: Qualifier,
    pub source: String,
    pub party: String,
    pub stated_on: Option<String>,
    pub quote: String,
    pub id: Option<String>,
    pub person: Option<String>,
    pub role: Option<String>,
    pub note: Option<String>,
    /// Whether the quote was found in the source's archive (`false`: no archive).
    pub verified: bool,
}

/// A claim's number: one value, a range, or none (vague wording such as "dozens").
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    One(f64),
    Range(f64, f64),
    None,
}

impl Value {
    /// Reads `N` or `LOW-HIGH`.
    pub fn parse(text: &str) -> Result<Value, String> {
        let number = |s: &str| -> Result<f64, String> {
            let v: f64 = s.trim().parse().map_err(|_| {
                format!(
                    "`{}` is not a number; write N, or LOW-HIGH for a range",
                    s.trim()
                )
            })?;
            if v.is_finite() && v >= 0.0 {
                Ok(v)
            } else {
                Err(format!(
                    "`{}` cannot be a count: counts are zero or more",
                    s.trim()
                ))
            }
        };
        let text = text.trim();
        if let Ok(v) = number(text) {
            return Ok(Value::One(v));
        }
        match text.split_once('-') {
            Some((low, high)) if !low.trim().is_empty() => {
                let (low, high) = (number(low)?, number(high)?);
                if low > high {
                    Err(format!("the range {text} runs backwards; write LOW-HIGH"))
                } else {
                    Ok(Value::Range(low, high))
                }
            }
            _ => number(text).map(Value::One),
        }
    }
}

/// Checks every part of a claim for the figure, collecting all problems at once.
pub fn check(site: &Existing, input: &ClaimInput) -> Result<CheckedClaim, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let (qualifier, value) = check_number(site, input, &mut errors);
    let source = check_source(site, input.source.as_deref(), &mut errors);
    let party = check_party(site, input.stated_by.as_deref(), &mut errors);
    if let Some(Err(d)) = input
        .stated_on
        .as_deref()
        .map(|d| check_date("--stated-on", d))
    {
        errors.push(d);
    }
    if let Some(id) = &input.id
        && !crate::model::is_safe_slug(id)
    {
        errors.push(
            Diagnostic::error("--id", format!("`{id}` is not a valid claim id"))
                .with_hint("use lowercase letters, digits, - and _"),
        );
    }
    let quote = input.quote.clone().unwrap_or_default();
    let mut verified = false;
    if quote.trim().is_empty() {
        errors.push(missing("--quote", "a quote").with_hint(
            "pass --quote \"…\" with a short verbatim excerpt (a sentence at most) from the source",
        ));
    } else if errors.is_empty() {
        match check_quote(site, &source, &quote) {
            Ok(found) => verified = found,
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CheckedClaim {
        value,
        qualifier,
        source,
        party,
        stated_on: input.stated_on.clone(),
        quote,
        id: input.id.clone(),
        person: input.person.clone(),
        role: input.role.clone(),
        note: input.note.clone(),
        verified,
    })
}

/// The error for a missing `flag`: "a claim needs `what`".
fn missing(flag: &str, what: &str) -> Diagnostic {
    Diagnostic::error(flag, format!("a claim needs {what}")).with_hint(format!("pass {flag}"))
}

/// The claim's qualifier (exact when not given) and value, which only words without a
/// number may leave out.
fn check_number(
    site: &Existing,
    input: &ClaimInput,
    errors: &mut Vec<Diagnostic>,
) -> (Qualifier, Value) {
    let qualifier = input
        .qualifier
        .as_deref()
        .map_or(Qualifier::EXACT, Qualifier::new);
    if site.wordings.get(&qualifier).is_none() {
        errors.push(
            Diagnostic::error("--qualifier", format!("unknown qualifier `{qualifier}`")).with_hint(
                suggestion(qualifier.as_str(), "qualifier", site.wordings.names())
                    + "; a site can define its own wordings under `[wordings]` in site.toml",
            ),
        );
    }
    let value = match input.value.as_deref().map(Value::parse) {
        Some(Ok(v)) => v,
        Some(Err(message)) => {
            errors.push(Diagnostic::error("--value", message));
            Value::None
        }
        None if site.wordings.may_stand_alone(&qualifier) => Value::None,
        None => {
            errors.push(missing("--value", "a value").with_hint(format!(
                "pass --value N (or LOW-HIGH); only words without a number (dozens, several, some …) may stand without one, and `{qualifier}` is not one of them"
            )));
            Value::None
        }
    };
    (qualifier, value)
}

/// The claim's source: `--source`, which must be a source id.
fn check_source(site: &Existing, given: Option<&str>, errors: &mut Vec<Diagnostic>) -> String {
    let sources = site.ids(ItemKind::Source);
    let source = given.unwrap_or_default().to_string();
    if given.is_none() {
        errors.push(missing(
            "--source",
            "a source (the id of the report it comes from)",
        ));
    } else if !sources.contains(&source) {
        errors.push(unknown_id(ItemKind::Source, &source, &sources, "--source"));
    }
    source
}

/// The party that stated the claim: `--stated-by`, or the only party there is.
fn check_party(site: &Existing, given: Option<&str>, errors: &mut Vec<Diagnostic>) -> String {
    let parties = site.ids(ItemKind::Party);
    match given {
        Some(party) if parties.iter().any(|p| p == party) => party.to_string(),
        Some(party) => {
            errors.push(unknown_id(ItemKind::Party, party, &parties, "--stated-by"));
            party.to_string()
        }
        None if parties.len() == 1 => parties[0].clone(),
        None => {
            let d = Diagnostic::error("--stated-by", "a claim needs the party that stated it");
            errors.push(if parties.is_empty() {
                d.with_hint("create one with `sitrep new party ID`, then pass --stated-by ID")
            } else {
                d.with_hint(format!(
                    "pass --stated-by with one of: {}",
                    super::listing(&parties)
                ))
            });
            String::new()
        }
    }
}

/// Checks a date given on the command line (`flag`) as the content format reads it.
pub fn check_date(flag: &str, date: &str) -> Result<(), Diagnostic> {
    match serde_yaml::from_str::<When>(&yaml_string(date)) {
        Ok(_) => Ok(()),
        Err(err) => {
            let message = err.to_string();
            let message = message.split(" at line ").next().unwrap_or_default();
            Err(split_hint(flag, message))
        }
    }
}

/// A diagnostic from a model error message, which carries its hint after `; hint: `.
pub fn split_hint(flag: &str, message: &str) -> Diagnostic {
    match message.split_once(crate::model::HINT_SEPARATOR) {
        Some((message, hint)) => Diagnostic::error(flag, message).with_hint(hint),
        None => Diagnostic::error(flag, message),
    }
}

/// Checks a quote against the archive of `source`: `Ok(true)` when found, `Ok(false)` when
/// the source has no readable archive, an error showing where it diverges otherwise.
pub fn check_quote(site: &Existing, source: &str, quote: &str) -> Result<bool, Diagnostic> {
    let Some(archive_path) = site
        .briefing
        .source_index(source)
        .and_then(|i| site.briefing.sources[i].archive.clone())
    else {
        return Ok(false);
    };
    let Ok(archive) = read_archive(&site.root.join(&archive_path), site.max_size) else {
        return Ok(false);
    };
    match divergence(&archive.normalized, quote) {
        None => Ok(true),
        Some(detail) => Err(Diagnostic::error(
            "--quote",
            format!(
                "the quote is not in the archived text of `{source}` ({}): {detail}",
                archive_path.display()
            ),
        )
        .with_hint("copy the quote exactly from the archive (case, spacing and quote marks may differ); the build would reject this claim, so it was not added")),
    }
}

/// Where a quote stops matching a (normalised) archive text, in words; `None` if the
/// archive contains it.
pub fn divergence(archive: &str, quote: &str) -> Option<String> {
    let quote = normalize_quote(quote);
    if quote.is_empty() || archive.contains(&quote) {
        return None;
    }
    let matched = longest_matching_prefix(archive, &quote);
    if matched == 0 {
        return Some("the archive contains none of it (not even its first character)".into());
    }
    let split = quote
        .char_indices()
        .nth(matched)
        .map_or(quote.len(), |(i, _)| i);
    let prefix = &quote[..split];
    let at = archive.find(prefix).unwrap_or(0);
    let context = tail(prefix, 20);
    let archive_next = head(&archive[at + prefix.len()..], 25);
    let quote_next = head(&quote[split..], 25);
    Some(format!(
        "your quote differs at character {}: after `…{context}` the archive has `{archive_next}…` where your quote has `{quote_next}`",
        matched + 1
    ))
}

fn head(text: &str, chars: usize) -> &str {
    text.char_indices()
        .nth(chars)
        .map_or(text, |(i, _)| &text[..i])
}

fn tail(text: &str, chars: usize) -> &str {
    let count = text.chars().count();
    text.char_indices()
        .nth(count.saturating_sub(chars))
        .map_or(text, |(i, _)| &text[i..])
}

/// The claim as a YAML list item, each line indented by `indent` spaces, ending in a
/// newline. `newline` is the file's line ending.
pub fn item(claim: &CheckedClaim, indent: usize, newline: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    if let Some(id) = &claim.id {
        lines.push(format!("id: {}", yaml_id(id)));
    }
    match claim.value {
        Value::One(v) => lines.push(format!("value: {v}")),
        Value::Range(low, high) => {
            lines.push(format!("low: {low}"));
            lines.push(format!("high: {high}"));
        }
        Value::None => {}
    }
    lines.push(format!("qualifier: {}", claim.qualifier));
    lines.push(format!("source: {}", yaml_id(&claim.source)));
    lines.push("stated_by:".into());
    lines.push(format!("  party: {}", yaml_id(&claim.party)));
    if let Some(person) = &claim.person {
        lines.push(format!("  person: {}", yaml_string(person)));
    }
    if let Some(role) = &claim.role {
        lines.push(format!("  role: {}", yaml_string(role)));
    }
    if let Some(date) = &claim.stated_on {
        lines.push(format!("stated_on: {}", yaml_string(date)));
    }
    lines.push(format!("quote: {}", yaml_string(&claim.quote)));
    if let Some(note) = &claim.note {
        lines.push(format!("note: {}", yaml_string(note)));
    }
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        let marker = if n == 0 { "- " } else { "  " };
        out.push_str(&format!("{pad}{marker}{line}{newline}"));
    }
    out
}

/// Appends a claim to the `claims:` list of a figure file's text, leaving every other
/// byte where it was: the item goes after the last line of the list (before blank lines
/// and unindented comments that lead to the next field), indented like the list's items.
/// A missing `claims:` is added at the end; `claims: []` becomes `claims:` with the item.
pub fn append(text: &str, claim: &CheckedClaim) -> Result<String, String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines = line_spans(text);
    let Some(key) = lines.iter().position(|&(s, e)| is_claims_key(&text[s..e])) else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(newline);
        }
        out.push_str(&format!("claims:{newline}"));
        out.push_str(&item(claim, 2, newline));
        return Ok(out);
    };
    let (key_start, key_end) = lines[key];
    let key_line = &text[key_start..key_end];
    let after_key = key_line["claims:".len()..].trim_start();
    if let Some(rest) = after_key.strip_prefix("[]") {
        // An empty flow list: drop the `[]`, keep any comment after it.
        let rest = rest.trim_end_matches(['\r', '\n']);
        let mut out = text[..key_start].to_string();
        out.push_str(&format!("claims:{rest}{newline}"));
        out.push_str(&item(claim, 2, newline));
        out.push_str(&text[key_end..]);
        return Ok(out);
    }
    if !(after_key.is_empty() || after_key.starts_with('#')) {
        return Err(
            "the figure's `claims:` is not a block list (one `- ` item per claim), so the claim cannot be appended without rewriting it"
                .into(),
        );
    }
    let mut insert_at = key_end;
    let mut indent = None;
    for &(s, e) in &lines[key + 1..] {
        let line = text[s..e].trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !(line.starts_with(' ') || line.starts_with("- ") || line == "-") {
            break;
        }
        let trimmed = line.trim_start();
        if indent.is_none() && (trimmed.starts_with("- ") || trimmed == "-") {
            indent = Some(line.len() - trimmed.len());
        }
        insert_at = e;
    }
    let mut out = text[..insert_at].to_string();
    if !out.ends_with('\n') {
        out.push_str(newline);
    }
    out.push_str(&item(claim, indent.unwrap_or(2), newline));
    out.push_str(&text[insert_at..]);
    Ok(out)
}

/// Byte spans of the lines of `text`, each including its line ending.
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        spans.push((start, i + 1));
        start = i + 1;
    }
    if start < text.len() {
        spans.push((start, text.len()));
    }
    spans
}

fn is_claims_key(line: &str) -> bool {
    line.strip_prefix("claims:")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim() -> CheckedClaim {
        CheckedClaim {
            value: Value::One(12.0),
            qualifier: Qualifier::AT_LEAST,
            source: "wire".into(),
            party: "police".into(),
            stated_on: None,
            quote: "at least 12".into(),
            id: None,
            person: None,
            role: None,
            note: None,
            verified: true,
        }
    }

    #[test]
    fn values_and_ranges_parse() {
        assert_eq!(Value::parse("40"), Ok(Value::One(40.0)));
        assert_eq!(Value::parse("10-17"), Ok(Value::Range(10.0, 17.0)));
        assert!(Value::parse("17-10").is_err());
        assert!(Value::parse("-3").is_err());
        assert!(Value::parse("ten").is_err());
    }

    #[test]
    fn the_claim_goes_after_the_last_item_and_before_what_follows() {
        let text = "label: X\nclaims:\n    - value: 1\n      # a comment\n      quote: \"a\"\n\n# next\nupdated: 2026-01-01\n";
        let out = append(text, &claim()).unwrap();
        let at = text.find("\n\n# next").unwrap() + 1;
        assert_eq!(&out[..at], &text[..at]);
        assert!(out[at..].starts_with("    - value: 12\n      qualifier: at least\n"));
        assert!(out.ends_with("\n\n# next\nupdated: 2026-01-01\n"));
    }

    #[test]
    fn empty_and_missing_lists_get_a_first_item() {
        let out = append("label: X\nclaims: [] # none yet\nkey: true", &claim()).unwrap();
        assert!(
            out.starts_with("label: X\nclaims: # none yet\n  - value: 12\n"),
            "{out}"
        );
        assert!(out.ends_with("key: true"));
        let out = append("label: X", &claim()).unwrap();
        assert!(
            out.starts_with("label: X\nclaims:\n  - value: 12\n"),
            "{out}"
        );
        assert!(append("claims: [{value: 1}]\n", &claim()).is_err());
    }

    #[test]
    fn divergence_shows_the_archive_and_the_first_differing_character() {
        let archive = normalize_quote("The flood killed at least 10 people on Monday.");
        assert_eq!(divergence(&archive, "killed at least 10"), None);
        let detail = divergence(&archive, "kiled at least 10").unwrap();
        assert!(detail.contains("character 4"), "{detail}");
        assert!(
            detail.contains("after `…kil` the archive has `led at least 10 people on…`"),
            "{detail}"
        );
        assert!(
            detail.contains("your quote has `ed at least 10`"),
            "{detail}"
        );
    }
}
