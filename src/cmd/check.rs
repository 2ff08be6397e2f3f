//! `sitrep check`: runs [`crate::pipeline::check::check`] and prints what it found.

use crate::pipeline::check::{CheckOptions, check, plural};

/// Runs `sitrep check` and returns the process exit code.
pub fn run(options: &CheckOptions) -> i32 {
    match check(options) {
        Ok(report) => {
            super::print_diagnostics(&report.diagnostics);
            super::print_unverified(&report.unverified);
            eprintln!("sitrep: {}", report.summary());
            i32::from(!report.passed())
        }
        Err(diagnostics) => {
            super::print_diagnostics(&diagnostics);
            eprintln!(
                "sitrep: check failed with {} error{} before the output could be checked",
                diagnostics.error_count(),
                plural(diagnostics.error_count())
            );
            1
        }
    }
}
