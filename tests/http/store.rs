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
