//! Templates: the built-in Tera templates and theme, embedded in the binary, with a site's
//! own `templates/` files overriding built-ins of the same name. Template errors become
//! diagnostics naming the template file, line and column.

use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};

use crate::config::{Config, themes_hint};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::is_safe_slug;
use crate::read;

/// A site's template folder, under the site root.
pub const TEMPLATES_DIR: &str = "templates";
/// A site's themes folder, under the site root.
pub const THEMES_DIR: &str = "themes";

macro_rules! embedded {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),+]
    };
}

/// The built-in templates, by name.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = embedded!(
    "base.html",
    "overview.html",
    "incident.html",
    "figure.html",
    "source.html",
    "archive.html",
    "page.html",
    "methodology.html",
    "incidents.html",
    "figures.html",
    "sources.html",
    "matrix.html",
    "timeline.html",
    "checks.html",
    "404.html",
    "claims_table.html",
    "incident_list.html",
    "facet_filter.html",
    "incident_item.html",
    "source_list.html",
    "search.html",
    "pager.html",
    "month_index.html",
    "browse.html",
    "browse_index.html",
    "browse_term.html",
);

/// The built-in default theme's static files, by path under `static/`.
pub const BUILTIN_THEME: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

/// One template's name, where it came from (for messages) and its text.
#[derive(Debug, Clone)]
struct TemplateSource {
    name: String,
    display: PathBuf,
    text: String,
}

/// The loaded templates, ready to render.
pub struct Templates {
    pub tera: Tera,
    sources: Vec<TemplateSource>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("count", &self.sources.len())
            .finish()
    }
}

impl Templates {
    /// Loads the built-in templates and the site's overrides (each at most `max_size`
    /// bytes), reporting every syntax error.
    pub fn load(root: &Path, max_size: u64, diagnostics: &mut Diagnostics) -> Option<Templates> {
        let mut sources: Vec<TemplateSource> = BUILTIN_TEMPLATES
            .iter()
            .map(|(name, text)| TemplateSource {
                name: name.to_string(),
                display: PathBuf::from(format!("{TEMPLATES_DIR}/{name} (built-in)")),
                text: text.to_string(),
            })
            .collect();
        for (name, path) in files_under(root, &root.join(TEMPLATES_DIR), diagnostics) {
            let display = Path::new(TEMPLATES_DIR).join(&name);
            match read::read_text(&path, max_size) {
                Ok(text) => {
                    sources.retain(|s| s.name != name);
                    sources.push(TemplateSource {
                        name,
                        display,
                        text,
                    });
                }
                Err(err) => diagnostics.push(err.diagnostic(display)),
            }
        }
        Self::from_sources(sources, diagnostics)
    }

    fn from_sources(
        sources: Vec<TemplateSource>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Templates> {
        // Parse each template alone first, so every syntax error is reported, not just one.
        let mut failed = false;
        for source in &sources {
            let mut alone = Tera::new();
            if let Err(err) = alone.add_raw_template(&source.name, &source.text)
                && !matches!(
                    err.kind(),
                    ErrorKind::MissingParent { .. } | ErrorKind::Msg(_)
                )
            {
                diagnostics.extend(template_diagnostics(&err, &sources));
                failed = true;
            }
        }
        if failed {
            return None;
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::escape::template_escape);
        tera.register_filter("safe", safe);
        let pairs: Vec<(&str, &str)> = sources
            .iter()
            .map(|s| (s.name.as_str(), s.text.as_str()))
            .collect();
        if let Err(err) = tera.add_raw_templates(pairs) {
            diagnostics.extend(template_diagnostics(&err, &sources));
            return None;
        }
        Some(Templates { tera, sources })
    }

    /// Turns a rendering error into diagnostics located in the template.
    pub fn error(&self, err: &tera::Error) -> Vec<Diagnostic> {
        template_diagnostics(err, &self.sources)
    }
}

/// Tera's `safe` filter without its copy: a string is marked safe as it is (its text is
/// shared, where the built-in filter copies it: a body or list of a few kilobytes on
/// every page), anything else is written out and marked safe, as the built-in does.
fn safe(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    match value.as_str() {
        Some(_) => value.clone().mark_safe(),
        None => tera::Value::safe_string(&value.to_string()),
    }
}

/// What a template error's hint says.
const TEMPLATE_HINT: &str =
    "see the template reference in docs/templates.md for the variables each template receives";

/// The template named `name`, if it is one of `sources`.
fn find_template<'a>(sources: &'a [TemplateSource], name: &str) -> Option<&'a TemplateSource> {
    sources.iter().find(|s| s.name == name)
}

/// The text of the template named `name` (empty if unknown).
fn template_text<'a>(sources: &'a [TemplateSource], name: &str) -> &'a str {
    find_template(sources, name).map_or("", |s| s.text.as_str())
}

/// The path to show for the template named `name`.
fn template_display(sources: &[TemplateSource], name: &str) -> PathBuf {
    find_template(sources, name).map_or_else(
        || PathBuf::from(format!("{TEMPLATES_DIR}/{name}")),
        |s| s.display.clone(),
    )
}

/// Locates a Tera error in the template it came from.
fn template_diagnostics(err: &tera::Error, sources: &[TemplateSource]) -> Vec<Diagnostic> {
    let display = |name: &str| template_display(sources, name);
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let text = template_text(sources, report.filename());
            let width = span.end_col.saturating_sub(span.start_col).max(1);
            let mut d = Diagnostic::error(display(report.filename()), report.message().to_string())
                .at(text, span.start_line, span.start_col + 1)
                .with_span_len(if span.end_line == span.start_line {
                    width
                } else {
                    1
                })
                .with_hint(TEMPLATE_HINT);
            if let Some(cause) = std::error::Error::source(err) {
                d.message = format!("{}: {cause}", d.message);
            }
            vec![d]
        }
        ErrorKind::Msg(message) => reference_errors(message, sources),
        ErrorKind::MissingParent { current, parent } => vec![
            Diagnostic::error(
                display(current),
                format!("extends `{parent}`, which does not exist"),
            )
            .at(template_text(sources, current), 1, 1)
            .with_hint(format!(
                "built-in templates are: {}",
                BUILTIN_TEMPLATES
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ],
        _ => {
            let mut message = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(cause) = source {
                message.push_str(": ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            vec![Diagnostic::error(TEMPLATES_DIR, message).with_hint(TEMPLATE_HINT)]
        }
    }
}

/// Reference errors, which arrive as pre-rendered reports ("error: …\n --> name:line:col"),
/// each located in its template.
fn reference_errors(message: &str, sources: &[TemplateSource]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in message.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            current = Some(m.to_string());
        } else if let (Some(m), Some(loc)) = (&current, line.trim_start().strip_prefix("--> ")) {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
            let line_no = parts.next().and_then(|l| l.parse().ok()).unwrap_or(1);
            let name = parts.next().unwrap_or("");
            out.push(
                Diagnostic::error(template_display(sources, name), m.clone())
                    .at(template_text(sources, name), line_no, col)
                    .with_hint(TEMPLATE_HINT),
            );
            current = None;
        }
    }
    if out.is_empty() {
        out.push(Diagnostic::error(TEMPLATES_DIR, message.to_string()).with_hint(TEMPLATE_HINT));
    }
    out
}

/// The files under `dir` (none if it does not exist), sorted, as `/`-separated names
/// relative to `dir` and full paths, listed as [`read::files_in`] does: hidden and editor
/// files skipped, symbolic links followed only within the site folder.
fn files_under(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    read::files_in(root, dir, diagnostics)
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            (rel.to_string_lossy().replace('\\', "/"), path.clone())
        })
        .collect()
}

/// The static files of the site's theme (each at most `config.max_file_size()` bytes): the
/// site's `themes/<name>/static/`, or the built-in default theme. The theme must be a plain
/// name, so no folder outside `themes/` is ever published.
pub fn theme_files(
    root: &Path,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, Vec<u8>)> {
    let theme = config.theme.as_str();
    if !is_safe_slug(theme) {
        diagnostics.push(
            config
                .error_at_key(&["theme"], format!("theme `{theme}` is not a theme name"))
                .with_hint(themes_hint(root, theme)),
        );
        return builtin_theme();
    }
    let dir = root.join(THEMES_DIR).join(theme).join("static");
    if dir.is_dir() {
        let mut files = Vec::new();
        for (name, path) in files_under(root, &dir, diagnostics) {
            match read::read_bytes(&path, config.max_file_size()) {
                Ok(bytes) => files.push((name, bytes)),
                Err(err) => diagnostics.push(
                    err.diagnostic(Path::new(THEMES_DIR).join(theme).join("static").join(&name)),
                ),
            }
        }
        return files;
    }
    if theme != "default" {
        diagnostics.push(
            config
                .error_at_key(&["theme"], format!("theme `{theme}` not found"))
                .with_hint(match themes_hint(root, theme) {
                    hint if hint.starts_with("did you mean") => hint,
                    hint => format!("create `{THEMES_DIR}/{theme}/static/style.css`, or {hint}"),
                }),
        );
    }
    builtin_theme()
}

/// The built-in default theme's files.
pub fn builtin_theme() -> Vec<(String, Vec<u8>)> {
    BUILTIN_THEME
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> TemplateSource {
        TemplateSource {
            name: name.into(),
            display: PathBuf::from(format!("templates/{name}")),
            text: text.into(),
        }
    }

    #[test]
    fn every_syntax_error_is_reported_with_its_line() {
        let mut diagnostics = Diagnostics::default();
        let result = Templates::from_sources(
            vec![
                source("a.html", "ok\n{% if %}\n"),
                source("b.html", "{{ x \n"),
                source("c.html", "fine"),
            ],
            &mut diagnostics,
        );
        assert!(result.is_none());
        let files: Vec<String> = diagnostics
            .iter()
            .map(|d| d.file.display().to_string())
            .collect();
        assert_eq!(files, ["templates/a.html", "templates/b.html"]);
        assert_eq!(diagnostics.iter().next().unwrap().line, 2);
    }

    #[test]
    fn builtin_templates_load() {
        let mut diagnostics = Diagnostics::default();
        let dir = std::env::temp_dir().join("sitrep-no-templates-here");
        assert!(
            Templates::load(&dir, 1000, &mut diagnostics).is_some(),
            "{diagnostics:?}"
        );
    }

    #[test]
    fn the_safe_filter_writes_what_teras_own_writes() {
        let text = "{{ s | safe }}|{{ n | safe }}|{{ b | safe }}|{{ l | safe }}|{{ s }}";
        let ours =
            Templates::from_sources(vec![source("t.html", text)], &mut Diagnostics::default())
                .unwrap()
                .tera;
        let mut teras = Tera::new();
        teras.autoescape_on(vec![".html"]);
        teras.add_raw_template("t.html", text).unwrap();
        let mut context = tera::Context::new();
        context.insert("s", &"<b>a & b</b>".repeat(40));
        context.insert("n", &2.5);
        context.insert("b", &true);
        context.insert("l", &["<i>", "x"]);
        let ours = ours.render("t.html", &context).unwrap();
        assert_eq!(ours, teras.render("t.html", &context).unwrap());
        assert!(ours.starts_with("<b>a & b</b><b>"), "{ours}");
        // The unfiltered string is still escaped: marking a shared string safe left the
        // context's value as it was.
        assert!(ours.ends_with("&lt;b&gt;a &amp; b&lt;/b&gt;"), "{ours}");
    }
}
