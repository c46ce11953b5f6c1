#!/usr/bin/env bash
# Soak: the release server on a fresh PostgreSQL database (portal_bench_soak,
# made and dropped at BENCH_POSTGRES_URL's server) with the demo data, on
# 127.0.0.1:3203, under SOAK_CLIENTS (64) clients of mixed traffic for
# SOAK_SECS (600); prints a row every SOAK_EVERY_SECS (60): answers per
# second, p50/p99, 503s, errors, the server's resident memory. Loopback only;
# the server and the database are gone at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
cargo build --release -p bench 2>/dev/null

admin=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
data=$(mktemp -d) server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  psql -q "$admin" -c 'DROP DATABASE IF EXISTS portal_bench_soak' >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT
psql -q "$admin" -c 'DROP DATABASE IF EXISTS portal_bench_soak' -c 'CREATE DATABASE portal_bench_soak' >/dev/null
export DATABASE_URL=${admin%/*}/portal_bench_soak PORTAL_DATA_DIR=$data
export LEPTOS_SITE_ADDR=127.0.0.1:3203 LEPTOS_SITE_ROOT=target/site PORTAL_IP_LIMIT=0 RUST_LOG=warn
target/release/portal demo >/dev/null 2>&1
target/release/portal serve 2>"$data/server.log" &
server=$!
for _ in $(seq 100); do curl -fs http://127.0.0.1:3203/healthz >/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%F)"
echo "PostgreSQL, ${SOAK_CLIENTS:-64} clients, ${SOAK_SECS:-600} s of mixed traffic"
BENCH_URL=http://127.0.0.1:3203 BENCH_SERVER_PID=$server target/release/portal-bench soak
echo "server log: $(grep -c ' ERROR ' "$data/server.log" || true) errors, $(wc -l < "$data/server.log") lines"
