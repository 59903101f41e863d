//! JSON at full precision (README, "JSON"); absent values are null.
//!
//! The document is a set of views that borrow the report and serialize
//! straight into the output, so a million rows are never held a second time
//! as a JSON tree; the periods may come one at a time
//! ([`Exporter::write_periods`]), so that only one period's rows are held.
//! A new report field is a new field of a view.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::Exporter;
use crate::definition::{Aggregate, Direction, Missing, Normalize, Scope, Total, WeightMethod};
use crate::report::{
    DimensionInfo, FilledCell, GroupInfo, IndicatorInfo, PeriodReport, Report, UnitRow,
};

/// Renders JSON: every setting that shaped the numbers, then the periods.
pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut periods = report.periods.iter().map(Cow::Borrowed);
        write_document(report, &mut periods, out)
    }

    fn streams(&self) -> bool {
        true
    }

    fn write_periods(
        &self,
        report: &Report,
        periods: &mut dyn Iterator<Item = PeriodReport>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        write_document(report, &mut periods.map(Cow::Owned), out)
    }
}

/// Serializes the document straight into `out`, each period as it comes.
fn write_document<'r>(
    report: &'r Report,
    periods: &mut dyn Iterator<Item = Cow<'r, PeriodReport>>,
    out: &mut dyn Write,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Document::of(report, periods))?;
    out.write_all(b"\n")
}

/// The whole document.
#[derive(Serialize)]
struct Document<'a, 'p> {
    kmgov_version: &'static str,
    index: &'a str,
    label: &'a str,
    method: MethodView<'a>,
    periods: Periods<'a, 'p>,
    filled: Filled<'a>,
}

impl<'a, 'p> Document<'a, 'p> {
    fn of(report: &'a Report, periods: &'p mut dyn Iterator<Item = Cow<'a, PeriodReport>>) -> Self {
        Document {
            kmgov_version: env!("CARGO_PKG_VERSION"),
            index: &report.name,
            label: &report.title,
            method: MethodView {
                normalize: report.method.normalize,
                scope: report.method.scope,
                base_period: report.method.base_period.as_deref(),
                aggregate: report.method.aggregate,
                missing: report.method.missing,
                total: report.method.total,
                weights: report.method.weights,
                weights_period: report.method.weights_period.as_deref(),
                entropy_shift: uses_entropy(&report.method).then_some(report.method.entropy_shift),
                topsis: (report.method.aggregate == Aggregate::Topsis).then_some(TopsisView {
                    normalization: "vector",
                    normalize_used: false,
                }),
                changes: report.changes.as_str(),
                normalize_overrides: (!report.overrides.is_empty())
                    .then_some(Overrides(&report.overrides)),
                dimension_weights: Weights(&report.dimensions),
                dimension_aggregates: report
                    .dimensions
                    .iter()
                    .any(|d| d.aggregate.is_some())
                    .then_some(DimensionAggregates(&report.dimensions)),
                groups: report.groups.iter().map(GroupView::of).collect(),
                indicators: report
                    .indicators
                    .iter()
                    .map(|info| IndicatorView::of(info, !report.groups.is_empty()))
                    .collect(),
            },
            periods: Periods {
                report,
                periods: RefCell::new(periods),
            },
            filled: Filled(&report.filled),
        }
    }
}

#[derive(Serialize)]
struct MethodView<'a> {
    normalize: Normalize,
    scope: Scope,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_period: Option<&'a str>,
    aggregate: Aggregate,
    missing: Missing,
    total: Total,
    /// Where the weights came from: `manual`, or the method that derived them.
    weights: WeightMethod,
    #[serde(skip_serializing_if = "Option::is_none")]
    weights_period: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entropy_shift: Option<f64>,
    /// Under TOPSIS: how raw values were made comparable instead of `normalize`.
    #[serde(skip_serializing_if = "Option::is_none")]
    topsis: Option<TopsisView>,
    /// `relative` or `level`: what a year-on-year change compares.
    changes: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    normalize_overrides: Option<Overrides<'a>>,
    dimension_weights: Weights<'a>,
    /// Dimensions that combine their children with their own aggregator.
    #[serde(skip_serializing_if = "Option::is_none")]
    dimension_aggregates: Option<DimensionAggregates<'a>>,
    /// The groups below the dimensions, with each one's global weight.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    groups: Vec<GroupView<'a>>,
    indicators: Vec<IndicatorView<'a>>,
}

/// `{"dimension id": aggregate}` for the dimensions that set their own.
struct DimensionAggregates<'a>(&'a [DimensionInfo]);

impl Serialize for DimensionAggregates<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.0
                .iter()
                .filter_map(|d| d.aggregate.map(|aggregate| (&d.id, aggregate))),
        )
    }
}

/// One group of the definition as used.
#[derive(Serialize)]
struct GroupView<'a> {
    id: &'a str,
    name: &'a str,
    dimension: &'a str,
    parent: &'a str,
    level: usize,
    weight: Number,
    global_weight: Number,
    aggregate: Aggregate,
}

impl<'a> GroupView<'a> {
    fn of(info: &'a GroupInfo) -> Self {
        GroupView {
            id: &info.id,
            name: &info.name,
            dimension: &info.dimension,
            parent: &info.parent,
            level: info.level,
            weight: Number(Some(info.weight)),
            global_weight: Number(Some(info.global_weight)),
            aggregate: info.aggregate,
        }
    }
}

/// What TOPSIS did in place of the `normalize` setting.
#[derive(Serialize)]
struct TopsisView {
    normalization: &'static str,
    normalize_used: bool,
}

/// True when entropy weights were derived (alone or combined).
fn uses_entropy(method: &crate::definition::Method) -> bool {
    method.weights == WeightMethod::Entropy || method.weights == WeightMethod::Combined
}

/// One indicator of the definition as used.
#[derive(Serialize)]
struct IndicatorView<'a> {
    id: &'a str,
    dimension: &'a str,
    /// The group it hangs under (or its dimension), for an index with groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    weight: Number,
    global_weight: Number,
    direction: Direction,
    normalize: Normalize,
    goalposts: Option<[Number; 2]>,
}

impl<'a> IndicatorView<'a> {
    fn of(info: &'a IndicatorInfo, with_parent: bool) -> Self {
        IndicatorView {
            id: &info.id,
            dimension: &info.dimension,
            parent: with_parent.then_some(info.parent.as_str()),
            weight: Number(Some(info.weight)),
            global_weight: Number(Some(info.global_weight)),
            direction: info.direction,
            normalize: info.normalize,
            goalposts: info
                .goalposts
                .map(|g| [Number(Some(g.lo)), Number(Some(g.hi))]),
        }
    }
}

/// The cells filled by the missing-value rule.
struct Filled<'a>(&'a [FilledCell]);

impl Serialize for Filled<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|cell| FilledView {
            unit: &cell.unit,
            period: &cell.period,
            indicator: &cell.indicator,
            value: Number(Some(cell.value)),
            rule: cell.rule,
        }))
    }
}

#[derive(Serialize)]
struct FilledView<'a> {
    unit: &'a str,
    period: &'a str,
    indicator: &'a str,
    value: Number,
    rule: Missing,
}

/// `{"indicator id": "normalization"}`.
struct Overrides<'a>(&'a [(String, String)]);

impl Serialize for Overrides<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(id, normalize)| (id, normalize)))
    }
}

/// `{"dimension id": weight}`.
struct Weights<'a>(&'a [DimensionInfo]);

impl Serialize for Weights<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|d| (&d.id, Number(Some(d.weight)))))
    }
}

/// The periods, each with its units, serialized as they come.
struct Periods<'a, 'p> {
    report: &'a Report,
    /// Taken in turn by the one serialization (`serialize` takes `&self`).
    periods: RefCell<&'p mut dyn Iterator<Item = Cow<'a, PeriodReport>>>,
}

impl Serialize for Periods<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tree = GroupTree::of(self.report);
        let mut periods = self.periods.borrow_mut();
        serializer.collect_seq((&mut **periods).map(|period| OnePeriod {
            report: self.report,
            tree: &tree,
            period,
        }))
    }
}

/// One period, owned or borrowed from the report.
struct OnePeriod<'a, 't> {
    report: &'a Report,
    tree: &'t GroupTree<'a>,
    period: Cow<'a, PeriodReport>,
}

impl Serialize for OnePeriod<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.report;
        let period = &*self.period;
        let dimensions = &report.dimensions;
        let groups = &report.groups;
        let by_group = |values| (!groups.is_empty()).then_some(ByGroup(groups, values));
        PeriodView {
            period: &period.period,
            total: Number(period.total),
            total_change: Number(period.total_change),
            total_pct_change: Number(period.total_pct_change),
            total_dimensions: ByDimension(dimensions, &period.total_dimensions),
            total_dimension_changes: ByDimension(dimensions, &period.total_dimension_changes),
            total_groups: by_group(&period.total_groups),
            total_group_changes: by_group(&period.total_group_changes),
            grade_counts: (!report.grades.is_empty()).then_some(GradeCounts(report, period)),
            by: report.by.as_deref(),
            areas: report.by.is_some().then_some(Areas(report, period)),
            units: Units {
                report,
                dimensions,
                indicators: &report.indicators,
                tree: self.tree,
                period,
                intervals: report.detail.rank_intervals,
            },
        }
        .serialize(serializer)
    }
}

#[derive(Serialize)]
struct PeriodView<'a> {
    period: &'a str,
    total: Number,
    total_change: Number,
    total_pct_change: Number,
    total_dimensions: ByDimension<'a>,
    total_dimension_changes: ByDimension<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_groups: Option<ByGroup<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_group_changes: Option<ByGroup<'a>>,
    /// `{"grade label": units}` for the composite's bands.
    #[serde(skip_serializing_if = "Option::is_none")]
    grade_counts: Option<GradeCounts<'a>>,
    /// With `score --by`: the area column, and each area's figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    areas: Option<Areas<'a>>,
    units: Units<'a>,
}

/// `{"grade label": how many units}`.
struct GradeCounts<'a>(&'a Report, &'a PeriodReport);

impl Serialize for GradeCounts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.0
                .grades
                .iter()
                .zip(&self.1.grade_counts)
                .map(|(g, n)| (&g.label, n)),
        )
    }
}

/// `{"group id": value}`.
struct ByGroup<'a>(&'a [GroupInfo], &'a [Option<f64>]);

impl Serialize for ByGroup<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().zip(self.1).map(|(g, x)| (&g.id, Number(*x))))
    }
}

/// Which groups hang under each dimension and each group, computed once
/// for every unit's nested `groups`.
struct GroupTree<'a> {
    groups: &'a [GroupInfo],
    dimensions: &'a [DimensionInfo],
    /// `under_dimension[d]`: the groups directly under dimension `d`.
    under_dimension: Vec<Vec<usize>>,
    /// `under_group[g]`: the groups directly under group `g`.
    under_group: Vec<Vec<usize>>,
}

impl<'a> GroupTree<'a> {
    fn of(report: &'a Report) -> Self {
        let mut under_dimension = vec![Vec::new(); report.dimensions.len()];
        let mut under_group = vec![Vec::new(); report.groups.len()];
        for (g, group) in report.groups.iter().enumerate() {
            // Ids are unique across the tree: the parent is a group when a
            // group has its id, else the dimension.
            match report.groups.iter().position(|p| p.id == group.parent) {
                Some(parent) => under_group[parent].push(g),
                None => {
                    if let Some(d) = report.dimensions.iter().position(|d| d.id == group.parent) {
                        under_dimension[d].push(g);
                    }
                }
            }
        }
        GroupTree {
            groups: &report.groups,
            dimensions: &report.dimensions,
            under_dimension,
            under_group,
        }
    }
}

/// `{"dimension id": {"group id": {"score", "rank", "change", "groups"?}}}`
/// for one unit.
struct UnitGroups<'a> {
    tree: &'a GroupTree<'a>,
    unit: &'a UnitRow,
}

impl Serialize for UnitGroups<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tree = self.tree;
        serializer.collect_map(tree.dimensions.iter().zip(&tree.under_dimension).map(
            |(dimension, children)| {
                (
                    &dimension.id,
                    GroupLevel {
                        tree,
                        unit: self.unit,
                        children,
                    },
                )
            },
        ))
    }
}

/// One set of sibling groups of one unit.
struct GroupLevel<'a> {
    tree: &'a GroupTree<'a>,
    unit: &'a UnitRow,
    children: &'a [usize],
}

#[derive(Serialize)]
struct GroupNodeView<'a> {
    score: Number,
    rank: Option<u32>,
    change: Number,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<GroupLevel<'a>>,
}

impl Serialize for GroupLevel<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let detail = self.unit.group_detail();
        serializer.collect_map(self.children.iter().filter_map(|&g| {
            let cell = detail.get(g)?;
            let below = &self.tree.under_group[g];
            Some((
                &self.tree.groups[g].id,
                GroupNodeView {
                    score: Number(cell.score),
                    rank: cell.rank,
                    change: Number(cell.change),
                    groups: (!below.is_empty()).then_some(GroupLevel {
                        tree: self.tree,
                        unit: self.unit,
                        children: below,
                    }),
                },
            ))
        }))
    }
}

/// `{"dimension id": value}`.
struct ByDimension<'a>(&'a [DimensionInfo], &'a [Option<f64>]);

impl Serialize for ByDimension<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().zip(self.1).map(|(d, x)| (&d.id, Number(*x))))
    }
}

struct Units<'a> {
    report: &'a Report,
    dimensions: &'a [DimensionInfo],
    indicators: &'a [IndicatorInfo],
    tree: &'a GroupTree<'a>,
    period: &'a PeriodReport,
    intervals: bool,
}

impl Serialize for Units<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let grades_composite = self.report.grades_composite();
        let graded = self.report.graded_dimensions();
        serializer.collect_seq(self.period.units.iter().map(|unit| UnitView {
            rank: unit.rank,
            unit: &unit.unit,
            labels: LabelKeys {
                report: self.report,
                unit,
            },
            composite: Number(unit.composite),
            grade: grades_composite.then(|| unit.grade(self.report)),
            dimension_grades: (!graded.is_empty()).then(|| {
                let labels = unit.dimension_grades(self.report);
                DimensionGrades(
                    graded
                        .iter()
                        .map(|&d| (&self.dimensions[d].id, labels.get(d).copied().flatten()))
                        .collect(),
                )
            }),
            dimensions: Scores {
                dimensions: self.dimensions,
                unit,
            },
            dimension_ranks: (!unit.dimension_detail().is_empty()).then_some(DimensionRanks {
                dimensions: self.dimensions,
                unit,
            }),
            dimension_changes: (!unit.dimension_detail().is_empty()).then_some(DimensionChanges {
                dimensions: self.dimensions,
                unit,
            }),
            groups: (!unit.group_detail().is_empty()).then_some(UnitGroups {
                tree: self.tree,
                unit,
            }),
            change: Number(unit.change),
            pct_change: Number(unit.pct_change),
            rank_change: unit.rank_change,
            indicators: (!unit.indicator_cells().is_empty()).then_some(IndicatorCells {
                indicators: self.indicators,
                unit,
            }),
            rank_p05: self.intervals.then(|| unit.rank_interval().map(|i| i.p05)),
            rank_p95: self.intervals.then(|| unit.rank_interval().map(|i| i.p95)),
        }))
    }
}

#[derive(Serialize)]
struct UnitView<'a> {
    rank: Option<u32>,
    unit: &'a str,
    /// `code`, each `[data] groups` column, and `<column>_rank` with `--by`,
    /// as the CSV has them.
    #[serde(flatten)]
    labels: LabelKeys<'a>,
    composite: Number,
    /// The composite's grade label (null without a composite), with grades.
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dimension_grades: Option<DimensionGrades<'a>>,
    dimensions: Scores<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dimension_ranks: Option<DimensionRanks<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dimension_changes: Option<DimensionChanges<'a>>,
    /// Nested under each dimension: its groups, theirs, and so on.
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<UnitGroups<'a>>,
    change: Number,
    pct_change: Number,
    rank_change: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indicators: Option<IndicatorCells<'a>>,
    /// With `score --uncertainty`: the 5th and 95th percentile rank, null
    /// for a unit without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    rank_p05: Option<Option<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rank_p95: Option<Option<u32>>,
}

/// A unit's code, areas and rank within its area, as keys of the unit.
struct LabelKeys<'a> {
    report: &'a Report,
    unit: &'a UnitRow,
}

impl Serialize for LabelKeys<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let report = self.report;
        let labels = self.unit.labels.as_deref();
        let mut map = serializer.serialize_map(None)?;
        if report.has_code {
            map.serialize_entry("code", &labels.and_then(|l| l.code.as_deref()))?;
        }
        for (a, column) in report.area_columns.iter().enumerate() {
            let area = labels
                .and_then(|l| l.areas.get(a))
                .and_then(|a| a.as_deref());
            map.serialize_entry(column, &area)?;
        }
        if let Some(by) = &report.by {
            map.serialize_entry(&format!("{by}_rank"), &labels.and_then(|l| l.area_rank))?;
        }
        map.end()
    }
}

/// Each area's figures in a period (`score --by`), in rank order.
struct Areas<'a>(&'a Report, &'a PeriodReport);

impl Serialize for Areas<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let dimensions = &self.0.dimensions;
        let outer = &self.0.area_columns;
        serializer.collect_seq(self.1.areas.iter().map(|area| AreaView {
            area: &area.area,
            within: Within(outer, &area.within),
            rank: area.rank,
            units: area.units,
            total: Number(area.total),
            dimensions: ByDimension(dimensions, &area.dimensions),
            change: Number(area.change),
            pct_change: Number(area.pct_change),
            rank_change: area.rank_change,
        }))
    }
}

#[derive(Serialize)]
struct AreaView<'a> {
    area: &'a str,
    /// The areas it lies in, a key per outer column, as a unit has them.
    #[serde(flatten)]
    within: Within<'a>,
    rank: Option<u32>,
    units: usize,
    total: Number,
    dimensions: ByDimension<'a>,
    change: Number,
    pct_change: Number,
    rank_change: Option<i64>,
}

/// `{"county": "宜良县"}`: the areas an area lies in, by column.
struct Within<'a>(&'a [String], &'a [Option<std::sync::Arc<str>>]);

impl Serialize for Within<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().zip(self.1).map(|(c, a)| (c, a.as_deref())))
    }
}

/// `{"dimension id": grade label}` for one unit, the graded dimensions only.
struct DimensionGrades<'a>(Vec<(&'a String, Option<&'a str>)>);

impl Serialize for DimensionGrades<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(id, label)| (id, label)))
    }
}

/// `{"dimension id": rank}` for one unit.
struct DimensionRanks<'a> {
    dimensions: &'a [DimensionInfo],
    unit: &'a UnitRow,
}

impl Serialize for DimensionRanks<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let pairs = self.dimensions.iter().zip(self.unit.dimension_detail());
        serializer.collect_map(pairs.map(|(d, detail)| (&d.id, detail.rank)))
    }
}

/// `{"dimension id": change}` for one unit.
struct DimensionChanges<'a> {
    dimensions: &'a [DimensionInfo],
    unit: &'a UnitRow,
}

impl Serialize for DimensionChanges<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let pairs = self.dimensions.iter().zip(self.unit.dimension_detail());
        serializer.collect_map(pairs.map(|(d, detail)| (&d.id, Number(detail.change))))
    }
}

/// `{"indicator id": {"raw", "score", "global_weight"}}` for one unit.
struct IndicatorCells<'a> {
    indicators: &'a [IndicatorInfo],
    unit: &'a UnitRow,
}

#[derive(Serialize)]
struct IndicatorCellView {
    raw: Number,
    score: Number,
    global_weight: Number,
    filled: Option<Missing>,
}

impl Serialize for IndicatorCells<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let pairs = self.indicators.iter().zip(self.unit.indicator_cells());
        serializer.collect_map(pairs.map(|(info, cell)| {
            (
                &info.id,
                IndicatorCellView {
                    raw: Number(cell.raw),
                    score: Number(cell.score),
                    global_weight: Number(Some(cell.weight)),
                    filled: cell.filled,
                },
            )
        }))
    }
}

/// `{"dimension id": score}` for one unit.
struct Scores<'a> {
    dimensions: &'a [DimensionInfo],
    unit: &'a UnitRow,
}

impl Serialize for Scores<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.dimensions.len()))?;
        for (dimension, score) in self.dimensions.iter().zip(&self.unit.dimensions) {
            map.serialize_entry(&dimension.id, &Number(*score))?;
        }
        map.end()
    }
}

/// A number, or null when absent or not finite; zero is `0.0`, never `-0.0`.
struct Number(Option<f64>);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            // A float pattern compares with ==, so it matches -0 too.
            Some(0.0) => serializer.serialize_f64(0.0),
            Some(x) if x.is_finite() => serializer.serialize_f64(x),
            _ => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_null_when_not_finite_and_zero_has_no_sign() {
        let text = |x: Option<f64>| serde_json::to_string(&Number(x)).unwrap();
        assert_eq!(text(Some(f64::INFINITY)), "null");
        assert_eq!(text(Some(f64::NAN)), "null");
        assert_eq!(text(None), "null");
        assert_eq!(text(Some(-0.0)), "0.0");
        assert_eq!(text(Some(-1.5)), "-1.5");
        assert_eq!(text(Some(80.0)), "80.0");
    }
}
