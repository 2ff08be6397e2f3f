//! The incremental rebuild engine (`sitrep::rebuild::Rebuilder`) driven directly, without
//! the HTTP server or a file watcher: random edits to every field of every kind of input
//! file (incidents, figures, sources, parties, pages, `site.toml`, templates, the theme's
//! CSS, archives), and adding, removing and renaming files; after every step the output
//! folder must be byte-identical to a clean `sitrep build` of the same files. An edit that
//! makes the site invalid must fail the rebuild and leave the output as it was; it is then
//! reverted, and the rebuild after the revert must match again.
//!
//! `SITREP_REBUILD_STEPS` (steps per seed, default 130) and `SITREP_REBUILD_SEEDS` (how
//! many extra seeds to run after the fixed ones, default 0) make longer local runs:
//! `SITREP_REBUILD_STEPS=2000 SITREP_REBUILD_SEEDS=8 cargo test --test rebuild_engine`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sitrep::pipeline::{BuildOptions, build};
use sitrep::rebuild::{Changes, Rebuilder};
use sitrep::site::Overrides;

/// A copy of the shipped briefing (see `common::BriefingCopy`).
use common::BriefingCopy as Site;

/// With `page_size`, listings and browse pages are split into pages of that many.
fn new_site(page_size: Option<usize>) -> Site {
    // Few URLs per sitemap file, so that with `base_url` (see `config_edit`) the
    // sitemap is an index of several files, which edits must keep right.
    let mut config = std::fs::read_to_string(common::repo_root().join("site.toml")).unwrap();
    config.push_str("\n[sitemap]\nurls_per_file = 20\n");
    if let Some(size) = page_size {
        config.push_str(&format!("\n[listings]\npage_size = {size}\n"));
    }
    Site::new("rebuild-engine", &config)
}

/// The shipped briefing with listings split into pages of 3 entries and incidents in
/// several months (see `common::spread_over_months`), so that edits move entries
/// between months and pages, and months come and go.
fn split_site() -> Site {
    let site = new_site(None);
    common::spread_over_months(&site.root, 3);
    site
}

/// A small deterministic random number generator (xorshift), so edit sequences repeat.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

/// One change to the site's files: the texts of files before it (`None`: did not exist),
/// so it can be reverted.
struct Edit {
    what: String,
    before: Vec<(String, Option<Vec<u8>>)>,
}

impl Edit {
    fn new(what: String) -> Edit {
        Edit {
            what,
            before: Vec::new(),
        }
    }

    fn remember(&mut self, site: &Site, rel: &str) {
        if !self.before.iter().any(|(p, _)| p == rel) {
            self.before
                .push((rel.to_string(), std::fs::read(site.path(rel)).ok()));
        }
    }

    fn write(&mut self, site: &Site, rel: &str, text: &str) {
        self.remember(site, rel);
        let path = site.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn remove(&mut self, site: &Site, rel: &str) {
        self.remember(site, rel);
        std::fs::remove_file(site.path(rel)).unwrap();
    }

    fn rename(&mut self, site: &Site, from: &str, to: &str) {
        self.remember(site, from);
        self.remember(site, to);
        std::fs::rename(site.path(from), site.path(to)).unwrap();
    }

    /// The paths touched, as the file watcher would report them.
    fn changes(&self, site: &Site) -> Changes {
        let mut changes = Changes::default();
        for (rel, _) in &self.before {
            if rel.starts_with("archive/") {
                changes.add_archive(&site.path(rel).canonicalize().unwrap());
            } else {
                changes.add(&site.root, &site.path(rel));
            }
        }
        changes
    }

    fn revert(&self, site: &Site) {
        for (rel, before) in &self.before {
            match before {
                Some(bytes) => std::fs::write(site.path(rel), bytes).unwrap(),
                None => {
                    let _ = std::fs::remove_file(site.path(rel));
                }
            }
        }
    }
}

/// The values of `key:` lines anywhere in the site's YAML and front matter (trimmed, as
/// written), so edits put values there that the site already uses.
fn values_of(site: &Site, key: &str) -> Vec<String> {
    let mut values: Vec<String> = site
        .files("content")
        .iter()
        .flat_map(|file| {
            site.read(file)
                .lines()
                .filter_map(|line| {
                    let line = line.trim_start().trim_start_matches("- ");
                    line.strip_prefix(key)?.strip_prefix(':').map(str::trim)
                })
                .filter(|v| !v.is_empty() && !v.starts_with(">-"))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    values.sort();
    values.dedup();
    values
}

/// Replaces the `nth` line whose key (after indentation and a list dash) is `key` with
/// the same key and `value`; `None` when there is no such line.
fn set_key(text: &str, key: &str, value: &str, nth: usize) -> Option<String> {
    let mut seen = 0;
    let mut out = String::new();
    let mut done = false;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        let dash = if body.starts_with("- ") { "- " } else { "" };
        let rest = &body[dash.len()..];
        if !done && rest.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
            if seen == nth {
                let indent = &line[..line.len() - body.len()];
                out.push_str(&format!("{indent}{dash}{key}: {value}\n"));
                done = true;
                continue;
            }
            seen += 1;
        }
        out.push_str(line);
    }
    done.then_some(out)
}

fn count_key(text: &str, key: &str) -> usize {
    text.lines()
        .map(|l| l.trim_start().trim_start_matches("- "))
        .filter(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
        .count()
}

/// Keys of each kind of content file that edits set to a value used elsewhere.
const INCIDENT_KEYS: &[&str] = &[
    "title",
    "on",
    "basis",
    "district",
    "province",
    "country",
    "category",
    "outcome",
    "updated",
    "coordinates",
];
const FIGURE_KEYS: &[&str] = &[
    "label",
    "unit",
    "window",
    "place",
    "incidents",
    "key",
    "sum_of",
    "within",
    "value",
    "qualifier",
    "source",
    "party",
    "on",
    "basis",
    "quote",
    "rank",
    "supersedes",
    "replaces",
    "updated",
    "low",
    "high",
];
const SOURCE_KEYS: &[&str] = &[
    "title", "outlet", "author", "on", "basis", "language", "kind",
];
const PARTY_KEYS: &[&str] = &["name", "kind", "party_to_conflict"];

/// Sets a random occurrence of a random key of `keys` in `file` to a value the site uses
/// for that key elsewhere, or to a fresh text.
fn edit_key(site: &Site, rng: &mut Rng, step: usize, files: &[String], keys: &[&str]) -> Edit {
    let file = &rng.pick(files);
    let key = rng.pick(keys);
    let text = site.read(file);
    let count = count_key(&text, key);
    let mut edit = Edit::new(format!("{file}: {key}"));
    if count == 0 {
        return edit;
    }
    let mut values = values_of(site, key);
    if matches!(
        key,
        "title" | "label" | "name" | "outlet" | "author" | "category"
    ) {
        values.push(format!("\"Step {step} text\""));
    }
    if values.is_empty() {
        return edit;
    }
    let value = rng.pick(&values);
    edit.what = format!("{file}: {key} #{} = {value}", count);
    if let Some(new) = set_key(&text, key, &value, rng.below(count)) {
        edit.write(site, file, &new);
    }
    edit
}

/// Adds a copy of a file of `folder` under a new name, removes one added earlier, or
/// renames or removes an existing one (usually an error: it is referenced, then reverted).
fn file_operation(site: &Site, rng: &mut Rng, step: usize, folder: &str) -> Edit {
    let files = site.files(folder);
    let file = rng.pick(&files);
    let ext = Path::new(&file)
        .extension()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let added: Vec<String> = files
        .iter()
        .filter(|f| f.contains("added-"))
        .cloned()
        .collect();
    let mut edit = Edit::new(String::new());
    match rng.below(4) {
        0 if !added.is_empty() => {
            let file = rng.pick(&added);
            edit.what = format!("remove {file}");
            edit.remove(site, &file);
        }
        0 | 1 => {
            let new = format!("{folder}/added-{step}.{ext}");
            edit.what = format!("copy {file} to {new}");
            let text = site.read(&file);
            let text = set_key(&text, "title", &format!("\"Added {step}\""), 0).unwrap_or(text);
            edit.write(site, &new, &text);
        }
        2 => {
            let new = format!("{folder}/renamed-{step}.{ext}");
            edit.what = format!("rename {file} to {new}");
            edit.rename(site, &file, &new);
        }
        _ => {
            edit.what = format!("remove {file}");
            edit.remove(site, &file);
        }
    }
    edit
}

/// Appends `addition` to a text file.
fn append(site: &Site, file: &str, addition: &str) -> Edit {
    let mut edit = Edit::new(format!("append to {file}"));
    let text = site.read(file);
    edit.write(site, file, &format!("{text}{addition}"));
    edit
}

/// One random edit, valid or not.
fn random_edit(site: &Site, rng: &mut Rng, step: usize) -> Edit {
    let incidents = site.files("content/incidents");
    let figures = site.files("content/figures");
    let sources = site.files("content/sources");
    match rng.below(24) {
        0..=2 => edit_key(site, rng, step, &incidents, INCIDENT_KEYS),
        3..=7 => edit_key(site, rng, step, &figures, FIGURE_KEYS),
        8 => edit_key(site, rng, step, &sources, SOURCE_KEYS),
        9 => edit_key(
            site,
            rng,
            step,
            &["content/parties.yaml".to_string()],
            PARTY_KEYS,
        ),
        10 => {
            let file = rng.pick(&incidents);
            let sentence = ["", " [@000_081c7ac4728af589]", " [@003_1dc21bb44045b34d]"];
            let sentence = format!("\nStep {step} adds a sentence{}.\n", rng.pick(&sentence));
            append(site, &file, &sentence)
        }
        11 => {
            let file = rng.pick(&["content/index.md", "content/methodology.md"]);
            append(site, file, &format!("\nStep {step} adds a paragraph.\n"))
        }
        12 => {
            let folder = rng.pick(&["content/incidents", "content/figures", "content/sources"]);
            file_operation(site, rng, step, folder)
        }
        13 => {
            let template = rng.pick(&site.files("templates"));
            append(site, &template, &format!("<!-- step {step} -->\n"))
        }
        14 => append(
            site,
            "themes/default/static/style.css",
            &format!("\n.step-{step} {{ color: red; }}\n"),
        ),
        15 => archive_edit(site, rng, step),
        16 => config_edit(site, rng, step),
        17 => quote_edit(site, rng, &figures),
        18 => publish_edit(site, rng, &sources),
        19 => {
            // Names another actor, or drops it (browse pages list incidents by actor).
            let file = rng.pick(&incidents);
            let text = site.read(&file);
            let extra = rng.pick(&["  - militants\n", "  - Step actor\n"]);
            let new = if text.contains(extra) {
                text.replacen(extra, "", 1)
            } else if text.contains("actors:\n") {
                text.replacen("actors:\n", &format!("actors:\n{extra}"), 1)
            } else {
                text.replacen("sources:\n", &format!("actors:\n{extra}sources:\n"), 1)
            };
            let mut edit = Edit::new(format!("{file}: actors {extra}"));
            edit.write(site, &file, &new);
            edit
        }
        20 => {
            // A calendar date, so the incident moves to a month's browse page.
            let file = rng.pick(&incidents);
            let text = site.read(&file);
            let date = rng.pick(&["2025-03-11", "2025-03", "2024-12-30", "Friday"]);
            let mut edit = Edit::new(format!("{file}: start {date}"));
            let new = set_key(&text, "start", date, 0).or_else(|| set_key(&text, "on", date, 0));
            if let Some(new) = new {
                edit.write(site, &file, &new);
            }
            edit
        }
        _ => {
            // Lists another source for an incident, or drops one.
            let file = rng.pick(&incidents);
            let text = site.read(&file);
            let extra = "  - 003_1dc21bb44045b34d\n";
            let new = if text.contains(extra) {
                text.replacen(extra, "", 1)
            } else {
                text.replacen("sources:\n", &format!("sources:\n{extra}"), 1)
            };
            let mut edit = Edit::new(format!("{file}: sources"));
            edit.write(site, &file, &new);
            edit
        }
    }
}

/// Adds a line to an archived text, or drops one (quotes in it no longer verify).
fn archive_edit(site: &Site, rng: &mut Rng, step: usize) -> Edit {
    let archive = rng.pick(&site.files("archive"));
    if rng.below(2) == 0 {
        return append(
            site,
            &archive,
            &format!("\nStep {step} adds an archived line.\n"),
        );
    }
    let text = site.read(&archive);
    let lines: Vec<&str> = text.lines().collect();
    let drop = rng.below(lines.len());
    let kept: String = (lines.iter().enumerate())
        .filter(|(n, _)| *n != drop)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let mut edit = Edit::new(format!("{archive}: drop line {drop}"));
    edit.write(site, &archive, &kept);
    edit
}

/// Shortens a quote by its first or last word: still in the archive, so still verified,
/// and now highlighted (and anchored) as a different passage of its source's archive page.
fn quote_edit(site: &Site, rng: &mut Rng, figures: &[String]) -> Edit {
    let file = rng.pick(figures);
    let text = site.read(&file);
    let quotes: Vec<&str> = (text.lines())
        .filter(|l| l.trim_start().starts_with("quote: \"") && l.ends_with('"'))
        .collect();
    let mut edit = Edit::new(format!("{file}: shorten a quote"));
    if quotes.is_empty() {
        return edit;
    }
    let line = rng.pick(&quotes);
    let (key, quote) = line.split_once('"').unwrap();
    let words: Vec<&str> = quote.trim_end_matches('"').split(' ').collect();
    if words.len() < 3 {
        return edit;
    }
    let kept = match rng.below(2) {
        0 => &words[1..],
        _ => &words[..words.len() - 1],
    };
    let new_line = format!("{key}\"{}\"", kept.join(" "));
    edit.what = format!("{file}: {new_line}");
    edit.write(site, &file, &text.replacen(line, &new_line, 1));
    edit
}

/// Stops or starts publishing a source's archived text (`publish_archive: false` in the
/// source file, overriding `site.toml`), or inserts words at the start of a line of an
/// archive: passages move, or a quote spanning lines no longer verifies.
fn publish_edit(site: &Site, rng: &mut Rng, sources: &[String]) -> Edit {
    if rng.below(2) == 0 {
        let archive = rng.pick(&site.files("archive"));
        let text = site.read(&archive);
        let lines: Vec<&str> = text.lines().collect();
        let at = rng.below(lines.len());
        let new: String = (lines.iter().enumerate())
            .map(|(n, l)| match n == at {
                true => format!("Inserted words. {l}\n"),
                false => format!("{l}\n"),
            })
            .collect();
        let mut edit = Edit::new(format!("{archive}: insert on line {at}"));
        edit.write(site, &archive, &new);
        return edit;
    }
    let file = rng.pick(sources);
    let text = site.read(&file);
    let off = "publish_archive: false\n";
    let new = match text.contains(off) {
        true => text.replacen(off, "", 1),
        false => format!("{text}{off}"),
    };
    let mut edit = Edit::new(format!("{file}: toggle publish_archive"));
    edit.write(site, &file, &new);
    edit
}

/// A change to `site.toml`: a setting pages show, the reporting rule, or the base URL
/// (sitemap and feed).
fn config_edit(site: &Site, rng: &mut Rng, step: usize) -> Edit {
    let text = site.read("site.toml");
    let mut edit = Edit::new("site.toml".into());
    let new = match rng.below(4) {
        0 => Some(text.replacen("title = \"", &format!("title = \"Step {step} "), 1)),
        3 if text.contains("publish_archive = true") => {
            Some(text.replace("publish_archive = true", "publish_archive = false"))
        }
        3 => Some(text.replace("publish_archive = false", "publish_archive = true")),
        1 if text.starts_with("base_url") => {
            Some(text.lines().skip(1).map(|l| format!("{l}\n")).collect())
        }
        1 => Some(format!(
            "base_url = \"https://example.org/b{step}/\"\n{text}"
        )),
        _ if text.contains("rule = \"latest\"") => {
            Some(text.replace("rule = \"latest\"", "rule = \"conservative\""))
        }
        _ => Some(text.replace("rule = \"conservative\"", "rule = \"latest\"")),
    };
    if let Some(new) = new {
        edit.what = format!("site.toml (step {step})");
        edit.write(site, "site.toml", &new);
    }
    edit
}

fn steps() -> usize {
    std::env::var("SITREP_REBUILD_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(130)
}

/// Runs `steps` random edits from `seed`, checking the engine after each.
fn run(seed: u64, steps: usize, page_size: Option<usize>) {
    run_on(new_site(page_size), seed, steps);
}

/// [`run`] on `site`.
fn run_on(site: Site, seed: u64, steps: usize) {
    let mut rebuilder = Rebuilder::new(&site.root, Some(&site.out), Overrides::default(), false);
    let first = rebuilder.rebuild(&Changes::everything());
    assert!(first.result.is_ok(), "{:?}", first.result);
    assert_eq!(common::snapshot(&site.out), site.clean_build().unwrap());
    let mut rng = Rng(seed);
    let mut history: Vec<String> = Vec::new();
    let mut valid = 0;
    let mut partial = 0;
    for step in 0..steps {
        let edit = random_edit(&site, &mut rng, step);
        history.push(edit.what.clone());
        let before = common::snapshot(&site.out);
        let outcome = rebuilder.rebuild(&edit.changes(&site));
        let expected = site.clean_build();
        let context = |history: &[String]| {
            format!(
                "seed {seed:#x}, after {:#?}",
                &history[history.len().saturating_sub(8)..]
            )
        };
        match (&outcome.result, expected) {
            (Ok(update), Some(expected)) => {
                assert_same(&common::snapshot(&site.out), &expected, &context(&history));
                valid += 1;
                partial += usize::from(!update.full);
                continue;
            }
            (Err(_), None) => {
                assert_same(&common::snapshot(&site.out), &before, &context(&history));
            }
            (result, expected) => panic!(
                "{}: the rebuild {} but a clean build {}",
                context(&history),
                if result.is_ok() {
                    "succeeded"
                } else {
                    "failed"
                },
                if expected.is_some() {
                    "succeeds"
                } else {
                    "fails"
                },
            ),
        }
        // The edit broke the site: revert it; the output must match again.
        edit.revert(&site);
        history.push(format!("revert {}", edit.what));
        let outcome = rebuilder.rebuild(&edit.changes(&site));
        assert!(
            outcome.result.is_ok(),
            "{}: {:?}",
            context(&history),
            outcome.result
        );
        let expected = site.clean_build().expect("the reverted site builds");
        assert_same(&common::snapshot(&site.out), &expected, &context(&history));
    }
    // Most edits keep the site valid: the sequence exercises incremental rebuilds.
    assert!(
        valid * 2 > steps,
        "only {valid} of {steps} edits were valid"
    );
    // Most valid edits re-render only the files that show what changed.
    assert!(
        partial * 2 > valid,
        "only {partial} of {valid} rebuilds were partial"
    );
    eprintln!("seed {seed:#x}: {valid} of {steps} edits valid, {partial} partial");
}

fn assert_same(
    served: &BTreeMap<PathBuf, Vec<u8>>,
    expected: &BTreeMap<PathBuf, Vec<u8>>,
    context: &str,
) {
    if served == expected {
        return;
    }
    let differing: Vec<_> = served
        .keys()
        .chain(expected.keys())
        .filter(|p| served.get(*p) != expected.get(*p))
        .take(10)
        .collect();
    panic!("{context}: the output differs from a clean build in {differing:#?}");
}

#[test]
fn random_edits_seed_1() {
    run(0x9E37_79B9_7F4A_7C15, steps(), None);
}

#[test]
fn random_edits_seed_2() {
    // Pages of 4: incidents.html is the month index, browse pages are paginated.
    run(0x2545_F491_4F6C_DD1D, steps(), Some(4));
}

#[test]
fn random_edits_seed_3() {
    run(0x94D0_49BB_1331_11EB, steps(), None);
}

#[test]
fn random_edits_seed_4() {
    run(0xBF58_476D_1CE4_E5B9, steps(), Some(3));
}

/// Split listings (timeline and checks by month, matrix, figure and source lists in pages
/// of 3): edits that move entries between months and pages, or add and remove months,
/// leave the output as a clean build writes it.
#[test]
fn random_edits_split_listings() {
    let site = split_site();
    let timeline = site.clean_build().unwrap();
    let months: Vec<_> = (timeline.keys())
        .filter(|p| p.starts_with("timeline") && p.parent() != Some(Path::new("")))
        .collect();
    assert!(
        months.len() >= 4,
        "the timeline is split by month: {months:?}"
    );
    run_on(site, 0x5851_F42D_4C95_7F2D, steps());
}

/// More seeds, for long local runs (`SITREP_REBUILD_SEEDS=N`).
#[test]
fn random_edits_extra_seeds() {
    let seeds: u64 = std::env::var("SITREP_REBUILD_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    for n in 0..seeds {
        run(
            0x1234_5678_9ABC_DEF1 ^ (n + 1).wrapping_mul(0x9E37_79B9),
            steps(),
            (n % 2 == 1).then_some(5),
        );
    }
}

/// Without `--out`, the output goes where `site.toml`'s `output` says: also when the first
/// `site.toml` could not be read, and when `output` changes while serving.
#[test]
fn the_output_follows_site_toml() {
    let site = new_site(None);
    let config = site.read("site.toml");
    assert!(config.contains("output = \"public\""), "{config}");
    let with_output = |output: &str| config.replace("output = \"public\"", output);
    let write_config = |text: &str| std::fs::write(site.path("site.toml"), text).unwrap();
    let mut changes = Changes::default();
    changes.add(&site.root, &site.path("site.toml"));

    // The first `site.toml` has an error: nothing is written anywhere.
    write_config(&with_output("output = \"dist\"\ntitle = ["));
    let mut rebuilder = Rebuilder::new(&site.root, None, Overrides::default(), false);
    assert!(rebuilder.rebuild(&Changes::everything()).result.is_err());
    // Fixed: the output goes to `dist`, not to the default folder.
    write_config(&with_output("output = \"dist\""));
    let outcome = rebuilder.rebuild(&changes);
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    assert!(!site.path("public").exists());
    assert_eq!(rebuilder.out(), site.path("dist"));
    assert_eq!(
        common::snapshot(&site.path("dist")),
        site.clean_build().unwrap()
    );
    // `output` changes while serving: the new folder gets the whole site, the old one is
    // left as it was.
    write_config(&with_output("output = \"dist2\""));
    let outcome = rebuilder.rebuild(&changes);
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    assert_eq!(rebuilder.out(), site.path("dist2"));
    assert_eq!(
        common::snapshot(&site.path("dist2")),
        site.clean_build().unwrap()
    );
    assert!(site.path("dist/index.html").is_file());
}

/// A figure that another lists in `sum_of` changes its unit: the whole now adds up counts
/// of different things, an error at the whole's file. The rebuild fails as a clean build
/// does, and leaves the output as it was; the fix rebuilds to a clean build's output.
#[test]
fn a_unit_edit_is_checked_against_the_figures_that_list_it() {
    let site = new_site(None);
    let part = "content/figures/civilians-killed.yaml";
    assert!(
        site.read("content/figures/non-militant-deaths.yaml")
            .contains("civilians-killed")
    );
    let mut rebuilder = Rebuilder::new(&site.root, Some(&site.out), Overrides::default(), false);
    assert!(rebuilder.rebuild(&Changes::everything()).result.is_ok());
    let before = common::snapshot(&site.out);
    let mut edit = Edit::new("unit".into());
    let text = site.read(part);
    edit.write(&site, part, &set_key(&text, "unit", "hideouts", 0).unwrap());
    assert!(site.clean_build().is_none(), "the clean build fails");
    let outcome = rebuilder.rebuild(&edit.changes(&site));
    let errors = outcome.result.expect_err("the rebuild fails too");
    assert!(
        errors
            .iter()
            .any(|d| d.is_error() && d.file.ends_with("non-militant-deaths.yaml")),
        "{errors:#?}"
    );
    assert_eq!(common::snapshot(&site.out), before);
    edit.revert(&site);
    assert!(rebuilder.rebuild(&edit.changes(&site)).result.is_ok());
    assert_eq!(common::snapshot(&site.out), site.clean_build().unwrap());
}

/// An opted-in source's archive page follows its claims' quotes and its archived text:
/// a shortened quote (the fast path) and an edited archive (the full path) each re-render
/// it, and only what shows them, to a clean build's bytes.
#[test]
fn archive_pages_follow_their_quotes_and_texts() {
    let site = new_site(None);
    let mut rebuilder = Rebuilder::new(&site.root, Some(&site.out), Overrides::default(), false);
    assert!(rebuilder.rebuild(&Changes::everything()).result.is_ok());
    let page = "archive/000_081c7ac4728af589.html";
    let figure = "content/figures/total-deaths.yaml";
    let quote =
        "According to official military statements, the violence has claimed over 120 lives";
    assert!(site.read(figure).contains(quote));
    // 1. A quote shortened (still verified): a new passage, fast path.
    let mut edit = Edit::new("shorten".into());
    let text = site.read(figure);
    edit.write(
        &site,
        figure,
        &text.replacen(quote, "the violence has claimed over 120 lives", 1),
    );
    let before = common::snapshot(&site.out);
    let outcome = rebuilder.rebuild(&edit.changes(&site));
    let update = outcome.result.expect("the shortened quote verifies");
    assert!(!update.full, "a quote edit takes the fast path");
    let after = common::snapshot(&site.out);
    assert_same(&after, &site.clean_build().unwrap(), "shortened quote");
    assert_ne!(before.get(Path::new(page)), after.get(Path::new(page)));
    // Pages of other sources are not re-rendered.
    assert_eq!(
        before.get(Path::new("archive/003_1dc21bb44045b34d.html")),
        after.get(Path::new("archive/003_1dc21bb44045b34d.html"))
    );
    // 2. The archived text edited where nothing is quoted.
    let mut edit = Edit::new("archive".into());
    let archive = "archive/000_081c7ac4728af589.txt";
    edit.write(
        &site,
        archive,
        &format!("An added first line.\n{}", site.read(archive)),
    );
    let outcome = rebuilder.rebuild(&edit.changes(&site));
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    let again = common::snapshot(&site.out);
    assert_same(&again, &site.clean_build().unwrap(), "archive edit");
    assert!(String::from_utf8_lossy(&again[Path::new(page)]).contains("An added first line."));
    // 3. The source stops being published: its page goes, the claims stop linking to it.
    let mut edit = Edit::new("unpublish".into());
    let source = "content/sources/000_081c7ac4728af589.yaml";
    edit.write(
        &site,
        source,
        &format!("{}publish_archive: false\n", site.read(source)),
    );
    assert!(rebuilder.rebuild(&edit.changes(&site)).result.is_ok());
    let last = common::snapshot(&site.out);
    assert_same(&last, &site.clean_build().unwrap(), "unpublished");
    assert!(!last.contains_key(Path::new(page)));
}

/// Per-item checks are the same on the fast path as in a full build: an incident edit
/// that puts its coordinates off the globe is an error (the rebuild fails as a clean
/// build does, the output left as it was), and one that cites a source missing from its
/// `sources` list is a warning the rebuild reports as a clean build does.
#[test]
fn incident_edits_are_checked_as_a_build_checks_them() {
    let site = new_site(None);
    let file = "content/incidents/dalbandin-government-offices-attack.md";
    let text = site.read(file);
    assert!(text.contains("coordinates: [28.89, 64.41]"));
    let mut rebuilder = Rebuilder::new(&site.root, Some(&site.out), Overrides::default(), false);
    assert!(rebuilder.rebuild(&Changes::everything()).result.is_ok());
    let before = common::snapshot(&site.out);

    let mut edit = Edit::new("coordinates".into());
    let off_globe = text.replace(
        "coordinates: [28.89, 64.41]",
        "coordinates: [128.89, 64.41]",
    );
    edit.write(&site, file, &off_globe);
    assert!(site.clean_build().is_none(), "the clean build fails");
    let outcome = rebuilder.rebuild(&edit.changes(&site));
    let errors = outcome.result.expect_err("the rebuild fails too");
    assert!(
        errors
            .iter()
            .any(|d| d.is_error() && d.message.contains("latitude 128.89")),
        "{errors:#?}"
    );
    assert_eq!(common::snapshot(&site.out), before);
    edit.revert(&site);
    assert!(rebuilder.rebuild(&edit.changes(&site)).result.is_ok());

    // 003_… is a source of the briefing that this incident does not list.
    assert!(!text.contains("003_1dc21bb44045b34d"));
    let mut edit = Edit::new("citation".into());
    let cited = format!("{text}\nAlso reported elsewhere [@003_1dc21bb44045b34d].\n");
    edit.write(&site, file, &cited);
    let clean = build(&BuildOptions {
        root: site.root.clone(),
        out: Some(site.clean.clone()),
        ..BuildOptions::default()
    })
    .expect("the clean build succeeds");
    let expected: Vec<String> = (clean.diagnostics.iter())
        .filter(|d| d.file.ends_with("dalbandin-government-offices-attack.md"))
        .map(|d| d.message.clone())
        .collect();
    assert!(!expected.is_empty(), "a clean build warns");
    let outcome = rebuilder.rebuild(&edit.changes(&site));
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    let served: Vec<String> = (outcome.warnings.iter())
        .filter(|d| d.file.ends_with("dalbandin-government-offices-attack.md"))
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(served, expected);
    assert_eq!(common::snapshot(&site.out), common::snapshot(&site.clean));
}

/// `--strict` makes warnings errors in `serve` as in `build`: a claim edit (which takes
/// the fast path) that makes a sum check fail is a warning without `--strict` and fails
/// the rebuild with it, leaving the output as it was; the fix rebuilds to a clean build's
/// output.
#[test]
fn strict_rebuilds_fail_on_warnings() {
    let site = new_site(None);
    let part = "content/figures/civilians-killed.yaml";
    let good = site.read(part);
    let strict = Overrides {
        strict: true,
        ..Overrides::default()
    };
    let mut rebuilder = Rebuilder::new(&site.root, Some(&site.out), strict.clone(), false);
    let first = rebuilder.rebuild(&Changes::everything());
    assert!(first.result.is_ok(), "{:?}", first.result);
    let before = common::snapshot(&site.out);

    let mut edit = Edit::new("values".into());
    let larger = (good.replace("value: 18", "value: 1800")).replace("value: 31", "value: 3100");
    edit.write(&site, part, &larger);
    let report = build(&BuildOptions {
        root: site.root.clone(),
        out: Some(site.clean.clone()),
        ..BuildOptions::default()
    })
    .expect("without --strict the site builds");
    let warning = (report.diagnostics.iter())
        .find(|d| d.message.contains("does not add up") || d.message.contains("add up"))
        .unwrap_or_else(|| panic!("a failed sum check: {:#?}", report.diagnostics))
        .message
        .clone();
    let outcome = rebuilder.rebuild(&edit.changes(&site));
    let errors = outcome.result.expect_err("with --strict the rebuild fails");
    let error = (errors.iter())
        .find(|d| d.message == warning)
        .unwrap_or_else(|| panic!("{warning} among {errors:#?}"));
    assert!(error.is_error());
    assert!(
        error.hint.as_deref().unwrap_or("").contains("--strict"),
        "{error:?}"
    );
    assert_eq!(common::snapshot(&site.out), before);

    edit.revert(&site);
    let outcome = rebuilder.rebuild(&edit.changes(&site));
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    assert_eq!(common::snapshot(&site.out), site.clean_build().unwrap());
}

/// The warnings of every rebuild are a clean build's: a failed sum check appears, changes
/// with a further edit of the same file and goes away with the revert (the fast path
/// finds failed checks again; other warnings of an edited file take the full path).
#[test]
fn failed_check_warnings_follow_edits() {
    let site = new_site(None);
    let part = "content/figures/civilians-killed.yaml";
    let good = site.read(part);
    let mut rebuilder = Rebuilder::new(&site.root, Some(&site.out), Overrides::default(), false);
    assert!(rebuilder.rebuild(&Changes::everything()).result.is_ok());
    let warnings_of_clean_build = || {
        let report = build(&BuildOptions {
            root: site.root.clone(),
            out: Some(site.clean.clone()),
            ..BuildOptions::default()
        })
        .expect("the site builds");
        let mut messages: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
        messages.sort();
        messages
    };
    let mut edit = Edit::new("values".into());
    for text in [
        good.replace("value: 18", "value: 1800"),
        good.replace("value: 18", "value: 1900"),
        good.clone(),
    ] {
        edit.write(&site, part, &text);
        let outcome = rebuilder.rebuild(&edit.changes(&site));
        assert!(outcome.result.is_ok(), "{:?}", outcome.result);
        let mut served: Vec<String> = outcome.warnings.iter().map(|d| d.to_string()).collect();
        served.sort();
        let expected = warnings_of_clean_build();
        assert_eq!(served, expected);
        assert_eq!(common::snapshot(&site.out), common::snapshot(&site.clean));
        if text != good {
            assert!(
                served
                    .iter()
                    .any(|w| w.contains("consistency check failed"))
            );
        }
    }
}
