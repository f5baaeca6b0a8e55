"""A tiny check runner shared by the Python tests of compose/tests (no pytest needed).

    @check("what it proves")
    def _():
        expect(condition, "message")

Each check runs at once, prints one line, and a failure does not stop the others;
summary(label) prints "label: N passed, N failed" and returns the exit status.
"""

from __future__ import annotations

import os
import traceback

RESULTS: list[tuple[str, str | None]] = []


def check(name: str):
    def wrap(fn):
        try:
            fn()
            RESULTS.append((name, None))
            print(f"ok      {name}", flush=True)
        except Exception as error:  # noqa: BLE001 - every failure is reported, the run goes on
            detail = str(error) if isinstance(error, AssertionError) else f"{type(error).__name__}: {error}"
            RESULTS.append((name, detail))
            print(f"FAILED  {name}\n        {detail}", flush=True)
            if os.environ.get("COMPOSE_TEST_TRACEBACK"):
                traceback.print_exc()
        return fn

    return wrap


def expect(condition: object, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def failed() -> list[str]:
    return [name for name, error in RESULTS if error]


def summary(label: str) -> int:
    bad = failed()
    print(f"\n{label}: {len(RESULTS) - len(bad)} passed, {len(bad)} failed", flush=True)
    return 1 if bad else 0
