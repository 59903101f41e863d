//! Wide form: one row per unit and period, one column per indicator.

use std::collections::HashMap;
use std::io::Read;

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
    let &Reading {
        name,
        definition,
        options,
        guard,
        commas,
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

    let mut errors = Vec::new();
    let stopped = super::for_each_record(&mut csv, guard, |record| {
        layout.add_row(&mut builder, &mut errors, record);
    });
    if let Some((error, line)) = stopped {
        let error = super::csv_error(name, &error, line, guard.max);
        builder.error(error);
    }

    builder.merge_spellings();
    report_duplicates(&mut builder);
    let columns = layout.columns;
    builder.finish(
        definition,
        CellLines::Wide {
            columns: columns.indicators.iter().map(|c| c + 1).collect(),
            population: columns.population.map(|c| c + 1),
        },
    )
}

/// What every data row is read against.
struct Layout<'a> {
    columns: Columns,
    header: &'a [String],
    commas: Commas,
    name: &'a str,
    unit_name: &'a str,
    period_name: &'a str,
}

impl Layout<'_> {
    /// Adds one data record to the panel being built, or its errors to
    /// `builder`. `errors` is scratch space, empty between calls.
    fn add_row(
        &self,
        builder: &mut Builder,
        errors: &mut Vec<DataError>,
        record: &csv::ByteRecord,
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
        let line = record.position().map_or(0, |p| p.line());
        match super::shape(record, name, line, width) {
            super::Shape::Blank => return,
            super::Shape::Ragged(error) => {
                builder.error(error);
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
                    builder.error(error);
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
        self.add_cells(builder, errors, record, &place);
        // Errors wait here while `builder.values` is borrowed; they are few.
        for error in errors.drain(..) {
            builder.error(error);
        }
        for (&column, labels) in columns.labels.iter().zip(&mut builder.labels) {
            let id = match field_text(&record[column], name, line, column + 1) {
                Ok(text) => labels.id(text),
                Err(error) => {
                    errors.push(error);
                    super::NO_LABEL
                }
            };
            labels.ids.push(id);
        }
        for error in errors.drain(..) {
            builder.error(error);
        }
        let unit = builder.unit_id(unit);
        let period = builder.period_id(period);
        builder.rows.push(super::Row { unit, period, line });
        builder.compact_if_repeated(report_duplicates);
    }

    /// Reads the row's indicator and population cells into `builder`'s
    /// columns (while it keeps values), their errors into `errors`.
    #[inline(always)]
    fn add_cells(
        &self,
        builder: &mut Builder,
        errors: &mut Vec<DataError>,
        record: &csv::ByteRecord,
        place: &Place,
    ) {
        let columns = &self.columns;
        if builder.keeps_values() {
            // The hot loop: 46 million cells in a million-row file. Plain numbers
            // take the inlined fast path; anything else goes through `cell`.
            for (&column, values) in columns.indicators.iter().zip(&mut builder.values) {
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
            if builder.keeps_values()
                && let Some(population) = builder.population.as_mut()
            {
                population.push(value);
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
            if column.len() == rows {
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
