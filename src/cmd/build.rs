//! `sitrep build`: runs the library's pipeline ([`crate::pipeline::build`]) and prints the result.

use crate::pipeline::{self, BuildOptions};

/// Runs `sitrep build` and returns the process exit code.
pub fn run(options: &BuildOptions) -> i32 {
    match pipeline::build(options) {
        Ok(report) => {
            super::print_diagnostics(&report.diagnostics);
            super::print_unverified(&report.unverified);
            eprintln!("sitrep: {}", report.summary());
            0
        }
        Err(diagnostics) => {
            super::print_diagnostics(&diagnostics);
            eprintln!(
                "sitrep: build failed with {} error{} and {} warning{}; the previous output was left untouched",
                diagnostics.error_count(),
                if diagnostics.error_count() == 1 {
                    ""
                } else {
                    "s"
                },
                diagnostics.warning_count(),
                if diagnostics.warning_count() == 1 {
                    ""
                } else {
                    "s"
                },
            );
            1
        }
    }
}
