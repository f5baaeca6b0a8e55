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
BENCH_READ_CONNS=${BENCH_READ_CONNS:-64}      # connections for the GET runs
BENCH_LOGIN_CONNS=${BENCH_LOGIN_CONNS:-16}    # connections for the login run
BENCH_FLOOD_CONNS=${BENCH_FLOOD_CONNS:-$BENCH_LOGIN_CONNS}  # login flood beside run d
BENCH_SEED_PARALLEL=${BENCH_SEED_PARALLEL:-4} # concurrent registrations while seeding
BENCH_DB=${BENCH_DB:-resee_bench}
# BENCH_THREADS, BENCH_TIMEOUT, BENCH_IDLE, BENCH_PORT, BENCH_SKIP_BUILD, BENCH_RESULTS_DIR,
# CARGO_TARGET_DIR: see bench/lib.sh.

# shellcheck source-path=SCRIPTDIR/..
source bench/lib.sh

bench_check_whole_numbers BENCH_USERS BENCH_DURATION BENCH_THREADS BENCH_READ_CONNS BENCH_LOGIN_CONNS \
    BENCH_FLOOD_CONNS BENCH_IDLE BENCH_SEED_PARALLEL
((BENCH_USERS >= 1 && BENCH_DURATION >= 1)) || die "BENCH_USERS and BENCH_DURATION must be at least 1"
bench_check_common_knobs

bench_need_tools
bench_init

# ---------------------------------------------------------------------------------------------
# 1. Build, services and a fresh database; 2. migrate, start
bench_build
bench_services_and_db
bench_start_api

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

TOKEN=$(bench_token bench-user-1@example.com Bench-pass-1-xyz "user 1")
status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 \
    -H "Authorization: Bearer $TOKEN" "$BASE/api/accounts/profile/")
[[ $status == 200 ]] || die "GET /api/accounts/profile/ with the token returned $status"
status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
    --data "{\"email\":\"bench-user-$BENCH_USERS@example.com\",\"password\":\"Bench-pass-$BENCH_USERS-xyz\"}" \
    "$BASE/api/auth/token/")
[[ $status == 200 ]] || die "login of user $BENCH_USERS returned $status"

# ---------------------------------------------------------------------------------------------
# 4. wrk runs
bench_wrk_version

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
BG_PID=$!
sleep "$FLOOD_LEAD"
wrk_run profile_flood "$BENCH_READ_CONNS" "$BENCH_DURATION" profile.lua /api/accounts/profile/ "$TOKEN"
flood_rc=0
wait "$BG_PID" || flood_rc=$?
BG_PID=""
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
bench_memory

# ---------------------------------------------------------------------------------------------
# 6. Report
bench_report_info auth

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

bench_show_report
