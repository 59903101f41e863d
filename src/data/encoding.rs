//! Encoding detection: binary files recognised by content, UTF-16 without a
//! byte order mark, and the choice between UTF-8 and GB18030 made line by
//! line on whether each reading is valid and plausible text.

use super::input::SNIFF_BYTES;
use crate::error::{DataError, Location, Problem};

/// What a workbook or other binary file is, recognised by content.
pub(super) fn not_text(head: &[u8]) -> Option<&'static str> {
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
pub(super) fn utf16_without_bom(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
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
pub(super) enum Detected {
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
pub(super) enum LineReading {
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
pub(super) fn detect(head: &[u8], name: &str) -> Result<Detected, DataError> {
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
        (None, gb, Some((line, start))) => Err(bad_bytes(head, name, gb.is_some(), line, start)),
        (None, Some((first, _)), None) => gb18030(head, name, &readings, first),
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

/// The first bytes of the line on `line` (starting at `start`) that no
/// encoding read: not GB18030 when some line is, else neither.
fn bad_bytes(head: &[u8], name: &str, gb_found: bool, line: u64, start: usize) -> DataError {
    let line_bytes = line_at(head, start);
    let (range, encoding) = if gb_found {
        (first_bad_gb18030(line_bytes), "GB18030")
    } else {
        (first_bad_utf8(line_bytes), "UTF-8 or GB18030")
    };
    DataError::BadBytes {
        at: Location::line(name, line),
        offset: (start + range.start) as u64,
        bytes: line_bytes[range].to_vec(),
        encoding: encoding.to_string(),
        detected: true,
    }
}

/// GB18030 from the line `first`, unless the text is Japanese or Korean.
fn gb18030(
    head: &[u8],
    name: &str,
    readings: &Readings,
    first: u64,
) -> Result<Detected, DataError> {
    if let Some((line, start, language)) = korean_or_japanese(head, readings) {
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
pub(super) fn korean_or_japanese(
    head: &[u8],
    readings: &Readings,
) -> Option<(u64, usize, &'static str)> {
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
pub(super) fn both_readings(line: &[u8]) -> (String, String) {
    let field = ambiguous_field(line);
    let (gb, _) = encoding_rs::GB18030.decode_without_bom_handling(field);
    (
        String::from_utf8_lossy(field).trim().to_string(),
        gb.trim().to_string(),
    )
}

/// The line of `head` that starts at `start`, without its line break.
pub(super) fn line_at(head: &[u8], start: usize) -> &[u8] {
    let rest = &head[start..];
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    &rest[..end]
}

/// The first non-ASCII piece of a line, between separators, to show.
pub(super) fn ambiguous_field(line: &[u8]) -> &[u8] {
    line.split(|&b| b == b',' || b == b';' || b == b'\t')
        .find(|piece| !piece.is_ascii())
        .unwrap_or(line)
}

/// How each line of the head reads, with where it starts.
pub(super) struct Readings(Vec<(LineReading, u64, usize)>);

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
pub(super) fn read_line(line: &[u8]) -> LineReading {
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
pub(super) enum Utf8Reading {
    /// Every two-byte character sits in a word of ASCII letters (`Zürich`):
    /// read as GB18030 it would put a Chinese character inside the word.
    Words,
    /// Runs of characters of one script.
    Plausible,
    /// C1 controls, private use, or runs mixing scripts or made of symbols:
    /// what GBK Chinese looks like read as UTF-8 (`°çзα`).
    Implausible,
}

pub(super) fn utf8_reading(text: &str) -> Utf8Reading {
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
        // A sign alone (`Zone ©`, `± 5`, `½ city`) is as likely UTF-8 as a
        // GBK character (© is the bytes of 漏): plausible, so that a line
        // readable both ways is refused rather than guessed. Signs in a run
        // (`Â©`) are what GBK read as UTF-8 looks like.
        let in_run = [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .filter_map(|j| chars.get(j))
            .any(|c| !c.is_ascii());
        if script == Script::Symbol && !beside_letter && in_run {
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
pub(super) enum Script {
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

pub(super) fn script_of(c: char) -> Script {
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
pub(super) fn first_bad_gb18030(line: &[u8]) -> std::ops::Range<usize> {
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
pub(super) fn first_bad_utf8(line: &[u8]) -> std::ops::Range<usize> {
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
pub(super) fn plausible_gb18030(line: &[u8]) -> bool {
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
pub(super) fn skip_ascii(bytes: &[u8], from: usize) -> usize {
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
pub(super) fn stray_bytes_note(line: u64, offset: u64, name: &str) -> Problem {
    Problem::warning(
        Location::line(name, line),
        format!(
            "read as UTF-8, but the bytes at byte offset {offset} are not UTF-8 (nor GB18030 \
             text); they are kept only if they are in a column kmgov does not read"
        ),
    )
    .with_hint("re-type the text on this line, or pass --encoding utf-8 to read as UTF-8 without this note")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_standing_alone_is_ambiguous_not_gbk() {
        // `©` is C2 A9, which GBK reads as 漏: refuse rather than guess.
        for name in ["Zone ©", "Alpha ±", "½ city", "§ 12 Zone", "price(¥)"] {
            let line = format!("{name},2019,1,2");
            assert_eq!(read_line(line.as_bytes()), LineReading::Both, "{name}");
        }
        // A run of signs is GBK read as UTF-8 (`Â©`), and a sign beside a
        // letter is a word (`Zürich`).
        assert_eq!(utf8_reading("Â©"), Utf8Reading::Implausible);
        assert_eq!(utf8_reading("Zürich"), Utf8Reading::Words);
    }
}
