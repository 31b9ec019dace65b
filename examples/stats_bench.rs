//! The dashboard's queries on a large store: fills a store with a
//! generated record of conversations (a million statistics events by
//! default, over 90 days, with the mix a commune's bot sees), then times
//! what one refresh of `/staff/stats` asks of the store: every figure of
//! the last 30 days, the same for one language, the last 90 days, and the
//! messages not understood grouped.
//!
//!   cargo run --release --example stats_bench -- sqlite:///tmp/stats.db [EVENTS]
//!   cargo run --release --example stats_bench -- postgres://USER@HOST/DB [EVENTS]
//!
//! An existing store with enough events is reused as it is.

use guichet::serve::stats::learn;
use guichet::serve::store::sql::{SqlBackend, SqlValue, Statement};
use guichet::serve::store::{postgres::PgStore, sqlite::SqliteStore, StatsQuery, StatsStore};
use std::time::Instant;

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const FLOWS: &[(&str, &[&str])] = &[
    (
        "creche_enrolment",
        &[
            "child_first_name",
            "child_last_name",
            "child_birth_date",
            "start_date",
            "parent_email",
            "parent_phone",
        ],
    ),
    ("parking_card", &["plate", "postal_code", "card_kind"]),
    ("waste_collection", &["collection_date"]),
    ("canteen_menu", &["menu_date"]),
    ("request_status", &["reference"]),
    ("opening_hours", &[]),
    ("talk_to_agent", &[]),
    (
        "address_change",
        &["new_address", "move_date", "national_number"],
    ),
    ("id_card", &["national_number", "appointment_date"]),
    ("birth_certificate", &["child_name", "birth_date"]),
];

const UNMATCHED: &[&str] = &[
    "je voudrais un permis de pêche pour le lac",
    "où promener mon chien sans laisse",
    "waar kan ik mijn hond uitlaten",
    "quand passe le camion des encombrants",
    "hoe vraag ik een bouwvergunning aan",
    "can I book the sports hall",
    "ma voisine fait du bruit la nuit",
];

type Row = Vec<SqlValue>;

struct Generated {
    events: Vec<Row>,
    conversations: Vec<Row>,
    unmatched: Vec<Row>,
}

fn generate(target: usize, days: i64, today: chrono::NaiveDate) -> Generated {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut g = Generated {
        events: Vec::with_capacity(target + 100),
        conversations: Vec::new(),
        unmatched: Vec::new(),
    };
    let mut n = 0u64;
    while g.events.len() < target {
        n += 1;
        let id = format!("c_bench{n:09}");
        let day = today - chrono::Duration::days(rng.below(days as u64) as i64);
        // Busier in office hours.
        let hour = [
            8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 16, 17, 19, 20, 21, 22, 7, 18,
        ][rng.below(20) as usize];
        let start = day
            .and_hms_opt(hour, rng.below(60) as u32, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        let lang = ["fr", "fr", "fr", "nl", "nl", "en"][rng.below(6) as usize];
        let channel = if rng.chance(20) { "messenger" } else { "web" };
        let day_s = day.format("%Y-%m-%d").to_string();
        let mut at = start;
        let mut messages = 0;
        let push = |g: &mut Generated,
                    at: i64,
                    kind: &str,
                    flow: Option<&str>,
                    step: Option<(&str, i64)>,
                    detail: Option<&str>,
                    extra: Option<&str>,
                    value: Option<i64>| {
            g.events.push(vec![
                SqlValue::text(&id),
                SqlValue::int(at),
                SqlValue::text(&day_s),
                SqlValue::int(hour as i64),
                SqlValue::text(channel),
                SqlValue::text(lang),
                SqlValue::text(kind),
                SqlValue::Text(flow.map(str::to_string)),
                SqlValue::Text(step.map(|s| s.0.to_string())),
                SqlValue::Int(step.map(|s| s.1)),
                SqlValue::Text(detail.map(str::to_string)),
                SqlValue::Text(extra.map(str::to_string)),
                SqlValue::Int(value),
            ]);
        };
        push(
            &mut g,
            at,
            "conversation_started",
            None,
            None,
            None,
            None,
            None,
        );
        for _ in 0..(1 + rng.below(2)) {
            at += 20_000;
            messages += 1;
            if rng.chance(15) {
                let text = UNMATCHED[rng.below(UNMATCHED.len() as u64) as usize];
                let closest = FLOWS[rng.below(FLOWS.len() as u64) as usize].0;
                let score = 100 + rng.below(300) as i64;
                push(
                    &mut g,
                    at,
                    "unmatched",
                    Some(closest),
                    None,
                    None,
                    None,
                    Some(score),
                );
                g.unmatched.push(vec![
                    SqlValue::text(&id),
                    SqlValue::int(at),
                    SqlValue::text(&day_s),
                    SqlValue::text(channel),
                    SqlValue::text(lang),
                    SqlValue::text(text),
                    SqlValue::text(closest),
                    SqlValue::int(score),
                    SqlValue::int(0),
                ]);
                continue;
            }
            let (flow, steps) = FLOWS[rng.below(FLOWS.len() as u64) as usize];
            push(
                &mut g,
                at,
                "flow_started",
                Some(flow),
                None,
                Some(if rng.chance(80) { "trigger" } else { "button" }),
                None,
                None,
            );
            let mut ended = false;
            for (i, step) in steps.iter().enumerate() {
                at += 15_000;
                messages += 1;
                let s = Some((*step, i as i64));
                push(&mut g, at, "slot_asked", Some(flow), s, None, None, None);
                if rng.chance(12) {
                    push(
                        &mut g,
                        at,
                        "slot_refused",
                        Some(flow),
                        s,
                        Some("not_found"),
                        Some("type"),
                        None,
                    );
                    push(&mut g, at, "reprompt", Some(flow), s, None, None, Some(1));
                }
                if rng.chance(8) {
                    push(
                        &mut g,
                        at,
                        "flow_abandoned",
                        Some(flow),
                        s,
                        Some(if rng.chance(50) { "idle" } else { "cancel" }),
                        None,
                        Some(at - start),
                    );
                    ended = true;
                    break;
                }
                push(&mut g, at, "slot_filled", Some(flow), s, None, None, None);
            }
            if !ended {
                if rng.chance(8) {
                    push(
                        &mut g,
                        at,
                        "handoff",
                        Some(flow),
                        None,
                        Some("asked_for_agent"),
                        Some("general"),
                        None,
                    );
                    push(
                        &mut g,
                        at,
                        "flow_abandoned",
                        Some(flow),
                        None,
                        Some("handoff"),
                        None,
                        Some(at - start),
                    );
                } else {
                    if !steps.is_empty() {
                        push(
                            &mut g,
                            at,
                            "action",
                            None,
                            None,
                            Some("create_request"),
                            Some("ok"),
                            None,
                        );
                    }
                    push(
                        &mut g,
                        at,
                        "flow_completed",
                        Some(flow),
                        None,
                        None,
                        None,
                        None,
                    );
                }
            }
        }
        g.conversations.push(vec![
            SqlValue::text(&id),
            SqlValue::int(start),
            SqlValue::text(&day_s),
            SqlValue::int(hour as i64),
            SqlValue::text(channel),
            SqlValue::text(lang),
            SqlValue::int(messages),
            SqlValue::int(at),
        ]);
    }
    g
}

fn insert(table: &str, columns: &str, rows: &[Row]) -> Vec<Statement> {
    let width = columns.split(',').count();
    rows.chunks(1000)
        .map(|chunk| {
            let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
            let mut params = Vec::with_capacity(chunk.len() * width);
            for (r, row) in chunk.iter().enumerate() {
                if r > 0 {
                    sql.push(',');
                }
                sql.push('(');
                for c in 0..width {
                    if c > 0 {
                        sql.push(',');
                    }
                    sql.push_str(&format!("${}", r * width + c + 1));
                }
                sql.push(')');
                params.extend(row.iter().cloned());
            }
            Statement::new(sql, params)
        })
        .collect()
}

async fn fill<S: SqlBackend + StatsStore>(store: &S, target: usize) {
    let have = store
        .query("SELECT COUNT(*) FROM stats_events", vec![])
        .await
        .expect("the store answers")[0][0]
        .as_i64() as usize;
    if have >= target {
        println!("the store holds {have} events: reused");
        return;
    }
    let started = Instant::now();
    let today = chrono::Local::now().date_naive();
    let g = generate(target, 90, today);
    let mut statements = insert(
        "stats_events",
        "conversation_id, at_ms, day, hour, channel, lang, kind, flow, step, step_index, detail, extra, value",
        &g.events,
    );
    statements.extend(insert(
        "stats_conversations",
        "conversation_id, started_ms, day, hour, channel, lang, messages, last_ms",
        &g.conversations,
    ));
    statements.extend(insert(
        "stats_unmatched",
        "conversation_id, at_ms, day, channel, lang, text, closest, score, ambiguous",
        &g.unmatched,
    ));
    for batch in statements.chunks(50) {
        store
            .transaction(batch.to_vec())
            .await
            .expect("the rows are written");
    }
    // The days' counts that the turns would have kept as they wrote the
    // records (what the dashboard reads).
    store
        .transaction(vec![Statement::new(
            "INSERT INTO stats_daily (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, n, total)
             SELECT kind, day, -1, channel, lang, COALESCE(flow, ''), COALESCE(step, ''),
               COALESCE(step_index, -1), COALESCE(detail, ''), COALESCE(extra, ''), -1,
               COUNT(*), COALESCE(SUM(value), 0)
             FROM stats_events WHERE kind <> ''
             GROUP BY kind, day, channel, lang, COALESCE(flow, ''), COALESCE(step, ''),
               COALESCE(step_index, -1), COALESCE(detail, ''), COALESCE(extra, '')
             ON CONFLICT (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket)
             DO UPDATE SET n = stats_daily.n + excluded.n, total = stats_daily.total + excluded.total",
            vec![],
        )])
        .await
        .expect("the counts are written");
    // PostgreSQL's autovacuum gathers the planner's statistics after such
    // a load; SQLite gathers none unless asked, and is measured without.
    if store.dialect() == guichet::serve::store::sql::Dialect::Postgres {
        let _ = store
            .transaction(vec![Statement::new("ANALYZE", vec![])])
            .await;
    }
    println!(
        "generated {} events, {} conversations, {} messages not understood in {:.1} s",
        g.events.len(),
        g.conversations.len(),
        g.unmatched.len(),
        started.elapsed().as_secs_f64()
    );
}

async fn time<F, Fut>(label: &str, runs: usize, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut ms: Vec<f64> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "| {label} | {:.1} | {:.1} |",
        ms[ms.len() / 2],
        ms[ms.len() - 1]
    );
}

async fn bench<S: SqlBackend + StatsStore>(store: &S, target: usize) {
    fill(store, target).await;
    let bot = guichet::Bot::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/flows"))
        .expect("the sample bot");
    let today = chrono::Local::now().date_naive();
    let day = |d: i64| {
        (today - chrono::Duration::days(d))
            .format("%Y-%m-%d")
            .to_string()
    };
    let month = StatsQuery {
        from: day(29),
        to: day(0),
        lang: None,
        channel: None,
    };
    let dutch = StatsQuery {
        lang: Some("nl".into()),
        channel: Some("web".into()),
        ..month.clone()
    };
    let quarter = StatsQuery {
        from: day(89),
        ..month.clone()
    };
    let r = store.stats_report(&month).await.expect("a report");
    println!(
        "last 30 days: {} conversations, {} topics, {} unmatched",
        r.totals.conversations, r.totals.topics, r.totals.unmatched
    );
    println!("\n| query (median of 9 runs, and the slowest) | median ms | max ms |\n| --- | ---: | ---: |");
    time("every figure, last 30 days", 9, || async {
        store.stats_report(&month).await.map(|_| ()).unwrap()
    })
    .await;
    time("every figure, 30 days, Dutch on the web", 9, || async {
        store.stats_report(&dutch).await.map(|_| ()).unwrap()
    })
    .await;
    time("every figure, last 90 days", 9, || async {
        store.stats_report(&quarter).await.map(|_| ()).unwrap()
    })
    .await;
    time(
        "messages not understood (1,000 newest), grouped and matched again",
        9,
        || async {
            let rows = store.unmatched_messages(&month, 1000).await.unwrap();
            let _ = learn::group(&rows, Some(&bot));
        },
    )
    .await;
    time(
        "one dashboard refresh (figures, then the messages grouped)",
        9,
        || async {
            store.stats_report(&month).await.unwrap();
            let rows = store.unmatched_messages(&month, 1000).await.unwrap();
            let _ = learn::group(&rows, Some(&bot));
        },
    )
    .await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "sqlite:///tmp/guichet-stats-bench.db".into());
    let target: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    if url.starts_with("postgres") {
        let store = PgStore::connect(&url).await.expect("PostgreSQL opens");
        bench(&store, target).await;
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(&url);
        let store = SqliteStore::open(path).await.expect("SQLite opens");
        bench(&store, target).await;
    }
}
