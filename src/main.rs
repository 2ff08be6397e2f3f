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
    };
    std::process::exit(code);
}
