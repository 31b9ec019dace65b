//! Flows, FAQ entries, forms and statements: names, types, actions,
//! sub-flows, buttons and statements that can never run.

use super::names::{duplicates_in, unknown_flow};
use super::translations::{self, PhraseKind};
use super::types::{self, a, Scope};
use super::{list_names, suggest, Checker};
use crate::diagnostics::{Diagnostic, Span};
use crate::syntax::ast::{
    Arg, Expr, ExprKind, Extras, FlowDecl, FlowHeaders, Form, FormSlot, Ident, Item, Param, Prompt,
    SlotClauses, SlotTypeRef, Stmt, StmtKind, Text,
};
use crate::values::{SlotType, Type};

pub(super) fn check(c: &mut Checker) {
    let items = &c.bot.items;
    for item in items {
        match item {
            Item::Flow(f) => flow(c, f),
            Item::Faq(f) => {
                headers(c, &f.headers);
                let scope = Scope::default();
                text(c, &scope, &f.answer);
                extras(c, &scope, &f.extras, None);
            }
            Item::Text(t) => {
                let scope = Scope::default();
                text(c, &scope, &t.text);
                extras(c, &scope, &t.extras, None);
            }
            Item::Choice(ch) => {
                for o in &ch.options {
                    translations::phrases(c, &o.phrases, PhraseKind::ChoiceOption);
                }
            }
            Item::Synonyms(p) => translations::phrases(c, p, PhraseKind::Synonyms),
            Item::Slot(s) => {
                let ty = slot_type(c, &SlotTypeRef::Type(s.ty.clone()), true);
                let mut scope = Scope::default();
                scope.add(&s.name.name, ty.value.clone());
                if let Some(choice) = &ty.choice {
                    scope.choices.insert(s.name.name.clone(), choice.clone());
                }
                clauses(c, &scope, &s.clauses, &s.name, &ty, &[]);
                if s.clauses.asks.is_empty() {
                    missing_prompt(c, &s.name);
                }
            }
            Item::Bot(_) | Item::Action(_) | Item::Table(_) | Item::Pattern(_) => {}
        }
    }
    super::names::check_unused(c);
}

/// A slot's type as the checker sees it.
#[derive(Debug, Clone)]
pub(super) struct SlotTy {
    pub value: Type,
    pub choice: Option<String>,
    pub is_date: bool,
    /// Values of the type are personal data (`privacy::personal_type`).
    pub personal: bool,
}

impl SlotTy {
    fn unknown() -> SlotTy {
        SlotTy {
            value: Type::Any,
            choice: None,
            is_date: false,
            personal: false,
        }
    }
}

fn slot_type(c: &mut Checker, ty: &SlotTypeRef, report: bool) -> SlotTy {
    match ty {
        SlotTypeRef::Type(id) => {
            if let Some(st) = SlotType::builtin(&id.name) {
                return SlotTy {
                    value: Type::of_slot(&st),
                    choice: None,
                    is_date: st == SlotType::Date,
                    personal: crate::privacy::personal_type(&st),
                };
            }
            if c.choices.contains_key(id.name.as_str()) {
                return SlotTy {
                    value: Type::Text,
                    choice: Some(id.name.clone()),
                    is_date: false,
                    personal: false,
                };
            }
            if c.patterns.contains_key(id.name.as_str()) {
                // A reference or a file number: personal only when its flow says so.
                return SlotTy {
                    value: Type::Text,
                    choice: None,
                    is_date: false,
                    personal: false,
                };
            }
            if report {
                let candidates: Vec<&str> = SlotType::BUILTIN
                    .iter()
                    .map(|(n, _)| *n)
                    .chain(c.choices.keys().copied())
                    .chain(c.patterns.keys().copied())
                    .collect();
                let help = suggest(&id.name, candidates.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "use a built-in slot type ({}), declare `choice {} ... end`, or a `pattern` with shapes",
                        list_names(SlotType::BUILTIN.iter().map(|(n, _)| *n)),
                        id.name
                    )
                });
                c.push(
                    Diagnostic::error(
                        "unknown-type",
                        id.span,
                        format!("there is no slot type `{}`", id.name),
                    )
                    .with_label("neither a built-in type nor a declared choice or pattern")
                    .with_help(help),
                );
            }
            SlotTy::unknown()
        }
        SlotTypeRef::Like(id) => {
            let Some(decl) = c.slots.get(id.name.as_str()).copied() else {
                if report {
                    let help = suggest(&id.name, c.slots.keys().copied()).unwrap_or_else(|| {
                        format!(
                            "declare a reusable slot with `slot {}: type ... end`, or write `slot name: type` here",
                            id.name
                        )
                    });
                    c.push(
                        Diagnostic::error(
                            "unknown-type",
                            id.span,
                            format!("there is no reusable slot named `{}`", id.name),
                        )
                        .with_label("`like` needs a top-level `slot` declaration")
                        .with_help(help),
                    );
                }
                return SlotTy::unknown();
            };
            c.used_slots.insert(id.name.clone());
            // The declaration's own type was reported where it is written.
            slot_type(c, &SlotTypeRef::Type(decl.ty.clone()), false)
        }
    }
}

fn param_scope(c: &mut Checker, params: &[Param], scope: &mut Scope) {
    for p in params {
        let t = Type::from_name(&p.ty.name).unwrap_or(Type::Any);
        scope.add(&p.name.name, t);
        if c.choices.contains_key(p.ty.name.as_str()) {
            scope.add(&p.name.name, Type::Text);
            scope.choices.insert(p.name.name.clone(), p.ty.name.clone());
        }
    }
}

fn action_result(c: &Checker, action: &str) -> Type {
    let Some(decl) = c.actions.get(action) else {
        return Type::Record(None);
    };
    let mut fields: Vec<(String, Type)> = decl
        .results
        .iter()
        .map(|p| {
            let t = Type::from_name(&p.ty.name).unwrap_or(
                if c.choices.contains_key(p.ty.name.as_str()) {
                    Type::Text
                } else {
                    Type::Any
                },
            );
            (p.name.name.clone(), t)
        })
        .collect();
    // Every answer says whether the host succeeded, and why not.
    fields.push(("ok".into(), Type::Bool));
    fields.push(("error".into(), Type::Text));
    Type::Record(Some(fields))
}

/// Gathers every name a flow defines, in order, before checking it.
fn collect(c: &mut Checker, stmts: &[Stmt], scope: &mut Scope) {
    for s in stmts {
        match &s.kind {
            StmtKind::Form(form) => {
                for slot in &form.slots {
                    let ty = slot_type(c, &slot.ty, false);
                    scope.add(&slot.name.name, ty.value);
                    if let Some(ch) = ty.choice {
                        scope.choices.insert(slot.name.name.clone(), ch);
                    }
                    if let Some(then) = slot.clauses.attempts.as_ref().and_then(|a| a.then.as_ref())
                    {
                        collect(c, then, scope);
                    }
                }
            }
            StmtKind::Set { name, value } => {
                let t = types::infer_quiet(c, scope, value);
                scope.add(&name.name, t);
            }
            StmtKind::If {
                branches,
                otherwise,
            } => {
                for (_, b) in branches {
                    collect(c, b, scope);
                }
                if let Some(b) = otherwise {
                    collect(c, b, scope);
                }
            }
            StmtKind::Match {
                cases, otherwise, ..
            } => {
                for case in cases {
                    collect(c, &case.body, scope);
                }
                if let Some(b) = otherwise {
                    collect(c, b, scope);
                }
            }
            StmtKind::Call { bind: Some(b), .. } => scope.add(&b.name, Type::Any),
            StmtKind::Do {
                action,
                bind,
                ok,
                failed,
                ..
            } => {
                if let Some(b) = bind {
                    let t = action_result(c, &action.name);
                    scope.add(&b.name, t);
                }
                for b in [ok, failed].into_iter().flatten() {
                    collect(c, b, scope);
                }
            }
            _ => {}
        }
    }
}

fn flow(c: &mut Checker, f: &FlowDecl) {
    if let Some(triggers) = f.headers.triggers.first() {
        started_without_arguments(c, f, c.first_line(triggers.span), "a trigger");
    }
    let mut scope = Scope::default();
    param_scope(c, &f.params, &mut scope);
    collect(c, &f.body, &mut scope);
    headers(c, &f.headers);
    block(c, &scope, &f.body);
}

fn headers(c: &mut Checker, h: &FlowHeaders) {
    for p in &h.triggers {
        translations::phrases(c, p, PhraseKind::Trigger);
    }
    for p in &h.labels {
        translations::phrases(c, p, PhraseKind::Label);
    }
    for p in &h.examples {
        translations::phrases(c, p, PhraseKind::Example);
    }
}

fn text(c: &mut Checker, scope: &Scope, t: &Text) {
    translations::text(c, t);
    match t {
        Text::Translations(lines, _) => {
            for l in lines {
                for v in &l.variants {
                    types::string(c, scope, v);
                }
            }
        }
        Text::Plain(s) => types::string(c, scope, s),
        Text::Ref(_) => {}
    }
}

fn extras(c: &mut Checker, scope: &Scope, e: &Extras, choice: Option<&str>) {
    for b in &e.buttons {
        text(c, scope, &b.text);
        let quoted = c.snippet(b.payload_span).starts_with('"');
        if c.is_startable(&b.payload) {
            c.used_flows.insert(b.payload.clone());
            if let Some(callee) = c.flows.get(b.payload.as_str()).copied() {
                started_without_arguments(c, callee, b.payload_span, "a button");
            }
            continue;
        }
        if quoted || matches!(b.payload.as_str(), "yes" | "no") {
            continue;
        }
        let options: Vec<&str> = choice
            .and_then(|ch| c.choices.get(ch))
            .map(|ch| ch.options.iter().map(|o| o.key.name.as_str()).collect())
            .unwrap_or_default();
        if options.contains(&b.payload.as_str()) {
            continue;
        }
        let candidates: Vec<&str> = c
            .startable_names()
            .into_iter()
            .chain(options.iter().copied())
            .collect();
        let help = suggest(&b.payload, candidates.iter().copied()).unwrap_or_else(|| {
            format!(
                "a button names a flow, an FAQ entry, `yes`, `no` or an option of the slot being asked; to send other text, quote it: `button \"{}\" ...`",
                b.payload
            )
        });
        c.push(
            Diagnostic::warning(
                "unknown-flow",
                b.payload_span,
                format!(
                    "the button's `{}` names no flow, FAQ entry or option",
                    b.payload
                ),
            )
            .with_label("pressing it would start nothing")
            .with_help(help),
        );
    }
    for l in &e.links {
        types::string(c, scope, &l.url);
        text(c, scope, &l.text);
    }
}

fn prompt(c: &mut Checker, scope: &Scope, p: &Prompt, choice: Option<&str>) {
    text(c, scope, &p.text);
    extras(c, scope, &p.extras, choice);
}

/// Statements that end the block: nothing after them runs.
fn ends_block(kind: &StmtKind) -> Option<&'static str> {
    Some(match kind {
        StmtKind::Goto(_) => "goto",
        StmtKind::Stop => "stop",
        StmtKind::Cancel => "cancel",
        StmtKind::Restart => "restart",
        StmtKind::Close => "close",
        StmtKind::Return(_) => "return",
        StmtKind::Handoff { .. } => "handoff",
        _ => return None,
    })
}

fn block(c: &mut Checker, scope: &Scope, stmts: &[Stmt]) {
    let mut ended: Option<(&'static str, Span)> = None;
    let mut reported = false;
    for s in stmts {
        match ended {
            Some((kw, at)) if !reported => {
                reported = true;
                let last = stmts.last().map(|l| l.span).unwrap_or(s.span);
                c.push(
                    Diagnostic::warning(
                        "unreachable",
                        s.span.to(last),
                        format!("this never runs: `{kw}` comes before it"),
                    )
                    .with_label("never runs")
                    .with_related(at, format!("the flow leaves here, at `{kw}`"))
                    .with_help(format!("move these lines before `{kw}`, or remove them")),
                );
            }
            Some(_) => {}
            None => ended = ends_block(&s.kind).map(|kw| (kw, s.span)),
        }
        // Statements that never run are still checked: they are still mistakes.
        stmt(c, scope, s);
    }
}

fn stmt(c: &mut Checker, scope: &Scope, s: &Stmt) {
    match &s.kind {
        StmtKind::Say { text: t, extras: e } => {
            text(c, scope, t);
            extras(c, scope, e, None);
        }
        StmtKind::Form(f) => form(c, scope, f),
        StmtKind::Set { name, value } => {
            let t = types::infer(c, scope, value);
            if let Some(prev) = scope.get(&name.name) {
                if !prev.accepts(&t) && !t.accepts(prev) {
                    c.push(
                        Diagnostic::error(
                            "type-mismatch",
                            value.span,
                            format!("`{}` holds {}, but this is {}", name.name, a(prev), a(&t)),
                        )
                        .with_label(format!("this is {}", a(&t)))
                        .with_help("give the new value another name"),
                    );
                }
            }
        }
        StmtKind::If {
            branches,
            otherwise,
        } => {
            for (i, (cond, b)) in branches.iter().enumerate() {
                types::condition(c, scope, cond, if i == 0 { "if" } else { "elif" });
                block(c, scope, b);
            }
            if let Some(b) = otherwise {
                block(c, scope, b);
            }
        }
        StmtKind::Match {
            subject,
            cases,
            otherwise,
        } => {
            let st = types::infer(c, scope, subject);
            for case in cases {
                for v in &case.values {
                    let vt = types::infer(c, scope, v);
                    if !st.accepts(&vt) && !vt.accepts(&st) {
                        c.push(
                            Diagnostic::error(
                                "type-mismatch",
                                v.span,
                                format!(
                                    "this case is {}, but `{}` is {}",
                                    a(&vt),
                                    c.snippet(subject.span),
                                    a(&st)
                                ),
                            )
                            .with_label("never matches")
                            .with_help(format!("write the case as {}", a(&st))),
                        );
                    } else {
                        check_option(c, scope, subject, v);
                    }
                }
                block(c, scope, &case.body);
            }
            if let Some(b) = otherwise {
                block(c, scope, b);
            }
        }
        StmtKind::Call {
            flow,
            args,
            bind: _,
        } => {
            c.used_flows.insert(flow.name.clone());
            match c.flows.get(flow.name.as_str()).copied() {
                Some(callee) => {
                    let params = params_of(&callee.params);
                    arguments(c, scope, flow, args, &params, "flow");
                }
                None => {
                    if c.faqs.contains_key(flow.name.as_str()) {
                        c.push(
                            Diagnostic::error(
                                "unknown-flow",
                                flow.span,
                                format!(
                                    "`{}` is an FAQ entry, and only flows can be called",
                                    flow.name
                                ),
                            )
                            .with_label("an FAQ entry")
                            .with_help(format!("write `goto {}` to show the answer", flow.name)),
                        );
                    } else {
                        unknown_flow(c, flow, "no flow has this name");
                    }
                    for arg in args {
                        if let Some(v) = &arg.value {
                            types::infer(c, scope, v);
                        }
                    }
                }
            }
        }
        StmtKind::Do {
            action,
            args,
            bind: _,
            ok,
            failed,
        } => {
            c.used_actions.insert(action.name.clone());
            match c.actions.get(action.name.as_str()).copied() {
                Some(decl) => {
                    let params = params_of(&decl.params);
                    arguments(c, scope, action, args, &params, "action");
                }
                None => {
                    let help =
                        suggest(&action.name, c.actions.keys().copied()).unwrap_or_else(|| {
                            format!(
                                "declare it: `action {}(argument: type) -> (result: type)`",
                                action.name
                            )
                        });
                    c.push(
                        Diagnostic::error(
                            "unknown-action",
                            action.span,
                            format!("there is no action named `{}`", action.name),
                        )
                        .with_label("not a declared action")
                        .with_help(help),
                    );
                    for arg in args {
                        if let Some(v) = &arg.value {
                            types::infer(c, scope, v);
                        }
                    }
                }
            }
            for b in [ok, failed].into_iter().flatten() {
                block(c, scope, b);
            }
        }
        StmtKind::Goto(target) => {
            c.used_flows.insert(target.name.clone());
            if !c.is_startable(&target.name) {
                unknown_flow(c, target, "no flow or FAQ has this name");
            } else if let Some(callee) = c.flows.get(target.name.as_str()).copied() {
                started_without_arguments(c, callee, target.span, "`goto`");
            }
        }
        StmtKind::Return(Some(e)) => {
            types::infer(c, scope, e);
        }
        StmtKind::Language(tag) => {
            translations::lang_tag(c, tag);
        }
        StmtKind::Return(None)
        | StmtKind::Handoff { .. }
        | StmtKind::Stop
        | StmtKind::Cancel
        | StmtKind::Restart
        | StmtKind::Close => {}
    }
}

/// A flow with required arguments is entered only by `call`, which gives
/// them: a trigger, a button or a `goto` would start it with none.
fn started_without_arguments(c: &mut Checker, callee: &FlowDecl, span: Span, how: &str) {
    let required: Vec<&str> = callee
        .params
        .iter()
        .filter(|p| !p.optional)
        .map(|p| p.name.name.as_str())
        .collect();
    let Some(first) = required.first() else {
        return;
    };
    let list = list_names(required.iter().copied());
    c.push(
        Diagnostic::error(
            "missing-argument",
            span,
            format!(
                "the flow `{}` needs {list}, and {how} cannot give them",
                callee.name.name
            ),
        )
        .with_label("would start it without its arguments")
        .with_help(format!(
            "start it with `call {}({first}: ...)` from a flow that has them, or make them optional (`{first}?: ...`)",
            callee.name.name
        )),
    );
}

fn params_of(params: &[Param]) -> Vec<(Ident, bool, Ident)> {
    params
        .iter()
        .map(|p| (p.name.clone(), p.optional, p.ty.clone()))
        .collect()
}

fn arguments(
    c: &mut Checker,
    scope: &Scope,
    callee: &Ident,
    args: &[Arg],
    params: &[(Ident, bool, Ident)],
    what: &str,
) {
    duplicates_in(c, "the argument", args.iter().map(|a| &a.name));
    for arg in args {
        let value_type = match &arg.value {
            Some(v) => types::infer(c, scope, v),
            None => {
                let var = Expr {
                    kind: ExprKind::Var(arg.name.clone()),
                    span: arg.name.span,
                };
                types::infer(c, scope, &var)
            }
        };
        let Some((_, _, ty)) = params.iter().find(|(n, _, _)| n.name == arg.name.name) else {
            let names: Vec<&str> = params.iter().map(|(n, _, _)| n.name.as_str()).collect();
            let help = suggest(&arg.name.name, names.iter().copied()).unwrap_or_else(|| {
                if names.is_empty() {
                    format!("the {what} `{}` takes no arguments", callee.name)
                } else {
                    format!("its arguments are {}", list_names(names.iter().copied()))
                }
            });
            c.push(
                Diagnostic::error(
                    "unknown-argument",
                    arg.name.span,
                    format!(
                        "the {what} `{}` has no argument `{}`",
                        callee.name, arg.name.name
                    ),
                )
                .with_label("not one of its arguments")
                .with_help(help),
            );
            continue;
        };
        let want = if c.choices.contains_key(ty.name.as_str()) {
            Type::Text
        } else {
            Type::from_name(&ty.name).unwrap_or(Type::Any)
        };
        if !want.accepts(&value_type) {
            let span = arg.value.as_ref().map(|v| v.span).unwrap_or(arg.name.span);
            c.push(
                Diagnostic::error(
                    "argument-type",
                    span,
                    format!(
                        "`{}` of `{}` must be {}, but this is {}",
                        arg.name.name,
                        callee.name,
                        a(&want),
                        a(&value_type)
                    ),
                )
                .with_label(format!("this is {}", a(&value_type)))
                .with_help(format!(
                    "the {what} declares `{}: {}`",
                    arg.name.name, ty.name
                )),
            );
        }
    }
    let missing: Vec<&str> = params
        .iter()
        .filter(|(n, optional, _)| !optional && !args.iter().any(|a| a.name.name == n.name))
        .map(|(n, _, _)| n.name.as_str())
        .collect();
    if !missing.is_empty() {
        let list = list_names(missing.iter().copied());
        c.push(
            Diagnostic::error(
                "missing-argument",
                callee.span,
                format!("the {what} `{}` needs {list}", callee.name),
            )
            .with_label(format!("{list} not given"))
            .with_help(format!(
                "give it, for example `{}({}: ...)`; mark an argument optional with `?` in the declaration",
                callee.name, missing[0]
            )),
        );
    }
}

/// `case "thrid"` or `card == "thrid"` on a choice slot: a key that is no option.
pub(super) fn check_option(c: &mut Checker, scope: &Scope, var: &Expr, value: &Expr) {
    let (ExprKind::Var(id), ExprKind::Str(s)) = (&var.kind, &value.kind) else {
        return;
    };
    let Some(choice) = scope.choices.get(&id.name) else {
        return;
    };
    let Some(key) = s.plain() else { return };
    option_key(c, choice, &key, value.span);
}

fn option_key(c: &mut Checker, choice: &str, key: &str, span: Span) {
    let Some(decl) = c.choices.get(choice).copied() else {
        return;
    };
    let keys: Vec<&str> = decl.options.iter().map(|o| o.key.name.as_str()).collect();
    if keys.contains(&key) {
        return;
    }
    let help = suggest(key, keys.iter().copied())
        .unwrap_or_else(|| format!("its options are {}", list_names(keys.iter().copied())));
    c.push(
        Diagnostic::error(
            "unknown-option",
            span,
            format!("the choice `{choice}` has no option `{key}`"),
        )
        .with_label("never equal to this")
        .with_help(help),
    );
}

fn missing_prompt(c: &mut Checker, name: &Ident) {
    c.push(
        Diagnostic::error(
            "missing-prompt",
            name.span,
            format!("the slot `{}` has no question", name.name),
        )
        .with_label("no `ask`")
        .with_help("add the question, for example `ask fr: \"...\" nl: \"...\"`"),
    );
}

fn form(c: &mut Checker, scope: &Scope, f: &Form) {
    duplicates_in(c, "the slot", f.slots.iter().map(|s| &s.name));
    if f.slots.is_empty() {
        match &f.confirm {
            Some(confirm) => c.push(
                Diagnostic::error(
                    "confirm-without-slots",
                    c.first_line(confirm.span),
                    "a confirmation for a form that asks nothing",
                )
                .with_label("nothing to confirm")
                .with_help("add the slots to ask before `confirm`, or remove the form"),
            ),
            None => c.push(
                Diagnostic::error(
                    "empty-form",
                    c.first_line(f.span),
                    "this form asks for nothing",
                )
                .with_label("no slots")
                .with_help(
                    "add slots such as `slot birth_date: date ask fr: \"...\"`, or remove the form",
                ),
            ),
        }
    }
    for slot in &f.slots {
        form_slot(c, scope, slot);
    }
    if let Some(confirm) = &f.confirm {
        prompt(c, scope, confirm, None);
    }
}

fn form_slot(c: &mut Checker, scope: &Scope, slot: &FormSlot) {
    let ty = slot_type(c, &slot.ty, true);
    let inherited: Option<SlotClauses> = match &slot.ty {
        SlotTypeRef::Like(id) => c.slots.get(id.name.as_str()).map(|d| d.clauses.clone()),
        SlotTypeRef::Type(_) => None,
    };
    let inherited_asks = inherited.as_ref().is_some_and(|i| !i.asks.is_empty());
    let like_unknown =
        matches!(&slot.ty, SlotTypeRef::Like(id) if !c.slots.contains_key(id.name.as_str()));
    if slot.clauses.asks.is_empty() && !inherited_asks && !like_unknown {
        missing_prompt(c, &slot.name);
    }
    let inherited_labels = inherited.map(|i| i.labels).unwrap_or_default();
    clauses(c, scope, &slot.clauses, &slot.name, &ty, &inherited_labels);
}

fn clauses(
    c: &mut Checker,
    scope: &Scope,
    cl: &SlotClauses,
    name: &Ident,
    ty: &SlotTy,
    _inherited_labels: &[crate::syntax::ast::Phrases],
) {
    let choice = ty.choice.as_deref();
    for l in &cl.labels {
        translations::phrases(c, l, PhraseKind::Label);
    }
    for p in cl.asks.iter().chain(&cl.reprompts) {
        prompt(c, scope, p, choice);
    }
    for r in &cl.requires {
        types::condition(c, scope, &r.condition, "require");
        text(c, scope, &r.message);
    }
    if let Some(at) = &cl.attempts {
        if at.count == 0 {
            c.push(
                Diagnostic::error("bad-attempts", c.first_line(at.span), "zero attempts: the question could never be answered")
                    .with_label("at least 1")
                    .with_help("write `attempts 3`, for example; the `then` block runs after the last wrong answer"),
            );
        }
        if let Some(then) = &at.then {
            block(c, scope, then);
        }
    }
    if let Some(d) = &cl.default {
        let t = types::infer(c, scope, d);
        if !ty.value.accepts(&t) {
            c.push(
                Diagnostic::error(
                    "type-mismatch",
                    d.span,
                    format!(
                        "the default of `{}` must be {}, but this is {}",
                        name.name,
                        a(&ty.value),
                        a(&t)
                    ),
                )
                .with_label(format!("this is {}", a(&t)))
                .with_help(format!("write {} here", a(&ty.value))),
            );
        } else if let (Some(ch), ExprKind::Str(s)) = (choice, &d.kind) {
            if let Some(key) = s.plain() {
                option_key(c, ch, &key, d.span);
            }
        }
    }
    if let Some(w) = &cl.when {
        types::condition(c, scope, w, "when");
    }
    if let (Some(span), true) = (cl.personal, ty.personal) {
        c.push(
            Diagnostic::warning(
                "redundant-personal",
                span,
                format!(
                    "`{}` is personal data already: its type always is",
                    name.name
                ),
            )
            .with_label("changes nothing")
            .with_help("remove it; `personal` is for slots of other types that hold personal data, such as a free-text address"),
        );
    }
    if let Some((_, span)) = cl.prefer {
        if !ty.is_date && ty.value != Type::Any {
            c.push(
                Diagnostic::warning(
                    "useless-prefer",
                    span,
                    format!(
                        "`prefer` applies to dates, and `{}` is not a date",
                        name.name
                    ),
                )
                .with_label("has no effect")
                .with_help("remove it"),
            );
        }
    }
}
