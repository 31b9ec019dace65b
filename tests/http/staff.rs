//! The staff inbox over HTTP: nothing without a session, sign-in with
//! limited attempts, CSRF and origin checks, a hand-over reaching the
//! services it belongs to with its summary, the bot silent while staff
//! hold a conversation, claim races, nobody available (opening hours, the
//! claim timeout, the ticketing hook), the live stream.

use crate::backends;
use crate::handover_support::*;
use crate::support::{config, Chat, Served, SseReader, TempDir, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

async fn ask_for_a_person_during_an_enrolment(t: &TestApp) -> (Chat<'_>, String) {
    let mut chat = Chat::open(t, "fr").await;
    chat.say("bonjour, je cherche une place en crèche pour mon fils Tom, né le 3 mai 2024")
        .await;
    chat.say("dubois").await;
    let r = chat.say("je veux parler à quelqu'un").await;
    let handoff = r.events().iter().find(|e| e["type"] == "handoff").cloned();
    assert!(handoff.is_some(), "a hand-over: {:#?}", r.events());
    let notice = r.events().iter().find(|e| e["type"] == "notice").unwrap();
    assert_eq!(notice["kind"], "handoff_queued");
    assert_eq!(
        r.last()["type"],
        "turn_end",
        "the notice comes before the turn's end"
    );
    let case = t
        .app
        .service
        .store()
        .open_case_of(&chat.id)
        .await
        .unwrap()
        .unwrap();
    (chat, case.id)
}

#[tokio::test]
async fn nothing_of_the_inbox_answers_without_a_signed_in_session() {
    let t = app_with(None, |_| {}).await;
    let (chat, case) = ask_for_a_person_during_an_enrolment(&t).await;
    let page = t.get("/staff/", None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers["location"], "/staff/login");
    assert_eq!(t.get("/staff", None).await.status, StatusCode::SEE_OTHER);
    for api in [
        "/staff/api/queue".to_string(),
        "/staff/api/me".to_string(),
        "/staff/api/stream".to_string(),
        format!("/staff/api/cases/{case}"),
        "/staff/inbox.js".to_string(),
    ] {
        let r = t.get(&api, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{api}");
        assert_eq!(r.code(), "not_signed_in", "{api}");
        // A citizen's conversation token opens nothing here.
        let r = t.get(&api, Some(&chat.token)).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{api} with a conversation token"
        );
        let r = t
            .call(
                Request::get(&api)
                    .header("cookie", format!("guichet_staff={}", chat.token))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{api} with the token as a cookie"
        );
    }
    let r = t
        .post(
            &format!("/staff/api/cases/{case}/claim"),
            Some(&chat.token),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The page files are not served by the open file route either.
    assert_eq!(
        t.get("/staff/index.html", None).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        t.get("/staff/x/inbox.js", None).await.status,
        StatusCode::NOT_FOUND
    );
    // The sign-in page is open, in UTF-8.
    let login = t.get("/staff/login", None).await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.headers["content-type"], "text/html; charset=utf-8");
    assert!(login.headers.contains_key("content-security-policy"));
    assert_eq!(t.get("/staff/login.js", None).await.status, StatusCode::OK);
    // Signed in, the page is served.
    let s = sign_in(&t, "marie").await;
    let page = s.get(&t, "/staff/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("inbox.js"));
    assert_eq!(s.get(&t, "/staff/inbox.js").await.status, StatusCode::OK);
}

async fn attempt(
    t: &TestApp,
    login: &str,
    password: &str,
    origin: Option<&str>,
) -> crate::support::Reply {
    let mut b = Request::post("/staff/api/sign-in").header("content-type", "application/json");
    if let Some(o) = origin {
        b = b.header("origin", o);
    }
    t.call(
        b.body(Body::from(
            json!({"login": login, "password": password}).to_string(),
        ))
        .unwrap(),
    )
    .await
}

#[tokio::test]
async fn sign_in_checks_the_password_sets_a_strict_cookie_and_limits_attempts() {
    let t = app_with(None, |c| c.staff.sign_in_attempts_per_address = 12).await;
    let origin = Some("http://guichet.test");
    let wrong = attempt(&t, "marie", "wrong password", origin).await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNAUTHORIZED, "bad_credentials")
    );
    let unknown = attempt(&t, "nobody", "correct horse battery", origin).await;
    assert_eq!(
        unknown.code(),
        "bad_credentials",
        "an unknown login reads the same"
    );
    // From another site, or with no origin at all: refused before anything.
    let r = attempt(
        &t,
        "luc",
        "correct horse battery",
        Some("https://evil.example"),
    )
    .await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "bad_origin"));
    assert_eq!(
        attempt(&t, "luc", "correct horse battery", None)
            .await
            .code(),
        "bad_origin"
    );
    let ok = attempt(&t, "luc", "correct horse battery", origin).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let cookie = ok.headers["set-cookie"].to_str().unwrap();
    for part in [
        "guichet_staff=",
        "HttpOnly",
        "SameSite=Strict",
        "Secure",
        "Path=/staff",
    ] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert_eq!(ok.body["name"], "Luc");
    assert!(ok.body["csrf"].as_str().unwrap().len() >= 30);
    // Five tries per account: then even the right password waits.
    for _ in 0..4 {
        attempt(&t, "marie", "wrong again", origin).await;
    }
    let limited = attempt(&t, "marie", "correct horse battery", origin).await;
    assert_eq!(
        (limited.status, limited.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    assert!(limited.headers.contains_key("retry-after"));
    // Another account from the same address still signs in...
    assert_eq!(
        attempt(&t, "anne", "correct horse battery", origin)
            .await
            .status,
        StatusCode::OK
    );
    // ... until the address's own limit (12 tries here).
    for _ in 0..3 {
        attempt(&t, "someone", "x", origin).await;
    }
    let r = attempt(&t, "luc", "correct horse battery", origin).await;
    assert_eq!(r.code(), "rate_limited", "{}", r.text);
}

#[tokio::test]
async fn every_change_needs_the_sessions_csrf_token_and_this_sites_origin() {
    let t = app_with(None, |_| {}).await;
    let (_chat, case) = ask_for_a_person_during_an_enrolment(&t).await;
    let s = sign_in(&t, "marie").await;
    let claim = format!("/staff/api/cases/{case}/claim");
    let post = |csrf: Option<&str>, origin: Option<&str>| {
        let mut b = Request::post(&claim)
            .header("cookie", &s.cookie)
            .header("content-type", "application/json");
        if let Some(c) = csrf {
            b = b.header("x-csrf-token", c);
        }
        if let Some(o) = origin {
            b = b.header("origin", o);
        }
        b.body(Body::from("{}")).unwrap()
    };
    let r = t.call(post(None, Some("http://guichet.test"))).await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "bad_csrf"));
    let r = t
        .call(post(Some("not-the-token"), Some("http://guichet.test")))
        .await;
    assert_eq!(r.code(), "bad_csrf");
    let r = t
        .call(post(Some(&s.csrf), Some("https://evil.example")))
        .await;
    assert_eq!(r.code(), "bad_origin");
    // Another member of staff's token does not fit this session.
    let other = sign_in(&t, "luc").await;
    let r = t
        .call(post(Some(&other.csrf), Some("http://guichet.test")))
        .await;
    assert_eq!(r.code(), "bad_csrf");
    assert_eq!(
        t.app
            .service
            .store()
            .case(&case)
            .await
            .unwrap()
            .unwrap()
            .state,
        guichet::serve::store::CaseState::Waiting,
        "nothing changed"
    );
    let r = t
        .call(post(Some(&s.csrf), Some("http://guichet.test")))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Signed out, the session is dead.
    let r = s.post(&t, "/staff/api/sign-out", json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        s.get(&t, "/staff/api/queue").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_handover_reaches_its_services_inbox_with_the_bots_summary() {
    let t = app_with(None, |_| {}).await;
    let (_chat, case) = ask_for_a_person_during_an_enrolment(&t).await;
    let marie = sign_in(&t, "marie").await;
    let cases = marie.queue(&t).await;
    assert_eq!(cases.len(), 1);
    let c = &cases[0];
    assert_eq!(c["id"], case);
    assert_eq!(c["service"], "petite_enfance");
    assert_eq!(c["service_label"], "Petite enfance");
    assert_eq!(c["reason"], "asked_for_agent");
    assert_eq!(c["flow"], "creche_enrolment");
    assert_eq!(
        (c["lang"].as_str(), c["channel"].as_str()),
        (Some("fr"), Some("web"))
    );
    assert_eq!(c["state"], "waiting");
    let slots = &c["summary"]["slots"];
    assert_eq!(slots["child_first_name"], "Tom");
    assert_eq!(slots["child_last_name"], "Dubois");
    assert_eq!(slots["child_birth_date"], "2024-05-03", "normal form");
    let text = c["summary"]["text"].as_str().unwrap();
    assert!(text.contains("Inscription en crèche"), "{text}");
    assert!(text.contains("prénom : Tom"), "{text}");
    assert!(text.contains("3 mai 2024"), "readable: {text}");
    // The transcript: what the citizen and the bot said.
    let detail = marie.get(&t, &format!("/staff/api/cases/{case}")).await;
    let events = detail.body["events"].as_array().unwrap();
    assert!(events
        .iter()
        .any(|e| e["type"] == "user" && e["text"] == "dubois"));
    assert!(events.iter().any(|e| e["type"] == "handoff"));
    // Everything to Luc, nothing to Anne (mobility only).
    let luc = sign_in(&t, "luc").await;
    assert_eq!(luc.queue(&t).await.len(), 1);
    let anne = sign_in(&t, "anne").await;
    assert!(anne.queue(&t).await.is_empty());
    let r = anne.get(&t, &format!("/staff/api/cases/{case}")).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "unknown_case")
    );
    let r = anne
        .post(&t, &format!("/staff/api/cases/{case}/claim"), json!({}))
        .await;
    assert_eq!(r.code(), "unknown_case");
    // A summary in the staff's language when it is not the citizen's.
    let t2 = app_with(None, |c| c.staff.lang = Some("nl".into())).await;
    let (_c2, case2) = ask_for_a_person_during_an_enrolment(&t2).await;
    let s2 = sign_in(&t2, "luc").await;
    let r = s2.get(&t2, &format!("/staff/api/cases/{case2}")).await;
    let text = r.body["case"]["summary"]["text"].as_str().unwrap();
    assert!(
        text.contains("Inschrijving kinderopvang") && text.contains("voornaam : Tom"),
        "{text}"
    );
    assert!(text.contains("3 mei 2024"), "{text}");
}

#[tokio::test]
async fn the_bot_never_answers_a_conversation_held_by_staff() {
    let t = app_with(None, |_| {}).await;
    let (mut chat, case) = ask_for_a_person_during_an_enrolment(&t).await;
    // Waiting: the bot still answers.
    let r = chat.say("merci").await;
    assert!(!r.says().is_empty());
    let marie = sign_in(&t, "marie").await;
    let r = marie
        .post(&t, &format!("/staff/api/cases/{case}/claim"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["case"]["mine"], true);
    let joined = chat.history(0).await;
    let notice = joined
        .events()
        .iter()
        .rev()
        .find(|e| e["type"] == "notice")
        .unwrap();
    assert_eq!(notice["kind"], "staff_joined");
    assert_eq!(
        notice["text"],
        "Marie a rejoint la conversation et va vous répondre."
    );
    for text in ["bonjour", "je voudrais une place en crèche", "aide"] {
        let r = chat.say(text).await;
        let types: Vec<&str> = r
            .events()
            .iter()
            .map(|e| e["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, vec!["user"], "{text}: only logged");
    }
    let r = chat.press("talk_to_agent").await;
    assert_eq!(r.events().len(), 1);
    // Marie answers; the citizen reads it in the history (and the stream).
    let r = marie
        .post(
            &t,
            &format!("/staff/api/cases/{case}/messages"),
            json!({"text": "Bonjour, je regarde votre demande."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let h = chat.history(0).await;
    let said = h
        .events()
        .iter()
        .rev()
        .find(|e| e["from"] == "staff")
        .unwrap();
    assert_eq!(said["type"], "say");
    assert_eq!(said["name"], "Marie", "the display name, not the login");
    assert_eq!(said["text"], "Bonjour, je regarde votre demande.");
    // Luc cannot answer or hand back Marie's conversation.
    let luc = sign_in(&t, "luc").await;
    let r = luc
        .post(
            &t,
            &format!("/staff/api/cases/{case}/messages"),
            json!({"text": "moi aussi"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "not_your_case")
    );
    let r = luc
        .post(&t, &format!("/staff/api/cases/{case}/hand-back"), json!({}))
        .await;
    assert_eq!(r.code(), "not_your_case");
    let r = marie
        .post(
            &t,
            &format!("/staff/api/cases/{case}/messages"),
            json!({"text": "   "}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Handed back: the citizen is told, and the bot answers again.
    let r = marie
        .post(&t, &format!("/staff/api/cases/{case}/hand-back"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["case"]["state"], "closed");
    assert_eq!(r.body["case"]["outcome"], "returned");
    let h = chat.history(0).await;
    let back = h
        .events()
        .iter()
        .rev()
        .find(|e| e["type"] == "notice")
        .unwrap();
    assert_eq!(back["kind"], "bot_back");
    assert!(back["text"]
        .as_str()
        .unwrap()
        .starts_with("Marie vous a confié"));
    let r = chat.say("bonjour").await;
    assert!(
        !r.says().is_empty(),
        "the bot answers again: {:#?}",
        r.events()
    );
    assert_eq!(r.last()["type"], "turn_end");
    // The queue is empty; the case is among the recently closed.
    let q = marie.get(&t, "/staff/api/queue").await;
    assert!(q.body["cases"].as_array().unwrap().is_empty());
    assert_eq!(q.body["closed"][0]["id"], case);
    let r = marie
        .post(&t, &format!("/staff/api/cases/{case}/claim"), json!({}))
        .await;
    assert_eq!(r.code(), "case_closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_many_concurrent_claims_exactly_one_wins() {
    for b in backends::all().await {
        let dir = TempDir::new("claims");
        let mut c = config(dir.path());
        c.store = b.url.clone();
        with_staff(&mut c);
        let t = Arc::new(TestApp::with_store(c, dir, b.store.clone()).await);
        let (chat, case) = {
            let (chat, case) = ask_for_a_person_during_an_enrolment(&t).await;
            (chat.id.clone(), case)
        };
        let sessions = [sign_in(&t, "marie").await, sign_in(&t, "luc").await];
        let mut tasks = Vec::new();
        for i in 0..16 {
            let (t, cookie, csrf, case) = (
                t.clone(),
                sessions[i % 2].cookie.clone(),
                sessions[i % 2].csrf.clone(),
                case.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let s = StaffSession { cookie, csrf };
                let r = s
                    .post(&t, &format!("/staff/api/cases/{case}/claim"), json!({}))
                    .await;
                (r.status, r.code().to_string())
            }));
        }
        let mut won = 0;
        for task in tasks {
            match task.await.unwrap() {
                (StatusCode::OK, _) => won += 1,
                (StatusCode::CONFLICT, code) => assert_eq!(code, "case_taken", "{}", b.name),
                other => panic!("{}: {other:?}", b.name),
            }
        }
        assert_eq!(won, 1, "{}: one winner", b.name);
        let events = t
            .app
            .service
            .store()
            .events_after(&chat, 0, 1000)
            .await
            .unwrap();
        let joined = events
            .iter()
            .filter(|e| e.body.contains("staff_joined"))
            .count();
        assert_eq!(joined, 1, "{}: the citizen is told once", b.name);
    }
}

/// A small ticketing system that records what it receives.
async fn ticketing() -> (String, Arc<Mutex<Vec<Value>>>, tokio::task::JoinHandle<()>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let router = axum::Router::new().route(
        "/tickets",
        axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
            let s = s.clone();
            async move {
                s.lock().unwrap().push(v);
                StatusCode::CREATED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/tickets", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, seen, task)
}

#[tokio::test]
async fn outside_opening_hours_the_citizen_is_told_and_the_request_filed() {
    let (url, tickets, _task) = ticketing().await;
    // The test clock says Tuesday 10 March 2026, 10:00: closed until 13:00.
    let t = app_with(None, |c| {
        c.apply_toml(
            &format!("[staff.hours]\ntue = \"13:00-16:00\"\nwed = \"08:30-12:00\"\n[staff.ticketing]\nurl = \"{url}\"\n"),
            &|_| None,
        )
        .unwrap();
    })
    .await;
    let mut chat = Chat::open(&t, "fr").await;
    let r = chat.say("je veux parler à quelqu'un").await;
    let notice = r.events().iter().find(|e| e["type"] == "notice").unwrap();
    assert_eq!(notice["kind"], "staff_unavailable");
    let text = notice["text"].as_str().unwrap();
    assert!(text.contains("mardi 10 mars à 13 h 00"), "{text}");
    assert!(text.contains("ici ou par e-mail"), "{text}");
    // The case stays in the queue, marked as filed.
    let luc = sign_in(&t, "luc").await;
    let cases = luc.queue(&t).await;
    assert_eq!(cases[0]["filed"], true);
    assert_eq!(cases[0]["state"], "waiting");
    // The ticketing system hears of it, with the summary.
    t.app.outbox.deliver_due().await;
    let seen = tickets.lock().unwrap().clone();
    let events: Vec<&str> = seen.iter().map(|v| v["event"].as_str().unwrap()).collect();
    assert_eq!(events, vec!["case_opened", "case_filed"]);
    assert_eq!(seen[1]["why"], "outside_opening_hours");
    assert_eq!(seen[0]["case"]["reason"], "asked_for_agent");
    assert!(seen[0]["transcript_url"]
        .as_str()
        .unwrap()
        .starts_with("http://guichet.test/staff/#case=h_"));
    // Staff claim it later: forwarded too.
    let r = luc
        .post(
            &t,
            &format!(
                "/staff/api/cases/{}/claim",
                cases[0]["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    t.app.outbox.deliver_due().await;
    let seen = tickets.lock().unwrap().clone();
    assert_eq!(seen[2]["event"], "case_claimed");
    assert_eq!(seen[2]["staff"]["name"], "Luc");
}

#[tokio::test]
async fn a_case_nobody_claims_in_time_tells_the_citizen_and_stays_queued() {
    let t = app_with(None, |_| {}).await;
    let (chat, case) = ask_for_a_person_during_an_enrolment(&t).await;
    assert_eq!(t.app.service.handover_tick(None).await, 0, "not yet");
    t.clock.advance(chrono::Duration::minutes(11));
    assert_eq!(t.app.service.handover_tick(None).await, 1);
    assert_eq!(t.app.service.handover_tick(None).await, 0, "told once");
    let h = chat.history(0).await;
    let notice = h
        .events()
        .iter()
        .rev()
        .find(|e| e["type"] == "notice")
        .unwrap();
    assert_eq!(notice["kind"], "staff_unavailable");
    assert!(notice["text"]
        .as_str()
        .unwrap()
        .starts_with("Tous nos collègues sont occupés"));
    let c = t.app.service.store().case(&case).await.unwrap().unwrap();
    assert_eq!(c.state, guichet::serve::store::CaseState::Waiting);
    assert!(c.filed_ms.is_some());
    // Anyone of the service can still take it.
    let marie = sign_in(&t, "marie").await;
    let r = marie
        .post(&t, &format!("/staff/api/cases/{case}/claim"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_new_cases_and_messages_live() {
    let t = app_with(None, |_| {}).await;
    let served = Served::start(t.app.clone()).await;
    let marie = sign_in(&t, "marie").await;
    let client = reqwest::Client::new();
    let stream = client
        .get(format!("{}/staff/api/stream", served.url))
        .header("cookie", &marie.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let mut live = SseTyped::new(stream);
    let first = live.next_named("queue").await;
    assert!(first["cases"].as_array().unwrap().is_empty());
    let (mut chat, case) = ask_for_a_person_during_an_enrolment(&t).await;
    let q = live.next_named("queue").await;
    assert_eq!(q["cases"][0]["id"], case);
    chat.say("c'est urgent").await;
    let a = live.next_named("activity").await;
    assert_eq!(a["case"], case);
    served.stop().await;
}

/// Server-Sent Events with their names.
struct SseTyped {
    inner: reqwest::Response,
    buffer: String,
}

impl SseTyped {
    fn new(inner: reqwest::Response) -> SseTyped {
        SseTyped {
            inner,
            buffer: String::new(),
        }
    }

    async fn next_named(&mut self, name: &str) -> Value {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = "message";
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = if v.trim() == name { name } else { "other" };
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if event == name {
                    return serde_json::from_str(&data).unwrap();
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.inner.chunk())
                .await
                .expect("an event within 10 s")
                .unwrap()
                .expect("the stream goes on");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[allow(dead_code)]
fn _uses(_: SseReader) {}

#[test]
fn the_inbox_pages_insert_text_as_text() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/staff");
    for file in ["inbox.js", "login.js"] {
        let js = std::fs::read_to_string(dir.join(file)).unwrap();
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!js.contains(sink), "{file} uses {sink}");
        }
    }
}

#[tokio::test]
async fn closing_a_case_and_a_bot_that_keeps_quiet_in_the_queue() {
    let t = app_with(None, |c| c.staff.bot_answers_while_waiting = false).await;
    let (mut chat, case) = ask_for_a_person_during_an_enrolment(&t).await;
    // Waiting, with the bot told to keep quiet: inputs are only logged.
    let r = chat.say("vous êtes là ?").await;
    assert_eq!(r.events().len(), 1, "{:#?}", r.events());
    let marie = sign_in(&t, "marie").await;
    let luc = sign_in(&t, "luc").await;
    let r = marie
        .post(&t, &format!("/staff/api/cases/{case}/claim"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = luc
        .post(&t, &format!("/staff/api/cases/{case}/close"), json!({}))
        .await;
    assert_eq!(
        r.code(),
        "not_your_case",
        "only the holder closes a case taken"
    );
    let r = marie
        .post(&t, &format!("/staff/api/cases/{case}/close"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["case"]["outcome"], "closed");
    let h = chat.history(0).await;
    let closed = h
        .events()
        .iter()
        .rev()
        .find(|e| e["type"] == "notice")
        .unwrap();
    assert_eq!(closed["kind"], "staff_closed");
    assert!(
        chat.say("bonjour").await.says().len() == 1,
        "the bot is back"
    );
    // A waiting case may be closed by anyone who sees its service.
    let r = chat.say("je veux parler à quelqu'un").await;
    assert!(r.events().iter().any(|e| e["type"] == "handoff"));
    let again = t
        .app
        .service
        .store()
        .open_case_of(&chat.id)
        .await
        .unwrap()
        .unwrap();
    let r = luc
        .post(
            &t,
            &format!("/staff/api/cases/{}/close", again.id),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        t.app
            .service
            .store()
            .conversation(&chat.id)
            .await
            .unwrap()
            .unwrap()
            .mode,
        "bot"
    );
}
