#!/usr/bin/env bash
# Lighthouse (npm, bench/lighthouse/, its lockfile) in Debian's Chromium, its
# default mobile profile (simulated slow 4G, 4x slower CPU), on the patient
# pages: the public ones, the emailed links (/reset/{token}, /register/{token},
# taken from the development outbox) and the signed-in ones (/, /charts/{id},
# /settings, with Alice's session cookie). Prints performance,
# accessibility, best practices, total blocking time and time to
# interactive, the median of RUNS runs each (default 2). Starts the release
# server on a fresh SQLite database with the demo data on 127.0.0.1:3220;
# loopback only; the server is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
scripts/debian-packages.sh
runs=${RUNS:-2}
lh=bench/lighthouse
if [ ! -x "$lh/node_modules/.bin/lighthouse" ] || [ "$lh/package-lock.json" -nt "$lh/node_modules/.package-lock.json" ]; then
  (cd "$lh" && npm ci --no-audit --no-fund >/dev/null)
fi

data=$(mktemp -d)
base=http://127.0.0.1:3220
export DATABASE_URL="sqlite://$data/portal.db" LEPTOS_SITE_ADDR=127.0.0.1:3220 LEPTOS_SITE_ROOT=target/site
export PORTAL_IP_LIMIT=0 RUST_LOG=warn PORTAL_DATA_DIR="$data" PORTAL_PUBLIC_URL=$base
target/release/portal demo >/dev/null 2>&1
target/release/portal serve 2>"$data/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

# A reset link for Alice and the demo's invitation, from the outbox.
curl -fs -o /dev/null -H 'Sec-Fetch-Site: same-origin' -H 'Accept: application/json' \
  --data-urlencode 'username=alice@example.com' "$base/api/forgot_password"
outbox=$(curl -fs "$base/dev/outbox")
link() { printf '%s' "$outbox" | grep -o "$base/$1/[A-Za-z0-9_-]*" | tail -1; }
reset=$(link reset) register=$(link register)
# Alice's session: signed-in pages are measured as she sees them.
session=$(curl -fs -o /dev/null -D - -H 'Sec-Fetch-Site: same-origin' -H 'Accept: application/json' \
  --data-urlencode 'username=alice@example.com' --data-urlencode 'password=Harbor-Lantern-73' "$base/api/login" |
  tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(portal_session=[^;]*\).*/\1/p' | head -1)
[ -n "$reset" ] && [ -n "$register" ] && [ -n "$session" ] || { echo "could not get a reset link, an invitation or a session" >&2; exit 1; }
chart=$(curl -fs -H "Cookie: $session" "$base/" | grep -o '/charts/[0-9]*' | head -1)

measure() { # label url [cookie]
  local out="$data/lh" headers='{}'
  [ -n "${3:-}" ] && headers="{\"Cookie\": \"$3\"}"
  for i in $(seq "$runs"); do
    "$lh/node_modules/.bin/lighthouse" "$2" --quiet --output=json --output-path="$out-$i.json" \
      --only-categories=performance,accessibility,best-practices --extra-headers="$headers" \
      --chrome-path=/usr/bin/chromium --chrome-flags='--headless=new --no-sandbox' >/dev/null 2>&1
  done
  node -e '
    const [label, ...files] = process.argv.slice(1);
    const runs = files.map((f) => JSON.parse(require("fs").readFileSync(f)));
    const median = (xs) => { xs.sort((a, b) => a - b); const m = xs.length >> 1; return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2; };
    const score = (c) => median(runs.map((r) => r.categories[c].score)).toFixed(2);
    const ms = (a) => Math.round(median(runs.map((r) => r.audits[a].numericValue)));
    const all = (c) => runs.map((r) => r.categories[c].score.toFixed(2)).join("–");
    console.log(`| ${label} | ${score("performance")} (${all("performance")}) | ${score("accessibility")} | ${score("best-practices")} | ${ms("total-blocking-time")} ms | ${(ms("interactive") / 1000).toFixed(1)} s |`);
  ' "$1" $(seq -f "$out-%g.json" "$runs")
}

echo "machine: $(nproc) cores, $(uname -sr); $(date -u +%F); Lighthouse $("$lh/node_modules/.bin/lighthouse" --version), mobile, $runs runs each (median)"
echo "| page | performance (each run) | accessibility | best practices | total blocking time | time to interactive |"
echo "|---|---|---|---|---|---|"
measure /login "$base/login"
measure /forgot-password "$base/forgot-password"
measure /forgot-username "$base/forgot-username"
measure '/reset/{token}' "$reset"
measure '/register/{token}' "$register"
measure '/ (signed in)' "$base/" "$session"
[ -n "$chart" ] && measure '/charts/{id}' "$base$chart" "$session"
measure /settings "$base/settings" "$session"
