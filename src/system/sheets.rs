//! Data kept in a workbook (.xlsx, .xls, .ods), recognised by content: one
//! sheet — `--sheet NAME|NUMBER`, else the first whose header names the
//! definition's unit and period columns — or, with `--sheets-as-periods`,
//! every sheet as one period named after it. The cells become the CSV the
//! data reader reads, so a workbook is read exactly as the same table saved
//! as CSV: number cells as their exact value, text cells through the same
//! parser (percentages, `#N/A`, thousands separators), date cells as their
//! day; a spreadsheet error cell (`#DIV/0!`) stops with its place,
//! `data.xlsx[2019]!D7`.

use std::fs::File;
use std::io::{Cursor, Read};

use super::cells::{Grid, Line, letters};
use super::error::TableError;
use super::workbook::{self, Kind};
use crate::data::{self, Input, Panel, ReadOptions};
use crate::definition::Definition;
use crate::error::Error;

/// The most filled cells read from a data workbook (about a gigabyte held
/// while reading); larger data is read as CSV.
pub const MAX_DATA_CELLS: usize = 10_000_000;

/// The largest data workbook file read.
pub const MAX_WORKBOOK_BYTES: u64 = 512 * 1024 * 1024;

/// The most a data workbook may unpack to.
pub const MAX_DATA_UNZIPPED_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Which sheets hold the data.
#[derive(Debug, Clone, Default)]
pub struct SheetOptions {
    /// A sheet by name, or by number from 1.
    pub sheet: Option<String>,
    /// Every sheet is one period, named after the sheet.
    pub sheets_as_periods: bool,
}

/// Reads the data: a workbook through its sheets, anything else as CSV.
/// Returns the panel and notes on what was assumed (which sheet).
pub fn read_data(
    input: &Input,
    definition: &Definition,
    options: ReadOptions,
    sheets: &SheetOptions,
) -> Result<(Panel, Vec<String>), Error> {
    let Some((bytes, kind)) = workbook_bytes(input)? else {
        if sheets.sheet.is_some() || sheets.sheets_as_periods {
            return Err(Error::Request {
                message: format!("{} is not a workbook, so it has no sheets", input.name()),
                hint: "--sheet and --sheets-as-periods are for .xlsx, .xls and .ods files".into(),
            });
        }
        return Ok((data::read(input, definition, options)?, Vec::new()));
    };
    let name = input.name();
    let (csv, source, notes) = to_csv(&bytes, kind, &name, definition, sheets)?;
    drop(bytes);
    let options = ReadOptions {
        encoding: crate::data::Encoding::Utf8,
        delimiter: Some(b','),
        ..options
    };
    let panel = data::read_from(Box::new(Cursor::new(csv)), &source, definition, options)?;
    Ok((panel, notes))
}

/// The whole file and its kind, when it is a workbook; `None` for anything
/// else, left unread past its first bytes.
fn workbook_bytes(input: &Input) -> Result<Option<(Vec<u8>, Kind)>, Error> {
    let Some(path) = input.path() else {
        return Ok(None);
    };
    let name = input.name();
    let io = |source: std::io::Error| TableError::Io {
        path: name.clone(),
        source,
    };
    // Only a regular file is sniffed: the bytes read from a pipe or a FIFO
    // would be gone when the data reader opens it again.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Ok(None);
    }
    let Ok(mut file) = File::open(path) else {
        // The data reader says why, in its words.
        return Ok(None);
    };
    let mut head = [0u8; 8];
    let read = file.read(&mut head).unwrap_or(0);
    let magic = head[..read].starts_with(b"PK\x03\x04")
        || head[..read].starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if !magic {
        return Ok(None);
    }
    let mut bytes = head[..read].to_vec();
    file.take(MAX_WORKBOOK_BYTES)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 >= MAX_WORKBOOK_BYTES {
        return Err(TableError::TooLarge {
            path: name,
            limit: MAX_WORKBOOK_BYTES,
        }
        .into());
    }
    match workbook::kind_with(&bytes, &name, MAX_DATA_UNZIPPED_BYTES)? {
        Some(kind) => Ok(Some((bytes, kind))),
        // A ZIP archive that is no workbook: the data reader names it.
        None => Ok(None),
    }
}

/// The sheets as one CSV text, the name the data is known by in messages
/// (`data.xlsx[2019]`), and notes.
fn to_csv(
    bytes: &[u8],
    kind: Kind,
    name: &str,
    definition: &Definition,
    options: &SheetOptions,
) -> Result<(Vec<u8>, String, Vec<String>), Error> {
    let all = workbook::sheet_names(bytes, kind, name)?;
    // Hidden sheets hold workings, not the data a reader sees: left out
    // unless named.
    let names: Vec<String> = all
        .iter()
        .filter(|(_, hidden)| !hidden)
        .map(|(n, _)| n.clone())
        .collect();
    let hidden: Vec<String> = all
        .iter()
        .filter(|(_, hidden)| *hidden)
        .map(|(n, _)| n.clone())
        .collect();
    let mut notes = Vec::new();
    if !hidden.is_empty() && options.sheet.is_none() {
        notes.push(format!(
            "left out the hidden sheet(s) of {name}: {}; --sheet NAME reads one",
            hidden
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let read = |sheet: &str| workbook::read_with(bytes, kind, name, Some(sheet), MAX_DATA_CELLS);
    if options.sheets_as_periods {
        let mut out = Writer::default();
        let mut header: Option<Vec<String>> = None;
        let mut periods = Vec::new();
        let mut skipped = Vec::new();
        for sheet in &names {
            let grid = read(sheet)?;
            // A sheet of notes (说明) or an empty one is no period.
            if !has_unit_column(&grid, definition) {
                skipped.push(format!("`{sheet}`"));
                continue;
            }
            out.sheet(&grid, Some(sheet), &mut header, definition)?;
            periods.push(sheet.clone());
        }
        notes.push(format!(
            "read {} sheet(s) of {name} as periods: {}{}",
            periods.len(),
            periods.join(", "),
            if skipped.is_empty() {
                String::new()
            } else {
                format!(
                    "; left out {} (no `{}` column)",
                    skipped.join(", "),
                    definition.columns.unit
                )
            }
        ));
        return Ok((out.finish()?, name.to_string(), notes));
    }
    let all_names: Vec<String> = all.iter().map(|(n, _)| n.clone()).collect();
    let columns = (
        definition.columns.unit.as_str(),
        definition.columns.period.as_str(),
    );
    let (sheet, note) = choose(
        &names,
        &all_names,
        options.sheet.as_deref(),
        name,
        columns,
        &|sheet: &str| read(sheet).map(|grid| header_matches(&grid, definition)),
    )?;
    notes.extend(note);
    let grid = read(&sheet)?;
    let mut out = Writer::default();
    out.sheet(&grid, None, &mut None, definition)?;
    Ok((out.finish()?, format!("{name}[{sheet}]"), notes))
}

/// True when the sheet's first row names the unit column.
fn has_unit_column(grid: &Grid, definition: &Definition) -> bool {
    let Some(first) = grid.lines.first() else {
        return false;
    };
    let fold = |t: &str| crate::names::normalize_label(t.trim()).to_lowercase();
    let unit = fold(&definition.columns.unit);
    first.cells.iter().any(|c| fold(&c.text) == unit)
}

/// The sheet asked for (by name, or number from 1 among every sheet),
/// else the first visible one whose header matches the definition. A
/// number that is also another sheet's name is refused as ambiguous.
fn choose(
    names: &[String],
    all: &[String],
    wanted: Option<&str>,
    file: &str,
    (unit, period): (&str, &str),
    matches: &dyn Fn(&str) -> Result<bool, TableError>,
) -> Result<(String, Option<String>), Error> {
    let no_sheet = |sheet: &str| TableError::NoSheet {
        path: file.to_string(),
        sheet: sheet.to_string(),
        sheets: all.to_vec(),
    };
    if let Some(wanted) = wanted {
        let by_name = all.iter().find(|n| n.as_str() == wanted).or_else(|| {
            all.iter()
                .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
        });
        let by_number = wanted
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| all.get(i));
        return match (by_name, by_number) {
            (Some(named), Some(placed)) if named != placed => Err(Error::Request {
                message: format!(
                    "--sheet {wanted} is ambiguous in {file}: a sheet is named `{named}`, and sheet number {wanted} is `{placed}`"
                ),
                hint: format!(
                    "name the sheet you mean: --sheet \"{placed}\" (a name always reads as a name when no sheet number is the same)"
                ),
            }),
            (Some(sheet), _) | (None, Some(sheet)) => Ok((sheet.clone(), None)),
            (None, None) => Err(no_sheet(wanted).into()),
        };
    }
    for sheet in names {
        if matches(sheet)? {
            let note = (names.len() > 1).then(|| {
                format!(
                    "read sheet `{sheet}` of {file}, the first whose header names the `{unit}` and `{period}` columns (of {}); --sheet NAME reads another",
                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                )
            });
            return Ok((sheet.clone(), note));
        }
    }
    Err(Error::Request {
        message: format!(
            "no sheet of {file} has a header naming the unit and period columns of the definition (`{unit}`, `{period}`); the sheets are {}",
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        ),
        hint: "name the sheet with --sheet NAME, or check the header row; with one sheet per year and no period column, use --sheets-as-periods".into(),
    })
}

/// True when the sheet's first row names the unit and period columns.
fn header_matches(grid: &Grid, definition: &Definition) -> bool {
    let Some(first) = grid.lines.first() else {
        return false;
    };
    let fold = |t: &str| crate::names::normalize_label(t.trim()).to_lowercase();
    let names: Vec<String> = first.cells.iter().map(|c| fold(&c.text)).collect();
    let has = |column: &str| names.contains(&fold(column));
    has(&definition.columns.unit) && has(&definition.columns.period)
}

/// The CSV text being written.
#[derive(Default)]
struct Writer {
    out: Vec<u8>,
    errors: Vec<TableError>,
}

impl Writer {
    /// Writes a sheet's rows. With `period` (sheets as periods), a period
    /// column is added to each row, and every sheet's header must be the
    /// first one's.
    fn sheet(
        &mut self,
        grid: &Grid,
        period: Option<&str>,
        header: &mut Option<Vec<String>>,
        definition: &Definition,
    ) -> Result<(), Error> {
        let shown = grid.source.shown();
        let mut next_line = 1;
        for (index, line) in grid.lines.iter().enumerate() {
            let fields = self.fields(line, &grid.source);
            if let Some(sheet) = period {
                if index == 0 {
                    self.header_of_sheet(fields, header, sheet, &shown, line, definition)?;
                    continue;
                }
                if fields.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                let mut row = vec![sheet.to_string()];
                row.extend(fields);
                self.write(&row);
                continue;
            }
            // Blank rows stay rows (of empty fields: the CSV reader would not
            // count an empty line), so a sheet's row is the CSV's line.
            while next_line < line.number {
                self.out.extend_from_slice(b",\n");
                next_line += 1;
            }
            self.write(&fields);
            next_line = line.number + 1;
        }
        Ok(())
    }

    /// A sheet's first row under `--sheets-as-periods`: the same as the
    /// first sheet's, and with no period column of its own.
    fn header_of_sheet(
        &mut self,
        fields: Vec<String>,
        header: &mut Option<Vec<String>>,
        sheet: &str,
        shown: &str,
        line: &Line,
        definition: &Definition,
    ) -> Result<(), Error> {
        let trimmed: Vec<String> = fields.iter().map(|f| f.trim().to_string()).collect();
        if trimmed.contains(&definition.columns.period) {
            return Err(Error::Request {
                message: format!(
                    "{shown}: the sheet has a `{}` column, but --sheets-as-periods takes the period from the sheet's name",
                    definition.columns.period
                ),
                hint: "leave out --sheets-as-periods to read the period column".into(),
            });
        }
        match header {
            None => {
                let mut first = vec![definition.columns.period.clone()];
                first.extend(trimmed.iter().cloned());
                self.write(&first);
                *header = Some(trimmed);
            }
            Some(first) if *first == trimmed => {}
            Some(first) => {
                return Err(Error::Request {
                    message: format!(
                        "{shown}: row {}: the header differs from the first sheet's ({} columns: {})",
                        line.number,
                        first.len(),
                        crate::error::list_some(first, 8)
                    ),
                    hint: format!(
                        "give sheet `{sheet}` the same columns in the same order as the first sheet"
                    ),
                });
            }
        }
        Ok(())
    }

    /// A row's fields from column A on; error cells recorded.
    fn fields(&mut self, line: &Line, source: &super::cells::Source) -> Vec<String> {
        let width = line.cells.last().map_or(0, |c| c.column + 1);
        let mut fields = vec![String::new(); width];
        for cell in &line.cells {
            fields[cell.column] = match (&cell.unusable, &cell.date) {
                (_, Some(day)) => day.clone(),
                (Some(why), None) => {
                    self.errors.push(TableError::at(
                        source.cell(line.number, cell.column),
                        format!("column {}", letters(cell.column)),
                        format!("the cell {why}"),
                        "correct the formula or enter the value; leave the cell empty to mark it missing",
                    ));
                    String::new()
                }
                (None, None) => cell.text.clone(),
            };
        }
        fields
    }

    fn write(&mut self, fields: &[String]) {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            if field.contains([',', '"', '\n', '\r']) {
                self.out.push(b'"');
                self.out
                    .extend_from_slice(field.replace('"', "\"\"").as_bytes());
                self.out.push(b'"');
            } else {
                self.out.extend_from_slice(field.as_bytes());
            }
        }
        self.out.push(b'\n');
    }

    fn finish(self) -> Result<Vec<u8>, Error> {
        if self.errors.is_empty() {
            Ok(self.out)
        } else {
            let mut errors = self.errors;
            errors.truncate(crate::limits::MAX_ERRORS);
            Err(Error::Table(errors))
        }
    }
}
