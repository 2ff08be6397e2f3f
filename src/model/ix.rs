//! Typed positions in the briefing's collections: an [`IncidentIx`] indexes incidents
//! (and the lists kept beside them), never figures, and a [`FigureIx`] figures only.
//! Collections are sorted by id, so a position stands for an id within one loaded briefing. Four bytes each: large briefings
//! keep many of them in lookups.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// A typed position: made from and turned into a plain number only at the edges.
pub trait Ix: Copy {
    fn from_usize(n: usize) -> Self;
    fn to_usize(self) -> usize;
}

/// A vector kept beside one of the briefing's collections (one entry per item), indexed
/// by that collection's position type only.
#[derive(Debug, Clone, PartialEq)]
pub struct IxVec<I, T> {
    items: Vec<T>,
    ix: PhantomData<fn(I)>,
}

impl<I: Ix, T> IxVec<I, T> {
    /// `len` entries, each `value`.
    pub fn filled(len: usize, value: T) -> IxVec<I, T>
    where
        T: Clone,
    {
        IxVec::from(vec![value; len])
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, ix: I) -> Option<&T> {
        self.items.get(ix.to_usize())
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }

    /// Every entry with its position.
    pub fn indexed(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator {
        (self.items.iter().enumerate()).map(|(n, item)| (I::from_usize(n), item))
    }

    /// Every entry with its position, to change.
    pub fn indexed_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = (I, &mut T)> + ExactSizeIterator {
        (self.items.iter_mut().enumerate()).map(|(n, item)| (I::from_usize(n), item))
    }
}

impl<I, T> Default for IxVec<I, T> {
    fn default() -> Self {
        IxVec::from(Vec::new())
    }
}

impl<I, T> From<Vec<T>> for IxVec<I, T> {
    fn from(items: Vec<T>) -> Self {
        IxVec {
            items,
            ix: PhantomData,
        }
    }
}

impl<I, T> FromIterator<T> for IxVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(items: It) -> Self {
        IxVec::from(items.into_iter().collect::<Vec<T>>())
    }
}

impl<'a, I, T> IntoIterator for &'a IxVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<I: Ix, T> Index<I> for IxVec<I, T> {
    type Output = T;
    fn index(&self, ix: I) -> &T {
        &self.items[ix.to_usize()]
    }
}

impl<I: Ix, T> IndexMut<I> for IxVec<I, T> {
    fn index_mut(&mut self, ix: I) -> &mut T {
        &mut self.items[ix.to_usize()]
    }
}

/// Declares a position type and lets it index vectors of the given item types.
macro_rules! ix_type {
    ($(#[$doc:meta])* $name:ident for $($item:ty),+) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            /// The item at position `n` of its collection.
            pub fn new(n: usize) -> $name {
                $name(u32::try_from(n).expect("a briefing holds fewer than 2^32 items"))
            }

            /// The position as a number, for vectors kept beside the collection.
            pub fn get(self) -> usize {
                self.0 as usize
            }

            /// Every position of a collection of `len` items, in order.
            pub fn all(len: usize) -> impl DoubleEndedIterator<Item = $name> + ExactSizeIterator + Clone {
                (0..len).map($name::new)
            }
        }

        impl Ix for $name {
            fn from_usize(n: usize) -> $name {
                $name::new(n)
            }
            fn to_usize(self) -> usize {
                self.get()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        $(
            impl Index<$name> for Vec<$item> {
                type Output = $item;
                fn index(&self, ix: $name) -> &$item {
                    &self[ix.get()]
                }
            }

            impl IndexMut<$name> for Vec<$item> {
                fn index_mut(&mut self, ix: $name) -> &mut $item {
                    &mut self[ix.get()]
                }
            }
        )+
    };
}

ix_type!(
    /// The position of a party in `Briefing::parties`.
    PartyIx for super::Party
);

ix_type!(
    /// The position of a content page in `Briefing::pages`.
    PageIx for super::Page
);

ix_type!(
    /// The position of an incident in `Briefing::incidents`.
    IncidentIx for super::Incident
);

ix_type!(
    /// The position of a source in `Briefing::sources`.
    SourceIx for super::Source
);

ix_type!(
    /// The position of a figure in `Briefing::figures`.
    FigureIx for super::Figure
);
