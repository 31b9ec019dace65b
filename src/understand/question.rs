//! Questions a citizen asks: the sentences of a message that ask about
//! something ("Diwali 2026 c'est quand ?", "wanneer is het Pinksteren?",
//! "when is Easter Monday?"). A value inside such a sentence is what the
//! citizen wants to know, not what they tell: a form does not take it as
//! the answer to its own question.
//!
//! A sentence asks when it puts a question ("c'est quand", "wanneer is",
//! "when is"), or holds a question word and ends with "?" or with that
//! word ("Pâques c'est quand"). A value said with a doubt is no question:
//! "le 5 avril ?", "is het 3 mei?", "c'est le 3 mai ?" check an answer,
//! "je ne sais plus quand, le 4 ?" gives one. A question is the clause
//! that asks to the end of its sentence, or the whole sentence when that
//! clause names nothing ("Pâques, c'est quand ?"), and stops where a
//! circumstance begins ("ça passe quand | à Noël ?": the day it is asked
//! about is the citizen's to tell). Whether a question is
//! about the form's own subject (and so answers it after all) is the
//! caller's to tell. The words are in `lexicon/cues.txt`.

use crate::understand::cues::{self, Cue};
use crate::understand::matcher::is_stopword;
use crate::understand::normalize::{Input, Token};
use crate::values::Lang;
use std::ops::Range;

/// The questions of a message, in byte ranges of the original text, in
/// the order they come. A question runs from its clause to the end of its
/// sentence ("elle est née le 3 mai, c'est quand la rentrée ?" asks from
/// "c'est"), or over its whole sentence when its clause does not name what
/// it asks about ("Pâques, c'est quand ?": the subject is set before it).
pub fn questions(input: &Input, lang: Lang) -> Vec<Range<usize>> {
    let tokens = &input.tokens;
    let text = &input.folded.text;
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        if i + 1 < tokens.len() && !ends_sentence(gap(tokens, text, i)) {
            continue;
        }
        let sentence = Sentence {
            tokens,
            text,
            range: start..i + 1,
            lang,
        };
        start = i + 1;
        let Some(at) = sentence.asks() else {
            continue;
        };
        let clause = sentence.clause_of(at);
        let from = if sentence.names_a_subject(clause.clone()) {
            clause.start
        } else {
            sentence.range.start
        };
        let end = sentence
            .circumstance_after(at)
            .unwrap_or(sentence.range.end);
        let folded = tokens[from].start..tokens[end - 1].end;
        out.push(input.folded.original_span(folded));
    }
    out
}

/// What lies between token `i` and the next one (or the end of the text).
fn gap<'a>(tokens: &[Token], text: &'a str, i: usize) -> &'a str {
    let start = tokens.get(i).map_or(text.len(), |t| t.end);
    let end = tokens.get(i + 1).map_or(text.len(), |t| t.start);
    text.get(start..end).unwrap_or("")
}

const QUESTION_MARKS: &[char] = &['?', '\u{ff1f}', '\u{61f}'];

/// Whether the text between two words ends a sentence: a question or
/// exclamation mark, a semicolon, a new line, or a full stop before a
/// space (not the dots of "03.05.2024").
fn ends_sentence(gap: &str) -> bool {
    gap.contains(QUESTION_MARKS)
        || gap.contains(['!', ';', '\n', '\u{ff01}'])
        || (gap.contains(['.', '\u{2026}']) && gap.contains(char::is_whitespace))
}

/// Whether the text between two words ends a clause: what ends a
/// sentence, or a comma, colon, bracket or dash.
fn ends_clause(gap: &str) -> bool {
    ends_sentence(gap)
        || gap.contains([',', ':', '(', ')', '\u{2014}', '\u{2013}'])
        || gap.contains(" - ")
}

/// One sentence of a message: `tokens[range]`.
struct Sentence<'a> {
    tokens: &'a [Token],
    text: &'a str,
    range: Range<usize>,
    lang: Lang,
}

impl Sentence<'_> {
    fn gap(&self, i: usize) -> &str {
        gap(self.tokens, self.text, i)
    }

    fn is(&self, i: usize, cue: Cue) -> bool {
        cues::is(&self.tokens[i].text, cue, self.lang)
    }

    /// The length of the turn of question starting at token `i`, if one
    /// does within a clause ("c'est quand", not "c'est, quand").
    fn asking_at(&self, i: usize) -> Option<usize> {
        let n = cues::at(self.tokens, i, Cue::Asking, self.lang)?;
        (i + n <= self.range.end && (i..i + n - 1).all(|k| !ends_clause(self.gap(k)))).then_some(n)
    }

    /// Where a circumstance of the question starts, after the question
    /// that starts at token `at`: "ça passe quand | à Noël ?", "wanneer
    /// komt de vuilkar | op kerstdag?", "when is collection | on Easter
    /// Monday?" ask about something on a day, and that day is the
    /// citizen's to tell, unlike "c'est quand le lundi de Pâques ?" or
    /// "when is Easter Monday?", which ask what the day is.
    fn circumstance_after(&self, at: usize) -> Option<usize> {
        let from = at + self.asking_at(at).unwrap_or(1);
        (from..self.range.end).find(|&k| self.is(k, Cue::Circumstance))
    }

    /// The clause holding token `i`, within the sentence.
    fn clause_of(&self, i: usize) -> Range<usize> {
        let mut start = i;
        while start > self.range.start && !ends_clause(self.gap(start - 1)) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < self.range.end && !ends_clause(self.gap(end - 1)) {
            end += 1;
        }
        start..end
    }

    /// Whether nothing but small words follows token `i` in its clause.
    fn ends_its_clause(&self, i: usize) -> bool {
        (i + 1..self.clause_of(i).end).all(|j| self.is(j, Cue::Filler))
    }

    /// The first token that makes the sentence a question, if any: a turn
    /// of question, or a question word when the sentence ends with "?" or
    /// with it, or after a saying of not knowing when words follow it
    /// ("je ne sais pas quand tombe Pâques").
    fn asks(&self) -> Option<usize> {
        let last = self.range.end - 1;
        let question_mark = self.gap(last).contains(QUESTION_MARKS);
        for i in self.range.clone() {
            if self.asking_at(i).is_some() {
                return Some(i);
            }
            if !self.is(i, Cue::Question) {
                continue;
            }
            // "what about the 5th?", "how about Friday?" propose a value.
            if cues::at(self.tokens, i, Cue::FollowUp, self.lang).is_some() {
                continue;
            }
            let before = &self.tokens[self.range.start..i];
            if cues::before(before, before.len(), Cue::Indefinite, self.lang).is_some() {
                continue;
            }
            if self.after_unknowing(i) {
                // "je ne sais plus (exactement) quand, le 4 ?": the doubt
                // of someone who answers.
                if self.ends_its_clause(i) {
                    continue;
                }
                return Some(i);
            }
            if question_mark || (i + 1..self.range.end).all(|j| self.is(j, Cue::Filler)) {
                return Some(i);
            }
        }
        None
    }

    /// Whether a saying of not knowing comes right before token `i`, small
    /// words aside ("je ne sais plus exactement quand").
    fn after_unknowing(&self, i: usize) -> bool {
        let before = &self.tokens[self.range.start..i];
        let mut k = before.len();
        loop {
            if cues::before(before, k, Cue::Unknowing, self.lang).is_some() {
                return true;
            }
            let start = self.range.start;
            if k == 0
                || !self.is(start + k - 1, Cue::Filler)
                || ends_clause(self.gap(start + k - 1))
            {
                return false;
            }
            k -= 1;
        }
    }

    /// Whether a clause names something besides the words a question is
    /// made of (question words, turns of question, what is asked for,
    /// small words): "c'est quand la rentrée" names "rentrée", "c'est
    /// quand" and "what date is that" name nothing.
    fn names_a_subject(&self, clause: Range<usize>) -> bool {
        let mut i = clause.start;
        while i < clause.end {
            if let Some(n) = self.asking_at(i) {
                i += n;
                continue;
            }
            let word = &self.tokens[i].text;
            let small = is_stopword(word, self.lang)
                || self.is(i, Cue::Question)
                || self.is(i, Cue::Filler)
                || self.is(i, Cue::Asked);
            if !small {
                return true;
            }
            i += 1;
        }
        false
    }
}

/// Whether a byte range of the original text lies in one of these
/// questions.
pub fn in_question(questions: &[Range<usize>], span: &Range<usize>) -> bool {
    questions
        .iter()
        .any(|q| q.start < span.end && span.start < q.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Lang::*;

    fn asked(text: &str, lang: Lang) -> Vec<&str> {
        let input = Input::new(text);
        questions(&input, lang)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    fn is_question(text: &str, lang: Lang) -> bool {
        !asked(text, lang).is_empty()
    }

    #[test]
    fn questions_about_a_day_ask_in_french() {
        for text in [
            "Diwali 2026 c'est quand ?",
            "et le lundi de Pâques c'est quand ?",
            "Pâques c'est quand",
            "c'est quand la Toussaint",
            "quand tombe l'Ascension cette année ?",
            "l'Ascension, ça tombe quand ?",
            "quel jour est le 15 août ?",
            "c'est quoi le prochain jour férié ?",
            "la rentrée des classes, elle est quand ?",
            "je ne sais pas quand tombe Pâques",
            "pourquoi le 3 mai ?",
        ] {
            assert!(is_question(text, Fr), "{text}");
        }
    }

    #[test]
    fn questions_about_a_day_ask_in_dutch() {
        for text in [
            "wanneer is het Pinksteren?",
            "wanneer is het Pinksteren",
            "Pinksteren wanneer",
            "en Hemelvaart, wanneer valt dat dit jaar?",
            "op welke dag valt Kerstmis?",
            "welke datum is het volgende week dinsdag?",
            "ik weet niet wanneer Pasen valt",
            "hoe laat is het?",
        ] {
            assert!(is_question(text, Nl), "{text}");
        }
    }

    #[test]
    fn questions_about_a_day_ask_in_english() {
        for text in [
            "when is Easter Monday?",
            "when is Easter Monday",
            "when's Thanksgiving this year",
            "Whit Monday, what date is that?",
            "which day is the 1st of May?",
            "I don't know when Easter is",
            "Christmas is when?",
        ] {
            assert!(is_question(text, En), "{text}");
        }
    }

    #[test]
    fn questions_about_other_things_ask() {
        for (text, lang) in [
            ("combien coûte la carte pour 2 voitures ?", Fr),
            (
                "c'est quoi la différence entre le premier et le deuxième véhicule ?",
                Fr,
            ),
            ("c'est où le parc à conteneurs", Fr),
            ("hoeveel kost een kaart voor 2 auto's?", Nl),
            ("hoe laat gaat het gemeentehuis open?", Nl),
            ("how much is it for 2 cars?", En),
            ("what time does the town hall open", En),
        ] {
            assert!(is_question(text, lang), "{text}");
        }
    }

    #[test]
    fn answers_with_a_doubt_do_not_ask() {
        for (text, lang) in [
            ("le 5 avril ?", Fr),
            ("c'est le 3 mai ?", Fr),
            ("je ne sais pas, le 4 ?", Fr),
            ("je ne sais plus exactement quand, le 4 ?", Fr),
            ("euh... le 12 juin 2025 je crois ?", Fr),
            ("est-ce que c'est bien le 3 mai ?", Fr),
            ("la date de naissance c'est le 5 avril, pas le 4", Fr),
            ("n'importe quand en septembre", Fr),
            ("03.05.2024", Fr),
            ("is het 3 mei?", Nl),
            ("3 mei?", Nl),
            ("ik weet het niet meer precies wanneer, de 4de?", Nl),
            ("wacht, de geboortedatum is 6 april, niet de 4de", Nl),
            ("om het even wanneer in september", Nl),
            ("the 5th of April?", En),
            ("is it the 3rd of May?", En),
            ("I'm not sure when, the 4th?", En),
            ("what about the 5th?", En),
            ("how about Friday?", En),
            ("no matter when in September", En),
        ] {
            assert!(
                asked(text, lang).is_empty(),
                "{text}: {:?}",
                asked(text, lang)
            );
        }
    }

    #[test]
    fn a_question_is_a_part_of_the_message() {
        assert_eq!(
            asked("Quand est Pâques ? Elle est née le 3 mai 2025.", Fr),
            ["Quand est Pâques"]
        );
        assert_eq!(asked("Quoi ? Le 3 mai.", Fr), ["Quoi"]);
        assert_eq!(
            asked("3 mei 2025. Wanneer is Pasen?", Nl),
            ["Wanneer is Pasen"]
        );
        assert_eq!(
            asked("She was born on 3 May 2025. When is Easter?", En),
            ["When is Easter"]
        );
        // An answer, then a question that names its own subject: the
        // question starts at its clause.
        assert_eq!(
            asked("elle est née le 3 mai 2025, c'est quand la rentrée ?", Fr),
            ["c'est quand la rentrée"]
        );
        assert_eq!(
            asked(
                "ze is geboren op 3 mei 2025, wanneer is de inschrijving?",
                Nl
            ),
            ["wanneer is de inschrijving"]
        );
        assert_eq!(
            asked("she was born on 3 May 2025, when is the deadline?", En),
            ["when is the deadline"]
        );
        // A question that names nothing asks about what is set before it,
        // and a question runs to the end of its sentence.
        assert_eq!(asked("Pâques, c'est quand ?", Fr), ["Pâques, c'est quand"]);
        assert_eq!(
            asked("quand tombe Pâques, et l'Ascension ?", Fr),
            ["quand tombe Pâques, et l'Ascension"]
        );
        assert_eq!(
            asked("en Hemelvaart, wanneer valt dat dit jaar?", Nl),
            ["en Hemelvaart, wanneer valt dat dit jaar"]
        );
        assert_eq!(
            asked("Whit Monday, what date is that?", En),
            ["Whit Monday, what date is that"]
        );
        // A day the question is asked about, after a preposition, is no
        // part of the question: it is the citizen's to tell.
        assert_eq!(asked("ça passe quand à Noël ?", Fr), ["ça passe quand"]);
        assert_eq!(asked("c'est pour quand, au plus tard ?", Fr).len(), 1);
        assert_eq!(
            asked("wanneer komt de vuilkar op kerstdag?", Nl),
            ["wanneer komt de vuilkar"]
        );
        assert_eq!(
            asked("when is collection on Easter Monday?", En),
            ["when is collection"]
        );
        // Not a preposition inside a day's own name.
        assert_eq!(
            asked("c'est quand le lundi de Pâques ?", Fr),
            ["c'est quand le lundi de Pâques"]
        );
        // A conjunction in the middle of a sentence is no question word.
        assert!(asked("il est né quand on habitait à Gand, le 3 mai", Fr).is_empty());
        assert!(asked("she was born when we lived in Ghent, on 3 May", En).is_empty());
        let input = Input::new("Pâques c'est quand ?");
        assert!(in_question(&questions(&input, Fr), &(0..7)));
        assert!(!in_question(
            &questions(&Input::new("le 3 mai"), Fr),
            &(3..8)
        ));
    }

    #[test]
    fn question_words_are_per_language() {
        // "wat" asks in Dutch only; "comment" in French only.
        assert!(is_question("wat is de datum?", Nl));
        assert!(!is_question("wat is de datum?", Fr));
        assert!(!is_question("comment: 3 May?", En));
    }

    #[test]
    fn odd_text_does_not_break_it() {
        for text in [
            "",
            "?",
            "??? quand",
            "quand",
            "c'est",
            "🙂 when 🙂?",
            "je ne sais pas quand",
            "n'importe",
            "when is",
            "Ｑ？",
        ] {
            for lang in Lang::ALL {
                let input = Input::new(text);
                for r in questions(&input, lang) {
                    assert!(r.end <= text.len() && text.is_char_boundary(r.start));
                    assert!(text.is_char_boundary(r.end));
                }
            }
        }
    }
}
