//! `site.toml`: the site's title, language, theme, output folder and options.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analyse::wordings::WordingConfig;

use crate::diagnostics::{Diagnostic, nearest};

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
    #[serde(default)]
    pub estimate: EstimateConfig,
    /// The site's own wordings of numbers, each mapped to a rule of the wording table
    /// (`[wordings."au moins"] rule = "lower-bound"`).
    #[serde(default)]
    pub wordings: BTreeMap<String, WordingConfig>,
    /// Free table handed to templates as `extra`.
    #[serde(default)]
    pub extra: toml::Table,
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

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output() -> PathBuf {
    PathBuf::from("public")
}
fn default_rule() -> String {
    "conservative".into()
}

impl Config {
    /// Reads and checks `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|err| {
            Diagnostic::error(
                CONFIG_FILE,
                format!("cannot read the site configuration: {err}"),
            )
            .with_hint(format!(
                "run sitrep in a site folder (one with `{CONFIG_FILE}`), or pass --root DIR"
            ))
        })?;
        Self::parse(&text)
    }

    /// Parses the text of `site.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|err| {
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
                    "estimate",
                    "extra",
                    "rule",
                    "wordings",
                    "low",
                    "high",
                    "value",
                ];
                if let Some(best) = nearest(field, fields) {
                    diagnostic = diagnostic.with_hint(format!("did you mean `{best}`?"));
                }
            }
            diagnostic
        })?;
        if let Some(url) = &mut config.base_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    format!("base_url `{url}` is not an absolute http(s) URL"),
                )
                .with_hint("write it in full, e.g. base_url = \"https://example.org/briefing/\""));
            }
            if !url.ends_with('/') {
                url.push('/');
            }
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
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_string()
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
}
