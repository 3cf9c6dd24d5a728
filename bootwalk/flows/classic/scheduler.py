"""Steps 4 to 6 of the classic flow: the Icehouse scheduler filters, weighs, and casts to compute.

In Icehouse nova-conductor casts ``run_instance`` to nova-scheduler, which
reads the host states, filters and weighs, and casts ``run_instance`` to
the chosen host. A reschedule comes back to step 4 with RetryFilter's list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bootwalk.cloud import time_at
from bootwalk.engine.state import Instance, StepResult, WalkState, need_host, need_instance, with_instance
from bootwalk.flows.classic.api import legacy_group_name
from bootwalk.flows.classic.recovery import fail_instances, fail_unplaced
from bootwalk.handoffs import (
    db_read,
    db_write,
    queue_delivery,
    rpc,
)
from bootwalk.model import Host, HostInstance, SchedulerConfig
from bootwalk.scheduler import RequestSpec, place_instances
from bootwalk.services.nova_api import count_instances, requested_network_tuples
from bootwalk.services.saves import instance_save
from bootwalk.services.scheduling import (
    down_host_logs,
    filter_properties,
    flavor_dict,
    ignored_hints,
    last_host_error,
    request_spec,
    retries_exceeded,
    scheduler_logs,
)
from bootwalk.trace import (
    Handoff,
    LogLine,
    Scheduling,
    Service,
    StepStatus,
    Work,
    weight_text,
)


class Schedule:
    """Step 4: nova-scheduler picks up the message and filters and weighs the hosts."""

    name = "schedule"
    title = "nova-conductor takes the request; nova-scheduler filters and weighs the hosts"
    service = Service.NOVA_SCHEDULER
    source = "nova/conductor/manager.py ComputeTaskManager.build_instances; nova/scheduler/filter_scheduler.py"
    note = (
        "In Icehouse the message goes to nova-conductor first, which casts run_instance to "
        "the scheduler; the scheduler reads host states from the database, filters with "
        "[DEFAULT] scheduler_default_filters and weighs with RAMWeigher and MetricsWeigher (which "
        "adds 0 without metrics settings), and returns the chosen host alone. Since Juno the "
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
        facts = state.flow.facts
        resolved = state.resolved
        instances = (instance, *state.others)
        hosts = state.hosts
        handoffs: tuple[Handoff, ...] = (
            queue_delivery(
                Service.NOVA_CONDUCTOR,
                facts.rpc("build_instances").method,
                "the build request, taken off topic conductor",
                topic="conductor",
            ),
            rpc(
                facts.rpc("scheduler_run_instance"),
                Service.NOVA_CONDUCTOR,
                f"request_spec: flavor {resolved.flavor.name}, image "
                f"{resolved.image.name if resolved.image else '-'}, {count_instances(len(instances))}",
                target=Service.NOVA_SCHEDULER,
                args={
                    "request_spec": {
                        "instance_uuids": [i.uuid for i in instances],
                        "instance_type": flavor_dict(state),
                        "num_instances": len(instances),
                    },
                    "filter_properties": filter_properties(state),
                },
                work=Work.SCHEDULE,
            ),
            _read_host_states(hosts),
        )
        started = facts.logs("scheduler_started", num_instances=len(instances), instance_uuids=_py2_list(instances))
        legacy = legacy_group_name(state)
        if legacy is not None:
            return self._no_such_group(state, handoffs, started, instances, legacy)
        placements, after = icehouse_placements(
            hosts, request_spec(state), state.scheduler, tuple(HostInstance(i.uuid, i.name) for i in instances)
        )
        first = placements[0]
        if first.selected_host is None:
            state, result = state.flow.recovery.bury(state, handoffs, placements, instances)
            return state, replace(result, logs=(*started, *result.logs))
        placed = [placement for placement in placements if placement.selected_host is not None]
        unplaced = instances[len(placed) :]
        selected = next(host for host in after if host.name == first.selected_host)
        others = tuple(
            replace(other, host=placement.selected_host)
            for other, placement in zip(state.others[: len(placed) - 1], placements[1 : len(placed)], strict=True)
        )
        others += state.others[len(placed) - 1 :]
        state = replace(state, scheduling=first, selected_host=selected, hosts=after, others=others)
        detail = f"{first.selected_host} wins: {first.why_the_winner()}."
        logs = (*started, *down_host_logs(state, first), *_chosen(state, placed))
        if len(instances) > 1:
            detail += (
                " Each instance consumes RAM, vCPUs and disk on its host before the next is placed, "
                "and is placed among the hosts that passed for the one before."
            )
        if unplaced:
            # _schedule filters for every instance first; then the loop chooses, and errors the rest
            state, failed, failed_logs, message = fail_unplaced(state, unplaced)
            handoffs = (*handoffs, failed)
            filtered = scheduler_logs(state, unplaced[0].uuid, placements[-1])
            logs = (*started, *down_host_logs(state, first), *filtered, *_chosen(state, placed), *failed_logs)
            detail += (
                f" No host is left for {', '.join(i.name for i in unplaced)}: Icehouse writes "
                f"{'it' if len(unplaced) == 1 else 'each'} to ERROR ({message.strip()}) and still builds "
                f"the {count_instances(len(placed))} it placed. Since Kilo nova builds none of them."
            )
        ignored = ignored_hints(state)
        if ignored:
            detail += " " + ignored
        return state, StepResult(handoffs, detail=detail, scheduling=first, placements=placements, logs=logs)

    def _no_such_group(
        self,
        state: WalkState,
        handoffs: tuple[Handoff, ...],
        started: tuple[LogLine, ...],
        instances: tuple[Instance, ...],
        name: str,
    ) -> tuple[WalkState, StepResult]:
        """The hint names a group, not its UUID: Icehouse's scheduler looks it up by UUID, and fails.

        ``_setup_instance_group`` raises InstanceGroupNotFound out of
        ``_schedule``; the scheduler manager writes every instance to ERROR.
        (2014.1.2 looked the hint up by name too.)
        """
        facts = state.flow.facts
        error = facts.error("group_not_found_fault")
        values = {"group_uuid": name}
        service, method = facts.default("gives_up")
        logs = facts.logs("retries_exceeded", service=service, method=method, ex=error.text(values), state="ERROR")
        state, handoff, logs, message = fail_instances(state, instances, error, values, logs)
        return state, StepResult(
            (*handoffs, handoff),
            StepStatus.FAILED,
            f"The hint names the group {name}, not its UUID. Icehouse's nova-api took the name and made a "
            f"new 'legacy' group by it in step 3, but the scheduler looks the hint up as a UUID: {message} "
            "Every instance of the request goes to ERROR. (Today's nova-api refuses a name with a 400.)",
            logs=(*started, *logs),
        )

    def _retry(self, state: WalkState, instance: Instance) -> tuple[WalkState, StepResult]:
        """Attempt 2 and later: the compute host sent the build back; RetryFilter skips the hosts tried.

        Icehouse's ``_populate_retry`` logs the last host's error, then gives up
        with NoValidHost once the attempts are used up.
        """
        facts = state.flow.facts
        config = state.scheduler
        tried = [[name, name] for name in state.tried_hosts]
        handoffs: tuple[Handoff, ...] = (
            queue_delivery(
                Service.NOVA_SCHEDULER,
                facts.rpc("scheduler_run_instance").method,
                f"attempt {state.attempt} for {instance.name}; retry hosts: {', '.join(state.tried_hosts)}",
                topic="scheduler",
                args={
                    "request_spec": {"instance_uuids": [instance.uuid]},
                    "filter_properties": {
                        **filter_properties(state),
                        "retry": {"num_attempts": state.attempt, "hosts": tried},
                    },
                },
                work=Work.SCHEDULE,
            ),
        )
        started = (
            *facts.logs("scheduler_started", num_instances=1, instance_uuids=_py2_list((instance,))),
            *last_host_error(state),
        )
        if state.attempt > config.max_attempts:
            reason = facts.error("max_attempts_reason").text(
                {"max_attempts": config.max_attempts, "instance_uuid": instance.uuid}
            )
            return retries_exceeded(state, handoffs, facts.error("no_valid_host"), reason, None, (), started)
        handoffs += (_read_host_states(state.hosts),)
        placements, after = icehouse_placements(
            state.hosts, request_spec(state), config, (HostInstance(instance.uuid, instance.name),)
        )
        result = placements[0]
        if result.selected_host is None:
            state, failed, failed_logs, message = fail_unplaced(state, (instance,))
            return state, StepResult(
                (*handoffs, failed),
                StepStatus.FAILED,
                f"Attempt {state.attempt}: RetryFilter removes {', '.join(state.tried_hosts)}, and no other host "
                f"passes the filters. The scheduler writes the instance to ERROR ({message.strip()}); "
                f"{state.dialect.show_command} shows the fault.",
                scheduling=result,
                placements=placements,
                logs=(*started, *scheduler_logs(state, instance.uuid, result), *failed_logs),
            )
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
            logs=(*started, *_chosen(state, placements)),
        )


def icehouse_placements(
    hosts: tuple[Host, ...], spec: RequestSpec, config: SchedulerConfig, instances: tuple[HostInstance, ...]
) -> tuple[tuple[Scheduling, ...], tuple[Host, ...]]:
    """The placements as Icehouse's scheduler made them: the chosen host alone, no alternates.

    A retry goes back to the scheduler (RetryFilter), which never returned
    alternate hosts; those came with Queens.
    """
    placements, after = place_instances(hosts, spec, config, instances)
    return tuple(replace(placement, alternates=()) for placement in placements), after


def _py2_list(instances: Sequence[Instance]) -> str:
    """A list of UUIDs as Icehouse's Python 2 logged it: ``[u'73f0…']``."""
    return "[" + ", ".join(f"u'{instance.uuid}'" for instance in instances) + "]"


def _chosen(state: WalkState, placements: Sequence[Scheduling]) -> tuple[LogLine, ...]:
    """The scheduler's line for each instance it places: ``Choosing host WeighedHost [...] for instance``."""
    lines: list[LogLine] = []
    for placement in placements:
        best = next(weight for weight in placement.weights if weight.host == placement.selected_host)
        weighed = f"WeighedHost [host: {placement.selected_host}, weight: {weight_text(best.weight)}]"
        lines.extend(
            state.flow.facts.logs(
                "host_chosen", weighed_host=weighed, instance_uuid=placement.instance_uuid, host=placement.selected_host
            )
        )
    return tuple(lines)


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
        facts = state.flow.facts
        host = need_host(state).name
        uuid = need_instance(state).uuid
        flavor = state.resolved.flavor
        cast = rpc(
            facts.rpc("compute_run_instance"),
            Service.NOVA_SCHEDULER,
            f"the instance and its request spec, to topic compute.{host}",
            target=Service.NOVA_COMPUTE,
            server=host,
            args={
                "instance": {"uuid": uuid},
                "node": host,
                "request_spec": {"instance_type": flavor_dict(state)},
                "requested_networks": requested_network_tuples(state.resolved.nics),
                "is_first_time": True,
            },
        )
        state = replace(state, build_started_ms=state.now((cast,)))
        handoffs = (
            cast,
            instance_save(
                state,
                "save_started",
                "vm_state building, task_state None (the build has started)",
                {"vm_state": "building", "task_state": None},
                expected=["scheduling", None],
            ),
            instance_save(
                state,
                "save_host",
                f"host {host}, node {host}, launched_on {host}: the resource claim succeeded",
                {"host": host, "node": host, "launched_on": host},
            ),
        )
        state = with_instance(state, task_state=None, host=host)
        claim = {
            "memory_mb": flavor.ram,
            "disk_gb": flavor.disk + flavor.ephemeral,
            "vcpus": flavor.vcpus,
            "node": host,
        }
        logs = (
            *facts.logs("build_started"),
            *facts.logs("claim_attempted", **claim),
            *facts.logs("claim_succeeded", **claim),
        )
        return state, StepResult(handoffs, logs=logs)
