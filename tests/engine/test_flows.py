"""What each flow declares: its scheduler defaults, allocation ratios included, apply where the cloud is silent."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from bootwalk.catalog import load_catalog
from bootwalk.engine import resolve_request
from bootwalk.engine.state import AllocationRatios
from bootwalk.flows import get_flow
from bootwalk.model import Catalog
from bootwalk.scheduler import PLACEMENT
from tests.conftest import demo_request
from tests.walking import walk


def silent_ratios(catalog: Catalog) -> Catalog:
    """The cloud with no host stating an allocation ratio."""
    return replace(catalog, hosts=tuple(replace(host, given_ratios=frozenset()) for host in catalog.hosts))


def test_each_flow_declares_its_releases_allocation_ratios() -> None:
    assert get_flow("classic").scheduler.allocation_ratios == AllocationRatios(cpu=16.0, ram=1.5, disk=1.0)
    assert get_flow("modern").scheduler.allocation_ratios == AllocationRatios(cpu=4.0, ram=1.0, disk=1.0)


def test_the_classic_flow_fills_in_icehouses_ratios(catalog: Catalog) -> None:
    cloud = silent_ratios(catalog)
    scheduling = walk(resolve_request(demo_request(), cloud), cloud).steps[3].scheduling
    assert scheduling is not None
    ram = next(v for v in scheduling.filter_results if v.host == "compute1" and v.filter == "RamFilter")
    assert ram.reason == "needs 512 MB RAM, 20480 MB usable (16384 × 1.5 − 4096)"


def test_the_modern_flow_fills_in_todays_ratios(catalog: Catalog) -> None:
    cloud = silent_ratios(catalog)
    flavor = replace(next(f for f in cloud.flavors if f.name == "m1.tiny"), ram=6000)
    cloud = replace(cloud, flavors=(flavor, *(f for f in cloud.flavors if f.name != "m1.tiny")))
    scheduling = walk(resolve_request(demo_request(), cloud), cloud, "modern").steps[3].scheduling
    assert scheduling is not None
    compute2 = next(v for v in scheduling.filter_results if v.host == "compute2" and v.filter == PLACEMENT)
    # 16384 MB × 1.0 − 12288 used leaves 4096: today's ratio 1.0, not Icehouse's 1.5 (which leaves 12288).
    assert compute2.reason == "not a candidate: MEMORY_MB 6000 MB asked, 4096 left"


def test_a_ratio_the_catalog_states_is_kept(catalog: Catalog) -> None:
    stated = replace(catalog.hosts[0], given_ratios=frozenset({"ram"}), ram_allocation_ratio=2.0)
    cloud = silent_ratios(catalog)
    cloud = replace(cloud, hosts=(stated, *cloud.hosts[1:]))
    filled = get_flow("modern").scheduler.host(stated)
    assert (filled.cpu_allocation_ratio, filled.ram_allocation_ratio, filled.disk_allocation_ratio) == (4.0, 2.0, 1.0)


def test_the_catalog_records_which_ratios_it_states(tmp_path: Path, catalog: Catalog) -> None:
    from bootwalk.catalog import shipped_catalog_directory

    for name in ("flavors.yaml", "images.yaml", "cloud.yaml"):
        text = (shipped_catalog_directory() / name).read_text(encoding="utf-8")
        if name == "cloud.yaml":
            text = re.sub(
                r"cpu_allocation_ratio: \S+, ram_allocation_ratio: \S+, disk_allocation_ratio: [\d.]+,?", "", text
            )
        (tmp_path / name).write_text(text, encoding="utf-8")
    own = load_catalog(tmp_path)
    assert {host.given_ratios for host in own.hosts} == {frozenset()}
    assert {host.given_ratios for host in catalog.hosts} == {frozenset({"cpu", "ram", "disk"})}
