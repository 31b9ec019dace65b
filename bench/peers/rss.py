#!/usr/bin/env python3
"""Resident memory of `guichet run --jsonl` with the sample bot, after a
crèche conversation in French (the action answered as a host would).

  rss.py GUICHET_BINARY FLOWS_DIR

Prints one JSON line: VmRSS and VmHWM (KiB) of the process before the
first message (bot loaded) and after the conversation.
"""

import json
import subprocess
import sys

CRECHE = [
    "Bonjour",
    "Je voudrais inscrire ma fille à la crèche",
    "Louise",
    "Dupont",
    "elle est née le 3 mai 2024",
    "à partir du 1er septembre 2025",
    "louise.dupont@example.be",
    "0470 12 34 56",
    "oui",
]


def status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


def turn(proc, line):
    """Sends one input line; returns the events up to the turn's end."""
    proc.stdin.write(json.dumps(line, ensure_ascii=False) + "\n")
    proc.stdin.flush()
    events = []
    while True:
        out = proc.stdout.readline()
        if not out:
            raise SystemExit("guichet run stopped before the end of a turn")
        event = json.loads(out)
        events.append(event)
        if event.get("type") == "turn_end":
            return events


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, flows = sys.argv[1], sys.argv[2]
    proc = subprocess.Popen(
        [binary, "run", flows, "--jsonl", "--lang", "fr", "--now", "2025-04-14T10:00:00+02:00"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    # The bot is loaded before the first line is read: one turn makes sure.
    turn(proc, {"event": "start"})
    loaded = status(proc.pid)
    turns = 1
    for message in CRECHE:
        events = turn(proc, {"text": message})
        turns += 1
        for e in events:
            if e.get("type") == "action":
                turn(proc, {"action_result": {"id": e["id"], "ok": True, "value": {"reference": "CR-2025-0042"}}})
                turns += 1
    after = status(proc.pid)
    proc.stdin.close()
    proc.wait(timeout=30)
    print(json.dumps({
        "figure": "guichet_run_rss",
        "turns": turns,
        "loaded_rss_kib": loaded.get("VmRSS"),
        "rss_kib": after.get("VmRSS"),
        "peak_kib": after.get("VmHWM"),
    }))


if __name__ == "__main__":
    main()
