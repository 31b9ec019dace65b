//! CSV data tables: read with the column types the `table` declaration gives.

use crate::understand::extract::{self, Context, DatePolicy};
use crate::understand::Input;
use crate::values::{Lang, SlotType, Type, Value};
use chrono::NaiveDate;
use indexmap::IndexMap;
use rust_decimal::Decimal;

/// A cell that does not hold its column's type, or a malformed line.
#[derive(Debug, Clone, PartialEq)]
pub struct CellError {
    /// Byte range in the CSV text.
    pub range: std::ops::Range<usize>,
    pub message: String,
}

/// Parses a CSV table (first line: column names) into rows keyed by the
/// declared columns. Every mistake is reported, not only the first.
pub fn parse_table(
    text: &str,
    columns: &[(String, Type)],
) -> (Vec<IndexMap<String, Value>>, Vec<CellError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut lines = lines_with_offsets(text);
    let Some((header_at, header)) = lines.next() else {
        errors.push(CellError {
            range: 0..0,
            message: "the table file is empty: its first line must name the columns".into(),
        });
        return (rows, errors);
    };
    let names: Vec<(String, std::ops::Range<usize>)> = split_cells(header)
        .into_iter()
        .map(|(c, r)| (c.trim().to_string(), header_at + r.start..header_at + r.end))
        .collect();
    let mut positions = Vec::new();
    for (col, _) in columns {
        match names.iter().position(|(n, _)| n == col) {
            Some(i) => positions.push(i),
            None => {
                errors.push(CellError {
                    range: header_at..header_at + header.len(),
                    message: format!(
                        "the table has no column `{col}` (its columns are: {})",
                        names
                            .iter()
                            .map(|(n, _)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
                return (rows, errors);
            }
        }
    }
    for (at, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cells = split_cells(line);
        let mut row = IndexMap::new();
        for ((col, ty), &i) in columns.iter().zip(&positions) {
            let Some((raw, r)) = cells.get(i) else {
                errors.push(CellError {
                    range: at..at + line.len(),
                    message: format!("this line has no value for column `{col}`"),
                });
                continue;
            };
            let raw = raw.trim();
            match read_cell(raw, ty) {
                Some(v) => {
                    row.insert(col.clone(), v);
                }
                None => errors.push(CellError {
                    range: at + r.start..at + r.end,
                    message: format!("`{raw}` is not a {ty} (column `{col}`)"),
                }),
            }
        }
        rows.push(row);
    }
    (rows, errors)
}

fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, l.trim_end_matches(['\n', '\r']))
    })
}

/// Splits one CSV line into cells, with `"quoted, cells"` and `""` escapes.
fn split_cells(line: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    let mut quoted = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' if quoted && chars.peek().map(|(_, c)| *c) == Some('"') => {
                chars.next();
                cur.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => {
                cells.push((std::mem::take(&mut cur), start..i));
                start = i + 1;
            }
            c => cur.push(c),
        }
    }
    cells.push((cur, start..line.len()));
    cells
}

fn read_cell(raw: &str, ty: &Type) -> Option<Value> {
    if raw.is_empty() {
        return Some(Value::Null);
    }
    Some(match ty {
        Type::Text | Type::Any => Value::Text(raw.to_string()),
        Type::Number => Value::Number(raw.parse::<Decimal>().ok()?),
        Type::Money => Value::Money(raw.trim_start_matches('€').trim().parse::<Decimal>().ok()?),
        Type::Date => Value::Date(NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?),
        Type::Time => {
            let input = Input::new(raw);
            let ctx = Context {
                lang: Lang::En,
                now: NaiveDate::from_ymd_opt(2000, 1, 1)?.and_hms_opt(0, 0, 0)?,
                policy: DatePolicy::Future,
                order: Default::default(),
                choice: None,
            };
            extract::extract(&SlotType::Time, &input, &ctx)
                .best()?
                .value
                .clone()
        }
        Type::Bool => match raw.to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" | "oui" | "ja" => Value::Bool(true),
            "no" | "false" | "0" | "non" | "nee" => Value::Bool(false),
            _ => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_typed_rows_and_reports_bad_cells() {
        let csv = "rank,price,note\nfirst,15.00,\"a, b\"\nsecond,abc,x\n";
        let cols = vec![
            ("rank".to_string(), Type::Text),
            ("price".to_string(), Type::Money),
        ];
        let (rows, errors) = parse_table(csv, &cols);
        assert_eq!(rows[0]["price"], Value::Money(Decimal::new(1500, 2)));
        assert_eq!(errors.len(), 1);
        assert_eq!(&csv[errors[0].range.clone()], "abc");
    }

    #[test]
    fn missing_column_is_reported() {
        let (_, errors) = parse_table("a,b\n1,2\n", &[("c".to_string(), Type::Text)]);
        assert!(errors[0].message.contains("no column `c`"));
    }
}
