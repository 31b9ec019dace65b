//! Session files (`run --session`, the REPL's `/save`): they hold what a
//! citizen told the bot, so they are written for their owner only, whole
//! or not at all, without ever writing through a link planted beside them.

use guichet::runtime::Session;
use std::fs::{self, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes the session to a new temporary file beside the target (an
/// unpredictable name, created only if nothing has that name, readable by
/// its owner only), then renames it over the target: a reader never sees
/// half a session, and a symlink at any name guichet uses is never followed.
pub fn save(file: &Path, session: &Session) -> std::io::Result<()> {
    let json = serde_json::to_vec(session).map_err(std::io::Error::other)?;
    write_atomically(file, &json)
}

pub fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (tmp, mut f) = create_temporary(file)?;
    let written = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| fs::rename(&tmp, file));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written?;
    sync_dir(file);
    Ok(())
}

fn create_temporary(file: &Path) -> std::io::Result<(PathBuf, fs::File)> {
    let mut last = None;
    for _ in 0..8 {
        let tmp = temporary_name(file, &random_hex());
        let mut options = OpenOptions::new();
        // `create_new` is O_CREAT|O_EXCL: it fails on any existing name,
        // a symlink included, and never follows one.
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// `.NAME.PID.RANDOM.tmp` beside `NAME`: the process id tells whether the
/// writer is still alive when stale files are cleaned up.
fn temporary_name(file: &Path, random: &str) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session".into());
    file.with_file_name(format!(".{name}.{}.{random}.tmp", std::process::id()))
}

/// 128 bits from the standard library's randomly keyed hasher (seeded by
/// the operating system), mixed with the clock and a counter.
fn random_hex() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut words = [0u64; 2];
    for (i, w) in words.iter_mut().enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(count);
        h.write_u128(nanos);
        h.write_usize(i);
        *w = h.finish();
    }
    format!("{:016x}{:016x}", words[0], words[1])
}

/// Removes the temporary files that earlier runs killed mid-write left
/// beside `file` (never one of a process still running), and those of the
/// older naming (`NAME.tmpPID`).
pub fn remove_stale_temporaries(file: &Path) {
    let Some(name) = file.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let legacy = format!("{stem}.tmp");
    for entry in entries.flatten() {
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        let stale = if let Some(rest) = entry_name
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(".tmp"))
        {
            let pid = rest.split('.').next().and_then(|p| p.parse::<u32>().ok());
            match pid {
                Some(pid) => pid != std::process::id() && !process_alive(pid),
                None => false,
            }
        } else if let Some(pid) = entry_name.strip_prefix(&legacy) {
            !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
        } else {
            false
        };
        // `remove_file` on a symlink removes the link, not what it points to.
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs, where `/proc` tells; elsewhere a
/// temporary file is taken as stale.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

/// Makes the rename itself durable, where directories can be synced.
fn sync_dir(file: &Path) {
    #[cfg(unix)]
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = file;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_differ_and_carry_the_process_id() {
        let a = temporary_name(Path::new("/x/s.json"), &random_hex());
        let b = temporary_name(Path::new("/x/s.json"), &random_hex());
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(&format!(".s.json.{}.", std::process::id())));
        assert!(name.ends_with(".tmp"));
    }
}
