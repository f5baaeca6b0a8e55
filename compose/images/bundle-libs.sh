#!/bin/sh
# Copies executables and every shared library they load into DEST, keeping their absolute paths
# (directories resolved: merged /usr), so `COPY --from=<stage> DEST/ /` adds working programs to
# an image without a package manager (the worker's distroless image gets pg_dump and pg_restore).
#
#   bundle-libs.sh DEST EXECUTABLE...
#
# Left out: what the runtime image already has — glibc's libraries and the loader, which must stay
# consistent with each other (gcr.io/distroless/base-nossl-debian12), and libgcc_s (the Dockerfile's
# runtime stage adds it for the Rust binaries). Everything else comes along: libpq, zlib, OpenSSL.
# Tested by compose/tests/run.sh: the bundle runs pg_dump in a chroot holding only what the
# runtime image has besides it.
set -eu

[ $# -ge 2 ] || { echo "usage: $0 DEST EXECUTABLE..." >&2; exit 2; }
dest=$1
shift

# Copies $1 (a file) to the same place under $dest, following symlinks, keeping its name.
place() {
    dir=$(cd "$(dirname "$1")" && pwd -P)
    mkdir -p "$dest$dir"
    cp -L "$1" "$dest$dir/$(basename "$1")"
}

for executable in "$@"; do
    [ -x "$executable" ] || { echo "not an executable: $executable" >&2; exit 1; }
    place "$executable"
    ldd "$executable" >/dev/null || { echo "ldd failed on $executable" >&2; exit 1; }
    if ldd "$executable" | grep -q 'not found'; then
        echo "$executable needs libraries that are not installed:" >&2
        ldd "$executable" | grep 'not found' >&2
        exit 1
    fi
    ldd "$executable" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | while read -r library; do
        case "$(basename "$library")" in
            ld-linux*.so* | libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | \
                libresolv.so.* | libutil.so.* | libanl.so.* | libnss_*.so.* | libgcc_s.so.*)
                continue
                ;;
        esac
        place "$library"
    done
done
