//! The definition file as text: read within a size limit, decoded from UTF-8
//! or (as Chinese-language Windows saves it) GB18030, and located by line.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::error::DefinitionError;
use crate::error::Location;

pub use crate::limits::{MAX_DEFINITION_BYTES, MAX_DEFINITION_BYTES_VAR};

/// The text encoding a definition file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// Not UTF-8, but clean GB18030 (which includes GBK and GB2312).
    Gb18030,
}

/// The size limit in force: the environment variable when set, else the default.
pub fn byte_limit() -> Result<u64, DefinitionError> {
    match std::env::var(MAX_DEFINITION_BYTES_VAR) {
        Err(std::env::VarError::NotPresent) => Ok(MAX_DEFINITION_BYTES),
        Ok(text) => parse_limit(&text).ok_or(DefinitionError::BadLimit { value: text }),
        Err(std::env::VarError::NotUnicode(text)) => Err(DefinitionError::BadLimit {
            value: text.to_string_lossy().into_owned(),
        }),
    }
}

fn parse_limit(text: &str) -> Option<u64> {
    text.trim().parse::<u64>().ok().filter(|n| *n > 0)
}

/// Reads a definition file as text, refusing folders, files over `limit`
/// bytes and bytes that are neither UTF-8 nor GB18030.
pub fn read(
    path: &Path,
    shown: &str,
    limit: u64,
) -> Result<(String, TextEncoding), DefinitionError> {
    let io_error = |source| DefinitionError::Io {
        path: shown.to_string(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    if file.metadata().map_err(io_error)?.is_dir() {
        return Err(DefinitionError::Folder {
            path: shown.to_string(),
        });
    }
    // One byte past the limit tells "too large" from "exactly the limit"
    // without ever holding more than that: /dev/zero never ends.
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > limit {
        return Err(DefinitionError::TooLarge {
            path: shown.to_string(),
            limit,
        });
    }
    decode(bytes, shown)
}

/// UTF-8 (a BOM is dropped) when the bytes are UTF-8; else GB18030 when they
/// decode cleanly as that; else an error at the first byte that is not UTF-8.
pub fn decode(mut bytes: Vec<u8>, shown: &str) -> Result<(String, TextEncoding), DefinitionError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, TextEncoding::Utf8)),
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let (text, malformed) = encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .map_or((None, true), |text| (Some(text), false));
            match text {
                Some(text) if !malformed => Ok((text.into_owned(), TextEncoding::Gb18030)),
                _ => {
                    let good = String::from_utf8_lossy(&bytes[..valid_up_to]);
                    Err(DefinitionError::Encoding {
                        at: LineIndex::new(&good).locate(&good, good.len(), shown),
                    })
                }
            }
        }
    }
}

/// The byte offsets where lines start, so that an offset finds its line by
/// binary search: locating every item of a 100,000-indicator definition stays
/// fast, where rescanning the text from the start for each was quadratic.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text` in one pass.
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// Line and column (from 1; the column in characters) of a byte offset.
    pub fn locate(&self, text: &str, offset: usize, origin: &str) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset, &mut || ());
        let start = self.starts[line];
        let column = text[start..offset].chars().count() + 1;
        Location::cell(origin, line as u64 + 1, column)
    }

    /// The 0-based line holding `offset`; `probe` is called once per comparison.
    fn line_of(&self, offset: usize, probe: &mut dyn FnMut()) -> usize {
        // The last line start at or before `offset`; starts[0] = 0 is always one.
        let after = self.starts.partition_point(|&start| {
            probe();
            start <= offset
        });
        after.saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_from_one_in_characters() {
        let text = "ab\n社会x\n\nlast";
        let index = LineIndex::new(text);
        let at = |offset| {
            let l = index.locate(text, offset, "t");
            (l.line.unwrap(), l.column.unwrap())
        };
        assert_eq!(at(0), (1, 1));
        assert_eq!(at(2), (1, 3));
        assert_eq!(at(3), (2, 1));
        // 社会 is six bytes: x at byte 9 is the third character.
        assert_eq!(at(9), (2, 3));
        // Inside a character: its start.
        assert_eq!(at(4), (2, 1));
        assert_eq!(at(11), (3, 1));
        assert_eq!(at(12), (4, 1));
        assert_eq!(at(999), (4, 5));
    }

    #[test]
    fn a_lookup_takes_logarithmic_steps() {
        let text = "x = 1\n".repeat(1 << 20);
        let index = LineIndex::new(&text);
        let mut probes = 0;
        let line = index.line_of(text.len() - 3, &mut || probes += 1);
        assert_eq!(line, (1 << 20) - 1);
        // 2^20 + 1 line starts: a binary search needs about 21 comparisons,
        // a scan a million.
        assert!(probes <= 22, "{probes} comparisons");
    }

    #[test]
    fn size_limit_is_checked_before_reading_everything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        std::fs::write(&path, "# comment\n".repeat(10)).unwrap();
        let error = read(&path, "big.toml", 99).unwrap_err();
        assert!(matches!(error, DefinitionError::TooLarge { limit: 99, .. }));
        assert!(read(&path, "big.toml", 100).is_ok());
    }

    #[test]
    fn a_folder_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let error = read(dir.path(), "d", 100).unwrap_err();
        assert!(matches!(error, DefinitionError::Folder { .. }));
    }

    #[test]
    fn gb18030_is_read_when_the_bytes_are_not_utf8() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("name = \"昆明市社会治理指数\"\n");
        let (text, encoding) = decode(bytes.into_owned(), "g.toml").unwrap();
        assert_eq!(text, "name = \"昆明市社会治理指数\"\n");
        assert_eq!(encoding, TextEncoding::Gb18030);

        let (text, encoding) = decode(b"\xEF\xBB\xBFa = 1".to_vec(), "u.toml").unwrap();
        assert_eq!((text.as_str(), encoding), ("a = 1", TextEncoding::Utf8));
    }

    #[test]
    fn bytes_that_are_neither_name_the_line() {
        // 0xFF starts no character in UTF-8 or in GB18030.
        let error = decode(b"a = 1\nb = \"\xFF\"\n".to_vec(), "x.toml").unwrap_err();
        match error {
            DefinitionError::Encoding { at } => assert_eq!(at.to_string(), "x.toml:2:6"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn limit_must_be_a_positive_whole_number() {
        assert_eq!(parse_limit(" 1024 "), Some(1024));
        assert_eq!(parse_limit("0"), None);
        assert_eq!(parse_limit("64MiB"), None);
    }
}
