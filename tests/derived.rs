//! `score` with derived weights and with TOPSIS, from the command line.

mod common;
use common::*;

/// The built-in definition with `[method]` lines added.
fn kunming_with(lines: &str) -> String {
    fs::read_to_string("config/kunming.toml").unwrap().replacen(
        "[method]\n",
        &format!("[method]\n{lines}\n"),
        1,
    )
}

fn score_json(definition: &str, extra: &[&str]) -> (serde_json::Value, String) {
    let case = Case::new();
    let config = case.file("k.toml", definition);
    let out = run(&[
        &[
            "score",
            "samples/kunming.csv",
            "--config",
            path(&config),
            "--all-periods",
            "--format",
            "json",
        ],
        extra,
    ]
    .concat());
    (json(&out), messages(&out))
}

fn composites(doc: &serde_json::Value) -> Vec<(String, f64)> {
    doc["periods"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["units"].as_array().unwrap().iter())
        .map(|u| {
            (
                u["unit"].as_str().unwrap().to_string(),
                number(&u["composite"]),
            )
        })
        .collect()
}

/// The built-in index weighs every indicator of a dimension alike and the
/// dimensions alike: `weights = "equal"` changes no number.
#[test]
fn equal_weights_on_an_equally_weighted_index_change_nothing() {
    let (manual, _) = score_json(&kunming_with(""), &[]);
    let (equal, notes) = score_json(&kunming_with("weights = \"equal\""), &[]);
    assert_eq!(equal["method"]["weights"], "equal");
    for ((u, a), (v, b)) in composites(&manual).iter().zip(composites(&equal)) {
        assert_eq!(*u, v);
        assert_close(*a, b, 1e-9);
    }
    assert!(
        notes.contains("weights = \"equal\": weights derived"),
        "{notes}"
    );
}

/// Entropy weights: said in the method, summing to 1, each dimension the
/// sum of its indicators, and the composites those weights give.
#[test]
fn entropy_weights_are_shown_and_used() {
    let (doc, notes) = score_json(&kunming_with("weights = \"entropy\""), &[]);
    let method = &doc["method"];
    assert_eq!(method["weights"], "entropy");
    assert_eq!(number(&method["entropy_shift"]), 0.0);
    let indicators = method["indicators"].as_array().unwrap();
    let total: f64 = indicators.iter().map(|i| number(&i["global_weight"])).sum();
    assert_close(total, 1.0, 1e-12);
    for (dimension, weight) in method["dimension_weights"].as_object().unwrap() {
        let sum: f64 = indicators
            .iter()
            .filter(|i| i["dimension"] == *dimension)
            .map(|i| number(&i["global_weight"]))
            .sum();
        assert_close(number(weight), sum, 1e-12);
    }
    // Each composite is Σ global weight × score (arithmetic, nothing missing).
    let (detail, _) = score_json(
        &kunming_with("weights = \"entropy\""),
        &["--detail", "indicators"],
    );
    let unit = &detail["periods"][2]["units"][0];
    let rebuilt: f64 = unit["indicators"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| number(&c["score"]) * number(&c["global_weight"]))
        .sum();
    assert_close(rebuilt, number(&unit["composite"]), 1e-9);
    assert!(
        notes.contains("from the 42 rows of every period pooled"),
        "{notes}"
    );
}

/// A definition asking for AHP without judgements stops before any data is read.
#[test]
fn ahp_without_matrices_is_a_definition_error() {
    let case = Case::new();
    let out = case.score(&kunming_with("weights = \"ahp\""), "unit,period\n", &[]);
    fails(&out, &["[method] weights", "no [ahp] table"]);
}

/// TOPSIS: said in the method, scores within 0–100, changes relative.
#[test]
fn topsis_is_said_and_bounded() {
    let text = kunming_with("").replace("aggregate = \"arithmetic\"", "aggregate = \"topsis\"");
    let (doc, notes) = score_json(&text, &[]);
    assert_eq!(doc["method"]["aggregate"], "topsis");
    assert_eq!(doc["method"]["topsis"]["normalization"], "vector");
    assert_eq!(doc["method"]["changes"], "relative");
    for (_, composite) in composites(&doc) {
        assert!((0.0..=100.0).contains(&composite), "{composite}");
    }
    assert!(notes.contains("relative"), "{notes}");
}

/// check derives the weights too: an objective method that cannot work on
/// the data is an error there, as in score.
#[test]
fn check_reports_a_derivation_that_fails() {
    let case = Case::new();
    let config = case.file(
        "k.toml",
        kunming_with("weights = \"cv\"\nweights_period = \"2030\""),
    );
    let out = run(&["check", "samples/kunming.csv", "--config", path(&config)]);
    assert_eq!(out.status.code(), Some(1), "{}", messages(&out));
    assert!(
        messages(&out).contains("no period `2030`"),
        "{}",
        messages(&out)
    );
}
