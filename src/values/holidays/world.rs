//! Feasts of other calendars (Orthodox, Islamic, Hebrew, Chinese, Hindu,
//! Sikh, Jain, Buddhist, Parsi), computed in `values::calendars`, and
//! observances of other countries.

use super::{Definition, Rule};

pub(super) const WORLD: &[Definition] = &[
    Definition {
        id: "chinese_new_year",
        rule: Rule::ChineseNewYear,
        names: ["Nouvel An chinois", "Chinees Nieuwjaar", "Chinese New Year"],
    },
    Definition {
        id: "orthodox_easter",
        rule: Rule::OrthodoxEaster(0),
        names: ["Pâques orthodoxe", "Orthodox Pasen", "Orthodox Easter"],
    },
    Definition {
        id: "orthodox_good_friday",
        rule: Rule::OrthodoxEaster(-2),
        names: [
            "Vendredi saint orthodoxe",
            "Orthodoxe Goede Vrijdag",
            "Orthodox Good Friday",
        ],
    },
    Definition {
        id: "eid_al_fitr",
        rule: Rule::Islamic(10, 1),
        names: ["Aïd el-Fitr", "Suikerfeest", "Eid al-Fitr"],
    },
    Definition {
        id: "eid_al_adha",
        rule: Rule::Islamic(12, 10),
        names: ["Aïd el-Kebir", "Offerfeest", "Eid al-Adha"],
    },
    Definition {
        id: "islamic_new_year",
        rule: Rule::Islamic(1, 1),
        names: [
            "Nouvel An musulman",
            "Islamitisch Nieuwjaar",
            "Islamic New Year",
        ],
    },
    Definition {
        id: "ramadan",
        rule: Rule::Islamic(9, 1),
        names: [
            "début du ramadan",
            "begin van de ramadan",
            "start of Ramadan",
        ],
    },
    Definition {
        id: "rosh_hashanah",
        rule: Rule::Hebrew("rosh_hashanah"),
        names: ["Roch Hachana", "Joods Nieuwjaar", "Rosh Hashanah"],
    },
    Definition {
        id: "yom_kippur",
        rule: Rule::Hebrew("yom_kippur"),
        names: ["Yom Kippour", "Jom Kipoer", "Yom Kippur"],
    },
    Definition {
        id: "sukkot",
        rule: Rule::Hebrew("sukkot"),
        names: ["Souccot", "Soekot", "Sukkot"],
    },
    Definition {
        id: "hanukkah",
        rule: Rule::Hebrew("hanukkah"),
        names: ["Hanoukka", "Chanoeka", "Hanukkah"],
    },
    Definition {
        id: "passover",
        rule: Rule::Hebrew("passover"),
        names: ["Pessa'h", "Pesach", "Passover"],
    },
    Definition {
        id: "shavuot",
        rule: Rule::Hebrew("shavuot"),
        names: ["Chavouot", "Sjavoeot", "Shavuot"],
    },
    Definition {
        id: "purim",
        rule: Rule::Hebrew("purim"),
        names: ["Pourim", "Poerim", "Purim"],
    },
    Definition {
        id: "orthodox_clean_monday",
        rule: Rule::OrthodoxEaster(-48),
        names: ["lundi pur", "Schone Maandag", "Clean Monday"],
    },
    Definition {
        id: "orthodox_lazarus_saturday",
        rule: Rule::OrthodoxEaster(-8),
        names: ["samedi de Lazare", "Lazaruszaterdag", "Lazarus Saturday"],
    },
    Definition {
        id: "ashura",
        rule: Rule::Islamic(1, 10),
        names: ["Achoura", "Asjoera", "Ashura"],
    },
    Definition {
        id: "mawlid",
        rule: Rule::Islamic(3, 12),
        names: ["Mawlid", "Mawlid", "Mawlid"],
    },
    Definition {
        id: "isra_miraj",
        rule: Rule::Islamic(7, 27),
        names: ["Isra et Miraj", "Isra en Miraj", "Isra and Mi'raj"],
    },
    Definition {
        id: "laylat_al_qadr",
        rule: Rule::Islamic(9, 27),
        names: ["Nuit du Destin", "Laylat al-Qadr", "Laylat al-Qadr"],
    },
    Definition {
        id: "jumuatul_wida",
        rule: Rule::IslamicLastFriday(9),
        names: [
            "dernier vendredi du ramadan",
            "laatste vrijdag van de ramadan",
            "Jumu'atul-Wida",
        ],
    },
    Definition {
        id: "shemini_atzeret",
        rule: Rule::Hebrew("shemini_atzeret"),
        names: ["Chemini Atseret", "Sjemini Atseret", "Shemini Atzeret"],
    },
    Definition {
        id: "simchat_torah",
        rule: Rule::Hebrew("simchat_torah"),
        names: ["Simhat Torah", "Simchat Tora", "Simchat Torah"],
    },
    Definition {
        id: "tisha_bav",
        rule: Rule::Hebrew("tisha_bav"),
        names: ["Tisha Beav", "Tisja BeAv", "Tisha B'Av"],
    },
    Definition {
        id: "yom_haatzmaut",
        rule: Rule::Hebrew("yom_haatzmaut"),
        names: ["Yom HaAtsmaout", "Jom Ha'atsmaoet", "Yom HaAtzmaut"],
    },
    Definition {
        id: "yom_hashoah",
        rule: Rule::Hebrew("yom_hashoah"),
        names: ["Yom HaShoah", "Jom Hasjoa", "Yom HaShoah"],
    },
    Definition {
        id: "lag_baomer",
        rule: Rule::Hebrew("lag_baomer"),
        names: ["Lag Baomer", "Lag Baomer", "Lag BaOmer"],
    },
    Definition {
        id: "tu_bishvat",
        rule: Rule::Hebrew("tu_bishvat"),
        names: ["Tou Bichvat", "Toe Bisjvat", "Tu BiShvat"],
    },
    Definition {
        id: "diwali",
        rule: Rule::Hindu("diwali"),
        names: ["Diwali", "Divali", "Diwali"],
    },
    Definition {
        id: "dhanteras",
        rule: Rule::Hindu("dhanteras"),
        names: ["Dhanteras", "Dhanteras", "Dhanteras"],
    },
    Definition {
        id: "choti_diwali",
        rule: Rule::Hindu("choti_diwali"),
        names: ["Choti Diwali", "Choti Diwali", "Choti Diwali"],
    },
    Definition {
        id: "bhai_dooj",
        rule: Rule::Hindu("bhai_dooj"),
        names: ["Bhai Dooj", "Bhai Dooj", "Bhai Dooj"],
    },
    Definition {
        id: "chhath",
        rule: Rule::Hindu("chhath"),
        names: ["Chhath", "Chhath", "Chhath Puja"],
    },
    Definition {
        id: "maha_saptami",
        rule: Rule::Hindu("maha_saptami"),
        names: ["Maha Saptami", "Maha Saptami", "Maha Saptami"],
    },
    Definition {
        id: "dussehra",
        rule: Rule::Hindu("dussehra"),
        names: ["Dussehra", "Dussehra", "Dussehra"],
    },
    Definition {
        id: "karva_chauth",
        rule: Rule::Hindu("karva_chauth"),
        names: ["Karva Chauth", "Karva Chauth", "Karva Chauth"],
    },
    Definition {
        id: "raksha_bandhan",
        rule: Rule::Hindu("raksha_bandhan"),
        names: ["Raksha Bandhan", "Raksha Bandhan", "Raksha Bandhan"],
    },
    Definition {
        id: "janmashtami",
        rule: Rule::Hindu("janmashtami"),
        names: ["Janmashtami", "Janmashtami", "Krishna Janmashtami"],
    },
    Definition {
        id: "ganesh_chaturthi",
        rule: Rule::Hindu("ganesh_chaturthi"),
        names: ["Ganesh Chaturthi", "Ganesh Chaturthi", "Ganesh Chaturthi"],
    },
    Definition {
        id: "rama_navami",
        rule: Rule::Hindu("rama_navami"),
        names: ["Rama Navami", "Rama Navami", "Rama Navami"],
    },
    Definition {
        id: "maha_shivaratri",
        rule: Rule::Hindu("maha_shivaratri"),
        names: ["Maha Shivaratri", "Maha Shivaratri", "Maha Shivaratri"],
    },
    Definition {
        id: "vasant_panchami",
        rule: Rule::Hindu("vasant_panchami"),
        names: ["Vasant Panchami", "Vasant Panchami", "Vasant Panchami"],
    },
    Definition {
        id: "holika_dahan",
        rule: Rule::Hindu("holika_dahan"),
        names: ["Holika Dahan", "Holika Dahan", "Holika Dahan"],
    },
    Definition {
        id: "holi",
        rule: Rule::Hindu("holi"),
        names: ["Holi", "Holi", "Holi"],
    },
    Definition {
        id: "ugadi",
        rule: Rule::Hindu("ugadi"),
        names: ["Ugadi", "Ugadi", "Ugadi"],
    },
    Definition {
        id: "ratha_yatra",
        rule: Rule::Hindu("ratha_yatra"),
        names: ["Ratha Yatra", "Ratha Yatra", "Ratha Yatra"],
    },
    Definition {
        id: "mahavir_jayanti",
        rule: Rule::Hindu("mahavir_jayanti"),
        names: ["Mahavir Jayanti", "Mahavir Jayanti", "Mahavir Jayanti"],
    },
    Definition {
        id: "ravidas_jayanti",
        rule: Rule::Hindu("ravidas_jayanti"),
        names: [
            "Guru Ravidas Jayanti",
            "Guru Ravidas Jayanti",
            "Guru Ravidas Jayanti",
        ],
    },
    Definition {
        id: "valmiki_jayanti",
        rule: Rule::Hindu("valmiki_jayanti"),
        names: ["Valmiki Jayanti", "Valmiki Jayanti", "Valmiki Jayanti"],
    },
    Definition {
        id: "guru_gobind_singh_jayanti",
        rule: Rule::Hindu("guru_gobind_singh_jayanti"),
        names: [
            "Guru Gobind Singh Jayanti",
            "Guru Gobind Singh Jayanti",
            "Guru Gobind Singh Jayanti",
        ],
    },
    Definition {
        id: "buddha_purnima",
        rule: Rule::Hindu("buddha_purnima"),
        names: ["Vesak", "Vesak", "Buddha Purnima"],
    },
    Definition {
        id: "makar_sankranti",
        rule: Rule::Hindu("makar_sankranti"),
        names: ["Makar Sankranti", "Makar Sankranti", "Makar Sankranti"],
    },
    Definition {
        id: "bhogi",
        rule: Rule::Hindu("bhogi"),
        names: ["Bhogi", "Bhogi", "Bhogi"],
    },
    Definition {
        id: "mattu_pongal",
        rule: Rule::Hindu("mattu_pongal"),
        names: ["Mattu Pongal", "Mattu Pongal", "Mattu Pongal"],
    },
    Definition {
        id: "kaanum_pongal",
        rule: Rule::Hindu("kaanum_pongal"),
        names: ["Kaanum Pongal", "Kaanum Pongal", "Kaanum Pongal"],
    },
    Definition {
        id: "vaisakhi",
        rule: Rule::Hindu("vaisakhi"),
        names: ["Vaisakhi", "Vaisakhi", "Vaisakhi"],
    },
    Definition {
        id: "rabindra_jayanti",
        rule: Rule::Hindu("rabindra_jayanti"),
        names: ["Rabindra Jayanti", "Rabindra Jayanti", "Rabindra Jayanti"],
    },
    Definition {
        id: "parsi_new_year",
        rule: Rule::ParsiNewYear,
        names: ["Nouvel An parsi", "Parsi Nieuwjaar", "Parsi New Year"],
    },
];
