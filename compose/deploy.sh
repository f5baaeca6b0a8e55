#!/usr/bin/env bash
# Deploys one revision of Resee on this host with Docker Compose, and rolls back when it is not
# healthy. Run it from anywhere; GitHub Actions runs it over SSH (.github/workflows/deploy.yml).
#
#   compose/deploy.sh [REVISION]    # a commit sha, a branch or a tag (default: $DEPLOY_BRANCH)
#
#   1. checks the tools (docker, docker compose >= 2.20, git, curl, flock) and compose/.env
#   2. takes a lock (one deploy at a time; a second one exits 75 at once)
#   3. git fetch, then checks out the revision (detached); refuses local changes to tracked files
#   4. pulls the images tagged with the revision's sha; builds them here only if the pull fails
#   5. starts postgres and redis if needed, runs the migrations (the one-shot "migrate" service)
#   6. rolls api and worker, then nginx, waits for their health checks and for
#      $DEPLOY_HEALTH_URL through nginx
#   7. healthy: records the sha as RESEE_IMAGE_TAG in compose/.env, prunes old images;
#      not healthy: restarts the previous images, checks out the previous revision
#   8. reports to Slack (SLACK_WEBHOOK_URL): deployed, failed, rolled back, rollback failed
#
# Safe to rerun: each step converges (a rerun of the deployed sha changes nothing). Migrations are
# never undone by a rollback: keep them backward compatible (add first, remove a release later).
#
# Settings (environment, else compose/.env, else the default):
#   DEPLOY_REMOTE (origin), DEPLOY_BRANCH (main), DEPLOY_HEALTH_TIMEOUT (180 s per wait),
#   DEPLOY_HEALTH_URL (http://127.0.0.1:$HTTP_PORT/api/health/), DEPLOY_KEEP_IMAGES (3 deployed
#   revisions kept for rollbacks), SLACK_WEBHOOK_URL.
# Exit status: 0 deployed; 1 failed and the previous version runs; 2 the rollback failed too;
# 64 bad usage or configuration; 69 a tool is missing; 75 another deploy is running.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COMPOSE_FILE="$ROOT/compose/docker-compose.yml"
ENV_FILE="$ROOT/compose/.env"
STATE_DIR="$ROOT/compose/.deploy"
SERVICES_APP=(api worker)
SERVICES_EDGE=(nginx)
SERVICES_IMAGES=(api worker migrate nginx)

log() { printf '[deploy %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
    local status=$1
    shift
    log "error: $*"
    exit "$status"
}

# The value of NAME in compose/.env (NAME=value, optional quotes); empty when absent.
env_get() {
    local name=$1 line value=""
    [ -f "$ENV_FILE" ] || return 0
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%$'\r'}
        case "$line" in
            "$name="*)
                value=${line#*=}
                case "$value" in
                    \"*\") value=${value:1:${#value}-2} ;;
                    \'*\') value=${value:1:${#value}-2} ;;
                esac
                ;;
        esac
    done <"$ENV_FILE"
    printf '%s' "$value"
}

# Sets NAME=value in compose/.env (replacing the line, or appending it), atomically.
env_set() {
    local name=$1 value=$2 tmp
    tmp=$(mktemp "$ENV_FILE.XXXXXX")
    awk -v name="$name" -v value="$value" '
        BEGIN { done = 0 }
        index($0, name "=") == 1 { if (!done) print name "=" value; done = 1; next }
        { print }
        END { if (!done) print name "=" value }
    ' "$ENV_FILE" >"$tmp"
    chmod --reference="$ENV_FILE" "$tmp" 2>/dev/null || chmod 600 "$tmp"
    mv -f "$tmp" "$ENV_FILE"
}

# A setting: the environment wins over compose/.env, then the default.
setting() {
    local name=$1 default=$2 value
    value=${!name:-}
    [ -n "$value" ] || value=$(env_get "$name")
    printf '%s' "${value:-$default}"
}

json_string() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\n'/\\n}
    s=${s//$'\t'/ }
    printf '"%s"' "$s"
}

# Posts a message to Slack; a failure to notify never fails the deploy.
notify() {
    local text=$1 url
    url=$(setting SLACK_WEBHOOK_URL "")
    if [ -z "$url" ]; then
        log "(no SLACK_WEBHOOK_URL) $text"
        return 0
    fi
    curl -fsS --max-time 10 -X POST -H 'Content-Type: application/json' \
        --data "{\"text\": $(json_string "$text")}" "$url" >/dev/null 2>&1 \
        || log "warning: could not post to Slack"
}

compose() {
    RESEE_IMAGE_TAG="$DEPLOY_TAG" docker compose --project-directory "$ROOT/compose" \
        -f "$COMPOSE_FILE" --env-file "$ENV_FILE" "$@"
}

check_tools() {
    local tool version major minor
    for tool in docker git curl flock awk; do
        command -v "$tool" >/dev/null 2>&1 || die 69 "$tool is not installed (docs/DEPLOY.md lists the host's tools)"
    done
    version=$(docker compose version --short 2>/dev/null) \
        || die 69 "the Docker Compose v2 plugin is missing: install docker-compose-plugin"
    version=${version#v}
    major=${version%%.*}
    minor=${version#*.}
    minor=${minor%%.*}
    if ! [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || [ "$major" -lt 2 ] || { [ "$major" -eq 2 ] && [ "$minor" -lt 20 ]; }; then
        die 69 "Docker Compose $version is too old: 2.20 or newer is needed"
    fi
}

check_env() {
    [ -f "$ENV_FILE" ] || die 64 "$ENV_FILE is missing: cp compose/.env.example compose/.env and fill it in"
    local problems=() value
    value=$(env_get POSTGRES_PASSWORD)
    if [ -z "$value" ]; then
        problems+=("POSTGRES_PASSWORD is empty (openssl rand -hex 24)")
    elif ! [[ "$value" =~ ^[A-Za-z0-9._~-]+$ ]]; then
        problems+=("POSTGRES_PASSWORD may only hold letters, digits and . _ ~ - (it goes into a URL)")
    fi
    value=$(env_get JWT_SECRET)
    [ "${#value}" -ge 32 ] || problems+=("JWT_SECRET needs at least 32 characters (openssl rand -hex 32)")
    value=$(env_get PUBLIC_URL)
    [[ "$value" =~ ^https?://[^/]+$ ]] || problems+=("PUBLIC_URL must be the site's origin, e.g. https://resee.example.com")
    if [ "$(env_get APP_ENV)" != development ] && [ -z "$(env_get SMTP_URL)$(env_get SMTP_HOST)" ]; then
        problems+=("SMTP_URL or SMTP_HOST is required in production (the worker refuses to start without)")
    fi
    value=$(env_get BACKUP_SCHEDULE)
    if [ "$value" != off ] && [ -z "$(env_get S3_BUCKET)" ]; then
        problems+=("S3_BUCKET is empty while backups are on (set it, or BACKUP_SCHEDULE=off)")
    fi
    if [ "$(env_get NGINX_TLS)" = on ] && [ "$(env_get HTTPS_BIND)" = 127.0.0.1 ]; then
        problems+=("NGINX_TLS=on but HTTPS_BIND=127.0.0.1: set HTTPS_BIND=0.0.0.0 to publish 443")
    fi
    if [ "${#problems[@]}" -gt 0 ]; then
        local p
        for p in "${problems[@]}"; do
            log "compose/.env: $p"
        done
        die 64 "fix compose/.env first (compose/.env.example explains every variable)"
    fi
}

# Resolves $1 (sha, branch or tag) to a full commit sha after the fetch.
resolve_revision() {
    local wanted=$1 remote=$2 sha
    for candidate in "$remote/$wanted" "refs/tags/$wanted" "$wanted"; do
        if sha=$(git -C "$ROOT" rev-parse --verify --quiet "$candidate^{commit}"); then
            printf '%s' "$sha"
            return 0
        fi
    done
    return 1
}

# Waits until $DEPLOY_HEALTH_URL answers 2xx, for at most $1 seconds.
wait_http() {
    local timeout=$1 url deadline
    url=$(setting DEPLOY_HEALTH_URL "http://127.0.0.1:$(setting HTTP_PORT 80)/api/health/")
    deadline=$((SECONDS + timeout))
    while :; do
        if curl -fsS --max-time 5 -o /dev/null "$url" 2>/dev/null; then
            log "healthy: $url"
            return 0
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "not healthy after ${timeout}s: $url"
            return 1
        fi
        sleep 1
    done
}

# Starts $@ (services) with the images of $DEPLOY_TAG and waits for their health checks.
roll() {
    local timeout
    timeout=$(setting DEPLOY_HEALTH_TIMEOUT 180)
    compose up -d --no-deps --wait --wait-timeout "$timeout" "$@"
}

# Rolls everything of $DEPLOY_TAG and checks it end to end.
roll_all() {
    roll "${SERVICES_APP[@]}" && roll "${SERVICES_EDGE[@]}" && wait_http "$(setting DEPLOY_HEALTH_TIMEOUT 180)"
}

record() {
    printf '%s %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$2" >>"$STATE_DIR/history"
}

# Removes images of resee-* that are neither running nor among the last $DEPLOY_KEEP_IMAGES
# deployed tags, then dangling layers.
prune_images() {
    local keep registry ref tag kept
    keep=$(setting DEPLOY_KEEP_IMAGES 3)
    registry=$(setting RESEE_IMAGE_REGISTRY ghcr.io/resee)
    kept=" $DEPLOY_TAG $PREVIOUS_TAG "
    if [ -f "$STATE_DIR/history" ]; then
        while read -r tag; do
            kept+="$tag "
        done < <(awk '$2 == "deployed" { print $3 }' "$STATE_DIR/history" | tail -n "$keep")
    fi
    while read -r ref; do
        [ -n "$ref" ] || continue
        tag=${ref##*:}
        case "$kept" in
            *" $tag "*) ;;
            *)
                if docker image rm "$ref" >/dev/null 2>&1; then
                    log "removed image $ref"
                fi
                ;;
        esac
    done < <(docker image ls --format '{{.Repository}}:{{.Tag}}' --filter "reference=$registry/resee-*")
    docker image prune -f >/dev/null 2>&1 || true
}

rollback() {
    local reason=$1
    log "rolling back: $reason"
    if [ "$PREVIOUS_TAG" = "$DEPLOY_TAG" ]; then
        git -C "$ROOT" checkout --quiet --detach "$PREVIOUS_REV" || true
        record failed "$DEPLOY_TAG"
        notify ":x: Resee $SHORT on $(hostname): $reason. It was already the deployed version: nothing to roll back to."
        return 1
    fi
    git -C "$ROOT" checkout --quiet --detach "$PREVIOUS_REV" || log "warning: could not check out $PREVIOUS_REV"
    DEPLOY_TAG=$PREVIOUS_TAG
    if roll_all; then
        record rolled-back "$NEW_TAG"
        notify ":rotating_light: Resee $SHORT on $(hostname): $reason. Rolled back to ${PREVIOUS_TAG:0:12} (revision ${PREVIOUS_REV:0:12})."
        return 1
    fi
    record rollback-failed "$NEW_TAG"
    notify ":fire: Resee $SHORT on $(hostname): $reason, and the rollback to ${PREVIOUS_TAG:0:12} is not healthy either. Look now: docker compose ps / logs."
    return 2
}

main() {
    [ $# -le 1 ] || die 64 "usage: compose/deploy.sh [REVISION]"
    case "${1:-}" in
        -h | --help) sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; return 0 ;;
    esac
    check_tools
    mkdir -p "$STATE_DIR"
    exec 9>"$STATE_DIR/lock"
    flock -n 9 || die 75 "another deploy is running (lock $STATE_DIR/lock)"
    check_env

    local remote branch wanted
    remote=$(setting DEPLOY_REMOTE origin)
    branch=$(setting DEPLOY_BRANCH main)
    wanted=${1:-$branch}

    if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
        die 64 "the checkout has local changes to tracked files; commit or discard them first: $(git -C "$ROOT" status --short --untracked-files=no | tr '\n' ' ')"
    fi
    PREVIOUS_REV=$(git -C "$ROOT" rev-parse HEAD)
    PREVIOUS_TAG=$(env_get RESEE_IMAGE_TAG)
    PREVIOUS_TAG=${PREVIOUS_TAG:-latest}

    log "fetching $remote"
    git -C "$ROOT" fetch --quiet --prune --tags "$remote" || die 1 "git fetch $remote failed"
    NEW_TAG=$(resolve_revision "$wanted" "$remote") || die 64 "unknown revision: $wanted"
    DEPLOY_TAG=$NEW_TAG
    SHORT=${NEW_TAG:0:12}
    log "deploying $SHORT (was ${PREVIOUS_TAG:0:12}, revision ${PREVIOUS_REV:0:12})"
    git -C "$ROOT" checkout --quiet --detach "$NEW_TAG"

    log "pulling images for $SHORT"
    if ! compose pull --quiet "${SERVICES_IMAGES[@]}"; then
        log "pull failed (images not published?); building $SHORT here"
        if ! compose build "${SERVICES_IMAGES[@]}"; then
            git -C "$ROOT" checkout --quiet --detach "$PREVIOUS_REV"
            record failed "$NEW_TAG"
            notify ":x: Resee $SHORT on $(hostname): no images (pull and build failed). ${PREVIOUS_TAG:0:12} keeps running."
            return 1
        fi
    fi

    log "starting postgres and redis"
    if ! compose up -d --wait --wait-timeout "$(setting DEPLOY_HEALTH_TIMEOUT 180)" postgres redis; then
        git -C "$ROOT" checkout --quiet --detach "$PREVIOUS_REV"
        record failed "$NEW_TAG"
        notify ":x: Resee $SHORT on $(hostname): PostgreSQL or Redis is not healthy; nothing was changed."
        return 1
    fi

    log "running migrations"
    if ! compose run --rm --no-deps migrate; then
        git -C "$ROOT" checkout --quiet --detach "$PREVIOUS_REV"
        record failed "$NEW_TAG"
        notify ":x: Resee $SHORT on $(hostname): the migration failed. ${PREVIOUS_TAG:0:12} keeps running."
        return 1
    fi

    log "rolling ${SERVICES_APP[*]} ${SERVICES_EDGE[*]}"
    if ! roll_all; then
        local status=0
        rollback "the new version is not healthy" || status=$?
        return "$status"
    fi

    env_set RESEE_IMAGE_TAG "$NEW_TAG"
    record deployed "$NEW_TAG"
    prune_images
    log "deployed $SHORT"
    notify ":white_check_mark: Resee $SHORT deployed on $(hostname) (was ${PREVIOUS_TAG:0:12})."
}

# One compound command: bash has read all of it before the checkout can replace this file.
{ main "$@"; exit $?; }
