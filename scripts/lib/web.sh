# shellcheck shell=bash
# What the web app's build and browser tests need: Node.js, Chromium, nginx.
#
#   source scripts/lib/services.sh && source scripts/lib/web.sh
#   resee_ensure_node       # node >= 20.19 and npm on PATH
#   resee_ensure_chromium   # exports CHROME_PATH (Debian's chromium; Playwright's own elsewhere)
#   resee_ensure_nginx      # exports RESEE_NGINX (the nginx binary)
#
# Missing pieces come from apt-get where the distribution has them; Node.js from nodejs.org
# (under ~/.cache/resee/node) when the distribution's is too old (Debian 12, Ubuntu 22.04/24.04).

RESEE_NODE_VERSION="${RESEE_NODE_VERSION:-20.19.5}"

_resee_node_ok() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
        && node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}

resee_ensure_node() {
    local dir="${HOME:-/tmp}/.cache/resee/node"
    [ -x "$dir/bin/node" ] && PATH="$dir/bin:$PATH"
    _resee_node_ok && return 0
    if _resee_apt_update && _resee_apt_has_candidate nodejs; then
        _resee_apt_install nodejs npm || true
        _resee_node_ok && return 0
    fi
    local arch
    case "$(uname -m)" in
        x86_64) arch=x64 ;;
        aarch64) arch=arm64 ;;
        *) _resee_fail "no Node.js >= 20.19 for $(uname -m): install it, then re-run"; return 1 ;;
    esac
    _resee_log "installing Node.js $RESEE_NODE_VERSION from nodejs.org into $dir"
    local url="https://nodejs.org/dist/v$RESEE_NODE_VERSION/node-v$RESEE_NODE_VERSION-linux-$arch.tar.xz"
    command -v curl >/dev/null 2>&1 || _resee_apt_install curl ca-certificates xz-utils || return 1
    rm -rf "$dir" && mkdir -p "$dir"
    curl -fsSL "$url" | tar -xJ -C "$dir" --strip-components=1 || {
        _resee_fail "could not download $url: install Node.js >= 20.19, then re-run"
        return 1
    }
    PATH="$dir/bin:$PATH"
    _resee_node_ok
}

resee_ensure_chromium() {
    local candidate
    for candidate in "${CHROME_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
        if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then
            CHROME_PATH="$candidate"
            export CHROME_PATH
            return 0
        fi
    done
    # Debian packages a real chromium; Ubuntu's is a snap wrapper, so there Playwright's own is used.
    if _resee_apt_update && _resee_apt_has_candidate chromium && ! grep -qi ubuntu /etc/os-release 2>/dev/null; then
        _resee_apt_install chromium fonts-noto-cjk || return 1
        CHROME_PATH=/usr/bin/chromium
        export CHROME_PATH
        return 0
    fi
    _resee_log "installing Playwright's Chromium"
    (cd "$RESEE_ROOT/web/e2e" && npm ci --no-audit --no-fund >&2 \
        && npx playwright install --with-deps chromium >&2) || return 1
    CHROME_PATH=""
    export CHROME_PATH
}

resee_ensure_nginx() {
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || _resee_apt_install nginx || return 1
    RESEE_NGINX="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
    export RESEE_NGINX
}
