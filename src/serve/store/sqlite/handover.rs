//! Cases, the outbox, staff accounts and sessions, Messenger's deliveries
//! in the SQLite store. Writes go through the one writer, so a claim is
//! atomic without row locks.

use super::{backend, SqliteStore};
use crate::serve::store::{
    Case, CaseState, CaseWrite, InboxStore, MessengerDelivery, MessengerStore, NewOutbox,
    OutboxItem, OutboxState, OutboxStore, StaffAccount, StaffSession, StaffStore, StoreError,
};
use async_trait::async_trait;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

const CASE_COLUMNS: &str = "id, conversation_id, state, service, reason, flow, lang, channel, summary, \
     handoff_seq, staff_login, staff_name, outcome, filed_ms, created_ms, claimed_ms, closed_ms, updated_ms";

fn case_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Case> {
    let state: String = r.get(2)?;
    Ok(Case {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        state: CaseState::parse(&state),
        service: r.get(3)?,
        reason: r.get(4)?,
        flow: r.get(5)?,
        lang: r.get(6)?,
        channel: r.get(7)?,
        summary: r.get(8)?,
        handoff_seq: r.get(9)?,
        staff_login: r.get(10)?,
        staff_name: r.get(11)?,
        outcome: r.get(12)?,
        filed_ms: r.get(13)?,
        created_ms: r.get(14)?,
        claimed_ms: r.get(15)?,
        closed_ms: r.get(16)?,
        updated_ms: r.get(17)?,
    })
}

const OUTBOX_COLUMNS: &str =
    "id, conversation_id, channel, seq, body, state, attempts, parts_done, created_ms, error";

fn outbox_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    let state: String = r.get(5)?;
    Ok(OutboxItem {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        channel: r.get(2)?,
        seq: r.get(3)?,
        body: r.get(4)?,
        state: OutboxState::parse(&state),
        attempts: r.get(6)?,
        parts_done: r.get(7)?,
        created_ms: r.get(8)?,
        error: r.get(9)?,
    })
}

/// A case change inside a turn's transaction. A claim of a case that is
/// no longer waiting changes nothing and fails with `Conflict`.
pub(super) fn write_case(
    c: &Connection,
    conversation_id: &str,
    w: &CaseWrite,
    now_ms: i64,
) -> Result<(), StoreError> {
    let changed = match w {
        CaseWrite::Open(case) => c
            .prepare_cached(&format!(
                "INSERT INTO cases ({CASE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
            ))
            .and_then(|mut s| {
                s.execute(params![
                    case.id,
                    conversation_id,
                    case.state.as_str(),
                    case.service,
                    case.reason,
                    case.flow,
                    case.lang,
                    case.channel,
                    case.summary,
                    case.handoff_seq,
                    case.staff_login,
                    case.staff_name,
                    case.outcome,
                    case.filed_ms,
                    case.created_ms,
                    case.claimed_ms,
                    case.closed_ms,
                    now_ms
                ])
            })
            .map_err(backend)?,
        CaseWrite::Claim {
            case_id,
            login,
            name,
        } => c
            .prepare_cached(
                "UPDATE cases SET state = 'claimed', staff_login = ?1, staff_name = ?2, claimed_ms = ?3, updated_ms = ?3
                 WHERE id = ?4 AND conversation_id = ?5 AND state = 'waiting'",
            )
            .and_then(|mut s| s.execute(params![login, name, now_ms, case_id, conversation_id]))
            .map_err(backend)?,
        CaseWrite::Finish { case_id, outcome } => c
            .prepare_cached(
                "UPDATE cases SET state = 'closed', outcome = ?1, closed_ms = ?2, updated_ms = ?2
                 WHERE id = ?3 AND conversation_id = ?4 AND state <> 'closed'",
            )
            .and_then(|mut s| s.execute(params![outcome, now_ms, case_id, conversation_id]))
            .map_err(backend)?,
        CaseWrite::Filed { case_id } => c
            .prepare_cached(
                "UPDATE cases SET filed_ms = ?1, updated_ms = ?1 WHERE id = ?2 AND conversation_id = ?3 AND filed_ms IS NULL",
            )
            .and_then(|mut s| s.execute(params![now_ms, case_id, conversation_id]))
            .map_err(backend)?,
        CaseWrite::Touch { case_id } => c
            .prepare_cached("UPDATE cases SET updated_ms = ?1 WHERE id = ?2 AND conversation_id = ?3")
            .and_then(|mut s| s.execute(params![now_ms, case_id, conversation_id]))
            .map_err(backend)?,
    };
    if changed != 1 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub(super) fn write_outbox(
    c: &Connection,
    conversation_id: &str,
    rows: &[NewOutbox],
    now_ms: i64,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut s = c
        .prepare_cached(
            "INSERT INTO outbox (conversation_id, channel, seq, body, state, due_ms, created_ms, updated_ms)
             VALUES (?1, ?2, ?3, ?4, 'due', ?5, ?5, ?5)",
        )
        .map_err(backend)?;
    for r in rows {
        s.execute(params![conversation_id, r.channel, r.seq, r.body, now_ms])
            .map_err(backend)?;
    }
    Ok(())
}

#[async_trait]
impl InboxStore for SqliteStore {
    async fn case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        let id = id.to_string();
        self.read(move |c| {
            c.prepare_cached(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?1"))?
                .query_row([id], case_row)
                .optional()
        })
        .await
    }

    async fn open_case_of(&self, conversation_id: &str) -> Result<Option<Case>, StoreError> {
        let id = conversation_id.to_string();
        self.read(move |c| {
            c.prepare_cached(&format!(
                "SELECT {CASE_COLUMNS} FROM cases WHERE conversation_id = ?1 AND state <> 'closed'"
            ))?
            .query_row([id], case_row)
            .optional()
        })
        .await
    }

    async fn open_cases(&self, limit: usize) -> Result<Vec<Case>, StoreError> {
        self.read(move |c| {
            let mut s = c.prepare_cached(&format!(
                "SELECT {CASE_COLUMNS} FROM cases WHERE state <> 'closed' ORDER BY created_ms, id LIMIT ?1"
            ))?;
            let rows = s.query_map([limit as i64], case_row)?;
            rows.collect()
        })
        .await
    }

    async fn closed_cases(&self, since_ms: i64, limit: usize) -> Result<Vec<Case>, StoreError> {
        self.read(move |c| {
            let mut s = c.prepare_cached(&format!(
                "SELECT {CASE_COLUMNS} FROM cases WHERE state = 'closed' AND closed_ms >= ?1
                 ORDER BY closed_ms DESC, id LIMIT ?2"
            ))?;
            let rows = s.query_map(params![since_ms, limit as i64], case_row)?;
            rows.collect()
        })
        .await
    }

    async fn unattended_cases(
        &self,
        before_ms: i64,
        limit: usize,
    ) -> Result<Vec<Case>, StoreError> {
        self.read(move |c| {
            let mut s = c.prepare_cached(&format!(
                "SELECT {CASE_COLUMNS} FROM cases WHERE state = 'waiting' AND filed_ms IS NULL AND created_ms < ?1
                 ORDER BY created_ms LIMIT ?2"
            ))?;
            let rows = s.query_map(params![before_ms, limit as i64], case_row)?;
            rows.collect()
        })
        .await
    }

    async fn idle_claims(
        &self,
        login: &str,
        before_ms: i64,
        limit: usize,
    ) -> Result<Vec<Case>, StoreError> {
        let login = login.to_string();
        self.read(move |c| {
            let mut s = c.prepare_cached(&format!(
                "SELECT {CASE_COLUMNS} FROM cases WHERE state = 'claimed' AND staff_login = ?1 AND updated_ms < ?2
                 ORDER BY updated_ms LIMIT ?3"
            ))?;
            let rows = s.query_map(params![login, before_ms, limit as i64], case_row)?;
            rows.collect()
        })
        .await
    }
}

#[async_trait]
impl OutboxStore for SqliteStore {
    async fn claim_outbox(
        &self,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        self.write(move |c| {
            let mut s = c
                .prepare_cached(&format!(
                    "UPDATE outbox SET state = 'claimed', lease_ms = ?2, attempts = attempts + 1, updated_ms = ?1
                     WHERE id IN (
                        SELECT o.id FROM outbox o
                        WHERE ((o.state = 'due' AND o.due_ms <= ?1) OR (o.state = 'claimed' AND o.lease_ms <= ?1))
                          AND NOT EXISTS (
                            SELECT 1 FROM outbox p
                            WHERE p.conversation_id = o.conversation_id AND p.channel = o.channel
                              AND p.id < o.id AND p.state IN ('due', 'claimed'))
                        ORDER BY o.id LIMIT ?3)
                     RETURNING {OUTBOX_COLUMNS}"
                ))
                .map_err(backend)?;
            let rows = s
                .query_map(params![now_ms, lease_ms, limit as i64], outbox_row)
                .map_err(backend)?;
            let mut out = rows
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(backend)?;
            out.sort_by_key(|o| o.id);
            Ok(out)
        })
        .await
    }

    async fn outbox_sent(&self, id: i64, now_ms: i64) -> Result<(), StoreError> {
        self.write(move |c| {
            c.prepare_cached(
                "UPDATE outbox SET state = 'sent', error = NULL, updated_ms = ?1 WHERE id = ?2",
            )
            .and_then(|mut s| s.execute(params![now_ms, id]))
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn outbox_retry(
        &self,
        id: i64,
        due_ms: i64,
        parts_done: i64,
        error: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let error = error.to_string();
        self.write(move |c| {
            c.prepare_cached(
                "UPDATE outbox SET state = 'due', due_ms = ?1, parts_done = ?2, error = ?3, lease_ms = 0, updated_ms = ?4
                 WHERE id = ?5",
            )
            .and_then(|mut s| s.execute(params![due_ms, parts_done, error, now_ms, id]))
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn outbox_failed(&self, id: i64, error: &str, now_ms: i64) -> Result<(), StoreError> {
        let error = error.to_string();
        self.write(move |c| {
            c.prepare_cached(
                "UPDATE outbox SET state = 'failed', error = ?1, updated_ms = ?2 WHERE id = ?3",
            )
            .and_then(|mut s| s.execute(params![error, now_ms, id]))
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn outbox_of(
        &self,
        conversation_id: &str,
        channel: &str,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let (id, channel) = (conversation_id.to_string(), channel.to_string());
        self.read(move |c| {
            let mut s = c.prepare_cached(&format!(
                "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE conversation_id = ?1 AND channel = ?2 ORDER BY id"
            ))?;
            let rows = s.query_map(params![id, channel], outbox_row)?;
            rows.collect()
        })
        .await
    }

    async fn next_outbox_due(&self) -> Result<Option<i64>, StoreError> {
        self.read(|c| {
            c.query_row(
                "SELECT MIN(CASE o.state WHEN 'due' THEN o.due_ms ELSE o.lease_ms END) FROM outbox o
                 WHERE o.state IN ('due', 'claimed') AND NOT EXISTS (
                    SELECT 1 FROM outbox p
                    WHERE p.conversation_id = o.conversation_id AND p.channel = o.channel
                      AND p.id < o.id AND p.state IN ('due', 'claimed'))",
                [],
                |r| r.get(0),
            )
        })
        .await
    }

    async fn prune_outbox(&self, before_ms: i64) -> Result<u64, StoreError> {
        self.write(move |c| {
            let n = c
                .execute(
                    "DELETE FROM outbox WHERE state IN ('sent', 'failed') AND updated_ms < ?1",
                    [before_ms],
                )
                .map_err(backend)?;
            Ok(n as u64)
        })
        .await
    }
}

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StaffAccount> {
    let services: String = r.get(3)?;
    Ok(StaffAccount {
        login: r.get(0)?,
        name: r.get(1)?,
        password_hash: r.get(2)?,
        services: serde_json::from_str(&services).unwrap_or_default(),
    })
}

#[async_trait]
impl StaffStore for SqliteStore {
    async fn put_staff_account(&self, a: &StaffAccount, now_ms: i64) -> Result<(), StoreError> {
        let a = a.clone();
        let services = serde_json::to_string(&a.services).unwrap_or_else(|_| "[]".into());
        self.write(move |c| {
            c.execute(
                "INSERT INTO staff_accounts (login, name, password_hash, services, created_ms, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT (login) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
                    services = excluded.services, updated_ms = excluded.updated_ms",
                params![a.login, a.name, a.password_hash, services, now_ms],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn staff_account(&self, login: &str) -> Result<Option<StaffAccount>, StoreError> {
        let login = login.to_string();
        self.read(move |c| {
            c.prepare_cached(
                "SELECT login, name, password_hash, services FROM staff_accounts WHERE login = ?1",
            )?
            .query_row([login], account_row)
            .optional()
        })
        .await
    }

    async fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StoreError> {
        self.read(|c| {
            let mut s = c.prepare_cached(
                "SELECT login, name, password_hash, services FROM staff_accounts ORDER BY login",
            )?;
            let rows = s.query_map([], account_row)?;
            rows.collect()
        })
        .await
    }

    async fn delete_staff_account(&self, login: &str) -> Result<bool, StoreError> {
        let login = login.to_string();
        self.write(move |c| {
            c.execute("DELETE FROM staff_sessions WHERE login = ?1", [&login])
                .map_err(backend)?;
            let n = c
                .execute("DELETE FROM staff_accounts WHERE login = ?1", [&login])
                .map_err(backend)?;
            Ok(n == 1)
        })
        .await
    }

    async fn create_staff_session(
        &self,
        token_hash: &[u8],
        session: &StaffSession,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let (hash, s) = (token_hash.to_vec(), session.clone());
        self.write(move |c| {
            c.execute(
                "INSERT INTO staff_sessions (token_hash, login, csrf, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![hash, s.login, s.csrf, now_ms, s.expires_ms],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn staff_session(
        &self,
        token_hash: &[u8],
        now_ms: i64,
    ) -> Result<Option<StaffSession>, StoreError> {
        let hash = token_hash.to_vec();
        self.read(move |c| {
            c.prepare_cached(
                "SELECT login, csrf, expires_ms FROM staff_sessions WHERE token_hash = ?1 AND expires_ms > ?2",
            )?
            .query_row(params![hash, now_ms], |r| {
                Ok(StaffSession {
                    login: r.get(0)?,
                    csrf: r.get(1)?,
                    expires_ms: r.get(2)?,
                })
            })
            .optional()
        })
        .await
    }

    async fn delete_staff_session(&self, token_hash: &[u8]) -> Result<(), StoreError> {
        let hash = token_hash.to_vec();
        self.write(move |c| {
            c.execute("DELETE FROM staff_sessions WHERE token_hash = ?1", [hash])
                .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn prune_staff_sessions(&self, now_ms: i64) -> Result<u64, StoreError> {
        self.write(move |c| {
            let n = c
                .execute(
                    "DELETE FROM staff_sessions WHERE expires_ms <= ?1",
                    [now_ms],
                )
                .map_err(backend)?;
            Ok(n as u64)
        })
        .await
    }
}

fn delivery_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MessengerDelivery> {
    Ok(MessengerDelivery {
        mid: r.get(0)?,
        page_id: r.get(1)?,
        psid: r.get(2)?,
        body: r.get(3)?,
    })
}

#[async_trait]
impl MessengerStore for SqliteStore {
    async fn receive_messenger(
        &self,
        items: &[MessengerDelivery],
        now_ms: i64,
    ) -> Result<Vec<String>, StoreError> {
        let items = items.to_vec();
        self.write(move |c| {
            let mut s = c
                .prepare_cached(
                    "INSERT INTO messenger_inbox (mid, page_id, psid, body, state, received_ms)
                     VALUES (?1, ?2, ?3, ?4, 'received', ?5) ON CONFLICT (mid) DO NOTHING",
                )
                .map_err(backend)?;
            let mut fresh = Vec::new();
            for i in &items {
                let n = s
                    .execute(params![i.mid, i.page_id, i.psid, i.body, now_ms])
                    .map_err(backend)?;
                if n == 1 {
                    fresh.push(i.mid.clone());
                }
            }
            Ok(fresh)
        })
        .await
    }

    async fn take_messenger(
        &self,
        mids: &[String],
        lease_ms: i64,
    ) -> Result<Vec<MessengerDelivery>, StoreError> {
        let mids = mids.to_vec();
        self.write(move |c| {
            let mut out = Vec::new();
            let mut s = c
                .prepare_cached(
                    "UPDATE messenger_inbox SET state = 'working', lease_ms = ?1
                     WHERE mid = ?2 AND state = 'received'
                     RETURNING mid, page_id, psid, body",
                )
                .map_err(backend)?;
            for mid in &mids {
                if let Some(d) = s
                    .query_row(params![lease_ms, mid], delivery_row)
                    .optional()
                    .map_err(backend)?
                {
                    out.push(d);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn take_stale_messenger(
        &self,
        before_ms: i64,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<MessengerDelivery>, StoreError> {
        self.write(move |c| {
            let ids: Vec<String> = {
                let mut s = c
                    .prepare_cached(
                        "SELECT mid FROM messenger_inbox
                         WHERE (state = 'received' AND received_ms < ?1) OR (state = 'working' AND lease_ms <= ?2)
                         ORDER BY received_ms, rowid LIMIT ?3",
                    )
                    .map_err(backend)?;
                let rows = s
                    .query_map(params![before_ms, now_ms, limit as i64], |r| r.get(0))
                    .map_err(backend)?;
                rows.collect::<rusqlite::Result<_>>().map_err(backend)?
            };
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let marks = vec!["?"; ids.len()].join(",");
            let mut s = c
                .prepare(&format!(
                    "UPDATE messenger_inbox SET state = 'working', lease_ms = {lease_ms}
                     WHERE mid IN ({marks}) RETURNING mid, page_id, psid, body"
                ))
                .map_err(backend)?;
            let rows = s
                .query_map(params_from_iter(ids.iter()), delivery_row)
                .map_err(backend)?;
            let mut out: Vec<MessengerDelivery> =
                rows.collect::<rusqlite::Result<_>>().map_err(backend)?;
            // In the order they were received.
            out.sort_by_key(|d| ids.iter().position(|m| m == &d.mid));
            Ok(out)
        })
        .await
    }

    async fn messenger_done(&self, mid: &str) -> Result<(), StoreError> {
        let mid = mid.to_string();
        self.write(move |c| {
            c.execute(
                "UPDATE messenger_inbox SET state = 'done', body = '' WHERE mid = ?1",
                [mid],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn set_last_message(&self, conversation_id: &str, at_ms: i64) -> Result<(), StoreError> {
        let id = conversation_id.to_string();
        self.write(move |c| {
            c.execute(
                "INSERT INTO messenger_contacts (conversation_id, last_message_ms) VALUES (?1, ?2)
                 ON CONFLICT (conversation_id) DO UPDATE SET last_message_ms = MAX(last_message_ms, excluded.last_message_ms)",
                params![id, at_ms],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn last_message(&self, conversation_id: &str) -> Result<Option<i64>, StoreError> {
        let id = conversation_id.to_string();
        self.read(move |c| {
            c.prepare_cached(
                "SELECT last_message_ms FROM messenger_contacts WHERE conversation_id = ?1",
            )?
            .query_row([id], |r| r.get(0))
            .optional()
        })
        .await
    }

    async fn prune_messenger(&self, before_ms: i64) -> Result<u64, StoreError> {
        self.write(move |c| {
            let n = c
                .execute(
                    "DELETE FROM messenger_inbox WHERE state = 'done' AND received_ms < ?1",
                    [before_ms],
                )
                .map_err(backend)?;
            Ok(n as u64)
        })
        .await
    }
}
