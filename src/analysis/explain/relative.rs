//! Under a data-driven normalisation with `scope = "period"`, a unit's score
//! moves when its own values move and when the period's statistics move
//! (others moved). Scoring the unit's new raw values against the previous
//! period's statistics separates the two: previous → that counterfactual is
//! the unit's own change, counterfactual → now is the others' moving.

use std::ops::Range;

use super::tree::{State, Tree};
use crate::definition::{Definition, Direction, Normalize};
use crate::pipeline::Scores;
use crate::pipeline::normalize::{Stats, efficacy, minmax, rank_against, zscore};

/// Why the counterfactual could not be formed, in the user's words.
pub type Unavailable = String;

/// The unit's row `now` scored on the reference of `before` (the previous
/// period's rows) instead of its own period's, aggregated up the tree.
pub fn counterfactual(
    definition: &Definition,
    tree: &Tree,
    scores: &Scores,
    now: usize,
    before: Range<usize>,
) -> Result<State, Unavailable> {
    let Some(raw) = &scores.raw else {
        return Err("the raw values were not kept".into());
    };
    let mut indicator_scores = Vec::with_capacity(tree.indicators.len());
    for (i, (_, indicator)) in definition.indicators().enumerate() {
        let scored = scores.indicator_scores[i][now];
        let x = raw[i][now];
        if scored.is_nan() || !indicator.normalize.is_data_driven() {
            indicator_scores.push(scored);
            continue;
        }
        let reference = &raw[i][before.clone()];
        let score =
            against(x, reference, indicator.normalize, indicator.direction).ok_or_else(|| {
                format!(
                    "indicator `{}` has no value in the previous period to score against",
                    indicator.id
                )
            })?;
        indicator_scores.push(score);
    }
    tree.aggregate_up(&indicator_scores).map_err(|node| {
        format!(
            "scored against the previous period's statistics, a score under `{}` is one its {} aggregation cannot take",
            tree.nodes[node].id, tree.nodes[node].aggregate
        )
    })
}

/// `x` normalised by `method` on the present values of `reference`, as
/// the pipeline normalises a period's rows on its own; `None` when the
/// reference has no value.
fn against(x: f64, reference: &[f64], method: Normalize, direction: Direction) -> Option<f64> {
    let stats = Stats::of(reference.iter().copied());
    if stats.n == 0 {
        return None;
    }
    Some(match method {
        Normalize::Minmax => minmax(x, stats.min, stats.max, direction),
        Normalize::Efficacy => efficacy(x, stats.min, stats.max, direction),
        Normalize::Zscore => {
            let sd = if stats.is_constant() { 0.0 } else { stats.sd };
            zscore(x, stats.mean, sd, direction)
        }
        Normalize::Rank => {
            let key = |v: f64| match direction {
                Direction::Higher => v,
                Direction::Lower => -v,
            };
            let mut keys: Vec<f64> = reference
                .iter()
                .filter(|v| !v.is_nan())
                .map(|&v| key(v))
                .collect();
            keys.sort_by(f64::total_cmp);
            rank_against(key(x), &keys)
        }
        Normalize::Goalposts | Normalize::None => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_scored_on_the_reference_as_the_pipeline_would() {
        let reference = [10.0, 20.0, 30.0, f64::NAN];
        let higher = Direction::Higher;
        assert_eq!(
            against(25.0, &reference, Normalize::Minmax, higher),
            Some(75.0)
        );
        assert_eq!(
            against(25.0, &reference, Normalize::Efficacy, higher),
            Some(90.0)
        );
        // Mean 20, sd 10.
        assert_eq!(
            against(25.0, &reference, Normalize::Zscore, higher),
            Some(0.5)
        );
        // Between ranks 2 and 3 of 3: rank 2.5 → 100·1.5/2.
        assert_eq!(
            against(25.0, &reference, Normalize::Rank, higher),
            Some(75.0)
        );
        assert_eq!(
            against(25.0, &reference, Normalize::Minmax, Direction::Lower),
            Some(25.0)
        );
        assert_eq!(against(25.0, &[f64::NAN], Normalize::Minmax, higher), None);
    }
}
