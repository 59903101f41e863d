//! JSON at full precision (README, "JSON"); absent values are null.
//!
//! The document is a set of views that borrow the report and serialize
//! straight into the output, so a million rows are never held a second time
//! as a JSON tree. A new report field is a new field of a view.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::Exporter;
use crate::definition::{Aggregate, Direction, Missing, Normalize, Scope, Total};
use crate::report::{DimensionInfo, FilledCell, IndicatorInfo, PeriodReport, Report, UnitRow};

/// Renders JSON: every setting that shaped the numbers, then the periods.
pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &Document::of(report))?;
        out.write_all(b"\n")
    }
}

/// The whole document.
#[derive(Serialize)]
struct Document<'a> {
    kmgov_version: &'static str,
    index: &'a str,
    label: &'a str,
    method: MethodView<'a>,
    periods: Periods<'a>,
    filled: Filled<'a>,
}

impl<'a> Document<'a> {
    fn of(report: &'a Report) -> Self {
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
                changes: report.changes.as_str(),
                normalize_overrides: (!report.overrides.is_empty())
                    .then_some(Overrides(&report.overrides)),
                dimension_weights: Weights(&report.dimensions),
                indicators: report.indicators.iter().map(IndicatorView::of).collect(),
            },
            periods: Periods(report),
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
    /// `relative` or `level`: what a year-on-year change compares.
    changes: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    normalize_overrides: Option<Overrides<'a>>,
    dimension_weights: Weights<'a>,
    indicators: Vec<IndicatorView<'a>>,
}

/// One indicator of the definition as used.
#[derive(Serialize)]
struct IndicatorView<'a> {
    id: &'a str,
    dimension: &'a str,
    weight: Number,
    global_weight: Number,
    direction: Direction,
    normalize: Normalize,
    goalposts: Option<[Number; 2]>,
}

impl<'a> IndicatorView<'a> {
    fn of(info: &'a IndicatorInfo) -> Self {
        IndicatorView {
            id: &info.id,
            dimension: &info.dimension,
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

/// The periods, each with its units.
struct Periods<'a>(&'a Report);

impl Serialize for Periods<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let dimensions = &self.0.dimensions;
        let indicators = &self.0.indicators;
        serializer.collect_seq(self.0.periods.iter().map(|period| PeriodView {
            period: &period.period,
            total: Number(period.total),
            total_change: Number(period.total_change),
            total_pct_change: Number(period.total_pct_change),
            total_dimensions: ByDimension(dimensions, &period.total_dimensions),
            total_dimension_changes: ByDimension(dimensions, &period.total_dimension_changes),
            units: Units {
                dimensions,
                indicators,
                period,
            },
        }))
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
    units: Units<'a>,
}

/// `{"dimension id": value}`.
struct ByDimension<'a>(&'a [DimensionInfo], &'a [Option<f64>]);

impl Serialize for ByDimension<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().zip(self.1).map(|(d, x)| (&d.id, Number(*x))))
    }
}

struct Units<'a> {
    dimensions: &'a [DimensionInfo],
    indicators: &'a [IndicatorInfo],
    period: &'a PeriodReport,
}

impl Serialize for Units<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.period.units.iter().map(|unit| UnitView {
            rank: unit.rank,
            unit: &unit.unit,
            composite: Number(unit.composite),
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
            change: Number(unit.change),
            pct_change: Number(unit.pct_change),
            rank_change: unit.rank_change,
            indicators: (!unit.indicator_cells().is_empty()).then_some(IndicatorCells {
                indicators: self.indicators,
                unit,
            }),
        }))
    }
}

#[derive(Serialize)]
struct UnitView<'a> {
    rank: Option<u32>,
    unit: &'a str,
    composite: Number,
    dimensions: Scores<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dimension_ranks: Option<DimensionRanks<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dimension_changes: Option<DimensionChanges<'a>>,
    change: Number,
    pct_change: Number,
    rank_change: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indicators: Option<IndicatorCells<'a>>,
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
