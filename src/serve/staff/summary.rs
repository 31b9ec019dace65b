//! The bot's summary of a hand-over as staff read it: the slots in normal
//! form (as the host protocol gives them) and a readable text in the
//! staff's language, each slot under its label in that language.

use crate::compile::{Flow, Program, SlotSpec};
use crate::values::format::format_value;
use crate::values::{Lang, SlotType, Type, Value};
use crate::Bot;
use serde_json::{json, Map, Value as Json};

/// `{"slots": {...}, "text": "...", "text_lang": "fr"}` from the runtime's
/// `handoff` summary (`{"flow", "slots", "lang", "text"}`).
pub fn case_summary(bot: &Bot, summary: &Json, staff_lang: Lang) -> Json {
    let program = bot.program();
    let flow = summary.get("flow").and_then(Json::as_str);
    let slots = summary
        .get("slots")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let text = readable(program, flow, &slots, staff_lang);
    json!({"slots": slots, "text": text, "text_lang": staff_lang.to_string()})
}

fn find_slot<'p>(program: &'p Program, flow: Option<&str>, name: &str) -> Option<&'p SlotSpec> {
    let in_flow = |f: &'p Flow| {
        f.forms
            .iter()
            .flat_map(|form| &form.slots)
            .find(|s| s.name == name)
    };
    flow.and_then(|f| program.flow(f))
        .and_then(in_flow)
        .or_else(|| program.flows.iter().find_map(in_flow))
}

fn label(s: &SlotSpec, lang: Lang) -> String {
    s.labels
        .iter()
        .find(|(l, _)| *l == lang)
        .or(s.labels.first())
        .and_then(|(_, w)| w.first().cloned())
        .unwrap_or_else(|| s.name.replace('_', " "))
}

fn shown(program: &Program, s: &SlotSpec, v: &Json, lang: Lang) -> String {
    if let (SlotType::Choice(choice), Json::String(key)) = (&s.ty, v) {
        return program
            .choices
            .get(choice)
            .and_then(|c| c.options.iter().find(|o| o.key == *key))
            .and_then(|o| {
                o.phrases
                    .iter()
                    .find(|(l, _)| *l == lang)
                    .or(o.phrases.first())
            })
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| key.clone());
    }
    let ty = Type::of_slot(&s.ty);
    format_value(&Value::from_json(v).coerce(&ty), lang)
}

fn readable(
    program: &Program,
    flow: Option<&str>,
    slots: &Map<String, Json>,
    lang: Lang,
) -> String {
    let mut lines = Vec::new();
    if let Some(f) = flow.and_then(|f| program.flow(f)) {
        if let Some((_, l)) = f.label.iter().find(|(l, _)| *l == lang).or(f.label.first()) {
            lines.push(l.clone());
        }
    }
    for (name, v) in slots {
        let line = match find_slot(program, flow, name) {
            Some(s) => format!("{} : {}", label(s, lang), shown(program, s, v, lang)),
            None => format!(
                "{} : {}",
                name.replace('_', " "),
                format_value(&Value::from_json(v), lang)
            ),
        };
        lines.push(line);
    }
    lines.join("\n")
}
