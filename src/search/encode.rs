//! How a set of document ids is written in a term shard: whichever is shorter of
//!
//! - a list: the gaps between increasing ids (first id + 1, then differences), each minus
//!   one, as base-64 digits, most significant first, of 5 bits each; a digit with the
//!   value 32 added means more digits of the same number follow;
//! - a bitmap: `~` then one base-64 digit per 6 documents (bit `j` of digit `k` is document
//!   `6k + j`), trailing zero digits left out.
//!
//! The digits are `A–Z a–z 0–9 - _` (values 0–63), so sets need no escaping in JSON.

/// The base-64 digits, by value.
pub const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The number of digits [`push_gap`] writes for `gap`.
fn gap_digits(mut gap: u32) -> usize {
    let mut n = 1;
    while gap >= 32 {
        gap >>= 5;
        n += 1;
    }
    n
}

fn push_gap(out: &mut String, gap: u32) {
    let n = gap_digits(gap);
    for k in (0..n).rev() {
        let value = (gap >> (5 * k)) & 31;
        let more = if k > 0 { 32 } else { 0 };
        out.push(DIGITS[(value | more) as usize] as char);
    }
}

/// The length of the list form of `ids`.
fn list_size(ids: &[u32]) -> usize {
    let mut prev: i64 = -1;
    ids.iter()
        .map(|&id| {
            let gap = (i64::from(id) - prev - 1) as u32;
            prev = i64::from(id);
            gap_digits(gap)
        })
        .sum()
}

/// The length of the bitmap form of `ids`.
fn bitmap_size(ids: &[u32]) -> usize {
    ids.last().map_or(1, |&last| 1 + last as usize / 6 + 1)
}

/// The length [`push_set`] writes for `ids` (out of `docs` documents).
pub fn size(ids: &[u32], _docs: usize) -> usize {
    list_size(ids).min(bitmap_size(ids))
}

/// Writes the shorter form of the increasing ids `ids`.
pub fn push_set(out: &mut String, ids: &[u32]) {
    if bitmap_size(ids) < list_size(ids) {
        out.push('~');
        let mut digit = 0u8;
        let mut at = 0usize;
        for &id in ids {
            let k = id as usize / 6;
            while at < k {
                out.push(DIGITS[digit as usize] as char);
                digit = 0;
                at += 1;
            }
            digit |= 1 << (id % 6);
        }
        out.push(DIGITS[digit as usize] as char);
    } else {
        let mut prev: i64 = -1;
        for &id in ids {
            push_gap(out, (i64::from(id) - prev - 1) as u32);
            prev = i64::from(id);
        }
    }
}

/// Reads a set written by [`push_set`] (the search script's algorithm, for tests).
pub fn decode_set(text: &str) -> Vec<u32> {
    let value = |c: u8| DIGITS.iter().position(|&d| d == c).expect("a digit") as u32;
    let mut ids = Vec::new();
    if let Some(bits) = text.strip_prefix('~') {
        for (k, c) in bits.bytes().enumerate() {
            let digit = value(c);
            ids.extend(
                (0..6)
                    .filter(|j| digit & (1 << j) != 0)
                    .map(|j| k as u32 * 6 + j),
            );
        }
        return ids;
    }
    let mut prev: i64 = -1;
    let mut gap = 0u32;
    for c in text.bytes() {
        let v = value(c);
        gap = (gap << 5) | (v & 31);
        if v < 32 {
            prev += i64::from(gap) + 1;
            ids.push(prev as u32);
            gap = 0;
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(ids: &[u32]) -> String {
        let mut out = String::new();
        push_set(&mut out, ids);
        assert_eq!(out.len(), size(ids, 0), "{ids:?}");
        assert_eq!(decode_set(&out), ids, "{out}");
        out
    }

    #[test]
    fn sets_round_trip_in_their_shorter_form() {
        // Gaps 0, 0, 31 (one digit each): ids 0, 1, 33.
        assert_eq!(round_trip(&[0, 1, 33]), "AAf");
        // Gap 32 needs two digits: "h" (1 + 32 = more follows) then "A".
        assert_eq!(round_trip(&[32]), "hA");
        // Six consecutive ids from 0: one bitmap digit, 63 = "_".
        assert_eq!(round_trip(&[0, 1, 2, 3, 4, 5, 6, 7]), "~_D");
        assert_eq!(round_trip(&[]), "");
        round_trip(&[5, 1000, 1_000_000, 4_000_000_000]);
        let dense: Vec<u32> = (0..10_000).filter(|n| n % 3 != 0).collect();
        assert!(round_trip(&dense).starts_with('~'));
    }
}
