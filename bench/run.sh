#!/usr/bin/env bash
# One command: builds what is missing (scripts/setup.sh, the bench binary),
# starts the release server on a fresh SQLite database with the demo data on
# 127.0.0.1:3200, and prints the benchmark table. BENCH_SECS sets each
# window (default 10 s). Loopback only; the server is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
cargo build --release -p bench 2>/dev/null

data=$(mktemp -d)
export DATABASE_URL="sqlite://$data/portal.db" LEPTOS_SITE_ADDR=127.0.0.1:3200 LEPTOS_SITE_ROOT=target/site
export PORTAL_IP_LIMIT=0 RUST_LOG=warn
target/release/portal demo 2>/dev/null
target/release/portal serve 2>"$data/server.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -fs http://127.0.0.1:3200/healthz >/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%F)"
BENCH_URL=http://127.0.0.1:3200 BENCH_SERVER_PID=$server target/release/portal-bench
