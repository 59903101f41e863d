//! The data: CSV → [`Panel`], one row per unit and period.
//!
//! Both the wide form (a column per indicator) and the long form
//! (`unit,period,indicator,value`) are read into the same `Panel`. Rows are
//! sorted by period, then by unit name, so that everything downstream — sums,
//! ranks, output — is independent of the order of the input rows.

mod builder;
mod chunked;
mod columns;
mod encoding;
pub mod error;
mod header;
mod input;
mod intern;
mod long;
pub mod number;
mod order;
pub mod period;
mod records;
mod stream;
mod suggest;
mod wide;

use std::io::{Cursor, Read};
use std::ops::Range;

use builder::Builder;
#[doc(hidden)]
pub use chunked::with_chunking;
use header::{check_header, sniff_delimiter};
pub use input::{Encoding, Input};
use records::{CSV_BUFFER, Capped, Guard, csv_error, first_line, for_each_record, read_record};
pub use suggest::Suggester;

use crate::definition::Definition;
use crate::error::{DataError, Error, Location, Problem, echo};

/// [`echo`], with the invisible characters that names are compared
/// without shown as `\u{200b}`, so that two spellings can be told apart.
fn echo_invisible(text: &str) -> String {
    let shown: String = text
        .chars()
        .map(|c| {
            if intern::is_invisible(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    echo(&shown)
}

pub use crate::limits::{MAX_ERRORS, MAX_HEADER_FIELDS, MAX_RECORD_BYTES};

/// One row of the panel: a unit in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Index into [`Keys::units`].
    pub unit: u32,
    /// Index into [`Keys::periods`].
    pub period: u32,
    /// The row's line in the input (for the long form, its first line).
    pub line: u64,
}

/// Where each cell came from, for messages.
#[derive(Debug, Clone)]
enum CellLines {
    /// Wide form: the row's line and the indicator's column.
    Wide {
        columns: Vec<usize>,
        population: Option<usize>,
    },
    /// Long form: the line of each cell present, as (row, indicator, line)
    /// sorted by row and indicator — memory in proportion to the cells the
    /// file has, not to rows × indicators — and each row's population line,
    /// 0 where absent.
    Long {
        lines: Vec<(u32, u32, u64)>,
        population: Vec<u64>,
    },
}

/// Who and when each row is, and where each cell came from: everything about
/// the rows except their values. It travels unchanged from [`Panel`] to the
/// scores, so a problem found while scoring can still name its cell.
#[derive(Debug, Clone)]
pub struct Keys {
    /// The input's name, for messages.
    pub source: String,
    /// Unit names in sorted order; a row's `unit` indexes this.
    pub units: Vec<String>,
    /// Period labels in period order; a row's `period` indexes this.
    pub periods: Vec<String>,
    /// The rows, sorted by period then unit.
    pub rows: Vec<Row>,
    /// For each period, its rows.
    pub period_ranges: Vec<Range<usize>>,
    /// The `[data] groups` columns, outermost first: each row's area.
    pub groups: Vec<LabelColumn>,
    /// The `[data] code` column: each row's division code.
    pub code: Option<LabelColumn>,
    cells: CellLines,
}

/// A column read as text beside each row (an area, a division code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelColumn {
    /// The column's name in the data.
    pub name: String,
    /// Its distinct texts, in order of first appearance.
    pub texts: Vec<String>,
    /// For each row, an index into `texts`, or [`NO_LABEL`] where blank.
    pub ids: Vec<u32>,
}

/// A row whose label cell is blank.
pub const NO_LABEL: u32 = u32::MAX;

impl LabelColumn {
    /// The text of `row`, unless blank.
    pub fn of(&self, row: usize) -> Option<&str> {
        match self.ids.get(row) {
            Some(&id) if id != NO_LABEL => Some(&self.texts[id as usize]),
            _ => None,
        }
    }
}

impl Keys {
    /// Where a cell is; `None` for the population.
    pub fn locate(&self, row: usize, indicator: Option<usize>) -> Location {
        let line = self.rows[row].line;
        match (&self.cells, indicator) {
            (CellLines::Wide { columns, .. }, Some(i)) => {
                Location::cell(&self.source, line, columns[i])
            }
            (CellLines::Wide { population, .. }, None) => match population {
                Some(column) => Location::cell(&self.source, line, *column),
                None => Location::line(&self.source, line),
            },
            (CellLines::Long { lines, .. }, Some(i)) => {
                let key = (row as u32, i as u32);
                let line = lines
                    .binary_search_by_key(&key, |&(r, i, _)| (r, i))
                    .map_or(0, |found| lines[found].2);
                cell_or_file(&self.source, line)
            }
            (CellLines::Long { population, .. }, None) => {
                cell_or_file(&self.source, population[row])
            }
        }
    }

    /// Where a row is.
    pub fn locate_row(&self, row: usize) -> Location {
        Location::line(&self.source, self.rows[row].line)
    }

    /// The unit name of a row.
    pub fn unit_of(&self, row: usize) -> &str {
        &self.units[self.rows[row].unit as usize]
    }

    /// The period label of a row.
    pub fn period_of(&self, row: usize) -> &str {
        &self.periods[self.rows[row].period as usize]
    }

    /// The division code of a row, when the data has one.
    pub fn code_of(&self, row: usize) -> Option<&str> {
        self.code.as_ref().and_then(|code| code.of(row))
    }

    /// The `[data] groups` column named `name`, by position.
    pub fn group_column(&self, name: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.name == name)
    }
}

/// The value of a cell that could not be read (not a number, say): a NaN,
/// so it is missing everywhere, but with its own payload, so that `check`
/// reports it once, as unreadable, and not a second time as "missing". The
/// bits survive every move of the panel; nothing computes with them before
/// the missing-value rule looks.
pub const UNREADABLE: f64 = f64::from_bits(0x7FF8_0000_0BAD_CE11);

/// A period label as the reader stores it (full-width digits folded, NFC,
/// invisible characters removed, ends trimmed), for matching a period the
/// user names (`--period ２０１９`, `base_period`) against the data's.
pub fn period_label(text: &str) -> String {
    intern::normalize_period(text.trim()).into_owned()
}

/// True for a cell that the reader could not read (see [`UNREADABLE`]).
pub fn is_unreadable(value: f64) -> bool {
    value.to_bits() == UNREADABLE.to_bits()
}

/// Indicator data for units over periods, sorted by period then unit name.
#[derive(Debug, Clone)]
pub struct Panel {
    /// Units, periods and rows.
    pub keys: Keys,
    /// Indicator ids, in [`Definition::indicators`] order.
    pub indicators: Vec<String>,
    /// `values[indicator][row]`; NaN marks a missing value.
    pub values: Vec<Vec<f64>>,
    /// Population per row, when the definition names a population column that the data has.
    pub population: Option<Vec<f64>>,
    /// Things worth a look that do not stop scoring, such as ignored columns.
    pub warnings: Vec<Problem>,
    /// Errors read past under [`ReadOptions::keep_going`]; always empty otherwise.
    pub recovered: Vec<Problem>,
}

fn cell_or_file(source: &str, line: u64) -> Location {
    if line == 0 {
        Location::file(source)
    } else {
        Location::line(source, line)
    }
}

/// Options for reading data.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// The text encoding.
    pub encoding: Encoding,
    /// Build the panel despite errors in cells and rows — a bad cell becomes
    /// missing, a repeated or unreadable row is left out — and return the
    /// errors in [`Panel::recovered`] instead of failing. For `check`, which
    /// lists every problem at once; scoring never uses it.
    pub keep_going: bool,
    /// The field separator; `None` sniffs it from the header (`,` `;` tab `|`).
    pub delimiter: Option<u8>,
    /// The longest row (record) read, in bytes; a longer one is an error
    /// naming its line, so that an unclosed quote or a file that is not CSV
    /// (`/dev/zero`) cannot fill the memory. It also bounds a field's length
    /// and the header's number of fields.
    pub max_record_bytes: u64,
}

impl Default for ReadOptions {
    /// Auto-detected encoding and delimiter, stop at the first stage with
    /// errors, and the record limit from `KMGOV_MAX_RECORD_BYTES` or
    /// [`MAX_RECORD_BYTES`].
    fn default() -> ReadOptions {
        let max_record_bytes = std::env::var(crate::limits::MAX_RECORD_BYTES_VAR)
            .ok()
            .and_then(|text| text.trim().parse::<u64>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(MAX_RECORD_BYTES);
        ReadOptions {
            encoding: Encoding::Auto,
            keep_going: false,
            delimiter: None,
            max_record_bytes,
        }
    }
}

/// Parses a `--delimiter` value: `,` `;` `|`, or a tab as `tab`, `\t` or itself.
pub fn parse_delimiter(text: &str) -> Option<u8> {
    match text {
        "," | "comma" => Some(b','),
        ";" | "semicolon" => Some(b';'),
        "|" | "pipe" => Some(b'|'),
        "tab" | "\\t" | "\t" | "TAB" => Some(b'\t'),
        _ => None,
    }
}

/// Reads a CSV input into a panel for `definition`, reporting every problem found.
pub fn read(input: &Input, definition: &Definition, options: ReadOptions) -> Result<Panel, Error> {
    let name = input.name();
    let reader = input.open()?;
    read_from(reader, &name, definition, options)
}

/// Reads CSV from any reader; `name` is used in messages.
pub fn read_from(
    reader: Box<dyn Read>,
    name: &str,
    definition: &Definition,
    options: ReadOptions,
) -> Result<Panel, Error> {
    let input::Decoded {
        reader,
        assumed,
        note,
        late,
    } = input::decode(reader, options.encoding, name)?;
    match read_decoded(reader, name, definition, options) {
        Ok(mut panel) => {
            let notes = assumed.map(|a| a.into_error(name).problem());
            let early = notes.into_iter().chain(note).chain(late.take());
            panel.warnings.splice(0..0, early);
            Ok(panel)
        }
        // Errors read in an encoding that was guessed may come from the
        // guess: say which it was.
        Err(Error::Data(mut errors)) => {
            errors.extend(assumed.map(|a| a.into_error(name)));
            Err(Error::Data(errors))
        }
        Err(error) => Err(error),
    }
}

/// A whole text file that is not the data (an indicator table), decoded as
/// the data is: a byte order mark, UTF-16 by its zero bytes, else UTF-8 or
/// GB18030 on the evidence of the text, refusing mixed or ambiguous text.
/// Returns the text and the warnings about it (the encoding assumed, stray
/// bytes). A workbook or other binary file is refused, named.
pub fn decode_text(bytes: Vec<u8>, name: &str) -> Result<(String, Vec<Problem>), Error> {
    let input::Decoded {
        mut reader,
        assumed,
        note,
        late,
    } = input::decode(Box::new(Cursor::new(bytes)), Encoding::Auto, name)?;
    let mut text = String::new();
    if let Err(error) = reader.read_to_string(&mut text) {
        let line = memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64 + 1;
        let mut errors = vec![records::io_error(name, error, line)];
        errors.extend(assumed.map(|a| a.into_error(name)));
        return Err(Error::Data(errors));
    }
    let warnings = assumed
        .map(|a| a.into_error(name).problem())
        .into_iter()
        .chain(note)
        .chain(late.take())
        .collect();
    Ok((text, warnings))
}

/// The field separator of a line of CSV, as the data reader sniffs it: the
/// most frequent of `,` `;` tab `|` outside quotes, `,` when there is none;
/// a tie is refused.
pub fn sniff_separator(line: &[u8], name: &str) -> Result<u8, Error> {
    Ok(sniff_delimiter(line, name)?)
}

/// [`read_from`] past the decoding.
fn read_decoded(
    reader: Box<dyn Read>,
    name: &str,
    definition: &Definition,
    options: ReadOptions,
) -> Result<Panel, Error> {
    let max = options.max_record_bytes.max(1);
    let (first, reader) = first_line(reader, max, name)?;
    let delimiter = match options.delimiter {
        Some(delimiter) => delimiter,
        None => sniff_delimiter(&first, name)?,
    };
    let guard = Guard::new(max);
    let reading = Reading {
        name,
        definition,
        options,
        guard: &guard,
        commas: number::Commas::for_delimiter(delimiter),
        delimiter,
    };
    let mut stream: Box<dyn Read> =
        Box::new(records::CrlfToLf::new(Cursor::new(first).chain(reader)));
    if let Some(settings) = chunked::settings() {
        let (_, chunk) = settings;
        let mut blocks = chunked::Blocks::new(stream);
        blocks.fill(chunk + chunk / 4 + 1);
        if let Some((header, end, lines)) = whole_header(&blocks, delimiter, max) {
            let (header, runs_on) = check_header(&header, name, definition, delimiter)?;
            if !long::is_long_form(&header, definition) {
                blocks.consume(end);
                let read = wide::read_chunked(blocks, lines, settings, &header, &reading);
                return blame_the_header(read, runs_on);
            }
        }
        // The long form, or a header the block does not hold: as one stream.
        stream = blocks.into_stream();
    }
    let mut csv = csv_reader(stream, delimiter, &guard);
    let mut header = csv::ByteRecord::new();
    let has_header = csv
        .read_byte_record(&mut header)
        .and_then(|more| guard.after(&csv).map(|()| more))
        .map_err(|e| csv_error(name, &e, 1, max))?;
    if !has_header {
        return Err(DataError::Empty {
            path: name.to_string(),
            definition: definition.origin.clone(),
        }
        .into());
    }
    let (header, runs_on) = check_header(&header, name, definition, delimiter)?;
    let read = if long::is_long_form(&header, definition) {
        long::read(csv, &header, &reading)
    } else {
        wide::read(csv, &header, &reading)
    };
    blame_the_header(read, runs_on)
}

/// The csv reader of the data (after CRLF became LF), its reads bounded by `guard`.
fn csv_reader(stream: Box<dyn Read>, delimiter: u8, guard: &Guard) -> csv::Reader<Box<dyn Read>> {
    let capped = Capped {
        inner: stream,
        read: 0,
        limit: guard.limit.clone(),
    };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(CSV_BUFFER)
        .from_reader(Box::new(capped) as Box<dyn Read>)
}

/// The header record when the block holds all of it (and it is within the
/// record limit): the record, where it ends, and the lines it takes.
/// `None` leaves the header, and any error in it, to the sequential reader.
fn whole_header(
    blocks: &chunked::Blocks,
    delimiter: u8,
    max: u64,
) -> Option<(csv::ByteRecord, usize, u64)> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(&blocks.bytes[..]);
    let mut header = csv::ByteRecord::new();
    if !csv.read_byte_record(&mut header).ok()? {
        return None;
    }
    let end = usize::try_from(csv.position().byte()).ok()?;
    // Ended by a line break (or the input), not by the end of the block.
    let whole =
        blocks.eof || (0 < end && end < blocks.bytes.len() && blocks.bytes[end - 1] == b'\n');
    (whole && end as u64 <= max).then(|| (header, end, csv.position().line() - 1))
}

/// A quote opened in the header and never closed swallows the rows: the
/// quote, not the want of rows, is then the fault.
fn blame_the_header(
    read: Result<Panel, Error>,
    runs_on: Option<DataError>,
) -> Result<Panel, Error> {
    match (read, runs_on) {
        (Err(Error::Data(errors)), Some(quote))
            if errors.iter().any(|e| matches!(e, DataError::NoRows { .. })) =>
        {
            Err(quote.into())
        }
        (read, _) => read,
    }
}

/// What both forms' readers read with.
struct Reading<'a> {
    name: &'a str,
    definition: &'a Definition,
    options: ReadOptions,
    guard: &'a Guard,
    /// What a comma in a number means, given the field separator.
    commas: number::Commas,
    /// The field separator.
    delimiter: u8,
}

/// A data record measured against the header's width.
enum Shape {
    /// Every field empty, as spreadsheets leave behind: skipped.
    Blank,
    /// At least as many fields as the header, any beyond it blank.
    Fits,
    /// Too few fields, or a filled one past the header.
    Ragged(Box<DataError>),
}

/// Whether `record` (starting on `line`) is blank, fits the header's
/// `width`, or is ragged, with the error that says so.
#[inline]
fn shape(record: &csv::ByteRecord, name: &str, line: u64, width: usize) -> Shape {
    if record.iter().all(|f| f.trim_ascii().is_empty()) {
        return Shape::Blank;
    }
    // By index: the record's iterator would step through every field to skip them.
    let surplus_is_blank = (width..record.len()).all(|i| record[i].trim_ascii().is_empty());
    if record.len() < width || !surplus_is_blank {
        return Shape::Ragged(Box::new(ragged_or_unclosed(record, name, line, width)));
    }
    Shape::Fits
}

/// A row with the wrong number of fields; when a field spans lines, the
/// likelier cause: a quote opened and never closed, which swallowed the
/// following rows.
fn ragged_or_unclosed(record: &csv::ByteRecord, name: &str, line: u64, width: usize) -> DataError {
    if record.iter().any(|field| field.contains(&b'\n')) {
        let text = String::from_utf8_lossy(record.as_slice());
        return unclosed_quote(&text, name, line);
    }
    DataError::Ragged {
        at: Location::line(name, line),
        expected: width,
        found: record.len(),
    }
}

/// A field (or record) starting on `line` that runs on over the lines it has.
fn unclosed_quote(text: &str, name: &str, line: u64) -> DataError {
    let breaks = text.bytes().filter(|&b| b == b'\n').count() as u64;
    DataError::UnclosedQuote {
        at: Location::line(name, line),
        end_line: line + breaks,
    }
}

/// Every column name the definition reads.
fn wanted_columns(definition: &Definition) -> Vec<&str> {
    [
        Some(definition.columns.unit.as_str()),
        Some(definition.columns.period.as_str()),
        definition.columns.population.as_deref(),
    ]
    .into_iter()
    .flatten()
    .chain(definition.indicators().map(|(_, i)| i.id.as_str()))
    .collect()
}

/// `[data] population` naming the unit or period column would read years
/// or names as populations: an error naming both.
fn population_is_key(definition: &Definition, name: &str) -> Option<DataError> {
    let population = definition.columns.population.as_deref()?;
    let role = if population == definition.columns.unit {
        "the unit column ([data] unit)"
    } else if population == definition.columns.period {
        "the period column ([data] period)"
    } else {
        return None;
    };
    Some(DataError::PopulationIsKey {
        path: name.to_string(),
        definition: definition.origin.clone(),
        column: population.to_string(),
        role: role.to_string(),
    })
}

/// A field as text, or an encoding error at its cell.
fn field_text<'a>(
    bytes: &'a [u8],
    name: &str,
    line: u64,
    column: usize,
) -> Result<&'a str, DataError> {
    std::str::from_utf8(bytes).map_err(|_| DataError::Encoding {
        at: Location::cell(name, line, column),
        encoding: "UTF-8".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    const DEF: &str = r#"
[index]
name = "T"
[data]
unit = "district"
period = "year"
population = "population"
[[dimension]]
id = "d"
[[dimension.indicator]]
id = "a"
[[dimension.indicator]]
id = "b"
"#;

    fn definition() -> Definition {
        Definition::from_toml(DEF, "t.toml").unwrap()
    }

    fn read_text(text: &str) -> Result<Panel, Error> {
        read_from(
            Box::new(Cursor::new(text.as_bytes().to_vec())),
            "t.csv",
            &definition(),
            ReadOptions::default(),
        )
    }

    fn messages(text: &str) -> Vec<String> {
        read_text(text).unwrap_err().messages()
    }

    #[test]
    fn wide_rows_are_sorted_by_period_then_unit() {
        let panel = read_text(
            "district,year,population,a,b\nB,2019,1,1,2\nA,2019,1,3,4\nB,2018,1,5,6\nA,2018,1,7,\n",
        )
        .unwrap();
        assert_eq!(panel.keys.periods, ["2018", "2019"]);
        assert_eq!(panel.keys.units, ["A", "B"]);
        assert_eq!(panel.keys.period_ranges, vec![0..2, 2..4]);
        assert_eq!(panel.values[0], vec![7.0, 5.0, 3.0, 1.0]);
        assert!(panel.values[1][0].is_nan());
        assert_eq!(panel.keys.locate(0, Some(1)), Location::cell("t.csv", 5, 5));
    }

    #[test]
    fn long_form_reads_the_same_panel() {
        let panel = read_text(
            "district,year,indicator,value\nA,2019,a,1\nA,2019,b,2\nA,2019,population,10\nB,2019,a,3\n",
        )
        .unwrap();
        assert_eq!(panel.keys.units, ["A", "B"]);
        assert_eq!(panel.values[0], vec![1.0, 3.0]);
        assert_eq!(panel.values[1][0], 2.0);
        assert!(panel.values[1][1].is_nan());
        assert_eq!(panel.population.as_ref().unwrap()[0], 10.0);
        assert_eq!(panel.keys.locate(1, Some(0)), Location::line("t.csv", 5));
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_place() {
        let found = messages("district,year,a,b\nA,2019,7O.2,1\nB,2019,1,x\n");
        assert_eq!(
            found,
            [
                "t.csv:2:3: `a`, unit A, period 2019: `7O.2` is not a number",
                "t.csv:3:4: `b`, unit B, period 2019: `x` is not a number",
            ]
        );
    }

    #[test]
    fn missing_column_names_the_indicator() {
        let found = messages("district,year,a\nA,2019,1\n");
        assert_eq!(
            found,
            ["t.csv: no column `b` for indicator `b` of dimension `d`"]
        );
    }

    #[test]
    fn duplicate_rows_name_both_lines() {
        let found = messages("district,year,a,b\nA,2019,1,1\nA,2019,2,2\n");
        assert_eq!(
            found,
            ["t.csv:3: unit A, period 2019 appears again (first on line 2)"]
        );
    }

    /// 100 units in 100 periods, one row each: too sparse for the dense
    /// table, so this takes the hash map path, which must say the same.
    #[test]
    fn duplicate_rows_in_a_sparse_panel() {
        let mut text = String::from("district,year,a,b\n");
        for i in 0..100 {
            text.push_str(&format!("U{i},{},1,1\n", 2000 + i));
        }
        text.push_str("U7,2007,1,1\nU7,2008,1,1\nU7,2007,1,1\n");
        assert_eq!(
            messages(&text),
            [
                "t.csv:102: unit U7, period 2007 appears again (first on line 9)",
                "t.csv:104: unit U7, period 2007 appears again (first on line 9)",
            ]
        );
    }

    #[test]
    fn header_only_has_no_rows() {
        assert_eq!(
            messages("district,year,a,b\n"),
            ["t.csv: the file has a header but no data rows"]
        );
        assert_eq!(messages(""), ["t.csv: the file is empty"]);
    }

    #[test]
    fn ragged_rows_are_errors() {
        let found = messages("district,year,a,b\nA,2019,1\n");
        assert_eq!(
            found,
            ["t.csv:2: this row has 3 fields but the header has 4"]
        );
    }

    fn read_stream(reader: impl Read + 'static, options: ReadOptions) -> Vec<String> {
        read_from(Box::new(reader), "t.csv", &definition(), options)
            .unwrap_err()
            .problems()
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    /// `/dev/zero`, `/dev/urandom`, or a quote that never closes: a clean
    /// error naming the line, not memory growing until the process is killed.
    #[test]
    fn endless_input_stops_at_the_record_limit() {
        let options = ReadOptions {
            max_record_bytes: 4096,
            ..ReadOptions::default()
        };
        assert_eq!(
            read_stream(std::io::repeat(0), options),
            ["t.csv: this is binary data (it is full of zero bytes), not CSV text"]
        );
        assert_eq!(
            read_stream(std::io::repeat(b'a'), options),
            ["t.csv:1: the row starting here is longer than 4096 bytes"]
        );
        let header = Cursor::new(b"district,year,a,b\nA,2019,1,2\n\"".to_vec());
        assert_eq!(
            read_stream(header.chain(std::io::repeat(b'7')), options),
            ["t.csv:3: the row starting here is longer than 4096 bytes"]
        );
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let random = std::iter::from_fn(move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            Some(state as u8)
        });
        let bytes: Vec<u8> = random.take(1 << 20).collect();
        let found = read_stream(Cursor::new(bytes), ReadOptions::default());
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("t.csv:1: bytes"), "{found:?}");
    }

    /// 2,000 indicators and rows that each carry one: dense columns would
    /// be 2,000 × the rows; the reader refuses before building them, after
    /// holding only what the file has.
    #[test]
    fn long_form_memory_follows_the_cells_present() {
        let mut toml = String::from("[index]\nname = \"W\"\n[[dimension]]\nid = \"d\"\n");
        for i in 0..2000 {
            toml.push_str(&format!("[[dimension.indicator]]\nid = \"i{i}\"\n"));
        }
        let wide = Definition::from_toml(&toml, "w.toml").unwrap();
        let mut text = String::from("unit,period,indicator,value\n");
        for row in 0..4000 {
            text.push_str(&format!("u{row},2019,i{},1\n", row % 2000));
        }
        let error = read_from(
            Box::new(Cursor::new(text.into_bytes())),
            "t.csv",
            &wide,
            ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            error.problems()[0].to_string(),
            "t.csv: the long-form data has 4000 values for 4000 unit-period pairs × 2000 \
             indicators: almost every value would be missing"
        );

        // A full panel: the cell lines held are the cells present.
        let mut text = String::from("unit,period,indicator,value\n");
        for unit in 0..3 {
            for i in 0..2000 {
                text.push_str(&format!("u{unit},2019,i{i},{i}\n"));
            }
        }
        let panel = read_from(
            Box::new(Cursor::new(text.into_bytes())),
            "t.csv",
            &wide,
            ReadOptions::default(),
        )
        .unwrap();
        let CellLines::Long { lines, population } = &panel.keys.cells else {
            panic!("long form")
        };
        assert_eq!(lines.len(), 6000);
        assert_eq!(population.len(), 3);
        assert_eq!(panel.values.iter().map(Vec::len).sum::<usize>(), 6000);
        assert_eq!(panel.values[1999][2], 1999.0);
        assert_eq!(
            panel.keys.locate(2, Some(1999)),
            Location::line("t.csv", 6001)
        );
    }

    #[test]
    fn population_naming_the_unit_column_is_an_error() {
        // The definition refuses this itself; a definition built in code can
        // still carry it, and the reader must not take the unit as a population.
        let mut def = Definition::from_toml(DEF, "t.toml").unwrap_or_else(|e| panic!("{e}"));
        def.columns.population = Some("district".into());
        for text in [
            "district,year,a,b\nA,2019,1,2\n",
            "district,year,indicator,value\nA,2019,a,1\n",
        ] {
            let error = read_from(
                Box::new(Cursor::new(text.as_bytes().to_vec())),
                "t.csv",
                &def,
                ReadOptions::default(),
            )
            .unwrap_err();
            assert_eq!(
                error.problems()[0].to_string(),
                "t.csv: [data] population in t.toml names the column `district`, which is also \
                 the unit column ([data] unit)"
            );
        }
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1;2;3;4;5", "t").ok(), Some(b','));
        assert_eq!(sniff_delimiter(b"a;b;c", "t").ok(), Some(b';'));
        assert_eq!(sniff_delimiter(b"a\tb", "t").ok(), Some(b'\t'));
        assert_eq!(sniff_delimiter(b"a|b|c", "t").ok(), Some(b'|'));
        assert_eq!(sniff_delimiter(b"\"a;b;c\",d", "t").ok(), Some(b','));
        assert_eq!(sniff_delimiter(b"abc", "t").ok(), Some(b','));
        assert!(sniff_delimiter(b"a;b,c", "t").is_err());
        assert_eq!(parse_delimiter("tab"), Some(b'\t'));
        assert_eq!(parse_delimiter("\\t"), Some(b'\t'));
        assert_eq!(parse_delimiter(";"), Some(b';'));
        assert_eq!(parse_delimiter("x"), None);
    }

    #[test]
    fn unknown_columns_are_warned_about_and_ignored() {
        let panel = read_text("district,year,a,b,note\nA,2019,1,2,hello\n").unwrap();
        assert_eq!(panel.warnings.len(), 1);
        assert!(panel.warnings[0].message.contains("`note`"));
    }

    fn read_with(definition: &Definition, text: &str) -> Result<Panel, Error> {
        read_from(
            Box::new(Cursor::new(text.as_bytes().to_vec())),
            "t.csv",
            definition,
            ReadOptions::default(),
        )
    }

    /// Long-form indicator names are folded as wide-form headers are: a
    /// full-width, zero-width or NFD spelling is the indicator, with a
    /// warning, and the unit's value is read — not dropped with the row.
    #[test]
    fn long_form_indicator_names_fold_like_headers() {
        let def = definition();
        let long = read_text(
            "district,year,indicator,value\nA,2019,a,1\nB,2019,ａ,3\nC,2019,a\u{200B},4\n\
             D,2019, a ,5\nA,2019,b,1\nB,2019,b,1\nC,2019,b,1\nD,2019,ｂ\u{FE0F},1\n",
        )
        .unwrap();
        assert_eq!(long.keys.units, ["A", "B", "C", "D"]);
        assert_eq!(long.values[0], vec![1.0, 3.0, 4.0, 5.0]);
        assert_eq!(long.values[1], vec![1.0; 4]);
        let spelt: Vec<&str> = long
            .warnings
            .iter()
            .map(|w| w.message.as_str())
            .filter(|m| m.starts_with("indicator `"))
            .collect();
        assert_eq!(spelt.len(), 3, "{spelt:?}");
        assert!(spelt[0].contains("`a` is also written `ａ`"), "{spelt:?}");
        assert!(spelt[1].contains("`a\\u{200b}`"), "{spelt:?}");

        let wide = read_with(&def, "district,year,ａ,b\u{200B}\nA,2019,1,1\nB,2019,3,1\n").unwrap();
        assert_eq!(wide.values[0], vec![1.0, 3.0]);
        // A definition id written full-width matches the header either way.
        let full_width =
            Definition::from_toml(&DEF.replace("id = \"a\"", "id = \"ａ\""), "t.toml").unwrap();
        for text in [
            "district,year,ａ,b\nA,2019,1,1\n",
            "district,year,a,b\nA,2019,1,1\n",
            "district,year,indicator,value\nA,2019,a,1\nA,2019,b,1\n",
        ] {
            let panel = read_with(&full_width, text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(panel.values[0], vec![1.0], "{text}");
        }
    }

    /// A unit whose only row names an indicator that is not in the
    /// definition (`A` for `a`: case is not folded, as in a wide header) is
    /// a unit with a missing value, as a wide row would be, not a unit gone.
    #[test]
    fn long_form_units_of_ignored_rows_stay() {
        let panel =
            read_text("district,year,indicator,value\nA,2019,a,1\nA,2019,b,1\nB,2019,A,3\n")
                .unwrap();
        assert_eq!(panel.keys.units, ["A", "B"]);
        assert!(panel.values[0][1].is_nan());
        assert_eq!(panel.warnings.len(), 1);
        assert_eq!(
            panel.warnings[0].to_string(),
            "t.csv:4: indicator `A` is not in the definition and is ignored"
        );
        assert_eq!(
            panel.warnings[0].hint.as_deref(),
            Some("did you mean `a`? check its spelling against the indicator ids")
        );
    }

    /// Thousands of unknown indicator names: twenty warnings and a count.
    #[test]
    fn unknown_long_form_indicators_are_counted_past_twenty() {
        let mut text = String::from("district,year,indicator,value\nA,2019,a,1\nA,2019,b,1\n");
        for i in 0..500 {
            text.push_str(&format!("A,2019,other{i},1\n"));
        }
        let panel = read_text(&text).unwrap();
        assert_eq!(panel.warnings.len(), 21);
        assert_eq!(
            panel.warnings[20].to_string(),
            "t.csv: 480 more indicator names are not in the definition and are ignored"
        );
    }

    /// A quote opened in the header and never closed swallows the rows:
    /// said as such, at line 1, not as a missing column or no rows.
    #[test]
    fn an_unclosed_quote_in_the_header_is_named() {
        for text in [
            "district,year,a,\"b\nA,2019,1,2\nB,2019,3,4\n",
            "district,year,a,b,\"note\nA,2019,1,2,x\nB,2019,3,4,y\n",
            "\"district,year,a,b\nA,2019,1,2\nB,2019,3,4\n",
        ] {
            assert_eq!(
                messages(text),
                ["t.csv:1: a quoted field opened on this line runs on to line 4"],
                "{text}"
            );
        }
        // A header cell on two lines, closed, is a header cell.
        let found = messages("district,year,a,\"b\n(%)\"\nA,2019,1,2\n");
        assert_eq!(
            found,
            ["t.csv: no column `b` for indicator `b` of dimension `d`"]
        );
    }

    /// Fields separated by the full-width `，` or `；` of a Chinese input
    /// method: said plainly, not as missing columns or a `;` to pass.
    #[test]
    fn full_width_separators_are_named() {
        for (text, separator) in [
            ("district；year；a；b\nA；2019；1；2\n", "；"),
            ("district，year，a，b\nA，2019，1，2\n", "，"),
            ("district,year,a，b\nA,2019,1，2\n", "，"),
        ] {
            assert_eq!(
                messages(text),
                [format!(
                    "t.csv:1: the header's fields are separated by the full-width `{separator}` \
                     of a Chinese input method, which is not a CSV separator"
                )],
                "{text}"
            );
        }
        // A full-width comma inside a column's name is part of the name.
        let panel = read_text("district,year,a,b,人口，万人\nA,2019,1,2,3\n").unwrap();
        assert_eq!(panel.warnings.len(), 1);
    }

    /// A file that fails part way through (a drive that went away) is named
    /// at the line reached, with a hint that is not about the path.
    #[test]
    fn a_read_failing_part_way_is_named_at_its_line() {
        struct Failing(Cursor<Vec<u8>>);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match self.0.read(buf)? {
                    0 => Err(std::io::Error::other("the device went away")),
                    n => Ok(n),
                }
            }
        }
        let text = b"district,year,a,b\nA,2019,1,2\nB,2019,3,4\n".to_vec();
        let error = read_from(
            Box::new(Failing(Cursor::new(text))),
            "t.csv",
            &definition(),
            ReadOptions::default(),
        )
        .unwrap_err();
        let problem = &error.problems()[0];
        assert_eq!(
            problem.to_string(),
            "t.csv:4: the data could not be read past this line: the device went away"
        );
        assert!(!problem.hint.as_deref().unwrap_or_default().contains("path"));
    }

    /// Rows repeated thousands of times: the repeats are taken out as
    /// they come (there are more rows than units × periods), each one
    /// reported in order, and what `check` keeps is the first of each.
    #[test]
    fn repeated_rows_are_taken_out_as_they_come() {
        let mut text = String::from("district,year,a,b\nA,2019,1,2\nB,2019,3,4\n");
        for i in 0..5000 {
            text.push_str(if i % 2 == 0 {
                "A,2019,9,9\n"
            } else {
                "B,2019,9,9\n"
            });
        }
        text.push_str("C,2019,5,6\n");
        let options = ReadOptions {
            keep_going: true,
            ..ReadOptions::default()
        };
        let panel = read_from(
            Box::new(Cursor::new(text.clone().into_bytes())),
            "t.csv",
            &definition(),
            options,
        )
        .unwrap();
        assert_eq!(panel.keys.units, ["A", "B", "C"]);
        assert_eq!(panel.values[0], [1.0, 3.0, 5.0]);
        assert_eq!(panel.values[1], [2.0, 4.0, 6.0]);
        assert_eq!(panel.recovered.len(), MAX_ERRORS + 1);
        assert_eq!(
            panel.recovered[0].to_string(),
            "t.csv:4: unit A, period 2019 appears again (first on line 2)"
        );
        assert_eq!(
            panel.recovered[1].to_string(),
            "t.csv:5: unit B, period 2019 appears again (first on line 3)"
        );
        assert_eq!(
            panel.recovered[MAX_ERRORS].to_string(),
            "t.csv: 4000 more problems of the same kinds not listed"
        );
        let found = messages(&text);
        assert_eq!(found.len(), MAX_ERRORS + 1);
        assert_eq!(found[MAX_ERRORS], panel.recovered[MAX_ERRORS].to_string());
    }
}
