//! The temporary file an output is being written to, known to a signal
//! handler so that Ctrl-C, `kill` or a closed terminal does not leave a
//! `.kmgov-*.tmp` behind.
//!
//! The path lives in one atomic slot as a C string: a signal handler may only
//! do async-signal-safe work, and taking the pointer with a swap and calling
//! `unlink` is that. Whoever swaps the pointer out owns it, so the handler
//! and the writer never free it twice. One slot suffices for the command,
//! which writes one output; a library user writing several at once from
//! threads only has the latest one removed on a signal.

use std::io;
use std::path::Path;

use tempfile::NamedTempFile;

/// A temporary output file, registered for removal on a signal while it lives.
pub(super) struct Unfinished {
    file: Option<NamedTempFile>,
}

/// Creates `.kmgov-*.tmp` in `folder`, with the mode of a new file (0666 less
/// the umask, not tempfile's 0600), and registers it.
pub(super) fn create(folder: &Path) -> io::Result<Unfinished> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".kmgov-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // A signal between creating the file and registering its name would
    // leave the file behind: hold the signals back until it is registered.
    let held = HeldSignals::hold();
    let file = builder.tempfile_in(folder);
    if let Ok(file) = &file {
        slot::register(file.path());
    }
    drop(held);
    Ok(Unfinished { file: Some(file?) })
}

/// SIGINT, SIGTERM, SIGHUP and SIGQUIT held back (blocked) on this thread
/// while it lives; any that arrive are delivered when it is dropped.
struct HeldSignals {
    #[cfg(unix)]
    previous: libc::sigset_t,
}

impl HeldSignals {
    #[cfg(unix)]
    fn hold() -> HeldSignals {
        // SAFETY: sigemptyset, sigaddset and pthread_sigmask only read and
        // write the sets passed, which live on this stack frame.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            let mut previous: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
                libc::sigaddset(&mut set, signal);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut previous);
            HeldSignals { previous }
        }
    }

    #[cfg(not(unix))]
    fn hold() -> HeldSignals {
        HeldSignals {}
    }
}

impl Drop for HeldSignals {
    fn drop(&mut self) {
        // SAFETY: restores the mask saved by `hold` on this thread.
        #[cfg(unix)]
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.previous, std::ptr::null_mut());
        }
    }
}

/// Renames the finished file to `target`.
pub(super) fn persist(mut unfinished: Unfinished, target: &Path) -> io::Result<()> {
    let file = unfinished
        .file
        .take()
        .ok_or_else(|| io::Error::other("already persisted"))?;
    file.persist(target).map(drop).map_err(|error| error.error)
}

impl Unfinished {
    /// The temporary file's path.
    pub(super) fn path(&self) -> &Path {
        self.file
            .as_ref()
            .map_or(Path::new(""), NamedTempFile::path)
    }

    /// The open file, to write to.
    pub(super) fn as_file_mut(&mut self) -> &mut std::fs::File {
        self.file
            .as_mut()
            .expect("the file is there until persisted")
            .as_file_mut()
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        // Remove (or have renamed) the file first, then forget its name: a
        // signal in between finds a name with no file, which is harmless.
        drop(self.file.take());
        slot::forget();
    }
}

/// Removes the output file being written, if any. Safe to call from a signal
/// handler (it only swaps a pointer and calls `unlink`); call it from one for
/// SIGINT, SIGTERM, SIGHUP and SIGQUIT so that an interrupted `--output`
/// leaves nothing behind.
pub fn remove_unfinished_output() {
    slot::remove();
}

#[cfg(unix)]
mod slot {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr;
    use std::sync::atomic::{AtomicPtr, Ordering};

    static PATH: AtomicPtr<libc::c_char> = AtomicPtr::new(ptr::null_mut());

    pub(super) fn register(path: &Path) {
        let Ok(path) = CString::new(path.as_os_str().as_bytes()) else {
            return;
        };
        free(PATH.swap(path.into_raw(), Ordering::SeqCst));
    }

    pub(super) fn forget() {
        free(PATH.swap(ptr::null_mut(), Ordering::SeqCst));
    }

    pub(super) fn remove() {
        let path = PATH.swap(ptr::null_mut(), Ordering::SeqCst);
        if !path.is_null() {
            // SAFETY: `path` came from CString::into_raw and, swapped out of
            // the slot, is ours alone. It is leaked on purpose: freeing is not
            // async-signal-safe, and the process is about to end.
            unsafe {
                libc::unlink(path);
            }
        }
    }

    fn free(path: *mut libc::c_char) {
        if !path.is_null() {
            // SAFETY: from CString::into_raw, and swapped out of the slot,
            // so no one else can free it.
            drop(unsafe { CString::from_raw(path) });
        }
    }
}

#[cfg(not(unix))]
mod slot {
    use std::path::Path;

    pub(super) fn register(_: &Path) {}
    pub(super) fn forget() {}
    pub(super) fn remove() {}
}
