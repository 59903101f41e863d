//! `kmgov explain`: why a unit (or the total) scores what it does, what
//! holds it back, and why its score changed.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use kmgov::analysis::explain::{self, Explanation, Request, Target, render};
use kmgov::data::{Encoding, Input};
use kmgov::export::{self, Format, Source};

use super::exit::Exit;
use super::values::{Delimiter, choice};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  kmgov explain 五华区 samples/kunming.csv\n  kmgov explain --total samples/kunming.csv --previous 2017\n  kmgov explain 五华区 samples/kunming.csv --format json"
)]
pub struct ExplainArgs {
    /// The unit to explain, by its exact name (with --total, leave it out:
    /// the first argument is then the data)
    #[arg(value_name = "UNIT")]
    unit: Option<String>,
    /// Data CSV, wide or long form; `-` (or nothing, when piped) reads standard input
    #[arg(value_name = "DATA")]
    data: Option<String>,
    /// Explain the overall figure (the total of every unit) instead of a unit
    #[arg(long)]
    total: bool,
    /// Index definition (TOML); default ./kmgov.toml, else the built-in Kunming index
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Explain this period instead of the latest
    #[arg(long, short, value_name = "P")]
    period: Option<String>,
    /// Compare with this earlier period instead of the previous one
    #[arg(long, value_name = "P")]
    previous: Option<String>,
    /// Output format [default: from the --output file's extension (.csv, .json,
    /// .md, .markdown, .txt), else table]
    #[arg(long, short, value_parser = choice::<Format>())]
    format: Option<Format>,
    /// Write to FILE (whole, or not at all) instead of standard output; `-` is standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Table and Markdown: list only the N indicators with the largest
    /// obstacle degree (JSON: the `obstacles` list)
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Table: plain ASCII borders and symbols
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

/// Runs `kmgov explain`: read, score, explain, write, with the notes on
/// what was assumed on stderr.
pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let (target, input) = target_and_input(&args)?;
    let loaded = super::load_definition(args.config.as_deref())?;
    super::print_notes(&loaded);
    let config_path = loaded.source.path().map(Path::to_path_buf);
    let definition = loaded.definition;
    let output = args.output.as_deref().filter(|p| *p != Path::new("-"));
    let format = output_format(args.format, output);
    if format == Format::Xlsx {
        return Err(kmgov::Error::Request {
            message: "an explanation is written as a table, CSV, JSON or Markdown".into(),
            hint: "use --format table, csv, json or markdown (an --output file named .csv, .json or .md)".into(),
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
    let request = Request {
        target,
        period: args.period.clone(),
        previous: args.previous.clone(),
    };
    let explanation = explain::explain(&definition, panel, &request)?;
    for note in &explanation.notes {
        super::note(note);
    }
    if output.is_none() {
        super::check_stdout()?;
    }
    let mut inputs: Vec<Source<'_>> = [input.path(), config_path.as_deref()]
        .into_iter()
        .flatten()
        .map(Source::Path)
        .collect();
    if input.path().is_none() {
        inputs.push(Source::Stdin);
    }
    let text = rendered(&explanation, format, &args, output.is_none());
    export::write_output_with(output, &inputs, |out| out.write_all(text.as_bytes()))?;
    Ok(Exit::Success.into())
}

/// The unit (or the total) and the data, from the positional arguments.
fn target_and_input(args: &ExplainArgs) -> Result<(Target, Input), kmgov::Error> {
    let usage = |message: &str, hint: &str| kmgov::Error::Request {
        message: message.into(),
        hint: hint.into(),
    };
    let (target, data) = match (args.total, &args.unit, &args.data) {
        (true, None, _) => (Target::Total, None),
        (true, Some(data), None) => (Target::Total, Some(data)),
        (true, Some(unit), Some(_)) => {
            return Err(usage(
                &format!(
                    "--total explains the overall figure, so the unit `{}` is not wanted",
                    kmgov::error::echo(unit)
                ),
                "give either a unit (`kmgov explain UNIT DATA`) or --total (`kmgov explain --total DATA`)",
            ));
        }
        (false, None, _) => {
            return Err(usage(
                "name the unit to explain, or give --total",
                "`kmgov explain 五华区 samples/kunming.csv`, or `kmgov explain --total samples/kunming.csv`",
            ));
        }
        (false, Some(unit), data) => (Target::Unit(unit.clone()), data.as_ref()),
    };
    if let (Target::Unit(unit), None) = (&target, data)
        && Path::new(unit).is_file()
    {
        // `kmgov explain data.csv`: the file taken for a unit.
        let unit = kmgov::error::echo(unit);
        return Err(usage(
            &format!("no data file given, and the unit `{unit}` is a file"),
            &format!(
                "the unit comes first: `kmgov explain UNIT {unit}`, or `kmgov explain --total {unit}`; for a unit named so, give the data after it (`-` for standard input)"
            ),
        ));
    }
    let input = match data {
        Some(arg) => Input::from_arg(arg),
        None if std::io::stdin().is_terminal() => {
            return Err(usage(
                "no data file given",
                "give the data after the unit (`kmgov explain UNIT DATA`), or pipe CSV into it",
            ));
        }
        None => Input::Stdin,
    };
    Ok((target, input))
}

/// The explanation in `format`.
fn rendered(explanation: &Explanation, format: Format, args: &ExplainArgs, stdout: bool) -> String {
    let look = render::Look {
        top: args.top,
        ascii: args.ascii,
        width: (format == Format::Table && stdout)
            .then(terminal_width)
            .flatten(),
    };
    match format {
        // Refused before anything is read (see `run`).
        Format::Table | Format::Xlsx => render::table(explanation, &look),
        Format::Markdown => render::markdown(explanation, &look),
        Format::Csv => render::csv(explanation, args.raw),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&render::json(explanation, args.top))
                .unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

/// `--format`, else what the output file's extension asks for, else the
/// table; warns, as `score` does, when a file's extension names no format.
fn output_format(format: Option<Format>, output: Option<&Path>) -> Format {
    if let Some(format) = format {
        return format;
    }
    let Some(path) = output else {
        return Format::Table;
    };
    if let Some(format) = Format::from_extension(path) {
        return format;
    }
    // Devices such as /dev/null or /dev/stdout have no extension to read.
    if !std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        super::print_problems(
            &[kmgov::Problem::warning(
                path.display().to_string(),
                "the file extension names no output format, so the table is written",
            )
            .with_hint("give --format csv, json, markdown or table, or name the file .csv, .json, .md or .txt")],
            None,
        );
    }
    Format::Table
}

/// The width of the terminal standard output is, if it is one.
fn terminal_width() -> Option<u16> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = terminal_size::terminal_size().map(|(width, _)| width.0);
    let env = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    columns.or(env).filter(|&width| width > 0).or(Some(80))
}
