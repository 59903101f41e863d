//! The SQL text: its structure, per dialect, and what it refuses.

use super::*;

const TREE: &str = r#"
[index]
name = "T"
[method]
normalize = "NORMALIZE"
missing = "MISSING"
aggregate = "AGGREGATE"
[[dimension]]
id = "a"
weight = 3
[[dimension.group]]
id = "g1"
aggregate = "geometric"
[[dimension.group.group]]
id = "g11"
[[dimension.group.group.indicator]]
id = "x"
[[dimension.group.group.indicator]]
id = "社会 活力"
weight = 3
direction = "lower"
[[dimension.group]]
id = "g2"
[[dimension.group.indicator]]
id = "z"
[[dimension]]
id = "b"
[[dimension.indicator]]
id = "v"
"#;

fn definition(normalize: &str, missing: &str, aggregate: &str) -> Definition {
    let text = TREE
        .replace("NORMALIZE", normalize)
        .replace("MISSING", missing)
        .replace("AGGREGATE", aggregate);
    Definition::from_toml(&text, "t.toml").unwrap()
}

fn request(dialect: Dialect) -> Request {
    Request {
        dialect,
        table: DEFAULT_TABLE.into(),
        form: Form::Wide,
        periods: Periods::All,
        total: false,
    }
}

fn sql(definition: &Definition, request: &Request) -> String {
    generate(definition, request).unwrap().text()
}

fn messages(definition: &Definition, request: &Request) -> Vec<String> {
    generate(definition, request)
        .unwrap_err()
        .problems()
        .iter()
        .map(|p| format!("{p} | {}", p.hint.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn one_cte_per_level_of_the_tree_deepest_first() {
    let text = sql(
        &definition("minmax", "skip", "arithmetic"),
        &request(Dialect::Duckdb),
    );
    let level3 = text.find("kmgov_level_3 AS (").unwrap();
    let level2 = text.find("kmgov_level_2 AS (").unwrap();
    let dimensions = text.find("kmgov_dimensions AS (").unwrap();
    let composite = text.find("kmgov_composite AS (").unwrap();
    assert!(level3 < level2 && level2 < dimensions && dimensions < composite);
    // g11 at level 3 from its indicators; g1 (geometric, its own) and g2 at level 2.
    let level3_body = &text[level3..level2];
    assert!(level3_body.contains("AS \"g11\""), "{level3_body}");
    let level2_body = &text[level2..dimensions];
    assert!(level2_body.contains("EXP(") && level2_body.contains("AS \"g1\""));
    assert!(level2_body.contains("-- geometric"), "{level2_body}");
}

#[test]
fn weights_are_exact_literals_and_renormalised_over_the_present_under_skip() {
    let text = sql(
        &definition("minmax", "skip", "arithmetic"),
        &request(Dialect::Duckdb),
    );
    // x weighs ¼ and 社会 活力 ¾ in g11; a weighs ¾ and b ¼ in the composite.
    assert!(text.contains("(COALESCE(2.5e-1 * \"x\", 0) + COALESCE(7.5e-1 * \"社会 活力\", 0)) / NULLIF(CASE WHEN \"x\" IS NULL THEN 0 ELSE 2.5e-1 END + CASE WHEN \"社会 活力\" IS NULL THEN 0 ELSE 7.5e-1 END, 0)"), "{text}");
    let full = sql(
        &definition("minmax", "error", "arithmetic"),
        &request(Dialect::Duckdb),
    );
    // Without skip every child is present: the weight sum is a constant.
    assert!(
        full.contains("(7.5e-1 * \"a\" + 2.5e-1 * \"b\") / 1 AS kmgov_composite"),
        "{full}"
    );
}

#[test]
fn geometric_fails_the_query_on_a_score_of_zero_or_below() {
    let text = sql(
        &definition("efficacy", "error", "geometric"),
        &request(Dialect::Duckdb),
    );
    assert!(text.contains("LN(CASE WHEN \"z\" IS NULL OR \"z\" > 0 THEN \"z\" ELSE error('kmgov: indicator `z`, unit ' || kmgov_unit"), "{text}");
    assert!(text.contains("is not above zero, which geometric aggregation cannot take"));
    let pg = sql(
        &definition("efficacy", "error", "harmonic"),
        &request(Dialect::Postgres),
    );
    assert!(
        pg.contains("ELSE CAST('kmgov: indicator `z`, unit ' || kmgov_unit"),
        "{pg}"
    );
}

#[test]
fn identifiers_are_quoted_per_dialect() {
    let d = definition("rank", "skip", "arithmetic");
    let spark = sql(&d, &request(Dialect::Spark));
    assert!(
        spark.contains("CAST(`社会 活力` AS DOUBLE) AS `社会 活力`"),
        "{spark}"
    );
    assert!(spark.contains("kmgov_period AS `period`"));
    assert!(!spark.contains("\"社会 活力\""));
    let pg = sql(&d, &request(Dialect::Postgres));
    assert!(pg.contains("CAST(\"社会 活力\" AS DOUBLE PRECISION) AS \"社会 活力\""));
    // Each stage computed once: PostgreSQL would copy a child's expression
    // into every reference of its parent, level after level.
    assert!(pg.contains("kmgov_level_3 AS MATERIALIZED (\n"), "{pg}");
    assert!(!spark.contains("MATERIALIZED"));
    assert!(pg.contains("ORDER BY kmgov_order, kmgov_rank NULLS LAST, kmgov_unit COLLATE \"C\""));
    let quoted = Request {
        table: "warehouse.指标 表".into(),
        ..request(Dialect::Spark)
    };
    assert!(sql(&d, &quoted).contains("FROM `warehouse`.`指标 表`"));
}

#[test]
fn carry_uses_each_engines_last_value_idiom() {
    let d = definition("minmax", "carry", "arithmetic");
    assert!(sql(&d, &request(Dialect::Duckdb)).contains(
        "LAST_VALUE(\"x\" IGNORE NULLS) OVER (PARTITION BY kmgov_unit ORDER BY kmgov_order"
    ));
    assert!(
        sql(&d, &request(Dialect::Spark)).contains("LAST(`x`, TRUE) OVER (PARTITION BY kmgov_unit")
    );
    let pg = sql(&d, &request(Dialect::Postgres));
    assert!(pg.contains("COUNT(\"x\") OVER (PARTITION BY kmgov_unit ORDER BY kmgov_order ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS kmgov_run_0"));
    assert!(
        pg.contains(
            "COALESCE(\"x\", MAX(\"x\") OVER (PARTITION BY kmgov_unit, kmgov_run_0)) AS \"x\""
        ),
        "{pg}"
    );
}

#[test]
fn statements_the_missing_cells_first_under_error_and_the_total_last() {
    let d = definition("minmax", "error", "arithmetic");
    let script = generate(
        &d,
        &Request {
            total: true,
            ..request(Dialect::Duckdb)
        },
    )
    .unwrap();
    let purposes: Vec<&str> = script
        .statements
        .iter()
        .map(|s| s.purpose.as_str())
        .collect();
    assert_eq!(purposes.len(), 3);
    assert!(purposes[0].starts_with("the missing cells"));
    assert!(purposes[1].starts_with("the scores"));
    assert!(purposes[2].starts_with("each period's total"));
    assert!(script.statements.iter().all(|s| s.text.ends_with(';')));
    let text = script.text();
    assert_eq!(text.matches(STATEMENT_MARK).count(), 3);
    assert!(text.contains("-- kmgov statement 2 of 3: the scores"));
    let skip = generate(
        &definition("minmax", "skip", "arithmetic"),
        &request(Dialect::Duckdb),
    )
    .unwrap();
    assert_eq!(skip.statements.len(), 1);
}

#[test]
fn z_scores_have_no_percentage_change() {
    let text = sql(
        &definition("zscore", "skip", "arithmetic"),
        &request(Dialect::Duckdb),
    );
    assert!(text.contains("CAST(NULL AS DOUBLE) AS \"pct_change\",  -- null: a percentage of a z-score means nothing"), "{text}");
    let minmax = sql(
        &definition("minmax", "skip", "arithmetic"),
        &request(Dialect::Duckdb),
    );
    assert!(minmax.contains("CASE WHEN kmgov_previous > kmgov_noise THEN 100 * (kmgov_composite - kmgov_previous) / kmgov_previous END AS \"pct_change\""));
    assert!(minmax.contains("1e-12 * MAX(ABS(kmgov_composite)) OVER () AS kmgov_noise"));
}

#[test]
fn periods_latest_one_or_all() {
    let d = definition("minmax", "skip", "arithmetic");
    let latest = sql(
        &d,
        &Request {
            periods: Periods::Latest,
            ..request(Dialect::Duckdb)
        },
    );
    assert!(latest.contains("AND kmgov_order = (SELECT MAX(kmgov_order) FROM kmgov_periods)"));
    let one = sql(
        &d,
        &Request {
            periods: Periods::One("２０１９".into()),
            ..request(Dialect::Duckdb)
        },
    );
    // The period is matched as kmgov matches it (full-width digits folded),
    // and an unknown one fails the query.
    assert!(one.contains("AND kmgov_period = '2019'"), "{one}");
    assert!(one.contains("the data has no period `2019`"));
}

#[test]
fn derived_weights_are_refused_with_the_command_that_freezes_them() {
    let text = TREE
        .replace("NORMALIZE", "minmax")
        .replace("MISSING", "skip")
        .replace("AGGREGATE", "arithmetic")
        .replace("[method]", "[method]\nweights = \"entropy\"");
    let d = Definition::from_toml(&text, "t.toml").unwrap();
    let found = messages(&d, &request(Dialect::Duckdb));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with(
            "t.toml: [method] weights: weights = \"entropy\" derives the weights from the data"
        ),
        "{found:?}"
    );
    assert!(found[0].contains("`kmgov weights --format toml`"));
    // Equal weights need no data: written in, as `score` would use them.
    let equal = Definition::from_toml(&text.replace("\"entropy\"", "\"equal\""), "t.toml").unwrap();
    let written = sql(&equal, &request(Dialect::Duckdb));
    assert!(
        written.contains("(5e-1 * \"a\" + 5e-1 * \"b\") / 1 AS kmgov_composite")
            || written.contains("COALESCE(5e-1 * \"a\", 0)"),
        "{written}"
    );
}

#[test]
fn names_the_engine_would_confuse_are_refused() {
    let text = TREE
        .replace("NORMALIZE", "minmax")
        .replace("MISSING", "skip")
        .replace("AGGREGATE", "arithmetic")
        .replace("id = \"v\"", "id = \"X\"");
    let d = Definition::from_toml(&text, "t.toml").unwrap();
    let found = messages(&d, &request(Dialect::Duckdb));
    assert!(
        found[0].contains(
            "`x` and `X` differ only in case, and duckdb reads column names without regard to case"
        ),
        "{found:?}"
    );
    // PostgreSQL tells them apart, but cuts names at 63 bytes.
    assert!(generate(&d, &request(Dialect::Postgres)).is_ok());
    let long = TREE
        .replace("NORMALIZE", "minmax")
        .replace("MISSING", "skip")
        .replace("AGGREGATE", "arithmetic")
        .replace("id = \"v\"", &format!("id = \"{}\"", "指".repeat(20)));
    let d = Definition::from_toml(&long, "t.toml").unwrap();
    let found = messages(&d, &request(Dialect::Postgres));
    assert!(
        found[0].contains("is 66 bytes long; PostgreSQL keeps only the first 63"),
        "{found:?}"
    );
    assert!(generate(&d, &request(Dialect::Duckdb)).is_ok());
    let reserved = TREE
        .replace("NORMALIZE", "minmax")
        .replace("MISSING", "skip")
        .replace("AGGREGATE", "arithmetic")
        .replace("id = \"v\"", "id = \"kmgov_unit\"");
    let d = Definition::from_toml(&reserved, "t.toml").unwrap();
    assert!(messages(&d, &request(Dialect::Spark))[0].contains("begins with `kmgov_`"));
}

#[test]
fn a_table_name_with_an_empty_part_is_bad_usage() {
    let d = definition("minmax", "skip", "arithmetic");
    let error = generate(
        &d,
        &Request {
            table: "a..b".into(),
            ..request(Dialect::Duckdb)
        },
    )
    .unwrap_err();
    assert!(error.is_usage());
    assert!(error.to_string().contains("`a..b` is not a table name"));
}

#[test]
fn long_form_pivots_and_checks_repeated_and_absent_indicators() {
    let d = definition("minmax", "skip", "arithmetic");
    let text = sql(
        &d,
        &Request {
            form: Form::Long,
            ..request(Dialect::Postgres)
        },
    );
    assert!(
        text.contains(
            "MAX(CASE WHEN kmgov_indicator = '社会 活力' THEN kmgov_value END) AS \"社会 活力\""
        ),
        "{text}"
    );
    assert!(
        text.contains("GROUP BY kmgov_unit, kmgov_period, kmgov_indicator\n  HAVING COUNT(*) > 1"),
        "{text}"
    );
    assert!(text.contains("the table has no row for indicator(s) "));
}

#[test]
fn names_in_comments_cannot_end_the_comment() {
    let text = TREE
        .replace("NORMALIZE", "minmax")
        .replace("MISSING", "skip")
        .replace("AGGREGATE", "arithmetic")
        .replace(
            "id = \"z\"",
            "id = \"z\"\nname = \"line\\nDROP TABLE data; --\"",
        );
    let d = Definition::from_toml(&text, "t.toml").unwrap();
    let sql = sql(&d, &request(Dialect::Duckdb));
    assert!(!sql.contains("\nDROP TABLE"), "{sql}");
    assert!(sql.contains("-- line\\nDROP TABLE data; --"));
}
