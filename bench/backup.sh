#!/usr/bin/env bash
# Measures `resee-worker backup run` on a generated database: bash bench/backup.sh
#
#   1. generates BENCH_BACKUP_MB (1024) MB of table data (random hex text, which compresses
#      about 2:1, so the compressor has real work) in the database resee_bench_backup;
#   2. times plain `pg_dump --format=custom > /dev/null` (its default compression) on it;
#   3. times `resee-worker backup run` to a local S3 server (moto, from the project's
#      virtualenv), sampling the worker's peak RSS (VmHWM) while it runs;
#   4. writes bench/results/backup-<time>.md: time ratio (target <= 1.3x), peak RSS
#      (target < 64 MB), throughput.
#
# Knobs: BENCH_BACKUP_MB [1024], BENCH_SKIP_BUILD [0], BENCH_KEEP_DB [0] (1: reuse the
# generated database when it exists). Not part of CI.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BENCH_DB=${BENCH_DB:-resee_bench_backup}
BENCH_BACKUP_MB=${BENCH_BACKUP_MB:-1024}
BENCH_KEEP_DB=${BENCH_KEEP_DB:-0}
BENCH_REDIS_PREFIX=${BENCH_REDIS_PREFIX:-resee-bench-backup}
# shellcheck source-path=SCRIPTDIR/..
source bench/lib.sh
bench_check_whole_numbers BENCH_BACKUP_MB BENCH_KEEP_DB
bench_check_common_knobs
need_pkg curl curl
need_pkg psql postgresql-client

MOTO_PID=""
WORKER_PID=""
backup_cleanup() {
    [[ -n $WORKER_PID ]] && stop_pid "$WORKER_PID"
    [[ -n $MOTO_PID ]] && stop_pid "$MOTO_PID"
    return 0
}
bench_init
trap 'backup_cleanup; bench_cleanup' EXIT

bench_build_worker
resee_ensure_venv

log "ensuring PostgreSQL and Redis"
resee_ensure_services
BENCH_DATABASE_URL=$(resee_db_url "$BENCH_DB")
exists=$(psql -wqAtX "$DATABASE_URL" -c "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'")
if [[ $BENCH_KEEP_DB != 1 || $exists != 1 ]]; then
    log "generating $BENCH_BACKUP_MB MB in $BENCH_DB"
    bench_psql -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB"
    env DATABASE_URL="$BENCH_DATABASE_URL" REDIS_URL="$REDIS_URL" APP_ENV=development RUST_LOG=warn "$API_BIN" migrate
    # One row: 32 md5 hex strings (1 KiB of text).
    rows=$((BENCH_BACKUP_MB * 1024))
    PGOPTIONS='--client-min-messages=warning' psql -wqX -v ON_ERROR_STOP=1 "$BENCH_DATABASE_URL" <<SQL >/dev/null
CREATE TABLE bench_payload (id BIGINT PRIMARY KEY, body TEXT NOT NULL);
INSERT INTO bench_payload
SELECT g, (SELECT string_agg(md5(g::text || '-' || k || random()::text), '') FROM generate_series(1, 32) k)
FROM generate_series(1, $rows) g;
VACUUM ANALYZE bench_payload;
SQL
fi
DB_SIZE=$(psql -wqAtX "$BENCH_DATABASE_URL" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")
DB_BYTES=$(psql -wqAtX "$BENCH_DATABASE_URL" -c "SELECT pg_database_size(current_database())")
log "database: $DB_SIZE"

log "plain pg_dump --format=custom > /dev/null"
start=$(date +%s%N)
/usr/bin/time -f '%M' -o "$WORK/plain.rss" pg_dump --format=custom --dbname "$BENCH_DATABASE_URL" >/dev/null
PLAIN_MS=$((($(date +%s%N) - start) / 1000000))
PLAIN_RSS=$(awk '{ printf "%.1f", $1 / 1024 }' "$WORK/plain.rss")

MOTO_PORT=$(free_port)
"$RESEE_PYTHON" -m moto.server -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
for ((i = 0; ; i++)); do
    curl -fsS -o /dev/null "http://127.0.0.1:$MOTO_PORT/moto-api/" 2>/dev/null && break
    ((i < 150)) || die "moto did not start"
    sleep 0.2
done
curl -fsS -X PUT -o /dev/null "http://127.0.0.1:$MOTO_PORT/resee-bench"

log "resee-worker backup run"
start=$(date +%s%N)
env DATABASE_URL="$BENCH_DATABASE_URL" REDIS_URL="$REDIS_URL" APP_ENV=development RUST_LOG=warn \
    S3_BUCKET=resee-bench S3_ENDPOINT="http://127.0.0.1:$MOTO_PORT" S3_FORCE_PATH_STYLE=true \
    AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true \
    "$WORKER_BIN" backup run >"$WORK/backup.out" 2>"$WORK/backup.log" &
WORKER_PID=$!
PEAK_KB=0
while kill -0 "$WORKER_PID" 2>/dev/null; do
    kb=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$WORKER_PID/status" 2>/dev/null || true)
    [[ -n $kb ]] && ((kb > PEAK_KB)) && PEAK_KB=$kb
    sleep 0.1
done
wait "$WORKER_PID" || { cat "$WORK/backup.log" >&2; die "the backup failed"; }
WORKER_PID=""
OURS_MS=$((($(date +%s%N) - start) / 1000000))
PEAK=$(awk -v kb="$PEAK_KB" 'BEGIN { printf "%.1f", kb / 1024 }')
OBJECT=$(sed -n 's/^backed up to \(.*\) (\(.*\), sha256.*/\2/p' "$WORK/backup.out")
RATIO=$(awk -v a="$OURS_MS" -v b="$PLAIN_MS" 'BEGIN { printf "%.2f", a / b }')
RATE=$(awk -v bytes="$DB_BYTES" -v ms="$OURS_MS" 'BEGIN { printf "%.0f", bytes / 1048576 / (ms / 1000) }')

bench_report_info backup
{
    echo "# Backup benchmark, $STAMP"
    echo
    echo "Commit $COMMIT; $CPU_MODEL; $MEM_GIB GiB; PostgreSQL $(pg_dump --version | awk '{ print $3 }') on the same host; S3 = moto on loopback."
    echo "Database $DB_SIZE ($BENCH_BACKUP_MB MB of generated random hex text in bench_payload, plus the empty Resee schema)."
    echo
    echo "| measure | result | target |"
    echo "|---|---|---|"
    echo "| plain \`pg_dump --format=custom > /dev/null\` | $(awk -v ms="$PLAIN_MS" 'BEGIN { printf "%.1f", ms / 1000 }') s, peak RSS $PLAIN_RSS MiB | |"
    echo "| \`resee-worker backup run\` (pg_dump → zstd 3 → multipart upload, 16 MiB parts) | $(awk -v ms="$OURS_MS" 'BEGIN { printf "%.1f", ms / 1000 }') s ($RATE MiB/s of database), object $OBJECT | |"
    echo "| time, backup / plain pg_dump | ${RATIO}× | ≤ 1.3× |"
    echo "| peak RSS of resee-worker (VmHWM, sampled every 0.1 s) | $PEAK MiB | < 64 MB |"
} >"$REPORT"
bench_show_report
