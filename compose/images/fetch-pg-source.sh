#!/bin/sh
# Downloads a PostgreSQL source release through apt (Debian's or Ubuntu's source package: its
# upstream tarball, checked against the signed archive index), unpacks it into DIR and prints the
# path of the source tree. The system's apt configuration is left alone: the deb-src entries are
# derived from its deb entries into a private directory.
#
#   fetch-pg-source.sh DIR [SOURCE_PACKAGE]      (SOURCE_PACKAGE: postgresql-15)
#
# Versions are tried newest first, so a mirror that lacks one (e.g. a security pool) falls back
# to the next. Used by the Dockerfile's pg-client stage and by compose/tests/run.sh.
set -eu

[ $# -ge 1 ] || { echo "usage: $0 DIR [SOURCE_PACKAGE]" >&2; exit 2; }
dir=$1
package=${2:-postgresql-15}
apt_dir="$dir/apt"
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"

# deb-src twins of the system's entries: one-line lists and deb822 .sources files.
: >"$apt_dir/sources.list"
for list in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$list" ] && sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$list" >>"$apt_dir/sources.list"
done
for sources in /etc/apt/sources.list.d/*.sources; do
    [ -f "$sources" ] && sed 's/^Types:.*/Types: deb-src/' "$sources" >"$apt_dir/sources.list.d/$(basename "$sources")"
done

set -- -q -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d" \
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=root"
# A source entry the mirror does not serve only warns; what matters is whether the package is found.
apt-get "$@" update >&2 || true
versions=$(apt-cache "$@" showsrc "$package" 2>/dev/null | sed -n "s/^Version: //p" | sort -u -r -V)
[ -n "$versions" ] || { echo "no source package $package in the configured archives" >&2; exit 1; }

mkdir -p "$dir/download"
for version in $versions; do
    rm -f "$dir/download/"*
    if (cd "$dir/download" && apt-get "$@" source --download-only "$package=$version" >&2); then
        tarball=$(find "$dir/download" -maxdepth 1 -name "${package}_*.orig.tar.*" | head -n 1)
        [ -n "$tarball" ] || { echo "$package $version has no upstream tarball" >&2; exit 1; }
        tree=$(tar -tf "$tarball" | head -n 1 | cut -d/ -f1)
        rm -rf "${dir:?}/$tree"
        tar -xf "$tarball" -C "$dir"
        rm -rf "$dir/download" "$apt_dir"
        echo "$dir/$tree"
        exit 0
    fi
    echo "$package $version could not be downloaded; trying an older version" >&2
done
echo "no version of $package could be downloaded" >&2
exit 1
