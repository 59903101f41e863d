//! Command-line types, one file per subcommand. Declared from `main.rs`, so
//! the library never depends on clap.

mod ahp;
mod check;
pub mod exit;
mod init;
mod score;
mod sql;
pub mod streams;
mod values;

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
    Score(score::ScoreArgs),
    /// Validate a definition and its data; list every problem
    Check(check::CheckArgs),
    /// Write kmgov.toml (the built-in definition, --from FILE, or --from-table TABLE) and a CSV
    /// template; or, with --table, the definition's indicator table
    Init(init::InitArgs),
    /// Weights and consistency (λmax, CI, CR) of one AHP judgement matrix (CSV)
    Ahp(ahp::AhpArgs),
    /// One SQL query (DuckDB, Spark SQL, PostgreSQL) that computes what `score` computes
    Sql(sql::SqlArgs),
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    match cli.command {
        Command::Score(args) => score::run(args),
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::Ahp(args) => ahp::run(args),
        Command::Sql(args) => sql::run(args),
    }
}

/// The definition to use: `--config`, else `./kmgov.toml`, else the built-in
/// one, with where it came from (so that output never overwrites it) and the
/// notes on what was assumed; [`print_notes`] shows them.
fn load_definition(config: Option<&Path>) -> Result<Loaded, kmgov::Error> {
    kmgov::definition::lookup(config)
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
