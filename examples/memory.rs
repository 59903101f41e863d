//! Peak memory after each stage of `kmgov score FILE --all-periods --format
//! csv` with the built-in definition, streamed as the command writes it
//! (Linux: the peak resident size from /proc/self/status).
//!
//! ```text
//! cargo run --release --example memory -- bench-data/kunming-100000x10.csv
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use kmgov::data::{self, Input, ReadOptions};
use kmgov::export::{self, Format};
use kmgov::report::{Detail, Report, Shape};
use kmgov::{Definition, pipeline};

/// `VmHWM` and `VmRSS` in MB, or nothing off Linux.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    format!(
        "peak {:6.0} MB, now {:6.0} MB",
        field("VmHWM:"),
        field("VmRSS:")
    )
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: memory FILE.csv");
        return ExitCode::from(2);
    };
    let definition = Definition::builtin();
    let input = Input::Path(PathBuf::from(&path));
    let panel = match data::read(&input, &definition, ReadOptions::default()) {
        Ok(panel) => panel,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let cells: usize = panel.values.iter().map(Vec::len).sum();
    eprintln!(
        "    read: {}  (values: {:.0} MB)",
        memory(),
        (cells * 8) as f64 / 1e6 / 1.048576
    );
    let scores = match pipeline::score(&definition, panel) {
        Ok(scores) => scores,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("   score: {}", memory());
    let shape = Shape {
        selection: kmgov::report::Selection::All,
        ..Shape::default()
    };
    let (outline, mut periods) =
        Report::stream(&definition, &scores, Detail::default(), &shape).expect("all periods");
    let exporter = Format::Csv.exporter();
    let written = export::write_output_with(Some("/dev/null".as_ref()), &[], |out| {
        exporter.write_periods(&outline, &mut periods, out)
    });
    if let Err(error) = written {
        eprintln!("{}", kmgov::Error::from(error));
        return ExitCode::FAILURE;
    }
    eprintln!("   write: {}", memory());
    ExitCode::SUCCESS
}
