#!/usr/bin/env bash
# Re-runs the benchmarks and rewrites BENCHMARKS.md. Every figure is measured
# against a baseline in the same run, because these machines are noisy.
#   SPRIDA_BENCH_SECONDS  seconds per measurement (default 10)
#   SPRIDA_BENCH_CLIENTS  concurrent clients (default 64)
#   SPRIDA_BENCH_ONLY=first-load  measures the first load alone and rewrites
#                         only that section of BENCHMARKS.md (five minutes
#                         instead of twenty-five, after a front-end change)
#   SPRIDA_BENCH_ONLY=redirect  the tracked-link redirect section alone
#                         (throughput, latency, wrk, PostgreSQL, crash test)
#   SPRIDA_BENCH_ONLY=points  what paying points touches: the redirect
#                         section and the leaderboard and live fan-out one
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
export CARGO_INCREMENTAL=0

# The code measured is the code built now (this file's own output aside).
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -n "$(git status --porcelain --untracked-files=no -- . ':!BENCHMARKS.md' 2>/dev/null)" ] \
  && commit="$commit plus uncommitted changes"

# The binary measured is the one that ships: scripts/release.sh's.
say "Building the release and the benchmark programs (~15 minutes the first time)"
# SPRIDA_BENCH_REUSE=1 measures the dist/sprida already built (after a run
# stopped half way, say); otherwise it is built afresh.
[ "${SPRIDA_BENCH_REUSE:-}" = 1 ] && [ -x "$ROOT/dist/sprida" ] || bash "$ROOT/scripts/release.sh"
first_load_section() {
  say "First load: bytes over the wire, against an empty Leptos app built the same way" >&2
  ensure_wasm_opt >&2
  cargo leptos build --project empty --release --precompress --frontend-only >/dev/null
  bash "$ROOT/scripts/first-load.sh" "$ROOT/dist/sprida" "$ROOT/target/empty-site"
}

# Replaces one "# NAME" section of BENCHMARKS.md with STAMP and CONTENT;
# the others stay as the last full run left them.
rewrite_section() {
  NAME="$1" STAMP="$2" CONTENT="$3" python3 - <<'PY'
import os
text = open("BENCHMARKS.md").read()
head = "# " + os.environ["NAME"] + "\n"
start = text.index(head)
end = text.find("\n# ", start + 1)
end = len(text) if end < 0 else end
section = head + "\n" + os.environ["STAMP"] + "\n\n" + os.environ["CONTENT"] + "\n"
open("BENCHMARKS.md", "w").write(text[:start] + section + text[end:])
PY
}

if [ "${SPRIDA_BENCH_ONLY:-}" = first-load ]; then
  first_load="$(first_load_section)"
  rewrite_section "First load" \
    "Re-measured alone (\`SPRIDA_BENCH_ONLY=first-load\`) on $(date -u +%Y-%m-%d) at commit $commit." \
    "$first_load"
  say "Rewrote the first-load section of BENCHMARKS.md ($(elapsed))"
  exit 0
fi

cargo build --release -p server --features embed-site --example bench_redirect --example bench_live
BIN="$CARGO_TARGET_DIR/release"

say "Tracked-link redirect: throughput, latency and the SIGKILL crash test"
command -v wrk >/dev/null || apt_install wrk
SPRIDA_BENCH_PG="$(start_postgres)"
result="$("$BIN/examples/bench_redirect" --sprida "$ROOT/dist/sprida" --postgres "$SPRIDA_BENCH_PG" \
  --seconds "${SPRIDA_BENCH_SECONDS:-10}" --concurrency "${SPRIDA_BENCH_CLIENTS:-64}")"

# SPRIDA_BENCH_ONLY=redirect: after a change on the click path, only this
# section is measured again (about fifteen minutes) and rewritten.
only="${SPRIDA_BENCH_ONLY:-}"
if [ "$only" = redirect ] || [ "$only" = points ]; then
  rewrite_section "Tracked-link redirect" \
    "Re-measured alone (\`SPRIDA_BENCH_ONLY=$only\`) on $(date -u +%Y-%m-%d) at commit $commit." \
    "$result"
  if [ "$only" = points ]; then
    say "Leaderboard query and live fan-out"
    live="$("$BIN/examples/bench_live")"
    rewrite_section "Leaderboard and live updates" \
      "Re-measured alone (\`SPRIDA_BENCH_ONLY=points\`) on $(date -u +%Y-%m-%d) at commit $commit." \
      "$live"
  fi
  say "Rewrote the sections of BENCHMARKS.md that $only touches ($(elapsed))"
  exit 0
fi

first_load="$(first_load_section)"

say "Company scale: 10,000 live streams and 200 employees at work, with the server's memory"
scale="$("$BIN/examples/bench_redirect" --sprida "$ROOT/dist/sprida" scale)"

say "Leaderboard query and live fan-out"
live="$("$BIN/examples/bench_live")"

cpu="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
mem="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)"
{
  echo "# Benchmarks"
  echo
  echo "Produced by \`scripts/bench.sh\` on $(date -u +%Y-%m-%d) at commit $commit;"
  echo "machine: $(nproc) cores${cpu:+ ($cpu)}, ${mem}. Re-run it to get your own figures:"
  echo "absolute numbers depend on the machine, the ratios against the baseline much less."
  echo
  echo "The load generator runs on the same machine as the servers (sharing its cores),"
  echo "and both servers are separate processes built with the same optimised profile"
  echo "(\`release\`; Sprida is the binary \`scripts/release.sh\` builds). Sprida runs on SQLite,"
  echo "its default: a redirect is answered once its click is in the click journal."
  echo
  echo "# First load"
  echo
  echo "$first_load"
  echo
  echo "# Tracked-link redirect"
  echo
  echo "$result"
  echo
  echo "# Company scale"
  echo
  echo "$scale"
  echo
  echo "# Leaderboard and live updates"
  echo
  echo "$live"
} > BENCHMARKS.md
say "Wrote BENCHMARKS.md ($(elapsed))"
