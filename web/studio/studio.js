// The bot studio: the bot's files in an editor with the language server's
// diagnostics (as the text is typed), completion and hover; a chat with
// the edited bot and its trace; the conversation tests; a save the server
// refuses when the bot would not check. Unsaved texts stay in the page and
// travel with each request. Every text is inserted with textContent.
"use strict";

const TEXTS = {
  fr: {
    title: "Studio du bot", testsTitle: "Tests de conversation", files: "Fichiers", flows: "Flux", tests: "Tests", tables: "Tables",
    save: "Enregistrer", saving: "Vérification et enregistrement…", modified: "modifié", saved: "enregistré",
    problems: "Problèmes", noProblem: "Aucun problème dans le bot.", checking: "Vérification…",
    errors: (n) => n + (n > 1 ? " erreurs" : " erreur"), warnings: (n) => n + (n > 1 ? " avertissements" : " avertissement"),
    error: "erreur", warning: "avertissement", help: "Aide",
    keys: "Ctrl+Espace : compléter · Ctrl+I : documentation au curseur · Ctrl+S : enregistrer",
    savedOk: "Enregistré. Le serveur a rechargé le bot : les citoyens ont la nouvelle version dès leur prochain message.",
    savedNoReload: "Enregistré, mais le serveur n'a pas rechargé le bot : ",
    refused: "Enregistrement refusé : le bot ne passerait pas la vérification avec ce texte. Rien n'a été écrit. Corrigez les erreurs ci-dessous.",
    changed: "Ce fichier a changé sur le disque depuis son ouverture. Votre texte reste ici ; rouvrez le fichier pour voir l'autre version.",
    failed: "Cela n'a pas marché. Réessayez.", signOut: "Se déconnecter", inbox: "Transferts",
    chat: "Essayer le bot modifié",
    chatHint: "Le bot tel qu'il est dans l'éditeur, même non enregistré, dans une conversation d'essai : ni les citoyens ni les statistiques ne la voient. Les actions ne sont pas exécutées : répondez-y à la main.",
    lang: "Langue", auto: "automatique", now: "Heure fixée", reset: "Recommencer", send: "Envoyer",
    input: "Message du citoyen", you: "Citoyen", bot: "Bot", why: "Pourquoi",
    brokenBot: "Le bot modifié a des erreurs : corrigez-les pour l'essayer.",
    restarted: "Le bot a trop changé : la conversation d'essai recommence.",
    actionAsked: (name) => "Le bot demande l'action " + name + ".",
    actionLabel: (name) => "Résultat de " + name + " (JSON)", ok: "Réussite", fail: "Échec",
    handoff: (r) => "Transfert vers une personne (" + r + ").", end: "Fin de la conversation.",
    waits: "attend", badJson: "Ce n'est pas un objet JSON.", over: "Cette conversation d'essai est terminée : recommencez.",
    runTests: "Lancer les tests", running: "Les tests tournent…",
    testsResult: (p, f) => p + " réussi" + (p > 1 ? "s" : "") + ", " + f + " échoué" + (f > 1 ? "s" : ""),
    expected: "Attendu", got: "Obtenu", nothingSaid: "(rien)",
    noCompletion: "Aucune suggestion ici.", noHover: "Rien à expliquer ici.",
    editorLabel: (f) => "Texte de " + f,
  },
  nl: {
    title: "Botstudio", testsTitle: "Gesprekstests", files: "Bestanden", flows: "Flows", tests: "Tests", tables: "Tabellen",
    save: "Opslaan", saving: "Controleren en opslaan…", modified: "gewijzigd", saved: "opgeslagen",
    problems: "Problemen", noProblem: "Geen problemen in de bot.", checking: "Controleren…",
    errors: (n) => n + (n > 1 ? " fouten" : " fout"), warnings: (n) => n + (n > 1 ? " waarschuwingen" : " waarschuwing"),
    error: "fout", warning: "waarschuwing", help: "Hulp",
    keys: "Ctrl+Spatie: aanvullen · Ctrl+I: documentatie bij de cursor · Ctrl+S: opslaan",
    savedOk: "Opgeslagen. De server heeft de bot herladen: burgers krijgen de nieuwe versie bij hun volgende bericht.",
    savedNoReload: "Opgeslagen, maar de server heeft de bot niet herladen: ",
    refused: "Opslaan geweigerd: de bot zou met deze tekst de controle niet doorstaan. Er is niets geschreven. Verbeter de fouten hieronder.",
    changed: "Dit bestand is op de schijf gewijzigd sinds het geopend werd. Uw tekst blijft hier; open het bestand opnieuw voor de andere versie.",
    failed: "Dat is mislukt. Probeer opnieuw.", signOut: "Afmelden", inbox: "Doorverwijzingen",
    chat: "De gewijzigde bot uitproberen",
    chatHint: "De bot zoals in de editor, ook niet opgeslagen, in een testgesprek: burgers en statistieken zien het niet. Acties worden niet uitgevoerd: beantwoord ze met de hand.",
    lang: "Taal", auto: "automatisch", now: "Vast tijdstip", reset: "Opnieuw", send: "Versturen",
    input: "Bericht van de burger", you: "Burger", bot: "Bot", why: "Waarom",
    brokenBot: "De gewijzigde bot heeft fouten: verbeter ze om hem uit te proberen.",
    restarted: "De bot is te veel veranderd: het testgesprek begint opnieuw.",
    actionAsked: (name) => "De bot vraagt de actie " + name + ".",
    actionLabel: (name) => "Resultaat van " + name + " (JSON)", ok: "Gelukt", fail: "Mislukt",
    handoff: (r) => "Doorverwijzing naar een medewerker (" + r + ").", end: "Einde van het gesprek.",
    waits: "wacht op", badJson: "Dit is geen JSON-object.", over: "Dit testgesprek is voorbij: begin opnieuw.",
    runTests: "Tests uitvoeren", running: "De tests lopen…",
    testsResult: (p, f) => p + " geslaagd, " + f + " mislukt",
    expected: "Verwacht", got: "Gekregen", nothingSaid: "(niets)",
    noCompletion: "Geen suggesties hier.", noHover: "Niets uit te leggen hier.",
    editorLabel: (f) => "Tekst van " + f,
  },
  en: {
    title: "Bot studio", testsTitle: "Conversation tests", files: "Files", flows: "Flows", tests: "Tests", tables: "Tables",
    save: "Save", saving: "Checking and saving…", modified: "modified", saved: "saved",
    problems: "Problems", noProblem: "No problem in the bot.", checking: "Checking…",
    errors: (n) => n + (n > 1 ? " errors" : " error"), warnings: (n) => n + (n > 1 ? " warnings" : " warning"),
    error: "error", warning: "warning", help: "Help",
    keys: "Ctrl+Space: complete · Ctrl+I: documentation at the caret · Ctrl+S: save",
    savedOk: "Saved. The server reloaded the bot: citizens get the new version from their next message.",
    savedNoReload: "Saved, but the server did not reload the bot: ",
    refused: "Save refused: the bot would not check with this text. Nothing was written. Fix the errors below.",
    changed: "This file changed on disk since it was opened. Your text stays here; open the file again to see the other version.",
    failed: "That failed. Try again.", signOut: "Sign out", inbox: "Hand-overs",
    chat: "Try the edited bot",
    chatHint: "The bot as it is in the editor, unsaved too, in a trial conversation: neither citizens nor the statistics see it. Actions are not performed: answer them by hand.",
    lang: "Language", auto: "automatic", now: "Fixed time", reset: "Start over", send: "Send",
    input: "The citizen's message", you: "Citizen", bot: "Bot", why: "Why",
    brokenBot: "The edited bot has errors: fix them to try it.",
    restarted: "The bot changed too much: the trial conversation starts over.",
    actionAsked: (name) => "The bot asks for the action " + name + ".",
    actionLabel: (name) => "Result of " + name + " (JSON)", ok: "Success", fail: "Failure",
    handoff: (r) => "Hand-over to a person (" + r + ").", end: "End of the conversation.",
    waits: "waits for", badJson: "This is not a JSON object.", over: "This trial conversation is over: start over.",
    runTests: "Run the tests", running: "The tests are running…",
    testsResult: (p, f) => p + " passed, " + f + " failed",
    expected: "Expected", got: "Got", nothingSaid: "(nothing)",
    noCompletion: "No suggestion here.", noHover: "Nothing to explain here.",
    editorLabel: (f) => "Text of " + f,
  },
};

let T = TEXTS.fr;
let me = null;
/** path → {kind, hash, disk (the text on disk), text (the page's)} */
const files = new Map();
let current = null; // the open file's path
let report = { diagnostics: [], errors: 0, warnings: 0 };
let editor = null;
let grammars = {};
let checkSeq = 0;
let checkTimer = null;
let trial = null; // the trial conversation's id
let pending = null; // the action the trial bot waits for
let busy = Promise.resolve();

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

function announce(text) {
  const a = $("announce");
  a.textContent = "";
  // A new text is read even when it equals the last one.
  setTimeout(() => {
    a.textContent = text;
  }, 30);
}

async function api(path, body) {
  const init = { credentials: "same-origin" };
  if (body !== undefined) {
    init.method = "POST";
    init.headers = { "Content-Type": "application/json", "X-CSRF-Token": me ? me.csrf : "" };
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  if (r.status === 401) {
    window.location.assign("/staff/login");
    throw new Error("signed out");
  }
  const data = await r.json().catch(() => ({}));
  if (!r.ok) {
    const err = new Error((data.error && data.error.code) || String(r.status));
    err.code = data.error && data.error.code;
    err.status = r.status;
    err.body = data;
    throw err;
  }
  return data;
}

/** The texts that differ from the disk: what the server lays over it. */
function unsaved() {
  const out = {};
  for (const [path, f] of files) {
    if (f.text !== undefined && f.text !== f.disk) out[path] = f.text;
  }
  return out;
}

// Leaving the page (closing it, following a link, reloading) with texts
// not saved: the browser asks first.
window.addEventListener("beforeunload", (e) => {
  if (Object.keys(unsaved()).length > 0) {
    e.preventDefault();
    // Older browsers ask only when a text is set (which none shows).
    e.returnValue = "unsaved";
  }
});

function applyTexts() {
  document.documentElement.lang = me.lang;
  const set = (id, text) => ($(id).textContent = text);
  set("files-title", T.files);
  set("save", T.save);
  set("keys", T.keys);
  set("problems-title", T.problems);
  set("chat-title", T.chat);
  set("chat-hint", T.chatHint);
  set("chat-lang-label", T.lang);
  set("chat-now-label", T.now);
  set("chat-reset", T.reset);
  set("chat-send", T.send);
  set("chat-input-label", T.input);
  set("chat-action-ok", T.ok);
  set("chat-action-fail", T.fail);
  set("tests-title", T.testsTitle);
  set("run-tests", T.runTests);
  set("sign-out", T.signOut);
  set("inbox-link", T.inbox);
}

// ---- files ----

function renderFiles() {
  const list = $("files");
  list.replaceChildren();
  const groups = [
    [T.flows, (p) => p.endsWith(".flow")],
    [T.tables, (p) => p.endsWith(".csv")],
    [T.tests, (p) => p.endsWith(".test")],
  ];
  const counts = new Map();
  for (const d of report.diagnostics) {
    const c = counts.get(d.file) || { errors: 0, warnings: 0 };
    if (d.severity === "error") c.errors++;
    else c.warnings++;
    counts.set(d.file, c);
  }
  for (const [label, test] of groups) {
    const paths = [...files.keys()].filter(test);
    if (!paths.length) continue;
    const li = el("li", "group");
    li.append(el("span", "group-name", label));
    const ul = el("ul");
    for (const path of paths) {
      const f = files.get(path);
      const item = el("li");
      const b = el("button", "file");
      b.type = "button";
      b.dataset.path = path;
      b.setAttribute("aria-current", String(path === current));
      b.append(el("span", "name", path));
      const marks = [];
      if (f.text !== undefined && f.text !== f.disk) marks.push(["dirty", "• " + T.modified]);
      const c = counts.get(path);
      if (c && c.errors) marks.push(["n-error", T.errors(c.errors)]);
      else if (c && c.warnings) marks.push(["n-warning", T.warnings(c.warnings)]);
      for (const [cls, text] of marks) b.append(el("span", "mark " + cls, text));
      b.addEventListener("click", () => openFile(path));
      item.append(b);
      ul.append(item);
    }
    li.append(ul);
    list.append(li);
  }
}

async function loadFiles() {
  const list = await api("/staff/api/studio/files");
  $("title").textContent = T.title + " – " + list.bot;
  document.title = T.title + " – " + list.bot;
  for (const f of list.files) {
    const known = files.get(f.path);
    if (known) known.kind = f.kind;
    else files.set(f.path, { kind: f.kind, hash: f.hash });
  }
  const select = $("chat-lang");
  select.replaceChildren(el("option", null, T.auto));
  select.firstChild.value = "";
  for (const l of list.languages) {
    const o = el("option", null, l.toUpperCase());
    o.value = l;
    select.append(o);
  }
  if (list.languages.includes(me.lang)) select.value = me.lang;
  renderFiles();
  return list;
}

async function openFile(path, at) {
  const f = files.get(path);
  if (!f) return;
  if (f.text === undefined) {
    const got = await api("/staff/api/studio/file?path=" + encodeURIComponent(path));
    f.disk = got.text;
    f.text = got.text;
    f.hash = got.hash;
  }
  if (current && files.get(current) && editor) files.get(current).text = editor.text;
  current = path;
  const grammar = f.kind === "flow" ? grammars.flow : f.kind === "test" ? grammars.test : null;
  editor.setDocument(f.text, f.kind, grammar, T.editorLabel(path));
  $("file-title").textContent = path;
  showState();
  renderFiles();
  renderProblems();
  if (at) editor.reveal(at.line, at.character);
}

function showState() {
  const f = files.get(current);
  const dirty = f && f.text !== f.disk;
  $("file-state").textContent = dirty ? T.modified : "";
  $("save").disabled = !f;
}

// ---- diagnostics ----

function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 120);
}

async function check() {
  const seq = ++checkSeq;
  try {
    const r = await api("/staff/api/studio/check", { files: unsaved() });
    if (seq !== checkSeq) return;
    report = r;
  } catch (e) {
    if (seq !== checkSeq) return;
    $("problems-summary").textContent = T.failed;
    return;
  }
  renderProblems();
  renderFiles();
}

function diagnosticText(d) {
  return d.message + (d.label && d.label !== d.message ? " (" + d.label + ")" : "");
}

let lastProblems = "";

function renderProblems() {
  const mine = report.diagnostics.filter((d) => d.file === current);
  if (editor) editor.setDiagnostics(mine);
  // The list changes only when the problems do: a screen reader hears it
  // once, not at each keystroke.
  const key = JSON.stringify([current, report.diagnostics.map((d) => [d.file, d.line, d.column, d.message])]);
  if (key === lastProblems) return;
  lastProblems = key;
  const summary = $("problems-summary");
  if (!report.diagnostics.length) summary.textContent = T.noProblem;
  else summary.textContent = [T.errors(report.errors), T.warnings(report.warnings)].join(", ");
  const list = $("problems");
  list.replaceChildren();
  const sorted = mine.concat(report.diagnostics.filter((d) => d.file !== current));
  for (const d of sorted) {
    const li = el("li", "problem " + d.severity);
    const b = el("button", "where");
    b.type = "button";
    const place = (d.file === current ? "" : d.file + ":") + d.line + ":" + d.column;
    b.append(el("span", "sev", d.severity === "error" ? T.error : T.warning), el("span", "loc", place));
    b.append(el("span", "msg", diagnosticText(d)));
    b.addEventListener("click", () => {
      const at = d.range ? d.range.start : { line: d.line - 1, character: d.column - 1 };
      if (d.file === current) editor.reveal(at.line, at.character);
      else if (files.has(d.file)) openFile(d.file, at);
    });
    li.append(b);
    if (d.help) li.append(el("p", "help", T.help + " : " + d.help));
    list.append(li);
  }
}

// ---- save ----

async function save() {
  if (!current) return;
  const path = current;
  const f = files.get(path);
  f.text = editor.text;
  const result = $("save-result");
  result.className = "save-result";
  result.textContent = T.saving;
  $("save").disabled = true;
  try {
    const r = await api("/staff/api/studio/save", { path, text: f.text, hash: f.hash });
    f.disk = f.text;
    f.hash = r.hash;
    result.classList.add("ok");
    result.textContent = r.reload && r.reload.loaded ? T.savedOk : T.savedNoReload + ((r.reload && r.reload.message) || "");
  } catch (e) {
    result.classList.add("refused");
    if (e.code === "bot_has_errors") {
      result.textContent = T.refused;
      report = { diagnostics: e.body.diagnostics, errors: e.body.errors, warnings: e.body.warnings };
      lastProblems = "";
      renderProblems();
    } else if (e.code === "changed_on_disk") {
      result.textContent = T.changed;
    } else {
      result.textContent = T.failed + " (" + (e.code || e.message) + ")";
    }
  } finally {
    showState();
    renderFiles();
  }
}

// ---- the trial chat ----

function chatLine(cls, who, text) {
  const div = el("div", "turn " + cls);
  if (who) div.append(el("span", "who", who));
  div.append(el("p", "text", text));
  $("chat-log").append(div);
  div.scrollIntoView({ block: "nearest" });
  return div;
}

function showTurn(turn) {
  if (turn.restarted) chatLine("notice", null, T.restarted);
  const box = el("div", "bot-turn");
  for (const e of turn.events) {
    if (e.type === "say") {
      const m = el("div", "turn bot");
      m.append(el("span", "who", T.bot), el("p", "text", e.text));
      if (e.buttons && e.buttons.length) {
        const row = el("div", "buttons");
        for (const b of e.buttons) {
          const button = el("button", "secondary", b.label);
          button.type = "button";
          button.addEventListener("click", () => send({ button: b.payload }, b.label));
          row.append(button);
        }
        m.append(row);
      }
      for (const l of e.links || []) {
        const a = el("a", "link", l.label);
        if (/^https?:\/\//i.test(l.url)) a.href = l.url;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        m.append(a);
      }
      box.append(m);
    } else if (e.type === "action") {
      box.append(el("p", "turn notice", T.actionAsked(e.name) + " " + JSON.stringify(e.args)));
    } else if (e.type === "handoff") {
      box.append(el("p", "turn notice", T.handoff(e.reason)));
    } else if (e.type === "end") {
      box.append(el("p", "turn notice", T.end));
    } else if (e.type === "error") {
      box.append(el("p", "turn error", e.code + " : " + e.message));
    } else if (e.type === "turn_end" && e.expecting) {
      const x = e.expecting;
      const what = x.kind === "slot" ? x.name + " (" + x.type + ")" : x.kind.replace(/_/g, " ");
      box.append(el("p", "turn meta", T.waits + " : " + what));
    }
  }
  if (turn.trace && turn.trace.length) {
    const d = el("details", "trace");
    d.open = true;
    d.append(el("summary", null, T.why + " (" + turn.trace.length + ")"));
    const ol = el("ol");
    for (const line of turn.trace) ol.append(el("li", null, line));
    d.append(ol);
    box.append(d);
  }
  $("chat-log").append(box);
  box.scrollIntoView({ block: "nearest" });
  pending = turn.pending_action || null;
  const form = $("chat-action");
  form.hidden = !pending;
  if (pending) {
    $("chat-action-label").textContent = T.actionLabel(pending.name);
    const sample = {};
    for (const [k, ty] of Object.entries(pending.results || {})) sample[k] = ty === "number" ? 0 : "";
    $("chat-action-value").value = JSON.stringify(sample, null, 1);
  }
}

function send(input, shown) {
  busy = busy.then(() => sendNow(input, shown)).catch(() => {});
  return busy;
}

async function sendNow(input, shown) {
  if (shown !== undefined) chatLine("citizen", T.you, shown);
  const body = { files: unsaved(), input };
  if (trial) body.trial = trial;
  const lang = $("chat-lang").value;
  if (lang) body.lang = lang;
  const now = $("chat-now").value;
  if (now) body.now = now;
  try {
    const turn = await api("/staff/api/studio/trial", body);
    trial = turn.trial;
    showTurn(turn);
  } catch (e) {
    if (e.code === "bot_has_errors") {
      chatLine("error", null, T.brokenBot);
      report = { diagnostics: e.body.diagnostics, errors: e.body.errors, warnings: e.body.warnings };
      lastProblems = "";
      renderProblems();
      renderFiles();
    } else if (e.code === "unknown_trial") {
      trial = null;
      chatLine("error", null, T.over);
    } else {
      chatLine("error", null, T.failed + " (" + (e.code || e.message) + ")");
    }
  }
}

async function resetChat() {
  if (trial) await api("/staff/api/studio/trial/reset", { trial }).catch(() => {});
  trial = null;
  pending = null;
  $("chat-action").hidden = true;
  $("chat-log").replaceChildren();
  await send({ start: true });
}

// ---- the conversation tests ----

async function runTests() {
  const summary = $("tests-summary");
  const list = $("tests");
  summary.textContent = T.running;
  list.replaceChildren();
  $("run-tests").disabled = true;
  try {
    const r = await api("/staff/api/studio/tests", { files: unsaved() });
    summary.textContent = T.testsResult(r.passed, r.failed);
    summary.className = "summary " + (r.failed ? "failed" : "passed");
    for (const t of r.results.filter((x) => x.failure)) {
      const f = t.failure;
      const li = el("li", "test-failure");
      const b = el("button", "where");
      b.type = "button";
      b.append(el("span", "loc", t.file + ":" + f.line), el("span", "msg", t.name));
      b.addEventListener("click", () => openFile(t.file, { line: f.line - 1, character: 0 }));
      li.append(b);
      li.append(el("p", "msg", f.message));
      const dl = el("dl");
      dl.append(el("dt", null, T.expected), el("dd", "step", f.step));
      const said = f.got.filter((e) => e.type === "say").map((e) => e.text);
      dl.append(el("dt", null, T.got), el("dd", "got", said.length ? said.join(" / ") : T.nothingSaid));
      li.append(dl);
      if (f.help) li.append(el("p", "help", T.help + " : " + f.help));
      list.append(li);
    }
  } catch (e) {
    summary.className = "summary failed";
    if (e.code === "bot_has_errors") {
      summary.textContent = T.brokenBot;
      report = { diagnostics: e.body.diagnostics, errors: e.body.errors, warnings: e.body.warnings };
      lastProblems = "";
      renderProblems();
    } else {
      summary.textContent = T.failed;
    }
  } finally {
    $("run-tests").disabled = false;
  }
}

// ---- start ----

async function start() {
  me = await api("/staff/api/me");
  T = TEXTS[me.lang] || TEXTS.fr;
  applyTexts();
  $("who").textContent = me.name;
  const [flow, test] = await Promise.all([
    window.StudioHighlight.load("/staff/studio/guichet.tmLanguage.json"),
    window.StudioHighlight.load("/staff/studio/guichet-test.tmLanguage.json"),
  ]);
  grammars = { flow, test };
  editor = new window.StudioEditor($("editor"), {
    id: "code",
    describedBy: "keys",
    texts: T,
    announce,
    onChange(text) {
      const f = files.get(current);
      if (!f) return;
      const wasDirty = f.text !== f.disk;
      f.text = text;
      if (wasDirty !== (f.text !== f.disk)) {
        showState();
        renderFiles();
      }
      $("save-result").textContent = "";
      scheduleCheck();
    },
    complete(position) {
      return api("/staff/api/studio/complete", { files: unsaved(), file: current, position }).then((r) => r.items);
    },
    hover(position) {
      return api("/staff/api/studio/hover", { files: unsaved(), file: current, position }).then((r) => r.hover);
    },
    onSave: save,
  });
  await loadFiles();
  const first = [...files.keys()].find((p) => p === "bot.flow") || [...files.keys()].find((p) => p.endsWith(".flow"));
  if (first) await openFile(first);
  await check();
  $("save").addEventListener("click", save);
  $("run-tests").addEventListener("click", runTests);
  $("chat-reset").addEventListener("click", () => resetChat());
  $("chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("chat-input");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text }, text);
  });
  $("chat-action").addEventListener("submit", (e) => {
    e.preventDefault();
    let value;
    try {
      value = JSON.parse($("chat-action-value").value);
    } catch (err) {
      value = null;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      announce(T.badJson);
      chatLine("error", null, T.badJson);
      return;
    }
    send({ ok: value }, T.ok + " " + JSON.stringify(value));
  });
  $("chat-action-fail").addEventListener("click", () => send({ fail: "failed by hand in the studio" }, T.fail));
  $("sign-out").addEventListener("click", async () => {
    await api("/staff/api/sign-out", {}).catch(() => {});
    window.location.assign("/staff/login");
  });
  await send({ start: true });
  document.body.dataset.ready = "true";
}

start().catch((e) => {
  if (e.message !== "signed out") {
    $("save-result").textContent = T.failed;
  }
});
