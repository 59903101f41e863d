//! A unit's own series: values that do not fit the same unit's other periods.
//!
//! Two mistakes slip past a check that looks at one period at a time: a share
//! typed as a fraction in one year (0.68 where the other years have 68), and a
//! value that jumps far more from the unit's previous period than units'
//! values usually move. Both are measured against the unit's own history.

use crate::data::Panel;
use crate::definition::Definition;
use crate::error::Problem;

use super::{OUTLIER_Z, median};

/// A value this many times (or this fraction of) the median of the unit's
/// other periods is "about 100×" off: a factor of two either side, since a
/// real series also moves while the unit mistake is off by exactly 100.
const SCALE_SLIP: std::ops::RangeInclusive<f64> = 50.0..=200.0;

/// Changes are judged against at least this many changes of the indicator.
const MIN_CHANGES: usize = 5;

/// Warnings for values off the scale of the unit's other periods, and for
/// changes from the unit's previous period far beyond the indicator's usual
/// change. One warning per cell at most.
pub fn series_warnings(definition: &Definition, panel: &Panel) -> Vec<Problem> {
    let keys = &panel.keys;
    if keys.periods.len() < 2 {
        return Vec::new();
    }
    let series = unit_series(panel);
    let mut warnings = Vec::new();
    for (i, (_, indicator)) in definition.indicators().enumerate() {
        let column = &panel.values[i];
        let mut flagged = vec![false; column.len()];
        let medians = period_medians(column, panel);
        for rows in series.iter() {
            for slip in scale_slips(column, rows, panel, &medians) {
                flagged[slip.row] = true;
                warnings.push(slip.problem(panel, i, &indicator.id));
            }
        }
        let changes = changes(column, &series);
        // The change into a wrong value is a jump, and so is the change out of
        // it, back to normal: the second names an innocent cell. A jump whose
        // previous cell was flagged and which goes the other way is that echo.
        let mut jumped: Vec<f64> = vec![0.0; column.len()];
        for jump in jumps(&changes) {
            let (row, previous, change) = changes[jump.0];
            let echo = jumped[previous] != 0.0 && jumped[previous].signum() != change.signum();
            if flagged[row] || flagged[previous] && jumped[previous] == 0.0 || echo {
                continue;
            }
            flagged[row] = true;
            jumped[row] = change;
            warnings.push(
                Problem::warning(
                    keys.locate(row, Some(i)),
                    format!(
                        "indicator `{}`: {} {} = {} changed by {} from {} ({}), {:.1} robust standard deviations from the usual change of {}",
                        indicator.id,
                        keys.unit_of(row),
                        keys.period_of(row),
                        column[row],
                        signed(change),
                        keys.period_of(previous),
                        column[previous],
                        jump.1,
                        signed(jump.2),
                    ),
                )
                .with_hint("check for a typing or unit error; if the change is real, nothing to do"),
            );
        }
    }
    warnings
}

/// A difference for a person: its sign and at most four decimals, so that
/// 70.2 − 69.708 reads +0.492, not +0.49199999999999733.
fn signed(x: f64) -> String {
    let text = format!("{x:+.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if matches!(text, "+" | "-" | "+0" | "-0") {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Each unit's rows, in period order, as one flat list per unit. Linear in
/// rows whatever the number of periods.
fn unit_series(panel: &Panel) -> Vec<Vec<usize>> {
    let mut series: Vec<Vec<usize>> = vec![Vec::new(); panel.keys.units.len()];
    // Rows run in period order, so each unit's rows arrive in period order.
    for (row, r) in panel.keys.rows.iter().enumerate() {
        series[r.unit as usize].push(row);
    }
    series
}

/// A value about 100× or 1/100 of the unit's other periods.
struct ScaleSlip {
    row: usize,
    ratio: f64,
    others: f64,
}

impl ScaleSlip {
    fn problem(&self, panel: &Panel, indicator: usize, id: &str) -> Problem {
        let keys = &panel.keys;
        let value = panel.values[indicator][self.row];
        let how = if self.ratio < 1.0 {
            format!("about 1/{:.0} of", 1.0 / self.ratio)
        } else {
            format!("about {:.0} times", self.ratio)
        };
        Problem::warning(
            keys.locate(self.row, Some(indicator)),
            format!(
                "indicator `{id}`: {} {} = {value} is {how} the unit's other periods (median {})",
                keys.unit_of(self.row),
                keys.period_of(self.row),
                signed(self.others).trim_start_matches('+'),
            ),
        )
        .with_hint("check the value's unit (a percentage entered as a fraction, or the reverse?) and enter it on the same scale as the other periods")
    }
}

/// The values of one unit's series that are about 100× off the median of its
/// other values. With only two values both would qualify; the one further
/// from its period's other units (`period_medians`) is kept.
///
/// The median of the others comes from one sorted copy of the series, so a
/// long series costs T·log T, not T² (each value's "others" differ only by
/// the value itself).
fn scale_slips(
    column: &[f64],
    rows: &[usize],
    panel: &Panel,
    period_medians: &[f64],
) -> Vec<ScaleSlip> {
    let present: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| !column[r].is_nan())
        .collect();
    if present.len() < 2 {
        return Vec::new();
    }
    let mut sorted: Vec<f64> = present.iter().map(|&r| column[r]).collect();
    sorted.sort_by(f64::total_cmp);
    let mut slips: Vec<ScaleSlip> = Vec::new();
    for &row in &present {
        let others = median_without(&sorted, column[row]);
        let ratio = column[row] / others;
        if ratio.is_finite() && (SCALE_SLIP.contains(&ratio) || SCALE_SLIP.contains(&(1.0 / ratio)))
        {
            slips.push(ScaleSlip { row, ratio, others });
        }
    }
    if slips.len() == 2 && present.len() == 2 {
        let off = |slip: &ScaleSlip| {
            let period = panel.keys.rows[slip.row].period as usize;
            (column[slip.row] / period_medians[period]).abs().ln().abs()
        };
        let keep = if off(&slips[0]) >= off(&slips[1]) {
            0
        } else {
            1
        };
        slips.swap(0, keep);
        slips.truncate(1);
    }
    slips
}

/// The median of `sorted` with one occurrence of `value` left out.
fn median_without(sorted: &[f64], value: f64) -> f64 {
    let skip = sorted.partition_point(|&x| x.total_cmp(&value).is_lt());
    let at = |i: usize| if i < skip { sorted[i] } else { sorted[i + 1] };
    let n = sorted.len() - 1;
    if n % 2 == 1 {
        at(n / 2)
    } else {
        (at(n / 2 - 1) + at(n / 2)) / 2.0
    }
}

/// Each period's median of the indicator, for telling which of two values
/// is the odd one.
fn period_medians(column: &[f64], panel: &Panel) -> Vec<f64> {
    panel
        .keys
        .period_ranges
        .iter()
        .map(|range| {
            let mut values: Vec<f64> = column[range.clone()]
                .iter()
                .copied()
                .filter(|x| !x.is_nan())
                .collect();
            median(&mut values)
        })
        .collect()
}

/// (row, previous row, change) for every present value whose unit has a
/// present value in an earlier period: the change from the nearest one.
fn changes(column: &[f64], series: &[Vec<usize>]) -> Vec<(usize, usize, f64)> {
    let mut changes = Vec::new();
    for rows in series {
        let mut previous: Option<usize> = None;
        for &row in rows {
            if column[row].is_nan() {
                continue;
            }
            if let Some(before) = previous {
                changes.push((row, before, column[row] - column[before]));
            }
            previous = Some(row);
        }
    }
    changes
}

/// (index into `changes`, robust z, median change) for changes more than
/// [`OUTLIER_Z`] robust standard deviations (1.4826·MAD) from the median change.
fn jumps(changes: &[(usize, usize, f64)]) -> Vec<(usize, f64, f64)> {
    if changes.len() < MIN_CHANGES {
        return Vec::new();
    }
    let mut values: Vec<f64> = changes.iter().map(|c| c.2).collect();
    let middle = median(&mut values);
    let mut deviations: Vec<f64> = changes.iter().map(|c| (c.2 - middle).abs()).collect();
    let spread = 1.4826 * median(&mut deviations);
    if spread.is_nan() || spread <= 0.0 {
        return Vec::new();
    }
    changes
        .iter()
        .enumerate()
        .map(|(k, c)| (k, (c.2 - middle).abs() / spread, middle))
        .filter(|&(_, z, _)| z > OUTLIER_Z)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{ReadOptions, read_from};

    const DEF: &str = "[index]\nname='T'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";

    fn warnings(csv: &str) -> Vec<String> {
        let definition = Definition::from_toml(DEF, "t.toml").unwrap();
        let panel = read_from(
            Box::new(std::io::Cursor::new(csv.as_bytes().to_vec())),
            "t.csv",
            &definition,
            ReadOptions::default(),
        )
        .unwrap();
        series_warnings(&definition, &panel)
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn a_percentage_entered_as_a_fraction_is_found() {
        let found = warnings("unit,period,x\nA,1,68\nA,2,0.7\nA,3,71\nB,1,50\nB,2,52\nB,3,51\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("t.csv:3:3: indicator `x`: A 2 = 0.7 is about 1/99 of"),
            "{found:?}"
        );
    }

    #[test]
    fn with_two_periods_the_value_off_its_period_is_named() {
        let found = warnings("unit,period,x\nA,1,68\nA,2,0.68\nB,1,50\nB,2,52\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("A 2 = 0.68"), "{found:?}");
    }

    /// Six units that change a little, each by its own step, over `periods`.
    fn steady(periods: u32) -> String {
        let mut csv = String::from("unit,period,x\n");
        let steady = [
            ("A", 50.0, 1.0),
            ("B", 60.0, 2.0),
            ("C", 55.0, 0.5),
            ("D", 70.0, 1.5),
            ("E", 65.0, -1.0),
            ("F", 50.0, 0.8),
        ];
        for (u, base, step) in steady {
            for p in 0..periods {
                csv += &format!("{u},{},{}\n", p + 1, base + f64::from(p) * step);
            }
        }
        csv
    }

    #[test]
    fn a_jump_far_beyond_the_usual_change_is_found() {
        let csv = steady(2) + "G,1,40\nG,2,80\n";
        let found = warnings(&csv);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("G 2 = 80 changed by +40 from 1 (40)"),
            "{found:?}"
        );
    }

    #[test]
    fn steady_series_raise_nothing() {
        assert!(warnings("unit,period,x\nA,1,68\nA,2,69\nB,1,0.5\nB,2,0.6\n").is_empty());
    }

    #[test]
    fn the_cell_after_a_wrong_value_is_not_blamed() {
        let mut csv = steady(3);
        // G's period-2 value is wrong; period 3 is back to normal.
        csv += "G,1,40\nG,2,95\nG,3,41.492\n";
        let found = warnings(&csv);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("G 2 = 95 changed by +55 from 1 (40)"),
            "{found:?}"
        );
    }

    #[test]
    fn differences_are_shown_rounded() {
        assert_eq!(signed(70.2 - 69.708), "+0.492");
        assert_eq!(signed(-40.0), "-40");
        assert_eq!(signed(1e-9), "0");
    }

    #[test]
    fn a_long_series_is_linear_enough() {
        // Two units over 20,000 periods: the median of the others comes from
        // one sorted copy, so this is T·log T (it took 15 s when quadratic).
        let mut csv = String::from("unit,period,x\n");
        for p in 0..20_000 {
            csv += &format!("A,{p},{}\nB,{p},{}\n", 50 + p % 7, 60 + p % 5);
        }
        let found = warnings(&csv);
        assert!(found.is_empty(), "{:?}", &found[..found.len().min(3)]);
    }
}
