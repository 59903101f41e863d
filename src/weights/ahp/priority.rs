//! The priority vector of a judgement matrix and its λmax, by the three
//! methods in use.

use super::Method;
use crate::sum::Sum;
use crate::weights::WeightError;

/// Power iterations before giving up; a positive matrix converges at the
/// rate |λ₂/λ₁| < 1, within a hundred iterations for judgement matrices.
const MAX_ITERATIONS: usize = 10_000;

/// Converged when no weight moves by more than this…
const TOLERANCE: f64 = 1e-15;

/// …or, when rounding keeps the last digit moving, this.
const ACCEPTABLE: f64 = 1e-12;

/// The weights (summing to 1) and λmax of `a` by `method`.
pub(super) fn priorities(a: &[Vec<f64>], method: Method) -> Result<(Vec<f64>, f64), WeightError> {
    match method {
        Method::Eigen => eigen(a),
        Method::Sum => {
            let w = column_normalised_means(a);
            Ok((w.clone(), lambda_estimate(a, &w)))
        }
        Method::Root => {
            let w = geometric_means(a);
            Ok((w.clone(), lambda_estimate(a, &w)))
        }
    }
}

/// The principal right eigenvector (sum 1) and its eigenvalue, by power
/// iteration from the geometric means.
fn eigen(a: &[Vec<f64>]) -> Result<(Vec<f64>, f64), WeightError> {
    let mut w = geometric_means(a);
    let mut lambda = 0.0;
    let mut moved = f64::INFINITY;
    for _ in 0..MAX_ITERATIONS {
        let product = multiply(a, &w);
        // Σ(Aw) = λ·Σw = λ once w is the eigenvector, as Σw = 1.
        lambda = product.iter().copied().collect::<Sum>().value();
        let next: Vec<f64> = product.iter().map(|x| x / lambda).collect();
        moved = next
            .iter()
            .zip(&w)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        w = next;
        if moved <= TOLERANCE {
            return Ok((w, lambda));
        }
    }
    if moved <= ACCEPTABLE {
        return Ok((w, lambda));
    }
    Err(WeightError::NoConvergence {
        what: "principal eigenvector",
        iterations: MAX_ITERATIONS,
    })
}

/// 和积法: each column divided by its sum, then the mean of each row.
fn column_normalised_means(a: &[Vec<f64>]) -> Vec<f64> {
    let n = a.len();
    let column_sums: Vec<f64> = (0..n)
        .map(|j| a.iter().map(|row| row[j]).collect::<Sum>().value())
        .collect();
    a.iter()
        .map(|row| {
            row.iter()
                .zip(&column_sums)
                .map(|(x, s)| x / s)
                .collect::<Sum>()
                .value()
                / n as f64
        })
        .collect()
}

/// 方根法: the geometric mean of each row (in logarithms, so that no
/// product overflows), normalised to sum 1.
fn geometric_means(a: &[Vec<f64>]) -> Vec<f64> {
    let n = a.len() as f64;
    let logs: Vec<f64> = a
        .iter()
        .map(|row| row.iter().map(|x| x.ln()).collect::<Sum>().value() / n)
        .collect();
    // Relative to the largest, so that exp cannot overflow.
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let means: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
    let total = means.iter().copied().collect::<Sum>().value();
    means.iter().map(|m| m / total).collect()
}

/// λmax estimated as mean((Aw)_i / w_i).
fn lambda_estimate(a: &[Vec<f64>], w: &[f64]) -> f64 {
    let product = multiply(a, w);
    product
        .iter()
        .zip(w)
        .map(|(x, w)| x / w)
        .collect::<Sum>()
        .value()
        / w.len() as f64
}

fn multiply(a: &[Vec<f64>], w: &[f64]) -> Vec<f64> {
    a.iter()
        .map(|row| {
            row.iter()
                .zip(w)
                .map(|(x, y)| x * y)
                .collect::<Sum>()
                .value()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64], tolerance: f64) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tolerance)
    }

    #[test]
    fn a_consistent_matrix_gives_its_weights_by_every_method() {
        let w = [0.5, 0.3, 0.2];
        let a: Vec<Vec<f64>> = w
            .iter()
            .map(|wi| w.iter().map(|wj| wi / wj).collect())
            .collect();
        for method in [Method::Eigen, Method::Sum, Method::Root] {
            let (weights, lambda) = priorities(&a, method).unwrap();
            assert!(close(&weights, &w, 1e-15), "{method:?} {weights:?}");
            assert!((lambda - 3.0).abs() < 1e-14, "{method:?} {lambda}");
        }
    }

    #[test]
    fn hand_checked_sum_and_root() {
        // A = [[1, 2], [1/2, 1]]: columns sum to 1.5 and 3, so the
        // normalised columns are [2/3, 1/3] both: w = (2/3, 1/3).
        let a = vec![vec![1.0, 2.0], vec![0.5, 1.0]];
        let (w, _) = priorities(&a, Method::Sum).unwrap();
        assert!(close(&w, &[2.0 / 3.0, 1.0 / 3.0], 1e-15));
        // Geometric means √2 and √½: w = (2/3, 1/3) again.
        let (w, _) = priorities(&a, Method::Root).unwrap();
        assert!(close(&w, &[2.0 / 3.0, 1.0 / 3.0], 1e-15));
    }

    #[test]
    fn extreme_judgements_neither_overflow_nor_underflow() {
        let a = vec![vec![1.0, 1e100], vec![1e-100, 1.0]];
        for method in [Method::Eigen, Method::Sum, Method::Root] {
            let (w, lambda) = priorities(&a, method).unwrap();
            assert!(
                w.iter().all(|x| x.is_finite() && *x >= 0.0),
                "{method:?} {w:?}"
            );
            assert!(lambda.is_finite());
        }
    }
}
