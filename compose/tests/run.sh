#!/usr/bin/env bash
# Every test of the Docker Compose deployment (compose/, the Dockerfiles, the workflows, the
# CloudFormation stack), in a few minutes, without Docker:
#
#   compose/tests/run.sh
#
#   1. compose files: the Compose schema (check-jsonschema), then check_static.py: depends_on
#      targets, every ${VAR} documented in compose/.env.example, only nginx publishing ports,
#      health checks/limits, both Dockerfiles (BuildKit's parser), the .dockerignore files, the
#      CloudFormation template's rules
#   2. hadolint (Dockerfiles), actionlint (+ shellcheck of the run: blocks), shellcheck (scripts),
#      cfn-lint (compose/aws/resee.yaml)
#   3. update-cloudflare-ips.sh against a loopback server standing in for cloudflare.com
#   4. the Dockerfile's pg-client stage run in a Debian 12 root (debootstrap, chroot), then its
#      pg_dump bundle run in a chroot holding only what the runtime image has besides it (Debian
#      12's glibc and libgcc_s)
#   5. deploy.sh against a fake docker: happy path, rollbacks, fallbacks, refusals (deploy_test.sh)
#   6. the real nginx templates in front of the real api and worker and web/dist (stack_test.py)
#   7. the api, worker and operator binaries started in a chroot holding only glibc and libgcc_s
#
# Installs what is missing: the project's Python venv (scripts/requirements-test.txt: check-jsonschema,
# cfn-lint, actionlint, hadolint), shellcheck, nginx and debootstrap (apt), PostgreSQL/Redis
# (scripts/lib/services.sh), Node.js for a web build when web/dist is absent. Steps 4 and 7 need
# root (debootstrap, chroot, mount; compose/tests/pg-client-stage.sh keeps its Debian root in
# ~/.cache/resee/debian-bookworm-minbase.tar): as root or through sudo. Uses the debug builds of
# resee-api, resee-worker and resee-operator under $CARGO_TARGET_DIR, building them only when
# missing (COMPOSE_TEST_BUILD=0: never build; wait up to COMPOSE_TEST_WAIT_BINARIES seconds for
# another process to finish them).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# shellcheck source-path=SCRIPTDIR/../..
source scripts/lib/services.sh
# shellcheck source-path=SCRIPTDIR/../..
source scripts/lib/web.sh

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/resee/target}"
TESTS="$ROOT/compose/tests"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/resee-compose-tests.XXXXXX")
PIDS=()
DB=""
steps_passed=0
steps_failed=0
failed_names=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ -n "$DB" ]; then
        resee_drop_db "$DB" 2>/dev/null || true
    fi
    if [ "${COMPOSE_TEST_KEEP:-}" = 1 ]; then
        _resee_log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

banner() { printf '\n== compose: %s ==\n' "$*"; }

# step NAME COMMAND...: runs one step; a failure is counted and the next steps still run.
step() {
    local name=$1
    shift
    banner "$name"
    if "$@"; then
        steps_passed=$((steps_passed + 1))
    else
        steps_failed=$((steps_failed + 1))
        failed_names+=("$name")
        printf 'FAILED step: %s\n' "$name"
    fi
}

# --- tools ---------------------------------------------------------------------------------
resee_ensure_venv
VENV_BIN=$(dirname "$RESEE_PYTHON")
export PATH="$VENV_BIN:$PATH" RESEE_PYTHON
command -v shellcheck >/dev/null 2>&1 || _resee_apt_install shellcheck
resee_ensure_nginx
for tool in check-jsonschema cfn-lint actionlint hadolint shellcheck openssl git curl; do
    command -v "$tool" >/dev/null 2>&1 || _resee_fail "$tool is missing"
done

# --- 1. compose files and the static checks ----------------------------------------------------
schema() {
    check-jsonschema --builtin-schema vendor.compose-spec compose/docker-compose.yml compose/compose.dev.yml
}
step "compose files match the Compose specification" schema
step "static checks (compose, .env.example, Dockerfiles, .dockerignore, CloudFormation)" \
    "$RESEE_PYTHON" "$TESTS/check_static.py"

# --- 2. linters --------------------------------------------------------------------------------
step "hadolint: Dockerfile, web/Dockerfile" hadolint Dockerfile web/Dockerfile
step "actionlint (with shellcheck of run: blocks): .github/workflows" actionlint .github/workflows/*.yml

shell_scripts() {
    local own=(compose/deploy.sh compose/nginx/update-cloudflare-ips.sh compose/nginx/05-resee-defaults.envsh
        compose/images/bundle-libs.sh compose/images/build-pg-client.sh compose/images/fetch-pg-source.sh
        compose/tests/run.sh compose/tests/pg-client-stage.sh compose/tests/runtime-libs.sh compose/tests/deploy_test.sh compose/tests/fake-bin/docker)
    echo "shellcheck (all findings): ${own[*]}"
    shellcheck -x "${own[@]}" || return 1
    # The project's other scripts: real errors only (their style is their owners' business).
    local others=()
    mapfile -t others < <(git ls-files '*.sh' .ci/run | grep -v '^compose/')
    echo "shellcheck (errors): ${others[*]}"
    shellcheck -x -S error "${others[@]}"
}
step "shellcheck: shell scripts" shell_scripts
step "cfn-lint: compose/aws/resee.yaml" cfn-lint compose/aws/resee.yaml

# --- 3. update-cloudflare-ips.sh ---------------------------------------------------------------
cloudflare_update() {
    local dir="$WORK/cloudflare" port out="$WORK/cloudflare-ips.conf" script=compose/nginx/update-cloudflare-ips.sh
    mkdir -p "$dir/site" "$dir/bad"
    # The published lists, recovered from the committed file (so the round trip must be exact).
    grep -oE 'set_real_ip_from [0-9.]+/[0-9]+' compose/nginx/cloudflare-ips.conf | cut -d' ' -f2 >"$dir/site/ips-v4"
    grep -oE 'set_real_ip_from [0-9a-f:]+:[0-9a-f:]*/[0-9]+' compose/nginx/cloudflare-ips.conf | cut -d' ' -f2 >"$dir/site/ips-v6"
    printf '203.0.113.0/24\n<html>oops</html>\n' >"$dir/bad/ips-v4"
    cp "$dir/site/ips-v6" "$dir/bad/ips-v6"
    port=$("$RESEE_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$RESEE_PYTHON" -m http.server --bind 127.0.0.1 --directory "$dir/site" "$port" >"$dir/http.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 100); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/ips-v4" 2>/dev/null && break
        sleep 0.05
    done
    echo "fetching from a loopback stand-in for cloudflare.com"
    "$script" --base-url "http://127.0.0.1:$port" --output "$out" || return 1
    cmp "$out" compose/nginx/cloudflare-ips.conf || { echo "the fetched file differs from the committed one"; return 1; }
    "$script" --base-url "http://127.0.0.1:$port" --output "$out" --check || { echo "--check: not up to date"; return 1; }
    echo "a list with garbage is refused and the file kept"
    if "$script" --from-dir "$dir/bad" --output "$out" 2>"$dir/err"; then
        echo "accepted a broken list"
        return 1
    fi
    grep -q "not an IPv4 CIDR" "$dir/err" && cmp -s "$out" compose/nginx/cloudflare-ips.conf || return 1
    echo "an unreachable site is refused and the file kept"
    if "$script" --base-url "http://127.0.0.1:1" --output "$out" 2>/dev/null; then
        return 1
    fi
    cmp -s "$out" compose/nginx/cloudflare-ips.conf || return 1
    echo "--check reports a change (exit 3)"
    printf '198.51.100.0/24\n' >>"$dir/site/ips-v4"
    local status=0
    "$script" --from-dir "$dir/site" --output "$out" --check 2>/dev/null || status=$?
    [ "$status" = 3 ] || { echo "--check exited $status"; return 1; }
    "$script" --from-dir "$dir/site" --output "$out" >/dev/null && grep -q 'set_real_ip_from 198.51.100.0/24;' "$out"
}
step "update-cloudflare-ips.sh (loopback stand-in, --from-dir, refusals, --check)" cloudflare_update

# --- services for the next steps -------------------------------------------------------------
resee_ensure_services
DB="resee_compose_$$"
resee_create_db "$DB"
TEST_DATABASE_URL=$(resee_db_url "$DB")

# --- 4. pg_dump bundle of the worker image ------------------------------------------------------
# What the Rust services' runtime image has besides their own files (runtime-libs.sh: glibc and
# libgcc_s), taken from the root file system FROM: Debian 12's for step 4 (pg-client-stage.sh), this
# host's for step 7 (the binaries it starts were built against them). Plus a user and /tmp.
runtime_root() {
    local root=$1 from=$2
    "$TESTS/runtime-libs.sh" "$from" "$root" || return 1
    mkdir -p "$root/etc" "$root/tmp"
    echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >"$root/etc/passwd"
}

pg_bundle() {
    local root="$WORK/chroot" bin=/usr/lib/postgresql/15/bin
    # The Dockerfile's pg-client stage itself, in a Debian 12 root; its /bundle is what
    # `COPY --from=pg-client /bundle/ /` adds to the worker image. First the stage runner's own checks.
    "$RESEE_PYTHON" "$TESTS/dockerfile_stage_test.py" | grep -v '^\(stage \|--> \)' || return 1
    "$TESTS/pg-client-stage.sh" "$root" "$WORK/debian-runtime" || return 1
    local size
    size=$(du -sb "$root" | cut -f1)
    echo "bundle: $(find "$root" -type f | wc -l) files, $size bytes"
    find "$root" -type f -printf '  /%P\n'
    # pg_dump, pg_restore, libpq, zlib and OpenSSL's libssl and libcrypto.
    [ "$size" -lt 8000000 ] || { echo "the bundle grew past 8 MB"; return 1; }
    runtime_root "$root" "$WORK/debian-runtime" || return 1
    _resee_as_root chroot "$root" "$bin/pg_dump" --version | grep '^pg_dump (PostgreSQL) 15\.' || return 1
    _resee_as_root chroot "$root" "$bin/pg_restore" --version || return 1
    local url=${TEST_DATABASE_URL/localhost/127.0.0.1}
    psql -w -X -q "$url" -v ON_ERROR_STOP=1 \
        -c "create table bundle_check (note text); insert into bundle_check values ('written before the dump')" || return 1
    echo "pg_dump of the test database inside the chroot (custom format, uncompressed as the worker runs it), listed by pg_restore"
    _resee_as_root chroot "$root" "$bin/pg_dump" --format=custom --compress=0 --file=/tmp/db.dump "$url" || return 1
    _resee_as_root chroot "$root" "$bin/pg_restore" --list /tmp/db.dump >"$WORK/pg-list.txt" || return 1
    grep -q '^; Archive created at' "$WORK/pg-list.txt" && grep -q "dbname: $DB" "$WORK/pg-list.txt" || return 1
    grep -q 'TABLE DATA public bundle_check' "$WORK/pg-list.txt" || return 1
    echo "the same with zlib compression, restored by pg_restore to a script (the bundled libz decompresses)"
    _resee_as_root chroot "$root" "$bin/pg_dump" --format=custom --compress=6 --file=/tmp/db.z.dump "$url" || return 1
    _resee_as_root chroot "$root" "$bin/pg_restore" --file=/tmp/db.sql /tmp/db.z.dump || return 1
    grep -q '^written before the dump$' "$root/tmp/db.sql"
}
step "worker image: the pg-client stage builds pg_dump/pg_restore 15; they run with what the runtime image has" pg_bundle

# --- 5. deploy.sh ------------------------------------------------------------------------------
step "deploy.sh against a fake docker (rollback, fallbacks, lock, refusals)" "$TESTS/deploy_test.sh"

# --- 6. the nginx stack ------------------------------------------------------------------------
binaries() {
    API_BIN="${RESEE_API_BIN:-$CARGO_TARGET_DIR/debug/resee-api}"
    WORKER_BIN="${RESEE_WORKER_BIN:-$CARGO_TARGET_DIR/debug/resee-worker}"
    OPERATOR_BIN="${RESEE_OPERATOR_BIN:-$CARGO_TARGET_DIR/debug/resee-operator}"
    local waited=0 limit=${COMPOSE_TEST_WAIT_BINARIES:-0}
    while [ ! -x "$API_BIN" ] || [ ! -x "$WORKER_BIN" ] || [ ! -x "$OPERATOR_BIN" ]; do
        if [ "$waited" -ge "$limit" ]; then
            break
        fi
        sleep 5
        waited=$((waited + 5))
    done
    if [ ! -x "$API_BIN" ] || [ ! -x "$WORKER_BIN" ] || [ ! -x "$OPERATOR_BIN" ]; then
        if [ "${COMPOSE_TEST_BUILD:-1}" = 0 ]; then
            _resee_fail "missing $API_BIN, $WORKER_BIN or $OPERATOR_BIN (COMPOSE_TEST_BUILD=0: not building them)"
            return 1
        fi
        resee_ensure_rust
        _resee_log "building resee-api, resee-worker and resee-operator (debug)"
        SQLX_OFFLINE=true cargo build --quiet -p resee-api -p resee-worker -p resee-operator --bins --locked || return 1
    fi
}
web_dist() {
    if [ ! -f web/dist/index.html ]; then
        resee_ensure_node || return 1
        _resee_log "building the web app (web/dist is missing)"
        (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build) >&2 || return 1
    fi
}
stack() {
    binaries || return 1
    web_dist || return 1
    mkdir -p "$WORK/stack"
    DATABASE_URL="$TEST_DATABASE_URL" REDIS_URL="$REDIS_URL" RESEE_API_BIN="$API_BIN" RESEE_WORKER_BIN="$WORKER_BIN" \
        WEB_DIST="$ROOT/web/dist" WORK="$WORK/stack" RESEE_NGINX="$RESEE_NGINX" \
        "$RESEE_PYTHON" "$TESTS/stack_test.py"
}
step "nginx templates in front of the real api, worker and SPA (loopback)" stack

# --- 7. the Rust binaries on the runtime image's libraries ----------------------------------------
rust_runtime() {
    binaries || return 1
    local root="$WORK/runtime" binary
    runtime_root "$root" / || return 1
    mkdir -p "$root/usr/local/bin"
    cp "$API_BIN" "$WORKER_BIN" "$OPERATOR_BIN" "$root/usr/local/bin/" || return 1
    for binary in resee-api resee-worker resee-operator; do
        if ! _resee_as_root chroot --userspec=65532:65532 "$root" "/usr/local/bin/$binary" --help >"$WORK/$binary.help" 2>&1; then
            cat "$WORK/$binary.help"
            return 1
        fi
        grep -q "^Usage: $binary " "$WORK/$binary.help" || return 1
        echo "$binary starts as user 65532 with only glibc and libgcc_s"
    done
}
step "the Rust binaries start with what the runtime image has (chroot: glibc, libgcc_s)" rust_runtime

printf '\ncompose: %d passed, %d failed\n' "$steps_passed" "$steps_failed"
if [ "$steps_failed" -gt 0 ]; then
    printf 'failed: %s\n' "${failed_names[@]}"
    exit 1
fi
