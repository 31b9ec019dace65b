//! Learning from what the bot did not understand: the stored messages
//! (masked) grouped by similarity, each group matched again against the
//! bot being served (a later version may now answer it), and what a flow
//! author can add for the others: a trigger and a conversation test.

use crate::runtime::{Event, Expecting, Input};
use crate::serve::store::stats::UnmatchedRow;
use crate::understand::matcher::{Explain, MATCH_THRESHOLD};
use crate::understand::normalize::{fold, Input as Message};
use crate::values::Lang;
use crate::Bot;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Messages this alike (trigram overlap of their folded words) go together.
const SIMILAR: f64 = 0.5;

/// Messages that read alike.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The newest message of the group, as stored (masked).
    pub text: String,
    /// Every message of the group, newest first.
    pub messages: Vec<String>,
    pub count: usize,
    pub lang: String,
    /// The flow the messages came closest to when they were sent, and the
    /// best score.
    pub closest: Option<String>,
    pub score: f64,
    /// Whether two flows matched nearly as well (misread rather than not
    /// understood).
    pub ambiguous: bool,
    pub last_day: String,
    /// The flow the bot being served starts for this message now, if any:
    /// a later version answers it.
    pub answered_by: Option<String>,
    /// What to add to the bot, for a group not answered yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
}

/// A trigger and a conversation test for a flow author.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub flow: String,
    /// `fr: "..."`, to add to the flow's `triggers`.
    pub trigger: String,
    /// Lines of a `.test` file: the message starts the flow.
    pub test: String,
}

/// The words of a message without its masks (`[email]`...).
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_mask = false;
    let mut current = String::new();
    for c in fold(text).chars() {
        match c {
            '[' => {
                in_mask = true;
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            ']' => in_mask = false,
            c if in_mask => {
                let _ = c;
            }
            c if c.is_alphanumeric() || c == '\'' || c == '-' => current.push(c),
            _ => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn trigrams(words: &[String]) -> BTreeSet<String> {
    let joined = format!(" {} ", words.join(" "));
    let chars: Vec<char> = joined.chars().collect();
    chars
        .windows(3)
        .map(|w| w.iter().collect::<String>())
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.intersection(b).count() as f64;
    common / (a.len() + b.len()) as f64 * 2.0
}

/// The flow the bot starts for this message now, if one matches clearly.
pub fn answered_by(bot: &Bot, text: &str, lang: Option<Lang>) -> Option<String> {
    let program = bot.program();
    let input = Message::new(text);
    let matches = program
        .triggers
        .find_match_or_suggestions(&input, lang, 2, Explain::No);
    let first = matches.first().filter(|m| m.score >= MATCH_THRESHOLD)?;
    if let Some(second) = matches.get(1) {
        if second.score >= MATCH_THRESHOLD && first.score - second.score < 0.05 {
            return None;
        }
    }
    let flow = program.trigger_flows.get(first.spec)?;
    program.flows.get(*flow).map(|f| f.name.clone())
}

/// Groups messages alike, newest first; each group is matched against
/// `bot` when there is one.
pub fn group(rows: &[UnmatchedRow], bot: Option<&Bot>) -> Vec<Group> {
    let mut groups: Vec<(BTreeSet<String>, Group)> = Vec::new();
    for row in rows {
        let w = words(&row.text);
        let grams = trigrams(&w);
        let found = groups
            .iter_mut()
            .find(|(g, group)| group.lang == row.lang && jaccard(g, &grams) >= SIMILAR);
        match found {
            Some((_, g)) => {
                g.count += 1;
                g.messages.push(row.text.clone());
                if row.score > g.score {
                    g.score = row.score;
                    g.closest = row.closest.clone().or(g.closest.take());
                }
                g.ambiguous |= row.ambiguous;
            }
            None => groups.push((
                grams,
                Group {
                    text: row.text.clone(),
                    messages: vec![row.text.clone()],
                    count: 1,
                    lang: row.lang.clone(),
                    closest: row.closest.clone(),
                    score: row.score,
                    ambiguous: row.ambiguous,
                    last_day: row.day.clone(),
                    answered_by: None,
                    suggestion: None,
                },
            )),
        }
    }
    let mut out: Vec<Group> = groups.into_iter().map(|(_, g)| g).collect();
    if let Some(bot) = bot {
        for g in &mut out {
            let lang = g.lang.parse().ok();
            g.answered_by = answered_by(bot, &g.text, lang);
            if g.answered_by.is_none() {
                g.suggestion = g
                    .closest
                    .clone()
                    .and_then(|flow| suggest(bot, &g.text, &g.lang, &flow));
            }
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then(b.last_day.cmp(&a.last_day)));
    out
}

/// The trigger phrase for a message: its words, lower case, masks and the
/// pattern syntax's characters left out.
pub fn trigger_phrase(text: &str) -> String {
    let mut out = String::new();
    let mut in_mask = false;
    for c in text.to_lowercase().chars() {
        match c {
            '[' => {
                in_mask = true;
                out.push(' ');
            }
            ']' => in_mask = false,
            _ if in_mask => {}
            c if c.is_alphanumeric() || c == '\'' || c == '-' => out.push(c),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How the bot answers when `flow` is started by its button, in `lang`:
/// the `.test` lines that check the same happens for the message.
fn expectations(bot: &Bot, flow: &str, lang: Lang) -> Vec<String> {
    let now = chrono::NaiveDate::from_ymd_opt(2025, 1, 6)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    let mut session = bot.new_session(Some(lang), 0);
    // As if the flow's button had been shown: only an offered press counts.
    session.offered.push(flow.into());
    let events = bot.turn(&mut session, Input::Button(flow.to_string()), now);
    let mut lines = Vec::new();
    if let Some(Event::Say { text, .. }) = events.iter().find(|e| matches!(e, Event::Say { .. })) {
        let words: Vec<&str> = text.split_whitespace().take(6).collect();
        if !words.is_empty() {
            lines.push(format!("< {}", words.join(" ")));
        }
    }
    if let Some(Event::TurnEnd { expecting, .. }) = events.last() {
        lines.push(match expecting {
            Some(Expecting::Slot { name, .. }) => format!("? slot {name}"),
            Some(Expecting::Confirmation) => "? confirmation".into(),
            Some(Expecting::ActionResult { .. }) => "? action".into(),
            None => "? nothing".into(),
        });
    }
    lines
}

/// A trigger for `flow` and a test that the message starts it.
pub fn suggest(bot: &Bot, text: &str, lang: &str, flow: &str) -> Option<Suggestion> {
    bot.program().flow(flow)?;
    let phrase = trigger_phrase(text);
    if phrase.is_empty() {
        return None;
    }
    let l: Lang = lang.parse().unwrap_or(bot.program().default_lang);
    let mut test = vec![
        format!("@test understood: {phrase}"),
        format!("@lang {l}"),
        format!("> {}", text.replace('\n', " ")),
    ];
    test.extend(expectations(bot, flow, l));
    Some(Suggestion {
        flow: flow.to_string(),
        trigger: format!("{l}: \"{phrase}\""),
        test: test.join("\n"),
    })
}

/// Groups by their flow, for the text of `guichet suggest`.
pub fn by_flow(groups: &[Group]) -> BTreeMap<String, Vec<&Group>> {
    let mut out: BTreeMap<String, Vec<&Group>> = BTreeMap::new();
    for g in groups {
        if let Some(s) = &g.suggestion {
            out.entry(s.flow.clone()).or_default().push(g);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(text: &str, closest: &str, score: f64) -> UnmatchedRow {
        UnmatchedRow {
            at_ms: 0,
            day: "2026-03-10".into(),
            lang: "fr".into(),
            channel: "web".into(),
            text: text.into(),
            closest: Some(closest.into()),
            score,
            ambiguous: false,
        }
    }

    #[test]
    fn alike_messages_group_and_masks_do_not_count() {
        let rows = [
            row("je voudrais un permis de bâtir", "a", 0.3),
            row("Je voudrais un permis de batir svp", "a", 0.4),
            row("horaires de la piscine", "b", 0.2),
            row("je voudrais un permis de bâtir, [name]", "a", 0.35),
        ];
        let groups = group(&rows, None);
        assert_eq!(groups.len(), 2, "{groups:#?}");
        assert_eq!(groups[0].count, 3);
        assert_eq!(groups[0].score, 0.4);
        assert_eq!(groups[1].text, "horaires de la piscine");
    }

    #[test]
    fn a_trigger_phrase_has_no_pattern_syntax() {
        assert_eq!(
            trigger_phrase("Où payer (vite) ma carte* riverain [iban] ?"),
            "où payer vite ma carte riverain"
        );
        assert_eq!(trigger_phrase("[email]"), "");
    }
}
