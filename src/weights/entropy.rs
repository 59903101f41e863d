//! The entropy method (熵值法, 熵权法): an indicator whose values are spread
//! unevenly across the units carries more information, so more weight.
//!
//! Per indicator j, on its present values (n_j of them):
//! x' = min-max to [0, 1] with direction, plus the shift;
//! p = x' / Σx'; e = −(1 / ln n_j)·Σ p ln p with 0·ln 0 = 0;
//! d = 1 − e; w = d / Σd.

use super::data;
use super::{Column, WeightError, WeightWarning, normalised};
use crate::sum::Sum;

const METHOD: &str = "entropy";

/// Divergences this small are rounding, not information (e is computed to
/// about 1e-16): when every indicator's is, the weights would be noise.
const NOISE: f64 = 1e-12;

/// One indicator's entropy diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct EntropyColumn {
    /// Values present (rows used for this indicator).
    pub n: usize,
    /// Entropy e, from 0 to 1; `None` for a constant indicator.
    pub entropy: Option<f64>,
    /// Divergence d = 1 − e (0 for a constant indicator).
    pub divergence: f64,
}

/// Entropy weights with their diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct EntropyWeights {
    /// One weight per column, summing to 1.
    pub weights: Vec<f64>,
    /// Per column: n, e and d.
    pub columns: Vec<EntropyColumn>,
    /// The shift added after min-max.
    pub shift: f64,
    /// Constant indicators (weight 0).
    pub warnings: Vec<WeightWarning>,
}

/// Entropy weights of the columns; each column uses its own present values.
pub fn entropy(columns: &[Column<'_>], shift: f64) -> Result<EntropyWeights, Vec<WeightError>> {
    if !(shift.is_finite() && shift >= 0.0) {
        return Err(vec![WeightError::BadShift { value: shift }]);
    }
    data::check(METHOD, columns)?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut diagnostics = Vec::with_capacity(columns.len());
    for column in columns {
        let values = data::present(column);
        if values.len() < 2 {
            errors.push(WeightError::TooFewValues {
                method: METHOD,
                column: Some(column.name.to_string()),
                found: values.len(),
                needed: 2,
            });
            continue;
        }
        let entropy =
            data::unit_scale(&values, column.direction).map(|scaled| entropy_of(&scaled, shift));
        if entropy.is_none() {
            warnings.push(WeightWarning::Constant {
                method: METHOD,
                column: column.name.to_string(),
            });
        }
        diagnostics.push(EntropyColumn {
            n: values.len(),
            entropy,
            // e is at most 1 in exact arithmetic; rounding must not make d negative.
            divergence: entropy.map_or(0.0, |e| (1.0 - e).max(0.0)),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let divergences: Vec<f64> = diagnostics.iter().map(|c| c.divergence).collect();
    if divergences.iter().all(|&d| d <= NOISE) {
        return Err(vec![WeightError::NoVariation { method: METHOD }]);
    }
    Ok(EntropyWeights {
        weights: normalised(&divergences),
        columns: diagnostics,
        shift,
        warnings,
    })
}

/// e = −(1 / ln n)·Σ p ln p of values in [0, 1] (plus the shift), not all 0.
fn entropy_of(scaled: &[f64], shift: f64) -> f64 {
    let shifted: Vec<f64> = scaled.iter().map(|x| x + shift).collect();
    let total = shifted.iter().copied().collect::<Sum>().value();
    let mut sum = Sum::new();
    for x in shifted {
        // 0·ln 0 = 0, its limit: a unit at the worst value adds nothing.
        if x > 0.0 {
            let p = x / total;
            sum.add(p * p.ln());
        }
    }
    -sum.value() / (scaled.len() as f64).ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::Direction;

    fn col<'a>(name: &'a str, values: &'a [f64], direction: Direction) -> Column<'a> {
        Column {
            name,
            values,
            direction,
        }
    }

    #[test]
    fn hand_checked_example() {
        // a = 1, 2, 3 → x' = 0, ½, 1 → p = 0, ⅓, ⅔;
        //   e = (⅓·ln 3 + ⅔·ln 1.5) / ln 3 = 0.579380164285695, d = 0.420619835714305.
        // b = 5, 5, 9 → x' = 0, 0, 1 → p = 0, 0, 1; e = 0 (0·ln 0 = 0), d = 1.
        // w = d / Σd = 0.296081910965865, 0.703918089034135.
        let a = [1.0, 2.0, 3.0];
        let b = [5.0, 5.0, 9.0];
        let derived = entropy(
            &[
                col("a", &a, Direction::Higher),
                col("b", &b, Direction::Higher),
            ],
            0.0,
        )
        .unwrap();
        let e = (3f64.ln() / 3.0 + 2.0 * 1.5f64.ln() / 3.0) / 3f64.ln();
        assert!((e - 0.579380164285695).abs() < 1e-15);
        assert!((derived.columns[0].entropy.unwrap() - e).abs() < 1e-15);
        assert_eq!(derived.columns[1].entropy, Some(0.0));
        let d = 1.0 - e;
        assert!((derived.weights[0] - d / (d + 1.0)).abs() < 1e-15);
        assert!((derived.weights[1] - 1.0 / (d + 1.0)).abs() < 1e-15);
        assert!((derived.weights[0] - 0.2960819109658652).abs() < 1e-15);
    }

    #[test]
    fn direction_mirrors_the_scale() {
        // Lower is better: 1, 2, 3 scores as 3, 2, 1 would.
        let a = [1.0, 2.0, 3.0];
        let mirrored = [3.0, 2.0, 1.0];
        let b = [4.0, 1.0, 7.0];
        let lower = entropy(
            &[
                col("a", &a, Direction::Lower),
                col("b", &b, Direction::Higher),
            ],
            0.0,
        )
        .unwrap();
        let higher = entropy(
            &[
                col("a", &mirrored, Direction::Higher),
                col("b", &b, Direction::Higher),
            ],
            0.0,
        )
        .unwrap();
        assert_eq!(lower.weights, higher.weights);
    }

    #[test]
    fn a_shift_smooths_the_zero_shares() {
        // With shift 0.01, b = 0, 0, 1 → p = 0.01/1.03, 0.01/1.03, 1.01/1.03.
        let a = [1.0, 2.0, 3.0];
        let b = [5.0, 5.0, 9.0];
        let derived = entropy(
            &[
                col("a", &a, Direction::Higher),
                col("b", &b, Direction::Higher),
            ],
            0.01,
        )
        .unwrap();
        let p: [f64; 3] = [0.01 / 1.03, 0.01 / 1.03, 1.01 / 1.03];
        let e: f64 = -p.iter().map(|p| p * p.ln()).sum::<f64>() / 3f64.ln();
        assert!((derived.columns[1].entropy.unwrap() - e).abs() < 1e-14);
        assert_eq!(derived.shift, 0.01);
    }

    #[test]
    fn a_constant_column_gets_zero_and_a_warning() {
        let a = [1.0, 2.0, 3.0];
        let flat = [7.0, 7.0, 7.0];
        let derived = entropy(
            &[
                col("a", &a, Direction::Higher),
                col("flat", &flat, Direction::Higher),
            ],
            0.0,
        )
        .unwrap();
        assert_eq!(derived.weights, vec![1.0, 0.0]);
        assert_eq!(
            derived.warnings,
            vec![WeightWarning::Constant {
                method: "entropy",
                column: "flat".into()
            }]
        );
        let error = entropy(&[col("flat", &flat, Direction::Higher)], 0.0).unwrap_err();
        assert_eq!(error, vec![WeightError::NoVariation { method: "entropy" }]);
    }

    #[test]
    fn missing_values_are_left_out_per_column() {
        let a = [1.0, f64::NAN, 2.0, 3.0];
        let b = [5.0, 5.0, f64::NAN, 9.0];
        let with_gaps = entropy(
            &[
                col("a", &a, Direction::Higher),
                col("b", &b, Direction::Higher),
            ],
            0.0,
        )
        .unwrap();
        assert_eq!(with_gaps.columns[0].n, 3);
        let a = [1.0, 2.0, 3.0];
        let b = [5.0, 5.0, 9.0];
        let complete = entropy(
            &[
                col("a", &a, Direction::Higher),
                col("b", &b, Direction::Higher),
            ],
            0.0,
        )
        .unwrap();
        assert_eq!(with_gaps.weights, complete.weights);
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let one = [1.0, f64::NAN];
        let error = entropy(&[col("one", &one, Direction::Higher)], 0.0).unwrap_err();
        assert!(matches!(
            &error[0],
            WeightError::TooFewValues { found: 1, .. }
        ));
        for shift in [-0.1, f64::NAN, f64::INFINITY] {
            assert!(entropy(&[col("one", &one, Direction::Higher)], shift).is_err());
        }
        let empty: [f64; 0] = [];
        assert!(entropy(&[col("e", &empty, Direction::Higher)], 0.0).is_err());
        assert!(entropy(&[], 0.0).is_err());
        // A shift so large that every share is equal: no information left.
        let a = [1.0, 2.0, 3.0];
        assert_eq!(
            entropy(&[col("a", &a, Direction::Higher)], 1e300).unwrap_err(),
            vec![WeightError::NoVariation { method: "entropy" }]
        );
    }
}
