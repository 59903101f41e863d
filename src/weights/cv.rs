//! The coefficient of variation method (变异系数法): an indicator weighs by
//! its relative spread, cv_j = sd_j / |mean_j| on its raw present values
//! (sd with n − 1); w = cv / Σcv. Direction plays no part: the spread of
//! a lower-is-better indicator is the same spread.

use super::data;
use super::{Column, WeightError, WeightWarning, normalised};

const METHOD: &str = "cv";

/// A mean at most this share of the largest absolute value is zero for
/// the purpose of dividing by it: cv would be rounding noise.
const ZERO_MEAN: f64 = 1e-10;

/// One indicator's CV diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct CvColumn {
    /// Values present.
    pub n: usize,
    /// Mean of the raw values.
    pub mean: f64,
    /// Sample standard deviation (n − 1).
    pub sd: f64,
    /// sd / |mean| (0 for a constant indicator).
    pub cv: f64,
}

/// Coefficient-of-variation weights with their diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct CvWeights {
    /// One weight per column, summing to 1.
    pub weights: Vec<f64>,
    /// Per column: n, mean, sd and cv.
    pub columns: Vec<CvColumn>,
    /// Constant indicators, indicators with values of both signs.
    pub warnings: Vec<WeightWarning>,
}

/// CV weights of the columns; each column uses its own present values.
pub fn cv(columns: &[Column<'_>]) -> Result<CvWeights, Vec<WeightError>> {
    data::check(METHOD, columns)?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut diagnostics = Vec::with_capacity(columns.len());
    for column in columns {
        match column_cv(column, &mut warnings) {
            Ok(diagnostic) => diagnostics.push(diagnostic),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let cvs: Vec<f64> = diagnostics.iter().map(|c| c.cv).collect();
    if cvs.iter().all(|&c| c == 0.0) {
        return Err(vec![WeightError::NoVariation { method: METHOD }]);
    }
    Ok(CvWeights {
        weights: normalised(&cvs),
        columns: diagnostics,
        warnings,
    })
}

fn column_cv(
    column: &Column<'_>,
    warnings: &mut Vec<WeightWarning>,
) -> Result<CvColumn, WeightError> {
    let values = data::present(column);
    if values.len() < 2 {
        return Err(WeightError::TooFewValues {
            method: METHOD,
            column: Some(column.name.to_string()),
            found: values.len(),
            needed: 2,
        });
    }
    let (mean, sd) = data::mean_sd(&values);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if min == max {
        warnings.push(WeightWarning::Constant {
            method: METHOD,
            column: column.name.to_string(),
        });
        return Ok(CvColumn {
            n: values.len(),
            mean,
            sd: 0.0,
            cv: 0.0,
        });
    }
    let scale = min.abs().max(max.abs());
    if mean.abs() <= ZERO_MEAN * scale {
        return Err(WeightError::MeanNearZero {
            column: column.name.to_string(),
            mean,
        });
    }
    if min < 0.0 && max > 0.0 {
        warnings.push(WeightWarning::MixedSigns {
            column: column.name.to_string(),
        });
    }
    Ok(CvColumn {
        n: values.len(),
        mean,
        sd,
        cv: sd / mean.abs(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::Direction;

    fn col<'a>(name: &'a str, values: &'a [f64]) -> Column<'a> {
        Column {
            name,
            values,
            direction: Direction::Higher,
        }
    }

    #[test]
    fn hand_checked_example() {
        // a = 2, 4, 6: mean 4, sd 2, cv ½. b = 10, 20: mean 15, sd √50, cv √50/15.
        let a = [2.0, 4.0, 6.0];
        let b = [10.0, 20.0, f64::NAN];
        let derived = cv(&[col("a", &a), col("b", &b)]).unwrap();
        assert_eq!(derived.columns[0].cv, 0.5);
        let cv_b = 50f64.sqrt() / 15.0;
        assert!((derived.columns[1].cv - cv_b).abs() < 1e-15);
        assert!((derived.weights[0] - 0.5 / (0.5 + cv_b)).abs() < 1e-15);
        assert_eq!(derived.columns[1].n, 2);
    }

    #[test]
    fn direction_and_sign_of_the_scale_do_not_matter() {
        let a = [2.0, 4.0, 6.0];
        let b = [1.0, 5.0, 6.0];
        let negated = [-1.0, -5.0, -6.0];
        let plain = cv(&[col("a", &a), col("b", &b)]).unwrap();
        let lower = cv(&[
            col("a", &a),
            Column {
                direction: Direction::Lower,
                ..col("b", &negated)
            },
        ])
        .unwrap();
        assert_eq!(plain.weights, lower.weights);
    }

    #[test]
    fn a_mean_of_zero_is_an_error_naming_the_indicator() {
        let a = [2.0, 4.0, 6.0];
        let centred = [-1.0, 0.0, 1.0];
        let errors = cv(&[col("a", &a), col("growth", &centred)]).unwrap_err();
        assert_eq!(
            errors,
            vec![WeightError::MeanNearZero {
                column: "growth".into(),
                mean: 0.0
            }]
        );
    }

    #[test]
    fn constant_and_mixed_sign_columns_are_warned_about() {
        let a = [2.0, 4.0, 6.0];
        let flat = [0.0, 0.0, 0.0];
        let mixed = [-1.0, 2.0, 5.0];
        let derived = cv(&[col("a", &a), col("flat", &flat), col("mixed", &mixed)]).unwrap();
        assert_eq!(derived.weights[1], 0.0);
        assert!(
            matches!(&derived.warnings[0], WeightWarning::Constant { column, .. } if column == "flat")
        );
        assert!(
            matches!(&derived.warnings[1], WeightWarning::MixedSigns { column } if column == "mixed")
        );
        assert_eq!(
            cv(&[col("flat", &flat)]).unwrap_err(),
            vec![WeightError::NoVariation { method: "cv" }]
        );
    }
}
