"""Static checks of the compose deployment (called by compose/tests/run.sh; no Docker needed).

Compose files (cross-references the schema cannot see), compose/.env.example, both Dockerfiles
(parsed with BuildKit's own parser), the .dockerignore files against the tracked files, and the
CloudFormation template beyond cfn-lint. Prints one line per check, then "N passed, N failed".
"""

from __future__ import annotations

import ipaddress
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import dockerfile
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from testlib import check, expect, summary  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose"
PROD = yaml.safe_load((COMPOSE / "docker-compose.yml").read_text())
DEV = yaml.safe_load((COMPOSE / "compose.dev.yml").read_text())
LONG_RUNNING = ("nginx", "api", "worker", "postgres", "redis", "s3")
ONE_SHOT = ("migrate", "s3-bucket")
# Variables of the root .env.example that compose sets itself (or the worker image does).
SET_BY_COMPOSE = {"DATABASE_URL", "REDIS_URL", "BIND_ADDR", "METRICS_ADDR", "TRUSTED_PROXIES"}
SET_BY_IMAGE = {"PG_DUMP_PATH", "PG_RESTORE_PATH"}


def env_example(path: Path) -> tuple[dict[str, int], list[str]]:
    """Variables (NAME= or a commented-out # NAME=) with line numbers; problems found."""
    names: dict[str, int] = {}
    problems = []
    block_has_comment = False
    for number, line in enumerate(path.read_text().splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            block_has_comment = False
            continue
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", stripped)
        if match and (not stripped.startswith("#") or re.match(r"^#\s?[A-Z][A-Z0-9_]*=\S*$", stripped)):
            name = match.group(1)
            if name in names:
                problems.append(f"{path.name}:{number}: {name} twice")
            names[name] = number
            if not block_has_comment:
                problems.append(f"{path.name}:{number}: {name} has no comment above it")
        elif stripped.startswith("#"):
            block_has_comment = True
    return names, problems


def interpolated(text: str) -> set[str]:
    """${NAME...} and $NAME references of a compose file ($$ is a literal dollar)."""
    text = text.replace("$$", "")
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text)) | set(
        re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text)
    )


def memory_bytes(value: str) -> int:
    match = re.fullmatch(r"(\d+)([KMG])", str(value))
    expect(match is not None, f"memory limit {value!r} is not like 768M")
    return int(match.group(1)) * {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[match.group(2)]


# --- compose -------------------------------------------------------------------------------
services = PROD["services"]


@check("compose: every depends_on names a service; api and worker wait for a successful migrate")
def _():
    for label, doc, known in (("prod", PROD, set(services)), ("dev", DEV, set(services) | set(DEV["services"]))):
        for name, service in doc["services"].items():
            expect(name in services, f"{label}: {name} is not a service of docker-compose.yml")
            for target, condition in (service.get("depends_on") or {}).items():
                expect(target in known, f"{label}: {name} depends on unknown {target}")
                expect(
                    condition.get("condition") in ("service_started", "service_healthy", "service_completed_successfully"),
                    f"{name} -> {target}: condition {condition}",
                )
    for name in ("api", "worker"):
        expect(
            services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully",
            f"{name} does not wait for migrate",
        )
        for infra in ("postgres", "redis"):
            expect(services[name]["depends_on"][infra]["condition"] == "service_healthy", f"{name} -> {infra}")
    expect(services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy", "migrate -> postgres")
    expect(services["migrate"]["command"] == ["migrate"], "migrate runs `resee-api migrate`")
    expect(services["migrate"]["restart"] == "no", "migrate is one-shot")


@check("compose: every ${VAR} of both compose files is documented in compose/.env.example")
def _():
    documented, _ = env_example(COMPOSE / ".env.example")
    for name in ("docker-compose.yml", "compose.dev.yml"):
        used = interpolated((COMPOSE / name).read_text())
        missing = sorted(used - set(documented))
        expect(not missing, f"{name} uses undocumented {missing}")


@check("compose: only nginx publishes ports (80, 443 on loopback until TLS); dev ports on 127.0.0.1 only")
def _():
    for name, service in services.items():
        if name != "nginx":
            expect("ports" not in service and "expose" not in service, f"{name} publishes ports")
    ports = services["nginx"]["ports"]
    expect(ports == ["${HTTP_BIND:-0.0.0.0}:${HTTP_PORT:-80}:8080", "${HTTPS_BIND:-127.0.0.1}:${HTTPS_PORT:-443}:8443"],
           f"nginx ports {ports}")
    for name, service in DEV["services"].items():
        for port in service.get("ports", []):
            expect(str(port).startswith("127.0.0.1:"), f"dev: {name} publishes {port} beyond loopback")
    expect(not (COMPOSE / "compose.override.yml").exists(), "an auto-merged compose.override.yml exists")


@check("compose: health checks, restart policies, hardening and limits that fit 2 vCPU / 4 GB")
def _():
    total = 0
    for name in LONG_RUNNING:
        service = services[name]
        expect("healthcheck" in service and service["healthcheck"].get("test"), f"{name} has no health check")
        expect(service.get("restart") == "unless-stopped", f"{name} restart {service.get('restart')}")
        limits = service["deploy"]["resources"]["limits"]
        expect(float(limits["cpus"]) <= 2.0, f"{name} cpus {limits['cpus']}")
        if "s3" not in service.get("profiles", []):
            total += memory_bytes(limits["memory"])
        expect("logging" in service, f"{name} has no log rotation")
    expect(total <= int(3.5 * (1 << 30)), f"memory limits add up to {total / (1 << 30):.2f} GiB (> 3.5 of 4)")
    for name in ONE_SHOT:
        expect(services[name].get("restart") == "no", f"{name} should not restart")
    for name in ("api", "worker", "migrate", "nginx"):
        s = services[name]
        expect(s.get("read_only") is True, f"{name} root file system is writable")
        expect(s.get("cap_drop") == ["ALL"], f"{name} keeps capabilities")
        expect("no-new-privileges:true" in s.get("security_opt", []), f"{name} allows new privileges")
    expect(services["api"]["healthcheck"]["test"] == ["CMD", "/usr/local/bin/resee-api", "healthcheck"], "api check")
    expect(services["worker"]["healthcheck"]["test"] == ["CMD", "/usr/local/bin/resee-worker", "healthcheck"],
           "worker check")


@check("compose: postgres:15 (pg_isready), redis:7 with AOF, named volumes, one network for all")
def _():
    expect(services["postgres"]["image"] == "postgres:15", services["postgres"]["image"])
    expect("pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"]), "postgres health check")
    expect(services["redis"]["image"] == "redis:7", services["redis"]["image"])
    cmd = services["redis"]["command"]
    expect(cmd[cmd.index("--appendonly") + 1] == "yes", "redis without AOF")
    declared = set(PROD["volumes"])
    for name, service in services.items():
        for volume in service.get("volumes", []):
            if isinstance(volume, str) and not volume.startswith(("./", "/")):
                expect(volume.split(":")[0] in declared, f"{name}: undeclared volume {volume}")
        expect(service.get("networks") == ["backend"], f"{name} networks {service.get('networks')}")
    expect(list(PROD["networks"]) == ["backend"], "more than one network")
    expect(PROD["networks"]["backend"].get("internal") is not True,
           "an internal: true network cuts the worker off from SMTP and S3")
    for name in ("pgdata", "redisdata"):
        expect(name in declared, f"no {name} volume")


@check("compose: worker backs up at 03:00 by default; the s3 profile; images by registry and sha tag")
def _():
    expect(services["worker"]["environment"]["BACKUP_SCHEDULE"] == "${BACKUP_SCHEDULE:-0 3 * * *}",
           services["worker"]["environment"].get("BACKUP_SCHEDULE"))
    expect(services["s3"].get("profiles") == ["s3"] and services["s3-bucket"].get("profiles") == ["s3"], "s3 profile")
    for name, image in (("api", "resee-api"), ("migrate", "resee-api"), ("worker", "resee-worker"), ("nginx", "resee-web")):
        expect(
            services[name]["image"] == f"${{RESEE_IMAGE_REGISTRY:-ghcr.io/resee}}/{image}:${{RESEE_IMAGE_TAG:-latest}}",
            f"{name} image {services[name]['image']}",
        )
        expect("build" in services[name], f"{name} cannot be built here (deploy.sh's fallback)")
    expect(services["api"]["build"]["target"] == "api" and services["worker"]["build"]["target"] == "worker", "targets")
    expect(services["nginx"]["build"]["dockerfile"] == "web/Dockerfile", "web image build")
    env = services["api"]["environment"]
    for name in SET_BY_COMPOSE:
        expect(name in env, f"compose does not set {name}")
    expect(env["TRUSTED_PROXIES"] == "${RESEE_SUBNET:-172.29.0.0/24}", "TRUSTED_PROXIES follows the subnet")
    expect(PROD["networks"]["backend"]["ipam"]["config"][0]["subnet"] == "${RESEE_SUBNET:-172.29.0.0/24}", "subnet")


@check("compose: nginx's settings are variables the image's 05-resee-defaults.envsh knows")
def _():
    envsh = (COMPOSE / "nginx" / "05-resee-defaults.envsh").read_text()
    for name in services["nginx"]["environment"]:
        expect(re.search(rf"\b{name}\b", envsh), f"nginx env {name} is unknown to the envsh")
    expect(services["nginx"]["environment"]["API_UPSTREAM"] == "http://api:8000", "API_UPSTREAM")
    expect(services["nginx"]["environment"]["API_RESOLVER"] == "127.0.0.11", "Docker DNS resolver")


@check("nginx template: every location includes the security headers (add_header is not inherited)")
def _():
    text = (COMPOSE / "nginx" / "templates" / "resee.conf.template").read_text()
    blocks = re.findall(r"^    location ([^{]+)\{(.*?)^    \}", text, re.M | re.S)
    expect(len(blocks) >= 10, f"only {len(blocks)} locations found")
    for name, body in blocks:
        expect("include conf.d/resee/security-headers.conf;" in body, f"location {name.strip()} lacks the headers")
    server = text[text.index("server {"):]
    outside = re.sub(r"^    location [^{]+\{.*?^    \}", "", server, flags=re.M | re.S)
    expect("add_header" not in outside, "add_header at server level would be hidden by the locations' own")


# --- .env.example --------------------------------------------------------------------------
@check(".env.example: every variable has a comment; none twice; the deploy and app variables are there")
def _():
    names, problems = env_example(COMPOSE / ".env.example")
    expect(not problems, "; ".join(problems))
    root_names, _ = env_example(ROOT / ".env.example")
    missing = sorted(set(root_names) - set(names) - SET_BY_COMPOSE - SET_BY_IMAGE)
    expect(not missing, f"app variables of .env.example missing from compose/.env.example: {missing}")
    stale = sorted((SET_BY_COMPOSE | SET_BY_IMAGE) & set(names))
    expect(not stale, f"set by compose or the image, yet in compose/.env.example: {stale}")
    deploy = (COMPOSE / "deploy.sh").read_text()
    for name in sorted(set(re.findall(r"env_get ([A-Z][A-Z0-9_]*)", deploy)) | set(
        re.findall(r"setting ([A-Z][A-Z0-9_]*)", deploy))):
        expect(name in names, f"deploy.sh reads {name}, compose/.env.example does not explain it")
    text = (COMPOSE / ".env.example").read_text()
    expect(re.search(r'^BACKUP_SCHEDULE="0 3 \* \* \*"$', text, re.M), "BACKUP_SCHEDULE default")
    expect("\nAWS_ACCESS_KEY_ID=" not in text, "AWS keys must stay commented out (instance role)")


# --- Dockerfiles ---------------------------------------------------------------------------
def stages(path: Path) -> dict[str, dict]:
    """name -> {base, commands} with FROM-stage inheritance resolved into `settings`."""
    result: dict[str, dict] = {}
    order = []
    current = None
    for command in dockerfile.parse_file(str(path)):
        if command.cmd == "FROM":
            value = command.value
            name = value[2].lower() if len(value) >= 3 and value[1].upper() == "AS" else f"#{len(order)}"
            current = {"name": name, "base": value[0], "commands": []}
            result[name] = current
            order.append(name)
        elif current is not None:
            current["commands"].append(command)
    for name in order:
        stage = result[name]
        parent = result.get(stage["base"].lower())
        settings = dict(parent["settings"]) if parent else {"labels": {}, "env": {}}
        settings = {**settings, "labels": dict(settings["labels"]), "env": dict(settings["env"])}
        for c in stage["commands"]:
            if c.cmd == "LABEL":
                for key, value in zip(c.value[::2], c.value[1::2]):
                    settings["labels"][key] = value.strip('"')
            elif c.cmd == "ENV":
                for key, value in zip(c.value[::2], c.value[1::2]):
                    settings["env"][key] = value
            elif c.cmd in ("USER", "ENTRYPOINT", "CMD", "HEALTHCHECK", "EXPOSE"):
                settings[c.cmd] = c
        stage["settings"] = settings
    return result


RUST = stages(ROOT / "Dockerfile")
WEB = stages(ROOT / "web" / "Dockerfile")


def subcommands(main_rs: Path) -> set[str]:
    """The subcommands of a binary: its `enum Command` (in `main.rs`, or `cli.rs` beside it)."""
    text = main_rs.read_text()
    if "enum Command" not in text and (main_rs.parent / "cli.rs").exists():
        text = (main_rs.parent / "cli.rs").read_text()
    enum = text[text.index("enum Command"):]
    enum = enum[: enum.index("\n}\n")]
    return {re.sub(r"(?<!^)(?=[A-Z])", "-", m).lower() for m in re.findall(r"^\s{4}([A-Z][A-Za-z]+)", enum, re.M)}


@check("Dockerfile: targets api, worker, operator; non-root numeric user; entrypoint, labels, health checks")
def _():
    binaries = {"api": ROOT / "api/src/main.rs", "worker": ROOT / "worker/src/main.rs",
                "operator": ROOT / "operator/src/main.rs"}
    for target, main_rs in binaries.items():
        expect(target in RUST, f"no target {target}")
        s = RUST[target]["settings"]
        user = s["USER"].value[0]
        uid = user.split(":")[0]
        expect(uid.isdigit() and int(uid) != 0, f"{target}: USER {user} (numeric, not root)")
        entry = s["ENTRYPOINT"]
        expect(entry.json and list(entry.value) == [f"/usr/local/bin/resee-{target}"], f"{target}: ENTRYPOINT {entry.value}")
        known = subcommands(main_rs)
        cmd = s["CMD"].value[0]
        expect(cmd in known, f"{target}: CMD {cmd} is not a subcommand ({sorted(known)})")
        for label in ("org.opencontainers.image.source", "org.opencontainers.image.revision"):
            expect(label in s["labels"], f"{target}: no label {label}")
        expect(s["labels"]["org.opencontainers.image.revision"] == "${GIT_REVISION}", "revision label")
        health = s.get("HEALTHCHECK")
        if "healthcheck" in known:
            expect(health is not None and "healthcheck" in health.original, f"{target}: no HEALTHCHECK")
            expect(f"resee-{target}" in health.original, f"{target}: HEALTHCHECK runs another binary")
        else:
            expect(health is not None and health.value[0].upper() == "NONE",
                   f"{target}: no healthcheck subcommand, so HEALTHCHECK NONE (Kubernetes probes HTTP)")
        expect("EXPOSE" in s, f"{target}: EXPOSE")
    for command in ("serve", "migrate"):
        expect(command in subcommands(binaries["api"]), f"resee-api has no {command} (compose uses it)")
    expect("run" in subcommands(binaries["worker"]), "resee-worker has no run")


@check("Dockerfile: cargo-chef dependency layer, SQLX_OFFLINE, the toolchain of rust-toolchain.toml, distroless + libgcc_s")
def _():
    toolchain = tomllib.loads((ROOT / "rust-toolchain.toml").read_text())["toolchain"]["channel"]
    text = (ROOT / "Dockerfile").read_text()
    expect(f"ARG RUST_VERSION={toolchain}\n" in text, f"ARG RUST_VERSION differs from rust-toolchain.toml ({toolchain})")
    builder = [c for c in RUST["builder"]["commands"]]
    cook = next(i for i, c in enumerate(builder) if c.cmd == "RUN" and "cargo chef cook" in c.value[0])
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text())
    copied = {source.rstrip("/") for c in builder if c.cmd == "COPY" and not c.flags for source in c.value[:-1]}
    for needed in ("Cargo.toml", "Cargo.lock", "rust-toolchain.toml", ".sqlx", *cargo["workspace"]["members"]):
        expect(needed in copied, f"the builder does not copy {needed}")
    expect(not any(c.value[0] == "." for c in builder if c.cmd == "COPY"), "the builder copies the whole context")
    copy_all = next(i for i, c in enumerate(builder) if c.cmd == "COPY" and not c.flags)
    build = next(i for i, c in enumerate(builder) if c.cmd == "RUN" and "cargo build --profile image" in c.value[0])
    expect(cook < copy_all < build, "the dependency layer must come before the sources are copied")
    expect("--profile image" in builder[cook].value[0], "the dependency layer is built with another profile")
    expect("--locked" in builder[build].value[0], "cargo build without --locked")
    expect("cp target/image/resee-api target/image/resee-worker target/image/resee-operator /out/"
           in builder[build].value[0], "the binaries are not taken from target/image")
    env = RUST["builder"]["settings"]["env"]
    expect(env.get("SQLX_OFFLINE") == "true", "SQLX_OFFLINE is not true in the build")
    expect(not any(name.startswith("CARGO_PROFILE_") for name in env), "profile settings belong in Cargo.toml")
    profile = cargo["profile"]["image"]
    expect(profile == {"inherits": "release", "lto": "fat", "codegen-units": 1, "strip": "symbols"},
           f"Cargo.toml's image profile: {profile}")
    planner = RUST["planner"]["commands"]
    expect(any(c.cmd == "RUN" and "cargo chef prepare" in c.value[0] for c in planner), "no cargo chef prepare")
    for target in ("api", "worker", "operator"):
        chain, base = [], RUST[target]["base"]
        while base.lower() in RUST:
            chain.append(base)
            base = RUST[base.lower()]["base"]
        expect(base == "${RUNTIME_IMAGE}", f"{target} does not run on the runtime image")
    expect("ARG RUNTIME_IMAGE=gcr.io/distroless/base-nossl-debian12:nonroot" in text, "runtime image")
    # base-nossl has glibc only: the runtime stage adds libgcc_s, which the builder takes from ldd.
    expect(any(c.cmd == "COPY" and "--from=builder" in c.flags and c.value == ("/out/runtime/", "/")
               for c in RUST["runtime"]["commands"]), "the runtime stage does not add libgcc_s")
    build = next(c.value[0] for c in RUST["builder"]["commands"] if c.cmd == "RUN" and "cargo build" in c.value[0])
    expect("libgcc_s.so.1" in build and '/out/runtime$libgcc' in build, "the builder does not collect libgcc_s")


@check("Dockerfile: the worker carries pg_dump/pg_restore 15 (built from source, bundled with their libraries)")
def _():
    pg = RUST["pg-client"]
    runs = [c.value[0] for c in pg["commands"] if c.cmd == "RUN"]
    expect(any("fetch-pg-source.sh /build postgresql-15" in run for run in runs), "no PostgreSQL 15 source")
    expect(any('build-pg-client.sh "$source_dir" /usr/lib/postgresql/15' in run for run in runs), "no build")
    expect(not any("postgresql-client" in run for run in runs), "Debian's client package is not needed")
    expect(any(c.cmd == "RUN" and "bundle-libs.sh /bundle /usr/lib/postgresql/15/bin/pg_dump "
               "/usr/lib/postgresql/15/bin/pg_restore" in c.value[0] for c in pg["commands"]), "no bundle")
    worker = RUST["worker"]
    expect(any(c.cmd == "COPY" and "--from=pg-client" in c.flags for c in worker["commands"]), "bundle not copied")
    env = worker["settings"]["env"]
    expect(env["PG_DUMP_PATH"] == "/usr/lib/postgresql/15/bin/pg_dump", "PG_DUMP_PATH")
    expect(env["PG_RESTORE_PATH"] == "/usr/lib/postgresql/15/bin/pg_restore", "PG_RESTORE_PATH")
    expect(not any(c.cmd == "COPY" and "--from=pg-client" in c.flags for c in RUST["api"]["commands"]),
           "the api image does not need pg tools")


@check("web/Dockerfile: builds the SPA, official nginx unprivileged (101, 8080), templates, labels, health check")
def _():
    web = WEB["web"]
    s = web["settings"]
    expect(web["base"].startswith("nginx:") and web["base"].endswith("-alpine"), f"base {web['base']}")
    expect(s["USER"].value[0] == "101:101", f"USER {s['USER'].value}")
    expect("8080" in s["EXPOSE"].value, "EXPOSE 8080")
    expect("wget" in s["HEALTHCHECK"].original and "/healthz" in s["HEALTHCHECK"].original, "HEALTHCHECK")
    for label in ("org.opencontainers.image.source", "org.opencontainers.image.revision"):
        expect(label in s["labels"], f"no label {label}")
    copies = [c.original for c in web["commands"] if c.cmd == "COPY"]
    for needed in ("compose/nginx/templates/ /etc/nginx/templates/",
                   "compose/nginx/cloudflare-ips.conf /etc/nginx/resee/cloudflare-ips.conf",
                   "compose/nginx/05-resee-defaults.envsh /docker-entrypoint.d/05-resee-defaults.envsh",
                   "compose/nginx/nginx.conf /etc/nginx/nginx.conf",
                   "--from=build /web/dist/ /usr/share/nginx/html/"):
        expect(any(needed in c for c in copies), f"missing COPY {needed}")
    expect(any(c.cmd == "RUN" and "npm run build" in c.value[0] for c in WEB["build"]["commands"]), "no npm run build")
    nginx_conf = (COMPOSE / "nginx" / "nginx.conf").read_text()
    expect("pid /tmp/nginx/nginx.pid;" in nginx_conf and "include conf.d/*.conf;" in nginx_conf, "nginx.conf paths")
    envsh = (COMPOSE / "nginx" / "05-resee-defaults.envsh").read_text()
    expect(': "${NGINX_TMP_DIR:=/tmp/nginx}"' in envsh, "the envsh and nginx.conf disagree on /tmp/nginx")
    expect(any("ln -s /tmp/nginx/conf.d /etc/nginx/conf.d" in c.value[0] for c in web["commands"] if c.cmd == "RUN"),
           "conf.d is not linked into /tmp")


# --- .dockerignore -------------------------------------------------------------------------
def ignore_rules(path: Path) -> list[tuple[bool, str]]:
    rules = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line[1:] if negate else line
        rules.append((negate, pattern.strip("/")))
    return rules


def pattern_matches(pattern: str, path: str) -> bool:
    """Docker's rule: the pattern matches the path or one of its parent directories."""
    regex = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            regex += ".*"
            i += 2
        elif pattern[i] == "*":
            regex += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            regex += "[^/]"
            i += 1
        else:
            regex += re.escape(pattern[i])
            i += 1
    compiled = re.compile(regex + r"(?:/.*)?\Z")
    return bool(compiled.match(path))


def included(rules: list[tuple[bool, str]], path: str) -> bool:
    keep = True
    for negate, pattern in rules:
        if pattern_matches(pattern, path):
            keep = negate
    return keep


def tracked() -> list[str]:
    out = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True).stdout
    return out.splitlines()


@check(".dockerignore (Rust build): the workspace and .sqlx in; target, .git, web, .env out")
def _():
    rules = ignore_rules(ROOT / ".dockerignore")
    files = tracked()
    for path in files:
        top = path.split("/")[0]
        want = top in ("core", "api", "worker", "operator", ".sqlx") or path in (
            "Cargo.toml", "Cargo.lock", "rust-toolchain.toml", "compose/images/bundle-libs.sh",
            "compose/images/build-pg-client.sh", "compose/images/fetch-pg-source.sh")
        expect(included(rules, path) == want, f"{path}: {'missing from' if want else 'sent with'} the context")
    for junk in ("target/debug/resee-api", "api/target/x", ".git/config", "web/node_modules/x/y.js", "compose/.env",
                 ".env", "api/.env"):
        expect(not included(rules, junk), f"{junk} would be sent")
    expect(any(p.startswith(".sqlx/") for p in files), ".sqlx/ is not committed")


@check("web/Dockerfile.dockerignore: web sources and compose/nginx in; node_modules, dist, e2e, certs out")
def _():
    rules = ignore_rules(ROOT / "web" / "Dockerfile.dockerignore")
    for path in tracked():
        want = (path.startswith("web/") and not path.startswith("web/e2e/")) or path.startswith("compose/nginx/")
        expect(included(rules, path) == want, f"{path}: {'missing from' if want else 'sent with'} the context")
    for junk in ("web/node_modules/react/index.js", "web/dist/index.html", "compose/nginx/certs/origin.key",
                 "web/e2e/node_modules/x.js"):
        expect(not included(rules, junk), f"{junk} would be sent")
    for needed in ("web/package-lock.json", "web/src/main.tsx", "web/public/sw.js", "compose/nginx/templates/resee.conf.template"):
        expect(included(rules, needed), f"{needed} is left out")


# --- CloudFormation ------------------------------------------------------------------------
class CfnLoader(yaml.SafeLoader):
    pass


def _tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}


CfnLoader.add_multi_constructor("!", _tag)
CFN = yaml.load((COMPOSE / "aws" / "resee.yaml").read_text(), Loader=CfnLoader)
RES = CFN["Resources"]


@check("CloudFormation: only 80/443 (Cloudflare prefix list or anywhere) and 22 from SshCidr are open")
def _():
    rules = RES["SecurityGroup"]["Properties"]["SecurityGroupIngress"]
    seen = []
    for rule in rules:
        branches = rule["If"][1:] if isinstance(rule, dict) and "If" in rule else [rule]
        for branch in branches:
            if isinstance(branch, dict) and "IpProtocol" in branch:
                seen.append((branch["FromPort"], branch["ToPort"], branch.get("CidrIp"), branch.get("SourcePrefixListId")))
    ports = {(a, b) for a, b, _, _ in seen}
    expect(ports == {(80, 80), (443, 443), (22, 22)}, f"ports {ports}")
    for a, _, cidr, prefix in seen:
        if a == 22:
            expect(cidr == {"Ref": "SshCidr"}, f"SSH from {cidr}")
    expect(RES["Instance"]["Properties"]["MetadataOptions"]["HttpPutResponseHopLimit"] == 2, "IMDS hop limit")
    expect(CFN["Parameters"]["InstanceType"]["Default"] == "t3.medium", "instance type")
    expect("ubuntu/server/22.04" in CFN["Parameters"]["UbuntuAmi"]["Default"], "Ubuntu 22.04 via SSM")


@check("CloudFormation: the Cloudflare prefix list equals compose/nginx/cloudflare-ips.conf (IPv4)")
def _():
    entries = [e["Cidr"] for e in RES["CloudflarePrefixList"]["Properties"]["Entries"]]
    conf = re.findall(r"set_real_ip_from ([^;]+);", (COMPOSE / "nginx" / "cloudflare-ips.conf").read_text())
    v4 = [c for c in conf if ipaddress.ip_network(c).version == 4]
    expect(sorted(entries) == sorted(v4), f"prefix list {sorted(set(entries) ^ set(v4))} differ")
    expect(len(entries) <= RES["CloudflarePrefixList"]["Properties"]["MaxEntries"], "MaxEntries too small")


@check("CloudFormation: bucket versioned, encrypted, private, expiring backups, aborting uploads; role limited")
def _():
    bucket = RES["BackupBucket"]["Properties"]
    expect(bucket["VersioningConfiguration"]["Status"] == "Enabled", "versioning")
    expect(bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
           ["SSEAlgorithm"] == "AES256", "encryption")
    expect(all(bucket["PublicAccessBlockConfiguration"].values()), "public access block")
    rules = {r["Id"]: r for r in bucket["LifecycleConfiguration"]["Rules"]}
    expect(rules["expire-backups"]["ExpirationInDays"] == {"Ref": "BackupExpirationDays"}, "expiry")
    expect(CFN["Parameters"]["BackupExpirationDays"]["Default"] > 30, "expiry not above the 30-day retention")
    expect(rules["abort-incomplete-uploads"]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 1, "abort")
    expect(RES["BackupBucket"]["DeletionPolicy"] == "Retain", "backups must survive the stack")
    statements = RES["InstanceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    actions = sorted(a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]))
    expect(actions == ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"],
           f"actions {actions}")
    objects = next(s for s in statements if "s3:GetObject" in s["Action"])
    expect(objects["Resource"] == {"Sub": "${BackupBucket.Arn}/${BackupPrefix}/*"}, f"object scope {objects['Resource']}")
    listing = next(s for s in statements if s["Action"] == "s3:ListBucket")
    expect("StringLike" in listing["Condition"], "ListBucket not limited to the prefix")


@check("CloudFormation: user data installs Docker + compose plugin and clones the repository; outputs")
def _():
    user_data = RES["Instance"]["Properties"]["UserData"]["Fn::Base64"]["Sub"]
    for needed in ("docker-ce", "docker-compose-plugin", "git clone", "/opt/resee", "usermod -aG docker ubuntu"):
        expect(needed in user_data, f"user data lacks {needed}")
    for output in ("PublicIp", "InstanceId", "SecurityGroupId", "BackupBucketName", "BackupPrefix", "Region", "DeployRoleArn"):
        expect(output in CFN["Outputs"], f"no output {output}")


@check("release/deploy workflows push and pull the image names compose runs")
def _():
    images = (ROOT / ".github" / "workflows" / "images.yml").read_text()
    for name in ("resee-api", "resee-worker", "resee-web", "resee-operator"):
        expect(name in images, f"images.yml does not build {name}")
    deploy = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    for secret in ("EC2_HOST", "EC2_USER", "EC2_SSH_KEY", "PROJECT_PATH"):
        expect(f"secrets.{secret}" in deploy, f"deploy.yml does not use {secret}")
    expect("compose/deploy.sh" in deploy, "deploy.yml does not run compose/deploy.sh")


if __name__ == "__main__":
    sys.exit(summary("static"))
