#!/usr/bin/env bash
# Loads the pages with lazy islands SOAK_ROUNDS times each (default 50) in both
# browser projects against the release build, and prints each visit whose page
# never came alive, with what the browser saw. Run after scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/../end2end"
exec npx playwright test -c soak.config.ts "$@"
