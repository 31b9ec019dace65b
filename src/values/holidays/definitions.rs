//! The days of the Gregorian year: Belgium's and France's public holidays,
//! the feasts that follow Easter, and days people name as dates.

use super::{Definition, Rule};
use chrono::Weekday;

pub(super) const DEFINITIONS: &[Definition] = &[
    Definition {
        id: "new_year",
        rule: Rule::Fixed { month: 1, day: 1 },
        names: ["jour de l'An", "Nieuwjaar", "New Year's Day"],
    },
    Definition {
        id: "good_friday",
        rule: Rule::Easter(-2),
        names: ["Vendredi saint", "Goede Vrijdag", "Good Friday"],
    },
    Definition {
        id: "easter_sunday",
        rule: Rule::Easter(0),
        names: ["Pâques", "Pasen", "Easter Sunday"],
    },
    Definition {
        id: "easter_monday",
        rule: Rule::Easter(1),
        names: ["lundi de Pâques", "Paasmaandag", "Easter Monday"],
    },
    Definition {
        id: "labour_day",
        rule: Rule::Fixed { month: 5, day: 1 },
        names: ["fête du Travail", "Dag van de Arbeid", "Labour Day"],
    },
    Definition {
        id: "victory_day",
        rule: Rule::Fixed { month: 5, day: 8 },
        names: [
            "Victoire 1945",
            "Dag van de Overwinning",
            "Victory in Europe Day",
        ],
    },
    Definition {
        id: "ascension",
        rule: Rule::Easter(39),
        names: ["Ascension", "Onze-Lieve-Heer-Hemelvaart", "Ascension Day"],
    },
    Definition {
        id: "whit_sunday",
        rule: Rule::Easter(49),
        names: ["Pentecôte", "Pinksteren", "Whit Sunday"],
    },
    Definition {
        id: "whit_monday",
        rule: Rule::Easter(50),
        names: ["lundi de Pentecôte", "Pinkstermaandag", "Whit Monday"],
    },
    Definition {
        id: "flemish_community_day",
        rule: Rule::Fixed { month: 7, day: 11 },
        names: [
            "fête de la Communauté flamande",
            "Feestdag van de Vlaamse Gemeenschap",
            "Flemish Community Day",
        ],
    },
    Definition {
        id: "bastille_day",
        rule: Rule::Fixed { month: 7, day: 14 },
        names: [
            "fête nationale (14 juillet)",
            "Quatorze juillet",
            "Bastille Day",
        ],
    },
    Definition {
        id: "national_day",
        rule: Rule::Fixed { month: 7, day: 21 },
        names: [
            "fête nationale",
            "nationale feestdag",
            "Belgian National Day",
        ],
    },
    Definition {
        id: "assumption",
        rule: Rule::Fixed { month: 8, day: 15 },
        names: [
            "Assomption",
            "Onze-Lieve-Vrouw-Hemelvaart",
            "Assumption Day",
        ],
    },
    Definition {
        id: "french_community_day",
        rule: Rule::Fixed { month: 9, day: 27 },
        names: [
            "fête de la Fédération Wallonie-Bruxelles",
            "Feestdag van de Franse Gemeenschap",
            "French Community Day",
        ],
    },
    Definition {
        id: "all_saints",
        rule: Rule::Fixed { month: 11, day: 1 },
        names: ["Toussaint", "Allerheiligen", "All Saints' Day"],
    },
    Definition {
        id: "all_souls",
        rule: Rule::Fixed { month: 11, day: 2 },
        names: ["jour des Morts", "Allerzielen", "All Souls' Day"],
    },
    Definition {
        id: "armistice",
        rule: Rule::Fixed { month: 11, day: 11 },
        names: ["Armistice", "Wapenstilstand", "Armistice Day"],
    },
    Definition {
        id: "kings_feast",
        rule: Rule::Fixed { month: 11, day: 15 },
        names: ["fête du Roi", "Koningsdag", "King's Feast"],
    },
    Definition {
        id: "christmas_eve",
        rule: Rule::Fixed { month: 12, day: 24 },
        names: ["veille de Noël", "Kerstavond", "Christmas Eve"],
    },
    Definition {
        id: "christmas",
        rule: Rule::Fixed { month: 12, day: 25 },
        names: ["Noël", "Kerstmis", "Christmas Day"],
    },
    Definition {
        id: "boxing_day",
        rule: Rule::Fixed { month: 12, day: 26 },
        names: ["lendemain de Noël", "Tweede Kerstdag", "Boxing Day"],
    },
    Definition {
        id: "new_years_eve",
        rule: Rule::Fixed { month: 12, day: 31 },
        names: ["Saint-Sylvestre", "Oudejaarsavond", "New Year's Eve"],
    },
    // Days that are no public holiday but that people name as dates. The
    // Belgian date is the one a Belgian bot reads; the `us_` variants are
    // read only in US English (see `lexicon/dates/`, kind `holiday_us`).
    Definition {
        id: "sinterklaas",
        rule: Rule::Fixed { month: 12, day: 6 },
        names: ["Saint-Nicolas", "Sinterklaas", "St Nicholas Day"],
    },
    Definition {
        id: "nl_sinterklaas_eve",
        rule: Rule::Fixed { month: 12, day: 5 },
        names: [
            "veille de la Saint-Nicolas",
            "Pakjesavond",
            "St Nicholas' Eve",
        ],
    },
    Definition {
        id: "shrove_tuesday",
        rule: Rule::Easter(-47),
        names: ["Mardi gras", "Vastenavond", "Shrove Tuesday"],
    },
    Definition {
        id: "ash_wednesday",
        rule: Rule::Easter(-46),
        names: ["mercredi des Cendres", "Aswoensdag", "Ash Wednesday"],
    },
    Definition {
        id: "palm_sunday",
        rule: Rule::Easter(-7),
        names: ["dimanche des Rameaux", "Palmzondag", "Palm Sunday"],
    },
    Definition {
        id: "maundy_thursday",
        rule: Rule::Easter(-3),
        names: ["Jeudi saint", "Witte Donderdag", "Maundy Thursday"],
    },
    Definition {
        id: "holy_saturday",
        rule: Rule::Easter(-1),
        names: ["Samedi saint", "Stille Zaterdag", "Holy Saturday"],
    },
    Definition {
        id: "trinity_sunday",
        rule: Rule::Easter(56),
        names: [
            "dimanche de la Trinité",
            "Drievuldigheidszondag",
            "Trinity Sunday",
        ],
    },
    Definition {
        id: "valentines_day",
        rule: Rule::Fixed { month: 2, day: 14 },
        names: ["Saint-Valentin", "Valentijnsdag", "Valentine's Day"],
    },
    Definition {
        id: "st_patricks_day",
        rule: Rule::Fixed { month: 3, day: 17 },
        names: ["Saint-Patrick", "Sint-Patricksdag", "St Patrick's Day"],
    },
    Definition {
        id: "earth_day",
        rule: Rule::Fixed { month: 4, day: 22 },
        names: ["Jour de la Terre", "Dag van de Aarde", "Earth Day"],
    },
    Definition {
        id: "mothers_day",
        rule: Rule::Nth {
            month: 5,
            weekday: Weekday::Sun,
            nth: 2,
            offset: 0,
        },
        names: ["fête des Mères", "Moederdag", "Mother's Day"],
    },
    Definition {
        id: "fathers_day",
        rule: Rule::Nth {
            month: 6,
            weekday: Weekday::Sun,
            nth: 2,
            offset: 0,
        },
        names: ["fête des Pères", "Vaderdag", "Father's Day"],
    },
    Definition {
        id: "halloween",
        rule: Rule::Fixed { month: 10, day: 31 },
        names: ["Halloween", "Halloween", "Halloween"],
    },
    Definition {
        id: "thanksgiving",
        rule: Rule::Nth {
            month: 11,
            weekday: Weekday::Thu,
            nth: 4,
            offset: 0,
        },
        names: ["Thanksgiving", "Thanksgiving", "Thanksgiving"],
    },
    Definition {
        id: "black_friday",
        rule: Rule::Nth {
            month: 11,
            weekday: Weekday::Thu,
            nth: 4,
            offset: 1,
        },
        names: ["Black Friday", "Black Friday", "Black Friday"],
    },
    Definition {
        id: "cyber_monday",
        rule: Rule::Nth {
            month: 11,
            weekday: Weekday::Thu,
            nth: 4,
            offset: 4,
        },
        names: ["Cyber Monday", "Cyber Monday", "Cyber Monday"],
    },
    Definition {
        id: "nl_kings_day",
        rule: Rule::Fixed { month: 4, day: 27 },
        names: [
            "fête du Roi (Pays-Bas)",
            "Koningsdag",
            "King's Day (Netherlands)",
        ],
    },
    Definition {
        id: "nl_liberation_day",
        rule: Rule::Fixed { month: 5, day: 5 },
        names: [
            "jour de la Libération (Pays-Bas)",
            "Bevrijdingsdag",
            "Liberation Day (Netherlands)",
        ],
    },
    Definition {
        id: "mlk_day",
        rule: Rule::Nth {
            month: 1,
            weekday: Weekday::Mon,
            nth: 3,
            offset: 0,
        },
        names: [
            "jour de Martin Luther King",
            "Martin Luther Kingdag",
            "Martin Luther King Day",
        ],
    },
    Definition {
        id: "presidents_day",
        rule: Rule::Nth {
            month: 2,
            weekday: Weekday::Mon,
            nth: 3,
            offset: 0,
        },
        names: ["jour des Présidents", "Presidentendag", "Presidents' Day"],
    },
    Definition {
        id: "us_fathers_day",
        rule: Rule::Nth {
            month: 6,
            weekday: Weekday::Sun,
            nth: 3,
            offset: 0,
        },
        names: [
            "fête des Pères (États-Unis)",
            "Vaderdag (Verenigde Staten)",
            "Father's Day",
        ],
    },
    Definition {
        id: "us_independence_day",
        rule: Rule::Fixed { month: 7, day: 4 },
        names: [
            "fête de l'Indépendance américaine",
            "Onafhankelijkheidsdag (Verenigde Staten)",
            "Independence Day",
        ],
    },
    Definition {
        id: "us_labor_day",
        rule: Rule::Nth {
            month: 9,
            weekday: Weekday::Mon,
            nth: 1,
            offset: 0,
        },
        names: [
            "fête du Travail (États-Unis)",
            "Dag van de Arbeid (Verenigde Staten)",
            "Labor Day",
        ],
    },
    Definition {
        id: "mothering_sunday",
        rule: Rule::Easter(-21),
        names: [
            "fête des Mères (Royaume-Uni)",
            "Moederdag (Verenigd Koninkrijk)",
            "Mothering Sunday",
        ],
    },
    Definition {
        id: "ides_of_march",
        rule: Rule::Fixed { month: 3, day: 15 },
        names: ["Ides de mars", "Ides van maart", "Ides of March"],
    },
    Definition {
        id: "bosses_day",
        rule: Rule::NearestWeekday { month: 10, day: 16 },
        names: ["Journée des patrons", "Dag van de baas", "Boss's Day"],
    },
    Definition {
        id: "world_vegan_day",
        rule: Rule::Fixed { month: 11, day: 1 },
        names: [
            "Journée mondiale du véganisme",
            "Wereldvegandag",
            "World Vegan Day",
        ],
    },
    Definition {
        id: "guy_fawkes_night",
        rule: Rule::Fixed { month: 11, day: 5 },
        names: ["nuit de Guy Fawkes", "Guy Fawkes-avond", "Guy Fawkes Night"],
    },
    // England and Wales; Scotland's is the first Monday of August.
    Definition {
        id: "uk_summer_bank_holiday",
        rule: Rule::Nth {
            month: 8,
            weekday: Weekday::Mon,
            nth: -1,
            offset: 0,
        },
        names: [
            "jour férié d'août (Angleterre)",
            "augustus-bankholiday (Engeland)",
            "Summer Bank Holiday",
        ],
    },
];
