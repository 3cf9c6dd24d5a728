"""How the scheduler's cost grows with the hosts: time, memory and growth, each against a floor of the same run.

Run it by hand (it is not a test and asserts nothing about time)::

    python bench/scheduler_bench.py            # the full run, about a minute
    python bench/scheduler_bench.py --quick    # smaller sizes, a few seconds
    python bench/scheduler_bench.py --check    # exit 1 when a target is missed

Every measurement is a first run in a fresh process (this script started
again with ``--child``): nothing is kept between runs. Each child generates
its inventory, then walks ``boot --max-count N`` through the engine, and
reports its own figures: the walk's seconds, the host checks it made, and
its peak memory read from ``/proc/self/status`` (``VmHWM``: the process's own
high-water mark, which a parent's memory does not inflate).

The floors, measured in the same run:

- time: a bare Python loop that asks a trivial filter about every host,
  once per filter and per instance, and keeps each answer (the least any
  filter scheduler written in Python must do), in its own fresh process;
- memory: a child that generates the same inventory and loads the catalog
  but walks nothing.

Targets (issue 14): 100 instances over 10,000 hosts in at most 6 s here; 10
instances over 100,000 hosts in at most 400 MiB; ten times the hosts costs at
most eleven times the time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def generate_hosts(count: int, seed: int = 7) -> tuple[object, ...]:
    """A large, varied inventory: mixed sizes and usage, a few hosts disabled or down."""
    from bootwalk.model import Host

    rng = random.Random(seed)
    hosts = []
    for number in range(count):
        memory = rng.choice((65536, 131072, 262144))
        vcpus = rng.choice((16, 32, 64))
        hosts.append(
            Host(
                name=f"compute{number:06d}",
                availability_zone=rng.choice(("nova", "nova", "nova", "az2")),
                vcpus=vcpus,
                memory_mb=memory,
                disk_gb=rng.choice((1000, 2000, 4000)),
                vcpus_used=rng.randrange(0, vcpus * 8),
                memory_mb_used=rng.randrange(0, memory, 512),
                disk_gb_used=rng.randrange(0, 800),
                status="disabled" if rng.random() < 0.02 else "enabled",
                disabled_reason="maintenance",
                state="down" if rng.random() < 0.01 else "up",
            )
        )
    return tuple(hosts)


def peak_mib() -> float:
    """This process's own peak resident memory (``VmHWM``), in MiB; 0 where /proc is missing."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:  # pragma: no cover - not Linux
        return 0.0
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def child(kind: str, hosts: int, instances: int, filters: int) -> dict[str, float]:
    """One measurement, in this fresh process."""
    if kind == "loop":
        start = time.perf_counter()
        kept = []
        for _instance in range(instances):
            for _filter in range(filters):
                for host in range(hosts):
                    kept.append((host, True))
        return {"seconds": time.perf_counter() - start, "checks": len(kept), "peak_mib": peak_mib()}

    from bootwalk.catalog import load_catalog, shipped_catalog_directory
    from bootwalk.dialects.nics import parse_nics
    from bootwalk.engine import resolve_request, walk
    from bootwalk.flows import get_flow
    from bootwalk.model import CLASSIC_FILTERS, Quotas, SchedulerConfig
    from bootwalk.request import BootRequest

    base = load_catalog(shipped_catalog_directory())
    catalog = replace(
        base,
        hosts=generate_hosts(hosts),
        server_groups=(),
        quotas=Quotas(instances=10_000, cores=1_000_000, ram=100_000_000),
        scheduler=SchedulerConfig(enabled_filters=CLASSIC_FILTERS[:filters]),
    )
    if kind == "inventory":
        return {"seconds": 0.0, "checks": 0, "peak_mib": peak_mib()}
    request = BootRequest(
        name="bench", flavor="m1.tiny", image="cirros", nics=parse_nics(("net-name=private",)), max_count=instances
    )
    resolved = resolve_request(request, catalog)
    start = time.perf_counter()
    trace = walk(resolved, catalog, get_flow("classic"))
    seconds = time.perf_counter() - start
    placements = trace.steps[3].placements  # type: ignore[attr-defined]
    return {
        "seconds": seconds,
        "checks": sum(len(placement.filter_results) for placement in placements),
        "placed": sum(placement.selected_host is not None for placement in placements),
        "peak_mib": peak_mib(),
    }


def run(kind: str, hosts: int, instances: int, filters: int = 8) -> dict[str, float]:
    """Start this script again as a child for one measurement, and read what it reports."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(hosts), str(instances), str(filters)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=600)
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


#: Fresh processes per size for the growth figures: one run of a hundred thousand hosts varies by a tenth.
GROWTH_RUNS = 5


def median_run(kind: str, hosts: int, instances: int) -> dict[str, float]:
    """The run with the median seconds of ``GROWTH_RUNS`` fresh processes (each a first run)."""
    runs = sorted((run(kind, hosts, instances) for _ in range(GROWTH_RUNS)), key=lambda figures: figures["seconds"])
    return runs[len(runs) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a quick look")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--child", nargs=4, metavar=("KIND", "HOSTS", "INSTANCES", "FILTERS"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        kind, hosts, instances, filters = options.child
        print(json.dumps(child(kind, int(hosts), int(instances), int(filters))))
        return 0

    scale = 10 if options.quick else 1
    machine = f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}"
    print(f"{machine}, {os.cpu_count()} CPUs; every figure a first run in a fresh process")
    print()
    missed = 0

    hosts, count = 10_000 // scale, 100
    walked, loop = run("walk", hosts, count), run("loop", hosts, count)
    limit = 6.0 / scale
    print(f"Time: boot --max-count {count} over {hosts:,} hosts, the 8 classic filters")
    print(
        f"  walk      {walked['seconds']:.2f} s, {int(walked['checks']):,} host checks, {int(walked['placed'])} placed"
    )
    print(f"  floor     {loop['seconds']:.2f} s for {int(loop['checks']):,} bare checks")
    print(f"  ratio     {walked['seconds'] / loop['seconds']:.1f}× the floor")
    met = walked["seconds"] <= limit
    missed += not met
    print(f"  {'met   ' if met else 'MISSED'} at most {limit:g} s")
    print()

    hosts, count = 100_000 // scale, 10
    walked, inventory = run("walk", hosts, count), run("inventory", hosts, count)
    limit = 400.0 / scale
    print(f"Memory: boot --max-count {count} over {hosts:,} hosts (peak resident, the process's own)")
    print(f"  walk      {walked['peak_mib']:.0f} MiB")
    print(f"  floor     {inventory['peak_mib']:.0f} MiB with the inventory made and nothing walked")
    print(f"  ratio     {walked['peak_mib'] / inventory['peak_mib']:.2f}× the floor")
    met = walked["peak_mib"] <= limit
    missed += not met
    print(f"  {'met   ' if met else 'MISSED'} at most {limit:g} MiB")
    print()

    sizes = [1_000 // scale, 10_000 // scale, 100_000 // scale]
    print(f"Growth: boot --max-count 10, the median of {GROWTH_RUNS} fresh processes a size;")
    print("seconds per host check against the floor's, and how the floor itself grew")
    print(f"  {'hosts':>8} {'checks':>11} {'seconds':>8} {'× floor':>8} {'time ×':>7} {'floor ×':>8}")
    previous: float | None = None
    previous_loop: float | None = None
    for size in sizes:
        walked, loop = median_run("walk", size, 10), median_run("loop", size, 10)
        per_check = (walked["seconds"] / walked["checks"]) / (loop["seconds"] / loop["checks"])
        grown = f"{walked['seconds'] / previous:.1f}" if previous else ""
        floor_grown = f"{loop['seconds'] / previous_loop:.1f}" if previous_loop else ""
        print(
            f"  {size:>8,} {int(walked['checks']):>11,} {walked['seconds']:>8.3f} {per_check:>7.1f}× {grown:>7}"
            f" {floor_grown:>8}"
        )
        previous_loop = loop["seconds"]
        if previous is not None and size >= 10_000:
            met = walked["seconds"] / previous <= 11.0
            missed += not met
            print(f"  {'met   ' if met else 'MISSED'} ten times the hosts at most eleven times the time")
        previous = walked["seconds"]
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
