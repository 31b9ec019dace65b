# Helpers for scripts/test and bench/serve/run (sourced, not run).
# shellcheck shell=bash

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
updated=0
apt_install() {
  if [ "$updated" -eq 0 ]; then
    "${SUDO[@]}" apt-get update -qq
    updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "$@"
}

# Starts a throwaway PostgreSQL server on a free port of 127.0.0.1, owned
# by the calling script: it is stopped and removed when that script exits.
# Sets PG_URL (role `guichet`, trust authentication, database `postgres`).
# `start_throwaway_postgres on` keeps fsync on (benchmarks); tests turn it off.
start_throwaway_postgres() {
  local fsync="${1:-off}"
  initdb_bin="$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$initdb_bin" ]; then
    echo "== installing PostgreSQL (Debian package)"
    apt_install postgresql
    initdb_bin="$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)"
  fi
  pg_bin="$(dirname "$initdb_bin")"
  pgdir="$(mktemp -d /tmp/guichet-pg.XXXXXX)"
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: the server runs as `postgres`.
    chown postgres "$pgdir"
    as_pg=(runuser -u postgres --)
  fi
  port=55432
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  stop_pg() {
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  }
  trap stop_pg EXIT
  echo "== starting PostgreSQL $(basename "$(dirname "$pg_bin")") on 127.0.0.1:$port"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pgdir/data" -U guichet --auth=trust -E UTF8 --no-locale >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdir/data" -w -l "$pgdir/log" \
    -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=$fsync" start >/dev/null
  PG_URL="postgres://guichet@127.0.0.1:$port/postgres"
}
