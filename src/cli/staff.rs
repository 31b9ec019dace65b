//! `guichet staff add|remove|list`: the accounts of the staff inbox kept in
//! the store. `add` reads the password from stdin (asked twice, hidden,
//! on a terminal) and hashes it with Argon2id; with `--print-hash` it
//! prints the account for `guichet.toml` instead of writing the store.

use guichet::serve::clock::OsRandom;
use guichet::serve::staff::accounts::{hash_password, valid_login};
use guichet::serve::store::{self, StaffAccount};
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

pub enum Args {
    Add {
        login: String,
        name: String,
        services: Vec<String>,
        store: Option<String>,
        print_hash: bool,
    },
    Remove {
        login: String,
        store: Option<String>,
    },
    List {
        store: Option<String>,
    },
}

/// The store `guichet serve` would open here: the flag (or
/// `GUICHET_STORE`), else `store` in `./guichet.toml`, else the default.
fn store_url(flag: Option<String>) -> String {
    if let Some(s) = flag {
        return s;
    }
    std::fs::read_to_string("guichet.toml")
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .and_then(|t| t.get("store").and_then(|s| s.as_str()).map(str::to_string))
        .unwrap_or_else(|| "sqlite://guichet.db".into())
}

fn read_password() -> Result<String, String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Password again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        line.trim_end_matches(['\n', '\r']).to_string()
    };
    if password.chars().count() < 10 {
        return Err("the password needs at least 10 characters".into());
    }
    Ok(password)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

async fn open(url: &str) -> Result<std::sync::Arc<dyn store::Store>, String> {
    store::open(url).await.map_err(|e| {
        format!(
            "the store {} could not be opened: {e}",
            guichet::serve::redact(url)
        )
    })
}

async fn run_async(args: Args) -> Result<(), String> {
    let now = chrono::Utc::now().timestamp_millis();
    match args {
        Args::Add {
            login,
            name,
            services,
            store,
            print_hash,
        } => {
            let login = login.trim().to_ascii_lowercase();
            if !valid_login(&login) {
                return Err("a login has 1 to 64 letters, digits, `.`, `-`, `_` or `@`".into());
            }
            if name.trim().is_empty() {
                return Err("--name is the name citizens see; it cannot be empty".into());
            }
            let services: Vec<String> = services
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if services.is_empty() {
                return Err("--services names the services this account sees (or `*`)".into());
            }
            let password = read_password()?;
            let hash = hash_password(&password, &OsRandom)?;
            if print_hash {
                let list: Vec<String> = services.iter().map(|s| toml_string(s)).collect();
                outln!("[staff.accounts.{login}]");
                outln!("name = {}", toml_string(name.trim()));
                outln!("password_hash = {}", toml_string(&hash));
                outln!("services = [{}]", list.join(", "));
                return Ok(());
            }
            let url = store_url(store);
            let s = open(&url).await?;
            s.put_staff_account(
                &StaffAccount {
                    login: login.clone(),
                    name: name.trim().to_string(),
                    password_hash: hash,
                    services,
                },
                now,
            )
            .await
            .map_err(|e| e.to_string())?;
            outln!(
                "staff account `{login}` saved in {}",
                guichet::serve::redact(&url)
            );
        }
        Args::Remove { login, store } => {
            let url = store_url(store);
            let s = open(&url).await?;
            let login = login.trim().to_ascii_lowercase();
            if !s
                .delete_staff_account(&login)
                .await
                .map_err(|e| e.to_string())?
            {
                return Err(format!("no account `{login}` in the store"));
            }
            outln!("staff account `{login}` removed, with its sessions");
        }
        Args::List { store } => {
            let url = store_url(store);
            let s = open(&url).await?;
            for a in s.staff_accounts().await.map_err(|e| e.to_string())? {
                outln!("{}\t{}\t{}", a.login, a.name, a.services.join(","));
            }
        }
    }
    Ok(())
}

pub fn run(args: Args) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("guichet staff: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run_async(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("guichet staff: {e}");
            ExitCode::from(1)
        }
    }
}
