//! The single-threaded floor: the least work any tool must do with a wide
//! CSV, done as fast as one thread can — the `csv` crate's `ByteRecord`
//! reader, and every numeric field parsed with `fast-float2` and summed, with
//! nothing kept, checked, scored or written.
//!
//! ```text
//! cargo run --release --example floor -- FILE.csv
//! ```
//!
//! Prints `mode=floor rows=… cells=… elapsed_s=… rows_per_s=…` on one line,
//! as `bare_parse` does. The fields parsed are columns 3 onward (after
//! `district,year`): for the file that `gen_data` writes, the population and
//! the 46 indicators, every number kmgov reads from a row. A field that is
//! not a number counts as missing, not as an error: the floor does no error
//! reporting.

use std::fs::File;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: floor FILE.csv");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("floor: {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The same reader settings as kmgov's and bare_parse's.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(file);
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut cells, mut missing) = (0u64, 0u64, 0u64);
    // Summed so the optimiser cannot drop the parse.
    let mut checksum = 0.0f64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                eprintln!("floor: {path}: {error}");
                return ExitCode::FAILURE;
            }
        }
        rows += 1;
        for field in record.iter().skip(2) {
            cells += 1;
            match fast_float2::parse::<f64, _>(field) {
                Ok(value) => checksum += value,
                Err(_) => missing += 1,
            }
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "mode=floor rows={rows} cells={cells} missing={missing} elapsed_s={elapsed:.3} rows_per_s={:.0} checksum={checksum:.2}",
        rows as f64 / elapsed,
    );
    ExitCode::SUCCESS
}
