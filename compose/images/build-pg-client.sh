#!/bin/sh
# Builds pg_dump and pg_restore, and the libpq they load, from a PostgreSQL source release, with
# only what the worker's backups use: OpenSSL (for sslmode=require; bundle-libs.sh carries its
# libraries into the worker image) and zlib (pg_restore of a compressed archive). Left out, unlike Debian's postgresql-client-15:
# LDAP, Kerberos/GSSAPI, readline, ICU, NLS, LZ4 and zstd (the worker compresses dumps itself),
# 9 MB of libraries in Debian's build against ~1 MB here. The Dockerfile's pg-client stage runs
# this script; compose/tests/run.sh runs it too and checks the result in a chroot.
#
#   build-pg-client.sh SOURCE_DIR PREFIX
#
# SOURCE_DIR is an unpacked release tarball (postgresql-15.x); the programs go to PREFIX/bin and
# libpq to PREFIX/lib, which the programs find through their run path.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 SOURCE_DIR PREFIX" >&2; exit 2; }
source_dir=$1
prefix=$2
[ -x "$source_dir/configure" ] || { echo "not a PostgreSQL source tree: $source_dir" >&2; exit 1; }

cd "$source_dir"
./configure --quiet --prefix="$prefix" \
    --with-openssl --with-zlib \
    --without-readline --without-icu --without-ldap --without-gssapi \
    --without-lz4 --without-zstd --disable-nls
# The catalog headers the client code includes (generated in the tarball, linked into src/include
# here), then the libraries pg_dump links, one directory at a time: pg_dump's own make file would
# build them too, but in parallel it runs two makes in src/common at once, which race.
make --silent -C src/backend generated-headers
for directory in src/port src/common src/interfaces/libpq src/fe_utils src/bin/pg_dump; do
    make --silent -j"$(nproc)" -C "$directory"
done
make --silent -C src/interfaces/libpq install-strip
make --silent -C src/bin/pg_dump install-strip
