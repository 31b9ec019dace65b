//! The server's settings: flags and `GUICHET_*` variables (read by the
//! command line) over an optional `guichet.toml`. `Debug` hides secrets.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// A secret: shown as `***` by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// An action's HTTP hook.
#[derive(Debug, Clone, PartialEq)]
pub struct HookConfig {
    pub url: String,
    /// The header that carries the secret, e.g. `X-Guichet-Secret`.
    pub secret_header: Option<String>,
    pub secret: Option<Secret>,
    pub timeout: Duration,
    pub retries: u32,
    /// The first pause between tries; it doubles at each try.
    pub backoff: Duration,
}

/// Request limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// A request body, in bytes.
    pub body_bytes: usize,
    /// A citizen's text, in characters.
    pub text_chars: usize,
    /// A request, start to answer (not the event stream).
    pub request_timeout: Duration,
    /// How long a turn waits for the conversation's previous turn.
    pub turn_wait: Duration,
    /// Requests per second per client address (0: no limit), and the burst.
    pub per_ip_rate: f64,
    pub per_ip_burst: f64,
    /// Inputs per second per conversation (0: no limit), and the burst.
    pub per_conversation_rate: f64,
    pub per_conversation_burst: f64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            body_bytes: 16 * 1024,
            text_chars: 2000,
            request_timeout: Duration::from_secs(30),
            turn_wait: Duration::from_secs(10),
            per_ip_rate: 20.0,
            per_ip_burst: 100.0,
            per_conversation_rate: 2.0,
            per_conversation_burst: 20.0,
        }
    }
}

/// Everything `guichet serve` runs with.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub bot_dir: PathBuf,
    pub addr: String,
    pub store: String,
    pub demo: bool,
    /// The address citizens and back offices reach the server at (for
    /// callback URLs and links); the bound address when absent.
    pub public_url: Option<String>,
    /// Origins allowed to call the API from a browser (the commune's site).
    pub allowed_origins: Vec<String>,
    pub limits: Limits,
    /// A conversation untouched this long is deleted.
    pub idle_expiry: Duration,
    /// Read `X-Forwarded-For` for the client address (behind a proxy).
    pub trust_forwarded_for: bool,
    pub hooks: BTreeMap<String, HookConfig>,
    /// How often the bot's files are checked for changes (0: never).
    pub reload_poll: Duration,
    /// The bot studio at `/staff/studio`, for staff with the `studio`
    /// permission.
    pub studio: bool,
    /// The Messenger channel, when a Page is connected.
    pub messenger: Option<crate::serve::channels::messenger::MessengerConfig>,
    /// The staff inbox and hand-overs.
    pub staff: crate::serve::staff::StaffConfig,
    /// The event record, flows left idle, and how long anything is kept.
    pub stats: crate::serve::conversation::StatsSettings,
}

impl ServeConfig {
    pub fn new(bot_dir: impl Into<PathBuf>) -> ServeConfig {
        ServeConfig {
            bot_dir: bot_dir.into(),
            addr: "127.0.0.1:8080".into(),
            store: "sqlite://guichet.db".into(),
            demo: false,
            public_url: None,
            allowed_origins: Vec::new(),
            limits: Limits::default(),
            idle_expiry: Duration::from_secs(30 * 24 * 3600),
            trust_forwarded_for: false,
            hooks: BTreeMap::new(),
            reload_poll: Duration::from_secs(1),
            studio: false,
            messenger: None,
            staff: Default::default(),
            stats: Default::default(),
        }
    }

    /// Connects Messenger from the environment alone (no `[messenger]` in
    /// a settings file): when any `GUICHET_MESSENGER_*` variable is set,
    /// all are required.
    pub fn apply_env(&mut self, env: &dyn Fn(&str) -> Option<String>) -> Result<(), String> {
        use crate::serve::channels::messenger::config;
        if self.messenger.is_none() && config::env_wants_messenger(env) {
            self.messenger = Some(config::FileMessenger::default().build(env)?);
        }
        Ok(())
    }

    /// Applies a `guichet.toml`. `env` reads environment variables (the
    /// hooks' secrets).
    pub fn apply_toml(
        &mut self,
        text: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), String> {
        let file: FileConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        if let Some(v) = file.addr {
            self.addr = v;
        }
        if let Some(v) = file.store {
            self.store = v;
        }
        if let Some(v) = file.demo {
            self.demo = v;
        }
        if let Some(v) = file.public_url {
            self.public_url = Some(v);
        }
        if let Some(v) = file.allowed_origins {
            self.allowed_origins = v;
        }
        if let Some(v) = file.trust_forwarded_for {
            self.trust_forwarded_for = v;
        }
        if let Some(v) = file.idle_expiry {
            self.idle_expiry = parse_duration(&v)?;
        }
        if let Some(v) = file.reload_poll {
            self.reload_poll = parse_duration(&v)?;
        }
        if let Some(v) = file.retention {
            self.stats.retention = parse_duration(&v)?;
            if self.stats.retention.is_zero() {
                return Err("`retention` must be longer than 0".into());
            }
        }
        if let Some(s) = file.stats {
            if let Some(v) = s.record {
                self.stats.record = v;
            }
            if let Some(v) = s.abandon_after {
                self.stats.abandon_after = parse_duration(&v)?;
            }
        }
        if let Some(v) = file.studio {
            self.studio = v;
        }
        if let Some(l) = file.limits {
            let d = &mut self.limits;
            if let Some(v) = l.body_bytes {
                d.body_bytes = v;
            }
            if let Some(v) = l.text_chars {
                d.text_chars = v;
            }
            if let Some(v) = l.request_timeout {
                d.request_timeout = parse_duration(&v)?;
            }
            if let Some(v) = l.turn_wait {
                d.turn_wait = parse_duration(&v)?;
            }
            if let Some(v) = l.per_ip_rate {
                d.per_ip_rate = v;
            }
            if let Some(v) = l.per_ip_burst {
                d.per_ip_burst = v;
            }
            if let Some(v) = l.per_conversation_rate {
                d.per_conversation_rate = v;
            }
            if let Some(v) = l.per_conversation_burst {
                d.per_conversation_burst = v;
            }
        }
        if let Some(m) = file.messenger {
            self.messenger = Some(m.build(env)?);
        }
        if let Some(s) = file.staff {
            s.apply(&mut self.staff, env)?;
        }
        for (name, h) in file.actions.unwrap_or_default() {
            let secret_env = h
                .secret_env
                .clone()
                .unwrap_or_else(|| "GUICHET_HOOK_SECRET".into());
            let secret = env(&secret_env).or(h.secret).map(Secret::new);
            if h.secret_header.is_some() && secret.is_none() {
                return Err(format!(
                    "actions.{name}: `secret_header` is set but no secret: set {secret_env} or `secret`"
                ));
            }
            if !(h.url.starts_with("http://") || h.url.starts_with("https://")) {
                return Err(format!("actions.{name}: `url` must be an http(s) URL"));
            }
            self.hooks.insert(
                name,
                HookConfig {
                    url: h.url,
                    secret_header: h.secret_header,
                    secret,
                    timeout: h
                        .timeout
                        .as_deref()
                        .map(parse_duration)
                        .transpose()?
                        .unwrap_or(Duration::from_secs(5)),
                    retries: h.retries.unwrap_or(2),
                    backoff: h
                        .backoff
                        .as_deref()
                        .map(parse_duration)
                        .transpose()?
                        .unwrap_or(Duration::from_millis(200)),
                },
            );
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    store: Option<String>,
    demo: Option<bool>,
    public_url: Option<String>,
    allowed_origins: Option<Vec<String>>,
    trust_forwarded_for: Option<bool>,
    idle_expiry: Option<String>,
    reload_poll: Option<String>,
    retention: Option<String>,
    stats: Option<FileStats>,
    studio: Option<bool>,
    limits: Option<FileLimits>,
    actions: Option<BTreeMap<String, FileHook>>,
    messenger: Option<crate::serve::channels::messenger::config::FileMessenger>,
    staff: Option<crate::serve::staff::config::FileStaff>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileStats {
    record: Option<bool>,
    abandon_after: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLimits {
    body_bytes: Option<usize>,
    text_chars: Option<usize>,
    request_timeout: Option<String>,
    turn_wait: Option<String>,
    per_ip_rate: Option<f64>,
    per_ip_burst: Option<f64>,
    per_conversation_rate: Option<f64>,
    per_conversation_burst: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileHook {
    url: String,
    secret_header: Option<String>,
    secret: Option<String>,
    secret_env: Option<String>,
    timeout: Option<String>,
    retries: Option<u32>,
    backoff: Option<String>,
}

/// `500ms`, `5s`, `10m`, `12h`, `30d`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("`{s}` needs a unit: ms, s, m, h or d"))?;
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{s}` is not a duration like 5s or 30d"))?;
    let secs = match unit.trim() {
        "ms" => return Ok(Duration::from_millis(n)),
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86400,
        _ => return Err(format!("`{s}`: the unit must be ms, s, m, h or d")),
    };
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_sets_hooks_and_debug_hides_their_secrets() {
        let mut c = ServeConfig::new("flows");
        c.apply_toml(
            r#"
            allowed_origins = ["https://www.bruyeres.be"]
            idle_expiry = "7d"
            [limits]
            text_chars = 500
            [actions.create_request]
            url = "https://backoffice.example.org/create"
            secret_header = "X-Guichet-Secret"
            timeout = "2s"
            retries = 1
            "#,
            &|k| (k == "GUICHET_HOOK_SECRET").then(|| "s3cr3t-value".to_string()),
        )
        .unwrap();
        let hook = &c.hooks["create_request"];
        assert_eq!(hook.secret.as_ref().unwrap().expose(), "s3cr3t-value");
        assert_eq!(hook.timeout, Duration::from_secs(2));
        assert_eq!(c.limits.text_chars, 500);
        assert_eq!(c.idle_expiry, Duration::from_secs(7 * 86400));
        assert_eq!(c.stats.retention, Duration::from_secs(90 * 86400));
        c.apply_toml(
            "retention = \"30d\"\n[stats]\nrecord = false\nabandon_after = \"1h\"",
            &|_| None,
        )
        .unwrap();
        assert_eq!(c.stats.retention, Duration::from_secs(30 * 86400));
        assert!(!c.stats.record);
        assert_eq!(c.stats.abandon_after, Duration::from_secs(3600));
        assert!(c.apply_toml("retention = \"0d\"", &|_| None).is_err());
        assert!(!format!("{c:?}").contains("s3cr3t"));
        assert!(c.apply_toml("unknown_key = 1", &|_| None).is_err());
        assert!(parse_duration("5").is_err());
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
    }
}
