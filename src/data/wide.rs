//! Wide form: one row per unit and period, one column per indicator.

use std::collections::HashMap;
use std::io::Read;

use super::intern::FxBuild;
use super::number::{parse_cell, parse_plain};
use super::{Builder, CellLines, Panel, Reading, field_text};
use crate::definition::Definition;
use crate::error::{DataError, Error, Location, Problem, echo};

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
    } = reading;
    let columns = Columns::find(header, name, definition)?;
    let mut builder = Builder::new(
        name,
        columns.indicators.len(),
        columns.population.is_some(),
        options,
    );
    builder.warnings = columns.ignored_warnings(header, name);
    let layout = Layout {
        columns,
        header,
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
            name,
            unit_name,
            period_name,
        } = self;
        let width = header.len();
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            return; // a blank row, as spreadsheets leave behind
        }
        // By index: the record's iterator would step through every field to skip them.
        let surplus_is_blank = (width..record.len()).all(|i| record[i].trim_ascii().is_empty());
        if record.len() < width || !surplus_is_blank {
            builder.error(super::ragged_or_unclosed(record, name, line, width));
            return;
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

        // The hot loop: 46 million cells in a million-row file. Plain numbers
        // take the inlined fast path; anything else goes through `cell`.
        for (&column, values) in columns.indicators.iter().zip(&mut builder.values) {
            let bytes = &record[column];
            let value = match parse_plain(bytes) {
                Some(value) => value,
                None => {
                    cell(bytes, name, line, column, header, unit, period).unwrap_or_else(|error| {
                        errors.push(error);
                        super::UNREADABLE
                    })
                }
            };
            values.push(value);
        }
        if let Some(column) = columns.population {
            let value = cell(&record[column], name, line, column, header, unit, period)
                .unwrap_or_else(|error| {
                    errors.push(error);
                    f64::NAN
                });
            if let Some(population) = builder.population.as_mut() {
                population.push(value);
            }
        }
        // Errors wait here while `builder.values` is borrowed; they are few.
        for error in errors.drain(..) {
            builder.error(error);
        }
        let unit = builder.unit_id(unit);
        let period = builder.period_id(period);
        builder.rows.push(super::Row { unit, period, line });
    }
}

/// One indicator or population cell → its value (NaN when missing).
#[inline(never)]
fn cell(
    bytes: &[u8],
    name: &str,
    line: u64,
    column: usize,
    header: &[String],
    unit: &str,
    period: &str,
) -> Result<f64, DataError> {
    // Plain numbers, nearly every cell, skip the UTF-8 check and the general parser.
    if let Some(value) = parse_plain(bytes) {
        return Ok(value);
    }
    let text = field_text(bytes, name, line, column + 1)?;
    if text.contains('\n') {
        // Not a number, and a quote left open swallowed the lines after it.
        return Err(super::unclosed_quote(text, name, line));
    }
    match parse_cell(text) {
        Ok(value) => Ok(value.unwrap_or(f64::NAN)),
        Err(reason) => Err(DataError::NotANumber {
            at: Location::cell(name, line, column + 1),
            column: header[column].clone(),
            unit: unit.to_string(),
            period: period.to_string(),
            text: echo(text.trim()),
            reason: reason.to_string(),
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
    let dense = builder
        .units
        .names
        .len()
        .checked_mul(periods)
        .filter(|&cells| cells <= 4 * builder.rows.len().max(1024));
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
        let mut kept = keep.iter().copied();
        builder.rows.retain(|_| kept.next().unwrap_or(true));
        for column in builder.values.iter_mut().chain(builder.population.as_mut()) {
            let mut kept = keep.iter().copied();
            column.retain(|_| kept.next().unwrap_or(true));
        }
    }
}

/// Up to this many absent indicator columns get a message each.
const MISSING_COLUMNS_LISTED: usize = 5;

/// Positions (from 0) of the columns the definition needs.
struct Columns {
    unit: usize,
    period: usize,
    population: Option<usize>,
    indicators: Vec<usize>,
}

impl Columns {
    fn find(header: &[String], name: &str, definition: &Definition) -> Result<Columns, Error> {
        let mut errors = Vec::new();
        let mut position: HashMap<&str, usize> = HashMap::new();
        for (i, cell) in header.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            if let Some(&first) = position.get(cell.as_str()) {
                errors.push(DataError::DuplicateColumn {
                    at: Location::cell(name, 1, i + 1),
                    column: cell.clone(),
                    first: first + 1,
                });
            } else {
                position.insert(cell, i);
            }
        }
        if let Some(error) = super::population_is_key(definition, name) {
            errors.push(error);
        }
        let wanted = super::wanted_columns(definition);
        let unwanted: Vec<&str> = header
            .iter()
            .map(String::as_str)
            .filter(|cell| !cell.is_empty() && !wanted.contains(cell))
            .collect();
        let mut need = |column: &str, role: String| -> Option<usize> {
            let found = position
                .get(column)
                .or_else(|| position.get(super::intern::normalize(column).as_ref()))
                .copied();
            if found.is_none() {
                errors.push(DataError::MissingColumn {
                    path: name.to_string(),
                    column: column.to_string(),
                    role,
                    suggestion: super::suggest(column, &unwanted).map(str::to_string),
                });
            }
            found
        };
        let unit = need(&definition.columns.unit, "the unit ([data] unit)".into());
        let period = need(
            &definition.columns.period,
            "the period ([data] period)".into(),
        );
        let indicators: Vec<Option<usize>> = definition
            .dimensions
            .iter()
            .flat_map(|d| {
                d.indicators.iter().map(move |i| {
                    (
                        i.id.clone(),
                        format!("indicator `{}` of dimension `{}`", i.id, d.id),
                    )
                })
            })
            .map(|(id, role)| need(&id, role))
            .collect();
        let population = match &definition.columns.population {
            Some(column) if definition.method.total == crate::definition::Total::Population => {
                need(
                    column,
                    "the population ([data] population, needed by total = \"population\")".into(),
                )
            }
            Some(column) => position.get(column.as_str()).copied(),
            None => None,
        };
        // Duplicate names matter only where kmgov reads the column.
        let used: Vec<usize> = [unit, period, population]
            .into_iter()
            .chain(indicators.iter().copied())
            .flatten()
            .collect();
        errors.retain(|error| match error {
            DataError::DuplicateColumn { first, .. } => used.contains(&(first - 1)),
            _ => true,
        });
        // A file made for another definition misses most columns: one message, not forty.
        let absent: Vec<String> = definition
            .indicators()
            .zip(&indicators)
            .filter(|(_, found)| found.is_none())
            .map(|((_, indicator), _)| indicator.id.clone())
            .collect();
        if absent.len() > MISSING_COLUMNS_LISTED {
            errors.retain(|error| {
                !matches!(error, DataError::MissingColumn { column, .. } if absent.contains(column))
            });
            errors.push(DataError::MissingColumns {
                path: name.to_string(),
                columns: absent,
                total: definition.indicator_count(),
                definition: definition.origin.clone(),
            });
        }
        match (
            unit,
            period,
            indicators.iter().copied().collect::<Option<Vec<usize>>>(),
        ) {
            (Some(unit), Some(period), Some(indicators)) if errors.is_empty() => Ok(Columns {
                unit,
                period,
                population,
                indicators,
            }),
            _ => Err(Error::Data(errors)),
        }
    }

    fn ignored_warnings(&self, header: &[String], name: &str) -> Vec<Problem> {
        let used: Vec<usize> = [Some(self.unit), Some(self.period), self.population]
            .into_iter()
            .flatten()
            .chain(self.indicators.iter().copied())
            .collect();
        header
            .iter()
            .enumerate()
            .filter(|(i, cell)| !used.contains(i) && !cell.is_empty())
            .map(|(i, cell)| {
                Problem::warning(
                    Location::cell(name, 1, i + 1).to_string(),
                    format!("column `{cell}` is not an indicator of the definition and is ignored"),
                )
                .with_hint("check its spelling against the indicator ids, or remove the column")
            })
            .collect()
    }
}
