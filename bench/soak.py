"""The soak benchmark (bench/soak.sh): mixed load on a private stack for a long time.

    soak.py --api-bin B --worker-bin B [--minutes 10] [--short 30] [--threads 6] --report FILE

A short run (`--short` seconds) first gives the reference p99; then the soak: every thread loops
over a mix of reads (today's list, contents list, dashboard), a note written and deleted again,
a review completion and, every 20th round, a sign-in, with the worker running; the data set
keeps its size, so latency can only drift by the service itself. The api's resident memory is
sampled every 10 s. Prints and writes a markdown report;
exits non-zero on any error, when the soak's p99 is over twice the short run's, or when the
second half's memory peaks more than 3 MiB above the first half's (after the first minute).
"""

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reliability"))
from stack import PASSWORD, Stack  # noqa: E402


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def load(stack, tokens, seconds, threads):
    """Runs the mix for `seconds`; returns (latencies in s, errors, requests per kind)."""
    latencies, errors, kinds = [], [], {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def one(index):
        email, token, schedules = tokens[index % len(tokens)]
        session, auth = requests.Session(), {"Authorization": f"Bearer {token}"}
        base, rounds = stack.base, 0
        while time.monotonic() < stop:
            rounds += 1
            schedule = schedules[(rounds + index) % len(schedules)]
            # The data set stays the same size: each round's new note is deleted again, and
            # completions cycle through the user's 60 cards (completing one again is allowed).
            mix = [
                ("today", "GET", "/api/review/schedules/today/", None),
                ("contents", "GET", "/api/contents/", None),
                ("dashboard", "GET", "/api/review/dashboard/", None),
                ("note", "POST", "/api/contents/", {"title": f"Soak {uuid.uuid4().hex[:8]}", "content": "A note written during the soak."}),
                ("completion", "POST", f"/api/review/schedules/{schedule}/completions/", {"result": "remembered"}),
            ]
            if rounds % 20 == 0:
                mix.append(("sign-in", "POST", "/api/auth/token/", {"email": email, "password": PASSWORD}))
            record = []
            for kind, method, path, body in mix:
                started = time.monotonic()
                try:
                    r = session.request(method, base + path, json=body, headers=auth, timeout=15)
                    status = r.status_code
                    if kind == "note" and status == 201:
                        gone = session.delete(f"{base}/api/contents/{r.json()['id']}/", headers=auth, timeout=15)
                        record.append(("note-delete", gone.status_code, gone.elapsed.total_seconds()))
                except requests.RequestException as e:
                    status = e.__class__.__name__
                record.append((kind, status, time.monotonic() - started))
            with lock:
                for kind, status, took in record:
                    kinds[kind] = kinds.get(kind, 0) + 1
                    latencies.append(took)
                    if status not in (200, 201, 204):
                        errors.append((kind, status))

    workers = [threading.Thread(target=one, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return latencies, errors, kinds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-bin", required=True)
    parser.add_argument("--worker-bin", required=True)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--short", type=float, default=30)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--report", required=True)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="resee-soak-")
    os.chmod(work, 0o755)
    stack = Stack(work, args.api_bin, args.worker_bin, sys.executable)
    stack.env["RUST_LOG"] = "warn"
    try:
        stack.up()
        session = requests.Session()
        tokens = []
        for i in range(args.threads):
            email = f"soak-{i}@example.com"
            token = stack.user(session, email)
            schedules = []
            for n in range(60):
                body = {"title": f"Card {n}", "content": f"What the soak reviews, card {n}."}
                r = session.post(f"{stack.base}/api/contents/", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10)
                assert r.status_code == 201, r.text
                schedules.append(int(stack.psql(f"SELECT id FROM review_schedules WHERE content_id = {r.json()['id']}")))
            tokens.append((email, token, schedules))
        api_pid = stack.procs["api"].pid

        print(f"short run: {args.short:.0f} s", flush=True)
        short_lat, short_err, short_kinds = load(stack, tokens, args.short, args.threads)
        short_p99 = percentile(short_lat, 0.99)

        print(f"soak: {args.minutes:.0f} min", flush=True)
        samples, done = [], threading.Event()

        def sample():
            started = time.monotonic()
            while not done.is_set():
                samples.append((time.monotonic() - started, rss_mib(api_pid)))
                done.wait(10)

        sampler = threading.Thread(target=sample)
        sampler.start()
        soak_started = time.monotonic()
        lat, err, kinds = load(stack, tokens, args.minutes * 60, args.threads)
        elapsed = time.monotonic() - soak_started
        done.set()
        sampler.join()
        samples.append((elapsed, rss_mib(api_pid)))
        p50, p99 = percentile(lat, 0.5), percentile(lat, 0.99)
        late = [m for t, m in samples if t >= elapsed / 2]
        early = [m for t, m in samples if 60 <= t < elapsed / 2] or [samples[0][1]]
        outbox = stack.psql("SELECT count(*) FROM job_outbox")
        lines = [
            f"# Soak: {args.minutes:.0f} minutes of mixed load ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
            "",
            f"{args.threads} client threads (Python), each looping: today's list, contents list, dashboard, a note created and deleted, a completion, every 20th round a sign-in; worker running; release binaries.",
            "",
            "| run | requests | req/s | errors | p50 ms | p99 ms |",
            "|---|---|---|---|---|---|",
            f"| short ({args.short:.0f} s) | {len(short_lat)} | {len(short_lat) / args.short:.0f} | {len(short_err)} | {percentile(short_lat, 0.5) * 1000:.1f} | {short_p99 * 1000:.1f} |",
            f"| soak ({elapsed / 60:.1f} min) | {len(lat)} | {len(lat) / elapsed:.0f} | {len(err)} | {p50 * 1000:.1f} | {p99 * 1000:.1f} |",
            "",
            f"Requests by kind in the soak: {dict(sorted(kinds.items()))}. Outbox rows left: {outbox}.",
            "",
            "api resident memory (MiB), every 10 s:",
            "",
            "| t (s) | RSS MiB |",
            "|---|---|",
        ] + [f"| {t:.0f} | {m:.1f} |" for t, m in samples] + [
            "",
            f"First half (after the first minute) max {max(early):.1f} MiB, second half max {max(late):.1f} MiB.",
        ]
        report = "\n".join(lines) + "\n"
        print(report)
        with open(args.report, "w") as f:
            f.write(report)
        failures = []
        if short_err or err:
            failures.append(f"errors: {(short_err + err)[:10]}")
        if p99 > 2 * short_p99:
            failures.append(f"soak p99 {p99 * 1000:.1f} ms is over twice the short run's {short_p99 * 1000:.1f} ms")
        if max(late) > max(early) + 3:
            failures.append(f"memory grew: second half up to {max(late):.1f} MiB against {max(early):.1f}")
        if failures:
            print("FAILED: " + "; ".join(failures), file=sys.stderr)
            sys.exit(1)
    finally:
        stack.down()


if __name__ == "__main__":
    main()
