//! Work spread over the cores with scoped threads, results in input order.
//!
//! Used where a large input splits into independent items (indicator columns,
//! periods, runs of output rows) whose results do not depend on which thread
//! computes them, so output is the same to the bit with one thread or many.
//! Items are cut into one contiguous run per thread: simple, and even enough
//! for the columns and periods of a panel.

use std::num::NonZeroUsize;

/// Below this many rows, work stays on one thread: starting threads costs
/// more than it saves.
pub const PARALLEL_ROWS: usize = 20_000;

/// The most threads used by default: past this, the memory bandwidth a
/// column scan needs is spent, and more threads only add start-up cost.
pub const DEFAULT_MAX_THREADS: usize = 8;

/// Threads to use for work over `rows` rows: one for small inputs, else
/// [`max_threads`].
pub fn threads_for(rows: usize) -> usize {
    if rows < PARALLEL_ROWS {
        return 1;
    }
    max_threads()
}

/// The thread count: `KMGOV_THREADS` when it is a positive whole number
/// (`1` runs everything on one thread), else one per core, at most
/// [`DEFAULT_MAX_THREADS`]. Read once. Results are the same to the bit
/// whatever the count.
pub fn max_threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        threads_from(
            std::env::var("KMGOV_THREADS").ok().as_deref(),
            std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        )
    })
}

/// The thread count for a `KMGOV_THREADS` setting and a core count.
fn threads_from(setting: Option<&str>, cores: usize) -> usize {
    match setting.map(str::trim).and_then(|s| s.parse::<usize>().ok()) {
        Some(n) if n > 0 => n,
        _ => cores.min(DEFAULT_MAX_THREADS),
    }
}

/// `items.iter().map(f).collect()`, on up to `threads` threads.
pub fn map<T: Sync, R: Send>(threads: usize, items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let per_thread = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(per_thread)
            .map(|chunk| scope.spawn(|| chunk.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        workers.into_iter().flat_map(join).collect()
    })
}

/// `items.iter_mut().for_each(f)`, on up to `threads` threads.
pub fn for_each_mut<T: Send>(threads: usize, items: &mut [T], f: impl Fn(&mut T) + Sync) {
    for_each_run_mut(threads, items, |run| run.iter_mut().for_each(&f));
}

/// `f` of up to `threads` contiguous runs that together are `items`, each on
/// its own thread: for work that wants state of its own per thread, such as
/// a scratch buffer.
pub fn for_each_run_mut<T: Send>(threads: usize, items: &mut [T], f: impl Fn(&mut [T]) + Sync) {
    let threads = threads.min(items.len());
    if threads <= 1 {
        f(items);
        return;
    }
    let per_thread = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks_mut(per_thread)
            .map(|run| scope.spawn(|| f(run)))
            .collect();
        workers.into_iter().for_each(join);
    });
}

/// A worker's result; its panic, if it panicked, goes on in this thread.
fn join<R>(worker: std::thread::ScopedJoinHandle<'_, R>) -> R {
    worker
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thread_count_is_the_setting_or_the_cores() {
        assert_eq!(threads_from(Some("1"), 2), 1);
        assert_eq!(threads_from(Some(" 3 "), 2), 3);
        assert_eq!(threads_from(Some("0"), 2), 2);
        assert_eq!(threads_from(Some("many"), 32), DEFAULT_MAX_THREADS);
        assert_eq!(threads_from(None, 2), 2);
    }

    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u32> = (0..101).collect();
        for threads in [1, 2, 3, 8, 200] {
            assert_eq!(
                map(threads, &items, |x| x * 2),
                items.iter().map(|x| x * 2).collect::<Vec<_>>()
            );
            let mut copy = items.clone();
            for_each_mut(threads, &mut copy, |x| *x += 1);
            assert_eq!(copy, items.iter().map(|x| x + 1).collect::<Vec<_>>());
            let mut copy = items.clone();
            for_each_run_mut(threads, &mut copy, |run| {
                run.iter_mut().for_each(|x| *x *= 3)
            });
            assert_eq!(copy, items.iter().map(|x| x * 3).collect::<Vec<_>>());
        }
        assert!(map(2, &[] as &[u32], |x| *x).is_empty());
    }

    #[test]
    fn small_inputs_stay_on_one_thread() {
        assert_eq!(threads_for(10), 1);
        assert!(threads_for(1_000_000) >= 1);
    }
}
