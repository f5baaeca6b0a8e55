"""The nginx of the compose deployment, for real, on loopback (called by compose/tests/run.sh).

Three nginx instances from the real templates (compose/nginx), rendered like the image does:

  main   dynamic API mode (compose's), in front of the real resee-api and resee-worker (debug
         builds) and the built SPA (web/dist); 127.0.0.1 plays Cloudflare (a test ranges file),
         127.0.0.2 is an untrusted client; the auth rate is tiny so a burst trips it.
  echo   static API mode (Kubernetes') with TLS on, in front of a header-echoing upstream:
         forwarding headers, the general rate limit, HSTS only over TLS, JSON 502s.
  off    no API_UPSTREAM (the SPA only): /api/ is a 404.

Plus config tests of the production renders (the real Cloudflare ranges, TLS on) and the
refusals of 05-resee-defaults.envsh. Environment: DATABASE_URL (a fresh database), REDIS_URL,
RESEE_API_BIN, RESEE_WORKER_BIN, WEB_DIST, WORK (a scratch directory).
Prints one line per check and ends with "N passed, N failed".
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import secrets
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nginx_harness as harness  # noqa: E402
from testlib import check, expect, summary  # noqa: E402

WORK = Path(os.environ["WORK"]).resolve()
WEB_DIST = Path(os.environ["WEB_DIST"]).resolve()
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
}
TRUSTED = "127.0.0.1"  # stands in for Cloudflare (test ranges file)
UNTRUSTED = "127.0.0.2"  # any other client; Linux routes all of 127/8 to lo


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def all(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def request(
    port: int,
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    source: str = TRUSTED,
    tls: bool = False,
) -> Response:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=15, source_address=(source, 0), context=context
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return Response(r.status, r.headers, r.read())
    finally:
        conn.close()


def expect_security_headers(r: Response, what: str, hsts: bool = False) -> None:
    for name, value in SECURITY_HEADERS.items():
        got = r.all(name)
        expect(got == [value], f"{what}: {name} is {got!r}, want exactly [{value!r}]")
    expect(r.header("permissions-policy") is not None, f"{what}: no Permissions-Policy")
    if hsts:
        expect(
            (r.header("strict-transport-security") or "").startswith("max-age="),
            f"{what}: no HSTS over TLS",
        )
    else:
        expect(r.header("strict-transport-security") is None, f"{what}: HSTS over plain HTTP")


# --- processes ------------------------------------------------------------------------------
PROCS: list[subprocess.Popen] = []


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    PROCS.append(proc)
    return proc


def wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer:\n{log.read_text(errors='replace')[-3000:]}")


def stop_all() -> None:
    for proc in PROCS:
        if proc.poll() is None:
            proc.terminate()
    for proc in PROCS:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Echo(BaseHTTPRequestHandler):
    """Answers every request with its method, path and headers as JSON."""

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps(
            {"method": self.command, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args) -> None:
        pass


def self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "origin.pem", directory / "origin.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=resee.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def access_log_entries(path: Path) -> list[dict]:
    entries = []
    for line in path.read_text().splitlines():
        if line.strip():
            entries.append(json.loads(line))
    return entries


def logged(path: Path, wanted, count: int = 1, timeout: float = 3.0) -> list[dict]:
    """The access log once `count` entries satisfy `wanted`: nginx writes a request's line after
    the response has gone out, so a client that has its answer may read the log before the line."""
    deadline = time.monotonic() + timeout
    while True:
        entries = access_log_entries(path)
        if sum(1 for e in entries if wanted(e)) >= count or time.monotonic() > deadline:
            return entries
        time.sleep(0.05)


def main() -> int:
    api_bin, worker_bin = os.environ["RESEE_API_BIN"], os.environ["RESEE_WORKER_BIN"]
    api_port, metrics_port = free_port(), free_port()
    main_port, echo_port, echo_tls_port, off_port, upstream_port = (free_port() for _ in range(5))
    redis_prefix = f"resee-compose-{os.getpid()}"

    # --- the api and the worker, as in web/e2e/stack.sh --------------------------------------
    app_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "S3_", "AI_", "RATE_LIMIT_"))},
        "APP_ENV": "development",
        "RUST_LOG": "info",
        "BIND_ADDR": f"127.0.0.1:{api_port}",
        "PUBLIC_URL": f"http://127.0.0.1:{main_port}",
        "REDIS_KEY_PREFIX": redis_prefix,
        "JWT_SECRET": secrets.token_hex(24),
        "TRUSTED_PROXIES": "127.0.0.1/32",
        # The api's own limits, high except the anonymous one (proves it sees the client's address).
        "RATE_LIMIT_LOGIN": "1000/min",
        "RATE_LIMIT_REGISTER": "1000/min",
        "RATE_LIMIT_EMAIL": "1000/min",
        "RATE_LIMIT_USER": "100000/hour",
        "RATE_LIMIT_ANON": "5/min",
        "METRICS_ADDR": f"127.0.0.1:{metrics_port}",
        "AI_PROVIDER": "offline",
        "BACKUP_SCHEDULE": "",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name in ("DATABASE_URL_FILE", "REDIS_URL_FILE", "SMTP_URL", "JWT_SECRET_FILE"):
        app_env.pop(name, None)
    migrate = subprocess.run([api_bin, "migrate"], env=app_env, capture_output=True, text=True, check=False)
    if migrate.returncode != 0:
        print(migrate.stdout + migrate.stderr, file=sys.stderr)
        print("\nstack: 0 passed, 1 failed (resee-api migrate)")
        return 1
    api = start([api_bin, "serve"], app_env, WORK / "api.log")
    worker = start([worker_bin, "run"], app_env, WORK / "worker.log")

    # --- the upstream that echoes headers ----------------------------------------------------
    echo_server = ThreadingHTTPServer(("127.0.0.1", upstream_port), Echo)
    threading.Thread(target=echo_server.serve_forever, daemon=True).start()

    test_ranges = f"# test: {TRUSTED} plays Cloudflare\nset_real_ip_from {TRUSTED}/32;\n"
    cert, key = self_signed(WORK)
    instances: list[harness.Nginx] = []
    try:
        wait_http(f"http://127.0.0.1:{api_port}/api/health/ready/", api, WORK / "api.log")
        wait_http(f"http://127.0.0.1:{metrics_port}/healthz", worker, WORK / "worker.log")

        main_conf = harness.prepare(
            WORK / "nginx-main",
            {
                "NGINX_LISTEN": f"127.0.0.1:{main_port}",
                "WEB_ROOT": str(WEB_DIST),
                "API_UPSTREAM": f"http://127.0.0.1:{api_port}",
                "API_RESOLVER": "127.0.0.1",
                "NGINX_RATE_AUTH": "1r/m",
                "NGINX_BURST_AUTH": "2",
                "NGINX_RATE_API": "100r/s",
                "NGINX_BURST_API": "200",
                "NGINX_ACCESS_LOG": str(WORK / "nginx-main" / "access.log"),
            },
            cloudflare_ips=test_ranges,
        )
        echo_conf = harness.prepare(
            WORK / "nginx-echo",
            {
                "NGINX_LISTEN": f"127.0.0.1:{echo_port}",
                "NGINX_TLS": "on",
                "NGINX_TLS_LISTEN": f"127.0.0.1:{echo_tls_port}",
                "NGINX_TLS_CERT": str(cert),
                "NGINX_TLS_KEY": str(key),
                "WEB_ROOT": str(WEB_DIST),
                "API_UPSTREAM": f"http://127.0.0.1:{upstream_port}/",
                "NGINX_RATE_API": "2r/s",
                "NGINX_BURST_API": "3",
                "NGINX_ACCESS_LOG": str(WORK / "nginx-echo" / "access.log"),
            },
            cloudflare_ips=test_ranges,
        )
        off_conf = harness.prepare(
            WORK / "nginx-off",
            {
                "NGINX_LISTEN": f"127.0.0.1:{off_port}",
                "WEB_ROOT": str(WEB_DIST),
                "NGINX_ACCESS_LOG": str(WORK / "nginx-off" / "access.log"),
            },
            cloudflare_ips=test_ranges,
        )
        for conf, port in ((main_conf, main_port), (echo_conf, echo_port), (off_conf, off_port)):
            instance = harness.Nginx(conf)
            instances.append(instance)
            instance.start(f"http://127.0.0.1:{port}/healthz")
        run_checks(main_port, echo_port, echo_tls_port, off_port, api_port, metrics_port, cert, key, echo_server)
    finally:
        for instance in instances:
            instance.stop()
        echo_server.shutdown()
        stop_all()
        subprocess.run(
            ["sh", "-c", 'redis-cli -u "$REDIS_URL" --scan --pattern "$1:*" | xargs -r redis-cli -u "$REDIS_URL" del',
             "sh", redis_prefix],
            capture_output=True,
            check=False,
        )

    status = summary("stack")
    if status:
        for name in ("api.log", "worker.log", "nginx-main/error.log"):
            path = WORK / name
            if path.exists():
                print(f"--- last lines of {path}", file=sys.stderr)
                print(path.read_text(errors="replace")[-2500:], file=sys.stderr)
    return status


def run_checks(main_port, echo_port, echo_tls_port, off_port, api_port, metrics_port, cert, key, echo_server):
    index_html = (WEB_DIST / "index.html").read_text()

    @check("routing: /api/health/ reaches the api through nginx")
    def _():
        r = request(main_port, "/api/health/")
        expect(r.status == 200, f"status {r.status}: {r.text[:200]}")
        expect(r.json().get("status") == "ok", f"body {r.text[:200]}")
        expect(bool(r.header("content-type")), "no content type")

    @check("security headers on proxied /api/ answers (200 and 4xx), none doubled, no HSTS over HTTP")
    def _():
        expect_security_headers(request(main_port, "/api/health/"), "/api/health/")
        r = request(main_port, "/api/categories/", source=UNTRUSTED)
        expect(r.status == 401, f"/api/categories/ without a token: {r.status}")
        expect_security_headers(r, "401 from the api")
        expect(r.header("cache-control") == "no-store", f"API answer Cache-Control {r.header('cache-control')!r}")

    @check("SPA: / and deep links (/contents/5, /review?x=1, /verify-email?token=…) serve index.html, no-cache")
    def _():
        for path in ("/", "/contents/5", "/review?x=1", "/verify-email?token=secret-token-123&email=a%40b.c"):
            r = request(main_port, path)
            expect(r.status == 200, f"{path}: {r.status}")
            expect(r.text == index_html, f"{path}: not index.html")
            expect((r.header("content-type") or "").startswith("text/html"), f"{path}: {r.header('content-type')}")
            expect(r.header("cache-control") == "no-cache", f"{path}: Cache-Control {r.header('cache-control')!r}")
            expect_security_headers(r, path)

    @check("caching: index.html, sw.js, boot.js, manifest.webmanifest, offline.html are no-cache")
    def _():
        for path, mime in (
            ("/index.html", "text/html"),
            ("/sw.js", "application/javascript"),
            ("/boot.js", "application/javascript"),
            ("/manifest.webmanifest", "application/manifest+json"),
            ("/offline.html", "text/html"),
        ):
            if not (WEB_DIST / path.lstrip("/")).exists():
                expect(path in ("/boot.js", "/offline.html"), f"{path} is missing from web/dist")
                print(f"        (no {path} in web/dist: not checked)")
                continue
            r = request(main_port, path)
            expect(r.status == 200, f"{path}: {r.status}")
            expect(r.header("cache-control") == "no-cache", f"{path}: Cache-Control {r.header('cache-control')!r}")
            expect((r.header("content-type") or "").startswith(mime), f"{path}: {r.header('content-type')}")
            expect_security_headers(r, path)

    assets = sorted((WEB_DIST / "assets").glob("*.js"), key=lambda p: p.stat().st_size)

    @check("caching: hashed /assets/* are public, max-age=31536000, immutable; gzip when asked")
    def _():
        expect(bool(assets), "web/dist/assets has no .js")
        biggest = assets[-1]
        r = request(main_port, f"/assets/{biggest.name}", headers={"Accept-Encoding": "gzip"})
        expect(r.status == 200, f"status {r.status}")
        expect(
            r.header("cache-control") == "public, max-age=31536000, immutable",
            f"Cache-Control {r.header('cache-control')!r}",
        )
        expect(r.header("content-encoding") == "gzip", f"Content-Encoding {r.header('content-encoding')!r}")
        expect(gzip.decompress(r.body) == biggest.read_bytes(), "gzip body differs from the file")
        expect("Accept-Encoding" in (r.header("vary") or ""), "no Vary: Accept-Encoding")
        expect_security_headers(r, "asset")
        css = sorted((WEB_DIST / "assets").glob("*.css"))
        if css:
            r = request(main_port, f"/assets/{css[0].name}")
            expect((r.header("content-type") or "").startswith("text/css"), f"css: {r.header('content-type')}")

    @check("caching: a missing asset is a 404 (not index.html) and is not cached as immutable")
    def _():
        r = request(main_port, "/assets/index-doesnotexist.js")
        expect(r.status == 404, f"status {r.status}")
        expect("immutable" not in (r.header("cache-control") or ""), f"Cache-Control {r.header('cache-control')!r}")
        expect_security_headers(r, "asset 404")

    @check("CSP fits the SPA: every <script> in index.html has a src (no inline script) but the route table")
    def _():
        tags = re.findall(r"<script\b[^>]*>", index_html)
        expect(bool(tags), "index.html has no script at all")
        # A JSON data block is not run, so script-src does not apply to it: the route table that
        # public/boot.js reads (web/scripts/route-preloads.ts).
        inline = [t for t in tags if "src=" not in t and 'type="application/json"' not in t]
        expect(not inline, f"inline scripts would be blocked by script-src 'self': {inline}")
        table = re.search(r'<script type="application/json" id="resee-routes">(.*?)</script>', index_html, re.S)
        expect(table is not None, "index.html has no route table for boot.js")
        patterns = [route[0] for route in json.loads(table.group(1))]
        expect("dashboard" in patterns and "*" in patterns, f"route table patterns: {patterns}")

    @check("CSP fits the API docs: /api/docs/ has no inline script")
    def _():
        r = request(main_port, "/api/docs/")
        expect(r.status == 200, f"/api/docs/: {r.status}")
        tags = re.findall(r"<script\b[^>]*>", r.text)
        inline = [t for t in tags if "src=" not in t]
        expect(not inline, f"inline scripts in /api/docs/: {inline}")

    @check("/api/admin/* is routed to the api (which guards it), unlike /metrics")
    def _():
        for path in ("/api/admin/jobs/", "/api/admin/backups/"):
            r = request(main_port, path, headers={"CF-Connecting-IP": "198.51.100.40"})
            expect(r.status == 401, f"{path}: {r.status} {r.text[:120]}")
            expect((r.header("content-type") or "").startswith("application/json"), f"{path}: not the api's JSON")

    @check("/metrics is closed (404) at nginx while the api and the worker do serve it inside")
    def _():
        for path in ("/metrics", "/metrics/", "/metrics?x=1"):
            r = request(main_port, path)
            expect(r.status == 404, f"{path}: {r.status}")
            expect_security_headers(r, path)
        with urllib.request.urlopen(f"http://127.0.0.1:{api_port}/metrics", timeout=5) as inside:
            expect(inside.status == 200, "the api serves no /metrics")
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5) as inside:
            expect(inside.status == 200, "the worker serves no /metrics")

    @check("dot files are not served; /healthz answers for the container health check")
    def _():
        expect(request(main_port, "/.env").status == 404, "/.env is served")
        expect(request(main_port, "/.git/config").status == 404, "/.git/config is served")
        r = request(main_port, "/healthz")
        expect(r.status == 200 and r.text == "ok\n", f"/healthz: {r.status} {r.text!r}")

    login = json.dumps({"email": "nobody@example.com", "password": "wrong-password-123"}).encode()
    json_headers = {"Content-Type": "application/json", "Accept-Language": "en"}

    @check("rate limit (auth): a login burst gets 429 + JSON {\"detail\"} + Retry-After + security headers")
    def _():
        headers = {**json_headers, "CF-Connecting-IP": "203.0.113.10"}
        statuses, throttled = [], None
        for _ in range(6):
            r = request(main_port, "/api/auth/token/", "POST", headers, login)
            statuses.append(r.status)
            if r.status == 429 and throttled is None:
                throttled = r
        expect(statuses[:3] == [s for s in statuses[:3] if s != 429], f"throttled too early: {statuses}")
        expect(statuses[3:] == [429, 429, 429], f"burst of 3 then 429 expected: {statuses}")
        expect(throttled.header("retry-after") == "60", f"Retry-After {throttled.header('retry-after')!r}")
        expect((throttled.header("content-type") or "").startswith("application/json"), "429 is not JSON")
        body = throttled.json()
        expect(set(body) == {"detail"} and "60 seconds" in body["detail"], f"429 body {body}")
        expect_security_headers(throttled, "429")
        ko = request(main_port, "/api/auth/token/", "POST",
                     {"Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.10"}, login)
        expect(ko.status == 429 and "초 후에" in ko.json()["detail"], f"Korean 429: {ko.text}")

    @check("rate limit (auth) counts password-reset, verify-email, register; not GET /api/accounts/users/")
    def _():
        headers = {**json_headers, "CF-Connecting-IP": "203.0.113.30"}
        paths = ["/api/accounts/password-reset/", "/api/accounts/verify-email/",
                 "/api/accounts/users/register/", "/api/accounts/resend-verification/"]
        statuses = [request(main_port, p, "POST", headers, b"{}").status for p in paths]
        expect(statuses[:3].count(429) == 0 and statuses[3] == 429, f"auth paths share the auth zone: {statuses}")
        admin_list = [request(main_port, "/api/accounts/users/", headers={"CF-Connecting-IP": "203.0.113.31"}).status
                      for _ in range(5)]
        expect(429 not in admin_list, f"GET /api/accounts/users/ is auth-limited: {admin_list}")

    @check("Cloudflare IP: CF-Connecting-IP from a trusted source is the client (own bucket, logged as it)")
    def _():
        r = request(main_port, "/api/auth/token/", "POST", {**json_headers, "CF-Connecting-IP": "203.0.113.11"}, login)
        expect(r.status != 429, "another Cloudflare client shares the throttled one's bucket")
        entries = logged(WORK / "nginx-main" / "access.log", lambda e: e["remote_addr"] == "203.0.113.11")
        mine = [e for e in entries if e["remote_addr"] == "203.0.113.11"]
        expect(bool(mine), "no access-log line with remote_addr 203.0.113.11")
        expect(all(e["peer"] == TRUSTED for e in mine), f"peer not kept: {mine}")

    @check("Cloudflare IP: from an untrusted source the header is ignored (logged and limited as the peer)")
    def _():
        statuses = []
        for fake in ("203.0.113.12", "203.0.113.13", "203.0.113.14", "203.0.113.15"):
            r = request(main_port, "/api/auth/token/", "POST", {**json_headers, "CF-Connecting-IP": fake}, login,
                        source=UNTRUSTED)
            statuses.append(r.status)
        expect(statuses[3] == 429, f"rotating a spoofed CF-Connecting-IP escaped the limit: {statuses}")
        entries = logged(WORK / "nginx-main" / "access.log",
                         lambda e: e["remote_addr"] == UNTRUSTED and e["path"] == "/api/auth/token/", count=4)
        spoofed = [e for e in entries if e["remote_addr"] in ("203.0.113.12", "203.0.113.13")]
        expect(not spoofed, f"spoofed addresses were believed: {spoofed}")
        expect(any(e["remote_addr"] == UNTRUSTED and e["peer"] == UNTRUSTED for e in entries),
               "no access-log line from 127.0.0.2")

    @check("the api sees the client address nginx settled on (its anonymous limit, per client)")
    def _():
        statuses = [request(main_port, "/api/categories/", headers={"CF-Connecting-IP": "198.51.100.20"}).status
                    for _ in range(7)]
        expect(statuses[:5] == [401] * 5 and 429 in statuses[5:], f"one client: {statuses}")
        other = request(main_port, "/api/categories/", headers={"CF-Connecting-IP": "198.51.100.21"})
        expect(other.status == 401, f"a second client is throttled with the first: {other.status}")

    @check("access log: JSON lines without query strings (email links carry tokens)")
    def _():
        entries = logged(WORK / "nginx-main" / "access.log", lambda e: e["path"] == "/verify-email")
        text = (WORK / "nginx-main" / "access.log").read_text()
        expect("secret-token-123" not in text, "a token from a query string reached the access log")
        expect(any(e["path"] == "/verify-email" for e in entries), "no /verify-email line")

    @check("forwarding headers are overwritten with the client address (trusted and untrusted sources)")
    def _():
        spoof = {"X-Forwarded-For": "6.6.6.6", "X-Real-IP": "7.7.7.7"}
        seen = request(echo_port, "/api/echo/", headers={**spoof, "CF-Connecting-IP": "203.0.113.50"}).json()
        h = seen["headers"]
        for name in ("x-real-ip", "x-forwarded-for", "cf-connecting-ip"):
            expect(h.get(name) == "203.0.113.50", f"via Cloudflare: {name}={h.get(name)!r}")
        expect(seen["path"] == "/api/echo/", f"path {seen['path']}")
        expect(len(h.get("x-request-id", "")) == 32, "no X-Request-Id")
        seen = request(echo_port, "/api/echo/", headers={**spoof, "CF-Connecting-IP": "203.0.113.51"},
                       source=UNTRUSTED).json()
        h = seen["headers"]
        for name in ("x-real-ip", "x-forwarded-for", "cf-connecting-ip"):
            expect(h.get(name) == UNTRUSTED, f"untrusted: {name}={h.get(name)!r}")

    @check("rate limit (general /api/): a burst gets 429 with Retry-After: 1")
    def _():
        statuses, throttled = [], None
        for _ in range(12):
            r = request(echo_port, "/api/echo/", headers={"CF-Connecting-IP": "203.0.113.60"})
            statuses.append(r.status)
            if r.status == 429:
                throttled = r
        expect(statuses[0] == 200 and throttled is not None, f"statuses {statuses}")
        expect(throttled.header("retry-after") == "1", f"Retry-After {throttled.header('retry-after')!r}")
        expect("detail" in throttled.json(), throttled.text)
        expect_security_headers(throttled, "general 429")
        r = request(echo_port, "/assets/" + assets[0].name, headers={"CF-Connecting-IP": "203.0.113.60"})
        expect(r.status == 200, f"static files are not rate limited: {r.status}")

    @check("TLS: HSTS over HTTPS (SPA and /api/), never over HTTP")
    def _():
        for path in ("/", "/api/echo/"):
            r = request(echo_tls_port, path, headers={"CF-Connecting-IP": "203.0.113.70"}, tls=True)
            expect(r.status == 200, f"https {path}: {r.status}")
            expect_security_headers(r, f"https {path}", hsts=True)
            expect(r.header("strict-transport-security").startswith("max-age=31536000"), "HSTS max-age")
        expect_security_headers(request(echo_port, "/"), "http /")

    @check("API down: 502 with a JSON body and security headers")
    def _():
        echo_server.shutdown()
        echo_server.server_close()
        r = request(echo_port, "/api/echo/", headers={"CF-Connecting-IP": "203.0.113.80"})
        expect(r.status == 502, f"status {r.status}")
        expect("detail" in r.json(), r.text)
        expect_security_headers(r, "502")

    @check("no API_UPSTREAM (the SPA only): /api/ is a 404, the SPA is served")
    def _():
        r = request(off_port, "/api/health/")
        expect(r.status == 404, f"/api/health/: {r.status}")
        expect_security_headers(r, "/api/ 404")
        r = request(off_port, "/contents/5")
        expect(r.status == 200 and r.text == index_html, "SPA not served")

    @check("proxy timeouts fit AI calls (read >= 60 s) and no ${VAR} is left unrendered")
    def _():
        text = (WORK / "nginx-main" / "conf.d" / "resee" / "proxy.conf").read_text()
        read = re.search(r"proxy_read_timeout\s+(\d+)s;", text)
        expect(read is not None and int(read.group(1)) >= 60, f"proxy_read_timeout {read and read.group(1)}")
        for conf in (WORK / "nginx-main" / "conf.d").rglob("*.conf"):
            left = re.findall(r"\$\{[A-Za-z_]+\}", conf.read_text())
            expect(not left, f"{conf.name}: unrendered {left}")

    @check("production renders pass nginx -t: image defaults with Cloudflare's ranges; TLS on; static mode")
    def _():
        variants = {
            "defaults": {},
            "compose": {"API_UPSTREAM": "http://127.0.0.1:8000", "API_RESOLVER": "127.0.0.11"},
            "tls": {"NGINX_TLS": "on", "NGINX_TLS_CERT": str(cert), "NGINX_TLS_KEY": str(key),
                    "API_UPSTREAM": "http://127.0.0.1:8000", "API_RESOLVER": "127.0.0.11"},
            "static": {"API_UPSTREAM": "http://127.0.0.1:8000"},
        }
        for name, overrides in variants.items():
            conf = harness.prepare(WORK / f"render-{name}", overrides)
            result = harness.config_test(conf)
            expect(result.returncode == 0, f"{name}: nginx -t: {result.stderr.strip()}")
            text = "".join(p.read_text() for p in (WORK / f"render-{name}" / "conf.d").rglob("*.conf"))
            expect("${" not in text, f"{name}: unrendered variable")
            ranges = (WORK / f"render-{name}" / "resee" / "cloudflare-ips.conf").read_text()
            expect(ranges.count("set_real_ip_from") >= 15, f"{name}: Cloudflare ranges missing")

    @check("05-resee-defaults.envsh refuses bad values (the container stops instead of misbehaving)")
    def _():
        for bad in (
            {"NGINX_TLS": "maybe"},
            {"API_UPSTREAM": "api:8000"},
            {"API_UPSTREAM": "http://api:8000/api"},
            {"NGINX_RATE_API": "fast"},
            {"NGINX_RATE_AUTH": "10r/h"},
            {"NGINX_BURST_AUTH": "x"},
        ):
            try:
                harness.entrypoint_env({**bad, "NGINX_TMP_DIR": str(WORK / "envsh-tmp")})
            except harness.EnvshError:
                continue
            raise AssertionError(f"accepted {bad}")
        env = harness.entrypoint_env({"NGINX_TMP_DIR": str(WORK / "envsh-tmp")})
        expect(env["RESEE_API_MODE"] == "off" and env["NGINX_LISTEN"] == "8080", "defaults")
        expect((WORK / "envsh-tmp" / "conf.d").is_dir(), "conf.d under NGINX_TMP_DIR not created")

    @check("template variables never collide with lowercase proxy variables Docker may inject")
    def _():
        for template in harness.TEMPLATES.rglob("*.template"):
            hits = re.findall(r"\$\{?(http_proxy|https_proxy|no_proxy|all_proxy|ftp_proxy)\b", template.read_text())
            expect(not hits, f"{template.name} uses {hits}")


if __name__ == "__main__":
    sys.exit(main())
