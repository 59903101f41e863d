//! Problems with an indicator table: reading the file, finding its columns,
//! and rows that do not make a tree. Each becomes a [`Problem`] that names
//! the file, the row and the column (the cell of a workbook, such as
//! `指标体系.xlsx[Sheet1]!C7`) and says what to do.

use std::fmt;
use std::io;

use crate::error::{Location, Problem};

/// A problem with an indicator table.
#[derive(Debug)]
pub enum TableError {
    /// The file could not be read.
    Io {
        /// The file as the user named it.
        path: String,
        /// Why it could not be read.
        source: io::Error,
    },
    /// The path names a folder.
    Folder {
        /// The folder as the user named it.
        path: String,
    },
    /// The file is larger than the size limit.
    TooLarge {
        /// The file as the user named it.
        path: String,
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// A workbook that unzips to more than kmgov reads.
    Unzipped {
        /// The file as the user named it.
        path: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A file that is neither a text table nor a workbook kmgov reads.
    NotATable {
        /// The file as the user named it.
        path: String,
        /// What it is, as far as its first bytes tell.
        what: String,
    },
    /// The workbook reader failed.
    Workbook {
        /// The file as the user named it.
        path: String,
        /// What kind of workbook it was taken for.
        what: String,
        /// The reader's own words.
        message: String,
    },
    /// The sheet asked for is not in the workbook.
    NoSheet {
        /// The file as the user named it.
        path: String,
        /// The sheet asked for.
        sheet: String,
        /// The sheets the workbook has.
        sheets: Vec<String>,
    },
    /// More non-empty cells than an indicator table could have.
    TooManyCells {
        /// The file and sheet.
        path: String,
        /// The most cells read.
        limit: usize,
    },
    /// No row names both an id and a parent column.
    NoHeader {
        /// The file (and sheet) as shown.
        path: String,
        /// The columns missing from the likeliest header row.
        missing: Vec<&'static str>,
        /// The likeliest header row's cells, as found.
        found: String,
        /// The names accepted for the missing columns.
        accepted: String,
    },
    /// A problem at a place in the table: a cell, a row, or the whole table.
    Invalid {
        /// Where it is.
        at: Location,
        /// The row or column it is about, such as ``indicator `x` ``.
        item: String,
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// More problems than are listed.
    More {
        /// The file (and sheet) as shown.
        path: String,
        /// How many were left out.
        count: usize,
    },
    /// A warning found on the way (a column ignored, the encoding assumed),
    /// listed with the errors, since it may be their cause.
    Warning(Problem),
    /// The TOML kmgov wrote from a table it accepted does not read back:
    /// a fault in kmgov, not in the table.
    Unreadable {
        /// The table as shown.
        path: String,
        /// What the definition reader said.
        message: String,
    },
}

impl TableError {
    /// A problem at `at` about `item`.
    pub(super) fn at(
        at: Location,
        item: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> TableError {
        TableError::Invalid {
            at,
            item: item.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// The problem as shown to a person.
    pub fn problem(&self) -> Problem {
        match self {
            TableError::Io { path, source } => Problem::error(
                path.clone(),
                format!("cannot read the indicator table: {source}"),
            )
            .with_hint("check the path given to --from-table"),
            TableError::Folder { path } => Problem::error(
                path.clone(),
                "this is a folder, not an indicator table",
            )
            .with_hint("give the path of the .csv, .xlsx, .xls or .ods file itself"),
            TableError::TooLarge { path, limit } => Problem::error(
                path.clone(),
                format!(
                    "the file is larger than {limit} bytes, too large to be an indicator table"
                ),
            )
            .with_hint(
                "check that this names the indicator table, not the data; to read a larger \
                 table, set KMGOV_MAX_DEFINITION_BYTES to its size in bytes",
            ),
            TableError::Unzipped { path, limit } => Problem::error(
                path.clone(),
                format!(
                    "the workbook unpacks to more than {limit} bytes, too large to be an indicator table"
                ),
            )
            .with_hint("save the indicator table on its own, as .xlsx or CSV"),
            TableError::NotATable { path, what } => Problem::error(
                path.clone(),
                format!("this is {what}, not a table kmgov reads"),
            )
            .with_hint(
                "save it as .xlsx (Excel Workbook), .xls, .ods or CSV (UTF-8 or GBK)",
            ),
            TableError::Workbook {
                path,
                what,
                message,
            } => Problem::error(
                path.clone(),
                format!("cannot read it as {what}: {message}"),
            )
            .with_hint(
                "open it in Excel or LibreOffice and save it again (without a password), or save \
                 the sheet as CSV",
            ),
            TableError::NoSheet {
                path,
                sheet,
                sheets,
            } => Problem::error(
                path.clone(),
                format!("the workbook has no sheet `{sheet}`"),
            )
            .with_hint(format!(
                "its sheets are {}",
                sheets
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            TableError::TooManyCells { path, limit } => Problem::error(
                path.clone(),
                format!(
                    "the sheet has more than {limit} filled cells, more than kmgov reads from a workbook"
                ),
            )
            .with_hint("for an indicator table, check that this is the table, not the data; for data this large, save the sheet as CSV"),
            TableError::NoHeader {
                path,
                missing,
                found,
                accepted,
            } => Problem::error(
                path.clone(),
                format!(
                    "no header row names the {} column{} (the likeliest header row has {found})",
                    missing.join(" and "),
                    if missing.len() == 1 { "" } else { "s" }
                ),
            )
            .with_hint(format!(
                "the first row of the table names its columns; {accepted}"
            )),
            TableError::Invalid {
                at,
                item,
                message,
                hint,
            } => {
                let message = if item.is_empty() {
                    message.clone()
                } else {
                    format!("{item}: {message}")
                };
                Problem::error(at.clone(), message).with_hint(hint)
            }
            TableError::More { path, count } => Problem::error(
                path.clone(),
                format!("{count} more problems of the same kinds not listed"),
            )
            .with_hint("fix the ones listed first; they often share a cause"),
            TableError::Warning(problem) => problem.clone(),
            TableError::Unreadable { path, message } => Problem::error(
                path.clone(),
                format!(
                    "kmgov wrote a definition from this table that it cannot read back, a fault in kmgov: {message}"
                ),
            )
            .with_hint("please report it with the table; meanwhile write kmgov.toml by hand"),
        }
    }
}

/// Where a problem is in the table, to list problems in the table's order:
/// the line and field of a CSV file, the row and column of a sheet's cell
/// (`…!C7`); problems about the whole table first.
pub(super) fn order(error: &TableError) -> (u64, usize) {
    let TableError::Invalid { at, .. } = error else {
        return (0, 0);
    };
    if let Some(line) = at.line {
        return (line, at.column.unwrap_or(0));
    }
    let Some((_, cell)) = at.path.rsplit_once('!') else {
        return (0, 0);
    };
    let split = cell
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(cell.len());
    let (letters, digits) = cell.split_at(split);
    let row = digits
        .split(':')
        .next()
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    let column = letters.bytes().fold(0usize, |n, b| {
        n * 26 + usize::from(b.saturating_sub(b'A') + 1)
    });
    (row, column)
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem())
    }
}

impl std::error::Error for TableError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TableError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
