// The statistics dashboard: the figures of a period, fetched again every
// few seconds; each chart drawn by the server as SVG, with its numbers in a
// table below; the messages the assistant did not understand, grouped, with
// what to add to the bot; for staff who see every service, a citizen's data
// found, exported or erased. Every text is inserted with textContent.
"use strict";

const REFRESH_MS = 10_000;

const TEXTS = {
  fr: {
    title: "Statistiques du chat", inbox: "Transferts", from: "Du", to: "Au", lang: "Langue",
    channel: "Canal", all: "toutes", allChannels: "tous", show: "Afficher", csv: "Télécharger en CSV",
    updated: "Mis à jour à", changed: "Chiffres mis à jour.", failed: "Les chiffres n'ont pas pu être lus.",
    totals: "En bref", conversations: "Conversations", messages: "Messages des citoyens",
    topicsTotal: "Démarches demandées", completedTotal: "Démarches menées à bien",
    abandonedTotal: "Démarches abandonnées", handoffs: "Transferts à un agent", unmatched: "Messages non compris",
    medianMessages: "Messages par conversation (médiane)", medianSeconds: "Durée d'une conversation (médiane)",
    day: "Jour", hour: "Heure", flow: "Démarche", step: "Étape", started: "Démarrées",
    completed: "Menées à bien", abandoned: "Abandonnées", inProgress: "En cours", rate: "Taux",
    reached: "Arrivés", asked: "Questions posées", refused: "Réponses refusées", left: "Abandons ici",
    how: "Comment", count: "Nombre", reason: "Motif", service: "Service", languageCol: "Langue",
    channelCol: "Canal", chartNote: "Les chiffres du graphique sont dans le tableau ci-dessous.",
    abandonment: "Démarches abandonnées, selon la manière",
    charts: {
      per_day: "Conversations par jour", per_hour: "Conversations selon l'heure",
      topics: "Sujets demandés", completion: "Démarches menées à bien",
      funnel: "Où les citoyens abandonnent", handoffs: "Transferts à un agent",
      unmatched: "Messages non compris par jour",
    },
    unmatchedTitle: "Ce que l'assistant n'a pas compris", privacyTitle: "Données d'un citoyen",
    unmatchedIntro: "Messages regroupés quand ils se ressemblent (les données personnelles sont masquées). Pour ceux que l'assistant ne comprend toujours pas, voici le déclencheur et le test à ajouter.",
    noneUnmatched: "Aucun message non compris pour cette période.",
    times: "×", closest: "le plus proche", score: "score", ambiguous: "hésitation entre deux démarches",
    answeredBy: "compris maintenant par", suggestion: "Ajouter à l'assistant", trigger: "Déclencheur, dans la démarche",
    test: "Test de conversation", copy: "Copier", copied: "Copié.", nothingClose: "Proche d'aucune démarche.",
    howNames: { cancel: "annulée", close: "conversation fermée", handoff: "transfert à un agent",
      restart: "recommencée", attempts: "réponses illisibles", idle: "sans réponse du citoyen" },
    privacyIntro: "Pour répondre à une demande d'accès ou d'effacement (RGPD) : trouvez les conversations d'un citoyen, exportez ce qui est conservé ou effacez-le. L'effacement est définitif ; les statistiques gardent leurs totaux.",
    whose: "Chercher par", whoseValue: "une valeur donnée (e-mail, téléphone…)",
    whoseConversation: "un numéro de conversation", whosePsid: "un identifiant Messenger", needle: "Valeur",
    find: "Chercher", export: "Exporter (JSON)", erase: "Effacer",
    found: (n) => n === 0 ? "Aucune conversation trouvée." : n === 1 ? "1 conversation trouvée." : `${n} conversations trouvées.`,
    confirmErase: (n) => `Effacer définitivement ${n} conversation(s) et tout ce qui en découle ? Cliquez encore sur « Effacer » pour confirmer.`,
    erased: (n) => `${n} conversation(s) effacée(s).`,
    privacyFailed: "L'opération a échoué.",
  },
  nl: {
    title: "Statistieken van de chat", inbox: "Doorverwijzingen", from: "Van", to: "Tot", lang: "Taal",
    channel: "Kanaal", all: "alle", allChannels: "alle", show: "Tonen", csv: "Downloaden als CSV",
    updated: "Bijgewerkt om", changed: "Cijfers bijgewerkt.", failed: "De cijfers konden niet gelezen worden.",
    totals: "Overzicht", conversations: "Gesprekken", messages: "Berichten van burgers",
    topicsTotal: "Gevraagde aanvragen", completedTotal: "Afgeronde aanvragen",
    abandonedTotal: "Afgebroken aanvragen", handoffs: "Doorverwijzingen", unmatched: "Niet begrepen berichten",
    medianMessages: "Berichten per gesprek (mediaan)", medianSeconds: "Duur van een gesprek (mediaan)",
    day: "Dag", hour: "Uur", flow: "Aanvraag", step: "Stap", started: "Gestart",
    completed: "Afgerond", abandoned: "Afgebroken", inProgress: "Bezig", rate: "Percentage",
    reached: "Bereikt", asked: "Vragen gesteld", refused: "Antwoorden geweigerd", left: "Hier gestopt",
    how: "Hoe", count: "Aantal", reason: "Reden", service: "Dienst", languageCol: "Taal",
    channelCol: "Kanaal", chartNote: "De cijfers van de grafiek staan in de tabel hieronder.",
    abandonment: "Afgebroken aanvragen, per manier",
    charts: {
      per_day: "Gesprekken per dag", per_hour: "Gesprekken per uur",
      topics: "Gevraagde onderwerpen", completion: "Afgeronde aanvragen",
      funnel: "Waar burgers afhaken", handoffs: "Doorverwijzingen",
      unmatched: "Niet begrepen berichten per dag",
    },
    unmatchedTitle: "Wat de assistent niet begreep", privacyTitle: "Gegevens van een burger",
    unmatchedIntro: "Berichten gegroepeerd als ze op elkaar lijken (persoonsgegevens zijn gemaskeerd). Voor wat de assistent nog niet begrijpt: de trigger en de test om toe te voegen.",
    noneUnmatched: "Geen niet begrepen berichten in deze periode.",
    times: "×", closest: "het dichtst bij", score: "score", ambiguous: "twijfel tussen twee aanvragen",
    answeredBy: "nu begrepen door", suggestion: "Toevoegen aan de assistent", trigger: "Trigger, in de aanvraag",
    test: "Gesprekstest", copy: "Kopiëren", copied: "Gekopieerd.", nothingClose: "Bij geen enkele aanvraag in de buurt.",
    howNames: { cancel: "geannuleerd", close: "gesprek gesloten", handoff: "doorverwezen",
      restart: "opnieuw begonnen", attempts: "onleesbare antwoorden", idle: "geen antwoord meer" },
    privacyIntro: "Voor een verzoek om inzage of wissing (AVG): zoek de gesprekken van een burger, exporteer wat bewaard wordt of wis het. Wissen is definitief; de statistieken houden hun totalen.",
    whose: "Zoeken op", whoseValue: "een gegeven waarde (e-mail, telefoon…)",
    whoseConversation: "een gespreksnummer", whosePsid: "een Messenger-id", needle: "Waarde",
    find: "Zoeken", export: "Exporteren (JSON)", erase: "Wissen",
    found: (n) => n === 0 ? "Geen gesprek gevonden." : n === 1 ? "1 gesprek gevonden." : `${n} gesprekken gevonden.`,
    confirmErase: (n) => `${n} gesprek(ken) en alles wat eruit volgt definitief wissen? Klik nogmaals op « Wissen » om te bevestigen.`,
    erased: (n) => `${n} gesprek(ken) gewist.`,
    privacyFailed: "Dat is mislukt.",
  },
  en: {
    title: "Chat statistics", inbox: "Hand-overs", from: "From", to: "To", lang: "Language",
    channel: "Channel", all: "all", allChannels: "all", show: "Show", csv: "Download as CSV",
    updated: "Updated at", changed: "Figures updated.", failed: "The figures could not be read.",
    totals: "At a glance", conversations: "Conversations", messages: "Citizens' messages",
    topicsTotal: "Services asked for", completedTotal: "Services completed",
    abandonedTotal: "Services abandoned", handoffs: "Hand-overs to staff", unmatched: "Messages not understood",
    medianMessages: "Messages per conversation (median)", medianSeconds: "Length of a conversation (median)",
    day: "Day", hour: "Hour", flow: "Service", step: "Step", started: "Started",
    completed: "Completed", abandoned: "Abandoned", inProgress: "In progress", rate: "Rate",
    reached: "Reached", asked: "Questions asked", refused: "Answers refused", left: "Left here",
    how: "How", count: "Count", reason: "Reason", service: "Service", languageCol: "Language",
    channelCol: "Channel", chartNote: "The chart's numbers are in the table below.",
    abandonment: "Services abandoned, by how",
    charts: {
      per_day: "Conversations per day", per_hour: "Conversations per hour",
      topics: "Topics asked for", completion: "Services completed",
      funnel: "Where citizens give up", handoffs: "Hand-overs to staff",
      unmatched: "Messages not understood per day",
    },
    unmatchedTitle: "What the assistant did not understand", privacyTitle: "A citizen's data",
    unmatchedIntro: "Messages grouped when they read alike (personal data is masked). For those the assistant still does not understand: the trigger and the test to add.",
    noneUnmatched: "No message went not understood in this period.",
    times: "×", closest: "closest", score: "score", ambiguous: "two services matched alike",
    answeredBy: "now understood by", suggestion: "Add to the assistant", trigger: "Trigger, in the flow",
    test: "Conversation test", copy: "Copy", copied: "Copied.", nothingClose: "Close to no service.",
    howNames: { cancel: "cancelled", close: "conversation closed", handoff: "handed over",
      restart: "started over", attempts: "answers unreadable", idle: "the citizen stopped answering" },
    privacyIntro: "To answer a request for access or erasure (GDPR): find a citizen's conversations, export what is kept, or erase it. Erasure is final; the statistics keep their totals.",
    whose: "Find by", whoseValue: "a value they gave (e-mail, phone…)",
    whoseConversation: "a conversation number", whosePsid: "a Messenger id", needle: "Value",
    find: "Find", export: "Export (JSON)", erase: "Erase",
    found: (n) => n === 0 ? "No conversation found." : n === 1 ? "1 conversation found." : `${n} conversations found.`,
    confirmErase: (n) => `Erase ${n} conversation(s) and everything derived from them for good? Press "Erase" again to confirm.`,
    erased: (n) => `${n} conversation(s) erased.`,
    privacyFailed: "That failed.",
  },
};

let T = TEXTS.fr;
let me = null;
let lastReport = "";
let eraseArmed = null;

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

async function api(path, options = {}) {
  const init = { credentials: "same-origin", ...options };
  if (init.method === "POST") {
    init.headers = { "Content-Type": "application/json", "X-CSRF-Token": me.csrf };
  }
  const r = await fetch(path, init);
  if (r.status === 401) {
    window.location.assign("/staff/login");
    throw new Error("signed out");
  }
  if (!r.ok) {
    const body = await r.json().catch(() => ({}));
    throw new Error((body.error && body.error.code) || String(r.status));
  }
  return r;
}

function filters() {
  const p = new URLSearchParams();
  for (const id of ["from", "to", "lang", "channel"]) {
    const v = $(id).value;
    if (v) p.set(id, v);
  }
  return p;
}

function isoDay(d) {
  const z = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`;
}

function applyTexts() {
  document.documentElement.lang = me.lang;
  document.title = T.title;
  const set = (id, text) => { $(id).textContent = text; };
  set("title", T.title); set("to-inbox", T.inbox); set("from-label", T.from); set("to-label", T.to);
  set("lang-label", T.lang); set("channel-label", T.channel); set("show", T.show); set("csv", T.csv);
  set("totals-title", T.totals); set("unmatched-title", T.unmatchedTitle); set("privacy-title", T.privacyTitle);
  set("unmatched-intro", T.unmatchedIntro); set("privacy-intro", T.privacyIntro); set("whose-label", T.whose);
  set("whose-value", T.whoseValue); set("whose-conversation", T.whoseConversation); set("whose-psid", T.whosePsid);
  set("needle-label", T.needle); set("find", T.find); set("export", T.export); set("erase", T.erase);
}

function options(select, values, allText) {
  const current = select.value;
  select.replaceChildren();
  const all = el("option", null, allText);
  all.value = "";
  select.append(all);
  for (const v of values) {
    const o = el("option", null, v);
    o.value = v;
    select.append(o);
  }
  select.value = values.includes(current) ? current : "";
}

/** A table: a caption, headers, rows; numbers right-aligned. */
function table(caption, headers, rows) {
  const box = el("div", "table-box");
  const t = el("table");
  t.append(el("caption", null, caption));
  const head = el("tr");
  headers.forEach((h, i) => {
    const th = el("th", i > 0 && rows.length && typeof rows[0][i] === "number" ? "num" : null, h);
    th.scope = "col";
    head.append(th);
  });
  const thead = el("thead");
  thead.append(head);
  const body = el("tbody");
  for (const r of rows) {
    const tr = el("tr");
    r.forEach((c, i) => {
      const cell = i === 0 ? el("th", null, String(c)) : el("td", typeof c === "number" ? "num" : null, String(c));
      if (i === 0) cell.scope = "row";
      tr.append(cell);
    });
    body.append(tr);
  }
  t.append(thead, body);
  box.append(t);
  return box;
}

const pct = (x) => `${(x * 100).toFixed(1)} %`;

function tablesFor(name, r, labels) {
  const flow = (f) => labels[f] || f;
  switch (name) {
    case "per_day":
      return [table(T.charts.per_day, [T.day, T.conversations, T.messages, T.handoffs, T.unmatched],
        r.per_day.map((d) => [d.day, d.conversations, d.messages, d.handoffs, d.unmatched]))];
    case "per_hour":
      return [table(T.charts.per_hour, [T.hour, T.conversations],
        r.per_hour.filter((h) => h.conversations > 0).map((h) => [`${String(h.hour).padStart(2, "0")} h`, h.conversations]))];
    case "topics":
      return [table(T.charts.topics, [T.flow, T.languageCol, T.channelCol, T.started],
        r.topics.map((t) => [flow(t.flow), t.lang, t.channel, t.started]))];
    case "completion":
      return [
        table(T.charts.completion, [T.flow, T.started, T.completed, T.abandoned, T.inProgress, T.rate],
          r.flows.filter((f) => f.form).map((f) => [flow(f.flow), f.started, f.completed, f.abandoned, f.in_progress, pct(f.completion_rate)])),
        table(T.abandonment, [T.flow, T.how, T.count],
          r.abandonment.map((a) => [flow(a.flow), T.howNames[a.how] || a.how, a.count])),
      ];
    case "funnel":
      return [table(T.charts.funnel, [T.flow, T.step, T.reached, T.asked, T.refused, T.left],
        r.funnel.map((s) => [flow(s.flow), flow(`${s.flow}/${s.step}`), s.reached, s.asked, s.refused, s.abandoned]))];
    case "handoffs":
      return [table(T.charts.handoffs, [T.reason, T.service, T.count],
        r.handoffs.map((h) => [h.reason, h.service, h.count]))];
    case "unmatched":
      return [table(T.charts.unmatched, [T.day, T.unmatched],
        r.per_day.map((d) => [d.day, d.unmatched]))];
    default:
      return [];
  }
}

function drawCharts(data, stamp) {
  const box = $("charts");
  box.replaceChildren();
  const q = filters();
  q.set("ui", me.lang);
  q.set("v", String(stamp));
  for (const name of data.charts) {
    const section = el("section", "chart");
    section.id = `chart-${name}`;
    const h = el("h2", null, T.charts[name] || name);
    h.id = `chart-${name}-title`;
    section.setAttribute("aria-labelledby", h.id);
    const figure = el("figure");
    const img = el("img");
    img.src = `/staff/api/stats/charts/${name}.svg?${q}`;
    img.alt = T.charts[name] || name;
    img.loading = "lazy";
    const caption = el("figcaption", null, T.chartNote);
    figure.append(img, caption);
    section.append(h, figure, ...tablesFor(name, data.report, data.labels));
    box.append(section);
  }
}

function drawTotals(r) {
  const t = r.totals;
  const dl = $("totals");
  dl.replaceChildren();
  const minutes = (s) => (s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`);
  for (const [label, value, id] of [
    [T.conversations, t.conversations, "conversations"],
    [T.messages, t.messages, "messages"],
    [T.topicsTotal, t.topics, "topics"],
    [T.completedTotal, t.flows_completed, "completed"],
    [T.abandonedTotal, t.flows_abandoned, "abandoned"],
    [T.handoffs, t.handoffs, "handoffs"],
    [T.unmatched, t.unmatched, "unmatched"],
    [T.medianMessages, t.median_messages, "median-messages"],
    [T.medianSeconds, minutes(t.median_seconds), "median-seconds"],
  ]) {
    const dt = el("dt", null, label);
    const dd = el("dd", null, String(value));
    dd.dataset.total = id;
    dl.append(dt, dd);
  }
}

async function copy(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = T.copied;
  } catch {
    status.textContent = "";
  }
}

function drawGroups(groups, labels) {
  const flow = (f) => labels[f] || f;
  const list = $("groups");
  list.replaceChildren();
  if (!groups.length) {
    list.append(el("li", null, T.noneUnmatched));
    return;
  }
  for (const g of groups) {
    const li = el("li");
    li.append(el("strong", null, `${g.count} ${T.times} `), el("span", "text", `« ${g.text} »`));
    const meta = el("span", "meta");
    const closest = g.closest ? `${T.closest} : ${flow(g.closest)} (${T.score} ${g.score.toFixed(2)})` : T.nothingClose;
    meta.textContent = `${g.lang} · ${closest}${g.ambiguous ? " · " + T.ambiguous : ""}`;
    li.append(meta);
    if (g.answered_by) {
      li.append(el("span", "answered", `✓ ${T.answeredBy} ${flow(g.answered_by)}`));
    } else if (g.suggestion) {
      const d = el("details");
      d.append(el("summary", null, T.suggestion));
      const status = el("span", "meta");
      status.setAttribute("role", "status");
      for (const [label, text] of [
        [`${T.trigger} ${g.suggestion.flow}`, g.suggestion.trigger],
        [T.test, g.suggestion.test],
      ]) {
        d.append(el("p", null, label), el("pre", null, text));
        const b = el("button", "secondary", T.copy);
        b.type = "button";
        b.setAttribute("aria-label", `${T.copy} : ${label}`);
        b.addEventListener("click", () => copy(text, status));
        d.append(b);
      }
      d.append(status);
      li.append(d);
    }
    list.append(li);
  }
}

async function refresh(announce) {
  const q = filters();
  $("csv").href = `/staff/api/stats.csv?${q}`;
  try {
    const r = await api(`/staff/api/stats?${q}`);
    const data = await r.json();
    $("error").textContent = "";
    options($("lang"), data.languages, T.all);
    options($("channel"), data.channels, T.allChannels);
    const key = JSON.stringify([data.report, data.unmatched]);
    if (key !== lastReport) {
      lastReport = key;
      drawTotals(data.report);
      drawCharts(data, data.updated_ms);
      drawGroups(data.unmatched, data.labels);
      if (announce) $("announce").textContent = T.changed;
    }
    $("updated").textContent = `${T.updated} ${new Date().toLocaleTimeString(me.lang)}`;
    $("privacy-section").hidden = !data.privacy;
  } catch (e) {
    if (e.message !== "signed out") $("error").textContent = T.failed;
  }
}

function whose() {
  return { [$("whose").value]: $("needle").value };
}

async function privacy(action) {
  const result = $("privacy-result");
  try {
    if (action === "export") {
      const r = await api("/staff/api/privacy/export", { method: "POST", body: JSON.stringify(whose()) });
      const blob = await r.blob();
      const a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = "guichet-export.json";
      document.body.append(a);
      a.click();
      a.remove();
      return;
    }
    const found = await (await api("/staff/api/privacy/find", { method: "POST", body: JSON.stringify(whose()) })).json();
    const n = found.conversations.length;
    if (action === "find" || n === 0) {
      result.textContent = T.found(n);
      eraseArmed = null;
      return;
    }
    const key = JSON.stringify(whose());
    if (eraseArmed !== key) {
      eraseArmed = key;
      result.textContent = T.confirmErase(n);
      return;
    }
    eraseArmed = null;
    const done = await (await api("/staff/api/privacy/erase", { method: "POST", body: key })).json();
    result.textContent = T.erased(done.conversations);
    lastReport = "";
    refresh(false);
  } catch (e) {
    if (e.message !== "signed out") result.textContent = T.privacyFailed;
  }
}

async function start() {
  me = await (await api("/staff/api/me")).json();
  T = TEXTS[me.lang] || TEXTS.fr;
  applyTexts();
  $("who").textContent = me.name;
  const today = new Date();
  const month = new Date(today.getTime() - 29 * 86_400_000);
  $("to").value = isoDay(today);
  $("from").value = isoDay(month);
  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    lastReport = "";
    refresh(false);
  });
  $("privacy").addEventListener("submit", (e) => {
    e.preventDefault();
    privacy("find");
  });
  $("export").addEventListener("click", () => privacy("export"));
  $("erase").addEventListener("click", () => privacy("erase"));
  $("needle").addEventListener("input", () => { eraseArmed = null; });
  await refresh(false);
  setInterval(() => refresh(true), REFRESH_MS);
}

start();
