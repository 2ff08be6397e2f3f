//! `sitrep new`: create a party, source, incident or figure stub, append a claim to a
//! figure, or (`--missing`) stub every id the content references but does not define.
//! The command-line arguments are declared here; the work is in [`crate::author::new`].

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::author::claim::ClaimInput;
use crate::author::new::{NewItem, add_claim, create, missing};
use crate::author::stubs::{FigureFields, IncidentFields, PartyFields, SourceFields};
use crate::author::{AuthorReport, Written};
use crate::diagnostics::{Diagnostic, Diagnostics};

use super::print_diagnostics;

/// `sitrep new …`
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Create a stub for every party, source and incident that the content references
    /// but does not define.
    #[arg(long)]
    pub missing: bool,
    /// The site folder (with site.toml and content/).
    #[arg(long, default_value = ".", global = true)]
    pub root: PathBuf,
    #[command(subcommand)]
    pub what: Option<NewWhat>,
}

/// What `sitrep new` creates.
#[derive(Debug, Subcommand)]
pub enum NewWhat {
    /// An incident: content/incidents/ID.md.
    Incident {
        id: String,
        #[arg(long)]
        title: Option<String>,
        /// A date: 2025-03-11, 2025-03, Saturday, --02-02 or unknown.
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
        #[arg(long)]
        country: Option<String>,
        /// A source reporting it (repeat for several).
        #[arg(long = "source", value_name = "SOURCE")]
        sources: Vec<String>,
        /// Create it even if the id is close to an existing one.
        #[arg(long)]
        force: bool,
    },
    /// A source: content/sources/ID.yaml.
    Source {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        outlet: Option<String>,
        #[arg(long)]
        url: Option<String>,
        /// The saved text of the source, relative to the site root (e.g. archive/ID.txt).
        #[arg(long)]
        archive: Option<String>,
        /// Create it even if the id is close to an existing one.
        #[arg(long)]
        force: bool,
    },
    /// A party, appended to content/parties.yaml.
    Party {
        id: String,
        #[arg(long)]
        name: Option<String>,
        /// government, military, armed-group, independent, media or other.
        #[arg(long)]
        kind: Option<String>,
        /// Create it even if the id is close to an existing one.
        #[arg(long)]
        force: bool,
    },
    /// A figure, with its first claim if given: content/figures/ID.yaml.
    Figure {
        id: String,
        #[arg(long)]
        label: Option<String>,
        /// What is counted: people, homes … (default people).
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        definition: Option<String>,
        /// An incident the figure belongs to (repeat for several).
        #[arg(long = "incident", value_name = "INCIDENT")]
        incidents: Vec<String>,
        #[command(flatten)]
        claim: ClaimArgs,
        /// Create it even if the id is close to an existing one.
        #[arg(long)]
        force: bool,
    },
    /// A claim, appended to the figure's claims; the rest of its file is left as it is.
    ///
    /// The quote is checked against the source's archive at once: a quote that is not in
    /// it is refused (the build would reject it), showing where it differs.
    Claim {
        /// The figure's id.
        figure: String,
        #[command(flatten)]
        claim: ClaimArgs,
    },
}

/// The fields of a claim.
#[derive(Debug, Args)]
pub struct ClaimArgs {
    /// The id of the source the claim comes from.
    #[arg(long)]
    pub source: Option<String>,
    /// The number: N, or LOW-HIGH for a range.
    #[arg(long)]
    pub value: Option<String>,
    /// The source's wording: exact (default), at least, more than, over, nearly, about …
    #[arg(long)]
    pub qualifier: Option<String>,
    /// A short verbatim excerpt of the source, checked against its archive.
    #[arg(long)]
    pub quote: Option<String>,
    /// The party that stated it (may be left out when there is only one party).
    #[arg(long, value_name = "PARTY")]
    pub stated_by: Option<String>,
    /// When it was stated: 2025-03-11, Saturday, unknown …
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub stated_on: Option<String>,
    /// An id for the claim (needed to supersede it).
    #[arg(long = "id", value_name = "CLAIM_ID")]
    pub claim_id: Option<String>,
    /// The person who stated it.
    #[arg(long)]
    pub person: Option<String>,
    /// The person's role ("Interior Minister").
    #[arg(long)]
    pub role: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

impl ClaimArgs {
    fn input(self) -> ClaimInput {
        ClaimInput {
            source: self.source,
            value: self.value,
            qualifier: self.qualifier,
            quote: self.quote,
            stated_by: self.stated_by,
            stated_on: self.stated_on,
            id: self.claim_id,
            person: self.person,
            role: self.role,
            note: self.note,
        }
    }
}

/// Runs `sitrep new` and returns the process exit code.
pub fn run(args: NewArgs) -> i32 {
    let root = args.root;
    let result = match (args.missing, args.what) {
        (true, None) => missing(&root).map(|(report, problems)| {
            if report.written.is_empty() && problems.is_empty() {
                println!("sitrep: every referenced id is defined; nothing to create");
            }
            print_report(&root, &report);
            if problems.is_empty() {
                0
            } else {
                print_diagnostics(&problems);
                eprintln!(
                    "sitrep: {} reference(s) could not be stubbed",
                    problems.error_count()
                );
                1
            }
        }),
        (false, Some(what)) => run_one(&root, what).map(|report| {
            print_report(&root, &report);
            0
        }),
        (missing, _) => Err(usage(missing)),
    };
    result.unwrap_or_else(|diagnostics| {
        print_diagnostics(&diagnostics);
        eprintln!("sitrep: nothing was written");
        1
    })
}

fn usage(missing: bool) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(
        Diagnostic::error(
            "sitrep new",
            if missing {
                "--missing creates every missing item at once and takes no item kind"
            } else {
                "say what to create"
            },
        )
        .with_hint("sitrep new incident|source|party|figure ID, sitrep new claim FIGURE --source … --value … --quote \"…\", or sitrep new --missing"),
    );
    d
}

fn run_one(root: &Path, what: NewWhat) -> Result<AuthorReport, Diagnostics> {
    let (id, item, force) = match what {
        NewWhat::Claim { figure, claim } => return add_claim(root, &figure, &claim.input()),
        NewWhat::Incident {
            id,
            title,
            date,
            country,
            sources,
            force,
        } => (
            id,
            NewItem::Incident(IncidentFields {
                title,
                date,
                country,
                sources,
            }),
            force,
        ),
        NewWhat::Source {
            id,
            title,
            outlet,
            url,
            archive,
            force,
        } => (
            id,
            NewItem::Source(SourceFields {
                title,
                outlet,
                url,
                archive,
            }),
            force,
        ),
        NewWhat::Party {
            id,
            name,
            kind,
            force,
        } => (id, NewItem::Party(PartyFields { name, kind }), force),
        NewWhat::Figure {
            id,
            label,
            unit,
            definition,
            incidents,
            claim,
            force,
        } => {
            let fields = FigureFields {
                label,
                unit,
                definition,
                incidents,
            };
            (id, NewItem::Figure(fields, Box::new(claim.input())), force)
        }
    };
    create(root, &id, &item, force)
}

fn print_report(root: &Path, report: &AuthorReport) {
    for written in &report.written {
        let shown = Written {
            path: root.join(&written.path),
            action: written.action,
        };
        println!("{shown}");
    }
    for note in &report.notes {
        println!("  {note}");
    }
}
