//! Definition + Panel → [`Scores`]: missing values, normalisation,
//! aggregation, ranks and totals. Pure: the same definition and data always
//! give the same numbers, bit for bit, whatever the order of the input rows.

pub mod aggregate;
pub mod missing;
pub mod normalize;
pub(crate) mod parallel;
pub mod rank;
pub mod sum;

use crate::data::{Keys, Panel};
use crate::definition::{Definition, Scope, Total};
use crate::error::{Error, ScoreError};

/// Every stage's result, row by row, in the panel's order (period, then unit).
#[derive(Debug, Clone)]
pub struct Scores {
    /// Units, periods and rows, as read.
    pub keys: Keys,
    /// Indicator ids, in definition order.
    pub indicators: Vec<String>,
    /// `indicator_scores[indicator][row]`: normalised scores; NaN where missing.
    pub indicator_scores: Vec<Vec<f64>>,
    /// `dimension_scores[dimension][row]`; NaN where no indicator was present.
    pub dimension_scores: Vec<Vec<f64>>,
    /// The composite per row; NaN where no dimension was present.
    pub composite: Vec<f64>,
    /// Rank per row within its period; `None` without a composite.
    pub ranks: Vec<Option<u32>>,
    /// The total per period; `None` when `total = "none"` or no composite.
    pub totals: Vec<Option<f64>>,
}

/// Collects score errors up to [`crate::data::MAX_ERRORS`], then counts.
#[derive(Debug, Default)]
pub struct Collector {
    errors: Vec<ScoreError>,
    more: usize,
}

impl Collector {
    /// Records an error.
    pub fn push(&mut self, error: ScoreError) {
        if self.errors.len() < crate::data::MAX_ERRORS {
            self.errors.push(error);
        } else {
            self.more += 1;
        }
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors, with a count of those not kept.
    pub fn into_error(mut self, source: &str) -> Error {
        if self.more > 0 {
            self.errors.push(ScoreError::TooMany {
                path: source.to_string(),
                more: self.more,
            });
        }
        Error::Score(self.errors)
    }
}

/// Scores a panel with a definition.
///
/// Fails with every problem found in a stage: every missing value under
/// `missing = "error"`, every unusable population, every score that geometric
/// or harmonic aggregation cannot take.
pub fn score(definition: &Definition, mut panel: Panel) -> Result<Scores, Error> {
    let mut errors = Collector::default();
    missing::fill(definition.method.missing, &mut panel, &mut errors);
    if definition.method.total == Total::Population {
        check_population(&panel, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors.into_error(&panel.keys.source));
    }

    let Panel {
        keys,
        indicators,
        values: mut indicator_scores,
        population,
        ..
    } = panel;
    let all_rows = 0..keys.rows.len();
    let groups = match definition.method.scope {
        Scope::Period => &keys.period_ranges[..],
        Scope::Pooled => std::slice::from_ref(&all_rows),
    };
    // Columns are independent: on large inputs they are normalised in parallel.
    let threads = parallel::threads_for(keys.rows.len());
    let mut columns: Vec<_> = definition
        .indicators()
        .zip(indicator_scores.iter_mut())
        .collect();
    parallel::for_each_mut(threads, &mut columns, |((_, indicator), column)| {
        normalize::normalize_column(
            column,
            groups,
            indicator.normalize,
            indicator.direction,
            indicator.goalposts,
        );
    });

    let (dimension_scores, composite) = aggregate_rows(
        definition,
        &keys,
        &indicators,
        &indicator_scores,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors.into_error(&keys.source));
    }

    // Periods rank independently: on every core for large inputs.
    let threads = parallel::threads_for(keys.rows.len());
    let ranks: Vec<Option<u32>> = parallel::map(threads, &keys.period_ranges, |range| {
        rank::competition_ranks(&composite, range.clone())
    })
    .concat();
    let mut totals = Vec::with_capacity(keys.period_ranges.len());
    for range in &keys.period_ranges {
        let in_period = &composite[range.clone()];
        totals.push(match (definition.method.total, &population) {
            (Total::None, _) => None,
            (Total::Population, Some(population)) => {
                rank::population_total(in_period, &population[range.clone()])
            }
            _ => rank::mean_total(in_period),
        });
    }

    Ok(Scores {
        keys,
        indicators,
        indicator_scores,
        dimension_scores,
        composite,
        ranks,
        totals,
    })
}

fn check_population(panel: &Panel, errors: &mut Collector) {
    let Some(population) = &panel.population else {
        return;
    };
    for (row, &p) in population.iter().enumerate() {
        if p.is_nan() || p <= 0.0 {
            errors.push(ScoreError::Population {
                at: panel.keys.locate(row, None),
                unit: panel.keys.unit_of(row).to_string(),
                period: panel.keys.period_of(row).to_string(),
                text: if p.is_nan() {
                    "is missing".to_string()
                } else {
                    format!("{p} is not positive")
                },
            });
        }
    }
}

/// Indicator scores → dimension scores → composite, for every row.
fn aggregate_rows(
    definition: &Definition,
    keys: &Keys,
    indicators: &[String],
    indicator_scores: &[Vec<f64>],
    errors: &mut Collector,
) -> (Vec<Vec<f64>>, Vec<f64>) {
    let method = definition.method.aggregate;
    let rows = keys.rows.len();
    let ranges = definition.dimension_ranges();
    let indicator_weights: Vec<Vec<f64>> = definition
        .dimensions
        .iter()
        .map(|d| d.indicators.iter().map(|i| i.weight).collect())
        .collect();
    let dimension_weights: Vec<f64> = definition.dimensions.iter().map(|d| d.weight).collect();

    // Dimensions are independent: on large inputs they are aggregated in parallel.
    let dimensions: Vec<usize> = (0..ranges.len()).collect();
    let aggregated = parallel::map(parallel::threads_for(rows), &dimensions, |&d| {
        let columns: Vec<&[f64]> = indicator_scores[ranges[d].clone()]
            .iter()
            .map(Vec::as_slice)
            .collect();
        aggregate::aggregate_columns(method, &indicator_weights[d], &columns, rows)
    });
    let mut dimension_scores = Vec::with_capacity(ranges.len());
    for ((scores, failures), range) in aggregated.into_iter().zip(&ranges) {
        for (row, bad) in failures {
            let i = range.start + bad.item;
            errors.push(ScoreError::NotPositive {
                at: keys.locate(row, Some(i)),
                item: format!("indicator `{}`", indicators[i]),
                unit: keys.unit_of(row).to_string(),
                period: keys.period_of(row).to_string(),
                score: bad.score,
                aggregate: aggregate_name(method),
            });
        }
        dimension_scores.push(scores);
    }

    let columns: Vec<&[f64]> = dimension_scores.iter().map(Vec::as_slice).collect();
    let (composite, failures) =
        aggregate::aggregate_columns(method, &dimension_weights, &columns, rows);
    for (row, bad) in failures {
        errors.push(ScoreError::NotPositive {
            at: keys.locate_row(row),
            item: format!("dimension `{}`", definition.dimensions[bad.item].id),
            unit: keys.unit_of(row).to_string(),
            period: keys.period_of(row).to_string(),
            score: bad.score,
            aggregate: aggregate_name(method),
        });
    }
    (dimension_scores, composite)
}

fn aggregate_name(method: crate::definition::Aggregate) -> &'static str {
    match method {
        crate::definition::Aggregate::Arithmetic => "arithmetic",
        crate::definition::Aggregate::Geometric => "geometric",
        crate::definition::Aggregate::Harmonic => "harmonic",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::data::{ReadOptions, read_from};
    use std::io::Cursor;

    /// Equal to within 1e-9, relative to the larger magnitude (or absolute near 0).
    pub fn close(actual: f64, expected: f64) {
        let scale = actual.abs().max(expected.abs()).max(1.0);
        assert!(
            (actual - expected).abs() <= 1e-9 * scale,
            "{actual} is not close to {expected}"
        );
    }

    pub fn run(definition: &str, csv: &str) -> Result<Scores, Error> {
        let definition = Definition::from_toml(definition, "t.toml")?;
        let panel = read_from(
            Box::new(Cursor::new(csv.as_bytes().to_vec())),
            "t.csv",
            &definition,
            ReadOptions::default(),
        )?;
        score(&definition, panel)
    }

    fn messages(error: Error) -> Vec<String> {
        error.problems().iter().map(|p| p.to_string()).collect()
    }

    const TWO_DIMENSIONS: &str = r#"
[index]
name = "T"
[method]
normalize = "goalposts"
missing = "MISSING"
aggregate = "AGGREGATE"
[[dimension]]
id = "a"
weight = 1
[[dimension.indicator]]
id = "x"
goalposts = [0, 100]
[[dimension.indicator]]
id = "y"
goalposts = [0, 10]
direction = "lower"
weight = 3
[[dimension]]
id = "b"
weight = 3
[[dimension.indicator]]
id = "z"
goalposts = [50, 100]
"#;

    fn definition(missing: &str, aggregate: &str) -> String {
        TWO_DIMENSIONS
            .replace("MISSING", missing)
            .replace("AGGREGATE", aggregate)
    }

    #[test]
    fn composite_by_hand() {
        let scores = run(
            &definition("error", "arithmetic"),
            "unit,period,x,y,z\nA,1,80,2,75\nB,1,40,5,100\n",
        )
        .unwrap();
        // A: x 80, y 80 → a = 0.25·80 + 0.75·80 = 80; z 50 → b = 50; composite 0.25·80 + 0.75·50 = 57.5
        assert_eq!(scores.dimension_scores[0][0], 80.0);
        assert_eq!(scores.dimension_scores[1][0], 50.0);
        assert_eq!(scores.composite[0], 57.5);
        // B: x 40, y 50 → a = 10 + 37.5 = 47.5; z 100; composite 11.875 + 75 = 86.875
        assert_eq!(scores.composite[1], 86.875);
        assert_eq!(scores.ranks, vec![Some(2), Some(1)]);
        assert_eq!(scores.totals, vec![Some((57.5 + 86.875) / 2.0)]);
    }

    #[test]
    fn missing_error_lists_every_cell() {
        let error = run(
            &definition("error", "arithmetic"),
            "unit,period,x,y,z\nA,1,,2,75\nB,1,40,NA,100\n",
        )
        .unwrap_err();
        assert_eq!(
            messages(error),
            [
                "t.csv:2:3: indicator `x`, unit A, period 1: the value is missing",
                "t.csv:3:4: indicator `y`, unit B, period 1: the value is missing",
            ]
        );
    }

    #[test]
    fn skip_renormalises_over_present_indicators_and_dimensions() {
        let scores = run(
            &definition("skip", "arithmetic"),
            "unit,period,x,y,z\nA,1,80,,\n",
        )
        .unwrap();
        assert_eq!(scores.dimension_scores[0][0], 80.0);
        assert!(scores.dimension_scores[1][0].is_nan());
        assert_eq!(scores.composite[0], 80.0);
    }

    #[test]
    fn mean_fills_with_the_period_mean() {
        let scores = run(
            &definition("mean", "arithmetic"),
            "unit,period,x,y,z\nA,1,80,2,75\nB,1,40,4,100\nC,1,,,50\n",
        )
        .unwrap();
        // C's x is filled with 60 and y with 3 (score 70).
        assert_eq!(scores.indicator_scores[0][2], 60.0);
        close(scores.indicator_scores[1][2], 70.0);
    }

    #[test]
    fn carry_takes_the_nearest_earlier_value() {
        let scores = run(
            &definition("carry", "arithmetic"),
            "unit,period,x,y,z\nA,2017,10,1,60\nA,2018,20,,\nA,2019,,,70\n",
        )
        .unwrap();
        assert_eq!(scores.indicator_scores[0], vec![10.0, 20.0, 20.0]);
        assert_eq!(scores.indicator_scores[1], vec![90.0, 90.0, 90.0]);
        assert_eq!(scores.indicator_scores[2], vec![20.0, 20.0, 40.0]);

        let error = run(
            &definition("carry", "arithmetic"),
            "unit,period,x,y,z\nA,2017,,1,60\n",
        )
        .unwrap_err();
        assert!(messages(error)[0].contains("no earlier value"));
    }

    #[test]
    fn geometric_names_the_zero_cell() {
        let error = run(
            &definition("error", "geometric"),
            "unit,period,x,y,z\nA,1,0,2,75\n",
        )
        .unwrap_err();
        assert_eq!(
            messages(error),
            [
                "t.csv:2:3: indicator `x`, unit A, period 1: score 0 is not above zero, which geometric aggregation cannot take"
            ]
        );
    }

    #[test]
    fn pooled_scope_takes_statistics_over_every_row() {
        let def = "[index]\nname='T'\n[method]\nscope='pooled'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";
        let scores = run(def, "unit,period,x\nA,1,0\nB,1,10\nA,2,20\nB,2,40\n").unwrap();
        assert_eq!(scores.indicator_scores[0], vec![0.0, 25.0, 50.0, 100.0]);
        let by_period = run(
            &def.replace("pooled", "period"),
            "unit,period,x\nA,1,0\nB,1,10\nA,2,20\nB,2,40\n",
        )
        .unwrap();
        assert_eq!(by_period.indicator_scores[0], vec![0.0, 100.0, 0.0, 100.0]);
    }

    #[test]
    fn population_total_needs_every_population() {
        let def = "[index]\nname='T'\n[data]\npopulation='pop'\n[method]\ntotal='population'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";
        let scores = run(def, "unit,period,pop,x\nA,1,1,0\nB,1,3,10\n").unwrap();
        assert_eq!(scores.totals, vec![Some(75.0)]);
        let error = run(def, "unit,period,pop,x\nA,1,,0\nB,1,3,10\n").unwrap_err();
        assert_eq!(
            messages(error),
            [
                "t.csv:2:3: unit A, period 1: population is missing, needed by total = \"population\""
            ]
        );
    }
}
