//! Turns pest's "expected X, Y" into a sentence a flow author understands,
//! with a help line for the usual mistakes.

use super::parser::Rule;
use crate::diagnostics::{Diagnostic, SourceId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};

/// Builds the diagnostic for a parse error in the chunk of `text` that
/// starts at `offset`.
pub(crate) fn syntax_diagnostic(
    source: SourceId,
    text: &str,
    offset: usize,
    err: &Error<Rule>,
) -> Diagnostic {
    let rule_at = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // The literal tokens pest tried at the furthest position say more than
    // the rules it tried ("expected `:`" rather than "expected a slot").
    let attempts = err.parse_attempts();
    let token_at = attempts.as_ref().map_or(0, |a| a.max_position);
    let mut tokens: Vec<String> = Vec::new();
    if let Some(a) = attempts.as_ref().filter(|_| token_at >= rule_at) {
        for t in a.expected_tokens() {
            // ParsingToken is not exported by name; its Display is the token itself.
            let token = t.to_string();
            let shown = format!("`{token}`");
            let noise = token.trim().is_empty() || token == "#" || token.contains('\u{feff}');
            if !noise && !token.contains("..") && !tokens.contains(&shown) {
                tokens.push(shown);
            }
        }
    }
    // Tokens tried in the middle of a word come from look-aheads (is `end` a
    // whole word?), not from what the author should write.
    let chunk = text.get(offset..).unwrap_or("");
    let at_word_start = chunk
        .get(..token_at)
        .and_then(|before| before.chars().next_back())
        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
    let use_tokens = token_at > rule_at && !tokens.is_empty() && at_word_start;
    let at = (offset + if use_tokens { token_at } else { rule_at }).min(text.len());
    let found = found_token(text, at);
    let end = (at + found.len()).min(text.len());
    let span = Span::new(source, at..end.max(at));

    let positives: Vec<Rule> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } if !use_tokens => positives.clone(),
        _ => vec![],
    };

    if let Some(open) = unclosed_string(text, at) {
        return Diagnostic::error(
            "syntax",
            Span::new(
                source,
                open..text[open..].find('\n').map_or(text.len(), |n| open + n),
            ),
            "this text is not closed",
        )
        .with_label("the text starts here and never ends")
        .with_help(
            "add the closing `\"` at the end of the text; a `\"` inside a text is written `\\\"`",
        );
    }

    let mut expected: Vec<String> = if use_tokens { tokens } else { Vec::new() };
    for rule in &positives {
        let word = describe(*rule).to_string();
        if !expected.contains(&word) {
            expected.push(word);
        }
    }
    let found_words = if found.is_empty() {
        "the end of the file".to_string()
    } else {
        format!("`{found}`")
    };
    let message = if expected.is_empty() {
        format!("I did not expect {found_words} here")
    } else {
        format!(
            "I expected {} here, but found {found_words}",
            join_or(&expected)
        )
    };
    let mut diag = Diagnostic::error("syntax", span, message).with_label(match expected.first() {
        Some(first) => format!("{first} expected"),
        None => "unexpected".to_string(),
    });
    if let Some(help) = help_for(&positives, found, text, at) {
        diag = diag.with_help(help);
    }
    diag
}

/// The word at the error, to name what was found.
fn found_token(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    let rest = rest.trim_start_matches([' ', '\t']);
    let len = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let token = &rest[..len];
    // Long junk is cut at a character boundary so the message stays short.
    match token.char_indices().nth(30) {
        Some((i, _)) => &token[..i],
        None => token,
    }
}

/// If the error is on a line with an odd number of unescaped quotes, where
/// the last text of that line opens.
fn unclosed_string(text: &str, at: usize) -> Option<usize> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
    let line = text.get(line_start..line_end)?;
    let mut open = None;
    let mut escaped = false;
    let mut in_comment = false;
    for (i, c) in line.char_indices() {
        if in_comment {
            break;
        }
        match c {
            '\\' if open.is_some() => escaped = !escaped,
            '"' if !escaped => {
                open = if open.is_some() {
                    None
                } else {
                    Some(line_start + i)
                }
            }
            '#' if open.is_none() => in_comment = true,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    open
}

fn help_for(positives: &[Rule], found: &str, text: &str, at: usize) -> Option<String> {
    let has = |r: Rule| positives.contains(&r);
    if found.starts_with('"') && has(Rule::lang) {
        return Some("write the language before each text, for example `fr: \"Bonjour !\"`".into());
    }
    if has(Rule::lang) && found.ends_with(':') {
        return Some(
            "a language is written with two lower-case letters, such as `fr:`, `nl:` or `en:`"
                .into(),
        );
    }
    let leading: String = found
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if let Some(word) = KEYWORDS.iter().find(|w| leading == **w) {
        if has(Rule::ident) {
            return Some(format!(
                "`{word}` is a reserved word of the language and cannot be used as a name; choose another name, such as `{word}_1`"
            ));
        }
    }
    if positives
        .iter()
        .any(|r| matches!(r, Rule::say_stmt | Rule::form_stmt))
    {
        let before = text.get(..at).unwrap_or("");
        if ITEM_STARTS.contains(&found) {
            return Some(format!(
                "the block before this line is not closed: add `end` before `{found}`"
            ));
        }
        if before.trim_end().ends_with(':') {
            return Some("a text comes after `fr:`, in double quotes".into());
        }
        return Some(
            "a flow is made of statements, each starting with a keyword: say, form, set, if, match, call, do, handoff, goto, return, stop, cancel, restart, close, language; blocks close with `end`"
                .into(),
        );
    }
    if has(Rule::EOI)
        || positives
            .iter()
            .any(|r| matches!(r, Rule::flow_decl | Rule::faq_decl))
    {
        return Some(
            "at the top of a file come `bot`, `action`, `choice`, `pattern`, `slot`, `table`, `synonyms`, `text`, `faq` and `flow`; check that the block above is closed with exactly one `end`"
                .into(),
        );
    }
    if has(Rule::text) || has(Rule::lang_line) {
        return Some(
            "a text is written per language: `fr: \"...\"` on one line, `nl: \"...\"` on the next"
                .into(),
        );
    }
    if has(Rule::expr) || has(Rule::postfixed) {
        return Some("a value goes here: a slot or variable name, a number, a text in quotes, a date like 2025-03-15, or a function call like today()".into());
    }
    None
}

/// The reserved words of the grammar (`keyword` in guichet.pest).
const KEYWORDS: &[&str] = &[
    "action", "and", "answer", "as", "ask", "attempts", "bot", "button", "call", "cancel", "case",
    "choice", "close", "confirm", "default", "do", "elif", "else", "end", "examples", "failed",
    "faq", "false", "flow", "form", "from", "goto", "handoff", "if", "in", "label", "language",
    "like", "link", "match", "no", "not", "nothing", "ok", "option", "optional", "or", "prefer",
    "reprompt", "require", "restart", "return", "say", "set", "slot", "stop", "synonyms", "table",
    "text", "then", "triggers", "true", "when", "yes",
];

const ITEM_STARTS: [&str; 10] = [
    "bot", "action", "choice", "slot", "table", "synonyms", "text", "faq", "flow", "pattern",
];

fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the file",
        Rule::ident | Rule::any_name | Rule::type_name => "a name",
        Rule::string | Rule::text_chunk => "a text in double quotes",
        Rule::lang | Rule::lang_line | Rule::phrase_line => "a language such as `fr:`",
        Rule::text | Rule::text_ref => "a text (`fr: \"...\"`)",
        Rule::phrases => "phrases per language (`fr: \"...\", \"...\"`)",
        Rule::bot_decl
        | Rule::action_decl
        | Rule::choice_decl
        | Rule::slot_decl
        | Rule::table_decl
        | Rule::synonyms_decl
        | Rule::pattern_decl
        | Rule::text_decl
        | Rule::faq_decl
        | Rule::flow_decl => "a declaration (`flow`, `faq`, `action`...)",
        Rule::say_stmt
        | Rule::form_stmt
        | Rule::set_stmt
        | Rule::if_stmt
        | Rule::match_stmt
        | Rule::call_stmt
        | Rule::do_stmt
        | Rule::handoff_stmt
        | Rule::goto_stmt
        | Rule::return_stmt
        | Rule::stop_stmt
        | Rule::cancel_stmt
        | Rule::restart_stmt
        | Rule::close_stmt
        | Rule::language_stmt
        | Rule::block => "a statement (`say`, `form`, `if`...)",
        Rule::triggers | Rule::label | Rule::examples => "`triggers`, `label` or `examples`",
        Rule::form_slot => "`slot`",
        Rule::confirm => "`confirm`",
        Rule::ask_clause
        | Rule::reprompt_clause
        | Rule::require_clause
        | Rule::attempts_clause
        | Rule::optional_clause
        | Rule::default_clause
        | Rule::when_clause
        | Rule::prefer_clause
        | Rule::personal_clause => "a slot setting (`ask`, `reprompt`, `require`...)",
        Rule::button | Rule::link => "`button` or `link`",
        Rule::payload => "a button's value (a name or a text)",
        Rule::param | Rule::param_list => "a parameter (`name: type`)",
        Rule::arg | Rule::arg_list => "an argument (`name: value`)",
        Rule::expr
        | Rule::postfixed
        | Rule::number
        | Rule::integer
        | Rule::date_lit
        | Rule::time_lit
        | Rule::money_lit
        | Rule::duration_lit
        | Rule::bool_lit
        | Rule::nothing
        | Rule::list
        | Rule::call_expr
        | Rule::paren => "a value",
        Rule::or_op
        | Rule::and_op
        | Rule::in_op
        | Rule::eq
        | Rule::ne
        | Rule::le
        | Rule::ge
        | Rule::lt
        | Rule::gt
        | Rule::add
        | Rule::sub
        | Rule::mul
        | Rule::div => "an operator",
        Rule::not_op | Rule::neg => "a value",
        Rule::field => "`.field`",
        Rule::interp => "`{value}`",
        Rule::elif_clause | Rule::else_clause => "`elif`, `else` or `end`",
        Rule::case_clause => "`case`",
        Rule::do_branches | Rule::ok_branch | Rule::failed_branch => "`ok`, `failed` or `end`",
        Rule::languages_setting | Rule::named_setting | Rule::bot_setting | Rule::setting_key => {
            "a bot setting (`languages`, `default`, `start`, `fallback`, `holidays`)"
        }
        Rule::optional_mark => "`?`",
        Rule::prefer_kind => "`past` or `future`",
        Rule::duration_unit => "days, weeks, months or years",
        Rule::choice_option => "`option`",
        _ => "something else",
    }
}

fn join_or(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => {
            let shown: Vec<&str> = rest.iter().take(5).map(String::as_str).collect();
            format!("{} or {last}", shown.join(", "))
        }
    }
}
