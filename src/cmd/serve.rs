//! `sitrep serve`: build, serve with live reload, rebuild on change; prints each rebuild.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::rebuild::{Changes, Outcome};
use crate::serve::{self, ServeOptions};

/// Options of `sitrep serve`, from the command line.
#[derive(Debug, Clone)]
pub struct ServeArgs {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub poll: bool,
    pub force: bool,
    pub strict: bool,
}

/// Runs `sitrep serve` until Ctrl-C and returns the process exit code.
pub fn run(args: &ServeArgs) -> i32 {
    if !args.bind.is_loopback() {
        eprintln!(
            "sitrep: warning: serving on {}, so other machines can see the site and its drafts; use --bind 127.0.0.1 to keep it local",
            args.bind
        );
    }
    let server = match serve::start(ServeOptions {
        root: args.root.clone(),
        out: args.out.clone(),
        bind: args.bind,
        port: args.port,
        poll: args.poll,
        force: args.force,
        strict: args.strict,
        on_build: Some(Arc::new(print_build)),
        limits: serve::ClientLimits::default(),
    }) {
        Ok(server) => server,
        Err(message) => {
            eprintln!("sitrep: error: {message}");
            return 1;
        }
    };
    let host = if args.bind.is_unspecified() {
        "localhost".to_string()
    } else {
        match server.addr().ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        }
    };
    let url = format!("http://{host}:{}/", server.addr().port());
    eprintln!(
        "sitrep: serving {} at {url} (watching for changes{}; Ctrl-C to stop)",
        server.out().display(),
        if args.poll { " by polling" } else { "" }
    );
    if args.open {
        open_browser(&url);
    }
    server.wait_for_ctrl_c();
    eprintln!("sitrep: stopped");
    server.stop();
    0
}

/// Prints one build: what changed, what was re-rendered and written, how long it took;
/// or every diagnostic when the site has errors.
fn print_build(changes: &Changes, outcome: &Outcome) {
    let ms = outcome.elapsed.as_secs_f64() * 1000.0;
    let what = if changes.everything {
        "built the site".to_string()
    } else {
        format!("{} changed", changes.describe())
    };
    match &outcome.result {
        Ok(update) => {
            super::print_diagnostics(&outcome.warnings);
            let rendered = if update.full {
                format!(
                    "re-rendered all {} pages ({})",
                    update.pages,
                    update.full_reason.unwrap_or("full build")
                )
            } else {
                format!(
                    "re-rendered {} page{}",
                    update.pages,
                    if update.pages == 1 { "" } else { "s" }
                )
            };
            let deleted = if update.deleted.is_empty() {
                String::new()
            } else {
                format!(", deleted {}", update.deleted.len())
            };
            eprintln!(
                "sitrep: {what}: {rendered}, wrote {} changed file{}{deleted} in {ms:.1} ms{}",
                update.written.len(),
                if update.written.len() == 1 { "" } else { "s" },
                match outcome.warnings.warning_count() {
                    0 => String::new(),
                    n => format!(" ({n} warning{})", if n == 1 { "" } else { "s" }),
                }
            );
        }
        Err(diagnostics) => {
            super::print_diagnostics(diagnostics);
            eprintln!(
                "sitrep: {what}: the site has {} error{}; still serving the last good build ({ms:.1} ms)",
                diagnostics.error_count(),
                if diagnostics.error_count() == 1 {
                    ""
                } else {
                    "s"
                }
            );
        }
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(err) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("sitrep: warning: cannot open a browser ({opener}: {err}); open {url} yourself");
    }
}
