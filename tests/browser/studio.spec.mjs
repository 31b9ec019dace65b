// The bot studio in a real browser: a member of staff with the studio
// permission signs in, breaks a flow, sees the diagnostic and the refused
// save, fixes it with a completion, tries the edited bot in the chat pane
// with its trace, runs the conversation tests, saves, and the citizens'
// widget answers with the change. Run by run.mjs
// (GUICHET_BROWSER_SPECS=studio.spec.mjs) against `guichet serve BOT
// --demo --studio` on a copy of the sample bot (tests/browser.rs).

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

export const tests = [];
function test(name, run) {
  tests.push({ name, run });
}

const PASSWORD = "correct horse battery";

/** Sophie signed in; the sign-in page brings her back to the studio. */
async function studio(h, login = "sophie", options = {}) {
  const page = await h.newPage(options);
  await page.goto(h.url + "/staff/studio");
  await page.waitForURL(/\/staff\/login\?next=/);
  await page.getByLabel("Identifiant").fill(login);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(h.url + "/staff/studio");
  await page.locator("body[data-ready=true]").waitFor();
  return page;
}

/** Opens a file of the bot's folder from the file list. */
async function open(page, file) {
  await page.getByRole("navigation", { name: "Fichiers" }).getByRole("button", { name: new RegExp("^" + file.replace(".", "\\.")) }).click();
  const editor = page.getByRole("textbox", { name: "Texte de " + file, exact: true });
  await editor.waitFor();
  return editor;
}

/** Puts the caret right after the first `after` found after `near`. */
async function caretAfter(editor, near, after) {
  const at = await editor.evaluate(
    (ta, [near, after]) => {
      const from = ta.value.indexOf(near);
      const i = ta.value.indexOf(after, from);
      if (from < 0 || i < 0) return -1;
      ta.focus();
      ta.setSelectionRange(i + after.length, i + after.length);
      return i + after.length;
    },
    [near, after],
  );
  assert.ok(at >= 0, `${after} is in the file`);
}

/** Selects the first `text` in the editor. */
async function select(editor, text) {
  const found = await editor.evaluate((ta, text) => {
    const i = ta.value.indexOf(text);
    if (i < 0) return false;
    ta.focus();
    ta.setSelectionRange(i, i + text.length);
    return true;
  }, text);
  assert.ok(found, `${text} is in the file`);
}

/** The file's text on disk, as the server gives it. */
async function onDisk(page, file) {
  return page.evaluate(async (file) => {
    const r = await fetch("/staff/api/studio/file?path=" + encodeURIComponent(file));
    return (await r.json()).text;
  }, file);
}

test("a mistake is underlined and its save refused; fixed by a completion, tried, tested, saved, and the widget answers with it", async (h) => {
  const page = await studio(h);
  const editor = await open(page, "status.flow");
  const problems = page.locator("#problems");
  await page.locator("#problems-summary").filter({ hasText: "Aucun problème" }).waitFor();
  const before = await onDisk(page, "status.flow");

  // The highlighting reads the grammar: keywords, strings, flow names.
  const layer = page.locator(".editor .layer");
  assert.ok(await layer.locator(".tk-storage", { hasText: /^flow$/ }).count() >= 1);
  assert.ok(await layer.locator(".tk-string").count() > 10);
  assert.ok(await layer.locator(".tk-builtin", { hasText: /^upper$/ }).count() >= 3);

  // A mistake: a name the flow does not know.
  await caretAfter(editor, "fr: \"Votre demande", "{upper(reference");
  await page.keyboard.press("Backspace");
  const problem = problems.locator(".problem.error").first();
  await problem.waitFor();
  const lines = (await editor.inputValue()).split("\n");
  const line = lines.findIndex((l) => l.includes("{upper(referenc)}")) + 1;
  const column = lines[line - 1].indexOf("referenc)") + 1;
  assert.ok(line > 0);
  assert.equal(await problem.locator(".loc").innerText(), `${line}:${column}`, "line:column of the unknown name");
  assert.match(await problem.innerText(), /referenc/);
  assert.match(await problem.innerText(), /`reference`/, "the help says what was meant");
  // Underlined where it is, the line marked in the gutter.
  const underline = layer.locator(".sq-error").first();
  await underline.waitFor();
  assert.equal(await underline.innerText(), "referenc");
  assert.equal(await page.locator(".gutter .n-error").innerText(), String(line));
  await page.locator("#files").getByRole("button", { name: /status\.flow/ }).filter({ hasText: "1 erreur" }).waitFor();

  // Saving it is refused (422), and the file stays as it was.
  h.allowHttpError(/\/api\/studio\/save$/);
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByRole("alert").filter({ hasText: "Enregistrement refusé" }).waitFor();
  assert.equal(await onDisk(page, "status.flow"), before);

  // A click on the problem puts the caret on the mistake.
  await editor.evaluate((ta) => ta.setSelectionRange(0, 0));
  await problem.getByRole("button").click();
  const caret = await editor.evaluate((ta) => {
    const before = ta.value.slice(0, ta.selectionStart).split("\n");
    return [before.length, before[before.length - 1].length + 1, document.activeElement === ta];
  });
  assert.deepEqual(caret, [line, column, true]);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");

  // A screenshot of the studio at work, for the documentation: the
  // mistake underlined and listed, the save refused.
  const shot = path.join(h.shots, "studio.png");
  await page.screenshot({ path: shot });
  assert.ok(fs.statSync(shot).size > 10_000);
  if (process.env.GUICHET_UPDATE_SCREENSHOT === "1") {
    fs.mkdirSync(path.join(h.repo, "docs", "img"), { recursive: true });
    fs.copyFileSync(shot, path.join(h.repo, "docs", "img", "studio.png"));
  }

  // Fixed with a completion: Ctrl+Space, the arrows, Enter.
  await editor.focus();
  await page.keyboard.press("Control+Space");
  const list = page.getByRole("listbox");
  await list.waitFor();
  const labels = await list.getByRole("option").locator(".label").allInnerTexts();
  const index = labels.indexOf("reference");
  assert.ok(index >= 0, `reference is offered: ${labels}`);
  for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
  assert.equal(await list.getByRole("option", { selected: true }).locator(".label").innerText(), "reference");
  assert.equal(
    await editor.getAttribute("aria-activedescendant"),
    await list.getByRole("option", { selected: true }).getAttribute("id"),
  );
  await page.keyboard.press("Enter");
  await list.waitFor({ state: "hidden" });
  assert.equal(await editor.inputValue(), before, "the completion restored the name");
  await page.locator("#problems-summary").filter({ hasText: "Aucun problème" }).waitFor();
  assert.equal(await layer.locator(".sq-error").count(), 0);
  await page.waitForFunction(() => document.getElementById("file-state").textContent === "");

  // A change of the help's text, tried in the chat pane before it is saved.
  const smalltalk = await open(page, "smalltalk.flow");
  const helpBefore = await onDisk(page, "smalltalk.flow");
  await select(smalltalk, "Je peux vous aider pour ces démarches.");
  await page.keyboard.type("Le studio a changé cette phrase.");
  await page.locator("#file-state").filter({ hasText: "modifié" }).waitFor();
  const chat = page.getByRole("log", { name: "Essayer le bot modifié" });
  await chat.locator(".bot .text").filter({ hasText: "Bonjour et bienvenue" }).waitFor();
  const input = page.getByRole("textbox", { name: "Message du citoyen" });
  await input.fill("aide");
  await input.press("Enter");
  await chat.locator(".bot .text").filter({ hasText: "Le studio a changé cette phrase." }).waitFor();
  // The trace says why: the trigger that matched.
  const trace = chat.locator(".trace").last();
  assert.match(await trace.innerText(), /trigger: fr "aide": matched aide/);
  // The bot's buttons are buttons.
  await chat.getByRole("button", { name: "Menu de la cantine" }).last().click();
  await chat.locator(".citizen .text").filter({ hasText: "Menu de la cantine" }).waitFor();

  // The conversation tests of the edited bot: the one expecting the old
  // help fails, with what it expected and what it got.
  await page.getByRole("button", { name: "Lancer les tests" }).click();
  const summary = page.locator("#tests-summary");
  await summary.filter({ hasText: /échoué/ }).waitFor();
  assert.match(await summary.innerText(), /[1-9]\d* réussis, [1-9]\d* échoué/);
  const failure = page.locator("#tests .test-failure").first();
  assert.match(await failure.locator(".loc").innerText(), /^tests\/faq\.test:\d+$/);
  assert.match(await failure.locator(".step").innerText(), /je peux vous aider/);
  assert.match(await failure.locator(".got").innerText(), /Le studio a changé cette phrase/);
  // Nothing is written yet.
  assert.equal(await onDisk(page, "smalltalk.flow"), helpBefore);

  // Saved: the server reloads the bot, and says so.
  await smalltalk.focus();
  await page.keyboard.press("Control+s");
  await page.getByRole("alert").filter({ hasText: "Enregistré. Le serveur a rechargé le bot" }).waitFor();
  assert.match(await onDisk(page, "smalltalk.flow"), /Le studio a changé cette phrase\./);
  assert.equal(await page.locator("#file-state").innerText(), "");

  // A citizen on the demo page gets the saved bot.
  const citizen = await h.newPage();
  await citizen.goto(h.url + "/");
  await citizen.getByRole("button", { name: "Ouvrir le chat de la commune", exact: true }).click();
  const log = citizen.getByRole("log");
  await log.locator(".msg.bot").filter({ hasText: "Bonjour et bienvenue" }).waitFor();
  const message = citizen.getByRole("textbox", { name: "Votre message", exact: true });
  await message.fill("aide");
  await message.press("Enter");
  await log.locator(".msg.bot").filter({ hasText: "Le studio a changé cette phrase." }).waitFor();
});

test("hover explains a built-in; a diagnostic in another file opens it at the place", async (h) => {
  const page = await studio(h);
  const editor = await open(page, "status.flow");
  // Ctrl+I: the documentation at the caret, in a tooltip the textarea names.
  await caretAfter(editor, "{upper(", "{upp");
  await page.keyboard.press("Control+i");
  const tip = page.getByRole("tooltip");
  await tip.waitFor();
  assert.match(await tip.innerText(), /upper\(/);
  assert.match(await editor.getAttribute("aria-describedby"), new RegExp(await tip.getAttribute("id")));
  await page.keyboard.press("Escape");
  await tip.waitFor({ state: "hidden" });
  // A mistake in status.flow, then another file opened: the problem is
  // listed with its file, and a click brings it back at its line.
  await caretAfter(editor, "{upper(", "{upper(referenc");
  await page.keyboard.press("Delete");
  await page.locator("#problems .problem.error").first().waitFor();
  await open(page, "bot.flow");
  const elsewhere = page.locator("#problems .problem.error .loc").filter({ hasText: /^status\.flow:\d+:\d+$/ });
  await elsewhere.waitFor();
  const [, line, column] = (await elsewhere.innerText()).match(/:(\d+):(\d+)$/);
  await elsewhere.click();
  const reopened = page.getByRole("textbox", { name: "Texte de status.flow", exact: true });
  await reopened.waitFor();
  // The unsaved text came back with the file, the caret at the mistake.
  assert.match(await reopened.inputValue(), /\{upper\(referenc\)\}/);
  const caret = await reopened.evaluate((ta) => {
    const before = ta.value.slice(0, ta.selectionStart).split("\n");
    return [before.length, before[before.length - 1].length + 1];
  });
  assert.deepEqual(caret, [Number(line), Number(column)]);
  assert.ok(await reopened.evaluate((ta) => document.activeElement === ta));
  // The completion stays open while one types, narrowed; Escape closes it.
  for (let i = 0; i < "referenc".length; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Control+Space");
  const list = page.getByRole("listbox");
  await list.getByRole("option", { name: /^reference/ }).waitFor();
  await page.keyboard.type("e");
  await page.waitForFunction(() => {
    const labels = [...document.querySelectorAll("#code-completions .label")].map((e) => e.textContent);
    return labels.length > 0 && labels.every((l) => l.startsWith("reference"));
  });
  assert.ok(await list.isVisible());
  await page.keyboard.press("Escape");
  await list.waitFor({ state: "hidden" });
  assert.match(await reopened.inputValue(), /\{upper\(reference\)\}/);
  await page.locator("#problems-summary").filter({ hasText: "Aucun problème" }).waitFor();
  // Back as it is on disk: nothing to lose. A change not saved: leaving
  // the page asks first; a page with nothing unsaved closes at once.
  await reopened.press("Control+End");
  await page.keyboard.type("\n");
  await page.locator("#file-state").filter({ hasText: "modifié" }).waitFor();
  h.allowDialog("beforeunload");
  const other = await studio(h);
  let otherAsked = false;
  other.on("dialog", () => {
    otherAsked = true;
  });
  const otherClosed = new Promise((resolve) => other.once("close", resolve));
  await other.close({ runBeforeUnload: true });
  await otherClosed;
  assert.equal(otherAsked, false);
  const asked = new Promise((resolve) =>
    page.once("dialog", async (d) => {
      resolve(d.type());
      await d.accept();
    }),
  );
  const closed = new Promise((resolve) => page.once("close", resolve));
  await page.close({ runBeforeUnload: true });
  assert.equal(await asked, "beforeunload");
  // Leaving confirmed: the page goes.
  await closed;
});

test("staff without the studio permission are refused; accessibility rules (axe-core) on the studio", async (h) => {
  // Marie answers hand-overs of the crèches only.
  h.allowHttpError(/\/staff\/studio$/);
  const marie = await h.newPage();
  await marie.goto(h.url + "/staff/studio");
  await marie.waitForURL(/\/staff\/login\?next=/);
  await marie.getByLabel("Identifiant").fill("marie");
  await marie.getByLabel("Mot de passe").fill(PASSWORD);
  await marie.getByRole("button", { name: "Se connecter" }).click();
  await marie.waitForURL(h.url + "/staff/studio");
  assert.match(await marie.locator("body").innerText(), /needs the `studio` permission/);

  const require = createRequire(import.meta.url);
  const source = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  // axe-core sets inline styles while it measures: this page does without the CSP.
  const page = await studio(h, "sophie", { bypassCSP: true });
  const editor = await open(page, "status.flow");
  await caretAfter(editor, "{upper(", "{upper(referenc");
  await page.keyboard.press("Delete");
  await page.locator("#problems .problem.error").first().waitFor();
  // The tests of a bot with an error are not run (422): the page says why.
  h.allowHttpError(/\/api\/studio\/tests$/);
  await page.getByRole("button", { name: "Lancer les tests" }).click();
  await page.locator("#tests-summary").filter({ hasText: "Le bot modifié a des erreurs" }).waitFor();
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`);
  });
  assert.deepEqual(violations, []);
});
