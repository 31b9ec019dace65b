//! Compiling a checked bot into the immutable program the runtime runs:
//! names resolved, texts looked up, `like` slots expanded, tables read,
//! triggers indexed, statements lowered to flat instruction lists.

mod program;
pub mod steps;
pub mod tables;

pub use program::*;

use crate::diagnostics::{Diagnostic, Span};
use crate::load::ParsedBot;
use crate::lookup::FastMap;
use crate::syntax::ast::{self, Item, Phrases, Prefer, SlotClauses, SlotTypeRef, StmtKind};
use crate::understand::extract::DateOrder;
use crate::understand::extract::{ChoiceOption, ChoiceSpec, DatePolicy};
use crate::understand::matcher::{BuiltIndex, Synonyms, TriggerIndex, TriggerSpec};
use crate::understand::normalize::fold;
use crate::values::holidays::Country;
use crate::values::{Lang, PatternType, SlotType, Type};
use std::sync::Arc;

/// When a slot does not say how many attempts, the citizen gets three,
/// then the conversation goes to staff.
pub const DEFAULT_ATTEMPTS: u32 = 3;

/// Compiles a parsed bot. The checker runs first; compilation reports only
/// what makes a program impossible to build (and never panics on a bot the
/// checker would reject).
pub fn compile(bot: &ParsedBot) -> Result<Program, Vec<Diagnostic>> {
    compile_reusing(bot, None)
}

/// `compile`, taking the trigger index the checker built when it indexes
/// the same triggers (building one is most of the time a big bot takes to load).
pub fn compile_reusing(
    bot: &ParsedBot,
    triggers: Option<BuiltIndex>,
) -> Result<Program, Vec<Diagnostic>> {
    let mut c = Compiler::new(bot);
    c.collect();
    let program = c.finish(triggers);
    if c.errors.is_empty() {
        Ok(program)
    } else {
        Err(c.errors)
    }
}

struct Compiler<'b> {
    bot: &'b ParsedBot,
    texts: FastMap<&'b str, &'b ast::TextDecl>,
    slot_decls: FastMap<&'b str, &'b ast::SlotDecl>,
    choices: FastMap<String, ChoiceSpec>,
    patterns: FastMap<String, Arc<PatternType>>,
    languages: Vec<Lang>,
    errors: Vec<Diagnostic>,
}

impl<'b> Compiler<'b> {
    fn new(bot: &'b ParsedBot) -> Self {
        Compiler {
            bot,
            texts: FastMap::default(),
            slot_decls: FastMap::default(),
            choices: FastMap::default(),
            patterns: FastMap::default(),
            languages: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn collect(&mut self) {
        for item in &self.bot.items {
            match item {
                Item::Text(t) => {
                    self.texts.insert(&t.name.name, t);
                }
                Item::Slot(s) => {
                    self.slot_decls.insert(&s.name.name, s);
                }
                Item::Choice(ch) => {
                    let spec = ChoiceSpec {
                        options: ch
                            .options
                            .iter()
                            .map(|o| {
                                ChoiceOption::new(o.key.name.clone(), phrase_pairs(&o.phrases))
                            })
                            .collect(),
                    };
                    self.choices.insert(ch.name.name.clone(), spec);
                }
                Item::Pattern(p) => {
                    let ty = PatternType {
                        name: p.name.name.clone(),
                        shapes: p.shapes.iter().map(|s| s.literal_text()).collect(),
                    };
                    self.patterns
                        .entry(p.name.name.clone())
                        .or_insert_with(|| Arc::new(ty));
                }
                Item::Bot(b) => {
                    self.languages = b
                        .languages
                        .iter()
                        .filter_map(|l| l.code.parse().ok())
                        .collect();
                }
                _ => {}
            }
        }
        if self.languages.is_empty() {
            self.languages = vec![Lang::Fr, Lang::Nl, Lang::En];
        }
    }

    fn finish(&mut self, prebuilt: Option<BuiltIndex>) -> Program {
        let bot = self.bot;
        let mut program = Program {
            name: String::new(),
            languages: self.languages.clone(),
            default_lang: self.languages[0],
            country: Country::Be,
            date_order: DateOrder::DayFirst,
            start: None,
            fallback: None,
            flows: Vec::new(),
            flow_ids: Default::default(),
            actions: FastMap::default(),
            choices: self.choices.clone(),
            tables: FastMap::default(),
            triggers: TriggerIndex::build(&[], &Synonyms::new()).0,
            trigger_flows: Vec::new(),
            trigger_spans: Vec::new(),
            fingerprint: fingerprint(bot).into(),
            session_moved: self.named_message("session_moved"),
            session_restarted: self.named_message("session_restarted"),
        };
        let mut settings: Vec<(String, String)> = Vec::new();
        let mut synonyms = Synonyms::new();
        let mut trigger_specs: Vec<(TriggerSpec, Span)> = Vec::new();

        for item in &bot.items {
            match item {
                Item::Bot(b) => {
                    program.name = b.name.literal_text();
                    settings.extend(
                        b.settings
                            .iter()
                            .map(|(k, v)| (k.name.clone(), v.name.clone())),
                    );
                }
                Item::Action(a) => {
                    program.actions.insert(
                        a.name.name.clone(),
                        ActionSpec {
                            name: a.name.name.clone(),
                            params: a
                                .params
                                .iter()
                                .map(|p| (p.name.name.clone(), p.optional))
                                .collect(),
                            results: a
                                .results
                                .iter()
                                .map(|p| {
                                    (
                                        p.name.name.clone(),
                                        Type::from_name(&p.ty.name).unwrap_or(Type::Any),
                                    )
                                })
                                .collect(),
                        },
                    );
                }
                Item::Table(t) => {
                    let columns: Vec<(String, Type)> = t
                        .columns
                        .iter()
                        .map(|c| {
                            (
                                c.name.name.clone(),
                                Type::from_name(&c.ty.name).unwrap_or(Type::Text),
                            )
                        })
                        .collect();
                    let rows = bot
                        .tables
                        .get(&t.name.name)
                        .and_then(|id| bot.sources.get(*id))
                        .map(|src| tables::parse_table(&src.text, &columns).0)
                        .unwrap_or_default();
                    program.tables.insert(t.name.name.clone(), rows);
                }
                Item::Synonyms(p) => {
                    for (lang, words) in phrase_pairs_grouped(p) {
                        synonyms.add_group(lang, &words);
                    }
                }
                Item::Faq(f) => {
                    let id = program.flows.len();
                    let stdlib = bot.stdlib.contains(&f.span.source);
                    let answer = Prompt {
                        text: self.message(&f.answer),
                        buttons: self.buttons(&f.extras),
                        links: self.links(&f.extras),
                        span: f.answer.span(),
                    };
                    let mut flow = Flow {
                        name: f.name.name.clone(),
                        span: f.name.span,
                        label: first_phrases(&f.headers.labels),
                        params: vec![],
                        optional_params: vec![],
                        code: vec![Instr::Say(answer)],
                        spans: vec![Some(f.answer.span())],
                        forms: vec![],
                        stdlib,
                        topic: Default::default(),
                        fingerprint: 0,
                        steps: vec![],
                    };
                    steps::identify(&mut flow, None, &bot.sources);
                    program.flows.push(flow);
                    program.flow_ids.insert(f.name.name.clone(), id);
                    add_triggers(&mut trigger_specs, id, &f.headers.triggers);
                }
                Item::Flow(f) => {
                    let id = program.flows.len();
                    let stdlib = bot.stdlib.contains(&f.span.source);
                    let mut flow = Flow {
                        name: f.name.name.clone(),
                        span: f.name.span,
                        label: first_phrases(&f.headers.labels),
                        params: f.params.iter().map(|p| p.name.name.clone()).collect(),
                        optional_params: f.params.iter().map(|p| p.optional).collect(),
                        code: Vec::new(),
                        spans: Vec::new(),
                        forms: Vec::new(),
                        stdlib,
                        topic: Default::default(),
                        fingerprint: 0,
                        steps: Vec::new(),
                    };
                    let mut pending = Vec::new();
                    self.block(&f.body, &mut flow, &mut pending);
                    if !pending.is_empty() {
                        // The body must not run on into the way-out blocks below it.
                        flow.code.push(Instr::Stop);
                    }
                    // Way-out blocks of `attempts ... then` go after the body; each
                    // ends the flow unless it jumps elsewhere itself.
                    while let Some((form, slot, body)) = pending.pop() {
                        let at = flow.code.len();
                        let mut nested = Vec::new();
                        self.block(body, &mut flow, &mut nested);
                        flow.code.push(Instr::Stop);
                        pending.extend(nested);
                        if let Some(s) = flow
                            .forms
                            .get_mut(form)
                            .and_then(|f: &mut FormSpec| f.slots.get_mut(slot))
                        {
                            s.give_up = Some(at);
                        }
                    }
                    flow.spans.resize(flow.code.len(), None);
                    steps::identify(&mut flow, Some(f), &bot.sources);
                    program.flows.push(flow);
                    program.flow_ids.insert(f.name.name.clone(), id);
                    add_triggers(&mut trigger_specs, id, &f.headers.triggers);
                }
                _ => {}
            }
        }

        for (key, value) in settings {
            match key.as_str() {
                "default" => {
                    if let Ok(l) = value.parse() {
                        program.default_lang = l;
                    }
                }
                "start" => program.start = program.flow_ids.get(&value).copied(),
                "fallback" => program.fallback = program.flow_ids.get(&value).copied(),
                "dates" if value == "month_first" => {
                    program.date_order = DateOrder::MonthFirst;
                }
                "holidays" => {
                    program.country = if value == "fr" {
                        Country::Fr
                    } else {
                        Country::Be
                    }
                }
                _ => {}
            }
        }
        if program.start.is_none() {
            program.start = program.flow_ids.get("welcome").copied();
        }
        if program.fallback.is_none() {
            program.fallback = program.flow_ids.get("not_understood").copied();
        }
        // Stdlib triggers in languages the bot does not speak are left out.
        let (specs, spans): (Vec<TriggerSpec>, Vec<Span>) = trigger_specs
            .into_iter()
            .filter(|(s, _)| program.languages.contains(&s.lang))
            .unzip();
        program.trigger_flows = specs.iter().map(|s| s.target).collect();
        program.trigger_spans = spans;
        program.triggers = BuiltIndex::reuse_for(prebuilt, &specs, &synonyms);
        program
    }

    fn message(&self, text: &ast::Text) -> Message {
        match text {
            ast::Text::Translations(lines, _) => Message {
                per_lang: lines
                    .iter()
                    .filter_map(|l| Some((l.lang.code.parse().ok()?, l.variants.clone())))
                    .collect(),
                plain: None,
            },
            ast::Text::Plain(s) => Message {
                per_lang: vec![],
                plain: Some(s.clone()),
            },
            ast::Text::Ref(id) => match self.texts.get(id.name.as_str()) {
                // A text refers to a text that refers... the checker rejects
                // unknown names; cycles cannot occur since declarations hold texts.
                Some(decl) => match &decl.text {
                    ast::Text::Ref(_) => Message::default(),
                    other => self.message(other),
                },
                None => Message::default(),
            },
        }
    }

    /// A declared text by name, as a message (empty when not declared).
    fn named_message(&self, name: &str) -> Message {
        self.texts
            .get(name)
            .map(|decl| self.message(&decl.text))
            .unwrap_or_default()
    }

    fn buttons(&self, extras: &ast::Extras) -> Vec<ButtonSpec> {
        extras
            .buttons
            .iter()
            .map(|b| ButtonSpec {
                payload: b.payload.clone(),
                label: self.message(&b.text),
            })
            .collect()
    }

    fn links(&self, extras: &ast::Extras) -> Vec<LinkSpec> {
        extras
            .links
            .iter()
            .map(|l| LinkSpec {
                url: l.url.clone(),
                label: self.message(&l.text),
            })
            .collect()
    }

    fn prompt(&self, text: &ast::Text, extras: &ast::Extras, span: Span) -> Prompt {
        let mut p = Prompt {
            text: self.message(text),
            buttons: self.buttons(extras),
            links: self.links(extras),
            span,
        };
        // `say greeting` also brings the buttons declared with the text.
        if let ast::Text::Ref(id) = text {
            if let Some(decl) = self.texts.get(id.name.as_str()) {
                p.buttons.extend(self.buttons(&decl.extras));
                p.links.extend(self.links(&decl.extras));
            }
        }
        p
    }

    fn block(
        &self,
        stmts: &'b [ast::Stmt],
        flow: &mut Flow,
        pending: &mut Vec<(usize, usize, &'b [ast::Stmt])>,
    ) {
        for stmt in stmts {
            self.stmt(stmt, flow, pending);
        }
    }

    fn stmt(
        &self,
        stmt: &'b ast::Stmt,
        flow: &mut Flow,
        pending: &mut Vec<(usize, usize, &'b [ast::Stmt])>,
    ) {
        let first = flow.code.len();
        self.lower(stmt, flow, pending);
        // Instructions of this statement that no inner statement claimed.
        flow.spans.resize(flow.code.len(), None);
        for span in &mut flow.spans[first..] {
            span.get_or_insert(stmt.span);
        }
    }

    fn lower(
        &self,
        stmt: &'b ast::Stmt,
        flow: &mut Flow,
        pending: &mut Vec<(usize, usize, &'b [ast::Stmt])>,
    ) {
        match &stmt.kind {
            StmtKind::Say { text, extras } => flow
                .code
                .push(Instr::Say(self.prompt(text, extras, stmt.span))),
            StmtKind::Set { name, value } => {
                flow.code.push(Instr::Set(name.name.clone(), value.clone()))
            }
            StmtKind::If {
                branches,
                otherwise,
            } => {
                let mut ends = Vec::new();
                for (cond, body) in branches {
                    let test = flow.code.len();
                    flow.code.push(Instr::JumpUnless(cond.clone(), 0));
                    self.block(body, flow, pending);
                    ends.push(flow.code.len());
                    flow.code.push(Instr::Jump(0));
                    let next = flow.code.len();
                    flow.code[test] = Instr::JumpUnless(cond.clone(), next);
                }
                if let Some(body) = otherwise {
                    self.block(body, flow, pending);
                }
                let end = flow.code.len();
                for at in ends {
                    flow.code[at] = Instr::Jump(end);
                }
            }
            StmtKind::Match {
                subject,
                cases,
                otherwise,
            } => {
                let at = flow.code.len();
                flow.code.push(Instr::Stop);
                let mut targets = Vec::new();
                let mut ends = Vec::new();
                for case in cases {
                    targets.push((case.values.clone(), flow.code.len()));
                    self.block(&case.body, flow, pending);
                    ends.push(flow.code.len());
                    flow.code.push(Instr::Jump(0));
                }
                let else_at = flow.code.len();
                if let Some(body) = otherwise {
                    self.block(body, flow, pending);
                }
                let end = flow.code.len();
                for e in ends {
                    flow.code[e] = Instr::Jump(end);
                }
                flow.code[at] = Instr::Match(subject.clone(), targets, else_at);
            }
            StmtKind::Call {
                flow: callee,
                args,
                bind,
            } => flow.code.push(Instr::Call {
                flow: callee.name.clone(),
                args: lower_args(args),
                bind: bind.as_ref().map(|b| b.name.clone()),
            }),
            StmtKind::Do {
                action,
                args,
                bind,
                ok,
                failed,
            } => {
                let at = flow.code.len();
                flow.code.push(Instr::Stop);
                if let Some(body) = ok {
                    self.block(body, flow, pending);
                }
                let on_failure = if let Some(body) = failed {
                    let jump = flow.code.len();
                    flow.code.push(Instr::Jump(0));
                    let failure_at = flow.code.len();
                    self.block(body, flow, pending);
                    let end = flow.code.len();
                    flow.code[jump] = Instr::Jump(end);
                    failure_at
                } else {
                    flow.code.len()
                };
                flow.code[at] = Instr::Do {
                    action: action.name.clone(),
                    args: lower_args(args),
                    bind: bind.as_ref().map(|b| b.name.clone()),
                    on_failure,
                };
            }
            StmtKind::Form(form) => {
                let index = flow.forms.len();
                let slots = form
                    .slots
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let spec = self.slot(s);
                        if let Some(body) = spec.1 {
                            pending.push((index, i, body));
                        }
                        spec.0
                    })
                    .collect();
                let mut spec = FormSpec {
                    slots,
                    confirm: form
                        .confirm
                        .as_ref()
                        .map(|c| self.prompt(&c.text, &c.extras, c.span)),
                    fingerprint: 0,
                };
                spec.fingerprint = steps::form_fingerprint(&spec);
                flow.forms.push(spec);
                flow.code.push(Instr::Form(index));
            }
            StmtKind::Handoff { reason } => flow.code.push(Instr::Handoff(
                reason
                    .as_ref()
                    .map(|r| r.name.clone())
                    .unwrap_or_else(|| "handoff".into()),
            )),
            StmtKind::Goto(target) => flow.code.push(Instr::Goto(target.name.clone())),
            StmtKind::Return(value) => flow.code.push(Instr::Return(value.clone())),
            StmtKind::Stop => flow.code.push(Instr::Stop),
            StmtKind::Cancel => flow.code.push(Instr::Cancel),
            StmtKind::Restart => flow.code.push(Instr::Restart),
            StmtKind::Close => flow.code.push(Instr::Close),
            StmtKind::Language(l) => {
                if let Ok(lang) = l.code.parse() {
                    flow.code.push(Instr::Language(lang));
                }
            }
        }
    }

    /// A form slot with its `like` template applied: the slot's own
    /// clauses win over the template's.
    fn slot(&self, slot: &'b ast::FormSlot) -> (SlotSpec, Option<&'b [ast::Stmt]>) {
        let (ty_name, template): (&str, Option<&SlotClauses>) = match &slot.ty {
            SlotTypeRef::Type(t) => (&t.name, None),
            SlotTypeRef::Like(t) => match self.slot_decls.get(t.name.as_str()) {
                Some(decl) => (&decl.ty.name, Some(&decl.clauses)),
                None => ("text", None),
            },
        };
        let own = &slot.clauses;
        let pick = |f: fn(&SlotClauses) -> bool| -> &SlotClauses {
            match template {
                Some(t) if !f(own) => t,
                _ => own,
            }
        };
        let ty = SlotType::builtin(ty_name).unwrap_or_else(|| {
            if self.choices.contains_key(ty_name) {
                SlotType::Choice(ty_name.to_string())
            } else if let Some(p) = self.patterns.get(ty_name) {
                SlotType::Pattern(Arc::clone(p))
            } else {
                SlotType::Text
            }
        });
        let labels_src = pick(|c| !c.labels.is_empty());
        let asks_src = pick(|c| !c.asks.is_empty());
        let reprompts_src = pick(|c| !c.reprompts.is_empty());
        let attempts_src = pick(|c| c.attempts.is_some());
        let mut validations: Vec<Validation> = Vec::new();
        for clauses in template.into_iter().chain(std::iter::once(own)) {
            validations.extend(clauses.requires.iter().map(|r| Validation {
                condition: rename_var(&r.condition, template_name(slot), &slot.name.name),
                message: self.message(&r.message),
                span: r.span,
            }));
        }
        let attempts = attempts_src.attempts.as_ref();
        let policy = match pick(|c| c.prefer.is_some()).prefer {
            Some((Prefer::Past, _)) => DatePolicy::Past,
            _ => DatePolicy::Future,
        };
        let labels: Vec<(Lang, Vec<String>)> = labels_src
            .labels
            .iter()
            .flat_map(phrase_pairs_grouped)
            .collect();
        let folded_labels: Vec<String> = labels
            .iter()
            .flat_map(|(_, words)| words.iter().map(|w| fold(w)))
            .collect();
        let label_phrases = folded_labels
            .iter()
            .map(|label| {
                label
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let spec = SlotSpec {
            name: slot.name.name.clone(),
            span: slot.name.span,
            ty: ty.clone(),
            labels,
            folded_labels,
            label_phrases,
            asks: asks_src
                .asks
                .iter()
                .map(|p| self.prompt(&p.text, &p.extras, p.span))
                .collect(),
            reprompts: reprompts_src
                .reprompts
                .iter()
                .map(|p| self.prompt(&p.text, &p.extras, p.span))
                .collect(),
            validations,
            max_attempts: attempts.map_or(DEFAULT_ATTEMPTS, |a| a.count.max(1)),
            give_up: None,
            optional: pick(|c| c.optional.is_some()).optional.is_some(),
            personal: crate::privacy::personal_type(&ty)
                || pick(|c| c.personal.is_some()).personal.is_some(),
            default: pick(|c| c.default.is_some()).default.clone(),
            when: own.when.clone(),
            policy,
        };
        (spec, attempts.and_then(|a| a.then.as_deref()))
    }
}

/// The name of the template a `like` slot uses: inside the template's
/// `require` rules the template's own name stands for the slot.
fn template_name(slot: &ast::FormSlot) -> Option<&str> {
    match &slot.ty {
        SlotTypeRef::Like(t) => Some(&t.name),
        SlotTypeRef::Type(_) => None,
    }
}

fn rename_var(expr: &ast::Expr, from: Option<&str>, to: &str) -> ast::Expr {
    let Some(from) = from else {
        return expr.clone();
    };
    let mut e = expr.clone();
    rename_in(&mut e, from, to);
    e
}

fn rename_in(expr: &mut ast::Expr, from: &str, to: &str) {
    use ast::ExprKind as K;
    match &mut expr.kind {
        K::Var(id) if id.name == from => id.name = to.to_string(),
        K::Field(e, _) | K::Unary(_, e) => rename_in(e, from, to),
        K::Binary(_, a, b) => {
            rename_in(a, from, to);
            rename_in(b, from, to);
        }
        K::List(items) | K::Call(_, items) => {
            for i in items {
                rename_in(i, from, to);
            }
        }
        K::Str(s) => {
            for p in &mut s.parts {
                if let ast::StrPart::Interp(e) = p {
                    rename_in(e, from, to);
                }
            }
        }
        _ => {}
    }
}

fn lower_args(args: &[ast::Arg]) -> Vec<(String, ast::Expr)> {
    args.iter()
        .map(|a| {
            let value = a.value.clone().unwrap_or_else(|| ast::Expr {
                kind: ast::ExprKind::Var(a.name.clone()),
                span: a.name.span,
            });
            (a.name.name.clone(), value)
        })
        .collect()
}

fn phrase_pairs(p: &Phrases) -> Vec<(Lang, String)> {
    p.lines
        .iter()
        .filter_map(|l| Some((l.lang.code.parse().ok()?, l)))
        .flat_map(|(lang, l)| l.phrases.iter().map(move |s| (lang, s.literal_text())))
        .collect()
}

fn phrase_pairs_grouped(p: &Phrases) -> Vec<(Lang, Vec<String>)> {
    p.lines
        .iter()
        .filter_map(|l| {
            let lang = l.lang.code.parse().ok()?;
            Some((lang, l.phrases.iter().map(|s| s.literal_text()).collect()))
        })
        .collect()
}

fn first_phrases(labels: &[Phrases]) -> Vec<(Lang, String)> {
    let mut out: Vec<(Lang, String)> = Vec::new();
    for (lang, text) in labels.iter().flat_map(phrase_pairs) {
        if !out.iter().any(|(l, _)| *l == lang) {
            out.push((lang, text));
        }
    }
    out
}

fn add_triggers(specs: &mut Vec<(TriggerSpec, Span)>, target: FlowId, triggers: &[Phrases]) {
    for line in triggers.iter().flat_map(|p| &p.lines) {
        let Ok(lang) = line.lang.code.parse::<Lang>() else {
            continue;
        };
        for phrase in &line.phrases {
            specs.push((
                TriggerSpec {
                    target,
                    lang,
                    pattern: phrase.literal_text(),
                },
                phrase.span,
            ));
        }
    }
}

/// FNV-1a over the sources: stable across builds and platforms, unlike
/// std's hasher, so a session saved by one build is recognised by another.
fn fingerprint(bot: &ParsedBot) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (_, src) in bot.sources.iter() {
        for b in src
            .name
            .bytes()
            .chain([0])
            .chain(src.text.bytes())
            .chain([0])
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}
