//! `kmgov score --format xlsx`: the workbook read back with calamine holds
//! the JSON's numbers exactly, on sheets named as Excel allows, with the
//! headings of `--lang`, and is written whole or not at all.

mod common;
use common::*;

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

/// The workbook at `path`, opened for reading.
fn open(path: &Path) -> Xlsx<Cursor<Vec<u8>>> {
    let bytes = fs::read(path).expect("the workbook was written");
    open_workbook_from_rs(Cursor::new(bytes)).expect("a workbook calamine reads")
}

/// The cells of one sheet, by row.
fn sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Vec<Vec<Data>> {
    let range = book
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range.rows().map(<[Data]>::to_vec).collect()
}

/// The number in a cell; panics on text or an empty cell.
fn float(cell: &Data) -> f64 {
    match cell {
        Data::Float(x) => *x,
        Data::Int(i) => *i as f64,
        other => panic!("{other:?} is not a number"),
    }
}

/// The number in a cell, `None` for an empty one.
fn maybe(cell: &Data) -> Option<f64> {
    match cell {
        Data::Empty => None,
        other => Some(float(other)),
    }
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        other => panic!("{other:?} is not text"),
    }
}

/// The JSON number, `None` for null.
fn json_number(value: &serde_json::Value) -> Option<f64> {
    value.as_f64()
}

/// The Kunming sample scored into `name` (every period, indicator detail)
/// with `extra` flags, and the same as JSON.
fn kunming(case: &Case, name: &str, extra: &[&str]) -> (PathBuf, serde_json::Value) {
    let out = case.dir.path().join(name);
    let args = [
        &[
            "score",
            "samples/kunming.csv",
            "--all-periods",
            "--detail",
            "indicators",
        ],
        extra,
    ]
    .concat();
    let written = run(&[&args[..], &["-o", path(&out)]].concat());
    assert!(written.status.success(), "{}", messages(&written));
    let doc = json(&run(&[&args[..], &["--format", "json"]].concat()));
    (out, doc)
}

#[test]
fn every_number_equals_the_json() {
    let case = Case::new();
    let (out, doc) = kunming(&case, "scores.xlsx", &[]);
    let mut book = open(&out);
    let periods = doc["periods"].as_array().unwrap();
    let dimensions = ["vitality", "services", "environment"];
    for period in periods {
        let label = period["period"].as_str().unwrap();
        let rows = sheet(&mut book, label);
        let units = period["units"].as_array().unwrap();
        assert_eq!(rows.len(), 1 + units.len() + 1, "header, units, total");
        for (row, unit) in rows[1..].iter().zip(units) {
            assert_eq!(float(&row[0]), json_number(&unit["rank"]).unwrap());
            assert_eq!(text(&row[1]), unit["unit"].as_str().unwrap());
            assert_eq!(float(&row[2]), json_number(&unit["composite"]).unwrap());
            for (d, id) in dimensions.iter().enumerate() {
                assert_eq!(
                    float(&row[3 + d]),
                    json_number(&unit["dimensions"][id]).unwrap()
                );
            }
            assert_eq!(maybe(&row[6]), json_number(&unit["change"]));
            assert_eq!(maybe(&row[7]), json_number(&unit["pct_change"]));
            assert_eq!(maybe(&row[8]), json_number(&unit["rank_change"]));
        }
        let total = rows.last().unwrap();
        assert_eq!(text(&total[1]), "total");
        assert_eq!(float(&total[2]), json_number(&period["total"]).unwrap());
        assert_eq!(maybe(&total[6]), json_number(&period["total_change"]));
    }

    let totals = sheet(&mut book, "total");
    assert_eq!(totals.len(), 1 + periods.len());
    for (row, period) in totals[1..].iter().zip(periods) {
        assert_eq!(text(&row[0]), period["period"].as_str().unwrap());
        assert_eq!(float(&row[1]), json_number(&period["total"]).unwrap());
        for (d, id) in dimensions.iter().enumerate() {
            assert_eq!(
                float(&row[2 + d]),
                json_number(&period["total_dimensions"][id]).unwrap()
            );
        }
        assert_eq!(maybe(&row[5]), json_number(&period["total_change"]));
    }

    let indicators = sheet(&mut book, "indicators");
    let mut row = 1;
    for period in periods {
        for unit in period["units"].as_array().unwrap() {
            for (id, cell) in unit["indicators"].as_object().unwrap() {
                let line = &indicators[row];
                assert_eq!(text(&line[0]), period["period"].as_str().unwrap());
                assert_eq!(text(&line[2]), unit["unit"].as_str().unwrap());
                assert_eq!(&text(&line[4]), id);
                assert_eq!(maybe(&line[6]), json_number(&cell["raw"]));
                assert_eq!(maybe(&line[7]), json_number(&cell["score"]));
                assert_eq!(
                    float(&line[8]),
                    json_number(&cell["global_weight"]).unwrap()
                );
                row += 1;
            }
        }
    }
    assert_eq!(row, indicators.len());
}

#[test]
fn the_method_sheet_holds_the_definition_as_used() {
    let case = Case::new();
    let (out, doc) = kunming(&case, "scores.xlsx", &[]);
    let rows = sheet(&mut open(&out), "method");
    let setting = |key: &str| {
        rows.iter()
            .find(|r| matches!(&r[0], Data::String(s) if s == key))
            .map(|r| text(&r[1]))
            .unwrap_or_else(|| panic!("no {key} row"))
    };
    assert_eq!(
        setting("kmgov_version"),
        doc["kmgov_version"].as_str().unwrap()
    );
    assert_eq!(setting("normalize"), "goalposts");
    assert_eq!(setting("total"), "population");
    assert_eq!(setting("weights"), "manual");
    for indicator in doc["method"]["indicators"].as_array().unwrap() {
        let id = indicator["id"].as_str().unwrap();
        let row = rows
            .iter()
            .find(|r| matches!(&r[0], Data::String(s) if s == id))
            .unwrap_or_else(|| panic!("no row for {id}"));
        assert_eq!(text(&row[2]), indicator["dimension"].as_str().unwrap());
        assert_eq!(float(&row[4]), json_number(&indicator["weight"]).unwrap());
        assert_eq!(
            float(&row[5]),
            json_number(&indicator["global_weight"]).unwrap()
        );
        assert_eq!(text(&row[6]), indicator["direction"].as_str().unwrap());
        let goalposts = indicator["goalposts"].as_array().unwrap();
        assert_eq!(float(&row[8]), json_number(&goalposts[0]).unwrap());
        assert_eq!(float(&row[9]), json_number(&goalposts[1]).unwrap());
    }
}

/// The XML of one part of the workbook.
fn part(path: &Path, name: &str) -> String {
    let bytes = fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_header_is_frozen_changes_are_coloured_and_numbers_show_the_decimals() {
    let case = Case::new();
    let (out, _) = kunming(&case, "scores.xlsx", &[]);
    let first = part(&out, "xl/worksheets/sheet3.xml");
    assert!(first.contains(r#"state="frozen""#), "{first}");
    // Green when above 0, red when below, on change, % change and rank Δ.
    assert_eq!(first.matches(r#"operator="greaterThan""#).count(), 3);
    assert_eq!(first.matches(r#"operator="lessThan""#).count(), 3);
    let styles = part(&out, "xl/styles.xml");
    assert!(styles.contains(r#"formatCode="0.00""#), "{styles}");
    assert!(
        styles.contains("formatCode=\"+0.00;-0.00;0.00\""),
        "{styles}"
    );
}

#[test]
fn chinese_headings_and_cjk_column_widths() {
    let case = Case::new();
    let (out, _) = kunming(&case, "scores.xlsx", &["--lang", "zh"]);
    let mut book = open(&out);
    let rows = sheet(&mut book, "2019");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "排名",
            "区县",
            "综合得分",
            "社会活力",
            "社会服务",
            "社会环境",
            "变化",
            "变化率%",
            "名次变化"
        ]
    );
    assert_eq!(text(&rows.last().unwrap()[1]), "全市");
    // 寻甸回族彝族自治县 is 9 characters, 18 columns wide: the unit column fits it.
    let xml = part(&out, "xl/worksheets/sheet3.xml");
    assert!(
        xml.contains(r#"<col min="2" max="2" width="20.7109375""#),
        "{xml}"
    );
}

#[test]
fn the_extension_asks_for_a_workbook_and_a_pipe_gets_one() {
    let case = Case::new();
    let out = case.dir.path().join("r.XLSX");
    let done = run(&["score", "samples/kunming.csv", "-o", path(&out), "-q"]);
    assert!(done.status.success(), "{}", messages(&done));
    assert_eq!(open(&out).sheet_names(), ["2019", "total", "method"]);
    let piped = run(&["score", "samples/kunming.csv", "--format", "xlsx", "-q"]);
    assert!(piped.status.success());
    assert!(piped.stdout.starts_with(b"PK\x03\x04"), "a zip file");
}

#[test]
fn grades_are_a_column_and_counted_by_period() {
    let case = Case::new();
    let bands = "\n[[grade]]\nlabel = \"优秀\"\nmin = 85\n[[grade]]\nlabel = \"一般\"\nmax = 85\n";
    let text_of = fs::read_to_string("config/kunming.toml").unwrap() + bands;
    let config = case.file("k.toml", text_of);
    let out = case.dir.path().join("g.xlsx");
    let done = run(&[
        "score",
        "samples/kunming.csv",
        "--config",
        path(&config),
        "-o",
        path(&out),
        "-q",
    ]);
    assert!(done.status.success(), "{}", messages(&done));
    let mut book = open(&out);
    let rows = sheet(&mut book, "2019");
    assert_eq!(text(&rows[0][3]), "grade");
    assert_eq!(text(&rows[1][3]), "优秀");
    let totals = sheet(&mut book, "total");
    let header: Vec<String> = totals[0].iter().map(text).collect();
    assert_eq!(&header[header.len() - 2..], ["优秀", "一般"]);
    let counts: f64 = totals[1][header.len() - 2..].iter().map(float).sum();
    assert_eq!(counts, 14.0);
}

#[test]
fn sheet_names_are_valid_and_unique() {
    let case = Case::new();
    let config = case.file(
        "d.toml",
        "[index]\nname='T'\n[method]\nnormalize='none'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n",
    );
    let long = "p".repeat(40);
    let csv = format!("unit,period,x\nA,a/b,1\nA,a:b,2\nA,Total,3\nA,{long},4\nA,'q',5\n");
    let data = case.file("d.csv", csv);
    let out = case.dir.path().join("s.xlsx");
    let done = run(&[
        "score",
        path(&data),
        "--config",
        path(&config),
        "--all-periods",
        "-o",
        path(&out),
        "-q",
    ]);
    assert!(done.status.success(), "{}", messages(&done));
    let names = open(&out).sheet_names();
    let mut lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), names.len(), "{names:?}");
    for name in &names {
        assert!(name.encode_utf16().count() <= 31, "{name}");
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        assert!(!name.starts_with('\'') && !name.ends_with('\''), "{name}");
    }
    assert!(names.contains(&"a_b".to_string()) && names.contains(&"a_b (2)".to_string()));
    // The `total` sheet keeps its name; the period `Total` gives way.
    assert!(names.contains(&"total".to_string()) && names.contains(&"Total (2)".to_string()));
}

#[test]
fn a_name_too_long_for_a_cell_is_refused_and_nothing_is_written() {
    let case = Case::new();
    let config = case.file(
        "d.toml",
        "[index]\nname='T'\n[method]\nnormalize='none'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n",
    );
    let data = case.file(
        "d.csv",
        format!("unit,period,x\n{},1,1\n", "A".repeat(40_000)),
    );
    let out = case.dir.path().join("s.xlsx");
    let failed = run(&[
        "score",
        path(&data),
        "--config",
        path(&config),
        "-o",
        path(&out),
    ]);
    let stderr = fails(&failed, &["--format xlsx", "32767"]);
    assert!(stderr.contains("--format csv"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn indicator_detail_is_refused_in_the_table_but_not_in_a_workbook() {
    let refused = run(&["score", "samples/kunming.csv", "--detail", "indicators"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(messages(&refused).contains("xlsx"));
}
