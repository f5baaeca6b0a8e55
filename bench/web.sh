#!/usr/bin/env bash
# The web app's budgets: the JavaScript the landing and login routes load (≤ 150 kB gzip) and a
# Lighthouse performance score ≥ 95 on the dashboard of a seeded user.
#
# Builds the SPA, reads the bundle sizes (web/scripts/size-report.mjs), starts the real stack
# (web/e2e/stack.sh: nginx + api + worker + PostgreSQL + Redis on loopback), seeds a user with
# 40 notes and 30 reviews through the API and runs Lighthouse 12.2.3 with Chromium against
# /dashboard. Writes bench/results/web-<time>.md (+ the Lighthouse JSON). Not part of CI.
#
# Knobs: LIGHTHOUSE_RUNS (5: the median run is reported, as Lighthouse advises), LIGHTHOUSE_PRESET
# (mobile | desktop; default mobile, Lighthouse's own default with its
# simulated slow 4G and 4x CPU slowdown), TARGET_SCORE (95), BENCH_RESULTS_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/services.sh
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/web.sh

export LIGHTHOUSE_PRESET=${LIGHTHOUSE_PRESET:-mobile} TARGET_SCORE=${TARGET_SCORE:-95}
RESULTS=${BENCH_RESULTS_DIR:-$ROOT/bench/results}
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p "$RESULTS"
export OUT_DIR
OUT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/resee-bench-web.XXXXXX")
trap 'rm -rf "$OUT_DIR"' EXIT

resee_ensure_node
resee_ensure_chromium
(cd web && npm ci --no-audit --no-fund && npm run build) >&2
sizes=$(cd web && npm run --silent size)
(cd bench/web && npm ci --no-audit --no-fund) >&2

status=0
web/e2e/stack.sh node "$ROOT/bench/web/lighthouse.mjs" || status=$?

report="$RESULTS/web-$STAMP.md"
{
    echo "# Web app — $STAMP"
    echo
    echo "Commit $(git rev-parse --short HEAD), $(nproc) cores, $(node --version), $("${CHROME_PATH:-chromium}" --version 2>/dev/null || echo "Playwright's Chromium")."
    echo
    echo "## Initial JavaScript (gzip)"
    echo
    echo '```'
    echo "$sizes"
    echo '```'
    echo
    echo "## Lighthouse 12.2.3"
    echo
    cat "$OUT_DIR/lighthouse.md" 2>/dev/null || echo "(Lighthouse did not finish; see the output above)"
} >"$report"
cp "$OUT_DIR/lighthouse-dashboard.json" "$RESULTS/web-$STAMP-lighthouse.json" 2>/dev/null || true
cat "$report"
exit "$status"
