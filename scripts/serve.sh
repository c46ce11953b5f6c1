#!/usr/bin/env bash
# Command 1: set up what is missing, build, load the demo data into SQLite
# (./data/portal.db) and serve at http://127.0.0.1:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
target/release/portal demo
exec target/release/portal serve
