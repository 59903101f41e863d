//! `aggregate = "topsis"`: every node scored by TOPSIS on the raw values of
//! the indicators below it, within each normalisation group of the scope
//! (a period, or every period pooled): vector normalisation, the global
//! weights renormalised over the node's indicators, distances to the ideal
//! and anti-ideal by direction, score = 100·D⁻/(D⁺ + D⁻). The `normalize`
//! setting is not used. docs/METHODOLOGY.md, "TOPSIS".

use std::ops::Range;

use super::levels::Aggregated;
use super::normalize;
use crate::definition::Definition;
use crate::error::Error;
use crate::weights::{Column, WeightError, topsis};

/// Every node's TOPSIS score per row, and each indicator's own (TOPSIS on
/// that indicator alone: its min–max position in the group, by direction).
pub fn score_tree(
    definition: &Definition,
    groups: &[normalize::Group],
    values: &[Vec<f64>],
    rows: usize,
) -> Result<(Vec<Vec<f64>>, Aggregated), Error> {
    let global = definition.global_weights();
    let indicators: Vec<_> = definition.indicators().map(|(_, i)| i).collect();
    let mut errors: Vec<WeightError> = Vec::new();
    let mut node = |range: Range<usize>| -> Vec<f64> {
        let mut scores = vec![f64::NAN; rows];
        for group in groups {
            let columns: Vec<Column> = range
                .clone()
                .map(|i| Column {
                    name: &indicators[i].id,
                    values: &values[i][group.rows.clone()],
                    direction: indicators[i].direction,
                })
                .collect();
            // A node whose indicators all weigh nothing scores as if they
            // weighed alike: its own weight above decides whether it counts.
            let mut weights: Vec<f64> = global[range.clone()].to_vec();
            if weights.iter().all(|w| *w <= 0.0) {
                weights.fill(1.0);
            }
            match topsis(&columns, &weights) {
                Ok(result) => {
                    for (row, score) in group.rows.clone().zip(result.scores) {
                        scores[row] = score.unwrap_or(f64::NAN);
                    }
                }
                Err(mut more) => errors.append(&mut more),
            }
        }
        scores
    };
    let indicator_scores: Vec<Vec<f64>> = (0..indicators.len()).map(|i| node(i..i + 1)).collect();
    let group_scores: Vec<Vec<f64>> = definition
        .groups
        .iter()
        .map(|g| node(g.indicators.clone()))
        .collect();
    let dimension_scores: Vec<Vec<f64>> = definition
        .dimension_ranges()
        .into_iter()
        .map(&mut node)
        .collect();
    let composite = node(0..indicators.len());
    if !errors.is_empty() {
        errors.truncate(crate::data::MAX_ERRORS);
        return Err(Error::Weights(errors));
    }
    Ok((
        indicator_scores,
        Aggregated {
            groups: group_scores,
            dimensions: dimension_scores,
            composite,
        },
    ))
}
