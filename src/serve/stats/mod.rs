//! Statistics for the commune's managers: the figures of a period
//! (`store::stats` computes them), as a table, JSON or CSV, drawn as SVG
//! charts for the dashboard, and the messages the bot did not understand.

pub mod dashboard;
pub mod learn;
pub mod svg;

use crate::serve::store::stats::StatsReport;
use crate::serve::store::StatsQuery;
use chrono::NaiveDate;
use std::fmt::Write as _;

/// The days counted when no period is given: the last 30.
pub const DEFAULT_DAYS: i64 = 30;

/// A period and filters from optional text (`YYYY-MM-DD`), checked.
/// `today` is the commune's local date.
pub fn query(
    from: Option<&str>,
    to: Option<&str>,
    lang: Option<&str>,
    channel: Option<&str>,
    today: NaiveDate,
) -> Result<StatsQuery, String> {
    let date = |s: &str, what: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| format!("`{what}` must be a date like 2026-03-01, not `{s}`"))
    };
    let to = match to.filter(|s| !s.trim().is_empty()) {
        Some(s) => date(s, "to")?,
        None => today,
    };
    let from = match from.filter(|s| !s.trim().is_empty()) {
        Some(s) => date(s, "from")?,
        None => to - chrono::Duration::days(DEFAULT_DAYS - 1),
    };
    if from > to {
        return Err(format!("the period starts ({from}) after it ends ({to})"));
    }
    let word = |s: Option<&str>, what: &str| -> Result<Option<String>, String> {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s)
                if s.len() <= 32
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-') =>
            {
                Ok(Some(s.to_string()))
            }
            Some(s) => Err(format!(
                "`{what}` must be a short name like `fr` or `web`, not `{s}`"
            )),
        }
    };
    Ok(StatsQuery {
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        lang: word(lang, "lang")?,
        channel: word(channel, "channel")?,
    })
}

/// A percentage with one decimal.
pub fn percent(rate: f64) -> String {
    format!("{:.1} %", rate * 100.0)
}

fn table(out: &mut String, title: &str, header: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "\n{title}");
    if rows.is_empty() {
        let _ = writeln!(out, "  (none)");
        return;
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::from(" ");
        for (i, c) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            let pad = w.saturating_sub(c.chars().count());
            // Numbers right-aligned, words left-aligned.
            if c.chars().next().is_some_and(|ch| ch.is_ascii_digit()) && i > 0 {
                s.push_str(&format!(" {}{c}", " ".repeat(pad)));
            } else {
                s.push_str(&format!(" {c}{}", " ".repeat(pad)));
            }
        }
        s.trim_end().to_string()
    };
    let head: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let _ = writeln!(out, "{}", line(&head));
    for r in rows {
        let _ = writeln!(out, "{}", line(r));
    }
}

/// The report as text for a terminal.
pub fn to_table(r: &StatsReport) -> String {
    let q = &r.query;
    let mut out = format!("Statistics from {} to {}", q.from, q.to);
    if let Some(l) = &q.lang {
        out.push_str(&format!(", language {l}"));
    }
    if let Some(c) = &q.channel {
        out.push_str(&format!(", channel {c}"));
    }
    out.push('\n');
    let t = &r.totals;
    let _ = writeln!(
        out,
        "\n  conversations {}, messages {}, topics asked {}, flows completed {}, abandoned {}, hand-overs {}, not understood {}",
        t.conversations, t.messages, t.topics, t.flows_completed, t.flows_abandoned, t.handoffs, t.unmatched
    );
    let _ = writeln!(
        out,
        "  median conversation: {} messages, {} s",
        t.median_messages, t.median_seconds
    );
    let n = |v: i64| v.to_string();
    table(
        &mut out,
        "Per day",
        &[
            "day",
            "conversations",
            "messages",
            "hand-overs",
            "not understood",
        ],
        &r.per_day
            .iter()
            .map(|d| {
                vec![
                    d.day.clone(),
                    n(d.conversations),
                    n(d.messages),
                    n(d.handoffs),
                    n(d.unmatched),
                ]
            })
            .collect::<Vec<_>>(),
    );
    table(
        &mut out,
        "Per hour",
        &["hour", "conversations"],
        &r.per_hour
            .iter()
            .filter(|h| h.conversations > 0)
            .map(|h| vec![format!("{:02}h", h.hour), n(h.conversations)])
            .collect::<Vec<_>>(),
    );
    table(
        &mut out,
        "Topics (flows asked for)",
        &["flow", "language", "channel", "started"],
        &r.topics
            .iter()
            .map(|t| {
                vec![
                    t.flow.clone(),
                    t.lang.clone(),
                    t.channel.clone(),
                    n(t.started),
                ]
            })
            .collect::<Vec<_>>(),
    );
    table(
        &mut out,
        "Completion per flow",
        &[
            "flow",
            "started",
            "completed",
            "abandoned",
            "in progress",
            "completion",
        ],
        &r.flows
            .iter()
            .map(|f| {
                vec![
                    f.flow.clone(),
                    n(f.started),
                    n(f.completed),
                    n(f.abandoned),
                    n(f.in_progress),
                    percent(f.completion_rate),
                ]
            })
            .collect::<Vec<_>>(),
    );
    table(
        &mut out,
        "Form steps (where citizens give up)",
        &[
            "flow",
            "step",
            "reached",
            "asked",
            "refused",
            "abandoned here",
        ],
        &r.funnel
            .iter()
            .map(|s| {
                vec![
                    s.flow.clone(),
                    s.step.clone(),
                    n(s.reached),
                    n(s.asked),
                    n(s.refused),
                    n(s.abandoned),
                ]
            })
            .collect::<Vec<_>>(),
    );
    table(
        &mut out,
        "Abandoned flows, by how",
        &["flow", "how", "count"],
        &r.abandonment
            .iter()
            .map(|a| vec![a.flow.clone(), a.how.clone(), n(a.count)])
            .collect::<Vec<_>>(),
    );
    table(
        &mut out,
        "Hand-overs",
        &["reason", "service", "count"],
        &r.handoffs
            .iter()
            .map(|h| vec![h.reason.clone(), h.service.clone(), n(h.count)])
            .collect::<Vec<_>>(),
    );
    out
}

/// One CSV field, quoted when it needs to be; a field a spreadsheet
/// would read as a formula is prefixed with an apostrophe.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The report as CSV: one figure per line, with the dimensions it is for.
pub const CSV_HEADER: &str = "section,day,hour,flow,step,lang,channel,reason,service,measure,value";

pub fn to_csv(r: &StatsReport) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    let mut row = |section: &str, dims: [&str; 8], measure: &str, value: String| {
        let mut fields = vec![csv_field(section)];
        fields.extend(dims.iter().map(|d| csv_field(d)));
        fields.push(csv_field(measure));
        fields.push(value);
        out.push_str(&fields.join(","));
        out.push('\n');
    };
    let t = &r.totals;
    for (m, v) in [
        ("conversations", t.conversations.to_string()),
        ("messages", t.messages.to_string()),
        ("topics", t.topics.to_string()),
        ("flows_completed", t.flows_completed.to_string()),
        ("flows_abandoned", t.flows_abandoned.to_string()),
        ("handoffs", t.handoffs.to_string()),
        ("unmatched", t.unmatched.to_string()),
        ("median_messages", t.median_messages.to_string()),
        ("median_seconds", t.median_seconds.to_string()),
    ] {
        row("totals", [""; 8], m, v);
    }
    for d in &r.per_day {
        for (m, v) in [
            ("conversations", d.conversations),
            ("messages", d.messages),
            ("handoffs", d.handoffs),
            ("unmatched", d.unmatched),
        ] {
            row(
                "per_day",
                [&d.day, "", "", "", "", "", "", ""],
                m,
                v.to_string(),
            );
        }
    }
    for h in &r.per_hour {
        let hour = h.hour.to_string();
        row(
            "per_hour",
            ["", &hour, "", "", "", "", "", ""],
            "conversations",
            h.conversations.to_string(),
        );
    }
    for t in &r.topics {
        row(
            "topics",
            ["", "", &t.flow, "", &t.lang, &t.channel, "", ""],
            "started",
            t.started.to_string(),
        );
    }
    for f in &r.flows {
        for (m, v) in [
            ("started", f.started.to_string()),
            ("completed", f.completed.to_string()),
            ("abandoned", f.abandoned.to_string()),
            ("in_progress", f.in_progress.to_string()),
            ("completion_rate", format!("{:.4}", f.completion_rate)),
        ] {
            row("flows", ["", "", &f.flow, "", "", "", "", ""], m, v);
        }
    }
    for s in &r.funnel {
        for (m, v) in [
            ("reached", s.reached),
            ("asked", s.asked),
            ("refused", s.refused),
            ("abandoned", s.abandoned),
        ] {
            row(
                "funnel",
                ["", "", &s.flow, &s.step, "", "", "", ""],
                m,
                v.to_string(),
            );
        }
    }
    for a in &r.abandonment {
        row(
            "abandonment",
            ["", "", &a.flow, "", "", "", &a.how, ""],
            "count",
            a.count.to_string(),
        );
    }
    for h in &r.handoffs {
        row(
            "handoffs",
            ["", "", "", "", "", "", &h.reason, &h.service],
            "count",
            h.count.to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_defaults_to_the_last_thirty_days_and_is_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let q = query(None, None, None, None, today).unwrap();
        assert_eq!(
            (q.from.as_str(), q.to.as_str()),
            ("2026-02-09", "2026-03-10")
        );
        let q = query(
            Some("2026-03-01"),
            Some("2026-03-05"),
            Some("nl"),
            Some("web"),
            today,
        )
        .unwrap();
        assert_eq!(q.lang.as_deref(), Some("nl"));
        assert!(query(Some("2026-03-06"), Some("2026-03-05"), None, None, today).is_err());
        assert!(query(Some("yesterday"), None, None, None, today).is_err());
        assert!(query(None, None, Some("fr' OR 1=1"), None, today).is_err());
    }

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-3"), "-3");
    }
}
