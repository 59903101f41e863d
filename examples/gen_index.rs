//! Writes a small generated index, for benchmarks of `kmgov sensitivity`:
//! a definition of I indicators in three dimensions (min–max normalisation,
//! equal weights, arithmetic aggregation) and one period of data for U units.
//!
//! ```text
//! cargo run --release --example gen_index -- 25 12 bench-data/25x12
//! ```
//!
//! writes `bench-data/25x12/index.toml` and `bench-data/25x12/data.csv`.
//! Deterministic (SplitMix64, fixed seed): every machine times the same
//! bytes. Each unit has a level of its own and each indicator adds noise to
//! it, so indicators correlate as real ones do.

use std::fmt::Write as _;
use std::process::ExitCode;

/// SplitMix64, uniform in [0, 1).
struct SplitMix64(u64);

impl SplitMix64 {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(units), Some(indicators), Some(dir)) = (
        args.first().and_then(|a| a.parse::<usize>().ok()),
        args.get(1).and_then(|a| a.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: gen_index UNITS INDICATORS DIR");
        return ExitCode::from(2);
    };
    if indicators < 3 {
        eprintln!("gen_index: at least 3 indicators, one per dimension");
        return ExitCode::from(2);
    }
    let mut toml = String::from(
        "[index]\nname = \"Generated\"\n[data]\nunit = \"unit\"\nperiod = \"year\"\n[method]\nnormalize = \"minmax\"\n",
    );
    for d in 0..3 {
        let _ = write!(toml, "[[dimension]]\nid = \"d{d}\"\n");
        for i in (d..indicators).step_by(3) {
            let _ = write!(toml, "[[dimension.indicator]]\nid = \"x{i:03}\"\n");
        }
    }
    // Columns in definition order: dimension by dimension.
    let order: Vec<usize> = (0..3).flat_map(|d| (d..indicators).step_by(3)).collect();
    let mut csv = String::from("unit,year");
    for &i in &order {
        let _ = write!(csv, ",x{i:03}");
    }
    csv.push('\n');
    let mut rng = SplitMix64(20_190_101);
    for u in 0..units {
        let level = rng.unit();
        let _ = write!(csv, "u{u:06},2019");
        for _ in &order {
            let value = 100.0 * (0.6 * level + 0.4 * rng.unit());
            let _ = write!(csv, ",{value:.2}");
        }
        csv.push('\n');
    }
    let dir = std::path::Path::new(dir);
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(dir.join("index.toml"), toml))
        .and_then(|()| std::fs::write(dir.join("data.csv"), csv));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gen_index: {}: {error}", dir.display());
            ExitCode::from(1)
        }
    }
}
