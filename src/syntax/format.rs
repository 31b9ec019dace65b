//! The formatter: one canonical layout for a `.flow` file.
//!
//! Line breaks and indentation carry no meaning in the language, so the
//! layout is rebuilt from the grammar's own parse tree: every item,
//! statement, clause and language line starts a line indented two spaces
//! per block level, tokens are spaced one way, and the author's blank
//! lines between statements are kept (at most one). Comments are silent in
//! the grammar, so they are found in the text between tokens and put back
//! at the same place relative to the code: an own-line comment before the
//! token that followed it, an end-of-line comment after the token that
//! preceded it. Strings are copied as written, byte for byte.
//!
//! Before it returns, the formatter parses its own output and compares the
//! tree with the original's, spans aside: a layout that would change what
//! the bot does is an error, never a rewritten file.

use super::parser::{GuichetParser, Rule};
use crate::diagnostics::{Diagnostic, SourceId, Span};
use pest::iterators::Pair;
use pest::Parser as _;

/// Spaces per block level, as the sample bot and the stdlib are written.
const INDENT: usize = 2;

/// An action declaration longer than this puts one parameter per line.
const MAX_WIDTH: usize = 100;

/// Formats one `.flow` file. A file with syntax errors is not formatted:
/// its diagnostics are returned, as `guichet check` would report them.
pub fn format_source(src: &str) -> Result<String, Vec<Diagnostic>> {
    let (original, diagnostics) = super::parse_file(SourceId(0), src);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let formatted = layout(src).ok_or_else(|| vec![unsafe_layout(src)])?;
    let (again, diagnostics) = super::parse_file(SourceId(0), &formatted);
    if !diagnostics.is_empty() || shape(&again) != shape(&original) {
        return Err(vec![unsafe_layout(src)]);
    }
    Ok(formatted)
}

/// A rendering of a syntax tree without its spans: two files with the same
/// shape say the same thing, however they are laid out.
pub fn shape(file: &super::ast::File) -> String {
    without_spans(&format!("{file:?}"))
}

/// Removes every `Span { .. }` from a `Debug` rendering, outside quoted
/// strings, so renderings compare what was written rather than where.
pub fn without_spans(debug: &str) -> String {
    const SPAN: &str = "Span { ";
    let mut out = String::with_capacity(debug.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = debug;
    while let Some(c) = rest.chars().next() {
        if in_string {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if rest.starts_with(SPAN) {
            if let Some(close) = rest.find('}') {
                out.push_str("Span");
                rest = &rest[close + 1..];
                continue;
            }
        }
        if c == '"' {
            in_string = true;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn unsafe_layout(src: &str) -> Diagnostic {
    Diagnostic::error(
        "format-unsafe",
        Span::new(SourceId(0), 0..src.len().min(1)),
        "this file cannot be formatted without changing its meaning",
    )
    .with_label("left as it is")
    .with_help("the file is valid and was not changed; please report it with the file attached")
}

/// What a line holds, for the blank lines around it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LineKind {
    /// A top-level item: exactly one blank line before it (and before the
    /// comments just above it).
    Item,
    /// A statement or clause: an author's blank line before it is kept.
    Statement,
    /// A language line, a setting, a parameter: never a blank line before.
    Plain,
    /// The `end` of a block: never a blank line before, and an own-line
    /// comment just above it belongs to the block, one level deeper.
    End,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Join {
    Space,
    Tight,
    Break(usize, LineKind),
}

#[derive(Debug)]
struct Tok<'s> {
    text: &'s str,
    /// Where the token is in the source; a token the formatter adds (a
    /// comma) takes the place of the one before it.
    pos: usize,
    join: Join,
    /// An identifier: a `(` right after it opens its arguments.
    ident: bool,
    /// A minus sign in front of a value.
    unary: bool,
}

#[derive(Debug)]
struct Comment<'s> {
    pos: usize,
    text: &'s str,
    own_line: bool,
    blank_before: bool,
}

/// A piece of a node, in source order: a word or sign written in the rule
/// itself, or a child node.
enum Piece<'s> {
    Lit(&'s str, usize),
    Node(Pair<'s, Rule>),
}

/// Nodes copied as written: literals whose inside has no layout of its own.
fn is_leaf(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::string
            | Rule::number
            | Rule::integer
            | Rule::date_lit
            | Rule::time_lit
            | Rule::money_lit
            | Rule::duration_lit
            | Rule::bool_lit
            | Rule::nothing
            | Rule::ident
            | Rule::any_name
            | Rule::lang
            | Rule::setting_key
            | Rule::prefer_kind
            | Rule::neg
    )
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{feff}')
}

/// Whether at least one empty line separates `pos` from the code or
/// comment before it.
fn blank_before(src: &str, pos: usize) -> bool {
    let before = src.get(..pos).unwrap_or("");
    let gap_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !is_space(*c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let newlines = before[gap_start..].matches('\n').count();
    // The first line of the file has nothing to be separated from.
    gap_start > 0 && newlines >= 2
}

/// Splits the text between a rule's children into its literal words and
/// signs. That text holds only literals, white space and comments.
fn lex_gap<'s>(src: &'s str, from: usize, to: usize, out: &mut Vec<Piece<'s>>) {
    let Some(gap) = src.get(from..to) else {
        return;
    };
    let mut i = 0;
    while let Some(c) = gap[i..].chars().next() {
        let rest = &gap[i..];
        let len = if is_space(c) {
            i += c.len_utf8();
            continue;
        } else if c == '#' {
            i += rest.find('\n').unwrap_or(rest.len());
            continue;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len())
        } else if ["->", "==", "!=", "<=", ">="]
            .iter()
            .any(|op| rest.starts_with(op))
        {
            2
        } else {
            c.len_utf8()
        };
        out.push(Piece::Lit(&rest[..len], from + i));
        i += len;
    }
}

fn pieces<'s>(src: &'s str, pair: Pair<'s, Rule>) -> Vec<Piece<'s>> {
    let span = pair.as_span();
    let mut at = span.start();
    let mut out = Vec::new();
    for child in pair.into_inner() {
        let s = child.as_span();
        lex_gap(src, at, s.start(), &mut out);
        at = s.end();
        if child.as_rule() != Rule::EOI {
            out.push(Piece::Node(child));
        }
    }
    lex_gap(src, at, span.end(), &mut out);
    out
}

/// Every comment of the file, found outside the strings.
fn comments<'s>(src: &'s str, strings: &[(usize, usize)]) -> Vec<Comment<'s>> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut next_string = 0;
    while i < src.len() {
        while next_string < strings.len() && strings[next_string].1 <= i {
            next_string += 1;
        }
        if let Some(&(start, end)) = strings.get(next_string) {
            if start <= i {
                i = end;
                continue;
            }
        }
        let rest = &src[i..];
        let Some(c) = rest.chars().next() else { break };
        if c != '#' {
            i += c.len_utf8();
            continue;
        }
        let len = rest.find('\n').unwrap_or(rest.len());
        let line_start = src[..i].rfind('\n').map(|n| n + 1).unwrap_or(0);
        out.push(Comment {
            pos: i,
            text: rest[..len].trim_end(),
            own_line: src[line_start..i].chars().all(is_space),
            blank_before: blank_before(src, i),
        });
        i += len;
    }
    out
}

struct Emitter<'s> {
    src: &'s str,
    toks: Vec<Tok<'s>>,
    pending: Option<(usize, LineKind)>,
    comments: Vec<usize>,
}

impl<'s> Emitter<'s> {
    /// The next token starts a line.
    fn brk(&mut self, depth: usize, kind: LineKind) {
        self.pending = Some((depth, kind));
    }

    fn push(&mut self, text: &'s str, pos: usize, ident: bool, unary: bool) {
        let join = match self.pending.take() {
            Some((depth, kind)) => Join::Break(depth, kind),
            None => match self.toks.last() {
                Some(prev) => inline_join(prev, text),
                None => Join::Tight,
            },
        };
        self.toks.push(Tok {
            text,
            pos,
            join,
            ident,
            unary,
        });
    }

    /// A comma the layout needs, at the place of the token before it.
    fn comma(&mut self) {
        let pos = self.toks.last().map_or(0, |t| t.pos);
        self.push(",", pos, false, false);
    }

    fn lit(&mut self, text: &'s str, pos: usize) {
        self.push(text, pos, false, false);
    }

    fn leaf(&mut self, pair: &Pair<'s, Rule>) {
        let rule = pair.as_rule();
        self.push(
            pair.as_str(),
            pair.as_span().start(),
            rule == Rule::ident,
            rule == Rule::neg,
        );
    }

    fn has_comment_in(&self, from: usize, to: usize) -> bool {
        self.comments.iter().any(|&c| c > from && c < to)
    }

    /// Emits a node whose first line (if it starts one) is at `depth`.
    fn node(&mut self, pair: Pair<'s, Rule>, depth: usize) {
        let rule = pair.as_rule();
        if is_leaf(rule) {
            self.leaf(&pair);
            return;
        }
        match rule {
            Rule::file => self.each(pair, depth, |p| match p {
                Piece::Node(_) => Some((0, LineKind::Item)),
                Piece::Lit(..) => None,
            }),
            Rule::bot_decl | Rule::slot_decl | Rule::form_stmt | Rule::choice_decl => {
                self.each(pair, depth, |p| match p {
                    Piece::Lit("end", _) => Some((depth, LineKind::End)),
                    Piece::Node(n) if starts_clause(n.as_rule()) => {
                        Some((depth + 1, LineKind::Statement))
                    }
                    _ => None,
                })
            }
            Rule::bot_setting => self.each(pair, depth, |_| None),
            Rule::languages_setting => self.separated(pair, depth),
            Rule::action_decl => self.action(pair, depth),
            Rule::param_list | Rule::arg_list | Rule::list | Rule::call_expr => {
                self.inline_list(pair, depth)
            }
            Rule::choice_option
            | Rule::triggers
            | Rule::label
            | Rule::examples
            | Rule::synonyms_decl => self.each(pair, depth, |_| None),
            Rule::phrases => self.each(pair, depth, |_| Some((depth, LineKind::Plain))),
            Rule::flow_decl => self.each(pair, depth, |p| match p {
                Piece::Lit("end", _) => Some((depth, LineKind::End)),
                Piece::Node(n) if starts_clause(n.as_rule()) => {
                    Some((depth + 1, LineKind::Statement))
                }
                _ => None,
            }),
            Rule::faq_decl => self.under_keyword(pair, depth, "answer"),
            Rule::require_clause => self.under_keyword(pair, depth, "else"),
            Rule::block => self.each(pair, depth, |_| Some((depth, LineKind::Statement))),
            Rule::if_stmt | Rule::attempts_clause | Rule::do_branches => {
                self.each(pair, depth, |p| match p {
                    Piece::Lit("end", _) => Some((depth, LineKind::End)),
                    Piece::Node(n) if n.as_rule() == Rule::elif_clause => {
                        Some((depth, LineKind::Statement))
                    }
                    Piece::Node(n) if n.as_rule() == Rule::else_clause => {
                        Some((depth, LineKind::Statement))
                    }
                    Piece::Node(n)
                        if matches!(n.as_rule(), Rule::ok_branch | Rule::failed_branch) =>
                    {
                        Some((depth + 1, LineKind::Statement))
                    }
                    _ => None,
                })
            }
            Rule::match_stmt => self.each(pair, depth, |p| match p {
                Piece::Lit("end", _) => Some((depth, LineKind::End)),
                Piece::Node(n) if matches!(n.as_rule(), Rule::case_clause | Rule::else_clause) => {
                    Some((depth + 1, LineKind::Statement))
                }
                _ => None,
            }),
            Rule::form_slot => self.each(pair, depth, |p| match p {
                Piece::Node(n) if starts_clause(n.as_rule()) => {
                    Some((depth + 1, LineKind::Statement))
                }
                _ => None,
            }),
            Rule::say_stmt
            | Rule::ask_clause
            | Rule::reprompt_clause
            | Rule::confirm
            | Rule::text_decl => self.each(pair, depth, |p| match p {
                Piece::Node(n) if matches!(n.as_rule(), Rule::button | Rule::link) => {
                    Some((depth + 1, LineKind::Plain))
                }
                _ => None,
            }),
            Rule::button | Rule::link => self.inline(pair),
            Rule::text => self.each(pair, depth, |p| match p {
                Piece::Node(n) if n.as_rule() == Rule::lang_line => Some((depth, LineKind::Plain)),
                _ => None,
            }),
            _ => self.each(pair, depth, |_| None),
        }
    }

    /// Emits the pieces of a node; `line` says which start a line and at
    /// what depth. A child node that starts a line lays out its own
    /// children from that depth; a child on the same line, one deeper (a
    /// block after `if x`, the language lines after `say`).
    fn each(
        &mut self,
        pair: Pair<'s, Rule>,
        depth: usize,
        line: impl Fn(&Piece<'s>) -> Option<(usize, LineKind)>,
    ) {
        let rule = pair.as_rule();
        for piece in pieces(self.src, pair) {
            let starts = line(&piece);
            if let Some((d, kind)) = starts {
                self.brk(d, kind);
            }
            match piece {
                Piece::Lit(text, pos) => self.lit(text, pos),
                Piece::Node(child) => {
                    let child_depth = match starts {
                        Some((d, _)) => d,
                        None if rule == Rule::file => 0,
                        None if opens_lines(child.as_rule()) => depth + 1,
                        None => depth,
                    };
                    self.node(child, child_depth);
                }
            }
        }
    }

    /// `faq name ... answer TEXT ... end` and `require COND else TEXT`: the
    /// keyword starts a line one level in, its text's lines one further.
    fn under_keyword(&mut self, pair: Pair<'s, Rule>, depth: usize, keyword: &str) {
        let mut text_depth = depth + 1;
        for piece in pieces(self.src, pair) {
            match piece {
                Piece::Lit("end", pos) => {
                    self.brk(depth, LineKind::End);
                    self.lit("end", pos);
                }
                Piece::Lit(text, pos) if text == keyword => {
                    let kind = if keyword == "else" {
                        LineKind::Plain
                    } else {
                        LineKind::Statement
                    };
                    self.brk(depth + 1, kind);
                    self.lit(text, pos);
                    text_depth = depth + 2;
                }
                Piece::Lit(text, pos) => self.lit(text, pos),
                Piece::Node(child) => match child.as_rule() {
                    rule if starts_clause(rule) => {
                        self.brk(depth + 1, LineKind::Statement);
                        self.node(child, depth + 1);
                    }
                    Rule::button | Rule::link => {
                        self.brk(text_depth, LineKind::Plain);
                        self.node(child, text_depth);
                    }
                    Rule::text => self.node(child, text_depth),
                    _ => self.node(child, depth),
                },
            }
        }
    }

    /// Emits a node on the current line, whatever its rule.
    fn inline(&mut self, pair: Pair<'s, Rule>) {
        for piece in pieces(self.src, pair) {
            match piece {
                Piece::Lit(text, pos) => self.lit(text, pos),
                Piece::Node(child) if is_leaf(child.as_rule()) => self.leaf(&child),
                Piece::Node(child) => self.inline(child),
            }
        }
    }

    /// `languages fr, nl, en`: the commas are optional in the grammar and
    /// always written by the formatter.
    fn separated(&mut self, pair: Pair<'s, Rule>, depth: usize) {
        let mut first = true;
        for piece in pieces(self.src, pair) {
            match piece {
                Piece::Lit(",", _) => {}
                Piece::Lit(text, pos) => self.lit(text, pos),
                Piece::Node(child) => {
                    if !first {
                        self.comma();
                    }
                    first = false;
                    self.node(child, depth);
                }
            }
        }
    }

    /// A comma-separated list on one line, without a trailing comma.
    fn inline_list(&mut self, pair: Pair<'s, Rule>, depth: usize) {
        let all = pieces(self.src, pair);
        let mut seen_item = false;
        for piece in all {
            match piece {
                Piece::Lit(",", _) => {}
                Piece::Lit(text, pos) => self.lit(text, pos),
                Piece::Node(child) => {
                    let is_item = matches!(child.as_rule(), Rule::param | Rule::arg | Rule::expr);
                    if is_item {
                        if seen_item {
                            self.comma();
                        }
                        seen_item = true;
                    }
                    self.node(child, depth);
                }
            }
        }
    }

    /// The parameters one per line, each with its comma.
    fn broken_list(&mut self, pair: Pair<'s, Rule>, depth: usize) {
        for piece in pieces(self.src, pair) {
            if let Piece::Node(child) = piece {
                self.brk(depth, LineKind::Plain);
                self.node(child, depth);
                self.comma();
            }
        }
    }

    /// `action name(params) -> (results)`: on one line when it fits, else
    /// one parameter per line. A comment among the parameters keeps them
    /// one per line, so it stays beside its parameter.
    fn action(&mut self, pair: Pair<'s, Rule>, depth: usize) {
        let start = self.toks.len();
        let pending = self.pending;
        self.each(pair.clone(), depth, |_| None);
        let width: usize = depth * INDENT
            + self.toks[start..]
                .iter()
                .map(|t| t.text.chars().count() + usize::from(t.join == Join::Space))
                .sum::<usize>();
        // The parameters run from the first `(` to the `)` that closes it.
        let all = pieces(self.src, pair.clone());
        let open = all.iter().find_map(|p| match p {
            Piece::Lit("(", pos) => Some(*pos),
            _ => None,
        });
        let close = all.iter().find_map(|p| match p {
            Piece::Lit(")", pos) => Some(*pos),
            _ => None,
        });
        let (Some(open), Some(close)) = (open, close) else {
            return;
        };
        if width <= MAX_WIDTH && !self.has_comment_in(open, close) {
            return;
        }
        if close == open + 1 {
            return;
        }
        self.toks.truncate(start);
        self.pending = pending;
        let params_start = open;
        let mut broken = false;
        for piece in pieces(self.src, pair) {
            match piece {
                Piece::Lit(")", pos) if broken => {
                    broken = false;
                    self.brk(depth, LineKind::Plain);
                    self.lit(")", pos);
                }
                Piece::Lit(text, pos) => self.lit(text, pos),
                Piece::Node(child)
                    if child.as_rule() == Rule::param_list
                        && child.as_span().start() > params_start
                        && child.as_span().start() < close =>
                {
                    broken = true;
                    self.broken_list(child, depth + 1);
                }
                Piece::Node(child) => self.node(child, depth),
            }
        }
    }
}

/// Rules whose node starts a line of its own inside an item or a block.
fn starts_clause(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::bot_setting
            | Rule::choice_option
            | Rule::triggers
            | Rule::label
            | Rule::examples
            | Rule::form_slot
            | Rule::confirm
            | Rule::ask_clause
            | Rule::reprompt_clause
            | Rule::require_clause
            | Rule::attempts_clause
            | Rule::optional_clause
            | Rule::default_clause
            | Rule::when_clause
            | Rule::prefer_clause
            | Rule::personal_clause
    )
}

/// Children whose lines are one level deeper than the line that holds
/// their parent's keyword.
fn opens_lines(rule: Rule) -> bool {
    matches!(rule, Rule::block | Rule::phrases | Rule::text)
}

/// The spacing between two tokens on one line.
fn inline_join(prev: &Tok, next: &str) -> Join {
    if prev.unary || matches!(prev.text, "(" | "[" | ".") {
        return Join::Tight;
    }
    if matches!(next, "," | ")" | "]" | ":" | "?" | ".") || (next == "(" && prev.ident) {
        return Join::Tight;
    }
    Join::Space
}

/// Lays the file out; `None` if the grammar refuses it (the caller has
/// already checked it parses).
fn layout(src: &str) -> Option<String> {
    let file = GuichetParser::parse(Rule::file, src).ok()?.next()?;
    let mut strings: Vec<(usize, usize)> = file
        .clone()
        .into_inner()
        .flatten()
        .filter(|p| p.as_rule() == Rule::string)
        .map(|p| (p.as_span().start(), p.as_span().end()))
        .collect();
    strings.sort();
    // Strings inside a string's interpolation are copied with it.
    let mut outer: Vec<(usize, usize)> = Vec::new();
    for s in strings {
        if outer.last().is_none_or(|last| s.0 >= last.1) {
            outer.push(s);
        }
    }
    let comments = comments(src, &outer);
    let mut emitter = Emitter {
        src,
        toks: Vec::new(),
        pending: None,
        comments: comments.iter().map(|c| c.pos).collect(),
    };
    emitter.node(file, 0);
    Some(render(src, &emitter.toks, &comments))
}

struct Writer {
    lines: Vec<String>,
    /// The depth of the last line the structure started (continuation
    /// lines are one deeper).
    depth: usize,
    /// A comment ended the line: the next token must start a new one.
    after_comment: bool,
    /// The top-level item whose blank line was already written.
    item_gap_done: Option<usize>,
}

impl Writer {
    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn line(&mut self, depth: usize, text: &str) {
        self.lines
            .push(format!("{}{}", " ".repeat(depth * INDENT), text));
    }

    /// The blank line before a top-level item and the comments above it.
    fn item_gap(&mut self, tok: usize, join: Join) -> bool {
        if matches!(join, Join::Break(_, LineKind::Item)) && self.item_gap_done != Some(tok) {
            self.item_gap_done = Some(tok);
            self.blank();
            return true;
        }
        false
    }

    fn comment(&mut self, c: &Comment, next: Option<(usize, &Tok)>) {
        let trailing = !c.own_line
            && !self.after_comment
            && self.lines.last().is_some_and(|l| !l.trim().is_empty());
        if trailing {
            if let Some(last) = self.lines.last_mut() {
                last.push_str("  ");
                last.push_str(c.text);
            }
            self.after_comment = true;
            return;
        }
        let depth = match next {
            Some((_, t)) => match t.join {
                Join::Break(d, LineKind::End) => d + 1,
                Join::Break(d, _) => d,
                _ => self.depth + 1,
            },
            None => 0,
        };
        let gap = match next {
            Some((i, t)) => self.item_gap(i, t.join),
            None => false,
        };
        if !gap && c.blank_before {
            self.blank();
        }
        self.line(depth, c.text);
        self.after_comment = true;
    }

    fn token(&mut self, src: &str, index: usize, tok: &Tok) {
        let join = match tok.join {
            Join::Break(..) => tok.join,
            _ if self.after_comment || self.lines.is_empty() => {
                Join::Break(self.depth + 1, LineKind::Plain)
            }
            other => other,
        };
        match join {
            Join::Break(depth, kind) => {
                let gap = self.item_gap(index, tok.join);
                let keeps_blank = matches!(kind, LineKind::Statement | LineKind::Item);
                if !gap && keeps_blank && blank_before(src, tok.pos) {
                    self.blank();
                }
                self.line(depth, tok.text);
                if matches!(tok.join, Join::Break(..)) {
                    self.depth = depth;
                }
            }
            Join::Space => {
                if let Some(last) = self.lines.last_mut() {
                    last.push(' ');
                    last.push_str(tok.text);
                }
            }
            Join::Tight => {
                if let Some(last) = self.lines.last_mut() {
                    last.push_str(tok.text);
                }
            }
        }
        self.after_comment = false;
    }
}

fn render(src: &str, toks: &[Tok], comments: &[Comment]) -> String {
    let mut w = Writer {
        lines: Vec::new(),
        depth: 0,
        after_comment: false,
        item_gap_done: None,
    };
    let mut next_comment = comments.iter().peekable();
    for (i, tok) in toks.iter().enumerate() {
        while let Some(c) = next_comment.next_if(|c| c.pos < tok.pos) {
            w.comment(c, Some((i, tok)));
        }
        w.token(src, i, tok);
    }
    for c in next_comment {
        w.comment(c, None);
    }
    let mut out = String::new();
    // The first item has no blank line above it.
    let first = w
        .lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(w.lines.len());
    for line in &w.lines[first..] {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(src: &str) -> String {
        match format_source(src) {
            Ok(out) => out,
            Err(diagnostics) => panic!("not formatted: {diagnostics:?}\n{src}"),
        }
    }

    #[test]
    fn nested_blocks_are_indented_two_spaces_per_level() {
        let src = "flow f if x match y case 1, 2 do a() as r ok stop failed handoff end else say \"b\" end elif z return else form slot d: date attempts 3 then stop end end end end";
        let expected = "\
flow f
  if x
    match y
      case 1, 2
        do a() as r
          ok
            stop
          failed
            handoff
        end
      else
        say \"b\"
    end
  elif z
    return
  else
    form
      slot d: date
        attempts 3 then
          stop
        end
    end
  end
end
";
        assert_eq!(fmt(src), expected);
    }

    #[test]
    fn texts_put_each_language_on_its_line_and_buttons_on_one() {
        let src = "flow f say fr:\"a\"|\"b\" nl : \"c\" button yes fr:\"Oui\" nl:\"Ja\" link \"https://x.be\" fr: \"site\" end";
        let expected = "\
flow f
  say
    fr: \"a\" | \"b\"
    nl: \"c\"
    button yes fr: \"Oui\" nl: \"Ja\"
    link \"https://x.be\" fr: \"site\"
end
";
        assert_eq!(fmt(src), expected);
    }

    #[test]
    fn operators_commas_and_colons_are_spaced_one_way() {
        let src = "flow f set v=- 3+f( 1 ,2, )*[ 1,2 ,] set w = not a.b==c and d in [\"x\"] call g( a : 1 ) end";
        assert_eq!(
            fmt(src),
            "flow f\n  set v = -3 + f(1, 2) * [1, 2]\n  set w = not a.b == c and d in [\"x\"]\n  call g(a: 1)\nend\n"
        );
    }

    #[test]
    fn comments_stay_beside_their_code_at_every_position() {
        let src = "\
# head of file

bot \"X\" # on the item's line
  languages fr
end
# above the flow
flow f # after the name
  # above a statement
  say \"a\" # after a statement
  if x # after a condition
    stop
    # above the end
  end
  set v = 1 + # inside an expression
    2
end
# end of file
";
        let expected = "\
# head of file

bot \"X\"  # on the item's line
  languages fr
end

# above the flow
flow f  # after the name
  # above a statement
  say \"a\"  # after a statement
  if x  # after a condition
    stop
    # above the end
  end
  set v = 1 +  # inside an expression
    2
end
# end of file
";
        assert_eq!(fmt(src), expected);
        assert_eq!(fmt(expected), expected);
    }

    #[test]
    fn strings_are_copied_byte_for_byte() {
        let src =
            "flow f\n say   \"a # not a comment \\\"quoted\\\" {f(\"x # y\")}  {{braces}}\"\nend\n";
        let out = fmt(src);
        assert!(out.contains("\"a # not a comment \\\"quoted\\\" {f(\"x # y\")}  {{braces}}\""));
        assert!(!out.contains("  #"), "no comment was invented: {out}");
    }

    #[test]
    fn blank_lines_are_kept_once_between_statements_and_set_once_between_items() {
        let src = "flow a\n  say \"a\"\n\n\n\n  say \"b\"\n  say \"c\"\n\n\nend\nflow b\n  stop\nend\n\n\n\n\nflow c\n  stop\nend\n\n\n";
        assert_eq!(
            fmt(src),
            "flow a\n  say \"a\"\n\n  say \"b\"\n  say \"c\"\nend\n\nflow b\n  stop\nend\n\nflow c\n  stop\nend\n"
        );
    }

    #[test]
    fn crlf_tabs_and_a_byte_order_mark_become_plain_lines() {
        let src = "\u{feff}flow f\r\n\tsay \"a\"\t# note\r\n\r\n\tstop\r\nend\r\n";
        assert_eq!(fmt(src), "flow f\n  say \"a\"  # note\n\n  stop\nend\n");
    }

    #[test]
    fn a_long_action_puts_one_parameter_per_line_and_a_short_one_fits_on_one() {
        let long = "action create_request(kind: text, child_first_name?: name, child_last_name?: name, start_date?: date) -> (reference: text)";
        assert_eq!(
            fmt(long),
            "action create_request(\n  kind: text,\n  child_first_name?: name,\n  child_last_name?: name,\n  start_date?: date,\n) -> (reference: text)\n"
        );
        assert_eq!(
            fmt("action get(\n  reference: text,\n) -> (status: text)"),
            "action get(reference: text) -> (status: text)\n"
        );
        // A comment among the parameters keeps them one per line.
        assert_eq!(
            fmt("action get(reference: text, # as printed\n) -> (status: text)"),
            "action get(\n  reference: text,  # as printed\n) -> (status: text)\n"
        );
    }

    #[test]
    fn declarations_keep_the_house_layout() {
        let src = "choice rank option first fr: \"premier\", \"1\" option second fr: \"2\" end\nsynonyms fr: \"a\", \"b\"\ntable t from \"t.csv\" (date: date, name: text)\npattern  reference\n  \"CR-dddd-dddd\"\n  or \"RC-dddd\"\ntext hi fr: \"Salut\"\nfaq hours triggers fr: \"heures\" answer fr: \"9h\" link \"https://x.be\" fr: \"site\" end\nslot yes_no: yesno ask fr: \"?\" optional end";
        let expected = "\
choice rank
  option first
    fr: \"premier\", \"1\"
  option second
    fr: \"2\"
end

synonyms
  fr: \"a\", \"b\"

table t from \"t.csv\" (date: date, name: text)

pattern reference \"CR-dddd-dddd\" or \"RC-dddd\"

text hi
  fr: \"Salut\"

faq hours
  triggers
    fr: \"heures\"
  answer
    fr: \"9h\"
    link \"https://x.be\" fr: \"site\"
end

slot yes_no: yesno
  ask
    fr: \"?\"
  optional
end
";
        assert_eq!(fmt(src), expected);
    }

    #[test]
    fn a_file_with_a_syntax_error_is_not_formatted() {
        let errors = format_source("flow f\n  say \"unclosed\nend\n").unwrap_err();
        assert!(errors.iter().all(|d| d.code == "syntax"), "{errors:?}");
        assert!(!errors.is_empty());
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert_eq!(fmt(""), "");
        assert_eq!(fmt(" \n\n"), "");
        assert_eq!(
            fmt("\n\n# only\n\n\n# comments  \n"),
            "# only\n\n# comments\n"
        );
    }

    #[test]
    fn shapes_ignore_layout_but_not_what_is_written() {
        let shape_of = |src: &str| {
            let (file, diagnostics) = super::super::parse_file(SourceId(0), src);
            assert!(diagnostics.is_empty(), "{diagnostics:?}");
            shape(&file)
        };
        let a = shape_of("flow f\n  say \"a\"\nend\n");
        assert_eq!(a, shape_of("flow f say   \"a\" end"));
        assert_ne!(a, shape_of("flow f\n  say \"b\"\nend\n"));
        assert_ne!(a, shape_of("flow g\n  say \"a\"\nend\n"));
        // A string that spells a span is compared, not stripped.
        let spelled = "flow f\n  say \"Span \\{ source: SourceId(0), start: 1, end: 2 \\}\"\nend\n";
        let other = "flow f\n  say \"Span \\{ source: SourceId(0), start: 3, end: 4 \\}\"\nend\n";
        assert_ne!(shape_of(spelled), shape_of(other));
    }
}
