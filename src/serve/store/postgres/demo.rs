//! The demo back office's tables in the PostgreSQL store.

use super::{backend, PgStore};
use crate::serve::store::{DemoPayment, DemoRequest, DemoStore, StoreError};
use async_trait::async_trait;
use tokio_postgres::Row;

fn request_row(r: &Row) -> DemoRequest {
    DemoRequest {
        reference: r.get(0),
        kind: r.get(1),
        status: r.get(2),
        updated: r.get(3),
        conversation_id: r.get(4),
    }
}

fn payment_row(r: &Row) -> DemoPayment {
    DemoPayment {
        id: r.get(0),
        reference: r.get(1),
        conversation_id: r.get(2),
        amount: r.get(3),
        currency: r.get(4),
        communication: r.get(5),
        description: r.get(6),
        lang: r.get(7),
        status: r.get(8),
        callback_url: r.get(9),
    }
}

const PAYMENT_COLUMNS: &str =
    "id, reference, conversation_id, amount, currency, communication, description, lang, status, callback_url";

#[async_trait]
impl DemoStore for PgStore {
    async fn next_number(&self, sequence: &str, year: i32) -> Result<i64, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_one(
                "INSERT INTO demo_sequences (name, year, value) VALUES ($1, $2, 1)
                 ON CONFLICT (name, year) DO UPDATE SET value = demo_sequences.value + 1
                 RETURNING value",
                &[&sequence, &i64::from(year)],
            )
            .await
            .map_err(backend)?;
        Ok(row.get(0))
    }

    async fn insert_request(&self, r: &DemoRequest, now_ms: i64) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "INSERT INTO demo_requests (reference, kind, status, updated, conversation_id, created_ms, updated_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
            &[&r.reference, &r.kind, &r.status, &r.updated, &r.conversation_id, &now_ms],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn request(&self, reference: &str) -> Result<Option<DemoRequest>, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT reference, kind, status, updated, conversation_id FROM demo_requests WHERE reference = $1",
                &[&reference],
            )
            .await
            .map_err(backend)?;
        Ok(row.as_ref().map(request_row))
    }

    async fn requests(&self, limit: usize) -> Result<Vec<DemoRequest>, StoreError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT reference, kind, status, updated, conversation_id FROM demo_requests
                 ORDER BY created_ms DESC, reference DESC LIMIT $1",
                &[&(limit as i64)],
            )
            .await
            .map_err(backend)?;
        Ok(rows.iter().map(request_row).collect())
    }

    async fn set_request_status(
        &self,
        reference: &str,
        status: &str,
        updated: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let c = self.client().await?;
        let n = c
            .execute(
                "UPDATE demo_requests SET status = $1, updated = $2, updated_ms = $3 WHERE reference = $4",
                &[&status, &updated, &now_ms, &reference],
            )
            .await
            .map_err(backend)?;
        Ok(n == 1)
    }

    async fn insert_payment(&self, p: &DemoPayment, now_ms: i64) -> Result<(), StoreError> {
        let c = self.client().await?;
        c.execute(
            "INSERT INTO demo_payments (id, reference, conversation_id, amount, currency, communication, description, lang, status, callback_url, created_ms, updated_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
            &[
                &p.id,
                &p.reference,
                &p.conversation_id,
                &p.amount,
                &p.currency,
                &p.communication,
                &p.description,
                &p.lang,
                &p.status,
                &p.callback_url,
                &now_ms,
            ],
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn payment(&self, id: &str) -> Result<Option<DemoPayment>, StoreError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                &format!("SELECT {PAYMENT_COLUMNS} FROM demo_payments WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(backend)?;
        Ok(row.as_ref().map(payment_row))
    }

    async fn settle_payment(
        &self,
        id: &str,
        status: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let c = self.client().await?;
        let n = c
            .execute(
                "UPDATE demo_payments SET status = $1, updated_ms = $2 WHERE id = $3 AND status = 'pending'",
                &[&status, &now_ms, &id],
            )
            .await
            .map_err(backend)?;
        Ok(n == 1)
    }
}
