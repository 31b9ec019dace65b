//! The guichet side of the peer comparison in `bench/peers/`: replies per
//! second of a bot on an input stream, and dates extracted per second from
//! a file of sentences. Prints one JSON line, the shape every driver of
//! `bench/peers/` prints.
//!
//!     cargo run --release --example throughput -- replies BOT_DIR MESSAGES [SAMPLE] [BUDGET_S] [MAX]
//!     cargo run --release --example throughput -- dates DATES_JSONL [BUDGET_S]
//!     cargo run --release --example throughput -- load BOT_DIR [ROUNDS]
//!
//! `replies`: loads the bot (read, parse, check, compile: timed), answers
//! the first SAMPLE messages (the warm-up; their replies are printed for
//! the agreement check), then answers the following messages, cycling
//! through the file, single thread, until MAX messages or BUDGET_S seconds.
//! A reply is named by the first text the bot says.
//!
//! `dates`: runs the date extractor on the `text` of each row (in the row's
//! `lang`, relative to its `reference`), a warm-up pass over the first 100
//! rows, then cycles through them until BUDGET_S seconds. Each timed call
//! starts from the raw text: the message is folded and split inside the
//! loop, as the peers parse from the raw text too.

use chrono::{NaiveDate, NaiveDateTime};
use guichet::understand::extract::{self, Context, DatePolicy};
use guichet::understand::Input as Message;
use guichet::values::SlotType;
use guichet::{Bot, Event, Input, Lang};
use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// The system allocator, counting calls while `COUNTING` is on (the sample
/// pass, not the timed loop): allocations per reply tell where time goes as
/// much as a profile does, and they do not vary between runs.
struct CountingAlloc;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static COUNTING: AtomicBool = AtomicBool::new(false);

fn count() {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn fixed_now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 4, 14)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default()
}

/// Peak resident memory of this process so far, in KiB (Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: T) -> Result<T, String> {
    match args.get(i) {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|_| format!("argument {i} (`{s}`) is not a number")),
    }
}

fn reply_id(events: &[Event]) -> String {
    events
        .iter()
        .find_map(|e| match e {
            Event::Say { text, .. } => Some(text.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "NONE".into())
}

fn replies(args: &[String]) -> Result<serde_json::Value, String> {
    let (Some(dir), Some(messages)) = (args.first(), args.get(1)) else {
        return Err("usage: throughput replies BOT_DIR MESSAGES [SAMPLE] [BUDGET_S] [MAX]".into());
    };
    let sample: usize = arg(args, 2, 200)?;
    let budget: f64 = arg(args, 3, 5.0)?;
    let max: usize = arg(args, 4, 1_000_000)?;
    let text = std::fs::read_to_string(messages).map_err(|e| format!("{messages}: {e}"))?;
    let inputs: Vec<Input> = text.lines().map(Input::text).collect();
    if inputs.len() <= sample {
        return Err(format!(
            "{messages}: needs more than {sample} messages (the sample)"
        ));
    }

    let start = Instant::now();
    let bot = Bot::from_path(dir).map_err(|e| format!("{dir}: {e}"))?;
    let load_s = start.elapsed().as_secs_f64();

    let now = fixed_now();
    let mut session = bot.new_session(Some(Lang::Fr), 1);
    let mut answers: Vec<String> = Vec::with_capacity(sample);
    let mut allocations = 0;
    for input in &inputs[..sample] {
        let input = input.clone();
        COUNTING.store(true, Ordering::Relaxed);
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        let events = bot.turn(&mut session, input, now);
        allocations += ALLOCATIONS.load(Ordering::Relaxed) - before;
        COUNTING.store(false, Ordering::Relaxed);
        answers.push(reply_id(&events));
    }

    let timed = &inputs[sample..];
    let mut done = 0usize;
    let start = Instant::now();
    loop {
        let events = bot.turn(&mut session, timed[done % timed.len()].clone(), now);
        black_box(events);
        done += 1;
        if done >= max || (done.is_multiple_of(64) && start.elapsed().as_secs_f64() >= budget) {
            break;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    Ok(json!({
        "impl": "guichet",
        "load_s": load_s,
        "messages": done,
        "seconds": elapsed,
        "per_s": done as f64 / elapsed,
        "allocations_per_reply": allocations as f64 / sample as f64,
        "peak_kib": peak_rss_kib(),
        "answers": answers,
    }))
}

fn dates(args: &[String]) -> Result<serde_json::Value, String> {
    let Some(path) = args.first() else {
        return Err("usage: throughput dates DATES_JSONL [BUDGET_S]".into());
    };
    let budget: f64 = arg(args, 1, 5.0)?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut rows: Vec<(String, Lang, NaiveDateTime)> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{path}: {e}"))?;
        let get = |k: &str| row.get(k).and_then(|v| v.as_str()).unwrap_or("");
        let Ok(lang) = get("lang").parse::<Lang>() else {
            continue;
        };
        // Some references carry fractions of a second and an offset: the
        // local date and time is what every implementation is given.
        let reference = get("reference")
            .get(..19)
            .and_then(|r| NaiveDateTime::parse_from_str(r, "%Y-%m-%dT%H:%M:%S").ok())
            .unwrap_or_else(fixed_now);
        rows.push((get("text").to_string(), lang, reference));
    }
    if rows.is_empty() {
        return Err(format!("{path}: no rows with a text and a language"));
    }
    let Some(date) = SlotType::builtin("date") else {
        return Err("no built-in date type".into());
    };
    let extract_one = |(text, lang, now): &(String, Lang, NaiveDateTime)| {
        let ctx = Context {
            lang: *lang,
            now: *now,
            policy: DatePolicy::Future,
            choice: None,
            order: Default::default(),
        };
        extract::extract(&date, &Message::new(text), &ctx)
    };
    let found = rows
        .iter()
        .filter(|r| extract_one(r).best().is_some())
        .count();
    for r in rows.iter().take(100) {
        black_box(extract_one(r));
    }
    let mut done = 0usize;
    let start = Instant::now();
    loop {
        black_box(extract_one(&rows[done % rows.len()]));
        done += 1;
        if done.is_multiple_of(64) && start.elapsed().as_secs_f64() >= budget {
            break;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    Ok(json!({
        "impl": "guichet",
        "texts": rows.len(),
        "found": found,
        "messages": done,
        "seconds": elapsed,
        "per_s": done as f64 / elapsed,
        "peak_kib": peak_rss_kib(),
    }))
}

/// `load`: the time of each loading phase (reading the files, parsing,
/// checking with the trigger index, compiling), the best of ROUNDS rounds,
/// in milliseconds. Tells which phase a change to loading should target.
fn load(args: &[String]) -> Result<serde_json::Value, String> {
    let Some(dir) = args.first() else {
        return Err("usage: throughput load BOT_DIR [ROUNDS]".into());
    };
    let rounds: usize = arg(args, 1, 5)?;
    let mut best = [f64::INFINITY; 4];
    for _ in 0..rounds.max(1) {
        let mut times = [0.0; 4];
        let start = Instant::now();
        let files = guichet::load::read_path(std::path::Path::new(dir))?;
        times[0] = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let parsed = guichet::load::parse(&files);
        times[1] = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let (diagnostics, index) = guichet::check::check_and_index(&parsed);
        times[2] = start.elapsed().as_secs_f64();
        if diagnostics.iter().any(|d| d.is_error()) || !parsed.diagnostics.is_empty() {
            return Err(format!("{dir}: the bot has errors"));
        }
        let start = Instant::now();
        let program = guichet::compile::compile_reusing(&parsed, index)
            .map_err(|_| format!("{dir}: the bot does not compile"))?;
        times[3] = start.elapsed().as_secs_f64();
        black_box(program);
        for (b, t) in best.iter_mut().zip(times) {
            *b = b.min(t);
        }
    }
    let ms = |s: f64| (s * 1e5).round() / 100.0;
    Ok(json!({
        "impl": "guichet",
        "read_ms": ms(best[0]),
        "parse_ms": ms(best[1]),
        "check_ms": ms(best[2]),
        "compile_ms": ms(best[3]),
        "total_ms": ms(best.iter().sum()),
    }))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("replies") => replies(&args[1..]),
        Some("dates") => dates(&args[1..]),
        Some("load") => load(&args[1..]),
        _ => Err(
            "usage: throughput (replies BOT_DIR MESSAGES | dates DATES_JSONL | load BOT_DIR) ..."
                .into(),
        ),
    };
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
