//! Personal data: which slots hold it, masking it in free text, and taking
//! it out of what a host logs or shows outside the conversation.
//!
//! A slot holds personal data when its type does (national register and
//! BIS numbers, IBANs, phone numbers, e-mail addresses, names, number
//! plates) or when its flow marks it `personal`. Free text (a message the
//! bot did not understand) is masked by running the extractors of those
//! types over it and replacing what they find, and by masking long runs
//! of digits and capitalised words that look like names.

use crate::compile::Program;
use crate::runtime::Event;
use crate::understand::extract::{self, Context, DateOrder, DatePolicy};
use crate::understand::normalize::{fold, Input};
use crate::values::{Lang, SlotType};
use chrono::NaiveDateTime;
use serde_json::Value as Json;
use std::ops::Range;

/// Whether values of this type are personal data, whatever the flow says.
pub fn personal_type(ty: &SlotType) -> bool {
    matches!(
        ty,
        SlotType::Email
            | SlotType::Phone
            | SlotType::Iban
            | SlotType::NationalNumber
            | SlotType::Plate
            | SlotType::Name
    )
}

/// What stands for a value of this type once redacted: `[iban]`.
pub fn placeholder(ty: &SlotType) -> String {
    format!("[{}]", ty.name())
}

/// The types whose values are looked for in free text, with their masks.
const MASKED_TYPES: [(SlotType, &str); 6] = [
    (SlotType::Email, "[email]"),
    (SlotType::Iban, "[iban]"),
    (SlotType::NationalNumber, "[national_number]"),
    (SlotType::Phone, "[phone]"),
    (SlotType::Plate, "[plate]"),
    (SlotType::Name, "[name]"),
];

/// A name found by an introducer ("je m'appelle", "mijn zoon") is at
/// least this sure; a bare short phrase is read as a name with less.
const INTRODUCED_NAME: f32 = 0.85;
/// This many digits in one run (spaces, dots, dashes and slashes between
/// them) are masked as `[number]`: an account, a register number or a
/// phone number the extractors did not recognise.
const DIGITS_MASKED: usize = 6;

/// `text` with the personal data found in it masked: `[email]`, `[iban]`,
/// `[national_number]`, `[phone]`, `[plate]`, `[name]`, `[number]`.
/// `known` says whether a folded word is one the bot knows (a trigger's
/// word): a capitalised word it does not know, inside a sentence, is
/// taken for a name.
pub fn mask_text(text: &str, now: NaiveDateTime, known: &dyn Fn(&str) -> bool) -> String {
    // A span, its mask, and its rank when spans cover the same text: a
    // value an extractor accepted wins over one it refused (a phone number
    // is no national number with bad check digits), which wins over the
    // guesses (runs of digits, capitalised words).
    let mut spans: Vec<(Range<usize>, &str, u8)> = Vec::new();
    let input = Input::new(text);
    for lang in [Lang::Fr, Lang::Nl, Lang::En] {
        let ctx = Context {
            lang,
            now,
            policy: DatePolicy::Future,
            order: DateOrder::default(),
            choice: None,
        };
        for (ty, mask) in &MASKED_TYPES {
            if *ty != SlotType::Name && lang != Lang::Fr && !matches!(ty, SlotType::Phone) {
                // Only names and phone numbers are read differently per language.
                continue;
            }
            let found = extract::extract(ty, &input, &ctx);
            for c in &found.candidates {
                // A bare short phrase reads as a name too: in free text,
                // only a name introduced ("je m'appelle", "mijn zoon").
                if *ty == SlotType::Name
                    && (c.rule != "name_introduced" || c.confidence < INTRODUCED_NAME)
                {
                    continue;
                }
                spans.push((c.span.clone(), mask, 0));
            }
            for r in &found.rejected {
                spans.push((r.span.clone(), mask, 1));
            }
        }
    }
    spans.extend(digit_runs(text).into_iter().map(|r| (r, "[number]", 2)));
    spans.extend(
        capitalised_names(text, known)
            .into_iter()
            .map(|r| (r, "[name]", 2)),
    );
    apply(text, spans)
}

/// Replaces the spans (overlapping ones merged, the first mask kept).
fn apply(text: &str, mut spans: Vec<(Range<usize>, &str, u8)>) -> String {
    spans.retain(|(r, _, _)| {
        r.start < r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    });
    spans.sort_by(|a, b| {
        a.0.start
            .cmp(&b.0.start)
            .then(b.0.end.cmp(&a.0.end))
            .then(a.2.cmp(&b.2))
    });
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, mask, _) in spans {
        if r.start < at {
            // Overlaps what is already masked: extend the mask.
            at = at.max(r.end);
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(mask);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Runs of at least `DIGITS_MASKED` digits, with the separators people
/// type inside numbers.
fn digit_runs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut digits = 0;
    for (i, c) in text.char_indices() {
        if c.is_ascii_digit() {
            if start.is_none() {
                start = Some(i);
                digits = 0;
            }
            digits += 1;
            end = i + 1;
        } else if start.is_some() && matches!(c, ' ' | '.' | '-' | '/' | '+') {
            continue;
        } else if let Some(s) = start.take() {
            if digits >= DIGITS_MASKED {
                out.push(s..end);
            }
        }
    }
    if let Some(s) = start {
        if digits >= DIGITS_MASKED {
            out.push(s..end);
        }
    }
    out
}

/// Capitalised words the bot does not know, inside a sentence (a word
/// that starts a sentence is capitalised anyway), and the capitalised
/// words just before them ("Sophie Martin veut...").
fn capitalised_names(text: &str, known: &dyn Fn(&str) -> bool) -> Vec<Range<usize>> {
    let mut words: Vec<(Range<usize>, bool, bool)> = Vec::new(); // span, capitalised, starts a sentence
    let mut sentence_start = true;
    let mut current: Option<usize> = None;
    let flush =
        |start: usize, end: usize, starts: bool, words: &mut Vec<(Range<usize>, bool, bool)>| {
            let w = &text[start..end];
            let capitalised = w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().count() >= 2
                && !w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic());
            words.push((start..end, capitalised, starts));
        };
    let mut word_starts_sentence = true;
    for (i, c) in text.char_indices() {
        let part = c.is_alphabetic() || ((c == '-' || c == '\'') && current.is_some());
        match (part, current) {
            (true, None) => {
                current = Some(i);
                word_starts_sentence = sentence_start;
                sentence_start = false;
            }
            (true, Some(_)) => {}
            (false, Some(s)) => {
                flush(s, i, word_starts_sentence, &mut words);
                current = None;
            }
            (false, None) => {}
        }
        if matches!(c, '.' | '!' | '?' | '\n' | ':' | ';') {
            sentence_start = true;
        } else if c.is_ascii_digit() {
            sentence_start = false;
        }
    }
    if let Some(s) = current {
        flush(s, text.len(), word_starts_sentence, &mut words);
    }
    let unknown = |r: &Range<usize>| {
        let folded = fold(text[r.clone()].trim_matches(|c| c == '-' || c == '\''));
        !folded.is_empty() && !known(&folded)
    };
    let mut masked = vec![false; words.len()];
    for (i, (r, cap, starts)) in words.iter().enumerate() {
        if *cap && !*starts && unknown(r) {
            masked[i] = true;
        }
    }
    // A capitalised word just before a masked one is part of the name.
    for i in (0..words.len().saturating_sub(1)).rev() {
        if masked[i + 1] && words[i].1 && unknown(&words[i].0) {
            masked[i] = true;
        }
    }
    words
        .into_iter()
        .zip(masked)
        .filter(|(_, m)| *m)
        .map(|((r, _, _), _)| r)
        .collect()
}

/// The forms a value may be stored in: as given, and as each extractor of
/// a personal type reads it (an IBAN without spaces, a phone number in
/// international form, an e-mail address in lower case...), for finding
/// a citizen's conversations by a value they gave.
pub fn value_variants(text: &str, now: NaiveDateTime) -> Vec<String> {
    let mut out = vec![text.trim().to_string()];
    let input = Input::new(text);
    for lang in [Lang::Fr, Lang::Nl, Lang::En] {
        let ctx = Context {
            lang,
            now,
            policy: DatePolicy::Future,
            order: DateOrder::default(),
            choice: None,
        };
        for (ty, _) in &MASKED_TYPES {
            for c in extract::extract(ty, &input, &ctx).candidates {
                if let Json::String(s) = c.value.to_normal_json() {
                    out.push(s);
                }
            }
        }
    }
    out.retain(|v| !v.is_empty());
    out.sort();
    out.dedup();
    out
}

/// The slot `name` of `flow`, if the program has it.
fn slot_type(program: &Program, flow: &str, name: &str) -> Option<(SlotType, bool)> {
    program
        .flow(flow)?
        .forms
        .iter()
        .flat_map(|f| &f.slots)
        .find(|s| s.name == name)
        .map(|s| (s.ty.clone(), s.personal))
}

/// A personal slot of any flow of the program with this name.
fn personal_anywhere(program: &Program, name: &str) -> Option<SlotType> {
    program
        .flows
        .iter()
        .flat_map(|f| &f.forms)
        .flat_map(|f| &f.slots)
        .find(|s| s.name == name && s.personal)
        .map(|s| s.ty.clone())
}

/// Takes personal data out of an event a host logs or shows outside the
/// conversation: personal slots of `turn_end` and of a hand-over's summary
/// become their placeholder (`[iban]`), and the summary's lines that show
/// them keep their label only. Other events are left alone: the citizen's
/// own messages and the actions' arguments need the values.
pub fn redact_event(program: &Program, event: &mut Event) {
    match event {
        Event::TurnEnd { flow, slots, .. } => {
            for (name, value) in slots.iter_mut() {
                let ty = match flow.as_deref().and_then(|f| slot_type(program, f, name)) {
                    Some((ty, true)) => Some(ty),
                    Some((_, false)) => None,
                    None => personal_anywhere(program, name),
                };
                if let Some(ty) = ty {
                    *value = Json::String(placeholder(&ty));
                }
            }
        }
        Event::Handoff { summary, .. } => redact_summary(program, summary),
        _ => {}
    }
}

fn redact_summary(program: &Program, summary: &mut Json) {
    let subject = summary
        .get("flow")
        .and_then(Json::as_str)
        .map(str::to_string);
    let lang: Option<Lang> = summary
        .get("lang")
        .and_then(Json::as_str)
        .and_then(|l| l.parse().ok());
    let mut hidden_labels: Vec<String> = Vec::new();
    if let Some(Json::Object(slots)) = summary.get_mut("slots") {
        for (name, value) in slots.iter_mut() {
            let ty = match subject.as_deref().and_then(|f| slot_type(program, f, name)) {
                Some((ty, true)) => Some(ty),
                _ => personal_anywhere(program, name),
            };
            if let Some(ty) = ty {
                *value = Json::String(placeholder(&ty));
                hidden_labels.extend(labels_of(program, name, lang));
            }
        }
    }
    if let Some(Json::String(text)) = summary.get_mut("text") {
        let lines: Vec<String> = text
            .lines()
            .map(|line| {
                match hidden_labels
                    .iter()
                    .find(|l| line.starts_with(&format!("{l} : ")))
                {
                    Some(l) => format!("{l} : [redacted]"),
                    None => line.to_string(),
                }
            })
            .collect();
        *text = lines.join("\n");
    }
}

/// The labels a summary shows for slot `name` (see `summary_text`).
fn labels_of(program: &Program, name: &str, lang: Option<Lang>) -> Vec<String> {
    program
        .flows
        .iter()
        .flat_map(|f| &f.forms)
        .flat_map(|f| &f.slots)
        .filter(|s| s.name == name)
        .map(|s| {
            s.labels
                .iter()
                .find(|(l, _)| Some(*l) == lang)
                .or(s.labels.first())
                .and_then(|(_, w)| w.first().cloned())
                .unwrap_or_else(|| s.name.replace('_', " "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 10)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    fn mask(text: &str) -> String {
        mask_text(text, now(), &|w| {
            ["bonjour", "creche", "je", "commune", "bruyeres"].contains(&w)
        })
    }

    #[test]
    fn personal_values_in_free_text_are_masked() {
        let cases = [
            (
                "mon adresse c'est marie.dupont@example.be merci",
                "mon adresse c'est [email] merci",
            ),
            ("IBAN BE71 0961 2345 6769 svp", "IBAN [iban] svp"),
            (
                "mon numéro national 85.07.30-033.28",
                "mon numéro national [national_number]",
            ),
            ("appelez le 0470 12 34 56", "appelez le [phone]"),
            ("je m'appelle Sophie Vandermeulen", "je m'appelle [name]"),
            (
                "Bonjour, Sophie Vandermeulen voudrait un rendez-vous à la commune",
                "Bonjour, [name] [name] voudrait un rendez-vous à la commune",
            ),
            ("référence 987654 bloquée", "référence [number] bloquée"),
        ];
        for (text, want) in cases {
            assert_eq!(mask(text), want, "{text}");
        }
        // Eleven digits: a register number with bad check digits, or a
        // phone number abroad; masked either way.
        let masked = mask("dossier 12345678901 bloqué");
        assert!(
            masked.starts_with("dossier [") && !masked.chars().any(|c| c.is_ascii_digit()),
            "{masked}"
        );
        // Nothing personal: unchanged.
        assert_eq!(mask("horaires de la crèche"), "horaires de la crèche");
        assert_eq!(mask("Bonjour"), "Bonjour");
    }

    #[test]
    fn masking_never_splits_a_character_and_handles_any_text() {
        for text in [
            "",
            "é",
            "👍🏽 0470",
            "ÉÉÉ Éric",
            "a\u{301}b 123456 x",
            "\u{202e}Tom",
        ] {
            let _ = mask(text);
        }
    }
}
