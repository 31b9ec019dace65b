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

/// Loading hands the checker's trigger index to the compiler when both
/// read the same triggers: for the sample bot they must, or every load
/// would index its triggers twice.
#[test]
fn the_checker_indexes_the_triggers_the_compiler_runs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("flows");
    let files = read_path(&dir).unwrap_or_else(|e| panic!("{e}"));
    let parsed = parse(&files);
    let (_, built) = guichet::check::check_and_index(&parsed);
    let built = built.expect("the sample bot has triggers");
    let program = guichet::compile::compile(&parsed).unwrap_or_else(|e| panic!("{e:?}"));
    let checked: Vec<_> = built.index.patterns().collect();
    let compiled: Vec<_> = program.triggers.patterns().collect();
    assert!(checked.len() > 50, "only {} triggers", checked.len());
    assert_eq!(checked, compiled);
}
