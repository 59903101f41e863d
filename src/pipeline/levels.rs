//! Indicator scores → group scores → dimension scores → composite: the tree
//! aggregated bottom-up, level by level (docs/METHODOLOGY.md §3). Each node
//! combines its children with its own aggregator (else `[method]`'s), its
//! children's weights renormalised over those present in the row, so that
//! `missing = "skip"` renormalises at every level.

use super::Collector;
use super::aggregate::{NotPositive, aggregate_columns};
use crate::data::Keys;
use crate::definition::{Children, Definition, Parent};
use crate::error::ScoreError;
use crate::parallel;

/// Every node's score per row.
pub struct Aggregated {
    /// `groups[group][row]`, in [`Definition::groups`] order.
    pub groups: Vec<Vec<f64>>,
    /// `dimensions[dimension][row]`.
    pub dimensions: Vec<Vec<f64>>,
    /// The composite per row.
    pub composite: Vec<f64>,
}

/// What one node's aggregation reads: its children's columns and weights.
struct Inputs<'a> {
    definition: &'a Definition,
    keys: &'a Keys,
    indicators: &'a [String],
    indicator_scores: &'a [Vec<f64>],
    indicator_weights: Vec<f64>,
}

impl Inputs<'_> {
    /// A node's score per row, with the rows its aggregator could not take.
    fn node(&self, node: Parent, groups: &[Vec<f64>]) -> (Vec<f64>, Vec<(usize, NotPositive)>) {
        let rows = self.keys.rows.len();
        let method = self.definition.aggregate_of(node);
        match self.definition.children(node) {
            Children::Indicators(range) => {
                let columns: Vec<&[f64]> = self.indicator_scores[range.clone()]
                    .iter()
                    .map(Vec::as_slice)
                    .collect();
                aggregate_columns(
                    method,
                    &self.indicator_weights[range.clone()],
                    &columns,
                    rows,
                )
            }
            Children::Groups(children) => {
                let columns: Vec<&[f64]> = children.iter().map(|&g| groups[g].as_slice()).collect();
                let weights: Vec<f64> = children
                    .iter()
                    .map(|&g| self.definition.groups[g].weight)
                    .collect();
                aggregate_columns(method, &weights, &columns, rows)
            }
        }
    }

    /// Reports each row a node's aggregator could not take, naming the child.
    fn blame(&self, node: Parent, failures: Vec<(usize, NotPositive)>, errors: &mut Collector) {
        let aggregate = self.definition.aggregate_of(node);
        for (row, bad) in failures {
            let (at, item) = match self.definition.children(node) {
                Children::Indicators(range) => {
                    let i = range.start + bad.item;
                    (
                        self.keys.locate(row, Some(i)),
                        format!("indicator `{}`", self.indicators[i]),
                    )
                }
                Children::Groups(children) => (
                    self.keys.locate_row(row),
                    format!("group `{}`", self.definition.groups[children[bad.item]].id),
                ),
            };
            errors.push(ScoreError::NotPositive {
                at,
                item,
                unit: self.keys.unit_of(row).to_string(),
                period: self.keys.period_of(row).to_string(),
                score: bad.score,
                aggregate,
            });
        }
    }
}

/// Aggregates the whole tree for every row, deepest level first; the nodes
/// of one level are independent, and on large inputs run in parallel.
pub fn aggregate_tree(
    definition: &Definition,
    keys: &Keys,
    indicators: &[String],
    indicator_scores: &[Vec<f64>],
    errors: &mut Collector,
) -> Aggregated {
    let inputs = Inputs {
        definition,
        keys,
        indicators,
        indicator_scores,
        indicator_weights: definition.indicators().map(|(_, i)| i.weight).collect(),
    };
    let threads = parallel::threads_for(keys.rows.len());
    let mut groups: Vec<Vec<f64>> = vec![Vec::new(); definition.groups.len()];
    let deepest = definition.groups.iter().map(|g| g.level).max().unwrap_or(1);
    for level in (2..=deepest).rev() {
        let at_level: Vec<usize> = (0..definition.groups.len())
            .filter(|&g| definition.groups[g].level == level)
            .collect();
        let results = parallel::map(threads, &at_level, |&g| {
            inputs.node(Parent::Group(g), &groups)
        });
        for (&g, (scores, failures)) in at_level.iter().zip(results) {
            inputs.blame(Parent::Group(g), failures, errors);
            groups[g] = scores;
        }
    }

    let dimension_nodes: Vec<usize> = (0..definition.dimensions.len()).collect();
    let results = parallel::map(threads, &dimension_nodes, |&d| {
        inputs.node(Parent::Dimension(d), &groups)
    });
    let mut dimensions = Vec::with_capacity(dimension_nodes.len());
    for (d, (scores, failures)) in results.into_iter().enumerate() {
        inputs.blame(Parent::Dimension(d), failures, errors);
        dimensions.push(scores);
    }

    let weights: Vec<f64> = definition.dimensions.iter().map(|d| d.weight).collect();
    let columns: Vec<&[f64]> = dimensions.iter().map(Vec::as_slice).collect();
    let method = definition.method.aggregate;
    let (composite, failures) = aggregate_columns(method, &weights, &columns, keys.rows.len());
    for (row, bad) in failures {
        errors.push(ScoreError::NotPositive {
            at: keys.locate_row(row),
            item: format!("dimension `{}`", definition.dimensions[bad.item].id),
            unit: keys.unit_of(row).to_string(),
            period: keys.period_of(row).to_string(),
            score: bad.score,
            aggregate: method,
        });
    }
    Aggregated {
        groups,
        dimensions,
        composite,
    }
}
