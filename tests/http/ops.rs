//! Operations: health, readiness, metrics, web assets, logs without a
//! citizen's words, and reloading the bot.

use crate::support::{config, copy_dir, flows_dir, Chat, TempDir, TestApp};
use axum::http::StatusCode;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let t = TestApp::new().await;
    let h = t.get("/healthz", None).await;
    assert_eq!(h.status, StatusCode::OK);
    let r = t.get("/readyz", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("sqlite") && r.text.contains("Commune de Bruyères"));
    let mut chat = Chat::open(&t, "fr").await;
    chat.say("parler à quelqu'un").await;
    let m = t.get("/metrics", None).await;
    assert_eq!(m.status, StatusCode::OK);
    for name in [
        "guichet_turns_total",
        "guichet_turn_seconds_bucket",
        "guichet_store_seconds",
        "guichet_conversations_created_total",
    ] {
        assert!(m.text.contains(name), "{name} missing from:\n{}", m.text);
    }
    assert!(m.text.contains("channel=\"web\""));
}

#[tokio::test]
async fn assets_are_served_with_their_type_and_a_strict_policy() {
    let t = TestApp::new().await;
    let css = t.get("/backoffice/backoffice.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.headers["content-type"], "text/css; charset=utf-8");
    assert!(css.headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age"));
    let js = t.get("/backoffice/pay.js", None).await;
    assert_eq!(js.headers["content-type"], "text/javascript; charset=utf-8");
    assert!(!js.text.contains("innerHTML"), "texts are inserted as text");
    let html = t.get("/backoffice/pay.html", None).await;
    assert_eq!(html.headers["content-type"], "text/html; charset=utf-8");
    assert!(html.headers.contains_key("content-security-policy"));
    // A second visit with the ETag is answered 304.
    let etag = css.headers["etag"].to_str().unwrap().to_string();
    let again = t
        .call(
            axum::http::Request::get("/backoffice/backoffice.css")
                .header("if-none-match", etag)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        t.get("/nothing-here.js", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get("/../Cargo.toml", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn logs_never_hold_what_a_citizen_wrote() {
    // Every test's logs go to it from now on; none may hold this
    // conversation's personal data.
    let captured = crate::support::captured_logs();

    let t = TestApp::new().await;
    let mut chat = Chat::open(&t, "fr").await;
    chat.say("bonjour, je cherche une place en crèche pour mon fils Zébulon, né le 3 mai 2024")
        .await;
    chat.say("Quatremare").await;
    chat.say("à partir du 1er septembre").await;
    chat.say("zebulon.quatremare@exemple.be").await;
    chat.say("0470/98.76.54").await;
    chat.press("yes").await;
    chat.say("où en est ma demande ?").await;
    chat.say("CR-2026-0001").await;
    let bad = chat
        .send(serde_json::json!({"text": "BE68539007547034 ".repeat(200)}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let logs = captured.text();
    assert!(logs.contains("request"), "the requests are logged:\n{logs}");
    assert!(logs.contains(&chat.id), "with the conversation id:\n{logs}");
    for personal in [
        "Zébulon",
        "Quatremare",
        "zebulon.quatremare",
        "98.76.54",
        "+32470987654",
        "2024-05-03",
        "BE68539007547034",
        &chat.token,
    ] {
        assert!(
            !logs.contains(personal),
            "`{personal}` reached the logs:\n{logs}"
        );
    }
}

#[tokio::test]
async fn a_reloaded_bot_with_errors_is_refused_and_the_old_one_serves() {
    let dir = TempDir::new("reload");
    let bot_dir = dir.path().join("bot");
    copy_dir(&flows_dir(), &bot_dir);
    let mut c = config(dir.path());
    c.bot_dir = bot_dir.clone();
    let t = TestApp::with_config(c, dir).await;
    let mut chat = Chat::open(&t, "fr").await;

    std::fs::write(
        bot_dir.join("broken.flow"),
        "flow broken\n  say fr: \"unterminated\n",
    )
    .unwrap();
    assert!(guichet::serve::reload::reload(&t.app).is_err());
    let r = chat.say("je voudrais une place en crèche").await;
    assert_eq!(
        r.last()["flow"],
        "creche_enrolment",
        "the old bot still serves"
    );

    // A correct change is taken, and the conversation goes on with it.
    std::fs::remove_file(bot_dir.join("broken.flow")).unwrap();
    let creche = std::fs::read_to_string(bot_dir.join("creche.flow")).unwrap();
    std::fs::write(
        bot_dir.join("creche.flow"),
        creche.replace(
            "Écrivez seulement le prénom de l'enfant",
            "Rien que le prénom, s'il vous plaît",
        ),
    )
    .unwrap();
    guichet::serve::reload::reload(&t.app).expect("the corrected bot loads");
    let r = chat.say("42").await;
    assert!(
        r.says().iter().any(|s| s.contains("Rien que le prénom")),
        "{:?}",
        r.says()
    );
}

/// A conversation waiting at the crèche confirmation when the commune adds
/// a required question to the form: after the reload, its "yes" does not
/// file a request without the answer. The citizen is told, asked the new
/// question, and the request goes out with it and the earlier answers.
#[tokio::test]
async fn a_reload_carries_open_conversations_over_to_the_edited_bot() {
    let dir = TempDir::new("reload-carry");
    let bot_dir = dir.path().join("bot");
    copy_dir(&flows_dir(), &bot_dir);
    let mut c = config(dir.path());
    c.bot_dir = bot_dir.clone();
    let t = TestApp::with_config(c, dir).await;
    let mut chat = Chat::open(&t, "fr").await;
    chat.say("bonjour, je cherche une place en crèche pour mon fils Tom, né le 3 mai 2024")
        .await;
    chat.say("dubois").await;
    chat.say("à partir du 1er septembre").await;
    chat.say("tom.dubois@exemple.be").await;
    let r = chat.say("0470/12.34.56").await;
    assert_eq!(r.last()["expecting"]["kind"], "confirmation");

    let creche = std::fs::read_to_string(bot_dir.join("creche.flow")).unwrap();
    let edited = creche.replacen(
        "    slot parent_phone like phone_number\n",
        "    slot parent_address: text\n      ask\n        fr: \"Votre adresse ?\"\n        nl: \"Uw adres?\"\n        en: \"Your address?\"\n    slot parent_phone like phone_number\n",
        1,
    );
    assert_ne!(edited, creche, "the form has a parent_phone slot");
    std::fs::write(bot_dir.join("creche.flow"), edited).unwrap();
    guichet::serve::reload::reload(&t.app).expect("the edited bot loads");

    let r = chat.press("yes").await;
    assert!(
        !r.events().iter().any(|e| e["type"] == "action"),
        "no request before the new question is answered: {:?}",
        r.events()
    );
    assert_eq!(r.last()["expecting"]["name"], "parent_address");
    assert_eq!(r.last()["bot_changed"], "moved");
    let said = r.says().join("\n");
    assert!(said.contains("mis à jour"), "the citizen is told: {said}");
    assert!(said.contains("Votre adresse ?"), "{said}");
    let r = chat.say("Rue de la Station 12, 1170 Bruyères").await;
    assert_eq!(r.last()["expecting"]["kind"], "confirmation");
    let r = chat.press("yes").await;
    let action = r
        .events()
        .iter()
        .find(|e| e["type"] == "action")
        .unwrap_or_else(|| panic!("the request is filed: {:?}", r.events()));
    assert_eq!(action["name"], "create_request");
    assert_eq!(action["args"]["child_first_name"], "Tom", "answers kept");
    assert_eq!(action["args"]["parent_phone"], "+32470123456");
}
