//! Every output format on a small hand-checked input, against tests/golden/.
//! Regenerate on purpose with `KMGOV_BLESS=1 cargo test --test golden` and
//! review the diff (the hand computation is in tests/golden/README.md).

use std::path::Path;

use assert_cmd::Command;

fn kmgov() -> Command {
    Command::cargo_bin("kmgov").expect("the kmgov binary is built for tests")
}

fn score(format: &str) -> Vec<u8> {
    let output = kmgov()
        .args([
            "score",
            "tests/data/small.csv",
            "--config",
            "tests/data/small.toml",
            "--all-periods",
            "--format",
            format,
        ])
        .output()
        .expect("kmgov runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn golden(format: &str, extension: &str) {
    let actual = score(format);
    let path = Path::new("tests/golden").join(format!("small.{extension}"));
    if std::env::var_os("KMGOV_BLESS").is_some() {
        std::fs::write(&path, &actual).expect("golden file is writable");
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with KMGOV_BLESS=1", path.display()));
    assert_eq!(
        String::from_utf8_lossy(&actual),
        String::from_utf8_lossy(&expected),
        "{format} output differs from {}",
        path.display()
    );
}

#[test]
fn table_matches_golden() {
    golden("table", "txt");
}

#[test]
fn csv_matches_golden() {
    golden("csv", "csv");
}

#[test]
fn json_matches_golden() {
    golden("json", "json");
}

#[test]
fn markdown_matches_golden() {
    golden("markdown", "md");
}

fn close(actual: &serde_json::Value, expected: f64) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{actual} is not a number"));
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

#[test]
fn small_index_matches_the_hand_computation() {
    let json: serde_json::Value = serde_json::from_slice(&score("json")).unwrap();
    let periods = &json["periods"];
    assert_eq!(periods[0]["period"], "2018");
    close(&periods[0]["total"], 58.59375);
    close(&periods[1]["total"], 75.81);
    close(&periods[1]["total_change"], 17.21625);
    let units = &periods[1]["units"];
    assert_eq!(units[0]["unit"], "Unit, with comma");
    close(&units[0]["composite"], 83.24);
    close(&units[0]["dimensions"]["vitality"], 68.21);
    close(&units[0]["dimensions"]["services"], 88.25);
    close(&units[0]["change"], 48.865);
    assert_eq!(units[0]["rank_change"], 2);
    assert_eq!(units[1]["unit"], "五华区");
    close(&units[1]["composite"], 73.75);
    close(&units[1]["pct_change"], 100.0 * 8.125 / 65.625);
    assert_eq!(units[1]["rank_change"], 0);
    assert_eq!(units[2]["unit"], "盘龙区");
    close(&units[2]["composite"], 72.5);
    assert_eq!(units[2]["rank_change"], -2);
    let first = &periods[0]["units"];
    close(&first[0]["composite"], 68.75);
    close(&first[1]["composite"], 65.625);
    close(&first[2]["composite"], 34.375);
    assert!(first[0]["change"].is_null());
}
