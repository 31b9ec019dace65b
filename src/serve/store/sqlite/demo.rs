//! The demo back office's tables in the SQLite store.

use super::{backend, SqliteStore};
use crate::serve::store::{DemoPayment, DemoRequest, DemoStore, StoreError};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

fn request_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DemoRequest> {
    Ok(DemoRequest {
        reference: r.get(0)?,
        kind: r.get(1)?,
        status: r.get(2)?,
        updated: r.get(3)?,
        conversation_id: r.get(4)?,
    })
}

fn payment_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DemoPayment> {
    Ok(DemoPayment {
        id: r.get(0)?,
        reference: r.get(1)?,
        conversation_id: r.get(2)?,
        amount: r.get(3)?,
        currency: r.get(4)?,
        communication: r.get(5)?,
        description: r.get(6)?,
        lang: r.get(7)?,
        status: r.get(8)?,
        callback_url: r.get(9)?,
    })
}

const PAYMENT_COLUMNS: &str =
    "id, reference, conversation_id, amount, currency, communication, description, lang, status, callback_url";

#[async_trait]
impl DemoStore for SqliteStore {
    async fn next_number(&self, sequence: &str, year: i32) -> Result<i64, StoreError> {
        let sequence = sequence.to_string();
        self.write(move |c| {
            c.query_row(
                "INSERT INTO demo_sequences (name, year, value) VALUES (?1, ?2, 1)
                 ON CONFLICT (name, year) DO UPDATE SET value = value + 1
                 RETURNING value",
                params![sequence, year],
                |r| r.get(0),
            )
            .map_err(backend)
        })
        .await
    }

    async fn insert_request(&self, r: &DemoRequest, now_ms: i64) -> Result<(), StoreError> {
        let r = r.clone();
        self.write(move |c| {
            c.execute(
                "INSERT INTO demo_requests (reference, kind, status, updated, conversation_id, created_ms, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![r.reference, r.kind, r.status, r.updated, r.conversation_id, now_ms],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn request(&self, reference: &str) -> Result<Option<DemoRequest>, StoreError> {
        let reference = reference.to_string();
        self.read(move |c| {
            c.query_row(
                "SELECT reference, kind, status, updated, conversation_id FROM demo_requests WHERE reference = ?1",
                [reference],
                request_row,
            )
            .optional()
        })
        .await
    }

    async fn requests(&self, limit: usize) -> Result<Vec<DemoRequest>, StoreError> {
        self.read(move |c| {
            let mut s = c.prepare(
                "SELECT reference, kind, status, updated, conversation_id FROM demo_requests
                 ORDER BY created_ms DESC, reference DESC LIMIT ?1",
            )?;
            let rows = s.query_map([limit as i64], request_row)?;
            rows.collect()
        })
        .await
    }

    async fn set_request_status(
        &self,
        reference: &str,
        status: &str,
        updated: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let (reference, status, updated) = (
            reference.to_string(),
            status.to_string(),
            updated.to_string(),
        );
        self.write(move |c| {
            let n = c
                .execute(
                    "UPDATE demo_requests SET status = ?1, updated = ?2, updated_ms = ?3 WHERE reference = ?4",
                    params![status, updated, now_ms, reference],
                )
                .map_err(backend)?;
            Ok(n == 1)
        })
        .await
    }

    async fn insert_payment(&self, p: &DemoPayment, now_ms: i64) -> Result<(), StoreError> {
        let p = p.clone();
        self.write(move |c| {
            c.execute(
                "INSERT INTO demo_payments (id, reference, conversation_id, amount, currency, communication, description, lang, status, callback_url, created_ms, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
                params![
                    p.id,
                    p.reference,
                    p.conversation_id,
                    p.amount,
                    p.currency,
                    p.communication,
                    p.description,
                    p.lang,
                    p.status,
                    p.callback_url,
                    now_ms
                ],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn payment(&self, id: &str) -> Result<Option<DemoPayment>, StoreError> {
        let id = id.to_string();
        self.read(move |c| {
            c.query_row(
                &format!("SELECT {PAYMENT_COLUMNS} FROM demo_payments WHERE id = ?1"),
                [id],
                payment_row,
            )
            .optional()
        })
        .await
    }

    async fn settle_payment(
        &self,
        id: &str,
        status: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let (id, status) = (id.to_string(), status.to_string());
        self.write(move |c| {
            let n = c
                .execute(
                    "UPDATE demo_payments SET status = ?1, updated_ms = ?2 WHERE id = ?3 AND status = 'pending'",
                    params![status, now_ms, id],
                )
                .map_err(backend)?;
            Ok(n == 1)
        })
        .await
    }
}
