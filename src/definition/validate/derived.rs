//! The settings of derived weights: `[method] weights`, `weights_period`,
//! `entropy_shift`, the `[ahp]` matrices (present where needed, named after
//! nodes that exist, of the right size) and `[combined]`. The judgements'
//! numbers are read where the weights are derived.

use toml::Spanned;

use super::Validator;
use crate::definition::raw::{RawAhp, RawCombined, RawJudgement, RawMatrix, RawMethod};
use crate::definition::{
    Aggregate, AhpMethod, AhpSettings, Children, CombinedSettings, Dimension, Group, Judgement,
    Judgements, Method, ObjectiveMethod, Parent, RiName, Subjective, WeightMethod,
};
use crate::error::Location;

/// The largest `entropy_shift`: published work uses 0.0001 to 0.01; beyond
/// 1 the shift outweighs the data it is added to.
const MAX_ENTROPY_SHIFT: f64 = 1.0;

impl Validator<'_> {
    /// `weights`, `weights_period` and `entropy_shift` of `[method]`.
    pub(super) fn weight_settings(
        &mut self,
        raw: &RawMethod,
        combined: Option<&Spanned<RawCombined>>,
    ) -> (WeightMethod, Option<String>, f64) {
        let weights = raw.weights.unwrap_or(WeightMethod::Manual);
        let period = raw.weights_period.as_ref().map(|spanned| {
            let period = spanned.get_ref().text();
            if !weights.reads_data() {
                let at = self.at(spanned);
                self.invalid(
                    at,
                    "[method] weights_period".into(),
                    format!("is set but weights = \"{weights}\" reads no data"),
                    "remove weights_period, or derive the weights from the data (entropy, critic, cv, pca or combined)",
                );
            } else if period.is_empty() {
                let at = self.at(spanned);
                self.invalid(
                    at,
                    "[method] weights_period".into(),
                    "is empty".into(),
                    "name a period of the data, such as weights_period = \"2019\", or remove it to pool every period",
                );
            }
            period
        });
        let entropy_in_use = weights == WeightMethod::Entropy
            || (weights == WeightMethod::Combined
                && combined
                    .and_then(|c| c.get_ref().objective)
                    .is_some_and(|o| o == ObjectiveMethod::Entropy));
        let shift = match &raw.entropy_shift {
            None => 0.0,
            Some(spanned) => {
                let shift = *spanned.get_ref();
                let at = self.at(spanned);
                if !(0.0..=MAX_ENTROPY_SHIFT).contains(&shift) {
                    self.invalid(
                        at,
                        "[method] entropy_shift".into(),
                        format!("{shift} is not a number from 0 to 1"),
                        "published work adds 0.0001 to 0.01 after min-max; 0 adds nothing",
                    );
                    0.0
                } else if !entropy_in_use {
                    self.invalid(
                        at,
                        "[method] entropy_shift".into(),
                        format!("is set but weights = \"{weights}\" derives no entropy weights"),
                        "remove entropy_shift, or use weights = \"entropy\" (or combined with objective = \"entropy\")",
                    );
                    0.0
                } else {
                    shift
                }
            }
        };
        (weights, period, shift)
    }

    /// No node may set `aggregate = "topsis"`: TOPSIS scores every node from
    /// the raw values at once, so it is a `[method]` setting; and it compares
    /// the units of a period or of every period, not against a base period.
    pub(super) fn topsis_settings(
        &mut self,
        method: &Method,
        dimensions: &[Dimension],
        groups: &[Group],
    ) {
        if method.aggregate == Aggregate::Topsis && method.scope == crate::definition::Scope::Base {
            self.invalid(
                Location::file(self.origin),
                "[method] aggregate".into(),
                "is \"topsis\", which cannot take scope = \"base\"".into(),
                "use scope = \"period\" (each period's units) or \"pooled\" (every period at once) with TOPSIS",
            );
        }
        let nodes = dimensions
            .iter()
            .map(|d| ("dimension", &d.id, d.aggregate, None))
            .chain(groups.iter().map(|g| ("group", &g.id, g.aggregate, g.line)));
        for (noun, id, aggregate, line) in nodes {
            if aggregate == Some(Aggregate::Topsis) {
                let at = line.map_or_else(
                    || Location::file(self.origin),
                    |line| Location::line(self.origin, line),
                );
                self.invalid(
                    at,
                    format!("{noun} `{id}`"),
                    "sets aggregate = \"topsis\", which scores the whole index at once".into(),
                    "set aggregate = \"topsis\" under [method]; a dimension or group may set arithmetic, geometric or harmonic",
                );
            }
        }
    }

    /// `[combined]`, required by `weights = "combined"`.
    pub(super) fn combined(
        &mut self,
        raw: Option<&Spanned<RawCombined>>,
        method: &Method,
    ) -> Option<CombinedSettings> {
        let Some(spanned) = raw else {
            if method.weights == WeightMethod::Combined {
                self.invalid(
                    Location::file(self.origin),
                    "[method] weights".into(),
                    "is \"combined\" but there is no [combined] table".into(),
                    "add [combined] with subjective = \"ahp\" (or \"manual\"), objective = \"entropy\" (or critic, cv, pca) and alpha = 0.5",
                );
            }
            return None;
        };
        let at = self.at(spanned);
        let raw = spanned.get_ref();
        let (Some(subjective), Some(objective)) = (raw.subjective, raw.objective) else {
            self.invalid(
                at,
                "[combined]".into(),
                "needs both subjective and objective".into(),
                "write subjective = \"ahp\" (or \"manual\") and objective = \"entropy\" (or critic, cv, pca)",
            );
            return None;
        };
        let alpha = match &raw.alpha {
            None => 0.5,
            Some(alpha) if (0.0..=1.0).contains(alpha.get_ref()) => *alpha.get_ref(),
            Some(alpha) => {
                let at = self.at(alpha);
                self.invalid(
                    at,
                    "[combined] alpha".into(),
                    format!("{} is not a number from 0 to 1", alpha.get_ref()),
                    "alpha is the subjective weights' share: 0.5 mixes them half and half",
                );
                0.5
            }
        };
        Some(CombinedSettings {
            subjective,
            objective,
            alpha,
        })
    }

    /// `[ahp]`: its settings and matrices, each named after a node that
    /// holds children of its kind and sized to them; every node with more
    /// than one child has one when AHP gives the weights.
    pub(super) fn ahp(
        &mut self,
        raw: Option<Spanned<RawAhp>>,
        method: &Method,
        combined: Option<&CombinedSettings>,
        dimensions: &[Dimension],
        groups: &[Group],
    ) -> Option<AhpSettings> {
        let needed = method.weights == WeightMethod::Ahp
            || (method.weights == WeightMethod::Combined
                && combined.is_some_and(|c| c.subjective == Subjective::Ahp));
        let Some(spanned) = raw else {
            if needed {
                self.invalid(
                    Location::file(self.origin),
                    "[method] weights".into(),
                    "asks for AHP weights but there is no [ahp] table".into(),
                    "add [ahp] with dimensions = [[1, 3], [\"1/3\", 1]] (one row per dimension) and [ahp.indicators] with one matrix per dimension",
                );
            }
            return None;
        };
        let at = self.at(&spanned);
        let raw = spanned.into_inner();
        let tree = Tree { dimensions, groups };
        let dimensions_matrix = raw
            .dimensions
            .map(|m| self.judgements(m, "[ahp] dimensions".into()));
        if let Some(matrix) = &dimensions_matrix {
            self.matrix_size(matrix, dimensions.len(), "dimensions of the index");
        }
        let mut nodes = Vec::new();
        for (table, matrices, holds_indicators) in [
            ("[ahp.indicators]", raw.indicators, true),
            ("[ahp.groups]", raw.groups, false),
        ] {
            for (id, matrix) in matrices {
                let name = format!("{table} {}", id.get_ref());
                let matrix = self.judgements(matrix, name);
                if let Some(node) = self.ahp_node(&id, &tree, table, holds_indicators) {
                    let (count, what) = tree.children(node);
                    self.matrix_size(&matrix, count, &what);
                    nodes.push((node, matrix));
                }
            }
        }
        let settings = AhpSettings {
            method: raw.method.unwrap_or(AhpMethod::Eigen),
            ri: raw.ri.unwrap_or(RiName::Saaty),
            allow_inconsistent: raw.allow_inconsistent.unwrap_or(false),
            dimensions: dimensions_matrix,
            nodes,
        };
        if needed {
            self.ahp_complete(&settings, &tree, &at);
        }
        Some(settings)
    }

    /// A matrix's cells, each with its place.
    fn judgements(&mut self, raw: RawMatrix, name: String) -> Judgements {
        let at = self.at(&raw);
        let rows = raw
            .into_inner()
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|cell| Judgement {
                        at: self.at(&cell),
                        text: match cell.into_inner() {
                            RawJudgement::Text(text) => text,
                            RawJudgement::Number(x) => x.to_string(),
                        },
                    })
                    .collect()
            })
            .collect();
        Judgements { name, rows, at }
    }

    /// A matrix must have a row and a column per child.
    fn matrix_size(&mut self, matrix: &Judgements, children: usize, what: &str) {
        let rows = matrix.rows.len();
        let ragged = matrix.rows.iter().position(|row| row.len() != children);
        if rows == children && ragged.is_none() {
            return;
        }
        let message = if rows != children {
            format!("has {rows} rows for the {children} {what}")
        } else {
            let row = ragged.unwrap_or(0);
            format!(
                "row {} has {} judgements for the {children} {what}",
                row + 1,
                matrix.rows[row].len()
            )
        };
        self.invalid(
            matrix.at.clone(),
            matrix.name.clone(),
            message,
            "write one row per child in definition order, each with one judgement per child (1 on the diagonal)",
        );
    }

    /// The node an `[ahp.indicators]` or `[ahp.groups]` key names.
    fn ahp_node(
        &mut self,
        id: &Spanned<String>,
        tree: &Tree,
        table: &str,
        holds_indicators: bool,
    ) -> Option<Parent> {
        let at = self.at(id);
        let node = tree.find(id.get_ref());
        let fitting = |node: Parent| {
            matches!(
                (tree.children_of(node), holds_indicators),
                (Children::Indicators(_), true) | (Children::Groups(_), false)
            )
        };
        match node {
            Some(node) if fitting(node) => Some(node),
            Some(_) => {
                let (right, other) = if holds_indicators {
                    ("[ahp.groups]", "groups")
                } else {
                    ("[ahp.indicators]", "indicators")
                };
                self.invalid(
                    at,
                    format!("{table} {}", id.get_ref()),
                    format!("`{}` holds {other}", id.get_ref()),
                    &format!("move the matrix to {right}"),
                );
                None
            }
            None => {
                let known = tree.ids(holds_indicators);
                self.invalid(
                    at,
                    format!("{table} {}", id.get_ref()),
                    format!("no dimension or group has the id `{}`", id.get_ref()),
                    &format!(
                        "name a dimension or group that holds {}: {}",
                        if holds_indicators {
                            "indicators"
                        } else {
                            "groups"
                        },
                        crate::error::list_some(&known, 10)
                    ),
                );
                None
            }
        }
    }

    /// Under AHP, every set of two or more siblings needs its matrix.
    fn ahp_complete(&mut self, settings: &AhpSettings, tree: &Tree, at: &Location) {
        if tree.dimensions.len() > 1 && settings.dimensions.is_none() {
            self.invalid(
                at.clone(),
                "[ahp]".into(),
                format!(
                    "has no dimensions matrix for the {} dimensions",
                    tree.dimensions.len()
                ),
                "add dimensions = [[1, 3], [\"1/3\", 1]]: one row per dimension, in definition order",
            );
        }
        for node in tree.nodes() {
            let (count, what) = tree.children(node);
            if count > 1 && settings.matrix_of(node).is_none() {
                let (table, id) = (
                    match tree.children_of(node) {
                        Children::Indicators(_) => "[ahp.indicators]",
                        Children::Groups(_) => "[ahp.groups]",
                    },
                    tree.id(node),
                );
                self.invalid(
                    at.clone(),
                    format!("{table} {id}"),
                    format!("is missing: AHP needs a judgement matrix for the {count} {what}"),
                    &format!("add {id} = [[1, …], …] under {table}, one row per child in definition order"),
                );
            }
        }
    }
}

/// The tree as validated so far.
struct Tree<'t> {
    dimensions: &'t [Dimension],
    groups: &'t [Group],
}

impl Tree<'_> {
    fn nodes(&self) -> impl Iterator<Item = Parent> {
        (0..self.dimensions.len())
            .map(Parent::Dimension)
            .chain((0..self.groups.len()).map(Parent::Group))
    }

    fn id(&self, node: Parent) -> &str {
        match node {
            Parent::Dimension(d) => &self.dimensions[d].id,
            Parent::Group(g) => &self.groups[g].id,
        }
    }

    fn children_of(&self, node: Parent) -> &Children {
        match node {
            Parent::Dimension(d) => &self.dimensions[d].children,
            Parent::Group(g) => &self.groups[g].children,
        }
    }

    /// How many children a node has, and what they are, for messages.
    fn children(&self, node: Parent) -> (usize, String) {
        let noun = match node {
            Parent::Dimension(_) => "dimension",
            Parent::Group(_) => "group",
        };
        match self.children_of(node) {
            Children::Indicators(range) => (
                range.len(),
                format!("indicators of {noun} `{}`", self.id(node)),
            ),
            Children::Groups(list) => (list.len(), format!("groups of {noun} `{}`", self.id(node))),
        }
    }

    fn find(&self, id: &str) -> Option<Parent> {
        self.nodes().find(|&node| self.id(node) == id.trim())
    }

    /// The ids of the nodes that hold indicators (or groups).
    fn ids(&self, indicators: bool) -> Vec<String> {
        self.nodes()
            .filter(|&n| matches!(self.children_of(n), Children::Indicators(_)) == indicators)
            .map(|n| self.id(n).to_string())
            .collect()
    }
}
