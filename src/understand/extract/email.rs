//! E-mail addresses in a sentence. The domain is case-insensitive and is
//! lower-cased; the local part is kept as typed (some servers distinguish
//! case there, and the citizen's spelling is what they will recognise).

use super::{Candidate, Context, Extraction, Reason, Rejected};
use crate::understand::normalize::Input;
use crate::values::Value;
use std::ops::Range;

/// Addresses are short; a longer "local part" is pasted junk.
const MAX_LOCAL: usize = 64;
const MAX_DOMAIN: usize = 255;

fn is_local_char(c: char) -> bool {
    // No apostrophe or slash: "l'adresse" and "et/ou" glued to an address are
    // far commoner in citizen text than addresses using them.
    c.is_ascii_alphanumeric() || "._%+-!#$&*=?^{|}~".contains(c)
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || c == '-' || c == '_'
}

pub(super) fn local_valid(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= MAX_LOCAL
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
}

pub(super) fn domain_valid(domain: &str) -> bool {
    if let Some(inner) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        let parts: Vec<&str> = inner.split('.').collect();
        return parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok());
    }
    if domain.len() > MAX_DOMAIN {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && tld.chars().count() >= 2
        && tld.chars().all(char::is_alphabetic)
}

pub fn extract(input: &Input, _ctx: &Context) -> Extraction {
    let text = input.original.as_str();
    let Some((respelled, map)) = super::email_spelled::respell(text) else {
        return scan(text);
    };
    // Spans in the rewriting are mapped back to the words they stand for.
    let back = |span: &Range<usize>| -> Option<Range<usize>> {
        let first = map.get(span.start)?;
        let last = map.get(span.end.checked_sub(1)?)?;
        Some(first.start..last.end)
    };
    let mut found = scan(&respelled);
    found.candidates.retain_mut(|c| {
        let Some(original) = back(&c.span) else {
            return false;
        };
        if text.get(original.clone()) != respelled.get(c.span.clone()) {
            c.rule = "email_spelled".to_string();
            c.confidence = 0.9;
        }
        c.span = original;
        true
    });
    found.rejected.retain_mut(|r| match back(&r.span) {
        Some(original) => {
            r.span = original;
            true
        }
        None => false,
    });
    found.sort();
    found
}

/// The addresses typed with an "@" in `text`, spans in `text`.
fn scan(text: &str) -> Extraction {
    let mut found = Extraction::default();
    let mut search_from = 0;
    while let Some(rel) = text.get(search_from..).and_then(|t| t.find('@')) {
        let at = search_from + rel;
        search_from = at + 1;
        let local_start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_local_char(c))
            .last()
            .map_or(at, |(i, _)| i);
        let local = &text[local_start..at];
        // A bare "@Carol" mention is not an attempt at an address.
        if local.is_empty() {
            continue;
        }
        let rest = &text[at + 1..];
        let domain_len = if rest.starts_with('[') {
            rest.find(']').map_or(0, |i| i + 1)
        } else {
            rest.char_indices()
                .find(|&(_, c)| !is_domain_char(c))
                .map_or(rest.len(), |(i, _)| i)
        };
        let mut domain = &rest[..domain_len];
        // The full stop ending the sentence is not part of the domain.
        domain = domain.trim_end_matches(['.', '-']);
        let end = at + 1 + domain.len();
        if rest[domain_len..].starts_with('@') || rest.starts_with('@') {
            // "jean@@x", "a@b@c": as typed, no reading of it is safe.
            let junk_end = rest
                .char_indices()
                .find(|&(_, c)| c.is_whitespace())
                .map_or(text.len(), |(i, _)| at + 1 + i);
            found.rejected.push(Rejected {
                span: local_start..junk_end,
                reason: Reason::MalformedEmail,
            });
            search_from = junk_end.max(search_from);
            continue;
        }
        if local_valid(local) && domain_valid(domain) {
            found.candidates.push(Candidate {
                value: Value::text(format!("{local}@{}", domain.to_lowercase())),
                span: local_start..end,
                confidence: 1.0,
                rule: "email".to_string(),
            });
        } else {
            found.rejected.push(Rejected {
                span: local_start..end,
                reason: Reason::MalformedEmail,
            });
        }
        search_from = end.max(search_from);
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

    fn ctx() -> Context<'static> {
        test_support::context(Lang::Fr)
    }

    fn best(text: &str) -> Option<(String, String)> {
        test_support::best_text(&extract(&Input::new(text), &ctx()), text)
    }

    fn rejected(text: &str) -> Vec<Reason> {
        test_support::reasons(&extract(&Input::new(text), &ctx()))
    }

    #[test]
    fn finds_addresses_in_three_languages() {
        assert_eq!(
            best("mon adresse c'est Jean.Dupont@Gmail.COM."),
            Some((
                "Jean.Dupont@gmail.com".into(),
                "Jean.Dupont@Gmail.COM".into()
            ))
        );
        assert_eq!(
            best("mijn e-mail is els.peeters@telenet.be, bedankt")
                .unwrap()
                .0,
            "els.peeters@telenet.be"
        );
        assert_eq!(
            best("my email:john+work@example.com").unwrap().0,
            "john+work@example.com"
        );
        assert_eq!(
            best("write to john@example.co.uk").unwrap().0,
            "john@example.co.uk"
        );
        assert_eq!(
            best("j_9@[129.126.118.1]").unwrap().0,
            "j_9@[129.126.118.1]"
        );
    }

    #[test]
    fn refuses_malformed_addresses() {
        assert_eq!(best("jean@@x"), None);
        assert_eq!(rejected("jean@@x"), [Reason::MalformedEmail]);
        assert_eq!(rejected("jean@gmail"), [Reason::MalformedEmail]);
        assert_eq!(rejected("a..b@outlook.com"), [Reason::MalformedEmail]);
        assert_eq!(rejected("Carol@new_type.com"), [Reason::MalformedEmail]);
        assert!(rejected("merci @Carol").is_empty());
        assert_eq!(best("merci @Carol"), None);
    }

    #[test]
    fn addresses_spelled_out_in_three_languages() {
        for (text, address, span) in [
            (
                "marie at gmail dot com",
                "marie@gmail.com",
                "marie at gmail dot com",
            ),
            (
                "c'est marie arobase gmail point com merci",
                "marie@gmail.com",
                "marie arobase gmail point com",
            ),
            (
                "marie apenstaartje telenet punt be",
                "marie@telenet.be",
                "marie apenstaartje telenet punt be",
            ),
            (
                "marie.dupont(at)skynet.be",
                "marie.dupont@skynet.be",
                "marie.dupont(at)skynet.be",
            ),
            (
                "mon mail: marie.dupont @ skynet.be.",
                "marie.dupont@skynet.be",
                "marie.dupont @ skynet.be",
            ),
            (
                "John dot Smith at Outlook dot com",
                "John.Smith@outlook.com",
                "John dot Smith at Outlook dot com",
            ),
            (
                "jean point dupont arobase hotmail point fr",
                "jean.dupont@hotmail.fr",
                "jean point dupont arobase hotmail point fr",
            ),
            (
                "info [at] bruyeres [dot] be",
                "info@bruyeres.be",
                "info [at] bruyeres [dot] be",
            ),
            (
                "contact(a)commune.be",
                "contact@commune.be",
                "contact(a)commune.be",
            ),
            (
                "paul tiret bas martin arobase gmail point com",
                "paul_martin@gmail.com",
                "paul tiret bas martin arobase gmail point com",
            ),
            (
                "pieter streepje desmet apenstaartje gmail punt com",
                "pieter-desmet@gmail.com",
                "pieter streepje desmet apenstaartje gmail punt com",
            ),
            (
                "sarah at yahoo dot co dot uk",
                "sarah@yahoo.co.uk",
                "sarah at yahoo dot co dot uk",
            ),
        ] {
            assert_eq!(best(text), Some((address.into(), span.into())), "{text}");
        }
        // A typed address keeps its confidence; a spelled one is a little less sure.
        let c = extract(&Input::new("marie at gmail dot com"), &ctx());
        assert_eq!(c.best().unwrap().rule, "email_spelled");
        assert!(c.best().unwrap().confidence < 1.0);
    }

    #[test]
    fn at_and_dot_in_ordinary_sentences_are_no_address() {
        for text in [
            "meet me at the station",
            "I arrive at 10 dot 30",
            "rendez-vous à la gare point final",
            "ik ben at home punt",
            "at gmail dot com",
            "marie at gmail",
            "le point de contact",
        ] {
            assert_eq!(best(text), None, "{text}");
            assert!(rejected(text).is_empty(), "{text}");
        }
        for text in [
            "email me at j.doe@example.co.uk please",
            "write at: jan@proximus.be",
        ] {
            let (address, _) = best(text).unwrap();
            assert!(
                address.ends_with(".be") || address.ends_with(".uk"),
                "{text}"
            );
            assert!(rejected(text).is_empty(), "{text}");
        }
        for text in ["~", "meet me at"] {
            assert_eq!(best(text), None, "{text}");
            assert!(rejected(text).is_empty(), "{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// An address said out in words in each language reads back.
        #[test]
        fn spelled_addresses_read_back(
            first in "[a-z]{1,8}",
            last in proptest::option::of("[a-z]{1,8}"),
            host in "[a-z]{2,10}",
            tld in "(be|com|fr|nl|eu)",
            style in 0usize..3,
        ) {
            let (at, dot) = [("at", "dot"), ("arobase", "point"), ("apenstaartje", "punt")][style];
            let local = match &last {
                Some(l) => format!("{first}.{l}"),
                None => first.clone(),
            };
            let spoken_local = match &last {
                Some(l) => format!("{first} {dot} {l}"),
                None => first.clone(),
            };
            let text = format!("mon adresse: {spoken_local} {at} {host} {dot} {tld} merci");
            let want = format!("{local}@{host}.{tld}");
            // Words that are themselves keywords cannot be told apart.
            prop_assume!(![&first, &host].iter().any(|w| ["at", "dot", "point", "punt", "a", "tiret", "dash"].contains(&w.as_str())));
            prop_assume!(last.as_deref().is_none_or(|l| !["at", "dot", "point", "punt", "a", "tiret", "dash"].contains(&l)));
            prop_assert_eq!(best(&text).map(|b| b.0), Some(want));
        }

        #[test]
        fn never_panics(s in "\\PC{0,80}|[a-zé.@\\[\\]]{0,40}|((marie|\\(at\\)|at|dot|point|punt|arobase|tiret bas|@|\\[|\\]|\\.|é) ?){0,12}") {
            let _ = extract(&Input::new(&s), &ctx());
        }
    }
}
