//! The bot block, declarations and their names: duplicates, settings,
//! declared types, and declarations nothing uses.

use super::{list_names, suggest, Checker, KNOWN_LANGUAGES};
use crate::diagnostics::{Diagnostic, Span};
use crate::load::file_start;
use crate::lookup::FastMap;
use crate::syntax::ast::{FlowHeaders, Ident, Item, Param, PatternDecl, StrPart};
use crate::understand::shape;
use crate::values::Type;

const BOT_EXAMPLE: &str = "start the bot with a block like:\n\n  bot \"Commune de ...\"\n    languages fr, nl, en\n    default fr\n  end";

pub(super) fn check(c: &mut Checker) {
    check_bot_block(c);
    check_duplicates(c);
    check_declarations(c);
}

fn check_bot_block(c: &mut Checker) {
    let bots: Vec<_> = c
        .bot
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Bot(b) => Some(b),
            _ => None,
        })
        .collect();
    let Some(first) = bots.first() else {
        let first_file = c
            .bot
            .sources
            .iter()
            .find(|(id, s)| !c.is_stdlib_source(*id) && s.name.ends_with(".flow"))
            .or_else(|| {
                c.bot
                    .sources
                    .iter()
                    .find(|(id, s)| !c.is_stdlib_source(*id) && !s.name.ends_with(".csv"))
            })
            .map(|(id, _)| id);
        if let Some(id) = first_file {
            c.push(
                Diagnostic::error("missing-bot", file_start(id), "this bot has no `bot` block")
                    .with_label("the bot's name and languages are declared nowhere")
                    .with_help(BOT_EXAMPLE),
            );
        }
        return;
    };
    for b in bots.iter().skip(1) {
        c.push(
            Diagnostic::error(
                "duplicate-bot",
                keyword_span(b.span, 3),
                "a second `bot` block",
            )
            .with_label("a bot has one `bot` block")
            .with_related(keyword_span(first.span, 3), "first declared here")
            .with_help("merge the settings into the first `bot` block and remove this one"),
        );
    }

    let mut seen_langs: Vec<&str> = Vec::new();
    for l in &first.languages {
        if !KNOWN_LANGUAGES.contains(&l.code.as_str()) {
            c.push(
                Diagnostic::error(
                    "unknown-language",
                    l.span,
                    format!("guichet does not speak `{}`", l.code),
                )
                .with_label("not a language guichet knows")
                .with_help("the languages are `fr`, `nl` and `en`"),
            );
        } else if seen_langs.contains(&l.code.as_str()) {
            c.push(
                Diagnostic::warning(
                    "duplicate-name",
                    l.span,
                    format!("the language `{}` is listed twice", l.code),
                )
                .with_label("listed again")
                .with_help("remove this one"),
            );
        } else {
            seen_langs.push(&l.code);
        }
    }
    if first.languages.is_empty() {
        c.push(
            Diagnostic::error(
                "missing-languages",
                keyword_span(first.span, 3),
                "the bot declares no languages",
            )
            .with_label("no `languages` line in this block")
            .with_help("add a line such as `languages fr, nl, en` to the `bot` block"),
        );
    }

    let mut seen: FastMap<&str, Span> = FastMap::default();
    for (key, value) in &first.settings {
        if let Some(prev) = seen.get(key.name.as_str()) {
            c.push(
                Diagnostic::error(
                    "duplicate-setting",
                    key.span.to(value.span),
                    format!("`{}` is set twice", key.name),
                )
                .with_label("set again here")
                .with_related(*prev, "first set here")
                .with_help("keep one of them"),
            );
            continue;
        }
        seen.insert(&key.name, key.span.to(value.span));
        match key.name.as_str() {
            // With no languages at all, `missing-languages` says it already.
            "default" if !c.languages.contains(&value.name) && !first.languages.is_empty() => {
                let d = Diagnostic::error(
                    "unknown-language",
                    value.span,
                    format!(
                        "the default language `{}` is not one of the bot's languages",
                        value.name
                    ),
                )
                .with_label("not in the `languages` line");
                let d = d.with_help(format!(
                    "the bot's languages are {}",
                    list_names(c.languages.iter().map(String::as_str))
                ));
                c.push(d);
            }
            "start" | "fallback" => {
                c.used_flows.insert(value.name.clone());
                if !c.is_startable(&value.name) {
                    unknown_flow(c, value, "no flow or FAQ has this name");
                }
            }
            "holidays" if !matches!(value.name.as_str(), "be" | "fr") => {
                c.push(
                    Diagnostic::error(
                        "unknown-holidays",
                        value.span,
                        format!("guichet knows no public holidays for `{}`", value.name),
                    )
                    .with_label("not a known calendar")
                    .with_help("write `holidays be` (Belgium) or `holidays fr` (France)"),
                );
            }
            "dates" if !matches!(value.name.as_str(), "day_first" | "month_first") => {
                c.push(
                    Diagnostic::error(
                        "unknown-date-order",
                        value.span,
                        format!("`{}` is not an order of day and month", value.name),
                    )
                    .with_label("not a date order")
                    .with_help(
                        "write `dates day_first` (3/7 is the 3rd of July, as in Belgium) or `dates month_first` (3/7 is March 7th, as in the United States)",
                    ),
                );
            }
            // The grammar admits only the keys above; anything else is a syntax error.
            _ => {}
        }
    }
}

pub(super) fn unknown_flow(c: &mut Checker, name: &Ident, label: &str) {
    let help = suggest(&name.name, c.startable_names()).unwrap_or_else(|| {
        format!(
            "declare it with `flow {} ... end`, or use one of {}",
            name.name,
            list_names(c.startable_names())
        )
    });
    c.push(
        Diagnostic::error(
            "unknown-flow",
            name.span,
            format!("there is no flow named `{}`", name.name),
        )
        .with_label(label)
        .with_help(help),
    );
}

/// The span of a block's opening keyword, so that a whole block is not underlined.
fn keyword_span(span: Span, len: usize) -> Span {
    Span {
        end: (span.start + len).min(span.end),
        ..span
    }
}

fn duplicate(c: &mut Checker, what: &str, first: &Ident, second: &Ident) {
    c.push(
        Diagnostic::error(
            "duplicate-name",
            second.span,
            format!("{what} `{}` is declared twice", second.name),
        )
        .with_label("declared again here")
        .with_related(first.span, "first declared here")
        .with_help("rename one of them, or remove the one you do not need"),
    );
}

/// Reports names declared twice in one list (options, params, slots).
pub(super) fn duplicates_in<'i>(
    c: &mut Checker,
    what: &str,
    names: impl IntoIterator<Item = &'i Ident>,
) {
    let mut seen: FastMap<&str, &Ident> = FastMap::default();
    for n in names {
        match seen.get(n.name.as_str()) {
            Some(first) => duplicate(c, what, first, n),
            None => {
                seen.insert(&n.name, n);
            }
        }
    }
}

fn check_duplicates(c: &mut Checker) {
    let mut seen: FastMap<(u8, &str), (&Ident, &str)> = FastMap::default();
    seen.reserve(c.bot.items.len());
    let items = &c.bot.items;
    let mut found = Vec::new();
    for item in items {
        let (ns, name, what) = match item {
            Item::Flow(f) => (0, &f.name, "the flow"),
            Item::Faq(f) => (0, &f.name, "the FAQ entry"),
            Item::Action(a) => (1, &a.name, "the action"),
            Item::Choice(ch) => (2, &ch.name, "the choice"),
            Item::Pattern(p) => (2, &p.name, "the pattern"),
            Item::Slot(s) => (3, &s.name, "the slot"),
            Item::Table(t) => (4, &t.name, "the table"),
            Item::Text(t) => (5, &t.name, "the text"),
            Item::Bot(_) | Item::Synonyms(_) => continue,
        };
        match seen.get(&(ns, name.name.as_str())) {
            Some((first, _)) => found.push(((*first).clone(), name.clone(), what)),
            None => {
                seen.insert((ns, &name.name), (name, what));
            }
        }
    }
    for (first, second, what) in found {
        duplicate(c, what, &first, &second);
    }
}

/// The type a declaration names (`amount: money`, `kind: card_kind`).
pub(super) fn declared_type(c: &mut Checker, ty: &Ident) -> Type {
    if let Some(t) = Type::from_name(&ty.name) {
        return t;
    }
    if c.choices.contains_key(ty.name.as_str()) || c.patterns.contains_key(ty.name.as_str()) {
        return Type::Text;
    }
    let builtin = [
        "any",
        "yesno",
        "number",
        "money",
        "date",
        "time",
        "duration",
        "record",
        "list",
        "email",
        "phone",
        "iban",
        "national_number",
        "structured_communication",
        "postal_code",
        "plate",
        "name",
        "text",
        "url",
    ];
    let candidates: Vec<&str> = builtin
        .iter()
        .copied()
        .chain(c.choices.keys().copied())
        .collect();
    let help = suggest(&ty.name, candidates.iter().copied()).unwrap_or_else(|| {
        "use a built-in type (`text`, `number`, `money`, `date`, `yesno`...) or declare a `choice` with this name".into()
    });
    c.push(
        Diagnostic::error(
            "unknown-type",
            ty.span,
            format!("there is no type `{}`", ty.name),
        )
        .with_label("neither a built-in type nor a declared choice")
        .with_help(help),
    );
    Type::Any
}

pub(super) fn param_types(
    c: &mut Checker,
    what: &str,
    params: &[Param],
) -> Vec<(String, bool, Type)> {
    duplicates_in(c, what, params.iter().map(|p| &p.name));
    params
        .iter()
        .map(|p| (p.name.name.clone(), p.optional, declared_type(c, &p.ty)))
        .collect()
}

fn check_declarations(c: &mut Checker) {
    let items = &c.bot.items;
    for item in items {
        match item {
            Item::Action(a) => {
                param_types(c, "the argument", &a.params);
                param_types(c, "the result", &a.results);
            }
            Item::Choice(ch) => {
                duplicates_in(c, "the option", ch.options.iter().map(|o| &o.key));
                if ch.options.is_empty() {
                    c.push(
                        Diagnostic::error(
                            "empty-choice",
                            ch.name.span,
                            format!("the choice `{}` has no options", ch.name.name),
                        )
                        .with_label("nothing to choose from")
                        .with_help(
                            "add options such as `option first fr: \"Première\" nl: \"Eerste\"`",
                        ),
                    );
                }
            }
            Item::Flow(f) => {
                param_types(c, "the parameter", &f.params);
            }
            Item::Pattern(p) => shapes(c, p),
            _ => {}
        }
    }
}

/// Each shape of a `pattern` must read (see `understand::shape`).
fn shapes(c: &mut Checker, p: &PatternDecl) {
    let help = "in a shape, `d` is a digit, `a` a letter, `x` a letter or a digit; capitals and digits stand for themselves; `-`, `/`, `.`, `_` and spaces separate parts: \"CR-dddd-dddd\"";
    for s in &p.shapes {
        if s.parts
            .iter()
            .any(|part| matches!(part, StrPart::Interp(_)))
        {
            c.push(
                Diagnostic::error("bad-shape", s.span, "a shape cannot hold `{...}`")
                    .with_label("a shape is fixed text")
                    .with_help(help),
            );
            continue;
        }
        let text = s.literal_text();
        if let Err(e) = shape::parse(&text) {
            // The shape's text starts after the opening quote; an escape
            // would shift it, and then the whole string is underlined.
            let plain = s.span.end.saturating_sub(s.span.start) == text.len() + 2;
            let at_fault = e.at.filter(|_| plain).and_then(|at| {
                let ch = text.get(at..)?.chars().next()?;
                let start = s.span.start + 1 + at;
                Some(Span::new(s.span.source, start..start + ch.len_utf8()))
            });
            let span = at_fault.unwrap_or(s.span);
            c.push(
                Diagnostic::error(
                    "bad-shape",
                    span,
                    format!(
                        "the pattern `{}` has a shape that cannot be read: {}",
                        p.name.name, e.message
                    ),
                )
                .with_label("this shape")
                .with_help(help),
            );
        }
    }
}

/// Declarations nothing uses; run after the flows are walked.
pub(super) fn check_unused(c: &mut Checker) {
    let items = &c.bot.items;
    for item in items {
        match item {
            Item::Flow(f) if !c.is_stdlib(f.span) && unreached(c, &f.headers, &f.name) => {
                c.push(unused_flow(&f.name, "flow"));
            }
            Item::Faq(f) if !c.is_stdlib(f.span) && unreached(c, &f.headers, &f.name) => {
                c.push(unused_flow(&f.name, "FAQ entry"));
            }
            Item::Action(a) if !c.is_stdlib(a.span) && !c.used_actions.contains(&a.name.name) => {
                c.push(
                    Diagnostic::warning(
                        "unused-action",
                        a.name.span,
                        format!("the action `{}` is never done", a.name.name),
                    )
                    .with_label("declared but no flow does it")
                    .with_help(format!(
                        "use it in a flow with `do {}(...)`, or remove the declaration",
                        a.name.name
                    )),
                );
            }
            Item::Slot(s) if !c.is_stdlib(s.span) && !c.used_slots.contains(&s.name.name) => {
                c.push(
                    Diagnostic::warning(
                        "unused-slot",
                        s.name.span,
                        format!("the slot `{}` is never used", s.name.name),
                    )
                    .with_label("no form uses it with `like`")
                    .with_help(format!(
                        "use it in a form with `slot my_name like {}`, or remove it",
                        s.name.name
                    )),
                );
            }
            _ => {}
        }
    }
}

fn unreached(c: &Checker, headers: &FlowHeaders, name: &Ident) -> bool {
    headers.triggers.is_empty() && !c.used_flows.contains(&name.name)
}

fn unused_flow(name: &Ident, what: &str) -> Diagnostic {
    Diagnostic::warning(
        "unused-flow",
        name.span,
        format!("no one can reach the {what} `{}`", name.name),
    )
    .with_label("no triggers, and no flow, button or setting names it")
    .with_help(format!(
        "add `triggers` so citizens can start it, or name it in a button, `goto {}` or `call {}`",
        name.name, name.name
    ))
}
