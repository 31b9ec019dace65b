//! Folding of citizen text for matching: lower case, no accents, ligatures
//! split, punctuation kept as separators. Every folded byte remembers the
//! byte of the original it came from, so a value found in the folded text is
//! reported with its span in what the citizen typed.

use compact_str::CompactString;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folded text plus, for each of its bytes, the original byte offset.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// `origin[i]` is the offset in the original text of folded byte `i`;
    /// it has one more entry than `text` has bytes (the end of the original).
    /// Empty when every folded byte is at the same offset as its original
    /// (ASCII text, most messages): the map would be a list of 0, 1, 2...
    origin: Vec<usize>,
}

/// Folds `original` onto the end of `text`, telling `mark(at, added)` that
/// `added` folded bytes came from the original character at byte `at`.
fn fold_into(original: &str, text: &mut String, mut mark: impl FnMut(usize, usize)) {
    for (at, ch) in original.char_indices() {
        // ASCII, most of what citizens type: nothing to decompose.
        if ch.is_ascii() {
            text.push(match ch {
                '`' => '\'',
                c if c.is_ascii_control() => ' ',
                c => c.to_ascii_lowercase(),
            });
            mark(at, 1);
            continue;
        }
        let mut push = |c: char| {
            for lc in c.to_lowercase() {
                let before = text.len();
                text.push(lc);
                mark(at, text.len() - before);
            }
        };
        match ch {
            'œ' | 'Œ' => {
                push('o');
                push('e');
            }
            'æ' | 'Æ' => {
                push('a');
                push('e');
            }
            'ß' => {
                push('s');
                push('s');
            }
            // Typographic apostrophes and dashes citizens' phones insert.
            '\u{2019}' | '\u{2018}' | '`' | '´' => push('\''),
            '\u{2010}'..='\u{2015}' => push('-'),
            '\u{00a0}' | '\u{202f}' => push(' '),
            c if c.is_control() => push(' '),
            c => {
                let mut any = false;
                decompose_canonical(c, |d| {
                    if !is_combining_mark(d) {
                        push(d);
                    }
                    any = true;
                });
                if !any {
                    push(c);
                }
            }
        }
    }
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        if original.is_ascii() {
            let mut text = original.to_ascii_lowercase();
            if text.bytes().any(|b| b == b'`' || b.is_ascii_control()) {
                text.clear();
                fold_into(original, &mut text, |_, _| {});
            }
            return Folded {
                text,
                origin: Vec::new(),
            };
        }
        Folded::with_origin(original)
    }

    /// `new` with the map written out, whatever the text.
    fn with_origin(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        fold_into(original, &mut text, |at, added| {
            origin.extend(std::iter::repeat_n(at, added));
        });
        origin.push(original.len());
        Folded { text, origin }
    }

    /// Maps a byte range of the folded text back to the original text.
    pub fn original_span(&self, folded: std::ops::Range<usize>) -> std::ops::Range<usize> {
        if self.origin.is_empty() {
            let len = self.text.len();
            let start = if folded.start <= len { folded.start } else { 0 };
            return start..folded.end.min(len).max(start);
        }
        let start = self.origin.get(folded.start).copied().unwrap_or(0);
        let end = if folded.end == 0 {
            start
        } else {
            // The end is just after the original character of the last folded byte.
            let last = self
                .origin
                .get(folded.end.min(self.origin.len()) - 1)
                .copied()
                .unwrap_or(start);
            let next = self.origin[folded.end.min(self.origin.len() - 1)..]
                .iter()
                .copied()
                .find(|&o| o > last);
            next.unwrap_or(*self.origin.last().unwrap_or(&0))
        };
        start..end.max(start)
    }
}

/// A word or number of the folded text, with its folded byte range. The
/// text is kept inline up to 24 bytes: words rarely need the heap, and a
/// message is split into tokens on every turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: CompactString,
    pub start: usize,
    pub end: usize,
}

/// Splits folded text into alphanumeric runs. Elided articles (`l'`, `d'`,
/// `qu'`) become their own tokens without the apostrophe so that
/// "l'inscription" yields `l` and `inscription`.
pub fn tokenize(folded: &str) -> Vec<Token> {
    if folded.is_ascii() {
        return tokenize_ascii(folded);
    }
    let mut tokens = Vec::with_capacity(folded.len() / 4 + 1);
    let mut start: Option<usize> = None;
    for (i, c) in folded.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            tokens.push(Token {
                text: CompactString::from(&folded[s..i]),
                start: s,
                end: i,
            });
        }
    }
    if let Some(s) = start {
        tokens.push(Token {
            text: CompactString::from(&folded[s..]),
            start: s,
            end: folded.len(),
        });
    }
    tokens
}

/// `tokenize` for ASCII text, byte by byte: most messages.
fn tokenize_ascii(folded: &str) -> Vec<Token> {
    let bytes = folded.as_bytes();
    let mut tokens = Vec::with_capacity(folded.len() / 4 + 1);
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        tokens.push(Token {
            text: CompactString::from(&folded[start..i]),
            start,
            end: i,
        });
    }
    tokens
}

/// Everything the understanding layer needs about one citizen message,
/// computed once per message and shared by every extractor and the matcher.
#[derive(Debug, Clone)]
pub struct Input {
    pub original: String,
    pub folded: Folded,
    pub tokens: Vec<Token>,
}

impl Input {
    pub fn new(original: &str) -> Input {
        Input::from_string(original.to_string())
    }

    /// `new`, keeping the string it is given as the original.
    pub fn from_string(original: String) -> Input {
        let folded = Folded::new(&original);
        let tokens = tokenize(&folded.text);
        Input {
            original,
            folded,
            tokens,
        }
    }

    /// The message with these byte ranges of the original blanked out (a
    /// space per byte, so the rest keeps its offsets): what is left once
    /// values are taken, or once negated words are set aside. A range off
    /// the text or off a character boundary is left as it is.
    pub fn without(&self, spans: &[std::ops::Range<usize>]) -> Input {
        let mut bytes = self.original.clone().into_bytes();
        for span in spans {
            if span.start <= span.end
                && self.original.is_char_boundary(span.start)
                && self
                    .original
                    .is_char_boundary(span.end.min(self.original.len()))
            {
                let end = span.end.min(bytes.len());
                bytes[span.start..end].fill(b' ');
            }
        }
        // Only whole characters were replaced by ASCII spaces.
        Input::from_string(String::from_utf8(bytes).unwrap_or_default())
    }

    /// The original text under a folded byte range.
    pub fn original_text(&self, folded: std::ops::Range<usize>) -> &str {
        let span = self.folded.original_span(folded);
        self.original.get(span).unwrap_or("")
    }
}

/// Folds a phrase the same way as citizen text (for patterns, synonyms,
/// lexicons), without the map back to the original that `Folded` keeps.
pub fn fold(s: &str) -> String {
    let mut text = String::with_capacity(s.len());
    fold_into(s, &mut text, |_, _| {});
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_ligatures() {
        assert_eq!(fold("Crèche ÉTÉ Pâques cœur"), "creche ete paques coeur");
        assert_eq!(fold("l’inscription"), "l'inscription");
        // ASCII takes a shorter path, to the same result.
        assert_eq!(fold("Le 3 MAI `ok`\tX\u{7f}"), "le 3 mai 'ok' x ");
    }

    #[test]
    fn tokens_split_elisions_and_punctuation() {
        let t: Vec<String> = tokenize(&fold("L'inscription, d'accord? 15/03"))
            .into_iter()
            .map(|t| t.text.to_string())
            .collect();
        assert_eq!(t, ["l", "inscription", "d", "accord", "15", "03"]);
    }

    #[test]
    fn spans_map_back_to_the_original() {
        let input = Input::new("né le 3 Mai");
        let tok = input.tokens.iter().find(|t| t.text == "mai").unwrap();
        assert_eq!(input.original_text(tok.start..tok.end), "Mai");
        let tok = input.tokens.iter().find(|t| t.text == "ne").unwrap();
        assert_eq!(input.original_text(tok.start..tok.end), "né");
    }

    proptest::proptest! {
        /// ASCII takes a shortcut: it must fold as the general rules say
        /// (lower case, controls to spaces, the backquote to an apostrophe).
        #[test]
        fn ascii_folds_as_the_general_rules_say(s in "[\\x00-\\x7f]{0,40}") {
            let folded = Folded::new(&s);
            let expected: String = s
                .chars()
                .map(|c| match c {
                    '`' => '\'',
                    c if c.is_control() => ' ',
                    c => c.to_ascii_lowercase(),
                })
                .collect();
            proptest::prop_assert_eq!(&folded.text, &expected);
            for i in 0..s.len() {
                proptest::prop_assert_eq!(folded.original_span(i..i + 1), i..i + 1);
            }
        }
    }

    proptest::proptest! {
        /// ASCII text keeps no map back to the original: every range maps
        /// as the written-out map would map it, in range or not.
        #[test]
        fn ascii_spans_need_no_map(s in "[\\x00-\\x7f]{0,40}", a in 0usize..45, b in 0usize..45) {
            let short = Folded::new(&s);
            let mapped = Folded::with_origin(&s);
            proptest::prop_assert_eq!(&short.text, &mapped.text);
            let (a, b) = (a.min(b), a.max(b));
            proptest::prop_assert_eq!(short.original_span(a..b), mapped.original_span(a..b));
        }
    }

    proptest::proptest! {
        /// ASCII text is split byte by byte, as the general rules split it.
        #[test]
        fn ascii_tokens_are_the_general_tokens(s in "[\\x00-\\x7f]{0,40}") {
            let folded = fold(&s);
            let general: Vec<Token> = {
                // The general path, with a non-ASCII separator that is not a word.
                let padded = format!("{folded}\u{a0}");
                tokenize(&padded)
            };
            proptest::prop_assert_eq!(tokenize(&folded), general);
        }
    }

    proptest::proptest! {
        /// `fold` skips the map back to the original, not any rule.
        #[test]
        fn fold_is_the_text_of_folded(s in "\\PC{0,40}") {
            proptest::prop_assert_eq!(fold(&s), Folded::new(&s).text);
        }
    }

    #[test]
    fn survives_odd_unicode() {
        for s in ["", "\u{0}\u{7}", "👍🏽", "שלום", "e\u{301}\u{301}", "ﬁ"] {
            let input = Input::new(s);
            for t in &input.tokens {
                let _ = input.original_text(t.start..t.end);
            }
        }
    }
}
