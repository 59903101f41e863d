//! Invariants of indices with groups below the dimensions: a tree whose
//! groups each hold one child scores as the flat definition does; equal
//! weights over equal-size groups give the plain mean; the effective weights
//! of a row still sum to 1.

use std::io::Cursor;

use kmgov::data::{self, ReadOptions};
use kmgov::pipeline;
use kmgov::report::{Detail, Report};
use kmgov::{Definition, Scores};
use proptest::prelude::*;

fn score(text: &str, csv: &str) -> Scores {
    let definition =
        Definition::from_toml(text, "p.toml").expect("generated definitions are valid");
    let panel = data::read_from(
        Box::new(Cursor::new(csv.as_bytes().to_vec())),
        "p.csv",
        &definition,
        ReadOptions::default(),
    )
    .expect("generated data read");
    // Raw values kept, for the indicator detail.
    let options = pipeline::ScoreOptions { keep_raw: true };
    pipeline::score_with(&definition, panel, options).expect("generated data score")
}

fn header(aggregate: &str, missing: &str) -> String {
    format!(
        "[index]\nname='P'\n[method]\nnormalize='none'\ntotal='mean'\naggregate='{aggregate}'\nmissing='{missing}'\n"
    )
}

/// `values[unit][indicator]`, `None` for a blank cell.
fn csv(columns: usize, values: &[Vec<Option<f64>>]) -> String {
    let mut text = String::from("unit,period");
    for i in 0..columns {
        text.push_str(&format!(",x{i}"));
    }
    text.push('\n');
    for (u, row) in values.iter().enumerate() {
        text.push_str(&format!("u{u},2019"));
        for cell in row {
            text.push(',');
            if let Some(x) = cell {
                text.push_str(&x.to_string());
            }
        }
        text.push('\n');
    }
    text
}

fn close(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Dimensions as lists of indicator weights; a value per unit and indicator.
fn panel() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<Vec<Option<f64>>>)> {
    prop::collection::vec(prop::collection::vec(1u32..10, 1..4), 1..4).prop_flat_map(|dims| {
        let weights: Vec<Vec<f64>> = dims
            .iter()
            .map(|d| d.iter().map(|&w| f64::from(w)).collect())
            .collect();
        let columns: usize = dims.iter().map(Vec::len).sum();
        let cell =
            prop_oneof![1 => Just(None), 6 => (1u32..1000).prop_map(|v| Some(f64::from(v) / 10.0))];
        (
            Just(weights),
            prop::collection::vec(prop::collection::vec(cell, columns), 1..6),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Each indicator in a group of its own, the group carrying the
    /// indicator's weight: the same scores as the flat definition, for every
    /// aggregator, with blanks skipped.
    #[test]
    fn single_child_groups_score_as_the_flat_definition(
        (weights, values) in panel(),
        aggregate in prop::sample::select(vec!["arithmetic", "geometric", "harmonic"]),
    ) {
        let mut flat = header(aggregate, "skip");
        let mut nested = flat.clone();
        let mut column = 0;
        for (d, dimension) in weights.iter().enumerate() {
            flat.push_str(&format!("[[dimension]]\nid='d{d}'\n"));
            nested.push_str(&format!("[[dimension]]\nid='d{d}'\n"));
            for w in dimension {
                flat.push_str(&format!("[[dimension.indicator]]\nid='x{column}'\nweight={w}\n"));
                nested.push_str(&format!(
                    "[[dimension.group]]\nid='g{column}'\nweight={w}\n[[dimension.group.indicator]]\nid='x{column}'\n"
                ));
                column += 1;
            }
        }
        let data = csv(column, &values);
        let (a, b) = (score(&flat, &data), score(&nested, &data));
        for row in 0..values.len() {
            prop_assert!(close(a.composite[row], b.composite[row]), "{} vs {}", a.composite[row], b.composite[row]);
            for d in 0..weights.len() {
                prop_assert!(close(a.dimension_scores[d][row], b.dimension_scores[d][row]));
            }
        }
        prop_assert_eq!(a.ranks, b.ranks);
    }

    /// Equal weights, arithmetic, every dimension with the same number of
    /// groups and every group with the same number of indicators: the
    /// composite is the plain mean of all the indicators.
    #[test]
    fn equal_nested_arithmetic_is_the_flat_mean(
        dimensions in 1usize..4,
        groups in 1usize..4,
        per_group in 1usize..4,
        values in prop::collection::vec(prop::collection::vec(0u32..1000, 27), 1..5),
    ) {
        let mut text = header("arithmetic", "error");
        let mut column = 0;
        for d in 0..dimensions {
            text.push_str(&format!("[[dimension]]\nid='d{d}'\n"));
            for g in 0..groups {
                text.push_str(&format!("[[dimension.group]]\nid='g{d}_{g}'\n"));
                for _ in 0..per_group {
                    text.push_str(&format!("[[dimension.group.indicator]]\nid='x{column}'\n"));
                    column += 1;
                }
            }
        }
        let rows: Vec<Vec<Option<f64>>> = values
            .iter()
            .map(|row| row[..column].iter().map(|&v| Some(f64::from(v))).collect())
            .collect();
        let scores = score(&text, &csv(column, &rows));
        for (row, cells) in rows.iter().enumerate() {
            let mean = cells.iter().flatten().sum::<f64>() / column as f64;
            prop_assert!(close(scores.composite[row], mean), "{} vs {mean}", scores.composite[row]);
        }
    }

    /// With blanks skipped at every level, each row's effective indicator
    /// weights still sum to 1, and with arithmetic aggregation they
    /// reproduce the composite.
    #[test]
    fn effective_weights_of_a_tree_sum_to_one_and_rebuild_the_composite(
        (weights, values) in panel(),
    ) {
        let mut text = header("arithmetic", "skip");
        let mut column = 0;
        for (d, dimension) in weights.iter().enumerate() {
            text.push_str(&format!("[[dimension]]\nid='d{d}'\n[[dimension.group]]\nid='a{d}'\nweight=2\n"));
            for (i, w) in dimension.iter().enumerate() {
                if i == 1 {
                    text.push_str(&format!("[[dimension.group]]\nid='b{d}'\n"));
                }
                text.push_str(&format!("[[dimension.group.indicator]]\nid='x{column}'\nweight={w}\n"));
                column += 1;
            }
        }
        // A dimension whose second group got no indicator is not a valid tree.
        prop_assume!(weights.iter().all(|d| d.len() != 1));
        let definition = Definition::from_toml(&text, "p.toml").unwrap();
        let scores = score(&text, &csv(column, &values));
        let report = Report::build_with(&definition, &scores, Detail { indicators: true, ..Detail::default() });
        for unit in &report.periods[0].units {
            let Some(composite) = unit.composite else { continue };
            let cells = unit.indicator_cells();
            let sum: f64 = cells.iter().map(|c| c.weight).sum();
            prop_assert!(close(sum, 1.0), "weights sum to {sum}");
            let rebuilt: f64 = cells.iter().filter_map(|c| c.score.map(|s| s * c.weight)).sum();
            prop_assert!(close(rebuilt, composite), "{rebuilt} vs {composite}");
        }
    }
}
