//! Charts drawn on the server as SVG, readable without colour: every bar
//! carries its value as text, series are told apart by patterns (solid,
//! hatched, dotted) named in a legend, and each chart has a title and a
//! description. The dashboard shows the same numbers in a table below.

use super::percent;
use crate::serve::store::stats::StatsReport;
use crate::values::Lang;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Escapes text for SVG (XML).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

const INK: &str = "#1a1a1a";
const PATTERNS: [&str; 3] = ["solid", "hatch", "dots"];

fn defs() -> &'static str {
    concat!(
        "<defs>",
        "<pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">",
        "<rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#1a1a1a\" stroke-width=\"2.5\"/></pattern>",
        "<pattern id=\"dots\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">",
        "<rect width=\"6\" height=\"6\" fill=\"#fff\"/><circle cx=\"3\" cy=\"3\" r=\"1.6\" fill=\"#1a1a1a\"/></pattern>",
        "</defs>"
    )
}

fn fill(pattern: &str) -> &'static str {
    match pattern {
        "hatch" => "url(#hatch)",
        "dots" => "url(#dots)",
        _ => "#3b5b7a",
    }
}

fn open(out: &mut String, w: u32, h: u32, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"t d\" font-family=\"sans-serif\" font-size=\"12\">\
         <title id=\"t\">{}</title><desc id=\"d\">{}</desc>{}<rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>",
        esc(title),
        esc(desc),
        defs()
    );
}

/// Vertical bars, one per label, each with its value above it.
pub fn columns(title: &str, items: &[(String, i64)]) -> String {
    let n = items.len().max(1) as u32;
    let bar = (720 / n).clamp(8, 48);
    let w = (bar * n + 60).max(320);
    let h = 240;
    let top = 28;
    let base = h - 48;
    let max = items.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let desc = items
        .iter()
        .map(|(l, v)| format!("{l}: {v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let mut out = String::new();
    open(&mut out, w, h, title, &desc);
    let _ = write!(
        out,
        "<text x=\"8\" y=\"18\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
        esc(title)
    );
    let _ = write!(
        out,
        "<line x1=\"30\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"{INK}\"/>",
        w - 10
    );
    // Show a label under every bar when there is room, else every few.
    let every = ((n as usize * 40) / (w as usize)).max(1);
    for (i, (label, v)) in items.iter().enumerate() {
        let x = 34 + i as u32 * bar;
        let bh = ((*v as f64 / max as f64) * f64::from(base - top - 16)).round() as u32;
        let y = base - bh;
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{bh}\" fill=\"{}\" stroke=\"{INK}\"/>",
            bar.saturating_sub(3).max(2),
            fill("solid")
        );
        if *v > 0 || n <= 31 {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{INK}\">{v}</text>",
                x + bar / 2,
                y.saturating_sub(3)
            );
        }
        if i % every == 0 {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"10\" fill=\"{INK}\" transform=\"rotate(-45 {} {})\">{}</text>",
                x + bar / 2,
                base + 12,
                x + bar / 2,
                base + 12,
                esc(label)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// One horizontal bar: its label, its parts (series and value), and the
/// text written after it.
pub type Bar = (String, Vec<(String, i64)>, String);

/// Horizontal bars: a label, the bar, and its value written after it.
/// The parts of a bar are series drawn with patterns (a legend names
/// them).
pub fn rows(title: &str, items: &[Bar], empty: &str) -> String {
    let series: Vec<String> = {
        let mut s: Vec<String> = items
            .iter()
            .flat_map(|(_, parts, _)| parts.iter().map(|(name, _)| name.clone()))
            .collect();
        s.sort();
        s.dedup();
        s
    };
    let legend = series.len() > 1;
    let label_w = 190;
    let bar_w = 380;
    let row_h = 24;
    let top = if legend { 52 } else { 32 };
    let h = top + row_h * items.len().max(1) as u32 + 12;
    let w = label_w + bar_w + 150;
    let max = items
        .iter()
        .map(|(_, parts, _)| parts.iter().map(|(_, v)| *v).sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let desc = items
        .iter()
        .map(|(l, _, shown)| format!("{l}: {shown}"))
        .collect::<Vec<_>>()
        .join("; ");
    let mut out = String::new();
    open(&mut out, w, h, title, &desc);
    let _ = write!(
        out,
        "<text x=\"8\" y=\"18\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
        esc(title)
    );
    if legend {
        for (i, s) in series.iter().enumerate() {
            let x = 8 + i as u32 * 110;
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"28\" width=\"14\" height=\"14\" fill=\"{}\" stroke=\"{INK}\"/><text x=\"{}\" y=\"39\" fill=\"{INK}\">{} ({})</text>",
                fill(PATTERNS[i % PATTERNS.len()]),
                x + 18,
                esc(s),
                PATTERNS[i % PATTERNS.len()]
            );
        }
    }
    if items.is_empty() {
        let _ = write!(
            out,
            "<text x=\"8\" y=\"{}\" fill=\"{INK}\">{}</text>",
            top + 14,
            esc(empty)
        );
    }
    for (i, (label, parts, shown)) in items.iter().enumerate() {
        let y = top + i as u32 * row_h;
        let short: String = label.chars().take(28).collect();
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            label_w - 6,
            y + 15,
            esc(&short)
        );
        let mut x = label_w;
        for (name, v) in parts {
            let pw = ((*v as f64 / max as f64) * f64::from(bar_w)).round() as u32;
            let p = series.iter().position(|s| s == name).unwrap_or(0);
            if pw > 0 {
                let _ = write!(
                    out,
                    "<rect x=\"{x}\" y=\"{}\" width=\"{pw}\" height=\"{}\" fill=\"{}\" stroke=\"{INK}\"/>",
                    y + 3,
                    row_h - 8,
                    fill(if legend { PATTERNS[p % PATTERNS.len()] } else { "solid" })
                );
            }
            x += pw;
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"{INK}\">{}</text>",
            x + 6,
            y + 15,
            esc(shown)
        );
    }
    out.push_str("</svg>");
    out
}

/// The dashboard's charts, by name.
pub const CHARTS: [&str; 7] = [
    "per_day",
    "per_hour",
    "topics",
    "completion",
    "funnel",
    "handoffs",
    "unmatched",
];

/// A chart's words in the staff's language.
fn words(lang: Lang, key: &str) -> &'static str {
    use Lang::*;
    match (key, lang) {
        ("per_day", Fr) => "Conversations par jour",
        ("per_day", Nl) => "Gesprekken per dag",
        ("per_day", En) => "Conversations per day",
        ("per_hour", Fr) => "Conversations selon l'heure",
        ("per_hour", Nl) => "Gesprekken per uur",
        ("per_hour", En) => "Conversations per hour of the day",
        ("topics", Fr) => "Sujets demandés, par langue",
        ("topics", Nl) => "Gevraagde onderwerpen, per taal",
        ("topics", En) => "Topics asked for, by language",
        ("completion", Fr) => "Démarches menées à bien",
        ("completion", Nl) => "Afgeronde aanvragen",
        ("completion", En) => "Completion per flow",
        ("funnel", Fr) => "Étapes des formulaires : parcours arrivés à chaque étape",
        ("funnel", Nl) => "Stappen van de formulieren: tot elke stap gekomen",
        ("funnel", En) => "Form steps: runs that reached each step",
        ("handoffs", Fr) => "Transferts par motif et service",
        ("handoffs", Nl) => "Doorverwijzingen per reden en dienst",
        ("handoffs", En) => "Hand-overs by reason and service",
        ("unmatched", Fr) => "Messages non compris par jour",
        ("unmatched", Nl) => "Niet begrepen berichten per dag",
        ("unmatched", En) => "Messages not understood per day",
        ("of", Fr) => "sur",
        ("of", Nl) => "van",
        ("of", En) => "of",
        ("completed", Fr) => "menées à bien",
        ("completed", Nl) => "afgerond",
        ("completed", En) => "completed",
        ("reached", Fr) => "arrivés",
        ("reached", Nl) => "bereikt",
        ("reached", En) => "reached",
        ("left", Fr) => "abandons ici",
        ("left", Nl) => "hier gestopt",
        ("left", En) => "left here",
        ("none", Fr) => "Aucune donnée pour cette période.",
        ("none", Nl) => "Geen gegevens voor deze periode.",
        ("none", En) => "No data for this period.",
        _ => "",
    }
}

/// Flows' names as the bot labels them, in the staff's language.
pub type Labels = BTreeMap<String, String>;

/// One chart of a report, with its words in `lang` and flows named by
/// `labels`, or `None` for an unknown name.
pub fn chart(r: &StatsReport, name: &str, lang: Lang, labels: &Labels) -> Option<String> {
    let w = |k: &str| words(lang, k);
    let label = |flow: &str| {
        labels
            .get(flow)
            .cloned()
            .unwrap_or_else(|| flow.to_string())
    };
    Some(match name {
        "per_day" => columns(
            w("per_day"),
            &r.per_day
                .iter()
                .map(|d| {
                    (
                        d.day.get(5..).unwrap_or(&d.day).to_string(),
                        d.conversations,
                    )
                })
                .collect::<Vec<_>>(),
        ),
        "per_hour" => columns(
            w("per_hour"),
            &r.per_hour
                .iter()
                .map(|h| (format!("{:02}h", h.hour), h.conversations))
                .collect::<Vec<_>>(),
        ),
        "topics" => {
            let mut by_flow: BTreeMap<&str, Vec<(String, i64)>> = BTreeMap::new();
            for t in &r.topics {
                let parts = by_flow.entry(&t.flow).or_default();
                match parts.iter_mut().find(|(l, _)| *l == t.lang) {
                    Some(p) => p.1 += t.started,
                    None => parts.push((t.lang.clone(), t.started)),
                }
            }
            let mut items: Vec<Bar> = by_flow
                .into_iter()
                .map(|(flow, mut parts)| {
                    parts.sort();
                    let total: i64 = parts.iter().map(|(_, v)| v).sum();
                    let detail = parts
                        .iter()
                        .map(|(l, v)| format!("{l} {v}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    (label(flow), parts, format!("{total} ({detail})"))
                })
                .collect();
            items.sort_by(|a, b| {
                let total = |x: &Bar| -> i64 { x.1.iter().map(|(_, v)| v).sum() };
                total(b).cmp(&total(a))
            });
            rows(w("topics"), &items, w("none"))
        }
        "completion" => rows(
            w("completion"),
            &r.flows
                .iter()
                .filter(|f| f.form)
                .map(|f| {
                    (
                        label(&f.flow),
                        vec![("completed".to_string(), f.completed)],
                        format!(
                            "{} {} {} {} ({})",
                            f.completed,
                            w("of"),
                            f.started,
                            w("completed"),
                            percent(f.completion_rate)
                        ),
                    )
                })
                .collect::<Vec<_>>(),
            w("none"),
        ),
        "funnel" => rows(
            w("funnel"),
            &r.funnel
                .iter()
                .map(|s| {
                    (
                        format!(
                            "{} · {}",
                            label(&s.flow),
                            label(&format!("{}/{}", s.flow, s.step))
                        ),
                        vec![("reached".to_string(), s.reached)],
                        format!(
                            "{} {}, {} {}",
                            s.reached,
                            w("reached"),
                            s.abandoned,
                            w("left")
                        ),
                    )
                })
                .collect::<Vec<_>>(),
            w("none"),
        ),
        "handoffs" => rows(
            w("handoffs"),
            &r.handoffs
                .iter()
                .map(|h| {
                    (
                        format!("{} · {}", h.reason, h.service),
                        vec![("hand-overs".to_string(), h.count)],
                        h.count.to_string(),
                    )
                })
                .collect::<Vec<_>>(),
            w("none"),
        ),
        "unmatched" => columns(
            w("unmatched"),
            &r.per_day
                .iter()
                .map(|d| (d.day.get(5..).unwrap_or(&d.day).to_string(), d.unmatched))
                .collect::<Vec<_>>(),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_their_text_and_write_their_values() {
        let svg = columns("A <b> & 'c'", &[("x<y".into(), 3), ("z".into(), 0)]);
        assert!(svg.contains("A &lt;b&gt; &amp; &#39;c&#39;"));
        assert!(svg.contains("x&lt;y"));
        assert!(svg.contains(">3</text>"));
        assert!(!svg.contains("<b>"));
        let svg = rows(
            "Topics",
            &[(
                "creche".into(),
                vec![("fr".into(), 2), ("nl".into(), 1)],
                "3 (fr 2, nl 1)".into(),
            )],
            "none",
        );
        assert!(svg.contains("url(#hatch)"), "a second series is hatched");
        assert!(svg.contains("nl (hatch)"), "the legend names the pattern");
        assert!(svg.contains("3 (fr 2, nl 1)"));
    }
}
