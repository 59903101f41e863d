//! `kmgov score`: definition + data → ranked report in the chosen format.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use kmgov::data::{self, Encoding, Input, ReadOptions};
use kmgov::export::{self, Format};
use kmgov::pipeline;
use kmgov::report::{Report, Selection};

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Data CSV, wide or long form; `-` (or nothing, when piped) reads standard input
    data: Option<String>,
    /// Index definition (TOML); default ./kmgov.toml, else the built-in Kunming index
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Report this period instead of the latest
    #[arg(long, short, value_name = "P", conflicts_with = "all_periods")]
    period: Option<String>,
    /// Report every period
    #[arg(long, short)]
    all_periods: bool,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = FormatArg::Table)]
    format: FormatArg,
    /// Write to FILE (whole, or not at all) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Show only the first N units of each period (the total still counts all)
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Text encoding of the data: auto, utf-8, gb18030 (GBK), utf-16le or utf-16be
    #[arg(long, value_name = "ENC", default_value = "auto", value_parser = super::parse_encoding)]
    encoding: Encoding,
    /// Field separator of the data: `,` `;` `tab` (or `\t`) or `|`; sniffed from the header when not given
    #[arg(long, value_name = "SEP", value_parser = super::parse_delimiter)]
    delimiter: Option<u8>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Table,
    Csv,
    Json,
    Markdown,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

pub fn run(args: ScoreArgs) -> anyhow::Result<ExitCode> {
    let input = match args.data.as_deref() {
        Some(arg) => Input::from_arg(arg),
        None if std::io::stdin().is_terminal() => {
            return Err(kmgov::Error::Request {
                message: "no data file given".into(),
                hint: "run `kmgov score samples/kunming.csv`, or pipe CSV into `kmgov score -`"
                    .into(),
            }
            .into());
        }
        None => Input::Stdin,
    };
    let (definition, config_path) = super::load_definition(args.config.as_deref())?;
    let panel = data::read(
        &input,
        &definition,
        ReadOptions {
            encoding: args.encoding,
            delimiter: args.delimiter,
            ..ReadOptions::default()
        },
    )?;
    if !panel.warnings.is_empty() {
        super::print_problems(&panel.warnings, Some(20));
    }
    let scores = pipeline::score(&definition, panel)?;
    let selection = match (args.all_periods, args.period) {
        (true, _) => Selection::All,
        (false, Some(period)) => Selection::Period(period),
        (false, None) => Selection::Latest,
    };
    let mut report = Report::build(&definition, &scores).select(&selection)?;
    drop(scores);
    if let Some(n) = args.top {
        report = report.top(n);
    }
    let bytes = Format::from(args.format).exporter().render(&report);
    let inputs: Vec<&std::path::Path> = [input.path(), config_path.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    export::write_output(&bytes, args.output.as_deref(), &inputs).map_err(kmgov::Error::from)?;
    Ok(ExitCode::SUCCESS)
}
