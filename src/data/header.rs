//! The header line: its separator (sniffed, or a full-width one refused),
//! a quote in it that never closes, and its cells as names.

use std::collections::HashSet;

use super::{MAX_HEADER_FIELDS, intern, unclosed_quote, wanted_columns};
use crate::definition::Definition;
use crate::error::{DataError, Error, Location};

/// The full-width separators of a Chinese input method, which look like
/// `,` and `;` but are not CSV separators.
pub(super) const FULL_WIDTH_SEPARATORS: [char; 2] = ['，', '；'];

/// The full-width separator (`，` or `；`) the header's fields are separated
/// by, if any: a header that is one field containing one, or a field that,
/// split by one, names a column the definition reads. A header cell with a
/// full-width comma in its text (`人口，万人`) is neither.
fn full_width_separator(header: &csv::ByteRecord, definition: &Definition) -> Option<char> {
    let fields: Vec<String> = header
        .iter()
        .map(|field| String::from_utf8_lossy(field).into_owned())
        .collect();
    let wanted: HashSet<String> = wanted_columns(definition)
        .into_iter()
        .map(|column| intern::normalize_label(column).into_owned())
        .collect();
    FULL_WIDTH_SEPARATORS.into_iter().find(|&separator| {
        let only_field = fields.len() == 1 && fields[0].contains(separator);
        only_field
            || fields.iter().any(|field| {
                field.contains(separator)
                    && field
                        .split(separator)
                        .any(|piece| wanted.contains(intern::normalize_label(piece).as_ref()))
            })
    })
}

/// A header field that runs on over lines, as the error that says so and
/// whether it is certain: a quote opened in the header and never closed,
/// which swallowed the rows after it. Certain when the field's first line
/// names, between separators, a column the definition reads and its next
/// lines have separators (`x5` in `"x5⏎A,2019,…`); otherwise the error
/// stands only if the file then turns out to have no rows, since a header
/// cell may be written on two lines (`"x2⏎(%)"`).
fn header_quote_runs_on(
    header: &csv::ByteRecord,
    name: &str,
    definition: &Definition,
    delimiter: u8,
) -> Option<(DataError, bool)> {
    let field = header
        .iter()
        .find(|field| field.contains(&b'\n') || field.contains(&b'\r'))?;
    let text = String::from_utf8_lossy(field);
    let (first_line, rest) = text.split_once(['\n', '\r']).unwrap_or_default();
    let wanted: HashSet<String> = wanted_columns(definition)
        .into_iter()
        .map(|column| intern::normalize_label(column).into_owned())
        .collect();
    let names_a_column = first_line
        .split(char::from(delimiter))
        .any(|piece| wanted.contains(intern::normalize_label(piece.trim_matches('"')).as_ref()));
    // Swallowed rows bring their separators.
    let swallowed_rows = rest.contains(char::from(delimiter));
    Some((
        unclosed_quote(&text, name, 1),
        names_a_column && swallowed_rows,
    ))
}

/// The separator of the header's fields: the most frequent of `,` `;` tab
/// `|` outside quotes, `,` when there is none. A tie is refused.
pub(super) fn sniff_delimiter(text: &[u8], name: &str) -> Result<u8, DataError> {
    let line = text.split(|&b| b == b'\n').next().unwrap_or(text);
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    for &b in line {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes && let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
            counts[i] += 1;
        }
    }
    let best = (0..4)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        return Ok(b',');
    }
    if let Some(tie) = (0..4).find(|&i| i != best && counts[i] == counts[best]) {
        let (first, second) = (best.min(tie), best.max(tie));
        return Err(DataError::AmbiguousDelimiter {
            path: name.to_string(),
            first: delimiter_name(DELIMITERS[first]).to_string(),
            second: delimiter_name(DELIMITERS[second]).to_string(),
            count: counts[best],
        });
    }
    Ok(DELIMITERS[best])
}

/// The separators sniffed, in order of preference.
pub(super) const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// A separator as named in messages.
fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b',' => "`,`",
        b';' => "`;`",
        b'\t' => "tabs",
        b'|' => "`|`",
        _ => "another separator",
    }
}

/// A separator other than `delimiter` found in a one-field header.
fn other_separator(header: &str, delimiter: u8) -> Option<&'static str> {
    DELIMITERS
        .iter()
        .find(|&&d| d != delimiter && header.as_bytes().contains(&d))
        .map(|&d| delimiter_name(d))
}

/// Header cells, trimmed, with full-width letters folded to ASCII, and
/// zero-width characters and Unicode normalisation differences removed.
fn read_header(record: &csv::ByteRecord, name: &str, origin: &str) -> Result<Vec<String>, Error> {
    let mut cells = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        let text = std::str::from_utf8(field).map_err(|_| DataError::Encoding {
            at: Location::cell(name, 1, i + 1),
            encoding: "UTF-8".into(),
        })?;
        cells.push(intern::normalize_label(text).into_owned());
    }
    if cells.iter().all(String::is_empty) {
        return Err(DataError::Empty {
            path: name.to_string(),
            definition: origin.to_string(),
        }
        .into());
    }
    Ok(cells)
}

/// Checks the header record (its size, a quote that never closes, a
/// full-width or other separator) and reads its cells; also returns the
/// unclosed-quote error that stands only if the file turns out to have no rows.
pub(super) fn check_header(
    header: &csv::ByteRecord,
    name: &str,
    definition: &Definition,
    delimiter: u8,
) -> Result<(Vec<String>, Option<DataError>), Error> {
    if header.len() > MAX_HEADER_FIELDS {
        return Err(DataError::TooManyFields {
            path: name.to_string(),
            limit: MAX_HEADER_FIELDS,
        }
        .into());
    }
    let runs_on = match header_quote_runs_on(header, name, definition, delimiter) {
        Some((error, true)) => return Err(error.into()),
        Some((error, false)) => Some(error),
        None => None,
    };
    if let Some(separator) = full_width_separator(header, definition) {
        return Err(DataError::FullWidthSeparator {
            path: name.to_string(),
            separator,
        }
        .into());
    }
    let cells = read_header(header, name, &definition.origin)?;
    if let [only] = cells.as_slice()
        && let Some(separator) = other_separator(only, delimiter)
    {
        return Err(DataError::OneFieldHeader {
            path: name.to_string(),
            header: only.clone(),
            separator: separator.to_string(),
        }
        .into());
    }
    Ok((cells, runs_on))
}
