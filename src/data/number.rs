//! One CSV cell → a number, a missing value, or the reason it is neither.

/// Cell texts that mark a missing value (compared after trimming, ignoring ASCII case).
pub const MISSING_MARKERS: [&str; 6] = ["NA", "N/A", "-", "—", "..", "#N/A"];

/// Parses a data cell.
///
/// Accepts a plain decimal (`70.2`, `-3`, `1e3`), a trailing percent sign
/// (`68.21%` → 68.21, the value is already a percentage), thousands separators
/// in groups of three (`1,234.5`), full-width digits and signs as typed with a
/// Chinese input method (`８０.５`), and surrounding spaces. Returns
/// `Ok(None)` for an empty cell or a missing marker, and `Err(reason)` for
/// anything else, such as `7O.2`, `NaN` or `1e400`.
///
/// This reads a cell of a comma-separated file; [`parse_cell_in`] reads one
/// of a file separated otherwise, where a comma may be a decimal mark.
pub fn parse_cell(text: &str) -> Result<Option<f64>, &'static str> {
    parse(text, Commas::Thousands).map_err(|reason| match reason {
        Reason::Said(reason) => reason,
        // Neither arises with commas as the field separator.
        Reason::AmbiguousComma { .. } | Reason::AmbiguousPoint { .. } => DECIMAL_COMMA,
    })
}

/// What a comma in a number can mean, which depends on the file's separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commas {
    /// Fields are separated by commas: a number with a comma in it was
    /// quoted on purpose, and the comma groups thousands (`"1,234"`).
    Thousands,
    /// Fields are separated by `;`, tabs or `|`, as in the files of the
    /// languages that write a decimal comma (`1,5`), so a single comma before
    /// three digits (`1,234`) is a decimal mark as much as a thousands
    /// separator.
    Either,
}

impl Commas {
    /// What commas mean in a file with this field separator.
    pub fn for_delimiter(delimiter: u8) -> Commas {
        if delimiter == b',' {
            Commas::Thousands
        } else {
            Commas::Either
        }
    }
}

/// [`parse_cell`] for a cell of a file whose separator makes commas mean
/// `commas`; the reason is a message to show after the cell's text.
pub fn parse_cell_in(text: &str, commas: Commas) -> Result<Option<f64>, String> {
    parse(text, commas).map_err(|reason| match reason {
        Reason::Said(reason) => reason.to_string(),
        Reason::AmbiguousPoint { decimal, thousands } => format!(
            "is ambiguous: in a file separated by `;`, tabs or `|`, a point may group \
             thousands ({thousands}) as well as mark decimals ({decimal}); write {thousands} for \
             the thousands, or add a digit for the decimals ({decimal}0)"
        ),
        Reason::AmbiguousComma { decimal, thousands } => format!(
            "is ambiguous: in a file separated by `;`, tabs or `|`, a comma may be the decimal \
             mark ({decimal}) as well as a thousands separator ({thousands}); write it without \
             the comma ({decimal} or {thousands})"
        ),
    })
}

/// Why a cell is not a number.
enum Reason {
    Said(&'static str),
    /// One point before exactly three digits (`1.234`), in a file where a
    /// point can group thousands: the number both ways.
    AmbiguousPoint {
        decimal: String,
        thousands: String,
    },
    /// A single comma before three digits, in a file where that comma can
    /// be either: the number both ways.
    AmbiguousComma {
        decimal: String,
        thousands: String,
    },
}

fn parse(text: &str, commas: Commas) -> Result<Option<f64>, Reason> {
    if let Some(value) = plain_number(text.trim().as_bytes(), commas) {
        return Ok(Some(value));
    }
    if commas == Commas::Either && grouped_by_a_point(text.trim().as_bytes()) {
        let text = text.trim();
        return Err(Reason::AmbiguousPoint {
            decimal: text.to_string(),
            thousands: text.replace('.', ""),
        });
    }
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(value) = text.parse::<f64>() {
        return finite(value, text).map_err(Reason::Said);
    }
    if MISSING_MARKERS
        .iter()
        .any(|marker| marker.eq_ignore_ascii_case(text))
    {
        return Ok(None);
    }
    let folded = fold_full_width(text);
    let folded = folded.trim();
    let number = folded.strip_suffix('%').unwrap_or(folded).trim_end();
    let plain = strip_thousands_separators(number);
    match plain.parse::<f64>() {
        Ok(_)
            if commas == Commas::Either
                && number.matches(',').count() == 1
                && !number.contains('.') =>
        {
            Err(Reason::AmbiguousComma {
                decimal: number.replace(',', "."),
                thousands: plain.into_owned(),
            })
        }
        Ok(value) => finite(value, &plain).map_err(Reason::Said),
        Err(_) if plain.contains(',') => Err(Reason::Said(DECIMAL_COMMA)),
        Err(_) => Err(Reason::Said("is not a number")),
    }
}

/// [`parse_plain`], except that in a file whose separator makes a point a
/// possible thousands separator (`;`, tab, `|`) a number such as `1.234` is
/// not taken as plain: it is ambiguous, and the slow path says so.
#[inline(always)]
pub fn plain_number(bytes: &[u8], commas: Commas) -> Option<f64> {
    let value = parse_plain(bytes)?;
    (commas != Commas::Either || !grouped_by_a_point(bytes)).then_some(value)
}

/// `1.234`, `-12.345`, `123.456`: one to three digits (not a lone 0), a
/// point, exactly three digits, as thousands are grouped where the comma is
/// the decimal mark.
fn grouped_by_a_point(bytes: &[u8]) -> bool {
    let digits = match bytes.first() {
        Some(b'-' | b'+') => &bytes[1..],
        _ => bytes,
    };
    let Some(point) = digits.iter().position(|&b| b == b'.') else {
        return false;
    };
    let (whole, rest) = (&digits[..point], &digits[point + 1..]);
    (1..=3).contains(&whole.len())
        && whole[0] != b'0'
        && whole.iter().all(u8::is_ascii_digit)
        && rest.len() == 3
        && rest.iter().all(u8::is_ascii_digit)
}

/// The reason given for any number with a comma that is not a thousands
/// separator: `1.234,5`, `12,5`, `0,125` are all read wrongly somewhere, so
/// none of them is guessed at.
pub const DECIMAL_COMMA: &str = "is not a number: a comma is read only as a thousands separator \
     in groups of three (1,234.5); if the comma is a decimal comma, write the number with a \
     decimal point and no other separator (1234.5 for 1.234,5)";

/// Exact powers of ten: every one up to 10^22 is representable in an f64.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The fast path of [`parse_cell`] for the cells almost every file is made
/// of: `[+-]digits[.digits]`, plain ASCII with no spaces.
/// `None` means "not that simple", not "not a number": the caller then takes
/// the general path, which decides.
///
/// It gives the very same f64 as `str::parse` (bit for bit), by Clinger's
/// fast path: when the digits as an integer m fit in 53 bits and there are
/// k ≤ 22 decimals, both m and 10^k are exact f64s, and IEEE division rounds
/// m / 10^k correctly, which is also what `str::parse` returns. Anything else
/// with more digits goes to `fast-float2` ([`long_plain`]), and anything
/// else (exponents, `%`, separators, markers) falls through. Working
/// on bytes also skips the UTF-8 check: an all-ASCII cell is valid UTF-8.
/// It is several times faster than `str::parse` on such cells, and a
/// million-row file has 46 million of them.
#[inline(always)]
pub fn parse_plain(bytes: &[u8]) -> Option<f64> {
    let (negative, digits) = match bytes.first()? {
        b'-' => (true, &bytes[1..]),
        b'+' => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let (mut i, mut mantissa) = accumulate_digits(digits, 0, 0);
    let mut count = i;
    let mut decimals = 0;
    if digits.get(i) == Some(&b'.') {
        let start = i + 1;
        (i, mantissa) = accumulate_digits(digits, start, mantissa);
        decimals = i - start;
        count += decimals;
    }
    if i != digits.len() || count == 0 {
        return None;
    }
    // 19 digits never overflow a u64 (10^19 − 1 < 2^64).
    if count > 19 || mantissa > 1 << 53 {
        return long_plain(bytes);
    }
    let value = mantissa as f64 / *POWERS_OF_TEN.get(decimals)?;
    // -0 is 0, as in `finite`.
    Some(if negative { -value } else { value } + 0.0)
}

/// A plain number with too many digits for the exact fast path:
/// `fast-float2` rounds it correctly, as `str::parse` does (Eisel-Lemire,
/// with a big-decimal fallback), several times faster. Beyond
/// [`MAX_MAGNITUDE`] it is left to the general path, which says why.
#[inline(never)]
fn long_plain(bytes: &[u8]) -> Option<f64> {
    let value: f64 = fast_float2::parse(bytes).ok()?;
    (value.abs() <= MAX_MAGNITUDE).then_some(value + 0.0)
}

pub use crate::limits::MAX_MAGNITUDE;

/// Appends the run of ASCII digits from `start` to `mantissa`; returns where
/// the run ends and the new mantissa. Wrapping arithmetic keeps the loop tight:
/// past 19 digits the value is wrong, but [`parse_plain`] then rejects it by count.
#[inline(always)]
fn accumulate_digits(digits: &[u8], start: usize, mut mantissa: u64) -> (usize, u64) {
    let mut i = start;
    while let Some(&b) = digits.get(i) {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(digit));
        i += 1;
    }
    (i, mantissa)
}

fn finite(value: f64, text: &str) -> Result<Option<f64>, &'static str> {
    if value.is_finite() && value.abs() <= MAX_MAGNITUDE {
        // -0 is 0: it must not print as "-0" or sort apart from 0.
        Ok(Some(value + 0.0))
    } else if text.bytes().any(|b| b.is_ascii_digit()) {
        Err("is too large to be a number kmgov can use (beyond ±1e100)")
    } else {
        Err("is not a number")
    }
}

pub use crate::names::fold_full_width;

/// `1,234,567.5` → `1234567.5`; text whose commas are not thousands groups
/// in the integer part is left alone (and then fails to parse).
///
/// The integer part must be grouped exactly: a first group of one to three
/// digits that is not a lone leading zero, then groups of three. `0,125` and
/// `00,123` are decimal commas in many locales, `1.234,5` and `12.5,3` have a
/// comma after the point: all are refused rather than read as 125 or 1.2345.
fn strip_thousands_separators(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(',') {
        return text.into();
    }
    let unsigned = text.trim_start_matches(['+', '-']);
    let (integer, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut groups = integer.split(',');
    let first_ok = groups.next().is_some_and(|g| {
        (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()) && !g.starts_with('0')
    });
    let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if first_ok && rest_ok && !fraction.contains(',') {
        text.replace(',', "").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_parse() {
        assert_eq!(parse_cell("70.2"), Ok(Some(70.2)));
        assert_eq!(parse_cell(" -3 "), Ok(Some(-3.0)));
        assert_eq!(parse_cell("1e3"), Ok(Some(1000.0)));
    }

    #[test]
    fn percent_sign_is_dropped() {
        assert_eq!(parse_cell("68.21%"), Ok(Some(68.21)));
        assert_eq!(parse_cell("68.21 ％"), Ok(Some(68.21)));
    }

    #[test]
    fn missing_markers_are_missing() {
        for text in ["", "  ", "NA", "na", "N/A", "-", "—", "..", "#N/A"] {
            assert_eq!(parse_cell(text), Ok(None), "{text:?}");
        }
    }

    #[test]
    fn thousands_separators_in_groups_of_three() {
        assert_eq!(parse_cell("1,234.5"), Ok(Some(1234.5)));
        assert_eq!(parse_cell("-12,345,678"), Ok(Some(-12345678.0)));
        assert!(parse_cell("12,34").is_err());
    }

    #[test]
    fn decimal_comma_gets_its_own_reason() {
        assert!(parse_cell("12,5").unwrap_err().contains("decimal comma"));
    }

    /// Each of these was once read as a different number: 1.2345, 12.53, 125, 123.
    #[test]
    fn commas_outside_exact_thousands_groups_are_refused() {
        for text in [
            "1.234,5",
            "12.5,3",
            "0,125",
            "00,123",
            "1,2,3",
            "1,234,5",
            ",123",
            "1,234.5,6",
        ] {
            assert_eq!(parse_cell(text), Err(DECIMAL_COMMA), "{text}");
        }
        assert_eq!(parse_cell("12,345"), Ok(Some(12345.0)));
        assert_eq!(parse_cell("1,234.5"), Ok(Some(1234.5)));
        assert_eq!(parse_cell("-1,234,567.25"), Ok(Some(-1234567.25)));
        assert_eq!(parse_cell("１，２３４"), Ok(Some(1234.0)));
        assert_eq!(parse_cell("1,234%"), Ok(Some(1234.0)));
    }

    /// In a file separated by `;`, tab or `|`, `1,234` is 1.234 to a
    /// European and 1234 to everyone else: refused, naming both. More than
    /// one group, or a decimal point, leaves one reading.
    #[test]
    fn a_single_grouped_comma_is_ambiguous_where_commas_may_be_decimal() {
        for text in ["1,234", "-1,234", "1,500", "１，２３４", "1,234%"] {
            let reason = parse_cell_in(text, Commas::Either).unwrap_err();
            assert!(reason.starts_with("is ambiguous"), "{text}: {reason}");
            assert_eq!(
                parse_cell_in(text, Commas::Thousands)
                    .map_err(|_| ())
                    .map(|v| v.is_some()),
                Ok(true),
                "{text}"
            );
        }
        assert!(
            parse_cell_in("1,234", Commas::Either)
                .unwrap_err()
                .contains("decimal mark (1.234) as well as a thousands separator (1234)")
        );
        assert_eq!(parse_cell_in("1,234.5", Commas::Either), Ok(Some(1234.5)));
        assert_eq!(
            parse_cell_in("12,345,678", Commas::Either),
            Ok(Some(12345678.0))
        );
        assert_eq!(parse_cell_in("1234", Commas::Either), Ok(Some(1234.0)));
        assert_eq!(
            parse_cell_in("12,5", Commas::Either),
            Err(DECIMAL_COMMA.to_string())
        );
        assert_eq!(Commas::for_delimiter(b';'), Commas::Either);
        assert_eq!(Commas::for_delimiter(b'\t'), Commas::Either);
        assert_eq!(Commas::for_delimiter(b','), Commas::Thousands);
    }

    #[test]
    fn full_width_digits_parse() {
        assert_eq!(parse_cell("８０.５"), Ok(Some(80.5)));
        assert_eq!(parse_cell("　９９％"), Ok(Some(99.0)));
    }

    #[test]
    fn non_finite_and_text_are_errors() {
        assert_eq!(parse_cell("7O.2"), Err("is not a number"));
        assert_eq!(parse_cell("NaN"), Err("is not a number"));
        assert_eq!(parse_cell("inf"), Err("is not a number"));
        assert!(parse_cell("1e400").unwrap_err().contains("too large"));
    }

    #[test]
    fn fast_path_gives_the_same_bits_as_str_parse() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut checked = 0;
        for _ in 0..200_000 {
            let r = next();
            let digits = 1 + (r % 20) as usize;
            let mut text = String::new();
            if r & (1 << 40) != 0 {
                text.push('-');
            }
            let point = (r >> 8) as usize % (digits + 2);
            for d in 0..digits {
                if d == point {
                    text.push('.');
                }
                text.push(char::from(b'0' + (next() % 10) as u8));
            }
            if let Some(fast) = parse_plain(text.as_bytes()) {
                let slow = text.parse::<f64>().unwrap() + 0.0;
                assert_eq!(fast.to_bits(), slow.to_bits(), "{text}");
                checked += 1;
            }
        }
        assert!(checked > 100_000, "only {checked} took the fast path");
        for text in [
            "0",
            "-0",
            "+0",
            "0.0",
            "-0.00",
            "1.",
            ".5",
            "-.5",
            "+7",
            "007.50",
            "9007199254740992",
            "9007199254740993",
            "0.1",
            "0.30000000000000004",
            "1234567890123456789",
            "0.0000000000000000000001",
        ] {
            if let Some(fast) = parse_plain(text.as_bytes()) {
                let slow = text.parse::<f64>().unwrap() + 0.0;
                assert_eq!(fast.to_bits(), slow.to_bits(), "{text}");
            }
        }
        for text in [
            "", "-", "+", ".", "-.", "1..2", "1.2.3", " 1", "1 ", "1e3", "1,234", "68%", "NA",
        ] {
            assert_eq!(parse_plain(text.as_bytes()), None, "{text:?}");
        }
    }

    #[test]
    fn negative_zero_reads_as_zero() {
        let value = parse_cell("-0").unwrap().unwrap();
        assert_eq!(value, 0.0);
        assert!(value.is_sign_positive());
    }

    #[test]
    fn a_point_before_three_digits_is_ambiguous_where_commas_are_decimal_marks() {
        let either = |text: &str| parse_cell_in(text, Commas::Either);
        for text in ["1.234", "-12.345", "123.456"] {
            let error = either(text).unwrap_err();
            assert!(
                error.contains("a point may group thousands"),
                "{text}: {error}"
            );
        }
        // A lone leading 0, more or fewer decimals, or a comma file: one reading.
        assert_eq!(either("0.125"), Ok(Some(0.125)));
        assert_eq!(either("1.25"), Ok(Some(1.25)));
        assert_eq!(either("1.2340"), Ok(Some(1.234)));
        assert_eq!(parse_cell("1.234"), Ok(Some(1.234)));
    }

    proptest::proptest! {
        /// Every plain number, however many digits, is read as `str::parse`
        /// reads it, to the bit, or left to the general path.
        #[test]
        fn plain_numbers_are_read_as_the_standard_parse_reads_them(
            text in "[+-]?[0-9]{0,40}(\\.[0-9]{0,40})?",
        ) {
            let standard = text.parse::<f64>().ok().filter(|v| v.abs() <= MAX_MAGNITUDE);
            match parse_plain(text.as_bytes()) {
                Some(value) => {
                    let standard = standard.map(|v| (v + 0.0).to_bits());
                    proptest::prop_assert_eq!(Some(value.to_bits()), standard, "{}", text);
                }
                None => proptest::prop_assert!(
                    standard.is_none() || !text.bytes().any(|b| b.is_ascii_digit()),
                    "{} left to the general path", text
                ),
            }
        }
    }

    #[test]
    fn long_plain_numbers_round_correctly() {
        for text in [
            "0.12345678901234567890123",
            "12345678901234567890",
            "-9007199254740993",
            "9007199254740993.000000000000001",
            "0.30000000000000000000001",
        ] {
            let value = parse_plain(text.as_bytes()).unwrap();
            assert_eq!(
                value.to_bits(),
                text.parse::<f64>().unwrap().to_bits(),
                "{text}"
            );
        }
        assert_eq!(parse_plain(&[b'9'; 120]), None);
    }
}
