//! `kmgov sensitivity` and `kmgov score --uncertainty` on the command line.

mod common;

use common::*;

const SAMPLE: &str = "samples/kunming.csv";

fn sensitivity(extra: &[&str]) -> Output {
    run(&[&["sensitivity", SAMPLE, "--quiet"], extra].concat())
}

fn keys(value: &serde_json::Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn json_has_the_documented_keys_and_the_units_in_nominal_order() {
    let out = json(&sensitivity(&["--runs", "200", "--format", "json"]));
    assert_eq!(keys(&out), ["runs", "seed", "units", "indices"]);
    assert_eq!(out["runs"], 200);
    assert_eq!(out["seed"], 1);
    let units = out["units"].as_array().unwrap();
    assert_eq!(units.len(), 14);
    assert_eq!(
        keys(&units[0]),
        [
            "unit",
            "nominal_rank",
            "median_rank",
            "p05",
            "p95",
            "mean_abs_shift"
        ]
    );
    // The nominal ranks are score's ranks, in order.
    let score = json(&run(&["score", SAMPLE, "--format", "json", "--quiet"]));
    let ranked = score["periods"][0]["units"].as_array().unwrap();
    for (unit, scored) in units.iter().zip(ranked) {
        assert_eq!(unit["unit"], scored["unit"]);
        assert_eq!(unit["nominal_rank"], scored["rank"]);
        let (p05, median, p95) = (&unit["p05"], &unit["median_rank"], &unit["p95"]);
        assert!(p05.as_u64() <= median.as_u64() && median.as_u64() <= p95.as_u64());
    }
    let indices = out["indices"].as_array().unwrap();
    assert_eq!(indices.len(), 4);
    assert_eq!(
        keys(&indices[0]),
        [
            "input",
            "first_order",
            "total",
            "first_order_ci",
            "total_ci"
        ]
    );
    assert_eq!(indices[0]["input"], "dimension weights");
    assert_eq!(indices[0]["total_ci"].as_array().unwrap().len(), 2);
}

#[test]
fn the_same_seed_gives_the_same_bytes_on_1_2_and_4_threads() {
    let with = |threads: &str, seed: &str| {
        let output = kmgov()
            .env("KMGOV_THREADS", threads)
            .args([
                "sensitivity",
                SAMPLE,
                "--runs",
                "150",
                "--seed",
                seed,
                "--vary",
                "normalize,weights",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        stdout(&output)
    };
    let one = with("1", "7");
    assert_eq!(one, with("2", "7"));
    assert_eq!(one, with("4", "7"));
    assert_ne!(one, with("2", "8"));
}

#[test]
fn zero_perturbation_keeps_every_rank() {
    let out = json(&sensitivity(&[
        "--weights",
        "0",
        "--runs",
        "50",
        "--format",
        "json",
    ]));
    for unit in out["units"].as_array().unwrap() {
        let nominal = &unit["nominal_rank"];
        assert_eq!(&unit["p05"], nominal);
        assert_eq!(&unit["median_rank"], nominal);
        assert_eq!(&unit["p95"], nominal);
        assert_eq!(unit["mean_abs_shift"], 0.0);
    }
    assert_eq!(out["indices"], serde_json::json!([]));
}

#[test]
fn csv_writes_the_units_or_the_indices() {
    let units = stdout(&sensitivity(&["--runs", "100", "--format", "csv"]));
    let mut lines = units.lines();
    assert_eq!(
        lines.next(),
        Some("unit,nominal_rank,median_rank,p05,p95,mean_abs_shift")
    );
    assert!(lines.next().unwrap().starts_with("官渡区,1,"));
    assert_eq!(units.lines().count(), 15);
    let indices = stdout(&sensitivity(&[
        "--runs",
        "100",
        "--format",
        "csv",
        "--indices",
    ]));
    assert!(indices.starts_with(
        "input,first_order,total,first_order_lo,first_order_hi,total_lo,total_hi\ndimension weights,"
    ));
    // The format follows the output file's name.
    let case = Case::new();
    let file = case.dir.path().join("out.json");
    stdout(&sensitivity(&["--runs", "20", "-o", path(&file)]));
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["runs"], 20);
}

#[test]
fn the_table_shows_units_and_indices_and_no_progress_bar_into_a_pipe() {
    let output = run(&["sensitivity", SAMPLE, "--runs", "100"]);
    let table = stdout(&output);
    assert!(
        table.starts_with("昆明市社会治理指数 — 2019: ranks over 100 runs (seed 1, weights ±25 %)"),
        "{table}"
    );
    assert!(table.contains("Sensitivity of the mean absolute rank shift: 600 model runs"));
    let stderr = messages(&output);
    assert!(
        !stderr.contains('\r') && !stderr.contains("left"),
        "{stderr}"
    );
    assert!(stderr.contains("note: 100 runs: 600 model evaluations (4 uncertain inputs), seed 1"));
}

#[test]
fn another_period_is_analysed_and_an_unknown_one_is_bad_usage() {
    let out = json(&sensitivity(&[
        "--runs", "20", "--period", "2017", "--format", "json",
    ]));
    assert_eq!(out["units"].as_array().unwrap().len(), 14);
    let output = sensitivity(&["--runs", "20", "--period", "2016"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = messages(&output);
    assert!(
        stderr.contains("no period `2016`") && stderr.contains("2017, 2018, 2019"),
        "{stderr}"
    );
}

#[test]
fn bad_settings_are_bad_usage_with_a_hint() {
    for (args, needle) in [
        (&["--weights", "1.5"][..], "--weights 1.5 is not a fraction"),
        (&["--runs", "0"][..], "the number of runs is 0"),
        (&["--vary", "colour"][..], "colour"),
        (&["--weights", "many"][..], "many"),
    ] {
        let output = sensitivity(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            messages(&output)
        );
        assert!(messages(&output).contains(needle), "{}", messages(&output));
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn varying_methods_adds_inputs_and_notes_what_was_left_out() {
    let output = run(&[
        "sensitivity",
        SAMPLE,
        "--runs",
        "40",
        "--vary",
        "normalize,missing,weights",
        "--format",
        "json",
    ]);
    let out = json(&output);
    let inputs: Vec<&str> = out["indices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["input"].as_str().unwrap())
        .collect();
    assert!(
        inputs.contains(&"normalize") && inputs.contains(&"weighting method"),
        "{inputs:?}"
    );
    assert!(!inputs.contains(&"missing"));
    assert!(messages(&output).contains("the data have no missing value"));
}

#[test]
fn gaps_make_the_missing_rule_an_input() {
    let case = Case::new();
    let def = case.file(
        "k.toml",
        "[index]\nname='T'\n[method]\nmissing='skip'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\n",
    );
    let data = case.file(
        "d.csv",
        "unit,period,x,y\nA,1,1,5\nB,1,2,\nC,1,3,1\nD,1,,4\nA,2,2,5\nB,2,3,\nC,2,1,2\nD,2,4,4\n",
    );
    let out = json(&run(&[
        "sensitivity",
        path(&data),
        "--config",
        path(&def),
        "--runs",
        "60",
        "--vary",
        "missing",
        "--format",
        "json",
        "-q",
    ]));
    let inputs: Vec<&str> = out["indices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["input"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["weights under a", "missing"]);
}

#[test]
fn topsis_is_refused_with_what_to_do() {
    let case = Case::new();
    let def = case.file(
        "k.toml",
        "[index]\nname='T'\n[method]\naggregate='topsis'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\n",
    );
    let data = case.file("d.csv", "unit,period,x,y\nA,1,1,5\nB,1,2,3\n");
    let output = run(&["sensitivity", path(&data), "--config", path(&def)]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = messages(&output);
    assert!(
        stderr.contains("topsis") && stderr.contains("hint:"),
        "{stderr}"
    );
}

#[test]
fn the_output_never_overwrites_the_data() {
    let case = Case::new();
    let data = case.file("d.csv", fs::read(SAMPLE).unwrap());
    let output = run(&[
        "sensitivity",
        path(&data),
        "--runs",
        "10",
        "-o",
        path(&data),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", messages(&output));
    assert_eq!(fs::read(&data).unwrap(), fs::read(SAMPLE).unwrap());
}

#[test]
fn score_uncertainty_adds_the_interval_columns_in_every_format() {
    let score = |extra: &[&str]| {
        run(&[&["score", SAMPLE, "--uncertainty", "100", "--quiet"], extra].concat())
    };
    let csv = stdout(&score(&["--format", "csv", "--total-row"]));
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",rank_change,rank_p05,rank_p95")
    );
    let total = csv.lines().last().unwrap();
    assert!(
        total.starts_with("2019,,total,") && total.ends_with(",,"),
        "{total}"
    );
    let table = stdout(&score(&["--ascii"]));
    assert!(table.contains("rank p05 | rank p95"), "{table}");
    let markdown = stdout(&score(&["--format", "markdown"]));
    assert!(markdown.contains("| Rank p05 | Rank p95 |"), "{markdown}");
    let out = json(&score(&["--format", "json", "--all-periods"]));
    for period in out["periods"].as_array().unwrap() {
        for unit in period["units"].as_array().unwrap() {
            assert!(unit["rank_p05"].as_u64().unwrap() <= unit["rank_p95"].as_u64().unwrap());
        }
    }
    // The intervals are those of `sensitivity` with the same runs and seed.
    let analysis = json(&sensitivity(&["--runs", "100", "--format", "json"]));
    let latest = json(&score(&["--format", "json"]));
    for (scored, unit) in latest["periods"][0]["units"]
        .as_array()
        .unwrap()
        .iter()
        .zip(analysis["units"].as_array().unwrap())
    {
        assert_eq!(scored["unit"], unit["unit"]);
        assert_eq!(scored["rank_p05"], unit["p05"]);
        assert_eq!(scored["rank_p95"], unit["p95"]);
    }
    // Without the flag, nothing changes.
    let plain = stdout(&run(&["score", SAMPLE, "--format", "csv", "--quiet"]));
    assert!(!plain.contains("rank_p05"));
}

#[test]
fn score_uncertainty_with_the_indicator_table_is_refused() {
    let output = run(&[
        "score",
        SAMPLE,
        "--uncertainty",
        "10",
        "--format",
        "csv",
        "--detail",
        "indicators",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(messages(&output).contains("--detail indicators"));
}
