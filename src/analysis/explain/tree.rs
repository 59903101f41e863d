//! The indicator tree as one list of nodes — the composite, then each
//! dimension followed by everything below it, depth first — so that a pass
//! in list order visits parents before children and a pass in reverse order
//! children before parents. A [`State`] is one row's score of every node.

use crate::definition::{Aggregate, Children, Definition, Parent};
use crate::pipeline::Scores;
use crate::pipeline::aggregate::aggregate;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The composite (or, for the total, the city figure).
    Composite,
    /// A dimension: its index in [`Definition::dimensions`].
    Dimension(usize),
    /// A group: its index in [`Definition::groups`].
    Group(usize),
    /// An indicator: its index in [`Definition::indicators`] order.
    Indicator(usize),
}

impl Kind {
    /// `composite`, `dimension`, `group` or `indicator`, as CSV writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Composite => "composite",
            Kind::Dimension(_) => "dimension",
            Kind::Group(_) => "group",
            Kind::Indicator(_) => "indicator",
        }
    }
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it is.
    pub kind: Kind,
    /// Its id (`composite` for the root).
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The node it hangs under; `None` for the composite.
    pub parent: Option<usize>,
    /// Its children, in definition order.
    pub children: Vec<usize>,
    /// Its weight among its siblings (1 for the composite).
    pub weight: f64,
    /// The aggregator that combines its children (unused for an indicator).
    pub aggregate: Aggregate,
    /// 0 for the composite, 1 for a dimension, 2 below it, and so on.
    pub depth: usize,
}

/// The tree of a definition, in depth-first order.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// The nodes; the composite first.
    pub nodes: Vec<Node>,
    /// The node of each indicator, in definition order.
    pub indicators: Vec<usize>,
}

/// One row's score of every node, in [`Tree::nodes`] order; NaN where absent.
pub type State = Vec<f64>;

impl Tree {
    /// The tree of `definition`.
    pub fn of(definition: &Definition) -> Tree {
        let mut tree = Tree {
            nodes: vec![Node {
                kind: Kind::Composite,
                id: "composite".into(),
                name: definition.title().to_string(),
                parent: None,
                children: Vec::new(),
                weight: 1.0,
                aggregate: definition.method.aggregate,
                depth: 0,
            }],
            indicators: vec![0; definition.indicator_count()],
        };
        for (d, dimension) in definition.dimensions.iter().enumerate() {
            let node = tree.push(
                Kind::Dimension(d),
                (&dimension.id, &dimension.name, dimension.weight),
                0,
                definition.aggregate_of(Parent::Dimension(d)),
            );
            tree.add_children(definition, Parent::Dimension(d), node);
        }
        tree
    }

    fn push(
        &mut self,
        kind: Kind,
        (id, name, weight): (&str, &str, f64),
        parent: usize,
        aggregate: Aggregate,
    ) -> usize {
        let at = self.nodes.len();
        let depth = self.nodes[parent].depth + 1;
        self.nodes[parent].children.push(at);
        self.nodes.push(Node {
            kind,
            id: id.to_string(),
            name: name.to_string(),
            parent: Some(parent),
            children: Vec::new(),
            weight,
            aggregate,
            depth,
        });
        at
    }

    fn add_children(&mut self, definition: &Definition, of: Parent, node: usize) {
        match definition.children(of) {
            Children::Indicators(range) => {
                let indicators: Vec<_> = definition.indicators().map(|(_, i)| i).collect();
                for i in range.clone() {
                    let indicator = indicators[i];
                    let at = self.push(
                        Kind::Indicator(i),
                        (&indicator.id, &indicator.name, indicator.weight),
                        node,
                        Aggregate::Arithmetic,
                    );
                    self.indicators[i] = at;
                }
            }
            Children::Groups(groups) => {
                for &g in groups {
                    let group = &definition.groups[g];
                    let at = self.push(
                        Kind::Group(g),
                        (&group.id, &group.name, group.weight),
                        node,
                        definition.aggregate_of(Parent::Group(g)),
                    );
                    self.add_children(definition, Parent::Group(g), at);
                }
            }
        }
    }

    /// Every node's score in one row of `scores`, as the pipeline computed it.
    pub fn state(&self, scores: &Scores, row: usize) -> State {
        self.nodes
            .iter()
            .map(|node| match node.kind {
                Kind::Composite => scores.composite[row],
                Kind::Dimension(d) => scores.dimension_scores[d][row],
                Kind::Group(g) => scores.group_scores[g][row],
                Kind::Indicator(i) => scores.indicator_scores[i][row],
            })
            .collect()
    }

    /// A state from indicator scores alone: every node above them aggregated
    /// as the pipeline aggregates (the same function, so the same bits).
    /// `Err` names the node whose aggregator could not take a child's score.
    pub fn aggregate_up(&self, indicator_scores: &[f64]) -> Result<State, usize> {
        let mut state = vec![f64::NAN; self.nodes.len()];
        for (i, &node) in self.indicators.iter().enumerate() {
            state[node] = indicator_scores[i];
        }
        for at in (0..self.nodes.len()).rev() {
            let node = &self.nodes[at];
            if node.children.is_empty() {
                continue;
            }
            let weights: Vec<f64> = node
                .children
                .iter()
                .map(|&c| self.nodes[c].weight)
                .collect();
            let scores = node.children.iter().map(|&c| state[c]);
            state[at] = aggregate(node.aggregate, &weights, scores).map_err(|_| at)?;
        }
        Ok(state)
    }

    /// A child counts when it has a score and a weight above zero, as in
    /// aggregation.
    pub fn counts(&self, state: &State, child: usize) -> bool {
        !state[child].is_nan() && self.nodes[child].weight > 0.0
    }

    /// The weights of a node's children renormalised over those that count
    /// in `state`, as aggregation uses them (0 for the others).
    pub fn renormalised(&self, state: &State, node: usize) -> Vec<f64> {
        let children = &self.nodes[node].children;
        let sum: f64 = children
            .iter()
            .filter(|&&c| self.counts(state, c))
            .map(|&c| self.nodes[c].weight)
            .sum();
        children
            .iter()
            .map(|&c| {
                if self.counts(state, c) && sum > 0.0 {
                    self.nodes[c].weight / sum
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// How a node's score is shared among its children, in `state`: shares
    /// that sum to 1. Under arithmetic aggregation each child's weighted
    /// score a·s over the node's score; under geometric and harmonic
    /// aggregation, whose scores are not sums, a·s over Σ a·s. When that sum
    /// is zero up to rounding (z-scores that cancel), the weights a.
    pub fn shares(&self, state: &State, node: usize) -> Vec<f64> {
        let a = self.renormalised(state, node);
        let children = &self.nodes[node].children;
        let weighted: Vec<f64> = children
            .iter()
            .zip(&a)
            .map(|(&c, &a)| if a > 0.0 { a * state[c] } else { 0.0 })
            .collect();
        let sum: f64 = weighted.iter().sum();
        let size: f64 = weighted.iter().map(|x| x.abs()).sum();
        let whole = match self.nodes[node].aggregate {
            Aggregate::Arithmetic | Aggregate::Topsis => state[node],
            Aggregate::Geometric | Aggregate::Harmonic => sum,
        };
        if whole.is_finite() && whole.abs() > 1e-9 * size {
            weighted.iter().map(|x| x / whole).collect()
        } else {
            a
        }
    }

    /// The nodes from `node` up to the composite, `node` first.
    pub fn path(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(node), |&n| self.nodes[n].parent)
    }

    /// The dimension a node belongs to (itself for a dimension).
    pub fn dimension_of(&self, node: usize) -> Option<usize> {
        self.path(node)
            .find(|&n| matches!(self.nodes[n].kind, Kind::Dimension(_)))
    }
}

/// What one state says about levels: each node's effective global weight
/// and its contribution to the composite in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    /// Each node's share of the composite: the product of the renormalised
    /// weights on its path (0 for a node that does not count).
    pub weight: Vec<f64>,
    /// Each node's part of the composite, in composite points (NaN for a
    /// node that does not count); the children of a node sum to it.
    pub contribution: Vec<f64>,
}

/// Effective weights and contributions, top-down: an arithmetic node's
/// points are a·s of each child, in the node's points (so a child's
/// contribution is its effective weight × its score while every node above
/// is arithmetic); a geometric or harmonic node's points are shared in
/// proportion to its children's a·s (see [`Tree::shares`]).
pub fn levels(tree: &Tree, state: &State) -> Levels {
    let n = tree.nodes.len();
    let mut weight = vec![0.0; n];
    let mut contribution = vec![f64::NAN; n];
    if state[0].is_nan() {
        return Levels {
            weight,
            contribution,
        };
    }
    // Composite points per point of each node's score: the effective
    // weight while every node above is arithmetic.
    let mut points = vec![0.0; n];
    weight[0] = 1.0;
    points[0] = 1.0;
    contribution[0] = state[0];
    for at in 0..n {
        let node = &tree.nodes[at];
        if node.children.is_empty() || contribution[at].is_nan() {
            continue;
        }
        let a = tree.renormalised(state, at);
        let arithmetic = matches!(node.aggregate, Aggregate::Arithmetic | Aggregate::Topsis);
        let shares = (!arithmetic).then(|| tree.shares(state, at));
        for (k, &c) in node.children.iter().enumerate() {
            if a[k] <= 0.0 {
                continue;
            }
            weight[c] = weight[at] * a[k];
            match &shares {
                // Points × weight × score: Σ is the node's points.
                None => {
                    points[c] = points[at] * a[k];
                    contribution[c] = points[c] * state[c];
                }
                Some(shares) => {
                    contribution[c] = contribution[at] * shares[k];
                    points[c] = contribution[c] / state[c];
                }
            }
        }
    }
    Levels {
        weight,
        contribution,
    }
}

/// The obstacle degree (障碍度) of each indicator, in percent:
/// Oⱼ = wⱼ·(100 − sⱼ) / Σₖ wₖ·(100 − sₖ) over the indicators that count,
/// with w the effective global weights. `None` for every indicator when the
/// sum is not above zero (every score 100: nothing holds the unit back), and
/// for an indicator that does not count.
pub fn obstacles(tree: &Tree, state: &State, weight: &[f64]) -> Vec<Option<f64>> {
    let gaps: Vec<Option<f64>> = tree
        .indicators
        .iter()
        .map(|&node| (weight[node] > 0.0).then(|| weight[node] * (100.0 - state[node])))
        .collect();
    shares_of_gap(&gaps)
}

/// Each gap as a percentage of their sum; all `None` when the sum is not
/// above zero.
pub fn shares_of_gap(gaps: &[Option<f64>]) -> Vec<Option<f64>> {
    let sum: f64 = gaps.iter().flatten().sum();
    if sum.is_nan() || sum <= 0.0 {
        return vec![None; gaps.len()];
    }
    gaps.iter().map(|g| g.map(|g| 100.0 * g / sum)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::tests::close;

    const TREE: &str = r#"
[index]
name = "T"
[method]
normalize = "none"
[[dimension]]
id = "a"
[[dimension.group]]
id = "g"
[[dimension.group.indicator]]
id = "x"
[[dimension.group.indicator]]
id = "y"
weight = 3
[[dimension]]
id = "b"
weight = 3
[[dimension.indicator]]
id = "z"
"#;

    fn definition() -> Definition {
        Definition::from_toml(TREE, "t.toml").unwrap()
    }

    #[test]
    fn nodes_run_depth_first_with_parents_before_children() {
        let tree = Tree::of(&definition());
        let ids: Vec<&str> = tree.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["composite", "a", "g", "x", "y", "b", "z"]);
        assert_eq!(tree.indicators, [3, 4, 6]);
        assert_eq!(tree.nodes[4].parent, Some(2));
        assert_eq!(tree.nodes[4].depth, 3);
        assert_eq!(tree.nodes[0].children, [1, 5]);
        assert_eq!(tree.dimension_of(4), Some(1));
    }

    /// x 40, y 80 → g = 70, a = 70; z 50 → b = 50; composite ¼·70 + ¾·50 = 55.
    /// Effective weights: x ¼·¼ = 1/16, y 3/16, z ¾; contributions 2.5, 15, 37.5.
    #[test]
    fn levels_by_hand() {
        let tree = Tree::of(&definition());
        let state = tree.aggregate_up(&[40.0, 80.0, 50.0]).unwrap();
        assert_eq!(state, [55.0, 70.0, 70.0, 40.0, 80.0, 50.0, 50.0]);
        let levels = levels(&tree, &state);
        assert_eq!(levels.weight[3], 1.0 / 16.0);
        assert_eq!(levels.weight[6], 0.75);
        assert_eq!(levels.contribution[3], 2.5);
        assert_eq!(levels.contribution[4], 15.0);
        assert_eq!(levels.contribution[1], 17.5);
        assert_eq!(levels.contribution[6], 37.5);
        // Gaps: x 1/16·60 = 3.75, y 3/16·20 = 3.75, z ¾·50 = 37.5; sum 45.
        let o = obstacles(&tree, &state, &levels.weight);
        close(o[0].unwrap(), 100.0 * 3.75 / 45.0);
        close(o[2].unwrap(), 100.0 * 37.5 / 45.0);
    }

    /// A missing y leaves x all of g: effective weight ¼, contribution 10.
    #[test]
    fn absent_children_are_renormalised_away() {
        let tree = Tree::of(&definition());
        let state = tree.aggregate_up(&[40.0, f64::NAN, 50.0]).unwrap();
        let levels = levels(&tree, &state);
        assert_eq!(levels.weight[3], 0.25);
        assert_eq!(levels.weight[4], 0.0);
        assert!(levels.contribution[4].is_nan());
        assert_eq!(levels.contribution[3], 10.0);
    }

    /// Geometric g: g = 40^¼·80^¾; its points shared as 40·¼ : 80·¾ = 1 : 6.
    #[test]
    fn a_geometric_node_shares_its_points_by_weighted_score() {
        let text = TREE.replace("id = \"g\"\n", "id = \"g\"\naggregate = \"geometric\"\n");
        let definition = Definition::from_toml(&text, "t.toml").unwrap();
        let tree = Tree::of(&definition);
        let state = tree.aggregate_up(&[40.0, 80.0, 50.0]).unwrap();
        let g = 40f64.powf(0.25) * 80f64.powf(0.75);
        close(state[2], g);
        let levels = levels(&tree, &state);
        close(levels.contribution[2], 0.25 * g);
        close(levels.contribution[3], 0.25 * g / 7.0);
        close(levels.contribution[4], 0.25 * g * 6.0 / 7.0);
    }

    #[test]
    fn no_gap_means_no_obstacle_degrees() {
        assert_eq!(shares_of_gap(&[Some(0.0), Some(0.0)]), [None, None]);
        assert_eq!(shares_of_gap(&[Some(1.0), None]), [Some(100.0), None]);
    }
}
