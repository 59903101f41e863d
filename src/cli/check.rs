//! `kmgov check`: list every problem in the definition and the data.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use kmgov::Severity;
use kmgov::check::{CheckReport, check_sheets};
use kmgov::data::{Encoding, Input, ReadOptions};
use kmgov::export;
use serde_json::json;

use super::exit;
use super::values::{CheckFormat, Delimiter, choice};

/// How many problems the text listing shows before counting the rest.
const LISTING_LIMIT: usize = 200;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Data CSV to check; `-` (or nothing, when piped) reads standard input
    data: Option<String>,
    /// Index definition (TOML); default ./kmgov.toml, else the built-in Kunming index
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Text encoding of the data: auto, utf-8, gb18030 (GBK), utf-16le or utf-16be
    #[arg(long, value_name = "ENC", default_value = "auto", value_parser = choice::<Encoding>())]
    encoding: Encoding,
    /// Field separator of the data: `,` `;` `tab` (or `\t`) or `|`; sniffed from the header when not given
    #[arg(long, value_name = "SEP", value_parser = choice::<Delimiter>())]
    delimiter: Option<Delimiter>,
    /// Listing format: text on stderr, or JSON on stdout for tooling
    #[arg(long, short, default_value = "text", value_parser = choice::<CheckFormat>())]
    format: CheckFormat,
    #[command(flatten)]
    sheets: super::values::Sheets,
}

/// Runs `kmgov check`: every problem listed, exit 1 when one is an error.
pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let loaded = super::load_definition(args.config.as_deref());
    loaded.iter().for_each(super::print_notes);
    let definition = loaded.map(|loaded| loaded.definition);
    let input = match args.data.as_deref() {
        Some(arg) => Input::from_arg(arg),
        None if std::io::IsTerminal::is_terminal(&std::io::stdin()) => {
            return Err(kmgov::Error::Request {
                message: "no data file given".into(),
                hint: "run `kmgov check data.csv`, or pipe CSV into `kmgov check`".into(),
            }
            .into());
        }
        None => Input::Stdin,
    };
    let report = check_sheets(
        definition,
        &input,
        ReadOptions {
            encoding: args.encoding,
            delimiter: args.delimiter.map(|Delimiter(byte)| byte),
            ..ReadOptions::default()
        },
        &args.sheets.options(),
    );
    for text in &report.notes {
        super::note(text);
    }
    match args.format {
        CheckFormat::Text => print_text(&report, &input.name()),
        CheckFormat::Json => print_json(&report)?,
    }
    Ok(exit::for_check(report.has_errors()).into())
}

fn print_text(report: &CheckReport, name: &str) {
    super::print_problems(&report.problems, Some(LISTING_LIMIT));
    if !report.has_errors() {
        super::streams::say(&format!(
            "{name}: ok — {} rows, {} units, {} periods",
            report.rows, report.units, report.periods
        ));
    }
}

/// The listing as JSON on stdout. A reader that leaves early (`| head -1`)
/// is not a failure: the verdict still decides the exit code.
fn print_json(report: &CheckReport) -> Result<(), kmgov::Error> {
    super::check_stdout()?;
    let json = as_json(report);
    let written = export::write_output_with(None, &[], |out| {
        serde_json::to_writer_pretty(&mut *out, &json)?;
        out.write_all(b"\n")
    });
    match written {
        Err(error) if exit::is_broken_pipe(&error) => Ok(()),
        other => other.map_err(kmgov::Error::from),
    }
}

fn as_json(report: &CheckReport) -> serde_json::Value {
    let problems: Vec<serde_json::Value> = report
        .problems
        .iter()
        .take(LISTING_LIMIT)
        .map(|p| {
            json!({
                "severity": p.severity.as_str(),
                "location": p.location.to_string(),
                "message": p.message,
                "hint": p.hint,
            })
        })
        .collect();
    json!({
        "ok": !report.has_errors(),
        "errors": report.count(Severity::Error),
        "warnings": report.count(Severity::Warning),
        "rows": report.rows,
        "units": report.units,
        "periods": report.periods,
        "problems": problems,
        "not_listed": report.problems.len().saturating_sub(LISTING_LIMIT),
    })
}
