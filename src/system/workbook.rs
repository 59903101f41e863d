//! Workbooks (.xlsx, .xls, .ods), recognised by their content and read with
//! calamine, one sheet as [`Grid`] cells.
//!
//! Memory stays bounded on any file: the file is within the definition size
//! limit, a zipped workbook is unpacked once into nothing to measure it
//! before it is read (a small file can unpack to gigabytes), and an .xlsx
//! sheet is streamed cell by cell, since a sheet with one cell at A1 and one
//! at XFD1048576 would otherwise be laid out as seventeen billion cells.

use std::io::{self, Cursor, Read};

use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsx, open_workbook_from_rs};

use super::cells::{Cell, Grid, Line, Source};
use super::error::TableError;
use crate::data::number::Commas;

/// The most a zipped workbook may unpack to: far beyond an indicator
/// table of a few thousand rows (a few MiB), far below the memory of a
/// small machine.
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;

/// The most filled cells read from a sheet: a thousand times a large
/// indicator system.
pub const MAX_CELLS: usize = 1_000_000;

/// A kind of workbook kmgov reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// The binary Excel 97–2003 format (.xls).
    Xls,
    /// OpenDocument (.ods).
    Ods,
}

impl Kind {
    /// The kind as named in messages.
    fn shown(self) -> &'static str {
        match self {
            Kind::Xlsx => "an Excel workbook (.xlsx)",
            Kind::Xls => "an Excel 97–2003 workbook (.xls)",
            Kind::Ods => "an OpenDocument spreadsheet (.ods)",
        }
    }
}

/// The kind of workbook the bytes are, by their content whatever the file
/// is called; `None` for anything else (text, to be read as CSV).
pub(crate) fn kind(bytes: &[u8], name: &str) -> Result<Option<Kind>, TableError> {
    kind_with(bytes, name, MAX_UNZIPPED_BYTES)
}

/// [`kind`], refusing a workbook that unpacks to more than `unzipped` bytes.
pub(crate) fn kind_with(
    bytes: &[u8],
    name: &str,
    unzipped: u64,
) -> Result<Option<Kind>, TableError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Some(Kind::Xls));
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok(None);
    }
    let not_a_table = |what: &str| TableError::NotATable {
        path: name.to_string(),
        what: what.to_string(),
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| not_a_table("a damaged ZIP archive"))?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    let has = |wanted: &str| names.iter().any(|n| n == wanted);
    let found = if has("xl/workbook.xml") {
        Kind::Xlsx
    } else if has("content.xml") {
        Kind::Ods
    } else if has("xl/workbook.bin") {
        return Err(not_a_table(
            "an Excel binary workbook (.xlsb); save it as .xlsx",
        ));
    } else if names.iter().any(|n| n.starts_with("word/")) {
        return Err(not_a_table("a Word document"));
    } else {
        return Err(not_a_table("a ZIP archive"));
    };
    check_unzipped(&mut archive, name, unzipped)?;
    Ok(Some(found))
}

/// Unpacks every member into nothing, counting: refuses a workbook that
/// unpacks to more than `limit` bytes, whatever sizes it declares.
fn check_unzipped(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<(), TableError> {
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(mut member) = archive.by_index(i) else {
            // calamine says what is wrong with it, if it needs it.
            continue;
        };
        let left = limit - total;
        let read = io::copy(&mut (&mut member).take(left + 1), &mut io::sink()).unwrap_or(0);
        if read > left {
            return Err(TableError::Unzipped {
                path: name.to_string(),
                limit,
            });
        }
        total += read;
    }
    Ok(())
}

/// Reads one sheet of a workbook: `sheet`, else the first. Says which.
pub(super) fn read(
    bytes: &[u8],
    kind: Kind,
    name: &str,
    sheet: Option<&str>,
) -> Result<Grid, TableError> {
    read_with(bytes, kind, name, sheet, MAX_CELLS)
}

/// The names of a workbook's sheets, in order, each with whether it is
/// hidden.
pub(super) fn sheet_names(
    bytes: &[u8],
    kind: Kind,
    name: &str,
) -> Result<Vec<(String, bool)>, TableError> {
    let failed = |message: String| TableError::Workbook {
        path: name.to_string(),
        what: kind.shown().to_string(),
        message,
    };
    let sheets = match kind {
        Kind::Xlsx => open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes))
            .map_err(|e| failed(e.to_string()))?
            .sheets_metadata()
            .to_vec(),
        Kind::Xls => open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes))
            .map_err(|e| failed(e.to_string()))?
            .sheets_metadata()
            .to_vec(),
        Kind::Ods => open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes))
            .map_err(|e| failed(e.to_string()))?
            .sheets_metadata()
            .to_vec(),
    };
    Ok(sheets
        .into_iter()
        .map(|s| (s.name, s.visible != calamine::SheetVisible::Visible))
        .collect())
}

/// [`read`], with at most `limit` filled cells.
pub(super) fn read_with(
    bytes: &[u8],
    kind: Kind,
    name: &str,
    sheet: Option<&str>,
    limit: usize,
) -> Result<Grid, TableError> {
    let failed = |message: String| TableError::Workbook {
        path: name.to_string(),
        what: kind.shown().to_string(),
        message,
    };
    let (chosen, sheets, lines) = match kind {
        Kind::Xlsx => {
            let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e: calamine::XlsxError| failed(e.to_string()))?;
            let (chosen, sheets) = choose(book.sheet_names(), sheet, name)?;
            let lines = xlsx_lines(&mut book, &chosen, name, limit).map_err(|e| match e {
                Failure::Reader(message) => failed(message),
                Failure::Table(error) => error,
            })?;
            (chosen, sheets, lines)
        }
        Kind::Xls => {
            let mut book: Xls<_> = open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e: calamine::XlsError| failed(e.to_string()))?;
            let (chosen, sheets) = choose(book.sheet_names(), sheet, name)?;
            let range = book
                .worksheet_range(&chosen)
                .map_err(|e| failed(e.to_string()))?;
            (
                chosen.clone(),
                sheets,
                range_lines(&range, name, &chosen, limit)?,
            )
        }
        Kind::Ods => {
            let mut book: Ods<_> = open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e: calamine::OdsError| failed(e.to_string()))?;
            let (chosen, sheets) = choose(book.sheet_names(), sheet, name)?;
            let range = book
                .worksheet_range(&chosen)
                .map_err(|e| failed(e.to_string()))?;
            (
                chosen.clone(),
                sheets,
                range_lines(&range, name, &chosen, limit)?,
            )
        }
    };
    let mut notes = Vec::new();
    if sheet.is_none() {
        let others = if sheets.len() > 1 {
            format!(
                " (the first of {}: {}); --sheet NAME reads another",
                sheets.len(),
                sheets
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            String::new()
        };
        notes.push(format!("read sheet `{chosen}` of {name}{others}"));
    }
    Ok(Grid {
        source: Source {
            file: name.to_string(),
            sheet: Some(chosen),
            // A comma in a text cell may be a decimal comma as well as a
            // thousands one: `1,234` is refused rather than guessed.
            commas: Commas::Either,
        },
        lines,
        warnings: Vec::new(),
        notes,
    })
}

/// The sheet to read and every sheet's name.
fn choose(
    sheets: Vec<String>,
    wanted: Option<&str>,
    name: &str,
) -> Result<(String, Vec<String>), TableError> {
    let chosen = match wanted {
        Some(wanted) => sheets
            .iter()
            .find(|s| s.as_str() == wanted)
            .or_else(|| {
                sheets
                    .iter()
                    .find(|s| s.trim().eq_ignore_ascii_case(wanted.trim()))
            })
            .cloned(),
        None => sheets.first().cloned(),
    };
    match chosen {
        Some(chosen) => Ok((chosen, sheets)),
        None => Err(TableError::NoSheet {
            path: name.to_string(),
            sheet: wanted.unwrap_or("").to_string(),
            sheets,
        }),
    }
}

/// Why streaming an .xlsx sheet stopped.
enum Failure {
    /// calamine's own error.
    Reader(String),
    /// A limit of kmgov's.
    Table(TableError),
}

/// The filled cells of an .xlsx sheet, streamed so that only they are held.
fn xlsx_lines(
    book: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &str,
    name: &str,
    limit: usize,
) -> Result<Vec<Line>, Failure> {
    let reader_error = |e: calamine::XlsxError| Failure::Reader(e.to_string());
    let mut cells = Vec::new();
    {
        let mut reader = book.worksheet_cells_reader(sheet).map_err(reader_error)?;
        while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(reader_error)? {
            let (row, column) = cell.get_position();
            let format = reader
                .styles()
                .get(style)
                .and_then(|s| s.number_format.as_ref())
                .map(|f| f.format_code.as_str());
            if let Some(cell) =
                from_ref(cell.get_value(), column as usize).map(|c| shown_as(c, format))
            {
                if cells.len() == limit {
                    return Err(Failure::Table(too_many(name, sheet, limit)));
                }
                cells.push((row, cell));
            }
        }
    }
    // A formula whose value was never computed (a file written by a program,
    // never opened in a spreadsheet) holds nothing to read: said, not taken
    // for an empty cell.
    let mut reader = book.worksheet_cells_reader(sheet).map_err(reader_error)?;
    while let Some(record) = reader.next_cell_with_formula().map_err(reader_error)? {
        if record.formula.is_some() && matches!(record.value, DataRef::Empty) {
            if cells.len() == limit {
                return Err(Failure::Table(too_many(name, sheet, limit)));
            }
            let (row, column) = record.pos;
            cells.push((
                row,
                unusable(
                    column as usize,
                    "holds a formula whose value was never computed (open the file in Excel or LibreOffice and save it)",
                ),
            ));
        }
    }
    Ok(into_lines(cells))
}

/// A number cell as its format shows it where that changes what it means:
/// a percentage (`0.00%`) holds 0.6821 and shows 68.21%, which the CSV
/// Excel saves says; a date shown as its year alone (`yyyy`) is that year.
fn shown_as(cell: Cell, format: Option<&str>) -> Cell {
    let Some(format) = format else { return cell };
    // What the format prints outside quoted text and escapes.
    let mut code = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in format.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            _ if !quoted => code.push(c),
            _ => {}
        }
    }
    if let Some(value) = cell.number
        && code.contains('%')
    {
        let percent = format!("{:.10}", value * 100.0);
        let percent = percent.trim_end_matches('0').trim_end_matches('.');
        return Cell {
            text: format!("{percent}%"),
            number: None,
            ..cell
        };
    }
    let year_only = {
        let lower = code.to_ascii_lowercase();
        let letters: String = lower.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        letters == "yyyy" || letters == "yy" || letters == "e"
    };
    match &cell.date {
        Some(day) if year_only => Cell {
            date: Some(day[..4].to_string()),
            ..cell
        },
        _ => cell,
    }
}

/// The filled cells of a sheet read whole (.xls, .ods: their formats bound
/// the sheet's size).
fn range_lines(
    range: &calamine::Range<Data>,
    name: &str,
    sheet: &str,
    limit: usize,
) -> Result<Vec<Line>, TableError> {
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    for (row, column, value) in range.used_cells() {
        if let Some(cell) = from_data(value, left as usize + column) {
            if cells.len() == limit {
                return Err(too_many(name, sheet, limit));
            }
            cells.push((top + row as u32, cell));
        }
    }
    Ok(into_lines(cells))
}

fn too_many(name: &str, sheet: &str, limit: usize) -> TableError {
    TableError::TooManyCells {
        path: format!("{name}[{sheet}]"),
        limit,
    }
}

/// Cells by sheet row (from 0) into rows numbered from 1, each in column order.
fn into_lines(mut cells: Vec<(u32, Cell)>) -> Vec<Line> {
    cells.sort_by_key(|(row, cell)| (*row, cell.column));
    let mut lines: Vec<Line> = Vec::new();
    for (row, cell) in cells {
        let number = u64::from(row) + 1;
        match lines.last_mut() {
            Some(line) if line.number == number => line.cells.push(cell),
            _ => lines.push(Line {
                number,
                cells: vec![cell],
            }),
        }
    }
    lines
}

/// A streamed .xlsx cell as a [`Cell`]; `None` when it is blank.
fn from_ref(value: &DataRef, column: usize) -> Option<Cell> {
    match value {
        DataRef::Int(i) => Some(number(column, *i as f64)),
        DataRef::Float(f) => Some(number(column, *f)),
        DataRef::String(s) => text(column, s),
        DataRef::SharedString(s) => text(column, s),
        DataRef::Bool(b) => text(column, if *b { "TRUE" } else { "FALSE" }),
        DataRef::DateTime(d) if d.is_datetime() => Some(date(column, d.as_f64())),
        DataRef::DateTimeIso(iso) => Some(iso_date(column, iso)),
        DataRef::DateTime(_) | DataRef::DurationIso(_) => {
            Some(unusable(column, "holds a date or a time"))
        }
        DataRef::Error(e) => Some(unusable(
            column,
            &format!("holds the spreadsheet error {e}"),
        )),
        DataRef::Empty => None,
    }
}

/// A cell of a sheet read whole as a [`Cell`]; `None` when it is blank.
fn from_data(value: &Data, column: usize) -> Option<Cell> {
    match value {
        Data::Int(i) => Some(number(column, *i as f64)),
        Data::Float(f) => Some(number(column, *f)),
        Data::String(s) => text(column, s),
        Data::Bool(b) => text(column, if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) if d.is_datetime() => Some(date(column, d.as_f64())),
        Data::DateTimeIso(iso) => Some(iso_date(column, iso)),
        Data::DateTime(_) | Data::DurationIso(_) => {
            Some(unusable(column, "holds a date or a time"))
        }
        Data::Error(e) => Some(unusable(
            column,
            &format!("holds the spreadsheet error {e}"),
        )),
        Data::Empty => None,
    }
}

fn number(column: usize, value: f64) -> Cell {
    Cell {
        column,
        // The shortest decimal that reads back as this very number.
        text: (value + 0.0).to_string(),
        number: value.is_finite().then_some(value + 0.0),
        unusable: None,
        date: None,
    }
}

fn text(column: usize, text: &str) -> Option<Cell> {
    (!text.trim().is_empty()).then(|| Cell::text(column, text))
}

fn unusable(column: usize, why: &str) -> Cell {
    Cell {
        column,
        text: String::new(),
        number: None,
        unusable: Some(why.to_string()),
        date: None,
    }
}

/// A date cell: unusable in an indicator table, its day kept for a data
/// sheet's period column.
fn date(column: usize, serial: f64) -> Cell {
    Cell {
        date: day_of_serial(serial),
        ..unusable(column, "holds a date or a time")
    }
}

/// An ISO date-time cell (.ods): its day.
fn iso_date(column: usize, iso: &str) -> Cell {
    let day = iso
        .get(..10)
        .filter(|d| d.len() == 10 && d.as_bytes()[4] == b'-');
    Cell {
        date: day.map(str::to_string),
        ..unusable(column, "holds a date or a time")
    }
}

/// The day of an Excel date serial (days since 1899-12-30, the epoch that
/// absorbs Excel's phantom 29 February 1900 for every date from March
/// 1900): `YYYY-MM-DD`; `None` outside years 1 to 9999.
pub(super) fn day_of_serial(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days since 1970-01-01, then the civil date (Howard Hinnant's algorithm).
    let days = serial.floor() as i64 - 25_569;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbooks_are_known_by_their_content() {
        assert_eq!(kind(b"id,parent\n", "t.xlsx").unwrap(), None);
        let cfb = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(kind(&cfb, "t.csv").unwrap(), Some(Kind::Xls));
        let broken = kind(b"PK\x03\x04 not really", "t.xlsx").unwrap_err();
        assert!(
            broken.to_string().contains("a damaged ZIP archive"),
            "{broken}"
        );
    }

    /// A zip archive of deflated members.
    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in members {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_workbook_that_unpacks_to_more_than_the_limit_is_refused_unread() {
        let zeros = vec![0u8; 4 << 20];
        let bomb = zip_of(&[
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/sharedStrings.xml", &zeros),
        ]);
        assert!(bomb.len() < 64 << 10, "{}", bomb.len());
        let mut archive = zip::ZipArchive::new(Cursor::new(bomb.as_slice())).unwrap();
        let error = check_unzipped(&mut archive, "b.xlsx", 1 << 20).unwrap_err();
        assert_eq!(
            error.to_string(),
            "b.xlsx: the workbook unpacks to more than 1048576 bytes, too large to be an indicator table"
        );
        assert!(check_unzipped(&mut archive, "b.xlsx", 5 << 20).is_ok());
        // Across members too: two of 3 MiB exceed 5 MiB.
        let three = vec![0u8; 3 << 20];
        let two = zip_of(&[("a", &three), ("b", &three)]);
        let mut archive = zip::ZipArchive::new(Cursor::new(two.as_slice())).unwrap();
        assert!(check_unzipped(&mut archive, "b.xlsx", 5 << 20).is_err());
        // And the real limit is applied on the way in.
        assert_eq!(
            kind(&zip_of(&[("xl/workbook.xml", b"")]), "w.xlsx").unwrap(),
            Some(Kind::Xlsx)
        );
    }

    #[test]
    fn cells_are_gathered_into_rows_numbered_from_one() {
        let cells = vec![
            (2, Cell::text(1, "b")),
            (0, Cell::text(3, "x")),
            (2, Cell::text(0, "a")),
            (0, Cell::text(0, "id")),
        ];
        let lines = into_lines(cells);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].number, 1);
        assert_eq!(lines[1].number, 3);
        let columns: Vec<usize> = lines[1].cells.iter().map(|c| c.column).collect();
        assert_eq!(columns, [0, 1]);
    }

    #[test]
    fn numbers_are_kept_exactly_and_shown_shortest() {
        let cell = from_data(&Data::Float(0.1), 2).unwrap();
        assert_eq!((cell.text.as_str(), cell.number), ("0.1", Some(0.1)));
        assert_eq!(from_data(&Data::Float(3.0), 0).unwrap().text, "3");
        assert_eq!(from_data(&Data::Int(-2), 0).unwrap().text, "-2");
        assert!(from_data(&Data::String("  ".into()), 0).is_none());
        assert!(from_data(&Data::Empty, 0).is_none());
        let error = from_data(&Data::Error(calamine::CellErrorType::Div0), 0).unwrap();
        assert_eq!(
            error.unusable.as_deref(),
            Some("holds the spreadsheet error #DIV/0!")
        );
    }
}
