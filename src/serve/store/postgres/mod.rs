//! The shared store: PostgreSQL, for several `guichet serve` replicas.
//!
//! A turn holds its conversation's row lock (`SELECT ... FOR UPDATE`)
//! inside the transaction that commits it, with a `lock_timeout`: a
//! replica that dies drops its connection, and PostgreSQL releases the lock
//! at once. Events committed by one replica are announced to the others by
//! `NOTIFY guichet_events` (conversation id and seq) once committed, so a stream open on
//! another replica reads them from the store.

mod demo;
mod handover;
mod listen;
mod sql;
mod stats;

use super::stats_fold;
use super::{
    ActionRecord, ActionState, ConversationInfo, ConversationState, ConversationStore,
    LockedConversation, Migrations, NewConversation, StoreError, StoredEvent, TurnWrite,
};
use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_postgres::{NoTls, Row};

const MIGRATIONS: Migrations = &[
    (
        1,
        include_str!("../../../../migrations/postgres/0001_conversations.sql"),
    ),
    (
        2,
        include_str!("../../../../migrations/postgres/0002_demo_backoffice.sql"),
    ),
    (
        3,
        include_str!("../../../../migrations/postgres/0003_handover.sql"),
    ),
    (
        4,
        include_str!("../../../../migrations/postgres/0004_stats_privacy.sql"),
    ),
    (
        5,
        include_str!("../../../../migrations/postgres/0005_stats_counts.sql"),
    ),
    (
        6,
        include_str!("../../../../migrations/postgres/0006_stats_record_indexes.sql"),
    ),
    (
        7,
        include_str!("../../../../migrations/postgres/0007_stats_pending_counts.sql"),
    ),
    (
        8,
        include_str!("../../../../migrations/postgres/0008_stats_pending_records.sql"),
    ),
    (
        9,
        include_str!("../../../../migrations/postgres/0009_stats_lines.sql"),
    ),
];

/// The channel of `NOTIFY`.
const CHANNEL: &str = "guichet_events";

pub struct PgStore {
    pool: Pool,
    replica: String,
    remote: broadcast::Sender<(String, i64)>,
    _listener: listen::Listener,
}

pub(crate) fn backend(e: tokio_postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == tokio_postgres::error::SqlState::UNIQUE_VIOLATION {
            return StoreError::Conflict;
        }
        if *code == tokio_postgres::error::SqlState::LOCK_NOT_AVAILABLE
            || *code == tokio_postgres::error::SqlState::QUERY_CANCELED
        {
            return StoreError::Busy;
        }
        return StoreError::Backend(format!("{}: {}", code.code(), db.message()));
    }
    StoreError::Backend(e.to_string())
}

fn pool_error(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => backend(e),
        other => StoreError::Backend(other.to_string()),
    }
}

impl PgStore {
    /// Connects, applies the migrations (one replica at a time) and starts
    /// listening for the other replicas' events.
    pub async fn connect(url: &str) -> Result<PgStore, StoreError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| StoreError::Backend(e.to_string()))?;
        // A replica stuck inside a transaction lets go of its locks.
        config.options("-c idle_in_transaction_session_timeout=60000");
        config.connect_timeout(Duration::from_secs(10));
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(32)
            .build()
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let mut client = pool.get().await.map_err(pool_error)?;
        migrate(&mut client).await?;
        drop(client);
        let mut replica = [0u8; 8];
        let _ = getrandom::fill(&mut replica);
        let replica: String = replica.iter().map(|b| format!("{b:02x}")).collect();
        let (remote, _) = broadcast::channel(1024);
        let listener = listen::Listener::start(config, replica.clone(), remote.clone());
        Ok(PgStore {
            pool,
            replica,
            remote,
            _listener: listener,
        })
    }

    pub(crate) async fn client(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(pool_error)
    }
}

async fn migrate(client: &mut Object) -> Result<(), StoreError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)",
        )
        .await
        .map_err(backend)?;
    for (version, sql) in MIGRATIONS {
        let tx = client.transaction().await.map_err(backend)?;
        // One replica migrates at a time; the others wait, then skip.
        tx.execute("SELECT pg_advisory_xact_lock(7469611)", &[])
            .await
            .map_err(backend)?;
        let done = tx
            .query_opt(
                "SELECT version FROM schema_migrations WHERE version = $1",
                &[version],
            )
            .await
            .map_err(backend)?;
        if done.is_none() {
            tx.batch_execute(sql).await.map_err(backend)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)",
                &[version, &chrono::Utc::now().timestamp_millis()],
            )
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
    }
    Ok(())
}

const INFO_COLUMNS: &str =
    "id, token_hash, channel, external_key, lang, last_seq, updated_ms, mode";

fn info_row(r: &Row) -> ConversationInfo {
    ConversationInfo {
        id: r.get(0),
        token_hash: r.get(1),
        channel: r.get(2),
        external_key: r.get(3),
        lang: r.get(4),
        last_seq: r.get(5),
        updated_ms: r.get(6),
        mode: r.get(7),
    }
}

const ACTION_COLUMNS: &str =
    "conversation_id, action_id, name, args, client_id, state, attempts, created_ms";

fn action_row(r: &Row) -> ActionRecord {
    let state: String = r.get(5);
    ActionRecord {
        conversation_id: r.get(0),
        action_id: r.get(1),
        name: r.get(2),
        args: r.get(3),
        client_id: r.get(4),
        state: ActionState::parse(&state),
        attempts: r.get(6),
        created_ms: r.get(7),
    }
}

/// A conversation whose row this connection holds locked, inside an open
/// transaction. Dropped without `commit`, it is rolled back.
struct PgLocked {
    client: Option<Object>,
    state: ConversationState,
    replica: String,
}

impl Drop for PgLocked {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            if let Ok(handle) = tokio::runtime::Handle::try_current() {
                handle.spawn(async move {
                    let _ = client.batch_execute("ROLLBACK").await;
                });
            }
        }
    }
}

impl PgLocked {
    fn client(&self) -> Result<&Object, StoreError> {
        self.client
            .as_ref()
            .ok_or_else(|| StoreError::Backend("the transaction is over".into()))
    }
}

#[async_trait]
impl LockedConversation for PgLocked {
    fn state(&self) -> &ConversationState {
        &self.state
    }

    async fn answer_for(&mut self, client_id: &str) -> Result<Option<String>, StoreError> {
        let c = self.client()?;
        let row = c
            .query_opt(
                "SELECT answer FROM inputs WHERE conversation_id = $1 AND client_id = $2",
                &[&self.state.info.id, &client_id],
            )
            .await
            .map_err(backend)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn action(&mut self, action_id: &str) -> Result<Option<ActionRecord>, StoreError> {
        let c = self.client()?;
        let row = c
            .query_opt(
                &format!(
                    "SELECT {ACTION_COLUMNS} FROM actions WHERE conversation_id = $1 AND action_id = $2"
                ),
                &[&self.state.info.id, &action_id],
            )
            .await
            .map_err(backend)?;
        Ok(row.as_ref().map(action_row))
    }

    async fn commit(mut self: Box<Self>, w: TurnWrite) -> Result<(), StoreError> {
        let client = self
            .client
            .take()
            .ok_or_else(|| StoreError::Backend("the transaction is over".into()))?;
        let id = self.state.info.id.clone();
        let result = write_turn(&client, &id, &w).await;
        match result {
            Ok(()) => {
                client.batch_execute("COMMIT").await.map_err(backend)?;
                // Announced once committed, outside the transaction: a
                // NOTIFY in it takes PostgreSQL's database-wide notify lock
                // at commit and holds it while the commit is flushed, so
                // every replica's turns committed one after another.
                if let Some(seq) = w.events.last().map(|e| e.seq) {
                    if let Err(e) = notify(&client, &self.replica, &id, seq).await {
                        // The turn stands; streams on other replicas see
                        // its events when they next read the store.
                        tracing::warn!(error = %e, "a turn's events could not be announced to other replicas");
                    }
                }
                Ok(())
            }
            Err(e) => {
                let _ = client.batch_execute("ROLLBACK").await;
                Err(e)
            }
        }
    }
}

/// Writes a turn inside its transaction. The statements do not depend on
/// one another, so they are sent together: tokio-postgres pipelines the
/// requests of futures polled at once on one connection, and the turn costs
/// one round trip to the server instead of one per statement. (On an error
/// the caller rolls the transaction back.)
/// Tells the other replicas (`LISTEN guichet_events`) that a conversation
/// has events up to `seq`.
async fn notify(c: &Object, replica: &str, id: &str, seq: i64) -> Result<(), StoreError> {
    let s = c
        .prepare_cached("SELECT pg_notify($1, $2)")
        .await
        .map_err(backend)?;
    let payload = format!("{replica} {id} {seq}");
    c.execute(&s, &[&CHANNEL, &payload])
        .await
        .map_err(backend)?;
    Ok(())
}

async fn write_turn(c: &Object, id: &str, w: &TurnWrite) -> Result<(), StoreError> {
    let last_seq = w.events.last().map(|e| e.seq);
    let conversation = async {
        let s = c
            .prepare_cached(
                "UPDATE conversations SET session = $1, lang = COALESCE($2, lang),
                    last_seq = COALESCE($3, last_seq), offered = COALESCE($4, offered), updated_ms = $5,
                    mode = COALESCE($7, mode)
                 WHERE id = $6",
            )
            .await
            .map_err(backend)?;
        let mode = w.mode.map(|m| m.as_str());
        let changed = c
            .execute(
                &s,
                &[
                    &w.session, &w.lang, &last_seq, &w.offered, &w.now_ms, &id, &mode,
                ],
            )
            .await
            .map_err(backend)?;
        if changed != 1 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    };
    // The turn's statistics wait as one line, folded in later with other
    // turns' (`store::stats_fold`), written by the events' statement.
    let records = w
        .stats
        .as_ref()
        .map(|st| stats_fold::pending_line(w.now_ms, st));
    let events = async {
        if w.events.is_empty() {
            let Some(line) = &records else {
                return Ok(());
            };
            let s = c
                .prepare_cached(
                    "INSERT INTO stats_pending (conversation_id, line, at_ms) VALUES ($1, $2, $3)",
                )
                .await
                .map_err(backend)?;
            c.execute(&s, &[&id, line, &w.now_ms])
                .await
                .map_err(backend)?;
            return Ok(());
        }
        let seqs: Vec<i64> = w.events.iter().map(|e| e.seq).collect();
        let bodies: Vec<&str> = w.events.iter().map(|e| e.body.as_str()).collect();
        let s = c
            .prepare_cached(
                "WITH logged AS (
                   INSERT INTO events (conversation_id, seq, body, at_ms)
                   SELECT $1, s, b, $4 FROM UNNEST($2::BIGINT[], $3::TEXT[]) AS t(s, b))
                 INSERT INTO stats_pending (conversation_id, line, at_ms) SELECT $1, $5, $4 WHERE $5::TEXT IS NOT NULL",
            )
            .await
            .map_err(backend)?;
        c.execute(&s, &[&id, &seqs, &bodies, &w.now_ms, &records])
            .await
            .map_err(backend)?;
        Ok(())
    };
    let answer = async {
        let Some(a) = &w.answer else {
            return Ok(());
        };
        if a.append {
            let s = c
                .prepare_cached(
                    "UPDATE inputs SET answer = CASE WHEN answer = '' THEN $3 ELSE answer || chr(10) || $3 END
                     WHERE conversation_id = $1 AND client_id = $2",
                )
                .await
                .map_err(backend)?;
            c.execute(&s, &[&id, &a.client_id, &a.events])
                .await
                .map_err(backend)?;
        } else {
            let s = c
                .prepare_cached(
                    "INSERT INTO inputs (conversation_id, client_id, answer, at_ms) VALUES ($1, $2, $3, $4)",
                )
                .await
                .map_err(backend)?;
            c.execute(&s, &[&id, &a.client_id, &a.events, &w.now_ms])
                .await
                .map_err(backend)?;
        }
        Ok(())
    };
    let actions = async {
        for a in &w.new_actions {
            let s = c
                .prepare_cached(
                    "INSERT INTO actions (conversation_id, action_id, name, args, client_id, token_hash, state, attempts, created_ms, updated_ms)
                     VALUES ($1, $2, $3, $4, $5, $6, 'owed', 0, $7, $7)
                     ON CONFLICT (conversation_id, action_id) DO UPDATE SET name = excluded.name,
                        args = excluded.args, client_id = excluded.client_id, token_hash = excluded.token_hash,
                        state = 'owed', attempts = 0, created_ms = excluded.created_ms, updated_ms = excluded.updated_ms",
                )
                .await
                .map_err(backend)?;
            c.execute(
                &s,
                &[
                    &id,
                    &a.action_id,
                    &a.name,
                    &a.args,
                    &a.client_id,
                    &a.token_hash,
                    &w.now_ms,
                ],
            )
            .await
            .map_err(backend)?;
        }
        for (action_id, state) in &w.action_states {
            let s = c
                .prepare_cached(
                    "UPDATE actions SET state = $1, updated_ms = $2 WHERE conversation_id = $3 AND action_id = $4",
                )
                .await
                .map_err(backend)?;
            c.execute(&s, &[&state.as_str(), &w.now_ms, &id, action_id])
                .await
                .map_err(backend)?;
        }
        Ok(())
    };
    let case = async {
        match &w.case {
            Some(case) => handover::write_case(c, id, case, w.now_ms).await,
            None => Ok(()),
        }
    };
    let outbox = handover::write_outbox(c, id, &w.outbox, w.now_ms);
    tokio::try_join!(conversation, events, answer, actions, case, outbox)?;
    Ok(())
}

#[async_trait]
impl ConversationStore for PgStore {
    async fn create_conversation(&self, new: NewConversation) -> Result<(), StoreError> {
        let c = self.client().await?;
        let s = c
            .prepare_cached(
                "INSERT INTO conversations (id, token_hash, channel, external_key, lang, session, last_seq, offered, created_ms, updated_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, 0, '[]', $7, $7)",
            )
            .await
            .map_err(backend)?;
        c.execute(
            &s,
            &[
                &new.id,
                &new.token_hash,
                &new.channel,
                &new.external_key,
                &new.lang,
                &new.session,
                &new.now_ms,
            ],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn conversation(&self, id: &str) -> Result<Option<ConversationInfo>, StoreError> {
        let c = self.client().await?;
        let s = c
            .prepare_cached(&format!(
                "SELECT {INFO_COLUMNS} FROM conversations WHERE id = $1"
            ))
            .await
            .map_err(backend)?;
        let row = c.query_opt(&s, &[&id]).await.map_err(backend)?;
        Ok(row.as_ref().map(info_row))
    }

    async fn conversation_by_key(
        &self,
        channel: &str,
        external_key: &str,
    ) -> Result<Option<ConversationInfo>, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &format!(
                    "SELECT {INFO_COLUMNS} FROM conversations WHERE channel = $1 AND external_key = $2"
                ),
                &[&channel, &external_key],
            )
            .await
            .map_err(backend)?;
        Ok(row.as_ref().map(info_row))
    }

    async fn lock(
        &self,
        id: &str,
        wait: Duration,
    ) -> Result<Box<dyn LockedConversation>, StoreError> {
        let client = self.client().await?;
        let wait_ms = wait.as_millis().clamp(1, 600_000);
        let mut locked = PgLocked {
            client: Some(client),
            state: ConversationState {
                info: ConversationInfo {
                    id: id.to_string(),
                    token_hash: Vec::new(),
                    channel: String::new(),
                    external_key: None,
                    lang: None,
                    last_seq: 0,
                    updated_ms: 0,
                    mode: String::new(),
                },
                session: String::new(),
                offered: String::new(),
            },
            replica: self.replica.clone(),
        };
        let c = locked.client()?;
        // The transaction's start and the locking read go out together (one
        // round trip): tokio-postgres sends them in the order polled.
        let begin = format!("BEGIN; SET LOCAL lock_timeout = {wait_ms}");
        let read = async {
            let s = c
                .prepare_cached(&format!(
                    "SELECT {INFO_COLUMNS}, session, offered FROM conversations WHERE id = $1 FOR UPDATE"
                ))
                .await
                .map_err(backend)?;
            c.query_opt(&s, &[&id]).await.map_err(backend)
        };
        let (began, row) = tokio::join!(c.batch_execute(&begin), read);
        // On an error, dropping `locked` rolls the transaction back.
        began.map_err(backend)?;
        let row = row?.ok_or(StoreError::NotFound)?;
        locked.state = ConversationState {
            info: info_row(&row),
            session: row.get(8),
            offered: row.get(9),
        };
        Ok(Box::new(locked))
    }

    async fn events_after(
        &self,
        id: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let c = self.client().await?;
        let s = c
            .prepare_cached(
                "SELECT seq, body FROM events WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            )
            .await
            .map_err(backend)?;
        let rows = c
            .query(&s, &[&id, &after, &(limit as i64)])
            .await
            .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| StoredEvent {
                seq: r.get(0),
                body: r.get(1),
            })
            .collect())
    }

    async fn action_by_token(&self, token_hash: &[u8]) -> Result<Option<ActionRecord>, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &format!("SELECT {ACTION_COLUMNS} FROM actions WHERE token_hash = $1"),
                &[&token_hash],
            )
            .await
            .map_err(backend)?;
        Ok(row.as_ref().map(action_row))
    }

    async fn claim_owed_actions(
        &self,
        stale_before_ms: i64,
        now_ms: i64,
        limit: usize,
    ) -> Result<Vec<ActionRecord>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                &format!(
                    "UPDATE actions SET attempts = attempts + 1, updated_ms = $1
                     WHERE (conversation_id, action_id) IN (
                        SELECT conversation_id, action_id FROM actions
                        WHERE state = 'owed' AND updated_ms < $2
                        LIMIT $3 FOR UPDATE SKIP LOCKED)
                     RETURNING {ACTION_COLUMNS}"
                ),
                &[&now_ms, &stale_before_ms, &(limit as i64)],
            )
            .await
            .map_err(backend)?;
        Ok(rows.iter().map(action_row).collect())
    }

    async fn rekey_action(
        &self,
        conversation_id: &str,
        action_id: &str,
        token_hash: &[u8],
    ) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "UPDATE actions SET token_hash = $1 WHERE conversation_id = $2 AND action_id = $3",
            &[&token_hash, &conversation_id, &action_id],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn expire_idle(&self, before_ms: i64) -> Result<u64, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(backend)?;
        let idle = "SELECT id FROM conversations WHERE updated_ms < $1";
        for table in [
            "events",
            "inputs",
            "actions",
            "cases",
            "outbox",
            "messenger_contacts",
        ] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE conversation_id IN ({idle})"),
                &[&before_ms],
            )
            .await
            .map_err(backend)?;
        }
        let n = tx
            .execute(
                "DELETE FROM conversations WHERE updated_ms < $1",
                &[&before_ms],
            )
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(n)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.simple_query("SELECT 1").await.map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl super::Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn remote_events(&self) -> Option<broadcast::Receiver<(String, i64)>> {
        Some(self.remote.subscribe())
    }
}
