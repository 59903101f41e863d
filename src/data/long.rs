//! Long form: `<unit>,<period>,indicator,value`, one row per cell.
//!
//! A per-row variable such as the population is given as rows whose indicator
//! is its column name.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use super::number::parse_cell;
use super::{Builder, CellLines, Panel, ReadOptions, Row, field_text};
use crate::definition::Definition;
use crate::error::{DataError, Error, Location, Problem};

const INDICATOR: &str = "indicator";
const VALUE: &str = "value";

/// True when the header is `<unit>,<period>,indicator,value` (in any order)
/// and names no indicator of the definition as a column.
pub(super) fn is_long_form(header: &[String], definition: &Definition) -> bool {
    let has = |name: &str| header.iter().any(|h| h == name);
    has(&definition.columns.unit)
        && has(&definition.columns.period)
        && has(INDICATOR)
        && has(VALUE)
        && !definition.indicators().any(|(_, i)| has(&i.id))
}

pub(super) fn read(
    mut csv: csv::Reader<Box<dyn Read>>,
    header: &[String],
    name: &str,
    definition: &Definition,
    options: ReadOptions,
) -> Result<Panel, Error> {
    let column = |wanted: &str| header.iter().position(|h| h == wanted).unwrap_or(0);
    let (unit_column, period_column) = (
        column(&definition.columns.unit),
        column(&definition.columns.period),
    );
    let (indicator_column, value_column) = (column(INDICATOR), column(VALUE));
    let key_columns = [unit_column, period_column, indicator_column, value_column];
    let width = header.len();

    let ids: HashMap<&str, usize> = definition
        .indicators()
        .enumerate()
        .map(|(i, (_, indicator))| (indicator.id.as_str(), i))
        .collect();
    let population_name = definition.columns.population.as_deref();
    let count = ids.len();
    let mut builder = Builder::new(name, count, population_name.is_some(), options);
    let mut lines: Vec<Vec<u64>> = vec![Vec::new(); count];
    let mut population_lines: Vec<u64> = Vec::new();
    let mut row_of: HashMap<(u32, u32), usize> = HashMap::new();
    let mut unknown: HashSet<String> = HashSet::new();

    let mut record = csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                builder.error(super::csv_error(name, &error));
                break;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        let surplus_is_blank = record.iter().skip(width).all(|f| f.trim_ascii().is_empty());
        if record.len() < width || !surplus_is_blank {
            builder.error(DataError::Ragged {
                at: Location::line(name, line),
                expected: width,
                found: record.len(),
            });
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

        let target = match ids.get(indicator.as_str()) {
            Some(&i) => Some(i),
            None if Some(indicator.as_str()) == population_name => None,
            None => {
                if unknown.insert(indicator.clone()) {
                    builder.warnings.push(
                        Problem::warning(
                            Location::line(name, line).to_string(),
                            format!(
                                "indicator `{indicator}` is not in the definition and is ignored"
                            ),
                        )
                        .with_hint("check its spelling against the indicator ids"),
                    );
                }
                continue;
            }
        };
        let parsed = match parse_cell(&value) {
            Ok(v) => v.unwrap_or(f64::NAN),
            Err(reason) => {
                builder.error(DataError::NotANumber {
                    at: Location::cell(name, line, value_column + 1),
                    column: indicator.clone(),
                    unit: unit.clone(),
                    period: period.clone(),
                    text: value.clone(),
                    reason: reason.to_string(),
                });
                f64::NAN
            }
        };

        let unit_id = builder.unit_id(&unit);
        let period_id = builder.period_id(&period);
        let row = *row_of.entry((unit_id, period_id)).or_insert_with(|| {
            builder.rows.push(Row {
                unit: unit_id,
                period: period_id,
                line,
            });
            for column in builder.values.iter_mut() {
                column.push(f64::NAN);
            }
            for column in lines.iter_mut() {
                column.push(0);
            }
            if let Some(population) = builder.population.as_mut() {
                population.push(f64::NAN);
            }
            population_lines.push(0);
            builder.rows.len() - 1
        });
        let slot_line = match target {
            Some(i) => &mut lines[i][row],
            None => &mut population_lines[row],
        };
        if *slot_line != 0 {
            let first_line = *slot_line;
            builder.error(DataError::DuplicateRow {
                at: Location::line(name, line),
                unit,
                period,
                what: format!(", indicator `{indicator}`"),
                first_line,
            });
            continue;
        }
        *slot_line = line;
        match target {
            Some(i) => builder.values[i][row] = parsed,
            None => {
                if let Some(population) = builder.population.as_mut() {
                    population[row] = parsed;
                }
            }
        }
    }

    // An indicator with no row at all is the long form's missing column.
    for ((dimension, indicator), cells) in definition.indicators().zip(&lines) {
        if !cells.iter().any(|&line| line != 0) {
            builder.error(DataError::NoIndicatorRows {
                path: name.to_string(),
                indicator: indicator.id.clone(),
                dimension: definition.dimensions[dimension].id.clone(),
            });
        }
    }

    builder.finish(
        definition,
        CellLines::Long {
            lines,
            population: population_lines,
        },
    )
}
