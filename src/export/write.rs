//! The one place output is written: standard output, or a file written
//! whole or not at all (to a temporary file beside it, then renamed over it),
//! never over an input.

use std::fs::{self, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::error::ExportError;
use super::unfinished;

/// A file the output must never replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// A file named on the command line.
    Path(&'a Path),
    /// Standard input, when it is a regular file (`kmgov score - < data.csv`).
    Stdin,
}

/// Writes `bytes` to standard output, or whole to `output`; see
/// [`write_output_with`].
pub fn write_output(
    bytes: &[u8],
    output: Option<&Path>,
    inputs: &[&Path],
) -> Result<(), ExportError> {
    let sources: Vec<Source<'_>> = inputs.iter().map(|path| Source::Path(path)).collect();
    write_output_with(output, &sources, |out| out.write_all(bytes))
}

/// Runs `write` on standard output, or on `output` whole.
///
/// Refuses an `output` that is one of `inputs` (also through a symlink,
/// another path to the same file, or standard input redirected from it). A
/// regular file is written to a temporary file in the same folder and renamed
/// into place, so a failed or interrupted write leaves the old file, or none,
/// but never half a file. The new file keeps the mode of the file it replaces;
/// a new file gets the usual mode for new files (0666 less the umask). A
/// device or pipe such as `/dev/stdout` is written directly, since it cannot
/// be renamed over.
pub fn write_output_with(
    output: Option<&Path>,
    inputs: &[Source<'_>],
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), ExportError> {
    let Some(output) = output else {
        let stdout = io::stdout().lock();
        return write_buffered(stdout, write).map_err(|source| ExportError::Io {
            path: "<stdout>".into(),
            source,
        });
    };
    let shown = output.display().to_string();
    let io_error = |source| ExportError::Io {
        path: shown.clone(),
        source,
    };
    for input in inputs {
        let same = match input {
            Source::Path(path) => same_file(output, path),
            Source::Stdin => is_stdin(output),
        };
        if same {
            let input = match input {
                Source::Path(path) => path.display().to_string(),
                Source::Stdin => "given on standard input".to_string(),
            };
            return Err(ExportError::WouldOverwriteInput {
                output: shown,
                input,
            });
        }
    }
    // Follow a symlink so the rename replaces its target, not the link.
    let target: PathBuf = fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf());
    let existing = fs::metadata(&target).ok();
    if let Some(metadata) = &existing
        && !metadata.is_file()
    {
        if metadata.is_dir() {
            return Err(io_error(io::Error::other("it is a folder")));
        }
        let device = OpenOptions::new()
            .write(true)
            .open(&target)
            .map_err(io_error)?;
        return write_buffered(device, write).map_err(io_error);
    }
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(io_error(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the folder {} does not exist", folder.display()),
        )));
    }
    let mut temporary = unfinished::create(&folder).map_err(io_error)?;
    if let Some(metadata) = &existing {
        // Replacing a file keeps its mode (a shared 0664 report stays shared).
        fs::set_permissions(temporary.path(), metadata.permissions()).map_err(io_error)?;
    }
    // Plain io::Errors: tempfile's own wrap them with the temporary file's name.
    let file = temporary.as_file_mut();
    write_buffered(&mut *file, write).map_err(io_error)?;
    file.sync_all().map_err(io_error)?;
    unfinished::persist(temporary, &target).map_err(io_error)
}

/// Runs `write` through a buffer on `out`, then flushes it.
fn write_buffered(
    out: impl Write,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut buffered = BufWriter::with_capacity(1 << 16, out);
    write(&mut buffered)?;
    buffered.flush()
}

/// True when both paths name one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (fs::metadata(a), fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// True when standard input is the file at `path` (`- < data.csv`).
fn is_stdin(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        // fstat of descriptor 0, through a duplicate so that closing it
        // leaves standard input open.
        let stdin = io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .and_then(|fd| fs::File::from(fd).metadata());
        if let (Ok(x), Ok(y)) = (stdin, fs::metadata(path)) {
            return x.is_file() && x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    let _ = path;
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_refuses_to_overwrite_an_input() {
        let folder = tempfile::tempdir().unwrap();
        let input = folder.path().join("data.csv");
        fs::write(&input, "keep").unwrap();
        let other_path = folder.path().join(".").join("data.csv");
        let error = write_output(b"new", Some(&other_path), &[&input]).unwrap_err();
        assert!(matches!(error, ExportError::WouldOverwriteInput { .. }));
        assert_eq!(fs::read_to_string(&input).unwrap(), "keep");
    }

    #[test]
    fn output_is_replaced_whole() {
        let folder = tempfile::tempdir().unwrap();
        let output = folder.path().join("out.csv");
        fs::write(&output, "old").unwrap();
        write_output(b"new", Some(&output), &[]).unwrap();
        assert_eq!(fs::read_to_string(&output).unwrap(), "new");
        let leftovers = fs::read_dir(folder.path()).unwrap().count();
        assert_eq!(leftovers, 1);
    }
}
