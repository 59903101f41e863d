//! Errors of each layer, and the one shape they all share when shown to a
//! person: where, what, and what to do.
//!
//! Every error can be turned into a [`Problem`]: a location (`file:line:column`
//! or `file: item`), a lowercase message without a final period, and an
//! optional hint. `Display` prints `location: message`, so messages chain under
//! anyhow's `{:#}` and the binary can print the hint on its own line.

use std::fmt;
use std::io;

/// A position in an input file; line and column count from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (`<stdin>` for standard input).
    pub path: String,
    /// Line from 1; the CSV header is line 1.
    pub line: Option<u64>,
    /// Column from 1.
    pub column: Option<usize>,
}

impl Location {
    /// A whole file, with no position inside it.
    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            line: None,
            column: None,
        }
    }

    /// A line of a file.
    pub fn line(path: impl Into<String>, line: u64) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
            column: None,
        }
    }

    /// A cell of a file.
    pub fn cell(path: impl Into<String>, line: u64, column: usize) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops scoring.
    Error,
    /// Scoring goes on, but the result deserves a look.
    Warning,
}

impl Severity {
    /// The word shown before the message.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem, ready to show: where, what, and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// `file:line:column`, `file: item` or a file name; empty when nowhere in particular.
    pub location: String,
    /// What is wrong, lowercase, no final period.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Problem {
    /// An error at `location`.
    pub fn error(location: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            location: location.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(location, message)
        }
    }

    /// The same problem with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

pub use crate::definition::error::DefinitionError;

/// The `kmgov init` command that writes a template for the definition named
/// `origin` (a path, or `built-in`).
pub fn init_command(origin: &str) -> String {
    if origin == "built-in" {
        return "kmgov init DIR".to_string();
    }
    let plain = origin
        .chars()
        .all(|c| !c.is_whitespace() && !"'\"$`\\*?&;|<>()[]{}!#~".contains(c));
    if plain {
        format!("kmgov init --from {origin} DIR")
    } else {
        format!("kmgov init --from '{}' DIR", origin.replace('\'', "'\\''"))
    }
}

/// A problem in the data (the CSV file).
#[derive(Debug)]
pub enum DataError {
    /// The file could not be opened or read.
    Io { path: String, source: io::Error },
    /// The file could not be read to its end (not a decoding problem).
    ReadFailed { at: Location, message: String },
    /// The file has no header line.
    Empty {
        path: String,
        /// Where the definition came from (a path, or `built-in`).
        definition: String,
    },
    /// The header is there but no data row follows.
    NoRows { path: String },
    /// Bytes that are not text in the expected encoding.
    Encoding { at: Location, encoding: String },
    /// Malformed CSV that the reader cannot split into fields.
    Csv { at: Location, message: String },
    /// A row with a different number of fields than the header.
    Ragged {
        at: Location,
        expected: usize,
        found: usize,
    },
    /// A column the definition needs is not in the header.
    MissingColumn {
        path: String,
        column: String,
        role: String,
        /// A header column that is probably this one misspelt.
        suggestion: Option<String>,
    },
    /// Most indicator columns are absent: probably data for another definition.
    MissingColumns {
        path: String,
        columns: Vec<String>,
        total: usize,
        /// Where the definition came from (a path, or `built-in`).
        definition: String,
    },
    /// Long form: no rows for most indicators: probably data for another definition.
    MissingIndicators {
        path: String,
        indicators: Vec<String>,
        total: usize,
        /// Where the definition came from (a path, or `built-in`).
        definition: String,
    },
    /// Long form: no row for an indicator of the definition.
    NoIndicatorRows {
        path: String,
        indicator: String,
        dimension: String,
    },
    /// Two header cells name the same column the definition needs.
    DuplicateColumn {
        at: Location,
        column: String,
        first: usize,
    },
    /// A unit or period cell is empty.
    EmptyKey { at: Location, column: String },
    /// A cell that is neither a number nor a missing marker.
    NotANumber {
        at: Location,
        column: String,
        unit: String,
        period: String,
        text: String,
        reason: String,
    },
    /// The same unit and period (or, in long form, indicator) twice.
    DuplicateRow {
        at: Location,
        unit: String,
        period: String,
        what: String,
        first_line: u64,
    },
    /// More problems than are worth keeping in memory.
    TooMany { path: String, more: usize },
    /// A byte sequence that the chosen or detected encoding cannot decode.
    BadBytes {
        at: Location,
        /// Offset of the first bad byte from the start of the file, from 0.
        offset: u64,
        /// The bad bytes, at most four.
        bytes: Vec<u8>,
        encoding: String,
        /// True when the encoding was detected rather than given with `--encoding`.
        detected: bool,
    },
    /// Text that reads plausibly both as UTF-8 and as GB18030.
    AmbiguousEncoding {
        at: Location,
        utf8: String,
        gb18030: String,
    },
    /// Some lines are UTF-8 and others GB18030.
    MixedEncoding {
        path: String,
        utf8_line: u64,
        gb18030_line: u64,
    },
    /// A GB18030 line after 64 KiB or more that gave no sign of it, so the
    /// file was already being read as UTF-8.
    LateGb18030 {
        at: Location,
        /// The line's first non-ASCII field, read as GB18030.
        text: String,
    },
    /// Text that decodes as GB18030 but shows the signs of Japanese or
    /// Korean in the encodings that share its byte ranges.
    NotChinese {
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
        path: String,
        /// As shown: `GB18030 (GBK)`, `UTF-16LE`.
        encoding: String,
        /// The `--encoding` value that says so.
        flag: String,
        /// On what evidence.
        why: String,
    },
    /// A spreadsheet workbook or other archive rather than CSV text.
    NotText { path: String, what: String },
    /// A record longer than the limit (an unclosed quote, or not a CSV file).
    RecordTooLong { at: Location, limit: u64 },
    /// A quoted field that seems never to be closed.
    UnclosedQuote { at: Location, end_line: u64 },
    /// The header has more fields than the limit.
    TooManyFields { path: String, limit: usize },
    /// The header is a single field that contains another separator.
    OneFieldHeader {
        path: String,
        header: String,
        separator: String,
    },
    /// The header's fields are separated by a full-width `，` or `；`.
    FullWidthSeparator { path: String, separator: char },
    /// The header has as many of two separators.
    AmbiguousDelimiter {
        path: String,
        first: String,
        second: String,
        count: usize,
    },
    /// Long form: so few of the unit × period × indicator cells are present
    /// that the panel would be mostly empty.
    TooSparse {
        path: String,
        rows: usize,
        indicators: usize,
        present: usize,
    },
    /// `[data] population` names the unit or period column.
    PopulationIsKey {
        path: String,
        definition: String,
        column: String,
        role: String,
    },
}

/// Text from the data as echoed in a message: control characters escaped
/// (so a stray line break or escape code cannot break the listing) and at
/// most [`ECHO_CHARS`] characters, the rest elided with `…`.
pub fn echo(text: &str) -> String {
    let mut out = String::new();
    for (shown, c) in text.chars().enumerate() {
        if shown == ECHO_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// The most characters of a cell, name or header echoed in a message.
pub const ECHO_CHARS: usize = 80;

/// A number as a person reads it in a message: as `{}` writes it from 1e-6
/// up to 1e15 (`0.5`, `81.46`, `120000`), in exponent form outside that
/// (`1e-320`, `2.5e300`) rather than hundreds of digits; never `-0`, `inf`
/// or `NaN`.
pub fn number_text(x: f64) -> String {
    if x.is_nan() {
        return "not a number".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "infinity" } else { "-infinity" }.to_string();
    }
    if x == 0.0 {
        // Also -0.
        return "0".to_string();
    }
    let size = x.abs();
    if (1e-6..1e15).contains(&size) {
        x.to_string()
    } else {
        format!("{x:e}")
    }
}

/// `FF 0A` for a hint about bytes.
fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl DataError {
    /// The problem as shown to a person.
    pub fn problem(&self) -> Problem {
        match self {
            DataError::Io { path, source } => {
                Problem::error(path.clone(), format!("cannot read the data: {source}"))
                    .with_hint("check the path, or use `-` to read standard input")
            }
            DataError::ReadFailed { at, message } => Problem::error(
                at.to_string(),
                format!("the data could not be read past this line: {}", echo(message)),
            )
            .with_hint(
                "check that the file is complete and can be read to its end (not still being \
                 written, nor on a drive that went away), then run again",
            ),
            DataError::Empty { path, definition } => {
                Problem::error(path.clone(), "the file is empty").with_hint(format!(
                    "`{}` writes a CSV template with the right header",
                    init_command(definition)
                ))
            }
            DataError::NoRows { path } => {
                Problem::error(path.clone(), "the file has a header but no data rows")
                    .with_hint("add one row per unit and period below the header")
            }
            DataError::Encoding { at, encoding } => Problem::error(
                at.to_string(),
                format!("the text is not valid {encoding}"),
            )
            .with_hint(
                "re-type the text in this cell, or re-save the file as CSV UTF-8; if the whole \
                 file was saved by Chinese-language Excel, pass --encoding gb18030",
            ),
            DataError::Csv { at, message } => {
                Problem::error(at.to_string(), format!("malformed CSV: {}", echo(message)))
                    .with_hint("check the quotes on this line: a field with a comma or quote must be quoted, and quotes inside it doubled")
            }
            DataError::Ragged {
                at,
                expected,
                found,
            } => Problem::error(
                at.to_string(),
                format!("this row has {found} fields but the header has {expected}"),
            )
            .with_hint("every row needs one field per header column; quote a field that contains a comma"),
            DataError::MissingColumn {
                path,
                column,
                role,
                suggestion,
            } => {
                let column = echo(column);
                let problem =
                    Problem::error(path.clone(), format!("no column `{column}` for {role}"));
                match suggestion {
                    Some(found) => problem.with_hint(format!(
                        "did you mean `{}`? rename that column to `{column}`, or change the definition to match the file",
                        echo(found)
                    )),
                    None => problem.with_hint(format!(
                        "add a `{column}` column to the header, or change the definition to match the file"
                    )),
                }
            }
            DataError::MissingColumns {
                path,
                columns,
                total,
                definition,
            } => {
                let named: Vec<String> =
                    columns.iter().take(5).map(|c| format!("`{}`", echo(c))).collect();
                let more = match columns.len().saturating_sub(named.len()) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                Problem::error(
                    path.clone(),
                    format!(
                        "the data and {} do not match: {} of its {total} indicator columns \
                         are not in the header: {}{more}",
                        definition_name(definition),
                        columns.len(),
                        named.join(", ")
                    ),
                )
                .with_hint(format!(
                    "is this file for another definition? pass it with --config, or run `{}` for a template with the right header",
                    init_command(definition)
                ))
            }
            DataError::MissingIndicators {
                path,
                indicators,
                total,
                definition,
            } => {
                let named: Vec<String> =
                    indicators.iter().take(5).map(|c| format!("`{}`", echo(c))).collect();
                let more = match indicators.len().saturating_sub(named.len()) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                Problem::error(
                    path.clone(),
                    format!(
                        "the data and {} do not match: {} of its {total} indicators have no \
                         rows: {}{more}",
                        definition_name(definition),
                        indicators.len(),
                        named.join(", ")
                    ),
                )
                .with_hint(format!(
                    "is this file for another definition? pass it with --config, or run `{} --long` for a template",
                    init_command(definition)
                ))
            }
            DataError::NoIndicatorRows {
                path,
                indicator,
                dimension,
            } => Problem::error(
                path.clone(),
                format!("no row for indicator `{indicator}` of dimension `{dimension}`"),
            )
            .with_hint(format!(
                "add rows `<unit>,<period>,{indicator},<value>`, or change the definition to match the file"
            )),
            DataError::DuplicateColumn { at, column, first } => Problem::error(
                at.to_string(),
                format!("column `{}` appears twice (first as column {first})", echo(column)),
            )
            .with_hint("rename or remove one of the two columns"),
            DataError::EmptyKey { at, column } => {
                Problem::error(at.to_string(), format!("the `{}` cell is empty", echo(column)))
                    .with_hint("every row needs a unit and a period; delete the row if it is not data")
            }
            DataError::NotANumber {
                at,
                column,
                unit,
                period,
                text,
                reason,
            } => Problem::error(
                at.to_string(),
                format!(
                    "`{}`, unit {}, period {}: `{}` {reason}",
                    echo(column),
                    echo(unit),
                    echo(period),
                    echo(text)
                ),
            )
            .with_hint(
                "write a plain decimal such as 70.2, or leave the cell empty (or NA) to mark it missing",
            ),
            DataError::DuplicateRow {
                at,
                unit,
                period,
                what,
                first_line,
            } => Problem::error(
                at.to_string(),
                format!(
                    "unit {}, period {}{what} appears again (first on line {first_line})",
                    echo(unit),
                    echo(period)
                ),
            )
            .with_hint("keep one row per unit and period; delete or correct the repeated one"),
            DataError::TooMany { path, more } => too_many(path, *more),
            DataError::BadBytes {
                at,
                offset,
                bytes,
                encoding,
                detected,
            } => {
                let how = if *detected { " (detected)" } else { "" };
                Problem::error(
                    at.to_string(),
                    format!(
                        "bytes {} at byte offset {offset} are not valid {encoding}{how}",
                        hex(bytes)
                    ),
                )
                .with_hint(if encoding == "UTF-8" {
                    "re-type the text on this line, or re-save the whole file as CSV UTF-8; if \
                     the whole file is from Chinese-language Excel, pass --encoding gb18030"
                } else if encoding.contains(" or ") {
                    "re-type the text on this line (its bytes are corrupted in every encoding \
                     kmgov reads), or re-save the whole file as CSV UTF-8"
                } else {
                    "re-type the text on this line (a corrupted character), or re-save the \
                     whole file as CSV UTF-8; if the file is UTF-8, pass --encoding utf-8"
                })
            }
            DataError::AmbiguousEncoding { at, utf8, gb18030 } => Problem::error(
                at.to_string(),
                format!(
                    "cannot tell the text encoding: as UTF-8 this reads `{}`, as GB18030 (GBK) `{}`",
                    echo(utf8),
                    echo(gb18030)
                ),
            )
            .with_hint("pass --encoding gb18030 or --encoding utf-8, whichever reads right"),
            DataError::MixedEncoding {
                path,
                utf8_line,
                gb18030_line,
            } => Problem::error(
                path.clone(),
                format!(
                    "the file mixes encodings: line {utf8_line} is UTF-8 but line {gb18030_line} \
                     is GB18030 (GBK)"
                ),
            )
            .with_hint(
                "re-save the whole file in one encoding (CSV UTF-8); rows pasted from another \
                 file often bring theirs along",
            ),
            DataError::LateGb18030 { at, text } => Problem::error(
                at.to_string(),
                format!(
                    "this line is GB18030 (GBK) text (`{}`), but the lines before it gave no sign \
                     of GB18030, so the file was being read as UTF-8",
                    echo(text)
                ),
            )
            .with_hint(
                "if the file was saved as GBK (by Chinese-language Excel, say), pass --encoding \
                 gb18030; otherwise re-type the text on this line, or re-save the whole file as \
                 CSV UTF-8",
            ),
            DataError::NotChinese { at, text, language } => Problem::error(
                at.to_string(),
                format!(
                    "this text reads as GB18030 (GBK) Chinese `{}`, but it looks like {language} \
                     text, which kmgov does not read",
                    echo(text)
                ),
            )
            .with_hint(
                "convert the file to UTF-8 (in Excel: File › Save As › CSV UTF-8; or iconv -f \
                 EUC-KR -t UTF-8 for Korean, -f EUC-JP for Japanese); if it is Chinese GBK \
                 after all, pass --encoding gb18030",
            ),
            DataError::ReadAs {
                path,
                encoding,
                flag,
                why,
            } => Problem::warning(path.clone(), format!("read as {encoding} ({why})")).with_hint(
                format!(
                    "pass --encoding {flag} to say so, or --encoding utf-8 if the names look wrong"
                ),
            ),
            DataError::NotText { path, what } => {
                Problem::error(path.clone(), format!("this is {what}, not CSV text")).with_hint(
                    "save it as CSV (in Excel: File › Save As › CSV UTF-8), or export the sheet \
                     as CSV, and pass that file",
                )
            }
            DataError::RecordTooLong { at, limit } => Problem::error(
                at.to_string(),
                format!("the row starting here is longer than {limit} bytes"),
            )
            .with_hint(
                "look for a quote `\"` that is opened on this line and never closed; if the row \
                 is really this long, raise the limit with KMGOV_MAX_RECORD_BYTES",
            ),
            DataError::UnclosedQuote { at, end_line } => Problem::error(
                at.to_string(),
                format!("a quoted field opened on this line runs on to line {end_line}"),
            )
            .with_hint(
                "close the quote `\"` on this line; a quote inside a quoted field is written twice (\"\")",
            ),
            DataError::TooManyFields { path, limit } => Problem::error(
                format!("{path}:1"),
                format!("the header has more than {limit} fields"),
            )
            .with_hint(format!(
                "check that this is the CSV data file: kmgov reads at most {limit} columns"
            )),
            DataError::OneFieldHeader {
                path,
                header,
                separator,
            } => Problem::error(
                format!("{path}:1"),
                format!(
                    "the header is one field, `{}`, which contains {separator}",
                    echo(header)
                ),
            )
            .with_hint(format!(
                "if the fields are separated by {separator}, pass --delimiter with it; if the \
                 header is quoted whole, remove the quotes"
            )),
            DataError::FullWidthSeparator { path, separator } => {
                let ascii = if *separator == '，' { ',' } else { ';' };
                Problem::error(
                    format!("{path}:1"),
                    format!(
                        "the header's fields are separated by the full-width `{separator}` of a \
                         Chinese input method, which is not a CSV separator"
                    ),
                )
                .with_hint(format!(
                    "save the file with ASCII separators: replace every `{separator}` between \
                     fields with `{ascii}` (or in Excel: File › Save As › CSV UTF-8)"
                ))
            }
            DataError::AmbiguousDelimiter {
                path,
                first,
                second,
                count,
            } => Problem::error(
                format!("{path}:1"),
                format!(
                    "cannot tell the field separator: the header has {count} of {first} and as many of {second}"
                ),
            )
            .with_hint("pass --delimiter with the separator (`,` `;` `tab` or `|`)"),
            DataError::TooSparse {
                path,
                rows,
                indicators,
                present,
            } => Problem::error(
                path.clone(),
                format!(
                    "the long-form data has {present} values for {rows} unit-period pairs × \
                     {indicators} indicators: almost every value would be missing"
                ),
            )
            .with_hint(
                "check that the unit and period columns hold units and periods, and that the \
                 definition (--config) is the one for this file",
            ),
            DataError::PopulationIsKey {
                path,
                definition,
                column,
                role,
            } => Problem::error(
                path.clone(),
                format!(
                    "[data] population in {definition} names the column `{column}`, which is \
                     also {role}"
                ),
            )
            .with_hint("set [data] population to the column that holds the population"),
        }
    }
}

/// `the definition k.toml`, or `the built-in definition`.
fn definition_name(origin: &str) -> String {
    if origin == "built-in" {
        "the built-in definition".to_string()
    } else {
        format!("the definition {origin}")
    }
}

pub use crate::pipeline::error::ScoreError;

/// At most `most` items joined by commas, then how many more.
pub fn list_some(items: &[String], most: usize) -> String {
    let shown = items
        .iter()
        .take(most)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    match items.len().saturating_sub(most) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// The line that stands for the problems past the cap on those kept.
pub(crate) fn too_many(path: &str, more: usize) -> Problem {
    Problem::error(
        path,
        format!("{more} more problems of the same kinds not listed"),
    )
    .with_hint("fix the ones listed first; they often share a cause")
}

pub use crate::export::error::ExportError;

/// Any failure of the library: one or more problems of one layer.
#[derive(Debug)]
pub enum Error {
    /// The definition could not be used.
    Definition(Vec<DefinitionError>),
    /// The data could not be read.
    Data(Vec<DataError>),
    /// The data could not be scored with this definition.
    Score(Vec<ScoreError>),
    /// The output could not be written.
    Export(ExportError),
    /// A request that does not fit the data, such as an unknown `--period`.
    Request { message: String, hint: String },
}

impl Error {
    /// Every problem, in the order found.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::Definition(errors) => errors.iter().map(DefinitionError::problem).collect(),
            Error::Data(errors) => errors.iter().map(DataError::problem).collect(),
            Error::Score(errors) => errors.iter().map(ScoreError::problem).collect(),
            Error::Export(error) => vec![error.problem()],
            Error::Request { message, hint } => {
                vec![Problem::error("", message.clone()).with_hint(hint.clone())]
            }
        }
    }

    /// True when the fault lies in how kmgov was asked rather than in a file.
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Request { .. })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problems = self.problems();
        match problems.split_first() {
            Some((first, [])) => write!(f, "{first}"),
            Some((first, rest)) => write!(f, "{first} (and {} more)", rest.len()),
            None => write!(f, "unknown error"),
        }
    }
}

impl std::error::Error for Error {
    /// The layer error behind this one, where there is exactly one to give,
    /// so that a caller can walk the chain down to an `io::Error` (a closed
    /// pipe, a full disk).
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Export(error) => Some(error),
            Error::Score(errors) => match errors.as_slice() {
                [error] => Some(error),
                _ => None,
            },
            Error::Definition(errors) => match errors.as_slice() {
                [error] => Some(error),
                _ => None,
            },
            // Data errors join the chain once their enum implements
            // `std::error::Error`.
            Error::Data(_) | Error::Request { .. } => None,
        }
    }
}

impl From<DefinitionError> for Error {
    fn from(error: DefinitionError) -> Self {
        Error::Definition(vec![error])
    }
}

impl From<DataError> for Error {
    fn from(error: DataError) -> Self {
        Error::Data(vec![error])
    }
}

impl From<ExportError> for Error {
    fn from(error: ExportError) -> Self {
        Error::Export(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_prints_path_line_and_column() {
        assert_eq!(Location::cell("a.csv", 4, 5).to_string(), "a.csv:4:5");
        assert_eq!(Location::line("a.csv", 4).to_string(), "a.csv:4");
        assert_eq!(Location::file("a.csv").to_string(), "a.csv");
    }

    #[test]
    fn not_a_number_names_cell_unit_period_and_text() {
        let error = DataError::NotANumber {
            at: Location::cell("data/kunming.csv", 4, 5),
            column: "volunteer_activity".into(),
            unit: "五华区".into(),
            period: "2019".into(),
            text: "7O.2".into(),
            reason: "is not a number".into(),
        };
        let problem = error.problem();
        assert_eq!(
            problem.to_string(),
            "data/kunming.csv:4:5: `volunteer_activity`, unit 五华区, period 2019: `7O.2` is not a number"
        );
        assert!(problem.hint.unwrap().contains("70.2"));
    }

    #[test]
    fn echoed_text_is_short_and_escaped() {
        let long = "x".repeat(1_500_000);
        let error = DataError::NotANumber {
            at: Location::cell("d.csv", 2, 3),
            column: "a\nb".into(),
            unit: "A\u{1b}[31m".into(),
            period: "2019".into(),
            text: long,
            reason: "is not a number".into(),
        };
        let message = error.problem().message;
        assert!(message.chars().count() < 200, "{}", message.len());
        assert!(message.contains(&format!("`{}…`", "x".repeat(ECHO_CHARS))));
        assert!(message.contains("`a\\nb`") && message.contains("A\\u{1b}[31m"));
        assert!(!message.contains('\n') && !message.contains('\u{1b}'));
    }

    #[test]
    fn numbers_in_messages_are_short() {
        assert_eq!(number_text(1e-320), "1e-320");
        assert_eq!(number_text(-2.5e300), "-2.5e300");
        assert_eq!(number_text(1e15), "1e15");
        assert_eq!(number_text(1e-7), "1e-7");
        assert_eq!(number_text(f64::MIN_POSITIVE), "2.2250738585072014e-308");
        // Everyday numbers print as `{}` prints them.
        for x in [
            0.5,
            81.46,
            120_000.0,
            -3.0,
            1e-6,
            999_999_999_999_999.0,
            0.1 + 0.2,
        ] {
            assert_eq!(number_text(x), x.to_string());
        }
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(f64::NAN), "not a number");
        assert_eq!(number_text(f64::NEG_INFINITY), "-infinity");
        // Every finite number reads back exactly, in at most 24 characters.
        for x in [1e-320, 5e-324, f64::MAX, -f64::MIN_POSITIVE, 1.0 / 3.0] {
            let text = number_text(x);
            assert!(text.len() <= 24, "{text}");
            assert_eq!(text.parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn error_display_counts_the_rest() {
        let error = Error::Data(vec![
            DataError::Empty {
                path: "a".into(),
                definition: "built-in".into(),
            },
            DataError::Empty {
                path: "b".into(),
                definition: "built-in".into(),
            },
        ]);
        assert_eq!(error.to_string(), "a: the file is empty (and 1 more)");
    }
}
