//! The wide form read in parallel: the input is read a block at a time, each
//! block cut at record boundaries into one chunk per thread, each chunk parsed
//! on its own thread into a record of what its rows give (values, keys,
//! labels, which rows have errors), and the records replayed into the panel
//! in file order on the calling thread.
//!
//! The replay makes the result the same to the bit as reading on one thread,
//! whatever the thread count and wherever the cuts fall: units, periods and
//! labels are interned in file order, rows and errors arrive in file order,
//! and a row with any error is read again at replay time, with its true line,
//! so every error is the one the sequential reader gives.
//!
//! A cut is made only where the input is certainly between two records: just
//! after a line break outside quotes that ends a non-blank line. Quotes are
//! followed as the csv reader follows them (a quote opens a quoted field only
//! at the start of a field; `""` inside one is a quote). When no cut can be
//! made in a block — a quoted field longer than the block, a quote left open
//! — the rest of the input is read on one thread, as is the rest after any
//! record longer than the record limit, so that those errors too are
//! exactly the sequential reader's.

use std::cell::Cell;
use std::io::{self, Cursor, Read};
use std::ops::Range;

use memchr::memchr;

/// Bytes per thread per block: large enough that starting threads costs
/// nothing next to the parse, small enough that the records of a block stay
/// a small fraction of the panel.
const CHUNK_BYTES: usize = 4 << 20;

thread_local! {
    /// Test settings: (threads, bytes per chunk) for reads on this thread.
    static FORCED: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

/// Runs `f` with reads on this thread cut into chunks of about `chunk_bytes`
/// parsed on `threads` threads, whatever the machine has: for tests that
/// check that the result does not depend on either.
#[doc(hidden)]
pub fn with_chunking<R>(threads: usize, chunk_bytes: usize, f: impl FnOnce() -> R) -> R {
    let before = FORCED.replace(Some((threads.max(1), chunk_bytes.max(1))));
    let result = f();
    FORCED.set(before);
    result
}

/// The threads and chunk size to read with; `None` reads on one thread.
pub(super) fn settings() -> Option<(usize, usize)> {
    match FORCED.get() {
        Some((1, _)) => None,
        Some(forced) => Some(forced),
        None => {
            let threads = crate::parallel::max_threads();
            (threads > 1).then_some((threads, CHUNK_BYTES))
        }
    }
}

/// The input not yet parsed, read a block ahead; it always starts at the
/// start of a record.
pub(super) struct Blocks {
    pub(super) bytes: Vec<u8>,
    rest: Box<dyn Read>,
    pub(super) eof: bool,
    /// A read that failed: the bytes before it are parsed (sequentially) first.
    error: Option<io::Error>,
}

impl Blocks {
    pub(super) fn new(rest: Box<dyn Read>) -> Blocks {
        Blocks {
            bytes: Vec::new(),
            rest,
            eof: false,
            error: None,
        }
    }

    /// Reads until `want` bytes are held, the input ends, or a read fails.
    pub(super) fn fill(&mut self, want: usize) {
        let held = self.bytes.len();
        if held >= want || self.eof || self.error.is_some() {
            return;
        }
        let room = (want - held) as u64;
        // `read_to_end` keeps what it read before an error, and retries when interrupted.
        match self.rest.by_ref().take(room).read_to_end(&mut self.bytes) {
            Ok(n) => self.eof = (n as u64) < room,
            Err(error) => self.error = Some(error),
        }
    }

    /// Drops the first `n` bytes, parsed.
    pub(super) fn consume(&mut self, n: usize) {
        self.bytes.drain(..n);
    }

    /// True when a read failed: what is held is then all there is to parse.
    fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// The input not yet parsed as one stream (a failed read fails again
    /// where it did), for the sequential reader.
    pub(super) fn into_stream(self) -> Box<dyn Read> {
        let held = Cursor::new(self.bytes);
        match self.error {
            Some(error) => Box::new(held.chain(FailOnce(Some(error)))),
            None => Box::new(held.chain(self.rest)),
        }
    }
}

/// A reader that fails once with the error it holds, then ends.
struct FailOnce(Option<io::Error>);

impl Read for FailOnce {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(error) => Err(error),
            None => Ok(0),
        }
    }
}

/// Follows quotes through a block as the csv reader does, to find where
/// records certainly start. The block starts at the start of a record.
struct Scan<'a> {
    bytes: &'a [u8],
    delimiter: u8,
    /// Everything before `at` has been followed.
    at: usize,
    /// Inside a quoted field at `at`.
    quoted: bool,
}

impl<'a> Scan<'a> {
    fn new(bytes: &'a [u8], delimiter: u8) -> Scan<'a> {
        Scan {
            bytes,
            delimiter,
            at: 0,
            quoted: false,
        }
    }

    /// The first offset at or after `from` where a record starts just after
    /// the line break that ends a non-blank line, outside quotes; `None`
    /// when there is none in the block, or it cannot be told.
    fn next_cut(&mut self, from: usize) -> Option<usize> {
        let mut from = from;
        loop {
            let start = from.max(self.at);
            let newline = start + memchr(b'\n', self.bytes.get(start..)?)?;
            match self.outside_at(newline)? {
                true if newline > 0 && !matches!(self.bytes[newline - 1], b'\n' | b'\r') => {
                    return Some(newline + 1);
                }
                _ => from = newline + 1,
            }
        }
    }

    /// Whether `offset` (≥ `at`) is outside quotes: follows the quotes up to
    /// it; when it is inside a quoted field, on to the field's end. `None`
    /// when the block ends first, or on a quote that is its last byte.
    fn outside_at(&mut self, offset: usize) -> Option<bool> {
        let bytes = self.bytes;
        while self.at < offset || self.quoted {
            if self.quoted {
                let quote = self.at + memchr(b'"', &bytes[self.at..])?;
                match bytes.get(quote + 1)? {
                    // `""` is a quote inside the field.
                    b'"' => self.at = quote + 2,
                    _ => {
                        self.quoted = false;
                        self.at = quote + 1;
                        if self.at > offset {
                            return Some(false);
                        }
                    }
                }
                continue;
            }
            match memchr(b'"', &bytes[self.at..offset]) {
                None => self.at = offset,
                Some(i) => {
                    let quote = self.at + i;
                    let field_start = quote == 0
                        || matches!(bytes[quote - 1], b'\n' | b'\r')
                        || bytes[quote - 1] == self.delimiter;
                    // Elsewhere a quote is a character of the field.
                    self.quoted = field_start;
                    self.at = quote + 1;
                }
            }
        }
        Some(true)
    }
}

/// Where to cut `bytes` into at most `threads` chunks of about `chunk`
/// bytes: the end of each chunk. When the input continues past `bytes`, the
/// last end is the last cut found (the bytes after it wait for the next
/// block); none when no cut was found.
fn chunk_ends(bytes: &[u8], delimiter: u8, threads: usize, chunk: usize, eof: bool) -> Vec<usize> {
    let mut scan = Scan::new(bytes, delimiter);
    let mut ends = Vec::with_capacity(threads);
    for k in 1..=threads {
        let target = (k * chunk).max(ends.last().map_or(0, |&end| end));
        if eof && (k == threads || target >= bytes.len()) {
            ends.push(bytes.len());
            break;
        }
        match scan.next_cut(target) {
            Some(end) if end < bytes.len() || eof => ends.push(end),
            Some(end) => {
                ends.push(end);
                break;
            }
            None => break,
        }
    }
    if eof && ends.last() != Some(&bytes.len()) {
        ends.push(bytes.len());
    }
    ends.dedup();
    ends
}

/// A chunk's rows as read on a worker thread, for replay in file order.
pub(super) struct Chunk {
    /// Indicator values of the rows that have them, one column each.
    pub(super) values: Vec<Vec<f64>>,
    pub(super) population: Option<Vec<f64>>,
    /// The keys and labels of the rows, end to end.
    pub(super) text: String,
    pub(super) events: Vec<Event>,
    /// Line breaks in the chunk: the next chunk's lines come after them.
    pub(super) newlines: u64,
}

/// One step of a chunk's replay.
pub(super) enum Event {
    /// A row with errors (or no row at all, ragged or keyless): read again
    /// at replay, for its errors only, with its true line.
    Again(Box<csv::ByteRecord>),
    /// The text of a label column of the next row (`None`: not UTF-8).
    Label(usize, Option<Range<usize>>),
    /// A row, its unit and period in [`Chunk::text`], its line in the chunk.
    Row {
        unit: Range<usize>,
        period: Range<usize>,
        line: u64,
    },
}

/// How the parallel reading ended.
pub(super) enum Ended {
    /// Every record was read.
    Done,
    /// The rest must be read sequentially (see the module's notes), from
    /// what [`Blocks`] still holds, on lines after `lines` lines.
    Sequential { lines: u64 },
}

/// Reads every record in `blocks` (which starts on line `lines` + 1):
/// `parse` reads a chunk, on a thread of its own, with the line count of the
/// chunks before it unknown (`None` from it: read the rest sequentially);
/// `replay` takes the chunks in file order, each with the lines before it.
pub(super) fn for_each_chunk(
    blocks: &mut Blocks,
    delimiter: u8,
    (threads, chunk): (usize, usize),
    mut lines: u64,
    parse: impl Fn(&[u8]) -> Option<Chunk> + Sync,
    mut replay: impl FnMut(Chunk, u64),
) -> Ended {
    loop {
        // A little over a block, so that the last cut can fall near its end.
        blocks.fill(threads * chunk + chunk / 4 + 1);
        let eof = blocks.eof || blocks.failed();
        if blocks.failed() || blocks.bytes.is_empty() {
            // The bytes before a failed read, and the failure, are read sequentially.
            return match blocks.failed() {
                true => Ended::Sequential { lines },
                false => Ended::Done,
            };
        }
        let ends = chunk_ends(&blocks.bytes, delimiter, threads, chunk, eof);
        if ends.is_empty() {
            return Ended::Sequential { lines };
        }
        let starts = std::iter::once(0).chain(ends.iter().copied());
        let ranges: Vec<Range<usize>> = starts.zip(ends.iter().copied()).map(|(s, e)| s..e).collect();
        let bytes = &blocks.bytes;
        let parsed: Vec<Option<Chunk>> = if ranges.len() == 1 {
            vec![parse(&bytes[ranges[0].clone()])]
        } else {
            std::thread::scope(|scope| {
                let parse = &parse;
                let workers: Vec<_> = ranges[1..]
                    .iter()
                    .map(|range| scope.spawn(move || parse(&bytes[range.clone()])))
                    .collect();
                let mut parsed = vec![parse(&bytes[ranges[0].clone()])];
                parsed.extend(workers.into_iter().map(|w| match w.join() {
                    Ok(chunk) => chunk,
                    Err(panic) => std::panic::resume_unwind(panic),
                }));
                parsed
            })
        };
        let mut consumed = 0;
        for (chunk, range) in parsed.into_iter().zip(&ranges) {
            let Some(chunk) = chunk else {
                blocks.consume(consumed);
                return Ended::Sequential { lines };
            };
            let newlines = chunk.newlines;
            replay(chunk, lines);
            lines += newlines;
            consumed = range.end;
        }
        blocks.consume(consumed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(text: &str, from: usize) -> Option<usize> {
        Scan::new(text.as_bytes(), b',').next_cut(from)
    }

    #[test]
    fn cuts_fall_after_record_ends_outside_quotes() {
        assert_eq!(cuts("a,b\nc,d\n", 0), Some(4));
        assert_eq!(cuts("a,b\nc,d\n", 4), Some(8));
        assert_eq!(cuts("a,b\nc,d", 4), None);
        // Inside a quoted field, the line break is part of the field.
        assert_eq!(cuts("a,\"b\nc\"\nd\n", 0), Some(8));
        // `""` is a quote inside the field, not its end.
        assert_eq!(cuts("a,\"b\"\"\nc\"\nd\n", 0), Some(10));
        // A quote inside an unquoted field is a character.
        assert_eq!(cuts("a,b\"\nc,d\n", 0), Some(5));
        // A quote after a closed one, in the same field, is a character too.
        assert_eq!(cuts("\"a\"b\"\nc\n", 0), Some(6));
        // Blank lines are never cut after: the csv reader counts them with the next record.
        assert_eq!(cuts("a\n\n\nb\n", 2), Some(6));
        // A quote as the last byte cannot be told.
        assert_eq!(cuts("a,\"b\n\"", 0), None);
        // A quote left open hides every later line break.
        assert_eq!(cuts("a,\"b\nc\nd\n", 0), None);
        // A quote at the start of a line opens a field.
        assert_eq!(cuts("a\n\"b\nc\"\nd\n", 2), Some(8));
    }

    #[test]
    fn chunk_ends_cover_the_block() {
        let text = b"a,b\nc,d\ne,f\ng,h\n";
        assert_eq!(chunk_ends(text, b',', 2, 4, true), vec![8, 16]);
        assert_eq!(chunk_ends(text, b',', 4, 100, true), vec![16]);
        assert_eq!(chunk_ends(text, b',', 2, 4, false), vec![8, 12]);
        assert_eq!(chunk_ends(b"a,\"b\nc", b',', 2, 1, false), Vec::<usize>::new());
        assert_eq!(chunk_ends(b"a,\"b\nc", b',', 2, 1, true), vec![6]);
    }
}
