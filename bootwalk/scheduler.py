"""The classic filter scheduler: filters, then weighers, over the catalog's hosts.

Each filter follows the logic of nova's filters (``nova/scheduler/filters/``,
as of Icehouse for the classic list): ``answers(spec)`` gives, once per
request, the yes or no it asks of every host, and ``check`` the same
verdict with its reason in numbers, built only when a verdict is read. The
verdicts are kept as columns (:class:`~bootwalk.trace.VerdictColumns`), so
that a walk over a hundred thousand hosts stays small and linear. Each
weigher scores the hosts that are left; nova normalises every weigher's raw
values to 0..1 across the hosts and multiplies them by the weigher's
multiplier, and so does this module (:class:`~bootwalk.trace.WeightColumns`).

:func:`place_instances` places several instances the way
``FilterScheduler._schedule`` does: one after the other, each consuming
RAM, vCPUs and disk on its host before the next is placed, and each
considering only the hosts that passed for the one before.
:func:`place_with_placement` is today's: placement answers first (its
allocation candidates), the filters left run on those, and each instance's
claim is an allocation on its host's resource provider.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from itertools import compress
from typing import Protocol

from bootwalk.model import CLASSIC_FILTERS, Flavor, Host, HostInstance, Image, SchedulerConfig, ServerGroup
from bootwalk.records import dataclass, field
from bootwalk.text import number_text
from bootwalk.trace import PLACEMENT, Scheduling, VerdictColumns, WeightColumns

__all__ = [
    "CLASSIC_FILTERS",
    "FILTERS",
    "PLACEMENT",
    "WEIGHERS",
    "RequestSpec",
    "consume",
    "place_instances",
    "place_with_placement",
    "release",
    "schedule",
]


@dataclass(frozen=True)
class RequestSpec:
    """What the scheduler knows of the request.

    ``group_hosts`` are the hosts that already hold members of ``group``,
    including the hosts chosen for earlier instances of this request.
    """

    flavor: Flavor
    image: Image | None
    availability_zone: str | None = None
    hints: Mapping[str, str | list[str]] = field(default_factory=dict)
    tried_hosts: tuple[str, ...] = ()
    group: ServerGroup | None = None
    group_hosts: frozenset[str] = frozenset()


def hint_values(spec: RequestSpec, key: str) -> tuple[str, ...]:
    """A scheduler hint's values: a repeated ``--hint`` becomes a list, as in novaclient."""
    value = spec.hints.get(key)
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _plural(count: float, word: str) -> str:
    return f"{number_text(count)} {word}{'' if count == 1 else 's'}"


Predicate = Callable[[Host], bool]


def every_host(host: Host) -> bool:
    """The answer of a filter that lets every host of this request through: no host need be asked."""
    return True


def no_host(host: Host) -> bool:
    """The answer of a filter that lets no host of this request through."""
    return False


class HostFilter(Protocol):
    """A scheduler filter: says whether one host can take the request, and why.

    ``answers`` gives, once per request, the question asked of every host:
    the answer alone, with the request's numbers worked out once
    (:func:`every_host` when the filter has nothing to ask, so that no host
    is asked). ``check`` gives the answer with its reason in numbers, and is
    asked only when a verdict is read. The two always agree (a test holds
    them to it).
    """

    name: str

    def answers(self, spec: RequestSpec) -> Predicate:
        """The question for every host of this request: whether a host passes (:data:`every_host` when all do)."""
        ...

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        """Return (passed, reason)."""
        ...


class RetryFilter:
    """Skips hosts an earlier attempt of this boot already tried."""

    name = "RetryFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        tried = spec.tried_hosts
        return (lambda host: host.name not in tried) if tried else every_host

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        if host.name in spec.tried_hosts:
            return False, "already tried for this boot"
        if not spec.tried_hosts:
            return True, "first attempt, no host tried yet"
        return True, f"not among the hosts tried ({', '.join(spec.tried_hosts)})"


class AvailabilityZoneFilter:
    """Keeps hosts in the requested availability zone."""

    name = "AvailabilityZoneFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        zone = spec.availability_zone
        return (lambda host: host.availability_zone == zone) if zone else every_host

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        if not spec.availability_zone:
            return True, "no availability zone requested"
        if host.availability_zone == spec.availability_zone:
            return True, f"in zone {host.availability_zone}"
        return False, f"in zone {host.availability_zone}, not {spec.availability_zone}"


class RamFilter:
    """Keeps hosts with enough RAM: total × ram_allocation_ratio − used."""

    name = "RamFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        ram = spec.flavor.ram
        return lambda host: host.memory_mb * host.ram_allocation_ratio - host.memory_mb_used >= ram

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        usable = host.usable_ram_mb
        passed = usable >= spec.flavor.ram
        formula = f"{host.memory_mb} × {number_text(host.ram_allocation_ratio)} − {host.memory_mb_used}"
        return passed, f"needs {spec.flavor.ram} MB RAM, {number_text(usable)} MB usable ({formula})"


class CoreFilter:
    """Keeps hosts with enough vCPUs: total × cpu_allocation_ratio − used."""

    name = "CoreFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        vcpus = spec.flavor.vcpus
        return lambda host: host.vcpus * host.cpu_allocation_ratio - host.vcpus_used >= vcpus

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        usable = host.usable_vcpus
        passed = usable >= spec.flavor.vcpus
        formula = f"{host.vcpus} × {number_text(host.cpu_allocation_ratio)} − {host.vcpus_used}"
        return passed, f"needs {_plural(spec.flavor.vcpus, 'vCPU')}, {number_text(usable)} usable ({formula})"


def requested_disk_mb(flavor: Flavor) -> int:
    """DiskFilter's request: (root + ephemeral) GB in MB, plus swap MB."""
    return 1024 * (flavor.disk + flavor.ephemeral) + flavor.swap


class DiskFilter:
    """Keeps hosts with enough disk: total × disk_allocation_ratio − used."""

    name = "DiskFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        wanted = requested_disk_mb(spec.flavor)
        return lambda host: host.usable_disk_gb * 1024 >= wanted

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        wanted = requested_disk_mb(spec.flavor)
        usable = host.usable_disk_gb * 1024
        passed = usable >= wanted
        formula = f"({host.disk_gb} × {number_text(host.disk_allocation_ratio)} − {host.disk_gb_used}) GB"
        return passed, f"needs {wanted} MB disk, {number_text(usable)} MB usable ({formula})"


class ComputeFilter:
    """Keeps hosts whose nova-compute service is enabled and up."""

    name = "ComputeFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        return lambda host: host.status == "enabled" and host.state == "up"

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        if host.status != "enabled":
            return False, f"disabled, reason: {host.disabled_reason or 'none given'}"
        if host.state != "up":
            return False, "has not been heard from in a while"
        return True, "enabled and up"


class ComputeCapabilitiesFilter:
    """Matches the flavor's unscoped or ``capabilities:`` extra_specs against the host."""

    name = "ComputeCapabilitiesFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        if not any(":" not in key or key.startswith("capabilities:") for key in spec.flavor.extra_specs):
            return every_host
        return lambda host: self.check(host, spec)[0]

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

    @staticmethod
    def _wanted(spec: RequestSpec) -> tuple[str | None, str | None]:
        """The hypervisor type and the architecture the image asks for."""
        properties = spec.image.properties if spec.image else {}
        hv_type = properties.get("img_hv_type") or properties.get("hypervisor_type")
        return hv_type, properties.get("hw_architecture") or properties.get("architecture")

    def answers(self, spec: RequestSpec) -> Predicate:
        hv_type, architecture = self._wanted(spec)
        if architecture and architecture != "x86_64":
            return no_host
        if not hv_type:
            return every_host
        wanted = hv_type.lower()
        return lambda host: host.hypervisor_type.lower() == wanted

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        hv_type, architecture = self._wanted(spec)
        if hv_type and hv_type.lower() != host.hypervisor_type.lower():
            return False, f"image needs hypervisor {hv_type}, host runs {host.hypervisor_type}"
        if architecture and architecture != "x86_64":
            return False, f"image needs {architecture}, host is x86_64"
        if not hv_type and not architecture:
            return True, "the image asks for no hypervisor or architecture"
        return True, "the host supports what the image asks for"


def _group_label(group: ServerGroup) -> str:
    return f"group {group.name} ({group.policy})"


class ServerGroupAntiAffinityFilter:
    """Keeps hosts holding no member of the request's anti-affinity group."""

    name = "ServerGroupAntiAffinityFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        group, holding = spec.group, spec.group_hosts
        if group is None or group.policy != "anti-affinity" or not holding:
            return every_host
        return lambda host: host.name not in holding

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        group = spec.group
        if group is None:
            return True, "no server group in the request"
        if group.policy != "anti-affinity":
            return True, f"{_group_label(group)} asks for no anti-affinity"
        if host.name in spec.group_hosts:
            return False, f"already holds a member of {_group_label(group)}"
        return True, f"holds no member of {_group_label(group)}"


class ServerGroupAffinityFilter:
    """Keeps hosts that already hold members of the request's affinity group."""

    name = "ServerGroupAffinityFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        group, holding = spec.group, spec.group_hosts
        if group is None or group.policy != "affinity" or not holding:
            return every_host
        return lambda host: host.name in holding

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        group = spec.group
        if group is None:
            return True, "no server group in the request"
        if group.policy != "affinity":
            return True, f"{_group_label(group)} asks for no affinity"
        if not spec.group_hosts:
            return True, f"{_group_label(group)} has no member yet, so any host will do"
        if host.name in spec.group_hosts:
            return True, f"holds members of {_group_label(group)}"
        return False, f"members of {_group_label(group)} are on {', '.join(sorted(spec.group_hosts))}"


def _instances_named(host: Host, wanted: tuple[str, ...]) -> list[HostInstance]:
    """The host's instances the hint names: by UUID, as nova's affinity filters match them (a name matches none)."""
    return [instance for instance in host.instances if instance.uuid in wanted]


class SameHostFilter:
    """Keeps hosts that hold one of the instances in the ``same_host`` hint."""

    name = "SameHostFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        return (lambda host: self.check(host, spec)[0]) if hint_values(spec, "same_host") else every_host

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        wanted = hint_values(spec, "same_host")
        if not wanted:
            return True, "no same_host hint"
        found = _instances_named(host, wanted)
        if found:
            return True, f"holds {', '.join(instance.name for instance in found)}"
        return False, f"holds none of {', '.join(wanted)}"


class DifferentHostFilter:
    """Keeps hosts that hold none of the instances in the ``different_host`` hint."""

    name = "DifferentHostFilter"

    def answers(self, spec: RequestSpec) -> Predicate:
        return (lambda host: self.check(host, spec)[0]) if hint_values(spec, "different_host") else every_host

    def check(self, host: Host, spec: RequestSpec) -> tuple[bool, str]:
        wanted = hint_values(spec, "different_host")
        if not wanted:
            return True, "no different_host hint"
        found = _instances_named(host, wanted)
        if found:
            return False, f"holds {', '.join(instance.name for instance in found)}"
        return True, f"holds none of {', '.join(wanted)}"


#: Every filter bootwalk knows, by the name nova.conf gives it.
FILTERS: Mapping[str, HostFilter] = {
    instance.name: instance
    for instance in (
        RetryFilter(),
        AvailabilityZoneFilter(),
        RamFilter(),
        CoreFilter(),
        DiskFilter(),
        ComputeFilter(),
        ComputeCapabilitiesFilter(),
        ImagePropertiesFilter(),
        ServerGroupAntiAffinityFilter(),
        ServerGroupAffinityFilter(),
        SameHostFilter(),
        DifferentHostFilter(),
    )
}


class Weigher(Protocol):
    """A weigher: a raw value per host; higher wins once multiplied by a positive multiplier."""

    name: str
    unit: str

    def raw(self, host: Host) -> float:
        """The value nova weighs for this host."""
        ...


class RAMWeigher:
    """Free physical RAM (``free_ram_mb``): spreads instances out by default."""

    name = "RAMWeigher"
    unit = "MB RAM free"

    def raw(self, host: Host) -> float:
        return float(host.free_ram_mb)


class CPUWeigher:
    """Free vCPUs after the allocation ratio (nova since Rocky)."""

    name = "CPUWeigher"
    unit = "vCPUs free"

    def raw(self, host: Host) -> float:
        return host.usable_vcpus


class DiskWeigher:
    """Free disk (``free_disk_mb``) (nova since Mitaka)."""

    name = "DiskWeigher"
    unit = "MB disk free"

    def raw(self, host: Host) -> float:
        return float(host.free_disk_mb)


#: Every weigher bootwalk knows, by nova's class name.
WEIGHERS: Mapping[str, Weigher] = {weigher.name: weigher for weigher in (RAMWeigher(), CPUWeigher(), DiskWeigher())}


def _normalise(values: list[float]) -> list[float]:
    """nova's ``weights.normalize``: scale to 0..1; equal values all become 0."""
    low, high = min(values), max(values)
    if high == low:
        return [0.0 for _ in values]
    return [(value - low) / (high - low) for value in values]


def weigh(hosts: list[Host], weighers: Iterable[tuple[str, float]]) -> WeightColumns:
    """Weigh the hosts that passed, best first; ties keep the order the hosts were listed in.

    As in nova's ``get_weighed_objects``, a single host is not weighed at
    all. The weights are kept as columns (:class:`WeightColumns`).
    """
    totals = [0.0] * len(hosts)
    columns: list[tuple[str, float, str, array[float], array[float]]] = []
    if len(hosts) > 1:
        for name, multiplier in weighers:
            weigher = WEIGHERS[name]
            raw = [weigher.raw(host) for host in hosts]
            scores = _normalise(raw)
            totals = [total + multiplier * score for total, score in zip(totals, scores, strict=True)]
            columns.append((name, multiplier, weigher.unit, array("d", raw), array("d", scores)))
    shown = array("d", [round(total, 4) for total in totals])
    weights = WeightColumns([host.name for host in hosts], shown)
    for column in columns:
        weights.add(*column)
    return weights


def schedule(
    hosts: tuple[Host, ...] | list[Host],
    spec: RequestSpec,
    config: SchedulerConfig | None = None,
    instance: HostInstance | None = None,
) -> Scheduling:
    """Run the enabled filters in order, then the weighers, and pick the heaviest host.

    A host a filter rejects is not shown to later filters, and filtering
    stops when no host is left, as in nova. Ties go to the host listed first
    (nova picks at random among the best ``host_subset_size`` hosts, 1 by
    default, so the best one). The hosts after the winner, best first, are
    the alternates (at most ``max_attempts`` − 1).
    """
    return _schedule(hosts, spec, config, instance)[0]


def _reason(host_filter: HostFilter, spec: RequestSpec) -> Callable[[Host], str]:
    """The filter's reason for a host, built only when its verdict is read."""
    return lambda host: host_filter.check(host, spec)[1]


def _schedule(
    hosts: Sequence[Host],
    spec: RequestSpec,
    config: SchedulerConfig | None = None,
    instance: HostInstance | None = None,
    verdicts: VerdictColumns | None = None,
    remaining: Sequence[int] | None = None,
) -> tuple[Scheduling, array[int]]:
    """:func:`schedule`, and the positions (in ``hosts``) of the hosts every filter passed, in order.

    ``verdicts`` that already hold a column (placement's) for ``hosts`` get
    the filters' after it, and the filters start from the hosts it left,
    ``remaining`` (indices into ``hosts``).
    """
    config = config or SchedulerConfig()
    verdicts = verdicts if verdicts is not None else VerdictColumns(hosts)
    asked = array("i", range(len(hosts)) if remaining is None else remaining)
    for name in config.enabled_filters:
        if not asked:
            break
        host_filter = FILTERS[name]
        passes = host_filter.answers(spec)
        if passes is every_host:  # the same hosts go on: the next column shares this one's array
            verdicts.add(name, _reason(host_filter, spec), asked, b"\x01" * len(asked))
            continue
        answers = bytes([passes(hosts[index]) for index in asked])
        verdicts.add(name, _reason(host_filter, spec), asked, answers)
        asked = array("i", compress(asked, answers))
    passed_hosts = [hosts[index] for index in asked]
    filters = config.enabled_filters
    uuid, name = (instance.uuid, instance.name) if instance else ("", "")
    if not passed_hosts:
        empty = Scheduling(filters, verdicts, (), None, instance_uuid=uuid, instance_name=name, considered=len(hosts))
        return empty, asked
    weights = weigh(passed_hosts, config.weighers)
    ranked = weights.best(config.max_attempts)
    scheduling = Scheduling(
        filters,
        verdicts,
        weights,
        ranked[0],
        instance_uuid=uuid,
        instance_name=name,
        considered=len(hosts),
        alternates=tuple(ranked[1 : config.max_attempts]),
    )
    return scheduling, asked


def consume(host: Host, flavor: Flavor, instance: HostInstance) -> Host:
    """The host after an instance of this flavor is placed on it (``consume_from_instance``).

    Icehouse consumes RAM, vCPUs and (root + ephemeral) GB of disk.
    """
    return replace(
        host,
        memory_mb_used=host.memory_mb_used + flavor.ram,
        vcpus_used=host.vcpus_used + flavor.vcpus,
        disk_gb_used=host.disk_gb_used + flavor.disk + flavor.ephemeral,
        instances=(*host.instances, instance),
    )


def place_instances(
    hosts: tuple[Host, ...],
    spec: RequestSpec,
    config: SchedulerConfig,
    instances: tuple[HostInstance, ...],
) -> tuple[tuple[Scheduling, ...], tuple[Host, ...]]:
    """Place the instances one after the other; return each placement and the hosts after.

    Each chosen host consumes the instance's resources before the next
    instance is placed, and a chosen host joins the server group's hosts.
    As in ``FilterScheduler._schedule``, each instance is placed among the
    hosts that passed for the one before, and placing stops at the first
    instance no host can take.
    """
    # Hosts by position, not by name: a hundred thousand names looked up for every instance cost more than the
    # filters (the dictionary no longer fits the processor's caches), and positions only need a list.
    current = list(hosts)
    candidates: Sequence[int] = range(len(hosts))
    placements: list[Scheduling] = []
    for instance in instances:
        result, passed = _schedule([current[index] for index in candidates], spec, config, instance)
        placements.append(result)
        if result.selected_host is None:
            break
        chosen = result.selected_host
        assert isinstance(result.weights, WeightColumns)
        at = candidates[passed[result.weights.best_position()]]
        current[at] = consume(current[at], spec.flavor, instance)
        candidates = [candidates[index] for index in passed]  # in the order they were listed
        if spec.group is not None:
            spec = replace(spec, group_hosts=spec.group_hosts | {chosen})
    return tuple(placements), tuple(current)


def release(host: Host, flavor: Flavor, instance_uuid: str) -> Host:
    """The host after a failed build gives back what the instance had claimed on it."""
    return replace(
        host,
        memory_mb_used=host.memory_mb_used - flavor.ram,
        vcpus_used=host.vcpus_used - flavor.vcpus,
        disk_gb_used=host.disk_gb_used - flavor.disk - flavor.ephemeral,
        instances=tuple(instance for instance in host.instances if instance.uuid != instance_uuid),
    )


def requested_resources(flavor: Flavor, volume_backed: bool) -> dict[str, int]:
    """What nova asks placement for: VCPU, MEMORY_MB and DISK_GB (no root disk when it is a volume)."""
    disk = flavor.ephemeral + -(-flavor.swap // 1024) + (0 if volume_backed else flavor.disk)
    resources = {"VCPU": flavor.vcpus, "MEMORY_MB": flavor.ram}
    if disk:
        resources["DISK_GB"] = disk
    return resources


def placement_verdict(host: Host, resources: Mapping[str, int], availability_zone: str | None) -> tuple[bool, str]:
    """Whether placement returns this host as an allocation candidate, and why.

    nova asks ``GET /allocation_candidates`` with the resources,
    ``root_required=!COMPUTE_STATUS_DISABLED`` (the compute_status_filter
    pre-filter) and, for a zone, ``member_of`` its aggregate. Capacity is
    (total × allocation ratio) − used, per resource class.
    """
    if host.status != "enabled":
        return False, "disabled: trait COMPUTE_STATUS_DISABLED is forbidden"
    if availability_zone and host.availability_zone != availability_zone:
        return False, f"not a candidate: not a member of zone {availability_zone}'s aggregate"
    capacity = {"VCPU": host.usable_vcpus, "MEMORY_MB": host.usable_ram_mb, "DISK_GB": host.usable_disk_gb}
    units = {"VCPU": "", "MEMORY_MB": " MB", "DISK_GB": " GB"}
    for name, amount in resources.items():
        if capacity[name] < amount:
            return False, f"not a candidate: {name} {amount}{units[name]} asked, {number_text(capacity[name])} left"
    asked = ", ".join(f"{name}:{amount}" for name, amount in resources.items())
    return True, f"a candidate for {asked}"


def placement_passes(host: Host, resources: Mapping[str, int], availability_zone: str | None) -> bool:
    """:func:`placement_verdict`'s answer alone."""
    if host.status != "enabled" or (availability_zone and host.availability_zone != availability_zone):
        return False
    capacity = {"VCPU": host.usable_vcpus, "MEMORY_MB": host.usable_ram_mb, "DISK_GB": host.usable_disk_gb}
    return all(capacity[name] >= amount for name, amount in resources.items())


def _placement_reason(resources: Mapping[str, int], availability_zone: str | None) -> Callable[[Host], str]:
    """Placement's reason for a host, built only when its verdict is read."""
    return lambda host: placement_verdict(host, resources, availability_zone)[1]


def _claim_reason(
    resources: Mapping[str, int], availability_zone: str | None, candidates: frozenset[str]
) -> Callable[[Host], str]:
    """After the first instance: a candidate of the request's query with no room left is refused at the claim."""

    def reason(host: Host) -> str:
        passed, said = placement_verdict(host, resources, availability_zone)
        if passed or host.name not in candidates:
            return said
        return said.replace("not a candidate: ", "a candidate, but the claim is refused (409): ", 1)

    return reason


def place_with_placement(
    hosts: tuple[Host, ...],
    spec: RequestSpec,
    config: SchedulerConfig,
    instances: tuple[HostInstance, ...],
    volume_backed: bool = False,
) -> tuple[tuple[Scheduling, ...], tuple[Host, ...]]:
    """Place instances as nova does today: placement's candidates first, then the filters and weighers.

    Each instance is placed on the host states left by the claims before it,
    so a host whose resources are used up is no longer a candidate. The
    placement verdicts come first in each placement's filter results, under
    the name ``placement``. nova asks placement for candidates once a
    request; for the instances after the first, a candidate that has no room
    left is refused when the scheduler claims on it (409), which its reason
    says.
    """
    resources = requested_resources(spec.flavor, volume_backed)
    current = {host.name: host for host in hosts}
    placements: list[Scheduling] = []
    zone = spec.availability_zone
    first: frozenset[str] | None = None
    for instance in instances:
        states = [current[host.name] for host in hosts]
        answers = bytes([placement_passes(host, resources, zone) for host in states])
        verdicts = VerdictColumns(states)
        if first is None:
            first = frozenset(host.name for host, passed in zip(states, answers, strict=True) if passed)
            reason = _placement_reason(resources, zone)
        else:
            reason = _claim_reason(resources, zone, first)
        verdicts.add(PLACEMENT, reason, array("l", range(len(states))), answers)
        candidates = [index for index, passed in enumerate(answers) if passed]
        result = _schedule(states, spec, config, instance, verdicts, candidates)[0] if candidates else None
        scheduling = Scheduling(
            (PLACEMENT, *config.enabled_filters),
            verdicts,
            result.weights if result else (),
            result.selected_host if result else None,
            instance_uuid=instance.uuid,
            instance_name=instance.name,
            considered=len(hosts),
            alternates=result.alternates if result else (),
        )
        placements.append(scheduling)
        if scheduling.selected_host is None:
            break
        chosen = scheduling.selected_host
        current[chosen] = consume(current[chosen], spec.flavor, instance)
        if spec.group is not None:
            spec = replace(spec, group_hosts=spec.group_hosts | {chosen})
    return tuple(placements), tuple(current[host.name] for host in hosts)
