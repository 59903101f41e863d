//! A file that repeats its rows (100 MB of `A,2019,1,2,3,4,5`) must be read
//! in memory bounded by the panel it describes — one row here — for `score`
//! and `check` alike, not in memory growing with the file until the
//! duplicates are found at its end. This file holds a single test so that
//! the process's peak memory is its own.

use std::io::Read;

use kmgov::Definition;
use kmgov::data::{self, MAX_ERRORS, ReadOptions};

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// A header, then one row `rows` times, generated as it is read.
struct Repeated {
    header: std::io::Cursor<&'static [u8]>,
    left: usize,
    at: usize,
}

const ROW: &[u8] = b"A,2019,1,2,3,4,5\n";

impl Read for Repeated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.header.read(buf)?;
        if n > 0 {
            return Ok(n);
        }
        let mut written = 0;
        while written < buf.len() && self.left > 0 {
            let take = (ROW.len() - self.at).min(buf.len() - written);
            buf[written..written + take].copy_from_slice(&ROW[self.at..self.at + take]);
            written += take;
            self.at += take;
            if self.at == ROW.len() {
                self.at = 0;
                self.left -= 1;
            }
        }
        Ok(written)
    }
}

#[test]
fn repeated_rows_are_read_in_memory_bounded_by_the_panel() {
    // 2.4 million rows, 40 MB: read whole, this kept 800 MB.
    const ROWS: usize = 40_000_000 / ROW.len();
    let mut toml = String::from("[index]\nname = \"T\"\n[[dimension]]\nid = \"d\"\n");
    for id in ["a", "b", "c", "d", "e"] {
        toml.push_str(&format!("[[dimension.indicator]]\nid = \"{id}\"\n"));
    }
    let definition = Definition::from_toml(&toml, "t.toml").unwrap();
    let input = || {
        Box::new(Repeated {
            header: std::io::Cursor::new(b"unit,period,a,b,c,d,e\n"),
            left: ROWS,
            at: 0,
        })
    };
    let more = format!("t.csv: {} more problems", ROWS - 1 - MAX_ERRORS);

    // `score`: fails, with every repeat counted.
    let error = data::read_from(input(), "t.csv", &definition, ReadOptions::default()).unwrap_err();
    let problems = error.problems();
    assert_eq!(problems.len(), MAX_ERRORS + 1);
    assert_eq!(
        problems[0].to_string(),
        "t.csv:3: unit A, period 2019 appears again (first on line 2)"
    );
    assert!(
        problems[MAX_ERRORS].to_string().starts_with(&more),
        "{}",
        problems[MAX_ERRORS]
    );

    // `check`: the panel of one row, and the same problems.
    let options = ReadOptions {
        keep_going: true,
        ..ReadOptions::default()
    };
    let panel = data::read_from(input(), "t.csv", &definition, options).unwrap();
    assert_eq!(panel.keys.rows.len(), 1);
    assert_eq!(panel.values[4], [5.0]);
    assert_eq!(panel.recovered.len(), MAX_ERRORS + 1);
    assert!(panel.recovered[MAX_ERRORS].to_string().starts_with(&more));

    // Bounded, not growing with the file: the reader's own needs, plus the
    // chunks parsed ahead on other threads (at most 2 × threads + 1 of them,
    // each 4 MiB of text and its parsed rows, well under 20 MiB).
    let in_flight = 2 * kmgov::parallel::max_threads().min(8) as u64 + 1;
    if let Some(peak) = peak_mib() {
        let bound = 150 + 20 * in_flight;
        assert!(peak < bound, "peak memory {peak} MiB, bound {bound} MiB");
    }
}
