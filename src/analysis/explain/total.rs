//! The overall figure (the city total): the mean, or population-weighted
//! mean, of the unit composites, T = Σᵤ πᵤ·Cᵤ with πᵤ the units' shares
//! (1/n, or population / total population, over the units with a
//! composite). Its change splits exactly as
//!
//! ΔT = Σ_both πₜ·ΔCᵤ + Σ_both (πₜ − πₚ)·Cᵤ,ₚ + Σ_entering πₜ·Cᵤ,ₜ − Σ_leaving πₚ·Cᵤ,ₚ
//!
//! and every term shares among the nodes: a unit's own change ΔCᵤ as its
//! change is shared ([`super::change`]), and the composition terms —
//! population shares that shifted, units entering or leaving — by the
//! unit's contributions of that period ([`super::tree::levels`]).

use super::tree::{Tree, levels};
use super::{Explanation, Line, relative_note, set_obstacles, unit_change};
use crate::definition::{Definition, Total};
use crate::error::Error;
use crate::pipeline::Scores;
use crate::report::Changes;
use crate::sum::Sum;

/// Per node sums over the units.
struct Sums(Vec<Sum>);

impl Sums {
    fn new(n: usize) -> Sums {
        Sums(vec![Sum::new(); n])
    }

    /// Adds `factor` × each value (NaN counts as nothing).
    fn add(&mut self, factor: f64, values: &[f64]) {
        for (sum, &x) in self.0.iter_mut().zip(values) {
            if !x.is_nan() {
                sum.add(factor * x);
            }
        }
    }

    fn values(&self) -> Vec<f64> {
        self.0.iter().map(Sum::value).collect()
    }
}

/// One period's units: each row with a composite and its share π.
struct Period {
    rows: Vec<(usize, f64)>,
}

impl Period {
    fn of(scores: &Scores, population: Option<&[f64]>, period: usize) -> Period {
        let range = scores.keys.period_ranges[period].clone();
        let weight = |row: usize| population.map_or(1.0, |p| p[row]);
        let with_composite: Vec<usize> = range
            .filter(|&row| !scores.composite[row].is_nan())
            .collect();
        let people: Sum = with_composite.iter().map(|&r| weight(r)).collect();
        let people = people.value();
        Period {
            rows: with_composite
                .into_iter()
                .map(|row| (row, weight(row) / people))
                .collect(),
        }
    }

    /// The share of `unit`, when it has a composite in this period.
    fn share_of(&self, scores: &Scores, unit: u32) -> Option<(usize, f64)> {
        self.rows
            .binary_search_by_key(&unit, |&(row, _)| scores.keys.rows[row].unit)
            .ok()
            .map(|at| self.rows[at])
    }
}

/// The total of period `period` against period `previous`.
pub fn explain_total(
    definition: &Definition,
    scores: &Scores,
    population: Option<&[f64]>,
    period: usize,
    previous: Option<usize>,
) -> Result<Explanation, Error> {
    let keys = &scores.keys;
    let tree = Tree::of(definition);
    let population = match (definition.method.total, population) {
        (Total::Population, None) => {
            // The mean in its place would be another figure than the total.
            return Err(Error::Request {
                message: "--total: the total is population-weighted, but no population was given"
                    .into(),
                hint:
                    "pass the panel's population (or use `explain`, which takes it from the panel)"
                        .into(),
            });
        }
        (Total::Population, Some(population)) => Some(population),
        _ => None,
    };
    let now = Period::of(scores, population, period);
    if now.rows.is_empty() || scores.totals[period].is_none() {
        return Err(Error::Request {
            message: format!(
                "--total: period {} has no total (no unit has a composite)",
                keys.periods[period]
            ),
            hint: "choose another period with --period".into(),
        });
    }
    let mut notes = Vec::new();
    let mut lines = city_lines(&tree, scores, population, period, &now, &mut notes);
    let mut explanation = Explanation {
        title: definition.title().to_string(),
        decimals: definition.decimals,
        unit: None,
        period: keys.periods[period].clone(),
        previous_period: previous.map(|p| keys.periods[p].clone()),
        changes: Changes::of(definition),
        split: false,
        total_rule: Some(definition.method.total),
        lines: Vec::new(),
        tree,
        notes: Vec::new(),
    };
    if let Some(p) = previous {
        let before = Period::of(scores, population, p);
        let city_before = city_lines(
            &explanation.tree,
            scores,
            population,
            p,
            &before,
            &mut Vec::new(),
        );
        for (line, old) in lines.iter_mut().zip(&city_before) {
            line.previous_score = old.score;
            line.previous_raw = old.raw;
            line.change = line.score.zip(old.score).map(|(a, b)| a - b);
        }
        if scores.totals[p].is_some() {
            let unavailable = change_parts(
                definition,
                &explanation.tree,
                scores,
                (&before, &now),
                &mut lines,
            );
            explanation.split = lines[0].own_change.is_some();
            if lines[0].composition.is_some_and(|c| c != 0.0) {
                notes.push(composition_note(definition.method.total));
            }
            explanation.lines = lines;
            relative_note(&explanation, unavailable, &mut notes);
        } else {
            notes.push(format!(
                "period {} has no total: there is no change to explain",
                keys.periods[p]
            ));
            explanation.lines = lines;
        }
    } else {
        notes.push("this is the first period: there is no change to explain".into());
        explanation.lines = lines;
    }
    explanation.notes = notes;
    Ok(explanation)
}

/// What the composition part is, under each total rule.
fn composition_note(rule: Total) -> String {
    match rule {
        Total::Population => "part of the change comes from the units' population shares shifting (or units entering or leaving): it is shared among the nodes by each unit's contributions (docs/METHODOLOGY.md, \"Explaining a score\")".into(),
        _ => "part of the change comes from units entering or leaving the total: it is shared among the nodes by each unit's contributions (docs/METHODOLOGY.md, \"Explaining a score\")".into(),
    }
}

/// The city's lines for one period: the total and the node figures the
/// pipeline formed, each indicator's figure by the same rule, and the
/// unit-share-weighted effective weights, contributions and gaps.
fn city_lines(
    tree: &Tree,
    scores: &Scores,
    population: Option<&[f64]>,
    period: usize,
    units: &Period,
    notes: &mut Vec<String>,
) -> Vec<Line> {
    let n = tree.nodes.len();
    let (mut weight, mut contribution) = (Sums::new(n), Sums::new(n));
    let mut gaps = vec![Sum::new(); tree.indicators.len()];
    let mut outside = false;
    for &(row, share) in &units.rows {
        let state = tree.state(scores, row);
        let levels = levels(tree, &state);
        weight.add(share, &levels.weight);
        contribution.add(share, &levels.contribution);
        for (i, &node) in tree.indicators.iter().enumerate() {
            if levels.weight[node] > 0.0 {
                gaps[i].add(share * levels.weight[node] * (100.0 - state[node]));
                outside |= !(0.0..=100.0).contains(&state[node]);
            }
        }
    }
    let (weight, contribution) = (weight.values(), contribution.values());
    let range = scores.keys.period_ranges[period].clone();
    let figure = |column: &[f64]| {
        node_figure(
            &column[range.clone()],
            population.map(|p| &p[range.clone()]),
        )
    };
    let mut lines: Vec<Line> = tree
        .nodes
        .iter()
        .enumerate()
        .map(|(at, node)| {
            let score = match node.kind {
                super::Kind::Composite => scores.totals[period],
                super::Kind::Dimension(d) => scores.total_dimensions[period][d],
                super::Kind::Group(g) => scores.total_groups[period][g],
                super::Kind::Indicator(i) => figure(&scores.indicator_scores[i]),
            };
            let raw = match (node.kind, &scores.raw) {
                (super::Kind::Indicator(i), Some(raw)) => figure(&raw[i]),
                _ => None,
            };
            Line {
                raw,
                score,
                global_weight: weight[at],
                contribution: score.map(|_| contribution[at]),
                ..Line::default()
            }
        })
        .collect();
    let gaps: Vec<Option<f64>> = tree
        .indicators
        .iter()
        .zip(&gaps)
        .map(|(&node, gap)| (weight[node] > 0.0).then(|| gap.value()))
        .collect();
    set_obstacles(tree, &mut lines, &super::tree::shares_of_gap(&gaps), notes);
    if outside {
        notes.push("some indicator scores lie outside 0–100: the obstacle degree takes 100 − score as the gap to the best score, so read it with care".into());
    }
    lines
}

/// A column's figure over one period's rows by the total rule: the mean, or
/// population-weighted mean, of the values present.
fn node_figure(values: &[f64], population: Option<&[f64]>) -> Option<f64> {
    let (mut weighted, mut people) = (Sum::new(), Sum::new());
    for (k, &x) in values.iter().enumerate() {
        if !x.is_nan() {
            let p = population.map_or(1.0, |p| p[k]);
            weighted.add(p * x);
            people.add(p);
        }
    }
    (people.value() > 0.0).then(|| weighted.value() / people.value())
}

/// The parts of the total's change, per node: the units' own changes at the
/// new shares, and the composition terms. Returns why the split into own
/// change and others moved could not be made, when changes are relative
/// and it could not.
fn change_parts(
    definition: &Definition,
    tree: &Tree,
    scores: &Scores,
    (before, now): (&Period, &Period),
    lines: &mut [Line],
) -> Option<String> {
    let n = tree.nodes.len();
    let (mut units, mut own, mut others, mut composition) =
        (Sums::new(n), Sums::new(n), Sums::new(n), Sums::new(n));
    let mut unavailable: Option<String> = None;
    let mut split = true;
    for &(row, share) in &now.rows {
        let unit = scores.keys.rows[row].unit;
        match before.share_of(scores, unit) {
            Some((old_row, old_share)) => {
                let change = unit_change(definition, tree, scores, (old_row, row));
                units.add(share, &change.parts);
                match &change.split {
                    Some((o, t)) => {
                        own.add(share, o);
                        others.add(share, t);
                    }
                    None => {
                        split = false;
                        if unavailable.is_none() {
                            unavailable = change.unavailable.map(|why| {
                                format!(
                                    "unit {}: {why}",
                                    crate::error::echo(scores.keys.unit_of(row))
                                )
                            });
                        }
                    }
                }
                let old = levels(tree, &tree.state(scores, old_row)).contribution;
                composition.add(share - old_share, &old);
            }
            None => composition.add(share, &levels(tree, &tree.state(scores, row)).contribution),
        }
    }
    for &(row, share) in &before.rows {
        let unit = scores.keys.rows[row].unit;
        if now.share_of(scores, unit).is_none() {
            composition.add(-share, &levels(tree, &tree.state(scores, row)).contribution);
        }
    }
    let (units, composition) = (units.values(), composition.values());
    let split = (split && Changes::of(definition) == Changes::Relative)
        .then(|| (own.values(), others.values()));
    for (at, line) in lines.iter_mut().enumerate() {
        line.change_contribution = Some(units[at] + composition[at]);
        line.composition = Some(composition[at]);
        if let Some((own, others)) = &split {
            line.own_change = Some(own[at]);
            line.others_moved = Some(others[at]);
        }
    }
    unavailable
}
