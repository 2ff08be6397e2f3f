//! The one mechanism rendered fragments are kept with: cells made on first use and kept
//! until the input they are made from changes. [`Slots`] hold one cell per item (a source,
//! an incident, a figure), [`ClaimSlots`] one per claim, [`Slot`] one for a site-wide
//! list. Each cell is keyed by the [`Input`] its value is made from (`render::inputs`),
//! so `sitrep serve` forgets exactly the cells whose input changed, as the fingerprints
//! tell it (`Globals::forget`): no second list of rules says which edit changes which
//! fragment. The values pages share (`shared.rs`) and the rows of the site-wide listings
//! (`rows.rs`) are both kept this way.
//!
//! A cell's key must stand for everything its value reads (within what `serve` patches
//! without rendering everything: the items' files, their analysis and checks).

use std::sync::OnceLock;

use super::inputs::Input;
use crate::model::{Briefing, FigureIx, Ix, IxVec};

/// One lazily made value per item of one kind (indexed by `I`), keyed by the input
/// `key(index)`.
#[derive(Debug)]
pub(super) struct Slots<I, T> {
    cells: IxVec<I, OnceLock<T>>,
    key: fn(I) -> Input,
}

impl<I: Ix, T> Slots<I, T> {
    /// `n` empty slots, slot `i` made from input `key(i)`.
    pub(super) fn new(n: usize, key: fn(I) -> Input) -> Slots<I, T> {
        Slots {
            cells: (0..n).map(|_| OnceLock::new()).collect(),
            key,
        }
    }

    /// Item `i`'s value, made with `make` the first time.
    pub(super) fn get_or_make(&self, i: I, make: impl FnOnce() -> T) -> &T {
        self.cells[i].get_or_init(make)
    }

    /// Item `i`'s cell.
    pub(super) fn cell(&self, i: I) -> &OnceLock<T> {
        &self.cells[i]
    }

    /// Item `i`'s value, if made.
    pub(super) fn get(&self, i: I) -> Option<&T> {
        self.cells.get(i)?.get()
    }

    /// Forgets the values made from any of `changed`; returns the items whose slots
    /// those inputs key.
    pub(super) fn forget(&mut self, changed: &[Input]) -> Vec<I> {
        let mut forgotten = Vec::new();
        for &input in changed {
            // An input names its item by position only; the key tells which kind it is.
            if let Some(n) = input.item()
                && n < self.cells.len()
                && (self.key)(I::from_usize(n)) == input
            {
                let i = I::from_usize(n);
                self.cells[i].take();
                forgotten.push(i);
            }
        }
        forgotten
    }
}

/// One lazily made value per claim, keyed by [`Input::Claim`].
#[derive(Debug)]
pub(super) struct ClaimSlots<T> {
    /// Every figure's claims, one figure after another.
    cells: Vec<OnceLock<T>>,
    /// Where each figure's claims start in `cells`.
    first: Vec<usize>,
}

impl<T> ClaimSlots<T> {
    /// Empty slots for every claim of `b`.
    pub(super) fn new(b: &Briefing) -> ClaimSlots<T> {
        let mut first = Vec::with_capacity(b.figures.len());
        let mut claims = 0;
        for figure in &b.figures {
            first.push(claims);
            claims += figure.claims.len();
        }
        ClaimSlots {
            cells: (0..claims).map(|_| OnceLock::new()).collect(),
            first,
        }
    }

    /// Claim `c` of figure `f`'s cell.
    pub(super) fn cell(&self, f: FigureIx, c: usize) -> &OnceLock<T> {
        &self.cells[self.first[f.get()] + c]
    }

    /// Forgets the values of the claims in `changed`.
    pub(super) fn forget(&mut self, changed: &[Input]) {
        for &input in changed {
            if let Input::Claim(f, c) = input
                && let Some(&first) = self.first.get(f.get())
                && let Some(cell) = self.cells.get_mut(first + c)
            {
                cell.take();
            }
        }
    }
}

/// One lazily made value, keyed by a site-wide input.
#[derive(Debug)]
pub(super) struct Slot<T> {
    cell: OnceLock<T>,
    key: Input,
}

impl<T> Slot<T> {
    /// An empty slot made from input `key`.
    pub(super) fn new(key: Input) -> Slot<T> {
        Slot {
            cell: OnceLock::new(),
            key,
        }
    }

    /// The cell.
    pub(super) fn cell(&self) -> &OnceLock<T> {
        &self.cell
    }

    /// Forgets the value if its input is in `changed`.
    pub(super) fn forget(&mut self, changed: &[Input]) {
        if changed.contains(&self.key) {
            self.cell.take();
        }
    }
}
