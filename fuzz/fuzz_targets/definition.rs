//! The config parser: arbitrary bytes → `Definition::from_toml`.
//!
//! Any text must give a `Definition` or an `Err` whose problems can be
//! listed and printed; a panic is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match kmgov::Definition::from_toml(&text, "fuzz.toml") {
        Ok(definition) => {
            // What `kmgov check` says about a definition alone.
            for problem in kmgov::check::definition_warnings(&definition) {
                let _ = problem.to_string();
            }
        }
        Err(error) => {
            // What the CLI prints.
            let _ = error.to_string();
            for problem in error.problems() {
                let _ = problem.to_string();
            }
        }
    }
});
