//! Opening the data: a file or standard input, decoded to UTF-8.
//!
//! Input is streamed, so a million-row file is never held whole in memory.
//! Excel in a Chinese locale saves CSV as GBK/GB18030: the encoding is decided
//! on the evidence of the first 64 KiB, and every later line with a byte
//! above ASCII is judged on the same evidence as it streams past, so rows in
//! the other encoding further down stop the reading instead of being decoded
//! as the wrong one. ASCII lines cost only a count of their line breaks.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::{cell::RefCell, rc::Rc};

use crate::error::{DataError, Location, Problem};

/// Where the data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

impl Input {
    /// `-` is standard input, anything else a path.
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }

    /// The name used in messages.
    pub fn name(&self) -> String {
        match self {
            Input::Path(path) => path.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }

    /// The path, when the input is a file.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Path(path) => Some(path),
            Input::Stdin => None,
        }
    }

    /// Opens the input for reading.
    pub fn open(&self) -> Result<Box<dyn Read>, DataError> {
        match self {
            Input::Path(path) => {
                let file = File::open(path).map_err(|source| DataError::Io {
                    path: self.name(),
                    source,
                })?;
                if file.metadata().is_ok_and(|m| m.is_dir()) {
                    return Err(DataError::Io {
                        path: self.name(),
                        source: io::Error::other("it is a folder, not a file"),
                    });
                }
                Ok(Box::new(file))
            }
            Input::Stdin => Ok(Box::new(io::stdin())),
        }
    }
}

/// The text encoding of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Decided from the first 64 KiB on evidence: a byte order mark, UTF-16's
    /// zero bytes, or which of UTF-8 and GB18030 reads as plausible text.
    /// Ambiguous or mixed text is refused rather than guessed.
    #[default]
    Auto,
    /// UTF-8 (a BOM is allowed).
    Utf8,
    /// GB18030, which includes GBK and GB2312.
    Gb18030,
    /// UTF-16, little-endian (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

impl Encoding {
    /// Parses `auto`, `utf-8`/`utf8`, `gb18030`/`gbk`/`gb2312`/`cp936`,
    /// `utf-16le`/`utf-16be`.
    pub fn parse(text: &str) -> Option<Encoding> {
        match text.to_ascii_lowercase().as_str() {
            "auto" => Some(Encoding::Auto),
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Some(Encoding::Gb18030),
            "utf-16le" | "utf16le" | "utf-16" | "utf16" => Some(Encoding::Utf16Le),
            "utf-16be" | "utf16be" => Some(Encoding::Utf16Be),
            _ => None,
        }
    }

    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Auto | Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Gb18030 => encoding_rs::GB18030,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
        }
    }
}

const SNIFF_BYTES: usize = 64 * 1024;

/// The data as a UTF-8 byte stream, with what was assumed about its encoding.
pub struct Decoded {
    /// UTF-8 bytes.
    pub reader: Box<dyn Read>,
    /// The encoding assumed, when it was detected and is not UTF-8; the
    /// user hears of it whether the reading then succeeds or fails.
    pub assumed: Option<Assumed>,
    /// A warning about the first 64 KiB, such as stray bytes in UTF-8 text.
    pub note: Option<Problem>,
    /// Warnings about lines past the first 64 KiB, found as they are read.
    pub late: LateNotes,
}

/// An encoding that was detected rather than given.
#[derive(Debug, Clone, Copy)]
pub struct Assumed {
    /// As shown: `GB18030 (GBK)`, `UTF-16LE`.
    shown: &'static str,
    /// The `--encoding` value that says so.
    flag: &'static str,
    /// On what evidence.
    why: &'static str,
}

impl Assumed {
    /// The note that says which encoding was assumed, as a warning.
    pub fn into_error(self, name: &str) -> DataError {
        DataError::ReadAs {
            path: name.to_string(),
            encoding: self.shown.to_string(),
            flag: self.flag.to_string(),
            why: self.why.to_string(),
        }
    }
}

/// Warnings that the stream finds while it is read, collected for the panel.
#[derive(Debug, Clone, Default)]
pub struct LateNotes(Rc<RefCell<Vec<Problem>>>);

impl LateNotes {
    /// The warnings found so far, leaving none.
    pub fn take(&self) -> Vec<Problem> {
        std::mem::take(&mut self.0.borrow_mut())
    }

    fn push(&self, problem: Problem) {
        self.0.borrow_mut().push(problem);
    }
}

/// A problem found while decoding the stream, carried through the CSV
/// reader inside an `io::Error` and turned back into a [`DataError`].
#[derive(Debug, Clone)]
pub(super) enum StreamError {
    /// Bytes that the encoding cannot decode.
    BadBytes {
        line: u64,
        offset: u64,
        bytes: Vec<u8>,
        encoding: &'static str,
        detected: bool,
    },
    /// A line in the other encoding than the one the file was found to be in.
    Mixed { utf8_line: u64, gb18030_line: u64 },
    /// A GB18030 line after lines that gave no sign of either encoding.
    LateGb18030 { line: u64, text: String },
    /// Lines plausible in both encodings, and none to tell them apart.
    Ambiguous {
        line: u64,
        utf8: String,
        gb18030: String,
    },
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::BadBytes { encoding, .. } => write!(f, "bytes that are not {encoding}"),
            _ => write!(f, "text in an unexpected encoding"),
        }
    }
}

impl std::error::Error for StreamError {}

impl StreamError {
    pub(super) fn into_error(self, name: &str) -> DataError {
        match self {
            StreamError::BadBytes {
                line,
                offset,
                bytes,
                encoding,
                detected,
            } => DataError::BadBytes {
                at: Location::line(name, line),
                offset,
                bytes,
                encoding: encoding.to_string(),
                detected,
            },
            StreamError::Mixed {
                utf8_line,
                gb18030_line,
            } => DataError::MixedEncoding {
                path: name.to_string(),
                utf8_line,
                gb18030_line,
            },
            StreamError::LateGb18030 { line, text } => DataError::LateGb18030 {
                at: Location::line(name, line),
                text,
            },
            StreamError::Ambiguous {
                line,
                utf8,
                gb18030,
            } => DataError::AmbiguousEncoding {
                at: Location::line(name, line),
                utf8,
                gb18030,
            },
        }
    }
}

/// Decodes `reader` to a UTF-8 byte stream, following `encoding`.
///
/// With `Auto`, the first 64 KiB decide the encoding, and every later line
/// with bytes above ASCII is judged on the same evidence as it streams past:
/// a line in the other encoding stops the reading with an error naming it.
/// An encoding given with `--encoding` is taken as given, without judging.
pub fn decode(
    mut reader: Box<dyn Read>,
    encoding: Encoding,
    name: &str,
) -> Result<Decoded, DataError> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if let Err(source) = (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
    {
        // Nothing read: the path is the likely cause. Part read: the file
        // failed on the way, at the line reached.
        return Err(if head.is_empty() {
            DataError::Io {
                path: name.to_string(),
                source,
            }
        } else {
            DataError::ReadFailed {
                at: Location::line(name, memchr::memchr_iter(b'\n', &head).count() as u64 + 1),
                message: source.to_string(),
            }
        });
    }
    if let Some(what) = not_text(&head) {
        return Err(DataError::NotText {
            path: name.to_string(),
            what: what.to_string(),
        });
    }
    let late = LateNotes::default();
    let decoded = |reader: Box<dyn Read>| Decoded {
        reader,
        assumed: None,
        note: None,
        late: late.clone(),
    };
    let plain =
        |head: Vec<u8>, reader| -> Box<dyn Read> { Box::new(Cursor::new(head).chain(reader)) };

    if let Some((bom_encoding, bom_length)) = encoding_rs::Encoding::for_bom(&head) {
        head.drain(..bom_length);
        if bom_encoding != encoding_rs::UTF_8 {
            // The byte order mark is decisive: UTF-16, as Excel's "Unicode text".
            return Ok(decoded(Box::new(
                Transcoder::new(head, reader, bom_encoding, false).after(bom_length),
            )));
        }
        if encoding != Encoding::Auto {
            return Ok(decoded(plain(head, reader)));
        }
        // The mark says UTF-8 from line 1; rows pasted in from a GBK file
        // would still be GBK.
        let mut judge = Judge::new(Expect::Utf8(1), name, late.clone());
        judge.skip(&[], bom_length as u64);
        return Ok(decoded(Box::new(Watch::new(plain(head, reader), judge))));
    }
    match encoding {
        Encoding::Auto => {}
        Encoding::Utf8 => return Ok(decoded(plain(head, reader))),
        other => {
            return Ok(decoded(Box::new(Transcoder::new(
                head,
                reader,
                other.codec(),
                false,
            ))));
        }
    }
    let detection = detect(&head, name)?;
    // Lines the detection judged are not judged again; the rest of the
    // stream, from the line the sample cut, is.
    let judged = if head.len() == SNIFF_BYTES {
        head.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1)
    } else {
        head.len()
    };
    let rest = head.split_off(judged);
    let (expect, note, assumed, encoding) = match detection {
        Detected::Utf8 { note, first } => {
            let expect = first.map_or(Expect::Undecided, Expect::Utf8);
            (Some(expect), note, None, None)
        }
        Detected::Other {
            encoding,
            why,
            first,
        } => {
            let (shown, flag) = match encoding.name() {
                "gb18030" => ("GB18030 (GBK)", "gb18030"),
                "UTF-16BE" => ("UTF-16BE", "utf-16be"),
                _ => ("UTF-16LE", "utf-16le"),
            };
            let assumed = Assumed { shown, flag, why };
            (
                first.map(Expect::Gb18030),
                None,
                Some(assumed),
                Some(encoding),
            )
        }
    };
    let mut source = plain(rest, reader);
    if let Some(expect) = expect {
        let mut judge = Judge::new(expect, name, late.clone());
        judge.skip(&head, 0);
        judge.stray_noted = note.is_some();
        source = Box::new(Watch::new(source, judge));
    }
    let reader: Box<dyn Read> = match encoding {
        None => plain(head, source),
        Some(encoding) => Box::new(Transcoder::new(head, source, encoding, true)),
    };
    Ok(Decoded {
        reader,
        assumed,
        note,
        late,
    })
}

/// What a workbook or other binary file is, recognised by content.
fn not_text(head: &[u8]) -> Option<&'static str> {
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if head.starts_with(b"PK\x03\x04") {
        return Some(if contains(b"xl/") {
            "an Excel workbook (.xlsx)"
        } else if contains(b"content.xml") || contains(b"opendocument.spreadsheet") {
            "an OpenDocument spreadsheet (.ods)"
        } else {
            "a ZIP archive"
        });
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some("an Excel workbook (.xls, or another Office file)");
    }
    // A stray NUL in a cell is data; text that is mostly NULs is not text
    // (unless it is UTF-16, whose zero bytes sit all on one side).
    let nuls = head.iter().filter(|&&b| b == 0).count();
    let utf16_bom = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if nuls * 10 > head.len() && !utf16_bom && utf16_without_bom(head).is_none() {
        return Some("binary data (it is full of zero bytes)");
    }
    None
}

/// UTF-16 without a byte order mark: CSV is mostly ASCII (commas, digits,
/// line breaks), whose UTF-16 has a zero byte in every other place.
fn utf16_without_bom(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &head[..head.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let zeros = |start: usize| {
        sample
            .iter()
            .skip(start)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let pairs = sample.len() / 2;
    let encoding = if odd * 4 >= pairs && even * 20 <= odd {
        encoding_rs::UTF_16LE
    } else if even * 4 >= pairs && odd * 20 <= even {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    let (_, malformed) = encoding.decode_without_bom_handling(sample);
    (!malformed).then_some(encoding)
}

/// The outcome of [`detect`].
enum Detected {
    /// Stream as UTF-8, with a warning when some bytes are not; `first` is
    /// the first line that is UTF-8 and not ASCII, if any.
    Utf8 {
        note: Option<Problem>,
        first: Option<u64>,
    },
    /// Decode with this encoding, for this reason; `first` is the first
    /// line that showed it (none for UTF-16).
    Other {
        encoding: &'static encoding_rs::Encoding,
        why: &'static str,
        first: Option<u64>,
    },
}

/// How one line of the head reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineReading {
    /// ASCII: the same in both.
    Ascii,
    /// Valid UTF-8, and not plausible GB18030.
    Utf8,
    /// Not UTF-8, valid and plausible GB18030.
    Gb18030,
    /// Plausible as both.
    Both,
    /// Neither.
    Neither,
}

/// Decides between UTF-8 and GB18030 on the head, line by line: each line
/// with non-ASCII bytes is decoded both ways and judged by whether it is
/// valid and reads as plausible text. UTF-16 is recognised by its zero bytes.
fn detect(head: &[u8], name: &str) -> Result<Detected, DataError> {
    if let Some(encoding) = utf16_without_bom(head) {
        return Ok(Detected::Other {
            encoding,
            why: "no byte order mark, but every other byte is zero",
            first: None,
        });
    }
    if head.is_ascii() {
        return Ok(Detected::Utf8 {
            note: None,
            first: None,
        });
    }
    // A line cut by the end of the sample is left out.
    let head = if head.len() == SNIFF_BYTES {
        let end = head.iter().rposition(|&b| b == b'\n').unwrap_or(head.len());
        &head[..end]
    } else {
        head
    };
    let readings = Readings::of(head);
    let first = |wanted: LineReading| readings.first(wanted);
    let (mut utf8, mut gb, both, neither) = (
        first(LineReading::Utf8),
        first(LineReading::Gb18030),
        first(LineReading::Both),
        first(LineReading::Neither),
    );
    // Lines that are neither, many of them: not text at all (random bytes
    // have short lines that pass for either by chance).
    let bad = readings.count(LineReading::Neither);
    if bad >= 8 && bad * 4 > readings.non_ascii() {
        (utf8, gb) = (None, None);
    }
    match (utf8, gb, neither) {
        (Some((utf8_line, _)), Some((gb18030_line, _)), _) => Err(DataError::MixedEncoding {
            path: name.to_string(),
            utf8_line,
            gb18030_line,
        }),
        (Some((first, _)), None, neither) => Ok(Detected::Utf8 {
            note: neither.map(|(line, start)| {
                let offset = start + first_bad_utf8(line_at(head, start)).start;
                stray_bytes_note(line, offset as u64, name)
            }),
            first: Some(first),
        }),
        (None, gb, Some((line, start))) => {
            let line_bytes = line_at(head, start);
            let (range, encoding) = if gb.is_some() {
                (first_bad_gb18030(line_bytes), "GB18030")
            } else {
                (first_bad_utf8(line_bytes), "UTF-8 or GB18030")
            };
            Err(DataError::BadBytes {
                at: Location::line(name, line),
                offset: (start + range.start) as u64,
                bytes: line_bytes[range].to_vec(),
                encoding: encoding.to_string(),
                detected: true,
            })
        }
        (None, Some((first, _)), None) => {
            if let Some((line, start, language)) = korean_or_japanese(head, &readings) {
                let (_, gb18030) = both_readings(line_at(head, start));
                return Err(DataError::NotChinese {
                    at: Location::line(name, line),
                    text: gb18030,
                    language: language.to_string(),
                });
            }
            Ok(Detected::Other {
                encoding: encoding_rs::GB18030,
                why: "detected: the text is not plausible UTF-8 but reads as Chinese in GB18030/GBK",
                first: Some(first),
            })
        }
        (None, None, None) => match both {
            Some((line, start)) => {
                let (utf8, gb18030) = both_readings(line_at(head, start));
                Err(DataError::AmbiguousEncoding {
                    at: Location::line(name, line),
                    utf8,
                    gb18030,
                })
            }
            None => Ok(Detected::Utf8 {
                note: None,
                first: None,
            }),
        },
    }
}

/// The language of text that reads as GB2312 Chinese but is not: the
/// first line that shows it, where that line starts, and the language.
///
/// EUC-JP and EUC-KR put their characters in the same two-byte ranges as
/// GB2312, so such a file decodes as Chinese without an error. Two cheap
/// signs tell them apart: GB2312's rows A4 and A5 hold the Japanese kana
/// (EUC-JP's kana, and EUC-KR's Hangul letters, sit there too), which a
/// Chinese name never contains; and EUC-KR's Hangul syllables fill rows B0
/// to C8 and nothing else, where Chinese text of 20 different characters
/// has, but for a chance of about 1 in 30,000, some from rows C9 to F7
/// (the characters read `s` to `z`, such as 市, 县, 乡, 镇, 新, 西). Kanji-only
/// Japanese and short Korean text give neither sign (see the README).
fn korean_or_japanese(head: &[u8], readings: &Readings) -> Option<(u64, usize, &'static str)> {
    /// Different characters needed before rows B0–C8 alone mean Korean.
    const HANGUL_SAMPLE: usize = 20;
    let mut seen = std::collections::HashSet::new();
    let mut only_hangul_rows = true;
    let mut first_line = None;
    let gb_lines = readings
        .0
        .iter()
        .filter(|(reading, _, _)| matches!(reading, LineReading::Gb18030 | LineReading::Both));
    for &(_, line, start) in gb_lines {
        first_line.get_or_insert((line, start));
        let bytes = line_at(head, start);
        let mut i = 0;
        while i < bytes.len() {
            let lead = bytes[i];
            if lead < 0x80 {
                i += 1;
                continue;
            }
            let trail = bytes.get(i + 1).copied().unwrap_or(0);
            if (0x30..=0x39).contains(&trail) {
                i += 4;
                continue;
            }
            if (0xA1..=0xFE).contains(&trail) {
                if (0xA4..=0xA5).contains(&lead) {
                    return Some((line, start, "Japanese or Korean (EUC-JP or EUC-KR)"));
                }
                if lead >= 0xB0 {
                    only_hangul_rows &= lead <= 0xC8;
                    seen.insert((lead, trail));
                }
            }
            i += 2;
        }
    }
    let (line, start) = first_line?;
    (only_hangul_rows && seen.len() >= HANGUL_SAMPLE).then_some((line, start, "Korean (EUC-KR)"))
}

/// The first non-ASCII field of a line as UTF-8 and as GB18030, to show.
fn both_readings(line: &[u8]) -> (String, String) {
    let field = ambiguous_field(line);
    let (gb, _) = encoding_rs::GB18030.decode_without_bom_handling(field);
    (
        String::from_utf8_lossy(field).trim().to_string(),
        gb.trim().to_string(),
    )
}

/// The line of `head` that starts at `start`, without its line break.
fn line_at(head: &[u8], start: usize) -> &[u8] {
    let rest = &head[start..];
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    &rest[..end]
}

/// The first non-ASCII piece of a line, between separators, to show.
fn ambiguous_field(line: &[u8]) -> &[u8] {
    line.split(|&b| b == b',' || b == b';' || b == b'\t')
        .find(|piece| !piece.is_ascii())
        .unwrap_or(line)
}

/// How each line of the head reads, with where it starts.
struct Readings(Vec<(LineReading, u64, usize)>);

impl Readings {
    fn of(head: &[u8]) -> Readings {
        let mut start = 0;
        let mut lines = Vec::new();
        for (index, line) in head.split(|&b| b == b'\n').enumerate() {
            lines.push((read_line(line), index as u64 + 1, start));
            start += line.len() + 1;
        }
        Readings(lines)
    }

    /// The first line (from 1) that reads as `wanted`, and where it starts.
    fn first(&self, wanted: LineReading) -> Option<(u64, usize)> {
        self.0
            .iter()
            .find(|(reading, _, _)| *reading == wanted)
            .map(|&(_, line, start)| (line, start))
    }

    fn count(&self, wanted: LineReading) -> usize {
        self.0
            .iter()
            .filter(|(reading, _, _)| *reading == wanted)
            .count()
    }

    fn non_ascii(&self) -> usize {
        self.0.len() - self.count(LineReading::Ascii)
    }
}

/// How one line reads as UTF-8 and as GB18030.
fn read_line(line: &[u8]) -> LineReading {
    if line.is_ascii() {
        return LineReading::Ascii;
    }
    let gb = plausible_gb18030(line);
    match std::str::from_utf8(line) {
        Err(_) if gb => LineReading::Gb18030,
        Err(_) => LineReading::Neither,
        Ok(_) if !gb => LineReading::Utf8,
        Ok(text) => match utf8_reading(text) {
            Utf8Reading::Words => LineReading::Utf8,
            Utf8Reading::Implausible => LineReading::Gb18030,
            Utf8Reading::Plausible => LineReading::Both,
        },
    }
}

/// How plausible valid UTF-8 text is as text.
#[derive(Debug, PartialEq, Eq)]
enum Utf8Reading {
    /// Every two-byte character sits in a word of ASCII letters (`Zürich`):
    /// read as GB18030 it would put a Chinese character inside the word.
    Words,
    /// Runs of characters of one script.
    Plausible,
    /// C1 controls, private use, or runs mixing scripts or made of symbols:
    /// what GBK Chinese looks like read as UTF-8 (`°çзα`).
    Implausible,
}

fn utf8_reading(text: &str) -> Utf8Reading {
    let chars: Vec<char> = text.chars().collect();
    let mut in_words = true;
    let mut run_script = None;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii() {
            run_script = None;
            continue;
        }
        let script = script_of(c);
        if script == Script::Odd {
            return Utf8Reading::Implausible;
        }
        let beside_letter = [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .filter_map(|j| chars.get(j))
            .any(char::is_ascii_alphabetic);
        if script == Script::Symbol && !beside_letter {
            return Utf8Reading::Implausible;
        }
        if run_script.is_some_and(|s| s != script) {
            return Utf8Reading::Implausible;
        }
        run_script = Some(script);
        in_words &= beside_letter || c > '\u{7FF}';
    }
    if in_words {
        Utf8Reading::Words
    } else {
        Utf8Reading::Plausible
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    /// Latin-1 punctuation and signs, ¡ to ¿, × and ÷.
    Symbol,
    Latin,
    Greek,
    Cyrillic,
    /// Other two-byte scripts, each by its 128-character block.
    Block(u32),
    /// Three- and four-byte characters (CJK and the rest).
    Wide,
    /// C1 controls, private use, replacement character.
    Odd,
}

fn script_of(c: char) -> Script {
    match c {
        '\u{80}'..='\u{A0}' | '\u{E000}'..='\u{F8FF}' | '\u{FFFD}' => Script::Odd,
        '\u{A1}'..='\u{BF}' | '\u{D7}' | '\u{F7}' => Script::Symbol,
        '\u{C0}'..='\u{24F}' => Script::Latin,
        '\u{370}'..='\u{3FF}' => Script::Greek,
        '\u{400}'..='\u{52F}' => Script::Cyrillic,
        '\u{250}'..='\u{36F}' | '\u{530}'..='\u{7FF}' => Script::Block(c as u32 >> 7),
        _ => Script::Wide,
    }
}

/// Where the first malformed GB18030 sequence of a line is.
fn first_bad_gb18030(line: &[u8]) -> std::ops::Range<usize> {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = vec![0u8; line.len() * 3 + 16];
    match decoder.decode_to_utf8_without_replacement(line, &mut out, true) {
        (encoding_rs::DecoderResult::Malformed(bad, after), read, _) => {
            let end = read - usize::from(after);
            end.saturating_sub(usize::from(bad))..end
        }
        _ => first_bad_utf8(line),
    }
}

/// Where the first byte that breaks UTF-8 in a line is.
fn first_bad_utf8(line: &[u8]) -> std::ops::Range<usize> {
    match std::str::from_utf8(line) {
        Ok(_) => 0..0,
        Err(e) => {
            let start = e.valid_up_to();
            start..start + e.error_len().unwrap_or(line.len() - start)
        }
    }
}

/// Valid GB18030 whose two-byte characters are nearly all in GB2312, the
/// common Chinese characters that names and labels are written in.
fn plausible_gb18030(line: &[u8]) -> bool {
    // The count comes first: it is cheap, and it rejects UTF-8 Chinese,
    // every line of a UTF-8 file, without decoding.
    let (mut common, mut other) = (0usize, 0usize);
    let mut i = skip_ascii(line, 0);
    while i < line.len() {
        let b = line[i];
        if b < 0x80 {
            i = skip_ascii(line, i);
            continue;
        }
        let next = line.get(i + 1).copied().unwrap_or(0);
        if (0x30..=0x39).contains(&next) {
            // A four-byte GB18030 sequence: rare characters.
            other += 1;
            i += 4;
            continue;
        }
        if (0xA1..=0xF7).contains(&b) && (0xA1..=0xFE).contains(&next) {
            common += 1;
        } else {
            other += 1;
        }
        i += 2;
    }
    common > 0 && other * 10 <= common && !encoding_rs::GB18030.decode_without_bom_handling(line).1
}

/// The position of the first byte above ASCII in `bytes` from `from`, or
/// the end; eight bytes at a time, since most of a line is ASCII.
fn skip_ascii(bytes: &[u8], from: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(word) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if word & HIGH != 0 {
            break;
        }
        i += 8;
    }
    bytes[i.min(bytes.len())..]
        .iter()
        .position(|&b| b >= 0x80)
        .map_or(bytes.len(), |p| i + p)
}

/// A UTF-8 file with a few bytes that are not: read as UTF-8 (a cell that is
/// used and has them is an error at that cell), and say where they are.
fn stray_bytes_note(line: u64, offset: u64, name: &str) -> Problem {
    Problem::warning(
        Location::line(name, line).to_string(),
        format!(
            "read as UTF-8, but the bytes at byte offset {offset} are not UTF-8 (nor GB18030 \
             text); they are kept only if they are in a column kmgov does not read"
        ),
    )
    .with_hint("re-type the text on this line, or pass --encoding utf-8 to read as UTF-8 without this note")
}

/// What the lines read so far say the file's encoding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Nothing yet (ASCII, or text plausible both ways): read as UTF-8
    /// until a line says which.
    Undecided,
    /// UTF-8, as this line showed.
    Utf8(u64),
    /// GB18030, as this line showed.
    Gb18030(u64),
}

/// The longest line judged whole; a longer one is judged on its first
/// part (the record limit stops such a line in any case, unless raised).
const MAX_JUDGED_LINE: usize = 1 << 20;

/// Judges each line of a stream past the first 64 KiB on the evidence the
/// detection used on those (see [`read_line`]), so that rows in another
/// encoding further down cannot be decoded silently as the wrong one.
/// Only lines with a byte above ASCII are looked at.
struct Judge {
    expect: Expect,
    /// The line `pending` belongs to, from 1.
    line: u64,
    /// Where that line starts in the file, in bytes from 0.
    line_start: u64,
    /// Bytes fed so far.
    fed: u64,
    /// The start of a line whose end has not been fed yet.
    pending: Vec<u8>,
    /// The current line was longer than [`MAX_JUDGED_LINE`] and has been judged.
    overlong: bool,
    /// The first line plausible both ways, while [`Expect::Undecided`].
    ambiguous: Option<(u64, String, String)>,
    /// Stray bytes were reported already.
    stray_noted: bool,
    late: LateNotes,
    name: String,
}

impl Judge {
    fn new(expect: Expect, name: &str, late: LateNotes) -> Judge {
        Judge {
            expect,
            line: 1,
            line_start: 0,
            fed: 0,
            pending: Vec::new(),
            overlong: false,
            ambiguous: None,
            stray_noted: false,
            late,
            name: name.to_string(),
        }
    }

    /// Counts `judged` (whole lines already judged) and `extra` bytes (a
    /// byte order mark) as read, without judging them.
    fn skip(&mut self, judged: &[u8], extra: u64) {
        self.line += judged.iter().filter(|&&b| b == b'\n').count() as u64;
        self.fed += judged.len() as u64 + extra;
        self.line_start = self.fed;
    }

    /// Judges every line that `bytes` completes, and keeps the start of the
    /// last one for the next call.
    fn feed(&mut self, bytes: &[u8]) -> Result<(), StreamError> {
        // Most of a file is ASCII: a chunk with nothing else only moves the count.
        if self.pending.is_empty() && !self.overlong && bytes.is_ascii() {
            let breaks = memchr::memchr_iter(b'\n', bytes).count();
            self.line += breaks as u64;
            if let Some(last) = memchr::memrchr(b'\n', bytes) {
                self.line_start = self.fed + last as u64 + 1;
            }
            self.fed += bytes.len() as u64;
            return Ok(());
        }
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', bytes) {
            let piece = &bytes[start..end];
            if self.overlong {
                self.overlong = false;
            } else if self.pending.is_empty() {
                self.judge(piece)?;
            } else {
                let mut line = std::mem::take(&mut self.pending);
                line.extend_from_slice(piece);
                self.judge(&line)?;
                line.clear();
                self.pending = line;
            }
            self.line += 1;
            self.line_start = self.fed + end as u64 + 1;
            start = end + 1;
        }
        self.fed += bytes.len() as u64;
        self.keep(&bytes[start..])
    }

    /// Keeps the start of an unfinished line; past [`MAX_JUDGED_LINE`],
    /// judges what it has and skips the rest of the line.
    fn keep(&mut self, tail: &[u8]) -> Result<(), StreamError> {
        if self.overlong || tail.is_empty() {
            return Ok(());
        }
        let room = MAX_JUDGED_LINE.saturating_sub(self.pending.len());
        if tail.len() <= room {
            self.pending.extend_from_slice(tail);
            return Ok(());
        }
        self.pending.extend_from_slice(&tail[..room]);
        let start = std::mem::take(&mut self.pending);
        self.overlong = true;
        if start.is_ascii() {
            return Ok(());
        }
        // The cut may split a character: up to three bytes less make it
        // whole in the encoding it is in.
        let reading = (0..4)
            .map(|less| read_line(&start[..start.len() - less]))
            .find(|&reading| reading != LineReading::Neither)
            .unwrap_or(LineReading::Neither);
        self.verdict(&start, reading)
    }

    /// At the end of the stream: the last line, and text that was
    /// plausible both ways with nothing to tell which.
    fn finish(&mut self) -> Result<(), StreamError> {
        if !self.overlong && !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            self.judge(&line)?;
        }
        match (self.expect, self.ambiguous.take()) {
            (Expect::Undecided, Some((line, utf8, gb18030))) => Err(StreamError::Ambiguous {
                line,
                utf8,
                gb18030,
            }),
            _ => Ok(()),
        }
    }

    /// Judges one line (without its line break) against what the file was
    /// found to be.
    fn judge(&mut self, line: &[u8]) -> Result<(), StreamError> {
        if line.is_ascii() {
            return Ok(());
        }
        self.verdict(line, read_line(line))
    }

    /// What `reading`, how `line` reads, means for the file.
    fn verdict(&mut self, line: &[u8], reading: LineReading) -> Result<(), StreamError> {
        let number = self.line;
        match (self.expect, reading) {
            (Expect::Gb18030(first), LineReading::Utf8) => Err(StreamError::Mixed {
                utf8_line: number,
                gb18030_line: first,
            }),
            (Expect::Gb18030(_), _) => Ok(()),
            (Expect::Utf8(first), LineReading::Gb18030) => Err(StreamError::Mixed {
                utf8_line: first,
                gb18030_line: number,
            }),
            (Expect::Undecided, LineReading::Gb18030) => {
                let (_, text) = both_readings(line);
                Err(StreamError::LateGb18030 { line: number, text })
            }
            (Expect::Undecided, LineReading::Utf8) => {
                self.expect = Expect::Utf8(number);
                Ok(())
            }
            (Expect::Undecided, LineReading::Both) => {
                if self.ambiguous.is_none() {
                    let (utf8, gb18030) = both_readings(line);
                    self.ambiguous = Some((number, utf8, gb18030));
                }
                Ok(())
            }
            (_, LineReading::Neither) => {
                if !self.stray_noted {
                    self.stray_noted = true;
                    let offset = self.line_start + first_bad_utf8(line).start as u64;
                    self.late.push(stray_bytes_note(number, offset, &self.name));
                }
                Ok(())
            }
            (Expect::Utf8(_), _) | (Expect::Undecided, LineReading::Ascii) => Ok(()),
        }
    }
}

/// Passes a stream through unchanged while a [`Judge`] looks at its lines;
/// fails the read that brings a line in the wrong encoding.
struct Watch {
    inner: Box<dyn Read>,
    judge: Judge,
    finished: bool,
    failed: Option<StreamError>,
}

impl Watch {
    fn new(inner: Box<dyn Read>, judge: Judge) -> Watch {
        Watch {
            inner,
            judge,
            finished: false,
            failed: None,
        }
    }
}

impl Read for Watch {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(error) = &self.failed {
            return Err(io::Error::other(error.clone()));
        }
        if self.finished {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        let judged = if n == 0 {
            self.finished = true;
            self.judge.finish()
        } else {
            self.judge.feed(&buf[..n])
        };
        match judged {
            Ok(()) => Ok(n),
            Err(error) => {
                self.failed = Some(error.clone());
                Err(io::Error::other(error))
            }
        }
    }
}

/// Decodes a byte stream in another encoding to UTF-8 as it is read, so a
/// GBK or UTF-16 file is never held whole; a malformed sequence stops the
/// reading with a [`StreamError::BadBytes`] naming its line and byte offset.
struct Transcoder {
    source: Box<dyn Read>,
    decoder: encoding_rs::Decoder,
    encoding: &'static encoding_rs::Encoding,
    detected: bool,
    input: Vec<u8>,
    input_start: usize,
    eof: bool,
    output: Vec<u8>,
    output_start: usize,
    /// Input bytes consumed before `input[0]`, plus a byte order mark.
    consumed: u64,
    /// The last bytes of the input before `input[0]`: a malformed sequence
    /// may begin there, at the end of the previous read.
    tail: Vec<u8>,
    /// Line breaks decoded so far.
    lines: u64,
    /// The end, or a malformed sequence, has been reached.
    done: bool,
}

impl Transcoder {
    fn new(
        head: Vec<u8>,
        source: Box<dyn Read>,
        encoding: &'static encoding_rs::Encoding,
        detected: bool,
    ) -> Transcoder {
        Transcoder {
            source,
            decoder: encoding.new_decoder_without_bom_handling(),
            encoding,
            detected,
            input: head,
            input_start: 0,
            eof: false,
            output: Vec::with_capacity(SNIFF_BYTES * 3),
            output_start: 0,
            consumed: 0,
            tail: Vec::new(),
            lines: 0,
            done: false,
        }
    }

    /// The same, for a stream whose first `bytes` (a byte order mark) were
    /// taken off before `head`, so that offsets count from the file's start.
    fn after(mut self, bytes: usize) -> Transcoder {
        self.consumed = bytes as u64;
        self
    }

    /// The bytes from `start` to `end` (offsets in the file), from the
    /// input and the tail before it.
    fn bytes_between(&self, start: u64, end: u64) -> Vec<u8> {
        let window_start = self.consumed - self.tail.len() as u64;
        let window: Vec<u8> = self.tail.iter().chain(&self.input).copied().collect();
        let from = start.saturating_sub(window_start) as usize;
        let to = (end.saturating_sub(window_start) as usize).min(window.len());
        window.get(from..to).unwrap_or_default().to_vec()
    }

    /// Decodes more of the input into `output`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        while !self.done {
            if self.input_start == self.input.len() && !self.eof {
                self.consumed += self.input.len() as u64;
                let keep = self.input.len().min(4);
                if keep > 0 {
                    self.tail.clear();
                    self.tail
                        .extend_from_slice(&self.input[self.input.len() - keep..]);
                }
                self.input.clear();
                self.input_start = 0;
                (&mut self.source)
                    .take(SNIFF_BYTES as u64)
                    .read_to_end(&mut self.input)?;
                self.eof = self.input.is_empty();
            }
            let last = self.eof;
            self.output.clear();
            self.output.resize(SNIFF_BYTES * 3, 0);
            self.output_start = 0;
            let before = self.input_start;
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[before..],
                &mut self.output,
                last,
            );
            self.output.truncate(written);
            self.input_start += read;
            self.lines += self.output.iter().filter(|&&b| b == b'\n').count() as u64;
            match result {
                encoding_rs::DecoderResult::Malformed(bad, after) => {
                    // The sequence may have begun in an earlier read (a lead
                    // byte at the end of one, or of the file): offsets in the
                    // file, not in this read.
                    let end = self.consumed + (self.input_start - usize::from(after)) as u64;
                    let start = end.saturating_sub(u64::from(bad));
                    self.done = true;
                    return Err(io::Error::other(StreamError::BadBytes {
                        line: self.lines + 1,
                        offset: start,
                        bytes: self.bytes_between(start, end),
                        encoding: if self.encoding == encoding_rs::GB18030 {
                            "GB18030"
                        } else {
                            self.encoding.name()
                        },
                        detected: self.detected,
                    }));
                }
                encoding_rs::DecoderResult::InputEmpty if last => self.done = true,
                _ => {}
            }
            if !self.output.is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl Read for Transcoder {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.output_start == self.output.len() && !self.refill()? {
            return Ok(0);
        }
        let available = &self.output[self.output_start..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.output_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text decoded, and every note about it (the encoding assumed,
    /// stray bytes in the first 64 KiB, then those found later).
    fn decoded_with_notes(
        bytes: &[u8],
        encoding: Encoding,
    ) -> Result<(String, Vec<Problem>), DataError> {
        let Decoded {
            mut reader,
            assumed,
            note,
            late,
        } = decode(Box::new(Cursor::new(bytes.to_vec())), encoding, "t.csv")?;
        let mut out = Vec::new();
        reader.read_to_end(&mut out).map_err(|source| {
            match source
                .get_ref()
                .and_then(|e| e.downcast_ref::<StreamError>())
            {
                Some(bad) => bad.clone().into_error("t.csv"),
                None => DataError::Io {
                    path: "t".into(),
                    source,
                },
            }
        })?;
        let notes = assumed
            .map(|a| a.into_error("t.csv").problem())
            .into_iter()
            .chain(note)
            .chain(late.take())
            .collect();
        Ok((String::from_utf8_lossy(&out).into_owned(), notes))
    }

    fn decoded_with_note(
        bytes: &[u8],
        encoding: Encoding,
    ) -> Result<(String, Option<Problem>), DataError> {
        decoded_with_notes(bytes, encoding).map(|(text, notes)| (text, notes.into_iter().next()))
    }

    fn decoded(bytes: &[u8], encoding: Encoding) -> Result<String, DataError> {
        decoded_with_note(bytes, encoding).map(|(text, _)| text)
    }

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(text).0.into_owned()
    }

    fn message(error: DataError) -> String {
        let problem = error.problem();
        format!("{problem} / {}", problem.hint.clone().unwrap_or_default())
    }

    #[test]
    fn utf8_bom_is_removed() {
        assert_eq!(
            decoded(b"\xEF\xBB\xBFa,b\n", Encoding::Auto).unwrap(),
            "a,b\n"
        );
    }

    #[test]
    fn gbk_is_detected_and_decoded_with_a_note() {
        let (text, note) = decoded_with_note(&gbk("区,年\n五华区,2019\n"), Encoding::Auto).unwrap();
        assert_eq!(text, "区,年\n五华区,2019\n");
        assert!(note.unwrap().message.contains("GB18030"));
    }

    #[test]
    fn utf8_is_left_alone() {
        let (text, note) = decoded_with_note("五华区\n".as_bytes(), Encoding::Auto).unwrap();
        assert_eq!(text, "五华区\n");
        assert!(note.is_none());
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "a,b\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decoded(&bytes, Encoding::Auto).unwrap(), "a,b\n");
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "district,year,a\n五华区,2019,1\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [le, be] {
            let (out, note) = decoded_with_note(&bytes, Encoding::Auto).unwrap();
            assert_eq!(out, text);
            assert!(note.unwrap().message.contains("UTF-16"));
        }
    }

    /// These GB2312 characters are pairs of bytes that are also valid UTF-8
    /// (°çзα): the mixture of scripts gives GB18030 away.
    #[test]
    fn gbk_that_is_also_valid_utf8_is_read_as_gbk_on_evidence() {
        let names: String = ['掳', '莽', '蟹', '伪'].iter().collect();
        let bytes = gbk(&format!("unit,year\n{names},2019\n"));
        assert!(std::str::from_utf8(&bytes).is_ok(), "{bytes:x?}");
        let (text, note) = decoded_with_note(&bytes, Encoding::Auto).unwrap();
        assert_eq!(text, format!("unit,year\n{names},2019\n"));
        assert!(note.unwrap().message.contains("GB18030"));
        assert!(decoded(&bytes, Encoding::Utf8).unwrap().contains("°çзα"));
    }

    /// Cyrillic а–п is D0 B0–BF in UTF-8, which GB2312 reads as Chinese: when
    /// both readings are plausible, kmgov asks rather than guesses.
    #[test]
    fn text_plausible_both_ways_is_refused() {
        let bytes = "unit,year\nабвгд,2019\n".as_bytes();
        let text = message(decoded(bytes, Encoding::Auto).unwrap_err());
        assert!(
            text.starts_with("t.csv:2: cannot tell the text encoding"),
            "{text}"
        );
        assert!(
            text.contains("абвгд") && text.contains("--encoding"),
            "{text}"
        );
        assert_eq!(
            decoded(bytes, Encoding::Utf8).unwrap(),
            "unit,year\nабвгд,2019\n"
        );
        assert!(decoded(bytes, Encoding::Gb18030).is_ok());
    }

    #[test]
    fn latin_words_in_utf8_are_utf8() {
        let text = "unit,year\nZürich,2019\nSão Paulo,2019\nМосква,2019\n";
        assert_eq!(decoded(text.as_bytes(), Encoding::Auto).unwrap(), text);
    }

    /// One stray byte in a UTF-8 file must not turn the file into GB18030.
    #[test]
    fn utf8_with_a_stray_byte_stays_utf8_with_a_warning() {
        let mut bytes = "unit,year,a,note\n五华区,2019,1,ok\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xE5\x91\x88\xE8\xB4\xA1\xE5\x8C\xBA,2019,2,bad\xFF\n");
        let (text, note) = decoded_with_note(&bytes, Encoding::Auto).unwrap();
        assert!(text.starts_with("unit,year,a,note\n五华区"));
        let note = note.unwrap();
        assert_eq!(note.location, "t.csv:3");
        assert!(note.message.contains("UTF-8"), "{}", note.message);
    }

    #[test]
    fn mixed_utf8_and_gbk_rows_are_refused() {
        let mut bytes = "unit,year\n五华区,2019\n".as_bytes().to_vec();
        bytes.extend(gbk("盘龙区,2019\n"));
        let text = message(decoded(&bytes, Encoding::Auto).unwrap_err());
        assert!(
            text.contains("line 2 is UTF-8 but line 3 is GB18030"),
            "{text}"
        );
    }

    /// A bad byte on line 51 of a GBK file is reported on line 51, with its offset.
    #[test]
    fn a_bad_byte_is_reported_at_its_line_and_offset() {
        let mut text = String::from("unit,year\n");
        for i in 0..49 {
            text.push_str(&format!("五华区{i},2019\n"));
        }
        let mut bytes = gbk(&text);
        let offset = bytes.len() + 3;
        bytes.extend(gbk("盘龙"));
        bytes.extend_from_slice(b"\xFF\xFF,2019\n");
        for encoding in [Encoding::Auto, Encoding::Gb18030] {
            let error = decoded(&bytes, encoding).unwrap_err();
            let text = message(error);
            assert!(
                text.starts_with("t.csv:51: bytes FF")
                    && text.contains(&format!("offset {}", offset + 1)),
                "{text}"
            );
            assert!(!text.contains("--encoding gb18030"), "{text}");
        }
    }

    /// With `--encoding gb18030`, a sequence cut by the end of the file,
    /// or a lead byte at the very end of one 64 KiB read: its own bytes and
    /// offset, not an empty list at the offset after it.
    #[test]
    fn a_bad_sequence_across_reads_is_reported_whole() {
        let mut bytes = gbk("unit,year\n五华区,2019\n");
        let at_end = bytes.len();
        bytes.push(0x81);
        let text = message(decoded(&bytes, Encoding::Gb18030).unwrap_err());
        assert!(
            text.starts_with(&format!(
                "t.csv:3: bytes 81 at byte offset {at_end} are not valid GB18030"
            )),
            "{text}"
        );

        let mut bytes = b"unit,year\n".to_vec();
        while bytes.len() < 2 * SNIFF_BYTES - 20 {
            bytes.extend(gbk("五华区,2019\n"));
        }
        let lines = bytes.iter().filter(|&&b| b == b'\n').count();
        bytes.resize(2 * SNIFF_BYTES - 1, b'a');
        bytes.extend_from_slice(b"\x81\x20,2019\n");
        let text = message(decoded(&bytes, Encoding::Gb18030).unwrap_err());
        assert!(
            text.starts_with(&format!(
                "t.csv:{}: bytes 81 at byte offset {} are not",
                lines + 1,
                2 * SNIFF_BYTES - 1
            )),
            "{text}"
        );
    }

    /// Offsets count from the start of the file, byte order mark included.
    #[test]
    fn offsets_in_utf16_count_the_byte_order_mark() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "a,b\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let offset = bytes.len();
        bytes.extend_from_slice(&[0x00, 0xDC, b'x', 0]);
        let text = message(decoded(&bytes, Encoding::Auto).unwrap_err());
        assert!(
            text.starts_with(&format!(
                "t.csv:2: bytes 00 DC at byte offset {offset} are not valid UTF-16LE"
            )),
            "{text}"
        );
    }

    #[test]
    fn a_bad_byte_far_into_a_gbk_file_is_reported_at_its_line() {
        let mut text = String::from("unit,year\n");
        for i in 0..20_000 {
            text.push_str(&format!("五华区{i},2019\n"));
        }
        let mut bytes = gbk(&text);
        bytes.extend_from_slice(b"\x81\x20,2019\n");
        let text = message(decoded(&bytes, Encoding::Gb18030).unwrap_err());
        assert!(text.starts_with("t.csv:20002: bytes 81"), "{text}");
    }

    /// EUC-JP kana and EUC-KR Hangul decode as GB2312 Chinese without an
    /// error; the signs of each refuse them instead of reading mojibake.
    #[test]
    fn japanese_and_korean_text_is_not_read_as_chinese() {
        let csv = |names: &[&str]| {
            let rows: String = names.iter().map(|n| format!("{n},2019,1\n")).collect();
            format!("unit,year,a\n{rows}")
        };
        let japanese = encoding_rs::EUC_JP
            .encode(&csv(&["東京都", "さいたま市", "大阪府"]))
            .0
            .into_owned();
        let text = message(decoded(&japanese, Encoding::Auto).unwrap_err());
        assert!(
            text.starts_with("t.csv:3: this text reads as GB18030 (GBK) Chinese")
                && text.contains("looks like Japanese or Korean (EUC-JP or EUC-KR) text")
                && text.contains("--encoding gb18030"),
            "{text}"
        );
        let seoul = [
            "종로구",
            "중구",
            "용산구",
            "성동구",
            "광진구",
            "동대문구",
            "중랑구",
            "성북구",
            "강북구",
            "도봉구",
            "노원구",
            "은평구",
            "서대문구",
            "마포구",
            "양천구",
            "강서구",
            "구로구",
            "금천구",
            "영등포구",
            "동작구",
            "관악구",
            "서초구",
            "강남구",
            "송파구",
            "강동구",
        ];
        let korean = encoding_rs::EUC_KR.encode(&csv(&seoul)).0.into_owned();
        let text = message(decoded(&korean, Encoding::Auto).unwrap_err());
        assert!(
            text.starts_with("t.csv:2: this text reads as GB18030 (GBK) Chinese")
                && text.contains("looks like Korean (EUC-KR) text"),
            "{text}"
        );
        // Given, the encoding is taken as given.
        assert!(decoded(&korean, Encoding::Gb18030).is_ok());
        // Chinese names of every row of GB2312 read as Chinese.
        let kunming = [
            "五华区",
            "盘龙区",
            "官渡区",
            "西山区",
            "东川区",
            "呈贡区",
            "晋宁区",
            "富民县",
            "宜良县",
            "石林彝族自治县",
            "嵩明县",
            "禄劝彝族苗族自治县",
            "寻甸回族彝族自治县",
            "安宁市",
        ];
        let chinese = gbk(&csv(&kunming));
        assert_eq!(decoded(&chinese, Encoding::Auto).unwrap(), csv(&kunming));
        // Twenty different characters, all from rows B0–C8, are Chinese too
        // when a character of another row joins them.
        let mostly = [
            "安保报北被本比边变标别宾冰兵",
            "并波博不步部才材财采参仓操草册层",
            "市",
        ];
        let chinese = gbk(&csv(&mostly));
        assert!(decoded(&chinese, Encoding::Auto).is_ok());
        assert!(decoded(&gbk(&csv(&mostly[..2])), Encoding::Auto).is_err());
    }

    #[test]
    fn workbooks_are_recognised_by_content() {
        let xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml....xl/workbook.xml";
        let ods =
            b"PK\x03\x04\x14\x00\x00\x08mimetypeapplication/vnd.oasis.opendocument.spreadsheet";
        let xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00";
        for (bytes, what) in [
            (&xlsx[..], "Excel workbook (.xlsx)"),
            (ods, "OpenDocument"),
            (xls, "Excel workbook (.xls"),
        ] {
            let text = message(decoded(bytes, Encoding::Auto).unwrap_err());
            assert!(
                text.contains(what) && text.contains("save it as CSV"),
                "{text}"
            );
            assert!(!text.contains("encoding"), "{text}");
            // Whatever encoding was asked for.
            assert!(decoded(bytes, Encoding::Utf8).is_err());
        }
    }

    #[test]
    fn zero_bytes_are_not_text() {
        let text = message(decoded(&[0u8; 100_000], Encoding::Auto).unwrap_err());
        assert!(text.contains("binary data"), "{text}");
    }

    /// More than the 64 KiB the detection reads: `rows` lines `名N,2019,1,ok`.
    fn long_head(rows: usize) -> String {
        let mut text = String::from("unit,year,a,note\n");
        for i in 0..rows {
            text.push_str(&format!("五华区{i},2019,1,ok\n"));
        }
        assert!(text.len() > SNIFF_BYTES);
        text
    }

    /// A reader that hands out at most `step` bytes a call, so lines
    /// straddle the reads.
    struct Trickle(Cursor<Vec<u8>>, usize);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.1);
            self.0.read(&mut buf[..n])
        }
    }

    fn line_count(text: &str) -> u64 {
        text.bytes().filter(|&b| b == b'\n').count() as u64
    }

    /// A GBK file whose rows past the first 64 KiB are UTF-8 (pasted in):
    /// refused, naming a line of each, instead of decoding them as GBK.
    #[test]
    fn utf8_rows_after_the_sample_of_a_gbk_file_are_refused() {
        let head = long_head(4000);
        let mut bytes = gbk(&head);
        bytes.extend_from_slice("盘龙区,2019,2,ok\n".as_bytes());
        bytes.extend(gbk("官渡区,2019,3,ok\n"));
        let utf8_line = line_count(&head) + 1;
        let text = message(decoded(&bytes, Encoding::Auto).unwrap_err());
        assert!(
            text.contains(&format!("line {utf8_line} is UTF-8 but line 2 is GB18030")),
            "{text}"
        );
        // Given as GB18030, it is taken as given: the UTF-8 line's bytes
        // are not GB18030.
        let forced = message(decoded(&bytes, Encoding::Gb18030).unwrap_err());
        assert!(
            forced.starts_with(&format!("t.csv:{utf8_line}: bytes")),
            "{forced}"
        );
    }

    /// A UTF-8 file with a GBK name past the first 64 KiB, in a column
    /// kmgov does not even read: refused as mixed.
    #[test]
    fn gbk_rows_after_the_sample_of_a_utf8_file_are_refused() {
        let head = long_head(4000);
        let mut bytes = head.clone().into_bytes();
        bytes.extend(b"A,2019,2,".iter().copied().chain(gbk("备注")));
        bytes.push(b'\n');
        let text = message(decoded(&bytes, Encoding::Auto).unwrap_err());
        assert!(
            text.contains(&format!(
                "line 2 is UTF-8 but line {} is GB18030",
                line_count(&head) + 1
            )),
            "{text}"
        );
        assert!(decoded(&bytes, Encoding::Utf8).is_ok());
    }

    /// One stray byte past the first 64 KiB of a UTF-8 file: read as UTF-8,
    /// with the same warning as in the sample, at its line and offset.
    #[test]
    fn a_stray_byte_after_the_sample_is_warned_about() {
        let head = long_head(4000);
        let mut bytes = head.clone().into_bytes();
        bytes.extend_from_slice(b"A,2019,2,bad\xFF\nB,2019,3,ok\n");
        let (text, notes) = decoded_with_notes(&bytes, Encoding::Auto).unwrap();
        assert!(text.ends_with("B,2019,3,ok\n"));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(
            notes[0].location,
            format!("t.csv:{}", line_count(&head) + 1)
        );
        assert!(
            notes[0]
                .message
                .contains(&format!("byte offset {}", head.len() + 12)),
            "{}",
            notes[0].message
        );
    }

    /// 64 KiB of ASCII, then GBK: the file was being read as UTF-8, so the
    /// line is an error that says how to read it as GBK.
    #[test]
    fn gbk_after_an_ascii_sample_says_to_pass_the_encoding() {
        let mut text = String::from("unit,year,a\n");
        for i in 0..7000 {
            text.push_str(&format!("u{i},2019,1\n"));
        }
        let mut bytes = text.clone().into_bytes();
        bytes.extend(gbk("五华区,2019,1\n"));
        let shown = message(decoded(&bytes, Encoding::Auto).unwrap_err());
        assert!(
            shown.starts_with(&format!(
                "t.csv:{}: this line is GB18030 (GBK) text (`五华区`)",
                line_count(&text) + 1
            )) && shown.contains("--encoding gb18030"),
            "{shown}"
        );
        let read = decoded(&bytes, Encoding::Gb18030).unwrap();
        assert!(read.ends_with("五华区,2019,1\n"));
    }

    /// Past an ASCII sample, text plausible both ways and nothing to tell
    /// which is refused as in the sample; a later UTF-8 line settles it.
    #[test]
    fn ambiguous_text_after_an_ascii_sample_needs_a_deciding_line() {
        let mut text = String::from("unit,year\n");
        for i in 0..7000 {
            text.push_str(&format!("u{i},2019\n"));
        }
        let ambiguous = format!("{text}абвгд,2019\n");
        let shown = message(decoded(ambiguous.as_bytes(), Encoding::Auto).unwrap_err());
        assert!(
            shown.starts_with(&format!(
                "t.csv:{}: cannot tell the text encoding",
                line_count(&text) + 1
            )),
            "{shown}"
        );
        let settled = format!("{ambiguous}五华区,2019\n");
        assert_eq!(
            decoded(settled.as_bytes(), Encoding::Auto).unwrap(),
            settled
        );
    }

    /// A UTF-8 byte order mark says UTF-8: GBK rows are mixed in.
    #[test]
    fn gbk_rows_in_a_file_marked_utf8_are_refused() {
        let mut bytes = b"\xEF\xBB\xBFunit,year\nA,2019\n".to_vec();
        bytes.extend(gbk("五华区,2019\n"));
        let shown = message(decoded(&bytes, Encoding::Auto).unwrap_err());
        assert!(
            shown.contains("line 1 is UTF-8 but line 3 is GB18030"),
            "{shown}"
        );
    }

    /// However the stream is cut into reads, lines are judged whole: the
    /// same text, notes and errors.
    #[test]
    fn judging_does_not_depend_on_how_the_stream_is_read() {
        let head = long_head(4000);
        let mut stray = head.clone().into_bytes();
        stray.extend_from_slice("盘龙区,2019,2,x".as_bytes());
        stray.extend_from_slice("\u{FF}\n官渡区,2019,3,ok".as_bytes());
        stray.push(0xFF);
        let mut mixed = head.clone().into_bytes();
        mixed.extend(gbk("盘龙区,2019,2,ok\n"));
        for bytes in [stray, mixed] {
            let whole = decoded_with_notes(&bytes, Encoding::Auto).map_err(message);
            for step in [1, 2, 3, 7, 4096] {
                let reader = Trickle(Cursor::new(bytes.clone()), step);
                let Decoded {
                    mut reader, late, ..
                } = decode(Box::new(reader), Encoding::Auto, "t.csv").unwrap();
                let mut out = Vec::new();
                let read = reader.read_to_end(&mut out);
                match &whole {
                    Ok((text, notes)) => {
                        assert!(read.is_ok(), "step {step}");
                        assert_eq!(&String::from_utf8_lossy(&out), text, "step {step}");
                        assert_eq!(late.take(), notes[..], "step {step}");
                    }
                    Err(shown) => {
                        let error = read.unwrap_err();
                        let found = error.get_ref().unwrap().downcast_ref::<StreamError>();
                        assert_eq!(&message(found.unwrap().clone().into_error("t.csv")), shown);
                    }
                }
            }
        }
    }

    /// A line longer than what is judged whole (here 2 MiB of GBK after a
    /// UTF-8 sample) is judged on its first part, in bounded memory.
    #[test]
    fn a_very_long_line_is_judged_on_its_start() {
        let head = long_head(4000);
        let mut bytes = head.into_bytes();
        let cell = gbk("五华区").repeat(350_000);
        assert!(cell.len() > 2 * MAX_JUDGED_LINE);
        bytes.extend_from_slice(b"A,2019,1,");
        bytes.extend(cell);
        bytes.push(b'\n');
        let text = message(decoded(&bytes, Encoding::Auto).unwrap_err());
        assert!(text.contains("mixes encodings"), "{text}");
    }

    #[test]
    fn encoding_names_parse() {
        assert_eq!(Encoding::parse("GBK"), Some(Encoding::Gb18030));
        assert_eq!(Encoding::parse("utf-8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::parse("UTF-16LE"), Some(Encoding::Utf16Le));
        assert_eq!(Encoding::parse("latin1"), None);
    }
}
