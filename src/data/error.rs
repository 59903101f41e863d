//! Problems in the data (the CSV file): reading it, its text, its header,
//! its cells and how its rows fit the definition. Each becomes a [`Problem`]
//! that names the file, line or cell and says what to do.

use std::fmt;
use std::io;

use crate::error::Location;

mod problem;

/// A problem in the data (the CSV file).
#[derive(Debug)]
pub enum DataError {
    /// The file could not be opened or read.
    Io {
        /// The file as the user named it.
        path: String,
        /// The underlying error.
        source: io::Error,
    },
    /// The file could not be read to its end (not a decoding problem).
    ReadFailed {
        /// Where it is.
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// The file has no header line.
    Empty {
        /// The file as the user named it.
        path: String,
        /// Where the definition came from (a path, or `built-in`).
        definition: String,
    },
    /// The header is there but no data row follows.
    NoRows {
        /// The file as the user named it.
        path: String,
    },
    /// Bytes that are not text in the expected encoding.
    Encoding {
        /// Where it is.
        at: Location,
        /// The encoding concerned.
        encoding: String,
    },
    /// Malformed CSV that the reader cannot split into fields.
    Csv {
        /// Where it is.
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// A row with a different number of fields than the header.
    Ragged {
        /// Where it is.
        at: Location,
        /// What was expected.
        expected: usize,
        /// What was found.
        found: usize,
    },
    /// A column the definition needs is not in the header.
    MissingColumn {
        /// The file as the user named it.
        path: String,
        /// The column as named in the header.
        column: String,
        /// What the column is for (unit, period, population).
        role: String,
        /// A header column that is probably this one misspelt.
        suggestion: Option<String>,
    },
    /// Most indicator columns are absent: probably data for another definition.
    MissingColumns {
        /// The file as the user named it.
        path: String,
        /// The columns concerned.
        columns: Vec<String>,
        /// How many there are in all.
        total: usize,
        /// Where the definition came from (a path, or `built-in`).
        definition: String,
    },
    /// Long form: no rows for most indicators: probably data for another definition.
    MissingIndicators {
        /// The file as the user named it.
        path: String,
        /// The indicator ids concerned.
        indicators: Vec<String>,
        /// How many there are in all.
        total: usize,
        /// Where the definition came from (a path, or `built-in`).
        definition: String,
    },
    /// Long form: no row for an indicator of the definition.
    NoIndicatorRows {
        /// The file as the user named it.
        path: String,
        /// The indicator id.
        indicator: String,
        /// The dimension id.
        dimension: String,
    },
    /// Two header cells name the same column the definition needs.
    DuplicateColumn {
        /// Where it is.
        at: Location,
        /// The column as named in the header.
        column: String,
        /// The first one.
        first: usize,
    },
    /// A unit or period cell is empty.
    EmptyKey {
        /// Where it is.
        at: Location,
        /// The column as named in the header.
        column: String,
    },
    /// A cell that is neither a number nor a missing marker.
    NotANumber {
        /// Where it is.
        at: Location,
        /// The column as named in the header.
        column: String,
        /// The unit's name.
        unit: String,
        /// The period label.
        period: String,
        /// The text as found (shortened for a message).
        text: String,
        /// Why, in words.
        reason: String,
    },
    /// The same unit and period (or, in long form, indicator) twice.
    DuplicateRow {
        /// Where it is.
        at: Location,
        /// The unit's name.
        unit: String,
        /// The period label.
        period: String,
        /// What it is about, in words.
        what: String,
        /// The line where it first appears.
        first_line: u64,
    },
    /// A long-form unit and period given two areas (or codes) on two lines.
    LabelConflict(Box<LabelConflict>),
    /// `[data] groups` or `code` naming the long form's `indicator` or `value` column.
    LabelIsLongColumn {
        /// The file as the user named it.
        path: String,
        /// The column named.
        column: String,
        /// `groups` or `code`.
        setting: &'static str,
    },
    /// More problems than are worth keeping in memory.
    TooMany {
        /// The file as the user named it.
        path: String,
        /// How many more were not kept.
        more: usize,
    },
    /// A byte sequence that the chosen or detected encoding cannot decode.
    BadBytes {
        /// Where it is.
        at: Location,
        /// Offset of the first bad byte from the start of the file, from 0.
        offset: u64,
        /// The bad bytes, at most four.
        bytes: Vec<u8>,
        /// The encoding concerned.
        encoding: String,
        /// True when the encoding was detected rather than given with `--encoding`.
        detected: bool,
    },
    /// Text that reads plausibly both as UTF-8 and as GB18030.
    AmbiguousEncoding {
        /// Where it is.
        at: Location,
        /// That line as UTF-8.
        utf8: String,
        /// That line as GB18030.
        gb18030: String,
    },
    /// Some lines are UTF-8 and others GB18030.
    MixedEncoding {
        /// The file as the user named it.
        path: String,
        /// A line that reads as UTF-8.
        utf8_line: u64,
        /// A line that reads as GB18030.
        gb18030_line: u64,
    },
    /// A GB18030 line after 64 KiB or more that gave no sign of it, so the
    /// file was already being read as UTF-8.
    LateGb18030 {
        /// Where it is.
        at: Location,
        /// The line's first non-ASCII field, read as GB18030.
        text: String,
    },
    /// Text that decodes as GB18030 but shows the signs of Japanese or
    /// Korean in the encodings that share its byte ranges.
    NotChinese {
        /// Where it is.
        at: Location,
        /// The line's first non-ASCII field, read as GB18030.
        text: String,
        /// `Korean (EUC-KR)`, or `Japanese or Korean (EUC-JP or EUC-KR)`.
        language: String,
    },
    /// Not a problem but what was assumed: the data was read in an encoding
    /// that was detected, not given. A warning, listed with any errors so
    /// that they can be read knowing it.
    ReadAs {
        /// The file as the user named it.
        path: String,
        /// As shown: `GB18030 (GBK)`, `UTF-16LE`.
        encoding: String,
        /// The `--encoding` value that says so.
        flag: String,
        /// On what evidence.
        why: String,
    },
    /// A spreadsheet workbook or other archive rather than CSV text.
    NotText {
        /// The file as the user named it.
        path: String,
        /// What it is about, in words.
        what: String,
    },
    /// A record longer than the limit (an unclosed quote, or not a CSV file).
    RecordTooLong {
        /// Where it is.
        at: Location,
        /// The limit in force.
        limit: u64,
    },
    /// A quoted field that seems never to be closed.
    UnclosedQuote {
        /// Where it is.
        at: Location,
        /// End line.
        end_line: u64,
    },
    /// The header has more fields than the limit.
    TooManyFields {
        /// The file as the user named it.
        path: String,
        /// The limit in force.
        limit: usize,
    },
    /// The header is a single field that contains another separator.
    OneFieldHeader {
        /// The file as the user named it.
        path: String,
        /// The header text.
        header: String,
        /// The separator found.
        separator: String,
    },
    /// The header's fields are separated by a full-width `，` or `；`.
    FullWidthSeparator {
        /// The file as the user named it.
        path: String,
        /// The separator found.
        separator: char,
    },
    /// The header has as many of two separators.
    AmbiguousDelimiter {
        /// The file as the user named it.
        path: String,
        /// The first one.
        first: String,
        /// The second one.
        second: String,
        /// How many.
        count: usize,
    },
    /// Long form: so few of the unit × period × indicator cells are present
    /// that the panel would be mostly empty.
    TooSparse {
        /// The file as the user named it.
        path: String,
        /// How many rows.
        rows: usize,
        /// The indicator ids concerned.
        indicators: usize,
        /// How many are present.
        present: usize,
    },
    /// `[data] population` names the unit or period column.
    PopulationIsKey {
        /// The file as the user named it.
        path: String,
        /// The definition it was read for.
        definition: String,
        /// The column as named in the header.
        column: String,
        /// What the column is for (unit, period, population).
        role: String,
    },
}

/// A long-form unit and period given two areas (or codes) on two lines.
#[derive(Debug)]
pub struct LabelConflict {
    /// Where the second is.
    pub at: Location,
    /// The label column.
    pub column: String,
    /// The unit's name.
    pub unit: String,
    /// The period label.
    pub period: String,
    /// The text first read.
    pub first: String,
    /// The text read here.
    pub other: String,
    /// The line of the first.
    pub first_line: u64,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem())
    }
}

impl std::error::Error for DataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DataError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn display_is_the_problem_and_the_io_error_is_the_source() {
        let error = DataError::Io {
            path: "d.csv".into(),
            source: io::Error::new(io::ErrorKind::PermissionDenied, "denied"),
        };
        assert_eq!(error.to_string(), "d.csv: cannot read the data: denied");
        let source = error.source().expect("an io error has a source");
        assert_eq!(
            source.downcast_ref::<io::Error>().map(io::Error::kind),
            Some(io::ErrorKind::PermissionDenied)
        );
        let empty = DataError::NoRows {
            path: "d.csv".into(),
        };
        assert!(empty.source().is_none());
    }

    #[test]
    fn one_data_error_is_the_source_of_the_library_error() {
        let one = crate::Error::from(DataError::NoRows {
            path: "d.csv".into(),
        });
        let source = one.source().expect("one data error is the source");
        assert!(source.downcast_ref::<DataError>().is_some());
        let two = crate::Error::Data(vec![
            DataError::NoRows { path: "a".into() },
            DataError::NoRows { path: "b".into() },
        ]);
        assert!(two.source().is_none());
    }
}
