//! The commands that read or change a store directly: `guichet stats`,
//! `guichet suggest`, `guichet export` and `guichet erase`.

use guichet::serve::stats::{self, learn};
use guichet::serve::store::{self, Selector, StatsQuery, Store};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("error: cannot start: {e}");
            ExitCode::from(1)
        })
}

async fn open(url: &str) -> Result<Arc<dyn Store>, ExitCode> {
    store::open(url).await.map_err(|e| {
        eprintln!(
            "error: the store {} could not be opened: {e}",
            guichet::serve::redact(url)
        );
        ExitCode::from(1)
    })
}

fn local_now() -> chrono::NaiveDateTime {
    super::clock::system_now()
}

/// The period and filters of `stats` and `suggest`.
pub struct Period<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub lang: Option<&'a str>,
    pub channel: Option<&'a str>,
}

fn query(p: &Period, days_back: Option<i64>) -> Result<StatsQuery, ExitCode> {
    let today = local_now().date();
    let default_from = days_back.map(|d| (today - chrono::Duration::days(d - 1)).to_string());
    let from = p.from.or(default_from.as_deref());
    stats::query(from, p.to, p.lang, p.channel, today).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

/// `guichet stats --store URL [--from --to --lang --channel] [--format]`
pub fn stats(url: &str, period: Period, format: &str) -> ExitCode {
    if !matches!(format, "table" | "json" | "csv") {
        eprintln!("error: --format is `table`, `json` or `csv`, not `{format}`");
        return ExitCode::from(2);
    }
    let q = match query(&period, None) {
        Ok(q) => q,
        Err(c) => return c,
    };
    let rt = match runtime() {
        Ok(r) => r,
        Err(c) => return c,
    };
    rt.block_on(async move {
        let store = match open(url).await {
            Ok(s) => s,
            Err(c) => return c,
        };
        match store.stats_report(&q).await {
            Ok(report) => {
                match format {
                    "json" => outln!(
                        "{}",
                        serde_json::to_string_pretty(&report).unwrap_or_default()
                    ),
                    "csv" => out!("{}", stats::to_csv(&report)),
                    _ => out!("{}", stats::to_table(&report)),
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        }
    })
}

/// `guichet suggest --store URL [BOT_DIR]`: the messages not understood,
/// grouped; for each group the bot does not answer yet, the trigger to
/// add and a conversation test.
pub fn suggest(url: &str, bot_dir: Option<&Path>, period: Period, json: bool) -> ExitCode {
    let bot = match bot_dir {
        Some(dir) => match guichet::Bot::from_path(dir) {
            Ok(b) => Some(b),
            Err(e) => {
                eprint!("{e}");
                eprintln!("{}: the bot does not load", dir.display());
                return ExitCode::from(1);
            }
        },
        None => None,
    };
    let q = match query(&period, Some(90)) {
        Ok(q) => q,
        Err(c) => return c,
    };
    let rt = match runtime() {
        Ok(r) => r,
        Err(c) => return c,
    };
    rt.block_on(async move {
        let store = match open(url).await {
            Ok(s) => s,
            Err(c) => return c,
        };
        let rows = match store.unmatched_messages(&q, 2000).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        };
        let groups = learn::group(&rows, bot.as_ref());
        if json {
            outln!(
                "{}",
                serde_json::to_string_pretty(&groups).unwrap_or_default()
            );
            return ExitCode::SUCCESS;
        }
        print_suggestions(&groups, &q, bot.is_some());
        ExitCode::SUCCESS
    })
}

fn print_suggestions(groups: &[learn::Group], q: &StatsQuery, matched: bool) {
    outln!(
        "# Messages not understood from {} to {}: {} in {} groups",
        q.from,
        q.to,
        groups.iter().map(|g| g.count).sum::<usize>(),
        groups.len()
    );
    let answered: Vec<&learn::Group> = groups.iter().filter(|g| g.answered_by.is_some()).collect();
    if !answered.is_empty() {
        outln!("\n# Answered now by this version of the bot:");
        for g in &answered {
            outln!(
                "#   {} × \"{}\" -> {}",
                g.count,
                g.text.replace('\n', " "),
                g.answered_by.as_deref().unwrap_or("")
            );
        }
    }
    for (flow, gs) in learn::by_flow(groups) {
        outln!("\n# ---- flow {flow}");
        outln!("# Add to its triggers:");
        for g in &gs {
            if let Some(s) = &g.suggestion {
                outln!(
                    "    {}    # {} message{} like this, closest score {:.2}",
                    s.trigger,
                    g.count,
                    if g.count == 1 { "" } else { "s" },
                    g.score
                );
            }
        }
        outln!("# And to a conversation test (a .test file):");
        for g in &gs {
            if let Some(s) = &g.suggestion {
                outln!("{}\n", s.test);
            }
        }
    }
    let lost: Vec<&learn::Group> = groups
        .iter()
        .filter(|g| g.answered_by.is_none() && g.suggestion.is_none())
        .collect();
    if !lost.is_empty() {
        outln!(
            "\n# Close to no flow{}:",
            if matched {
                ""
            } else {
                " (give the bot's folder to match them)"
            }
        );
        for g in lost {
            outln!("#   {} × \"{}\"", g.count, g.text.replace('\n', " "));
        }
    }
}

/// Whose data: exactly one selector.
pub fn selector(
    conversation: Option<String>,
    psid: Option<String>,
    value: Option<String>,
) -> Result<Selector, ExitCode> {
    match (conversation, psid, value) {
        (Some(c), None, None) => Ok(Selector::Conversation(c)),
        (None, Some(p), None) => Ok(Selector::Psid(p)),
        (None, None, Some(v)) if v.trim().chars().count() >= 3 => Ok(Selector::Value(
            guichet::privacy::value_variants(&v, local_now()),
        )),
        (None, None, Some(_)) => {
            eprintln!("error: --value needs at least 3 characters");
            Err(ExitCode::from(2))
        }
        _ => {
            eprintln!("error: give exactly one of --conversation ID, --psid PSID or --value TEXT");
            Err(ExitCode::from(2))
        }
    }
}

/// `guichet export --store URL SELECTOR`: what is held about a citizen, as JSON.
pub fn export(url: &str, selector: Selector) -> ExitCode {
    let rt = match runtime() {
        Ok(r) => r,
        Err(c) => return c,
    };
    rt.block_on(async move {
        let store = match open(url).await {
            Ok(s) => s,
            Err(c) => return c,
        };
        let result = async {
            let ids = store.find_conversations(&selector).await?;
            store.export_conversations(&ids).await
        }
        .await;
        match result {
            Ok(json) => {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&json).unwrap_or_default()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        }
    })
}

/// `guichet erase --store URL SELECTOR [--dry-run]`: deletes a citizen's
/// conversations and everything derived from them.
pub fn erase(url: &str, selector: Selector, dry_run: bool) -> ExitCode {
    let rt = match runtime() {
        Ok(r) => r,
        Err(c) => return c,
    };
    rt.block_on(async move {
        let store = match open(url).await {
            Ok(s) => s,
            Err(c) => return c,
        };
        let ids = match store.find_conversations(&selector).await {
            Ok(ids) => ids,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        };
        if dry_run {
            outln!(
                "{} conversation{} would be erased:",
                ids.len(),
                if ids.len() == 1 { "" } else { "s" }
            );
            for id in &ids {
                outln!("  {id}");
            }
            return ExitCode::SUCCESS;
        }
        match store.erase_conversations(&ids).await {
            Ok(erased) => {
                outln!(
                    "erased {} conversation{}",
                    ids.len(),
                    if ids.len() == 1 { "" } else { "s" }
                );
                for (table, n) in erased.iter().filter(|(_, n)| **n > 0) {
                    outln!("  {table}: {n} row{}", if *n == 1 { "" } else { "s" });
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        }
    })
}
