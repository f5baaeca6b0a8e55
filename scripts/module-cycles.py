#!/usr/bin/env python3
"""Finds import cycles between the modules of each crate in the workspace.

A module is a source file (`a/b.rs` or `a/b/mod.rs` is `a::b`). Module `m` depends on module `n`
when `m` names `crate::n::...` or `super::...` resolving into `n` (in a `use` or inline). A module
depends on the modules it declares, and may use what its ancestors define (`mod.rs`
re-exports, the crate root) without that counting: those edges are how Rust modules nest. Any other cycle of dependencies is reported,
and the exit status is 1 when there is one.

Usage: scripts/module-cycles.py [crate-dir ...]   (default: core api worker operator)
"""

import re
import sys
from pathlib import Path

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
PATH = re.compile(rf"\b(crate|super)((?:::{IDENT})+)")
GROUP = re.compile(r"\buse\s+(crate|super)((?:::\w+)*)::\{([^;]*)\}\s*;", re.S)
COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


def modules(src: Path) -> dict[tuple[str, ...], Path]:
    """Every module of the crate rooted at `src`, by path."""
    found = {}
    for file in src.rglob("*.rs"):
        parts = list(file.relative_to(src).with_suffix("").parts)
        if parts[-1] == "mod" or (len(parts) == 1 and parts[0] in ("lib", "main")):
            parts = parts[:-1]
        found[tuple(parts)] = file
    return found


def resolve(path: tuple[str, ...], known) -> tuple[str, ...]:
    """The longest known module that `path` is inside."""
    while path and path not in known:
        path = path[:-1]
    return path


def references(module: tuple[str, ...], text: str):
    """The module paths `module` names, as written (crate-absolute)."""
    text = COMMENT.sub("", text)

    def absolute(anchor: str, rest: list[str]) -> list[str]:
        if anchor == "crate":
            return rest
        base = list(module)
        # `super` in `a/b.rs` is `a`; every further `super` climbs once more.
        base = base[:-1]
        while rest and rest[0] == "super":
            base, rest = base[:-1], rest[1:]
        return base + rest

    for anchor, prefix, group in GROUP.findall(text):
        head = [p for p in prefix.split("::") if p]
        for item in re.split(r",(?![^{]*\})", group):
            item = item.strip()
            if item and item != "self":
                tail = re.findall(IDENT, item.split("{")[0])
                yield tuple(absolute(anchor, head + tail))
            elif item == "self":
                yield tuple(absolute(anchor, head))
    for anchor, rest in PATH.findall(text):
        yield tuple(absolute(anchor, [p for p in rest.split("::") if p]))


def cycles(graph: dict) -> list[list]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in graph:
        if v not in index:
            visit(v)
    return found


def crate_cycles(src: Path) -> list[list]:
    known = modules(src)
    graph = {m: set() for m in known}
    for module, file in known.items():
        # A module depends on the modules it declares (and may re-export).
        if module:
            graph[resolve(module[:-1], known)].add(module)
        for path in references(module, file.read_text()):
            target = resolve(path, known)
            # Using an ancestor's (or one's own) items is nesting, not a dependency.
            if target == module[: len(target)]:
                continue
            graph[module].add(target)
    return cycles(graph)


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    crates = sys.argv[1:] or ["core", "api", "worker", "operator"]
    failed = False
    for crate in crates:
        for src in sorted({(root / crate / "src")}):
            for component in crate_cycles(src):
                failed = True
                names = ", ".join("::".join(m) or "(root)" for m in component)
                print(f"{crate}: import cycle between {names}")
    if not failed:
        print(f"no import cycles between modules ({', '.join(crates)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
