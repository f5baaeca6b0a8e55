#!/usr/bin/env bash
# The reliability suite (docs/RELIABILITY.md): ./reliability/run.sh [fuzz] [isolation] [faults]
#
# Builds resee-api and resee-worker (debug), then reliability/suite.py starts a private stack
# (its own PostgreSQL cluster, Redis with an append-only file, SMTP inbox, api, worker — all on
# free loopback ports) and runs, by default, all three phases:
#   fuzz       schemathesis over /api/openapi.json as a normal user and as staff
#   isolation  every route with an id, every method: another user's ids give 404 and no data
#   faults     PostgreSQL stop/start and Redis SIGKILL/restart under load, worker SIGKILL during jobs
# The S3 stall/death faults are worker tests (worker/tests/worker/backups.rs).
# RELIABILITY_EXAMPLES (25) sets schemathesis's examples per operation; RELIABILITY_KEEP=1
# keeps the work directory (logs).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR/..
source "$ROOT/scripts/lib/services.sh"

resee_ensure_stack_tools
_resee_log "building resee-api and resee-worker (debug)"
(cd "$ROOT" && SQLX_OFFLINE=true cargo build --quiet -p resee-api -p resee-worker --locked)

cd "$ROOT/reliability"
exec "$RESEE_PYTHON" suite.py \
    --api-bin "$CARGO_TARGET_DIR/debug/resee-api" \
    --worker-bin "$CARGO_TARGET_DIR/debug/resee-worker" \
    --examples "${RELIABILITY_EXAMPLES:-25}" "$@"
