//! `kmgov sensitivity`: how sure each rank is, and which uncertain choice
//! moves the ranks most; and the rank intervals of `score --uncertainty`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kmgov::analysis::sensitivity::{
    self, Analysis, DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_WEIGHTS, Periods, Settings, Vary, render,
};
use kmgov::data::{Encoding, Input};
use kmgov::export::{self, Format, Source};
use kmgov::report::Report;

use super::exit::Exit;
use super::values::{Choice, Delimiter, choice};

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Data CSV, wide or long form; `-` (or nothing, when piped) reads standard input
    data: Option<String>,
    /// Index definition (TOML); default ./kmgov.toml, else the built-in Kunming index
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Analyse this period instead of the latest
    #[arg(long, short, value_name = "P")]
    period: Option<String>,
    /// Base sample N: the runs behind each unit's ranks; the indices of k
    /// uncertain inputs take N·(k+2) model runs
    #[arg(long, short = 'n', value_name = "N", default_value_t = DEFAULT_RUNS)]
    runs: usize,
    /// Seed of the random draws: the same seed gives the same numbers
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Each weight (dimension, group, indicator) varies by ± this fraction,
    /// renormalised among its siblings; 0 keeps the weights
    #[arg(long, value_name = "FRACTION", default_value_t = DEFAULT_WEIGHTS)]
    weights: f64,
    /// Method choices to vary too, drawn among the alternatives the data allow
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = choice::<VaryPart>())]
    vary: Vec<VaryPart>,
    /// Output format [default: from the --output file's extension, else table]
    #[arg(long, short, value_parser = choice::<SensitivityFormat>())]
    format: Option<SensitivityFormat>,
    /// CSV: write the sensitivity indices instead of the units
    #[arg(long)]
    indices: bool,
    /// Write to FILE (whole, or not at all) instead of standard output; `-` is standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// CSV: write names exactly as read, without the `'` before a formula
    #[arg(long)]
    raw: bool,
    /// Table: plain ASCII borders and marks
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

/// `--vary`: a method choice drawn in the runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VaryPart(Vary);

impl Choice for VaryPart {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "normalize",
            VaryPart(Vary::Normalize),
            "minmax, zscore, rank, goalposts (when every indicator has them)",
        ),
        (
            "aggregate",
            VaryPart(Vary::Aggregate),
            "arithmetic, geometric (where every score is above 0)",
        ),
        (
            "missing",
            VaryPart(Vary::Missing),
            "skip, mean, carry (when the data have gaps)",
        ),
        (
            "weights",
            VaryPart(Vary::Weights),
            "manual, equal, entropy, critic, cv, pca (where they succeed)",
        ),
    ];
}

/// `sensitivity --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SensitivityFormat {
    /// The units and the indices as terminal tables.
    Table,
    /// The units (or with --indices the indices) as CSV.
    Csv,
    /// Everything as JSON.
    Json,
}

impl Choice for SensitivityFormat {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        ("table", SensitivityFormat::Table, ""),
        ("csv", SensitivityFormat::Csv, ""),
        ("json", SensitivityFormat::Json, ""),
    ];
}

/// Runs `kmgov sensitivity`: read, analyse, write.
pub fn run(args: SensitivityArgs) -> anyhow::Result<ExitCode> {
    let input = match args.data.as_deref() {
        Some(arg) => Input::from_arg(arg),
        None if std::io::stdin().is_terminal() => {
            return Err(kmgov::Error::Request {
                message: "no data file given".into(),
                hint: "run `kmgov sensitivity samples/kunming.csv`, or pipe CSV into `kmgov sensitivity -`".into(),
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
    let format = output_format(args.format, output);
    let panel = super::read_data(
        &input,
        &definition,
        args.encoding,
        args.delimiter,
        &args.sheets,
    )?;
    let settings = Settings {
        runs: args.runs,
        seed: args.seed,
        weights: args.weights,
        vary: args.vary.iter().map(|VaryPart(v)| *v).collect(),
        ..Settings::default()
    };
    let periods = match &args.period {
        Some(period) => Periods::Named(period.clone()),
        None => Periods::Latest,
    };
    let analysis = with_progress(args.runs, |progress| {
        sensitivity::analyse(&definition, panel, &periods, &settings, progress)
    })?;
    print_notes(&analysis);
    super::note(&format!(
        "{} runs: {} model evaluations ({} uncertain inputs), seed {}",
        analysis.runs,
        analysis.evaluations,
        analysis.indices.len(),
        analysis.seed
    ));
    let text = match format {
        SensitivityFormat::Table => render::table(
            &analysis,
            definition.title(),
            &definition.columns.unit,
            render::TableStyle {
                ascii: args.ascii,
                decimals: definition.decimals,
            },
        ),
        SensitivityFormat::Csv if args.indices => render::indices_csv(&analysis, args.raw),
        SensitivityFormat::Csv => render::units_csv(&analysis, args.raw),
        SensitivityFormat::Json => render::json(&analysis),
    };
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
    export::write_output_with(output, &inputs, |out| out.write_all(text.as_bytes()))?;
    Ok(Exit::Success.into())
}

/// The format asked for, else the output file's (`.csv`, `.json`), else the table.
fn output_format(format: Option<SensitivityFormat>, output: Option<&Path>) -> SensitivityFormat {
    if let Some(format) = format {
        return format;
    }
    match output.and_then(Format::from_extension) {
        Some(Format::Csv) => SensitivityFormat::Csv,
        Some(Format::Json) => SensitivityFormat::Json,
        _ => SensitivityFormat::Table,
    }
}

/// `work` with a progress bar on stderr over `runs` base runs, when stderr
/// is a terminal and notes are not silenced; none into a pipe or file.
fn with_progress<T>(runs: usize, work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T) -> T {
    let shown = std::io::stderr().is_terminal() && !super::quiet();
    let bar = if shown {
        ProgressBar::with_draw_target(Some(runs as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} runs, {eta} left") {
        bar.set_style(style);
    }
    let result = work(&|n| bar.inc(n));
    bar.finish_and_clear();
    result
}

/// What the analysis assumed or left out, and the derived weights' warnings.
fn print_notes(analysis: &Analysis) {
    if !analysis.warnings.is_empty() {
        super::print_problems(&analysis.warnings, None);
    }
    for note in &analysis.notes {
        super::note(note);
    }
}

/// `score --uncertainty RUNS`: each unit's 5th–95th percentile rank over
/// RUNS runs with every weight ±25 % (the default seed), beside it in the
/// report. `definition` is the definition as read (its weighting method
/// not yet applied) and `panel` the data as read.
pub fn add_rank_intervals(
    report: &mut Report,
    format: Format,
    definition: &kmgov::Definition,
    panel: kmgov::Panel,
    runs: usize,
) -> Result<(), kmgov::Error> {
    if report.detail.indicators && format == Format::Csv {
        return Err(kmgov::Error::Request {
            message: "--uncertainty adds columns to the ranked table, and --detail indicators writes the indicator table instead".into(),
            hint: "leave out one of them, or write JSON, which has both".into(),
        });
    }
    let settings = Settings {
        runs,
        ..Settings::default()
    };
    let labels = report.periods.iter().map(|p| p.period.clone()).collect();
    let analysis = with_progress(runs, |progress| {
        sensitivity::rank_intervals(
            definition,
            panel,
            &Periods::Labels(labels),
            &settings,
            progress,
        )
    })?;
    for note in &analysis.notes {
        super::note(note);
    }
    super::note(&format!(
        "rank p05 and p95: the 5th and 95th percentile rank over {runs} runs with every weight ±{} % (seed {}); `kmgov sensitivity` varies the methods too",
        settings.weights * 100.0,
        settings.seed
    ));
    sensitivity::attach(report, &analysis);
    Ok(())
}
