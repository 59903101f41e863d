//! Command-line types, one file per subcommand. Declared from `main.rs`, so
//! the library never depends on clap.

mod ahp;
mod audit;
mod check;
pub mod exit;
mod explain;
mod init;
mod report;
mod score;
mod sensitivity;
mod shell;
mod sql;
pub mod streams;
mod values;
mod weights;

pub use init::InitError;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kmgov::definition::Loaded;
use kmgov::export::text::terminal_safe;
use kmgov::{Problem, Severity};

/// Composite governance indices — the Kunming Social Governance Index and others like it.
#[derive(Debug, Parser)]
#[command(
    name = "kmgov",
    version,
    about,
    propagate_version = true,
    args_override_self = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print no notes (what was assumed) and no warning summary; errors still print
    #[arg(long, short, global = true)]
    quiet: bool,
}

/// Set once from `--quiet` before any subcommand runs.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// True under `--quiet`.
fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score units and print a ranked table with year-on-year change
    #[command(after_help = SCORE_EXAMPLES)]
    Score(score::ScoreArgs),
    /// Validate a definition and its data; list every problem
    #[command(after_help = CHECK_EXAMPLES)]
    Check(check::CheckArgs),
    /// Write kmgov.toml (the built-in definition, --from FILE, or --from-table TABLE) and a CSV
    /// template; or, with --table, the definition's indicator table
    #[command(after_help = INIT_EXAMPLES)]
    Init(init::InitArgs),
    /// One self-contained HTML report: method, charts, ranking and a profile of every unit
    #[command(after_help = REPORT_EXAMPLES)]
    Report(report::ReportArgs),
    /// Weights and consistency (λmax, CI, CR) of one AHP judgement matrix (CSV)
    #[command(after_help = AHP_EXAMPLES)]
    Ahp(ahp::AhpArgs),
    /// Print the completion script for a shell (bash, zsh, fish, powershell, elvish)
    #[command(
        after_help = "Examples:\n  kmgov completions bash > ~/.local/share/bash-completion/completions/kmgov\n  kmgov completions zsh > ~/.zfunc/_kmgov"
    )]
    Completions(shell::CompletionsArgs),
    /// Print the manual page (roff), for `man`
    #[command(after_help = "Example:\n  kmgov man > kmgov.1 && man ./kmgov.1")]
    Man,
    /// The weights the definition's method derives (entropy, AHP …), beside the manual ones;
    /// --format toml freezes them into the definition
    #[command(after_help = WEIGHTS_EXAMPLES)]
    Weights(weights::WeightsArgs),
    /// Why a unit (or, with --total, the overall figure) scores what it does:
    /// contributions, obstacle degrees, and the parts of its change
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(explain::ExplainArgs),
    /// The statistical audit: distributions and outliers, correlations, Cronbach's alpha,
    /// coupling coordination of the dimensions (耦合协调度)
    #[command(after_help = AUDIT_EXAMPLES)]
    Audit(audit::AuditArgs),
    /// How sure each rank is: ranks over Monte Carlo runs of the weights and
    /// methods, and which choice moves them most (sensitivity indices)
    #[command(after_help = SENSITIVITY_EXAMPLES)]
    Sensitivity(sensitivity::SensitivityArgs),
    /// One SQL query (DuckDB, Spark SQL, PostgreSQL) that computes what `score` computes
    Sql(sql::SqlArgs),
}

const SCORE_EXAMPLES: &str = "Examples:
  kmgov score samples/kunming.csv                       the latest year, ranked
  kmgov score data.csv --config my.toml --all-periods -o scores.csv
  kmgov score data.csv --format json --detail indicators --lang zh";

const REPORT_EXAMPLES: &str = "Examples:
  kmgov report samples/kunming.csv -o report.html
  kmgov report data.csv --config my.toml --lang zh --period 2018 -o report-2018.html
  kmgov report data.csv -o - | gzip > report.html.gz";

const CHECK_EXAMPLES: &str = "Examples:
  kmgov check samples/kunming.csv
  kmgov check data.csv --config my.toml --format json";

const INIT_EXAMPLES: &str = "Examples:
  kmgov init my-index                     the built-in definition and a data template
  kmgov init --from-table 指标体系.xlsx my-index
  kmgov init --table - --from my.toml      the indicator table, to review in Excel";

const WEIGHTS_EXAMPLES: &str = "Examples:
  kmgov weights samples/kunming.csv --method entropy
  kmgov weights samples/kunming.csv --method entropy --format toml -o kunming-entropy.toml
  kmgov weights --config my.toml --format csv          AHP or equal weights need no data";

const EXPLAIN_EXAMPLES: &str = "Examples:
  kmgov explain 五华区 samples/kunming.csv              its contributions, obstacles and change
  kmgov explain --total samples/kunming.csv --previous 2017
  kmgov explain 五华区 samples/kunming.csv --format json";

const AUDIT_EXAMPLES: &str = "Examples:
  kmgov audit samples/kunming.csv
  kmgov audit samples/kunming.csv --treat winsorise --format json";

const SENSITIVITY_EXAMPLES: &str = "Examples:
  kmgov sensitivity samples/kunming.csv --runs 1000
  kmgov sensitivity samples/kunming.csv --vary normalize,aggregate --format json
  kmgov score samples/kunming.csv --uncertainty 1000        ranks with their 5–95 % interval";

const AHP_EXAMPLES: &str = "Examples:
  kmgov ahp samples/ahp-dimensions.csv
  kmgov ahp judgements.csv --method root --ri chinese --format json";

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    match cli.command {
        Command::Score(args) => score::run(args),
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::Report(args) => report::run(args),
        Command::Ahp(args) => ahp::run(args),
        Command::Completions(args) => shell::completions(args),
        Command::Man => shell::man(),
        Command::Weights(args) => weights::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Sensitivity(args) => sensitivity::run(args),
        Command::Sql(args) => sql::run(args),
    }
}

/// The definition to use: `--config`, else `./kmgov.toml`, else the built-in
/// one, with where it came from (so that output never overwrites it) and the
/// notes on what was assumed; [`print_notes`] shows them.
fn load_definition(config: Option<&Path>) -> Result<Loaded, kmgov::Error> {
    kmgov::definition::lookup(config)
}

/// Reads the data as every command does — a workbook's sheets, else CSV —
/// and prints what was assumed (which sheet) and the reader's warnings.
fn read_data(
    input: &kmgov::data::Input,
    definition: &kmgov::Definition,
    encoding: kmgov::data::Encoding,
    delimiter: Option<values::Delimiter>,
    sheets: &values::Sheets,
) -> Result<kmgov::Panel, kmgov::Error> {
    let options = kmgov::data::ReadOptions {
        encoding,
        delimiter: delimiter.map(|values::Delimiter(byte)| byte),
        ..kmgov::data::ReadOptions::default()
    };
    let (panel, notes) =
        kmgov::system::sheets::read_data(input, definition, options, &sheets.options())?;
    for text in notes {
        note(&text);
    }
    if !panel.warnings.is_empty() {
        // A count line only when some are left out: one encoding note
        // needs no "0 errors, 1 warning" under it.
        let limit = (panel.warnings.len() > 20).then_some(20);
        print_problems(&panel.warnings, limit);
    }
    Ok(panel)
}

/// Prints what kmgov assumed about the definition (which one, which encoding).
fn print_notes(loaded: &Loaded) {
    for text in loaded.notes() {
        note(&text);
    }
}

/// Prints one `note:` line to stderr: something assumed, not a problem.
/// Silenced by `--quiet`.
pub fn note(text: &str) {
    if !quiet() {
        streams::say(&format!("note: {text}"));
    }
}

/// Prints problems to stderr as `error: where: what` with a hint line, then a
/// count when there is more than one; lists at most `limit`. Names in the
/// messages come from the files, so control characters are shown escaped.
pub fn print_problems(problems: &[Problem], limit: Option<usize>) {
    let mut stderr = io::stderr().lock();
    let shown = limit.unwrap_or(usize::MAX).min(problems.len());
    for problem in &problems[..shown] {
        let text = problem.to_string();
        let _ = writeln!(
            stderr,
            "{}: {}",
            problem.severity.as_str(),
            terminal_safe(&text)
        );
        if let Some(hint) = &problem.hint {
            let _ = writeln!(stderr, "  hint: {}", terminal_safe(hint));
        }
    }
    if shown < problems.len() {
        let _ = writeln!(stderr, "… and {} more not shown", problems.len() - shown);
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    if problems.len() > 1 || limit.is_some() {
        let _ = writeln!(stderr, "{}", summary(errors, warnings));
    }
}

/// Fails when standard output was closed at start, before anything is
/// written to it.
fn check_stdout() -> Result<(), kmgov::Error> {
    if streams::stdout_closed() {
        return Err(kmgov::error::ExportError::StdoutClosed.into());
    }
    Ok(())
}

/// `2 errors, 1 warning`.
fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
