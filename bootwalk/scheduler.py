"""The classic filter scheduler: filters, then weighers, over the catalog's hosts.

Each filter answers for one host with a verdict and a reason in numbers,
following the logic of nova's filters of the Icehouse era
(``nova/scheduler/filters/``). Each weigher scores the hosts that are left;
nova normalises every weigher's raw values to 0..1 across the hosts and
multiplies them by the weigher's multiplier, and so does this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bootwalk.model import Flavor, Host, Image
from bootwalk.trace import FilterVerdict, HostWeight, Scheduling

#: Icehouse-to-Kilo's default ``scheduler_default_filters``, the classic list.
CLASSIC_FILTERS = (
    "RetryFilter",
    "AvailabilityZoneFilter",
    "RamFilter",
    "ComputeFilter",
    "ComputeCapabilitiesFilter",
    "ImagePropertiesFilter",
    "ServerGroupAntiAffinityFilter",
    "ServerGroupAffinityFilter",
)


@dataclass(frozen=True)
class RequestSpec:
    """What the scheduler knows of the request."""

    flavor: Flavor
    image: Image | None
    availability_zone: str | None = None
    hints: Mapping[str, str | list[str]] = field(default_factory=dict)
    tried_hosts: tuple[str, ...] = ()


class HostFilter(Protocol):
    """A scheduler filter: says whether one host can take the request, and why."""

    name: str

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        """Return (passed, reason)."""
        ...


class RetryFilter:
    """Skips hosts an earlier attempt of this boot already tried."""

    name = "RetryFilter"

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        if host.name in spec.tried_hosts:
            return False, "already tried for this boot"
        if not spec.tried_hosts:
            return True, "first attempt, no host tried yet"
        return True, f"not among the hosts tried ({', '.join(spec.tried_hosts)})"


class AvailabilityZoneFilter:
    """Keeps hosts in the requested availability zone."""

    name = "AvailabilityZoneFilter"

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        if not spec.availability_zone:
            return True, "no availability zone requested"
        if host.availability_zone == spec.availability_zone:
            return True, f"in zone {host.availability_zone}"
        return False, f"in zone {host.availability_zone}, not {spec.availability_zone}"


class RamFilter:
    """Keeps hosts with enough RAM: total × ram_allocation_ratio − used."""

    name = "RamFilter"

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        usable = host.usable_ram_mb
        passed = usable >= spec.flavor.ram
        return passed, f"needs {spec.flavor.ram} MB RAM, {usable:g} MB usable"


class ComputeFilter:
    """Keeps hosts whose nova-compute service is enabled and up."""

    name = "ComputeFilter"

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        if host.status != "enabled":
            return False, f"disabled, reason: {host.disabled_reason or 'none given'}"
        if host.state != "up":
            return False, "has not been heard from in a while"
        return True, "enabled and up"


class ComputeCapabilitiesFilter:
    """Matches the flavor's unscoped or ``capabilities:`` extra_specs against the host."""

    name = "ComputeCapabilitiesFilter"

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        wanted = {
            key.removeprefix("capabilities:"): value
            for key, value in spec.flavor.extra_specs.items()
            if ":" not in key or key.startswith("capabilities:")
        }
        if not wanted:
            return True, "the flavor asks for no capabilities"
        have = {
            "hypervisor_type": host.hypervisor_type,
            "vcpus": str(host.vcpus),
            "memory_mb": str(host.memory_mb),
        }
        for key, value in wanted.items():
            if have.get(key) != value:
                return False, f"needs {key}={value}, host has {have.get(key, 'nothing')}"
        return True, "every capability the flavor asks for matches"


class ImagePropertiesFilter:
    """Matches the image's hypervisor type and architecture with the host."""

    name = "ImagePropertiesFilter"

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        properties = spec.image.properties if spec.image else {}
        hv_type = properties.get("img_hv_type") or properties.get("hypervisor_type")
        architecture = properties.get("hw_architecture") or properties.get("architecture")
        if hv_type and hv_type.lower() != host.hypervisor_type.lower():
            return False, f"image needs hypervisor {hv_type}, host runs {host.hypervisor_type}"
        if architecture and architecture != "x86_64":
            return False, f"image needs {architecture}, host is x86_64"
        if not hv_type and not architecture:
            return True, "the image asks for no hypervisor or architecture"
        return True, "the host supports what the image asks for"


class ServerGroupAntiAffinityFilter:
    """Keeps hosts holding no member of the request's anti-affinity group."""

    name = "ServerGroupAntiAffinityFilter"

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        if "group" not in spec.hints:
            return True, "no server group in the request"
        return True, "the group has no member on this host"


class ServerGroupAffinityFilter:
    """Keeps hosts that already hold members of the request's affinity group."""

    name = "ServerGroupAffinityFilter"

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        if "group" not in spec.hints:
            return True, "no server group in the request"
        return True, "the group has no member yet, so any host will do"


FILTERS: Mapping[str, HostFilter] = {
    instance.name: instance
    for instance in (
        RetryFilter(),
        AvailabilityZoneFilter(),
        RamFilter(),
        ComputeFilter(),
        ComputeCapabilitiesFilter(),
        ImagePropertiesFilter(),
        ServerGroupAntiAffinityFilter(),
        ServerGroupAffinityFilter(),
    )
}

#: RAMWeigher's default ``ram_weight_multiplier``: spread instances out.
RAM_WEIGHT_MULTIPLIER = 1.0


def _normalise(values: list[float]) -> list[float]:
    """nova's ``weights.normalize``: scale to 0..1; equal values all become 0."""
    low, high = min(values), max(values)
    if high == low:
        return [0.0 for _ in values]
    return [(value - low) / (high - low) for value in values]


def schedule(hosts: tuple[Host, ...], spec: RequestSpec, filters: tuple[str, ...] = CLASSIC_FILTERS) -> Scheduling:
    """Run the filters in order, then RAMWeigher, and pick the heaviest host.

    A host a filter rejects is not shown to later filters, as in nova. Ties
    go to the host listed first (nova picks at random among the best
    ``scheduler_host_subset_size`` hosts, 1 by default).
    """
    verdicts: list[FilterVerdict] = []
    remaining = list(hosts)
    for name in filters:
        host_filter = FILTERS[name]
        kept = []
        for host in remaining:
            passed, reason = host_filter.check(host, spec)
            verdicts.append(FilterVerdict(host.name, name, passed, reason))
            if passed:
                kept.append(host)
        remaining = kept
    if not remaining:
        return Scheduling(filters, tuple(verdicts), (), None)
    scores = _normalise([float(host.free_ram_mb) for host in remaining])
    weights = [
        HostWeight(host.name, round(RAM_WEIGHT_MULTIPLIER * score, 4))
        for host, score in zip(remaining, scores, strict=True)
    ]
    ranked = sorted(weights, key=lambda weight: -weight.weight)
    return Scheduling(filters, tuple(verdicts), tuple(ranked), ranked[0].host)
