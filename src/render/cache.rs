//! The one mechanism rendered fragments are kept with: [`Slots`], one cell per item (a
//! source, an incident, a figure, a claim), each made on first use and kept until
//! forgotten. The values pages share (`shared.rs`) and the rows of the site-wide listings
//! (`rows.rs`) are both kept in slots, and `sitrep serve` forgets the slots of the items an
//! edit changed (`Globals::forget_figure`, `Globals::forget_incident`).

use std::sync::OnceLock;

/// One lazily made value per item, by index.
#[derive(Debug)]
pub(super) struct Slots<T>(Vec<OnceLock<T>>);

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Slots(Vec::new())
    }
}

impl<T> Slots<T> {
    /// `n` empty slots.
    pub(super) fn new(n: usize) -> Slots<T> {
        Slots((0..n).map(|_| OnceLock::new()).collect())
    }

    /// Item `i`'s value, made with `make` the first time.
    pub(super) fn get_or_make(&self, i: usize, make: impl FnOnce() -> T) -> &T {
        self.0[i].get_or_init(make)
    }

    /// Item `i`'s cell.
    pub(super) fn cell(&self, i: usize) -> &OnceLock<T> {
        &self.0[i]
    }

    /// Forgets item `i`'s value.
    pub(super) fn forget(&mut self, i: usize) {
        self.0[i].take();
    }

    /// Forgets the values of items `range`.
    pub(super) fn forget_range(&mut self, range: std::ops::Range<usize>) {
        for cell in &mut self.0[range] {
            cell.take();
        }
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }
}
