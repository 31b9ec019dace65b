#!/usr/bin/env bash
# Side-by-side benchmark of guichet and its peers (rivescript-js,
# rivescript for Python, python-aiml for trigger matching; dateparser and
# chrono-node for date extraction), plus guichet's memory figures.
# Not part of the test command; CI does not run it. BENCHMARKS.md tells
# what it measures and how to read the table.
#
#   bench/peers/run.sh [DATES_JSONL]
#
# DATES_JSONL defaults to ../shared/eval/dates.jsonl beside the repository.
# Settings (environment):
#   SIZES     trigger counts (default "100 1000 10000"; the RiveScript peers
#             run up to 10000 only)
#   ROUNDS    rounds; each runs every implementation once (default 3)
#   BUDGET    seconds of timed work per run (default 5)
#   SAMPLE    messages answered before timing, compared across implementations (200)
#   MESSAGES  messages in the input stream (2000)
#   TIMEOUT   seconds after which one run is abandoned (default 600)
#   GUICHET_PEERS_DIR  scratch folder (default ${TMPDIR:-/tmp}/guichet-peers)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DATES=${1:-$REPO/../shared/eval/dates.jsonl}
SCRATCH=${GUICHET_PEERS_DIR:-${TMPDIR:-/tmp}/guichet-peers}
SIZES=${SIZES:-"100 1000 10000"}
ROUNDS=${ROUNDS:-3}
BUDGET=${BUDGET:-5}
SAMPLE=${SAMPLE:-200}
MESSAGES=${MESSAGES:-2000}
TIMEOUT=${TIMEOUT:-600}
RIVESCRIPT_MAX_N=10000
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}

if [[ ! -f $DATES ]]; then
  echo "no date sentences at $DATES (give the path of dates.jsonl as the argument)" >&2
  exit 2
fi
mkdir -p "$SCRATCH"
OUT=$SCRATCH/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl

echo "== installing the peers in $SCRATCH (pinned versions)" >&2
if [[ ! -x $SCRATCH/venv/bin/python ]]; then
  python3 -m venv "$SCRATCH/venv"
fi
# python-aiml 0.9.2 is not on PyPI; 0.9.3 is the nearest release.
"$SCRATCH/venv/bin/pip" install -q --disable-pip-version-check \
  rivescript==1.15.0 python-aiml==0.9.3 dateparser==1.5.0 >&2
npm install --silent --no-audit --no-fund --prefix "$SCRATCH/node" \
  rivescript@2.2.1 chrono-node@2.10.3 >&2
export NODE_PATH=$SCRATCH/node/node_modules
PY=$SCRATCH/venv/bin/python

echo "== building guichet (release)" >&2
(cd "$REPO" && cargo build --release --quiet --bin guichet --example throughput --example memory) >&2
BIN=$CARGO_TARGET_DIR/release
THROUGHPUT=$BIN/examples/throughput
MEMORY=$BIN/examples/memory

echo "== generating the bots" >&2
for n in $SIZES; do
  python3 "$HERE/generate.py" "$SCRATCH/bots" "$n" "$MESSAGES"
done

{
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "system: $(uname -sr)"
  echo "tools: $(rustc --version), node $(node --version), $("$PY" --version 2>&1)"
  version() { node -p "JSON.parse(require('fs').readFileSync('$NODE_PATH/$1/package.json', 'utf8')).version"; }
  echo "peers: rivescript-js $(version rivescript), chrono-node $(version chrono-node), $("$PY" -m pip list --disable-pip-version-check 2>/dev/null | awk '/^(rivescript|python-aiml|dateparser) / {printf "%s%s %s", sep, $1, $2; sep=", "}')"
  echo "guichet: $(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "settings: sizes $SIZES; $ROUNDS rounds; $BUDGET s timed per run; $SAMPLE-message sample; $MESSAGES-message stream"
} > "$OUT/machine.txt"

# One run of one implementation, single thread, as its own process; its
# JSON line is recorded with what it was.
record() {
  local kind=$1 n=$2 round=$3 name=$4
  shift 4
  local line
  if line=$(timeout "$TIMEOUT" "$@"); then
    printf '{"kind":"%s","n":%s,"round":%s,"name":"%s","result":%s}\n' "$kind" "$n" "$round" "$name" "$line" >> "$RESULTS"
  else
    printf '{"kind":"%s","n":%s,"round":%s,"name":"%s","failed":true}\n' "$kind" "$n" "$round" "$name" >> "$RESULTS"
    echo "   $name failed or took longer than ${TIMEOUT}s" >&2
  fi
}

reply_run() {
  local name=$1 n=$2 round=$3 bots=$SCRATCH/bots/$2
  local args=("$bots/messages.txt" "$SAMPLE" "$BUDGET" 1000000)
  case $name in
    guichet) record replies "$n" "$round" "$name" "$THROUGHPUT" replies "$bots/guichet" "${args[@]}" ;;
    python-aiml) record replies "$n" "$round" "$name" "$PY" "$HERE/peers.py" aiml "$bots" "${args[@]}" ;;
    rivescript-py) record replies "$n" "$round" "$name" "$PY" "$HERE/peers.py" rivescript "$bots" "${args[@]}" ;;
    rivescript-js) record replies "$n" "$round" "$name" node "$HERE/peers.js" rivescript "$bots" "${args[@]}" ;;
  esac
}

date_run() {
  local name=$1 round=$2
  case $name in
    guichet) record dates 0 "$round" "$name" "$THROUGHPUT" dates "$DATES" "$BUDGET" ;;
    chrono-node) record dates 0 "$round" "$name" node "$HERE/peers.js" chrono "$DATES" "$BUDGET" ;;
    dateparser.parse) record dates 0 "$round" "$name" "$PY" "$HERE/peers.py" dateparser-parse "$DATES" "$BUDGET" ;;
    dateparser.search_dates) record dates 0 "$round" "$name" "$PY" "$HERE/peers.py" dateparser-search "$DATES" "$BUDGET" ;;
  esac
}

# Rotates a list by the round number, so that no implementation always
# runs first (or right after the same one).
rotate() {
  local k=$1
  shift
  local items=("$@") i
  for ((i = 0; i < ${#items[@]}; i++)); do
    echo "${items[$(((i + k) % ${#items[@]}))]}"
  done
}

for ((round = 1; round <= ROUNDS; round++)); do
  for n in $SIZES; do
    impls=(guichet python-aiml)
    if ((n <= RIVESCRIPT_MAX_N)); then impls+=(rivescript-py rivescript-js); fi
    for name in $(rotate "$round" "${impls[@]}"); do
      echo "== round $round/$ROUNDS: $name, $n triggers" >&2
      reply_run "$name" "$n" "$round"
    done
  done
  for name in $(rotate "$round" guichet chrono-node dateparser.parse dateparser.search_dates); do
    echo "== round $round/$ROUNDS: $name, dates" >&2
    date_run "$name" "$round"
  done
done

echo "== memory" >&2
bot_dirs=()
for n in $SIZES; do bot_dirs+=("$SCRATCH/bots/$n/guichet"); done
"$MEMORY" bots "$REPO/flows" "${bot_dirs[@]}" > "$OUT/memory.jsonl"
"$MEMORY" sessions "$REPO/flows" >> "$OUT/memory.jsonl"
python3 "$HERE/rss.py" "$BIN/guichet" "$REPO/flows" >> "$OUT/memory.jsonl"

python3 "$HERE/report.py" "$OUT" "$SCRATCH/bots" "$SAMPLE" | tee "$OUT/report.md"
echo "(raw results in $OUT)" >&2
