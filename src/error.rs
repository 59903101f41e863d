//! Errors of each layer, and the one shape they all share when shown to a
//! person: where, what, and what to do.
//!
//! Every error can be turned into a [`Problem`]: a location (`file:line:column`
//! or `file: item`), a lowercase message without a final period, and an
//! optional hint. `Display` prints `location: message`, so messages chain under
//! anyhow's `{:#}` and the binary can print the hint on its own line.

use std::fmt;

/// Where a problem is: a file, or a line or cell of it (line and column
/// count from 1), and optionally the item of the definition or data it is
/// about (`indicator `x``). Empty when nowhere in particular.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Location {
    /// The file as the user named it (`<stdin>` for standard input).
    pub path: String,
    /// Line from 1; the CSV header is line 1.
    pub line: Option<u64>,
    /// Column from 1.
    pub column: Option<usize>,
    /// The item in that file, when the problem is about one rather than a place.
    pub item: Option<String>,
}

impl Location {
    /// A whole file, with no position inside it.
    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            ..Location::default()
        }
    }

    /// A line of a file.
    pub fn line(path: impl Into<String>, line: u64) -> Self {
        Location {
            line: Some(line),
            ..Location::file(path)
        }
    }

    /// A cell of a file.
    pub fn cell(path: impl Into<String>, line: u64, column: usize) -> Self {
        Location {
            column: Some(column),
            ..Location::line(path, line)
        }
    }

    /// Nowhere in particular (a problem with the request, say).
    pub fn nowhere() -> Self {
        Location::default()
    }

    /// The same place, about one item (`indicator `x``).
    pub fn with_item(mut self, item: impl Into<String>) -> Self {
        self.item = Some(item.into());
        self
    }

    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.path.is_empty() && self.line.is_none() && self.item.is_none()
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
        if let Some(item) = &self.item {
            if !self.path.is_empty() {
                f.write_str(": ")?;
            }
            f.write_str(item)?;
        }
        Ok(())
    }
}

/// A place named only in words (a file, `<stdout>`, a setting): the text is
/// shown as it is.
impl From<&str> for Location {
    fn from(text: &str) -> Self {
        Location::file(text)
    }
}

impl From<String> for Location {
    fn from(text: String) -> Self {
        Location::file(text)
    }
}

impl From<&String> for Location {
    fn from(text: &String) -> Self {
        Location::file(text.as_str())
    }
}

impl From<&Location> for Location {
    fn from(location: &Location) -> Self {
        location.clone()
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
    /// `file:line:column`, `file: item` or a file; empty when nowhere in particular.
    pub location: Location,
    /// What is wrong, lowercase, no final period.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Problem {
    /// An error at `location`.
    pub fn error(location: impl Into<Location>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            location: location.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: impl Into<Location>, message: impl Into<String>) -> Self {
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

pub use crate::data::error::DataError;

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

pub use crate::sql::SqlError;
pub use crate::system::TableError;
pub use crate::weights::WeightError;

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
    /// Weights could not be derived (a judgement matrix, an objective method).
    Weights(Vec<WeightError>),
    /// The indicator table could not be read or made into a definition.
    Table(Vec<TableError>),
    /// The definition cannot be written as SQL for the engine asked.
    Sql(Vec<SqlError>),
    /// A request that does not fit the data, such as an unknown `--period`.
    Request {
        /// What is wrong.
        message: String,
        /// What to do.
        hint: String,
    },
}

impl Error {
    /// Every problem, in the order found.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::Definition(errors) => errors.iter().map(DefinitionError::problem).collect(),
            Error::Data(errors) => errors.iter().map(DataError::problem).collect(),
            Error::Score(errors) => errors.iter().map(ScoreError::problem).collect(),
            Error::Export(error) => vec![error.problem()],
            Error::Weights(errors) => errors.iter().map(WeightError::problem).collect(),
            Error::Table(errors) => errors.iter().map(TableError::problem).collect(),
            Error::Sql(errors) => errors.iter().map(SqlError::problem).collect(),
            Error::Request { message, hint } => {
                vec![Problem::error("", message.clone()).with_hint(hint.clone())]
            }
        }
    }

    /// True when the fault lies in how kmgov was asked rather than in a file.
    pub fn is_usage(&self) -> bool {
        match self {
            Error::Request { .. } => true,
            Error::Sql(errors) => errors.iter().all(SqlError::is_usage),
            _ => false,
        }
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

impl Error {
    /// Every problem as `location: message`, for tests that compare wording.
    #[cfg(test)]
    pub(crate) fn messages(&self) -> Vec<String> {
        self.problems().iter().map(Problem::to_string).collect()
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
            Error::Data(errors) => match errors.as_slice() {
                [error] => Some(error),
                _ => None,
            },
            Error::Weights(errors) => match errors.as_slice() {
                [error] => Some(error),
                _ => None,
            },
            Error::Table(errors) => match errors.as_slice() {
                [error] => Some(error),
                _ => None,
            },
            Error::Sql(errors) => match errors.as_slice() {
                [error] => Some(error),
                _ => None,
            },
            Error::Request { .. } => None,
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

impl From<Vec<WeightError>> for Error {
    fn from(errors: Vec<WeightError>) -> Self {
        Error::Weights(errors)
    }
}

impl From<TableError> for Error {
    fn from(error: TableError) -> Self {
        Error::Table(vec![error])
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
