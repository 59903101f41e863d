//! Problems writing the output: an output over an input, a failed write, a
//! closed standard output, a row the format cannot tell apart.

use std::{fmt, io};

use crate::error::Problem;

/// A problem writing the output.
#[derive(Debug)]
pub enum ExportError {
    /// The output path is one of the inputs.
    WouldOverwriteInput {
        /// The output as given.
        output: String,
        /// The input it would replace, or how it was given.
        input: String,
    },
    /// Writing failed.
    Io {
        /// The output written to (`<stdout>` for standard output).
        path: String,
        /// Why the write failed.
        source: io::Error,
    },
    /// Standard output was closed when kmgov started (`>&-`), so the output
    /// had nowhere to go.
    StdoutClosed,
    /// `--total-row` and a unit named like the total row's label.
    UnitNamedTotal {
        /// The total row's label, which the unit also has.
        label: String,
        /// The first period with such a unit.
        period: String,
        /// The option whose rows are labelled so: `--total-row` or `--by`.
        option: &'static str,
    },
    /// The report does not fit an Excel sheet (rows, columns or the text
    /// of a cell).
    TooBigForExcel {
        /// What is too big, and by how much.
        what: String,
    },
}

impl ExportError {
    /// The problem as shown to a person.
    pub fn problem(&self) -> Problem {
        match self {
            ExportError::WouldOverwriteInput { output, input } => Problem::error(
                output.clone(),
                format!("refusing to write the output over the input {input}"),
            )
            .with_hint("choose another --output file"),
            ExportError::Io { path, source } => Problem::error(
                path.clone(),
                format!("cannot write the output: {source}"),
            )
            .with_hint(
                "check that the folder exists, is writable and has free space; nothing was written",
            ),
            ExportError::StdoutClosed => Problem::error(
                "<stdout>",
                "standard output is closed, so the output has nowhere to go",
            )
            .with_hint("redirect it to a file (`> out.txt`), or for `score` give --output FILE"),
            ExportError::UnitNamedTotal {
                label,
                period,
                option,
            } => {
                let rows = if *option == "--by" {
                    "the area rows"
                } else {
                    "the total row"
                };
                Problem::error(
                    *option,
                    format!(
                        "a unit is named `{label}` (period {period}), like {rows}, so the rows could not be told apart"
                    ),
                )
                .with_hint(format!(
                    "rename the unit `{label}` in the data, or leave out {option}"
                ))
            }
            ExportError::TooBigForExcel { what } => Problem::error(
                "--format xlsx",
                format!("{what}, so the workbook cannot be written"),
            )
            .with_hint("write --format csv instead, or fewer periods (--period) or units"),
        }
    }
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem())
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExportError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    fn broken_pipe() -> ExportError {
        ExportError::Io {
            path: "<stdout>".into(),
            source: io::Error::from(io::ErrorKind::BrokenPipe),
        }
    }

    #[test]
    fn a_failed_write_has_its_io_error_as_source() {
        let error = broken_pipe();
        let source = error.source().and_then(|s| s.downcast_ref::<io::Error>());
        assert_eq!(source.map(io::Error::kind), Some(io::ErrorKind::BrokenPipe));
        assert!(ExportError::StdoutClosed.source().is_none());
    }

    #[test]
    fn the_library_error_leads_down_to_the_io_error() {
        let error = crate::Error::from(broken_pipe());
        let export = error.source().expect("the export error");
        assert!(export.downcast_ref::<ExportError>().is_some());
        let io = export.source().and_then(|s| s.downcast_ref::<io::Error>());
        assert_eq!(io.map(io::Error::kind), Some(io::ErrorKind::BrokenPipe));
    }

    #[test]
    fn display_is_the_problem_as_shown() {
        let error = ExportError::WouldOverwriteInput {
            output: "d.csv".into(),
            input: "d.csv".into(),
        };
        assert_eq!(
            error.to_string(),
            "d.csv: refusing to write the output over the input d.csv"
        );
    }
}
