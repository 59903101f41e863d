//! Long form: `<unit>,<period>,indicator,value`, one row per cell.
//!
//! A per-row variable such as the population is given as rows whose indicator
//! is its column name.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use super::intern::{Spellings, normalize, normalize_label, normalize_period};
use super::number::parse_cell_in;
use super::{Builder, CellLines, Panel, Reading, Row, Suggester, field_text};
use crate::definition::Definition;
use crate::error::{DataError, Error, Location, Problem, echo};

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
    } = reading;
    check_key_columns(header, name, definition)?;
    let column = |wanted: &str| header.iter().position(|h| names(h, wanted)).unwrap_or(0);
    let (unit_column, period_column) = (
        column(&definition.columns.unit),
        column(&definition.columns.period),
    );
    let (indicator_column, value_column) = (column(INDICATOR), column(VALUE));
    let key_columns = [unit_column, period_column, indicator_column, value_column];
    let width = header.len();

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
    let count = ids.len();
    let mut builder = Builder::new(name, count, population_name.is_some(), options);
    // Cells as they come, (row, target, value, line), with POPULATION as the
    // target of a population cell; dense columns are built once the number
    // of rows is known, and only when the panel is not mostly empty.
    let mut cells: Vec<(u32, u32, f64, u64)> = Vec::new();
    // Counted apart from `cells`, which is let go once scoring has failed.
    let mut present = 0;
    let mut has_rows = vec![false; count];
    let mut first_line: HashMap<(u32, u32), u64> = HashMap::new();
    let mut row_of: HashMap<(u32, u32), usize> = HashMap::new();
    let mut unknown = Unknown::new(definition);
    // Names are merged as they are read; the wide form's warning about
    // names spelt two ways is given from these.
    let (mut unit_spellings, mut period_spellings) = (Spellings::default(), Spellings::default());
    let mut indicator_spellings = IndicatorSpellings::default();

    let mut record = csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => match guard.after(&csv) {
                Ok(()) => {}
                Err(error) => {
                    let line = record.position().map_or(0, |p| p.line());
                    builder.error(super::csv_error(name, &error, line, guard.max));
                    break;
                }
            },
            Ok(false) => break,
            Err(error) => {
                let line = record.position().map_or(0, |p| p.line());
                builder.error(super::csv_error(name, &error, line, guard.max));
                break;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        let surplus_is_blank = record.iter().skip(width).all(|f| f.trim_ascii().is_empty());
        if record.len() < width || !surplus_is_blank {
            builder.error(super::ragged_or_unclosed(&record, name, line, width));
            continue;
        }
        let mut texts = Vec::with_capacity(4);
        for &column in &key_columns {
            match field_text(&record[column], name, line, column + 1) {
                Ok(text) => texts.push(text.trim().to_string()),
                Err(error) => builder.error(error),
            }
        }
        let [unit, period, indicator, value] = match <[String; 4]>::try_from(texts) {
            Ok(texts) => texts,
            Err(_) => continue,
        };
        let mut empty_key = false;
        for (text, column, label) in [
            (&unit, unit_column, definition.columns.unit.as_str()),
            (&period, period_column, definition.columns.period.as_str()),
            (&indicator, indicator_column, INDICATOR),
        ] {
            if text.is_empty() {
                builder.error(DataError::EmptyKey {
                    at: Location::cell(name, line, column + 1),
                    column: label.to_string(),
                });
                empty_key = true;
            }
        }
        if empty_key {
            continue;
        }

        // The unit and period are the panel's whatever the indicator: a unit
        // whose rows all name indicators the definition lacks (misspelt, say)
        // is then a unit with missing values, as a wide row with those
        // columns would be, and not a unit that silently vanishes.
        let (unit_normal, period_normal) = (normalize(&unit), normalize_period(&period));
        let unit_id = builder.unit_id(&unit_normal);
        let period_id = builder.period_id(&period_normal);
        unit_spellings.note(unit_id, &unit, &unit_normal);
        period_spellings.note(period_id, &period, &period_normal);
        let row = *row_of.entry((unit_id, period_id)).or_insert_with(|| {
            builder.rows.push(Row {
                unit: unit_id,
                period: period_id,
                line,
            });
            builder.rows.len() - 1
        }) as u32;

        let indicator_normal = normalize_label(&indicator);
        let target = match ids.get(indicator_normal.as_ref()) {
            Some(&i) => i as u32,
            None if population_name.as_deref() == Some(indicator_normal.as_ref()) => POPULATION,
            None => {
                unknown.note(&indicator_normal, line, name, &mut builder.warnings);
                continue;
            }
        };
        indicator_spellings.note(target, &indicator, &indicator_normal);
        let indicator = indicator_normal.into_owned();
        if value.contains('\n') {
            builder.error(super::unclosed_quote(&value, name, line));
            continue;
        }
        let parsed = match parse_cell_in(&value, commas) {
            Ok(v) => v.unwrap_or(f64::NAN),
            Err(reason) => {
                builder.error(DataError::NotANumber {
                    at: Location::cell(name, line, value_column + 1),
                    column: indicator.clone(),
                    unit: unit.clone(),
                    period: period.clone(),
                    text: echo(&value),
                    reason,
                });
                super::UNREADABLE
            }
        };

        match first_line.entry((row, target)) {
            std::collections::hash_map::Entry::Occupied(first) => {
                builder.error(DataError::DuplicateRow {
                    at: Location::line(name, line),
                    unit,
                    period,
                    what: format!(", indicator `{}`", echo(&indicator)),
                    first_line: *first.get(),
                });
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(line);
                present += 1;
                if let Some(seen) = has_rows.get_mut(target as usize) {
                    *seen = true;
                }
                if builder.keeps_values() {
                    cells.push((row, target, parsed, line));
                } else if cells.capacity() > 0 {
                    // Scoring has failed: the values will not be used.
                    cells = Vec::new();
                }
            }
        }
    }
    drop(first_line);
    builder.spelt_two_ways("unit", &unit_spellings.pairs());
    builder.spelt_two_ways("period", &period_spellings.pairs());
    builder.spelt_two_ways("indicator", &indicator_spellings.pairs(definition));
    unknown.finish(name, &mut builder.warnings);

    // An indicator with no row at all is the long form's missing column;
    // most of them, a file for another definition.
    let absent: Vec<String> = definition
        .indicators()
        .zip(&has_rows)
        .filter(|(_, seen)| !**seen)
        .map(|((_, indicator), _)| indicator.id.clone())
        .collect();
    if super::wide::most_columns_absent(absent.len(), count) {
        builder.error(DataError::MissingIndicators {
            path: name.to_string(),
            indicators: absent,
            total: count,
            definition: definition.origin.clone(),
        });
    } else {
        for ((dimension, indicator), seen) in definition.indicators().zip(&has_rows) {
            if !seen {
                builder.error(DataError::NoIndicatorRows {
                    path: name.to_string(),
                    indicator: indicator.id.clone(),
                    dimension: definition.dimensions[dimension].id.clone(),
                });
            }
        }
    }

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

/// Indicator names that are not in the definition: a warning for each of
/// the first [`UNKNOWN_LISTED`], with a "did you mean" where one is close,
/// and a count of the rest.
struct Unknown<'a> {
    seen: HashSet<String>,
    suggester: Suggester<'a>,
    more: usize,
}

/// Unknown indicator names warned about one by one.
const UNKNOWN_LISTED: usize = 20;

impl<'a> Unknown<'a> {
    fn new(definition: &'a Definition) -> Unknown<'a> {
        Unknown {
            seen: HashSet::new(),
            suggester: Suggester::new(definition.indicators().map(|(_, i)| i.id.as_str())),
            more: 0,
        }
    }

    /// Notes `indicator` (as compared), found on `line`.
    fn note(&mut self, indicator: &str, line: u64, name: &str, warnings: &mut Vec<Problem>) {
        if self.seen.contains(indicator) {
            return;
        }
        if self.seen.len() >= UNKNOWN_LISTED {
            // Past the listed ones, only a count: a file of another
            // definition's indicators needs no thousand warnings.
            if self.seen.len() < UNKNOWN_SEEN {
                self.seen.insert(indicator.to_string());
                self.more += 1;
            }
            return;
        }
        self.seen.insert(indicator.to_string());
        let hint = match self.suggester.suggest(indicator) {
            Some(id) => {
                format!("did you mean `{id}`? check its spelling against the indicator ids")
            }
            None => "check its spelling against the indicator ids".to_string(),
        };
        warnings.push(
            Problem::warning(
                Location::line(name, line).to_string(),
                format!(
                    "indicator `{}` is not in the definition and is ignored",
                    echo(indicator)
                ),
            )
            .with_hint(hint),
        );
    }

    /// The count of the names not listed, if any.
    fn finish(self, name: &str, warnings: &mut Vec<Problem>) {
        if self.more == 0 {
            return;
        }
        let at_least = if self.seen.len() >= UNKNOWN_SEEN {
            "at least "
        } else {
            ""
        };
        warnings.push(
            Problem::warning(
                name.to_string(),
                format!(
                    "{at_least}{} more indicator names are not in the definition and are ignored",
                    self.more
                ),
            )
            .with_hint("check that the definition (--config) is the one for this file"),
        );
    }
}

/// The most unknown indicator names remembered (to count each once).
const UNKNOWN_SEEN: usize = 100_000;

/// Indicator names spelt otherwise than their id (`ｘ１` for `x1`), each
/// pair once, in order of appearance; at most 20 are kept, as at most 20
/// are shown.
#[derive(Default)]
struct IndicatorSpellings {
    seen: Vec<(u32, String)>,
}

impl IndicatorSpellings {
    /// Notes that the indicator (or population) `target` was spelt `spelt`,
    /// which reads as `normal`.
    fn note(&mut self, target: u32, spelt: &str, normal: &str) {
        if spelt != normal
            && self.seen.len() < 20
            && !self.seen.iter().any(|(t, s)| *t == target && s == spelt)
        {
            self.seen.push((target, spelt.to_string()));
        }
    }

    /// (the id, the other spelling).
    fn pairs(self, definition: &Definition) -> Vec<(String, String)> {
        let ids: Vec<&str> = definition
            .indicators()
            .map(|(_, i)| i.id.as_str())
            .collect();
        self.seen
            .into_iter()
            .map(|(target, spelt)| {
                let id = ids
                    .get(target as usize)
                    .copied()
                    .or(definition.columns.population.as_deref())
                    .unwrap_or_default();
                (id.to_string(), spelt)
            })
            .collect()
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
