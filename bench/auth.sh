#!/usr/bin/env bash
# Benchmark of the API's auth path with wrk: health, authenticated profile reads, password
# logins, and profile reads during a login flood; plus the API's memory (RSS).
#
# Builds the release binary, runs it against a fresh `resee_bench` database on 127.0.0.1,
# seeds users, runs wrk, prints a markdown table and writes it to bench/results/.
# Knobs (environment): see bench/README.md. Not part of CI.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR="$ROOT/bench"
cd "$ROOT"

BENCH_USERS=${BENCH_USERS:-200}
BENCH_DURATION=${BENCH_DURATION:-15}          # seconds per wrk run
BENCH_THREADS=${BENCH_THREADS:-2}             # wrk threads per run
BENCH_READ_CONNS=${BENCH_READ_CONNS:-64}      # connections for the GET runs
BENCH_LOGIN_CONNS=${BENCH_LOGIN_CONNS:-16}    # connections for the login run
BENCH_FLOOD_CONNS=${BENCH_FLOOD_CONNS:-$BENCH_LOGIN_CONNS}  # login flood beside run d
BENCH_TIMEOUT=${BENCH_TIMEOUT:-10s}           # wrk's per-request timeout
BENCH_IDLE=${BENCH_IDLE:-10}                  # seconds of idling before the last RSS reading
BENCH_SEED_PARALLEL=${BENCH_SEED_PARALLEL:-4} # concurrent registrations while seeding
BENCH_DB=${BENCH_DB:-resee_bench}
BENCH_PORT=${BENCH_PORT:-}                    # empty: pick a free loopback port
BENCH_SKIP_BUILD=${BENCH_SKIP_BUILD:-0}       # 1: use the binary already built
BENCH_RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/resee/target}
API_BIN="$CARGO_TARGET_DIR/release/resee-api"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/auth.sh: %s\n' "$*" >&2; exit 1; }

for knob in BENCH_USERS BENCH_DURATION BENCH_THREADS BENCH_READ_CONNS BENCH_LOGIN_CONNS \
    BENCH_FLOOD_CONNS BENCH_IDLE BENCH_SEED_PARALLEL; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || die "$knob must be a whole number, not '${!knob}'"
done
((BENCH_USERS >= 1 && BENCH_DURATION >= 1)) || die "BENCH_USERS and BENCH_DURATION must be at least 1"
[[ $BENCH_DB =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DB must be a plain lower-case identifier"
[[ -z $BENCH_PORT || $BENCH_PORT =~ ^[0-9]+$ ]] || die "BENCH_PORT must be a port number"

# ---------------------------------------------------------------------------------------------
# Tools
need_pkg() { # command debian-package
    command -v "$1" >/dev/null 2>&1 && return 0
    log "installing $2"
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    else
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    fi
    command -v "$1" >/dev/null 2>&1 || die "$1 is missing (Debian package $2)"
}
need_pkg wrk wrk
need_pkg curl curl
need_pkg psql postgresql-client

# ---------------------------------------------------------------------------------------------
# Cleanup: the API and a background wrk never outlive the script.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/resee-bench.XXXXXX")
API_PID=""
FLOOD_PID=""
WRK_PID=""
API_LOG="$WORK/api.log"

stop_pid() { # pid
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    [[ -n $WRK_PID ]] && stop_pid "$WRK_PID"
    [[ -n $FLOOD_PID ]] && stop_pid "$FLOOD_PID"
    if [[ -n $API_PID ]]; then
        stop_pid "$API_PID"
        if ((rc != 0)) && [[ -s $API_LOG ]]; then
            printf '\n--- last lines of the API log ---\n' >&2
            tail -n 40 "$API_LOG" >&2 || true
        fi
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# 1. Build, services and a fresh database
# shellcheck source-path=SCRIPTDIR/.. disable=SC1091
source scripts/lib/services.sh

if [[ $BENCH_SKIP_BUILD != 1 ]]; then
    resee_ensure_rust
    log "building resee-api (release) into $CARGO_TARGET_DIR"
    SQLX_OFFLINE=true cargo build --release -p resee-api --locked
fi
[[ -x $API_BIN ]] || die "no API binary at $API_BIN (build it, or unset BENCH_SKIP_BUILD)"

log "ensuring PostgreSQL and Redis"
resee_ensure_services
: "${DATABASE_URL:?resee_ensure_services did not export DATABASE_URL}"
: "${REDIS_URL:?resee_ensure_services did not export REDIS_URL}"

log "recreating database $BENCH_DB"
bench_psql() { PGOPTIONS='--client-min-messages=warning' psql -wqX -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@" >/dev/null; }
bench_psql -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)"
bench_psql -c "CREATE DATABASE $BENCH_DB"
BENCH_DATABASE_URL=$(resee_db_url "$BENCH_DB")

REDIS_PREFIX=resee-bench
if command -v redis-cli >/dev/null 2>&1; then
    # Leftover rate-limit counters and sessions of an earlier run (best effort).
    redis-cli -u "$REDIS_URL" --scan --pattern "$REDIS_PREFIX*" 2>/dev/null \
        | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------------------------------------
# 2. Migrate, start (the binary was built above)

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    die "found no free port"
}
PORT=${BENCH_PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"
# Else the health check below could be answered by whatever already listens there.
if curl -s -o /dev/null --max-time 2 "$BASE/" 2>/dev/null; then
    die "127.0.0.1:$PORT is already in use (BENCH_PORT)"
fi

JWT_SECRET_VALUE=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
LIMIT=1000000/min
API_ENV=(
    DATABASE_URL="$BENCH_DATABASE_URL"
    REDIS_URL="$REDIS_URL"
    REDIS_KEY_PREFIX="$REDIS_PREFIX"
    JWT_SECRET="$JWT_SECRET_VALUE"
    BIND_ADDR="127.0.0.1:$PORT"
    PUBLIC_URL="$BASE"
    APP_ENV=development
    ENFORCE_EMAIL_VERIFICATION=false
    RATE_LIMIT_LOGIN="$LIMIT"
    RATE_LIMIT_REGISTER="$LIMIT"
    RATE_LIMIT_EMAIL="$LIMIT"
    RATE_LIMIT_USER="$LIMIT"
    RATE_LIMIT_ANON="$LIMIT"
    RUST_LOG=warn
)
# Other API settings (DATABASE_MAX_CONNECTIONS, PASSWORD_HASH_CONCURRENCY, ...) come from the
# caller's environment. Never: traces exported elsewhere, or *_FILE variants of the above.
UNSET_ENV=(-u OTEL_EXPORTER_OTLP_ENDPOINT -u DATABASE_URL_FILE -u REDIS_URL_FILE
    -u JWT_SECRET_FILE -u JWT_SECRET_PREVIOUS -u JWT_SECRET_PREVIOUS_FILE)
run_api() { env "${UNSET_ENV[@]}" "${API_ENV[@]}" "$API_BIN" "$@"; }

log "migrating"
run_api migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; die "migrate failed"; }

log "starting the API on $BASE"
# Started directly, not through run_api: a backgrounded function runs in a subshell, and $!
# would be that subshell's PID. `env` execs the binary, so $! is the API's own PID.
env "${UNSET_ENV[@]}" "${API_ENV[@]}" "$API_BIN" serve >"$API_LOG" 2>&1 &
API_PID=$!

for ((i = 0; ; i++)); do
    kill -0 "$API_PID" 2>/dev/null || die "the API exited during start-up"
    curl -fsS -o /dev/null --max-time 2 "$BASE/api/health/" 2>/dev/null && break
    ((i < 150)) || die "the API did not answer /api/health/ within 30 s"
    sleep 0.2
done

rss_mib() { # pid field  ->  MiB with one decimal
    awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024; found = 1 } END { if (!found) print "n/a" }' "/proc/$1/status"
}
RSS_START=$(rss_mib "$API_PID" VmRSS)
log "API up (pid $API_PID, RSS $RSS_START MiB)"

# ---------------------------------------------------------------------------------------------
# 3. Seed users; the same emails and passwords as bench/login.lua.
register_one() { # i  ->  HTTP status on stdout
    local i=$1
    local email="bench-user-$i@example.com" password="Bench-pass-$i-xyz"
    curl -sS -o /dev/null -w '%{http_code}\n' --max-time 60 \
        -H 'Content-Type: application/json' \
        --data "{\"email\":\"$email\",\"password\":\"$password\",\"password_confirm\":\"$password\"}" \
        "$BASE/api/accounts/users/register/" 2>/dev/null || echo 000
}
export -f register_one
export BASE

log "registering $BENCH_USERS users ($BENCH_SEED_PARALLEL at a time)"
seed_start=$SECONDS
# shellcheck disable=SC2016 # $1 is expanded by the inner bash
seq 1 "$BENCH_USERS" | xargs -P "$BENCH_SEED_PARALLEL" -n 1 bash -c 'register_one "$1"' _ >"$WORK/register.codes"
created=$(grep -c '^201$' "$WORK/register.codes" || true)
if ((created != BENCH_USERS)); then
    echo "registration statuses (count status):" >&2
    sort "$WORK/register.codes" | uniq -c >&2
    die "only $created of $BENCH_USERS registrations returned 201"
fi
log "seeded $created users in $((SECONDS - seed_start)) s"

login_json() { # i
    printf '{"email":"bench-user-%d@example.com","password":"Bench-pass-%d-xyz"}' "$1" "$1"
}
response=$(curl -sS --max-time 30 -H 'Content-Type: application/json' --data "$(login_json 1)" \
    -w '\n%{http_code}' "$BASE/api/auth/token/")
status=${response##*$'\n'}
[[ $status == 200 ]] || die "login of user 1 returned $status: ${response%$'\n'*}"
TOKEN=$(sed -n 's/.*"access"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' <<<"${response%$'\n'*}")
[[ -n $TOKEN ]] || die "no access token in the login response"
status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 \
    -H "Authorization: Bearer $TOKEN" "$BASE/api/accounts/profile/")
[[ $status == 200 ]] || die "GET /api/accounts/profile/ with the token returned $status"
status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
    --data "$(login_json "$BENCH_USERS")" "$BASE/api/auth/token/")
[[ $status == 200 ]] || die "login of user $BENCH_USERS returned $status"

# ---------------------------------------------------------------------------------------------
# 4. wrk runs
WRK_VERSION=$({ wrk -v 2>&1 || true; } | head -n 1 | sed 's/[[:space:]]*Copyright.*//')

# wrk_start name connections seconds script path [lua args...]: starts wrk in the background,
# output to $WORK/<name>.out; $! is wrk's own PID afterwards.
wrk_start() {
    local name=$1 conns=$2 secs=$3 script=$4 path=$5
    shift 5
    wrk --latency -t "$BENCH_THREADS" -c "$conns" -d "${secs}s" --timeout "$BENCH_TIMEOUT" \
        -s "$BENCH_DIR/$script" "$BASE$path" -- "$@" >"$WORK/$name.out" 2>&1 &
}

wrk_check() { # name exit-status
    if [[ $2 != 0 ]] || ! grep -q '^RESULT ' "$WORK/$1.out"; then
        cat "$WORK/$1.out" >&2
        die "wrk run '$1' failed (exit status $2, or no RESULT line)"
    fi
}

wrk_run() { # as wrk_start, in the foreground
    local rc=0
    wrk_start "$@"
    WRK_PID=$!
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    wrk_check "$1" "$rc"
}

show_run() { # name title
    printf '\n--- %s ---\n' "$2" >&2
    grep -v '^RESULT ' "$WORK/$1.out" >&2 || true
}

result_field() { # RESULT-line key
    sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

ROWS=()
add_row() { # name title
    local line
    line=$(grep '^RESULT ' "$WORK/$1.out" | tail -n 1)
    ROWS+=("| $2 | $(result_field "$line" rps) | $(result_field "$line" p50_ms) | $(result_field "$line" p99_ms) | $(result_field "$line" errors) |")
    printf '%s scenario=%s\n' "$line" "$1"
}

log "a. GET /api/health/ (${BENCH_READ_CONNS} connections, ${BENCH_DURATION} s)"
wrk_run health "$BENCH_READ_CONNS" "$BENCH_DURATION" health.lua /api/health/
show_run health "GET /api/health/"

log "b. GET /api/accounts/profile/ (${BENCH_READ_CONNS} connections, ${BENCH_DURATION} s)"
wrk_run profile "$BENCH_READ_CONNS" "$BENCH_DURATION" profile.lua /api/accounts/profile/ "$TOKEN"
show_run profile "GET /api/accounts/profile/"

log "c. POST /api/auth/token/ (${BENCH_LOGIN_CONNS} connections, ${BENCH_DURATION} s)"
wrk_run login "$BENCH_LOGIN_CONNS" "$BENCH_DURATION" login.lua /api/auth/token/ "$BENCH_USERS"
show_run login "POST /api/auth/token/"

# d. The flood starts first and ends after the profile run, so the whole profile run is under it.
FLOOD_LEAD=2
log "d. GET /api/accounts/profile/ during a login flood (${BENCH_READ_CONNS} + ${BENCH_FLOOD_CONNS} connections)"
wrk_start flood "$BENCH_FLOOD_CONNS" $((BENCH_DURATION + 2 * FLOOD_LEAD)) login.lua /api/auth/token/ "$BENCH_USERS"
FLOOD_PID=$!
sleep "$FLOOD_LEAD"
wrk_run profile_flood "$BENCH_READ_CONNS" "$BENCH_DURATION" profile.lua /api/accounts/profile/ "$TOKEN"
flood_rc=0
wait "$FLOOD_PID" || flood_rc=$?
FLOOD_PID=""
wrk_check flood "$flood_rc"
show_run profile_flood "GET /api/accounts/profile/ during the login flood"
show_run flood "POST /api/auth/token/ (the flood itself)"

echo >&2
add_row health "a. GET /api/health/ (${BENCH_READ_CONNS} conns)"
add_row profile "b. GET /api/accounts/profile/ (${BENCH_READ_CONNS} conns)"
add_row login "c. POST /api/auth/token/ (${BENCH_LOGIN_CONNS} conns, ${BENCH_USERS} users)"
add_row profile_flood "d. GET /api/accounts/profile/ (${BENCH_READ_CONNS} conns) during login flood"
add_row flood "d'. POST /api/auth/token/ flood beside d (${BENCH_FLOOD_CONNS} conns)"

# ---------------------------------------------------------------------------------------------
# 5. Memory
kill -0 "$API_PID" 2>/dev/null || die "the API died during the benchmark"
RSS_PEAK=$(rss_mib "$API_PID" VmHWM)
log "idling ${BENCH_IDLE} s before the last RSS reading"
sleep "$BENCH_IDLE"
RSS_IDLE=$(rss_mib "$API_PID" VmRSS)

# ---------------------------------------------------------------------------------------------
# 6. Report
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
MEM_GIB=$(awk '$1 == "MemTotal:" { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $COMMIT != unknown ]] && ! git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null; then
    COMMIT="$COMMIT (uncommitted changes)"
fi
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p "$BENCH_RESULTS_DIR"
REPORT="$BENCH_RESULTS_DIR/auth-$STAMP.md"

{
    echo "# Auth benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- commit: $COMMIT"
    echo "- machine: $(nproc) CPUs, ${CPU_MODEL:-unknown CPU}, ${MEM_GIB} GiB RAM, Linux $(uname -r)"
    echo "- load generator: $WRK_VERSION, ${BENCH_THREADS} threads per run, on the same machine as the API"
    echo "- API settings: DATABASE_MAX_CONNECTIONS=${DATABASE_MAX_CONNECTIONS:-default}, PASSWORD_HASH_CONCURRENCY=${PASSWORD_HASH_CONCURRENCY:-default}, rate limits ${LIMIT}"
    echo "- runs: ${BENCH_DURATION} s each, timeout ${BENCH_TIMEOUT}; ${BENCH_USERS} seeded users; d. starts its login flood ${FLOOD_LEAD} s before and ends it ${FLOOD_LEAD} s after the profile run"
    echo
    echo "| scenario | req/s | p50 ms | p99 ms | errors |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "errors = responses with status >= 400 (wrk's \"Non-2xx or 3xx responses\") + socket errors (connect, read, write, timeout)."
    echo
    echo "- API RSS after start-up: ${RSS_START} MiB"
    echo "- API peak RSS (VmHWM) after all runs: ${RSS_PEAK} MiB"
    echo "- API RSS after ${BENCH_IDLE} s idle: ${RSS_IDLE} MiB"
} >"$REPORT"

echo
cat "$REPORT"
echo
log "written to ${REPORT#"$ROOT"/}"
