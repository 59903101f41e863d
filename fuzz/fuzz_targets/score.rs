//! The whole `kmgov score` path on one input: a TOML definition, a NUL byte,
//! then CSV data. When both parse, the panel is scored, the report built and
//! rendered in every format, and `check`'s warnings are computed.
//!
//! An `Err` from any stage is fine; a panic is a finding, and so is JSON
//! output that does not parse, output that is not UTF-8, or a report that
//! breaks DESIGN.md: see [`check_report`].

#![no_main]

use std::io::Cursor;

use kmgov::data::{self, ReadOptions};
use kmgov::definition::{Missing, Normalize, Total};
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

/// What DESIGN.md promises of any report that scoring accepted:
///
/// - without `missing = "skip"`, every unit has a composite and every
///   dimension score (§3: `error` stops on a missing cell; `mean` and `carry`
///   fill it), so none may silently come out null;
/// - when every indicator is normalised by minmax, goalposts, rank or
///   efficacy, every score lies in 0–100 (efficacy alone: 60–100), since the
///   three aggregations are means of their inputs; a total of `mean` or
///   `population` lies between the lowest and highest composite;
/// - rank is 1 + the number of units of the period with a higher composite
///   (ties share the lowest rank), and absent exactly when the composite is.
fn check_report(definition: &Definition, report: &Report) {
    let bounds = if definition
        .indicators()
        .all(|(_, i)| i.normalize == Normalize::Efficacy)
    {
        Some((60.0, 100.0))
    } else if definition.indicators().all(|(_, i)| {
        matches!(
            i.normalize,
            Normalize::Minmax | Normalize::Goalposts | Normalize::Rank | Normalize::Efficacy
        )
    }) {
        Some((0.0, 100.0))
    } else {
        None
    };
    let near = |x: f64, lo: f64, hi: f64| {
        let slack = 1e-9 * lo.abs().max(hi.abs()).max(1.0);
        x >= lo - slack && x <= hi + slack
    };
    for period in &report.periods {
        let where_ = |unit: &str| format!("period {:?}, unit {unit:?}", period.period);
        for unit in &period.units {
            if definition.method.missing != Missing::Skip {
                assert!(
                    unit.composite.is_some() && unit.dimensions.iter().all(Option::is_some),
                    "{}: missing = {} but the composite or a dimension score is null: {unit:?}",
                    where_(&unit.unit),
                    definition.method.missing,
                );
            }
            if let Some((lo, hi)) = bounds {
                for score in unit
                    .composite
                    .iter()
                    .chain(unit.dimensions.iter().flatten())
                {
                    assert!(
                        near(*score, lo, hi),
                        "{}: score {score} outside {lo}–{hi}: {unit:?}",
                        where_(&unit.unit)
                    );
                }
            }
            let expected = unit.composite.map(|c| {
                1 + period
                    .units
                    .iter()
                    .filter(|other| other.composite.is_some_and(|o| o > c))
                    .count() as u32
            });
            assert_eq!(
                unit.rank,
                expected,
                "{}: rank {:?} for composite {:?}",
                where_(&unit.unit),
                unit.rank,
                unit.composite
            );
        }
        let composites: Vec<f64> = period.units.iter().filter_map(|u| u.composite).collect();
        if let (Some(total), Total::Mean | Total::Population) =
            (period.total, definition.method.total)
        {
            let lo = composites.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = composites.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert!(
                near(total, lo, hi),
                "period {:?}: total {total} outside the composites' range {lo}–{hi}",
                period.period
            );
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
    check_report(&definition, &report);
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
