//! The `sitrep` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use sitrep::cmd;
use sitrep::cmd::build::BuildOptions;
use sitrep::site::Overrides;

/// Build evidence-tracked briefing sites from Markdown summaries and a YAML fact table.
#[derive(Parser)]
#[command(name = "sitrep", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
        }
    }
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build { site } => cmd::build::run(&site.options()),
        Command::Check {
            site,
            build,
            external,
            timeout,
        } => cmd::check::run(&cmd::check::CheckOptions {
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
        } => cmd::serve::run(&cmd::serve::ServeArgs {
            root,
            out,
            bind,
            port,
            open,
            poll,
        }),
    };
    std::process::exit(code);
}
