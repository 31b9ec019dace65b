#!/usr/bin/env python3
"""Reads the results of run.sh and prints the tables (Markdown): medians
over the rounds, the ratio guichet / peer, agreement on the sample, and
guichet's memory figures. Exits 1 when an implementation agrees with the
expected replies on less than 95% of the sample.

  report.py RESULTS_DIR BOTS_DIR SAMPLE
"""

import json
import os
import statistics
import sys

MIN_AGREEMENT = 0.95
REPLY_ORDER = ["guichet", "python-aiml", "rivescript-py", "rivescript-js"]
DATE_ORDER = ["guichet", "chrono-node", "dateparser.parse", "dateparser.search_dates"]


def fmt(x, digits=0):
    if x is None:
        return "–"
    if digits == 0:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    if r >= 10:
        return f"{r:,.0f}×"
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.3f}×"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    out, bots, sample = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(os.path.join(out, "results.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    with open(os.path.join(out, "machine.txt")) as f:
        print("".join("    " + line for line in f))

    ok = True
    runs = {}
    failed = set()
    for row in rows:
        key = (row["kind"], row["n"], row["name"])
        if row.get("failed"):
            failed.add(key)
            continue
        runs.setdefault(key, []).append(row["result"])

    sizes = sorted({n for kind, n, _ in runs if kind == "replies"} | {n for kind, n, _ in failed if kind == "replies"})
    print("## Replies (trigger matching)\n")
    print("| triggers | implementation | replies/s | load ms | peak MiB | agreement | guichet/peer replies/s | peer/guichet load time |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        with open(os.path.join(bots, str(n), "expected.txt")) as f:
            expected = f.read().split()[:sample]
        med = {}
        for name in REPLY_ORDER:
            results = runs.get(("replies", n, name))
            if not results:
                if ("replies", n, name) in failed:
                    med[name] = None
                continue
            answers = results[0]["answers"]
            agree = sum(a == e for a, e in zip(answers, expected)) / max(len(expected), 1)
            if agree < MIN_AGREEMENT:
                ok = False
            med[name] = {
                "per_s": median(r["per_s"] for r in results),
                "load_s": median(r["load_s"] for r in results),
                "peak": median((r["peak_kib"] or 0) / 1024 for r in results),
                "agree": agree,
                "runs": len(results),
            }
        g = med.get("guichet")
        for name in REPLY_ORDER:
            if name not in med:
                continue
            m = med[name]
            if m is None:
                print(f"| {n:,} | {name} | failed or timed out | | | | | |")
                continue
            is_g = name == "guichet"
            print(
                f"| {n:,} | {name} | {fmt(m['per_s'])} | {fmt(m['load_s'] * 1000, 1)} | {fmt(m['peak'], 1)} "
                f"| {m['agree'] * 100:.1f}% "
                f"| {'' if is_g else ratio(g and g['per_s'], m['per_s'])} "
                f"| {'' if is_g else ratio(m['load_s'], g and g['load_s'])} |"
            )
    g_sizes = {n: median(r["per_s"] for r in runs.get(("replies", n, "guichet"), [])) for n in sizes}
    pairs = [(a, b) for a in sizes for b in sizes if b == a * 100 or (b == a * 10 and a * 100 not in sizes)]
    for a, b in pairs:
        if g_sizes.get(a) and g_sizes.get(b):
            print(f"\nguichet, {a:,} → {b:,} triggers: each message costs {g_sizes[a] / g_sizes[b]:.2f}× as much.")

    print("\n## Date extraction (throughput only)\n")
    print("| implementation | texts/s | peak MiB | texts with a date found | guichet/peer |")
    print("| --- | ---: | ---: | ---: | ---: |")
    dmed = {}
    for name in DATE_ORDER:
        results = runs.get(("dates", 0, name))
        if results:
            dmed[name] = (
                median(r["per_s"] for r in results),
                median((r["peak_kib"] or 0) / 1024 for r in results),
                f"{results[0]['found']} / {results[0]['texts']}",
            )
        elif ("dates", 0, name) in failed:
            print(f"| {name} | failed or timed out | | | |")
    g = dmed.get("guichet", (None,))[0]
    for name, (per_s, peak, found) in dmed.items():
        print(f"| {name} | {fmt(per_s)} | {fmt(peak, 1)} | {found} | {'' if name == 'guichet' else ratio(g, per_s)} |")

    memory = os.path.join(out, "memory.jsonl")
    if os.path.exists(memory):
        with open(memory) as f:
            figures = [json.loads(line) for line in f if line.strip()]
        print("\n## guichet's memory\n")
        print("| bot | flows and FAQ entries | loaded bot (program, sources, warnings) | compiled program |")
        print("| --- | ---: | ---: | ---: |")
        for fig in figures:
            if fig["figure"] == "bot":
                label = fig["bot"]
                parts = label.rstrip("/").split("/")
                if len(parts) >= 2 and parts[-1] == "guichet":
                    label = f"generated, {int(parts[-2]):,} triggers"
                else:
                    label = "sample commune (flows/)"
                print(f"| {label} | {fig['flows']:,} | {fig['bot_bytes'] / 1048576:,.2f} MiB | {fig['program_bytes'] / 1048576:,.2f} MiB |")
        for fig in figures:
            if fig["figure"] == "session_json":
                sizes = ", ".join(str(s["bytes"]) for s in fig["steps"])
                print(f"\nsaved session (JSON bytes) after each step of the {fig['conversation']} conversation: {sizes}")
            elif fig["figure"] == "live_sessions":
                print(
                    f"\nlive sessions mid-crèche-form ({fig['mid_form_json_bytes']} bytes of JSON), {fig['count']:,} kept: "
                    f"{fig['session_bytes']:,.0f} bytes each as `Session` values ({fig['session_blocks']:.0f} blocks) → "
                    f"{fig['sessions_per_gib']:,.0f} per GiB; {fig['json_bytes']:,.0f} bytes each as JSON strings → "
                    f"{fig['json_per_gib']:,.0f} per GiB"
                )
            elif fig["figure"] == "guichet_run_rss":
                print(
                    f"\n`guichet run --jsonl flows`: {fig['loaded_rss_kib'] / 1024:.1f} MiB resident once loaded, "
                    f"{fig['rss_kib'] / 1024:.1f} MiB after a crèche conversation of {fig['turns']} turns (peak {fig['peak_kib'] / 1024:.1f} MiB)"
                )
    if not ok:
        print(f"\nerror: an implementation agrees with the expected replies on less than {MIN_AGREEMENT:.0%} of the sample", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
