"""Run one command in this very process, then write the process's own peak memory to a file.

    python bench/peak.py OUT code "import click"
    python bench/peak.py OUT script bench/floor.py
    python bench/peak.py OUT module bootwalk boot ...

The peak is ``VmHWM`` from ``/proc/self/status``: the high-water mark of this
process's own memory since it started, which the parent that started it
does not inflate (``wait4``'s ``ru_maxrss`` counts the parent's pages that
a child shared before it ran its program). bench/startup_bench.py uses it.
"""

from __future__ import annotations

import atexit
import runpy
import sys


def _report(path: str) -> None:
    with open("/proc/self/status", encoding="ascii") as status:
        kib = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(path, "w", encoding="ascii") as out:
        out.write(kib)


def main() -> None:
    path, kind, *rest = sys.argv[1:]
    atexit.register(_report, path)
    if kind == "code":
        exec(compile(rest[0], "<code>", "exec"), {"__name__": "__main__"})
    elif kind == "script":
        sys.argv = rest
        runpy.run_path(rest[0], run_name="__main__")
    else:
        sys.argv = rest
        runpy.run_module(rest[0], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
