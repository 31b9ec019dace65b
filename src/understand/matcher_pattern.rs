//! Trigger pattern syntax: words, `(a|b c)` alternatives, `[optional words]`,
//! `*` for any words. Parsed into a small tree; the matcher flattens it.

use super::PatternError;

/// How deep brackets may nest: deeper patterns are not something an author
/// means, and a bound keeps the recursive parser safe on any input.
const MAX_DEPTH: usize = 8;
/// Alternatives nested inside alternatives multiply; past this many expanded
/// branches the pattern is refused rather than slowing every message down.
pub(super) const MAX_BRANCHES: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node<'a> {
    /// Borrowed from the pattern: a big bot has tens of thousands of words.
    Word(&'a str),
    Alternatives(Vec<Vec<Node<'a>>>),
    Optional(Vec<Node<'a>>),
    Star,
}

pub(super) fn parse(pattern: &str) -> Result<Vec<Node<'_>>, PatternError> {
    let tokens = lex(pattern);
    let mut parser = Parser { tokens, at: 0 };
    let nodes = parser.sequence(0)?;
    match parser.tokens.get(parser.at) {
        None => Ok(nodes),
        Some((offset, Tok::Close(c))) => {
            Err(err(format!("`{c}` without an opening bracket"), *offset))
        }
        Some((offset, Tok::Bar)) => Err(err(
            "`|` outside parentheses: write alternatives as (a|b)".into(),
            *offset,
        )),
        Some((offset, _)) => Err(err("unexpected symbol".into(), *offset)),
    }
}

fn err(message: String, offset: usize) -> PatternError {
    PatternError { message, offset }
}

/// A lexed piece of a pattern; words borrow from the pattern.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    Word(&'a str),
    Open(char),
    Close(char),
    Bar,
    Star,
}

fn lex<'a>(pattern: &'a str) -> Vec<(usize, Tok<'a>)> {
    let mut tokens = Vec::with_capacity(pattern.len() / 4 + 1);
    let mut word_start: Option<usize> = None;
    let flush = |tokens: &mut Vec<(usize, Tok<'a>)>, start: &mut Option<usize>, end: usize| {
        if let Some(s) = start.take() {
            tokens.push((s, Tok::Word(pattern.get(s..end).unwrap_or(""))));
        }
    };
    for (i, c) in pattern.char_indices() {
        let special = match c {
            '(' | '[' => Some(Tok::Open(c)),
            ')' | ']' => Some(Tok::Close(c)),
            '|' => Some(Tok::Bar),
            '*' => Some(Tok::Star),
            _ => None,
        };
        if let Some(tok) = special {
            flush(&mut tokens, &mut word_start, i);
            tokens.push((i, tok));
        } else if c.is_whitespace() {
            flush(&mut tokens, &mut word_start, i);
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    flush(&mut tokens, &mut word_start, pattern.len());
    tokens
}

struct Parser<'a> {
    tokens: Vec<(usize, Tok<'a>)>,
    at: usize,
}

impl<'a> Parser<'a> {
    /// Reads nodes until a closing bracket, a bar or the end (not consumed).
    fn sequence(&mut self, depth: usize) -> Result<Vec<Node<'a>>, PatternError> {
        let mut nodes = Vec::new();
        while let Some(&(offset, tok)) = self.tokens.get(self.at) {
            match tok {
                Tok::Word(w) => {
                    self.at += 1;
                    nodes.push(Node::Word(w));
                }
                Tok::Star => {
                    self.at += 1;
                    nodes.push(Node::Star);
                }
                Tok::Open(open) => {
                    if depth >= MAX_DEPTH {
                        return Err(err("brackets nested too deeply".into(), offset));
                    }
                    self.at += 1;
                    nodes.push(self.group(open, offset, depth + 1)?);
                }
                Tok::Close(_) | Tok::Bar => break,
            }
        }
        Ok(nodes)
    }

    fn group(
        &mut self,
        open: char,
        open_offset: usize,
        depth: usize,
    ) -> Result<Node<'a>, PatternError> {
        let close = if open == '(' { ')' } else { ']' };
        let mut branches = Vec::new();
        loop {
            let branch = self.sequence(depth)?;
            match self.tokens.get(self.at).copied() {
                None => return Err(err(format!("`{open}` is never closed"), open_offset)),
                Some((offset, Tok::Bar)) => {
                    if !has_content(&branch) {
                        return Err(err("empty alternative".into(), offset));
                    }
                    branches.push(branch);
                    self.at += 1;
                }
                Some((offset, Tok::Close(c))) => {
                    if c != close {
                        return Err(err(
                            format!("`{c}` closes `{open}` (expected `{close}`)"),
                            offset,
                        ));
                    }
                    if !has_content(&branch) {
                        let what = if open == '(' {
                            "empty alternative"
                        } else {
                            "empty optional part"
                        };
                        return Err(err(what.into(), offset));
                    }
                    branches.push(branch);
                    self.at += 1;
                    break;
                }
                Some((offset, _)) => return Err(err("unexpected symbol".into(), offset)),
            }
        }
        if open == '[' {
            // `[à la|en]` reads as optional alternatives, as authors write it.
            if branches.len() > 1 {
                Ok(Node::Optional(vec![Node::Alternatives(branches)]))
            } else {
                Ok(Node::Optional(branches.into_iter().flatten().collect()))
            }
        } else {
            Ok(Node::Alternatives(branches))
        }
    }
}

fn has_content(nodes: &[Node]) -> bool {
    nodes.iter().any(|n| match n {
        Node::Word(w) => w.chars().any(char::is_alphanumeric),
        Node::Alternatives(_) | Node::Optional(_) => true,
        Node::Star => false,
    })
}

/// One way to read a branch: its words in order, each flagged optional or not.
pub(super) type Reading<'a> = Vec<(&'a str, bool)>;

/// All readings of a branch (nested alternatives multiply), at most
/// `MAX_BRANCHES`; `open` is set when the branch contains a `*`.
pub(super) fn readings<'a>(nodes: &[Node<'a>], open: &mut bool) -> Option<Vec<Reading<'a>>> {
    let mut out: Vec<Reading> = vec![Vec::new()];
    for node in nodes {
        match node {
            Node::Word(w) => out.iter_mut().for_each(|r| r.push((w, false))),
            Node::Star => *open = true,
            Node::Optional(inner) => {
                let mut words = Vec::new();
                all_words(inner, &mut words, open);
                for r in out.iter_mut() {
                    r.extend(words.iter().map(|w| (*w, true)));
                }
            }
            Node::Alternatives(branches) => {
                let mut next = Vec::new();
                for branch in branches {
                    for tail in readings(branch, open)? {
                        for head in &out {
                            if next.len() >= MAX_BRANCHES {
                                return None;
                            }
                            let mut r = head.clone();
                            r.extend(tail.iter().copied());
                            next.push(r);
                        }
                    }
                }
                out = next;
            }
        }
    }
    Some(out)
}

fn all_words<'a>(nodes: &[Node<'a>], words: &mut Vec<&'a str>, open: &mut bool) {
    for node in nodes {
        match node {
            Node::Word(w) => words.push(w),
            Node::Star => *open = true,
            Node::Optional(inner) => all_words(inner, words, open),
            Node::Alternatives(branches) => {
                for b in branches {
                    all_words(b, words, open);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offset_of(pattern: &str) -> usize {
        parse(pattern).expect_err(pattern).offset
    }

    #[test]
    fn parses_words_alternatives_optionals_and_stars() {
        let nodes = parse("inscription (crèche|garderie) [en] *").unwrap();
        assert_eq!(nodes.len(), 4);
        assert!(matches!(&nodes[1], Node::Alternatives(b) if b.len() == 2));
        assert!(matches!(&nodes[2], Node::Optional(w) if w.len() == 1));
        assert_eq!(nodes[3], Node::Star);
    }

    #[test]
    fn reports_malformed_patterns_where_they_break() {
        assert_eq!(offset_of("inscription (crèche|garderie"), 12);
        assert_eq!(offset_of("place [en crèche"), 6);
        assert_eq!(offset_of("place en] crèche"), 8);
        assert_eq!(offset_of("(crèche||garderie)"), 9);
        assert_eq!(offset_of("(crèche|)"), 9);
        assert_eq!(offset_of("()"), 1);
        assert_eq!(offset_of("[]"), 1);
        assert_eq!(offset_of("(a]"), 2);
        assert_eq!(offset_of("a | b"), 2);
        assert_eq!(offset_of("[a|]"), 3);
    }

    #[test]
    fn optional_alternatives_need_no_inner_parentheses() {
        let nodes = parse("inscription [à la|en] crèche").unwrap();
        assert!(
            matches!(&nodes[1], Node::Optional(inner) if matches!(&inner[0], Node::Alternatives(b) if b.len() == 2))
        );
    }

    #[test]
    fn readings_expand_nested_alternatives() {
        let nodes = parse("((carte|kaart) identite|eid) [x]").unwrap();
        let mut open = false;
        let Node::Alternatives(branches) = &nodes[0] else {
            panic!()
        };
        let all: Vec<Reading> = branches
            .iter()
            .flat_map(|b| readings(b, &mut open).unwrap())
            .collect();
        assert_eq!(all.len(), 3);
        assert!(!open);
    }
}
