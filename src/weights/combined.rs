//! Combined (主客观组合) weights: alpha·subjective + (1 − alpha)·objective,
//! on global weights (one per indicator).

use super::{WeightError, normalised};

/// alpha·`subjective` + (1 − alpha)·`objective`, each first divided by its
/// sum (a no-op for weights that already sum to 1).
///
/// `alpha` must be a number from 0 to 1; both vectors as long as each
/// other, with weights that are 0 or positive and not all 0.
pub fn combined(
    alpha: f64,
    subjective: &[f64],
    objective: &[f64],
) -> Result<Vec<f64>, Vec<WeightError>> {
    let mut errors = Vec::new();
    if !(0.0..=1.0).contains(&alpha) {
        errors.push(WeightError::BadAlpha { value: alpha });
    }
    if subjective.len() != objective.len() {
        errors.push(WeightError::LengthMismatch {
            which: "objective",
            expected: subjective.len(),
            found: objective.len(),
        });
    }
    check("subjective", subjective, &mut errors);
    check("objective", objective, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let (s, o) = (normalised(subjective), normalised(objective));
    Ok(s.iter()
        .zip(&o)
        .map(|(s, o)| alpha * s + (1.0 - alpha) * o)
        .collect())
}

/// Weights that are finite and not negative, not all zero.
pub(super) fn check(which: &'static str, weights: &[f64], errors: &mut Vec<WeightError>) {
    let mut bad = false;
    for (i, &w) in weights.iter().enumerate() {
        if !(w.is_finite() && w >= 0.0) {
            bad = true;
            errors.push(WeightError::BadWeight {
                which,
                item: format!("indicator {}", i + 1),
                value: w,
            });
        }
    }
    if !bad && !weights.iter().any(|&w| w > 0.0) {
        errors.push(WeightError::WeightsSumToZero { which });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_mixes_the_two() {
        let w = combined(0.25, &[0.5, 0.5], &[0.9, 0.1]).unwrap();
        assert!((w[0] - (0.125 + 0.675)).abs() < 1e-15);
        assert!((w[1] - (0.125 + 0.075)).abs() < 1e-15);
        assert_eq!(
            combined(1.0, &[0.2, 0.8], &[1.0, 0.0]).unwrap(),
            vec![0.2, 0.8]
        );
        assert_eq!(
            combined(0.0, &[0.2, 0.8], &[1.0, 0.0]).unwrap(),
            vec![1.0, 0.0]
        );
        // Relative weights are normalised first.
        assert_eq!(
            combined(1.0, &[1.0, 3.0], &[1.0, 1.0]).unwrap(),
            vec![0.25, 0.75]
        );
    }

    #[test]
    fn bad_inputs_are_errors() {
        for alpha in [-0.1, 1.5, f64::NAN] {
            assert!(matches!(
                &combined(alpha, &[1.0], &[1.0]).unwrap_err()[0],
                WeightError::BadAlpha { .. }
            ));
        }
        assert!(matches!(
            &combined(0.5, &[1.0, 0.0], &[1.0]).unwrap_err()[0],
            WeightError::LengthMismatch {
                expected: 2,
                found: 1,
                ..
            }
        ));
        assert!(matches!(
            &combined(0.5, &[0.0, 0.0], &[1.0, 0.0]).unwrap_err()[0],
            WeightError::WeightsSumToZero {
                which: "subjective"
            }
        ));
        assert!(matches!(
            &combined(0.5, &[1.0, f64::INFINITY], &[1.0, -1.0]).unwrap_err()[..],
            [
                WeightError::BadWeight { .. },
                WeightError::BadWeight {
                    which: "objective",
                    ..
                }
            ]
        ));
    }
}
