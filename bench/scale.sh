#!/usr/bin/env bash
# Store scale: for SQLite and PostgreSQL, with 100 000 and 1 000 000 generated
# patients (bench/seed.sql), starts the release server on 127.0.0.1:3202 and
# prints sign-in and staff search latency, one request at a time. Sizes from
# BENCH_SIZES (default "100000 1000000"); PostgreSQL from BENCH_POSTGRES_URL
# (default postgres://postgres@127.0.0.1:5432/postgres; a portal_bench_scale
# database is made and dropped there). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
cargo build --release -p bench 2>/dev/null

admin=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
pg=${admin%/*}/portal_bench_scale
data=$(mktemp -d) server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  psql -q "$admin" -c 'DROP DATABASE IF EXISTS portal_bench_scale' >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT
export LEPTOS_SITE_ADDR=127.0.0.1:3202 LEPTOS_SITE_ROOT=target/site PORTAL_IP_LIMIT=0 RUST_LOG=warn

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%F)"
echo "| store | request | p50 ms | p99 ms | rows |"
echo "|---|---|---|---|---|"
for store in sqlite postgres; do
  for n in ${BENCH_SIZES:-100000 1000000}; do
    if [ "$store" = sqlite ]; then
      rm -f "$data"/portal.db*
      export DATABASE_URL="sqlite://$data/portal.db"
      dob="strftime('%Y%m%d', '1930-01-01', '+' || (i % 32000) || ' days')"
      sql() { sqlite3 "$data/portal.db"; }
    else
      psql -q "$admin" -c 'DROP DATABASE IF EXISTS portal_bench_scale' -c 'CREATE DATABASE portal_bench_scale' >/dev/null
      export DATABASE_URL="$pg"
      dob="to_char(date '1930-01-01' + (i % 32000), 'YYYYMMDD')"
      sql() { psql -q -v ON_ERROR_STOP=1 "$pg" >/dev/null; }
    fi
    target/release/portal demo >/dev/null 2>&1
    start=$(date +%s)
    sed -e "s/@N@/$n/" -e "s/@DOB@/$dob/" bench/seed.sql | sql
    echo "seeded $store with $n patients in $(( $(date +%s) - start )) s" >&2
    target/release/portal serve 2>"$data/server.log" &
    server=$!
    for _ in $(seq 100); do curl -fs http://127.0.0.1:3202/healthz >/dev/null && break; sleep 0.1; done
    BENCH_URL=http://127.0.0.1:3202 BENCH_STORE=$store BENCH_PATIENTS=$n target/release/portal-bench scale
    kill "$server" && wait "$server" 2>/dev/null || true
    server=
  done
done
