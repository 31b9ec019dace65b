//! The bot studio at `/staff/studio` (`guichet serve --studio`): staff who
//! do not install an editor open the bot's files in the browser, see the
//! language server's diagnostics, completion and hover as they type, try
//! the edited bot in a chat with its trace, run the conversation tests,
//! and save a file when the whole bot still checks.
//!
//! Every page and API answer needs a signed-in member of staff with the
//! `studio` permission (a `studio` entry in the account's services, or
//! `*`); every POST carries the session's CSRF token. The page's unsaved
//! texts travel with each request (`files`: path → text) and live only in
//! that member of staff's workspace: nothing but a save touches the
//! folder, and nothing here touches the conversation store or the bot
//! citizens talk to, which the server's reload replaces after a save.

pub mod edits;
pub mod files;
pub mod runner;
pub mod save;
pub mod trial;

use crate::analysis::Position;
use crate::serve::api::extract::JsonBody;
use crate::serve::app::App;
use crate::serve::assets;
use crate::serve::clock::random_text;
use crate::serve::error::ApiError;
use crate::serve::staff::auth::signed_in;
use crate::serve::staff::{StaffAction, StaffUser};
use crate::values::Lang;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use edits::{Editing, Report, Unsaved};
use files::{hash, BadPath, BotFolder, FileKind};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use trial::{TrialError, TrialInput, Trials};

/// The permission, written among an account's services.
pub const PERMISSION: &str = "studio";

/// A request body: a bot's files travel whole.
const BODY_BYTES: usize = 4 << 20;

/// The grammars the page highlights with: the editors' own.
const FLOW_GRAMMAR: &str = include_str!("../../../editors/guichet.tmLanguage.json");
const TEST_GRAMMAR: &str = include_str!("../../../editors/guichet-test.tmLanguage.json");

pub struct Studio {
    editing: Editing,
    trials: Trials,
    /// One save at a time, each checked against the folder the one before
    /// left.
    saving: tokio::sync::Mutex<()>,
}

/// The studio's routes; none when `--studio` is off.
pub fn routes(app: &Arc<App>) -> Router<Arc<App>> {
    if !app.config.studio {
        return Router::new();
    }
    let folder = match BotFolder::new(&app.config.bot_dir) {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "the bot's folder cannot be resolved: the studio is off");
            return Router::new();
        }
    };
    let studio = Arc::new(Studio {
        editing: Editing::new(folder),
        trials: Trials::default(),
        saving: tokio::sync::Mutex::new(()),
    });
    let api = Router::new()
        .route("/files", get(list))
        .route("/file", get(read))
        .route("/check", post(check))
        .route("/complete", post(complete))
        .route("/hover", post(hover))
        .route("/trial", post(trial))
        .route("/trial/reset", post(reset))
        .route("/tests", post(run_tests))
        .route("/save", post(save));
    Router::new()
        .nest("/staff/api/studio", api)
        .route("/staff/studio", get(page))
        .route("/staff/studio/", get(page))
        .route("/staff/studio/{file}", get(asset))
        .layer(Extension(studio))
        .layer(DefaultBodyLimit::max(BODY_BYTES))
}

/// Whether a member of staff may use the studio.
pub fn may_use(user: &StaffUser) -> bool {
    user.services.iter().any(|s| s == "*" || s == PERMISSION)
}

fn allowed(user: &StaffUser) -> Result<(), Refusal> {
    if may_use(user) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("not_allowed").into())
    }
}

/// Why a studio request is refused.
pub enum Refusal {
    Api(ApiError),
    /// 400 `bad_path`: outside the bot's folder, or not a bot file.
    BadPath(String),
    /// 404 `no_such_file`.
    NoSuchFile(String),
    /// 422 `bot_has_errors`, with the whole bot's diagnostics.
    Errors(&'static str, Arc<Report>),
    /// 409 `changed_on_disk`: the file is not the one the page loaded.
    Changed {
        hash: String,
    },
    /// 404 `unknown_trial`, 409 `no_pending_action`.
    Trial(TrialError),
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Refusal {
        Refusal::Api(e)
    }
}

impl From<BadPath> for Refusal {
    fn from(e: BadPath) -> Refusal {
        if e.0.contains("no such file") {
            Refusal::NoSuchFile(e.0)
        } else {
            Refusal::BadPath(e.0)
        }
    }
}

fn error_body(code: &str, message: &str) -> Value {
    json!({"error": {"code": code, "message": message}})
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Refusal::Api(e) => return e.into_response(),
            Refusal::BadPath(m) => (StatusCode::BAD_REQUEST, error_body("bad_path", &m)),
            Refusal::NoSuchFile(m) => (StatusCode::NOT_FOUND, error_body("no_such_file", &m)),
            Refusal::Errors(message, report) => {
                let mut body = error_body("bot_has_errors", message);
                if let (Some(o), Ok(Value::Object(r))) =
                    (body.as_object_mut(), serde_json::to_value(&*report))
                {
                    o.extend(r);
                }
                (StatusCode::UNPROCESSABLE_ENTITY, body)
            }
            Refusal::Changed { hash } => {
                let mut body = error_body(
                    "changed_on_disk",
                    "the file changed since it was opened: load it again (your text stays in the page)",
                );
                body["hash"] = json!(hash);
                (StatusCode::CONFLICT, body)
            }
            Refusal::Trial(TrialError::Unknown) => (
                StatusCode::NOT_FOUND,
                error_body(
                    "unknown_trial",
                    "this trial conversation is over: start a new one",
                ),
            ),
            Refusal::Trial(TrialError::NoPendingAction) => (
                StatusCode::CONFLICT,
                error_body("no_pending_action", "the bot waits for no action"),
            ),
        };
        let mut r = (status, Json(body)).into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}

fn parse<T: DeserializeOwned>(body: Value) -> Result<T, Refusal> {
    serde_json::from_value(body).map_err(|e| ApiError::BadInput(e.to_string()).into())
}

/// Runs analysis, building and file work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Refusal> + Send + 'static,
) -> Result<T, Refusal> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Refusal::Api(ApiError::Internal(e.to_string())))?
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The sign-in page, which comes back here.
const SIGN_IN_THEN_STUDIO: &str = "/staff/login?next=/staff/studio";

async fn page(State(app): State<Arc<App>>, req: Request) -> Response {
    let user = match signed_in(&app, req.headers()).await {
        Ok(user) => user,
        Err(ApiError::NotSignedIn) => return Redirect::to(SIGN_IN_THEN_STUDIO).into_response(),
        Err(e) => return e.into_response(),
    };
    if !may_use(&user) {
        let mut r = (
            StatusCode::FORBIDDEN,
            "This account may not use the bot studio: it needs the `studio` permission.\n",
        )
            .into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return r;
    }
    match assets::file("studio/index.html", req.headers()) {
        Some(r) => no_store(r),
        None => ApiError::NotFound.into_response(),
    }
}

/// The page's script, style and grammars.
async fn asset(user: StaffUser, Path(file): Path<String>, req: Request) -> Response {
    if let Err(e) = allowed(&user) {
        return e.into_response();
    }
    let grammar = match file.as_str() {
        "guichet.tmLanguage.json" => Some(FLOW_GRAMMAR),
        "guichet-test.tmLanguage.json" => Some(TEST_GRAMMAR),
        _ => None,
    };
    if let Some(text) = grammar {
        let mut r = text.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return no_store(r);
    }
    if !matches!(
        file.as_str(),
        "studio.js" | "studio.css" | "editor.js" | "highlight.js"
    ) {
        return ApiError::NotFound.into_response();
    }
    match assets::file(&format!("studio/{file}"), req.headers()) {
        Some(r) => no_store(r),
        None => ApiError::NotFound.into_response(),
    }
}

/// `GET /staff/api/studio/files`: the bot's files.
async fn list(
    State(app): State<Arc<App>>,
    Extension(studio): Extension<Arc<Studio>>,
    user: StaffUser,
) -> Result<Json<Value>, Refusal> {
    allowed(&user)?;
    let texts = blocking(move || Ok(studio.editing.folder.read_all())).await?;
    let files: Vec<Value> = texts
        .iter()
        .map(|(path, text)| {
            json!({
                "path": path,
                "kind": FileKind::of(path).map(FileKind::name),
                "hash": hash(text),
            })
        })
        .collect();
    let bot = app.service.bots().get();
    Ok(Json(json!({
        "bot": bot.program().name,
        "languages": bot.languages().iter().map(|l| l.code()).collect::<Vec<_>>(),
        "files": files,
    })))
}

#[derive(Deserialize)]
struct FileQuery {
    path: String,
}

/// `GET /staff/api/studio/file?path=creche.flow`: a file's text and hash.
async fn read(
    Extension(studio): Extension<Arc<Studio>>,
    user: StaffUser,
    Query(q): Query<FileQuery>,
) -> Result<Response, Refusal> {
    allowed(&user)?;
    let body = blocking(move || {
        let path = studio.editing.folder.resolve(&q.path)?;
        let text = std::fs::read_to_string(&path).map_err(|e| {
            ApiError::BadInput(format!("{} cannot be read as UTF-8 text: {e}", q.path))
        })?;
        Ok(json!({
            "path": q.path,
            "kind": FileKind::of(&q.path).map(FileKind::name),
            "hash": hash(&text),
            "text": text,
        }))
    })
    .await?;
    Ok(no_store(Json(body).into_response()))
}

#[derive(Deserialize)]
struct Edited {
    #[serde(default)]
    files: Unsaved,
}

/// `POST /staff/api/studio/check` with `{"files": {path: text}}`: the
/// whole edited bot's diagnostics, as `check --format json` gives them.
async fn check(
    Extension(studio): Extension<Arc<Studio>>,
    StaffAction(user): StaffAction,
    JsonBody(body): JsonBody,
) -> Result<Json<Report>, Refusal> {
    allowed(&user)?;
    let edited: Edited = parse(body)?;
    let report = blocking(move || {
        let texts = studio.editing.texts(&edited.files)?;
        let desk = studio.editing.desk(&user.login, &texts);
        let mut ws = desk.lock().unwrap_or_else(|e| e.into_inner());
        Ok(studio.editing.report(&mut ws))
    })
    .await?;
    Ok(Json(report))
}

#[derive(Deserialize)]
struct At {
    #[serde(default)]
    files: Unsaved,
    file: String,
    position: Position,
}

/// Brings the member of staff's workspace to the edited texts and runs `f`
/// on it for one file.
async fn at_position<T: Send + 'static>(
    studio: Arc<Studio>,
    user: StaffUser,
    body: Value,
    f: impl FnOnce(&mut crate::analysis::Workspace, &str, Position) -> T + Send + 'static,
) -> Result<T, Refusal> {
    allowed(&user)?;
    let at: At = parse(body)?;
    blocking(move || {
        files::check_relative(&at.file)?;
        let texts = studio.editing.texts(&at.files)?;
        if !texts.contains_key(&at.file) {
            return Err(Refusal::NoSuchFile(format!(
                "{}: no such file in the bot's folder",
                at.file
            )));
        }
        let desk = studio.editing.desk(&user.login, &texts);
        let mut ws = desk.lock().unwrap_or_else(|e| e.into_inner());
        let name = studio.editing.folder.source_name(&at.file);
        Ok(f(&mut ws, &name, at.position))
    })
    .await
}

/// `POST /staff/api/studio/complete` with `{"files", "file", "position":
/// {"line", "character"}}` (0-based, UTF-16): what may be written there.
async fn complete(
    Extension(studio): Extension<Arc<Studio>>,
    StaffAction(user): StaffAction,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, Refusal> {
    let items = at_position(studio, user, body, |ws, file, pos| ws.completion(file, pos)).await?;
    Ok(Json(json!({ "items": items })))
}

/// `POST /staff/api/studio/hover`: the documentation of what is under the
/// position, or `null`.
async fn hover(
    Extension(studio): Extension<Arc<Studio>>,
    StaffAction(user): StaffAction,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, Refusal> {
    let found = at_position(studio, user, body, |ws, file, pos| ws.hover(file, pos)).await?;
    Ok(Json(json!({ "hover": found })))
}

#[derive(Deserialize)]
struct TrialRequest {
    #[serde(default)]
    files: Unsaved,
    trial: Option<String>,
    lang: Option<String>,
    /// A fixed clock, `2025-04-14T10:00`; the server's clock otherwise.
    now: Option<String>,
    input: Value,
}

/// `POST /staff/api/studio/trial`: one turn of a trial conversation with
/// the edited bot, with its trace.
async fn trial(
    State(app): State<Arc<App>>,
    Extension(studio): Extension<Arc<Studio>>,
    StaffAction(user): StaffAction,
    JsonBody(body): JsonBody,
) -> Result<Json<trial::TrialTurn>, Refusal> {
    allowed(&user)?;
    let req: TrialRequest = parse(body)?;
    let input = TrialInput::from_json(&req.input).map_err(ApiError::BadInput)?;
    if let TrialInput::Text(t) = &input {
        let chars = t.chars().count();
        let limit = app.config.limits.text_chars;
        if chars > limit {
            return Err(ApiError::TextTooLong { chars, limit }.into());
        }
    }
    let lang = req
        .lang
        .as_deref()
        .filter(|l| !l.is_empty() && *l != "auto")
        .map(str::parse::<Lang>)
        .transpose()
        .map_err(ApiError::BadInput)?;
    let now = match req.now.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => trial::parse_clock(s).map_err(ApiError::BadInput)?,
        None => app.service.clock().local(),
    };
    let new_id = random_text(app.service.random().as_ref(), 16);
    let turn = blocking(move || {
        let texts = studio.editing.texts(&req.files)?;
        let bot = studio.editing.bot(&texts).map_err(|report| {
            Refusal::Errors("the edited bot has errors: fix them to try it", report)
        })?;
        studio
            .trials
            .turn(
                &bot,
                &user.login,
                req.trial.as_deref(),
                new_id,
                lang,
                input,
                now,
            )
            .map_err(Refusal::Trial)
    })
    .await?;
    Ok(Json(turn))
}

#[derive(Deserialize)]
struct ResetRequest {
    trial: String,
}

/// `POST /staff/api/studio/trial/reset` with `{"trial"}`: forgets it.
async fn reset(
    Extension(studio): Extension<Arc<Studio>>,
    StaffAction(user): StaffAction,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, Refusal> {
    allowed(&user)?;
    let req: ResetRequest = parse(body)?;
    let forgotten = studio.trials.forget(&user.login, &req.trial);
    Ok(Json(json!({ "forgotten": forgotten })))
}

/// `POST /staff/api/studio/tests` with `{"files"}`: runs the edited
/// conversation tests against the edited bot.
async fn run_tests(
    Extension(studio): Extension<Arc<Studio>>,
    StaffAction(user): StaffAction,
    JsonBody(body): JsonBody,
) -> Result<Json<runner::TestRun>, Refusal> {
    allowed(&user)?;
    let edited: Edited = parse(body)?;
    let run = blocking(move || {
        let texts = studio.editing.texts(&edited.files)?;
        let bot = studio.editing.bot(&texts).map_err(|report| {
            Refusal::Errors(
                "the edited bot has errors: fix them to run the tests",
                report,
            )
        })?;
        Ok(runner::run_all(&bot, &texts))
    })
    .await?;
    Ok(Json(run))
}

/// `POST /staff/api/studio/save` with `{"path", "text", "hash"}`: writes
/// the file when the whole bot checks with it (422 with the diagnostics
/// otherwise) and the file is still the one the page loaded (409
/// otherwise); then reloads the bot citizens talk to.
async fn save(
    State(app): State<Arc<App>>,
    Extension(studio): Extension<Arc<Studio>>,
    StaffAction(user): StaffAction,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, Refusal> {
    allowed(&user)?;
    let req: save::SaveRequest = parse(body)?;
    let _one_at_a_time = studio.saving.lock().await;
    let s = studio.clone();
    let saved = blocking(move || save::write_checked(&s.editing, &user.login, &req)).await?;
    let a = app.clone();
    let reloaded = blocking(move || Ok(crate::serve::reload::reload(&a))).await?;
    let reload = match reloaded {
        Ok(()) => json!({"loaded": true}),
        Err(refused) => json!({"loaded": false, "message": refused.0}),
    };
    Ok(Json(json!({
        "saved": true,
        "hash": saved.hash,
        "warnings": saved.warnings,
        "reload": reload,
    })))
}
