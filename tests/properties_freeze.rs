//! Freezing weights (`kmgov weights --format toml`) on any tree and any
//! weights: the frozen text reads back as a definition with manual weights
//! whose global weights are the ones frozen, node shares included — also
//! with zeros, a dimension that weighs nothing and weights too small to
//! count — and keeps the comments of the text it edits.

use kmgov::Definition;
use kmgov::definition::WeightMethod;
use kmgov::weights::derive::{Resolved, with_global_weights};
use kmgov::weights::freeze::freeze;
use proptest::prelude::*;

/// A dimension: indicator counts directly under it, or per group.
#[derive(Debug, Clone)]
enum Node {
    Indicators(usize),
    Groups(Vec<usize>),
}

fn tree() -> impl Strategy<Value = Vec<Node>> {
    let node = prop_oneof![
        (1usize..4).prop_map(Node::Indicators),
        proptest::collection::vec(1usize..4, 1..3).prop_map(Node::Groups),
    ];
    proptest::collection::vec(node, 1..4)
}

/// The tree as TOML, every table with a comment above it and a weight
/// (some written, some left to the default) with a comment beside it.
fn text(tree: &[Node]) -> String {
    let mut out =
        String::from("# The index.\n[index]\nname = \"P\"\n\n[method]\nnormalize = \"minmax\"\n");
    let mut indicator = 0;
    let mut group = 0;
    let mut indicators = |out: &mut String, table: &str, n: usize| {
        for k in 0..n {
            let weight = if k % 2 == 0 {
                "weight = 2   # two\n"
            } else {
                ""
            };
            out.push_str(&format!(
                "\n# indicator {indicator}\n[[{table}]]\nid = \"x{indicator}\"\n{weight}"
            ));
            indicator += 1;
        }
    };
    for (d, node) in tree.iter().enumerate() {
        out.push_str(&format!(
            "\n# dimension {d}\n[[dimension]]\nid = \"d{d}\"\nweight = 1   # one\n"
        ));
        match node {
            Node::Indicators(n) => indicators(&mut out, "dimension.indicator", *n),
            Node::Groups(groups) => {
                for n in groups {
                    out.push_str(&format!(
                        "\n[[dimension.group]]\nid = \"g{group}\"   # group {group}\n"
                    ));
                    group += 1;
                    indicators(&mut out, "dimension.group.indicator", *n);
                }
            }
        }
    }
    out
}

/// Global weights with zeros, tiny and ordinary values.
fn weights(n: usize) -> impl Strategy<Value = Vec<f64>> {
    let weight = prop_oneof![
        2 => Just(0.0),
        1 => 1e-300f64..1e-250,
        8 => 1e-3f64..1.0,
    ];
    proptest::collection::vec(weight, n)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn frozen_weights_read_back_as_frozen(
        (tree, raw) in tree().prop_flat_map(|tree| {
            let definition = Definition::from_toml(&text(&tree), "p.toml").unwrap();
            let n = definition.indicator_count();
            (Just(tree), weights(n))
        })
    ) {
        let total: f64 = raw.iter().sum();
        prop_assume!(total > 0.0);
        let global: Vec<f64> = raw.iter().map(|w| w / total).collect();
        let source = text(&tree);
        let definition = Definition::from_toml(&source, "p.toml").unwrap();
        let resolved = Resolved {
            method: WeightMethod::Entropy,
            global: global.clone(),
            objective: None,
            matrices: Vec::new(),
            sides: None,
            rows: Some((10, None)),
            warnings: Vec::new(),
            definition: with_global_weights(&definition, &global, WeightMethod::Entropy),
        };
        let frozen = freeze(&source, &resolved, Some("d.csv")).unwrap();
        let back = Definition::from_toml(&frozen, "p.toml").unwrap();
        prop_assert_eq!(back.method.weights, WeightMethod::Manual);
        for (x, y) in back.global_weights().iter().zip(&global) {
            prop_assert!((x - y).abs() <= 1e-12, "{} vs {}\n{}", x, y, frozen);
        }
        let shares = |d: &Definition| -> Vec<f64> {
            d.dimensions.iter().map(|x| x.weight)
                .chain(d.groups.iter().map(|g| g.weight))
                .chain(d.indicators().map(|(_, i)| i.weight))
                .collect()
        };
        for (x, y) in shares(&back).iter().zip(shares(&resolved.definition)) {
            prop_assert!((x - y).abs() <= 1e-12, "{} vs {}\n{}", x, y, frozen);
        }
        for line in source.lines().filter(|l| l.starts_with('#') || l.contains("# group")) {
            prop_assert!(frozen.contains(line), "lost {:?}\n{}", line, frozen);
        }
        prop_assert!(frozen.contains("from the 10 rows of d.csv"));
    }
}
