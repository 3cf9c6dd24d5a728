"""The classic filters and RAMWeigher, one by one, and the selection invariant."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bootwalk.model import Flavor, Host, Image
from bootwalk.scheduler import CLASSIC_FILTERS, FILTERS, RequestSpec, schedule

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
    assert check("RamFilter", host=host) == (True, "needs 512 MB RAM, 512 MB usable")
    assert check("RamFilter", host=replace(host, memory_mb_used=2600)) == (False, "needs 512 MB RAM, 472 MB usable")


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


def test_ram_weigher_prefers_the_most_free_ram() -> None:
    hosts = (
        replace(HOST, name="a", memory_mb_used=3000),
        replace(HOST, name="b", memory_mb_used=0),
        replace(HOST, name="c", memory_mb_used=1000),
    )
    result = schedule(hosts, RequestSpec(TINY, CIRROS))
    assert [(w.host, w.weight) for w in result.weights] == [("b", 1.0), ("c", 0.6667), ("a", 0.0)]
    assert result.selected_host == "b"


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
        memory_mb_used=st.integers(0, 65536),
        status=st.sampled_from(["enabled", "disabled"]),
        state=st.sampled_from(["up", "down"]),
    ),
    max_size=12,
    unique_by=lambda host: host.name,
)


@given(hosts_strategy, st.integers(64, 16384), st.sampled_from([None, "nova", "az2"]))
def test_selected_host_passed_every_filter_and_no_rejected_host_wins(
    hosts: list[Host], ram: int, zone: str | None
) -> None:
    result = schedule(tuple(hosts), RequestSpec(replace(TINY, ram=ram), CIRROS, availability_zone=zone))
    rejected = {v.host for v in result.filter_results if not v.passed}
    if result.selected_host is None:
        assert rejected == {host.name for host in hosts}
        return
    assert result.selected_host not in rejected
    verdicts = [v for v in result.filter_results if v.host == result.selected_host]
    assert [v.filter for v in verdicts] == list(CLASSIC_FILTERS)
    assert all(v.passed for v in verdicts)
    assert max(w.weight for w in result.weights) == result.weights[0].weight
