#!/usr/bin/env bash
# Runs the root Dockerfile's pg-client stage as `docker build --target pg-client` would, without
# Docker: instruction by instruction (dockerfile_stage.py) in a Debian 12 root file system standing
# in for debian:bookworm-slim, then copies the stage's /bundle — what the worker image adds with
# `COPY --from=pg-client /bundle/ /` — into DEST, owned by the caller. With RUNTIME_DEST, also
# copies there what the runtime image has of the same Debian 12 root (runtime-libs.sh).
#
#   compose/tests/pg-client-stage.sh DEST [RUNTIME_DEST]
#
# The Debian root is made once with debootstrap (minbase, with the image's deb822 sources) and
# kept as ~/.cache/resee/debian-bookworm-minbase.tar. Needs root (debootstrap, chroot, a /proc
# mount): as root or through sudo. Used by compose/tests/run.sh and bench/images.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
# shellcheck source-path=SCRIPTDIR/../..
source scripts/lib/services.sh

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 DEST [RUNTIME_DEST]" >&2
    exit 2
fi
DEST=$1
RUNTIME_DEST=${2:-}
TARBALL="$HOME/.cache/resee/debian-bookworm-minbase.tar"
RUNNER="$ROOT/compose/tests/dockerfile_stage.py"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/resee-pg-client-stage.XXXXXX")
STAGE_ROOT="$WORK/root"
MOUNTED=""

cleanup() {
    if [ -n "$MOUNTED" ] && ! _resee_as_root umount "$MOUNTED"; then
        _resee_log "could not unmount $MOUNTED: $WORK is left in place"
        return
    fi
    _resee_as_root rm -rf "$WORK"
}
trap cleanup EXIT

resee_ensure_venv
[ -n "${RESEE_PYTHON:-}" ] || { _resee_fail "no Python virtualenv"; exit 1; }

# The runner refuses what it cannot run as Docker would (the builder stage: built on another stage).
if "$RESEE_PYTHON" "$RUNNER" Dockerfile builder "$WORK/none" "$ROOT" >"$WORK/refused.log" 2>&1; then
    _resee_fail "dockerfile_stage.py ran the builder stage"
    exit 1
fi
grep -q 'cannot run this stage here: builder builds on the stage chef' "$WORK/refused.log" || { cat "$WORK/refused.log" >&2; exit 1; }

if [ ! -f "$TARBALL" ]; then
    command -v debootstrap >/dev/null 2>&1 || _resee_apt_install debootstrap
    [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || _resee_apt_install debian-archive-keyring
    _resee_log "debootstrap --variant=minbase bookworm (once; kept as $TARBALL)"
    fresh="$WORK/debootstrap"
    _resee_as_root debootstrap --variant=minbase --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
        bookworm "$fresh" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 || {
        tail -n 20 "$WORK/debootstrap.log" >&2
        exit 1
    }
    # As in the debian:bookworm-slim image: deb822 sources, with the security archive.
    _resee_as_root rm -f "$fresh/etc/apt/sources.list"
    _resee_as_root tee "$fresh/etc/apt/sources.list.d/debian.sources" >/dev/null <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    mkdir -p "$(dirname "$TARBALL")"
    _resee_as_root tar -C "$fresh" -cf "$TARBALL.part" .
    _resee_as_root mv "$TARBALL.part" "$TARBALL"
fi

mkdir -p "$STAGE_ROOT"
_resee_as_root tar -C "$STAGE_ROOT" -xf "$TARBALL"
_resee_as_root cp -L /etc/resolv.conf "$STAGE_ROOT/etc/resolv.conf"
_resee_as_root mount -t proc proc "$STAGE_ROOT/proc"
MOUNTED="$STAGE_ROOT/proc"
status=0
_resee_as_root "$RESEE_PYTHON" "$RUNNER" Dockerfile pg-client "$STAGE_ROOT" "$ROOT" >"$WORK/stage.log" 2>&1 || status=$?
grep -- '^-->' "$WORK/stage.log" || true
_resee_as_root umount "$MOUNTED"
MOUNTED=""
if [ "$status" != 0 ]; then
    tail -n 40 "$WORK/stage.log" >&2
    exit 1
fi

mkdir -p "$DEST"
_resee_as_root cp -a "$STAGE_ROOT/bundle/." "$DEST/"
_resee_as_root chown -R "$(id -u):$(id -g)" "$DEST"

if [ -n "$RUNTIME_DEST" ]; then
    "$ROOT/compose/tests/runtime-libs.sh" "$STAGE_ROOT" "$RUNTIME_DEST"
fi
