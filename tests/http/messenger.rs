//! The Messenger channel against a fake Graph API: the webhook's
//! verification, signatures over the raw bytes (accents included),
//! batched and repeated deliveries, echoes, postbacks and quick replies,
//! buttons over Messenger's limits, long answers, the Send API failing,
//! and the crèche enrolment driven end to end with signed payloads.

use crate::handover_support::*;
use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_webhook_is_verified_with_the_right_token_only() {
    let graph = FakeGraph::start().await;
    let t = app_with(Some(&graph), |_| {}).await;
    let ok = t
        .get(
            &format!("/webhooks/messenger?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"),
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.text, "1158201444");
    for bad in [
        "/webhooks/messenger?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
        "/webhooks/messenger?hub.mode=unsubscribe&hub.verify_token=bruyeres-verify-Xq7&hub.challenge=1",
        "/webhooks/messenger?hub.challenge=1",
    ] {
        let r = t.get(bad, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{bad}");
        assert!(!r.text.contains('1'), "no challenge echoed: {}", r.text);
    }
    // Without Messenger settings there is no webhook.
    let plain = TestApp::new().await;
    let r = plain
        .get(
            "/webhooks/messenger?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_deliveries_signed_over_their_raw_bytes_are_accepted() {
    let graph = FakeGraph::start().await;
    let t = app_with(Some(&graph), |_| {}).await;
    // Accents, and JSON written as Meta writes it (`\/` and `\u00e8`):
    // re-serialising would change the bytes, so the signature is over
    // them as they came.
    let raw = format!(
        r#"{{"object":"page","entry":[{{"id":"{PAGE}","time":1773136800000,"messaging":[{{"sender":{{"id":"psid-accents"}},"recipient":{{"id":"{PAGE}"}},"timestamp":1773136800000,"message":{{"mid":"m_accents_1","text":"Je voudrais une place en cr\u00e8che pour L\u00e9a \/ s'il vous pla\u00eet"}}}}]}}]}}"#
    )
    .into_bytes();
    let unsigned = deliver(&t, raw.clone(), None).await;
    assert_eq!(unsigned.status, StatusCode::FORBIDDEN);
    let wrong = deliver(&t, raw.clone(), Some(sign(&raw, "another secret"))).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let garbled = deliver(&t, raw.clone(), Some("sha256=zz".into())).await;
    assert_eq!(garbled.status, StatusCode::FORBIDDEN);
    // Signed over a re-serialised body: the bytes differ, refused.
    let reserialised: Value = serde_json::from_slice(&raw).unwrap();
    let other = serde_json::to_vec(&reserialised).unwrap();
    assert_ne!(other, raw);
    let r = deliver(&t, raw.clone(), Some(sign(&other, APP_SECRET))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nothing of the refused deliveries reached the store.
    assert!(t
        .app
        .service
        .store()
        .conversation_by_key("messenger", &format!("{PAGE}:psid-accents"))
        .await
        .unwrap()
        .is_none());
    let ok = deliver(&t, raw.clone(), Some(sign(&raw, APP_SECRET))).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let events = wait_event(&t, "psid-accents", 0, |e| e["type"] == "say").await;
    assert_eq!(
        events[0]["text"],
        "Je voudrais une place en crèche pour Léa / s'il vous plaît"
    );
    pump(&t, &graph, |g| !g.sent().is_empty()).await;
    let first = &graph.sent()[0];
    assert_eq!(first["recipient"]["id"], "psid-accents");
    assert_eq!(first["messaging_type"], "RESPONSE");
    assert!(graph.tokens().iter().all(|t| t == PAGE_TOKEN));
}

#[tokio::test]
async fn batched_entries_are_applied_and_a_repeated_mid_only_once() {
    let graph = FakeGraph::start().await;
    let t = app_with(Some(&graph), |_| {}).await;
    let (a, b) = (next_mid(), next_mid());
    let two_entries = json!({"object": "page", "entry": [
        {"id": PAGE, "time": 1, "messaging": [text_item("psid-batch-1", &a, "bonjour")]},
        {"id": PAGE, "time": 2, "messaging": [
            text_item("psid-batch-2", &b, "merci"),
            {"sender": {"id": "psid-batch-2"}, "recipient": {"id": PAGE}, "timestamp": 3,
             "read": {"watermark": 2}}]}]})
    .to_string()
    .into_bytes();
    let s = sign(&two_entries, APP_SECRET);
    assert_eq!(
        deliver(&t, two_entries.clone(), Some(s.clone()))
            .await
            .status,
        StatusCode::OK
    );
    wait_event(&t, "psid-batch-1", 0, |e| e["type"] == "turn_end").await;
    wait_event(&t, "psid-batch-2", 0, |e| e["type"] == "turn_end").await;
    // Meta delivers the same body again: 200, and nothing new.
    assert_eq!(
        deliver(&t, two_entries, Some(s)).await.status,
        StatusCode::OK
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let events = wait_event(&t, "psid-batch-1", 0, |e| e["type"] == "turn_end").await;
    let users = events.iter().filter(|e| e["type"] == "user").count();
    assert_eq!(users, 1, "a repeated mid is applied once: {events:#?}");
    pump(&t, &graph, |g| g.sent().len() >= 2).await;
    let recipients: Vec<Value> = graph
        .sent()
        .iter()
        .map(|c| c["recipient"]["id"].clone())
        .collect();
    assert!(recipients.contains(&json!("psid-batch-1")));
    assert!(recipients.contains(&json!("psid-batch-2")));
}

#[tokio::test]
async fn our_echoes_are_ignored_and_a_persons_echo_pauses_the_bot() {
    let graph = FakeGraph::start().await;
    let t = app_with(Some(&graph), |_| {}).await;
    deliver_signed(&t, &[text_item("psid-echo", &next_mid(), "bonjour")]).await;
    wait_event(&t, "psid-echo", 0, |e| e["type"] == "turn_end").await;
    pump(&t, &graph, |g| !g.sent().is_empty()).await;
    // The echo of our own answer: nothing happens.
    deliver_signed(
        &t,
        &[echo_item(
            "psid-echo",
            &next_mid(),
            "Bonjour ! Que puis-je faire pour vous ?",
            Some(APP_ID),
        )],
    )
    .await;
    // A person of the commune answers from the Page's inbox (no app id).
    deliver_signed(
        &t,
        &[echo_item(
            "psid-echo",
            &next_mid(),
            "Bonjour, ici Sophie de l'accueil.",
            None,
        )],
    )
    .await;
    let events = wait_event(&t, "psid-echo", 0, |e| e["via"] == "page_inbox").await;
    let says = events.iter().filter(|e| e["type"] == "say").count();
    assert_eq!(says, 2, "our echo is not logged again: {events:#?}");
    let last_seq = events.last().unwrap()["seq"].as_i64().unwrap();
    graph.clear();
    // The citizen writes: logged, the bot stays quiet.
    deliver_signed(&t, &[text_item("psid-echo", &next_mid(), "merci Sophie")]).await;
    let events = wait_event(&t, "psid-echo", last_seq, |e| e["type"] == "user").await;
    assert_eq!(events.len(), 1, "no bot answer: {events:#?}");
    t.app.outbox.deliver_due().await;
    assert!(graph.sent().is_empty(), "nothing sent: {:#?}", graph.sent());
    // The Page's inbox holds a case; after the pause the bot comes back.
    let key = format!("{PAGE}:psid-echo");
    let info = t
        .app
        .service
        .store()
        .conversation_by_key("messenger", &key)
        .await
        .unwrap()
        .unwrap();
    let case = t
        .app
        .service
        .store()
        .open_case_of(&info.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.staff_login.as_deref(), Some("page_inbox"));
    assert_eq!(info.mode, "staff");
    t.clock.advance(chrono::Duration::hours(13));
    let changed = t
        .app
        .service
        .handover_tick(Some(std::time::Duration::from_secs(12 * 3600)))
        .await;
    assert_eq!(changed, 1);
    pump(&t, &graph, |g| !g.texts().is_empty()).await;
    assert!(
        graph.texts()[0].contains("assistant virtuel est de retour"),
        "{:?}",
        graph.texts()
    );
}

#[tokio::test]
async fn postbacks_and_quick_replies_press_buttons() {
    let graph = FakeGraph::start().await;
    let t = app_with(Some(&graph), |_| {}).await;
    // "Get Started" opens the conversation like the widget's start.
    deliver_signed(
        &t,
        &[postback_item(
            "psid-buttons",
            &next_mid(),
            "Démarrer",
            "GET_STARTED",
        )],
    )
    .await;
    let events = wait_event(&t, "psid-buttons", 0, |e| e["type"] == "turn_end").await;
    assert_eq!(events[0]["event"], "start");
    // Something the bot does not understand: it offers buttons.
    deliver_signed(
        &t,
        &[text_item("psid-buttons", &next_mid(), "zorglub blabla")],
    )
    .await;
    let events = wait_turns(&t, "psid-buttons", 2).await;
    assert!(events
        .iter()
        .any(|e| e["type"] == "say" && e["buttons"].is_array()));
    pump(&t, &graph, |g| {
        g.sent()
            .iter()
            .any(|c| c["message"]["quick_replies"].is_array())
    })
    .await;
    let with_replies = graph
        .sent()
        .into_iter()
        .find(|c| c["message"]["quick_replies"].is_array())
        .unwrap();
    let replies = with_replies["message"]["quick_replies"].as_array().unwrap();
    assert!(replies.len() <= 13);
    assert!(replies
        .iter()
        .all(|r| r["title"].as_str().unwrap().chars().count() <= 20));
    assert!(replies.iter().any(|r| r["payload"] == "talk_to_agent"));
    let last = events.last().unwrap()["seq"].as_i64().unwrap();
    // The quick reply "talk to a person": a hand-over.
    deliver_signed(
        &t,
        &[quick_reply_item(
            "psid-buttons",
            &next_mid(),
            "Parler à quelqu'un",
            "talk_to_agent",
        )],
    )
    .await;
    let events = wait_event(&t, "psid-buttons", last, |e| e["type"] == "handoff").await;
    assert_eq!(events[0]["button"], "talk_to_agent");
    // A postback of an old message whose button is no longer offered is
    // read as its title.
    let last = events.last().unwrap()["seq"].as_i64().unwrap();
    deliver_signed(
        &t,
        &[postback_item(
            "psid-buttons",
            &next_mid(),
            "merci",
            "payload_of_old_message",
        )],
    )
    .await;
    let events = wait_event(&t, "psid-buttons", last, |e| e["type"] == "user").await;
    assert_eq!(events[0]["text"], "merci");
}

/// A bot whose answers are over Messenger's limits: 14 buttons, a title
/// of 24 characters, a text of 2,500 characters.
fn wide_bot_dir() -> crate::support::TempDir {
    let dir = crate::support::TempDir::new("wide-bot");
    let long =
        "Les crèches de Bruyères accueillent les enfants de trois mois à trois ans. ".repeat(33);
    let buttons: String = (1..=14)
        .map(|i| format!("    button \"b{i}\" fr: \"Choix {i}\"\n"))
        .collect();
    std::fs::write(
        dir.path().join("bot.flow"),
        format!(
            "bot \"Large\"\n  languages fr\nend\n\nflow many\n  triggers\n    fr: \"beaucoup\"\n  say\n    fr: \"Choisissez :\"\n{buttons}end\n\nflow wide\n  triggers\n    fr: \"large\"\n  say\n    fr: \"Un seul choix :\"\n    button \"w1\" fr: \"Une étiquette trop longue\"\n    button \"w2\" fr: \"Court\"\nend\n\nflow chosen\n  triggers\n    fr: \"b13\"\n  say\n    fr: \"Vous avez choisi\"\nend\n\nflow long\n  triggers\n    fr: \"long\"\n  say\n    fr: \"{}\"\nend\n",
            long.trim()
        ),
    )
    .unwrap();
    dir
}

#[tokio::test]
async fn buttons_over_the_limits_become_a_numbered_list_and_long_texts_are_cut() {
    let graph = FakeGraph::start().await;
    let bot = wide_bot_dir();
    let t = app_with(Some(&graph), |c| {
        c.bot_dir = bot.path().to_path_buf();
        c.demo = false;
    })
    .await;
    deliver_signed(&t, &[text_item("psid-wide", &next_mid(), "beaucoup")]).await;
    wait_event(&t, "psid-wide", 0, |e| e["type"] == "turn_end").await;
    pump(&t, &graph, |g| !g.sent().is_empty()).await;
    let m = &graph.sent()[0]["message"];
    assert!(
        m.get("quick_replies").is_none(),
        "14 buttons are not quick replies"
    );
    let text = m["text"].as_str().unwrap();
    assert!(
        text.contains("1. Choix 1\n") && text.contains("14. Choix 14\n"),
        "{text}"
    );
    // The citizen answers with a number: the button it names.
    deliver_signed(&t, &[text_item("psid-wide", &next_mid(), "13")]).await;
    let events = wait_turns(&t, "psid-wide", 2).await;
    let user = events.iter().find(|e| e["button"] == "b13").unwrap();
    assert_eq!(user["label"], "Choix 13");
    pump(&t, &graph, |g| g.sent().len() >= 2).await;

    graph.clear();
    deliver_signed(&t, &[text_item("psid-wide", &next_mid(), "large")]).await;
    wait_turns(&t, "psid-wide", 3).await;
    pump(&t, &graph, |g| !g.sent().is_empty()).await;
    let m = &graph.sent()[0]["message"];
    assert!(
        m.get("quick_replies").is_none(),
        "a title over 20 characters"
    );
    assert!(m["text"]
        .as_str()
        .unwrap()
        .contains("1. Une étiquette trop longue"));

    graph.clear();
    deliver_signed(&t, &[text_item("psid-wide", &next_mid(), "long")]).await;
    wait_turns(&t, "psid-wide", 4).await;
    pump(&t, &graph, |g| g.sent().len() >= 2).await;
    let texts = graph.texts();
    assert_eq!(texts.len(), 2, "{texts:?}");
    let total: usize = texts.iter().map(|t| t.chars().count()).sum();
    assert!(total >= 2400, "the whole text is sent: {total}");
    for t in &texts {
        assert!(t.chars().count() <= 2000);
        assert!(
            t.ends_with("ans."),
            "cut at a sentence end: …{}",
            &t[t.len() - 12..]
        );
    }
}

#[tokio::test]
async fn the_send_api_failing_then_answering_and_the_window_error_do_not_stop_anything() {
    let graph = FakeGraph::start().await;
    let t = app_with(Some(&graph), |_| {}).await;
    // mark_seen and typing_on come first: let them pass, then fail the message once.
    deliver_signed(&t, &[text_item("psid-flaky", &next_mid(), "bonjour")]).await;
    wait_event(&t, "psid-flaky", 0, |e| e["type"] == "turn_end").await;
    graph.answer_next(
        500,
        json!({"error": {"message": "An unknown error has occurred.", "code": 1}}),
    );
    pump(&t, &graph, |g| g.sent().len() >= 2).await;
    let sent = graph.sent();
    assert_eq!(
        sent[0], sent[1],
        "the same message, tried again after the 500"
    );
    // (#10): the message is given up, logged by its code; the next goes.
    deliver_signed(&t, &[text_item("psid-flaky", &next_mid(), "merci")]).await;
    wait_event(&t, "psid-flaky", 0, |e| {
        e["type"] == "user" && e["text"] == "merci"
    })
    .await;
    graph.clear();
    graph.outside_window();
    t.app.outbox.deliver_due().await;
    deliver_signed(&t, &[text_item("psid-flaky", &next_mid(), "au revoir")]).await;
    wait_event(&t, "psid-flaky", 0, |e| {
        e["type"] == "user" && e["text"] == "au revoir"
    })
    .await;
    pump(&t, &graph, |g| g.sent().len() >= 2).await;
    let key = format!("{PAGE}:psid-flaky");
    let info = t
        .app
        .service
        .store()
        .conversation_by_key("messenger", &key)
        .await
        .unwrap()
        .unwrap();
    let rows = t
        .app
        .service
        .store()
        .outbox_of(&info.id, "messenger")
        .await
        .unwrap();
    let failed: Vec<_> = rows
        .iter()
        .filter(|r| r.error.as_deref() == Some("outside_window"))
        .collect();
    assert_eq!(failed.len(), 1, "{rows:#?}");
    assert!(rows.last().unwrap().state == guichet::serve::store::OutboxState::Sent);
    // The server still answers.
    assert_eq!(t.get("/healthz", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_messenger_conversation_runs_the_creche_enrolment() {
    let graph = FakeGraph::start().await;
    let t = app_with(Some(&graph), |_| {}).await;
    let psid = "psid-creche";
    let steps = [
        "bonjour, je cherche une place en crèche pour mon fils Tom, né le 3 mai 2024",
        "dubois",
        "à partir du 1er septembre",
        "tom.dubois@exemple.be",
        "0470/12.34.56",
    ];
    for (i, text) in steps.iter().enumerate() {
        deliver_signed(&t, &[text_item(psid, &next_mid(), text)]).await;
        // Each message waits for the answer to the one before, as a person does.
        wait_turns(&t, psid, i + 1).await;
        pump(&t, &graph, |g| g.sent().len() > i).await;
    }
    let confirm = graph.sent().last().unwrap().clone();
    let replies = confirm["message"]["quick_replies"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(replies[0]["payload"], "yes", "{confirm:#}");
    assert_eq!(replies[0]["title"], "Oui, envoyer");
    deliver_signed(
        &t,
        &[quick_reply_item(psid, &next_mid(), "Oui, envoyer", "yes")],
    )
    .await;
    pump(&t, &graph, |g| {
        g.texts().iter().any(|x| x.contains("CR-2026-0001"))
    })
    .await;
    let list = t.get("/demo/api/requests", None).await;
    assert_eq!(list.body["requests"][0]["reference"], "CR-2026-0001");
    // Every message went to the person, as a response, in order.
    for c in graph.sent() {
        assert_eq!(c["recipient"]["id"], psid);
        assert_eq!(c["messaging_type"], "RESPONSE");
    }
    let actions: Vec<String> = graph
        .calls()
        .iter()
        .filter_map(|c| c["sender_action"].as_str().map(str::to_string))
        .collect();
    assert!(
        actions.contains(&"mark_seen".to_string()) && actions.contains(&"typing_on".to_string())
    );
}
