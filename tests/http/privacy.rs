//! Personal data never reaches logs, metrics or statistics: national
//! register numbers, IBANs, e-mail addresses, phone numbers, names and a
//! number plate go through the chat API and Messenger on every path (form
//! slots, free text, messages not understood, a hand-over answered by
//! staff, refused requests, a saved session that cannot be read), on
//! SQLite and PostgreSQL; then every log
//! line (the server's own, captured at its most detailed level), the
//! Prometheus metrics, the statistics (JSON and CSV), the list of messages
//! not understood and its groups are searched for them.

use crate::backends::{self, Backend};
use crate::handover_support::{
    deliver_signed, messenger_config, next_mid, pump, sign_in, text_item, wait_turns, with_staff,
    FakeGraph,
};
use crate::support::{config, Chat, TempDir, TestApp};
use axum::http::StatusCode;
use guichet::serve::stats::{learn, to_csv};
use guichet::serve::store::StatsQuery;
use serde_json::json;

/// The values given, and the forms they are stored in.
const SECRETS: &[&str] = &[
    "85.07.30-033.28",
    "85073003328",
    "BE71 0961 2345 6769",
    "BE71096123456769",
    "amina.wuyts@exemple.be",
    "amina.wuyts",
    "0470 98 76 54",
    "+32470987654",
    "470987654",
    "Wuyts",
    "Ogunleye",
    "Amina",
    "Kwabena",
    "1-xyz-987",
    "1XYZ987",
    // A Messenger page-scoped id names a person too.
    "7700123456789",
];

fn find_secrets(what: &str, text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    SECRETS
        .iter()
        .filter(|s| lower.contains(&s.to_lowercase()))
        .map(|s| format!("{what}: {s}"))
        .collect()
}

/// The app on this store, with staff and Messenger (against `graph`).
async fn app_on(b: &Backend, graph: &FakeGraph) -> TestApp {
    let dir = TempDir::new("privacy");
    let mut c = config(dir.path());
    c.store = b.url.clone();
    with_staff(&mut c);
    c.messenger = Some(messenger_config(&graph.url));
    TestApp::with_store(c, dir, b.store.clone()).await
}

/// Messenger: the same values typed on the commune's Page, a hand-over
/// taken and answered by a member of staff.
async fn on_messenger(t: &TestApp, graph: &FakeGraph) {
    let psid = "7700123456789";
    let messages = [
        "je voudrais inscrire mon fils Kwabena à la crèche",
        "Wuyts-Ogunleye",
        "je m'appelle Amina Wuyts, mon IBAN est BE71 0961 2345 6769",
        "amina.wuyts@exemple.be 0470 98 76 54 85.07.30-033.28",
        "je veux parler à quelqu'un",
    ];
    for (n, m) in messages.iter().enumerate() {
        deliver_signed(t, &[text_item(psid, &next_mid(), m)]).await;
        wait_turns(t, psid, n + 1).await;
    }
    pump(t, graph, |g| !g.texts().is_empty()).await;
    let marie = sign_in(t, "marie").await;
    let queue = marie.queue(t).await;
    let case = queue
        .iter()
        .find(|c| c["channel"] == "messenger")
        .expect("the hand-over reaches the inbox");
    let id = case["id"].as_str().unwrap();
    let r = marie
        .post(t, &format!("/staff/api/cases/{id}/claim"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = marie
        .post(
            t,
            &format!("/staff/api/cases/{id}/messages"),
            json!({"text": "Bonjour Amina, j'ai bien votre IBAN BE71 0961 2345 6769."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    deliver_signed(
        t,
        &[text_item(
            psid,
            &next_mid(),
            "merci, mon GSM est le 0470 98 76 54",
        )],
    )
    .await;
    wait_turns(t, psid, messages.len() + 1).await;
    pump(t, graph, |g| {
        g.texts().iter().any(|s| s.contains("Bonjour Amina"))
    })
    .await;
}

async fn every_path(t: &TestApp, b: &Backend) {
    // Form slots: a crèche enrolment with names, e-mail and phone.
    let mut chat = Chat::open(t, "fr").await;
    chat.say("je voudrais inscrire mon fils Kwabena à la crèche")
        .await;
    chat.say("Wuyts-Ogunleye").await;
    chat.say("3 mai 2025").await;
    chat.say("1er septembre").await;
    chat.say("amina.wuyts@exemple.be").await;
    chat.say("0470 98 76 54").await;
    // A hand-over mid-form: its summary holds the values.
    let r = chat.say("je veux parler à quelqu'un").await;
    assert!(r.events().iter().any(|e| e["type"] == "handoff"));

    // Free text the bot does not understand, full of personal data.
    let mut chat = Chat::open(t, "fr").await;
    chat.say("je m'appelle Amina Wuyts, mon numéro national est 85.07.30-033.28, IBAN BE71 0961 2345 6769")
        .await;
    chat.say("Écrivez à amina.wuyts@exemple.be ou appelez le 0470 98 76 54 pour Kwabena Ogunleye")
        .await;
    chat.say("Mon registre national 85073003328 et mon compte BE71096123456769")
        .await;

    // A number plate, in a parking card renewal paid through the demo.
    let mut chat = Chat::open(t, "nl").await;
    chat.say("ik wil mijn bewonerskaart vernieuwen voor 1-xyz-987")
        .await;

    // Refused requests that carry the values.
    let long = format!(
        "{} {}",
        "BE71 0961 2345 6769 amina.wuyts@exemple.be",
        "x".repeat(2100)
    );
    let r = chat.send(json!({"text": long})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .call(
            axum::http::Request::post(format!("/api/conversations/{}/inputs", chat.id))
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {}", chat.token))
                .body(axum::body::Body::from(
                    "{\"client_id\": \"x\", \"text\": \"amina.wuyts@exemple.be 85.07.30-033.28",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = chat.send(json!({"text": 85073003328u64})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = chat.send(json!({"button": "BE71096123456769"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A saved session that cannot be read, and quotes a value.
    let mut chat = Chat::open(t, "fr").await;
    let broken = r#"{"format": "amina.wuyts@exemple.be", "bot": "BE71096123456769"}"#;
    if b.name == "sqlite" {
        let path = b.url.strip_prefix("sqlite://").unwrap().to_string();
        let id = chat.id.clone();
        tokio::task::spawn_blocking(move || {
            let c = rusqlite::Connection::open(path).unwrap();
            c.execute(
                "UPDATE conversations SET session = ?1 WHERE id = ?2",
                rusqlite::params![broken, id],
            )
            .unwrap();
        })
        .await
        .unwrap();
    } else {
        let (client, connection) = tokio_postgres::connect(&b.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
            .execute(
                "UPDATE conversations SET session = $1 WHERE id = $2",
                &[&broken, &chat.id],
            )
            .await
            .unwrap();
    }
    chat.say("bonjour").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn personal_data_never_reaches_logs_metrics_or_statistics() {
    let captured = crate::support::captured_logs();
    for b in backends::all().await {
        let graph = FakeGraph::start().await;
        let t = app_on(&b, &graph).await;
        every_path(&t, &b).await;
        on_messenger(&t, &graph).await;
        t.clock.advance(chrono::Duration::hours(1));
        t.app.service.record_idle_flows().await;

        let mut found = Vec::new();
        let q = StatsQuery {
            from: "2026-03-01".into(),
            to: "2026-03-31".into(),
            ..StatsQuery::default()
        };
        let report = b.store.stats_report(&q).await.unwrap();
        assert!(
            report.totals.conversations >= 4,
            "the statistics were written"
        );
        found.extend(find_secrets(
            "stats json",
            &serde_json::to_string(&report).unwrap(),
        ));
        found.extend(find_secrets("stats csv", &to_csv(&report)));
        let unmatched = b.store.unmatched_messages(&q, 100).await.unwrap();
        assert!(
            unmatched.len() >= 2,
            "{}: the free text was not understood: {unmatched:?}",
            b.name
        );
        assert!(unmatched
            .iter()
            .any(|u| u.text.contains("[national_number]")));
        found.extend(find_secrets(
            "unmatched",
            &serde_json::to_string(&unmatched).unwrap(),
        ));
        let groups = learn::group(&unmatched, Some(&t.app.service.bots().get()));
        found.extend(find_secrets(
            "unmatched groups",
            &serde_json::to_string(&groups).unwrap(),
        ));
        let metrics = t.get("/metrics", None).await;
        assert!(metrics.text.contains("guichet_turns_total"));
        found.extend(find_secrets("metrics", &metrics.text));

        // The values are in the conversation's own log (the store keeps
        // it for the citizen), which shows the search would find them.
        let export = b
            .store
            .export_conversations(
                &b.store
                    .find_conversations(&guichet::serve::store::Selector::Value(vec![
                        "amina.wuyts@exemple.be".into(),
                    ]))
                    .await
                    .unwrap(),
            )
            .await
            .unwrap();
        assert!(!find_secrets("export", &export.to_string()).is_empty());
        assert!(found.is_empty(), "{}: {found:#?}", b.name);
    }
    let text = captured.text();
    assert!(
        text.contains("a saved session could not be read"),
        "the logs were captured"
    );
    assert!(text.contains("[email]"), "the session's error was masked");
    let leaks = find_secrets("logs", &text);
    assert!(leaks.is_empty(), "{leaks:#?}");
}
