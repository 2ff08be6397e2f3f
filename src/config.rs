//! `site.toml`: the site's title, language, theme, output folder and options.
//!
//! The parsed [`Config`] keeps the file's text, so a setting found wrong later (a theme that
//! does not exist, an unknown estimate rule) is reported at its line in `site.toml`.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analyse::wordings::WordingConfig;

use crate::diagnostics::{Diagnostic, nearest};
use crate::model::is_safe_slug;
use crate::read::{DEFAULT_MAX_FILE_SIZE, parse_size};
use crate::vocabulary::VocabularyConfig;

/// The file name of the site configuration, at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// Settings from `site.toml`, with defaults for everything but the title.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output")]
    pub output: PathBuf,
    /// Absolute URL of the published site, used only where absolute URLs are required.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Whether Markdown images from other sites are shown as images (they load from those
    /// sites) rather than as links to them.
    #[serde(default)]
    pub allow_remote_images: bool,
    /// Whether sources' archived texts are published as pages, for sources that do not say
    /// (`publish_archive` in a source file). Off by default: archived articles are often
    /// copyrighted.
    #[serde(default)]
    pub publish_archive: bool,
    #[serde(default)]
    pub estimate: EstimateConfig,
    /// Full-text search (`[search]`).
    #[serde(default)]
    pub search: SearchConfig,
    /// The Atom feed (`[feed]`).
    #[serde(default)]
    pub feed: FeedConfig,
    /// How long listings are split into pages (`[listings]`).
    #[serde(default)]
    pub listings: ListingsConfig,
    /// How many URLs one sitemap file lists (`[sitemap]`).
    #[serde(default)]
    pub sitemap: SitemapConfig,
    /// The largest input file sitrep reads (content, archives, templates, theme files).
    #[serde(default)]
    pub max_file_size: FileSize,
    /// The words for outcomes, categories and interested parties (see `vocabulary`).
    #[serde(default)]
    pub vocabulary: VocabularyConfig,
    /// Weekdays anchored to calendar days: `Tuesday = "2025-04-15"` (see `dates`).
    #[serde(default)]
    pub dates: toml::Table,
    /// Treat warnings as errors (as `--strict` does), for CI.
    #[serde(default)]
    pub strict: bool,
    /// The site's own wordings of numbers, each mapped to a rule of the wording table
    /// (`[wordings."au moins"] rule = "lower-bound"`).
    #[serde(default)]
    pub wordings: BTreeMap<String, WordingConfig>,
    /// Free table handed to templates as `extra`.
    #[serde(default)]
    pub extra: toml::Table,
    /// The text of `site.toml`, for locating settings in messages.
    #[serde(skip)]
    pub text: Arc<str>,
}

/// `max_file_size`: a number of bytes, or a string with a unit ("50MB", "2 GiB").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FileSize(pub u64);

impl Default for FileSize {
    fn default() -> Self {
        FileSize(DEFAULT_MAX_FILE_SIZE)
    }
}

impl<'de> Deserialize<'de> for FileSize {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = FileSize;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of bytes or a size such as \"50MB\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<FileSize, E> {
                match u64::try_from(v) {
                    Ok(bytes) if bytes > 0 => Ok(FileSize(bytes)),
                    _ => Err(E::custom(
                        "max_file_size must be a positive number of bytes",
                    )),
                }
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<FileSize, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FileSize, E> {
                parse_size(v).map(FileSize).ok_or_else(|| {
                    E::custom(format!(
                        "`{v}` is not a size: write a number of bytes or e.g. \"50MB\" (units B, KB, MB, GB, KiB, MiB, GiB)"
                    ))
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// How figure estimates are chosen (see `analyse::estimate`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EstimateConfig {
    #[serde(default = "default_rule")]
    pub rule: String,
}

impl Default for EstimateConfig {
    fn default() -> Self {
        EstimateConfig {
            rule: default_rule(),
        }
    }
}

/// `[search]`: whether the site gets a search box, `search.html` and the index files.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default = "default_true")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[feed]`: how many of the newest updated items the Atom feed lists.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    #[serde(default = "default_feed_entries")]
    pub entries: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            entries: default_feed_entries(),
        }
    }
}

fn default_feed_entries() -> usize {
    100
}

/// `[listings]`: the most entries one listing page shows; longer listings are split into
/// pages (see `render::paginate`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ListingsConfig {
    #[serde(default = "default_page_size")]
    pub page_size: usize,
}

impl Default for ListingsConfig {
    fn default() -> Self {
        ListingsConfig {
            page_size: default_page_size(),
        }
    }
}

fn default_page_size() -> usize {
    500
}

/// The most URLs one sitemap file may list (sitemaps.org protocol 0.9).
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// `[sitemap]`: the most URLs one sitemap file lists. A site with more pages gets a
/// sitemap index (`sitemap.xml`) pointing at `sitemaps/1.xml`, `sitemaps/2.xml`, …
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SitemapConfig {
    #[serde(default = "default_urls_per_file")]
    pub urls_per_file: usize,
}

impl Default for SitemapConfig {
    fn default() -> Self {
        SitemapConfig {
            urls_per_file: default_urls_per_file(),
        }
    }
}

fn default_urls_per_file() -> usize {
    SITEMAP_MAX_URLS
}

fn default_true() -> bool {
    true
}
fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
/// The output folder when `site.toml` names none (or cannot be read).
pub fn default_output() -> PathBuf {
    PathBuf::from("public")
}
fn default_rule() -> String {
    "conservative".into()
}

impl Config {
    /// Reads and checks `site.toml` in `root` (read with the default size limit, as the
    /// limit is set in this very file).
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = crate::read::read_text(&path, DEFAULT_MAX_FILE_SIZE).map_err(|err| {
            if err.is_io() {
                Diagnostic::error(
                    CONFIG_FILE,
                    format!("cannot read the site configuration: {err}"),
                )
                .with_hint(format!(
                    "run sitrep in a site folder (one with `{CONFIG_FILE}`), or pass --root DIR"
                ))
            } else {
                err.diagnostic(CONFIG_FILE)
            }
        })?;
        let config = Self::parse(&text)?;
        if !is_safe_slug(&config.theme) {
            return Err(config
                .error_at_key(
                    &["theme"],
                    format!(
                        "theme `{}` is not a theme name: a theme is a folder under `themes/`",
                        config.theme
                    ),
                )
                .with_hint(themes_hint(root, &config.theme)));
        }
        Ok(config)
    }

    /// Parses the text of `site.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: Config = toml::from_str(text).map_err(|err| syntax_error(text, &err))?;
        config.text = Arc::from(text);
        if let Some(url) = &config.base_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(config
                    .error_at_key(
                        &["base_url"],
                        format!("base_url `{url}` is not an absolute http(s) URL"),
                    )
                    .with_hint(
                        "write it in full, e.g. base_url = \"https://example.org/briefing/\"",
                    ));
            }
            if !url.ends_with('/') {
                config.base_url = Some(format!("{url}/"));
            }
        }
        if config.listings.page_size == 0 {
            return Err(config
                .error_at_key(&["listings", "page_size"], "page_size must be at least 1")
                .with_hint("write the most entries one listing page shows, e.g. page_size = 500"));
        }
        let urls = config.sitemap.urls_per_file;
        if urls == 0 || urls > SITEMAP_MAX_URLS {
            return Err(config
                .error_at_key(
                    &["sitemap", "urls_per_file"],
                    format!("urls_per_file must be from 1 to {SITEMAP_MAX_URLS}, not {urls}"),
                )
                .with_hint(format!(
                    "the sitemaps.org protocol allows at most {SITEMAP_MAX_URLS} URLs per file; leave it out for that"
                )));
        }
        for (name, wording) in &config.wordings {
            if let Some((message, hint)) = wording.problem() {
                let offset = text.find(name.as_str()).unwrap_or(0);
                return Err(
                    Diagnostic::error(CONFIG_FILE, format!("wording `{name}`: {message}"))
                        .at_offset(text, offset)
                        .with_hint(hint),
                );
            }
        }
        Ok(config)
    }

    /// An error in `site.toml` located at the key `path` (e.g. `["estimate", "rule"]`), or
    /// at the top of the file if the key is not written there.
    pub fn error_at_key(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        let diagnostic = Diagnostic::error(CONFIG_FILE, message);
        match key_span(&self.text, path) {
            Some(span) => diagnostic
                .at_offset(&self.text, span.start)
                .with_span_len(self.text[span].chars().count()),
            None => diagnostic,
        }
    }

    /// The size limit for input files, in bytes.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size.0
    }
}

/// The byte range of the key `path` in the TOML `text`, if it is written there.
fn key_span(text: &str, path: &[&str]) -> Option<Range<usize>> {
    let table = toml::de::DeTable::parse(text).ok()?;
    let mut table = table.get_ref();
    let (last, parents) = path.split_last()?;
    for name in parents {
        let (_, value) = table.get_key_value(*name)?;
        match value.get_ref() {
            toml::de::DeValue::Table(inner) => table = inner,
            _ => return None,
        }
    }
    let (key, _) = table.get_key_value(*last)?;
    Some(key.span())
}

/// The themes a site has, for hints: the folders under `themes/` with a plain name, and
/// the built-in `default`.
pub fn available_themes(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| is_safe_slug(name))
        .collect();
    if !names.iter().any(|n| n == "default") {
        names.push("default".into());
    }
    names.sort();
    names
}

/// "did you mean `dark`?" or the themes that exist, for theme errors about `wanted`.
pub fn themes_hint(root: &Path, wanted: &str) -> String {
    let themes = available_themes(root);
    if let Some(best) = nearest(wanted, themes.iter().map(String::as_str)) {
        return format!("did you mean `{best}`?");
    }
    let names: Vec<String> = themes.iter().map(|n| format!("`{n}`")).collect();
    format!(
        "set theme to one of {} (a theme is `themes/<name>/static/`, its name lowercase letters, digits, - and _)",
        names.join(", ")
    )
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_string()
}

/// A located error for `site.toml`'s text that did not parse, with the nearest key when a
/// key is unknown.
fn syntax_error(text: &str, err: &toml::de::Error) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(CONFIG_FILE, first_line(err.message()));
    if let Some(span) = err.span() {
        diagnostic = diagnostic
            .at_offset(text, span.start)
            .with_span_len(text[span.clone()].chars().count());
    }
    if let Some(field) = err
        .message()
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
    {
        let fields = [
            "title",
            "description",
            "language",
            "theme",
            "output",
            "base_url",
            "allow_remote_images",
            "publish_archive",
            "estimate",
            "max_file_size",
            "extra",
            "rule",
            "strict",
            "vocabulary",
            "dates",
            "preset",
            "outcomes",
            "categories",
            "interested_party",
            "interested_parties",
            "wordings",
            "low",
            "high",
            "value",
            "search",
            "enabled",
            "feed",
            "entries",
            "listings",
            "page_size",
            "sitemap",
            "urls_per_file",
        ];
        if let Some(best) = nearest(field, fields) {
            diagnostic = diagnostic.with_hint(format!("did you mean `{best}`?"));
        }
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply() {
        let config = Config::parse("title = \"T\"\n").unwrap();
        assert_eq!(config.output, PathBuf::from("public"));
        assert_eq!(config.estimate.rule, "conservative");
        assert!(config.base_url.is_none());
    }

    #[test]
    fn base_url_gets_a_trailing_slash() {
        let config = Config::parse("title = \"T\"\nbase_url = \"https://x.org/b\"\n").unwrap();
        assert_eq!(config.base_url.as_deref(), Some("https://x.org/b/"));
    }

    #[test]
    fn remote_images_are_off_unless_allowed() {
        assert!(
            !Config::parse("title = \"T\"\n")
                .unwrap()
                .allow_remote_images
        );
        let config = Config::parse("title = \"T\"\nallow_remote_images = true\n").unwrap();
        assert!(config.allow_remote_images);
        let err = Config::parse("title = \"T\"\nallow_remote_image = true\n").unwrap_err();
        assert_eq!(
            err.hint.as_deref(),
            Some("did you mean `allow_remote_images`?")
        );
    }

    #[test]
    fn site_wordings_are_read_and_checked() {
        let config = Config::parse(
            "title = \"T\"\n[wordings.\"au moins\"]\nrule = \"lower-bound\"\n[wordings.\"des dizaines\"]\nrule = \"vague\"\nlow = 20\nhigh = 99\n",
        )
        .unwrap();
        assert_eq!(config.wordings["au moins"].rule, "lower-bound");
        assert_eq!(config.wordings["des dizaines"].high, Some(99.0));
        let err = Config::parse("title = \"T\"\n[wordings.\"près de\"]\nrule = \"aproximately\"\n")
            .unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
        assert!(err.message.contains("unknown wording rule"), "{err:?}");
        let err = Config::parse("title = \"T\"\n[wordings.x]\nrule = \"vague\"\n").unwrap_err();
        assert!(err.message.contains("needs `low`"), "{err:?}");
    }

    #[test]
    fn unknown_field_is_located_with_a_hint() {
        let err = Config::parse("title = \"T\"\ntheem = \"x\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.hint.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn base_url_errors_point_at_the_key() {
        let err = Config::parse("title = \"T\"\n\n  base_url = \"example.org\"\n").unwrap_err();
        assert_eq!((err.line, err.column), (3, 3), "{err:?}");
        assert!(err.message.contains("not an absolute"), "{err:?}");
    }

    #[test]
    fn sizes_and_a_byte_order_mark_are_accepted() {
        let config = Config::parse("\u{feff}title = \"T\"\nmax_file_size = \"2KB\"\n").unwrap();
        assert_eq!(config.max_file_size(), 2000);
        let config = Config::parse("title = \"T\"\nmax_file_size = 300\n").unwrap();
        assert_eq!(config.max_file_size(), 300);
        let err = Config::parse("title = \"T\"\nmax_file_size = \"lots\"\n").unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
        let err = Config::parse("title = \"T\"\nmax_file_size = -1\n").unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
        assert_eq!(
            Config::parse("title = \"T\"\n").unwrap().max_file_size(),
            50_000_000
        );
    }

    #[test]
    fn nested_keys_are_located() {
        let config = Config::parse("title = \"T\"\n[estimate]\nrule = \"x\"\n").unwrap();
        let d = config.error_at_key(&["estimate", "rule"], "m");
        assert_eq!((d.line, d.column), (3, 1));
    }
}
