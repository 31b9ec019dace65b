//! The demo back office end to end through HTTP: a crèche enrolment whose
//! status is then followed in the chat, and a parking card paid on the
//! simulated payment page, whose confirmation arrives on the stream.

use crate::support::{Chat, Served, SseReader, TestApp};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_creche_enrolment_is_filed_and_its_status_followed_in_the_chat() {
    let t = TestApp::new().await;
    let mut chat = Chat::open(&t, "fr").await;
    chat.say("bonjour, je cherche une place en crèche pour mon fils Tom, né le 3 mai 2024")
        .await;
    chat.say("dubois").await;
    chat.say("à partir du 1er septembre").await;
    chat.say("tom.dubois@exemple.be").await;
    let r = chat.say("0470/12.34.56").await;
    assert_eq!(r.last()["expecting"]["kind"], "confirmation");
    let r = chat.press("yes").await;
    let action = r.events().iter().find(|e| e["type"] == "action").unwrap();
    assert_eq!(action["name"], "create_request");
    assert_eq!(action["args"]["child_first_name"], "Tom");
    assert!(
        r.says().iter().any(|s| s.contains("CR-2026-0001")),
        "{:?}",
        r.says()
    );

    let list = t.get("/demo/api/requests", None).await;
    assert_eq!(list.body["requests"][0]["reference"], "CR-2026-0001");
    assert_eq!(list.body["requests"][0]["status"], "received");

    chat.say("où en est ma demande ?").await;
    let r = chat.say("cr-2026-0001").await;
    assert!(
        r.says().iter().any(|s| s.contains("reçue")),
        "{:?}",
        r.says()
    );

    // Staff change the status on the demo page; the chat reads it.
    let changed = t
        .post(
            "/demo/api/requests/CR-2026-0001",
            None,
            &json!({"status": "accepted"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let bad = t
        .post(
            "/demo/api/requests/CR-2026-0001",
            None,
            &json!({"status": "lost"}),
        )
        .await;
    assert_eq!(bad.body["error"]["code"], "bad_input");
    chat.say("où en est ma demande ?").await;
    let r = chat.say("CR-2026-0001").await;
    assert!(
        r.says().iter().any(|s| s.contains("acceptée")),
        "{:?}",
        r.says()
    );
    chat.say("où en est ma demande ?").await;
    let r = chat.say("CR-1999-0404").await;
    assert!(
        r.says().iter().any(|s| s.contains("Je ne trouve pas")),
        "{:?}",
        r.says()
    );

    let page = t.get("/demo/requests", None).await;
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    assert!(page.text.contains("démonstration"));
}

/// Renews a parking card up to the payment: the notice with its link.
async fn up_to_payment(chat: &mut Chat<'_>) -> (String, crate::support::Reply) {
    chat.say("Bonjour, je voudrais renouveler ma carte de riverain pour la voiture 1-abc-234")
        .await;
    chat.say("1170").await;
    chat.press("first").await;
    let r = chat.press("yes").await;
    let notice = r
        .events()
        .iter()
        .find(|e| e["type"] == "notice")
        .expect("a payment notice")
        .clone();
    assert!(
        notice["text"].as_str().unwrap().contains("15,00 €"),
        "{notice}"
    );
    assert!(notice["text"].as_str().unwrap().contains("+++"), "{notice}");
    let link = notice["links"][0]["url"].as_str().unwrap();
    let id = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(link, format!("http://guichet.test/demo/pay/{id}"));
    assert_eq!(
        notice["image"]["url"],
        json!(format!("http://guichet.test/demo/pay/{id}/qr.svg"))
    );
    assert!(notice["image"]["alt"].as_str().unwrap().contains("QR"));
    assert_eq!(r.last()["expecting"]["kind"], "action_result");
    (id, r)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parking_card_is_paid_on_the_payment_page_and_the_chat_is_told() {
    let t = TestApp::new().await;
    let mut chat = Chat::open(&t, "fr").await;
    let (id, answer) = up_to_payment(&mut chat).await;

    let p = t.get(&format!("/demo/api/payments/{id}"), None).await;
    assert_eq!(p.body["amount"], "15.00");
    assert_eq!(p.body["amount_text"], "15,00 €");
    assert_eq!(p.body["status"], "pending");
    assert!(p.body["reference"].as_str().unwrap().starts_with("P-2026-"));
    let qr = t.get(&format!("/demo/pay/{id}/qr.svg"), None).await;
    assert_eq!(qr.headers["content-type"], "image/svg+xml; charset=utf-8");
    assert!(qr.text.contains("<svg"));
    let page = t.get(&format!("/demo/pay/{id}"), None).await;
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(!page.text.contains("<script>"), "no inline script");

    let served = Served::start(t.app.clone()).await;
    let after = answer.last()["seq"].as_i64().unwrap();
    let stream = reqwest::Client::new()
        .get(format!(
            "{}/api/conversations/{}/stream?after={after}&token={}",
            served.url, chat.id, chat.token
        ))
        .send()
        .await
        .unwrap();
    let mut live = SseReader::new(stream);
    let paid = t
        .post(&format!("/demo/api/payments/{id}/pay"), None, &json!({}))
        .await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.text);
    let say = live.next_of("say").await;
    let text = say["text"].as_str().unwrap();
    assert!(
        text.contains("15,00 €") && text.contains("RC-2026-0001"),
        "{text}"
    );
    let end = live.next_of("turn_end").await;
    assert_eq!(end["expecting"], serde_json::Value::Null);
    // Paying twice changes nothing.
    let again = t
        .post(&format!("/demo/api/payments/{id}/pay"), None, &json!({}))
        .await;
    assert_eq!(again.body["changed"], false);
    let list = t.get("/demo/api/requests", None).await;
    assert_eq!(list.body["requests"][0]["reference"], "RC-2026-0001");
    served.stop().await;
}

#[tokio::test]
async fn a_refused_payment_offers_to_try_again() {
    let t = TestApp::new().await;
    let mut chat = Chat::open(&t, "nl").await;
    chat.say("ik wil mijn bewonerskaart verlengen").await;
    let r = chat.say("1-ABC-234").await;
    assert_eq!(r.last()["expecting"]["name"], "postal_code");
    chat.say("1170").await;
    chat.press("second").await;
    let r = chat.press("yes").await;
    let notice = r.events().iter().find(|e| e["type"] == "notice").unwrap();
    assert!(
        notice["text"].as_str().unwrap().contains("120,00 €"),
        "{notice}"
    );
    let id = notice["links"][0]["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let refused = t
        .post(&format!("/demo/api/payments/{id}/refuse"), None, &json!({}))
        .await;
    assert_eq!(refused.body["status"], "refused");
    let h = chat.history(r.last()["seq"].as_i64().unwrap()).await;
    let says: Vec<&str> = h
        .events()
        .iter()
        .filter(|e| e["type"] == "say")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(says.iter().any(|s| s.contains("niet gelukt")), "{says:?}");
    assert_eq!(
        h.events().last().unwrap()["expecting"]["name"],
        "retry_payment"
    );
}
