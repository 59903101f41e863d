//! Every flag that takes one of a few names (`--format`, `--style`,
//! `--detail`, `--encoding`, `--delimiter`, `check --format`), parsed one way:
//! each value type lists its names once ([`Choice::VALUES`]) and clap reads
//! them through [`choice`]. The library types keep no clap in them; their
//! names on the command line are spelled here.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use kmgov::data::Encoding;
use kmgov::export::Format;

/// A flag value that is one of a few names.
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    /// Each value's name on the command line, the value, and what it does
    /// (`""` when the name says it all), in the order `--help` lists them.
    const VALUES: &'static [(&'static str, Self, &'static str)];

    /// Whether `--help` and the error for another text list the names.
    /// Flags that also take other spellings (`gbk`, `comma`) say their
    /// names in their own help and in [`unknown`](Choice::unknown) instead.
    const LISTED: bool = true;

    /// The value `text` spells: one of the names exactly, unless the type
    /// takes more spellings.
    fn from_name(text: &str) -> Option<Self> {
        Self::VALUES
            .iter()
            .find(|(name, ..)| *name == text)
            .map(|&(_, value, _)| value)
    }

    /// Why `text` is refused, when the names are not [`LISTED`](Choice::LISTED).
    fn unknown(text: &str) -> String {
        format!("unknown value `{text}`")
    }

    /// The name of this value, as a command line spells it.
    fn name(self) -> Option<&'static str> {
        Self::VALUES
            .iter()
            .find(|(_, value, _)| *value == self)
            .map(|&(name, ..)| name)
    }
}

/// The clap value parser of a [`Choice`].
pub fn choice<T: Choice>() -> ChoiceParser<T> {
    ChoiceParser(PhantomData)
}

/// Parses a [`Choice`]: a listed one through clap's own list of possible
/// values (so `--help` shows them and a wrong name gets clap's message with
/// its "similar value" tip), another through [`Choice::from_name`].
#[derive(Clone, Copy)]
pub struct ChoiceParser<T>(PhantomData<fn() -> T>);

impl<T: Choice> ChoiceParser<T> {
    /// The names as clap shows them, with their help.
    fn possible() -> impl Iterator<Item = PossibleValue> {
        T::VALUES.iter().map(|&(name, _, help)| {
            let value = PossibleValue::new(name);
            if help.is_empty() {
                value
            } else {
                value.help(help)
            }
        })
    }
}

impl<T: Choice> TypedValueParser for ChoiceParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let parse = |text: &str| T::from_name(text).ok_or_else(|| T::unknown(text));
        if T::LISTED {
            let name = PossibleValuesParser::new(Self::possible()).parse_ref(cmd, arg, value)?;
            return parse.parse_ref(cmd, arg, OsStr::new(&name));
        }
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        T::LISTED.then(|| Box::new(Self::possible()) as Box<dyn Iterator<Item = _>>)
    }
}

/// `a, b or c`, for a message that says what to use instead.
fn one_of(names: impl Iterator<Item = String>, comma: &str) -> String {
    let names: Vec<String> = names.collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(comma)),
        None => String::new(),
    }
}

impl Choice for Format {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        ("table", Format::Table, ""),
        ("csv", Format::Csv, ""),
        ("json", Format::Json, ""),
        ("markdown", Format::Markdown, ""),
        (
            "xlsx",
            Format::Xlsx,
            "An Excel workbook (to a file or a pipe, not a terminal)",
        ),
    ];
}

/// `--style`: how the table draws borders and rank changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Box-drawing borders, arrows for rank changes.
    Unicode,
    /// `+`, `-`, `|` borders; `+1`/`-1`/`0` for rank changes.
    Ascii,
}

impl Choice for Style {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "unicode",
            Style::Unicode,
            "Box-drawing borders, arrows for rank changes",
        ),
        (
            "ascii",
            Style::Ascii,
            "`+`, `-`, `|` borders; `+1`/`-1`/`0` for rank changes",
        ),
    ];
}

/// `--sort`: the order of each period's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// By rank, highest composite first.
    Rank,
    /// By division code.
    Code,
}

impl Choice for SortOrder {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        ("rank", SortOrder::Rank, "By rank, highest composite first"),
        (
            "code",
            SortOrder::Code,
            "By division code ([data] code); ranks are unchanged",
        ),
    ];
}

impl Choice for kmgov::export::Lang {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        ("en", kmgov::export::Lang::En, "English headings and labels"),
        (
            "zh",
            kmgov::export::Lang::Zh,
            "Chinese headings and labels (排名, 综合得分, 全市 …)",
        ),
    ];
}

/// `--sheet` and `--sheets-as-periods`: where the data are in a workbook.
#[derive(Debug, Clone, clap::Args)]
pub struct Sheets {
    /// Workbook data: the sheet to read, by name or number from 1 (default: the first whose header names the unit and period columns)
    #[arg(long, value_name = "SHEET")]
    sheet: Option<String>,
    /// Workbook data: one sheet per period, named after it (no period column)
    #[arg(long, conflicts_with = "sheet")]
    sheets_as_periods: bool,
}

impl Sheets {
    /// The library's options.
    pub fn options(&self) -> kmgov::system::sheets::SheetOptions {
        kmgov::system::sheets::SheetOptions {
            sheet: self.sheet.clone(),
            sheets_as_periods: self.sheets_as_periods,
        }
    }
}

/// `--detail`: one kind of detail beside the composites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailPart {
    /// Each dimension's rank and change.
    Dimensions,
    /// Each indicator's raw value, normalised score and global weight.
    Indicators,
    /// Each group's score (and in JSON its rank and change).
    Groups,
}

impl Choice for DetailPart {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "dimensions",
            DetailPart::Dimensions,
            "Each dimension's rank and change",
        ),
        (
            "indicators",
            DetailPart::Indicators,
            "Each indicator's raw value, normalised score and global weight",
        ),
        (
            "groups",
            DetailPart::Groups,
            "Each group's score, for indices with groups below the dimensions",
        ),
    ];
}

/// `check --format`: where and how the listing goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    /// Text on standard error.
    Text,
    /// JSON on standard output.
    Json,
}

impl Choice for CheckFormat {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        ("text", CheckFormat::Text, ""),
        ("json", CheckFormat::Json, ""),
    ];
}

impl Choice for Encoding {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        ("auto", Encoding::Auto, ""),
        ("utf-8", Encoding::Utf8, ""),
        ("gb18030", Encoding::Gb18030, ""),
        ("utf-16le", Encoding::Utf16Le, ""),
        ("utf-16be", Encoding::Utf16Be, ""),
    ];
    // Also `gbk`, `UTF8`, `utf-16` and other spellings people use.
    const LISTED: bool = false;

    fn from_name(text: &str) -> Option<Self> {
        Encoding::parse(text)
    }

    fn unknown(text: &str) -> String {
        let names = Self::VALUES.iter().map(|(name, ..)| name.to_string());
        format!("unknown encoding `{text}`: use {}", one_of(names, ", "))
    }
}

/// `--delimiter`: the byte between fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiter(pub u8);

impl Choice for Delimiter {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        (",", Delimiter(b','), ""),
        (";", Delimiter(b';'), ""),
        ("tab", Delimiter(b'\t'), ""),
        ("|", Delimiter(b'|'), ""),
    ];
    // Also `comma`, `\t`, a tab itself and other spellings.
    const LISTED: bool = false;

    fn from_name(text: &str) -> Option<Self> {
        kmgov::data::parse_delimiter(text).map(Delimiter)
    }

    fn unknown(text: &str) -> String {
        let names = Self::VALUES.iter().map(|(name, ..)| format!("`{name}`"));
        format!("unknown delimiter `{text}`: use {}", one_of(names, " "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_say_what_to_use() {
        assert_eq!(
            Encoding::unknown("latin1"),
            "unknown encoding `latin1`: use auto, utf-8, gb18030, utf-16le or utf-16be"
        );
        assert_eq!(
            Delimiter::unknown("x"),
            "unknown delimiter `x`: use `,` `;` `tab` or `|`"
        );
    }

    #[test]
    fn every_name_reads_back_as_its_value() {
        fn round_trip<T: Choice + std::fmt::Debug>() {
            for &(name, value, _) in T::VALUES {
                assert_eq!(T::from_name(name), Some(value), "{name}");
                assert_eq!(value.name(), Some(name));
            }
        }
        round_trip::<Format>();
        round_trip::<Style>();
        round_trip::<DetailPart>();
        round_trip::<CheckFormat>();
        round_trip::<Encoding>();
        round_trip::<Delimiter>();
    }

    #[test]
    fn other_spellings_are_read_where_the_library_reads_them() {
        assert_eq!(Encoding::from_name("GBK"), Some(Encoding::Gb18030));
        assert_eq!(Delimiter::from_name("comma"), Some(Delimiter(b',')));
        assert_eq!(Format::from_name("Csv"), None);
    }
}
