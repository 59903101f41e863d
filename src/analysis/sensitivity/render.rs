//! An [`Analysis`] as a terminal table, CSV or JSON.
//!
//! The table shows the units by nominal rank, then the inputs' indices.
//! CSV is one table per file: the units (`unit,nominal_rank,median_rank,
//! p05,p95,mean_abs_shift`), or the indices
//! (`input,first_order,total,first_order_lo,first_order_hi,total_lo,total_hi`).
//! JSON is `{"runs", "seed", "units": [...], "indices": [...]}` with the
//! keys docs/METHODOLOGY.md lists. A number that cannot be had (an index
//! of an output that never varies, a rank of a unit without a composite) is
//! `–` in the table, empty in CSV and null in JSON.

use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{CellAlignment, Table};
use serde::Serialize;

use super::Analysis;
use crate::export::text::{NAME_WIDTH, TITLE_WIDTH, fit};
use crate::export::{NO_VALUE, fixed, push_field};

/// How the table looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableStyle {
    /// Plain ASCII borders and marks.
    pub ascii: bool,
    /// Digits of the mean shift.
    pub decimals: usize,
}

/// The units table, then the indices table, each under a title line.
pub fn table(analysis: &Analysis, title: &str, unit_heading: &str, style: TableStyle) -> String {
    let (ellipsis, dash, none, plus_minus) = if style.ascii {
        ("...", "-", "n/a", "+/-")
    } else {
        ("…", "—", NO_VALUE, "±")
    };
    let rank = |r: Option<u32>| r.map_or_else(|| none.to_string(), |r| r.to_string());
    let number = |x: Option<f64>, decimals| match x {
        Some(x) if x.is_finite() => fixed(x, decimals),
        _ => none.to_string(),
    };
    let mut out = String::new();
    for period in &analysis.periods {
        out.push_str(&format!(
            "{} {dash} {}: ranks over {} runs (seed {}, weights {plus_minus}{} %{})\n",
            fit(title, TITLE_WIDTH, ellipsis),
            fit(period, NAME_WIDTH, ellipsis),
            analysis.runs,
            analysis.seed,
            fixed(analysis.weights * 100.0, 0),
            varied(analysis)
        ));
        let mut units = new_table(style.ascii);
        units.set_header(vec![
            "rank".to_string(),
            fit(unit_heading, NAME_WIDTH, ellipsis),
            "median".into(),
            "p05".into(),
            "p95".into(),
            "mean |shift|".into(),
        ]);
        for unit in analysis.units.iter().filter(|u| u.period == *period) {
            units.add_row(vec![
                rank(unit.nominal_rank),
                fit(&unit.unit, NAME_WIDTH, ellipsis),
                rank(unit.median_rank),
                rank(unit.p05),
                rank(unit.p95),
                number(unit.mean_abs_shift, style.decimals),
            ]);
        }
        align_right(&mut units, &[0, 2, 3, 4, 5]);
        out.push_str(&format!("{units}\n"));
    }
    if !analysis.indices.is_empty() {
        out.push_str(&format!(
            "\nSensitivity of the mean absolute rank shift: {} model runs, {} % bootstrap intervals\n",
            analysis.evaluations,
            fixed(super::sobol::LEVEL * 100.0, 0)
        ));
        let mut indices = new_table(style.ascii);
        indices.set_header(vec![
            "input",
            "first order",
            "interval",
            "total",
            "interval",
        ]);
        let interval = |ci: [f64; 2]| {
            if ci.iter().all(|x| x.is_finite()) {
                format!("{} to {}", fixed(ci[0], 3), fixed(ci[1], 3))
            } else {
                none.to_string()
            }
        };
        for input in &analysis.indices {
            let i = &input.indices;
            indices.add_row(vec![
                fit(&input.input, NAME_WIDTH + 14, ellipsis),
                number(Some(i.first_order), 3),
                interval(i.first_order_ci),
                number(Some(i.total), 3),
                interval(i.total_ci),
            ]);
        }
        align_right(&mut indices, &[1, 2, 3, 4]);
        out.push_str(&format!("{indices}\n"));
    }
    out
}

/// `, varying normalize and aggregate` for the method inputs, if any.
fn varied(analysis: &Analysis) -> String {
    let methods: Vec<&str> = analysis
        .indices
        .iter()
        .map(|i| i.input.as_str())
        .filter(|name| !name.contains("weights"))
        .collect();
    if methods.is_empty() {
        String::new()
    } else {
        format!(", varying {}", methods.join(", "))
    }
}

fn new_table(ascii: bool) -> Table {
    let mut table = Table::new();
    table.load_style(if ascii {
        ASCII_FULL_CONDENSED
    } else {
        UTF8_FULL_CONDENSED
    });
    table
}

fn align_right(table: &mut Table, columns: &[usize]) {
    for &index in columns {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// The units as CSV: `unit,nominal_rank,median_rank,p05,p95,mean_abs_shift`;
/// with several periods a `period` column comes first. `raw` writes names
/// exactly as read (see [`push_field`]).
pub fn units_csv(analysis: &Analysis, raw: bool) -> String {
    let periods = analysis.periods.len() > 1;
    let mut out = String::new();
    if periods {
        out.push_str("period,");
    }
    out.push_str("unit,nominal_rank,median_rank,p05,p95,mean_abs_shift\n");
    for unit in &analysis.units {
        if periods {
            push_field(&mut out, &unit.period, raw);
            out.push(',');
        }
        push_field(&mut out, &unit.unit, raw);
        for rank in [unit.nominal_rank, unit.median_rank, unit.p05, unit.p95] {
            out.push(',');
            if let Some(rank) = rank {
                out.push_str(&rank.to_string());
            }
        }
        push_number(&mut out, unit.mean_abs_shift);
        out.push('\n');
    }
    out
}

/// The indices as CSV:
/// `input,first_order,total,first_order_lo,first_order_hi,total_lo,total_hi`.
pub fn indices_csv(analysis: &Analysis, raw: bool) -> String {
    let mut out =
        String::from("input,first_order,total,first_order_lo,first_order_hi,total_lo,total_hi\n");
    for input in &analysis.indices {
        let i = &input.indices;
        push_field(&mut out, &input.input, raw);
        for x in [
            i.first_order,
            i.total,
            i.first_order_ci[0],
            i.first_order_ci[1],
            i.total_ci[0],
            i.total_ci[1],
        ] {
            push_number(&mut out, Some(x));
        }
        out.push('\n');
    }
    out
}

/// `,` and the number at full precision; nothing when it is not finite.
fn push_number(out: &mut String, x: Option<f64>) {
    out.push(',');
    if let Some(x) = x.filter(|x| x.is_finite()) {
        out.push_str(&x.to_string());
    }
}

#[derive(Serialize)]
struct Document<'a> {
    runs: usize,
    seed: u64,
    units: Vec<UnitView<'a>>,
    indices: Vec<IndexView<'a>>,
}

#[derive(Serialize)]
struct UnitView<'a> {
    unit: &'a str,
    nominal_rank: Option<u32>,
    median_rank: Option<u32>,
    p05: Option<u32>,
    p95: Option<u32>,
    mean_abs_shift: Option<f64>,
}

#[derive(Serialize)]
struct IndexView<'a> {
    input: &'a str,
    first_order: Option<f64>,
    total: Option<f64>,
    first_order_ci: [Option<f64>; 2],
    total_ci: [Option<f64>; 2],
}

/// The analysis as JSON, pretty-printed, ending in a newline.
pub fn json(analysis: &Analysis) -> String {
    let finite = |x: f64| x.is_finite().then_some(x);
    let document = Document {
        runs: analysis.runs,
        seed: analysis.seed,
        units: analysis
            .units
            .iter()
            .map(|u| UnitView {
                unit: &u.unit,
                nominal_rank: u.nominal_rank,
                median_rank: u.median_rank,
                p05: u.p05,
                p95: u.p95,
                mean_abs_shift: u.mean_abs_shift.and_then(finite),
            })
            .collect(),
        indices: analysis
            .indices
            .iter()
            .map(|input| {
                let i = &input.indices;
                IndexView {
                    input: &input.input,
                    first_order: finite(i.first_order),
                    total: finite(i.total),
                    first_order_ci: i.first_order_ci.map(finite),
                    total_ci: i.total_ci.map(finite),
                }
            })
            .collect(),
    };
    // Plain data, no map with non-text keys: serializing cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::super::sobol::Indices;
    use super::super::{InputResult, UnitResult};
    use super::*;

    fn analysis() -> Analysis {
        Analysis {
            runs: 10,
            seed: 1,
            weights: 0.25,
            periods: vec!["2019".into()],
            evaluations: 30,
            units: vec![
                UnitResult {
                    unit: "=A".into(),
                    period: "2019".into(),
                    nominal_rank: Some(1),
                    median_rank: Some(1),
                    p05: Some(1),
                    p95: Some(2),
                    mean_abs_shift: Some(0.3),
                },
                UnitResult {
                    unit: "B".into(),
                    period: "2019".into(),
                    nominal_rank: None,
                    median_rank: None,
                    p05: None,
                    p95: None,
                    mean_abs_shift: None,
                },
            ],
            indices: vec![InputResult {
                input: "normalize".into(),
                indices: Indices {
                    first_order: 0.5,
                    total: f64::NAN,
                    first_order_ci: [0.25, 0.75],
                    total_ci: [f64::NAN, f64::NAN],
                },
            }],
            notes: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn json_has_exactly_the_documented_keys_and_null_for_no_number() {
        let value: serde_json::Value = serde_json::from_str(&json(&analysis())).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["runs", "seed", "units", "indices"]);
        let unit: Vec<&String> = value["units"][0].as_object().unwrap().keys().collect();
        assert_eq!(
            unit,
            [
                "unit",
                "nominal_rank",
                "median_rank",
                "p05",
                "p95",
                "mean_abs_shift"
            ]
        );
        let index: Vec<&String> = value["indices"][0].as_object().unwrap().keys().collect();
        assert_eq!(
            index,
            [
                "input",
                "first_order",
                "total",
                "first_order_ci",
                "total_ci"
            ]
        );
        assert_eq!(value["indices"][0]["total"], serde_json::Value::Null);
        assert_eq!(
            value["indices"][0]["first_order_ci"],
            serde_json::json!([0.25, 0.75])
        );
        assert_eq!(value["units"][1]["p05"], serde_json::Value::Null);
    }

    #[test]
    fn csv_guards_formulas_and_leaves_no_number_empty() {
        let units = units_csv(&analysis(), false);
        assert_eq!(
            units,
            "unit,nominal_rank,median_rank,p05,p95,mean_abs_shift\n'=A,1,1,1,2,0.3\nB,,,,,\n"
        );
        assert!(units_csv(&analysis(), true).contains("\n=A,"));
        assert_eq!(
            indices_csv(&analysis(), false),
            "input,first_order,total,first_order_lo,first_order_hi,total_lo,total_hi\nnormalize,0.5,,0.25,0.75,,\n"
        );
    }

    #[test]
    fn the_table_marks_what_cannot_be_had() {
        let text = table(
            &analysis(),
            "T",
            "district",
            TableStyle {
                ascii: true,
                decimals: 2,
            },
        );
        assert!(
            text.starts_with(
                "T - 2019: ranks over 10 runs (seed 1, weights +/-25 %, varying normalize)\n"
            ),
            "{text}"
        );
        assert!(text.contains("| B "), "{text}");
        assert!(text.contains("n/a"), "{text}");
        assert!(text.contains("0.250 to 0.750"), "{text}");
    }
}
