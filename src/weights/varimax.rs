//! Varimax rotation (Kaiser 1958) with Kaiser normalisation, by the
//! iterative SVD algorithm R's `stats::varimax` uses, run to a tight
//! tolerance on the rotation itself.

use nalgebra::DMatrix;

use super::WeightError;

/// Iterations before giving up: each is a k × k SVD, so this is cheap.
const MAX_ITERATIONS: usize = 10_000;

/// Converged when no entry of the rotation moves by more than this.
const TOLERANCE: f64 = 1e-13;

/// The varimax rotation of `loadings` (indicators × factors), normalised:
/// each row is divided by its communality's square root before rotating
/// and multiplied back after, so that indicators with small communalities
/// count as much as the others. Each rotated factor is signed so that its
/// loadings sum to 0 or more (signs are arbitrary; squares are what count).
pub(super) fn varimax(loadings: &DMatrix<f64>) -> Result<DMatrix<f64>, WeightError> {
    let (p, k) = loadings.shape();
    if k < 2 {
        return Ok(signed(loadings.clone()));
    }
    let norms: Vec<f64> = (0..p).map(|i| loadings.row(i).norm()).collect();
    let mut a = loadings.clone();
    for (i, &h) in norms.iter().enumerate() {
        if h > 0.0 {
            a.row_mut(i).unscale_mut(h);
        }
    }
    let mut rotation = DMatrix::<f64>::identity(k, k);
    for _ in 0..MAX_ITERATIONS {
        let b = &a * &rotation;
        let column_squares: Vec<f64> = (0..k)
            .map(|j| b.column(j).norm_squared() / p as f64)
            .collect();
        let mut target = b.map(|x| x * x * x);
        for (j, &square) in column_squares.iter().enumerate() {
            let shift = b.column(j) * square;
            let mut column = target.column_mut(j);
            column -= shift;
        }
        let gradient = a.transpose() * target;
        let svd = gradient.svd(true, true);
        let (Some(u), Some(v_t)) = (svd.u, svd.v_t) else {
            break;
        };
        let next = u * v_t;
        let moved = (&next - &rotation).amax();
        rotation = next;
        if moved <= TOLERANCE {
            let mut rotated = &a * &rotation;
            for (i, &h) in norms.iter().enumerate() {
                if h > 0.0 {
                    rotated.row_mut(i).scale_mut(h);
                }
            }
            return Ok(signed(rotated));
        }
    }
    Err(WeightError::NoConvergence {
        what: "varimax rotation",
        iterations: MAX_ITERATIONS,
    })
}

/// Each column flipped, if need be, so that its entries sum to 0 or more.
fn signed(mut loadings: DMatrix<f64>) -> DMatrix<f64> {
    for mut column in loadings.column_iter_mut() {
        if column.sum() < 0.0 {
            column.neg_mut();
        }
    }
    loadings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The varimax criterion: Σ_j [Σ_i l⁴ − (Σ_i l²)² / p] on the
    /// normalised loadings.
    fn criterion(loadings: &DMatrix<f64>) -> f64 {
        let p = loadings.nrows() as f64;
        let mut normalised = loadings.clone();
        for mut row in normalised.row_iter_mut() {
            let h = row.norm();
            if h > 0.0 {
                row.unscale_mut(h);
            }
        }
        normalised
            .column_iter()
            .map(|c| c.iter().map(|x| x.powi(4)).sum::<f64>() - c.norm_squared().powi(2) / p)
            .sum()
    }

    #[test]
    fn rotation_keeps_communalities_and_raises_the_criterion() {
        let loadings = DMatrix::from_row_slice(4, 2, &[0.8, 0.3, 0.7, 0.4, 0.3, 0.8, 0.2, 0.7]);
        let rotated = varimax(&loadings).unwrap();
        for i in 0..4 {
            let before = loadings.row(i).norm_squared();
            let after = rotated.row(i).norm_squared();
            assert!((before - after).abs() < 1e-12);
        }
        assert!(criterion(&rotated) > criterion(&loadings));
        // A simple structure is found: each indicator loads mainly on one factor.
        assert!(rotated[(0, 0)].abs() > rotated[(0, 1)].abs());
        assert!(rotated[(3, 1)].abs() > rotated[(3, 0)].abs());
    }

    #[test]
    fn a_rotated_solution_is_a_fixed_point_and_signs_do_not_matter() {
        let loadings = DMatrix::from_row_slice(4, 2, &[0.8, 0.3, 0.7, 0.4, 0.3, 0.8, 0.2, 0.7]);
        let rotated = varimax(&loadings).unwrap();
        let again = varimax(&rotated).unwrap();
        assert!((&again - &rotated).amax() < 1e-10);
        let mut flipped = loadings.clone();
        flipped.column_mut(1).neg_mut();
        let from_flipped = varimax(&flipped).unwrap();
        assert!((&from_flipped - &rotated).amax() < 1e-10);
    }

    #[test]
    fn one_factor_is_left_as_it_is() {
        let loadings = DMatrix::from_row_slice(2, 1, &[-0.8, -0.6]);
        assert_eq!(
            varimax(&loadings).unwrap(),
            DMatrix::from_row_slice(2, 1, &[0.8, 0.6])
        );
    }
}
