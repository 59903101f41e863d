//! Report → bytes, one file per format, and the one place output is written.
//!
//! Exporters only render (the [`Exporter`] trait; numbers are rounded in
//! `format.rs`). [`write_output`] (in `write.rs`) sends the bytes to standard
//! output or to a file, and a file is written whole or not at all: to a
//! temporary file beside it, then renamed over it.

mod csv;
pub mod error;
mod format;
mod json;
mod layout;
mod markdown;
mod table;
pub mod text;
mod unfinished;
pub mod words;
mod write;
mod xlsx;

use std::io::{self, Write};
use std::path::Path;

use crate::report::{PeriodReport, Report};

pub use self::csv::{CsvExporter, is_formula, push_field};
pub use self::error::ExportError;
pub use self::format::{NO_VALUE, arrow, fixed, signed};
pub use self::json::JsonExporter;
pub use self::markdown::MarkdownExporter;
pub use self::markdown::escape as markdown_escape;
pub use self::table::TableExporter;
pub use self::unfinished::remove_unfinished_output;
pub use self::words::{Lang, Words};
pub use self::write::{Source, write_output, write_output_with};
pub use self::xlsx::XlsxExporter;

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

    /// True when [`write_periods`](Exporter::write_periods) holds one period
    /// at a time; false when it gathers them into the whole report first.
    fn streams(&self) -> bool {
        false
    }

    /// Writes `report` (whose own periods are ignored) with its periods
    /// taken from `periods` in order: the bytes [`write`](Exporter::write)
    /// gives for the report holding those periods. A format that
    /// [`streams`](Exporter::streams) writes each period as it comes and
    /// drops it; the others gather them and call `write`.
    fn write_periods(
        &self,
        report: &Report,
        periods: &mut dyn Iterator<Item = PeriodReport>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let whole = Report {
            periods: periods.collect(),
            ..report.clone()
        };
        self.write(&whole, out)
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
    /// An Excel workbook: numbers at full precision, shown to `decimals`.
    Xlsx,
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
    /// Table, Markdown and xlsx: the language of headings and labels.
    pub lang: Lang,
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
            Format::Markdown => Box::new(MarkdownExporter { lang: options.lang }),
            Format::Xlsx => Box::new(XlsxExporter { lang: options.lang }),
        }
    }

    /// The format a file name asks for by its extension (`.csv`, `.json`,
    /// `.md` or `.markdown`, `.txt` for the table, `.xlsx`), in any letter case.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Table),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}
