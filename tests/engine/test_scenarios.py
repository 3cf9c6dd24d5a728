"""Failure scenarios, reschedules, several instances and NoValidHost, through the whole walk."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bootwalk.dialects import NOVA
from bootwalk.engine import WalkState, resolve_request
from bootwalk.flows import get_flow
from bootwalk.flows.classic.scheduler import Schedule
from bootwalk.ids import IdSource
from bootwalk.model import CLASSIC_FILTERS, Catalog, SchedulerConfig
from bootwalk.scenarios import SCENARIOS
from bootwalk.trace import Attempt, Outcome, StepStatus, Trace
from tests.conftest import demo_request
from tests.walking import walk

BOOT_VOLUME = "8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7"


def run(catalog: Catalog, scenario: str | None = None, max_attempts: int | None = None, **changes: object) -> Trace:
    if max_attempts is not None:
        catalog = replace(catalog, scheduler=replace(catalog.scheduler, max_attempts=max_attempts))
    resolved = resolve_request(demo_request(**changes), catalog)
    return walk(resolved, catalog, scenario=SCENARIOS[scenario] if scenario else None)


def path(trace: Trace) -> list[tuple[int, int, str]]:
    """(step number, attempt, status) of every record, in order."""
    return [(step.number, step.attempt, step.status.value) for step in trace.steps]


def states(trace: Trace) -> list[tuple[str, str | None] | None]:
    return [(s.state.vm_state, s.state.task_state) if s.state else None for s in trace.steps]


def test_every_scenario_has_a_one_line_lesson() -> None:
    assert list(SCENARIOS) == [
        "bad-credentials", "over-quota", "compute-down", "port-binding-failed", "volume-attach-failed", "spawn-failed",
    ]  # fmt: skip
    for scenario in SCENARIOS.values():
        assert scenario.lesson and "\n" not in scenario.lesson


def test_bad_credentials_stop_at_keystone(catalog: Catalog) -> None:
    trace = run(catalog, "bad-credentials")
    assert path(trace) == [(1, 1, "ok"), (2, 1, "failed")]
    assert [(h.source.value, h.target.value, h.call) for h in trace.steps[1].handoffs] == [
        ("keystone", "client", "401 Unauthorized")
    ]
    assert (trace.outcome, trace.server, trace.servers, trace.attempts) == (Outcome.ERROR, None, (), ())
    assert trace.error_line() == "ERROR (Unauthorized): The request you have made requires authentication. (HTTP 401)"
    assert trace.steps[1].logs[0].text == (
        "Authorization failed. The request you have made requires authentication. from 192.168.1.10"
    )
    assert trace.surfaces.startswith("nova boot itself prints the error and exits 1")


def test_over_quota_is_refused_by_nova_api_with_novas_message(catalog: Catalog) -> None:
    trace = run(catalog, "over-quota")
    assert path(trace) == [(1, 1, "ok"), (2, 1, "ok"), (3, 1, "failed")]
    assert trace.error_line() == (
        "ERROR (Forbidden): Quota exceeded for instances: Requested 1, but already used 10 of 10 instances (HTTP 403)"
    )
    assert trace.steps[2].logs[0].text.startswith("HTTP exception thrown: Quota exceeded for instances")
    assert trace.server is None


def test_over_quota_uses_the_quotas_in_the_catalog(catalog: Catalog) -> None:
    small = replace(catalog, quotas=replace(catalog.quotas, instances=3))
    trace = run(small, "over-quota")
    assert trace.error is not None
    assert trace.error.message == "Quota exceeded for instances: Requested 1, but already used 3 of 3 instances"


def test_quota_lists_every_resource_over_and_trims_max_count(catalog: Catalog) -> None:
    tight = replace(catalog, quotas=replace(catalog.quotas, instances=10, cores=2, ram=1024, cores_used=1))
    refused = run(tight, max_count=3, min_count=3)
    assert refused.error is not None
    assert refused.error.message == (
        "Quota exceeded for cores, ram: Requested 3, 1536, but already used 1, 0 of 2, 1024 cores, ram"
    )
    trimmed = run(tight, max_count=3, min_count=1)
    assert [server["name"] for server in trimmed.servers] == ["demo-vm"]
    assert "The quota leaves room for 1 of the 3 asked for" in trimmed.steps[2].detail


def test_compute_down_is_no_valid_host_after_the_202(catalog: Catalog) -> None:
    trace = run(catalog, "compute-down")
    assert path(trace) == [(1, 1, "ok"), (2, 1, "ok"), (3, 1, "ok"), (4, 1, "failed")]
    schedule = trace.steps[3]
    assert schedule.scheduling is not None
    assert {v.host for v in schedule.scheduling.filter_results if not v.passed} == {
        "compute1", "compute2", "compute3", "compute4",
    }  # fmt: skip
    assert trace.steps[2].handoffs[-1].call == "202 Accepted"
    assert trace.server is not None
    assert trace.server["fault"]["message"] == "No valid host was found. There are not enough hosts available."
    assert trace.server["fault"]["code"] == 500
    assert [line.text for line in schedule.logs][:2] == [
        "Filter ComputeFilter returned 0 hosts",
        f"Filtering removed all hosts for the request with instance ID '{trace.server['id']}'. Filter results: "
        "['RetryFilter: (start: 4, end: 4)', 'AvailabilityZoneFilter: (start: 4, end: 4)', "
        "'RamFilter: (start: 4, end: 4)', 'ComputeFilter: (start: 4, end: 0)']",
    ]
    assert trace.attempts == (Attempt(1, None, "error", trace.server["fault"]["message"]),)


@pytest.mark.parametrize("scenario", ["port-binding-failed", "spawn-failed"])
def test_a_compute_failure_is_rescheduled_to_the_alternate(catalog: Catalog, scenario: str) -> None:
    trace = run(catalog, scenario)
    failing = 10 if scenario == "port-binding-failed" else 12
    first = [(n, 1, "ok") for n in range(1, failing)]
    if scenario == "spawn-failed":
        first[-1] = (11, 1, "skipped")
    second = [(n, 2, "ok") for n in range(4, 13)]
    second[7] = (11, 2, "skipped")
    assert path(trace) == [*first, (failing, 1, "rescheduled"), *second]
    failed = trace.steps[failing - 1]
    assert failed.state is not None
    assert (failed.state.vm_state, failed.state.task_state) == ("building", "scheduling")
    assert [h.call for h in failed.handoffs][-2:] == ["instance_update", "run_instance"]
    assert any(c.startswith("port ") and c.endswith(" deleted") for c in failed.cleanup)
    assert failed.cleanup[-1].startswith("claim on compute1 released")
    retry = trace.steps[failing]
    assert retry.scheduling is not None
    assert retry.scheduling.removed_by("compute1") is not None
    assert retry.scheduling.removed_by("compute1").filter == "RetryFilter"  # type: ignore[union-attr]
    assert retry.scheduling.selected_host == "compute4"
    assert trace.steps[3].scheduling is not None and trace.steps[3].scheduling.alternates[0] == "compute4"
    assert [(a.number, a.host, a.result) for a in trace.attempts] == [
        (1, "compute1", "rescheduled"),
        (2, "compute4", "active"),
    ]
    assert trace.outcome is Outcome.ACTIVE
    assert trace.server is not None and trace.server["OS-EXT-SRV-ATTR:host"] == "compute4"
    assert trace.error_line() is None
    assert trace.surfaces.startswith("nowhere. The server ended ACTIVE; only the logs of nova-compute on compute1")
    texts = [line.text for line in failed.logs]
    assert "Failed to build and run instance" in texts
    assert texts[-1].startswith(f"Build of instance {trace.server['id']} was re-scheduled: ")


def test_port_binding_failed_logs_what_neutron_and_nova_compute_say(catalog: Catalog) -> None:
    trace = run(catalog, "port-binding-failed")
    failed = trace.steps[9]
    port = trace.attempts[0].reason
    assert port is not None and port.startswith("Binding failed for port ")
    assert port.endswith(", please check neutron logs for more information.")
    assert [(line.service.value, line.level) for line in failed.logs][:2] == [
        ("neutron", "ERROR"),
        ("nova-compute", "ERROR"),
    ]
    assert failed.logs[1].text == "Instance failed network setup after 1 attempt(s)"


def test_with_max_attempts_1_the_reason_itself_is_the_fault(catalog: Catalog) -> None:
    trace = run(catalog, "port-binding-failed", max_attempts=1)
    assert path(trace)[-1] == (10, 1, "failed")
    assert trace.outcome is Outcome.ERROR
    assert trace.server is not None
    fault = trace.server["fault"]["message"]
    assert fault.startswith("Binding failed for port ") and "Exceeded" not in fault
    assert trace.steps[-1].logs[-1].text == "Retry info not present, will not reschedule"
    assert trace.steps[-1].state is not None and trace.steps[-1].state.task_state is None


def test_when_no_alternate_is_left_retries_are_exceeded(catalog: Catalog) -> None:
    trace = run(catalog, "port-binding-failed", availability_zone="az2")
    assert path(trace)[-2:] == [(10, 1, "rescheduled"), (4, 2, "failed")]
    assert trace.server is not None
    uuid = trace.server["id"]
    message = (
        "Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures "
        f"for instance {uuid}."
    )
    assert trace.server["fault"] == {"code": 500, "message": message, "created": trace.server["fault"]["created"]}
    assert [(a.number, a.host, a.result) for a in trace.attempts] == [
        (1, "compute4", "rescheduled"),
        (2, None, "error"),
    ]


def test_attempts_beyond_max_attempts_are_refused_with_the_last_exception(catalog: Catalog) -> None:
    catalog = replace(catalog, scheduler=SchedulerConfig(max_attempts=2))
    resolved = resolve_request(demo_request(), catalog)
    trace = walk(resolved, catalog)
    assert trace.server is not None
    from bootwalk.engine import Instance

    state = WalkState(
        resolved=resolved, catalog=catalog, ids=IdSource(42), hosts=catalog.hosts,
        flow=get_flow("classic"), scheduler=SchedulerConfig(max_attempts=2), dialect=NOVA,
        instance=Instance(uuid="u1", name="demo-vm"), attempt=3, tried_hosts=("compute1", "compute4"),
        last_failure="boom",
    )  # fmt: skip
    state, result = Schedule().run(state)
    assert result.status is StepStatus.FAILED
    assert state.instance is not None and state.instance.fault is not None
    assert state.instance.fault.message == (
        "Exceeded maximum number of retries. Exceeded max scheduling attempts 2 for instance u1. Last exception: boom"
    )


def test_volume_attach_failed_aborts_without_rescheduling(catalog: Catalog) -> None:
    trace = run(catalog, "volume-attach-failed", image=None, boot_volume=BOOT_VOLUME)
    assert path(trace)[-1] == (11, 1, "failed")
    assert all(step.attempt == 1 for step in trace.steps)
    failed = trace.steps[-1]
    assert trace.server is not None
    message = f"Build of instance {trace.server['id']} aborted: Failure prepping block device."
    assert trace.server["fault"]["message"] == message
    assert failed.cleanup[1] == f"volume {BOOT_VOLUME} detached"
    assert "DELETE /v3/{project_id}/attachments/{id}" in [h.call for h in failed.handoffs]
    assert [line.text for line in failed.logs] == [
        "Instance failed block device setup", "Failure prepping block device", message,
    ]  # fmt: skip
    assert trace.attempts == (Attempt(1, "compute1", "error", message),)


def test_quota_trims_max_count_then_no_host_means_no_instance_is_built(catalog: Catalog) -> None:
    trace = run(catalog, max_count=3, flavor="m1.xlarge")  # 8 vCPUs, 16384 MB each; 20 cores of quota
    assert "The quota leaves room for 2 of the 3 asked for" in trace.steps[2].detail
    schedule = trace.steps[3]
    # compute1 has 20480 MB usable: one xlarge; then nothing has 16384 MB usable.
    assert [p.selected_host for p in schedule.placements] == ["compute1", None]
    assert schedule.status is StepStatus.FAILED
    assert "no host is left for demo-vm-2" in schedule.detail
    assert trace.outcome is Outcome.ERROR
    assert [(s["name"], s["status"], s["host"]) for s in trace.servers] == [
        ("demo-vm-1", "ERROR", None), ("demo-vm-2", "ERROR", None),
    ]  # fmt: skip
    assert trace.error_line() == (
        "demo-vm-1, demo-vm-2 went to ERROR: No valid host was found. There are not enough hosts available. "
        "(nova boot had answered 202; the fault shows in nova show)"
    )


def test_capacity_is_consumed_across_max_count(catalog: Catalog) -> None:
    trace = run(catalog, max_count=5, flavor="m1.large")  # 4 vCPUs, 8192 MB each
    placements = trace.steps[3].placements
    # Free RAM: compute1 12288, compute4 8192, compute2 4096. After #1 compute1 has 4096 free, so #2 goes to
    # compute4 (then 0 free, 4096 usable: too little for #3). compute1 and compute2 tie at 4096 free and the
    # host listed first wins #3; #4 fits only on compute2; nothing is left for #5.
    assert [p.selected_host for p in placements] == ["compute1", "compute4", "compute1", "compute2", None]
    ram = [v.reason for v in placements[1].filter_results if v.host == "compute1" and v.filter == "RamFilter"]
    assert ram == ["needs 8192 MB RAM, 12288 MB usable (16384 × 1.5 − 12288)"]
    assert placements[3].removed_by("compute1") is not None
    assert [v.host for v in placements[4].filter_results if v.filter == "RetryFilter"] == ["compute2"]


def test_several_instances_end_active_on_their_hosts(catalog: Catalog) -> None:
    trace = run(catalog, max_count=2, flavor="m1.large")
    assert trace.outcome is Outcome.ACTIVE
    assert [(s["name"], s["status"], s["host"]) for s in trace.servers] == [
        ("demo-vm-1", "ACTIVE", "compute1"), ("demo-vm-2", "ACTIVE", "compute4"),
    ]  # fmt: skip
    assert all(s["networks"]["private"] for s in trace.servers)
    assert trace.servers[0]["networks"] != trace.servers[1]["networks"]


def test_group_hint_keeps_anti_affinity(catalog: Catalog) -> None:
    trace = run(catalog, hints={"group": "web-ha"})
    scheduling = trace.steps[3].scheduling
    assert scheduling is not None
    assert {host for host in ("compute1", "compute2") if scheduling.removed_by(host)} == {"compute1", "compute2"}
    assert scheduling.selected_host == "compute4"


def test_unknown_group_is_refused_by_nova_api(catalog: Catalog) -> None:
    trace = run(catalog, hints={"group": "nope"})
    assert trace.error_line() == "ERROR (BadRequest): Instance group nope could not be found. (HTTP 400)"


def test_a_hint_no_enabled_filter_reads_is_called_out(catalog: Catalog) -> None:
    trace = run(catalog, hints={"same_host": "web-1"})
    assert trace.steps[3].scheduling is not None and trace.steps[3].scheduling.selected_host == "compute1"
    assert "No enabled filter reads the hint same_host, so nova ignores it" in trace.steps[3].detail
    enabled = replace(
        catalog,
        scheduler=replace(catalog.scheduler, enabled_filters=(*CLASSIC_FILTERS, "SameHostFilter")),
    )
    trace = run(enabled, hints={"same_host": "db-1"})
    assert trace.steps[3].scheduling is not None and trace.steps[3].scheduling.selected_host == "compute2"


def test_availability_zone_narrows_the_hosts(catalog: Catalog) -> None:
    trace = run(catalog, availability_zone="az2")
    assert trace.server is not None
    assert (trace.server["OS-EXT-SRV-ATTR:host"], trace.server["OS-EXT-AZ:availability_zone"]) == ("compute4", "az2")


def test_fixed_ip_with_several_instances_is_refused(catalog: Catalog) -> None:
    from bootwalk.dialects.nics import parse_nics

    trace = run(catalog, max_count=2, nics=parse_nics(("net-name=private,v4-fixed-ip=10.0.0.9",)))
    assert trace.error_line() == (
        "ERROR (BadRequest): Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip "
        "is specified. (HTTP 400)"
    )
