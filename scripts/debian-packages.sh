#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks run that are missing:
# Chromium (Playwright cannot download browsers here) and nginx (the proxy
# in front of three instances in the proxy test). scripts/test.sh and
# bench/run.sh call it.
set -euo pipefail
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  printf '\n== installing %s from Debian\n' "${missing[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 update -q
  # No service starts from the install: nginx's would listen on every
  # address on port 80; the tests start their own on loopback.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee "$policy" >/dev/null
    $sudo_cmd chmod 755 "$policy"
    trap '$sudo_cmd rm -f "$policy"' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}"
fi
