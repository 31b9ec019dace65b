//! The writer thread: it owns the write connection and commits, in one
//! transaction, every write that is waiting when it starts one (group
//! commit). Each write runs in its own savepoint, so one that fails is
//! undone alone; each caller is answered after the commit.

use super::backend;
use crate::serve::store::StoreError;
use rusqlite::Connection;
use std::sync::mpsc;
use tokio::sync::oneshot;

/// After the commit: told whether it succeeded.
type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;
type Job = Box<dyn FnOnce(&Connection) -> Completion + Send>;

/// Writes gathered in one transaction at most.
const MAX_BATCH: usize = 256;

pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    pub(super) fn start(conn: Connection) -> Writer {
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("guichet-sqlite-writer".into())
            .spawn(move || run(conn, rx))
            .expect("the SQLite writer thread starts");
        Writer { jobs }
    }

    /// Runs `f` in the next transaction; answers once it is committed.
    pub(super) async fn run<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<Result<R, StoreError>>();
        let job: Job = Box::new(move |conn: &Connection| -> Completion {
            let result = in_savepoint(conn, f);
            Box::new(move |committed: Result<(), String>| {
                let _ = tx.send(match (result, committed) {
                    (Ok(r), Ok(())) => Ok(r),
                    (Err(e), _) => Err(e),
                    (Ok(_), Err(e)) => Err(StoreError::Backend(e)),
                });
            })
        });
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

fn run(conn: Connection, rx: mpsc::Receiver<Job>) {
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
        let completions: Vec<Completion> = batch.into_iter().map(|job| job(&conn)).collect();
        let committed = conn.execute_batch("COMMIT").map_err(|e| e.to_string());
        if committed.is_err() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        for completion in completions {
            completion(committed.clone());
        }
    }
}
