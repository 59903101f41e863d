//! Standard output and error as the process found them, and the signals that
//! must not leave a half-written output behind.
//!
//! Rust's runtime reopens a closed standard output on `/dev/null` before
//! `main`, so `kmgov score >&-` would "succeed" having written nothing. A
//! constructor that runs before the runtime records which descriptors were
//! closed, so that writing to one is an error instead.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use kmgov::export::text::terminal_safe;

/// True when descriptor 1 was closed when the process started.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// True when standard output was closed at start (`>&-`).
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

#[cfg(unix)]
extern "C" fn record_closed_descriptors() {
    // SAFETY: F_GETFD only asks whether descriptor 1 is open; nothing else runs yet.
    let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } == -1;
    STDOUT_CLOSED.store(closed, Ordering::Relaxed);
}

// Run before the Rust runtime, which would hide a closed descriptor.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_CLOSED_DESCRIPTORS: extern "C" fn() = record_closed_descriptors;

#[cfg(target_vendor = "apple")]
#[used]
#[unsafe(link_section = "__DATA,__mod_init_func")]
static RECORD_CLOSED_DESCRIPTORS: extern "C" fn() = record_closed_descriptors;

/// On SIGINT, SIGTERM, SIGHUP and SIGQUIT, removes the output file being
/// written, then dies of the signal as it would have anyway. A signal that
/// was ignored when kmgov started (`nohup`) stays ignored.
pub fn remove_unfinished_output_on_signals() {
    // SIGHUP: a closed terminal or a dropped ssh session; SIGQUIT: Ctrl-\.
    #[cfg(unix)]
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
        // SAFETY: installs a handler that only does async-signal-safe work
        // (see on_signal); `signal` returns the previous disposition.
        unsafe {
            let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            if libc::signal(signal, handler) == libc::SIG_IGN {
                libc::signal(signal, libc::SIG_IGN);
            }
        }
    }
}

#[cfg(unix)]
extern "C" fn on_signal(signal: libc::c_int) {
    kmgov::export::remove_unfinished_output();
    // SAFETY: signal and raise are async-signal-safe. The signal is blocked
    // while this handler runs, so the raised one is delivered, with the
    // default action, as soon as it returns.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// Writes `text` to standard error with control characters escaped on every
/// line. A closed standard error has nowhere to report to, so failure is
/// ignored rather than a panic.
pub fn say(text: &str) {
    let mut stderr = io::stderr().lock();
    for line in text.lines() {
        let _ = writeln!(stderr, "{}", terminal_safe(line));
    }
}
