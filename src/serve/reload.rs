//! Reloading the bot: on SIGHUP, and when its files change (their
//! modification times are compared every `reload_poll`). A bot with
//! errors is refused and logged; the one serving goes on.

use super::app::App;
use crate::Bot;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// Why a reload was refused.
#[derive(Debug)]
pub struct Refused(pub String);

/// Loads the bot again from its folder; on success it serves the next
/// turn of every conversation.
pub fn reload(app: &App) -> Result<(), Refused> {
    match Bot::from_path(&app.config.bot_dir) {
        Ok(bot) => {
            // What the new version does to the conversations in progress:
            // each is carried over at its next turn (see Bot::restore).
            let old = app.service.bots().get();
            for c in bot.compatibility(&old) {
                tracing::warn!(code = c.diagnostic.code, effect = ?c.effect, "{}", c.diagnostic.message);
            }
            app.service.bots().set(bot);
            metrics::counter!("guichet_reloads_total", "outcome" => "loaded").increment(1);
            tracing::info!(bot = %app.config.bot_dir.display(), "bot reloaded");
            Ok(())
        }
        Err(e) => {
            metrics::counter!("guichet_reloads_total", "outcome" => "refused").increment(1);
            let errors = e.diagnostics.iter().filter(|d| d.is_error()).count();
            let first = e.to_string();
            tracing::error!(errors, first = %first.lines().next().unwrap_or(""), "the changed bot has errors: it is refused and the previous one keeps serving");
            Err(Refused(first))
        }
    }
}

/// The bot's files and their modification times and sizes.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&p) {
                for e in entries.flatten() {
                    stack.push(e.path());
                }
            }
        } else {
            out.push((p, meta.modified().ok(), meta.len()));
        }
    }
    out.sort();
    out
}

/// Polls the files (unless `reload_poll` is 0), and listens for SIGHUP;
/// runs until aborted.
pub async fn watch(app: Arc<App>) {
    let polling = !app.config.reload_poll.is_zero();
    let mut last = snapshot(&app.config.bot_dir);
    let mut tick = tokio::time::interval(if polling {
        app.config.reload_poll
    } else {
        std::time::Duration::from_secs(3600)
    });
    #[cfg(unix)]
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    loop {
        #[cfg(unix)]
        let by_signal = async {
            match hup.as_mut() {
                Some(h) => {
                    h.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let by_signal = std::future::pending::<()>();
        tokio::select! {
            _ = tick.tick(), if polling => {
                let now = snapshot(&app.config.bot_dir);
                if now != last {
                    last = now;
                    let _ = reload(&app);
                }
            }
            _ = by_signal => {
                tracing::info!("SIGHUP: reloading the bot");
                last = snapshot(&app.config.bot_dir);
                let _ = reload(&app);
            }
        }
    }
}
