//! The writer thread: it owns the write connection and commits, in one
//! transaction, every write that is waiting when it starts one (group
//! commit). Each write runs in its own savepoint, so one that fails is
//! undone alone; each caller is answered after the commit.
//!
//! The statistics' daily counts a write adds to are gathered over the whole
//! transaction and written once per count just before the commit: the
//! turns of one commit mostly add to the same few counts, so one upsert
//! per count replaces one per record.

use super::backend;
use crate::serve::store::stats::COUNT_UPSERT;
pub(crate) use crate::serve::store::stats_fold::CountKey;
use crate::serve::store::StoreError;
use rusqlite::{params, Connection};
use std::collections::HashMap;
use std::sync::mpsc;
use tokio::sync::oneshot;

/// After the commit: told whether it succeeded.
type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;
type Job = Box<dyn FnOnce(&Connection, &mut Counts) -> Completion + Send>;

/// Counts added by the writes of one transaction: how many records and
/// the sum of their values, per key.
#[derive(Debug, Default)]
pub(crate) struct Counts(HashMap<CountKey, (i64, i64)>);

impl Counts {
    /// `n` records of `key` whose values add up to `total`.
    pub(crate) fn add_many(&mut self, key: CountKey, n: i64, total: i64) {
        let entry = self.0.entry(key).or_insert((0, 0));
        entry.0 += n;
        entry.1 += total;
    }

    fn merge(&mut self, other: Counts) {
        for (key, (n, total)) in other.0 {
            let entry = self.0.entry(key).or_insert((0, 0));
            entry.0 += n;
            entry.1 += total;
        }
    }

    /// Adds the counts to their rows.
    fn write(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        let mut upsert = conn.prepare_cached(&format!(
            "INSERT INTO stats_daily (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, n, total)
             VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, -1, ?10, ?11)
             {COUNT_UPSERT}"
        ))?;
        for (k, (n, total)) in self.0.drain() {
            upsert.execute(params![
                k.kind,
                k.day,
                k.channel,
                k.lang,
                k.flow,
                k.step,
                k.step_index,
                k.detail,
                k.extra,
                n,
                total
            ])?;
        }
        Ok(())
    }
}

/// Writes gathered in one transaction at most.
const MAX_BATCH: usize = 256;

pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer on `conn` and, on `checkpointer` (another
    /// connection to the same file), the thread that copies the log into
    /// the database after commits: the writer itself never checkpoints
    /// (`wal_autocheckpoint` 0), so no turn waits for a checkpoint.
    pub(super) fn start(conn: Connection, checkpointer: Connection) -> Writer {
        let (jobs, rx) = mpsc::channel::<Job>();
        let (kick, kicked) = mpsc::sync_channel::<()>(1);
        std::thread::Builder::new()
            .name("guichet-sqlite-checkpoint".into())
            .spawn(move || checkpoints(checkpointer, kicked))
            .expect("the SQLite checkpoint thread starts");
        std::thread::Builder::new()
            .name("guichet-sqlite-writer".into())
            .spawn(move || run(conn, rx, kick))
            .expect("the SQLite writer thread starts");
        Writer { jobs }
    }

    /// Runs `f` in the next transaction; answers once it is committed.
    pub(super) async fn run<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, StoreError> + Send + 'static,
    {
        self.run_counting(move |conn, _| f(conn)).await
    }

    /// The same, for a write that adds to the statistics' daily counts:
    /// they are added with the transaction's other counts, if the write
    /// succeeds.
    pub(super) async fn run_counting<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection, &mut Counts) -> Result<R, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<Result<R, StoreError>>();
        let job: Job = Box::new(
            move |conn: &Connection, counts: &mut Counts| -> Completion {
                let mut own = Counts::default();
                let result = in_savepoint(conn, |c| f(c, &mut own));
                if result.is_ok() {
                    counts.merge(own);
                }
                Box::new(move |committed: Result<(), String>| {
                    let _ = tx.send(match (result, committed) {
                        (Ok(r), Ok(())) => Ok(r),
                        (Err(e), _) => Err(e),
                        (Ok(_), Err(e)) => Err(StoreError::Backend(e)),
                    });
                })
            },
        );
        self.jobs
            .send(job)
            .map_err(|_| StoreError::Backend("the SQLite writer has stopped".into()))?;
        rx.await
            .map_err(|_| StoreError::Backend("the write was not committed".into()))?
    }
}

fn in_savepoint<R>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    let run = |sql: &str| conn.prepare_cached(sql).and_then(|mut s| s.execute([]));
    run("SAVEPOINT job").map_err(backend)?;
    match f(conn) {
        Ok(r) => {
            run("RELEASE job").map_err(backend)?;
            Ok(r)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO job; RELEASE job");
            Err(e)
        }
    }
}

/// A log this long after a checkpoint that left frames behind (readers kept
/// them) is checkpointed again waiting for readers, so it cannot grow
/// without end: 262,144 frames of 4 KiB, a GiB.
const LOG_FRAMES_LIMIT: i64 = 262_144;

/// At most one checkpoint a second, after commits: each copies the pages
/// changed since the last one, so a page many turns change is copied once.
/// `PASSIVE` checkpoints run beside the writer and the readers.
fn checkpoints(conn: Connection, kicked: mpsc::Receiver<()>) {
    while kicked.recv().is_ok() {
        let done = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        });
        match done {
            Ok((log, copied)) if log > LOG_FRAMES_LIMIT && copied < log => {
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(())) {
                    tracing::warn!(error = %e, "the SQLite log could not be checkpointed");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "the SQLite log could not be checkpointed"),
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

fn run(conn: Connection, rx: mpsc::Receiver<Job>, kick: mpsc::SyncSender<()>) {
    while let Ok(first) = rx.recv() {
        let mut batch = Vec::with_capacity(16);
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let begun = conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| e.to_string());
        if begun.is_err() {
            // None ran: dropping a job drops its answer channel, and its
            // caller gets an error.
            drop(batch);
            continue;
        }
        let mut counts = Counts::default();
        let completions: Vec<Completion> = batch
            .into_iter()
            .map(|job| job(&conn, &mut counts))
            .collect();
        let committed = counts
            .write(&conn)
            .and_then(|()| conn.execute_batch("COMMIT"))
            .map_err(|e| e.to_string());
        if committed.is_err() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        for completion in completions {
            completion(committed.clone());
        }
        // Full: a checkpoint is due already.
        let _ = kick.try_send(());
    }
}
