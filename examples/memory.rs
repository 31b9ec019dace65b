//! Memory figures of guichet for `bench/peers/` and BENCHMARKS.md, counted
//! by a global allocator that tracks the bytes the program asked for (the
//! allocator's own per-block overhead is not included; the number of live
//! blocks is printed so it can be estimated). One JSON line per figure.
//!
//!     cargo run --release --example memory -- bots BOT_DIR...
//!     cargo run --release --example memory -- sessions FLOWS_DIR [COUNT]
//!
//! `bots`: the bytes a loaded bot keeps (program, sources and warnings),
//! and the compiled program alone.
//!
//! `sessions`: the saved session's JSON size after each step of the
//! sample's crèche and parking conversations (in French, actions answered
//! as a host would), then COUNT (default 100,000) live sessions restored
//! from the mid-crèche-form one: bytes per session, and how many fit in
//! 1 GiB, kept as `Session` values or as their JSON strings.

use chrono::{NaiveDate, NaiveDateTime};
use guichet::runtime::ActionResult;
use guichet::{Bot, Event, Input, Lang, Session};
use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::process::ExitCode;
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static BYTES: AtomicIsize = AtomicIsize::new(0);
static BLOCKS: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        BLOCKS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwards the caller's layout unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: the pointer came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        BYTES.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: the pointer came from `alloc` with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Live bytes and blocks right now.
fn live() -> (isize, isize) {
    (
        BYTES.load(Ordering::Relaxed),
        BLOCKS.load(Ordering::Relaxed),
    )
}

fn fixed_now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 4, 14)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default()
}

fn bots(dirs: &[String]) -> Result<(), String> {
    if dirs.is_empty() {
        return Err("usage: memory bots BOT_DIR...".into());
    }
    for dir in dirs {
        let (before, blocks_before) = live();
        let bot = Bot::from_path(dir).map_err(|e| format!("{dir}: {e}"))?;
        let (loaded, blocks_loaded) = live();
        let program = bot.program().clone();
        drop(bot);
        let (program_only, _) = live();
        println!(
            "{}",
            json!({
                "figure": "bot",
                "bot": dir,
                "flows": program.flows.len(),
                "bot_bytes": loaded - before,
                "bot_blocks": blocks_loaded - blocks_before,
                "program_bytes": program_only - before,
            })
        );
        drop(program);
    }
    Ok(())
}

/// Runs a conversation, answering each action as the host would, and
/// returns the saved session's size after each step with the step's input.
fn conversation(
    bot: &Bot,
    messages: &[&str],
    results: &dyn Fn(&str) -> serde_json::Value,
) -> Vec<(String, usize, Session)> {
    let now = fixed_now();
    let mut session = bot.new_session(Some(Lang::Fr), 7);
    let mut steps = Vec::new();
    for message in messages {
        let mut input = Input::text(*message);
        let mut label = message.to_string();
        loop {
            let events = bot.turn(&mut session, input, now);
            let size = serde_json::to_string(&session).map_or(0, |j| j.len());
            steps.push((label, size, session.clone()));
            let Some((id, name)) = events.iter().find_map(|e| match e {
                Event::Action { id, name, .. } => Some((id.clone(), name.clone())),
                _ => None,
            }) else {
                break;
            };
            label = format!("(host) {name} ok");
            input = Input::ActionResult(ActionResult {
                id,
                ok: true,
                value: Some(results(&name)),
                error: None,
            });
        }
    }
    steps
}

const CRECHE: &[&str] = &[
    "Bonjour",
    "Je voudrais inscrire ma fille à la crèche",
    "Louise",
    "Dupont",
    "elle est née le 3 mai 2024",
    "à partir du 1er septembre 2025",
    "louise.dupont@example.be",
    "0470 12 34 56",
    "oui",
];

/// The step of `CRECHE` whose session is "mid-form": three of the six
/// slots filled, the birth date just given.
const MID_FORM_STEP: usize = 4;

const PARKING: &[&str] = &[
    "Bonjour, je voudrais renouveler ma carte de riverain pour la voiture 1-abc-234",
    "1170",
    "premier véhicule",
    "oui",
];

fn host_result(action: &str) -> serde_json::Value {
    match action {
        "request_payment" => json!({ "status": "paid", "payment_id": "PAY-1" }),
        _ => json!({ "reference": "CR-2025-0042" }),
    }
}

fn sessions(args: &[String]) -> Result<(), String> {
    let Some(dir) = args.first() else {
        return Err("usage: memory sessions FLOWS_DIR [COUNT]".into());
    };
    let count: usize = match args.get(1) {
        None => 100_000,
        Some(s) => s.parse().map_err(|_| format!("`{s}` is not a count"))?,
    };
    let bot = Bot::from_path(dir).map_err(|e| format!("{dir}: {e}"))?;
    let creche = conversation(&bot, CRECHE, &host_result);
    for (name, steps) in [
        ("creche", &creche),
        ("parking", &conversation(&bot, PARKING, &host_result)),
    ] {
        println!(
            "{}",
            json!({
                "figure": "session_json",
                "conversation": name,
                "steps": steps.iter().map(|(input, size, _)| json!({"input": input, "bytes": size})).collect::<Vec<_>>(),
            })
        );
    }

    let Some((_, _, mid_form)) = creche.get(MID_FORM_STEP) else {
        return Err("the crèche conversation is shorter than expected".into());
    };
    let saved = serde_json::to_string(mid_form).map_err(|e| e.to_string())?;
    let gib = (1u64 << 30) as f64;

    let (before, blocks_before) = live();
    let mut kept: Vec<Session> = Vec::with_capacity(count);
    for _ in 0..count {
        // Each restored session owns its strings, as sessions of different
        // citizens would.
        kept.push(bot.restore(&saved).map_err(|e| e.0)?.session);
    }
    let (after, blocks_after) = live();
    let per_session = (after - before) as f64 / count as f64;
    let blocks = (blocks_after - blocks_before) as f64 / count as f64;
    drop(kept);

    let (before, _) = live();
    let strings: Vec<String> = (0..count).map(|_| saved.clone()).collect();
    let (after, _) = live();
    let per_json = (after - before) as f64 / count as f64;
    drop(strings);

    println!(
        "{}",
        json!({
            "figure": "live_sessions",
            "count": count,
            "mid_form_json_bytes": saved.len(),
            "session_bytes": per_session,
            "session_blocks": blocks,
            "sessions_per_gib": gib / per_session,
            "json_bytes": per_json,
            "json_per_gib": gib / per_json,
        })
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bots") => bots(&args[1..]),
        Some("sessions") => sessions(&args[1..]),
        _ => Err("usage: memory (bots BOT_DIR... | sessions FLOWS_DIR [COUNT])".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
