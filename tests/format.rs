//! The formatter's promises, over the sample bot and over generated flows:
//! formatting twice changes nothing, the formatted bot compiles to the
//! same program, and no comment is lost.

use guichet::compile::Program;
use guichet::diagnostics::SourceId;
use guichet::load::{read_path, SourceFile};
use guichet::syntax::format::{shape, without_spans};
use guichet::syntax::{format_source, parse_file};
use guichet::Bot;
use proptest::prelude::*;
use std::path::Path;

fn fmt(src: &str) -> String {
    format_source(src).unwrap_or_else(|d| panic!("not formatted: {d:?}\n--- source:\n{src}"))
}

fn shape_of(src: &str) -> String {
    let (file, diagnostics) = parse_file(SourceId(0), src);
    assert!(diagnostics.is_empty(), "{diagnostics:?}\n{src}");
    shape(&file)
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The sample bot, as loaded (CSV tables included; the stdlib comes with
/// every bot).
fn sample_bot() -> Vec<SourceFile> {
    read_path(&root().join("flows")).unwrap_or_else(|e| panic!("{e}"))
}

/// Every `.flow` file of the sample bot and of the stdlib.
fn flow_files() -> Vec<SourceFile> {
    let mut files = sample_bot();
    files.extend(read_path(&root().join("stdlib")).unwrap_or_else(|e| panic!("{e}")));
    files.retain(|f| f.name.ends_with(".flow"));
    files
}

/// What a program does, without where it is written: every field but the
/// spans and the sources' fingerprint, maps in key order.
fn program_shape(p: &Program) -> String {
    let mut out = format!(
        "{:?} {:?} {:?} {:?} {:?} {:?}\n{:?}\n",
        p.name, p.languages, p.default_lang, p.country, p.start, p.fallback, p.trigger_flows
    );
    out.push_str(&without_spans(&format!("{:?}", p.flows)));
    let mut flow_ids: Vec<_> = p.flow_ids.iter().collect();
    flow_ids.sort();
    let mut actions: Vec<_> = p
        .actions
        .iter()
        .map(|(k, v)| format!("{k}: {v:?}"))
        .collect();
    actions.sort();
    let mut choices: Vec<_> = p
        .choices
        .iter()
        .map(|(k, v)| format!("{k}: {v:?}"))
        .collect();
    choices.sort();
    let mut tables: Vec<_> = p
        .tables
        .iter()
        .map(|(k, v)| format!("{k}: {v:?}"))
        .collect();
    tables.sort();
    out.push_str(&format!(
        "\n{flow_ids:?}\n{actions:?}\n{choices:?}\n{tables:?}"
    ));
    out
}

fn compile(files: &[SourceFile]) -> String {
    let bot = Bot::from_files(files).unwrap_or_else(|e| panic!("{e:?}"));
    program_shape(bot.program())
}

fn with_flow_texts(files: &[SourceFile], change: impl Fn(&str) -> String) -> Vec<SourceFile> {
    files
        .iter()
        .map(|f| SourceFile {
            name: f.name.clone(),
            text: if f.name.ends_with(".flow") {
                change(&f.text)
            } else {
                f.text.clone()
            },
        })
        .collect()
}

#[test]
fn the_sample_bot_is_formatted() {
    for file in flow_files() {
        let formatted = fmt(&file.text);
        assert!(
            formatted == file.text,
            "{} is not formatted: run `guichet fmt flows stdlib`",
            file.name
        );
    }
}

#[test]
fn a_messy_sample_bot_compiles_to_the_same_program_once_formatted() {
    let files = sample_bot();
    // Every line indented differently and every blank line doubled: the
    // spans all move, the program must not.
    let messy = with_flow_texts(&files, |text| {
        text.lines()
            .enumerate()
            .map(|(i, l)| format!("{}{}\n", " ".repeat(i % 7), l.trim_start()))
            .collect::<String>()
            .replace("\n\n", "\n\n\n")
    });
    let formatted = with_flow_texts(&messy, fmt);
    assert_eq!(compile(&messy), compile(&formatted));
    assert_eq!(compile(&formatted), compile(&files));
}

#[test]
fn the_program_comparison_sees_a_changed_string() {
    let files = sample_bot();
    let changed = with_flow_texts(&files, |t| {
        t.replacen("Je vous passe un collègue", "Je vous passe une collègue", 1)
    });
    assert_ne!(compile(&files), compile(&changed));
    // And it is not fooled by a map's order: the same bot twice agrees.
    assert_eq!(compile(&files), compile(&files));
}

/// A random layout of a sample file: lines indented anyhow, with tabs,
/// trailing spaces, CRLF, and some lines joined to the next (line breaks
/// carry no meaning; a line with a comment is never joined).
fn perturb(text: &str, choices: &[u8]) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let r = choices[i % choices.len()] as usize + i;
        let indent = ["", " ", "\t", "      ", " \t "][r % 5];
        out.push_str(indent);
        out.push_str(line.trim_start());
        if r.is_multiple_of(3) {
            out.push_str("  ");
        }
        let next_is_code = lines.get(i + 1).is_some_and(|n| !n.trim().is_empty());
        let joinable =
            !line.contains('#') && !lines[i + 1..].first().is_some_and(|n| n.contains('#'));
        if r.is_multiple_of(4) && next_is_code && joinable && !line.trim().is_empty() {
            out.push(' ');
        } else if r % 5 == 1 {
            out.push_str("\r\n");
        } else {
            out.push('\n');
        }
    }
    out
}

fn comments_of(text: &str) -> Vec<String> {
    // The sample bot's strings hold no `#`; the comments are what follows it.
    text.lines()
        .filter_map(|l| l.find('#').map(|i| l[i..].trim_end().to_string()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_layout_of_a_sample_file_formats_back_to_the_file(
        which in 0usize..64,
        choices in prop::collection::vec(any::<u8>(), 1..40),
    ) {
        let files = flow_files();
        let file = &files[which % files.len()];
        let messy = perturb(&file.text, &choices);
        prop_assert_eq!(shape_of(&messy), shape_of(&file.text));
        let formatted = fmt(&messy);
        prop_assert_eq!(&formatted, &file.text, "{}", file.name);
        prop_assert_eq!(fmt(&formatted), formatted.clone());
        prop_assert_eq!(comments_of(&formatted), comments_of(&file.text));
    }

    #[test]
    fn generated_flows_keep_their_meaning_and_comments_and_format_once(seed in any::<u64>()) {
        let (src, comment_count) = generate(seed);
        let formatted = fmt(&src);
        prop_assert_eq!(shape_of(&formatted), shape_of(&src), "--- source:\n{}\n--- formatted:\n{}", src, formatted);
        prop_assert_eq!(fmt(&formatted), formatted.clone(), "not idempotent:\n{}", formatted);
        for k in 0..comment_count {
            let marker = format!("# c{k}.");
            prop_assert_eq!(formatted.matches(&marker).count(), 1, "{} lost:\n{}", marker, formatted);
        }
        prop_assert!(formatted.lines().all(|l| l == l.trim_end()));
        prop_assert!(formatted.is_empty() || formatted.ends_with('\n') && !formatted.ends_with("\n\n"));
    }

    #[test]
    fn arbitrary_text_never_panics_the_formatter(text in ".{0,200}") {
        if let Ok(formatted) = format_source(&text) {
            prop_assert_eq!(fmt(&formatted), formatted);
        }
    }

    #[test]
    fn token_soup_never_panics_the_formatter(words in prop::collection::vec(0usize..SOUP.len(), 0..40)) {
        let text: String = words.iter().map(|&w| SOUP[w]).collect::<Vec<_>>().join(" ");
        if let Ok(formatted) = format_source(&text) {
            prop_assert_eq!(fmt(&formatted), formatted);
        }
    }
}

const SOUP: &[&str] = &[
    "flow", "f", "end", "say", "\"a\"", "fr:", "if", "x", "else", "#", "\n", "(", ")", ",", "set",
    "=", "1", "-", "not", "form", "slot", "d:", "date", "action", "a", "->", "\"#\"", "{", "}",
    "button", "yes", "match", "case", "do", "ok", "failed", "attempts", "then", "\t", "\r\n",
];

/// A tiny random source, so a failing case is reproduced from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Generates a valid flow file as tokens, then joins them with random
/// white space, blank lines and numbered comments (`# cN.`). Returns the
/// source and the number of comments in it.
fn generate(seed: u64) -> (String, usize) {
    let mut rng = Rng(seed | 1);
    let mut toks: Vec<String> = Vec::new();
    if rng.below(2) == 0 {
        push(&mut toks, "bot \"Gen\" languages fr , nl default fr end");
    }
    for i in 0..1 + rng.below(3) {
        match rng.below(4) {
            0 => {
                push(
                    &mut toks,
                    &format!("action act_{i} ( p : text , q ? : date"),
                );
                if rng.below(2) == 0 {
                    push(&mut toks, ",");
                }
                push(&mut toks, ") -> ( r : text )");
            }
            1 => {
                push(&mut toks, "synonyms fr :");
                strings(&mut rng, &mut toks, ",");
            }
            _ => {
                push(&mut toks, &format!("flow flow_{i}"));
                if rng.below(3) == 0 {
                    push(&mut toks, "( p : text )");
                }
                if rng.below(2) == 0 {
                    push(&mut toks, "triggers fr :");
                    strings(&mut rng, &mut toks, ",");
                }
                block(&mut rng, &mut toks, 3);
                push(&mut toks, "end");
            }
        }
    }
    let mut src = String::new();
    let mut comments = 0;
    for tok in &toks {
        src.push_str(tok);
        let sep = match rng.below(12) {
            0 => {
                comments += 1;
                format!(" # c{}. note\n", comments - 1)
            }
            1 => {
                comments += 1;
                format!("\n\n  # c{}. above\n\t", comments - 1)
            }
            2 => "\n".to_string(),
            3 => "\n\n\n".to_string(),
            4 => "\t".to_string(),
            5 => "\r\n    ".to_string(),
            _ => " ".to_string(),
        };
        src.push_str(&sep);
    }
    (src, comments)
}

fn push(toks: &mut Vec<String>, words: &str) {
    toks.extend(words.split(' ').map(str::to_string));
}

const STRINGS: &[&str] = &[
    "\"a\"",
    "\"x # not a comment\"",
    "\"say \\\"hi\\\"\"",
    "\"{total} #{x}\"",
    "\"é, ü {{braces}}\"",
    "\"{f(\"#\")}\"",
];

fn strings(rng: &mut Rng, toks: &mut Vec<String>, sep: &str) {
    for k in 0..1 + rng.below(3) {
        if k > 0 {
            toks.push(sep.to_string());
        }
        toks.push(rng.pick(STRINGS).to_string());
    }
}

fn expr(rng: &mut Rng, toks: &mut Vec<String>, depth: usize) {
    if rng.below(4) == 0 {
        push(toks, rng.pick(&["not", "-"]));
    }
    match if depth == 0 { 0 } else { rng.below(6) } {
        // Literals are single tokens: no comment may split `5 EUR`.
        0 => toks.push(
            rng.pick(&[
                "1",
                "2.5",
                "total",
                "x.y",
                "12:30",
                "2025-01-02",
                "5 EUR",
                "€ 5",
                "3 days",
                "yes",
                "nothing",
            ])
            .to_string(),
        ),
        1 => toks.push(rng.pick(STRINGS).to_string()),
        2 => {
            push(toks, "f (");
            expr(rng, toks, depth - 1);
            push(toks, ",");
            expr(rng, toks, depth - 1);
            push(toks, ")");
        }
        3 => {
            push(toks, "[");
            expr(rng, toks, depth - 1);
            push(toks, "]");
        }
        4 => {
            push(toks, "(");
            expr(rng, toks, depth - 1);
            push(toks, ")");
        }
        _ => {
            expr(rng, toks, depth - 1);
            push(toks, rng.pick(&["+", "==", "and", "<=", "in", "*"]));
            expr(rng, toks, depth - 1);
        }
    }
}

fn block(rng: &mut Rng, toks: &mut Vec<String>, depth: usize) {
    for _ in 0..1 + rng.below(3) {
        statement(rng, toks, depth);
    }
}

fn statement(rng: &mut Rng, toks: &mut Vec<String>, depth: usize) {
    match if depth == 0 {
        rng.below(3)
    } else {
        rng.below(9)
    } {
        0 => {
            push(toks, "say");
            if rng.below(3) == 0 {
                toks.push(rng.pick(STRINGS).to_string());
            } else {
                for lang in ["fr", "nl"] {
                    push(toks, &format!("{lang} :"));
                    strings(rng, toks, "|");
                }
            }
            if rng.below(2) == 0 {
                push(toks, "button yes fr :");
                toks.push(rng.pick(STRINGS).to_string());
            }
        }
        1 => {
            push(toks, "set total =");
            expr(rng, toks, 2);
        }
        2 => push(
            toks,
            rng.pick(&["stop", "return", "handoff", "goto flow_0", "language nl"]),
        ),
        3 => {
            push(toks, "if");
            expr(rng, toks, 2);
            block(rng, toks, depth - 1);
            if rng.below(2) == 0 {
                push(toks, "elif");
                expr(rng, toks, 1);
                block(rng, toks, depth - 1);
            }
            if rng.below(2) == 0 {
                push(toks, "else");
                block(rng, toks, depth - 1);
            }
            push(toks, "end");
        }
        4 => {
            push(toks, "match total case 1 , 2");
            block(rng, toks, depth - 1);
            push(toks, "else");
            block(rng, toks, depth - 1);
            push(toks, "end");
        }
        5 => {
            push(toks, "do act ( p : 1 , q ) as r ok");
            block(rng, toks, depth - 1);
            push(toks, "failed");
            block(rng, toks, depth - 1);
            push(toks, "end");
        }
        6 => push(toks, "call flow_0 ( p : \"x\" )"),
        _ => {
            push(toks, "form slot when_date : date");
            if rng.below(2) == 0 {
                push(toks, "ask fr :");
                toks.push(rng.pick(STRINGS).to_string());
            }
            if rng.below(2) == 0 {
                push(toks, "require");
                expr(rng, toks, 1);
                push(toks, "else fr :");
                toks.push(rng.pick(STRINGS).to_string());
            }
            if rng.below(2) == 0 {
                push(toks, "attempts 3 then");
                block(rng, toks, depth - 1);
                push(toks, "end");
            }
            push(toks, "end");
        }
    }
}

/// The README's before-and-after example is what the formatter does.
#[test]
fn the_readme_example_is_what_fmt_does() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let block_after = |heading: &str| -> String {
        let start = readme
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} in README"));
        let rest = &readme[start..];
        let open = rest.find("```\n").expect("a code block") + 4;
        let close = rest[open..].find("```").expect("its end") + open;
        rest[open..close].to_string()
    };
    let before = block_after("Before:");
    let after = block_after("After `guichet fmt`:");
    assert_ne!(before, after);
    assert_eq!(fmt(&before), after);
}
