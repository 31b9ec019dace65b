//! The store's conformance suite, on SQLite and PostgreSQL: turns of one
//! conversation are serialised, two servers on one PostgreSQL serve one
//! conversation in turn, idle conversations expire, owed actions are
//! claimed once.

use crate::backends::{self, Backend};
use crate::support::{config, Chat, Served, SseReader, TempDir, TestApp};
use axum::http::StatusCode;
use guichet::serve::store::{ActionState, NewAction, NewConversation, StoredEvent, TurnWrite};
use serde_json::{json, Value};
use std::time::Duration;

async fn app_on(b: &Backend) -> TestApp {
    let dir = TempDir::new("conf");
    let mut c = config(dir.path());
    c.store = b.url.clone();
    TestApp::with_store(c, dir, b.store.clone()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_inputs_on_one_conversation_are_serialised() {
    for b in backends::all().await {
        let t = app_on(&b).await;
        let chat = Chat::open(&t, "fr").await;
        let n = 24;
        let mut tasks = Vec::new();
        for i in 0..n {
            let router = t.router.clone();
            let (id, token) = (chat.id.clone(), chat.token.clone());
            tasks.push(tokio::spawn(async move {
                use tower::ServiceExt;
                let req = axum::http::Request::post(format!("/api/conversations/{id}/inputs"))
                    .header("content-type", "application/json")
                    .header("authorization", format!("Bearer {token}"))
                    .body(axum::body::Body::from(
                        json!({"client_id": format!("c{i}"), "text": format!("merci {i}")})
                            .to_string(),
                    ))
                    .unwrap();
                router.oneshot(req).await.unwrap().status()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), StatusCode::OK, "{}", b.name);
        }
        let h = chat.history(0).await;
        let events = h.events();
        let users = events.iter().filter(|e| e["type"] == "user").count();
        assert_eq!(users, n + 1, "{}: every input is in the log", b.name);
        for (i, e) in events.iter().enumerate() {
            assert_eq!(
                e["seq"],
                json!(i + 1),
                "{}: no seq lost or repeated",
                b.name
            );
        }
        // Turns never interleave: each user event is followed by its
        // turn's events up to one turn_end.
        let mut open = false;
        for e in events {
            match e["type"].as_str().unwrap() {
                "user" => {
                    assert!(!open, "{}: a turn began inside another", b.name);
                    open = true;
                }
                "turn_end" => open = false,
                _ => {}
            }
        }
        let locked = b
            .store
            .lock(&chat.id, Duration::from_secs(5))
            .await
            .unwrap();
        let session: Value = serde_json::from_str(&locked.state().session).unwrap();
        assert_eq!(session["turns"], json!(n + 1), "{}: no lost update", b.name);
    }
}

#[tokio::test]
async fn idle_conversations_expire() {
    for b in backends::all().await {
        let t = app_on(&b).await;
        let mut old = Chat::open(&t, "fr").await;
        old.say("bonjour").await;
        t.clock.advance(chrono::Duration::days(29));
        let recent = Chat::open(&t, "fr").await;
        t.clock.advance(chrono::Duration::days(2));
        let before = (guichet::serve::clock::Clock::now(t.clock.as_ref())
            - chrono::Duration::days(30))
        .timestamp_millis();
        let n = b.store.expire_idle(before).await.unwrap();
        assert_eq!(n, 1, "{}", b.name);
        let r = old.send(json!({"text": "encore là ?"})).await;
        assert_eq!(r.code(), "unknown_conversation", "{}", b.name);
        assert_eq!(old.history(0).await.code(), "unknown_conversation");
        assert!(b
            .store
            .events_after(&old.id, 0, 10)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(recent.history(0).await.status, StatusCode::OK, "{}", b.name);
    }
}

#[tokio::test]
async fn the_store_keeps_answers_actions_and_sequences() {
    for b in backends::all().await {
        let s = &b.store;
        s.create_conversation(NewConversation {
            id: "c_conf".into(),
            token_hash: vec![1, 2, 3],
            channel: "messenger".into(),
            external_key: Some("page:psid".into()),
            lang: None,
            session: "{}".into(),
            now_ms: 1000,
        })
        .await
        .unwrap();
        let dup = s
            .create_conversation(NewConversation {
                id: "c_other".into(),
                token_hash: vec![],
                channel: "messenger".into(),
                external_key: Some("page:psid".into()),
                lang: None,
                session: "{}".into(),
                now_ms: 1000,
            })
            .await;
        assert!(
            dup.is_err(),
            "{}: one conversation per external key",
            b.name
        );
        let found = s
            .conversation_by_key("messenger", "page:psid")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, "c_conf");

        let mut locked = s.lock("c_conf", Duration::from_secs(5)).await.unwrap();
        assert_eq!(locked.answer_for("m1").await.unwrap(), None);
        let write = TurnWrite {
            session: "{\"turns\":1}".into(),
            lang: Some("nl".into()),
            offered: Some("[]".into()),
            events: (1..=3)
                .map(|seq| StoredEvent {
                    seq,
                    body: format!("{{\"type\":\"say\",\"text\":\"{seq}\"}}"),
                })
                .collect(),
            answer: Some(guichet::serve::store::AnswerWrite {
                client_id: "m1".into(),
                events: "{\"seq\":1}".into(),
                append: false,
            }),
            new_actions: vec![NewAction {
                action_id: "a1".into(),
                name: "create_request".into(),
                args: "{}".into(),
                client_id: Some("m1".into()),
                token_hash: vec![9, 9],
            }],
            action_states: vec![],
            now_ms: 2000,
            ..TurnWrite::default()
        };
        locked.commit(write).await.unwrap();
        let events = s.events_after("c_conf", 1, 1).await.unwrap();
        assert_eq!(
            events,
            vec![StoredEvent {
                seq: 2,
                body: "{\"type\":\"say\",\"text\":\"2\"}".into()
            }]
        );
        assert_eq!(
            events[0].to_json(),
            "{\"seq\":2,\"type\":\"say\",\"text\":\"2\"}"
        );
        let info = s.conversation("c_conf").await.unwrap().unwrap();
        assert_eq!((info.last_seq, info.lang.as_deref()), (3, Some("nl")));
        let mut locked = s.lock("c_conf", Duration::from_secs(5)).await.unwrap();
        assert_eq!(
            locked.answer_for("m1").await.unwrap().as_deref(),
            Some("{\"seq\":1}")
        );
        // A lock taken and dropped without commit changes nothing.
        drop(locked);
        // The action is owed; one claim takes it, the next finds none.
        let action = s.action_by_token(&[9, 9]).await.unwrap().unwrap();
        assert_eq!(action.state, ActionState::Owed);
        let claimed = s.claim_owed_actions(3000, 3000, 10).await.unwrap();
        assert_eq!(claimed.len(), 1, "{}", b.name);
        assert!(s
            .claim_owed_actions(3000, 3000, 10)
            .await
            .unwrap()
            .is_empty());
        s.rekey_action("c_conf", "a1", &[7]).await.unwrap();
        assert!(s.action_by_token(&[9, 9]).await.unwrap().is_none());
        assert!(s.action_by_token(&[7]).await.unwrap().is_some());
        // A second lock waits for the first: Busy after the wait.
        let held = s.lock("c_conf", Duration::from_secs(5)).await.unwrap();
        let busy = s.lock("c_conf", Duration::from_millis(100)).await;
        assert!(
            matches!(busy, Err(guichet::serve::store::StoreError::Busy)),
            "{}",
            b.name
        );
        drop(held);
        let unknown = s.lock("c_nobody", Duration::from_secs(1)).await;
        assert!(matches!(
            unknown,
            Err(guichet::serve::store::StoreError::NotFound)
        ));
        // Per-year sequences.
        assert_eq!(s.next_number("CR", 2026).await.unwrap(), 1);
        assert_eq!(s.next_number("CR", 2026).await.unwrap(), 2);
        assert_eq!(s.next_number("CR", 2027).await.unwrap(), 1);
        assert_eq!(s.next_number("RC", 2026).await.unwrap(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_postgresql_serve_one_conversation_in_turn() {
    let Some(url) = backends::postgres_url().await else {
        return;
    };
    let a_store = guichet::serve::store::open(&url).await.unwrap();
    let b_store = guichet::serve::store::open(&url).await.unwrap();
    let dir_a = TempDir::new("replica-a");
    let mut ca = config(dir_a.path());
    ca.store = url.clone();
    let a = TestApp::with_store(ca, dir_a, a_store).await;
    let dir_b = TempDir::new("replica-b");
    let mut cb = config(dir_b.path());
    cb.store = url.clone();
    let b = TestApp::with_store(cb, dir_b, b_store).await;

    let mut on_a = Chat::open(&a, "fr").await;
    // A stream open on A sees what B commits.
    let served_a = Served::start(a.app.clone()).await;
    let stream = reqwest::Client::new()
        .get(format!(
            "{}/api/conversations/{}/stream?token={}",
            served_a.url, on_a.id, on_a.token
        ))
        .send()
        .await
        .unwrap();
    let mut live = SseReader::new(stream);
    let mut on_b = Chat::join(&b, &on_a.id, &on_a.token);
    on_a.say("je voudrais une place en crèche").await;
    let r = on_b.send(json!({"client_id": "b-1", "text": "Tom"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.last()["expecting"]["name"],
        "child_last_name",
        "B continues A's form"
    );
    let r = on_a.say("Dubois").await;
    assert_eq!(
        r.last()["expecting"]["name"],
        "child_birth_date",
        "A continues B's turn"
    );
    loop {
        let e = live.next_of("user").await;
        if e["text"] == "Tom" {
            break;
        }
    }
    served_a.stop().await;
}

/// The embedded store keeps recent conversations' state in memory between
/// turns. A change made to the file behind the server's back (another
/// process) is never overwritten by a turn started from the kept state:
/// that turn is refused, and the next one starts from the file.
#[tokio::test]
async fn a_turn_never_overwrites_what_another_process_wrote_to_the_embedded_store() {
    let b = backends::sqlite().await;
    let s = &b.store;
    let path = b.url.strip_prefix("sqlite://").unwrap().to_string();
    s.create_conversation(web_conversation("c_kept"))
        .await
        .unwrap();
    let turn = |seq: i64, client_id: &str, now_ms: i64| TurnWrite {
        session: format!("{{\"turns\":{seq}}}"),
        events: vec![StoredEvent {
            seq,
            body: "{\"type\":\"say\",\"text\":\"ok\"}".into(),
        }],
        answer: Some(guichet::serve::store::AnswerWrite {
            client_id: client_id.into(),
            events: format!("{{\"seq\":{seq}}}"),
            append: false,
        }),
        now_ms,
        ..TurnWrite::default()
    };
    let (locked, answer) = s
        .lock_for_input("c_kept", "m1", Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(answer, None);
    locked.commit(turn(1, "m1", 2000)).await.unwrap();

    // Another process writes a turn of its own.
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute(
            "UPDATE conversations SET session = '{\"other\":true}', last_seq = 2, updated_ms = 2500 WHERE id = 'c_kept'",
            [],
        )
        .unwrap();
    other
        .execute(
            "INSERT INTO events (conversation_id, seq, body, at_ms) VALUES ('c_kept', 2, '{\"type\":\"say\",\"text\":\"other\"}', 2500)",
            [],
        )
        .unwrap();

    // A turn started from the state kept in memory is refused...
    let (locked, _) = s
        .lock_for_input("c_kept", "m2", Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(locked.state().info.last_seq, 1, "the state kept in memory");
    let refused = locked.commit(turn(2, "m2", 3000)).await;
    assert!(
        matches!(refused, Err(guichet::serve::store::StoreError::Busy)),
        "a turn over a changed row is refused: {refused:?}"
    );
    let session: String = other
        .query_row(
            "SELECT session FROM conversations WHERE id = 'c_kept'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        session, "{\"other\":true}",
        "what the other process wrote stays"
    );
    // ...and the next starts from the file, and is kept.
    let (locked, answer) = s
        .lock_for_input("c_kept", "m2", Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(answer, None, "the refused turn left no answer");
    assert_eq!(locked.state().info.last_seq, 2);
    assert_eq!(locked.state().session, "{\"other\":true}");
    locked.commit(turn(3, "m2", 3000)).await.unwrap();
    let events = s.events_after("c_kept", 0, 10).await.unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3], "no event lost or repeated");

    // The answered message ids are known, kept or not: a retry gets the
    // first answer.
    let (_, answer) = s
        .lock_for_input("c_kept", "m1", Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(answer.as_deref(), Some("{\"seq\":1}"));
    let reopened = guichet::serve::store::open(&b.url).await.unwrap();
    let (_, answer) = reopened
        .lock_for_input("c_kept", "m2", Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(answer.as_deref(), Some("{\"seq\":3}"));

    // Erased behind the server's back: the next turn finds no conversation.
    other
        .execute("DELETE FROM conversations WHERE id = 'c_kept'", [])
        .unwrap();
    let (locked, _) = s
        .lock_for_input("c_kept", "m3", Duration::from_secs(5))
        .await
        .unwrap();
    let gone = locked.commit(turn(4, "m3", 4000)).await;
    assert!(matches!(
        gone,
        Err(guichet::serve::store::StoreError::NotFound)
    ));
}

/// What the service writes as a turn's answer is its events' lines; a
/// later action result appends its own. Whatever way a store keeps them,
/// a retried client message id gets them back exactly, in order, also
/// after the store is opened again, and an answer that is not its turn's
/// events is kept as written.
#[tokio::test]
async fn answers_read_back_exactly_as_written_and_appended() {
    for b in backends::all().await {
        let s = &b.store;
        s.create_conversation(web_conversation("c_ans"))
            .await
            .unwrap();
        let events = |from: i64, n: i64, text: &str| -> Vec<StoredEvent> {
            (from..from + n)
                .map(|seq| StoredEvent {
                    seq,
                    body: format!("{{\"type\":\"say\",\"text\":\"{text} {seq}\"}}"),
                })
                .collect()
        };
        let lines = |e: &[StoredEvent]| {
            e.iter()
                .map(StoredEvent::to_json)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let commit = |events: Vec<StoredEvent>, client_id: &str, answer: String, append: bool| {
            commit_answer(
                b.store.clone(),
                events,
                client_id.to_string(),
                answer,
                append,
            )
        };
        let first = events(1, 3, "bonjour");
        commit(first.clone(), "m1", lines(&first), false).await;
        let other = events(4, 2, "autre");
        commit(other.clone(), "m2", lines(&other), false).await;
        // An action's result, answered later to m1.
        let result = events(6, 2, "résultat");
        commit(result.clone(), "m1", lines(&result), true).await;
        let m1 = format!("{}\n{}", lines(&first), lines(&result));
        let (_, answer) = s
            .lock_for_input("c_ans", "m1", Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(answer.as_deref(), Some(m1.as_str()), "{}", b.name);
        // An answer that is not the turn's events, then appended to.
        let third = events(8, 1, "trois");
        commit(third, "m3", "{\"seq\":8}".into(), false).await;
        let more = events(9, 1, "encore");
        commit(more.clone(), "m3", lines(&more), true).await;
        let m3 = format!("{{\"seq\":8}}\n{}", lines(&more));
        // An answer in events, then appended to with other text.
        commit(
            events(10, 1, "quatre"),
            "m4",
            lines(&events(10, 1, "quatre")),
            false,
        )
        .await;
        commit(events(11, 1, "x"), "m4", "{\"seq\":11}".into(), true).await;
        let m4 = format!("{}\n{{\"seq\":11}}", lines(&events(10, 1, "quatre")));
        let reopened = if b.name == "sqlite" {
            guichet::serve::store::open(&b.url).await.unwrap()
        } else {
            b.store.clone()
        };
        for (store, label) in [(s, "kept"), (&reopened, "reopened")] {
            for (client_id, want) in [
                ("m1", m1.as_str()),
                ("m2", lines(&other).as_str()),
                ("m3", m3.as_str()),
                ("m4", m4.as_str()),
            ] {
                let (mut locked, answer) = store
                    .lock_for_input("c_ans", client_id, Duration::from_secs(5))
                    .await
                    .unwrap();
                assert_eq!(
                    answer.as_deref(),
                    Some(want),
                    "{} {label} {client_id}",
                    b.name
                );
                assert_eq!(
                    locked.answer_for(client_id).await.unwrap().as_deref(),
                    Some(want),
                    "{} {label} {client_id}",
                    b.name
                );
                assert_eq!(locked.answer_for("m9").await.unwrap(), None);
            }
            let (_, none) = store
                .lock_for_input("c_ans", "m9", Duration::from_secs(5))
                .await
                .unwrap();
            assert_eq!(none, None, "{} {label}", b.name);
        }
        let all = s.events_after("c_ans", 0, 100).await.unwrap();
        assert_eq!(all.len(), 11, "{}", b.name);
        if b.name == "sqlite" {
            // The embedded store keeps the answers that are their turns'
            // events as those events; only the others as text.
            let path = b.url.strip_prefix("sqlite://").unwrap();
            let c = rusqlite::Connection::open(path).unwrap();
            let kept: Vec<String> = c
                .prepare("SELECT client_id FROM inputs WHERE conversation_id = 'c_ans' ORDER BY client_id")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(kept, vec!["m3".to_string(), "m4".to_string()]);
        }
    }
}

async fn commit_answer(
    store: std::sync::Arc<dyn guichet::serve::store::Store>,
    events: Vec<StoredEvent>,
    client_id: String,
    answer: String,
    append: bool,
) {
    let locked = store.lock("c_ans", Duration::from_secs(5)).await.unwrap();
    locked
        .commit(TurnWrite {
            session: "{}".into(),
            events,
            answer: Some(guichet::serve::store::AnswerWrite {
                client_id,
                events: answer,
                append,
            }),
            now_ms: 2000,
            ..TurnWrite::default()
        })
        .await
        .unwrap();
}

/// A French web conversation, created at 1,000 ms.
fn web_conversation(id: &str) -> NewConversation {
    NewConversation {
        id: id.into(),
        token_hash: id.as_bytes().to_vec(),
        channel: "web".into(),
        external_key: None,
        lang: Some("fr".into()),
        session: "{}".into(),
        now_ms: 1000,
    }
}
