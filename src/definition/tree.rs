//! The indicator system as a tree: dimensions (一级指标) hold either
//! indicators or groups (二级、三级指标 …), and a group holds either
//! indicators or groups, to any depth. Weights are shares among siblings; a
//! node's global weight is the product of the shares on its path.
//!
//! Indicators stay in one list in tree order (depth first), so every node's
//! indicators are a contiguous range of it: the data columns, the scores and
//! every output keep that one order.

use std::ops::Range;

use super::{Aggregate, Definition};

/// Where a group or an indicator hangs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parent {
    /// Directly under a dimension: its index in [`Definition::dimensions`].
    Dimension(usize),
    /// Under a group: its index in [`Definition::groups`].
    Group(usize),
}

/// What a dimension or a group holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Children {
    /// Indicators: their range in [`Definition::indicators`] order.
    Indicators(Range<usize>),
    /// Groups: their indices in [`Definition::groups`], in definition order.
    Groups(Vec<usize>),
}

/// A node between a dimension and its indicators (a sub-dimension, 二级指标).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Key in output: unique across the whole tree.
    pub id: String,
    /// Display name (the id when none is given).
    pub name: String,
    /// Weight as written, relative among its siblings.
    pub raw_weight: f64,
    /// Weight divided by its siblings' weight sum.
    pub weight: f64,
    /// The aggregator for its children, when it sets its own.
    pub aggregate: Option<Aggregate>,
    /// The node it hangs under.
    pub parent: Parent,
    /// Its dimension's index.
    pub dimension: usize,
    /// 2 directly under a dimension (level 1), 3 below that, and so on.
    pub level: usize,
    /// What it holds.
    pub children: Children,
    /// Every indicator below it, in [`Definition::indicators`] order.
    pub indicators: Range<usize>,
    /// Where the group is written, for messages.
    pub line: Option<u64>,
}

impl Definition {
    /// True when some dimension holds groups rather than indicators.
    pub fn has_groups(&self) -> bool {
        !self.groups.is_empty()
    }

    /// Levels of the tree, indicators included: 2 for dimension → indicator.
    pub fn depth(&self) -> usize {
        self.groups.iter().map(|g| g.level).max().unwrap_or(1) + 1
    }

    /// What a node holds.
    pub fn children(&self, node: Parent) -> &Children {
        match node {
            Parent::Dimension(d) => &self.dimensions[d].children,
            Parent::Group(g) => &self.groups[g].children,
        }
    }

    /// The aggregator that combines a node's children: its own, else `[method]`'s.
    pub fn aggregate_of(&self, node: Parent) -> Aggregate {
        let own = match node {
            Parent::Dimension(d) => self.dimensions[d].aggregate,
            Parent::Group(g) => self.groups[g].aggregate,
        };
        own.unwrap_or(self.method.aggregate)
    }

    /// The parent of every indicator, in [`Definition::indicators`] order.
    pub fn indicator_parents(&self) -> Vec<Parent> {
        let mut parents = Vec::with_capacity(self.indicator_count());
        let mut add = |node: Parent, children: &Children| {
            if let Children::Indicators(range) = children {
                parents.resize(range.end, node);
            }
        };
        // Indicator ranges run in tree order, so visiting nodes in tree
        // order fills the list front to back.
        for (d, dimension) in self.dimensions.iter().enumerate() {
            add(Parent::Dimension(d), &dimension.children);
            for (g, group) in self.groups.iter().enumerate() {
                if group.dimension == d {
                    add(Parent::Group(g), &group.children);
                }
            }
        }
        parents
    }

    /// A node's share of its dimension: the product of the shares on its
    /// path below the dimension (1 for the dimension itself).
    pub fn share_of_dimension(&self, node: Parent) -> f64 {
        match node {
            Parent::Dimension(_) => 1.0,
            Parent::Group(g) => {
                let group = &self.groups[g];
                group.weight * self.share_of_dimension(group.parent)
            }
        }
    }

    /// A node's share of the composite: the product of the shares on its path.
    pub fn global_weight_of(&self, node: Parent) -> f64 {
        let dimension = match node {
            Parent::Dimension(d) => d,
            Parent::Group(g) => self.groups[g].dimension,
        };
        self.dimensions[dimension].weight * self.share_of_dimension(node)
    }

    /// Each indicator's share of the composite (the product of the shares on
    /// its path), in [`Definition::indicators`] order; they sum to 1.
    pub fn global_weights(&self) -> Vec<f64> {
        let node_weights: Vec<f64> = (0..self.groups.len())
            .map(|g| self.global_weight_of(Parent::Group(g)))
            .collect();
        self.indicators()
            .zip(self.indicator_parents())
            .map(|((_, indicator), parent)| {
                indicator.weight
                    * match parent {
                        Parent::Dimension(d) => self.dimensions[d].weight,
                        Parent::Group(g) => node_weights[g],
                    }
            })
            .collect()
    }

    /// The id of a node.
    pub fn node_id(&self, node: Parent) -> &str {
        match node {
            Parent::Dimension(d) => &self.dimensions[d].id,
            Parent::Group(g) => &self.groups[g].id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const THREE_LEVELS: &str = r#"
[index]
name = "T"
[[dimension]]
id = "a"
weight = 3
[[dimension.group]]
id = "g1"
weight = 1
[[dimension.group.indicator]]
id = "x"
[[dimension.group.indicator]]
id = "y"
weight = 3
[[dimension.group]]
id = "g2"
weight = 3
aggregate = "geometric"
[[dimension.group.indicator]]
id = "z"
[[dimension]]
id = "b"
[[dimension.indicator]]
id = "v"
"#;

    fn problems(text: &str) -> Vec<String> {
        match Definition::from_toml(text, "t.toml") {
            Ok(_) => Vec::new(),
            Err(error) => error.problems().iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn the_tree_is_read_with_ranges_parents_and_levels() {
        let def = Definition::from_toml(THREE_LEVELS, "t.toml").unwrap();
        assert_eq!(def.groups.len(), 2);
        assert_eq!(def.dimensions[0].children, Children::Groups(vec![0, 1]));
        assert_eq!(def.dimensions[1].children, Children::Indicators(3..4));
        assert_eq!(def.groups[0].children, Children::Indicators(0..2));
        assert_eq!(def.groups[1].indicators, 2..3);
        assert_eq!(def.groups[1].level, 2);
        assert_eq!(def.groups[1].aggregate, Some(Aggregate::Geometric));
        assert_eq!(def.aggregate_of(Parent::Group(0)), Aggregate::Arithmetic);
        assert_eq!(def.depth(), 3);
        assert_eq!(
            def.indicator_parents(),
            [
                Parent::Group(0),
                Parent::Group(0),
                Parent::Group(1),
                Parent::Dimension(1)
            ]
        );
        // The flat list of indicators keeps the data columns in tree order.
        let ids: Vec<&str> = def.indicators().map(|(_, i)| i.id.as_str()).collect();
        assert_eq!(ids, ["x", "y", "z", "v"]);
        assert_eq!(def.dimension_ranges(), vec![0..3, 3..4]);
    }

    /// a = ¾, g1 = ¼ of a, x = ¼ of g1: 3/64; y = 9/64; z = ¾·¾ = 36/64; v = ¼.
    #[test]
    fn global_weights_multiply_down_the_path_and_sum_to_one() {
        let def = Definition::from_toml(THREE_LEVELS, "t.toml").unwrap();
        let global = def.global_weights();
        assert_eq!(global, [3.0 / 64.0, 9.0 / 64.0, 36.0 / 64.0, 0.25]);
        assert_eq!(def.global_weight_of(Parent::Group(1)), 0.5625);
        assert_eq!(def.share_of_dimension(Parent::Group(0)), 0.25);
        assert!((global.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn a_node_with_indicators_and_groups_is_an_error_naming_it() {
        let text = THREE_LEVELS.replace(
            "[[dimension]]\nid = \"b\"",
            "[[dimension.indicator]]\nid = \"w\"\n[[dimension]]\nid = \"b\"",
        );
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .starts_with("t.toml:5:6: dimension `a`: holds both indicators (1) and groups (2)"),
            "{found:?}"
        );
    }

    #[test]
    fn a_group_without_children_is_an_error() {
        let text = THREE_LEVELS.replace("[[dimension.group.indicator]]\nid = \"z\"\n", "");
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("group `g2`: has no indicator"),
            "{found:?}"
        );
    }

    #[test]
    fn group_ids_are_unique_across_the_tree() {
        // A group named like an indicator, and like a dimension.
        for clash in ["x", "b"] {
            let text = THREE_LEVELS.replace("id = \"g2\"", &format!("id = \"{clash}\""));
            let found = problems(&text);
            assert_eq!(found.len(), 1, "{clash}: {found:?}");
            assert!(found[0].contains("the id is used twice"), "{found:?}");
        }
        // An indicator named like a group that came before it.
        let text = THREE_LEVELS.replace("id = \"v\"", "id = \"g1\"");
        let found = problems(&text);
        assert!(found[0].contains("used twice"), "{found:?}");
        // As before groups existed, a dimension and an indicator may share an id.
        let text = THREE_LEVELS.replace("id = \"v\"", "id = \"b\"");
        assert!(problems(&text).is_empty());
    }

    #[test]
    fn a_group_id_may_not_name_an_output_column() {
        let text = THREE_LEVELS.replace("id = \"g2\"", "id = \"a_rank\"");
        let found = problems(&text);
        assert!(
            found
                .iter()
                .any(|p| p.contains("group `a_rank`: the id `a_rank` is taken")),
            "{found:?}"
        );
    }

    #[test]
    fn group_weights_are_shares_of_their_siblings() {
        let def = Definition::from_toml(THREE_LEVELS, "t.toml").unwrap();
        assert_eq!(def.groups[0].weight, 0.25);
        assert_eq!(def.groups[1].weight, 0.75);
        let text = THREE_LEVELS
            .replace("weight = 1\n", "weight = 0\n")
            .replace("weight = 3\naggregate", "weight = 0\naggregate");
        let found = problems(&text);
        assert!(
            found[0].contains("the group weights of dimension `a`: sum to zero"),
            "{found:?}"
        );
    }

    #[test]
    fn the_tree_has_a_depth_limit() {
        let mut text = String::from("[index]\nname = \"T\"\n[[dimension]]\nid = \"a\"\n");
        let mut table = String::from("dimension");
        for level in 0..crate::limits::MAX_TREE_LEVELS {
            table.push_str(".group");
            text.push_str(&format!("[[{table}]]\nid = \"g{level}\"\n"));
        }
        text.push_str(&format!("[[{table}.indicator]]\nid = \"x\"\n"));
        let found = problems(&text);
        assert!(
            found.iter().any(|p| p.contains("deeper than 16 levels")),
            "{found:?}"
        );
    }
}
