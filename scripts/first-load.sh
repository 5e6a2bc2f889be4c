#!/usr/bin/env bash
# Prints (Markdown) the bytes a phone downloads on its first visit to the hub,
# brotli as a browser asks for it, against an empty Leptos app's WASM and JS
# built by the same pipeline; then a Lighthouse run of the hub with mobile
# throttling. Usage: first-load.sh SPRIDA_BINARY EMPTY_SITE_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
binary="$1"
empty="$2"
work="$(mktemp -d)"
port=3390
url="http://127.0.0.1:$port"
(cd "$work" && SPRIDA_ADDR="127.0.0.1:$port" SPRIDA_DATA_DIR="$work/data" SPRIDA_LOG=error \
  exec "$binary" >/dev/null 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs "$url/healthz" >/dev/null && break; sleep 0.25; done

jar="$work/cookies"
curl -fs -c "$jar" -o /dev/null -H 'accept: application/json' \
  --data-urlencode "email=employee@demo.sprida.local" --data-urlencode "password=sprida-demo" \
  "$url/api/sign_in"
# Bytes as sent: curl does not decode, so size_download is what crossed the wire.
wire() { curl -fs -b "$jar" -o /dev/null -H 'accept-encoding: gzip, deflate, br' -w '%{size_download}' "$url$1"; }
html="$(wire /hub)"
assets="$(curl -fs -b "$jar" "$url/hub" | grep -o '/pkg/sprida\.[0-9a-f]*\.[a-z]*' | sort -u)"
total=$html
rows=""
for a in $assets; do
  n="$(wire "$a")"
  total=$((total + n))
  rows="$rows| \`${a##*.}\` ($a) | $n |"$'\n'
done
base=0
for f in "$empty/pkg/sprida.wasm.br" "$empty/pkg/sprida.js.br"; do
  base=$((base + $(stat -c %s "$f")))
done
ratio="$(awk -v a="$total" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
echo "A first visit to the hub, signed in as an employee, with an empty cache:"
echo
echo "| file | bytes over the wire (brotli) |"
echo "|---|---:|"
echo "| HTML of /hub | $html |"
printf '%s' "$rows"
echo "| **total** | **$total** |"
echo
echo "An empty Leptos 0.8 app (\`scripts/empty-app\`: one component, hydrated) built by the same"
echo "pipeline (wasm-release profile, wasm-bindgen, wasm-opt 132, minified JS, brotli 11):"
echo "$base bytes of WASM and JS (its HTML not counted, which favours it)."
echo
echo "**Sprida / empty app = $ratio** (target: at most 3)."
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
