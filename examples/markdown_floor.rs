//! The Markdown floor: the least a static-site generator must do for a briefing's incident
//! pages. Reads every `content/incidents/*.md` of a site, drops the front matter, renders
//! the body with pulldown-cmark (sitrep's options) and writes it as one HTML file per
//! incident, in parallel (rayon), nothing else: no template, no model, no checks.
//! `bench/run` times it beside sitrep's build. A benchmark, not a test.
//!
//!   cargo run --release --example markdown_floor -- SITE OUT

use std::path::{Path, PathBuf};

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

/// The body of a Markdown file after its `---` front matter, if it has one.
fn body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}

fn render(file: &Path, out: &Path) -> std::io::Result<()> {
    let text = std::fs::read_to_string(file)?;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut page = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut page, Parser::new_ext(body(&text), options));
    let name = file.file_stem().unwrap_or_default().to_string_lossy();
    std::fs::write(out.join(format!("{name}.html")), page)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out] = &args[..] else {
        eprintln!("usage: markdown_floor SITE OUT");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).expect("output folder");
    let files: Vec<PathBuf> = std::fs::read_dir(Path::new(site).join("content/incidents"))
        .expect("content/incidents")
        .map(|entry| entry.expect("folder entry").path())
        .filter(|path| path.extension().is_some_and(|x| x == "md"))
        .collect();
    let written = files
        .par_iter()
        .map(|file| render(file, &out))
        .collect::<std::io::Result<Vec<()>>>();
    match written {
        Ok(pages) => eprintln!("markdown floor: {} pages", pages.len()),
        Err(err) => {
            eprintln!("markdown floor: {err}");
            std::process::exit(1);
        }
    }
}
