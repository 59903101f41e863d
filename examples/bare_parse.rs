//! The benchmark baseline: the least work any tool must do with a wide CSV —
//! the `csv` crate reading every record, and every indicator field parsed as
//! an f64 — with nothing kept, checked, scored or written.
//!
//! ```text
//! cargo run --release --example bare_parse -- FILE.csv            # records + f64 parse
//! cargo run --release --example bare_parse -- FILE.csv --records  # records only
//! ```
//!
//! Prints `rows=… cells=… elapsed_s=… rows_per_s=…` on one line. The fields
//! parsed are columns 4 onward (after `district,year,population`), which for
//! the file that `gen_data` writes are exactly the 46 indicators. A field that
//! is not a plain number counts as missing, not as an error: the baseline does
//! no error reporting.

use std::fs::File;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: bare_parse FILE.csv [--records]");
        return ExitCode::from(2);
    };
    let records_only = args.iter().any(|a| a == "--records");

    let start = Instant::now();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("bare_parse: {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The same reader settings as kmgov's, so only the work after it differs.
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
                eprintln!("bare_parse: {path}: {error}");
                return ExitCode::FAILURE;
            }
        }
        rows += 1;
        if records_only {
            cells += record.len() as u64;
            continue;
        }
        for field in record.iter().skip(3) {
            cells += 1;
            match std::str::from_utf8(field)
                .ok()
                .and_then(|t| t.parse::<f64>().ok())
            {
                Some(value) => checksum += value,
                None => missing += 1,
            }
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "mode={} rows={rows} cells={cells} missing={missing} elapsed_s={elapsed:.3} rows_per_s={:.0} checksum={checksum:.2}",
        if records_only {
            "records"
        } else {
            "records+f64"
        },
        rows as f64 / elapsed,
    );
    ExitCode::SUCCESS
}
