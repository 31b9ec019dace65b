//! The web widget and the demo page, served by the real `guichet serve
//! flows --demo` on a free port with a SQLite store in a temporary folder.
//!
//! - Without a browser: the pages and the widget's files are served with
//!   their charset and security headers, and hold no inline script, no
//!   inline style, no HTML insertion.
//! - In a real browser: `tests/browser/run.mjs` (node and playwright-core
//!   driving the system Chromium) runs the citizen's scenarios against the
//!   server. When node, Chromium or playwright-core is missing the test is
//!   skipped with a notice, or fails under `GUICHET_TEST_REQUIRE_BROWSER=1`
//!   (set by `scripts/test`). Screenshots go to `target/browser-screenshots/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A `guichet serve` process; killed when dropped.
struct Server {
    child: Child,
    /// The commune's own site, another origin the server allows (the
    /// browser tests serve it on this free port).
    site: String,
    url: String,
    dir: PathBuf,
}

impl Server {
    fn start() -> Server {
        Server::start_with(None)
    }

    /// With a `guichet.toml` (staff accounts...) in its folder.
    fn start_with(settings: Option<&str>) -> Server {
        Server::start_opts(settings, false)
    }

    /// With `studio`: `--studio` on a copy of the sample bot in its folder,
    /// which the studio's saves change.
    fn start_opts(settings: Option<&str>, studio: bool) -> Server {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "browser-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let site = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
        };
        if let Some(toml) = settings {
            std::fs::write(dir.join("guichet.toml"), toml).expect("the settings are written");
        }
        let log = std::fs::File::create(dir.join("server.log")).expect("a log file");
        let bot = if studio {
            let copy = dir.join("bot");
            copy_dir(&Path::new(ROOT).join("flows"), &copy);
            copy.display().to_string()
        } else {
            format!("{ROOT}/flows")
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
            .current_dir(&dir)
            .args(["serve", &bot, "--demo"])
            .args(if studio { &["--studio"][..] } else { &[] })
            .args(["--addr", "127.0.0.1:0"])
            .args(["--allowed-origins", &site])
            .arg("--store")
            .arg(format!("sqlite://{}", dir.join("guichet.db").display()))
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("guichet serve starts");
        // It prints the address it listens on.
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(at) = line.find("listening on ") {
                        break line[at + "listening on ".len()..].trim().to_string();
                    }
                }
                _ => {
                    let _ = child.kill();
                    panic!(
                        "guichet serve stopped before listening: {}",
                        std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
                    );
                }
            }
        };
        // Keep reading its output so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            site,
            url,
            dir,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A plain HTTP/1.1 GET: (status line, lowercase headers, body).
fn get(url: &str, path: &str) -> (String, Vec<(String, String)>, String) {
    let host = url.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a header block");
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("").to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

#[test]
fn the_demo_pages_and_the_widget_are_served_as_utf8_under_a_strict_csp() {
    let server = Server::start();
    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/demo/nl/", "text/html; charset=utf-8"),
        ("/demo/en/", "text/html; charset=utf-8"),
        ("/widget.js", "text/javascript; charset=utf-8"),
        ("/widget.css", "text/css; charset=utf-8"),
        ("/demo/demo.css", "text/css; charset=utf-8"),
    ] {
        let (status, headers, body) = get(&server.url, path);
        assert!(
            status.contains(" 200 "),
            "{path}: {status}\n{}",
            server.log()
        );
        assert_eq!(header(&headers, "content-type"), kind, "{path}");
        if kind.starts_with("text/html") {
            let csp = header(&headers, "content-security-policy");
            assert!(
                csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
                "{path}: {csp}"
            );
            // The widget, added by one tag, as a commune would paste it.
            assert_eq!(
                body.matches("<script").count(),
                1,
                "{path} has one script tag"
            );
            assert!(body.contains(r#"<script src="/widget.js" data-lang="#));
            assert!(body.contains("Bruyères"), "{path} is read as UTF-8");
        }
    }
    assert!(get(&server.url, "/widget.js").2.contains("GuichetWidget"));
}

#[test]
fn the_web_files_hold_no_inline_script_no_inline_style_and_insert_no_html() {
    let web = Path::new(ROOT).join("web");
    let mut pages = Vec::new();
    collect(&web, "html", &mut pages);
    assert!(pages.len() >= 3, "{pages:?}");
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        let lower = html.to_ascii_lowercase();
        for (i, _) in lower.match_indices("<script") {
            let tag = &lower[i..i + lower[i..].find('>').unwrap_or(0)];
            assert!(
                tag.contains(" src="),
                "{}: an inline script",
                page.display()
            );
        }
        assert!(
            !lower.contains("<style") && !lower.contains(" style="),
            "{}: inline style",
            page.display()
        );
        let handler = fancy_regex::Regex::new(r"<[^>]*\son[a-z]+\s*=").unwrap();
        assert!(
            !handler.is_match(&lower).unwrap(),
            "{}: an inline event handler",
            page.display()
        );
    }
    let mut scripts = vec![web.join("widget.js")];
    collect(&web.join("studio"), "js", &mut scripts);
    for script in &scripts {
        check_sinks(script, &std::fs::read_to_string(script).unwrap());
    }
}

/// No HTML insertion, no code from text, no inline style attribute.
fn check_sinks(script: &Path, text: &str) {
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "setAttribute(\"style\"",
    ] {
        assert!(!text.contains(sink), "{} uses {sink}", script.display());
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for e in std::fs::read_dir(from).expect("a folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("a copy");
        }
    }
}

fn collect(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

/// What the browser tests need, or why they cannot run.
fn browser_tools() -> Result<(PathBuf, PathBuf), String> {
    let chromium = PathBuf::from(
        std::env::var("GUICHET_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
    );
    if !chromium.exists() {
        return Err(format!("no Chromium at {}", chromium.display()));
    }
    let node = PathBuf::from("node");
    let version = match Command::new(&node).arg("--version").output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => return Err("no `node` on PATH".into()),
    };
    // playwright-core needs Node.js 20 or later.
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        return Err(format!(
            "node {version} is too old: playwright-core needs 20 or later"
        ));
    }
    let modules = Path::new(ROOT).join("tests/browser/node_modules");
    for package in ["playwright-core", "axe-core"] {
        if !modules.join(package).exists() {
            return Err(format!(
                "no {package} in tests/browser/node_modules (npm ci --prefix tests/browser)"
            ));
        }
    }
    Ok((node, chromium))
}

#[test]
fn the_widget_in_a_real_browser() {
    let Some(tools) = browser_tools_or_skip("the widget's") else {
        return;
    };
    let server = Server::start();
    run_specs(&tools, &server, "widget.spec.mjs", "the widget's");
}

/// Node and Chromium, or `None` when they are missing and the browser
/// tests are skipped (never under `scripts/test`, which requires them).
fn browser_tools_or_skip(what: &str) -> Option<(PathBuf, PathBuf)> {
    match browser_tools() {
        Ok(tools) => Some(tools),
        Err(why) => {
            if std::env::var("GUICHET_TEST_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("the browser tests cannot run: {why}");
            }
            eprintln!(
                "skipping {what} browser tests: {why} (scripts/test installs what they need)"
            );
            None
        }
    }
}

/// Runs Playwright spec files against `server` in the real Chromium and
/// asserts they pass; returns the folder of the screenshots they saved.
fn run_specs(tools: &(PathBuf, PathBuf), server: &Server, specs: &str, what: &str) -> PathBuf {
    let (node, chromium) = tools;
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new(ROOT))
        .join("browser-screenshots");
    let out = Command::new(node)
        .current_dir(ROOT)
        .arg("tests/browser/run.mjs")
        .env("GUICHET_BROWSER_SPECS", specs)
        .env("GUICHET_URL", &server.url)
        .env("GUICHET_COMMUNE_SITE", &server.site)
        .env("GUICHET_TEST_CHROMIUM", chromium)
        .env("GUICHET_SCREENSHOTS", &shots)
        .stdin(Stdio::null())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{what} browser tests failed:\n{stdout}\n{stderr}\nserver log:\n{}",
        server.log()
    );
    shots
}

/// Staff accounts for the inbox's browser tests: Marie (crèches), Luc (all).
fn staff_settings() -> String {
    let hash = guichet::serve::staff::accounts::hash_password(
        "correct horse battery",
        &guichet::serve::clock::OsRandom,
    )
    .expect("a hash");
    format!(
        r#"[staff]
# The test server is on http://127.0.0.1: no HTTPS, so no Secure cookie.
secure_cookie = false
[staff.services.petite_enfance]
label = "Petite enfance"
flows = ["creche_enrolment"]
[staff.accounts.marie]
name = "Marie"
password_hash = "{hash}"
services = ["petite_enfance"]
[staff.accounts.luc]
name = "Luc"
password_hash = "{hash}"
services = ["*"]
"#
    )
}

#[test]
fn the_staff_inbox_in_a_real_browser() {
    let Some(tools) = browser_tools_or_skip("the staff inbox's") else {
        return;
    };
    let server = Server::start_with(Some(&staff_settings()));
    run_specs(&tools, &server, "staff.spec.mjs", "the staff inbox's");
}

#[test]
fn the_statistics_dashboard_in_a_real_browser() {
    let Some(tools) = browser_tools_or_skip("the dashboard's") else {
        return;
    };
    let server = Server::start_with(Some(&staff_settings()));
    let shots = run_specs(&tools, &server, "stats.spec.mjs", "the dashboard's");
    let shot = shots.join("stats-dashboard.png");
    assert!(shot.exists(), "{} is saved", shot.display());
}

#[test]
fn the_bot_studio_in_a_real_browser() {
    let Some(tools) = browser_tools_or_skip("the studio's") else {
        return;
    };
    // Marie and Luc as for the inbox; Sophie may use the studio only.
    let settings = staff_settings().replace(
        "[staff.accounts.luc]",
        &format!(
            "[staff.accounts.sophie]\nname = \"Sophie\"\npassword_hash = \"{}\"\nservices = [\"studio\"]\n[staff.accounts.luc]",
            guichet::serve::staff::accounts::hash_password(
                "correct horse battery",
                &guichet::serve::clock::OsRandom,
            )
            .expect("a hash")
        ),
    );
    let server = Server::start_opts(Some(&settings), true);
    run_specs(&tools, &server, "studio.spec.mjs", "the studio's");
}
