//! Wide form: one row per unit and period, one column per indicator.

use std::collections::HashMap;
use std::io::Read;

use super::chunked::{self, Blocks, Chunk, Ended, Event};
use super::columns::Columns;
use super::intern::FxBuild;
use super::number::{Commas, parse_cell_in, plain_number};
use super::{Builder, CellLines, Panel, Reading, field_text};
use crate::error::{DataError, Error, Location, echo};

pub(super) fn read(
    mut csv: csv::Reader<Box<dyn Read>>,
    header: &[String],
    reading: &Reading,
) -> Result<Panel, Error> {
    let (mut builder, layout) = start(header, reading)?;
    let mut errors = Vec::new();
    let guard = reading.guard;
    let stopped = super::for_each_record(&mut csv, guard, |record| {
        layout.add_row(&mut builder, &mut errors, record, 0);
    });
    if let Some((error, line)) = stopped {
        let error = super::csv_error(reading.name, &error, line, guard.max);
        builder.error(error);
    }
    finish(builder, layout, reading)
}

/// [`read`], with the records (after the header's `lines` lines) parsed in
/// parallel chunks by [`chunked::for_each_chunk`], on `threads` threads in
/// chunks of `chunk` bytes; the same panel and errors to the bit.
pub(super) fn read_chunked(
    mut blocks: Blocks,
    lines: u64,
    (threads, chunk): (usize, usize),
    header: &[String],
    reading: &Reading,
) -> Result<Panel, Error> {
    let (mut builder, layout) = start(header, reading)?;
    let mut errors = Vec::new();
    let max = reading.guard.max;
    let delimiter = reading.delimiter;
    let ended = chunked::for_each_chunk(
        &mut blocks,
        delimiter,
        (threads, chunk),
        lines,
        |bytes, spare| layout.parse_chunk(bytes, spare, max, delimiter),
        |chunk, lines| layout.replay(&mut builder, &mut errors, chunk, lines),
    );
    if let Ended::Sequential { lines } = ended {
        let guard = super::Guard::new(max);
        let mut csv = super::csv_reader(blocks.into_stream(), delimiter, &guard);
        let stopped = super::for_each_record(&mut csv, &guard, |record| {
            layout.add_row(&mut builder, &mut errors, record, lines);
        });
        if let Some((error, line)) = stopped {
            builder.error(super::csv_error(reading.name, &error, line + lines, max));
        }
    }
    finish(builder, layout, reading)
}

/// The builder and the layout rows are read against, from the header.
fn start<'a>(header: &'a [String], reading: &Reading<'a>) -> Result<(Builder, Layout<'a>), Error> {
    let &Reading {
        name,
        definition,
        options,
        commas,
        ..
    } = reading;
    let columns = Columns::find(header, name, definition)?;
    let mut builder = Builder::new(
        name,
        columns.indicators.len(),
        columns.population.is_some(),
        options,
    )
    .with_labels(columns.labels.len());
    builder.warnings = columns.ignored_warnings(header, name);
    let layout = Layout {
        columns,
        header,
        commas,
        name,
        unit_name: &definition.columns.unit,
        period_name: &definition.columns.period,
    };
    Ok((builder, layout))
}

/// The panel, once every row is in.
fn finish(mut builder: Builder, layout: Layout, reading: &Reading) -> Result<Panel, Error> {
    builder.merge_spellings();
    report_duplicates(&mut builder);
    let columns = layout.columns;
    builder.finish(
        reading.definition,
        CellLines::Wide {
            columns: columns.indicators.iter().map(|c| c + 1).collect(),
            population: columns.population.map(|c| c + 1),
        },
    )
}

/// What every data row is read against.
pub(super) struct Layout<'a> {
    columns: Columns,
    header: &'a [String],
    commas: Commas,
    name: &'a str,
    unit_name: &'a str,
    period_name: &'a str,
}

/// Where the reading of a row goes: the panel being built, or, when chunks
/// of the file are read in parallel, a chunk's record of it, replayed into
/// the panel in file order (see [`super::chunked`]).
pub(super) trait Sink {
    /// A problem with the row.
    fn error(&mut self, error: DataError);
    /// False once values are no longer kept (scoring has failed).
    fn keeps_values(&self) -> bool;
    /// The indicator columns and the population column.
    fn columns(&mut self) -> (&mut [Vec<f64>], Option<&mut Vec<f64>>);
    /// The text of label column `index` (`None` when it is not UTF-8).
    fn label(&mut self, index: usize, text: Option<&str>);
    /// The row itself, after its cells and labels.
    fn row(&mut self, unit: &str, period: &str, line: u64);
}

impl Sink for Builder {
    fn error(&mut self, error: DataError) {
        Builder::error(self, error);
    }

    #[inline]
    fn keeps_values(&self) -> bool {
        Builder::keeps_values(self)
    }

    #[inline]
    fn columns(&mut self) -> (&mut [Vec<f64>], Option<&mut Vec<f64>>) {
        (&mut self.values, self.population.as_mut())
    }

    fn label(&mut self, index: usize, text: Option<&str>) {
        let labels = &mut self.labels[index];
        let id = text.map_or(super::NO_LABEL, |text| labels.id(text));
        labels.ids.push(id);
    }

    #[inline]
    fn row(&mut self, unit: &str, period: &str, line: u64) {
        let unit = self.unit_id(unit);
        let period = self.period_id(period);
        self.rows.push(super::Row { unit, period, line });
        self.compact_if_repeated(report_duplicates);
    }
}

/// A row read again only for its errors: values, labels and the row itself
/// were already taken from the first reading.
pub(super) struct ErrorsOnly<'a>(pub(super) &'a mut Builder);

impl Sink for ErrorsOnly<'_> {
    fn error(&mut self, error: DataError) {
        self.0.error(error);
    }

    fn keeps_values(&self) -> bool {
        false
    }

    fn columns(&mut self) -> (&mut [Vec<f64>], Option<&mut Vec<f64>>) {
        (&mut [], None)
    }

    fn label(&mut self, _: usize, _: Option<&str>) {}

    fn row(&mut self, _: &str, _: &str, _: u64) {}
}

impl Layout<'_> {
    /// Adds one data record to `sink`: its values and keys, or its errors.
    /// The record's line is its position in the reader plus `line_offset`
    /// (the lines before the chunk it was read from). `errors` is scratch
    /// space, empty between calls.
    pub(super) fn add_row<S: Sink>(
        &self,
        sink: &mut S,
        errors: &mut Vec<DataError>,
        record: &csv::ByteRecord,
        line_offset: u64,
    ) {
        let &Layout {
            ref columns,
            header,
            commas,
            name,
            unit_name,
            period_name,
        } = self;
        let width = header.len();
        let line = record.position().map_or(0, |p| p.line()) + line_offset;
        match super::shape(record, name, line, width) {
            super::Shape::Blank => return,
            super::Shape::Ragged(error) => {
                sink.error(*error);
                return;
            }
            super::Shape::Fits => {}
        }

        // Keys are borrowed from the record: most units and every period are
        // already interned, so a row allocates nothing.
        let key = |column: usize, label: &str| -> Result<&str, DataError> {
            let text = field_text(&record[column], name, line, column + 1)?.trim();
            if text.is_empty() {
                return Err(DataError::EmptyKey {
                    at: Location::cell(name, line, column + 1),
                    column: label.to_string(),
                });
            }
            Ok(text)
        };
        let (unit, period) = match (
            key(columns.unit, unit_name),
            key(columns.period, period_name),
        ) {
            (Ok(unit), Ok(period)) => (unit, period),
            (unit, period) => {
                for error in [unit.err(), period.err()].into_iter().flatten() {
                    sink.error(error);
                }
                return;
            }
        };

        let place = Place {
            name,
            line,
            header,
            unit,
            period,
            commas,
        };
        self.add_cells(sink, errors, record, &place);
        // Errors wait here while the sink's columns are borrowed; they are few.
        for error in errors.drain(..) {
            sink.error(error);
        }
        for (index, &column) in columns.labels.iter().enumerate() {
            match field_text(&record[column], name, line, column + 1) {
                Ok(text) => sink.label(index, Some(text)),
                Err(error) => {
                    errors.push(error);
                    sink.label(index, None);
                }
            }
        }
        for error in errors.drain(..) {
            sink.error(error);
        }
        sink.row(unit, period, line);
    }

    /// Reads the row's indicator and population cells into the sink's
    /// columns (while it keeps values), their errors into `errors`.
    #[inline(always)]
    fn add_cells<S: Sink>(
        &self,
        sink: &mut S,
        errors: &mut Vec<DataError>,
        record: &csv::ByteRecord,
        place: &Place,
    ) {
        let columns = &self.columns;
        let keeps_values = sink.keeps_values();
        let (values, population) = sink.columns();
        if keeps_values {
            // The hot loop: 46 million cells in a million-row file. Plain numbers
            // take the inlined fast path; anything else goes through `cell`.
            for (&column, values) in columns.indicators.iter().zip(values) {
                let bytes = &record[column];
                let value = match plain_number(bytes, place.commas) {
                    Some(value) => value,
                    None => cell(bytes, column, place).unwrap_or_else(|error| {
                        errors.push(error);
                        super::UNREADABLE
                    }),
                };
                values.push(value);
            }
        } else {
            // Scoring has failed: the cells are read only for their errors.
            for &column in &columns.indicators {
                if let Err(error) = cell(&record[column], column, place) {
                    errors.push(error);
                }
            }
        }
        if let Some(column) = columns.population {
            let value = cell(&record[column], column, place).unwrap_or_else(|error| {
                errors.push(error);
                f64::NAN
            });
            if keeps_values && let Some(population) = population {
                population.push(value);
            }
        }
    }
}

/// A chunk's rows as a worker thread reads them (see [`super::chunked`]).
struct ChunkSink {
    chunk: Chunk,
    /// The row being read has an error: it is read again at replay.
    failed: bool,
}

impl ChunkSink {
    /// `text` kept in the chunk; where it is.
    fn keep(&mut self, text: &str) -> std::ops::Range<usize> {
        let start = self.chunk.text.len();
        self.chunk.text.push_str(text);
        start..self.chunk.text.len()
    }
}

impl Sink for ChunkSink {
    fn error(&mut self, _: DataError) {
        // Its line is not known here; the replay makes it again.
        self.failed = true;
    }

    #[inline]
    fn keeps_values(&self) -> bool {
        true
    }

    #[inline]
    fn columns(&mut self) -> (&mut [Vec<f64>], Option<&mut Vec<f64>>) {
        (&mut self.chunk.values, self.chunk.population.as_mut())
    }

    fn label(&mut self, index: usize, text: Option<&str>) {
        let text = text.map(|text| self.keep(text));
        self.chunk.events.push(Event::Label(index, text));
    }

    #[inline]
    fn row(&mut self, unit: &str, period: &str, line: u64) {
        let unit = self.keep(unit);
        let period = self.keep(period);
        self.chunk.events.push(Event::Row { unit, period, line });
    }
}

impl Layout<'_> {
    /// Reads the records of one chunk (whole records, from the start of
    /// one); `None` when one is longer than `max` bytes or the csv reader
    /// fails, for the sequential reader to say so.
    fn parse_chunk(&self, bytes: &[u8], spare: Chunk, max: u64, delimiter: u8) -> Option<Chunk> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(super::CSV_BUFFER)
            .from_reader(bytes);
        // The columns and lists of a chunk already replayed, kept for their memory.
        let mut chunk = spare;
        chunk
            .values
            .resize_with(self.columns.indicators.len(), Vec::new);
        chunk.values.iter_mut().for_each(Vec::clear);
        match (&mut chunk.population, self.columns.population) {
            (Some(population), Some(_)) => population.clear(),
            (population, column) => *population = column.map(|_| Vec::new()),
        }
        chunk.text.clear();
        chunk.events.clear();
        let mut sink = ChunkSink {
            chunk,
            failed: false,
        };
        let mut record = csv::ByteRecord::new();
        let mut errors = Vec::new();
        let mut end = 0;
        while csv.read_byte_record(&mut record).ok()? {
            // As the sequential reader's guard measures: from the last record's end.
            let next = csv.position().byte();
            if next - end > max {
                return None;
            }
            end = next;
            let mark = sink.chunk.events.len();
            sink.failed = false;
            self.add_row(&mut sink, &mut errors, &record, 0);
            errors.clear();
            if sink.failed {
                let again = Event::Again(Box::new(record.clone()));
                sink.chunk.events.insert(mark, again);
            }
        }
        sink.chunk.newlines = csv.position().line() - 1;
        Some(sink.chunk)
    }

    /// Adds a chunk's rows to `builder`, as if read here; the chunk starts
    /// after `lines` lines.
    fn replay(
        &self,
        builder: &mut Builder,
        errors: &mut Vec<DataError>,
        chunk: &Chunk,
        lines: u64,
    ) {
        if builder.keeps_values() {
            // Ahead of the rows; an error among them lets them all go, as it would.
            for (column, values) in builder.values.iter_mut().zip(&chunk.values) {
                column.extend_from_slice(values);
            }
            if let (Some(column), Some(values)) = (&mut builder.population, &chunk.population) {
                column.extend_from_slice(values);
            }
        }
        let text = &chunk.text;
        for event in &chunk.events {
            match event {
                Event::Again(record) => {
                    self.add_row(&mut ErrorsOnly(builder), errors, record, lines);
                }
                Event::Label(index, range) => {
                    builder.label(*index, range.clone().map(|r| &text[r]));
                }
                Event::Row { unit, period, line } => {
                    let (unit, period) = (&text[unit.clone()], &text[period.clone()]);
                    Sink::row(builder, unit, period, line + lines);
                }
            }
        }
    }
}

/// The row a cell is read in, for its error.
struct Place<'a> {
    name: &'a str,
    line: u64,
    header: &'a [String],
    unit: &'a str,
    period: &'a str,
    commas: Commas,
}

/// One indicator or population cell → its value (NaN when missing).
#[inline(never)]
fn cell(bytes: &[u8], column: usize, place: &Place) -> Result<f64, DataError> {
    // Plain numbers, nearly every cell, skip the UTF-8 check and the general parser.
    if let Some(value) = plain_number(bytes, place.commas) {
        return Ok(value);
    }
    let &Place {
        name,
        line,
        header,
        unit,
        period,
        commas,
    } = place;
    let text = field_text(bytes, name, line, column + 1)?;
    if text.contains('\n') {
        // Not a number, and a quote left open swallowed the lines after it.
        return Err(super::unclosed_quote(text, name, line));
    }
    match parse_cell_in(text, commas) {
        Ok(value) => Ok(value.unwrap_or(f64::NAN)),
        Err(reason) => Err(DataError::NotANumber {
            at: Location::cell(name, line, column + 1),
            column: header[column].clone(),
            unit: unit.to_string(),
            period: period.to_string(),
            text: echo(text.trim()),
            reason,
        }),
    }
}

/// Reports every row whose unit and period an earlier row already had, in
/// input order, naming the earlier row's line, and leaves it out of the panel
/// (which matters only under [`ReadOptions::keep_going`]).
fn report_duplicates(builder: &mut Builder) {
    let periods = builder.periods.names.len();
    // A panel is usually dense (most units in most periods): then one slot per
    // (unit, period), holding the first row seen there, is a plain array,
    // several times faster than a hash map of a million keys.
    let dense = super::order::dense_cells(builder.units.names.len(), periods, builder.rows.len());
    let mut duplicates = Vec::new();
    let mut repeated = Vec::new();
    let mut duplicate = |index: usize, row: &super::Row, first: u64| {
        repeated.push(index);
        duplicates.push(DataError::DuplicateRow {
            at: Location::line(&builder.name, row.line),
            unit: builder.units.names[row.unit as usize].clone(),
            period: builder.periods.names[row.period as usize].clone(),
            what: String::new(),
            first_line: first,
        });
    };
    if let Some(cells) = dense {
        const UNSEEN: usize = usize::MAX;
        let mut first_row = vec![UNSEEN; cells];
        for (index, row) in builder.rows.iter().enumerate() {
            let slot = &mut first_row[row.unit as usize * periods + row.period as usize];
            if *slot == UNSEEN {
                *slot = index;
            } else {
                duplicate(index, row, builder.rows[*slot].line);
            }
        }
    } else {
        let mut first_line: HashMap<(u32, u32), u64, FxBuild> =
            HashMap::with_capacity_and_hasher(builder.rows.len(), FxBuild::default());
        for (index, row) in builder.rows.iter().enumerate() {
            match first_line.get(&(row.unit, row.period)) {
                Some(&first) => duplicate(index, row, first),
                None => {
                    first_line.insert((row.unit, row.period), row.line);
                }
            }
        }
    }
    for duplicate in duplicates {
        builder.error(duplicate);
    }
    if !repeated.is_empty() {
        let mut keep = vec![true; builder.rows.len()];
        for index in repeated {
            keep[index] = false;
        }
        let rows = builder.rows.len();
        let mut kept = keep.iter().copied();
        builder.rows.retain(|_| kept.next().unwrap_or(true));
        // Columns no longer kept (scoring failed) are empty.
        for column in builder.values.iter_mut().chain(builder.population.as_mut()) {
            // A column may run ahead of the rows: the values of a chunk read
            // in parallel are added before its rows; those stay.
            if column.len() >= rows {
                let mut kept = keep.iter().copied();
                column.retain(|_| kept.next().unwrap_or(true));
            }
        }
        for labels in &mut builder.labels {
            let mut kept = keep.iter().copied();
            labels.ids.retain(|_| kept.next().unwrap_or(true));
        }
    }
}
