#!/usr/bin/env bash
# `cargo install` for the developer tools (wasm-bindgen-cli, cargo-leptos,
# cargo-fuzz). They need no speed of their own: unoptimised (opt-level 0, no
# LTO, 16 codegen units, no debug info) and linked against the system's
# OpenSSL instead of building it from source. On 2 cores cargo-leptos then
# installs in about 6 minutes instead of 14-16 at opt-level 1 and 20-25 as
# published, and its own share of a build (splitting the wasm) takes 1 s
# instead of 0.25 (README, "First run").
set -euo pipefail
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL="${TOOL_OPT_LEVEL:-0}" CARGO_PROFILE_RELEASE_DEBUG=false OPENSSL_NO_VENDOR=1
exec cargo install "$@"
