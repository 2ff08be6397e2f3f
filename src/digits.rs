//! Numbers written as decimal digits by hand: pages print tens of thousands of numbers and
//! dates, and `format!` costs more than the number (see `analyse::qualifiers::format_number`
//! and the dates in `model::when`).

/// The decimal digits of `n`, most significant first, written into the end of `buf`.
pub fn decimal(n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let (mut at, mut rest) = (buf.len(), n);
    loop {
        at -= 1;
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    &buf[at..]
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_are_those_to_string_writes() {
        for n in [0, 1, 9, 10, 99, 100, 1234, 10_000, 999_999_999, u64::MAX] {
            let mut buf = [0; 20];
            assert_eq!(super::decimal(n, &mut buf), n.to_string().as_bytes());
        }
    }
}
