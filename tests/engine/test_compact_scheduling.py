"""The scheduler keeps its verdicts and weights as columns: the same trace as records built one by one.

``reference_*`` below are the scheduler as it was written before the
columns: every verdict a record with its reason, every weight a record with
its parts, built as the filters and weighers ran. Generated host sets
(hypothesis) must give equal placements either way, read in full: every
verdict with its reason, every weight with its parts, the same winners and
alternates, and the same per-filter counts.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bootwalk.model import CLASSIC_FILTERS, Flavor, Host, HostInstance, Image, SchedulerConfig, ServerGroup
from bootwalk.scheduler import (
    FILTERS,
    PLACEMENT,
    WEIGHERS,
    RequestSpec,
    _normalise,
    consume,
    place_instances,
    place_with_placement,
    placement_passes,
    placement_verdict,
    requested_resources,
)
from bootwalk.trace import FilterVerdict, HostWeight, Scheduling, VerdictColumns, WeightColumns, WeightPart


def reference_weigh(hosts: list[Host], weighers: tuple[tuple[str, float], ...]) -> list[HostWeight]:
    totals = [0.0 for _ in hosts]
    parts: list[list[WeightPart]] = [[] for _ in hosts]
    if len(hosts) > 1:
        for name, multiplier in weighers:
            weigher = WEIGHERS[name]
            raw = [weigher.raw(host) for host in hosts]
            for index, (value, score) in enumerate(zip(raw, _normalise(raw), strict=True)):
                totals[index] += multiplier * score
                parts[index].append(WeightPart(name, value, round(score, 4), multiplier, weigher.unit))
    weights = [HostWeight(h.name, round(t, 4), tuple(p)) for h, t, p in zip(hosts, totals, parts, strict=True)]
    return sorted(weights, key=lambda weight: -weight.weight)


def reference_schedule(hosts: list[Host], spec: RequestSpec, config: SchedulerConfig) -> Scheduling:
    verdicts: list[FilterVerdict] = []
    remaining = list(hosts)
    for name in config.enabled_filters:
        if not remaining:
            break
        kept = []
        for host in remaining:
            passed, reason = FILTERS[name].check(host, spec)
            verdicts.append(FilterVerdict(host.name, name, passed, reason))
            if passed:
                kept.append(host)
        remaining = kept
    if not remaining:
        return Scheduling(config.enabled_filters, tuple(verdicts), (), None, considered=len(hosts))
    ranked = reference_weigh(remaining, config.weighers)
    alternates = tuple(weight.host for weight in ranked[1 : config.max_attempts])
    return Scheduling(
        config.enabled_filters,
        tuple(verdicts),
        tuple(ranked),
        ranked[0].host,
        considered=len(hosts),
        alternates=alternates,
    )


def reference_place(
    hosts: tuple[Host, ...], spec: RequestSpec, config: SchedulerConfig, count: int
) -> list[Scheduling]:
    current = {host.name: host for host in hosts}
    order = {host.name: index for index, host in enumerate(hosts)}
    candidates = [host.name for host in hosts]
    placements = []
    for number in range(count):
        result = reference_schedule([current[name] for name in candidates], spec, config)
        placements.append(result)
        if result.selected_host is None:
            break
        current[result.selected_host] = consume(current[result.selected_host], spec.flavor, instance(number))
        candidates = sorted((weight.host for weight in result.weights), key=order.__getitem__)
        if spec.group is not None:
            spec = replace(spec, group_hosts=spec.group_hosts | {result.selected_host})
    return placements


def reference_placement_verdicts(hosts: tuple[Host, ...], spec: RequestSpec) -> list[FilterVerdict]:
    resources = requested_resources(spec.flavor, False)
    return [
        FilterVerdict(host.name, PLACEMENT, *placement_verdict(host, resources, spec.availability_zone))
        for host in hosts
    ]


def instance(number: int) -> HostInstance:
    return HostInstance(f"{number:08d}-0000-4000-8000-000000000000", f"vm-{number}")


hosts_strategy = st.lists(
    st.builds(
        Host,
        name=st.just(""),
        availability_zone=st.sampled_from(("nova", "az2")),
        vcpus=st.sampled_from((1, 2, 4, 16)),
        memory_mb=st.sampled_from((512, 2048, 8192)),
        disk_gb=st.sampled_from((1, 20, 80)),
        vcpus_used=st.integers(0, 40),
        memory_mb_used=st.integers(0, 12000),
        disk_gb_used=st.integers(0, 90),
        status=st.sampled_from(("enabled", "enabled", "disabled")),
        state=st.sampled_from(("up", "up", "down")),
        hypervisor_type=st.sampled_from(("QEMU", "QEMU", "VMware")),
    ),
    min_size=0,
    max_size=12,
).map(lambda hosts: tuple(replace(host, name=f"compute{n}") for n, host in enumerate(hosts)))

specs = st.builds(
    RequestSpec,
    flavor=st.sampled_from(
        (
            Flavor("m1.tiny", "1", 1, 512, 1),
            Flavor("m1.small", "2", 1, 2048, 20, extra_specs={"hypervisor_type": "QEMU"}),
            Flavor("m1.medium", "3", 2, 4096, 40, extra_specs={"hw_rng:allowed": "True"}),
        )
    ),
    image=st.sampled_from(
        (None, Image("cirros", "i1", "active", "qcow2", "bare", 1, 0, 0, properties={"hypervisor_type": "xen"}))
    ),
    availability_zone=st.sampled_from((None, "nova", "az2")),
    group=st.sampled_from((None, ServerGroup("g1", "web", "anti-affinity"), ServerGroup("g2", "db", "affinity"))),
)

configs = st.builds(
    SchedulerConfig,
    enabled_filters=st.sampled_from(
        (CLASSIC_FILTERS, ("RetryFilter", "RamFilter", "CoreFilter", "DiskFilter", "ComputeFilter"), ())
    ),
    weighers=st.sampled_from(((("RAMWeigher", 1.0),), (("RAMWeigher", -1.0), ("CPUWeigher", 2.0)), ())),
    max_attempts=st.integers(1, 4),
)


def read_in_full(scheduling: Scheduling) -> tuple[object, ...]:
    return (
        tuple(scheduling.filter_results),
        tuple(scheduling.weights),
        scheduling.selected_host,
        scheduling.alternates,
        scheduling.considered,
        scheduling.filter_counts(),
    )


@settings(max_examples=150, deadline=None)
@given(hosts=hosts_strategy, spec=specs, config=configs, count=st.integers(1, 4))
def test_columns_give_the_placements_records_gave(
    hosts: tuple[Host, ...], spec: RequestSpec, config: SchedulerConfig, count: int
) -> None:
    placed, _after = place_instances(hosts, spec, config, tuple(instance(n) for n in range(count)))
    expected = reference_place(hosts, spec, config, count)
    assert [read_in_full(p) for p in placed] == [read_in_full(p) for p in expected]
    for placement in placed:
        assert isinstance(placement.filter_results, VerdictColumns)
        assert list(placement.filter_results) == [
            placement.filter_results[i] for i in range(len(placement.filter_results))
        ]
        if placement.weights:
            assert isinstance(placement.weights, WeightColumns)


@settings(max_examples=100, deadline=None)
@given(hosts=hosts_strategy.filter(bool), spec=specs, config=configs)
def test_placement_verdicts_come_first_and_read_as_before(
    hosts: tuple[Host, ...], spec: RequestSpec, config: SchedulerConfig
) -> None:
    spec = replace(spec, group=None)
    placed, _after = place_with_placement(hosts, spec, config, (instance(0),))
    first = placed[0]
    placement = reference_placement_verdicts(hosts, spec)
    candidates = [host for host, verdict in zip(hosts, placement, strict=True) if verdict.passed]
    assert tuple(first.filter_results)[: len(hosts)] == tuple(placement)
    if candidates:
        expected = reference_schedule(candidates, spec, config)
        assert tuple(first.filter_results)[len(hosts) :] == expected.filter_results
        assert (tuple(first.weights), first.selected_host, first.alternates) == (
            expected.weights,
            expected.selected_host,
            expected.alternates,
        )
    else:
        assert len(first.filter_results) == len(hosts) and first.selected_host is None


@settings(max_examples=200, deadline=None)
@given(hosts=hosts_strategy.filter(bool), spec=specs)
def test_each_filters_quick_answer_is_its_checks(hosts: tuple[Host, ...], spec: RequestSpec) -> None:
    resources = requested_resources(spec.flavor, False)
    for host in hosts:
        for host_filter in FILTERS.values():
            assert host_filter.answers(spec)(host) == host_filter.check(host, spec)[0], host_filter.name
        verdict = placement_verdict(host, resources, spec.availability_zone)[0]
        assert placement_passes(host, resources, spec.availability_zone) == verdict


def test_columns_equal_and_hash_as_the_tuple_of_their_records() -> None:
    hosts = (Host("a", "nova", 4, 4096, 40), Host("b", "nova", 4, 1024, 40, status="disabled"))
    spec = RequestSpec(Flavor("m1.tiny", "1", 1, 512, 1), None)
    scheduling = place_instances(hosts, spec, SchedulerConfig(), (instance(0),))[0][0]
    verdicts = scheduling.filter_results
    assert verdicts == tuple(verdicts) and hash(verdicts) == hash(tuple(verdicts))
    assert verdicts[-1] == tuple(verdicts)[-1] and verdicts[1:3] == tuple(verdicts)[1:3]
    assert verdicts != tuple(verdicts)[:-1]
    assert "disabled, reason: none given" in [v.reason for v in verdicts if v.host == "b"]
