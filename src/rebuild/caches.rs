//! Scanned bodies and archive texts kept between rebuilds ([`Caches`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::load::LoadedFile;
use crate::markdown::{self, Body};
use crate::model::Origin;
use crate::read::ReadError;
use crate::site::Reuse;
use crate::validate::ArchiveText;

/// Scanned bodies and archive texts kept between rebuilds.
#[derive(Default)]
pub(super) struct Caches {
    /// By file: the file's text and its scanned body.
    pub(super) bodies: Mutex<HashMap<PathBuf, CachedBody>>,
    /// By absolute path.
    pub(super) archives: Mutex<HashMap<PathBuf, CachedArchive>>,
}

pub(super) struct CachedBody {
    pub(super) text: Arc<str>,
    pub(super) body: Body,
}

pub(super) struct CachedArchive {
    pub(super) modified: Option<SystemTime>,
    pub(super) len: u64,
    pub(super) text: Arc<ArchiveText>,
}

impl Caches {
    /// Drops cached bodies of files that no longer exist.
    pub(super) fn forget_archives(&self, paths: &BTreeSet<PathBuf>) {
        if paths.is_empty() {
            return;
        }
        let mut archives = self.archives.lock().unwrap_or_else(|e| e.into_inner());
        archives.retain(|path, _| {
            let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            !paths.contains(path) && !paths.contains(&real)
        });
    }

    pub(super) fn forget_all_but(&self, files: &BTreeMap<PathBuf, LoadedFile>) {
        let mut bodies = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        bodies.retain(|path, _| files.contains_key(path));
    }
}

impl Reuse for Caches {
    fn scan_body(&self, origin: &Origin, markdown: &str) -> Body {
        {
            let bodies = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(cached) = bodies.get(&origin.file)
                && Arc::ptr_eq(&cached.text, &origin.text)
            {
                return cached.body.clone();
            }
        }
        let body = markdown::scan(markdown);
        let mut bodies = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        bodies.insert(
            origin.file.clone(),
            CachedBody {
                text: origin.text.clone(),
                body: body.clone(),
            },
        );
        body
    }

    fn archive(
        &self,
        root: &Path,
        path: &Path,
        max_size: u64,
    ) -> Result<Arc<ArchiveText>, ReadError> {
        let full = root.join(path);
        let meta = std::fs::metadata(&full)?;
        let (modified, len) = (meta.modified().ok(), meta.len());
        {
            let archives = self.archives.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(cached) = archives.get(&full)
                && cached.modified == modified
                && modified.is_some()
                && cached.len == len
                && len <= max_size
            {
                return Ok(cached.text.clone());
            }
        }
        let text = crate::validate::read_archive(&full, max_size)?;
        let mut archives = self.archives.lock().unwrap_or_else(|e| e.into_inner());
        archives.insert(
            full,
            CachedArchive {
                modified,
                len,
                text: text.clone(),
            },
        );
        Ok(text)
    }
}
