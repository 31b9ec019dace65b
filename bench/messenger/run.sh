#!/usr/bin/env bash
# Messenger replies through the outbox, beside the web API's answers:
# latency percentiles printed as the table of BENCHMARKS.md.
#   bench/messenger/run.sh [MESSAGES] [CONCURRENT]
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --example messenger_latency --quiet
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(git rev-parse --short HEAD) $(nproc) cores"
./target/release/examples/messenger_latency "${1:-400}" "${2:-8}"
