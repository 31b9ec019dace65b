//! Conversations with the sample bot (`flows/`, loaded once): a start, then
//! one turn per line of the input (`@payload` presses a button, `!ok JSON` /
//! `!fail TEXT` answers the last action). Checks each turn's events and
//! that the session survives saving and restoring.
#![no_main]

use guichet::Bot;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn bot() -> &'static Bot {
    static BOT: OnceLock<Bot> = OnceLock::new();
    BOT.get_or_init(|| {
        let flows = concat!(env!("CARGO_MANIFEST_DIR"), "/../flows");
        Bot::from_path(flows).unwrap_or_else(|e| panic!("the sample bot does not load:\n{e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = guichet::fuzz_checks::check_turns(bot(), data) {
        panic!("{broken}");
    }
});
