//! The TextMate grammars in `editors/` are run over the sample bot the way an
//! editor would, so a grammar that loses a string, colours a word of a
//! comment, forgets a keyword or never closes a region fails here rather
//! than in someone's editor.
//!
//! Editors run TextMate grammars with Oniguruma; `fancy-regex` understands
//! the same lookarounds, and each line is matched with a newline after it
//! and `^`/`$` matching at line ends, as Oniguruma does in editors.

use fancy_regex::Regex;
use guichet::stdlib::signatures::BUILTINS;
use guichet::values::SlotType;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_json(relative: &str) -> Value {
    serde_json::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

// ---------------------------------------------------------------- the engine

enum Kind {
    Match,
    Region {
        end: Regex,
        content_name: Option<String>,
        begin_captures: Vec<Option<String>>,
        end_captures: Vec<Option<String>>,
    },
    /// Only a list of patterns (a repository entry, or the grammar itself).
    Container,
}

struct Rule {
    /// `match` for a match rule, `begin` for a region.
    regex: Option<Regex>,
    name: Option<String>,
    captures: Vec<Option<String>>,
    kind: Kind,
    patterns: Vec<usize>,
}

struct Grammar {
    rules: Vec<Rule>,
    repository: HashMap<String, Value>,
    by_name: HashMap<String, usize>,
    /// Regexes that did not compile, with where they are.
    errors: Vec<String>,
}

const ROOT: usize = 0;

impl Grammar {
    fn load(relative: &str) -> Grammar {
        let json = read_json(relative);
        let repository = json["repository"]
            .as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let mut grammar = Grammar {
            rules: Vec::new(),
            repository,
            by_name: HashMap::new(),
            errors: Vec::new(),
        };
        grammar.rules.push(Rule {
            regex: None,
            name: None,
            captures: Vec::new(),
            kind: Kind::Container,
            patterns: Vec::new(),
        });
        let patterns = grammar.compile_list(&json["patterns"], "patterns");
        grammar.rules[ROOT].patterns = patterns;
        // Entries reached by no include still have to compile.
        let names: Vec<String> = grammar.repository.keys().cloned().collect();
        for name in names {
            grammar.repository_rule(&name);
        }
        grammar
    }

    fn regex(&mut self, source: &str, at: &str) -> Option<Regex> {
        // Inline flags mean different things to Oniguruma and to other
        // engines (`(?m)` is "dot matches newline" in Oniguruma).
        if source.contains("(?m") || source.contains("(?s") {
            self.errors.push(format!(
                "{at}: inline flag in {source:?} reads differently per engine"
            ));
        }
        match Regex::new(&format!("(?m){source}")) {
            Ok(r) => Some(r),
            Err(e) => {
                self.errors.push(format!("{at}: {source:?}: {e}"));
                None
            }
        }
    }

    fn compile_list(&mut self, list: &Value, at: &str) -> Vec<usize> {
        list.as_array()
            .map(|items| {
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.compile(item, &format!("{at}[{i}]")))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn repository_rule(&mut self, name: &str) -> usize {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let Some(value) = self.repository.get(name).cloned() else {
            self.errors
                .push(format!("include of #{name}, which the repository lacks"));
            return self.empty();
        };
        // Registered before compiling, so recursive includes find it.
        let id = self.empty();
        self.by_name.insert(name.to_string(), id);
        let rule = self.build(&value, &format!("#{name}"));
        self.rules[id] = rule;
        id
    }

    fn empty(&mut self) -> usize {
        self.rules.push(Rule {
            regex: None,
            name: None,
            captures: Vec::new(),
            kind: Kind::Container,
            patterns: Vec::new(),
        });
        self.rules.len() - 1
    }

    fn compile(&mut self, value: &Value, at: &str) -> usize {
        if let Some(include) = value["include"].as_str() {
            return match include {
                "$self" | "$base" => ROOT,
                _ => match include.strip_prefix('#') {
                    Some(name) => self.repository_rule(name),
                    // Another grammar: not part of this one.
                    None => self.empty(),
                },
            };
        }
        let rule = self.build(value, at);
        self.rules.push(rule);
        self.rules.len() - 1
    }

    fn build(&mut self, value: &Value, at: &str) -> Rule {
        let name = value["name"].as_str().map(str::to_string);
        let patterns = self.compile_list(&value["patterns"], &format!("{at}.patterns"));
        if let Some(source) = value["match"].as_str() {
            return Rule {
                regex: self.regex(source, at),
                name,
                captures: captures(&value["captures"]),
                kind: Kind::Match,
                patterns,
            };
        }
        if let Some(begin) = value["begin"].as_str() {
            let end_source = value["end"].as_str().unwrap_or_else(|| {
                self.errors.push(format!("{at}: a begin without an end"));
                "$"
            });
            let begin = self.regex(begin, at);
            let end = self.regex(end_source, &format!("{at}.end"));
            let both = captures(&value["captures"]);
            let or_both = |key: &str| {
                if value[key].is_object() {
                    captures(&value[key])
                } else {
                    both.clone()
                }
            };
            return match (begin, end) {
                (Some(begin), Some(end)) => Rule {
                    regex: Some(begin),
                    name,
                    captures: Vec::new(),
                    kind: Kind::Region {
                        end,
                        content_name: value["contentName"].as_str().map(str::to_string),
                        begin_captures: or_both("beginCaptures"),
                        end_captures: or_both("endCaptures"),
                    },
                    patterns,
                },
                _ => Rule {
                    regex: None,
                    name: None,
                    captures: Vec::new(),
                    kind: Kind::Container,
                    patterns: Vec::new(),
                },
            };
        }
        Rule {
            regex: None,
            name,
            captures: Vec::new(),
            kind: Kind::Container,
            patterns,
        }
    }

    /// The match and begin rules a region tries, includes expanded in order.
    fn candidates(&self, container: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.expand(&self.rules[container].patterns, &mut out, &mut seen);
        out
    }

    fn expand(&self, patterns: &[usize], out: &mut Vec<usize>, seen: &mut HashSet<usize>) {
        for &id in patterns {
            match self.rules[id].kind {
                Kind::Container => {
                    if seen.insert(id) {
                        self.expand(&self.rules[id].patterns, out, seen);
                    }
                }
                _ => out.push(id),
            }
        }
    }
}

fn captures(value: &Value) -> Vec<Option<String>> {
    let mut out = Vec::new();
    if let Some(map) = value.as_object() {
        for (group, capture) in map {
            let Ok(group) = group.parse::<usize>() else {
                continue;
            };
            if out.len() <= group {
                out.resize(group + 1, None);
            }
            out[group] = capture["name"].as_str().map(str::to_string);
        }
    }
    out
}

/// `$1` in a scope name stands for what the first group matched.
fn substitute(name: &str, caps: &fancy_regex::Captures<str>) -> String {
    let mut out = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            let digit = chars.next().and_then(|d| d.to_digit(10)).unwrap_or(0) as usize;
            out.push_str(caps.get(digit).map_or("", |m| m.as_str()));
        } else {
            out.push(c);
        }
    }
    out
}

struct Frame {
    rule: usize,
    /// The scopes inside the region (its name and content name).
    scopes: Vec<String>,
    outer: Vec<String>,
    end: Regex,
    opened_on: usize,
}

/// The scopes of every byte of a file, line by line, and the regions still
/// open at its end.
struct Tokenized {
    lines: Vec<Vec<Vec<String>>>,
    open_at_end: Vec<usize>,
}

enum Found {
    End,
    Rule(usize),
}

impl Grammar {
    fn tokenize(&self, text: &str) -> Result<Tokenized, String> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut lines = Vec::new();
        for (index, line) in text.lines().enumerate() {
            lines.push(
                self.tokenize_line(line, index + 1, &mut stack)
                    .map_err(|e| format!("line {}: {e}", index + 1))?,
            );
        }
        Ok(Tokenized {
            lines,
            open_at_end: stack.iter().map(|f| f.opened_on).collect(),
        })
    }

    fn tokenize_line(
        &self,
        line: &str,
        number: usize,
        stack: &mut Vec<Frame>,
    ) -> Result<Vec<Vec<String>>, String> {
        let text = format!("{line}\n");
        let mut scopes: Vec<Vec<String>> = vec![Vec::new(); line.len()];
        let paint = |scopes: &mut Vec<Vec<String>>, from: usize, to: usize, with: &[String]| {
            for slot in scopes.iter_mut().take(to.min(line.len())).skip(from) {
                *slot = with.to_vec();
            }
        };
        let add = |scopes: &mut Vec<Vec<String>>, from: usize, to: usize, scope: &str| {
            for slot in scopes.iter_mut().take(to.min(line.len())).skip(from) {
                slot.push(scope.to_string());
            }
        };
        let mut pos = 0;
        let mut stalled = 0;
        loop {
            let base: Vec<String> = stack.last().map(|f| f.scopes.clone()).unwrap_or_default();
            let container = stack.last().map_or(ROOT, |f| f.rule);
            let mut best: Option<(usize, Found, fancy_regex::Captures<str>)> = None;
            // At the same position the region's end wins over its patterns.
            if let Some(frame) = stack.last() {
                if let Some(caps) = frame
                    .end
                    .captures_from_pos(text.as_str(), pos)
                    .map_err(|e| e.to_string())?
                {
                    let start = caps.get(0).map_or(pos, |m| m.start());
                    best = Some((start, Found::End, caps));
                }
            }
            for id in self.candidates(container) {
                let Some(regex) = &self.rules[id].regex else {
                    continue;
                };
                if let Some(caps) = regex
                    .captures_from_pos(text.as_str(), pos)
                    .map_err(|e| e.to_string())?
                {
                    let start = caps.get(0).map_or(pos, |m| m.start());
                    if best.as_ref().is_none_or(|(b, _, _)| start < *b) {
                        best = Some((start, Found::Rule(id), caps));
                    }
                }
            }
            let Some((start, found, caps)) = best else {
                paint(&mut scopes, pos, line.len(), &base);
                break;
            };
            if start >= line.len() && !matches!(found, Found::End) {
                paint(&mut scopes, pos, line.len(), &base);
                break;
            }
            paint(&mut scopes, pos, start, &base);
            let whole = caps.get(0).map_or(start..start, |m| m.range());
            match found {
                Found::End => {
                    let Some(frame) = stack.pop() else {
                        break;
                    };
                    let Kind::Region { end_captures, .. } = &self.rules[frame.rule].kind else {
                        unreachable!("only regions are pushed");
                    };
                    paint(&mut scopes, whole.start, whole.end, &frame.outer);
                    if let Some(name) = &self.rules[frame.rule].name {
                        add(
                            &mut scopes,
                            whole.start,
                            whole.end,
                            &substitute(name, &caps),
                        );
                    }
                    apply_captures(&mut scopes, &caps, end_captures, line.len());
                }
                Found::Rule(id) => {
                    let rule = &self.rules[id];
                    paint(&mut scopes, whole.start, whole.end, &base);
                    let mut inner = base.clone();
                    if let Some(name) = &rule.name {
                        let name = substitute(name, &caps);
                        add(&mut scopes, whole.start, whole.end, &name);
                        inner.push(name);
                    }
                    match &rule.kind {
                        Kind::Match => {
                            if whole.is_empty() {
                                return Err(
                                    "a match rule matched nothing (an editor would loop)".into()
                                );
                            }
                            apply_captures(&mut scopes, &caps, &rule.captures, line.len());
                        }
                        Kind::Region {
                            end,
                            content_name,
                            begin_captures,
                            ..
                        } => {
                            apply_captures(&mut scopes, &caps, begin_captures, line.len());
                            if let Some(content) = content_name {
                                inner.push(substitute(content, &caps));
                            }
                            stack.push(Frame {
                                rule: id,
                                scopes: inner,
                                outer: base.clone(),
                                end: end.clone(),
                                opened_on: number,
                            });
                        }
                        Kind::Container => unreachable!("containers are expanded"),
                    }
                }
            }
            if whole.end == pos {
                stalled += 1;
                if stalled > 16 {
                    return Err(format!("the grammar loops at column {}", pos + 1));
                }
            } else {
                stalled = 0;
            }
            pos = whole.end;
        }
        Ok(scopes)
    }
}

fn apply_captures(
    scopes: &mut [Vec<String>],
    caps: &fancy_regex::Captures<str>,
    names: &[Option<String>],
    len: usize,
) {
    for (group, name) in names.iter().enumerate() {
        let (Some(name), Some(m)) = (name, caps.get(group)) else {
            continue;
        };
        let name = substitute(name, caps);
        for slot in scopes.iter_mut().take(m.end().min(len)).skip(m.start()) {
            slot.push(name.clone());
        }
    }
}

// ---------------------------------------------------------------- what the language says

/// The reserved words, read from the pest grammar so the two cannot drift.
fn reserved_words() -> Vec<String> {
    let pest = read("grammar/guichet.pest");
    let start = pest
        .find("keyword = @{")
        .expect("the pest grammar has a keyword rule");
    let body = &pest[start..];
    let body = &body[..body.find("\n}").expect("the keyword rule closes")];
    // The rule is a trie, a line per first letter: `'a'..'a' ~ ("ction" |
    // "nd")` reads `action` and `and`.
    let mut words: Vec<String> = Vec::new();
    for line in body.lines() {
        let letter = line
            .split_once("'..'")
            .map(|(before, _)| before.rsplit('\'').next().unwrap_or_default())
            .unwrap_or_default();
        words.extend(
            line.split('"')
                .skip(1)
                .step_by(2)
                .map(|rest| format!("{letter}{rest}")),
        );
    }
    assert!(
        words.len() > 40,
        "read only {} keywords from the pest grammar",
        words.len()
    );
    words
}

/// The sample bot, the standard library and the examples of the docs, as
/// (where, source); a doc example's lines are numbered from its block.
fn sample_sources() -> Vec<(String, String)> {
    let mut sources = Vec::new();
    for dir in ["flows", "stdlib"] {
        for entry in std::fs::read_dir(root().join(dir)).expect("sample folder") {
            let path = entry.expect("folder entry").path();
            if path.extension().is_some_and(|e| e == "flow") {
                let source = std::fs::read_to_string(&path).expect("sample flow");
                sources.push((
                    format!(
                        "{dir}/{}",
                        path.file_name().unwrap_or_default().to_string_lossy()
                    ),
                    source,
                ));
            }
        }
    }
    let flow_files = sources.len();
    for doc in ["docs/language.md", "README.md"] {
        let mut block: Option<(usize, String)> = None;
        for (index, line) in read(doc).lines().enumerate() {
            match (&mut block, line.trim_end()) {
                (None, "```guichet") => block = Some((index + 2, String::new())),
                (Some((first, text)), "```") => {
                    sources.push((
                        format!("{doc} (block from line {first})"),
                        std::mem::take(text),
                    ));
                    block = None;
                }
                (Some((_, text)), _) => {
                    text.push_str(line);
                    text.push('\n');
                }
                (None, _) => {}
            }
        }
    }
    sources.sort();
    assert!(
        flow_files >= 8 && sources.len() >= flow_files + 8,
        "found only {flow_files} sample flows and {} sources",
        sources.len()
    );
    sources
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Class {
    Code,
    Comment,
    /// Inside quotes and outside any `{...}`, quotes included.
    Text,
    /// The braces of an interpolation.
    Brace,
}

/// What each byte of a line is, by the pest grammar's rules for comments,
/// strings, escapes and `{expr}` (texts never span lines).
fn classify(line: &str) -> Vec<Class> {
    let bytes = line.as_bytes();
    let mut class = vec![Class::Code; bytes.len()];
    // Modes: false = code (top level or inside braces), true = in a string.
    let mut modes = vec![false];
    let mut i = 0;
    while i < bytes.len() {
        let in_string = *modes.last().unwrap_or(&false);
        let b = bytes[i];
        if in_string {
            class[i] = Class::Text;
            match b {
                b'\\' if i + 1 < bytes.len() => {
                    class[i + 1] = Class::Text;
                    i += 1;
                }
                b'{' | b'}' if bytes.get(i + 1) == Some(&b) => {
                    class[i + 1] = Class::Text;
                    i += 1;
                }
                b'{' => {
                    class[i] = Class::Brace;
                    modes.push(false);
                }
                b'"' => {
                    modes.pop();
                }
                _ => {}
            }
        } else {
            match b {
                b'#' => {
                    class[i..].iter_mut().for_each(|c| *c = Class::Comment);
                    break;
                }
                b'"' => {
                    class[i] = Class::Text;
                    modes.push(true);
                }
                b'}' if modes.len() > 1 => {
                    class[i] = Class::Brace;
                    modes.pop();
                }
                _ => {}
            }
        }
        i += 1;
    }
    class
}

/// The words of a line with their byte ranges.
fn words(line: &str) -> Vec<(usize, usize)> {
    let bytes = line.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if is_word(bytes[i]) && (i == 0 || !is_word(bytes[i - 1])) && !bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
            // A word glued to non-ASCII letters (`même`) is not a word of the language.
            let glued = |b: Option<&u8>| b.is_some_and(|b| *b >= 0x80);
            let before = start.checked_sub(1).and_then(|p| bytes.get(p));
            if !glued(before) && !glued(bytes.get(i)) {
                out.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    out
}

fn has(scopes: &[String], prefix: &str) -> bool {
    scopes.iter().any(|s| s.starts_with(prefix))
}

/// A scope a theme colours as a keyword: declarations, control, other
/// keywords, word operators and the constants `yes`, `no`, `nothing`...
fn is_keyword_scope(scopes: &[String]) -> bool {
    has(scopes, "keyword.") || has(scopes, "storage.") || has(scopes, "constant.language.")
}

fn scopes_of(tokens: &[Vec<String>], (start, end): (usize, usize)) -> &[Vec<String>] {
    &tokens[start..end]
}

fn scope_line(grammar: &Grammar, line: &str) -> Vec<Vec<String>> {
    let mut stack = Vec::new();
    grammar
        .tokenize_line(line, 1, &mut stack)
        .unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

fn span_of(line: &str, word: &str, nth: usize) -> (usize, usize) {
    let start = line
        .match_indices(word)
        .nth(nth)
        .unwrap_or_else(|| panic!("{word:?} in {line:?}"))
        .0;
    (start, start + word.len())
}

fn flow_grammar() -> Grammar {
    let grammar = Grammar::load("editors/guichet.tmLanguage.json");
    assert!(grammar.errors.is_empty(), "{}", grammar.errors.join("\n"));
    grammar
}

// ---------------------------------------------------------------- tests

#[test]
fn every_regex_of_both_grammars_compiles() {
    for file in [
        "editors/guichet.tmLanguage.json",
        "editors/guichet-test.tmLanguage.json",
    ] {
        let grammar = Grammar::load(file);
        assert!(
            grammar.errors.is_empty(),
            "{file}:\n{}",
            grammar.errors.join("\n")
        );
        assert!(grammar.rules.len() > 5, "{file} has almost no rules");
    }
    let json = read_json("editors/guichet.tmLanguage.json");
    assert_eq!(json["scopeName"], "source.guichet");
    assert_eq!(json["fileTypes"][0], "flow");
    let json = read_json("editors/guichet-test.tmLanguage.json");
    assert_eq!(json["scopeName"], "source.guichet-test");
    assert_eq!(json["fileTypes"][0], "test");
}

#[test]
fn sample_flows_are_scoped_as_the_language_reads_them() {
    let grammar = flow_grammar();
    let reserved: HashSet<String> = reserved_words().into_iter().collect();
    let builtins: HashSet<&str> = BUILTINS.iter().map(|b| b.name).collect();
    let mut problems = Vec::new();
    let (mut comments, mut texts, mut keywords) = (0, 0, 0);
    for (file, source) in sample_sources() {
        let tokens = match grammar.tokenize(&source) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        for opened in &tokens.open_at_end {
            problems.push(format!(
                "{file}: a region opened on line {opened} is still open at the end"
            ));
        }
        for (index, (line, scopes)) in source.lines().zip(&tokens.lines).enumerate() {
            let at = format!("{file}:{}", index + 1);
            let class = classify(line);
            for (i, c) in class.iter().enumerate() {
                let s = &scopes[i];
                let ok = match c {
                    Class::Comment => has(s, "comment."),
                    Class::Text => has(s, "string.") && !has(s, "comment."),
                    Class::Brace => has(s, "punctuation.section.interpolation"),
                    Class::Code => !has(s, "comment.") && !has(s, "invalid."),
                };
                if !ok && line.is_char_boundary(i) {
                    problems.push(format!(
                        "{at}:{}: {c:?} byte scoped {s:?} in {line:?}",
                        i + 1
                    ));
                }
            }
            comments += usize::from(class.contains(&Class::Comment));
            texts += class
                .windows(2)
                .filter(|w| w[0] != Class::Text && w[1] == Class::Text)
                .count();
            let all_words = words(line);
            for (n, &(start, end)) in all_words.iter().enumerate() {
                let word = &line[start..end];
                let word_scopes = scopes_of(scopes, (start, end));
                match class[start] {
                    Class::Comment | Class::Text => {
                        if reserved.contains(word)
                            && word_scopes.iter().any(|s| is_keyword_scope(s))
                        {
                            problems.push(format!(
                                "{at}: `{word}` in a text or comment scoped as a keyword"
                            ));
                        }
                        continue;
                    }
                    _ => {}
                }
                let before = line[..start].trim_end();
                let previous = n
                    .checked_sub(1)
                    .map(|p| &line[all_words[p].0..all_words[p].1]);
                let called = line[end..].trim_start().starts_with('(');
                if called && builtins.contains(word) {
                    if !word_scopes.iter().all(|s| has(s, "support.function")) {
                        problems.push(format!(
                            "{at}: built-in `{word}` not scoped support.function"
                        ));
                    }
                    continue;
                }
                // A name after `flow`, `action` or `faq` is what it declares.
                if matches!(previous, Some("flow" | "action" | "faq"))
                    && before.ends_with(previous.unwrap_or(""))
                {
                    if !word_scopes.iter().all(|s| has(s, "entity.name.function")) {
                        problems.push(format!(
                            "{at}: `{word}` declared but not scoped entity.name.function"
                        ));
                    }
                    continue;
                }
                // A type or field name (`: text`, `.text`) and a button's
                // payload (`button yes`) may be spelled like a keyword.
                let name_position = before.ends_with('.')
                    || before.ends_with(':')
                    || (previous == Some("button") && before.ends_with("button"));
                if reserved.contains(word) && !name_position {
                    keywords += 1;
                    if !word_scopes.iter().all(|s| is_keyword_scope(s)) {
                        problems.push(format!(
                            "{at}: keyword `{word}` scoped {:?}",
                            word_scopes[0]
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The samples exercise all of it (else the checks above prove little).
    assert!(
        comments > 50 && texts > 300 && keywords > 300,
        "comments {comments}, texts {texts}, keywords {keywords}"
    );
}

#[test]
fn every_reserved_word_is_a_keyword_in_code_and_not_in_texts_or_comments() {
    let grammar = flow_grammar();
    let mut missing = Vec::new();
    for word in reserved_words() {
        let alone = scope_line(&grammar, &word);
        if !alone.iter().all(|s| is_keyword_scope(s)) {
            missing.push(format!("`{word}` alone is scoped {:?}", alone[0]));
        }
        let line = format!("say fr: \"{word} {{x}}\" # {word}");
        let scopes = scope_line(&grammar, &line);
        for nth in [0, 1] {
            let span = span_of(&line, &word, nth + usize::from(word == "say"));
            if scopes_of(&scopes, span).iter().any(|s| is_keyword_scope(s)) {
                missing.push(format!("`{word}` is a keyword inside {line:?}"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_builtin_function_and_slot_type_is_known() {
    let grammar = flow_grammar();
    let mut missing = Vec::new();
    for builtin in BUILTINS {
        for line in [
            format!("set x = {}(1)", builtin.name),
            format!("say \"{{ {}() }}\"", builtin.name),
        ] {
            let scopes = scope_line(&grammar, &line);
            let span = span_of(&line, builtin.name, 0);
            if !scopes_of(&scopes, span)
                .iter()
                .all(|s| has(s, "support.function"))
            {
                missing.push(format!("built-in `{}` in {line:?}", builtin.name));
            }
        }
    }
    // A name that is not a built-in is no support.function.
    let scopes = scope_line(&grammar, "set x = todays(1)");
    assert!(
        !scopes.iter().any(|s| has(s, "support.function")),
        "{scopes:?}"
    );
    for (name, _) in SlotType::BUILTIN {
        for line in [
            format!("slot x: {name}"),
            format!("action a(x?: {name}) -> (y: {name})"),
            format!("table t from \"t.csv\" (c: {name})"),
        ] {
            let scopes = scope_line(&grammar, &line);
            let start = line.rfind(name).unwrap_or(0);
            if !scopes_of(&scopes, (start, start + name.len()))
                .iter()
                .all(|s| has(s, "support.type"))
            {
                missing.push(format!("slot type `{name}` in {line:?}"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn literals_interpolation_and_trigger_patterns_are_scoped() {
    let grammar = flow_grammar();
    let cases: &[(&str, &str, &str)] = &[
        ("set fee = 15 EUR", "15 EUR", "constant.numeric.money"),
        ("set fee = €12.50", "€12.50", "constant.numeric.money"),
        ("set d = 2025-03-15", "2025-03-15", "constant.numeric.date"),
        ("set t = 14:30", "14:30", "constant.numeric.time"),
        (
            "set d = today() - 3 years",
            "3",
            "constant.numeric.duration",
        ),
        ("set d = today() - 3 years", "years", "keyword.other.unit"),
        ("set n = 12.5", "12.5", "constant.numeric"),
        (
            "  fr: \"Bonjour\" | \"Salut\"",
            "fr",
            "entity.name.tag.language",
        ),
        (
            "  fr: \"Bonjour\" | \"Salut\"",
            "|",
            "punctuation.separator.variant",
        ),
        ("say \"a \\\" b\"", "\\\"", "constant.character.escape"),
        ("say \"{{ braces }}\"", "{{", "constant.character.escape"),
        ("say \"Total: {row.price}\"", "row", "meta.interpolation"),
        (
            "say \"Total: {row.price}\"",
            "price",
            "variable.other.member",
        ),
        (
            "say \"{lookup(t, \"rank\", r).name}\"",
            "\"rank\"",
            "string.quoted",
        ),
        (
            "say \"{lookup(t, \"rank\", r).name}\"",
            "lookup",
            "support.function",
        ),
        ("if row.text == nothing", "text", "variable.other.member"),
        ("set x = not a and b", "not", "keyword.operator"),
        ("set x = a >= b", ">=", "keyword.operator.comparison"),
        ("  prefer future", "future", "support.constant"),
        ("      personal", "personal", "keyword.other.personal"),
        ("  goto payment", "payment", "entity.name.function"),
        ("  language nl", "nl", "entity.name.tag.language"),
        ("  button yes fr: \"Oui\"", "yes", "constant.other.payload"),
        ("choice card_rank", "card_rank", "entity.name.type"),
        (
            "pattern request_reference \"CR-dddd-dddd\" or \"RC-dddd-dddd\"",
            "request_reference",
            "entity.name.type",
        ),
        (
            "pattern request_reference \"CR-dddd\"",
            "pattern",
            "storage.type",
        ),
        ("say \"oops\\q\"", "\\q", "invalid.illegal"),
    ];
    let mut wrong = Vec::new();
    for (line, part, scope) in cases {
        let scopes = scope_line(&grammar, line);
        let span = span_of(line, part, 0);
        if !scopes_of(&scopes, span).iter().all(|s| has(s, scope)) {
            wrong.push(format!(
                "{part:?} in {line:?}: want {scope}, got {:?}",
                scopes[span.0]
            ));
        }
    }
    // Trigger patterns: `(a|b)`, `[optional]` and `*` inside a trigger string,
    // and the list ends at the next statement.
    let source = "flow f\n  triggers\n    fr: \"(menu|repas) [de la] cantine *\",\n      \"cantine\"\n  say \"(a|b) *\"\nend\n";
    let tokens = grammar.tokenize(source).expect("tokenizes");
    assert!(tokens.open_at_end.is_empty(), "a region stays open");
    let trigger = source.lines().nth(2).unwrap_or("");
    for part in ["(", "|", "[", "*"] {
        let span = span_of(trigger, part, 0);
        let s = &tokens.lines[2][span.0];
        if !(has(s, "keyword.operator.pattern") && has(s, "string.")) {
            wrong.push(format!("{part:?} in a trigger: {s:?}"));
        }
    }
    let say = source.lines().nth(4).unwrap_or("");
    let star = &tokens.lines[4][span_of(say, "*", 0).0];
    if has(star, "keyword.operator") {
        wrong.push(format!(
            "`*` in a said text is a pattern operator: {star:?}"
        ));
    }
    // An unclosed quote ends with its line, as the parser reports it.
    let tokens = grammar
        .tokenize("say \"oops\nflow next\nend\n")
        .expect("tokenizes");
    if !has(&tokens.lines[1][0], "storage.type") {
        wrong.push(format!("after an unclosed quote: {:?}", tokens.lines[1][0]));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The steps a conversation test may start a line with, read from the
/// source of the test runner.
fn test_directives() -> Vec<String> {
    let source = read("src/testing.rs");
    let start = source
        .find("const DIRECTIVES")
        .expect("testing.rs lists its steps");
    let list = &source[start..];
    let list = &list[..list.find("];").expect("the list closes")];
    let mut steps: Vec<String> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    steps.push("@test".into());
    assert!(
        steps.len() > 10,
        "read only {} steps from testing.rs",
        steps.len()
    );
    steps
}

#[test]
fn conversation_tests_are_scoped_by_their_steps() {
    let grammar = Grammar::load("editors/guichet-test.tmLanguage.json");
    assert!(grammar.errors.is_empty(), "{}", grammar.errors.join("\n"));
    let mut problems = Vec::new();
    for step in test_directives() {
        let line = format!("{step} x");
        let scopes = scope_line(&grammar, &line);
        if !scopes[..step.len()].iter().all(|s| has(s, "keyword."))
            || scopes.iter().any(|s| has(s, "invalid."))
        {
            problems.push(format!("step {step:?}: {:?}", scopes[0]));
        }
    }
    if !scope_line(&grammar, "frobnicate x")[0]
        .iter()
        .any(|s| s.starts_with("invalid."))
    {
        problems.push("an unknown step is not marked invalid".into());
    }
    let mut files = 0;
    for entry in std::fs::read_dir(root().join("flows/tests")).expect("flows/tests") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "test") {
            continue;
        }
        files += 1;
        let source = std::fs::read_to_string(&path).expect("test file");
        let tokens = grammar
            .tokenize(&source)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            tokens.open_at_end.is_empty(),
            "{}: a region stays open",
            path.display()
        );
        for (index, (line, scopes)) in source.lines().zip(&tokens.lines).enumerate() {
            let at = format!("{}:{}", path.display(), index + 1);
            let start = line.len() - line.trim_start().len();
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            if trimmed.starts_with('#') {
                if !scopes[start..].iter().all(|s| has(s, "comment.")) {
                    problems.push(format!("{at}: comment not scoped comment"));
                }
                continue;
            }
            let head = trimmed.split_whitespace().next().unwrap_or("");
            if !scopes[start..start + head.len()]
                .iter()
                .all(|s| has(s, "keyword."))
                || scopes.iter().any(|s| has(s, "invalid."))
            {
                problems.push(format!("{at}: step `{head}` scoped {:?}", scopes[start]));
            }
        }
    }
    assert!(files >= 10, "found only {files} conversation tests");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_vscode_extension_points_at_the_grammars() {
    let extension = root().join("editors/vscode");
    let package = read_json("editors/vscode/package.json");
    let contributes = &package["contributes"];
    let languages = contributes["languages"]
        .as_array()
        .expect("contributes.languages");
    let mut ids = HashSet::new();
    for language in languages {
        ids.insert(language["id"].as_str().expect("a language id"));
        let configuration = language["configuration"]
            .as_str()
            .expect("a language configuration");
        let text = std::fs::read_to_string(extension.join(configuration))
            .unwrap_or_else(|e| panic!("{configuration}: {e}"));
        let configuration: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{configuration}: {e}"));
        assert_eq!(configuration["comments"]["lineComment"], "#");
        for key in ["increaseIndentPattern", "decreaseIndentPattern"] {
            if let Some(pattern) = configuration["indentationRules"][key].as_str() {
                Regex::new(pattern).unwrap_or_else(|e| panic!("{key}: {e}"));
            }
        }
    }
    let extensions: Vec<&str> = languages
        .iter()
        .flat_map(|l| l["extensions"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    assert!(
        extensions.contains(&".flow") && extensions.contains(&".test"),
        "{extensions:?}"
    );
    let grammars = contributes["grammars"]
        .as_array()
        .expect("contributes.grammars");
    assert_eq!(grammars.len(), 2);
    for grammar in grammars {
        let path = grammar["path"].as_str().expect("a grammar path");
        assert!(
            ids.contains(grammar["language"].as_str().unwrap_or("")),
            "{grammar}"
        );
        let shipped =
            std::fs::read_to_string(extension.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        // The extension carries a copy (VS Code reads no file outside its
        // folder); it must be the grammar tested above.
        let name = Path::new(path)
            .file_name()
            .expect("a file name")
            .to_string_lossy();
        assert_eq!(
            shipped,
            read(&format!("editors/{name}")),
            "editors/vscode/{path} differs from editors/{name}: copy it again"
        );
        let json: Value = serde_json::from_str(&shipped).expect("grammar JSON");
        assert_eq!(json["scopeName"], grammar["scopeName"], "{path}");
    }
}

#[test]
fn the_flow_indentation_rules_follow_blocks() {
    let configuration = read_json("editors/vscode/language-configuration.json");
    let increase = Regex::new(
        configuration["indentationRules"]["increaseIndentPattern"]
            .as_str()
            .expect("increase"),
    )
    .expect("regex");
    let decrease = Regex::new(
        configuration["indentationRules"]["decreaseIndentPattern"]
            .as_str()
            .expect("decrease"),
    )
    .expect("regex");
    for line in [
        "flow renewal",
        "  form",
        "    slot card: card_kind",
        "      ask",
        "  if x > 3",
        "      attempts 3 then",
        "  say",
        "text opening_hours",
    ] {
        assert!(
            increase.is_match(line).unwrap_or(false),
            "{line:?} should indent what follows"
        );
    }
    for line in [
        "  say fr: \"Bonjour\"",
        "  set x = 1",
        "  end",
        "  goto x",
        "  handoff too_many_attempts",
    ] {
        assert!(
            !increase.is_match(line).unwrap_or(true),
            "{line:?} should not indent what follows"
        );
    }
    for line in ["  end", "  else", "  elif x", "    failed"] {
        assert!(
            decrease.is_match(line).unwrap_or(false),
            "{line:?} should move back"
        );
    }
}

#[test]
fn the_vscode_extension_starts_guichet_lsp() {
    let package = read_json("editors/vscode/package.json");
    let main = package["main"].as_str().expect("a main script");
    let script = read(&format!("editors/vscode/{}", main.trim_start_matches("./")));
    // The client starts `<guichet.server.path> lsp` for both languages.
    assert!(script.contains("\"lsp\""), "{script}");
    assert!(script.contains("vscode-languageclient/node"));
    for language in ["guichet", "guichet-test"] {
        assert!(script.contains(&format!("language: \"{language}\"")));
        assert!(package["activationEvents"]
            .as_array()
            .expect("activation events")
            .contains(&Value::from(format!("onLanguage:{language}"))));
    }
    let settings = &package["contributes"]["configuration"]["properties"];
    assert_eq!(settings["guichet.server.path"]["default"], "guichet");
    assert!(script.contains("server.path"));
    assert!(package["dependencies"]["vscode-languageclient"].is_string());
    // The packaging script exists and is executable.
    let sh = std::fs::metadata(root().join("editors/vscode/package.sh")).expect("package.sh");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert!(
            sh.permissions().mode() & 0o111 != 0,
            "package.sh is not executable"
        );
    }
    assert!(sh.is_file());
}
