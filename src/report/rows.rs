//! The rows of a report: each unit's place in rank order, its changes and
//! percentages, and the details asked for, built period by period.

use std::ops::Range;
use std::sync::Arc;

use super::{Detail, DimensionDetail, GroupDetail, IndicatorCell, UnitDetail, UnitGrades, UnitRow};
use std::collections::HashMap;

use crate::definition::{Definition, Grade, GradeTarget, Missing, Normalize, Parent, grade_of};
use crate::pipeline::Scores;

/// When a percentage change means something.
#[derive(Debug, Clone, Copy)]
pub(super) struct Percent {
    /// False under z-scores: a percentage of a score centred on 0 is meaningless.
    meaningful: bool,
    /// Previous values at or below this are zero up to rounding noise.
    noise: f64,
}

impl Percent {
    /// Rounding noise relative to the largest composite anywhere: a previous
    /// composite of 2.8e-16 among composites near 1 is a zero that rounding
    /// missed, and dividing by it would print +3.6e17 %.
    /// About 4,500 ulps: far above what summing a few hundred scores can
    /// lose, far below any real composite beside the largest (a unit at 0.5
    /// beside one at 2e9 keeps its percentage).
    const RELATIVE_NOISE: f64 = 1e-12;

    pub(super) fn of(definition: &Definition, scores: &Scores) -> Percent {
        let scale = scores
            .composite
            .iter()
            .filter(|x| x.is_finite())
            .fold(0.0f64, |m, x| m.max(x.abs()));
        Percent {
            meaningful: !definition
                .indicators()
                .any(|(_, i)| i.normalize == Normalize::Zscore),
            noise: Percent::RELATIVE_NOISE * scale,
        }
    }

    /// 100·change / previous; `None` when there is no change, the previous
    /// value is not above zero (or within rounding noise of it), or the
    /// percentage is meaningless for the method.
    pub(super) fn of_change(self, change: Option<f64>, previous: Option<f64>) -> Option<f64> {
        let (change, previous) = change.zip(previous)?;
        (self.meaningful && previous > self.noise).then(|| 100.0 * change / previous)
    }
}

/// What every row of the report is built from.
pub(super) struct RowContext<'a> {
    pub(super) scores: &'a Scores,
    pub(super) names: &'a [Arc<str>],
    /// Each row's previous row (the unit's row in its nearest earlier
    /// period), indexed from the start of the period being built.
    pub(super) before: &'a [Option<usize>],
    pub(super) percent: Percent,
    pub(super) detail: Detail,
    pub(super) weights: &'a Weights,
    /// The definition's grade bands (empty without grades).
    pub(super) grades: &'a [Grade],
    /// The rows' areas and codes as shared text.
    pub(super) labels: &'a super::areas::LabelTexts,
}

/// What an indicator cell's effective weight is computed from: the tree's
/// weights among siblings.
pub(super) struct Weights {
    /// Each indicator's parent.
    parents: Vec<Parent>,
    /// Each indicator's weight among its siblings.
    local: Vec<f64>,
    /// Each group's parent.
    group_parents: Vec<Parent>,
    /// Each group's weight among its siblings.
    group_local: Vec<f64>,
    /// Each dimension's weight.
    dimension: Vec<f64>,
    /// The cells the missing-value rule filled, by (row, indicator).
    filled: HashMap<(usize, usize), Missing>,
}

impl Weights {
    /// Empty unless indicator detail is asked for.
    pub(super) fn of(definition: &Definition, scores: &Scores, wanted: bool) -> Weights {
        if !wanted {
            return Weights {
                parents: Vec::new(),
                local: Vec::new(),
                group_parents: Vec::new(),
                group_local: Vec::new(),
                dimension: Vec::new(),
                filled: HashMap::new(),
            };
        }
        Weights {
            parents: definition.indicator_parents(),
            local: definition.indicators().map(|(_, i)| i.weight).collect(),
            group_parents: definition.groups.iter().map(|g| g.parent).collect(),
            group_local: definition.groups.iter().map(|g| g.weight).collect(),
            dimension: definition.dimensions.iter().map(|d| d.weight).collect(),
            filled: scores
                .filled
                .iter()
                .map(|f| ((f.row, f.indicator), f.rule))
                .collect(),
        }
    }

    /// Each indicator's share of one row's composite: at every level of the
    /// tree, the weights renormalised over the children present, as
    /// aggregation does.
    fn effective(&self, scores: &Scores, row: usize) -> Vec<f64> {
        let present = |i: usize| !scores.indicator_scores[i][row].is_nan() && self.local[i] > 0.0;
        let group_present =
            |g: usize| !scores.group_scores[g][row].is_nan() && self.group_local[g] > 0.0;
        let dimension_present =
            |d: usize| !scores.dimension_scores[d][row].is_nan() && self.dimension[d] > 0.0;
        // The weight of the children present under each dimension and group.
        let mut under_dimension = vec![0.0; self.dimension.len()];
        let mut under_group = vec![0.0; self.group_local.len()];
        let mut add = |parent: Parent, weight: f64| match parent {
            Parent::Dimension(d) => under_dimension[d] += weight,
            Parent::Group(g) => under_group[g] += weight,
        };
        for i in (0..self.local.len()).filter(|&i| present(i)) {
            add(self.parents[i], self.local[i]);
        }
        for g in (0..self.group_local.len()).filter(|&g| group_present(g)) {
            add(self.group_parents[g], self.group_local[g]);
        }
        let dimension_sum: f64 = (0..self.dimension.len())
            .filter(|&d| dimension_present(d))
            .map(|d| self.dimension[d])
            .sum();
        let under = |parent: Parent| match parent {
            Parent::Dimension(d) => under_dimension[d],
            Parent::Group(g) => under_group[g],
        };
        (0..self.local.len())
            .map(|i| {
                if !present(i) {
                    return 0.0;
                }
                let mut weight = self.local[i] / under(self.parents[i]);
                let mut node = self.parents[i];
                loop {
                    match node {
                        Parent::Group(g) if group_present(g) => {
                            weight *= self.group_local[g] / under(self.group_parents[g]);
                            node = self.group_parents[g];
                        }
                        Parent::Dimension(d) if dimension_present(d) => {
                            return weight * self.dimension[d] / dimension_sum;
                        }
                        _ => return 0.0,
                    }
                }
            })
            .collect()
    }
}

/// Each row's place in rank order within one period's rows: ranks run from 1
/// to the number of rows n, so a stable counting sort (n + 1 standing for "no
/// rank") does it in linear time; ranks past n, which the pipeline never
/// gives, take a stable sort.
fn rank_places(ranks: &[Option<u32>]) -> Vec<usize> {
    let n = ranks.len();
    let mut place = vec![0usize; n];
    if ranks
        .iter()
        .all(|rank| rank.is_none_or(|r| r as usize <= n))
    {
        let slot = |rank: &Option<u32>| rank.map_or(n + 1, |r| r as usize);
        let mut next = vec![0usize; n + 3];
        for rank in ranks {
            next[slot(rank) + 1] += 1;
        }
        for i in 1..next.len() {
            next[i] += next[i - 1];
        }
        for (i, rank) in ranks.iter().enumerate() {
            let at = &mut next[slot(rank)];
            place[i] = *at;
            *at += 1;
        }
    } else {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| ranks[i].unwrap_or(u32::MAX));
        for (at, i) in order.into_iter().enumerate() {
            place[i] = at;
        }
    }
    place
}

/// A row's grade for its composite and each dimension.
fn unit_grades(grades: &[Grade], scores: &Scores, row: usize) -> UnitGrades {
    let present = |x: f64| (!x.is_nan()).then_some(x);
    let index = |i: Option<usize>| i.map(|i| i as u16);
    UnitGrades {
        composite: index(grade_of(
            grades,
            &GradeTarget::Composite,
            present(scores.composite[row]),
        )),
        dimensions: scores
            .dimension_scores
            .iter()
            .enumerate()
            .map(|(d, column)| {
                index(grade_of(
                    grades,
                    &GradeTarget::Dimension(d),
                    present(column[row]),
                ))
            })
            .collect(),
    }
}

/// The period's ranks of each node's scores, `ranks[node][row − start]`;
/// empty when not `wanted`.
fn node_ranks(columns: &[Vec<f64>], range: &Range<usize>, wanted: bool) -> Vec<Vec<Option<u32>>> {
    if !wanted {
        return Vec::new();
    }
    columns
        .iter()
        .map(|column| crate::pipeline::rank::competition_ranks(column, range.clone()))
        .collect()
}

/// The ranks of one period's dimensions and groups, as the detail asks.
struct PeriodRanks {
    start: usize,
    dimensions: Vec<Vec<Option<u32>>>,
    groups: Vec<Vec<Option<u32>>>,
}

/// One row's dimension and group ranks and changes and indicator cells, as asked.
fn unit_detail(
    scores: &Scores,
    weights: &Weights,
    ranks: &PeriodRanks,
    row: usize,
    before: Option<usize>,
    detail: Detail,
) -> UnitDetail {
    let present = |x: f64| (!x.is_nan()).then_some(x);
    let change = |column: &[f64]| {
        present(column[row])
            .zip(before.and_then(|r| present(column[r])))
            .map(|(now, then)| now - then)
    };
    let dimensions = ranks
        .dimensions
        .iter()
        .zip(&scores.dimension_scores)
        .map(|(ranks_of, column)| DimensionDetail {
            rank: ranks_of[row - ranks.start],
            change: change(column),
        })
        .collect();
    let groups = ranks
        .groups
        .iter()
        .zip(&scores.group_scores)
        .map(|(ranks_of, column)| GroupDetail {
            score: present(column[row]),
            rank: ranks_of[row - ranks.start],
            change: change(column),
        })
        .collect();
    let indicators = match (&scores.raw, detail.indicators) {
        (Some(raw), true) => raw
            .iter()
            .zip(&scores.indicator_scores)
            .zip(weights.effective(scores, row))
            .enumerate()
            .map(|(i, ((raw, score), weight))| IndicatorCell {
                raw: present(raw[row]),
                score: present(score[row]),
                weight,
                filled: weights.filled.get(&(row, i)).copied(),
            })
            .collect(),
        _ => Vec::new(),
    };
    UnitDetail {
        dimensions,
        indicators,
        groups,
        rank_interval: None,
    }
}

/// The rows of one period as [`UnitRow`]s, in rank order: by rank, then
/// (rows being in unit-name order) by name, unranked rows last.
pub(super) fn period_units(context: &RowContext, range: Range<usize>) -> Vec<UnitRow> {
    let RowContext {
        scores,
        names,
        before,
        percent,
        detail,
        weights,
        grades,
        labels,
    } = *context;
    let present = |x: f64| (!x.is_nan()).then_some(x);
    // Rows are built in row order, reading the score columns sequentially,
    // and each is put in its place: cheaper than building rows and sorting
    // them, or building them in rank order with a random read for every field.
    let start = range.start;
    let n = range.len();
    let place = rank_places(&scores.ranks[range.clone()]);
    let ranks = PeriodRanks {
        start,
        dimensions: node_ranks(&scores.dimension_scores, &range, detail.dimensions),
        groups: node_ranks(&scores.group_scores, &range, detail.groups),
    };

    // The dimension lists are allocated in rank order, so that they lie in
    // memory in the order the report is read and, above all, freed: freeing
    // a million of them in an order unrelated to their addresses misses the
    // cache on each one.
    let width = scores.dimension_scores.len();
    let mut dimension_lists: Vec<Vec<Option<f64>>> =
        (0..n).map(|_| Vec::with_capacity(width)).collect();
    let mut placed: Vec<Option<UnitRow>> = vec![None; n];
    for row in range {
        let at = place[row - start];
        let mut dimensions = std::mem::take(&mut dimension_lists[at]);
        dimensions.extend(scores.dimension_scores.iter().map(|d| present(d[row])));
        let unit = scores.keys.rows[row].unit as usize;
        let composite = present(scores.composite[row]);
        let rank = scores.ranks[row];
        let before = before[row - start];
        let previous = before.and_then(|r| present(scores.composite[r]));
        let change = composite.zip(previous).map(|(now, then)| now - then);
        let detail = detail
            .any()
            .then(|| Box::new(unit_detail(scores, weights, &ranks, row, before, detail)));
        placed[at] = Some(UnitRow {
            rank,
            unit: names[unit].clone(),
            composite,
            dimensions,
            change,
            pct_change: percent.of_change(change, previous),
            rank_change: rank
                .zip(before.and_then(|r| scores.ranks[r]))
                .map(|(now, then)| i64::from(then) - i64::from(now)),
            grades: (!grades.is_empty()).then(|| Box::new(unit_grades(grades, scores, row))),
            detail,
            labels: labels.of_row(&scores.keys, row),
        });
    }
    placed
        .into_iter()
        .map(|row| row.expect("every place is filled once"))
        .collect()
}
