#!/usr/bin/env bash
# Starts, stops or restarts the server the end-to-end tests run against
# (the TV test restarts it to prove screens recover by themselves).
# Needs E2E_DIR (data and log), SPRIDA_E2E_PORT and SPRIDA_BIN.
set -euo pipefail
: "${E2E_DIR:?}" "${SPRIDA_E2E_PORT:?}" "${SPRIDA_BIN:?}"
PIDFILE="$E2E_DIR/server.pid"
URL="http://127.0.0.1:$SPRIDA_E2E_PORT"

start() {
  # Another server on the port would answer the health check in our place.
  if curl -fs "$URL/healthz" >/dev/null 2>&1; then
    echo "something already answers on $URL: stop it first" >&2
    return 1
  fi
  # From an empty directory: a release binary needs nothing beside it. A
  # debug one is given the site folder (SPRIDA_E2E_SITE_ROOT).
  mkdir -p "$E2E_DIR/run"
  (cd "$E2E_DIR/run" && exec env SPRIDA_ADDR="127.0.0.1:$SPRIDA_E2E_PORT" \
    SPRIDA_DATA_DIR="$E2E_DIR/data" SPRIDA_LOG=warn SPRIDA_DEMO=true SPRIDA_DEMO_HISTORY=false \
    ${SPRIDA_E2E_SITE_ROOT:+LEPTOS_SITE_ROOT="$SPRIDA_E2E_SITE_ROOT"} \
    setsid "$SPRIDA_BIN" >>"$E2E_DIR/server.log" 2>&1 < /dev/null) &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 120); do
    if curl -fs "$URL/healthz" >/dev/null 2>&1 && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then tail -50 "$E2E_DIR/server.log"; return 1; fi
    sleep 0.25
  done
  echo "the server did not answer within 30 s" >&2
  return 1
}

stop() {
  [ -f "$PIDFILE" ] || return 0
  local pid
  pid="$(cat "$PIDFILE")"
  kill "$pid" 2>/dev/null || true
  # A graceful shutdown ends open event streams first; give it 10 s.
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; return 0; }
    sleep 0.25
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop|restart" >&2; exit 2 ;;
esac
