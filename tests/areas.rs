//! Areas and division codes from the command line: `[data] groups` and
//! `[data] code`, `score --by` with each area's total, change and rank,
//! ranks within areas, `--sort code`, and the unit that moves between areas.

mod common;
use common::*;

const STREETS: &str = r#"
[index]
name = "Streets"
[data]
unit = "street"
groups = ["district"]
code = "code"
[method]
normalize = "none"
[[dimension]]
id = "a"
[[dimension.indicator]]
id = "x"
[[dimension]]
id = "b"
[[dimension.indicator]]
id = "y"
"#;

// S4 lies in D2 in 2018 and in D1 in 2019 (a boundary change).
const DATA: &str = "street,period,district,code,x,y
S1,2018,D1,530102001,60,70
S2,2018,D1,530102002,80,90
S3,2018,D2,530103001,50,50
S4,2018,D2,530103002,70,60
S1,2019,D1,530102001,65,75
S2,2019,D1,530102002,85,80
S3,2019,D2,530103001,90,90
S4,2019,D1,530103002,71,60
";

fn streets(extra: &[&str]) -> Output {
    Case::new().score(STREETS, DATA, extra)
}

/// `kmgov score` on the streets with `args` only (no `--all-periods`).
fn streets_with(args: &[&str]) -> Output {
    let case = Case::new();
    let config = case.file("k.toml", STREETS);
    let data = case.file("d.csv", DATA);
    run(&[&["score", path(&data), "--config", path(&config)], args].concat())
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| line.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_carries_code_area_and_rank_within_the_area_and_the_area_totals() {
    let out = stdout(&streets_with(&["--by", "district", "--format", "csv"]));
    let rows = csv_rows(&out);
    assert_eq!(
        rows[0].join(","),
        "period,rank,unit,composite,a,b,change,pct_change,rank_change,code,district,district_rank"
    );
    // Composites 2019: S3 90, S2 82.5, S1 70, S4 65.5; within D1: S2, S1, S4.
    let unit = |name: &str| rows.iter().find(|r| r[2] == name).unwrap().clone();
    assert_eq!(unit("S3")[9..], ["530103001", "D2", "1"]);
    assert_eq!(unit("S2")[9..], ["530102002", "D1", "1"]);
    assert_eq!(unit("S1")[9..], ["530102001", "D1", "2"]);
    assert_eq!(unit("S4")[9..], ["530103002", "D1", "3"]);
    assert_eq!(unit("S4")[1], "4", "the rank among all units is unchanged");
    // Area rows: unit `total`, the area in its column, its rank among areas.
    let areas: Vec<&Vec<String>> = rows.iter().filter(|r| r[2] == "total").collect();
    assert_eq!(areas.len(), 2, "{out}");
    // D2 = S3 alone = 90; 2018 D2 = (S3 50 + S4 65) / 2 = 57.5 → +32.5, up from 2nd to 1st.
    assert_eq!(areas[0][10], "D2");
    assert_eq!(areas[0][11], "1");
    assert_close(areas[0][3].parse().unwrap(), 90.0, 1e-12);
    assert_close(areas[0][6].parse().unwrap(), 32.5, 1e-12);
    assert_eq!(areas[0][8], "1");
    // D1 = (70 + 82.5 + 65.5) / 3; 2018 D1 = (S1 65 + S2 85) / 2 = 75.
    assert_eq!(areas[1][10], "D1");
    assert_eq!(areas[1][11], "2");
    assert_close(areas[1][3].parse().unwrap(), 218.0 / 3.0, 1e-12);
    assert_close(
        areas[1][4].parse().unwrap(),
        (65.0 + 85.0 + 71.0) / 3.0,
        1e-12,
    );
    assert_close(areas[1][6].parse().unwrap(), 218.0 / 3.0 - 75.0, 1e-12);
    assert_eq!(areas[1][8], "-1");
}

#[test]
fn the_city_total_row_follows_the_area_rows_with_empty_label_cells() {
    let out = stdout(&streets_with(&[
        "--by",
        "district",
        "--total-row",
        "--format",
        "csv",
    ]));
    let last = csv_rows(&out).pop().unwrap();
    assert_eq!(last[2], "total");
    assert_eq!(last[9..], ["", "", ""]);
    assert_close(
        last[3].parse().unwrap(),
        (90.0 + 82.5 + 70.0 + 65.5) / 4.0,
        1e-12,
    );
}

#[test]
fn json_has_the_columns_as_keys_and_the_areas_per_period() {
    let doc = json(&streets(&["--by", "district", "--format", "json"]));
    let period = &doc["periods"][1];
    assert_eq!(period["by"], "district");
    let areas = period["areas"].as_array().unwrap();
    assert_eq!(areas[0]["area"], "D2");
    assert_eq!(areas[0]["rank"], 1);
    assert_eq!(areas[0]["units"], 1);
    assert_eq!(areas[0]["rank_change"], 1);
    assert_close(number(&areas[0]["total"]), 90.0, 1e-12);
    assert_close(number(&areas[1]["dimensions"]["b"]), 215.0 / 3.0, 1e-12);
    let s4 = period["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "S4")
        .unwrap();
    assert_eq!(s4["code"], "530103002");
    assert_eq!(s4["district"], "D1");
    assert_eq!(s4["district_rank"], 3);
    // The first period has no area changes.
    assert!(doc["periods"][0]["areas"][0]["change"].is_null());
}

#[test]
fn without_by_the_outputs_carry_code_and_areas_but_no_area_totals() {
    let out = stdout(&streets(&[]));
    assert!(out.starts_with(
        "period,rank,unit,composite,a,b,change,pct_change,rank_change,code,district\n"
    ));
    assert!(!out.contains(",total,"));
    let doc = json(&streets(&["--format", "json"]));
    assert!(doc["periods"][0].get("areas").is_none());
    assert_eq!(doc["periods"][0]["units"][0]["district"], "D1");
}

#[test]
fn sort_code_orders_by_code_and_keeps_the_ranks() {
    let out = stdout(&streets_with(&["--sort", "code", "--format", "csv"]));
    let rows = csv_rows(&out);
    let order: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[2].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(order, [("S1", "3"), ("S2", "2"), ("S3", "1"), ("S4", "4")]);
}

#[test]
fn sort_code_keeps_each_code_after_the_area_it_lies_in() {
    // A district, a street of it, the next district: code order is the
    // order of the hierarchy, not of the codes' values.
    let data = "street,period,district,code,x,y\nA,1,D,530103,1,1\nB,1,D,530102,2,2\nC,1,D,530102001,3,3\n";
    let out = stdout(&Case::new().score(STREETS, data, &["--sort", "code"]));
    let units: Vec<String> = csv_rows(&out)[1..].iter().map(|r| r[2].clone()).collect();
    assert_eq!(units, ["B", "C", "A"]);
}

#[test]
fn sort_code_without_a_code_column_is_a_usage_error() {
    let output = run(&["score", "samples/kunming.csv", "--sort", "code"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        messages(&output).contains("code = \"code\""),
        "{}",
        messages(&output)
    );
}

#[test]
fn by_an_unknown_column_names_the_area_columns() {
    let output = streets(&["--by", "county"]);
    assert_eq!(output.status.code(), Some(2));
    let said = messages(&output);
    assert!(said.contains("--by county"), "{said}");
    assert!(said.contains("choose one of: district"), "{said}");
    let output = run(&["score", "samples/kunming.csv", "--by", "district"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(messages(&output).contains("groups = [\"district\"]"));
}

#[test]
fn a_unit_that_changes_area_is_a_warning_naming_both_periods() {
    let case = Case::new();
    let config = case.file("k.toml", STREETS);
    let data = case.file("d.csv", DATA);
    let output = run(&["check", path(&data), "--config", path(&config)]);
    assert_eq!(output.status.code(), Some(0));
    let said = messages(&output);
    assert!(
        said.contains("d.csv:9: unit S4 has district D1 in period 2019 but D2 in period 2018"),
        "{said}"
    );
    // `score --by` says it in full: the area totals depend on it.
    let output = streets(&["--by", "district"]);
    assert!(messages(&output).contains("unit S4 has district D1"));
}

#[test]
fn the_long_form_reads_areas_and_codes_as_the_wide_form_does() {
    let mut long = String::from("street,period,district,code,indicator,value\n");
    for line in DATA.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        for (indicator, value) in [("x", f[4]), ("y", f[5])] {
            // The area is given on the first line of a unit and period only.
            let (district, code) = if indicator == "x" {
                (f[2], f[3])
            } else {
                ("", "")
            };
            long.push_str(&format!(
                "{},{},{district},{code},{indicator},{value}\n",
                f[0], f[1]
            ));
        }
    }
    let wide = stdout(&streets(&["--by", "district"]));
    let from_long = stdout(&Case::new().score(STREETS, long, &["--by", "district"]));
    assert_eq!(wide, from_long);
}

#[test]
fn a_long_form_unit_given_two_areas_in_one_period_is_an_error() {
    let data = "street,period,district,indicator,value\nS1,1,D1,x,1\nS1,1,D2,y,2\n";
    let definition = STREETS.replace("code = \"code\"\n", "");
    let output = Case::new().score(&definition, data, &[]);
    fails(
        &output,
        &[
            "d.csv:3:3",
            "unit S1 in period 1 has district D2 here but D1 on line 2",
        ],
    );
}

#[test]
fn a_missing_area_column_is_named_with_its_setting() {
    let data = "street,period,code,x,y\nS1,1,1,1,1\n";
    fails(
        &Case::new().score(STREETS, data, &[]),
        &["district", "[data] groups"],
    );
}

#[test]
fn area_columns_named_like_output_columns_are_refused() {
    for (setting, message) in [
        ("groups = [\"rank\"]", "is also a column of kmgov's output"),
        (
            "groups = [\"street\"]",
            "already the unit, period or population column",
        ),
        ("groups = [\"d\", \"d\"]", "is named twice"),
        ("groups = []", "is an empty list"),
        ("groups = [\"code\"]", "is also a column of kmgov's output"),
    ] {
        let definition = STREETS.replace("groups = [\"district\"]", setting);
        let output = Case::new().score(&definition, DATA, &[]);
        assert_eq!(output.status.code(), Some(1), "{setting}");
        let said = messages(&output);
        assert!(said.contains(message), "{setting}: {said}");
        assert!(said.contains("k.toml:"), "{setting}: located: {said}");
    }
    // Names the outputs would repeat: `<area>_rank`, a dimension's detail column, `code`.
    for (from, to, message) in [
        (
            "groups = [\"district\"]",
            "groups = [\"district\", \"district_rank\"]",
            "writes a column `district_rank`, which is also an area column",
        ),
        (
            "id = \"b\"",
            "id = \"district_rank\"",
            "writes a column `district_rank`, which a dimension or group already names",
        ),
        (
            "groups = [\"district\"]",
            "groups = [\"a_rank\"]",
            "`a_rank` is also a detail column of a dimension",
        ),
        (
            "id = \"b\"",
            "id = \"code\"",
            "a dimension or group is also called `code`",
        ),
    ] {
        let definition = STREETS.replace(from, to);
        let output = Case::new().score(&definition, DATA, &[]);
        assert_eq!(output.status.code(), Some(1), "{to}");
        let said = messages(&output);
        assert!(said.contains(message), "{to}: {said}");
    }
    // A code column called `code` is what the setting is for.
    assert!(streets(&[]).status.success());
}

#[test]
fn area_totals_follow_the_population_rule() {
    let definition = STREETS
        .replace("code = \"code\"\n", "population = \"pop\"\n")
        .replace(
            "normalize = \"none\"",
            "normalize = \"none\"\ntotal = \"population\"",
        );
    let data =
        "street,period,district,pop,x,y\nS1,1,D1,1,60,60\nS2,1,D1,3,80,80\nS3,1,D2,2,50,50\n";
    let out = stdout(&Case::new().score(&definition, data, &["--by", "district"]));
    let rows = csv_rows(&out);
    let d1 = rows
        .iter()
        .find(|r| r[2] == "total" && r[9] == "D1")
        .unwrap();
    // (1·60 + 3·80) / 4 = 75
    assert_close(d1[3].parse().unwrap(), 75.0, 1e-12);
}

#[test]
fn one_area_holding_every_unit_is_the_city() {
    // The Kunming sample with every district in one city: each period's area
    // total is the city total, and ranks within it are the ranks.
    let sample = fs::read_to_string("samples/kunming.csv").unwrap();
    let mut lines = sample.lines();
    let mut data = format!("{},city\n", lines.next().unwrap());
    for line in lines {
        data.push_str(&format!("{line},昆明市\n"));
    }
    let definition = fs::read_to_string("config/kunming.toml").unwrap().replace(
        "population = \"population\"",
        "population = \"population\"\ngroups = [\"city\"]",
    );
    let doc = json(&Case::new().score(&definition, data, &["--by", "city", "--format", "json"]));
    for period in doc["periods"].as_array().unwrap() {
        let area = &period["areas"][0];
        assert_eq!(area["area"], "昆明市");
        assert_close(number(&area["total"]), number(&period["total"]), 1e-9);
        for unit in period["units"].as_array().unwrap() {
            assert_eq!(unit["city_rank"], unit["rank"]);
        }
    }
}

#[test]
fn table_and_markdown_show_the_areas_table_in_either_language() {
    let table = stdout(&streets_with(&["--by", "district"]));
    assert!(table.contains("Streets — 2019 — by district"), "{table}");
    assert!(table.contains("district rank"), "{table}");
    let markdown = stdout(&streets_with(&[
        "--by", "district", "--format", "markdown", "--lang", "zh",
    ]));
    assert!(
        markdown.contains("### Streets — 2019 — 按区县"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| 排名 | 街道 | 区划代码 | 区县 | 区县内排名 |"),
        "{markdown}"
    );
    assert!(markdown.contains("| 1 | D2 | 1 | 90.00 |"), "{markdown}");
}

#[test]
fn the_html_report_has_the_areas_section() {
    let case = Case::new();
    let config = case.file("k.toml", STREETS);
    let data = case.file("d.csv", DATA);
    let html = case.dir.path().join("r.html");
    let output = run(&[
        "report",
        path(&data),
        "--config",
        path(&config),
        "--by",
        "district",
        "-o",
        path(&html),
    ]);
    assert!(output.status.success(), "{}", messages(&output));
    let text = fs::read_to_string(&html).unwrap();
    assert!(text.contains("<section id=\"areas\">"));
    assert!(text.contains("<td>530103002</td>"));
    // S4 ranks 3rd of D1's units; D2's change is +32.50, +56.52 %.
    assert!(text.contains("<td>D1</td><td class=\"n\">3</td>"), "{text}");
    assert!(text.contains("+56.52"));
}

#[test]
fn the_workbook_has_the_labels_and_the_areas_table_below_the_units() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let output = streets_with(&["--by", "district", "--format", "xlsx"]);
    assert!(output.status.success(), "{}", messages(&output));
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(output.stdout)).expect("a workbook");
    let range = book.worksheet_range("2019").expect("the period's sheet");
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let text = |cell: &Data| cell.to_string();
    assert_eq!(text(&rows[0][2]), "code");
    assert_eq!(text(&rows[1][2]), "530103001", "codes stay text");
    // Four units and the total, an empty row, then the areas' heading and rows.
    assert_eq!(text(&rows[7][2]), "units");
    assert_eq!(text(&rows[8][1]), "D2");
    assert_eq!(rows[8][3], Data::Float(90.0));
}

#[test]
fn a_unit_without_an_area_is_a_warning_and_in_no_area_total() {
    let data = "street,period,district,code,x,y\nS1,1,D1,1,60,60\nS2,1,,2,80,80\n";
    let output = Case::new().score(STREETS, data, &["--by", "district"]);
    let said = messages(&output);
    assert!(
        said.contains("d.csv:3: unit S2 has no district in period 1: it counts in the city total but in no area's"),
        "{said}"
    );
    let rows = csv_rows(&stdout(&output));
    let areas: Vec<&Vec<String>> = rows.iter().filter(|r| r[2] == "total").collect();
    assert_eq!(areas.len(), 1);
    assert_eq!(areas[0][3], "60");
}

#[test]
fn two_towns_of_one_name_in_two_counties_are_two_areas() {
    let definition = STREETS
        .replace("unit = \"street\"", "unit = \"village\"")
        .replace("groups = [\"district\"]", "groups = [\"county\", \"town\"]");
    let data = "village,period,county,town,code,x,y
V1,2019,宜良县,城关镇,1,80,80
V2,2019,宜良县,城关镇,2,70,70
V3,2019,嵩明县,城关镇,3,20,20
V4,2019,嵩明县,杨林镇,4,50,50
";
    let out = stdout(&Case::new().score(&definition, data, &["--by", "town"]));
    let rows = csv_rows(&out);
    assert_eq!(rows[0][9..], ["code", "county", "town", "town_rank"]);
    let areas: Vec<String> = rows
        .iter()
        .filter(|r| r[2] == "total")
        .map(|r| format!("{} {} {} {}", r[10], r[11], r[3], r[12]))
        .collect();
    assert_eq!(
        areas,
        [
            "宜良县 城关镇 75 1",
            "嵩明县 杨林镇 50 2",
            "嵩明县 城关镇 20 3"
        ]
    );
    let v3 = rows.iter().find(|r| r[2] == "V3").unwrap();
    assert_eq!(v3[12], "1", "V3 is alone in 嵩明县's 城关镇");
    let doc = json(&Case::new().score(&definition, data, &["--by", "town", "--format", "json"]));
    let first = &doc["periods"][0]["areas"][0];
    assert_eq!(first["area"], "城关镇");
    assert_eq!(first["county"], "宜良县");
}

#[test]
fn area_rows_stay_aligned_whatever_units_are_shown() {
    for extra in [&["--top", "0"][..], &["--top", "1"][..], &[][..]] {
        let out = stdout(&streets(
            &[
                &["--by", "district", "--detail", "dimensions", "--total-row"][..],
                extra,
            ]
            .concat(),
        ));
        let widths: Vec<usize> = out.lines().map(|l| l.split(',').count()).collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{extra:?}: {out}");
    }
}

#[test]
fn the_indicator_table_carries_code_and_areas_and_refuses_by() {
    let out = stdout(&streets(&["--detail", "indicators"]));
    assert!(out.starts_with(
        "period,rank,unit,dimension,indicator,raw,score,global_weight,filled,code,district\n"
    ));
    assert!(out.contains(",530103001,D2\n"));
    let output = streets(&["--detail", "indicators", "--by", "district"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(messages(&output).contains("--by: the long indicator table"));
}

#[test]
fn a_unit_named_total_beside_area_rows_names_by() {
    let data = DATA.replace("S1,", "total,");
    let output = Case::new().score(STREETS, data, &["--by", "district"]);
    fails(
        &output,
        &["--by: a unit is named `total`", "like the area rows"],
    );
}

#[test]
fn long_form_columns_are_not_areas() {
    let data = "street,period,indicator,value\nS1,1,x,1\nS1,1,y,2\n";
    let definition = STREETS
        .replace("groups = [\"district\"]", "groups = [\"indicator\"]")
        .replace("code = \"code\"\n", "");
    fails(
        &Case::new().score(&definition, data, &[]),
        &["[data] groups names `indicator`, the long form's own column"],
    );
}

#[test]
fn the_same_rows_in_any_order_or_encoding_give_the_same_areas() {
    let expected = stdout(&streets(&["--by", "district", "--total-row"]));
    let mut lines: Vec<&str> = DATA.lines().collect();
    let header = lines.remove(0);
    for rotation in 0..lines.len() {
        let mut turned = lines.clone();
        turned.rotate_left(rotation);
        turned.reverse();
        let data = format!("{header}\n{}\n", turned.join("\n"));
        let out = stdout(&Case::new().score(STREETS, &data, &["--by", "district", "--total-row"]));
        assert_eq!(out, expected, "rows turned by {rotation}");
    }
    // Chinese area names in GB18030 read as in UTF-8.
    let chinese = DATA.replace("D1", "五华区").replace("D2", "盘龙区");
    let utf8 = stdout(&Case::new().score(STREETS, &chinese, &["--by", "district"]));
    let (gbk, _, _) = encoding_rs::GB18030.encode(&chinese);
    let gbk = stdout(&Case::new().score(STREETS, gbk.as_ref(), &["--by", "district"]));
    assert_eq!(utf8, gbk);
    assert!(utf8.contains("盘龙区"));
}
