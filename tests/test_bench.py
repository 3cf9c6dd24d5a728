"""The benchmarks still run against today's code: their children report what they measured.

These tests time nothing (speed lives in ``bench/``); they only keep the
benchmarks from rotting as the engine's interfaces change.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120


def child(*arguments: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scheduler_bench.py"), "--child", *arguments],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def test_the_scheduler_bench_walks_and_counts_every_host_check() -> None:
    walked = child("walk", "40", "3", "8")
    assert walked["placed"] == 3
    assert 0 < walked["checks"] <= 40 * 8 * 3
    assert walked["peak_mib"] > 0
    loop = child("loop", "40", "3", "8")
    assert loop["checks"] == 40 * 8 * 3
    assert child("inventory", "40", "3", "8")["checks"] == 0


def test_the_startup_bench_runs_every_command_once() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "startup_bench.py"), "--runs", "1", "--warmups", "0"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "bootwalk boot (demo), table" in done.stdout
    assert "peak" in done.stdout
