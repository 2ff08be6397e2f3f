//! Generates a large, valid, deterministic sitrep briefing for the benchmark (`bench/run`),
//! and optionally the equivalent plain Hugo site.
//!
//! ```text
//! cargo run --release --example gen_briefing -- \
//!     --incidents 10000 --figures 2000 --claims 5 --sources 500 --seed 1 \
//!     [--hugo HUGO_OUT] OUT
//! ```
//!
//! The briefing exercises every stage at scale: ~600-word incident summaries of varied
//! Markdown with `[@…]` citations; figures with 3–8 claims (around `--claims`) using every
//! qualifier, ranks, supersessions, dates of every form, `sum_of` and `within` relations and
//! scope incidents; sources with archived texts of a few KB that contain every quote
//! attributed to them, so quote verification passes. The Hugo site has one page per
//! incident, figure and source page of the briefing, with the same Markdown bodies
//! (citations left as text) and a minimal layout of the same shape: title, body, links.
//! sitrep's browse pages, month pages of the timeline and the checks, and matrix pages are
//! Hugo taxonomies (a term per facet value, month or matrix page), paginated as sitrep
//! paginates, so both write about as many pages (see bench/README.md).
//!
//! The same options and seed always produce the same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Parser;

/// Command-line options.
#[derive(Parser, Debug)]
#[command(about = "Generate a large deterministic sitrep briefing (and its Hugo equivalent)")]
struct Options {
    /// Number of incidents.
    #[arg(long, default_value_t = 1000)]
    incidents: usize,
    /// Number of figures.
    #[arg(long, default_value_t = 200)]
    figures: usize,
    /// Typical number of claims per figure (each figure gets 3–8 around it).
    #[arg(long, default_value_t = 5)]
    claims: usize,
    /// Number of sources.
    #[arg(long, default_value_t = 50)]
    sources: usize,
    /// Seed of the pseudo-random generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also write the equivalent Hugo site here.
    #[arg(long)]
    hugo: Option<PathBuf>,
    /// Folder of the sitrep site to write (created; must not exist or be empty).
    out: PathBuf,
}

/// SplitMix64: a small, fast, seeded generator, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `count` distinct numbers in `0..n`, in the order drawn.
    fn distinct(&mut self, count: usize, n: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(count);
        while out.len() < count.min(n) {
            let x = self.below(n);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

const DISTRICTS: &[&str] = &[
    "Quetta",
    "Mastung",
    "Gwadar",
    "Pasni",
    "Nushki",
    "Kharan",
    "Turbat",
    "Kalat",
    "Khuzdar",
    "Dalbandin",
    "Panjgur",
    "Sibi",
    "Zhob",
    "Loralai",
    "Chaman",
    "Bolan",
    "Lasbela",
    "Awaran",
    "Washuk",
    "Kech",
];
const CATEGORIES: &[&str] = &[
    "suicide bombing",
    "armed assault",
    "roadside bomb",
    "prison attack",
    "abduction",
    "security operation",
    "railway sabotage",
    "grenade attack",
    "targeted killing",
    "arson",
];
const OUTCOMES: &[&str] = &[
    "carried out",
    "repelled",
    "foiled",
    "attempted",
    "ongoing",
    "unclear",
];
const ACTORS: &[&str] = &[
    "Baloch Liberation Army",
    "Baloch Liberation Front",
    "unidentified gunmen",
    "Frontier Corps",
    "Counter Terrorism Department",
    "Levies",
];
const OUTLETS: &[&str] = &[
    "Example Wire",
    "Quetta Daily",
    "Coastal Herald",
    "Frontier Post Online",
    "Regional Monitor",
    "not named in the text",
];
const SOURCE_KINDS: &[&str] = &[
    "wire report",
    "news report",
    "newspaper",
    "blog",
    "official statement",
    "other",
];
const UNITS: &[(&str, &str)] = &[
    ("people", "killed"),
    ("people", "injured"),
    ("militants", "killed"),
    ("security personnel", "killed"),
    ("civilians", "killed"),
    ("vehicles", "torched"),
    ("people", "abducted"),
    ("buildings", "damaged"),
];
const WINDOWS: &[&str] = &[
    "on the day of the attack",
    "over 48 hours",
    "in the first week",
    "over the month",
    "past year",
];
/// (id, name, kind, party to the conflict, roles that speak for it).
const PARTIES: &[(&str, &str, &str, bool, &[&str])] = &[
    (
        "pakistan-military",
        "Pakistan military",
        "military",
        true,
        &["military spokesperson"],
    ),
    (
        "government-of-pakistan",
        "Government of Pakistan",
        "government",
        true,
        &["Interior Minister", "Defence Minister"],
    ),
    (
        "balochistan-government",
        "Government of Balochistan",
        "government",
        true,
        &["Chief Minister", "government spokesperson"],
    ),
    (
        "police",
        "Police",
        "government",
        true,
        &["police chief", "senior officer"],
    ),
    (
        "bla",
        "Baloch Liberation Army",
        "armed-group",
        true,
        &["spokesman"],
    ),
    (
        "blf",
        "Baloch Liberation Front",
        "armed-group",
        true,
        &["spokesman"],
    ),
    (
        "hospital-officials",
        "Hospital officials",
        "independent",
        false,
        &["medical superintendent", "doctor"],
    ),
    (
        "rights-commission",
        "Human rights commission",
        "independent",
        false,
        &["chairperson"],
    ),
    (
        "residents",
        "Local residents",
        "other",
        false,
        &["shopkeeper", "elder"],
    ),
    (
        "report-itself",
        "The report itself",
        "media",
        false,
        &["correspondent"],
    ),
];
const WORDS: &[&str] = &[
    "officials",
    "reported",
    "attack",
    "district",
    "security",
    "forces",
    "convoy",
    "police",
    "station",
    "checkpoint",
    "road",
    "highway",
    "residents",
    "witnesses",
    "described",
    "gunfire",
    "explosion",
    "early",
    "morning",
    "evening",
    "night",
    "several",
    "hours",
    "after",
    "before",
    "during",
    "clashes",
    "continued",
    "market",
    "hospital",
    "injured",
    "casualties",
    "statement",
    "spokesperson",
    "province",
    "government",
    "military",
    "operation",
    "insurgents",
    "militants",
    "claimed",
    "responsibility",
    "group",
    "local",
    "journalists",
    "could",
    "not",
    "independently",
    "verify",
    "figures",
    "numbers",
    "differed",
    "between",
    "sources",
    "reports",
    "later",
    "revised",
    "count",
    "bodies",
    "recovered",
    "families",
    "mourned",
    "schools",
    "closed",
    "internet",
    "suspended",
    "train",
    "services",
    "halted",
    "border",
    "crossing",
    "sealed",
    "curfew",
    "imposed",
    "shops",
    "remained",
    "shut",
    "town",
    "villages",
    "nearby",
    "search",
    "cordon",
    "arrests",
    "made",
    "suspects",
    "detained",
    "weapons",
    "seized",
    "vehicle",
    "torched",
    "bank",
    "building",
    "damaged",
    "port",
    "coast",
    "guard",
    "camp",
    "compound",
    "perimeter",
    "breached",
    "repelled",
    "fled",
    "mountains",
    "pursued",
    "helicopters",
    "deployed",
    "reinforcements",
    "arrived",
    "the",
    "the",
    "the",
    "a",
    "of",
    "of",
    "in",
    "in",
    "and",
    "and",
    "to",
    "on",
    "with",
    "by",
    "from",
    "that",
    "was",
    "were",
    "had",
];

/// One source of the briefing.
struct SourcePlan {
    id: String,
    title: String,
    /// Sentences quoted by claims, placed in the archive.
    quotes: Vec<String>,
}

/// One incident of the briefing.
struct IncidentPlan {
    id: String,
    title: String,
    front_matter: String,
    body: String,
    sources: Vec<usize>,
    /// The Hugo twin's taxonomy terms, as front-matter lines (see [`write_hugo`]).
    hugo_terms: String,
}

/// One figure, already written out as YAML, with a Markdown summary for Hugo.
struct FigurePlan {
    id: String,
    label: String,
    yaml: String,
    hugo_body: String,
    /// The Hugo twin's taxonomy terms, as front-matter lines (see [`write_hugo`]).
    hugo_terms: String,
    /// The sources the figure's claims come from, each once (for the twin's matrix pages).
    claim_sources: Vec<usize>,
}

struct Briefing {
    sources: Vec<SourcePlan>,
    incidents: Vec<IncidentPlan>,
    figures: Vec<FigurePlan>,
}

fn main() {
    let options = Options::parse();
    if options.incidents == 0 || options.figures == 0 || options.sources == 0 {
        eprintln!("gen_briefing: --incidents, --figures and --sources must be at least 1");
        std::process::exit(2);
    }
    let mut rng = Rng(options.seed);
    let briefing = plan(&options, &mut rng);
    let result =
        write_sitrep(&options.out, &briefing, &mut rng).and_then(|()| match &options.hugo {
            Some(dir) => write_hugo(dir, &briefing),
            None => Ok(()),
        });
    if let Err(err) = result {
        eprintln!("gen_briefing: {err}");
        std::process::exit(1);
    }
    eprintln!(
        "gen_briefing: {} incidents, {} figures, {} sources into {}",
        briefing.incidents.len(),
        briefing.figures.len(),
        briefing.sources.len(),
        options.out.display()
    );
}

fn plan(options: &Options, rng: &mut Rng) -> Briefing {
    let mut sources: Vec<SourcePlan> = (0..options.sources)
        .map(|s| SourcePlan {
            id: format!("source-{s:04}"),
            title: sentence_case(&words(rng, 6, 10)),
            quotes: Vec::new(),
        })
        .collect();
    let incidents: Vec<IncidentPlan> = (0..options.incidents)
        .map(|i| incident(i, rng, &sources))
        .collect();
    let figures: Vec<FigurePlan> = (0..options.figures)
        .map(|f| figure(f, options, rng, &mut sources, &incidents))
        .collect();
    Briefing {
        sources,
        incidents,
        figures,
    }
}

/// `n` random words, `low..=high` of them.
fn words(rng: &mut Rng, low: usize, high: usize) -> String {
    let n = rng.between(low, high);
    let mut out = String::new();
    for k in 0..n {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.below(WORDS.len())]);
    }
    out
}

fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A Markdown paragraph of about `target` words with emphasis, links and citations.
fn paragraph(rng: &mut Rng, target: usize, cite: &[String]) -> String {
    let mut out = String::new();
    let mut count = 0;
    while count < target {
        let n = rng.between(10, 20);
        let mut sentence = sentence_case(&words(rng, n, n));
        match rng.below(8) {
            0 => sentence.push_str(&format!(" *{}*", rng.pick(WORDS))),
            1 => sentence.push_str(&format!(" **{}**", rng.pick(DISTRICTS))),
            2 => sentence.push_str(&format!(
                " ([report](https://example.org/reports/{}))",
                rng.below(100_000)
            )),
            _ => {}
        }
        if !cite.is_empty() && rng.chance(40) {
            let a = rng.pick(cite);
            match rng.below(4) {
                0 => sentence.push_str(&format!(" [@{a}, para. {}]", rng.between(1, 9))),
                1 if cite.len() > 1 => {
                    let b = rng.pick(cite);
                    sentence.push_str(&format!(" [@{a}; @{b}]"));
                }
                _ => sentence.push_str(&format!(" [@{a}]")),
            }
        }
        sentence.push_str(". ");
        out.push_str(&sentence);
        count += n;
    }
    out.truncate(out.trim_end().len());
    out
}

fn date_value(rng: &mut Rng) -> String {
    format!("2024-{:02}-{:02}", rng.between(1, 12), rng.between(1, 28))
}

/// A `When` in YAML at `indent`, in one of its forms: mostly calendar days.
fn when_yaml(rng: &mut Rng, key: &str, indent: &str) -> String {
    match rng.below(20) {
        0..=12 => format!("{indent}{key}: {}\n", date_value(rng)),
        13 => format!("{indent}{key}: 2024-{:02}\n", rng.between(1, 12)),
        14 => format!(
            "{indent}{key}: {}\n",
            rng.pick(&["Friday", "Saturday", "Sunday"])
        ),
        15 => format!(
            "{indent}{key}: --{:02}-{:02}\n",
            rng.between(1, 12),
            rng.between(1, 28)
        ),
        16 => format!("{indent}{key}: unknown\n"),
        17 => format!(
            "{indent}{key}:\n{indent}  start: 2024-{m:02}-10\n{indent}  end: 2024-{m:02}-{:02}\n{indent}  approximate: true\n",
            rng.between(11, 20),
            m = rng.between(1, 12),
        ),
        _ => format!(
            "{indent}{key}:\n{indent}  on: {}\n{indent}  basis: inferred\n{indent}  time: before dawn\n{indent}  note: Inferred from the order of events in the reports.\n",
            date_value(rng)
        ),
    }
}

/// The month facet's value for dates without a calendar month.
const UNDATED: &str = "undated";

/// The calendar month (`2024-03`) of a date as [`when_yaml`] writes it, as sitrep files
/// it in its month pages: a day, a month, a range's start or a day with a basis; anything
/// else (a weekday, a day without a year, unknown) is [`UNDATED`].
fn month_of(when: &str) -> String {
    match when.find("2024-") {
        Some(at) => when[at..at + 7].to_string(),
        None => UNDATED.to_string(),
    }
}

/// Taxonomy terms as front-matter lines (`places: ["Pakistan", …]`), empty lists left out.
fn front_matter_terms(terms: &[(&str, Vec<String>)]) -> String {
    let mut out = String::new();
    for (name, values) in terms.iter().filter(|(_, v)| !v.is_empty()) {
        let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        let _ = writeln!(out, "{name}: [{}]", quoted.join(", "));
    }
    out
}

fn incident(i: usize, rng: &mut Rng, sources: &[SourcePlan]) -> IncidentPlan {
    let id = format!("incident-{i:05}");
    let district = *rng.pick(DISTRICTS);
    let category = *rng.pick(CATEGORIES);
    let title = format!("{} in {district} ({})", sentence_case(category), i + 1);
    let count = rng.between(1, 4).min(sources.len());
    let cited = rng.distinct(count, sources.len());
    let cite: Vec<String> = cited.iter().map(|&s| sources[s].id.clone()).collect();

    let mut fm = format!("title: {title}\n");
    let date = when_yaml(rng, "date", "");
    let month = month_of(&date);
    fm.push_str(&date);
    fm.push_str(&format!(
        "place:\n  district: {district}\n  province: Balochistan\n  country: Pakistan\n"
    ));
    if rng.chance(60) {
        fm.push_str(&format!(
            "  coordinates: [{}.{:02}, {}.{:02}]\n",
            rng.between(25, 31),
            rng.below(100),
            rng.between(61, 69),
            rng.below(100)
        ));
    }
    let outcome = *rng.pick(OUTCOMES);
    fm.push_str(&format!("category: {category}\noutcome: {outcome}\n"));
    if rng.chance(20) {
        fm.push_str(
            "outcome_note: Reports differ on whether the attackers reached their target.\n",
        );
    }
    let actor = rng.chance(70).then(|| *rng.pick(ACTORS));
    if let Some(actor) = actor {
        fm.push_str(&format!("actors: [{actor}]\n"));
    }
    fm.push_str(&format!("sources: [{}]\n", cite.join(", ")));
    if rng.chance(10) {
        fm.push_str(&format!(
            "updated: 2026-{:02}-{:02}\n",
            rng.between(1, 12),
            rng.between(1, 28)
        ));
    }

    let mut body = String::new();
    body.push_str(&paragraph(rng, 60, &cite));
    body.push_str("\n\n## Background\n\n");
    body.push_str(&paragraph(rng, 80, &cite));
    body.push_str("\n\n## What was reported\n\n");
    for _ in 0..rng.between(3, 5) {
        body.push_str(&format!("- {}\n", sentence_case(&words(rng, 8, 14))));
    }
    body.push('\n');
    body.push_str(&paragraph(rng, 85, &cite));
    body.push_str(
        "\n\n### Figures as reported\n\n| Source | Killed | Injured |\n|---|---:|---:|\n",
    );
    for id in &cite {
        body.push_str(&format!(
            "| [@{id}] | {} | {} |\n",
            rng.between(0, 40),
            rng.between(0, 90)
        ));
    }
    body.push('\n');
    body.push_str(&paragraph(rng, 90, &cite));
    body.push_str("\n\n## Response\n\n");
    body.push_str(&paragraph(rng, 85, &cite));
    body.push_str("\n\n1. ");
    body.push_str(&sentence_case(&words(rng, 8, 14)));
    body.push_str(".\n2. ");
    body.push_str(&sentence_case(&words(rng, 8, 14)));
    body.push_str(".\n\n");
    body.push_str(&paragraph(rng, 60, &cite));
    body.push('\n');

    let hugo_terms = [
        (
            "places",
            vec![
                "Pakistan".to_string(),
                "Pakistan, Balochistan".to_string(),
                format!("Pakistan, Balochistan, {district}"),
            ],
        ),
        ("categories", vec![category.to_string()]),
        ("actors", actor.iter().map(|a| a.to_string()).collect()),
        ("outcomes", vec![outcome.to_string()]),
        ("cited", cite.clone()),
        ("months", vec![month.clone()]),
        ("timeline", vec![month]),
    ];
    IncidentPlan {
        id,
        title,
        front_matter: fm,
        body,
        sources: cited,
        hugo_terms: front_matter_terms(&hugo_terms),
    }
}

/// The true value behind a figure and its relations to other figures. Figures come in
/// groups of four: a whole, its two parts, and a narrower window within the whole.
fn figure_truth(f: usize) -> (f64, Vec<usize>, Vec<usize>, usize) {
    let group = f / 4;
    // Deterministic per group, independent of the main stream.
    let mut g = Rng(group as u64 * 7919 + 17);
    let a = g.between(5, 60) as f64;
    let b = g.between(5, 60) as f64;
    let related = g.chance(70);
    let base = group * 4;
    match (related, f % 4) {
        (true, 0) => (a + b, vec![base + 1, base + 2], vec![], 0),
        (true, 1) => (a, vec![], vec![], 1),
        (true, 2) => (b, vec![], vec![], 2),
        (true, _) => ((a + b) * 0.6, vec![], vec![base], 3),
        (false, k) => (g.between(3, 300) as f64, vec![], vec![], k),
    }
}

fn figure(
    f: usize,
    options: &Options,
    rng: &mut Rng,
    sources: &mut [SourcePlan],
    incidents: &[IncidentPlan],
) -> FigurePlan {
    let id = format!("figure-{f:04}");
    let (truth, mut sum_of, mut within, role) = figure_truth(f);
    // Relations only to figures that exist.
    sum_of.retain(|&p| p < options.figures);
    if sum_of.len() != 2 {
        sum_of.clear();
    }
    within.retain(|&w| w < options.figures);
    // Figures of one group count the same thing, so their relations make sense.
    let (unit, verb) = *Rng(f as u64 / 4 + 101).pick(UNITS);
    let window = if role == 3 {
        WINDOWS[0]
    } else {
        *rng.pick(&WINDOWS[1..])
    };
    let district = *rng.pick(DISTRICTS);
    let label = format!("{} {verb} in {district} ({})", sentence_case(unit), f + 1);
    let scope_count = rng.between(1, 3);
    let scope: Vec<usize> = rng.distinct(scope_count, incidents.len());

    let mut y = format!(
        "label: {label}\nunit: {unit}\ndefinition: Number of {unit} {verb} in {district} {window}, as reported by the sources.\n"
    );
    y.push_str(&format!(
        "scope:\n  window: {window}\n  place: {district}, Balochistan\n  incidents: [{}]\n",
        scope
            .iter()
            .map(|&i| incidents[i].id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if f < 12 {
        y.push_str("key: true\n");
    }
    let figure_ids = |list: &[usize]| {
        list.iter()
            .map(|n| format!("figure-{n:04}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !sum_of.is_empty() {
        y.push_str(&format!("sum_of: [{}]\n", figure_ids(&sum_of)));
    }
    if !within.is_empty() {
        y.push_str(&format!("within: [{}]\n", figure_ids(&within)));
    }
    if rng.chance(3) {
        y.push_str(&format!(
            "best:\n  value: {}\n  reason: The hospital count is the most complete.\n",
            truth.round()
        ));
    }
    if rng.chance(10) {
        y.push_str(&format!(
            "updated: 2026-{:02}-{:02}T09:30:00Z\n",
            rng.between(1, 12),
            rng.between(1, 28)
        ));
    }
    y.push_str("claims:\n");

    let low = options.claims.saturating_sub(2).max(3);
    let high = (options.claims + 3).clamp(3, 8).max(low);
    let count = rng.between(low, high);
    let with_ids = rng.chance(50);
    let supersede = with_ids && count >= 2 && rng.chance(40);
    let mut first_party = 0;
    let (mut claim_sources, mut parties, mut months) = (Vec::new(), Vec::new(), Vec::new());
    let mut hugo = format!(
        "Number of {unit} {verb} in {district} {window}, as reported by the sources.\n\n| Claim | Source | Stated by | Quote |\n|---|---|---|---|\n"
    );
    for c in 0..count {
        let party = if supersede && c == count - 1 {
            first_party
        } else {
            rng.below(PARTIES.len())
        };
        if c == 0 {
            first_party = party;
        }
        let (party_id, party_name, _, _, roles) = PARTIES[party];
        let s = rng.below(sources.len());
        let noise = 0.85 + rng.below(31) as f64 / 100.0;
        let n = (truth * noise).round().max(1.0);
        let (fields, worded) = claim_value(rng, n);
        let quote = format!(
            "{} {} said {worded} {unit} were {verb} in {district} {}",
            sentence_case(party_name),
            rng.pick(roles),
            rng.pick(&[
                "on the day",
                "according to the count",
                "in the latest statement",
                "after the clashes"
            ])
        );
        sources[s].quotes.push(quote.clone());
        if with_ids {
            y.push_str(&format!("  - id: c{}\n    ", c + 1));
        } else {
            y.push_str("  - ");
        }
        y.push_str(&fields.replace('\n', "\n    "));
        y.push_str(&format!(
            "\n    source: {}\n    stated_by:\n      party: {party_id}\n",
            sources[s].id
        ));
        if rng.chance(30) {
            y.push_str(&format!("      role: {}\n", rng.pick(roles)));
        }
        if rng.chance(70) {
            let stated_on = when_yaml(rng, "stated_on", "    ");
            months.push(month_of(&stated_on));
            y.push_str(&stated_on);
        }
        claim_sources.push(s);
        parties.push(party_id.to_string());
        y.push_str(&format!("    quote: \"{quote}\"\n"));
        match rng.below(12) {
            0 => y.push_str("    rank: preferred\n    rank_reason: The figure comes from the hospital register.\n"),
            1 => y.push_str("    rank: disputed\n    rank_reason: No other source confirms the count.\n"),
            _ => {}
        }
        if supersede && c == count - 1 {
            y.push_str("    supersedes: c1\n");
        }
        if rng.chance(15) {
            y.push_str("    note: The number was repeated in a later bulletin.\n");
        }
        hugo.push_str(&format!(
            "| {worded} | [@{}] | {party_name} | {quote} |\n",
            sources[s].id
        ));
    }
    // The twin's check pages: a figure under the month of its first dated claim.
    let check_month = months
        .first()
        .cloned()
        .unwrap_or_else(|| UNDATED.to_string());
    let mut sources_named: Vec<String> = Vec::new();
    for &s in &claim_sources {
        if !sources_named.contains(&sources[s].id) {
            sources_named.push(sources[s].id.clone());
        }
    }
    claim_sources.sort_unstable();
    claim_sources.dedup();
    months.sort_unstable();
    months.dedup();
    parties.sort_unstable();
    parties.dedup();
    let hugo_terms = [
        ("cited", sources_named),
        ("parties", parties),
        ("timeline", months),
        ("checks", vec![check_month]),
    ];
    FigurePlan {
        id,
        label,
        yaml: y,
        hugo_body: hugo,
        hugo_terms: front_matter_terms(&hugo_terms),
        claim_sources,
    }
}

/// A claim's value fields (YAML lines) and how a source would word it.
fn claim_value(rng: &mut Rng, n: f64) -> (String, String) {
    const WITH_VALUE: &[&str] = &[
        "exact",
        "at least",
        "more than",
        "over",
        "nearly",
        "close to",
        "almost",
        "about",
        "approximately",
        "around",
        "up to",
        "at most",
    ];
    match rng.below(20) {
        0 => ("qualifier: several".into(), "several".into()),
        1 if n >= 24.0 => ("qualifier: dozens".into(), "dozens of".into()),
        2 => ("qualifier: some".into(), "some".into()),
        3 | 4 => {
            let high = n + rng.between(1, 10) as f64;
            (
                format!("low: {n}\nhigh: {high}\nqualifier: exact"),
                format!("between {n} and {high}"),
            )
        }
        _ => {
            let q = *rng.pick(WITH_VALUE);
            let worded = if q == "exact" {
                format!("{n}")
            } else {
                format!("{q} {n}")
            };
            (format!("value: {n}\nqualifier: {q}"), worded)
        }
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn create_dirs(root: &Path, dirs: &[&str]) -> Result<(), String> {
    for dir in dirs {
        let path = root.join(dir);
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    }
    Ok(())
}

fn write_sitrep(root: &Path, briefing: &Briefing, rng: &mut Rng) -> Result<(), String> {
    create_dirs(
        root,
        &[
            "archives",
            "content/sources",
            "content/incidents",
            "content/figures",
        ],
    )?;
    write(
        &root.join("site.toml"),
        &format!(
            "title = \"Generated briefing ({} incidents)\"\ndescription = \"A generated evidence-tracked briefing for benchmarking sitrep.\"\nlanguage = \"en\"\ntheme = \"default\"\noutput = \"public\"\nbase_url = \"https://example.org/briefing/\"\n\n[estimate]\nrule = \"conservative\"\n",
            briefing.incidents.len()
        ),
    )?;
    let mut parties = String::new();
    for (id, name, kind, conflict, _) in PARTIES {
        let _ = writeln!(
            parties,
            "{id}:\n  name: {name}\n  kind: {kind}\n  party_to_conflict: {conflict}\n  notes: Statements attributed to {name} in the reports.\n"
        );
    }
    write(&root.join("content/parties.yaml"), &parties)?;
    write(
        &root.join("content/index.md"),
        "---\ntitle: Overview\n---\nA generated briefing: every incident, figure and source is synthetic.\n",
    )?;
    write(
        &root.join("content/methodology.md"),
        "---\ntitle: Methodology\n---\nFigures are compiled from the generated sources; see each figure's claims.\n",
    )?;
    write(
        &root.join("content/background.md"),
        "---\ntitle: Background\norder: 3\n---\nThe region has seen *recurring* attacks [@source-0000].\n",
    )?;
    for source in &briefing.sources {
        write(
            &root.join(format!("archives/{}.txt", source.id)),
            &archive_text(rng, &source.quotes),
        )?;
        let mut y = format!(
            "title: {}\noutlet: {}\nauthor: unknown\n",
            source.title,
            rng.pick(OUTLETS)
        );
        y.push_str(&when_yaml(rng, "published", ""));
        y.push_str(&format!(
            "url: https://example.org/news/{id}\narchive: archives/{id}.txt\nlanguage: en\nkind: {}\nnotes: Generated source with {} quoted statements.\n",
            rng.pick(SOURCE_KINDS),
            source.quotes.len(),
            id = source.id
        ));
        write(
            &root.join(format!("content/sources/{}.yaml", source.id)),
            &y,
        )?;
    }
    for incident in &briefing.incidents {
        write(
            &root.join(format!("content/incidents/{}.md", incident.id)),
            &format!("---\n{}---\n{}", incident.front_matter, incident.body),
        )?;
    }
    for figure in &briefing.figures {
        write(
            &root.join(format!("content/figures/{}.yaml", figure.id)),
            &figure.yaml,
        )?;
    }
    Ok(())
}

/// An archived report of a few KB: filler paragraphs with every quote placed in them,
/// wrapped at about 90 columns as a saved web page would be.
fn archive_text(rng: &mut Rng, quotes: &[String]) -> String {
    let mut sentences: Vec<String> = Vec::new();
    for quote in quotes {
        sentences.push(format!("{quote}."));
        sentences.push(format!("{}.", sentence_case(&words(rng, 10, 20))));
    }
    while sentences.iter().map(String::len).sum::<usize>() < 2500 {
        sentences.push(format!("{}.", sentence_case(&words(rng, 10, 20))));
    }
    let mut out = String::new();
    let mut column = 0;
    for (n, sentence) in sentences.iter().enumerate() {
        for word in sentence.split(' ') {
            if column + word.len() > 90 {
                out.push('\n');
                column = 0;
            } else if column > 0 {
                out.push(' ');
                column += 1;
            }
            out.push_str(word);
            column += word.len();
        }
        if n % 5 == 4 {
            out.push_str("\n\n");
            column = 0;
        }
    }
    out.push('\n');
    out
}

/// Hugo's layouts: one page = title, body, list of links; lists = title, list of links.
const HUGO_SINGLE: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="description" content="{{ .Params.description }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><nav><ul>{{ range .Site.Params.nav }}<li><a href="{{ .url | relURL }}">{{ .title }}</a></li>{{ end }}</ul></nav></header>
<main>
<h1>{{ .Title }}</h1>
{{ .Content }}
<h2>Sources</h2>
<ul>{{ range .Params.links }}<li><a href="{{ printf "sources/%s/" . | relURL }}">{{ . }}</a></li>{{ end }}</ul>
</main>
<footer><p>Built with Hugo.</p></footer>
</body>
</html>
"#;

const HUGO_LIST: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><nav><ul>{{ range .Site.Params.nav }}<li><a href="{{ .url | relURL }}">{{ .title }}</a></li>{{ end }}</ul></nav></header>
<main>
<h1>{{ .Title }}</h1>
{{ if eq .Section "incidents" }}<ul>{{ range .Site.Taxonomies.months.Alphabetical.Reverse }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ else }}<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
</main>
</body>
</html>
"#;

/// A taxonomy's page (sitrep's facet index): its terms with their counts.
const HUGO_TERMS: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><nav><ul>{{ range .Site.Params.nav }}<li><a href="{{ .url | relURL }}">{{ .title }}</a></li>{{ end }}</ul></nav></header>
<main>
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
</main>
</body>
</html>
"#;

/// A term's pages (sitrep's page of a facet value, a month of the timeline or the checks, a
/// page of the matrix): its pages, paginated as sitrep paginates.
const HUGO_TERM: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><nav><ul>{{ range .Site.Params.nav }}<li><a href="{{ .url | relURL }}">{{ .title }}</a></li>{{ end }}</ul></nav></header>
<main>
<h1>{{ .Title }}</h1>
<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.description }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
</main>
</body>
</html>
"#;

/// The page hosts serve for a missing URL.
const HUGO_404: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>Not found · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<main><h1>Not found</h1><p><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></p></main>
</body>
</html>
"#;

const HUGO_HOME: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<main>
<h1>{{ .Site.Title }}</h1>
<ul>{{ range where .Site.RegularPages "Section" "incidents" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main>
</body>
</html>
"#;

/// sitrep's default `[listings] page_size`: the twin paginates its lists as sitrep does.
const PAGE_SIZE: usize = 500;
/// sitrep's most cells on one matrix page (`render::split::MATRIX_CELLS`).
const MATRIX_CELLS: usize = 40_000;
/// The twin's taxonomies: sitrep's browse facets (`cited` is the source facet: the twin's
/// `sources/` is the section of source pages), then its month pages of the timeline and
/// the checks, and its matrix pages.
const TAXONOMIES: &[&str] = &[
    "places",
    "categories",
    "actors",
    "outcomes",
    "cited",
    "parties",
    "months",
    "timeline",
    "checks",
    "matrix",
];

/// The figures (index ranges) on each of sitrep's matrix pages, packed as sitrep packs them
/// (`render::split::matrix_pages`): a page takes the next figure while it holds fewer than
/// [`PAGE_SIZE`] rows and its rows × the sources they cite stay within [`MATRIX_CELLS`].
fn matrix_pages(briefing: &Briefing) -> Vec<std::ops::Range<usize>> {
    let (figures, sources) = (briefing.figures.len(), briefing.sources.len());
    if figures <= PAGE_SIZE && figures * sources <= MATRIX_CELLS {
        return std::iter::once(0..figures).collect();
    }
    let rows: Vec<Vec<usize>> = briefing
        .figures
        .iter()
        .map(|f| f.claim_sources.clone())
        .collect();
    sitrep::render::split::pack(&rows, sources, PAGE_SIZE, MATRIX_CELLS)
}

/// Writes the equivalent Hugo site: a page per incident (same Markdown body, citations
/// left as text), per figure (its claims as a table) and per source.
fn write_hugo(root: &Path, briefing: &Briefing) -> Result<(), String> {
    create_dirs(
        root,
        &[
            "layouts/_default",
            "static",
            "content/incidents",
            "content/figures",
            "content/sources",
        ],
    )?;
    let nav = ["incidents", "figures", "sources"]
        .iter()
        .map(|s| format!("[[params.nav]]\ntitle = \"{s}\"\nurl = \"{s}/\"\n"))
        .collect::<String>();
    // One feed with as many entries as sitrep's (the newest of the items with `updated`, at
    // most `[feed] entries`, 100 by default), as sitrep writes one feed: Hugo's section
    // feeds are turned off and its home feed limited.
    let updated = (briefing.incidents.iter())
        .filter(|i| i.front_matter.contains("\nupdated: "))
        .count()
        + (briefing.figures.iter())
            .filter(|f| f.yaml.contains("\nupdated: "))
            .count();
    let feed_entries = updated.min(100);
    write(
        &root.join("config.toml"),
        &format!(
            "baseURL = \"https://example.org/briefing/\"\nlanguageCode = \"en\"\ntitle = \"Generated briefing ({} incidents)\"\nrssLimit = {feed_entries}\npaginate = {PAGE_SIZE}\n\n[services.rss]\nlimit = {feed_entries}\n\n[outputs]\nhome = [\"HTML\", \"RSS\"]\nsection = [\"HTML\"]\npage = [\"HTML\"]\ntaxonomy = [\"HTML\"]\nterm = [\"HTML\"]\n\n[taxonomies]\n{}\n{nav}",
            briefing.incidents.len(),
            TAXONOMIES
                .iter()
                .map(|t| format!("{t} = \"{t}\"\n"))
                .collect::<String>(),
        ),
    )?;
    write(&root.join("layouts/_default/single.html"), HUGO_SINGLE)?;
    write(&root.join("layouts/_default/list.html"), HUGO_LIST)?;
    write(&root.join("layouts/_default/taxonomy.html"), HUGO_TERMS)?;
    write(&root.join("layouts/_default/term.html"), HUGO_TERM)?;
    write(&root.join("layouts/404.html"), HUGO_404)?;
    write(&root.join("layouts/index.html"), HUGO_HOME)?;
    write(
        &root.join("static/style.css"),
        "body { font-family: sans-serif; }\n",
    )?;
    let page = |title: &str, description: &str, links: &[&str], terms: &str, body: &str| {
        format!(
            "---\ntitle: \"{title}\"\ndescription: \"{description}\"\nlinks: [{}]\n{terms}---\n{body}",
            links.join(", ")
        )
    };
    for incident in &briefing.incidents {
        let links: Vec<&str> = incident
            .sources
            .iter()
            .map(|&s| briefing.sources[s].id.as_str())
            .collect();
        write(
            &root.join(format!("content/incidents/{}.md", incident.id)),
            &page(
                &incident.title,
                "An incident of the briefing.",
                &links,
                &incident.hugo_terms,
                &incident.body,
            ),
        )?;
    }
    let matrix = matrix_pages(briefing);
    for (f, figure) in briefing.figures.iter().enumerate() {
        let matrix_page = matrix.partition_point(|range| range.end <= f) + 1;
        let terms = format!("{}matrix: [\"{matrix_page}\"]\n", figure.hugo_terms);
        write(
            &root.join(format!("content/figures/{}.md", figure.id)),
            &page(
                &figure.label,
                "A figure of the briefing.",
                &[],
                &terms,
                &figure.hugo_body,
            ),
        )?;
    }
    // The pages sitrep writes beside the listings: browse.html, the content pages, search.html.
    for (name, title) in [
        ("browse", "Browse"),
        ("methodology", "Methodology"),
        ("background", "Background"),
        ("search", "Search"),
    ] {
        let body = format!("The {name} page of the briefing.\n");
        write(
            &root.join(format!("content/{name}.md")),
            &page(title, "A page of the briefing.", &[], "", &body),
        )?;
    }
    for source in &briefing.sources {
        let body: String = source.quotes.iter().map(|q| format!("- {q}\n")).collect();
        write(
            &root.join(format!("content/sources/{}.md", source.id)),
            &page(&source.title, "A source of the briefing.", &[], "", &body),
        )?;
    }
    Ok(())
}
