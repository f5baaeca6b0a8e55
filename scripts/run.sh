#!/usr/bin/env bash
# Runs Resee locally: ./scripts/run.sh
#
# Installs and starts what is missing (Rust, PostgreSQL, Redis, Node.js, nginx; see
# scripts/lib/services.sh and scripts/lib/web.sh), creates the database "resee", writes .env from
# .env.example on first run (random JWT_SECRET, development mode), builds the api and the worker
# in release mode and the web app, applies migrations, starts the worker (metrics on
# 127.0.0.1:9100), nginx with the web app on http://127.0.0.1:${WEB_PORT:-8080} (/api/ proxied)
# and the API on http://127.0.0.1:8000 (docs at /api/docs/). Ctrl-C stops all three. Without
# SMTP settings the worker prints each email to its log.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/services.sh
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/web.sh

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
        -e "s|^PUBLIC_URL=.*|PUBLIC_URL=http://127.0.0.1:${WEB_PORT:-8080}|" \
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

bind="${BIND_ADDR:-127.0.0.1:8000}"
bind="${bind/#0.0.0.0:/127.0.0.1:}"
web_port="${WEB_PORT:-8080}"
resee_ensure_node
resee_ensure_nginx
_resee_log "building the web app"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build) >&2
# The production nginx templates (compose/nginx), rendered the way the web image does.
command -v python3 >/dev/null 2>&1 || _resee_apt_install python3
nginx_dir="${HOME:-/tmp}/.cache/resee/nginx"
rm -rf "$nginx_dir"
nginx_conf=$(python3 compose/tests/nginx_harness.py render "$nginx_dir" NGINX_LISTEN="127.0.0.1:$web_port" \
    WEB_ROOT="$PWD/web/dist" API_UPSTREAM="http://$bind" NGINX_ACCESS_LOG="$nginx_dir/access.log")

pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true' EXIT
"$worker" run &
pids+=($!)
"$RESEE_NGINX" -c "$nginx_conf" -p "$nginx_dir/" -e "$nginx_dir/error.log" &
pids+=($!)

echo "Resee on http://127.0.0.1:${web_port} — API on http://${bind} (docs at /api/docs/); worker metrics on ${METRICS_ADDR:-0.0.0.0:9100}"
"$api" serve
