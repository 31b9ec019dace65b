//! The `guichet` command line. clap and terminal rendering live here, at
//! the edge; the library underneath prints nothing.

mod check;
pub(crate) mod clock;
mod eval;
mod explain;
mod extract;
mod fmt;
mod graph;
mod lsp;
pub(crate) mod run;
#[cfg(feature = "serve")]
mod serve;
pub(crate) mod session_file;
#[cfg(feature = "serve")]
mod staff;
mod store_tools;
mod test;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "guichet",
    version,
    about = "A dialogue language and interpreter for citizen-facing chatbots",
    long_about = "guichet runs municipal chatbots written as flows: forms, branches, slot filling, \
                  actions performed by the host, hand-over to staff, in French, Dutch and English."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a bot: every error and warning, with file, line and help. Exit 1 on errors.
    Check {
        /// A .flow file or a folder of them.
        path: PathBuf,
        /// `human` (default) or `json`: one JSON document,
        /// `{"diagnostics": [...], "errors": N, "warnings": N}` (see docs/editors.md),
        /// with `"changes": [...]` under `--against`.
        #[arg(long, default_value = "human")]
        format: String,
        /// Also list what deploying this version over OLD (the version
        /// now serving) does to conversations in progress: flows and steps
        /// removed, slots removed, retyped or added, actions changed.
        #[arg(long, value_name = "OLD")]
        against: Option<PathBuf>,
    },
    /// Run a bot over the JSON Lines host protocol on stdin/stdout.
    Run {
        path: PathBuf,
        /// Speak the JSON Lines protocol (the only mode).
        #[arg(long)]
        jsonl: bool,
        /// Fix the clock for the whole run (RFC 3339, e.g. 2025-04-14T10:00:00+02:00).
        #[arg(long)]
        now: Option<String>,
        /// The session's starting language (fr, nl, en).
        #[arg(long)]
        lang: Option<String>,
        /// Fix the choice among message variants.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Load the session from FILE if it exists; write it after every line
        /// (readable by its owner only: it holds what the citizen gave).
        #[arg(long)]
        session: Option<PathBuf>,
        /// Take personal data out of `turn_end` and hand-over summaries:
        /// personal slots become their placeholder (`[iban]`), for a host
        /// that logs what it reads.
        #[arg(long)]
        redact: bool,
        /// Longest input line read, in bytes; a longer one is skipped and
        /// answered with a `too_long` error.
        #[arg(long, value_name = "BYTES", default_value_t = run::DEFAULT_MAX_LINE_BYTES)]
        max_line_bytes: usize,
    },
    /// Run the conversation tests (`*.test` files) of a bot; exit 1 if one fails.
    Test {
        /// The bot's folder: its .test files are found in it and below.
        path: PathBuf,
        /// Also write a JUnit XML report to FILE, for CI systems.
        #[arg(long)]
        junit: Option<PathBuf>,
        /// Report, per flow, the steps, prompts, re-prompts, validation
        /// messages and triggers the tests reached, and list the others.
        #[arg(long)]
        coverage: bool,
        /// With --coverage: exit 1 when the tests reach less than PERCENT
        /// of the bot's places, so CI holds the line.
        #[arg(long, value_name = "PERCENT", requires = "coverage")]
        fail_under: Option<f64>,
    },
    /// Talk to a bot in the terminal, as staff trying flows.
    Chat {
        path: PathBuf,
        #[arg(long)]
        now: Option<String>,
        #[arg(long)]
        lang: Option<String>,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Serve a bot on the web: the chat API, the widget, operations endpoints.
    #[cfg(feature = "serve")]
    Serve {
        /// The bot's folder (or one .flow file).
        path: PathBuf,
        /// The address to listen on; port 0 picks a free one (printed).
        #[arg(long, env = "GUICHET_ADDR")]
        addr: Option<String>,
        /// The conversation store: sqlite://PATH (default sqlite://guichet.db)
        /// or postgres://USER:PASSWORD@HOST/DB.
        #[arg(long, env = "GUICHET_STORE")]
        store: Option<String>,
        /// The settings file (default: guichet.toml when it exists).
        #[arg(long, env = "GUICHET_CONFIG")]
        config: Option<PathBuf>,
        /// Perform the sample commune's actions with the demo back office.
        #[arg(long, env = "GUICHET_DEMO")]
        demo: bool,
        /// The address citizens reach the server at, e.g. https://chat.bruyeres.be.
        #[arg(long, env = "GUICHET_PUBLIC_URL")]
        public_url: Option<String>,
        /// Origins allowed to call the API from a browser, comma-separated.
        #[arg(long, env = "GUICHET_ALLOWED_ORIGINS")]
        allowed_origins: Option<String>,
        /// The bot studio at /staff/studio: staff with the `studio`
        /// permission edit, check, try and save the bot's files.
        #[arg(long, env = "GUICHET_STUDIO")]
        studio: bool,
    },
    /// Manage the accounts of the staff inbox (`/staff`) kept in the store.
    #[cfg(feature = "serve")]
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Statistics of a store: conversations, topics, completion, where citizens
    /// give up, hand-overs, messages not understood.
    #[cfg(feature = "serve")]
    Stats {
        /// The store: sqlite://PATH or postgres://...
        #[arg(long, env = "GUICHET_STORE")]
        store: String,
        /// The first day (YYYY-MM-DD); 30 days before --to when absent.
        #[arg(long)]
        from: Option<String>,
        /// The last day (YYYY-MM-DD); today when absent.
        #[arg(long)]
        to: Option<String>,
        /// Only conversations in this language.
        #[arg(long)]
        lang: Option<String>,
        /// Only conversations on this channel (web, messenger...).
        #[arg(long)]
        channel: Option<String>,
        /// `table`, `json` or `csv`.
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// What the bot did not understand, grouped: the triggers and conversation
    /// tests to add so that its next version answers them.
    #[cfg(feature = "serve")]
    Suggest {
        #[arg(long, env = "GUICHET_STORE")]
        store: String,
        /// The bot's folder: messages it now answers are listed apart, and
        /// tests are written for its flows.
        path: Option<PathBuf>,
        /// The first day (YYYY-MM-DD); 90 days ago when absent.
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        lang: Option<String>,
        /// Print the groups as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print everything the store holds about one citizen, as JSON.
    #[cfg(feature = "serve")]
    Export {
        #[arg(long, env = "GUICHET_STORE")]
        store: String,
        /// A conversation id (c_...).
        #[arg(long)]
        conversation: Option<String>,
        /// A Messenger page-scoped id.
        #[arg(long)]
        psid: Option<String>,
        /// A value the citizen gave: an e-mail address, a phone, IBAN or
        /// national register number, a name...
        #[arg(long)]
        value: Option<String>,
    },
    /// Delete one citizen's conversations and everything derived from them.
    #[cfg(feature = "serve")]
    Erase {
        #[arg(long, env = "GUICHET_STORE")]
        store: String,
        #[arg(long)]
        conversation: Option<String>,
        #[arg(long)]
        psid: Option<String>,
        #[arg(long)]
        value: Option<String>,
        /// List the conversations that would be erased; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Explain a diagnostic code: what it means, why it matters, a mistake and its fix.
    /// Without a code, list every code.
    Explain {
        /// A code as `guichet check` prints it, e.g. `unknown-name`.
        code: Option<String>,
    },
    /// Format .flow files in the one canonical layout, comments kept.
    Fmt {
        /// .flow files or folders of them; `-` formats stdin to stdout.
        #[arg(required_unless_present = "stdin")]
        paths: Vec<PathBuf>,
        /// Change nothing: list the files that would change; exit 1 if any.
        #[arg(long)]
        check: bool,
        /// Format stdin and write the result to stdout.
        #[arg(long)]
        stdin: bool,
    },
    /// Draw the flows of a bot as a diagram (Mermaid or Graphviz).
    Graph {
        /// A .flow file or a folder of them.
        path: PathBuf,
        /// Draw only this flow.
        #[arg(long)]
        flow: Option<String>,
        /// `mermaid` (for Markdown, rendered by GitHub) or `dot` (Graphviz).
        #[arg(long, default_value = "mermaid")]
        format: String,
    },
    /// Measure the extractors against test-suite rows (JSON Lines: id, suite,
    /// lang, text, expected, verified...). Prints accuracy per file, suite and language.
    Eval {
        /// JSON Lines files of rows.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// List every failing row: id, text, expected, got, rule.
        #[arg(long)]
        failures: bool,
        /// Which reading of an ambiguous date counts: `future` or `past`.
        #[arg(long, value_enum, default_value = "future")]
        policy: PolicyArg,
    },
    /// Serve the Language Server Protocol on stdin/stdout, for editors:
    /// diagnostics as you type, completion, hover, go to definition, find
    /// references, rename, outline, formatting and quick fixes.
    Lsp,
    /// Show what one extractor finds in a text, as JSON: values, spans, confidence, rule, refusals.
    Extract {
        /// A built-in slot type: date, time, number, money, yesno, email, phone, iban...
        #[arg(value_name = "TYPE")]
        ty: String,
        text: String,
        /// The language to read the text in (fr, nl, en); fr when absent.
        #[arg(long)]
        lang: Option<String>,
        /// "Now" for relative dates (RFC 3339 or YYYY-MM-DD); the system clock when absent.
        #[arg(long)]
        now: Option<String>,
        #[arg(long, value_enum, default_value = "future")]
        policy: PolicyArg,
        /// A locale tag for numeric dates: `en-US` (or `en`) reads 3/7 as March 7;
        /// day first (3 July) when absent, as in a bot.
        #[arg(long)]
        locale: Option<String>,
    },
}

#[cfg(feature = "serve")]
#[derive(Subcommand)]
enum StaffCommand {
    /// Add an account, or replace one with the same login. The password is
    /// read from stdin (asked twice, hidden, on a terminal).
    Add {
        /// The sign-in name (letters, digits, `.`, `-`, `_`, `@`).
        login: String,
        /// The name citizens see when this person answers ("Marie").
        #[arg(long)]
        name: String,
        /// The services whose hand-overs the account sees, comma-separated;
        /// `*` for all.
        #[arg(long, value_delimiter = ',', required = true)]
        services: Vec<String>,
        /// The store (default: `store` in ./guichet.toml, else sqlite://guichet.db).
        #[arg(long, env = "GUICHET_STORE")]
        store: Option<String>,
        /// Print the account for `[staff.accounts]` in guichet.toml instead
        /// of writing the store.
        #[arg(long)]
        print_hash: bool,
    },
    /// Remove an account and its sessions.
    Remove {
        login: String,
        #[arg(long, env = "GUICHET_STORE")]
        store: Option<String>,
    },
    /// List the store's accounts: login, name, services.
    List {
        #[arg(long, env = "GUICHET_STORE")]
        store: Option<String>,
    },
}

/// Which reading wins for an ambiguous date.
#[derive(Clone, Copy, clap::ValueEnum)]
enum PolicyArg {
    Future,
    Past,
}

impl From<PolicyArg> for guichet::understand::extract::DatePolicy {
    fn from(p: PolicyArg) -> Self {
        match p {
            PolicyArg::Future => Self::Future,
            PolicyArg::Past => Self::Past,
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            path,
            format,
            against,
        } => check::run(&path, &format, against.as_deref()),
        Command::Run {
            path,
            jsonl,
            now,
            lang,
            seed,
            session,
            redact,
            max_line_bytes,
        } => {
            if !jsonl {
                eprintln!("guichet run speaks the JSON Lines protocol: add --jsonl (or use `guichet chat` to talk to the bot)");
                return ExitCode::from(2);
            }
            run::run(
                &path,
                &run::Options {
                    now: now.as_deref(),
                    lang: lang.as_deref(),
                    seed,
                    session_file: session.as_deref(),
                    max_line_bytes,
                    redact,
                },
            )
        }
        Command::Test {
            path,
            junit,
            coverage,
            fail_under,
        } => test::run(&path, junit.as_deref(), coverage, fail_under),
        Command::Chat {
            path,
            now,
            lang,
            seed,
        } => crate::repl::run(&path, now.as_deref(), lang.as_deref(), seed),
        #[cfg(feature = "serve")]
        Command::Serve {
            path,
            addr,
            store,
            config,
            demo,
            public_url,
            allowed_origins,
            studio,
        } => serve::run(serve::Args {
            path,
            addr,
            store,
            config,
            demo,
            public_url,
            allowed_origins,
            studio,
        }),
        #[cfg(feature = "serve")]
        Command::Staff { command } => staff::run(match command {
            StaffCommand::Add {
                login,
                name,
                services,
                store,
                print_hash,
            } => staff::Args::Add {
                login,
                name,
                services,
                store,
                print_hash,
            },
            StaffCommand::Remove { login, store } => staff::Args::Remove { login, store },
            StaffCommand::List { store } => staff::Args::List { store },
        }),
        #[cfg(feature = "serve")]
        Command::Stats {
            store,
            from,
            to,
            lang,
            channel,
            format,
        } => store_tools::stats(
            &store,
            store_tools::Period {
                from: from.as_deref(),
                to: to.as_deref(),
                lang: lang.as_deref(),
                channel: channel.as_deref(),
            },
            &format,
        ),
        #[cfg(feature = "serve")]
        Command::Suggest {
            store,
            path,
            from,
            to,
            lang,
            json,
        } => store_tools::suggest(
            &store,
            path.as_deref(),
            store_tools::Period {
                from: from.as_deref(),
                to: to.as_deref(),
                lang: lang.as_deref(),
                channel: None,
            },
            json,
        ),
        #[cfg(feature = "serve")]
        Command::Export {
            store,
            conversation,
            psid,
            value,
        } => match store_tools::selector(conversation, psid, value) {
            Ok(s) => store_tools::export(&store, s),
            Err(code) => code,
        },
        #[cfg(feature = "serve")]
        Command::Erase {
            store,
            conversation,
            psid,
            value,
            dry_run,
        } => match store_tools::selector(conversation, psid, value) {
            Ok(s) => store_tools::erase(&store, s, dry_run),
            Err(code) => code,
        },
        Command::Explain { code } => explain::run(code.as_deref()),
        Command::Fmt {
            paths,
            check,
            stdin,
        } => fmt::run(&paths, check, stdin),
        Command::Graph { path, flow, format } => graph::run(&path, flow.as_deref(), &format),
        Command::Lsp => lsp::run(),
        Command::Eval {
            files,
            json,
            failures,
            policy,
        } => eval::run(&files, json, failures, policy.into()),
        Command::Extract {
            ty,
            text,
            lang,
            now,
            policy,
            locale,
        } => extract::run(
            &ty,
            &text,
            lang.as_deref(),
            now.as_deref(),
            policy.into(),
            locale.as_deref(),
        ),
    }
}
