//! A Messenger conversation handed over and answered by staff through the
//! fake Graph API (the 24-hour window, then HUMAN_AGENT, then refused),
//! and the outbox delivering after a process died with rows claimed.

use crate::backends;
use crate::handover_support::*;
use crate::support::{config, TempDir, TestApp};
use axum::http::StatusCode;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn a_messenger_conversation_is_handed_over_and_answered_by_staff() {
    let graph = FakeGraph::start().await;
    let t = app_with(Some(&graph), |_| {}).await;
    let psid = "psid-staff";
    deliver_signed(
        &t,
        &[text_item(
            psid,
            &next_mid(),
            "bonjour, je voudrais une place en crèche pour ma fille Léa",
        )],
    )
    .await;
    wait_turns(&t, psid, 1).await;
    deliver_signed(
        &t,
        &[text_item(psid, &next_mid(), "je veux parler à quelqu'un")],
    )
    .await;
    wait_turns(&t, psid, 2).await;
    pump(&t, &graph, |g| {
        g.texts()
            .iter()
            .any(|x| x.contains("Votre demande est transmise"))
    })
    .await;
    let marie = sign_in(&t, "marie").await;
    let cases = marie.queue(&t).await;
    assert_eq!(cases.len(), 1);
    let case = cases[0]["id"].as_str().unwrap().to_string();
    assert_eq!(cases[0]["channel"], "messenger");
    assert_eq!(cases[0]["summary"]["slots"]["child_first_name"], "Léa");
    let r = marie
        .post(&t, &format!("/staff/api/cases/{case}/claim"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    graph.clear();
    let r = marie
        .post(
            &t,
            &format!("/staff/api/cases/{case}/messages"),
            json!({"text": "Bonjour, je reprends votre demande de place."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    pump(&t, &graph, |g| g.sent().len() >= 2).await;
    let sent = graph.sent();
    assert_eq!(
        sent[0]["message"]["text"],
        "Marie a rejoint la conversation et va vous répondre."
    );
    assert_eq!(
        sent[1]["message"]["text"],
        "Marie : Bonjour, je reprends votre demande de place."
    );
    assert!(sent
        .iter()
        .all(|c| c["messaging_type"] == "RESPONSE" && c["recipient"]["id"] == psid));
    // The citizen answers in Messenger: staff read it, the bot is quiet.
    graph.clear();
    deliver_signed(
        &t,
        &[text_item(
            psid,
            &next_mid(),
            "Merci ! Elle est née le 2 février 2025.",
        )],
    )
    .await;
    wait_turns(&t, psid, 3).await;
    t.app.outbox.deliver_due().await;
    assert!(
        graph.sent().is_empty(),
        "the bot does not answer: {:#?}",
        graph.sent()
    );
    let detail = marie.get(&t, &format!("/staff/api/cases/{case}")).await;
    let events = detail.body["events"].as_array().unwrap();
    assert_eq!(
        events.last().unwrap()["text"],
        "Merci ! Elle est née le 2 février 2025."
    );
    // Two days later (a new session: the first one expired after 12 h):
    // outside the 24 hours, within 7 days, with the tag.
    t.clock.advance(chrono::Duration::days(2));
    assert_eq!(
        marie.get(&t, "/staff/api/queue").await.status,
        StatusCode::UNAUTHORIZED
    );
    let marie = sign_in(&t, "marie").await;
    let r = marie
        .post(
            &t,
            &format!("/staff/api/cases/{case}/messages"),
            json!({"text": "Votre dossier est complet."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    pump(&t, &graph, |g| !g.sent().is_empty()).await;
    let tagged = &graph.sent()[0];
    assert_eq!(tagged["messaging_type"], "MESSAGE_TAG");
    assert_eq!(tagged["tag"], "HUMAN_AGENT");
    // More than 7 days after the citizen's last message: refused, and said so.
    t.clock.advance(chrono::Duration::days(6));
    let marie = sign_in(&t, "marie").await;
    let r = marie
        .post(
            &t,
            &format!("/staff/api/cases/{case}/messages"),
            json!({"text": "Encore là ?"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "outside_messaging_window")
    );
    // Handing back: its notice cannot be delivered any more; the inbox shows it.
    let r = marie
        .post(&t, &format!("/staff/api/cases/{case}/hand-back"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    graph.clear();
    t.app.outbox.deliver_due().await;
    assert!(graph.sent().is_empty(), "not sent outside the window");
    let detail = marie.get(&t, &format!("/staff/api/cases/{case}")).await;
    let last = detail.body["events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["kind"], "bot_back");
    assert_eq!(last["delivery"]["state"], "failed");
    assert_eq!(last["delivery"]["error"], "outside_window");
}

#[tokio::test]
async fn what_a_dead_process_claimed_is_delivered_by_the_next_one() {
    for b in backends::all().await {
        let graph = FakeGraph::start().await;
        let dir = TempDir::new("crash");
        let mut c = config(dir.path());
        c.store = b.url.clone();
        with_staff(&mut c);
        c.messenger = Some(messenger_config(&graph.url));
        let psid = format!("psid-crash-{}", b.name);
        {
            let first =
                TestApp::with_store(c.clone(), TempDir::new("crash-a"), b.store.clone()).await;
            deliver_signed(&first, &[text_item(&psid, &next_mid(), "bonjour")]).await;
            wait_turns(&first, &psid, 1).await;
            // Its worker takes the answer, then the process dies before
            // sending it.
            let now = guichet::serve::clock::Clock::now_ms(first.clock.as_ref());
            let taken = b.store.claim_outbox(now, now + 120_000, 10).await.unwrap();
            assert_eq!(taken.len(), 1, "{}", b.name);
        }
        assert!(graph.sent().is_empty());
        let second = TestApp::with_store(c, dir, b.store.clone()).await;
        second.app.outbox.deliver_due().await;
        assert!(graph.sent().is_empty(), "{}: the lease holds", b.name);
        second.clock.advance(chrono::Duration::minutes(3));
        pump(&second, &graph, |g| !g.sent().is_empty()).await;
        assert_eq!(graph.sent().len(), 1, "{}: sent once", b.name);
        assert_eq!(graph.sent()[0]["recipient"]["id"], psid);
        assert!(
            graph.texts()[0].starts_with("Bonjour"),
            "{:?}",
            graph.texts()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        second.app.outbox.deliver_due().await;
        assert_eq!(graph.sent().len(), 1, "{}: not twice", b.name);
    }
}
