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

#[cfg(test)]
mod tests {
    use crate::pipeline::tests::{close, run};

    const DEF: &str = r#"
[index]
name = "T"
[method]
aggregate = "topsis"
[[dimension]]
id = "a"
[[dimension.indicator]]
id = "x"
[[dimension.indicator]]
id = "y"
direction = "lower"
"#;

    /// Norms √(9+16) = 5 for both; weighted values A (.3,.4), B (.4,.3),
    /// C (0,0); ideal (.4, 0), anti-ideal (0, .4). A: D⁺ = √.17, D⁻ = .3;
    /// B mirrors A; C is as far from both: 50.
    #[test]
    fn topsis_by_hand() {
        let s = run(DEF, "unit,period,x,y\nA,1,3,4\nB,1,4,3\nC,1,0,0\n").unwrap();
        let root = 0.17f64.sqrt();
        close(s.composite[0], 100.0 * 0.3 / (0.3 + root));
        close(s.composite[1], 100.0 * root / (0.3 + root));
        close(s.composite[2], 50.0);
        // A one-node dimension scores as the composite; an indicator alone
        // scores its position between the worst and best: x of A is 3/4.
        close(s.dimension_scores[0][0], s.composite[0]);
        close(s.indicator_scores[0][0], 75.0);
        close(s.indicator_scores[1][0], 0.0);
        // C, equally far from both, beats A, nearer the anti-ideal.
        assert_eq!(s.ranks, vec![Some(3), Some(1), Some(2)]);
    }

    /// Each period is its own comparison under scope = "period": the same
    /// values in two periods give the same scores.
    #[test]
    fn each_period_is_compared_on_its_own() {
        let data = "unit,period,x,y\nA,1,3,4\nB,1,4,3\nC,1,0,0\nA,2,30,40\nB,2,40,30\nC,2,0,0\n";
        let s = run(DEF, data).unwrap();
        for row in 0..3 {
            close(s.composite[row], s.composite[row + 3]);
        }
        // Pooled, the periods share one ideal: the first period's scores move.
        let pooled = DEF.replace("aggregate", "scope = \"pooled\"\naggregate");
        let p = run(&pooled, data).unwrap();
        assert!((p.composite[1] - s.composite[1]).abs() > 1.0);
    }

    #[test]
    fn topsis_refuses_base_scope_and_node_settings() {
        let error = run(
            &DEF.replace("aggregate", "scope = \"base\"\naggregate"),
            "unit,period,x,y\n",
        )
        .unwrap_err();
        assert!(
            error
                .messages()
                .join("\n")
                .contains("cannot take scope = \"base\"")
        );
        let error = run(
            &DEF.replace("id = \"a\"", "id = \"a\"\naggregate = \"topsis\""),
            "unit,period,x,y\n",
        )
        .unwrap_err();
        assert!(
            error
                .messages()
                .join("\n")
                .contains("sets aggregate = \"topsis\"")
        );
    }
}
