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


def run(
    catalog: Catalog,
    scenario: str | None = None,
    max_attempts: int | None = None,
    flow: str = "classic",
    **changes: object,
) -> Trace:
    if max_attempts is not None:
        catalog = replace(catalog, scheduler=replace(catalog.scheduler, max_attempts=max_attempts))
    resolved = resolve_request(demo_request(**changes), catalog)
    return walk(resolved, catalog, flow, scenario=SCENARIOS[scenario] if scenario else None)


def path(trace: Trace) -> list[tuple[int, int, str]]:
    """(step number, attempt, status) of every record, in order."""
    return [(step.number, step.attempt, step.status.value) for step in trace.steps]


def states(trace: Trace) -> list[tuple[str, str | None] | None]:
    return [(s.state.vm_state, s.state.task_state) if s.state else None for s in trace.steps]


def test_every_scenario_has_a_one_line_lesson() -> None:
    assert list(SCENARIOS) == [
        "bad-credentials", "over-quota", "compute-down", "port-binding-failed", "volume-attach-failed", "spawn-failed",
        "vif-plugging-timeout",
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


@pytest.mark.parametrize(
    ("flow", "line"),
    [
        # Icehouse: servers.py create turns QuotaError into HTTPRequestEntityTooLarge, with Retry-After: 0
        ("classic", "ERROR (OverLimit): Quota exceeded for instances: Requested 1, but already used 10 of 10 "
         "instances (HTTP 413)"),
        ("modern", "ERROR (Forbidden): Quota exceeded for instances: Requested 1, but already used 10 of 10 "
         "instances (HTTP 403)"),
    ],
)  # fmt: skip
def test_over_quota_is_refused_by_nova_api_with_novas_message(catalog: Catalog, flow: str, line: str) -> None:
    trace = run(catalog, "over-quota", flow=flow)
    assert path(trace) == [(1, 1, "ok"), (2, 1, "ok"), (3, 1, "failed")]
    assert trace.error_line() == line
    texts = [line.text for line in trace.steps[2].logs]
    assert texts[-1].startswith("HTTP exception thrown: Quota exceeded for instances")
    assert trace.steps[2].logs[0].level == ("WARNING" if flow == "classic" else "DEBUG")
    assert texts[0].startswith("instances quota exceeded for ")
    assert texts[0].endswith(", tried to run 1 instances. Cannot run any more instances of this type.")
    project = trace.steps[1].handoffs[0].payload["body"]["token"]["project"]["id"]
    assert f"instances quota exceeded for {project}, " in texts[0]
    assert trace.server is None
    reply = trace.steps[2].handoffs[-1]
    assert reply.payload.get("headers") == ({"Retry-After": "0"} if flow == "classic" else None)
    assert list(reply.payload["body"]) == (["overLimit"] if flow == "classic" else ["forbidden"])


def test_over_quota_uses_the_quotas_in_the_catalog(catalog: Catalog) -> None:
    small = replace(catalog, quotas=replace(catalog.quotas, instances=3))
    trace = run(small, "over-quota")
    assert trace.error is not None
    assert trace.error.message == "Quota exceeded for instances: Requested 1, but already used 3 of 3 instances"


@pytest.mark.parametrize(
    ("flow", "message"),
    [
        # Icehouse joined the names with commas and gave the numbers of the first resource over alone.
        ("classic", "Quota exceeded for cores,ram: Requested 3, but already used 1 of 2 cores"),
        ("modern", "Quota exceeded for cores, ram: Requested 3, 1536, but already used 1, 0 of 2, 1024 cores, ram"),
    ],
)
def test_quota_lists_every_resource_over_and_trims_max_count(catalog: Catalog, flow: str, message: str) -> None:
    tight = replace(catalog, quotas=replace(catalog.quotas, instances=10, cores=2, ram=1024, cores_used=1))
    refused = run(tight, max_count=3, min_count=3, flow=flow)
    assert refused.error is not None
    assert refused.error.message == message
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
    # Icehouse: NoValidHost(reason="") from schedule_run_instance; the reason came in Kilo.
    assert trace.server["fault"]["message"] == "No valid host was found. "
    assert trace.server["fault"]["code"] == 500
    uuid = trace.server["id"]
    assert [(line.level, line.text) for line in schedule.logs] == [
        ("INFO", f"Attempting to build 1 instance(s) uuids: [u'{uuid}']"),
        ("WARNING", "(compute1, compute1) ram:12288 disk:163840 io_ops:0 instances:1 has not been heard from in a while"),
        ("WARNING", "(compute2, compute2) ram:4096 disk:81920 io_ops:0 instances:2 has not been heard from in a while"),
        ("WARNING", "(compute4, compute4) ram:8192 disk:102400 io_ops:0 instances:0 has not been heard from in a while"),
        ("INFO", "Filter ComputeFilter returned 0 hosts"),
        ("WARNING", "Setting instance to ERROR state."),
    ]  # fmt: skip
    assert all(line.service.value == "nova-scheduler" for line in schedule.logs)  # the conductor logs nothing
    assert trace.attempts == (Attempt(1, None, "error", trace.server["fault"]["message"]),)


@pytest.mark.parametrize("scenario", ["port-binding-failed", "spawn-failed"])
def test_a_compute_failure_is_rescheduled_to_the_alternate(catalog: Catalog, scenario: str) -> None:
    trace = run(catalog, scenario)
    failing = 12  # a binding failure surfaces in spawn, as the guest's interfaces are built
    first = [(n, 1, "ok") for n in range(1, failing)]
    first[-1] = (11, 1, "skipped")
    second = [(n, 2, "ok") for n in range(4, 13)]
    second[7] = (11, 2, "skipped")
    assert path(trace) == [*first, (failing, 1, "rescheduled"), *second]
    failed = trace.steps[failing - 1]
    assert failed.state is not None
    assert (failed.state.vm_state, failed.state.task_state) == ("building", "scheduling")
    assert [h.call for h in failed.handoffs][-2:] == ["instance_update", "run_instance"]
    # Icehouse's _reschedule writes task_state alone; the scheduler clears host and node on the next attempt.
    assert failed.handoffs[-2].payload["args"] == {
        "instance_uuid": trace.steps[2].handoffs[-1].payload["body"]["server"]["id"],
        "updates": {"task_state": "scheduling"},
        "service": "conductor",
    }
    assert any(c.startswith("port ") and c.endswith(" deleted") for c in failed.cleanup)
    assert failed.cleanup[-1].startswith("claim on compute1 released")
    retry = trace.steps[failing]
    assert retry.scheduling is not None
    assert retry.scheduling.removed_by("compute1") is not None
    assert retry.scheduling.removed_by("compute1").filter == "RetryFilter"  # type: ignore[union-attr]
    assert retry.scheduling.selected_host == "compute4"
    assert trace.steps[3].scheduling is not None and trace.steps[3].scheduling.alternates == ()  # none in Icehouse
    assert [(a.number, a.host, a.result) for a in trace.attempts] == [
        (1, "compute1", "rescheduled"),
        (2, "compute4", "active"),
    ]
    assert trace.outcome is Outcome.ACTIVE
    assert trace.server is not None and trace.servers[0]["host"] == "compute4"
    assert trace.error_line() is None
    assert trace.surfaces.startswith("nowhere. The server ended ACTIVE; only the logs of nova-compute on compute1")
    reason = trace.attempts[0].reason
    # Icehouse logged the attempt at DEBUG and the original error at ERROR; "Failed to build and run
    # instance" is today's line.
    # the libvirt driver's own line first (_create_domain at 2014.1), when it is libvirt that failed
    launch = "An error occurred while trying to launch a defined domain with xml: <domain type='kvm'>…</domain>"
    assert [(line.level, line.text) for line in failed.logs] == [
        *([("ERROR", launch)] if scenario == "spawn-failed" else []),
        ("ERROR", "Instance failed to spawn"),
        ("DEBUG", "Re-scheduling run_instance: attempt 1"),
        ("ERROR", f"Error: {reason}"),
    ]
    cause = "NovaException" if scenario == "port-binding-failed" else "libvirtError"
    assert (retry.logs[1].level, retry.logs[1].text) == (
        "ERROR",
        "Error from last host: compute1 (node compute1): ['Traceback (most recent call last):\\n', …, "
        f"'{cause}: {reason}\\n']",
    )


def test_port_binding_failed_logs_what_neutron_and_nova_compute_say(catalog: Catalog) -> None:
    modern = run(catalog, "port-binding-failed", flow="modern")
    failed = next(step for step in modern.steps if step.status is StepStatus.RESCHEDULED)
    port = modern.attempts[0].reason
    assert port is not None and port.startswith("Binding failed for port ")
    assert port.endswith(", please check neutron logs for more information.")
    # the background allocation fails at the binding and frees its port there (_update_ports_for_instance);
    # spawn, waiting for the network, fails later, and the cleanup has no port left to delete
    network = next(step for step in modern.steps if step.name == "neutron")
    calls = [h.call for h in network.handoffs]
    assert calls[-3:] == ["PUT /v2.0/ports/{id}", "200 OK", "DELETE /v2.0/ports/{id}"]
    assert [(line.level, line.text) for line in network.logs] == [
        ("ERROR", "Instance failed network setup after 1 attempt(s)")
    ]
    assert [(line.level, line.text) for line in failed.logs][:2] == [
        ("ERROR", "Instance failed to spawn"),
        ("ERROR", "Failed to build and run instance"),
    ]
    assert "DELETE /v2.0/ports/{id}" not in [h.call for h in failed.handoffs]
    assert not any(line.startswith("port ") for line in failed.cleanup)
    # Icehouse had no PortBindingFailed: libvirt's VIF driver refused the vif_type in spawn.
    classic = run(catalog, "port-binding-failed")
    assert classic.attempts[0].reason == "Unexpected vif_type=binding_failed"
    step = next(step for step in classic.steps if step.name == "neutron")
    assert [h.call for h in step.handoffs][:5] == [
        "instance_update", "GET /v2.0/security-groups", "POST /v2.0/ports", "201 Created", "GET /v2.0/ports",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("flow", "start"), [("classic", "Unexpected vif_type="), ("modern", "Binding failed for port ")]
)
def test_with_max_attempts_1_the_reason_itself_is_the_fault(catalog: Catalog, flow: str, start: str) -> None:
    trace = run(catalog, "port-binding-failed", max_attempts=1, flow=flow)
    assert path(trace)[-1][2] == "failed"
    assert trace.outcome is Outcome.ERROR
    assert trace.server is not None
    fault = trace.server["fault"]["message"]
    assert fault.startswith(start) and "Exceeded" not in fault
    assert trace.steps[-1].logs[-1].text == "Retry info not present, will not reschedule"
    assert trace.steps[-1].state is not None and trace.steps[-1].state.task_state is None


def test_when_no_alternate_is_left_retries_are_exceeded(catalog: Catalog) -> None:
    modern = run(catalog, "port-binding-failed", availability_zone="az2", flow="modern")
    assert modern.server is not None
    uuid = modern.server["id"]
    message = (
        "Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures "
        f"for instance {uuid}."
    )
    assert modern.server["fault"] == {"code": 500, "message": message, "created": modern.server["fault"]["created"]}
    assert [(a.number, a.host, a.result) for a in modern.attempts] == [
        (1, "compute4", "rescheduled"),
        (2, None, "error"),
    ]
    # Icehouse: RetryFilter leaves no host, and the scheduler gives NoValidHost with no reason.
    classic = run(catalog, "port-binding-failed", availability_zone="az2")
    assert path(classic)[-2:] == [(12, 1, "rescheduled"), (4, 2, "failed")]
    assert classic.server is not None and classic.server["fault"]["message"] == "No valid host was found. "
    logs = [(line.service.value, line.level, line.text) for line in classic.steps[-1].logs]
    assert logs[1][:2] == ("nova-scheduler", "ERROR") and logs[1][2].startswith("Error from last host: compute4")
    assert logs[-2:] == [  # NoValidHost inside schedule_run_instance's loop: handle_schedule_error
        ("nova-scheduler", "INFO", "Filter AvailabilityZoneFilter returned 0 hosts"),
        ("nova-scheduler", "WARNING", "Setting instance to ERROR state."),
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
        last_failure="boom", last_exception="NovaException",
    )  # fmt: skip
    state, result = Schedule().run(state)
    assert result.status is StepStatus.FAILED
    assert state.instance is not None and state.instance.fault is not None
    # Icehouse's _populate_retry: NoValidHost, with no "Last exception" (that came with the conductor's check).
    assert state.instance.fault.message == (
        "No valid host was found. Exceeded max scheduling attempts 2 for instance u1"
    )
    assert [(line.level, line.text) for line in result.logs][1:] == [
        ("ERROR", "Error from last host: compute4 (node compute4): ['Traceback (most recent call last):\\n', …, "
                  "'NovaException: boom\\n']"),
        ("WARNING", "Failed to scheduler_run_instance: No valid host was found. Exceeded max scheduling attempts 2 "
                    "for instance u1"),
        ("WARNING", "Setting instance to ERROR state."),
    ]  # fmt: skip


def test_volume_attach_failed_aborts_without_rescheduling(catalog: Catalog) -> None:
    trace = run(catalog, "volume-attach-failed", image=None, boot_volume=BOOT_VOLUME)
    assert path(trace)[-1] == (11, 1, "failed")
    assert all(step.attempt == 1 for step in trace.steps)
    failed = trace.steps[-1]
    assert trace.server is not None
    # Icehouse: a bare InvalidBDM, not wrapped in BuildAbortException; the network alone is freed.
    assert trace.server["fault"]["message"] == "Block Device Mapping is Invalid."
    assert [h.call for h in failed.handoffs][:2] == ["instance_update", "POST /v1/{tenant_id}/volumes/{id}/action"]
    assert failed.handoffs[1].payload["body"] == {
        "os-initialize_connection": {
            "connector": {"host": "compute1", "initiator": "iqn.2004-10.com.ubuntu:01:compute1"}
        }
    }
    assert not any("detached" in line for line in failed.cleanup)
    assert [(line.level, line.text) for line in failed.logs] == [("ERROR", "Instance failed block device setup")]
    assert trace.attempts == (Attempt(1, "compute1", "error", "Block Device Mapping is Invalid."),)


def test_volume_attach_failed_today_aborts_with_cinders_text(catalog: Catalog) -> None:
    trace = run(catalog, "volume-attach-failed", image=None, boot_volume=BOOT_VOLUME, flow="modern")
    failed = trace.steps[-1]
    assert trace.server is not None
    uuid = trace.server["id"]
    fault = trace.server["fault"]["message"]
    assert fault.startswith(
        f"Build of instance {uuid} aborted: The server has either erred or is incapable of performing the "
        "requested operation. (HTTP 500) (Request-ID: req-"
    )
    # InvalidBDM becomes BuildAbortException; "Failure prepping block device" is not logged on this path,
    # and _do_build_and_run_instance logs the abort itself (LOG.error(e.format_message())).
    assert [(line.level, line.text) for line in failed.logs] == [
        ("ERROR", "Instance failed block device setup"),
        ("ERROR", fault),
    ]
    assert failed.cleanup[1] == f"volume {BOOT_VOLUME} detached"
    assert "DELETE /v3/{project_id}/attachments/{id}" in [h.call for h in failed.handoffs]


def test_quota_trims_max_count_then_no_host_means_no_instance_is_built(catalog: Catalog) -> None:
    trace = run(catalog, max_count=3, flavor="m1.xlarge", flow="modern")  # 8 vCPUs, 16384 MB each; 20 cores
    assert "nova-api records 2 build requests" in trace.steps[2].detail
    assert trace.steps[3].status is StepStatus.FAILED
    assert trace.outcome is Outcome.ERROR
    assert [(s["name"], s["status"], s["host"]) for s in trace.servers] == [
        ("demo-vm-1", "ERROR", None), ("demo-vm-2", "ERROR", None),
    ]  # fmt: skip
    # _ensure_sufficient_hosts: a host for demo-vm-1 but none for demo-vm-2, so the claim is given back and
    # the whole request fails with its reason (nova/scheduler/manager.py at 00a0304)
    assert trace.error_line() == (
        "demo-vm-1, demo-vm-2 went to ERROR: No valid host was found. There are not enough hosts available. "
        "(nova boot had answered 202; the fault shows in nova show)"
    )
    schedule = trace.steps[3]
    claims = [(h.call, h.payload.get("status"), h.summary.split(" for ")[1][:9]) for h in schedule.handoffs
              if h.call.endswith("/allocations/{uuid}")]  # fmt: skip
    assert [h.summary[:9] for h in schedule.handoffs if h.payload.get("status") == 409] == ["refused: "]
    # candidates were asked for once; demo-vm-2's claim on compute1, the only one, is refused, then given up
    assert claims == [
        ("PUT /allocations/{uuid}", 204, "demo-vm-1"),
        ("PUT /allocations/{uuid}", 409, "demo-vm-2"),
        ("DELETE /allocations/{uuid}", 204, "demo-vm-1"),
    ]
    verdict = next(v for v in schedule.placements[1].filter_results if v.host == "compute1")
    assert verdict.reason.startswith("a candidate, but the claim is refused (409): MEMORY_MB 16384 MB asked")
    assert "There are 1 hosts available but 2 instances requested to build." in [
        line.text for line in trace.steps[3].logs
    ]
    assert trace.steps[3].detail.startswith("Room for 1 of the 2 instances: the scheduler claimed them one by one")


def test_icehouse_builds_the_instances_it_placed_and_errors_the_rest(catalog: Catalog) -> None:
    trace = run(catalog, max_count=3, flavor="m1.xlarge")
    assert "The quota leaves room for 2 of the 3 asked for" in trace.steps[2].detail
    schedule = trace.steps[3]
    # compute1 has 20480 MB usable: one xlarge; then nothing has 16384 MB usable.
    assert [p.selected_host for p in schedule.placements] == ["compute1", None]
    assert schedule.status is StepStatus.OK
    first, second = (server["id"] for server in trace.servers)
    # multi_instance_display_name_template '%(name)s-%(uuid)s' (2014.1); '-1', '-2' came later.
    assert [(s["name"], s["status"], s["host"]) for s in trace.servers] == [
        (f"demo-vm-{first}", "ACTIVE", "compute1"), (f"demo-vm-{second}", "ERROR", None),
    ]  # fmt: skip
    assert f"No host is left for demo-vm-{second}: Icehouse writes it to ERROR" in schedule.detail
    # _schedule filters for both instances before schedule_run_instance's loop chooses, then errors the second
    assert [line.text for line in schedule.logs][-3:] == [
        "Filter RamFilter returned 0 hosts",
        f"Choosing host WeighedHost [host: compute1, weight: 0.0] for instance {first}",
        "Setting instance to ERROR state.",
    ]
    assert trace.outcome is Outcome.ERROR


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


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_several_instances_end_active_on_their_hosts(catalog: Catalog, flow: str) -> None:
    trace = run(catalog, max_count=2, flavor="m1.large", flow=flow)
    assert trace.outcome is Outcome.ACTIVE
    first, second = (server["id"] for server in trace.servers)
    names = [f"demo-vm-{first}", f"demo-vm-{second}"] if flow == "classic" else ["demo-vm-1", "demo-vm-2"]
    assert [(s["name"], s["status"], s["host"]) for s in trace.servers] == [
        (names[0], "ACTIVE", "compute1"), (names[1], "ACTIVE", "compute4"),
    ]  # fmt: skip
    assert all(s["networks"]["private"] for s in trace.servers)
    assert trace.servers[0]["networks"] != trace.servers[1]["networks"]


WEB_HA = "2c4e6a8b-0d2f-4a6c-8e0b-2d4f6a8c0e1a"


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_group_hint_keeps_anti_affinity(catalog: Catalog, flow: str) -> None:
    trace = run(catalog, hints={"group": WEB_HA}, flow=flow)
    scheduling = trace.steps[3].scheduling
    assert scheduling is not None
    assert {host for host in ("compute1", "compute2") if scheduling.removed_by(host)} == {"compute1", "compute2"}
    assert scheduling.selected_host == "compute4"


def test_a_group_named_not_by_uuid_fails_as_each_release_did(catalog: Catalog) -> None:
    modern = run(catalog, hints={"group": "web-ha"}, flow="modern")
    assert modern.error_line() == (
        "ERROR (BadRequest): Invalid input for field/attribute group. Value: web-ha. 'web-ha' is not valid under "
        "any of the given schemas (HTTP 400)"
    )
    assert [h.call for h in modern.steps[2].handoffs][-2:] == ["POST /v2.1/servers", "400 BadRequest"]
    assert [h.work.value for h in modern.steps[2].handoffs[:-2] if h.work] == ["lookup"] * 4
    # 2014.1: nova-api makes a 'legacy' group by that name; the scheduler looks the hint up as a UUID.
    classic = run(catalog, hints={"group": "web-ha"})
    assert "INSERT INTO instance_groups" in [h.call for h in classic.steps[2].handoffs]
    assert path(classic)[-1] == (4, 1, "failed")
    assert classic.server is not None
    assert classic.server["fault"]["message"] == "Instance group web-ha could not be found."
    assert [line.text for line in classic.steps[3].logs][1:] == [
        "Failed to scheduler_run_instance: Instance group web-ha could not be found.",
        "Setting instance to ERROR state.",
    ]
    assert classic.error_line() == (
        "demo-vm went to ERROR: Instance group web-ha could not be found. "
        "(nova boot had answered 202; the fault shows in nova show)"
    )


def test_unknown_group_is_refused_by_nova_api_as_each_release_did(catalog: Catalog) -> None:
    missing = "0e0e0e0e-1111-4222-8333-444444444444"
    modern = run(catalog, hints={"group": missing}, flow="modern")
    assert modern.error_line() == f"ERROR (BadRequest): Instance group {missing} could not be found. (HTTP 400)"
    assert modern.steps[2].detail.startswith("nova-api refused the request: no instance was created")
    # 2014.1's controller did not catch InstanceGroupNotFound: FaultWrapper hid it behind a bare 404,
    # after _provision_instances had written the instance records.
    classic = run(catalog, hints={"group": missing})
    assert classic.error_line() == "ERROR (NotFound): The resource could not be found. (HTTP 404)"
    assert classic.steps[2].detail.startswith(
        "nova-api refused the request after writing the instance records, which stay (building, scheduling)"
    )
    assert classic.steps[2].handoffs[-1].payload["body"] == {
        "itemNotFound": {"code": 404, "message": "The resource could not be found."}
    }


WEB_1 = "5d7f9b1c-3e5a-4c7e-9a1b-3d5f7a9c1e30"
DB_1 = "9b1d3f5a-7c9e-4a1c-8e5f-7b9d1f3a5c74"


def test_a_hint_no_enabled_filter_reads_is_called_out(catalog: Catalog) -> None:
    trace = run(catalog, hints={"same_host": WEB_1})
    assert trace.steps[3].scheduling is not None and trace.steps[3].scheduling.selected_host == "compute1"
    assert "No enabled filter reads the hint same_host, so nova ignores it" in trace.steps[3].detail
    enabled = replace(
        catalog,
        scheduler=replace(catalog.scheduler, enabled_filters=(*CLASSIC_FILTERS, "SameHostFilter")),
    )
    trace = run(enabled, hints={"same_host": DB_1})
    assert trace.steps[3].scheduling is not None and trace.steps[3].scheduling.selected_host == "compute2"
    # Matched by UUID: a name matches no instance, so SameHostFilter removes every host.
    trace = run(enabled, hints={"same_host": "db-1"})
    assert trace.steps[3].status is StepStatus.FAILED


def test_availability_zone_narrows_the_hosts(catalog: Catalog) -> None:
    trace = run(catalog, availability_zone="az2")
    assert trace.server is not None
    assert (trace.servers[0]["host"], trace.server["OS-EXT-AZ:availability_zone"]) == ("compute4", "az2")


def test_fixed_ip_with_several_instances_is_refused(catalog: Catalog) -> None:
    from bootwalk.dialects.nics import parse_nics

    nics = parse_nics(("net-name=private,v4-fixed-ip=10.0.0.9",))
    trace = run(catalog, max_count=2, nics=nics, flow="modern")
    assert trace.error_line() == (
        "ERROR (BadRequest): Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip "
        "is specified. (HTTP 400)"
    )
    # Icehouse had no such check (_check_multiple_instances_with_specified_ip came later).
    assert run(catalog, max_count=2, nics=nics).steps[2].status is StepStatus.OK


@pytest.mark.parametrize(
    ("flow", "fault", "logs"),
    [
        ("classic", "Virtual Interface creation failed", [
            ("WARNING", "Timeout waiting for vif plugging callback for instance {uuid}"),
            ("ERROR", "Instance failed to spawn"),
            ("DEBUG", "Virtual Interface creation failed"),  # _build_instance, before it re-raises
        ]),
        ("modern", "Build of instance {uuid} aborted: Failed to allocate the network(s), not rescheduling.", [
            ("WARNING", "Timeout waiting for ['network-vif-plugged-{port}'] for instance with vm_state building and "
                        "task_state spawning. Event states are: network-vif-plugged-{port}: timed out after 300.00 "
                        "seconds"),
            ("ERROR", "Instance failed to spawn"),
            ("ERROR", "Failed to allocate network(s)"),
            ("ERROR", "Build of instance {uuid} aborted: Failed to allocate the network(s), not rescheduling."),
        ]),
    ],
)  # fmt: skip
def test_a_vif_plugging_timeout_ends_the_build_without_a_reschedule(
    catalog: Catalog, flow: str, fault: str, logs: list[tuple[str, str]]
) -> None:
    trace = run(catalog, "vif-plugging-timeout", flow=flow)
    assert all(step.attempt == 1 for step in trace.steps)
    failed = trace.steps[-1]
    assert (failed.name, failed.status) == ("hypervisor", StepStatus.FAILED)
    assert trace.server is not None
    uuid = trace.server["id"]
    port = next(
        h for s in trace.steps for h in s.handoffs if h.call == "201 Created" and "port" in h.payload.get("body", {})
    )
    values = {"uuid": uuid, "port": port.payload["body"]["port"]["id"]}
    assert trace.server["fault"]["message"] == fault.format(**values)
    assert [(line.level, line.text) for line in failed.logs] == [(level, text.format(**values)) for level, text in logs]
    assert [h.call for h in failed.handoffs][:1] + [h.call for h in failed.handoffs if h.channel.value == "libvirt API"] == [
        "object_action", "defineXML", "createWithFlags", "destroy", "undefine",
    ]  # fmt: skip
    assert failed.passed and failed.passed[0].task_state == "spawning"
    assert trace.steps[-1].state is not None and trace.steps[-1].state.vm_state == "error"


def test_icehouse_keeps_the_ports_after_a_vif_plugging_timeout(catalog: Catalog) -> None:
    """Icehouse re-raised VirtualInterfaceCreateException without deallocating the network; today it is freed."""
    classic = run(catalog, "vif-plugging-timeout")
    assert not any("DELETE /v2.0/ports" in h.call for h in classic.steps[-1].handoffs)
    assert [h.call for h in classic.steps[-1].handoffs if h.call == "instance_update"] == ["instance_update"] * 2
    errors = [h.payload["args"]["updates"] for h in classic.steps[-1].handoffs if h.call == "instance_update"]
    assert errors == [{"vm_state": "error"}, {"task_state": None}]  # _set_instance_error_state, reverts_task_state
    modern = run(catalog, "vif-plugging-timeout", flow="modern")
    assert any(h.call == "DELETE /v2.0/ports/{id}" for h in modern.steps[-1].handoffs)


@pytest.mark.parametrize(
    ("flow", "scenario", "max_attempts", "host_kept", "address_kept"),
    [
        # 2014.1: _set_instance_error_state writes vm_state alone; only a reschedule clears the host.
        # VirtualInterfaceCreateException is re-raised without _shutdown_instance: the port and cache stay.
        ("classic", "vif-plugging-timeout", None, True, True),
        ("classic", "spawn-failed", 1, True, False),  # _reschedule_or_error's _shutdown_instance frees the port
        # today: _nil_out_instance_obj_host_and_node, and _cleanup_allocated_networks
        ("modern", "vif-plugging-timeout", None, False, False),
        ("modern", "spawn-failed", 1, False, False),
    ],
)
def test_a_build_that_ends_in_error_on_a_host_shows_what_the_release_left(
    catalog: Catalog, flow: str, scenario: str, max_attempts: int | None, host_kept: bool, address_kept: bool
) -> None:
    trace = run(catalog, scenario, max_attempts=max_attempts, flow=flow)
    assert trace.server is not None and trace.server["status"] == "ERROR"
    assert bool(trace.server["hostId"]) is host_kept
    assert bool(trace.server["addresses"]) is address_kept
    assert [row["host"] for row in trace.servers] == (["compute1"] if host_kept else [None])
    if flow == "modern":
        saved = [h for h in trace.steps[-1].handoffs if "the build failed" in h.summary][-1]
        assert saved.payload["args"]["updates"]["host"] is None


@pytest.mark.parametrize(
    ("flow", "scenario", "max_attempts", "calls"),
    [
        # 2014.1: _reschedule_or_error records the fault before the cleanup, whether it reschedules or not;
        # a build that ends in ERROR gets it again from run_instance's @wrap_instance_fault
        ("classic", "spawn-failed", None, ["instance_fault_create", "DELETE /v2.0/ports/{id}"]),
        ("classic", "spawn-failed", 1, ["instance_fault_create", "DELETE /v2.0/ports/{id}", "instance_update",
                                        "instance_update", "instance_fault_create"]),
        ("classic", "vif-plugging-timeout", None, ["instance_update", "instance_update", "instance_fault_create"]),
        # today: no fault on a reschedule; before the error save when the build ends in ERROR
        ("modern", "spawn-failed", None, ["DELETE /v2.0/ports/{id}"]),
        ("modern", "spawn-failed", 1, ["DELETE /v2.0/ports/{id}", "object_action", "object_action"]),
    ],
)  # fmt: skip
def test_the_fault_is_recorded_where_the_release_records_it(
    catalog: Catalog, flow: str, scenario: str, max_attempts: int | None, calls: list[str]
) -> None:
    trace = run(catalog, scenario, max_attempts=max_attempts, flow=flow)
    failed = next(step for step in trace.steps if step.status in (StepStatus.RESCHEDULED, StepStatus.FAILED))
    kept = [h.call for h in failed.handoffs if h.call in ("instance_fault_create", "DELETE /v2.0/ports/{id}")
            or (h.call in ("instance_update", "object_action") and any(
                word in h.summary.lower() for word in ("fault", "build failed")))]  # fmt: skip
    assert kept == calls
    faults = [h for h in failed.handoffs if "fault" in h.summary.lower() and h.call != "DELETE /v2.0/ports/{id}"]
    assert all(h.payload["args"] for h in faults)
