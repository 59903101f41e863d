//! CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995, "Determining objective
//! weights in multiple criteria problems: the CRITIC method"): an indicator
//! weighs more when it varies more and agrees less with the others.
//!
//! On the complete rows (every indicator present), per indicator j:
//! x' = min-max to [0, 1] with direction; s_j = sample sd (n − 1) of x';
//! C_j = s_j·Σ_k (1 − r_jk), r Pearson's correlation of the x'; w = C / ΣC.

use super::data;
use super::{Column, WeightError, WeightWarning, normalised};

const METHOD: &str = "critic";

/// A correlation this close to 1 is taken as 1: two indicators that are
/// affine images of each other (x and 2x + 3) must not weigh by the
/// rounding left in 1 − r.
const PERFECT: f64 = 1e-12;

/// One indicator's CRITIC diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct CriticColumn {
    /// s_j: sample sd of the min-max values (0 for a constant indicator).
    pub sd: f64,
    /// Σ_k (1 − r_jk) over the indicators that vary (0 for a constant one).
    pub conflict: f64,
    /// C_j = s_j · conflict.
    pub information: f64,
}

/// CRITIC weights with their diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct CriticWeights {
    /// One weight per column, summing to 1.
    pub weights: Vec<f64>,
    /// Complete rows used.
    pub rows: usize,
    /// Per column: s, Σ(1 − r) and C.
    pub columns: Vec<CriticColumn>,
    /// Pearson's r between the columns (0 where either is constant; 1 on
    /// the diagonal).
    pub correlations: Vec<Vec<f64>>,
    /// Constant indicators, rows left out, perfectly correlated indicators.
    pub warnings: Vec<WeightWarning>,
}

/// CRITIC weights of the columns, on the rows where every column has a value.
///
/// A constant indicator gets weight 0 and is left out of the others'
/// correlation sums, so adding one changes no other weight. When the
/// indicators that vary are all perfectly correlated (also when only one
/// varies), ΣC is 0: they share the weight equally, with a warning when
/// there is more than one.
pub fn critic(columns: &[Column<'_>]) -> Result<CriticWeights, Vec<WeightError>> {
    let total = data::check(METHOD, columns)?;
    let rows = data::complete_rows(columns, total);
    if rows.len() < 2 {
        return Err(vec![WeightError::TooFewValues {
            method: METHOD,
            column: None,
            found: rows.len(),
            needed: 2,
        }]);
    }
    let mut warnings = Vec::new();
    if rows.len() < total {
        warnings.push(WeightWarning::RowsLeftOut {
            method: METHOD,
            used: rows.len(),
            total,
        });
    }
    let scaled: Vec<Option<Vec<f64>>> = columns
        .iter()
        .map(|c| data::unit_scale(&data::on_rows(c, &rows), c.direction))
        .collect();
    for (column, values) in columns.iter().zip(&scaled) {
        if values.is_none() {
            warnings.push(WeightWarning::Constant {
                method: METHOD,
                column: column.name.to_string(),
            });
        }
    }
    let varying: Vec<usize> = (0..columns.len())
        .filter(|&j| scaled[j].is_some())
        .collect();
    if varying.is_empty() {
        return Err(vec![WeightError::NoVariation { method: METHOD }]);
    }
    let correlations = correlation_matrix(&scaled);
    let diagnostics: Vec<CriticColumn> = (0..columns.len())
        .map(|j| {
            let Some(values) = &scaled[j] else {
                return CriticColumn {
                    sd: 0.0,
                    conflict: 0.0,
                    information: 0.0,
                };
            };
            let sd = data::mean_sd(values).1;
            let conflict: f64 = varying
                .iter()
                .map(|&k| {
                    let gap = 1.0 - correlations[j][k];
                    if gap < PERFECT { 0.0 } else { gap }
                })
                .sum();
            CriticColumn {
                sd,
                conflict,
                information: sd * conflict,
            }
        })
        .collect();
    let information: Vec<f64> = diagnostics.iter().map(|c| c.information).collect();
    let weights = if information.iter().all(|&c| c == 0.0) {
        if varying.len() > 1 {
            warnings.push(WeightWarning::NoConflict {
                columns: varying
                    .iter()
                    .map(|&j| columns[j].name.to_string())
                    .collect(),
            });
        }
        let share = 1.0 / varying.len() as f64;
        (0..columns.len())
            .map(|j| if scaled[j].is_some() { share } else { 0.0 })
            .collect()
    } else {
        normalised(&information)
    };
    Ok(CriticWeights {
        weights,
        rows: rows.len(),
        columns: diagnostics,
        correlations,
        warnings,
    })
}

/// Pearson's r of every pair of varying columns; 0 against a constant one.
fn correlation_matrix(scaled: &[Option<Vec<f64>>]) -> Vec<Vec<f64>> {
    let m = scaled.len();
    let mut r = vec![vec![0.0; m]; m];
    for j in 0..m {
        r[j][j] = 1.0;
        for k in (j + 1)..m {
            if let (Some(a), Some(b)) = (&scaled[j], &scaled[k]) {
                let value = data::pearson(a, b);
                r[j][k] = value;
                r[k][j] = value;
            }
        }
    }
    r
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
        // a = 0, 1, 2 → x' = 0, ½, 1, s = ½. b = 0, 2, 1 → x' = 0, 1, ½, s = ½.
        // c = 0, 0, 1 → x' = 0, 0, 1, s = 1/√3.
        // r_ab = ½ (Σdxdy = ¼ over √(½·½)), r_ac = √3/2, r_bc = 0.
        // C_a = ½(½ + 1 − √3/2), C_b = ½(½ + 1), C_c = (1/√3)(1 − √3/2 + 1).
        let a = [0.0, 1.0, 2.0];
        let b = [0.0, 2.0, 1.0];
        let c = [0.0, 0.0, 1.0];
        let derived = critic(&[col("a", &a), col("b", &b), col("c", &c)]).unwrap();
        let half_root3 = 3f64.sqrt() / 2.0;
        assert!((derived.correlations[0][1] - 0.5).abs() < 1e-15);
        assert!((derived.correlations[0][2] - half_root3).abs() < 1e-15);
        assert!(derived.correlations[1][2].abs() < 1e-15);
        let expected = [
            0.5 * (1.5 - half_root3),
            0.5 * 1.5,
            (2.0 - half_root3) / 3f64.sqrt(),
        ];
        let total: f64 = expected.iter().sum();
        for (w, c) in derived.weights.iter().zip(expected) {
            assert!((w - c / total).abs() < 1e-15, "{w} vs {}", c / total);
        }
        assert_eq!(derived.rows, 3);
    }

    #[test]
    fn a_constant_column_changes_no_other_weight() {
        let a = [0.0, 1.0, 2.0, 5.0];
        let b = [0.0, 2.0, 1.0, 1.0];
        let flat = [3.0; 4];
        let without = critic(&[col("a", &a), col("b", &b)]).unwrap();
        let with = critic(&[col("a", &a), col("flat", &flat), col("b", &b)]).unwrap();
        assert_eq!(
            with.weights,
            vec![without.weights[0], 0.0, without.weights[1]]
        );
        assert!(
            matches!(&with.warnings[0], WeightWarning::Constant { column, .. } if column == "flat")
        );
    }

    #[test]
    fn perfectly_correlated_columns_share_the_weight() {
        let a = [0.0, 1.0, 2.0, 5.0];
        let affine = [3.0, 5.0, 7.0, 13.0];
        let derived = critic(&[col("a", &a), col("twice", &affine)]).unwrap();
        assert_eq!(derived.weights, vec![0.5, 0.5]);
        assert!(matches!(
            &derived.warnings[0],
            WeightWarning::NoConflict { .. }
        ));
        // One varying column takes all the weight, without a warning.
        let alone = critic(&[col("a", &a)]).unwrap();
        assert_eq!(alone.weights, vec![1.0]);
        assert!(alone.warnings.is_empty());
    }

    #[test]
    fn incomplete_rows_are_left_out_and_said() {
        let a = [0.0, 1.0, f64::NAN, 2.0];
        let b = [0.0, 2.0, 9.0, 1.0];
        let c = [0.0, 0.0, 4.0, 1.0];
        let gaps = critic(&[col("a", &a), col("b", &b), col("c", &c)]).unwrap();
        assert_eq!(gaps.rows, 3);
        assert_eq!(
            gaps.warnings[0],
            WeightWarning::RowsLeftOut {
                method: "critic",
                used: 3,
                total: 4
            }
        );
        let a = [0.0, 1.0, 2.0];
        let b = [0.0, 2.0, 1.0];
        let c = [0.0, 0.0, 1.0];
        let complete = critic(&[col("a", &a), col("b", &b), col("c", &c)]).unwrap();
        assert_eq!(gaps.weights, complete.weights);
    }

    #[test]
    fn too_few_rows_or_no_variation_are_errors() {
        let a = [0.0, f64::NAN];
        let b = [f64::NAN, 1.0];
        assert!(matches!(
            &critic(&[col("a", &a), col("b", &b)]).unwrap_err()[0],
            WeightError::TooFewValues {
                found: 0,
                needed: 2,
                column: None,
                ..
            }
        ));
        let flat = [1.0, 1.0];
        assert_eq!(
            critic(&[col("flat", &flat)]).unwrap_err(),
            vec![WeightError::NoVariation { method: "critic" }]
        );
    }
}
