// The staff inbox in a real browser, beside the citizen's widget: a
// hand-over during a crèche enrolment answered by a member of staff in the
// same conversation, two members of staff claiming one case, the inbox
// without a session. Run by run.mjs (GUICHET_BROWSER_SPECS=staff.spec.mjs)
// against `guichet serve flows --demo` with the staff accounts of
// tests/browser.rs (password below).

import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";

export const tests = [];
function test(name, run) {
  tests.push({ name, run });
}

const PASSWORD = "correct horse battery";

/** The citizen's widget on the demo page, opened. */
async function citizen(h) {
  const page = await h.newPage();
  await page.goto(h.url + "/");
  await page.getByRole("button", { name: "Ouvrir le chat de la commune", exact: true }).click();
  const log = page.getByRole("log");
  const input = page.getByRole("textbox", { name: "Votre message", exact: true });
  const w = {
    page,
    log,
    async say(text) {
      await input.fill(text);
      await input.press("Enter");
    },
    async waitBot(text) {
      const m = log.locator(".msg.bot").filter({ hasText: text }).last();
      await m.waitFor();
      return m;
    },
  };
  await w.waitBot("Bonjour et bienvenue");
  return w;
}

/** A crèche enrolment begun, then a person asked for. */
async function handOver(w) {
  await w.log.getByRole("button", { name: "Inscription en crèche", exact: true }).click();
  await w.waitBot("prénom de l'enfant");
  await w.say("Léa");
  await w.waitBot("nom de famille");
  await w.say("Dubois");
  await w.waitBot("date de naissance");
  await w.say("je veux parler à quelqu'un");
  await w.waitBot("Votre demande est transmise");
}

/** A member of staff signed in on the inbox. */
async function staff(h, login) {
  const page = await h.newPage();
  await page.goto(h.url + "/staff/");
  // No session: the sign-in page.
  await page.waitForURL(/\/staff\/login$/);
  await page.getByLabel("Identifiant").fill(login);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(/\/staff\/$/);
  await page.getByRole("heading", { name: "File d'attente" }).waitFor();
  return page;
}

/** The queue's button of the newest waiting case of a service. */
function caseButton(page, service) {
  return page.locator("#cases").getByRole("button").filter({ hasText: service }).filter({ hasText: "en attente" }).last();
}

test("a hand-over during a crèche enrolment is answered by staff in the same conversation", async (h) => {
  const marie = await staff(h, "marie");
  const w = await citizen(h);
  await handOver(w);

  // The new case arrives without a reload, and is announced.
  const button = caseButton(marie, "Petite enfance");
  await button.waitFor();
  await marie.waitForFunction(() => document.getElementById("announce").textContent.includes("Nouveau transfert"));
  assert.match(await button.innerText(), /a demandé une personne/);
  assert.match(await button.innerText(), /FR · web · en attente/);
  // With the keyboard: the case opens, its summary and transcript show.
  await button.focus();
  await marie.keyboard.press("Enter");
  await marie.getByRole("heading", { level: 2, name: /Petite enfance/ }).waitFor();
  const summary = marie.locator("#summary-text");
  await summary.filter({ hasText: "Léa" }).waitFor();
  assert.match(await summary.innerText(), /Inscription en crèche/);
  assert.match(await summary.innerText(), /nom : Dubois/);
  const transcript = marie.getByRole("log", { name: "Conversation" });
  await transcript.getByText("Dubois", { exact: true }).waitFor();

  await marie.getByRole("button", { name: "Prendre la conversation" }).click();
  await w.waitBot("Marie a rejoint la conversation");
  const reply = marie.getByRole("textbox", { name: "Votre réponse" });
  await reply.waitFor();
  // Markup typed by staff is text for the citizen.
  await reply.fill("Bonjour, je m'occupe de votre inscription. <b>Léa</b> a-t-elle une date de naissance ?");
  await marie.getByRole("button", { name: "Envoyer" }).click();
  const answer = await w.waitBot("je m'occupe de votre inscription");
  assert.equal(await answer.locator(".who").innerText(), "Marie", "the staff member's name is shown");
  assert.match(await answer.innerText(), /<b>Léa<\/b>/);
  assert.equal(await w.page.locator(".msg b").count(), 0);

  // The citizen answers: staff read it live; the bot does not answer.
  await w.say("Oui, le 3 mars 2026");
  await transcript.getByText("Oui, le 3 mars 2026").waitFor();
  const bots = await w.log.locator(".msg.bot").count();

  await marie.getByRole("button", { name: "Rendre à l'assistant" }).click();
  await w.waitBot("vous a confié à nouveau à l'assistant virtuel");
  assert.equal(await w.log.locator(".msg.bot").count(), bots + 1, "only the notice came meanwhile");
  // The bot answers the next message.
  await w.say("bonjour");
  await w.waitBot(/Que puis-je faire pour vous|Comment puis-je vous aider/);
  await marie.locator("#closed").getByRole("button").filter({ hasText: "Petite enfance" }).first().waitFor();
});

test("two members of staff claim the same case: one wins, the other is told", async (h) => {
  const w = await citizen(h);
  await handOver(w);
  // The loser's claim is answered 409: expected here.
  h.allowHttpError(/\/claim$/);
  const [marie, luc] = await Promise.all([staff(h, "marie"), staff(h, "luc")]);
  for (const page of [marie, luc]) {
    await caseButton(page, "Petite enfance").click();
    await page.getByRole("button", { name: "Prendre la conversation" }).waitFor();
  }
  // Both claims at once. A click waits for the button to be still and
  // uncovered, and by then the other's claim may have reached this page and
  // hidden it: the click events are sent at once instead, so both claims
  // reach the server.
  await Promise.all([
    marie.getByRole("button", { name: "Prendre la conversation" }).dispatchEvent("click"),
    luc.getByRole("button", { name: "Prendre la conversation" }).dispatchEvent("click"),
  ]);
  const outcome = async (page) => {
    const won = page.getByRole("textbox", { name: "Votre réponse" });
    const lost = page.getByRole("alert").filter({ hasText: "Quelqu'un d'autre a pris cette conversation." });
    await Promise.race([won.waitFor(), lost.waitFor()]);
    return (await won.isVisible()) ? "won" : "lost";
  };
  const results = [await outcome(marie), await outcome(luc)].sort();
  assert.deepEqual(results, ["lost", "won"]);
  await w.waitBot(/(Marie|Luc) a rejoint la conversation/);
  assert.equal(await w.log.locator(".msg.bot").filter({ hasText: "a rejoint la conversation" }).count(), 1);
});

test("without a session the inbox shows nothing", async (h) => {
  const page = await h.newPage();
  const w = await citizen(h);
  await handOver(w);
  await page.goto(h.url + "/staff/");
  await page.waitForURL(/\/staff\/login$/);
  assert.equal(await page.locator("#cases").count(), 0, "no queue on the sign-in page");
  assert.equal(await page.getByText("Petite enfance").count(), 0);
  h.allowHttpError(/\/staff\/api\/|\/staff\/inbox\.js/);
  h.allowConsoleError(/401/);
  const statuses = await page.evaluate(async () => {
    const out = [];
    for (const p of ["/staff/api/queue", "/staff/api/me", "/staff/inbox.js"]) out.push((await fetch(p)).status);
    return out;
  });
  assert.deepEqual(statuses, [401, 401, 401]);
  // The citizen's own conversation token opens nothing either.
  const conv = JSON.parse(await w.page.evaluate((k) => localStorage.getItem(k), "guichet-widget:" + new URL(h.url).origin));
  const r = await fetch(h.url + "/staff/api/queue", { headers: { Authorization: `Bearer ${conv.token}` } });
  assert.equal(r.status, 401);
  // A wrong password: told so, still on the sign-in page.
  await page.getByLabel("Identifiant").fill("marie");
  await page.getByLabel("Mot de passe").fill("not the password");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("alert").filter({ hasText: "Identifiant ou mot de passe incorrect." }).waitFor();
  assert.match(page.url(), /\/staff\/login$/);
});

test("accessibility rules (axe-core) on the sign-in page and the inbox with a case open", async (h) => {
  const require = createRequire(import.meta.url);
  const source = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const w = await citizen(h);
  await handOver(w);
  const check = async (page) => {
    await page.evaluate(source);
    return page.evaluate(async () => {
      const r = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      });
      return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`);
    });
  };
  // axe-core sets inline styles while it measures: these pages do without the CSP.
  const login = await h.newPage({ bypassCSP: true });
  await login.goto(h.url + "/staff/login");
  assert.deepEqual(await check(login), []);
  const page = await h.newPage({ bypassCSP: true });
  await page.goto(h.url + "/staff/login");
  await page.getByLabel("Identifiant").fill("luc");
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(/\/staff\/$/);
  await caseButton(page, "Petite enfance").click();
  await page.getByRole("button", { name: "Prendre la conversation" }).click();
  await page.getByRole("textbox", { name: "Votre réponse" }).waitFor();
  assert.deepEqual(await check(page), []);
});
