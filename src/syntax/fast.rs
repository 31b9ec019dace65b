//! A direct reading of the most frequent items (`faq`, `text`, and flows
//! that only `say`), beside the pest grammar rather than instead of it.
//!
//! pest spends some 300 instructions on every rule it tries, and a bot of
//! many answers is mostly short texts, where the bookkeeping is most of the
//! work. Each function here transcribes one rule of `grammar/guichet.pest`
//! as pest runs it: whitespace is skipped between the parts of a sequence,
//! a repetition gives back the whitespace it skipped before an attempt that
//! fails, and a rule ends where its last part ended. The spans are pest's,
//! trailing whitespace included where pest includes it.
//!
//! Whatever these functions do not know (an interpolation, a statement
//! other than `say`, a mistake) makes them give up on the item, which pest
//! then reads; the caller starts over with pest alone when pest fails, so
//! the messages of a syntax error are pest's. A test in `parser.rs` checks
//! that both readings agree.

use super::ast::*;
use crate::diagnostics::{SourceId, Span};

/// The words the `keyword` rule matches whole: as pest tries the words of
/// a group in order and does not come back to a later one, `ask`, `not`,
/// `nothing` and `optional` are not among them.
pub(crate) const RESERVED: [&str; 55] = [
    "action", "and", "answer", "as", "attempts", "bot", "button", "call", "cancel", "case",
    "choice", "close", "confirm", "default", "do", "elif", "else", "end", "examples", "failed",
    "false", "faq", "flow", "form", "from", "goto", "handoff", "if", "in", "label", "language",
    "like", "link", "match", "no", "ok", "option", "or", "prefer", "reprompt", "require",
    "restart", "return", "say", "set", "slot", "stop", "synonyms", "table", "text", "then",
    "triggers", "true", "when", "yes",
];

/// Gives up on the current item.
struct GiveUp;

type Read<T> = Result<T, GiveUp>;

pub(crate) struct Reader<'a> {
    text: &'a [u8],
    src: &'a str,
    source: SourceId,
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Reader<'a> {
    pub(crate) fn new(source: SourceId, src: &'a str) -> Reader<'a> {
        Reader {
            text: src.as_bytes(),
            src,
            source,
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.source, start..end)
    }

    /// `WHITESPACE*`: blanks, a byte order mark, and comments to the end of
    /// the line.
    pub(crate) fn skip(&self, mut at: usize) -> usize {
        let t = self.text;
        while at < t.len() {
            match t[at] {
                b' ' | b'\t' | b'\n' | b'\r' => at += 1,
                b'#' => {
                    at += 1;
                    while at < t.len() && t[at] != b'\n' {
                        at += 1;
                    }
                }
                0xEF if t[at..].starts_with("\u{feff}".as_bytes()) => at += 3,
                _ => break,
            }
        }
        at
    }

    /// A string of the grammar, matched as pest matches it: a prefix, with
    /// no word boundary after it.
    fn word(&self, at: usize, word: &str) -> Option<usize> {
        self.text[at..]
            .starts_with(word.as_bytes())
            .then_some(at + word.len())
    }

    fn name_end(&self, at: usize) -> usize {
        let mut end = at;
        while end < self.text.len() && is_name_char(self.text[end]) {
            end += 1;
        }
        end
    }

    /// `any_name`: a letter or `_`, then letters, digits and `_`.
    fn any_name(&self, at: usize) -> Option<usize> {
        let first = *self.text.get(at)?;
        (first.is_ascii_alphabetic() || first == b'_').then(|| self.name_end(at))
    }

    /// `ident`: an `any_name` that is no reserved word. `keyword` ends on
    /// `!ident_char`, so it matches a whole run of name characters or none.
    fn ident(&self, at: usize) -> Read<(Ident, usize)> {
        let end = self.any_name(at).ok_or(GiveUp)?;
        let name = &self.src[at..end];
        if RESERVED.contains(&name) {
            return Err(GiveUp);
        }
        Ok((
            Ident {
                name: name.to_string(),
                span: self.span(at, end),
            },
            end,
        ))
    }

    /// `lang`: two lower-case letters, not followed by a name character.
    fn lang(&self, at: usize) -> Option<(LangTag, usize)> {
        let t = self.text;
        let end = at + 2;
        if end > t.len()
            || !t[at].is_ascii_lowercase()
            || !t[at + 1].is_ascii_lowercase()
            || t.get(end).is_some_and(|&b| is_name_char(b))
        {
            return None;
        }
        Some((
            LangTag {
                code: self.src[at..end].to_string(),
                span: self.span(at, end),
            },
            end,
        ))
    }

    /// `string` with no interpolation: its one `text_chunk`, if not empty.
    fn string(&self, at: usize) -> Read<(StrLit, usize)> {
        let t = self.text;
        if t.get(at) != Some(&b'"') {
            return Err(GiveUp);
        }
        let start = at + 1;
        let mut end = start;
        let mut plain = true;
        loop {
            match t.get(end) {
                None | Some(b'\n') | Some(b'"') => break,
                Some(b'\\') => match t.get(end + 1) {
                    Some(b'"' | b'\\' | b'n' | b't' | b'{' | b'}') => {
                        plain = false;
                        end += 2;
                    }
                    _ => break,
                },
                Some(&b @ (b'{' | b'}')) => {
                    if t.get(end + 1) == Some(&b) {
                        plain = false;
                        end += 2;
                    } else {
                        break;
                    }
                }
                Some(_) => end += 1,
            }
        }
        // What stops the text must be its closing quote: a lone `{` is an
        // interpolation, anything else a mistake.
        if t.get(end) != Some(&b'"') {
            return Err(GiveUp);
        }
        let raw = &self.src[start..end];
        let parts = if raw.is_empty() {
            Vec::new()
        } else if plain {
            vec![StrPart::Lit(raw.to_string())]
        } else {
            vec![StrPart::Lit(super::parser::unescape(raw))]
        };
        Ok((
            StrLit {
                parts,
                span: self.span(at, end + 1),
            },
            end + 1,
        ))
    }

    /// `first ~ (sep ~ string)*` after a `lang ~ ":"`: the strings of a
    /// line, and where the line ends.
    fn strings(&self, at: usize, sep: u8) -> Read<(Vec<StrLit>, usize)> {
        let (first, mut end) = self.string(at)?;
        let mut all = vec![first];
        // The sequence skips before the repetition, for good.
        let after = self.skip(end);
        let mut at = after;
        let mut first_round = true;
        loop {
            if self.text.get(at) != Some(&sep) {
                break;
            }
            // A string that pest reads and this does not (an
            // interpolation) would continue the line: pest decides.
            let (s, e) = self.string(self.skip(at + 1))?;
            all.push(s);
            end = e;
            at = self.skip(e);
            first_round = false;
        }
        Ok((all, if first_round { after } else { end }))
    }

    /// `lang ~ ":" ~ string ~ (sep ~ string)*`: a phrase line or a line of
    /// a text. `None` when the line does not start here (no `lang :`).
    fn line(&self, at: usize, sep: u8) -> Read<Option<(LangTag, Vec<StrLit>, usize)>> {
        let Some((lang, end)) = self.lang(at) else {
            return Ok(None);
        };
        let colon = self.skip(end);
        if self.text.get(colon) != Some(&b':') {
            return Ok(None);
        }
        // `lang :` and no string after it fails the line; what pest reads
        // then is left to pest.
        let (strings, end) = self.strings(self.skip(colon + 1), sep)?;
        Ok(Some((lang, strings, end)))
    }

    /// `line ~ line*`: the lines, and where the rule ends.
    fn lines<T>(
        &self,
        at: usize,
        sep: u8,
        mut make: impl FnMut(LangTag, Vec<StrLit>) -> T,
    ) -> Read<Option<(Vec<T>, usize)>> {
        let Some((lang, strings, mut end)) = self.line(at, sep)? else {
            return Ok(None);
        };
        let mut all = vec![make(lang, strings)];
        let after = self.skip(end);
        let mut first_round = true;
        let mut at = after;
        while let Some((lang, strings, e)) = self.line(at, sep)? {
            all.push(make(lang, strings));
            end = e;
            at = self.skip(e);
            first_round = false;
        }
        Ok(Some((all, if first_round { after } else { end })))
    }

    fn phrases(&self, at: usize) -> Read<(Phrases, usize)> {
        let (lines, end) = self
            .lines(at, b',', |lang, phrases| PhraseLine { lang, phrases })?
            .ok_or(GiveUp)?;
        Ok((
            Phrases {
                lines,
                span: self.span(at, end),
            },
            end,
        ))
    }

    /// `text = { lang_line+ | text_ref | string }`.
    fn text(&self, at: usize) -> Read<(Text, usize)> {
        if let Some((lines, end)) =
            self.lines(at, b'|', |lang, variants| LangLine { lang, variants })?
        {
            return Ok((Text::Translations(lines, self.span(at, end)), end));
        }
        if self.text.get(at) == Some(&b'"') {
            let (s, end) = self.string(at)?;
            return Ok((Text::Plain(s), end));
        }
        // `text_ref = { ident ~ !":" }`, whitespace after the name included.
        let (id, end) = self.ident(at)?;
        let end = self.skip(end);
        if self.text.get(end) == Some(&b':') {
            return Err(GiveUp);
        }
        Ok((Text::Ref(id), end))
    }

    /// `(button | link)*` after the sequence skipped to `at`: the extras,
    /// and where the last of them ends (`at` when there is none).
    fn extras(&self, at: usize) -> Read<(Extras, usize)> {
        let mut extras = Extras::default();
        let mut end = at;
        let mut next = at;
        loop {
            if let Some(p) = self.word(next, "button") {
                let p = self.skip(p);
                let (payload, payload_end) = if self.text.get(p) == Some(&b'"') {
                    let (s, e) = self.string(p)?;
                    (s.literal_text(), e)
                } else {
                    let e = self.any_name(p).ok_or(GiveUp)?;
                    (self.src[p..e].to_string(), e)
                };
                let (text, e) = self.text(self.skip(payload_end))?;
                extras.buttons.push(Button {
                    payload,
                    payload_span: self.span(p, payload_end),
                    text,
                });
                end = e;
            } else if let Some(p) = self.word(next, "link") {
                let (url, e) = self.string(self.skip(p))?;
                let (text, e) = self.text(self.skip(e))?;
                extras.links.push(Link { url, text });
                end = e;
            } else {
                return Ok((extras, end));
            }
            next = self.skip(end);
        }
    }

    /// `flow_header*`, the sequence having skipped to `at`: the headers and
    /// where the next part of the sequence starts.
    fn headers(&self, at: usize) -> Read<(FlowHeaders, usize)> {
        let mut headers = FlowHeaders::default();
        let mut next = at;
        loop {
            let (list, p) = if let Some(p) = self.word(next, "triggers") {
                (&mut headers.triggers, p)
            } else if let Some(p) = self.word(next, "label") {
                (&mut headers.labels, p)
            } else if let Some(p) = self.word(next, "examples") {
                (&mut headers.examples, p)
            } else {
                return Ok((headers, next));
            };
            let (phrases, end) = self.phrases(self.skip(p))?;
            list.push(phrases);
            next = self.skip(end);
        }
    }

    /// One item at `at`, and where it ends; `None` for pest to read it.
    pub(crate) fn item(&self, at: usize) -> Option<(Item, usize)> {
        let t = &self.text[at..];
        let read = if t.starts_with(b"faq") {
            self.faq(at)
        } else if t.starts_with(b"flow") {
            self.flow(at)
        } else if t.starts_with(b"text") {
            self.text_decl(at)
        } else {
            return None;
        };
        read.ok()
    }

    /// `faq_decl = { "faq" ~ ident ~ flow_header* ~ "answer" ~ text ~ extras ~ "end" }`
    fn faq(&self, at: usize) -> Read<(Item, usize)> {
        let (name, p) = self.ident(self.skip(at + 3))?;
        let (headers, p) = self.headers(self.skip(p))?;
        let p = self.word(p, "answer").ok_or(GiveUp)?;
        let (answer, p) = self.text(self.skip(p))?;
        let (extras, p) = self.extras(self.skip(p))?;
        let end = self.word(self.skip(p), "end").ok_or(GiveUp)?;
        let faq = FaqDecl {
            name,
            headers,
            answer,
            extras,
            span: self.span(at, end),
        };
        Ok((Item::Faq(faq), end))
    }

    /// `text_decl = { "text" ~ ident ~ text ~ extras }`
    fn text_decl(&self, at: usize) -> Read<(Item, usize)> {
        let (name, p) = self.ident(self.skip(at + 4))?;
        let (text, p) = self.text(self.skip(p))?;
        let (extras, end) = self.extras(self.skip(p))?;
        let decl = TextDecl {
            name,
            text,
            extras,
            span: self.span(at, end),
        };
        Ok((Item::Text(decl), end))
    }

    /// `flow_decl` with no parameters and a body of `say` statements only.
    fn flow(&self, at: usize) -> Read<(Item, usize)> {
        let (name, p) = self.ident(self.skip(at + 4))?;
        let p = self.skip(p);
        if self.text.get(p) == Some(&b'(') {
            return Err(GiveUp);
        }
        let (headers, mut p) = self.headers(p)?;
        let mut body = Vec::new();
        // `block = { statement* }`: every statement but `say` is left to
        // pest, and no statement starts with `end`.
        while let Some(s) = self.word(p, "say") {
            let (text, e) = self.text(self.skip(s))?;
            let (extras, end) = self.extras(self.skip(e))?;
            body.push(Stmt {
                kind: StmtKind::Say { text, extras },
                span: self.span(p, end),
            });
            p = self.skip(end);
        }
        let end = self.word(p, "end").ok_or(GiveUp)?;
        let flow = FlowDecl {
            name,
            params: Vec::new(),
            headers,
            body,
            span: self.span(at, end),
        };
        Ok((Item::Flow(flow), end))
    }
}
