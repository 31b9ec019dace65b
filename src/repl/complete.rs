//! Tab completion: commands, then each command's first argument.

use super::commands::COMMANDS;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::borrow::Cow;

/// The names that change as the conversation goes: refreshed after every
/// line, since `/reload` and `/flow` change them.
#[derive(Debug, Default, Clone)]
pub struct Names {
    pub flows: Vec<String>,
    pub slots: Vec<String>,
    pub langs: Vec<String>,
}

pub struct ReplHelper {
    pub names: Names,
    pub colour: bool,
    files: FilenameCompleter,
}

impl ReplHelper {
    pub fn new(colour: bool) -> ReplHelper {
        ReplHelper {
            names: Names::default(),
            colour,
            files: FilenameCompleter::new(),
        }
    }
}

fn pairs<'a>(options: impl IntoIterator<Item = &'a str>, prefix: &str) -> Vec<Pair> {
    options
        .into_iter()
        .filter(|o| o.starts_with(prefix))
        .map(|o| Pair {
            display: o.to_string(),
            replacement: o.to_string(),
        })
        .collect()
}

/// Completion without the line editor, so that tests can reach it.
pub fn candidates(names: &Names, before: &str) -> Option<(usize, Vec<Pair>)> {
    if !before.starts_with('/') {
        return None;
    }
    let Some(space) = before.find(' ') else {
        let mut found = pairs(COMMANDS.iter().map(|(n, _, _)| *n), before);
        // A command that takes arguments gets its space, so Tab goes on.
        for p in &mut found {
            if COMMANDS
                .iter()
                .any(|(n, a, _)| *n == p.replacement && !a.is_empty())
            {
                p.replacement.push(' ');
            }
        }
        return Some((0, found));
    };
    let (command, rest) = (&before[..space], &before[space + 1..]);
    let start = space + 1;
    let words: Vec<&str> = match command {
        "/flow" => names.flows.iter().map(String::as_str).collect(),
        "/set" => names.slots.iter().map(String::as_str).collect(),
        "/lang" => names.langs.iter().map(String::as_str).collect(),
        "/trace" => vec!["on", "off"],
        "/actions" => vec!["auto", "manual"],
        "/answer" => vec!["ok", "fail"],
        "/now" => vec!["system"],
        _ => return None,
    };
    if rest.contains(' ') {
        return Some((start, Vec::new()));
    }
    let mut found = pairs(words, rest);
    // A slot name is followed by its value.
    if command == "/set" {
        for p in &mut found {
            p.replacement.push(' ');
        }
    }
    Some((start, found))
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line.get(..pos).unwrap_or(line);
        if before.starts_with("/save ") || before.starts_with("/load ") {
            return self.files.complete(line, pos, ctx);
        }
        Ok(candidates(&self.names, before).unwrap_or((pos, Vec::new())))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        default: bool,
    ) -> Cow<'b, str> {
        let _ = default;
        if self.colour {
            Cow::Owned(format!("\x1b[1;32m{prompt}\x1b[0m"))
        } else {
            Cow::Borrowed(prompt)
        }
    }
}

impl Validator for ReplHelper {}

impl Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            flows: vec!["creche_enrolment".into(), "parking".into()],
            slots: vec!["child_birth_date".into(), "start_date".into()],
            langs: vec!["fr".into(), "nl".into()],
        }
    }

    fn words(before: &str) -> Vec<String> {
        candidates(&names(), before)
            .map(|(_, p)| p.into_iter().map(|p| p.replacement).collect())
            .unwrap_or_default()
    }

    #[test]
    fn completes_commands_flows_slots_and_languages() {
        assert_eq!(words("/fl"), vec!["/flow "]);
        assert_eq!(words("/sl"), vec!["/slots"]);
        assert_eq!(words("/flow cr"), vec!["creche_enrolment"]);
        assert_eq!(words("/set s"), vec!["start_date "]);
        assert_eq!(words("/lang n"), vec!["nl"]);
        assert_eq!(candidates(&names(), "/flow pa").map(|c| c.0), Some(6));
        assert!(words("bonjour").is_empty());
    }
}
