//! The words a briefing uses for its kind of event: how an incident ended (`outcome`),
//! what kind of incident it is (`category`), and what the site calls a party with a stake
//! in the numbers. A conflict has parties to the conflict and attacks that were repelled;
//! a flood has a dam operator defending its response and a breach that was averted.
//!
//! `[vocabulary]` in `site.toml` picks a preset (`conflict`, the default, or `disaster`)
//! and may override each list or word. Validation checks incidents against the result.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, suggestion};
use crate::model::{HINT_SEPARATOR, Incident};
use crate::validate::locate;
use crate::yaml_path;

/// `[vocabulary]` as written in `site.toml`: a preset and optional overrides.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyConfig {
    #[serde(default)]
    pub preset: Option<String>,
    #[serde(default)]
    pub outcomes: Option<Vec<String>>,
    #[serde(default)]
    pub categories: Option<Vec<String>>,
    #[serde(default)]
    pub interested_party: Option<String>,
    #[serde(default)]
    pub interested_parties: Option<String>,
}

/// The words in force for a site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vocabulary {
    /// The preset the words start from.
    pub preset: &'static str,
    /// Every valid `outcome` of an incident.
    pub outcomes: Vec<String>,
    /// Every valid `category`; empty means any text is a category.
    pub categories: Vec<String>,
    /// What a party with `interested: true` is called: "party to the conflict".
    pub interested_party: String,
    /// The plural: "parties to the conflict".
    pub interested_parties: String,
}

/// A preset: its name, outcomes, and the singular and plural of the interested party.
struct Preset {
    name: &'static str,
    outcomes: &'static [&'static str],
    interested: (&'static str, &'static str),
}

const PRESETS: &[Preset] = &[
    Preset {
        name: "conflict",
        outcomes: &[
            "carried out",
            "repelled",
            "foiled",
            "attempted",
            "ongoing",
            "unclear",
        ],
        interested: ("party to the conflict", "parties to the conflict"),
    },
    Preset {
        name: "disaster",
        outcomes: &["occurred", "averted", "contained", "ongoing", "unclear"],
        interested: ("interested party", "interested parties"),
    },
];

/// The preset names, for messages.
pub fn preset_names() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.name).collect()
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::from_config(&VocabularyConfig::default()).unwrap_or_else(|_| unreachable!())
    }
}

impl Vocabulary {
    /// The vocabulary a `[vocabulary]` table asks for, or why it cannot be had (an unknown
    /// preset, an empty list), as "message; hint: …".
    pub fn from_config(config: &VocabularyConfig) -> Result<Vocabulary, String> {
        let name = config.preset.as_deref().unwrap_or("conflict");
        let Some(preset) = PRESETS.iter().find(|p| p.name == name) else {
            return Err(format!(
                "unknown vocabulary preset `{name}`{HINT_SEPARATOR}{}",
                suggestion(name, "preset", preset_names())
            ));
        };
        let outcomes = match &config.outcomes {
            Some(list) if list.iter().all(|w| w.trim().is_empty()) => {
                return Err(format!(
                    "`outcomes` is empty{HINT_SEPARATOR}list the outcomes incidents may have, e.g. outcomes = [\"occurred\", \"averted\"], or leave it out to use the preset's"
                ));
            }
            Some(list) => list.iter().map(|w| w.trim().to_string()).collect(),
            None => preset.outcomes.iter().map(|w| w.to_string()).collect(),
        };
        let (singular, plural) = preset.interested;
        let interested_party = config
            .interested_party
            .clone()
            .unwrap_or_else(|| singular.to_string());
        let interested_parties = match (&config.interested_parties, &config.interested_party) {
            (Some(plural), _) => plural.clone(),
            (None, Some(one)) => format!("{one}s"),
            (None, None) => plural.to_string(),
        };
        Ok(Vocabulary {
            preset: preset.name,
            outcomes,
            categories: config.categories.clone().unwrap_or_default(),
            interested_party,
            interested_parties,
        })
    }

    /// The outcome as listed, if `word` is one (case, `_` and `-` aside).
    pub fn outcome<'a>(&'a self, word: &str) -> Option<&'a str> {
        find(&self.outcomes, word)
    }

    /// The label of the flag raised when only interested parties report a figure.
    pub fn only_interested_label(&self) -> String {
        format!("Only {} report it", self.interested_parties)
    }

    /// Errors for an incident whose outcome or category is not in this vocabulary.
    pub fn check_incident(&self, incident: &Incident) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        if self.outcome(&incident.outcome).is_none() {
            found.push(self.unknown(incident, "outcome", &incident.outcome, &self.outcomes));
        }
        if !self.categories.is_empty() && find(&self.categories, &incident.category).is_none() {
            found.push(self.unknown(incident, "category", &incident.category, &self.categories));
        }
        found
    }

    fn unknown(
        &self,
        incident: &Incident,
        field: &str,
        word: &str,
        valid: &[String],
    ) -> Diagnostic {
        let words = valid.iter().map(String::as_str);
        let hint = match crate::diagnostics::nearest(&normal(word), words.clone()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "the {} vocabulary has: {} (set `{}` under [vocabulary] in site.toml to change it)",
                self.preset,
                valid.join(", "),
                if field == "category" {
                    "categories"
                } else {
                    "outcomes"
                }
            ),
        };
        locate(
            &incident.origin,
            &yaml_path![field],
            Diagnostic::error(&incident.origin.file, format!("unknown {field} `{word}`"))
                .with_hint(hint),
        )
        .while_reading()
    }
}

/// Words compare without case, surrounding space, and with `_` and `-` read as spaces.
fn normal(word: &str) -> String {
    word.trim().to_lowercase().replace(['_', '-'], " ")
}

fn find<'a>(list: &'a [String], word: &str) -> Option<&'a str> {
    list.iter().find(|w| same(w, word)).map(String::as_str)
}

/// Whether `a` and `b` are one word once [`normal`]: ASCII words (nearly all, and looked
/// up for every incident shown) compared byte by byte without making either.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        let fold = |c: u8| match c {
            b'_' | b'-' => b' ',
            c => c.to_ascii_lowercase(),
        };
        return a.len() == b.len() && a.bytes().map(fold).eq(b.bytes().map(fold));
    }
    normal(a) == normal(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_is_the_default_and_disaster_an_alternative() {
        let conflict = Vocabulary::default();
        assert_eq!(conflict.outcome("Carried_Out"), Some("carried out"));
        assert_eq!(conflict.interested_parties, "parties to the conflict");
        let disaster = Vocabulary::from_config(&VocabularyConfig {
            preset: Some("disaster".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(disaster.outcome("averted"), Some("averted"));
        assert_eq!(disaster.outcome("repelled"), None);
        assert_eq!(
            disaster.only_interested_label(),
            "Only interested parties report it"
        );
    }

    #[test]
    fn overrides_replace_the_preset_words() {
        let v = Vocabulary::from_config(&VocabularyConfig {
            preset: Some("disaster".into()),
            outcomes: Some(vec!["breached".into(), "held".into()]),
            categories: Some(vec!["dam failure".into()]),
            interested_party: Some("responsible authority".into()),
            interested_parties: Some("responsible authorities".into()),
        })
        .unwrap();
        assert_eq!(v.outcomes, ["breached", "held"]);
        assert_eq!(v.categories, ["dam failure"]);
        assert_eq!(
            v.only_interested_label(),
            "Only responsible authorities report it"
        );
        let err = Vocabulary::from_config(&VocabularyConfig {
            preset: Some("disastre".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.contains("did you mean `disaster`?"), "{err}");
    }

    proptest::proptest! {
        /// The byte-by-byte comparison says what comparing the normal forms says.
        #[test]
        fn same_is_equal_normal_forms(
            a in "[ aAbB_Σσς-]{0,6}",
            b in "[ aAbB_Σσς-]{0,6}",
        ) {
            proptest::prop_assert_eq!(same(&a, &b), normal(&a) == normal(&b));
        }
    }
}
