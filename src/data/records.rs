//! The record pipeline: the first line read ahead for sniffing, a guard
//! that bounds every record's length, the conversion of read and CSV errors
//! into data errors, and [`for_each_record`], which splits records into
//! fields on one thread while the caller's row work runs on another.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::input;
use crate::error::{DataError, Location};

/// The csv reader's buffer; the record limit allows for one buffer read ahead.
pub(super) const CSV_BUFFER: usize = 1 << 16;

/// Reads up to the end of the first line (outside quotes), so the
/// delimiter can be sniffed; returns those bytes and the rest of the stream.
pub(super) fn first_line(
    mut reader: Box<dyn Read>,
    max: u64,
    name: &str,
) -> Result<(Vec<u8>, Box<dyn Read>), DataError> {
    let mut first = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut in_quotes = false;
    let mut scanned = 0;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(n) => n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(io_error(name, error, 1)),
        };
        first.extend_from_slice(&chunk[..n]);
        for &b in &first[scanned..] {
            match b {
                b'"' => in_quotes = !in_quotes,
                b'\n' if !in_quotes => return Ok((first, reader)),
                _ => {}
            }
        }
        scanned = first.len();
        if n == 0 {
            return Ok((first, reader));
        }
        if first.len() as u64 > max {
            return Err(DataError::RecordTooLong {
                at: Location::line(name, 1),
                limit: max,
            });
        }
    }
}

/// Where the reader may read up to, moved on after each record: a record
/// may be `max` bytes, plus one buffer the csv reader reads ahead.
#[derive(Debug)]
pub(super) struct Guard {
    pub(super) limit: Arc<AtomicU64>,
    /// Where the last record ended.
    end: AtomicU64,
    pub(super) max: u64,
}

impl Guard {
    pub(super) fn new(max: u64) -> Guard {
        Guard {
            limit: Arc::new(AtomicU64::new(max.saturating_add(CSV_BUFFER as u64))),
            end: AtomicU64::new(0),
            max,
        }
    }

    /// Call after each record; an error when it was longer than the limit
    /// (the reader stops only a buffer later).
    #[inline]
    pub(super) fn after<R: Read>(&self, csv: &csv::Reader<R>) -> Result<(), csv::Error> {
        let end = csv.position().byte();
        let start = self.end.swap(end, Ordering::Relaxed);
        self.limit.store(
            end.saturating_add(self.max.saturating_add(CSV_BUFFER as u64)),
            Ordering::Relaxed,
        );
        if end - start > self.max {
            return Err(std::io::Error::other(TooLong).into());
        }
        Ok(())
    }
}

/// Fails a read past the guard's limit, so a record cannot grow without end.
pub(super) struct Capped<R> {
    pub(super) inner: R,
    pub(super) read: u64,
    pub(super) limit: Arc<AtomicU64>,
}

/// The marker error of [`Capped`].
#[derive(Debug)]
struct TooLong;

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record too long")
    }
}

impl std::error::Error for TooLong {}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = self.limit.load(Ordering::Relaxed).saturating_sub(self.read);
        if room == 0 {
            return Err(std::io::Error::other(TooLong));
        }
        let take = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..take])?;
        self.read += n as u64;
        Ok(n)
    }
}

/// A read error: one the decoder raised (bad bytes, another encoding), or
/// a failure of the file itself part way through, on `line`.
pub(super) fn io_error(name: &str, error: std::io::Error, line: u64) -> DataError {
    if let Some(found) = stream_error(&error) {
        return found.clone().into_error(name);
    }
    DataError::ReadFailed {
        at: Location::line(name, line),
        message: error.to_string(),
    }
}

/// The decoder's own error inside an I/O error, however deep it was wrapped.
pub(super) fn stream_error(error: &std::io::Error) -> Option<&input::StreamError> {
    let mut inner: Option<&(dyn std::error::Error + 'static)> = error.get_ref().map(|e| e as _);
    while let Some(error) = inner {
        if let Some(found) = error.downcast_ref::<input::StreamError>() {
            return Some(found);
        }
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            inner = io.get_ref().map(|e| e as _);
        } else {
            inner = error.source();
        }
    }
    None
}

/// A csv error (or one of the reader's own, carried inside it) as a data
/// error; `line` is where the record being read started.
pub(super) fn csv_error(name: &str, error: &csv::Error, line: u64, max: u64) -> DataError {
    let at = match error.position() {
        Some(position) => Location::line(name, position.line()),
        None => Location::line(name, line),
    };
    match error.kind() {
        csv::ErrorKind::Io(io) => {
            if let Some(found) = stream_error(io) {
                return found.clone().into_error(name);
            }
            if io.get_ref().is_some_and(|e| e.is::<TooLong>()) {
                return DataError::RecordTooLong { at, limit: max };
            }
            DataError::ReadFailed {
                at,
                message: io.to_string(),
            }
        }
        _ => DataError::Csv {
            at,
            message: error.to_string(),
        },
    }
}

/// Reads the next record into `record` (on this thread), checking its length;
/// false at the end of the input, or the error that stopped the reading.
pub(super) fn read_record<R: Read>(
    csv: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
    guard: &Guard,
    name: &str,
) -> Result<bool, DataError> {
    let read = match csv.read_byte_record(record) {
        Ok(true) => guard.after(csv).map(|()| true),
        other => other,
    };
    read.map_err(|error| {
        let line = record.position().map_or(0, |p| p.line());
        csv_error(name, &error, line, guard.max)
    })
}

/// Records per batch handed from the parsing thread to the row thread.
/// With two in flight, the records in motion (a few MB for wide rows) stay
/// in cache between the threads; on the 1,000,000-row benchmark this was
/// the fastest of the sizes and depths tried (512 × 8 was 10% slower).
const BATCH: usize = 2048;
/// Batches in flight between the two threads.
const BATCHES_IN_FLIGHT: usize = 2;

/// Reads every remaining record of `csv` and hands each, in order, to
/// `each`; returns the CSV error that stopped the reading, if any.
///
/// With more than one core and more than one batch of records, splitting a
/// record into fields (the csv crate) runs on this thread while `each` (the
/// caller's per-row work: numbers, keys, checks) runs on a second one, fed
/// batches of records through a bounded channel, so the two overlap instead
/// of adding up. Records still reach `each` one at a time and in file order,
/// so what is built, and every error, is the same as with one thread. A file
/// that fits in one batch never starts a thread.
pub(super) fn for_each_record<R: Read>(
    csv: &mut csv::Reader<R>,
    guard: &Guard,
    mut each: impl FnMut(&csv::ByteRecord) + Send,
) -> Option<(csv::Error, u64)> {
    // Fills `batch` (reusing its records' buffers) up to BATCH records; true
    // when the input has more, and the error that ended it, if one did, with
    // the line where its record started.
    let fill = |csv: &mut csv::Reader<R>, batch: &mut Vec<csv::ByteRecord>| {
        let mut count = 0;
        let mut stopped = None;
        while count < BATCH {
            if count == batch.len() {
                batch.push(csv::ByteRecord::new());
            }
            match csv.read_byte_record(&mut batch[count]) {
                Ok(true) => match guard.after(csv) {
                    Ok(()) => count += 1,
                    Err(error) => {
                        let line = batch[count].position().map_or(0, |p| p.line());
                        stopped = Some((error, line));
                        break;
                    }
                },
                Ok(false) => break,
                Err(error) => {
                    let line = batch[count].position().map_or(0, |p| p.line());
                    stopped = Some((error, line));
                    break;
                }
            }
        }
        batch.truncate(count);
        (count == BATCH && stopped.is_none(), stopped)
    };

    let mut batch = Vec::with_capacity(BATCH);
    let (more, stopped) = fill(csv, &mut batch);
    let parallel = crate::parallel::max_threads() > 1;
    if !more || !parallel {
        let mut stopped = stopped;
        let mut more = more;
        loop {
            batch.iter().for_each(&mut each);
            if !more {
                return stopped;
            }
            (more, stopped) = fill(csv, &mut batch);
        }
    }

    let (full, full_batches) =
        std::sync::mpsc::sync_channel::<Vec<csv::ByteRecord>>(BATCHES_IN_FLIGHT);
    let (empty, empty_batches) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for batch in full_batches {
                batch.iter().for_each(&mut each);
                // Back to the parser for reuse; it may have finished already.
                let _ = empty.send(batch);
            }
        });
        let (mut more, mut stopped) = (more, stopped);
        loop {
            // The row thread has gone only if it panicked; the scope re-raises that.
            if full.send(batch).is_err() || !more {
                break;
            }
            batch = empty_batches
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(BATCH));
            (more, stopped) = fill(csv, &mut batch);
            if batch.is_empty() {
                break;
            }
        }
        drop(full);
        stopped
    })
}

/// Line ends as the csv reader counts them right: each CRLF becomes LF.
///
/// The csv crate starts a record that follows a CRLF at the LF, before it
/// counts the new line, so every row of a file saved by Excel on Windows
/// would be named one line too early. A CR not followed by LF (an old Mac
/// line end, or one inside a quoted field) is kept.
pub(super) struct CrlfToLf<R> {
    inner: R,
    /// A CR ended the last chunk; whether it is dropped depends on what follows.
    held: bool,
}

impl<R> CrlfToLf<R> {
    pub(super) fn new(inner: R) -> Self {
        CrlfToLf { inner, held: false }
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.len() < 2 {
            // Room for a held CR and one byte is needed to decide; a caller
            // asking for one byte at a time is served unconverted.
            return self.inner.read(out);
        }
        loop {
            let start = usize::from(self.held);
            let read = self.inner.read(&mut out[start..])?;
            if read == 0 {
                let held = std::mem::take(&mut self.held);
                if held {
                    out[0] = b'\r';
                }
                return Ok(usize::from(held));
            }
            if self.held {
                out[0] = b'\r';
            }
            let mut len = start + read;
            self.held = out[len - 1] == b'\r';
            if self.held {
                len -= 1;
            }
            let kept = drop_cr_before_lf(&mut out[..len]);
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

/// Removes, in place, each CR directly followed by LF; returns the length kept.
fn drop_cr_before_lf(bytes: &mut [u8]) -> usize {
    let mut write = 0;
    let mut read = 0;
    while let Some(offset) = memchr::memchr(b'\r', &bytes[read..]) {
        let cr = read + offset;
        let end = if bytes.get(cr + 1) == Some(&b'\n') {
            cr
        } else {
            cr + 1
        };
        bytes.copy_within(read..end, write);
        write += end - read;
        read = cr + 1;
    }
    bytes.copy_within(read.., write);
    write + bytes.len() - read
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many batches (two threads where there are two cores) and a partial
    /// last one: every record arrives once, in order.
    #[test]
    fn records_arrive_in_order_across_batches() {
        for rows in [0, 1, BATCH - 1, BATCH, BATCH + 1, 7 * BATCH + 3] {
            let text: String = (0..rows).map(|i| format!("{i},x\n")).collect();
            let mut csv = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.as_bytes());
            let mut seen = Vec::new();
            let stopped = for_each_record(&mut csv, &Guard::new(u64::MAX / 4), |record| {
                let number = std::str::from_utf8(&record[0]).unwrap().parse::<usize>();
                seen.push((number.unwrap(), record.position().unwrap().line()));
            });
            assert!(stopped.is_none());
            let expected: Vec<(usize, u64)> = (0..rows).map(|i| (i, i as u64 + 1)).collect();
            assert_eq!(seen, expected, "{rows} rows");
        }
    }

    #[test]
    fn crlf_becomes_lf_however_the_reads_fall() {
        let text = b"a,b\r\nc,\"x\ry\"\r\n\r\r\nd\r";
        let want = b"a,b\nc,\"x\ry\"\n\r\nd\r".to_vec();
        for size in [2usize, 3, 4, 7, 64] {
            let mut reader = CrlfToLf::new(&text[..]);
            let mut got = Vec::new();
            let mut buffer = vec![0u8; size];
            loop {
                let n = reader.read(&mut buffer).unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buffer[..n]);
            }
            assert_eq!(got, want, "reads of {size}");
        }
    }
}
