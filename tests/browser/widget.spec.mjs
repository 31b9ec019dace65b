// The web widget on the demo commune's page, as citizens use it: with the
// mouse, the keyboard, after a reload, through a network drop, on a phone.
// Run by run.mjs against `guichet serve flows --demo`.

import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";

export const tests = [];
function test(name, run) {
  tests.push({ name, run });
}

const LAUNCHER = "Ouvrir le chat de la commune";
const INPUT = "Votre message";

/** The widget's parts, found the way a person (or a screen reader) finds them. */
function widget(page) {
  const log = page.getByRole("log");
  return {
    log,
    launcher: (name = LAUNCHER) => page.getByRole("button", { name, exact: true }),
    dialog: (name = "Commune de Bruyères") => page.getByRole("dialog", { name }),
    input: (name = INPUT) => page.getByRole("textbox", { name, exact: true }),
    /** Bot messages containing `text` (a string or a RegExp). */
    bot: (text) => log.locator(".msg.bot").filter({ hasText: text }),
    /** The citizen's messages containing `text`. */
    you: (text) => log.locator(".msg.you").filter({ hasText: text }),
    reply: (name) => log.getByRole("button", { name, exact: true }),
    async say(text, name = INPUT) {
      const input = page.getByRole("textbox", { name, exact: true });
      await input.fill(text);
      await input.press("Enter");
    },
    /** Waits for the last bot message containing `text`. */
    async waitBot(text) {
      const m = log.locator(".msg.bot").filter({ hasText: text }).last();
      await m.waitFor();
      return m;
    },
  };
}

/** The element that has the focus, looking inside shadow roots. */
async function focused(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    if (!a) return null;
    return {
      tag: a.tagName.toLowerCase(),
      cls: String(a.className || ""),
      label: a.getAttribute("aria-label"),
      text: (a.textContent || "").trim(),
      disabled: !!a.disabled,
    };
  });
}

/** The widget's saved conversation (id and token) in this page's storage. */
async function saved(page, url) {
  const raw = await page.evaluate((key) => localStorage.getItem(key), "guichet-widget:" + new URL(url).origin);
  assert.ok(raw, "the conversation is kept in localStorage");
  return JSON.parse(raw);
}

/** The conversation's log on the server. */
async function serverEvents(url, conv) {
  const r = await fetch(`${url}/api/conversations/${conv.id}/events`, {
    headers: { Authorization: `Bearer ${conv.token}` },
  });
  assert.equal(r.status, 200);
  return (await r.json()).events;
}

function iso(d) {
  return d.toISOString().slice(0, 10);
}

function addDays(days) {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}

/** Opens the widget on the demo page and waits for the greeting. */
async function openOnDemoPage(h, page, pathname = "/") {
  await page.goto(h.url + pathname);
  const w = widget(page);
  await w.launcher().click();
  await w.waitBot("Bonjour et bienvenue");
  return w;
}

// ---------------------------------------------------------------------------

test("crèche enrolment by typing and buttons, with a reload in the middle of the form", async (h) => {
  const page = await h.newPage();
  const w = await openOnDemoPage(h, page);
  await w.reply("Inscription en crèche").click();
  await w.waitBot("prénom de l'enfant");
  await w.say("Léa");
  await w.waitBot("nom de famille");
  await w.say("Dubois");
  await w.waitBot("date de naissance");
  const birth = addDays(-120);
  await w.say(`${birth.getUTCDate()}/${birth.getUTCMonth() + 1}/${birth.getUTCFullYear()}`);
  await w.waitBot("À partir de quand");

  // Mid-form, the citizen reloads the page.
  await page.reload();
  await w.dialog().waitFor();
  await w.waitBot("À partir de quand");
  assert.equal(await w.you("Léa").count(), 1, "the history is shown once");
  assert.equal(await w.bot("nom de famille").count(), 1);
  assert.equal(await w.log.getAttribute("aria-live"), "polite");
  // The bot asks for a date: the native date picker is offered beside the text.
  const start = addDays(150);
  await page.getByLabel("Ou choisissez une date").fill(iso(start));
  await page.getByRole("button", { name: "Envoyer la date" }).click();
  await w.waitBot("adresse e-mail");
  await w.you(iso(start)).waitFor();
  await w.say("lea.dubois@exemple.be");
  await w.waitBot("numéro de téléphone");
  await w.say("0470 12 34 56");
  const recap = await w.waitBot("Voici votre demande");
  assert.match(await recap.innerText(), /enfant : Léa Dubois/);
  await w.reply("Oui, envoyer").click();
  const done = await w.waitBot(/référence CR-\d{4}-\d{4}/);
  const reference = (await done.innerText()).match(/CR-\d{4}-\d{4}/)[0];

  // The request is registered in the back office.
  const r = await fetch(`${h.url}/demo/api/requests`);
  const { requests } = await r.json();
  const found = requests.find((q) => q.reference === reference);
  assert.ok(found, `${reference} is in the back office`);
  assert.equal(found.kind, "creche_enrolment");
  // Answered buttons are disabled.
  assert.equal(await w.reply("Oui, envoyer").isDisabled(), true);
});

test("parking card renewal paid on the payment page; the confirmation arrives by SSE", async (h) => {
  const page = await h.newPage();
  const w = await openOnDemoPage(h, page);
  await w.reply("Carte de riverain").click();
  await w.waitBot("plaque d'immatriculation");
  await w.say("1-ABC-234");
  await w.waitBot("code postal");
  await w.say("1170");
  await w.reply("Premier véhicule").click();
  const recap = await w.waitBot("Je récapitule");
  // A bot text's newlines are line breaks (CSS), not <br> strings.
  assert.match(await recap.innerText(), /récapitule :\n- plaque : 1-ABC-234\n/);
  const recapText = recap.locator("p.text");
  assert.equal(await recapText.evaluate((e) => getComputedStyle(e).whiteSpace), "pre-line");
  assert.equal(await recapText.locator("br").count(), 0);
  await w.reply("Oui, payer").click();

  const link = w.log.getByRole("link", { name: "Payer 15,00 €" });
  await link.waitFor();
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
  assert.match(await link.getAttribute("href"), /^http:\/\/127\.0\.0\.1:\d+\/demo\/pay\//);
  // The EPC QR code, an image with a text alternative, loaded under the page's CSP.
  const qr = w.log.getByRole("img", { name: /Code QR pour virer 15,00 €/ });
  await qr.waitFor();
  await page.waitForFunction(
    (img) => img.complete && img.naturalWidth > 0,
    await qr.elementHandle()
  );

  const [payPage] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
  // The citizen closes the chat while paying.
  await page.getByRole("button", { name: "Fermer le chat" }).click();
  await payPage.waitForLoadState();
  await payPage.getByRole("heading", { name: "Paiement" }).waitFor();
  await payPage.getByText("15,00 €").waitFor();
  await payPage.getByRole("button", { name: "Payer", exact: true }).click();
  await payPage.getByText("Paiement reçu").waitFor();

  // The closed widget says that a message came; opened, it shows what the
  // payment's callback caused.
  await w.launcher(LAUNCHER + " (nouveau message)").click();
  const confirmation = await w.waitBot(/référence RC-\d{4}-\d{4}/);
  assert.match(await confirmation.innerText(), /paiement de 15,00 € est reçu/);
});

test("keyboard only: launcher, typing, a quick reply, Escape; roles and names", async (h) => {
  const page = await h.newPage();
  await page.goto(h.url + "/");
  const w = widget(page);
  // Tab through the commune's page to the launcher.
  let onLauncher = false;
  for (let i = 0; i < 40 && !onLauncher; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    onLauncher = !!f && f.cls.includes("launcher") && f.label === LAUNCHER;
  }
  assert.ok(onLauncher, "Tab reaches the launcher");
  // A visible focus outline.
  const outline = await w.launcher().evaluate((b) => {
    const st = getComputedStyle(b);
    return { style: st.outlineStyle, width: parseFloat(st.outlineWidth) };
  });
  assert.equal(outline.style, "solid");
  assert.ok(outline.width >= 2, `outline ${outline.width}px`);
  assert.equal(await w.launcher().getAttribute("aria-expanded"), "false");
  await page.keyboard.press("Enter");

  const dialog = w.dialog();
  await dialog.waitFor();
  assert.equal((await focused(page)).tag, "textarea", "the text box has the focus when the chat opens");
  await w.waitBot("Bonjour et bienvenue");
  // Roles and accessible names.
  await dialog.getByRole("heading", { name: "Commune de Bruyères" }).waitFor();
  await dialog.getByRole("button", { name: "Fermer le chat" }).waitFor();
  await dialog.getByRole("group", { name: "Langue" }).getByRole("button", { name: /^FR/ }).waitFor();
  assert.equal(await dialog.getByRole("button", { name: /^FR/ }).getAttribute("aria-pressed"), "true");
  await w.log.getByRole("group", { name: "Réponses proposées" }).first().waitFor();
  await dialog.getByRole("button", { name: "Envoyer", exact: true }).waitFor();
  assert.equal(await w.log.getAttribute("aria-live"), "polite");
  await page.getByRole("log", { name: "Conversation" }).waitFor();
  // Bot and citizen messages are told apart for screen readers.
  assert.match(await w.bot("Bonjour et bienvenue").innerText(), /^Commune :/);

  // While the bot answers, a typing indicator says so, once.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/api/conversations/*/inputs", async (route) => {
    await held;
    await route.continue();
  });
  await page.keyboard.type("aide");
  await page.keyboard.press("Enter");
  const typing = page.getByRole("status").filter({ hasText: "La commune écrit…" });
  await typing.waitFor();
  await w.you("aide").waitFor();
  release();
  const help = await w.waitBot("Je peux vous aider");
  await typing.waitFor({ state: "detached" });
  await page.unroute("**/api/conversations/*/inputs");
  assert.match(await w.you("aide").innerText(), /^Vous :/);
  let f = await focused(page);
  assert.equal(f.tag, "textarea", "the focus stays in the text box after sending");
  assert.equal(await w.input().inputValue(), "");

  // Back from the text box to the latest quick replies.
  await page.keyboard.press("Shift+Tab");
  assert.equal((await focused(page)).text, "Parler à quelqu'un");
  await page.keyboard.press("Shift+Tab");
  f = await focused(page);
  assert.equal(f.text, "Suivi d'une demande");
  await page.keyboard.press("Space");
  await w.waitBot("Quelle est la référence");
  assert.equal(await help.getByRole("button", { name: "Suivi d'une demande" }).isDisabled(), true);
  assert.equal((await focused(page)).tag, "textarea");
  await page.keyboard.type("CR-2020-9999");
  await page.keyboard.press("Enter");
  await w.waitBot("Je ne trouve pas de demande avec la référence CR-2020-9999");

  // Shift+Enter is a new line; Enter sends both lines.
  const botsBefore = await w.log.locator(".msg.bot").count();
  await page.keyboard.type("ligne 1");
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type("ligne 2");
  assert.equal(await w.input().inputValue(), "ligne 1\nligne 2");
  assert.equal(await w.you("ligne 1").count(), 0);
  await page.keyboard.press("Enter");
  const multi = w.you("ligne 1");
  await multi.waitFor();
  assert.match(await multi.innerText(), /ligne 1\nligne 2/);
  // The bot answers before the panel is closed: an answer that arrives
  // after it would (rightly) rename the launcher "… (nouveau message)".
  await w.log.locator(".msg.bot").nth(botsBefore).waitFor();
  await page.getByRole("status").filter({ hasText: "La commune écrit…" }).waitFor({ state: "detached" });

  // Escape closes, and the focus returns to the launcher.
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  f = await focused(page);
  assert.ok(f.cls.includes("launcher"), `the focus is back on the launcher (it is on ${JSON.stringify(f)})`);
  assert.equal(f.label, LAUNCHER, "the launcher announces no unread message");
  assert.equal(await w.launcher().getAttribute("aria-expanded"), "false");
  await page.keyboard.press("Enter");
  await dialog.waitFor();
  assert.equal(await w.you("CR-2020-9999").count(), 1, "the conversation is still there");
});

test("markup typed by the citizen is shown as text, and the bot answers with the reference found inside it", async (h) => {
  const page = await h.newPage();
  const w = await openOnDemoPage(h, page);
  const evil = "<script>alert(1)</script> CR-2020-9999 <img src=x onerror=alert(2)>";
  await w.reply("Suivi d'une demande").click();
  await w.waitBot("Quelle est la référence");
  await w.say(evil);
  // The reference has a declared shape: the bot reads it inside the markup
  // and puts it, and only it, into its answer.
  const echoed = await w.waitBot("Je ne trouve pas de demande avec la référence");

  const check = async () => {
    assert.equal(await w.you("<script>").locator("p.text").textContent(), evil);
    assert.match(await echoed.locator("p.text").textContent(), /la référence CR-2020-9999\./);
    const created = await page.evaluate(() => {
      const root = document.querySelector("guichet-widget").shadowRoot;
      return root.querySelectorAll(".log script, .log img, .log b, .log [onerror]").length + document.querySelectorAll("img[src='x']").length;
    });
    assert.equal(created, 0, "no element was made from the text");
  };
  await check();
  // And again when the history is read back after a reload.
  await page.reload();
  await w.waitBot("Je ne trouve pas de demande avec la référence");
  await check();
  // run.mjs fails the test on any dialog (alert) that opened.
});

test("a network drop: the message waits, is sent once when the network is back, and is answered", async (h) => {
  const page = await h.newPage();
  h.allowConsoleError(/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET|ERR_FAILED|Failed to load resource|net::/);
  const w = await openOnDemoPage(h, page);
  const context = page.context();
  const status = page.getByRole("status").filter({ hasText: /Connexion perdue|Pas encore envoyé/ });

  // Offline: the stream drops, the message cannot leave.
  await context.setOffline(true);
  await page.getByRole("status").filter({ hasText: "Connexion perdue" }).waitFor();
  await w.say("quels sont les horaires de la commune ?");
  await page.getByRole("status").filter({ hasText: "Pas encore envoyé" }).waitFor();
  await w.log.locator(".msg.you.failed").filter({ hasText: "horaires de la commune" }).waitFor();

  // Online again: it is sent, answered, and the status goes away.
  await context.setOffline(false);
  await w.waitBot("8h30 à 12h30");
  await status.waitFor({ state: "hidden" });
  assert.equal(await w.you("horaires de la commune").count(), 1);
  await w.log.locator(".msg.you.failed, .msg.you.pending").waitFor({ state: "detached" });

  // The answer is lost on the way back (the server applied the input): the
  // widget sends it again with the same client id, and the server applies it once.
  const posts = [];
  let first = true;
  await page.route("**/api/conversations/*/inputs", async (route) => {
    posts.push(JSON.parse(route.request().postData()));
    if (first) {
      first = false;
      await route.fetch(); // reaches the server...
      await route.abort("connectionreset"); // ...but the answer never comes back
    } else {
      await route.continue();
    }
  });
  const replayed = page.waitForResponse(
    (r) => r.url().endsWith("/inputs") && r.headers()["idempotent-replayed"] === "true"
  );
  await w.say("où se trouve la maison communale ?");
  await replayed;
  await w.waitBot("place des Bruyères 1");
  assert.equal(posts.length, 2);
  assert.equal(posts[0].client_id, posts[1].client_id, "the retry carries the same client id");
  assert.equal(await w.you("maison communale").count(), 1);
  assert.equal(await w.bot("place des Bruyères 1").count(), 1);

  const events = await serverEvents(h.url, await saved(page, h.url));
  const users = (text) => events.filter((e) => e.type === "user" && e.text === text).length;
  assert.equal(users("quels sont les horaires de la commune ?"), 1);
  assert.equal(users("où se trouve la maison communale ?"), 1);
});

test("a conversation the server no longer knows starts a new one cleanly", async (h) => {
  h.allowHttpError(/\/api\/conversations\//);
  const page = await h.newPage();
  const key = "guichet-widget:" + new URL(h.url).origin;
  await page.goto(h.url + "/");
  // An earlier visit left a conversation the server has forgotten.
  await page.evaluate((key) => localStorage.setItem(key, JSON.stringify({ id: "c_forgotten", token: "x".repeat(32) })), key);
  const gone = page.waitForResponse((r) => r.url().includes("/c_forgotten/") && r.status() === 404);
  await page.reload();
  await gone;
  const w = widget(page);
  await w.launcher().click();
  await w.waitBot("Bonjour et bienvenue");
  const first = await saved(page, h.url);
  assert.notEqual(first.id, "c_forgotten");

  // The server forgets it in the middle (here: it no longer knows its token).
  await page.route("**/api/conversations/*/inputs", (route) =>
    route.continue({ headers: { ...route.request().headers(), authorization: "Bearer forgotten-token-0000000000000" } })
  );
  await w.say("quels sont les horaires de la commune ?");
  await w.log.getByText("La conversation précédente a expiré").waitFor();
  await page.unroute("**/api/conversations/*/inputs");
  await w.waitBot("Bonjour et bienvenue");
  // What the citizen typed is back in the text box, to send again.
  assert.equal(await w.input().inputValue(), "quels sont les horaires de la commune ?");
  await w.input().press("Enter");
  await w.waitBot("8h30 à 12h30");
  const second = await saved(page, h.url);
  assert.notEqual(second.id, first.id);
  const events = await serverEvents(h.url, second);
  assert.ok(events.some((e) => e.type === "user" && e.text === "quels sont les horaires de la commune ?"));
});

test("screenshots at desktop and phone sizes", async (h) => {
  const shots = {};
  for (const [name, viewport, extra] of [
    ["desktop", { width: 1280, height: 800 }, {}],
    ["phone", { width: 390, height: 844 }, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
    // A small phone, whose owner asked for less motion.
    ["small-phone", { width: 360, height: 640 }, { isMobile: true, hasTouch: true, reducedMotion: "reduce" }],
  ]) {
    const page = await h.newPage({ viewport, ...extra });
    const w = await openOnDemoPage(h, page);
    await w.reply("Carte de riverain").click();
    await w.waitBot("plaque d'immatriculation");
    await w.say("1-ABC-234");
    await w.waitBot("code postal");
    await w.say("1170");
    await w.reply("Premier véhicule").click();
    await w.reply("Oui, payer").click();
    const qr = w.log.getByRole("img", { name: /Code QR/ });
    await qr.waitFor();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await qr.elementHandle());
    await page.evaluate(() => document.fonts.ready);
    const panel = await w.dialog().boundingBox();
    if (name !== "desktop") {
      // Full screen on a phone.
      assert.deepEqual(
        [panel.x, panel.y, panel.width, panel.height].map(Math.round),
        [0, 0, viewport.width, viewport.height]
      );
    } else {
      assert.ok(panel.width <= 400 && panel.x + panel.width <= viewport.width - 10, "a panel at the right");
      assert.ok(panel.y >= 0 && panel.y + panel.height <= viewport.height);
    }
    // Covering the page on a phone, the panel is a modal dialog whose focus stays inside.
    assert.equal(await w.dialog().getAttribute("aria-modal"), name === "desktop" ? "false" : "true");
    if (name !== "desktop") {
      for (let i = 0; i < 40; i++) await page.keyboard.press("Tab");
      const inside = await page.evaluate(() => {
        const root = document.querySelector("guichet-widget").shadowRoot;
        const at = root.activeElement;
        return at !== null && root.getElementById("guichet-panel").contains(at);
      });
      assert.ok(inside, "Tab keeps the focus inside the panel on a phone");
      for (let i = 0; i < 40; i++) await page.keyboard.press("Shift+Tab");
      const stillInside = await page.evaluate(() => {
        const root = document.querySelector("guichet-widget").shadowRoot;
        const at = root.activeElement;
        return at !== null && root.getElementById("guichet-panel").contains(at);
      });
      assert.ok(stillInside, "Shift+Tab keeps the focus inside the panel on a phone");
    }
    const animation = await w.dialog().evaluate((e) => getComputedStyle(e).animationName);
    assert.equal(animation, name === "small-phone" ? "none" : "rise", "the panel's animation");
    // Nothing sticks out sideways.
    const overflow = await w.log.evaluate((e) => e.scrollWidth - e.clientWidth);
    assert.ok(overflow <= 0, `the message list does not scroll sideways (${overflow} px)`);
    const file = path.join(h.shots, `widget-${name}.png`);
    await page.screenshot({ path: file });
    assert.ok(fs.statSync(file).size > 10_000);
    shots[name] = file;
  }
  if (process.env.GUICHET_UPDATE_SCREENSHOT === "1") {
    fs.mkdirSync(path.join(h.repo, "docs", "img"), { recursive: true });
    fs.copyFileSync(shots.desktop, path.join(h.repo, "docs", "img", "widget.png"));
  }
});

test("the language picker: the next bot message is in Dutch, and so is the widget", async (h) => {
  const page = await h.newPage();
  const w = await openOnDemoPage(h, page);
  await page.getByRole("group", { name: "Langue" }).getByRole("button", { name: /^NL/ }).click();
  await w.waitBot("Nederlands");
  await w.you("Nederlands").waitFor();
  // The widget's own words follow.
  await page.getByRole("textbox", { name: "Uw bericht", exact: true }).waitFor();
  const nl = page.getByRole("group", { name: "Taal" }).getByRole("button", { name: /^NL/ });
  assert.equal(await nl.getAttribute("aria-pressed"), "true");
  await w.say("wat zijn de openingsuren van het gemeentehuis?", "Uw bericht");
  const answer = await w.waitBot("Het gemeentehuis is open");
  assert.equal(await answer.getAttribute("lang"), "nl");
  assert.match(await answer.innerText(), /^Gemeente:/);
  await page.getByRole("button", { name: "Chat sluiten" }).click();
  await page.getByRole("button", { name: "Open de chat van de gemeente", exact: true }).waitFor();
});

test("accessibility rules (axe-core) on the demo page with the widget open", async (h) => {
  const require = createRequire(import.meta.url);
  const source = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  // axe-core sets inline styles while it measures: this page does without the CSP.
  const page = await h.newPage({ bypassCSP: true });
  const w = await openOnDemoPage(h, page);
  await w.reply("Inscription en crèche").click();
  await w.waitBot("prénom de l'enfant");
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`);
  });
  assert.deepEqual(violations, []);
});

test("on the commune's own site: another origin, a strict CSP, init() from the page's own script", async (h) => {
  // The commune's site: another origin, which the server allows
  // (--allowed-origins), served here by a small HTTP server of its own.
  const site = process.env.GUICHET_COMMUNE_SITE;
  if (!site) throw new Error("GUICHET_COMMUNE_SITE: the origin the server allows (tests/browser.rs sets it)");
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${h.url}`,
    `style-src 'self' ${h.url}`,
    `img-src 'self' ${h.url}`,
    `connect-src ${h.url}`,
    "object-src 'none'",
    "base-uri 'none'",
  ].join("; ");
  const files = {
    "/": [
      "text/html; charset=utf-8",
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bruyères</title>
<script src="${h.url}/widget.js" data-manual defer></script>
<script src="/start-chat.js" defer></script></head>
<body><main><h1>Commune of Bruyères</h1><p>Welcome.</p></main></body></html>`,
    ],
    "/start-chat.js": [
      "text/javascript; charset=utf-8",
      `GuichetWidget.init({ server: ${JSON.stringify(h.url)}, lang: "en", title: "Bruyères", position: "left" });`,
    ],
    "/favicon.ico": ["image/x-icon", ""],
  };
  const server = http.createServer((req, res) => {
    const f = files[new URL(req.url, site).pathname];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": f[0], "Content-Security-Policy": csp }).end(f[1]);
  });
  const { hostname, port } = new URL(site);
  await new Promise((resolve, reject) => server.once("error", reject).listen(Number(port), hostname, resolve));
  try {
    const page = await h.newPage();
    await page.goto(site + "/");
    const launcher = page.getByRole("button", { name: "Open the commune's chat", exact: true });
    await launcher.click();
    const w = widget(page);
    await page.getByRole("dialog", { name: "Bruyères" }).waitFor();
    await w.waitBot("Hello and welcome");
    await w.say("what are the town hall's opening hours?", "Your message");
    await w.waitBot("The town hall is open");
    // Placed at the left, as asked.
    const box = await page.getByRole("dialog").boundingBox();
    assert.ok(box.x < 40, `the panel is at the left (x = ${box.x})`);
    // The conversation is kept in the commune site's storage, under the server's origin.
    const conv = await saved(page, h.url);
    const events = await serverEvents(h.url, conv);
    assert.ok(events.some((e) => e.type === "user" && e.text === "what are the town hall's opening hours?"));
  } finally {
    server.close();
  }
});
