//! Every diagnostic code, rendered as a flow author sees it, on one small
//! bot per code (`tests/fixtures/diagnostics/<code>.flow`).

use guichet::check::{check, quiet_after_syntax_errors};
use guichet::load::{self, SourceFile};
use guichet::render::render;
use std::path::Path;

fn relative(path: &Path) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Loads one fixture with the CSV files of the same stem (`<code>.csv`,
/// `<code>.<anything>.csv`), named relative to the crate for stable output.
fn load_fixture(path: &Path) -> load::ParsedBot {
    let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
    let dir = path.parent().unwrap();
    let mut files = vec![SourceFile {
        name: relative(path).display().to_string(),
        text: std::fs::read_to_string(path).unwrap(),
    }];
    let mut csvs: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "csv")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{stem}.")))
        })
        .collect();
    csvs.sort();
    for p in csvs {
        files.push(SourceFile {
            name: relative(&p).display().to_string(),
            text: std::fs::read_to_string(&p).unwrap(),
        });
    }
    load::parse(&files)
}

#[test]
fn each_code_is_reported_and_rendered() {
    insta::glob!("fixtures/diagnostics/*.flow", |path| {
        let code = path.file_stem().unwrap().to_str().unwrap();
        let bot = load_fixture(path);
        // The loader's own (syntax, nesting) and the checker's, as
        // `guichet check` joins them.
        let mut diags = bot.diagnostics.clone();
        diags.extend(check(&bot));
        quiet_after_syntax_errors(&bot.sources, &mut diags);
        guichet::diagnostics::sort(&mut diags);
        assert!(
            diags.iter().any(|d| d.code == code),
            "{code}.flow does not report `{code}`: {:#?}",
            diags
                .iter()
                .map(|d| (d.code, &d.message))
                .collect::<Vec<_>>()
        );
        let rendered = render(&diags, &bot.sources, false);
        insta::assert_snapshot!(rendered);
    });
}
