//! Numbers as the table and Markdown show them: rounded half away from
//! zero, signed changes, rank arrows, and the mark for no value.

/// What the table and Markdown show for a value that is absent or cannot be
/// shown as a number (not finite); a cell where no value belongs is blank.
pub const NO_VALUE: &str = "–";

/// `x` rounded to `decimals`, half away from zero (四舍五入, as Excel rounds),
/// never `-0.00`.
///
/// Rounds the shortest decimal text that reads back as `x`, not the binary
/// value: 65.625 shows as 65.63 and 2.675 as 2.68, as a person reading the
/// full-precision CSV would round them by hand.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        // Never `inf` or `NaN`: the table and Markdown mark for "no value".
        return NO_VALUE.to_string();
    }
    let text = format!("{}", x.abs());
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut digits: Vec<u8> = integer
        .bytes()
        .chain(
            fraction
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(decimals),
        )
        .collect();
    if fraction
        .as_bytes()
        .get(decimals)
        .is_some_and(|&d| d >= b'5')
    {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - decimals;
    let mut out = String::with_capacity(digits.len() + 2);
    if x < 0.0 && digits.iter().any(|&d| d != b'0') {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&digits[..split]).unwrap_or("0"));
    if decimals > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(&digits[split..]).unwrap_or("0"));
    }
    out
}

/// `x` rounded with an explicit sign: `+0.70`, `-1.25`, `0.00`.
pub fn signed(x: f64, decimals: usize) -> String {
    let text = fixed(x, decimals);
    if !x.is_finite() || text.starts_with('-') || text.bytes().all(|b| b == b'0' || b == b'.') {
        text
    } else {
        format!("+{text}")
    }
}

/// A rank change as an arrow: `↑2`, `↓1`, `=` for no change (`–` is kept
/// for a change that cannot be had, such as in the first period).
pub fn arrow(change: i64) -> String {
    match change {
        0 => "=".to_string(),
        up if up > 0 => format!("↑{up}"),
        down => format!("↓{}", down.unsigned_abs()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_never_prints_negative_zero() {
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-0.0, 2), "0.00");
    }

    #[test]
    fn fixed_rounds_half_away_from_zero_like_excel() {
        assert_eq!(fixed(65.625, 2), "65.63");
        assert_eq!(fixed(2.675, 2), "2.68");
        assert_eq!(fixed(80.76f64.next_up(), 2), "80.76");
        assert_eq!(fixed(-1.5, 0), "-2");
        assert_eq!(fixed(99.995, 2), "100.00");
        assert_eq!(fixed(9.5, 0), "10");
        assert_eq!(fixed(7.0, 3), "7.000");
        assert_eq!(fixed(0.1 + 0.2, 2), "0.30");
        assert_eq!(fixed(1e21, 1), "1000000000000000000000.0");
    }

    #[test]
    fn signed_shows_the_direction() {
        assert_eq!(signed(0.7, 2), "+0.70");
        assert_eq!(signed(-1.254, 2), "-1.25");
        assert_eq!(signed(0.0001, 2), "0.00");
    }

    #[test]
    fn arrows_for_rank_changes() {
        assert_eq!(arrow(2), "↑2");
        assert_eq!(arrow(-1), "↓1");
        assert_eq!(arrow(0), "=");
        assert_ne!(arrow(0), NO_VALUE);
    }
}
