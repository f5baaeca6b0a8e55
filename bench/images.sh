#!/usr/bin/env bash
# The Rust services' container images against the ~50 MB aimed at, measured without Docker: the
# layers each image adds to gcr.io/distroless/base-nossl-debian12, on disk (what `docker images`
# counts) and gzip -6 (about what a registry stores and a host pulls).
#
#   1. the binaries as the Dockerfile builds them: `cargo build --profile image` (Cargo.toml: fat
#      LTO, one codegen unit, no symbols), SQLX_OFFLINE;
#   2. the worker's pg_dump/pg_restore bundle from the Dockerfile's own pg-client stage
#      (compose/tests/pg-client-stage.sh: needs root or sudo);
#   3. libgcc_s, which the runtime stage adds, and the base image: the installed size of the
#      Debian 12 packages distroless/base-nossl is made of (an upper bound: distroless leaves out
#      their documentation), from this host's package index — Debian 12's only on Debian 12.
#
# Writes bench/results/images-<time>.md. Not part of CI (the image build takes a while on 2 cores).
# Knobs: BENCH_SKIP_BUILD=1 (use target/image as it is), BENCH_RESULTS_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source-path=SCRIPTDIR/..
source scripts/lib/services.sh

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/resee/target}"
RESULTS=${BENCH_RESULTS_DIR:-$ROOT/bench/results}
STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
LIMIT=50000000
WORK=$(mktemp -d "${TMPDIR:-/tmp}/resee-bench-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$RESULTS"

resee_ensure_rust
build_seconds=""
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    started=$(date +%s)
    SQLX_OFFLINE=true cargo build --profile image --locked -p resee-api -p resee-worker -p resee-operator --bins >&2
    build_seconds=$(($(date +%s) - started))
fi

compose/tests/pg-client-stage.sh "$WORK/bundle" >&2
tar -C "$WORK/bundle" -cf "$WORK/bundle.tar" .

# distroless/base-nossl-debian12: glibc, CA certificates, tzdata, netbase, base-files, media-types.
# Sizes from the package index.
base_packages=(libc6 ca-certificates tzdata netbase base-files media-types)
base_bytes=0
for package in "${base_packages[@]}"; do
    kib=$(apt-cache show --no-all-versions "$package" | awk '/^Installed-Size:/ && !seen { print $2; seen = 1 }')
    [ -n "$kib" ] || { _resee_fail "no Installed-Size for $package"; exit 1; }
    base_bytes=$((base_bytes + kib * 1024))
done

bytes() { stat -c %s "$1"; }
gzipped() { gzip -6 -c "$1" | wc -c; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

declare -A size zsize
for binary in resee-api resee-worker resee-operator; do
    path="$CARGO_TARGET_DIR/image/$binary"
    [ -x "$path" ] || { _resee_fail "missing $path (run without BENCH_SKIP_BUILD)"; exit 1; }
    size[$binary]=$(bytes "$path")
    zsize[$binary]=$(gzipped "$path")
done
size[bundle]=$(du -sb "$WORK/bundle" | cut -f1)
zsize[bundle]=$(gzipped "$WORK/bundle.tar")
libgcc=$(readlink -f "$(ldd "$CARGO_TARGET_DIR/image/resee-api" | awk '$1 == "libgcc_s.so.1" { print $3 }')")
size[libgcc]=$(bytes "$libgcc")
zsize[libgcc]=$(gzipped "$libgcc")

image_line() {
    local name=$1 total=$2 verdict="within"
    [ "$total" -le "$LIMIT" ] || verdict="OVER"
    echo "| $name | $(mb "$total") | $verdict |"
}

report="$RESULTS/images-$STAMP.md"
{
    echo "# Container images — $STAMP"
    echo
    echo "Commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo " with uncommitted changes"), $(rustc --version), $(nproc) cores${build_seconds:+; the image-profile build took ${build_seconds} s}."
    echo
    echo "| layer | on disk | gzip -6 |"
    echo "|---|---:|---:|"
    for binary in resee-api resee-worker resee-operator; do
        echo "| \`$binary\` (profile \`image\`) | $(mb "${size[$binary]}") | $(mb "${zsize[$binary]}") |"
    done
    echo "| the worker's pg_dump/pg_restore 15 bundle, OpenSSL included ($(find "$WORK/bundle" -type f | wc -l) files) | $(mb "${size[bundle]}") | $(mb "${zsize[bundle]}") |"
    echo "| libgcc_s, added by the runtime stage | $(mb "${size[libgcc]}") | $(mb "${zsize[libgcc]}") |"
    echo "| distroless/base-nossl-debian12, upper bound (${base_packages[*]}; sizes from this host's package index: $(. /etc/os-release && echo "$PRETTY_NAME")) | ≤ $(mb "$base_bytes") | |"
    echo
    echo "| image (unpacked, upper bound) | size | against $(mb "$LIMIT") |"
    echo "|---|---:|---|"
    image_line resee-api $((base_bytes + size[libgcc] + ${size[resee-api]}))
    image_line resee-worker $((base_bytes + size[libgcc] + ${size[resee-worker]} + size[bundle]))
    image_line resee-operator $((base_bytes + size[libgcc] + ${size[resee-operator]}))
} >"$report"
cat "$report"
