//! Indices with groups below the dimensions, from the command line: the
//! three-level Kunming sample, the JSON nesting, the group columns, the
//! errors of a malformed tree.

mod common;
use common::*;

const GROUPED: &str = "samples/kunming-groups.toml";

fn json_of(args: &[&str]) -> serde_json::Value {
    json(&run(args))
}

/// Groups weighing as many indicators as they hold reproduce the flat index
/// to rounding, and with it the published city totals.
#[test]
fn the_three_level_kunming_sample_scores_as_the_built_in_index() {
    let flat = json_of(&[
        "score",
        "samples/kunming.csv",
        "--all-periods",
        "--format",
        "json",
    ]);
    let nested = json_of(&[
        "score",
        "samples/kunming.csv",
        "--config",
        GROUPED,
        "--all-periods",
        "--format",
        "json",
    ]);
    for (a, b) in flat["periods"]
        .as_array()
        .unwrap()
        .iter()
        .zip(nested["periods"].as_array().unwrap())
    {
        assert_close(number(&a["total"]), number(&b["total"]), 1e-9);
        for (u, v) in a["units"]
            .as_array()
            .unwrap()
            .iter()
            .zip(b["units"].as_array().unwrap())
        {
            assert_eq!(u["unit"], v["unit"]);
            assert_close(number(&u["composite"]), number(&v["composite"]), 1e-9);
        }
    }
    let totals: Vec<String> = nested["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{:.2}", number(&p["total"])))
        .collect();
    assert_eq!(totals, ["80.76", "81.11", "81.46"]);
}

/// JSON nests each unit's groups under its dimension with score, rank and
/// change; the method lists every group with its global weight; the period
/// has every group's city figure.
#[test]
fn json_nests_groups_under_their_dimension() {
    let doc = json_of(&[
        "score",
        "samples/kunming.csv",
        "--config",
        GROUPED,
        "--format",
        "json",
    ]);
    let groups = doc["method"]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 11);
    let volunteering = &groups[0];
    assert_eq!(volunteering["id"], "volunteering");
    assert_eq!(volunteering["parent"], "vitality");
    assert_eq!(volunteering["level"], 2);
    // 4 of vitality's 15 indicators, vitality a third of the index.
    assert_close(number(&volunteering["global_weight"]), 4.0 / 45.0, 1e-12);
    let first = &doc["method"]["indicators"][0];
    assert_eq!(first["parent"], "volunteering");
    assert_close(number(&first["global_weight"]), 1.0 / 45.0, 1e-12);

    let period = &doc["periods"][0];
    assert!(period["total_groups"]["ecology"].is_number());
    assert!(period["total_group_changes"]["ecology"].is_number());
    let unit = &period["units"][0];
    let node = &unit["groups"]["environment"]["ecology"];
    for key in ["score", "rank", "change"] {
        assert!(node[key].is_number(), "{key}: {node}");
    }
    // A unit's group scores rebuild its dimension score (equal indicator
    // weights: each group counts as many indicators as it holds).
    let vitality = &unit["groups"]["vitality"];
    let sizes = [
        ("volunteering", 4.0),
        ("organisations", 3.0),
        ("self_governance", 4.0),
        ("party_and_civility", 4.0),
    ];
    let rebuilt: f64 = sizes
        .iter()
        .map(|(g, n)| number(&vitality[g]["score"]) * n)
        .sum::<f64>()
        / 15.0;
    assert_close(rebuilt, number(&unit["dimensions"]["vitality"]), 1e-9);
}

/// `--detail groups` adds a column per group after the others, and the
/// total row fills them with the city figures.
#[test]
fn csv_detail_groups_adds_a_column_per_group() {
    let out = ok(&run(&[
        "score",
        "samples/kunming.csv",
        "--config",
        GROUPED,
        "--format",
        "csv",
        "--detail",
        "groups",
        "--total-row",
    ]));
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("period,rank,unit,composite,vitality,services,environment,change,pct_change,rank_change,volunteering,organisations,"),
        "{header}"
    );
    assert!(header.ends_with(",ecology,living_environment"), "{header}");
    let columns = header.split(',').count();
    let total = out.lines().last().unwrap();
    assert!(total.starts_with("2019,,total,"), "{total}");
    assert_eq!(total.split(',').count(), columns);
    assert!(total.split(',').all(|f| f != "NaN"));
    // Without groups, nothing to add: a note, and the plain columns.
    let flat = run(&[
        "score",
        "samples/kunming.csv",
        "--format",
        "csv",
        "--detail",
        "groups",
    ]);
    assert!(messages(&flat).contains("no groups"), "{}", messages(&flat));
    assert!(stdout(&flat).starts_with(
        "period,rank,unit,composite,vitality,services,environment,change,pct_change,rank_change\n"
    ));
}

/// The table and Markdown show the group scores by name.
#[test]
fn the_table_shows_group_names() {
    let out = ok(&run(&[
        "score",
        "samples/kunming.csv",
        "--config",
        GROUPED,
        "--format",
        "markdown",
        "--detail",
        "groups",
    ]));
    assert!(
        out.contains("| 志愿服务 |") || out.contains(" 志愿服务 "),
        "{out}"
    );
}

/// A malformed tree stops with every problem located.
#[test]
fn a_malformed_tree_is_refused_with_located_errors() {
    let case = Case::new();
    let definition = "[index]\nname='T'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.group]]\nid='g'\n[[dimension.group.indicator]]\nid='y'\n[[dimension]]\nid='b'\n[[dimension.group]]\nid='h'\n";
    let out = case.score(definition, "unit,period,x,y\nA,1,1,2\n", &[]);
    let text = fails(
        &out,
        &[
            "k.toml:4",
            "dimension `a`: holds both indicators (1) and groups (1)",
            "k.toml:14",
            "group `h`: has no indicator",
        ],
    );
    assert!(text.contains("hint:"), "{text}");
}

/// `check` validates the tree and notes each set of siblings whose weights
/// do not sum to 1.
#[test]
fn check_reads_the_tree() {
    let out = run(&["check", "samples/kunming.csv", "--config", GROUPED]);
    assert!(out.status.success(), "{}", messages(&out));
    assert!(
        messages(&out).contains("the group weights of dimension `vitality` sum to 15"),
        "{}",
        messages(&out)
    );
}
