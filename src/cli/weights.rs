//! `kmgov weights`: the weights a definition's method derives, shown as a
//! table, CSV or JSON, or frozen into the definition as manual weights.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use kmgov::data::{Encoding, Input};
use kmgov::definition::{DefinitionSource, KUNMING_TOML, WeightMethod};
use kmgov::export::{self, Source};
use kmgov::weights::WeightError;
use kmgov::weights::derive::{self, Resolved};
use kmgov::weights::freeze::freeze;
use kmgov::weights::output::WeightsReport;

use super::exit::Exit;
use super::values::{Choice, Delimiter, choice};

#[derive(Debug, Args)]
pub struct WeightsArgs {
    /// Data CSV, wide or long form, for the methods that derive weights from
    /// data (entropy, critic, cv, pca, combined); `-` reads standard input
    data: Option<String>,
    /// Index definition (TOML); default ./kmgov.toml, else the built-in Kunming index
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Derive by this method instead of the definition's [method] weights
    #[arg(long, short, value_name = "M", value_parser = choice::<WeightMethod>())]
    method: Option<WeightMethod>,
    /// Derive on this period of the data only, instead of [method]
    /// weights_period (default: every period pooled)
    #[arg(long, short, value_name = "P")]
    period: Option<String>,
    /// Output format [default: from the --output file's extension (.csv,
    /// .json, .toml), else table]
    #[arg(long, short, value_parser = choice::<WeightsFormat>())]
    format: Option<WeightsFormat>,
    /// Write to FILE (whole, or not at all) instead of standard output; `-` is standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Table: plain ASCII borders
    #[arg(long)]
    ascii: bool,
    /// Text encoding of the data: auto, utf-8, gb18030 (GBK), utf-16le or utf-16be
    #[arg(long, value_name = "ENC", default_value = "auto", value_parser = choice::<Encoding>())]
    encoding: Encoding,
    /// Field separator of the data: `,` `;` `tab` (or `\t`) or `|`; sniffed from the header when not given
    #[arg(long, value_name = "SEP", value_parser = choice::<Delimiter>())]
    delimiter: Option<Delimiter>,
    #[command(flatten)]
    sheets: super::values::Sheets,
}

/// `kmgov weights --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightsFormat {
    /// Dimension by dimension, for people.
    Table,
    /// One row per indicator, for scripts.
    Csv,
    /// Everything, for scripts.
    Json,
    /// The whole definition with the weights frozen in.
    Toml,
}

impl Choice for WeightsFormat {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        ("table", WeightsFormat::Table, ""),
        ("csv", WeightsFormat::Csv, ""),
        ("json", WeightsFormat::Json, ""),
        (
            "toml",
            WeightsFormat::Toml,
            "The whole definition with these weights written in as manual weights",
        ),
    ];
}

impl Choice for WeightMethod {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "manual",
            WeightMethod::Manual,
            "As written in the definition",
        ),
        (
            "equal",
            WeightMethod::Equal,
            "Every child of a node the same",
        ),
        ("entropy", WeightMethod::Entropy, "熵值法, from the data"),
        ("critic", WeightMethod::Critic, "CRITIC, from the data"),
        ("cv", WeightMethod::Cv, "变异系数法, from the data"),
        (
            "pca",
            WeightMethod::Pca,
            "OECD/JRC factor weights, from the data",
        ),
        (
            "ahp",
            WeightMethod::Ahp,
            "From the [ahp] judgement matrices",
        ),
        (
            "combined",
            WeightMethod::Combined,
            "[combined]: subjective and objective mixed",
        ),
    ];
}

/// Runs `kmgov weights`: read the definition (and the data, for a method
/// that reads it), derive, write.
pub fn run(args: WeightsArgs) -> anyhow::Result<ExitCode> {
    let loaded = super::load_definition(args.config.as_deref())?;
    super::print_notes(&loaded);
    let method = args.method.unwrap_or(loaded.definition.method.weights);
    let mut definition = loaded.definition.clone();
    if let Some(period) = &args.period {
        if !method.reads_data() {
            return Err(kmgov::Error::Request {
                message: format!("--period: weights = \"{method}\" reads no data"),
                hint: "leave out --period, or choose a method that derives weights from data: entropy, critic, cv, pca or combined".into(),
            }
            .into());
        }
        definition.method.weights_period = Some(period.clone());
    }
    let output = args
        .output
        .as_deref()
        .filter(|path| *path != Path::new("-"));
    let format = args.format.unwrap_or_else(|| from_extension(output));
    let input = data_input(&args, method)?;
    let panel = match &input {
        Some(input) => Some(read_panel(input, &definition, &args)?),
        None => None,
    };
    let resolved = derive::resolve_with(&definition, method, panel.as_ref())
        .map_err(|error| period_usage(error, args.period.is_some()))?;
    drop(panel);
    super::print_problems(&resolved.warnings, None);
    let data_name = input.as_ref().map(Input::name);
    let text = render(&loaded, &resolved, data_name.as_deref(), format, args.ascii)?;
    if output.is_none() {
        super::check_stdout()?;
    }
    let config = loaded.source.path();
    let mut inputs: Vec<Source<'_>> = [input.as_ref().and_then(Input::path), config]
        .into_iter()
        .flatten()
        .map(Source::Path)
        .collect();
    if matches!(input, Some(Input::Stdin)) {
        inputs.push(Source::Stdin);
    }
    let written = export::write_output_with(output, &inputs, |out| out.write_all(text.as_bytes()));
    match written {
        Err(error) if super::exit::is_broken_pipe(&error) => {}
        other => other.map_err(kmgov::Error::from)?,
    }
    if let (WeightsFormat::Toml, Some(path)) = (format, output) {
        super::note(&format!(
            "wrote {}: score with `kmgov score DATA --config {}` to use these weights",
            path.display(),
            path.display()
        ));
    }
    Ok(Exit::Success.into())
}

/// The output in `format`.
fn render(
    loaded: &kmgov::definition::Loaded,
    resolved: &Resolved,
    data: Option<&str>,
    format: WeightsFormat,
    ascii: bool,
) -> anyhow::Result<String> {
    let report = WeightsReport::new(&loaded.definition, resolved, data);
    Ok(match format {
        WeightsFormat::Table => report.table(ascii),
        WeightsFormat::Csv => report.csv(),
        WeightsFormat::Json => {
            let mut text =
                serde_json::to_string_pretty(&report.json()).unwrap_or_else(|_| "{}".to_string());
            text.push('\n');
            text
        }
        WeightsFormat::Toml => {
            let text = match &loaded.source {
                DefinitionSource::BuiltIn => KUNMING_TOML.to_string(),
                DefinitionSource::Named(path) | DefinitionSource::Local(path) => {
                    kmgov::definition::read_text(path)?.0
                }
            };
            freeze(&text, resolved, data)?
        }
    })
}

/// The data, when the method reads data: named on the command line (`-`
/// for standard input), else a usage error saying to give it. A method
/// that reads none leaves a data file named unread, with a note.
fn data_input(args: &WeightsArgs, method: WeightMethod) -> Result<Option<Input>, kmgov::Error> {
    match (&args.data, method.reads_data()) {
        (Some(arg), true) => Ok(Some(Input::from_arg(arg))),
        (None, true) => Err(kmgov::Error::Request {
            message: format!(
                "weights = \"{method}\" are derived from the data, and no data file was given"
            ),
            hint: "name the data file, such as `kmgov weights samples/kunming.csv`, or `-` to read standard input".into(),
        }),
        (Some(arg), false) => {
            super::note(&format!(
                "{arg} is not read: weights = \"{method}\" are not derived from data"
            ));
            Ok(None)
        }
        (None, false) => Ok(None),
    }
}

/// Reads the data as `score` does, and prints its warnings.
fn read_panel(
    input: &Input,
    definition: &kmgov::Definition,
    args: &WeightsArgs,
) -> Result<kmgov::Panel, kmgov::Error> {
    let panel = super::read_data(
        input,
        definition,
        args.encoding,
        args.delimiter,
        &args.sheets,
    )?;
    Ok(panel)
}

/// A `--period` the data lacks is bad usage (exit 2), as for `score`; the
/// same period written in the definition stays the definition's fault.
fn period_usage(error: kmgov::Error, from_flag: bool) -> kmgov::Error {
    if let kmgov::Error::Weights(errors) = &error
        && let [WeightError::UnknownWeightsPeriod { period, known, .. }] = errors.as_slice()
        && from_flag
    {
        return kmgov::Error::Request {
            message: format!(
                "--period: the data has no period `{}`",
                kmgov::error::echo(period)
            ),
            hint: format!("choose one of: {}", kmgov::error::list_some(known, 10)),
        };
    }
    error
}

/// The format an output file's extension asks for; the table otherwise.
fn from_extension(output: Option<&Path>) -> WeightsFormat {
    let extension = output
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => WeightsFormat::Csv,
        Some("json") => WeightsFormat::Json,
        Some("toml") => WeightsFormat::Toml,
        _ => WeightsFormat::Table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_name_is_the_definition_word() {
        for &(name, value, _) in WeightMethod::VALUES {
            assert_eq!(value.to_string(), name);
            assert_eq!(WeightMethod::from_name(name), Some(value));
        }
        assert_eq!(
            from_extension(Some(Path::new("w.TOML"))),
            WeightsFormat::Toml
        );
        assert_eq!(
            from_extension(Some(Path::new("w.txt"))),
            WeightsFormat::Table
        );
    }
}
