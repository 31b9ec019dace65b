//! The managers' dashboard at `/staff/stats` over HTTP: nothing without a
//! staff session (a citizen's token opens nothing), the figures as JSON,
//! the charts as SVG, the CSV export, the messages not understood with
//! what to add to the bot; a citizen's data found, exported and erased
//! only by staff who see every service, with the session's CSRF token.

use crate::handover_support::{app_with, sign_in};
use crate::support::{Chat, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

async fn a_day_of_conversations(t: &TestApp) -> (String, String) {
    let mut chat = Chat::open(t, "fr").await;
    chat.say("je voudrais inscrire mon fils à la crèche").await;
    chat.say("Tom").await;
    chat.say("Peeters").await;
    chat.say("laissez tomber").await;
    let mut other = Chat::open(t, "nl").await;
    other
        .say("waar kan ik mijn hond uitlaten zonder leiband")
        .await;
    other
        .say("mijn e-mail is jan.claes@voorbeeld.be, waar kan ik mijn hond uitlaten")
        .await;
    (chat.id, chat.token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_of_the_dashboard_answers_without_a_staff_session() {
    let t = app_with(None, |_| {}).await;
    let (_, token) = a_day_of_conversations(&t).await;
    let page = t.get("/staff/stats", None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text);
    assert_eq!(page.headers["location"], "/staff/login");
    for uri in [
        "/staff/api/stats",
        "/staff/api/stats.csv",
        "/staff/api/stats/charts/per_day.svg",
        "/staff/stats/stats.js",
    ] {
        let r = t.get(uri, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{uri}");
        // A citizen's conversation token is no staff session.
        let r = t.get(uri, Some(&token)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert!(!r.text.contains("creche"), "{uri}");
    }
    for uri in [
        "/staff/api/privacy/find",
        "/staff/api/privacy/export",
        "/staff/api/privacy/erase",
    ] {
        let r = t
            .post(
                uri,
                Some(&token),
                &json!({"value": "jan.claes@voorbeeld.be"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{uri}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_staff_read_the_figures_the_charts_and_the_csv() {
    let t = app_with(None, |_| {}).await;
    a_day_of_conversations(&t).await;
    let marie = sign_in(&t, "marie").await;
    let page = marie.get(&t, "/staff/stats").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(page.headers["cache-control"], "no-store");
    assert!(page.text.contains("/staff/stats/stats.js"));
    let js = marie.get(&t, "/staff/stats/stats.js").await;
    assert_eq!(js.status, StatusCode::OK);
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
    ] {
        assert!(!js.text.contains(sink), "stats.js uses {sink}");
    }

    let r = marie
        .get(&t, "/staff/api/stats?from=2026-03-10&to=2026-03-10")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let report = &r.body["report"];
    assert_eq!(report["totals"]["conversations"], 2);
    assert_eq!(report["totals"]["unmatched"], 2);
    let creche = report["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["flow"] == "creche_enrolment")
        .expect("the crèche's row");
    assert_eq!(creche["abandoned"], 1);
    // Two messages alike, one group; the e-mail address masked.
    let groups = r.body["unmatched"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:#?}");
    assert_eq!(groups[0]["count"], 2);
    assert!(!r.text.contains("jan.claes"), "{}", r.text);
    assert!(r.text.contains("[email]"));
    assert_eq!(r.body["privacy"], false, "Marie sees two services only");

    for name in guichet::serve::stats::svg::CHARTS {
        let svg = marie
            .get(
                &t,
                &format!("/staff/api/stats/charts/{name}.svg?from=2026-03-10&to=2026-03-10&ui=nl"),
            )
            .await;
        assert_eq!(svg.status, StatusCode::OK, "{name}");
        assert_eq!(svg.headers["content-type"], "image/svg+xml; charset=utf-8");
        assert!(
            svg.text.starts_with("<svg") && svg.text.contains("<title"),
            "{name}"
        );
    }
    let topics = marie
        .get(
            &t,
            "/staff/api/stats/charts/topics.svg?from=2026-03-10&to=2026-03-10&ui=nl",
        )
        .await;
    assert!(
        topics.text.contains("Gevraagde onderwerpen"),
        "{}",
        topics.text
    );
    assert!(
        topics.text.contains("Inschrijving kinderopvang"),
        "the flow's label"
    );
    assert_eq!(
        r.body["labels"]["creche_enrolment"],
        "Inscription en crèche"
    );
    assert_eq!(
        r.body["labels"]["creche_enrolment/child_birth_date"],
        "date de naissance"
    );
    assert_eq!(
        marie
            .get(&t, "/staff/api/stats/charts/secrets.svg")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        marie
            .get(&t, "/staff/api/stats?from=yesterday")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    let csv = marie
        .get(&t, "/staff/api/stats.csv?from=2026-03-10&to=2026-03-10")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("guichet-stats-2026-03-10-2026-03-10.csv"));
    assert!(csv
        .text
        .contains("flows,,,creche_enrolment,,,,,,abandoned,1\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_staff_who_see_every_service_export_or_erase_a_citizen() {
    let t = app_with(None, |_| {}).await;
    let (id, _) = a_day_of_conversations(&t).await;
    let marie = sign_in(&t, "marie").await;
    let body = json!({"value": "Peeters"});
    let r = marie
        .post(&t, "/staff/api/privacy/find", body.clone())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(r.code(), "not_allowed");
    let luc = sign_in(&t, "luc").await;
    let stats = luc.get(&t, "/staff/api/stats").await;
    assert_eq!(stats.body["privacy"], true);
    // Without the CSRF token, nothing.
    let r = t
        .call(
            Request::post("/staff/api/privacy/erase")
                .header("cookie", &luc.cookie)
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let found = luc.post(&t, "/staff/api/privacy/find", body.clone()).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text);
    assert_eq!(found.body["conversations"], json!([id]));
    let export = luc
        .post(&t, "/staff/api/privacy/export", body.clone())
        .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    assert!(export.text.contains("Peeters"));
    assert_eq!(
        luc.post(&t, "/staff/api/privacy/find", json!({"value": "ab"}))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        luc.post(
            &t,
            "/staff/api/privacy/find",
            json!({"value": "Peeters", "psid": "1"})
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    let erased = luc.post(&t, "/staff/api/privacy/erase", body.clone()).await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    assert_eq!(erased.body["conversations"], 1);
    let again = luc.post(&t, "/staff/api/privacy/find", body).await;
    assert_eq!(again.body["conversations"], json!([]));
    // The citizen's conversation is gone; its token opens nothing.
    let gone = t
        .get(&format!("/api/conversations/{id}/events"), None)
        .await;
    assert_ne!(gone.status, StatusCode::OK);
}
