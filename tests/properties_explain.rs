//! `kmgov explain` over random trees, weights, aggregators and data: the
//! parts of a change add up exactly (to 1e-9) to the change at every node,
//! contributions add up to the composite, obstacle degrees to 100 %, and
//! own change + others moved is the whole part.

use std::io::Cursor;

use kmgov::Definition;
use kmgov::analysis::explain::{Explanation, Request, Target, explain_scores};
use kmgov::data::{self, ReadOptions};
use kmgov::pipeline::{self, ScoreOptions};
use proptest::prelude::*;

const AGGREGATES: [&str; 3] = ["arithmetic", "geometric", "harmonic"];

/// A node of the generated tree below a dimension.
#[derive(Debug, Clone)]
enum Shape {
    /// Indicator weights.
    Indicators(Vec<u32>),
    /// Groups: weight, aggregator (index into AGGREGATES, 3 for none), indicator weights.
    Groups(Vec<(u32, usize, Vec<u32>)>),
}

/// Dimensions: weight, own aggregator (3 for none), shape.
type Tree = Vec<(u32, usize, Shape)>;

fn weights() -> impl Strategy<Value = Vec<u32>> {
    // A zero weight now and then; the first keeps every sibling group from
    // summing to zero.
    prop::collection::vec(prop_oneof![1 => Just(0u32), 6 => 1u32..9], 1..4).prop_map(|mut w| {
        w[0] = w[0].max(1);
        w
    })
}

fn tree() -> impl Strategy<Value = Tree> {
    let shape = prop_oneof![
        weights().prop_map(Shape::Indicators),
        prop::collection::vec((1u32..5, 0usize..4, weights()), 1..3).prop_map(Shape::Groups),
    ];
    prop::collection::vec((1u32..5, 0usize..4, shape), 1..4)
}

fn aggregate_line(own: usize) -> String {
    AGGREGATES
        .get(own)
        .map_or(String::new(), |a| format!("aggregate = '{a}'\n"))
}

/// The definition's text, and how many indicators it has.
fn definition(tree: &Tree, method: &str) -> (String, usize) {
    let mut text = format!("[index]\nname='P'\n[data]\npopulation='pop'\n[method]\n{method}\n");
    let mut column = 0;
    for (d, (weight, own, shape)) in tree.iter().enumerate() {
        text.push_str(&format!(
            "[[dimension]]\nid='d{d}'\nweight={weight}\n{}",
            aggregate_line(*own)
        ));
        match shape {
            Shape::Indicators(ws) => {
                for w in ws {
                    text.push_str(&format!(
                        "[[dimension.indicator]]\nid='x{column}'\nweight={w}\n"
                    ));
                    column += 1;
                }
            }
            Shape::Groups(groups) => {
                for (g, (weight, own, ws)) in groups.iter().enumerate() {
                    text.push_str(&format!(
                        "[[dimension.group]]\nid='g{d}_{g}'\nweight={weight}\n{}",
                        aggregate_line(*own)
                    ));
                    for w in ws {
                        text.push_str(&format!(
                            "[[dimension.group.indicator]]\nid='x{column}'\nweight={w}\n"
                        ));
                        column += 1;
                    }
                }
            }
        }
    }
    (text, column)
}

/// Units × periods of values (`None` blank) and populations.
type Data = Vec<Vec<(u32, Vec<Option<u32>>)>>;

fn data(columns: usize) -> impl Strategy<Value = Data> {
    let cell = prop_oneof![1 => Just(None), 7 => (1u32..1000).prop_map(Some)];
    let row = (1u32..100, prop::collection::vec(cell, columns));
    // Periods × units.
    prop::collection::vec(prop::collection::vec(row, 2..5), 2..4)
}

fn csv(columns: usize, data: &Data) -> String {
    let mut text = String::from("unit,period,pop");
    for i in 0..columns {
        text.push_str(&format!(",x{i}"));
    }
    text.push('\n');
    for (p, units) in data.iter().enumerate() {
        for (u, (pop, cells)) in units.iter().enumerate() {
            text.push_str(&format!("u{u},{},{pop}", 2017 + p));
            for cell in cells {
                text.push(',');
                if let Some(v) = cell {
                    text.push_str(&format!("{}", f64::from(*v) / 10.0));
                }
            }
            text.push('\n');
        }
    }
    text
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Every explanation of the data's latest period: each unit, and the total.
fn explanations(text: &str, csv: &str) -> Vec<Explanation> {
    let definition = Definition::from_toml(text, "p.toml").expect("a valid definition");
    let panel = data::read_from(
        Box::new(Cursor::new(csv.as_bytes().to_vec())),
        "p.csv",
        &definition,
        ReadOptions::default(),
    )
    .expect("readable data");
    let population = panel.population.clone();
    let Ok(scores) = pipeline::score_with(&definition, panel, ScoreOptions { keep_raw: true })
    else {
        return Vec::new();
    };
    let mut targets: Vec<Target> = scores
        .keys
        .units
        .iter()
        .cloned()
        .map(Target::Unit)
        .collect();
    targets.push(Target::Total);
    targets
        .into_iter()
        .filter_map(|target| {
            let request = Request {
                target,
                period: None,
                previous: None,
            };
            explain_scores(&definition, &scores, population.as_deref(), &request).ok()
        })
        .collect()
}

/// The invariants of one explanation.
fn check(e: &Explanation) -> Result<(), TestCaseError> {
    let tree = &e.tree;
    for (at, node) in tree.nodes.iter().enumerate() {
        if node.children.is_empty() {
            continue;
        }
        let line = &e.lines[at];
        let sum = |f: fn(&kmgov::analysis::explain::Line) -> Option<f64>| -> f64 {
            node.children.iter().filter_map(|&c| f(&e.lines[c])).sum()
        };
        if let Some(contribution) = line.contribution {
            let parts = sum(|l| l.contribution);
            prop_assert!(
                close(parts, contribution),
                "{}: contributions {parts} vs {contribution}",
                node.id
            );
        }
        if let Some(part) = line.change_contribution {
            let parts = sum(|l| l.change_contribution);
            prop_assert!(close(parts, part), "{}: parts {parts} vs {part}", node.id);
        }
        if let (Some(own), Some(others)) = (line.own_change, line.others_moved) {
            prop_assert!(close(sum(|l| l.own_change), own), "{}: own", node.id);
            prop_assert!(
                close(sum(|l| l.others_moved), others),
                "{}: others",
                node.id
            );
            // For the total, population shares and units entering or
            // leaving make the rest.
            let whole = own + others + line.composition.unwrap_or(0.0);
            prop_assert!(
                close(whole, line.change_contribution.unwrap()),
                "{}: own + others",
                node.id
            );
        }
    }
    if let Some(change) = e.change() {
        let root = e.lines[0].change_contribution.expect("a change has parts");
        prop_assert!(
            close(root, change),
            "composite part {root} vs change {change}"
        );
        let indicators: f64 = tree
            .indicators
            .iter()
            .filter_map(|&i| e.lines[i].change_contribution)
            .sum();
        prop_assert!(
            close(indicators, change),
            "indicators {indicators} vs change {change}"
        );
    }
    let obstacles: Vec<f64> = tree
        .indicators
        .iter()
        .filter_map(|&i| e.lines[i].obstacle)
        .collect();
    if !obstacles.is_empty() {
        let sum: f64 = obstacles.iter().sum();
        prop_assert!(close(sum, 100.0), "obstacles sum to {sum}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Raw values as scores, every aggregator at every node, blanks
    /// skipped (so the children present change between periods), a
    /// population-weighted total.
    #[test]
    fn parts_add_up_at_every_level(
        (tree, data) in tree().prop_flat_map(|t| {
            let columns = definition(&t, "").1;
            (Just(t), data(columns))
        }),
        aggregate in prop::sample::select(AGGREGATES.to_vec()),
    ) {
        let method = format!("normalize='none'\nmissing='skip'\ntotal='population'\naggregate='{aggregate}'");
        let (text, columns) = definition(&tree, &method);
        for e in explanations(&text, &csv(columns, &data)) {
            check(&e)?;
        }
    }

    /// Efficacy scores (60–100) per period: relative changes, split into own
    /// change and others moved, which add up as the whole does.
    #[test]
    fn own_change_and_others_moved_add_up(
        (tree, data) in tree().prop_flat_map(|t| {
            let columns = definition(&t, "").1;
            (Just(t), data(columns))
        }),
        aggregate in prop::sample::select(AGGREGATES.to_vec()),
        missing in prop::sample::select(vec!["skip", "mean"]),
    ) {
        let method = format!("normalize='efficacy'\nmissing='{missing}'\ntotal='mean'\naggregate='{aggregate}'");
        let (text, columns) = definition(&tree, &method);
        let found = explanations(&text, &csv(columns, &data));
        for e in &found {
            check(e)?;
        }
    }
}

/// With no blank, a two-level arithmetic tree's part of each indicator is
/// its weight times its change, whatever the weights.
#[test]
fn arithmetic_parts_are_weight_times_change() {
    let text = "[index]\nname='P'\n[method]\nnormalize='none'\n[[dimension]]\nid='a'\nweight=2\n[[dimension.indicator]]\nid='x'\nweight=3\n[[dimension.indicator]]\nid='y'\n[[dimension]]\nid='b'\n[[dimension.indicator]]\nid='z'\n";
    let csv = "unit,period,x,y,z\nA,1,10,20,30\nA,2,17,11,45\n";
    let e = explanations(text, csv).remove(0);
    // Global weights: x ⅔·¾ = ½, y ⅔·¼ = ⅙, z ⅓.
    let parts: Vec<f64> = e
        .tree
        .indicators
        .iter()
        .map(|&i| e.lines[i].change_contribution.unwrap())
        .collect();
    let expected = [0.5 * 7.0, -9.0 / 6.0, 15.0 / 3.0];
    for (got, want) in parts.iter().zip(expected) {
        assert!(close(*got, want), "{got} vs {want}");
    }
}

/// A unit name as a spreadsheet may spell it: full-width letters and digits,
/// zero-width spaces, spaces around it.
fn respelt(name: &str, how: u8) -> String {
    match how {
        0 => name
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
            .collect(),
        1 => name.chars().flat_map(|c| [c, '\u{200B}']).collect(),
        _ => format!("  {name} "),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The unit asked for by another spelling of its name is the same unit,
    /// with the same numbers; the data spelt either way, too.
    #[test]
    fn a_unit_spelt_another_way_is_the_same_unit(
        name in "[A-Za-z][A-Za-z0-9]{0,8}",
        how in 0u8..3,
        values in prop::collection::vec(1u32..100, 4),
    ) {
        let text = "[index]\nname='P'\n[method]\nnormalize='none'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\n";
        let data = |unit: &str| format!(
            "unit,period,x,y\n{unit},1,{},{}\n{unit},2,{},{}\nother,1,1,1\n",
            values[0], values[1], values[2], values[3]
        );
        let definition = Definition::from_toml(text, "p.toml").unwrap();
        let explain = |csv: String, asked: String| {
            let panel = data::read_from(Box::new(Cursor::new(csv.into_bytes())), "p.csv", &definition, ReadOptions::default()).unwrap();
            let request = Request { target: Target::Unit(asked), period: None, previous: None };
            kmgov::analysis::explain::explain(&definition, panel, &request)
        };
        let plain = explain(data(&name), name.clone()).expect("the unit by its name");
        let asked = explain(data(&name), respelt(&name, how)).expect("the unit by another spelling");
        prop_assert_eq!(&plain.lines, &asked.lines);
        prop_assert_eq!(&plain.unit, &asked.unit);
        let stored = explain(data(&respelt(&name, how)), name.clone()).expect("the data spelt another way");
        prop_assert_eq!(&plain.lines, &stored.lines);
    }
}
