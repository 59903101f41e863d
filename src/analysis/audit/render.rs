//! The audit as a table, CSV or JSON.

use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{CellAlignment, Table};
use serde_json::{Value, json};

use super::{Audit, Coupling};
use crate::export::{fixed, push_field};

/// A number for JSON: null when not finite.
fn number(x: f64) -> Value {
    if x.is_finite() {
        json!(x + 0.0)
    } else {
        Value::Null
    }
}

/// A number for text: 3 decimals, `–` when not finite.
fn shown(x: f64) -> String {
    if x.is_finite() {
        fixed(x, 3)
    } else {
        "–".into()
    }
}

fn coupling_json(c: &Coupling) -> Value {
    json!({"unit": c.unit, "C": number(c.c), "T": number(c.t), "D": number(c.d), "level": c.level})
}

/// `{"indicators", "correlations", "collinear", "dimensions", "coupling"}`.
pub fn json(audit: &Audit) -> Value {
    let indicators: Vec<Value> = audit
        .indicators
        .iter()
        .map(|i| {
            let m = &i.moments;
            let treatment = i.treatment.as_ref().map(|t| {
                json!({
                    "method": t.method, "winsorised": t.winsorised,
                    "skewness": number(t.skewness), "kurtosis": number(t.kurtosis),
                    "cleared": t.cleared,
                    "changes": t.changes.iter().map(|c| json!({"unit": c.unit, "old": number(c.old), "new": number(c.new)})).collect::<Vec<_>>(),
                })
            });
            json!({
                "id": i.id, "dimension": i.dimension, "n": m.n, "missing": i.missing,
                "mean": number(m.mean), "sd": number(m.sd), "min": number(m.min), "max": number(m.max),
                "skewness": number(m.skewness), "kurtosis": number(m.kurtosis),
                "outlier": i.outlier, "treatment": treatment,
            })
        })
        .collect();
    let correlations: Vec<Value> = audit
        .correlations
        .iter()
        .map(|c| {
            json!({
                "indicator": c.indicator, "dimension": c.dimension,
                "pearson_dimension": number(c.pearson_dimension),
                "spearman_dimension": number(c.spearman_dimension),
                "pearson_composite": number(c.pearson_composite),
                "spearman_composite": number(c.spearman_composite),
                "negative": c.negative,
            })
        })
        .collect();
    let coupling = audit.coupling.as_ref().map(|c| {
        let mut value = coupling_json(c);
        value["units"] = Value::Array(audit.unit_coupling.iter().map(coupling_json).collect());
        value
    });
    json!({
        "kmgov_version": env!("CARGO_PKG_VERSION"),
        "period": audit.period,
        "units": audit.units,
        "indicators": indicators,
        "correlations": correlations,
        "collinear": audit.collinear.iter().map(|p| json!({"a": p.a, "b": p.b, "r": number(p.r)})).collect::<Vec<_>>(),
        "dimensions": audit.dimensions.iter().map(|d| json!({"id": d.id, "cronbach_alpha": number(d.cronbach_alpha), "pc1_share": number(d.pc1_share)})).collect::<Vec<_>>(),
        "coupling": coupling,
    })
}

/// One row per indicator: its distribution and correlations.
pub fn csv(audit: &Audit, raw: bool) -> String {
    let mut out = String::from(
        "period,indicator,dimension,n,missing,mean,sd,min,max,skewness,kurtosis,outlier,pearson_dimension,spearman_dimension,pearson_composite,spearman_composite\n",
    );
    let cell = |x: f64| {
        if x.is_finite() {
            (x + 0.0).to_string()
        } else {
            String::new()
        }
    };
    for (i, c) in audit.indicators.iter().zip(&audit.correlations) {
        let m = &i.moments;
        push_field(&mut out, &audit.period, raw);
        out.push(',');
        push_field(&mut out, &i.id, raw);
        out.push(',');
        push_field(&mut out, &i.dimension, raw);
        let numbers = [
            m.n.to_string(),
            i.missing.to_string(),
            cell(m.mean),
            cell(m.sd),
            cell(m.min),
            cell(m.max),
            cell(m.skewness),
            cell(m.kurtosis),
            i.outlier.to_string(),
            cell(c.pearson_dimension),
            cell(c.spearman_dimension),
            cell(c.pearson_composite),
            cell(c.spearman_composite),
        ];
        for field in numbers {
            out.push(',');
            out.push_str(&field);
        }
        out.push('\n');
    }
    out
}

fn table(ascii: bool, header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_style(if ascii {
        ASCII_FULL_CONDENSED
    } else {
        UTF8_FULL_CONDENSED
    });
    table.set_header(header.to_vec());
    table
}

fn right(table: &mut Table, from: usize) {
    let columns = table.column_count();
    for c in from..columns {
        if let Some(column) = table.column_mut(c) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// The audit for a person: distributions, correlations, dimensions, coupling.
pub fn text(audit: &Audit, title: &str, ascii: bool) -> String {
    let mut out = format!(
        "{title} — statistical audit, {} ({} units)\n",
        audit.period, audit.units
    );
    let mut t = table(
        ascii,
        &[
            "indicator",
            "dimension",
            "n",
            "missing",
            "mean",
            "sd",
            "min",
            "max",
            "skew",
            "kurt",
            "flag",
            "r dim",
            "ρ dim",
            "r comp",
        ],
    );
    for (i, c) in audit.indicators.iter().zip(&audit.correlations) {
        let m = &i.moments;
        let mut flags = Vec::new();
        if i.outlier {
            flags.push("outlier");
        }
        if c.negative {
            flags.push("negative r");
        }
        t.add_row(vec![
            crate::export::text::terminal_safe(&i.id).into_owned(),
            i.dimension.clone(),
            m.n.to_string(),
            i.missing.to_string(),
            shown(m.mean),
            shown(m.sd),
            shown(m.min),
            shown(m.max),
            shown(m.skewness),
            shown(m.kurtosis),
            flags.join(", "),
            shown(c.pearson_dimension),
            shown(c.spearman_dimension),
            shown(c.pearson_composite),
        ]);
    }
    right(&mut t, 2);
    out.push_str(&format!("{t}\n"));
    for i in audit
        .indicators
        .iter()
        .filter_map(|i| i.treatment.as_ref().map(|t| (i, t)))
    {
        let (indicator, t) = i;
        out.push_str(&format!(
            "treatment of `{}`: {}{} → skewness {}, kurtosis {}{}; {} cell(s) change: {}\n",
            indicator.id,
            t.method,
            if t.winsorised > 0 {
                format!(" ({} value(s))", t.winsorised)
            } else {
                String::new()
            },
            shown(t.skewness),
            shown(t.kurtosis),
            if t.cleared {
                ", flag cleared"
            } else {
                ", still flagged"
            },
            t.changes.len(),
            t.changes
                .iter()
                .take(5)
                .map(|c| format!("{} {} → {}", c.unit, shown(c.old), shown(c.new)))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    for pair in &audit.collinear {
        out.push_str(&format!(
            "collinear: `{}` and `{}`, r = {}\n",
            pair.a,
            pair.b,
            shown(pair.r)
        ));
    }
    let mut d = table(ascii, &["dimension", "Cronbach's α", "PC1 share"]);
    for dimension in &audit.dimensions {
        d.add_row(vec![
            dimension.id.clone(),
            shown(dimension.cronbach_alpha),
            shown(dimension.pc1_share),
        ]);
    }
    right(&mut d, 1);
    out.push_str(&format!("{d}\n"));
    if let Some(c) = &audit.coupling {
        out.push_str(&format!(
            "coupling coordination of the dimensions (total): C = {}, T = {}, D = {}: {}\n",
            shown(c.c),
            shown(c.t),
            shown(c.d),
            c.level
        ));
    }
    out
}
