//! The sample commune's bot (`flows/`) loads, parses and checks with no
//! error and no warning: it is the README's showcase.

use guichet::load::{parse, read_path};
use std::path::Path;

#[test]
fn the_sample_bot_has_no_diagnostics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("flows");
    let files = read_path(&dir).unwrap_or_else(|e| panic!("{e}"));
    let parsed = parse(&files);
    let diagnostics = guichet::check::check(&parsed);
    assert!(
        diagnostics.is_empty(),
        "the sample bot has {} diagnostic(s):\n{}",
        diagnostics.len(),
        guichet::render::render(&diagnostics, &parsed.sources, false)
    );
}
