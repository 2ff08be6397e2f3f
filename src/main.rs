//! The `sitrep` command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use sitrep::cmd;
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
        /// The site folder (with site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write the site here instead of site.toml's `output`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The absolute URL the site is published at (for canonical links, sitemap, feed).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Validate the content as `build` does, then check the built output: every internal
    /// link, #fragment and asset must resolve, and the output must be up to date.
    Check {
        /// The site folder (with site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check this output folder instead of site.toml's `output`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The absolute URL the site is published at, as given to `build`.
        #[arg(long)]
        base_url: Option<String>,
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
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build {
            root,
            out,
            base_url,
        } => cmd::build::run(&cmd::build::BuildOptions {
            root,
            out,
            overrides: Overrides { base_url },
        }),
        Command::Check {
            root,
            out,
            base_url,
            build,
            external,
            timeout,
        } => cmd::check::run(&cmd::check::CheckOptions {
            site: cmd::build::BuildOptions {
                root,
                out,
                overrides: Overrides { base_url },
            },
            build_first: build,
            external,
            timeout: Some(std::time::Duration::from_secs(timeout)),
        }),
    };
    std::process::exit(code);
}
