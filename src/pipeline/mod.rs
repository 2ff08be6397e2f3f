//! The one pipeline driver: load → validate → analyse → plan → render → write.
//!
//! `sitrep build` runs [`build`], `sitrep check` runs [`prepare`] (and [`write_prepared`]
//! with `--build`) through [`check::check`], and `sitrep serve`'s rebuilds
//! (`crate::rebuild`) judge the output folder with the same [`check_place`]. The
//! subcommands in `src/cmd/` only parse arguments, call into here and print.

pub mod check;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::KeptText;
use crate::read::DEFAULT_MAX_FILE_SIZE;
use crate::render::{self, templates};
use crate::site::{self, Overrides, Site};
use crate::validate;
use crate::write::{self, place, place::OutputPlace};

/// Options of a build, from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `site.toml`'s `output` (relative to the root) when `None`.
    pub out: Option<PathBuf>,
    pub overrides: Overrides,
    /// `--force`: replace the output folder even if sitrep did not write it.
    pub force: bool,
    /// How much incident text [`build`] keeps in memory between loading and rendering.
    pub kept_text: KeptText,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub incidents: usize,
    pub figures: usize,
    pub sources: usize,
    pub quotes_verified: usize,
    pub quotes_total: usize,
    pub unarchived_sources: usize,
    /// The claims whose quote is unverified, one line each (see `validate::unverified_quotes`).
    pub unverified: Vec<String>,
    pub elapsed: Duration,
    /// Warnings (a build with errors returns `Err`).
    pub diagnostics: Diagnostics,
}

impl BuildReport {
    /// The closing summary line.
    pub fn summary(&self) -> String {
        let quotes = if self.quotes_total == 0 {
            "no quotes to verify".to_string()
        } else if self.unarchived_sources > 0 {
            format!(
                "{} of {} quotes verified ({} sources have no readable archive, so their quotes are unverified)",
                self.quotes_verified, self.quotes_total, self.unarchived_sources
            )
        } else {
            format!(
                "{} of {} quotes verified against archives",
                self.quotes_verified, self.quotes_total
            )
        };
        format!(
            "built {} pages ({} incidents, {} figures, {} sources; {} files) into {} in {:.2} s; {}; {} warning{}",
            self.pages,
            self.incidents,
            self.figures,
            self.sources,
            self.files,
            self.out.display(),
            self.elapsed.as_secs_f64(),
            quotes,
            self.diagnostics.warning_count(),
            if self.diagnostics.warning_count() == 1 {
                ""
            } else {
                "s"
            }
        )
    }
}

/// The output folder for a site: `--out`, or `site.toml`'s `output` under the root.
pub fn output_place(options: &BuildOptions, site: &Site) -> OutputPlace {
    OutputPlace {
        dir: match &options.out {
            Some(out) => out.clone(),
            None => options.root.join(&site.config.output),
        },
        from_config: options.out.is_none(),
        force: options.force,
    }
}

/// Whether sitrep may write the site's output into `out`: the folder holds none of the
/// site's inputs (content, templates, theme, archives) and, when `owned`, it is empty or
/// was written by sitrep (see [`place`]).
pub fn check_place(site: &Site, out: &OutputPlace, owned: bool) -> Result<(), Diagnostic> {
    let archives = site
        .briefing
        .sources
        .iter()
        .filter_map(|s| s.archive.as_deref());
    place::check_apart(&site.root, out, &place::inputs(&site.root, archives))?;
    if owned {
        place::check_owned(&site.root, out)?;
    }
    Ok(())
}

/// Everything a build has before it renders: the checked site, its templates and theme
/// files, where the output goes, and the warnings so far.
pub struct Prepared {
    pub site: Site,
    pub templates: templates::Templates,
    pub theme: Vec<(String, Vec<u8>)>,
    pub out: OutputPlace,
    pub diagnostics: Diagnostics,
}

/// Loads, checks and analyses the site and its templates, and checks the output folder:
/// every step of a build except rendering. `sitrep check` validates content through this
/// same function. Returns every diagnostic on any error.
pub fn prepare(options: &BuildOptions) -> Result<Prepared, Diagnostics> {
    prepare_with(options, site::load)
}

/// [`prepare`] with the site loaded by `load` ([`site::load`], or
/// [`site::load_for_build`] for a build that renders once).
fn prepare_with(
    options: &BuildOptions,
    load: impl FnOnce(&std::path::Path, &Overrides) -> (Option<Site>, Diagnostics),
) -> Result<Prepared, Diagnostics> {
    let root = &options.root;
    let (site, mut diagnostics) = load(root, &options.overrides);
    // The size limit of `site.toml`, also when the content has errors (and `site` is None).
    let max_size = match &site {
        Some(site) => site.config.max_file_size(),
        None => site::load_config(root, &options.overrides)
            .map_or(DEFAULT_MAX_FILE_SIZE, |c| c.max_file_size()),
    };
    let templates = templates::Templates::load(root, max_size, &mut diagnostics);
    let (Some(site), Some(templates)) = (site, templates) else {
        diagnostics.sort();
        return Err(diagnostics);
    };
    let theme = templates::theme_files(root, &site.config, &mut diagnostics);
    let out = output_place(options, &site);
    if let Err(d) = check_place(&site, &out, false) {
        diagnostics.push(d);
    }
    if options.overrides.strict {
        diagnostics.make_warnings_errors("--strict");
    } else if site.config.strict {
        diagnostics.make_warnings_errors("`strict = true` in site.toml");
    }
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    Ok(Prepared {
        site,
        templates,
        theme,
        out,
        diagnostics,
    })
}

/// Loads, checks, analyses and renders the site, then swaps the output in.
/// On any error the previous output is untouched and every diagnostic is returned.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    crate::timings::start();
    // Incident bodies beyond `kept_text` stay on disk, read again by their page and the
    // search index; nothing else after loading and checking reads the files' texts.
    let load = |root: &std::path::Path, overrides: &Overrides| {
        site::load_for_build(root, overrides, options.kept_text)
    };
    let mut prepared = prepare_with(options, load)?;
    prepared.site.release_for_render();
    crate::timings::lap("check and analyse");
    let report = write_prepared(&prepared, started);
    crate::release::drop_in_background(prepared);
    crate::timings::report("build");
    report
}

/// Renders a prepared site and swaps it into its output folder; `started` is when the
/// build began (for the summary).
pub fn write_prepared(prepared: &Prepared, started: Instant) -> Result<BuildReport, Diagnostics> {
    let Prepared {
        site,
        templates,
        theme,
        out,
        diagnostics,
    } = prepared;
    let mut diagnostics = diagnostics.clone();
    if let Err(d) = place::check_owned(&site.root, out) {
        diagnostics.push(d);
        diagnostics.sort();
        return Err(diagnostics);
    }
    let out = &out.dir;
    let jobs = render::pages(site);
    crate::timings::lap("plan");
    let rendered = write::build_atomically(
        out,
        |sink| render::render_all(site, templates, theme, &jobs, sink),
        |message| {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error(out.display().to_string(), message));
            d
        },
    );
    crate::timings::lap("render and write");
    let summary = match rendered {
        Ok(summary) => summary,
        Err(found) => {
            diagnostics.extend(found);
            diagnostics.sort();
            return Err(diagnostics);
        }
    };
    diagnostics.sort();
    Ok(BuildReport {
        out: out.clone(),
        pages: summary.pages,
        files: summary.files,
        incidents: site.briefing.incidents.len(),
        figures: site.briefing.figures.len(),
        sources: site.briefing.sources.len(),
        quotes_verified: site.validation.quotes_verified(),
        quotes_total: site.validation.quotes_total(),
        unarchived_sources: site.validation.archived.iter().filter(|a| !**a).count(),
        unverified: validate::unverified_quotes(&site.briefing, &site.validation),
        elapsed: started.elapsed(),
        diagnostics,
    })
}
