#!/usr/bin/env bash
# One command: builds what is missing (scripts/setup.sh, the bench binary),
# starts the release server on a fresh SQLite database with the demo data on
# 127.0.0.1:3200, the Django login peer (bench/peer, from PyPI into
# target/bench-peer-venv) on 127.0.0.1:3201, and prints the benchmark
# table. BENCH_SECS sets each window (default 10 s); PORTAL_BIN benches
# another build of the server (e.g. one from before a change) against the
# same site files. Loopback only; both servers are stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
scripts/debian-packages.sh
cargo build --release -p bench 2>/dev/null

data=$(mktemp -d)
export DATABASE_URL="sqlite://$data/portal.db" LEPTOS_SITE_ADDR=127.0.0.1:3200 LEPTOS_SITE_ROOT=target/site
export PORTAL_IP_LIMIT=0 RUST_LOG=warn
portal=${PORTAL_BIN:-target/release/portal}
"$portal" demo 2>/dev/null
"$portal" serve 2>"$data/server.log" &
server=$! peer=
trap 'kill $server $peer 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT

venv=target/bench-peer-venv
if [ ! -x "$venv/bin/gunicorn" ] || [ bench/peer/requirements.txt -nt "$venv/bin/gunicorn" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r bench/peer/requirements.txt
  touch "$venv/bin/gunicorn"
fi
export PEER_DB="$data/peer.db"
"$venv/bin/python" bench/peer/peer.py setup alice@example.com Harbor-Lantern-73
"$venv/bin/gunicorn" --chdir bench/peer -w 2 -b 127.0.0.1:3201 --log-level warning peer:application 2>"$data/peer.log" &
peer=$!
for url in http://127.0.0.1:3200/healthz http://127.0.0.1:3201/login/; do
  for _ in $(seq 100); do curl -fs "$url" >/dev/null && break; sleep 0.1; done
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%F)"
BENCH_URL=http://127.0.0.1:3200 BENCH_SERVER_PID=$server BENCH_PEER_URL=http://127.0.0.1:3201 target/release/portal-bench
node bench/first-visit.mjs http://127.0.0.1:3200
BENCH_CPU_SLOWDOWN=4 node bench/first-visit.mjs http://127.0.0.1:3200
node bench/first-visit.mjs http://127.0.0.1:3200 /forgot-password
node bench/patient-clock.mjs http://127.0.0.1:3200
