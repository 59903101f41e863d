//! The statistics of the audit, each on the values present (NaN left out):
//! moments, Pearson and Spearman correlation, Cronbach's alpha, the first
//! principal component's share, and coupling coordination.

use crate::sum::Sum;

/// n, mean, sample sd, min, max, skewness and excess kurtosis of the
/// values present.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Values present.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1).
    pub sd: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Sample skewness G1 = √(n(n−1))/(n−2) · g1 (Excel's SKEW, scipy's
    /// `skew(bias=False)`); NaN below 3 values or without spread.
    pub skewness: f64,
    /// Sample excess kurtosis G2 (Excel's KURT, scipy's
    /// `kurtosis(bias=False)`); NaN below 4 values or without spread.
    pub kurtosis: f64,
}

/// The moments of `values`.
pub fn moments(values: &[f64]) -> Moments {
    let present: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    let n = present.len();
    let nf = n as f64;
    let mean = present.iter().copied().collect::<Sum>().value() / nf;
    let central = |power: i32| {
        present
            .iter()
            .map(|x| (x - mean).powi(power))
            .collect::<Sum>()
            .value()
            / nf
    };
    let (m2, m3, m4) = (central(2), central(3), central(4));
    let sd = if n > 1 {
        (m2 * nf / (nf - 1.0)).sqrt()
    } else {
        f64::NAN
    };
    let spread = m2 > 0.0;
    let skewness = if n > 2 && spread {
        let g1 = m3 / m2.powf(1.5);
        g1 * (nf * (nf - 1.0)).sqrt() / (nf - 2.0)
    } else {
        f64::NAN
    };
    let kurtosis = if n > 3 && spread {
        let g2 = m4 / (m2 * m2) - 3.0;
        ((nf + 1.0) * g2 + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0))
    } else {
        f64::NAN
    };
    Moments {
        n,
        mean,
        sd,
        min: present.iter().copied().fold(f64::INFINITY, f64::min),
        max: present.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        skewness,
        kurtosis,
    }
}

/// The JRC rule for an indicator whose distribution needs treatment:
/// |skewness| > 2 and kurtosis > 3.5.
pub fn outlier(m: &Moments) -> bool {
    m.skewness.abs() > 2.0 && m.kurtosis > 3.5
}

/// Pearson's r over the pairs where both are present; NaN with fewer than
/// three pairs or no spread.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| !x.is_nan() && !y.is_nan())
        .map(|(x, y)| (*x, *y))
        .collect();
    if pairs.len() < 3 {
        return f64::NAN;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).collect::<Sum>().value() / n;
    let my = pairs.iter().map(|p| p.1).collect::<Sum>().value() / n;
    let sxy: Sum = pairs.iter().map(|(x, y)| (x - mx) * (y - my)).collect();
    let sxx: Sum = pairs.iter().map(|(x, _)| (x - mx) * (x - mx)).collect();
    let syy: Sum = pairs.iter().map(|(_, y)| (y - my) * (y - my)).collect();
    let denominator = (sxx.value() * syy.value()).sqrt();
    if denominator > 0.0 {
        (sxy.value() / denominator).clamp(-1.0, 1.0)
    } else {
        f64::NAN
    }
}

/// Spearman's ρ: Pearson's r of the average ranks of the pairs present.
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (x, y): (Vec<f64>, Vec<f64>) = a
        .iter()
        .zip(b)
        .filter(|(x, y)| !x.is_nan() && !y.is_nan())
        .map(|(x, y)| (*x, *y))
        .unzip();
    pearson(&average_ranks(&x), &average_ranks(&y))
}

/// 1-based ranks, ties sharing their average.
fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Cronbach's α of the columns (items) over the rows where every item is
/// present: k/(k − 1) · (1 − Σ var(item) / var(Σ items)); NaN for fewer
/// than two items or rows, or no spread in the sum.
pub fn cronbach_alpha(columns: &[&[f64]]) -> f64 {
    let k = columns.len();
    let rows = complete_rows(columns);
    if k < 2 || rows.len() < 2 {
        return f64::NAN;
    }
    let variance = |values: &[f64]| moments(values).sd.powi(2);
    let items: f64 = columns
        .iter()
        .map(|c| variance(&rows.iter().map(|&r| c[r]).collect::<Vec<_>>()))
        .sum();
    let totals: Vec<f64> = rows
        .iter()
        .map(|&r| columns.iter().map(|c| c[r]).sum())
        .collect();
    let total = variance(&totals);
    if total > 0.0 {
        k as f64 / (k as f64 - 1.0) * (1.0 - items / total)
    } else {
        f64::NAN
    }
}

/// The share of the variance the first principal component of the
/// columns' correlation matrix explains: its largest eigenvalue ÷ k; NaN
/// when a correlation cannot be computed.
pub fn pc1_share(columns: &[&[f64]]) -> f64 {
    let k = columns.len();
    if k == 0 {
        return f64::NAN;
    }
    if k == 1 {
        return 1.0;
    }
    let rows = complete_rows(columns);
    let complete: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| rows.iter().map(|&r| c[r]).collect())
        .collect();
    let mut matrix = nalgebra::DMatrix::<f64>::identity(k, k);
    for i in 0..k {
        for j in 0..i {
            let r = pearson(&complete[i], &complete[j]);
            if r.is_nan() {
                return f64::NAN;
            }
            matrix[(i, j)] = r;
            matrix[(j, i)] = r;
        }
    }
    let eigen = nalgebra::SymmetricEigen::new(matrix);
    eigen
        .eigenvalues
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        / k as f64
}

/// The rows where every column has a value.
fn complete_rows(columns: &[&[f64]]) -> Vec<usize> {
    let rows = columns.first().map_or(0, |c| c.len());
    (0..rows)
        .filter(|&r| columns.iter().all(|c| !c[r].is_nan()))
        .collect()
}

/// Coupling coordination of dimension scores U_i ∈ [0, 1] with weights α_i
/// (summing to 1): C = n·(Π U_i)^(1/n) / Σ U_i, T = Σ α_i·U_i, D = √(C·T).
/// `None` when a score is missing or none is above 0.
pub fn coupling(scores: &[f64], weights: &[f64]) -> Option<(f64, f64, f64)> {
    let n = scores.len() as f64;
    if scores.is_empty() || scores.iter().any(|u| u.is_nan()) {
        return None;
    }
    let sum: f64 = scores.iter().sum();
    if sum <= 0.0 {
        return None;
    }
    let c = if scores.iter().any(|&u| u <= 0.0) {
        0.0
    } else {
        let log_mean = scores.iter().map(|u| u.ln()).sum::<f64>() / n;
        n * log_mean.exp() / sum
    };
    let t: f64 = scores.iter().zip(weights).map(|(u, a)| u * a).sum();
    Some((c, t, (c * t).max(0.0).sqrt()))
}

/// The customary ten grades of coupling coordination D, 0.1 wide each.
pub const COUPLING_LEVELS: [&str; 10] = [
    "极度失调",
    "严重失调",
    "中度失调",
    "轻度失调",
    "濒临失调",
    "勉强协调",
    "初级协调",
    "中级协调",
    "良好协调",
    "优质协调",
];

/// The grade of D: [0, 0.1) 极度失调 … [0.9, 1] 优质协调.
pub fn coupling_level(d: f64) -> &'static str {
    let index = ((d * 10.0).floor().max(0.0) as usize).min(9);
    COUPLING_LEVELS[index]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    /// 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd √(32/7); Excel's SKEW
    /// 0.8184875533, KURT 0.940625.
    #[test]
    fn moments_by_hand() {
        let m = moments(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, f64::NAN]);
        assert_eq!(m.n, 8);
        close(m.mean, 5.0);
        close(m.sd, (32.0f64 / 7.0).sqrt());
        assert!(
            (m.skewness - 0.818_487_553_3).abs() < 1e-9,
            "{}",
            m.skewness
        );
        close(m.kurtosis, 0.940625);
        assert_eq!((m.min, m.max), (2.0, 9.0));
        assert!(!outlier(&m));
    }

    #[test]
    fn a_single_far_value_is_flagged() {
        let mut values = vec![1.0; 30];
        values[0] = 100.0;
        values[1] = 2.0;
        assert!(outlier(&moments(&values)));
    }

    #[test]
    fn correlations_by_hand() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [2.0, 4.0, 6.0, 8.0, 100.0];
        close(pearson(&a, &a.map(|x| -3.0 * x + 1.0)), -1.0);
        close(spearman(&a, &b), 1.0);
        assert!(pearson(&a, &b) < 1.0);
        // Ties share their average rank: ranks of [1, 2, 2, 3] are 1, 2.5, 2.5, 4.
        close(average_ranks(&[1.0, 2.0, 2.0, 3.0])[1], 2.5);
    }

    /// Two identical items: α = 2·(1 − 2v/4v) = 1; independent-looking
    /// items give less.
    #[test]
    fn cronbach_alpha_by_hand() {
        let x = [1.0, 2.0, 3.0, 4.0];
        close(cronbach_alpha(&[&x, &x]), 1.0);
        // Items 1,2,3 / 3,1,2 / 2,3,1: every variance 1, the sums all 6.
        assert!(cronbach_alpha(&[&[1.0, 2.0, 3.0], &[3.0, 1.0, 2.0], &[2.0, 3.0, 1.0]]).is_nan());
        close(pc1_share(&[&x, &x]), 1.0);
    }

    /// Equal scores couple fully: C = 1; D = √T.
    #[test]
    fn coupling_by_hand() {
        let (c, t, d) = coupling(&[0.8, 0.8, 0.8], &[0.5, 0.25, 0.25]).unwrap();
        close(c, 1.0);
        close(t, 0.8);
        close(d, 0.8f64.sqrt());
        // D = 0.894: the band from 0.8.
        assert_eq!(coupling_level(d), "良好协调");
        // 0.2 and 0.8: C = 2·0.4/1.0 = 0.8; T = 0.5; D = √0.4.
        let (c, t, d) = coupling(&[0.2, 0.8], &[0.5, 0.5]).unwrap();
        close(c, 0.8);
        close(t, 0.5);
        close(d, 0.4f64.sqrt());
        // D = 0.632: the band from 0.6.
        assert_eq!(coupling_level(d), "初级协调");
        assert_eq!(coupling_level(0.0), "极度失调");
        assert_eq!(coupling_level(1.0), "优质协调");
    }
}
