//! Opening the data: a file or standard input, decoded to UTF-8.
//!
//! UTF-8 input is streamed, so a million-row file is never held whole in
//! memory. Excel in a Chinese locale saves CSV as GBK/GB18030; that is detected
//! from the first 64 KiB (invalid UTF-8 there) and decoded whole, since such
//! files are spreadsheet-sized.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use crate::error::{DataError, Location};

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
    /// UTF-8 unless the start of the file is not, then GB18030.
    #[default]
    Auto,
    /// UTF-8 (a BOM is allowed).
    Utf8,
    /// GB18030, which includes GBK and GB2312.
    Gb18030,
}

impl Encoding {
    /// Parses `auto`, `utf-8`/`utf8`, `gb18030`/`gbk`/`gb2312`.
    pub fn parse(text: &str) -> Option<Encoding> {
        match text.to_ascii_lowercase().as_str() {
            "auto" => Some(Encoding::Auto),
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Some(Encoding::Gb18030),
            _ => None,
        }
    }
}

const SNIFF_BYTES: usize = 64 * 1024;

/// Decodes `reader` to a UTF-8 byte stream, following `encoding`.
pub fn decode(
    mut reader: Box<dyn Read>,
    encoding: Encoding,
    name: &str,
) -> Result<Box<dyn Read>, DataError> {
    let io_error = |source| DataError::Io {
        path: name.to_string(),
        source,
    };
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io_error)?;

    if let Some((bom_encoding, bom_length)) = encoding_rs::Encoding::for_bom(&head) {
        if bom_encoding == encoding_rs::UTF_8 {
            head.drain(..bom_length);
            return Ok(Box::new(Cursor::new(head).chain(reader)));
        }
        // UTF-16, as Excel's "Unicode text": small enough to decode whole.
        let mut all = head;
        reader.read_to_end(&mut all).map_err(io_error)?;
        let (text, _, malformed) = bom_encoding.decode(&all);
        if malformed {
            return Err(DataError::Encoding {
                at: Location::file(name),
                encoding: bom_encoding.name().to_string(),
            });
        }
        return Ok(Box::new(Cursor::new(text.into_owned().into_bytes())));
    }

    let looks_utf8 = match std::str::from_utf8(&head) {
        Ok(_) => true,
        // A sequence cut by the sniff boundary is not an error.
        Err(e) => e.error_len().is_none(),
    };
    let gb18030 = match encoding {
        Encoding::Gb18030 => true,
        Encoding::Utf8 => false,
        Encoding::Auto => !looks_utf8,
    };
    if !gb18030 {
        return Ok(Box::new(Cursor::new(head).chain(reader)));
    }
    let mut all = head;
    reader.read_to_end(&mut all).map_err(io_error)?;
    let (text, malformed) = encoding_rs::GB18030.decode_without_bom_handling(&all);
    if malformed {
        let valid_up_to = std::str::from_utf8(&all).map_or_else(|e| e.valid_up_to(), |s| s.len());
        let line = all[..valid_up_to].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        return Err(DataError::Encoding {
            at: Location::line(name, line),
            encoding: "UTF-8 or GB18030".to_string(),
        });
    }
    Ok(Box::new(Cursor::new(text.into_owned().into_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8], encoding: Encoding) -> Result<String, DataError> {
        let mut out = String::new();
        decode(Box::new(Cursor::new(bytes.to_vec())), encoding, "t.csv")?
            .read_to_string(&mut out)
            .map_err(|source| DataError::Io {
                path: "t".into(),
                source,
            })?;
        Ok(out)
    }

    #[test]
    fn utf8_bom_is_removed() {
        assert_eq!(
            decoded(b"\xEF\xBB\xBFa,b\n", Encoding::Auto).unwrap(),
            "a,b\n"
        );
    }

    #[test]
    fn gbk_is_detected_and_decoded() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("区,年\n五华区,2019\n");
        assert_eq!(
            decoded(&gbk, Encoding::Auto).unwrap(),
            "区,年\n五华区,2019\n"
        );
    }

    #[test]
    fn utf8_is_left_alone() {
        assert_eq!(
            decoded("五华区\n".as_bytes(), Encoding::Auto).unwrap(),
            "五华区\n"
        );
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
    fn encoding_names_parse() {
        assert_eq!(Encoding::parse("GBK"), Some(Encoding::Gb18030));
        assert_eq!(Encoding::parse("utf-8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::parse("latin1"), None);
    }
}
