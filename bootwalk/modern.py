"""Today's nova (master): the boot as ``--flow modern`` walks it.

nova-api records a build request, nova-conductor asks the scheduler for
destinations (an RPC call), the scheduler asks placement for candidates,
filters and weighs them and claims the winner in placement, and the
conductor creates the instance in the cell database and casts
``build_and_run_instance`` to the host with its alternates. nova-compute
then sets up networking, block devices and the guest (the image is
downloaded inside spawn). The calls, casts, topics and states follow the
fact sheet, read from nova master (``nova/compute/api.py``,
``nova/conductor/manager.py``, ``nova/scheduler/manager.py``,
``nova/compute/manager.py``).
"""

from __future__ import annotations

from dataclasses import replace

from bootwalk.engine import Instance, StepResult, WalkState, boot_volume, need_host, need_instance, with_instance
from bootwalk.model import MODERN_FILTERS, MODERN_WEIGHERS, HostInstance, SchedulerConfig
from bootwalk.scheduler import PLACEMENT, place_with_placement, requested_resources
from bootwalk.steps import (
    ENDPOINTS,
    AllocateNetwork,
    AttachVolumes,
    Authenticate,
    IssueToken,
    Spawn,
    _count_instances,
    _flavor_dict,
    _ignored_hints,
    _request_spec,
    _requested_networks,
    _scheduler_logs,
    accepted,
    api_front,
    create_instances,
)
from bootwalk.trace import ApiError, Attempt, Channel, Fault, Handoff, LogLine, Scheduling, Service, StepStatus

#: The log line nova's scheduler writes when placement has no candidate (``scheduler/manager.py``).
NO_CANDIDATES_LOG = (
    "Got no allocation candidates from the Placement API. This could be due to insufficient resources "
    "or a temporary occurrence as compute nodes start up."
)


def modern_config(state: WalkState) -> SchedulerConfig:
    """Today's filters and weighers, unless the walk was given its own filters; max_attempts from the cloud."""
    configured = state.catalog.scheduler
    filters = MODERN_FILTERS if configured.enabled_filters == SchedulerConfig().enabled_filters else None
    return SchedulerConfig(
        enabled_filters=filters or configured.enabled_filters,
        weighers=MODERN_WEIGHERS,
        max_attempts=configured.max_attempts,
    )


def _volume_backed(state: WalkState) -> bool:
    return boot_volume(state) is not None


class BuildRequest:
    """nova-api checks the request and records a build request in the API database."""

    name = "build-request"
    title = "nova-api checks the request, records a build request and casts to nova-conductor"
    service = Service.NOVA_API
    source = "nova/compute/api.py API._provision_instances, _create_reqspec_buildreq_instmapping"
    note = (
        "No instance row yet: nova-api writes a BuildRequest, a RequestSpec and an InstanceMapping "
        "(cell not yet known) to the API database in one transaction, then casts "
        "schedule_and_build_instances to the superconductor. Since Ocata (cells v2) the instance "
        "row is written in a cell database only once a host is chosen."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        resolved = state.resolved
        image = resolved.image
        state, handoffs, refused, count = api_front(state)
        if refused is not None:
            return state, refused
        state, instances = create_instances(state, count)
        uuids = [instance.uuid for instance in instances]
        handoffs.append(Handoff(
            Service.NOVA_API, Service.API_DATABASE, Channel.DATABASE,
            "INSERT build_requests, request_specs, instance_mappings",
            f"{_count_instances(count)} as build requests (building / scheduling), their request spec, "
            "and instance mappings with no cell yet",
            {"tables": ["build_requests", "request_specs", "instance_mappings"],
             "values": {"instance_uuids": uuids, "vm_state": "building", "task_state": "scheduling",
                        "power_state": 0, "cell_id": None}},
        ))  # fmt: skip
        handoffs.append(Handoff(
            Service.NOVA_API, Service.QUEUE, Channel.RPC_CAST, "schedule_and_build_instances",
            f"the build requests and request specs of {_count_instances(count)}, for topic conductor",
            {"exchange": "nova", "topic": "conductor", "namespace": "compute_task", "version": "1.17",
             "method": "schedule_and_build_instances",
             "args": {"build_requests": uuids, "request_specs": uuids,
                      "image": {"id": image.id} if image else {},
                      "requested_networks": _requested_networks(resolved.nics)}},
        ))  # fmt: skip
        handoffs.append(accepted(state, uuids[0]))
        detail = ""
        if count > 1:
            detail = (
                f"nova-api records {count} build requests ({instances[0].name} to {instances[-1].name}); "
                f"the walk follows {instances[0].name}."
            )
        return state, StepResult(tuple(handoffs), detail=detail)


class SelectDestinations:
    """nova-conductor asks nova-scheduler for hosts; the scheduler asks placement, filters, weighs, claims."""

    name = "select-destinations"
    title = "nova-conductor calls nova-scheduler, which asks placement, filters, weighs and claims"
    service = Service.NOVA_SCHEDULER
    source = (
        "nova/conductor/manager.py ComputeTaskManager.schedule_and_build_instances; "
        "nova/scheduler/manager.py SchedulerManager.select_destinations, _schedule"
    )
    note = (
        "select_destinations is an RPC call (it waits, up to long_rpc_timeout, 1800 s). Placement "
        "answers GET /allocation_candidates with the hosts that have room (RAM, vCPU and disk after "
        "allocation ratios), skipping disabled ones (trait COMPUTE_STATUS_DISABLED) and, for a zone, "
        "those outside its aggregate; only then do the filters run, on those candidates. The "
        "scheduler claims the winner with PUT /allocations/{uuid} and returns it with up to "
        "max_attempts - 1 alternates. The walk places each instance on the host states left by the "
        "claims before it."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        instance = need_instance(state)
        instances = (instance, *state.others)
        flavor = state.resolved.flavor
        resources = requested_resources(flavor, _volume_backed(state))
        query = ",".join(f"{name}:{amount}" for name, amount in resources.items())
        zone = state.resolved.request.availability_zone
        config = modern_config(state)
        placements, after = place_with_placement(
            state.hosts, _request_spec(state), config,
            tuple(HostInstance(i.uuid, i.name) for i in instances), _volume_backed(state),
        )  # fmt: skip
        first = placements[0]
        candidates = [v.host for v in first.filter_results if v.filter == PLACEMENT and v.passed]
        handoffs: list[Handoff] = [
            Handoff(
                Service.QUEUE, Service.NOVA_CONDUCTOR, Channel.RPC_CAST, "schedule_and_build_instances",
                "the build requests, taken off topic conductor",
                {"exchange": "nova", "topic": "conductor", "method": "schedule_and_build_instances"},
            ),
            Handoff(
                Service.NOVA_CONDUCTOR, Service.NOVA_SCHEDULER, Channel.RPC_CALL, "select_destinations",
                f"the request spec for {_count_instances(len(instances))}, return_alternates=True; "
                "the conductor waits for the answer",
                {"topic": "scheduler", "version": "4.5", "method": "select_destinations",
                 "args": {"instance_uuids": [i.uuid for i in instances], "return_alternates": True,
                          "spec_obj": {"flavor": _flavor_dict(state), "num_instances": len(instances),
                                       "availability_zone": zone,
                                       "scheduler_hints": dict(state.resolved.request.hints)}}},
            ),
            Handoff(
                Service.NOVA_SCHEDULER, Service.PLACEMENT, Channel.REST, "GET /allocation_candidates",
                f"resources={query}, root_required=!COMPUTE_STATUS_DISABLED"
                + (f", member_of the aggregate of zone {zone}" if zone else ""),
                {"method": "GET", "url": f"{ENDPOINTS['placement']}/allocation_candidates?limit=1000"
                 f"&resources={query}&root_required=!COMPUTE_STATUS_DISABLED",
                 "headers": {"OpenStack-API-Version": "placement 1.36"}},
            ),
            Handoff(
                Service.PLACEMENT, Service.NOVA_SCHEDULER, Channel.REST, "200 OK",
                f"{len(candidates)} allocation candidate(s)" + (f": {', '.join(candidates)}" if candidates else ""),
                {"status": 200, "body": {"allocation_requests": len(candidates),
                                         "provider_summaries": candidates}},
            ),
        ]  # fmt: skip
        if placements[-1].selected_host is None:
            return bury_in_cell0(state, handoffs, placements, instances)
        for placement in placements:
            handoffs.append(Handoff(
                Service.NOVA_SCHEDULER, Service.PLACEMENT, Channel.REST, "PUT /allocations/{uuid}",
                f"claim {query} on {placement.selected_host} for {placement.instance_name}",
                {"method": "PUT", "url": f"{ENDPOINTS['placement']}/allocations/{placement.instance_uuid}",
                 "headers": {"OpenStack-API-Version": "placement 1.36"}, "status": 204,
                 "body": {"allocations": {placement.selected_host: {"resources": dict(resources)}},
                          "consumer_generation": None}},
            ))  # fmt: skip
        handoffs.append(Handoff(
            Service.NOVA_SCHEDULER, Service.NOVA_CONDUCTOR, Channel.RPC_CALL, "reply",
            "; ".join(f"{p.instance_name}: {p.selected_host}" + (f" (alternates {', '.join(p.alternates)})"
                                                                  if p.alternates else "")
                      for p in placements),
            {"result": [[p.selected_host, *p.alternates] for p in placements]},
        ))  # fmt: skip
        selected = next(host for host in after if host.name == first.selected_host)
        others = tuple(
            replace(other, host=placement.selected_host)
            for other, placement in zip(state.others, placements[1:], strict=True)
        )
        state = replace(
            state, scheduling=first, selected_host=selected, hosts=after, others=others, alternates=first.alternates
        )
        detail = (
            f"{first.selected_host} wins among placement's candidates: it passed every filter and weighs "
            "the most; its resources are claimed in placement before the scheduler answers."
        )
        ignored = _ignored_hints(state)
        return state, StepResult(
            tuple(handoffs), detail=f"{detail} {ignored}".strip(), scheduling=first, placements=placements,
        )  # fmt: skip


def bury_in_cell0(
    state: WalkState, handoffs: list[Handoff], placements: tuple[Scheduling, ...], instances: tuple[Instance, ...]
) -> tuple[WalkState, StepResult]:
    """NoValidHost: the conductor creates every instance in cell0, in ERROR, with the fault."""
    failed = placements[-1]
    candidates = [v for v in failed.filter_results if v.filter == PLACEMENT and v.passed]
    reason = "There are not enough hosts available." if candidates else ""
    message = f"No valid host was found. {reason}"
    fault = Fault(message=message, code=500)
    state = with_instance(state, vm_state="error", task_state=None, fault=fault)
    state = replace(
        state,
        others=tuple(replace(other, vm_state="error", task_state=None, fault=fault) for other in state.others),
        scheduling=placements[0],
        error=ApiError("NoValidHost", message, None),
        attempts=(*state.attempts, Attempt(state.attempt, None, "error", message)),
    )
    uuids = [instance.uuid for instance in instances]
    handoffs.extend([
        Handoff(
            Service.NOVA_SCHEDULER, Service.NOVA_CONDUCTOR, Channel.RPC_CALL, "NoValidHost",
            message, {"exception": "NoValidHost", "message": message},
        ),
        Handoff(
            Service.NOVA_CONDUCTOR, Service.CELL0_DATABASE, Channel.DATABASE, "INSERT INTO instances",
            f"{_count_instances(len(instances))} buried in cell0: vm_state error, task_state None, the fault, "
            "and event conductor_schedule_and_build_instances: Error",
            {"tables": ["instances", "instance_faults", "instance_actions", "instance_actions_events"],
             "values": {"instance_uuids": uuids, "vm_state": "error", "task_state": None},
             "instance_faults": {"code": 500, "message": message},
             "instance_actions_events": {"event": "conductor_schedule_and_build_instances", "result": "Error"}},
        ),
        Handoff(
            Service.NOVA_CONDUCTOR, Service.API_DATABASE, Channel.DATABASE,
            "UPDATE instance_mappings; DELETE build_requests",
            "the instance mappings point at cell0, the build requests are gone",
            {"instance_mappings": {"cell": "cell0"}, "build_requests": "deleted"},
        ),
    ])  # fmt: skip
    logs: list[LogLine] = []
    if not candidates:
        logs.append(LogLine(Service.NOVA_SCHEDULER, "INFO", NO_CANDIDATES_LOG))
    else:
        logs.extend(_scheduler_logs(failed.instance_uuid, failed))
    logs.extend([
        LogLine(Service.NOVA_CONDUCTOR, "ERROR", "Failed to schedule instances"),
        LogLine(Service.NOVA_CONDUCTOR, "WARNING", f"Failed to compute_task_build_instances: {message}"),
        LogLine(Service.NOVA_CONDUCTOR, "WARNING", "Setting instance to ERROR state."),
    ])  # fmt: skip
    why = (
        "Placement has no candidate with room for the request, so the filters never run: the reason is "
        "empty, as nova's is."
        if not candidates
        else "The filters removed every candidate placement returned."
    )
    return state, StepResult(
        tuple(handoffs), StepStatus.FAILED,
        f"{why} nova-conductor buries the instance in cell0, in ERROR, and records the failed event. "
        "nova-api had answered 202, so only nova show (or openstack server event list) tells.",
        scheduling=placements[0], placements=placements, logs=tuple(logs),
    )  # fmt: skip


class ConductorBuild:
    """nova-conductor creates the instance in its cell and casts the build to the host."""

    name = "conductor-build"
    title = "nova-conductor creates the instance in the cell database and casts the build to the host"
    service = Service.NOVA_CONDUCTOR
    source = (
        "nova/conductor/manager.py ComputeTaskManager.schedule_and_build_instances, build_instances; "
        "nova/compute/rpcapi.py build_and_run_instance"
    )
    note = (
        "The conductor maps the host to its cell (HostMapping), writes the instance there with the "
        "host's zone, rechecks the quota, starts the 'create' action, maps the instance to the cell "
        "and deletes the build request. On a reschedule nova-compute casts build_instances back, and "
        "the conductor claims the next alternate in placement without asking the scheduler again."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        if state.attempt > 1:
            return self._alternate(state)
        instance, host = need_instance(state), need_host(state)
        instances = (instance, *state.others)
        handoffs = [
            Handoff(
                Service.NOVA_CONDUCTOR, Service.CELL_DATABASE, Channel.DATABASE, "INSERT INTO instances",
                f"{_count_instances(len(instances))} in cell1, availability zone {host.availability_zone}: "
                "building / scheduling",
                {"table": "instances", "values": {"uuids": [i.uuid for i in instances], "vm_state": "building",
                                                  "task_state": "scheduling", "availability_zone":
                                                  host.availability_zone}},
            ),
            Handoff(
                Service.NOVA_CONDUCTOR, Service.CELL_DATABASE, Channel.DATABASE, "INSERT INTO instance_actions",
                "action create (openstack server event list shows it)",
                {"table": "instance_actions", "values": {"action": "create", "instance_uuid": instance.uuid}},
            ),
            Handoff(
                Service.NOVA_CONDUCTOR, Service.API_DATABASE, Channel.DATABASE,
                "UPDATE instance_mappings; DELETE build_requests",
                "the instance mappings point at cell1, the build requests are gone",
                {"instance_mappings": {"cell": "cell1"}, "build_requests": "deleted"},
            ),
        ]  # fmt: skip
        handoffs.append(_cast_build(state, instance, host.name, state.alternates))
        return state, StepResult(tuple(handoffs))

    def _alternate(self, state: WalkState) -> tuple[WalkState, StepResult]:
        """A reschedule: the next alternate, claimed in placement, or MaxRetriesExceeded."""
        from bootwalk.steps import _retries_exceeded

        instance = need_instance(state)
        config = modern_config(state)
        handoffs: tuple[Handoff, ...] = (
            Handoff(
                Service.QUEUE, Service.NOVA_CONDUCTOR, Channel.RPC_CAST, "build_instances",
                f"attempt {state.attempt} for {instance.name}; alternates left: "
                f"{', '.join(state.alternates) or 'none'}",
                {"exchange": "nova", "topic": "conductor", "method": "build_instances",
                 "args": {"host_lists": [list(state.alternates)]}},
            ),
        )  # fmt: skip
        if state.attempt > config.max_attempts:
            reason = (
                f"Exceeded max scheduling attempts {config.max_attempts} for instance {instance.uuid}. "
                f"Last exception: {state.last_failure}"
            )
            return _retries_exceeded(state, handoffs, reason, None, ())
        if not state.alternates:
            reason = f"Exhausted all hosts available for retrying build failures for instance {instance.uuid}."
            return _retries_exceeded(state, handoffs, reason, None, ())
        chosen, rest = state.alternates[0], state.alternates[1:]
        resources = requested_resources(state.resolved.flavor, _volume_backed(state))
        from bootwalk.scheduler import consume

        hosts = tuple(
            consume(host, state.resolved.flavor, HostInstance(instance.uuid, instance.name))
            if host.name == chosen else host
            for host in state.hosts
        )  # fmt: skip
        selected = next(host for host in hosts if host.name == chosen)
        state = replace(state, hosts=hosts, selected_host=selected, alternates=rest)
        claim = Handoff(
            Service.NOVA_CONDUCTOR, Service.PLACEMENT, Channel.REST, "PUT /allocations/{uuid}",
            f"claim the alternate {chosen} for {instance.name}",
            {"method": "PUT", "url": f"{ENDPOINTS['placement']}/allocations/{instance.uuid}", "status": 204,
             "body": {"allocations": {chosen: {"resources": dict(resources)}}}},
        )  # fmt: skip
        return state, StepResult(
            (*handoffs, claim, _cast_build(state, instance, chosen, rest)),
            detail=(
                f"Attempt {state.attempt} of at most {config.max_attempts}: the conductor takes the next "
                f"alternate the scheduler returned, {chosen}, and claims it in placement; the scheduler is "
                "not asked again."
            ),
        )


def _cast_build(state: WalkState, instance: Instance, host: str, alternates: tuple[str, ...]) -> Handoff:
    return Handoff(
        Service.NOVA_CONDUCTOR, Service.QUEUE, Channel.RPC_CAST, "build_and_run_instance",
        f"the instance, to topic compute.{host}"
        + (f", with alternates {', '.join(alternates)}" if alternates else ", no alternate left"),
        {"exchange": "nova", "topic": f"compute.{host}", "version": "6.0", "method": "build_and_run_instance",
         "args": {"instance": {"uuid": instance.uuid}, "node": host,
                  "host_list": [host, *alternates],
                  "requested_networks": _requested_networks(state.resolved.nics)}},
    )  # fmt: skip


class ComputeClaim:
    """nova-compute takes the build, and claims the resources on its host."""

    name = "compute-claim"
    title = "nova-compute takes the build off its queue and claims the resources on the host"
    service = Service.NOVA_COMPUTE
    source = "nova/compute/manager.py build_and_run_instance, _do_build_and_run_instance, _build_and_run_instance"
    note = (
        "build_and_run_instance starts a thread, locks on the instance's UUID and takes a build "
        "semaphore (max_concurrent_builds, 10). nova-compute still reaches the database only through "
        "nova-conductor: each Instance.save is an RPC call, object_action. The resource tracker's "
        "instance_claim writes host and node; a failed claim (ComputeResourcesUnavailable) is rescheduled."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        instance, host = need_instance(state), need_host(state)
        handoffs = (
            Handoff(
                Service.QUEUE, Service.NOVA_COMPUTE, Channel.RPC_CAST, "build_and_run_instance",
                f"the build, taken off topic compute.{host.name}",
                {"exchange": "nova", "topic": f"compute.{host.name}", "method": "build_and_run_instance"},
            ),
            Handoff(
                Service.NOVA_COMPUTE, Service.NOVA_CONDUCTOR, Channel.RPC_CALL, "object_action",
                "Instance.save: vm_state building, task_state None",
                {"topic": "conductor", "method": "object_action",
                 "args": {"objmethod": "save", "updates": {"vm_state": "building", "task_state": None}}},
            ),
            Handoff(
                Service.NOVA_COMPUTE, Service.PLACEMENT, Channel.REST, "GET /allocations/{uuid}",
                f"what the scheduler claimed for {instance.name} on {host.name}",
                {"method": "GET", "url": f"{ENDPOINTS['placement']}/allocations/{instance.uuid}"},
            ),
            Handoff(
                Service.NOVA_COMPUTE, Service.NOVA_CONDUCTOR, Channel.RPC_CALL, "object_action",
                f"instance_claim: host {host.name}, node {host.name}",
                {"topic": "conductor", "method": "object_action",
                 "args": {"objmethod": "save", "updates": {"host": host.name, "node": host.name}}},
            ),
        )  # fmt: skip
        state = with_instance(state, task_state=None, host=host.name)
        return state, StepResult(handoffs, logs=(LogLine(Service.NOVA_COMPUTE, "INFO", "Starting instance..."),))


class ModernSpawn(Spawn):
    """nova-compute asks the hypervisor to start the guest; the image is downloaded inside spawn."""

    title = "nova-compute spawns the guest: the image is downloaded from glance, then libvirt starts it"
    source = "nova/compute/manager.py _build_and_run_instance; nova/virt/libvirt/driver.py spawn, _create_image"
    note = (
        "task_state spawning, then driver.spawn: _create_image downloads the image (GET "
        "/v2/images/{id}/file) into the host's cache unless it is there already, the guest is defined "
        "and started paused until neutron's network-vif-plugged event (vif_plugging_timeout 300 s), then "
        "resumed. nova-compute logs 'Instance spawned successfully.', sets active / None / RUNNING and "
        "launched_at, and logs 'Took … seconds to build instance.'"
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        image = state.resolved.image
        download: tuple[Handoff, ...] = ()
        if image is not None and boot_volume(state) is None:
            download = (
                Handoff(
                    Service.NOVA_COMPUTE, Service.GLANCE, Channel.REST, "GET /v2/images/{id}/file",
                    f"download {image.name} into the image cache (inside spawn)",
                    {"method": "GET", "url": f"{ENDPOINTS['image']}/v2/images/{image.id}/file"},
                ),
                Handoff(
                    Service.GLANCE, Service.NOVA_COMPUTE, Channel.REST, "200 OK",
                    f"the image file, {image.size} bytes ({image.size / 2**20:.1f} MiB)",
                    {"status": 200, "headers": {"Content-Type": "application/octet-stream",
                                                "Content-Length": str(image.size)}},
                ),
            )  # fmt: skip
        state, result = super().run(state)
        return state, replace(result, handoffs=(*download, *result.handoffs))


class ModernNetwork(AllocateNetwork):
    """nova-compute asks neutron for a port and binds it to the host (task_state networking)."""

    title = "nova-compute asks neutron for a port and binds it to the host (in the background)"


class ModernVolumes(AttachVolumes):
    """nova-compute attaches the volumes through cinder's attachments API (task_state block_device_mapping)."""

    title = "nova-compute prepares the block devices: cinder attachments (task_state block_device_mapping)"


#: Today's nova, step by step. ``conductor-build`` is where a reschedule comes back.
MODERN_PIPELINE = (
    Authenticate(),
    IssueToken(),
    BuildRequest(),
    SelectDestinations(),
    ConductorBuild(),
    ComputeClaim(),
    ModernNetwork(),
    ModernVolumes(),
    ModernSpawn(),
)
