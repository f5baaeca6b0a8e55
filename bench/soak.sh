#!/usr/bin/env bash
# The soak benchmark (docs/RELIABILITY.md → Soak): ./bench/soak.sh
#
# Builds the release api and worker, starts a private stack (reliability/stack.py: its own
# PostgreSQL, Redis, SMTP inbox, api, worker) and runs bench/soak.py: a short run for the
# reference p99, then SOAK_MINUTES (10) of mixed load — reads, completions, note writes,
# sign-ins — sampling the api's RSS every 10 s. Writes bench/results/soak-<time>.md and exits
# non-zero on any error, a p99 over twice the short run's, or memory that keeps growing.
# Not part of CI.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR/..
source "$ROOT/scripts/lib/services.sh"

resee_ensure_stack_tools
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    (cd "$ROOT" && SQLX_OFFLINE=true cargo build --quiet --release -p resee-api -p resee-worker --locked)
fi
mkdir -p "$ROOT/bench/results"
exec "$RESEE_PYTHON" "$ROOT/bench/soak.py" \
    --api-bin "$CARGO_TARGET_DIR/release/resee-api" \
    --worker-bin "$CARGO_TARGET_DIR/release/resee-worker" \
    --minutes "${SOAK_MINUTES:-10}" --threads "${SOAK_THREADS:-6}" \
    --report "$ROOT/bench/results/soak-$(date -u +%Y-%m-%dT%H%M).md"
