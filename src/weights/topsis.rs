//! TOPSIS (Hwang & Yoon 1981): each row scored by its closeness to the
//! ideal row and its distance from the anti-ideal one.
//!
//! Over the rows given (the scope): r_ij = x_ij / √Σ_i x_ij² per column
//! (vector normalisation); v = w_j·r_ij; the ideal v⁺_j is the best v of the
//! column by direction and the anti-ideal v⁻_j the worst; D⁺_i and D⁻_i are
//! Euclidean distances to them; score = 100·D⁻ / (D⁺ + D⁻).

use super::data;
use super::{Column, WeightError, WeightWarning};
use crate::definition::Direction;
use crate::sum::Sum;

/// TOPSIS scores with the distances behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct Topsis {
    /// Per row: 0 to 100; `None` for a row with no value.
    pub scores: Vec<Option<f64>>,
    /// Per row: distance to the ideal.
    pub d_best: Vec<Option<f64>>,
    /// Per row: distance to the anti-ideal.
    pub d_worst: Vec<Option<f64>>,
    /// Per column: the ideal weighted value (`None` when the column has no value).
    pub ideal: Vec<Option<f64>>,
    /// Per column: the anti-ideal weighted value.
    pub anti_ideal: Vec<Option<f64>>,
    /// Rows scored 50 because they tie the ideal and the anti-ideal.
    pub warnings: Vec<WeightWarning>,
}

/// TOPSIS scores of the rows, with one weight per column (relative: only
/// their ratios matter, and they need not sum to 1).
///
/// A missing cell takes no part in its row's distances: D⁺ and D⁻ are both
/// taken over the columns the row has, so a row is compared with the ideal
/// on what is known of it. A row with no value has no score. A row whose
/// D⁺ + D⁻ is 0 (it equals the ideal and the anti-ideal on every column it
/// has: every unit alike there) scores 50, the midpoint, with a warning.
pub fn topsis(columns: &[Column<'_>], weights: &[f64]) -> Result<Topsis, Vec<WeightError>> {
    let rows = data::check("TOPSIS", columns)?;
    let mut errors = Vec::new();
    if weights.len() != columns.len() {
        errors.push(WeightError::LengthMismatch {
            which: "TOPSIS",
            expected: columns.len(),
            found: weights.len(),
        });
    }
    super::combined::check("TOPSIS", weights, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let weighted: Vec<Vec<f64>> = columns
        .iter()
        .zip(weights)
        .map(|(c, &w)| weighted_column(c.values, w))
        .collect();
    let best = |c: &Column<'_>, v: &[f64], higher: bool| {
        let present = v.iter().copied().filter(|x| !x.is_nan());
        let want_max = (c.direction == Direction::Higher) == higher;
        if want_max {
            present.reduce(f64::max)
        } else {
            present.reduce(f64::min)
        }
    };
    let ideal: Vec<Option<f64>> = columns
        .iter()
        .zip(&weighted)
        .map(|(c, v)| best(c, v, true))
        .collect();
    let anti_ideal: Vec<Option<f64>> = columns
        .iter()
        .zip(&weighted)
        .map(|(c, v)| best(c, v, false))
        .collect();
    let distances: Vec<Option<(f64, f64)>> = (0..rows)
        .map(|row| distances(&weighted, row, &ideal, &anti_ideal))
        .collect();
    let mut ties = 0;
    let scores = distances
        .iter()
        .map(|d| {
            d.map(|(plus, minus)| {
                if plus + minus > 0.0 {
                    100.0 * (minus / (plus + minus))
                } else {
                    ties += 1;
                    50.0
                }
            })
        })
        .collect();
    let warnings = if ties > 0 {
        vec![WeightWarning::TopsisTies { rows: ties }]
    } else {
        Vec::new()
    };
    Ok(Topsis {
        scores,
        d_best: distances.iter().map(|d| d.map(|(plus, _)| plus)).collect(),
        d_worst: distances
            .iter()
            .map(|d| d.map(|(_, minus)| minus))
            .collect(),
        ideal,
        anti_ideal,
        warnings,
    })
}

/// (D⁺, D⁻) of one row over the columns it has; `None` when it has none.
fn distances(
    weighted: &[Vec<f64>],
    row: usize,
    ideal: &[Option<f64>],
    anti_ideal: &[Option<f64>],
) -> Option<(f64, f64)> {
    let present: Vec<usize> = (0..weighted.len())
        .filter(|&j| !weighted[j][row].is_nan())
        .collect();
    if present.is_empty() {
        return None;
    }
    let distance = |target: &[Option<f64>]| {
        let squares: Sum = present
            .iter()
            .map(|&j| {
                let value = weighted[j][row];
                let gap = value - target[j].unwrap_or(value);
                gap * gap
            })
            .collect();
        squares.value().sqrt()
    };
    Some((distance(ideal), distance(anti_ideal)))
}

/// w·x/‖x‖ over the present values; all 0 for a column of zeros. The norm
/// is taken on values divided by the largest, so squares of values near
/// 1e100 do not overflow (nor near 1e-170 underflow).
fn weighted_column(values: &[f64], weight: f64) -> Vec<f64> {
    let largest = values
        .iter()
        .filter(|x| !x.is_nan())
        .fold(0.0f64, |m, x| m.max(x.abs()));
    if largest == 0.0 {
        return values
            .iter()
            .map(|x| if x.is_nan() { *x } else { 0.0 })
            .collect();
    }
    let squares: Sum = values
        .iter()
        .filter(|x| !x.is_nan())
        .map(|x| (x / largest) * (x / largest))
        .collect();
    let norm = squares.value().sqrt();
    values
        .iter()
        .map(|x| weight * (x / largest) / norm)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col<'a>(name: &'a str, values: &'a [f64], direction: Direction) -> Column<'a> {
        Column {
            name,
            values,
            direction,
        }
    }

    #[test]
    fn hand_checked_example() {
        // a = 3, 4 (higher): ‖a‖ = 5, r = 0.6, 0.8; b = 1, 1 (lower): r = 0.7071 both.
        // Weights ½, ½: v_a = 0.3, 0.4; v_b equal, so b adds nothing.
        // Row 1: D⁺ = 0.1, D⁻ = 0 → 0; row 2: D⁺ = 0, D⁻ = 0.1 → 100.
        let a = [3.0, 4.0];
        let b = [1.0, 1.0];
        let t = topsis(
            &[
                col("a", &a, Direction::Higher),
                col("b", &b, Direction::Lower),
            ],
            &[0.5, 0.5],
        )
        .unwrap();
        assert_eq!(t.scores, vec![Some(0.0), Some(100.0)]);
        assert!((t.d_best[0].unwrap() - 0.1).abs() < 1e-15);
        // A middle row: a = 3, 4, 5 → ‖a‖ = √50; row 2 sits at (4 − 3)/(5 − 3) of the way.
        let a = [3.0, 4.0, 5.0];
        let t = topsis(&[col("a", &a, Direction::Higher)], &[1.0]).unwrap();
        assert!((t.scores[1].unwrap() - 50.0).abs() < 1e-12);
        let c = [3.0, 1.0, 0.0];
        let d = [0.0, 1.0, 3.0];
        // c higher, d lower, equal weights; both norms √10. Row 2 is
        // (1, 1)/√10; the ideal (3, 0)/√10 and the anti-ideal (0, 3)/√10,
        // so D⁺ = D⁻ = √(1 + 4)/√10 and it scores 50; row 1 is the ideal.
        let t = topsis(
            &[
                col("c", &c, Direction::Higher),
                col("d", &d, Direction::Lower),
            ],
            &[1.0, 1.0],
        )
        .unwrap();
        assert!((t.d_best[1].unwrap() - 0.5f64.sqrt()).abs() < 1e-15);
        assert!((t.d_worst[1].unwrap() - 0.5f64.sqrt()).abs() < 1e-15);
        assert!((t.scores[1].unwrap() - 50.0).abs() < 1e-12);
        assert_eq!(t.scores[0], Some(100.0), "{t:?}");
    }

    #[test]
    fn missing_cells_and_ties() {
        let a = [1.0, f64::NAN, 3.0, f64::NAN];
        let b = [2.0, 2.0, 2.0, f64::NAN];
        let t = topsis(
            &[
                col("a", &a, Direction::Higher),
                col("b", &b, Direction::Higher),
            ],
            &[1.0, 1.0],
        )
        .unwrap();
        // Row 2 has only b, which is constant: it ties, and scores 50.
        assert_eq!(t.scores[1], Some(50.0));
        assert_eq!(t.scores[3], None);
        assert_eq!(t.scores[0], Some(0.0));
        assert_eq!(t.scores[2], Some(100.0));
        assert_eq!(t.warnings, vec![WeightWarning::TopsisTies { rows: 1 }]);
    }

    #[test]
    fn weights_are_relative_and_extremes_are_safe() {
        let a = [1e99, 2e99, 3e99];
        let b = [1e-170, 3e-170, 2e-170];
        let columns = [
            col("a", &a, Direction::Higher),
            col("b", &b, Direction::Higher),
        ];
        let once = topsis(&columns, &[1.0, 2.0]).unwrap();
        let scaled = topsis(&columns, &[10.0, 20.0]).unwrap();
        for (x, y) in once.scores.iter().zip(&scaled.scores) {
            assert!((x.unwrap() - y.unwrap()).abs() < 1e-12);
            assert!(x.unwrap().is_finite());
        }
        assert!(matches!(
            &topsis(&columns, &[1.0]).unwrap_err()[0],
            WeightError::LengthMismatch { .. }
        ));
        assert!(topsis(&columns, &[0.0, 0.0]).is_err());
        assert!(topsis(&columns, &[-1.0, 1.0]).is_err());
    }
}
