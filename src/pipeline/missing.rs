//! Missing raw values, before normalisation (docs/METHODOLOGY.md, "Missing values").

use super::Collector;
use crate::data::{Keys, Panel};
use crate::definition::Missing;
use crate::error::ScoreError;
use crate::sum::Sum;

/// A cell that the `mean` or `carry` rule filled: the audit trail of what was
/// not in the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Filled {
    /// The row, in the panel's order.
    pub row: usize,
    /// The indicator, in definition order.
    pub indicator: usize,
    /// The value filled in.
    pub value: f64,
    /// The rule that filled it.
    pub rule: Missing,
}

/// Applies the `missing` rule to the raw values in place.
///
/// - `error`: every missing cell is reported
/// - `skip`: missing values stay missing and aggregation skips them
/// - `mean`: the indicator's mean over the period's units with a value
/// - `carry`: the unit's value from its nearest earlier period that has one
///
/// Returns every cell filled, by indicator, then row.
pub fn fill(rule: Missing, panel: &mut Panel, errors: &mut Collector) -> Vec<Filled> {
    let mut filled = Vec::new();
    let keys = &panel.keys;
    // Most columns have no missing value, and then no rule has anything to
    // do: find those first, every core scanning its share of the columns.
    let threads = crate::parallel::threads_for(keys.rows.len());
    let has_missing = crate::parallel::map(threads, &panel.values, |column| {
        column.iter().any(|x| x.is_nan())
    });
    for (i, values) in panel.values.iter_mut().enumerate() {
        if !has_missing[i] {
            continue;
        }
        let column = Column {
            keys,
            index: i,
            id: &panel.indicators[i],
        };
        match rule {
            Missing::Skip => {}
            Missing::Error => column.report(values, errors),
            Missing::Mean => column.fill_mean(values, errors, &mut filled),
            Missing::Carry => column.carry(values, errors, &mut filled),
        }
    }
    filled
}

/// One indicator's column, for the rules that look at its missing cells.
struct Column<'a> {
    keys: &'a Keys,
    index: usize,
    id: &'a str,
}

impl Column<'_> {
    /// `error`: every missing cell, except those the reader could not read
    /// and has reported already.
    fn report(&self, values: &[f64], errors: &mut Collector) {
        let missing = |r: &usize| values[*r].is_nan() && !crate::data::is_unreadable(values[*r]);
        for row in (0..values.len()).filter(missing) {
            errors.push(ScoreError::MissingValue {
                at: self.keys.locate(row, Some(self.index)),
                indicator: self.id.to_string(),
                unit: self.keys.unit_of(row).to_string(),
                period: self.keys.period_of(row).to_string(),
            });
        }
    }

    /// `mean`: each period's missing cells get the mean of its present ones.
    fn fill_mean(&self, values: &mut [f64], errors: &mut Collector, filled: &mut Vec<Filled>) {
        for (p, range) in self.keys.period_ranges.iter().enumerate() {
            let period = &mut values[range.clone()];
            if !period.iter().any(|x| x.is_nan()) {
                continue;
            }
            let present: Vec<f64> = period.iter().copied().filter(|x| !x.is_nan()).collect();
            if present.is_empty() {
                errors.push(ScoreError::NoMean {
                    path: self.keys.source.clone(),
                    indicator: self.id.to_string(),
                    period: self.keys.periods[p].clone(),
                });
                continue;
            }
            let mean = present.iter().copied().collect::<Sum>().value() / present.len() as f64;
            for (row, value) in range.clone().zip(period.iter_mut()) {
                if value.is_nan() {
                    self.put(row, value, mean, Missing::Mean, filled);
                }
            }
        }
    }

    /// `carry`: each missing cell gets the unit's value from its nearest
    /// earlier period that has one.
    fn carry(&self, values: &mut [f64], errors: &mut Collector, filled: &mut Vec<Filled>) {
        // Rows run in period order, so the last value seen for a unit is its
        // value from the nearest earlier period that has one.
        let mut last = vec![f64::NAN; self.keys.units.len()];
        for (row, value) in values.iter_mut().enumerate() {
            let unit = self.keys.rows[row].unit as usize;
            if !value.is_nan() {
                last[unit] = *value;
            } else if !last[unit].is_nan() {
                self.put(row, value, last[unit], Missing::Carry, filled);
            } else {
                errors.push(ScoreError::NoEarlierValue {
                    at: self.keys.locate(row, Some(self.index)),
                    indicator: self.id.to_string(),
                    unit: self.keys.unit_of(row).to_string(),
                    period: self.keys.period_of(row).to_string(),
                });
            }
        }
    }

    /// Fills one cell and records it, unless the reader could not read it
    /// (then it was reported as such, and a fill is not news).
    fn put(&self, row: usize, cell: &mut f64, value: f64, rule: Missing, filled: &mut Vec<Filled>) {
        let reported = crate::data::is_unreadable(*cell);
        *cell = value;
        if !reported {
            filled.push(Filled {
                row,
                indicator: self.index,
                value,
                rule,
            });
        }
    }
}
