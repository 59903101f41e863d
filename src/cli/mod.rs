//! Command-line types, one file per subcommand. Declared from `main.rs`, so
//! the library never depends on clap.

mod check;
mod init;
mod score;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kmgov::data::Encoding;
use kmgov::{Definition, Problem, Severity};

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
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score units and print a ranked table with year-on-year change
    Score(score::ScoreArgs),
    /// Validate a definition and its data; list every problem
    Check(check::CheckArgs),
    /// Write kmgov.toml (the built-in definition) and a CSV template
    Init(init::InitArgs),
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Score(args) => score::run(args),
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
    }
}

/// The definition to use: `--config`, else `./kmgov.toml`, else the built-in one.
/// Returns the file it came from, if any, so that output never overwrites it.
fn load_definition(config: Option<&Path>) -> Result<(Definition, Option<PathBuf>), kmgov::Error> {
    let local = Path::new("kmgov.toml");
    let path = match config {
        Some(path) => Some(path.to_path_buf()),
        None if local.is_file() => Some(local.to_path_buf()),
        None => None,
    };
    match path {
        Some(path) => Ok((Definition::load(&path)?, Some(path))),
        None => Ok((Definition::builtin(), None)),
    }
}

/// Parses `--encoding`.
fn parse_encoding(text: &str) -> Result<Encoding, String> {
    Encoding::parse(text).ok_or_else(|| {
        format!("unknown encoding `{text}`: use auto, utf-8, gb18030, utf-16le or utf-16be")
    })
}

/// Parses `--delimiter`.
fn parse_delimiter(text: &str) -> Result<u8, String> {
    kmgov::data::parse_delimiter(text)
        .ok_or_else(|| format!("unknown delimiter `{text}`: use `,` `;` `tab` or `|`"))
}

/// True when the error is a closed pipe on standard output.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause.downcast_ref::<io::Error>().map(io::Error::kind);
        let export = match cause.downcast_ref::<kmgov::Error>() {
            Some(kmgov::Error::Export(kmgov::error::ExportError::Io { source, .. })) => {
                Some(source.kind())
            }
            _ => None,
        };
        io.or(export) == Some(io::ErrorKind::BrokenPipe)
    })
}

/// Prints problems to stderr as `error: where: what` with a hint line, then a
/// count when there is more than one; lists at most `limit`.
pub fn print_problems(problems: &[Problem], limit: Option<usize>) {
    let mut stderr = io::stderr().lock();
    let shown = limit.unwrap_or(usize::MAX).min(problems.len());
    for problem in &problems[..shown] {
        let _ = writeln!(stderr, "{}: {problem}", problem.severity.as_str());
        if let Some(hint) = &problem.hint {
            let _ = writeln!(stderr, "  hint: {hint}");
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

/// `2 errors, 1 warning`.
fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}
