// Runs the widget's real-browser tests: playwright-core drives the system
// Chromium (no browser download) against a running `guichet serve --demo`.
//
//   GUICHET_URL=http://127.0.0.1:8080 node tests/browser/run.mjs [NAME_PART...]
//
// Environment: GUICHET_URL (required), GUICHET_TEST_CHROMIUM (default
// /usr/bin/chromium), GUICHET_SCREENSHOTS (a folder for the screenshots,
// default target/browser-screenshots), GUICHET_UPDATE_SCREENSHOT=1 (copy the
// desktop screenshot to docs/img/ for the README).
// `tests/browser.rs` (cargo test) starts the server and runs this file.
//
// Each test gets its own browser context (fresh storage). A test fails on an
// uncaught page error, a Content-Security-Policy violation, a JavaScript
// dialog, or a console error it did not expect. Waits are on conditions,
// never on time.

import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The spec files to run: GUICHET_BROWSER_SPECS="a.spec.mjs,b.spec.mjs".
const specs = (process.env.GUICHET_BROWSER_SPECS || "widget.spec.mjs").split(",").filter(Boolean);
const tests = [];
for (const spec of specs) tests.push(...(await import(`./${spec.trim()}`)).tests);

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const url = (process.env.GUICHET_URL || "").replace(/\/$/, "");
if (!url) {
  console.error("GUICHET_URL is not set: start `guichet serve flows --demo` and point it there");
  process.exit(2);
}
const executablePath = process.env.GUICHET_TEST_CHROMIUM || "/usr/bin/chromium";
const shots = path.resolve(process.env.GUICHET_SCREENSHOTS || path.join(repo, "target", "browser-screenshots"));
fs.mkdirSync(shots, { recursive: true });

const filters = process.argv.slice(2).map((f) => f.toLowerCase());
const selected = tests.filter((t) => !filters.length || filters.some((f) => t.name.toLowerCase().includes(f)));

const TEST_TIMEOUT_MS = 90_000;

// `launch` starts Chromium with --headless and a fresh, temporary profile
// (user data dir) that it removes at the end.
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

/** What a test gets: fresh pages, the server's address, helpers. */
function harness(name) {
  const contexts = [];
  const problems = [];
  const allowed = [];
  const allowedHttp = [];
  const allowedDialogs = [];
  return {
    url,
    repo,
    shots,
    browser,
    problems,
    /** Console errors matching `re` are expected in this test (network drops). */
    allowConsoleError(re) {
      allowed.push(re);
    },
    /** HTTP errors for addresses matching `re` are expected in this test. */
    allowHttpError(re) {
      allowedHttp.push(re);
    },
    /** Dialogs of `type` (`beforeunload`...) are expected in this test,
     * which answers them. */
    allowDialog(type) {
      allowedDialogs.push(type);
    },

    /** A new context (own storage) and a page in it, watched for errors. */
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: "fr-BE",
        ...options,
      });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      context.on("page", (p) => watch(p));
      const page = await context.newPage();
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
    },
    contexts,
  };

  function watch(page) {
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("dialog", async (d) => {
      // An expected dialog is the test's to answer.
      if (allowedDialogs.includes(d.type())) return;
      problems.push(`a ${d.type()} dialog opened: ${d.message()}`);
      await d.dismiss().catch(() => {});
    });
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      const text = m.text();
      // A failed load is reported below with its address.
      if (/^Failed to load resource/.test(text)) return;
      if (/Content Security Policy/i.test(text) || !allowed.some((re) => re.test(text))) {
        problems.push(`console error: ${text}`);
      }
    });
    page.on("response", (r) => {
      // The demo back office's pages have no icon: the browser's guess is not a fault.
      const expected = r.url().endsWith("/favicon.ico") || allowedHttp.some((re) => re.test(r.url()));
      if (r.status() >= 400 && !expected) {
        problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
      }
    });
  }
}

let passed = 0;
let failed = 0;
const started = Date.now();
console.log(`browser tests against ${url} with ${executablePath} (${(await browser.version())})`);
for (const [i, t] of selected.entries()) {
  const h = harness(t.name);
  const t0 = Date.now();
  let error = null;
  let timer;
  try {
    await Promise.race([
      t.run(h),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS);
      }),
    ]);
    if (h.problems.length) error = new Error("the page went wrong");
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(timer);
  }
  if (error) {
    // The page as it was, to see why.
    for (const [n, c] of h.contexts.entries()) {
      for (const [m, p] of c.pages().entries()) {
        const file = path.join(shots, `failed-${slug(t.name)}-${n}-${m}.png`);
        await p.screenshot({ path: file, timeout: 5000 }).catch(() => {});
      }
    }
  }
  await h.close();
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (error) {
    failed++;
    console.log(`not ok ${i + 1} - ${t.name} (${secs} s)`);
    console.log(String(error.stack || error).replace(/^/gm, "    # "));
    for (const p of h.problems) console.log(`    # also: ${p}`);
  } else {
    passed++;
    console.log(`ok ${i + 1} - ${t.name} (${secs} s)`);
  }
}
await browser.close();
console.log(`browser: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed || !selected.length ? 1 : 0);

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}
