"""dockerfile_stage.py's own semantics, on made-up Dockerfiles (no chroot: no RUN here): build
arguments and their global defaults, ENV, WORKDIR, COPY of files and of a directory's contents,
and the refusals. compose/tests/pg-client-stage.sh runs the real stage."""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dockerfile_stage import Unsupported, run_stage  # noqa: E402
from testlib import check, expect, summary  # noqa: E402

DOCKERFILE = """\
ARG SUITE=bookworm
ARG DEST=/opt/app
FROM debian:${SUITE}-slim AS other
COPY --from=elsewhere /x /x

FROM debian:${SUITE}-slim AS target
ARG DEST
ENV CONFIG=${DEST}/etc
LABEL org.example="ignored"
WORKDIR ${DEST}
COPY files/one.txt files/two.txt ${DEST}/
COPY tree $CONFIG
COPY files/one.txt /renamed.txt
"""


WORK = Path(tempfile.mkdtemp(prefix="resee-dockerfile-stage-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)


def prepared(dockerfile: str) -> tuple[Path, Path, Path]:
    work = Path(tempfile.mkdtemp(dir=WORK))
    context, root = work / "context", work / "root"
    (context / "files").mkdir(parents=True)
    (context / "tree" / "sub").mkdir(parents=True)
    (context / "files" / "one.txt").write_text("one")
    (context / "files" / "two.txt").write_text("two")
    (context / "tree" / "sub" / "deep.conf").write_text("deep")
    root.mkdir()
    (work / "Dockerfile").write_text(dockerfile)
    return work / "Dockerfile", root, context


@check("ARG defaults, ENV, WORKDIR and COPY land where Docker puts them")
def _():
    dockerfile, root, context = prepared(DOCKERFILE)
    expect(run_stage(dockerfile, "target", root, context) == 0, "the stage failed")
    expect((root / "opt/app/one.txt").read_text() == "one", "file into a directory")
    expect((root / "opt/app/two.txt").read_text() == "two", "second file into a directory")
    expect((root / "opt/app/etc/sub/deep.conf").read_text() == "deep", "a directory's contents, under ENV's path")
    expect(not (root / "opt/app/etc/tree").exists(), "the directory itself was copied")
    expect((root / "renamed.txt").read_text() == "one", "file to a file name")


@check("refused: flags (COPY --from), patterns, sources outside the context, unknown instructions")
def _():
    for text, target, message in (
        (DOCKERFILE, "other", "COPY flags"),
        ("FROM debian:12 AS t\nCOPY files/*.txt /x/\n", "t", "pattern"),
        ("FROM debian:12 AS t\nCOPY ../outside /x\n", "t", "outside the context"),
        ("FROM debian:12 AS t\nCOPY files/missing /x\n", "t", "missing from the context"),
        ("FROM debian:12 AS t\nUSER nobody\n", "t", "instruction USER"),
        ("FROM debian:12 AS t\n", "absent", "no stage absent"),
        ("FROM debian:12 AS a\nFROM a AS t\n", "t", "builds on the stage a"),
        ("FROM ubuntu:24.04 AS t\n", "t", "not a Debian image"),
        ("FROM debian:12 AS t\nENV X=${Y:-y}\n", "t", "modifier"),
    ):
        dockerfile, root, context = prepared(text)
        try:
            run_stage(dockerfile, target, root, context)
        except Unsupported as error:
            expect(message in str(error), f"{target}: refused for another reason: {error}")
        else:
            expect(False, f"{message}: not refused")


@check("refused: a COPY through a symbolic link in ROOT that leads out of it")
def _():
    dockerfile, root, context = prepared("FROM debian:12 AS t\nCOPY files/one.txt /escape/\n")
    outside = root.parent / "outside"
    outside.mkdir()
    (root / "escape").symlink_to(outside)
    try:
        run_stage(dockerfile, "t", root, context)
    except Unsupported as error:
        expect("leaves the root" in str(error), f"refused for another reason: {error}")
    else:
        expect(False, "copied through the link")
    expect(not (outside / "one.txt").exists(), "a file was written outside ROOT")


if __name__ == "__main__":
    sys.exit(summary("dockerfile_stage"))
