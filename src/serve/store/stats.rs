//! Statistics in the store: the records a turn writes (`StatsWrite`, in
//! the turn's transaction, by each backend), the figures the dashboard
//! and `guichet stats` read (`StatsStore`, SQL shared by both backends),
//! the flows a citizen left idle, and the roll-up into daily counts that
//! retention keeps.
//!
//! Every record adds one to its day's count in `stats_daily` as it is
//! written (hour -1), in the same transaction, and the figures of records
//! read those counts: a few rows per day rather than every record. The
//! conversations' figures read the recent rows (`stats_conversations`) and
//! the distributions rolled up from purged ones (`stats_daily`) together,
//! so a period that spans the purge adds up.

use super::sql::{Dialect, SqlBackend, SqlValue, Statement};
use super::StoreError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One statistics record, as stored (see `runtime::records`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatEvent {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_index: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
}

/// A message the bot did not understand, masked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnmatchedWrite {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closest: Option<String>,
    /// Thousandths.
    pub score: i64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ambiguous: bool,
}

/// What a turn adds to the statistics, written with it (as a pending
/// line, see `stats_fold`: what is empty or none is left out of it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatsWrite {
    /// The commune's local day (YYYY-MM-DD) and hour.
    pub day: String,
    pub hour: i64,
    pub channel: String,
    pub lang: String,
    /// The citizen's messages in this turn (0 or 1).
    pub messages: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<StatEvent>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmatched: Vec<UnmatchedWrite>,
    /// Whether the conversation was quiet long enough for its flows to
    /// have been recorded abandoned: only then does the write look for
    /// those records to take back.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub maybe_idle: bool,
}

/// Which statistics: days `from` to `to` (inclusive, YYYY-MM-DD), one
/// language and one channel or all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatsQuery {
    pub from: String,
    pub to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub conversations: i64,
    pub messages: i64,
    /// Flows the citizens asked for (by a trigger, a button, mid-form).
    pub topics: i64,
    /// Flows with a form (services) completed and abandoned.
    pub flows_completed: i64,
    pub flows_abandoned: i64,
    pub handoffs: i64,
    pub unmatched: i64,
    /// Messages per conversation.
    pub median_messages: f64,
    /// Seconds from the first message to the last.
    pub median_seconds: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DayRow {
    pub day: String,
    pub conversations: i64,
    pub messages: i64,
    pub handoffs: i64,
    pub unmatched: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HourRow {
    pub hour: i64,
    pub conversations: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopicRow {
    pub flow: String,
    pub lang: String,
    pub channel: String,
    pub started: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowRow {
    pub flow: String,
    pub started: i64,
    pub completed: i64,
    pub abandoned: i64,
    /// Started and neither completed nor abandoned (yet).
    pub in_progress: i64,
    /// Completed over started, 0 to 1.
    pub completion_rate: f64,
    /// The flow asks questions (a form): a service to complete, rather
    /// than an answer or a hand-over.
    #[serde(default)]
    pub form: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FunnelRow {
    pub flow: String,
    pub step: String,
    pub step_index: i64,
    /// Runs of the flow that got this far: started, less those abandoned
    /// at an earlier step.
    pub reached: i64,
    /// Times the question was asked (a value given in advance skips it).
    pub asked: i64,
    /// Answers refused (by type or by a rule).
    pub refused: i64,
    /// Runs abandoned at this step: where citizens give up.
    pub abandoned: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HandoffRow {
    pub reason: String,
    pub service: String,
    pub count: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AbandonRow {
    pub flow: String,
    /// `cancel`, `handoff`, `attempts`, `idle`, `bot_changed`...
    pub how: String,
    pub count: i64,
}

/// Every figure of a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatsReport {
    pub query: StatsQuery,
    pub totals: Totals,
    pub per_day: Vec<DayRow>,
    pub per_hour: Vec<HourRow>,
    pub topics: Vec<TopicRow>,
    pub flows: Vec<FlowRow>,
    pub funnel: Vec<FunnelRow>,
    pub abandonment: Vec<AbandonRow>,
    pub handoffs: Vec<HandoffRow>,
}

/// A message not understood, as the store keeps it (masked).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnmatchedRow {
    pub at_ms: i64,
    pub day: String,
    pub lang: String,
    pub channel: String,
    pub text: String,
    pub closest: Option<String>,
    pub score: f64,
    pub ambiguous: bool,
}

/// A conversation the citizen left with flows in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct IdleConversation {
    pub id: String,
    pub session: String,
    pub channel: String,
    pub lang: String,
    pub updated_ms: i64,
}

const DAY_MS: i64 = 86_400_000;

/// How `started by` values that are topics (asked for by the citizen).
const TOPIC_STARTS: &str = "('trigger', 'button', 'digression')";

/// The filters every figure shares: `$1` from, `$2` to, `$3` language
/// ('' for all), `$4` channel ('' for all).
const FILTER: &str =
    "day >= $1 AND day <= $2 AND ($3 = '' OR lang = $3) AND ($4 = '' OR channel = $4)";

fn params(q: &StatsQuery) -> Vec<SqlValue> {
    vec![
        SqlValue::text(&q.from),
        SqlValue::text(&q.to),
        SqlValue::text(q.lang.clone().unwrap_or_default()),
        SqlValue::text(q.channel.clone().unwrap_or_default()),
    ]
}

/// Counts of the records of `kinds` grouped by `dims` (columns of
/// `stats_daily`, '' or -1 for none); `extra` narrows the rows further.
/// The count is the last column.
fn counts(dialect: Dialect, kinds: &str, dims: &[&str], extra: &str) -> String {
    let cols = dims.join(", ");
    let sep = if dims.is_empty() { "" } else { ", " };
    let group = if dims.is_empty() {
        String::new()
    } else {
        format!(" GROUP BY {cols}")
    };
    format!(
        "SELECT {cols}{sep}CAST(SUM(n) AS BIGINT) FROM {} d
           WHERE kind IN {kinds} AND n > 0 AND {FILTER}{extra}{group}",
        all_counts(dialect)
    )
}

/// The daily counts: those added to their rows, and those still pending
/// (see migration 0007). The embedded store's writer adds its counts to
/// their rows directly (its `stats_daily_pending` stays empty): there the
/// figures read `stats_daily` alone, which halves the time of the queries
/// that group many of its rows (SQLite runs a `UNION ALL` subquery as a
/// coroutine that copies every row it passes on).
fn all_counts(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "stats_daily",
        Dialect::Postgres => {
            "(SELECT kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, n, total FROM stats_daily
              UNION ALL SELECT kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, n, total FROM stats_daily_pending)"
        }
    }
}

/// Moves the pending counts into their rows, all in one statement: the rows
/// deleted are the rows added, even with another replica doing the same.
const FOLD_PENDING: &str = "WITH moved AS (
       DELETE FROM stats_daily_pending WHERE id IN (SELECT id FROM stats_daily_pending ORDER BY id LIMIT 10000 FOR UPDATE SKIP LOCKED)
       RETURNING kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, n, total)
     INSERT INTO stats_daily (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, n, total)
     SELECT kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, SUM(n), SUM(total)
     FROM moved GROUP BY kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket
     ON CONFLICT (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket)
     DO UPDATE SET n = stats_daily.n + excluded.n, total = stats_daily.total + excluded.total";

/// The key of `stats_daily`'s rows, and how a count adds to one.
pub(crate) const COUNT_UPSERT: &str =
    "ON CONFLICT (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket)
     DO UPDATE SET n = stats_daily.n + excluded.n, total = stats_daily.total + excluded.total";

/// Takes the idle abandonments of conversation `conversation` (a
/// parameter, `$1` or `?1`) off the daily counts, before they are deleted.
pub(crate) fn undo_idle_counts(conversation: &str) -> String {
    format!(
        "UPDATE stats_daily SET n = stats_daily.n - g.n, total = stats_daily.total - g.total
         FROM (SELECT day, channel, lang, COALESCE(flow, '') AS flow, COALESCE(step, '') AS step,
                 COALESCE(step_index, -1) AS step_index, COUNT(*) AS n, COALESCE(SUM(value), 0) AS total
               FROM stats_events WHERE conversation_id = {conversation} AND kind = 'flow_abandoned' AND detail = 'idle'
               GROUP BY day, channel, lang, COALESCE(flow, ''), COALESCE(step, ''), COALESCE(step_index, -1)) g
         WHERE stats_daily.kind = 'flow_abandoned' AND stats_daily.day = g.day AND stats_daily.hour = -1
           AND stats_daily.channel = g.channel AND stats_daily.lang = g.lang AND stats_daily.flow = g.flow
           AND stats_daily.step = g.step AND stats_daily.step_index = g.step_index
           AND stats_daily.detail = 'idle' AND stats_daily.extra = '' AND stats_daily.bucket = -1"
    )
}

fn median(histogram: &BTreeMap<i64, i64>) -> f64 {
    let total: i64 = histogram.values().sum();
    if total == 0 {
        return 0.0;
    }
    // The mean of the two middle values when the count is even.
    let lo_rank = (total - 1) / 2;
    let hi_rank = total / 2;
    let mut seen = 0;
    let (mut lo, mut hi) = (None, None);
    for (value, n) in histogram {
        let next = seen + n;
        if lo.is_none() && lo_rank < next {
            lo = Some(*value);
        }
        if hi.is_none() && hi_rank < next {
            hi = Some(*value);
            break;
        }
        seen = next;
    }
    (lo.unwrap_or(0) + hi.unwrap_or(0)) as f64 / 2.0
}

fn int(row: &[SqlValue], i: usize) -> i64 {
    row.get(i).map_or(0, SqlValue::as_i64)
}

fn text(row: &[SqlValue], i: usize) -> String {
    row.get(i)
        .map(|v| v.as_str().to_string())
        .unwrap_or_default()
}

/// The statistics a store keeps.
#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Every figure of a period.
    async fn stats_report(&self, q: &StatsQuery) -> Result<StatsReport, StoreError>;
    /// The messages not understood in a period, newest first, at most `limit`.
    async fn unmatched_messages(
        &self,
        q: &StatsQuery,
        limit: usize,
    ) -> Result<Vec<UnmatchedRow>, StoreError>;
    /// Conversations untouched since `before_ms` whose flows in progress
    /// were not yet recorded abandoned, at most `limit`.
    async fn idle_conversations(
        &self,
        before_ms: i64,
        limit: usize,
    ) -> Result<Vec<IdleConversation>, StoreError>;
    /// Records the abandonment of an idle conversation's flows (at its last
    /// activity, `write` in that time's day and hour), unless the citizen
    /// came back meanwhile. Returns whether it was recorded.
    async fn record_idle(
        &self,
        c: &IdleConversation,
        write: StatsWrite,
    ) -> Result<bool, StoreError>;
    /// Rolls the records older than `before_ms` up into daily counts and
    /// deletes them (with the messages not understood), a day of records at
    /// most per call, the oldest first. Returns the rows deleted.
    async fn roll_up_stats(&self, before_ms: i64) -> Result<u64, StoreError>;
    /// Folds the records turns left pending beside their conversations,
    /// then adds the counts left pending to their rows, ten thousand at
    /// most (PostgreSQL; the embedded store writes both as it commits).
    /// Returns how many conversations and count rows there were: 0 when
    /// nothing was pending.
    async fn fold_pending_counts(&self) -> Result<u64, StoreError>;
}

#[async_trait]
impl<T: SqlBackend + ?Sized> StatsStore for T {
    async fn stats_report(&self, q: &StatsQuery) -> Result<StatsReport, StoreError> {
        super::sql::fold_before_reading(self).await;
        let p = params(q);
        let mut report = StatsReport {
            query: q.clone(),
            ..StatsReport::default()
        };

        // Conversations per day and hour (in the language they went on in,
        // which the first message may change), by their messages and by
        // their length: one pass over the period's conversations, counted
        // here (grouping them three ways in SQL costs three sorts), and
        // the distributions rolled up from purged ones.
        let rows = self
            .query(
                &format!(
                    "SELECT day, hour, messages, (last_ms - started_ms) / 1000 FROM stats_conversations
                       WHERE {FILTER}"
                ),
                p.clone(),
            )
            .await?;
        let mut days: BTreeMap<String, DayRow> = BTreeMap::new();
        let mut hours = [0i64; 24];
        let mut by_messages: BTreeMap<i64, i64> = BTreeMap::new();
        let mut by_seconds: BTreeMap<i64, i64> = BTreeMap::new();
        let mut add = |day: &str, hour: i64, m: i64, n: i64| {
            if !days.contains_key(day) {
                days.insert(
                    day.to_string(),
                    DayRow {
                        day: day.to_string(),
                        ..DayRow::default()
                    },
                );
            }
            if let Some(d) = days.get_mut(day) {
                d.conversations += n;
                d.messages += m * n;
            }
            if let Some(h) = hours.get_mut(hour.clamp(0, 23) as usize) {
                *h += n;
            }
            report.totals.conversations += n;
            report.totals.messages += m * n;
            *by_messages.entry(m).or_default() += n;
        };
        for r in &rows {
            let day = r.first().map_or("", SqlValue::as_str);
            add(day, int(r, 1), int(r, 2), 1);
            *by_seconds.entry(int(r, 3)).or_default() += 1;
        }
        let rows = self
            .query(
                &format!(
                    "SELECT kind, day, hour, bucket, CAST(SUM(n) AS BIGINT) FROM {} d
                       WHERE kind IN ('conversation_messages', 'conversation_seconds') AND {FILTER}
                       GROUP BY kind, day, hour, bucket",
                    all_counts(self.dialect())
                ),
                p.clone(),
            )
            .await?;
        for r in &rows {
            let (b, n) = (int(r, 3), int(r, 4));
            if text(r, 0) == "conversation_messages" {
                add(&text(r, 1), int(r, 2), b, n);
            } else {
                *by_seconds.entry(b).or_default() += n;
            }
        }
        report.per_hour = hours
            .iter()
            .enumerate()
            .map(|(hour, n)| HourRow {
                hour: hour as i64,
                conversations: *n,
            })
            .collect();
        report.totals.median_messages = median(&by_messages);
        report.totals.median_seconds = median(&by_seconds);

        // Hand-overs and messages not understood per day.
        let rows = self
            .query(
                &counts(
                    self.dialect(),
                    "('handoff', 'unmatched')",
                    &["day", "kind"],
                    "",
                ),
                p.clone(),
            )
            .await?;
        for r in &rows {
            let (day, kind, n) = (text(r, 0), text(r, 1), int(r, 2));
            let d = days.entry(day.clone()).or_insert_with(|| DayRow {
                day,
                ..DayRow::default()
            });
            if kind == "handoff" {
                d.handoffs += n;
                report.totals.handoffs += n;
            } else {
                d.unmatched += n;
                report.totals.unmatched += n;
            }
        }

        report.per_day = days.into_values().collect();

        // Topics: flows the citizens asked for, by language and channel.
        let rows = self
            .query(
                &counts(
                    self.dialect(),
                    "('flow_started')",
                    &["flow", "lang", "channel"],
                    &format!(" AND detail IN {TOPIC_STARTS}"),
                ),
                p.clone(),
            )
            .await?;
        for r in &rows {
            let n = int(r, 3);
            report.totals.topics += n;
            report.topics.push(TopicRow {
                flow: text(r, 0),
                lang: text(r, 1),
                channel: text(r, 2),
                started: n,
            });
        }
        report
            .topics
            .sort_by(|a, b| b.started.cmp(&a.started).then(a.flow.cmp(&b.flow)));

        // Completion per flow: the bot's own start and fallback flows are
        // not counted.
        let rows = self
            .query(
                &counts(
                    self.dialect(),
                    "('flow_started', 'flow_completed', 'flow_abandoned')",
                    &["flow", "kind", "detail"],
                    "",
                ),
                p.clone(),
            )
            .await?;
        let mut flows: BTreeMap<String, FlowRow> = BTreeMap::new();
        let mut abandonment: BTreeMap<(String, String), i64> = BTreeMap::new();
        for r in &rows {
            let (flow, kind, detail, n) = (text(r, 0), text(r, 1), text(r, 2), int(r, 3));
            let f = flows.entry(flow.clone()).or_insert_with(|| FlowRow {
                flow: flow.clone(),
                ..FlowRow::default()
            });
            match kind.as_str() {
                "flow_started" if detail != "start" && detail != "fallback" => f.started += n,
                "flow_completed" => f.completed += n,
                "flow_abandoned" => {
                    f.abandoned += n;
                    *abandonment.entry((flow, detail)).or_default() += n;
                }
                _ => {}
            }
        }
        report.flows = flows
            .into_values()
            .filter(|f| f.started > 0)
            .map(|mut f| {
                f.completed = f.completed.min(f.started);
                f.abandoned = f.abandoned.min(f.started - f.completed);
                f.in_progress = f.started - f.completed - f.abandoned;
                f.completion_rate = f.completed as f64 / f.started as f64;
                f
            })
            .collect();
        report
            .flows
            .sort_by(|a, b| b.started.cmp(&a.started).then(a.flow.cmp(&b.flow)));
        report.abandonment = abandonment
            .into_iter()
            .map(|((flow, how), count)| AbandonRow { flow, how, count })
            .collect();

        // The funnel: each form step of each flow.
        let rows = self
            .query(
                &counts(
                    self.dialect(),
                    "('slot_asked', 'slot_refused', 'flow_abandoned')",
                    &["flow", "step", "step_index", "kind"],
                    " AND step <> ''",
                ),
                p.clone(),
            )
            .await?;
        let mut steps: BTreeMap<(String, i64), FunnelRow> = BTreeMap::new();
        for r in &rows {
            let (flow, step, index, kind, n) =
                (text(r, 0), text(r, 1), int(r, 2), text(r, 3), int(r, 4));
            if step.is_empty() {
                continue;
            }
            let row = steps
                .entry((flow.clone(), index))
                .or_insert_with(|| FunnelRow {
                    flow,
                    step,
                    step_index: index,
                    ..FunnelRow::default()
                });
            match kind.as_str() {
                "slot_asked" => row.asked += n,
                "slot_refused" => row.refused += n,
                _ => row.abandoned += n,
            }
        }
        let started: BTreeMap<&str, i64> = report
            .flows
            .iter()
            .map(|f| (f.flow.as_str(), f.started))
            .collect();
        let mut left_before: BTreeMap<String, i64> = BTreeMap::new();
        for ((flow, _), mut row) in steps {
            let before = left_before.entry(flow.clone()).or_default();
            row.reached = (started.get(flow.as_str()).copied().unwrap_or(0) - *before).max(0);
            *before += row.abandoned;
            report.funnel.push(row);
        }
        for f in &mut report.flows {
            f.form = left_before.contains_key(&f.flow);
        }
        let forms = || report.flows.iter().filter(|f| f.form);
        report.totals.flows_completed = forms().map(|f| f.completed).sum();
        report.totals.flows_abandoned = forms().map(|f| f.abandoned).sum();

        // Hand-overs by reason and service.
        let rows = self
            .query(
                &counts(self.dialect(), "('handoff')", &["detail", "extra"], ""),
                p,
            )
            .await?;
        report.handoffs = rows
            .iter()
            .map(|r| HandoffRow {
                reason: text(r, 0),
                service: text(r, 1),
                count: int(r, 2),
            })
            .collect();
        report
            .handoffs
            .sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
        Ok(report)
    }

    async fn unmatched_messages(
        &self,
        q: &StatsQuery,
        limit: usize,
    ) -> Result<Vec<UnmatchedRow>, StoreError> {
        super::sql::fold_before_reading(self).await;
        let mut p = params(q);
        p.push(SqlValue::int(limit as i64));
        let rows = self
            .query(
                &format!(
                    "SELECT at_ms, day, lang, channel, text, closest, score, ambiguous
                     FROM stats_unmatched WHERE {FILTER} ORDER BY at_ms DESC, id DESC LIMIT $5"
                ),
                p,
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| UnmatchedRow {
                at_ms: int(&r, 0),
                day: text(&r, 1),
                lang: text(&r, 2),
                channel: text(&r, 3),
                text: text(&r, 4),
                closest: r.get(5).cloned().and_then(SqlValue::into_opt_string),
                score: int(&r, 6) as f64 / 1000.0,
                ambiguous: int(&r, 7) != 0,
            })
            .collect())
    }

    async fn idle_conversations(
        &self,
        before_ms: i64,
        limit: usize,
    ) -> Result<Vec<IdleConversation>, StoreError> {
        super::sql::fold_before_reading(self).await;
        let rows = self
            .query(
                "SELECT c.id, c.session, c.channel, COALESCE(c.lang, s.lang), c.updated_ms
                 FROM conversations c JOIN stats_conversations s ON s.conversation_id = c.id
                 WHERE c.updated_ms < $1 AND (s.idle_ms IS NULL OR s.idle_ms < c.updated_ms)
                 ORDER BY c.updated_ms LIMIT $2",
                vec![SqlValue::int(before_ms), SqlValue::int(limit as i64)],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| IdleConversation {
                id: text(&r, 0),
                session: text(&r, 1),
                channel: text(&r, 2),
                lang: text(&r, 3),
                updated_ms: int(&r, 4),
            })
            .collect())
    }

    async fn record_idle(
        &self,
        c: &IdleConversation,
        write: StatsWrite,
    ) -> Result<bool, StoreError> {
        // The mark and the records go together, and only if the
        // conversation is as it was read.
        let mut statements = vec![Statement::new(
            "UPDATE stats_conversations SET idle_ms = $1 WHERE conversation_id = $2
               AND EXISTS (SELECT 1 FROM conversations WHERE id = $2 AND updated_ms = $1)",
            vec![SqlValue::int(c.updated_ms), SqlValue::text(&c.id)],
        )];
        // Each record and its day's count, only if the mark was set.
        let marked = "EXISTS (SELECT 1 FROM stats_conversations WHERE conversation_id = CAST($1 AS TEXT) AND idle_ms = CAST($2 AS BIGINT))";
        let since_start = "CAST($2 AS BIGINT) - (SELECT at_ms FROM stats_flow_starts
                     WHERE conversation_id = CAST($1 AS TEXT) AND flow = CAST($5 AS TEXT))";
        for e in &write.events {
            statements.push(Statement::new(
                format!(
                    "INSERT INTO stats_daily (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, n, total)
                     SELECT CAST($3 AS TEXT), CAST($4 AS TEXT), -1, CAST($6 AS TEXT), CAST($7 AS TEXT),
                       COALESCE(CAST($5 AS TEXT), ''), COALESCE(CAST($8 AS TEXT), ''), COALESCE(CAST($9 AS BIGINT), -1),
                       COALESCE(CAST($10 AS TEXT), ''), COALESCE(CAST($11 AS TEXT), ''), -1, 1,
                       COALESCE({since_start}, 0)
                     WHERE {marked}
                     {COUNT_UPSERT}"
                ),
                vec![
                    SqlValue::text(&c.id),
                    SqlValue::int(c.updated_ms),
                    SqlValue::text(&e.kind),
                    SqlValue::text(&write.day),
                    SqlValue::Text(e.flow.clone()),
                    SqlValue::text(&write.channel),
                    SqlValue::text(&write.lang),
                    SqlValue::Text(e.step.clone()),
                    SqlValue::Int(e.step_index),
                    SqlValue::Text(e.detail.clone()),
                    SqlValue::Text(e.extra.clone()),
                ],
            ));
            statements.push(Statement::new(
                "INSERT INTO stats_events (conversation_id, at_ms, day, hour, channel, lang, kind, flow, step, step_index, detail, extra, value)
                 SELECT CAST($1 AS TEXT), CAST($2 AS BIGINT), CAST($3 AS TEXT), CAST($4 AS BIGINT),
                   CAST($5 AS TEXT), CAST($6 AS TEXT), CAST($7 AS TEXT), CAST($8 AS TEXT), CAST($9 AS TEXT),
                   CAST($10 AS BIGINT), CAST($11 AS TEXT), CAST($12 AS TEXT),
                   CAST($2 AS BIGINT) - (SELECT at_ms FROM stats_flow_starts
                     WHERE conversation_id = CAST($1 AS TEXT) AND flow = CAST($8 AS TEXT))
                 WHERE EXISTS (SELECT 1 FROM stats_conversations WHERE conversation_id = CAST($1 AS TEXT) AND idle_ms = CAST($13 AS BIGINT))",
                vec![
                    SqlValue::text(&c.id),
                    SqlValue::int(c.updated_ms),
                    SqlValue::text(&write.day),
                    SqlValue::int(write.hour),
                    SqlValue::text(&write.channel),
                    SqlValue::text(&write.lang),
                    SqlValue::text(&e.kind),
                    SqlValue::Text(e.flow.clone()),
                    SqlValue::Text(e.step.clone()),
                    SqlValue::Int(e.step_index),
                    SqlValue::Text(e.detail.clone()),
                    SqlValue::Text(e.extra.clone()),
                    SqlValue::int(c.updated_ms),
                ],
            ));
        }
        let done = self.transaction(statements).await?;
        Ok(done.first().is_some_and(|(_, n)| *n == 1))
    }

    async fn fold_pending_counts(&self) -> Result<u64, StoreError> {
        let records = super::sql::fold_all_records(self).await?;
        if self.dialect() != Dialect::Postgres {
            return Ok(records);
        }
        let done = self
            .transaction(vec![Statement::new(FOLD_PENDING, Vec::new())])
            .await?;
        Ok(records + done.first().map_or(0, |(_, n)| *n))
    }

    async fn roll_up_stats(&self, before_ms: i64) -> Result<u64, StoreError> {
        super::sql::fold_before_reading(self).await;
        // A day of records at most per call, oldest first: a store that
        // catches up on a long backlog never holds its writer long.
        let oldest = self
            .query(
                "SELECT MIN(t) FROM (SELECT MIN(at_ms) AS t FROM stats_events WHERE at_ms < $1
                   UNION ALL SELECT MIN(at_ms) FROM stats_lines WHERE at_ms < $1) AS oldest",
                vec![SqlValue::int(before_ms)],
            )
            .await?
            .first()
            .and_then(|r| r.first())
            .and_then(|v| match v {
                SqlValue::Int(Some(t)) => Some(*t),
                _ => None,
            });
        let before_ms = match oldest {
            Some(t) => before_ms.min(t + DAY_MS),
            None => before_ms,
        };
        let dims = "kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket";
        let upsert = COUNT_UPSERT;
        // The records are counted already (as they were written): the
        // conversations' distributions are rolled up, then the rows go.
        let mut statements = vec![
            Statement::new(
                format!(
                    "INSERT INTO stats_daily ({dims}, n, total)
                     SELECT 'conversation_messages', day, hour, channel, lang, '', '', -1, '', '', messages,
                       COUNT(*), 0
                     FROM stats_conversations WHERE last_ms < $1
                     GROUP BY day, hour, channel, lang, messages
                     {upsert}"
                ),
                vec![SqlValue::int(before_ms)],
            ),
            Statement::new(
                format!(
                    "INSERT INTO stats_daily ({dims}, n, total)
                     SELECT 'conversation_seconds', day, hour, channel, lang, '', '', -1, '', '',
                       (last_ms - started_ms) / 1000, COUNT(*), 0
                     FROM stats_conversations WHERE last_ms < $1
                     GROUP BY day, hour, channel, lang, (last_ms - started_ms) / 1000
                     {upsert}"
                ),
                vec![SqlValue::int(before_ms)],
            ),
        ];
        // Then the rows of that age go: the records as written, the flow
        // starts, the idle abandonments, the figures, the messages.
        for (table, time) in [
            ("stats_events", "at_ms"),
            ("stats_lines", "at_ms"),
            ("stats_flow_starts", "at_ms"),
            ("stats_conversations", "last_ms"),
            ("stats_unmatched", "at_ms"),
        ] {
            statements.push(Statement::new(
                format!("DELETE FROM {table} WHERE {time} < $1"),
                vec![SqlValue::int(before_ms)],
            ));
        }
        let done = self.transaction(statements).await?;
        Ok(done.iter().skip(2).map(|(_, n)| n).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_come_from_histograms() {
        let h = |pairs: &[(i64, i64)]| pairs.iter().copied().collect::<BTreeMap<_, _>>();
        assert_eq!(median(&h(&[])), 0.0);
        assert_eq!(median(&h(&[(3, 1)])), 3.0);
        assert_eq!(median(&h(&[(1, 1), (5, 1)])), 3.0);
        assert_eq!(median(&h(&[(1, 2), (2, 1), (9, 2)])), 2.0);
        assert_eq!(median(&h(&[(1, 3), (4, 1)])), 1.0);
    }
}
