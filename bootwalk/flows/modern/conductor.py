"""nova-conductor in today's nova: the instance in its cell, the cast to the host, and the alternates."""

from __future__ import annotations

from dataclasses import replace

from bootwalk.cloud import ENDPOINTS
from bootwalk.engine.state import Instance, StepResult, WalkState, need_host, need_instance
from bootwalk.flows.modern.scheduler import PLACEMENT_VERSION, allocation_body
from bootwalk.handoffs import db_write, queue_delivery, rest_request, rpc
from bootwalk.model import HostInstance
from bootwalk.scheduler import consume, requested_resources
from bootwalk.services.nova_api import count_instances, requested_networks
from bootwalk.services.scheduling import last_host_error, retries_exceeded
from bootwalk.services.volumes import boot_volume
from bootwalk.trace import Handoff, Service


class ConductorBuild:
    """nova-conductor creates the instance in its cell and casts the build to the host."""

    name = "conductor-build"
    title = "nova-conductor writes the instance in the cell database, casts the build"
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
            db_write(
                Service.NOVA_CONDUCTOR,
                Service.CELL_DATABASE,
                "INSERT INTO instances",
                f"{count_instances(len(instances))} in cell1, availability zone {host.availability_zone}: "
                "building / scheduling",
                tables="instances",
                values={
                    "uuids": [i.uuid for i in instances],
                    "vm_state": "building",
                    "task_state": "scheduling",
                    "availability_zone": host.availability_zone,
                },
            ),
            db_write(
                Service.NOVA_CONDUCTOR,
                Service.CELL_DATABASE,
                "INSERT INTO instance_actions",
                "action create (openstack server event list shows it)",
                tables="instance_actions",
                values={"action": "create", "instance_uuid": instance.uuid},
            ),
            remap_and_delete_build_requests("cell1"),
        ]
        handoffs.append(_cast_build(state, instance, host.name, state.alternates))
        return state, StepResult(tuple(handoffs))

    def _alternate(self, state: WalkState) -> tuple[WalkState, StepResult]:
        """A reschedule: the next alternate, claimed in placement, or MaxRetriesExceeded."""
        instance = need_instance(state)
        facts = state.flow.facts
        config = state.scheduler
        handoffs: tuple[Handoff, ...] = (
            queue_delivery(
                Service.NOVA_CONDUCTOR,
                facts.rpc("build_instances").method,
                f"attempt {state.attempt} for {instance.name}; alternates left: "
                f"{', '.join(state.alternates) or 'none'}",
                topic="conductor",
                args={"host_lists": [list(state.alternates)]},
            ),
        )
        logs = last_host_error(state)
        exceeded = facts.error("retries_exceeded")
        if state.attempt > config.max_attempts:
            reason = facts.error("max_attempts_reason").text(
                {"max_attempts": config.max_attempts, "instance_uuid": instance.uuid, "exc_reason": state.last_failure}
            )
            return retries_exceeded(state, handoffs, exceeded, reason, None, (), logs)
        if not state.alternates:
            reason = facts.error("hosts_exhausted_reason").text({"instance_uuid": instance.uuid})
            return retries_exceeded(state, handoffs, exceeded, reason, None, (), logs)
        chosen, rest = state.alternates[0], state.alternates[1:]
        resources = requested_resources(state.resolved.flavor, boot_volume(state) is not None)
        hosts = tuple(
            consume(host, state.resolved.flavor, HostInstance(instance.uuid, instance.name))
            if host.name == chosen
            else host
            for host in state.hosts
        )
        selected = next(host for host in hosts if host.name == chosen)
        state = replace(state, hosts=hosts, selected_host=selected, alternates=rest)
        claim = rest_request(
            Service.NOVA_CONDUCTOR,
            Service.PLACEMENT,
            "PUT /allocations/{uuid}",
            f"claim the alternate {chosen} for {instance.name}",
            url=f"{ENDPOINTS['placement']}/allocations/{instance.uuid}",
            headers=PLACEMENT_VERSION,
            body=allocation_body(state, chosen, resources),
            status=204,
        )
        return state, StepResult(
            (*handoffs, claim, _cast_build(state, instance, chosen, rest)),
            logs=logs,
            detail=(
                f"Attempt {state.attempt} of at most {config.max_attempts}: the conductor takes the next "
                f"alternate the scheduler returned, {chosen}, and claims it in placement; the scheduler is "
                "not asked again."
            ),
        )


def _cast_build(state: WalkState, instance: Instance, host: str, alternates: tuple[str, ...]) -> Handoff:
    """``build_and_run_instance`` to the host; the conductor popped the host itself off ``host_list``."""
    return rpc(
        state.flow.facts.rpc("build_and_run_instance"),
        Service.NOVA_CONDUCTOR,
        f"the instance, to topic compute.{host}"
        + (f", with alternates {', '.join(alternates)}" if alternates else ", no alternate left"),
        target=Service.QUEUE,
        server=host,
        args={
            "instance": {"uuid": instance.uuid},
            "node": host,
            "host_list": list(alternates),
            "requested_networks": requested_networks(state.resolved.nics),
        },
    )


def remap_and_delete_build_requests(cell: str) -> Handoff:
    """The instances are mapped to their cell (cell1, or cell0 when buried) and the build requests deleted."""
    return db_write(
        Service.NOVA_CONDUCTOR,
        Service.API_DATABASE,
        "UPDATE instance_mappings; DELETE build_requests",
        f"the instance mappings point at {cell}, the build requests are gone",
        instance_mappings={"cell": cell},
        build_requests="deleted",
    )
