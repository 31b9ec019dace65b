//! The bot studio (`--studio`): who may use it, the editor analysis over
//! unsaved texts, the trial chat, the tests, and the save, on a copy of
//! the sample bot's folder.

use crate::handover_support::{password_hash, sign_in, with_staff};
use crate::support::{config, copy_dir, flows_dir, Chat, TempDir, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use guichet::serve::store::StaffAccount;
use serde_json::{json, Value};

/// The server with the studio on a copy of the sample bot, and Sophie
/// (the studio only) among the staff.
async fn studio_app() -> TestApp {
    studio_app_with(true).await
}

async fn studio_app_with(studio: bool) -> TestApp {
    let dir = TempDir::new("studio");
    let bot = dir.path().join("bot");
    copy_dir(&flows_dir(), &bot);
    let mut c = config(dir.path());
    c.bot_dir = bot;
    c.studio = studio;
    with_staff(&mut c);
    c.staff.accounts.push(StaffAccount {
        login: "sophie".into(),
        name: "Sophie".into(),
        password_hash: password_hash(),
        services: vec!["studio".into()],
    });
    TestApp::with_config(c, dir).await
}

fn bot_file(t: &TestApp, relative: &str) -> String {
    std::fs::read_to_string(t.app.config.bot_dir.join(relative)).unwrap()
}

fn hash(text: &str) -> String {
    guichet::serve::studio::files::hash(text)
}

/// The diagnostics of a report with this code.
fn with_code<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["diagnostics"]
        .as_array()
        .expect("a diagnostics list")
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

#[tokio::test]
async fn only_signed_in_staff_with_the_studio_permission_get_in() {
    let t = studio_app().await;
    // No session.
    for uri in [
        "/staff/api/studio/files",
        "/staff/api/studio/file?path=bot.flow",
    ] {
        let r = t.get(uri, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(r.code(), "not_signed_in");
    }
    let r = t
        .post("/staff/api/studio/check", None, &json!({"files": {}}))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The page sends to the sign-in page.
    let page = t.get("/staff/studio", None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text);
    assert_eq!(page.headers["location"], "/staff/login?next=/staff/studio");
    // A citizen's conversation token opens nothing.
    let (_, token) = t.create(Some("fr")).await;
    let r = t.get("/staff/api/studio/files", Some(&token)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = t
        .post(
            "/staff/api/studio/save",
            Some(&token),
            &json!({"path": "bot.flow", "text": "", "hash": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // Signed in, but a POST without the CSRF token.
    let sophie = sign_in(&t, "sophie").await;
    let r = t
        .call(
            Request::post("/staff/api/studio/check")
                .header("cookie", &sophie.cookie)
                .header("content-type", "application/json")
                .body(Body::from(json!({"files": {}}).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "bad_csrf");
    // With it, in.
    let r = sophie
        .post(&t, "/staff/api/studio/check", json!({"files": {}}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let page = sophie.get(&t, "/staff/studio").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers["content-type"], "text/html; charset=utf-8",
        "{}",
        page.text
    );
    assert!(page.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    let grammar = sophie
        .get(&t, "/staff/studio/guichet.tmLanguage.json")
        .await;
    assert_eq!(grammar.body["scopeName"], "source.guichet");

    // Anne answers hand-overs of mobility, nothing more: refused.
    let anne = sign_in(&t, "anne").await;
    let r = anne.get(&t, "/staff/api/studio/files").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "not_allowed");
    let r = anne
        .post(&t, "/staff/api/studio/check", json!({"files": {}}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        anne.get(&t, "/staff/studio").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        anne.get(&t, "/staff/studio/studio.js").await.status,
        StatusCode::FORBIDDEN
    );
    // Luc sees every service, the studio included.
    let luc = sign_in(&t, "luc").await;
    assert_eq!(
        luc.get(&t, "/staff/api/studio/files").await.status,
        StatusCode::OK
    );

    // Without --studio there is no studio.
    let off = studio_app_with(false).await;
    let luc = sign_in(&off, "luc").await;
    assert_eq!(
        luc.get(&off, "/staff/api/studio/files").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn paths_outside_the_bot_folder_are_refused() {
    let t = studio_app().await;
    let sophie = sign_in(&t, "sophie").await;
    std::fs::write(t.dir.path().join("secret.flow"), "flow s\nend\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        t.dir.path().join("secret.flow"),
        t.app.config.bot_dir.join("link.flow"),
    )
    .unwrap();
    for path in [
        "../secret.flow",
        "tests/../../secret.flow",
        "/etc/passwd",
        "..%2Fsecret.flow",
        ".hidden.flow",
        "guichet.toml",
        "link.flow",
    ] {
        // `..%2Fsecret.flow` reaches the server as `../secret.flow`.
        let uri = format!("/staff/api/studio/file?path={}", path.replace('/', "%2F"));
        let r = sophie.get(&t, &uri).await;
        assert!(
            r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::NOT_FOUND,
            "{path}: {} {}",
            r.status,
            r.text
        );
        assert!(!r.text.contains("flow s"), "{path} was read");
        let r = sophie
            .post(
                &t,
                "/staff/api/studio/save",
                json!({"path": path, "text": "flow s\nend\n", "hash": hash("flow s\nend\n")}),
            )
            .await;
        assert!(
            r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::NOT_FOUND,
            "{path}: {} {}",
            r.status,
            r.text
        );
        let r = sophie
            .post(
                &t,
                "/staff/api/studio/check",
                json!({"files": {path: "flow s\nend\n"}}),
            )
            .await;
        assert!(
            r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::NOT_FOUND,
            "{path}: {} {}",
            r.status,
            r.text
        );
    }
    assert_eq!(
        std::fs::read_to_string(t.dir.path().join("secret.flow")).unwrap(),
        "flow s\nend\n"
    );
    // The listing shows the bot's files, relative, and nothing else.
    let r = sophie.get(&t, "/staff/api/studio/files").await;
    let paths: Vec<&str> = r.body["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"creche.flow") && paths.contains(&"tests/creche_fr.test"));
    assert!(paths.contains(&"canteen_menu.csv"));
    assert!(!paths.iter().any(|p| p.contains("link") || p.contains("..")));
}

#[tokio::test]
async fn unsaved_texts_get_the_whole_bots_diagnostics_completion_and_hover() {
    let t = studio_app().await;
    let sophie = sign_in(&t, "sophie").await;
    let clean = sophie
        .post(&t, "/staff/api/studio/check", json!({"files": {}}))
        .await;
    assert_eq!(clean.body["errors"], 0, "{}", clean.text);
    assert_eq!(clean.body["diagnostics"], json!([]));
    // A file bigger than the chat API's body limit still travels.
    let long = format!(
        "{}\n# {}\n",
        bot_file(&t, "status.flow"),
        "une longue note ".repeat(3000)
    );
    assert!(long.len() > 40_000);
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/check",
            json!({"files": {"status.flow": long}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["errors"], 0, "{}", r.text);

    // A mistake typed in an unsaved text, after an accented line.
    let text = bot_file(&t, "status.flow").replace(
        "{upper(reference)} : {found.status}",
        "{upper(referenc)} : {found.status}",
    );
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/check",
            json!({"files": {"status.flow": text}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["errors"].as_u64().unwrap() >= 1, "{}", r.text);
    let found = with_code(&r.body, "unknown-name");
    let d = found.first().expect("the unknown name is reported");
    assert_eq!(d["file"], "status.flow");
    assert_eq!(d["severity"], "error");
    let line = text
        .lines()
        .position(|l| l.contains("upper(referenc)"))
        .unwrap();
    assert_eq!(d["line"], line + 1);
    assert_eq!(d["range"]["start"]["line"], line);
    let col = text.lines().nth(line).unwrap().find("referenc)").unwrap();
    // UTF-16 columns: the line is ASCII up to there.
    assert_eq!(d["range"]["start"]["character"], col);
    assert!(
        d["help"].as_str().unwrap_or("").contains("reference"),
        "{d}"
    );
    // Nothing was written.
    assert!(!bot_file(&t, "status.flow").contains("referenc)"));

    // Completion at the mistake offers the slot; hover explains a built-in.
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/complete",
            json!({"files": {"status.flow": text}, "file": "status.flow",
                   "position": {"line": line, "character": col + "referenc".len()}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let labels: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"reference"), "{labels:?}");
    let upper = text.lines().nth(line).unwrap().find("upper(").unwrap();
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/hover",
            json!({"files": {"status.flow": text}, "file": "status.flow",
                   "position": {"line": line, "character": upper + 2}}),
        )
        .await;
    assert!(
        r.body["hover"]["markdown"]
            .as_str()
            .unwrap_or("")
            .contains("upper("),
        "{}",
        r.text
    );
    // A broken test file is a diagnostic too.
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/check",
            json!({"files": {"tests/smoke_fr.test": "@test x\nsay hello\n"}}),
        )
        .await;
    let d = with_code(&r.body, "test-file");
    assert_eq!(d.len(), 1, "{}", r.text);
    assert_eq!(d[0]["file"], "tests/smoke_fr.test");
    assert_eq!(d[0]["line"], 2);
}

#[tokio::test]
async fn a_save_with_an_error_is_refused_and_the_file_unchanged() {
    let t = studio_app().await;
    let sophie = sign_in(&t, "sophie").await;
    let before = bot_file(&t, "smalltalk.flow");
    let broken = before.replace(
        "Je peux vous aider pour ces démarches.",
        "Je peux vous aider pour {ces_demarches}.",
    );
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/save",
            json!({"path": "smalltalk.flow", "text": broken, "hash": hash(&before)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.code(), "bot_has_errors");
    assert!(r.body["errors"].as_u64().unwrap() >= 1);
    assert!(r.body["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["file"] == "smalltalk.flow" && d["severity"] == "error"));
    assert_eq!(bot_file(&t, "smalltalk.flow"), before);

    // A test file that does not read is refused too.
    let test = bot_file(&t, "tests/smoke_fr.test");
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/save",
            json!({"path": "tests/smoke_fr.test", "text": "@test x\nsay hello\n", "hash": hash(&test)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(bot_file(&t, "tests/smoke_fr.test"), test);

    // The page loaded another version: 409 with the file's hash.
    let edited = before.replace("Je peux vous aider", "Je peux vous aider aussi");
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/save",
            json!({"path": "smalltalk.flow", "text": edited, "hash": hash("what someone else saw")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.code(), "changed_on_disk");
    assert_eq!(r.body["hash"], hash(&before));
    assert_eq!(bot_file(&t, "smalltalk.flow"), before);
}

#[tokio::test]
async fn a_save_is_served_to_citizens_at_their_next_turn() {
    let t = studio_app().await;
    let sophie = sign_in(&t, "sophie").await;
    let mut chat = Chat::open(&t, "fr").await;
    let r = chat.say("aide").await;
    assert!(r.says().iter().any(|s| s.starts_with("Je peux vous aider")));

    let before = bot_file(&t, "smalltalk.flow");
    let edited = before.replace(
        "Je peux vous aider pour ces démarches.",
        "Le studio a changé cette phrase.",
    );
    assert_ne!(before, edited);
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        let file = t.app.config.bot_dir.join("smalltalk.flow");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        0o640
    };
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/save",
            json!({"path": "smalltalk.flow", "text": edited, "hash": hash(&before)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["hash"], hash(&edited));
    assert_eq!(r.body["reload"]["loaded"], true, "{}", r.text);
    assert_eq!(bot_file(&t, "smalltalk.flow"), edited);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(t.app.config.bot_dir.join("smalltalk.flow")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, mode);
    }
    let r = chat.say("aide").await;
    assert!(
        r.says().iter().any(|s| s.starts_with("Le studio a changé")),
        "{:?}",
        r.says()
    );
    // The file list gives the new hash: the page's next save goes from it.
    let list = sophie.get(&t, "/staff/api/studio/files").await;
    let entry = list.body["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "smalltalk.flow")
        .unwrap()
        .clone();
    assert_eq!(entry["hash"], hash(&edited));
}

#[tokio::test]
async fn the_trial_chat_runs_the_unsaved_bot_with_its_trace() {
    let t = studio_app().await;
    let sophie = sign_in(&t, "sophie").await;
    let before = bot_file(&t, "smalltalk.flow");
    let unsaved = before.replace(
        "Je peux vous aider pour ces démarches.",
        "Version d'essai de l'aide.",
    );
    let files = json!({"smalltalk.flow": unsaved});
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/trial",
            json!({"files": files, "lang": "fr", "now": "2025-04-14T10:00", "input": {"start": true}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let trial = r.body["trial"].as_str().unwrap().to_string();
    assert_eq!(r.body["now"], "2025-04-14T10:00");
    let says = |r: &crate::support::Reply| -> Vec<String> {
        r.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "say")
            .map(|e| e["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(says(&r)[0].starts_with("Bonjour et bienvenue"));
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/trial",
            json!({"files": files, "trial": trial, "input": {"text": "aide"}}),
        )
        .await;
    assert_eq!(says(&r), ["Version d'essai de l'aide. Vous pouvez aussi me poser une question (horaires, carte d'identité...) ou demander à parler à quelqu'un."]);
    let trace: Vec<&str> = r.body["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        trace
            .iter()
            .any(|l| l.contains("trigger") && l.contains("aide")),
        "{trace:?}"
    );
    // A slot not filled says why in the trace; an action waits for the page.
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/trial",
            json!({"files": files, "trial": trial, "input": {"text": "où en est ma demande ?"}}),
        )
        .await;
    assert!(
        says(&r).iter().any(|s| s.contains("référence")),
        "{}",
        r.text
    );
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/trial",
            json!({"files": files, "trial": trial, "input": {"text": "CR-2025-0042"}}),
        )
        .await;
    assert_eq!(
        r.body["pending_action"]["name"], "get_request_status",
        "{}",
        r.text
    );
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/trial",
            json!({"files": files, "trial": trial,
                   "input": {"ok": {"status": "en cours", "updated": "2025-04-10"}}}),
        )
        .await;
    assert!(
        says(&r).iter().any(|s| s.contains("en cours")),
        "{}",
        r.text
    );
    // The trial never touched the conversation store or the demo back
    // office; citizens still get the saved bot.
    let db = rusqlite::Connection::open(t.dir.path().join("guichet.db")).unwrap();
    for table in ["conversations", "events", "demo_requests"] {
        let n: i64 = db
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{table}");
    }
    let mut chat = Chat::open(&t, "fr").await;
    let c = chat.say("aide").await;
    assert!(c.says().iter().any(|s| s.starts_with("Je peux vous aider")));

    // An edited bot with an error cannot be tried: its diagnostics say why.
    let broken = before.replace(
        "Je peux vous aider pour ces démarches.",
        "Je peux vous aider pour {ces_demarches}.",
    );
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/trial",
            json!({"files": {"smalltalk.flow": broken}, "trial": trial, "input": {"text": "aide"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!with_code(&r.body, "unknown-name").is_empty(), "{}", r.text);

    // Reset: the trial is forgotten; another member of staff cannot use it.
    let luc = sign_in(&t, "luc").await;
    let r = luc
        .post(
            &t,
            "/staff/api/studio/trial",
            json!({"trial": trial, "input": {"text": "aide"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = sophie
        .post(&t, "/staff/api/studio/trial/reset", json!({"trial": trial}))
        .await;
    assert_eq!(r.body["forgotten"], true);
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/trial",
            json!({"trial": trial, "input": {"text": "aide"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "unknown_trial");
}

#[tokio::test]
async fn the_tests_of_the_edited_bot_run_with_expected_and_got() {
    let t = studio_app().await;
    let sophie = sign_in(&t, "sophie").await;
    let r = sophie
        .post(&t, "/staff/api/studio/tests", json!({"files": {}}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["failed"], 0, "{}", r.text);
    assert!(r.body["passed"].as_u64().unwrap() > 20);

    // The bot's help text changed, unsaved: the test expecting the old
    // one fails, with its step and what the bot said.
    let help = bot_file(&t, "smalltalk.flow").replace(
        "Je peux vous aider pour ces démarches.",
        "Voici ce que je sais faire.",
    );
    let test = "@test l'aide\n@lang fr\n> aide\n< je peux vous aider\n";
    let r = sophie
        .post(
            &t,
            "/staff/api/studio/tests",
            json!({"files": {"smalltalk.flow": help, "tests/smoke_fr.test": test}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // This test, and the sample's own test of the help.
    let failed: Vec<&Value> = r.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| !x["failure"].is_null())
        .collect();
    let files: Vec<&str> = failed.iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(
        files,
        ["tests/faq.test", "tests/smoke_fr.test"],
        "{}",
        r.text
    );
    assert_eq!(r.body["failed"], 2);
    let failed = failed[1];
    assert_eq!(failed["file"], "tests/smoke_fr.test");
    assert_eq!(failed["name"], "l'aide");
    assert_eq!(failed["failure"]["line"], 4);
    assert_eq!(failed["failure"]["step"], "< je peux vous aider");
    assert!(failed["failure"]["got"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["type"] == "say" && e["text"].as_str().unwrap().starts_with("Voici ce que")));
}
