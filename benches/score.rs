//! `cargo bench`: the throughput benchmark of docs/PERFORMANCE.md.
//!
//! A thin launcher for `scripts/bench.sh`, which does the work: it builds the
//! release binaries, generates a 100,000 units × 10 periods file once, times
//! kmgov against a bare csv-crate parse in separate processes (so that each
//! one's peak memory is its own) and prints wall time, rows/s, peak memory and
//! the ratio to the target. Arguments after `--` go to the script:
//! `cargo bench -- 10000 10 1` for a quick run on 100,000 rows.
//!
//! `harness = false` in Cargo.toml: this is a measurement with its own report,
//! not a set of libtest benchmarks, and `cargo test` never runs it.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    // cargo passes `--bench` (and would pass libtest flags); the script takes
    // only positional numbers.
    let args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/bench.sh");
    match Command::new("bash").arg(script).args(args).status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("cannot run {script}: {error}");
            ExitCode::FAILURE
        }
    }
}
