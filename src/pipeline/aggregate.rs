//! Weighted scores → one score (DESIGN.md §3; OECD/JRC Handbook, step 6).
//!
//! The weights are renormalised over the items present: an item whose score
//! is missing (NaN) or whose weight is zero takes no part, and the others'
//! weights are divided by their own sum. With no item present the result is
//! missing.

use crate::definition::Aggregate;

/// Why an aggregate could not be formed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NotPositive {
    /// Index of the offending item.
    pub item: usize,
    /// Its score.
    pub score: f64,
}

/// Aggregates `scores` with `weights` by `method`; NaN when no item is present.
///
/// - arithmetic: Σ wᵢ·sᵢ / Σ wᵢ
/// - geometric: exp(Σ wᵢ·ln sᵢ / Σ wᵢ), computed in logs so a product of many
///   scores neither overflows nor underflows; every sᵢ must be > 0
/// - harmonic: Σ wᵢ / Σ (wᵢ / sᵢ); every sᵢ must be > 0
pub fn aggregate(
    method: Aggregate,
    weights: &[f64],
    scores: impl Iterator<Item = f64>,
) -> Result<f64, NotPositive> {
    let (mut weight_sum, mut acc) = (0.0, 0.0);
    for (item, (&w, s)) in weights.iter().zip(scores).enumerate() {
        if s.is_nan() || w <= 0.0 {
            continue;
        }
        if method != Aggregate::Arithmetic && s <= 0.0 {
            return Err(NotPositive { item, score: s });
        }
        weight_sum += w;
        acc += match method {
            Aggregate::Arithmetic => w * s,
            Aggregate::Geometric => w * s.ln(),
            Aggregate::Harmonic => w / s,
        };
    }
    if weight_sum <= 0.0 {
        return Ok(f64::NAN);
    }
    Ok(match method {
        Aggregate::Arithmetic => acc / weight_sum,
        Aggregate::Geometric => (acc / weight_sum).exp(),
        Aggregate::Harmonic => weight_sum / acc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::tests::close;
    use Aggregate::{Arithmetic, Geometric, Harmonic};

    fn agg(method: Aggregate, weights: &[f64], scores: &[f64]) -> Result<f64, NotPositive> {
        aggregate(method, weights, scores.iter().copied())
    }

    #[test]
    fn arithmetic_by_hand() {
        assert_eq!(agg(Arithmetic, &[0.25, 0.75], &[80.0, 40.0]), Ok(50.0));
    }

    #[test]
    fn geometric_by_hand() {
        // 16^0.5 · 4^0.5 = 8
        close(agg(Geometric, &[0.5, 0.5], &[16.0, 4.0]).unwrap(), 8.0);
    }

    #[test]
    fn harmonic_by_hand() {
        // 1 / (0.5/2 + 0.5/6) = 3
        close(agg(Harmonic, &[0.5, 0.5], &[2.0, 6.0]).unwrap(), 3.0);
    }

    #[test]
    fn weights_are_renormalised_over_present_items() {
        assert_eq!(
            agg(Arithmetic, &[0.25, 0.25, 0.5], &[80.0, f64::NAN, 40.0]),
            Ok(160.0 / 3.0)
        );
        assert!(agg(Arithmetic, &[1.0], &[f64::NAN]).unwrap().is_nan());
    }

    #[test]
    fn geometric_and_harmonic_refuse_a_zero_score() {
        assert_eq!(
            agg(Geometric, &[0.5, 0.5], &[10.0, 0.0]),
            Err(NotPositive {
                item: 1,
                score: 0.0
            })
        );
        assert!(agg(Harmonic, &[0.5, 0.5], &[-1.0, 5.0]).is_err());
        assert_eq!(agg(Arithmetic, &[0.5, 0.5], &[-1.0, 5.0]), Ok(2.0));
    }

    #[test]
    fn geometric_of_tiny_scores_does_not_underflow() {
        let weights = vec![1.0; 400];
        let scores = vec![1e-300; 400];
        close(agg(Geometric, &weights, &scores).unwrap(), 1e-300);
    }

    #[test]
    fn zero_weight_items_take_no_part() {
        close(agg(Geometric, &[0.0, 1.0], &[0.0, 5.0]).unwrap(), 5.0);
    }
}
