//! The same data spelt another way must give the same scores.
//!
//! Arbitrary bytes describe a small panel — 2–5 units, 1–3 periods, two
//! indicators (one lower-is-better), values with two decimals or missing,
//! unit names from a small alphabet of Chinese and accented Latin names —
//! and a normalisation. The panel is written as CSV text in UTF-8 with `,`,
//! then spelt other ways: GB18030 (with `--encoding gb18030`, and detected),
//! `;` as the separator, full-width periods (`２０１９`), unit names in NFD
//! (`Zu` + U+0308 for `Zü`) or with a zero-width space, and all of these at
//! once. Each is read, scored and written as CSV by the library.
//!
//! Every spelling must give the UTF-8 reading's CSV output byte for byte, or
//! the same error messages. Detection alone may instead refuse with an
//! error about the encoding (text that reads plausibly both ways). A
//! different number, or an output where the UTF-8 reading failed, is a
//! finding. One input in 32 also puts 64 KiB of rows before the panel,
//! past the part of the file from which the encoding is decided: then the
//! file in GB18030 must read the same (or be refused for its encoding), and
//! the panel's rows in GB18030 after UTF-8 rows must be refused.

#![no_main]

use std::io::Cursor;
use std::sync::LazyLock;

use kmgov::data::{self, Encoding, ReadOptions};
use kmgov::error::DataError;
use kmgov::export::Format;
use kmgov::report::{Report, Selection};
use kmgov::{Definition, Error, pipeline};
use libfuzzer_sys::fuzz_target;
use unicode_normalization::UnicodeNormalization;

/// Unit names, all distinct after normalisation: Chinese (GB2312 and one
/// character outside it, 鿏), Latin with accents that NFD takes apart.
const NAMES: [&str; 10] = [
    "五华区",
    "盘龙区",
    "官渡区",
    "西山区",
    "呈贡区",
    "Zürich",
    "Ångström",
    "São Paulo",
    "Ærøskøbing",
    "鿏城",
];

const METHODS: [&str; 5] = ["minmax", "zscore", "goalposts", "efficacy", "rank"];

/// Reads bytes one at a time, zero once they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&first, rest)) => {
                self.0 = rest;
                first
            }
            None => 0,
        }
    }
}

/// The panel the bytes describe.
struct Panel {
    method: &'static str,
    units: Vec<&'static str>,
    periods: usize,
    /// `values[period][unit]`: x and y as text, `""` when missing.
    values: Vec<Vec<[String; 2]>>,
    /// Put 64 KiB of rows before the panel: ASCII ones (`Some(true)`) or Chinese.
    padded: Option<bool>,
}

impl Panel {
    fn from_bytes(bytes: &[u8]) -> Panel {
        let mut bytes = Bytes(bytes);
        let flags = bytes.next();
        let method = METHODS[usize::from(bytes.next()) % METHODS.len()];
        let unit_count = 2 + usize::from(bytes.next()) % 4;
        let periods = 1 + usize::from(bytes.next()) % 3;
        let mut left: Vec<&'static str> = NAMES.to_vec();
        let units: Vec<&'static str> = (0..unit_count)
            .map(|_| left.remove(usize::from(bytes.next()) % left.len()))
            .collect();
        let mut value = || {
            let (high, low) = (bytes.next(), bytes.next());
            if high == 0xFF {
                return String::new();
            }
            let hundredths = u32::from(high) << 8 | u32::from(low);
            format!("{}.{:02}", hundredths / 100, hundredths % 100)
        };
        let values = (0..periods)
            .map(|_| (0..unit_count).map(|_| [value(), value()]).collect())
            .collect();
        Panel {
            method,
            units,
            periods,
            values,
            padded: (flags & 0x1F == 0x07).then_some(flags & 0x20 != 0),
        }
    }

    fn definition(&self) -> Definition {
        let text = format!(
            "[index]\nname = \"D\"\n[method]\nnormalize = \"{}\"\n\
             [[dimension]]\nid = \"a\"\n\
             [[dimension.indicator]]\nid = \"x\"\ngoalposts = [0, 400]\n\
             [[dimension.indicator]]\nid = \"y\"\ndirection = \"lower\"\ngoalposts = [100, 600]\n",
            self.method
        );
        Definition::from_toml(&text, "d.toml").expect("the fuzz definition is valid")
    }

    /// The header, and the panel's rows spelt as `spelling` says.
    fn csv(&self, spelling: Spelling) -> (String, String) {
        let d = spelling.delimiter;
        let header = format!("unit{d}period{d}x{d}y\n");
        let mut rows = String::new();
        for period in 0..self.periods {
            let mut label = (2017 + period).to_string();
            if spelling.full_width_periods {
                label = label
                    .chars()
                    .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
                    .collect();
            }
            for (unit, [x, y]) in self.units.iter().zip(&self.values[period]) {
                let mut name: String = if spelling.nfd {
                    unit.nfd().collect()
                } else {
                    unit.to_string()
                };
                if spelling.zero_width {
                    let first = name.chars().next().map_or(0, char::len_utf8);
                    name.insert(first, '\u{200B}');
                }
                rows.push_str(&format!("{name}{d}{label}{d}{x}{d}{y}\n"));
            }
        }
        (header, rows)
    }
}

/// How the panel is written, besides its encoding.
#[derive(Debug, Clone, Copy)]
struct Spelling {
    delimiter: char,
    full_width_periods: bool,
    nfd: bool,
    zero_width: bool,
}

const PLAIN: Spelling = Spelling {
    delimiter: ',',
    full_width_periods: false,
    nfd: false,
    zero_width: false,
};

/// Rows enough to pass the first 64 KiB, in the first period, with ASCII
/// names and notes (`pad0`…) when `ascii`, else Chinese (`填充0`…): few
/// rows with long notes, so that scoring them costs little. Made once, in
/// UTF-8 and in GB18030, since encoding 100 KB is most of an execution.
fn padding(ascii: bool) -> &'static (String, Vec<u8>) {
    static PADDING: LazyLock<[(String, Vec<u8>); 2]> =
        LazyLock::new(|| [make_padding(true), make_padding(false)]);
    &PADDING[usize::from(!ascii)]
}

fn make_padding(ascii: bool) -> (String, Vec<u8>) {
    let (name, note) = if ascii {
        ("pad", "note ".repeat(800))
    } else {
        ("填充", "备注".repeat(700))
    };
    let mut text = String::from("unit,period,x,y,note\n");
    let mut i = 0u32;
    // More than 64 KiB in GB18030 too, where Chinese takes two bytes, not three.
    while text.len() < 100 * 1024 {
        text.push_str(&format!(
            "{name}{i},2017,{},{},{note}\n",
            i * 13 % 397,
            100 + i * 29 % 499
        ));
        i += 1;
    }
    let gb = gb18030(&text);
    (text, gb)
}

fn gb18030(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

/// The CSV output for the bytes, or the error's messages.
fn scores(definition: &Definition, bytes: Vec<u8>, encoding: Encoding) -> Result<Vec<u8>, Error> {
    let options = ReadOptions {
        encoding,
        ..ReadOptions::default()
    };
    let panel = data::read_from(Box::new(Cursor::new(bytes)), "p.csv", definition, options)?;
    let scores = pipeline::score(definition, panel)?;
    let report = Report::build(definition, &scores).select(&Selection::All)?;
    Ok(Format::Csv.exporter().render(&report))
}

type Outcome = Result<Vec<u8>, Vec<String>>;

fn outcome(result: Result<Vec<u8>, Error>) -> Outcome {
    result.map_err(|error| error.problems().iter().map(ToString::to_string).collect())
}

/// True for an error about the text's encoding alone: it could not be
/// decided, the file mixes two, or (read as UTF-8) a cell is not UTF-8.
fn refused_for_its_encoding(result: &Result<Vec<u8>, Error>) -> bool {
    match result {
        Err(Error::Data(errors)) => errors.iter().all(|error| {
            matches!(
                error,
                DataError::AmbiguousEncoding { .. }
                    | DataError::MixedEncoding { .. }
                    | DataError::LateGb18030 { .. }
                    | DataError::BadBytes { .. }
                    | DataError::Encoding { .. }
                    | DataError::ReadAs { .. }
                    | DataError::NotChinese { .. }
            )
        }),
        _ => false,
    }
}

fn text(outcome: &Outcome) -> String {
    match outcome {
        Ok(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        Err(messages) => messages.join("\n"),
    }
}

fn same(what: &str, found: Outcome, expected: &Outcome) {
    assert!(
        found == *expected,
        "{what} differs from UTF-8:\n--- UTF-8\n{}\n--- {what}\n{}",
        text(expected),
        text(&found)
    );
}

fn differential(panel: &Panel) {
    let definition = panel.definition();
    let (header, rows) = panel.csv(PLAIN);
    let plain = format!("{header}{rows}");
    let expected = outcome(scores(
        &definition,
        plain.clone().into_bytes(),
        Encoding::Auto,
    ));

    same(
        "GB18030 (given)",
        outcome(scores(&definition, gb18030(&plain), Encoding::Gb18030)),
        &expected,
    );
    let detected = scores(&definition, gb18030(&plain), Encoding::Auto);
    if !refused_for_its_encoding(&detected) {
        same("GB18030 (detected)", outcome(detected), &expected);
    }
    let spellings = [
        (
            "`;`",
            Spelling {
                delimiter: ';',
                ..PLAIN
            },
        ),
        (
            "full-width periods",
            Spelling {
                full_width_periods: true,
                ..PLAIN
            },
        ),
        ("NFD names", Spelling { nfd: true, ..PLAIN }),
        (
            "zero-width names",
            Spelling {
                zero_width: true,
                ..PLAIN
            },
        ),
    ];
    for (what, spelling) in spellings {
        let (header, rows) = panel.csv(spelling);
        let bytes = format!("{header}{rows}").into_bytes();
        same(
            what,
            outcome(scores(&definition, bytes, Encoding::Auto)),
            &expected,
        );
    }
    let all = Spelling {
        delimiter: ';',
        full_width_periods: true,
        nfd: true,
        zero_width: true,
    };
    let (header, rows) = panel.csv(all);
    same(
        "everything at once, in GB18030",
        outcome(scores(
            &definition,
            gb18030(&format!("{header}{rows}")),
            Encoding::Gb18030,
        )),
        &expected,
    );
}

/// The panel after 64 KiB of other rows: GB18030 reads as UTF-8 does (or
/// is refused for its encoding), and GB18030 rows after UTF-8 ones are refused.
fn past_the_sample(panel: &Panel, ascii: bool) {
    let definition = panel.definition();
    let (_, rows) = panel.csv(PLAIN);
    // The panel's rows leave the note empty.
    let rows = rows.replace('\n', ",\n");
    let (before, before_gb) = padding(ascii);
    let expected = outcome(scores(
        &definition,
        format!("{before}{rows}").into_bytes(),
        Encoding::Auto,
    ));
    let rows_gb = gb18030(&rows);
    let detected = scores(
        &definition,
        [&before_gb[..], &rows_gb].concat(),
        Encoding::Auto,
    );
    if !refused_for_its_encoding(&detected) {
        same(
            "GB18030 past 64 KiB (detected)",
            outcome(detected),
            &expected,
        );
    }
    let mixed = [before.as_bytes(), &rows_gb].concat();
    let found = scores(&definition, mixed, Encoding::Auto);
    assert!(
        refused_for_its_encoding(&found),
        "GB18030 rows after 64 KiB of UTF-8 were not refused:\n{}",
        text(&outcome(found))
    );
}

fuzz_target!(|bytes: &[u8]| {
    let panel = Panel::from_bytes(bytes);
    differential(&panel);
    if let Some(ascii) = panel.padded {
        past_the_sample(&panel, ascii);
    }
});
