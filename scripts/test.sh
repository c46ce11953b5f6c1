#!/usr/bin/env bash
# Command 2: set up what is missing and run every test: Rust unit and
# integration tests (each integration test on SQLite and on PostgreSQL), then
# the Playwright suite in Debian's Chromium against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*" >&2; }

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  step "installing Chromium from Debian (Playwright cannot download browsers here)"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q chromium
fi

export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! (echo > /dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  echo "PostgreSQL is not answering at 127.0.0.1:5432; the PostgreSQL half of the tests needs it (TEST_POSTGRES_URL)." >&2
  exit 1
fi

scripts/setup.sh

step "Rust unit and integration tests (SQLite and PostgreSQL)"
cargo test -p app -p server --features app/ssr

step "Playwright (desktop and mobile, JavaScript on and off, axe)"
cd end2end
npx playwright test
