//! `sitrep new`: create one item (party, source, incident, figure), append a claim to a
//! figure, or create a stub for every id the content references but does not define.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{FileKind, Loaded};
use crate::markdown::Bodies;
use crate::model::{Origin, PartyKind, is_safe_slug};

use super::claim::{self, ClaimInput};
use super::stubs::{self, FigureFields, IncidentFields, PartyFields, SourceFields};
use super::{
    Action, AuthorReport, Existing, ItemKind, PARTIES_FILE, Written, check_new_id, create_file,
    diagnostics, parses, rewrite_file, unknown_id,
};

/// An item to create, with what the author gave for it.
#[derive(Debug, Clone)]
pub enum NewItem {
    Party(PartyFields),
    Source(SourceFields),
    Incident(IncidentFields),
    /// A figure and its first claim (none: a figure without claims yet, which builds with
    /// a warning).
    Figure(FigureFields, Box<ClaimInput>),
}

impl NewItem {
    pub fn kind(&self) -> ItemKind {
        match self {
            NewItem::Party(_) => ItemKind::Party,
            NewItem::Source(_) => ItemKind::Source,
            NewItem::Incident(_) => ItemKind::Incident,
            NewItem::Figure(..) => ItemKind::Figure,
        }
    }
}

/// Creates the item `id` in the site at `root`. `force` allows an id close to an
/// existing one (never an existing id).
pub fn create(
    root: &Path,
    id: &str,
    item: &NewItem,
    force: bool,
) -> Result<AuthorReport, Diagnostics> {
    let site = Existing::read(root)?;
    let kind = item.kind();
    let mut errors = Vec::new();
    if let Err(d) = check_new_id(kind, id, &site.ids(kind), force, "ID") {
        errors.push(d);
    }
    let text = stub_text(&site, root, id, item, &mut errors);
    match text {
        Some(text) if errors.is_empty() => {
            let written = write_item(&site, kind, id, &text)?;
            let mut report = AuthorReport {
                written: vec![written],
                notes: Vec::new(),
            };
            report.notes.push(fill_in(kind, id));
            Ok(report)
        }
        _ => Err(diagnostics(errors)),
    }
}

/// The new item's file text, checking what the author gave against the site (`errors`
/// collects what is wrong); `None` when no text can be made.
fn stub_text(
    site: &Existing,
    root: &Path,
    id: &str,
    item: &NewItem,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    match item {
        NewItem::Party(fields) => {
            if let Some(Err(message)) = fields.kind.as_deref().map(PartyKind::parse) {
                errors.push(claim::split_hint("--kind", &message));
            }
            Some(stubs::party(id, fields))
        }
        NewItem::Source(fields) => {
            if let Some(archive) = &fields.archive
                && !root.join(archive).is_file()
            {
                errors.push(
                    Diagnostic::error("--archive", format!("there is no file `{archive}` in the site"))
                        .with_hint("save the source's text first; the path is relative to the site root, e.g. archive/ID.txt"),
                );
            }
            Some(stubs::source(id, fields))
        }
        NewItem::Incident(fields) => {
            let sources = site.ids(ItemKind::Source);
            for source in fields.sources.iter().filter(|s| !sources.contains(s)) {
                errors.push(unknown_id(ItemKind::Source, source, &sources, "--source"));
            }
            if let Some(Err(d)) = fields
                .date
                .as_deref()
                .map(|d| claim::check_date("--date", d))
            {
                errors.push(d);
            }
            Some(stubs::incident(id, fields))
        }
        NewItem::Figure(fields, input) => {
            let incidents = site.ids(ItemKind::Incident);
            for incident in fields.incidents.iter().filter(|i| !incidents.contains(i)) {
                errors.push(unknown_id(
                    ItemKind::Incident,
                    incident,
                    &incidents,
                    "--incident",
                ));
            }
            if input.source.is_none() && input.quote.is_none() {
                Some(stubs::figure(id, fields, None))
            } else {
                match claim::check(site, input) {
                    Ok(checked) => {
                        let item = claim::item(&checked, 2, "\n");
                        Some(stubs::figure(id, fields, Some(&item)))
                    }
                    Err(found) => {
                        errors.extend(found);
                        None
                    }
                }
            }
        }
    }
}

/// What the author should fill in after creating an item.
fn fill_in(kind: ItemKind, id: &str) -> String {
    match kind {
        ItemKind::Party => format!(
            "fill in the party's name, kind and notes; claims name it with --stated-by {id}"
        ),
        ItemKind::Source => format!(
            "fill in the title, outlet, date and url; save its text as archive/{id}.txt and set `archive:` so quotes are checked; cite it with [@{id}]"
        ),
        ItemKind::Incident => format!(
            "fill in the title, date, place, category, outcome and sources, and write the summary; figures tie to it with `scope: incidents: [{id}]`"
        ),
        ItemKind::Figure => format!(
            "fill in the label, unit, definition and scope; add claims with `sitrep new claim {id} --source … --value … --quote \"…\"` (until then it builds with a warning: no claims yet)"
        ),
    }
}

/// Checks that `text` parses as the new item, then writes it: a new file, or (a party)
/// appended to `content/parties.yaml`.
fn write_item(
    site: &Existing,
    kind: ItemKind,
    id: &str,
    text: &str,
) -> Result<Written, Diagnostics> {
    let rel = kind.path(id);
    if kind == ItemKind::Party {
        return append_party(site, id, text);
    }
    let file_kind = match kind {
        ItemKind::Source => FileKind::Source,
        ItemKind::Incident => FileKind::Incident,
        _ => FileKind::Figure,
    };
    parses(&rel, file_kind, text).map_err(|e| diagnostics(stub_bug(e)))?;
    create_file(&site.root, &rel, text).map_err(|d| diagnostics([d]))?;
    Ok(Written {
        path: rel,
        action: Action::Created,
    })
}

/// Appends a party entry to `content/parties.yaml` (creating it if needed), after
/// checking that the file with the entry parses and defines the party.
fn append_party(site: &Existing, id: &str, entry: &str) -> Result<Written, Diagnostics> {
    let rel = PathBuf::from(PARTIES_FILE);
    let errors = site.parties_errors();
    if !errors.is_empty() {
        let mut errors = errors;
        errors.push(
            Diagnostic::error(&rel, "a party cannot be added while this file has errors")
                .with_hint("fix the errors above, then run the command again"),
        );
        return Err(diagnostics(errors));
    }
    let path = site.root.join(&rel);
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            return Err(diagnostics([Diagnostic::error(
                &rel,
                format!("cannot read this file: {err}"),
            )]));
        }
    };
    let mut text = old.clone().unwrap_or_default();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push_str(newline);
    }
    if !text.trim().is_empty() {
        text.push_str(newline);
    }
    text.push_str(&entry.replace('\n', newline));
    let defined = match parses(&rel, FileKind::Parties, &text) {
        Ok(Loaded::Parties(parties)) => parties.iter().any(|p| p.id == id),
        _ => false,
    };
    if !defined {
        return Err(diagnostics([Diagnostic::error(
            &rel,
            format!("the party `{id}` cannot be appended to this file without rewriting it"),
        )
        .with_hint("the file must be a block mapping (`id:` at the start of a line); add the party by hand")]));
    }
    match old {
        Some(_) => rewrite_file(&site.root, &rel, &text),
        None => create_file(&site.root, &rel, &text),
    }
    .map_err(|d| diagnostics([d]))?;
    Ok(Written {
        path: rel,
        action: if old.is_some() {
            Action::Appended
        } else {
            Action::Created
        },
    })
}

/// A stub that does not parse is a bug in sitrep, not the author's mistake: say so.
fn stub_bug(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|d| {
            d.with_hint("this is a bug in sitrep's stub; nothing was written. Please report it")
        })
        .collect()
}

/// How many claims the figure file `rel` (text `text`) has, refusing a claim id it
/// already has and a file with errors.
fn claims_before(
    rel: &Path,
    text: &str,
    figure: &str,
    checked: &claim::CheckedClaim,
) -> Result<usize, Diagnostics> {
    match parses(rel, FileKind::Figure, text) {
        Ok(Loaded::Figure(f)) => {
            if let Some(id) = &checked.id
                && f.claims.iter().any(|c| c.id.as_ref() == Some(id))
            {
                return Err(diagnostics([Diagnostic::error(
                    "--id",
                    format!("the figure `{figure}` already has a claim `{id}`"),
                )
                .with_hint("claim ids are unique within a figure; choose another")]));
            }
            Ok(f.claims.len())
        }
        Ok(_) => Ok(0),
        Err(mut errors) => {
            errors.push(
                Diagnostic::error(rel, "a claim cannot be added while this file has errors")
                    .with_hint("fix the errors above, then run the command again"),
            );
            Err(diagnostics(errors))
        }
    }
}

/// Appends a claim to the figure `figure`, after checking it (ids, value, date, and the
/// quote against the source's archive). The figure's file is otherwise unchanged.
pub fn add_claim(
    root: &Path,
    figure: &str,
    input: &ClaimInput,
) -> Result<AuthorReport, Diagnostics> {
    let site = Existing::read(root)?;
    let figures = site.ids(ItemKind::Figure);
    let Some((rel, _)) = site.files.iter().find(|(path, kind)| {
        *kind == FileKind::Figure && path.file_stem().is_some_and(|s| s == figure)
    }) else {
        let mut errors = vec![unknown_id(ItemKind::Figure, figure, &figures, "FIGURE")];
        if let Err(found) = claim::check(&site, input) {
            errors.extend(found);
        }
        return Err(diagnostics(errors));
    };
    let checked = claim::check(&site, input).map_err(diagnostics)?;
    let text = std::fs::read_to_string(root.join(rel))
        .map_err(|err| diagnostics([Diagnostic::error(rel, format!("cannot read: {err}"))]))?;
    let before = claims_before(rel, &text, figure, &checked)?;
    let new_text = claim::append(&text, &checked).map_err(|message| {
        diagnostics([Diagnostic::error(rel, message)
            .with_hint("write the list as `claims:` followed by `  - value: …` items, or add the claim by hand")])
    })?;
    let added = match parses(rel, FileKind::Figure, &new_text) {
        Ok(Loaded::Figure(f)) => {
            f.claims.len() == before + 1
                && f.claims
                    .last()
                    .is_some_and(|c| c.quote == checked.quote && c.source == checked.source)
        }
        _ => false,
    };
    if !added {
        return Err(diagnostics([Diagnostic::error(
            rel,
            "the claim could not be appended to this file's `claims:` list without rewriting it",
        )
        .with_hint(
            "nothing was written; add the claim by hand (docs/content-format.md shows the format)",
        )]));
    }
    rewrite_file(root, rel, &new_text).map_err(|d| diagnostics([d]))?;
    let mut report = AuthorReport {
        written: vec![Written {
            path: rel.clone(),
            action: Action::Appended,
        }],
        notes: Vec::new(),
    };
    report.notes.push(if checked.verified {
        "the quote was found in the source's archive".to_string()
    } else {
        format!(
            "the source `{}` has no readable archive, so the quote is not verified; save its text and set `archive:` in content/sources/{}.yaml",
            checked.source, checked.source
        )
    });
    Ok(report)
}

/// Creates a stub for every id the content references but does not define: parties in
/// `stated_by`, sources listed by incidents, cited or claimed, incidents in figure scopes,
/// figures in `sum_of`/`within` (without claims yet: they build with a warning). Ids that
/// are not valid ids are returned as errors. Writes what it can either way.
pub fn missing(root: &Path) -> Result<(AuthorReport, Diagnostics), Diagnostics> {
    let site = Existing::read(root)?;
    let mut report = AuthorReport::default();
    let mut problems = Vec::new();
    for (kind, id, referrer) in dangling(&site) {
        if !is_safe_slug(&id) {
            problems.push(
                at_reference(
                    &referrer,
                    &id,
                    format!("the {} id `{id}` is not a valid id", kind.name()),
                )
                .with_hint("fix the reference: ids use lowercase letters, digits, - and _"),
            );
            continue;
        }
        let text = match kind {
            ItemKind::Party => stubs::party(&id, &PartyFields::default()),
            ItemKind::Source => stubs::source(&id, &SourceFields::default()),
            ItemKind::Incident => stubs::incident(&id, &IncidentFields::default()),
            ItemKind::Figure => {
                // In the unit of the figure that lists it (a whole and its parts count alike).
                let referrer =
                    (site.briefing.figures.iter()).find(|f| f.origin.file == referrer.file);
                let fields = FigureFields {
                    unit: referrer.map(|f| f.unit.clone()),
                    ..FigureFields::default()
                };
                stubs::figure(&id, &fields, None)
            }
        };
        // Re-read after each write, so parties append to the file as it now is.
        let current = Existing::read(root)?;
        match write_item(&current, kind, &id, &text) {
            Ok(written) => {
                report.notes.push(format!(
                    "{}: {}",
                    written.path.display(),
                    fill_in(kind, &id)
                ));
                report.written.push(written);
            }
            Err(found) => problems.extend(found),
        }
    }
    if !report.written.is_empty() {
        report.notes.push(
            "each stub builds as it is (a figure stub with a warning until it has a claim); fill in its placeholders (title, date, place, outlet, unit …), and save each new source's text under archive/ with `archive:` set so its quotes are checked"
                .into(),
        );
    }
    Ok((report, diagnostics(problems)))
}

/// An error at the first mention of `id` in the file that references it.
fn at_reference(origin: &Origin, id: &str, message: String) -> Diagnostic {
    let d = Diagnostic::error(&origin.file, message);
    match origin.text.find(id) {
        Some(offset) => d
            .at_offset(&origin.text, offset)
            .with_span_len(id.chars().count()),
        None => d,
    }
}

/// Ids referenced but not defined, with the first file that references each, parties
/// first (so later stubs never reference a missing party).
fn dangling(site: &Existing) -> Vec<(ItemKind, String, Origin)> {
    let briefing = &site.briefing;
    let mut refs: Vec<(ItemKind, String, Origin)> = Vec::new();
    for figure in &briefing.figures {
        let file = &figure.origin;
        for claim in &figure.claims {
            refs.push((ItemKind::Party, claim.stated_by.party.clone(), file.clone()));
            refs.push((ItemKind::Source, claim.source.clone(), file.clone()));
        }
        for id in &figure.scope.incidents {
            refs.push((ItemKind::Incident, id.clone(), file.clone()));
        }
        for id in figure.sum_of.iter().chain(&figure.within) {
            refs.push((ItemKind::Figure, id.clone(), file.clone()));
        }
    }
    let bodies = Bodies::scan(briefing);
    for (incident, body) in briefing.incidents.iter().zip(&bodies.incidents) {
        let ids = incident
            .sources
            .iter()
            .chain(body.citations.iter().map(|c| &c.id));
        for id in ids {
            refs.push((ItemKind::Source, id.clone(), incident.origin.clone()));
        }
    }
    for (page, body) in briefing.pages.iter().zip(&bodies.pages) {
        for citation in &body.citations {
            refs.push((ItemKind::Source, citation.id.clone(), page.origin.clone()));
        }
    }
    let defined: Vec<(ItemKind, Vec<String>)> = [
        ItemKind::Party,
        ItemKind::Source,
        ItemKind::Incident,
        ItemKind::Figure,
    ]
    .into_iter()
    .map(|k| (k, site.ids(k)))
    .collect();
    let is_defined = |kind: ItemKind, id: &str| {
        defined
            .iter()
            .any(|(k, ids)| *k == kind && ids.iter().any(|i| i == id))
    };
    let mut seen = BTreeSet::new();
    refs.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    refs.into_iter()
        .filter(|(kind, id, _)| !is_defined(*kind, id) && seen.insert((*kind, id.clone())))
        .collect()
}
