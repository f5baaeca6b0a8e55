"""Runs one stage of a Dockerfile in a Debian root file system with chroot, the way `docker build
--target STAGE` runs it on a Debian base image, for stages on a debian:* image that need no other
stage:

    dockerfile_stage.py DOCKERFILE STAGE ROOT CONTEXT

ROOT stands in for the stage's base image (compose/tests/run.sh makes it with debootstrap), CONTEXT
is the build context. Instructions: ARG (the Dockerfile's defaults), ENV, WORKDIR, COPY from the
context and RUN (shell form, through /bin/sh -c, with the stage's environment); LABEL is ignored.
Anything else — RUN or COPY flags, COPY --from, the JSON form — is refused rather than guessed at,
so what passes here is what Docker would run. Commands print as they run; a failing RUN stops the
stage with its exit status.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dockerfile

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class Unsupported(Exception):
    pass


def substitute(text: str, values: dict[str, str]) -> str:
    """${NAME} and $NAME, as Docker expands them in FROM, ENV, WORKDIR and COPY."""

    if re.search(r"\$\{\w+:", text):
        raise Unsupported(f"a ${{NAME:...}} modifier in {text}")

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in values:
            raise Unsupported(f"${name} has no value")
        return values[name]

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, text)


def split_arg(value: str) -> tuple[str, str | None]:
    name, sep, default = value.partition("=")
    return name, (default if sep else None)


def stage_commands(path: Path, target: str) -> tuple[str, list, dict[str, str]]:
    """The stage's base image, its instructions, and the global ARG defaults."""
    global_args: dict[str, str] = {}
    commands = dockerfile.parse_file(str(path))
    current: str | None = None
    base = ""
    stages: list[str] = []
    found: list = []
    for command in commands:
        if command.cmd == "FROM":
            value = command.value
            current = value[2].lower() if len(value) >= 3 and value[1].upper() == "AS" else None
            if current == target:
                base = substitute(value[0], global_args)
                if base.lower() in stages:
                    raise Unsupported(f"{target} builds on the stage {base}")
                if not base.startswith("debian:"):
                    raise Unsupported(f"{target} is FROM {base}, not a Debian image")
            if current:
                stages.append(current)
        elif current is None and not found and command.cmd == "ARG":
            for item in command.value:
                name, default = split_arg(item)
                if default is not None:
                    global_args[name] = default
        elif current == target:
            found.append(command)
    if not base:
        raise Unsupported(f"no stage {target} in {path}")
    return base, found, global_args


def copy_into(context: Path, root: Path, sources: list[str], destination: str) -> None:
    if len(sources) > 1 and not destination.endswith("/"):
        raise Unsupported("COPY of several sources needs a directory destination")
    for source in sources:
        if any(c in source for c in "*?["):
            raise Unsupported(f"COPY with a pattern: {source}")
        origin = (context / source).resolve()
        if context.resolve() not in origin.parents:
            raise Unsupported(f"COPY source outside the context: {source}")
        if not origin.exists():
            raise Unsupported(f"COPY source missing from the context: {source}")
        target = root / destination.lstrip("/")
        # Never through a symbolic link that leads out of ROOT (this runs as root on the host).
        if root.resolve() != target.resolve() and root.resolve() not in target.resolve().parents:
            raise Unsupported(f"COPY destination leaves the root: {destination}")
        if origin.is_dir():
            # As Docker: a directory's contents, not the directory itself.
            shutil.copytree(origin, target, dirs_exist_ok=True)
        elif destination.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target / origin.name)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)


def run_stage(dockerfile_path: Path, target: str, root: Path, context: Path) -> int:
    base, commands, global_args = stage_commands(dockerfile_path, target)
    print(f"stage {target} (FROM {base}) in {root}", flush=True)
    args: dict[str, str] = {}
    env: dict[str, str] = {"PATH": DEFAULT_PATH, "HOME": "/root"}
    workdir = "/"
    for command in commands:
        print(f"--> {command.original}", flush=True)
        values = {**args, **env}
        if command.cmd == "LABEL":
            continue
        if command.flags:
            raise Unsupported(f"{command.cmd} flags {command.flags}")
        if command.cmd == "ARG":
            for item in command.value:
                name, default = split_arg(item)
                value = default if default is not None else global_args.get(name)
                if value is not None:
                    args[name] = substitute(value, values)
        elif command.cmd == "ENV":
            for name, value in zip(command.value[::2], command.value[1::2]):
                env[name] = substitute(value, values)
        elif command.cmd == "WORKDIR":
            workdir = os.path.join(workdir, substitute(command.value[0], values))
            (root / workdir.lstrip("/")).mkdir(parents=True, exist_ok=True)
        elif command.cmd == "COPY":
            if command.json:
                raise Unsupported("COPY in JSON form")
            paths = [substitute(value, values) for value in command.value]
            copy_into(context, root, paths[:-1], paths[-1])
        elif command.cmd == "RUN":
            if command.json:
                raise Unsupported("RUN in JSON form")
            # As Docker: build arguments are in the environment of RUN, ENV wins.
            environment = [f"{name}={value}" for name, value in {**args, **env}.items()]
            script = f"cd {workdir} && {command.value[0]}"
            status = subprocess.run(
                ["chroot", str(root), "/usr/bin/env", "-i", *environment, "/bin/sh", "-c", script], check=False
            ).returncode
            if status != 0:
                print(f"RUN failed with status {status}", flush=True)
                return status
        else:
            raise Unsupported(f"instruction {command.cmd}")
    return 0


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    path, target, root, context = sys.argv[1:]
    try:
        return run_stage(Path(path), target.lower(), Path(root), Path(context))
    except Unsupported as error:
        print(f"cannot run this stage here: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
