#!/usr/bin/env python3
"""Drivers of the Python peers: rivescript, python-aiml and dateparser.
Each prints one JSON line, the shape the guichet driver prints.

  peers.py rivescript BOT_DIR MESSAGES SAMPLE BUDGET_S MAX
  peers.py aiml       BOT_DIR MESSAGES SAMPLE BUDGET_S MAX
  peers.py dateparser-search DATES_JSONL BUDGET_S
  peers.py dateparser-parse  DATES_JSONL BUDGET_S

Replies: load (timed), answer the first SAMPLE messages (the warm-up, whose
replies are printed for the agreement check), then answer the following
messages, cycling, single thread, until MAX messages or BUDGET_S seconds.
Dates: a warm-up over the first 100 rows, then rows cycled for BUDGET_S.
"""

import json
import os
import sys
import time
from datetime import datetime


def peak_rss_kib():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def load_rivescript(bot_dir):
    from rivescript import RiveScript

    bot = RiveScript(utf8=False)
    bot.load_file(os.path.join(bot_dir, "bot.rive"))
    bot.sort_replies()
    return lambda message: bot.reply("citizen", message)


def load_aiml(bot_dir):
    import aiml

    kernel = aiml.Kernel()
    kernel.verbose(False)
    kernel.learn(os.path.join(bot_dir, "bot.aiml"))
    return lambda message: kernel.respond(message)


def replies(name, bot_dir, messages_path, sample, budget, maximum):
    with open(messages_path, encoding="utf-8") as f:
        messages = f.read().splitlines()
    start = time.perf_counter()
    reply = {"rivescript": load_rivescript, "aiml": load_aiml}[name](bot_dir)
    load_s = time.perf_counter() - start
    answers = [reply(m).strip() for m in messages[:sample]]
    timed = messages[sample:]
    done = 0
    start = time.perf_counter()
    while True:
        reply(timed[done % len(timed)])
        done += 1
        if done >= maximum or time.perf_counter() - start >= budget:
            break
    elapsed = time.perf_counter() - start
    return {
        "impl": name,
        "load_s": load_s,
        "messages": done,
        "seconds": elapsed,
        "per_s": done / elapsed,
        "peak_kib": peak_rss_kib(),
        "answers": answers,
    }


def dates(name, path, budget):
    import dateparser
    from dateparser.search import search_dates

    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                # Some references carry fractions of a second and an offset: the
                # local date and time is what every implementation is given.
                ref = datetime.strptime((row.get("reference") or "2025-04-14T10:00:00")[:19], "%Y-%m-%dT%H:%M:%S")
                rows.append((row["text"], row["lang"], ref))

    def one(row):
        text, lang, ref = row
        settings = {"RELATIVE_BASE": ref, "PREFER_DATES_FROM": "future"}
        if name == "dateparser-search":
            return search_dates(text, languages=[lang], settings=settings)
        return dateparser.parse(text, languages=[lang], settings=settings)

    found = sum(1 for r in rows if one(r))
    for r in rows[:100]:
        one(r)
    done = 0
    start = time.perf_counter()
    while True:
        one(rows[done % len(rows)])
        done += 1
        if time.perf_counter() - start >= budget:
            break
    elapsed = time.perf_counter() - start
    return {
        "impl": name,
        "texts": len(rows),
        "found": found,
        "messages": done,
        "seconds": elapsed,
        "per_s": done / elapsed,
        "peak_kib": peak_rss_kib(),
    }


def main():
    args = sys.argv[1:]
    if len(args) == 6 and args[0] in ("rivescript", "aiml"):
        out = replies(args[0], args[1], args[2], int(args[3]), float(args[4]), int(args[5]))
    elif len(args) == 3 and args[0] in ("dateparser-search", "dateparser-parse"):
        out = dates(args[0], args[1], float(args[2]))
    else:
        sys.exit(__doc__)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
