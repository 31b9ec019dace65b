#!/usr/bin/env node
// Drivers of the JavaScript peers: rivescript-js and chrono-node. Each
// prints one JSON line, the shape the guichet driver prints.
//
//   node peers.js rivescript BOT_DIR MESSAGES SAMPLE BUDGET_S MAX
//   node peers.js chrono DATES_JSONL BUDGET_S
//
// The packages are found through NODE_PATH (run.sh installs them in its
// scratch folder).
"use strict";
const fs = require("fs");
const path = require("path");

function peakRssKib() {
  try {
    const m = fs.readFileSync("/proc/self/status", "utf8").match(/VmHWM:\s+(\d+)/);
    return m ? Number(m[1]) : null;
  } catch (e) {
    return null;
  }
}

const seconds = (t) => Number(process.hrtime.bigint() - t) / 1e9;

async function replies(botDir, messagesPath, sample, budget, max) {
  const RiveScript = require("rivescript");
  const messages = fs.readFileSync(messagesPath, "utf8").split("\n").filter((l) => l.length > 0);
  let t = process.hrtime.bigint();
  const bot = new RiveScript({ utf8: false });
  bot.stream(fs.readFileSync(path.join(botDir, "bot.rive"), "utf8"));
  bot.sortReplies();
  const loadS = seconds(t);
  const answers = [];
  for (const m of messages.slice(0, sample)) {
    answers.push((await bot.reply("citizen", m)).trim());
  }
  const timed = messages.slice(sample);
  let done = 0;
  t = process.hrtime.bigint();
  for (;;) {
    await bot.reply("citizen", timed[done % timed.length]);
    done += 1;
    if (done >= max || seconds(t) >= budget) break;
  }
  const elapsed = seconds(t);
  return {
    impl: "rivescript-js",
    load_s: loadS,
    messages: done,
    seconds: elapsed,
    per_s: done / elapsed,
    peak_kib: peakRssKib(),
    answers,
  };
}

function dates(file, budget) {
  const chrono = require("chrono-node");
  const locales = { fr: chrono.fr, nl: chrono.nl, en: chrono.en };
  const rows = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l))
    .filter((r) => locales[r.lang])
    .map((r) => [r.text, locales[r.lang], new Date((r.reference || "2025-04-14T10:00:00").slice(0, 19))]);
  const one = ([text, locale, ref]) => locale.parse(text, ref, { forwardDate: true });
  const found = rows.filter((r) => one(r).length > 0).length;
  rows.slice(0, 100).forEach(one);
  let done = 0;
  const t = process.hrtime.bigint();
  for (;;) {
    one(rows[done % rows.length]);
    done += 1;
    if (done % 16 === 0 && seconds(t) >= budget) break;
  }
  const elapsed = seconds(t);
  return {
    impl: "chrono-node",
    texts: rows.length,
    found,
    messages: done,
    seconds: elapsed,
    per_s: done / elapsed,
    peak_kib: peakRssKib(),
  };
}

async function main() {
  const a = process.argv.slice(2);
  let out;
  if (a[0] === "rivescript" && a.length === 6) {
    out = await replies(a[1], a[2], Number(a[3]), Number(a[4]), Number(a[5]));
  } else if (a[0] === "chrono" && a.length === 3) {
    out = dates(a[1], Number(a[2]));
  } else {
    console.error("usage: peers.js (rivescript BOT_DIR MESSAGES SAMPLE BUDGET_S MAX | chrono DATES_JSONL BUDGET_S)");
    process.exit(2);
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
