//! `guichet chat` through the binary, with its input piped: what staff see
//! when the REPL is scripted (no terminal, so no colour).

use std::io::Write;
use std::process::{Command, Stdio};

const BOT: &str = r#"
bot "Commune de Test"
  languages fr, en
  default fr
  start hello
end

action create_request(kind: text, child_first_name?: text) -> (reference: text)

flow hello
  say
    fr: "Bonjour !"
    en: "Hello!"
    button enrol fr: "Crèche" en: "Daycare"
end

flow enrol
  triggers
    fr: "inscrire enfant crèche"
    en: "enrol child daycare"
  form
    slot child_first_name: text
      ask fr: "Prénom de l'enfant ?" en: "Child's first name?"
  end
  do create_request(kind: "creche_enrolment", child_first_name) as request
    ok
      say fr: "Référence {request.reference}." en: "Reference {request.reference}."
  end
end
"#;

fn chat(bot: &str, input: &str) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!(
        "guichet-repl-chat-{}-{}",
        std::process::id(),
        bot.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bot.flow"), bot).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["chat", dir.to_str().unwrap(), "--now", "2025-04-14T10:00"])
        .env("XDG_STATE_HOME", dir.join("state"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_scripted_session_runs_to_the_stand_in_host() {
    let (code, out, err) = chat(BOT, "1\nTom\n/quit\n");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Commune de Test — languages fr, en"),
        "{out}"
    );
    assert!(out.contains("[1] Crèche"), "{out}");
    assert!(out.contains("Référence CR-2025-0001."), "{out}");
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn a_bot_with_errors_does_not_start() {
    let (code, out, err) = chat("bot \"X\"\n languages fr\nend\nflow a oops\nend\n", "");
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("bot.flow:4"), "{err}");
}
