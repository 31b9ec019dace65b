//! Static types of expressions: what each expression holds, and the
//! mistakes that make an expression meaningless (unknown names, a date
//! added to a text, a built-in called with the wrong arguments).

use super::{list_names, suggest, Checker};
use crate::diagnostics::{Diagnostic, Span};
use crate::stdlib::signatures::{self, Param as P, Returns};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Ident, StrLit, StrPart, UnaryOp};
use crate::values::Type;
use indexmap::IndexMap;
use std::collections::HashMap;

/// The names visible in a flow, with their types. One scope for the whole
/// flow: a name set anywhere in it may be read anywhere in it.
#[derive(Debug, Clone, Default)]
pub(super) struct Scope {
    pub vars: IndexMap<String, Type>,
    /// Names holding an option of a choice, with the choice's name.
    pub choices: HashMap<String, String>,
}

impl Scope {
    pub fn add(&mut self, name: &str, ty: Type) {
        // The first definition gives the type; later ones are checked against it.
        self.vars.entry(name.to_string()).or_insert(ty);
    }

    pub fn get(&self, name: &str) -> Option<&Type> {
        self.vars.get(name)
    }
}

/// The fields of one row of a declared table.
pub(super) fn table_row(c: &Checker, table: &str) -> Type {
    match c.tables.get(table) {
        Some(t) => Type::Record(Some(
            t.columns
                .iter()
                .map(|p| {
                    let ty = Type::from_name(&p.ty.name).unwrap_or(
                        if c.choices.contains_key(p.ty.name.as_str()) {
                            Type::Text
                        } else {
                            Type::Any
                        },
                    );
                    (p.name.name.clone(), ty)
                })
                .collect(),
        )),
        None => Type::Record(None),
    }
}

fn mismatch(span: Span, message: String, label: impl Into<String>) -> Diagnostic {
    Diagnostic::error("type-mismatch", span, message).with_label(label)
}

/// "a date", "an amount of money": a type with its article, for messages.
pub(super) fn a(t: &Type) -> String {
    match t {
        Type::Any => "any value".into(),
        Type::Nothing => "nothing".into(),
        Type::Money => "an amount of money".into(),
        Type::Bool => "a yes/no value".into(),
        Type::List(_) => format!("a {t}"),
        Type::Table(_) => t.to_string(),
        _ => format!("a {t}"),
    }
}

/// Checks a condition (`if`, `elif`, `require`, `when`): it must be yes/no.
pub(super) fn condition(c: &mut Checker, scope: &Scope, e: &Expr, what: &str) {
    let t = infer(c, scope, e);
    if !Type::Bool.accepts(&t) {
        c.push(
            mismatch(
                e.span,
                format!(
                    "the condition of `{what}` must be yes or no, but this is {}",
                    a(&t)
                ),
                format!("this is {}", a(&t)),
            )
            .with_help(
                "compare it with something, for example `x == 3`, `x > today()` or `x != nothing`",
            ),
        );
    }
}

pub(super) fn string(c: &mut Checker, scope: &Scope, s: &StrLit) {
    for part in &s.parts {
        if let StrPart::Interp(e) = part {
            infer(c, scope, e);
        }
    }
}

/// Infers an expression's type without reporting anything (to learn the
/// type of a `set` before the flow is checked in order).
pub(super) fn infer_quiet(c: &mut Checker, scope: &Scope, e: &Expr) -> Type {
    let n = c.diags.len();
    let t = infer(c, scope, e);
    c.diags.truncate(n);
    t
}

pub(super) fn infer(c: &mut Checker, scope: &Scope, e: &Expr) -> Type {
    match &e.kind {
        ExprKind::Number(_) => Type::Number,
        ExprKind::Money(_) => Type::Money,
        ExprKind::Date(_) => Type::Date,
        ExprKind::Time(_) => Type::Time,
        ExprKind::Duration(..) => Type::Duration,
        ExprKind::Str(s) => {
            string(c, scope, s);
            Type::Text
        }
        ExprKind::Bool(_) => Type::Bool,
        ExprKind::Nothing => Type::Nothing,
        ExprKind::List(items) => {
            let mut elem = Type::Any;
            for item in items {
                let t = infer(c, scope, item);
                if matches!(elem, Type::Any) {
                    elem = t;
                } else if !elem.accepts(&t) && !t.accepts(&elem) {
                    c.push(
                        mismatch(
                            item.span,
                            format!(
                                "a list holds values of one type, but this is {} among {}s",
                                a(&t),
                                elem
                            ),
                            format!("this is {}", a(&t)),
                        )
                        .with_help(format!("write every item as {}", a(&elem))),
                    );
                }
            }
            if matches!(elem, Type::Nothing) {
                elem = Type::Any;
            }
            Type::List(Box::new(elem))
        }
        ExprKind::Var(id) => var(c, scope, id),
        ExprKind::Field(base, field) => {
            let t = infer(c, scope, base);
            field_of(c, base, &t, field)
        }
        ExprKind::Call(name, args) => call(c, scope, e.span, name, args),
        ExprKind::Unary(op, inner) => {
            let t = infer(c, scope, inner);
            match op {
                UnaryOp::Not => {
                    if !Type::Bool.accepts(&t) {
                        c.push(
                            mismatch(
                                e.span,
                                format!("`not` needs a yes/no value, but this is {}", a(&t)),
                                format!("this is {}", a(&t)),
                            )
                            .with_help("compare it first, for example `not (x == 3)`"),
                        );
                    }
                    Type::Bool
                }
                UnaryOp::Neg => match t {
                    Type::Number | Type::Money | Type::Duration | Type::Any => t,
                    other => {
                        c.push(mismatch(
                            e.span,
                            format!(
                                "only numbers, money and durations can be negative, not {}",
                                a(&other)
                            ),
                            format!("this is {}", a(&other)),
                        ));
                        Type::Any
                    }
                },
            }
        }
        ExprKind::Binary(op, l, r) => {
            let lt = infer(c, scope, l);
            let rt = infer(c, scope, r);
            binary(c, scope, *op, e.span, l, lt, r, rt)
        }
    }
}

fn var(c: &mut Checker, scope: &Scope, id: &Ident) -> Type {
    if let Some(t) = scope.get(&id.name) {
        return t.clone();
    }
    if c.tables.contains_key(id.name.as_str()) {
        return Type::Table(id.name.clone());
    }
    let help = suggest(&id.name, scope.vars.keys().map(String::as_str)).unwrap_or_else(|| {
        if scope.vars.is_empty() {
            "nothing is named here yet: names come from the flow's parameters, its form slots, `set` and `as`".into()
        } else {
            format!("the names here are {}", list_names(scope.vars.keys().map(String::as_str)))
        }
    });
    c.push(
        Diagnostic::error(
            "unknown-name",
            id.span,
            format!("there is no variable or slot named `{}`", id.name),
        )
        .with_label("unknown name")
        .with_help(help),
    );
    Type::Any
}

fn field_of(c: &mut Checker, base: &Expr, t: &Type, field: &Ident) -> Type {
    match t {
        Type::Record(Some(fields)) => {
            if let Some((_, ft)) = fields.iter().find(|(n, _)| *n == field.name) {
                return ft.clone();
            }
            let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
            let help = suggest(&field.name, names.iter().copied())
                .unwrap_or_else(|| format!("its fields are {}", list_names(names.iter().copied())));
            c.push(
                Diagnostic::error(
                    "unknown-field",
                    field.span,
                    format!("`{}` has no field `{}`", c.snippet(base.span), field.name),
                )
                .with_label("no such field")
                .with_help(help),
            );
            Type::Any
        }
        Type::Record(None) | Type::Any | Type::Nothing => Type::Any,
        other => {
            c.push(mismatch(
                field.span,
                format!(
                    "{} has no fields, so `.{}` means nothing",
                    capitalise(&a(other)),
                    field.name
                ),
                format!("`{}` is {}", c.snippet(base.span), a(other)),
            ));
            Type::Any
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn signature(b: &signatures::Builtin) -> String {
    let params: Vec<String> = b
        .params
        .iter()
        .map(|p| match p {
            P::Is(t) => t.to_string(),
            P::Any => "value".into(),
            P::Numeric => "number or money".into(),
            P::Comparable => "value".into(),
            P::Table => "table".into(),
        })
        .collect();
    format!("{}({})", b.name, params.join(", "))
}

fn call(c: &mut Checker, scope: &Scope, span: Span, name: &Ident, args: &[Expr]) -> Type {
    let builtin = signatures::find(&name.name);
    let mut types: Vec<Type> = Vec::with_capacity(args.len());
    for (i, arg) in args.iter().enumerate() {
        let wants_table = builtin.is_some_and(|b| b.params.get(i) == Some(&P::Table));
        let t = match &arg.kind {
            // A table's name is not a variable: say so in a table's words.
            ExprKind::Var(id) if wants_table && scope.get(&id.name).is_none() => {
                if c.tables.contains_key(id.name.as_str()) {
                    Type::Table(id.name.clone())
                } else {
                    let d = unknown_table(c, id);
                    c.push(d);
                    Type::Any
                }
            }
            _ => infer(c, scope, arg),
        };
        types.push(t);
    }
    let Some(b) = builtin else {
        let help =
            suggest(&name.name, signatures::BUILTINS.iter().map(|b| b.name)).unwrap_or_else(|| {
                "see the table of built-in functions in the language reference".into()
            });
        let message = if c.actions.contains_key(name.name.as_str()) {
            format!(
                "`{}` is an action: do it with `do {}(...)`, not in an expression",
                name.name, name.name
            )
        } else if c.flows.contains_key(name.name.as_str()) {
            format!(
                "`{}` is a flow: run it with `call {}(...) as result`",
                name.name, name.name
            )
        } else {
            format!("there is no function named `{}`", name.name)
        };
        c.push(
            Diagnostic::error("unknown-function", name.span, message)
                .with_label("unknown function")
                .with_help(help),
        );
        return Type::Any;
    };
    if args.len() != b.params.len() {
        let n = b.params.len();
        c.push(
            Diagnostic::error(
                "wrong-arity",
                span,
                format!(
                    "`{}` takes {n} argument{}, not {}",
                    b.name,
                    if n == 1 { "" } else { "s" },
                    args.len()
                ),
            )
            .with_label(format!(
                "{} argument{} given",
                args.len(),
                if args.len() == 1 { "" } else { "s" }
            ))
            .with_help(format!("write `{}`", signature(b))),
        );
    }
    let mut table: Option<String> = None;
    for (i, (p, (arg, t))) in b.params.iter().zip(args.iter().zip(&types)).enumerate() {
        match p {
            P::Any => {}
            P::Is(want) => {
                if !want.accepts(t) {
                    c.push(
                        mismatch(
                            arg.span,
                            format!("`{}` needs {} here, but this is {}", b.name, a(want), a(t)),
                            format!("this is {}", a(t)),
                        )
                        .with_help(format!("write `{}`", signature(b))),
                    );
                }
            }
            P::Numeric => {
                if !matches!(t, Type::Number | Type::Money | Type::Any) {
                    c.push(
                        mismatch(
                            arg.span,
                            format!(
                                "`{}` needs a number or an amount of money here, but this is {}",
                                b.name,
                                a(t)
                            ),
                            format!("this is {}", a(t)),
                        )
                        .with_help(format!("write `{}`", signature(b))),
                    );
                }
            }
            P::Comparable => {
                let ok = matches!(
                    t,
                    Type::Number
                        | Type::Money
                        | Type::Date
                        | Type::Time
                        | Type::Text
                        | Type::Duration
                        | Type::Any
                );
                let first = &types[0];
                if !ok {
                    c.push(mismatch(
                        arg.span,
                        format!(
                            "`{}` compares numbers, money, dates, times or texts, not {}",
                            b.name,
                            a(t)
                        ),
                        format!("this is {}", a(t)),
                    ));
                } else if i > 0 && !first.accepts(t) {
                    c.push(mismatch(
                        arg.span,
                        format!("`{}` compares two values of one type, but this is {} and the first is {}", b.name, a(t), a(first)),
                        format!("this is {}", a(t)),
                    ));
                }
            }
            P::Table => match (&arg.kind, t) {
                (_, Type::Table(name)) => table = Some(name.clone()),
                (ExprKind::Var(id), t) if !matches!(t, Type::Any) => {
                    let d = unknown_table(c, id)
                        .with_label(format!("a variable holding {}, not a table", a(t)));
                    c.push(d);
                }
                (_, Type::Any) => {}
                _ => c.push(
                    mismatch(
                        arg.span,
                        format!("`{}` needs the name of a table here, not {}", b.name, a(t)),
                        format!("this is {}", a(t)),
                    )
                    .with_help(format!("write `{}`", signature(b))),
                ),
            },
        }
    }
    // `lookup(tariffs, "rank", ...)`: the column must be one of the table's.
    if let (Some(tname), Some(col)) = (&table, args.get(1)) {
        if let (ExprKind::Str(s), Some(decl)) = (&col.kind, c.tables.get(tname.as_str())) {
            if let Some(col_name) = s.plain() {
                let names: Vec<&str> = decl.columns.iter().map(|p| p.name.name.as_str()).collect();
                if !names.contains(&col_name.as_str()) {
                    let help = suggest(&col_name, names.iter().copied()).unwrap_or_else(|| {
                        format!("its columns are {}", list_names(names.iter().copied()))
                    });
                    c.push(
                        Diagnostic::error(
                            "unknown-column",
                            col.span,
                            format!("the table `{tname}` has no column `{col_name}`"),
                        )
                        .with_label("no such column")
                        .with_help(help),
                    );
                }
            }
        }
    }
    match &b.returns {
        Returns::Is(t) => t.clone(),
        Returns::FirstArg => types.first().cloned().unwrap_or(Type::Any),
        Returns::TableRow => table
            .map(|t| table_row(c, &t))
            .unwrap_or(Type::Record(None)),
        Returns::TableRows => Type::List(Box::new(
            table
                .map(|t| table_row(c, &t))
                .unwrap_or(Type::Record(None)),
        )),
    }
}

fn unknown_table(c: &Checker, id: &Ident) -> Diagnostic {
    let help = suggest(&id.name, c.tables.keys().copied()).unwrap_or_else(|| {
        if c.tables.is_empty() {
            "declare one with `table name from \"file.csv\" (column: type, ...)`".into()
        } else {
            format!("the tables are {}", list_names(c.tables.keys().copied()))
        }
    });
    Diagnostic::error(
        "unknown-table",
        id.span,
        format!("there is no table named `{}`", id.name),
    )
    .with_label("not a declared table")
    .with_help(help)
}

#[allow(clippy::too_many_arguments)]
fn binary(
    c: &mut Checker,
    scope: &Scope,
    op: BinaryOp,
    span: Span,
    l: &Expr,
    lt: Type,
    r: &Expr,
    rt: Type,
) -> Type {
    use Type::*;
    let sym = op.symbol();
    match op {
        BinaryOp::And | BinaryOp::Or => {
            for (side, t) in [(l, &lt), (r, &rt)] {
                if !Bool.accepts(t) {
                    c.push(
                        mismatch(
                            side.span,
                            format!("`{sym}` joins yes/no values, but this is {}", a(t)),
                            format!("this is {}", a(t)),
                        )
                        .with_help("compare it first, for example `x == 3`"),
                    );
                }
            }
            Bool
        }
        BinaryOp::Eq | BinaryOp::Ne => {
            if !lt.accepts(&rt) && !rt.accepts(&lt) {
                c.push(
                    mismatch(
                        span,
                        format!(
                            "comparing {} with {}: they can never be equal",
                            a(&lt),
                            a(&rt)
                        ),
                        "these have different types",
                    )
                    .with_help(equality_help(&lt, &rt)),
                );
            } else {
                super::flows::check_option(c, scope, l, r);
                super::flows::check_option(c, scope, r, l);
            }
            Bool
        }
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            let orderable =
                |t: &Type| matches!(t, Number | Money | Date | Time | Text | Duration | Any);
            if matches!(lt, Any) || matches!(rt, Any) {
                // Nothing more to say about a value whose type is unknown.
            } else if lt != rt {
                c.push(
                    mismatch(
                        span,
                        format!("`{sym}` cannot compare {} with {}", a(&lt), a(&rt)),
                        "these have different types",
                    )
                    .with_help(equality_help(&lt, &rt)),
                );
            } else if !orderable(&lt) {
                c.push(mismatch(
                    span,
                    format!("{} values cannot be ordered with `{sym}`", lt),
                    format!("`{sym}` needs numbers, money, dates or times"),
                ));
            }
            Bool
        }
        BinaryOp::In => {
            match &rt {
                Any => {}
                List(inner) => {
                    if !inner.accepts(&lt) && !lt.accepts(inner) {
                        c.push(mismatch(
                            span,
                            format!("looking for {} in a {}: it can never be there", a(&lt), rt),
                            "these have different types",
                        ));
                    }
                }
                other => c.push(
                    mismatch(r.span, format!("`in` needs a list on its right, but this is {}", a(other)), format!("this is {}", a(other)))
                        .with_help("write a list such as `[1, 2, 3]`; to look inside a text, use `contains(text, part)`"),
                ),
            }
            Bool
        }
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
            if matches!(lt, Any) || matches!(rt, Any) {
                return Any;
            }
            let result = match (op, &lt, &rt) {
                (_, Number, Number) => Some(Number),
                (BinaryOp::Add | BinaryOp::Sub, Money, Money) => Some(Money),
                (BinaryOp::Add | BinaryOp::Sub, Duration, Duration) => Some(Duration),
                (BinaryOp::Add | BinaryOp::Sub, Date, Duration) => Some(Date),
                (BinaryOp::Add, Duration, Date) => Some(Date),
                (BinaryOp::Sub, Date, Date) => Some(Number),
                (BinaryOp::Mul, Money, Number) | (BinaryOp::Mul, Number, Money) => Some(Money),
                (BinaryOp::Mul, Duration, Number) | (BinaryOp::Mul, Number, Duration) => {
                    Some(Duration)
                }
                (BinaryOp::Div, Money, Number) => Some(Money),
                (BinaryOp::Div, Money, Money) => Some(Number),
                _ => None,
            };
            match result {
                Some(t) => t,
                None => {
                    let help = match (op, &lt, &rt) {
                        (BinaryOp::Add, Text, _) | (BinaryOp::Add, _, Text) => {
                            "to join texts, write them in one text: \"{a} {b}\"".to_string()
                        }
                        (_, Date, Number) | (_, Number, Date) => {
                            "add or subtract a duration: `date + 3 days`, `today() - 18 years`".into()
                        }
                        (_, Money, Number) | (_, Number, Money) => "write the number as money: `15 EUR`".into(),
                        _ => "numbers and money add up; a date moves by a duration (`date + 2 weeks`); `date - date` is a number of days".into(),
                    };
                    c.push(
                        mismatch(
                            span,
                            format!("`{sym}` does not work on {} and {}", a(&lt), a(&rt)),
                            format!("{} {sym} {}", lt, rt),
                        )
                        .with_help(help),
                    );
                    Any
                }
            }
        }
    }
}

fn equality_help(lt: &Type, rt: &Type) -> String {
    match (lt, rt) {
        (Type::Text, Type::Number) | (Type::Number, Type::Text) => {
            "write the number without quotes, or the text with quotes".into()
        }
        (Type::Money, Type::Number) | (Type::Number, Type::Money) => {
            "write the number as money: `15 EUR`".into()
        }
        (Type::Bool, _) | (_, Type::Bool) => "a yes/no value compares with `yes` or `no`".into(),
        _ => "compare values of one type".into(),
    }
}
