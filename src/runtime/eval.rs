//! Evaluating expressions. Every node costs fuel from the turn's budget,
//! and every type mismatch the checker missed becomes a runtime error,
//! never a panic.

use super::RuntimeError;
use crate::compile::Program;
use crate::syntax::ast::{BinaryOp, DurationUnit, Expr, ExprKind, StrLit, StrPart, UnaryOp};
use crate::understand::extract::DateOrder;
use crate::understand::extract::{self, Context, DatePolicy};
use crate::understand::normalize::fold;
use crate::understand::Input;
use crate::values::format::{format_date_long, format_value, weekday_name};
use crate::values::{checkdigits, holidays, url, Duration, Lang, SlotType, Value};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use indexmap::IndexMap;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// What an expression can see.
pub struct Env<'a> {
    pub program: &'a Program,
    pub vars: &'a IndexMap<String, Value>,
    pub lang: Lang,
    pub now: NaiveDateTime,
    pub fuel: &'a mut u32,
    pub rng: &'a mut u64,
    /// The text `summary()` returns: the current form's slots with labels.
    pub summary: &'a str,
    /// The flow the current one interrupted, if it is a digression.
    pub interrupted: Option<&'a str>,
    /// The name of the flow whose variables these are: a choice slot
    /// interpolates as its option's label. Looked up only when a variable
    /// is shown, as most texts show none.
    pub flow: Option<&'a str>,
}

/// Lists inside lists a value may hold: a session keeps its values, and
/// saving, restoring and dropping one follows them level by level.
pub const MAX_LIST_DEPTH: usize = 32;

/// How many lists are inside each other in `v`, counted without recursion
/// and no further than `MAX_LIST_DEPTH`.
fn list_depth(v: &Value) -> usize {
    let mut level = vec![v];
    let mut depth = 0;
    while depth < MAX_LIST_DEPTH {
        let next: Vec<&Value> = level
            .iter()
            .filter_map(|v| match v {
                Value::List(items) => Some(items.iter()),
                _ => None,
            })
            .flatten()
            .collect();
        if next.is_empty() && !level.iter().any(|v| matches!(v, Value::List(_))) {
            break;
        }
        depth += 1;
        level = next;
    }
    depth
}

fn err(message: impl Into<String>) -> RuntimeError {
    RuntimeError::new("runtime", message)
}

impl<'a> Env<'a> {
    fn burn(&mut self) -> Result<(), RuntimeError> {
        if *self.fuel == 0 {
            return Err(RuntimeError::new(
                "out_of_fuel",
                "this turn took too many steps and was stopped",
            ));
        }
        *self.fuel -= 1;
        Ok(())
    }

    pub fn next_random(&mut self) -> u64 {
        next_random(self.rng)
    }

    pub fn eval(&mut self, e: &Expr) -> Result<Value, RuntimeError> {
        self.burn()?;
        Ok(match &e.kind {
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::Money(n) => Value::Money(*n),
            ExprKind::Date(d) => Value::Date(*d),
            ExprKind::Time(t) => Value::Time(*t),
            ExprKind::Duration(n, unit) => {
                let n = n
                    .trunc()
                    .to_i32()
                    .filter(|n| n.abs() <= 100_000)
                    .ok_or_else(|| err("this duration is too long"))?;
                Value::Duration(match unit {
                    DurationUnit::Day => Duration::days(n),
                    DurationUnit::Week => Duration::days(n * 7),
                    DurationUnit::Month => Duration::months(n),
                    DurationUnit::Year => Duration::months(n * 12),
                })
            }
            ExprKind::Str(s) => Value::Text(self.interpolate(s)?),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Nothing => Value::Null,
            ExprKind::List(items) => {
                let items: Vec<Value> = items
                    .iter()
                    .map(|i| self.eval(i))
                    .collect::<Result<_, _>>()?;
                if items.iter().any(|v| list_depth(v) >= MAX_LIST_DEPTH) {
                    return Err(RuntimeError::new(
                        "too_deep",
                        format!("lists are nested more than {MAX_LIST_DEPTH} deep"),
                    ));
                }
                Value::List(items)
            }
            ExprKind::Var(id) => self.vars.get(&id.name).cloned().unwrap_or(Value::Null),
            ExprKind::Field(base, name) => match self.eval(base)? {
                Value::Record(fields) => fields.get(&name.name).cloned().unwrap_or(Value::Null),
                Value::Null => Value::Null,
                other => {
                    return Err(err(format!(
                        "`.{}` asked of a {}, which has no fields",
                        name.name,
                        other.type_name()
                    )))
                }
            },
            ExprKind::Call(name, args) => {
                let mut values = Vec::with_capacity(args.len());
                for a in args {
                    values.push(if name.name == "lookup" || name.name == "rows" {
                        // The table argument is a name, not a variable.
                        match &a.kind {
                            ExprKind::Var(id) if values.is_empty() => Value::Text(id.name.clone()),
                            _ => self.eval(a)?,
                        }
                    } else {
                        self.eval(a)?
                    });
                }
                self.call(&name.name, values)?
            }
            ExprKind::Unary(op, inner) => {
                let v = self.eval(inner)?;
                match (op, v) {
                    (UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
                    (UnaryOp::Neg, Value::Number(n)) => Value::Number(-n),
                    (UnaryOp::Neg, Value::Money(n)) => Value::Money(-n),
                    (UnaryOp::Neg, Value::Duration(d)) => Value::Duration(d.negate()),
                    (op, v) => {
                        return Err(err(format!(
                            "`{}` cannot apply to a {}",
                            if *op == UnaryOp::Not { "not" } else { "-" },
                            v.type_name()
                        )))
                    }
                }
            }
            ExprKind::Binary(op, a, b) => match op {
                BinaryOp::And => Value::Bool(self.eval(a)?.is_true() && self.eval(b)?.is_true()),
                BinaryOp::Or => Value::Bool(self.eval(a)?.is_true() || self.eval(b)?.is_true()),
                _ => {
                    let a = self.eval(a)?;
                    let b = self.eval(b)?;
                    binary(*op, a, b)?
                }
            },
        })
    }

    /// A string with its `{expressions}` written for the citizen.
    pub fn interpolate(&mut self, s: &StrLit) -> Result<String, RuntimeError> {
        let mut out = String::new();
        for part in &s.parts {
            match part {
                StrPart::Lit(t) => out.push_str(t),
                StrPart::Interp(e) => {
                    let v = self.eval(e)?;
                    out.push_str(&self.display(e, &v));
                }
            }
        }
        Ok(out)
    }

    /// A link's address: each interpolated value is percent-encoded, so a
    /// citizen's text stays one piece of the address and cannot change
    /// where it goes. A value that opens the address and is a whole
    /// `https://` or `http://` address (a payment page a host returned) is
    /// kept as it is; `url_encode(...)` is not encoded twice.
    pub fn interpolate_url(&mut self, s: &StrLit) -> Result<String, RuntimeError> {
        let mut out = String::new();
        for part in &s.parts {
            match part {
                StrPart::Lit(t) => out.push_str(t),
                StrPart::Interp(e) => {
                    let v = self.eval(e)?;
                    let shown = self.display(e, &v);
                    let encoded = matches!(&e.kind, ExprKind::Call(f, _) if f.name == "url_encode");
                    if encoded || (out.is_empty() && url::is_web_address(&shown)) {
                        out.push_str(&shown);
                    } else {
                        out.push_str(&url::percent_encode(&shown));
                    }
                }
            }
        }
        Ok(out)
    }

    /// A value written for the citizen. A slot's value reads as citizens
    /// write it: a choice as its option's label ("premier véhicule", not
    /// `first`), a phone number or IBAN in groups.
    fn display(&self, e: &Expr, v: &Value) -> String {
        let flow = match &e.kind {
            ExprKind::Var(_) => self.flow.and_then(|name| self.program.flow(name)),
            _ => None,
        };
        let slot_type = match (&e.kind, flow) {
            (ExprKind::Var(id), Some(flow)) => flow
                .forms
                .iter()
                .flat_map(|f| &f.slots)
                .find(|s| s.name == id.name)
                .map(|s| &s.ty),
            _ => None,
        };
        match (slot_type, v) {
            (Some(SlotType::Choice(choice)), Value::Text(key)) => self
                .choice_label(choice, key)
                .map(str::to_string)
                .unwrap_or_else(|| key.clone()),
            (Some(SlotType::Phone), Value::Text(e164)) => group_phone(e164),
            (Some(SlotType::Iban), Value::Text(iban)) => group_by(iban, 4),
            _ => format_value(v, self.lang),
        }
    }

    fn choice_label(&self, choice: &str, key: &str) -> Option<&'a str> {
        let program: &'a Program = self.program;
        let option = program
            .choices
            .get(choice)?
            .options
            .iter()
            .find(|o| o.key == key)?;
        option
            .phrases
            .iter()
            .find(|(l, _)| *l == self.lang)
            .or(option.phrases.first())
            .map(|(_, label)| label.as_str())
    }

    fn today(&self) -> NaiveDate {
        self.now.date()
    }

    fn call(&mut self, name: &str, args: Vec<Value>) -> Result<Value, RuntimeError> {
        use Value as V;
        let country = self.program.country;
        let bad = || {
            err(format!(
                "`{name}` was called with arguments it does not take"
            ))
        };
        Ok(match (name, args.as_slice()) {
            ("today", []) => V::Date(self.today()),
            ("now", []) => V::Time(self.now.time()),
            ("year", [V::Date(d)]) => V::Number(d.year().into()),
            ("month", [V::Date(d)]) => V::Number(d.month().into()),
            ("day", [V::Date(d)]) => V::Number(d.day().into()),
            ("weekday", [V::Date(d)]) => V::Number(d.weekday().number_from_monday().into()),
            ("weekday_name", [V::Date(d)]) => V::text(weekday_name(*d, self.lang)),
            ("week", [V::Date(d)]) => V::Number(d.iso_week().week().into()),
            ("age", [V::Date(d)]) => V::Number(full_years(*d, self.today()).into()),
            ("days_between", [V::Date(a), V::Date(b)]) => V::Number((*b - *a).num_days().into()),
            ("easter", [V::Number(y)]) => year_of(y)
                .and_then(holidays::easter_sunday)
                .map(V::Date)
                .unwrap_or(V::Null),
            ("holiday", [V::Text(id), V::Number(y)]) => year_of(y)
                .and_then(|y| holidays::holiday_date(id, y))
                .map(V::Date)
                .unwrap_or(V::Null),
            ("is_holiday", [V::Date(d)]) => V::Bool(holidays::holiday_on(country, *d).is_some()),
            ("holiday_name", [V::Date(d)]) => V::text(
                holidays::holiday_on(country, *d)
                    .and_then(|h| holidays::holiday_name(h.id, self.lang))
                    .unwrap_or(""),
            ),
            ("next_working_day", [V::Date(d)]) => {
                let mut day = *d;
                for _ in 0..30 {
                    day = day.succ_opt().ok_or_else(|| err("no next day"))?;
                    let weekend = day.weekday().number_from_monday() > 5;
                    if !weekend && holidays::holiday_on(country, day).is_none() {
                        break;
                    }
                }
                V::Date(day)
            }
            ("format", [v]) => V::text(format_value(v, self.lang)),
            ("format_long", [V::Date(d)]) => V::text(format_date_long(*d, self.lang)),
            ("format_numeric", [V::Date(d)]) => V::text(match self.program.date_order {
                DateOrder::DayFirst => d.format("%d/%m/%Y").to_string(),
                DateOrder::MonthFirst => d.format("%m/%d/%Y").to_string(),
            }),
            ("url_encode", [V::Text(t)]) => V::text(url::percent_encode(t)),
            ("url_encode", [v]) => V::text(url::percent_encode(&format_value(v, self.lang))),
            ("upper", [V::Text(t)]) => V::text(t.to_uppercase()),
            ("lower", [V::Text(t)]) => V::text(t.to_lowercase()),
            ("length", [V::Text(t)]) => V::Number(t.chars().count().into()),
            ("length", [V::List(l)]) => V::Number(l.len().into()),
            ("length", [V::Null]) => V::Number(0.into()),
            ("contains", [V::Text(a), V::Text(b)]) => V::Bool(fold(a).contains(&fold(b))),
            ("round", [V::Number(n), V::Number(p)]) => V::Number(n.round_dp(places(p))),
            ("round", [V::Money(n), V::Number(p)]) => V::Money(n.round_dp(places(p))),
            ("min", [a, b]) => match compare(a, b)? {
                Some(std::cmp::Ordering::Greater) => b.clone(),
                _ => a.clone(),
            },
            ("max", [a, b]) => match compare(a, b)? {
                Some(std::cmp::Ordering::Less) => b.clone(),
                _ => a.clone(),
            },
            ("lookup", [V::Text(table), V::Text(col), value]) => self
                .table(table)?
                .iter()
                .find(|row| row.get(col).is_some_and(|v| loosely_equal(v, value)))
                .map(|row| V::Record(row.clone()))
                .unwrap_or(V::Null),
            ("rows", [V::Text(table), V::Text(col), value]) => V::List(
                self.table(table)?
                    .iter()
                    .filter(|row| row.get(col).is_some_and(|v| loosely_equal(v, value)))
                    .map(|row| V::Record(row.clone()))
                    .collect(),
            ),
            ("structured_communication", [V::Number(n)]) => V::text(
                checkdigits::structured_communication_from(n.abs().trunc().to_u64().unwrap_or(0)),
            ),
            ("new_structured_communication", []) => {
                let n = self.next_random() % 10_000_000_000;
                V::text(checkdigits::structured_communication_from(n))
            }
            ("summary", []) => V::text(self.summary),
            ("language", []) => V::text(self.lang.code()),
            ("interrupted", []) => self.interrupted.map(V::text).unwrap_or(V::Null),
            ("is_valid", [V::Text(text), V::Text(ty)]) => {
                let Some(ty) = SlotType::builtin(ty) else {
                    return Err(err(format!("`{ty}` is not a slot type")));
                };
                let input = Input::new(text);
                let ctx = Context {
                    lang: self.lang,
                    now: self.now,
                    policy: DatePolicy::Future,
                    order: self.program.date_order,
                    choice: None,
                };
                V::Bool(
                    extract::extract(&ty, &input, &ctx)
                        .best()
                        .is_some_and(|c| c.span.end - c.span.start >= text.trim().len()),
                )
            }
            (_, args) if args.iter().any(Value::is_null) => V::Null,
            _ => return Err(bad()),
        })
    }

    fn table(&self, name: &str) -> Result<&Vec<IndexMap<String, Value>>, RuntimeError> {
        self.program
            .tables
            .get(name)
            .ok_or_else(|| err(format!("there is no table `{name}`")))
    }
}

/// "+32470123456" → "+32 470 12 34 56", "+3222268888" → "+32 2 226 88 88";
/// other countries' numbers stay as they are.
fn group_phone(e164: &str) -> String {
    let Some(national) = e164.strip_prefix("+32") else {
        return e164.to_string();
    };
    let zone = match national.as_bytes().first() {
        Some(b'4') if national.len() == 9 => 3,
        Some(b'2' | b'3' | b'4' | b'9') => 1,
        _ => 2,
    };
    let (head, rest) = national.split_at(zone.min(national.len()));
    let mut out = format!("+32 {head}");
    // The rest reads in pairs, with a group of three first when it is odd.
    let first = if rest.len() % 2 == 1 { 3 } else { 2 };
    let mut at = 0;
    while at < rest.len() {
        let take = if at == 0 { first } else { 2 };
        let end = (at + take).min(rest.len());
        out.push(' ');
        out.push_str(&rest[at..end]);
        at = end;
    }
    out
}

fn group_by(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(n)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// splitmix64: small, seedable, the same on every platform.
pub fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn year_of(n: &Decimal) -> Option<i32> {
    n.trunc().to_i32().filter(|y| (1583..=9999).contains(y))
}

fn places(p: &Decimal) -> u32 {
    p.trunc().to_u32().unwrap_or(0).min(10)
}

/// Full years between two dates (an age).
pub fn full_years(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

pub fn add_duration(d: NaiveDate, dur: Duration) -> Option<NaiveDate> {
    let d = if dur.months >= 0 {
        d.checked_add_months(Months::new(dur.months as u32))?
    } else {
        d.checked_sub_months(Months::new(dur.months.unsigned_abs()))?
    };
    d.checked_add_signed(chrono::Duration::days(dur.days.into()))
}

/// Table cells and citizen values meet loosely: a text cell "2025-04-21"
/// equals a date, "first" equals the choice `first`.
fn loosely_equal(cell: &Value, value: &Value) -> bool {
    if cell == value {
        return true;
    }
    match (cell, value) {
        (Value::Text(t), other) | (other, Value::Text(t)) => {
            let o = other.to_normal_json();
            o.as_str().map_or_else(
                || o.to_string().as_str() == t.as_str(),
                |s| fold(s) == fold(t),
            )
        }
        _ => false,
    }
}

fn compare(a: &Value, b: &Value) -> Result<Option<std::cmp::Ordering>, RuntimeError> {
    use Value as V;
    Ok(match (a, b) {
        (V::Null, _) | (_, V::Null) => None,
        (V::Number(x), V::Number(y)) | (V::Money(x), V::Money(y)) => Some(x.cmp(y)),
        (V::Date(x), V::Date(y)) => Some(x.cmp(y)),
        (V::Time(x), V::Time(y)) => Some(x.cmp(y)),
        (V::Text(x), V::Text(y)) => Some(fold(x).cmp(&fold(y))),
        (V::Bool(x), V::Bool(y)) => Some(x.cmp(y)),
        (a, b) => {
            return Err(err(format!(
                "a {} cannot be compared with a {}",
                a.type_name(),
                b.type_name()
            )))
        }
    })
}

fn binary(op: BinaryOp, a: Value, b: Value) -> Result<Value, RuntimeError> {
    use BinaryOp as O;
    use Value as V;
    let overflow = || err("this calculation gives a number too large");
    Ok(match (op, a, b) {
        (O::Eq, a, b) => V::Bool(a == b || loosely_equal(&a, &b)),
        (O::Ne, a, b) => V::Bool(!(a == b || loosely_equal(&a, &b))),
        (O::Lt | O::Le | O::Gt | O::Ge, a, b) => {
            let ord = compare(&a, &b)?;
            V::Bool(match (op, ord) {
                (_, None) => false,
                (O::Lt, Some(o)) => o.is_lt(),
                (O::Le, Some(o)) => o.is_le(),
                (O::Gt, Some(o)) => o.is_gt(),
                (_, Some(o)) => o.is_ge(),
            })
        }
        (O::In, a, V::List(items)) => {
            V::Bool(items.iter().any(|i| i == &a || loosely_equal(i, &a)))
        }
        (O::In, V::Text(a), V::Text(b)) => V::Bool(fold(&b).contains(&fold(&a))),
        (O::Add, V::Number(x), V::Number(y)) => V::Number(x.checked_add(y).ok_or_else(overflow)?),
        (O::Add, V::Money(x), V::Money(y)) => V::Money(x.checked_add(y).ok_or_else(overflow)?),
        (O::Add, V::Text(x), V::Text(y)) => V::Text(x + &y),
        (O::Add, V::Date(d), V::Duration(p)) | (O::Add, V::Duration(p), V::Date(d)) => {
            V::Date(add_duration(d, p).ok_or_else(|| err("this date is out of range"))?)
        }
        (O::Add, V::Duration(p), V::Duration(q)) => V::Duration(Duration {
            months: p.months.saturating_add(q.months),
            days: p.days.saturating_add(q.days),
        }),
        (O::Sub, V::Number(x), V::Number(y)) => V::Number(x.checked_sub(y).ok_or_else(overflow)?),
        (O::Sub, V::Money(x), V::Money(y)) => V::Money(x.checked_sub(y).ok_or_else(overflow)?),
        (O::Sub, V::Date(d), V::Duration(p)) => {
            V::Date(add_duration(d, p.negate()).ok_or_else(|| err("this date is out of range"))?)
        }
        (O::Sub, V::Date(a), V::Date(b)) => V::Number((a - b).num_days().into()),
        (O::Mul, V::Number(x), V::Number(y)) => V::Number(x.checked_mul(y).ok_or_else(overflow)?),
        (O::Mul, V::Money(x), V::Number(y)) | (O::Mul, V::Number(y), V::Money(x)) => {
            V::Money(x.checked_mul(y).ok_or_else(overflow)?)
        }
        (O::Div, V::Number(x), V::Number(y)) => {
            V::Number(x.checked_div(y).ok_or_else(|| err("division by zero"))?)
        }
        (O::Div, V::Money(x), V::Number(y)) => {
            V::Money(x.checked_div(y).ok_or_else(|| err("division by zero"))?)
        }
        // A slot not yet filled makes arithmetic give nothing, not an error:
        // a rule that mentions another slot is checked once both are known.
        (_, V::Null, _) | (_, _, V::Null) => V::Null,
        (op, a, b) => {
            return Err(err(format!(
                "`{}` cannot combine a {} and a {}",
                op.symbol(),
                a.type_name(),
                b.type_name()
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_arithmetic_keeps_months_apart_from_days() {
        let d = NaiveDate::from_ymd_opt(2025, 1, 31).unwrap();
        assert_eq!(
            add_duration(d, Duration::months(1)),
            NaiveDate::from_ymd_opt(2025, 2, 28)
        );
        assert_eq!(
            add_duration(d, Duration::months(-36)),
            NaiveDate::from_ymd_opt(2022, 1, 31)
        );
    }

    #[test]
    fn phone_numbers_and_ibans_read_in_groups() {
        assert_eq!(group_phone("+32470123456"), "+32 470 12 34 56");
        assert_eq!(group_phone("+3222268888"), "+32 2 226 88 88");
        assert_eq!(group_phone("+3271123456"), "+32 71 12 34 56");
        assert_eq!(group_phone("+33612345678"), "+33612345678");
        assert_eq!(group_by("BE68539007547034", 4), "BE68 5390 0754 7034");
    }

    #[test]
    fn ages_count_full_years() {
        let born = NaiveDate::from_ymd_opt(2022, 5, 3).unwrap();
        assert_eq!(
            full_years(born, NaiveDate::from_ymd_opt(2025, 5, 2).unwrap()),
            2
        );
        assert_eq!(
            full_years(born, NaiveDate::from_ymd_opt(2025, 5, 3).unwrap()),
            3
        );
    }

    #[test]
    fn comparisons_with_nothing_are_false_not_errors() {
        assert_eq!(
            binary(BinaryOp::Lt, Value::Null, Value::Number(1.into())).unwrap(),
            Value::Bool(false)
        );
        assert!(binary(BinaryOp::Lt, Value::text("a"), Value::Number(1.into())).is_err());
    }
}
