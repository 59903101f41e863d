//! The obstacle degree (障碍度) of a unit's indicators, for its profile:
//! Oⱼ = wⱼ·(100 − sⱼ) / Σₖ wₖ·(100 − sₖ), in percent, with w the weights
//! aggregation used and s the scores of the report's indicator detail.
//!
//! This is the report's one use of obstacle degrees, kept apart so that it
//! can call `kmgov explain`'s library once that exists in this crate; the
//! formula and the rule for a sum that is not above zero are the same.

use crate::definition::{Aggregate, Normalize};
use crate::report::{Report, UnitRow};

/// One indicator's share of the gap to a perfect score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Obstacle {
    /// The indicator, as an index into [`Report::indicators`].
    pub indicator: usize,
    /// Its score.
    pub score: f64,
    /// Its weight in this unit's composite.
    pub weight: f64,
    /// Its obstacle degree, in percent (the degrees of a unit sum to 100).
    pub degree: f64,
}

/// True when 100 − score is the distance to the best score for every
/// indicator: minmax, goalposts, efficacy and rank scores, not z-scores,
/// raw values or TOPSIS.
pub fn meaningful(report: &Report) -> bool {
    report.method.aggregate != Aggregate::Topsis
        && report.indicators.iter().all(|i| {
            matches!(
                i.normalize,
                Normalize::Minmax | Normalize::Goalposts | Normalize::Efficacy | Normalize::Rank
            )
        })
}

/// The unit's indicators by obstacle degree, largest first (ties in
/// definition order). Empty when the report has no indicator detail or
/// when the gaps do not sum above zero (every score 100: nothing holds the
/// unit back).
pub fn ranked(unit: &UnitRow) -> Vec<Obstacle> {
    let cells = unit.indicator_cells();
    let gaps: Vec<Option<(f64, f64, f64)>> = cells
        .iter()
        .map(|cell| {
            let score = cell.score.filter(|s| s.is_finite())?;
            (cell.weight > 0.0).then_some((cell.weight * (100.0 - score), score, cell.weight))
        })
        .collect();
    let sum: f64 = gaps.iter().flatten().map(|g| g.0).sum();
    if sum.is_nan() || sum <= 0.0 {
        return Vec::new();
    }
    let mut obstacles: Vec<Obstacle> = gaps
        .iter()
        .enumerate()
        .filter_map(|(indicator, gap)| {
            gap.map(|(gap, score, weight)| Obstacle {
                indicator,
                score,
                weight,
                degree: 100.0 * gap / sum,
            })
        })
        .collect();
    obstacles.sort_by(|a, b| b.degree.total_cmp(&a.degree));
    obstacles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{IndicatorCell, UnitDetail};
    use std::sync::Arc;

    fn unit(cells: &[(Option<f64>, f64)]) -> UnitRow {
        UnitRow {
            rank: Some(1),
            unit: Arc::from("A"),
            composite: Some(50.0),
            dimensions: vec![],
            change: None,
            pct_change: None,
            rank_change: None,
            grades: None,
            detail: Some(Box::new(UnitDetail {
                indicators: cells
                    .iter()
                    .map(|&(score, weight)| IndicatorCell {
                        raw: score,
                        score,
                        weight,
                        filled: None,
                    })
                    .collect(),
                ..UnitDetail::default()
            })),
            labels: None,
        }
    }

    #[test]
    fn degrees_share_the_weighted_gap_and_sum_to_100() {
        // Gaps: 0.5·(100−80) = 10, 0.25·(100−60) = 10, 0.25·(100−100) = 0.
        let ranked = ranked(&unit(&[
            (Some(80.0), 0.5),
            (Some(60.0), 0.25),
            (Some(100.0), 0.25),
        ]));
        let degrees: Vec<(usize, f64)> = ranked.iter().map(|o| (o.indicator, o.degree)).collect();
        assert_eq!(degrees, vec![(0, 50.0), (1, 50.0), (2, 0.0)]);
    }

    #[test]
    fn absent_and_unweighted_cells_do_not_count() {
        let ranked = ranked(&unit(&[(None, 0.0), (Some(90.0), 1.0), (Some(10.0), 0.0)]));
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].indicator, 1);
        assert_eq!(ranked[0].degree, 100.0);
    }

    #[test]
    fn nothing_holds_back_a_unit_at_100() {
        assert!(ranked(&unit(&[(Some(100.0), 0.5), (Some(100.0), 0.5)])).is_empty());
        assert!(ranked(&unit(&[])).is_empty());
    }
}
