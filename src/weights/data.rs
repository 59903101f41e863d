//! The checks and statistics every objective method shares: columns of one
//! length with finite values, complete rows, min-max to [0, 1] by
//! direction, sample standard deviation and Pearson correlation.

use super::{Column, WeightError};
use crate::definition::Direction;
use crate::limits::MAX_MAGNITUDE;
use crate::pipeline::normalize::Stats;
use crate::sum::Sum;

/// Checks that there is a column, that all have the length of the first and
/// that every present value is finite and within ±1e100; returns the number
/// of rows. One error per column at most, so a column of a million bad
/// values is one message.
pub(super) fn check(
    method: &'static str,
    columns: &[Column<'_>],
) -> Result<usize, Vec<WeightError>> {
    let Some(first) = columns.first() else {
        return Err(vec![WeightError::NoIndicators { method }]);
    };
    let rows = first.values.len();
    let mut errors = Vec::new();
    for column in columns {
        if column.values.len() != rows {
            errors.push(WeightError::UnequalLengths {
                column: column.name.to_string(),
                expected: rows,
                found: column.values.len(),
            });
            continue;
        }
        // NaN (missing) compares false; ±inf is beyond the bound.
        let bad = column.values.iter().position(|x| x.abs() > MAX_MAGNITUDE);
        if let Some(row) = bad {
            errors.push(WeightError::OutOfRange {
                column: column.name.to_string(),
                row,
                value: column.values[row],
            });
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The rows where every column has a value.
pub(super) fn complete_rows(columns: &[Column<'_>], rows: usize) -> Vec<usize> {
    (0..rows)
        .filter(|&row| columns.iter().all(|c| !c.values[row].is_nan()))
        .collect()
}

/// The present values of a column, in row order.
pub(super) fn present(column: &Column<'_>) -> Vec<f64> {
    column
        .values
        .iter()
        .copied()
        .filter(|x| !x.is_nan())
        .collect()
}

/// The values of a column on the given rows.
pub(super) fn on_rows(column: &Column<'_>, rows: &[usize]) -> Vec<f64> {
    rows.iter().map(|&row| column.values[row]).collect()
}

/// Min-max to [0, 1], the best value 1 and the worst 0 by `direction`;
/// `None` for a constant (or empty) series, which has no such scale.
pub(super) fn unit_scale(values: &[f64], direction: Direction) -> Option<Vec<f64>> {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Both within ±1e100, so the range cannot overflow.
    if values.is_empty() || min == max {
        return None;
    }
    let range = max - min;
    Some(
        values
            .iter()
            .map(|&x| match direction {
                Direction::Higher => (x - min) / range,
                Direction::Lower => (max - x) / range,
            })
            .collect(),
    )
}

/// Mean and sample standard deviation (n − 1) of values with no `NaN`,
/// computed scale-safely (see [`Stats::of`]).
pub(super) fn mean_sd(values: &[f64]) -> (f64, f64) {
    let stats = Stats::of(values.iter().copied());
    (stats.mean, stats.sd)
}

/// Pearson's correlation of two series of equal length with no `NaN`;
/// 0 when either is constant (its correlation is undefined; callers leave
/// constant series out before asking). Clamped to [−1, 1] against rounding.
pub(super) fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let (mean_a, _) = mean_sd(a);
    let (mean_b, _) = mean_sd(b);
    let (mut ab, mut aa, mut bb) = (Sum::new(), Sum::new(), Sum::new());
    for (&x, &y) in a.iter().zip(b) {
        let (dx, dy) = (x - mean_a, y - mean_b);
        ab.add(dx * dy);
        aa.add(dx * dx);
        bb.add(dy * dy);
    }
    let denominator = aa.value().sqrt() * bb.value().sqrt();
    if denominator == 0.0 || !denominator.is_finite() {
        return 0.0;
    }
    (ab.value() / denominator).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column<'a>(name: &'a str, values: &'a [f64]) -> Column<'a> {
        Column {
            name,
            values,
            direction: Direction::Higher,
        }
    }

    #[test]
    fn unit_scale_puts_the_best_at_one() {
        assert_eq!(
            unit_scale(&[2.0, 4.0, 6.0], Direction::Higher),
            Some(vec![0.0, 0.5, 1.0])
        );
        assert_eq!(
            unit_scale(&[2.0, 4.0, 6.0], Direction::Lower),
            Some(vec![1.0, 0.5, 0.0])
        );
        assert_eq!(unit_scale(&[3.0, 3.0], Direction::Higher), None);
        assert_eq!(unit_scale(&[], Direction::Higher), None);
        // The widest range allowed does not overflow.
        assert_eq!(
            unit_scale(&[-1e100, 1e100], Direction::Higher),
            Some(vec![0.0, 1.0])
        );
    }

    #[test]
    fn pearson_of_hand_checked_series() {
        // x = 1, 2, 3 and y = 2, 4, 7: Σdxdy = 5, Σdx² = 2, Σdy² = 12.667.
        let r = pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 7.0]);
        assert!((r - 5.0 / (2.0f64.sqrt() * (38.0f64 / 3.0).sqrt())).abs() < 1e-15);
        assert!((pearson(&[1.0, 2.0], &[2.0, 4.0]) - 1.0).abs() < 1e-15);
        assert!((pearson(&[1.0, 2.0], &[4.0, 2.0]) + 1.0).abs() < 1e-15);
        assert!(pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) >= -1.0);
        assert_eq!(pearson(&[1.0, 1.0], &[4.0, 2.0]), 0.0);
    }

    #[test]
    fn check_names_the_first_bad_value_of_each_column() {
        let a = [1.0, f64::INFINITY, f64::NEG_INFINITY];
        let b = [1.0, 2e100, f64::NAN];
        let c = [1.0, 2.0];
        let errors = check(
            "entropy",
            &[column("a", &a), column("b", &b), column("c", &c)],
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(matches!(&errors[0], WeightError::OutOfRange { row: 1, .. }));
        assert!(matches!(
            &errors[2],
            WeightError::UnequalLengths { found: 2, .. }
        ));
        assert!(matches!(
            check("entropy", &[]).unwrap_err()[0],
            WeightError::NoIndicators { .. }
        ));
        assert_eq!(check("entropy", &[column("c", &c)]), Ok(2));
    }
}
