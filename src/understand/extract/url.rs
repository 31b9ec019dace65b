//! Web addresses in a sentence: with a scheme (`https://www.bruyeres.be/
//! parking?lang=fr`), starting `www.` (`www.bruyeres.be`) or a bare domain
//! with a known top-level domain (`bruyeres.be/contact`; the list is
//! `lexicon/url_tlds.txt`). The normal form has its scheme (`https://`
//! when none was written) and a lower-case scheme and host; the path, query
//! and fragment are kept as typed.
//!
//! Only `http`, `https` and `ftp` addresses are read. A `javascript:`,
//! `data:`, `vbscript:` or `file:` address is refused (`unsafe_url`): a bot
//! must never hand one to a page as a link.

use super::{Candidate, Context, Extraction, Reason, Rejected};
use crate::understand::normalize::Input;
use crate::values::Value;
use std::ops::Range;
use std::sync::OnceLock;

const TLDS: &str = include_str!("../lexicon/url_tlds.txt");
const SCHEMES: &[&str] = &["http", "https", "ftp"];
const UNSAFE_SCHEMES: &[&str] = &["javascript", "vbscript", "data", "file", "blob", "jar"];
/// Longer addresses are pasted junk.
const MAX_LEN: usize = 2048;

fn tlds() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        TLDS.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Characters of a path, query or fragment (RFC 3986, less the quotes
/// and brackets that close a sentence's aside).
fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || "-._~:/?#[]@!$&()*+,;=%".contains(c)
}

fn is_host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.'
}

/// A host name, IPv4 address or `localhost`, as typed; `known_tld` asks
/// for a top-level domain of the list.
fn host_valid(host: &str, known_tld: bool) -> bool {
    if host.eq_ignore_ascii_case("localhost") && !known_tld {
        return true;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() == 4 && labels.iter().all(|l| l.parse::<u8>().is_ok()) {
        return !known_tld;
    }
    let Some(tld) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && host.len() <= 253
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-'))
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && tlds().contains(&tld.to_ascii_lowercase().as_str())
        && (!known_tld
            || labels
                .iter()
                .rev()
                .skip(1)
                .any(|l| l.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2))
}

/// Where the rest of an address (port, path, query, fragment) ends, from
/// `from`: the sentence's closing punctuation and brackets it did not open
/// are left out.
fn rest_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let mut end = from
        + rest
            .char_indices()
            .find(|&(_, c)| !is_path_char(c))
            .map_or(rest.len(), |(i, _)| i);
    while let Some(last) = text[from..end].chars().last() {
        let unbalanced = |open: char, close: char| {
            last == close
                && text[from..end].matches(open).count() < text[from..end].matches(close).count()
        };
        if ".,;:!?".contains(last) || unbalanced('(', ')') || unbalanced('[', ']') {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// One address read at `start`: its span and normal form, or why it was refused.
fn read_at(text: &str, start: usize) -> Option<(Range<usize>, Result<String, Reason>)> {
    let rest = &text[start..];
    let word_end = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || "+.-".contains(c)))
        .map_or(rest.len(), |(i, _)| i);
    let word = &rest[..word_end];
    // A scheme: "https://...", "javascript:...".
    if rest[word_end..].starts_with(':') && !word.is_empty() {
        let scheme = word.to_ascii_lowercase();
        if UNSAFE_SCHEMES.contains(&scheme.as_str()) {
            let end = start + word_end + 1;
            let end = end + rest_end(text, end).saturating_sub(end);
            return Some((start..end.max(start + word_end + 1), Err(Reason::UnsafeUrl)));
        }
        if !SCHEMES.contains(&scheme.as_str()) || !rest[word_end..].starts_with("://") {
            return None;
        }
        let host_start = start + word_end + 3;
        let host_len = text[host_start..]
            .char_indices()
            .find(|&(_, c)| !is_host_char(c))
            .map_or(text.len() - host_start, |(i, _)| i);
        let host = text[host_start..host_start + host_len].trim_end_matches('.');
        if !host_valid(host, false) {
            return None;
        }
        let after = host_start + host.len();
        let end = if text[after..].starts_with(|c: char| ":/?#".contains(c)) {
            rest_end(text, after)
        } else {
            after
        };
        let normal = format!(
            "{scheme}://{}{}",
            host.to_ascii_lowercase(),
            &text[after..end]
        );
        return Some((start..end, Ok(normal)));
    }
    // "www.bruyeres.be", "bruyeres.be/contact".
    let host_len = rest
        .char_indices()
        .find(|&(_, c)| !is_host_char(c))
        .map_or(rest.len(), |(i, _)| i);
    let host = rest[..host_len].trim_end_matches(['.', '-']);
    let www = host.len() > 4 && host[..4].eq_ignore_ascii_case("www.");
    if !host.contains('.') || !host_valid(host, !www) {
        return None;
    }
    let after = start + host.len();
    // "marie@bruyeres.be", "jean.dupont@...": an e-mail address, not a site.
    if text[after..].starts_with('@') {
        return None;
    }
    let end = if text[after..].starts_with(|c: char| ":/?#".contains(c)) {
        rest_end(text, after)
    } else {
        after
    };
    let normal = format!("https://{}{}", host.to_ascii_lowercase(), &text[after..end]);
    Some((start..end, Ok(normal)))
}

pub fn extract(input: &Input, _ctx: &Context) -> Extraction {
    let text = input.original.as_str();
    let mut found = Extraction::default();
    let mut from = 0;
    while from < text.len() {
        let Some((offset, c)) = text[from..].char_indices().next() else {
            break;
        };
        let at = from + offset;
        let prev = text[..at].chars().last();
        // An address starts a word: not inside "marie@x.be" nor "httt://x.be".
        let starts_word = c.is_ascii_alphanumeric()
            && prev.is_none_or(|p| !(p.is_alphanumeric() || "@.-_/:%+=&?#~".contains(p)));
        // A scheme may follow any punctuation: "MORE:https://...", "5th.https://...".
        let scheme_here = || {
            let head = text[at..]
                .get(..12)
                .unwrap_or(&text[at..])
                .to_ascii_lowercase();
            prev.is_some_and(|p| !p.is_alphanumeric())
                && (SCHEMES.iter().any(|s| head.starts_with(&format!("{s}://")))
                    || UNSAFE_SCHEMES
                        .iter()
                        .any(|s| head.starts_with(&format!("{s}:"))))
        };
        let starts_word = starts_word || (c.is_ascii_alphabetic() && scheme_here());
        let read = if starts_word { read_at(text, at) } else { None };
        match read {
            Some((span, value)) if span.end > at && span.len() <= MAX_LEN => {
                let plain = !text[span.clone()].contains("://")
                    && !text[span.clone()].to_ascii_lowercase().starts_with("www.");
                match value {
                    Ok(url) => found.candidates.push(Candidate {
                        value: Value::text(url),
                        span: span.clone(),
                        confidence: if plain { 0.8 } else { 1.0 },
                        rule: if plain { "url_bare_domain" } else { "url" }.to_string(),
                    }),
                    Err(reason) => found.rejected.push(Rejected {
                        span: span.clone(),
                        reason,
                    }),
                }
                from = span.end;
            }
            _ => from = at + c.len_utf8(),
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::extract::test_support;
    use crate::values::Lang;
    use proptest::prelude::*;

    fn best(text: &str) -> Option<(String, String)> {
        test_support::best_text(
            &extract(&Input::new(text), &test_support::context(Lang::Fr)),
            text,
        )
    }

    fn rejected(text: &str) -> Vec<Reason> {
        test_support::reasons(&extract(
            &Input::new(text),
            &test_support::context(Lang::Fr),
        ))
    }

    #[test]
    fn addresses_in_sentences_get_their_scheme() {
        for (text, url, span) in [
            (
                "le site www.bruyeres.be",
                "https://www.bruyeres.be",
                "www.bruyeres.be",
            ),
            (
                "voir https://www.Bruyeres.be/demarches/parking?lang=fr.",
                "https://www.bruyeres.be/demarches/parking?lang=fr",
                "https://www.Bruyeres.be/demarches/parking?lang=fr",
            ),
            (
                "kijk op HTTP://gemeente.be/afval",
                "http://gemeente.be/afval",
                "HTTP://gemeente.be/afval",
            ),
            (
                "go to bruyeres.be/contact",
                "https://bruyeres.be/contact",
                "bruyeres.be/contact",
            ),
            (
                "(https://example.org/a_b)",
                "https://example.org/a_b",
                "https://example.org/a_b",
            ),
            (
                "op www.vlaanderen.be vind je alles",
                "https://www.vlaanderen.be",
                "www.vlaanderen.be",
            ),
            (
                "http://localhost:8080/#/123",
                "http://localhost:8080/#/123",
                "http://localhost:8080/#/123",
            ),
            (
                "wiki: https://en.wikipedia.org/wiki/Bruyères_(Vosges), merci",
                "https://en.wikipedia.org/wiki/Bruyères_(Vosges)",
                "https://en.wikipedia.org/wiki/Bruyères_(Vosges)",
            ),
        ] {
            assert_eq!(best(text), Some((url.into(), span.into())), "{text}");
        }
    }

    #[test]
    fn what_only_looks_like_an_address_is_not_one() {
        for text in [
            "le fichier rapport.pdf",
            "il est 10.30 heures",
            "7.am is a time",
            "marie@bruyeres.be",
            "jean.de@cooso.com.au",
            "httt://abc.com",
            "https:// rien",
            "ik woon in de kerkstraat 12",
            "The DNS server is 8.8.8.8",
            "working..is",
        ] {
            assert_eq!(best(text), None, "{text}");
        }
    }

    #[test]
    fn script_and_data_addresses_are_refused() {
        for text in [
            "javascript:alert(1)",
            "cliquez JavaScript:void(0)",
            "data:text/html,hi",
            "vbscript:msgbox(1)",
        ] {
            assert_eq!(best(text), None, "{text}");
            assert_eq!(rejected(text), [Reason::UnsafeUrl], "{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// A site named in a sentence reads back with its scheme.
        #[test]
        fn named_sites_read_back(host in "[a-z][a-z0-9-]{1,12}[a-z]", tld in "(be|com|org|eu|nl|fr)", path in proptest::option::of("[a-zA-Z0-9_-]{1,10}"), www in any::<bool>()) {
            let site = format!("{}{host}.{tld}{}", if www { "www." } else { "" }, path.as_ref().map(|p| format!("/{p}")).unwrap_or_default());
            let text = format!("voir {site}, merci");
            prop_assert_eq!(best(&text).map(|b| b.0), Some(format!("https://{site}")));
        }

        #[test]
        fn never_panics_and_reads_only_safe_schemes(s in "\\PC{0,80}|((https?://|www\\.|javascript:|[a-zé]{1,6}\\.)[a-zé0-9./?#()\\[\\]:@-]{0,30} ?){0,4}") {
            let out = extract(&Input::new(&s), &test_support::context(Lang::En));
            for c in &out.candidates {
                let Value::Text(url) = &c.value else { panic!("not text") };
                prop_assert!(url.starts_with("https://") || url.starts_with("http://") || url.starts_with("ftp://"), "{}", url);
                prop_assert!(s.get(c.span.clone()).is_some());
            }
        }
    }
}
