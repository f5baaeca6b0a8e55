#!/bin/sh
# Copies what the Rust services' runtime image has of a Debian-like root file system FROM_ROOT into
# DEST, at the paths the image has them (x86_64): glibc's loader, libc, libm and libresolv
# (gcr.io/distroless/base-nossl-debian12) and libgcc_s (the Dockerfile's runtime stage), plus the
# loader at the programs' interpreter path, /lib64.
#
#   compose/tests/runtime-libs.sh FROM_ROOT DEST
#
# FROM_ROOT: the Debian 12 root of pg-client-stage.sh, or / for this host's own.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 FROM_ROOT DEST" >&2; exit 2; }
from=${1%/}
dest=$2
libs=/usr/lib/x86_64-linux-gnu
mkdir -p "$dest$libs" "$dest/lib64"
for lib in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libresolv.so.2 libgcc_s.so.1; do
    cp -L "$from$libs/$lib" "$dest$libs/$lib"
done
cp -L "$from$libs/ld-linux-x86-64.so.2" "$dest/lib64/ld-linux-x86-64.so.2"
