//! What a batch of file-system events touched: [`Changes`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::load::{self, CONTENT_DIR};
use crate::render::templates::{TEMPLATES_DIR, THEMES_DIR};

/// What a batch of file-system events touched, as paths relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `site.toml` changed.
    pub config: bool,
    /// Something under `templates/` changed.
    pub templates: bool,
    /// Something under `themes/` changed.
    pub theme: bool,
    /// Content files or folders that were created, modified, removed or renamed.
    pub content: BTreeSet<PathBuf>,
    /// Archived source texts that changed (absolute paths; they may lie outside the site).
    pub archives: BTreeSet<PathBuf>,
    /// Re-read everything (the first build, or the watcher lost events).
    pub everything: bool,
}

impl Changes {
    /// Everything is to be re-read.
    pub fn everything() -> Changes {
        Changes {
            everything: true,
            ..Changes::default()
        }
    }

    /// Notes a changed path (absolute, or relative to `root`). Paths that are not inputs of
    /// the site (the output folder, hidden and editor files …) are ignored; returns whether
    /// the path was an input.
    pub fn add(&mut self, root: &Path, path: &Path) -> bool {
        let rel = path.strip_prefix(root).unwrap_or(path);
        if rel.is_absolute() || rel.as_os_str().is_empty() {
            return false;
        }
        let names: Vec<String> = rel
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        if names.iter().any(|n| load::is_ignored_name(n) || n == "..") {
            return false;
        }
        match names[0].as_str() {
            CONFIG_FILE if names.len() == 1 => self.config = true,
            CONTENT_DIR => {
                self.content.insert(rel.to_path_buf());
            }
            TEMPLATES_DIR => self.templates = true,
            THEMES_DIR => self.theme = true,
            _ => return false,
        }
        true
    }

    /// Notes a changed archive file (see [`super::Rebuilder::archive_files`]).
    pub fn add_archive(&mut self, path: &Path) {
        self.archives.insert(path.to_path_buf());
    }

    /// Adds everything `other` touched.
    pub fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.templates |= other.templates;
        self.theme |= other.theme;
        self.everything |= other.everything;
        self.content.extend(other.content);
        self.archives.extend(other.archives);
    }

    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// What changed, for the terminal: "content/incidents/a.md, site.toml".
    pub fn describe(&self) -> String {
        if self.everything {
            return "everything".into();
        }
        let mut parts: Vec<String> = Vec::new();
        if self.config {
            parts.push(CONFIG_FILE.into());
        }
        if self.templates {
            parts.push(format!("{TEMPLATES_DIR}/"));
        }
        if self.theme {
            parts.push(format!("{THEMES_DIR}/"));
        }
        const SHOWN: usize = 3;
        let paths = self.content.iter().chain(&self.archives);
        parts.extend(paths.take(SHOWN).map(|p| p.display().to_string()));
        let count = self.content.len() + self.archives.len();
        if count > SHOWN {
            parts.push(format!("{} more", count - SHOWN));
        }
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_keep_inputs_only() {
        let root = Path::new("/site");
        let mut changes = Changes::default();
        assert!(changes.add(root, Path::new("/site/content/incidents/a.md")));
        assert!(changes.add(root, Path::new("/site/site.toml")));
        assert!(changes.add(root, Path::new("/site/themes/default/static/style.css")));
        assert!(!changes.add(root, Path::new("/site/public/index.html")));
        assert!(!changes.add(root, Path::new("/site/content/incidents/.a.md.swp")));
        assert!(!changes.add(root, Path::new("/site/content/incidents/a.md~")));
        assert!(!changes.add(root, Path::new("/elsewhere/content/a.md")));
        assert!(!changes.add(root, Path::new("/site/sub/site.toml")));
        assert!(changes.config && changes.theme && !changes.templates);
        assert_eq!(
            changes.content,
            BTreeSet::from([PathBuf::from("content/incidents/a.md")])
        );
        assert_eq!(
            changes.describe(),
            "site.toml, themes/, content/incidents/a.md"
        );
    }
}
