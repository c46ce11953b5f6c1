#!/usr/bin/env bash
# Installs Debian's Chromium when missing (Playwright cannot download
# browsers here); scripts/test.sh and bench/run.sh use it.
set -euo pipefail
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  printf '\n== %s\n' "installing Chromium from Debian" >&2
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q chromium
fi
