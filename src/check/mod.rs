//! The checker: every mistake in a bot, found before a citizen meets it.
//!
//! Each file checks one concern and pushes `Diagnostic`s into a shared
//! `Checker`; nothing stops at the first mistake, so a flow author sees
//! them all in one run.

mod arguments;
mod cascade;
pub mod explain;
mod flows;
mod loops;
mod names;
mod tables;
mod translations;
mod triggers;
mod types;

use crate::diagnostics::{self, Diagnostic, SourceId, Span};
use crate::load::ParsedBot;
use crate::lookup::{FastMap, FastSet};
use crate::syntax::ast::{
    ActionDecl, BotDecl, ChoiceDecl, FaqDecl, FlowDecl, Item, PatternDecl, SlotDecl, TableDecl,
    TextDecl,
};
use crate::understand::matcher::BuiltIndex;

pub use cascade::{quiet_after_syntax_errors, SYNTAX_CODES};

/// Checks a parsed bot: every error and warning the checker finds, sorted
/// by file and position. The loader's own (syntax, missing table files)
/// stay in `bot.diagnostics`; `bot::check_files` joins the two.
pub fn check(bot: &ParsedBot) -> Vec<Diagnostic> {
    check_and_index(bot).0
}

/// `check`, also giving the trigger index it built, for the compiler.
pub fn check_and_index(bot: &ParsedBot) -> (Vec<Diagnostic>, Option<BuiltIndex>) {
    let mut c = Checker::new(bot);
    names::check(&mut c);
    tables::check(&mut c);
    flows::check(&mut c);
    arguments::check(&mut c);
    loops::check(&mut c);
    let index = triggers::check(&mut c);
    let mut out = c.diags;
    diagnostics::sort(&mut out);
    out.dedup();
    (out, index)
}

/// What the bot declares, by name (the first declaration wins when a name
/// is declared twice; the second is reported).
pub(crate) struct Checker<'a> {
    pub bot: &'a ParsedBot,
    pub bot_decl: Option<&'a BotDecl>,
    /// The bot's languages that guichet knows, as written (`fr`, `nl`, `en`).
    pub languages: Vec<String>,
    pub flows: FastMap<&'a str, &'a FlowDecl>,
    pub faqs: FastMap<&'a str, &'a FaqDecl>,
    pub actions: FastMap<&'a str, &'a ActionDecl>,
    pub choices: FastMap<&'a str, &'a ChoiceDecl>,
    pub patterns: FastMap<&'a str, &'a PatternDecl>,
    pub slots: FastMap<&'a str, &'a SlotDecl>,
    pub tables: FastMap<&'a str, &'a TableDecl>,
    pub texts: FastMap<&'a str, &'a TextDecl>,
    /// Flows and FAQs named by a `call`, `goto`, button or bot setting.
    pub used_flows: FastSet<String>,
    pub used_actions: FastSet<String>,
    pub used_slots: FastSet<String>,
    pub diags: Vec<Diagnostic>,
}

pub const KNOWN_LANGUAGES: [&str; 3] = ["fr", "nl", "en"];

impl<'a> Checker<'a> {
    fn new(bot: &'a ParsedBot) -> Checker<'a> {
        let mut c = Checker {
            bot,
            bot_decl: None,
            languages: Vec::new(),
            flows: FastMap::default(),
            faqs: FastMap::default(),
            actions: FastMap::default(),
            choices: FastMap::default(),
            patterns: FastMap::default(),
            slots: FastMap::default(),
            tables: FastMap::default(),
            texts: FastMap::default(),
            used_flows: FastSet::default(),
            used_actions: FastSet::default(),
            used_slots: FastSet::default(),
            diags: Vec::new(),
        };
        // Sized up front: a big bot's flows and FAQ entries number thousands.
        let (flows, faqs) = bot.items.iter().fold((0, 0), |(fl, fa), item| match item {
            Item::Flow(_) => (fl + 1, fa),
            Item::Faq(_) => (fl, fa + 1),
            _ => (fl, fa),
        });
        c.flows.reserve(flows);
        c.faqs.reserve(faqs);
        for item in &bot.items {
            match item {
                Item::Bot(b) => {
                    c.bot_decl.get_or_insert(b);
                }
                Item::Flow(f) => {
                    if !c.faqs.contains_key(f.name.name.as_str()) {
                        c.flows.entry(&f.name.name).or_insert(f);
                    }
                }
                Item::Faq(f) => {
                    if !c.flows.contains_key(f.name.name.as_str()) {
                        c.faqs.entry(&f.name.name).or_insert(f);
                    }
                }
                Item::Action(a) => {
                    c.actions.entry(&a.name.name).or_insert(a);
                }
                Item::Choice(ch) => {
                    c.choices.entry(&ch.name.name).or_insert(ch);
                }
                Item::Pattern(p) => {
                    if !c.choices.contains_key(p.name.name.as_str()) {
                        c.patterns.entry(&p.name.name).or_insert(p);
                    }
                }
                Item::Slot(s) => {
                    c.slots.entry(&s.name.name).or_insert(s);
                }
                Item::Table(t) => {
                    c.tables.entry(&t.name.name).or_insert(t);
                }
                Item::Text(t) => {
                    c.texts.entry(&t.name.name).or_insert(t);
                }
                Item::Synonyms(_) => {}
            }
        }
        if let Some(b) = c.bot_decl {
            let mut seen = Vec::new();
            for l in &b.languages {
                if KNOWN_LANGUAGES.contains(&l.code.as_str()) && !seen.contains(&l.code) {
                    seen.push(l.code.clone());
                }
            }
            c.languages = seen;
        }
        c
    }

    pub fn push(&mut self, mut d: Diagnostic) {
        // Spans from the parser run on over the whitespace after a node;
        // the underline should stop at its last character.
        d.span = self.trim(d.span);
        for r in &mut d.related {
            r.span = self.trim(r.span);
        }
        self.diags.push(d);
    }

    /// A span without its trailing whitespace and comments.
    pub fn trim(&self, span: Span) -> Span {
        let text = self.bot.sources.snippet(span);
        let mut kept = text.len();
        // Drop trailing lines that hold only whitespace or a comment.
        loop {
            let t = &text[..kept];
            let trimmed = t.trim_end();
            if trimmed.len() != t.len() {
                kept = trimmed.len();
                continue;
            }
            match t.rfind('\n') {
                Some(nl) if t[nl + 1..].trim_start().starts_with('#') => kept = nl,
                _ => break,
            }
        }
        if kept == 0 {
            return Span {
                end: span.start.min(span.end),
                ..span
            };
        }
        Span {
            end: span.start + kept,
            ..span
        }
    }

    /// The first line of a span, for blocks that would underline many lines.
    pub fn first_line(&self, span: Span) -> Span {
        let text = self.bot.sources.snippet(span);
        match text.find('\n') {
            Some(nl) => self.trim(Span {
                end: span.start + nl,
                ..span
            }),
            None => self.trim(span),
        }
    }

    pub fn is_stdlib(&self, span: Span) -> bool {
        self.bot.stdlib.contains(&span.source)
    }

    pub fn is_stdlib_source(&self, id: SourceId) -> bool {
        self.bot.stdlib.contains(&id)
    }

    /// Whether a name is a flow or an FAQ entry (both can be started).
    pub fn is_startable(&self, name: &str) -> bool {
        self.flows.contains_key(name) || self.faqs.contains_key(name)
    }

    pub fn startable_names(&self) -> Vec<&'a str> {
        let mut v: Vec<&str> = self.flows.keys().chain(self.faqs.keys()).copied().collect();
        v.sort_unstable();
        v
    }

    /// The source text under a span.
    pub fn snippet(&self, span: Span) -> &'a str {
        self.bot.sources.snippet(span).trim_end()
    }
}

/// "did you mean `x`?" over names, in a stable order.
pub(crate) fn suggest<'n>(
    name: &str,
    candidates: impl IntoIterator<Item = &'n str>,
) -> Option<String> {
    let mut cands: Vec<&str> = candidates.into_iter().filter(|c| *c != name).collect();
    cands.sort_unstable();
    cands.dedup();
    diagnostics::did_you_mean(name, cands).map(|s| format!("did you mean `{s}`?"))
}

/// Lists names for a help text, at most a handful.
pub(crate) fn list_names<'n>(names: impl IntoIterator<Item = &'n str>) -> String {
    let mut v: Vec<&str> = names.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    let more = v.len().saturating_sub(8);
    let mut s = v
        .iter()
        .take(8)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}
