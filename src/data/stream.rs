//! The data stream past its first 64 KiB: every later line with bytes above
//! ASCII judged on the evidence the detection used ([`Judge`], [`Watch`]),
//! and text in another encoding decoded to UTF-8 as it is read
//! ([`Transcoder`]), so that no file is held whole.

use std::io::{self, Read};

use super::encoding::{LineReading, both_readings, first_bad_utf8, read_line, stray_bytes_note};
use super::input::{LateNotes, SNIFF_BYTES, StreamError};

/// What the lines read so far say the file's encoding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expect {
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
pub(super) const MAX_JUDGED_LINE: usize = 1 << 20;

/// Judges each line of a stream past the first 64 KiB on the evidence the
/// detection used on those (see [`read_line`]), so that rows in another
/// encoding further down cannot be decoded silently as the wrong one.
/// Only lines with a byte above ASCII are looked at.
pub(super) struct Judge {
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
    pub(super) stray_noted: bool,
    late: LateNotes,
    name: String,
}

impl Judge {
    pub(super) fn new(expect: Expect, name: &str, late: LateNotes) -> Judge {
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
    pub(super) fn skip(&mut self, judged: &[u8], extra: u64) {
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
pub(super) struct Watch {
    inner: Box<dyn Read>,
    judge: Judge,
    finished: bool,
    failed: Option<StreamError>,
}

impl Watch {
    pub(super) fn new(inner: Box<dyn Read>, judge: Judge) -> Watch {
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
pub(super) struct Transcoder {
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
    pub(super) fn new(
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
    pub(super) fn after(mut self, bytes: usize) -> Transcoder {
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
