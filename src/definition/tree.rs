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
