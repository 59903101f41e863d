//! One matrix's AHP result as `kmgov ahp` writes it: a table for people,
//! tidy CSV and JSON for scripts.

use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{CellAlignment, ContentArrangement, Table};
use serde_json::{Map, Value, json};

use super::{Ahp, JudgementMatrix};
use crate::export::{fixed, push_field};

/// The CSV header: one row per item, the matrix's figures repeated on each
/// so that the file is one table.
pub const CSV_HEADER: &str = "label,weight,lambda_max,ci,ri,cr,consistent,method,ri_table";

/// The result as JSON: `labels`, `weights` (label → weight), `lambda_max`,
/// `ci`, `ri`, `cr`, `consistent`, `method`, `ri_table`, then `n` and
/// `revise` (null when consistent).
pub fn json(matrix: &JudgementMatrix, result: &Ahp) -> Value {
    let labels = matrix.label_texts();
    let weights: Map<String, Value> = labels
        .iter()
        .zip(&result.weights)
        .map(|(label, w)| (label.clone(), json!(w)))
        .collect();
    let revise = result.revise.as_ref().map(|r| {
        json!({
            "row": labels[r.row],
            "column": labels[r.column],
            "current": r.current,
            "suggested": r.suggested,
            "saaty": r.saaty,
            "cr_after": r.cr_after,
        })
    });
    json!({
        "labels": labels,
        "weights": weights,
        "lambda_max": result.lambda_max,
        "ci": result.ci,
        "ri": result.ri,
        "cr": result.cr,
        "consistent": result.consistent,
        "method": result.method.name(),
        "ri_table": result.ri_table.name(),
        "n": labels.len(),
        "revise": revise,
    })
}

/// The result as CSV under [`CSV_HEADER`], full precision; a label a
/// spreadsheet would run as a formula gets a `'` before it, as in every
/// CSV kmgov writes.
pub fn csv(matrix: &JudgementMatrix, result: &Ahp) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for (label, w) in matrix.label_texts().iter().zip(&result.weights) {
        push_field(&mut out, label, false);
        for x in [*w, result.lambda_max, result.ci, result.ri, result.cr] {
            out.push(',');
            out.push_str(&number(x));
        }
        out.push_str(&format!(
            ",{},{},{}\n",
            result.consistent,
            result.method.name(),
            result.ri_table.name()
        ));
    }
    out
}

/// A number in full precision, as kmgov's CSV writes numbers: plain from
/// 1e-7 to 1e21, exponent form outside, `0` for either zero.
fn number(x: f64) -> String {
    if x == 0.0 {
        "0".to_string()
    } else if (1e-7..1e21).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// The result as a table: each item's weight (4 decimals) and share, then
/// λmax, CI, RI, CR and the verdict, as SPSSAU's AHP tool lays them out.
pub fn table(matrix: &JudgementMatrix, result: &Ahp, title: &str, ascii: bool) -> String {
    let mut weights = Table::new();
    weights
        .load_style(if ascii {
            ASCII_FULL_CONDENSED
        } else {
            UTF8_FULL_CONDENSED
        })
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec!["item", "weight", "%"]);
    for (label, w) in matrix.label_texts().iter().zip(&result.weights) {
        weights.add_row(vec![
            crate::export::text::terminal_safe(label).into_owned(),
            fixed(*w, 4),
            fixed(100.0 * w, 2),
        ]);
    }
    for column in 1..=2 {
        if let Some(column) = weights.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let verdict = if result.consistent {
        "consistent (CR < 0.10)"
    } else {
        "NOT consistent (CR ≥ 0.10)"
    };
    format!(
        "{title}\n{weights}\nλmax = {}, CI = {}, RI = {}, CR = {}: {verdict}\n",
        fixed(result.lambda_max, 4),
        fixed(result.ci, 4),
        fixed(result.ri, 2),
        fixed(result.cr, 4),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Method, RiTable, ahp};
    use super::*;

    fn sample() -> (JudgementMatrix, Ahp) {
        let m = super::super::parse_matrix(",a,=b\na,1,2\n=b,1/2,1\n", "m.csv").unwrap();
        let result = ahp(&m, Method::Eigen, RiTable::Saaty).unwrap();
        (m, result)
    }

    #[test]
    fn json_has_the_keys_in_order() {
        let (m, result) = sample();
        let value = json(&m, &result);
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "labels",
                "weights",
                "lambda_max",
                "ci",
                "ri",
                "cr",
                "consistent",
                "method",
                "ri_table",
                "n",
                "revise"
            ]
        );
        assert_eq!(value["weights"]["=b"], json!(1.0 / 3.0));
        assert_eq!(value["consistent"], json!(true));
        assert_eq!(value["revise"], Value::Null);
    }

    #[test]
    fn csv_is_one_tidy_table() {
        let (m, result) = sample();
        let text = csv(&m, &result);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert!(
            lines[1].starts_with("a,0.6666666666666666,2,0,0,0,true,eigen,saaty"),
            "{}",
            lines[1]
        );
        // A label that is a formula is kept from running.
        assert!(
            lines[2].starts_with("'=b,0.3333333333333333,"),
            "{}",
            lines[2]
        );
        assert_eq!(number(1e-300), "1e-300");
    }

    #[test]
    fn the_table_gives_the_verdict() {
        let (m, result) = sample();
        let text = table(&m, &result, "AHP", true);
        assert!(text.contains("0.6667") && text.contains("66.67"), "{text}");
        assert!(
            text.contains("CR = 0.0000: consistent (CR < 0.10)"),
            "{text}"
        );
    }
}
