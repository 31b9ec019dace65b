//! `guichet staff add|list|remove`: an account added with a password on
//! stdin signs in to the inbox; `--print-hash` prints it for guichet.toml.

use crate::handover_support::sign_in;
use crate::support::{config, TempDir, TestApp};
use std::io::Write;
use std::process::{Command, Stdio};

fn guichet(args: &[&str], stdin: &str, cwd: &std::path::Path) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(args)
        .current_dir(cwd)
        .env_remove("GUICHET_STORE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command refused before it reads stdin has closed it: not an error.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[tokio::test]
async fn an_account_added_on_the_command_line_signs_in() {
    let dir = TempDir::new("staff-cli");
    let store = format!("sqlite://{}", dir.path().join("guichet.db").display());
    let (ok, out, err) = guichet(
        &[
            "staff",
            "add",
            "Sophie",
            "--name",
            "Sophie",
            "--services",
            "petite_enfance,general",
            "--store",
            &store,
        ],
        "a long enough password\n",
        dir.path(),
    );
    assert!(ok, "{err}");
    assert!(out.contains("staff account `sophie` saved"), "{out}");
    let (ok, out, _) = guichet(&["staff", "list", "--store", &store], "", dir.path());
    assert!(ok);
    assert_eq!(out.trim(), "sophie\tSophie\tpetite_enfance,general");
    // Too short a password, a bad login: refused, nothing written.
    let (ok, _, err) = guichet(
        &[
            "staff",
            "add",
            "x",
            "--name",
            "X",
            "--services",
            "*",
            "--store",
            &store,
        ],
        "short\n",
        dir.path(),
    );
    assert!(!ok && err.contains("at least 10 characters"), "{err}");
    let (ok, _, err) = guichet(
        &[
            "staff",
            "add",
            "a b",
            "--name",
            "X",
            "--services",
            "*",
            "--store",
            &store,
        ],
        "long enough password\n",
        dir.path(),
    );
    assert!(!ok && err.contains("login"), "{err}");

    let mut c = config(dir.path());
    c.store = store.clone();
    let t = TestApp::with_config(c, TempDir::new("staff-cli-app")).await;
    // The helper signs in with its own password: give Sophie that one.
    let (ok, _, err) = guichet(
        &[
            "staff",
            "add",
            "sophie",
            "--name",
            "Sophie",
            "--services",
            "*",
            "--store",
            &store,
        ],
        "correct horse battery\n",
        dir.path(),
    );
    assert!(ok, "{err}");
    let s = sign_in(&t, "sophie").await;
    let me = s.get(&t, "/staff/api/me").await;
    assert_eq!(me.body["name"], "Sophie");

    let (ok, out, _) = guichet(
        &["staff", "remove", "sophie", "--store", &store],
        "",
        dir.path(),
    );
    assert!(ok, "{out}");
    assert_eq!(
        s.get(&t, "/staff/api/me").await.status,
        401,
        "its sessions went too"
    );

    // --print-hash: the account as guichet.toml reads it.
    let (ok, out, err) = guichet(
        &[
            "staff",
            "add",
            "marc",
            "--name",
            "Marc Dubois",
            "--services",
            "mobilite",
            "--print-hash",
        ],
        "another long password\n",
        dir.path(),
    );
    assert!(ok, "{err}");
    let mut from_file = guichet::serve::ServeConfig::new("flows");
    from_file
        .apply_toml(
            &format!("[staff]\n{out}").replace("[staff]\n[staff.", "[staff."),
            &|_| None,
        )
        .unwrap();
    let account = &from_file.staff.accounts[0];
    assert_eq!(
        (account.login.as_str(), account.name.as_str()),
        ("marc", "Marc Dubois")
    );
    assert!(guichet::serve::staff::accounts::verify_password(
        "another long password",
        &account.password_hash
    ));
}
