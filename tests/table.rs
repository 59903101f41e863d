//! The indicator table on the command line: `kmgov init --table` writes a
//! definition's tree as a table, `kmgov init --from-table` makes a
//! definition of one (CSV in any encoding, or a workbook), and the round
//! trip gives back the definition it started from.

mod common;

use common::*;
use kmgov::Definition;
use kmgov::system::{self, ImportOptions};
use proptest::prelude::*;

/// The repository's files: the built-in definition and the sample data.
fn repo(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// A definition without where it came from: the origin and the line of
/// each item, which differ between two files that say the same.
fn plain(mut definition: Definition) -> Definition {
    definition.origin.clear();
    for dimension in &mut definition.dimensions {
        for indicator in &mut dimension.indicators {
            indicator.line = None;
        }
    }
    for group in &mut definition.groups {
        group.line = None;
    }
    definition
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

#[test]
fn the_kunming_definition_survives_the_round_trip_through_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let tables = dir.path().join("tables");
    let output = run(&["init", "--table", arg(&tables)]);
    assert!(output.status.success(), "{}", messages(&output));
    let table = tables.join("indicator-table.csv");
    assert!(
        messages(&output).starts_with(&format!(
            "wrote {} from built-in (50 rows: the index and 46 indicators under 3 dimensions, 2 levels)",
            table.display()
        )),
        "{}",
        messages(&output)
    );
    let again = dir.path().join("again");
    let output = run(&[
        "init",
        "--from-table",
        arg(&table),
        "--from",
        &repo("config/kunming.toml"),
        arg(&again),
    ]);
    assert!(output.status.success(), "{}", messages(&output));
    let config = again.join("kmgov.toml");
    let rebuilt = Definition::load(&config).unwrap();
    assert_eq!(plain(rebuilt), plain(Definition::builtin()));
    // The same scores, to the last digit.
    let score = |config: &str| {
        let output = run(&[
            "score",
            "--config",
            config,
            "--all-periods",
            "--format",
            "csv",
            &repo("samples/kunming.csv"),
        ]);
        stdout(&output)
    };
    assert_eq!(score(arg(&config)), score(&repo("config/kunming.toml")));
    // The template reads the same columns.
    let template = fs::read_to_string(again.join("data-template.csv")).unwrap();
    assert!(template.starts_with("district,year,population,volunteer_activity,"));
}

#[test]
fn a_table_read_back_alone_gives_the_same_tree_and_the_same_table() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(&["init", "--table", "-"]);
    let table = stdout(&output);
    assert!(table.starts_with(
        "\u{feff}id,name,parent,level,weight,direction,goalpost_lo,goalpost_hi,unit,normalize,aggregate\n\
         ,Kunming Social Governance Index,,0,,,,,,,\nvitality,社会活力,,1,1,"
    ));
    let path = file(dir.path(), "指标体系.csv", &table);
    let out = dir.path().join("out");
    let output = run(&["init", "--from-table", arg(&path), arg(&out)]);
    let said = messages(&output);
    assert!(output.status.success(), "{said}");
    let definition = Definition::load(&out.join("kmgov.toml")).unwrap();
    // The index's own row names it.
    assert_eq!(definition.name, "Kunming Social Governance Index");
    assert!(!said.contains("after the file"), "{said}");
    assert_eq!(
        definition.method.normalize,
        kmgov::definition::Normalize::Goalposts
    );
    let output = run(&[
        "init",
        "--table",
        "--from",
        arg(&out.join("kmgov.toml")),
        "-",
    ]);
    assert_eq!(stdout(&output), table);
}

#[test]
fn init_never_overwrites_a_table_or_a_definition() {
    let dir = tempfile::tempdir().unwrap();
    let table = file(dir.path(), "indicator-table.csv", "keep me");
    let output = run(&["init", "--table", arg(dir.path())]);
    fails(
        &output,
        &[
            "indicator-table.csv already exists; kmgov init never overwrites a file",
            "kmgov init --table DIR",
        ],
    );
    assert_eq!(fs::read_to_string(&table).unwrap(), "keep me");
    let source = file(dir.path(), "t.csv", "id,parent\nd,\nx,d\n");
    let config = file(dir.path(), "kmgov.toml", "keep me too");
    let output = run(&["init", "--from-table", arg(&source), arg(dir.path())]);
    fails(
        &output,
        &[
            "kmgov.toml already exists",
            &format!("kmgov init --from-table {} DIR", source.display()),
        ],
    );
    assert_eq!(fs::read_to_string(&config).unwrap(), "keep me too");
    assert!(!dir.path().join("data-template.csv").exists());
}

const THREE_LEVELS: &str = "\
指标代码,指标名称,上级指标,层级,权重,方向,下限,上限,单位
KSGI,昆明市社会治理指数,,0,,,,,
vitality,社会活力,KSGI,1,1,,,,
services,社会服务,KSGI,1,1,,,,
volunteering,志愿服务,vitality,2,2,,,,
organisations,社会组织,vitality,2,1,,,,
volunteer_rate,志愿者活跃度,volunteering,3,1,正向,20,80,%
volunteer_hours,人均志愿服务时长,volunteering,3,1,正向,0,40,小时
social_orgs,每万人社会组织数,organisations,3,1,正向,2,12,个
insurance,基本医疗保险参保率,services,2,1,正向,80,100,%
wait_days,平均候诊天数,services,2,1,负向,0,30,天
";

#[test]
fn a_three_level_table_becomes_a_definition_and_its_template() {
    let dir = tempfile::tempdir().unwrap();
    let table = file(dir.path(), "three.csv", THREE_LEVELS);
    let out = dir.path().join("out");
    let output = run(&["init", "--from-table", arg(&table), arg(&out)]);
    let said = messages(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "wrote {} from {} (5 indicators in 2 groups under 2 dimensions, 3 levels) and wrote {}",
            out.join("kmgov.toml").display(),
            table.display(),
            out.join("data-template.csv").display()
        )),
        "{said}"
    );
    let toml = fs::read_to_string(out.join("kmgov.toml")).unwrap();
    assert!(
        toml.contains("[index]\nname = \"昆明市社会治理指数\"\n"),
        "{toml}"
    );
    assert!(toml.contains("normalize = \"goalposts\""), "{toml}");
    assert!(toml.contains(
        "  [[dimension.group]]\n  id = \"volunteering\"\n  name = \"志愿服务\"\n  weight = 2\n\n    [[dimension.group.indicator]]\n    id = \"volunteer_rate\"\n"
    ), "{toml}");
    assert_eq!(
        fs::read_to_string(out.join("data-template.csv")).unwrap(),
        "unit,period,volunteer_rate,volunteer_hours,social_orgs,insurance,wait_days\n"
    );
    // The definition checks and scores.
    let data = file(
        dir.path(),
        "d.csv",
        "unit,period,volunteer_rate,volunteer_hours,social_orgs,insurance,wait_days\nA,2019,50,20,7,90,15\n",
    );
    let output = run(&[
        "score",
        "--config",
        arg(&out.join("kmgov.toml")),
        "--format",
        "csv",
        arg(&data),
    ]);
    let csv = stdout(&output);
    // vitality: (2·(50+50)/2 + 50)/3 = 50; services: (50 + 50)/2 = 50.
    let composite = composite_of(&csv);
    assert!(close(composite, 50.0, 1e-9), "{csv}");
}

/// The composite of the first row of a score CSV.
fn composite_of(csv: &str) -> f64 {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|&h| h == "composite").unwrap();
    row[at].parse().unwrap()
}

#[test]
fn a_four_level_table_scores_as_computed_by_hand() {
    let table = "\
id,name,parent,weight,direction,goalpost_lo,goalpost_hi
I,指数,,,,,
A,A,I,1,,,
B,B,I,1,,,
A1,A1,A,1,,,
A11,A11,A1,1,,,
x1,x1,A11,1,higher,0,100
x2,x2,A11,1,lower,0,100
A12,A12,A1,1,,,
x3,x3,A12,1,higher,0,10
A2,A2,A,1,,,
A21,A21,A2,1,,,
x4,x4,A21,1,higher,0,100
x5,x5,B,1,higher,0,100
";
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "four.csv", table);
    let out = dir.path().join("out");
    let output = run(&["init", "--from-table", arg(&path), arg(&out)]);
    let said = messages(&output);
    assert!(
        said.contains("(5 indicators in 5 groups under 2 dimensions, 4 levels)"),
        "{said}"
    );
    assert!(
        said.contains("it is taken as the index itself (目标层)"),
        "{said}"
    );
    let data = file(
        dir.path(),
        "d.csv",
        "unit,period,x1,x2,x3,x4,x5\nu,2019,50,20,5,80,30\n",
    );
    let csv = stdout(&run(&[
        "score",
        "--config",
        arg(&out.join("kmgov.toml")),
        "--format",
        "csv",
        arg(&data),
    ]));
    // A11 = (50 + 80)/2 = 65, A12 = 50, A1 = 57.5; A2 = A21 = 80;
    // A = (57.5 + 80)/2 = 68.75; B = 30; the index (68.75 + 30)/2.
    assert!(close(composite_of(&csv), 49.375, 1e-9), "{csv}");
}

#[test]
fn a_gbk_table_reads_as_the_same_table_in_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode(THREE_LEVELS);
    let gbk_dir = dir.path().join("gbk");
    let utf8_dir = dir.path().join("utf8");
    fs::create_dir_all(&gbk_dir).unwrap();
    fs::create_dir_all(&utf8_dir).unwrap();
    let gbk_table = file(&gbk_dir, "t.csv", &gbk[..]);
    let utf8_table = file(&utf8_dir, "t.csv", THREE_LEVELS);
    let output = run(&[
        "init",
        "--from-table",
        arg(&gbk_table),
        arg(&gbk_dir.join("out")),
    ]);
    let said = messages(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("read as GB18030 (GBK)"), "{said}");
    let output = run(&[
        "init",
        "--from-table",
        arg(&utf8_table),
        arg(&utf8_dir.join("out")),
    ]);
    assert!(output.status.success(), "{}", messages(&output));
    let load = |d: &Path| plain(Definition::load(&d.join("out/kmgov.toml")).unwrap());
    assert_eq!(load(&gbk_dir), load(&utf8_dir));
}

/// id, name, parent, level, weight, direction, goalposts.
type WorkbookRow<'a> = (
    &'a str,
    &'a str,
    &'a str,
    f64,
    Option<f64>,
    &'a str,
    Option<(f64, f64)>,
);

/// A workbook with a notes sheet first and the table second, the numbers
/// as numbers, a percentage as text.
fn workbook(bad_weight: bool) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "指标体系, 2020").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("指标体系").unwrap();
    let header = [
        "指标代码",
        "指标名称",
        "上级指标",
        "层级",
        "权重",
        "方向",
        "下限",
        "上限",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let rows: [WorkbookRow; 6] = [
        ("vitality", "社会活力", "", 1.0, Some(1.0), "", None),
        ("services", "社会服务", "", 1.0, Some(3.0), "", None),
        (
            "volunteering",
            "志愿服务",
            "vitality",
            2.0,
            Some(1.0),
            "",
            None,
        ),
        (
            "x",
            "志愿者活跃度",
            "volunteering",
            3.0,
            Some(0.25),
            "正向",
            Some((20.0, 80.0)),
        ),
        (
            "y",
            "注册志愿者",
            "volunteering",
            3.0,
            Some(0.75),
            "负向",
            Some((0.0, 40.0)),
        ),
        (
            "z",
            "参保率",
            "services",
            2.0,
            None,
            "正向",
            Some((80.0, 100.0)),
        ),
    ];
    for (r, (id, name, parent, level, weight, direction, goalposts)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *id).unwrap();
        sheet.write_string(r, 1, *name).unwrap();
        if !parent.is_empty() {
            sheet.write_string(r, 2, *parent).unwrap();
        }
        sheet.write_number(r, 3, *level).unwrap();
        if let Some(weight) = weight {
            sheet.write_number(r, 4, *weight).unwrap();
        }
        if !direction.is_empty() {
            sheet.write_string(r, 5, *direction).unwrap();
        }
        if let Some((lo, hi)) = goalposts {
            sheet.write_number(r, 6, *lo).unwrap();
            sheet.write_number(r, 7, *hi).unwrap();
        }
    }
    if bad_weight {
        sheet.write_string(4, 4, "abc").unwrap();
        sheet.write_string(6, 6, "100").unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_table_is_read_from_the_sheet_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "指标体系.xlsx", workbook(false));
    let out = dir.path().join("out");
    let output = run(&[
        "init",
        "--from-table",
        arg(&path),
        "--sheet",
        "指标体系",
        arg(&out),
    ]);
    assert!(output.status.success(), "{}", messages(&output));
    let definition = Definition::load(&out.join("kmgov.toml")).unwrap();
    assert_eq!(definition.depth(), 3);
    let y = &definition.dimensions[0].indicators[1];
    assert_eq!(
        (y.id.as_str(), y.weight, y.direction),
        ("y", 0.75, kmgov::definition::Direction::Lower)
    );
    assert_eq!(definition.dimensions[1].weight, 0.75);
    // The first sheet is the notes: no table there, and the note says which
    // sheet was read and how to choose another.
    let output = run(&[
        "init",
        "--from-table",
        arg(&path),
        arg(&dir.path().join("first")),
    ]);
    let said = fails(&output, &["no header row names the id and parent columns"]);
    assert!(said.contains("warning: read sheet `说明` of"), "{said}");
    assert!(
        said.contains("(the first of 2: `说明`, `指标体系`); --sheet NAME reads another"),
        "{said}"
    );
    let output = run(&[
        "init",
        "--from-table",
        arg(&path),
        "--sheet",
        "Sheet9",
        arg(&dir.path().join("none")),
    ]);
    fails(
        &output,
        &[
            "the workbook has no sheet `Sheet9`",
            "its sheets are `说明`, `指标体系`",
        ],
    );
}

#[test]
fn a_workbook_is_known_by_its_content_and_its_errors_by_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    // Saved with the wrong extension: still a workbook.
    let path = file(dir.path(), "table.csv", workbook(true));
    let output = run(&[
        "init",
        "--from-table",
        arg(&path),
        "--sheet",
        "指标体系",
        arg(&dir.path().join("out")),
    ]);
    let said = fails(&output, &[]);
    let shown = path.display().to_string();
    assert!(
        said.contains(&format!(
            "error: {shown}[指标体系]!E5: row `x`, weight: `abc` is not a number"
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "error: {shown}[指标体系]!H7: indicator `z`: goalposts 100 and 100 need goalpost_lo below goalpost_hi"
        )),
        "{said}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn files_that_are_not_tables_are_named_for_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let zip = file(dir.path(), "t.xlsx", b"PK\x03\x04 not a zip at all");
    fails(
        &run(&[
            "init",
            "--from-table",
            arg(&zip),
            arg(&dir.path().join("a")),
        ]),
        &["this is a damaged ZIP archive, not a table kmgov reads"],
    );
    let missing = dir.path().join("missing.xlsx");
    fails(
        &run(&[
            "init",
            "--from-table",
            arg(&missing),
            arg(&dir.path().join("b")),
        ]),
        &["cannot read the indicator table"],
    );
    fails(
        &run(&[
            "init",
            "--from-table",
            arg(dir.path()),
            arg(&dir.path().join("c")),
        ]),
        &["this is a folder, not an indicator table"],
    );
    let empty = file(dir.path(), "empty.csv", "");
    fails(
        &run(&[
            "init",
            "--from-table",
            arg(&empty),
            arg(&dir.path().join("d")),
        ]),
        &["no header row names the id and parent columns"],
    );
}

#[test]
fn flags_that_do_not_go_together_are_usage_errors() {
    for args in [
        &["init", "--table", "--from-table", "t.csv"][..],
        &["init", "--table", "--long"],
        &["init", "--name", "X"],
        &["init", "--sheet", "S"],
    ] {
        let output = run(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            messages(&output)
        );
    }
}

// Random trees: definition → table → definition → table is a fixed point,
// and with the definition's settings kept, the definition comes back whole.

/// A node of a generated tree: an indicator, or a node holding nodes.
#[derive(Debug, Clone)]
enum Node {
    Indicator {
        name: Option<String>,
        unit: Option<String>,
        weight: Option<f64>,
        lower: bool,
        goalposts: Option<(f64, f64)>,
        normalize: Option<&'static str>,
    },
    Node {
        name: Option<String>,
        weight: Option<f64>,
        aggregate: Option<&'static str>,
        children: Vec<Node>,
    },
}

fn text() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[a-zA-Z0-9 指标体系\"\\\\,;=+@'\n-]{0,10}")
        .prop_map(|t| t.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()))
}

fn weight() -> impl Strategy<Value = Option<f64>> {
    prop::option::of(prop::sample::select(vec![
        0.5, 1.0, 2.0, 3.25, 1e-3, 7.0, 1e6,
    ]))
}

fn indicator() -> impl Strategy<Value = Node> {
    (
        text(),
        text(),
        weight(),
        any::<bool>(),
        prop::option::of((-50i32..50, 1i32..100)),
        prop::option::of(prop::sample::select(vec![
            "minmax", "zscore", "rank", "efficacy", "none",
        ])),
    )
        .prop_map(
            |(name, unit, weight, lower, goalposts, normalize)| Node::Indicator {
                name,
                unit,
                weight,
                lower,
                goalposts: goalposts.map(|(lo, span)| (f64::from(lo), f64::from(lo + span))),
                normalize,
            },
        )
}

/// A node holding 1–3 indicators or 1–3 nodes, to `depth` more levels.
fn node(depth: u32) -> BoxedStrategy<Node> {
    let leaves = prop::collection::vec(indicator(), 1..4).boxed();
    let children = if depth == 0 {
        leaves
    } else {
        prop_oneof![leaves, prop::collection::vec(node(depth - 1), 1..3)].boxed()
    };
    (
        text(),
        weight(),
        prop::option::of(prop::sample::select(vec![
            "arithmetic",
            "geometric",
            "harmonic",
        ])),
        children,
    )
        .prop_map(|(name, weight, aggregate, children)| Node::Node {
            name,
            weight,
            aggregate,
            children,
        })
        .boxed()
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Ids that spreadsheets and TOML both make hard: a formula sign, a quote,
/// a comma, Chinese, a `'` of its own; a counter keeps each unique.
const PREFIXES: [&str; 12] = [
    "x", "=", "-", "+", "@", "'=", "指标", "a b", "a,b", "a\"b", "a\\b", "'k",
];

fn write_node(node: &Node, table: &str, counter: &mut usize, out: &mut String) {
    let id = format!("{}{}", PREFIXES[*counter % PREFIXES.len()], *counter);
    *counter += 1;
    out.push_str(&format!("\n[[{table}]]\nid = {}\n", quoted(&id)));
    match node {
        Node::Indicator {
            name,
            unit,
            weight,
            lower,
            goalposts,
            normalize,
        } => {
            if let Some(name) = name {
                out.push_str(&format!("name = {}\n", quoted(name)));
            }
            if let Some(unit) = unit {
                out.push_str(&format!("unit = {}\n", quoted(unit)));
            }
            if let Some(weight) = weight {
                out.push_str(&format!("weight = {weight:?}\n"));
            }
            if *lower {
                out.push_str("direction = \"lower\"\n");
            }
            if let Some((lo, hi)) = goalposts {
                out.push_str(&format!("goalposts = [{lo:?}, {hi:?}]\n"));
            }
            if let Some(normalize) = normalize {
                out.push_str(&format!("normalize = \"{normalize}\"\n"));
            }
        }
        Node::Node {
            name,
            weight,
            aggregate,
            children,
        } => {
            if let Some(name) = name {
                out.push_str(&format!("name = {}\n", quoted(name)));
            }
            if let Some(weight) = weight {
                out.push_str(&format!("weight = {weight:?}\n"));
            }
            if let Some(aggregate) = aggregate {
                out.push_str(&format!("aggregate = \"{aggregate}\"\n"));
            }
            let leaves = matches!(children[0], Node::Indicator { .. });
            let below = if leaves {
                format!("{table}.indicator")
            } else if table == "dimension" {
                "dimension.group".to_string()
            } else {
                format!("{table}.group")
            };
            for child in children {
                write_node(child, &below, counter, out);
            }
        }
    }
}

fn definition_of(dimensions: &[Node]) -> Definition {
    let mut text = String::from("[index]\nname = \"P\"\n[method]\nnormalize = \"minmax\"\n");
    let mut counter = 0;
    for dimension in dimensions {
        write_node(dimension, "dimension", &mut counter, &mut text);
    }
    Definition::from_toml(&text, "p.toml").unwrap_or_else(|e| panic!("{text}\n{:#?}", e.problems()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_definitions_table_reads_back_as_the_definition(dimensions in prop::collection::vec(node(2), 1..4)) {
        let definition = definition_of(&dimensions);
        let table = system::to_csv(&definition);
        // Its own settings kept: the very definition.
        let options = ImportOptions { base: Some(&definition), ..ImportOptions::default() };
        let back = system::import_bytes(table.clone(), "t.csv", &options)
            .unwrap_or_else(|e| panic!("{}\n{:#?}", String::from_utf8_lossy(&table), e.problems()));
        prop_assert_eq!(plain(back.definition.clone()), plain(definition.clone()));
        // Alone: the same table again.
        let alone = system::import_bytes(table.clone(), "t.csv", &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{:#?}", e.problems()));
        prop_assert_eq!(
            String::from_utf8(system::to_csv(&alone.definition)).unwrap(),
            String::from_utf8(table).unwrap()
        );
    }
}

/// A zip archive of `(name, bytes)` members, deflated (the mimetype stored).
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default().compression_method(method);
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// An OpenDocument spreadsheet of one sheet of text cells.
fn ods(rows: &[&[&str]]) -> Vec<u8> {
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="指标">"#,
    );
    for row in rows {
        content.push_str("<table:table-row>");
        for cell in *row {
            if cell.is_empty() {
                content.push_str("<table:table-cell/>");
            } else if let Ok(n) = cell.parse::<f64>() {
                content.push_str(&format!(
                    r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                ));
            } else {
                content.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{cell}</text:p></table:table-cell>"#
                ));
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

#[test]
fn an_opendocument_table_is_read_like_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let rows: &[&[&str]] = &[
        &["id", "名称", "上级", "权重", "方向", "下限", "上限"],
        &["d", "维度", "", "1", "", "", ""],
        &["x", "指标一", "d", "1", "负向", "0", "10"],
        &["y", "指标二", "d", "3", "正向", "0", "5"],
    ];
    let path = file(dir.path(), "t.ods", ods(rows));
    let out = dir.path().join("out");
    let output = run(&["init", "--from-table", arg(&path), arg(&out)]);
    let said = messages(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("note: read sheet `指标` of"), "{said}");
    let definition = Definition::load(&out.join("kmgov.toml")).unwrap();
    let x = &definition.dimensions[0].indicators[0];
    assert_eq!(
        (x.direction, x.weight),
        (kmgov::definition::Direction::Lower, 0.25)
    );
    // A cell error is named at its cell, the sheet's own address.
    let rows: &[&[&str]] = &[
        &["id", "parent", "weight"],
        &["d", "", ""],
        &["x", "d", "heavy"],
    ];
    let path = file(dir.path(), "bad.ods", ods(rows));
    fails(
        &run(&[
            "init",
            "--from-table",
            arg(&path),
            arg(&dir.path().join("bad")),
        ]),
        &[&format!(
            "{}[指标]!C3: row `x`, weight: `heavy` is not a number",
            path.display()
        )],
    );
}

// Differential: the same table spelt another way reads as the same definition.

/// The cells of a table as kmgov writes it.
fn cells_of(table: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8(table.to_vec()).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The cells as CSV separated by `separator`, quoted where needed.
fn csv_with(cells: &[Vec<String>], separator: u8) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(separator)
        .from_writer(Vec::new());
    for row in cells {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

/// The table respelt: Chinese headers, 正向/负向 and 一级/二级 … for the words.
fn in_chinese(cells: &[Vec<String>]) -> Vec<Vec<String>> {
    let headers = [
        "指标代码",
        "指标名称",
        "上级指标",
        "层级",
        "权重（%）",
        "方向",
        "下限",
        "上限",
        "单位",
        "标准化",
        "聚合",
    ];
    let levels = ["目标层", "一级", "二级指标", "三级", "第四级", "五级"];
    let mut out = vec![headers.iter().map(|h| h.to_string()).collect()];
    for row in &cells[1..] {
        let mut row = row.clone();
        row[3] = levels[row[3].parse::<usize>().unwrap()].to_string();
        row[5] = match row[5].as_str() {
            "higher" => "正向".into(),
            "lower" => "逆向".into(),
            other => other.into(),
        };
        out.push(row);
    }
    out
}

/// The table as a workbook, with a title row above it and the numbers as numbers.
fn as_workbook(cells: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "指标体系").unwrap();
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 2, c as u16);
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(n) if r > 2 && (3..=7).contains(&c) => sheet.write_number(r, c, n).unwrap(),
                _ => sheet.write_string(r, c, cell).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn a_table_spelt_another_way_is_the_same_definition(
        dimensions in prop::collection::vec(node(2), 1..4),
        spelling in 0usize..5,
    ) {
        let definition = definition_of(&dimensions);
        let table = system::to_csv(&definition);
        let options = ImportOptions::default();
        let read = |bytes: Vec<u8>, name: &str| {
            system::import_bytes(bytes, name, &options)
                .map(|i| plain(i.definition))
                .unwrap_or_else(|e| panic!("{name}: {:#?}", e.problems()))
        };
        let expected = read(table.clone(), "t.csv");
        let cells = cells_of(&table);
        if spelling == 2 {
            // GBK is detected on evidence, and short Chinese text can read
            // as UTF-8 too: then the reader refuses, naming the encodings,
            // and never reads a different definition.
            let gbk = encoding_rs::GB18030
                .encode(&String::from_utf8(csv_with(&in_chinese(&cells), b',')).unwrap())
                .0
                .into_owned();
            match system::import_bytes(gbk, "t.csv", &options) {
                Ok(imported) => prop_assert_eq!(plain(imported.definition), expected),
                Err(kmgov::Error::Data(_)) => {}
                Err(error) => panic!("{:#?}", error.problems()),
            }
            return Ok(());
        }
        let respelt = match spelling {
            0 => csv_with(&cells, b';'),
            1 => csv_with(&cells, b'\t'),
            3 => csv_with(&in_chinese(&cells), b'|'),
            _ => as_workbook(&cells),
        };
        prop_assert_eq!(read(respelt, "t.csv"), expected);
    }
}

// Any table: an answer or errors, never a panic, and never TOML that kmgov
// itself cannot read back.

fn messy_cell() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "a",
        "b",
        "c",
        "d",
        "x",
        "y",
        "rank",
        "unit",
        "0",
        "1",
        "2",
        "3",
        "-1",
        "25%",
        "1e300",
        "正向",
        "负向",
        "up",
        "一级",
        "二级",
        "目标层",
        "20",
        "80",
        "geometric",
        "rank",
        "=x",
        "'=x",
        "ｘ",
        "x\u{200b}",
        "a,b",
        "\"q\"",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_table_is_read_or_refused_never_mangled(
        header in prop::sample::subsequence(
            vec!["id", "parent", "level", "weight", "direction", "goalpost_lo", "goalpost_hi", "aggregate", "name"],
            2..9,
        ),
        rows in prop::collection::vec(prop::collection::vec(messy_cell(), 9), 0..12),
        bytes in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut text = header.join(",");
        text.push('\n');
        for row in &rows {
            let cells: Vec<String> = row[..header.len()]
                .iter()
                .map(|c| if c.contains([',', '"']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.clone() })
                .collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        for input in [text.into_bytes(), bytes] {
            match system::import_bytes(input, "t.csv", &ImportOptions::default()) {
                Ok(imported) => {
                    let again = Definition::from_toml(&imported.toml, "t.toml").unwrap();
                    prop_assert_eq!(plain(again), plain(imported.definition));
                }
                Err(error) => {
                    for problem in error.problems() {
                        prop_assert!(!problem.message.contains("a fault in kmgov"), "{}", problem);
                        prop_assert!(!problem.message.is_empty());
                    }
                }
            }
        }
    }
}
