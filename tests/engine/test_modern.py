"""--flow modern: nova master's calls, casts, topics and states (the fact sheet), and its failures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bootwalk.engine import resolve_request
from bootwalk.flows.classic import CLASSIC_PIPELINE
from bootwalk.flows.modern import MODERN_PIPELINE
from bootwalk.model import Catalog
from bootwalk.scenarios import SCENARIOS
from bootwalk.scheduler import PLACEMENT
from bootwalk.trace import Outcome, Trace
from tests.conftest import demo_request
from tests.walking import walk


def run(catalog: Catalog, scenario: str | None = None, **changes: object) -> Trace:
    resolved = resolve_request(demo_request(**changes), catalog)
    return walk(resolved, catalog, scenario=SCENARIOS[scenario] if scenario else None, flow="modern")


EXPECTED = [
    ("authenticate", None, None, [("client", "keystone", "REST", "POST /v3/auth/tokens")]),
    ("token", None, None, [("keystone", "client", "REST", "201 Created")]),
    ("build-request", ("building", "scheduling", 0), None, [
        ("client", "nova-api", "REST", "GET /v2.1/flavors/{flavor}"),
        ("client", "nova-api", "REST", "GET /v2.1/flavors"),
        ("client", "glance", "REST", "GET /v2/images"),
        ("client", "neutron", "REST", "GET /v2.0/networks"),
        ("client", "nova-api", "REST", "POST /v2.1/servers"),
        ("nova-api", "glance", "REST", "GET /v2/images/{id}"),
        ("nova-api", "neutron", "REST", "GET /v2.0/networks"),
        ("nova-api", "neutron", "REST", "GET /v2.0/quotas/{project_id}"),  # validate_networks' port quota, then
        ("nova-api", "neutron", "REST", "GET /v2.0/ports"),  # the project's ports (fields=id)
        ("nova-api", "API database", "database", "INSERT build_requests, request_specs, instance_mappings"),
        ("nova-api", "message queue", "RPC cast", "schedule_and_build_instances"),
        ("nova-api", "client", "REST", "202 Accepted"),
    ]),
    ("select-destinations", ("building", "scheduling", 0), None, [
        ("message queue", "nova-conductor", "RPC cast", "schedule_and_build_instances"),
        ("nova-conductor", "nova-scheduler", "RPC call", "select_destinations"),
        ("nova-scheduler", "placement", "REST", "GET /allocation_candidates"),
        ("placement", "nova-scheduler", "REST", "200 OK"),
        ("nova-scheduler", "placement", "REST", "PUT /allocations/{uuid}"),
        ("nova-scheduler", "nova-conductor", "RPC call", "reply"),
    ]),
    ("conductor-build", ("building", "scheduling", 0), None, [
        ("nova-conductor", "cell1 database", "database", "INSERT INTO instances"),
        ("nova-conductor", "cell1 database", "database", "INSERT INTO instance_actions"),
        ("nova-conductor", "API database", "database", "UPDATE instance_mappings; DELETE build_requests"),
        ("nova-conductor", "message queue", "RPC cast", "build_and_run_instance"),
    ]),
    ("compute-claim", ("building", None, 0), None, [
        ("message queue", "nova-compute", "RPC cast", "build_and_run_instance"),
        ("nova-compute", "nova-conductor", "RPC call", "object_action"),
        ("nova-compute", "placement", "REST", "GET /allocations/{uuid}"),
        ("nova-compute", "nova-conductor", "RPC call", "object_action"),
    ]),
    ("neutron", ("building", "networking", 0), None, [
        ("nova-compute", "nova-conductor", "RPC call", "object_action"),
        ("nova-compute", "neutron", "REST", "POST /v2.0/ports"),
        ("neutron", "nova-compute", "REST", "201 Created"),
        ("nova-compute", "neutron", "REST", "PUT /v2.0/ports/{id}"),
    ]),
    ("cinder", ("building", "block_device_mapping", 0), "skipped", [
        ("nova-compute", "nova-conductor", "RPC call", "object_action"),
    ]),
    ("hypervisor", ("active", None, 1), None, [
        ("nova-compute", "nova-conductor", "RPC call", "object_action"),
        ("nova-compute", "glance", "REST", "GET /v2/images/{id}/file"),
        ("glance", "nova-compute", "REST", "200 OK"),
        ("nova-compute", "hypervisor", "libvirt API", "defineXML"),
        ("nova-compute", "hypervisor", "libvirt API", "createWithFlags"),
        ("neutron", "nova-api", "REST", "POST /v2.1/os-server-external-events"),
        ("nova-api", "nova-compute", "RPC cast", "external_instance_event"),
        ("nova-compute", "hypervisor", "libvirt API", "resume"),
        ("nova-compute", "nova-conductor", "RPC call", "object_action"),
    ]),
]  # fmt: skip


def test_modern_trace_order_calls_and_states(catalog: Catalog) -> None:
    trace = run(catalog)
    assert trace.flow == "modern"
    assert [step.name for step in trace.steps] == [name for name, _s, _st, _h in EXPECTED]
    for step, (_name, state, status, handoffs) in zip(trace.steps, EXPECTED, strict=True):
        if step.number > 2:
            assert step.state is not None
            assert (step.state.vm_state, step.state.task_state, step.state.power_state) == state
        assert step.status.value == (status or "ok")
        calls = [(h.source.value, h.target.value, h.channel.value, h.call) for h in step.handoffs]
        assert calls == handoffs
        assert step.source.startswith(("nova/", "keystone")) and step.note
    assert trace.outcome is Outcome.ACTIVE


def test_modern_rpc_payloads_name_nova_masters_methods_topics_and_versions(catalog: Catalog) -> None:
    trace = run(catalog)
    casts = {h.call: h.payload for step in reversed(trace.steps) for h in reversed(step.handoffs)}
    assert (casts["schedule_and_build_instances"]["topic"], casts["schedule_and_build_instances"]["version"]) == (
        "conductor",
        "1.17",
    )
    assert casts["schedule_and_build_instances"]["namespace"] == "compute_task"
    select = casts["select_destinations"]
    assert (select["topic"], select["version"], select["args"]["return_alternates"]) == ("scheduler", "4.5", True)
    build = next(h for s in trace.steps for h in s.handoffs if h.call == "build_and_run_instance").payload
    assert (build["topic"], build["version"]) == ("compute.compute1", "6.0")
    assert build["args"]["host_list"] == ["compute2", "compute4"]  # the conductor popped the selected host
    candidates = casts["GET /allocation_candidates"]
    # owner_nova_filter adds OWNER_NOVA once every compute is at service version 73 (a fresh master cloud)
    assert (
        "resources=VCPU:1,MEMORY_MB:512,DISK_GB:1&root_required=OWNER_NOVA,!COMPUTE_STATUS_DISABLED"
        in (candidates["url"])
    )
    claim = casts["PUT /allocations/{uuid}"]
    (provider,) = claim["body"]["allocations"]
    assert provider != "compute1" and len(provider) == 36  # keyed by the resource provider's UUID
    assert set(claim["body"]) == {"allocations", "consumer_generation", "project_id", "user_id"}
    assert claim["headers"] == {"OpenStack-API-Version": "placement 1.36"}
    accepted = casts["202 Accepted"]["body"]["server"]["links"]
    assert [link["rel"] for link in accepted] == ["self", "bookmark"]
    assert candidates["headers"] == {"OpenStack-API-Version": "placement 1.36"}


def test_both_flows_boot_the_same_request_to_the_same_server(catalog: Catalog) -> None:
    classic = walk(resolve_request(demo_request(), catalog), catalog)
    modern = run(catalog)
    assert classic.server is not None and modern.server is not None
    assert modern.servers == classic.servers
    # the same server, each answered at its release's microversion: 2.0 to Icehouse, 2.96 today
    shared = set(classic.server) & set(modern.server) - {"flavor", "image"}
    # the image by ID, linked at each release's bookmark: Icehouse's URL holds the tenant
    assert classic.server["image"]["links"][0]["href"].startswith("http://controller:8774/45eb6061")
    assert (
        modern.server["image"]["links"][0]["href"] == f"http://controller/compute/images/{modern.server['image']['id']}"
    )
    assert classic.server["image"]["id"] == modern.server["image"]["id"] and "name" not in modern.server["image"]
    assert {key: modern.server[key] for key in shared} == {key: classic.server[key] for key in shared}
    assert set(modern.server) - set(classic.server) == {
        "OS-EXT-SRV-ATTR:hostname", "description", "locked", "locked_reason", "pinned_availability_zone",
        "server_groups", "tags", "trusted_image_certificates",
    }  # fmt: skip
    assert classic.server["flavor"]["id"] == "1" and modern.server["flavor"]["original_name"] == "m1.tiny"


def test_modern_runs_placement_then_the_five_default_filters(catalog: Catalog) -> None:
    scheduling = run(catalog).steps[3].scheduling
    assert scheduling is not None
    assert scheduling.filters == (
        PLACEMENT, "ComputeFilter", "ComputeCapabilitiesFilter", "ImagePropertiesFilter",
        "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter",
    )  # fmt: skip
    removed = scheduling.removed_by("compute3")
    assert removed is not None and removed.filter == PLACEMENT
    assert removed.reason == "disabled: trait COMPUTE_STATUS_DISABLED is forbidden"
    assert {part.weigher for part in scheduling.weights[0].parts} == {"RAMWeigher", "CPUWeigher", "DiskWeigher"}
    assert scheduling.alternates == ("compute2", "compute4")


def test_a_configured_filter_list_is_honoured_whatever_it_holds(catalog: Catalog) -> None:
    from bootwalk.model import CLASSIC_FILTERS, CLASSIC_WEIGHERS

    configured = replace(
        catalog, scheduler=replace(catalog.scheduler, enabled_filters=CLASSIC_FILTERS, weighers=CLASSIC_WEIGHERS)
    )
    scheduling = run(configured).steps[3].scheduling
    assert scheduling is not None
    assert scheduling.filters == (PLACEMENT, *CLASSIC_FILTERS)
    assert {part.weigher for part in scheduling.weights[0].parts} == {"RAMWeigher"}


def test_no_candidate_in_placement_is_no_valid_host_with_an_empty_reason(catalog: Catalog) -> None:
    trace = run(catalog, flavor="m1.xlarge", availability_zone="az2")  # 16384 MB; compute4 has 12288
    step = trace.steps[3]
    assert step.status.value == "failed"
    assert trace.server is not None
    assert trace.server["fault"]["message"] == "No valid host was found. "
    assert (step.logs[0].level, step.logs[0].text) == (
        "INFO",
        "Got no allocation candidates from the Placement API. This could be due to insufficient resources or a "
        "temporary occurrence as compute nodes start up.",
    )
    assert [(h.target.value, h.call) for h in step.handoffs][-3:] == [
        ("nova-conductor", "NoValidHost"),
        ("cell0 database", "INSERT INTO instances"),
        ("API database", "UPDATE instance_mappings; DELETE build_requests"),
    ]


def test_compute_down_buries_the_instance_in_cell0_with_the_failed_event(catalog: Catalog) -> None:
    trace = run(catalog, "compute-down")
    step = trace.steps[-1]
    assert step.name == "select-destinations" and step.status.value == "failed"
    bury = next(h for h in step.handoffs if h.target.value == "cell0 database")
    assert bury.payload["instance_actions_events"] == {
        "event": "conductor_schedule_and_build_instances",
        "result": "Error",
    }
    assert trace.server is not None
    assert trace.server["fault"]["message"] == "No valid host was found. There are not enough hosts available."
    texts = [line.text for line in step.logs]
    # ComputeFilter's WARNING for each host that has not reported in: compute-down's key line
    assert (step.logs[0].level, texts[0]) == (
        "WARNING",
        "(compute1, compute1) ram: 12288MB disk: 163840MB io_ops: 0 instances: 1, allocation_candidates: 1 "
        "has not been heard from in a while",
    )
    assert texts[3] == "Filter ComputeFilter returned 0 hosts"
    assert "'ComputeFilter: (start: 3, end: 0)'" in texts[4] and "placement" not in texts[4]
    assert texts[-3:] == [
        "Failed to schedule instances",
        "Failed to compute_task_build_instances: No valid host was found. There are not enough hosts available.",
        "Setting instance to ERROR state.",
    ]


@pytest.mark.parametrize("scenario", ["port-binding-failed", "spawn-failed"])
def test_a_reschedule_takes_the_next_alternate_without_the_scheduler(catalog: Catalog, scenario: str) -> None:
    trace = run(catalog, scenario)
    failing = 9  # a binding failure surfaces in spawn too, when the guest's interfaces are built
    path = [(s.number, s.attempt, s.status.value) for s in trace.steps]
    assert (failing, 1, "rescheduled") in path
    assert path[path.index((failing, 1, "rescheduled")) + 1] == (5, 2, "ok")
    assert all(s.name != "select-destinations" for s in trace.steps if s.attempt == 2)
    failed = trace.steps[path.index((failing, 1, "rescheduled"))]
    # _do_build_and_run_instance: save (host and node None, scheduling), then the claim back, then the cast
    assert [h.call for h in failed.handoffs][-3:] == ["object_action", "DELETE /allocations/{uuid}", "build_instances"]
    assert failed.handoffs[-3].payload["args"]["updates"]["task_state"] == "scheduling"
    again = trace.steps[path.index((5, 2, "ok"))]
    assert [h.call for h in again.handoffs] == ["build_instances", "PUT /allocations/{uuid}", "build_and_run_instance"]
    assert [(a.number, a.host, a.result) for a in trace.attempts] == [
        (1, "compute1", "rescheduled"),
        (2, "compute2", "active"),
    ]
    assert trace.outcome is Outcome.ACTIVE


def test_no_alternate_left_is_max_retries_exceeded(catalog: Catalog) -> None:
    trace = run(catalog, "port-binding-failed", availability_zone="az2")
    assert trace.server is not None
    assert trace.server["fault"]["message"] == (
        f"Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for "
        f"instance {trace.server['id']}."
    )
    assert trace.steps[-1].name == "conductor-build"


def test_volume_attach_failure_frees_the_allocation_in_placement(catalog: Catalog) -> None:
    trace = run(catalog, "volume-attach-failed", image=None, boot_volume="8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7")
    failed = trace.steps[-1]
    assert "DELETE /allocations/{uuid}" in [h.call for h in failed.handoffs]
    assert failed.cleanup[-1].startswith("allocation of ")


def test_modern_with_max_attempts_1_returns_no_alternate(catalog: Catalog) -> None:
    one = replace(catalog, scheduler=replace(catalog.scheduler, max_attempts=1))
    trace = walk(resolve_request(demo_request(), one), one, scenario=SCENARIOS["spawn-failed"], flow="modern")
    assert trace.steps[3].scheduling is not None and trace.steps[3].scheduling.alternates == ()
    assert trace.outcome is Outcome.ERROR
    assert trace.steps[-1].logs[-1].text == "Retry info not present, will not reschedule"


def test_the_flows_have_their_own_numbering() -> None:
    assert len(CLASSIC_PIPELINE) == 12 and len(MODERN_PIPELINE) == 9
    assert {step.name for step in MODERN_PIPELINE} >= {"build-request", "select-destinations", "conductor-build"}
