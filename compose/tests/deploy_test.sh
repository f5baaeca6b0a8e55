#!/usr/bin/env bash
# compose/deploy.sh against a fake docker (compose/tests/fake-bin/docker) and real git: a bare
# "origin" with a few commits, a clone playing the EC2 checkout, compose/.env filled in, and a
# loopback stub (deploy_stub.py) standing in for Slack and for the site's health URL.
#
#   compose/tests/deploy_test.sh      (RESEE_PYTHON picks the Python; default python3)
#
# Scenarios: first deploy, rollback when compose's health wait fails, rollback when the site's
# health URL fails, deploy of a branch with image pruning, pull failure -> local build, failed
# migration, rerun of the deployed sha, the lock, a dirty checkout, bad .env, missing compose.
# Ends with "deploy: N passed, N failed".
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=${RESEE_PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/resee-deploy-test.XXXXXX")
STATE="$WORK/docker"
HOST="$WORK/host"
PIDS=()
passed=0
failed=0

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "${KEEP_WORK:-}" = 1 ]; then
        echo "kept $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

ok() {
    passed=$((passed + 1))
    printf 'ok      %s\n' "$1"
}
fail() {
    failed=$((failed + 1))
    printf 'FAILED  %s\n        %s\n' "$1" "$2"
    if [ -n "${LAST_OUT:-}" ] && [ -f "$LAST_OUT" ]; then
        sed 's/^/        | /' "$LAST_OUT" | tail -n 25
    fi
}

# expect NAME CONDITION-COMMAND... : one check.
expect() {
    local name=$1
    shift
    if "$@"; then
        ok "$name"
    else
        fail "$name" "failed: $*"
    fi
}

git_() { git -c user.name=test -c user.email=test@resee.test -c init.defaultBranch=main "$@"; }

# --- the repository: origin with c0 (what the host runs first), c1, c2 (bad), c3 -----------
git_ init -q "$WORK/src"
mkdir -p "$WORK/src/compose"
cp "$ROOT/compose/deploy.sh" "$ROOT/compose/docker-compose.yml" "$ROOT/compose/.env.example" \
    "$ROOT/compose/.gitignore" "$WORK/src/compose/"
commit() {
    echo "$1" >"$WORK/src/VERSION"
    git_ -C "$WORK/src" add -A
    git_ -C "$WORK/src" commit -q -m "$1"
    git -C "$WORK/src" rev-parse HEAD
}
C0=$(commit c0)
C1=$(commit c1)
C2=$(commit c2)
C3=$(commit c3)
git_ clone -q --bare "$WORK/src" "$WORK/origin.git"
git_ clone -q "$WORK/origin.git" "$HOST"
git -C "$HOST" checkout -q --detach "$C0"

# --- stubs -----------------------------------------------------------------------------------
mkdir -p "$STATE"
"$PY" "$HERE/deploy_stub.py" "$STATE" "$WORK/stub.port" &
PIDS+=($!)
for _ in $(seq 1 100); do
    [ -s "$WORK/stub.port" ] && break
    sleep 0.05
done
STUB_PORT=$(cat "$WORK/stub.port")

cat >"$HOST/compose/.env" <<EOF
RESEE_IMAGE_REGISTRY=ghcr.io/resee
RESEE_IMAGE_TAG=latest
POSTGRES_PASSWORD=0123456789abcdef
JWT_SECRET=0123456789abcdef0123456789abcdef0123
PUBLIC_URL=https://resee.test
APP_ENV=production
SMTP_HOST=smtp.resee.test
S3_BUCKET=resee-test-backups
BACKUP_SCHEDULE="0 3 * * *"
SLACK_WEBHOOK_URL=http://127.0.0.1:$STUB_PORT/slack
DEPLOY_HEALTH_URL=http://127.0.0.1:$STUB_PORT/api/health/
DEPLOY_HEALTH_TIMEOUT=2
DEPLOY_KEEP_IMAGES=1
EOF
chmod 600 "$HOST/compose/.env"

export PATH="$HERE/fake-bin:$PATH" FAKE_DOCKER_STATE="$STATE"
unset SLACK_WEBHOOK_URL DEPLOY_HEALTH_URL DEPLOY_HEALTH_TIMEOUT RESEE_IMAGE_TAG FAKE_COMPOSE_VERSION FAKE_NO_COMPOSE

run=0
# deploy ARGS... : runs deploy.sh with fresh call/Slack logs; sets STATUS and LAST_OUT.
deploy() {
    run=$((run + 1))
    LAST_OUT="$WORK/out.$run"
    : >"$STATE/calls"
    : >"$STATE/slack.jsonl"
    STATUS=0
    bash "$HOST/compose/deploy.sh" "$@" >"$LAST_OUT" 2>&1 || STATUS=$?
}

head_is() { [ "$(git -C "$HOST" rev-parse HEAD)" = "$1" ]; }
env_tag_is() { grep -qx "RESEE_IMAGE_TAG=$1" "$HOST/compose/.env"; }
called() { grep -qE "$1" "$STATE/calls"; }
not_called() { ! grep -qE "$1" "$STATE/calls"; }
slack_says() { grep -q "$1" "$STATE/slack.jsonl"; }
slack_count_is() { [ "$(grep -c . "$STATE/slack.jsonl")" = "$1" ]; }
status_is() { [ "$STATUS" = "$1" ]; }
# Line numbers: the first call matching $1 comes before the first matching $2.
before() {
    local a b
    a=$(grep -nE "$1" "$STATE/calls" | head -n 1 | cut -d: -f1)
    b=$(grep -nE "$2" "$STATE/calls" | head -n 1 | cut -d: -f1)
    [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}

# --- 1. first deploy -------------------------------------------------------------------------
printf '%s\n' ghcr.io/resee/resee-api:latest ghcr.io/resee/resee-api:old1 ghcr.io/resee/resee-worker:old1 \
    ghcr.io/resee/resee-web:old2 >"$STATE/images"
deploy "$C1"
expect "happy path: exit 0" status_is 0
expect "happy path: the revision is checked out" head_is "$C1"
expect "happy path: compose/.env records the deployed sha" env_tag_is "$C1"
expect "happy path: pulls the sha's images (api, worker, migrate, nginx)" \
    called "^TAG=$C1 compose .* pull --quiet api worker migrate nginx$"
expect "happy path: starts postgres/redis, migrates, then rolls api+worker, then nginx" \
    before "TAG=$C1 compose .* up -d --wait .* postgres redis" "TAG=$C1 compose .* run --rm --no-deps migrate"
expect "happy path: migration before the roll" \
    before "TAG=$C1 compose .* run --rm --no-deps migrate" "TAG=$C1 compose .* up -d --no-deps --wait .* api worker"
expect "happy path: api+worker before nginx" \
    before "TAG=$C1 compose .* up -d --no-deps --wait .* api worker" "TAG=$C1 compose .* up -d --no-deps --wait .* nginx"
expect "happy path: no local build when the pull works" not_called " build "
expect "happy path: Slack hears of the deploy" slack_says "deployed"
expect "happy path: one Slack message" slack_count_is 1
expect "happy path: history records it" grep -q "deployed $C1" "$HOST/compose/.deploy/history"

# --- 2. unhealthy (compose's --wait fails) -> rollback -----------------------------------------
echo "$C2" >"$STATE/bad-tags"
echo wait >"$STATE/bad-mode"
deploy "$C2"
expect "rollback (health wait): exit 1" status_is 1
expect "rollback (health wait): the previous revision is checked out again" head_is "$C1"
expect "rollback (health wait): compose/.env keeps the previous sha" env_tag_is "$C1"
expect "rollback (health wait): the new images were tried" called "^TAG=$C2 compose .* up -d --no-deps --wait .* api worker"
expect "rollback (health wait): the previous images are restarted after the failure" \
    before "^TAG=$C2 compose .* up .* api worker" "^TAG=$C1 compose .* up -d --no-deps --wait .* api worker"
expect "rollback (health wait): and the previous nginx" called "^TAG=$C1 compose .* up -d --no-deps --wait .* nginx"
expect "rollback (health wait): Slack hears of the rollback" slack_says "Rolled back to ${C1:0:12}"
expect "rollback (health wait): the Slack message is JSON with a text" "$PY" -c \
    'import json, sys; assert all("text" in json.loads(l) for l in open(sys.argv[1]) if l.strip())' "$STATE/slack.jsonl"
expect "rollback (health wait): history records it" grep -q "rolled-back $C2" "$HOST/compose/.deploy/history"

# --- 3. unhealthy through nginx (the health URL answers 503) -> rollback -------------------------
echo http >"$STATE/bad-mode"
deploy "$C2"
expect "rollback (health URL): exit 1" status_is 1
expect "rollback (health URL): previous revision and sha" head_is "$C1"
expect "rollback (health URL): compose/.env keeps the previous sha" env_tag_is "$C1"
expect "rollback (health URL): previous images restarted" called "^TAG=$C1 compose .* up -d --no-deps --wait .* api worker"
expect "rollback (health URL): the site is healthy again" test ! -e "$STATE/unhealthy"
expect "rollback (health URL): Slack hears of the rollback" slack_says "Rolled back"
rm -f "$STATE/bad-tags"

# --- 4. a branch; old images pruned --------------------------------------------------------------
printf '%s\n' ghcr.io/resee/resee-api:old1 ghcr.io/resee/resee-web:old2 >>"$STATE/images"
deploy main
expect "branch: exit 0" status_is 0
expect "branch: main resolved to its sha" head_is "$C3"
expect "branch: compose/.env records the sha" env_tag_is "$C3"
expect "prune: images of old revisions removed" called "^TAG= image rm ghcr.io/resee/resee-api:old1$"
expect "prune: all old ones" called "^TAG= image rm ghcr.io/resee/resee-web:old2$"
expect "prune: the images of the rolled-back revision too" called "^TAG= image rm ghcr.io/resee/resee-api:$C2$"
expect "prune: the previous revision's images stay (rollback)" not_called "image rm .*:$C1$"
expect "prune: the deployed images stay" not_called "image rm .*:$C3$"
expect "prune: dangling layers" called "^TAG= image prune -f$"

# --- 5. the pull fails -> build here -------------------------------------------------------------
touch "$STATE/pull-fails"
deploy "$C1"
expect "build fallback: exit 0" status_is 0
expect "build fallback: builds the sha here" called "^TAG=$C1 compose .* build api worker migrate nginx$"
expect "build fallback: deployed" env_tag_is "$C1"
touch "$STATE/build-fails"
deploy "$C3"
expect "no images at all: exit 1, nothing rolled" status_is 1
expect "no images at all: no service touched" not_called " up "
expect "no images at all: previous revision kept" head_is "$C1"
expect "no images at all: Slack hears of it" slack_says "no images"
rm -f "$STATE/pull-fails" "$STATE/build-fails"

# --- 6. the migration fails ----------------------------------------------------------------------
touch "$STATE/migrate-fails"
deploy "$C3"
expect "failed migration: exit 1" status_is 1
expect "failed migration: api/worker never rolled" not_called "up -d --no-deps"
expect "failed migration: previous revision kept" head_is "$C1"
expect "failed migration: compose/.env keeps the previous sha" env_tag_is "$C1"
expect "failed migration: Slack hears of it" slack_says "migration failed"
rm -f "$STATE/migrate-fails"

# --- 7. rerun of the deployed sha converges --------------------------------------------------------
deploy "$C1"
expect "rerun: exit 0" status_is 0
expect "rerun: still the same sha" env_tag_is "$C1"
deploy "$C1"
expect "rerun again: exit 0, idempotent" status_is 0

# --- 8. one deploy at a time -----------------------------------------------------------------------
"$PY" -c 'import fcntl, sys, time
f = open(sys.argv[1], "w"); fcntl.flock(f, fcntl.LOCK_EX); open(sys.argv[2], "w").close(); time.sleep(60)' \
    "$HOST/compose/.deploy/lock" "$WORK/locked" &
holder=$!
PIDS+=("$holder")
for _ in $(seq 1 100); do
    [ -e "$WORK/locked" ] && break
    sleep 0.05
done
deploy "$C3"
expect "lock: a second deploy exits 75" status_is 75
expect "lock: and touches nothing" not_called " (pull|up|run) "
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true

# --- 9. refusals -----------------------------------------------------------------------------------
echo "# local edit" >>"$HOST/compose/docker-compose.yml"
deploy "$C3"
expect "dirty checkout: refused (64)" status_is 64
expect "dirty checkout: nothing pulled" not_called " pull "
git -C "$HOST" checkout -q -- compose/docker-compose.yml

cp "$HOST/compose/.env" "$WORK/env.good"
sed -i 's/^JWT_SECRET=.*/JWT_SECRET=short/' "$HOST/compose/.env"
deploy "$C3"
expect "bad .env: refused (64)" status_is 64
expect "bad .env: names the variable" grep -q "JWT_SECRET needs at least 32" "$LAST_OUT"
expect "bad .env: no compose command but the version check" not_called "compose .* (pull|up|run)"
cp "$WORK/env.good" "$HOST/compose/.env"
sed -i 's/^S3_BUCKET=.*/S3_BUCKET=/' "$HOST/compose/.env"
deploy "$C3"
expect "backups on without a bucket: refused (64)" status_is 64
cp "$WORK/env.good" "$HOST/compose/.env"

FAKE_COMPOSE_VERSION=2.12.2 deploy "$C3"
expect "old compose: refused (69)" status_is 69
FAKE_NO_COMPOSE=1 deploy "$C3"
expect "no compose plugin: refused (69)" status_is 69
expect "no compose plugin: says what to install" grep -q "docker-compose-plugin" "$LAST_OUT"
deploy no-such-branch
expect "unknown revision: refused (64)" status_is 64
expect "after all refusals: still the last good revision" head_is "$C1"

LAST_OUT=""
printf '\ndeploy: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
