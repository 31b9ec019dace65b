//! The numbering plans of the countries whose national numbers a citizen
//! may give without an international prefix (`lexicon/phone_plans.txt`),
//! which of them each language reads, in order, and the rest: the other
//! countries' order, area codes in brackets, and the words that say a run of
//! digits is a phone number.

use crate::values::Lang;
use std::sync::OnceLock;

const PLANS: &str = include_str!("../lexicon/phone_plans.txt");

#[derive(Debug)]
pub(crate) struct Plan {
    pub country: String,
    pub code: String,
    pub trunk: String,
    lengths: Vec<usize>,
    prefixes: Vec<String>,
}

impl Plan {
    /// Whether a national significant number (trunk prefix removed) fits.
    pub fn fits(&self, nsn: &str) -> bool {
        self.lengths.contains(&nsn.len())
            && self.prefixes.iter().any(|p| nsn.starts_with(p.as_str()))
            && nsn.bytes().all(|b| b.is_ascii_digit())
    }

    /// How many digits of the plan's longest prefix `nsn` starts with.
    pub fn prefix_len(&self, nsn: &str) -> usize {
        self.prefixes
            .iter()
            .filter(|p| nsn.starts_with(p.as_str()))
            .map(String::len)
            .max()
            .unwrap_or(0)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Plans {
    plans: Vec<Plan>,
    /// Per language, the countries to try, in order.
    langs: Vec<(Lang, Vec<String>)>,
    /// Per country, the digit groups that set its numbers apart.
    styles: Vec<(String, Vec<usize>)>,
    /// The other countries, in the order a number no plan of the citizen's
    /// language fits is tried in.
    elsewhere: Vec<String>,
    /// Per length of an area code in brackets without a trunk 0, its country.
    bracketed: Vec<(usize, String)>,
    /// Words and phrases (folded) that introduce a phone number.
    cues: Vec<Vec<String>>,
}

impl Plans {
    /// The countries a language reads national numbers in, in order.
    pub fn countries(&self, lang: Lang) -> &[String] {
        self.langs
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(&[], |(_, c)| c.as_slice())
    }

    pub fn of<'a>(&'a self, country: &'a str) -> impl Iterator<Item = &'a Plan> + 'a {
        self.plans.iter().filter(move |p| p.country == country)
    }

    /// Whether digit groups of these lengths are the country's own way of writing.
    pub fn written_as_in(&self, country: &str, groups: &[usize]) -> bool {
        self.styles
            .iter()
            .any(|(c, style)| c == country && style == groups)
    }

    /// Whether digit groups of these lengths are some country's way of
    /// writing a phone number ("(123) 456-7890" in North America).
    pub fn written_as_phone(&self, groups: &[usize]) -> bool {
        groups.len() > 2 && self.styles.iter().any(|(_, style)| style == groups)
    }

    pub fn elsewhere(&self) -> &[String] {
        &self.elsewhere
    }

    /// The country that writes an area code of this length in brackets.
    pub fn bracketed(&self, len: usize) -> Option<&str> {
        self.bracketed
            .iter()
            .find(|(l, _)| *l == len)
            .map(|(_, c)| c.as_str())
    }

    /// Whether the words end with a cue ("phone", "my number").
    pub fn cued(&self, words: &[&str]) -> bool {
        self.cues.iter().any(|cue| {
            words.len() >= cue.len()
                && words[words.len() - cue.len()..]
                    .iter()
                    .zip(cue)
                    .all(|(w, c)| w == c)
        })
    }
}

pub(crate) fn plans() -> &'static Plans {
    static PLANS_READ: OnceLock<Plans> = OnceLock::new();
    PLANS_READ.get_or_init(|| {
        let mut out = Plans::default();
        for line in PLANS.lines().map(str::trim) {
            if line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split_whitespace().collect();
            match f.as_slice() {
                ["plan", country, code, trunk, lengths, prefixes @ ..] => out.plans.push(Plan {
                    country: country.to_string(),
                    code: code.to_string(),
                    trunk: trunk.to_string(),
                    lengths: lengths.split(',').filter_map(|n| n.parse().ok()).collect(),
                    prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
                }),
                ["lang", lang, countries @ ..] => {
                    if let Ok(lang) = lang.parse() {
                        out.langs
                            .push((lang, countries.iter().map(|c| c.to_string()).collect()));
                    }
                }
                ["style", country, groups @ ..] => out.styles.push((
                    country.to_string(),
                    groups.iter().filter_map(|n| n.parse().ok()).collect(),
                )),
                ["elsewhere", countries @ ..] => {
                    out.elsewhere = countries.iter().map(|c| c.to_string()).collect();
                }
                ["bracketed", country, len] => {
                    if let Ok(len) = len.parse() {
                        out.bracketed.push((len, country.to_string()));
                    }
                }
                ["cue", words @ ..] => out.cues.extend(words.iter().map(|w| vec![w.to_string()])),
                ["cue-phrase", ..] => {
                    let phrases = line.trim_start_matches("cue-phrase").split('|');
                    out.cues.extend(
                        phrases
                            .map(|p| p.split_whitespace().map(str::to_string).collect::<Vec<_>>()),
                    );
                }
                _ => {}
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_countries_with_plans() {
        for lang in Lang::ALL {
            let countries = plans().countries(lang);
            assert!(!countries.is_empty(), "{lang:?}");
            for c in countries {
                assert!(plans().of(c).next().is_some(), "{c}");
            }
        }
        assert!(plans().of("FR").any(|p| p.fits("612345678")));
        assert!(!plans().of("FR").any(|p| p.fits("61234567")));
        assert!(plans().of("US").any(|p| p.fits("5551234567")));
        for c in plans().elsewhere() {
            assert!(plans().of(c).next().is_some(), "{c}");
        }
        assert_eq!(plans().bracketed(2), Some("BR"));
        assert!(plans().cued(&["my", "phone"]));
        assert!(plans().cued(&["c'est", "mon", "numero"]));
        assert!(!plans().cued(&["numero", "de", "dossier"]));
    }
}
