//! What `sitrep check` does: prove a built site is ready to publish.
//!
//! 1. The content and templates are validated exactly as `build` does it
//!    ([`build::prepare`]), so every content error and warning shows up here too.
//! 2. The existing output folder is checked, or (with `--build`) the site is built first.
//!    A missing folder is an error with a hint to build. The site is rendered in memory and
//!    compared with the folder: a file that differs from what the content builds to now
//!    means the output is out of date (or was built with another `--base-url`).
//! 3. Every link, `#fragment` and asset in the folder is resolved ([`linkcheck`]); external
//!    URLs only with `--external`.
//!
//! Each problem is an error naming the output file (with line and column for links); any
//! error makes the exit code 1.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::linkcheck::{self, Failure};
use crate::render::{self, OutputSink};
use crate::validate;
use crate::write::DirSink;

use super::{self as build, BuildOptions, Prepared};

/// Options of a check, from the command line.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Where the site is and where its output is, as for `build`.
    pub site: BuildOptions,
    /// Build the site first instead of checking the existing output.
    pub build_first: bool,
    /// Fetch external links too.
    pub external: bool,
    /// Timeout of one external request.
    pub timeout: Option<Duration>,
}

/// What a check found. Problems are errors in `diagnostics`.
#[derive(Debug)]
pub struct CheckReport {
    pub out: PathBuf,
    pub links: linkcheck::LinkReport,
    /// Output files that differ from what the content builds to now.
    pub out_of_date: Vec<String>,
    /// The claims whose quote is unverified (no readable archive), one line each.
    pub unverified: Vec<String>,
    pub elapsed: Duration,
    pub diagnostics: Diagnostics,
}

impl CheckReport {
    pub fn passed(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    /// The closing summary line.
    pub fn summary(&self) -> String {
        let links = &self.links;
        let external = if links.external_fetched > 0 {
            format!("{} external URLs fetched", links.external_fetched)
        } else if links.external_seen > 0 {
            format!(
                "{} external URLs not fetched (use --external)",
                links.external_seen
            )
        } else {
            "no external URLs".to_string()
        };
        let verdict = match (links.failures.len(), self.out_of_date.len()) {
            (0, 0) => "no problems".to_string(),
            (broken, 0) => format!("{broken} broken link{}", plural(broken)),
            (0, stale) => format!("{stale} out-of-date file{}", plural(stale)),
            (broken, stale) => format!(
                "{broken} broken link{} and {stale} out-of-date file{}",
                plural(broken),
                plural(stale)
            ),
        };
        format!(
            "checked {} pages in {} ({} internal links, anchors and assets; {external}) in {:.2} s: {verdict}",
            links.pages,
            self.out.display(),
            links.internal,
            self.elapsed.as_secs_f64(),
        )
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Validates the content, then checks the output folder. `Err` when the content or the
/// output folder cannot be checked at all; otherwise problems are errors in the report.
pub fn check(options: &CheckOptions) -> Result<CheckReport, Diagnostics> {
    let started = Instant::now();
    let prepared = build::prepare(&options.site)?;
    let mut diagnostics = prepared.diagnostics.clone();
    let out = prepared.out.dir.clone();
    let fail = |mut diagnostics: Diagnostics, d: Diagnostic| {
        diagnostics.push(d);
        diagnostics.sort();
        Err(diagnostics)
    };
    if options.build_first {
        build::write_prepared(&prepared, started)?;
    } else if !out.is_dir() {
        return fail(
            diagnostics,
            Diagnostic::error(out.display().to_string(), "there is no built site to check")
                .with_hint("run `sitrep build` first (with the same --out and --base-url), or `sitrep check --build`"),
        );
    }
    let out_of_date = match out_of_date(&prepared) {
        Ok(files) => files,
        Err(found) => {
            diagnostics.extend(found);
            diagnostics.sort();
            return Err(diagnostics);
        }
    };
    for file in out_of_date.iter().take(MAX_LISTED) {
        diagnostics.push(
            Diagnostic::error(
                out.join(file),
                "out of date: differs from what the content builds to now",
            )
            .with_hint(
                "run `sitrep build` again (with the same --out and --base-url as this check)",
            ),
        );
    }
    if out_of_date.len() > MAX_LISTED {
        diagnostics.push(Diagnostic::error(
            out.display().to_string(),
            format!(
                "and {} more out-of-date files",
                out_of_date.len() - MAX_LISTED
            ),
        ));
    }
    let limits = linkcheck::external::FetchLimits {
        timeout: options
            .timeout
            .unwrap_or(linkcheck::external::FetchLimits::default().timeout),
        ..Default::default()
    };
    let link_options = linkcheck::Options {
        base_url: prepared.site.config.base_url.clone(),
        external: options.external,
        fetch: limits,
    };
    let links = match linkcheck::check_folder(&out, &link_options) {
        Ok(report) => report,
        Err(err) => {
            return fail(
                diagnostics,
                Diagnostic::error(
                    out.display().to_string(),
                    format!("cannot read the output folder: {err}"),
                ),
            );
        }
    };
    diagnostics.extend(link_diagnostics(&out, &links.failures));
    Ok(CheckReport {
        out,
        links,
        out_of_date,
        unverified: validate::unverified_quotes(&prepared.site.briefing, &prepared.site.validation),
        elapsed: started.elapsed(),
        diagnostics,
    })
}

/// Out-of-date files listed one by one; the rest are counted.
const MAX_LISTED: usize = 20;

/// Renders the site in memory and lists the output files that differ from it (or are
/// missing), sorted. Template errors are returned as diagnostics, as `build` reports them.
fn out_of_date(prepared: &Prepared) -> Result<Vec<String>, Diagnostics> {
    let sink = CompareSink {
        dir: DirSink::new(&prepared.out.dir),
        differing: Mutex::new(Vec::new()),
    };
    let jobs = render::pages(&prepared.site);
    render::render_all(
        &prepared.site,
        &prepared.templates,
        &prepared.theme,
        &jobs,
        &sink,
    )?;
    let mut files = sink
        .differing
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    files.sort();
    Ok(files)
}

/// An output sink that writes nothing: it notes each file whose bytes differ on disk.
struct CompareSink {
    dir: DirSink,
    differing: Mutex<Vec<String>>,
}

impl OutputSink for CompareSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_parts(path, &[bytes])
    }

    fn write_parts(&self, path: &str, parts: &[&[u8]]) -> io::Result<()> {
        if !self.dir.holds(path, parts) {
            self.differing
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(path.to_string());
        }
        Ok(())
    }
}

/// One error per broken link, located at the link's first occurrence in its file.
fn link_diagnostics(out: &Path, failures: &[Failure]) -> Vec<Diagnostic> {
    let mut texts: Option<(&str, String)> = None;
    failures
        .iter()
        .map(|failure| {
            if texts.as_ref().is_none_or(|(page, _)| *page != failure.page) {
                let text = std::fs::read(out.join(&failure.page))
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                texts = Some((&failure.page, text));
            }
            let text = texts.as_ref().map_or("", |(_, t)| t.as_str());
            let diagnostic = Diagnostic::error(
                out.join(&failure.page),
                format!("broken link `{}`: {}", failure.link, failure.reason),
            );
            match text
                .find(&failure.link)
                .filter(|_| !failure.link.is_empty())
            {
                Some(offset) => diagnostic
                    .at_offset(text, offset)
                    .with_span_len(failure.link.chars().count()),
                None => diagnostic,
            }
        })
        .collect()
}
