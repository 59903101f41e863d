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
/// other periods is "about 100×" off: the range is wide, since a real series
/// also moves while the unit mistake is off by exactly 100.
const SCALE_SLIP: std::ops::RangeInclusive<f64> = 30.0..=300.0;

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
        for rows in series.iter() {
            for slip in scale_slips(column, rows, panel) {
                flagged[slip.row] = true;
                warnings.push(slip.problem(panel, i, &indicator.id));
            }
        }
        let changes = changes(column, &series);
        for jump in jumps(&changes) {
            let (row, previous, change) = changes[jump.0];
            if flagged[row] {
                continue;
            }
            warnings.push(
                Problem::warning(
                    keys.locate(row, Some(i)).to_string(),
                    format!(
                        "indicator `{}`: {} {} = {} changed by {:+} from {} ({}), {:.1} robust standard deviations from the usual change of {:+}",
                        indicator.id,
                        keys.unit_of(row),
                        keys.period_of(row),
                        column[row],
                        change,
                        keys.period_of(previous),
                        column[previous],
                        jump.1,
                        jump.2,
                    ),
                )
                .with_hint("check for a typing or unit error; if the change is real, nothing to do"),
            );
        }
    }
    warnings
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
            keys.locate(self.row, Some(indicator)).to_string(),
            format!(
                "indicator `{id}`: {} {} = {value} is {how} the unit's other periods (median {})",
                keys.unit_of(self.row),
                keys.period_of(self.row),
                self.others,
            ),
        )
        .with_hint("check the value's unit (a percentage entered as a fraction, or the reverse?) and enter it on the same scale as the other periods")
    }
}

/// The values of one unit's series that are about 100× off the median of its
/// other values. With only two values both would qualify; the one further
/// from its period's other units is kept.
fn scale_slips(column: &[f64], rows: &[usize], panel: &Panel) -> Vec<ScaleSlip> {
    let present: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| !column[r].is_nan())
        .collect();
    if present.len() < 2 {
        return Vec::new();
    }
    let mut slips: Vec<ScaleSlip> = Vec::new();
    for &row in &present {
        let mut others: Vec<f64> = present
            .iter()
            .filter(|&&r| r != row)
            .map(|&r| column[r])
            .collect();
        let others = median(&mut others);
        let ratio = column[row] / others;
        if ratio.is_finite() && (SCALE_SLIP.contains(&ratio) || SCALE_SLIP.contains(&(1.0 / ratio)))
        {
            slips.push(ScaleSlip { row, ratio, others });
        }
    }
    if slips.len() == 2 && present.len() == 2 {
        let off = |slip: &ScaleSlip| {
            let period = &panel.keys.period_ranges[panel.keys.rows[slip.row].period as usize];
            let mut peers: Vec<f64> = column[period.clone()]
                .iter()
                .copied()
                .filter(|x| !x.is_nan())
                .collect();
            (column[slip.row] / median(&mut peers)).abs().ln().abs()
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

    #[test]
    fn a_jump_far_beyond_the_usual_change_is_found() {
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
            csv += &format!("{u},1,{base}\n{u},2,{}\n", base + step);
        }
        csv += "G,1,40\nG,2,80\n";
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
}
