#!/usr/bin/env bash
# Runs the whole test suite: ./scripts/test.sh [cargo test arguments...]
#
#   ./scripts/test.sh                                  # everything: Rust, then the web app (scripts/test-web.sh)
#   ./scripts/test.sh -p resee-core                    # unit tests of one crate
#   ./scripts/test.sh -p resee-api --test <name>       # one integration test file
#
# Installs what is missing (Rust via rustup, PostgreSQL, Redis, a Python virtualenv with the
# test SMTP server) and uses, in order: the given
# DATABASE_URL/REDIS_URL, servers on 127.0.0.1:5432/6379, or private instances it starts
# (see scripts/lib/services.sh). #[sqlx::test] creates a fresh database per test.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/services.sh

resee_ensure_rust
resee_ensure_services
resee_ensure_venv

DATABASE_URL="$(resee_db_url postgres)"
export DATABASE_URL REDIS_URL
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/resee/target}"
export SQLX_OFFLINE=true

_resee_log "DATABASE_URL=$DATABASE_URL REDIS_URL=$REDIS_URL RESEE_PYTHON=$RESEE_PYTHON CARGO_TARGET_DIR=$CARGO_TARGET_DIR"
if [ "$#" -gt 0 ]; then
    exec cargo test --workspace --locked "$@"
fi
cargo test --workspace --locked
exec scripts/test-web.sh
