// The staff inbox: the queue of hand-overs, live by Server-Sent Events;
// a case's summary and transcript; claim, answer, hand back, close.
// Every text is inserted with textContent; new cases are announced in a
// polite live region; everything works with the keyboard.
"use strict";

const TEXTS = {
  fr: {
    title: "Transferts du chat", queue: "File d'attente", closed: "Clôturés récemment",
    empty: "Aucun transfert en attente.", none: "Rien ces dernières heures.",
    signOut: "Se déconnecter", summary: "Résumé de l'assistant", transcript: "Conversation",
    claim: "Prendre la conversation", send: "Envoyer", reply: "Votre réponse",
    handBack: "Rendre à l'assistant", close: "Clôturer",
    waiting: "en attente", claimedBy: "prise par", you: "vous", closedState: "clôturé",
    service: "Service", reason: "Motif", lang: "Langue", channel: "Canal", since: "Attente",
    state: "État", filed: "Demande enregistrée (personne n'était disponible)",
    newCase: "Nouveau transfert", citizen: "Citoyen", bot: "Assistant", server: "Message du serveur",
    handoff: "Transfert demandé", pressed: "a choisi", opened: "a ouvert le chat",
    taken: "Quelqu'un d'autre a pris cette conversation.", notYours: "Prenez d'abord la conversation.",
    window: "Messenger ne permet plus d'écrire à cette personne (plus de 7 jours depuis son dernier message).",
    undelivered: "Non remis", outsideWindow: "hors de la fenêtre de Messenger",
    failed: "L'action a échoué. Réessayez.", noSummary: "(pas de données recueillies)",
    min: "min", h: "h",
    reasons: { asked_for_agent: "a demandé une personne", too_many_attempts: "l'assistant n'y arrivait pas",
      action_failed: "une démarche a échoué", page_inbox: "réponse depuis la Page" },
  },
  nl: {
    title: "Doorverwijzingen van de chat", queue: "Wachtrij", closed: "Recent afgesloten",
    empty: "Geen doorverwijzingen in de wachtrij.", none: "Niets de laatste uren.",
    signOut: "Afmelden", summary: "Samenvatting van de assistent", transcript: "Gesprek",
    claim: "Gesprek overnemen", send: "Versturen", reply: "Uw antwoord",
    handBack: "Teruggeven aan de assistent", close: "Afsluiten",
    waiting: "wacht", claimedBy: "overgenomen door", you: "u", closedState: "afgesloten",
    service: "Dienst", reason: "Reden", lang: "Taal", channel: "Kanaal", since: "Wachttijd",
    state: "Status", filed: "Aanvraag geregistreerd (niemand was beschikbaar)",
    newCase: "Nieuwe doorverwijzing", citizen: "Burger", bot: "Assistent", server: "Bericht van de server",
    handoff: "Doorverwijzing gevraagd", pressed: "koos", opened: "opende de chat",
    taken: "Iemand anders heeft dit gesprek al overgenomen.", notYours: "Neem het gesprek eerst over.",
    window: "Messenger laat niet meer toe deze persoon te schrijven (meer dan 7 dagen na het laatste bericht).",
    undelivered: "Niet bezorgd", outsideWindow: "buiten het venster van Messenger",
    failed: "Dat is mislukt. Probeer opnieuw.", noSummary: "(geen gegevens verzameld)",
    min: "min", h: "u",
    reasons: { asked_for_agent: "vroeg naar een medewerker", too_many_attempts: "de assistent raakte er niet uit",
      action_failed: "een aanvraag mislukte", page_inbox: "antwoord vanuit de Pagina" },
  },
  en: {
    title: "Chat hand-overs", queue: "Queue", closed: "Recently closed",
    empty: "No hand-over waiting.", none: "Nothing in the last hours.",
    signOut: "Sign out", summary: "The assistant's summary", transcript: "Conversation",
    claim: "Take the conversation", send: "Send", reply: "Your answer",
    handBack: "Hand back to the assistant", close: "Close",
    waiting: "waiting", claimedBy: "taken by", you: "you", closedState: "closed",
    service: "Service", reason: "Reason", lang: "Language", channel: "Channel", since: "Waiting",
    state: "State", filed: "Request filed (nobody was available)",
    newCase: "New hand-over", citizen: "Citizen", bot: "Assistant", server: "Server message",
    handoff: "Hand-over asked", pressed: "chose", opened: "opened the chat",
    taken: "Someone else took this conversation.", notYours: "Take the conversation first.",
    window: "Messenger no longer lets the Page write to this person (more than 7 days since their last message).",
    undelivered: "Not delivered", outsideWindow: "outside Messenger's window",
    failed: "That failed. Try again.", noSummary: "(nothing collected)",
    min: "min", h: "h",
    reasons: { asked_for_agent: "asked for a person", too_many_attempts: "the assistant could not manage",
      action_failed: "a request failed", page_inbox: "answered from the Page" },
  },
};

let T = TEXTS.fr;
let me = null;
let selected = null; // the open case's id
let lastSeq = 0; // the transcript's last seq
let known = new Set(); // case ids seen in the queue
let firstQueue = true;
let cases = new Map();

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

function applyTexts() {
  document.documentElement.lang = me.lang;
  document.title = T.title;
  $("title").textContent = T.title;
  $("queue-title").textContent = T.queue;
  $("closed-title").textContent = T.closed;
  $("sign-out").textContent = T.signOut;
  $("summary-title").textContent = T.summary;
  $("transcript-title").textContent = T.transcript;
  $("claim").textContent = T.claim;
  $("reply-label").textContent = T.reply;
  $("send").textContent = T.send;
  $("hand-back").textContent = T.handBack;
  $("close").textContent = T.close;
}

async function api(path, options = {}) {
  const init = { credentials: "same-origin", ...options };
  if (init.method === "POST") {
    init.headers = { "Content-Type": "application/json", "X-CSRF-Token": me.csrf };
  }
  const r = await fetch("/staff/api" + path, init);
  if (r.status === 401) {
    window.location.assign("/staff/login");
    throw new Error("signed out");
  }
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    const err = new Error((body.error && body.error.code) || String(r.status));
    err.code = body.error && body.error.code;
    throw err;
  }
  return body;
}

function duration(ms) {
  const min = Math.max(0, Math.round(ms / 60000));
  if (min < 60) return min + " " + T.min;
  return Math.floor(min / 60) + " " + T.h + " " + String(min % 60).padStart(2, "0");
}

function reasonText(reason) {
  return T.reasons[reason] || reason.replace(/_/g, " ");
}

function stateText(c) {
  if (c.state === "waiting") return T.waiting;
  if (c.state === "claimed") return T.claimedBy + " " + (c.mine ? T.you : c.claimed_by.name);
  return T.closedState;
}

function caseButton(c) {
  const li = el("li");
  const b = el("button");
  b.type = "button";
  b.dataset.id = c.id;
  b.setAttribute("aria-current", String(c.id === selected));
  b.append(el("strong", null, c.service_label + " – " + reasonText(c.reason)));
  const meta = [c.lang.toUpperCase(), c.channel, stateText(c)];
  if (c.state === "waiting") meta.push(T.since + " " + duration(c.waiting_ms));
  b.append(el("span", "meta", meta.join(" · ")));
  b.addEventListener("click", () => openCase(c.id, true).catch(() => {
    $("case-error").textContent = T.failed;
  }));
  li.append(b);
  return li;
}

function renderQueue(queue) {
  cases = new Map();
  const list = $("cases");
  list.replaceChildren();
  for (const c of queue.cases) {
    cases.set(c.id, c);
    list.append(caseButton(c));
  }
  if (queue.cases.length === 0) list.append(el("li", "meta", T.empty));
  const closed = $("closed");
  closed.replaceChildren();
  for (const c of queue.closed) {
    cases.set(c.id, c);
    closed.append(caseButton(c));
  }
  if (queue.closed.length === 0) closed.append(el("li", "meta", T.none));
  const fresh = queue.cases.filter((c) => !known.has(c.id));
  for (const c of queue.cases) known.add(c.id);
  if (!firstQueue && fresh.length > 0) {
    $("announce").textContent = fresh
      .map((c) => T.newCase + " : " + c.service_label + ", " + reasonText(c.reason))
      .join(". ");
  }
  firstQueue = false;
  if (selected && cases.has(selected)) showActions(cases.get(selected));
}

function fact(dl, term, value) {
  dl.append(el("dt", null, term), el("dd", null, value));
}

function showActions(c) {
  $("claim").hidden = c.state !== "waiting";
  $("reply").hidden = !c.mine;
  $("hand-back").hidden = !c.mine;
  $("close").hidden = !(c.state === "waiting" || c.mine);
  const dl = $("case-facts");
  dl.replaceChildren();
  fact(dl, T.service, c.service_label);
  fact(dl, T.reason, reasonText(c.reason));
  fact(dl, T.lang, c.lang.toUpperCase());
  fact(dl, T.channel, c.channel);
  fact(dl, T.since, duration(c.waiting_ms));
  fact(dl, T.state, stateText(c) + (c.filed ? " – " + T.filed : ""));
}

function eventItem(e) {
  let li;
  if (e.type === "user") {
    li = el("li", "citizen");
    li.append(el("span", "who", T.citizen));
    if (e.text !== undefined) li.append(el("p", "text", e.text));
    else if (e.button !== undefined) li.append(el("p", "text", T.pressed + " « " + (e.label || e.button) + " »"));
    else li.append(el("p", "text", T.opened));
  } else if (e.type === "say" && e.from === "staff") {
    li = el("li", "staff");
    li.append(el("span", "who", e.name));
    li.append(el("p", "text", e.text));
  } else if (e.type === "say") {
    li = el("li", "bot");
    li.append(el("span", "who", T.bot));
    li.append(el("p", "text", e.text));
  } else if (e.type === "notice") {
    li = el("li", "notice");
    li.append(el("span", "who", T.server));
    li.append(el("p", "text", e.text));
  } else if (e.type === "handoff") {
    li = el("li", "notice", T.handoff + " : " + reasonText(e.reason));
  } else {
    return null;
  }
  if (e.delivery && e.delivery.state === "failed") {
    const why = e.delivery.error === "outside_window" ? T.outsideWindow : e.delivery.error;
    li.append(el("span", "undelivered", T.undelivered + " : " + why));
  }
  return li;
}

function appendEvents(events) {
  const log = $("transcript");
  for (const e of events) {
    if (e.seq <= lastSeq) continue;
    lastSeq = e.seq;
    const li = eventItem(e);
    if (li) log.append(li);
  }
  const box = $("transcript-box");
  box.scrollTop = box.scrollHeight;
}

async function openCase(id, focus) {
  selected = id;
  lastSeq = 0;
  $("case-error").textContent = "";
  const body = await api("/cases/" + encodeURIComponent(id));
  const c = body.case;
  cases.set(c.id, c);
  $("case").hidden = false;
  $("case-title").textContent = c.service_label + " – " + reasonText(c.reason);
  $("summary-text").textContent = (c.summary && c.summary.text) || T.noSummary;
  $("transcript").replaceChildren();
  appendEvents(body.events);
  showActions(c);
  for (const b of document.querySelectorAll(".cases button")) {
    b.setAttribute("aria-current", String(b.dataset.id === id));
  }
  if (focus) $("case-title").focus();
}

async function refreshCase() {
  if (!selected) return;
  const body = await api("/cases/" + encodeURIComponent(selected) + "?after=" + lastSeq);
  cases.set(body.case.id, body.case);
  appendEvents(body.events);
  showActions(body.case);
}

function explain(err) {
  const messages = {
    case_taken: T.taken, not_your_case: T.notYours, outside_messaging_window: T.window,
  };
  $("case-error").textContent = messages[err.code] || T.failed;
}

async function act(path, body, then) {
  $("case-error").textContent = "";
  try {
    const r = await api("/cases/" + encodeURIComponent(selected) + path, {
      method: "POST",
      body: JSON.stringify(body || {}),
    });
    await refreshCase();
    if (then) then(r);
  } catch (err) {
    explain(err);
    await refreshCase().catch(() => {});
  }
}

function listen() {
  const source = new EventSource("/staff/api/stream");
  source.addEventListener("queue", (m) => renderQueue(JSON.parse(m.data)));
  source.addEventListener("activity", (m) => {
    const a = JSON.parse(m.data);
    if (a.case === selected && a.seq > lastSeq) refreshCase().catch(() => {});
  });
}

async function start() {
  try {
    me = await api("/me");
  } catch (e) {
    return;
  }
  T = TEXTS[me.lang] || TEXTS.fr;
  applyTexts();
  $("who").textContent = me.name;
  $("claim").addEventListener("click", () => act("/claim", null, () => $("reply-text").focus()));
  $("hand-back").addEventListener("click", () => act("/hand-back"));
  $("close").addEventListener("click", () => act("/close"));
  $("reply").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("reply-text").value.trim();
    if (!text) return;
    act("/messages", { text }, () => {
      $("reply-text").value = "";
      $("reply-text").focus();
    });
  });
  $("reply-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("reply").requestSubmit();
  });
  $("sign-out").addEventListener("click", async () => {
    await api("/sign-out", { method: "POST", body: "{}" }).catch(() => {});
    window.location.assign("/staff/login");
  });
  const fromHash = /case=([A-Za-z0-9_]+)/.exec(window.location.hash);
  renderQueue(await api("/queue"));
  if (fromHash) openCase(fromHash[1], true).catch(() => {});
  listen();
}

start();
