#!/usr/bin/env bash
# Runs Resee locally: ./scripts/run.sh
#
# Installs and starts what is missing (Rust, PostgreSQL, Redis; see scripts/lib/services.sh),
# creates the database "resee", writes .env from .env.example on first run (random JWT_SECRET,
# development mode), builds the api and the worker in release mode, applies migrations, starts
# the worker (metrics on 127.0.0.1:9100) and serves the API on http://127.0.0.1:8000 (docs at
# /api/docs/). Ctrl-C stops both. Without SMTP settings the worker prints each email to its log.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/services.sh

resee_ensure_rust
resee_ensure_services
resee_create_db resee
db_url="$(resee_db_url resee)"
redis_url="$REDIS_URL"

random_hex() {
    if command -v openssl >/dev/null 2>&1; then
        openssl rand -hex 32
    else
        od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
        echo
    fi
}

if [ ! -f .env ]; then
    _resee_log "creating .env from .env.example (random JWT_SECRET, APP_ENV=development)"
    secret="$(random_hex)"
    umask_before="$(umask)"
    umask 077
    sed -E \
        -e "s|^JWT_SECRET=.*|JWT_SECRET=${secret}|" \
        -e 's|^APP_ENV=.*|APP_ENV=development|' \
        -e 's|^BIND_ADDR=.*|BIND_ADDR=127.0.0.1:8000|' \
        -e 's|^PUBLIC_URL=.*|PUBLIC_URL=http://127.0.0.1:8000|' \
        -e 's|^METRICS_ADDR=.*|METRICS_ADDR=127.0.0.1:9100|' \
        .env.example >.env
    umask "$umask_before"
fi

set -a
# shellcheck disable=SC1091
source ./.env
set +a
# The services found or started above win over whatever .env says.
export DATABASE_URL="$db_url" REDIS_URL="$redis_url"
unset DATABASE_URL_FILE REDIS_URL_FILE

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/resee/target}"
export SQLX_OFFLINE=true

_resee_log "building resee-api and resee-worker (release)"
cargo build --release -p resee-api -p resee-worker --locked

api="$CARGO_TARGET_DIR/release/resee-api"
worker="$CARGO_TARGET_DIR/release/resee-worker"
_resee_log "applying migrations"
"$api" migrate

"$worker" run &
worker_pid=$!
trap 'kill -TERM "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true' EXIT

bind="${BIND_ADDR:-127.0.0.1:8000}"
bind="${bind/#0.0.0.0:/127.0.0.1:}"
echo "Resee API on http://${bind} — docs at /api/docs/; worker metrics on ${METRICS_ADDR:-0.0.0.0:9100}"
"$api" serve
