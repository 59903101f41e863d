//! Numbers that do not drift: a million rows, shuffled, give identical output.

use std::io::Cursor;

use kmgov::Definition;
use kmgov::data::{self, ReadOptions};
use kmgov::export::Format;
use kmgov::pipeline;
use kmgov::report::{Report, Selection};

const DEF: &str = r#"
[index]
name = "Scale"
[data]
population = "population"
[method]
normalize = "zscore"
total = "population"
[[dimension]]
id = "a"
[[dimension.indicator]]
id = "x"
[[dimension.indicator]]
id = "y"
direction = "lower"
"#;

const UNITS: u64 = 100_000;
const PERIODS: u64 = 10;

/// A small LCG: the data and the shuffle are reproducible.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn rows() -> Vec<String> {
    let mut rng = Lcg(7);
    (0..UNITS * PERIODS)
        .map(|i| {
            let (unit, period) = (i % UNITS, i / UNITS);
            // Values spanning magnitudes, so summation order would show.
            let x = (rng.next() % 1_000_000) as f64 / 7.0 + if unit % 97 == 0 { 1e9 } else { 0.0 };
            let y = (rng.next() % 10_000) as f64 / 3.0;
            let population = 1 + rng.next() % 5000;
            format!("u{unit},{},{population},{x},{y}\n", 2010 + period)
        })
        .collect()
}

fn score(csv: String, definition: &Definition) -> Vec<u8> {
    let panel = data::read_from(
        Box::new(Cursor::new(csv.into_bytes())),
        "scale.csv",
        definition,
        ReadOptions::default(),
    )
    .expect("reads");
    let scores = pipeline::score(definition, panel).expect("scores");
    let report = Report::build(definition, &scores)
        .select(&Selection::All)
        .expect("all periods");
    Format::Csv.exporter().render(&report)
}

#[test]
fn a_million_shuffled_rows_give_identical_output() {
    let definition = Definition::from_toml(DEF, "scale.toml").unwrap();
    let mut rows = rows();
    let header = "unit,period,population,x,y\n".to_string();
    let in_order = score(header.clone() + &rows.concat(), &definition);

    let mut rng = Lcg(11);
    for i in (1..rows.len()).rev() {
        rows.swap(i, rng.next() as usize % (i + 1));
    }
    let shuffled = score(header + &rows.concat(), &definition);
    assert_eq!(in_order.len(), shuffled.len());
    assert!(in_order == shuffled, "output depends on row order");
    assert_eq!(
        in_order.iter().filter(|&&b| b == b'\n').count() as u64,
        UNITS * PERIODS + 1
    );
}
