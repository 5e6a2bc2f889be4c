#!/usr/bin/env bash
# Runs every test: format and lint checks, unit tests, integration tests on
# SQLite and PostgreSQL, and end-to-end tests in real Chromium. Installs and
# starts what it needs (Rust tools, Chromium, PostgreSQL, Node packages).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# Incremental caches are kept per checkout path: useless for a fresh clone,
# and they would fill the disk run after run.
export CARGO_INCREMENTAL=0
trim_target_dir
ensure_rust_tools
ensure_test_tools

say "cargo fmt --check"
cargo fmt --all -- --check

say "clippy (server build and browser build)"
cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

say "Starting PostgreSQL"
SPRIDA_TEST_PG_URL="$(start_postgres)"
export SPRIDA_TEST_PG_URL

say "Unit and integration tests (SQLite and PostgreSQL)"
cargo test -p app -p server --features app/ssr

# The suite runs against the binary a company deploys, so that a broken
# optimiser or a missing embedded file can never ship (end2end/tests/release.spec.ts).
say "Building the release binary for the end-to-end tests"
bash "$ROOT/scripts/release.sh"

say "End-to-end tests in Chromium"
export E2E_DIR="$(mktemp -d)"
export SPRIDA_E2E_PORT="${SPRIDA_E2E_PORT:-3100}"
export SPRIDA_E2E_URL="http://127.0.0.1:$SPRIDA_E2E_PORT"
export SPRIDA_BIN="$ROOT/dist/sprida"
# The TV test stops and starts the server with this, to see the screen recover.
export SPRIDA_E2E_SERVER="$ROOT/scripts/e2e-server.sh"
cleanup() { "$ROOT/scripts/e2e-server.sh" stop || true; rm -rf "$E2E_DIR"; }
trap cleanup EXIT
"$ROOT/scripts/e2e-server.sh" start
(cd end2end && npx playwright test) || { echo "--- server log ---"; tail -50 "$E2E_DIR/server.log"; exit 1; }

say "All tests passed in $(elapsed)"
