//! E-mail addresses said or written out in words, as citizens dictate
//! them or hide them from robots: "marie at gmail dot com", "jean point
//! dupont arobase hotmail point fr", "els apenstaartje telenet punt be",
//! "marie.dupont(at)skynet.be", "info [at] bruyeres [dot] be",
//! "lies @ telenet.be". The words are data (`lexicon/email_words.txt`).
//!
//! The message is rewritten with each such address joined up
//! ("marie@gmail.com"), keeping for every character of the rewriting the
//! bytes of the message it stands for, so the address reader runs on the
//! rewriting and its spans are mapped back.

use crate::lookup::FastMap;
use crate::understand::normalize::fold;
use std::ops::Range;
use std::sync::OnceLock;

const WORDS: &str = include_str!("../lexicon/email_words.txt");
/// Words of the longest phrase ("tiret du bas").
const MAX_PHRASE: usize = 3;
/// Addresses are short: a dictated one has at most this many pieces.
const MAX_PIECES: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    At,
    Dot,
    Underscore,
    Hyphen,
    BracketAt,
}

impl Kind {
    fn symbol(self) -> char {
        match self {
            Kind::At | Kind::BracketAt => '@',
            Kind::Dot => '.',
            Kind::Underscore => '_',
            Kind::Hyphen => '-',
        }
    }
}

fn words() -> &'static FastMap<String, Kind> {
    static WORDS_MAP: OnceLock<FastMap<String, Kind>> = OnceLock::new();
    WORDS_MAP.get_or_init(|| {
        let mut map = FastMap::default();
        for line in WORDS.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((kind, phrase)) = line.split_once(' ') else {
                continue;
            };
            let kind = match kind {
                "at" => Kind::At,
                "dot" => Kind::Dot,
                "underscore" => Kind::Underscore,
                "hyphen" => Kind::Hyphen,
                "bracket_at" => Kind::BracketAt,
                _ => continue,
            };
            map.insert(
                fold(phrase)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                kind,
            );
        }
        map
    })
}

fn is_address_char(c: char) -> bool {
    c.is_alphanumeric() || "._%+-!#$&*=?^|~'".contains(c)
}

/// A piece of the message: a run of address characters, a bracketed word
/// ("(at)"), a lone "@", or anything else.
#[derive(Debug, Clone)]
struct Piece {
    span: Range<usize>,
    /// The folded text of a word (brackets and trailing dots left out).
    word: String,
    /// Set for a bracketed word or a lone "@".
    marker: Option<Kind>,
    is_word: bool,
}

fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |k: usize| chars.get(k).map_or(text.len(), |c| c.0);
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        // "(at)", "[ dot ]", "{a}".
        if matches!(c, '(' | '[' | '{' | '<') {
            let close = match c {
                '(' => ')',
                '[' => ']',
                '{' => '}',
                _ => '>',
            };
            if let Some(len) = chars[k + 1..]
                .iter()
                .take(12)
                .position(|&(_, ch)| ch == close)
            {
                let inner = &text[byte(k + 1)..byte(k + 1 + len)];
                let kind = words().get(&fold(inner.trim())).copied();
                if let Some(kind @ (Kind::At | Kind::Dot | Kind::BracketAt)) = kind {
                    out.push(Piece {
                        span: byte(k)..byte(k + len + 2),
                        word: String::new(),
                        marker: Some(kind),
                        is_word: false,
                    });
                    k += len + 2;
                    continue;
                }
            }
        }
        if c == '@' {
            out.push(Piece {
                span: byte(k)..byte(k + 1),
                word: String::new(),
                marker: Some(Kind::At),
                is_word: false,
            });
            k += 1;
            continue;
        }
        if is_address_char(c) {
            let start = k;
            while k < chars.len() && is_address_char(chars[k].1) {
                k += 1;
            }
            // A full stop or comma ending the sentence is not part of the word.
            let mut end = k;
            while end > start && matches!(chars[end - 1].1, '.' | ',' | '\'' | '-') {
                end -= 1;
            }
            if end > start {
                out.push(Piece {
                    span: byte(start)..byte(end),
                    word: fold(&text[byte(start)..byte(end)]),
                    marker: None,
                    is_word: true,
                });
            }
            continue;
        }
        out.push(Piece {
            span: byte(k)..byte(k + 1),
            word: String::new(),
            marker: None,
            is_word: false,
        });
        k += 1;
    }
    out
}

/// The keyword (and how many pieces it takes) at piece `i`.
fn keyword(p: &[Piece], i: usize) -> Option<(Kind, usize)> {
    let first = p.get(i)?;
    if let Some(kind) = first.marker {
        return Some((kind, 1));
    }
    let mut phrase = String::new();
    let mut best = None;
    for n in 1..=MAX_PHRASE {
        let Some(piece) = p.get(i + n - 1).filter(|piece| piece.is_word) else {
            break;
        };
        if n > 1 {
            phrase.push(' ');
        }
        phrase.push_str(&piece.word);
        match words().get(&phrase) {
            Some(Kind::BracketAt) | None => {}
            Some(&kind) => best = Some((kind, n)),
        }
    }
    best
}

fn plain_word(p: &[Piece], i: usize) -> bool {
    p.get(i)
        .is_some_and(|w| w.is_word && !w.word.is_empty() && keyword(p, i).is_none())
}

/// One address found spelled out: the pieces it spans and its text.
struct Spelled {
    pieces: Range<usize>,
    text: String,
}

/// Reads an address whose "@" is the keyword at piece `at` (`len` pieces long).
fn read_at(p: &[Piece], text: &str, at: usize, len: usize) -> Option<Spelled> {
    // The domain: labels joined by dots said or typed.
    let mut domain = String::new();
    let mut k = at + len;
    let mut dots = 0;
    let mut spelled = p
        .get(at)
        .is_some_and(|a| a.marker.is_none() || a.span.len() > 1);
    loop {
        if !plain_word(p, k) || domain.len() > 255 {
            return None;
        }
        let label = text.get(p[k].span.clone())?;
        dots += label.matches('.').count();
        domain.push_str(label);
        k += 1;
        match keyword(p, k) {
            Some((Kind::Dot, n)) if plain_word(p, k + n) && k - at < MAX_PIECES => {
                domain.push('.');
                dots += 1;
                spelled = true;
                k += n;
            }
            Some((Kind::Hyphen, n)) if plain_word(p, k + n) && k - at < MAX_PIECES => {
                domain.push('-');
                k += n;
            }
            _ => break,
        }
    }
    // "at j.doe@example.com": the word after is the address's own local part.
    if dots == 0 || matches!(keyword(p, k), Some((Kind::At | Kind::BracketAt, _))) {
        return None;
    }
    // The local part: a word, and words before it joined by a dot,
    // underscore or hyphen said in words.
    let mut j = at.checked_sub(1)?;
    if !plain_word(p, j) {
        return None;
    }
    let mut local = vec![text.get(p[j].span.clone())?.to_string()];
    while j >= 2 && at - j < MAX_PIECES {
        let joiner = (1..=MAX_PHRASE).find_map(|n| {
            let s = j.checked_sub(n)?;
            match keyword(p, s) {
                Some((kind @ (Kind::Dot | Kind::Underscore | Kind::Hyphen), m)) if m == n => {
                    Some((kind, s))
                }
                _ => None,
            }
        });
        let Some((kind, s)) = joiner else { break };
        let Some(before) = s.checked_sub(1).filter(|&b| plain_word(p, b)) else {
            break;
        };
        local.insert(0, kind.symbol().to_string());
        local.insert(0, text.get(p[before].span.clone())?.to_string());
        j = before;
        spelled = true;
    }
    // "jean@x.be" typed as such is the plain reader's.
    let gapped = p[at - 1].span.end < p[at].span.start
        || p.get(at + len)
            .is_some_and(|d| p[at].span.end < d.span.start);
    if !spelled && !gapped {
        return None;
    }
    // Only a real address is joined up: "at 10 dot 30" stays as said.
    let (local, domain) = (local.concat(), domain.trim_end_matches('.'));
    if !super::email::local_valid(&local) || !super::email::domain_valid(domain) {
        return None;
    }
    Some(Spelled {
        pieces: j..k,
        text: format!("{local}@{domain}"),
    })
}

/// The message with every spelled-out address joined up, and for each byte
/// of the result the range of the message it stands for; None when there
/// is none.
pub(crate) fn respell(text: &str) -> Option<(String, Vec<Range<usize>>)> {
    let p = pieces(text);
    let mut found: Vec<Spelled> = Vec::new();
    let mut i = 0;
    while i < p.len() {
        if let Some((Kind::At | Kind::BracketAt, len)) = keyword(&p, i) {
            if let Some(s) = read_at(&p, text, i, len) {
                if found.last().is_none_or(|f| f.pieces.end <= s.pieces.start) {
                    i = s.pieces.end;
                    found.push(s);
                    continue;
                }
            }
        }
        i += 1;
    }
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut map: Vec<Range<usize>> = Vec::with_capacity(text.len());
    let mut copied = 0;
    for s in found {
        let start = p[s.pieces.start].span.start;
        let end = p[s.pieces.end - 1].span.end;
        for (k, c) in text.get(copied..start)?.char_indices() {
            let at = copied + k;
            out.push(c);
            map.extend(std::iter::repeat_n(at..at + c.len_utf8(), c.len_utf8()));
        }
        out.push_str(&s.text);
        map.extend(std::iter::repeat_n(start..end, s.text.len()));
        copied = end;
    }
    for (k, c) in text.get(copied..)?.char_indices() {
        let at = copied + k;
        out.push(c);
        map.extend(std::iter::repeat_n(at..at + c.len_utf8(), c.len_utf8()));
    }
    Some((out, map))
}
