//! `cargo bench --bench editor`: how fast the editor analysis behind
//! `guichet lsp` answers on the sample bot (`flows/`), measured, never
//! asserted. Each figure is the median and the slowest of its runs:
//!
//! - diagnostics after a keystroke: one character typed in `creche.flow`,
//!   then every diagnostic of the whole bot (parse, check, test files);
//! - completion right after a keystroke, before that analysis is made
//!   (what an editor asks while the author types): in a condition of the
//!   crèche flow, and at the start of a line in a form;
//! - hover and go to definition on a slot, once the analysis is made.

use guichet::analysis::{Position, Workspace};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 40;

fn stats(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

fn show(name: &str, (median, worst): (Duration, Duration)) {
    println!(
        "{name:<58} median {:>8.2} ms   slowest {:>8.2} ms",
        median.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3
    );
}

/// The position of the end of `needle` in `text` (ASCII before it).
fn after(text: &str, needle: &str) -> Position {
    let at = text.find(needle).expect("the sample bot has it") + needle.len();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: text[..at].matches('\n').count() as u32,
        character: text[line_start..at].encode_utf16().count() as u32,
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("flows");
    let mut ws = Workspace::load(&root);
    let file = root.join("creche.flow").display().to_string();
    let text = ws.text(&file).expect("flows/creche.flow").to_string();
    println!(
        "sample bot: {} files, {} bytes",
        ws.files().count(),
        ws.files()
            .filter_map(|f| ws.text(f))
            .map(str::len)
            .sum::<usize>()
    );
    ws.set_text(&file, text.clone());
    black_box(ws.diagnostics());

    // A keystroke: a letter added to a comment line at the end, then taken
    // away, so each run analyses a changed text.
    let mut keystroke = 0usize;
    let mut typed = || {
        keystroke += 1;
        if keystroke % 2 == 1 {
            format!("{text}#x\n")
        } else {
            text.clone()
        }
    };

    let times = (0..RUNS)
        .map(|_| {
            let changed = typed();
            let t = Instant::now();
            ws.set_text(&file, changed);
            black_box(ws.diagnostics());
            t.elapsed()
        })
        .collect();
    show(
        "diagnostics of the whole bot after a keystroke",
        stats(times),
    );

    for (name, needle) in [
        (
            "completion in a condition (slots, functions)",
            "if child_birth_date > ",
        ),
        ("completion at the start of a line in a form", "  form\n"),
    ] {
        let times = (0..RUNS)
            .map(|_| {
                let changed = typed();
                ws.set_text(&file, changed);
                let pos = after(&text, needle);
                let t = Instant::now();
                black_box(ws.completion(&file, pos));
                t.elapsed()
            })
            .collect();
        show(name, stats(times));
    }

    ws.set_text(&file, text.clone());
    black_box(ws.diagnostics());
    let slot = after(&text, "require child_birth_date");
    let slot = Position {
        character: slot.character - 3,
        ..slot
    };
    let times = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            black_box(ws.hover(&file, slot));
            t.elapsed()
        })
        .collect();
    show("hover on a slot", stats(times));
    let times = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            black_box(ws.definition(&file, slot));
            t.elapsed()
        })
        .collect();
    show("go to definition of a slot", stats(times));
}
