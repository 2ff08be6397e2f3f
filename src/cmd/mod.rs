//! The command-line subcommands, one file each, and what they share: printing
//! diagnostics for a terminal.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;

use std::io::IsTerminal;

use crate::diagnostics::Diagnostics;

/// Prints every diagnostic to stderr, errors and warnings alike.
pub fn print_diagnostics(diagnostics: &Diagnostics) {
    let color = std::io::stderr().is_terminal();
    for diagnostic in diagnostics.iter() {
        eprintln!("{}\n", diagnostic.render(color));
    }
}

/// Says plainly which quotes were not checked against an archive (their source has none,
/// or it cannot be read), one claim a line.
pub fn print_unverified(unverified: &[String]) {
    if unverified.is_empty() {
        return;
    }
    eprintln!(
        "sitrep: {} quote{} not verified (the source has no readable archive):",
        unverified.len(),
        if unverified.len() == 1 {
            " is"
        } else {
            "s are"
        }
    );
    for line in unverified {
        eprintln!("  - {line}");
    }
}
