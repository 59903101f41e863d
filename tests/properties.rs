//! Invariants that must hold for any data, checked on generated panels.

mod common;

use std::io::Cursor;

use kmgov::data::{self, ReadOptions};
use kmgov::export::Format;
use kmgov::pipeline;
use kmgov::report::{Report, Selection};
use kmgov::{Definition, Scores};
use proptest::prelude::*;

use common::{close, relative};

/// A generated panel: `values[row][indicator]` for every unit × period.
#[derive(Debug, Clone)]
struct Panel {
    units: usize,
    values: Vec<[f64; 3]>,
}

impl Panel {
    fn csv(&self, order: &[usize]) -> String {
        let mut text = String::from("unit,period,x,y,z\n");
        for &row in order {
            let (unit, period) = (row % self.units, row / self.units);
            let [x, y, z] = self.values[row];
            text.push_str(&format!("u{unit},{},{x},{y},{z}\n", 2017 + period));
        }
        text
    }

    fn in_order(&self) -> Vec<usize> {
        (0..self.values.len()).collect()
    }
}

fn panels() -> impl Strategy<Value = Panel> {
    (1usize..7, 1usize..4).prop_flat_map(|(units, periods)| {
        // Two decimals, as in real data; ties happen often enough to matter.
        let value = (0u32..=10_000).prop_map(|v| f64::from(v) / 100.0);
        prop::collection::vec([value.clone(), value.clone(), value], units * periods)
            .prop_map(move |values| Panel { units, values })
    })
}

/// Three indicators in two dimensions; `y` is lower-is-better.
fn definition(normalize: &str, aggregate: &str, weights: [f64; 5]) -> Definition {
    let text = format!(
        r#"
[index]
name = "P"
[method]
normalize = "{normalize}"
aggregate = "{aggregate}"
[[dimension]]
id = "a"
weight = {}
[[dimension.indicator]]
id = "x"
weight = {}
goalposts = [10, 90]
[[dimension.indicator]]
id = "y"
weight = {}
direction = "lower"
goalposts = [0, 100]
[[dimension]]
id = "b"
weight = {}
[[dimension.indicator]]
id = "z"
weight = {}
goalposts = [20, 80]
"#,
        weights[0], weights[1], weights[2], weights[3], weights[4]
    );
    Definition::from_toml(&text, "p.toml").expect("generated definitions are valid")
}

fn score(definition: &Definition, csv: &str) -> Scores {
    let panel = data::read_from(
        Box::new(Cursor::new(csv.as_bytes().to_vec())),
        "p.csv",
        definition,
        ReadOptions::default(),
    )
    .expect("generated data reads");
    pipeline::score(definition, panel).expect("generated data scores")
}

fn csv_output(definition: &Definition, csv: &str) -> Vec<u8> {
    let scores = score(definition, csv);
    let report = Report::build(definition, &scores)
        .select(&Selection::All)
        .unwrap();
    Format::Csv.exporter().render(&report)
}

fn weights() -> impl Strategy<Value = [f64; 5]> {
    let weight = (1u32..500).prop_map(|w| f64::from(w) / 100.0);
    [
        weight.clone(),
        weight.clone(),
        weight.clone(),
        weight.clone(),
        weight,
    ]
}

/// Unit names: Chinese (for GB18030) and accented Latin (for NFC vs NFD).
const NAMES: [&str; 6] = ["五华区", "盘龙区", "官渡区", "Zürich", "Ångström", "西山区"];

/// How the same panel is spelt: delimiter, full-width periods, NFD names.
#[derive(Debug, Clone, Copy)]
struct Spelling {
    delimiter: char,
    full_width_periods: bool,
    nfd: bool,
}

const PLAIN: Spelling = Spelling {
    delimiter: ',',
    full_width_periods: false,
    nfd: false,
};

impl Panel {
    /// The panel with named units, spelt as `spelling` says.
    fn named_csv(&self, spelling: Spelling) -> String {
        use unicode_normalization::UnicodeNormalization;
        let d = spelling.delimiter;
        let mut text = format!("unit{d}period{d}x{d}y{d}z\n");
        for row in 0..self.values.len() {
            let (unit, period) = (row % self.units, row / self.units);
            let [x, y, z] = self.values[row];
            let mut name = NAMES[unit].to_string();
            if spelling.nfd {
                name = name.nfd().collect();
            }
            let mut period = (2017 + period).to_string();
            if spelling.full_width_periods {
                period = period
                    .chars()
                    .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                    .collect();
            }
            text.push_str(&format!("{name}{d}{period}{d}{x}{d}{y}{d}{z}\n"));
        }
        text
    }
}

/// CSV output for `bytes` read with `options`, or the error's text.
fn output_of(
    definition: &Definition,
    bytes: Vec<u8>,
    options: ReadOptions,
) -> Result<Vec<u8>, String> {
    let panel = data::read_from(Box::new(Cursor::new(bytes)), "p.csv", definition, options)
        .map_err(|e| e.to_string())?;
    let scores = pipeline::score(definition, panel).map_err(|e| e.to_string())?;
    let report = Report::build(definition, &scores)
        .select(&Selection::All)
        .map_err(|e| e.to_string())?;
    Ok(Format::Csv.exporter().render(&report))
}

const NORMALIZERS: [&str; 5] = ["minmax", "zscore", "goalposts", "efficacy", "rank"];
const AGGREGATES: [&str; 3] = ["arithmetic", "geometric", "harmonic"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn scaling_a_groups_weights_changes_no_score(
        panel in panels(),
        w in weights(),
        c in (1u32..1000).prop_map(|c| f64::from(c) / 10.0),
        group in 0usize..3,
        method in 0usize..5,
    ) {
        let scaled = match group {
            0 => [w[0] * c, w[1], w[2], w[3] * c, w[4]],
            1 => [w[0], w[1] * c, w[2] * c, w[3], w[4]],
            _ => [w[0], w[1], w[2], w[3], w[4] * c],
        };
        let csv = panel.csv(&panel.in_order());
        let before = score(&definition(NORMALIZERS[method], "arithmetic", w), &csv);
        let after = score(&definition(NORMALIZERS[method], "arithmetic", scaled), &csv);
        for (a, b) in before.composite.iter().zip(&after.composite) {
            prop_assert!(close(*a, *b, relative(*a, *b, 1e-9)), "{a} vs {b}");
        }
    }

    #[test]
    fn shuffling_input_rows_changes_no_output_byte(
        panel in panels(),
        w in weights(),
        method in 0usize..5,
        seed in any::<u64>(),
    ) {
        let def = definition(NORMALIZERS[method], "arithmetic", w);
        let mut order = panel.in_order();
        // Fisher–Yates with a small LCG: the shuffle is part of the input.
        let mut state = seed | 1;
        for i in (1..order.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (state >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(
            csv_output(&def, &panel.csv(&panel.in_order())),
            csv_output(&def, &panel.csv(&order))
        );
    }

    #[test]
    fn composite_lies_between_its_dimension_scores(
        panel in panels(),
        w in weights(),
        aggregate in 0usize..3,
    ) {
        // Efficacy scores stay in 60–100, so every aggregator applies.
        let scores = score(&definition("efficacy", AGGREGATES[aggregate], w), &panel.csv(&panel.in_order()));
        for row in 0..scores.composite.len() {
            let (a, b) = (scores.dimension_scores[0][row], scores.dimension_scores[1][row]);
            let c = scores.composite[row];
            prop_assert!(c >= a.min(b) - 1e-9 && c <= a.max(b) + 1e-9, "{c} outside [{a}, {b}]");
        }
    }

    #[test]
    fn harmonic_geometric_arithmetic_are_ordered(panel in panels(), w in weights()) {
        let csv = panel.csv(&panel.in_order());
        let [a, g, h] = AGGREGATES.map(|m| score(&definition("efficacy", m, w), &csv).composite);
        for row in 0..a.len() {
            prop_assert!(h[row] <= g[row] + 1e-9 && g[row] <= a[row] + 1e-9, "{} {} {}", h[row], g[row], a[row]);
        }
    }

    #[test]
    fn improving_a_higher_is_better_value_never_lowers_the_composite(
        panel in panels(),
        w in weights(),
        row in any::<prop::sample::Index>(),
        gain in (1u32..5000).prop_map(|g| f64::from(g) / 100.0),
    ) {
        let def = definition("goalposts", "arithmetic", w);
        let before = score(&def, &panel.csv(&panel.in_order()));
        let mut better = panel.clone();
        let row = row.index(panel.values.len());
        better.values[row][0] += gain; // x is higher-is-better
        let after = score(&def, &better.csv(&better.in_order()));
        // Rows are sorted by period then unit; find the changed one.
        let (unit, period) = (row % panel.units, row / panel.units);
        let sorted = period * panel.units + position_of_unit(unit, panel.units);
        prop_assert!(after.composite[sorted] >= before.composite[sorted] - 1e-12);
    }

    #[test]
    fn ranks_lie_in_one_to_n_and_ties_share_the_lowest(panel in panels(), w in weights(), method in 0usize..5) {
        let scores = score(&definition(NORMALIZERS[method], "arithmetic", w), &panel.csv(&panel.in_order()));
        for range in &scores.keys.period_ranges {
            let n = range.len() as u32;
            for row in range.clone() {
                let rank = scores.ranks[row].unwrap();
                prop_assert!((1..=n).contains(&rank));
                let higher = range.clone().filter(|&r| scores.composite[r] > scores.composite[row]).count() as u32;
                prop_assert_eq!(rank, higher + 1);
            }
        }
    }

    #[test]
    fn bounded_methods_stay_in_their_range(panel in panels(), w in weights(), method in 0usize..5) {
        let name = NORMALIZERS[method];
        let scores = score(&definition(name, "arithmetic", w), &panel.csv(&panel.in_order()));
        let (lo, hi) = match name {
            "efficacy" => (60.0, 100.0),
            "zscore" => (f64::NEG_INFINITY, f64::INFINITY),
            _ => (0.0, 100.0),
        };
        for column in &scores.indicator_scores {
            for &s in column {
                prop_assert!(s >= lo - 1e-9 && s <= hi + 1e-9, "{name}: {s}");
            }
        }
    }

    #[test]
    fn arbitrary_bytes_as_csv_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let def = definition("minmax", "geometric", [1.0; 5]);
        let scored = data::read_from(Box::new(Cursor::new(bytes)), "fuzz.csv", &def, ReadOptions::default())
            .and_then(|panel| pipeline::score(&def, panel));
        if let Ok(scores) = scored {
            let report = Report::build(&def, &scores);
            for format in [Format::Table, Format::Csv, Format::Json, Format::Markdown] {
                let _ = format.exporter().render(&report);
            }
        }
    }

    #[test]
    fn csv_like_text_never_panics(text in "[ux0-9,.\\-\"\n\r%NA ]{0,200}") {
        let def = definition("rank", "harmonic", [1.0; 5]);
        let csv = format!("unit,period,x,y,z\n{text}");
        if let Ok(panel) = data::read_from(Box::new(Cursor::new(csv.into_bytes())), "fuzz.csv", &def, ReadOptions::default()) {
            let _ = pipeline::score(&def, panel);
        }
    }

    #[test]
    fn arbitrary_toml_never_panics(text in "\\PC{0,300}") {
        let _ = Definition::from_toml(&text, "fuzz.toml");
    }

    #[test]
    fn toml_like_text_never_panics(text in "(\\[\\[?(index|dimension|dimension\\.indicator|method|data)\\]\\]?\n|(name|id|weight|goalposts|normalize|direction) = (\"[a-z]{0,3}\"|-?[0-9]{1,3}|\\[[0-9, ]{0,6}\\])\n){0,12}") {
        let _ = Definition::from_toml(&text, "fuzz.toml");
    }
}

/// A definition with Chinese names, as an analyst in Kunming writes it.
fn chinese_definition(names: &[String; 3], weights: [&str; 3]) -> String {
    format!(
        "[index]\nname = \"{}\"\nlabel = \"{}指数\"\n[[dimension]]\nid = \"a\"\nname = \"{}\"\n\
         [[dimension.indicator]]\nid = \"x\"\nname = \"{}\"\nweight = {}\n\
         [[dimension.indicator]]\nid = \"y\"\nweight = {}\n[[dimension]]\nid = \"b\"\nweight = {}\n\
         [[dimension.indicator]]\nid = \"z\"\n",
        names[0], names[0], names[1], names[2], weights[0], weights[1], weights[2]
    )
}

proptest! {
    /// The same definition saved as UTF-8, UTF-8 with a BOM, or GB18030 (as
    /// Chinese-language Windows saves it) is the same definition.
    #[test]
    fn a_definition_reads_the_same_in_every_encoding(
        names in prop::array::uniform3("[社会活力服务环境治理指数昆明a-z][社会活力服务环境治理指数昆明 a-z]{0,11}"),
        weights in prop::array::uniform3(1u32..100),
    ) {
        let text = chinese_definition(&names, weights.map(|w| w.to_string()).each_ref().map(String::as_str));
        let dir = tempfile::tempdir().unwrap();
        let utf8 = dir.path().join("utf8.toml");
        let bom = dir.path().join("bom.toml");
        let gb = dir.path().join("gb.toml");
        std::fs::write(&utf8, &text).unwrap();
        std::fs::write(&bom, format!("\u{FEFF}{text}")).unwrap();
        std::fs::write(&gb, encoding_rs::GB18030.encode(&text).0).unwrap();
        let read = |path: &std::path::Path| {
            let (mut definition, encoding) = Definition::read(path).expect("valid definition");
            definition.origin = String::new();
            (definition, encoding)
        };
        let (expected, _) = read(&utf8);
        prop_assert_eq!(&read(&bom).0, &expected);
        let (from_gb, encoding) = read(&gb);
        prop_assert_eq!(&from_gb, &expected);
        let ascii = text.is_ascii();
        prop_assert_eq!(encoding == kmgov::definition::TextEncoding::Gb18030, !ascii);
    }

    /// Weights are relative: scaling every weight of a group by the same
    /// power of ten gives the same normalised weights, or a clear error —
    /// never an item silently dropped.
    #[test]
    fn scaled_weights_give_the_same_weights_or_an_error(
        weights in prop::array::uniform3(1u32..1000),
        exponent in -320i32..=97,
    ) {
        let names = ["a".to_string(), "b".to_string(), "c".to_string()];
        let [x, y, z] = weights.map(|w| w.to_string());
        let plain = chinese_definition(&names, [&x, &y, &z]);
        let (x_scaled, y_scaled) = (format!("{x}e{exponent}"), format!("{y}e{exponent}"));
        let scaled = chinese_definition(&names, [&x_scaled, &y_scaled, &z]);
        let expected = Definition::from_toml(&plain, "p.toml").expect("valid definition");
        match Definition::from_toml(&scaled, "p.toml") {
            Ok(found) => {
                for (a, b) in found.dimensions[0].indicators.iter().zip(&expected.dimensions[0].indicators) {
                    prop_assert!(close(a.weight, b.weight, relative(a.weight, b.weight, 1e-9)), "{} vs {}", a.weight, b.weight);
                    prop_assert!(a.weight > 0.0);
                }
            }
            Err(error) => {
                let message = error.to_string();
                prop_assert!(message.contains("weight"), "{}", message);
            }
        }
    }

    /// Whatever the mistake, a definition message speaks the format's words.
    #[test]
    fn definition_messages_never_speak_rust(text in "(\\[\\[?(index|dimension|dimension\\.indicator|method|data)\\]\\]?\n|(name|id|weight|goalposts|normalize|direction|decimals|scope|wieght) = (\"[a-z]{0,3}\"|-?[0-9]{1,3}(\\.[0-9])?|\\[[0-9, \"a]{0,6}\\]|true|[a-z%]{1,3})\n){0,12}") {
        if let Err(error) = Definition::from_toml(&text, "p.toml") {
            for problem in error.problems() {
                let shown = format!("{problem} {}", problem.hint.clone().unwrap_or_default());
                for word in ["f64", "i64", "expected nothing", "invalid type", "sequence", "variant", "literal string"] {
                    prop_assert!(!shown.contains(word), "`{}` in {}\n--- for:\n{}", word, shown, text);
                }
                prop_assert!(problem.location.to_string().starts_with("p.toml"), "{}", shown);
            }
        }
    }
}

/// Units are named u0, u1, …; sorted by name, u10 comes before u2.
fn position_of_unit(unit: usize, units: usize) -> usize {
    let mut names: Vec<String> = (0..units).map(|u| format!("u{u}")).collect();
    names.sort();
    names.iter().position(|n| *n == format!("u{unit}")).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The same panel in UTF-8 and in GB18030, with `--encoding gb18030` and
    /// with detection: the same output, or (detection only) a clear error.
    #[test]
    fn utf8_and_gb18030_give_the_same_scores(panel in panels(), w in weights(), method in 0usize..5) {
        let panel = Panel { units: panel.units.min(3), values: panel.values[..panel.units.min(3) * (panel.values.len() / panel.units)].to_vec() };
        let def = definition(NORMALIZERS[method], "arithmetic", w);
        let text = panel.named_csv(PLAIN);
        let gbk = encoding_rs::GB18030.encode(&text).0.into_owned();
        let expected = output_of(&def, text.into_bytes(), ReadOptions::default()).unwrap();
        let forced = ReadOptions { encoding: data::Encoding::Gb18030, ..ReadOptions::default() };
        prop_assert_eq!(&output_of(&def, gbk.clone(), forced).unwrap(), &expected);
        match output_of(&def, gbk, ReadOptions::default()) {
            Ok(detected) => prop_assert_eq!(&detected, &expected),
            Err(message) => prop_assert!(message.contains("encoding"), "{}", message),
        }
    }

    /// `,` `;` and tab as separators, sniffed or given: the same output.
    #[test]
    fn delimiters_give_the_same_scores(panel in panels(), w in weights(), method in 0usize..5) {
        let def = definition(NORMALIZERS[method], "arithmetic", w);
        let expected = output_of(&def, panel.named_csv(PLAIN).into_bytes(), ReadOptions::default()).unwrap();
        for delimiter in [';', '\t', '|'] {
            let text = panel.named_csv(Spelling { delimiter, ..PLAIN });
            prop_assert_eq!(&output_of(&def, text.clone().into_bytes(), ReadOptions::default()).unwrap(), &expected);
            let given = ReadOptions { delimiter: Some(delimiter as u8), ..ReadOptions::default() };
            prop_assert_eq!(&output_of(&def, text.into_bytes(), given).unwrap(), &expected);
        }
    }

    /// `2019` or full-width `２０１９`, names in NFC or NFD: the same output.
    #[test]
    fn period_and_name_spellings_give_the_same_scores(
        panel in panels(),
        w in weights(),
        method in 0usize..5,
        full_width_periods in any::<bool>(),
        nfd in any::<bool>(),
    ) {
        let def = definition(NORMALIZERS[method], "arithmetic", w);
        let expected = output_of(&def, panel.named_csv(PLAIN).into_bytes(), ReadOptions::default()).unwrap();
        let text = panel.named_csv(Spelling { full_width_periods, nfd, ..PLAIN });
        prop_assert_eq!(output_of(&def, text.into_bytes(), ReadOptions::default()).unwrap(), expected);
    }
}

/// Rows enough to pass the 64 KiB from which the encoding is decided:
/// units `pad0`… (ASCII) or `填充0`… (Chinese), in the first period.
fn padding(chinese: bool) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 70 * 1024 {
        let name = if chinese { "填充" } else { "pad" };
        text.push_str(&format!(
            "{name}{i},2017,{},{},{}\n",
            i % 97,
            i % 89,
            i % 83
        ));
        i += 1;
    }
    text
}

fn gb18030(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Past the first 64 KiB, the same panel in UTF-8 or in GB18030 gives
    /// the same output (or, for GB18030, a clear error), and rows in the
    /// other encoding than the lines before them are refused: never numbers.
    #[test]
    fn rows_past_the_sample_in_either_encoding_read_the_same_or_are_refused(
        panel in panels(),
        w in weights(),
        method in 0usize..5,
        chinese_padding in any::<bool>(),
    ) {
        let def = definition(NORMALIZERS[method], "arithmetic", w);
        let named = panel.named_csv(PLAIN);
        let (header, rows) = named.split_once('\n').unwrap();
        let pad = padding(chinese_padding);
        let whole = format!("{header}\n{pad}{rows}");
        let expected = output_of(&def, whole.clone().into_bytes(), ReadOptions::default()).unwrap();
        let said_so = |message: &str| message.contains("encoding") || message.contains("GB18030");

        match output_of(&def, gb18030(&whole), ReadOptions::default()) {
            Ok(found) => prop_assert_eq!(&found, &expected),
            Err(message) => prop_assert!(said_so(&message), "{}", message),
        }
        // UTF-8, then the panel's rows in GB18030: every panel row has a
        // Chinese or accented name.
        let mut mixed = format!("{header}\n{pad}").into_bytes();
        mixed.extend(gb18030(rows));
        match output_of(&def, mixed, ReadOptions::default()) {
            Ok(found) => prop_assert!(false, "mixed file read: {}", String::from_utf8_lossy(&found)),
            Err(message) => prop_assert!(said_so(&message), "{}", message),
        }
        // GB18030, then the panel's rows in UTF-8: after ASCII padding this
        // is a UTF-8 file; after Chinese padding it is mixed.
        let mut mixed = gb18030(&format!("{header}\n{pad}"));
        mixed.extend_from_slice(rows.as_bytes());
        match output_of(&def, mixed, ReadOptions::default()) {
            Ok(found) => {
                prop_assert!(!chinese_padding, "mixed file read");
                prop_assert_eq!(&found, &expected);
            }
            Err(message) => {
                prop_assert!(chinese_padding, "{}", message);
                prop_assert!(said_so(&message), "{}", message);
            }
        }
    }
}

/// Month `i` (from 0, January 2019) as (year, month).
fn month_of(i: usize) -> (usize, usize) {
    (2019 + i / 12, i % 12 + 1)
}

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Ways of writing a month that kmgov reads as that month.
fn spell_month(i: usize, spelling: usize) -> String {
    let (y, m) = month_of(i);
    let name = MONTH_NAMES[m - 1];
    match spelling {
        0 => format!("{y}-{m:02}"),
        1 => format!("{y}.{m}"),
        2 => format!("{y}M{m}"),
        3 => format!("{name}-{y}"),
        4 => format!("{name} {y}"),
        5 => format!("{y}-{name}"),
        6 => format!("{y}年{m}月"),
        7 => format!("{}年{m}月", y % 100),
        8 => format!("{y}{m:02}"),
        9 => format!("{y}/{m}"),
        _ => format!("{name}-{}", y % 100),
    }
}

/// CSV output without its period column, which is spelt as the input was:
/// what is left (rows in period order, ranks, changes) must not depend on
/// the spelling.
fn without_periods(output: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(output)
        .lines()
        .map(|line| {
            line.split_once(',')
                .map_or(line, |(_, rest)| rest)
                .to_string()
        })
        .collect()
}

/// The panel in long form, with indicator `x` spelt `x_spelling`.
fn long_csv(panel: &Panel, x_spelling: &str) -> String {
    let mut text = String::from("unit,period,indicator,value\n");
    for row in 0..panel.values.len() {
        let (unit, period) = (row % panel.units, row / panel.units);
        for (id, value) in [x_spelling, "y", "z"].iter().zip(panel.values[row]) {
            text.push_str(&format!("u{unit},{},{id},{value}\n", 2017 + period));
        }
    }
    text
}

/// `1234.5` as `1,234.5`: thousands grouped by commas.
fn grouped(value: f64) -> String {
    let text = format!("{value}");
    let (integer, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let digits: Vec<char> = integer.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The same monthly panel, its periods spelt any of the ways kmgov reads
    /// as months and its rows in any order: the same ranks and changes. A
    /// spelling read as text would put October before February and take
    /// changes against the wrong month.
    #[test]
    fn month_spellings_give_the_same_scores(
        units in 1usize..4,
        months in 2usize..16,
        seed in any::<u64>(),
        spelling in 0usize..11,
        w in weights(),
        method in 0usize..5,
    ) {
        let def = definition(NORMALIZERS[method], "arithmetic", w);
        let value = |row: usize, k: u64| {
            let mixed = seed.wrapping_mul(6364136223846793005).wrapping_add(row as u64 * 31 + k);
            (mixed >> 33) as f64 % 10_000.0 / 100.0
        };
        let csv = |spell: &dyn Fn(usize) -> String, reverse: bool| {
            let mut rows: Vec<String> = (0..units * months)
                .map(|row| {
                    let (unit, month) = (row % units, row / units);
                    format!("u{unit},{},{},{},{}\n", spell(month), value(row, 1), value(row, 2), value(row, 3))
                })
                .collect();
            if reverse {
                rows.reverse();
            }
            format!("unit,period,x,y,z\n{}", rows.concat())
        };
        let expected = output_of(&def, csv(&|i| spell_month(i, 0), false).into_bytes(), ReadOptions::default()).unwrap();
        let found = output_of(&def, csv(&|i| spell_month(i, spelling), seed % 2 == 0).into_bytes(), ReadOptions::default()).unwrap();
        prop_assert_eq!(without_periods(&found), without_periods(&expected));
    }

    /// The long form with the indicator `x` spelt full-width, with invisible
    /// characters or with spaces reads as the wide form does.
    #[test]
    fn long_form_indicator_spellings_give_the_wide_forms_scores(
        panel in panels(),
        w in weights(),
        method in 0usize..5,
        spelling in 0usize..5,
    ) {
        let def = definition(NORMALIZERS[method], "arithmetic", w);
        let expected = output_of(&def, panel.csv(&panel.in_order()).into_bytes(), ReadOptions::default()).unwrap();
        let x = ["x", "ｘ", " x ", "x\u{200B}", "\u{00AD}ｘ\u{FE0F}"][spelling];
        let found = output_of(&def, long_csv(&panel, x).into_bytes(), ReadOptions::default());
        prop_assert_eq!(found.unwrap(), expected);
    }

    /// Values with thousands separators: quoted in a comma-separated file
    /// they read as plain numbers; in a `;` file they read the same or, for
    /// a single comma without a point (`12,345`, which a decimal-comma locale
    /// reads as 12.345), are refused: never another number.
    #[test]
    fn grouped_thousands_read_the_same_or_are_refused(
        panel in panels(),
        w in weights(),
        method in 0usize..5,
        integers in any::<bool>(),
    ) {
        let def = definition(NORMALIZERS[method], "arithmetic", w);
        let scaled = Panel {
            units: panel.units,
            values: panel
                .values
                .iter()
                .map(|row| row.map(|v| if integers { (v * 1000.0).round() } else { v * 1000.0 + 0.5 }))
                .collect(),
        };
        let expected = output_of(&def, scaled.csv(&scaled.in_order()).into_bytes(), ReadOptions::default()).unwrap();
        let mut comma = String::from("unit,period,x,y,z\n");
        let mut semicolon = String::from("unit;period;x;y;z\n");
        for row in 0..scaled.values.len() {
            let (unit, period) = (row % scaled.units, row / scaled.units);
            let [x, y, z] = scaled.values[row].map(grouped);
            comma.push_str(&format!("u{unit},{},\"{x}\",\"{y}\",\"{z}\"\n", 2017 + period));
            semicolon.push_str(&format!("u{unit};{};{x};{y};{z}\n", 2017 + period));
        }
        prop_assert_eq!(&output_of(&def, comma.into_bytes(), ReadOptions::default()).unwrap(), &expected);
        match output_of(&def, semicolon.into_bytes(), ReadOptions::default()) {
            Ok(found) => prop_assert_eq!(&found, &expected),
            Err(message) => prop_assert!(message.contains("is ambiguous"), "{}", message),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Period labels of any mix of the characters dates are written with
    /// never panic (a label such as `20年1` once did), and their order does
    /// not depend on the order they came in.
    #[test]
    fn period_labels_never_panic_and_sort_the_same_in_any_order(
        labels in prop::collection::vec("[0-9年月日季度第一二QqMm\\-/. JanFebSptO]{0,12}", 0..12),
    ) {
        let mut labels: Vec<String> = labels;
        labels.sort();
        labels.dedup();
        let mut forward = labels.clone();
        let mut backward: Vec<String> = labels.iter().rev().cloned().collect();
        data::period::sort_periods(&mut forward);
        data::period::sort_periods(&mut backward);
        prop_assert_eq!(&forward, &backward);
        let _ = data::period::order_warnings(&forward);
        let _ = data::period::same_period_pairs(&forward);
    }
}

/// A definition with a population and a `groups` label column beside the
/// indicators, for the chunked reader's differential test.
const CHUNKED_DEFINITION: &str = r#"
[index]
name = "C"
[data]
unit = "unit"
period = "period"
population = "pop"
groups = ["county"]
[[dimension]]
id = "d"
[[dimension.indicator]]
id = "x"
[[dimension.indicator]]
id = "y"
"#;

/// One cell of a generated wide file: plain numbers mostly, and every kind
/// of trouble the reader must place exactly.
fn chunked_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0u32..100_000).prop_map(|v| format!("{}", f64::from(v) / 100.0)),
        1 => Just(String::new()),
        1 => Just("NA".to_string()),
        1 => Just("7O.2".to_string()),
        1 => Just("\"1,234.5\"".to_string()),
        1 => Just("\"2\n3\"".to_string()),
        1 => Just("\"a \"\"q\"\" b\"".to_string()),
        1 => Just("12.5%".to_string()),
        1 => Just("0.12345678901234567890123".to_string()),
        1 => Just("1e400".to_string()),
        1 => Just("x\"y".to_string()),
        // Rarely, a quote that never closes: it swallows the rest of the file.
        1 => prop_oneof![49 => Just("1".to_string()), 1 => Just("\"open".to_string())],
    ]
}

/// A generated wide file: rows of unit, period, population, county, x, y, with
/// blank lines, ragged rows, quoted keys and CRLF line ends mixed in.
fn chunked_csv() -> impl Strategy<Value = String> {
    let row = (
        0usize..6,
        0usize..3,
        prop::collection::vec(chunked_cell(), 4),
        0usize..12,
    );
    (prop::collection::vec(row, 0..40), any::<bool>()).prop_map(|(rows, crlf)| {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("unit,period,pop,county,x,y{end}");
        for (unit, period, cells, shape) in rows {
            let unit = match shape {
                0 => format!("\"u{unit}\nline\""),
                1 => format!("\"u,{unit}\""),
                _ => format!("u{unit}"),
            };
            let mut line = format!("{unit},{}", 2017 + period);
            for cell in &cells {
                line.push(',');
                line.push_str(cell);
            }
            match shape {
                2 => line = String::new(),
                3 => line.truncate(line.rfind(',').unwrap_or(0)),
                4 => line.push_str(",extra"),
                5 => line.push_str(end),
                _ => {}
            }
            text.push_str(&line);
            text.push_str(end);
        }
        text
    })
}

/// Everything a read gives, with values and populations as bits (a NaN's
/// payload marks an unreadable cell).
fn read_in_full(text: &str, keep_going: bool, max_record_bytes: Option<u64>) -> String {
    let definition = Definition::from_toml(CHUNKED_DEFINITION, "c.toml").unwrap();
    let defaults = ReadOptions::default();
    let options = ReadOptions {
        keep_going,
        max_record_bytes: max_record_bytes.unwrap_or(defaults.max_record_bytes),
        ..defaults
    };
    let read = data::read_from(
        Box::new(Cursor::new(text.as_bytes().to_vec())),
        "c.csv",
        &definition,
        options,
    );
    match read {
        Ok(panel) => {
            let bits = |column: &Vec<f64>| column.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            let values: Vec<_> = panel.values.iter().map(bits).collect();
            let population = panel.population.as_ref().map(bits);
            let places: Vec<_> = (0..panel.keys.rows.len())
                .map(|row| {
                    (
                        panel.keys.locate(row, Some(1)),
                        panel.keys.locate(row, None),
                    )
                })
                .collect();
            format!(
                "{:?}\n{values:?}\n{population:?}\n{places:?}\n{:?}\n{:?}\n{:?}\n{:?}",
                panel.keys.rows,
                panel.keys.groups,
                panel.warnings,
                panel.recovered,
                panel.keys.units
            )
        }
        Err(error) => format!("error {:?}", error.problems()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The wide form read in parallel chunks of any size, on any number of
    /// threads, gives what the reader on one thread gives, to the bit:
    /// values, keys, labels, row lines, warnings, and every error with its
    /// line and column — quotes with line breaks, CRLF, blank and ragged rows,
    /// bad cells, quotes never closed and rows over the record limit included.
    #[test]
    fn chunked_reading_is_the_sequential_reading(
        text in chunked_csv(),
        threads in 2usize..5,
        chunk in 1usize..200,
        keep_going in any::<bool>(),
        max in prop::option::of(40u64..150),
    ) {
        let one = data::with_chunking(1, chunk, || read_in_full(&text, keep_going, max));
        let many = data::with_chunking(threads, chunk, || read_in_full(&text, keep_going, max));
        prop_assert_eq!(one, many, "{:?}", text);
    }
}
