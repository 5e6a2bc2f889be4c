# Shared by the scripts in this folder: where things live, and `ensure_*`
# helpers that install a tool only when it is missing or the wrong version.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
# Compiled dependencies are kept outside the checkout, so a fresh clone (CI
# clones anew every run) reuses them instead of compiling everything again.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sprida/target}"
CARGO_LEPTOS_VERSION="0.3.10"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
elapsed() { local s=$SECONDS; printf '%dm%02ds' $((s / 60)) $((s % 60)); }

wasm_bindgen_version() {
  # The CLI must match the library in Cargo.lock exactly.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust_tools() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target (seconds)"
    rustup target add wasm32-unknown-unknown
  fi
  if ! rustup component list --installed 2>/dev/null | grep -q '^clippy'; then
    rustup component add clippy rustfmt
  fi
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores, once per machine)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
  fi
  local wbg
  wbg="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ]; then
    say "Installing wasm-bindgen-cli $wbg (about 4 minutes, once per machine)"
    # Without --locked: its own lockfile names a crate version the registry lacks.
    cargo install wasm-bindgen-cli --version "=$wbg"
  fi
}

# The shared target directory collects artifacts of old versions; past a size
# it is cheaper to rebuild once than to run out of disk.
trim_target_dir() {
  local limit_gb="${SPRIDA_TARGET_LIMIT_GB:-40}" size_gb
  [ -d "$CARGO_TARGET_DIR" ] || return 0
  size_gb=$(( $(du -sk "$CARGO_TARGET_DIR" | cut -f1) / 1024 / 1024 ))
  if [ "$size_gb" -ge "$limit_gb" ]; then
    say "Build cache is ${size_gb} GB (limit ${limit_gb}); clearing it, the next build starts cold"
    rm -rf "$CARGO_TARGET_DIR"
  fi
}

APT_UPDATED=""
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "$APT_UPDATED" ]; then
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  say "Installing ${missing[*]} from the distribution (a minute or two, once)"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The release build's WASM optimiser. Debian's wasm-opt (binaryen 108)
# produces a module that never hydrates; npm's binaryen 132 (it runs on Node)
# works. It is a dev dependency of end2end/, so `npm ci` there installs it.
ensure_wasm_opt() {
  command -v npx >/dev/null || apt_install nodejs npm
  if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ]; then
    say "Installing the end-to-end and build packages (npm ci, seconds)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
  export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
  local version
  version="$(wasm-opt --version | awk '{print $3}')"
  if [ "$version" != "132" ]; then
    echo "wasm-opt on PATH is version $version, not 132: $(command -v wasm-opt)" >&2
    return 1
  fi
}

ensure_test_tools() {
  command -v chromium >/dev/null || apt_install chromium
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || apt_install postgresql
  # Node may come from elsewhere than Debian (with its own npm): look for the command.
  command -v npx >/dev/null || apt_install nodejs npm
  command -v curl >/dev/null || apt_install curl
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] || [ ! -d "$ROOT/end2end/node_modules/binaryen" ] \
    || [ ! -d "$ROOT/end2end/node_modules/@axe-core/playwright" ]; then
    say "Installing the end-to-end test packages (npm ci, seconds)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Starts the distribution's PostgreSQL and prints a URL for a superuser role
# the tests may create databases with.
start_postgres() {
  local version port
  version="$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)"
  if [ -z "$version" ]; then
    echo "PostgreSQL is not installed" >&2
    return 1
  fi
  # Only the URL may reach stdout: the caller captures it, and pg_ctlcluster
  # prints warnings there (which once turned the URL into garbage).
  {
    if ! pg_lsclusters -h 2>/dev/null | awk '{print $4}' | grep -q online; then
      pg_ctlcluster --skip-systemctl-redirect "$version" main start
    fi
    for _ in $(seq 1 30); do
      su postgres -c "pg_isready -q" 2>/dev/null && break
      sleep 1
    done
    su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='sprida_test'\"" | grep -q 1 ||
      su postgres -c "psql -qc \"CREATE ROLE sprida_test LOGIN SUPERUSER PASSWORD 'sprida_test'\""
  } >&2
  port="$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"
  echo "postgres://sprida_test:sprida_test@127.0.0.1:${port:-5432}/postgres"
}
