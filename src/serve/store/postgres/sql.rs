//! `SqlBackend` for PostgreSQL: a pooled connection per call; a
//! transaction for statements that go together.

use super::{backend, PgStore};
use crate::serve::store::sql::{Dialect, Rows, SqlBackend, SqlValue, Statement};
use crate::serve::store::StoreError;
use async_trait::async_trait;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::Row;

fn params(values: &[SqlValue]) -> Vec<Box<dyn ToSql + Sync + Send>> {
    values
        .iter()
        .map(|v| -> Box<dyn ToSql + Sync + Send> {
            match v {
                SqlValue::Int(i) => Box::new(*i),
                SqlValue::Text(t) => Box::new(t.clone()),
                SqlValue::Real(f) => Box::new(*f),
            }
        })
        .collect()
}

fn row(r: &Row) -> Vec<SqlValue> {
    (0..r.len())
        .map(|i| {
            let ty = r.columns()[i].type_();
            if *ty == Type::INT8 {
                SqlValue::Int(r.get::<_, Option<i64>>(i))
            } else if *ty == Type::INT4 {
                SqlValue::Int(r.get::<_, Option<i32>>(i).map(i64::from))
            } else if *ty == Type::INT2 {
                SqlValue::Int(r.get::<_, Option<i16>>(i).map(i64::from))
            } else if *ty == Type::FLOAT8 {
                SqlValue::Real(r.get::<_, Option<f64>>(i).unwrap_or(0.0))
            } else if *ty == Type::FLOAT4 {
                SqlValue::Real(r.get::<_, Option<f32>>(i).map_or(0.0, f64::from))
            } else if *ty == Type::BOOL {
                SqlValue::Int(r.get::<_, Option<bool>>(i).map(i64::from))
            } else if *ty == Type::BYTEA {
                SqlValue::Text(
                    r.get::<_, Option<Vec<u8>>>(i)
                        .map(|b| b.iter().map(|x| format!("{x:02x}")).collect()),
                )
            } else {
                SqlValue::Text(r.try_get::<_, Option<String>>(i).ok().flatten())
            }
        })
        .collect()
}

fn refs(p: &[Box<dyn ToSql + Sync + Send>]) -> Vec<&(dyn ToSql + Sync)> {
    p.iter()
        .map(|b| b.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

#[async_trait]
impl SqlBackend for PgStore {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    async fn query(&self, sql: &str, values: Vec<SqlValue>) -> Result<Rows, StoreError> {
        let c = self.client().await?;
        let p = params(&values);
        let rows = c.query(sql, &refs(&p)).await.map_err(backend)?;
        Ok(rows.iter().map(row).collect())
    }

    async fn transaction(
        &self,
        statements: Vec<Statement>,
    ) -> Result<Vec<(Rows, u64)>, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(backend)?;
        let mut out = Vec::with_capacity(statements.len());
        for s in &statements {
            let p = params(&s.params);
            let st = tx.prepare(&s.sql).await.map_err(backend)?;
            if st.columns().is_empty() {
                let n = tx.execute(&st, &refs(&p)).await.map_err(backend)?;
                out.push((Vec::new(), n));
            } else {
                let rows = tx.query(&st, &refs(&p)).await.map_err(backend)?;
                let n = rows.len() as u64;
                out.push((rows.iter().map(row).collect(), n));
            }
        }
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn fold_records(&self, limit: usize) -> Result<u64, StoreError> {
        super::stats::fold_records(self, i64::try_from(limit).unwrap_or(i64::MAX)).await
    }
}
