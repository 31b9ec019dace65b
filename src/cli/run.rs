//! `guichet run PATH --jsonl`: the host protocol on stdin/stdout.

use super::clock::{parse_now, system_now};
use super::session_file;
use guichet::runtime::{Event, Input, Session, Turn};
use guichet::{Bot, Lang};
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

/// Longest input line read by default, in bytes: far more than any input
/// needs (a citizen's message is cut at 4,000 bytes), small enough that a
/// runaway host cannot make guichet hold gigabytes.
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;

/// Read failures in a row after which stdin is given up (a directory, a
/// closed descriptor): the host hears about it instead of a loop.
const READ_FAILURES_TOLERATED: u32 = 3;

pub struct Options<'a> {
    pub now: Option<&'a str>,
    pub lang: Option<&'a str>,
    pub seed: u64,
    pub session_file: Option<&'a Path>,
    pub max_line_bytes: usize,
    /// Personal data taken out of `turn_end`, hand-over summaries and errors.
    pub redact: bool,
}

pub fn run(path: &Path, options: &Options) -> ExitCode {
    let fixed_now = match options.now.map(parse_now).transpose() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let lang: Option<Lang> = match options.lang.map(str::parse).transpose() {
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
        let e = if options.redact
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

    let mut session = bot.new_session(lang, options.seed);
    if let Some(file) = options.session_file {
        session_file::remove_stale_temporaries(file);
    }
    if let Some(file) = options.session_file.filter(|f| f.exists()) {
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
    let mut lines = LineReader::new(stdin.lock(), options.max_line_bytes);
    let mut failures = 0;
    let mut n = 0;
    loop {
        let read = lines.next_line();
        let now = fixed_now.unwrap_or_else(system_now);
        let line = match read {
            Line::End => break,
            Line::Failed(e) => {
                failures += 1;
                eprintln!("error: stdin is not readable: {e}");
                if failures >= READ_FAILURES_TOLERATED {
                    eprintln!("error: giving up after {failures} failed reads of stdin");
                    return ExitCode::from(1);
                }
                continue;
            }
            Line::TooLong(len) => {
                failures = 0;
                n += 1;
                emit(
                    &mut out,
                    &Event::error(
                        "too_long",
                        format!(
                            "line {n} is {len} bytes long; at most {} are read (--max-line-bytes)",
                            options.max_line_bytes
                        ),
                    ),
                );
                emit(&mut out, &unchanged_turn_end(&bot, &session, now));
                let _ = out.flush();
                continue;
            }
            Line::Read(bytes) => {
                failures = 0;
                n += 1;
                bytes
            }
        };
        let events = match String::from_utf8(line) {
            Err(e) => rejected(
                &bot,
                &session,
                now,
                format!("line {n} is not UTF-8 text: {e}"),
            ),
            Ok(line) if line.trim().is_empty() => rejected(
                &bot,
                &session,
                now,
                format!("line {n} is empty: each line must be one JSON input"),
            ),
            Ok(line) => match Input::from_json_line_with_id(&line) {
                Ok((Some(id), input)) => bot.turn_with_id(&mut session, &id, input, now),
                Ok((None, input)) => bot.turn(&mut session, input, now),
                Err(message) => rejected(&bot, &session, now, format!("line {n}: {message}")),
            },
        };
        let mut events = events;
        let end = events.pop();
        for e in &events {
            emit(&mut out, e);
        }
        // The session is on disk before the host reads `turn_end`.
        if let Some(file) = options.session_file {
            if let Err(e) = session_file::save(file, &session) {
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

/// The answer to a line that is not an input: an error and the unchanged state.
fn rejected(
    bot: &Bot,
    session: &Session,
    now: chrono::NaiveDateTime,
    message: String,
) -> Vec<Event> {
    vec![
        Event::error("bad_input", message),
        unchanged_turn_end(bot, session, now),
    ]
}

fn unchanged_turn_end(bot: &Bot, session: &Session, now: chrono::NaiveDateTime) -> Event {
    Turn::new(bot.program(), session.clone(), now).turn_end()
}

/// One read of an input line.
#[derive(Debug)]
pub enum Line {
    /// The line's bytes, without its newline (nor a `\r` before it).
    Read(Vec<u8>),
    /// The line was longer than the limit: it was read to its newline and
    /// dropped; its length in bytes.
    TooLong(usize),
    Failed(std::io::Error),
    End,
}

/// Reads lines in bounded chunks: a line longer than the limit is skipped
/// as it streams by, never held whole.
pub struct LineReader<R> {
    inner: R,
    limit: usize,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R, limit: usize) -> Self {
        LineReader { inner, limit }
    }

    pub fn next_line(&mut self) -> Line {
        let mut line = Vec::new();
        let mut len = 0usize;
        let mut too_long = false;
        let mut started = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Line::Failed(e),
            };
            if available.is_empty() {
                return match (started, too_long) {
                    (false, _) => Line::End,
                    (true, true) => Line::TooLong(len),
                    (true, false) => Line::Read(strip_cr(line)),
                };
            }
            started = true;
            let newline = available.iter().position(|&b| b == b'\n');
            let chunk = &available[..newline.unwrap_or(available.len())];
            len = len.saturating_add(chunk.len());
            if !too_long {
                if line.len() + chunk.len() > self.limit {
                    too_long = true;
                    line = Vec::new();
                } else {
                    line.extend_from_slice(chunk);
                }
            }
            let used = chunk.len() + usize::from(newline.is_some());
            self.inner.consume(used);
            if newline.is_some() {
                return if too_long {
                    Line::TooLong(len)
                } else {
                    Line::Read(strip_cr(line))
                };
            }
        }
    }
}

fn strip_cr(mut line: Vec<u8>) -> Vec<u8> {
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &[u8], limit: usize) -> Vec<String> {
        let mut r = LineReader::new(std::io::BufReader::with_capacity(4, text), limit);
        let mut out = Vec::new();
        loop {
            match r.next_line() {
                Line::End => return out,
                Line::Read(b) => out.push(String::from_utf8_lossy(&b).into_owned()),
                Line::TooLong(n) => out.push(format!("<too long: {n}>")),
                Line::Failed(e) => out.push(format!("<failed: {e}>")),
            }
        }
    }

    #[test]
    fn lines_are_read_in_chunks_and_long_ones_skipped_to_their_newline() {
        assert_eq!(
            all(b"ab\r\n\nabcdefghij\nxy\nlast", 5),
            ["ab", "", "<too long: 10>", "xy", "last"]
        );
        assert_eq!(all(b"abcdefgh", 5), ["<too long: 8>"]);
        assert_eq!(all(b"", 5), Vec::<String>::new());
    }
}
