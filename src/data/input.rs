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

use super::encoding::{Detected, detect, not_text};
use super::stream::{Expect, Judge, Transcoder, Watch};
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

pub(super) const SNIFF_BYTES: usize = 64 * 1024;

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

    pub(super) fn push(&self, problem: Problem) {
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
    let mut head = read_head(&mut reader, name)?;
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
    decode_detected(head, reader, name, late)
}

/// The first 64 KiB of the data (less at its end), refused when it is a
/// workbook or other binary file.
fn read_head(reader: &mut Box<dyn Read>, name: &str) -> Result<Vec<u8>, DataError> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if let Err(source) = reader
        .by_ref()
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
    Ok(head)
}

/// The stream of `head` and `reader` decoded as the detection on `head`
/// says, every later line judged on the same evidence.
fn decode_detected(
    mut head: Vec<u8>,
    reader: Box<dyn Read>,
    name: &str,
    late: LateNotes,
) -> Result<Decoded, DataError> {
    let plain =
        |head: Vec<u8>, reader| -> Box<dyn Read> { Box::new(Cursor::new(head).chain(reader)) };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::stream::MAX_JUDGED_LINE;

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
        assert_eq!(note.location.to_string(), "t.csv:3");
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
            notes[0].location.to_string(),
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
