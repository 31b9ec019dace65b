//! The stores the conformance suite runs on: SQLite always, PostgreSQL when
//! `GUICHET_TEST_POSTGRES_URL` names a server (each test gets a database of
//! its own). Under `scripts/test` (`GUICHET_TEST_REQUIRE_POSTGRES=1`) a
//! missing PostgreSQL fails the tests instead of skipping them.

use crate::support::TempDir;
use guichet::serve::store::{self, Store};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub struct Backend {
    pub name: &'static str,
    /// The URL `guichet serve --store` takes.
    pub url: String,
    pub store: Arc<dyn Store>,
    pub _dir: Option<TempDir>,
}

pub async fn sqlite() -> Backend {
    let dir = TempDir::new("store");
    let url = format!("sqlite://{}", dir.path().join("guichet.db").display());
    Backend {
        name: "sqlite",
        store: store::open(&url).await.unwrap(),
        url,
        _dir: Some(dir),
    }
}

/// A fresh database on the test PostgreSQL server, or `None` (with a
/// notice) when there is none and none is required.
pub async fn postgres_url() -> Option<String> {
    let base = match std::env::var("GUICHET_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            if std::env::var("GUICHET_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("GUICHET_TEST_REQUIRE_POSTGRES=1 but GUICHET_TEST_POSTGRES_URL is not set");
            }
            eprintln!("note: GUICHET_TEST_POSTGRES_URL is not set: the PostgreSQL store tests are skipped (scripts/test runs them)");
            return None;
        }
    };
    static N: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "guichet_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    );
    let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .expect("the test PostgreSQL server answers");
    tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("a test database can be created");
    // Replace the database in the URL: the path after the host.
    let (prefix, rest) = base.split_at(base.find("://").unwrap() + 3);
    let (authority, query) = match rest.find('/') {
        Some(i) => {
            let after = &rest[i + 1..];
            let query = after.find('?').map(|q| &after[q..]).unwrap_or("");
            (&rest[..i], query)
        }
        None => match rest.find('?') {
            Some(q) => (&rest[..q], &rest[q..]),
            None => (rest, ""),
        },
    };
    Some(format!("{prefix}{authority}/{name}{query}"))
}

pub async fn postgres() -> Option<Backend> {
    let url = postgres_url().await?;
    Some(Backend {
        name: "postgres",
        store: store::open(&url).await.expect("the PostgreSQL store opens"),
        url,
        _dir: None,
    })
}

/// SQLite, then PostgreSQL when there is one.
pub async fn all() -> Vec<Backend> {
    let mut out = vec![sqlite().await];
    out.extend(postgres().await);
    out
}
