//! The map from terms to the documents holding them that indexing fills word by word.
//! Nearly every word is 16 bytes or shorter: such a term is kept packed in a `u128`, so
//! looking it up hashes and compares one integer instead of a string, and adding a new
//! one allocates nothing; longer terms are kept as strings beside them.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, Hash};

use super::Postings;

/// Terms of at most this many bytes are kept packed.
const PACKED_BYTES: usize = 16;

/// Postings being built, with the last document added kept beside them, so a word met
/// again in the same document reads nothing else.
#[derive(Default)]
struct Building {
    postings: Postings,
    /// The last document added + 1 (0: none yet), and the same for titles.
    last: u32,
    last_title: u32,
}

impl Building {
    /// The postings of a term first met in document `doc`.
    fn first(doc: u32, title: bool) -> Building {
        let mut building = Building::default();
        building.add(doc, title);
        building
    }

    fn add(&mut self, doc: u32, title: bool) {
        let next = doc + 1;
        if self.last != next {
            self.last = next;
            self.postings.all.push(doc);
        }
        if title && self.last_title != next {
            self.last_title = next;
            self.postings.title.push(doc);
        }
    }
}

/// Terms with their postings; documents must be added in increasing order.
#[derive(Default)]
pub(super) struct TermMap {
    packed: HashMap<u128, Building, rustc_hash::FxBuildHasher>,
    long: HashMap<Box<str>, Building, ahash::RandomState>,
}

impl TermMap {
    /// Records that document `doc` holds `term` (in its title when `title`). The usual
    /// case, a short term met before, is kept small enough to inline into the tokeniser.
    #[inline]
    pub(super) fn add(&mut self, term: &str, doc: u32, title: bool) {
        match pack(term.as_bytes()) {
            Some(key) => match self.packed.get_mut(&key) {
                Some(building) => building.add(doc, title),
                None => self.add_new_packed(key, doc, title),
            },
            None => self.add_long(term, doc, title),
        }
    }

    #[cold]
    fn add_new_packed(&mut self, key: u128, doc: u32, title: bool) {
        self.packed.insert(key, Building::first(doc, title));
    }

    #[cold]
    fn add_long(&mut self, term: &str, doc: u32, title: bool) {
        match self.long.get_mut(term) {
            Some(building) => building.add(doc, title),
            None => {
                self.long.insert(term.into(), Building::first(doc, title));
            }
        }
    }

    /// Appends the postings of `later`, whose documents all come after this map's.
    pub(super) fn append(&mut self, later: TermMap) {
        append_postings(&mut self.packed, later.packed);
        append_postings(&mut self.long, later.long);
    }

    /// Every term with its postings, in no particular order.
    pub(super) fn into_terms(self) -> impl Iterator<Item = (Box<str>, Postings)> {
        let packed = (self.packed.into_iter()).map(|(key, b)| (unpack(key), b.postings));
        let long = (self.long.into_iter()).map(|(term, b)| (term, b.postings));
        packed.chain(long)
    }
}

/// Appends the postings of each term of `later` to those `kept` has for it (or keeps them).
fn append_postings<K: Hash + Eq, S: BuildHasher>(
    kept: &mut HashMap<K, Building, S>,
    later: HashMap<K, Building, S>,
) {
    for (term, building) in later {
        match kept.entry(term) {
            Entry::Occupied(entry) => entry.into_mut().postings.append(building.postings),
            Entry::Vacant(entry) => {
                entry.insert(building);
            }
        }
    }
}

/// `bytes` (1 to 16 of them) as a little-endian integer, zero above the last byte; `None`
/// when there are more. A term holds no zero byte, so the packing loses nothing.
fn pack(bytes: &[u8]) -> Option<u128> {
    let n = bytes.len();
    // Two overlapping reads cover any length from one read's width to twice it: the
    // second is shifted down past the bytes the first already holds.
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default());
    let (low, high) = match n {
        0 => (0, 0),
        1..=3 => {
            let low = bytes.iter().rev().fold(0u64, |acc, &b| acc << 8 | b as u64);
            (low, 0)
        }
        4..=8 => {
            let high = (u32_at(n - 4) as u64) >> (8 * (8 - n));
            (u32_at(0) as u64 | high << 32, 0)
        }
        9..=PACKED_BYTES => (u64_at(0), u64_at(n - 8) >> (8 * (16 - n))),
        _ => return None,
    };
    Some((high as u128) << 64 | low as u128)
}

/// The term packed in `key`.
fn unpack(key: u128) -> Box<str> {
    let bytes = key.to_le_bytes();
    let len = PACKED_BYTES - (key.leading_zeros() / 8) as usize;
    // Packed from a `str` cut at character boundaries, so the bytes are UTF-8.
    String::from_utf8_lossy(&bytes[..len]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `pack` must compute, written the plain way.
    fn padded(bytes: &[u8]) -> Option<u128> {
        let mut out = [0u8; 16];
        out.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(u128::from_le_bytes(out))
    }

    #[test]
    fn packing_is_zero_padding_and_unpacks_to_the_term() {
        let text = "abcdefghijklmnopqrsTUVWXYZ:é-ī0123456789";
        for start in 0..text.len() {
            for end in start + 1..=text.len() {
                let (Some(term), true) = (text.get(start..end), text.is_char_boundary(start))
                else {
                    continue;
                };
                assert_eq!(pack(term.as_bytes()), padded(term.as_bytes()), "{term:?}");
                if let Some(key) = pack(term.as_bytes()) {
                    assert_eq!(&*unpack(key), term);
                }
            }
        }
    }

    #[test]
    fn short_and_long_terms_keep_their_documents_in_order() {
        let long = "internationalisation";
        let mut first = TermMap::default();
        first.add("turbat", 0, true);
        first.add("turbat", 0, false);
        first.add(long, 1, false);
        let mut later = TermMap::default();
        later.add("turbat", 5, false);
        later.add(long, 5, true);
        later.add("port", 6, false);
        first.append(later);
        let mut terms: Vec<(Box<str>, Postings)> = first.into_terms().collect();
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        let postings = |all: &[u32], title: &[u32]| Postings {
            all: all.to_vec(),
            title: title.to_vec(),
        };
        assert_eq!(
            terms,
            [
                (long.into(), postings(&[1, 5], &[5])),
                ("port".into(), postings(&[6], &[])),
                ("turbat".into(), postings(&[0, 5], &[0])),
            ]
        );
    }
}
