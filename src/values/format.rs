//! Values as a citizen reads them in a message, per language: "3 mai 2024",
//! "€ 15,00", "14h30", "oui", "2 maanden".

use super::{Duration, Lang, Value};
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use rust_decimal::Decimal;

#[path = "format_lexicon.rs"]
mod lexicon;

fn index(lang: Lang) -> usize {
    match lang {
        Lang::Fr => 0,
        Lang::Nl => 1,
        Lang::En => 2,
    }
}

pub fn month_name(month: u32, lang: Lang) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|m| lexicon::MONTHS[index(lang)].get(m as usize))
        .copied()
        .unwrap_or("")
}

pub fn weekday_name(d: NaiveDate, lang: Lang) -> &'static str {
    let i = d.weekday().num_days_from_monday() as usize;
    lexicon::WEEKDAYS[index(lang)].get(i).copied().unwrap_or("")
}

/// "3 mai 2024", "1er mai 2024", "3 mei 2024", "3 May 2024".
pub fn format_date(d: NaiveDate, lang: Lang) -> String {
    let day = if lang == Lang::Fr && d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!("{day} {} {}", month_name(d.month(), lang), d.year())
}

/// "lundi 3 mai 2024", "maandag 3 mei 2024", "Monday 3 May 2024".
pub fn format_date_long(d: NaiveDate, lang: Lang) -> String {
    format!("{} {}", weekday_name(d, lang), format_date(d, lang))
}

/// "14h30" (fr), "14.30 uur" (nl), "14:30" (en).
pub fn format_time(t: NaiveTime, lang: Lang) -> String {
    let (h, m) = (t.hour(), t.minute());
    match lang {
        Lang::Fr if m == 0 => format!("{h}h"),
        Lang::Fr => format!("{h}h{m:02}"),
        Lang::Nl => format!("{h}.{m:02} uur"),
        Lang::En => format!("{h}:{m:02}"),
    }
}

fn decimal_mark(lang: Lang) -> char {
    if lang == Lang::En {
        '.'
    } else {
        ','
    }
}

/// A number with the language's decimal mark, no trailing zeros.
pub fn format_number(d: Decimal, lang: Lang) -> String {
    d.normalize()
        .to_string()
        .replace('.', &decimal_mark(lang).to_string())
}

/// Digits grouped by thousands: "1 234,50" (fr), "1.234,50" (nl), "1,234.50" (en).
fn grouped_two_places(d: Decimal, lang: Lang) -> String {
    let mut r = d.abs().round_dp(2);
    r.rescale(2);
    let s = r.to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let sep = match lang {
        Lang::Fr => ' ',
        Lang::Nl => '.',
        Lang::En => ',',
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    format!("{grouped}{}{frac}", decimal_mark(lang))
}

/// "15,00 €" (fr), "€ 15,00" (nl), "€15.00" (en).
pub fn format_money(d: Decimal, lang: Lang) -> String {
    let sign = if d.is_sign_negative() && !d.is_zero() {
        "-"
    } else {
        ""
    };
    let amount = grouped_two_places(d, lang);
    match lang {
        Lang::Fr => format!("{sign}{amount} €"),
        Lang::Nl => format!("€ {sign}{amount}"),
        Lang::En => format!("{sign}€{amount}"),
    }
}

fn count(n: i32, unit: (&str, &str)) -> String {
    let word = if n.abs() == 1 { unit.0 } else { unit.1 };
    format!("{n} {word}")
}

/// "3 jours", "2 maanden", "1 year and 2 days".
pub fn format_duration(d: Duration, lang: Lang) -> String {
    let i = index(lang);
    let mut parts = Vec::new();
    if d.months != 0 {
        if d.months % 12 == 0 {
            parts.push(count(d.months / 12, lexicon::YEARS[i]));
        } else {
            parts.push(count(d.months, lexicon::MONTH_UNITS[i]));
        }
    }
    if d.days != 0 || parts.is_empty() {
        parts.push(count(d.days, lexicon::DAYS[i]));
    }
    join_list(parts, lang)
}

/// "a, b et c".
fn join_list(mut items: Vec<String>, lang: Lang) -> String {
    let Some(last) = items.pop() else {
        return String::new();
    };
    if items.is_empty() {
        return last;
    }
    format!(
        "{} {} {last}",
        items.join(", "),
        lexicon::LIST_AND[index(lang)]
    )
}

/// A value as it appears inside a message.
pub fn format_value(v: &Value, lang: Lang) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => {
            let (yes, no) = lexicon::YES_NO[index(lang)];
            (if *b { yes } else { no }).to_string()
        }
        Value::Number(d) => format_number(*d, lang),
        Value::Money(d) => format_money(*d, lang),
        Value::Text(s) => s.clone(),
        Value::Date(d) => format_date(*d, lang),
        Value::Time(t) => format_time(*t, lang),
        Value::Duration(d) => format_duration(*d, lang),
        Value::List(items) => {
            join_list(items.iter().map(|v| format_value(v, lang)).collect(), lang)
        }
        Value::Record(fields) => fields
            .iter()
            .map(|(k, v)| format!("{k}: {}", format_value(v, lang)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_in_three_languages() {
        let d = Value::Date(date(2024, 5, 3));
        assert_eq!(format_value(&d, Lang::Fr), "3 mai 2024");
        assert_eq!(format_value(&d, Lang::Nl), "3 mei 2024");
        assert_eq!(format_value(&d, Lang::En), "3 May 2024");
        assert_eq!(
            format_date_long(date(2024, 5, 3), Lang::Fr),
            "vendredi 3 mai 2024"
        );
        assert_eq!(
            format_date_long(date(2024, 5, 6), Lang::Nl),
            "maandag 6 mei 2024"
        );
        assert_eq!(
            format_date_long(date(2024, 5, 6), Lang::En),
            "Monday 6 May 2024"
        );
        assert_eq!(format_date(date(2024, 5, 1), Lang::Fr), "1er mai 2024");
        assert_eq!(month_name(13, Lang::Fr), "");
    }

    #[test]
    fn money_and_numbers() {
        let m = Value::Money(Decimal::new(15, 0));
        assert_eq!(format_value(&m, Lang::Fr), "15,00 €");
        assert_eq!(format_value(&m, Lang::Nl), "€ 15,00");
        assert_eq!(format_value(&m, Lang::En), "€15.00");
        assert_eq!(
            format_money(Decimal::new(123456, 2), Lang::Nl),
            "€ 1.234,56"
        );
        assert_eq!(format_money(Decimal::new(-5, 1), Lang::En), "-€0.50");
        assert_eq!(
            format_value(&Value::Number(Decimal::new(125, 1)), Lang::Fr),
            "12,5"
        );
        assert_eq!(
            format_value(&Value::Number(Decimal::new(1250, 2)), Lang::En),
            "12.5"
        );
    }

    #[test]
    fn times_booleans_lists_durations() {
        let t = Value::Time(NaiveTime::from_hms_opt(14, 30, 0).unwrap());
        assert_eq!(format_value(&t, Lang::Fr), "14h30");
        assert_eq!(format_value(&t, Lang::Nl), "14.30 uur");
        assert_eq!(format_value(&t, Lang::En), "14:30");
        assert_eq!(format_value(&Value::Bool(true), Lang::Nl), "ja");
        assert_eq!(format_value(&Value::Bool(false), Lang::Fr), "non");
        let l = Value::List(vec![Value::text("a"), Value::text("b"), Value::text("c")]);
        assert_eq!(format_value(&l, Lang::Fr), "a, b et c");
        assert_eq!(format_value(&l, Lang::En), "a, b and c");
        assert_eq!(
            format_value(&Value::Duration(Duration::days(3)), Lang::Fr),
            "3 jours"
        );
        assert_eq!(
            format_value(&Value::Duration(Duration::months(2)), Lang::Nl),
            "2 maanden"
        );
        assert_eq!(
            format_value(&Value::Duration(Duration::days(1)), Lang::En),
            "1 day"
        );
        assert_eq!(format_value(&Value::Null, Lang::En), "");
    }
}
