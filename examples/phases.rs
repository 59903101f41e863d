//! Times each stage of `kmgov score FILE --all-periods --format csv` with the
//! built-in definition, to see where a benchmark's time goes.
//!
//! ```text
//! cargo run --release --example phases -- bench-data/kunming-100000x10.csv
//! ```
//!
//! The stages are those of the command (see `src/cli/score.rs`): read the CSV
//! into a panel, score it, build the report, render CSV, write the bytes (here
//! to /dev/null, so the disk is not timed).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use kmgov::data::{self, Input, ReadOptions};
use kmgov::export::{self, Format};
use kmgov::report::{Report, Selection};
use kmgov::{Definition, pipeline};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: phases FILE.csv");
        return ExitCode::from(2);
    };
    let definition = Definition::builtin();
    let input = Input::Path(PathBuf::from(&path));
    let total = Instant::now();
    let mut lap = Instant::now();
    let mut step = |name: &str| {
        eprintln!("{name:>8}: {:7.3} s", lap.elapsed().as_secs_f64());
        lap = Instant::now();
    };

    let panel = match data::read(&input, &definition, ReadOptions::default()) {
        Ok(panel) => panel,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let rows = panel.keys.rows.len();
    step("read");
    let scores = match pipeline::score(&definition, panel) {
        Ok(scores) => scores,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    step("score");
    let report = Report::build(&definition, &scores)
        .select(&Selection::All)
        .expect("every period exists");
    drop(scores);
    step("report");
    let bytes = Format::Csv.exporter().render(&report);
    step("render");
    drop(report);
    step("drop");
    if let Err(error) = export::write_output(&bytes, Some("/dev/null".as_ref()), &[]) {
        eprintln!("{}", kmgov::Error::from(error));
        return ExitCode::FAILURE;
    }
    step("write");
    let elapsed = total.elapsed().as_secs_f64();
    eprintln!(
        "   total: {elapsed:7.3} s, {rows} rows, {:.0} rows/s",
        rows as f64 / elapsed
    );
    ExitCode::SUCCESS
}
