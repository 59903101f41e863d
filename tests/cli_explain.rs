//! `kmgov explain` on the Kunming sample (two and three levels) and on
//! small cases: the JSON keys scripts read, parts that add up to the
//! change, the total's published figures, and the errors.

mod common;

use common::*;
use serde_json::Value;

fn explain_json(args: &[&str]) -> Value {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    json(&run(&all))
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// Every indicator object under the dimensions (flat lists).
fn indicators(doc: &Value) -> Vec<&Value> {
    doc["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["indicators"].as_array().unwrap())
        .collect()
}

fn sum(values: &[&Value], key: &str) -> f64 {
    values.iter().map(|v| number(&v[key])).sum()
}

#[test]
fn a_kunming_district_in_json_has_the_documented_keys() {
    let doc = explain_json(&["五华区", "samples/kunming.csv"]);
    for key in [
        "unit",
        "period",
        "previous_period",
        "composite",
        "change",
        "dimensions",
    ] {
        assert!(keys(&doc).contains(&key), "{key} in {:?}", keys(&doc));
    }
    assert_eq!(doc["unit"], "五华区");
    assert_eq!(doc["period"], "2019");
    assert_eq!(doc["previous_period"], "2018");
    assert_eq!(doc["changes"], "level");
    let dimension = &doc["dimensions"][0];
    for key in [
        "id",
        "score",
        "contribution",
        "change_contribution",
        "indicators",
    ] {
        assert!(keys(dimension).contains(&key), "{key}");
    }
    let indicator = &dimension["indicators"][0];
    for key in [
        "id",
        "raw",
        "score",
        "global_weight",
        "contribution",
        "change_contribution",
        "obstacle",
    ] {
        assert!(keys(indicator).contains(&key), "{key}");
    }
    assert_eq!(indicator["id"], "volunteer_activity");
    assert_eq!(indicator["raw"], 69.76);
}

/// The composite and change are those `score` reports; the parts add up to
/// the change, the contributions to the composite, the obstacle degrees to
/// 100.
#[test]
fn a_kunming_district_adds_up() {
    let doc = explain_json(&["五华区", "samples/kunming.csv"]);
    let scores = json(&run(&["score", "samples/kunming.csv", "--format", "json"]));
    let row = scores["periods"][0]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "五华区")
        .unwrap()
        .clone();
    assert_eq!(doc["composite"], row["composite"]);
    assert_eq!(doc["change"], row["change"]);
    assert_eq!(format!("{:.2}", number(&doc["change"])), "0.43");
    let change = number(&doc["change"]);
    let dimensions: Vec<&Value> = doc["dimensions"].as_array().unwrap().iter().collect();
    assert_close(sum(&dimensions, "change_contribution"), change, 1e-9);
    assert_close(
        sum(&dimensions, "contribution"),
        number(&doc["composite"]),
        1e-9,
    );
    let all = indicators(&doc);
    assert_eq!(all.len(), 46);
    assert_close(sum(&all, "change_contribution"), change, 1e-9);
    assert_close(sum(&all, "obstacle"), 100.0, 1e-9);
    // Each dimension's change contribution is a third of its change.
    for d in &dimensions {
        assert_close(
            number(&d["change_contribution"]),
            number(&d["change"]) / 3.0,
            1e-9,
        );
    }
    // The ranked list starts with the largest obstacle degree.
    let first = &doc["obstacles"][0];
    assert_eq!(first["rank"], 1);
    let largest = all
        .iter()
        .map(|i| number(&i["obstacle"]))
        .fold(0.0, f64::max);
    assert_eq!(number(&first["obstacle"]), largest);
    assert_eq!(first["id"], "pm25");
}

/// The total moved the city from the published 80.76 (2017) to 81.46
/// (2019), and from the sample's 81.11 (2018).
#[test]
fn the_total_reproduces_the_published_figures() {
    let doc = explain_json(&["--total", "samples/kunming.csv", "--previous", "2017"]);
    assert_eq!(doc["unit"], Value::Null);
    assert_eq!(doc["total"], "population");
    assert_eq!(format!("{:.2}", number(&doc["composite"])), "81.46");
    assert_eq!(
        format!("{:.2}", number(&doc["previous_composite"])),
        "80.76"
    );
    let change = number(&doc["change"]);
    let dimensions: Vec<&Value> = doc["dimensions"].as_array().unwrap().iter().collect();
    assert_close(sum(&dimensions, "change_contribution"), change, 1e-9);
    assert_close(sum(&indicators(&doc), "change_contribution"), change, 1e-9);
    assert_close(sum(&indicators(&doc), "obstacle"), 100.0, 1e-9);
    // The composition part is the population shares shifting.
    let composition = number(&doc["composition_change"]);
    assert_close(
        sum(&dimensions, "composition_change_contribution"),
        composition,
        1e-9,
    );
    // The dimension figures are those of `score`'s total row.
    let scores = json(&run(&["score", "samples/kunming.csv", "--format", "json"]));
    let period = &scores["periods"][0];
    assert_eq!(doc["composite"], period["total"]);
    assert_eq!(
        dimensions[0]["score"],
        period["total_dimensions"]["vitality"]
    );

    let doc = explain_json(&["--total", "samples/kunming.csv"]);
    assert_eq!(doc["previous_period"], "2018");
    assert_eq!(
        format!("{:.2}", number(&doc["previous_composite"])),
        "81.11"
    );
    assert_eq!(doc["change"], period["total_change"]);
}

/// Three levels: groups nest under the dimensions, every indicator is still
/// in its dimension's `indicators`, and the numbers are the flat index's.
#[test]
fn three_levels_nest_groups_and_keep_every_indicator_findable() {
    let nested = explain_json(&[
        "五华区",
        "samples/kunming.csv",
        "--config",
        "samples/kunming-groups.toml",
    ]);
    let flat = explain_json(&["五华区", "samples/kunming.csv"]);
    assert_close(
        number(&nested["composite"]),
        number(&flat["composite"]),
        1e-9,
    );
    let all = indicators(&nested);
    assert_eq!(all.len(), 46);
    for (a, b) in all.iter().zip(indicators(&flat)) {
        assert_eq!(a["id"], b["id"]);
        assert_close(
            number(&a["change_contribution"]),
            number(&b["change_contribution"]),
            1e-9,
        );
    }
    let vitality = &nested["dimensions"][0];
    let groups = vitality["groups"].as_array().unwrap();
    assert_eq!(groups[0]["id"], "volunteering");
    assert_eq!(all[0]["parent"], "volunteering");
    let mut in_groups = 0;
    for dimension in nested["dimensions"].as_array().unwrap() {
        let groups: Vec<&Value> = dimension["groups"].as_array().unwrap().iter().collect();
        assert_close(
            sum(&groups, "change_contribution"),
            number(&dimension["change_contribution"]),
            1e-9,
        );
        for group in groups {
            let members: Vec<&Value> = group["indicators"].as_array().unwrap().iter().collect();
            in_groups += members.len();
            assert_close(
                sum(&members, "change_contribution"),
                number(&group["change_contribution"]),
                1e-9,
            );
            assert_close(
                sum(&members, "contribution"),
                number(&group["contribution"]),
                1e-9,
            );
        }
    }
    assert_eq!(in_groups, 46);
}

#[test]
fn csv_has_one_row_per_node_with_level_and_parent() {
    let text = stdout(&run(&[
        "explain",
        "五华区",
        "samples/kunming.csv",
        "--config",
        "samples/kunming-groups.toml",
        "--format",
        "csv",
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("unit,period,previous_period,level,depth,parent,id,name,raw,"));
    // The composite, 3 dimensions, 11 groups, 46 indicators.
    assert_eq!(lines.len(), 1 + 1 + 3 + 11 + 46);
    assert!(lines[1].starts_with("五华区,2019,2018,composite,0,,composite,"));
    assert!(lines[2].starts_with("五华区,2019,2018,dimension,1,composite,vitality,社会活力,"));
    assert!(lines[3].starts_with("五华区,2019,2018,group,2,vitality,volunteering,"));
    assert!(lines[4].starts_with("五华区,2019,2018,indicator,3,volunteering,volunteer_activity,"));
}

#[test]
fn the_table_and_markdown_name_what_holds_back_most() {
    let table = stdout(&run(&["explain", "五华区", "samples/kunming.csv"]));
    assert!(table.starts_with("昆明市社会治理指数 — 五华区 — 2019\n"));
    assert!(table.contains("composite 85.53 in 2019, 85.10 in 2018: change +0.43"));
    assert!(table.contains("held back most by: PM2.5年均浓度 8.46%"));
    let markdown = stdout(&run(&[
        "explain",
        "五华区",
        "samples/kunming.csv",
        "--format",
        "markdown",
        "--top",
        "5",
    ]));
    assert!(markdown.contains("| 1 | **PM2.5年均浓度** | 社会环境 |"));
    assert!(markdown.contains("(41 more indicators)"));
    let ascii = stdout(&run(&[
        "explain",
        "--total",
        "samples/kunming.csv",
        "--ascii",
    ]));
    for wide in ['┆', '─', 'Δ', '—', '–'] {
        assert!(!ascii.contains(wide), "{wide} in\n{ascii}");
    }
    assert!(
        ascii.starts_with("昆明市社会治理指数 - total - 2019\n"),
        "{ascii}"
    );
}

#[test]
fn an_unknown_unit_lists_the_closest_names() {
    let output = run(&["explain", "五华", "samples/kunming.csv"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = messages(&output);
    assert!(
        stderr.contains("error: the data has no unit `五华`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: units are matched by their exact name; the closest of the 14 in samples/kunming.csv: 五华区"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn usage_errors_say_how_to_ask() {
    let cases: [(&[&str], &str); 5] = [
        (&["explain"], "name the unit to explain, or give --total"),
        (
            &["explain", "--total", "五华区", "samples/kunming.csv"],
            "--total explains the overall figure",
        ),
        (
            &[
                "explain",
                "五华区",
                "samples/kunming.csv",
                "--previous",
                "2019",
            ],
            "must come before 2019",
        ),
        (
            &[
                "explain",
                "五华区",
                "samples/kunming.csv",
                "--period",
                "2030",
            ],
            "--period: the data has no period `2030`",
        ),
        (
            &["explain", "samples/kunming.csv"],
            "the unit `samples/kunming.csv` is a file",
        ),
    ];
    for (args, needle) in cases {
        let output = run(args);
        let stderr = messages(&output);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(stderr.contains("hint:"), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn topsis_is_refused_with_what_to_do() {
    let case = Case::new();
    let config = case.file(
        "k.toml",
        "[index]\nname='T'\n[method]\naggregate='topsis'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\n",
    );
    let data = case.file("d.csv", "unit,period,x,y\nA,1,1,2\nB,1,3,1\n");
    let output = run(&["explain", "A", path(&data), "--config", path(&config)]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = messages(&output);
    assert!(
        stderr.contains("cannot break down a TOPSIS score"),
        "{stderr}"
    );
    assert!(stderr.contains("--detail indicators"), "{stderr}");
}

/// Min–max per period: the note says changes are relative, and JSON
/// splits each part into own change and others moved.
#[test]
fn relative_changes_are_said_and_split() {
    let case = Case::new();
    let config = case.file(
        "k.toml",
        "[index]\nname='T'\n[method]\nnormalize='minmax'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\nweight=3\n",
    );
    let data = case.file(
        "d.csv",
        "unit,period,x,y\nA,2018,10,50\nB,2018,20,40\nC,2018,30,60\nA,2019,12,55\nB,2019,25,45\nC,2019,40,70\n",
    );
    let output = run(&[
        "explain",
        "A",
        path(&data),
        "--config",
        path(&config),
        "--format",
        "json",
    ]);
    assert!(messages(&output).contains("note: changes compare relative positions"));
    let doc = json(&output);
    assert_eq!(doc["changes"], "relative");
    let y = &doc["dimensions"][0]["indicators"][1];
    assert_eq!(y["own_change_contribution"], 18.75);
    assert_eq!(y["others_change_contribution"], -26.25);
    assert_close(
        number(&doc["own_change"]) + number(&doc["others_moved"]),
        number(&doc["change"]),
        1e-9,
    );
}

#[test]
fn output_is_written_whole_and_never_over_the_data() {
    let case = Case::new();
    let data = case.file("d.csv", fs::read("samples/kunming.csv").unwrap());
    let out = case.dir.path().join("why.json");
    let output = run(&["explain", "五华区", path(&data), "-o", path(&out)]);
    assert!(output.status.success(), "{}", messages(&output));
    let written: Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(written["unit"], "五华区");
    let output = run(&["explain", "五华区", path(&data), "-o", path(&data)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(messages(&output).contains("refusing to write the output over the input"));
    assert_eq!(
        fs::read(&data).unwrap(),
        fs::read("samples/kunming.csv").unwrap()
    );
}
