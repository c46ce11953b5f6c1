#!/usr/bin/env bash
# Installs what building the portal needs and is missing, then builds the
# release (server binary + wasm + CSS) with cargo-leptos. Idempotent; offline
# once the registries' packages are cached.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s (%s)\n' "$*" "$(date +%T)" >&2; }

# webauthn-rs (passkeys) links OpenSSL.
if ! pkg-config --exists openssl 2>/dev/null; then
  step "installing libssl-dev and pkg-config from Debian (OpenSSL for webauthn-rs)"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -q libssl-dev pkg-config
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The wasm-bindgen CLI must equal the crate version pinned in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
# The installs run side by side: cargo's builds leave a core idle in their
# long single-crate stretches, and npm mostly waits on the registry.
# Each one's output goes to target/setup-logs/ and is shown if it fails.
logs=target/setup-logs
mkdir -p "$logs"
pids=() names=()
background() {
  local name=$1; shift
  step "$name (in the background, log: $logs/$name.log)"
  ( "$@" ) >"$logs/$name.log" 2>&1 &
  pids+=("$!") names+=("$name")
}

if [ "$have" != "$want" ]; then
  background wasm-bindgen-cli scripts/tool-install.sh wasm-bindgen-cli --version "$want"
fi

# 0.3.10 is the newest cargo-leptos that builds with this Rust (0.3.11 needs
# 1.96). no_downloads: a tool it needs and doesn't find (wasm-opt) is an
# error, never a download at build time.
if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  background cargo-leptos scripts/tool-install.sh cargo-leptos@0.3.10 --locked --features no_downloads
fi

# The test command fuzzes the shared parsers (scripts/fuzz.sh).
if [ "${PORTAL_SETUP_FUZZ:-0}" = 1 ] && ! cargo fuzz --version >/dev/null 2>&1; then
  background cargo-fuzz scripts/tool-install.sh cargo-fuzz --version 0.13.2 --locked
fi

# npm: Playwright, axe, binaryen's wasm-opt (Debian's wasm-opt breaks
# hydration) and terser (the site's root scripts minified).
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  background npm-packages sh -c 'cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund'
fi

failed=0
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    printf '   %s done\n' "${names[$i]}" >&2
  else
    printf '\n== %s failed; its log:\n' "${names[$i]}" >&2
    cat "$logs/${names[$i]}.log" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] || exit 1

# --split: the lazy islands (the interactive part of every page but sign-in)
# become wasm chunks of their own, fetched when a page shows one.
step "building the release with cargo-leptos"
PATH="$PWD/end2end/node_modules/.bin:$PATH" cargo leptos build --release --split

# The scripts at the site's root (public/: passkeys.js, language.js, ES
# modules) go out minified: cargo-leptos copies them as they are.
step "minifying the site's root scripts (terser, from npm)"
for script in target/site/*.js; do
  end2end/node_modules/.bin/terser "$script" --module --compress --mangle --output "$script"
done

step "compressing the site's pkg files and root scripts (brotli, gzip) for ServeDir"
target/release/portal precompress
