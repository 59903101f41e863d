//! Ranks within a period and the total per period.

use std::ops::Range;

use crate::sum::Sum;

/// Competition ranks of `composite` within `group`: 1 is the highest, ties
/// share the lowest rank (1, 2, 2, 4). Rows without a composite get no rank.
///
/// Ties are exact: two composites tie only when equal as computed.
pub fn competition_ranks(composite: &[f64], group: Range<usize>) -> Vec<Option<u32>> {
    let mut order: Vec<usize> = group.clone().filter(|&r| !composite[r].is_nan()).collect();
    // Highest first, equal composites in row order: the order a stable sort
    // gives, from an unstable one, which is faster.
    order.sort_unstable_by(|&a, &b| composite[b].total_cmp(&composite[a]).then(a.cmp(&b)));
    let mut ranks = vec![None; group.len()];
    for (position, &row) in order.iter().enumerate() {
        let rank = if position > 0 && composite[order[position - 1]] == composite[row] {
            ranks[order[position - 1] - group.start]
        } else {
            Some(position as u32 + 1)
        };
        ranks[row - group.start] = rank;
    }
    ranks
}

/// The mean of the composites present; `None` when there is none.
pub fn mean_total(composite: &[f64]) -> Option<f64> {
    let present: Sum = composite.iter().copied().filter(|x| !x.is_nan()).collect();
    let n = composite.iter().filter(|x| !x.is_nan()).count();
    (n > 0).then(|| present.value() / n as f64)
}

/// Σ pᵢ·cᵢ / Σ pᵢ over the composites present; `None` when there is none.
/// The caller has checked that every population used is positive.
pub fn population_total(composite: &[f64], population: &[f64]) -> Option<f64> {
    let (mut weighted, mut people) = (Sum::new(), Sum::new());
    for (&c, &p) in composite.iter().zip(population) {
        if !c.is_nan() {
            weighted.add(p * c);
            people.add(p);
        }
    }
    (people.value() > 0.0).then(|| weighted.value() / people.value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_lowest_rank() {
        let composite = [70.0, 90.0, 80.0, 80.0];
        assert_eq!(
            competition_ranks(&composite, 0..4),
            vec![Some(4), Some(1), Some(2), Some(2)]
        );
    }

    #[test]
    fn ranks_are_within_the_group() {
        let composite = [1.0, 2.0, 5.0, f64::NAN, 3.0];
        assert_eq!(
            competition_ranks(&composite, 2..5),
            vec![Some(1), None, Some(2)]
        );
    }

    #[test]
    fn totals_by_hand() {
        assert_eq!(mean_total(&[80.0, 90.0, f64::NAN]), Some(85.0));
        assert_eq!(mean_total(&[f64::NAN]), None);
        // (1·80 + 3·90) / 4 = 87.5
        assert_eq!(population_total(&[80.0, 90.0], &[1.0, 3.0]), Some(87.5));
    }
}
