//! Missing raw values, before normalisation (docs/METHODOLOGY.md, "Missing values").

use super::Collector;
use super::sum::Sum;
use crate::data::Panel;
use crate::definition::Missing;
use crate::error::ScoreError;

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
    let threads = super::parallel::threads_for(keys.rows.len());
    let has_missing = super::parallel::map(threads, &panel.values, |column| {
        column.iter().any(|x| x.is_nan())
    });
    for (i, column) in panel.values.iter_mut().enumerate() {
        if !has_missing[i] {
            continue;
        }
        let indicator = &panel.indicators[i];
        match rule {
            Missing::Skip => {}
            Missing::Error => {
                // An unreadable cell was reported by the reader already.
                let missing =
                    |r: &usize| column[*r].is_nan() && !crate::data::is_unreadable(column[*r]);
                for row in (0..column.len()).filter(missing) {
                    errors.push(ScoreError::MissingValue {
                        at: keys.locate(row, Some(i)),
                        indicator: indicator.clone(),
                        unit: keys.unit_of(row).to_string(),
                        period: keys.period_of(row).to_string(),
                    });
                }
            }
            Missing::Mean => {
                for (p, range) in keys.period_ranges.iter().enumerate() {
                    let values = &mut column[range.clone()];
                    if !values.iter().any(|x| x.is_nan()) {
                        continue;
                    }
                    let present: Vec<f64> =
                        values.iter().copied().filter(|x| !x.is_nan()).collect();
                    if present.is_empty() {
                        errors.push(ScoreError::NoMean {
                            path: keys.source.clone(),
                            indicator: indicator.clone(),
                            period: keys.periods[p].clone(),
                        });
                        continue;
                    }
                    let mean =
                        present.iter().copied().collect::<Sum>().value() / present.len() as f64;
                    for (row, value) in range.clone().zip(values.iter_mut()) {
                        if value.is_nan() {
                            let reported = crate::data::is_unreadable(*value);
                            *value = mean;
                            if reported {
                                continue;
                            }
                            filled.push(Filled {
                                row,
                                indicator: i,
                                value: mean,
                                rule,
                            });
                        }
                    }
                }
            }
            Missing::Carry => {
                // Rows run in period order, so the last value seen for a unit
                // is its value from the nearest earlier period that has one.
                let mut last = vec![f64::NAN; keys.units.len()];
                for (row, value) in column.iter_mut().enumerate() {
                    let unit = keys.rows[row].unit as usize;
                    if !value.is_nan() {
                        last[unit] = *value;
                    } else if !last[unit].is_nan() {
                        let reported = crate::data::is_unreadable(*value);
                        *value = last[unit];
                        if reported {
                            continue;
                        }
                        filled.push(Filled {
                            row,
                            indicator: i,
                            value: *value,
                            rule,
                        });
                    } else {
                        errors.push(ScoreError::NoEarlierValue {
                            at: keys.locate(row, Some(i)),
                            indicator: indicator.clone(),
                            unit: keys.unit_of(row).to_string(),
                            period: keys.period_of(row).to_string(),
                        });
                    }
                }
            }
        }
    }
    filled
}
