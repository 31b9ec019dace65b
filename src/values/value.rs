//! The runtime value of every expression, slot and variable.

use chrono::{NaiveDate, NaiveTime};
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A calendar duration: months and days are kept apart because
/// "one month after 31 January" is not "30 days after".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Duration {
    pub months: i32,
    pub days: i32,
}

impl Duration {
    pub fn days(days: i32) -> Self {
        Duration { months: 0, days }
    }
    pub fn months(months: i32) -> Self {
        Duration { months, days: 0 }
    }
    pub fn negate(self) -> Self {
        Duration {
            months: -self.months,
            days: -self.days,
        }
    }
}

/// A value. Money and numbers are exact decimals: no amount is ever a float.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "t", content = "v", rename_all = "lowercase")]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Decimal),
    Money(Decimal),
    Text(String),
    Date(NaiveDate),
    Time(NaiveTime),
    Duration(Duration),
    List(Vec<Value>),
    Record(IndexMap<String, Value>),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The normal form hosts see (host protocol): dates `YYYY-MM-DD`, times
    /// `HH:MM`, money with two decimals, texts as they are.
    pub fn to_normal_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(d) => {
                let d = d.normalize();
                if d.fract().is_zero() {
                    if let Ok(i) = i64::try_from(d) {
                        return J::from(i);
                    }
                }
                J::String(d.to_string())
            }
            Value::Money(d) => J::String(format_money_normal(*d)),
            Value::Text(s) => J::String(s.clone()),
            Value::Date(d) => J::String(d.format("%Y-%m-%d").to_string()),
            Value::Time(t) => J::String(t.format("%H:%M").to_string()),
            Value::Duration(d) => serde_json::json!({"months": d.months, "days": d.days}),
            Value::List(items) => J::Array(items.iter().map(Value::to_normal_json).collect()),
            Value::Record(fields) => J::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_normal_json()))
                    .collect(),
            ),
        }
    }

    /// Reads a host-supplied JSON value (an action result) into a value.
    /// Strings that look like dates stay text: the flow's declared result
    /// types decide, see `coerce`.
    pub fn from_json(json: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match json {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => n
                .to_string()
                .parse::<Decimal>()
                .or_else(|_| Decimal::from_scientific(&n.to_string()))
                .map(Value::Number)
                .unwrap_or(Value::Null),
            J::String(s) => Value::Text(s.clone()),
            J::Array(items) => Value::List(items.iter().map(Value::from_json).collect()),
            J::Object(map) => Value::Record(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Reads a host's value with the type the flow declared for it: the
    /// text "2025-04-10" for a `date` field is a date. A value that does
    /// not read as the type stays as it is.
    pub fn coerce(self, ty: &crate::values::Type) -> Value {
        use crate::values::Type;
        let text = match &self {
            Value::Text(t) => t.trim().to_string(),
            Value::Number(n) if *ty == Type::Money => return Value::Money(*n),
            _ => return self,
        };
        let read = match ty {
            Type::Date => chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .ok()
                .map(Value::Date),
            Type::Time => NaiveTime::parse_from_str(&text, "%H:%M")
                .ok()
                .map(Value::Time),
            Type::Money => text.parse::<Decimal>().ok().map(Value::Money),
            Type::Number => text.parse::<Decimal>().ok().map(Value::Number),
            _ => None,
        };
        read.unwrap_or(self)
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "yes/no",
            Value::Number(_) => "number",
            Value::Money(_) => "money",
            Value::Text(_) => "text",
            Value::Date(_) => "date",
            Value::Time(_) => "time",
            Value::Duration(_) => "duration",
            Value::List(_) => "list",
            Value::Record(_) => "record",
        }
    }

    /// Truthiness for conditions: only `yes` is true; nothing else is
    /// silently converted, the checker makes sure conditions are yes/no.
    pub fn is_true(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
}

/// `12.5` → `"12.50"`.
pub fn format_money_normal(d: Decimal) -> String {
    let mut r = d.round_dp(2);
    r.rescale(2);
    r.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_normal_form_has_two_places() {
        assert_eq!(format_money_normal(Decimal::new(125, 1)), "12.50");
        assert_eq!(format_money_normal(Decimal::new(15, 0)), "15.00");
    }

    #[test]
    fn normal_json_of_dates_and_times() {
        let d = Value::Date(NaiveDate::from_ymd_opt(2024, 5, 3).unwrap());
        assert_eq!(d.to_normal_json(), serde_json::json!("2024-05-03"));
        let t = Value::Time(NaiveTime::from_hms_opt(14, 30, 0).unwrap());
        assert_eq!(t.to_normal_json(), serde_json::json!("14:30"));
    }

    #[test]
    fn value_round_trips_through_json() {
        let v = Value::Record(IndexMap::from([
            ("a".to_string(), Value::Money(Decimal::new(1500, 2))),
            (
                "b".to_string(),
                Value::List(vec![Value::Bool(true), Value::Null]),
            ),
        ]));
        let s = serde_json::to_string(&v).unwrap();
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v, back);
    }
}
