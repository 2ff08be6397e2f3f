//! sitrep: a static-site generator for evidence-tracked briefings.
//!
//! The pipeline, one module per stage: [`config`] → [`load`] (files into the [`model`]) →
//! [`markdown`] (bodies, citations) → [`validate`] → [`analyse`] → [`render`] → [`write`].
//! [`site`] runs the stages up to rendering; [`cmd`] holds one file per subcommand. Every
//! input file is listed and read through [`read`] (regular files, size limit, UTF-8).
//! `sitrep serve` adds [`serve`] (HTTP, live reload, watching) and [`rebuild`] (incremental
//! rebuilds); `sitrep check` adds [`linkcheck`] (every link of a built site resolves).
//! [`facets`] states what an incident's facet values are (search and browse pages).
//! [`escape`] makes text from content safe for every HTML and XML file the site has;
//! [`digits`] writes numbers without `format!`.
//! `sitrep init` and `sitrep new` write content through [`author`].

// Diagnostics travel in `Err` on cold paths only; boxing them would add noise, not speed.
#![allow(clippy::result_large_err)]

pub mod analyse;
pub mod archive;
pub mod author;
pub mod cmd;
pub mod config;
pub mod dates;
pub mod diagnostics;
pub mod digits;
pub mod escape;
pub mod facets;
pub mod linkcheck;
pub mod load;
pub mod markdown;
pub mod model;
pub mod pipeline;
pub mod read;
pub mod rebuild;
pub mod release;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod timings;
pub mod validate;
pub mod vocabulary;
pub mod write;
pub mod yaml;
