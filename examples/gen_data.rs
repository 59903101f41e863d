//! Generates a large wide-form CSV for the built-in Kunming definition, for
//! benchmarks: N units × T periods × the definition's 46 indicators.
//!
//! ```text
//! cargo run --release --example gen_data -- 100000 10 > bench-data/100000x10.csv
//! cargo run --release --example gen_data -- 100000 10 by-period > file.csv
//! ```
//!
//! Output is deterministic (a hand-written SplitMix64 generator with a fixed
//! seed, no `rand` crate), so every run and every machine benchmarks the same
//! bytes. The header is `district,year,population,<indicator ids>`; units are
//! named `单位000001`…, periods run 2001, 2002, …; every value has two decimals
//! and lies inside or a little outside its indicator's goalposts (goalposts
//! clamp, so both sides of a post are exercised). Each unit has its own level
//! per indicator and drifts a little from year to year, like real panel data.
//!
//! Rows come unit by unit (all periods of unit 1, then unit 2, …) by default,
//! which is the harder order for the reader: it sorts rows by period then
//! unit, so every row moves. `by-period` writes them already in that order.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use kmgov::Definition;

/// SplitMix64: tiny, fast and good enough to make benchmark data.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// Writes `value` with exactly two decimals: the rounded hundredths as two
/// integers, which is several times faster than `{:.2}` over 46 million cells.
fn push_2dp(out: &mut Vec<u8>, value: f64) {
    let hundredths = (value * 100.0).round() as i64;
    let sign = if hundredths < 0 { "-" } else { "" };
    let hundredths = hundredths.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:02}", hundredths / 100, hundredths % 100);
}

fn usage() -> ExitCode {
    eprintln!("usage: gen_data UNITS PERIODS [by-unit|by-period] > FILE.csv");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(units), Some(periods)) = (
        args.first().and_then(|a| a.parse::<u64>().ok()),
        args.get(1).and_then(|a| a.parse::<u64>().ok()),
    ) else {
        return usage();
    };
    let by_period = match args.get(2).map(String::as_str) {
        None | Some("by-unit") => false,
        Some("by-period") => true,
        Some(_) => return usage(),
    };
    if units == 0 || periods == 0 {
        return usage();
    }

    let definition = Definition::builtin();
    // (lo, hi) of each indicator; those without goalposts get 0–100.
    let posts: Vec<(f64, f64)> = definition
        .indicators()
        .map(|(_, i)| i.goalposts.map_or((0.0, 100.0), |g| (g.lo, g.hi)))
        .collect();

    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut line = Vec::with_capacity(1024);
    line.extend_from_slice(
        format!(
            "{},{},{}",
            definition.columns.unit,
            definition.columns.period,
            definition
                .columns
                .population
                .as_deref()
                .unwrap_or("population")
        )
        .as_bytes(),
    );
    for (_, indicator) in definition.indicators() {
        line.push(b',');
        line.extend_from_slice(indicator.id.as_bytes());
    }
    line.push(b'\n');

    // A unit's level on each indicator is drawn once from its own seed, so a
    // row depends only on (unit, period) and both orders give the same cells.
    let row = |line: &mut Vec<u8>, unit: u64, period: u64| {
        let mut level = SplitMix64(unit.wrapping_mul(0xA24B_AED4_963E_E407));
        let mut noise = SplitMix64(
            unit.wrapping_mul(0x9FB2_1C65_1E98_DF25) ^ period.wrapping_mul(0xD6E8_FEB8_6659_FD93),
        );
        line.extend_from_slice(format!("单位{:06},{}", unit + 1, 2001 + period).as_bytes());
        line.push(b',');
        push_2dp(
            line,
            level.between(5.0, 200.0) * (1.0 + 0.01 * period as f64),
        );
        for &(lo, hi) in &posts {
            let span = hi - lo;
            // Levels from 5% below lo to 5% above hi; yearly drift ±3% of the span.
            let base = level.between(lo - 0.05 * span, hi + 0.05 * span);
            let value = base + span * (0.01 * period as f64 + noise.between(-0.03, 0.03));
            line.push(b',');
            push_2dp(line, value);
        }
        line.push(b'\n');
    };

    for outer in 0..if by_period { periods } else { units } {
        for inner in 0..if by_period { units } else { periods } {
            let (unit, period) = if by_period {
                (inner, outer)
            } else {
                (outer, inner)
            };
            row(&mut line, unit, period);
            if line.len() >= 1 << 16 {
                if out.write_all(&line).is_err() {
                    return ExitCode::FAILURE;
                }
                line.clear();
            }
        }
    }
    if out.write_all(&line).and_then(|()| out.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
