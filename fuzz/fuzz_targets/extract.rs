//! Every slot type's extractor, in French, Dutch and English, on arbitrary
//! bytes read as lossy UTF-8, with a fixed clock. The checks live in the
//! main crate (`guichet::fuzz_checks`) so that `tests/fuzz_corpus.rs` runs
//! them on stable too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = guichet::fuzz_checks::check_extractors(data) {
        panic!("{broken}");
    }
});
