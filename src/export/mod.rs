//! Report → bytes, one file per format, and the one place output is written.
//!
//! Exporters only render. [`write_output`] sends the bytes to standard output
//! or to a file, and a file is written whole or not at all: to a temporary
//! file beside it, then renamed over it.

mod csv;
mod json;
mod layout;
mod markdown;
mod table;
pub mod text;
mod unfinished;

use std::fs::{self, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::ExportError;
use crate::report::Report;

pub use self::csv::{CsvExporter, is_formula, push_field};
pub use self::json::JsonExporter;
pub use self::markdown::MarkdownExporter;
pub use self::table::TableExporter;
pub use self::unfinished::remove_unfinished_output;

/// Renders a finished report in one output format.
pub trait Exporter {
    /// Writes the report to `out`, as it renders, so that a large report
    /// need not be held whole in memory first.
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;

    /// Refuses a report this format cannot write without ambiguity; call it
    /// before writing, since [`write`](Exporter::write) only has an
    /// `io::Error` to say so.
    fn check(&self, _report: &Report) -> Result<(), ExportError> {
        Ok(())
    }

    /// The report as bytes, ready to write.
    fn render(&self, report: &Report) -> Vec<u8> {
        let mut bytes = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.write(report, &mut bytes);
        bytes
    }
}

/// The output formats of `kmgov score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A terminal table, rounded to `decimals`.
    #[default]
    Table,
    /// CSV at full precision.
    Csv,
    /// JSON at full precision.
    Json,
    /// A Markdown table, rounded to `decimals`.
    Markdown,
}

/// Choices that change how a format looks, never the numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// CSV: write text cells exactly as read, without neutralising cells
    /// that a spreadsheet would run as a formula.
    pub raw: bool,
    /// Table: plain ASCII borders and symbols instead of Unicode ones.
    pub ascii: bool,
    /// CSV: add each period's total as a row after its units.
    pub total_row: bool,
    /// Table: fit this many terminal columns, wrapping cells when needed;
    /// `None` lays the table out at its natural width.
    pub width: Option<u16>,
}

impl Format {
    /// The exporter for this format, with default options.
    pub fn exporter(self) -> Box<dyn Exporter> {
        self.exporter_with(Options::default())
    }

    /// The exporter for this format, with `options`.
    pub fn exporter_with(self, options: Options) -> Box<dyn Exporter> {
        match self {
            Format::Table => Box::new(TableExporter { options }),
            Format::Csv => Box::new(CsvExporter {
                raw: options.raw,
                total_row: options.total_row,
            }),
            Format::Json => Box::new(JsonExporter),
            Format::Markdown => Box::new(MarkdownExporter),
        }
    }

    /// The format a file name asks for by its extension (`.csv`, `.json`,
    /// `.md` or `.markdown`, `.txt` for the table), in any letter case.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }
}

/// A file the output must never replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    /// A file named on the command line.
    Path(&'a Path),
    /// Standard input, when it is a regular file (`kmgov score - < data.csv`).
    Stdin,
}

/// What the table and Markdown show for a value that is absent or cannot be
/// shown as a number (not finite); a cell where no value belongs is blank.
pub const NO_VALUE: &str = "–";

/// `x` rounded to `decimals`, half away from zero (四舍五入, as Excel rounds),
/// never `-0.00`.
///
/// Rounds the shortest decimal text that reads back as `x`, not the binary
/// value: 65.625 shows as 65.63 and 2.675 as 2.68, as a person reading the
/// full-precision CSV would round them by hand.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        // Never `inf` or `NaN`: the table and Markdown mark for "no value".
        return NO_VALUE.to_string();
    }
    let text = format!("{}", x.abs());
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut digits: Vec<u8> = integer
        .bytes()
        .chain(
            fraction
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(decimals),
        )
        .collect();
    if fraction
        .as_bytes()
        .get(decimals)
        .is_some_and(|&d| d >= b'5')
    {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - decimals;
    let mut out = String::with_capacity(digits.len() + 2);
    if x < 0.0 && digits.iter().any(|&d| d != b'0') {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&digits[..split]).unwrap_or("0"));
    if decimals > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(&digits[split..]).unwrap_or("0"));
    }
    out
}

/// `x` rounded with an explicit sign: `+0.70`, `-1.25`, `0.00`.
pub fn signed(x: f64, decimals: usize) -> String {
    let text = fixed(x, decimals);
    if !x.is_finite() || text.starts_with('-') || text.bytes().all(|b| b == b'0' || b == b'.') {
        text
    } else {
        format!("+{text}")
    }
}

/// A rank change as an arrow: `↑2`, `↓1`, `=` for no change (`–` is kept
/// for a change that cannot be had, such as in the first period).
pub fn arrow(change: i64) -> String {
    match change {
        0 => "=".to_string(),
        up if up > 0 => format!("↑{up}"),
        down => format!("↓{}", down.unsigned_abs()),
    }
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
    fn fixed_never_prints_negative_zero() {
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-0.0, 2), "0.00");
    }

    #[test]
    fn fixed_rounds_half_away_from_zero_like_excel() {
        assert_eq!(fixed(65.625, 2), "65.63");
        assert_eq!(fixed(2.675, 2), "2.68");
        assert_eq!(fixed(80.76f64.next_up(), 2), "80.76");
        assert_eq!(fixed(-1.5, 0), "-2");
        assert_eq!(fixed(99.995, 2), "100.00");
        assert_eq!(fixed(9.5, 0), "10");
        assert_eq!(fixed(7.0, 3), "7.000");
        assert_eq!(fixed(0.1 + 0.2, 2), "0.30");
        assert_eq!(fixed(1e21, 1), "1000000000000000000000.0");
    }

    #[test]
    fn signed_shows_the_direction() {
        assert_eq!(signed(0.7, 2), "+0.70");
        assert_eq!(signed(-1.254, 2), "-1.25");
        assert_eq!(signed(0.0001, 2), "0.00");
    }

    #[test]
    fn arrows_for_rank_changes() {
        assert_eq!(arrow(2), "↑2");
        assert_eq!(arrow(-1), "↓1");
        assert_eq!(arrow(0), "=");
        assert_ne!(arrow(0), NO_VALUE);
    }

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
