//! `kmgov check`: every problem in a definition and its data, in one pass.
//!
//! Errors are what would stop `kmgov score`; warnings are what would let it
//! run but deserve a look before the numbers go into a report.

use std::collections::{HashMap, HashSet};

use crate::data::{self, Input, Panel, ReadOptions};
use crate::definition::{Aggregate, Definition, Direction, Normalize};
use crate::error::{Error, Location, Problem, Severity};
use crate::pipeline::{self, normalize::Stats};

/// How far from the period's median, in robust standard deviations
/// (1.4826·MAD), a value must lie to be called an outlier.
pub const OUTLIER_Z: f64 = 5.0;

/// What `check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Every problem, errors first, each group in the order found.
    pub problems: Vec<Problem>,
    /// Data rows read (0 when the data could not be read).
    pub rows: usize,
    /// Distinct units.
    pub units: usize,
    /// Distinct periods.
    pub periods: usize,
}

impl CheckReport {
    /// How many problems have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }

    /// True when `score` would fail.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Checks a definition (already loaded, or the error loading it) against data.
pub fn check(
    definition: Result<Definition, Error>,
    input: &Input,
    options: ReadOptions,
) -> CheckReport {
    let mut report = CheckReport::default();
    let definition = match definition {
        Ok(definition) => definition,
        Err(error) => {
            report.problems = error.problems();
            return report;
        }
    };
    report.problems.extend(definition_warnings(&definition));
    let options = ReadOptions {
        keep_going: true,
        ..options
    };
    match data::read(input, &definition, options) {
        Err(error) => report.problems.extend(error.problems()),
        Ok(panel) => {
            report.rows = panel.keys.rows.len();
            report.units = panel.keys.units.len();
            report.periods = panel.keys.periods.len();
            let bad_cells: HashSet<String> =
                panel.recovered.iter().map(|p| p.location.clone()).collect();
            report.problems.extend(panel.recovered.iter().cloned());
            report.problems.extend(panel.warnings.iter().cloned());
            report.problems.extend(data_warnings(&definition, &panel));
            if let Err(error) = pipeline::score(&definition, panel) {
                // A cell that was not a number reads as missing: say so once.
                report.problems.extend(
                    error
                        .problems()
                        .into_iter()
                        .filter(|p| !bad_cells.contains(&p.location)),
                );
            }
        }
    }
    report.problems.sort_by_key(|p| p.severity);
    report
}

/// Warnings about the definition alone.
pub fn definition_warnings(definition: &Definition) -> Vec<Problem> {
    let mut warnings = Vec::new();
    let origin = &definition.origin;
    let item_at = |line: Option<u64>| match line {
        Some(line) => Location::line(origin, line).to_string(),
        None => origin.clone(),
    };
    let dimension_weights: Vec<f64> = definition.dimensions.iter().map(|d| d.raw_weight).collect();
    if let Some(note) = weights_note(origin, "the dimension weights", &dimension_weights) {
        warnings.push(note);
    }
    for dimension in &definition.dimensions {
        let weights: Vec<f64> = dimension.indicators.iter().map(|i| i.raw_weight).collect();
        let what = format!("the indicator weights of dimension `{}`", dimension.id);
        if let Some(note) = weights_note(origin, &what, &weights) {
            warnings.push(note);
        }
        for indicator in &dimension.indicators {
            if indicator.normalize == Normalize::None && indicator.direction == Direction::Lower {
                warnings.push(
                    Problem::warning(
                        item_at(indicator.line),
                        format!(
                            "indicator `{}`: direction is \"lower\" but normalize \"none\" uses the value as given",
                            indicator.id
                        ),
                    )
                    .with_hint("give it a normalization that can reverse it, or supply values where higher is better"),
                );
            }
            if indicator.normalize == Normalize::Zscore
                && definition.method.aggregate != Aggregate::Arithmetic
            {
                warnings.push(
                    Problem::warning(
                        item_at(indicator.line),
                        format!(
                            "indicator `{}`: z-scores are negative for half the units, which {} aggregation cannot take",
                            indicator.id, definition.method.aggregate
                        ),
                    )
                    .with_hint("use aggregate = \"arithmetic\" with z-scores"),
                );
            }
        }
    }
    warnings
}

/// A note when unequal weights do not sum to 1: they still work (they are
/// relative), but a reviewer reading the file cannot see the shares at a glance.
/// Equal weights are plainly equal shares whatever they sum to.
fn weights_note(origin: &str, what: &str, weights: &[f64]) -> Option<Problem> {
    let sum: f64 = weights.iter().sum();
    let all_equal = weights.iter().all(|w| *w == weights[0]);
    if all_equal || (sum - 1.0).abs() <= 1e-9 {
        return None;
    }
    Some(
        Problem::warning(
            origin,
            format!("{what} sum to {sum}, not 1; they are relative and are divided by their sum"),
        )
        .with_hint("nothing to do if this is intended; write them to sum to 1 to make the shares plain to reviewers"),
    )
}

/// Warnings about data that scores but looks suspicious.
pub fn data_warnings(definition: &Definition, panel: &Panel) -> Vec<Problem> {
    let keys = &panel.keys;
    let mut warnings = Vec::new();
    for (i, (_, indicator)) in definition.indicators().enumerate() {
        let column = &panel.values[i];
        let described = |row: usize, value: f64| {
            format!("{} {} = {}", keys.unit_of(row), keys.period_of(row), value)
        };

        if let Some(posts) = indicator
            .goalposts
            .filter(|_| indicator.normalize == Normalize::Goalposts)
        {
            let outside: Vec<usize> = (0..column.len())
                .filter(|&r| column[r] < posts.lo || column[r] > posts.hi)
                .collect();
            if let Some(&first) = outside.first() {
                warnings.push(
                    Problem::warning(
                        keys.locate(first, Some(i)).to_string(),
                        format!(
                            "indicator `{}`: {} value(s) outside the goalposts [{}, {}], such as {}; they score 0 or 100",
                            indicator.id,
                            outside.len(),
                            posts.lo,
                            posts.hi,
                            described(first, column[first])
                        ),
                    )
                    .with_hint("check the value and its unit (a share written as 0.68 instead of 68?), or widen the goalposts"),
                );
            }
        }

        let data_driven = !matches!(indicator.normalize, Normalize::None | Normalize::Goalposts);
        for (p, range) in keys.period_ranges.iter().enumerate() {
            let values = &column[range.clone()];
            let stats = Stats::of(values.iter().copied());
            if data_driven && stats.is_constant() && stats.n > 1 {
                warnings.push(
                    Problem::warning(
                        format!("{}: indicator `{}`", keys.source, indicator.id),
                        format!(
                            "every unit has {} in period {}, so the indicator carries no information there",
                            stats.min, keys.periods[p]
                        ),
                    )
                    .with_hint("check the column was filled in; a constant scores the midpoint (see docs/METHODOLOGY.md)"),
                );
            }
            for (row, z) in robust_outliers(values) {
                let row = range.start + row;
                warnings.push(
                    Problem::warning(
                        keys.locate(row, Some(i)).to_string(),
                        format!(
                            "indicator `{}`: {} lies {:.1} robust standard deviations from the period's median",
                            indicator.id,
                            described(row, column[row]),
                            z
                        ),
                    )
                    .with_hint("check for a typing or unit error; if the value is right, nothing to do"),
                );
            }
        }
    }
    warnings.extend(units_missing_from_periods(panel));
    warnings
}

/// Values more than [`OUTLIER_Z`] robust standard deviations from the median.
fn robust_outliers(values: &[f64]) -> Vec<(usize, f64)> {
    let mut present: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if present.len() < 5 {
        return Vec::new();
    }
    let median = median(&mut present);
    let mut deviations: Vec<f64> = present.iter().map(|x| (x - median).abs()).collect();
    let mad = 1.4826 * self::median(&mut deviations);
    if mad.is_nan() || mad <= 0.0 {
        return Vec::new();
    }
    values
        .iter()
        .enumerate()
        .filter(|(_, x)| !x.is_nan())
        .map(|(row, x)| (row, (x - median).abs() / mad))
        .filter(|&(_, z)| z > OUTLIER_Z)
        .collect()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn units_missing_from_periods(panel: &Panel) -> Vec<Problem> {
    let keys = &panel.keys;
    if keys.periods.len() < 2 {
        return Vec::new();
    }
    let mut seen: HashMap<u32, Vec<bool>> = HashMap::new();
    for row in &keys.rows {
        seen.entry(row.unit)
            .or_insert_with(|| vec![false; keys.periods.len()])[row.period as usize] = true;
    }
    let mut units: Vec<(&u32, &Vec<bool>)> =
        seen.iter().filter(|(_, s)| s.contains(&false)).collect();
    units.sort_by_key(|(unit, _)| **unit);
    units
        .into_iter()
        .map(|(&unit, present)| {
            let absent: Vec<&str> = present
                .iter()
                .enumerate()
                .filter(|(_, here)| !**here)
                .map(|(p, _)| keys.periods[p].as_str())
                .collect();
            Problem::warning(
                keys.source.clone(),
                format!(
                    "unit {} has no row for period(s) {}",
                    keys.units[unit as usize],
                    absent.join(", ")
                ),
            )
            .with_hint(
                "add the missing rows; its change is taken against its nearest earlier period",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn check_text(definition: &str, csv: &str) -> CheckReport {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(csv.as_bytes()).unwrap();
        check(
            Definition::from_toml(definition, "t.toml"),
            &Input::Path(file.path().to_path_buf()),
            ReadOptions::default(),
        )
    }

    const DEF: &str = "[index]\nname='T'\n[method]\nnormalize='goalposts'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\ngoalposts=[0,100]\n[[dimension.indicator]]\nid='y'\nnormalize='minmax'\n";

    #[test]
    fn errors_and_warnings_are_found_in_one_pass() {
        let report = check_text(DEF, "unit,period,x,y\nA,1,120,5\nB,1,bad,5\nC,2,,5\n");
        let messages: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(report.count(Severity::Error), 2, "{messages:?}");
        assert!(
            messages[0].contains("`bad` is not a number"),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("the value is missing")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("outside the goalposts [0, 100]")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("carries no information")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("unit C has no row for period(s) 1")),
            "{messages:?}"
        );
    }

    #[test]
    fn outliers_are_measured_robustly() {
        let values = [10.0, 11.0, 9.0, 10.5, 9.5, 10.0, 500.0];
        let found = robust_outliers(&values);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 6);
    }

    #[test]
    fn unequal_weights_not_summing_to_one_are_noted() {
        let def = DEF.replace("id='y'\n", "id='y'\nweight=3\n");
        let warnings = definition_warnings(&Definition::from_toml(&def, "t.toml").unwrap());
        assert!(
            warnings
                .iter()
                .any(|w| w.message.contains("sum to 4, not 1")),
            "{warnings:?}"
        );
    }
}
