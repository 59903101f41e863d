//! The `kmgov` command: parse the arguments, run one subcommand, print any
//! error with its hint, and exit with the code `cli/exit.rs` decides.

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::exit::{self, Exit};

fn main() -> ExitCode {
    cli::streams::remove_unfinished_output_on_signals();
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(error) => {
            // On stdout for --help and --version, on stderr otherwise; a
            // closed stream has nowhere to report to.
            let _ = error.print();
            return exit::for_arguments(&error).into();
        }
    };
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => report(&error).into(),
    }
}

/// Prints an error chain to stderr once; returns the exit it deserves.
fn report(error: &anyhow::Error) -> Exit {
    let exit = exit::for_error(error);
    if exit == Exit::Success {
        return exit;
    }
    if let Some(failure) = error.downcast_ref::<cli::InitError>() {
        cli::print_problems(&[failure.problem()], None);
        return Exit::BadInput;
    }
    match error.downcast_ref::<kmgov::Error>() {
        Some(failure) => cli::print_problems(&failure.problems(), None),
        None => cli::streams::say(&format!("error: {error:#}")),
    }
    exit
}
