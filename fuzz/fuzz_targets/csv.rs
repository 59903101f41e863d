//! The CSV reader: arbitrary bytes → `data::read_from`, against a small fixed
//! definition (columns `unit`, `period`, `population`, wide or long form) and
//! against the built-in Kunming definition (`district`, `year`, 46 indicators).
//!
//! Any bytes must give a `Panel` or an `Err`; a panic is a finding.

#![no_main]

use std::io::Cursor;
use std::sync::LazyLock;

use kmgov::Definition;
use kmgov::data::{self, ReadOptions};
use libfuzzer_sys::fuzz_target;

const SMALL: &str = r#"
[index]
name = "Fuzz"
[data]
population = "population"
[method]
missing = "skip"
total = "population"
[[dimension]]
id = "a"
[[dimension.indicator]]
id = "x"
[[dimension.indicator]]
id = "y"
direction = "lower"
[[dimension]]
id = "b"
weight = 2
[[dimension.indicator]]
id = "z"
"#;

static DEFINITIONS: LazyLock<[Definition; 2]> = LazyLock::new(|| {
    [
        Definition::from_toml(SMALL, "fuzz.toml").expect("the fuzz definition is valid"),
        Definition::builtin(),
    ]
});

fuzz_target!(|data: &[u8]| {
    for definition in DEFINITIONS.iter() {
        let input = Box::new(Cursor::new(data.to_vec()));
        match data::read_from(input, "fuzz.csv", definition, ReadOptions::default()) {
            Ok(panel) => {
                assert_eq!(panel.values.len(), panel.indicators.len());
                for column in &panel.values {
                    assert_eq!(column.len(), panel.keys.rows.len());
                }
                for problem in &panel.warnings {
                    let _ = problem.to_string();
                }
            }
            Err(error) => {
                let _ = error.to_string();
                for problem in error.problems() {
                    let _ = problem.to_string();
                }
            }
        }
    }
});
