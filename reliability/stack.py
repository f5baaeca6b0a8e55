"""A private Resee stack for the reliability suite: its own PostgreSQL cluster, Redis (with an
append-only file), SMTP inbox, api and worker, all on free loopback ports, every process
started here and stopped by PID. Faults are real: pg_ctl stop, SIGKILL.
"""

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Quiet-River-2941"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, check, timeout=30.0, every=0.1):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
            if value:
                return value
        except Exception:  # noqa: BLE001 - anything short of success means "not yet"
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout} s")
        time.sleep(every)


def http_status(url, timeout=2.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def pg_bindir():
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    for d in reversed(dirs):
        if os.path.exists(os.path.join(d, "pg_ctl")):
            return d
    found = shutil.which("pg_ctl")
    if not found:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are missing")
    return os.path.dirname(found)


class Stack:
    def __init__(self, work, api_bin, worker_bin, python):
        self.work, self.api_bin, self.worker_bin, self.python = work, api_bin, worker_bin, python
        self.procs = {}
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.pg_port, self.redis_port, self.smtp_port = free_port(), free_port(), free_port()
        self.api_port, self.metrics_port = free_port(), free_port()
        self.pg_dir = os.path.join(work, "pg")
        self.maildir = os.path.join(work, "mail")
        self.base = f"http://127.0.0.1:{self.api_port}"
        self.database_url = f"postgres://postgres@127.0.0.1:{self.pg_port}/resee"
        self.env = dict(
            os.environ,
            APP_ENV="development",
            RUST_LOG="info",
            DATABASE_URL=self.database_url,
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}",
            REDIS_KEY_PREFIX="resee",
            JWT_SECRET="reliability-" + os.urandom(16).hex(),
            PUBLIC_URL="http://resee.test",
            BIND_ADDR=f"127.0.0.1:{self.api_port}",
            METRICS_ADDR=f"127.0.0.1:{self.metrics_port}",
            ENFORCE_EMAIL_VERIFICATION="false",
            RATE_LIMIT_LOGIN="100000/min",
            RATE_LIMIT_REGISTER="100000/min",
            RATE_LIMIT_EMAIL="100000/min",
            RATE_LIMIT_ANON="1000000/min",
            RATE_LIMIT_USER="1000000/min",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(self.smtp_port),
            SMTP_TLS="none",
            MAIL_FROM="Resee <no-reply@resee.test>",
            AI_PROVIDER="offline",
            BACKUP_SCHEDULE="",
            DATABASE_MAX_CONNECTIONS="20",
            JOB_VISIBILITY_TIMEOUT="10s",
        )
        for name in ("DATABASE_URL_FILE", "REDIS_URL_FILE", "SMTP_URL", "S3_BUCKET"):
            self.env.pop(name, None)

    # --- processes ----------------------------------------------------------------------

    def _spawn(self, name, argv, **kw):
        log = open(os.path.join(self.work, f"{name}.log"), "ab")  # noqa: SIM115 - lives with the process
        self.procs[name] = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=self.env, **kw)
        return self.procs[name]

    def kill(self, name, sig=signal.SIGKILL):
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            proc.send_signal(sig)
            proc.wait(timeout=30)

    def log(self, name):
        with open(os.path.join(self.work, f"{name}.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    # --- PostgreSQL ---------------------------------------------------------------------

    def _pg(self, *argv):
        return subprocess.run(self.as_postgres + list(argv), check=True, capture_output=True, cwd="/")

    def start_pg(self):
        bindir = pg_bindir()
        run = os.path.join(self.pg_dir, "run")
        if not os.path.exists(os.path.join(self.pg_dir, "data", "PG_VERSION")):
            os.makedirs(run, exist_ok=True)
            if self.as_postgres:
                subprocess.run(["chown", "-R", "postgres:", self.pg_dir], check=True)
            self._pg(f"{bindir}/initdb", "-D", f"{self.pg_dir}/data", "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {run} -c fsync=off -c max_connections=200"
        self._pg(f"{bindir}/pg_ctl", "-D", f"{self.pg_dir}/data", "-l", f"{self.pg_dir}/log", "-w", "-o", options, "start")

    def stop_pg(self):
        self._pg(f"{pg_bindir()}/pg_ctl", "-D", f"{self.pg_dir}/data", "-m", "fast", "-w", "stop")

    def psql(self, sql, database="resee"):
        url = self.database_url.rsplit("/", 1)[0] + "/" + database
        out = subprocess.run(["psql", "-X", "-q", "-t", "-A", url, "-c", sql], check=True, capture_output=True)
        return out.stdout.decode().strip()

    # --- Redis, SMTP, api, worker -------------------------------------------------------

    def start_redis(self):
        redis_dir = os.path.join(self.work, "redis")
        os.makedirs(redis_dir, exist_ok=True)
        argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", ""]
        self._spawn("redis", argv + ["--appendonly", "yes", "--dir", redis_dir])
        wait_until("Redis to listen", lambda: socket.create_connection(("127.0.0.1", self.redis_port), 1).close() or True)

    def start_smtp(self):
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(self.maildir, sub), exist_ok=True)
        listen = f"127.0.0.1:{self.smtp_port}"
        self._spawn("smtp", [self.python, "-m", "aiosmtpd", "-n", "-l", listen, "-c", "aiosmtpd.handlers.Mailbox", self.maildir])

    def start_api(self):
        self._spawn("api", [self.api_bin, "serve"])
        wait_until("the api to be ready", lambda: http_status(f"{self.base}/api/health/ready/") == 200, timeout=60)

    def start_worker(self, name="worker"):
        self._spawn(name, [self.worker_bin, "run"])
        healthz = f"http://127.0.0.1:{self.metrics_port}/readyz"
        wait_until("the worker to be ready", lambda: http_status(healthz) == 200, timeout=60)

    def up(self):
        self.start_pg()
        self.psql("CREATE DATABASE resee", database="postgres")
        self.start_redis()
        self.start_smtp()
        subprocess.run([self.api_bin, "migrate"], env=self.env, check=True, capture_output=True)
        self.start_api()
        self.start_worker()

    def down(self):
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)
        try:
            self.stop_pg()
        except subprocess.CalledProcessError:
            pass

    # --- users --------------------------------------------------------------------------

    def user(self, session, email, staff=False):
        """Registers `email` and signs in; returns its access token."""
        body = {"email": email, "password": PASSWORD, "password_confirm": PASSWORD}
        r = session.post(f"{self.base}/api/accounts/users/register/", json=body, timeout=10)
        assert r.status_code == 201, (r.status_code, r.text)
        if staff:
            self.psql(f"UPDATE users SET is_staff = TRUE WHERE email = '{email}'")
        r = session.post(f"{self.base}/api/auth/token/", json={"email": email, "password": PASSWORD}, timeout=10)
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()["access"]

    def emails(self):
        """(recipient, subject, Message-ID) of every message the SMTP inbox received."""
        found = []
        for path in glob.glob(os.path.join(self.maildir, "new", "*")):
            with open(path, "rb") as f:
                head = f.read().split(b"\n\n", 1)[0].decode("utf-8", "replace")
            fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
            found.append((fields.get("X-RcptTo", ""), fields.get("Subject", ""), fields.get("Message-ID", "")))
        return found


def openapi(base):
    with urllib.request.urlopen(f"{base}/api/openapi.json", timeout=5) as r:
        return json.load(r)
