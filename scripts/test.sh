#!/usr/bin/env bash
# Command 2: set up what is missing and run every test: Rust unit and
# integration tests (each integration test on SQLite and on PostgreSQL), then
# the Playwright suite in Debian's Chromium against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s (%s)\n' "$*" "$(date +%T)" >&2; }

# Builds and test binaries take several GB; say how much room there is, so a
# failure while linking (a bus error when the disk fills) can be told apart.
avail_kb=$(df -Pk . | awk 'NR==2 {print $4}')
printf 'disk: %s GB free where the build goes\n' "$((avail_kb / 1024 / 1024))" >&2
if [ "$avail_kb" -lt $((10 * 1024 * 1024)) ]; then
  echo "warning: under 10 GB free; the build and the tests may run out of disk" >&2
fi

# Debian's Chromium and nginx install while the tools and the release build
# (scripts/setup.sh) take the cores: apt mostly waits on the network and disk
# (an apt-get of the set-up's waits for the other's lock).
mkdir -p target/setup-logs
scripts/debian-packages.sh > target/setup-logs/debian-packages.log 2>&1 &
debian_packages=$!

export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! (echo > /dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  echo "PostgreSQL is not answering at 127.0.0.1:5432; the PostgreSQL half of the tests needs it (TEST_POSTGRES_URL)." >&2
  exit 1
fi

# Each PostgreSQL test makes a database of its own; drop those left by
# earlier runs (and by this one, on exit) so that they don't fill the disk.
drop_test_databases() {
  command -v psql >/dev/null || return 0
  psql "$TEST_POSTGRES_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'portal\_test\_%'" 2>/dev/null |
    while read -r db; do psql "$TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
}
drop_test_databases
trap drop_test_databases EXIT

PORTAL_SETUP_FUZZ=1 scripts/setup.sh
if ! wait "$debian_packages"; then
  cat target/setup-logs/debian-packages.log >&2
  exit 1
fi

# The delivery tests send email to a real SMTP server on loopback: aiosmtpd, from PyPI.
venv=target/smtp-sink-venv
if ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
  step "installing aiosmtpd (the tests' SMTP server) into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'aiosmtpd==1.4.6'
fi
export SMTP_SINK_PYTHON="$PWD/$venv/bin/python"

step "Rust unit and integration tests (SQLite and PostgreSQL)"
cargo test -p app -p server --features app/ssr --no-run
# The tests run one at a time and leave a core idle: the fuzz target (its own
# workspace and target directory, fuzz/target) builds on it meanwhile, about
# 4.5 minutes that would otherwise come after them.
fuzz_build_log=target/setup-logs/fuzz-build.log
nice -n 10 scripts/fuzz.sh --build-only > "$fuzz_build_log" 2>&1 &
fuzz_build=$!
trap 'kill "$fuzz_build" 2>/dev/null || true; drop_test_databases' EXIT
# One test at a time within each test binary: several Tokio runtimes serving
# Leptos pages side by side in one process stall a render now and then (the
# server runs one runtime; see the README).
cargo test -p app -p server --features app/ssr -- --test-threads=1
if ! wait "$fuzz_build"; then
  printf '\n== building the fuzz target failed; its log:\n' >&2
  cat "$fuzz_build_log" >&2
  exit 1
fi

step "fuzzing the shared parsers for ${FUZZ_SECS:-30} s"
scripts/fuzz.sh

step "Playwright (desktop and mobile, JavaScript on and off, axe)"
cd end2end
npx playwright test

step "no secret of the browser tests in the server's log"
node check-logs.mjs
