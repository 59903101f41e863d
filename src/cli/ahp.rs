//! `kmgov ahp`: one judgement matrix → weights, λmax, CI, RI, CR and the
//! verdict, as a table, CSV or JSON.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use kmgov::Location;
use kmgov::export::{self, Source};
use kmgov::weights::WeightError;
use kmgov::weights::ahp::{self, Method, RiTable, output};

use super::exit::Exit;
use super::values::{Choice, choice};

#[derive(Debug, Args)]
pub struct AhpArgs {
    /// Judgement matrix (CSV): the first row and the first column name the
    /// items, the cells are numbers or fractions such as 1/3
    matrix: PathBuf,
    /// How the weights are derived from the judgements
    #[arg(long, short, default_value = "eigen", value_parser = choice::<Method>())]
    method: Method,
    /// The random-index table CR divides by
    #[arg(long, value_name = "TABLE", default_value = "saaty", value_parser = choice::<RiTable>())]
    ri: RiTable,
    /// Output format [default: from the --output file's extension (.csv,
    /// .json), else table]
    #[arg(long, short, value_parser = choice::<AhpFormat>())]
    format: Option<AhpFormat>,
    /// Write to FILE (whole, or not at all) instead of standard output; `-` is standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Table: plain ASCII borders
    #[arg(long)]
    ascii: bool,
}

/// `kmgov ahp --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AhpFormat {
    /// The weights and the verdict for people.
    Table,
    /// One row per item, for scripts.
    Csv,
    /// One object, for scripts.
    Json,
}

impl Choice for AhpFormat {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        ("table", AhpFormat::Table, ""),
        ("csv", AhpFormat::Csv, ""),
        ("json", AhpFormat::Json, ""),
    ];
}

impl Choice for Method {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "eigen",
            Method::Eigen,
            "The principal right eigenvector (Saaty)",
        ),
        ("sum", Method::Sum, "和积法: column-normalised row means"),
        (
            "root",
            Method::Root,
            "方根法: normalised row geometric means",
        ),
    ];
}

impl Choice for RiTable {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        ("saaty", RiTable::Saaty, "Saaty (1980), n ≤ 10"),
        ("chinese", RiTable::Chinese, "许树柏 (1988), n ≤ 10"),
        (
            "tummala-ling",
            RiTable::TummalaLing,
            "Tummala & Ling (1998): not built into this version",
        ),
    ];
}

/// Runs `kmgov ahp`: read and check the matrix, derive, write; an
/// inconsistent matrix is written too, with a warning naming the judgement
/// most worth revising.
pub fn run(args: AhpArgs) -> anyhow::Result<ExitCode> {
    let shown = args.matrix.display().to_string();
    let file = ahp::read_matrix(&args.matrix, &shown).map_err(kmgov::Error::Weights)?;
    if let Some(encoding) = file.encoding {
        super::note(&format!(
            "{shown} is not UTF-8; it was read as {encoding}; save it as UTF-8 to be sure"
        ));
    }
    let result = ahp::ahp(&file.matrix, args.method, args.ri).map_err(usage_or_input)?;
    if let Some(warning) = result.warning(&file.matrix) {
        let mut problem = warning.problem();
        problem.location = Location::file(shown.as_str());
        super::print_problems(&[problem], None);
    }
    let output = args
        .output
        .as_deref()
        .filter(|path| *path != Path::new("-"));
    let format = args.format.unwrap_or_else(|| from_extension(output));
    let text = match format {
        AhpFormat::Table => {
            let title = format!(
                "AHP — {shown}: {} method, {} RI table",
                result.method.name(),
                result.ri_table.name()
            );
            output::table(&file.matrix, &result, &title, args.ascii)
        }
        AhpFormat::Csv => output::csv(&file.matrix, &result),
        AhpFormat::Json => {
            let mut text = serde_json::to_string_pretty(&output::json(&file.matrix, &result))?;
            text.push('\n');
            text
        }
    };
    if output.is_none() {
        super::check_stdout()?;
    }
    let written = export::write_output_with(output, &[Source::Path(&args.matrix)], |out| {
        out.write_all(text.as_bytes())
    });
    match written {
        Err(error) if super::exit::is_broken_pipe(&error) => {}
        other => other.map_err(kmgov::Error::from)?,
    }
    Ok(Exit::Success.into())
}

/// A table kmgov does not ship was asked for on the command line: bad
/// usage (exit 2). Anything else is the matrix's fault (exit 1).
fn usage_or_input(errors: Vec<WeightError>) -> kmgov::Error {
    if let [error @ WeightError::RiTableUnavailable { .. }] = errors.as_slice() {
        let problem = error.problem();
        return kmgov::Error::Request {
            message: format!("--ri: {}", problem.message),
            hint: problem.hint.unwrap_or_default(),
        };
    }
    kmgov::Error::Weights(errors)
}

/// The format an output file's extension asks for; the table otherwise.
fn from_extension(output: Option<&Path>) -> AhpFormat {
    let extension = output
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => AhpFormat::Csv,
        Some("json") => AhpFormat::Json,
        _ => AhpFormat::Table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_value() {
        for &(name, value, _) in Method::VALUES {
            assert_eq!(Method::from_name(name), Some(value));
            assert_eq!(value.name(), name);
        }
        for &(name, value, _) in RiTable::VALUES {
            assert_eq!(RiTable::from_name(name), Some(value));
            assert_eq!(value.name(), name);
        }
        assert_eq!(from_extension(Some(Path::new("w.JSON"))), AhpFormat::Json);
        assert_eq!(from_extension(Some(Path::new("w.txt"))), AhpFormat::Table);
        assert_eq!(from_extension(None), AhpFormat::Table);
    }
}
