//! The `sitrep` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use sitrep::cmd;
use sitrep::pipeline::BuildOptions;
use sitrep::site::Overrides;

/// mimalloc: a build makes and frees many small values on every thread, which it serves
/// faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build evidence-tracked briefing sites from Markdown summaries and a YAML fact table.
#[derive(Parser)]
#[command(name = "sitrep", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a starter briefing (an invented river flood) into a new or empty folder.
    ///
    /// Never prompts and never overwrites: a folder with anything in it but hidden files
    /// is refused, listing the files that would be replaced, unless --force.
    Init {
        /// The folder to create the site in.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The site's title.
        #[arg(long)]
        title: Option<String>,
        /// The site's language (e.g. en, fr).
        #[arg(long)]
        language: Option<String>,
        /// Write into a non-empty folder, replacing the starter site's files there.
        #[arg(long)]
        force: bool,
    },
    /// Create a content stub (incident, source, party, figure), append a claim to a
    /// figure, or stub every id the content references but does not define (--missing).
    New(Box<cmd::new::NewArgs>),
    /// Build the site into its output folder (site.toml's `output`, default `public`).
    Build {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Validate the content as `build` does, then check the built output: every internal
    /// link, #fragment and asset must resolve, and the output must be up to date.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Build the site first, then check it (otherwise the existing output is checked).
        #[arg(long)]
        build: bool,
        /// Also fetch external http(s) links (offline by default).
        #[arg(long)]
        external: bool,
        /// Seconds to wait for one external link.
        #[arg(long, value_name = "SECONDS", default_value_t = 10)]
        timeout: u64,
    },
    /// Build the site, serve it on a local web server and rebuild it as you edit.
    ///
    /// Watches content/, templates/, themes/ and site.toml. After each change only the
    /// affected pages are re-rendered and open pages reload once the new files are in place
    /// (a CSS-only change swaps the stylesheet without reloading). While the site has
    /// errors, the last good build stays served and every page shows them in an overlay.
    /// The output folder always holds exactly what `sitrep build` would write: the reload
    /// script is added to pages as they are served, never written to the files.
    Serve {
        /// The site folder (with site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write the site here instead of site.toml's `output`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Anything but a loopback address makes the site
        /// reachable from other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using the system's file events (for network and
        /// container file systems that do not report changes).
        #[arg(long)]
        poll: bool,
        /// Write into the output folder even if sitrep did not write it (it has no
        /// `.sitrep-output` file): everything in it is deleted.
        #[arg(long)]
        force: bool,
        /// Treat every warning as an error, as `sitrep build --strict` does (`strict = true`
        /// in site.toml does the same): the last good build stays served and the warnings
        /// are shown in the overlay as errors.
        #[arg(long)]
        strict: bool,
    },
}

/// Where the site and its output are: the same for every subcommand.
#[derive(Args)]
struct SiteArgs {
    /// The site folder (with site.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The output folder, instead of site.toml's `output`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The absolute URL the site is published at (for canonical links, sitemap, feed).
    #[arg(long)]
    base_url: Option<String>,
    /// Replace the output folder even if sitrep did not write it (it has no
    /// `.sitrep-output` file): everything in it is deleted.
    #[arg(long)]
    force: bool,
    /// Treat every warning as an error (for CI); `strict = true` in site.toml does the same.
    #[arg(long)]
    strict: bool,
}

impl SiteArgs {
    fn options(self) -> BuildOptions {
        BuildOptions {
            root: self.root,
            out: self.out,
            overrides: Overrides {
                base_url: self.base_url,
                strict: self.strict,
            },
            force: self.force,
            ..BuildOptions::default()
        }
    }
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Init {
            dir,
            title,
            language,
            force,
        } => cmd::init::run(&sitrep::author::init::InitOptions {
            dir,
            title,
            language,
            force,
        }),
        Command::New(args) => cmd::new::run(*args),
        Command::Build { site } => cmd::build::run(&site.options()),
        Command::Check {
            site,
            build,
            external,
            timeout,
        } => cmd::check::run(&sitrep::pipeline::check::CheckOptions {
            site: site.options(),
            build_first: build,
            external,
            timeout: Some(Duration::from_secs(timeout)),
        }),
        Command::Serve {
            root,
            out,
            port,
            bind,
            open,
            poll,
            force,
            strict,
        } => cmd::serve::run(&cmd::serve::ServeArgs {
            root,
            out,
            bind,
            port,
            open,
            poll,
            force,
            strict,
        }),
    };
    std::process::exit(code);
}
