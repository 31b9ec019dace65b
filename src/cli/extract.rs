//! `guichet extract TYPE TEXT`: what one extractor finds in one message,
//! as JSON, to see why a slot was or was not filled.

use guichet::understand::extract::{self, Context, DateOrder, DatePolicy};
use guichet::understand::Input;
use guichet::values::{Lang, SlotType};
use std::process::ExitCode;

pub fn run(
    ty: &str,
    text: &str,
    lang: Option<&str>,
    now: Option<&str>,
    policy: DatePolicy,
    locale: Option<&str>,
) -> ExitCode {
    let Some(slot_type) = SlotType::builtin(ty) else {
        let known: Vec<&str> = SlotType::BUILTIN.iter().map(|(n, _)| *n).collect();
        eprintln!(
            "error: unknown type `{ty}` (built-in types: {})",
            known.join(", ")
        );
        return ExitCode::from(2);
    };
    let lang = match lang.map(str::parse::<Lang>) {
        None => Lang::Fr,
        Some(Ok(l)) => l,
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let now = match now.map(super::clock::parse_now) {
        None => super::clock::system_now(),
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let order = match locale.map(|l| (l, DateOrder::from_locale(l))) {
        None => DateOrder::default(),
        Some((_, Some(order))) => order,
        Some((l, None)) => {
            eprintln!("error: `{l}` is not a locale (e.g. en-US, fr-BE, nl)");
            return ExitCode::from(2);
        }
    };
    let ctx = Context {
        lang,
        now,
        policy,
        order,
        choice: None,
    };
    let found = extract::extract(&slot_type, &Input::new(text), &ctx);
    // Spans are byte ranges; `get` keeps a bad one from panicking.
    let piece = |span: &std::ops::Range<usize>| text.get(span.clone()).unwrap_or("").to_string();
    let out = serde_json::json!({
        "type": slot_type.name(),
        "text": text,
        "lang": lang.code(),
        "now": now.format("%Y-%m-%dT%H:%M:%S").to_string(),
        "policy": match policy {
            DatePolicy::Future => "future",
            DatePolicy::Past => "past",
        },
        "order": order.name(),
        "candidates": found.candidates.iter().map(|c| serde_json::json!({
            "value": c.value.to_normal_json(),
            "kind": c.value.type_name(),
            "span": [c.span.start, c.span.end],
            "text": piece(&c.span),
            "confidence": (c.confidence as f64 * 1000.0).round() / 1000.0,
            "rule": c.rule,
        })).collect::<Vec<_>>(),
        // Other readings of the best candidate's words, for a slot to offer.
        "ambiguous": found.ambiguous.iter().map(|c| c.value.to_normal_json()).collect::<Vec<_>>(),
        "rejected": found.rejected.iter().map(|r| serde_json::json!({
            "span": [r.span.start, r.span.end],
            "text": piece(&r.span),
            "reason": r.reason.code(),
            "message": r.reason.message(lang),
        })).collect::<Vec<_>>(),
    });
    match serde_json::to_string_pretty(&out) {
        Ok(s) => {
            outln!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
