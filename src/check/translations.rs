//! Every citizen-facing text must exist in each of the bot's languages.

use super::{list_names, suggest, Checker, KNOWN_LANGUAGES};
use crate::diagnostics::{Diagnostic, Span};
use crate::syntax::ast::{LangTag, Phrases, Text};

/// What a list of phrases is for, to word the messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PhraseKind {
    Label,
    Trigger,
    ChoiceOption,
    Synonyms,
    Example,
}

impl PhraseKind {
    fn noun(self) -> &'static str {
        match self {
            PhraseKind::Label => "label",
            PhraseKind::Trigger => "triggers",
            PhraseKind::ChoiceOption => "option",
            PhraseKind::Synonyms => "synonyms",
            PhraseKind::Example => "examples",
        }
    }
}

/// Checks one language tag; false when the line should be ignored.
pub(super) fn lang_tag(c: &mut Checker, tag: &LangTag) -> bool {
    if c.languages.contains(&tag.code) {
        return true;
    }
    // The stdlib carries every language guichet speaks; a bot uses its own.
    if c.is_stdlib(tag.span) && KNOWN_LANGUAGES.contains(&tag.code.as_str()) {
        return false;
    }
    if c.bot_decl.is_none() || c.languages.is_empty() {
        return false;
    }
    let help = if KNOWN_LANGUAGES.contains(&tag.code.as_str()) {
        format!(
            "add `{}` to the bot's `languages` line, or remove this line",
            tag.code
        )
    } else {
        match suggest(&tag.code, c.languages.iter().map(String::as_str)) {
            Some(s) => s,
            None => format!(
                "the bot's languages are {}",
                list_names(c.languages.iter().map(String::as_str))
            ),
        }
    };
    c.push(
        Diagnostic::error(
            "unknown-language",
            tag.span,
            format!("`{}` is not one of the bot's languages", tag.code),
        )
        .with_label("not declared in the `bot` block")
        .with_help(help),
    );
    false
}

// The codes seen borrow from the tree: a text is checked line by line,
// and a bot has one per answer.
fn duplicate_lang<'t>(c: &mut Checker, seen: &mut Vec<(&'t str, Span)>, tag: &'t LangTag) {
    if let Some((_, first)) = seen.iter().find(|(code, _)| *code == tag.code) {
        let first = *first;
        c.push(
            Diagnostic::error(
                "duplicate-language",
                tag.span,
                format!("a second `{}` line", tag.code),
            )
            .with_label("this language has a line already")
            .with_related(first, "first line here")
            .with_help("put the variants on one line, separated by `|` (or `,` for phrases)"),
        );
    } else {
        seen.push((&tag.code, tag.span));
    }
}

fn missing(c: &Checker, present: &[(&str, Span)]) -> Vec<String> {
    c.languages
        .iter()
        .filter(|l| !present.iter().any(|(p, _)| p == l))
        .cloned()
        .collect()
}

fn lines_word(v: &[String]) -> &'static str {
    if v.len() == 1 {
        "line"
    } else {
        "lines"
    }
}

fn and_list(v: &[String]) -> String {
    let quoted: Vec<String> = v.iter().map(|l| format!("`{l}`")).collect();
    match quoted.len() {
        0 | 1 => quoted.join(""),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// Checks the languages of a citizen-facing text (names inside are checked with the flow).
pub(super) fn text(c: &mut Checker, t: &Text) {
    match t {
        Text::Translations(lines, span) => {
            if lines.is_empty() {
                return;
            }
            let mut seen = Vec::new();
            for line in lines {
                lang_tag(c, &line.lang);
                duplicate_lang(c, &mut seen, &line.lang);
            }
            let missing = missing(c, &seen);
            if !missing.is_empty() {
                let example = format!("{}: \"...\"", missing[0]);
                c.push(
                    Diagnostic::warning(
                        "missing-translation",
                        *span,
                        format!(
                            "this text has no {} {}",
                            and_list(&missing),
                            lines_word(&missing)
                        ),
                    )
                    .with_label(format!("missing {}", missing.join(", ")))
                    .with_help(format!(
                        "citizens writing in {} would see nothing; add a line such as `{example}`",
                        and_list(&missing)
                    )),
                );
            }
        }
        Text::Ref(id) => {
            if !c.texts.contains_key(id.name.as_str()) {
                let help = suggest(&id.name, c.texts.keys().copied()).unwrap_or_else(|| {
                    format!("declare it with `text {} fr: \"...\"`, or write the text here with one line per language", id.name)
                });
                c.push(
                    Diagnostic::error(
                        "unknown-text",
                        id.span,
                        format!("there is no text named `{}`", id.name),
                    )
                    .with_label("not a declared `text`")
                    .with_help(help),
                );
            }
        }
        Text::Plain(s) => {
            let has_letters = s.literal_text().chars().any(char::is_alphabetic);
            if c.languages.len() > 1 && has_letters && !c.is_stdlib(s.span) {
                let first = c.languages[0].clone();
                c.push(
                    Diagnostic::warning(
                        "untranslated-text",
                        s.span,
                        "this text has no language, so every citizen reads it as written",
                    )
                    .with_label("the same words in every language")
                    .with_help(format!(
                        "write one line per language, for example `{first}: \"...\"`; a text with no language suits only values such as \"{{reference}}\""
                    )),
                );
            }
        }
    }
}

pub(super) fn phrases(c: &mut Checker, p: &Phrases, kind: PhraseKind) {
    if p.lines.is_empty() {
        return;
    }
    let mut seen = Vec::new();
    for line in &p.lines {
        lang_tag(c, &line.lang);
        if kind != PhraseKind::Synonyms {
            duplicate_lang(c, &mut seen, &line.lang);
        }
    }
    let missing = missing(c, &seen);
    if missing.is_empty() {
        return;
    }
    let span = p.span;
    match kind {
        PhraseKind::Trigger => c.push(
            Diagnostic::warning(
                "missing-trigger-language",
                span,
                format!(
                    "these triggers have no {} {}",
                    and_list(&missing),
                    lines_word(&missing)
                ),
            )
            .with_label(format!("missing {}", missing.join(", ")))
            .with_help(format!(
                "citizens writing in {} cannot start this; add a line such as `{}: \"...\"`",
                and_list(&missing),
                missing[0]
            )),
        ),
        PhraseKind::Label | PhraseKind::ChoiceOption => c.push(
            Diagnostic::warning(
                "missing-translation",
                span,
                format!(
                    "this {} has no {} {}",
                    kind.noun(),
                    and_list(&missing),
                    lines_word(&missing)
                ),
            )
            .with_label(format!("missing {}", missing.join(", ")))
            .with_help(format!("add a line such as `{}: \"...\"`", missing[0])),
        ),
        // Synonyms and examples are optional per language.
        PhraseKind::Synonyms | PhraseKind::Example => {}
    }
}
