//! Scoring the extractors against test suites written elsewhere: one JSON
//! object a line (`id`, `suite`, `lang`, `text`, `expected`, `verified`,
//! `negative`, `reference`, `expected_future` / `expected_past`, `kind`...).
//!
//! The rows are data, not code: a line that cannot be read is reported with
//! its line number and skipped, and nothing here panics on what a file holds.

use crate::understand::extract::{self, phone, Context, DateOrder, DatePolicy, Extraction};
use crate::understand::normalize::Input;
use crate::values::checkdigits::{person_number_kind, PersonNumberKind};
use crate::values::{Lang, SlotType, Value};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Below this a candidate is a guess the bot would confirm, not a reading:
/// a negative row with only such guesses still counts as right.
pub const SURE: f32 = 0.5;

/// Which extractor a row is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Date,
    Number,
    Money,
    YesNo,
    Email,
    Phone,
    Url,
    Iban,
    /// A national register number, a BIS number, or either (`Any`).
    PersonNumber(PersonKind),
    /// A kind no extractor reads (URLs...).
    Unsupported,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonKind {
    NationalRegister,
    Bis,
    Any,
}

impl Family {
    /// From a sequence row's `kind`, or a number row's (`number`, `ordinal`).
    fn from_kind(kind: &str) -> Option<Family> {
        let kind = kind.to_ascii_lowercase();
        Some(match kind.as_str() {
            "number" | "ordinal" => Family::Number,
            "email" => Family::Email,
            "phone" => Family::Phone,
            "url" => Family::Url,
            "iban" => Family::Iban,
            "be_nn" | "be_national_number" => Family::PersonNumber(PersonKind::NationalRegister),
            "be_bis" | "be_bis_number" => Family::PersonNumber(PersonKind::Bis),
            k if k.starts_with("be_") && (k.contains("ssn") || k.contains("social_security")) => {
                Family::PersonNumber(PersonKind::Any)
            }
            k if k.contains("national") => Family::PersonNumber(PersonKind::Any),
            "date" => Family::Date,
            "money" | "currency" => Family::Money,
            "boolean" | "yesno" => Family::YesNo,
            _ => return None,
        })
    }

    /// From the name of a file or the start of a row id (`dates-00012`).
    fn from_name(name: &str) -> Option<Family> {
        let name = name.to_ascii_lowercase();
        if name.starts_with("date") {
            Some(Family::Date)
        } else if name.starts_with("number") {
            Some(Family::Number)
        } else if name.starts_with("money") || name.starts_with("currenc") {
            Some(Family::Money)
        } else if name.starts_with("boolean") || name.starts_with("yesno") {
            Some(Family::YesNo)
        } else {
            None
        }
    }

    fn slot_type(self) -> Option<SlotType> {
        Some(match self {
            Family::Date => SlotType::Date,
            Family::Number => SlotType::Number,
            Family::Money => SlotType::Money,
            Family::YesNo => SlotType::YesNo,
            Family::Email => SlotType::Email,
            Family::Phone => SlotType::Phone,
            Family::Url => SlotType::Url,
            Family::Iban => SlotType::Iban,
            Family::PersonNumber(_) => SlotType::NationalNumber,
            Family::Unsupported => return None,
        })
    }
}

/// Why a row was scored wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// No candidate and nothing refused.
    NothingFound,
    /// No candidate, but something was refused (the reason's code).
    Refused(String),
    WrongValue,
    FoundInNegativeRow,
    /// No extractor for this kind of row.
    Unsupported,
}

impl Failure {
    pub fn label(&self) -> String {
        match self {
            Failure::NothingFound => "nothing found".to_string(),
            Failure::Refused(code) => format!("refused ({code})"),
            Failure::WrongValue => "wrong value".to_string(),
            Failure::FoundInNegativeRow => "found in a negative row".to_string(),
            Failure::Unsupported => "unsupported".to_string(),
        }
    }
}

/// One row, read.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub suite: String,
    pub lang: String,
    pub text: String,
    pub verified: bool,
    pub negative: bool,
    pub family: Family,
    /// The row's `kind`, or the extractor's type when it has none.
    pub kind: String,
    pub expected: Expected,
    /// The suite's "now" for relative dates.
    pub reference: Option<NaiveDateTime>,
    /// The row's `locale` (`en-GB`, `nl-BE`), when it has one.
    pub locale: Option<String>,
}

impl Row {
    /// How the row's numeric dates are read: from its `locale`, else from
    /// its language, where a plain `en` is US English (month first).
    pub fn date_order(&self) -> DateOrder {
        self.locale
            .as_deref()
            .and_then(DateOrder::from_locale)
            .or_else(|| DateOrder::from_locale(&self.lang))
            .unwrap_or_default()
    }
}

/// What a row expects, read into the type its extractor gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    Nothing,
    Date(NaiveDate),
    Decimal(Decimal),
    Bool(bool),
    /// Compared without regard to case (e-mail addresses, IBANs).
    Text(String),
    /// A phone number as the suite writes it: E.164 with `+`, or digits.
    Phone(String),
    /// A web address as the suite writes it, with or without its scheme.
    Url(String),
    Unsupported,
}

/// A row read and run.
#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    pub id: String,
    pub suite: String,
    pub lang: String,
    pub kind: String,
    pub text: String,
    pub verified: bool,
    pub expected: String,
    pub got: Option<String>,
    pub rule: Option<String>,
    pub failure: Option<Failure>,
    /// How numeric dates were read for this row.
    pub order: DateOrder,
}

/// A line that could not be read as a row.
#[derive(Debug, Clone, Serialize)]
pub struct Malformed {
    pub file: String,
    pub line: usize,
    pub error: String,
}

fn field_str<'a>(obj: &'a serde_json::Map<String, Json>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Json::as_str)
}

fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    Decimal::from_str(s)
        .ok()
        .or_else(|| Decimal::from_scientific(s).ok())
        .map(|d| d.normalize())
}

fn parse_reference(s: &str) -> Option<NaiveDateTime> {
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(dt);
        }
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.naive_local())
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

fn json_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Null => "nothing".to_string(),
        other => other.to_string(),
    }
}

/// Reads one line. `file_hint` is the file's name, for rows that carry
/// neither a `kind` nor an id saying what they are.
pub fn parse_row(line: &str, file_hint: &str, policy: DatePolicy) -> Result<Row, String> {
    let json: Json = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let Json::Object(obj) = json else {
        return Err("not a JSON object".to_string());
    };
    let text = field_str(&obj, "text")
        .ok_or("no `text` string")?
        .to_string();
    let id = obj
        .get("id")
        .map(json_text)
        .unwrap_or_else(|| "?".to_string());
    let suite = field_str(&obj, "suite").unwrap_or("?").to_string();
    let lang = field_str(&obj, "lang").unwrap_or("any").to_string();
    let verified = obj.get("verified").and_then(Json::as_bool).unwrap_or(false);
    let expected_json = obj.get("expected").unwrap_or(&Json::Null);
    let negative = obj
        .get("negative")
        .and_then(Json::as_bool)
        .unwrap_or(expected_json.is_null());
    let reference = match obj.get("reference") {
        Some(Json::String(s)) => Some(
            parse_reference(s)
                .ok_or_else(|| format!("`reference` {s:?} is not a date and time"))?,
        ),
        _ => None,
    };

    let family = field_str(&obj, "kind")
        .and_then(Family::from_kind)
        .or_else(|| Family::from_name(&id))
        .or_else(|| Family::from_name(file_hint))
        .or_else(|| {
            if obj.contains_key("reference") {
                Some(Family::Date)
            } else if expected_json.is_boolean() {
                Some(Family::YesNo)
            } else if obj.contains_key("currency") {
                Some(Family::Money)
            } else {
                None
            }
        })
        .unwrap_or(Family::Unsupported);

    let kind = field_str(&obj, "kind")
        .map(str::to_string)
        .or_else(|| family.slot_type().map(|t| t.name().to_string()))
        .unwrap_or_else(|| "?".to_string());
    let expected = if family == Family::Unsupported {
        Expected::Unsupported
    } else if negative {
        Expected::Nothing
    } else {
        read_expected(&obj, family, policy)?
    };
    Ok(Row {
        id,
        suite,
        lang,
        text,
        verified,
        negative,
        family,
        kind,
        expected,
        reference,
        locale: field_str(&obj, "locale").map(str::to_string),
    })
}

fn read_expected(
    obj: &serde_json::Map<String, Json>,
    family: Family,
    policy: DatePolicy,
) -> Result<Expected, String> {
    let expected = obj.get("expected").unwrap_or(&Json::Null);
    let as_str = |v: &Json| -> Option<String> {
        match v {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    Ok(match family {
        Family::Date => {
            let key = match policy {
                DatePolicy::Future => "expected_future",
                DatePolicy::Past => "expected_past",
            };
            let s = field_str(obj, key)
                .or_else(|| expected.as_str())
                .ok_or("no `expected` date")?;
            Expected::Date(
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                    .map_err(|_| format!("`expected` {s:?} is not YYYY-MM-DD"))?,
            )
        }
        Family::Number | Family::Money => {
            let s = as_str(expected).ok_or("no `expected` number")?;
            Expected::Decimal(
                parse_decimal(&s).ok_or_else(|| format!("`expected` {s:?} is not a decimal"))?,
            )
        }
        Family::YesNo => Expected::Bool(expected.as_bool().ok_or("`expected` is not a boolean")?),
        Family::Phone => {
            let s = field_str(obj, "digits")
                .map(str::to_string)
                .or_else(|| as_str(expected))
                .ok_or("no `expected` phone number")?;
            Expected::Phone(s)
        }
        Family::Url => Expected::Url(as_str(expected).ok_or("no `expected` address")?),
        Family::Email | Family::Iban | Family::PersonNumber(_) => {
            Expected::Text(as_str(expected).ok_or("no `expected` text")?)
        }
        Family::Unsupported => Expected::Unsupported,
    })
}

/// "Now" for a date row without a reference: such rows carry their year,
/// and a fixed clock keeps the figures the same from one day to the next.
fn default_now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2020, 1, 1)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .unwrap_or_default()
}

fn row_lang(lang: &str) -> Lang {
    // Language-independent rows (`any`: IBANs, national numbers) and
    // unknown codes are read in English; the prefix covers `nl-BE` and co.
    let prefix = lang.split(['-', '_']).next().unwrap_or(lang);
    Lang::from_str(prefix).unwrap_or(Lang::En)
}

fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The suite's phone written internationally as E.164: "00" is the
/// international prefix, so "004407456934723" is "+4407456934723", and a
/// trunk 0 written after the country code ("+44 (0)7...") is not dialled
/// from abroad, so "+4407456934723" is "+447456934723" (except where the 0
/// belongs to the number: Italy's "+39 06..."). Other writings are kept.
fn phone_as_e164(expected: &str) -> String {
    let e = expected.trim();
    let digits = digits_of(e);
    let international = if e.starts_with('+') {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00").filter(|_| e.starts_with("00"))
    };
    let Some(full) = international else {
        return e.to_string();
    };
    let Some(cc_len) = phone::country_code_len(full) else {
        return e.to_string();
    };
    let (cc, nsn) = full.split_at(cc_len);
    let nsn = match nsn.strip_prefix('0') {
        Some(rest) if !phone::LEADING_ZERO_KEPT.contains(&cc) => rest,
        _ => nsn,
    };
    format!("+{cc}{nsn}")
}

/// The suite's phone and the extractor's value are the same number: equal
/// once the suite's is written as E.164 (see `phone_as_e164`); without an
/// international prefix, the same digits, or the national digits (trunk 0
/// dropped) after the country code the extractor read.
pub fn phone_matches(expected: &str, got: &str) -> bool {
    let expected = phone_as_e164(expected);
    let (e, g) = (digits_of(&expected), digits_of(got));
    if e.is_empty() {
        return false;
    }
    if expected.starts_with('+') {
        return e == g && got.trim_start().starts_with('+');
    }
    if e == g {
        return true;
    }
    let national = e.trim_start_matches('0');
    !national.is_empty()
        && got.starts_with('+')
        && g.ends_with(national)
        && g.len() > national.len()
        && g.len() - national.len() <= 3
}

/// The suite's address and the extractor's normal form, without regard to
/// case; when the suite writes none, the scheme the extractor added is left out.
pub fn url_matches(expected: &str, got: &str) -> bool {
    let (e, g) = (expected.trim(), got.trim());
    if e.eq_ignore_ascii_case(g) {
        return true;
    }
    !e.contains("://")
        && g.split_once("://")
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(e))
}

fn person_kind_fits(kind: PersonKind, digits: &str) -> bool {
    match (kind, person_number_kind(digits)) {
        (_, None) => false,
        (PersonKind::Any, Some(_)) => true,
        (PersonKind::NationalRegister, Some(k)) => k == PersonNumberKind::NationalRegister,
        (PersonKind::Bis, Some(k)) => k == PersonNumberKind::Bis,
    }
}

fn value_text(v: &Value) -> String {
    match v.to_normal_json() {
        Json::String(s) => s,
        other => other.to_string(),
    }
}

/// Suites write 1/3 as 0.333333333333333 and compute powers in floating
/// point, so numbers are equal when they agree to twelve significant
/// digits; exact decimals still compare exactly.
fn same_number(expected: Decimal, got: Decimal) -> bool {
    if expected.normalize() == got.normalize() {
        return true;
    }
    let diff = (expected - got).abs();
    let scale = expected.abs().max(got.abs());
    scale
        .checked_mul(Decimal::new(1, 12))
        .is_some_and(|tolerance| diff <= tolerance)
}

/// Whether the extracted value is the one the row expects.
pub fn value_matches(expected: &Expected, family: Family, got: &Value) -> bool {
    match (expected, got) {
        (Expected::Date(e), Value::Date(g)) => e == g,
        (Expected::Decimal(e), Value::Number(g) | Value::Money(g)) => same_number(*e, *g),
        (Expected::Bool(e), Value::Bool(g)) => e == g,
        (Expected::Phone(e), Value::Text(g)) => phone_matches(e, g),
        (Expected::Url(e), Value::Text(g)) => url_matches(e, g),
        (Expected::Text(e), Value::Text(g)) => {
            let same = e.trim().eq_ignore_ascii_case(g.trim())
                || compact(e).eq_ignore_ascii_case(&compact(g));
            match family {
                Family::PersonNumber(kind) => same && person_kind_fits(kind, &digits_of(g)),
                _ => same,
            }
        }
        _ => false,
    }
}

fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-'))
        .collect()
}

/// The candidates that count for this row: a BIS number is not an answer
/// to a row about national register numbers, nor the reverse.
fn relevant(family: Family, found: &Extraction) -> Vec<&extract::Candidate> {
    found
        .candidates
        .iter()
        .filter(|c| match (family, &c.value) {
            (Family::PersonNumber(kind), Value::Text(t)) => person_kind_fits(kind, t),
            _ => true,
        })
        .collect()
}

/// Runs the row's extractor and scores what it found.
pub fn score(row: &Row, policy: DatePolicy) -> Scored {
    let expected_text = match &row.expected {
        Expected::Nothing => "nothing".to_string(),
        Expected::Date(d) => d.format("%Y-%m-%d").to_string(),
        Expected::Decimal(d) => d.to_string(),
        Expected::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Expected::Text(s) | Expected::Phone(s) | Expected::Url(s) => s.clone(),
        Expected::Unsupported => "?".to_string(),
    };
    let mut scored = Scored {
        id: row.id.clone(),
        suite: row.suite.clone(),
        lang: row.lang.clone(),
        kind: row.kind.clone(),
        text: row.text.clone(),
        verified: row.verified,
        expected: expected_text,
        got: None,
        rule: None,
        failure: None,
        order: row.date_order(),
    };
    let Some(ty) = row.family.slot_type() else {
        scored.failure = Some(Failure::Unsupported);
        return scored;
    };
    let ctx = Context {
        lang: row_lang(&row.lang),
        now: row.reference.unwrap_or_else(default_now),
        policy,
        order: scored.order,
        choice: None,
    };
    let found = extract::extract(&ty, &Input::new(&row.text), &ctx);
    let candidates = relevant(row.family, &found);
    let best = candidates.first();
    if let Some(c) = best {
        scored.got = Some(value_text(&c.value));
        scored.rule = Some(c.rule.clone());
    }
    scored.failure = if row.negative {
        candidates
            .iter()
            .any(|c| c.confidence >= SURE)
            .then_some(Failure::FoundInNegativeRow)
    } else {
        match best {
            Some(c) if value_matches(&row.expected, row.family, &c.value) => None,
            Some(_) => Some(Failure::WrongValue),
            None => match found.rejected.first() {
                Some(r) => Some(Failure::Refused(r.reason.code().to_string())),
                None => Some(Failure::NothingFound),
            },
        }
    };
    scored
}

/// Counts for one group of rows (a file, suite and language).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    pub rows: usize,
    pub verified: usize,
    pub correct: usize,
    pub unverified: usize,
    pub unverified_correct: usize,
    /// Failures among verified rows, by label.
    pub failures: BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, s: &Scored) {
        self.rows += 1;
        let right = s.failure.is_none();
        if s.verified {
            self.verified += 1;
            if right {
                self.correct += 1;
            }
            if let Some(f) = &s.failure {
                *self.failures.entry(f.label()).or_default() += 1;
            }
        } else {
            self.unverified += 1;
            if right {
                self.unverified_correct += 1;
            }
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.rows += other.rows;
        self.verified += other.verified;
        self.correct += other.correct;
        self.unverified += other.unverified;
        self.unverified_correct += other.unverified_correct;
        for (k, n) in &other.failures {
            *self.failures.entry(k.clone()).or_default() += n;
        }
    }

    /// Percentage right among verified rows; `None` without any.
    pub fn accuracy(&self) -> Option<f64> {
        (self.verified > 0).then(|| 100.0 * self.correct as f64 / self.verified as f64)
    }

    pub fn unverified_accuracy(&self) -> Option<f64> {
        (self.unverified > 0)
            .then(|| 100.0 * self.unverified_correct as f64 / self.unverified as f64)
    }

    /// The commonest failure kinds, commonest first.
    pub fn top_failures(&self, n: usize) -> Vec<(String, usize)> {
        let mut all: Vec<_> = self.failures.iter().map(|(k, v)| (k.clone(), *v)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }
}

/// One file's results.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReport {
    pub file: String,
    /// By (suite, lang, kind).
    pub groups: BTreeMap<(String, String, String), Tally>,
    pub malformed: Vec<Malformed>,
    /// Every scored row, in file order, with its line number.
    pub scored: Vec<(usize, Scored)>,
}

impl FileReport {
    /// For each language, how many date rows were read in each date order.
    pub fn date_orders(&self) -> BTreeMap<String, BTreeMap<&'static str, usize>> {
        let mut orders: BTreeMap<String, BTreeMap<&'static str, usize>> = BTreeMap::new();
        for (_, s) in &self.scored {
            if s.kind == "date" {
                *orders
                    .entry(s.lang.clone())
                    .or_default()
                    .entry(s.order.name())
                    .or_default() += 1;
            }
        }
        orders
    }

    pub fn total(&self) -> Tally {
        let mut t = Tally::default();
        for g in self.groups.values() {
            t.merge(g);
        }
        t
    }
}

/// Reads and scores every line of one file's contents. Blank lines are
/// skipped silently; unreadable ones are listed in `malformed`.
pub fn evaluate(file: &str, contents: &str, policy: DatePolicy) -> FileReport {
    let hint = std::path::Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file);
    let mut report = FileReport {
        file: file.to_string(),
        ..FileReport::default()
    };
    for (i, line) in contents.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        match parse_row(line, hint, policy) {
            Ok(row) => {
                let scored = score(&row, policy);
                report
                    .groups
                    .entry((
                        scored.suite.clone(),
                        scored.lang.clone(),
                        scored.kind.clone(),
                    ))
                    .or_default()
                    .add(&scored);
                report.scored.push((line_no, scored));
            }
            Err(error) => report.malformed.push(Malformed {
                file: file.to_string(),
                line: line_no,
                error,
            }),
        }
    }
    report
}

/// The tally over several files.
pub fn overall(reports: &[FileReport]) -> Tally {
    let mut t = Tally::default();
    for r in reports {
        t.merge(&r.total());
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str, policy: DatePolicy) -> Scored {
        let row = parse_row(line, "x.jsonl", policy).expect("row reads");
        score(&row, policy)
    }

    #[test]
    fn rows_are_read_in_their_locale_date_order() {
        let us = r#"{"id":"d1","suite":"s","lang":"en","text":"3/7/2025","reference":"2025-01-01T00:00:00","expected":"2025-03-07","verified":true}"#;
        let gb = r#"{"id":"d2","suite":"s","lang":"en","locale":"en-GB","text":"3/7/2025","reference":"2025-01-01T00:00:00","expected":"2025-07-03","verified":true}"#;
        let nl = r#"{"id":"d3","suite":"s","lang":"nl","text":"3/7/2025","reference":"2025-01-01T00:00:00","expected":"2025-07-03","verified":true}"#;
        for (line, order) in [
            (us, DateOrder::MonthFirst),
            (gb, DateOrder::DayFirst),
            (nl, DateOrder::DayFirst),
        ] {
            let s = run(line, DatePolicy::Future);
            assert_eq!(s.failure, None, "{line}");
            assert_eq!(s.order, order);
        }
        let report = evaluate("dates.jsonl", &[us, gb, nl].join("\n"), DatePolicy::Future);
        let orders = report.date_orders();
        assert_eq!(orders["en"]["month-first"], 1);
        assert_eq!(orders["en"]["day-first"], 1);
        assert_eq!(orders["nl"]["day-first"], 1);
    }

    #[test]
    fn dates_follow_the_policy() {
        let line = r#"{"id":"dates-1","suite":"s","lang":"fr","text":"le 22/04","reference":"2024-05-10T00:00:00","expected":"2025-04-22","expected_future":"2025-04-22","expected_past":"2024-04-22","verified":true}"#;
        assert_eq!(run(line, DatePolicy::Future).failure, None);
        assert_eq!(run(line, DatePolicy::Past).failure, None);
        let past = parse_row(line, "x", DatePolicy::Past).unwrap();
        assert_eq!(
            past.expected,
            Expected::Date(NaiveDate::from_ymd_opt(2024, 4, 22).unwrap())
        );
    }

    #[test]
    fn decimals_compare_by_value() {
        let line = r#"{"id":"numbers-1","suite":"s","lang":"en","text":"twenty-three","expected":"23.0","kind":"number","verified":true}"#;
        assert_eq!(run(line, DatePolicy::Future).failure, None);
        assert_eq!(parse_decimal("1E-12"), Some(Decimal::new(1, 12)));
        let third = r#"{"id":"numbers-2","suite":"s","lang":"en","text":"one third","expected":"0.333333333333333","kind":"number","verified":true}"#;
        assert_eq!(run(third, DatePolicy::Future).failure, None);
        assert!(!same_number(Decimal::new(3333, 4), Decimal::new(3334, 4)));
        assert!(!same_number(Decimal::new(100, 0), Decimal::new(101, 0)));
    }

    #[test]
    fn negative_rows_want_nothing() {
        let line = r#"{"id":"money-1","suite":"s","lang":"en","text":"per cent","expected":null,"negative":true,"verified":true}"#;
        let s = run(line, DatePolicy::Future);
        assert_eq!(s.failure, None, "{s:?}");
        let wrong = r#"{"id":"money-2","suite":"s","lang":"en","text":"it costs 12 euros","expected":null,"negative":true,"verified":true}"#;
        assert_eq!(
            run(wrong, DatePolicy::Future).failure,
            Some(Failure::FoundInNegativeRow)
        );
    }

    #[test]
    fn validators_score_valid_and_invalid() {
        let valid = r#"{"id":"x","suite":"stdnum","lang":"any","text":"BE68 5390 0754 7034","expected":"BE68539007547034","kind":"iban","verified":true}"#;
        assert_eq!(run(valid, DatePolicy::Future).failure, None);
        let invalid = r#"{"id":"y","suite":"stdnum","lang":"any","text":"BE68 5390 0754 7035","expected":null,"negative":true,"kind":"iban","verified":true}"#;
        assert_eq!(run(invalid, DatePolicy::Future).failure, None);
        let wrong_kind = r#"{"id":"z","suite":"stdnum","lang":"any","text":"85.07.30-033 28","expected":"85073003328","kind":"be_bis_number","verified":true}"#;
        assert_ne!(run(wrong_kind, DatePolicy::Future).failure, None);
    }

    #[test]
    fn phones_match_by_digits_or_e164() {
        assert!(phone_matches("+31123456789", "+31123456789"));
        assert!(!phone_matches("+31123456789", "+32123456789"));
        assert!(phone_matches("0470123456", "+32470123456"));
        assert!(!phone_matches("0470123456", "+32470123457"));
        assert!(!phone_matches("", "+32470123456"));
        // The international prefix 00 and a trunk (0) after the country code.
        assert!(phone_matches("004407456934723", "+447456934723"));
        assert!(phone_matches("+4401134960009", "+441134960009"));
        assert!(phone_matches("00 49 176 12345678", "+4917612345678"));
        assert!(!phone_matches("004407456934723", "+447456934724"));
        assert!(!phone_matches("004407456934723", "+4407456934723"));
        // Italy keeps the 0: "+39 012..." is not "+39 12...".
        assert!(phone_matches("+3901223411111", "+3901223411111"));
        assert!(!phone_matches("+3901223411111", "+391223411111"));
        // A number kept as its digits is not the E.164 one it might be.
        assert!(!phone_matches("+447456934723", "447456934723"));
        // "00" before no country code is not the international prefix.
        assert!(phone_matches("000111822100", "000111822100"));
    }

    #[test]
    fn urls_match_with_or_without_the_added_scheme() {
        assert!(url_matches("www.abc.com", "https://www.abc.com"));
        assert!(url_matches("http://abc.com/A", "http://abc.com/a"));
        assert!(!url_matches("http://abc.com", "https://abc.com"));
        assert!(!url_matches("abc.com", "https://abc.org"));
    }

    #[test]
    fn unreadable_rows_are_reported_not_fatal() {
        let contents = "{\"id\":1\n\n[1,2]\n{\"id\":\"u\",\"text\":\"10.0.0.1\",\"kind\":\"ip\",\"expected\":\"10.0.0.1\",\"verified\":true}\n{\"id\":\"dates-9\",\"text\":\"x\",\"expected\":\"not a date\",\"verified\":true}\n";
        let r = evaluate("f.jsonl", contents, DatePolicy::Future);
        let lines: Vec<usize> = r.malformed.iter().map(|m| m.line).collect();
        assert_eq!(lines, vec![1, 3, 5]);
        let t = r.total();
        assert_eq!((t.rows, t.verified, t.correct), (1, 1, 0));
        assert_eq!(t.failures.get("unsupported"), Some(&1));
        assert_eq!(t.accuracy(), Some(0.0));
    }
}
