//! Calendar and unit words per language, for printing values in messages.
//! Order of each table: French, Dutch, English.

pub const MONTHS: [[&str; 12]; 3] = [
    [
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
    ],
    [
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
    ],
    [
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
    ],
];

/// Monday first.
pub const WEEKDAYS: [[&str; 7]; 3] = [
    [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ],
    [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ],
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
];

/// (singular, plural) for days, months and years.
pub const DAYS: [(&str, &str); 3] = [("jour", "jours"), ("dag", "dagen"), ("day", "days")];
pub const MONTH_UNITS: [(&str, &str); 3] =
    [("mois", "mois"), ("maand", "maanden"), ("month", "months")];
pub const YEARS: [(&str, &str); 3] = [("an", "ans"), ("jaar", "jaar"), ("year", "years")];

pub const YES_NO: [(&str, &str); 3] = [("oui", "non"), ("ja", "nee"), ("yes", "no")];

/// The word before the last item of a list.
pub const LIST_AND: [&str; 3] = ["et", "en", "and"];
