//! Weighted scores → one score (docs/METHODOLOGY.md §3; OECD/JRC Handbook, step 6).
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
        if matches!(method, Aggregate::Geometric | Aggregate::Harmonic) && !usable(method, w, s) {
            return Err(NotPositive { item, score: s });
        }
        weight_sum += w;
        acc += match method {
            // TOPSIS scores nodes from raw values (pipeline::topsis); a
            // caller that aggregates under it gets the arithmetic mean.
            Aggregate::Arithmetic | Aggregate::Topsis => w * s,
            Aggregate::Geometric => w * s.ln(),
            Aggregate::Harmonic => w / s,
        };
    }
    if weight_sum <= 0.0 {
        return Ok(f64::NAN);
    }
    Ok(match method {
        Aggregate::Arithmetic | Aggregate::Topsis => acc / weight_sum,
        Aggregate::Geometric => (acc / weight_sum).exp(),
        Aggregate::Harmonic => weight_sum / acc,
    })
}

/// Whether geometric or harmonic aggregation can take a score: it must be
/// above zero, and for harmonic so large that w/s does not overflow (a score
/// of 1e-310 would otherwise turn the aggregate into 0 and the blame would
/// fall on that 0 one level up).
fn usable(method: Aggregate, w: f64, s: f64) -> bool {
    s > 0.0 && (method != Aggregate::Harmonic || (w / s).is_finite())
}

/// [`aggregate`] of every row of a table held column by column:
/// `scores[row] = aggregate(method, weights, columns.map(|c| c[row]))`, and
/// for each row where that is an error, `(row, error)`, in row order.
///
/// It computes column by column, streaming through each column once, where
/// calling [`aggregate`] row by row would stride across all the columns for
/// every row. Each row still sees the same operations in the same order (items
/// in order, the same skips, the same first offending item), so the results
/// are the same to the bit.
pub fn aggregate_columns(
    method: Aggregate,
    weights: &[f64],
    columns: &[&[f64]],
    rows: usize,
) -> (Vec<f64>, Vec<(usize, NotPositive)>) {
    // Rows go in blocks small enough for the running sums to stay in the
    // first-level cache, and so that only the scores are a full-length
    // allocation.
    const BLOCK: usize = 1024;
    let mut weight_sum = [0.0; BLOCK];
    let mut acc = [0.0; BLOCK];
    // The first item that failed each row of the block, if any.
    let mut failed: [Option<NotPositive>; BLOCK] = [None; BLOCK];
    let mut scores = Vec::with_capacity(rows);
    let mut errors = Vec::new();
    for start in (0..rows).step_by(BLOCK) {
        let end = rows.min(start + BLOCK);
        let n = end - start;
        let (weight_sum, acc, failed) = (&mut weight_sum[..n], &mut acc[..n], &mut failed[..n]);
        weight_sum.fill(0.0);
        acc.fill(0.0);
        failed.fill(None);
        for (item, (&w, column)) in weights.iter().zip(columns).enumerate() {
            // An item whose weight is zero takes no part, whatever its scores.
            if w <= 0.0 {
                continue;
            }
            let cells = column[start..end]
                .iter()
                .zip(weight_sum.iter_mut().zip(acc.iter_mut()));
            match method {
                Aggregate::Arithmetic | Aggregate::Topsis => {
                    for (&s, (sum, acc)) in cells {
                        if !s.is_nan() {
                            *sum += w;
                            *acc += w * s;
                        }
                    }
                }
                Aggregate::Geometric | Aggregate::Harmonic => {
                    for ((&s, (sum, acc)), failed) in cells.zip(failed.iter_mut()) {
                        if s.is_nan() || failed.is_some() {
                            continue;
                        }
                        if !usable(method, w, s) {
                            *failed = Some(NotPositive { item, score: s });
                            continue;
                        }
                        *sum += w;
                        *acc += if method == Aggregate::Geometric {
                            w * s.ln()
                        } else {
                            w / s
                        };
                    }
                }
            }
        }
        for (i, ((&weight_sum, &acc), failed)) in
            weight_sum.iter().zip(&*acc).zip(&*failed).enumerate()
        {
            if let Some(error) = failed {
                errors.push((start + i, *error));
                scores.push(f64::NAN);
                continue;
            }
            scores.push(if weight_sum <= 0.0 {
                f64::NAN
            } else {
                match method {
                    Aggregate::Arithmetic | Aggregate::Topsis => acc / weight_sum,
                    Aggregate::Geometric => (acc / weight_sum).exp(),
                    Aggregate::Harmonic => weight_sum / acc,
                }
            });
        }
    }
    (scores, errors)
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

    /// Column by column gives the same bits, and the same errors, as row by row.
    #[test]
    fn columns_agree_with_rows_to_the_bit() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let rows = 2500; // more than two blocks
        for method in [Arithmetic, Geometric, Harmonic] {
            for items in [1, 2, 7] {
                let weights: Vec<f64> = (0..items)
                    .map(|_| [0.0, 0.5, 1.0, 1.0 / 3.0, 2.5][(next() % 5) as usize])
                    .collect();
                let columns: Vec<Vec<f64>> = (0..items)
                    .map(|_| {
                        (0..rows)
                            .map(|_| match next() % 20 {
                                0 => f64::NAN,
                                1 => 0.0,
                                2 => -3.5,
                                _ => (next() % 10_000) as f64 / 97.0 + 0.01,
                            })
                            .collect()
                    })
                    .collect();
                let slices: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
                let (scores, errors) = aggregate_columns(method, &weights, &slices, rows);
                let mut expected_errors = Vec::new();
                for row in 0..rows {
                    let one = aggregate(method, &weights, columns.iter().map(|c| c[row]));
                    match one {
                        Ok(score) => assert_eq!(scores[row].to_bits(), score.to_bits()),
                        Err(error) => {
                            assert!(scores[row].is_nan());
                            expected_errors.push((row, error));
                        }
                    }
                }
                assert_eq!(errors, expected_errors, "{method:?}");
            }
        }
    }

    #[test]
    fn zero_weight_items_take_no_part() {
        close(agg(Geometric, &[0.0, 1.0], &[0.0, 5.0]).unwrap(), 5.0);
    }
}
