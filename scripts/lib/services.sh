# shellcheck shell=bash
# Resee development services: PostgreSQL, Redis and the Rust toolchain.
#
# Source it, then call what you need:
#
#   source scripts/lib/services.sh
#   resee_ensure_rust        # rustup + the toolchain of rust-toolchain.toml
#   resee_ensure_services    # exports DATABASE_URL (server URL) and REDIS_URL
#   resee_create_db resee    # creates database "resee" when missing
#   resee_db_url resee       # prints DATABASE_URL with the database replaced
#   resee_stop_services      # stops the private instances started here
#   resee_ensure_venv        # Python virtualenv with scripts/requirements-test.txt; exports RESEE_PYTHON
#   resee_ensure_stack_tools # all of the above's tools for a private stack of one's own (no servers
#                            # started): Rust, the virtualenv, PostgreSQL binaries, redis-server, psql
#
# Order of preference for each service:
#   1. $DATABASE_URL / $REDIS_URL when already set and reachable;
#   2. the server on 127.0.0.1:5432 (user postgres, no password) / 127.0.0.1:6379;
#   3. a private instance under $RESEE_STATE_DIR (default ~/.cache/resee/services),
#      PostgreSQL on 127.0.0.1:$RESEE_PG_PORT (55432), Redis on 127.0.0.1:$RESEE_REDIS_PORT (56379),
#      started on demand and reused by later runs.
# Missing packages are installed with apt-get (through sudo when not root).
#
# Settings (environment):
#   RESEE_STATE_DIR            where private instances live (default $HOME/.cache/resee/services)
#   RESEE_PG_PORT              private PostgreSQL port (default 55432)
#   RESEE_REDIS_PORT           private Redis port (default 56379)
#   RESEE_SKIP_SYSTEM_SERVICES=1  ignore servers on 5432/6379 (forces the private instances)
#
# Works under `set -euo pipefail`; never changes the caller's shell options.
# Messages go to stderr, prefixed with [resee].

RESEE_ROOT="${RESEE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
RESEE_STATE_DIR="${RESEE_STATE_DIR:-${HOME:-/tmp}/.cache/resee/services}"
case "$RESEE_STATE_DIR" in
    /*) ;;
    *) RESEE_STATE_DIR="$PWD/$RESEE_STATE_DIR" ;;
esac
RESEE_PG_PORT="${RESEE_PG_PORT:-55432}"
RESEE_REDIS_PORT="${RESEE_REDIS_PORT:-56379}"
_RESEE_APT_UPDATED="${_RESEE_APT_UPDATED:-}"

_resee_log() { printf '[resee] %s\n' "$*" >&2; }

_resee_fail() {
    printf '[resee] error: %s\n' "$*" >&2
    return 1
}

_resee_is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as root: directly, or through sudo.
_resee_as_root() {
    if _resee_is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        _resee_fail "need root to run '$*' but sudo is not installed; install it or run as root"
    fi
}

# Installs Debian/Ubuntu packages (apt-get update once per shell).
_resee_apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        _resee_fail "apt-get not found: install $* with your package manager, then re-run"
        return 1
    fi
    _resee_apt_update || return 1
    _resee_log "installing packages: $*"
    _resee_as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@" >&2
}

# apt-get update, once per shell (package lists are empty on fresh machines and containers).
_resee_apt_update() {
    if ! command -v apt-get >/dev/null 2>&1; then
        _resee_fail "apt-get not found: install the missing packages with your package manager"
        return 1
    fi
    if [ -z "$_RESEE_APT_UPDATED" ]; then
        _resee_log "apt-get update"
        _resee_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
        _RESEE_APT_UPDATED=1
    fi
}

_resee_apt_has_candidate() {
    local candidate
    candidate="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2; exit }')"
    [ -n "$candidate" ] && [ "$candidate" != "(none)" ]
}

# --- Rust ---------------------------------------------------------------------------------

# Makes sure cargo works; installs rustup when missing. rust-toolchain.toml picks the version.
resee_ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1 && [ -f "${HOME:-/nonexistent}/.cargo/env" ]; then
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    local missing=()
    if ! command -v cc >/dev/null 2>&1; then
        missing+=(build-essential pkg-config curl ca-certificates)
    elif ! command -v cargo >/dev/null 2>&1 && ! command -v curl >/dev/null 2>&1; then
        missing+=(curl ca-certificates)
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        _resee_apt_install "${missing[@]}" || return 1
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        _resee_log "installing rustup (toolchain comes from rust-toolchain.toml)"
        curl --proto '=https' --tlsv1.2 https://sh.rustup.rs -sSf \
            | sh -s -- -y --profile minimal --default-toolchain none >&2 || {
            _resee_fail "rustup installation failed"
            return 1
        }
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    # With rustup, install the pinned toolchain (and its components) up front, so the first
    # cargo command does not fail where automatic installation is disabled.
    if command -v rustup >/dev/null 2>&1 && ! (cd "$RESEE_ROOT" && rustup which cargo >/dev/null 2>&1); then
        _resee_log "installing the Rust toolchain of rust-toolchain.toml"
        (cd "$RESEE_ROOT" && { rustup toolchain install >&2 || rustup show >&2; }) || {
            _resee_fail "could not install the Rust toolchain"
            return 1
        }
    fi
}

# --- PostgreSQL ---------------------------------------------------------------------------

_resee_pg_ok() {
    PGCONNECT_TIMEOUT=3 psql -w -X -q -t -A "$1" -c 'select 1' >/dev/null 2>&1
}

# Directory holding initdb/pg_ctl: the newest /usr/lib/postgresql/*/bin, else the one on PATH.
_resee_pg_bindir() {
    local dir
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        printf '%s\n' "$dir"
        return 0
    fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    return 1
}

_resee_install_pg_server() {
    if _resee_pg_bindir >/dev/null; then
        return 0
    fi
    _resee_apt_update || return 1
    if _resee_apt_has_candidate postgresql-15; then
        _resee_apt_install postgresql-15 || return 1
    else
        _resee_apt_install postgresql || return 1
    fi
    _resee_pg_bindir >/dev/null || _resee_fail "PostgreSQL installed but initdb/pg_ctl not found"
}

# Runs a command as the owner of the private cluster: `postgres` when we are root (from /, as
# the current directory may be unreadable to that user; every path passed is absolute).
_resee_pg_run() {
    if _resee_is_root; then
        if command -v runuser >/dev/null 2>&1; then
            (cd / && runuser -u postgres -- "$@")
        else
            local cmd
            cmd="$(printf '%q ' "$@")"
            (cd / && su -s /bin/sh postgres -c "$cmd")
        fi
    else
        "$@"
    fi
}

# Where the private cluster lives. As root it must be reachable by the `postgres` user; a home
# directory like /root (mode 700) is not, so fall back to /var/tmp/resee-services then.
_resee_pg_base() {
    mkdir -p "$RESEE_STATE_DIR"
    local base
    base="$(cd "$RESEE_STATE_DIR" && pwd)/pg"
    if _resee_is_root; then
        if ! _resee_pg_run test -x "${base%/pg}" 2>/dev/null; then
            _resee_log "$RESEE_STATE_DIR is not reachable by user postgres; the cluster goes to /var/tmp/resee-services/pg"
            mkdir -p /var/tmp/resee-services
            chmod 755 /var/tmp/resee-services
            base="/var/tmp/resee-services/pg"
        fi
        mkdir -p "$base"
        chown postgres: "$base"
    else
        mkdir -p "$base"
    fi
    printf '%s\n' "$base"
}

_resee_start_private_pg() {
    _resee_install_pg_server || return 1
    local bindir base data sockdir logfile url
    bindir="$(_resee_pg_bindir)"
    url="postgres://postgres@127.0.0.1:${RESEE_PG_PORT}/postgres"

    if _resee_is_root && ! id postgres >/dev/null 2>&1; then
        _resee_log "creating system user postgres"
        useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres || return 1
    fi
    base="$(_resee_pg_base)" || return 1
    data="$base/data"
    sockdir="$base/run"
    logfile="$base/postgres.log"
    # Unix socket paths are limited to ~107 bytes.
    if [ $((${#sockdir} + 20)) -gt 100 ]; then
        sockdir="/tmp/resee-pg-$(id -u)"
    fi
    mkdir -p "$sockdir"
    if _resee_is_root; then
        chown postgres: "$sockdir"
    fi

    # A throwaway cluster from another PostgreSQL major version cannot be started: recreate it.
    local major
    major="$("$bindir/pg_ctl" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')"
    if [ -f "$data/PG_VERSION" ] && [ "$(cat "$data/PG_VERSION")" != "$major" ]; then
        _resee_log "private cluster in $data is from PostgreSQL $(cat "$data/PG_VERSION"); recreating it for $major"
        _resee_pg_run "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$data"
    fi

    if [ ! -f "$data/PG_VERSION" ]; then
        _resee_log "initialising private PostgreSQL cluster in $data"
        rm -rf "$data"
        _resee_pg_run "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
            || _resee_pg_run "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >"$base/initdb.log" 2>&1 \
            || {
                cat "$base/initdb.log" >&2
                _resee_fail "initdb failed"
                return 1
            }
    fi

    local running=0
    if _resee_pg_run "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        running=1
    fi
    if [ "$running" = 1 ] && _resee_pg_ok "$url"; then
        _resee_log "reusing private PostgreSQL on 127.0.0.1:${RESEE_PG_PORT} ($data)"
    else
        if [ "$running" = 1 ]; then
            # Running but not answering on this port (e.g. RESEE_PG_PORT changed): restart it.
            _resee_pg_run "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
        fi
        _resee_log "starting private PostgreSQL on 127.0.0.1:${RESEE_PG_PORT} ($data)"
        if ! _resee_pg_run "$bindir/pg_ctl" -D "$data" -l "$logfile" -w -t 60 \
            -o "-p ${RESEE_PG_PORT} -c listen_addresses=127.0.0.1 -k '$sockdir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            tail -n 20 "$logfile" >&2 || true
            _resee_fail "could not start PostgreSQL (is port ${RESEE_PG_PORT} taken? set RESEE_PG_PORT)"
            return 1
        fi
        if ! _resee_pg_ok "$url"; then
            tail -n 20 "$logfile" >&2 || true
            _resee_fail "private PostgreSQL started but does not answer on $url"
            return 1
        fi
    fi
    printf '%s\n' "$data" >"$RESEE_STATE_DIR/pg.datadir"
    DATABASE_URL="$url"
}

resee_ensure_postgres() {
    if ! command -v psql >/dev/null 2>&1; then
        _resee_apt_install postgresql-client || return 1
    fi
    if [ -n "${DATABASE_URL:-}" ]; then
        if _resee_pg_ok "$DATABASE_URL"; then
            _resee_log "PostgreSQL: using the given DATABASE_URL"
            export DATABASE_URL
            return 0
        fi
        _resee_log "PostgreSQL: the given DATABASE_URL does not answer; looking for another server"
    fi
    local system_url="postgres://postgres@127.0.0.1:5432/postgres"
    if [ "${RESEE_SKIP_SYSTEM_SERVICES:-0}" != 1 ] && _resee_pg_ok "$system_url"; then
        _resee_log "PostgreSQL: using the server on 127.0.0.1:5432"
        DATABASE_URL="$system_url"
    else
        mkdir -p "$RESEE_STATE_DIR"
        _resee_start_private_pg || return 1
    fi
    export DATABASE_URL
}

# --- Redis --------------------------------------------------------------------------------

_resee_redis_ok() {
    local answer
    answer="$(timeout 5 redis-cli -u "$1" ping 2>/dev/null)" || return 1
    [ "$answer" = PONG ]
}

_resee_start_private_redis() {
    if ! command -v redis-server >/dev/null 2>&1; then
        _resee_apt_install redis-server || return 1
    fi
    local dir="$RESEE_STATE_DIR/redis" url="redis://127.0.0.1:${RESEE_REDIS_PORT}"
    mkdir -p "$dir"
    if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null && _resee_redis_ok "$url"; then
        _resee_log "reusing private Redis on 127.0.0.1:${RESEE_REDIS_PORT}"
    else
        _resee_log "starting private Redis on 127.0.0.1:${RESEE_REDIS_PORT} ($dir)"
        rm -f "$dir/redis.pid"
        redis-server --port "$RESEE_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
            --daemonize yes --pidfile "$dir/redis.pid" --dir "$dir" --logfile "$dir/redis.log" >&2 || {
            _resee_fail "redis-server failed to start"
            return 1
        }
        local i
        for i in $(seq 1 50); do
            if _resee_redis_ok "$url"; then
                break
            fi
            if [ "$i" -eq 50 ]; then
                tail -n 20 "$dir/redis.log" >&2 || true
                _resee_fail "private Redis does not answer on $url (is port ${RESEE_REDIS_PORT} taken? set RESEE_REDIS_PORT)"
                return 1
            fi
            sleep 0.2
        done
    fi
    REDIS_URL="$url"
}

resee_ensure_redis() {
    if ! command -v redis-cli >/dev/null 2>&1; then
        _resee_apt_install redis-tools || return 1
    fi
    if [ -n "${REDIS_URL:-}" ]; then
        if _resee_redis_ok "$REDIS_URL"; then
            _resee_log "Redis: using the given REDIS_URL"
            export REDIS_URL
            return 0
        fi
        _resee_log "Redis: the given REDIS_URL does not answer; looking for another server"
    fi
    local system_url="redis://127.0.0.1:6379"
    if [ "${RESEE_SKIP_SYSTEM_SERVICES:-0}" != 1 ] && _resee_redis_ok "$system_url"; then
        _resee_log "Redis: using the server on 127.0.0.1:6379"
        REDIS_URL="$system_url"
    else
        _resee_start_private_redis || return 1
    fi
    export REDIS_URL
}

# --- Public API ---------------------------------------------------------------------------

# Exports DATABASE_URL (a server URL) and REDIS_URL, installing/starting what is missing.
resee_ensure_services() {
    resee_ensure_postgres || return 1
    resee_ensure_redis || return 1
}

# Prints $DATABASE_URL with its database name replaced by $1 (query string kept).
resee_db_url() {
    local db="${1:?usage: resee_db_url <dbname>}" url="${DATABASE_URL:?DATABASE_URL is not set}"
    local query="" scheme rest authority
    if [[ "$url" == *\?* ]]; then
        query="?${url#*\?}"
        url="${url%%\?*}"
    fi
    scheme="${url%%://*}"
    rest="${url#*://}"
    authority="${rest%%/*}"
    printf '%s://%s/%s%s\n' "$scheme" "$authority" "$db" "$query"
}

_resee_check_dbname() {
    [[ "$1" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || _resee_fail "invalid database name: '$1'"
}

# Creates database $1 on the server of $DATABASE_URL unless it exists.
resee_create_db() {
    local db="${1:?usage: resee_create_db <dbname>}"
    _resee_check_dbname "$db" || return 1
    local server="${DATABASE_URL:?DATABASE_URL is not set; call resee_ensure_services first}" exists
    exists="$(PGCONNECT_TIMEOUT=3 psql -w -X -q -t -A "$server" \
        -c "select 1 from pg_database where datname = '$db'")" || {
        _resee_fail "cannot query PostgreSQL at $server"
        return 1
    }
    if [ "$exists" != 1 ]; then
        _resee_log "creating database $db"
        PGCONNECT_TIMEOUT=3 psql -w -X -q "$server" -v ON_ERROR_STOP=1 -c "create database \"$db\"" >/dev/null || {
            _resee_fail "could not create database $db"
            return 1
        }
    fi
}

# Drops database $1 (if it exists) on the server of $DATABASE_URL.
resee_drop_db() {
    local db="${1:?usage: resee_drop_db <dbname>}"
    _resee_check_dbname "$db" || return 1
    local server="${DATABASE_URL:?DATABASE_URL is not set; call resee_ensure_services first}"
    PGCONNECT_TIMEOUT=3 psql -w -X -q "$server" -v ON_ERROR_STOP=1 \
        -c "drop database if exists \"$db\" with (force)" >/dev/null 2>&1 || {
        _resee_fail "could not drop database $db"
        return 1
    }
}

# Stops the private PostgreSQL and Redis started by this library (the data stays for reuse).
resee_stop_services() {
    local bindir data pidfile="$RESEE_STATE_DIR/redis/redis.pid"
    if [ -f "$RESEE_STATE_DIR/pg.datadir" ]; then
        data="$(cat "$RESEE_STATE_DIR/pg.datadir")"
        if bindir="$(_resee_pg_bindir)" && [ -f "$data/postmaster.pid" ]; then
            _resee_log "stopping private PostgreSQL ($data)"
            _resee_pg_run "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
        fi
    fi
    if [ -f "$pidfile" ]; then
        local pid
        pid="$(cat "$pidfile")"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            _resee_log "stopping private Redis (pid $pid)"
            kill "$pid" || true
            local i
            for i in $(seq 1 50); do
                if ! kill -0 "$pid" 2>/dev/null; then
                    break
                fi
                sleep 0.1
            done
        fi
        rm -f "$pidfile"
    fi
}

# The project's Python virtualenv (test tools such as aiosmtpd), created on first use and
# re-synced whenever scripts/requirements-test.txt changes. Exports RESEE_PYTHON.
resee_ensure_venv() {
    local venv="${RESEE_VENV:-${HOME:-/tmp}/.cache/resee/venv}"
    local requirements="$RESEE_ROOT/scripts/requirements-test.txt"
    if ! command -v python3 >/dev/null 2>&1; then
        _resee_apt_install python3 python3-venv || return 1
    fi
    if [ ! -x "$venv/bin/python" ]; then
        _resee_log "creating the Python virtualenv $venv"
        if ! python3 -m venv "$venv" >&2 2>/dev/null; then
            rm -rf "$venv"
            _resee_apt_install python3-venv || return 1
            python3 -m venv "$venv" >&2 || return 1
        fi
    fi
    local stamp="$venv/.requirements.sha256"
    local want
    want="$(sha256sum "$requirements" | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
        _resee_log "installing Python test tools ($requirements)"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2 || return 1
        printf '%s\n' "$want" >"$stamp"
    fi
    RESEE_PYTHON="$venv/bin/python"
    export RESEE_PYTHON
}

# What reliability/run.sh and bench/soak.sh need to start a private stack of their own
# (reliability/stack.py): Rust, the virtualenv, PostgreSQL's server binaries, redis-server, psql.
resee_ensure_stack_tools() {
    resee_ensure_rust || return 1
    resee_ensure_venv || return 1
    _resee_install_pg_server || return 1
    if ! command -v redis-server >/dev/null 2>&1; then
        _resee_apt_install redis-server || return 1
    fi
    if ! command -v psql >/dev/null 2>&1; then
        _resee_apt_install postgresql-client || return 1
    fi
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/resee/target}"
}
