//! `sitrep init`: write a starter briefing into a new or empty folder (see
//! [`crate::author::init`]), then print what was written and what to do next.

use crate::author::init::{InitOptions, init};

use super::print_diagnostics;

/// Runs `sitrep init` and returns the process exit code.
pub fn run(options: &InitOptions) -> i32 {
    match init(options) {
        Ok(report) => {
            for written in &report.written {
                println!("{}", written_line(&options.dir, written));
            }
            println!(
                "\nsitrep: wrote a starter briefing (an invented river flood) into {}. Next:",
                options.dir.display()
            );
            for note in &report.notes {
                println!("  {note}");
            }
            0
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            eprintln!("sitrep: init failed; nothing was written");
            1
        }
    }
}

fn written_line(dir: &std::path::Path, written: &crate::author::Written) -> String {
    crate::author::Written {
        path: dir.join(&written.path),
        action: written.action,
    }
    .to_string()
}
