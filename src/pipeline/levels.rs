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

#[cfg(test)]
mod tests {
    use crate::pipeline::tests::{close, run};

    /// Four levels below the index: dimension `a` → groups `g1` (→ `g11`,
    /// `g12`) and `g2` → indicators; dimension `b` holds `v` directly.
    /// Weights: g11 = x 1 : y 3; g1 = g11 1 : g12 3; a = g1 1 : g2 3.
    fn tree(aggregate: &str, missing: &str, overrides: &str) -> String {
        format!(
            r#"
[index]
name = "T"
[method]
normalize = "none"
aggregate = "{aggregate}"
missing = "{missing}"
[[dimension]]
id = "a"
[[dimension.group]]
id = "g1"
{overrides}
[[dimension.group.group]]
id = "g11"
[[dimension.group.group.indicator]]
id = "x"
[[dimension.group.group.indicator]]
id = "y"
weight = 3
[[dimension.group.group]]
id = "g12"
weight = 3
[[dimension.group.group.indicator]]
id = "z"
[[dimension.group]]
id = "g2"
weight = 3
[[dimension.group.indicator]]
id = "w"
[[dimension]]
id = "b"
[[dimension.indicator]]
id = "v"
"#
        )
    }

    const ROW: &str = "unit,period,x,y,z,w,v\nA,2019,16,81,8,27,64\n";

    /// g11 = (16 + 3·81)/4 = 64.75; g1 = (64.75 + 3·8)/4 = 22.1875;
    /// a = (22.1875 + 3·27)/4 = 25.796875; composite = (25.796875 + 64)/2.
    #[test]
    fn arithmetic_four_levels_by_hand() {
        let s = run(&tree("arithmetic", "error", ""), ROW).unwrap();
        // Groups in definition order, depth first: g1, g11, g12, g2.
        let groups: Vec<f64> = s.group_scores.iter().map(|g| g[0]).collect();
        assert_eq!(groups, [22.1875, 64.75, 8.0, 27.0]);
        assert_eq!(s.dimension_scores[0][0], 25.796875);
        assert_eq!(s.composite[0], 44.8984375);
    }

    /// g11 = 16^¼·81^¾ = 2·27 = 54; g1 = 54^¼·8^¾; a = g1^¼·27^¾;
    /// composite = √(a·64).
    #[test]
    fn geometric_four_levels_by_hand() {
        let s = run(&tree("geometric", "error", ""), ROW).unwrap();
        let g1 = 54f64.powf(0.25) * 8f64.powf(0.75);
        let a = g1.powf(0.25) * 27f64.powf(0.75);
        close(s.group_scores[1][0], 54.0);
        close(s.group_scores[0][0], g1);
        close(s.dimension_scores[0][0], a);
        close(s.composite[0], (a * 64.0).sqrt());
    }

    /// g11 = 1/(¼/16 + ¾/81); g1 = 1/(¼/g11 + ¾/8); a = 1/(¼/g1 + ¾/27);
    /// composite = 1/(½/a + ½/64).
    #[test]
    fn harmonic_four_levels_by_hand() {
        let s = run(&tree("harmonic", "error", ""), ROW).unwrap();
        let g11 = 1.0 / (0.25 / 16.0 + 0.75 / 81.0);
        let g1 = 1.0 / (0.25 / g11 + 0.75 / 8.0);
        let a = 1.0 / (0.25 / g1 + 0.75 / 27.0);
        close(s.group_scores[1][0], g11);
        close(s.group_scores[0][0], g1);
        close(s.composite[0], 1.0 / (0.5 / a + 0.5 / 64.0));
    }

    /// A node's own aggregator combines its children only: g1 geometric
    /// under an arithmetic method, so g1 = 64.75^¼·8^¾ and the rest as usual.
    #[test]
    fn a_group_sets_the_aggregator_of_its_children() {
        let s = run(
            &tree("arithmetic", "error", "aggregate = \"geometric\""),
            ROW,
        )
        .unwrap();
        let g1 = 64.75f64.powf(0.25) * 8f64.powf(0.75);
        close(s.group_scores[1][0], 64.75);
        close(s.group_scores[0][0], g1);
        close(s.dimension_scores[0][0], (g1 + 81.0) / 4.0);
    }

    /// Skip renormalises at every level: without y, g11 = x; without all of
    /// g1's indicators, g1 is absent and a = g2.
    #[test]
    fn skip_renormalises_at_every_level() {
        let data = "unit,period,x,y,z,w,v\nA,2019,16,,8,27,64\nB,2019,,,,27,64\n";
        let s = run(&tree("arithmetic", "skip", ""), data).unwrap();
        assert_eq!(s.group_scores[1][0], 16.0);
        assert_eq!(s.group_scores[0][0], (16.0 + 24.0) / 4.0);
        assert_eq!(s.dimension_scores[0][0], (10.0 + 81.0) / 4.0);
        assert!(s.group_scores[0][1].is_nan());
        assert_eq!(s.dimension_scores[0][1], 27.0);
        assert_eq!(s.composite[1], (27.0 + 64.0) / 2.0);
    }

    /// Mean and carry fill indicators before anything is aggregated: the
    /// tree then sees a full row.
    #[test]
    fn mean_and_carry_fill_before_the_tree() {
        let data = "unit,period,x,y,z,w,v\nA,2019,16,,8,27,64\nB,2019,16,81,8,27,64\n";
        let s = run(&tree("arithmetic", "mean", ""), data).unwrap();
        assert_eq!(s.composite[0], 44.8984375);
        let data = "unit,period,x,y,z,w,v\nA,2018,16,81,8,27,64\nA,2019,16,,8,27,64\n";
        let s = run(&tree("arithmetic", "carry", ""), data).unwrap();
        assert_eq!(s.composite[1], 44.8984375);
    }

    /// Under error, a missing cell is reported wherever it sits in the tree.
    #[test]
    fn error_lists_a_missing_cell_deep_in_the_tree() {
        let data = "unit,period,x,y,z,w,v\nA,2019,16,,8,27,64\n";
        let error = run(&tree("arithmetic", "error", ""), data).unwrap_err();
        let messages = error.messages().join("\n");
        assert!(messages.contains("`y`"), "{messages}");
    }

    /// A group score that geometric aggregation cannot take is blamed on the
    /// group, one level up from where it was formed.
    #[test]
    fn a_non_positive_group_score_names_the_group() {
        let text = tree("arithmetic", "error", "").replace(
            "[[dimension.group]]\nid = \"g2\"",
            "[[dimension.group]]\nid = \"g2\"\naggregate = \"geometric\"",
        );
        // The dimension `a` is arithmetic; make it geometric to see g1 blamed.
        let text = text.replace("id = \"a\"\n", "id = \"a\"\naggregate = \"geometric\"\n");
        let data = "unit,period,x,y,z,w,v\nA,2019,0,0,0,27,64\n";
        let error = run(&text, data).unwrap_err();
        let messages = error.messages().join("\n");
        assert!(
            messages.contains("group `g1`") && messages.contains("geometric"),
            "{messages}"
        );
    }
}
