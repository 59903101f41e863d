//! `check` on a sparse panel — every unit in a period of its own — must use
//! memory in proportion to the rows, as `score` does. This file holds a
//! single test so that the process's peak memory is its own.

use std::io::Write;

use kmgov::check::check;
use kmgov::data::{Input, ReadOptions};
use kmgov::{Definition, Severity};

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

#[test]
fn check_on_a_sparse_panel_uses_memory_linear_in_rows() {
    const ROWS: usize = 40_000;
    let mut file = tempfile::NamedTempFile::new().unwrap();
    let mut csv = String::from("unit,period,x\n");
    for i in 0..ROWS {
        csv += &format!("u{i},{i},{}\n", i % 97);
    }
    file.write_all(csv.as_bytes()).unwrap();
    let definition = Definition::from_toml(
        "[index]\nname='T'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n",
        "t.toml",
    );
    let report = check(
        definition,
        &Input::Path(file.path().to_path_buf()),
        ReadOptions::default(),
    );
    assert_eq!(report.rows, ROWS);
    assert_eq!(report.count(Severity::Error), 0);
    // Every unit misses all periods but one: 40,000 warnings, each naming ten.
    let absent = report
        .problems
        .iter()
        .filter(|p| p.message.contains("and 39989 more"))
        .count();
    assert_eq!(absent, ROWS);
    if let Some(peak) = peak_mib() {
        // Units × periods booleans alone would be 1,526 MiB.
        assert!(peak < 400, "peak memory {peak} MiB");
    }
}
