//! `kmgov ahp`: one judgement matrix from a spreadsheet's CSV to weights,
//! λmax, CI, RI, CR and the verdict; exit codes, messages and output files.

mod common;

use common::*;

const LEADER: &str = ",Experience,Education,Charisma,Age\n\
Experience,1,4,3,7\n\
Education,1/4,1,1/3,3\n\
Charisma,1/3,3,1,5\n\
Age,1/7,1/3,1/5,1\n";

/// A cycle: A over B, B over C and C over A, each 3 times.
const CYCLE: &str = ",A,B,C\nA,1,3,1/3\nB,1/3,1,3\nC,3,0.33,1\n";

#[test]
fn a_consistent_matrix_gives_weights_and_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = write(dir.path(), "leader.csv", LEADER);
    let output = run(&["ahp", &matrix, "--format", "json"]);
    assert!(messages(&output).is_empty(), "{}", messages(&output));
    let json = json(&output);
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys[..9],
        [
            "labels",
            "weights",
            "lambda_max",
            "ci",
            "ri",
            "cr",
            "consistent",
            "method",
            "ri_table"
        ]
    );
    assert_eq!(json["labels"][0], "Experience");
    assert_close(number(&json["weights"]["Experience"]), 0.5476, 1e-4);
    assert_close(number(&json["cr"]), 0.0439, 1e-4);
    assert_eq!(json["ri"], 0.9);
    assert_eq!(json["consistent"], true);
    assert_eq!(json["method"], "eigen");
    assert_eq!(json["ri_table"], "saaty");
    assert_eq!(json["revise"], serde_json::Value::Null);

    let table = stdout(&run(&["ahp", &matrix]));
    assert!(
        table.contains("Experience") && table.contains("0.5476"),
        "{table}"
    );
    assert!(
        table.contains("CR = 0.0439: consistent (CR < 0.10)"),
        "{table}"
    );
}

#[test]
fn an_inconsistent_matrix_exits_0_and_names_the_judgement_to_revise() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = write(dir.path(), "cycle.csv", CYCLE);
    let output = run(&["ahp", &matrix, "--format", "json"]);
    let json = json(&output);
    assert_eq!(json["consistent"], false);
    assert_eq!(json["revise"]["row"], "A");
    assert_eq!(json["revise"]["column"], "B");
    assert_eq!(json["revise"]["saaty"], 1.0);
    let stderr = messages(&output);
    assert!(stderr.contains("warning: "), "{stderr}");
    assert!(
        stderr.contains("cycle.csv: the matrix is not consistent enough: CR = 1.1494"),
        "{stderr}"
    );
    assert!(
        stderr.contains("revise the judgement of `A` over `B` (row 1, column 2): it is 3"),
        "{stderr}"
    );
}

#[test]
fn methods_and_tables_are_chosen_by_flags() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = write(dir.path(), "leader.csv", LEADER);
    let csv = stdout(&run(&[
        "ahp", &matrix, "--method", "root", "--ri", "chinese", "--format", "csv",
    ]));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "label,weight,lambda_max,ci,ri,cr,consistent,method,ri_table"
    );
    assert_eq!(lines.len(), 5);
    assert!(lines[1].starts_with("Experience,0.546"), "{}", lines[1]);
    assert!(
        lines[1].ends_with(",0.89,") || lines[1].contains(",0.89,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(",true,root,chinese"), "{}", lines[1]);
    let sum = json(&run(&["ahp", &matrix, "-m", "sum", "--format", "json"]));
    assert_eq!(sum["method"], "sum");
}

#[test]
fn a_malformed_matrix_exits_1_naming_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.csv",
        ",A,B,C\nA,1,2,x\nB,1/2,1,0\nC,4,1,1\n",
    );
    let output = run(&["ahp", &bad]);
    let stderr = fails(
        &output,
        &[
            "bad.csv:2:4: row 1 (`A`), column 3 (`C`): `x` is not a number",
            "bad.csv:3:4: row 2 (`B`), column 3 (`C`): `0` is not positive",
        ],
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
    let not_reciprocal = write(dir.path(), "nr.csv", ",A,B\nA,1,4\nB,0.2,1\n");
    fails(
        &run(&["ahp", &not_reciprocal]),
        &[
            "nr.csv:3:2: row 2 (`B`), column 1 (`A`): `0.2` is not the reciprocal of the mirror judgement `4`",
        ],
    );
    let not_square = write(dir.path(), "ns.csv", ",A,B,C\nA,1,2,3\nB,1/2,1,2\n");
    fails(
        &run(&["ahp", &not_square]),
        &["has 2 row(s) of judgements for 3 items"],
    );
    fails(
        &run(&["ahp", "no-such.csv"]),
        &["no-such.csv: cannot read the matrix"],
    );
}

#[test]
fn a_matrix_saved_by_chinese_excel_reads() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        ",社会活力,社会服务,社会环境\n社会活力,1,2,3\n社会服务,1/2,1,2\n社会环境,1/3,1/2,1\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(text);
    let gbk_path = file(dir.path(), "gbk.csv", gbk.as_ref());
    let utf8_bom = file(
        dir.path(),
        "bom.csv",
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    );
    let from_gbk = run(&["ahp", path(&gbk_path), "--format", "json"]);
    assert!(
        messages(&from_gbk).contains("it was read as GB18030 (GBK)"),
        "{}",
        messages(&from_gbk)
    );
    let a = json(&from_gbk);
    let b = json(&run(&["ahp", path(&utf8_bom), "--format", "json"]));
    assert_eq!(a["weights"], b["weights"]);
    assert_eq!(a["labels"][1], "社会服务");
}

#[test]
fn an_unavailable_table_or_unknown_flag_is_bad_usage() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = write(dir.path(), "leader.csv", LEADER);
    let output = run(&["ahp", &matrix, "--ri", "tummala-ling"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        messages(&output)
            .contains("tummala-ling random-index table is not built into this version")
    );
    assert_eq!(
        run(&["ahp", &matrix, "--method", "power"]).status.code(),
        Some(2)
    );
    // Eleven items are beyond every table: bad data, not bad usage.
    let n = 11;
    let mut big = String::from("x");
    for i in 0..n {
        big.push_str(&format!(",i{i}"));
    }
    big.push('\n');
    for i in 0..n {
        big.push_str(&format!("i{i}"));
        big.push_str(&",1".repeat(n));
        big.push('\n');
    }
    let big = write(dir.path(), "big.csv", &big);
    fails(
        &run(&["ahp", &big]),
        &["compares 11 items, but the saaty random-index table stops at 10"],
    );
}

#[test]
fn output_goes_to_a_file_whole_and_never_over_the_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let matrix = write(dir.path(), "leader.csv", LEADER);
    let out = dir.path().join("weights.json");
    let output = run(&["ahp", &matrix, "-o", path(&out)]);
    assert!(output.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["ri_table"], "saaty");
    let refused = run(&["ahp", &matrix, "-o", &matrix, "--format", "csv"]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&matrix).unwrap(), LEADER);
}
