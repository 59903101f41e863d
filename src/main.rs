//! The `kmgov` command: parse the arguments, run one subcommand, print any
//! error with its hint, and choose the exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes: 0 success, 1 bad data or config, 2 bad usage.
const BAD_INPUT: u8 = 1;
const BAD_USAGE: u8 = 2;

fn main() -> ExitCode {
    cli::streams::remove_unfinished_output_on_signals();
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => report(&error),
    }
}

/// Prints an error chain to stderr once; returns the exit code it deserves.
fn report(error: &anyhow::Error) -> ExitCode {
    if cli::is_broken_pipe(error) {
        // `kmgov score | head -1`: the reader left, which is not a failure.
        return ExitCode::SUCCESS;
    }
    if let Some(failure) = error.downcast_ref::<cli::InitError>() {
        cli::print_problems(&[failure.problem()], None);
        return ExitCode::from(BAD_INPUT);
    }
    match error.downcast_ref::<kmgov::Error>() {
        Some(failure) => {
            let problems = failure.problems();
            cli::print_problems(&problems, None);
            if failure.is_usage() {
                ExitCode::from(BAD_USAGE)
            } else {
                ExitCode::from(BAD_INPUT)
            }
        }
        None => {
            cli::streams::say(&format!("error: {error:#}"));
            ExitCode::from(BAD_INPUT)
        }
    }
}
