//! Raw values → 0–100 scores (docs/METHODOLOGY.md; OECD/JRC Handbook, step 5).
//!
//! Each method is a function of plain numbers. [`normalize_column`] applies
//! one to an indicator's column, taking the data-driven statistics over each
//! scope group's reference rows (a period's rows, all rows when pooled, or the
//! base period's rows) and ignoring missing values (NaN), which stay missing.

use std::ops::Range;

use crate::definition::{Direction, Goalposts, Normalize};
use crate::sum::Sum;

/// The score of a constant indicator under minmax and rank: the midpoint.
pub const CONSTANT_MIDPOINT: f64 = 50.0;
/// The score of a constant indicator under efficacy: the midpoint of 60–100.
pub const CONSTANT_EFFICACY: f64 = 80.0;

/// Min–max: 100·(x−min)/(max−min); lower is better: 100·(max−x)/(max−min).
/// A constant indicator (max = min) carries no information and scores 50.
pub fn minmax(x: f64, min: f64, max: f64, direction: Direction) -> f64 {
    if max == min {
        return CONSTANT_MIDPOINT;
    }
    match direction {
        Direction::Higher => 100.0 * (x - min) / (max - min),
        Direction::Lower => 100.0 * (max - x) / (max - min),
    }
}

/// z-score: (x−mean)/sd with the sample sd (n−1); lower is better: −(x−mean)/sd.
/// A constant indicator, or one with a single value, scores 0.
pub fn zscore(x: f64, mean: f64, sd: f64, direction: Direction) -> f64 {
    if !sd.is_finite() || sd <= 0.0 {
        return 0.0;
    }
    let z = (x - mean) / sd;
    match direction {
        Direction::Higher => z,
        Direction::Lower => -z,
    }
}

/// Goalposts: 100·clamp((x−lo)/(hi−lo), 0, 1); lower is better:
/// 100·clamp((hi−x)/(hi−lo), 0, 1). Fixed bounds make scores comparable across periods.
pub fn goalposts(x: f64, lo: f64, hi: f64, direction: Direction) -> f64 {
    let share = match direction {
        Direction::Higher => (x - lo) / (hi - lo),
        Direction::Lower => (hi - x) / (hi - lo),
    };
    100.0 * share.clamp(0.0, 1.0)
}

/// Efficacy coefficient (功效系数法): 60 + 40·(x−min)/(max−min); lower is better:
/// 60 + 40·(max−x)/(max−min). A constant indicator scores 80.
pub fn efficacy(x: f64, min: f64, max: f64, direction: Direction) -> f64 {
    if max == min {
        return CONSTANT_EFFICACY;
    }
    60.0 + 0.4 * minmax(x, min, max, direction)
}

/// Rank score: 100·(r−1)/(n−1) for an ascending average rank r among n values.
/// With a single value (n = 1) there is nothing to rank against: 50.
pub fn rank_score(rank: f64, n: usize) -> f64 {
    if n <= 1 {
        return CONSTANT_MIDPOINT;
    }
    100.0 * (rank - 1.0) / (n as f64 - 1.0)
}

/// Ascending ranks from 1, ties sharing the average of their positions
/// (R's `rank(ties.method = "average")`). NaN stays NaN and is not counted.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_nan()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![f64::NAN; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start+1 ..= end share their mean.
        let average = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = average;
        }
        start = end;
    }
    ranks
}

/// Summary statistics of the present (non-NaN) values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// How many values are present.
    pub n: usize,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Mean (compensated sum, then refined by the mean residual).
    pub mean: f64,
    /// Sample standard deviation (n−1); NaN when n < 2.
    pub sd: f64,
}

impl Stats {
    /// Statistics of the values given, skipping NaN.
    ///
    /// Scale-safe: the mean is corrected by the mean of the residuals (so that
    /// 0.1, 0.2, 0.3 have mean exactly 0.2 and the middle value a z-score of
    /// exactly 0), and the deviations are divided by the largest of them before
    /// squaring, so values near 1e-170 do not underflow to a zero sd and values
    /// near 1e100 do not overflow.
    pub fn of(values: impl Iterator<Item = f64> + Clone) -> Stats {
        let (n, min, max) = extent(values.clone());
        let present = values.filter(|x| !x.is_nan());
        let first: Sum = present.clone().collect();
        let rough = first.value() / n as f64;
        let mut residual = Sum::new();
        let mut largest = 0.0f64;
        for x in present.clone() {
            residual.add(x - rough);
            largest = largest.max((x - rough).abs());
        }
        let mean = if n == 0 {
            f64::NAN
        } else {
            rough + residual.value() / n as f64
        };
        let sd = if n < 2 {
            f64::NAN
        } else if largest == 0.0 || min == max {
            0.0
        } else {
            let mut squares = Sum::new();
            for x in present {
                let scaled = (x - mean) / largest;
                squares.add(scaled * scaled);
            }
            largest * (squares.value() / (n - 1) as f64).sqrt()
        };
        Stats {
            n,
            min,
            max,
            mean,
            sd,
        }
    }

    /// True when every present value is the same.
    pub fn is_constant(&self) -> bool {
        self.n > 0 && self.min == self.max
    }
}

/// How many values are present, and the smallest and largest of them.
fn extent(values: impl Iterator<Item = f64>) -> (usize, f64, f64) {
    let (mut n, mut min, mut max) = (0usize, f64::INFINITY, f64::NEG_INFINITY);
    for x in values.filter(|x| !x.is_nan()) {
        n += 1;
        min = min.min(x);
        max = max.max(x);
    }
    (n, min, max)
}

/// A normalisation group: the rows whose statistics are used, and the rows
/// they score. Under period and pooled scope the two are the same rows; under
/// base scope the reference period's rows score every row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Rows the data-driven statistics are taken over.
    pub reference: Range<usize>,
    /// Rows normalised with them.
    pub rows: Range<usize>,
}

impl Group {
    /// A group that is its own reference.
    pub fn own(rows: Range<usize>) -> Group {
        Group {
            reference: rows.clone(),
            rows,
        }
    }
}

/// Normalises one indicator's column in place, group by group.
///
/// Each group's statistics are taken from its reference rows before any of
/// its rows change; groups must not share rows.
pub fn normalize_column(
    column: &mut [f64],
    groups: &[Group],
    method: Normalize,
    direction: Direction,
    posts: Option<Goalposts>,
) {
    for group in groups {
        let reference = &column[group.reference.clone()];
        match method {
            Normalize::None => {}
            Normalize::Goalposts => {
                // Validation guarantees goalposts for this method.
                let Some(Goalposts { lo, hi }) = posts else {
                    continue;
                };
                apply(&mut column[group.rows.clone()], |x| {
                    goalposts(x, lo, hi, direction)
                });
            }
            Normalize::Minmax => {
                let (_, min, max) = extent(reference.iter().copied());
                apply(&mut column[group.rows.clone()], |x| {
                    minmax(x, min, max, direction)
                });
            }
            Normalize::Efficacy => {
                let (_, min, max) = extent(reference.iter().copied());
                apply(&mut column[group.rows.clone()], |x| {
                    efficacy(x, min, max, direction)
                });
            }
            Normalize::Zscore => {
                let s = Stats::of(reference.iter().copied());
                let sd = if s.is_constant() { 0.0 } else { s.sd };
                apply(&mut column[group.rows.clone()], |x| {
                    zscore(x, s.mean, sd, direction)
                });
            }
            Normalize::Rank if group.reference == group.rows => {
                rank_in_place(&mut column[group.rows.clone()], direction)
            }
            Normalize::Rank => {
                let reference = sorted_keys(reference, direction);
                apply(&mut column[group.rows.clone()], |x| {
                    rank_against(key(x, direction), &reference)
                });
            }
        }
    }
}

/// Rank scores of values among themselves.
fn rank_in_place(values: &mut [f64], direction: Direction) {
    let keyed: Vec<f64> = values.iter().map(|&x| key(x, direction)).collect();
    let n = keyed.iter().filter(|x| !x.is_nan()).count();
    for (value, rank) in values.iter_mut().zip(average_ranks(&keyed)) {
        *value = if rank.is_nan() {
            f64::NAN
        } else {
            rank_score(rank, n)
        };
    }
}

/// The value ranks ascend on: −x when lower is better.
fn key(x: f64, direction: Direction) -> f64 {
    match direction {
        Direction::Higher => x,
        Direction::Lower => -x,
    }
}

/// The present reference values as rank keys, ascending.
fn sorted_keys(reference: &[f64], direction: Direction) -> Vec<f64> {
    let mut keys: Vec<f64> = reference
        .iter()
        .filter(|x| !x.is_nan())
        .map(|&x| key(x, direction))
        .collect();
    keys.sort_by(f64::total_cmp);
    keys
}

/// The rank score a key would have among the reference keys: the average
/// rank it would share, (#below + #at-or-below + 1)/2, which is the usual
/// average rank for a reference value itself. Ranks are positions, so a value
/// beyond every reference value takes the end position (rank 1 or n).
pub fn rank_against(key: f64, sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let below = sorted.partition_point(|&r| r < key);
    let at_or_below = sorted.partition_point(|&r| r <= key);
    let rank = ((below + at_or_below + 1) as f64 / 2.0).clamp(1.0, n as f64);
    rank_score(rank, n)
}

/// `f` of every present value; missing values (NaN) stay missing.
///
/// `f` is pure, so it is computed for every value and the missing ones keep
/// their NaN: a select instead of a branch, which lets the compiler use SIMD
/// over a million-row column. Present values get exactly `f(x)`.
fn apply(values: &mut [f64], f: impl Fn(f64) -> f64) {
    for value in values.iter_mut() {
        let x = *value;
        let y = f(x);
        *value = if x.is_nan() { x } else { y };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::tests::close;
    use Direction::{Higher, Lower};

    #[test]
    fn minmax_by_hand() {
        assert_eq!(minmax(70.0, 60.0, 80.0, Higher), 50.0);
        assert_eq!(minmax(65.0, 60.0, 80.0, Higher), 25.0);
        assert_eq!(minmax(65.0, 60.0, 80.0, Lower), 75.0);
        assert_eq!(minmax(3.0, 3.0, 3.0, Higher), 50.0);
    }

    #[test]
    fn zscore_by_hand() {
        // 2, 4, 6: mean 4, sd sqrt(((4+0+4)/2)) = 2.
        let s = Stats::of([2.0, 4.0, 6.0].into_iter());
        assert_eq!(s.mean, 4.0);
        assert_eq!(s.sd, 2.0);
        assert_eq!(zscore(6.0, 4.0, 2.0, Higher), 1.0);
        assert_eq!(zscore(6.0, 4.0, 2.0, Lower), -1.0);
        assert_eq!(zscore(6.0, 4.0, f64::NAN, Higher), 0.0);
    }

    #[test]
    fn goalposts_by_hand() {
        assert_eq!(goalposts(68.21, 0.0, 100.0, Higher), 68.21);
        assert_eq!(goalposts(97.0, 80.0, 100.0, Higher), 85.0);
        assert_eq!(goalposts(120.0, 80.0, 100.0, Higher), 100.0);
        assert_eq!(goalposts(50.0, 80.0, 100.0, Higher), 0.0);
        // PM2.5 of 25 between goalposts 10 (best) and 75 (worst), lower is better.
        close(goalposts(25.0, 10.0, 75.0, Lower), 100.0 * 50.0 / 65.0);
    }

    #[test]
    fn efficacy_by_hand() {
        assert_eq!(efficacy(70.0, 60.0, 80.0, Higher), 80.0);
        assert_eq!(efficacy(80.0, 60.0, 80.0, Higher), 100.0);
        assert_eq!(efficacy(80.0, 60.0, 80.0, Lower), 60.0);
        assert_eq!(efficacy(5.0, 5.0, 5.0, Lower), 80.0);
    }

    #[test]
    fn average_ranks_share_ties() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 20.0, 5.0]),
            vec![2.0, 3.5, 3.5, 1.0]
        );
        let ranks = average_ranks(&[1.0, f64::NAN, 0.0]);
        assert_eq!(ranks[0], 2.0);
        assert!(ranks[1].is_nan());
        assert_eq!(ranks[2], 1.0);
    }

    #[test]
    fn rank_scores_by_hand() {
        let mut column = vec![10.0, 20.0, 20.0, 5.0, f64::NAN];
        normalize_column(
            &mut column,
            &[Group::own(0..5)],
            Normalize::Rank,
            Higher,
            None,
        );
        // n = 4: ranks 2, 3.5, 3.5, 1 → 100·(r−1)/3.
        close(column[0], 100.0 / 3.0);
        close(column[1], 250.0 / 3.0);
        assert_eq!(column[3], 0.0);
        assert!(column[4].is_nan());

        let mut lower = vec![10.0, 20.0, 5.0];
        normalize_column(
            &mut lower,
            &[Group::own(0..3)],
            Normalize::Rank,
            Lower,
            None,
        );
        assert_eq!(lower, vec![50.0, 0.0, 100.0]);

        let mut single = vec![7.0];
        normalize_column(
            &mut single,
            &[Group::own(0..1)],
            Normalize::Rank,
            Higher,
            None,
        );
        assert_eq!(single, vec![50.0]);
    }

    #[test]
    fn groups_are_normalised_separately() {
        let mut column = vec![0.0, 10.0, 100.0, 300.0];
        normalize_column(
            &mut column,
            &[Group::own(0..2), Group::own(2..4)],
            Normalize::Minmax,
            Higher,
            None,
        );
        assert_eq!(column, vec![0.0, 100.0, 0.0, 100.0]);
    }

    #[test]
    fn constant_zscore_is_zero_despite_rounding_in_the_mean() {
        let mut column = vec![0.1, 0.1, 0.1];
        normalize_column(
            &mut column,
            &[Group::own(0..3)],
            Normalize::Zscore,
            Higher,
            None,
        );
        assert_eq!(column, vec![0.0, 0.0, 0.0]);
    }

    #[test]
    fn none_keeps_the_value_whatever_the_direction() {
        let mut column = vec![3.0, -2.0];
        normalize_column(
            &mut column,
            &[Group::own(0..2)],
            Normalize::None,
            Lower,
            None,
        );
        assert_eq!(column, vec![3.0, -2.0]);
    }
}
