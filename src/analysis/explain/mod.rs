//! `kmgov explain`: why a unit (or the city total) scores what it does, what
//! holds it back, and why its score changed since the previous period
//! (docs/METHODOLOGY.md, "Explaining a score").
//!
//! For every node of the tree — the composite, each dimension, group and
//! indicator — an [`Explanation`] gives the score, the effective global
//! weight, the contribution to the composite in points, the obstacle degree
//! (障碍度) of each indicator, and the node's part of the composite's change,
//! such that at every node the children's parts add up to the node's.
//!
//! ```
//! use kmgov::analysis::explain::{self, Request, Target};
//! use kmgov::data::{self, ReadOptions};
//! use kmgov::Definition;
//!
//! let definition = Definition::from_toml(r#"
//!     [index]
//!     name = "Demo"
//!     [method]
//!     normalize = "none"
//!     [[dimension]]
//!     id = "d"
//!     [[dimension.indicator]]
//!     id = "x"
//!     [[dimension.indicator]]
//!     id = "y"
//!     weight = 3
//! "#, "demo.toml")?;
//! let csv = "unit,period,x,y\nA,2018,40,80\nA,2019,60,80\n";
//! let panel = data::read_from(Box::new(csv.as_bytes()), "demo.csv", &definition, ReadOptions::default())?;
//! let request = Request { target: Target::Unit("A".into()), period: None, previous: None };
//! let explanation = explain::explain(&definition, panel, &request)?;
//! // 70 → 75: x moved 20 points at a weight of ¼.
//! assert_eq!(explanation.change(), Some(5.0));
//! let x = explanation.tree.indicators[0];
//! assert_eq!(explanation.lines[x].change_contribution, Some(5.0));
//! # Ok::<(), kmgov::Error>(())
//! ```

pub mod change;
pub mod find;
pub mod relative;
pub mod render;
pub mod total;
pub mod tree;

use crate::data::Panel;
use crate::definition::{Aggregate, Definition, Missing, Total};
use crate::error::{Error, echo};
use crate::pipeline::{self, ScoreOptions, Scores};
use crate::report::Changes;
pub use tree::{Kind, Node, Tree};
use tree::{State, levels, obstacles};

/// What to explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One unit, by name.
    Unit(String),
    /// The city figure (the total of every unit).
    Total,
}

/// What `explain` is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The unit, or the total.
    pub target: Target,
    /// The period; `None` for the latest.
    pub period: Option<String>,
    /// The period to compare with; `None` for the previous one (a unit's
    /// nearest earlier period with a row).
    pub previous: Option<String>,
}

/// One node of the tree, explained. Values that do not exist (an absent
/// score, a change without a previous period) are `None`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// An indicator's raw value (for the total: its city figure by the
    /// total rule).
    pub raw: Option<f64>,
    /// The raw value in the previous period.
    pub previous_raw: Option<f64>,
    /// The score (normalised for an indicator, aggregated above).
    pub score: Option<f64>,
    /// The score in the previous period.
    pub previous_score: Option<f64>,
    /// score − previous score.
    pub change: Option<f64>,
    /// The node's effective share of the composite: the product of the
    /// weights on its path, each renormalised over the siblings present.
    pub global_weight: f64,
    /// The node's part of the composite, in composite points.
    pub contribution: Option<f64>,
    /// The node's part of the composite's change, in composite points.
    pub change_contribution: Option<f64>,
    /// Of that, the part the unit's own values made (relative changes only).
    pub own_change: Option<f64>,
    /// Of that, the part the others' moving made (relative changes only).
    pub others_moved: Option<f64>,
    /// Of that, for the total, the part population shares and units
    /// entering or leaving made.
    pub composition: Option<f64>,
    /// The obstacle degree, in percent; for a dimension or group the sum of
    /// its indicators'.
    pub obstacle: Option<f64>,
    /// 1 for the indicator that holds the unit back most.
    pub obstacle_rank: Option<usize>,
    /// The missing-value rule that filled the cell, if one did.
    pub filled: Option<Missing>,
}

/// Why a unit, or the total, scores what it does and why it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The index's display title.
    pub title: String,
    /// Digits for the table and Markdown.
    pub decimals: usize,
    /// The unit; `None` for the total.
    pub unit: Option<String>,
    /// The period explained.
    pub period: String,
    /// The period compared with, if any.
    pub previous_period: Option<String>,
    /// Whether changes compare levels or relative positions.
    pub changes: Changes,
    /// True when each change is split into own change and others moved.
    pub split: bool,
    /// For the total: the rule that forms it.
    pub total_rule: Option<Total>,
    /// The tree the lines follow.
    pub tree: Tree,
    /// One line per node, in [`Tree::nodes`] order: the composite first.
    pub lines: Vec<Line>,
    /// What was assumed or could not be done, for a person to read.
    pub notes: Vec<String>,
}

impl Explanation {
    /// The composite (or the total).
    pub fn composite(&self) -> Option<f64> {
        self.lines[0].score
    }

    /// The composite's change on the previous period.
    pub fn change(&self) -> Option<f64> {
        self.lines[0].change
    }

    /// The indicators' nodes, the one holding the unit back most first;
    /// those without an obstacle degree are left out.
    pub fn ranked_obstacles(&self) -> Vec<usize> {
        let mut ranked: Vec<usize> = self
            .tree
            .indicators
            .iter()
            .copied()
            .filter(|&n| self.lines[n].obstacle_rank.is_some())
            .collect();
        ranked.sort_by_key(|&n| self.lines[n].obstacle_rank);
        ranked
    }
}

/// Scores `panel` with `definition` (keeping the raw values) and explains
/// what `request` asks. Derived weights must already be in the definition
/// ([`crate::weights::derive::resolve`]), as for [`pipeline::score`].
pub fn explain(
    definition: &Definition,
    panel: Panel,
    request: &Request,
) -> Result<Explanation, Error> {
    refuse_topsis(definition)?;
    if request.target == Target::Total && definition.method.total == Total::None {
        return Err(Error::Request {
            message: "--total: the definition sets total = \"none\", so there is no overall figure to explain".into(),
            hint: "set [method] total = \"mean\" or \"population\", or explain one unit: `kmgov explain UNIT DATA`".into(),
        });
    }
    let population = match definition.method.total {
        Total::Population => panel.population.clone(),
        _ => None,
    };
    let scores = pipeline::score_with(definition, panel, ScoreOptions { keep_raw: true })?;
    explain_scores(definition, &scores, population.as_deref(), request)
}

/// [`explain`] on scores already computed; `scores.raw` should be kept
/// (raw values are `None` otherwise) and `population` is the panel's
/// population when the total is population-weighted.
pub fn explain_scores(
    definition: &Definition,
    scores: &Scores,
    population: Option<&[f64]>,
    request: &Request,
) -> Result<Explanation, Error> {
    refuse_topsis(definition)?;
    let keys = &scores.keys;
    let period = find::period(keys, request.period.as_deref(), "--period")?;
    let previous = match &request.previous {
        Some(wanted) => Some(earlier_period(keys, period, wanted)?),
        None => None,
    };
    match &request.target {
        Target::Unit(name) => {
            let unit = find::unit(keys, name)?;
            explain_unit(definition, scores, unit, period, previous)
        }
        Target::Total => {
            let previous = previous.or(period.checked_sub(1));
            total::explain_total(definition, scores, population, period, previous)
        }
    }
}

/// TOPSIS scores every node from raw values by distances to the period's
/// best and worst: no node is a sum of its children's parts.
fn refuse_topsis(definition: &Definition) -> Result<(), Error> {
    if definition.method.aggregate == Aggregate::Topsis {
        return Err(Error::Request {
            message: "explain cannot break down a TOPSIS score: aggregate = \"topsis\" scores every node by its distances to the period's best and worst values, not as a sum of its children's parts".into(),
            hint: "`kmgov score --detail indicators --format csv` shows each indicator's own TOPSIS score; for contributions and obstacle degrees, use aggregate = \"arithmetic\", \"geometric\" or \"harmonic\"".into(),
        });
    }
    Ok(())
}

/// The index of `wanted`, which must come before `period`.
fn earlier_period(keys: &crate::data::Keys, period: usize, wanted: &str) -> Result<usize, Error> {
    let previous = find::period(keys, Some(wanted), "--previous")?;
    if previous >= period {
        return Err(Error::Request {
            message: format!(
                "--previous {}: the period to compare with must come before {}",
                echo(wanted),
                keys.periods[period]
            ),
            hint: format!(
                "choose one of: {}",
                if period == 0 {
                    "(none: it is the first period)".to_string()
                } else {
                    keys.periods[..period].join(", ")
                }
            ),
        });
    }
    Ok(previous)
}

/// One unit in one period, against its previous period.
fn explain_unit(
    definition: &Definition,
    scores: &Scores,
    unit: usize,
    period: usize,
    previous: Option<usize>,
) -> Result<Explanation, Error> {
    let keys = &scores.keys;
    let name = &keys.units[unit];
    let Some(row) = find::row(keys, unit, period) else {
        let has: Vec<String> = (0..keys.periods.len())
            .filter(|&p| find::row(keys, unit, p).is_some())
            .map(|p| keys.periods[p].clone())
            .collect();
        return Err(Error::Request {
            message: format!(
                "unit {} has no row in period {}",
                echo(name),
                keys.periods[period]
            ),
            hint: format!(
                "choose one of its periods with --period: {}",
                has.join(", ")
            ),
        });
    };
    let tree = Tree::of(definition);
    let now = tree.state(scores, row);
    if now[0].is_nan() {
        return Err(Error::Request {
            message: format!(
                "unit {} has no composite in period {}: none of its indicators has a value",
                echo(name),
                keys.periods[period]
            ),
            hint: "choose another period with --period, or fill in its values".into(),
        });
    }
    let before_row = match previous {
        Some(p) => Some(find::row(keys, unit, p).ok_or_else(|| Error::Request {
            message: format!(
                "--previous {}: unit {} has no row in that period",
                keys.periods[p],
                echo(name)
            ),
            hint: "choose another period to compare with, or leave out --previous for the unit's nearest earlier one".into(),
        })?),
        None => (0..period).rev().find_map(|p| find::row(keys, unit, p)),
    };
    let mut notes = Vec::new();
    let mut explanation = Explanation {
        title: definition.title().to_string(),
        decimals: definition.decimals,
        unit: Some(name.clone()),
        period: keys.periods[period].clone(),
        previous_period: before_row.map(|r| keys.period_of(r).to_string()),
        changes: Changes::of(definition),
        split: false,
        total_rule: None,
        lines: level_lines(&tree, &now, &mut notes),
        tree,
        notes: Vec::new(),
    };
    fill_raw(&mut explanation, scores, row, before_row);
    match before_row {
        None => notes.push(format!(
            "{} has no earlier period in the data: there is no change to explain",
            echo(name)
        )),
        Some(before) => {
            let before_state = explanation.tree.state(scores, before);
            // Without a composite before, there is no change to share.
            let parts = (!before_state[0].is_nan())
                .then(|| unit_change(definition, &explanation.tree, scores, (before, row)));
            apply_change(&mut explanation, &before_state, &now, parts, &mut notes);
        }
    }
    explanation.notes = notes;
    Ok(explanation)
}

/// A unit's change between two of its rows, shared among the nodes, split
/// into own change and others moved when changes are relative.
pub(crate) struct UnitChange {
    /// Each node's part of the change.
    pub parts: Vec<f64>,
    /// Own change and others moved, when the split could be made.
    pub split: Option<(Vec<f64>, Vec<f64>)>,
    /// Why the split could not be made, when changes are relative.
    pub unavailable: Option<String>,
}

/// The change of the unit from row `before` to row `now`; both must have a
/// composite.
pub(crate) fn unit_change(
    definition: &Definition,
    tree: &Tree,
    scores: &Scores,
    (before, now): (usize, usize),
) -> UnitChange {
    let (from, to) = (tree.state(scores, before), tree.state(scores, now));
    if Changes::of(definition) == Changes::Level {
        return UnitChange {
            parts: change::decompose(tree, &from, &to),
            split: None,
            unavailable: None,
        };
    }
    let period = scores.keys.rows[before].period as usize;
    let reference = scores.keys.period_ranges[period].clone();
    match relative::counterfactual(definition, tree, scores, now, reference) {
        Ok(middle) if !middle[0].is_nan() => {
            let own = change::decompose(tree, &from, &middle);
            let others = change::decompose(tree, &middle, &to);
            UnitChange {
                parts: own.iter().zip(&others).map(|(a, b)| a + b).collect(),
                split: Some((own, others)),
                unavailable: None,
            }
        }
        Ok(_) => UnitChange {
            parts: change::decompose(tree, &from, &to),
            split: None,
            unavailable: Some("no indicator could be scored against the previous period".into()),
        },
        Err(reason) => UnitChange {
            parts: change::decompose(tree, &from, &to),
            split: None,
            unavailable: Some(reason),
        },
    }
}

/// The lines of one state: scores, effective weights, contributions and
/// obstacle degrees, with notes on obstacle degrees that mean little.
fn level_lines(tree: &Tree, state: &State, notes: &mut Vec<String>) -> Vec<Line> {
    let levels = levels(tree, state);
    let present = |x: f64| (!x.is_nan()).then_some(x);
    let mut lines: Vec<Line> = (0..tree.nodes.len())
        .map(|n| Line {
            score: present(state[n]),
            global_weight: levels.weight[n],
            contribution: present(levels.contribution[n]),
            ..Line::default()
        })
        .collect();
    set_obstacles(
        tree,
        &mut lines,
        &obstacles(tree, state, &levels.weight),
        notes,
    );
    let outside = tree
        .indicators
        .iter()
        .any(|&n| levels.weight[n] > 0.0 && !(0.0..=100.0).contains(&state[n]));
    if outside {
        notes.push("some indicator scores lie outside 0–100 (z-scores, normalize = \"none\", or values beyond the base period's range): the obstacle degree takes 100 − score as the gap to the best score, so read it with care".into());
    }
    lines
}

/// Puts obstacle degrees on the indicators, their sums on the nodes above,
/// and the ranks (1 the largest; ties by tree order).
pub(crate) fn set_obstacles(
    tree: &Tree,
    lines: &mut [Line],
    obstacles: &[Option<f64>],
    notes: &mut Vec<String>,
) {
    for (i, &node) in tree.indicators.iter().enumerate() {
        lines[node].obstacle = obstacles[i];
        if let Some(o) = obstacles[i] {
            for up in tree.path(node).skip(1) {
                *lines[up].obstacle.get_or_insert(0.0) += o;
            }
        }
    }
    let mut ranked: Vec<usize> = tree
        .indicators
        .iter()
        .copied()
        .filter(|&n| lines[n].obstacle.is_some())
        .collect();
    if ranked.is_empty() {
        notes.push("the gaps to 100 sum to nothing (every score counted is 100, or more): nothing holds it back, and the obstacle degrees are left empty".into());
        return;
    }
    let degrees: Vec<f64> = lines.iter().map(|l| l.obstacle.unwrap_or(0.0)).collect();
    let obstacle = |n: usize| degrees[n];
    // Stable: ties keep tree order, and share the lowest rank (1, 2, 2, 4).
    ranked.sort_by(|&a, &b| obstacle(b).total_cmp(&obstacle(a)));
    let mut rank = 0;
    for (position, &node) in ranked.iter().enumerate() {
        if position == 0 || obstacle(ranked[position - 1]) != obstacle(node) {
            rank = position + 1;
        }
        lines[node].obstacle_rank = Some(rank);
    }
}

/// Raw values of the two rows, and the cells the missing-value rule filled.
fn fill_raw(explanation: &mut Explanation, scores: &Scores, row: usize, before: Option<usize>) {
    let present = |x: f64| (!x.is_nan()).then_some(x);
    for (i, &node) in explanation.tree.indicators.iter().enumerate() {
        let line = &mut explanation.lines[node];
        if let Some(raw) = &scores.raw {
            line.raw = present(raw[i][row]);
            line.previous_raw = before.and_then(|b| present(raw[i][b]));
        }
    }
    for filled in scores.filled.iter().filter(|f| f.row == row) {
        let node = explanation.tree.indicators[filled.indicator];
        explanation.lines[node].filled = Some(filled.rule);
    }
}

/// Previous scores, changes and the parts of the change, with the notes the
/// change needs.
fn apply_change(
    explanation: &mut Explanation,
    before: &State,
    now: &State,
    change: Option<UnitChange>,
    notes: &mut Vec<String>,
) {
    let present = |x: f64| (!x.is_nan()).then_some(x);
    let tree = &explanation.tree;
    for (n, line) in explanation.lines.iter_mut().enumerate() {
        line.previous_score = present(before[n]);
        line.change = line.score.zip(line.previous_score).map(|(a, b)| a - b);
    }
    let previous = explanation.previous_period.clone().unwrap_or_default();
    let Some(change) = change else {
        notes.push(format!(
            "no composite in {previous} (none of its indicators has a value): there is no change to explain"
        ));
        return;
    };
    if presence_differs(tree, before, now) {
        notes.push(format!(
            "the indicators present differ between {previous} and {}: a part of the change comes from renormalising the weights over those present (docs/METHODOLOGY.md, \"Explaining a score\")",
            explanation.period
        ));
    }
    let UnitChange {
        parts,
        split,
        unavailable,
    } = change;
    for (n, line) in explanation.lines.iter_mut().enumerate() {
        line.change_contribution = Some(parts[n]);
        if let Some((own, others)) = &split {
            line.own_change = Some(own[n]);
            line.others_moved = Some(others[n]);
        }
    }
    explanation.split = split.is_some();
    relative_note(explanation, unavailable, notes);
}

/// The note on what a relative change means, and whether it was split.
pub(crate) fn relative_note(
    explanation: &Explanation,
    unavailable: Option<String>,
    notes: &mut Vec<String>,
) {
    if explanation.changes != Changes::Relative {
        return;
    }
    let previous = explanation.previous_period.as_deref().unwrap_or_default();
    if explanation.split {
        notes.push(format!(
            "changes compare relative positions (each period is normalised on its own units): each part is split into own change (the new values scored against {previous}'s statistics) and others moved (the shift of those statistics)"
        ));
    } else {
        notes.push(format!(
            "changes compare relative positions (each period is normalised on its own units), and the split into own change and others moved could not be made ({}): the decomposition is relative — a part can move although the unit's own value did not",
            unavailable.unwrap_or_default()
        ));
    }
}

/// True when some node counts in one state and not in the other.
fn presence_differs(tree: &Tree, a: &State, b: &State) -> bool {
    (1..tree.nodes.len()).any(|n| tree.counts(a, n) != tree.counts(b, n))
}

#[cfg(test)]
mod tests;
