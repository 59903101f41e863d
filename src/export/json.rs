//! JSON at full precision, in the shape of DESIGN.md §4; absent values are null.

use serde_json::{Map, Value, json};

use super::Exporter;
use crate::report::Report;

/// Renders JSON: every setting that shaped the numbers, then the periods.
pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn render(&self, report: &Report) -> Vec<u8> {
        let mut method = Map::new();
        method.insert("normalize".into(), json!(report.method.normalize));
        method.insert("scope".into(), json!(report.method.scope));
        method.insert("aggregate".into(), json!(report.method.aggregate));
        method.insert("missing".into(), json!(report.method.missing));
        method.insert("total".into(), json!(report.method.total));
        if !report.overrides.is_empty() {
            let overrides: Map<String, Value> = report
                .overrides
                .iter()
                .map(|(id, normalize)| (id.clone(), json!(normalize)))
                .collect();
            method.insert("normalize_overrides".into(), Value::Object(overrides));
        }
        let weights: Map<String, Value> = report
            .dimensions
            .iter()
            .map(|d| (d.id.clone(), number(Some(d.weight))))
            .collect();
        method.insert("dimension_weights".into(), Value::Object(weights));

        let periods: Vec<Value> = report
            .periods
            .iter()
            .map(|period| {
                let units: Vec<Value> = period
                    .units
                    .iter()
                    .map(|unit| {
                        let dimensions: Map<String, Value> = report
                            .dimensions
                            .iter()
                            .zip(&unit.dimensions)
                            .map(|(d, score)| (d.id.clone(), number(*score)))
                            .collect();
                        json!({
                            "rank": unit.rank,
                            "unit": &*unit.unit,
                            "composite": number(unit.composite),
                            "dimensions": dimensions,
                            "change": number(unit.change),
                            "pct_change": number(unit.pct_change),
                            "rank_change": unit.rank_change,
                        })
                    })
                    .collect();
                json!({
                    "period": period.period,
                    "total": number(period.total),
                    "total_change": number(period.total_change),
                    "total_pct_change": number(period.total_pct_change),
                    "units": units,
                })
            })
            .collect();

        let document = json!({
            "index": report.name,
            "label": report.title,
            "method": method,
            "periods": periods,
        });
        let mut bytes = serde_json::to_vec_pretty(&document).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// A finite number, or null.
fn number(value: Option<f64>) -> Value {
    value
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}
