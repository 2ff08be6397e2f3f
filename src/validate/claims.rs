//! The checks of one figure and its claims: ids, numbers against their wording, ranks,
//! supersessions and replacements.

use super::*;

/// A figure without claims yet (a stub, say) builds, with a warning at its `claims` (or its
/// `label` when it has no `claims` key); its page says it has no claims yet.
fn no_claims(figure: &Figure) -> Diagnostic {
    let text = figure.origin.located_text();
    let has_key = text.lines().any(|l| l.starts_with("claims:"));
    let path = match has_key {
        true => yaml_path!["claims"],
        false => yaml_path!["label"],
    };
    let warning = Diagnostic::warning(
        &figure.origin.file,
        format!("figure `{}` has no claims yet", figure.id),
    )
    .with_hint(format!(
        "add one with `sitrep new claim {} --source … --value … --quote \"…\"`, or under `claims:` (value, qualifier, source, stated_by, quote)",
        figure.id
    ));
    locate(&figure.origin, &path, warning)
}

pub(super) fn check_figure(figure: &Figure, ids: &Ids, found: &mut Vec<Diagnostic>) {
    let origin = &figure.origin;
    let error = |path: &[Seg], message: String, hint: &str| {
        let d = Diagnostic::error(&origin.file, message);
        let d = if hint.is_empty() {
            d
        } else {
            d.with_hint(hint)
        };
        locate(origin, path, d)
    };
    if figure.claims.is_empty() {
        found.push(no_claims(figure));
    }
    for (n, id) in figure.scope.incidents.iter().enumerate() {
        if !ids.incidents.contains(id.as_str()) {
            found.push(unknown(
                ids.failed,
                origin,
                &yaml_path!["scope", "incidents", n],
                "incident",
                id,
                ids.incidents,
            ));
        }
    }
    for (field, list) in [("sum_of", &figure.sum_of), ("within", &figure.within)] {
        for (n, id) in list.iter().enumerate() {
            if id == &figure.id {
                found.push(error(
                    &yaml_path![field, n],
                    format!("figure `{id}` cannot refer to itself in `{field}`"),
                    "",
                ));
            } else if !ids.figures.contains(id.as_str()) {
                found.push(unknown(
                    ids.failed,
                    origin,
                    &yaml_path![field, n],
                    "figure",
                    id,
                    ids.figures,
                ));
            }
        }
    }
    if let Some((message, hint)) = figure
        .best
        .as_ref()
        .and_then(|best| bad_number("value", best.value))
    {
        found.push(error(&yaml_path!["best", "value"], message, hint));
    }
    let claim_ids: Vec<&str> = figure
        .claims
        .iter()
        .filter_map(|c| c.id.as_deref())
        .collect();
    let mut seen_ids = HashSet::new();
    for (n, claim) in figure.claims.iter().enumerate() {
        check_claim(figure, n, claim, ids, &claim_ids, found);
        if let Some(id) = &claim.id
            && !seen_ids.insert(id.as_str())
        {
            found.push(error(
                &yaml_path!["claims", n, "id"],
                format!("duplicate claim id `{id}` in this figure"),
                "claim ids must be unique within a figure",
            ));
        }
    }
}

fn check_claim(
    figure: &Figure,
    n: usize,
    claim: &Claim,
    ids: &Ids,
    claim_ids: &[&str],
    found: &mut Vec<Diagnostic>,
) {
    let origin = &figure.origin;
    if !ids.sources.contains(claim.source.as_str()) {
        found.push(unknown(
            ids.failed,
            origin,
            &yaml_path!["claims", n, "source"],
            "source",
            &claim.source,
            ids.sources,
        ));
    }
    if !ids.parties.contains(claim.stated_by.party.as_str()) {
        found.push(unknown(
            ids.failed,
            origin,
            &yaml_path!["claims", n, "stated_by", "party"],
            "party",
            &claim.stated_by.party,
            ids.parties,
        ));
    }
    check_claim_fields(figure, n, claim, ids, found);
    found.extend(check_replaces(n, claim, claim_ids, origin));
    check_supersedes(figure, n, claim, claim_ids, found);
}

/// An error at `path` of `origin`'s file, with `hint` unless it is empty.
fn claim_error(origin: &Origin, path: &[Seg], message: String, hint: String) -> Diagnostic {
    let d = Diagnostic::error(&origin.file, message);
    let d = if hint.is_empty() {
        d
    } else {
        d.with_hint(hint)
    };
    locate(origin, path, d)
}

/// Claim `n`'s numbers, quote, id and rank.
fn check_claim_fields(
    figure: &Figure,
    n: usize,
    claim: &Claim,
    ids: &Ids,
    found: &mut Vec<Diagnostic>,
) {
    let origin = &figure.origin;
    let at = |field: &str| yaml_path!["claims", n, field];
    for (field, value) in [
        ("value", claim.value),
        ("low", claim.low),
        ("high", claim.high),
    ] {
        if let Some((message, hint)) = value.and_then(|v| bad_number(field, v)) {
            found.push(claim_error(origin, &at(field), message, hint.into()));
        }
    }
    found.extend(check_numbers(figure, n, claim, ids.wordings));
    if claim.quote.trim().is_empty() {
        found.push(claim_error(
            origin,
            &at("quote"),
            "the quote is empty".into(),
            "copy a short verbatim excerpt (a sentence at most) from the source".into(),
        ));
    }
    if let Some(id) = &claim.id
        && !is_safe_slug(id)
    {
        found.push(claim_error(
            origin,
            &at("id"),
            format!("`{id}` is not a safe claim id"),
            "use lowercase letters, digits, - and _".into(),
        ));
    }
    if claim.rank != Rank::Normal
        && claim
            .rank_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        found.push(claim_error(
            origin,
            &at("rank"),
            format!("a claim ranked `{}` needs a `rank_reason`", claim.rank),
            "say why, e.g. `rank_reason: The source says the claim has not been confirmed.`".into(),
        ));
    }
}

/// Claim `n`'s `supersedes`: another claim of the figure, by the same party.
fn check_supersedes(
    figure: &Figure,
    n: usize,
    claim: &Claim,
    claim_ids: &[&str],
    found: &mut Vec<Diagnostic>,
) {
    let Some(target) = &claim.supersedes else {
        return;
    };
    let origin = &figure.origin;
    let at = yaml_path!["claims", n, "supersedes"];
    if Some(target.as_str()) == claim.id.as_deref() {
        found.push(claim_error(
            origin,
            &at,
            "a claim cannot supersede itself".into(),
            String::new(),
        ));
    } else if let Some(earlier) = figure
        .claims
        .iter()
        .find(|c| c.id.as_deref() == Some(target.as_str()))
        && earlier.stated_by.party != claim.stated_by.party
    {
        found.push(locate(
            origin,
            &at,
            Diagnostic::warning(
                &origin.file,
                format!(
                    "this claim by `{}` supersedes `{target}`, a claim by `{}`",
                    claim.stated_by.party, earlier.stated_by.party
                ),
            )
            .with_hint("a claim supersedes a party's own earlier count; to let a later count replace another party's, write `replaces` with a `replaces_reason`; to show that parties disagree, keep both claims current"),
        ));
    } else if !claim_ids.contains(&target.as_str()) {
        let hint = suggestion(target, "claim id", claim_ids.iter().copied());
        found.push(claim_error(
            origin,
            &at,
            format!("`supersedes` names `{target}`, which is not a claim id of this figure"),
            hint,
        ));
    }
}

/// What is wrong with a number given as `field`, if anything: not a number at all (NaN,
/// infinity), negative, or too large to be a count (a typing mistake).
fn bad_number(field: &str, v: f64) -> Option<(String, &'static str)> {
    if !v.is_finite() {
        Some((
            format!("`{field}` is {v}, which is not a number sitrep can count with"),
            "write the number the source gives, e.g. `value: 12`; for an unknown number, leave the claim out or use a vague qualifier such as `dozens`",
        ))
    } else if v < 0.0 {
        Some((
            format!("`{field}` is {v}, but a count cannot be negative"),
            "counts are zero or more; write the number as the source gives it",
        ))
    } else if v > MAX_NUMBER {
        Some((
            format!("`{field}` is {v}, larger than any count sitrep accepts ({MAX_NUMBER:e})"),
            "check the number against the source: it is probably mistyped",
        ))
    } else {
        None
    }
}

/// The claim's wording is known, and its value, range or absence fits the wording.
fn check_numbers(figure: &Figure, n: usize, claim: &Claim, wordings: &Wordings) -> Vec<Diagnostic> {
    let origin = &figure.origin;
    let at = |field: &str| yaml_path!["claims", n, field];
    let error = |path: &[Seg], message: String, hint: String| {
        locate(
            origin,
            path,
            Diagnostic::error(&origin.file, message).with_hint(hint),
        )
    };
    let mut found = Vec::new();
    let known = wordings.get(&claim.qualifier).is_some();
    if !known {
        found.push(error(
            &at("qualifier"),
            format!("unknown qualifier `{}`", claim.qualifier),
            suggestion(claim.qualifier.as_str(), "qualifier", wordings.names())
                + "; a site can define its own wordings under `[wordings]` in site.toml",
        ));
    }
    match (claim.value, claim.low, claim.high) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => found.push(error(
            &at("value"),
            "a claim has either `value` or `low`/`high`, not both".into(),
            "use `value` for a single number, `low` and `high` for a range".into(),
        )),
        (None, Some(low), Some(high)) if low > high => found.push(error(
            &at("low"),
            format!("`low` ({low}) is greater than `high` ({high})"),
            "swap them, or check the numbers against the source".into(),
        )),
        (None, Some(_), None) | (None, None, Some(_)) => found.push(error(
            &at(if claim.low.is_some() { "low" } else { "high" }),
            "a range needs both `low` and `high`".into(),
            "give both ends, or use `value` with a qualifier such as `at least`".into(),
        )),
        (None, None, None) if known && !wordings.may_stand_alone(&claim.qualifier) => {
            found.push(error(
                &at("qualifier"),
                format!(
                    "this claim has no value, and `{}` needs one",
                    claim.qualifier
                ),
                "add `value: N` (or `low`/`high`); only words without a number (`dozens`, `several`, `some` …) may stand alone"
                    .into(),
            ))
        }
        (_, None, None) if known && wordings.get(&claim.qualifier).is_some_and(|w| w.rule == Rule::Range) => {
            found.push(error(
                &at("qualifier"),
                format!("`{}` gives a range, and needs `low` and `high`", claim.qualifier),
                "write the two ends as `low: X` and `high: Y` instead of `value`".into(),
            ))
        }
        _ => {}
    }
    found
}

/// `replaces` names another claim of the figure, not this one, and says why.
fn check_replaces(n: usize, claim: &Claim, claim_ids: &[&str], origin: &Origin) -> Vec<Diagnostic> {
    let at = |field: &str| yaml_path!["claims", n, field];
    let error = |field: &str, message: String, hint: String| {
        locate(
            origin,
            &at(field),
            Diagnostic::error(&origin.file, message).with_hint(hint),
        )
    };
    let mut found = Vec::new();
    match &claim.replaces {
        Some(target) if Some(target.as_str()) == claim.id.as_deref() => found.push(error(
            "replaces",
            "a claim cannot replace itself".into(),
            "name the earlier claim this one replaces".into(),
        )),
        Some(target) if !claim_ids.contains(&target.as_str()) => found.push(error(
            "replaces",
            format!("`replaces` names `{target}`, which is not a claim id of this figure"),
            suggestion(target, "claim id", claim_ids.iter().copied()),
        )),
        Some(_) if claim.replaces_reason.as_deref().is_none_or(|r| r.trim().is_empty()) => {
            found.push(error(
                "replaces",
                "a claim that replaces another needs a `replaces_reason`".into(),
                "say why, e.g. `replaces_reason: The coroner's count supersedes early media tallies.`".into(),
            ))
        }
        None if claim.replaces_reason.is_some() => found.push(error(
            "replaces_reason",
            "`replaces_reason` without `replaces`".into(),
            "add `replaces: <claim id>` or remove the reason".into(),
        )),
        _ => {}
    }
    found
}
