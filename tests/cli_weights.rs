//! `kmgov weights`: every method on the Kunming sample and on data with
//! other column names; the CSV and JSON layouts; freezing the weights into
//! the definition (`--format toml`) gives the same composites as deriving
//! them; `--method` and `--period`; the errors and their exit codes.

mod common;

use common::*;
use serde_json::Value;

const KUNMING: &str = "samples/kunming.csv";
const GROUPS: &str = "samples/kunming-groups.toml";

/// The sizes of the Kunming groups (samples/kunming-groups.toml), per
/// dimension, in definition order.
const KUNMING_GROUPS: [(&str, &[(&str, usize)]); 3] = [
    (
        "vitality",
        &[
            ("volunteering", 4),
            ("organisations", 3),
            ("self_governance", 4),
            ("party_and_civility", 4),
        ],
    ),
    (
        "services",
        &[
            ("social_security", 5),
            ("health_and_care", 4),
            ("education", 2),
            ("public_services", 5),
        ],
    ),
    (
        "environment",
        &[
            ("public_safety", 6),
            ("ecology", 6),
            ("living_environment", 3),
        ],
    ),
];

/// Data with other column names: 8 regions × 2 years, two correlated
/// blocks of indicators (so that PCA finds two factors).
fn synthetic_csv() -> String {
    let mut out = String::from("region,yr,p1,p2,p3,q1,q2\n");
    for year in [2020, 2021] {
        for i in 0..8 {
            let t = i as f64 + f64::from(year - 2020) * 0.5;
            let p1 = 10.0 + 2.0 * t + ((i * 7) % 5) as f64 * 0.3;
            let p2 = 50.0 + 5.0 * t - ((i * 3) % 4) as f64;
            let p3 = 100.0 - 3.0 * t + ((i * 5) % 3) as f64;
            let q1 = 20.0 + ((i * 3) % 8) as f64 * 1.5 + f64::from(year - 2020);
            let q2 = 5.0 + ((i * 3) % 8) as f64 * 0.4 + ((i * 2) % 3) as f64 * 0.2;
            out.push_str(&format!(
                "R{i},{year},{p1:.2},{p2:.2},{p3:.2},{q1:.2},{q2:.2}\n"
            ));
        }
    }
    out
}

/// Three levels over [`synthetic_csv`]: a dimension of two groups, and one
/// of indicators.
const SYNTHETIC: &str = r#"# A three-level index over data with other column names.
[index]
name = "Synthetic"

[data]
unit = "region"   # the unit column
period = "yr"

[method]
normalize = "minmax"
scope = "pooled"
WEIGHTS

[[dimension]]
id = "prosperity"

[[dimension.group]]
id = "income"
weight = 2   # income counts double

[[dimension.group.indicator]]
id = "p1"

[[dimension.group.indicator]]
id = "p2"

[[dimension.group]]
id = "cost"

[[dimension.group.indicator]]
id = "p3"
direction = "lower"

[[dimension]]
id = "quality"
weight = 2

[[dimension.indicator]]
id = "q1"

[[dimension.indicator]]
id = "q2"
"#;

/// [`SYNTHETIC`] with `lines` in its `[method]` table.
fn synthetic(lines: &str) -> String {
    SYNTHETIC.replace("WEIGHTS", lines)
}

/// A judgement matrix of `weights` as TOML: a_ij = w_i / w_j, perfectly
/// consistent, so AHP gives back the weights (divided by their sum).
fn consistent(weights: &[u32]) -> String {
    let rows: Vec<String> = weights
        .iter()
        .map(|&wi| {
            let cells: Vec<String> = weights
                .iter()
                .map(|&wj| {
                    if wi % wj == 0 {
                        (wi / wj).to_string()
                    } else {
                        format!("\"{wi}/{wj}\"")
                    }
                })
                .collect();
            format!("[{}]", cells.join(", "))
        })
        .collect();
    format!("[{}]", rows.join(", "))
}

/// Weights n, n−1 … 1 for a matrix of n items.
fn descending(n: usize) -> Vec<u32> {
    (1..=n as u32).rev().collect()
}

/// `[ahp]` for the Kunming groups: the issue's dimensions matrix (CR
/// 0.0036), each dimension's groups and each group's indicators weighed
/// n, n−1 … 1.
fn kunming_ahp() -> String {
    let mut groups = String::from("[ahp.groups]\n");
    let mut indicators = String::from("[ahp.indicators]\n");
    for (dimension, list) in KUNMING_GROUPS {
        groups.push_str(&format!(
            "{dimension} = {}\n",
            consistent(&descending(list.len()))
        ));
        for (group, n) in list {
            indicators.push_str(&format!("{group} = {}\n", consistent(&descending(*n))));
        }
    }
    format!(
        "\n[ahp]\nmethod = \"eigen\"\ndimensions = [[1, 3, 5], [\"1/3\", 1, 2], [\"1/5\", \"1/2\", 1]]\n{groups}{indicators}"
    )
}

/// samples/kunming-groups.toml with `lines` added to `[method]` and
/// `tail` at the end.
fn kunming_groups(lines: &str, tail: &str) -> String {
    let text = fs::read_to_string(GROUPS).unwrap();
    let text = text.replacen("[method]\n", &format!("[method]\n{lines}\n"), 1);
    format!("{text}{tail}")
}

/// The built-in definition with `lines` added to `[method]`.
fn builtin_with(lines: &str) -> String {
    fs::read_to_string("config/kunming.toml").unwrap().replacen(
        "[method]\n",
        &format!("[method]\n{lines}\n"),
        1,
    )
}

/// Eight Kunming indicators in two dimensions (few enough for PCA on the
/// sample's 42 rows), with the sample's column names.
fn kunming_small(lines: &str) -> String {
    format!(
        r#"[index]
name = "Kunming, eight indicators"
[data]
unit = "district"
period = "year"
[method]
normalize = "minmax"
{lines}
[[dimension]]
id = "vitality"
[[dimension.indicator]]
id = "volunteer_activity"
[[dimension.indicator]]
id = "volunteer_hours"
[[dimension.indicator]]
id = "registered_volunteers"
[[dimension.indicator]]
id = "social_orgs"
[[dimension]]
id = "services"
[[dimension.indicator]]
id = "medical_insurance"
[[dimension.indicator]]
id = "doctors_per_1000"
[[dimension.indicator]]
id = "hospital_beds"
[[dimension.indicator]]
id = "unemployment_rate"
direction = "lower"
"#
    )
}

/// The comment a frozen definition says how its weights were derived in,
/// as one line.
fn how(frozen: &str) -> String {
    let start = frozen
        .find("# Weights derived by kmgov")
        .expect("the frozen definition says how");
    frozen[start..]
        .lines()
        .take_while(|line| line.starts_with("# "))
        .map(|line| &line[2..])
        .collect::<Vec<_>>()
        .join(" ")
}

fn succeed(args: &[&str]) -> Output {
    let output = run(args);
    assert!(
        output.status.success(),
        "kmgov {args:?} failed:\n{}",
        messages(&output)
    );
    output
}

/// Every number of two score CSVs, cell by cell: the same within 1e-9,
/// text cells the same.
fn assert_same_scores(a: &str, b: &str) {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    assert_eq!(a.len(), b.len());
    assert_eq!(a[0], b[0]);
    assert!(a.len() > 1, "no rows scored");
    for (x, y) in a.iter().zip(&b).skip(1) {
        for (p, q) in x.split(',').zip(y.split(',')) {
            match (p.parse::<f64>(), q.parse::<f64>()) {
                (Ok(p), Ok(q)) => assert!((p - q).abs() <= 1e-9, "{p} vs {q}\n{x}\n{y}"),
                _ => assert_eq!(p, q, "\n{x}\n{y}"),
            }
        }
    }
}

/// Scores `data` with `config` (every period, dimension and indicator
/// detail) as CSV.
fn scores(data: &str, config: &str) -> String {
    stdout(&succeed(&[
        "-q",
        "score",
        data,
        "--config",
        config,
        "--all-periods",
        "--format",
        "csv",
        "--detail",
        "dimensions,indicators",
    ]))
}

/// Freezes the weights `config` derives from `data` into a file, reads it
/// back as a definition with manual weights, and checks that scoring with
/// it gives the composites (and every detail) that scoring with the method
/// gives.
fn assert_freezes(dir: &Path, data: &str, config: &str, name: &str) -> String {
    let frozen = dir.join(format!("{name}-frozen.toml"));
    let frozen = path(&frozen).to_string();
    let output = succeed(&[
        "weights", data, "--config", config, "--format", "toml", "-o", &frozen,
    ]);
    assert!(
        messages(&output).contains(&format!("wrote {frozen}")),
        "{}",
        messages(&output)
    );
    let text = fs::read_to_string(&frozen).unwrap();
    assert!(text.contains("weights = \"manual\""), "{text}");
    assert!(!text.contains("weights_period") && !text.contains("entropy_shift"));
    assert_same_scores(&scores(data, config), &scores(data, &frozen));
    text
}

#[test]
fn every_method_freezes_to_the_same_composites_on_the_kunming_sample() {
    let dir = tempfile::tempdir().unwrap();
    for method in ["entropy", "critic", "cv", "equal"] {
        let config = write(
            dir.path(),
            &format!("{method}.toml"),
            &builtin_with(&format!("weights = \"{method}\"")),
        );
        let frozen = assert_freezes(dir.path(), KUNMING, &config, method);
        // The comment says how, and the definition's own comments stay.
        assert!(
            how(&frozen).starts_with(&format!(
                "Weights derived by kmgov {} with weights = \"{method}\"",
                env!("CARGO_PKG_VERSION")
            )),
            "{frozen}"
        );
        assert!(frozen.contains("# Goalposts are fixed so that scores compare across years"));
        if method != "equal" {
            assert!(
                how(&frozen)
                    .contains("from the 42 rows of samples/kunming.csv, every period pooled"),
                "{frozen}"
            );
        }
    }
    // PCA needs more complete rows than indicators: eight of them.
    let config = write(dir.path(), "pca.toml", &kunming_small("weights = \"pca\""));
    assert_freezes(dir.path(), KUNMING, &config, "pca");
    // AHP and combined on the three-level Kunming tree (groups of at most 6).
    let config = write(
        dir.path(),
        "ahp.toml",
        &kunming_groups("weights = \"ahp\"", &kunming_ahp()),
    );
    let frozen = assert_freezes(dir.path(), KUNMING, &config, "ahp");
    assert!(
        how(&frozen).contains("from the [ahp] judgements,"),
        "{frozen}"
    );
    assert!(frozen.contains("[ahp.indicators]"), "kept as a record");
    let config = write(
        dir.path(),
        "combined.toml",
        &kunming_groups(
            "weights = \"combined\"\nentropy_shift = 0.01",
            &format!(
                "{}\n[combined]\nsubjective = \"ahp\"\nobjective = \"entropy\"\nalpha = 0.4\n",
                kunming_ahp()
            ),
        ),
    );
    let frozen = assert_freezes(dir.path(), KUNMING, &config, "combined");
    assert!(
        how(&frozen).contains("from the [ahp] judgements and the 42 rows"),
        "{frozen}"
    );
}

#[test]
fn every_method_freezes_on_a_three_level_definition_with_other_column_names() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "s.csv", &synthetic_csv());
    let ahp = format!(
        "\n[ahp]\ndimensions = [[1, 2], [\"1/2\", 1]]\n[ahp.groups]\nprosperity = [[1, 3], [\"1/3\", 1]]\n[ahp.indicators]\nincome = [[1, \"1/2\"], [2, 1]]\nquality = {}\n",
        consistent(&[1, 1])
    );
    for method in ["entropy", "critic", "cv", "pca", "equal", "ahp", "combined"] {
        let tail = match method {
            "ahp" => ahp.clone(),
            "combined" => {
                format!("{ahp}[combined]\nsubjective = \"ahp\"\nobjective = \"pca\"\nalpha = 0.5\n")
            }
            _ => String::new(),
        };
        let text = synthetic(&format!("weights = \"{method}\"")) + &tail;
        let config = write(dir.path(), &format!("{method}.toml"), &text);
        let frozen = assert_freezes(dir.path(), &data, &config, method);
        // Comments before and on the lines edited are kept.
        assert!(frozen.starts_with("# A three-level index"), "{frozen}");
        assert!(frozen.contains("unit = \"region\"   # the unit column"));
        assert!(
            frozen.contains("# income counts double"),
            "a replaced weight keeps its comment:\n{frozen}"
        );
    }
    // AHP's weights by hand: prosperity ⅔ (income ¾ of it: p1 ⅓, p2 ⅔;
    // cost ¼), quality ⅓ (q1, q2 half each).
    let config = write(
        dir.path(),
        "ahp.toml",
        &(synthetic("weights = \"ahp\"") + &ahp),
    );
    let json = json(&succeed(&[
        "weights", "--config", &config, "--format", "json",
    ]));
    let global: Vec<f64> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| number(&i["global_weight"]))
        .collect();
    let expected = [
        2.0 / 3.0 * 0.75 / 3.0,
        2.0 / 3.0 * 0.75 * 2.0 / 3.0,
        2.0 / 3.0 * 0.25,
        1.0 / 6.0,
        1.0 / 6.0,
    ];
    for (g, e) in global.iter().zip(expected) {
        assert_close(*g, e, 1e-12);
    }
    assert_eq!(json["groups"][0]["id"], "income");
    assert_close(number(&json["groups"][0]["weight"]), 0.75, 1e-12);
    assert_close(number(&json["groups"][0]["global_weight"]), 0.5, 1e-12);
}

#[test]
fn csv_is_one_row_per_indicator_under_the_exact_header() {
    let output = succeed(&["weights", KUNMING, "--method", "entropy", "--format", "csv"]);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "dimension,indicator,weight,global_weight");
    assert_eq!(lines.len(), 1 + 46);
    assert!(
        lines[1].starts_with("vitality,volunteer_activity,"),
        "{}",
        lines[1]
    );
    let rows: Vec<(String, f64, f64)> = lines[1..]
        .iter()
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), 4, "{line}");
            (
                cells[0].to_string(),
                cells[2].parse().unwrap(),
                cells[3].parse().unwrap(),
            )
        })
        .collect();
    let total: f64 = rows.iter().map(|r| r.2).sum();
    assert_close(total, 1.0, 1e-12);
    // weight = global ÷ the dimension's global weight: each dimension's
    // weights sum to 1.
    for dimension in ["vitality", "services", "environment"] {
        let within: f64 = rows.iter().filter(|r| r.0 == dimension).map(|r| r.1).sum();
        assert_close(within, 1.0, 1e-12);
    }
    // Full precision: more digits than the table's four.
    assert!(
        lines[1].split(',').nth(3).unwrap().len() > 10,
        "{}",
        lines[1]
    );
}

#[test]
fn json_has_the_rows_dimensions_and_conventions() {
    let output = succeed(&[
        "weights", KUNMING, "--method", "entropy", "--format", "json",
    ]);
    let json = json(&output);
    assert_eq!(json["method"], "entropy");
    assert_eq!(json["entropy"]["zero_log"], "0·ln0=0");
    assert_eq!(json["entropy"]["shift"], serde_json::json!(0));
    assert_eq!(json["rows"], 42);
    assert_eq!(json["period"], Value::Null);
    assert_eq!(json["data"], KUNMING);
    let dimensions = json["dimensions"].as_array().unwrap();
    assert_eq!(dimensions.len(), 3);
    assert_eq!(dimensions[0]["id"], "vitality");
    let dimension_total: f64 = dimensions.iter().map(|d| number(&d["weight"])).sum();
    assert_close(dimension_total, 1.0, 1e-12);
    assert!(
        json.get("groups").is_none(),
        "no groups in a two-level index"
    );
    let indicators = json["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 46);
    let first = &indicators[0];
    for key in [
        "dimension",
        "indicator",
        "weight",
        "global_weight",
        "manual_weight",
    ] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
    assert_eq!(first["indicator"], "volunteer_activity");
    assert_close(number(&first["manual_weight"]), 1.0 / 45.0, 1e-15);
    // d = 1 − e, and the weights are d ÷ Σd.
    let d: Vec<f64> = indicators
        .iter()
        .map(|i| number(&i["divergence"]))
        .collect();
    let sum: f64 = d.iter().sum();
    assert_close(number(&first["entropy"]), 1.0 - d[0], 1e-15);
    assert_close(number(&first["global_weight"]), d[0] / sum, 1e-12);
}

#[test]
fn ahp_json_and_table_give_every_matrix_with_its_consistency() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "ahp.toml",
        &kunming_groups("weights = \"ahp\"", &kunming_ahp()),
    );
    // AHP reads no data.
    let json = json(&succeed(&[
        "weights", "--config", &config, "--format", "json",
    ]));
    assert_eq!(json["method"], "ahp");
    assert_eq!(json["ahp"]["method"], "eigen");
    assert_eq!(json["ahp"]["ri_table"], "saaty");
    let matrices = json["ahp"]["matrices"].as_array().unwrap();
    assert_eq!(matrices.len(), 1 + 3 + 11);
    let dimensions = &matrices[0];
    assert_eq!(dimensions["name"], "[ahp] dimensions");
    for key in [
        "labels",
        "weights",
        "lambda_max",
        "ci",
        "ri",
        "cr",
        "consistent",
    ] {
        assert!(dimensions.get(key).is_some(), "{key} in {dimensions}");
    }
    assert_eq!(dimensions["labels"][0], "vitality");
    assert_eq!(dimensions["ri"], 0.58);
    assert_eq!(dimensions["consistent"], true);
    // Saaty's 3×3 example [[1,3,5],[1/3,1,2],[1/5,1/2,1]]: w ≈ 0.648, 0.230,
    // 0.122, λmax ≈ 3.0037, CR ≈ 0.0032.
    assert_close(number(&dimensions["weights"]["vitality"]), 0.6483, 1e-4);
    assert_close(number(&dimensions["lambda_max"]), 3.0037, 1e-4);
    assert_close(number(&json["dimensions"][0]["weight"]), 0.6483, 1e-4);
    // volunteering's indicators weigh 4, 3, 2, 1: 0.4 … 0.1 of the group.
    let volunteering = matrices
        .iter()
        .find(|m| m["name"] == "[ahp.indicators] volunteering")
        .unwrap();
    assert_close(
        number(&volunteering["weights"]["volunteer_activity"]),
        0.4,
        1e-12,
    );
    assert_eq!(volunteering["cr"], 0.0);
    assert_eq!(json["rows"], Value::Null);
    assert_eq!(json["groups"].as_array().unwrap().len(), 11);

    let table = stdout(&succeed(&["weights", "--config", &config]));
    assert!(
        table.contains("[ahp] dimensions: λmax = 3.0037, CI = 0.0018, RI = 0.58, CR = 0.0032: consistent (CR < 0.10)"),
        "{table}"
    );
    assert!(
        table.contains("[ahp.indicators] ecology: λmax = 6.0000"),
        "{table}"
    );
    // Groups are indented under their dimension, indicators under them.
    assert!(table.contains("│ vitality "), "{table}");
    assert!(table.contains("│   volunteering "), "{table}");
    assert!(table.contains("│     volunteer_activity "), "{table}");
}

#[test]
fn an_inconsistent_matrix_stops_naming_it_and_the_judgement_to_revise() {
    let dir = tempfile::tempdir().unwrap();
    // Three items to make a cycle of: a definition of its own.
    let text = r#"[index]
name = "Cycle"
[method]
weights = "ahp"
[[dimension]]
id = "d"
[[dimension.indicator]]
id = "a"
[[dimension.indicator]]
id = "b"
[[dimension.indicator]]
id = "c"
[ahp.indicators]
d = [[1, 3, "1/3"], ["1/3", 1, 3], [3, "1/3", 1]]
"#;
    let config = write(dir.path(), "cycle.toml", text);
    let output = run(&["weights", "--config", &config]);
    assert_eq!(output.status.code(), Some(1), "{}", messages(&output));
    assert!(output.stdout.is_empty());
    let stderr = messages(&output);
    assert!(
        stderr.contains("[ahp.indicators] d")
            && stderr.contains("is not consistent enough: CR = 1.1494"),
        "{stderr}"
    );
    assert!(
        stderr.contains("revise the judgement of `a` over `b` (row 1, column 2)"),
        "{stderr}"
    );
    // Freezing stops the same way.
    let output = run(&["weights", "--config", &config, "--format", "toml"]);
    assert_eq!(output.status.code(), Some(1));

    let allowed = text.replace(
        "[ahp.indicators]",
        "[ahp]\nallow_inconsistent = true\n[ahp.indicators]",
    );
    let config = write(dir.path(), "allowed.toml", &allowed);
    let output = succeed(&["weights", "--config", &config, "--format", "json"]);
    let stderr = messages(&output);
    assert!(
        stderr.contains("warning: ") && stderr.contains("CR = 1.1494"),
        "{stderr}"
    );
    let json = json(&output);
    assert_eq!(json["ahp"]["matrices"][0]["consistent"], false);
    assert_eq!(json["ahp"]["allow_inconsistent"], true);
    // A cycle of equal strength: every item the same.
    assert_close(number(&json["indicators"][0]["weight"]), 1.0 / 3.0, 1e-9);
}

#[test]
fn the_method_flag_overrides_the_definition() {
    let dir = tempfile::tempdir().unwrap();
    let entropy = write(
        dir.path(),
        "entropy.toml",
        &builtin_with("weights = \"entropy\"\nentropy_shift = 0.01"),
    );
    let critic = write(
        dir.path(),
        "critic.toml",
        &builtin_with("weights = \"critic\""),
    );
    let flag = stdout(&succeed(&[
        "weights", KUNMING, "--config", &entropy, "--method", "critic", "--format", "csv",
    ]));
    let own = stdout(&succeed(&[
        "weights", KUNMING, "--config", &critic, "--format", "csv",
    ]));
    assert_eq!(flag, own);
    let entropy_csv = stdout(&succeed(&[
        "weights", KUNMING, "--config", &entropy, "--format", "csv",
    ]));
    assert_ne!(flag, entropy_csv);
    // manual: the weights as written (1/45 and 1/48 on the built-in index).
    let json = json(&succeed(&[
        "weights", "--config", &entropy, "--method", "manual", "--format", "json",
    ]));
    assert_eq!(json["method"], "manual");
    assert_close(
        number(&json["indicators"][0]["global_weight"]),
        1.0 / 45.0,
        1e-15,
    );
    // The frozen file of an override says which method made the weights.
    let frozen = stdout(&succeed(&[
        "weights", KUNMING, "--config", &entropy, "--method", "cv", "--format", "toml",
    ]));
    assert!(how(&frozen).contains("with weights = \"cv\""), "{frozen}");
    assert!(!frozen.contains("entropy_shift"), "{frozen}");
}

#[test]
fn ahp_asked_for_by_flag_needs_a_matrix_for_every_set_of_siblings() {
    let dir = tempfile::tempdir().unwrap();
    // The definition's own method is manual, so its check did not ask for
    // the group matrices.
    let text = synthetic("") + "\n[ahp]\ndimensions = [[1, 2], [\"1/2\", 1]]\n";
    let config = write(dir.path(), "partial.toml", &text);
    let output = run(&["weights", "--config", &config, "--method", "ahp"]);
    assert_eq!(output.status.code(), Some(1), "{}", messages(&output));
    let stderr = messages(&output);
    assert!(
        stderr.contains("[ahp.groups] prosperity is missing: AHP needs a judgement matrix for the 2 groups of dimension `prosperity`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[ahp.indicators] income is missing"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[ahp.indicators] quality is missing"),
        "{stderr}"
    );
    // The built-in definition has no [ahp] at all.
    let output = run(&["weights", "--method", "ahp"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(messages(&output).contains("AHP weights need an [ahp] table"));
}

#[test]
fn a_method_that_reads_data_needs_the_data() {
    let output = run(&["weights", "--method", "entropy"]);
    assert_eq!(output.status.code(), Some(2), "{}", messages(&output));
    let stderr = messages(&output);
    assert!(
        stderr.contains(
            "error: weights = \"entropy\" are derived from the data, and no data file was given"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("name the data file"), "{stderr}");
    assert!(output.stdout.is_empty());
    // A method that reads none leaves the data alone, and says so.
    let output = succeed(&["weights", KUNMING, "--method", "equal", "--format", "csv"]);
    assert!(
        messages(&output).contains("is not read"),
        "{}",
        messages(&output)
    );
    let text = stdout(&output);
    let first: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(first[..2], ["vitality", "volunteer_activity"]);
    assert_close(first[2].parse().unwrap(), 1.0 / 15.0, 1e-15);
    assert_close(first[3].parse().unwrap(), 1.0 / 45.0, 1e-15);
}

#[test]
fn the_period_flag_derives_on_one_period() {
    let json = json(&succeed(&[
        "weights", KUNMING, "--method", "entropy", "--period", "2018", "--format", "json",
    ]));
    assert_eq!(json["rows"], 14);
    assert_eq!(json["period"], "2018");
    let pooled = json_of(&[
        "weights", KUNMING, "--method", "entropy", "--format", "json",
    ]);
    assert_ne!(
        json["indicators"][0]["weight"],
        pooled["indicators"][0]["weight"]
    );
    // The same as weights_period in the definition.
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "p.toml",
        &builtin_with("weights = \"entropy\"\nweights_period = \"2018\""),
    );
    let own = json_of(&["weights", KUNMING, "--config", &config, "--format", "json"]);
    assert_eq!(own["indicators"], json["indicators"]);
    let frozen = assert_freezes(dir.path(), KUNMING, &config, "period");
    assert!(
        how(&frozen).contains("the 14 rows of period 2018 of"),
        "{frozen}"
    );

    let output = run(&[
        "weights", KUNMING, "--method", "entropy", "--period", "2030",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = messages(&output);
    assert!(
        stderr.contains("--period: the data has no period `2030`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("choose one of: 2017, 2018, 2019"),
        "{stderr}"
    );
    // In the definition, the same mistake is the definition's (exit 1).
    let config = write(
        dir.path(),
        "q.toml",
        &builtin_with("weights = \"entropy\"\nweights_period = \"2030\""),
    );
    let output = run(&["weights", KUNMING, "--config", &config]);
    assert_eq!(output.status.code(), Some(1));
    // --period with a method that reads no data is refused, not ignored.
    let output = run(&["weights", "--method", "equal", "--period", "2018"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(messages(&output).contains("reads no data"));
}

#[test]
fn the_table_shows_manual_beside_derived_weights_and_the_diagnostics() {
    let output = succeed(&["weights", KUNMING, "--method", "entropy"]);
    let table = stdout(&output);
    assert!(
        table.starts_with("昆明市社会治理指数 — weights = \"entropy\"\n"),
        "{table}"
    );
    for heading in ["item", "name", "manual", "weight", "global", "e", "d"] {
        assert!(table.contains(heading), "{heading}:\n{table}");
    }
    assert!(table.contains("│ vitality "), "{table}");
    assert!(table.contains("│   volunteer_activity "), "{table}");
    assert!(table.contains("0.0222"), "the manual weight 1/45:\n{table}");
    assert!(
        table.contains("Derived from the 42 rows of samples/kunming.csv, every period pooled."),
        "{table}"
    );
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "s.csv", &synthetic_csv());
    let config = write(dir.path(), "s.toml", &synthetic(""));
    for (method, headings) in [
        ("critic", &["sd", "Σ(1−r)", "C"][..]),
        ("cv", &["mean", "sd", "cv"][..]),
        ("pca", &["factor", "loading", "scaled"][..]),
    ] {
        let table = stdout(&succeed(&[
            "weights", &data, "--config", &config, "--method", method, "--ascii",
        ]));
        for heading in headings {
            assert!(table.contains(heading), "{method}: {heading}:\n{table}");
        }
    }
    let table = stdout(&succeed(&[
        "weights", &data, "--config", &config, "--method", "pca",
    ]));
    assert!(table.contains("2 factor(s) kept"), "{table}");
}

#[test]
fn output_never_overwrites_the_definition_or_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let text = builtin_with("weights = \"entropy\"");
    let config = write(dir.path(), "k.toml", &text);
    let output = run(&[
        "weights", KUNMING, "--config", &config, "--format", "toml", "-o", &config,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        messages(&output).contains("k.toml"),
        "{}",
        messages(&output)
    );
    assert_eq!(fs::read_to_string(&config).unwrap(), text);
    // The format follows the output file's name.
    let out = dir.path().join("w.json");
    succeed(&["weights", KUNMING, "--config", &config, "-o", path(&out)]);
    let json: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["method"], "entropy");
}

/// The JSON a successful run writes.
fn json_of(args: &[&str]) -> Value {
    json(&succeed(args))
}
