//! `kmgov sql`: the command line, its exit codes and messages, and the SQL
//! it writes for a small definition (a golden file per dialect). Whether
//! the SQL computes kmgov's numbers is checked on real engines by
//! tests/sql/check.py.

mod common;

use std::path::Path;

use common::*;

const SMALL: &str = r#"
[index]
name = "Small"
label = "小指数"
[data]
unit = "district"
period = "year"
[method]
normalize = "minmax"
missing = "skip"
[[dimension]]
id = "vitality"
name = "社会活力"
[[dimension.indicator]]
id = "volunteers"
name = "志愿者"
[[dimension.indicator]]
id = "wait days"
direction = "lower"
weight = 3
[[dimension]]
id = "services"
weight = 2
[[dimension.indicator]]
id = "insurance"
goalposts = [80, 100]
normalize = "goalposts"
"#;

fn golden(dialect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "small.toml", SMALL);
    let output = kmgov()
        .current_dir(dir.path())
        .args([
            "sql",
            "--config",
            "small.toml",
            "--dialect",
            dialect,
            "--total",
            "-q",
        ])
        .output()
        .unwrap();
    let actual = stdout(&output);
    let _ = config;
    let path = Path::new("tests/sql").join(format!("small.{dialect}.sql"));
    if std::env::var_os("KMGOV_BLESS").is_some() {
        std::fs::write(&path, &actual).expect("golden file is writable");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with KMGOV_BLESS=1", path.display()));
    assert_eq!(
        actual,
        expected,
        "the {dialect} SQL differs from {}",
        path.display()
    );
}

#[test]
fn duckdb_sql_matches_golden() {
    golden("duckdb");
}

#[test]
fn spark_sql_matches_golden() {
    golden("spark");
}

#[test]
fn postgres_sql_matches_golden() {
    golden("postgres");
}

#[test]
fn the_builtin_index_as_two_statements() {
    let output = run(&["sql", "--dialect", "duckdb"]);
    let text = stdout(&output);
    assert!(
        text.starts_with("-- 昆明市社会治理指数, written by kmgov"),
        "{text}"
    );
    assert!(text.contains("-- kmgov statement 1 of 2: the missing cells"));
    assert!(text.contains("-- kmgov statement 2 of 2: the scores"));
    assert!(text.contains("AND kmgov_order = (SELECT MAX(kmgov_order) FROM kmgov_periods)"));
    // The note names the definition used, on standard error only.
    assert!(messages(&output).contains("built-in Kunming definition"));
}

#[test]
fn the_dialect_is_required_and_checked() {
    let output = run(&["sql"]);
    assert_eq!(output.status.code(), Some(2), "{}", messages(&output));
    let output = run(&["sql", "--dialect", "mysql"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        messages(&output).contains("duckdb"),
        "{}",
        messages(&output)
    );
    let output = run(&[
        "sql",
        "--dialect",
        "spark",
        "--period",
        "2019",
        "--all-periods",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["sql", "--dialect", "spark", "--form", "tall"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn derived_weights_are_refused_until_frozen() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "entropy.toml",
        &SMALL.replace(
            "missing = \"skip\"",
            "missing = \"skip\"\nweights = \"entropy\"",
        ),
    );
    let output = run(&["sql", "--config", &config, "--dialect", "postgres"]);
    let stderr = fails(
        &output,
        &["weights = \"entropy\" derives the weights from the data"],
    );
    assert!(stderr.contains("kmgov weights --format toml"), "{stderr}");
}

#[test]
fn a_bad_table_name_is_bad_usage() {
    let output = run(&["sql", "--dialect", "duckdb", "--table", "warehouse."]);
    assert_eq!(output.status.code(), Some(2), "{}", messages(&output));
    assert!(messages(&output).contains("`warehouse.` is not a table name"));
}

#[test]
fn output_is_written_whole_and_never_over_the_definition() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "small.toml", SMALL);
    let out = dir.path().join("q.sql");
    let output = run(&[
        "sql",
        "--config",
        &config,
        "--dialect",
        "spark",
        "--all-periods",
        "-o",
        path(&out),
    ]);
    assert!(output.status.success(), "{}", messages(&output));
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("FROM `data`"), "{written}");
    let output = run(&[
        "sql",
        "--config",
        &config,
        "--dialect",
        "spark",
        "-o",
        &config,
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", messages(&output));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), SMALL);
}
