//! Data tables: declared columns and the CSV cells under them.

use super::names::{declared_type, duplicates_in};
use super::Checker;
use crate::compile::tables::parse_table;
use crate::diagnostics::{Diagnostic, Span};
use crate::syntax::ast::Item;

pub(super) fn check(c: &mut Checker) {
    let items = &c.bot.items;
    for item in items {
        let Item::Table(t) = item else { continue };
        duplicates_in(c, "the column", t.columns.iter().map(|p| &p.name));
        let columns: Vec<(String, crate::values::Type)> = t
            .columns
            .iter()
            .map(|p| (p.name.name.clone(), declared_type(c, &p.ty)))
            .collect();
        let Some(&csv) = c.bot.tables.get(&t.name.name) else {
            continue;
        };
        // The table that won the name; a duplicate's file is not read.
        if !c
            .tables
            .get(t.name.name.as_str())
            .is_some_and(|first| std::ptr::eq(*first, t))
        {
            continue;
        }
        let Some(source) = c.bot.sources.get(csv) else {
            continue;
        };
        let text = source.text.clone();
        let file = source.name.clone();
        let (_, errors) = parse_table(&text, &columns);
        for e in errors {
            let span = Span::new(csv, e.range.clone());
            let missing_column = t.columns.iter().find(|p| {
                e.message
                    .starts_with(&format!("the table has no column `{}`", p.name.name))
            });
            let d = match missing_column {
                Some(col) => Diagnostic::error(
                    "unknown-column",
                    col.name.span,
                    format!("`{file}` has no column `{}`", col.name.name),
                )
                .with_label("not in the table's first line")
                .with_related(span, "the columns are named here")
                .with_help(
                    e.message
                        .replace("the table has no column", "the file has no column"),
                ),
                None => Diagnostic::error("table-cell", span, e.message.clone())
                    .with_label("bad cell")
                    .with_related(
                        t.name.span,
                        format!("the table `{}` is declared here", t.name.name),
                    )
                    .with_help(cell_help(&columns, &e.message)),
            };
            c.push(d);
        }
    }
}

fn cell_help(columns: &[(String, crate::values::Type)], message: &str) -> String {
    use crate::values::Type;
    let ty = columns
        .iter()
        .find(|(n, _)| message.ends_with(&format!("(column `{n}`)")))
        .map(|(_, t)| t);
    match ty {
        Some(Type::Date) => "write dates as YYYY-MM-DD, for example 2025-03-15".into(),
        Some(Type::Money) => "write amounts with a dot and no currency, for example 12.50".into(),
        Some(Type::Number) => "write numbers with a dot for decimals, for example 3 or 2.5".into(),
        Some(Type::Time) => "write times as HH:MM, for example 14:30".into(),
        Some(Type::Bool) => "write yes or no".into(),
        _ => "fix the cell in the CSV file, or change the column's type in the `table` declaration"
            .into(),
    }
}
