//! `kmgov audit`: the statistical audit of the indicators in a period.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use kmgov::analysis::audit::{self, Treat, render};
use kmgov::data::{Encoding, Input};
use kmgov::export::{self, Format, Source};
use kmgov::pipeline::{self, ScoreOptions};

use super::exit::Exit;
use super::values::{Choice, Delimiter, choice};

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Data: CSV (wide or long form) or a workbook; `-` (or nothing, when piped) reads standard input
    #[arg(value_name = "DATA")]
    data: Option<String>,
    /// Index definition (TOML); default ./kmgov.toml, else the built-in Kunming index
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Audit this period instead of the latest
    #[arg(long, short, value_name = "P")]
    period: Option<String>,
    /// Preview a treatment of the flagged indicators: winsorise (then log when that is not enough) or log
    #[arg(long, value_name = "HOW", value_parser = choice::<Treat>())]
    treat: Option<Treat>,
    /// Output format: table, csv (one row per indicator) or json [default: from the --output file's extension, else table]
    #[arg(long, short, value_parser = choice::<Format>())]
    format: Option<Format>,
    /// Write to FILE (whole, or not at all) instead of standard output; `-` is standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Table: plain ASCII borders
    #[arg(long)]
    ascii: bool,
    /// CSV: write text cells exactly as read (no `'` before a formula)
    #[arg(long)]
    raw: bool,
    /// Text encoding of the data: auto, utf-8, gb18030 (GBK), utf-16le or utf-16be
    #[arg(long, value_name = "ENC", default_value = "auto", value_parser = choice::<Encoding>())]
    encoding: Encoding,
    /// Field separator of the data: `,` `;` `tab` (or `\t`) or `|`; sniffed from the header when not given
    #[arg(long, value_name = "SEP", value_parser = choice::<Delimiter>())]
    delimiter: Option<Delimiter>,
    #[command(flatten)]
    sheets: super::values::Sheets,
}

impl Choice for Treat {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "winsorise",
            Treat::Winsorise,
            "Winsorise up to 5 values, then log when that is not enough",
        ),
        ("log", Treat::Log, "Logarithms straight away"),
    ];
}

/// Runs `kmgov audit`: read, score (keeping the raw values), audit, write.
pub fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let input = match args.data.as_deref() {
        Some(arg) => Input::from_arg(arg),
        None if std::io::stdin().is_terminal() => {
            return Err(kmgov::Error::Request {
                message: "no data file given".into(),
                hint: "run `kmgov audit samples/kunming.csv`".into(),
            }
            .into());
        }
        None => Input::Stdin,
    };
    let loaded = super::load_definition(args.config.as_deref())?;
    super::print_notes(&loaded);
    let config_path = loaded.source.path().map(Path::to_path_buf);
    let definition = loaded.definition;
    let output = args.output.as_deref().filter(|p| *p != Path::new("-"));
    let format = args
        .format
        .or_else(|| output.and_then(Format::from_extension))
        .unwrap_or(Format::Table);
    if matches!(format, Format::Markdown | Format::Xlsx) {
        return Err(kmgov::Error::Request {
            message: "the audit is written as a table, CSV or JSON".into(),
            hint: "use --format table, csv or json".into(),
        }
        .into());
    }
    let panel = super::read_data(
        &input,
        &definition,
        args.encoding,
        args.delimiter,
        &args.sheets,
    )?;
    let definition = super::score::derived_weights(&definition, &panel)?;
    let scores = pipeline::score_with(&definition, panel, ScoreOptions { keep_raw: true })?;
    let audit = audit::audit(&definition, &scores, args.period.as_deref(), args.treat)?;
    if output.is_none() {
        super::check_stdout()?;
    }
    let text = match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&render::json(&audit)).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Csv => render::csv(&audit, args.raw),
        _ => render::text(&audit, definition.title(), args.ascii),
    };
    let mut inputs: Vec<Source<'_>> = [input.path(), config_path.as_deref()]
        .into_iter()
        .flatten()
        .map(Source::Path)
        .collect();
    if input.path().is_none() {
        inputs.push(Source::Stdin);
    }
    export::write_output_with(output, &inputs, |out| out.write_all(text.as_bytes()))?;
    Ok(Exit::Success.into())
}
