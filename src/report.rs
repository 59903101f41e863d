//! Scores → [`Report`]: per period, units in rank order with their change on
//! the unit's nearest earlier period, and the total with its change.

use std::sync::Arc;

use crate::definition::{
    Aggregate, Definition, Direction, Goalposts, Grade, Method, Missing, Normalize, Parent, Scope,
};
use crate::error::Error;
use crate::pipeline::Scores;

pub mod areas;
mod rows;
mod stream;

pub use areas::{AreaTotal, UnitLabels};
use rows::{Percent, RowContext, period_units};
pub use stream::{PeriodStream, Shape};

/// A dimension as shown in output.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionInfo {
    /// Key in CSV and JSON.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Weight, divided by the sum of dimension weights.
    pub weight: f64,
    /// The aggregator for its children, when it sets its own.
    pub aggregate: Option<Aggregate>,
}

/// A group (a node between a dimension and its indicators) as shown in output.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupInfo {
    /// Key in CSV and JSON: unique across the tree.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The id of its dimension.
    pub dimension: String,
    /// The id of the dimension or group it hangs under.
    pub parent: String,
    /// 2 directly under a dimension, 3 below that, and so on.
    pub level: usize,
    /// Weight among its siblings, divided by their sum.
    pub weight: f64,
    /// Its share of the composite: the product of the weights on its path.
    pub global_weight: f64,
    /// The aggregator that combines its children.
    pub aggregate: Aggregate,
}

/// One indicator as shown in output: the definition as used.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorInfo {
    /// The data column.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The id of its dimension.
    pub dimension: String,
    /// The id of the dimension or group it hangs under.
    pub parent: String,
    /// Its share of its dimension: global weight ÷ dimension weight (the
    /// weight among its siblings when it hangs directly under the dimension).
    pub weight: f64,
    /// Its share of the composite: the product of the weights on its path.
    pub global_weight: f64,
    /// Whether higher raw values are better.
    pub direction: Direction,
    /// The normalization in force.
    pub normalize: Normalize,
    /// Fixed goalposts, when given.
    pub goalposts: Option<Goalposts>,
}

/// Whether year-on-year changes compare levels or relative positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changes {
    /// Scores are on a scale fixed across periods (goalposts, none, pooled or
    /// base scope): a change is a change in level.
    Level,
    /// Some indicator is normalised on each period's own data: a unit's score
    /// moves when other units move, so a change compares relative positions.
    Relative,
}

impl Changes {
    /// How a definition's changes read.
    pub fn of(definition: &Definition) -> Changes {
        let per_period = definition.method.scope == Scope::Period;
        // TOPSIS measures each unit against the period's best and worst.
        let topsis = definition.method.aggregate == crate::definition::Aggregate::Topsis;
        if per_period
            && (topsis
                || definition
                    .indicators()
                    .any(|(_, i)| i.normalize.is_data_driven()))
        {
            Changes::Relative
        } else {
            Changes::Level
        }
    }

    /// `relative` or `level`.
    pub fn as_str(self) -> &'static str {
        match self {
            Changes::Level => "level",
            Changes::Relative => "relative",
        }
    }
}

/// A cell filled by the `mean` or `carry` rule.
#[derive(Debug, Clone, PartialEq)]
pub struct FilledCell {
    /// The unit.
    pub unit: String,
    /// The period.
    pub period: String,
    /// The indicator id.
    pub indicator: String,
    /// The value filled in.
    pub value: f64,
    /// `mean` or `carry`.
    pub rule: Missing,
}

/// A unit's standing in one dimension.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DimensionDetail {
    /// 1 is the highest dimension score in the period.
    pub rank: Option<u32>,
    /// The dimension score − the unit's previous one.
    pub change: Option<f64>,
}

/// A unit's standing in one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupDetail {
    /// The group score.
    pub score: Option<f64>,
    /// 1 is the highest group score in the period.
    pub rank: Option<u32>,
    /// The group score − the unit's previous one.
    pub change: Option<f64>,
}

/// One indicator of one unit in one period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorCell {
    /// The value as scored (after any filling).
    pub raw: Option<f64>,
    /// The normalised score.
    pub score: Option<f64>,
    /// Its share of this unit's composite in this period: the global weight
    /// renormalised over the indicators and dimensions present, as
    /// aggregation uses it (0 for an absent cell; the nominal global weight
    /// when nothing is missing).
    pub weight: f64,
    /// The rule that filled the cell, if `missing = "mean"` or `"carry"` did.
    pub filled: Option<Missing>,
}

/// Which details to build beside composites and dimension scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Detail {
    /// Each dimension's rank and change for every unit.
    pub dimensions: bool,
    /// Each indicator's raw value and score for every unit (needs the raw
    /// values kept by the pipeline).
    pub indicators: bool,
    /// Each group's score, rank and change for every unit.
    pub groups: bool,
    /// Each unit's 5th–95th percentile rank over Monte Carlo runs
    /// (`score --uncertainty`), put in by `analysis::sensitivity::attach`.
    pub rank_intervals: bool,
}

impl Detail {
    /// True when the rows carry any detail.
    pub fn any(self) -> bool {
        self.dimensions || self.indicators || self.groups || self.rank_intervals
    }
}

/// One unit in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    /// 1 is the highest composite; `None` without a composite.
    pub rank: Option<u32>,
    /// The unit's name.
    pub unit: Arc<str>,
    /// The composite score.
    pub composite: Option<f64>,
    /// Dimension scores, in definition order.
    pub dimensions: Vec<Option<f64>>,
    /// composite − the unit's previous composite.
    pub change: Option<f64>,
    /// 100·change / previous composite.
    pub pct_change: Option<f64>,
    /// previous rank − rank: positive means the unit moved up.
    pub rank_change: Option<i64>,
    /// The grades of the composite and the dimensions, when the definition
    /// has `[[grade]]` bands.
    pub grades: Option<Box<UnitGrades>>,
    /// Dimension and indicator detail, when [`Detail`] asks for any. Boxed:
    /// a million rows without detail pay one pointer each, not two lists.
    pub detail: Option<Box<UnitDetail>>,
    /// The unit's areas and division code, when the definition reads
    /// `[data] groups` or `code`.
    pub labels: Option<Box<UnitLabels>>,
}

/// A unit's grades in one period: indices into [`Report::grades`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitGrades {
    /// The composite's band.
    pub composite: Option<u16>,
    /// Each dimension's band (`None` where no band applies).
    pub dimensions: Vec<Option<u16>>,
}

/// The details of one unit in one period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitDetail {
    /// Per dimension, in definition order, when [`Detail::dimensions`] asks; else empty.
    pub dimensions: Vec<DimensionDetail>,
    /// Per indicator, in definition order, when [`Detail::indicators`] asks; else empty.
    pub indicators: Vec<IndicatorCell>,
    /// Per group, in definition order, when [`Detail::groups`] asks; else empty.
    pub groups: Vec<GroupDetail>,
    /// The unit's rank interval, when [`Detail::rank_intervals`] asks and it has one.
    pub rank_interval: Option<RankInterval>,
}

/// A unit's 5th and 95th percentile rank over Monte Carlo runs of the
/// uncertain weights and methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankInterval {
    /// The 5th percentile: the rank the unit reaches or beats in 5 % of runs.
    pub p05: u32,
    /// The 95th percentile.
    pub p95: u32,
}

impl UnitRow {
    /// Each dimension's rank and change; empty without dimension detail.
    pub fn dimension_detail(&self) -> &[DimensionDetail] {
        self.detail.as_ref().map_or(&[], |d| &d.dimensions)
    }

    /// Each indicator's raw value and score; empty without indicator detail.
    pub fn indicator_cells(&self) -> &[IndicatorCell] {
        self.detail.as_ref().map_or(&[], |d| &d.indicators)
    }

    /// The label of the composite's grade.
    pub fn grade<'r>(&self, report: &'r Report) -> Option<&'r str> {
        let g = self.grades.as_ref()?.composite?;
        Some(report.grades[g as usize].label.as_str())
    }

    /// The label of each dimension's grade; empty without grades.
    pub fn dimension_grades<'r>(&self, report: &'r Report) -> Vec<Option<&'r str>> {
        self.grades.as_ref().map_or_else(Vec::new, |g| {
            g.dimensions
                .iter()
                .map(|d| d.map(|d| report.grades[d as usize].label.as_str()))
                .collect()
        })
    }

    /// Each group's score, rank and change; empty without group detail.
    pub fn group_detail(&self) -> &[GroupDetail] {
        self.detail.as_ref().map_or(&[], |d| &d.groups)
    }

    /// The 5th–95th percentile rank interval, when there is one.
    pub fn rank_interval(&self) -> Option<RankInterval> {
        self.detail.as_ref().and_then(|d| d.rank_interval)
    }
}

/// One period: its units in rank order and its total.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodReport {
    /// The period label.
    pub period: String,
    /// The total (mean or population-weighted mean of composites).
    pub total: Option<f64>,
    /// total − the previous period's total.
    pub total_change: Option<f64>,
    /// 100·total_change / previous total.
    pub total_pct_change: Option<f64>,
    /// Each dimension's city figure, by the same rule as the total.
    pub total_dimensions: Vec<Option<f64>>,
    /// Each dimension's city figure − the previous period's.
    pub total_dimension_changes: Vec<Option<f64>>,
    /// Each group's city figure, by the same rule (empty without groups).
    pub total_groups: Vec<Option<f64>>,
    /// Each group's city figure − the previous period's.
    pub total_group_changes: Vec<Option<f64>>,
    /// How many units' composites fall in each grade band, in
    /// [`Report::grades`] order (empty without grades).
    pub grade_counts: Vec<usize>,
    /// The same as text, `优秀 3, 良好 5, 一般 6`, for the total row.
    pub grade_summary: String,
    /// With [`Report::by`]: each area's total, in rank order among areas.
    pub areas: Vec<AreaTotal>,
    /// Units in rank order; ties and unranked units by name.
    pub units: Vec<UnitRow>,
}

/// Which periods to report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    /// The latest period.
    #[default]
    Latest,
    /// One named period.
    Period(String),
    /// Every period.
    All,
}

/// The finished result, ready for an exporter.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The index name.
    pub name: String,
    /// The display title (label or name).
    pub title: String,
    /// Digits for table and Markdown output.
    pub decimals: usize,
    /// Column name of the unit, as a heading (such as `district`).
    pub unit_heading: String,
    /// The settings that shaped the numbers.
    pub method: Method,
    /// Indicators whose normalization differs from `[method]`, with theirs.
    pub overrides: Vec<(String, String)>,
    /// The dimensions, in definition order.
    pub dimensions: Vec<DimensionInfo>,
    /// The groups, depth first in definition order (empty for a two-level index).
    pub groups: Vec<GroupInfo>,
    /// The grade bands, highest first (empty without grades).
    pub grades: Vec<crate::definition::Grade>,
    /// The indicators, in definition order.
    pub indicators: Vec<IndicatorInfo>,
    /// Whether changes compare levels or relative positions.
    pub changes: Changes,
    /// Which details the rows carry.
    pub detail: Detail,
    /// Cells filled by `missing = "mean"` or `"carry"`, in every period.
    pub filled: Vec<FilledCell>,
    /// The periods reported, in ascending order.
    pub periods: Vec<PeriodReport>,
    /// The `[data] groups` columns (the areas units lie in), outermost first.
    pub area_columns: Vec<String>,
    /// True when units carry a division code (`[data] code`).
    pub has_code: bool,
    /// The area column totals are given by (`score --by`), when asked.
    pub by: Option<String>,
}

impl Report {
    /// True when some band grades the composite.
    pub fn grades_composite(&self) -> bool {
        self.grades.iter().any(|g| {
            g.applies_to
                .contains(&crate::definition::GradeTarget::Composite)
        })
    }

    /// The dimensions some band grades, by index.
    pub fn graded_dimensions(&self) -> Vec<usize> {
        (0..self.dimensions.len())
            .filter(|&d| {
                self.grades.iter().any(|g| {
                    g.applies_to
                        .contains(&crate::definition::GradeTarget::Dimension(d))
                })
            })
            .collect()
    }

    /// Builds the report for every period, without details.
    pub fn build(definition: &Definition, scores: &Scores) -> Report {
        Report::build_with(definition, scores, Detail::default())
    }

    /// Builds the report for every period with the details asked for.
    pub fn build_with(definition: &Definition, scores: &Scores, detail: Detail) -> Report {
        let keys = &scores.keys;
        let rows = RowParts::of(definition, scores, detail);
        let mut previous = PreviousRows::new(keys.units.len());
        let before: Vec<Vec<Option<usize>>> = (0..keys.periods.len())
            .map(|p| previous.period(keys, p))
            .collect();
        // Periods depend on each other only through `before`, so they are
        // built in parallel on large inputs.
        let threads = crate::parallel::threads_for(keys.rows.len());
        let periods: Vec<usize> = (0..keys.periods.len()).collect();
        let units_by_period = crate::parallel::map(threads, &periods, |&p| {
            let context = rows.context(scores, &definition.grades, &before[p]);
            period_units(&context, keys.period_ranges[p].clone())
        });
        let periods = units_by_period
            .into_iter()
            .enumerate()
            .map(|(p, units)| period_report(scores, p, units, rows.percent, &definition.grades))
            .collect();
        Report {
            periods,
            ..Report::outline(definition, scores, rows.detail)
        }
    }

    /// Everything but the periods: the settings, the tree and the filled cells.
    fn outline(definition: &Definition, scores: &Scores, detail: Detail) -> Report {
        let keys = &scores.keys;
        Report {
            name: definition.name.clone(),
            title: definition.title().to_string(),
            decimals: definition.decimals,
            unit_heading: definition.columns.unit.clone(),
            method: Method {
                // Under base scope, say which period the base is, named or not.
                base_period: match definition.method.scope {
                    Scope::Base => definition
                        .method
                        .base_period
                        .clone()
                        .or_else(|| keys.periods.first().cloned()),
                    _ => None,
                },
                ..definition.method.clone()
            },
            overrides: definition
                .indicators()
                .filter(|(_, i)| {
                    i.normalize_overridden && i.normalize != definition.method.normalize
                })
                .map(|(_, i)| (i.id.clone(), i.normalize.to_string()))
                .collect(),
            dimensions: definition
                .dimensions
                .iter()
                .map(|d| DimensionInfo {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    weight: d.weight,
                    aggregate: d.aggregate,
                })
                .collect(),
            groups: group_infos(definition),
            grades: definition.grades.clone(),
            indicators: indicator_infos(definition),
            changes: Changes::of(definition),
            detail,
            filled: filled_cells(scores),
            periods: Vec::new(),
            area_columns: definition.columns.groups.clone(),
            has_code: definition.columns.code.is_some(),
            by: None,
        }
    }

    /// Keeps the selected periods; an unknown period is a usage error listing the known ones.
    pub fn select(mut self, selection: &Selection) -> Result<Report, Error> {
        match selection {
            Selection::All => {}
            Selection::Latest => {
                let last = self.periods.pop();
                self.periods = last.into_iter().collect();
            }
            Selection::Period(wanted) => {
                let known: Vec<String> = self.periods.iter().map(|p| p.period.clone()).collect();
                let wanted_label = crate::data::period_label(wanted);
                self.periods.retain(|p| p.period == wanted_label);
                if self.periods.is_empty() {
                    return Err(Error::Request {
                        message: format!("the data has no period `{wanted}`"),
                        hint: format!("choose one of: {}", known.join(", ")),
                    });
                }
            }
        }
        Ok(self)
    }

    /// Keeps the first `n` units of each period; totals stay those of all units.
    pub fn top(mut self, n: usize) -> Report {
        for period in &mut self.periods {
            period.units.truncate(n);
        }
        self
    }
}

/// Each unit's row in the periods walked so far: what a period's changes
/// need from the periods before it.
struct PreviousRows {
    /// `last[unit]`: the unit's row in the latest period walked that has it.
    last: Vec<Option<usize>>,
    /// The next period to walk.
    next: usize,
}

impl PreviousRows {
    fn new(units: usize) -> PreviousRows {
        PreviousRows {
            last: vec![None; units],
            next: 0,
        }
    }

    /// The previous row of each row of period `p` (from the period's first
    /// row on), walking the periods before it first. A unit has one row per
    /// period, so the last row seen for it is its row in its nearest earlier
    /// period.
    fn period(&mut self, keys: &crate::data::Keys, p: usize) -> Vec<Option<usize>> {
        debug_assert!(p >= self.next, "periods are walked in order");
        loop {
            let range = keys.period_ranges[self.next].clone();
            self.next += 1;
            let before: Vec<Option<usize>> = range
                .clone()
                .map(|row| self.last[keys.rows[row].unit as usize])
                .collect();
            for row in range {
                self.last[keys.rows[row].unit as usize] = Some(row);
            }
            if self.next > p {
                return before;
            }
        }
    }
}

/// What every row is built from, beyond the scores: shared unit names and
/// the weights indicator detail needs.
struct RowParts {
    names: Vec<Arc<str>>,
    percent: Percent,
    detail: Detail,
    weights: rows::Weights,
    labels: areas::LabelTexts,
}

impl RowParts {
    fn of(definition: &Definition, scores: &Scores, detail: Detail) -> RowParts {
        let keys = &scores.keys;
        let detail = Detail {
            indicators: detail.indicators && scores.raw.is_some(),
            ..detail
        };
        RowParts {
            names: keys.units.iter().map(|u| Arc::from(u.as_str())).collect(),
            percent: Percent::of(definition, scores),
            detail,
            weights: rows::Weights::of(definition, scores, detail.indicators),
            labels: areas::LabelTexts::of(keys),
        }
    }

    fn context<'a>(
        &'a self,
        scores: &'a Scores,
        grades: &'a [Grade],
        before: &'a [Option<usize>],
    ) -> RowContext<'a> {
        RowContext {
            scores,
            names: &self.names,
            before,
            percent: self.percent,
            detail: self.detail,
            weights: &self.weights,
            grades,
            labels: &self.labels,
        }
    }
}

/// Period `p` with its units, its total and dimension totals, and their
/// changes on the previous period.
fn period_report(
    scores: &Scores,
    p: usize,
    units: Vec<UnitRow>,
    percent: Percent,
    bands: &[Grade],
) -> PeriodReport {
    let keys = &scores.keys;
    let difference = |now: Option<f64>, then: Option<f64>| now.zip(then).map(|(a, b)| a - b);
    let changes = |now: &[Option<f64>], then: Option<&[Option<f64>]>| -> Vec<Option<f64>> {
        now.iter()
            .enumerate()
            .map(|(i, &x)| difference(x, then.and_then(|t| t[i])))
            .collect()
    };
    let total = scores.totals[p];
    let dimensions = &scores.total_dimensions[p];
    let groups = &scores.total_groups[p];
    // As for a unit: the change is on the previous period, and a missing
    // total there means no change, not a reach further back.
    let previous = p.checked_sub(1);
    let previous_total = previous.and_then(|q| scores.totals[q]);
    let total_change = difference(total, previous_total);
    let counts = grade_counts(bands.len(), &units);
    PeriodReport {
        period: keys.periods[p].clone(),
        total,
        total_change,
        total_pct_change: percent.of_change(total_change, previous_total),
        total_dimensions: dimensions.clone(),
        total_dimension_changes: changes(
            dimensions,
            previous.map(|q| scores.total_dimensions[q].as_slice()),
        ),
        total_groups: groups.clone(),
        total_group_changes: changes(groups, previous.map(|q| scores.total_groups[q].as_slice())),
        grade_summary: grade_summary(bands, &counts),
        grade_counts: counts,
        areas: Vec::new(),
        units,
    }
}

/// Grade counts as text: `优秀 3, 良好 5, 一般 6`.
fn grade_summary(bands: &[crate::definition::Grade], counts: &[usize]) -> String {
    bands
        .iter()
        .zip(counts)
        .map(|(g, n)| format!("{} {n}", g.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many units' composites fall in each band.
fn grade_counts(bands: usize, units: &[UnitRow]) -> Vec<usize> {
    let mut counts = vec![0; bands];
    for g in units
        .iter()
        .filter_map(|u| u.grades.as_ref().and_then(|g| g.composite))
    {
        counts[g as usize] += 1;
    }
    counts
}

/// The cells the missing-value rule filled, named.
fn filled_cells(scores: &Scores) -> Vec<FilledCell> {
    let keys = &scores.keys;
    scores
        .filled
        .iter()
        .map(|f| FilledCell {
            unit: keys.unit_of(f.row).to_string(),
            period: keys.period_of(f.row).to_string(),
            indicator: scores.indicators[f.indicator].clone(),
            value: f.value,
            rule: f.rule,
        })
        .collect()
}

/// The definition's groups as shown in output.
fn group_infos(definition: &Definition) -> Vec<GroupInfo> {
    definition
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| GroupInfo {
            id: group.id.clone(),
            name: group.name.clone(),
            dimension: definition.dimensions[group.dimension].id.clone(),
            parent: definition.node_id(group.parent).to_string(),
            level: group.level,
            weight: group.weight,
            global_weight: definition.global_weight_of(Parent::Group(g)),
            aggregate: definition.aggregate_of(Parent::Group(g)),
        })
        .collect()
}

/// The definition's indicators as shown in output.
fn indicator_infos(definition: &Definition) -> Vec<IndicatorInfo> {
    let global = definition.global_weights();
    let parents = definition.indicator_parents();
    definition
        .indicators()
        .zip(global.into_iter().zip(parents))
        .map(|((d, i), (global_weight, parent))| {
            let dimension = &definition.dimensions[d];
            IndicatorInfo {
                id: i.id.clone(),
                name: i.name.clone(),
                dimension: dimension.id.clone(),
                parent: definition.node_id(parent).to_string(),
                weight: i.weight * definition.share_of_dimension(parent),
                global_weight,
                direction: i.direction,
                normalize: i.normalize,
                goalposts: i.goalposts,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::tests::{close, run};

    const DEF: &str = "[index]\nname='T'\n[method]\nnormalize='none'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";

    fn report(csv: &str) -> Report {
        let definition = Definition::from_toml(DEF, "t.toml").unwrap();
        Report::build(&definition, &run(DEF, csv).unwrap())
    }

    #[test]
    fn change_is_on_the_units_nearest_earlier_period() {
        let r = report("unit,period,x\nA,2017,80\nB,2017,90\nA,2018,95\nB,2018,85\nA,2019,90\n");
        let a2018 = &r.periods[1].units[0];
        assert_eq!(&*a2018.unit, "A");
        assert_eq!(a2018.change, Some(15.0));
        close(a2018.pct_change.unwrap(), 18.75);
        assert_eq!(a2018.rank_change, Some(1));
        let b2018 = &r.periods[1].units[1];
        assert_eq!(b2018.rank_change, Some(-1));
        assert_eq!(r.periods[0].units[0].change, None);
        assert_eq!(r.periods[1].total_change, Some(5.0));
        assert_eq!(r.periods[2].units[0].change, Some(-5.0));
    }

    #[test]
    fn total_change_is_on_the_previous_period_even_without_a_total_there() {
        // Period 2 has no composite, so no total: period 3's total has no change,
        // just as a unit's change is null after a period without its composite.
        let def = "[index]\nname='T'\n[method]\nnormalize='none'\nmissing='skip'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";
        let definition = Definition::from_toml(def, "t.toml").unwrap();
        let scores = run(def, "unit,period,x\nA,1,5\nA,2,\nA,3,7\n").unwrap();
        let r = Report::build(&definition, &scores);
        assert_eq!(r.periods[1].total, None);
        assert_eq!(r.periods[2].total, Some(7.0));
        assert_eq!(r.periods[2].total_change, None);
        assert_eq!(r.periods[2].units[0].change, None);
    }

    #[test]
    fn ties_are_listed_by_unit_name() {
        let r = report("unit,period,x\nC,1,5\nB,1,7\nA,1,5\n");
        let order: Vec<(&str, Option<u32>)> = r.periods[0]
            .units
            .iter()
            .map(|u| (&*u.unit, u.rank))
            .collect();
        assert_eq!(order, [("B", Some(1)), ("A", Some(2)), ("C", Some(2))]);
    }

    #[test]
    fn selection_keeps_the_latest_by_default() {
        let r = report("unit,period,x\nA,2019,1\nA,2018,2\n");
        assert_eq!(
            r.clone().select(&Selection::Latest).unwrap().periods[0].period,
            "2019"
        );
        assert_eq!(r.clone().select(&Selection::All).unwrap().periods.len(), 2);
        let full_width = r
            .clone()
            .select(&Selection::Period("２０１８".into()))
            .unwrap();
        assert_eq!(full_width.periods[0].period, "2018");
        let error = r.select(&Selection::Period("2030".into())).unwrap_err();
        assert!(error.is_usage());
        assert!(
            error.problems()[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("2018, 2019")
        );
    }

    #[test]
    fn top_keeps_the_total_of_all_units() {
        let r = report("unit,period,x\nA,1,10\nB,1,20\nC,1,30\n").top(1);
        assert_eq!(r.periods[0].units.len(), 1);
        assert_eq!(r.periods[0].total, Some(20.0));
    }

    #[test]
    fn pct_change_is_null_without_a_positive_previous_composite() {
        let r = report(
            "unit,period,x
A,1,0
B,1,-4
C,1,10
A,2,5
B,2,2
C,2,12
",
        );
        let row = |unit: &str| {
            r.periods[1]
                .units
                .iter()
                .find(|u| &*u.unit == unit)
                .unwrap()
                .clone()
        };
        assert_eq!(row("A").change, Some(5.0));
        assert_eq!(row("A").pct_change, None);
        assert_eq!(row("B").pct_change, None);
        close(row("C").pct_change.unwrap(), 20.0);
    }

    #[test]
    fn a_previous_composite_within_rounding_noise_of_zero_has_no_percentage() {
        let r = report(
            "unit,period,x
A,1,1e-12
B,1,90
A,2,5
B,2,95
",
        );
        let a = r.periods[1].units.iter().find(|u| &*u.unit == "A").unwrap();
        assert_eq!(a.pct_change, None);
    }

    #[test]
    fn a_small_composite_beside_a_huge_one_keeps_its_percentage() {
        let r = report("unit,period,x\nA,1,0.5\nB,1,2e9\nA,2,1\nB,2,2e9\n");
        let a = r.periods[1].units.iter().find(|u| &*u.unit == "A").unwrap();
        close(a.pct_change.unwrap(), 100.0);
    }

    #[test]
    fn pct_change_is_null_under_zscores() {
        let def = DEF.replace("'none'", "'zscore'");
        let definition = Definition::from_toml(&def, "t.toml").unwrap();
        let scores = run(
            &def,
            "unit,period,x
A,1,1
B,1,2
C,1,4
A,2,1
B,2,3
C,2,4
",
        )
        .unwrap();
        let r = Report::build(&definition, &scores);
        assert!(r.periods[1].units.iter().all(|u| u.pct_change.is_none()));
        assert!(r.periods[1].units.iter().any(|u| u.change.unwrap() != 0.0));
    }

    #[test]
    fn changes_are_relative_only_for_data_driven_methods_per_period() {
        let changes = |method: &str| {
            let def = DEF.replace("normalize='none'", method);
            Changes::of(&Definition::from_toml(&def, "t.toml").unwrap())
        };
        assert_eq!(changes("normalize='none'"), Changes::Level);
        assert_eq!(changes("normalize='minmax'"), Changes::Relative);
        assert_eq!(changes("normalize='rank'"), Changes::Relative);
        assert_eq!(
            changes("normalize='minmax'\nscope='pooled'"),
            Changes::Level
        );
        assert_eq!(changes("normalize='zscore'\nscope='base'"), Changes::Level);
    }

    #[test]
    fn dimension_detail_has_ranks_and_changes() {
        let def = "[index]\nname='T'\n[method]\nnormalize='none'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension]]\nid='b'\n[[dimension.indicator]]\nid='y'\n";
        let definition = Definition::from_toml(def, "t.toml").unwrap();
        let scores = run(
            def,
            "unit,period,x,y\nA,1,10,50\nB,1,20,40\nA,2,30,45\nB,2,20,60\n",
        )
        .unwrap();
        let plain = Report::build(&definition, &scores);
        assert!(plain.periods[0].units[0].detail.is_none());
        let r = Report::build_with(
            &definition,
            &scores,
            Detail {
                dimensions: true,
                ..Detail::default()
            },
        );
        // Period 2: A (x 30, y 45) composite 37.5; B (20, 60) 40 → B first.
        let b = &r.periods[1].units[0];
        assert_eq!(&*b.unit, "B");
        assert_eq!(
            b.dimension_detail()[0],
            DimensionDetail {
                rank: Some(2),
                change: Some(0.0)
            }
        );
        assert_eq!(
            b.dimension_detail()[1],
            DimensionDetail {
                rank: Some(1),
                change: Some(20.0)
            }
        );
        let a = &r.periods[1].units[1];
        assert_eq!(
            a.dimension_detail()[0],
            DimensionDetail {
                rank: Some(1),
                change: Some(20.0)
            }
        );
        assert_eq!(r.periods[1].total_dimensions, vec![Some(25.0), Some(52.5)]);
        assert_eq!(
            r.periods[1].total_dimension_changes,
            vec![Some(10.0), Some(7.5)]
        );
        assert_eq!(r.periods[0].total_dimension_changes, vec![None, None]);
    }

    #[test]
    fn indicator_detail_needs_the_raw_values() {
        let def = "[index]\nname='T'\n[method]\nnormalize='minmax'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\nweight=3\n[[dimension.indicator]]\nid='y'\n";
        let definition = Definition::from_toml(def, "t.toml").unwrap();
        let detail = Detail {
            indicators: true,
            ..Detail::default()
        };
        let scores = run(def, "unit,period,x,y\nA,1,10,5\nB,1,20,7\n").unwrap();
        assert!(
            !Report::build_with(&definition, &scores, detail)
                .detail
                .indicators
        );
        let panel = crate::data::read_from(
            Box::new(std::io::Cursor::new(
                b"unit,period,x,y\nA,1,10,5\nB,1,20,7\n".to_vec(),
            )),
            "t.csv",
            &definition,
            crate::data::ReadOptions::default(),
        )
        .unwrap();
        let options = crate::pipeline::ScoreOptions { keep_raw: true };
        let scores = crate::pipeline::score_with(&definition, panel, options).unwrap();
        let r = Report::build_with(&definition, &scores, detail);
        let b = &r.periods[0].units[0];
        assert_eq!(&*b.unit, "B");
        assert_eq!(
            b.indicator_cells()[0],
            IndicatorCell {
                raw: Some(20.0),
                score: Some(100.0),
                weight: 0.75,
                filled: None,
            }
        );
        assert_eq!(
            b.indicator_cells()[1],
            IndicatorCell {
                raw: Some(7.0),
                score: Some(100.0),
                weight: 0.25,
                filled: None,
            }
        );
        assert_eq!(r.indicators[0].global_weight, 0.75);
        assert_eq!(r.indicators[1].dimension, "a");
    }

    #[test]
    fn indicator_weights_are_those_aggregation_used_and_fills_are_marked() {
        let detail = Detail {
            indicators: true,
            ..Detail::default()
        };
        let run_with = |def: &str, csv: &str| {
            let definition = Definition::from_toml(def, "t.toml").unwrap();
            let panel = crate::data::read_from(
                Box::new(std::io::Cursor::new(csv.as_bytes().to_vec())),
                "t.csv",
                &definition,
                crate::data::ReadOptions::default(),
            )
            .unwrap();
            let options = crate::pipeline::ScoreOptions { keep_raw: true };
            let scores = crate::pipeline::score_with(&definition, panel, options).unwrap();
            Report::build_with(&definition, &scores, detail)
        };
        // Dimension a (x weight 1, y weight 3), dimension b (z), equal dimension weights.
        let def = "[index]\nname='T'\n[method]\nnormalize='none'\nmissing='MISSING'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\nweight=3\n[[dimension]]\nid='b'\n[[dimension.indicator]]\nid='z'\n";
        // Under skip, A lacks y: x carries all of a's half.
        let r = run_with(
            &def.replace("MISSING", "skip"),
            "unit,period,x,y,z\nA,1,10,,30\n",
        );
        let cells = r.periods[0].units[0].indicator_cells();
        let weights: Vec<f64> = cells.iter().map(|c| c.weight).collect();
        assert_eq!(weights, vec![0.5, 0.0, 0.5]);
        let sum: f64 = cells
            .iter()
            .filter_map(|c| c.score.map(|s| s * c.weight))
            .sum();
        assert_eq!(sum, r.periods[0].units[0].composite.unwrap());
        // Under mean, the filled cell is marked and weighs its nominal share.
        let r = run_with(
            &def.replace("MISSING", "mean"),
            "unit,period,x,y,z\nA,1,10,,30\nB,1,20,40,50\n",
        );
        let a = r.periods[0].units.iter().find(|u| &*u.unit == "A").unwrap();
        assert_eq!(a.indicator_cells()[1].filled, Some(Missing::Mean));
        assert_eq!(a.indicator_cells()[1].weight, 0.375);
        assert_eq!(a.indicator_cells()[0].filled, None);
    }

    #[test]
    fn the_base_period_is_named_even_when_it_defaults_to_the_earliest() {
        let def = DEF.replace("normalize='none'", "normalize='minmax'\nscope='base'");
        let definition = Definition::from_toml(&def, "t.toml").unwrap();
        let scores = run(
            &def,
            "unit,period,x\nA,2017,1\nB,2017,2\nA,2018,3\nB,2018,4\n",
        )
        .unwrap();
        let r = Report::build(&definition, &scores);
        assert_eq!(r.method.base_period.as_deref(), Some("2017"));
    }
}
