//! Which definition is in force: the file the user named, `./kmgov.toml`
//! picked up from the current folder, or the built-in Kunming index — and a
//! note saying so whenever the user did not name it.

use std::path::{Path, PathBuf};

use super::Definition;
use super::error::DefinitionError;
use super::text::TextEncoding;
use crate::error::Error;

/// The file name looked for in the current folder when no definition is named.
pub const LOCAL_DEFINITION: &str = "kmgov.toml";

/// Where the definition in force came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefinitionSource {
    /// The file the user named (`--config`).
    Named(PathBuf),
    /// `./kmgov.toml`, picked up from the current folder.
    Local(PathBuf),
    /// The built-in Kunming Social Governance Index.
    BuiltIn,
}

impl DefinitionSource {
    /// The file read, if any, so that output never overwrites it.
    pub fn path(&self) -> Option<&Path> {
        match self {
            DefinitionSource::Named(path) | DefinitionSource::Local(path) => Some(path),
            DefinitionSource::BuiltIn => None,
        }
    }

    /// A one-line note when the user did not name the definition.
    pub fn note(&self) -> Option<String> {
        match self {
            DefinitionSource::Named(_) => None,
            DefinitionSource::Local(path) => Some(format!(
                "using ./{} (found in the current folder); pass --config to choose another",
                path.display()
            )),
            DefinitionSource::BuiltIn => Some(
                "using the built-in Kunming definition; pass --config FILE for your own".into(),
            ),
        }
    }
}

/// A definition with where it came from and how its text was read.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated definition.
    pub definition: Definition,
    /// Where it came from.
    pub source: DefinitionSource,
    /// The encoding its text was read in (UTF-8 for the built-in one).
    pub encoding: TextEncoding,
}

impl Loaded {
    /// What kmgov assumed without being told, one line each: which definition
    /// it used, and that the file was read as GB18030.
    pub fn notes(&self) -> Vec<String> {
        let mut notes: Vec<String> = self.source.note().into_iter().collect();
        if self.encoding == TextEncoding::Gb18030 {
            notes.push(format!(
                "{} is not UTF-8; it was read as GB18030 (GBK), the encoding Chinese-language \
                 Windows saves in; save it as UTF-8 to be sure",
                self.definition.origin
            ));
        }
        notes
    }
}

/// The definition to use: `config` when given, else `./kmgov.toml` when there
/// is anything of that name in the current folder, else the built-in one.
///
/// A `./kmgov.toml` that cannot be read (a folder, no permission, a broken
/// link) is an error, never a silent fall-back to the built-in definition.
pub fn lookup(config: Option<&Path>) -> Result<Loaded, Error> {
    let local = Path::new(LOCAL_DEFINITION);
    let source = match config {
        Some(path) => DefinitionSource::Named(path.to_path_buf()),
        // symlink_metadata: a dangling link is something the user put there.
        None if local.symlink_metadata().is_ok() => DefinitionSource::Local(local.to_path_buf()),
        None => DefinitionSource::BuiltIn,
    };
    let (definition, encoding) = match &source {
        DefinitionSource::Named(path) => Definition::read(path)?,
        DefinitionSource::Local(path) => Definition::read(path).map_err(found_locally)?,
        DefinitionSource::BuiltIn => (Definition::builtin(), TextEncoding::Utf8),
    };
    Ok(Loaded {
        definition,
        source,
        encoding,
    })
}

/// Gives a read failure of `./kmgov.toml` the hint that fits: the user never
/// named the file, so "check --config" would not.
fn found_locally(error: Error) -> Error {
    match error {
        Error::Definition(errors) => Error::Definition(
            errors
                .into_iter()
                .map(|error| match error {
                    DefinitionError::Io { .. } | DefinitionError::Folder { .. } => {
                        DefinitionError::FoundLocally(Box::new(error))
                    }
                    other => other,
                })
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_definitions_not_named_get_a_note() {
        assert_eq!(DefinitionSource::Named("a.toml".into()).note(), None);
        assert_eq!(
            DefinitionSource::Local("kmgov.toml".into()).note().unwrap(),
            "using ./kmgov.toml (found in the current folder); pass --config to choose another"
        );
        assert!(
            DefinitionSource::BuiltIn
                .note()
                .unwrap()
                .contains("built-in Kunming definition")
        );
    }

    #[test]
    fn unreadable_local_file_hints_at_the_current_folder_not_config() {
        let error = found_locally(Error::from(DefinitionError::Folder {
            path: "kmgov.toml".into(),
        }));
        let hint = error.problems()[0].hint.clone().unwrap();
        assert!(hint.contains("current folder"), "{hint}");
        assert!(hint.contains("rename the folder"), "{hint}");

        let error = found_locally(Error::from(DefinitionError::Io {
            path: "kmgov.toml".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        }));
        let hint = error.problems()[0].hint.clone().unwrap();
        assert!(
            hint.contains("picked up kmgov.toml from the current folder"),
            "{hint}"
        );
        assert!(hint.contains("permissions"), "{hint}");
    }
}
