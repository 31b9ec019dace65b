//! `guichet serve BOT_DIR`: reads the settings (flags, `GUICHET_*`
//! variables, `guichet.toml`), loads and checks the bot, binds, prints the
//! address, and serves until SIGTERM or Ctrl-C.

use guichet::serve::ServeConfig;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub struct Args {
    pub path: PathBuf,
    pub addr: Option<String>,
    pub store: Option<String>,
    pub config: Option<PathBuf>,
    pub demo: bool,
    pub public_url: Option<String>,
    pub allowed_origins: Option<String>,
    pub studio: bool,
}

fn settings(args: Args) -> Result<ServeConfig, String> {
    let mut config = ServeConfig::new(&args.path);
    let (file, explicit) = match args.config {
        Some(f) => (f, true),
        None => (PathBuf::from("guichet.toml"), false),
    };
    if explicit || file.exists() {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        config
            .apply_toml(&text, &|k| std::env::var(k).ok())
            .map_err(|e| format!("{}: {e}", file.display()))?;
    }
    config.apply_env(&|k| std::env::var(k).ok())?;
    if let Some(a) = args.addr {
        config.addr = a;
    }
    if let Some(s) = args.store {
        config.store = s;
    }
    if args.demo {
        config.demo = true;
    }
    if args.studio {
        config.studio = true;
    }
    if let Some(u) = args.public_url {
        config.public_url = Some(u);
    }
    if let Some(o) = args.allowed_origins {
        config.allowed_origins = o
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
    }
    Ok(config)
}

fn init_logs() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("GUICHET_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn,hyper=warn"));
    let filter = guichet::serve::ops::private_log_filter(filter);
    let json = std::env::var("GUICHET_LOG_FORMAT").is_ok_and(|f| f == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    if json {
        let _ = builder.json().try_init();
    } else {
        let _ = builder.try_init();
    }
}

fn load_bot(path: &Path) -> Result<guichet::Bot, ExitCode> {
    match guichet::Bot::from_path(path) {
        Ok(bot) => Ok(bot),
        Err(e) => {
            let color = std::env::var_os("NO_COLOR").is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stderr());
            eprint!(
                "{}",
                guichet::render::render(&e.diagnostics, &e.sources, color)
            );
            let errors = e.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{}: {errors} error{}: the bot is not served",
                path.display(),
                if errors == 1 { "" } else { "s" }
            );
            Err(ExitCode::from(1))
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

pub fn run(args: Args) -> ExitCode {
    let config = match settings(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("guichet serve: {e}");
            return ExitCode::from(2);
        }
    };
    let bot = match load_bot(&config.bot_dir) {
        Ok(b) => b,
        Err(code) => return code,
    };
    init_logs();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("guichet serve: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&config.addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("guichet serve: cannot listen on {}: {e}", config.addr);
                return ExitCode::from(1);
            }
        };
        let local = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("guichet serve: {e}");
                return ExitCode::from(1);
            }
        };
        let demo = config.demo;
        let messenger = config.messenger.is_some();
        let studio = config.studio;
        tracing::info!(store = %guichet::serve::redact(&config.store), demo, "starting");
        // Harnesses read this line for the port: printed once the socket
        // is bound, before the store opens (requests wait in the backlog).
        outln!("guichet serve: listening on http://{local}");
        if demo {
            outln!("guichet serve: demo back office at http://{local}/demo/requests (demo only: no login)");
        }
        outln!("guichet serve: staff inbox at http://{local}/staff/");
        if studio {
            outln!("guichet serve: bot studio at http://{local}/staff/studio (staff with the studio permission)");
        }
        if messenger {
            outln!(
                "guichet serve: Messenger webhook at http://{local}{}",
                guichet::serve::channels::messenger::WEBHOOK_PATH
            );
        }
        let _ = std::io::stdout().flush();
        match guichet::serve::run(config, bot, listener, shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("guichet serve: {e}");
                ExitCode::from(1)
            }
        }
    })
}
