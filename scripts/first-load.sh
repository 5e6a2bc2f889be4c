#!/usr/bin/env bash
# Prints (Markdown) the bytes a phone downloads on its first visit to the hub,
# brotli as a browser asks for it, against the WASM and JS of the app
# `cargo leptos new` makes, built by the same pipeline; then a Lighthouse run of the hub with mobile
# throttling. Usage: first-load.sh SPRIDA_BINARY EMPTY_SITE_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
binary="$1"
empty="$2"
work="$(mktemp -d)"
port=3390
url="http://127.0.0.1:$port"
(cd "$work" && SPRIDA_ADDR="127.0.0.1:$port" SPRIDA_DATA_DIR="$work/data" SPRIDA_LOG=error SPRIDA_DEMO=true \
  exec "$binary" >/dev/null 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs "$url/healthz" >/dev/null && break; sleep 0.25; done

jar="$work/cookies"
curl -fs -c "$jar" -o /dev/null -H 'accept: application/json' \
  --data-urlencode "email=employee@demo.sprida.local" --data-urlencode "password=sprida-demo" \
  "$url/api/sign_in"
# In Chromium, as a phone would load it: the lazily loaded WASM pieces are
# fetched by the page's JS, which curl would not run.
node "$ROOT/scripts/first-load.mjs" "$url" >"$work/loaded.jsonl"
summary="$(node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const kind = (p) => p === "/hub" ? "HTML of /hub"
    : p.endsWith("/sprida.css") ? "CSS"
    : p.endsWith("/sprida.js") ? "JS (main module)"
    : p.endsWith("/sprida.wasm") ? "WASM (main module: runtime, shell)"
    : p.endsWith(".js") ? "JS (loader of the pieces)"
    : p.endsWith(".wasm") ? "WASM (the pieces the hub needs)"
    : "other " + p;
  const rows = new Map();
  for (const { path, bytes } of lines) {
    const r = rows.get(kind(path)) ?? { files: 0, bytes: 0 };
    r.files += 1; r.bytes += bytes; rows.set(kind(path), r);
  }
  let total = 0, files = 0;
  for (const [k, r] of rows) { console.log(`| ${k} | ${r.files} | ${r.bytes} |`); total += r.bytes; files += r.files; }
  console.log(`TOTAL ${files} ${total}`);
  // The main module (every page needs it): its WASM and JS.
  console.log(`MAIN ${lines.filter((l) => /\/sprida\.(wasm|js)$/.test(l.path)).reduce((a, l) => a + l.bytes, 0)}`);
' "$work/loaded.jsonl")"
rows="$(grep -v '^TOTAL\|^MAIN' <<<"$summary")"
read -r _ files total <<<"$(grep '^TOTAL' <<<"$summary")"
read -r _ main <<<"$(grep '^MAIN' <<<"$summary")"
base=0
for f in "$empty/pkg/sprida.wasm.br" "$empty/pkg/sprida.js.br"; do
  base=$((base + $(stat -c %s "$f")))
done
ratio="$(awk -v a="$total" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
echo "A first visit to the hub in Chromium, signed in as an employee, with an empty cache"
echo "(bytes of each response body as received, brotli; the page's data requests and icons not counted):"
echo
echo "| what | files | bytes over the wire |"
echo "|---|---:|---:|"
echo "$rows"
echo "| **total** | **$files** | **$total** |"
echo
echo "The baseline is the front end of the app \`cargo leptos new\` generates (start-axum: a router"
echo "with one page, leptos_meta, a counter button; \`scripts/empty-app\`), built by the same"
echo "pipeline (wasm-release profile, wasm-bindgen, wasm-opt 132, minified JS, brotli 11):"
echo "$base bytes of WASM and JS (its HTML and CSS not counted, which favours it)."
echo
echo "**Sprida / empty app = $ratio** (target: at most 3)."
echo
# What is left once the other pages are split off: the main module (the
# runtime, router, shell, i18n and session) alone, against the same baseline.
echo "The main module alone (WASM and JS, every page needs it): $main bytes, $(awk -v a="$main" -v b="$base" 'BEGIN { printf "%.2f", a / b }')× the empty app."
echo

# Lighthouse 12.2.3 (npm; it runs on this machine's Node 20) with its default
# mobile emulation and simulated slow-4G throttling.
# The session cookie from curl's jar (HttpOnly ones are on "#HttpOnly_" lines).
cookie="$(awk -F'\t' 'NF >= 7 { print $6 "=" $7 }' "$jar" | head -1)"
report="$work/lighthouse.json"
if CHROME_PATH=/usr/bin/chromium npx --yes lighthouse@12.2.3 "$url/hub" --quiet \
    --only-categories=performance --output=json --output-path="$report" \
    --extra-headers="{\"Cookie\": \"$cookie\"}" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1; then
  node -e '
    const r = require(process.argv[1]);
    const a = r.audits;
    console.log(`Lighthouse ${r.lighthouseVersion} on /hub (mobile, simulated throttling): ` +
      `**performance ${Math.round(r.categories.performance.score * 100)}** (target: at least 90), ` +
      `LCP ${(a["largest-contentful-paint"].numericValue / 1000).toFixed(2)} s, ` +
      `TBT ${Math.round(a["total-blocking-time"].numericValue)} ms, ` +
      `FCP ${(a["first-contentful-paint"].numericValue / 1000).toFixed(2)} s.`);
  ' "$report"
else
  echo "Lighthouse did not run (npx lighthouse@12.2.3 failed)."
fi
