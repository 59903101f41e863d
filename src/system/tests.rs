//! The indicator table read by hand-written tables: each column's names and
//! words, the index's own row, levels, and each problem at its cell.

use super::*;
use crate::definition::{Aggregate, Children, Direction, Parent};

fn import(text: &str) -> Result<Imported, Error> {
    import_bytes(text.as_bytes().to_vec(), "t.csv", &ImportOptions::default())
}

fn imported(text: &str) -> Imported {
    import(text).unwrap_or_else(|error| panic!("{:#?}", error.problems()))
}

/// Every problem as `location: message`, warnings marked.
fn problems(text: &str) -> Vec<String> {
    match import(text) {
        Ok(imported) => panic!("read without error:\n{}", imported.toml),
        Err(error) => error
            .problems()
            .iter()
            .map(|p| match p.severity {
                crate::Severity::Error => p.to_string(),
                crate::Severity::Warning => format!("warning: {p}"),
            })
            .collect(),
    }
}

/// The one problem of a table, with its hint.
fn only_problem(text: &str) -> (String, String) {
    let error = import(text).expect_err("an error");
    let problems: Vec<Problem> = error
        .problems()
        .into_iter()
        .filter(|p| p.severity == crate::Severity::Error)
        .collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    (
        problems[0].to_string(),
        problems[0].hint.clone().unwrap_or_default(),
    )
}

const THREE_LEVELS: &str = "\
指标代码,指标名称,上级指标,层级,权重,方向,下限,上限,单位
KSGI,昆明市社会治理指数,,0,,,,,
vitality,社会活力,KSGI,1,1,,,,
services,社会服务,KSGI,1,3,,,,
volunteering,志愿服务,vitality,2,2,,,,
organisations,社会组织,vitality,2,1,,,,
volunteer_rate,志愿者活跃度,volunteering,3,1,正向,20,80,%
volunteer_hours,人均志愿服务时长,volunteering,3,3,正向,0,40,小时
social_orgs,每万人社会组织数,organisations,3,1,正向,2,12,个
insurance,基本医疗保险参保率,services,2,1,正向,80,100,%
wait_days,平均候诊天数,services,2,1,负向,0,30,天
";

#[test]
fn a_three_level_table_with_chinese_headers_is_the_tree_it_shows() {
    let imported = imported(THREE_LEVELS);
    let d = &imported.definition;
    assert_eq!(d.name, "昆明市社会治理指数");
    assert_eq!(d.depth(), 3);
    let ids: Vec<&str> = d.dimensions.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["vitality", "services"]);
    assert_eq!(d.dimensions[1].weight, 0.75);
    let groups: Vec<(&str, f64, usize)> = d
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.weight, g.level))
        .collect();
    assert_eq!(
        groups,
        [
            ("volunteering", 2.0 / 3.0, 2),
            ("organisations", 1.0 / 3.0, 2)
        ]
    );
    assert_eq!(d.groups[0].children, Children::Indicators(0..2));
    assert_eq!(d.dimensions[1].children, Children::Indicators(3..5));
    let wait = &d.dimensions[1].indicators[1];
    assert_eq!(
        (wait.direction, wait.unit.as_deref()),
        (Direction::Lower, Some("天"))
    );
    assert_eq!(wait.goalposts.map(|g| (g.lo, g.hi)), Some((0.0, 30.0)));
    assert_eq!(d.dimensions[0].indicators[1].weight, 0.75);
    // Every indicator has goalposts: the index is normalised with them.
    assert_eq!(d.method.normalize, Normalize::Goalposts);
    // volunteer_hours: 1/3 (vitality) × 2/3 (volunteering) × 3/4.
    let global = d.global_weights();
    assert!(
        (global[1] - 0.25 * 2.0 / 3.0 * 0.75).abs() < 1e-15,
        "{global:?}"
    );
    assert!(imported.toml.contains("[[dimension.group.indicator]]"));
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

#[test]
fn the_text_written_reads_back_as_the_definition_returned() {
    let imported = imported(THREE_LEVELS);
    let again = Definition::from_toml(&imported.toml, "t.csv").unwrap();
    assert_eq!(again, imported.definition);
}

#[test]
fn a_four_level_table_nests_groups_in_groups() {
    let table = "\
id,parent,weight
d,,1
g,d,1
h,g,1
x,h,1
y,h,3
k,g,1
z,k,1
e,,1
w,e,1
";
    let d = imported(table).definition;
    assert_eq!(d.depth(), 4);
    let levels: Vec<(&str, usize, Parent)> = d
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.level, g.parent))
        .collect();
    assert_eq!(
        levels,
        [
            ("g", 2, Parent::Dimension(0)),
            ("h", 3, Parent::Group(0)),
            ("k", 3, Parent::Group(0))
        ]
    );
    let global = d.global_weights();
    // x: 1/2 × 1 × 1/2 × 1/4; y: three times that; z: 1/2 × 1/2; w: 1/2.
    let expected = [1.0 / 16.0, 3.0 / 16.0, 0.25, 0.5];
    for (g, e) in global.iter().zip(expected) {
        assert!((g - e).abs() < 1e-15, "{global:?}");
    }
}

#[test]
fn english_headers_and_words_in_any_case_are_read() {
    let table = "\
ID,Name,Parent,Level,Weight,Direction,Goalpost Lo,Goalpost_Hi,Unit,Normalize,Aggregate
a,Alpha,,一级,1,,,,,,geometric
x,X,a,二级,1,Lower,0,10,km,rank,
y,Y,a,二级指标,1,+,,,,,
";
    let imported = imported(table);
    let d = &imported.definition;
    assert_eq!(d.dimensions[0].aggregate, Some(Aggregate::Geometric));
    let x = &d.dimensions[0].indicators[0];
    assert_eq!(
        (x.direction, x.normalize, x.normalize_overridden),
        (Direction::Lower, Normalize::Rank, true)
    );
    assert_eq!(d.dimensions[0].indicators[1].direction, Direction::Higher);
    // y has no goalposts: minmax, x's own rank.
    assert_eq!(d.method.normalize, Normalize::Minmax);
    // No row for the index: named after the file, said in a note.
    assert_eq!(d.name, "t");
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.contains("named `t` after the file")),
        "{:?}",
        imported.notes
    );
}

#[test]
fn every_spelling_of_a_direction_reads_alike() {
    for (word, direction) in [
        ("正向", Direction::Higher),
        ("负向", Direction::Lower),
        ("逆向", Direction::Lower),
        ("+", Direction::Higher),
        ("-", Direction::Lower),
        ("1", Direction::Higher),
        ("-1", Direction::Lower),
        ("higher", Direction::Higher),
        ("LOWER", Direction::Lower),
        ("positive", Direction::Higher),
        ("negative", Direction::Lower),
        ("benefit", Direction::Higher),
        ("cost", Direction::Lower),
    ] {
        let table = format!("id,parent,direction\nd,,\nx,d,{word}\n");
        let d = imported(&table).definition;
        assert_eq!(d.dimensions[0].indicators[0].direction, direction, "{word}");
    }
}

#[test]
fn a_formula_guard_written_by_kmgov_is_taken_off() {
    let table = "id,parent\nd,,\n'=x,d\n'-y,d\n";
    let d = imported(table).definition;
    let ids: Vec<&str> = d.indicators().map(|(_, i)| i.id.as_str()).collect();
    assert_eq!(ids, ["=x", "-y"]);
}

#[test]
fn the_index_row_is_found_on_evidence_and_said() {
    // No level column, no weight: the index itself.
    let table = "id,name,parent,weight\nidx,昆明指数,,\na,,idx,1\nx,,a,1\nb,,idx,2\ny,,b,1\n";
    let imported = imported(table);
    assert_eq!(imported.definition.name, "昆明指数");
    assert_eq!(imported.definition.dimensions.len(), 2);
    assert!(
        imported.notes.iter().any(|n| n.starts_with("t.csv:2:1: row `idx` has no parent, no weight and every other row under it: it is taken as the index itself (目标层)")),
        "{:?}",
        imported.notes
    );
    // With a weight it is the one dimension, also said.
    let table = "id,parent,weight\nidx,,1\na,idx,1\nx,a,1\n";
    let imported = super::tests::imported(table);
    assert_eq!(imported.definition.dimensions.len(), 1);
    assert_eq!(imported.definition.dimensions[0].id, "idx");
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.contains("taken as the one dimension"))
    );
    // Level 0 says so whatever else the row has not; --name wins.
    let table = "id,parent,level\n总指数,,目标层\na,总指数,1\nx,a,2\n";
    let options = ImportOptions {
        name: Some("Mine"),
        ..ImportOptions::default()
    };
    let d = import_bytes(table.as_bytes().to_vec(), "t.csv", &options)
        .unwrap()
        .definition;
    assert_eq!(
        (d.name.as_str(), d.dimensions[0].id.as_str()),
        ("Mine", "a")
    );
}

#[test]
fn a_level_0_row_may_stand_beside_dimensions_without_a_parent() {
    let table = "id,parent,level\nindex,,0\na,,1\nx,a,2\nb,index,1\ny,b,2\n";
    let d = imported(table).definition;
    let ids: Vec<&str> = d.dimensions.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(d.name, "index");
}

#[test]
fn a_parent_may_be_named_by_its_name_when_only_one_row_has_it() {
    let table = "id,name,parent\nv,社会活力,\nx,志愿,社会活力\n";
    let imported = imported(table);
    assert_eq!(imported.definition.dimensions[0].indicators[0].id, "x");
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.contains("is another row's name rather than its id"))
    );
}

#[test]
fn a_dimension_and_its_indicator_may_share_an_id() {
    let table = "id,parent\nsafety,\nsafety,safety\norder,\nx,order\n";
    let d = imported(table).definition;
    assert_eq!(d.dimensions[0].id, "safety");
    assert_eq!(d.dimensions[0].indicators[0].id, "safety");
}

#[test]
fn rows_above_the_header_and_blank_rows_are_left_out() {
    let table = "昆明市社会治理指标体系,,\n\nid,parent,说明\nd,,一级\n,,\nx,d,\n";
    let imported = imported(table);
    assert_eq!(imported.definition.indicator_count(), 1);
    assert!(
        imported.notes.iter().any(|n| n.contains(
            "the header is line 3; the 1 row(s) above it (`昆明市社会治理指标体系` …) are not read"
        )),
        "{:?}",
        imported.notes
    );
    assert_eq!(
        imported.warnings[0].to_string(),
        "t.csv:3:3: `说明` is not a column of the indicator table and is ignored"
    );
}

#[test]
fn a_gbk_table_reads_as_its_utf8_self() {
    let (bytes, _, _) = encoding_rs::GB18030.encode(THREE_LEVELS);
    let gbk = import_bytes(bytes.into_owned(), "t.csv", &ImportOptions::default()).unwrap();
    let utf8 = imported(THREE_LEVELS);
    assert_eq!(gbk.definition, utf8.definition);
    assert!(
        gbk.warnings[0]
            .to_string()
            .contains("read as GB18030 (GBK)"),
        "{:?}",
        gbk.warnings
    );
}

#[test]
fn a_semicolon_table_reads_its_numbers_as_semicolon_data_does() {
    let table = "id;parent;weight;goalpost_lo;goalpost_hi\nd;;1;;\nx;d;1;0;1.5\n";
    let d = imported(table).definition;
    assert_eq!(
        d.dimensions[0].indicators[0].goalposts.map(|g| g.hi),
        Some(1.5)
    );
    // 1,234 is a thousand or a decimal where `;` separates fields.
    let found = problems("id;parent;weight\nd;;1\nx;d;1,234\n");
    assert!(
        found[0].starts_with("t.csv:3:3: row `x`, weight: `1,234` is ambiguous"),
        "{found:?}"
    );
}

#[test]
fn with_a_base_only_the_tree_comes_from_the_table() {
    let base = Definition::builtin();
    let options = ImportOptions {
        base: Some(&base),
        ..ImportOptions::default()
    };
    let table = "id,parent,goalpost_lo,goalpost_hi\nd,,,\nx,d,0,1\n";
    let d = import_bytes(table.as_bytes().to_vec(), "t.csv", &options)
        .unwrap()
        .definition;
    assert_eq!(
        (d.name.as_str(), d.columns.clone(), d.method.clone()),
        (
            base.name.as_str(),
            base.columns.clone(),
            base.method.clone()
        )
    );
    // The base normalises with goalposts: an indicator without them is
    // an error at its row, in the table's words.
    let table = "id,parent,goalpost_lo,goalpost_hi\nd,,,\nx,d,,\n";
    let error = import_bytes(table.as_bytes().to_vec(), "t.csv", &options).unwrap_err();
    assert_eq!(
        error.problems()[0].to_string(),
        "t.csv:3:3: indicator `x`: [method] normalize of built-in is goalposts, but it has no goalposts"
    );
}

#[test]
fn goalposts_on_some_indicators_only_are_said_to_go_unused() {
    let table = "id,parent,goalpost_lo,goalpost_hi\nd,,,\nx,d,0,1\ny,d,,\n";
    let imported = imported(table);
    assert_eq!(imported.definition.method.normalize, Normalize::Minmax);
    assert_eq!(
        imported.warnings[0].to_string(),
        "t.csv: the goalposts of `x` are not used: not every indicator has goalposts (none for `y`), so they are normalised with minmax"
    );
    // Unless the row says goalposts.
    let table = "id,parent,goalpost_lo,goalpost_hi,normalize\nd,,,,\nx,d,0,1,goalposts\ny,d,,,\n";
    assert!(super::tests::imported(table).warnings.is_empty());
}

#[test]
fn percentages_as_weights_are_relative_like_any_weight() {
    let table = "id,parent,weight\nd,,100%\nx,d,25%\ny,d,75%\n";
    let d = imported(table).definition;
    assert_eq!(d.dimensions[0].indicators[1].weight, 0.75);
}

// Each problem, at its cell, with its hint.

#[test]
fn a_cycle_names_every_id_on_it() {
    let (message, hint) = only_problem("id,parent\nd,\nx,d\na,c\nb,a\nc,b\n");
    assert_eq!(
        message,
        "t.csv:4:2: row `a`: its parents go round in a circle: `a` → `c` → `b` → `a` (lines 4, 6, 5)"
    );
    assert!(
        hint.contains("one of them must have another parent"),
        "{hint}"
    );
    let (message, _) = only_problem("id,parent\nd,\nx,d\ny,y\n");
    assert_eq!(
        message,
        "t.csv:4:2: row `y`: names itself (`y`) as its parent"
    );
}

#[test]
fn an_unknown_parent_suggests_the_closest_id() {
    let (message, hint) = only_problem("id,parent\nvolunteering,\nx,volunteerng\ny,volunteering\n");
    assert_eq!(
        message,
        "t.csv:3:2: row `x`: the parent `volunteerng` is no row's id or name"
    );
    assert!(hint.starts_with("did you mean `volunteering`?"), "{hint}");
}

#[test]
fn a_duplicate_id_names_the_first() {
    let (message, _) = only_problem("id,parent\nd,\nx,d\nx,d\n");
    assert_eq!(
        message,
        "t.csv:4:1: indicator `x`: the id is used twice (first on line 3)"
    );
    // Spelt another way: one data column all the same.
    let (message, _) = only_problem("id,parent\nd,\nx1,d\nｘ1,d\n");
    assert!(
        message.contains("the id is `x1` (line 3) spelt another way"),
        "{message}"
    );
    // A group may share no id, not even an indicator's.
    let (message, _) = only_problem("id,parent,weight\nd,,1\ng,d,1\ng,g,1\n");
    assert_eq!(
        message,
        "t.csv:4:1: indicator `g`: the id is used twice (first on line 3)"
    );
    // A parent that two rows could be is ambiguous, said once.
    let found = problems("id,parent,weight\nd,,1\ne,,1\ng,d,1\ng,e,1\nx,g,1\ny,g,1\n");
    // (Then nothing names either `g` as parent: two indicators of one id.)
    assert_eq!(
        found,
        [
            "t.csv:5:1: indicator `g`: the id is used twice (first on line 4)",
            "t.csv:6:2: row `x`: the parent `g` could be any of the rows on lines 4, 5"
        ]
    );
}

#[test]
fn a_leaf_without_an_id_is_told_it_needs_its_data_column() {
    let (message, hint) = only_problem("id,name,parent\nd,D,\n,志愿者活跃度,d\n");
    assert_eq!(
        message,
        "t.csv:3:1: indicator named `志愿者活跃度`: has no id: an indicator's id is the name of its column in the data"
    );
    assert!(hint.contains("column name in the data"), "{hint}");
}

#[test]
fn a_node_holding_indicators_and_groups_names_some_of_each() {
    let (message, _) = only_problem("id,parent\nd,\nx,d\ng,d\ny,g\n");
    assert_eq!(
        message,
        "t.csv:2:1: dimension `d`: holds both indicators (`x`) and groups (`g`); a dimension or group holds one kind or the other"
    );
}

#[test]
fn a_level_that_disagrees_with_the_tree_is_an_error_at_its_cell() {
    let (message, hint) = only_problem("id,parent,level\nd,,1\ng,d,2\nx,g,2\n");
    assert_eq!(
        message,
        "t.csv:4:3: indicator `x`: level 2 does not match its place in the tree: under `g` (level 2) it is level 3"
    );
    assert!(
        hint.starts_with("correct the level or the parent"),
        "{hint}"
    );
    let found = problems("id,parent,level\nd,,2\nx,d,3\n");
    assert!(found[0].starts_with("t.csv:2:3: dimension `d`: level 2 does not match its place in the tree: it is a dimension (一级指标, level 1)"), "{found:?}");
    let (message, _) = only_problem("id,parent,level\nd,,1\nx,d,high\n");
    assert_eq!(
        message,
        "t.csv:3:3: row `x`, level: `high` is not a level this column takes"
    );
}

#[test]
fn weights_that_are_not_numbers_are_errors_at_their_cells() {
    let found = problems("id,parent,weight\nd,,1\nx,d,heavy\ny,d,-2\nz,d,1e300\n");
    assert_eq!(
        found,
        [
            "t.csv:3:3: row `x`, weight: `heavy` is not a number",
            "t.csv:4:3: row `y`, weight: weight -2 is negative",
            "t.csv:5:3: row `z`, weight: `1e300` is too large to be a number kmgov can use (beyond ±1e100)",
        ]
    );
}

#[test]
fn siblings_weighted_half_way_or_in_two_ways_are_errors() {
    let (message, hint) = only_problem("id,parent,weight\nd,,\nx,d,1\ny,d,\n");
    assert_eq!(
        message,
        "t.csv:4:3: indicator `y`: has no weight, while its siblings `x` have one"
    );
    assert!(hint.contains("or none for equal weights"), "{hint}");
    let (message, _) = only_problem("id,parent,weight\nd,,\nx,d,25%\ny,d,0.75\n");
    assert!(message.starts_with("t.csv:3:3: indicator `x`: its weight is a percentage, while that of its sibling `y` is a plain number"), "{message}");
}

#[test]
fn goalposts_by_halves_or_reversed_are_errors() {
    let found = problems("id,parent,goalpost_lo,goalpost_hi\nd,,,\nx,d,5,\ny,d,80,20\nz,d,1,1\n");
    assert_eq!(
        found,
        [
            "t.csv:3:4: indicator `x`: gives goalpost_lo but no goalpost_hi",
            "t.csv:4:4: indicator `y`: goalposts 80 and 20 need goalpost_lo below goalpost_hi",
            "t.csv:5:4: indicator `z`: goalposts 1 and 1 need goalpost_lo below goalpost_hi",
        ]
    );
}

#[test]
fn an_unknown_direction_word_lists_the_accepted_ones() {
    let (message, hint) = only_problem("id,parent,direction\nd,,\nx,d,up\n");
    assert_eq!(
        message,
        "t.csv:3:3: row `x`, direction: `up` is not a direction this column takes"
    );
    assert!(hint.contains("正向") && hint.contains("负向"), "{hint}");
    let (message, _) = only_problem("id,parent,direction\nd,,\nx,d,适度\n");
    assert!(message.contains("(适度指标) is not supported"), "{message}");
}

#[test]
fn indicator_columns_on_a_node_point_at_the_wrong_parent() {
    let (message, hint) =
        only_problem("id,parent,direction,weight\nd,,,1\nx,d,正向,1\ny,x,正向,1\n");
    assert_eq!(
        message,
        "t.csv:3:3: group `x`: has direction, which is for indicators, but rows name it as their parent (`y`)"
    );
    assert!(
        hint.contains("correct the parent of the rows under it"),
        "{hint}"
    );
    let (message, _) = only_problem("id,parent,aggregate\nd,,\nx,d,geometric\n");
    assert!(
        message.starts_with("t.csv:3:3: indicator `x`: has aggregate"),
        "{message}"
    );
}

#[test]
fn a_slip_in_a_column_name_is_an_error_not_an_ignored_column() {
    let found = problems("id,parent,wieght\nd,,1\nx,d,2\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0],
        "t.csv:1:3: column `wieght`: is not a column of the indicator table; did you mean weight?"
    );
}

#[test]
fn a_table_without_an_id_or_parent_column_says_which_and_lists_the_names() {
    let error = import("编号,名称,权重\n1,a,1\n").unwrap_err();
    let problem = &error.problems()[0];
    assert_eq!(
        problem.to_string(),
        "t.csv: no header row names the id and parent columns (the likeliest header row has `编号`, `名称`, `权重` on line 1)"
    );
    let hint = problem.hint.as_deref().unwrap();
    assert!(hint.contains("id/code/指标/指标代码"), "{hint}");
}

#[test]
fn a_flat_list_is_one_error_not_one_per_row() {
    let (message, hint) = only_problem("id,parent\na,\nb,\nc,\n");
    assert!(
        message.starts_with("t.csv: no row has a parent (column B)"),
        "{message}"
    );
    assert!(hint.starts_with("fill in the parent column"), "{hint}");
}

#[test]
fn a_dimension_with_nothing_under_it_is_an_error() {
    let (message, _) = only_problem("id,parent\nd,\nx,d\ne,\n");
    assert_eq!(
        message,
        "t.csv:4:2: dimension `e`: has no parent, so it is a dimension (一级指标), but no row names it as its parent"
    );
}

#[test]
fn misplaced_level_0_and_a_weighted_index_row_are_errors() {
    let (message, _) = only_problem("id,parent,level\nd,,1\nx,d,0\ny,d,2\n");
    assert!(
        message.starts_with("t.csv:3:3: row `x`: level 0 is the index itself"),
        "{message}"
    );
    let (message, _) = only_problem("id,parent,level,weight\ni,,0,1\nd,i,1,1\nx,d,2,1\n");
    assert_eq!(
        message,
        "t.csv:2:4: row `i`: is the index itself (目标层), which has no weight"
    );
}

#[test]
fn the_definitions_own_checks_are_told_at_the_tables_cells() {
    // Reserved ids and too small a weight are checked by the definition
    // reader; the error points at the table, not at TOML the user never saw.
    let found = problems("id,parent,weight\nrank,,1\nx,rank,1\ny,rank,1e-200\n");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("t.csv:2:1: dimension `rank`: the id `rank` is reserved"),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("t.csv:4:3: dimension `rank`, indicator `y`: weight 1e-200 is not 0"),
        "{found:?}"
    );
}

#[test]
fn names_with_quotes_backslashes_and_line_breaks_survive_the_toml() {
    let table =
        "id,name,parent,unit\nd,\"a \"\"quoted\"\" \\ name\",,\nx,\"two\nlines\",d,\"m\\s\"\n";
    let d = imported(table).definition;
    assert_eq!(d.dimensions[0].name, "a \"quoted\" \\ name");
    let x = &d.dimensions[0].indicators[0];
    assert_eq!(
        (x.name.as_str(), x.unit.as_deref()),
        ("two\nlines", Some("m\\s"))
    );
}

#[test]
fn errors_are_listed_in_the_tables_order() {
    let found = problems("id,parent,weight,direction\nd,,1,\nx,d,?,\ny,zz,1,\nz,d,1,up\n");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].starts_with("t.csv:3:3"), "{found:?}");
    assert!(found[1].starts_with("t.csv:4:2"), "{found:?}");
    assert!(found[2].starts_with("t.csv:5:4"), "{found:?}");
}

#[test]
fn workbook_cells_sort_by_row_then_column() {
    let at = |path: &str| TableError::Invalid {
        at: crate::error::Location::file(path),
        item: String::new(),
        message: String::new(),
        hint: String::new(),
    };
    assert_eq!(error::order(&at("t.xlsx[Sheet1]!C7")), (7, 3));
    assert_eq!(error::order(&at("t.xlsx[S!1]!AA12")), (12, 27));
    assert_eq!(error::order(&at("t.xlsx[Sheet1]!7:7")), (7, 0));
    assert_eq!(error::order(&at("t.xlsx[Sheet1]")), (0, 0));
}

#[test]
fn a_tree_deeper_than_the_limit_is_refused_at_the_row_too_deep() {
    let mut table = String::from("id,parent,weight\nn0,,1\n");
    for i in 1..=16 {
        table.push_str(&format!("n{i},n{},1\n", i - 1));
    }
    let found = problems(&table);
    assert!(
        found[0].starts_with("t.csv:18:2: row `n16`: is level 17, deeper than the 16 levels"),
        "{found:?}"
    );
    table.truncate(table.rfind("n16").unwrap());
    assert_eq!(imported(&table).definition.depth(), 16);
}

#[test]
fn a_long_chain_of_rows_is_walked_without_recursion() {
    let mut table = String::from("id,parent\n");
    for i in 0..100_000 {
        table.push_str(&format!("n{i},n{}\n", (i + 1) % 100_000));
    }
    let found = problems(&table);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("t.csv:2:2: row `n0`: its parents go round in a circle: `n0` → `n1` → `n2` → `n3` → `n4` → `n5` → … (99994 more) → `n0` (lines 2, 3, 4, 5, 6 and 99995 more)"),
        "{}",
        &found[0][..200]
    );
}
