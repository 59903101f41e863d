//! Grade bands from the command line: a column in every format, counts in
//! the total, dimension grades with `applies_to`.

mod common;
use common::*;

const BANDS: &str = r#"
[[grade]]
label = "优秀"
min = 85
applies_to = ["composite", "vitality"]

[[grade]]
label = "良好"
min = 80
max = 85
applies_to = ["composite", "vitality"]

[[grade]]
label = "一般"
applies_to = ["composite", "vitality"]
"#;

fn graded(extra: &[&str]) -> Output {
    let case = Case::new();
    let text = fs::read_to_string("config/kunming.toml").unwrap() + BANDS;
    let config = case.file("k.toml", text);
    run(&[
        &["score", "samples/kunming.csv", "--config", path(&config)],
        extra,
    ]
    .concat())
}

#[test]
fn json_grades_each_unit_and_counts_them() {
    let doc = json(&graded(&["--format", "json"]));
    let period = &doc["periods"][0];
    let mut counted = 0;
    for unit in period["units"].as_array().unwrap() {
        let composite = number(&unit["composite"]);
        let expected = if composite >= 85.0 {
            "优秀"
        } else if composite >= 80.0 {
            "良好"
        } else {
            "一般"
        };
        assert_eq!(unit["grade"], expected, "{unit}");
        assert!(unit["dimension_grades"]["vitality"].is_string());
        assert!(unit["dimension_grades"].get("services").is_none());
        counted += 1;
    }
    let counts = period["grade_counts"].as_object().unwrap();
    let sum: u64 = counts.values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(sum, counted);
    assert_eq!(counts.keys().collect::<Vec<_>>(), ["优秀", "良好", "一般"]);
}

#[test]
fn csv_has_grade_columns_and_the_total_row_counts() {
    let out = ok(&graded(&["--format", "csv", "--total-row"]));
    let header = out.lines().next().unwrap();
    assert!(
        header.ends_with(",change,pct_change,rank_change,grade,vitality_grade"),
        "{header}"
    );
    let total = out.lines().last().unwrap();
    assert!(total.contains(",\"优秀 5, 良好 1, 一般 8\","), "{total}");
}

#[test]
fn table_and_markdown_show_the_grade() {
    let table = ok(&graded(&[]));
    assert!(table.contains("grade") && table.contains("优秀"), "{table}");
    let markdown = ok(&graded(&["--format", "markdown"]));
    assert!(
        markdown.contains("| Grade |") && markdown.contains("社会活力 grade"),
        "{markdown}"
    );
}

#[test]
fn bands_with_a_gap_are_refused() {
    let case = Case::new();
    let text = fs::read_to_string("config/kunming.toml").unwrap()
        + "[[grade]]\nlabel = \"A\"\nmin = 90\n[[grade]]\nlabel = \"B\"\nmax = 80\n";
    let config = case.file("k.toml", text);
    let out = run(&["score", "samples/kunming.csv", "--config", path(&config)]);
    fails(&out, &["[[grade]] `A`", "from 80 to 90 without a grade"]);
}

/// A composite that prints as 57.00 but sums to 56.99999999999999 is in the
/// band from 57; a dimension called `grade` and a label used twice are refused.
#[test]
fn edges_ignore_rounding_noise_and_clashes_are_refused() {
    let case = Case::new();
    let definition = "[index]\nname='T'\n[method]\nnormalize='goalposts'\n[[dimension]]\nid='d'\n[[dimension.indicator]]\nid='a'\ngoalposts=[0,1]\n[[grade]]\nlabel='pass'\nmin=57\n[[grade]]\nlabel='fail'\n";
    let out = case.score(
        definition,
        "unit,period,a\nA,2019,0.57\n",
        &["--format", "json"],
    );
    let doc = json(&out);
    assert_eq!(doc["periods"][0]["units"][0]["grade"], "pass", "{doc}");
    let clash = definition.replace("id='d'", "id='grade'");
    fails(
        &case.score(&clash, "unit,period,a\nA,2019,0.57\n", &[]),
        &["dimension `grade`"],
    );
    let twice = definition.replace("label='fail'", "label='pass'");
    fails(
        &case.score(&twice, "unit,period,a\nA,2019,0.57\n", &[]),
        &["the label is used by another band"],
    );
}
