//! Definition + Panel → [`Scores`]: missing values, normalisation,
//! aggregation, ranks and totals. Pure: the same definition and data always
//! give the same numbers, bit for bit, whatever the order of the input rows.

pub mod aggregate;
pub mod error;
pub mod levels;
pub mod missing;
pub mod normalize;
pub mod rank;
pub mod reuse;
pub mod topsis;

use crate::data::{Keys, Panel};
use crate::definition::{Aggregate, Definition, Scope, Total};
use crate::error::{Error, ScoreError};
use crate::parallel;

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
    /// `group_scores[group][row]`, in [`Definition::groups`] order; NaN
    /// where no child was present. Empty for a two-level index.
    pub group_scores: Vec<Vec<f64>>,
    /// The composite per row; NaN where no dimension was present.
    pub composite: Vec<f64>,
    /// Rank per row within its period; `None` without a composite.
    pub ranks: Vec<Option<u32>>,
    /// The total per period; `None` when `total = "none"` or no composite.
    pub totals: Vec<Option<f64>>,
    /// `total_dimensions[period][dimension]`: each dimension's city figure,
    /// by the same rule as the total.
    pub total_dimensions: Vec<Vec<Option<f64>>>,
    /// `total_groups[period][group]`: each group's city figure.
    pub total_groups: Vec<Vec<Option<f64>>>,
    /// Cells filled by `missing = "mean"` or `"carry"`.
    pub filled: Vec<missing::Filled>,
    /// Population per row, when the data has the definition's population
    /// column (for totals over areas, by the same rule).
    pub population: Option<Vec<f64>>,
    /// The total rule the totals were computed by.
    pub total_rule: Total,
    /// `raw[indicator][row]`: the values as scored (after filling), kept
    /// only when [`ScoreOptions::keep_raw`] asks for them.
    pub raw: Option<Vec<Vec<f64>>>,
}

/// What to keep besides the scores.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScoreOptions {
    /// Keep the raw values beside the normalised scores (for indicator detail),
    /// at the cost of a second copy of the data.
    pub keep_raw: bool,
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
pub fn score(definition: &Definition, panel: Panel) -> Result<Scores, Error> {
    score_with(definition, panel, ScoreOptions::default())
}

/// [`score`], keeping what `options` asks for.
pub fn score_with(
    definition: &Definition,
    mut panel: Panel,
    options: ScoreOptions,
) -> Result<Scores, Error> {
    let mut errors = Collector::default();
    let filled = missing::fill(definition.method.missing, &mut panel, &mut errors);
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
    let groups = normalization_groups(definition, &keys, &indicator_scores, &mut errors);
    if !errors.is_empty() {
        return Err(errors.into_error(&keys.source));
    }
    let raw = options.keep_raw.then(|| indicator_scores.clone());
    let aggregated = if definition.method.aggregate == Aggregate::Topsis {
        let (scores, aggregated) =
            topsis::score_tree(definition, &groups, &indicator_scores, keys.rows.len())?;
        indicator_scores = scores;
        aggregated
    } else {
        normalize_columns(definition, &groups, keys.rows.len(), &mut indicator_scores);
        levels::aggregate_tree(
            definition,
            &keys,
            &indicators,
            &indicator_scores,
            &mut errors,
        )
    };
    let levels::Aggregated {
        groups: group_scores,
        dimensions: dimension_scores,
        composite,
    } = aggregated;
    if !errors.is_empty() {
        return Err(errors.into_error(&keys.source));
    }

    // Periods rank independently: on every core for large inputs.
    let threads = parallel::threads_for(keys.rows.len());
    let ranks: Vec<Option<u32>> = parallel::map(threads, &keys.period_ranges, |range| {
        rank::competition_ranks(&composite, range.clone())
    })
    .concat();
    let city = |columns: &[Vec<f64>]| {
        node_totals(
            definition.method.total,
            &keys,
            population.as_deref(),
            columns,
        )
    };
    let totals = city(std::slice::from_ref(&composite))
        .into_iter()
        .map(|mut period| period.pop().flatten())
        .collect();
    let total_dimensions = city(&dimension_scores);
    let total_groups = city(&group_scores);

    Ok(Scores {
        keys,
        indicators,
        indicator_scores,
        dimension_scores,
        group_scores,
        composite,
        ranks,
        totals,
        total_dimensions,
        total_groups,
        filled,
        population,
        total_rule: definition.method.total,
        raw,
    })
}

/// The total of `values` (one per row, NaN where absent) by `rule`, with
/// the rows' populations under `total = "population"`: what a period's
/// total is, for any set of rows (an area's units, say).
pub fn total_by_rule(rule: Total, values: &[f64], population: Option<&[f64]>) -> Option<f64> {
    match (rule, population) {
        (Total::None, _) => None,
        (Total::Population, Some(population)) => rank::population_total(values, population),
        _ => rank::mean_total(values),
    }
}

/// Normalises every indicator's column in place. Columns are independent:
/// on large inputs they are normalised in parallel.
fn normalize_columns(
    definition: &Definition,
    groups: &[normalize::Group],
    rows: usize,
    indicator_scores: &mut [Vec<f64>],
) {
    let threads = parallel::threads_for(rows);
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
}

/// Each column's city figure per period by the `total` rule:
/// `totals[period][column]`. The composite, the dimensions and the groups
/// all take the same rule.
fn node_totals(
    rule: Total,
    keys: &Keys,
    population: Option<&[f64]>,
    columns: &[Vec<f64>],
) -> Vec<Vec<Option<f64>>> {
    let total_of = |column: &[f64], range: &std::ops::Range<usize>| {
        total_by_rule(
            rule,
            &column[range.clone()],
            population.map(|p| &p[range.clone()]),
        )
    };
    keys.period_ranges
        .iter()
        .map(|range| {
            columns
                .iter()
                .map(|column| total_of(column, range))
                .collect()
        })
        .collect()
}

/// The normalisation groups the scope asks for. Under base scope, the base
/// period must exist and every data-driven indicator needs a value in it.
fn normalization_groups(
    definition: &Definition,
    keys: &Keys,
    values: &[Vec<f64>],
    errors: &mut Collector,
) -> Vec<normalize::Group> {
    let all_rows = 0..keys.rows.len();
    match definition.method.scope {
        Scope::Period => keys
            .period_ranges
            .iter()
            .cloned()
            .map(normalize::Group::own)
            .collect(),
        Scope::Pooled => vec![normalize::Group::own(all_rows)],
        Scope::Base => {
            let Some(base) = base_period(definition, keys, errors) else {
                return Vec::new();
            };
            let reference = keys.period_ranges[base].clone();
            for ((_, indicator), column) in definition.indicators().zip(values) {
                if !indicator.normalize.is_data_driven() {
                    continue;
                }
                let stats = normalize::Stats::of(column[reference.clone()].iter().copied());
                if stats.n == 0 {
                    errors.push(ScoreError::NoBaseValue {
                        path: keys.source.clone(),
                        indicator: indicator.id.clone(),
                        period: keys.periods[base].clone(),
                    });
                } else if stats.is_constant() {
                    // Every later value would score the midpoint: a unit
                    // losing 60 points would show no change at all.
                    errors.push(ScoreError::ConstantBase {
                        path: keys.source.clone(),
                        indicator: indicator.id.clone(),
                        period: keys.periods[base].clone(),
                        value: stats.min,
                    });
                }
            }
            vec![normalize::Group {
                reference,
                rows: all_rows,
            }]
        }
    }
}

/// The index of the base period: the one named, else the earliest.
fn base_period(definition: &Definition, keys: &Keys, errors: &mut Collector) -> Option<usize> {
    let Some(wanted) = &definition.method.base_period else {
        return (!keys.periods.is_empty()).then_some(0);
    };
    let wanted_label = crate::data::period_label(wanted);
    let found = keys.periods.iter().position(|p| *p == wanted_label);
    if found.is_none() {
        errors.push(ScoreError::UnknownBasePeriod {
            origin: definition.origin.clone(),
            period: wanted.clone(),
            known: keys.periods.clone(),
        });
    }
    found
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
        error.messages()
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

#[cfg(test)]
mod base_scope_tests {
    use super::tests::{close, run};

    const BASE: &str = "[index]\nname='T'\n[method]\nnormalize='NORMALIZE'\nscope='base'\nBASE_PERIOD\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";

    fn base(normalize: &str, base_period: &str) -> String {
        BASE.replace("NORMALIZE", normalize)
            .replace("BASE_PERIOD", base_period)
    }

    // Base 2017: A 10, B 20, C 30 (min 10, max 30, mean 20, sd 10).
    const GROWING: &str =
        "unit,period,x\nA,2017,10\nB,2017,20\nC,2017,30\nA,2018,14\nB,2018,25\nC,2018,40\n";

    #[test]
    fn minmax_on_the_base_period_scores_later_periods_on_its_scale() {
        let s = run(&base("minmax", ""), GROWING).unwrap();
        // 2017: 0, 50, 100. 2018 on [10, 30]: (14−10)/20 = 20, (25−10)/20 = 75, (40−10)/20 = 150.
        assert_eq!(s.composite, vec![0.0, 50.0, 100.0, 20.0, 75.0, 150.0]);
    }

    #[test]
    fn zscore_efficacy_and_rank_use_the_base_statistics() {
        let z = run(&base("zscore", ""), GROWING).unwrap();
        // (x − 20)/10.
        for (got, want) in z.composite.iter().zip([-1.0, 0.0, 1.0, -0.6, 0.5, 2.0]) {
            close(*got, want);
        }
        let e = run(&base("efficacy", ""), GROWING).unwrap();
        // 60 + 0.4·minmax.
        assert_eq!(e.composite, vec![60.0, 80.0, 100.0, 68.0, 90.0, 120.0]);
        let r = run(&base("rank", ""), GROWING).unwrap();
        // Against 10, 20, 30 (n = 3): 14 sits between ranks 1 and 2 → 1.5 →
        // 100·0.5/2 = 25; 25 → 2.5 → 75; 40 beyond every value → rank 3 → 100.
        assert_eq!(r.composite, vec![0.0, 50.0, 100.0, 25.0, 75.0, 100.0]);
    }

    #[test]
    fn a_named_base_period_is_the_reference() {
        let s = run(&base("minmax", "base_period = 2018"), GROWING).unwrap();
        // On [14, 40] (width 26): 10 → −400/26, 30 → 16/26·100, 25 → 11/26·100.
        close(s.composite[0], -400.0 / 26.0);
        close(s.composite[2], 1600.0 / 26.0);
        close(s.composite[4], 1100.0 / 26.0);
        assert_eq!(s.composite[5], 100.0);
    }

    #[test]
    fn a_unit_improving_everywhere_rises_under_base_scope() {
        // Under period scope A's relative position falls although every value
        // rises; under base scope its score rises with its values.
        let csv = "unit,period,x\nA,1,50\nB,1,40\nC,1,60\nA,2,52\nB,2,45\nC,2,70\n";
        let period = run(
            &BASE
                .replace("scope='base'\n", "")
                .replace("NORMALIZE", "minmax")
                .replace("BASE_PERIOD", ""),
            csv,
        )
        .unwrap();
        assert!(period.composite[3] < period.composite[0]);
        let base = run(&base("minmax", ""), csv).unwrap();
        assert!(base.composite[3] > base.composite[0]);
    }

    #[test]
    fn adding_a_period_does_not_move_earlier_scores() {
        let more = format!("{GROWING}A,2019,50\nB,2019,5\nC,2019,30\n");
        let before = run(&base("minmax", ""), GROWING).unwrap();
        let after = run(&base("minmax", ""), &more).unwrap();
        assert_eq!(before.composite[..], after.composite[..6]);
    }

    #[test]
    fn a_base_period_is_matched_as_the_data_periods_are() {
        let wide = run(&base("minmax", "base_period = '２０１８'"), GROWING).unwrap();
        let plain = run(&base("minmax", "base_period = '2018'"), GROWING).unwrap();
        assert_eq!(wide.composite, plain.composite);
    }

    #[test]
    fn an_unknown_base_period_lists_the_periods() {
        let error = run(&base("minmax", "base_period = '2016'"), GROWING).unwrap_err();
        let problem = &error.problems()[0];
        assert!(
            problem
                .message
                .contains("base_period `2016` is not a period"),
            "{problem}"
        );
        assert!(problem.hint.as_deref().unwrap().contains("2017, 2018"));
    }

    #[test]
    fn an_indicator_without_a_base_value_is_an_error() {
        let def = base("minmax", "").replace("[method]", "[method]\nmissing='skip'");
        let csv = "unit,period,x\nA,2017,\nB,2017,\nA,2018,3\nB,2018,4\n";
        let error = run(&def, csv).unwrap_err();
        assert!(
            error.problems()[0]
                .message
                .contains("`x` has no value in the base period 2017"),
            "{error:?}"
        );
    }

    #[test]
    fn an_indicator_constant_in_the_base_period_is_an_error() {
        // A and B both 100 in 2017: every 2018 value would score 50, and B's
        // fall from 100 to 40 would show as no change.
        let csv = "unit,period,x\nA,2017,100\nB,2017,100\nA,2018,90\nB,2018,40\n";
        for method in ["minmax", "zscore", "efficacy", "rank"] {
            let error = run(&base(method, ""), csv).unwrap_err();
            let message = &error.problems()[0].message;
            assert!(
                message.contains("`x` is 100 for every unit in the base period 2017"),
                "{method}: {message}"
            );
        }
    }

    #[test]
    fn base_period_without_base_scope_is_an_error() {
        let def = base("minmax", "base_period = '2017'").replace("scope='base'\n", "");
        let error = run(&def, GROWING).unwrap_err();
        assert!(
            error.problems()[0]
                .message
                .contains("scope is not \"base\"")
        );
    }
}

#[cfg(test)]
mod numeric_safety_tests {
    use super::tests::run;

    const ZSCORE: &str = "[index]\nname='T'\n[method]\nnormalize='zscore'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";

    #[test]
    fn the_middle_of_three_evenly_spaced_values_has_a_zscore_of_exactly_zero() {
        let s = run(ZSCORE, "unit,period,x\nA,1,0.1\nB,1,0.2\nC,1,0.3\n").unwrap();
        assert_eq!(s.composite[1], 0.0);
        assert!((s.composite[0] + 1.0).abs() < 1e-12);
    }

    #[test]
    fn tiny_values_keep_their_zscores() {
        // Squares of 1e-170 underflow: without scaling every unit scored 0, tied.
        let s = run(
            ZSCORE,
            "unit,period,x\nA,1,1e-170\nB,1,2e-170\nC,1,3e-170\n",
        )
        .unwrap();
        assert!((s.composite[0] + 1.0).abs() < 1e-12, "{:?}", s.composite);
        assert!((s.composite[2] - 1.0).abs() < 1e-12);
        assert_eq!(s.ranks, vec![Some(3), Some(2), Some(1)]);
    }

    #[test]
    fn a_score_too_small_for_harmonic_aggregation_is_named() {
        let def = "[index]\nname='T'\n[method]\nnormalize='none'\naggregate='harmonic'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\n";
        let error = run(def, "unit,period,x,y\nA,1,1e-320,5\n").unwrap_err();
        let message = error.problems()[0].message.clone();
        assert!(message.contains("indicator `x`"), "{message}");
        assert!(message.contains("so close to zero"), "{message}");
    }
}

#[cfg(test)]
mod audit_tests {
    use super::missing::Filled;
    use super::tests::run;
    use crate::definition::Missing;

    const DEF: &str = "[index]\nname='T'\n[data]\npopulation='pop'\n[method]\nnormalize='none'\nmissing='RULE'\ntotal='TOTAL'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension]]\nid='b'\n[[dimension.indicator]]\nid='y'\n";

    #[test]
    fn filled_cells_are_listed() {
        let def = DEF.replace("RULE", "mean").replace("TOTAL", "mean");
        let s = run(
            &def,
            "unit,period,pop,x,y\nA,1,1,10,1\nB,1,1,,2\nC,1,1,30,3\n",
        )
        .unwrap();
        assert_eq!(
            s.filled,
            vec![Filled {
                row: 1,
                indicator: 0,
                value: 20.0,
                rule: Missing::Mean
            }]
        );
        let def = DEF.replace("RULE", "carry").replace("TOTAL", "mean");
        let s = run(&def, "unit,period,pop,x,y\nA,1,1,10,1\nA,2,1,,2\n").unwrap();
        assert_eq!(s.filled.len(), 1);
        assert_eq!((s.filled[0].row, s.filled[0].value), (1, 10.0));
    }

    #[test]
    fn dimension_totals_follow_the_total_rule() {
        let csv = "unit,period,pop,x,y\nA,1,1,10,40\nB,1,3,30,80\n";
        let mean = run(&DEF.replace("RULE", "error").replace("TOTAL", "mean"), csv).unwrap();
        assert_eq!(mean.total_dimensions, vec![vec![Some(20.0), Some(60.0)]]);
        let population = run(
            &DEF.replace("RULE", "error").replace("TOTAL", "population"),
            csv,
        )
        .unwrap();
        // (1·10 + 3·30)/4 = 25; (1·40 + 3·80)/4 = 70.
        assert_eq!(
            population.total_dimensions,
            vec![vec![Some(25.0), Some(70.0)]]
        );
        let none = run(&DEF.replace("RULE", "error").replace("TOTAL", "none"), csv).unwrap();
        assert_eq!(none.total_dimensions, vec![vec![None, None]]);
    }
}
