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
pub fn parse_cell(text: &str) -> Result<Option<f64>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(value) = text.parse::<f64>() {
        return finite(value, text);
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
    let number = strip_thousands_separators(number);
    match number.parse::<f64>() {
        Ok(value) => finite(value, &number),
        Err(_) if text.contains(',') && !text.contains('.') && text.matches(',').count() == 1 => {
            Err("is not a number (a decimal comma? write the decimal point as `.`)")
        }
        Err(_) => Err("is not a number"),
    }
}

fn finite(value: f64, text: &str) -> Result<Option<f64>, &'static str> {
    if value.is_finite() {
        // -0 is 0: it must not print as "-0" or sort apart from 0.
        Ok(Some(value + 0.0))
    } else if text.bytes().any(|b| b.is_ascii_digit()) {
        Err("is too large to be a number kmgov can use")
    } else {
        Err("is not a number")
    }
}

/// Maps full-width ASCII (U+FF01–U+FF5E) and the ideographic space to ASCII.
pub fn fold_full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '。' => '.',
            _ => c,
        })
        .collect()
}

/// `1,234,567.5` → `1234567.5`; text whose commas are not thousands groups is left alone.
fn strip_thousands_separators(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(',') {
        return text.into();
    }
    let unsigned = text.trim_start_matches(['+', '-']);
    let integer = unsigned.split('.').next().unwrap_or("");
    let mut groups = integer.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if first_ok && rest_ok {
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
    fn negative_zero_reads_as_zero() {
        let value = parse_cell("-0").unwrap().unwrap();
        assert_eq!(value, 0.0);
        assert!(value.is_sign_positive());
    }
}
