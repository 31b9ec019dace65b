//! The few SQL statements both backends run the same way (statistics,
//! purges, erasure and access): written once with `$1` placeholders, run
//! by each backend through this small interface. The turn's own writes
//! stay in each backend, prepared and batched.

use super::StoreError;
use async_trait::async_trait;

/// A parameter or a column's value. Typed even when empty, as PostgreSQL
/// wants a parameter's type.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Int(Option<i64>),
    Text(Option<String>),
    Real(f64),
}

impl SqlValue {
    pub fn int(v: i64) -> SqlValue {
        SqlValue::Int(Some(v))
    }
    pub fn text(v: impl Into<String>) -> SqlValue {
        SqlValue::Text(Some(v.into()))
    }
    pub fn as_i64(&self) -> i64 {
        match self {
            SqlValue::Int(Some(v)) => *v,
            SqlValue::Real(f) => *f as i64,
            SqlValue::Text(Some(t)) => t.parse().unwrap_or(0),
            _ => 0,
        }
    }
    pub fn as_str(&self) -> &str {
        match self {
            SqlValue::Text(Some(t)) => t,
            _ => "",
        }
    }
    pub fn into_string(self) -> String {
        match self {
            SqlValue::Text(Some(t)) => t,
            SqlValue::Int(Some(v)) => v.to_string(),
            SqlValue::Real(f) => f.to_string(),
            _ => String::new(),
        }
    }
    pub fn into_opt_string(self) -> Option<String> {
        match self {
            SqlValue::Text(t) => t,
            SqlValue::Int(v) => v.map(|v| v.to_string()),
            SqlValue::Real(f) => Some(f.to_string()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A result: rows of values, in the order of the statement's columns.
pub type Rows = Vec<Vec<SqlValue>>;

/// One statement of a transaction, and whether its rows are wanted.
#[derive(Debug, Clone)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

impl Statement {
    pub fn new(sql: impl Into<String>, params: Vec<SqlValue>) -> Statement {
        Statement {
            sql: sql.into(),
            params,
        }
    }
}

#[async_trait]
pub trait SqlBackend: Send + Sync {
    fn dialect(&self) -> Dialect;
    /// Runs a query (placeholders `$1`, `$2`...).
    async fn query(&self, sql: &str, params: Vec<SqlValue>) -> Result<Rows, StoreError>;
    /// Runs statements in one transaction; returns each one's rows
    /// (a statement that returns none gives an empty list) and changed-row
    /// count.
    async fn transaction(&self, statements: Vec<Statement>)
        -> Result<Vec<(Rows, u64)>, StoreError>;
    /// Folds the statistics' records turns left pending (`stats_pending`,
    /// see `store::stats_fold`), `limit` lines at most; returns how many.
    async fn fold_records(&self, limit: usize) -> Result<u64, StoreError> {
        let _ = limit;
        Ok(0)
    }
}

/// `fold_all_records` before a read: a fold that fails (logged) leaves
/// the read to answer without the pending records rather than not at all.
pub async fn fold_before_reading<S: SqlBackend + ?Sized>(store: &S) {
    if let Err(e) = fold_all_records(store).await {
        tracing::error!(error = %e, "the statistics' pending records could not be folded");
    }
}

/// Folds every pending record (see `SqlBackend::fold_records`), so that
/// what is read next counts them: 250 lines per transaction, so that the
/// turns committed meanwhile (on SQLite, by the same writer) wait for a
/// few milliseconds at most.
pub async fn fold_all_records<S: SqlBackend + ?Sized>(store: &S) -> Result<u64, StoreError> {
    const AT_ONCE: usize = 250;
    let mut total = 0;
    loop {
        let n = store.fold_records(AT_ONCE).await?;
        total += n;
        if n < AT_ONCE as u64 {
            return Ok(total);
        }
    }
}

/// A statement written for PostgreSQL (`$1`) as SQLite reads it (`?1`).
pub fn for_sqlite(sql: &str) -> String {
    sql.replace('$', "?")
}
