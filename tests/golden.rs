//! Every output format on a small hand-checked input, against tests/golden/.
//! Regenerate on purpose with `KMGOV_BLESS=1 cargo test --test golden` and
//! review the diff (the hand computation is in tests/golden/README.md).

mod common;

use common::*;

fn score(format: &str) -> Vec<u8> {
    let output = run(&[
        "score",
        "tests/data/small.csv",
        "--config",
        "tests/data/small.toml",
        "--all-periods",
        "--format",
        format,
    ]);
    assert!(output.status.success(), "{}", messages(&output));
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

#[test]
fn small_index_matches_the_hand_computation() {
    let json: serde_json::Value = serde_json::from_slice(&score("json")).unwrap();
    let periods = &json["periods"];
    assert_eq!(periods[0]["period"], "2018");
    assert_close(number(&periods[0]["total"]), 58.59375, 1e-9);
    assert_close(number(&periods[1]["total"]), 75.81, 1e-9);
    assert_close(number(&periods[1]["total_change"]), 17.21625, 1e-9);
    let units = &periods[1]["units"];
    assert_eq!(units[0]["unit"], "Unit, with comma");
    assert_close(number(&units[0]["composite"]), 83.24, 1e-9);
    assert_close(number(&units[0]["dimensions"]["vitality"]), 68.21, 1e-9);
    assert_close(number(&units[0]["dimensions"]["services"]), 88.25, 1e-9);
    assert_close(number(&units[0]["change"]), 48.865, 1e-9);
    assert_eq!(units[0]["rank_change"], 2);
    assert_eq!(units[1]["unit"], "五华区");
    assert_close(number(&units[1]["composite"]), 73.75, 1e-9);
    assert_close(
        number(&units[1]["pct_change"]),
        100.0 * 8.125 / 65.625,
        1e-9,
    );
    assert_eq!(units[1]["rank_change"], 0);
    assert_eq!(units[2]["unit"], "盘龙区");
    assert_close(number(&units[2]["composite"]), 72.5, 1e-9);
    assert_eq!(units[2]["rank_change"], -2);
    let first = &periods[0]["units"];
    assert_close(number(&first[0]["composite"]), 68.75, 1e-9);
    assert_close(number(&first[1]["composite"]), 65.625, 1e-9);
    assert_close(number(&first[2]["composite"]), 34.375, 1e-9);
    assert!(first[0]["change"].is_null());
}
