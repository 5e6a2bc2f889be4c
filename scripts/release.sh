#!/usr/bin/env bash
# Builds the release binary: the WASM optimised (opt-level z, LTO, wasm-opt),
# every site file precompressed (brotli and gzip) and compiled into the
# binary, which is then all there is to deploy. Writes dist/sprida.
# About 10 minutes on two cores from cold, a few when only app code changed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_rust_tools
ensure_wasm_opt
say "Building the release (WASM, site, server)"
# The site to embed, by absolute path: see server/build.rs.
export SPRIDA_SITE_DIR="$ROOT/target/site"
cargo leptos build --project sprida --release --precompress --split --bin-features embed-site
mkdir -p dist
cp "$CARGO_TARGET_DIR/release/sprida" dist/sprida
say "Built dist/sprida ($(du -h dist/sprida | cut -f1)) in $(elapsed); run it from anywhere: ./dist/sprida --help"
