"""How fast bootwalk starts, as ratios to floors measured in the same run.

    python bench/startup_bench.py            # 21 runs of each command after 3 warm-ups
    python bench/startup_bench.py --runs 51  # steadier figures
    python bench/startup_bench.py --check    # exit 1 when a target is missed

Run it with the Python of an environment where bootwalk is installed (the
README's Quick start makes one: ``.venv/bin/python bench/startup_bench.py``).
Every command is a fresh process; the runs go round-robin through the
commands so that a slow moment of the machine touches them all alike. For
each command it reports the median wall time, the min–max, its peak memory
and the ratio of the median to its floor. It is not a test: the suite
asserts no time.

Every run of a bootwalk command is a first run: bootwalk keeps no cache of
its outputs, so each one imports what it needs and walks. The warm-ups only
fill the operating system's file cache; nothing of bootwalk outlives a run.

The peak memory is each process's own (``VmHWM``, read by bench/peak.py as
the process ends, in runs of their own): ``wait4``'s figure would count the
harness's pages that the child shared before it ran its program, which is
why ``python -c pass`` used to read as 15 MiB.

Targets (issue 14), each command at 80 columns to a pipe: ``bootwalk boot``
as a table ≤ 1.30 × the floor script, ``-f json`` ≤ 1.10 ×; ``bootwalk
--help`` ≤ 1.10 × ``python -c "import click"``; the walk's peak memory ≤
1.2 × the floor's.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private", "demo-vm"]


def bootwalk_command() -> list[str]:
    """The console script beside this Python, as a user runs it; else ``python -m bootwalk``."""
    script = Path(sys.executable).parent / ("bootwalk.exe" if os.name == "nt" else "bootwalk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bootwalk"]


@dataclass
class Case:
    """One command to time, and the floor it is compared with.

    ``argv`` is run for the time; ``in_process`` is the same command as
    bench/peak.py runs it (``code``, ``script`` or ``module`` and its words),
    for the peak memory.
    """

    label: str
    argv: list[str]
    in_process: list[str]
    floor: str | None = None
    seconds: list[float] | None = None
    peak_kib: int = 0


def peak_of(case: Case) -> int:
    """The command's own peak memory in KiB, run in bench/peak.py; 0 where /proc is missing."""
    if not os.path.exists("/proc/self/status"):  # pragma: no cover - not Linux
        return 0
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "peak")
        argv = [sys.executable, str(HERE / "peak.py"), out, *case.in_process]
        subprocess.run(argv, capture_output=True, env={**os.environ, "COLUMNS": "80"}, check=True, timeout=120)
        with open(out, encoding="ascii") as figure:
            return int(figure.read())


def run_once(argv: list[str]) -> float:
    """Wall time of one run, its output sent to a pipe and thrown away."""
    environment = {**os.environ, "COLUMNS": "80"}
    environment.pop("NO_COLOR", None)
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read()
    process.stderr.read()
    code = process.wait()
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    return elapsed


def measure(cases: list[Case], runs: int, warmups: int) -> None:
    """Warm up, then go round-robin through the cases ``runs`` times."""
    for case in cases:
        case.seconds = []
        for _ in range(warmups):
            run_once(case.argv)
    for _ in range(runs):
        for case in cases:
            assert case.seconds is not None
            case.seconds.append(run_once(case.argv))
    for case in cases:
        case.peak_kib = max(peak_of(case) for _ in range(3))


def median_ms(case: Case) -> float:
    assert case.seconds
    return statistics.median(case.seconds) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description="bootwalk's start-up, as ratios to floors measured in the same run")
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each command (default 21)")
    parser.add_argument("--warmups", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()
    python, bootwalk = sys.executable, bootwalk_command()
    floor_label, click_label = "floor script (bench/floor.py)", 'python -c "import click"'
    commands = [
        ("bootwalk --help", ["--help"], click_label),
        ("bootwalk flavor-list -f json", ["flavor-list", "-f", "json"], floor_label),
        ("bootwalk boot (demo) -f json", [*DEMO, "-f", "json"], floor_label),
        ("bootwalk boot (demo), table", DEMO, floor_label),
    ]
    cases = [
        Case("python -c pass", [python, "-c", "pass"], ["code", "pass"]),
        Case(click_label, [python, "-c", "import click"], ["code", "import click"]),
        Case(floor_label, [python, str(HERE / "floor.py")], ["script", str(HERE / "floor.py")]),
        *(
            Case(label, [*bootwalk, *arguments], ["module", "bootwalk", *arguments], floor)
            for label, arguments, floor in commands
        ),
    ]
    measure(cases, options.runs, options.warmups)
    by_label = {case.label: case for case in cases}
    machine = f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}"
    print(f"{machine}, {os.cpu_count()} CPUs; {options.runs} runs after {options.warmups} warm-ups")
    print(f"bootwalk: {' '.join(bootwalk)}")
    print()
    print(f"{'command':<43} {'median':>9} {'min-max':>15} {'peak mem':>10} {'vs floor':>9}")
    for case in cases:
        assert case.seconds
        low, high = min(case.seconds) * 1000, max(case.seconds) * 1000
        ratio = f"{median_ms(case) / median_ms(by_label[case.floor]):.2f}×" if case.floor else ""
        spread = f"{low:>6.1f}-{high:>6.1f}ms"
        print(f"{case.label:<43} {median_ms(case):>7.1f}ms {spread:>15} {case.peak_kib / 1024:>7.1f}MiB {ratio:>9}")
    floor, click_only = by_label[floor_label], by_label[click_label]
    targets = [
        ("bootwalk boot, table ≤ 1.30 × floor", "bootwalk boot (demo), table", floor, 1.30),
        ("bootwalk boot -f json ≤ 1.10 × floor", "bootwalk boot (demo) -f json", floor, 1.10),
        ("bootwalk --help ≤ 1.10 × import click", "bootwalk --help", click_only, 1.10),
    ]
    print()
    missed = 0
    for label, case_label, base, limit in targets:
        value = median_ms(by_label[case_label]) / median_ms(base)
        met = value <= limit
        missed += not met
        print(f"{'met   ' if met else 'MISSED'} {label}: {value:.2f}")
    rss = by_label["bootwalk boot (demo), table"].peak_kib / max(1, floor.peak_kib)
    missed += rss > 1.2
    verdict = "met   " if rss <= 1.2 else "MISSED"
    print(f"{verdict} walk's peak memory ≤ 1.2 × floor's: {rss:.2f}")
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
