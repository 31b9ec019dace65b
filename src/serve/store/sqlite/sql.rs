//! `SqlBackend` for SQLite: queries on a read connection, transactions
//! on the writer (a savepoint of its group commit).

use super::{backend, SqliteStore};
use crate::serve::store::sql::{for_sqlite, Dialect, Rows, SqlBackend, SqlValue, Statement};
use crate::serve::store::StoreError;
use async_trait::async_trait;
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, ToSql};

impl ToSql for SqlValue {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            SqlValue::Int(Some(v)) => ToSqlOutput::Owned(Value::Integer(*v)),
            SqlValue::Text(Some(t)) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            SqlValue::Real(f) => ToSqlOutput::Owned(Value::Real(*f)),
            SqlValue::Int(None) | SqlValue::Text(None) => ToSqlOutput::Owned(Value::Null),
        })
    }
}

fn value(v: ValueRef<'_>) -> SqlValue {
    match v {
        ValueRef::Null => SqlValue::Text(None),
        ValueRef::Integer(i) => SqlValue::int(i),
        ValueRef::Real(f) => SqlValue::Real(f),
        ValueRef::Text(t) => SqlValue::text(String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => {
            SqlValue::text(b.iter().map(|x| format!("{x:02x}")).collect::<String>())
        }
    }
}

pub(super) fn run(c: &Connection, sql: &str, params: &[SqlValue]) -> rusqlite::Result<(Rows, u64)> {
    let mut s = c.prepare_cached(&for_sqlite(sql))?;
    let columns = s.column_count();
    if columns == 0 {
        let n = s.execute(rusqlite::params_from_iter(params.iter()))?;
        return Ok((Vec::new(), n as u64));
    }
    let mut rows = s.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Vec::with_capacity(columns);
        for i in 0..columns {
            row.push(value(r.get_ref(i)?));
        }
        out.push(row);
    }
    let n = out.len() as u64;
    Ok((out, n))
}

#[async_trait]
impl SqlBackend for SqliteStore {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    async fn query(&self, sql: &str, params: Vec<SqlValue>) -> Result<Rows, StoreError> {
        let sql = sql.to_string();
        self.read(move |c| run(c, &sql, &params).map(|(rows, _)| rows))
            .await
    }

    async fn transaction(
        &self,
        statements: Vec<Statement>,
    ) -> Result<Vec<(Rows, u64)>, StoreError> {
        self.write(move |c| {
            statements
                .iter()
                .map(|s| run(c, &s.sql, &s.params).map_err(backend))
                .collect()
        })
        .await
    }

    async fn fold_records(&self, limit: usize) -> Result<u64, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // Most reads find nothing pending: no write transaction for them.
        let any = self
            .read(|c| {
                c.prepare_cached(super::stats::ANY_PENDING)?
                    .query_row([], |r| r.get::<_, bool>(0))
            })
            .await?;
        if !any {
            return Ok(0);
        }
        self.inner
            .writer
            .run_counting(move |c, counts| super::stats::fold_records(c, limit, counts))
            .await
    }
}
