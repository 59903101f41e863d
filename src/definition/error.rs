//! Problems in the index definition (the TOML file): reading it, its TOML,
//! and values that parse but make no sense. Each becomes a [`Problem`] that
//! names the line and says what to do.

use std::fmt;
use std::io;

use crate::error::{Location, Problem};

/// A problem in the index definition (the TOML file).
#[derive(Debug)]
pub enum DefinitionError {
    /// The file could not be read.
    Io {
        /// The file as the user named it.
        path: String,
        /// Why it could not be read.
        source: io::Error,
    },
    /// The path names a folder.
    Folder {
        /// The folder as the user named it.
        path: String,
    },
    /// The file is larger than the definition size limit.
    TooLarge {
        /// The file as the user named it.
        path: String,
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// `KMGOV_MAX_DEFINITION_BYTES` is not a positive whole number.
    BadLimit {
        /// The variable's value as set.
        value: String,
    },
    /// Bytes that are neither UTF-8 nor GB18030.
    Encoding {
        /// The first byte that is not UTF-8.
        at: Location,
    },
    /// A read failure of `./kmgov.toml`, which was picked up, not named.
    FoundLocally(Box<DefinitionError>),
    /// TOML syntax, a wrong type, an unknown key or an unknown value.
    Syntax {
        /// Where the TOML reader stopped.
        at: Location,
        /// What is wrong, in the words of the definition format.
        message: String,
        /// What to write instead.
        hint: String,
    },
    /// A value that parses but makes no sense, such as a negative weight.
    Invalid {
        /// Where the value is written.
        at: Location,
        /// The item it belongs to, such as ``dimension `a`, indicator `x` ``.
        item: String,
        /// What is wrong with it.
        message: String,
        /// What to do about it.
        hint: String,
    },
}

impl DefinitionError {
    /// The problem as shown to a person.
    pub fn problem(&self) -> Problem {
        match self {
            DefinitionError::Io { path, source } => Problem::error(
                path.clone(),
                format!("cannot read the definition: {source}"),
            )
            .with_hint("check the path of the definition (--config, or init --from)"),
            DefinitionError::Folder { path } => Problem::error(
                path.clone(),
                "this is a folder, not a definition file",
            )
            .with_hint("give the path of the .toml file itself"),
            DefinitionError::TooLarge { path, limit } => Problem::error(
                path.clone(),
                format!(
                    "the definition is larger than {limit} bytes, too large to be an index definition"
                ),
            )
            .with_hint(
                "check that this names the definition (a .toml file), not data or a device; \
                 to read a larger definition, set KMGOV_MAX_DEFINITION_BYTES to its size in bytes",
            ),
            DefinitionError::BadLimit { value } => Problem::error(
                "KMGOV_MAX_DEFINITION_BYTES",
                format!("`{value}` is not a size in bytes"),
            )
            .with_hint("set it to a positive whole number of bytes, such as 67108864, or unset it for the default 64 MiB"),
            DefinitionError::Encoding { at } => Problem::error(
                at.clone(),
                "the definition is neither UTF-8 nor GB18030 (GBK) text",
            )
            .with_hint("save the definition as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"),
            DefinitionError::FoundLocally(inner) => {
                let problem = inner.problem();
                let hint = match **inner {
                    DefinitionError::Folder { .. } => {
                        "kmgov looks for a definition file named kmgov.toml in the current folder \
                         and found a folder: rename the folder, or pass --config FILE"
                    }
                    DefinitionError::Io { ref source, .. }
                        if source.kind() == io::ErrorKind::NotFound =>
                    {
                        "kmgov picked up kmgov.toml from the current folder, a link to a file \
                         that does not exist: fix or remove the link, or pass --config FILE"
                    }
                    DefinitionError::Io { ref source, .. }
                        if source.kind() == io::ErrorKind::PermissionDenied =>
                    {
                        "kmgov picked up kmgov.toml from the current folder: fix its permissions, \
                         or pass --config FILE to use another definition"
                    }
                    _ => {
                        "kmgov picked up kmgov.toml from the current folder: fix or remove it, \
                         or pass --config FILE to use another definition"
                    }
                };
                problem.with_hint(hint)
            }
            DefinitionError::Syntax { at, message, hint } => {
                Problem::error(at.clone(), message).with_hint(hint)
            }
            DefinitionError::Invalid {
                at,
                item,
                message,
                hint,
            } => Problem::error(at.clone(), format!("{item}: {message}")).with_hint(hint),
        }
    }
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem())
    }
}

impl std::error::Error for DefinitionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DefinitionError::Io { source, .. } => Some(source),
            DefinitionError::FoundLocally(inner) => Some(inner.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn display_is_the_problem_and_the_io_error_is_the_source() {
        let error = DefinitionError::Io {
            path: "k.toml".into(),
            source: io::Error::new(io::ErrorKind::PermissionDenied, "denied"),
        };
        assert_eq!(
            error.to_string(),
            "k.toml: cannot read the definition: denied"
        );
        let source = error.source().expect("an io error has its source");
        assert_eq!(
            source.downcast_ref::<io::Error>().map(io::Error::kind),
            Some(io::ErrorKind::PermissionDenied)
        );
    }

    #[test]
    fn a_local_read_failure_chains_to_the_io_error() {
        let error = DefinitionError::FoundLocally(Box::new(DefinitionError::Io {
            path: "kmgov.toml".into(),
            source: io::Error::new(io::ErrorKind::NotFound, "gone"),
        }));
        let inner = error.source().expect("the wrapped error");
        let io = inner.source().and_then(|e| e.downcast_ref::<io::Error>());
        assert_eq!(io.map(io::Error::kind), Some(io::ErrorKind::NotFound));
        assert!(error.problem().hint.unwrap().contains("a link to a file"));
        let syntax = DefinitionError::Syntax {
            at: Location::line("k.toml", 3),
            message: "m".into(),
            hint: "h".into(),
        };
        assert!(syntax.source().is_none());
    }
}
