//! `kmgov score`: definition + data → ranked report in the chosen format.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use kmgov::Problem;
use kmgov::data::{Encoding, Input};
use kmgov::export::{self, Format, Options, Source};
use kmgov::pipeline::{self, ScoreOptions};
use kmgov::report::{Changes, Detail, Report, Selection, Shape};

use super::exit::Exit;
use super::values::{Choice, Delimiter, DetailPart, SortOrder, Style, choice};

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
    /// Output format [default: from the --output file's extension (.csv, .json,
    /// .md, .markdown, .txt, .xlsx), else table]
    #[arg(long, short, value_parser = choice::<Format>())]
    format: Option<Format>,
    /// Write to FILE (whole, or not at all) instead of standard output; `-` is standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// CSV: write text cells exactly as read, without the `'` that keeps a
    /// name such as `=1+2` from running as a spreadsheet formula
    #[arg(long)]
    raw: bool,
    /// Table: plain ASCII borders and symbols (the same as --style ascii)
    #[arg(long, conflicts_with = "style")]
    ascii: bool,
    /// Table: border and symbol style
    #[arg(long, value_name = "STYLE", default_value = "unicode", value_parser = choice::<Style>())]
    style: Style,
    #[command(flatten)]
    sheets: super::values::Sheets,
    /// Table and Markdown: the language of headings and labels (default: the definition's `[index] lang`, else en)
    #[arg(long, value_name = "LANG", value_parser = choice::<kmgov::export::Lang>())]
    lang: Option<kmgov::export::Lang>,
    /// Show only the first N units of each period (the total still counts all)
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// More than composites: `dimensions` adds each dimension's rank and change
    /// (CSV and table; JSON always has them), `indicators` writes each
    /// indicator's raw value, score and global weight (CSV and JSON)
    #[arg(long, value_name = "WHAT", value_delimiter = ',', value_parser = choice::<DetailPart>())]
    detail: Vec<DetailPart>,
    /// CSV: add each period's total (unit `total`) after its units
    #[arg(long)]
    total_row: bool,
    /// Text encoding of the data: auto, utf-8, gb18030 (GBK), utf-16le or utf-16be
    #[arg(long, value_name = "ENC", default_value = "auto", value_parser = choice::<Encoding>())]
    encoding: Encoding,
    /// Field separator of the data: `,` `;` `tab` (or `\t`) or `|`; sniffed from the header when not given
    #[arg(long, value_name = "SEP", value_parser = choice::<Delimiter>())]
    delimiter: Option<Delimiter>,
    /// Add each area's total (by the city total's rule) with its change and
    /// rank among areas, and rank units within their area; COLUMN is one of
    /// the definition's `[data] groups`
    #[arg(long, value_name = "COLUMN")]
    by: Option<String>,
    /// Order each period's units by `rank` or by division `code` (`[data] code`); ranks are unchanged
    #[arg(long, value_name = "ORDER", default_value = "rank", value_parser = choice::<SortOrder>())]
    sort: SortOrder,
    /// Add each unit's 5th–95th percentile rank (rank_p05, rank_p95) over
    /// RUNS Monte Carlo runs with every weight ±25 %; see `kmgov sensitivity`
    #[arg(long, value_name = "RUNS")]
    uncertainty: Option<usize>,
}

/// Runs `kmgov score`: read, score, report, write, with the notes on what
/// was assumed in between.
pub fn run(args: ScoreArgs) -> anyhow::Result<ExitCode> {
    let input = data_input(&args)?;
    let loaded = super::load_definition(args.config.as_deref())?;
    super::print_notes(&loaded);
    let (definition, config_path) = (
        loaded.definition,
        loaded.source.path().map(Path::to_path_buf),
    );
    // `-o -` is standard output.
    let output = args
        .output
        .as_deref()
        .filter(|path| *path != Path::new("-"));
    let format = output_format(args.format, output);
    refuse_binary_to_terminal(format, output, std::io::stdout().is_terminal())?;
    let detail = detail(&args, format, &definition)?;
    check_areas(&args, format, &definition, detail)?;
    let (panel, check) = read_panel(&input, &definition, &args)?;
    let uncertain = args
        .uncertainty
        .map(|runs| (runs, definition.clone(), panel.clone()));
    let definition = derived_weights(&definition, &panel)?;
    let mut inputs: Vec<Source<'_>> = [input.path(), config_path.as_deref()]
        .into_iter()
        .flatten()
        .map(Source::Path)
        .collect();
    if input.path().is_none() {
        inputs.push(Source::Stdin);
    }
    let lang = args.lang.unwrap_or(definition.lang);
    let target = Target {
        format,
        output,
        inputs: &inputs,
        lang,
    };
    // CSV and JSON are written period by period, never held whole; rank
    // intervals are attached to the whole report.
    if uncertain.is_none() && format.exporter().streams() {
        stream(&definition, panel, detail, &args, &check, &target)?;
        return Ok(Exit::Success.into());
    }
    let mut report = build_report(&definition, panel, detail, &args, &check)?;
    if let Some((runs, definition, panel)) = uncertain {
        super::sensitivity::add_rank_intervals(&mut report, format, &definition, panel, runs)?;
    }
    if output.is_none() {
        super::check_stdout()?;
    }
    write(&report, format, output, &inputs, &args, lang)?;
    Ok(Exit::Success.into())
}

/// Where and how the report is written.
struct Target<'a> {
    format: Format,
    output: Option<&'a Path>,
    inputs: &'a [Source<'a>],
    lang: kmgov::export::Lang,
}

/// Scores the panel and writes the report period by period: the same notes,
/// errors and bytes as [`build_report`] then [`write`], holding one
/// period's rows at a time.
fn stream(
    definition: &kmgov::Definition,
    panel: kmgov::Panel,
    detail: Detail,
    args: &ScoreArgs,
    check: &str,
    target: &Target<'_>,
) -> Result<(), kmgov::Error> {
    let options = ScoreOptions {
        keep_raw: detail.indicators,
    };
    let scores = drop_unused(pipeline::score_with(definition, panel, options)?, detail);
    let shape = Shape {
        selection: selection(args),
        by: args.by.clone(),
        top: args.top,
        sort_code: args.sort == SortOrder::Code,
    };
    let (outline, mut periods) = Report::stream(definition, &scores, detail, &shape)?;
    explain_relative_changes(definition, outline.changes, periods.shows_change());
    note_filled(definition, outline.filled.len(), check);
    // A unit named `total` beside total rows is refused before anything is
    // written: the whole report is built and checked, as before streaming.
    let clash = target.format == Format::Csv
        && (args.total_row || args.by.is_some())
        && periods.has_unit_named("total");
    if clash {
        let report = Report {
            periods: periods.collect(),
            ..outline
        };
        return write(
            &report,
            target.format,
            target.output,
            target.inputs,
            args,
            target.lang,
        );
    }
    if target.output.is_none() {
        super::check_stdout()?;
    }
    let exporter = target.format.exporter_with(Options {
        lang: target.lang,
        ..options_of(args, target.format, target.output)
    });
    export::write_output_with(target.output, target.inputs, |out| {
        exporter.write_periods(&outline, &mut periods, out)
    })?;
    Ok(())
}

/// The scores without the indicator scores when no indicator detail is
/// asked for: only that detail reads them, and they are most of the memory
/// (rows × indicators), freed before the report is built.
fn drop_unused(mut scores: pipeline::Scores, detail: Detail) -> pipeline::Scores {
    if !detail.indicators {
        scores.indicator_scores = Vec::new();
    }
    scores
}

/// The periods `--all-periods` or `--period` ask for (the latest by default).
fn selection(args: &ScoreArgs) -> Selection {
    match (args.all_periods, &args.period) {
        (true, _) => Selection::All,
        (false, Some(period)) => Selection::Period(period.clone()),
        (false, None) => Selection::Latest,
    }
}

/// The note on how many cells the missing-value rule filled, if any.
fn note_filled(definition: &kmgov::Definition, filled: usize, check: &str) {
    if filled > 0 {
        super::note(&format!(
            "{filled} missing cell(s) filled by missing = \"{}\"; run `{check}` to list them",
            definition.method.missing
        ));
    }
}

/// `--sort code` without a code column.
fn no_code_column() -> kmgov::Error {
    kmgov::Error::Request {
        message: "--sort code: the definition names no division code column".into(),
        hint: "add code = \"code\" to the definition's [data] section, naming the data's column of 区划代码".into(),
    }
}

/// The data named on the command line, else standard input when it is not
/// a terminal.
fn data_input(args: &ScoreArgs) -> Result<Input, kmgov::Error> {
    match args.data.as_deref() {
        Some(arg) => Ok(Input::from_arg(arg)),
        None if std::io::stdin().is_terminal() => Err(kmgov::Error::Request {
            message: "no data file given".into(),
            hint: "run `kmgov score samples/kunming.csv`, or pipe CSV into `kmgov score -`".into(),
        }),
        None => Ok(Input::Stdin),
    }
}

/// `--by` and `--sort code` against the definition, before the data is
/// read: a column it lacks is a usage error now, not after a long read.
fn check_areas(
    args: &ScoreArgs,
    format: Format,
    definition: &kmgov::Definition,
    detail: Detail,
) -> Result<(), kmgov::Error> {
    if let Some(by) = &args.by {
        let groups = &definition.columns.groups;
        if !groups.contains(by) {
            return Err(kmgov::report::areas::unknown_area_column(groups, by));
        }
        if detail.indicators && format == Format::Csv {
            return Err(kmgov::Error::Request {
                message: "--by: the long indicator table (--detail indicators) has no rows for areas".into(),
                hint: "leave out --detail indicators for the areas' rows, or write --format json or xlsx, which carry both".into(),
            });
        }
        if definition.method.total == kmgov::definition::Total::None {
            super::note(&format!(
                "total = \"none\": areas get no totals either, so --by {by} ranks units within their areas only"
            ));
        }
    }
    if args.sort == SortOrder::Code && definition.columns.code.is_none() {
        return Err(no_code_column());
    }
    Ok(())
}

/// The details `--detail` asks for, refused where `format` cannot show them.
fn detail(
    args: &ScoreArgs,
    format: Format,
    definition: &kmgov::Definition,
) -> Result<Detail, kmgov::Error> {
    let groups_asked = args.detail.contains(&DetailPart::Groups);
    if groups_asked && !definition.has_groups() {
        super::note(
            "--detail groups: the definition has no groups (its dimensions hold indicators directly), so there is nothing to add",
        );
    }
    let detail = Detail {
        // JSON always carries each dimension's and group's rank and change.
        dimensions: args.detail.contains(&DetailPart::Dimensions) || format == Format::Json,
        indicators: args.detail.contains(&DetailPart::Indicators),
        groups: definition.has_groups() && (groups_asked || format == Format::Json),
        rank_intervals: false,
    };
    if detail.indicators && !matches!(format, Format::Csv | Format::Json | Format::Xlsx) {
        return Err(kmgov::Error::Request {
            message: "--detail indicators is written as CSV, JSON or xlsx".into(),
            hint: "add --format csv, json or xlsx (or an --output file named .csv, .json or .xlsx)"
                .into(),
        });
    }
    Ok(detail)
}

/// Reads the data and prints its warnings (or one line for those `check`
/// would list); returns the panel and the `kmgov check` command to suggest.
fn read_panel(
    input: &Input,
    definition: &kmgov::Definition,
    args: &ScoreArgs,
) -> Result<(kmgov::Panel, String), kmgov::Error> {
    let panel = super::read_data(
        input,
        definition,
        args.encoding,
        args.delimiter,
        &args.sheets,
    )?;
    let data_arg = input
        .path()
        .map_or("-".to_string(), |p| p.display().to_string());
    let check = check_command(&data_arg, args);
    summarise_warnings(definition, &panel, &check, args.by.is_some());
    Ok((panel, check))
}

/// The definition with the weights its method derives (itself under manual
/// weights), after a note on what was derived and its warnings.
pub(super) fn derived_weights(
    definition: &kmgov::Definition,
    panel: &kmgov::Panel,
) -> Result<kmgov::Definition, kmgov::Error> {
    if definition.method.weights == kmgov::definition::WeightMethod::Manual {
        return Ok(definition.clone());
    }
    let resolved = kmgov::weights::derive::resolve(definition, Some(panel))?;
    super::print_problems(&resolved.warnings, None);
    let on = match &resolved.rows {
        Some((rows, Some(period))) => format!(" from the {rows} rows of period {period}"),
        Some((rows, None)) => format!(" from the {rows} rows of every period pooled"),
        None => String::new(),
    };
    super::note(&format!(
        "weights = \"{}\": weights derived{on}; `kmgov weights` shows them, `kmgov weights --format toml` freezes them",
        resolved.method
    ));
    Ok(resolved.definition)
}

/// Scores the panel and selects the periods and units to report, with the
/// notes on changes and filled cells.
fn build_report(
    definition: &kmgov::Definition,
    panel: kmgov::Panel,
    detail: Detail,
    args: &ScoreArgs,
    check: &str,
) -> Result<Report, kmgov::Error> {
    let options = ScoreOptions {
        keep_raw: detail.indicators,
    };
    let scores = drop_unused(pipeline::score_with(definition, panel, options)?, detail);
    let selection = selection(args);
    let mut report = Report::build_with(definition, &scores, detail);
    if let Some(column) = &args.by {
        report = report.by_area(definition, &scores, column)?;
    }
    let mut report = report.select(&selection)?;
    drop(scores);
    explain_changes(definition, &report);
    note_filled(definition, report.filled.len(), check);
    if let Some(n) = args.top {
        report = report.top(n);
    }
    if args.sort == SortOrder::Code {
        report = report.sort_by_code();
    }
    Ok(report)
}

/// Writes the report in `format` to `output` (standard output when `None`),
/// never over one of `inputs`.
fn write(
    report: &Report,
    format: Format,
    output: Option<&Path>,
    inputs: &[Source<'_>],
    args: &ScoreArgs,
    lang: kmgov::export::Lang,
) -> Result<(), kmgov::Error> {
    let exporter = format.exporter_with(Options {
        lang,
        ..options_of(args, format, output)
    });
    exporter.check(report)?;
    export::write_output_with(output, inputs, |out| exporter.write(report, out))?;
    Ok(())
}

/// The look `args` ask for in `format` (in the default language).
fn options_of(args: &ScoreArgs, format: Format, output: Option<&Path>) -> Options {
    Options {
        lang: kmgov::export::Lang::default(),
        raw: args.raw,
        total_row: args.total_row,
        ascii: args.ascii || args.style == Style::Ascii,
        width: (format == Format::Table && output.is_none())
            .then(terminal_width)
            .flatten(),
    }
}

/// The `kmgov check` command that reads the data as this `score` did: the
/// same file, and the --config, --encoding and --delimiter given.
fn check_command(data: &str, args: &ScoreArgs) -> String {
    // A file named `-x.csv` would be read as a flag: `./-x.csv` is the file.
    let data = if data.starts_with('-') && data != "-" {
        format!("./{data}")
    } else {
        data.to_string()
    };
    let mut command = format!("kmgov check {}", shell_word(&data));
    if let Some(config) = &args.config {
        command.push_str(" --config ");
        command.push_str(&shell_word(&config.display().to_string()));
    }
    if let Some(encoding) = args
        .encoding
        .name()
        .filter(|_| args.encoding != Encoding::Auto)
    {
        command.push_str(" --encoding ");
        command.push_str(encoding);
    }
    if let Some(delimiter) = args.delimiter.and_then(Choice::name) {
        command.push_str(" --delimiter ");
        command.push_str(&shell_word(delimiter));
    }
    command
}

/// One line for the warnings `check` would give, instead of the warnings;
/// `check` is the command that lists them.
fn summarise_warnings(
    definition: &kmgov::Definition,
    panel: &kmgov::Panel,
    check: &str,
    by_area: bool,
) {
    // A scale slip would give wrong numbers: said in full, not only counted.
    let slips = kmgov::check::scale_warnings(definition, panel);
    if !slips.is_empty() {
        super::print_problems(&slips, Some(5));
    }
    // Area totals count a moved unit where each period puts it: said in
    // full when they are asked for.
    let moved = if by_area {
        kmgov::report::areas::moved_units(&panel.keys, 20)
    } else {
        Vec::new()
    };
    if !moved.is_empty() {
        super::print_problems(&moved, Some(5));
    }
    match kmgov::check::summary_warnings(definition, panel) {
        Some(warnings) if warnings.len() > moved.len() => super::note(&format!(
            "{} more warning(s) about the data or definition: run `{check}` to list them",
            warnings.len() - moved.len()
        )),
        Some(_) => {}
        None => super::note(&format!(
            "more than {} rows: data warnings are not counted here; run `{check}` for them",
            kmgov::check::SUMMARY_ROWS
        )),
    }
}

/// The note that changes compare relative positions, when they do and the
/// report shows a change.
pub(super) fn explain_changes(definition: &kmgov::Definition, report: &Report) {
    let shows_change = report
        .periods
        .iter()
        .any(|p| p.total_change.is_some() || p.units.iter().any(|u| u.change.is_some()));
    explain_relative_changes(definition, report.changes, shows_change);
}

/// The note that changes compare relative positions, when they do and a
/// change is shown.
fn explain_relative_changes(definition: &kmgov::Definition, changes: Changes, shows_change: bool) {
    if changes == Changes::Relative
        && shows_change
        && let Some(warning) = kmgov::check::relative_changes(definition)
    {
        let hint = warning.hint.unwrap_or_default();
        super::note(&format!("{}\n  hint: {hint}", warning.message));
    }
}

/// A path as it can be pasted into a shell.
fn shell_word(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:@%+=,".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// `--format`, else what the output file's extension asks for, else the
/// table; warns when a file's extension names no format.
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
    let device = std::fs::metadata(path).is_ok_and(|m| !m.is_file());
    if !device {
        super::print_problems(
            &[Problem::warning(
                path.display().to_string(),
                "the file extension names no output format, so the table is written",
            )
            .with_hint("give --format csv, json, markdown, xlsx or table, or name the file .csv, .json, .md, .xlsx or .txt")],
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

/// A workbook is bytes no terminal can show: refused there, before any work.
fn refuse_binary_to_terminal(
    format: Format,
    output: Option<&Path>,
    stdout_is_terminal: bool,
) -> Result<(), kmgov::Error> {
    if format == Format::Xlsx && output.is_none() && stdout_is_terminal {
        return Err(kmgov::Error::Request {
            message: "--format xlsx writes a workbook, which a terminal cannot show".into(),
            hint: "write it to a file: add -o scores.xlsx".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_is_refused_only_on_a_terminal() {
        let error = refuse_binary_to_terminal(Format::Xlsx, None, true).unwrap_err();
        assert!(error.is_usage());
        assert!(error.problems()[0].hint.as_deref().unwrap().contains("-o "));
        assert!(refuse_binary_to_terminal(Format::Xlsx, None, false).is_ok());
        let file = Path::new("s.xlsx");
        assert!(refuse_binary_to_terminal(Format::Xlsx, Some(file), true).is_ok());
        assert!(refuse_binary_to_terminal(Format::Csv, None, true).is_ok());
    }
}
