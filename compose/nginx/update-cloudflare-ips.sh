#!/usr/bin/env bash
# Refreshes cloudflare-ips.conf (the addresses nginx believes CF-Connecting-IP from) with
# Cloudflare's published lists, https://www.cloudflare.com/ips-v4 and ips-v6:
#
#   compose/nginx/update-cloudflare-ips.sh                 # fetch and rewrite cloudflare-ips.conf
#   compose/nginx/update-cloudflare-ips.sh --check         # exit 3 when the file is out of date
#   compose/nginx/update-cloudflare-ips.sh --from-dir DIR  # read DIR/ips-v4 and DIR/ips-v6 instead
#   options: --base-url URL (default https://www.cloudflare.com), --output FILE
#
# Every line must be an IPv4 or IPv6 CIDR and the IPv4 list may not be empty, so a broken
# download never empties the file. The file is replaced atomically. The ranges are baked into the
# resee-web image: commit the change, and it ships with the next deploy. Cloudflare announces
# changes well ahead (https://www.cloudflare.com/ips/); run this monthly, e.g. from CI.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
output="$here/cloudflare-ips.conf"
base_url="https://www.cloudflare.com"
from_dir=""
check=0

usage() {
    sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --from-dir) from_dir=${2:?--from-dir needs a directory}; shift 2 ;;
        --base-url) base_url=${2:?--base-url needs a URL}; shift 2 ;;
        --output) output=${2:?--output needs a file}; shift 2 ;;
        --check) check=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

# Prints the list named $1 (ips-v4 or ips-v6).
fetch() {
    if [ -n "$from_dir" ]; then
        cat "$from_dir/$1"
    else
        curl -fsS --proto '=https,http' --max-time 20 --retry 2 "$base_url/$1"
    fi
}

ipv4='^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$'
ipv6='^[0-9a-fA-F:]*:[0-9a-fA-F:]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$'

# Reads a list on stdin, prints its CIDRs (blank lines dropped); fails on anything else.
validate() {
    local kind=$1 pattern=$2 line count=0
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%$'\r'}
        line=${line#"${line%%[![:space:]]*}"}
        line=${line%"${line##*[![:space:]]}"}
        [ -z "$line" ] && continue
        if ! [[ "$line" =~ $pattern ]]; then
            echo "not an $kind CIDR in Cloudflare's list: '$line'" >&2
            return 1
        fi
        printf '%s\n' "$line"
        count=$((count + 1))
    done
    if [ "$count" -eq 0 ]; then
        echo "Cloudflare's $kind list is empty" >&2
        return 1
    fi
}

v4=$(fetch ips-v4 | validate IPv4 "$ipv4") || { echo "could not get the IPv4 ranges; $output is unchanged" >&2; exit 1; }
v6=$(fetch ips-v6 | validate IPv6 "$ipv6") || { echo "could not get the IPv6 ranges; $output is unchanged" >&2; exit 1; }
mapfile -t v4 <<<"$v4"
mapfile -t v6 <<<"$v6"

new=$(mktemp "$output.XXXXXX")
trap 'rm -f "$new"' EXIT
{
    echo "# Cloudflare's published address ranges (https://www.cloudflare.com/ips-v4 and ips-v6): nginx"
    echo "# believes CF-Connecting-IP only from these. Written by update-cloudflare-ips.sh; do not edit."
    echo "# IPv4"
    printf 'set_real_ip_from %s;\n' "${v4[@]}"
    echo "# IPv6"
    printf 'set_real_ip_from %s;\n' "${v6[@]}"
} >"$new"

if [ -f "$output" ] && cmp -s "$new" "$output"; then
    echo "$output is up to date ($(grep -c '^set_real_ip_from' "$output") ranges)"
    exit 0
fi
if [ "$check" = 1 ]; then
    echo "$output is out of date:" >&2
    diff -u "$output" "$new" >&2 || true
    exit 3
fi
chmod 644 "$new"
mv -f "$new" "$output"
trap - EXIT
echo "updated $output ($(grep -c '^set_real_ip_from' "$output") ranges); commit it and deploy"
