//! Wide form: one row per unit and period, one column per indicator.

use std::collections::HashMap;
use std::io::Read;

use super::intern::FxBuild;
use super::number::{Commas, parse_cell_in, parse_plain};
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
        commas,
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
                let value = match parse_plain(bytes) {
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
    if let Some(value) = parse_plain(bytes) {
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
    }
}

/// True when so many indicator columns are absent that the file is for
/// another definition: more than half of them (and at least two), or more
/// than [`MISSING_COLUMNS_LISTED`] whatever the share. Then one message says
/// that the data and the definition do not match, rather than one per column.
pub(super) fn most_columns_absent(absent: usize, total: usize) -> bool {
    (absent >= 2 && absent * 2 > total) || absent > MISSING_COLUMNS_LISTED
}

/// The most absent indicator columns that get a message each.
const MISSING_COLUMNS_LISTED: usize = 200;

/// Positions (from 0) of the columns the definition needs.
struct Columns {
    unit: usize,
    period: usize,
    population: Option<usize>,
    indicators: Vec<usize>,
}

impl Columns {
    fn find(header: &[String], name: &str, definition: &Definition) -> Result<Columns, Error> {
        let (position, mut duplicates) = header_positions(header, name);
        let mut errors = Vec::new();
        if let Some(error) = super::population_is_key(definition, name) {
            errors.push(error);
        }
        // A definition's names are matched as the header's are folded.
        let find = |column: &str| -> Option<usize> {
            position
                .get(column)
                .or_else(|| position.get(super::intern::normalize_label(column).as_ref()))
                .copied()
        };
        let found = Found {
            unit: find(&definition.columns.unit),
            period: find(&definition.columns.period),
            indicators: definition
                .indicators()
                .map(|(_, indicator)| find(&indicator.id))
                .collect(),
            population: definition.columns.population.as_deref().and_then(find),
        };
        let taken = found.taken(header.len());
        errors.extend(found.missing(header, &taken, name, definition));
        // Duplicate names matter only where kmgov reads the column.
        duplicates.retain(|error| match error {
            DataError::DuplicateColumn { first, .. } => taken[first - 1],
            _ => true,
        });
        duplicates.append(&mut errors);
        let errors = duplicates;
        let Found {
            unit,
            period,
            population,
            indicators,
        } = found;
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

    /// A warning for each header column the definition does not read, up
    /// to [`IGNORED_LISTED`], then one with the count of the rest.
    fn ignored_warnings(&self, header: &[String], name: &str) -> Vec<Problem> {
        let mut used = vec![false; header.len()];
        for i in [Some(self.unit), Some(self.period), self.population]
            .into_iter()
            .flatten()
            .chain(self.indicators.iter().copied())
        {
            used[i] = true;
        }
        let mut ignored = header
            .iter()
            .enumerate()
            .filter(|&(i, cell)| !used[i] && !cell.is_empty());
        let mut warnings: Vec<Problem> = ignored
            .by_ref()
            .take(IGNORED_LISTED)
            .map(|(i, cell)| {
                Problem::warning(
                    Location::cell(name, 1, i + 1).to_string(),
                    format!(
                        "column `{}` is not an indicator of the definition and is ignored",
                        echo(cell)
                    ),
                )
                .with_hint("check its spelling against the indicator ids, or remove the column")
            })
            .collect();
        let more = ignored.count();
        if more > 0 {
            warnings.push(
                Problem::warning(
                    name.to_string(),
                    format!(
                        "{more} more columns are not indicators of the definition and are ignored"
                    ),
                )
                .with_hint("check that the definition (--config) is the one for this file"),
            );
        }
        warnings
    }
}

/// Each header cell's position (the first, for a name written twice), and
/// an error for each name written again.
fn header_positions<'h>(
    header: &'h [String],
    name: &str,
) -> (HashMap<&'h str, usize>, Vec<DataError>) {
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(header.len());
    let mut duplicates = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        if cell.is_empty() {
            continue;
        }
        if let Some(&first) = position.get(cell.as_str()) {
            duplicates.push(DataError::DuplicateColumn {
                at: Location::cell(name, 1, i + 1),
                column: cell.clone(),
                first: first + 1,
            });
        } else {
            position.insert(cell, i);
        }
    }
    (position, duplicates)
}

/// Where the definition's columns were found in the header, if they were.
struct Found {
    unit: Option<usize>,
    period: Option<usize>,
    indicators: Vec<Option<usize>>,
    population: Option<usize>,
}

impl Found {
    /// For each header cell, whether a column of the definition took it.
    fn taken(&self, width: usize) -> Vec<bool> {
        let mut taken = vec![false; width];
        for found in [self.unit, self.period, self.population]
            .into_iter()
            .chain(self.indicators.iter().copied())
            .flatten()
        {
            taken[found] = true;
        }
        taken
    }

    /// An error for each column the definition needs and the header lacks,
    /// suggesting one of the header cells no column took.
    fn missing(
        &self,
        header: &[String],
        taken: &[bool],
        name: &str,
        definition: &Definition,
    ) -> Vec<DataError> {
        let mut errors = Vec::new();
        let population_needed = definition.columns.population.is_some()
            && definition.method.total == crate::definition::Total::Population;
        let mut suggester = super::Suggester::new(
            header
                .iter()
                .zip(taken)
                .filter(|(cell, taken)| !**taken && !cell.is_empty())
                .map(|(cell, _)| cell.as_str()),
        );
        let mut missing = |column: &str, role: String| DataError::MissingColumn {
            path: name.to_string(),
            column: column.to_string(),
            role,
            suggestion: suggester.suggest(column).map(str::to_string),
        };
        if self.unit.is_none() {
            errors.push(missing(
                &definition.columns.unit,
                "the unit ([data] unit)".into(),
            ));
        }
        if self.period.is_none() {
            errors.push(missing(
                &definition.columns.period,
                "the period ([data] period)".into(),
            ));
        }
        let absent: Vec<String> = definition
            .indicators()
            .zip(&self.indicators)
            .filter(|(_, found)| found.is_none())
            .map(|((_, indicator), _)| indicator.id.clone())
            .collect();
        if most_columns_absent(absent.len(), self.indicators.len()) {
            // A file made for another definition: one message, not forty.
            errors.push(DataError::MissingColumns {
                path: name.to_string(),
                columns: absent,
                total: definition.indicator_count(),
                definition: definition.origin.clone(),
            });
        } else {
            for ((dimension, indicator), found) in definition.indicators().zip(&self.indicators) {
                if found.is_none() {
                    let role = format!(
                        "indicator `{}` of dimension `{}`",
                        indicator.id, definition.dimensions[dimension].id
                    );
                    errors.push(missing(&indicator.id, role));
                }
            }
        }
        if self.population.is_none()
            && population_needed
            && let Some(column) = &definition.columns.population
        {
            errors.push(missing(
                column,
                "the population ([data] population, needed by total = \"population\")".into(),
            ));
        }
        errors
    }
}

/// Ignored header columns warned about one by one.
const IGNORED_LISTED: usize = 20;
