# shellcheck shell=bash disable=SC2034  # the variables set here are read by the scripts
# Shared parts of the benchmark scripts (bench/auth.sh, bench/learning.sh): tools, cleanup,
# services and database, the API process, wrk runs, memory readings and the report.
#
# Use, from a script in bench/ that has done `cd` to the repository root and set ROOT and
# BENCH_DIR and its own knobs (BENCH_DURATION, BENCH_DB, ...):
#
#   source bench/lib.sh
#   bench_check_whole_numbers BENCH_DURATION ...   # die unless each knob is a whole number
#   bench_check_common_knobs                       # BENCH_DB, BENCH_PORT
#   bench_need_tools                               # wrk, curl, psql (apt-get when missing)
#   bench_init                                     # $WORK, cleanup traps
#   bench_build                                    # cargo build unless BENCH_SKIP_BUILD=1
#   bench_build_worker                             # the same for resee-api + resee-worker
#   bench_services_and_db                          # PostgreSQL + Redis, fresh $BENCH_DB
#   bench_start_api                                # migrate, serve on $BASE, $API_PID, $RSS_START
#   wrk_run name conns secs script.lua /path [args]; show_run name title; add_row name title [target]
#   bench_memory                                   # $RSS_PEAK, idles, $RSS_IDLE
#   bench_report_info                              # $CPU_MODEL $MEM_GIB $COMMIT $STAMP $WRK_VERSION
#   { ...; } >"$REPORT"; bench_show_report
#
# Knobs read here (defaults in brackets): BENCH_THREADS [2], BENCH_TIMEOUT [10s], BENCH_IDLE [10],
# BENCH_PORT [free port], BENCH_SKIP_BUILD [0], BENCH_RESULTS_DIR [bench/results],
# BENCH_REDIS_PREFIX [resee-bench], CARGO_TARGET_DIR [~/.cache/resee/target]; BENCH_DB must be set.

: "${ROOT:?set ROOT (the repository root) before sourcing bench/lib.sh}"
: "${BENCH_DIR:=$ROOT/bench}"
BENCH_THREADS=${BENCH_THREADS:-2}             # wrk threads per run
BENCH_TIMEOUT=${BENCH_TIMEOUT:-10s}           # wrk's per-request timeout
BENCH_IDLE=${BENCH_IDLE:-10}                  # seconds of idling before the last RSS reading
BENCH_PORT=${BENCH_PORT:-}                    # empty: pick a free loopback port
BENCH_SKIP_BUILD=${BENCH_SKIP_BUILD:-0}       # 1: use the binary already built
BENCH_RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
BENCH_REDIS_PREFIX=${BENCH_REDIS_PREFIX:-resee-bench}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/resee/target}
API_BIN="$CARGO_TARGET_DIR/release/resee-api"
# The name in error messages, e.g. "bench/auth.sh".
BENCH_SCRIPT=${BENCH_SCRIPT:-bench/$(basename "$0")}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "$BENCH_SCRIPT" "$*" >&2; exit 1; }

bench_check_whole_numbers() { # knob-name...
    local knob
    for knob in "$@"; do
        [[ ${!knob} =~ ^[0-9]+$ ]] || die "$knob must be a whole number, not '${!knob}'"
    done
}

bench_check_common_knobs() {
    bench_check_whole_numbers BENCH_THREADS BENCH_IDLE
    [[ ${BENCH_DB:-} =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DB must be a plain lower-case identifier"
    [[ -z $BENCH_PORT || $BENCH_PORT =~ ^[0-9]+$ ]] || die "BENCH_PORT must be a port number"
}

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

bench_need_tools() { # wrk, curl, psql; a script needing more calls need_pkg itself
    need_pkg wrk wrk
    need_pkg curl curl
    need_pkg psql postgresql-client
}

# ---------------------------------------------------------------------------------------------
# Cleanup: the API and any wrk never outlive the script.
WORK=""
API_PID=""
BG_PID=""      # a wrk running in the background beside the measured one
WRK_PID=""     # the measured wrk
API_LOG=""

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

bench_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    [[ -n $WRK_PID ]] && stop_pid "$WRK_PID"
    [[ -n $BG_PID ]] && stop_pid "$BG_PID"
    if [[ -n $API_PID ]]; then
        stop_pid "$API_PID"
        if ((rc != 0)) && [[ -s $API_LOG ]]; then
            printf '\n--- last lines of the API log ---\n' >&2
            tail -n 40 "$API_LOG" >&2 || true
        fi
    fi
    [[ -n $WORK ]] && rm -rf "$WORK"
    exit "$rc"
}

bench_init() { # creates $WORK and installs the traps
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/resee-bench.XXXXXX")
    API_LOG="$WORK/api.log"
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# ---------------------------------------------------------------------------------------------
# Build, services and a fresh database
# shellcheck source-path=SCRIPTDIR/.. disable=SC1091
source scripts/lib/services.sh

bench_build() {
    if [[ $BENCH_SKIP_BUILD != 1 ]]; then
        resee_ensure_rust
        log "building resee-api (release) into $CARGO_TARGET_DIR"
        SQLX_OFFLINE=true cargo build --release -p resee-api --locked
    fi
    [[ -x $API_BIN ]] || die "no API binary at $API_BIN (build it, or unset BENCH_SKIP_BUILD)"
}

WORKER_BIN="$CARGO_TARGET_DIR/release/resee-worker"

# The queue and backup benchmarks: both binaries (the api only migrates).
bench_build_worker() {
    if [[ $BENCH_SKIP_BUILD != 1 ]]; then
        resee_ensure_rust
        log "building resee-api and resee-worker (release) into $CARGO_TARGET_DIR"
        SQLX_OFFLINE=true cargo build --release -p resee-api -p resee-worker --locked
    fi
    [[ -x $API_BIN && -x $WORKER_BIN ]] || die "no release binaries in $CARGO_TARGET_DIR/release (unset BENCH_SKIP_BUILD)"
}

# psql on the server of $DATABASE_URL (its default database), quietly.
bench_psql() { PGOPTIONS='--client-min-messages=warning' psql -wqX -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@" >/dev/null; }

# Ensures PostgreSQL and Redis, recreates $BENCH_DB (URL in $BENCH_DATABASE_URL) and removes the
# Redis keys of an earlier run under $BENCH_REDIS_PREFIX.
bench_services_and_db() {
    log "ensuring PostgreSQL and Redis"
    resee_ensure_services
    : "${DATABASE_URL:?resee_ensure_services did not export DATABASE_URL}"
    : "${REDIS_URL:?resee_ensure_services did not export REDIS_URL}"

    log "recreating database $BENCH_DB"
    bench_psql -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)"
    bench_psql -c "CREATE DATABASE $BENCH_DB"
    BENCH_DATABASE_URL=$(resee_db_url "$BENCH_DB")
    # Loopback only: no TLS between the API and PostgreSQL (sqlx would otherwise negotiate it
    # with a server that offers it, and encrypting every row costs both sides CPU).
    case $BENCH_DATABASE_URL in
        *sslmode=*) ;;
        *\?*) BENCH_DATABASE_URL="$BENCH_DATABASE_URL&sslmode=disable" ;;
        *) BENCH_DATABASE_URL="$BENCH_DATABASE_URL?sslmode=disable" ;;
    esac

    REDIS_PREFIX=$BENCH_REDIS_PREFIX
    if command -v redis-cli >/dev/null 2>&1; then
        # Leftover rate-limit counters and sessions of an earlier run (best effort).
        redis-cli -u "$REDIS_URL" --scan --pattern "$REDIS_PREFIX*" 2>/dev/null \
            | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
    fi
}

# ---------------------------------------------------------------------------------------------
# The API: migrate, start (the binary was built above)

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

rss_mib() { # pid field  ->  MiB with one decimal
    awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024; found = 1 } END { if (!found) print "n/a" }' "/proc/$1/status"
}

# Sets PORT, BASE, LIMIT, API_ENV, UNSET_ENV; migrates $BENCH_DB; starts the API (API_PID) and
# waits for /api/health/; RSS_START.
bench_start_api() {
    PORT=${BENCH_PORT:-$(free_port)}
    BASE="http://127.0.0.1:$PORT"
    # Else the health check below could be answered by whatever already listens there.
    if curl -s -o /dev/null --max-time 2 "$BASE/" 2>/dev/null; then
        die "127.0.0.1:$PORT is already in use (BENCH_PORT)"
    fi

    local jwt_secret i
    jwt_secret=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    LIMIT=1000000/min
    API_ENV=(
        DATABASE_URL="$BENCH_DATABASE_URL"
        REDIS_URL="$REDIS_URL"
        REDIS_KEY_PREFIX="$REDIS_PREFIX"
        JWT_SECRET="$jwt_secret"
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

    RSS_START=$(rss_mib "$API_PID" VmRSS)
    log "API up (pid $API_PID, RSS $RSS_START MiB)"
}

run_api() { env "${UNSET_ENV[@]}" "${API_ENV[@]}" "$API_BIN" "$@"; }

# Logs in; the access token on stdout. Dies with "login of <who> returned <status>: <body>".
bench_token() { # email password who
    local response status token
    response=$(curl -sS --max-time 30 -H 'Content-Type: application/json' \
        --data "{\"email\":\"$1\",\"password\":\"$2\"}" \
        -w '\n%{http_code}' "$BASE/api/auth/token/")
    status=${response##*$'\n'}
    [[ $status == 200 ]] || die "login of $3 returned $status: ${response%$'\n'*}"
    token=$(sed -n 's/.*"access"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' <<<"${response%$'\n'*}")
    [[ -n $token ]] || die "no access token in the login response"
    printf '%s\n' "$token"
}

# ---------------------------------------------------------------------------------------------
# wrk runs

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

run_field() { # name key  ->  the key's value in the run's RESULT line
    result_field "$(grep '^RESULT ' "$WORK/$1.out" | tail -n 1)" "$2"
}

# add_row name title [target]: one row of the report's table (and the RESULT line on stdout).
# With a target, the row gets a last cell with it.
ROWS=()
add_row() {
    local line row
    line=$(grep '^RESULT ' "$WORK/$1.out" | tail -n 1)
    row="| $2 | $(result_field "$line" rps) | $(result_field "$line" p50_ms) | $(result_field "$line" p99_ms) | $(result_field "$line" errors) |"
    [[ $# -ge 3 ]] && row+=" $3 |"
    ROWS+=("$row")
    printf '%s scenario=%s\n' "$line" "$1"
}

# ---------------------------------------------------------------------------------------------
# Memory: RSS_PEAK (VmHWM) now, RSS_IDLE after BENCH_IDLE seconds.
bench_memory() {
    kill -0 "$API_PID" 2>/dev/null || die "the API died during the benchmark"
    RSS_PEAK=$(rss_mib "$API_PID" VmHWM)
    log "idling ${BENCH_IDLE} s before the last RSS reading"
    sleep "$BENCH_IDLE"
    RSS_IDLE=$(rss_mib "$API_PID" VmRSS)
}

# ---------------------------------------------------------------------------------------------
# Report
bench_wrk_version() {
    WRK_VERSION=$({ wrk -v 2>&1 || true; } | head -n 1 | sed 's/[[:space:]]*Copyright.*//')
}

# Sets CPU_MODEL, MEM_GIB, COMMIT, STAMP and REPORT ($BENCH_RESULTS_DIR/<prefix>-<STAMP>.md).
bench_report_info() { # prefix
    CPU_MODEL=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
    MEM_GIB=$(awk '$1 == "MemTotal:" { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
    COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [[ $COMMIT != unknown ]] && ! git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null; then
        COMMIT="$COMMIT (uncommitted changes)"
    fi
    STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
    mkdir -p "$BENCH_RESULTS_DIR"
    REPORT="$BENCH_RESULTS_DIR/$1-$STAMP.md"
}

bench_show_report() {
    echo
    cat "$REPORT"
    echo
    log "written to ${REPORT#"$ROOT"/}"
}
