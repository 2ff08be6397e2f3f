//! Helpers shared by the integration tests: temporary folders, building the shipped
//! briefing, and fixture sites copied from it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use sitrep::cmd::build::{self, BuildOptions};
use sitrep::site::Overrides;

/// The repository root: the shipped briefing's site folder.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty temporary folder, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("sitrep-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Build options for `root` into `out`, with an optional base URL.
pub fn options(root: &Path, out: &Path, base_url: Option<&str>) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        overrides: Overrides {
            base_url: base_url.map(str::to_string),
        },
    }
}

/// Builds the shipped briefing into `out`, panicking with the diagnostics on failure.
pub fn build_shipped(out: &Path, base_url: Option<&str>) {
    if let Err(diagnostics) = build::build(&options(&repo(), out, base_url)) {
        panic!("the shipped briefing does not build: {diagnostics:?}");
    }
}

/// A copy of the shipped site (site.toml and content/) in `dir`, with archive paths made
/// absolute so quotes are still verified, plus the given template overrides.
pub fn fixture_site(dir: &Path, templates: &[(&str, &str)]) {
    let repo = repo();
    std::fs::copy(repo.join("site.toml"), dir.join("site.toml")).unwrap();
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&repo).unwrap();
        let target = dir.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let seeds = repo.join("../shared/seeds");
            let text = text.replace(
                "archive: ../shared/seeds",
                &format!("archive: {}", seeds.display()),
            );
            std::fs::write(&target, text).unwrap();
        }
    }
    for (name, text) in templates {
        let path = dir.join("templates").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}
