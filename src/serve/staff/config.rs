//! The `[staff]` settings: who answers hand-overs, for which services,
//! when, and what happens when nobody does.

use super::hours::OpeningHours;
use crate::serve::config::{parse_duration, HookConfig, Secret};
use crate::serve::store::StaffAccount;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// A service of the commune that receives hand-overs: those whose flow or
/// reason it lists.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRule {
    pub name: String,
    /// Shown in the inbox; the name when absent.
    pub label: Option<String>,
    pub flows: Vec<String>,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct StaffConfig {
    /// Accounts of the settings file (the store may hold more).
    pub accounts: Vec<StaffAccount>,
    pub services: Vec<ServiceRule>,
    /// The service of a hand-over no rule takes.
    pub default_service: String,
    /// `None`: staff are always there.
    pub hours: Option<OpeningHours>,
    /// A waiting case nobody claims this long: the citizen is told so.
    pub claim_timeout: Duration,
    /// In `waiting`, the bot still answers (it can say what happens next).
    pub bot_answers_while_waiting: bool,
    /// The language of the inbox and of the summaries staff read.
    pub lang: Option<String>,
    /// The session cookie's `Secure` flag; off only for a server on
    /// `http://127.0.0.1` or `http://localhost`.
    pub secure_cookie: bool,
    pub session_ttl: Duration,
    /// Sign-in attempts per account and per address, per `sign_in_window`.
    pub sign_in_attempts_per_account: u32,
    pub sign_in_attempts_per_address: u32,
    pub sign_in_window: Duration,
    /// The external ticketing system hand-overs are forwarded to.
    pub ticketing: Option<HookConfig>,
}

impl Default for StaffConfig {
    fn default() -> StaffConfig {
        StaffConfig {
            accounts: Vec::new(),
            services: Vec::new(),
            default_service: "general".into(),
            hours: None,
            claim_timeout: Duration::from_secs(10 * 60),
            bot_answers_while_waiting: true,
            lang: None,
            secure_cookie: true,
            session_ttl: Duration::from_secs(12 * 3600),
            sign_in_attempts_per_account: 5,
            sign_in_attempts_per_address: 20,
            sign_in_window: Duration::from_secs(15 * 60),
            ticketing: None,
        }
    }
}

impl StaffConfig {
    /// The service a hand-over goes to: the first rule naming its flow,
    /// else the first naming its reason, else the default.
    pub fn service_for(&self, flow: Option<&str>, reason: &str) -> String {
        if let Some(flow) = flow {
            if let Some(r) = self
                .services
                .iter()
                .find(|r| r.flows.iter().any(|f| f == flow))
            {
                return r.name.clone();
            }
        }
        if let Some(r) = self
            .services
            .iter()
            .find(|r| r.reasons.iter().any(|x| x == reason))
        {
            return r.name.clone();
        }
        self.default_service.clone()
    }

    pub fn service_label(&self, name: &str) -> String {
        self.services
            .iter()
            .find(|r| r.name == name)
            .and_then(|r| r.label.clone())
            .unwrap_or_else(|| name.replace('_', " "))
    }

    /// Every service name, the default included.
    pub fn service_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.services.iter().map(|r| r.name.clone()).collect();
        if !names.contains(&self.default_service) {
            names.push(self.default_service.clone());
        }
        names
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileStaff {
    accounts: Option<BTreeMap<String, FileAccount>>,
    services: Option<BTreeMap<String, FileService>>,
    default_service: Option<String>,
    hours: Option<BTreeMap<String, String>>,
    claim_timeout: Option<String>,
    bot_answers_while_waiting: Option<bool>,
    lang: Option<String>,
    secure_cookie: Option<bool>,
    session_ttl: Option<String>,
    sign_in_attempts_per_account: Option<u32>,
    sign_in_attempts_per_address: Option<u32>,
    sign_in_window: Option<String>,
    ticketing: Option<FileTicketing>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAccount {
    name: String,
    password_hash: String,
    services: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileService {
    label: Option<String>,
    #[serde(default)]
    flows: Vec<String>,
    #[serde(default)]
    reasons: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTicketing {
    url: String,
    secret_header: Option<String>,
    secret: Option<String>,
    secret_env: Option<String>,
    timeout: Option<String>,
    retries: Option<u32>,
    backoff: Option<String>,
}

impl FileStaff {
    pub(crate) fn apply(
        self,
        c: &mut StaffConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), String> {
        for (login, a) in self.accounts.unwrap_or_default() {
            if !a.password_hash.starts_with("$argon2") {
                return Err(format!(
                    "staff.accounts.{login}: `password_hash` must be an argon2 hash (`guichet staff add {login} --print-hash`)"
                ));
            }
            if a.name.trim().is_empty() {
                return Err(format!("staff.accounts.{login}: `name` is empty"));
            }
            c.accounts.push(StaffAccount {
                login,
                name: a.name,
                password_hash: a.password_hash,
                services: a.services,
            });
        }
        for (name, s) in self.services.unwrap_or_default() {
            c.services.push(ServiceRule {
                name,
                label: s.label,
                flows: s.flows,
                reasons: s.reasons,
            });
        }
        if let Some(v) = self.default_service {
            c.default_service = v;
        }
        if let Some(h) = self.hours {
            c.hours = Some(OpeningHours::parse(&h)?);
        }
        if let Some(v) = self.claim_timeout {
            c.claim_timeout = parse_duration(&v)?;
        }
        if let Some(v) = self.bot_answers_while_waiting {
            c.bot_answers_while_waiting = v;
        }
        if let Some(v) = self.lang {
            c.lang = Some(v);
        }
        if let Some(v) = self.secure_cookie {
            c.secure_cookie = v;
        }
        if let Some(v) = self.session_ttl {
            c.session_ttl = parse_duration(&v)?;
        }
        if let Some(v) = self.sign_in_attempts_per_account {
            c.sign_in_attempts_per_account = v.max(1);
        }
        if let Some(v) = self.sign_in_attempts_per_address {
            c.sign_in_attempts_per_address = v.max(1);
        }
        if let Some(v) = self.sign_in_window {
            c.sign_in_window = parse_duration(&v)?;
        }
        if let Some(t) = self.ticketing {
            let secret_env = t
                .secret_env
                .clone()
                .unwrap_or_else(|| "GUICHET_TICKETING_SECRET".into());
            let secret = env(&secret_env).or(t.secret).map(Secret::new);
            if t.secret_header.is_some() && secret.is_none() {
                return Err(format!(
                    "staff.ticketing: `secret_header` is set but no secret: set {secret_env} or `secret`"
                ));
            }
            if !(t.url.starts_with("http://") || t.url.starts_with("https://")) {
                return Err("staff.ticketing: `url` must be an http(s) URL".into());
            }
            c.ticketing = Some(HookConfig {
                url: t.url,
                secret_header: t.secret_header,
                secret,
                timeout: t
                    .timeout
                    .as_deref()
                    .map(parse_duration)
                    .transpose()?
                    .unwrap_or(Duration::from_secs(5)),
                retries: t.retries.unwrap_or(2),
                backoff: t
                    .backoff
                    .as_deref()
                    .map(parse_duration)
                    .transpose()?
                    .unwrap_or(Duration::from_millis(200)),
            });
        }
        Ok(())
    }
}

/// Whether `url` names this machine over plain HTTP, where a cookie
/// without `Secure` is acceptable (development).
pub fn is_local_http(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', ':']).next().unwrap_or("");
    matches!(host, "127.0.0.1" | "localhost")
}

#[cfg(test)]
mod tests {
    use crate::serve::ServeConfig;

    #[test]
    fn the_staff_section_maps_hand_overs_to_services() {
        let mut c = ServeConfig::new("flows");
        c.apply_toml(
            r#"
            [staff]
            claim_timeout = "5m"
            lang = "nl"
            [staff.hours]
            mon = "08:30-12:00"
            [staff.services.petite_enfance]
            label = "Petite enfance"
            flows = ["creche_enrolment"]
            [staff.services.accueil]
            reasons = ["asked_for_agent"]
            [staff.accounts.marie]
            name = "Marie"
            password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"
            services = ["petite_enfance"]
            [staff.ticketing]
            url = "https://tickets.example/guichet"
            secret_header = "X-Secret"
            "#,
            &|k| (k == "GUICHET_TICKETING_SECRET").then(|| "t-secret".to_string()),
        )
        .unwrap();
        let s = &c.staff;
        assert_eq!(s.claim_timeout, std::time::Duration::from_secs(300));
        assert_eq!(
            s.service_for(Some("creche_enrolment"), "asked_for_agent"),
            "petite_enfance"
        );
        assert_eq!(s.service_for(Some("waste"), "asked_for_agent"), "accueil");
        assert_eq!(s.service_for(None, "too_many_attempts"), "general");
        assert_eq!(s.service_label("petite_enfance"), "Petite enfance");
        assert_eq!(s.accounts[0].login, "marie");
        assert!(s.hours.is_some());
        assert!(!format!("{c:?}").contains("t-secret"));
        let mut bad = ServeConfig::new("flows");
        let e = bad
            .apply_toml(
                "[staff.accounts.x]\nname = \"X\"\npassword_hash = \"plain\"\nservices = [\"*\"]\n",
                &|_| None,
            )
            .unwrap_err();
        assert!(e.contains("argon2"), "{e}");
        assert!(super::is_local_http("http://127.0.0.1:8080/"));
        assert!(super::is_local_http("http://localhost"));
        assert!(!super::is_local_http("https://127.0.0.1"));
        assert!(!super::is_local_http("http://chat.bruyeres.be"));
    }
}
