//! JSON at full precision, in the shape of DESIGN.md §4; absent values are null.
//!
//! The document is a set of views that borrow the report and serialize
//! straight into the output, so a million rows are never held a second time
//! as a JSON tree. A new report field is a new field of a view.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::Exporter;
use crate::definition::{Aggregate, Missing, Normalize, Scope, Total};
use crate::report::{DimensionInfo, PeriodReport, Report, UnitRow};

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
    index: &'a str,
    label: &'a str,
    method: MethodView<'a>,
    periods: Periods<'a>,
}

impl<'a> Document<'a> {
    fn of(report: &'a Report) -> Self {
        Document {
            index: &report.name,
            label: &report.title,
            method: MethodView {
                normalize: report.method.normalize,
                scope: report.method.scope,
                aggregate: report.method.aggregate,
                missing: report.method.missing,
                total: report.method.total,
                normalize_overrides: (!report.overrides.is_empty())
                    .then_some(Overrides(&report.overrides)),
                dimension_weights: Weights(&report.dimensions),
            },
            periods: Periods(report),
        }
    }
}

#[derive(Serialize)]
struct MethodView<'a> {
    normalize: Normalize,
    scope: Scope,
    aggregate: Aggregate,
    missing: Missing,
    total: Total,
    #[serde(skip_serializing_if = "Option::is_none")]
    normalize_overrides: Option<Overrides<'a>>,
    dimension_weights: Weights<'a>,
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
        serializer.collect_seq(self.0.periods.iter().map(|period| PeriodView {
            period: &period.period,
            total: Number(period.total),
            total_change: Number(period.total_change),
            total_pct_change: Number(period.total_pct_change),
            units: Units { dimensions, period },
        }))
    }
}

#[derive(Serialize)]
struct PeriodView<'a> {
    period: &'a str,
    total: Number,
    total_change: Number,
    total_pct_change: Number,
    units: Units<'a>,
}

struct Units<'a> {
    dimensions: &'a [DimensionInfo],
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
            change: Number(unit.change),
            pct_change: Number(unit.pct_change),
            rank_change: unit.rank_change,
        }))
    }
}

#[derive(Serialize)]
struct UnitView<'a> {
    rank: Option<u32>,
    unit: &'a str,
    composite: Number,
    dimensions: Scores<'a>,
    change: Number,
    pct_change: Number,
    rank_change: Option<i64>,
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
