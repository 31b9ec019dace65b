//! Load generator for `guichet serve` (loopback only, bounded in count and
//! time). It starts the release binary on a free port of 127.0.0.1 with a
//! fresh store and reports, beside a trivial route of the same server
//! (`/healthz`):
//!   1. the most turns per second sustained, closed loop, 64 connections;
//!   2. p50/p99 latency at a fixed 1,000 turns/s over 2,000 conversations
//!      (each citizen pauses about two seconds between messages);
//!   3. the server's memory, idle and after 10,000 idle conversations.
//!
//! With `--stats`, it measures instead what the statistics record costs:
//! the closed-loop turns per second with the record off and on, in
//! alternating rounds of one run, each round on a fresh server and store,
//! and the machine's busy CPU time per turn in those rounds (every process:
//! the server, its database, the load generator), which varies less from
//! round to round than the turns per second do.
//!
//!     cargo build --release && cargo run --release --example loadgen -- [--postgres URL] [--seconds N]
//!
//! `bench/serve/run` starts a throwaway PostgreSQL and runs it on SQLite,
//! PostgreSQL and two PostgreSQL replicas.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 64;
const RATE: u64 = 1000;
const LIVE_CONVERSATIONS: usize = 2000;
const IDLE_CONVERSATIONS: usize = 10_000;

/// What citizens type, in turn: small talk, a FAQ, a form started and
/// cancelled.
const SCRIPT: &[&str] = &[
    "bonjour",
    "quels sont les horaires de la commune ?",
    "je voudrais une place en crèche",
    "Tom",
    "Dubois",
    "annuler",
    "merci",
];

struct Server {
    child: Child,
    url: String,
    _dir: PathBuf,
}

impl Server {
    fn start(bin: &Path, store: &str, tag: &str) -> Server {
        Server::start_with(bin, store, tag, "")
    }

    /// With more settings for its `guichet.toml`.
    fn start_with(bin: &Path, store: &str, tag: &str, settings: &str) -> Server {
        let dir =
            std::env::temp_dir().join(format!("guichet-loadgen-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("guichet.toml"),
            format!("reload_poll = \"0s\"\n[limits]\nper_ip_rate = 0.0\nper_conversation_rate = 0.0\n{settings}"),
        )
        .unwrap();
        let store = store.replace("{dir}", &dir.display().to_string());
        let flows = Path::new(env!("CARGO_MANIFEST_DIR")).join("flows");
        let mut child = Command::new(bin)
            .arg("serve")
            .arg(&flows)
            .args(["--addr", "127.0.0.1:0", "--store", &store])
            .current_dir(&dir)
            .env("GUICHET_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the release binary starts (cargo build --release first)");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("guichet serve: listening on ")
            .expect("the server prints its address")
            .to_string();
        Server {
            child,
            url,
            _dir: dir,
        }
    }

    /// The server's CPU time so far (user and system, every thread), in
    /// seconds, from `/proc/PID/stat`; 0 where there is none.
    fn cpu_seconds(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // The command name may hold spaces: the fields start after its ")".
        let fields: Vec<f64> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest)
            .unwrap_or_default()
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0.0))
            .collect();
        // utime and stime, fields 14 and 15 of the line (11 and 12 here).
        let ticks = fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0);
        ticks / 100.0
    }

    /// Resident memory, in MiB.
    fn rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._dir);
    }
}

#[derive(Clone)]
struct Conv {
    url: String,
    id: String,
    token: String,
}

async fn create(client: &reqwest::Client, url: &str) -> Conv {
    let r: Value = client
        .post(format!("{url}/api/conversations"))
        .json(&json!({"lang": "fr"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let c = Conv {
        url: url.to_string(),
        id: r["id"].as_str().unwrap().to_string(),
        token: r["token"].as_str().unwrap().to_string(),
    };
    turn(client, &c, &json!({"client_id": "start", "event": "start"})).await;
    c
}

async fn turn(client: &reqwest::Client, c: &Conv, body: &Value) -> bool {
    let r = client
        .post(format!("{}/api/conversations/{}/inputs", c.url, c.id))
        .bearer_auth(&c.token)
        .json(body)
        .send()
        .await;
    match r {
        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
        _ => false,
    }
}

static CLIENT_IDS: AtomicU64 = AtomicU64::new(0);

fn input(i: usize) -> Value {
    json!({
        "client_id": format!("l{}", CLIENT_IDS.fetch_add(1, Ordering::Relaxed)),
        "text": SCRIPT[i % SCRIPT.len()],
    })
}

/// Closed loop: each connection sends its next request when the last
/// answered. Returns requests per second.
async fn closed_loop(client: &reqwest::Client, convs: &[Conv], seconds: u64, trivial: bool) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    let started = Instant::now();
    for c in convs.iter().take(CONNECTIONS).cloned() {
        let (client, stop, done) = (client.clone(), stop.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let ok = if trivial {
                    client
                        .get(format!("{}/healthz", c.url))
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success())
                } else {
                    turn(&client, &c, &input(i)).await
                };
                if ok {
                    done.fetch_add(1, Ordering::Relaxed);
                }
                i += 1;
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let n = done.load(Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    for t in tasks {
        let _ = t.await;
    }
    n as f64 / elapsed
}

/// Open loop at `RATE` turns a second, round-robin over the conversations;
/// latency counted from each turn's scheduled time. Returns (p50, p99, max,
/// failed) in milliseconds.
async fn fixed_rate(
    client: &reqwest::Client,
    convs: &[Conv],
    seconds: u64,
) -> (f64, f64, f64, u64) {
    let total = RATE * seconds;
    let latencies = Arc::new(std::sync::Mutex::new(Vec::with_capacity(total as usize)));
    let failed = Arc::new(AtomicU64::new(0));
    let start = tokio::time::Instant::now();
    let count = convs.len();
    let mut tasks = Vec::with_capacity(total as usize);
    for k in 0..total {
        let at = start + Duration::from_micros(k * 1_000_000 / RATE);
        tokio::time::sleep_until(at).await;
        let c = convs[k as usize % convs.len()].clone();
        let (client, latencies, failed) = (client.clone(), latencies.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            let ok = turn(&client, &c, &input(k as usize / count)).await;
            let ms = at.elapsed().as_secs_f64() * 1000.0;
            if ok {
                latencies.lock().unwrap().push(ms);
            } else {
                failed.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let mut l = latencies.lock().unwrap().clone();
    l.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| {
        l.get(((l.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    (
        q(0.5),
        q(0.99),
        l.last().copied().unwrap_or(f64::NAN),
        failed.load(Ordering::Relaxed),
    )
}

async fn create_many(client: &reqwest::Client, urls: &[String], n: usize) -> Vec<Conv> {
    let mut out = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(64) {
        let mut tasks = Vec::new();
        for &i in chunk {
            let (client, url) = (client.clone(), urls[i % urls.len()].clone());
            tasks.push(tokio::spawn(async move { create(&client, &url).await }));
        }
        for t in tasks {
            out.push(t.await.unwrap());
        }
    }
    out
}

async fn run(bin: &Path, label: &str, store: &str, replicas: usize, seconds: u64) {
    let servers: Vec<Server> = (0..replicas)
        .map(|i| Server::start(bin, store, &format!("{label}-{i}")))
        .collect();
    let urls: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS * 2)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let idle_rss: f64 = servers.iter().map(Server::rss_mib).sum();
    let convs = create_many(&client, &urls, CONNECTIONS).await;
    let server_cpu = || servers.iter().map(Server::cpu_seconds).sum::<f64>();
    // The servers' own CPU per request, in µs: what each costs the server,
    // whatever the load generator beside it takes.
    let (cpu, started) = (server_cpu(), Instant::now());
    let trivial = closed_loop(&client, &convs, seconds, true).await;
    let trivial_us = (server_cpu() - cpu) * 1e6 / (trivial * started.elapsed().as_secs_f64());
    let (cpu, started) = (server_cpu(), Instant::now());
    let turns = closed_loop(&client, &convs, seconds, false).await;
    let turn_us = (server_cpu() - cpu) * 1e6 / (turns * started.elapsed().as_secs_f64());
    let live = create_many(&client, &urls, LIVE_CONVERSATIONS).await;
    let (p50, p99, max, failed) = fixed_rate(&client, &live, seconds).await;
    let before: f64 = servers.iter().map(Server::rss_mib).sum();
    create_many(&client, &urls, IDLE_CONVERSATIONS).await;
    let after: f64 = servers.iter().map(Server::rss_mib).sum();
    println!(
        "| {label} | {trivial:.0} | {turns:.0} | {:.1}x | {trivial_us:.0} → {turn_us:.0} ({:.1}x) | {p50:.1} | {p99:.1} | {max:.0} | {failed} | {idle_rss:.0} | {before:.0} | {:+.1} |",
        trivial / turns,
        turn_us / trivial_us,
        after - before
    );
}

/// The machine's busy CPU time so far, in seconds (every core, every
/// process: the server, its database, this load generator), from
/// `/proc/stat`; 0 where there is none.
fn busy_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(cpu) = stat.lines().next() else {
        return 0.0;
    };
    let f: Vec<f64> = cpu
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: all but idle and iowait.
    let busy: f64 = f
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4 && *i < 8)
        .map(|(_, v)| v)
        .sum();
    busy / 100.0
}

/// The statistics record's cost: closed-loop turns per second with the
/// record off and on, in `rounds` alternating rounds, each on a fresh
/// server and store (emptied first for PostgreSQL).
async fn compare_recording(bin: &Path, label: &str, store: &str, seconds: u64, rounds: usize) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS * 2)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut off = Vec::new();
    let mut on = Vec::new();
    let mut cpu_off = Vec::new();
    let mut cpu_on = Vec::new();
    let mut own_off = Vec::new();
    let mut own_on = Vec::new();
    for round in 0..rounds * 2 {
        let record = round % 2 == 1;
        if store.starts_with("postgres") {
            reset(store).await;
        }
        let server = Server::start_with(
            bin,
            store,
            &format!("stats-{round}"),
            &format!("[stats]\nrecord = {record}\n"),
        );
        let urls = vec![server.url.clone()];
        let convs = create_many(&client, &urls, CONNECTIONS).await;
        let (busy, own, started) = (busy_cpu_seconds(), server.cpu_seconds(), Instant::now());
        let turns = closed_loop(&client, &convs, seconds, false).await;
        // The machine's CPU per turn, in µs: what the record adds to each
        // turn, whatever else slowed the round down; and the server's own.
        let n = turns * started.elapsed().as_secs_f64();
        let cpu = (busy_cpu_seconds() - busy) * 1e6 / n;
        let own = (server.cpu_seconds() - own) * 1e6 / n;
        if record {
            on.push(turns);
            cpu_on.push(cpu);
            own_on.push(own);
        } else {
            off.push(turns);
            cpu_off.push(cpu);
            own_off.push(own);
        }
        drop(server);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let (m_off, m_on) = (median(&mut off), median(&mut on));
    let (c_off, c_on) = (median(&mut cpu_off), median(&mut cpu_on));
    let (s_off, s_on) = (median(&mut own_off), median(&mut own_on));
    let rounds_text = |v: &[f64]| {
        v.iter()
            .map(|t| format!("{t:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "| {label} | {m_off:.0} ({}) | {m_on:.0} ({}) | {:+.1} % | {c_off:.0} → {c_on:.0} | {:+.1} % | {s_off:.0} → {s_on:.0} | {:+.1} % |",
        rounds_text(&off),
        rounds_text(&on),
        (m_on - m_off) / m_off * 100.0,
        (c_on - c_off) / c_off * 100.0,
        (s_on - s_off) / s_off * 100.0
    );
}

fn main() {
    let mut postgres = std::env::var("GUICHET_BENCH_POSTGRES_URL").ok();
    let mut stats = false;
    let mut seconds = 10;
    let mut only: Option<String> = None;
    let mut bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/guichet");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--postgres" => postgres = args.next(),
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(10)
                    .min(60)
            }
            "--only" => only = args.next(),
            "--stats" => stats = true,
            // Another build of the server, to compare two versions.
            "--bin" => bin = args.next().map(PathBuf::from).unwrap_or(bin),
            _ => {
                eprintln!("usage: loadgen [--postgres URL] [--seconds N] [--only sqlite|postgres|postgres2] [--stats] [--bin PATH]");
                std::process::exit(2);
            }
        }
    }
    if !bin.exists() {
        eprintln!("build the server first: cargo build --release");
        std::process::exit(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let wants = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if stats {
        println!("| store | turns/s, record off (median; rounds) | turns/s, record on | change | machine CPU µs per turn, off → on (medians) | change | server CPU µs per turn, off → on | change |");
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        runtime.block_on(async {
            if wants("sqlite") {
                compare_recording(&bin, "SQLite", "sqlite://{dir}/guichet.db", seconds, 3).await;
            }
            if let Some(pg) = &postgres {
                if wants("postgres") {
                    compare_recording(&bin, "PostgreSQL", pg, seconds, 3).await;
                }
            }
        });
        return;
    }
    println!("| store | trivial route req/s | durable turns/s (64 conn.) | turn / trivial | server CPU µs, request → turn | p50 ms at {RATE}/s | p99 ms | max ms | failed | RSS idle MiB | RSS after {LIVE_CONVERSATIONS} conv. | RSS +{IDLE_CONVERSATIONS} idle conv. MiB |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    runtime.block_on(async {
        if wants("sqlite") {
            run(&bin, "SQLite", "sqlite://{dir}/guichet.db", 1, seconds).await;
        }
        if let Some(pg) = &postgres {
            if wants("postgres") {
                reset(pg).await;
                run(&bin, "PostgreSQL, 1 replica", pg, 1, seconds).await;
            }
            if wants("postgres2") {
                reset(pg).await;
                run(&bin, "PostgreSQL, 2 replicas", pg, 2, seconds).await;
            }
        } else {
            eprintln!(
                "note: no --postgres URL (or GUICHET_BENCH_POSTGRES_URL): PostgreSQL not measured"
            );
        }
    });
}

/// Empties the benchmark database between runs.
async fn reset(url: &str) {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    // Every table of the schema: each migration adds some.
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            &[],
        )
        .await
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .unwrap_or_default();
    if !tables.is_empty() {
        let _ = client
            .batch_execute(&format!(
                "DROP TABLE IF EXISTS {} CASCADE",
                tables.join(", ")
            ))
            .await;
    }
}
