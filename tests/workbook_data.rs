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

/// A cell formatted as a percentage holds 0.6821 and shows 68.21%: read as
/// the CSV Excel saves says it, 68.21%, not as 0.6821.
#[test]
fn percentage_cells_read_as_they_show() {
    use rust_xlsxwriter::Format;
    let case = Case::new();
    let definition = "[index]\nname='T'\n[method]\nnormalize='goalposts'\n[[dimension]]\nid='d'\n[[dimension.indicator]]\nid='a'\ngoalposts=[0,100]\n[[dimension.indicator]]\nid='b'\ngoalposts=[0,100]\n";
    let config = case.file("p.toml", definition);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let percent = Format::new().set_num_format("0.00%");
    for (c, h) in ["unit", "period", "a", "b"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (unit, a, b)) in [("A", 0.6821, 50.0), ("B", 0.30, 60.0)].iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *unit).unwrap();
        sheet.write_number(r, 1, 2019).unwrap();
        sheet.write_number_with_format(r, 2, *a, &percent).unwrap();
        sheet.write_number(r, 3, *b).unwrap();
    }
    let file = case.dir.path().join("pct.xlsx");
    book.save(&file).unwrap();
    let csv = case.file(
        "pct.csv",
        "unit,period,a,b\nA,2019,68.21%,50\nB,2019,30.00%,60\n",
    );
    let from_xlsx = run(&[
        "score",
        path(&file),
        "--config",
        path(&config),
        "--format",
        "json",
    ]);
    let from_csv = run(&[
        "score",
        path(&csv),
        "--config",
        path(&config),
        "--format",
        "json",
    ]);
    assert_eq!(composites(&from_xlsx), composites(&from_csv));
    assert_eq!(json(&from_xlsx)["periods"][0]["units"][0]["unit"], "A");
}

/// Hidden sheets are left out (and said), unless named; a number that is
/// also another sheet's name is refused as ambiguous.
#[test]
fn hidden_sheets_are_left_out_and_ambiguous_numbers_refused() {
    let case = Case::new();
    let (header, rows) = sample();
    let all: Vec<&Vec<String>> = rows.iter().collect();
    let mut book = Workbook::new();
    // The first sheet cannot be hidden (Excel shows it): notes first.
    book.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "notes")
        .unwrap();
    let hidden = book.add_worksheet().set_name("workings").unwrap();
    fill(hidden, &header, &all[..3], &[]);
    hidden.set_hidden(true);
    fill(
        book.add_worksheet().set_name("1").unwrap(),
        &header,
        &all,
        &[],
    );
    let file = case.dir.path().join("h.xlsx");
    book.save(&file).unwrap();
    let out = score(&file, &[]);
    assert!(out.status.success(), "{}", messages(&out));
    assert!(
        messages(&out).contains("hidden sheet(s)"),
        "{}",
        messages(&out)
    );
    assert_eq!(
        composites(&out),
        composites(&score(Path::new("samples/kunming.csv"), &[]))
    );
    let ambiguous = score(&file, &["--sheet", "1"]);
    assert_eq!(ambiguous.status.code(), Some(2), "{}", messages(&ambiguous));
    assert!(
        messages(&ambiguous).contains("ambiguous"),
        "{}",
        messages(&ambiguous)
    );
}

/// A notes sheet among one-sheet-per-year data is left out, and said.
#[test]
fn sheets_as_periods_leaves_out_sheets_without_the_unit_column() {
    let case = Case::new();
    let (header, rows) = sample();
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "数据说明")
        .unwrap();
    for year in ["2017", "2018", "2019"] {
        let of_year: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == year).collect();
        fill(
            book.add_worksheet().set_name(year).unwrap(),
            &header,
            &of_year,
            &[1],
        );
    }
    let file = case.dir.path().join("notes.xlsx");
    book.save(&file).unwrap();
    let out = score(&file, &["--sheets-as-periods"]);
    assert!(out.status.success(), "{}", messages(&out));
    assert!(
        messages(&out).contains("left out `说明`"),
        "{}",
        messages(&out)
    );
}

/// Shares written as fractions against goalposts on a 0–100 scale are said
/// in full by score (and listed by check), however the data came.
#[test]
fn fractions_against_percentage_goalposts_are_said() {
    let case = Case::new();
    let definition = "[index]\nname='T'\n[method]\nnormalize='goalposts'\n[[dimension]]\nid='d'\n[[dimension.indicator]]\nid='a'\ngoalposts=[0,100]\n";
    let out = case.score(
        definition,
        "unit,period,a\nA,2019,0.6821\nB,2019,0.30\n",
        &[],
    );
    assert!(out.status.success());
    assert!(
        messages(&out).contains("every value lies between 0 and 1, but its goalposts are [0, 100]"),
        "{}",
        messages(&out)
    );
}

/// Blank rows between the data keep every later row's number: a bad cell in
/// row 10 is named at row 10.
#[test]
fn blank_rows_keep_row_numbers() {
    let case = Case::new();
    let definition = "[index]\nname='T'\n[[dimension]]\nid='d'\n[[dimension.indicator]]\nid='a'\n";
    let config = case.file("a.toml", definition);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("S").unwrap();
    for (c, h) in ["unit", "period", "a"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "A").unwrap();
    sheet.write_number(1, 1, 2019).unwrap();
    sheet.write_number(1, 2, 1).unwrap();
    sheet.write_string(9, 0, "C").unwrap();
    sheet.write_number(9, 1, 2019).unwrap();
    sheet.write_string(9, 2, "7O").unwrap();
    let file = case.dir.path().join("gap.xlsx");
    book.save(&file).unwrap();
    let out = run(&["score", path(&file), "--config", path(&config)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        messages(&out).contains("gap.xlsx[S]:10:3"),
        "{}",
        messages(&out)
    );
}
