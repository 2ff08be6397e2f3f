//! Typed positions in the briefing's collections: an [`IncidentIx`] indexes incidents
//! (and the lists kept beside them), never figures. Collections are sorted by id, so a
//! position stands for an id within one loaded briefing. Four bytes each: large briefings
//! keep many of them in lookups.

use std::fmt;
use std::ops::{Index, IndexMut};

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
