#!/usr/bin/env bash
# The web app's tests: ./scripts/test-web.sh [unit|e2e]   (default: both)
#
#   unit  type check, Vitest, production build and the bundle-size budget (npm run check in web/)
#   e2e   Playwright in Chromium against the real stack: web/e2e/stack.sh starts PostgreSQL,
#         Redis, a test SMTP inbox, the api, the worker and nginx serving web/dist
#
# Installs what is missing (Node.js >= 20.19, Chromium, nginx, the Rust toolchain; see
# scripts/lib/web.sh and scripts/lib/services.sh). Screenshots land in web/e2e/artifacts/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/services.sh
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/web.sh

what=${1:-all}
case "$what" in
    all | unit | e2e) ;;
    *) _resee_fail "usage: $0 [unit|e2e]" ;;
esac

resee_ensure_node
if [ "$what" != e2e ]; then
    _resee_log "web: npm ci, type check, unit tests, build, size budget"
    (cd web && npm ci --no-audit --no-fund && npm run check)
fi
if [ "$what" != unit ]; then
    [ -f web/dist/index.html ] || (cd web && npm ci --no-audit --no-fund && npm run build)
    resee_ensure_chromium
    _resee_log "web: browser tests against the real stack"
    (cd web/e2e && npm ci --no-audit --no-fund && npm run typecheck)
    rm -rf web/e2e/artifacts
    web/e2e/stack.sh sh -c 'cd e2e && npx playwright test'
fi
