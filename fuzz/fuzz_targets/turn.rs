//! Conversations with the sample bot (`flows/`, loaded once): a start, then
//! one turn per line of the input (`@payload` presses a button, offered or
//! forged; `!ok JSON` / `!fail TEXT` answers the last action; `%N` deploys
//! edit N of the flow in progress under the conversation). Checks each
//! turn's events, that no action lacks a required argument, that a
//! conversation carried over to an edited bot never jumps silently, and
//! that the session survives saving and restoring.
#![no_main]

use guichet::fuzz_checks::Subject;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn bot() -> &'static Subject {
    static BOT: OnceLock<Subject> = OnceLock::new();
    BOT.get_or_init(|| {
        let flows = concat!(env!("CARGO_MANIFEST_DIR"), "/../flows");
        Subject::from_path(std::path::Path::new(flows))
            .unwrap_or_else(|e| panic!("the sample bot does not load:\n{e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = guichet::fuzz_checks::check_turns(bot(), data) {
        panic!("{broken}");
    }
});
