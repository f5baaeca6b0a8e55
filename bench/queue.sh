#!/usr/bin/env bash
# Measures the job queue with real worker processes: bash bench/queue.sh
#
#   1. pickup latency when idle: BENCH_LATENCY_JOBS no-op jobs enqueued one at a time
#      (BENCH_LATENCY_GAP_MS apart) while two workers wait; p50/p99 of enqueue → start from the
#      workers' resee_job_pickup_latency_seconds histograms (the bucket bound at or above it);
#   2. throughput: BENCH_JOBS no-op jobs enqueued at once (one Lua script), then two workers
#      started; jobs/s from the workers' start until the stream is empty;
#   3. memory: each worker's peak RSS (VmHWM) after both phases.
#
# Knobs: BENCH_JOBS [100000], BENCH_LATENCY_JOBS [1000], BENCH_LATENCY_GAP_MS [10],
# BENCH_NOOP_CONCURRENCY [64], BENCH_SKIP_BUILD [0], BENCH_DB [resee_bench_queue].
# Writes bench/results/queue-<time>.md; record the numbers in docs/BENCHMARKS.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BENCH_DB=${BENCH_DB:-resee_bench_queue}
BENCH_JOBS=${BENCH_JOBS:-100000}
BENCH_LATENCY_JOBS=${BENCH_LATENCY_JOBS:-1000}
BENCH_LATENCY_GAP_MS=${BENCH_LATENCY_GAP_MS:-10}
BENCH_NOOP_CONCURRENCY=${BENCH_NOOP_CONCURRENCY:-64}
BENCH_REDIS_PREFIX=${BENCH_REDIS_PREFIX:-resee-bench-queue}
# shellcheck source-path=SCRIPTDIR/..
source bench/lib.sh
bench_check_whole_numbers BENCH_JOBS BENCH_LATENCY_JOBS BENCH_LATENCY_GAP_MS BENCH_NOOP_CONCURRENCY
bench_check_common_knobs
need_pkg curl curl
need_pkg psql postgresql-client
need_pkg redis-cli redis-tools

WORKER_PIDS=()
stop_workers() {
    local pid
    for pid in "${WORKER_PIDS[@]}"; do stop_pid "$pid"; done
    WORKER_PIDS=()
}
queue_cleanup() {
    local rc=$?
    stop_workers
    if ((rc != 0)) && [[ -n $WORK ]]; then
        for log in "$WORK"/worker-*.log; do
            [[ -s $log ]] && { printf '\n--- %s ---\n' "$log" >&2; tail -n 20 "$log" >&2; }
        done
    fi
    return "$rc"
}

bench_init
trap 'queue_cleanup; bench_cleanup' EXIT

bench_build_worker

bench_services_and_db
COMMON_ENV=(
    DATABASE_URL="$BENCH_DATABASE_URL"
    REDIS_URL="$REDIS_URL"
    REDIS_KEY_PREFIX="$REDIS_PREFIX"
    APP_ENV=development
    RUST_LOG=warn
)
log "migrating"
env "${COMMON_ENV[@]}" "$API_BIN" migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; die "migrate failed"; }

STREAM="$REDIS_PREFIX:jobs:noop"
rcli() { redis-cli -u "$REDIS_URL" "$@"; }

# Appends n no-op jobs in one script; enqueued_at is Redis's clock, like the api's.
ENQUEUE_LUA="local t = redis.call('TIME')
local ms = tostring(t[1] * 1000 + math.floor(t[2] / 1000))
for i = 1, tonumber(ARGV[1]) do
  redis.call('XADD', KEYS[1], '*', 'id', ARGV[2] .. i, 'payload', '{}', 'enqueued_at', ms)
end
return tonumber(ARGV[1])"
enqueue() { rcli EVAL "$ENQUEUE_LUA" 1 "$STREAM" "$1" "$2" >/dev/null; }

METRIC_PORTS=()
start_workers() {
    local n port
    METRIC_PORTS=()
    for n in 1 2; do
        port=$(free_port)
        METRIC_PORTS+=("$port")
        env "${COMMON_ENV[@]}" METRICS_ADDR="127.0.0.1:$port" REMINDER_SCHEDULE= HOUSEKEEPING_SCHEDULE= \
            WORKER_CONCURRENCY="noop=$BENCH_NOOP_CONCURRENCY" "$WORKER_BIN" run >"$WORK/worker-$n.log" 2>&1 &
        WORKER_PIDS+=("$!")
    done
    for port in "${METRIC_PORTS[@]}"; do
        for ((i = 0; ; i++)); do
            curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz" 2>/dev/null && break
            ((i < 100)) || die "a worker did not become healthy within 20 s"
            sleep 0.2
        done
    done
}

# The upper bucket bound below which a fraction q of the pickups fell, both workers together
# (POSIX awk: Debian's default is mawk).
pickup_quantile() { # q
    local port
    for port in "${METRIC_PORTS[@]}"; do curl -fsS "http://127.0.0.1:$port/metrics"; done \
        | awk -v q="$1" '/^resee_job_pickup_latency_seconds_bucket/ && /kind="noop"/ {
              match($0, /le="[^"]*"/)
              le = substr($0, RSTART + 4, RLENGTH - 5)
              count[le] += $NF
          }
          END {
              total = count["+Inf"]
              n = 0
              for (le in count) if (le != "+Inf") bounds[++n] = le + 0
              for (i = 2; i <= n; i++) { v = bounds[i]; for (j = i - 1; j >= 1 && bounds[j] > v; j--) bounds[j + 1] = bounds[j]; bounds[j + 1] = v }
              for (i = 1; i <= n; i++) {
                  c = 0
                  for (le in count) if (le != "+Inf" && le + 0 == bounds[i]) c = count[le]
                  if (total > 0 && c >= q * total) { printf "%.1f", bounds[i] * 1000; exit }
              }
              print "> 10000"
          }'
}

now_ms() { date +%s%3N; }

# 1. Idle pickup latency
log "phase 1: pickup latency, $BENCH_LATENCY_JOBS jobs ${BENCH_LATENCY_GAP_MS} ms apart, two idle workers"
start_workers
gap=$(awk -v ms="$BENCH_LATENCY_GAP_MS" 'BEGIN { printf "%.3f", ms / 1000 }')
for ((i = 1; i <= BENCH_LATENCY_JOBS; i++)); do
    enqueue 1 "lat-$i-"
    sleep "$gap"
done
for ((i = 0; ; i++)); do
    [[ $(rcli XLEN "$STREAM") == 0 ]] && break
    ((i < 300)) || die "the latency jobs were not all done within 30 s"
    sleep 0.1
done
P50=$(pickup_quantile 0.50)
P99=$(pickup_quantile 0.99)
log "pickup latency p50 <= $P50 ms, p99 <= $P99 ms"
stop_workers

# 2. Throughput
log "phase 2: $BENCH_JOBS jobs enqueued, then two workers started"
enqueue "$BENCH_JOBS" "tp-"
[[ $(rcli XLEN "$STREAM") == "$BENCH_JOBS" ]] || die "enqueueing failed"
started=$(now_ms)
start_workers
while [[ $(rcli XLEN "$STREAM") != 0 ]]; do
    sleep 0.05
    (($(now_ms) - started < 600000)) || die "the jobs were not done within 10 minutes"
done
elapsed_ms=$(($(now_ms) - started))
RATE=$(awk -v n="$BENCH_JOBS" -v ms="$elapsed_ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
DEAD=$(rcli XLEN "$REDIS_PREFIX:jobs:dead")
log "$BENCH_JOBS jobs in $elapsed_ms ms: $RATE jobs/s (dead letters: $DEAD)"

# 3. Memory
RSS1=$(rss_mib "${WORKER_PIDS[0]}" VmHWM)
RSS2=$(rss_mib "${WORKER_PIDS[1]}" VmHWM)
IDLE1=$(rss_mib "${WORKER_PIDS[0]}" VmRSS)
stop_workers

bench_report_info queue
{
    echo "# Queue benchmark, $STAMP"
    echo
    echo "Commit $COMMIT; $CPU_MODEL; $MEM_GIB GiB. Two \`resee-worker run\` processes (release), noop concurrency $BENCH_NOOP_CONCURRENCY each."
    echo
    echo "| measure | result | target |"
    echo "|---|---|---|"
    echo "| pickup latency p50, idle ($BENCH_LATENCY_JOBS jobs, ${BENCH_LATENCY_GAP_MS} ms apart) | ≤ $P50 ms | |"
    echo "| pickup latency p99, idle | ≤ $P99 ms | < 50 ms |"
    echo "| throughput, $BENCH_JOBS no-op jobs | $RATE jobs/s | ≥ 2 000 jobs/s |"
    echo "| peak RSS per worker | $RSS1 MiB, $RSS2 MiB (RSS at the end: $IDLE1 MiB) | < 50 MB |"
    echo "| dead letters | $DEAD | 0 |"
    echo
    echo "Latencies are the upper bounds of the histogram buckets (1 ms steps below 10 ms) that hold the quantile."
} >"$REPORT"
bench_show_report
