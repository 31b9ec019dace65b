//! Every endpoint of docs/http-api.md and every bad request.

use crate::support::{Chat, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_conversation_is_created_greets_on_start_and_answers() {
    let t = TestApp::new().await;
    let r = t
        .post(
            "/api/conversations",
            None,
            &json!({"lang": "fr", "channel": "web"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["lang"], "fr");
    assert_eq!(r.body["languages"], json!(["fr", "nl", "en"]));
    assert_eq!(r.body["bot"], "Commune de Bruyères");
    let id = r.body["id"].as_str().unwrap();
    assert!(id.starts_with("c_") && id.len() > 20);
    assert!(r.body["token"].as_str().unwrap().len() >= 22);

    let mut chat = Chat::open(&t, "fr").await;
    let h = chat.history(0).await;
    assert_eq!(
        h.body["events"][0],
        json!({"seq": 1, "type": "user", "event": "start"})
    );
    assert_eq!(h.body["events"][1]["type"], "say");
    assert!(h.body["events"][1]["text"]
        .as_str()
        .unwrap()
        .contains("Bruyères"));
    assert_eq!(h.events().last().unwrap()["type"], "turn_end");

    let r = chat.say("Je voudrais inscrire mon fils à la crèche").await;
    let events = r.events();
    assert_eq!(events[0]["type"], "user");
    assert_eq!(
        events[0]["text"],
        "Je voudrais inscrire mon fils à la crèche"
    );
    let first_seq = events[0]["seq"].as_i64().unwrap();
    for (i, e) in events.iter().enumerate() {
        assert_eq!(
            e["seq"].as_i64().unwrap(),
            first_seq + i as i64,
            "numbered in order"
        );
    }
    let end = r.last();
    assert_eq!(end["type"], "turn_end");
    assert_eq!(end["flow"], "creche_enrolment");
    assert_eq!(end["expecting"]["name"], "child_first_name");

    // The history holds the same events, and `after` pages it.
    let h = chat.history(first_seq - 1).await;
    assert_eq!(h.body["lang"], "fr");
    assert_eq!(h.events(), events);
    assert_eq!(
        chat.history(end["seq"].as_i64().unwrap())
            .await
            .events()
            .len(),
        0
    );
}

#[tokio::test]
async fn without_a_language_the_first_message_decides() {
    let t = TestApp::new().await;
    let r = t.post("/api/conversations", None, &json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    // No body at all is accepted too.
    let r = t
        .call(
            Request::post("/api/conversations")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (id, token) = (
        r.body["id"].as_str().unwrap(),
        r.body["token"].as_str().unwrap(),
    );
    let r = t
        .post(
            &format!("/api/conversations/{id}/inputs"),
            Some(token),
            &json!({"client_id": "a", "text": "I would like to renew my resident parking card"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.last()["lang"], "en");
    assert_eq!(r.last()["flow"], "parking_renewal");
}

#[tokio::test]
async fn a_repeated_client_id_returns_the_first_answer_and_applies_nothing() {
    let t = TestApp::new().await;
    let mut chat = Chat::open(&t, "fr").await;
    let uri = format!("/api/conversations/{}/inputs", chat.id);
    let input = json!({"client_id": "same-1", "text": "je voudrais une place en crèche"});
    let first = t.post(&uri, Some(&chat.token), &input).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.headers.get("idempotent-replayed").is_none());
    // The retry, even with another text, gets the first answer.
    let other = json!({"client_id": "same-1", "text": "Tom"});
    let again = t.post(&uri, Some(&chat.token), &other).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body, first.body);
    // Nothing was applied: the log ends where the first answer ended.
    let h = chat.history(0).await;
    assert_eq!(h.events().last(), first.events().last());
    let r = chat.say("Tom").await;
    assert_eq!(r.last()["expecting"]["name"], "child_last_name");
}

#[tokio::test]
async fn bad_requests_get_a_stable_code_and_change_nothing() {
    let t = TestApp::new().await;
    let chat = Chat::open(&t, "fr").await;
    let uri = format!("/api/conversations/{}/inputs", chat.id);
    let before = chat.history(0).await.events().len();
    let auth = format!("Bearer {}", chat.token);

    let raw = |body: &str, ctype: Option<&str>| {
        let mut b = Request::post(&uri).header("authorization", &auth);
        if let Some(c) = ctype {
            b = b.header("content-type", c);
        }
        b.body(Body::from(body.to_string())).unwrap()
    };
    let r = t
        .call(raw(
            "{\"client_id\": \"x\", \"text\": ",
            Some("application/json"),
        ))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "bad_json"));
    let r = t
        .call(raw("{\"text\": \"bonjour\"}", Some("application/json")))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "bad_input"));
    let r = t
        .call(raw(
            "{\"client_id\": \"x\", \"text\": \"a\", \"button\": \"yes\"}",
            Some("application/json"),
        ))
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "bad_input"));
    let r = t
        .call(raw(
            "{\"client_id\": \"x\", \"text\": \"bonjour\"}",
            Some("text/plain"),
        ))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    );
    let r = t
        .call(raw("{\"client_id\": \"x\", \"text\": \"bonjour\"}", None))
        .await;
    assert_eq!(r.code(), "unsupported_media_type");
    let huge = json!({"client_id": "x", "text": "a".repeat(20_000)}).to_string();
    let r = t.call(raw(&huge, Some("application/json"))).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
    );
    let long = json!({"client_id": "x", "text": "é".repeat(2001)});
    let r = t.post(&uri, Some(&chat.token), &long).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "text_too_long")
    );
    let r = t
        .post(
            &uri,
            Some(&chat.token),
            &json!({"client_id": "x", "button": "pay_everything"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "button_not_offered")
    );

    // Tokens: missing, wrong, and an unknown conversation.
    let input = json!({"client_id": "y", "text": "bonjour"});
    let r = t.post(&uri, None, &input).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "missing_token")
    );
    let r = t.post(&uri, Some("not-the-token"), &input).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "unknown_conversation")
    );
    let r = t
        .post(
            "/api/conversations/c_nobody/inputs",
            Some(&chat.token),
            &input,
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "unknown_conversation")
    );
    let r = t
        .get(
            &format!("/api/conversations/{}/events", chat.id),
            Some("wrong"),
        )
        .await;
    assert_eq!(r.code(), "unknown_conversation");
    let r = t
        .get(&format!("/api/conversations/{}/events", chat.id), None)
        .await;
    assert_eq!(r.code(), "missing_token");
    let r = t
        .get(
            &format!("/api/conversations/{}/events?after=-3", chat.id),
            Some(&chat.token),
        )
        .await;
    assert_eq!(r.code(), "bad_input");
    let r = t
        .post("/api/conversations", None, &json!({"lang": "de"}))
        .await;
    assert_eq!(r.code(), "bad_input");
    let r = t
        .post("/api/actions/no-such-token", None, &json!({"ok": true}))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "unknown_action")
    );

    // Every body is JSON with a message; nothing was logged.
    assert!(r.body["error"]["message"].as_str().unwrap().len() > 5);
    assert_eq!(chat.history(0).await.events().len(), before);
}

#[tokio::test]
async fn offered_and_global_buttons_are_accepted() {
    let t = TestApp::new().await;
    let mut chat = Chat::open(&t, "fr").await;
    // The welcome offers the services as buttons.
    let r = chat.press("parking_renewal").await;
    assert_eq!(r.events()[0]["button"], "parking_renewal");
    assert_eq!(r.events()[0]["label"], "Carte de riverain");
    assert_eq!(r.last()["flow"], "parking_renewal");
    // A global one, whatever the last turn offered.
    let r = chat.press("help").await;
    assert!(
        r.says().iter().any(|s| s.contains("démarches")),
        "{:?}",
        r.says()
    );
    // The help's buttons are now the offered ones; the welcome's earlier
    // ones still work where the help offers them too.
    let r = chat.press("canteen_menu").await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn cors_allows_the_communes_site_only() {
    let dir = crate::support::TempDir::new("cors");
    let mut c = crate::support::config(dir.path());
    c.allowed_origins = vec!["https://www.bruyeres.be".into()];
    let t = TestApp::with_config(c, dir).await;
    let preflight = |origin: &str| {
        Request::options("/api/conversations")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,authorization",
            )
            .body(Body::empty())
            .unwrap()
    };
    let ok = t.call(preflight("https://www.bruyeres.be")).await;
    assert_eq!(
        ok.headers["access-control-allow-origin"],
        "https://www.bruyeres.be"
    );
    let methods = ok.headers["access-control-allow-methods"].to_str().unwrap();
    assert!(methods.contains("POST"));
    let evil = t.call(preflight("https://evil.example")).await;
    assert!(evil.headers.get("access-control-allow-origin").is_none());
    let r = t
        .call(
            Request::post("/api/conversations")
                .header("origin", "https://www.bruyeres.be")
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://www.bruyeres.be"
    );
}

#[tokio::test]
async fn too_many_requests_are_refused_with_retry_after() {
    let dir = crate::support::TempDir::new("rate");
    let mut c = crate::support::config(dir.path());
    c.limits.per_conversation_rate = 1.0;
    c.limits.per_conversation_burst = 3.0;
    let t = TestApp::with_config(c, dir).await;
    let mut chat = Chat::open(&t, "fr").await; // one input: start
    chat.say("bonjour").await;
    chat.say("merci").await;
    let r = chat.send(json!({"text": "encore"})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    assert!(
        r.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    // Per address: the whole API.
    let dir = crate::support::TempDir::new("rate-ip");
    let mut c = crate::support::config(dir.path());
    c.limits.per_ip_rate = 1.0;
    c.limits.per_ip_burst = 2.0;
    let t = TestApp::with_config(c, dir).await;
    t.create(None).await;
    t.create(None).await;
    let r = t.post("/api/conversations", None, &json!({})).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    assert!(r.headers.contains_key("retry-after"));
}
