//! What the server itself tells a citizen about the hand-over, in their
//! language: every text in one place. A notice is logged as
//! `{"type": "notice", "kind": ..., "text": ...}`.

use chrono::{Datelike, NaiveDateTime, Timelike};
use serde_json::json;

/// A hand-over notice.
#[derive(Debug, Clone, PartialEq)]
pub enum HandoverNotice {
    /// The case is in the queue; staff are there.
    Queued,
    /// Nobody is available: outside the opening hours (`next_opening`
    /// given) or nobody claimed the case in time. The request is filed.
    Unavailable { next_opening: Option<NaiveDateTime> },
    /// A member of staff took the conversation.
    TakenOver { name: String },
    /// Staff handed the conversation back to the bot (`name` absent: the
    /// person of the Page's inbox went quiet).
    BotBack { name: Option<String> },
    /// Staff closed the conversation; the bot answers again.
    Closed { name: String },
}

impl HandoverNotice {
    pub fn kind(&self) -> &'static str {
        match self {
            HandoverNotice::Queued => "handoff_queued",
            HandoverNotice::Unavailable { .. } => "staff_unavailable",
            HandoverNotice::TakenOver { .. } => "staff_joined",
            HandoverNotice::BotBack { .. } => "bot_back",
            HandoverNotice::Closed { .. } => "staff_closed",
        }
    }

    /// The text in `lang` (`fr`, `nl`, `en`; French otherwise).
    pub fn text(&self, lang: &str) -> String {
        let lang = match lang {
            "nl" | "en" => lang,
            _ => "fr",
        };
        match self {
            HandoverNotice::Queued => match lang {
                "nl" => "Uw vraag is doorgegeven. Een medewerker antwoordt u hier zo snel mogelijk; u kunt intussen verder schrijven.".into(),
                "en" => "Your request has been passed on. A member of staff will answer you here as soon as possible; you can keep writing meanwhile.".into(),
                _ => "Votre demande est transmise. Un collègue vous répondra ici dès que possible ; vous pouvez continuer à écrire en attendant.".into(),
            },
            HandoverNotice::Unavailable { next_opening } => {
                let when = next_opening.map(|t| when_text(t, lang));
                match (lang, when) {
                    ("nl", Some(w)) => format!("Er is nu niemand beschikbaar: onze medewerkers zijn er terug op {w}. Uw vraag is geregistreerd met een samenvatting van ons gesprek; een medewerker antwoordt u hier of per e-mail."),
                    ("nl", None) => "Al onze medewerkers zijn momenteel bezet. Uw vraag blijft in de wachtrij met een samenvatting van ons gesprek; een medewerker antwoordt u hier of per e-mail zodra het kan.".into(),
                    ("en", Some(w)) => format!("Nobody is available right now: our staff are back on {w}. Your request is filed with a summary of our conversation; a member of staff will answer you here or by e-mail."),
                    ("en", None) => "All our staff are busy at the moment. Your request stays in the queue with a summary of our conversation; a member of staff will answer you here or by e-mail as soon as they can.".into(),
                    (_, Some(w)) => format!("Personne n'est disponible pour le moment : nos collègues seront de retour le {w}. Votre demande est enregistrée avec le résumé de notre conversation ; un collègue vous répondra ici ou par e-mail."),
                    (_, None) => "Tous nos collègues sont occupés pour le moment. Votre demande reste dans la file avec le résumé de notre conversation ; un collègue vous répondra ici ou par e-mail dès que possible.".into(),
                }
            }
            HandoverNotice::TakenOver { name } => match lang {
                "nl" => format!("{name} neemt het gesprek over en antwoordt u."),
                "en" => format!("{name} has joined the conversation and will answer you."),
                _ => format!("{name} a rejoint la conversation et va vous répondre."),
            },
            HandoverNotice::BotBack { name: Some(name) } => match lang {
                "nl" => format!("{name} geeft u terug aan de virtuele assistent. Waarmee kan ik u nog helpen?"),
                "en" => format!("{name} has handed you back to the virtual assistant. How else can I help you?"),
                _ => format!("{name} vous a confié à nouveau à l'assistant virtuel. Comment puis-je encore vous aider ?"),
            },
            HandoverNotice::BotBack { name: None } => match lang {
                "nl" => "De virtuele assistent is terug. Waarmee kan ik u helpen?".into(),
                "en" => "The virtual assistant is back. How can I help you?".into(),
                _ => "L'assistant virtuel est de retour. Comment puis-je vous aider ?".into(),
            },
            HandoverNotice::Closed { name } => match lang {
                "nl" => format!("{name} heeft het gesprek afgesloten. Bedankt! Als u opnieuw schrijft, antwoordt de virtuele assistent."),
                "en" => format!("{name} has closed the conversation. Thank you! If you write again, the virtual assistant will answer."),
                _ => format!("{name} a clôturé la conversation. Merci ! Si vous écrivez à nouveau, l'assistant virtuel vous répondra."),
            },
        }
    }

    /// The log event's body.
    pub fn body(&self, lang: &str) -> String {
        json!({"type": "notice", "kind": self.kind(), "text": self.text(lang)}).to_string()
    }
}

const DAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const DAYS_NL: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "lundi 9 mars à 8 h 30", "maandag 9 maart om 8.30 uur", "Monday 9 March at 8:30".
pub fn when_text(t: NaiveDateTime, lang: &str) -> String {
    let wd = t.weekday().num_days_from_monday() as usize;
    let m = t.month0() as usize;
    let (d, h, min) = (t.day(), t.hour(), t.minute());
    match lang {
        "nl" => format!("{} {d} {} om {h}.{min:02} uur", DAYS_NL[wd], MONTHS_NL[m]),
        "en" => format!("{} {d} {} at {h}:{min:02}", DAYS_EN[wd], MONTHS_EN[m]),
        _ => {
            let day = if d == 1 {
                "1er".to_string()
            } else {
                d.to_string()
            };
            format!("{} {day} {} à {h} h {min:02}", DAYS_FR[wd], MONTHS_FR[m])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_speak_the_citizens_language() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 9)
            .unwrap()
            .and_hms_opt(8, 30, 0)
            .unwrap();
        assert_eq!(when_text(t, "fr"), "lundi 9 mars à 8 h 30");
        assert_eq!(when_text(t, "nl"), "maandag 9 maart om 8.30 uur");
        assert_eq!(when_text(t, "en"), "Monday 9 March at 8:30");
        let n = HandoverNotice::TakenOver {
            name: "Marie".into(),
        };
        assert!(n.text("nl").starts_with("Marie neemt"));
        assert!(n
            .body("fr")
            .starts_with(r#"{"type":"notice","kind":"staff_joined""#));
        let u = HandoverNotice::Unavailable {
            next_opening: Some(t),
        };
        assert!(u.text("fr").contains("le lundi 9 mars à 8 h 30"));
        assert!(u.text("de").contains("Personne"), "French otherwise");
    }
}
