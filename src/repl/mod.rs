//! `guichet chat`: the REPL staff use to try a bot's flows.

mod commands;
mod complete;
mod host;
mod render;
#[cfg(test)]
mod tests;

pub use commands::Repl;

use crate::cli::clock::parse_now;
use complete::ReplHelper;
use guichet::{Bot, Lang};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(path: &Path, now: Option<&str>, lang: Option<&str>, seed: u64) -> ExitCode {
    let clock = match now.map(parse_now).transpose() {
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
    let colour = render::colour_wanted();
    let bot = match Bot::from_path(path) {
        Ok(b) => b,
        Err(e) => {
            let err_colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::IsTerminal::is_terminal(&std::io::stderr());
            eprint!(
                "{}",
                guichet::render::render(&e.diagnostics, &e.sources, err_colour)
            );
            return ExitCode::from(1);
        }
    };
    let source = path.to_path_buf();
    let loader = Box::new(move || Bot::from_path(&source));
    let mut repl = Repl::new(bot, loader, lang, seed, clock);
    repl.colour = colour;

    outln!("{}", repl.banner());
    out!("{}", repl.start().coloured(colour));

    let mut editor = match editor(colour) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: the terminal cannot be used for editing: {e}");
            return ExitCode::from(1);
        }
    };
    let history = history_file();
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    loop {
        if let Some(helper) = editor.helper_mut() {
            helper.names = repl.names();
        }
        match editor.readline(&repl.prompt()) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                    if let Some(h) = &history {
                        let _ = editor.save_history(h);
                    }
                }
                let shown = if colour {
                    repl.handle(&line).coloured(true)
                } else {
                    repl.handle_line(&line)
                };
                out!("{shown}");
                if repl.quit_requested() {
                    break;
                }
            }
            // Ctrl-C abandons the line being typed, not the session.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}

fn editor(colour: bool) -> rustyline::Result<Editor<ReplHelper, DefaultHistory>> {
    let config = Config::builder()
        .max_history_size(1000)?
        .history_ignore_dups(true)?
        .history_ignore_space(true)
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut editor = Editor::with_config(config)?;
    editor.set_helper(Some(ReplHelper::new(colour)));
    Ok(editor)
}

/// `$XDG_STATE_HOME/guichet/history`, else `~/.guichet_history`. `None`
/// when neither can be made: the REPL works without history.
fn history_file() -> Option<PathBuf> {
    if let Some(state) = std::env::var_os("XDG_STATE_HOME").filter(|s| !s.is_empty()) {
        let dir = PathBuf::from(state).join("guichet");
        if std::fs::create_dir_all(&dir).is_ok() {
            return Some(dir.join("history"));
        }
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".guichet_history"))
}
