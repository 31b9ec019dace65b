//! The block structure of a file, read from its keywords and its layout
//! alone, before the grammar sees it.
//!
//! One pass over the bytes (strings, interpolations and comments skipped
//! as the grammar skips them) finds two things the grammar cannot say well:
//!
//! - **nesting too deep to read safely**: pest, the syntax tree, the
//!   checker, the compiler and the interpreter all follow a block or an
//!   expression into what it holds, so a file of 10,000 nested `if` would
//!   exhaust the stack. A file is held to `MAX_BLOCK_DEPTH` blocks and
//!   `MAX_EXPR_DEPTH` brackets inside each other, limits far above any real
//!   bot and far below what a 2 MiB thread can follow; the item that goes
//!   deeper is not read, and gets a `too-deep` diagnostic.
//! - **blocks left open**: the formatter's layout puts a block's `end` at
//!   the indentation of the line that opened it, so an `end` (or `elif`,
//!   `else`, `failed`, or a new item at the margin) at a shallower
//!   indentation than the innermost open block closes an outer block, and
//!   the blocks in between were never closed. Each is reported where it
//!   opens, with the line after which its `end` belongs: after the last line
//!   indented deeper than the block's own.

/// Blocks inside each other: an item (`flow`, `faq`, `slot`...), `if`,
/// `match`, `form`, the branches of `do`, `attempts ... then`. A bot's
/// flows rarely go past six.
pub const MAX_BLOCK_DEPTH: usize = 64;

/// Expression levels: brackets, lists, calls and interpolations inside
/// each other, and the operators of one expression (`1 + 1 + ...` is a
/// tree as deep as it has operators).
pub const MAX_EXPR_DEPTH: usize = 100;

/// A keyword that opened a block not yet closed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Opener {
    pub word: &'static str,
    /// Byte offset of the keyword.
    pub start: usize,
    /// 0-based line of the keyword.
    pub line: usize,
    /// Indentation (in characters) of the keyword's line.
    pub indent: usize,
    /// Indentation its `end` has in the canonical layout: the line's, but
    /// for `ok` and `failed`, which close with their `do`.
    pub end_indent: usize,
}

/// A block that the layout shows was never closed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unclosed {
    pub opener: Opener,
    /// Byte offset where the missing `end` belongs: the end of the block's
    /// last line (before its line break).
    pub insert_at: usize,
    /// 1-based number of that line.
    pub after_line: usize,
}

/// The first place in an item where nesting goes past a limit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TooDeep {
    pub start: usize,
    pub end: usize,
    /// Blocks (`true`) or expression levels (`false`).
    pub blocks: bool,
    /// The item that holds it: `item_start..item_end`.
    pub item_start: usize,
    pub item_end: usize,
}

#[derive(Debug, Default)]
pub(crate) struct Structure {
    pub too_deep: Vec<TooDeep>,
    pub unclosed: Vec<Unclosed>,
}

const ITEMS: [&str; 10] = [
    "bot", "action", "choice", "slot", "table", "synonyms", "text", "faq", "flow", "pattern",
];

/// The keywords this pass acts on, as `'static` names for `Opener::word`.
fn keyword(word: &str) -> Option<&'static str> {
    const WORDS: [&str; 21] = [
        "bot", "action", "choice", "slot", "table", "synonyms", "text", "faq", "flow", "pattern",
        "if", "match", "form", "then", "do", "ok", "failed", "elif", "else", "case", "end",
    ];
    WORDS.iter().find(|w| **w == word).copied()
}

/// The blocks open at the end of `text` (a file cut at the cursor), from
/// the outermost: what may be written there.
pub fn open_at_end(text: &str) -> Vec<&'static str> {
    let mut s = scanner(text);
    s.keep_open = true;
    s.run();
    s.stack.iter().map(|o| o.word).collect()
}

/// Reads the structure of `text`.
pub(crate) fn scan(text: &str) -> Structure {
    let mut s = scanner(text);
    s.run();
    s.out
}

fn scanner(text: &str) -> Scanner<'_> {
    Scanner {
        text,
        bytes: text.as_bytes(),
        stack: Vec::new(),
        out: Structure::default(),
        line: 0,
        indent: 0,
        token_on_line: false,
        last_do_indent: 0,
        item_start: 0,
        deep_in_item: false,
        lines: None,
        keep_open: false,
    }
}

enum Ctx {
    Str,
    /// An interpolation, with the brackets opened inside it.
    Interp(usize),
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    stack: Vec<Opener>,
    out: Structure,
    line: usize,
    indent: usize,
    token_on_line: bool,
    last_do_indent: usize,
    item_start: usize,
    deep_in_item: bool,
    /// Each line's start, indentation and whether it holds code, built
    /// only when a block is found open.
    lines: Option<Vec<LineInfo>>,
    /// Leave the blocks open at the end of the text on the stack.
    keep_open: bool,
}

#[derive(Clone, Copy)]
struct LineInfo {
    start: usize,
    /// Offset of its line break (or the end of the text).
    end: usize,
    indent: usize,
    /// Not blank and not only a comment.
    code: bool,
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Scanner<'_> {
    fn run(&mut self) {
        let t = self.bytes;
        let mut ctx: Vec<Ctx> = Vec::new();
        let mut expr_depth = 0usize;
        self.indent = self.indent_at(0);
        let mut i = 0;
        while i < t.len() {
            let b = t[i];
            if b == b'\n' {
                if !ctx.is_empty() {
                    // A text stays on one line: the grammar reports it.
                    ctx.clear();
                    expr_depth = 0;
                }
                self.line += 1;
                self.indent = self.indent_at(i + 1);
                self.token_on_line = false;
                i += 1;
                continue;
            }
            if let Some(Ctx::Str) = ctx.last() {
                match b {
                    b'\\' => i += 2,
                    b'"' => {
                        ctx.pop();
                        i += 1;
                    }
                    b'{' | b'}' if t.get(i + 1) == Some(&b) => i += 2,
                    b'{' => {
                        ctx.push(Ctx::Interp(0));
                        expr_depth += 1;
                        self.expr_level(expr_depth, i);
                        i += 1;
                    }
                    _ => i += 1,
                }
                continue;
            }
            match b {
                b' ' | b'\t' | b'\r' => i += 1,
                b'#' => {
                    while i < t.len() && t[i] != b'\n' {
                        i += 1;
                    }
                }
                b'"' => {
                    self.token_on_line = true;
                    ctx.push(Ctx::Str);
                    i += 1;
                }
                b'(' | b'[' | b'{' => {
                    self.token_on_line = true;
                    expr_depth += 1;
                    if let Some(Ctx::Interp(open)) = ctx.last_mut() {
                        *open += 1;
                    }
                    self.expr_level(expr_depth, i);
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    self.token_on_line = true;
                    expr_depth = expr_depth.saturating_sub(1);
                    match ctx.last_mut() {
                        Some(Ctx::Interp(0)) if b == b'}' => {
                            ctx.pop();
                        }
                        Some(Ctx::Interp(open)) => *open = open.saturating_sub(1),
                        _ => {}
                    }
                    i += 1;
                }
                b if is_name_start(b) => {
                    let mut end = i + 1;
                    while end < t.len() && is_name_char(t[end]) {
                        end += 1;
                    }
                    if ctx.is_empty() {
                        if let Some(word) = keyword(&self.text[i..end]) {
                            if self.word(word, i) {
                                expr_depth = 0;
                            }
                        }
                    }
                    self.token_on_line = true;
                    i = end;
                }
                b if is_name_char(b) => {
                    self.token_on_line = true;
                    while i < t.len() && is_name_char(t[i]) {
                        i += 1;
                    }
                }
                _ => {
                    self.token_on_line = true;
                    i += 1;
                }
            }
        }
        if self.keep_open {
            return;
        }
        // What is still open at the end of the file was never closed.
        let open = std::mem::take(&mut self.stack);
        let last = self.line + 1;
        for o in open.into_iter().rev() {
            self.unclose(o, last);
        }
        if self.deep_in_item {
            if let Some(d) = self.out.too_deep.last_mut() {
                d.item_end = t.len();
            }
        }
    }

    /// Indentation of the line that starts at `at`.
    fn indent_at(&self, at: usize) -> usize {
        self.bytes[at.min(self.bytes.len())..]
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count()
    }

    fn expr_level(&mut self, depth: usize, at: usize) {
        if depth > MAX_EXPR_DEPTH {
            self.too_deep(at, at + 1, false);
        }
    }

    fn too_deep(&mut self, start: usize, end: usize, blocks: bool) {
        if self.deep_in_item {
            return;
        }
        self.deep_in_item = true;
        self.out.too_deep.push(TooDeep {
            start,
            end,
            blocks,
            item_start: self.item_start,
            item_end: self.bytes.len(),
        });
    }

    /// A new top-level item starts at `at`.
    fn new_item(&mut self, at: usize) {
        if self.deep_in_item {
            if let Some(d) = self.out.too_deep.last_mut() {
                d.item_end = at;
            }
            self.deep_in_item = false;
        }
        self.item_start = at;
    }

    fn push(&mut self, word: &'static str, at: usize, end_indent: usize) {
        self.stack.push(Opener {
            word,
            start: at,
            line: self.line,
            indent: self.indent,
            end_indent,
        });
        if self.stack.len() > MAX_BLOCK_DEPTH {
            self.too_deep(at, at + word.len(), true);
        }
    }

    /// Acts on a keyword at `at`; true when it starts an item.
    fn word(&mut self, word: &'static str, at: usize) -> bool {
        // After `.` or `:`, a keyword is a field or type name (`row.text`,
        // `slot note: text`).
        // So is a button's payload (`button yes`, `button if`).
        let before = self.text[..at].trim_end_matches([' ', '\t']);
        let payload = before.ends_with("button")
            && !before[..before.len() - 6]
                .bytes()
                .next_back()
                .is_some_and(is_name_char);
        if before.ends_with(['.', ':']) || payload {
            return false;
        }
        let first = !self.token_on_line;
        let indent = self.indent;
        match word {
            "slot" if self.stack.last().is_some_and(|o| o.word == "form") => {}
            // No reserved word, so a name elsewhere: an item only at the
            // start of a line at the margin.
            "pattern" if !(first && indent == 0) => {}
            w if ITEMS.contains(&w) && (self.stack.is_empty() || (first && indent == 0)) => {
                let open = std::mem::take(&mut self.stack);
                for o in open.into_iter().rev() {
                    self.unclose(o, self.line);
                }
                self.new_item(at);
                if matches!(w, "bot" | "choice" | "slot" | "faq" | "flow") {
                    self.push(w, at, indent);
                }
                return true;
            }
            "if" | "match" | "form" | "then" => self.push(word, at, indent),
            "do" => self.last_do_indent = indent,
            "ok" => self.push(word, at, self.last_do_indent),
            "failed" => {
                if first {
                    self.realign(|o| o.word == "ok" && o.indent == indent);
                }
                // `failed` ends the `ok` branch and opens its own, which
                // the `do`'s `end` closes.
                let end_indent = match self.stack.last() {
                    Some(top) if top.word == "ok" => self.stack.pop().map(|o| o.end_indent),
                    _ => None,
                };
                self.push(word, at, end_indent.unwrap_or(self.last_do_indent));
            }
            "elif" | "else" if first => {
                let also_match = word == "else";
                self.realign(|o| {
                    o.indent == indent && (o.word == "if" || (also_match && o.word == "match"))
                });
            }
            "case" if first => self.realign(|o| o.word == "match" && o.indent < indent),
            "end" => {
                if first {
                    self.realign(|o| o.end_indent == indent);
                }
                self.stack.pop();
            }
            _ => {}
        }
        false
    }

    /// A line that continues or closes the open block `matches` finds
    /// below the innermost: the blocks above it were never closed.
    fn realign(&mut self, matches: impl Fn(&Opener) -> bool) {
        let Some(top) = self.stack.last() else {
            return;
        };
        if matches(top) {
            return;
        }
        let Some(k) = self.stack.iter().rposition(&matches) else {
            return;
        };
        let open = self.stack.split_off(k + 1);
        for o in open.into_iter().rev() {
            self.unclose(o, self.line);
        }
    }

    /// Records `o` as never closed, the block's end found before line
    /// `close_line` (0-based) by its indentation.
    fn unclose(&mut self, o: Opener, close_line: usize) {
        let lines = self.lines.get_or_insert_with(|| line_table(self.text));
        let close_line = close_line.min(lines.len());
        let continues = |l: &LineInfo| {
            let word: String = self.text[l.start + l.indent..l.end]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            match o.word {
                "if" => word == "elif" || word == "else",
                "match" => word == "case" || word == "else",
                _ => false,
            }
        };
        // The block ends before the first line indented no deeper than the
        // opener that does not continue it (an `else` continues an `if`).
        let body = o.line + 1..close_line;
        let ends_at = body.clone().find(|&l| {
            let info = &lines[l];
            info.code && info.indent <= o.indent && !(info.indent == o.indent && continues(info))
        });
        // A block whose first line is already out of it says the file is
        // not laid out by indentation: the end then goes before the line
        // that showed the block open.
        let ends_at = match ends_at {
            Some(l) if l > o.line + 1 => l,
            _ => close_line,
        };
        let last = (o.line..ends_at)
            .rev()
            .find(|&l| lines[l].code)
            .unwrap_or(o.line);
        let info = lines[last];
        self.out.unclosed.push(Unclosed {
            opener: o,
            insert_at: info.end,
            after_line: last + 1,
        });
    }
}

fn line_table(text: &str) -> Vec<LineInfo> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let content = content.strip_suffix('\r').unwrap_or(content);
        let indent = content.len() - content.trim_start_matches([' ', '\t']).len();
        let rest = &content[indent..];
        out.push(LineInfo {
            start,
            end: start + content.len(),
            indent,
            code: !rest.is_empty() && !rest.starts_with('#'),
        });
        start += line.len();
    }
    if text.is_empty() || text.ends_with('\n') {
        out.push(LineInfo {
            start: text.len(),
            end: text.len(),
            indent: 0,
            code: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unclosed(text: &str) -> Vec<(&'static str, usize, usize)> {
        scan(text)
            .unclosed
            .iter()
            .map(|u| (u.opener.word, u.opener.line + 1, u.after_line))
            .collect()
    }

    #[test]
    fn a_well_formed_file_has_no_open_block() {
        for text in [
            "flow a\n  if x\n    say \"a\"\n  elif y\n    say \"b\"\n  else\n    say \"c\"\n  end\nend\n",
            "flow a\n  do f() as r\n    ok\n      say \"a\"\n    failed\n      say \"b\"\n  end\nend\n",
            "flow a\n  form\n    slot x: text\n      attempts 3 then\n        handoff\n      end\n  end\nend\n",
            "slot s: text\n  require s != \"\"\n    else \"no\"\nend\naction a(x: text)\ntext t \"x\"\n",
            "faq f answer \"x {a.text}\" end flow g say \"(\" end\n",
            "flow m\n  match x\n    case 1, 2\n      say \"a\"\n    else\n      say \"b\"\n  end\nend\n",
        ] {
            let s = scan(text);
            assert_eq!(s.unclosed, vec![], "{text}");
            assert!(s.too_deep.is_empty());
        }
    }

    #[test]
    fn an_if_left_open_is_found_by_the_end_of_its_flow() {
        let text = "flow a\n  if x\n    say \"a\"\n  say \"b\"\nend\n";
        assert_eq!(unclosed(text), vec![("if", 2, 3)]);
    }

    #[test]
    fn a_flow_left_open_is_found_by_the_next_item() {
        let text = "flow a\n  say \"a\"\n\n# b\nflow b\n  say \"b\"\nend\n";
        assert_eq!(unclosed(text), vec![("flow", 1, 2)]);
        let text = "flow a\n  say \"a\"\n";
        assert_eq!(unclosed(text), vec![("flow", 1, 2)]);
        // `pattern` starts an item only at the margin: it is no reserved
        // word, and may name a column or a variable.
        let text = "flow a\n  say \"a\"\npattern r \"CR-dddd\"\n";
        assert_eq!(unclosed(text), vec![("flow", 1, 2)]);
        assert_eq!(open_at_end(text), Vec::<&str>::new());
        assert_eq!(open_at_end("flow a\n  set x = pattern\n"), vec!["flow"]);
        let text = "flow a\n  set pattern = 1\n  say \"{pattern}\"\nend\ntable t from \"t.csv\" (pattern: text)\n";
        assert_eq!(unclosed(text), vec![]);
    }

    #[test]
    fn an_if_left_open_before_failed_is_found() {
        let text = "flow a\n  do f()\n    ok\n      if x\n        say \"a\"\n    failed\n      say \"b\"\n  end\nend\n";
        assert_eq!(unclosed(text), vec![("if", 4, 5)]);
    }

    #[test]
    fn depth_past_the_limits_is_found_in_its_item() {
        let deep = format!(
            "flow a\n  say \"a\"\nend\nflow b\n{}{}end\nflow c\nend\n",
            "if x\n".repeat(MAX_BLOCK_DEPTH + 5),
            "end\n".repeat(MAX_BLOCK_DEPTH + 5)
        );
        let s = scan(&deep);
        assert_eq!(s.too_deep.len(), 1);
        let d = &s.too_deep[0];
        assert!(d.blocks);
        assert_eq!(&deep[d.item_start..d.item_start + 6], "flow b");
        assert!(deep[d.item_end..].starts_with("flow c"));
        let at_limit = format!(
            "flow b\n{}{}end\n",
            "if x\n".repeat(MAX_BLOCK_DEPTH - 1),
            "end\n".repeat(MAX_BLOCK_DEPTH - 1)
        );
        assert!(scan(&at_limit).too_deep.is_empty());
        let parens = format!(
            "flow a\n  set x = {}1{}\nend\n",
            "(".repeat(MAX_EXPR_DEPTH + 1),
            ")".repeat(MAX_EXPR_DEPTH + 1)
        );
        let s = scan(&parens);
        assert!(!s.too_deep[0].blocks);
        let text = format!("text t \"{}\"", "{f(".repeat(MAX_EXPR_DEPTH));
        assert_eq!(scan(&text).too_deep.len(), 1);
    }
}
