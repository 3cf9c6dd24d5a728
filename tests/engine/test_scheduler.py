"""The classic filters and RAMWeigher, one by one, and the selection invariant."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bootwalk.model import Flavor, Host, HostInstance, Image, SchedulerConfig, ServerGroup
from bootwalk.scheduler import (
    CLASSIC_FILTERS,
    FILTERS,
    WEIGHERS,
    RequestSpec,
    consume,
    place_instances,
    release,
    schedule,
)

TINY = Flavor(name="m1.tiny", id="1", vcpus=1, ram=512, disk=1)
CIRROS = Image("cirros", "i1", "active", "qcow2", "bare", 21692416, 0, 0)
HOST = Host(name="h1", availability_zone="nova", vcpus=8, memory_mb=4096, disk_gb=100)


def check(filter_name: str, host: Host = HOST, **spec: object) -> tuple[bool, str]:
    fields: dict[str, object] = {"flavor": TINY, "image": CIRROS}
    fields.update(spec)
    return FILTERS[filter_name].check(host, RequestSpec(**fields))  # type: ignore[arg-type]


def test_classic_filter_list_is_icehouses_default() -> None:
    assert CLASSIC_FILTERS == (
        "RetryFilter", "AvailabilityZoneFilter", "RamFilter", "ComputeFilter", "ComputeCapabilitiesFilter",
        "ImagePropertiesFilter", "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter",
    )  # fmt: skip


def test_retry_filter() -> None:
    assert check("RetryFilter") == (True, "first attempt, no host tried yet")
    assert check("RetryFilter", tried_hosts=("h1",)) == (False, "already tried for this boot")
    assert check("RetryFilter", tried_hosts=("h2",)) == (True, "not among the hosts tried (h2)")


def test_availability_zone_filter() -> None:
    assert check("AvailabilityZoneFilter") == (True, "no availability zone requested")
    assert check("AvailabilityZoneFilter", availability_zone="nova") == (True, "in zone nova")
    assert check("AvailabilityZoneFilter", availability_zone="az2") == (False, "in zone nova, not az2")


def test_ram_filter_uses_the_allocation_ratio() -> None:
    host = replace(HOST, memory_mb=2048, memory_mb_used=2560, ram_allocation_ratio=1.5)
    assert check("RamFilter", host=host) == (True, "needs 512 MB RAM, 512 MB usable (2048 × 1.5 − 2560)")
    assert check("RamFilter", host=replace(host, memory_mb_used=2600)) == (
        False,
        "needs 512 MB RAM, 472 MB usable (2048 × 1.5 − 2600)",
    )


def test_core_filter_uses_the_cpu_allocation_ratio() -> None:
    host = replace(HOST, vcpus=2, vcpus_used=31, cpu_allocation_ratio=16.0)
    assert check("CoreFilter", host=host) == (True, "needs 1 vCPU, 1 usable (2 × 16 − 31)")
    assert check("CoreFilter", host=replace(host, vcpus_used=32)) == (False, "needs 1 vCPU, 0 usable (2 × 16 − 32)")
    assert check("CoreFilter", host=host, flavor=replace(TINY, vcpus=4)) == (
        False,
        "needs 4 vCPUs, 1 usable (2 × 16 − 31)",
    )


def test_disk_filter_counts_root_ephemeral_and_swap() -> None:
    flavor = replace(TINY, disk=20, ephemeral=5, swap=512)  # 25 GB + 512 MB = 26112 MB
    host = replace(HOST, disk_gb=40, disk_gb_used=14, disk_allocation_ratio=1.0)
    assert check("DiskFilter", host=host, flavor=flavor) == (
        True,
        "needs 26112 MB disk, 26624 MB usable ((40 × 1 − 14) GB)",
    )
    assert check("DiskFilter", host=replace(host, disk_gb_used=15), flavor=flavor) == (
        False,
        "needs 26112 MB disk, 25600 MB usable ((40 × 1 − 15) GB)",
    )


def test_compute_filter() -> None:
    assert check("ComputeFilter") == (True, "enabled and up")
    disabled = replace(HOST, status="disabled", disabled_reason="maintenance")
    assert check("ComputeFilter", host=disabled) == (False, "disabled, reason: maintenance")
    assert check("ComputeFilter", host=replace(HOST, state="down")) == (False, "has not been heard from in a while")


def test_compute_capabilities_filter() -> None:
    assert check("ComputeCapabilitiesFilter") == (True, "the flavor asks for no capabilities")
    scoped = replace(TINY, extra_specs={"hw_rng:allowed": "True"})
    assert check("ComputeCapabilitiesFilter", flavor=scoped) == (True, "the flavor asks for no capabilities")
    wants_xen = replace(TINY, extra_specs={"capabilities:hypervisor_type": "XEN"})
    assert check("ComputeCapabilitiesFilter", flavor=wants_xen) == (False, "needs hypervisor_type=XEN, host has QEMU")
    wants_qemu = replace(TINY, extra_specs={"hypervisor_type": "QEMU"})
    assert check("ComputeCapabilitiesFilter", flavor=wants_qemu) == (
        True,
        "every capability the flavor asks for matches",
    )


def test_image_properties_filter() -> None:
    assert check("ImagePropertiesFilter") == (True, "the image asks for no hypervisor or architecture")
    xen = replace(CIRROS, properties={"img_hv_type": "xen"})
    assert check("ImagePropertiesFilter", image=xen) == (False, "image needs hypervisor xen, host runs QEMU")
    arm = replace(CIRROS, properties={"hw_architecture": "aarch64"})
    assert check("ImagePropertiesFilter", image=arm) == (False, "image needs aarch64, host is x86_64")
    qemu = replace(CIRROS, properties={"img_hv_type": "qemu"})
    assert check("ImagePropertiesFilter", image=qemu) == (True, "the host supports what the image asks for")


@pytest.mark.parametrize("name", ["ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter"])
def test_server_group_filters_pass_without_a_group(name: str) -> None:
    assert check(name) == (True, "no server group in the request")


ANTI = ServerGroup("g1", "web-ha", "anti-affinity", ("i1",))
NEAR = ServerGroup("g2", "db-near", "affinity", ("i2",))


def test_anti_affinity_filter_rejects_hosts_holding_a_member() -> None:
    name = "ServerGroupAntiAffinityFilter"
    assert check(name, group=ANTI, group_hosts=frozenset({"h1"})) == (
        False,
        "already holds a member of group web-ha (anti-affinity)",
    )
    assert check(name, group=ANTI, group_hosts=frozenset({"h2"})) == (
        True,
        "holds no member of group web-ha (anti-affinity)",
    )
    assert check(name, group=NEAR, group_hosts=frozenset({"h1"})) == (
        True,
        "group db-near (affinity) asks for no anti-affinity",
    )


def test_affinity_filter_keeps_only_hosts_holding_members() -> None:
    name = "ServerGroupAffinityFilter"
    assert check(name, group=NEAR, group_hosts=frozenset({"h1"})) == (True, "holds members of group db-near (affinity)")
    assert check(name, group=NEAR, group_hosts=frozenset({"h2", "h3"})) == (
        False,
        "members of group db-near (affinity) are on h2, h3",
    )
    assert check(name, group=NEAR) == (True, "group db-near (affinity) has no member yet, so any host will do")


WITH_WEB = replace(HOST, instances=(HostInstance("u-web", "web-1"),))


def test_same_host_filter() -> None:
    assert check("SameHostFilter") == (True, "no same_host hint")
    assert check("SameHostFilter", host=WITH_WEB, hints={"same_host": "u-web"}) == (True, "holds web-1")
    assert check("SameHostFilter", host=WITH_WEB, hints={"same_host": ["u-x", "u-web"]}) == (True, "holds web-1")
    # nova matches the hint against instance UUIDs: a server's name matches nothing.
    assert check("SameHostFilter", host=WITH_WEB, hints={"same_host": "web-1"}) == (False, "holds none of web-1")
    assert check("SameHostFilter", host=HOST, hints={"same_host": "u-web"}) == (False, "holds none of u-web")


def test_different_host_filter() -> None:
    assert check("DifferentHostFilter") == (True, "no different_host hint")
    assert check("DifferentHostFilter", host=WITH_WEB, hints={"different_host": "u-web"}) == (False, "holds web-1")
    assert check("DifferentHostFilter", host=HOST, hints={"different_host": "u-web"}) == (
        True,
        "holds none of u-web",
    )
    assert check("DifferentHostFilter", host=WITH_WEB, hints={"different_host": "web-1"}) == (
        True,
        "holds none of web-1",
    )


def test_every_filter_has_a_test_above() -> None:
    tested = {
        "RetryFilter", "AvailabilityZoneFilter", "RamFilter", "CoreFilter", "DiskFilter", "ComputeFilter",
        "ComputeCapabilitiesFilter", "ImagePropertiesFilter", "ServerGroupAntiAffinityFilter",
        "ServerGroupAffinityFilter", "SameHostFilter", "DifferentHostFilter",
    }  # fmt: skip
    assert set(FILTERS) == tested


def test_ram_weigher_prefers_the_most_free_ram() -> None:
    hosts = (
        replace(HOST, name="a", memory_mb_used=3000),
        replace(HOST, name="b", memory_mb_used=0),
        replace(HOST, name="c", memory_mb_used=1000),
    )
    result = schedule(hosts, RequestSpec(TINY, CIRROS))
    assert [(w.host, w.weight) for w in result.weights] == [("b", 1.0), ("c", 0.6667), ("a", 0.0)]
    assert result.selected_host == "b"
    assert result.alternates == ("c", "a")
    assert [part.describe() for part in result.weights[1].parts] == ["RAMWeigher 1.0 × 0.6667 (3096 MB RAM free)"]


def test_a_negative_multiplier_stacks_instead_of_spreading() -> None:
    hosts = (replace(HOST, name="a", memory_mb_used=3000), replace(HOST, name="b", memory_mb_used=0))
    config = SchedulerConfig(weighers=(("RAMWeigher", -1.0),))
    assert schedule(hosts, RequestSpec(TINY, CIRROS), config).selected_host == "a"


def test_weighers_add_up_normalised_and_multiplied() -> None:
    hosts = (
        replace(HOST, name="ram-rich", memory_mb_used=0, vcpus_used=100, disk_gb_used=90),
        replace(HOST, name="cpu-rich", memory_mb_used=2048, vcpus_used=0, disk_gb_used=0),
    )
    spread_ram = SchedulerConfig(weighers=(("RAMWeigher", 1.0), ("CPUWeigher", 1.0), ("DiskWeigher", 0.5)))
    result = schedule(hosts, RequestSpec(TINY, CIRROS), spread_ram)
    assert [(w.host, w.weight) for w in result.weights] == [("cpu-rich", 1.5), ("ram-rich", 1.0)]
    cpu_part = next(p for p in result.weights[0].parts if p.weigher == "CPUWeigher")
    assert (cpu_part.raw, cpu_part.normalised, cpu_part.multiplier) == (128.0, 1.0, 1.0)
    assert set(WEIGHERS) == {"RAMWeigher", "CPUWeigher", "DiskWeigher"}


def test_a_single_host_is_not_weighed() -> None:
    result = schedule((HOST,), RequestSpec(TINY, CIRROS))
    assert [(w.host, w.weight, w.parts) for w in result.weights] == [("h1", 0.0, ())]


def test_max_attempts_bounds_the_alternates() -> None:
    hosts = tuple(replace(HOST, name=f"h{n}", memory_mb_used=n * 100) for n in range(5))
    result = schedule(hosts, RequestSpec(TINY, CIRROS), SchedulerConfig(max_attempts=3))
    assert (result.selected_host, result.alternates) == ("h0", ("h1", "h2"))
    assert schedule(hosts, RequestSpec(TINY, CIRROS), SchedulerConfig(max_attempts=1)).alternates == ()


def test_each_instance_consumes_capacity_before_the_next_is_placed() -> None:
    # a: 4096 MB × 1.5 = 6144 usable; b: 3072 usable. Each m1.small-ish instance takes 2048 MB.
    hosts = (replace(HOST, name="a"), replace(HOST, name="b", memory_mb=2048))
    flavor = replace(TINY, ram=2048)
    instances = tuple(HostInstance(f"u{n}", f"vm-{n}") for n in range(1, 5))
    placements, after = place_instances(hosts, RequestSpec(flavor, CIRROS), SchedulerConfig(), instances)
    assert [p.selected_host for p in placements] == ["a", "a", "b", "a"]
    assert [p.instance_name for p in placements] == ["vm-1", "vm-2", "vm-3", "vm-4"]
    assert [(h.name, h.memory_mb_used, h.vcpus_used, h.disk_gb_used) for h in after] == [
        ("a", 6144, 3, 3),
        ("b", 2048, 1, 1),
    ]
    assert [i.name for i in after[0].instances] == ["vm-1", "vm-2", "vm-4"]


def test_placing_stops_at_the_first_instance_no_host_can_take() -> None:
    hosts = (replace(HOST, name="a", memory_mb=2048),)  # 3072 MB usable: one 2048 MB instance
    instances = tuple(HostInstance(f"u{n}", f"vm-{n}") for n in range(1, 4))
    placements, _after = place_instances(
        hosts, RequestSpec(replace(TINY, ram=2048), CIRROS), SchedulerConfig(), instances
    )
    assert [p.selected_host for p in placements] == ["a", None]
    assert placements[1].removed_by("a") == placements[1].filter_results[2]
    assert placements[1].filter_counts() == [
        ("RetryFilter", 1, 1),
        ("AvailabilityZoneFilter", 1, 1),
        ("RamFilter", 1, 0),
    ]


def test_anti_affinity_spreads_the_instances_of_one_request() -> None:
    hosts = (replace(HOST, name="a"), replace(HOST, name="b"), replace(HOST, name="c"))
    group = ServerGroup("g", "spread", "anti-affinity")
    instances = tuple(HostInstance(f"u{n}", f"vm-{n}") for n in range(1, 5))
    placements, _after = place_instances(hosts, RequestSpec(TINY, CIRROS, group=group), SchedulerConfig(), instances)
    assert [p.selected_host for p in placements] == ["a", "b", "c", None]


def test_release_gives_back_what_consume_took() -> None:
    taken = consume(HOST, TINY, HostInstance("u1", "vm"))
    assert taken.memory_mb_used == HOST.memory_mb_used + 512
    assert release(taken, TINY, "u1") == HOST


def test_a_rejected_host_is_not_shown_to_later_filters() -> None:
    hosts = (replace(HOST, name="a", status="disabled"), replace(HOST, name="b"))
    result = schedule(hosts, RequestSpec(TINY, CIRROS))
    after_compute = [v.host for v in result.filter_results if v.filter == "ComputeCapabilitiesFilter"]
    assert after_compute == ["b"]


def test_no_host_left_selects_none() -> None:
    result = schedule((replace(HOST, state="down"),), RequestSpec(TINY, CIRROS))
    assert (result.selected_host, result.weights) == (None, ())


hosts_strategy = st.lists(
    st.builds(
        Host,
        name=st.uuids().map(str),
        availability_zone=st.sampled_from(["nova", "az2"]),
        vcpus=st.integers(1, 64),
        memory_mb=st.integers(256, 65536),
        disk_gb=st.integers(1, 1000),
        vcpus_used=st.integers(0, 512),
        memory_mb_used=st.integers(0, 65536),
        disk_gb_used=st.integers(0, 1000),
        status=st.sampled_from(["enabled", "disabled"]),
        state=st.sampled_from(["up", "down"]),
    ),
    max_size=12,
    unique_by=lambda host: host.name,
)
filters_strategy = st.lists(st.sampled_from(sorted(FILTERS)), unique=True, max_size=len(FILTERS))
weighers_strategy = st.lists(
    st.tuples(st.sampled_from(sorted(WEIGHERS)), st.sampled_from([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0])),
    unique_by=lambda pair: pair[0],
    max_size=3,
)


@given(
    hosts_strategy,
    st.integers(64, 16384),
    st.integers(1, 16),
    st.sampled_from([None, "nova", "az2"]),
    filters_strategy,
    weighers_strategy,
    st.integers(1, 6),
)
def test_selected_hosts_passed_every_enabled_filter_and_no_rejected_host_wins(
    hosts: list[Host],
    ram: int,
    vcpus: int,
    zone: str | None,
    filters: list[str],
    weighers: list[tuple[str, float]],
    count: int,
) -> None:
    config = SchedulerConfig(enabled_filters=tuple(filters), weighers=tuple(weighers))
    spec = RequestSpec(replace(TINY, ram=ram, vcpus=vcpus), CIRROS, availability_zone=zone)
    instances = tuple(HostInstance(f"u{n}", f"vm-{n}") for n in range(count))
    placements, _after = place_instances(tuple(hosts), spec, config, instances)
    for result in placements:
        rejected = {v.host for v in result.filter_results if not v.passed}
        if result.selected_host is None:
            assert not result.weights
            continue
        assert result.selected_host not in rejected
        verdicts = [v for v in result.filter_results if v.host == result.selected_host]
        assert [v.filter for v in verdicts] == filters
        assert all(v.passed for v in verdicts)
        assert result.weights[0].host == result.selected_host
        assert result.weights[0].weight == max(w.weight for w in result.weights)
        assert not rejected & {w.host for w in result.weights}
    assert all(p.selected_host is not None for p in placements[:-1])
