//! Cases, the outbox, staff accounts and sessions, Messenger's deliveries
//! in the PostgreSQL store. Outbox rows and Messenger deliveries are
//! claimed with `FOR UPDATE SKIP LOCKED`, so that replicas sharing the
//! store each take different rows.

use super::{backend, PgStore};
use crate::serve::store::{
    Case, CaseState, CaseWrite, InboxStore, MessengerDelivery, MessengerStore, NewOutbox,
    OutboxItem, OutboxState, OutboxStore, StaffAccount, StaffSession, StaffStore, StoreError,
};
use async_trait::async_trait;
use deadpool_postgres::Object;
use tokio_postgres::Row;

const CASE_COLUMNS: &str = "id, conversation_id, state, service, reason, flow, lang, channel, summary, \
     handoff_seq, staff_login, staff_name, outcome, filed_ms, created_ms, claimed_ms, closed_ms, updated_ms";

fn case_row(r: &Row) -> Case {
    let state: String = r.get(2);
    Case {
        id: r.get(0),
        conversation_id: r.get(1),
        state: CaseState::parse(&state),
        service: r.get(3),
        reason: r.get(4),
        flow: r.get(5),
        lang: r.get(6),
        channel: r.get(7),
        summary: r.get(8),
        handoff_seq: r.get(9),
        staff_login: r.get(10),
        staff_name: r.get(11),
        outcome: r.get(12),
        filed_ms: r.get(13),
        created_ms: r.get(14),
        claimed_ms: r.get(15),
        closed_ms: r.get(16),
        updated_ms: r.get(17),
    }
}

const OUTBOX_COLUMNS: &str =
    "id, conversation_id, channel, seq, body, state, attempts, parts_done, created_ms, error";

fn outbox_row(r: &Row) -> OutboxItem {
    let state: String = r.get(5);
    OutboxItem {
        id: r.get(0),
        conversation_id: r.get(1),
        channel: r.get(2),
        seq: r.get(3),
        body: r.get(4),
        state: OutboxState::parse(&state),
        attempts: r.get(6),
        parts_done: r.get(7),
        created_ms: r.get(8),
        error: r.get(9),
    }
}

/// A case change inside a turn's transaction (the conversation's row is
/// locked). A claim of a case no longer waiting fails with `Conflict`.
pub(super) async fn write_case(
    c: &Object,
    conversation_id: &str,
    w: &CaseWrite,
    now_ms: i64,
) -> Result<(), StoreError> {
    let changed = match w {
        CaseWrite::Open(case) => {
            let s = c
                .prepare_cached(&format!(
                    "INSERT INTO cases ({CASE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
                ))
                .await
                .map_err(backend)?;
            c.execute(
                &s,
                &[
                    &case.id,
                    &conversation_id,
                    &case.state.as_str(),
                    &case.service,
                    &case.reason,
                    &case.flow,
                    &case.lang,
                    &case.channel,
                    &case.summary,
                    &case.handoff_seq,
                    &case.staff_login,
                    &case.staff_name,
                    &case.outcome,
                    &case.filed_ms,
                    &case.created_ms,
                    &case.claimed_ms,
                    &case.closed_ms,
                    &now_ms,
                ],
            )
            .await
            .map_err(backend)?
        }
        CaseWrite::Claim {
            case_id,
            login,
            name,
        } => c
            .execute(
                "UPDATE cases SET state = 'claimed', staff_login = $1, staff_name = $2, claimed_ms = $3, updated_ms = $3
                 WHERE id = $4 AND conversation_id = $5 AND state = 'waiting'",
                &[login, name, &now_ms, case_id, &conversation_id],
            )
            .await
            .map_err(backend)?,
        CaseWrite::Finish { case_id, outcome } => c
            .execute(
                "UPDATE cases SET state = 'closed', outcome = $1, closed_ms = $2, updated_ms = $2
                 WHERE id = $3 AND conversation_id = $4 AND state <> 'closed'",
                &[outcome, &now_ms, case_id, &conversation_id],
            )
            .await
            .map_err(backend)?,
        CaseWrite::Filed { case_id } => c
            .execute(
                "UPDATE cases SET filed_ms = $1, updated_ms = $1 WHERE id = $2 AND conversation_id = $3 AND filed_ms IS NULL",
                &[&now_ms, case_id, &conversation_id],
            )
            .await
            .map_err(backend)?,
        CaseWrite::Touch { case_id } => c
            .execute(
                "UPDATE cases SET updated_ms = $1 WHERE id = $2 AND conversation_id = $3",
                &[&now_ms, case_id, &conversation_id],
            )
            .await
            .map_err(backend)?,
    };
    if changed != 1 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub(super) async fn write_outbox(
    c: &Object,
    conversation_id: &str,
    rows: &[NewOutbox],
    now_ms: i64,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let s = c
        .prepare_cached(
            "INSERT INTO outbox (conversation_id, channel, seq, body, state, due_ms, created_ms, updated_ms)
             VALUES ($1, $2, $3, $4, 'due', $5, $5, $5)",
        )
        .await
        .map_err(backend)?;
    for r in rows {
        c.execute(
            &s,
            &[&conversation_id, &r.channel, &r.seq, &r.body, &now_ms],
        )
        .await
        .map_err(backend)?;
    }
    Ok(())
}

impl PgStore {
    async fn cases(
        &self,
        sql: &str,
        args: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Case>, StoreError> {
        let c = self.client().await?;
        let rows = c.query(sql, args).await.map_err(backend)?;
        Ok(rows.iter().map(case_row).collect())
    }
}

#[async_trait]
impl InboxStore for PgStore {
    async fn case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1");
        Ok(self.cases(&sql, &[&id]).await?.into_iter().next())
    }

    async fn open_case_of(&self, conversation_id: &str) -> Result<Option<Case>, StoreError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE conversation_id = $1 AND state <> 'closed'"
        );
        Ok(self
            .cases(&sql, &[&conversation_id])
            .await?
            .into_iter()
            .next())
    }

    async fn open_cases(&self, limit: usize) -> Result<Vec<Case>, StoreError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE state <> 'closed' ORDER BY created_ms, id LIMIT $1"
        );
        self.cases(&sql, &[&(limit as i64)]).await
    }

    async fn closed_cases(&self, since_ms: i64, limit: usize) -> Result<Vec<Case>, StoreError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE state = 'closed' AND closed_ms >= $1
             ORDER BY closed_ms DESC, id LIMIT $2"
        );
        self.cases(&sql, &[&since_ms, &(limit as i64)]).await
    }

    async fn unattended_cases(
        &self,
        before_ms: i64,
        limit: usize,
    ) -> Result<Vec<Case>, StoreError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE state = 'waiting' AND filed_ms IS NULL AND created_ms < $1
             ORDER BY created_ms LIMIT $2"
        );
        self.cases(&sql, &[&before_ms, &(limit as i64)]).await
    }

    async fn idle_claims(
        &self,
        login: &str,
        before_ms: i64,
        limit: usize,
    ) -> Result<Vec<Case>, StoreError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE state = 'claimed' AND staff_login = $1 AND updated_ms < $2
             ORDER BY updated_ms LIMIT $3"
        );
        self.cases(&sql, &[&login, &before_ms, &(limit as i64)])
            .await
    }
}

#[async_trait]
impl OutboxStore for PgStore {
    async fn claim_outbox(
        &self,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let c = self.client().await?;
        // A row another replica is claiming is locked: skipped, and the
        // rows after it are not heads (it is still due or claimed).
        let rows = c
            .query(
                &format!(
                    "UPDATE outbox SET state = 'claimed', lease_ms = $2, attempts = attempts + 1, updated_ms = $1
                     WHERE id IN (
                        SELECT o.id FROM outbox o
                        WHERE ((o.state = 'due' AND o.due_ms <= $1) OR (o.state = 'claimed' AND o.lease_ms <= $1))
                          AND NOT EXISTS (
                            SELECT 1 FROM outbox p
                            WHERE p.conversation_id = o.conversation_id AND p.channel = o.channel
                              AND p.id < o.id AND p.state IN ('due', 'claimed'))
                        ORDER BY o.id LIMIT $3
                        FOR UPDATE SKIP LOCKED)
                     RETURNING {OUTBOX_COLUMNS}"
                ),
                &[&now_ms, &lease_ms, &(limit as i64)],
            )
            .await
            .map_err(backend)?;
        let mut out: Vec<OutboxItem> = rows.iter().map(outbox_row).collect();
        out.sort_by_key(|o| o.id);
        Ok(out)
    }

    async fn outbox_sent(&self, id: i64, now_ms: i64) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "UPDATE outbox SET state = 'sent', error = NULL, updated_ms = $1 WHERE id = $2",
            &[&now_ms, &id],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn outbox_retry(
        &self,
        id: i64,
        due_ms: i64,
        parts_done: i64,
        error: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "UPDATE outbox SET state = 'due', due_ms = $1, parts_done = $2, error = $3, lease_ms = 0, updated_ms = $4
             WHERE id = $5",
            &[&due_ms, &parts_done, &error, &now_ms, &id],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn outbox_failed(&self, id: i64, error: &str, now_ms: i64) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "UPDATE outbox SET state = 'failed', error = $1, updated_ms = $2 WHERE id = $3",
            &[&error, &now_ms, &id],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn outbox_of(
        &self,
        conversation_id: &str,
        channel: &str,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                &format!(
                    "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE conversation_id = $1 AND channel = $2 ORDER BY id"
                ),
                &[&conversation_id, &channel],
            )
            .await
            .map_err(backend)?;
        Ok(rows.iter().map(outbox_row).collect())
    }

    async fn next_outbox_due(&self) -> Result<Option<i64>, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_one(
                "SELECT MIN(CASE o.state WHEN 'due' THEN o.due_ms ELSE o.lease_ms END) FROM outbox o
                 WHERE o.state IN ('due', 'claimed') AND NOT EXISTS (
                    SELECT 1 FROM outbox p
                    WHERE p.conversation_id = o.conversation_id AND p.channel = o.channel
                      AND p.id < o.id AND p.state IN ('due', 'claimed'))",
                &[],
            )
            .await
            .map_err(backend)?;
        Ok(row.get(0))
    }

    async fn prune_outbox(&self, before_ms: i64) -> Result<u64, StoreError> {
        let c = self.client().await?;
        c.execute(
            "DELETE FROM outbox WHERE state IN ('sent', 'failed') AND updated_ms < $1",
            &[&before_ms],
        )
        .await
        .map_err(backend)
    }
}

fn account_row(r: &Row) -> StaffAccount {
    let services: String = r.get(3);
    StaffAccount {
        login: r.get(0),
        name: r.get(1),
        password_hash: r.get(2),
        services: serde_json::from_str(&services).unwrap_or_default(),
    }
}

#[async_trait]
impl StaffStore for PgStore {
    async fn put_staff_account(&self, a: &StaffAccount, now_ms: i64) -> Result<(), StoreError> {
        let services = serde_json::to_string(&a.services).unwrap_or_else(|_| "[]".into());
        let c = self.client().await?;
        c.execute(
            "INSERT INTO staff_accounts (login, name, password_hash, services, created_ms, updated_ms)
             VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (login) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
                services = excluded.services, updated_ms = excluded.updated_ms",
            &[&a.login, &a.name, &a.password_hash, &services, &now_ms],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn staff_account(&self, login: &str) -> Result<Option<StaffAccount>, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT login, name, password_hash, services FROM staff_accounts WHERE login = $1",
                &[&login],
            )
            .await
            .map_err(backend)?;
        Ok(row.as_ref().map(account_row))
    }

    async fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT login, name, password_hash, services FROM staff_accounts ORDER BY login",
                &[],
            )
            .await
            .map_err(backend)?;
        Ok(rows.iter().map(account_row).collect())
    }

    async fn delete_staff_account(&self, login: &str) -> Result<bool, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(backend)?;
        tx.execute("DELETE FROM staff_sessions WHERE login = $1", &[&login])
            .await
            .map_err(backend)?;
        let n = tx
            .execute("DELETE FROM staff_accounts WHERE login = $1", &[&login])
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(n == 1)
    }

    async fn create_staff_session(
        &self,
        token_hash: &[u8],
        session: &StaffSession,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "INSERT INTO staff_sessions (token_hash, login, csrf, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5)",
            &[&token_hash, &session.login, &session.csrf, &now_ms, &session.expires_ms],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn staff_session(
        &self,
        token_hash: &[u8],
        now_ms: i64,
    ) -> Result<Option<StaffSession>, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT login, csrf, expires_ms FROM staff_sessions WHERE token_hash = $1 AND expires_ms > $2",
                &[&token_hash, &now_ms],
            )
            .await
            .map_err(backend)?;
        Ok(row.map(|r| StaffSession {
            login: r.get(0),
            csrf: r.get(1),
            expires_ms: r.get(2),
        }))
    }

    async fn delete_staff_session(&self, token_hash: &[u8]) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "DELETE FROM staff_sessions WHERE token_hash = $1",
            &[&token_hash],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn prune_staff_sessions(&self, now_ms: i64) -> Result<u64, StoreError> {
        let c = self.client().await?;
        c.execute(
            "DELETE FROM staff_sessions WHERE expires_ms <= $1",
            &[&now_ms],
        )
        .await
        .map_err(backend)
    }
}

fn delivery_row(r: &Row) -> MessengerDelivery {
    MessengerDelivery {
        mid: r.get(0),
        page_id: r.get(1),
        psid: r.get(2),
        body: r.get(3),
    }
}

#[async_trait]
impl MessengerStore for PgStore {
    async fn receive_messenger(
        &self,
        items: &[MessengerDelivery],
        now_ms: i64,
    ) -> Result<Vec<String>, StoreError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let c = self.client().await?;
        let mids: Vec<&str> = items.iter().map(|i| i.mid.as_str()).collect();
        let pages: Vec<&str> = items.iter().map(|i| i.page_id.as_str()).collect();
        let psids: Vec<&str> = items.iter().map(|i| i.psid.as_str()).collect();
        let bodies: Vec<&str> = items.iter().map(|i| i.body.as_str()).collect();
        let rows = c
            .query(
                "INSERT INTO messenger_inbox (mid, page_id, psid, body, state, received_ms)
                 SELECT m, p, s, b, 'received', $5 FROM UNNEST($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[]) AS t(m, p, s, b)
                 ON CONFLICT (mid) DO NOTHING RETURNING mid",
                &[&mids, &pages, &psids, &bodies, &now_ms],
            )
            .await
            .map_err(backend)?;
        let fresh: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        // In the order Messenger sent them.
        Ok(items
            .iter()
            .filter(|i| fresh.contains(&i.mid))
            .map(|i| i.mid.clone())
            .collect())
    }

    async fn take_messenger(
        &self,
        mids: &[String],
        lease_ms: i64,
    ) -> Result<Vec<MessengerDelivery>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "UPDATE messenger_inbox SET state = 'working', lease_ms = $1
                 WHERE mid = ANY($2) AND state = 'received'
                 RETURNING mid, page_id, psid, body",
                &[&lease_ms, &mids],
            )
            .await
            .map_err(backend)?;
        let mut out: Vec<MessengerDelivery> = rows.iter().map(delivery_row).collect();
        out.sort_by_key(|d| mids.iter().position(|m| m == &d.mid));
        Ok(out)
    }

    async fn take_stale_messenger(
        &self,
        before_ms: i64,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<MessengerDelivery>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "UPDATE messenger_inbox SET state = 'working', lease_ms = $3
                 WHERE mid IN (
                    SELECT mid FROM messenger_inbox
                    WHERE (state = 'received' AND received_ms < $1) OR (state = 'working' AND lease_ms <= $2)
                    ORDER BY received_ms LIMIT $4 FOR UPDATE SKIP LOCKED)
                 RETURNING mid, page_id, psid, body, received_ms",
                &[&before_ms, &now_ms, &lease_ms, &(limit as i64)],
            )
            .await
            .map_err(backend)?;
        let mut rows: Vec<(i64, MessengerDelivery)> = rows
            .iter()
            .map(|r| (r.get::<_, i64>(4), delivery_row(r)))
            .collect();
        rows.sort_by_key(|(at, _)| *at);
        Ok(rows.into_iter().map(|(_, d)| d).collect())
    }

    async fn messenger_done(&self, mid: &str) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "UPDATE messenger_inbox SET state = 'done', body = '' WHERE mid = $1",
            &[&mid],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn set_last_message(&self, conversation_id: &str, at_ms: i64) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "INSERT INTO messenger_contacts (conversation_id, last_message_ms) VALUES ($1, $2)
             ON CONFLICT (conversation_id) DO UPDATE
                SET last_message_ms = GREATEST(messenger_contacts.last_message_ms, excluded.last_message_ms)",
            &[&conversation_id, &at_ms],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn last_message(&self, conversation_id: &str) -> Result<Option<i64>, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT last_message_ms FROM messenger_contacts WHERE conversation_id = $1",
                &[&conversation_id],
            )
            .await
            .map_err(backend)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn prune_messenger(&self, before_ms: i64) -> Result<u64, StoreError> {
        let c = self.client().await?;
        c.execute(
            "DELETE FROM messenger_inbox WHERE state = 'done' AND received_ms < $1",
            &[&before_ms],
        )
        .await
        .map_err(backend)
    }
}
