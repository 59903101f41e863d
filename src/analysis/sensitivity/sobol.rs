//! Variance-based sensitivity indices of a model y = f(x) on the unit
//! hypercube, by the design and estimators of Saltelli et al. (2010),
//! "Variance based sensitivity analysis of model output. Design and
//! estimator for the total sensitivity index", Computer Physics
//! Communications 181, 259–270.
//!
//! The inputs are groups of coordinates (a set of sibling weights is one
//! input of several coordinates; a method choice one of one coordinate).
//! Two independent N × D matrices of uniforms, A and B, and for each input
//! i the matrix A_B^i (A with input i's columns taken from B) give the
//! N·(k+2) evaluations. With V the variance of y over the 2N rows of A and B:
//!
//! - first order (Saltelli 2010, Table 2 (b)):
//!   Sᵢ = (1/N) Σⱼ f(B)ⱼ·(f(A_B^i)ⱼ − f(A)ⱼ) / V
//! - total (Jansen 1999; Saltelli 2010, Table 2 (f)):
//!   S_Tᵢ = (1/2N) Σⱼ (f(A)ⱼ − f(A_B^i)ⱼ)² / V
//!
//! Confidence intervals are bootstrap percentile intervals: the base rows j
//! are resampled with replacement and both indices recomputed.

use super::rng::Stream;

/// The layout of a point: how many coordinates each input takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Design {
    /// Where each input's coordinates start.
    offsets: Vec<usize>,
    /// Coordinates in all.
    dimensions: usize,
}

impl Design {
    /// A design for inputs of the given widths (coordinates each).
    pub fn new(widths: &[usize]) -> Design {
        let mut offsets = Vec::with_capacity(widths.len());
        let mut dimensions = 0;
        for &width in widths {
            offsets.push(dimensions);
            dimensions += width;
        }
        Design {
            offsets,
            dimensions,
        }
    }

    /// How many inputs.
    pub fn inputs(&self) -> usize {
        self.offsets.len()
    }

    /// Input `i`'s coordinates.
    pub fn range(&self, i: usize) -> std::ops::Range<usize> {
        let end = self.offsets.get(i + 1).copied().unwrap_or(self.dimensions);
        self.offsets[i]..end
    }

    /// Row `j` of A: drawn from stream 2j of `seed`.
    pub fn a_row(&self, seed: u64, j: usize) -> Vec<f64> {
        self.row(Stream::new(seed, 2 * j as u64))
    }

    /// Row `j` of B: drawn from stream 2j + 1 of `seed`.
    pub fn b_row(&self, seed: u64, j: usize) -> Vec<f64> {
        self.row(Stream::new(seed, 2 * j as u64 + 1))
    }

    fn row(&self, mut stream: Stream) -> Vec<f64> {
        (0..self.dimensions).map(|_| stream.uniform()).collect()
    }

    /// Row `j` of A_B^i: `a` with input `i`'s coordinates from `b`.
    pub fn mixed(&self, a: &[f64], b: &[f64], i: usize) -> Vec<f64> {
        let mut point = a.to_vec();
        let range = self.range(i);
        point[range.clone()].copy_from_slice(&b[range]);
        point
    }
}

/// The model's outputs on the design: `a[j]` = f(A_j), `b[j]` = f(B_j),
/// `mixed[i][j]` = f(A_B^i_j).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outputs {
    /// On the rows of A.
    pub a: Vec<f64>,
    /// On the rows of B.
    pub b: Vec<f64>,
    /// On the rows of A_B^i, per input.
    pub mixed: Vec<Vec<f64>>,
}

/// One input's indices with their bootstrap confidence intervals; NaN
/// where the output does not vary (V = 0), so no share can be had.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indices {
    /// Sᵢ.
    pub first_order: f64,
    /// S_Tᵢ.
    pub total: f64,
    /// Bootstrap interval of Sᵢ.
    pub first_order_ci: [f64; 2],
    /// Bootstrap interval of S_Tᵢ.
    pub total_ci: [f64; 2],
}

/// Bootstrap replicates used for the confidence intervals.
pub const BOOTSTRAP: usize = 1000;
/// The confidence level of the intervals.
pub const LEVEL: f64 = 0.95;

/// Every input's indices; the intervals from `bootstrap` replicates drawn
/// from `seed`'s bootstrap streams, computed on the current rayon pool with
/// the same result whatever its size.
pub fn indices(outputs: &Outputs, bootstrap: usize, seed: u64) -> Vec<Indices> {
    let n = outputs.a.len();
    let all: Vec<usize> = (0..n).collect();
    let point = estimate(outputs, &all);
    // Each replicate draws from a stream of its own, so replicates can be
    // computed in any order; the streams are apart from the runs' ones.
    let replicates: Vec<Vec<(f64, f64)>> = {
        use rayon::prelude::*;
        (0..bootstrap)
            .into_par_iter()
            .map(|r| {
                let mut stream = Stream::new(seed ^ BOOTSTRAP_SALT, r as u64);
                let sample: Vec<usize> = (0..n).map(|_| stream.below(n.max(1))).collect();
                estimate(outputs, &sample)
            })
            .collect()
    };
    point
        .into_iter()
        .enumerate()
        .map(|(i, (first_order, total))| {
            let firsts: Vec<f64> = replicates.iter().map(|r| r[i].0).collect();
            let totals: Vec<f64> = replicates.iter().map(|r| r[i].1).collect();
            Indices {
                first_order,
                total,
                first_order_ci: interval(firsts),
                total_ci: interval(totals),
            }
        })
        .collect()
}

/// Keeps the bootstrap streams apart from the runs' streams of the same seed.
const BOOTSTRAP_SALT: u64 = 0xB007_57A9_5EED_0001;

/// (Sᵢ, S_Tᵢ) for every input over the base rows `sample` (with repeats).
fn estimate(outputs: &Outputs, sample: &[usize]) -> Vec<(f64, f64)> {
    let n = sample.len() as f64;
    let variance = variance(sample.iter().flat_map(|&j| [outputs.a[j], outputs.b[j]]));
    outputs
        .mixed
        .iter()
        .map(|mixed| {
            let (mut first, mut total) = (0.0, 0.0);
            for &j in sample {
                let (a, b, ab) = (outputs.a[j], outputs.b[j], mixed[j]);
                first += b * (ab - a);
                total += (a - ab) * (a - ab);
            }
            if variance > 0.0 && variance.is_finite() {
                (first / n / variance, total / (2.0 * n) / variance)
            } else {
                (f64::NAN, f64::NAN)
            }
        })
        .collect()
}

/// The variance of the values (divided by their count).
fn variance(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let count = values.clone().count() as f64;
    let mean = values.clone().sum::<f64>() / count;
    values.map(|y| (y - mean) * (y - mean)).sum::<f64>() / count
}

/// The central [`LEVEL`] percentile interval of the replicates (nearest
/// rank); NaN when fewer than half of them could be computed.
fn interval(mut values: Vec<f64>) -> [f64; 2] {
    let all = values.len();
    values.retain(|x| !x.is_nan());
    if values.is_empty() || values.len() * 2 < all {
        return [f64::NAN, f64::NAN];
    }
    values.sort_by(f64::total_cmp);
    let tail = (1.0 - LEVEL) / 2.0;
    [
        nearest_rank(&values, tail),
        nearest_rank(&values, 1.0 - tail),
    ]
}

/// The `p`-quantile of sorted values by the nearest-rank rule: the smallest
/// value with at least a share `p` of the values at or below it.
pub fn nearest_rank<T: Copy>(sorted: &[T], p: f64) -> T {
    let n = sorted.len();
    let at = ((p * n as f64).ceil() as usize).clamp(1, n);
    sorted[at - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// The outputs of `f` on the design, sequentially.
    fn evaluate(design: &Design, n: usize, seed: u64, f: impl Fn(&[f64]) -> f64) -> Outputs {
        let mut outputs = Outputs {
            mixed: vec![Vec::new(); design.inputs()],
            ..Outputs::default()
        };
        for j in 0..n {
            let (a, b) = (design.a_row(seed, j), design.b_row(seed, j));
            outputs.a.push(f(&a));
            outputs.b.push(f(&b));
            for (i, mixed) in outputs.mixed.iter_mut().enumerate() {
                mixed.push(f(&design.mixed(&a, &b, i)));
            }
        }
        outputs
    }

    fn near(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not within {tolerance} of {expected}"
        );
    }

    /// y = Σ aᵢxᵢ with independent uniform xᵢ: Vᵢ = aᵢ²/12, so
    /// Sᵢ = S_Tᵢ = aᵢ²/Σaⱼ² (1/14, 4/14, 9/14 for a = 1, 2, 3).
    #[test]
    fn a_linear_model_has_the_indices_of_its_squared_coefficients() {
        let design = Design::new(&[1, 1, 1]);
        let coefficients = [1.0, 2.0, 3.0];
        let f = |x: &[f64]| x.iter().zip(coefficients).map(|(x, a)| a * x).sum();
        let outputs = evaluate(&design, 20_000, 7, f);
        let found = indices(&outputs, 200, 7);
        for (index, a) in found.iter().zip(coefficients) {
            let share = a * a / 14.0;
            near(index.first_order, share, 0.03);
            near(index.total, share, 0.01);
            assert!(index.first_order_ci[0] <= index.first_order);
            assert!(index.first_order <= index.first_order_ci[1]);
            assert!(index.total_ci[0] <= share + 0.01 && share - 0.01 <= index.total_ci[1]);
        }
    }

    /// The Ishigami function, y = sin x₁ + 7 sin² x₂ + 0.1 x₃⁴ sin x₁ on
    /// [−π, π]³, whose indices are known in closed form (Saltelli et al.,
    /// *Global Sensitivity Analysis: The Primer*, 2008, §4.4):
    /// S = 0.3139, 0.4424, 0; S_T = 0.5576, 0.4424, 0.2437.
    #[test]
    fn the_ishigami_function_has_its_known_indices() {
        let design = Design::new(&[1, 1, 1]);
        let f = |u: &[f64]| {
            let x: Vec<f64> = u.iter().map(|u| -PI + 2.0 * PI * u).collect();
            x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
        };
        let outputs = evaluate(&design, 1 << 15, 11, f);
        let found = indices(&outputs, 0, 11);
        let expected = [(0.3139, 0.5576), (0.4424, 0.4424), (0.0, 0.2437)];
        for (index, (first, total)) in found.iter().zip(expected) {
            near(index.first_order, first, 0.03);
            near(index.total, total, 0.02);
        }
    }

    /// A group of coordinates is one input: y = x₁ + x₂ + x₃ with x₁, x₂ in
    /// one group has S = 2/3 for the group and 1/3 for x₃.
    #[test]
    fn a_group_of_coordinates_is_one_input() {
        let design = Design::new(&[2, 1]);
        assert_eq!(design.range(0), 0..2);
        assert_eq!(design.range(1), 2..3);
        let outputs = evaluate(&design, 20_000, 5, |x| x.iter().sum());
        let found = indices(&outputs, 0, 5);
        near(found[0].total, 2.0 / 3.0, 0.02);
        near(found[1].total, 1.0 / 3.0, 0.02);
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let design = Design::new(&[1]);
        let outputs = evaluate(&design, 100, 1, |_| 4.0);
        let found = indices(&outputs, 50, 1);
        assert!(found[0].first_order.is_nan() && found[0].total.is_nan());
        assert!(found[0].total_ci.iter().all(|x| x.is_nan()));
    }

    #[test]
    fn the_bootstrap_is_reproducible() {
        let design = Design::new(&[1, 1]);
        let outputs = evaluate(&design, 500, 3, |x| x[0] + x[1] * x[1]);
        assert_eq!(indices(&outputs, 100, 3), indices(&outputs, 100, 3));
    }

    #[test]
    fn nearest_rank_quantiles_by_hand() {
        let ranks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(nearest_rank(&ranks, 0.05), 1);
        assert_eq!(nearest_rank(&ranks, 0.5), 5);
        assert_eq!(nearest_rank(&ranks, 0.95), 10);
        assert_eq!(nearest_rank(&[7], 0.05), 7);
    }
}
