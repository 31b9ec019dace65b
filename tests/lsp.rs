//! `guichet lsp` driven as an editor drives it: JSON-RPC messages over the
//! process's stdin and stdout, on a small bot of two flow files and a
//! conversation test written to a temporary folder.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

const BOT: &str = "bot \"Bruyères\"\n  languages fr, en\n  start welcome\nend\n\nflow welcome\n  say\n    fr: \"Bonjour !\"\n    en: \"Hello!\"\n    button parking fr: \"Stationnement\" en: \"Parking\"\nend\n";

const PARKING: &str = "action request_card(plate: plate, email: email) -> (reference: text)\n\nflow parking\n  triggers\n    fr: \"carte de riverain\"\n    en: \"resident card\"\n  form\n    slot plate: plate\n      ask\n        fr: \"Votre plaque ?\"\n        en: \"Your plate?\"\n    slot email: email\n      ask\n        fr: \"Votre e-mail ?\"\n        en: \"Your e-mail?\"\n  end\n  if plate != \"\"\n    say\n      fr: \"Merci.\"\n      en: \"Thank you.\"\n  end\n  do request_card(plate, email) as card\n    ok\n      say\n        fr: \"Référence {card.reference}\"\n        en: \"Reference {card.reference}\"\n    failed\n      handoff\n  end\nend\n";

const TEST: &str = "@lang fr\n> carte de riverain\n? slot plate\n> 1-ABC-123\n= plate 1ABC123\n! request_card plate=1ABC123\n";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for a response.
    notifications: Vec<Value>,
    dir: PathBuf,
}

fn uri(path: &Path) -> String {
    let mut s = String::from("file://");
    for b in path.display().to_string().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

impl Client {
    fn start(name: &str) -> Client {
        let dir = std::env::temp_dir().join(format!("guichet-lsp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::write(dir.join("bot.flow"), BOT).unwrap();
        std::fs::write(dir.join("parking.flow"), PARKING).unwrap();
        std::fs::write(dir.join("tests/parking.test"), TEST).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("guichet lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if tx
                    .send(serde_json::from_slice::<Value>(&body).unwrap())
                    .is_err()
                {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages: rx,
            next_id: 1,
            notifications: Vec::new(),
            dir,
        };
        let init = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(&client.dir), "capabilities": {}}),
        );
        assert!(
            init["capabilities"]["completionProvider"].is_object(),
            "{init}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    /// Sends a request and returns its response (`result` or `error`).
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let msg = self.next();
            if msg["id"] == json!(id) {
                return msg;
            }
            self.notifications.push(msg);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next diagnostics published for a file.
    fn diagnostics_for(&mut self, path: &Path) -> Vec<Value> {
        let wanted = uri(path);
        if let Some(i) = self.notifications.iter().position(|n| {
            n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == wanted
        }) {
            let n = self.notifications.remove(i);
            return n["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let msg = self.next();
            if msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["uri"] == wanted
            {
                return msg["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.notifications.push(msg);
        }
    }

    fn open(&mut self, name: &str, text: &str) {
        let uri = uri(&self.path(name));
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "guichet", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, name: &str, version: i64, text: &str) {
        let uri = uri(&self.path(name));
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn at(&self, name: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": uri(&self.path(name))}, "position": {"line": line, "character": character}})
    }

    fn finish(mut self) {
        let response = self.call("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Line and UTF-16 column of the first `needle` in `text`.
fn find(text: &str, needle: &str) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the text"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (
        text[..at].matches('\n').count() as u32,
        text[line_start..at].encode_utf16().count() as u32,
    )
}

#[test]
fn a_broken_file_gets_diagnostics_with_utf16_ranges_and_a_fix_clears_them() {
    let mut c = Client::start("diag");
    let broken = BOT.replace("Bonjour !", "Bonjour 🏛️ à {inconnu} !");
    c.open("bot.flow", &broken);
    let diags = c.diagnostics_for(&c.path("bot.flow"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    let (line, character) = find(&broken, "inconnu}");
    assert_eq!(diags[0]["code"], "unknown-name");
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": line, "character": character})
    );
    assert_eq!(
        diags[0]["range"]["end"],
        json!({"line": line, "character": character + 7})
    );
    // Typing the fix: the diagnostics are sent again once typing pauses.
    c.change("bot.flow", 2, BOT);
    assert_eq!(c.diagnostics_for(&c.path("bot.flow")), Vec::<Value>::new());
    // A block left open is reported at the block, in the other file.
    let open_if = PARKING.replacen("  end\n  do", "  do", 1);
    c.change("parking.flow", 2, &open_if);
    let diags = c.diagnostics_for(&c.path("parking.flow"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "unclosed-block");
    let (line, _) = find(&open_if, "  if plate");
    assert_eq!(diags[0]["range"]["start"]["line"], line);
    c.finish();
}

fn labels(result: &Value) -> Vec<String> {
    result
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_offers_what_fits_the_place() {
    let mut c = Client::start("complete");
    c.open("parking.flow", PARKING);
    // In a condition: the flow's slots and the built-in functions.
    let (line, character) = find(PARKING, "plate != ");
    let got = labels(&c.request(
        "textDocument/completion",
        c.at("parking.flow", line, character),
    ));
    for want in ["plate", "email", "today", "is_holiday"] {
        assert!(got.contains(&want.to_string()), "{want} missing: {got:?}");
    }
    assert!(!got.contains(&"welcome".to_string()), "{got:?}");
    // A slot's type: the built-in types that fit.
    let edited = PARKING.replace("slot email: email", "slot email: em");
    c.change("parking.flow", 2, &edited);
    let (line, character) = find(&edited, "slot email: em");
    let got = labels(&c.request(
        "textDocument/completion",
        c.at("parking.flow", line, character + 14),
    ));
    assert_eq!(got, vec!["email".to_string()], "{got:?}");
    // After `call`: the flows, from every file.
    let edited = PARKING.replace("      handoff\n", "      call \n");
    c.change("parking.flow", 3, &edited);
    let (line, character) = find(&edited, "call \n");
    let got = labels(&c.request(
        "textDocument/completion",
        c.at("parking.flow", line, character + 5),
    ));
    assert!(
        got.contains(&"welcome".to_string()) && got.contains(&"parking".to_string()),
        "{got:?}"
    );
    // At the start of a line in a form: what a form holds.
    let edited = PARKING.replace("  end\n  if", "    \n  end\n  if");
    c.change("parking.flow", 4, &edited);
    let (line, _) = find(&edited, "    \n  end\n  if");
    let got = labels(&c.request("textDocument/completion", c.at("parking.flow", line, 4)));
    for want in ["slot", "confirm", "end", "ask"] {
        assert!(got.contains(&want.to_string()), "{want} missing: {got:?}");
    }
    assert!(!got.contains(&"flow".to_string()), "{got:?}");
    c.finish();
}

#[test]
fn hover_explains_built_ins_slots_and_diagnostics() {
    let mut c = Client::start("hover");
    let text = PARKING.replace(
        "if plate != \"\"",
        "if plate != \"\" and is_holiday(today())",
    );
    c.open("parking.flow", &text);
    let (line, character) = find(&text, "is_holiday");
    let hover = c.request(
        "textDocument/hover",
        c.at("parking.flow", line, character + 2),
    );
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("is_holiday(date) -> yes/no"), "{md}");
    assert!(md.contains("public holiday"), "{md}");
    let (line, character) = find(&text, "plate != ");
    let hover = c.request(
        "textDocument/hover",
        c.at("parking.flow", line, character + 1),
    );
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("slot plate: plate") && md.contains("Votre plaque ?"),
        "{md}"
    );
    // On a mistake: the code's explanation, as `guichet explain` gives it.
    let broken = text.replace(
        "as card",
        "as card\n    ok\n      goto nowhere\n  end\n  do request_card(plate, email)",
    );
    c.change("parking.flow", 2, &broken);
    let (line, character) = find(&broken, "nowhere");
    let hover = c.request(
        "textDocument/hover",
        c.at("parking.flow", line, character + 1),
    );
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("unknown-flow"), "{md}");
    c.finish();
}

#[test]
fn definition_and_references_cross_files() {
    let mut c = Client::start("nav");
    c.open("bot.flow", BOT);
    let (line, character) = find(BOT, "parking fr");
    let result = c.request(
        "textDocument/definition",
        c.at("bot.flow", line, character + 1),
    );
    let locations = result.as_array().unwrap();
    assert_eq!(locations.len(), 1, "{result}");
    assert_eq!(locations[0]["uri"], uri(&c.path("parking.flow")));
    let (dline, dchar) = find(PARKING, "parking\n");
    assert_eq!(
        locations[0]["range"]["start"],
        json!({"line": dline, "character": dchar})
    );
    // The slot `plate`: declared once, used in the condition, as an
    // argument, and by the conversation test.
    c.open("parking.flow", PARKING);
    let (line, character) = find(PARKING, "plate: plate");
    let mut params = c.at("parking.flow", line, character + 7 + 2);
    params["context"] = json!({"includeDeclaration": true});
    let (line, character) = find(PARKING, "slot plate");
    params["position"] = json!({"line": line, "character": character + 6});
    let result = c.request("textDocument/references", params);
    let files: Vec<&str> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 5, "{result}");
    assert!(
        files.contains(&uri(&c.path("tests/parking.test")).as_str()),
        "{files:?}"
    );
    c.finish();
}

#[test]
fn rename_changes_every_file_and_refuses_a_bad_name() {
    let mut c = Client::start("rename");
    c.open("parking.flow", PARKING);
    let (line, character) = find(PARKING, "request_card(plate: plate");
    let mut params = c.at("parking.flow", line, character + 3);
    params["newName"] = json!("order_card");
    let edit = c.request("textDocument/rename", params.clone());
    let changes = edit["changes"].as_object().unwrap();
    let parking = changes[&uri(&c.path("parking.flow"))].as_array().unwrap();
    assert_eq!(parking.len(), 2, "{edit}");
    let test = changes[&uri(&c.path("tests/parking.test"))]
        .as_array()
        .unwrap();
    assert_eq!(test.len(), 1);
    assert_eq!(test[0]["newText"], "order_card");
    // A flow, from its use in the other file.
    c.open("bot.flow", BOT);
    let (line, character) = find(BOT, "parking fr");
    let mut p = c.at("bot.flow", line, character);
    p["newName"] = json!("resident_parking");
    let edit = c.request("textDocument/rename", p);
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2, "{edit}");
    // A slot used as `request_card(plate, ...)` keeps the argument's name.
    let (line, character) = find(PARKING, "slot plate");
    let mut p = c.at("parking.flow", line, character + 6);
    p["newName"] = json!("licence_plate");
    let edit = c.request("textDocument/rename", p);
    let parking = edit["changes"][uri(&c.path("parking.flow"))]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        parking
            .iter()
            .any(|e| e["newText"] == "plate: licence_plate"),
        "{parking:?}"
    );
    // Reserved words and names already taken are refused.
    for bad in ["if", "2cards", "email"] {
        let mut p = c.at("parking.flow", line, character + 6);
        p["newName"] = json!(bad);
        let response = c.call("textDocument/rename", p);
        assert!(response.get("error").is_some(), "{bad}: {response}");
    }
    c.finish();
}

#[test]
fn formatting_outline_and_quick_fixes() {
    let mut c = Client::start("format");
    let messy = "flow   welcome\nsay fr:\"Bonjour !\" en: \"Hello!\"\n button parking fr: \"Stationnement\" en: \"Parking\"\nend\n";
    let messy = format!("bot \"Bruyères\"\nlanguages fr, en\nstart welcome\nend\n{messy}");
    c.open("bot.flow", &messy);
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri(&c.path("bot.flow"))}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = edits.as_array().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0]["newText"],
        guichet::syntax::format_source(&messy).unwrap()
    );
    // The outline of the other file: its action and its flow with its slots.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&c.path("parking.flow"))}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["request_card", "parking"]);
    let children: Vec<&str> = symbols[1]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(children, vec!["plate", "email", "card"]);
    // "did you mean" becomes a quick fix.
    let typo = PARKING.replace("if plate !=", "if plat !=");
    c.open("parking.flow", &typo);
    let diags = c.diagnostics_for(&c.path("parking.flow"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&c.path("parking.flow"))}, "range": diags[0]["range"], "context": {"diagnostics": diags}}),
    );
    let action = &actions.as_array().unwrap()[0];
    assert_eq!(action["title"], "Replace with `plate`");
    let edit = &action["edit"]["changes"][uri(&c.path("parking.flow"))][0];
    assert_eq!(edit["newText"], "plate");
    assert_eq!(edit["range"], diags[0]["range"]);
    c.finish();
}
