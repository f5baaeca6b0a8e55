"""Runs the real nginx templates of compose/nginx the way the resee-web image does, on loopback.

The image's entrypoint sources /docker-entrypoint.d/05-resee-defaults.envsh (defaults, API mode)
and then renders every templates/**/*.template into /etc/nginx/conf.d/ with
`envsubst "$defined_vars"`: `$NAME` and `${NAME}` are replaced for every variable defined in the
environment, anything else is left alone. `prepare()` does exactly that with `sh` and a small
envsubst look-alike, then wraps the result in a minimal nginx.conf whose paths all live under a
temporary prefix, like compose/nginx/nginx.conf does under /tmp/nginx.

    python3 nginx_harness.py render OUT_DIR [NAME=VALUE ...]   # render only, prints the conf path
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NGINX_DIR = HERE.parent / "nginx"
TEMPLATES = NGINX_DIR / "templates"
ENVSH = NGINX_DIR / "05-resee-defaults.envsh"
CLOUDFLARE_IPS = NGINX_DIR / "cloudflare-ips.conf"

_REFERENCE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def envsubst(text: str, env: dict[str, str]) -> str:
    """`envsubst "$defined"`: replaces $NAME / ${NAME} when NAME is defined, keeps the rest."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return env[name] if name in env else match.group(0)

    return _REFERENCE.sub(replace, text)


def entrypoint_env(overrides: dict[str, str]) -> dict[str, str]:
    """The environment after the entrypoint sourced 05-resee-defaults.envsh (which may refuse)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NGINX_", "API_", "RESEE_API"))}
    env.pop("WEB_ROOT", None)
    env.update(overrides)
    result = subprocess.run(
        ["sh", "-c", 'set -e; . "$1"; env -0', "sh", str(ENVSH)],
        env=env,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise EnvshError(result.stderr.decode().strip())
    pairs = (item.split("=", 1) for item in result.stdout.decode().split("\0") if "=" in item)
    return dict(pairs)


class EnvshError(Exception):
    pass


def render(out_dir: Path, env: dict[str, str]) -> list[Path]:
    """Renders templates/**/*.template into out_dir like 20-envsubst-on-templates.sh."""
    rendered = []
    for template in sorted(TEMPLATES.rglob("*.template")):
        target = out_dir / template.relative_to(TEMPLATES).with_suffix("")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(envsubst(template.read_text(), env))
        rendered.append(target)
    return rendered


WRAPPER = """# Test copy of compose/nginx/nginx.conf: same structure, every path under this prefix.
daemon off;
master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;

events {{
    worker_connections 256;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;

    client_body_temp_path {prefix}/tmp/client_body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;

    include conf.d/*.conf;
}}
"""


def prepare(prefix: Path, overrides: dict[str, str], cloudflare_ips: str | None = None) -> Path:
    """Lays out prefix/{nginx.conf, conf.d/, resee/cloudflare-ips.conf, tmp/}; returns nginx.conf.

    cloudflare_ips: the text of the trusted-ranges file (default: the real one)."""
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "tmp").mkdir(exist_ok=True)
    overrides = {"NGINX_TMP_DIR": str(prefix / "tmp"), **overrides}
    env = entrypoint_env(overrides)
    render(prefix / "conf.d", env)
    (prefix / "resee").mkdir(exist_ok=True)
    if cloudflare_ips is None:
        shutil.copyfile(CLOUDFLARE_IPS, prefix / "resee" / "cloudflare-ips.conf")
    else:
        (prefix / "resee" / "cloudflare-ips.conf").write_text(cloudflare_ips)
    conf = prefix / "nginx.conf"
    conf.write_text(WRAPPER.format(prefix=prefix))
    return conf


def nginx_binary() -> str:
    return os.environ.get("RESEE_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"


def config_test(conf: Path) -> subprocess.CompletedProcess[str]:
    prefix = conf.parent
    return subprocess.run(
        [nginx_binary(), "-t", "-q", "-c", str(conf), "-p", f"{prefix}/", "-e", str(prefix / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )


class Nginx:
    """nginx on a prepared prefix, in the foreground (daemon off), stopped by PID."""

    def __init__(self, conf: Path):
        self.conf = conf
        self.prefix = conf.parent
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, probe_url: str, timeout: float = 10.0) -> None:
        import urllib.request

        log = open(self.prefix / "stderr.log", "wb")
        self.proc = subprocess.Popen(
            [nginx_binary(), "-c", str(self.conf), "-p", f"{self.prefix}/", "-e", str(self.prefix / "error.log")],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.errors()}")
            try:
                with urllib.request.urlopen(probe_url, timeout=1):
                    return
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not answer {probe_url}: {self.errors()}")

    def errors(self) -> str:
        parts = []
        for name in ("stderr.log", "error.log"):
            path = self.prefix / name
            if path.exists():
                parts.append(path.read_text(errors="replace")[-3000:])
        return "\n".join(parts)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "render":
        print(__doc__, file=sys.stderr)
        return 2
    overrides = dict(arg.split("=", 1) for arg in argv[2:])
    conf = prepare(Path(argv[1]).resolve(), overrides)
    print(conf)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
