//! The whole-site diff: the output files whose bytes may differ between two sites
//! ([`affected`]), looked up in their input maps.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::load::{self};
use crate::model::Origin;
use crate::render::fingerprints::Fingerprints;
use crate::render::input_map::InputMap;
use crate::render::{self, Globals, Job};
use crate::site::Site;

/// What to re-render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Every output file, for the reason given.
    All(&'static str),
    /// Only these jobs; every other output file is unchanged.
    Jobs(BTreeSet<Job>),
}

/// A site as rendered, with the fingerprints of its inputs and its input map.
pub struct Mapped<'a> {
    pub site: &'a Site,
    pub globals: &'a Globals,
    pub fingerprints: &'a Fingerprints,
    pub map: &'a InputMap,
}

/// The output files whose bytes may differ between rendering `old` and rendering `new`
/// (same templates and theme): those that read an input whose fingerprint differs, looked
/// up in both sites' input maps (see `render::inputs`). Every file reads the settings, so
/// a change to them re-renders everything; so does a change to the set of files (items
/// added, removed or renamed), as the inputs of both sites are then not comparable.
pub fn affected(old: Mapped, new: Mapped) -> Plan {
    let (ob, nb) = (&old.site.briefing, &new.site.briefing);
    if old.site.config != new.site.config {
        return Plan::All("site.toml changed");
    }
    if old.globals.settings() != new.globals.settings() {
        return Plan::All("the navigation or a site-wide setting changed");
    }
    let ids_differ = !same_ids(&ob.incidents, &nb.incidents, |i| &i.id)
        || !same_ids(&ob.figures, &nb.figures, |f| &f.id)
        || !same_ids(&ob.sources, &nb.sources, |s| &s.id)
        || !same_ids(&ob.pages, &nb.pages, |p| &p.id);
    if ids_differ || render::pages(old.site) != render::pages(new.site) {
        return Plan::All("files were added, removed or renamed");
    }
    let changed = old.fingerprints.changed(new.fingerprints);
    let mut jobs = old.map.readers(&changed);
    jobs.extend(new.map.readers(&changed));
    Plan::Jobs(jobs)
}

/// Whether two lists hold items with the same ids in the same order.
pub(super) fn same_ids<T>(a: &[T], b: &[T], id: impl Fn(&T) -> &String) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| id(x) == id(y))
}

/// Whether two items came from the same file with the same text, and so are equal:
/// parsing is a pure function of path and text.
pub(super) fn same_origin(a: &Origin, b: &Origin) -> bool {
    a.file == b.file && (Arc::ptr_eq(&a.text, &b.text) || a.text == b.text)
}

/// The front matter of a Markdown file (everything when it has none).
pub(super) fn front_matter(origin: &Origin) -> &str {
    load::split_front_matter(&origin.text).map_or(&origin.text, |(yaml, _)| yaml)
}
