//! The `[messenger]` settings. The three secrets come from the environment
//! (`GUICHET_MESSENGER_VERIFY_TOKEN`, `GUICHET_MESSENGER_APP_SECRET`,
//! `GUICHET_MESSENGER_PAGE_ACCESS_TOKEN`) or the file; `Debug` hides them.

use crate::serve::config::{parse_duration, Secret};
use serde::Deserialize;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct MessengerConfig {
    /// The Meta app's id: echoes of our own messages carry it.
    pub app_id: String,
    /// The token Meta sends back when the webhook is verified.
    pub verify_token: Secret,
    /// Signs every delivery (`X-Hub-Signature-256`).
    pub app_secret: Secret,
    /// Sends messages as the Page.
    pub page_access_token: Secret,
    /// `https://graph.facebook.com`; tests point it at a fake.
    pub graph_url: String,
    pub graph_version: String,
    /// A postback with this payload (the "Get Started" button) starts the
    /// conversation like the widget's `start`.
    pub get_started_payload: String,
    /// After a person answered from the Page's inbox, the bot stays quiet
    /// this long after that person's last message.
    pub echo_pause: Duration,
    /// The name shown in transcripts for a person answering from the Page.
    pub page_inbox_name: String,
    /// One Send API request.
    pub timeout: Duration,
    /// Tries of one message on 5xx and network failures, then it is given up.
    pub attempts: u32,
    /// The first pause between tries; it doubles at each try.
    pub backoff: Duration,
}

impl MessengerConfig {
    pub fn new(
        app_id: impl Into<String>,
        verify_token: &str,
        app_secret: &str,
        page_access_token: &str,
    ) -> MessengerConfig {
        MessengerConfig {
            app_id: app_id.into(),
            verify_token: Secret::new(verify_token),
            app_secret: Secret::new(app_secret),
            page_access_token: Secret::new(page_access_token),
            graph_url: "https://graph.facebook.com".into(),
            graph_version: "v21.0".into(),
            get_started_payload: "GET_STARTED".into(),
            echo_pause: Duration::from_secs(12 * 3600),
            page_inbox_name: "Page".into(),
            timeout: Duration::from_secs(10),
            attempts: 6,
            backoff: Duration::from_secs(1),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileMessenger {
    app_id: Option<String>,
    verify_token: Option<String>,
    app_secret: Option<String>,
    page_access_token: Option<String>,
    graph_url: Option<String>,
    graph_version: Option<String>,
    get_started_payload: Option<String>,
    echo_pause: Option<String>,
    page_inbox_name: Option<String>,
    timeout: Option<String>,
    attempts: Option<u32>,
    backoff: Option<String>,
}

const ENV_VERIFY: &str = "GUICHET_MESSENGER_VERIFY_TOKEN";
const ENV_SECRET: &str = "GUICHET_MESSENGER_APP_SECRET";
const ENV_TOKEN: &str = "GUICHET_MESSENGER_PAGE_ACCESS_TOKEN";
const ENV_APP_ID: &str = "GUICHET_MESSENGER_APP_ID";

/// Whether the environment asks for Messenger without a `[messenger]`
/// section.
pub(crate) fn env_wants_messenger(env: &dyn Fn(&str) -> Option<String>) -> bool {
    [ENV_VERIFY, ENV_SECRET, ENV_TOKEN, ENV_APP_ID]
        .iter()
        .any(|k| env(k).is_some_and(|v| !v.is_empty()))
}

impl FileMessenger {
    /// The settings, the environment's secrets first. Every secret and
    /// the app id are required.
    pub(crate) fn build(
        self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<MessengerConfig, String> {
        let pick = |var: &str, key: &str, file: Option<String>| -> Result<String, String> {
            env(var)
                .filter(|v| !v.is_empty())
                .or(file.filter(|v| !v.is_empty()))
                .ok_or_else(|| format!("messenger: set {var} (or `{key}` in [messenger])"))
        };
        let app_id = pick(ENV_APP_ID, "app_id", self.app_id)?;
        let verify = pick(ENV_VERIFY, "verify_token", self.verify_token)?;
        let secret = pick(ENV_SECRET, "app_secret", self.app_secret)?;
        let token = pick(ENV_TOKEN, "page_access_token", self.page_access_token)?;
        let mut c = MessengerConfig::new(app_id, &verify, &secret, &token);
        if let Some(v) = self.graph_url {
            if !(v.starts_with("http://") || v.starts_with("https://")) {
                return Err("messenger: `graph_url` must be an http(s) URL".into());
            }
            c.graph_url = v.trim_end_matches('/').to_string();
        }
        if let Some(v) = self.graph_version {
            c.graph_version = v;
        }
        if let Some(v) = self.get_started_payload {
            c.get_started_payload = v;
        }
        if let Some(v) = self.echo_pause {
            c.echo_pause = parse_duration(&v)?;
        }
        if let Some(v) = self.page_inbox_name {
            c.page_inbox_name = v;
        }
        if let Some(v) = self.timeout {
            c.timeout = parse_duration(&v)?;
        }
        if let Some(v) = self.attempts {
            c.attempts = v.max(1);
        }
        if let Some(v) = self.backoff {
            c.backoff = parse_duration(&v)?;
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use crate::serve::ServeConfig;

    #[test]
    fn secrets_come_from_the_environment_first_and_debug_hides_them() {
        let env = |k: &str| match k {
            "GUICHET_MESSENGER_APP_SECRET" => Some("secret-from-env".to_string()),
            "GUICHET_MESSENGER_PAGE_ACCESS_TOKEN" => Some("EAAG-token-from-env".to_string()),
            _ => None,
        };
        let mut c = ServeConfig::new("flows");
        c.apply_toml(
            r#"
            [messenger]
            app_id = "1784512345678901"
            verify_token = "verify-in-file"
            app_secret = "secret-in-file"
            graph_url = "http://127.0.0.1:9/"
            echo_pause = "2h"
            "#,
            &env,
        )
        .unwrap();
        let m = c.messenger.as_ref().unwrap();
        assert_eq!(m.app_secret.expose(), "secret-from-env");
        assert_eq!(m.verify_token.expose(), "verify-in-file");
        assert_eq!(m.page_access_token.expose(), "EAAG-token-from-env");
        assert_eq!(m.graph_url, "http://127.0.0.1:9");
        assert_eq!(m.echo_pause, std::time::Duration::from_secs(7200));
        let shown = format!("{c:?}");
        for secret in ["secret-from-env", "verify-in-file", "EAAG-token-from-env"] {
            assert!(!shown.contains(secret), "{secret} shown");
        }
        // A missing secret is an error that names its variable.
        let mut c = ServeConfig::new("flows");
        let e = c
            .apply_toml("[messenger]\napp_id = \"1\"\n", &|_| None)
            .unwrap_err();
        assert!(e.contains("GUICHET_MESSENGER_VERIFY_TOKEN"), "{e}");
        // The environment alone connects a Page.
        let mut c = ServeConfig::new("flows");
        let all = |k: &str| Some(format!("{k}-value"));
        c.apply_env(&all).unwrap();
        assert_eq!(
            c.messenger.unwrap().app_id,
            "GUICHET_MESSENGER_APP_ID-value"
        );
        let mut c = ServeConfig::new("flows");
        c.apply_env(&|_| None).unwrap();
        assert!(c.messenger.is_none());
    }
}
