//! `guichet run PATH --jsonl`: the host protocol on stdin/stdout.

use super::clock::{parse_now, system_now};
use guichet::runtime::{Event, Input, Session, Turn};
use guichet::{Bot, Lang};
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

pub fn run(
    path: &Path,
    now: Option<&str>,
    lang: Option<&str>,
    seed: u64,
    session_file: Option<&Path>,
    redact: bool,
) -> ExitCode {
    let fixed_now = match now.map(parse_now).transpose() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let lang: Option<Lang> = match lang.map(str::parse).transpose() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let bot = match Bot::from_path(path) {
        Ok(b) => b,
        Err(e) => {
            let color = std::env::var_os("NO_COLOR").is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stderr());
            eprint!(
                "{}",
                guichet::render::render(&e.diagnostics, &e.sources, color)
            );
            return ExitCode::from(1);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let program = bot.program().clone();
    let emit = |out: &mut std::io::StdoutLock, e: &Event| {
        let redacted;
        let e = if redact
            && matches!(
                e,
                Event::TurnEnd { .. } | Event::Handoff { .. } | Event::Error { .. }
            ) {
            let mut copy = e.clone();
            guichet::privacy::redact_event(&program, &mut copy);
            if let Event::Error { message, .. } = &mut copy {
                // An error may quote the input line.
                *message = guichet::privacy::mask_text(message, system_now(), &|w| {
                    program.triggers.knows(w)
                });
            }
            redacted = copy;
            &redacted
        } else {
            e
        };
        let line = serde_json::to_string(e).unwrap_or_else(|_| {
            r#"{"type":"error","code":"internal","message":"unserialisable event"}"#.into()
        });
        let _ = writeln!(out, "{line}");
    };

    let mut session = bot.new_session(lang, seed);
    if let Some(file) = session_file.filter(|f| f.exists()) {
        match std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|json| bot.restore(&json).map_err(|e| e.0))
        {
            Ok(restored) => {
                session = restored.session;
                if restored.restarted {
                    emit(&mut out, &Event::error("session_restarted", "the bot changed since this session was saved: the conversation starts over"));
                }
            }
            Err(e) => emit(
                &mut out,
                &Event::error(
                    "bad_session",
                    format!("{}: {e}; starting a new conversation", file.display()),
                ),
            ),
        }
    }

    let stdin = std::io::stdin();
    for (n, line) in stdin.lock().lines().enumerate() {
        let now = fixed_now.unwrap_or_else(system_now);
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                emit(
                    &mut out,
                    &Event::error(
                        "bad_input",
                        format!("line {} is not readable text: {e}", n + 1),
                    ),
                );
                emit(&mut out, &unchanged_turn_end(&bot, &session, now));
                let _ = out.flush();
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut events = match Input::from_json_line(&line) {
            Ok(input) => bot.turn(&mut session, input, now),
            Err(message) => vec![
                Event::error("bad_input", format!("line {}: {message}", n + 1)),
                unchanged_turn_end(&bot, &session, now),
            ],
        };
        let end = events.pop();
        for e in &events {
            emit(&mut out, e);
        }
        // The session is on disk before the host reads `turn_end`.
        if let Some(file) = session_file {
            if let Err(e) = save_atomically(file, &session) {
                emit(
                    &mut out,
                    &Event::error("session_not_saved", format!("{}: {e}", file.display())),
                );
            }
        }
        if let Some(end) = end {
            emit(&mut out, &end);
        }
        let _ = out.flush();
    }
    ExitCode::SUCCESS
}

fn unchanged_turn_end(bot: &Bot, session: &Session, now: chrono::NaiveDateTime) -> Event {
    Turn::new(bot.program(), session.clone(), now).turn_end()
}

/// Writes to a temporary file beside the target, then renames it over the
/// target: a reader never sees half a session. The file is readable and
/// writable by its owner only: a session holds what the citizen gave.
pub fn save_atomically(file: &Path, session: &Session) -> std::io::Result<()> {
    let json = serde_json::to_vec(session).map_err(std::io::Error::other)?;
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp)?;
        // A leftover temporary file keeps its old mode: set it again.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        f.write_all(&json)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, file)
}
