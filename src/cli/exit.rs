//! The exit codes, decided in one place: 0 when the run went through (or the
//! reader of standard output left early), 1 for bad data or configuration,
//! 2 for bad usage, as clap already exits for a command line it cannot read.

use std::io;
use std::process::ExitCode;

/// How a run ended, as the shell sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, or `check` found no errors.
    Success = 0,
    /// 1: a file has a problem to fix (data, definition, output).
    BadInput = 1,
    /// 2: the command line asks for something that cannot be done.
    BadUsage = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// The exit for a command line clap could not read, or for `--help` and
/// `--version`, which clap answers itself.
pub fn for_arguments(error: &clap::Error) -> Exit {
    if error.use_stderr() {
        Exit::BadUsage
    } else {
        Exit::Success
    }
}

/// The exit for a failed run.
pub fn for_error(error: &anyhow::Error) -> Exit {
    if is_broken_pipe(error.as_ref()) {
        // `kmgov score | head -1`: the reader left, which is not a failure.
        return Exit::Success;
    }
    match error.downcast_ref::<kmgov::Error>() {
        Some(failure) if failure.is_usage() => Exit::BadUsage,
        _ => Exit::BadInput,
    }
}

/// The exit for `check`'s verdict.
pub fn for_check(has_errors: bool) -> Exit {
    if has_errors {
        Exit::BadInput
    } else {
        Exit::Success
    }
}

/// True when an error, or any error behind it, is a closed pipe: found by
/// walking the chain of sources down to the `io::Error`, as ripgrep does.
pub fn is_broken_pipe(error: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(error), |cause| cause.source()).any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use anyhow::Context;
    use kmgov::error::ExportError;

    use super::*;

    fn export(kind: io::ErrorKind) -> anyhow::Error {
        kmgov::Error::from(ExportError::Io {
            path: "<stdout>".into(),
            source: io::Error::from(kind),
        })
        .into()
    }

    #[test]
    fn a_closed_pipe_is_found_down_the_chain() {
        assert_eq!(for_error(&export(io::ErrorKind::BrokenPipe)), Exit::Success);
        let wrapped = Err::<(), _>(export(io::ErrorKind::BrokenPipe))
            .context("writing the report")
            .unwrap_err();
        assert_eq!(for_error(&wrapped), Exit::Success);
        let bare = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(for_error(&bare), Exit::Success);
    }

    #[test]
    fn other_failures_are_bad_input_or_bad_usage() {
        assert_eq!(
            for_error(&export(io::ErrorKind::StorageFull)),
            Exit::BadInput
        );
        let usage = kmgov::Error::Request {
            message: "no data file given".into(),
            hint: "give one".into(),
        };
        assert_eq!(for_error(&usage.into()), Exit::BadUsage);
        assert_eq!(for_error(&anyhow::anyhow!("other")), Exit::BadInput);
    }

    #[test]
    fn the_codes_are_those_documented() {
        assert_eq!(Exit::Success as u8, 0);
        assert_eq!(Exit::BadInput as u8, 1);
        assert_eq!(Exit::BadUsage as u8, 2);
        assert_eq!(for_check(true), Exit::BadInput);
        assert_eq!(for_check(false), Exit::Success);
    }
}
