#!/usr/bin/env bash
# Benchmark of the learning core with wrk: the contents list, today's review list, the dashboard
# and review completions of a PRO user with 2 000 notes (300 due), among 200 other users; plus
# the API's memory (RSS).
#
# Builds the release binary, runs it against a fresh `resee_bench_learning` database on
# 127.0.0.1, registers the PRO user through the API, seeds the rest with bench/seed-learning.sql,
# runs wrk, prints a markdown table with the targets and writes it to bench/results/.
# Exits non-zero when any run saw an error (non-2xx or socket error).
# Knobs (environment): see bench/README.md. Not part of CI.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR="$ROOT/bench"
cd "$ROOT"

BENCH_DURATION=${BENCH_DURATION:-30}          # seconds per wrk run
BENCH_CONNS=${BENCH_CONNS:-32}                # connections per run
BENCH_DB=${BENCH_DB:-resee_bench_learning}
BENCH_REDIS_PREFIX=${BENCH_REDIS_PREFIX:-resee-bench-learning}
# BENCH_THREADS, BENCH_TIMEOUT, BENCH_IDLE, BENCH_PORT, BENCH_SKIP_BUILD, BENCH_RESULTS_DIR,
# CARGO_TARGET_DIR: see bench/lib.sh.

# The data set (bench/seed-learning.sql): fixed, so that runs compare.
PRO_EMAIL=bench-pro@example.com
PRO_PASSWORD=Bench-pass-pro-xyz
PRO_CONTENTS=2000
PRO_DUE=300
PRO_HISTORY=7500
OTHER_USERS=200
USER_CONTENTS=50

# Targets.
TARGET_CONTENTS_RPS=2000
TARGET_TODAY_RPS=400
TARGET_TODAY_P99_MS=150
TARGET_DASHBOARD_RPS=3000
TARGET_COMPLETIONS_RPS=1500
TARGET_RSS_MB=100

# shellcheck source-path=SCRIPTDIR/..
source bench/lib.sh

bench_check_whole_numbers BENCH_DURATION BENCH_CONNS
((BENCH_DURATION >= 1 && BENCH_CONNS >= 1)) || die "BENCH_DURATION and BENCH_CONNS must be at least 1"
bench_check_common_knobs

bench_need_tools
need_pkg jq jq
bench_init

# ---------------------------------------------------------------------------------------------
# 1. Build, services and a fresh database; 2. migrate, start
bench_build
bench_services_and_db
bench_start_api

# ---------------------------------------------------------------------------------------------
# 3. Data: the PRO user through the API (a real password hash), the rest in SQL.
log "registering $PRO_EMAIL"
response=$(curl -sS --max-time 60 -H 'Content-Type: application/json' -w '\n%{http_code}' \
    --data "{\"email\":\"$PRO_EMAIL\",\"password\":\"$PRO_PASSWORD\",\"password_confirm\":\"$PRO_PASSWORD\"}" \
    "$BASE/api/accounts/users/register/")
status=${response##*$'\n'}
[[ $status == 201 ]] || die "registering $PRO_EMAIL returned $status: ${response%$'\n'*}"

log "seeding (bench/seed-learning.sql)"
seed_start=$SECONDS
PGOPTIONS='--client-min-messages=warning' psql -wqX -v ON_ERROR_STOP=1 \
    -v pro_email="$PRO_EMAIL" -v pro_contents="$PRO_CONTENTS" -v pro_due="$PRO_DUE" \
    -v pro_history="$PRO_HISTORY" -v users="$OTHER_USERS" -v user_contents="$USER_CONTENTS" \
    -f "$BENCH_DIR/seed-learning.sql" "$BENCH_DATABASE_URL" >"$WORK/seed.out" 2>&1 \
    || { cat "$WORK/seed.out" >&2; die "seeding failed"; }
SEED_SUMMARY=$(grep '^seeded:' "$WORK/seed.out" | tail -n 1)
SEED_SECONDS=$((SECONDS - seed_start))
log "${SEED_SUMMARY:-seeded} in ${SEED_SECONDS} s"

TOKEN=$(bench_token "$PRO_EMAIL" "$PRO_PASSWORD" "$PRO_EMAIL")
AUTH=(-H "Authorization: Bearer $TOKEN" -H 'Accept: application/json')

# ---------------------------------------------------------------------------------------------
# 4. Today's list: the due schedule ids for the completions, and the response size.
status=$(curl -sS -o "$WORK/today.json" -w '%{http_code}' --max-time 30 "${AUTH[@]}" \
    "$BASE/api/review/schedules/today/")
[[ $status == 200 ]] || die "GET /api/review/schedules/today/ returned $status: $(head -c 500 "$WORK/today.json")"
today_count=$(jq -r '.count' "$WORK/today.json")
jq -r '.results[].id' "$WORK/today.json" >"$WORK/due.ids"
ids=$(wc -l <"$WORK/due.ids")
[[ $today_count == "$PRO_DUE" && $ids == "$PRO_DUE" ]] \
    || die "GET /api/review/schedules/today/ listed $ids cards (count $today_count), expected $PRO_DUE"
TODAY_BYTES=$(stat -c %s "$WORK/today.json")
TODAY_KB=$(awk -v b="$TODAY_BYTES" 'BEGIN { printf "%.1f", b / 1024 }')
# What a client that accepts compression would download (the same without compression support).
TODAY_WIRE_BYTES=$(curl -sS -o /dev/null -w '%{size_download}' --max-time 30 --compressed "${AUTH[@]}" \
    "$BASE/api/review/schedules/today/")
TODAY_WIRE_KB=$(awk -v b="$TODAY_WIRE_BYTES" 'BEGIN { printf "%.1f", b / 1024 }')
log "today's list: $today_count cards, $TODAY_KB KB a response (${TODAY_WIRE_KB} KB on the wire with Accept-Encoding)"

# probe name method path [body]: one request with curl before (and after a failed) run. A status
# other than 2xx goes into FAILURES with the start of the body.
FAILURES=()
probe() {
    local name=$1 method=$2 path=$3 body=${4:-} out="$WORK/probe.out" code
    local args=(-sS -o "$out" -w '%{http_code}' --max-time 30 -X "$method" "${AUTH[@]}")
    [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data "$body")
    : >"$out"
    code=$(curl "${args[@]}" "$BASE$path" 2>"$WORK/probe.err") || code="000 ($(head -c 200 "$WORK/probe.err"))"
    if [[ ! $code =~ ^2[0-9][0-9]$ ]]; then
        FAILURES+=("$name: $method $path returned $code: $(head -c 500 "$out" | tr '\n' ' ')")
        log "FAILURE: ${FAILURES[-1]}"
    fi
}

FIRST_ID=$(head -n 1 "$WORK/due.ids")
probe contents GET /api/contents/
probe today GET /api/review/schedules/today/
probe dashboard GET /api/review/dashboard/
log "dashboard: $(curl -sS --max-time 10 "${AUTH[@]}" "$BASE/api/review/dashboard/" || true)"
# A real completion of one due card (the run below completes them all, many times).
probe completions POST "/api/review/schedules/$FIRST_ID/completions/" '{"result":"remembered"}'

# ---------------------------------------------------------------------------------------------
# 5. wrk runs
bench_wrk_version

# After a run with errors, ask once more with curl what the endpoint answers.
after_run() { # name method path [body]
    local errors
    errors=$(run_field "$1" errors)
    if [[ $errors != 0 ]]; then
        log "run '$1' had $errors errors; probing $2 $3"
        FAILURES+=("$1: wrk counted $errors errors ($(run_field "$1" status_errors) status >= 400, $(run_field "$1" socket_errors) socket) in $(run_field "$1" requests) requests")
        probe "$1 (after the run)" "$2" "$3" "${4:-}"
    fi
}

log "a. GET /api/contents/ (${BENCH_CONNS} connections, ${BENCH_DURATION} s)"
wrk_run contents "$BENCH_CONNS" "$BENCH_DURATION" profile.lua /api/contents/ "$TOKEN"
show_run contents "GET /api/contents/"
after_run contents GET /api/contents/

log "b. GET /api/review/schedules/today/ (${BENCH_CONNS} connections, ${BENCH_DURATION} s; $TODAY_KB KB a response)"
wrk_run today "$BENCH_CONNS" "$BENCH_DURATION" profile.lua /api/review/schedules/today/ "$TOKEN"
show_run today "GET /api/review/schedules/today/"
after_run today GET /api/review/schedules/today/

log "c. GET /api/review/dashboard/ (${BENCH_CONNS} connections, ${BENCH_DURATION} s)"
wrk_run dashboard "$BENCH_CONNS" "$BENCH_DURATION" profile.lua /api/review/dashboard/ "$TOKEN"
show_run dashboard "GET /api/review/dashboard/"
after_run dashboard GET /api/review/dashboard/

log "d. POST /api/review/schedules/<id>/completions/ over $PRO_DUE due cards (${BENCH_CONNS} connections, ${BENCH_DURATION} s)"
wrk_run completions "$BENCH_CONNS" "$BENCH_DURATION" completions.lua /api/review/schedules/ "$TOKEN" "$WORK/due.ids"
show_run completions "POST /api/review/schedules/<id>/completions/"
after_run completions POST "/api/review/schedules/$FIRST_ID/completions/" '{"result":"remembered"}'

# verdict name min-rps [max-p99-ms]: "met" / "missed" / "not valid (errors)".
verdict() {
    local errors
    errors=$(run_field "$1" errors)
    if [[ $errors != 0 ]]; then
        echo "not valid ($errors errors)"
        return
    fi
    awk -v rps="$(run_field "$1" rps)" -v min="$2" -v p99="$(run_field "$1" p99_ms)" -v max="${3:-}" \
        'BEGIN { ok = rps + 0 >= min + 0; if (max != "") ok = ok && p99 + 0 < max + 0; print ok ? "met" : "missed" }'
}

echo >&2
add_row contents "a. GET /api/contents/ (${BENCH_CONNS} conns)" \
    "≥ $TARGET_CONTENTS_RPS req/s — $(verdict contents "$TARGET_CONTENTS_RPS")"
add_row today "b. GET /api/review/schedules/today/, $PRO_DUE cards, $TODAY_KB KB (${BENCH_CONNS} conns)" \
    "≥ $TARGET_TODAY_RPS req/s, p99 < $TARGET_TODAY_P99_MS ms — $(verdict today "$TARGET_TODAY_RPS" "$TARGET_TODAY_P99_MS")"
add_row dashboard "c. GET /api/review/dashboard/ (${BENCH_CONNS} conns)" \
    "≥ $TARGET_DASHBOARD_RPS req/s — $(verdict dashboard "$TARGET_DASHBOARD_RPS")"
add_row completions "d. POST /api/review/schedules/<id>/completions/, $PRO_DUE cards in turn (${BENCH_CONNS} conns)" \
    "≥ $TARGET_COMPLETIONS_RPS req/s — $(verdict completions "$TARGET_COMPLETIONS_RPS")"

# ---------------------------------------------------------------------------------------------
# 6. Memory
bench_memory
mib_to_mb() { awk -v m="$1" 'BEGIN { if (m == "n/a") print "n/a"; else printf "%.1f", m * 1.048576 }'; }
RSS_PEAK_MB=$(mib_to_mb "$RSS_PEAK")
RSS_VERDICT=$(awk -v m="$RSS_PEAK_MB" -v t="$TARGET_RSS_MB" 'BEGIN { print (m != "n/a" && m + 0 < t + 0) ? "met" : "missed" }')

# ---------------------------------------------------------------------------------------------
# 7. Report
bench_report_info learning

{
    echo "# Learning-core benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- commit: $COMMIT"
    echo "- machine: $(nproc) CPUs, ${CPU_MODEL:-unknown CPU}, ${MEM_GIB} GiB RAM, Linux $(uname -r)"
    echo "- load generator: $WRK_VERSION, ${BENCH_THREADS} threads and ${BENCH_CONNS} connections per run, on the same machine as the API"
    echo "- API settings: DATABASE_MAX_CONNECTIONS=${DATABASE_MAX_CONNECTIONS:-default}, PASSWORD_HASH_CONCURRENCY=${PASSWORD_HASH_CONCURRENCY:-default}, rate limits ${LIMIT}"
    echo "- data (bench/seed-learning.sql, ${SEED_SECONDS} s): PRO user with ${PRO_CONTENTS} contents in 5 categories, ${PRO_DUE} due (1-6 days overdue), ${PRO_HISTORY} reviews; ${OTHER_USERS} more users (free/basic/pro) with ${USER_CONTENTS} contents each"
    echo "  - ${SEED_SUMMARY:-seed summary missing}"
    echo "- today's list: ${PRO_DUE} cards, ${TODAY_KB} KB a response (${TODAY_WIRE_KB} KB with Accept-Encoding; wrk asks without)"
    echo "- runs: ${BENCH_DURATION} s each, timeout ${BENCH_TIMEOUT}, all as the PRO user; d. cycles over the ${PRO_DUE} due schedule ids, each request the next id"
    echo
    echo "| scenario | req/s | p50 ms | p99 ms | errors | target |"
    echo "| --- | ---: | ---: | ---: | ---: | --- |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "errors = responses with status >= 400 (wrk's \"Non-2xx or 3xx responses\") + socket errors (connect, read, write, timeout). Any error makes the run not valid."
    echo
    echo "- API RSS after start-up: ${RSS_START} MiB"
    echo "- API peak RSS (VmHWM) after all runs: ${RSS_PEAK} MiB (${RSS_PEAK_MB} MB) — target < ${TARGET_RSS_MB} MB: ${RSS_VERDICT}"
    echo "- API RSS after ${BENCH_IDLE} s idle: ${RSS_IDLE} MiB"
    if ((${#FAILURES[@]} > 0)); then
        echo
        echo "## Failures"
        echo
        printf -- '- %s\n' "${FAILURES[@]}"
    fi
} >"$REPORT"

bench_show_report
if ((${#FAILURES[@]} > 0)); then
    die "${#FAILURES[@]} failure(s): see the report"
fi
