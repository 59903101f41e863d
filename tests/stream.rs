//! The report written period by period (`score --format csv|json`) is
//! byte for byte the report built whole and then written, for every
//! combination of the flags that shape it, on the Kunming sample and on a
//! generated panel with missing values, filled cells, areas, codes, grades,
//! groups and units that come and go.

mod common;

use std::io::Cursor;

use common::{kmgov, write};
use predicates::prelude::predicate;

use kmgov::Definition;
use kmgov::data::{self, ReadOptions};
use kmgov::export::{CsvExporter, Exporter, Format, JsonExporter};
use kmgov::pipeline::{self, ScoreOptions, Scores};
use kmgov::report::{Detail, Report, Selection, Shape};

/// A definition with groups, areas, a code, population totals and grades.
fn area_definition(missing: &str, normalize: &str, scope: &str) -> Definition {
    let toml = format!(
        r#"[index]
name = "G"
[data]
groups = ["city", "district"]
code = "code"
population = "pop"
[method]
normalize = "{normalize}"
scope = "{scope}"
missing = "{missing}"
total = "population"
[[grade]]
label = "good"
min = 60
applies_to = ["composite", "a"]
[[grade]]
label = "poor"
max = 60
applies_to = ["composite", "a"]
[[dimension]]
id = "a"
[[dimension.group]]
id = "a1"
[[dimension.group.indicator]]
id = "x"
[[dimension.group.indicator]]
id = "y"
weight = 2
[[dimension.group]]
id = "a2"
[[dimension.group.indicator]]
id = "z"
direction = "lower"
[[dimension]]
id = "b"
weight = 2
[[dimension.indicator]]
id = "w"
"#
    );
    Definition::from_toml(&toml, "g.toml").unwrap()
}

/// A small deterministic generator (no dependency on a seed format).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// 4 periods of up to 30 units in 4 districts of 2 cities: after the
/// first period, about one cell in 8 missing and units missing from some
/// periods; some units without a code or district, one moving district,
/// names that need quoting.
fn generated_csv() -> String {
    let mut rng = Lcg(7);
    let mut csv = String::from("unit,period,city,district,code,pop,x,y,z,w\n");
    for period in 2016..2020 {
        for u in 0..30u64 {
            if rng.next().is_multiple_of(10) && period > 2016 {
                continue;
            }
            let name = match u {
                3 => "\"U,3\"".to_string(),
                7 => "=U7".to_string(),
                _ => format!("U{u:02}"),
            };
            let district = if u == 5 && period > 2017 {
                "D0".to_string()
            } else if u == 9 {
                String::new()
            } else {
                format!("D{}", u % 4)
            };
            let city = if u % 4 < 2 { "C1" } else { "C2" };
            let code = if u == 11 {
                String::new()
            } else {
                format!("5301{:02}", 30 - u)
            };
            let mut cell = |scale: u64| {
                // The first period complete, so `carry` has a value to carry.
                if rng.next().is_multiple_of(8) && period > 2016 {
                    String::new()
                } else {
                    format!("{}.{}", rng.next() % scale, rng.next() % 100)
                }
            };
            let (x, y, z, w) = (cell(100), cell(100), cell(50), cell(100));
            csv.push_str(&format!(
                "{name},{period},{city},{district},{code},{},{x},{y},{z},{w}\n",
                1 + u % 7
            ));
        }
    }
    csv
}

fn scores(definition: &Definition, csv: &str, keep_raw: bool) -> Option<Scores> {
    let panel = data::read_from(
        Box::new(Cursor::new(csv.as_bytes().to_vec())),
        "d.csv",
        definition,
        ReadOptions::default(),
    )
    .unwrap();
    pipeline::score_with(definition, panel, ScoreOptions { keep_raw })
        .map_err(|e| eprintln!("{e}"))
        .ok()
}

/// The report built whole, as `score` builds it for the other formats.
fn built(definition: &Definition, scores: &Scores, detail: Detail, shape: &Shape) -> Report {
    let mut report = Report::build_with(definition, scores, detail);
    if let Some(column) = &shape.by {
        report = report.by_area(definition, scores, column).unwrap();
    }
    let mut report = report.select(&shape.selection).unwrap();
    if let Some(n) = shape.top {
        report = report.top(n);
    }
    if shape.sort_code {
        report = report.sort_by_code();
    }
    report
}

/// Every exporter and shape on `scores`: streamed equals built; returns how
/// many outputs were compared.
fn compare_all(definition: &Definition, scores: &Scores, periods: &[&str], by: &[&str]) -> usize {
    let details = [
        Detail::default(),
        Detail {
            dimensions: true,
            ..Detail::default()
        },
        Detail {
            dimensions: true,
            groups: true,
            ..Detail::default()
        },
        Detail {
            indicators: true,
            ..Detail::default()
        },
        Detail {
            dimensions: true,
            indicators: true,
            groups: true,
            rank_intervals: false,
        },
    ];
    let mut selections = vec![Selection::All, Selection::Latest];
    selections.extend(periods.iter().map(|p| Selection::Period(p.to_string())));
    let mut bys: Vec<Option<String>> = vec![None];
    bys.extend(by.iter().map(|b| Some(b.to_string())));
    let exporters: Vec<Box<dyn Exporter>> = vec![
        Box::new(JsonExporter),
        Box::new(CsvExporter {
            raw: false,
            total_row: false,
        }),
        Box::new(CsvExporter {
            raw: false,
            total_row: true,
        }),
        Box::new(CsvExporter {
            raw: true,
            total_row: true,
        }),
        // Formats that gather the periods into the whole report first.
        Format::Markdown.exporter(),
        Format::Table.exporter(),
    ];
    let mut compared = 0;
    for detail in details {
        for selection in &selections {
            for by in &bys {
                for top in [None, Some(0), Some(3)] {
                    for sort_code in [false, true] {
                        let shape = Shape {
                            selection: selection.clone(),
                            by: by.clone(),
                            top,
                            sort_code,
                        };
                        let whole = built(definition, scores, detail, &shape);
                        for exporter in &exporters {
                            let (outline, mut periods) =
                                Report::stream(definition, scores, detail, &shape).unwrap();
                            let mut streamed = Vec::new();
                            exporter
                                .write_periods(&outline, &mut periods, &mut streamed)
                                .unwrap();
                            let mut expected = Vec::new();
                            exporter.write(&whole, &mut expected).unwrap();
                            assert!(
                                streamed == expected,
                                "{shape:?} {detail:?}:\n{}\n---- built whole ----\n{}",
                                String::from_utf8_lossy(&streamed),
                                String::from_utf8_lossy(&expected)
                            );
                            // The whole report renders to the bytes it writes.
                            assert_eq!(exporter.render(&whole), expected);
                            compared += 1;
                        }
                    }
                }
            }
        }
    }
    compared
}

#[test]
fn streamed_kunming_equals_the_report_built_whole() {
    let definition = Definition::builtin();
    let csv = std::fs::read_to_string("samples/kunming.csv").unwrap();
    for keep_raw in [false, true] {
        let scores = scores(&definition, &csv, keep_raw).unwrap();
        let compared = compare_all(&definition, &scores, &["2018", "２０１７"], &[]);
        assert!(compared > 100);
    }
}

#[test]
fn streamed_generated_panel_equals_the_report_built_whole() {
    let csv = generated_csv();
    let mut scored = 0;
    for (missing, normalize, scope) in [
        ("skip", "minmax", "period"),
        ("mean", "zscore", "pooled"),
        ("carry", "rank", "base"),
        ("skip", "none", "period"),
    ] {
        let definition = area_definition(missing, normalize, scope);
        let Some(scores) = scores(&definition, &csv, true) else {
            continue;
        };
        scored += 1;
        assert!(
            missing == "skip" || !scores.filled.is_empty(),
            "{missing} fills cells"
        );
        compare_all(&definition, &scores, &["2017"], &["district", "city"]);
    }
    assert_eq!(scored, 4, "every method scores the panel");
}

#[test]
fn an_unknown_period_or_area_column_is_the_same_error_streamed() {
    let definition = area_definition("skip", "minmax", "period");
    let scores = scores(&definition, &generated_csv(), false).unwrap();
    let shape = Shape {
        selection: Selection::Period("2030".into()),
        ..Shape::default()
    };
    let Err(streamed) = Report::stream(&definition, &scores, Detail::default(), &shape) else {
        panic!("2030 is not a period");
    };
    let whole = Report::build(&definition, &scores)
        .select(&shape.selection)
        .unwrap_err();
    assert_eq!(streamed.problems(), whole.problems());
    assert!(streamed.is_usage());
    let shape = Shape {
        by: Some("street".into()),
        ..Shape::default()
    };
    let Err(streamed) = Report::stream(&definition, &scores, Detail::default(), &shape) else {
        panic!("street is not an area column");
    };
    let whole = Report::build(&definition, &scores)
        .by_area(&definition, &scores, "street")
        .unwrap_err();
    assert_eq!(streamed.problems(), whole.problems());
}

/// A unit named `total` in the last period, beside total rows: refused
/// before a byte is written, also on standard output, though the periods
/// before it could have been written already.
#[test]
fn a_unit_named_total_in_a_later_period_leaves_standard_output_empty() {
    let dir = tempfile::tempdir().unwrap();
    let def = write(
        dir.path(),
        "k.toml",
        "[index]\nname = \"T\"\n[data]\ngroups = [\"district\"]\n[method]\nnormalize = \"none\"\n[[dimension]]\nid = \"d\"\n[[dimension.indicator]]\nid = \"x\"\n",
    );
    let data = write(
        dir.path(),
        "d.csv",
        "unit,period,district,x\nA,2018,D,1\nB,2018,D,2\nA,2019,D,1\ntotal,2019,D,2\n",
    );
    for flag in [["--total-row", "--all-periods"], ["--by", "district"]] {
        kmgov()
            .args(["score", &data, "--config", &def, "-f", "csv", "-a"])
            .args(flag)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains(
                "a unit is named `total` (period 2019)",
            ));
    }
    // JSON has no total rows: nothing to clash with.
    kmgov()
        .args([
            "score", &data, "--config", &def, "-f", "json", "-a", "--by", "district",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"unit\": \"total\""));
}
