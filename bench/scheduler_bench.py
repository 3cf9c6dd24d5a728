"""How the scheduler's cost grows: ``--max-count 100`` over 10,000 generated hosts.

Run it by hand (it is not a test and asserts nothing about time)::

    python bench/scheduler_bench.py            # the full run, about half a minute
    python bench/scheduler_bench.py --quick    # smaller sizes, a few seconds

Every figure is reported as a ratio against a floor measured in the same
run, on the same machine: the floor is a bare Python loop that asks a
trivial filter about every host, once per filter and per instance, and keeps
each answer — the least any filter scheduler written in Python must do. The
scheduler's cost per host check, divided by the floor's, should stay about
the same as hosts and filters grow: that is what "linear in hosts × filters"
means here.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bootwalk.catalog import load_catalog, shipped_catalog_directory
from bootwalk.engine import resolve_request, walk
from bootwalk.model import CLASSIC_FILTERS, Catalog, Host, Quotas, SchedulerConfig
from bootwalk.request import BootRequest, parse_nics

#: Four filters for the "fewer filters" runs: the classic list's first four.
FOUR_FILTERS = CLASSIC_FILTERS[:4]


def generate_hosts(count: int, seed: int = 7) -> tuple[Host, ...]:
    """A large, varied inventory: mixed sizes and usage, a few hosts disabled or down."""
    rng = random.Random(seed)
    hosts = []
    for number in range(count):
        memory = rng.choice((65536, 131072, 262144))
        vcpus = rng.choice((16, 32, 64))
        hosts.append(
            Host(
                name=f"compute{number:05d}",
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


def inventory(base: Catalog, hosts: int, filters: tuple[str, ...]) -> Catalog:
    """The shipped catalog with a generated inventory and room in the quota for every instance."""
    return replace(
        base,
        hosts=generate_hosts(hosts),
        server_groups=(),
        quotas=Quotas(instances=10_000, cores=1_000_000, ram=100_000_000),
        scheduler=SchedulerConfig(enabled_filters=filters),
    )


def timed(action: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def floor(hosts: int, filters: int, instances: int) -> float:
    """Seconds for the bare loop: every host, every filter, every instance, one kept answer each."""

    def trivial(host: int) -> tuple[bool, str]:
        return True, ""

    def loop() -> int:
        kept = []
        for _instance in range(instances):
            for _filter in range(filters):
                for host in range(hosts):
                    kept.append((host, trivial(host)))
        return len(kept)

    seconds, _ = timed(loop)
    return seconds


def boot(catalog: Catalog, count: int) -> tuple[float, int, int]:
    """Walk ``boot --max-count COUNT`` through the engine: seconds, host checks made, instances placed."""
    request = BootRequest(
        name="bench", flavor="m1.tiny", image="cirros", nics=parse_nics(("net-name=private",)), max_count=count
    )
    resolved = resolve_request(request, catalog)
    seconds, trace = timed(lambda: walk(resolved, catalog))
    schedule = trace.steps[3]  # type: ignore[attr-defined]
    checks = sum(len(placement.filter_results) for placement in schedule.placements)
    placed = sum(placement.selected_host is not None for placement in schedule.placements)
    return seconds, checks, placed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a quick look")
    options = parser.parse_args()
    base = load_catalog(shipped_catalog_directory())
    if options.quick:
        main_run, sweep, sweep_count = (2_000, 20), (500, 1_000, 2_000), 5
    else:
        main_run, sweep, sweep_count = (10_000, 100), (1_000, 2_500, 5_000, 10_000), 10

    hosts, count = main_run
    print(f"boot --max-count {count} over {hosts:,} generated hosts, {len(CLASSIC_FILTERS)} classic filters")
    seconds, checks, placed = boot(inventory(base, hosts, CLASSIC_FILTERS), count)
    bare = floor(hosts, len(CLASSIC_FILTERS), count)
    print(f"  instances placed     {placed} of {count}")
    print(f"  host checks          {checks:,}")
    print(f"  walk                 {seconds:.2f} s ({seconds / checks * 1e6:.2f} µs per check)")
    print(f"  floor, same run      {bare:.2f} s for {hosts * len(CLASSIC_FILTERS) * count:,} bare checks")
    print(f"  ratio to the floor   {seconds / bare:.1f}×")
    print()
    print(f"Growth, {sweep_count} instances each: cost per check relative to the floor's")
    print(f"  {'hosts':>7} {'filters':>7} {'checks':>11} {'seconds':>8} {'ratio':>6} {'vs first':>8}")
    growth: list[str] = []
    for filters in (FOUR_FILTERS, CLASSIC_FILTERS):
        first: float | None = None
        times: list[float] = []
        for size in sweep:
            seconds, checks, _placed = boot(inventory(base, size, filters), sweep_count)
            times.append(seconds)
            bare = floor(size, len(filters), sweep_count)
            per_check = (seconds / checks) / (bare / (size * len(filters) * sweep_count))
            first = first or per_check
            row = f"  {size:>7,} {len(filters):>7} {checks:>11,} {seconds:>8.2f}"
            print(f"{row} {per_check:>5.1f}× {per_check / first:>7.2f}×")
        growth.append(
            f"  {len(filters)} filters: {sweep[0]:,} → {sweep[-1]:,} hosts ({sweep[-1] / sweep[0]:g}×): "
            f"time × {times[-1] / times[0]:.1f}"
        )
    print()
    print("Growth of the time with the inventory:")
    print("\n".join(growth))
    print()
    print("'ratio' is the cost of one host check over the floor's. 'vs first' compares it with the smallest")
    print("inventory of the same filters: near 1.0 means the cost grows linearly with the hosts. Each set of")
    print("filters has its own ratio because some filters (RamFilter's sums) cost more than others.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
