#!/usr/bin/env bash
# Builds Sprida and runs it at http://127.0.0.1:3000 on SQLite under ./data/
# (created, migrated and seeded with a demo organisation on first start:
# run.sh asks for the demo, a production start does not; SPRIDA_DEMO=false
# here starts without it).
# Installs the build tools it lacks first; on a warm machine it installs nothing.
# Settings: environment variables, see README.md (e.g. SPRIDA_ADDR, DATABASE_URL).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_rust_tools
say "Building Sprida (first build about 5-10 minutes, later ones much less)"
cargo leptos build --project sprida --split
say "Built in $(elapsed); starting"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
export SPRIDA_DEMO="${SPRIDA_DEMO:-true}"
exec "$CARGO_TARGET_DIR/debug/sprida" "$@"
