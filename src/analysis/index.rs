//! What a bot declares and where each name is used, read from the syntax
//! tree: the table behind go to definition, find references, rename,
//! hover, the outline and completion.

use crate::diagnostics::{SourceId, Span};
use crate::syntax::ast::*;
use crate::values::{SlotType, Type};

/// What a name names. Flows and FAQ entries share one namespace (both are
/// started by triggers, buttons, `call` and `goto`); the names a flow
/// declares for itself (slots of its forms, parameters, `set`, `as`) are
/// local to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Flow,
    Faq,
    Action,
    Choice,
    /// A `pattern`: a slot type of declared shapes.
    Pattern,
    /// An option of a choice; its scope is the choice.
    Option,
    /// A reusable slot declared at the top of a file.
    Slot,
    /// A slot of a form; its scope is the flow.
    FormSlot,
    /// A flow's parameter; its scope is the flow.
    Param,
    /// A name given by `set` or `as`; its scope is the flow.
    Variable,
    Table,
    Text,
    Bot,
}

/// The namespace a kind lives in: names are unique per namespace (and
/// per scope for local ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Namespace {
    Flow,
    Action,
    /// The slot types a bot declares: choices and patterns share it.
    Type,
    Option,
    Slot,
    Local,
    Table,
    Text,
    Bot,
}

impl Kind {
    pub fn namespace(self) -> Namespace {
        match self {
            Kind::Flow | Kind::Faq => Namespace::Flow,
            Kind::Action => Namespace::Action,
            Kind::Choice | Kind::Pattern => Namespace::Type,
            Kind::Option => Namespace::Option,
            Kind::Slot => Namespace::Slot,
            Kind::FormSlot | Kind::Param | Kind::Variable => Namespace::Local,
            Kind::Table => Namespace::Table,
            Kind::Text => Namespace::Text,
            Kind::Bot => Namespace::Bot,
        }
    }

    /// How a flow author calls it.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Flow => "flow",
            Kind::Faq => "FAQ entry",
            Kind::Action => "action",
            Kind::Choice => "choice",
            Kind::Pattern => "pattern",
            Kind::Option => "option",
            Kind::Slot => "reusable slot",
            Kind::FormSlot => "slot",
            Kind::Param => "parameter",
            Kind::Variable => "variable",
            Kind::Table => "table",
            Kind::Text => "text",
            Kind::Bot => "bot",
        }
    }
}

/// A declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    pub kind: Kind,
    pub name: String,
    /// The name as written in the declaration.
    pub span: Span,
    /// The whole declaration.
    pub full: Span,
    /// The flow of a local name, the choice of an option.
    pub scope: Option<String>,
    /// A one-line summary: a signature, a type.
    pub detail: String,
    /// More for hover: a slot's question, a flow's label, a text.
    pub doc: Option<String>,
}

/// A use of a name.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub namespace: Namespace,
    pub name: String,
    pub span: Span,
    pub scope: Option<String>,
    /// An argument written `name` for `name: name`: renaming the slot
    /// writes `name: new_name`.
    pub shorthand: bool,
    /// A button's payload: a flow or FAQ entry when one has that name,
    /// else an option.
    pub payload: bool,
}

/// Every declaration and use of a bot.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub symbols: Vec<Symbol>,
    pub refs: Vec<Reference>,
}

/// What a place in a file names: a namespace, a name, a scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub namespace: Namespace,
    pub name: String,
    pub scope: Option<String>,
}

impl Index {
    pub fn build(items: &[Item]) -> Index {
        let mut b = Builder::default();
        for item in items {
            b.item(item);
        }
        b.finish()
    }

    /// The target of the name at byte `offset` of `source`.
    pub fn target_at(&self, source: SourceId, offset: usize) -> Option<Target> {
        let inside = |s: &Span| s.source == source && s.start <= offset && offset <= s.end;
        if let Some(sym) = self.symbols.iter().find(|s| inside(&s.span)) {
            return Some(sym.target());
        }
        let r = self.refs.iter().find(|r| inside(&r.span))?;
        Some(self.resolve(r))
    }

    /// What a reference names: a button's payload is a flow or an option.
    pub fn resolve(&self, r: &Reference) -> Target {
        if r.payload && !self.declares(Namespace::Flow, &r.name, None) {
            let choice = self
                .symbols
                .iter()
                .find(|s| s.kind == Kind::Option && s.name == r.name)
                .and_then(|s| s.scope.clone());
            return Target {
                namespace: Namespace::Option,
                name: r.name.clone(),
                scope: choice,
            };
        }
        Target {
            namespace: r.namespace,
            name: r.name.clone(),
            scope: r.scope.clone(),
        }
    }

    fn declares(&self, ns: Namespace, name: &str, scope: Option<&str>) -> bool {
        self.symbols.iter().any(|s| {
            s.kind.namespace() == ns
                && s.name == name
                && (scope.is_none() || s.scope.as_deref() == scope)
        })
    }

    /// The declarations of a target.
    pub fn definitions<'a>(&'a self, t: &'a Target) -> impl Iterator<Item = &'a Symbol> + 'a {
        self.symbols.iter().filter(move |s| s.target() == *t)
    }

    /// The uses of a target.
    pub fn uses<'a>(&'a self, t: &'a Target) -> impl Iterator<Item = &'a Reference> + 'a {
        self.refs.iter().filter(move |r| self.resolve(r) == *t)
    }

    /// The local names of a flow.
    pub fn locals<'a>(&'a self, flow: &'a str) -> impl Iterator<Item = &'a Symbol> + 'a {
        self.symbols.iter().filter(move |s| {
            s.kind.namespace() == Namespace::Local && s.scope.as_deref() == Some(flow)
        })
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Symbol> {
        self.symbols.iter().filter(move |s| s.kind == kind)
    }
}

impl Symbol {
    pub fn target(&self) -> Target {
        Target {
            namespace: self.kind.namespace(),
            name: self.name.clone(),
            scope: match self.kind {
                Kind::Option | Kind::FormSlot | Kind::Param | Kind::Variable => self.scope.clone(),
                _ => None,
            },
        }
    }
}

#[derive(Default)]
struct Builder {
    symbols: Vec<Symbol>,
    refs: Vec<Reference>,
    /// The flow being read, for local names.
    flow: Option<String>,
    /// The reusable slot being read: its clauses name it.
    slot: Option<String>,
}

/// The first language's first text of a `Text`, for hover.
pub fn first_text(t: &Text) -> Option<String> {
    match t {
        Text::Translations(lines, _) => lines
            .first()
            .and_then(|l| l.variants.first())
            .map(|s| format!("{}: {}", lines[0].lang.code, show(s))),
        Text::Ref(id) => Some(format!("(the text `{}`)", id.name)),
        Text::Plain(s) => Some(show(s)),
    }
}

/// A string with its interpolations shown as `{…}`.
fn show(s: &StrLit) -> String {
    s.parts
        .iter()
        .map(|p| match p {
            StrPart::Lit(t) => t.clone(),
            StrPart::Interp(_) => "{…}".to_string(),
        })
        .collect()
}

fn first_phrase(phrases: &[Phrases]) -> Option<String> {
    let line = phrases.first()?.lines.first()?;
    Some(format!(
        "{}: {}",
        line.lang.code,
        show(line.phrases.first()?)
    ))
}

pub fn params_text(params: &[Param]) -> String {
    params
        .iter()
        .map(|p| {
            format!(
                "{}{}: {}",
                p.name.name,
                if p.optional { "?" } else { "" },
                p.ty.name
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Builder {
    fn finish(mut self) -> Index {
        // The first `set` or `as` of a name no slot or parameter declares
        // declares it; the others use it.
        let mut declared: Vec<Symbol> = Vec::new();
        let sets: Vec<Symbol> = std::mem::take(&mut self.symbols)
            .into_iter()
            .filter_map(|s| {
                if s.kind != Kind::Variable {
                    declared.push(s);
                    return None;
                }
                Some(s)
            })
            .collect();
        for s in sets {
            let exists = declared.iter().any(|d| {
                d.kind.namespace() == Namespace::Local && d.name == s.name && d.scope == s.scope
            });
            if exists {
                self.refs.push(Reference {
                    namespace: Namespace::Local,
                    name: s.name,
                    span: s.span,
                    scope: s.scope,
                    shorthand: false,
                    payload: false,
                });
            } else {
                declared.push(s);
            }
        }
        Index {
            symbols: declared,
            refs: self.refs,
        }
    }

    fn symbol(
        &mut self,
        kind: Kind,
        name: &Ident,
        full: Span,
        detail: String,
        doc: Option<String>,
    ) {
        let scope = match kind {
            Kind::FormSlot | Kind::Param | Kind::Variable => self.flow.clone(),
            _ => None,
        };
        self.symbols.push(Symbol {
            kind,
            name: name.name.clone(),
            span: name.span,
            full,
            scope,
            detail,
            doc,
        });
    }

    fn reference(&mut self, namespace: Namespace, id: &Ident) {
        let scope = (namespace == Namespace::Local)
            .then(|| self.flow.clone())
            .flatten();
        self.refs.push(Reference {
            namespace,
            name: id.name.clone(),
            span: id.span,
            scope,
            shorthand: false,
            payload: false,
        });
    }

    fn item(&mut self, item: &Item) {
        self.flow = None;
        self.slot = None;
        match item {
            Item::Bot(b) => {
                self.symbols.push(Symbol {
                    kind: Kind::Bot,
                    name: b.name.literal_text(),
                    span: b.name.span,
                    full: b.span,
                    scope: None,
                    detail: format!(
                        "languages {}",
                        b.languages
                            .iter()
                            .map(|l| l.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    doc: None,
                });
                for (key, value) in &b.settings {
                    if matches!(key.name.as_str(), "start" | "fallback") {
                        self.reference(Namespace::Flow, value);
                    }
                }
            }
            Item::Action(a) => {
                let mut detail = format!("action {}({})", a.name.name, params_text(&a.params));
                if !a.results.is_empty() {
                    detail.push_str(&format!(" -> ({})", params_text(&a.results)));
                }
                self.symbol(Kind::Action, &a.name, a.span, detail, None);
                self.param_types(&a.params);
                self.param_types(&a.results);
            }
            Item::Choice(c) => {
                let options: Vec<&str> = c.options.iter().map(|o| o.key.name.as_str()).collect();
                self.symbol(
                    Kind::Choice,
                    &c.name,
                    c.span,
                    format!("choice {}: {}", c.name.name, options.join(", ")),
                    None,
                );
                for o in &c.options {
                    self.symbols.push(Symbol {
                        kind: Kind::Option,
                        name: o.key.name.clone(),
                        span: o.key.span,
                        full: o.phrases.span.to(o.key.span),
                        scope: Some(c.name.name.clone()),
                        detail: format!("option {} of {}", o.key.name, c.name.name),
                        doc: first_phrase(std::slice::from_ref(&o.phrases)),
                    });
                }
            }
            Item::Pattern(p) => {
                let shapes: Vec<String> = p
                    .shapes
                    .iter()
                    .map(|s| format!("\"{}\"", show(s)))
                    .collect();
                self.symbol(
                    Kind::Pattern,
                    &p.name,
                    p.span,
                    format!("pattern {} {}", p.name.name, shapes.join(" or ")),
                    Some(
                        "A slot type: text of one of these shapes, found inside a sentence \
                         (`d` a digit, `a` a letter, `x` either)."
                            .to_string(),
                    ),
                );
            }
            Item::Slot(s) => {
                self.slot = Some(s.name.name.clone());
                let doc = s.clauses.asks.first().and_then(|a| first_text(&a.text));
                self.symbol(
                    Kind::Slot,
                    &s.name,
                    s.span,
                    format!("slot {}: {}", s.name.name, s.ty.name),
                    doc,
                );
                self.slot_type(&s.ty);
                self.clauses(&s.clauses);
            }
            Item::Table(t) => {
                let detail = format!(
                    "table {} from \"{}\" ({})",
                    t.name.name,
                    t.file.literal_text(),
                    params_text(&t.columns)
                );
                self.symbol(Kind::Table, &t.name, t.span, detail, None);
                self.param_types(&t.columns);
            }
            Item::Synonyms(_) => {}
            Item::Text(t) => {
                self.symbol(
                    Kind::Text,
                    &t.name,
                    t.span,
                    format!("text {}", t.name.name),
                    first_text(&t.text),
                );
                self.text(&t.text);
                self.extras(&t.extras);
            }
            Item::Faq(f) => {
                let doc = first_phrase(&f.headers.labels)
                    .or_else(|| first_phrase(&f.headers.triggers))
                    .or_else(|| first_text(&f.answer));
                self.symbol(
                    Kind::Faq,
                    &f.name,
                    f.span,
                    format!("faq {}", f.name.name),
                    doc,
                );
                self.flow = Some(f.name.name.clone());
                self.text(&f.answer);
                self.extras(&f.extras);
            }
            Item::Flow(f) => {
                let doc =
                    first_phrase(&f.headers.labels).or_else(|| first_phrase(&f.headers.triggers));
                let detail = if f.params.is_empty() {
                    format!("flow {}", f.name.name)
                } else {
                    format!("flow {}({})", f.name.name, params_text(&f.params))
                };
                self.symbol(Kind::Flow, &f.name, f.span, detail, doc);
                self.param_types(&f.params);
                self.flow = Some(f.name.name.clone());
                for p in &f.params {
                    let full = p.name.span.to(p.ty.span);
                    self.symbol(
                        Kind::Param,
                        &p.name,
                        full,
                        format!("{}: {}", p.name.name, p.ty.name),
                        None,
                    );
                }
                self.block(&f.body);
            }
        }
    }

    /// The types of parameters, results or columns: a declared choice or
    /// pattern is a use of it.
    fn param_types(&mut self, params: &[Param]) {
        for p in params {
            if Type::from_name(&p.ty.name).is_none() {
                self.reference(Namespace::Type, &p.ty);
            }
        }
    }

    fn slot_type(&mut self, ty: &Ident) {
        if SlotType::builtin(&ty.name).is_none() {
            self.reference(Namespace::Type, ty);
        }
    }

    fn clauses(&mut self, c: &SlotClauses) {
        for p in c.asks.iter().chain(&c.reprompts) {
            self.text(&p.text);
            self.extras(&p.extras);
        }
        for r in &c.requires {
            self.expr(&r.condition);
            self.text(&r.message);
        }
        if let Some(a) = &c.attempts {
            if let Some(then) = &a.then {
                self.block(then);
            }
        }
        for e in c.default.iter().chain(&c.when) {
            self.expr(e);
        }
    }

    fn text(&mut self, t: &Text) {
        match t {
            Text::Translations(lines, _) => {
                for l in lines {
                    for v in &l.variants {
                        self.strlit(v);
                    }
                }
            }
            Text::Ref(id) => self.reference(Namespace::Text, id),
            Text::Plain(s) => self.strlit(s),
        }
    }

    fn strlit(&mut self, s: &StrLit) {
        for p in &s.parts {
            if let StrPart::Interp(e) = p {
                self.expr(e);
            }
        }
    }

    fn extras(&mut self, e: &Extras) {
        for b in &e.buttons {
            let written = b.payload_span.end - b.payload_span.start;
            // A quoted payload is text to send, not a name.
            if written == b.payload.len() && !b.payload.is_empty() {
                self.refs.push(Reference {
                    namespace: Namespace::Flow,
                    name: b.payload.clone(),
                    span: b.payload_span,
                    scope: None,
                    shorthand: false,
                    payload: true,
                });
            }
            self.text(&b.text);
        }
        for l in &e.links {
            self.strlit(&l.url);
            self.text(&l.text);
        }
    }

    fn block(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn args(&mut self, args: &[Arg]) {
        for a in args {
            match &a.value {
                Some(e) => self.expr(e),
                None => {
                    self.reference(Namespace::Local, &a.name);
                    if let Some(r) = self.refs.last_mut() {
                        r.shorthand = true;
                    }
                }
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Say { text, extras } => {
                self.text(text);
                self.extras(extras);
            }
            StmtKind::Form(form) => {
                for slot in &form.slots {
                    let (ty, doc) = match &slot.ty {
                        SlotTypeRef::Type(t) => {
                            self.slot_type(t);
                            (
                                t.name.clone(),
                                slot.clauses.asks.first().and_then(|a| first_text(&a.text)),
                            )
                        }
                        SlotTypeRef::Like(decl) => {
                            self.reference(Namespace::Slot, decl);
                            (
                                format!("like {}", decl.name),
                                slot.clauses.asks.first().and_then(|a| first_text(&a.text)),
                            )
                        }
                    };
                    let sep = if ty.starts_with("like ") { " " } else { ": " };
                    self.symbol(
                        Kind::FormSlot,
                        &slot.name,
                        slot.span,
                        format!("slot {}{sep}{ty}", slot.name.name),
                        doc,
                    );
                    self.clauses(&slot.clauses);
                }
                if let Some(c) = &form.confirm {
                    self.text(&c.text);
                    self.extras(&c.extras);
                }
            }
            StmtKind::Set { name, value } => {
                self.expr(value);
                self.symbol(
                    Kind::Variable,
                    name,
                    s.span,
                    format!("set {}", name.name),
                    None,
                );
            }
            StmtKind::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    self.expr(cond);
                    self.block(body);
                }
                if let Some(b) = otherwise {
                    self.block(b);
                }
            }
            StmtKind::Match {
                subject,
                cases,
                otherwise,
            } => {
                self.expr(subject);
                for c in cases {
                    for v in &c.values {
                        self.expr(v);
                    }
                    self.block(&c.body);
                }
                if let Some(b) = otherwise {
                    self.block(b);
                }
            }
            StmtKind::Call { flow, args, bind } => {
                self.reference(Namespace::Flow, flow);
                self.args(args);
                if let Some(b) = bind {
                    self.symbol(
                        Kind::Variable,
                        b,
                        s.span,
                        format!("the result of `call {}`", flow.name),
                        None,
                    );
                }
            }
            StmtKind::Do {
                action,
                args,
                bind,
                ok,
                failed,
            } => {
                self.reference(Namespace::Action, action);
                self.args(args);
                if let Some(b) = bind {
                    self.symbol(
                        Kind::Variable,
                        b,
                        s.span,
                        format!("the result of `do {}`", action.name),
                        None,
                    );
                }
                for body in ok.iter().chain(failed) {
                    self.block(body);
                }
            }
            StmtKind::Goto(id) => self.reference(Namespace::Flow, id),
            StmtKind::Return(Some(e)) => self.expr(e),
            StmtKind::Handoff { .. }
            | StmtKind::Return(None)
            | StmtKind::Stop
            | StmtKind::Cancel
            | StmtKind::Restart
            | StmtKind::Close
            | StmtKind::Language(_) => {}
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Var(id) => {
                if self.slot.as_deref() == Some(id.name.as_str()) {
                    self.reference(Namespace::Slot, id);
                } else if self.flow.is_some() {
                    self.reference(Namespace::Local, id);
                }
            }
            ExprKind::Str(s) => self.strlit(s),
            ExprKind::List(items) => {
                for i in items {
                    self.expr(i);
                }
            }
            ExprKind::Field(base, _) => self.expr(base),
            ExprKind::Call(name, args) => {
                for (i, a) in args.iter().enumerate() {
                    match &a.kind {
                        ExprKind::Var(t)
                            if i == 0 && matches!(name.name.as_str(), "lookup" | "rows") =>
                        {
                            self.reference(Namespace::Table, t)
                        }
                        _ => self.expr(a),
                    }
                }
            }
            ExprKind::Unary(_, inner) => self.expr(inner),
            ExprKind::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Number(_)
            | ExprKind::Money(_)
            | ExprKind::Date(_)
            | ExprKind::Time(_)
            | ExprKind::Duration(..)
            | ExprKind::Bool(_)
            | ExprKind::Nothing => {}
        }
    }
}
