//! Data in a workbook: the same numbers as the same table saved as CSV,
//! the sheet chosen by its header or by name, one sheet per period, and
//! errors at the sheet's cell.

mod common;
use common::*;
use rust_xlsxwriter::{Workbook, Worksheet};

/// The sample's rows: header and cells, numbers parsed.
fn sample() -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string("samples/kunming.csv").unwrap();
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Writes text as text and numbers as numbers, leaving out `skip` columns.
fn fill(sheet: &mut Worksheet, header: &[String], rows: &[&Vec<String>], skip: &[usize]) {
    let keep: Vec<usize> = (0..header.len()).filter(|c| !skip.contains(c)).collect();
    for (c, &column) in keep.iter().enumerate() {
        sheet.write_string(0, c as u16, &header[column]).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, &column) in keep.iter().enumerate() {
            let cell = &row[column];
            let (r, c) = (r as u32 + 1, c as u16);
            match cell.parse::<f64>() {
                Ok(x) if column > 1 => sheet.write_number(r, c, x).unwrap(),
                _ => sheet.write_string(r, c, cell).unwrap(),
            };
        }
    }
}

fn composites(out: &Output) -> Vec<String> {
    let doc = json(out);
    doc["periods"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["units"].as_array().unwrap().iter())
        .map(|u| format!("{} {}", u["unit"], u["composite"]))
        .collect()
}

fn score(data: &Path, extra: &[&str]) -> Output {
    run(&[
        &["score", path(data), "--all-periods", "--format", "json"],
        extra,
    ]
    .concat())
}

#[test]
fn a_workbook_scores_as_the_same_table_in_csv() {
    let case = Case::new();
    let (header, rows) = sample();
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "数据见下一页")
        .unwrap();
    let sheet = book.add_worksheet().set_name("数据").unwrap();
    fill(sheet, &header, &rows.iter().collect::<Vec<_>>(), &[]);
    let file = case.dir.path().join("kunming.xlsx");
    book.save(&file).unwrap();
    let from_xlsx = score(&file, &[]);
    assert!(
        messages(&from_xlsx).contains("read sheet `数据`"),
        "{}",
        messages(&from_xlsx)
    );
    let from_csv = score(Path::new("samples/kunming.csv"), &[]);
    assert_eq!(composites(&from_xlsx), composites(&from_csv));
    // By name and by number; and check reads it too.
    assert_eq!(
        composites(&score(&file, &["--sheet", "2"])),
        composites(&from_csv)
    );
    let checked = run(&["check", path(&file), "--sheet", "数据"]);
    assert!(checked.status.success(), "{}", messages(&checked));
    let missing = score(&file, &["--sheet", "2020"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(messages(&missing).contains("说明") && messages(&missing).contains("数据"));
}

#[test]
fn one_sheet_per_year_reads_as_periods() {
    let case = Case::new();
    let (header, rows) = sample();
    let mut book = Workbook::new();
    for year in ["2017", "2018", "2019"] {
        let sheet = book.add_worksheet().set_name(year).unwrap();
        let of_year: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == year).collect();
        fill(sheet, &header, &of_year, &[1]);
    }
    let file = case.dir.path().join("by-year.xlsx");
    book.save(&file).unwrap();
    let out = score(&file, &["--sheets-as-periods"]);
    assert!(out.status.success(), "{}", messages(&out));
    let from_csv = score(Path::new("samples/kunming.csv"), &[]);
    assert_eq!(composites(&out), composites(&from_csv));
    // Without the flag there is no period column to find: a flag to choose.
    let plain = score(&file, &[]);
    assert_eq!(plain.status.code(), Some(2));
    assert!(
        messages(&plain).contains("--sheets-as-periods"),
        "{}",
        messages(&plain)
    );
}

#[test]
fn a_bad_cell_is_named_at_its_sheet_row_and_column() {
    let case = Case::new();
    let (header, mut rows) = sample();
    rows[3][4] = "n/a?".into();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("2019").unwrap();
    fill(sheet, &header, &rows.iter().collect::<Vec<_>>(), &[]);
    let file = case.dir.path().join("bad.xlsx");
    book.save(&file).unwrap();
    let out = score(&file, &[]);
    assert_eq!(out.status.code(), Some(1));
    // Row 5 of the sheet (header in row 1), column 5 (E).
    assert!(
        messages(&out).contains("bad.xlsx[2019]:5:5"),
        "{}",
        messages(&out)
    );
}

#[test]
fn sheet_flags_on_a_csv_file_are_bad_usage() {
    let out = run(&["score", "samples/kunming.csv", "--sheet", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", messages(&out));
    assert!(messages(&out).contains("not a workbook"));
}
