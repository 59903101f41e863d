//! What the integration tests share: the `kmgov` command, files written into
//! a temporary folder, a run's output read back as text or JSON, and the one
//! way numbers are compared. Each test file declares `mod common;`.

// Each test file uses a part of the harness; this file is also built as a
// test target of its own, where none of it is used.
#![allow(dead_code)]

// Also the names a test file had in scope before its harness moved here,
// so that `use common::*;` is all a test file needs.
pub use std::fs;
pub use std::path::{Path, PathBuf};
pub use std::process::Output;

#[allow(unused_imports)]
pub use assert_cmd::Command;

/// The `kmgov` binary, for assert_cmd's `.assert()`, `.write_stdin()` and
/// `.output()`.
pub fn kmgov() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("kmgov").expect("the kmgov binary is built for tests")
}

/// The `kmgov` binary as a plain process, for tests that set its standard
/// streams, spawn it or send it signals.
pub fn kmgov_process() -> std::process::Command {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("kmgov"))
}

/// The path of the `kmgov` binary, for a shell script to run.
pub fn kmgov_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("kmgov")
}

/// Writes `bytes` to `name` in `dir`; returns the file's path.
pub fn file(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).expect("temp file is writable");
    path
}

/// Writes `text` to `name` in `dir`; returns the path as an argument.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    file(dir, name, text).to_string_lossy().into_owned()
}

/// A path as a command-line argument.
pub fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// Runs `kmgov` with `args` and waits for it.
pub fn run(args: &[&str]) -> Output {
    kmgov().args(args).output().expect("kmgov runs")
}

/// What the run said on standard error: its notes, warnings and errors.
pub fn messages(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard output of a run that must have succeeded, as UTF-8 text.
pub fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "expected success, got {:?}: {}",
        output.status.code(),
        messages(output)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

/// Standard output of a run that must have succeeded (the adversarial
/// catalogue's name for [`stdout`]).
pub fn ok(output: &Output) -> String {
    stdout(output)
}

/// Standard output of a run that must have succeeded, parsed as JSON.
pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).expect("valid JSON")
}

/// Asserts that a run failed on bad data (exit 1) with nothing on standard
/// output, a hint, no panic, and every one of `needles` in its messages;
/// returns the messages.
pub fn fails(output: &Output, needles: &[&str]) -> String {
    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr: {}",
        messages(output)
    );
    assert!(output.stdout.is_empty(), "no data on failure");
    let stderr = messages(output);
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in:\n{stderr}");
    }
    assert!(stderr.contains("hint:"), "no hint in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// True when `a` and `b` differ by less than `tolerance`. Every comparison
/// of computed numbers goes through here with its tolerance written at the
/// call: an absolute one for figures of known size, or [`relative`] for
/// numbers of any size.
pub fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() < tolerance
}

/// `fraction` of the larger of `a` and `b`, and never less than `fraction`
/// itself, so that values near zero are compared absolutely.
pub fn relative(a: f64, b: f64, fraction: f64) -> f64 {
    fraction * a.abs().max(b.abs()).max(1.0)
}

/// Asserts [`close`], naming both numbers when they differ.
pub fn assert_close(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        close(actual, expected, tolerance),
        "{actual} != {expected} (tolerance {tolerance})"
    );
}

/// The number in a JSON value.
pub fn number(value: &serde_json::Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("{value} is not a number"))
}

/// A temporary folder to write a case's files into.
pub struct Case {
    /// The folder, removed when the case is dropped.
    pub dir: tempfile::TempDir,
}

impl Default for Case {
    fn default() -> Case {
        Case::new()
    }
}

impl Case {
    /// A new, empty folder.
    pub fn new() -> Case {
        Case {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Writes `bytes` to `name` in the folder; returns its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        file(self.dir.path(), name, bytes)
    }

    /// `kmgov score DATA --config DEF --all-periods --format csv` plus `extra`.
    pub fn score(&self, definition: &str, data: impl AsRef<[u8]>, extra: &[&str]) -> Output {
        let config = self.file("k.toml", definition);
        let data = self.file("d.csv", data);
        run(&[
            &[
                "score",
                path(&data),
                "--config",
                path(&config),
                "--all-periods",
                "--format",
                "csv",
            ],
            extra,
        ]
        .concat())
    }
}
