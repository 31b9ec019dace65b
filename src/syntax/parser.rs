//! pest glue: runs the grammar and builds the syntax tree. This file and
//! `errors.rs` are the only places that see pest's types.

use super::ast::*;
use super::blocks::{self, MAX_BLOCK_DEPTH, MAX_EXPR_DEPTH};
use super::errors::syntax_diagnostic;
use super::fast::Reader;
use crate::diagnostics::{Diagnostic, SourceId, Span};
use chrono::{NaiveDate, NaiveTime};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use pest_derive::Parser;
use rust_decimal::Decimal;
use std::sync::OnceLock;

#[derive(Parser)]
#[grammar = "../grammar/guichet.pest"]
pub(crate) struct GuichetParser;

/// Words that start a top-level item: after a syntax error, parsing
/// resumes at the next line that starts with one of them, so every broken
/// item of a file is reported, not only the first.
const ITEM_KEYWORDS: [&str; 10] = [
    "bot", "action", "choice", "slot", "table", "synonyms", "text", "faq", "flow", "pattern",
];

/// The rule of the item each word starts, in the order of the `item` rule.
/// No word starts another, so the first that matches is the only rule of
/// `item` that can.
const ITEM_RULES: [(&str, Rule); 10] = [
    ("faq", Rule::faq_decl),
    ("flow", Rule::flow_decl),
    ("text", Rule::text_decl),
    ("bot", Rule::bot_decl),
    ("action", Rule::action_decl),
    ("choice", Rule::choice_decl),
    ("slot", Rule::slot_decl),
    ("table", Rule::table_decl),
    ("synonyms", Rule::synonyms_decl),
    ("pattern", Rule::pattern_decl),
];

/// Parses one file. Returns the items it could read and a diagnostic per
/// mistake; a file with syntax errors still yields its good items.
///
/// The file's block structure is read first (`blocks.rs`): an item nested
/// deeper than the limits is not read at all (its text is blanked, so the
/// other items keep their places) and gets a `too-deep` diagnostic, so
/// nothing after this recurses without a bound.
pub fn parse_file(source: SourceId, text: &str) -> (File, Vec<Diagnostic>) {
    let structure = blocks::scan(text);
    if structure.too_deep.is_empty() {
        return parse_checked(source, text, &structure);
    }
    let mut masked = text.as_bytes().to_vec();
    let mut deep = Vec::new();
    for d in &structure.too_deep {
        for b in &mut masked[d.item_start..d.item_end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        deep.push(too_deep_diagnostic(source, text, d));
    }
    // Only ASCII spaces replaced whole items: still UTF-8.
    let masked = String::from_utf8(masked).unwrap_or_default();
    let (file, mut diagnostics) = parse_checked(source, &masked, &blocks::scan(&masked));
    diagnostics.extend(deep);
    diagnostics.sort_by_key(|d| d.span.start);
    (file, diagnostics)
}

fn too_deep_diagnostic(source: SourceId, text: &str, d: &blocks::TooDeep) -> Diagnostic {
    let word = &text[d.start..d.end];
    let item: String = text[d.item_start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let diag = if d.blocks {
        Diagnostic::error(
            "too-deep",
            Span::new(source, d.start..d.end),
            format!("blocks are nested more than {MAX_BLOCK_DEPTH} deep here"),
        )
        .with_label(format!("this `{word}` opens one block too many"))
        .with_help(
            "move the inner part into a flow of its own and `call` it; the item that starts at \
             this line's block was not read",
        )
    } else {
        Diagnostic::error(
            "too-deep",
            Span::new(source, d.start..d.end),
            format!("brackets are nested more than {MAX_EXPR_DEPTH} deep here"),
        )
        .with_label("one bracket too many inside the others")
        .with_help("compute the inner part first with `set` and use its name here")
    };
    diag.with_related(
        Span::new(source, d.item_start..d.item_start),
        format!("this `{item}` was not read"),
    )
}

/// `parse_file` once the nesting is known to be within the limits.
fn parse_checked(
    source: SourceId,
    text: &str,
    structure: &blocks::Structure,
) -> (File, Vec<Diagnostic>) {
    match read_items(source, text) {
        Some(read) => read,
        None => parse_with_pest(source, text, structure),
    }
}

/// Reads the file item by item: the frequent items directly (see
/// `fast.rs`), the others with pest, one item at a time. `None` at the
/// first item that neither reads: the file has a mistake, and
/// `parse_with_pest` reports it as it always has.
fn read_items(source: SourceId, text: &str) -> Option<(File, Vec<Diagnostic>)> {
    let reader = Reader::new(source, text);
    let mut items = Vec::new();
    let mut diagnostics = Vec::new();
    let mut at = reader.skip(0);
    while at < text.len() {
        if let Some((item, end)) = reader.item(at) {
            items.push(item);
            at = reader.skip(end);
            continue;
        }
        let rest = &text[at..];
        let (_, rule) = ITEM_RULES.iter().find(|(word, _)| rest.starts_with(word))?;
        let pair = parse_rule(*rule, rest, false).ok()?.next()?;
        let end = at + pair.as_span().end();
        let mut builder = Builder::new(source, at, &[], &mut diagnostics);
        items.push(builder.item(pair)?);
        at = reader.skip(end);
    }
    Some((File { items }, diagnostics))
}

fn parse_with_pest(
    source: SourceId,
    text: &str,
    structure: &blocks::Structure,
) -> (File, Vec<Diagnostic>) {
    let mut items = Vec::new();
    let mut diagnostics = Vec::new();
    let mut start = 0;
    // Each round parses from `start` to the end; on error, it resumes at the next item boundary.
    while start <= text.len() {
        let rest = &text[start..];
        match parse_rule(Rule::file, rest, false) {
            Ok(pairs) => {
                collect_items(pairs, source, start, &[], &mut diagnostics, &mut items);
                break;
            }
            Err(fast_err) => {
                // The detailed attempt is only for the message: it knows what
                // each position expected, and costs a third more time.
                let err = parse_rule(Rule::file, rest, true).err().unwrap_or(fast_err);
                let diag = syntax_diagnostic(source, text, start, &err);
                let error_at = diag.span.start;
                let resume = next_boundary(text, start, error_at).unwrap_or(text.len());
                // Blocks the layout shows open before the error explain it
                // better than what the grammar expected where it stopped.
                let open: Vec<&blocks::Unclosed> = structure
                    .unclosed
                    .iter()
                    .filter(|u| {
                        let at = u.opener.start;
                        at >= start && at <= error_at && (at < resume || resume == text.len())
                    })
                    .collect();
                // The layout's reading is trusted only when the `end`s it
                // puts back make the region read: a file laid out by hand
                // may put an `end` anywhere, and then the grammar's message
                // is the better one.
                if !open.is_empty()
                    && repair(
                        source,
                        text,
                        start..resume,
                        &open,
                        &mut diagnostics,
                        &mut items,
                    )
                {
                    for u in &open {
                        diagnostics.push(unclosed_diagnostic(source, u));
                    }
                    if resume >= text.len() {
                        break;
                    }
                    start = resume;
                    continue;
                }
                if !diagnostics.iter().any(|d: &Diagnostic| d.span == diag.span) {
                    // Resuming at the line of an error can meet the same error again.
                    diagnostics.push(diag);
                }
                // Keep what parsed before the error: the items before the
                // boundary that precedes the error, one by one.
                let region_end = previous_boundary(text, start, error_at);
                if region_end > start {
                    collect_region(
                        source,
                        text,
                        start..region_end,
                        &mut diagnostics,
                        &mut items,
                    );
                }
                match next_boundary(text, start, error_at) {
                    Some(next) => start = next,
                    None => break,
                }
            }
        }
    }
    (File { items }, diagnostics)
}

/// The items of `range`, which does not parse whole: each item between
/// two boundaries is parsed alone, and the ones that read are kept.
fn collect_region(
    source: SourceId,
    text: &str,
    range: std::ops::Range<usize>,
    diagnostics: &mut Vec<Diagnostic>,
    items: &mut Vec<Item>,
) {
    if let Ok(pairs) = parse_rule(Rule::file, &text[range.clone()], false) {
        collect_items(pairs, source, range.start, &[], diagnostics, items);
        return;
    }
    let mut starts: Vec<usize> = boundaries(text)
        .filter(|b| range.contains(b) && *b > range.start)
        .collect();
    starts.insert(0, range.start);
    starts.push(range.end);
    for pair in starts.windows(2) {
        if let Ok(pairs) = parse_rule(Rule::file, &text[pair[0]..pair[1]], false) {
            collect_items(pairs, source, pair[0], &[], diagnostics, items);
        }
    }
}

/// Reads `range` with the missing `end`s put where the layout says they
/// belong; true when it then reads whole, so nothing after the mistake is
/// lost. The tree's spans point into the text as written.
fn repair(
    source: SourceId,
    text: &str,
    range: std::ops::Range<usize>,
    open: &[&blocks::Unclosed],
    diagnostics: &mut Vec<Diagnostic>,
    items: &mut Vec<Item>,
) -> bool {
    const END: &str = "\nend";
    let mut at: Vec<usize> = open
        .iter()
        .map(|u| u.insert_at)
        .filter(|a| range.contains(a) || *a == range.end)
        .collect();
    if at.len() != open.len() {
        return false;
    }
    at.sort_unstable();
    let mut repaired = String::with_capacity(range.len() + END.len() * at.len());
    let mut gaps = Vec::with_capacity(at.len());
    let mut from = range.start;
    for a in at {
        repaired.push_str(&text[from..a]);
        gaps.push((repaired.len(), END.len()));
        repaired.push_str(END);
        from = a;
    }
    repaired.push_str(&text[from..range.end]);
    match parse_rule(Rule::file, &repaired, false) {
        Ok(pairs) => {
            collect_items(pairs, source, range.start, &gaps, diagnostics, items);
            true
        }
        Err(_) => false,
    }
}

fn unclosed_diagnostic(source: SourceId, u: &blocks::Unclosed) -> Diagnostic {
    let o = &u.opener;
    let line = o.line + 1;
    let what = match o.word {
        "then" => "`attempts ... then`".to_string(),
        "ok" | "failed" => format!("`{}` branch of this `do`", o.word),
        w => format!("`{w}`"),
    };
    let closes = match o.word {
        "flow" | "faq" | "bot" | "choice" | "slot" => "the item",
        "form" => "the form",
        "ok" | "failed" => "the `do`",
        _ => "the block",
    };
    Diagnostic::error(
        "unclosed-block",
        Span::new(source, o.start..o.start + o.word.len()),
        format!("this {what} at line {line} is never closed"),
    )
    .with_label(format!("this {what} needs an `end`"))
    .with_help(format!(
        "add `end` after line {}, where {closes} stops being indented; every block ends with `end`",
        u.after_line
    ))
}

/// pest's switch for error details is process-wide and read when a parse
/// starts: holding the lock while setting it and parsing keeps a parse on
/// another thread from getting the wrong setting.
static DETAIL_SWITCH: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn parse_rule(
    rule: Rule,
    text: &str,
    detailed: bool,
) -> Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    let _switch = DETAIL_SWITCH
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(detailed);
    GuichetParser::parse(rule, text)
}

/// Builds the items of a parsed `file` whose text starts at `offset`;
/// `gaps` are the places where text was added before parsing.
fn collect_items(
    mut pairs: Pairs<Rule>,
    source: SourceId,
    offset: usize,
    gaps: &[(usize, usize)],
    diagnostics: &mut Vec<Diagnostic>,
    items: &mut Vec<Item>,
) {
    let mut builder = Builder::new(source, offset, gaps, diagnostics);
    if let Some(file) = pairs.next() {
        let inner = file.into_inner();
        items.reserve(inner.len());
        for pair in inner {
            if pair.as_rule() != Rule::EOI {
                if let Some(item) = builder.item(pair) {
                    items.push(item);
                }
            }
        }
    }
}

fn boundaries(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut offset = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let at = offset;
        offset += line.len();
        let word: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        ITEM_KEYWORDS.contains(&word.as_str()).then_some(at)
    })
}

/// Where to resume after an error: the first item boundary on or after the
/// error's line that makes progress past `start`.
fn next_boundary(text: &str, start: usize, error_at: usize) -> Option<usize> {
    let error_at = error_at.min(text.len());
    let line_start = text
        .get(..error_at)
        .and_then(|t| t.rfind('\n'))
        .map(|i| i + 1)
        .unwrap_or(0);
    boundaries(text).find(|&b| b >= line_start && b > start)
}

/// The last item boundary before `error_at` (the good part of the chunk ends there).
fn previous_boundary(text: &str, start: usize, error_at: usize) -> usize {
    boundaries(text)
        .filter(|&b| b > start && b <= error_at)
        .last()
        .unwrap_or(start)
}

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or_op, Assoc::Left))
            .op(Op::infix(Rule::and_op, Assoc::Left))
            .op(Op::prefix(Rule::not_op))
            .op(Op::infix(Rule::eq, Assoc::Left)
                | Op::infix(Rule::ne, Assoc::Left)
                | Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::ge, Assoc::Left)
                | Op::infix(Rule::in_op, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
            .op(Op::prefix(Rule::neg))
    })
}

struct Builder<'d> {
    source: SourceId,
    offset: usize,
    /// Text added before parsing (a missing `end`): `(at, len)` in the
    /// parsed text, so spans still point into the file as written.
    gaps: &'d [(usize, usize)],
    /// Expression levels above the expression being built.
    depth: usize,
    diagnostics: &'d mut Vec<Diagnostic>,
}

/// A position in the parsed text, as an offset in the file.
fn position(offset: usize, gaps: &[(usize, usize)], p: usize) -> usize {
    let mut removed = 0;
    for &(at, len) in gaps {
        if p >= at + len {
            removed += len;
        } else if p >= at {
            return offset + at - removed;
        }
    }
    offset + p - removed
}

impl<'d> Builder<'d> {
    fn new(
        source: SourceId,
        offset: usize,
        gaps: &'d [(usize, usize)],
        diagnostics: &'d mut Vec<Diagnostic>,
    ) -> Builder<'d> {
        Builder {
            source,
            offset,
            gaps,
            depth: 0,
            diagnostics,
        }
    }

    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(
            self.source,
            position(self.offset, self.gaps, s.start())..position(self.offset, self.gaps, s.end()),
        )
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn lang(&self, pair: Pair<Rule>) -> LangTag {
        LangTag {
            code: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn item(&mut self, pair: Pair<Rule>) -> Option<Item> {
        let span = self.span(&pair);
        Some(match pair.as_rule() {
            Rule::bot_decl => Item::Bot(self.bot(pair, span)),
            Rule::action_decl => {
                // `action f() -> (x: text)` has one list, of results: a
                // list after the `->` is the results.
                let arrow = pair.as_str().find("->").map(|i| pair.as_span().start() + i);
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next()?);
                let (mut params, mut results) = (Vec::new(), Vec::new());
                for list in inner {
                    if arrow.is_some_and(|a| list.as_span().start() > a) {
                        results = self.params(list);
                    } else {
                        params = self.params(list);
                    }
                }
                Item::Action(ActionDecl {
                    name,
                    params,
                    results,
                    span,
                })
            }
            Rule::choice_decl => {
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next()?);
                let options = inner
                    .filter_map(|opt| {
                        let mut o = opt.into_inner();
                        let key = self.ident(o.next()?);
                        let phrases = self.phrases(o.next()?);
                        Some(ChoiceOptionDecl { key, phrases })
                    })
                    .collect();
                Item::Choice(ChoiceDecl {
                    name,
                    options,
                    span,
                })
            }
            Rule::pattern_decl => {
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next()?);
                let shapes = inner.map(|p| self.string(p)).collect();
                Item::Pattern(PatternDecl { name, shapes, span })
            }
            Rule::slot_decl => {
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next()?);
                let ty = self.ident(inner.next()?.into_inner().next()?);
                let clauses = self.slot_clauses(inner);
                Item::Slot(SlotDecl {
                    name,
                    ty,
                    clauses,
                    span,
                })
            }
            Rule::table_decl => {
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next()?);
                let file = self.string(inner.next()?);
                let columns = inner.next().map(|p| self.params(p)).unwrap_or_default();
                Item::Table(TableDecl {
                    name,
                    file,
                    columns,
                    span,
                })
            }
            Rule::synonyms_decl => Item::Synonyms(self.phrases(pair.into_inner().next()?)),
            Rule::text_decl => {
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next()?);
                let text = self.text(inner.next()?);
                let extras = self.extras(inner);
                Item::Text(TextDecl {
                    name,
                    text,
                    extras,
                    span,
                })
            }
            Rule::faq_decl => {
                let mut inner = pair.into_inner().peekable();
                let name = self.ident(inner.next()?);
                let mut headers = FlowHeaders::default();
                while let Some(p) = inner.next_if(|p| {
                    matches!(p.as_rule(), Rule::triggers | Rule::label | Rule::examples)
                }) {
                    self.header(p, &mut headers);
                }
                let answer = self.text(inner.next()?);
                let extras = self.extras(inner);
                Item::Faq(FaqDecl {
                    name,
                    headers,
                    answer,
                    extras,
                    span,
                })
            }
            Rule::flow_decl => {
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next()?);
                let mut params = Vec::new();
                let mut headers = FlowHeaders::default();
                let mut body = Vec::new();
                for p in inner {
                    match p.as_rule() {
                        Rule::param_list => params = self.params(p),
                        Rule::triggers | Rule::label | Rule::examples => {
                            self.header(p, &mut headers)
                        }
                        Rule::block => body = self.block(p),
                        _ => {}
                    }
                }
                Item::Flow(FlowDecl {
                    name,
                    params,
                    headers,
                    body,
                    span,
                })
            }
            _ => return None,
        })
    }

    fn bot(&mut self, pair: Pair<Rule>, span: Span) -> BotDecl {
        let mut inner = pair.into_inner();
        let name = inner.next().map(|p| self.string(p)).unwrap_or(StrLit {
            parts: vec![],
            span,
        });
        let mut languages = Vec::new();
        let mut settings = Vec::new();
        for setting in inner {
            let Some(s) = setting.into_inner().next() else {
                continue;
            };
            match s.as_rule() {
                Rule::languages_setting => {
                    languages.extend(s.into_inner().map(|l| self.lang(l)));
                }
                Rule::named_setting => {
                    let mut kv = s.into_inner();
                    if let (Some(k), Some(v)) = (kv.next(), kv.next()) {
                        settings.push((self.ident(k), self.ident(v)));
                    }
                }
                _ => {}
            }
        }
        BotDecl {
            name,
            languages,
            settings,
            span,
        }
    }

    fn header(&mut self, pair: Pair<Rule>, headers: &mut FlowHeaders) {
        let rule = pair.as_rule();
        let Some(phrases) = pair.into_inner().next().map(|p| self.phrases(p)) else {
            return;
        };
        match rule {
            Rule::triggers => headers.triggers.push(phrases),
            Rule::label => headers.labels.push(phrases),
            Rule::examples => headers.examples.push(phrases),
            _ => {}
        }
    }

    fn params(&mut self, pair: Pair<Rule>) -> Vec<Param> {
        pair.into_inner()
            .filter_map(|param| {
                let mut name = None;
                let mut optional = false;
                let mut ty = None;
                for p in param.into_inner() {
                    match p.as_rule() {
                        Rule::ident => name = Some(self.ident(p)),
                        Rule::optional_mark => optional = true,
                        Rule::type_name => ty = p.into_inner().next().map(|t| self.ident(t)),
                        _ => {}
                    }
                }
                Some(Param {
                    name: name?,
                    optional,
                    ty: ty?,
                })
            })
            .collect()
    }

    fn phrases(&mut self, pair: Pair<Rule>) -> Phrases {
        let span = self.span(&pair);
        let lines = pair
            .into_inner()
            .filter_map(|line| {
                let mut inner = line.into_inner();
                let lang = self.lang(inner.next()?);
                let phrases = inner.map(|s| self.string(s)).collect();
                Some(PhraseLine { lang, phrases })
            })
            .collect();
        Phrases { lines, span }
    }

    fn string(&mut self, pair: Pair<Rule>) -> StrLit {
        let span = self.span(&pair);
        let mut parts = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::text_chunk => parts.push(StrPart::Lit(unescape(part.as_str()))),
                Rule::interp => {
                    if let Some(e) = part.into_inner().next() {
                        parts.push(StrPart::Interp(self.expr(e)));
                    }
                }
                _ => {}
            }
        }
        StrLit { parts, span }
    }

    fn text(&mut self, pair: Pair<Rule>) -> Text {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().peekable();
        match inner.peek().map(|p| p.as_rule()) {
            Some(Rule::lang_line) => Text::Translations(
                inner
                    .filter_map(|line| {
                        let mut l = line.into_inner();
                        let lang = self.lang(l.next()?);
                        let variants = l.map(|s| self.string(s)).collect();
                        Some(LangLine { lang, variants })
                    })
                    .collect(),
                span,
            ),
            Some(Rule::text_ref) => {
                let id = inner.next().and_then(|p| p.into_inner().next());
                match id {
                    Some(id) => Text::Ref(self.ident(id)),
                    None => Text::Translations(vec![], span),
                }
            }
            Some(Rule::string) => match inner.next() {
                Some(s) => Text::Plain(self.string(s)),
                None => Text::Translations(vec![], span),
            },
            _ => Text::Translations(vec![], span),
        }
    }

    fn extras<'i>(&mut self, pairs: impl Iterator<Item = Pair<'i, Rule>>) -> Extras {
        let mut extras = Extras::default();
        for p in pairs {
            match p.as_rule() {
                Rule::button => {
                    let mut inner = p.into_inner();
                    let (Some(payload), Some(text)) = (inner.next(), inner.next()) else {
                        continue;
                    };
                    let payload_span = self.span(&payload);
                    let payload = match payload.into_inner().next() {
                        Some(s) if s.as_rule() == Rule::string => self.string(s).literal_text(),
                        Some(n) => n.as_str().to_string(),
                        None => String::new(),
                    };
                    let text = self.text(text);
                    extras.buttons.push(Button {
                        payload,
                        payload_span,
                        text,
                    });
                }
                Rule::link => {
                    let mut inner = p.into_inner();
                    let (Some(url), Some(text)) = (inner.next(), inner.next()) else {
                        continue;
                    };
                    let url = self.string(url);
                    let text = self.text(text);
                    extras.links.push(Link { url, text });
                }
                _ => {}
            }
        }
        extras
    }

    fn block(&mut self, pair: Pair<Rule>) -> Vec<Stmt> {
        pair.into_inner().filter_map(|s| self.stmt(s)).collect()
    }

    fn opt_block(&mut self, pair: Option<Pair<Rule>>) -> Vec<Stmt> {
        pair.map(|p| self.block(p)).unwrap_or_default()
    }

    fn stmt(&mut self, pair: Pair<Rule>) -> Option<Stmt> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let kind = match rule {
            Rule::say_stmt => {
                let text = self.text(inner.next()?);
                StmtKind::Say {
                    text,
                    extras: self.extras(inner),
                }
            }
            Rule::form_stmt => StmtKind::Form(self.form(inner, span)),
            Rule::set_stmt => {
                let name = self.ident(inner.next()?);
                let value = self.expr(inner.next()?);
                StmtKind::Set { name, value }
            }
            Rule::if_stmt => {
                let cond = self.expr(inner.next()?);
                let body = self.opt_block(inner.next());
                let mut branches = vec![(cond, body)];
                let mut otherwise = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::elif_clause => {
                            let mut c = p.into_inner();
                            let cond = self.expr(c.next()?);
                            let body = self.opt_block(c.next());
                            branches.push((cond, body));
                        }
                        Rule::else_clause => {
                            otherwise = Some(self.opt_block(p.into_inner().next()));
                        }
                        _ => {}
                    }
                }
                StmtKind::If {
                    branches,
                    otherwise,
                }
            }
            Rule::match_stmt => {
                let subject = self.expr(inner.next()?);
                let mut cases = Vec::new();
                let mut otherwise = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::case_clause => {
                            let mut values = Vec::new();
                            let mut body = Vec::new();
                            for c in p.into_inner() {
                                match c.as_rule() {
                                    Rule::expr => values.push(self.expr(c)),
                                    Rule::block => body = self.block(c),
                                    _ => {}
                                }
                            }
                            cases.push(Case { values, body });
                        }
                        Rule::else_clause => {
                            otherwise = Some(self.opt_block(p.into_inner().next()));
                        }
                        _ => {}
                    }
                }
                StmtKind::Match {
                    subject,
                    cases,
                    otherwise,
                }
            }
            Rule::call_stmt => {
                let flow = self.ident(inner.next()?);
                let mut args = Vec::new();
                let mut bind = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::arg_list => args = self.args(p),
                        Rule::ident => bind = Some(self.ident(p)),
                        _ => {}
                    }
                }
                StmtKind::Call { flow, args, bind }
            }
            Rule::do_stmt => {
                let action = self.ident(inner.next()?);
                let mut args = Vec::new();
                let mut bind = None;
                let mut ok = None;
                let mut failed = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::arg_list => args = self.args(p),
                        Rule::ident => bind = Some(self.ident(p)),
                        Rule::do_branches => {
                            for b in p.into_inner() {
                                let rule = b.as_rule();
                                let body = self.opt_block(b.into_inner().next());
                                if rule == Rule::ok_branch {
                                    ok = Some(body);
                                } else {
                                    failed = Some(body);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                StmtKind::Do {
                    action,
                    args,
                    bind,
                    ok,
                    failed,
                }
            }
            Rule::handoff_stmt => StmtKind::Handoff {
                reason: inner.next().map(|p| self.ident(p)),
            },
            Rule::goto_stmt => StmtKind::Goto(self.ident(inner.next()?)),
            Rule::return_stmt => StmtKind::Return(inner.next().map(|p| self.expr(p))),
            Rule::stop_stmt => StmtKind::Stop,
            Rule::cancel_stmt => StmtKind::Cancel,
            Rule::restart_stmt => StmtKind::Restart,
            Rule::close_stmt => StmtKind::Close,
            Rule::language_stmt => StmtKind::Language(self.lang(inner.next()?)),
            _ => return None,
        };
        Some(Stmt { kind, span })
    }

    fn args(&mut self, pair: Pair<Rule>) -> Vec<Arg> {
        pair.into_inner()
            .filter_map(|arg| {
                let mut inner = arg.into_inner();
                let name = self.ident(inner.next()?);
                let value = inner.next().map(|e| self.expr(e));
                Some(Arg { name, value })
            })
            .collect()
    }

    fn form(&mut self, pairs: Pairs<Rule>, span: Span) -> Form {
        let mut slots = Vec::new();
        let mut confirm = None;
        for p in pairs {
            let pspan = self.span(&p);
            match p.as_rule() {
                Rule::form_slot => {
                    let mut inner = p.into_inner().peekable();
                    let Some(name) = inner.next().map(|n| self.ident(n)) else {
                        continue;
                    };
                    let ty = match inner.next() {
                        Some(t) if t.as_rule() == Rule::type_name => match t.into_inner().next() {
                            Some(n) => SlotTypeRef::Type(self.ident(n)),
                            None => continue,
                        },
                        Some(t) => SlotTypeRef::Like(self.ident(t)),
                        None => continue,
                    };
                    let clauses = self.slot_clauses(inner);
                    slots.push(FormSlot {
                        name,
                        ty,
                        clauses,
                        span: pspan,
                    });
                }
                Rule::confirm => {
                    let mut inner = p.into_inner();
                    if let Some(t) = inner.next() {
                        let text = self.text(t);
                        let extras = self.extras(inner);
                        confirm = Some(Prompt {
                            text,
                            extras,
                            span: pspan,
                        });
                    }
                }
                _ => {}
            }
        }
        Form {
            slots,
            confirm,
            span,
        }
    }

    fn prompt(&mut self, pair: Pair<Rule>) -> Option<Prompt> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let text = self.text(inner.next()?);
        let extras = self.extras(inner);
        Some(Prompt { text, extras, span })
    }

    fn slot_clauses<'i>(&mut self, pairs: impl Iterator<Item = Pair<'i, Rule>>) -> SlotClauses {
        let mut c = SlotClauses::default();
        for p in pairs {
            let span = self.span(&p);
            match p.as_rule() {
                Rule::label => {
                    if let Some(ph) = p.into_inner().next() {
                        c.labels.push(self.phrases(ph));
                    }
                }
                Rule::ask_clause => c.asks.extend(self.prompt(p)),
                Rule::reprompt_clause => c.reprompts.extend(self.prompt(p)),
                Rule::require_clause => {
                    let mut inner = p.into_inner();
                    if let (Some(cond), Some(msg)) = (inner.next(), inner.next()) {
                        let condition = self.expr(cond);
                        let message = self.text(msg);
                        c.requires.push(Require {
                            condition,
                            message,
                            span,
                        });
                    }
                }
                Rule::attempts_clause => {
                    let mut inner = p.into_inner();
                    let count_pair = inner.next();
                    let count = match count_pair.as_ref().map(|n| n.as_str().parse::<u32>()) {
                        Some(Ok(n)) => n,
                        _ => {
                            self.diagnostics.push(
                                Diagnostic::error(
                                    "bad-literal",
                                    span,
                                    "this number of attempts is too large",
                                )
                                .with_help("write a small number, such as `attempts 3`"),
                            );
                            3
                        }
                    };
                    let then = inner.next().map(|b| self.block(b));
                    c.attempts = Some(Attempts { count, then, span });
                }
                Rule::optional_clause => c.optional = Some(span),
                Rule::personal_clause => c.personal = Some(span),
                Rule::default_clause => c.default = p.into_inner().next().map(|e| self.expr(e)),
                Rule::when_clause => c.when = p.into_inner().next().map(|e| self.expr(e)),
                Rule::prefer_clause => {
                    let kind = if p.as_str().trim_end().ends_with("past") {
                        Prefer::Past
                    } else {
                        Prefer::Future
                    };
                    c.prefer = Some((kind, span));
                }
                _ => {}
            }
        }
        c
    }

    fn expr(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let pairs = pair.into_inner();
        // The tree of `1 + 1 + ...` is as deep as it has operators, and a
        // prefix (`not`, `-`) is a level too: past the limit the expression
        // is not built, so nothing recurses into it.
        let operators = pairs
            .clone()
            .filter(|p| !matches!(p.as_rule(), Rule::postfixed))
            .count();
        let depth = self.depth + 1 + operators;
        if depth > MAX_EXPR_DEPTH {
            self.diagnostics.push(
                Diagnostic::error(
                    "too-deep",
                    span,
                    format!("this expression is more than {MAX_EXPR_DEPTH} levels deep"),
                )
                .with_label(format!(
                    "{operators} operators, inside {} brackets",
                    self.depth
                ))
                .with_help("compute parts of it first with `set` and combine their names"),
            );
            return Expr {
                kind: ExprKind::Nothing,
                span,
            };
        }
        let source = self.source;
        let offset = self.offset;
        let gaps = self.gaps;
        // The Pratt parser's closures cannot borrow `self` mutably three
        // times, so diagnostics go through a cell.
        let diags = std::cell::RefCell::new(std::mem::take(self.diagnostics));
        let result = pratt()
            .map_primary(|p| {
                let mut b = Builder {
                    source,
                    offset,
                    gaps,
                    depth,
                    diagnostics: &mut diags.borrow_mut(),
                };
                b.postfixed(p)
            })
            .map_prefix(|op, rhs| {
                let s = Span::new(
                    source,
                    position(offset, gaps, op.as_span().start())
                        ..position(offset, gaps, op.as_span().end()),
                );
                let op = if op.as_rule() == Rule::not_op {
                    UnaryOp::Not
                } else {
                    UnaryOp::Neg
                };
                let span = s.to(rhs.span);
                Expr {
                    kind: ExprKind::Unary(op, Box::new(rhs)),
                    span,
                }
            })
            .map_infix(|lhs, op, rhs| {
                let op = match op.as_rule() {
                    Rule::or_op => BinaryOp::Or,
                    Rule::and_op => BinaryOp::And,
                    Rule::eq => BinaryOp::Eq,
                    Rule::ne => BinaryOp::Ne,
                    Rule::lt => BinaryOp::Lt,
                    Rule::le => BinaryOp::Le,
                    Rule::gt => BinaryOp::Gt,
                    Rule::ge => BinaryOp::Ge,
                    Rule::add => BinaryOp::Add,
                    Rule::sub => BinaryOp::Sub,
                    Rule::mul => BinaryOp::Mul,
                    Rule::div => BinaryOp::Div,
                    _ => BinaryOp::In,
                };
                let span = lhs.span.to(rhs.span);
                Expr {
                    kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                    span,
                }
            })
            .parse(pairs);
        *self.diagnostics = diags.into_inner();
        Expr { span, ..result }
    }

    fn postfixed(&mut self, pair: Pair<Rule>) -> Expr {
        let mut inner = pair.into_inner();
        let Some(first) = inner.next() else {
            return Expr {
                kind: ExprKind::Nothing,
                span: Span::default(),
            };
        };
        let mut expr = self.primary(first);
        for field in inner {
            if let Some(name) = field.into_inner().next() {
                let name = self.ident(name);
                let span = expr.span.to(name.span);
                expr = Expr {
                    kind: ExprKind::Field(Box::new(expr), name),
                    span,
                };
            }
        }
        expr
    }

    fn decimal(&mut self, text: &str, span: Span) -> Decimal {
        text.parse::<Decimal>().unwrap_or_else(|_| {
            self.diagnostics.push(
                Diagnostic::error("bad-literal", span, "this number is too large")
                    .with_help("numbers can have at most 28 digits"),
            );
            Decimal::ZERO
        })
    }

    fn primary(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::number => ExprKind::Number(self.decimal(pair.as_str(), span)),
            Rule::money_lit => {
                let digits = pair
                    .into_inner()
                    .next()
                    .map(|n| n.as_str().to_string())
                    .unwrap_or_default();
                ExprKind::Money(self.decimal(&digits, span))
            }
            Rule::duration_lit => {
                let mut inner = pair.into_inner();
                let amount = inner
                    .next()
                    .map(|n| n.as_str().to_string())
                    .unwrap_or_default();
                let amount = self.decimal(&amount, span);
                let unit = match inner.next().map(|u| u.as_str()).unwrap_or("day") {
                    u if u.starts_with("week") => DurationUnit::Week,
                    u if u.starts_with("month") => DurationUnit::Month,
                    u if u.starts_with("year") => DurationUnit::Year,
                    _ => DurationUnit::Day,
                };
                ExprKind::Duration(amount, unit)
            }
            Rule::date_lit => match NaiveDate::parse_from_str(pair.as_str(), "%Y-%m-%d") {
                Ok(d) => ExprKind::Date(d),
                Err(_) => {
                    self.diagnostics.push(
                        Diagnostic::error("bad-literal", span, "this date does not exist")
                            .with_label("no such day")
                            .with_help("write dates as YYYY-MM-DD, for example 2025-03-15"),
                    );
                    ExprKind::Nothing
                }
            },
            Rule::time_lit => match NaiveTime::parse_from_str(pair.as_str(), "%H:%M") {
                Ok(t) => ExprKind::Time(t),
                Err(_) => {
                    self.diagnostics.push(
                        Diagnostic::error("bad-literal", span, "this time does not exist")
                            .with_help("write times as HH:MM, for example 14:30"),
                    );
                    ExprKind::Nothing
                }
            },
            Rule::string => ExprKind::Str(self.string(pair)),
            Rule::bool_lit => ExprKind::Bool(matches!(pair.as_str(), "yes" | "true")),
            Rule::nothing => ExprKind::Nothing,
            Rule::list => ExprKind::List(pair.into_inner().map(|e| self.expr(e)).collect()),
            Rule::call_expr => {
                let mut inner = pair.into_inner();
                let name = match inner.next() {
                    Some(n) => self.ident(n),
                    None => {
                        return Expr {
                            kind: ExprKind::Nothing,
                            span,
                        }
                    }
                };
                ExprKind::Call(name, inner.map(|e| self.expr(e)).collect())
            }
            Rule::ident => ExprKind::Var(self.ident(pair)),
            Rule::paren => match pair.into_inner().next() {
                Some(e) => return self.expr(e),
                None => ExprKind::Nothing,
            },
            _ => ExprKind::Nothing,
        };
        Expr { kind, span }
    }
}

pub(super) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            },
            '{' | '}' if chars.peek() == Some(&c) => {
                chars.next();
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct reading and pest's agree on `text`: the same items, the
    /// same spans, the same diagnostics.
    fn agree(text: &str) {
        // An item nested too deep is read by neither (see `parse_file`).
        if !blocks::scan(text).too_deep.is_empty() {
            return;
        }
        let direct = parse_file(SourceId(3), text);
        let pest = parse_with_pest(SourceId(3), text, &blocks::scan(text));
        assert_eq!(direct, pest, "readings differ on {text:?}");
    }

    fn flow_files(dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                flow_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "flow") {
                out.extend(std::fs::read_to_string(&path));
            }
        }
    }

    const TRICKY: &str = "\u{feff}# a comment\n\
        faq r0 # c\n  triggers fr: \"a\" , \"b\" # x\n  label nl: \"c\"\n\
        answer fr: \"R0\" | \"x\"  # y\n button yes \"Oui\"  \nend  \n\
        text t fr: \"z\\\" \\n {{ }} é\"  # q\n \n\
        text u t\n\
        text v \"plain\" button \"a b\" fr: \"A\" link \"http://x\" w\n\
        flow f\n  say fr: \"a\"  \n  say t  \n say \"\" \nend\n\
        flow g triggers fr: \"g\", \"h\" examples fr: \"i\" say u end\n\
        faqr1 triggersfr:\"a\"answerfr:\"b\"end\n\
        flow h(x: text) say \"{x}\" end\n\
        faq r2 answer fr: \"{a}\" end\n";

    #[test]
    fn direct_reading_agrees_with_pest_on_sample_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![TRICKY.to_string()];
        for dir in ["flows", "stdlib", "tests", "examples", "docs"] {
            flow_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 40);
        for text in &files {
            agree(text);
        }
    }

    /// Mistakes and unusual spacing around every token of the tricky file
    /// and the sample files: the readings must still agree.
    #[test]
    fn direct_reading_agrees_with_pest_on_mutations() {
        const PIECES: [&str; 34] = [
            "\"", "{", "}", "{{", "\\", "\\n", ",", "|", ":", " ", "\n", "#", "end", "say",
            "button", "link", "fr", "fr:", "\"x\"", "answer", "triggers", "faq", "text", "(",
            "{x}", "yes", "\u{feff}", "label", "flow", "é", "x", "_", "0", "if",
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![TRICKY.to_string()];
        flow_files(&root.join("flows"), &mut files);
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for text in &files {
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for _ in 0..300 {
                let a = bounds[next(bounds.len())];
                let b = bounds[next(bounds.len())].min(a + 12).max(a);
                let b = *bounds.iter().find(|&&i| i >= b).unwrap_or(&text.len());
                let piece = PIECES[next(PIECES.len())];
                let mutated = match next(3) {
                    0 => format!("{}{}", &text[..a], &text[b..]),
                    1 => format!("{}{}{}", &text[..a], piece, &text[a..]),
                    _ => format!("{}{}{}", &text[..a], piece, &text[b..]),
                };
                agree(&mutated);
            }
        }
    }

    /// Whether `word` reads as a name, whole.
    fn is_name(word: &str) -> bool {
        GuichetParser::parse(Rule::ident, word)
            .is_ok_and(|mut pairs| pairs.next().is_some_and(|p| p.as_str() == word))
    }

    // The reserved words, as the direct reading knows them. Which words
    // are reserved follows from the order of the `keyword` rule as much as
    // from its words, so a rewrite of the rule (for speed) must keep them.
    use crate::syntax::fast::RESERVED;

    /// Listed in the `keyword` rule after a word they start with: that word
    /// matches first, is not followed by a word boundary, and the rule
    /// fails, so these stay names.
    const SHADOWED: [&str; 4] = ["ask", "not", "nothing", "optional"];

    #[test]
    fn reserved_words_are_not_names() {
        for word in RESERVED {
            assert!(!is_name(word), "`{word}` should be reserved");
            assert!(
                GuichetParser::parse(Rule::keyword, word).is_ok(),
                "`{word}` should be a keyword"
            );
        }
    }

    #[test]
    fn shadowed_keywords_are_names() {
        for word in SHADOWED {
            assert!(is_name(word), "`{word}` should be a name");
            assert!(GuichetParser::parse(Rule::keyword, word).is_err());
        }
    }

    #[test]
    fn words_around_keywords_are_names() {
        for word in RESERVED.iter().chain(&SHADOWED) {
            for name in [
                format!("{word}s"),
                format!("{word}_"),
                format!("{word}2"),
                format!("_{word}"),
                word.to_uppercase(),
                word[..word.len() - 1].to_string(),
            ] {
                if RESERVED.contains(&name.as_str()) {
                    continue;
                }
                assert!(is_name(&name), "`{name}` should be a name");
            }
        }
        for name in [
            "a", "b", "x", "r0", "zeta", "jour", "quand", "vote", "kiosk",
        ] {
            assert!(is_name(name), "`{name}` should be a name");
        }
    }
}
