"""Steps 4 to 6 of the classic flow: the Icehouse scheduler filters, weighs, and casts to compute.

In Icehouse nova-conductor casts ``run_instance`` to nova-scheduler, which
reads the host states, filters and weighs, and casts ``run_instance`` to
the chosen host. A reschedule comes back to step 4 with RetryFilter's list.
"""

from __future__ import annotations

from dataclasses import replace

from bootwalk.cloud import time_at
from bootwalk.engine.state import Instance, StepResult, WalkState, need_host, need_instance, with_instance
from bootwalk.handoffs import (
    db_read,
    db_write,
    queue_delivery,
    rpc_call,
    rpc_cast,
)
from bootwalk.model import Host, HostInstance
from bootwalk.scheduler import place_instances
from bootwalk.services.nova_api import count_instances, requested_networks
from bootwalk.services.scheduling import (
    filter_properties,
    flavor_dict,
    ignored_hints,
    request_spec,
    retries_exceeded,
)
from bootwalk.trace import (
    Handoff,
    LogLine,
    Service,
    Work,
    weight_text,
)


class Schedule:
    """Step 4: nova-scheduler picks up the message and filters and weighs the hosts."""

    name = "schedule"
    title = "nova-scheduler picks the message up, filters and weighs the compute hosts"
    service = Service.NOVA_SCHEDULER
    source = "nova/conductor/manager.py ComputeTaskManager.build_instances; nova/scheduler/filter_scheduler.py"
    note = (
        "In Icehouse the message goes to nova-conductor first, which casts run_instance to "
        "the scheduler; the scheduler reads host states from the database. Since Juno the "
        "conductor calls select_destinations (an RPC call, so it waits for the answer), and "
        "today the scheduler first asks placement for allocation candidates, then filters, "
        "weighs and claims the resources in placement. Since Queens it also returns up to "
        "max_attempts - 1 alternate hosts per instance, which a reschedule uses without "
        "asking the scheduler again."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        instance = need_instance(state)
        if state.attempt > 1:
            return self._retry(state, instance)
        resolved = state.resolved
        instances = (instance, *state.others)
        hosts = state.hosts
        handoffs = (
            queue_delivery(
                Service.NOVA_CONDUCTOR,
                "build_instances",
                "the build request, taken off topic conductor",
                topic="conductor",
            ),
            rpc_cast(
                Service.NOVA_CONDUCTOR,
                "run_instance",
                f"request_spec: flavor {resolved.flavor.name}, image "
                f"{resolved.image.name if resolved.image else '-'}, {count_instances(len(instances))}",
                topic="scheduler",
                args={
                    "request_spec": {
                        "instance_uuids": [i.uuid for i in instances],
                        "instance_type": flavor_dict(state),
                        "num_instances": len(instances),
                    },
                    "filter_properties": filter_properties(state),
                },
                target=Service.NOVA_SCHEDULER,
                work=Work.SCHEDULE,
            ),
            _read_host_states(hosts),
        )
        placements, after = place_instances(
            hosts,
            request_spec(state),
            state.scheduler,
            tuple(HostInstance(i.uuid, i.name) for i in instances),
        )
        first = placements[0]
        if placements[-1].selected_host is None:
            return state.flow.recovery.bury(state, handoffs, placements, instances)
        selected = next(host for host in after if host.name == first.selected_host)
        others = tuple(
            replace(other, host=placement.selected_host)
            for other, placement in zip(state.others, placements[1:], strict=True)
        )
        state = replace(state, scheduling=first, selected_host=selected, hosts=after, others=others)
        detail = f"{first.selected_host} wins: {first.why_the_winner()}."
        if len(instances) > 1:
            detail += (
                " Each instance consumes RAM, vCPUs and disk on its host before the next is placed, "
                "and is placed among the hosts that passed for the one before."
            )
        ignored = ignored_hints(state)
        if ignored:
            detail += " " + ignored
        return state, StepResult(
            handoffs,
            detail=detail,
            scheduling=first,
            placements=placements,
            logs=(
                LogLine(
                    Service.NOVA_SCHEDULER,
                    "INFO",
                    f"Choosing host WeighedHost [host: {first.selected_host}, "
                    f"weight: {weight_text(first.weights[0].weight)}] for instance {instance.uuid}",
                ),
            ),
        )

    def _retry(self, state: WalkState, instance: Instance) -> tuple[WalkState, StepResult]:
        """Attempt 2 and later: the compute host sent the build back; RetryFilter skips the hosts tried."""
        config = state.scheduler
        handoffs: tuple[Handoff, ...] = (
            queue_delivery(
                Service.NOVA_SCHEDULER,
                "run_instance",
                f"attempt {state.attempt} for {instance.name}; retry hosts: {', '.join(state.tried_hosts)}",
                topic="scheduler",
                args={
                    "request_spec": {"instance_uuids": [instance.uuid]},
                    "filter_properties": {
                        **filter_properties(state),
                        "retry": {"num_attempts": state.attempt, "hosts": list(state.tried_hosts)},
                    },
                },
                work=Work.SCHEDULE,
            ),
        )
        if state.attempt > config.max_attempts:
            reason = (
                f"Exceeded max scheduling attempts {config.max_attempts} for instance {instance.uuid}. "
                f"Last exception: {state.last_failure}"
            )
            return retries_exceeded(state, handoffs, reason, None, ())
        handoffs += (_read_host_states(state.hosts),)
        placements, after = place_instances(
            state.hosts, request_spec(state), config, (HostInstance(instance.uuid, instance.name),)
        )
        result = placements[0]
        if result.selected_host is None:
            reason = f"Exhausted all hosts available for retrying build failures for instance {instance.uuid}."
            return retries_exceeded(state, handoffs, reason, result, placements)
        selected = next(host for host in after if host.name == result.selected_host)
        state = replace(state, scheduling=result, selected_host=selected, hosts=after)
        return state, StepResult(
            handoffs,
            detail=(
                f"Attempt {state.attempt} of at most {config.max_attempts}: RetryFilter removes "
                f"{', '.join(state.tried_hosts)}, and {result.selected_host} wins among the hosts left."
            ),
            scheduling=result,
            placements=placements,
        )


def _read_host_states(hosts: tuple[Host, ...]) -> Handoff:
    """Icehouse's scheduler reads every compute node's state from the database."""
    return db_read(
        Service.NOVA_SCHEDULER,
        Service.DATABASE,
        "SELECT compute_nodes",
        f"the host states of {len(hosts)} compute hosts",
        table="compute_nodes",
        rows=[host.name for host in hosts],
    )


class RecordHost:
    """Step 5: nova-scheduler records the chosen host on the instance."""

    name = "record-host"
    title = "nova-scheduler records the chosen host on the instance"
    service = Service.NOVA_SCHEDULER
    source = "nova/scheduler/driver.py instance_update_db; nova/compute/resource_tracker.py _set_instance_host_and_node"
    note = (
        "The scheduler never writes the host. Icehouse's instance_update_db set "
        "scheduled_at and cleared host and node; the chosen host travels in the cast of "
        "step 6, and nova-compute writes host and node when it claims the resources "
        "(the resource tracker's _set_instance_host_and_node)."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        host = need_host(state).name
        instance = need_instance(state)
        handoff = db_write(
            Service.NOVA_SCHEDULER,
            Service.DATABASE,
            "instance_update_db",
            f"scheduled_at for instance {instance.uuid[:8]}…; host {host} goes on in the cast",
            tables="instances",
            values={"scheduled_at": time_at(state.clock_ms), "host": None, "node": None},
            chosen_host=host,
        )
        return state, StepResult((handoff,))


class CastToCompute:
    """Step 6: nova-scheduler casts the request to nova-compute on the chosen host."""

    name = "cast-to-compute"
    title = "nova-scheduler casts the request to nova-compute on that host"
    service = Service.NOVA_SCHEDULER
    source = "nova/scheduler/filter_scheduler.py _provision_resource; nova/compute/rpcapi.py run_instance"
    note = (
        "A cast does not wait for an answer: the scheduler is done once the message is on the "
        "queue, routed by the key compute.<host>. Since Juno it is nova-conductor, not the "
        "scheduler, that casts build_and_run_instance to the compute host. nova-compute "
        "cannot write the database itself: it asks nova-conductor with RPC calls."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        host = need_host(state).name
        uuid = need_instance(state).uuid
        handoffs = (
            rpc_cast(
                Service.NOVA_SCHEDULER,
                "run_instance",
                f"the instance and its request spec, to topic compute.{host}",
                topic=f"compute.{host}",
                args={
                    "instance": {"uuid": uuid},
                    "node": host,
                    "request_spec": {"instance_type": flavor_dict(state)},
                    "requested_networks": requested_networks(state.resolved.nics),
                    "is_first_time": True,
                },
                target=Service.NOVA_COMPUTE,
            ),
            rpc_call(
                Service.NOVA_COMPUTE,
                Service.NOVA_CONDUCTOR,
                "instance_update",
                "vm_state building, task_state None (the build has started)",
                topic="conductor",
                args={"instance_uuid": uuid, "vm_state": "building", "task_state": None},
            ),
            rpc_call(
                Service.NOVA_COMPUTE,
                Service.NOVA_CONDUCTOR,
                "instance_update",
                f"host {host}, node {host}: the resource claim succeeded",
                topic="conductor",
                args={"instance_uuid": uuid, "host": host, "node": host, "launched_on": host},
            ),
        )
        state = with_instance(state, task_state=None, host=host)
        return state, StepResult(handoffs)
