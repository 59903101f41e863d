//! The pieces of [`score`](super::score) that a fast re-scoring reuses: the
//! normalised indicator scores alone (missing values, then normalisation,
//! nothing aggregated), and the tree aggregated again with other weights and
//! aggregators. A Monte Carlo run that changes only weights or aggregators
//! leaves the normalised scores as they are, so it is re-aggregation and
//! ranking only (`kmgov sensitivity`).
//!
//! Both do exactly what [`score`](super::score) does, in the same order, so
//! that with the definition's own weights and aggregators the composite is
//! the same to the bit.

use super::aggregate::aggregate_columns;
use super::{Collector, missing, normalization_groups, normalize_columns};
use crate::data::{Keys, Panel};
use crate::definition::{Aggregate, Children, Definition, Parent};
use crate::error::Error;

/// The missing-value rule and the normalisation of `definition` applied to
/// `panel`: `scores[indicator][row]`, NaN where missing, with the keys.
///
/// Fails as [`score`](super::score) fails in those stages. TOPSIS scores
/// nodes from the raw values, so under it the scores are normalised by
/// each indicator's own method, which TOPSIS itself does not use.
pub fn normalised_scores(
    definition: &Definition,
    mut panel: Panel,
) -> Result<(Keys, Vec<Vec<f64>>), Error> {
    let mut errors = Collector::default();
    missing::fill(definition.method.missing, &mut panel, &mut errors);
    if !errors.is_empty() {
        return Err(errors.into_error(&panel.keys.source));
    }
    let Panel {
        keys, mut values, ..
    } = panel;
    let groups = normalization_groups(definition, &keys, &values, &mut errors);
    if !errors.is_empty() {
        return Err(errors.into_error(&keys.source));
    }
    normalize_columns(definition, &groups, keys.rows.len(), &mut values);
    Ok((keys, values))
}

/// Every node's weight among its siblings, as [`Definition`] holds them: the
/// numbers a re-aggregation varies.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeWeights {
    /// Per dimension.
    pub dimensions: Vec<f64>,
    /// Per group, in [`Definition::groups`] order.
    pub groups: Vec<f64>,
    /// Per indicator, in [`Definition::indicators`] order.
    pub indicators: Vec<f64>,
}

impl NodeWeights {
    /// The weights written in (or derived into) `definition`.
    pub fn of(definition: &Definition) -> NodeWeights {
        NodeWeights {
            dimensions: definition.dimensions.iter().map(|d| d.weight).collect(),
            groups: definition.groups.iter().map(|g| g.weight).collect(),
            indicators: definition.indicators().map(|(_, i)| i.weight).collect(),
        }
    }

    /// The weights of a node's children (`None`: the dimensions), in order.
    pub fn children(&self, definition: &Definition, node: Option<Parent>) -> Vec<f64> {
        match node.map(|node| definition.children(node)) {
            None => self.dimensions.clone(),
            Some(Children::Indicators(range)) => self.indicators[range.clone()].to_vec(),
            Some(Children::Groups(list)) => list.iter().map(|&g| self.groups[g]).collect(),
        }
    }
}

/// The tree of a definition in the order it aggregates: the groups deepest
/// level first, then the dimensions, then the composite.
#[derive(Debug, Clone)]
pub struct Tree<'a> {
    definition: &'a Definition,
    /// Group indices, deepest level first (definition order within a level).
    groups: Vec<usize>,
}

/// What a re-aggregation gives: the composite per row, and how many node
/// scores could not be formed (a score of 0 or below under geometric or
/// harmonic aggregation); those rows' composites are NaN.
#[derive(Debug, Clone, PartialEq)]
pub struct Composite {
    /// The composite per row; NaN where no child was present or a node failed.
    pub scores: Vec<f64>,
    /// Node scores that the aggregator could not form.
    pub failures: usize,
}

impl<'a> Tree<'a> {
    /// The aggregation order of `definition`'s tree.
    pub fn new(definition: &'a Definition) -> Tree<'a> {
        let mut groups: Vec<usize> = (0..definition.groups.len()).collect();
        // A stable sort keeps definition order within a level, as
        // `levels::aggregate_tree` visits them.
        groups.sort_by_key(|&g| std::cmp::Reverse(definition.groups[g].level));
        Tree { definition, groups }
    }

    /// The composite of every row of `columns` (`columns[indicator][row]`,
    /// normalised scores) with `weights` and, for each node (`None`: the
    /// composite), the aggregator `aggregate_of` gives. Weights need not sum
    /// to 1 among siblings: every node divides by the sum of its present
    /// children's weights, as scoring does.
    pub fn composite(
        &self,
        columns: &[&[f64]],
        rows: usize,
        weights: &NodeWeights,
        aggregate_of: impl Fn(Option<Parent>) -> Aggregate,
    ) -> Composite {
        let definition = self.definition;
        let mut failed_rows: Vec<usize> = Vec::new();
        let mut node_scores = |node: Option<Parent>, groups: &[Vec<f64>], dims: &[Vec<f64>]| {
            let child_weights = weights.children(definition, node);
            let children: Vec<&[f64]> = match node.map(|node| definition.children(node)) {
                None => dims.iter().map(Vec::as_slice).collect(),
                Some(Children::Indicators(range)) => columns[range.clone()].to_vec(),
                Some(Children::Groups(list)) => {
                    list.iter().map(|&g| groups[g].as_slice()).collect()
                }
            };
            let (scores, failed) =
                aggregate_columns(aggregate_of(node), &child_weights, &children, rows);
            failed_rows.extend(failed.iter().map(|(row, _)| *row));
            scores
        };
        let mut groups: Vec<Vec<f64>> = vec![Vec::new(); definition.groups.len()];
        for &g in &self.groups {
            groups[g] = node_scores(Some(Parent::Group(g)), &groups, &[]);
        }
        let dimensions: Vec<Vec<f64>> = (0..definition.dimensions.len())
            .map(|d| node_scores(Some(Parent::Dimension(d)), &groups, &[]))
            .collect();
        let mut scores = node_scores(None, &groups, &dimensions);
        // A parent skips a child it sees as NaN, as if it were missing: a
        // row with a failed node must not get a composite without it.
        for &row in &failed_rows {
            scores[row] = f64::NAN;
        }
        Composite {
            scores,
            failures: failed_rows.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{ReadOptions, read_from};
    use std::io::Cursor;

    const TREE: &str = r#"
[index]
name = "T"
[method]
normalize = "minmax"
aggregate = "geometric"
[[dimension]]
id = "a"
weight = 2
[[dimension.group]]
id = "g1"
aggregate = "arithmetic"
[[dimension.group.indicator]]
id = "x"
[[dimension.group.indicator]]
id = "y"
weight = 3
[[dimension.group]]
id = "g2"
weight = 3
[[dimension.group.indicator]]
id = "z"
[[dimension]]
id = "b"
[[dimension.indicator]]
id = "v"
"#;

    const DATA: &str = "unit,period,x,y,z,v\nA,1,1,2,3,4\nB,1,2,9,4,1\nC,1,3,1,5,9\nD,1,4,4,1,3\n";

    fn panel(definition: &Definition) -> Panel {
        read_from(
            Box::new(Cursor::new(DATA.as_bytes().to_vec())),
            "t.csv",
            definition,
            ReadOptions::default(),
        )
        .unwrap()
    }

    /// With the definition's own weights and aggregators, re-aggregation
    /// gives scoring's composite to the bit, at every depth.
    #[test]
    fn the_definitions_own_choices_give_the_composite_to_the_bit() {
        // Efficacy keeps every score above 0, as geometric needs.
        let text = TREE.replace("minmax", "efficacy");
        let definition = Definition::from_toml(&text, "t.toml").unwrap();
        let scores = crate::pipeline::score(&definition, panel(&definition)).unwrap();
        let (keys, normalised) = normalised_scores(&definition, panel(&definition)).unwrap();
        assert_eq!(normalised, scores.indicator_scores);
        let columns: Vec<&[f64]> = normalised.iter().map(Vec::as_slice).collect();
        let again = Tree::new(&definition).composite(
            &columns,
            keys.rows.len(),
            &NodeWeights::of(&definition),
            |node| match node {
                Some(node) => definition.aggregate_of(node),
                None => definition.method.aggregate,
            },
        );
        assert_eq!(again.failures, 0);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&again.scores), bits(&scores.composite));
    }

    /// Weights scaled among siblings change nothing; a zero score under a
    /// geometric node is counted as a failure, not hidden.
    #[test]
    fn weights_are_relative_and_failures_are_counted() {
        let definition = Definition::from_toml(TREE, "t.toml").unwrap();
        let (keys, normalised) = normalised_scores(&definition, panel(&definition)).unwrap();
        let columns: Vec<&[f64]> = normalised.iter().map(Vec::as_slice).collect();
        let tree = Tree::new(&definition);
        let arithmetic = |_: Option<Parent>| Aggregate::Arithmetic;
        let weights = NodeWeights::of(&definition);
        let plain = tree.composite(&columns, keys.rows.len(), &weights, arithmetic);
        let mut scaled = weights.clone();
        scaled.indicators.iter_mut().for_each(|w| *w *= 4.0);
        scaled.dimensions.iter_mut().for_each(|w| *w *= 0.5);
        let again = tree.composite(&columns, keys.rows.len(), &scaled, arithmetic);
        for (a, b) in plain.scores.iter().zip(&again.scores) {
            assert!((a - b).abs() < 1e-12, "{a} {b}");
        }
        // Minmax gives the lowest unit 0: geometric cannot take it.
        let geometric = tree.composite(&columns, keys.rows.len(), &weights, |_| {
            Aggregate::Geometric
        });
        assert!(geometric.failures > 0);
        assert!(geometric.scores.iter().any(|x| x.is_nan()));
    }
}
