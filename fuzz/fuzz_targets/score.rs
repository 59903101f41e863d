//! The whole `kmgov score` path on one input: a TOML definition, a NUL byte,
//! then CSV data. When both parse, the panel is scored, the report built and
//! rendered in every format, and `check`'s warnings are computed.
//!
//! An `Err` from any stage is fine; a panic is a finding, and so is JSON
//! output that does not parse or output that is not UTF-8.

#![no_main]

use std::io::Cursor;

use kmgov::data::{self, ReadOptions};
use kmgov::export::Format;
use kmgov::report::{Report, Selection};
use kmgov::{Definition, check, pipeline};
use libfuzzer_sys::fuzz_target;

const FORMATS: [Format; 4] = [Format::Table, Format::Csv, Format::Json, Format::Markdown];

fn render(report: &Report) {
    for format in FORMATS {
        let bytes = format.exporter().render(report);
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => panic!("{format:?} output is not UTF-8: {error}"),
        };
        if format == Format::Json {
            if let Err(error) = serde_json::from_str::<serde_json::Value>(&text) {
                panic!("JSON output does not parse: {error}\n{text}");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(split) = data.iter().position(|&b| b == 0) else {
        return;
    };
    let (toml, csv) = (&data[..split], &data[split + 1..]);
    let Ok(text) = std::str::from_utf8(toml) else {
        return;
    };
    let Ok(definition) = Definition::from_toml(text, "fuzz.toml") else {
        return;
    };
    let input = Box::new(Cursor::new(csv.to_vec()));
    let Ok(panel) = data::read_from(input, "fuzz.csv", &definition, ReadOptions::default()) else {
        return;
    };
    for problem in check::data_warnings(&definition, &panel) {
        let _ = problem.to_string();
    }
    let scores = match pipeline::score(&definition, panel) {
        Ok(scores) => scores,
        Err(error) => {
            let _ = error.to_string();
            for problem in error.problems() {
                let _ = problem.to_string();
            }
            return;
        }
    };
    let report = Report::build(&definition, &scores);
    if let Some(first) = report.periods.first().map(|p| p.period.clone()) {
        if let Ok(one) = report.clone().select(&Selection::Period(first)) {
            render(&one.top(1));
        }
    }
    if let Ok(latest) = report.clone().select(&Selection::Latest) {
        render(&latest);
    }
    let all = report
        .select(&Selection::All)
        .expect("selecting every period cannot fail");
    render(&all);
});
