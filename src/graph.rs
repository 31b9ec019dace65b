//! Diagrams of a bot's flows, for staff who review what the bot does
//! without reading `.flow` files. Drawn from the compiled program, so the
//! diagram shows what runs (jumps resolved, way-out blocks attached to
//! their slots), not how the source happens to be laid out.

use crate::compile::{Flow, FormSpec, Instr, Message, Program, SlotSpec};
use crate::syntax::ast::{BinaryOp, DurationUnit, Expr, ExprKind, StrLit, StrPart, UnaryOp};
use crate::values::Lang;
use std::collections::{BTreeSet, HashSet, VecDeque};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    Dot,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "mermaid" => Ok(Format::Mermaid),
            "dot" => Ok(Format::Dot),
            other => Err(format!(
                "unknown graph format `{other}`: use `mermaid` or `dot`"
            )),
        }
    }
}

/// Why no diagram could be drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphError(pub String);

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GraphError {}

/// Draws every flow of the bot (the standard library's only when the bot
/// uses them, as a box to jump to), or the one named.
pub fn graph(program: &Program, flow: Option<&str>, format: Format) -> Result<String, GraphError> {
    let drawn: Vec<usize> = match flow {
        Some(name) => match program.flow_ids.get(name) {
            Some(&id) => vec![id],
            None => {
                let names = program.flows.iter().map(|f| f.name.as_str());
                let hint = crate::diagnostics::did_you_mean(name, names)
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                return Err(GraphError(format!("the bot has no flow `{name}`{hint}")));
            }
        },
        None => (0..program.flows.len())
            .filter(|&i| !program.flows[i].stdlib)
            .collect(),
    };
    let mut g = Graph::default();
    let drawn_set: HashSet<usize> = drawn.iter().copied().collect();
    for &id in &drawn {
        FlowDrawer::new(program, id, &drawn_set, &mut g).draw();
    }
    Ok(match format {
        Format::Mermaid => mermaid(&g),
        Format::Dot => dot(&g),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Start,
    Step,
    Slot,
    Decision,
    Call,
    Handoff,
    End,
    External,
}

struct Node {
    id: String,
    label: String,
    shape: Shape,
}

struct Edge {
    from: String,
    to: String,
    label: String,
    dashed: bool,
}

struct Cluster {
    id: String,
    title: String,
    nodes: Vec<Node>,
    forms: Vec<Cluster>,
}

#[derive(Default)]
struct Graph {
    clusters: Vec<Cluster>,
    /// Flows jumped to but not drawn.
    external: Vec<Node>,
    external_ids: BTreeSet<String>,
    edges: Vec<Edge>,
}

/// Where control goes: an instruction or the end of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    At(usize),
    End,
}

struct FlowDrawer<'a> {
    program: &'a Program,
    id: usize,
    flow: &'a Flow,
    drawn: &'a HashSet<usize>,
    g: &'a mut Graph,
    lang: Lang,
}

impl<'a> FlowDrawer<'a> {
    fn new(
        program: &'a Program,
        id: usize,
        drawn: &'a HashSet<usize>,
        g: &'a mut Graph,
    ) -> FlowDrawer<'a> {
        FlowDrawer {
            program,
            id,
            flow: &program.flows[id],
            drawn,
            g,
            lang: program.default_lang,
        }
    }

    fn prefix(&self) -> String {
        format!("f{}", self.id)
    }

    /// Follows unconditional jumps, which are layout, not steps; a cycle of
    /// them (never compiled, but input is not trusted) ends the flow.
    fn resolve(&self, mut at: usize) -> Target {
        for _ in 0..=self.flow.code.len() {
            match self.flow.code.get(at) {
                None => return Target::End,
                Some(Instr::Jump(t)) => at = *t,
                Some(_) => return Target::At(at),
            }
        }
        Target::End
    }

    /// The node an edge into `target` points at: a form is entered at its
    /// first slot.
    fn entry(&self, target: Target) -> String {
        let p = self.prefix();
        match target {
            Target::End => format!("{p}_end"),
            Target::At(i) => match self.flow.code.get(i) {
                Some(Instr::Form(k)) => match self.flow.forms.get(*k) {
                    Some(form) if !form.slots.is_empty() => format!("{p}_form{k}_s0"),
                    Some(form) if form.confirm.is_some() => format!("{p}_form{k}_confirm"),
                    _ => format!("{p}_{i}"),
                },
                _ => format!("{p}_{i}"),
            },
        }
    }

    fn successors(&self, i: usize) -> Vec<usize> {
        let next = i + 1;
        match &self.flow.code[i] {
            Instr::Say(_) | Instr::Set(..) | Instr::Call { .. } | Instr::Language(_) => {
                vec![next]
            }
            Instr::JumpUnless(_, t) => vec![next, *t],
            Instr::Jump(t) => vec![*t],
            Instr::Match(_, cases, otherwise) => cases
                .iter()
                .map(|(_, t)| *t)
                .chain(std::iter::once(*otherwise))
                .collect(),
            Instr::Do { on_failure, .. } => vec![next, *on_failure],
            Instr::Form(k) => {
                let mut out = vec![next];
                if let Some(form) = self.flow.forms.get(*k) {
                    out.extend(form.slots.iter().filter_map(|s| s.give_up));
                }
                out
            }
            Instr::Handoff(_)
            | Instr::Goto(_)
            | Instr::Return(_)
            | Instr::Stop
            | Instr::Cancel
            | Instr::Restart
            | Instr::Close => vec![],
        }
    }

    /// The instructions that can run, in code order: unreachable code is
    /// already a warning, and drawing it would mislead.
    fn reachable(&self) -> Vec<usize> {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::new();
        if let Target::At(i) = self.resolve(0) {
            queue.push_back(i);
        }
        while let Some(i) = queue.pop_front() {
            if !seen.insert(i) {
                continue;
            }
            for s in self.successors(i) {
                if let Target::At(j) = self.resolve(s) {
                    if !seen.contains(&j) {
                        queue.push_back(j);
                    }
                }
            }
        }
        seen.into_iter().collect()
    }

    fn edge(&mut self, from: String, to: Target, label: &str) {
        let to = self.entry(to);
        self.g.edges.push(Edge {
            from,
            to,
            label: label.to_string(),
            dashed: false,
        });
    }

    /// The node standing for another flow: its start when drawn, else a box.
    fn flow_node(&mut self, name: &str) -> String {
        match self.program.flow_ids.get(name) {
            Some(&id) if self.drawn.contains(&id) => format!("f{id}_start"),
            found => {
                let id = match found {
                    Some(id) => format!("ext_{id}"),
                    None => format!("ext_{}", sanitize(name)),
                };
                if self.g.external_ids.insert(id.clone()) {
                    self.g.external.push(Node {
                        id: id.clone(),
                        label: format!("flow {name}"),
                        shape: Shape::External,
                    });
                }
                id
            }
        }
    }

    fn draw(&mut self) {
        let flow = self.flow;
        let p = self.prefix();
        let mut nodes = Vec::new();
        let mut forms = Vec::new();
        let mut ends_used = false;
        nodes.push(Node {
            id: format!("{p}_start"),
            label: self.start_label(),
            shape: Shape::Start,
        });
        let first = self.resolve(0);
        ends_used |= first == Target::End;
        self.edge(format!("{p}_start"), first, "");

        for i in self.reachable() {
            let id = format!("{p}_{i}");
            let next = self.resolve(i + 1);
            let mut targets = Vec::new();
            let (label, shape) = match &flow.code[i] {
                Instr::Say(prompt) => {
                    let mut label = format!("say: {}", self.text(&prompt.text));
                    let buttons: Vec<String> =
                        prompt.buttons.iter().map(|b| self.text(&b.label)).collect();
                    if !buttons.is_empty() {
                        let _ = write!(label, "\nbuttons: {}", buttons.join(" / "));
                    }
                    targets.push((next, String::new()));
                    (label, Shape::Step)
                }
                Instr::Set(name, value) => {
                    targets.push((next, String::new()));
                    (format!("set {name} = {}", expr(value)), Shape::Step)
                }
                Instr::JumpUnless(cond, otherwise) => {
                    targets.push((next, shorten(&expr(cond), 60)));
                    targets.push((self.resolve(*otherwise), "otherwise".into()));
                    ("if".to_string(), Shape::Decision)
                }
                Instr::Jump(_) => continue,
                Instr::Match(subject, cases, otherwise) => {
                    for (values, t) in cases {
                        let values: Vec<String> = values.iter().map(expr).collect();
                        targets.push((self.resolve(*t), shorten(&values.join(", "), 60)));
                    }
                    targets.push((self.resolve(*otherwise), "otherwise".into()));
                    (format!("match {}", expr(subject)), Shape::Decision)
                }
                Instr::Call { flow, bind, .. } => {
                    let to = self.flow_node(flow);
                    self.g.edges.push(Edge {
                        from: id.clone(),
                        to,
                        label: "runs, then comes back".into(),
                        dashed: true,
                    });
                    targets.push((next, String::new()));
                    let bind = bind
                        .as_ref()
                        .map(|b| format!(" as {b}"))
                        .unwrap_or_default();
                    (format!("call {flow}{bind}"), Shape::Call)
                }
                Instr::Do {
                    action,
                    args,
                    bind,
                    on_failure,
                } => {
                    targets.push((next, "ok".into()));
                    targets.push((self.resolve(*on_failure), "failed".into()));
                    let args: Vec<&str> = args.iter().map(|(n, _)| n.as_str()).collect();
                    let bind = bind
                        .as_ref()
                        .map(|b| format!(" as {b}"))
                        .unwrap_or_default();
                    (
                        shorten(&format!("do {action}({}){bind}", args.join(", ")), 80),
                        Shape::Call,
                    )
                }
                Instr::Form(k) => {
                    if let Some(form) = flow.forms.get(*k) {
                        if !form.slots.is_empty() || form.confirm.is_some() {
                            let cluster = self.form(*k, form, next, &mut ends_used);
                            forms.push(cluster);
                            continue;
                        }
                    }
                    targets.push((next, String::new()));
                    ("form".to_string(), Shape::Step)
                }
                Instr::Handoff(reason) => (format!("hand over to staff: {reason}"), Shape::Handoff),
                Instr::Goto(flow) => {
                    let to = self.flow_node(flow);
                    self.g.edges.push(Edge {
                        from: id.clone(),
                        to,
                        label: String::new(),
                        dashed: true,
                    });
                    (format!("go to {flow}"), Shape::Call)
                }
                Instr::Return(value) => (
                    match value {
                        Some(v) => format!("return {}", expr(v)),
                        None => "return".into(),
                    },
                    Shape::End,
                ),
                Instr::Stop => ("stop".to_string(), Shape::End),
                Instr::Cancel => ("cancel every flow".to_string(), Shape::End),
                Instr::Close => ("close the conversation".to_string(), Shape::End),
                Instr::Restart => {
                    self.g.edges.push(Edge {
                        from: id.clone(),
                        to: format!("{p}_start"),
                        label: "slots emptied".into(),
                        dashed: true,
                    });
                    ("restart".to_string(), Shape::End)
                }
                Instr::Language(l) => {
                    targets.push((next, String::new()));
                    (format!("switch to {}", l.code()), Shape::Step)
                }
            };
            nodes.push(Node {
                id: id.clone(),
                label,
                shape,
            });
            for (t, label) in targets {
                ends_used |= t == Target::End;
                self.edge(id.clone(), t, &label);
            }
        }
        if ends_used {
            nodes.push(Node {
                id: format!("{p}_end"),
                label: "end of flow".into(),
                shape: Shape::End,
            });
        }
        self.g.clusters.push(Cluster {
            id: p,
            title: format!("flow {}", self.flow.name),
            nodes,
            forms,
        });
    }

    fn form(&mut self, k: usize, form: &FormSpec, next: Target, ends: &mut bool) -> Cluster {
        let p = format!("{}_form{k}", self.prefix());
        let mut nodes = Vec::new();
        let ids: Vec<String> = (0..form.slots.len()).map(|j| format!("{p}_s{j}")).collect();
        let confirm_id = format!("{p}_confirm");
        for (j, slot) in form.slots.iter().enumerate() {
            nodes.push(Node {
                id: ids[j].clone(),
                label: self.slot_label(slot),
                shape: Shape::Slot,
            });
            if let Some(at) = slot.give_up {
                let t = self.resolve(at);
                *ends |= t == Target::End;
                let to = self.entry(t);
                self.g.edges.push(Edge {
                    from: ids[j].clone(),
                    to,
                    label: format!("after {} failed attempts", slot.max_attempts),
                    dashed: true,
                });
            }
            if let Some(following) = ids.get(j + 1) {
                self.g.edges.push(Edge {
                    from: ids[j].clone(),
                    to: following.clone(),
                    label: String::new(),
                    dashed: false,
                });
            }
        }
        let last = match &form.confirm {
            Some(confirm) => {
                nodes.push(Node {
                    id: confirm_id.clone(),
                    label: format!("confirm: {}", self.text(&confirm.text)),
                    shape: Shape::Decision,
                });
                if let Some(last_slot) = ids.last() {
                    self.g.edges.push(Edge {
                        from: last_slot.clone(),
                        to: confirm_id.clone(),
                        label: String::new(),
                        dashed: false,
                    });
                    self.g.edges.push(Edge {
                        from: confirm_id.clone(),
                        to: ids[0].clone(),
                        label: "no: change a slot".into(),
                        dashed: true,
                    });
                }
                *ends |= next == Target::End;
                self.edge(confirm_id, next, "yes");
                return Cluster {
                    id: p,
                    title: "form".into(),
                    nodes,
                    forms: vec![],
                };
            }
            None => ids.last().cloned(),
        };
        if let Some(last) = last {
            *ends |= next == Target::End;
            self.edge(last, next, "");
        }
        Cluster {
            id: p,
            title: "form".into(),
            nodes,
            forms: vec![],
        }
    }

    fn slot_label(&self, slot: &SlotSpec) -> String {
        let mut label = format!("{}: {}", slot.name, slot.ty);
        if slot.optional {
            label.push_str(" (optional)");
        }
        if let Some(when) = &slot.when {
            let _ = write!(label, "\nonly when {}", shorten(&expr(when), 50));
        }
        if let Some(ask) = slot.asks.first() {
            let _ = write!(label, "\nask: {}", self.text(&ask.text));
        }
        label
    }

    /// The flow's name and the first trigger of each language: what starts it.
    fn start_label(&self) -> String {
        let mut label = self.flow.name.clone();
        let mut langs_seen: Vec<Lang> = Vec::new();
        for (target, lang, pattern) in self.program.triggers.patterns() {
            if target == self.id && !langs_seen.contains(&lang) {
                langs_seen.push(lang);
                let _ = write!(label, "\n{}: {}", lang.code(), shorten(pattern, 50));
            }
        }
        if self.program.start == Some(self.id) {
            label.push_str("\n(greets new visitors)");
        }
        if self.program.fallback == Some(self.id) {
            label.push_str("\n(when nothing matches)");
        }
        label
    }

    /// The first words of a text in the bot's default language.
    fn text(&self, message: &Message) -> String {
        let lit = message
            .per_lang
            .iter()
            .find(|(l, _)| *l == self.lang)
            .or(message.per_lang.first())
            .and_then(|(_, variants)| variants.first())
            .or(message.plain.as_ref());
        match lit {
            Some(s) => shorten(&strlit(s), 60),
            None => String::new(),
        }
    }
}

/// At most `max` characters, cut at a word, whitespace (newlines included)
/// folded so a label stays on the lines the diagram gives it.
fn shorten(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        let len = out.chars().count() + w.chars().count() + usize::from(!out.is_empty());
        if len > max {
            if out.is_empty() {
                out = w.chars().take(max).collect();
            }
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn strlit(s: &StrLit) -> String {
    s.parts
        .iter()
        .map(|p| match p {
            StrPart::Lit(t) => t.clone(),
            StrPart::Interp(e) => format!("{{{}}}", expr(e)),
        })
        .collect()
}

fn precedence(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 1,
        BinaryOp::And => 2,
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::In => 3,
        BinaryOp::Add | BinaryOp::Sub => 4,
        BinaryOp::Mul | BinaryOp::Div => 5,
    }
}

/// An expression written back in guichet syntax.
fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number(n) => n.to_string(),
        ExprKind::Money(n) => format!("{n} EUR"),
        ExprKind::Date(d) => d.format("%Y-%m-%d").to_string(),
        ExprKind::Time(t) => t.format("%H:%M").to_string(),
        ExprKind::Duration(n, unit) => {
            let unit = match unit {
                DurationUnit::Day => "day",
                DurationUnit::Week => "week",
                DurationUnit::Month => "month",
                DurationUnit::Year => "year",
            };
            let plural = if n.abs() == rust_decimal::Decimal::ONE {
                ""
            } else {
                "s"
            };
            format!("{n} {unit}{plural}")
        }
        ExprKind::Str(s) => format!(
            "\"{}\"",
            strlit(s).replace('\\', "\\\\").replace('"', "\\\"")
        ),
        ExprKind::Bool(true) => "yes".into(),
        ExprKind::Bool(false) => "no".into(),
        ExprKind::Nothing => "nothing".into(),
        ExprKind::List(items) => {
            format!(
                "[{}]",
                items.iter().map(expr).collect::<Vec<_>>().join(", ")
            )
        }
        ExprKind::Var(name) => name.name.clone(),
        ExprKind::Field(record, field) => format!("{}.{}", operand(record, 6), field.name),
        ExprKind::Call(name, args) => format!(
            "{}({})",
            name.name,
            args.iter().map(expr).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::Unary(UnaryOp::Not, inner) => format!("not {}", operand(inner, 3)),
        ExprKind::Unary(UnaryOp::Neg, inner) => format!("-{}", operand(inner, 6)),
        ExprKind::Binary(op, left, right) => {
            let p = precedence(*op);
            format!(
                "{} {} {}",
                operand(left, p),
                op.symbol(),
                operand(right, p + 1)
            )
        }
    }
}

/// A sub-expression, in parentheses when it binds less tightly than `min`.
fn operand(e: &Expr, min: u8) -> String {
    let binds = match &e.kind {
        ExprKind::Binary(op, ..) => precedence(*op),
        ExprKind::Unary(UnaryOp::Not, _) => 2,
        _ => 7,
    };
    if binds < min {
        format!("({})", expr(e))
    } else {
        expr(e)
    }
}

/// Node ids are built from flow numbers; a name only ever lands in an id
/// for a flow the program lacks, and then only its safe characters.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Mermaid quoted-label text: entity codes for what would end the quote or
/// be read as HTML, `<br>` for line breaks.
fn mermaid_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\n' => out.push_str("<br>"),
            '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn mermaid_node(out: &mut String, indent: &str, n: &Node) {
    let label = mermaid_escape(&n.label);
    let (open, close) = match n.shape {
        Shape::Start | Shape::End => ("([", "])"),
        Shape::Step => ("[", "]"),
        Shape::Slot => ("[/", "/]"),
        Shape::Decision => ("{", "}"),
        Shape::Call | Shape::External => ("[[", "]]"),
        Shape::Handoff => ("{{", "}}"),
    };
    let _ = writeln!(out, "{indent}{}{open}\"{label}\"{close}", n.id);
}

fn mermaid_cluster(out: &mut String, indent: &str, c: &Cluster) {
    let _ = writeln!(
        out,
        "{indent}subgraph {}[\"{}\"]",
        c.id,
        mermaid_escape(&c.title)
    );
    let inner = format!("{indent}  ");
    for n in &c.nodes {
        mermaid_node(out, &inner, n);
    }
    for f in &c.forms {
        mermaid_cluster(out, &inner, f);
    }
    let _ = writeln!(out, "{indent}end");
}

fn mermaid(g: &Graph) -> String {
    let mut out = String::from("flowchart TD\n");
    for c in &g.clusters {
        mermaid_cluster(&mut out, "  ", c);
    }
    for n in &g.external {
        mermaid_node(&mut out, "  ", n);
    }
    for e in &g.edges {
        let arrow = if e.dashed { "-.->" } else { "-->" };
        if e.label.is_empty() {
            let _ = writeln!(out, "  {} {arrow} {}", e.from, e.to);
        } else {
            let _ = writeln!(
                out,
                "  {} {arrow}|\"{}\"| {}",
                e.from,
                mermaid_escape(&e.label),
                e.to
            );
        }
    }
    out
}

/// A DOT double-quoted string's content: backslashes and quotes escaped,
/// line breaks as `\n` (DOT's centred line break).
fn dot_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn dot_node(out: &mut String, indent: &str, n: &Node) {
    let shape = match n.shape {
        Shape::Start | Shape::End => "shape=oval",
        Shape::Step => "shape=box, style=rounded",
        Shape::Slot => "shape=parallelogram",
        Shape::Decision => "shape=diamond",
        Shape::Call | Shape::External => "shape=box, peripheries=2",
        Shape::Handoff => "shape=hexagon",
    };
    let _ = writeln!(
        out,
        "{indent}{} [label=\"{}\", {shape}];",
        n.id,
        dot_escape(&n.label)
    );
}

fn dot_cluster(out: &mut String, indent: &str, c: &Cluster) {
    let _ = writeln!(out, "{indent}subgraph cluster_{} {{", c.id);
    let inner = format!("{indent}  ");
    let _ = writeln!(out, "{inner}label=\"{}\";", dot_escape(&c.title));
    for n in &c.nodes {
        dot_node(out, &inner, n);
    }
    for f in &c.forms {
        dot_cluster(out, &inner, f);
    }
    let _ = writeln!(out, "{indent}}}");
}

fn dot(g: &Graph) -> String {
    let mut out = String::from("digraph guichet {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n");
    for c in &g.clusters {
        dot_cluster(&mut out, "  ", c);
    }
    for n in &g.external {
        dot_node(&mut out, "  ", n);
    }
    for e in &g.edges {
        let mut attrs = Vec::new();
        if !e.label.is_empty() {
            attrs.push(format!("label=\"{}\"", dot_escape(&e.label)));
        }
        if e.dashed {
            attrs.push("style=dashed".to_string());
        }
        if attrs.is_empty() {
            let _ = writeln!(out, "  {} -> {};", e.from, e.to);
        } else {
            let _ = writeln!(out, "  {} -> {} [{}];", e.from, e.to, attrs.join(", "));
        }
    }
    out.push_str("}\n");
    out
}
