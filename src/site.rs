//! The build pipeline up to rendering: config → load → preprocess (Markdown) → validate →
//! analyse, producing a [`Site`] that renderers only read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::analyse::wordings::Wordings;
use crate::analyse::{self, Analysis, EstimateRule};
use crate::config::{CONFIG_FILE, Config};
use crate::dates::Anchors;
use crate::diagnostics::{Diagnostic, Diagnostics, suggestion};
use crate::facets::Browse;
use crate::load::{self, KeptText, LoadedFile};
use crate::markdown::{self, Bodies, Body};
use crate::model::{Briefing, FigureIx, IncidentIx, IxVec, MarkdownText, Origin, SourceIx};
use crate::read::{DEFAULT_MAX_FILE_SIZE, ReadError};
use crate::validate::{self, ArchiveText, Validation};
use crate::vocabulary::Vocabulary;

/// A loaded, checked and analysed briefing, ready to render.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// The words for outcomes, categories and interested parties, from `config`.
    pub vocabulary: Vocabulary,
    /// Weekdays anchored to calendar days, from `config` (already applied to `briefing`).
    pub anchors: Anchors,
    pub briefing: Briefing,
    pub bodies: Bodies,
    pub validation: Validation,
    pub analysis: Analysis,
    pub index: Lookups,
    /// Incident files a build read again and found changed ([`Site::incident_body`]).
    pub read_errors: Mutex<Vec<Diagnostic>>,
}

impl Site {
    /// Lets go of what only loading, checking and `sitrep serve` read: the content files'
    /// texts and the citations found in incident bodies (checked against the sources, and
    /// read by `serve`'s input map). A build calls this before it renders. Incident bodies
    /// a build left on disk ([`load_for_build`]) are read again by their readers
    /// ([`Site::incident_body`]).
    pub fn release_for_render(&mut self) {
        let b = &mut self.briefing;
        let empty: Arc<str> = Arc::from("");
        let origins = (b.incidents.iter_mut().map(|i| &mut i.origin))
            .chain(b.figures.iter_mut().map(|f| &mut f.origin))
            .chain(b.sources.iter_mut().map(|s| &mut s.origin));
        for origin in origins {
            origin.text = empty.clone();
        }
        for body in &mut self.bodies.incidents {
            body.citations = Vec::new();
        }
    }

    /// Incident `i`'s Markdown body: from the model, or read again from its file when the
    /// build left it on disk. A file that changed since it was loaded gives an empty body
    /// and an error ([`Site::take_read_errors`]), so that no unchecked text is published.
    pub fn incident_body(&self, i: IncidentIx) -> MarkdownText {
        let incident = &self.briefing.incidents[i];
        let Some(on_disk) = &incident.origin.on_disk else {
            return incident.body.clone();
        };
        match on_disk.read() {
            Some(text) => MarkdownText::new(Arc::from(text), incident.body_offset),
            None => {
                let error = Diagnostic::error(
                    &incident.origin.file,
                    "the file changed or could not be read again while the site was being built",
                )
                .with_hint("build again once the file is saved");
                let mut errors = self.read_errors.lock().unwrap_or_else(|e| e.into_inner());
                errors.push(error);
                MarkdownText::default()
            }
        }
    }

    /// The errors of bodies that could not be read again (see [`Site::incident_body`]).
    pub fn take_read_errors(&self) -> Vec<Diagnostic> {
        let mut errors = self.read_errors.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *errors)
    }

    /// Whether source `s`'s archived text is published as a page: the source's
    /// `publish_archive`, else `site.toml`'s, and only when the archive could be read.
    pub fn publishes_archive(&self, s: SourceIx) -> bool {
        let source = &self.briefing.sources[s];
        let wanted = source
            .publish_archive
            .unwrap_or(self.config.publish_archive);
        wanted && self.validation.archived.get(s).copied().unwrap_or(false)
    }
}

/// Lookups between items, computed once so pages never scan the whole briefing.
#[derive(Debug, Default)]
pub struct Lookups {
    /// Incident indices in time order (date, then title).
    pub incidents_by_time: Vec<IncidentIx>,
    /// Source indices by publication date (then id; undated sources last): the matrix's
    /// column order.
    pub sources_by_date: Vec<SourceIx>,
    /// For each source: the incidents that list it.
    pub incidents_of_source: IxVec<SourceIx, Vec<IncidentIx>>,
    /// For each source: (figure, claim) pairs it supports.
    pub claims_of_source: IxVec<SourceIx, Vec<(FigureIx, usize)>>,
    /// For each incident: the figures whose scope includes it.
    pub figures_of_incident: IxVec<IncidentIx, Vec<FigureIx>>,
    /// For each incident: the sources it lists, as listed (ids of no source left out).
    pub sources_of_incident: IxVec<IncidentIx, Vec<SourceIx>>,
    /// For each figure: the incidents its scope names, as named (unknown ids left out).
    pub incidents_of_figure: IxVec<FigureIx, Vec<IncidentIx>>,
    /// For each figure: each claim's source, if the id names one.
    pub claim_sources: IxVec<FigureIx, Vec<Option<SourceIx>>>,
    /// For each figure: the figures that list it in `sum_of`.
    pub wholes_of: IxVec<FigureIx, Vec<FigureIx>>,
    /// For each figure: the narrower figures that list it in `within`.
    pub narrower_of: IxVec<FigureIx, Vec<FigureIx>>,
    /// Every facet value with its incidents and claims, for the browse pages.
    pub browse: Browse,
}

impl Lookups {
    pub fn build(briefing: &Briefing) -> Lookups {
        let mut index = Lookups {
            incidents_of_source: IxVec::filled(briefing.sources.len(), Vec::new()),
            claims_of_source: IxVec::filled(briefing.sources.len(), Vec::new()),
            figures_of_incident: IxVec::filled(briefing.incidents.len(), Vec::new()),
            sources_of_incident: IxVec::filled(briefing.incidents.len(), Vec::new()),
            incidents_of_figure: IxVec::filled(briefing.figures.len(), Vec::new()),
            claim_sources: IxVec::filled(briefing.figures.len(), Vec::new()),
            wholes_of: IxVec::filled(briefing.figures.len(), Vec::new()),
            narrower_of: IxVec::filled(briefing.figures.len(), Vec::new()),
            ..Lookups::default()
        };
        let mut order: Vec<IncidentIx> = IncidentIx::all(briefing.incidents.len()).collect();
        order.sort_by(|&a, &b| time_order(briefing, a, b));
        index.incidents_by_time = order;
        let mut sources: Vec<SourceIx> = SourceIx::all(briefing.sources.len()).collect();
        sources.sort_by_key(|&s| {
            let published = briefing.sources[s].published.as_ref();
            // Sources are sorted by id, so the index breaks ties by id.
            (
                published.is_none(),
                published.map(|w| (w.sort_key(), w.time_of_day())),
                s,
            )
        });
        index.sources_by_date = sources;
        for (i, inc) in briefing.indexed_incidents() {
            let sources: Vec<SourceIx> = (inc.sources.iter())
                .filter_map(|id| briefing.source_index(id))
                .collect();
            for &s in &sources {
                index.incidents_of_source[s].push(i);
            }
            index.sources_of_incident[i] = sources;
        }
        for (f, fig) in briefing.indexed_figures() {
            let sources: Vec<Option<SourceIx>> = (fig.claims.iter())
                .map(|claim| briefing.source_index(&claim.source))
                .collect();
            for (c, s) in sources.iter().enumerate() {
                if let Some(s) = *s {
                    index.claims_of_source[s].push((f, c));
                }
            }
            index.claim_sources[f] = sources;
            let scope: Vec<IncidentIx> = (fig.scope.incidents.iter())
                .filter_map(|id| briefing.incident_index(id))
                .collect();
            for &i in &scope {
                index.figures_of_incident[i].push(f);
            }
            index.incidents_of_figure[f] = scope;
            for part in fig.sum_of.iter().filter_map(|id| briefing.figure_index(id)) {
                index.wholes_of[part].push(f);
            }
            for outer in fig.within.iter().filter_map(|id| briefing.figure_index(id)) {
                index.narrower_of[outer].push(f);
            }
        }
        for list in index.incidents_of_source.iter_mut() {
            list.sort_by_key(|&i| briefing.incidents[i].date.sort_key());
        }
        index.browse = Browse::build(briefing, &index.incidents_by_time);
        index
    }

    /// Moves incident `i` to its place in [`Lookups::incidents_by_time`] after its title
    /// changed (its date and sources unchanged: other lists keep their order). Returns
    /// whether the browse table was built again (rather than patched).
    pub fn retitle_incident(&mut self, briefing: &Briefing, i: IncidentIx) -> bool {
        self.incidents_by_time.retain(|&x| x != i);
        let at = self
            .incidents_by_time
            .partition_point(|&x| time_order(briefing, x, i).is_lt());
        self.incidents_by_time.insert(at, i);
        let rebuilt = !self.browse.reorder_incident(i, &self.incidents_by_time);
        if rebuilt {
            self.browse = Browse::build(briefing, &self.incidents_by_time);
        }
        rebuilt
    }
}

/// Incidents in time order: date, then time of day (none first), then title, then index
/// (as a stable sort leaves them).
fn time_order(briefing: &Briefing, a: IncidentIx, b: IncidentIx) -> std::cmp::Ordering {
    let (x, y) = (&briefing.incidents[a], &briefing.incidents[b]);
    let key = |w: &crate::model::When| (w.sort_key(), w.time_of_day());
    (key(&x.date), &x.title, a).cmp(&(key(&y.date), &y.title, b))
}

/// A warning for each failed consistency check.
pub fn check_warnings(briefing: &Briefing, analysis: &Analysis) -> Vec<Diagnostic> {
    let failed = analysis.checks.iter().filter(|c| !c.consistent);
    failed
        .map(|check| {
            let figure = &briefing.figures[check.figure()];
            Diagnostic::warning(
                &figure.origin.file,
                format!(
                    "consistency check failed for `{}` ({}): {}",
                    figure.id,
                    analyse::checks::group_label(briefing, check.group),
                    check.detail
                ),
            )
            .with_hint("the figures page shows the claims involved; check the numbers against the sources, or the `sum_of`/`within` declaration")
        })
        .collect()
}

/// Options that override `site.toml` from the command line.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    /// `--strict`: warnings are errors (as `strict = true` in `site.toml`).
    pub strict: bool,
}

/// Runs every stage up to rendering. Returns the site when there were no errors, and all
/// diagnostics (warnings too) either way.
pub fn load(root: &Path, overrides: &Overrides) -> (Option<Site>, Diagnostics) {
    load_with(root, overrides, |config, files, max_size, diagnostics| {
        let loaded = load::load_all(root, files, max_size);
        match config {
            Some(config) => assemble(root, config, &loaded, diagnostics),
            None => {
                // Still report every file's own problems alongside the configuration error.
                for file in &loaded {
                    diagnostics.extend(file.diagnostics.iter().cloned());
                }
                None
            }
        }
    })
}

/// [`load`] for a build, which renders once and keeps nothing for later: the parsed files
/// are moved into the briefing rather than copied, and incident bodies are scanned as they
/// load and, beyond `kept` bytes of files, left on disk ([`load::load_all_for_build`]),
/// read again by [`Site::incident_body`]. Gives the same site and diagnostics as [`load`].
pub fn load_for_build(
    root: &Path,
    overrides: &Overrides,
    kept: KeptText,
) -> (Option<Site>, Diagnostics) {
    load_with(root, overrides, |config, files, max_size, diagnostics| {
        let loaded = load::load_all_for_build(root, files, max_size, kept);
        crate::timings::lap("read and parse");
        let mut scanned = HashMap::new();
        let mut files = Vec::with_capacity(loaded.len());
        for (file, body) in loaded {
            diagnostics.extend(file.diagnostics.iter().cloned());
            if let Some(body) = body {
                scanned.insert(file.path.clone(), body);
            }
            files.push(file);
        }
        let briefing = load::assemble_owned(files);
        let reuse = Scanned(Mutex::new(scanned));
        assemble_briefing(root, config?, briefing, &reuse, diagnostics)
    })
}

/// What [`load`] and [`load_for_build`] share: the configuration and the content files,
/// handed to `assemble` (with the configuration, if it loaded, and the size limit).
fn load_with(
    root: &Path,
    overrides: &Overrides,
    assemble: impl FnOnce(
        Option<Config>,
        &[(PathBuf, load::FileKind)],
        u64,
        &mut Diagnostics,
    ) -> Option<Site>,
) -> (Option<Site>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let config = match load_config(root, overrides) {
        Ok(config) => Some(config),
        Err(d) => {
            diagnostics.push(d.while_reading());
            None
        }
    };
    let max_size = config
        .as_ref()
        .map_or(DEFAULT_MAX_FILE_SIZE, Config::max_file_size);
    let files = load::discover(root, &mut diagnostics);
    let site = assemble(config, &files, max_size, &mut diagnostics);
    diagnostics.sort();
    (site, diagnostics)
}

/// Bodies scanned while their files loaded ([`load::load_all_for_build`]), by file; any
/// other body is scanned afresh.
struct Scanned(Mutex<HashMap<PathBuf, Body>>);

impl Reuse for Scanned {
    fn scan_body(&self, origin: &Origin, markdown: &str) -> Body {
        let mut scanned = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match scanned.remove(&origin.file) {
            Some(body) => body,
            None => markdown::scan(markdown),
        }
    }
}

/// Reads `site.toml` and applies command-line overrides.
pub fn load_config(root: &Path, overrides: &Overrides) -> Result<Config, Diagnostic> {
    let mut config = Config::load(root)?;
    if let Some(url) = &overrides.base_url {
        let text = format!(
            "title = \"\"\nbase_url = {}\n",
            toml::Value::from(url.as_str())
        );
        let checked = Config::parse(&text).map_err(|d| Diagnostic {
            file: PathBuf::from("--base-url"),
            line: 0,
            column: 0,
            source_line: None,
            ..d
        })?;
        config.base_url = checked.base_url;
    }
    if let Err((message, hint, key)) = Anchors::from_table(&config.dates) {
        let text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
        let at = text
            .find("[dates]")
            .and_then(|d| text[d..].find(&key).map(|k| d + k))
            .unwrap_or(0);
        return Err(Diagnostic::error(CONFIG_FILE, message)
            .at_offset(&text, at)
            .with_span_len(key.chars().count())
            .with_hint(hint));
    }
    if let Err(message) = Vocabulary::from_config(&config.vocabulary) {
        let near = match &config.vocabulary.preset {
            Some(preset) if message.contains("preset") => format!("\"{preset}\""),
            _ => "outcomes".to_string(),
        };
        return Err(config_error(root, &message, &near));
    }
    if EstimateRule::parse(&config.estimate.rule).is_none() {
        let names = EstimateRule::ALL.map(EstimateRule::name);
        return Err(config
            .error_at_key(
                &["estimate", "rule"],
                format!("unknown estimate rule `{}`", config.estimate.rule),
            )
            .with_hint(suggestion(&config.estimate.rule, "rule", names)));
    }
    Ok(config)
}

/// An error about a setting of `site.toml`, located at the first occurrence of `near`;
/// `message` may carry a hint after [`crate::model::HINT_SEPARATOR`].
fn config_error(root: &Path, message: &str, near: &str) -> Diagnostic {
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
    let (message, hint) = message.split_once(crate::model::HINT_SEPARATOR).unwrap_or((
        message,
        "see the [vocabulary] section of docs/content-format.md",
    ));
    Diagnostic::error(CONFIG_FILE, message)
        .at_offset(&text, text.find(near).unwrap_or(0))
        .with_hint(hint)
}

/// Earlier work that [`assemble_with`] may reuse instead of redoing it. `sitrep build`
/// reuses nothing ([`Fresh`]); `sitrep serve` keeps scanned bodies and archive texts
/// between rebuilds (see `rebuild`).
pub trait Reuse: Sync {
    /// The scanned Markdown body of the file `origin`.
    fn scan_body(&self, origin: &Origin, markdown: &str) -> Body;
    /// The normalised text of an archive, `path` as written in a source file, at most
    /// `max_size` bytes; read afresh unless the implementation keeps archives.
    fn archive(
        &self,
        root: &Path,
        path: &Path,
        max_size: u64,
    ) -> Result<Arc<ArchiveText>, ReadError> {
        validate::read_archive(&root.join(path), max_size)
    }
}

/// Reuses nothing: renders and reads everything afresh.
pub struct Fresh;

impl Reuse for Fresh {
    fn scan_body(&self, _origin: &Origin, markdown: &str) -> Body {
        markdown::scan(markdown)
    }
}

/// The stages after loading: model, preprocess, validate, analyse.
pub fn assemble(
    root: &Path,
    config: Config,
    loaded: &[LoadedFile],
    diagnostics: &mut Diagnostics,
) -> Option<Site> {
    assemble_with(root, config, loaded, &Fresh, diagnostics)
}

/// [`assemble`] with earlier work to reuse; used by `serve` with the files it kept from
/// the previous build.
pub fn assemble_with<'a>(
    root: &Path,
    config: Config,
    loaded: impl IntoIterator<Item = &'a LoadedFile> + Clone,
    reuse: &dyn Reuse,
    diagnostics: &mut Diagnostics,
) -> Option<Site> {
    for file in loaded.clone() {
        diagnostics.extend(file.diagnostics.iter().cloned());
    }
    let briefing = load::assemble(loaded);
    assemble_briefing(root, config, briefing, reuse, diagnostics)
}

/// The stages after the files are put together into `briefing`: preprocess, validate,
/// analyse.
fn assemble_briefing(
    root: &Path,
    config: Config,
    mut briefing: Briefing,
    reuse: &dyn Reuse,
    diagnostics: &mut Diagnostics,
) -> Option<Site> {
    let anchors = Anchors::from_table(&config.dates).unwrap_or_default();
    anchors.apply(&mut briefing);
    let bodies = Bodies::scan_with(&briefing, &|origin, markdown| {
        reuse.scan_body(origin, markdown)
    });
    let wordings = Wordings::new(&config.wordings);
    // The lookups are made beside the checks (they read the briefing only, and cope with
    // the ids the checks report unknown), so the checks' serial parts leave no core idle.
    let (validation, index) = rayon::join(
        || {
            validate::validate_with(
                &briefing,
                &wordings,
                &bodies,
                &|path| reuse.archive(root, path, config.max_file_size()),
                diagnostics,
            )
        },
        || Lookups::build(&briefing),
    );
    if !config.allow_remote_images {
        diagnostics.extend(markdown::remote_image_warnings(&briefing, &bodies));
    }
    let vocabulary = Vocabulary::from_config(&config.vocabulary).unwrap_or_default();
    for incident in &briefing.incidents {
        diagnostics.extend(vocabulary.check_incident(incident));
    }
    if diagnostics.has_errors() {
        return None;
    }
    let rule = EstimateRule::parse(&config.estimate.rule).unwrap_or(EstimateRule::Conservative);
    let analysis = analyse::analyse(&briefing, rule, wordings);
    diagnostics.extend(check_warnings(&briefing, &analysis));
    Some(Site {
        root: root.to_path_buf(),
        config,
        vocabulary,
        anchors,
        briefing,
        bodies,
        validation,
        analysis,
        index,
        read_errors: Mutex::default(),
    })
}
