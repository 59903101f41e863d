//! `kmgov completions SHELL` and `kmgov man`: the shell completion script
//! and the manual page, both generated from the command-line definition so
//! they can never fall behind it.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;
use super::exit::Exit;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish
    #[arg(value_name = "SHELL")]
    shell: Shell,
}

/// Prints the completion script for the shell.
pub fn completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "kmgov", &mut script);
    super::check_stdout()?;
    io::stdout().lock().write_all(&script)?;
    Ok(Exit::Success.into())
}

/// Prints the manual page (roff) of kmgov and its subcommands.
pub fn man() -> anyhow::Result<ExitCode> {
    let command = Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        // Named `kmgov-score` and so on, as man pages of subcommands are;
        // clap keeps names as static text, and this runs once per process.
        let name: &'static str = format!("kmgov-{}", sub.get_name()).leak();
        let sub = sub.clone().name(name);
        page.extend_from_slice(b"\n");
        clap_mangen::Man::new(sub).render(&mut page)?;
    }
    super::check_stdout()?;
    io::stdout().lock().write_all(&page)?;
    Ok(Exit::Success.into())
}
