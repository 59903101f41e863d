//! Long form: `<unit>,<period>,indicator,value`, one row per cell.
//!
//! A per-row variable such as the population is given as rows whose indicator
//! is its column name.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use super::intern::{FxBuild, Spellings, normalize, normalize_label, normalize_period};
use super::number::{Commas, parse_cell_in};
use super::{Builder, CellLines, Panel, Reading, Row, field_text};
use crate::definition::Definition;
use crate::error::{DataError, Error, Location, echo};

mod names;

use names::{IndicatorSpellings, Unknown};

const INDICATOR: &str = "indicator";
const VALUE: &str = "value";

/// True when the header is `<unit>,<period>,indicator,value` (in any order)
/// and names no indicator of the definition as a column.
pub(super) fn is_long_form(header: &[String], definition: &Definition) -> bool {
    let cells: HashSet<&str> = header.iter().map(String::as_str).collect();
    let has = |name: &str| cells.contains(name) || cells.contains(normalize_label(name).as_ref());
    has(&definition.columns.unit)
        && has(&definition.columns.period)
        && has(INDICATOR)
        && has(VALUE)
        && !definition.indicators().any(|(_, i)| has(&i.id))
}

/// True when the header cell (already folded) names the column `wanted`,
/// which the definition may spell with full-width or invisible characters.
fn names(cell: &str, wanted: &str) -> bool {
    cell == wanted || cell == normalize_label(wanted)
}

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
        ..
    } = reading;
    check_key_columns(header, name, definition)?;
    let layout = Layout::new(header, name, definition, commas);
    let count = layout.ids.len();
    let builder = Builder::new(name, count, layout.population_name.is_some(), options)
        .with_labels(layout.label_columns.len());
    let mut state = State::new(builder, definition, count);
    let mut record = csv::ByteRecord::new();
    loop {
        match super::read_record(&mut csv, &mut record, guard, name) {
            Ok(true) => layout.add_row(&mut state, &record),
            Ok(false) => break,
            Err(error) => {
                state.builder.error(error);
                break;
            }
        }
    }
    state.finish(definition, name, count)
}

/// What every long-form record is read against.
struct Layout<'a> {
    name: &'a str,
    definition: &'a Definition,
    commas: Commas,
    /// The unit, period, `indicator` and `value` columns.
    key_columns: [usize; 4],
    width: usize,
    /// Each indicator's position, by its name as matched.
    ids: HashMap<String, usize>,
    /// The population's name as matched, when the definition has one.
    population_name: Option<String>,
    /// The `[data] groups` and `code` columns.
    label_columns: Vec<usize>,
}

/// What the records read so far have built.
struct State<'a> {
    builder: Builder,
    /// Cells as they come, (row, target, value, line), with POPULATION as the
    /// target of a population cell; dense columns are built once the number
    /// of rows is known, and only when the panel is not mostly empty.
    cells: Vec<(u32, u32, f64, u64)>,
    /// Counted apart from `cells`, which is let go once scoring has failed.
    present: usize,
    has_rows: Vec<bool>,
    first_line: HashMap<(u32, u32), u64, FxBuild>,
    row_of: HashMap<(u32, u32), usize, FxBuild>,
    unknown: Unknown<'a>,
    // Names are merged as they are read; the wide form's warning about
    // names spelt two ways is given from these.
    unit_spellings: Spellings,
    period_spellings: Spellings,
    indicator_spellings: IndicatorSpellings,
    /// For each label column, the line each row's text was read on.
    label_lines: Vec<Vec<u64>>,
}

impl<'a> Layout<'a> {
    fn new(
        header: &[String],
        name: &'a str,
        definition: &'a Definition,
        commas: Commas,
    ) -> Layout<'a> {
        let column = |wanted: &str| header.iter().position(|h| names(h, wanted)).unwrap_or(0);
        let key_columns = [
            column(&definition.columns.unit),
            column(&definition.columns.period),
            column(INDICATOR),
            column(VALUE),
        ];
        // Indicator names are matched as wide-form headers are (full-width
        // letters, invisible characters, Unicode normalisation), so that the two
        // forms of one file read the same.
        let ids: HashMap<String, usize> = definition
            .indicators()
            .enumerate()
            .map(|(i, (_, indicator))| (normalize_label(&indicator.id).into_owned(), i))
            .collect();
        let population_name = definition
            .columns
            .population
            .as_deref()
            .map(|name| normalize_label(name).into_owned());
        Layout {
            name,
            definition,
            commas,
            key_columns,
            width: header.len(),
            ids,
            population_name,
            label_columns: definition
                .columns
                .labels()
                .map(|wanted| header.iter().position(|h| names(h, wanted)).unwrap_or(0))
                .collect(),
        }
    }

    /// The record's unit, period, indicator and value, trimmed; `None`
    /// (with the errors given to `builder`) when one cannot be read or a key
    /// is empty.
    fn keys<'r>(
        &self,
        builder: &mut Builder,
        record: &'r csv::ByteRecord,
        line: u64,
    ) -> Option<[&'r str; 4]> {
        let name = self.name;
        // Borrowed from the record: a cell costs no allocation for its keys.
        let mut texts = [""; 4];
        let mut readable = true;
        for (text, &column) in texts.iter_mut().zip(&self.key_columns) {
            match field_text(&record[column], name, line, column + 1) {
                Ok(field) => *text = field.trim(),
                Err(error) => {
                    builder.error(error);
                    readable = false;
                }
            }
        }
        if !readable {
            return None;
        }
        let columns = &self.definition.columns;
        let mut empty_key = false;
        for (text, column, label) in [
            (&texts[0], self.key_columns[0], columns.unit.as_str()),
            (&texts[1], self.key_columns[1], columns.period.as_str()),
            (&texts[2], self.key_columns[2], INDICATOR),
        ] {
            if text.is_empty() {
                builder.error(DataError::EmptyKey {
                    at: Location::cell(name, line, column + 1),
                    column: label.to_string(),
                });
                empty_key = true;
            }
        }
        (!empty_key).then_some(texts)
    }

    /// Adds one data record (a cell) to the panel being built, or its
    /// errors to the builder.
    fn add_row(&self, state: &mut State, record: &csv::ByteRecord) {
        let name = self.name;
        let line = record.position().map_or(0, |p| p.line());
        match super::shape(record, name, line, self.width) {
            super::Shape::Blank => return,
            super::Shape::Ragged(error) => {
                state.builder.error(*error);
                return;
            }
            super::Shape::Fits => {}
        }
        let Some([unit, period, indicator, value]) = self.keys(&mut state.builder, record, line)
        else {
            return;
        };
        let row = state.row(unit, period, line);
        self.add_labels(state, record, row as usize, line, (unit, period));
        let indicator_normal = normalize_label(indicator);
        let target = match self.ids.get(indicator_normal.as_ref()) {
            Some(&i) => i as u32,
            None if self.population_name.as_deref() == Some(indicator_normal.as_ref()) => {
                POPULATION
            }
            None => {
                let builder = &mut state.builder;
                state
                    .unknown
                    .note(&indicator_normal, line, name, &mut builder.warnings);
                return;
            }
        };
        state
            .indicator_spellings
            .note(target, indicator, &indicator_normal);
        let indicator = indicator_normal;
        if value.contains('\n') {
            state
                .builder
                .error(super::unclosed_quote(value, name, line));
            return;
        }
        let parsed = match parse_cell_in(value, self.commas) {
            Ok(v) => v.unwrap_or(f64::NAN),
            Err(reason) => {
                state.builder.error(DataError::NotANumber {
                    at: Location::cell(name, line, self.key_columns[3] + 1),
                    column: indicator.to_string(),
                    unit: unit.to_string(),
                    period: period.to_string(),
                    text: echo(value),
                    reason,
                });
                super::UNREADABLE
            }
        };
        let cell = Cell {
            row,
            target,
            value: parsed,
            line,
        };
        state.add_cell(name, cell, unit, period, &indicator);
    }
}

impl Layout<'_> {
    /// Reads the row's label cells on this line: the first non-blank text
    /// of each is the row's; a different text on a later line is an error.
    fn add_labels(
        &self,
        state: &mut State,
        record: &csv::ByteRecord,
        row: usize,
        line: u64,
        (unit, period): (&str, &str),
    ) {
        let name = self.name;
        for (i, &column) in self.label_columns.iter().enumerate() {
            let id = match field_text(&record[column], name, line, column + 1) {
                Ok(text) => state.builder.labels[i].id(text),
                Err(error) => {
                    state.builder.error(error);
                    continue;
                }
            };
            let labels = &mut state.builder.labels[i];
            if labels.ids.len() <= row {
                labels.ids.resize(row + 1, super::NO_LABEL);
                state.label_lines[i].resize(row + 1, 0);
            }
            let first = labels.ids[row];
            if first == super::NO_LABEL {
                labels.ids[row] = id;
                state.label_lines[i][row] = line;
            } else if id != super::NO_LABEL && id != first {
                let error = DataError::LabelConflict(Box::new(super::error::LabelConflict {
                    at: Location::cell(name, line, column + 1),
                    column: self
                        .definition
                        .columns
                        .labels()
                        .nth(i)
                        .unwrap_or_default()
                        .to_string(),
                    unit: unit.to_string(),
                    period: period.to_string(),
                    first: labels.text(first).to_string(),
                    other: labels.text(id).to_string(),
                    first_line: state.label_lines[i][row],
                }));
                state.builder.error(error);
            }
        }
    }
}

/// One cell read: its row, its target (an indicator, or [`POPULATION`]),
/// its value and its line.
struct Cell {
    row: u32,
    target: u32,
    value: f64,
    line: u64,
}

impl<'a> State<'a> {
    fn new(builder: Builder, definition: &'a Definition, count: usize) -> State<'a> {
        State {
            builder,
            cells: Vec::new(),
            present: 0,
            has_rows: vec![false; count],
            first_line: HashMap::default(),
            row_of: HashMap::default(),
            unknown: Unknown::new(definition),
            unit_spellings: Spellings::default(),
            period_spellings: Spellings::default(),
            indicator_spellings: IndicatorSpellings::default(),
            label_lines: vec![Vec::new(); definition.columns.labels().count()],
        }
    }

    /// The row of `unit` in `period`, added when new.
    ///
    /// The unit and period are the panel's whatever the indicator: a unit
    /// whose rows all name indicators the definition lacks (misspelt, say)
    /// is then a unit with missing values, as a wide row with those
    /// columns would be, and not a unit that silently vanishes.
    fn row(&mut self, unit: &str, period: &str, line: u64) -> u32 {
        let builder = &mut self.builder;
        let (unit_normal, period_normal) = (normalize(unit), normalize_period(period));
        let unit_id = builder.unit_id(&unit_normal);
        let period_id = builder.period_id(&period_normal);
        self.unit_spellings.note(unit_id, unit, &unit_normal);
        self.period_spellings
            .note(period_id, period, &period_normal);
        *self.row_of.entry((unit_id, period_id)).or_insert_with(|| {
            builder.rows.push(Row {
                unit: unit_id,
                period: period_id,
                line,
            });
            builder.rows.len() - 1
        }) as u32
    }

    /// Keeps a cell, or reports it as a repeat of one already read.
    fn add_cell(&mut self, name: &str, cell: Cell, unit: &str, period: &str, indicator: &str) {
        match self.first_line.entry((cell.row, cell.target)) {
            std::collections::hash_map::Entry::Occupied(first) => {
                self.builder.error(DataError::DuplicateRow {
                    at: Location::line(name, cell.line),
                    unit: unit.to_string(),
                    period: period.to_string(),
                    what: format!(", indicator `{}`", echo(indicator)),
                    first_line: *first.get(),
                });
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(cell.line);
                self.present += 1;
                if let Some(seen) = self.has_rows.get_mut(cell.target as usize) {
                    *seen = true;
                }
                if self.builder.keeps_values() {
                    self.cells
                        .push((cell.row, cell.target, cell.value, cell.line));
                } else if self.cells.capacity() > 0 {
                    // Scoring has failed: the values will not be used.
                    self.cells = Vec::new();
                }
            }
        }
    }

    /// Gives the warnings gathered while reading, checks that indicators
    /// have rows and that the panel is not mostly empty, then builds it.
    fn finish(self, definition: &Definition, name: &str, count: usize) -> Result<Panel, Error> {
        let State {
            mut builder,
            cells,
            present,
            has_rows,
            first_line,
            unknown,
            unit_spellings,
            period_spellings,
            indicator_spellings,
            ..
        } = self;
        drop(first_line);
        builder.spelt_two_ways("unit", &unit_spellings.pairs());
        builder.spelt_two_ways("period", &period_spellings.pairs());
        builder.spelt_two_ways("indicator", &indicator_spellings.pairs(definition));
        unknown.finish(name, &mut builder.warnings);
        check_indicator_rows(&mut builder, definition, name, &has_rows);

        let rows = builder.rows.len();
        if too_sparse(rows, count, present) {
            return Err(DataError::TooSparse {
                path: name.to_string(),
                rows,
                indicators: count,
                present,
            }
            .into());
        }
        let rows_read = builder.rows.len();
        for labels in &mut builder.labels {
            labels.ids.resize(rows_read, super::NO_LABEL);
        }
        let (lines, population_lines) = fill_columns(&mut builder, &cells);
        drop(cells);
        builder.finish(
            definition,
            CellLines::Long {
                lines,
                population: population_lines,
            },
        )
    }
}

/// An indicator with no row at all is the long form's missing column;
/// most of them, a file for another definition.
fn check_indicator_rows(
    builder: &mut Builder,
    definition: &Definition,
    name: &str,
    has_rows: &[bool],
) {
    let count = has_rows.len();
    let absent: Vec<String> = definition
        .indicators()
        .zip(has_rows)
        .filter(|(_, seen)| !**seen)
        .map(|((_, indicator), _)| indicator.id.clone())
        .collect();
    if super::columns::most_columns_absent(absent.len(), count) {
        builder.error(DataError::MissingIndicators {
            path: name.to_string(),
            indicators: absent,
            total: count,
            definition: definition.origin.clone(),
        });
    } else {
        for ((dimension, indicator), seen) in definition.indicators().zip(has_rows) {
            if !seen {
                builder.error(DataError::NoIndicatorRows {
                    path: name.to_string(),
                    indicator: indicator.id.clone(),
                    dimension: definition.dimensions[dimension].id.clone(),
                });
            }
        }
    }
}

/// The target of a population cell.
const POPULATION: u32 = u32::MAX;

/// True when dense columns for `rows` × `indicators` would be mostly empty
/// and large: more than a million cells and over eight times the cells
/// present. Such a file is for another definition, or its unit or period
/// column is not what it seems; building it would take memory out of all
/// proportion to the file.
fn too_sparse(rows: usize, indicators: usize, present: usize) -> bool {
    let dense = rows.saturating_mul(indicators);
    dense > 1 << 20 && dense / 8 > present
}

/// Fills the builder's dense columns from the cells; returns where each
/// indicator cell came from, sorted by row and indicator, and each row's
/// population line.
fn fill_columns(
    builder: &mut Builder,
    cells: &[(u32, u32, f64, u64)],
) -> (Vec<(u32, u32, u64)>, Vec<u64>) {
    let rows = builder.rows.len();
    for column in builder.values.iter_mut() {
        *column = vec![f64::NAN; rows];
    }
    if let Some(population) = builder.population.as_mut() {
        *population = vec![f64::NAN; rows];
    }
    let mut lines = Vec::with_capacity(cells.len());
    let mut population_lines = vec![0; rows];
    for &(row, target, value, line) in cells {
        if target == POPULATION {
            population_lines[row as usize] = line;
            if let Some(population) = builder.population.as_mut() {
                population[row as usize] = value;
            }
        } else {
            builder.values[target as usize][row as usize] = value;
            lines.push((row, target, line));
        }
    }
    lines.sort_unstable();
    (lines, population_lines)
}

/// The unit, period, `indicator` and `value` columns must each appear once:
/// with two `value` columns, which one holds the values is a guess.
fn check_key_columns(header: &[String], name: &str, definition: &Definition) -> Result<(), Error> {
    let mut errors: Vec<DataError> = super::population_is_key(definition, name)
        .into_iter()
        .collect();
    for wanted in [
        definition.columns.unit.as_str(),
        definition.columns.period.as_str(),
        INDICATOR,
        VALUE,
    ] {
        let mut at = header
            .iter()
            .enumerate()
            .filter(|(_, h)| names(h, wanted))
            .map(|(i, _)| i + 1);
        let first = at.next().unwrap_or(0);
        for again in at {
            errors.push(DataError::DuplicateColumn {
                at: Location::cell(name, 1, again),
                column: wanted.to_string(),
                first,
            });
        }
    }
    let groups = definition.columns.groups.len();
    for (i, wanted) in definition.columns.labels().enumerate() {
        if names(wanted, INDICATOR) || names(wanted, VALUE) {
            // The long form's own columns: the indicator names or the values
            // would be read as areas.
            errors.push(DataError::LabelIsLongColumn {
                path: name.to_string(),
                column: wanted.to_string(),
                setting: if i < groups { "groups" } else { "code" },
            });
            continue;
        }
        if !header.iter().any(|h| names(h, wanted)) {
            let role = definition.columns.label_role(i);
            errors.push(DataError::MissingColumn {
                path: name.to_string(),
                column: wanted.to_string(),
                role: role.into(),
                suggestion: None,
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Data(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_panels_are_refused_dense_ones_are_not() {
        assert!(!too_sparse(100, 46, 100 * 46));
        assert!(!too_sparse(1000, 1000, 1000));
        assert!(too_sparse(40_000, 2_000, 40_000));
        assert!(!too_sparse(40_000, 2_000, 40_000 * 2_000 / 4));
    }
}
