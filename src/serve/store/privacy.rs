//! Erasure, access and retention in the store: finding one citizen's
//! conversations (by id, Messenger PSID or a value they gave), exporting
//! everything held about them, erasing it, and purging what is older than
//! the retention period.
//!
//! The tables are read from the schema: every table with a
//! `conversation_id` column holds something derived from a conversation,
//! so a table added later is erased and exported with the others. The
//! statistics records lose their link instead (their counts hold no
//! personal data); the messages not understood are deleted.

use super::sql::{Dialect, SqlBackend, SqlValue, Statement};
use super::StoreError;
use async_trait::async_trait;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// Whose data.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    Conversation(String),
    /// A Messenger page-scoped id.
    Psid(String),
    /// A value the citizen gave (an e-mail address, a register number...),
    /// in any of the forms given (`variants`: as typed, normalised).
    Value(Vec<String>),
}

/// Rows deleted (or unlinked) per table.
pub type Erased = BTreeMap<String, u64>;

/// What a purge removed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Purged {
    pub conversations: u64,
    /// Statistics records rolled up into daily counts and deleted.
    pub stats_rows: u64,
    pub rows: Erased,
}

/// Tables whose rows keep their counts when a conversation goes: the link
/// is removed, not the row.
const UNLINKED: [&str; 2] = ["stats_events", "stats_conversations"];

/// A column of the schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub table: String,
    pub name: String,
    /// Text (searched for values, exported); others are numbers or bytes.
    pub text: bool,
    pub bytes: bool,
}

fn ident_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Every column of every table of the schema.
    async fn schema_columns(&self) -> Result<Vec<Column>, StoreError>;
    /// The ids of the conversations a selector names (a conversation id is
    /// returned even when the conversation itself is gone, so that what
    /// derives from it can still be found).
    async fn find_conversations(&self, selector: &Selector) -> Result<Vec<String>, StoreError>;
    /// Everything held about these conversations: each table's rows.
    async fn export_conversations(&self, ids: &[String]) -> Result<Json, StoreError>;
    /// Deletes these conversations and everything derived from them.
    async fn erase_conversations(&self, ids: &[String]) -> Result<Erased, StoreError>;
    /// Deletes the conversations untouched since `before_ms` with what
    /// derives from them, and rolls older statistics up into counts.
    async fn purge_before(&self, before_ms: i64) -> Result<Purged, StoreError>;
}

/// The tables with a column `name` (`conversation_id`, `psid`).
fn linked(columns: &[Column], name: &str) -> Vec<String> {
    let mut out: Vec<String> = columns
        .iter()
        .filter(|c| c.name == name && ident_ok(&c.table))
        .map(|c| c.table.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The statements that erase conversations, each with its table.
fn erase_statements(
    columns: &[Column],
    ids: &[String],
    keys: &[String],
) -> Vec<(String, Statement)> {
    let mut out = Vec::new();
    for table in linked(columns, "conversation_id") {
        for id in ids {
            let sql = if UNLINKED.contains(&table.as_str()) {
                format!("UPDATE {table} SET conversation_id = NULL WHERE conversation_id = $1")
            } else {
                format!("DELETE FROM {table} WHERE conversation_id = $1")
            };
            out.push((table.clone(), Statement::new(sql, vec![SqlValue::text(id)])));
        }
    }
    // Deliveries kept by a channel's own key (a Messenger page and PSID).
    for table in linked(columns, "psid") {
        let has_page = columns
            .iter()
            .any(|c| c.table == table && c.name == "page_id");
        for key in keys {
            let (page, psid) = key.split_once(':').unwrap_or(("", key.as_str()));
            let (sql, params) = if has_page && !page.is_empty() {
                (
                    format!("DELETE FROM {table} WHERE page_id = $1 AND psid = $2"),
                    vec![SqlValue::text(page), SqlValue::text(psid)],
                )
            } else {
                (
                    format!("DELETE FROM {table} WHERE psid = $1"),
                    vec![SqlValue::text(psid)],
                )
            };
            out.push((table.clone(), Statement::new(sql, params)));
        }
    }
    for id in ids {
        out.push((
            "conversations".to_string(),
            Statement::new(
                "DELETE FROM conversations WHERE id = $1",
                vec![SqlValue::text(id)],
            ),
        ));
    }
    out
}

async fn external_keys<S: SqlBackend + ?Sized>(
    store: &S,
    ids: &[String],
) -> Result<Vec<String>, StoreError> {
    let mut keys = Vec::new();
    for id in ids {
        let rows = store
            .query(
                "SELECT external_key FROM conversations WHERE id = $1 AND external_key IS NOT NULL",
                vec![SqlValue::text(id)],
            )
            .await?;
        keys.extend(
            rows.into_iter()
                .filter_map(|r| r.into_iter().next()?.into_opt_string()),
        );
    }
    Ok(keys)
}

#[async_trait]
impl<T: SqlBackend + ?Sized> PrivacyStore for T {
    async fn schema_columns(&self) -> Result<Vec<Column>, StoreError> {
        let sql = match self.dialect() {
            Dialect::Sqlite => {
                "SELECT m.name, p.name, UPPER(p.type) FROM sqlite_master m, pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid"
            }
            Dialect::Postgres => {
                "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT), UPPER(CAST(data_type AS TEXT))
                 FROM information_schema.columns WHERE table_schema = current_schema()
                 ORDER BY table_name, ordinal_position"
            }
        };
        let rows = self.query(sql, Vec::new()).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let ty = r.get(2).map(|v| v.as_str().to_string()).unwrap_or_default();
                Column {
                    table: r
                        .first()
                        .map(|v| v.as_str().to_string())
                        .unwrap_or_default(),
                    name: r.get(1).map(|v| v.as_str().to_string()).unwrap_or_default(),
                    text: ty.contains("TEXT") || ty.contains("CHAR"),
                    bytes: ty.contains("BLOB") || ty.contains("BYTEA"),
                }
            })
            .collect())
    }

    async fn find_conversations(&self, selector: &Selector) -> Result<Vec<String>, StoreError> {
        let mut ids: Vec<String> = match selector {
            Selector::Conversation(id) => vec![id.clone()],
            Selector::Psid(psid) => self
                .query(
                    "SELECT id FROM conversations WHERE external_key = $1 OR external_key LIKE $2",
                    vec![SqlValue::text(psid), SqlValue::text(format!("%:{psid}"))],
                )
                .await?
                .into_iter()
                .filter_map(|r| r.into_iter().next().map(SqlValue::into_string))
                .collect(),
            Selector::Value(variants) => {
                let columns = self.schema_columns().await?;
                let mut found = Vec::new();
                let find = match self.dialect() {
                    Dialect::Sqlite => "instr(lower({col}), lower($1)) > 0",
                    Dialect::Postgres => "strpos(lower({col}), lower($1)) > 0",
                };
                for c in columns.iter().filter(|c| c.text && ident_ok(&c.name)) {
                    let id_column = if c.table == "conversations" {
                        "id"
                    } else if columns
                        .iter()
                        .any(|o| o.table == c.table && o.name == "conversation_id")
                    {
                        "conversation_id"
                    } else {
                        continue;
                    };
                    if c.name == id_column || !ident_ok(&c.table) {
                        continue;
                    }
                    for v in variants.iter().filter(|v| v.chars().count() >= 3) {
                        let sql = format!(
                            "SELECT DISTINCT {id_column} FROM {} WHERE {id_column} IS NOT NULL AND {}",
                            c.table,
                            find.replace("{col}", &c.name)
                        );
                        let rows = self.query(&sql, vec![SqlValue::text(v)]).await?;
                        found.extend(
                            rows.into_iter()
                                .filter_map(|r| r.into_iter().next().map(SqlValue::into_string)),
                        );
                    }
                }
                found
            }
        };
        ids.sort();
        ids.dedup();
        ids.retain(|i| !i.is_empty());
        Ok(ids)
    }

    async fn export_conversations(&self, ids: &[String]) -> Result<Json, StoreError> {
        // Their statistics records, if still pending, with the others.
        super::sql::fold_before_reading(self).await;
        let columns = self.schema_columns().await?;
        let mut out = Vec::new();
        for id in ids {
            let mut tables = Map::new();
            let mut names: Vec<String> = linked(&columns, "conversation_id");
            names.insert(0, "conversations".into());
            for table in names {
                let cols: Vec<&Column> = columns
                    .iter()
                    .filter(|c| c.table == table && !c.bytes && ident_ok(&c.name))
                    .collect();
                if cols.is_empty() {
                    continue;
                }
                let list = cols
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                let key = if table == "conversations" {
                    "id"
                } else {
                    "conversation_id"
                };
                let rows = self
                    .query(
                        &format!("SELECT {list} FROM {table} WHERE {key} = $1"),
                        vec![SqlValue::text(id)],
                    )
                    .await?;
                if rows.is_empty() {
                    continue;
                }
                let rows: Vec<Json> = rows
                    .into_iter()
                    .map(|r| {
                        let mut obj = Map::new();
                        for (c, v) in cols.iter().zip(r) {
                            let value = match v {
                                SqlValue::Int(Some(i)) => Json::from(i),
                                SqlValue::Real(f) => Json::from(f),
                                SqlValue::Text(Some(t)) => {
                                    // JSON held as text (a log event, a session) is shown as JSON.
                                    match serde_json::from_str::<Json>(&t) {
                                        Ok(j @ (Json::Object(_) | Json::Array(_))) => j,
                                        _ => Json::String(t),
                                    }
                                }
                                _ => Json::Null,
                            };
                            obj.insert(c.name.clone(), value);
                        }
                        Json::Object(obj)
                    })
                    .collect();
                tables.insert(table, Json::Array(rows));
            }
            let mut conversation = Map::new();
            conversation.insert("id".into(), Json::String(id.clone()));
            conversation.insert("tables".into(), Json::Object(tables));
            out.push(Json::Object(conversation));
        }
        Ok(serde_json::json!({ "conversations": out }))
    }

    async fn erase_conversations(&self, ids: &[String]) -> Result<Erased, StoreError> {
        if ids.is_empty() {
            return Ok(Erased::new());
        }
        // Pending records are counted before their link goes.
        super::sql::fold_before_reading(self).await;
        let columns = self.schema_columns().await?;
        let keys = external_keys(self, ids).await?;
        let statements = erase_statements(&columns, ids, &keys);
        let tables: Vec<String> = statements.iter().map(|(t, _)| t.clone()).collect();
        let done = self
            .transaction(statements.into_iter().map(|(_, s)| s).collect())
            .await?;
        let mut erased = Erased::new();
        for (table, (_, n)) in tables.into_iter().zip(done) {
            *erased.entry(table).or_default() += n;
        }
        Ok(erased)
    }

    async fn purge_before(&self, before_ms: i64) -> Result<Purged, StoreError> {
        // Records still pending are counted before their conversations go.
        super::sql::fold_before_reading(self).await;
        // The roll-up takes a day of records per transaction: loop until the
        // backlog is gone (a store down for weeks catches up in one purge).
        let mut stats_rows = 0;
        loop {
            let n = super::StatsStore::roll_up_stats(self, before_ms).await?;
            if n == 0 {
                break;
            }
            stats_rows += n;
        }
        let mut purged = Purged {
            stats_rows,
            ..Purged::default()
        };
        loop {
            let ids: Vec<String> = self
                .query(
                    "SELECT id FROM conversations WHERE updated_ms < $1 ORDER BY updated_ms LIMIT 200",
                    vec![SqlValue::int(before_ms)],
                )
                .await?
                .into_iter()
                .filter_map(|r| r.into_iter().next().map(SqlValue::into_string))
                .collect();
            if ids.is_empty() {
                break;
            }
            let erased = self.erase_conversations(&ids).await?;
            purged.conversations += erased.get("conversations").copied().unwrap_or(0);
            for (t, n) in erased {
                *purged.rows.entry(t).or_default() += n;
            }
            if ids.len() < 200 {
                break;
            }
        }
        Ok(purged)
    }
}
