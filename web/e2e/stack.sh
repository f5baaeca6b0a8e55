#!/usr/bin/env bash
# Starts the real stack for the browser tests, runs a command against it, stops it:
#
#   web/e2e/stack.sh npx playwright test
#
# PostgreSQL and Redis (scripts/lib/services.sh), a fresh database, a test SMTP inbox (aiosmtpd
# writing a maildir), the api and the worker (debug builds, offline AI), and nginx with the
# production templates of compose/nginx serving web/dist (build it first) with /api/ proxied to
# the api — all on free loopback ports.
# The command gets E2E_BASE_URL, E2E_MAILDIR and E2E_DATABASE_URL. Every process is stopped by
# PID and the database dropped on exit; E2E_KEEP=1 keeps the work directory (logs) for a look.
set -euo pipefail

WEB=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$WEB/.." && pwd)
# shellcheck source-path=SCRIPTDIR/../..
source "$ROOT/scripts/lib/services.sh"
# shellcheck source-path=SCRIPTDIR/../..
source "$ROOT/scripts/lib/web.sh"

[ -f "$WEB/dist/index.html" ] || _resee_fail "web/dist is missing: run npm run build in web/ first"
resee_ensure_rust
resee_ensure_services
resee_ensure_venv
resee_ensure_nginx

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/resee/target}"
_resee_log "building resee-api and resee-worker (debug)"
(cd "$ROOT" && SQLX_OFFLINE=true cargo build --quiet -p resee-api -p resee-worker --locked)
API_BIN="$CARGO_TARGET_DIR/debug/resee-api"
WORKER_BIN="$CARGO_TARGET_DIR/debug/resee-worker"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/resee-e2e.XXXXXX")
DB="resee_e2e_$$"
PREFIX="resee-e2e-$$"
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    resee_drop_db "$DB" 2>/dev/null || true
    redis-cli -u "$REDIS_URL" --scan --pattern "$PREFIX:*" 2>/dev/null \
        | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
    if [ "${E2E_KEEP:-}" = 1 ]; then
        _resee_log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

free_port() {
    "$RESEE_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until `curl` gets a 2xx from $2, or fails naming $1 and its log.
wait_for() {
    local name=$1 url=$2 log=$3 i
    for i in $(seq 1 300); do
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        sleep 0.2
    done
    tail -n 40 "$log" >&2 || true
    _resee_fail "$name did not come up at $url (log above: $log)"
}

API_PORT=$(free_port)
WEB_PORT=$(free_port)
SMTP_PORT=$(free_port)
METRICS_PORT=$(free_port)
BASE_URL="http://127.0.0.1:$WEB_PORT"

resee_create_db "$DB"
export DATABASE_URL
DATABASE_URL="$(resee_db_url "$DB")"

export APP_ENV=development RUST_LOG="${RUST_LOG:-info}"
export BIND_ADDR="127.0.0.1:$API_PORT" PUBLIC_URL="$BASE_URL"
export REDIS_URL REDIS_KEY_PREFIX="$PREFIX"
export JWT_SECRET="e2e-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export ENFORCE_EMAIL_VERIFICATION=true TRUSTED_PROXIES=127.0.0.1/32
# The tests sign in and register many times a minute from one address.
export RATE_LIMIT_LOGIN=1000/min RATE_LIMIT_REGISTER=1000/min RATE_LIMIT_EMAIL=1000/min \
    RATE_LIMIT_ANON=100000/hour RATE_LIMIT_USER=100000/hour
export SMTP_HOST=127.0.0.1 SMTP_PORT SMTP_TLS=none MAIL_FROM='Resee <no-reply@resee.test>'
export METRICS_ADDR="127.0.0.1:$METRICS_PORT" AI_PROVIDER=offline BACKUP_SCHEDULE=
unset DATABASE_URL_FILE REDIS_URL_FILE SMTP_URL

MAILDIR="$WORK/mail"
mkdir -p "$MAILDIR"/{tmp,new,cur}
"$RESEE_PYTHON" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
    >"$WORK/smtp.log" 2>&1 &
PIDS+=($!)

"$API_BIN" migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
"$API_BIN" serve >"$WORK/api.log" 2>&1 &
PIDS+=($!)
"$WORKER_BIN" run >"$WORK/worker.log" 2>&1 &
PIDS+=($!)

# The production nginx templates (compose/nginx), rendered the way the web image does, with
# rate limits the tests cannot hit.
conf=$("$RESEE_PYTHON" "$ROOT/compose/tests/nginx_harness.py" render "$WORK/nginx" \
    NGINX_LISTEN="127.0.0.1:$WEB_PORT" WEB_ROOT="$WEB/dist" API_UPSTREAM="http://127.0.0.1:$API_PORT" \
    NGINX_RATE_API=1000r/s NGINX_BURST_API=1000 NGINX_RATE_AUTH=1000r/m NGINX_BURST_AUTH=1000 \
    NGINX_ACCESS_LOG="$WORK/nginx/access.log")
"$RESEE_NGINX" -c "$conf" -p "$WORK/nginx/" -e "$WORK/nginx/error.log" >"$WORK/nginx.log" 2>&1 &
PIDS+=($!)

wait_for api "http://127.0.0.1:$API_PORT/api/health/ready/" "$WORK/api.log"
wait_for worker "http://127.0.0.1:$METRICS_PORT/healthz" "$WORK/worker.log"
wait_for nginx "$BASE_URL/" "$WORK/nginx/error.log"
_resee_log "stack up: $BASE_URL (api :$API_PORT, smtp :$SMTP_PORT, logs in $WORK)"

export E2E_BASE_URL="$BASE_URL" E2E_MAILDIR="$MAILDIR/new" E2E_DATABASE_URL="$DATABASE_URL"
status=0
(cd "$WEB" && "$@") || status=$?
if [ "$status" -ne 0 ]; then
    for log in api worker; do
        _resee_log "last lines of $log.log"
        tail -n 30 "$WORK/$log.log" >&2 || true
    done
fi
exit "$status"
