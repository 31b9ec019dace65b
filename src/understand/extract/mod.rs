//! Value extractors: find typed values (dates, amounts, phone numbers...) in
//! a citizen's whole sentence, with their span and normal form.
//!
//! Each slot type has its own module; `extract` dispatches on the type.
//! A value that looks right but is impossible (31 February, an IBAN with a
//! bad checksum) is not silently dropped: it comes back in
//! `Extraction::rejected` with a reason the flow can show to the citizen.

use crate::lookup::FastMap;
use crate::understand::normalize::Input;
use crate::understand::typo::for_each_deletion_key;
use crate::values::{Lang, SlotType, Value};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::ops::Range;

pub mod choice;
pub mod date;
pub mod email;
mod email_spelled;
pub mod iban;
pub mod money;
pub mod name;
pub mod national_number;
pub mod number;
pub mod phone;
mod phone_plans;
pub mod plate;
pub mod postal_code;
pub mod structured_communication;
pub mod text;
pub mod time;
pub mod url;
pub mod yesno;

#[cfg(test)]
pub(crate) mod test_support;

/// Which reading wins when a date could be in the past or the future
/// ("mercredi", "le 22/04"): a birth date wants the past, a start date the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePolicy {
    #[default]
    Future,
    Past,
}

/// How a numeric date without a month name is read: "3/7/2025" is 3 July
/// day first (Belgium, France, the Netherlands, Britain) and March 7 month
/// first (the United States).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    #[default]
    DayFirst,
    MonthFirst,
}

/// Regions whose English writes the month first. A plain `en` counts as
/// `en-US`, as in the Unicode locale data. Month first also stands for US
/// English where a name means another day there ("Labor Day").
const MONTH_FIRST_REGIONS: &[&str] = &["us"];

impl DateOrder {
    /// The order a locale tag implies: `en-US` and `en` month first;
    /// `en-GB`, `en-BE`, `fr-BE`, `nl` and every other language day first.
    /// `None` when the tag does not start with a language code.
    pub fn from_locale(tag: &str) -> Option<DateOrder> {
        let tag = tag.split_whitespace().next()?.to_ascii_lowercase();
        let mut parts = tag.split(['-', '_']);
        let lang = parts.next()?;
        if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_lowercase()) {
            return None;
        }
        let region = parts.find(|p| p.len() == 2 || p.as_bytes().first() == Some(&b'*'));
        let month_first = lang == "en"
            && match region {
                None => true,
                Some(r) => MONTH_FIRST_REGIONS.contains(&r),
            };
        Some(if month_first {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day-first",
            DateOrder::MonthFirst => "month-first",
        }
    }
}

/// The options of a declared choice, with each option's phrases per language
/// (the first phrase of a language is its label).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChoiceSpec {
    pub options: Vec<ChoiceOption>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceOption {
    /// The value the flow sees, e.g. `first`.
    pub key: String,
    pub phrases: Vec<(Lang, String)>,
    /// The words of each phrase, then of the key (language `None`), as a
    /// message is split: read once, not at every message.
    words: Vec<(Option<Lang>, Vec<String>)>,
    /// The deletion keys (`typo::for_each_deletion_key`) of each phrase's
    /// first word, to the phrases (indices into `words`) it begins: a
    /// message word can begin a phrase, exactly or with a typo, only if it
    /// shares one of them, so the other places are never tried.
    starts: FastMap<u64, Vec<u32>>,
    /// The most letters of a first word: a longer message word begins no phrase.
    longest_start: usize,
}

impl ChoiceOption {
    pub fn new(key: impl Into<String>, phrases: Vec<(Lang, String)>) -> ChoiceOption {
        let key = key.into();
        let words: Vec<(Option<Lang>, Vec<String>)> = phrases
            .iter()
            .map(|(lang, p)| (Some(*lang), choice::phrase_words(p)))
            .chain([(None, choice::phrase_words(&key.replace(['_', '-'], " ")))])
            .collect();
        let mut starts: FastMap<u64, Vec<u32>> = FastMap::default();
        let mut longest_start = 0;
        for (i, (_, phrase)) in words.iter().enumerate() {
            let Some(first) = phrase.first() else {
                continue;
            };
            let chars: Vec<char> = first.chars().collect();
            longest_start = longest_start.max(chars.len());
            for_each_deletion_key(&chars, |key| {
                let list = starts.entry(key).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            });
        }
        ChoiceOption {
            key,
            phrases,
            words,
            starts,
            longest_start,
        }
    }
}

/// What an extractor needs besides the text.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub lang: Lang,
    /// The session's "now": every relative date is computed from it.
    pub now: NaiveDateTime,
    pub policy: DatePolicy,
    /// How "3/7" is read; bots default to day first (they serve Belgium).
    pub order: DateOrder,
    /// The options, when the slot is a choice.
    pub choice: Option<&'a ChoiceSpec>,
}

/// One value found in the message.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub value: Value,
    /// Byte range in the original message.
    pub span: Range<usize>,
    /// 0.0 to 1.0: how sure the extractor is. A bare "3" read as a date is
    /// less sure than "3 mai 2024".
    pub confidence: f32,
    /// Which rule produced it, for the REPL's trace.
    pub rule: String,
}

/// Why something that looked like a value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A day that does not exist in that month (31 February).
    NoSuchDate,
    /// A month, hour or minute out of range.
    OutOfRange,
    /// The check digits do not match (IBAN, national number, structured communication).
    BadChecksum,
    /// Too many or too few digits or characters.
    WrongLength,
    /// A Belgian postal code that no commune uses.
    UnknownPostalCode,
    /// Looks like an e-mail address but is not one.
    MalformedEmail,
    /// A phone number that cannot be dialled.
    MalformedPhone,
    /// A `javascript:`, `data:` or other address that is no web page.
    UnsafeUrl,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::NoSuchDate => "no_such_date",
            Reason::OutOfRange => "out_of_range",
            Reason::BadChecksum => "bad_checksum",
            Reason::WrongLength => "wrong_length",
            Reason::UnknownPostalCode => "unknown_postal_code",
            Reason::MalformedEmail => "malformed_email",
            Reason::MalformedPhone => "malformed_phone",
            Reason::UnsafeUrl => "unsafe_url",
        }
    }

    /// A sentence for the citizen.
    pub fn message(self, lang: Lang) -> &'static str {
        use Lang::*;
        use Reason::*;
        match (self, lang) {
            (NoSuchDate, Fr) => "Cette date n'existe pas.",
            (NoSuchDate, Nl) => "Die datum bestaat niet.",
            (NoSuchDate, En) => "That date does not exist.",
            (OutOfRange, Fr) => "Cette valeur est hors des limites possibles.",
            (OutOfRange, Nl) => "Die waarde valt buiten de mogelijke grenzen.",
            (OutOfRange, En) => "That value is out of range.",
            (BadChecksum, Fr) => {
                "Ce numéro contient une erreur (les chiffres de contrôle ne correspondent pas)."
            }
            (BadChecksum, Nl) => "Dit nummer bevat een fout (de controlecijfers kloppen niet).",
            (BadChecksum, En) => "This number contains a mistake (its check digits do not match).",
            (WrongLength, Fr) => "Ce numéro n'a pas le bon nombre de chiffres.",
            (WrongLength, Nl) => "Dit nummer heeft niet het juiste aantal cijfers.",
            (WrongLength, En) => "This number does not have the right number of digits.",
            (UnknownPostalCode, Fr) => "Ce code postal n'existe pas en Belgique.",
            (UnknownPostalCode, Nl) => "Deze postcode bestaat niet in België.",
            (UnknownPostalCode, En) => "That postal code does not exist in Belgium.",
            (MalformedEmail, Fr) => "Cette adresse e-mail n'est pas valide.",
            (MalformedEmail, Nl) => "Dit e-mailadres is niet geldig.",
            (MalformedEmail, En) => "That e-mail address is not valid.",
            (MalformedPhone, Fr) => "Ce numéro de téléphone n'est pas valide.",
            (MalformedPhone, Nl) => "Dit telefoonnummer is niet geldig.",
            (MalformedPhone, En) => "That phone number is not valid.",
            (UnsafeUrl, Fr) => "Ce lien n'est pas l'adresse d'une page web.",
            (UnsafeUrl, Nl) => "Die link is geen adres van een webpagina.",
            (UnsafeUrl, En) => "That link is not the address of a web page.",
        }
    }
}

/// Something refused, where it was, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub span: Range<usize>,
    pub reason: Reason,
}

/// Everything an extractor found in one message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// Best first.
    pub candidates: Vec<Candidate>,
    pub rejected: Vec<Rejected>,
    /// Other readings of the very words the best candidate reads, when the
    /// language does not tell them apart ("mercredi prochain" said on a
    /// Tuesday: tomorrow or the week after?). Empty when the best candidate
    /// is the only sensible reading. A slot should not guess then: it can
    /// offer `best()` and these, in this order, for the citizen to choose.
    pub ambiguous: Vec<Candidate>,
}

impl Extraction {
    pub fn best(&self) -> Option<&Candidate> {
        self.candidates.first()
    }

    /// Whether the best candidate is one of several readings of the same
    /// words that only the citizen can choose between (see `ambiguous`).
    pub fn is_ambiguous(&self) -> bool {
        !self.ambiguous.is_empty()
    }

    /// The best candidate and its equally plausible alternatives, in the
    /// order to offer them; just the best when the reading is clear.
    pub fn readings_to_offer(&self) -> Vec<&Candidate> {
        self.best()
            .into_iter()
            .chain(self.ambiguous.iter())
            .collect()
    }

    /// Sorts candidates best first: higher confidence, then longer span,
    /// then earlier in the message.
    pub fn sort(&mut self) {
        self.candidates.sort_by(|a, b| {
            b.confidence
                .partial_cmp(&a.confidence)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then((b.span.end - b.span.start).cmp(&(a.span.end - a.span.start)))
                .then(a.span.start.cmp(&b.span.start))
        });
    }
}

/// One reading of a stretch of a message: a value, or why it was refused.
pub(crate) struct Reading {
    pub value: Result<Value, Reason>,
    /// Byte range in the folded text.
    pub folded: Range<usize>,
    /// How many words it reads: more words is a more specific reading.
    pub words: usize,
    pub confidence: f32,
    pub rule: String,
    /// Another value the same words can mean, as likely as `value`.
    pub alternative: Option<Value>,
}

/// Keeps the readings that do not overlap, longest first (so "après-demain"
/// wins over the "demain" inside it), as candidates and refusals with their
/// spans in the original text.
pub(crate) fn longest_readings(input: &Input, mut found: Vec<Reading>) -> Extraction {
    found.sort_by(|a, b| {
        b.words
            .cmp(&a.words)
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.folded.start.cmp(&b.folded.start))
    });
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut out = Extraction::default();
    let mut alternatives: Vec<Candidate> = Vec::new();
    for r in found {
        if taken
            .iter()
            .any(|t| r.folded.start < t.end && t.start < r.folded.end)
        {
            continue;
        }
        taken.push(r.folded.clone());
        let span = input.folded.original_span(r.folded);
        match r.value {
            Ok(value) => {
                if let Some(alternative) = r.alternative {
                    alternatives.push(Candidate {
                        value: alternative,
                        span: span.clone(),
                        confidence: r.confidence,
                        rule: format!("{}:alternative", r.rule),
                    });
                }
                out.candidates.push(Candidate {
                    value,
                    span,
                    confidence: r.confidence,
                    rule: r.rule,
                })
            }
            Err(reason) => out.rejected.push(Rejected { span, reason }),
        }
    }
    out.sort();
    if let Some(best) = out.best() {
        out.ambiguous = alternatives
            .into_iter()
            .filter(|a| a.span == best.span && a.value != best.value)
            .collect();
    }
    out
}

/// Finds the values of type `ty` in `input`.
pub fn extract(ty: &SlotType, input: &Input, ctx: &Context) -> Extraction {
    let mut found = match ty {
        SlotType::Date => date::extract(input, ctx),
        SlotType::Time => time::extract(input, ctx),
        SlotType::Number => number::extract(input, ctx),
        SlotType::Money => money::extract(input, ctx),
        SlotType::YesNo => yesno::extract(input, ctx),
        SlotType::Email => email::extract(input, ctx),
        SlotType::Phone => phone::extract(input, ctx),
        SlotType::Iban => iban::extract(input, ctx),
        SlotType::NationalNumber => national_number::extract(input, ctx),
        SlotType::StructuredCommunication => structured_communication::extract(input, ctx),
        SlotType::PostalCode => postal_code::extract(input, ctx),
        SlotType::Plate => plate::extract(input, ctx),
        SlotType::Name => name::extract(input, ctx),
        SlotType::Text => text::extract(input, ctx),
        SlotType::Url => url::extract(input, ctx),
        SlotType::Choice(_) => choice::extract(input, ctx),
        SlotType::Pattern(p) => crate::understand::shape::extract(p, input),
    };
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_give_their_date_order() {
        use DateOrder::*;
        for (tag, order) in [
            ("en-US", Some(MonthFirst)),
            ("en_us", Some(MonthFirst)),
            ("en", Some(MonthFirst)),
            ("en-GB", Some(DayFirst)),
            ("en-IE", Some(DayFirst)),
            ("en-BE", Some(DayFirst)),
            ("en-* (non-US English)", Some(DayFirst)),
            ("fr-BE", Some(DayFirst)),
            ("fr", Some(DayFirst)),
            ("nl-NL", Some(DayFirst)),
            ("", None),
            ("12/03", None),
        ] {
            assert_eq!(DateOrder::from_locale(tag), order, "{tag}");
        }
    }
}
