//! Why a definition cannot be written as SQL, named in the user's words.

use std::fmt;

use crate::error::{Location, Problem, echo};

/// A setting or name that `kmgov sql` cannot express for the engine asked.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlError {
    /// `[method] weights` derives the weights from the data.
    DerivedWeights {
        /// The definition file.
        origin: String,
        /// The method, as written.
        method: String,
    },
    /// Two ids that the engine would read as one column, since it ignores case.
    CaseClash {
        /// The definition file.
        origin: String,
        /// The first id.
        first: String,
        /// The second id.
        second: String,
        /// The engine.
        dialect: &'static str,
    },
    /// An id longer than the engine keeps (PostgreSQL cuts names at 63 bytes).
    TooLong {
        /// The definition file.
        origin: String,
        /// The name as the query would use it.
        name: String,
        /// Its length in bytes.
        bytes: usize,
        /// The most the engine keeps.
        most: usize,
    },
    /// An id that begins like the query's own columns (`kmgov_`).
    Reserved {
        /// The definition file.
        origin: String,
        /// The id.
        id: String,
    },
    /// `--table` names no table.
    BadTable {
        /// The name given.
        name: String,
    },
}

impl SqlError {
    /// The problem as shown to a person: where, what and what to do.
    pub fn problem(&self) -> Problem {
        match self {
            SqlError::DerivedWeights { origin, method } => Problem::error(
                Location::file(origin).with_item("[method] weights"),
                format!(
                    "weights = \"{method}\" derives the weights from the data, which the SQL query does not read ahead of time"
                ),
            )
            .with_hint(
                "freeze the weights into the definition first with `kmgov weights --format toml`, then run `kmgov sql --config` on the frozen definition",
            ),
            SqlError::CaseClash {
                origin,
                first,
                second,
                dialect,
            } => Problem::error(
                Location::file(origin),
                format!(
                    "`{}` and `{}` differ only in case, and {dialect} reads column names without regard to case",
                    echo(first),
                    echo(second)
                ),
            )
            .with_hint("rename one of them in the definition (and in the table)"),
            SqlError::TooLong {
                origin,
                name,
                bytes,
                most,
            } => Problem::error(
                Location::file(origin),
                format!(
                    "the column name `{}` is {bytes} bytes long; PostgreSQL keeps only the first {most}",
                    echo(name)
                ),
            )
            .with_hint("give the item a shorter id (a Chinese character takes 3 bytes)"),
            SqlError::Reserved { origin, id } => Problem::error(
                Location::file(origin),
                format!(
                    "the id `{}` begins with `kmgov_`, which the query keeps for its own columns",
                    echo(id)
                ),
            )
            .with_hint("rename the item (and its column in the table)"),
            SqlError::BadTable { name } => Problem::error(
                Location::nowhere().with_item("--table"),
                format!("`{}` is not a table name", echo(name)),
            )
            .with_hint("give a name such as data, indices.scores_input or \"my table\""),
        }
    }

    /// True when the fault lies in the command line rather than the definition.
    pub fn is_usage(&self) -> bool {
        matches!(self, SqlError::BadTable { .. })
    }
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem())
    }
}

impl std::error::Error for SqlError {}
