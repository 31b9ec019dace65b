//! How the REPL shows things: lines tagged with a style, so that the same
//! output is coloured on a terminal and plain in tests and pipes.

use guichet::runtime::{Button, Event, Expecting};
use serde_json::Value as Json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Bot,
    Buttons,
    Link,
    System,
    Error,
    Trace,
    /// Already rendered text (diagnostics), possibly with its own colours.
    Raw,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub style: Style,
    pub text: String,
}

/// The lines a command or a turn prints.
#[derive(Debug, Default)]
pub struct Output {
    pub lines: Vec<Line>,
}

impl Output {
    pub fn push(&mut self, style: Style, text: impl Into<String>) {
        let text = text.into();
        // Multi-line texts keep their style on every line, so colours do not
        // bleed and the plain output stays line-oriented.
        for l in text.split('\n') {
            self.lines.push(Line {
                style,
                text: l.to_string(),
            });
        }
    }

    pub fn system(&mut self, text: impl Into<String>) {
        self.push(Style::System, text);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.push(Style::Error, text);
    }

    pub fn plain(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            s.push_str(&l.text);
            s.push('\n');
        }
        s
    }

    pub fn coloured(&self, colour: bool) -> String {
        if !colour {
            return self.plain();
        }
        let mut s = String::new();
        for l in &self.lines {
            let code = match l.style {
                Style::Bot => "1;36",
                Style::Buttons => "1;33",
                Style::Link => "4;34",
                Style::System => "2",
                Style::Error => "1;31",
                Style::Trace => "35",
                Style::Raw => "",
            };
            if code.is_empty() || l.text.is_empty() {
                s.push_str(&l.text);
            } else {
                s.push_str(&format!("\x1b[{code}m{}\x1b[0m", l.text));
            }
            s.push('\n');
        }
        s
    }
}

/// Whether to colour: never when `NO_COLOR` is set (whatever its value,
/// as no-color.org asks) or when stdout is not a terminal.
pub fn colour_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
}

/// Buttons as numbered choices, numbered from `first`.
pub fn buttons_line(buttons: &[Button], first: usize) -> String {
    buttons
        .iter()
        .enumerate()
        .map(|(i, b)| format!("[{}] {}", first + i, b.label))
        .collect::<Vec<_>>()
        .join("  ")
}

pub fn compact(json: &Json) -> String {
    serde_json::to_string(json).unwrap_or_else(|_| json.to_string())
}

/// A value for a listing: strings without their quotes.
pub fn show_json(json: &Json) -> String {
    match json {
        Json::String(s) => s.clone(),
        other => compact(other),
    }
}

/// Renders one turn's events. `numbered` is where button numbering goes
/// on: every button shown in the turn gets its own number.
pub fn events(out: &mut Output, events: &[Event], buttons: &mut Vec<Button>) {
    for e in events {
        match e {
            Event::Say {
                text,
                buttons: bs,
                links,
            } => {
                out.push(
                    Style::Bot,
                    format!("bot: {}", text.replace('\n', "\n     ")),
                );
                if !bs.is_empty() {
                    let line = buttons_line(bs, buttons.len() + 1);
                    out.push(Style::Buttons, format!("     {line}"));
                    buttons.extend(bs.iter().cloned());
                }
                for l in links {
                    out.push(Style::Link, format!("     ↗ {}: {}", l.label, l.url));
                }
            }
            Event::Action { id, name, args } => {
                out.system(format!(
                    "⚙ action {id}: {name} {}",
                    compact(&Json::Object(args.clone()))
                ));
            }
            Event::Handoff { reason, summary } => {
                out.system(format!(
                    "⇄ handed over to staff ({reason}): {}",
                    compact(summary)
                ));
            }
            Event::End => out.system("— the bot closed the conversation —"),
            Event::Error { code, message } => out.error(format!("error [{code}]: {message}")),
            Event::TurnEnd { unmatched, .. } => {
                if *unmatched {
                    out.system("(no flow matched this message)");
                }
            }
        }
    }
}

/// What the prompt says the bot waits for.
pub fn expecting(e: &Expecting) -> String {
    match e {
        Expecting::Slot { name, ty } => format!("/{name} ({ty})"),
        Expecting::Confirmation => " (confirm)".to_string(),
        Expecting::ActionResult { id } => format!(" (action {id})"),
    }
}
