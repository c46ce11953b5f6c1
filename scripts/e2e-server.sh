#!/usr/bin/env bash
# The server Playwright tests against: the release build, a fresh SQLite
# database with the demo data, on 127.0.0.1:$E2E_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
data="$PWD/end2end/.data"
rm -rf "$data" && mkdir -p "$data"
export DATABASE_URL="sqlite://$data/portal.db"
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3100}"
# Links in emails, and the Origin a browser without fetch metadata must send.
export PORTAL_PUBLIC_URL="http://$LEPTOS_SITE_ADDR"
export LEPTOS_SITE_ROOT="target/site"
# Both projects and both JavaScript modes sign in from 127.0.0.1; the per-IP
# limit has its own Rust test.
export PORTAL_IP_LIMIT=1000
target/release/portal demo 2>>"$data/server.log"
# Logs go to a file beside the database (Playwright prints only its own report).
exec target/release/portal serve 2>>"$data/server.log"
