//! The catalogue of odd inputs from district spreadsheets: each gets a correct
//! result or an error that names the place and the fix — never a panic.

mod common;

use common::*;

const DEF: &str = r#"
[index]
name = "Adversarial"
[method]
normalize = "goalposts"
[[dimension]]
id = "d"
[[dimension.indicator]]
id = "x"
goalposts = [0, 100]
[[dimension.indicator]]
id = "y"
goalposts = [0, 100]
"#;

const GOOD: &str = "unit,period,x,y\nA,2019,80,60\nB,2019,40,20\n";
const GOOD_CSV: &str = "period,rank,unit,composite,d,change,pct_change,rank_change\n2019,1,A,70,70,,,\n2019,2,B,30,30,,,\n";

#[test]
fn empty_file() {
    fails(
        &Case::new().score(DEF, "", &[]),
        &["d.csv: the file is empty"],
    );
}

#[test]
fn header_only() {
    fails(
        &Case::new().score(DEF, "unit,period,x,y\n", &[]),
        &["d.csv: the file has a header but no data rows"],
    );
}

#[test]
fn bom_only() {
    fails(
        &Case::new().score(DEF, "\u{FEFF}", &[]),
        &["d.csv: the file is empty"],
    );
}

#[test]
fn bom_before_the_header() {
    assert_eq!(
        ok(&Case::new().score(DEF, format!("\u{FEFF}{GOOD}"), &[])),
        GOOD_CSV
    );
}

#[test]
fn crlf_and_mixed_line_endings() {
    let case = Case::new();
    assert_eq!(
        ok(&case.score(DEF, GOOD.replace('\n', "\r\n"), &[])),
        GOOD_CSV
    );
    let mixed = "unit,period,x,y\r\nA,2019,80,60\nB,2019,40,20\r\n";
    assert_eq!(ok(&case.score(DEF, mixed, &[])), GOOD_CSV);
}

#[test]
fn quoted_fields_with_commas_quotes_and_newlines() {
    let data = "unit,period,x,y\n\"Town, \"\"North\"\"\nDistrict\",2019,80,60\nB,2019,\"40\",20\n";
    let out = ok(&Case::new().score(DEF, data, &[]));
    assert!(
        out.contains("2019,1,\"Town, \"\"North\"\"\nDistrict\",70,70,,,\n"),
        "{out}"
    );
}

#[test]
fn ragged_rows() {
    let data = "unit,period,x,y\nA,2019,80\nB,2019,40,20,7\n";
    fails(
        &Case::new().score(DEF, data, &[]),
        &[
            "d.csv:2: this row has 3 fields but the header has 4",
            "d.csv:3: this row has 5 fields but the header has 4",
        ],
    );
}

#[test]
fn blank_rows_and_empty_trailing_fields_are_tolerated() {
    let data = "unit,period,x,y\nA,2019,80,60,,\n,,,\n\nB,2019,40,20\n";
    assert_eq!(ok(&Case::new().score(DEF, data, &[])), GOOD_CSV);
}

#[test]
fn duplicate_headers() {
    let data = "unit,period,x,x,y\nA,2019,80,81,60\n";
    fails(
        &Case::new().score(DEF, data, &[]),
        &["d.csv:1:4: column `x` appears twice (first as column 3)"],
    );
}

#[test]
fn blank_and_unknown_headers_are_ignored_with_a_warning() {
    let data = "unit,period,x,,y,notes\nA,2019,80,,60,ok\nB,2019,40,,20,\n";
    let output = Case::new().score(DEF, data, &[]);
    assert_eq!(ok(&output), GOOD_CSV);
    assert!(messages(&output).contains("column `notes` is not an indicator"));
}

#[test]
fn headers_with_stray_spaces_and_full_width_letters() {
    let data = " unit , period ,ｘ,　y\nA,2019,80,60\nB,2019,40,20\n";
    assert_eq!(ok(&Case::new().score(DEF, data, &[])), GOOD_CSV);
}

#[test]
fn invalid_utf8_when_utf8_is_expected() {
    let data = b"unit,period,x,y\nA,2019,80,60\nB\xFF,2019,40,20\n";
    fails(
        &Case::new().score(DEF, data, &["--encoding", "utf-8"]),
        &[
            "d.csv:3:1: the text is not valid UTF-8",
            "--encoding gb18030",
        ],
    );
    // Auto-detection tries GB18030, where 0xFF is not valid either: the
    // line and the byte's offset in the file are named.
    fails(
        &Case::new().score(DEF, data, &[]),
        &["d.csv:3: bytes FF at byte offset 30 are not valid UTF-8 or GB18030"],
    );
}

#[test]
fn nan_inf_and_huge_numbers_are_errors_naming_the_cell() {
    let data = "unit,period,x,y\nA,2019,NaN,60\nB,2019,inf,1e400\n";
    fails(
        &Case::new().score(DEF, data, &[]),
        &[
            "d.csv:2:3: `x`, unit A, period 2019: `NaN` is not a number",
            "d.csv:3:3: `x`, unit B, period 2019: `inf` is not a number",
            "d.csv:3:4: `y`, unit B, period 2019: `1e400` is too large",
            "3 errors",
        ],
    );
}

#[test]
fn negative_zero_is_zero() {
    let def = DEF.replace("normalize = \"goalposts\"", "normalize = \"none\"");
    let out = ok(&Case::new().score(&def, "unit,period,x,y\nA,2019,-0,-0\n", &[]));
    assert_eq!(out.lines().nth(1), Some("2019,1,A,0,0,,,"));
}

#[test]
fn thousands_separators_percent_signs_and_full_width_digits() {
    let def = DEF.replace("normalize = \"goalposts\"", "normalize = \"none\"");
    let data = "unit,period,x,y\nA,2019,\"1,234.5\",68.21%\nB,2019,８０.５,\"１,０００\"\n";
    let out = ok(&Case::new().score(&def, data, &["--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let units = &json["periods"][0]["units"];
    assert_eq!(units[0]["unit"], "A");
    assert_eq!(units[0]["composite"], (1234.5 + 68.21) / 2.0);
    assert_eq!(units[1]["composite"], (80.5 + 1000.0) / 2.0);
}

#[test]
fn unit_names_with_commas_quotes_and_emoji() {
    let data = "unit,period,x,y\n\"五华区, \"\"老城\"\" 🏙\",2019,80,60\n\"🌲 B\",2019,40,20\n";
    let case = Case::new();
    let csv = ok(&case.score(DEF, data, &[]));
    assert!(
        csv.contains("2019,1,\"五华区, \"\"老城\"\" 🏙\",70,"),
        "{csv}"
    );
    assert!(csv.contains("2019,2,🌲 B,30,"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&case.score(DEF, data, &["--format", "json"]))).unwrap();
    assert_eq!(json["periods"][0]["units"][0]["unit"], "五华区, \"老城\" 🏙");
    let table = ok(&case.score(DEF, data, &["--format", "table"]));
    assert!(table.contains("🌲 B"));
}

#[test]
fn periods_order_naturally() {
    let case = Case::new();
    let quarters = "unit,period,x,y\nA,2019Q10,1,1\nA,2020Q1,2,2\nA,2019Q2,3,3\n";
    let out = ok(&case.score(DEF, quarters, &[]));
    let periods: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(periods, ["2019Q2", "2019Q10", "2020Q1"]);
    let months = "unit,period,x,y\nA,2019-12,1,1\nA,2020-01,2,2\nA,2019-06,3,3\n";
    let out = ok(&case.score(DEF, months, &[]));
    let periods: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(periods, ["2019-06", "2019-12", "2020-01"]);
    let years = "unit,period,x,y\nA,2019,1,1\nA,999,2,2\nA,2018,3,3\n";
    let out = ok(&case.score(DEF, years, &[]));
    let periods: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(periods, ["999", "2018", "2019"]);
}

#[test]
fn toml_with_a_wrong_type() {
    let def = DEF.replace(
        "goalposts = [0, 100]\n[[dimension.indicator]]\nid = \"y\"",
        "goalposts = \"0-100\"\n[[dimension.indicator]]\nid = \"y\"",
    );
    fails(
        &Case::new().score(&def, GOOD, &[]),
        &[
            "k.toml:10:13: goalposts must be two numbers in brackets, not the text \"0-100\"",
            "goalposts = [0, 100]",
        ],
    );
}

#[test]
fn toml_with_an_unknown_key() {
    let def = DEF.replace("id = \"y\"", "id = \"y\"\nwieght = 2");
    fails(
        &Case::new().score(&def, GOOD, &[]),
        &[
            "k.toml:13:1: unknown key `wieght` in [[dimension.indicator]]",
            "did you mean `weight`?",
        ],
    );
}

#[test]
fn toml_without_a_dimension() {
    fails(
        &Case::new().score("[index]\nname = \"x\"\n", GOOD, &[]),
        &["[[dimension]]: the definition has no dimension"],
    );
}

#[test]
fn toml_that_is_not_toml() {
    fails(
        &Case::new().score("[index\nname = ", GOOD, &[]),
        &["k.toml:1:"],
    );
}

#[test]
fn ten_thousand_indicators() {
    let mut def = String::from("[index]\nname = \"Wide\"\n[[dimension]]\nid = \"d\"\n");
    let mut header = String::from("unit,period");
    let (mut row_a, mut row_b) = (String::from("A,2019"), String::from("B,2019"));
    for i in 0..10_000 {
        def.push_str(&format!("[[dimension.indicator]]\nid = \"i{i}\"\n"));
        header.push_str(&format!(",i{i}"));
        row_a.push_str(&format!(",{}", i % 7));
        row_b.push_str(&format!(",{}", i % 5));
    }
    let out = ok(&Case::new().score(&def, format!("{header}\n{row_a}\n{row_b}\n"), &[]));
    assert_eq!(out.lines().count(), 3);
}

#[test]
fn geometric_with_a_zero_score_names_the_cell() {
    let def = DEF.replace("[method]", "[method]\naggregate = \"geometric\"");
    fails(
        &Case::new().score(&def, "unit,period,x,y\nA,2019,80,60\nB,2019,0,20\n", &[]),
        &[
            "d.csv:3:3: indicator `x`, unit B, period 2019: score 0 is not above zero, which geometric aggregation cannot take",
        ],
    );
}

#[test]
fn harmonic_with_a_negative_score_names_the_cell() {
    let def = DEF
        .replace("[method]", "[method]\naggregate = \"harmonic\"")
        .replace("normalize = \"goalposts\"", "normalize = \"none\"");
    fails(
        &Case::new().score(&def, "unit,period,x,y\nA,2019,80,60\nB,2019,40,-3\n", &[]),
        &[
            "d.csv:3:4: indicator `y`, unit B, period 2019: score -3 is not above zero, which harmonic",
        ],
    );
}

#[test]
fn duplicate_unit_and_period_in_long_form() {
    let data = "unit,period,indicator,value\nA,2019,x,1\nA,2019,y,2\nA,2019,x,3\n";
    fails(
        &Case::new().score(DEF, data, &[]),
        &["d.csv:4: unit A, period 2019, indicator `x` appears again (first on line 2)"],
    );
}

#[test]
fn folder_as_data() {
    let case = Case::new();
    let config = case.file("k.toml", DEF);
    fails(
        &run(&["score", path(case.dir.path()), "--config", path(&config)]),
        &["cannot read the data", "folder"],
    );
}

#[test]
fn values_near_the_f64_limit_are_refused_not_scored_wrongly() {
    // Regression: 1e308 − (−1e308) overflowed to infinity and minmax gave null scores.
    let def = DEF.replace("normalize = \"goalposts\"", "normalize = \"minmax\"");
    fails(
        &Case::new().score(
            &def,
            "unit,period,x,y\nA,1,1e308,1\nB,1,-1e308,2\nC,1,0,3\n",
            &[],
        ),
        &[
            "d.csv:2:3: `x`, unit A, period 1: `1e308` is too large to be a number kmgov can use (beyond ±1e100)",
        ],
    );
    let out = ok(&Case::new().score(
        &def,
        "unit,period,x,y\nA,1,1e100,1\nB,1,-1e100,3\nC,1,0,2\n",
        &[],
    ));
    assert_eq!(
        out.lines().skip(1).collect::<Vec<_>>(),
        ["1,1,A,50,50,,,", "1,1,B,50,50,,,", "1,1,C,50,50,,,"]
    );
}

#[test]
fn zscore_of_values_spanning_the_accepted_range_stays_finite() {
    let def = DEF.replace("normalize = \"goalposts\"", "normalize = \"zscore\"");
    let out = ok(&Case::new().score(
        &def,
        "unit,period,x,y\nA,1,1e100,1\nB,1,-1e100,1\nC,1,0,1\n",
        &[],
    ));
    assert!(out.contains("1,1,A,0.5,0.5,,,"), "{out}");
    assert!(out.contains("1,3,B,-0.5,-0.5,,,"), "{out}");
}

#[test]
fn long_form_without_rows_for_an_indicator_names_it() {
    // Regression: under missing = "skip" the index was scored without `y`, silently.
    let def = DEF.replace("[method]", "[method]\nmissing = \"skip\"");
    fails(
        &Case::new().score(
            &def,
            "unit,period,indicator,value\nA,2019,x,1\nB,2019,x,5\n",
            &[],
        ),
        &["d.csv: no row for indicator `y` of dimension `d`"],
    );
}

#[test]
fn long_form_tolerates_empty_trailing_fields_like_wide_form() {
    let data =
        "unit,period,indicator,value\nA,2019,x,80,\nA,2019,y,60\nB,2019,x,40,,\nB,2019,y,20\n";
    assert_eq!(ok(&Case::new().score(DEF, data, &[])), GOOD_CSV);
}

// ---- Encodings, numbers, periods, names, delimiters, limits ----

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    bytes.into_owned()
}

const NAMED: &str = "unit,period,x,y\n五华区,2019,80,60\n盘龙区,2019,40,20\n";
const NAMED_CSV: &str = "period,rank,unit,composite,d,change,pct_change,rank_change\n2019,1,五华区,70,70,,,\n2019,2,盘龙区,30,30,,,\n";

#[test]
fn a_stray_byte_in_an_ignored_column_does_not_garble_a_utf8_file() {
    let mut data = "unit,period,x,y,note\n五华区,2019,80,60,ok\n"
        .as_bytes()
        .to_vec();
    data.extend_from_slice("盘龙区,2019,40,20,bad\u{0}".as_bytes());
    data.extend_from_slice(b"\xFF\n");
    let output = Case::new().score(DEF, &data, &[]);
    assert_eq!(ok(&output), NAMED_CSV);
    let stderr = messages(&output);
    assert!(stderr.contains("d.csv:3: read as UTF-8"), "{stderr}");
}

#[test]
fn gbk_whose_bytes_are_valid_utf8_is_read_as_gbk_and_said_so() {
    // 掳莽蟹伪 in GBK is valid UTF-8 (°çзα): it must not become those.
    let names = "unit,period,x,y\n掳莽,2019,80,60\n蟹伪,2019,40,20\n";
    let output = Case::new().score(DEF, gbk(names), &[]);
    let out = ok(&output);
    assert!(out.contains(",掳莽,") && out.contains(",蟹伪,"), "{out}");
    let stderr = messages(&output);
    assert!(stderr.contains("read as GB18030"), "{stderr}");
}

#[test]
fn a_file_mixing_utf8_and_gbk_rows_is_refused() {
    let mut data = "unit,period,x,y\n五华区,2019,80,60\n".as_bytes().to_vec();
    data.extend(gbk("盘龙区,2019,40,20\n"));
    fails(
        &Case::new().score(DEF, &data, &[]),
        &[
            "the file mixes encodings: line 2 is UTF-8 but line 3 is GB18030",
            "one encoding",
        ],
    );
    // Whichever encoding is forced, the other rows are errors, not mojibake.
    fails(
        &Case::new().score(DEF, &data, &["--encoding", "utf-8"]),
        &["d.csv:3:1"],
    );
}

#[test]
fn utf16_without_a_byte_order_mark_is_recognised() {
    let le: Vec<u8> = NAMED.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let output = Case::new().score(DEF, le, &[]);
    assert_eq!(ok(&output), NAMED_CSV);
    assert!(messages(&output).contains("read as UTF-16LE"));
}

#[test]
fn an_excel_workbook_is_named_as_one() {
    // Workbooks are read; one that only starts like one is named for what it is.
    let xlsx =
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml\x00xl/workbook.xml";
    let stderr = fails(
        &Case::new().score(DEF, xlsx, &[]),
        &[
            "this is a damaged ZIP archive, not a table kmgov reads",
            "save it as .xlsx",
        ],
    );
    assert!(!stderr.contains("encoding"), "{stderr}");
    // On standard input a workbook is not read: CSV only.
    let piped = kmgov()
        .args(["score", "-"])
        .write_stdin(&xlsx[..])
        .output()
        .unwrap();
    assert!(
        messages(&piped).contains("this is an Excel workbook (.xlsx), not CSV text"),
        "{}",
        messages(&piped)
    );
}

#[test]
fn commas_that_are_not_thousands_separators_are_errors() {
    for cell in ["\"1.234,5\"", "\"12.5,3\"", "\"0,125\"", "\"00,123\""] {
        let data = format!("unit,period,x,y\nA,2019,{cell},60\nB,2019,40,20\n");
        fails(
            &Case::new().score(DEF, data, &[]),
            &["d.csv:2:3: `x`, unit A, period 2019", "decimal comma"],
        );
    }
    let data = "unit,period,x,y\nA,2019,\"1,234\",60\nB,2019,40,20\n";
    let def = DEF.replace("goalposts = [0, 100]\n[[", "goalposts = [0, 10000]\n[[");
    assert!(ok(&Case::new().score(&def, data, &[])).contains("2019,1,A,"));
}

#[test]
fn year_dot_month_periods_sort_by_month() {
    let mut data = String::from("unit,period,x,y\n");
    for m in 1..=12 {
        data.push_str(&format!("A,2019.{m},{},50\nB,2019.{m},50,50\n", m * 5));
    }
    let out = ok(&Case::new().score(DEF, data, &[]));
    let periods: Vec<&str> = out
        .lines()
        .skip(1)
        .step_by(2)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let months: Vec<String> = (1..=12).map(|m| format!("2019.{m}")).collect();
    assert_eq!(periods, months);
    // The change for 2019.10 is taken on 2019.9 (x 45 → 50: composite +2.5).
    let line = out
        .lines()
        .find(|l| l.starts_with("2019.10,") && l.contains(",A,"))
        .unwrap();
    assert!(line.contains(",50,50,2.5,5.26"), "{line}");
}

#[test]
fn two_spellings_of_a_period_are_one_period_or_a_warning() {
    // Full-width digits are folded: one period, so A appears twice in it.
    let data = "unit,period,x,y\nA,2019,80,60\nA,２０１９,40,20\n";
    fails(
        &Case::new().score(DEF, data, &[]),
        &["d.csv:3: unit A, period 2019 appears again (first on line 2)"],
    );
    let data = "unit,period,x,y\nA,2019.1,80,60\nA,2019-01,40,20\n";
    let output = Case::new().score(DEF, data, &[]);
    ok(&output);
    let stderr = messages(&output);
    assert!(
        stderr
            .contains("periods `2019-01` and `2019.1` look like two spellings of the same period"),
        "{stderr}"
    );
}

#[test]
fn population_naming_the_period_column_is_an_error_naming_both() {
    let def = DEF.replace(
        "[method]",
        "[data]\npopulation = \"period\"\n[method]\ntotal = \"population\"",
    );
    fails(
        &Case::new().score(&def, GOOD, &[]),
        &["[data]: population and period name the same column `period`"],
    );
}

#[test]
fn nfc_and_nfd_and_zero_width_spellings_are_one_unit() {
    let nfd = "unit,period,x,y\nZu\u{308}rich,2018,80,60\nB,2018,40,20\nZürich,2019,80,60\nB\u{200B},2019,40,20\n";
    let output = Case::new().score(DEF, nfd, &[]);
    let out = ok(&output);
    assert!(out.contains("2019,1,Zürich,70,70,0,0,0"), "{out}");
    assert!(out.contains("2019,2,B,30,30,0,0,0"), "{out}");
    let stderr = messages(&output);
    assert!(stderr.contains("\\u{200b}"), "{stderr}");
}

#[test]
fn long_form_with_two_value_columns_names_both() {
    let data = "unit,period,indicator,value,value\nA,2019,x,1,2\nA,2019,y,1,2\n";
    fails(
        &Case::new().score(DEF, data, &[]),
        &["d.csv:1:5: column `value` appears twice (first as column 4)"],
    );
}

#[test]
fn an_unclosed_quote_names_its_line_and_echoes_little() {
    let mut data = String::from("unit,period,x,y\nA,2019,80,60\n\"B,2019,40,20\n");
    for i in 0..20_000 {
        data.push_str(&format!("C{i},2019,40,20\n"));
    }
    let stderr = fails(
        &Case::new().score(DEF, data, &[]),
        &[
            "d.csv:3: a quoted field opened on this line runs on to line 20004",
            "close the quote",
        ],
    );
    assert!(stderr.len() < 1000, "{} bytes of messages", stderr.len());
    assert!(
        !stderr.contains("quote a field that contains a comma"),
        "{stderr}"
    );
}

#[test]
fn semicolon_and_tab_separated_files_read_the_same() {
    let case = Case::new();
    assert_eq!(
        ok(&case.score(DEF, NAMED.replace(',', ";"), &[])),
        NAMED_CSV
    );
    assert_eq!(
        ok(&case.score(DEF, NAMED.replace(',', "\t"), &[])),
        NAMED_CSV
    );
    assert_eq!(
        ok(&case.score(DEF, NAMED.replace(',', "|"), &[])),
        NAMED_CSV
    );
    assert_eq!(
        ok(&case.score(DEF, NAMED.replace(',', "\t"), &["--delimiter", "tab"])),
        NAMED_CSV
    );
    // A `;` inside a quoted header field does not fool the sniffing.
    let quoted = "unit,period,x,y,\"a;b;c;d;e\"\nA,2019,80,60,z\nB,2019,40,20,z\n";
    assert_eq!(ok(&case.score(DEF, quoted, &[])), GOOD_CSV);
    // Forced to `,`, a `;` file has a one-field header: the message says so.
    fails(
        &case.score(DEF, GOOD.replace(',', ";"), &["--delimiter", ","]),
        &[
            "the header is one field, `unit;period;x;y`, which contains `;`",
            "--delimiter",
        ],
    );
    fails(
        &case.score(DEF, "unit;period,x\nA;2019,1\n", &[]),
        &["cannot tell the field separator"],
    );
}

#[test]
fn a_misspelt_column_gets_did_you_mean() {
    let def = DEF.replace("id = \"y\"", "id = \"pm25\"");
    for header in ["PM2.5", "pm 2.5", "Pm25"] {
        let data = format!("unit,period,x,{header}\nA,2019,80,60\n");
        fails(
            &Case::new().score(&def, data, &[]),
            &["no column `pm25`", &format!("did you mean `{header}`?")],
        );
    }
}

#[test]
fn an_endless_record_is_cut_off_with_its_line() {
    let mut data = String::from("unit,period,x,y\nA,2019,80,60\n\"");
    data.push_str(&"z".repeat(3 << 20));
    fails(
        &Case::new().score(DEF, &data, &[]),
        &[
            "d.csv:3: the row starting here is longer than 1048576 bytes",
            "KMGOV_MAX_RECORD_BYTES",
        ],
    );
    let output = kmgov()
        .env("KMGOV_MAX_RECORD_BYTES", "100")
        .args(["score", "-", "--config"])
        .arg(Case::new().file("k.toml", DEF))
        .write_stdin(format!("unit,period,x,y\nA,2019,80,{}\n", "6".repeat(200)))
        .output()
        .unwrap();
    assert!(
        messages(&output).contains("<stdin>:2: the row starting here is longer than 100 bytes"),
        "{}",
        messages(&output)
    );
}

/// A file of `rows` rows, more than the 64 KiB from which the encoding is
/// decided, with a `note` column kmgov does not read.
fn past_the_sample(rows: usize) -> String {
    let mut text = String::from("unit,period,x,y,note\n");
    for i in 0..rows {
        text.push_str(&format!("五华区{i},2019,{},60,ok\n", i % 100));
    }
    assert!(text.len() > 64 * 1024);
    text
}

#[test]
fn rows_in_another_encoding_past_the_first_64_kib_are_refused() {
    let text = past_the_sample(3000);
    let last = text.lines().count() + 1;
    // UTF-8, then a GBK note in a column kmgov does not read.
    let mut data = text.clone().into_bytes();
    data.extend(b"A,2019,1,2,".iter().copied().chain(gbk("备注\n")));
    fails(
        &Case::new().score(DEF, &data, &[]),
        &[&format!(
            "the file mixes encodings: line 2 is UTF-8 but line {last} is GB18030"
        )],
    );
    // GBK, then a row pasted in UTF-8, whose bytes are also valid GBK
    // (西山 would become 瑗垮北).
    let mut data = gbk(&text);
    data.extend_from_slice("西山,2019,1,2,ok\n".as_bytes());
    let stderr = fails(
        &Case::new().score(DEF, &data, &[]),
        &[&format!(
            "the file mixes encodings: line {last} is UTF-8 but line 2 is GB18030"
        )],
    );
    assert!(stderr.contains("read as GB18030"), "{stderr}");
}

#[test]
fn a_stray_byte_past_the_first_64_kib_is_warned_about() {
    let text = past_the_sample(3000);
    let line = text.lines().count() + 1;
    let mut data = text.into_bytes();
    data.extend_from_slice(b"A,2019,1,2,bad\xFF\n");
    let output = Case::new().score(DEF, &data, &[]);
    let out = ok(&output);
    assert!(out.contains(",A,"), "{out}");
    let stderr = messages(&output);
    assert!(
        stderr.contains(&format!("d.csv:{line}: read as UTF-8, but the bytes")),
        "{stderr}"
    );
}

/// An error in a file read as GBK on evidence still says it was read as
/// GBK, since the encoding may be what went wrong.
#[test]
fn the_encoding_assumed_is_said_when_reading_fails() {
    let data = gbk("unit,period,x,y\n五华区,2019,80,六十\n");
    let stderr = fails(
        &Case::new().score(DEF, &data, &[]),
        &[
            "d.csv:2:4: `y`, unit 五华区, period 2019: `六十` is not a number",
            "d.csv: read as GB18030 (GBK) (detected",
            "--encoding gb18030 to say so",
        ],
    );
    assert!(stderr.contains("1 error, 1 warning"), "{stderr}");
    let utf16: Vec<u8> = "unit,period,x\n五华区,2019,80\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    fails(
        &Case::new().score(DEF, &utf16, &[]),
        &["no column `y`", "read as UTF-16LE"],
    );
    // `check` lists it too.
    let case = Case::new();
    let config = case.file("k.toml", DEF);
    let data = case.file("d.csv", &data);
    let output = run(&["check", path(&data), "--config", path(&config)]);
    let stderr = messages(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("read as GB18030"), "{stderr}");
}

#[test]
fn long_form_names_that_differ_only_in_spelling_are_one_unit_with_a_warning() {
    let data = "unit,period,indicator,value\n\
                Zu\u{308}rich,2018,x,80\nZu\u{308}rich,2018,y,60\nB,2018,x,40\nB,2018,y,20\n\
                Zürich,2019,x,80\nZürich,2019,y,60\nB\u{200B},2019,x,40\nB,2019,y,20\n";
    let output = Case::new().score(DEF, data, &[]);
    let out = ok(&output);
    assert!(out.contains("2019,1,Zürich,70,70,0,0,0"), "{out}");
    assert!(out.contains("2019,2,B,30,30,0,0,0"), "{out}");
    let stderr = messages(&output);
    assert!(
        stderr.contains("unit `B` is also written `B\\u{200b}`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unit `Zürich` is also written `Zürich`")
            || stderr.contains("unit `Zu\u{308}rich` is also written `Zürich`"),
        "{stderr}"
    );
}

// Review findings: the same data spelt another way, and inputs sized to
// find quadratic work or unbounded memory.

const MISSING_ERROR_DEF: &str = r#"
[index]
name = "One"
[method]
missing = "error"
[[dimension]]
id = "d"
[[dimension.indicator]]
id = "x1"
"#;

/// A long-form row whose indicator is spelt full-width, with a zero-width
/// space or with spaces is the indicator, as a wide header spelt so is: both
/// forms score all three units alike. Before, B vanished from the output and
/// the total with exit 0.
#[test]
fn long_form_indicator_spellings_score_like_the_wide_form() {
    let wide = ok(&Case::new().score(
        MISSING_ERROR_DEF,
        "unit,period,ｘ１\nA,2019,1\nB,2019,3\nC,2019,4\n",
        &[],
    ));
    assert_eq!(wide.lines().count(), 4, "{wide}");
    for spelling in ["ｘ１", "x1\u{200B}", " x1 ", "ｘ1\u{00AD}"] {
        let data = format!(
            "unit,period,indicator,value\nA,2019,x1,1\nB,2019,{spelling},3\nC,2019,x1 ,4\n"
        );
        let output = Case::new().score(MISSING_ERROR_DEF, &data, &[]);
        assert_eq!(ok(&output), wide, "{spelling:?}");
    }
    // Case is not folded (a wide header `X1` is no column `x1` either): the
    // unit stays, with its value missing, which `missing = "error"` refuses.
    let data = "unit,period,indicator,value\nA,2019,x1,1\nB,2019,X1,3\nC,2019,x1,4\n";
    fails(
        &Case::new().score(MISSING_ERROR_DEF, data, &[]),
        &[
            "indicator `x1`, unit B, period 2019: the value is missing",
            "indicator `X1` is not in the definition",
            "did you mean `x1`?",
        ],
    );
    fails(
        &Case::new().score(MISSING_ERROR_DEF, "unit,period,X1\nA,2019,1\n", &[]),
        &["no column `x1`", "did you mean `X1`?"],
    );
}

/// Unit names that differ only in a soft hyphen, a bidi mark, a variation
/// selector or full-width letters are one unit, with the warning.
#[test]
fn look_alike_unit_names_are_one_unit_with_a_warning() {
    let data = "unit,period,x,y\nkm,2018,80,60\nB,2018,40,20\n\
                ｋｍ,2019,80,60\nB\u{00AD},2019,40,20\n\
                k\u{200E}m,2020,80,60\nB\u{FE0F},2020,40,20\n";
    let output = Case::new().score(DEF, data, &[]);
    let out = ok(&output);
    assert_eq!(out.matches(",km,").count(), 3, "{out}");
    assert_eq!(out.matches(",B,").count(), 3, "{out}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for spelt in ["`ｋｍ`", "`B\\u{ad}`", "`k\\u{200e}m`", "`B\\u{fe0f}`"] {
        assert!(
            stderr.contains(&format!("is also written {spelt}")),
            "{spelt}: {stderr}"
        );
    }
}

/// A definition of five indicators against the Kunming sample: one message
/// that the data and the definition do not match, naming the definition,
/// not five "no column" errors.
#[test]
fn a_small_definition_against_other_data_is_said_not_to_match() {
    let mut def = String::from("[index]\nname = \"Five\"\n");
    for d in ["a", "b"] {
        def.push_str(&format!("[[dimension]]\nid = \"{d}\"\n"));
        for i in 0..if d == "a" { 3 } else { 2 } {
            def.push_str(&format!("[[dimension.indicator]]\nid = \"{d}{i}\"\n"));
        }
    }
    let case = Case::new();
    let config = case.file("five.toml", &def);
    for command in ["score", "check"] {
        let output = run(&[command, "samples/kunming.csv", "--config", path(&config)]);
        let stderr = fails(
            &output,
            &[
                "the data and the definition",
                "five.toml do not match: 5 of its 5 indicator columns",
            ],
        );
        assert!(!stderr.contains("no column `a0`"), "{stderr}");
    }
    // The long form alike.
    let stderr = fails(
        &Case::new().score(&def, "unit,period,indicator,value\nA,2019,pm25,1\n", &[]),
        &[
            "do not match: 5 of its 5 indicators have no rows: `a0`",
            "--long",
        ],
    );
    assert!(!stderr.contains("no row for"), "{stderr}");
    // Two of five absent is not "most": each is named, with its dimension.
    let stderr = fails(
        &Case::new().score(&def, "unit,period,a0,a1,a2\nA,2019,1,2,3\n", &[]),
        &[
            "no column `b0` for indicator `b0` of dimension `b`",
            "no column `b1`",
        ],
    );
    assert!(!stderr.contains("do not match"), "{stderr}");
}

/// `1,234` in a file separated by `;` (or tabs) is 1.234 where a comma is
/// the decimal mark and 1234 elsewhere: refused with both readings. Quoted
/// in a comma-separated file, or with a decimal point, it has one reading.
#[test]
fn a_grouped_comma_in_a_semicolon_file_is_refused_with_both_readings() {
    for separator in [";", "\t"] {
        let data = format!(
            "unit{s}period{s}x{s}y\nA{s}2019{s}1,234{s}1,500\nB{s}2019{s}2{s}3\n",
            s = separator
        );
        let stderr = fails(
            &Case::new().score(DEF, &data, &[]),
            &[
                "d.csv:2:3: `x`, unit A, period 2019: `1,234` is ambiguous",
                "(1.234)",
                "(1234)",
                "d.csv:2:4:",
            ],
        );
        assert!(stderr.contains("2 errors"), "{stderr}");
    }
    let comma = ok(&Case::new().score(
        DEF,
        "unit,period,x,y\nA,2019,\"1,234.5\",\"12,345\"\nB,2019,2,3\n",
        &[],
    ));
    let plain = ok(&Case::new().score(
        DEF,
        "unit,period,x,y\nA,2019,1234.5,12345\nB,2019,2,3\n",
        &[],
    ));
    assert_eq!(comma, plain);
    // `12,345` alone is ambiguous in the `;` file; `1,234.5` is not.
    let semicolon = Case::new().score(
        DEF,
        "unit;period;x;y\nA;2019;1,234.5;12,345\nB;2019;2;3\n",
        &[],
    );
    fails(&semicolon, &["`12,345` is ambiguous"]);
    let grouped = ok(&Case::new().score(
        DEF,
        "unit;period;x;y\nA;2019;1,234.5;1,234,567\nB;2019;2;3\n",
        &[],
    ));
    let plain = ok(&Case::new().score(
        DEF,
        "unit,period,x,y\nA,2019,1234.5,1234567\nB,2019,2,3\n",
        &[],
    ));
    assert_eq!(grouped, plain);
}

/// `--encoding gb18030` on a GBK file with a bad byte on line 51, and with
/// a lead byte cut off by the end of the file: the line, the byte offset
/// and the bytes, with a hint about the text, not about the path.
#[test]
fn a_forced_encoding_names_the_line_and_offset_of_a_bad_byte() {
    let mut text = String::from("unit,period,x,y\n");
    for i in 0..49 {
        text.push_str(&format!("五华区{i},2019,1,2\n"));
    }
    let mut data = gbk(&text);
    let offset = data.len() + 4;
    data.extend(gbk("盘龙"));
    data.extend_from_slice(b"\xFF\xFF,2019,1,2\n");
    for encoding in ["gb18030", "gbk"] {
        let stderr = fails(
            &Case::new().score(DEF, &data, &["--encoding", encoding]),
            &[&format!(
                "d.csv:51: bytes FF at byte offset {offset} are not valid GB18030"
            )],
        );
        assert!(!stderr.contains("check the path"), "{stderr}");
    }
    let mut cut = gbk(&text);
    let offset = cut.len();
    cut.push(0x81);
    fails(
        &Case::new().score(DEF, &cut, &["--encoding", "gb18030"]),
        &[&format!(
            "d.csv:51: bytes 81 at byte offset {offset} are not valid GB18030"
        )],
    );
}

/// A quote opened in the header and never closed: named at line 1, not as
/// "no column `y`".
#[test]
fn an_unclosed_quote_in_the_header_names_its_line() {
    let stderr = fails(
        &Case::new().score(DEF, "unit,period,x,\"y\nA,2019,80,60\nB,2019,40,20\n", &[]),
        &[
            "d.csv:1: a quoted field opened on this line runs on to line 4",
            "close the quote",
        ],
    );
    assert!(!stderr.contains("no column"), "{stderr}");
}

/// Headers separated by the full-width `；` or `，` of a Chinese input
/// method: said plainly, with the fix, not as a `--delimiter` to pass.
#[test]
fn full_width_separators_are_said_plainly() {
    for separator in ['；', '，'] {
        let data = GOOD.replace(',', &separator.to_string());
        let stderr = fails(
            &Case::new().score(DEF, &data, &[]),
            &[
                &format!(
                    "d.csv:1: the header's fields are separated by the full-width `{separator}`"
                ),
                "ASCII separators",
            ],
        );
        assert!(
            !stderr.contains("--delimiter") && !stderr.contains("no column"),
            "{stderr}"
        );
    }
}

/// A definition of `count` indicators `{prefix}{i:05}`.
fn many_indicators(count: usize, prefix: &str) -> String {
    let mut def = String::from("[index]\nname = \"Many\"\n[[dimension]]\nid = \"d\"\n");
    for i in 0..count {
        def.push_str(&format!(
            "[[dimension.indicator]]\nid = \"{prefix}{i:05}\"\n"
        ));
    }
    def
}

/// 99,000 indicator columns: matched in linear time (this took 14 s, and
/// the same definition against a file of other columns longer still).
#[test]
fn ninety_nine_thousand_indicator_columns() {
    const COUNT: usize = 99_000;
    let def = many_indicators(COUNT, "i");
    let header: Vec<String> = (0..COUNT).map(|i| format!("i{i:05}")).collect();
    let row = |unit: &str| format!("{unit},2019,{}\n", vec!["1"; COUNT].join(","));
    let data = format!("unit,period,{}\n{}{}", header.join(","), row("A"), row("B"));
    let out = ok(&Case::new().score(&def, &data, &[]));
    assert_eq!(out.lines().count(), 3);

    let other: Vec<String> = (0..COUNT).map(|i| format!("j{i:05}")).collect();
    let data = format!("unit,period,{}\n{}", other.join(","), row("A"));
    let stderr = fails(
        &Case::new().score(&def, &data, &[]),
        &["do not match: 99000 of its 99000 indicator columns are not in the header: `i00000`"],
    );
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
}

/// 150 absent columns among 8,000, against 8,000 other columns of a
/// similar name: each absent column gets its message, and the search for
/// "did you mean" stops at its budget (this took 34 s at 8,000 absent).
#[test]
fn many_absent_columns_against_many_others() {
    let def = many_indicators(8000, "indicator_");
    let mut header: Vec<String> = (0..7850).map(|i| format!("indicator_{i:05}")).collect();
    header.extend((0..8000).map(|i| format!("indicatr_{i:05}")));
    let data = format!(
        "unit,period,{}\nA,2019,{}\n",
        header.join(","),
        vec!["1"; header.len()].join(",")
    );
    let stderr = fails(
        &Case::new().score(&def, &data, &[]),
        &["no column `indicator_07850`"],
    );
    assert_eq!(stderr.matches("error: ").count(), 150, "{stderr}");
    assert!(!stderr.contains("do not match"), "{stderr}");
}

/// The long form with 25,000 indicators and 20,000 unknown names (this did
/// not finish in a minute): twenty warnings, a count, and the scores.
#[test]
fn long_form_with_many_unknown_indicator_names() {
    let def = many_indicators(25_000, "ind");
    let mut data = String::from("unit,period,indicator,value\n");
    for unit in ["A", "B"] {
        for i in 0..25_000 {
            data.push_str(&format!("{unit},2019,ind{i:05},{}\n", i % 9));
        }
    }
    for i in 0..20_000 {
        data.push_str(&format!("A,2019,unk{i:05},1\n"));
    }
    let case = Case::new();
    assert_eq!(ok(&case.score(&def, &data, &[])).lines().count(), 3);
    // `check` lists every warning; `score` the first twenty.
    let output = run(&[
        "check",
        path(&case.dir.path().join("d.csv")),
        "--config",
        path(&case.dir.path().join("k.toml")),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr
            .matches("is not in the definition and is ignored")
            .count(),
        20
    );
    assert!(
        stderr.contains("19980 more indicator names are not in the definition and are ignored"),
        "{stderr}"
    );
}

/// The first column of CSV output, each line.
fn first_column(out: &str) -> Vec<&str> {
    out.lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect()
}

/// Months spelt `Jan-2019`, `2019M10`, `19年1月` or as full dates sorted by
/// date, so that a unit improving every month has positive changes (they
/// once sorted as text: February first, October before January 2020).
#[test]
fn period_spellings_sort_by_date_and_changes_follow() {
    let spellings: [[&str; 4]; 5] = [
        ["Jan-2019", "Feb-2019", "Oct-2019", "Jan-2020"],
        ["2019M1", "2019M2", "2019M10", "2020M1"],
        ["19年1月", "19年2月", "19年10月", "20年1月"],
        ["2019-1-1", "2019-2-1", "2019-10-1", "2020-1-1"],
        ["2019/01/01", "2019/02/01", "2019/10/01", "2020/01/01"],
    ];
    for labels in spellings {
        // Rows in reverse, so that input order cannot explain the result.
        let mut data = String::from("unit,period,x,y\n");
        for (i, label) in labels.iter().enumerate().rev() {
            data.push_str(&format!(
                "A,{label},{},{}\nB,{label},50,50\n",
                10 * (i + 1),
                10 * (i + 1)
            ));
        }
        let out = ok(&Case::new().score(DEF, &data, &[]));
        let periods: Vec<&str> = first_column(&out).into_iter().step_by(2).collect();
        assert_eq!(periods, labels, "{out}");
        for line in out.lines().filter(|l| l.contains(",A,")).skip(1) {
            let change: f64 = line.split(',').nth(5).unwrap().parse().unwrap();
            assert_eq!(change, 10.0, "{line}");
        }
    }
}

/// One `2019.13` among year.months: the column is sorted as decimals, and
/// a warning names the label and the months put out of order.
#[test]
fn a_label_that_spoils_the_period_order_is_named() {
    let mut data = String::from("unit,period,x,y\n");
    for period in ["2019.1", "2019.2", "2019.10", "2019.13"] {
        data.push_str(&format!("A,{period},10,10\nB,{period},50,50\n"));
    }
    let said = "period `2019.13` is not a year.month (YYYY.M) like the other 3 period labels, \
                so all are sorted as numbers, which puts `2019.10` before `2019.2`";
    let case = Case::new();
    let output = case.score(DEF, &data, &[]);
    ok(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(said), "{stderr}");
    let config = case.dir.path().join("k.toml");
    let data = case.dir.path().join("d.csv");
    let output = run(&["check", path(&data), "--config", path(&config)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(said), "{stderr}");
}
