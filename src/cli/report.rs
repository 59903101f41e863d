//! `kmgov report`: definition + data → one self-contained HTML report.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use kmgov::data::{self, Encoding, Input, ReadOptions};
use kmgov::export::{self, Exporter, Lang, Source};
use kmgov::pipeline::{self, ScoreOptions};
use kmgov::publish::{self, HtmlReport};
use kmgov::report::{Detail, Report};

use super::exit::Exit;
use super::values::{Delimiter, choice};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Data CSV, wide or long form; `-` (or nothing, when piped) reads standard input
    data: Option<String>,
    /// Index definition (TOML); default ./kmgov.toml, else the built-in Kunming index
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write the report to FILE (whole, or not at all); `-` is standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The language of headings and labels (default: the definition's `[index] lang`, else en)
    #[arg(long, value_name = "LANG", value_parser = choice::<Lang>())]
    lang: Option<Lang>,
    /// Report this period (its trends end there) instead of the latest
    #[arg(long, short, value_name = "P")]
    period: Option<String>,
    /// Add a table of each area's figures (by the city total's rule) and
    /// rank among areas; COLUMN is one of the definition's `[data] groups`
    #[arg(long, value_name = "COLUMN")]
    by: Option<String>,
    /// Text encoding of the data: auto, utf-8, gb18030 (GBK), utf-16le or utf-16be
    #[arg(long, value_name = "ENC", default_value = "auto", value_parser = choice::<Encoding>())]
    encoding: Encoding,
    /// Field separator of the data: `,` `;` `tab` (or `\t`) or `|`; sniffed from the header when not given
    #[arg(long, value_name = "SEP", value_parser = choice::<Delimiter>())]
    delimiter: Option<Delimiter>,
}

/// Runs `kmgov report`: read, score with every detail, render, write.
pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    refuse_terminal(args.output.as_deref(), std::io::stdout().is_terminal())?;
    let input = match args.data.as_deref() {
        Some(arg) => Input::from_arg(arg),
        None if std::io::stdin().is_terminal() => {
            return Err(kmgov::Error::Request {
                message: "no data file given".into(),
                hint: "run `kmgov report samples/kunming.csv -o report.html`".into(),
            }
            .into());
        }
        None => Input::Stdin,
    };
    let loaded = super::load_definition(args.config.as_deref())?;
    super::print_notes(&loaded);
    let (definition, config_path) = (
        loaded.definition,
        loaded.source.path().map(Path::to_path_buf),
    );
    let report = build(&input, &definition, &args)?;
    let output = args
        .output
        .as_deref()
        .filter(|path| *path != Path::new("-"));
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
    let exporter = HtmlReport {
        lang: args.lang.unwrap_or(definition.lang),
    };
    export::write_output_with(output, &inputs, |out| exporter.write(&report, out))?;
    Ok(Exit::Success.into())
}

/// An HTML page is no reading on a terminal: without `-o`, standard output
/// must be a file or a pipe.
fn refuse_terminal(output: Option<&Path>, stdout_is_terminal: bool) -> Result<(), kmgov::Error> {
    if output.is_none() && stdout_is_terminal {
        return Err(kmgov::Error::Request {
            message: "the report is an HTML page, not for printing on a terminal".into(),
            hint: "write it to a file: add -o report.html (or -o - for standard output)".into(),
        });
    }
    Ok(())
}

/// Reads and scores the data with every detail the report draws on, and
/// keeps the periods up to `--period`.
fn build(
    input: &Input,
    definition: &kmgov::Definition,
    args: &ReportArgs,
) -> Result<Report, kmgov::Error> {
    let panel = data::read(
        input,
        definition,
        ReadOptions {
            encoding: args.encoding,
            delimiter: args.delimiter.map(|Delimiter(byte)| byte),
            ..ReadOptions::default()
        },
    )?;
    if !panel.warnings.is_empty() {
        let limit = (panel.warnings.len() > 20).then_some(20);
        super::print_problems(&panel.warnings, limit);
    }
    let definition = super::score::derived_weights(definition, &panel)?;
    let scores = pipeline::score_with(&definition, panel, ScoreOptions { keep_raw: true })?;
    let detail = Detail {
        dimensions: true,
        indicators: true,
        groups: definition.has_groups(),
        ..Detail::default()
    };
    let mut report = Report::build_with(&definition, &scores, detail);
    if let Some(column) = &args.by {
        report = report.by_area(&definition, &scores, column)?;
    }
    drop(scores);
    let report = publish::up_to(report, args.period.as_deref())?;
    super::score::explain_changes(&definition, &report);
    if !report.filled.is_empty() {
        super::note(&format!(
            "{} missing cell(s) filled by missing = \"{}\"; `kmgov check` lists them",
            report.filled.len(),
            definition.method.missing
        ));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_refused_on_a_terminal_unless_asked_for() {
        let error = refuse_terminal(None, true).unwrap_err();
        assert!(error.is_usage());
        assert!(
            error.problems()[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("-o report.html")
        );
        assert!(refuse_terminal(None, false).is_ok());
        assert!(refuse_terminal(Some(Path::new("-")), true).is_ok());
        assert!(refuse_terminal(Some(Path::new("r.html")), true).is_ok());
    }
}
