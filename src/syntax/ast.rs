//! The syntax tree of a bot file, every node with its span. Nothing here
//! knows about pest: the checker, compiler and formatter read only this.

use crate::diagnostics::Span;
use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A two-letter language code as written (`fr:`), checked later against
/// the bot's declared languages.
#[derive(Debug, Clone, PartialEq)]
pub struct LangTag {
    pub code: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
}

// Items are few (dozens per bot) and read far more than moved: boxing the
// large ones would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Bot(BotDecl),
    Action(ActionDecl),
    Choice(ChoiceDecl),
    Pattern(PatternDecl),
    Slot(SlotDecl),
    Table(TableDecl),
    Synonyms(Phrases),
    Text(TextDecl),
    Faq(FaqDecl),
    Flow(FlowDecl),
}

#[derive(Debug, Clone, PartialEq)]
pub struct BotDecl {
    pub name: StrLit,
    pub languages: Vec<LangTag>,
    /// `default fr`, `start welcome`, `fallback not_understood`, `holidays be`.
    pub settings: Vec<(Ident, Ident)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub optional: bool,
    pub ty: Ident,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionDecl {
    pub name: Ident,
    pub params: Vec<Param>,
    pub results: Vec<Param>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceDecl {
    pub name: Ident,
    pub options: Vec<ChoiceOptionDecl>,
    pub span: Span,
}

/// `pattern request_reference "CR-dddd-dddd" or "RC-dddd-dddd"`: a slot type
/// whose values have one of these shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternDecl {
    pub name: Ident,
    pub shapes: Vec<StrLit>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceOptionDecl {
    pub key: Ident,
    pub phrases: Phrases,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableDecl {
    pub name: Ident,
    pub file: StrLit,
    pub columns: Vec<Param>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TextDecl {
    pub name: Ident,
    pub text: Text,
    pub extras: Extras,
    pub span: Span,
}

/// Phrases per language: triggers, labels, synonyms, examples, choice options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Phrases {
    pub lines: Vec<PhraseLine>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PhraseLine {
    pub lang: LangTag,
    pub phrases: Vec<StrLit>,
}

/// A string literal, split into literal text and `{expression}` parts.
#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    pub parts: Vec<StrPart>,
    pub span: Span,
}

impl StrLit {
    /// The text when it has no interpolation.
    pub fn plain(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                StrPart::Lit(s) => out.push_str(s),
                StrPart::Interp(_) => return None,
            }
        }
        Some(out)
    }

    /// The literal parts joined, interpolations left out (for matching phrases).
    pub fn literal_text(&self) -> String {
        self.parts
            .iter()
            .filter_map(|p| match p {
                StrPart::Lit(s) => Some(s.as_str()),
                StrPart::Interp(_) => None,
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum StrPart {
    Lit(String),
    Interp(Expr),
}

/// A citizen-facing text.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    /// One line per language, each with its variants.
    Translations(Vec<LangLine>, Span),
    /// The name of a declared `text`.
    Ref(Ident),
    /// The same in every language.
    Plain(StrLit),
}

impl Text {
    pub fn span(&self) -> Span {
        match self {
            Text::Translations(_, span) => *span,
            Text::Ref(id) => id.span,
            Text::Plain(s) => s.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LangLine {
    pub lang: LangTag,
    pub variants: Vec<StrLit>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extras {
    pub buttons: Vec<Button>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    pub payload: String,
    pub payload_span: Span,
    pub text: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub url: StrLit,
    pub text: Text,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlowHeaders {
    pub triggers: Vec<Phrases>,
    pub labels: Vec<Phrases>,
    pub examples: Vec<Phrases>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FaqDecl {
    pub name: Ident,
    pub headers: FlowHeaders,
    pub answer: Text,
    pub extras: Extras,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FlowDecl {
    pub name: Ident,
    pub params: Vec<Param>,
    pub headers: FlowHeaders,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    Say {
        text: Text,
        extras: Extras,
    },
    Form(Form),
    Set {
        name: Ident,
        value: Expr,
    },
    If {
        branches: Vec<(Expr, Vec<Stmt>)>,
        otherwise: Option<Vec<Stmt>>,
    },
    Match {
        subject: Expr,
        cases: Vec<Case>,
        otherwise: Option<Vec<Stmt>>,
    },
    Call {
        flow: Ident,
        args: Vec<Arg>,
        bind: Option<Ident>,
    },
    Do {
        action: Ident,
        args: Vec<Arg>,
        bind: Option<Ident>,
        ok: Option<Vec<Stmt>>,
        failed: Option<Vec<Stmt>>,
    },
    Handoff {
        reason: Option<Ident>,
    },
    Goto(Ident),
    Return(Option<Expr>),
    Stop,
    Cancel,
    Restart,
    Close,
    Language(LangTag),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub values: Vec<Expr>,
    pub body: Vec<Stmt>,
}

/// `name: value`, or `name` alone meaning `name: name`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: Ident,
    pub value: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub slots: Vec<FormSlot>,
    pub confirm: Option<Prompt>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SlotTypeRef {
    /// `slot x: date`
    Type(Ident),
    /// `slot parent_email like email_address`: a reusable slot's type and clauses.
    Like(Ident),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormSlot {
    pub name: Ident,
    pub ty: SlotTypeRef,
    pub clauses: SlotClauses,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlotDecl {
    pub name: Ident,
    pub ty: Ident,
    pub clauses: SlotClauses,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub text: Text,
    pub extras: Extras,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Require {
    pub condition: Expr,
    pub message: Text,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attempts {
    pub count: u32,
    pub then: Option<Vec<Stmt>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    Past,
    Future,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SlotClauses {
    pub labels: Vec<Phrases>,
    pub asks: Vec<Prompt>,
    pub reprompts: Vec<Prompt>,
    pub requires: Vec<Require>,
    pub attempts: Option<Attempts>,
    pub optional: Option<Span>,
    pub default: Option<Expr>,
    pub when: Option<Expr>,
    pub prefer: Option<(Prefer, Span)>,
    /// `personal`: the slot holds personal data (redacted outside the
    /// conversation), whatever its type.
    pub personal: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    In,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::In => "in",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Number(Decimal),
    Money(Decimal),
    Date(NaiveDate),
    Time(NaiveTime),
    Duration(Decimal, DurationUnit),
    Str(StrLit),
    Bool(bool),
    Nothing,
    List(Vec<Expr>),
    Var(Ident),
    Field(Box<Expr>, Ident),
    Call(Ident, Vec<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
}
