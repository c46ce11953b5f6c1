#!/usr/bin/env bash
# Fuzzes the parsers the browser and the server share (fuzz/fuzz_targets/)
# for FUZZ_SECS seconds (default 30; FUZZ_SEED, default 1, so that a CI run
# explores the same inputs as the last green one did: set another seed, or
# FUZZ_SEED=0 for a random one, to look further) with cargo-fuzz in its stable-Rust mode
# (`-s none`: libFuzzer's coverage guidance without sanitizers, which need
# nightly). Installs cargo-fuzz when missing; `--build-only` builds the target
# and stops. A crash leaves its input under
# fuzz/artifacts/parsers/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo fuzz --version >/dev/null 2>&1; then
  printf '\n== installing cargo-fuzz (about 3 minutes, once per machine)\n' >&2
  scripts/tool-install.sh cargo-fuzz --version 0.13.2 --locked
fi
mkdir -p fuzz/corpus/parsers
printf '19800229' > fuzz/corpus/parsers/dob
printf '(217) 555-0101' > fuzz/corpus/parsers/phone
printf 'Alice@Example.com' > fuzz/corpus/parsers/username
printf '12 345' > fuzz/corpus/parsers/code
# --build-only: build the target and stop (the test command builds it while the
# Rust tests run); the run below then finds it built.
if [ "${1:-}" = --build-only ]; then
  exec cargo fuzz build parsers --sanitizer none --fuzz-dir fuzz
fi
cargo fuzz run parsers --sanitizer none --fuzz-dir fuzz -- -max_total_time="${FUZZ_SECS:-30}" -max_len=256 -seed="${FUZZ_SEED:-1}"
