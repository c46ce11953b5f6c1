#!/usr/bin/env bash
# A/B of page rendering: two builds of the server, each on its own fresh
# SQLite database with the demo data, against the same site files; ApacheBench
# (`ab`, Debian's apache2-utils) alternates between them so that both see the
# same machine. Prints requests per second of each round and the medians.
#
#   bench/ab-pages.sh OLD_PORTAL_BIN NEW_PORTAL_BIN [PATH ...]
#
# ROUNDS (default 5), SECS per run (default 8), CLIENTS (default 64).
# Loopback only (127.0.0.1:3210 and :3211); both servers stop at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 OLD_PORTAL_BIN NEW_PORTAL_BIN [PATH ...]" >&2; exit 2; }
old=$1 new=$2
shift 2
paths=("${@:-/login}")
rounds=${ROUNDS:-5} secs=${SECS:-8} clients=${CLIENTS:-64}
command -v ab >/dev/null || { echo "needs ab: apt-get install apache2-utils" >&2; exit 2; }

data=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT

start() { # name binary port
  mkdir -p "$data/$1"
  export DATABASE_URL="sqlite://$data/$1/portal.db" LEPTOS_SITE_ADDR="127.0.0.1:$3" LEPTOS_SITE_ROOT=target/site
  export PORTAL_IP_LIMIT=0 RUST_LOG=warn PORTAL_DATA_DIR="$data/$1"
  "$2" demo >/dev/null 2>&1
  "$2" serve 2>"$data/$1/server.log" &
  pids+=($!)
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$3/healthz" >/dev/null && return; sleep 0.1; done
  echo "the $1 server did not start; its log:" >&2
  cat "$data/$1/server.log" >&2
  exit 1
}
start old "$old" 3210
start new "$new" 3211

rate() { # port path
  timeout $((secs + 20)) ab -q -k -c "$clients" -t "$secs" -n 10000000 -H "Accept: text/html" \
    "http://127.0.0.1:$1$2" 2>/dev/null | awk '/^Requests per second/ { printf "%.0f", $4 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

echo "machine: $(nproc) cores, $(uname -sr); $(date -u +%F); $clients clients, $secs s a run, $rounds rounds"
for path in "${paths[@]}"; do
  # Both render the page once before counting.
  curl -fs -o /dev/null "http://127.0.0.1:3210$path"; curl -fs -o /dev/null "http://127.0.0.1:3211$path"
  printf '| %s | old /s | new /s |\n|---|---|---|\n' "$path"
  : >"$data/old.rates"; : >"$data/new.rates"
  for r in $(seq "$rounds"); do
    # Alternate which goes first, so neither always follows the other's heat.
    if [ $((r % 2)) = 1 ]; then o=$(rate 3210 "$path"); n=$(rate 3211 "$path"); else n=$(rate 3211 "$path"); o=$(rate 3210 "$path"); fi
    echo "$o" >>"$data/old.rates"; echo "$n" >>"$data/new.rates"
    printf '| round %s | %s | %s |\n' "$r" "$o" "$n"
  done
  mo=$(median <"$data/old.rates"); mn=$(median <"$data/new.rates")
  printf '| median | %s | %s (%s %%) |\n\n' "$mo" "$mn" "$(awk -v o="$mo" -v n="$mn" 'BEGIN { printf "%+.1f", (n - o) * 100 / o }')"
done
