//! The table as cells: a CSV file decoded as the data reader decodes it, or
//! a sheet of a workbook, each filled cell with the place it is shown at.

use crate::data::number::Commas;
use crate::error::{Error, Location, Problem};

use super::error::TableError;

/// Where the table came from: a file, and the sheet of a workbook.
#[derive(Debug, Clone)]
pub(super) struct Source {
    /// The file as the user named it.
    pub file: String,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// What a comma in a number means.
    pub commas: Commas,
}

impl Source {
    /// The table as named in messages: `t.csv`, `t.xlsx[Sheet1]`.
    pub fn shown(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("{}[{sheet}]", self.file),
            None => self.file.clone(),
        }
    }

    /// A cell: `t.csv:7:3` (line, field), or `t.xlsx[Sheet1]!C7` as a
    /// spreadsheet names it. `column` counts from 0.
    pub fn cell(&self, row: u64, column: usize) -> Location {
        match &self.sheet {
            Some(_) => Location::file(format!("{}!{}{row}", self.shown(), letters(column))),
            None => Location::cell(&self.file, row, column + 1),
        }
    }

    /// A row: `t.csv:7`, `t.xlsx[Sheet1]!7:7`.
    pub fn row(&self, row: u64) -> Location {
        match &self.sheet {
            Some(_) => Location::file(format!("{}!{row}:{row}", self.shown())),
            None => Location::line(&self.file, row),
        }
    }

    /// The whole table.
    pub fn whole(&self) -> Location {
        Location::file(self.shown())
    }

    /// A row as named in a message: `row 7` (the line of a CSV file, the
    /// row of a sheet).
    pub fn row_name(&self, row: u64) -> String {
        match &self.sheet {
            Some(_) => format!("row {row}"),
            None => format!("line {row}"),
        }
    }
}

/// A column as a spreadsheet names it: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(super) fn letters(column: usize) -> String {
    let mut n = column + 1;
    let mut out = Vec::new();
    while n > 0 {
        let digit = (n - 1) % 26;
        out.push(b'A' + digit as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// One filled cell.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cell {
    /// Its column, from 0.
    pub column: usize,
    /// The text as shown (a number cell as its shortest exact decimal).
    pub text: String,
    /// The value of a number cell of a workbook, exact.
    pub number: Option<f64>,
    /// Why the cell cannot be used, if it holds something other than text
    /// or a number (a date, a spreadsheet error).
    pub unusable: Option<String>,
    /// A date cell: its day as `YYYY-MM-DD` (a period column may hold one).
    pub date: Option<String>,
}

impl Cell {
    /// A cell of text.
    pub fn text(column: usize, text: impl Into<String>) -> Cell {
        Cell {
            column,
            text: text.into(),
            number: None,
            unusable: None,
            date: None,
        }
    }
}

/// One row of the table with its filled cells, in column order.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    /// The line of a CSV file (where the record starts) or the row of a sheet, from 1.
    pub number: u64,
    /// The cells that are not blank.
    pub cells: Vec<Cell>,
}

impl Line {
    /// The cell in `column`, if it is filled.
    pub fn get(&self, column: usize) -> Option<&Cell> {
        self.cells
            .binary_search_by_key(&column, |cell| cell.column)
            .ok()
            .map(|i| &self.cells[i])
    }
}

/// The table's rows as read, with what was noticed on the way.
#[derive(Debug)]
pub(super) struct Grid {
    /// Where it came from.
    pub source: Source,
    /// The rows that have a filled cell.
    pub lines: Vec<Line>,
    /// Warnings from the reading (the encoding assumed, stray bytes).
    pub warnings: Vec<Problem>,
    /// What was assumed (which sheet was read).
    pub notes: Vec<String>,
}

/// Reads a CSV table from its bytes: the encoding detected and the
/// separator sniffed as for the data.
pub(super) fn read_csv(bytes: Vec<u8>, name: &str) -> Result<Grid, Error> {
    let (text, warnings) = crate::data::decode_text(bytes, name)?;
    let first = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    let separator = crate::data::sniff_separator(first.as_bytes(), name)?;
    let source = Source {
        file: name.to_string(),
        sheet: None,
        commas: Commas::for_delimiter(separator),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut lines = Vec::new();
    // The CSV reader's own line count skips blank lines: count the line
    // breaks before each record's first byte instead, from the last one.
    let (mut counted_to, mut line) = (0usize, 1u64);
    for record in reader.records() {
        let record = record.map_err(|error| csv_error(&source, &error))?;
        let mut start = record
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(text.len());
        // The position may be that of blank lines skipped before the record.
        while matches!(text.as_bytes().get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        if start > counted_to {
            line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..start]).count() as u64;
            counted_to = start;
        }
        let number = line;
        let cells: Vec<Cell> = record
            .iter()
            .enumerate()
            .filter(|(_, field)| !field.trim().is_empty())
            .map(|(column, field)| Cell::text(column, field))
            .collect();
        if !cells.is_empty() {
            lines.push(Line { number, cells });
        }
    }
    Ok(Grid {
        source,
        lines,
        warnings,
        notes: Vec::new(),
    })
}

/// A record the CSV reader could not read, at its line.
fn csv_error(source: &Source, error: &csv::Error) -> TableError {
    let line = error.position().map_or(1, |p| p.line());
    TableError::at(
        source.row(line),
        "",
        format!("cannot read the CSV: {error}"),
        "save the table again from the spreadsheet, as CSV",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_in_a_spreadsheet() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(2), "C");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
        assert_eq!(letters(16383), "XFD");
    }

    #[test]
    fn cells_are_located_as_each_kind_of_file_names_them() {
        let csv = Source {
            file: "t.csv".into(),
            sheet: None,
            commas: Commas::Thousands,
        };
        assert_eq!(csv.cell(7, 2).to_string(), "t.csv:7:3");
        assert_eq!(csv.row(7).to_string(), "t.csv:7");
        let sheet = Source {
            sheet: Some("Sheet1".into()),
            file: "指标体系.xlsx".into(),
            ..csv
        };
        assert_eq!(sheet.cell(7, 2).to_string(), "指标体系.xlsx[Sheet1]!C7");
        assert_eq!(sheet.row(7).to_string(), "指标体系.xlsx[Sheet1]!7:7");
        assert_eq!(sheet.whole().to_string(), "指标体系.xlsx[Sheet1]");
    }

    #[test]
    fn a_csv_table_keeps_the_line_of_each_record_and_its_filled_cells() {
        let text = "id,name,parent\n\na,\"A\nB\",\nx, X ,a\n";
        let grid = read_csv(text.as_bytes().to_vec(), "t.csv").unwrap();
        let numbers: Vec<u64> = grid.lines.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 3, 5]);
        assert_eq!(grid.lines[1].cells.len(), 2);
        assert_eq!(grid.lines[2].get(1).unwrap().text, " X ");
        assert!(grid.lines[1].get(2).is_none());
    }

    #[test]
    fn a_semicolon_table_is_sniffed_and_its_commas_are_ambiguous() {
        let grid = read_csv(b"id;parent\nx;a\n".to_vec(), "t.csv").unwrap();
        assert_eq!(grid.source.commas, Commas::Either);
        assert_eq!(grid.lines[1].get(1).unwrap().text, "a");
    }
}
