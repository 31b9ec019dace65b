//! The embedded store: one SQLite file in WAL mode.
//!
//! One writer thread owns the write connection and commits the turns that
//! arrived together in one transaction (group commit), answering each after
//! the commit; reads go to a small pool of read connections. A turn's lock
//! is an async mutex per conversation in this process: the embedded store
//! serves one process. With `synchronous=NORMAL` in WAL mode a committed
//! transaction survives the process being killed (it may be lost only if
//! the machine itself loses power before the next checkpoint).

mod cache;
mod demo;
mod handover;
mod locks;
mod sql;
mod stats;
mod writer;

use super::{
    ActionRecord, ActionState, AnswerWrite, ConversationInfo, ConversationState, ConversationStore,
    LockedConversation, Migrations, NewConversation, StoreError, StoredEvent, TurnWrite,
};
use async_trait::async_trait;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const MIGRATIONS: Migrations = &[
    (
        1,
        include_str!("../../../../migrations/sqlite/0001_conversations.sql"),
    ),
    (
        2,
        include_str!("../../../../migrations/sqlite/0002_demo_backoffice.sql"),
    ),
    (
        3,
        include_str!("../../../../migrations/sqlite/0003_handover.sql"),
    ),
    (
        4,
        include_str!("../../../../migrations/sqlite/0004_stats_privacy.sql"),
    ),
    (
        5,
        include_str!("../../../../migrations/sqlite/0005_stats_counts.sql"),
    ),
    (
        6,
        include_str!("../../../../migrations/sqlite/0006_stats_record_indexes.sql"),
    ),
    (
        7,
        include_str!("../../../../migrations/sqlite/0007_stats_pending_counts.sql"),
    ),
    (
        8,
        include_str!("../../../../migrations/sqlite/0008_stats_pending_records.sql"),
    ),
    (
        9,
        include_str!("../../../../migrations/sqlite/0009_stats_lines.sql"),
    ),
    (
        10,
        include_str!("../../../../migrations/sqlite/0010_stats_lines_folded_mark.sql"),
    ),
    (
        11,
        include_str!("../../../../migrations/sqlite/0011_events_client_id.sql"),
    ),
    (
        12,
        include_str!("../../../../migrations/sqlite/0012_events_by_arrival.sql"),
    ),
    (
        13,
        include_str!("../../../../migrations/sqlite/0013_stats_lines_on_events.sql"),
    ),
];

/// Read connections: at most this many reads run at once, each on a
/// connection kept open. (Opening one costs more than a read: SQLite
/// parses the schema anew.)
const READERS: usize = 8;

/// Prepared statements kept per connection. A turn alone runs about twenty
/// distinct statements (its session, events, answer, hand-over outbox,
/// statistics); with rusqlite's default of 16 they pushed each other out and
/// every turn parsed its SQL again.
const STATEMENT_CACHE: usize = 128;

pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: writer::Writer,
    readers: Mutex<Vec<Connection>>,
    /// A permit per read running, so that no more than `READERS`
    /// connections are ever open for reading.
    read_permits: tokio::sync::Semaphore,
    locks: locks::LockMap,
    /// Recent conversations' state, kept after each turn.
    sessions: cache::SessionCache,
}

pub(crate) fn backend(e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Conflict
        }
        _ => StoreError::Backend(e.to_string()),
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // The writer never copies the log into the database itself: its
    // checkpoint thread does (see `writer`). The log is cut back to 64 MiB
    // after a checkpoint.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    Ok(())
}

/// Creates the file readable and writable by its owner only, before SQLite
/// opens it: its `-wal` and `-shm` files take the same permissions.
fn create_private(path: &Path) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)",
    )?;
    for (version, sql) in MIGRATIONS {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let done: Option<i64> = tx
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()?;
        if done.is_none() {
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_ms) VALUES (?1, ?2)",
                params![version, chrono::Utc::now().timestamp_millis()],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

impl SqliteStore {
    /// Opens (or creates) the store in the file at `path`, applying the
    /// migrations.
    pub async fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let p = path.clone();
        let (conn, checkpointer) = tokio::task::spawn_blocking(move || {
            create_private(&p)
                .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", p.display())))?;
            let mut conn = Connection::open(&p).map_err(backend)?;
            configure(&conn).map_err(backend)?;
            migrate(&mut conn).map_err(backend)?;
            let checkpointer = Connection::open(&p).map_err(backend)?;
            checkpointer
                .busy_timeout(Duration::from_secs(5))
                .map_err(backend)?;
            Ok::<_, StoreError>((conn, checkpointer))
        })
        .await
        .map_err(|e| StoreError::Backend(e.to_string()))??;
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                path,
                writer: writer::Writer::start(conn, checkpointer),
                readers: Mutex::new(Vec::new()),
                read_permits: tokio::sync::Semaphore::new(READERS),
                locks: locks::LockMap::default(),
                sessions: cache::SessionCache::default(),
            }),
        })
    }
}

impl Inner {
    fn reader(&self) -> rusqlite::Result<Connection> {
        if let Some(c) = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(c);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.busy_timeout(Duration::from_secs(5))?;
        Ok(conn)
    }

    fn give_back(&self, conn: Connection) {
        let mut pool = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < READERS {
            pool.push(conn);
        }
    }
}

impl SqliteStore {
    pub(crate) async fn read<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        read(&self.inner, f).await
    }

    pub(crate) async fn write<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, StoreError> + Send + 'static,
    {
        self.inner.writer.run(f).await
    }
}

impl SqliteStore {
    /// A read of a few rows by their keys (a turn's conversation and client
    /// message id), run on the calling task: from SQLite's page cache it
    /// takes less than handing it to a blocking thread and back, two thread
    /// wake-ups per turn. With every pooled connection in use, it waits its
    /// turn like the others.
    async fn read_keyed<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        let Ok(_permit) = self.inner.read_permits.try_acquire() else {
            return self.read(f).await;
        };
        let conn = self.inner.reader().map_err(backend)?;
        let result = f(&conn).map_err(backend);
        self.inner.give_back(conn);
        result
    }
}

async fn read<R, F>(inner: &Arc<Inner>, f: F) -> Result<R, StoreError>
where
    R: Send + 'static,
    F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
{
    let _permit = inner
        .read_permits
        .acquire()
        .await
        .map_err(|e| StoreError::Backend(e.to_string()))?;
    let inner = inner.clone();
    tokio::task::spawn_blocking(move || {
        let conn = inner.reader().map_err(backend)?;
        let result = f(&conn).map_err(backend);
        inner.give_back(conn);
        result
    })
    .await
    .map_err(|e| StoreError::Backend(e.to_string()))?
}

const INFO_COLUMNS: &str =
    "id, token_hash, channel, external_key, lang, last_seq, updated_ms, mode";

fn info_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConversationInfo> {
    Ok(ConversationInfo {
        id: r.get(0)?,
        token_hash: r.get(1)?,
        channel: r.get(2)?,
        external_key: r.get(3)?,
        lang: r.get(4)?,
        last_seq: r.get(5)?,
        updated_ms: r.get(6)?,
        mode: r.get(7)?,
    })
}

const ACTION_COLUMNS: &str =
    "conversation_id, action_id, name, args, client_id, state, attempts, created_ms";

fn action_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ActionRecord> {
    let state: String = r.get(5)?;
    Ok(ActionRecord {
        conversation_id: r.get(0)?,
        action_id: r.get(1)?,
        name: r.get(2)?,
        args: r.get(3)?,
        client_id: r.get(4)?,
        state: ActionState::parse(&state),
        attempts: r.get(6)?,
        created_ms: r.get(7)?,
    })
}

struct SqliteLocked {
    inner: Arc<Inner>,
    state: ConversationState,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

#[async_trait]
impl LockedConversation for SqliteLocked {
    fn state(&self) -> &ConversationState {
        &self.state
    }

    async fn answer_for(&mut self, client_id: &str) -> Result<Option<String>, StoreError> {
        let id = self.state.info.id.clone();
        let client_id = client_id.to_string();
        read(&self.inner, move |c| answer_of(c, &id, &client_id)).await
    }

    async fn action(&mut self, action_id: &str) -> Result<Option<ActionRecord>, StoreError> {
        let id = self.state.info.id.clone();
        let action_id = action_id.to_string();
        read(&self.inner, move |c| {
            c.prepare_cached(&format!(
                "SELECT {ACTION_COLUMNS} FROM actions WHERE conversation_id = ?1 AND action_id = ?2"
            ))?
            .query_row(params![id, action_id], action_row)
            .optional()
        })
        .await
    }

    async fn commit(self: Box<Self>, write: TurnWrite) -> Result<(), StoreError> {
        let read = self.state.clone();
        let next = state_after(&read, &write);
        let client_id = write
            .answer
            .as_ref()
            .filter(|a| !a.append)
            .map(|a| a.client_id.clone());
        let result = self
            .inner
            .writer
            .run(move |c| write_turn(c, &read, &write))
            .await;
        match &result {
            Ok(()) => self.inner.sessions.committed(next, client_id),
            Err(_) => self.inner.sessions.forget(&self.state.info.id),
        }
        drop(self);
        result
    }
}

/// The client message id to tag the turn's events with, when its answer
/// is exactly those events (as the service writes it) and none of it is
/// kept in `inputs`.
fn answer_in_events<'a>(
    c: &Connection,
    id: &str,
    a: &'a AnswerWrite,
    events: &[StoredEvent],
) -> rusqlite::Result<Option<&'a str>> {
    let is_events = !events.is_empty()
        && a.events
            == events
                .iter()
                .map(StoredEvent::to_json)
                .collect::<Vec<_>>()
                .join("\n");
    if !is_events {
        return Ok(None);
    }
    if a.append && in_inputs(c, id, &a.client_id)? {
        return Ok(None);
    }
    Ok(Some(a.client_id.as_str()))
}

fn in_inputs(c: &Connection, id: &str, client_id: &str) -> rusqlite::Result<bool> {
    c.prepare_cached("SELECT 1 FROM inputs WHERE conversation_id = ?1 AND client_id = ?2")?
        .exists(params![id, client_id])
}

/// An answer that is not its turn's events, kept as text in `inputs`.
fn write_answer(c: &Connection, id: &str, a: &AnswerWrite, now_ms: i64) -> rusqlite::Result<()> {
    if !a.append {
        c.prepare_cached(
            "INSERT INTO inputs (conversation_id, client_id, answer, at_ms) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, a.client_id, a.events, now_ms])?;
        return Ok(());
    }
    if !in_inputs(c, id, &a.client_id)? {
        // Its start is in events: kept whole in `inputs` from now on.
        let start = answer_of(c, id, &a.client_id)?.unwrap_or_default();
        c.prepare_cached(
            "INSERT INTO inputs (conversation_id, client_id, answer, at_ms) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, a.client_id, start, now_ms])?;
    }
    c.prepare_cached(
        "UPDATE inputs SET answer = CASE WHEN answer = '' THEN ?1 ELSE answer || char(10) || ?1 END
         WHERE conversation_id = ?2 AND client_id = ?3",
    )?
    .execute(params![a.events, id, a.client_id])?;
    Ok(())
}

/// The answer given to a client message id: kept in `inputs`, else the
/// events tagged with it.
fn answer_of(c: &Connection, id: &str, client_id: &str) -> rusqlite::Result<Option<String>> {
    let kept: Option<String> = c
        .prepare_cached("SELECT answer FROM inputs WHERE conversation_id = ?1 AND client_id = ?2")?
        .query_row(params![id, client_id], |r| r.get(0))
        .optional()?;
    if kept.is_some() {
        return Ok(kept);
    }
    let lines = c
        .prepare_cached(
            "SELECT seq, body FROM events WHERE conversation_id = ?1 AND client_id = ?2 ORDER BY seq",
        )?
        .query_map(params![id, client_id], |r| {
            Ok(StoredEvent {
                seq: r.get(0)?,
                body: r.get(1)?,
            }
            .to_json())
        })?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok((!lines.is_empty()).then(|| lines.join("\n")))
}

/// The conversation's row after `w`, as `write_turn` leaves it.
fn state_after(read: &ConversationState, w: &TurnWrite) -> ConversationState {
    let mut next = read.clone();
    next.session = w.session.clone();
    if let Some(lang) = &w.lang {
        next.info.lang = Some(lang.clone());
    }
    if let Some(e) = w.events.last() {
        next.info.last_seq = e.seq;
    }
    if let Some(offered) = &w.offered {
        next.offered = offered.clone();
    }
    next.info.updated_ms = w.now_ms;
    if let Some(mode) = w.mode {
        next.info.mode = mode.as_str().to_string();
    }
    next
}

/// Writes a turn over the state it started from: the row is updated only
/// if it is still that state, so nothing changed behind it is overwritten.
fn write_turn(c: &Connection, read: &ConversationState, w: &TurnWrite) -> Result<(), StoreError> {
    let id = read.info.id.as_str();
    let last_seq = w.events.last().map(|e| e.seq);
    let changed = c
        .prepare_cached(
            "UPDATE conversations SET session = ?1, lang = COALESCE(?2, lang),
                last_seq = COALESCE(?3, last_seq), offered = COALESCE(?4, offered), updated_ms = ?5,
                mode = COALESCE(?7, mode)
             WHERE id = ?6 AND last_seq = ?8 AND updated_ms = ?9",
        )
        .and_then(|mut s| {
            s.execute(params![
                w.session,
                w.lang,
                last_seq,
                w.offered,
                w.now_ms,
                id,
                w.mode.map(|m| m.as_str()),
                read.info.last_seq,
                read.info.updated_ms
            ])
        })
        .map_err(backend)?;
    if changed != 1 {
        let exists = c
            .prepare_cached("SELECT 1 FROM conversations WHERE id = ?1")
            .and_then(|mut s| s.exists([id]))
            .map_err(backend)?;
        return Err(if exists {
            StoreError::Busy
        } else {
            StoreError::NotFound
        });
    }
    let tagged = w
        .answer
        .as_ref()
        .map(|a| answer_in_events(c, id, a, &w.events))
        .transpose()
        .map_err(backend)?
        .flatten();
    // The turn's statistics line goes on its last event; with no event,
    // on its own.
    let stats_line = w
        .stats
        .as_ref()
        .map(|st| crate::serve::store::stats_fold::pending_line(w.now_ms, st));
    {
        let mut insert = c
            .prepare_cached(
                "INSERT INTO events (conversation_id, seq, body, at_ms, client_id, stats) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(backend)?;
        let last = w.events.len().saturating_sub(1);
        for (i, e) in w.events.iter().enumerate() {
            let stats = stats_line.as_deref().filter(|_| i == last);
            insert
                .execute(params![id, e.seq, e.body, w.now_ms, tagged, stats])
                .map_err(backend)?;
        }
    }
    if let Some(a) = w.answer.as_ref().filter(|_| tagged.is_none()) {
        write_answer(c, id, a, w.now_ms).map_err(backend)?;
    }
    for a in &w.new_actions {
        c.prepare_cached(
            "INSERT INTO actions (conversation_id, action_id, name, args, client_id, token_hash, state, attempts, created_ms, updated_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'owed', 0, ?7, ?7)
             ON CONFLICT (conversation_id, action_id) DO UPDATE SET name = excluded.name,
                args = excluded.args, client_id = excluded.client_id, token_hash = excluded.token_hash,
                state = 'owed', attempts = 0, created_ms = excluded.created_ms, updated_ms = excluded.updated_ms",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                a.action_id,
                a.name,
                a.args,
                a.client_id,
                a.token_hash,
                w.now_ms
            ])
        })
        .map_err(backend)?;
    }
    for (action_id, state) in &w.action_states {
        c.prepare_cached(
            "UPDATE actions SET state = ?1, updated_ms = ?2 WHERE conversation_id = ?3 AND action_id = ?4",
        )
        .and_then(|mut s| s.execute(params![state.as_str(), w.now_ms, id, action_id]))
        .map_err(backend)?;
    }
    if let Some(case) = &w.case {
        handover::write_case(c, id, case, w.now_ms)?;
    }
    handover::write_outbox(c, id, &w.outbox, w.now_ms)?;
    if let Some(line) = stats_line.filter(|_| w.events.is_empty()) {
        stats::write_pending(c, id, &line, w.now_ms)?;
    }
    Ok(())
}

impl SqliteStore {
    /// A conversation's state, the answer to `client_id` and every client
    /// message id it answered, in one read.
    async fn read_state(
        &self,
        id: &str,
        client_id: Option<&str>,
    ) -> Result<(ConversationState, Option<String>, HashSet<String>), StoreError> {
        let id = id.to_string();
        let client_id = client_id.map(str::to_string);
        self.read_keyed(move |c| {
            let Some(state) = c
                .prepare_cached(&format!(
                    "SELECT {INFO_COLUMNS}, session, offered FROM conversations WHERE id = ?1"
                ))?
                .query_row(params![id], |r| {
                    Ok(ConversationState {
                        info: info_row(r)?,
                        session: r.get(8)?,
                        offered: r.get(9)?,
                    })
                })
                .optional()?
            else {
                return Ok(None);
            };
            let answer = match &client_id {
                Some(client_id) => answer_of(c, &id, client_id)?,
                None => None,
            };
            let client_ids = c
                .prepare_cached(
                    "SELECT client_id FROM inputs WHERE conversation_id = ?1
                     UNION SELECT client_id FROM events WHERE conversation_id = ?1 AND client_id IS NOT NULL",
                )?
                .query_map([&id], |r| r.get(0))?
                .collect::<rusqlite::Result<HashSet<String>>>()?;
            Ok(Some((state, answer, client_ids)))
        })
        .await?
        .ok_or(StoreError::NotFound)
    }

    /// The answer given to a client message id.
    async fn answer(&self, id: &str, client_id: &str) -> Result<Option<String>, StoreError> {
        let (id, client_id) = (id.to_string(), client_id.to_string());
        self.read_keyed(move |c| answer_of(c, &id, &client_id))
            .await
    }

    /// Takes the conversation's lock and reads its state, with the answer
    /// to `client_id`: from the sessions kept in memory when it is there,
    /// else in one read.
    async fn lock_reading(
        &self,
        id: &str,
        client_id: Option<&str>,
        wait: Duration,
    ) -> Result<(Box<dyn LockedConversation>, Option<String>), StoreError> {
        let guard = tokio::time::timeout(wait, self.inner.locks.lock(id))
            .await
            .map_err(|_| StoreError::Busy)?;
        let (state, answer) = match self.inner.sessions.get(id, client_id) {
            Some(hit) => {
                let answer = match client_id.filter(|_| hit.answered) {
                    Some(client_id) => self.answer(id, client_id).await?,
                    None => None,
                };
                (hit.state, answer)
            }
            None => {
                let (state, answer, client_ids) = self.read_state(id, client_id).await?;
                self.inner.sessions.put(state.clone(), client_ids);
                (state, answer)
            }
        };
        let locked: Box<dyn LockedConversation> = Box::new(SqliteLocked {
            inner: self.inner.clone(),
            state,
            _guard: guard,
        });
        Ok((locked, answer))
    }
}

#[async_trait]
impl ConversationStore for SqliteStore {
    async fn create_conversation(&self, new: NewConversation) -> Result<(), StoreError> {
        let state = ConversationState {
            info: ConversationInfo {
                id: new.id.clone(),
                token_hash: new.token_hash.clone(),
                channel: new.channel.clone(),
                external_key: new.external_key.clone(),
                lang: new.lang.clone(),
                last_seq: 0,
                updated_ms: new.now_ms,
                mode: super::Mode::Bot.as_str().into(),
            },
            session: new.session.clone(),
            offered: "[]".into(),
        };
        self.write(move |c| {
            c.prepare_cached(
                "INSERT INTO conversations (id, token_hash, channel, external_key, lang, session, last_seq, offered, created_ms, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, '[]', ?7, ?7)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    new.id,
                    new.token_hash,
                    new.channel,
                    new.external_key,
                    new.lang,
                    new.session,
                    new.now_ms
                ])
            })
            .map_err(backend)?;
            Ok(())
        })
        .await?;
        self.inner.sessions.put(state, HashSet::new());
        Ok(())
    }

    async fn conversation(&self, id: &str) -> Result<Option<ConversationInfo>, StoreError> {
        let id = id.to_string();
        self.read(move |c| {
            c.prepare_cached(&format!(
                "SELECT {INFO_COLUMNS} FROM conversations WHERE id = ?1"
            ))?
            .query_row([id], info_row)
            .optional()
        })
        .await
    }

    async fn conversation_by_key(
        &self,
        channel: &str,
        external_key: &str,
    ) -> Result<Option<ConversationInfo>, StoreError> {
        let (channel, key) = (channel.to_string(), external_key.to_string());
        self.read(move |c| {
            c.prepare_cached(&format!(
                "SELECT {INFO_COLUMNS} FROM conversations WHERE channel = ?1 AND external_key = ?2"
            ))?
            .query_row([channel, key], info_row)
            .optional()
        })
        .await
    }

    async fn lock(
        &self,
        id: &str,
        wait: Duration,
    ) -> Result<Box<dyn LockedConversation>, StoreError> {
        Ok(self.lock_reading(id, None, wait).await?.0)
    }

    async fn lock_for_input(
        &self,
        id: &str,
        client_id: &str,
        wait: Duration,
    ) -> Result<(Box<dyn LockedConversation>, Option<String>), StoreError> {
        self.lock_reading(id, Some(client_id), wait).await
    }

    async fn events_after(
        &self,
        id: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let id = id.to_string();
        self.read(move |c| {
            let mut s = c.prepare_cached(
                "SELECT seq, body FROM events WHERE conversation_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let rows = s.query_map(params![id, after, limit as i64], |r| {
                Ok(StoredEvent {
                    seq: r.get(0)?,
                    body: r.get(1)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    async fn action_by_token(&self, token_hash: &[u8]) -> Result<Option<ActionRecord>, StoreError> {
        let hash = token_hash.to_vec();
        self.read(move |c| {
            c.prepare_cached(&format!(
                "SELECT {ACTION_COLUMNS} FROM actions WHERE token_hash = ?1"
            ))?
            .query_row([hash], action_row)
            .optional()
        })
        .await
    }

    async fn claim_owed_actions(
        &self,
        stale_before_ms: i64,
        now_ms: i64,
        limit: usize,
    ) -> Result<Vec<ActionRecord>, StoreError> {
        self.write(move |c| {
            let mut s = c
                .prepare_cached(&format!(
                    "UPDATE actions SET attempts = attempts + 1, updated_ms = ?1
                     WHERE rowid IN (SELECT rowid FROM actions WHERE state = 'owed' AND updated_ms < ?2 LIMIT ?3)
                     RETURNING {ACTION_COLUMNS}"
                ))
                .map_err(backend)?;
            let rows = s
                .query_map(params![now_ms, stale_before_ms, limit as i64], action_row)
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(backend)
        })
        .await
    }

    async fn rekey_action(
        &self,
        conversation_id: &str,
        action_id: &str,
        token_hash: &[u8],
    ) -> Result<(), StoreError> {
        let (c_id, a_id, hash) = (
            conversation_id.to_string(),
            action_id.to_string(),
            token_hash.to_vec(),
        );
        self.write(move |c| {
            c.execute(
                "UPDATE actions SET token_hash = ?1 WHERE conversation_id = ?2 AND action_id = ?3",
                params![hash, c_id, a_id],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn expire_idle(&self, before_ms: i64) -> Result<u64, StoreError> {
        self.write(move |c| {
            let idle = "SELECT id FROM conversations WHERE updated_ms < ?1";
            for table in [
                "events",
                "inputs",
                "actions",
                "cases",
                "outbox",
                "messenger_contacts",
            ] {
                c.execute(
                    &format!("DELETE FROM {table} WHERE conversation_id IN ({idle})"),
                    [before_ms],
                )
                .map_err(backend)?;
            }
            let n = c
                .execute(
                    "DELETE FROM conversations WHERE updated_ms < ?1",
                    [before_ms],
                )
                .map_err(backend)?;
            Ok(n as u64)
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.read(|c| c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)))
            .await
            .map(|_| ())
    }
}

#[async_trait]
impl super::Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }
}
