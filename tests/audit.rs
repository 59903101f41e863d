//! `kmgov audit`: against the independent numpy/scipy reference
//! (tests/reference/audit.py → audit_fixtures.json), and from the command line.

mod common;
use common::*;

fn audit_json(extra: &[&str]) -> serde_json::Value {
    json(&run(&[
        &["audit", "samples/kunming.csv", "--format", "json"],
        extra,
    ]
    .concat()))
}

fn fixtures() -> serde_json::Value {
    let text = fs::read_to_string("tests/reference/audit_fixtures.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_audit_agrees_with_the_reference_to_1e_9() {
    let ours = audit_json(&[]);
    let reference = fixtures();
    assert_eq!(ours["period"], reference["period"]);
    let find = |list: &serde_json::Value, key: &str, id: &serde_json::Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|x| x[key] == *id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    for expected in reference["indicators"].as_array().unwrap() {
        let actual = find(&ours["indicators"], "id", &expected["id"]);
        assert_eq!(actual["n"], expected["n"]);
        for key in ["mean", "sd", "min", "max", "skewness", "kurtosis"] {
            assert_close(number(&actual[key]), number(&expected[key]), 1e-9);
        }
    }
    for expected in reference["correlations"].as_array().unwrap() {
        let actual = find(&ours["correlations"], "indicator", &expected["indicator"]);
        for key in [
            "pearson_dimension",
            "spearman_dimension",
            "pearson_composite",
            "spearman_composite",
        ] {
            assert_close(number(&actual[key]), number(&expected[key]), 1e-9);
        }
    }
    for expected in reference["dimensions"].as_array().unwrap() {
        let actual = find(&ours["dimensions"], "id", &expected["id"]);
        for key in ["cronbach_alpha", "pc1_share"] {
            assert_close(number(&actual[key]), number(&expected[key]), 1e-9);
        }
    }
    for key in ["C", "T", "D"] {
        assert_close(
            number(&ours["coupling"][key]),
            number(&reference["coupling"][key]),
            1e-9,
        );
    }
    assert_eq!(ours["coupling"]["level"], "优质协调");
    assert_eq!(ours["coupling"]["units"].as_array().unwrap().len(), 14);
}

/// An indicator with one far value is flagged, and the preview names the
/// cell winsorising changes.
#[test]
fn a_flagged_indicator_gets_a_treatment_preview() {
    let case = Case::new();
    let text = fs::read_to_string("samples/kunming.csv").unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // 五华区 2019: volunteer_hours (the fifth column) far above the rest.
    let row = lines
        .iter()
        .position(|l| l.starts_with("五华区,2019"))
        .unwrap();
    let mut cells: Vec<&str> = lines[row].split(',').collect();
    cells[4] = "9000";
    lines[row] = cells.join(",");
    let data = case.file("d.csv", lines.join("\n") + "\n");
    let out = run(&[
        "audit",
        path(&data),
        "--treat",
        "winsorise",
        "--format",
        "json",
    ]);
    let doc = json(&out);
    let hours = doc["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "volunteer_hours")
        .unwrap()
        .clone();
    assert_eq!(hours["outlier"], true, "{hours}");
    let treatment = &hours["treatment"];
    assert_eq!(treatment["method"], "winsorise");
    assert_eq!(treatment["cleared"], true);
    assert_eq!(treatment["changes"][0]["unit"], "五华区");
    assert_eq!(number(&treatment["changes"][0]["old"]), 9000.0);
    // Without --treat, the flag alone.
    let plain = json(&run(&["audit", path(&data), "--format", "json"]));
    assert!(plain["indicators"][1]["treatment"].is_null());
}

#[test]
fn csv_has_one_row_per_indicator_and_errors_are_said() {
    let out = ok(&run(&["audit", "samples/kunming.csv", "--format", "csv"]));
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "period,indicator,dimension,n,missing,mean,sd,min,max,skewness,kurtosis,outlier,pearson_dimension,spearman_dimension,pearson_composite,spearman_composite"
    );
    assert_eq!(lines.count(), 46);
    let table = ok(&run(&["audit", "samples/kunming.csv"]));
    assert!(
        table.contains("Cronbach") && table.contains("优质协调"),
        "{table}"
    );
    let unknown = run(&["audit", "samples/kunming.csv", "--period", "2030"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(messages(&unknown).contains("2017, 2018, 2019"));
}
