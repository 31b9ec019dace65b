//! A flow file of arbitrary bytes (lossy UTF-8), checked, formatted and
//! asked every editor question (`guichet::analysis`) on a 2 MiB stack.
//! The checks live in the main crate (`guichet::fuzz_checks::check_flow`)
//! so that `tests/fuzz_corpus.rs` runs them on stable too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = guichet::fuzz_checks::check_flow(data) {
        panic!("{broken}");
    }
});
