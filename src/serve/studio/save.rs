//! Saving a file from the studio: only the version the page loaded, only
//! when the whole bot checks with the new text, atomically, with a line in
//! the log saying who saved which file (never what it holds).

use super::edits::Editing;
use super::files::{hash, write_atomic};
use super::Refusal;
use crate::serve::error::ApiError;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
pub struct SaveRequest {
    /// Relative to the bot's folder.
    pub path: String,
    pub text: String,
    /// The hash of the text the page loaded.
    pub hash: String,
}

/// A file written.
#[derive(Debug)]
pub struct Saved {
    pub hash: String,
    pub warnings: usize,
}

/// Writes the file of `req` for `login`, or says why not: a path outside
/// the folder (400), a file changed since the page loaded it (409), a bot
/// that would not check (422, with its diagnostics). The caller holds the
/// studio's save lock.
pub fn write_checked(editing: &Editing, login: &str, req: &SaveRequest) -> Result<Saved, Refusal> {
    let folder = &editing.folder;
    let path = folder.resolve(&req.path)?;
    let current = std::fs::read_to_string(&path)
        .map_err(|e| ApiError::BadInput(format!("{} cannot be read: {e}", req.path)))?;
    if hash(&current) != req.hash {
        return Err(Refusal::Changed {
            hash: hash(&current),
        });
    }
    let mut texts = folder.read_all();
    texts.insert(req.path.clone(), req.text.clone());
    let report = editing.check_texts(&texts);
    if report.errors > 0 {
        return Err(Refusal::Errors(
            "the bot would not check with this text: nothing was written",
            Arc::new(report),
        ));
    }
    write_atomic(&path, &req.text)
        .map_err(|e| ApiError::Internal(format!("writing {} failed: {e}", path.display())))?;
    tracing::info!(login = %login, file = %req.path, "studio: a file of the bot was saved");
    Ok(Saved {
        hash: hash(&req.text),
        warnings: report.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::super::files::BotFolder;
    use super::*;
    use std::io::Write;
    use std::sync::Mutex;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    const FLOW: &str = "bot \"Essai\"\n  languages fr\n  default fr\n  start hello\nend\n\nflow hello\n  say fr: \"Bonjour, numéro secret 4242\"\nend\n";

    #[test]
    fn a_save_is_checked_written_and_logged_without_its_text() {
        let dir = std::env::temp_dir().join(format!("guichet-studio-save-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("bot.flow"), FLOW).unwrap();
        let editing = Editing::new(BotFolder::new(&dir).unwrap());
        let captured = Captured::default();
        let sink = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            // A mistake: refused, the file as it was.
            let broken = FLOW.replace("start hello", "start helo");
            let refused = write_checked(
                &editing,
                "sophie",
                &SaveRequest {
                    path: "bot.flow".into(),
                    text: broken,
                    hash: hash(FLOW),
                },
            );
            assert!(matches!(refused, Err(Refusal::Errors(_, ref r)) if r.errors > 0));
            // Another version than the one on disk: refused.
            let stale = write_checked(
                &editing,
                "sophie",
                &SaveRequest {
                    path: "bot.flow".into(),
                    text: FLOW.into(),
                    hash: hash("an older text"),
                },
            );
            assert!(matches!(stale, Err(Refusal::Changed { .. })));
            assert_eq!(std::fs::read_to_string(dir.join("bot.flow")).unwrap(), FLOW);
            let edited = FLOW.replace("Bonjour", "Bonjour et bienvenue");
            let saved = write_checked(
                &editing,
                "sophie",
                &SaveRequest {
                    path: "bot.flow".into(),
                    text: edited.clone(),
                    hash: hash(FLOW),
                },
            )
            .unwrap_or_else(|_| panic!("the save is refused"));
            assert_eq!(saved.hash, hash(&edited));
            assert_eq!(
                std::fs::read_to_string(dir.join("bot.flow")).unwrap(),
                edited
            );
        });
        let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = logs.lines().filter(|l| l.contains("saved")).collect();
        assert_eq!(lines.len(), 1, "{logs}");
        assert!(lines[0].contains("login=sophie") && lines[0].contains("file=bot.flow"));
        assert!(
            !logs.contains("4242") && !logs.contains("bienvenue"),
            "{logs}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
