//! Erasure, access and retention, on SQLite and PostgreSQL: a citizen's
//! conversations are found by id, Messenger PSID or a value they gave,
//! exported as JSON, and erased; conversations older than the retention
//! period are purged. Afterwards every row of every table of the schema,
//! read with the database's own client, holds nothing of them, while the
//! statistics keep their counts.

use crate::backends::{self, Backend};
use crate::support::{config, Chat, TempDir, TestApp};
use guichet::serve::conversation::{CitizenInput, NewChat};
use guichet::serve::store::{Selector, StatsQuery};

async fn app_on(b: &Backend) -> TestApp {
    let dir = TempDir::new("erasure");
    let mut c = config(dir.path());
    c.store = b.url.clone();
    TestApp::with_store(c, dir, b.store.clone()).await
}

/// Every row of every table, each as one line of text.
async fn every_row(b: &Backend) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if b.name == "sqlite" {
        let path = b.url.strip_prefix("sqlite://").unwrap().to_string();
        let rows = tokio::task::spawn_blocking(move || {
            let c = rusqlite::Connection::open(&path).unwrap();
            let tables: Vec<String> = c
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let mut out = Vec::new();
            for t in tables {
                let mut s = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
                let n = s.column_count();
                let rows: Vec<String> = s
                    .query_map([], |r| {
                        let mut line = Vec::new();
                        for i in 0..n {
                            line.push(match r.get_ref(i)? {
                                rusqlite::types::ValueRef::Null => "NULL".to_string(),
                                rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                                rusqlite::types::ValueRef::Real(v) => v.to_string(),
                                rusqlite::types::ValueRef::Text(t) => {
                                    String::from_utf8_lossy(t).to_string()
                                }
                                rusqlite::types::ValueRef::Blob(b) => format!("{b:?}"),
                            });
                        }
                        Ok(line.join(" | "))
                    })
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                out.extend(rows.into_iter().map(|r| (t.clone(), r)));
            }
            out
        })
        .await
        .unwrap();
        out.extend(rows);
    } else {
        let (client, connection) = tokio_postgres::connect(&b.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        let tables = client
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                &[],
            )
            .await
            .unwrap();
        for t in tables {
            let name: String = t.get(0);
            let rows = client
                .query(&format!("SELECT t::text FROM \"{name}\" t"), &[])
                .await
                .unwrap();
            out.extend(rows.iter().map(|r| (name.clone(), r.get::<_, String>(0))));
        }
    }
    out
}

/// The rows that hold any of `needles` (case-insensitive).
async fn rows_holding(b: &Backend, needles: &[&str]) -> Vec<(String, String)> {
    every_row(b)
        .await
        .into_iter()
        .filter(|(_, row)| {
            let row = row.to_lowercase();
            needles.iter().any(|n| row.contains(&n.to_lowercase()))
        })
        .collect()
}

/// One citizen's two conversations: a crèche enrolment and a parking card
/// paid (personal values in slots, in free text, in actions, in the demo
/// back office), then another enrolment handed over to staff (a case with
/// the bot's summary). Returns their ids, sorted.
async fn citizen(t: &TestApp, email: &str, name: &str) -> Vec<String> {
    let mut chat = Chat::open(t, "fr").await;
    chat.say("je voudrais inscrire mon fils à la crèche").await;
    for answer in [
        "Tom",
        name,
        "3 mai 2025",
        "1er septembre",
        email,
        "0470 12 34 56",
    ] {
        chat.say(answer).await;
    }
    chat.press("yes").await;
    chat.say(&format!("ma voisine {name} aussi, écrivez-lui à {email}"))
        .await;
    chat.say("Bonjour, je voudrais renouveler ma carte de riverain pour la voiture 1-abc-234")
        .await;
    chat.say("1170").await;
    chat.press("first").await;
    chat.press("yes").await;
    let first = chat.id.clone();
    let mut chat = Chat::open(t, "fr").await;
    chat.say("je voudrais inscrire ma fille à la crèche").await;
    for answer in ["Lina", name, "3 mai 2025", "1er septembre", email] {
        chat.say(answer).await;
    }
    let r = chat.say("je veux parler à quelqu'un").await;
    assert!(r.events().iter().any(|e| e["type"] == "handoff"));
    let mut ids = vec![first, chat.id];
    ids.sort();
    ids
}

/// Runs one statement with the database's own client.
async fn execute(b: &Backend, sql: &str) {
    if b.name == "sqlite" {
        let path = b.url.strip_prefix("sqlite://").unwrap().to_string();
        let sql = sql.to_string();
        tokio::task::spawn_blocking(move || {
            rusqlite::Connection::open(path)
                .unwrap()
                .execute_batch(&sql)
                .unwrap();
        })
        .await
        .unwrap();
    } else {
        let (client, connection) = tokio_postgres::connect(&b.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client.batch_execute(sql).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_citizen_leaves_nothing_in_any_table() {
    for b in backends::all().await {
        let t = app_on(&b).await;
        let ids = citizen(&t, "sophie.vandermeulen@exemple.be", "Vandermeulen").await;
        let other = citizen(&t, "jan.peeters@voorbeeld.be", "Peeters").await;
        let day = StatsQuery {
            from: "2026-03-10".into(),
            to: "2026-03-10".into(),
            ..StatsQuery::default()
        };
        let counts = b.store.stats_report(&day).await.unwrap();
        assert_eq!(counts.totals.conversations, 4);
        let mine = [
            "Vandermeulen",
            "sophie.vandermeulen@exemple.be",
            ids[0].as_str(),
            ids[1].as_str(),
        ];
        assert!(
            !rows_holding(&b, &mine).await.is_empty(),
            "{}: the citizen's data is there before",
            b.name
        );

        // Found by a value they gave, typed another way.
        let variants = guichet::privacy::value_variants(
            "Sophie.Vandermeulen@Exemple.be",
            crate::support::now(),
        );
        let found = b
            .store
            .find_conversations(&Selector::Value(variants))
            .await
            .unwrap();
        assert_eq!(found, ids, "{}", b.name);

        // Access: everything held, as JSON.
        let export = b.store.export_conversations(&found).await.unwrap();
        let conversations = export["conversations"].as_array().unwrap();
        assert_eq!(conversations.len(), 2);
        let mut tables = serde_json::Map::new();
        for c in conversations {
            for (table, rows) in c["tables"].as_object().unwrap() {
                tables.insert(table.clone(), rows.clone());
            }
        }
        // The embedded store keeps a turn's answer as its events (see
        // `answers_read_back_exactly_as_written_and_appended`), and its
        // statistics line on its last event.
        let (inputs, stats_lines) = if b.name == "sqlite" {
            ("events", "events")
        } else {
            ("inputs", "stats_lines")
        };
        if b.name == "sqlite" {
            assert!(
                tables["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["stats"].is_object()),
                "sqlite: the statistics lines on the events in the export"
            );
        }
        for table in [
            "conversations",
            "events",
            inputs,
            "actions",
            "demo_requests",
            "demo_payments",
            "cases",
            "stats_flow_starts",
            stats_lines,
            "stats_conversations",
        ] {
            assert!(
                tables
                    .get(table)
                    .and_then(|t| t.as_array())
                    .is_some_and(|r| !r.is_empty()),
                "{}: {table} in the export: {export:#}",
                b.name
            );
        }
        let text = export.to_string();
        assert!(text.contains("sophie.vandermeulen@exemple.be"));
        assert!(!text.contains("Peeters"), "nobody else's data");
        assert!(!text.contains("token_hash"), "secrets' hashes are left out");

        // Erasure.
        let erased = b.store.erase_conversations(&found).await.unwrap();
        assert_eq!(erased["conversations"], 2, "{}: {erased:?}", b.name);
        assert_eq!(erased["cases"], 1, "{}: {erased:?}", b.name);
        let left = rows_holding(&b, &mine).await;
        assert!(left.is_empty(), "{}: left after erasure: {left:#?}", b.name);
        // The other citizen is untouched, and the counts stay.
        let others = ["Peeters", other[0].as_str(), other[1].as_str()];
        assert!(!rows_holding(&b, &others).await.is_empty());
        let after = b.store.stats_report(&day).await.unwrap();
        assert_eq!(after.totals, counts.totals, "{}", b.name);
        assert_eq!(after.flows, counts.flows);
        // Erasing again finds nothing more to do.
        let again = b.store.erase_conversations(&ids).await.unwrap();
        assert_eq!(again.values().sum::<u64>(), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_messenger_citizen_is_found_by_psid() {
    for b in backends::all().await {
        let t = app_on(&b).await;
        let created = t
            .app
            .service
            .create(NewChat {
                lang: None,
                channel: "messenger".into(),
                external_key: Some("104857:7712345".into()),
            })
            .await
            .unwrap();
        t.app
            .service
            .input(
                &created.id,
                "mid.1",
                CitizenInput::Text("bonjour, je suis Léon Dupuis".into()),
            )
            .await
            .unwrap();
        // A delivery kept by the Messenger channel, by page and PSID.
        execute(
            &b,
            "INSERT INTO messenger_inbox (mid, page_id, psid, body, state, received_ms)
             VALUES ('m_1', '104857', '7712345', '', 'done', 1)",
        )
        .await;
        let found = b
            .store
            .find_conversations(&Selector::Psid("7712345".into()))
            .await
            .unwrap();
        assert_eq!(found, vec![created.id.clone()], "{}", b.name);
        assert!(b
            .store
            .find_conversations(&Selector::Psid("771234".into()))
            .await
            .unwrap()
            .is_empty());
        b.store.erase_conversations(&found).await.unwrap();
        let left = rows_holding(&b, &["7712345", "Dupuis", &created.id]).await;
        assert!(left.is_empty(), "{}: {left:#?}", b.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversations_older_than_the_retention_period_are_purged_whole() {
    for b in backends::all().await {
        let dir = TempDir::new("retention");
        let mut c = config(dir.path());
        c.store = b.url.clone();
        c.stats.retention = std::time::Duration::from_secs(10 * 86400);
        let t = TestApp::with_store(c, dir, b.store.clone()).await;
        let old = citizen(&t, "ancien@exemple.be", "Lambrechts").await;
        t.clock.advance(chrono::Duration::days(8));
        let recent = citizen(&t, "recent@exemple.be", "Moreau").await;
        t.clock.advance(chrono::Duration::days(3));
        let purged = t.app.service.purge_expired().await.unwrap();
        assert_eq!(purged.conversations, 2, "{}", b.name);
        let gone = ["Lambrechts", "ancien@exemple.be", &old[0], &old[1]];
        let left = rows_holding(&b, &gone).await;
        assert!(left.is_empty(), "{}: {left:#?}", b.name);
        let kept = ["Moreau", &recent[0], &recent[1]];
        assert!(!rows_holding(&b, &kept).await.is_empty());
        // The statistics of the old day are kept as counts.
        let r = b
            .store
            .stats_report(&StatsQuery {
                from: "2026-03-10".into(),
                to: "2026-03-10".into(),
                ..StatsQuery::default()
            })
            .await
            .unwrap();
        assert_eq!(r.totals.conversations, 2, "{}", b.name);
    }
}

/// `guichet export` and `guichet erase` on a SQLite store.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_and_erase_commands() {
    let b = backends::sqlite().await;
    let t = app_on(&b).await;
    let ids = citizen(&t, "claire.dubois@exemple.be", "Dubois").await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(args)
            .output()
            .expect("guichet runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let store = b.url.as_str();
    let (code, json) = run(&[
        "export",
        "--store",
        store,
        "--value",
        "Claire.Dubois@exemple.BE",
    ]);
    assert_eq!(code, Some(0));
    let export: serde_json::Value = serde_json::from_str(&json).unwrap();
    let exported: Vec<&str> = export["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(exported, ids);
    let (code, out) = run(&[
        "erase",
        "--store",
        store,
        "--conversation",
        &ids[0],
        "--dry-run",
    ]);
    assert_eq!(code, Some(0));
    assert!(out.contains(&ids[0]));
    assert!(
        !rows_holding(&b, &["claire.dubois"]).await.is_empty(),
        "a dry run changes nothing"
    );
    let (code, out) = run(&[
        "erase",
        "--store",
        store,
        "--value",
        "claire.dubois@exemple.be",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("erased 2 conversations"), "{out}");
    assert!(rows_holding(&b, &["claire.dubois", &ids[0], &ids[1]])
        .await
        .is_empty());
    let (code, _) = run(&[
        "erase",
        "--store",
        store,
        "--conversation",
        "a",
        "--psid",
        "b",
    ]);
    assert_eq!(code, Some(2), "one selector only");
}

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_store_and_its_journal_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let b = backends::sqlite().await;
    let t = app_on(&b).await;
    Chat::open(&t, "fr").await.say("bonjour").await;
    let path = std::path::PathBuf::from(b.url.strip_prefix("sqlite://").unwrap());
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        let mode = std::fs::metadata(&file)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "{}: {mode:o}", file.display());
    }
}
