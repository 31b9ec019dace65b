//! Triggers and examples, through the same matcher the bot runs with: a
//! pattern that cannot be read, a trigger another flow always wins, and
//! examples that would not reach their own flow.

use super::Checker;
use crate::diagnostics::{Diagnostic, Span};
use crate::syntax::ast::{FlowHeaders, Ident, Item, StrLit};
use crate::understand::matcher::{
    hidden_triggers, BuiltIndex, Explain, Synonyms, TriggerIndex, TriggerSpec, MATCH_THRESHOLD,
};
use crate::understand::Input;
use crate::values::Lang;

/// A flow or FAQ entry with triggers, by its place in `targets`.
struct Target<'a> {
    name: &'a Ident,
    headers: &'a FlowHeaders,
}

/// Checks the triggers and examples, and gives back the index built for
/// it, which the compiler reuses.
pub(super) fn check(c: &mut Checker) -> Option<BuiltIndex> {
    let langs: Vec<Lang> = c.languages.iter().filter_map(|l| l.parse().ok()).collect();
    if langs.is_empty() {
        return None;
    }
    let items = &c.bot.items;
    let mut targets: Vec<Target> = Vec::new();
    let mut synonyms = Synonyms::new();
    for item in items {
        match item {
            // Only the first declaration of a name runs; a duplicate is reported elsewhere.
            Item::Flow(f)
                if c.flows
                    .get(f.name.name.as_str())
                    .is_some_and(|d| std::ptr::eq(*d, f)) =>
            {
                targets.push(Target {
                    name: &f.name,
                    headers: &f.headers,
                })
            }
            Item::Faq(f)
                if c.faqs
                    .get(f.name.name.as_str())
                    .is_some_and(|d| std::ptr::eq(*d, f)) =>
            {
                targets.push(Target {
                    name: &f.name,
                    headers: &f.headers,
                })
            }
            Item::Synonyms(p) => {
                for line in &p.lines {
                    if let Ok(lang) = line.lang.code.parse::<Lang>() {
                        let words: Vec<String> =
                            line.phrases.iter().map(StrLit::literal_text).collect();
                        synonyms.add_group(lang, &words);
                    }
                }
            }
            _ => {}
        }
    }

    // The same specs the compiler builds: stdlib triggers only in the bot's languages.
    let mut specs: Vec<TriggerSpec> = Vec::new();
    let mut spec_strings: Vec<&StrLit> = Vec::new();
    for (t_no, t) in targets.iter().enumerate() {
        for phrases in &t.headers.triggers {
            for line in &phrases.lines {
                let Ok(lang) = line.lang.code.parse::<Lang>() else {
                    continue;
                };
                if !langs.contains(&lang) {
                    continue;
                }
                for s in &line.phrases {
                    specs.push(TriggerSpec {
                        target: t_no,
                        lang,
                        pattern: s.literal_text(),
                    });
                    spec_strings.push(s);
                }
            }
        }
    }
    let (built, errors) = BuiltIndex::build(specs, synonyms);
    let index = &built.index;
    let specs = built.specs();
    for (spec, e) in errors {
        let Some(s) = spec_strings.get(spec) else {
            continue;
        };
        let span = inside(c, s, e.offset);
        c.push(
            Diagnostic::error("bad-pattern", span, format!("this trigger cannot be read: {}", e.message))
                .with_label("here")
                .with_help("in a trigger, `(a|b)` is a choice, `[words]` are optional and `*` allows anything; every bracket must be closed"),
        );
    }

    for (hidden, by) in hidden_triggers(index) {
        let (Some(h), Some(w)) = (specs.get(hidden), specs.get(by)) else {
            continue;
        };
        let (Some(hs), Some(ws)) = (spec_strings.get(hidden), spec_strings.get(by)) else {
            continue;
        };
        if c.is_stdlib(hs.span) {
            continue;
        }
        let (Some(ht), Some(wt)) = (targets.get(h.target), targets.get(w.target)) else {
            continue;
        };
        c.push(
            Diagnostic::warning(
                "hidden-trigger",
                hs.span,
                format!(
                    "this trigger of `{}` never wins: `{}` takes the same words",
                    ht.name.name, wt.name.name
                ),
            )
            .with_label(format!("a citizen writing this reaches `{}`", wt.name.name))
            .with_related(ws.span, format!("this trigger of `{}` wins", wt.name.name))
            .with_help(
                "make one of the two triggers more specific, with words only its flow is about",
            ),
        );
    }

    for (t_no, t) in targets.iter().enumerate() {
        for phrases in &t.headers.examples {
            for line in &phrases.lines {
                let Ok(lang) = line.lang.code.parse::<Lang>() else {
                    continue;
                };
                if !langs.contains(&lang) {
                    continue;
                }
                for ex in &line.phrases {
                    // A bot that takes a stdlib example for one of its own
                    // flows does so on purpose ("hello" in its own greeting).
                    if c.is_stdlib(ex.span) {
                        continue;
                    }
                    example(c, index, &targets, specs, &spec_strings, t_no, lang, ex);
                }
            }
        }
    }
    Some(built)
}

#[allow(clippy::too_many_arguments)]
fn example(
    c: &mut Checker,
    index: &TriggerIndex,
    targets: &[Target],
    specs: &[TriggerSpec],
    spec_strings: &[&StrLit],
    own: usize,
    lang: Lang,
    ex: &StrLit,
) {
    let Some(me) = targets.get(own) else { return };
    let input = Input::new(&ex.literal_text());
    // Every score, however low: the help says how far the example's own flow is.
    let found = index.find_above(&input, Some(lang), 5, 0.0, Explain::Yes);
    let best = found.first().filter(|m| m.score >= MATCH_THRESHOLD);
    match best {
        Some(m) if m.target == own => {}
        Some(m) => {
            let winner = targets
                .get(m.target)
                .map(|t| t.name.name.as_str())
                .unwrap_or("?");
            let mut d = Diagnostic::error(
                "example-stolen",
                ex.span,
                format!(
                    "this example of `{}` starts `{winner}` instead",
                    me.name.name
                ),
            )
            .with_label(format!("reaches `{winner}` (score {:.2})", m.score));
            if let Some(s) = spec_strings.get(m.spec) {
                d = d.with_related(s.span, format!("this trigger of `{winner}` wins"));
            }
            c.push(d.with_help(format!(
                "add a trigger to `{}` with the words of this example, or make `{winner}`'s trigger more specific",
                me.name.name
            )));
        }
        None => {
            let own_score = found.iter().find(|m| m.target == own).map(|m| m.score);
            let has_triggers = specs.iter().any(|s| s.target == own && s.lang == lang);
            let help = if !has_triggers {
                format!(
                    "`{}` has no `{}` trigger: add one that fits this example",
                    me.name.name,
                    lang.code()
                )
            } else {
                match own_score {
                    Some(s) => format!(
                        "its best trigger scores {s:.2}, below the {MATCH_THRESHOLD:.2} needed; add a trigger with the words of this example"
                    ),
                    None => "no trigger of this flow shares a word with it; add a trigger with the words of this example".into(),
                }
            };
            c.push(
                Diagnostic::error(
                    "example-not-matched",
                    ex.span,
                    format!("this example does not reach `{}`", me.name.name),
                )
                .with_label("the bot would not understand this")
                .with_help(help),
            );
        }
    }
}

/// The character at `offset` of a string's text, when the source writes
/// the text as is; the whole string otherwise.
fn inside(c: &Checker, s: &StrLit, offset: usize) -> Span {
    let raw = c.snippet(s.span);
    let body = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'));
    match body {
        Some(body)
            if body == s.literal_text()
                && offset <= body.len()
                && body.is_char_boundary(offset) =>
        {
            let len = body[offset..].chars().next().map_or(0, char::len_utf8);
            let start = s.span.start + 1 + offset;
            Span {
                start,
                end: start + len,
                ..s.span
            }
        }
        _ => s.span,
    }
}
