// The statistics dashboard in a real browser: conversations scripted
// through the chat API give known figures, which a member of staff reads
// at /staff/stats (the totals, the tables under the charts, the charts
// drawn, the messages not understood grouped); a new conversation shows
// without a reload; the page passes axe-core; a screenshot is saved.
// Run by run.mjs (GUICHET_BROWSER_SPECS=stats.spec.mjs) against
// `guichet serve flows --demo` with the staff accounts of tests/browser.rs.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

export const tests = [];
function test(name, run) {
  tests.push({ name, run });
}

const PASSWORD = "correct horse battery";

/** A conversation through the chat API, as a widget would hold it. */
async function conversation(url, lang, messages) {
  const created = await (
    await fetch(url + "/api/conversations", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ lang }),
    })
  ).json();
  let n = 0;
  const send = async (input) => {
    n++;
    const r = await fetch(`${url}/api/conversations/${created.id}/inputs`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${created.token}` },
      body: JSON.stringify({ client_id: `s-${n}`, ...input }),
    });
    const text = await r.text();
    assert.equal(r.status, 200, `${JSON.stringify(input)}: ${text}`);
    return JSON.parse(text);
  };
  await send({ event: "start" });
  for (const m of messages) await send(typeof m === "string" ? { text: m } : m);
  return created.id;
}

/** The scripted day: 4 conversations, the crèche started twice and left
 *  once (cancelled at the last name), a person asked for, two messages
 *  not understood that read alike. */
async function script(url) {
  await conversation(url, "fr", [
    "je voudrais inscrire mon fils à la crèche",
    "Tom",
    "Dubois",
    "3 mai 2025",
  ]);
  await conversation(url, "fr", ["je voudrais inscrire ma fille à la crèche", "Léa", "laissez tomber"]);
  await conversation(url, "en", ["I want to talk to a person"]);
  await conversation(url, "nl", [
    "waar kan ik mijn hond uitlaten zonder leiband",
    "mijn e-mail is jan.claes@voorbeeld.be, waar kan ik mijn hond uitlaten",
  ]);
}

async function signIn(h, login, options = {}) {
  const page = await h.newPage(options);
  await page.goto(h.url + "/staff/stats");
  // No session: the sign-in page.
  await page.waitForURL(/\/staff\/login$/);
  await page.getByLabel("Identifiant").fill(login);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(/\/staff\/$/);
  await page.goto(h.url + "/staff/stats");
  await page.getByRole("heading", { level: 1, name: "Statistiques du chat" }).waitFor();
  return page;
}

const total = (page, id) => page.locator(`dd[data-total="${id}"]`);

/** The cells of a table's row, found by its caption and first cell. */
async function row(page, caption, first) {
  const table = page.locator("table").filter({ has: page.locator("caption", { hasText: caption }) });
  const tr = table.locator("tbody tr").filter({ has: page.getByRole("rowheader", { name: first, exact: true }) });
  await tr.first().waitFor();
  return (await tr.first().locator("th, td").allInnerTexts()).map((s) => s.trim());
}

let scripted = false;

test("the dashboard shows the scripted figures, updates live and is saved as a screenshot", async (h) => {
  if (!scripted) {
    await script(h.url);
    scripted = true;
  }
  const page = await signIn(h, "luc");
  await total(page, "conversations").filter({ hasText: /^4$/ }).waitFor();
  assert.equal(await total(page, "handoffs").innerText(), "1");
  assert.equal(await total(page, "unmatched").innerText(), "2");
  assert.equal(await total(page, "topics").innerText(), "4", "two crèches, a person, a cancel");
  // Completion per flow, as a table under its chart.
  assert.deepEqual(await row(page, "Démarches menées à bien", "Inscription en crèche"), [
    "Inscription en crèche", "2", "0", "1", "1", "0.0 %",
  ]);
  // Where citizens give up: one at the last name.
  const steps = page.locator("table").filter({ has: page.locator("caption", { hasText: "Où les citoyens abandonnent" }) });
  const lastName = steps.locator("tbody tr").filter({ has: page.getByRole("cell", { name: "nom", exact: true }) });
  assert.deepEqual((await lastName.locator("th, td").allInnerTexts()).map((s) => s.trim()), [
    "Inscription en crèche", "nom", "2", "2", "0", "1",
  ]);
  assert.deepEqual(await row(page, "Transferts à un agent", "asked_for_agent"), ["asked_for_agent", "general", "1"]);
  // Every chart is drawn, and described.
  const charts = page.locator(".chart img");
  assert.equal(await charts.count(), 7);
  for (const img of await charts.all()) {
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction((i) => i.complete && i.naturalWidth > 0, await img.elementHandle());
    assert.ok((await img.getAttribute("alt")).length > 5);
  }
  // The messages not understood: one group of two, the address masked.
  const group = page.locator("#groups li").first();
  assert.match(await group.innerText(), /^2 ×/);
  assert.match(await group.innerText(), /\[email\]/);
  assert.doesNotMatch(await page.locator("main").innerText(), /jan\.claes/);
  // The CSV export carries the period.
  assert.match(await page.getByRole("link", { name: "Télécharger en CSV" }).getAttribute("href"), /stats\.csv\?from=/);

  // A new conversation shows without a reload, and is announced.
  await conversation(h.url, "fr", ["je veux parler à quelqu'un"]);
  await total(page, "conversations").filter({ hasText: /^5$/ }).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.getElementById("announce").textContent === "Chiffres mis à jour.");
  assert.equal(await total(page, "handoffs").innerText(), "2");

  // The screenshot: the top of the dashboard, the totals and the first charts.
  await page.setViewportSize({ width: 1280, height: 1600 });
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const img of await charts.all()) {
    await page.waitForFunction((i) => i.complete && i.naturalWidth > 0, await img.elementHandle());
  }
  await page.evaluate(() => document.fonts.ready);
  const file = path.join(h.shots, "stats-dashboard.png");
  await page.screenshot({ path: file, fullPage: false });
  assert.ok(fs.statSync(file).size > 20_000);
  if (process.env.GUICHET_UPDATE_SCREENSHOT === "1") {
    fs.mkdirSync(path.join(h.repo, "docs", "img"), { recursive: true });
    fs.copyFileSync(file, path.join(h.repo, "docs", "img", "stats-dashboard.png"));
  }
});

test("a member of staff who sees some services reads the figures but cannot erase", async (h) => {
  if (!scripted) {
    await script(h.url);
    scripted = true;
  }
  h.allowHttpError(/\/staff\/api\/privacy\/find$/);
  const page = await signIn(h, "marie");
  await total(page, "conversations").waitFor();
  assert.equal(await page.locator("#privacy-section").isHidden(), true);
  const answer = await page.evaluate(async () => {
    const r = await fetch("/staff/api/privacy/find", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ value: "Dubois" }),
    });
    return r.status;
  });
  assert.equal(answer, 403, "no CSRF token, no permission");
});

test("accessibility rules (axe-core) on the dashboard", async (h) => {
  if (!scripted) {
    await script(h.url);
    scripted = true;
  }
  const require = createRequire(import.meta.url);
  const source = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  // axe-core sets inline styles while it measures: this page does without the CSP.
  const page = await signIn(h, "luc", { bypassCSP: true });
  await total(page, "conversations").waitFor();
  await page.locator("#groups details summary").first().click();
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`);
  });
  assert.deepEqual(violations, []);
});
