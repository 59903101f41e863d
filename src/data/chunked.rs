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

/// Bytes per chunk: large enough that handing a chunk to a thread costs
/// nothing next to its parse, small enough that the chunks in flight stay a
/// small fraction of the panel.
const CHUNK_BYTES: usize = 4 << 20;

/// The least asked of the input in one read.
const READ_BYTES: usize = 64 << 10;

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
        while self.bytes.len() < want && !self.eof && self.error.is_none() {
            let held = self.bytes.len();
            // Never a small read: the CRLF conversion needs room to look
            // past a CR, and serves reads of one byte unconverted.
            self.bytes.resize(held + (want - held).max(READ_BYTES), 0);
            let read = self.rest.read(&mut self.bytes[held..]);
            self.bytes.truncate(held + *read.as_ref().unwrap_or(&0));
            match read {
                Ok(0) => self.eof = true,
                Ok(_) => {}
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => self.error = Some(error),
            }
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

/// Where the next chunk of `bytes` ends: the first cut at or after `chunk`
/// bytes (before, when there is none after), or the end of the input.
fn chunk_end(bytes: &[u8], delimiter: u8, chunk: usize, eof: bool) -> Option<usize> {
    if eof {
        return Some(bytes.len());
    }
    let mut scan = Scan::new(bytes, delimiter);
    match scan.next_cut(chunk) {
        Some(end) => Some(end),
        None => Scan::new(bytes, delimiter).next_cut(0),
    }
}

/// A chunk's rows as read on a worker thread, for replay in file order.
#[derive(Default)]
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

/// A chunk of bytes for a worker, with a chunk record to reuse.
struct Job {
    index: usize,
    bytes: Vec<u8>,
    spare: Chunk,
}

/// A worker's answer: the chunk's record, `None` to read on sequentially.
struct Done {
    index: usize,
    bytes: Vec<u8>,
    chunk: Option<Chunk>,
}

/// The next chunk's bytes, taken from `blocks` (`spare` takes their place).
enum Next {
    Chunk(Vec<u8>),
    End,
    Sequential,
}

fn next_chunk(blocks: &mut Blocks, delimiter: u8, chunk: usize, mut spare: Vec<u8>) -> Next {
    blocks.fill(chunk + chunk / 4 + 1);
    if blocks.failed() {
        // The bytes before a failed read, and the failure, are read sequentially.
        return Next::Sequential;
    }
    if blocks.bytes.is_empty() {
        return Next::End;
    }
    let Some(end) = chunk_end(&blocks.bytes, delimiter, chunk, blocks.eof) else {
        return Next::Sequential;
    };
    // The block becomes the chunk; only the bytes after the cut are copied.
    spare.clear();
    spare.extend_from_slice(&blocks.bytes[end..]);
    let mut bytes = std::mem::replace(&mut blocks.bytes, spare);
    bytes.truncate(end);
    Next::Chunk(bytes)
}

/// The whole input as one chunk, read on this thread, when it is no longer
/// than a chunk; `None` when it is longer.
fn read_whole(
    blocks: &mut Blocks,
    chunk: usize,
    lines: u64,
    parse: &impl Fn(&[u8], Chunk) -> Option<Chunk>,
    replay: &mut impl FnMut(&Chunk, u64),
) -> Option<Ended> {
    blocks.fill(chunk + chunk / 4 + 1);
    if !blocks.eof || blocks.failed() || blocks.bytes.len() > chunk {
        return None;
    }
    Some(match parse(&blocks.bytes, Chunk::default()) {
        Some(parsed) => {
            replay(&parsed, lines);
            blocks.bytes.clear();
            Ended::Done
        }
        None => Ended::Sequential { lines },
    })
}

/// Reads every record in `blocks` (which starts on line `lines` + 1):
/// `parse` reads a chunk into a (cleared) record to reuse, on one of
/// `threads` worker threads, without knowing the lines before it (`None`
/// from it: read the rest sequentially); `replay` takes the chunks on this
/// thread in file order, each with the lines before it. This thread reads
/// ahead and replays while the workers parse; a few chunks are in flight.
pub(super) fn for_each_chunk(
    blocks: &mut Blocks,
    delimiter: u8,
    (threads, chunk): (usize, usize),
    mut lines: u64,
    parse: impl Fn(&[u8], Chunk) -> Option<Chunk> + Sync,
    mut replay: impl FnMut(&Chunk, u64),
) -> Ended {
    // Input that is one chunk in all is read here, without starting threads.
    if let Some(ended) = read_whole(blocks, chunk, lines, &parse, &mut replay) {
        return ended;
    }
    let in_flight_max = 2 * threads + 1;
    let (jobs, job_queue) = std::sync::mpsc::channel::<Job>();
    let job_queue = std::sync::Mutex::new(job_queue);
    let (done, answers) = std::sync::mpsc::channel::<Done>();
    let mut aside: Vec<Vec<u8>> = Vec::new();
    let stop = std::thread::scope(|scope| {
        for _ in 0..threads {
            let (job_queue, done, parse) = (&job_queue, done.clone(), &parse);
            scope.spawn(move || {
                loop {
                    // Poisoned only if another worker panicked; the scope re-raises that.
                    let Ok(job) = job_queue.lock().map(|queue| queue.recv()) else {
                        break;
                    };
                    let Ok(Job {
                        index,
                        bytes,
                        spare,
                    }) = job
                    else {
                        break;
                    };
                    // A panic (a bug) becomes a chunk to read sequentially,
                    // where it is raised again, rather than a chunk never answered.
                    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        parse(&bytes, spare)
                    }));
                    let chunk = parsed.unwrap_or(None);
                    if done
                        .send(Done {
                            index,
                            bytes,
                            chunk,
                        })
                        .is_err()
                    {
                        break;
                    }
                }
            });
        }
        drop(done);
        let (mut sent, mut replayed, mut in_flight) = (0, 0, 0);
        let mut reading = true;
        let mut stop: Option<usize> = None;
        let mut waiting = std::collections::BTreeMap::new();
        let (mut spare_bytes, mut spare_chunks) = (Vec::new(), Vec::new());
        loop {
            while reading && stop.is_none() && in_flight < in_flight_max {
                let spare = spare_bytes.pop().unwrap_or_default();
                match next_chunk(blocks, delimiter, chunk, spare) {
                    Next::Chunk(bytes) => {
                        let spare = spare_chunks.pop().unwrap_or_default();
                        let job = Job {
                            index: sent,
                            bytes,
                            spare,
                        };
                        // Workers end only when this thread drops `jobs`, or on a panic.
                        if jobs.send(job).is_err() {
                            reading = false;
                        }
                        sent += 1;
                        in_flight += 1;
                    }
                    Next::End => reading = false,
                    Next::Sequential => stop = Some(sent),
                }
            }
            if in_flight == 0 {
                break;
            }
            let Ok(answer) = answers.recv() else {
                break;
            };
            in_flight -= 1;
            waiting.insert(answer.index, answer);
            while let Some(Done {
                index,
                bytes,
                chunk,
            }) = waiting.remove(&replayed)
            {
                replayed += 1;
                match chunk {
                    Some(chunk) if stop.is_none_or(|stop| index < stop) => {
                        replay(&chunk, lines);
                        lines += chunk.newlines;
                        spare_bytes.push(bytes);
                        spare_chunks.push(chunk);
                    }
                    _ => {
                        // From here on, read sequentially: keep the bytes, in order.
                        stop = Some(stop.map_or(index, |stop| stop.min(index)));
                        aside.push(bytes);
                    }
                }
            }
        }
        drop(jobs);
        stop
    });
    match stop {
        None => Ended::Done,
        Some(_) => {
            aside.push(std::mem::take(&mut blocks.bytes));
            blocks.bytes = aside.concat();
            Ended::Sequential { lines }
        }
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
    fn chunks_end_at_the_first_cut_past_their_size() {
        let text = b"a,b\nc,d\ne,f\ng,h\n";
        assert_eq!(chunk_end(text, b',', 5, false), Some(8));
        assert_eq!(chunk_end(text, b',', 100, false), Some(4));
        assert_eq!(chunk_end(text, b',', 100, true), Some(16));
        assert_eq!(chunk_end(b"a,\"b\nc", b',', 1, false), None);
        assert_eq!(chunk_end(b"a,\"b\nc", b',', 1, true), Some(6));
    }
}
