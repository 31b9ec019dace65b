//! The few sentences the interpreter itself says (resuming a form, asking
//! which slot to change...). Everything else comes from the bot's flows.

use crate::values::Lang;

#[derive(Debug, Clone, Copy)]
pub enum Phrase {
    Resume,
    WhichToChange,
    DidYouMean,
    /// The fallback when some flows half fit: one message, with them as buttons.
    NotSureDidYouMean,
    NotUnderstood,
    /// A message matched an entry but names something it is not about.
    NotSureItIsAbout,
    TooManyAttempts,
    StillWaiting,
    Skip,
    ConfirmYesNo,
    Yes,
    No,
    Noted,
    /// The language changed because the citizen said they do not speak
    /// the other one.
    ContinueIn,
    /// The same, with nothing in progress.
    ContinueInWhat,
    /// A date read two ways: which day?
    WhichDay,
    /// Another value read two ways: which one?
    WhichOne,
    /// A question asked while a slot is asked, that no flow answers: it
    /// is not taken as the slot's value.
    QuestionNotAnswer,
}

pub fn phrase(p: Phrase, lang: Lang) -> &'static str {
    use Lang::*;
    use Phrase::*;
    match (p, lang) {
        (Resume, Fr) => "Reprenons.",
        (Resume, Nl) => "We gaan verder.",
        (Resume, En) => "Let's continue.",
        (WhichToChange, Fr) => "Que voulez-vous modifier ?",
        (WhichToChange, Nl) => "Wat wilt u wijzigen?",
        (WhichToChange, En) => "What would you like to change?",
        (DidYouMean, Fr) => "Vouliez-vous dire :",
        (DidYouMean, Nl) => "Bedoelde u:",
        (DidYouMean, En) => "Did you mean:",
        (NotSureDidYouMean, Fr) => "Je ne suis pas sûr d'avoir compris. Vouliez-vous dire :",
        (NotSureDidYouMean, Nl) => "Ik weet niet zeker of ik u goed begrijp. Bedoelde u:",
        (NotSureDidYouMean, En) => "I am not sure I understood. Did you mean:",
        (NotUnderstood, Fr) => "Je n'ai pas compris. Pouvez-vous reformuler ?",
        (NotUnderstood, Nl) => "Dat heb ik niet begrepen. Kunt u het anders zeggen?",
        (NotUnderstood, En) => "I did not understand. Could you rephrase?",
        (NotSureItIsAbout, Fr) => {
            "Je ne suis pas sûr de pouvoir répondre à cette question. Je peux vous renseigner sur :"
        }
        (NotSureItIsAbout, Nl) => {
            "Ik weet niet zeker of ik die vraag kan beantwoorden. Ik kan u informeren over:"
        }
        (NotSureItIsAbout, En) => "I am not sure I can answer that. I can tell you about:",
        (TooManyAttempts, Fr) => "Je vous mets en contact avec un collègue.",
        (TooManyAttempts, Nl) => "Ik breng u in contact met een collega.",
        (TooManyAttempts, En) => "I am putting you in touch with a colleague.",
        (StillWaiting, Fr) => "Un instant, je traite votre demande.",
        (StillWaiting, Nl) => "Even geduld, ik verwerk uw aanvraag.",
        (StillWaiting, En) => "One moment, I am processing your request.",
        (Skip, Fr) => "Passer",
        (Skip, Nl) => "Overslaan",
        (Skip, En) => "Skip",
        (ConfirmYesNo, Fr) => "Répondez par oui ou par non, ou dites ce qu'il faut corriger.",
        (ConfirmYesNo, Nl) => "Antwoord met ja of nee, of zeg wat er moet worden gecorrigeerd.",
        (ConfirmYesNo, En) => "Please answer yes or no, or tell me what to correct.",
        (Yes, Fr) => "Oui",
        (Yes, Nl) => "Ja",
        (Yes, En) => "Yes",
        (No, Fr) => "Non",
        (No, Nl) => "Nee",
        (No, En) => "No",
        (Noted, Fr) => "C'est noté.",
        (Noted, Nl) => "Genoteerd.",
        (Noted, En) => "Noted.",
        (ContinueIn, Fr) => "Très bien, je continue en français.",
        (ContinueIn, Nl) => "Goed, ik ga verder in het Nederlands.",
        (ContinueIn, En) => "Fine, I will carry on in English.",
        (WhichDay, Fr) => "Quel jour voulez-vous dire ?",
        (WhichDay, Nl) => "Welke dag bedoelt u?",
        (WhichDay, En) => "Which day do you mean?",
        (WhichOne, Fr) => "Lequel voulez-vous dire ?",
        (WhichOne, Nl) => "Welke bedoelt u?",
        (WhichOne, En) => "Which one do you mean?",
        (ContinueInWhat, Fr) => "Très bien, je continue en français. Que puis-je faire pour vous ?",
        (ContinueInWhat, Nl) => "Goed, ik ga verder in het Nederlands. Wat kan ik voor u doen?",
        (ContinueInWhat, En) => "Fine, I will carry on in English. What can I do for you?",
        (QuestionNotAnswer, Fr) => {
            "Je n'ai pas de réponse à cette question, et je ne l'ai pas prise pour votre réponse."
        }
        (QuestionNotAnswer, Nl) => {
            "Op die vraag heb ik geen antwoord, en ik heb ze niet als uw antwoord genomen."
        }
        (QuestionNotAnswer, En) => {
            "I have no answer to that question, and I did not take it as your answer."
        }
    }
}

/// Answers that skip an optional slot ("je ne sais pas", "passer").
pub const SKIP_WORDS: &[&str] = &[
    "passer",
    "je ne sais pas",
    "aucun",
    "aucune",
    "rien",
    "pas de",
    "skip",
    "none",
    "no idea",
    "i don't know",
    "i dont know",
    "overslaan",
    "weet ik niet",
    "geen",
    "niets",
    "/skip",
];
