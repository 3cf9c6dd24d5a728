"""The glue between a flow's scheduler step and :mod:`bootwalk.scheduler`.

What the scheduler is told about the request (the request spec and filter
properties), the hints no enabled filter reads, the filter handler's log
lines, and the end of a build that has no attempt left.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bootwalk.engine.state import StepResult, WalkState, need_instance, with_instance
from bootwalk.facts import ErrorFact
from bootwalk.handoffs import db_write
from bootwalk.scheduler import PLACEMENT, RequestSpec
from bootwalk.trace import ApiError, Attempt, Fault, Handoff, LogLine, Scheduling, Service, StepStatus


def filter_properties(state: WalkState) -> dict[str, Any]:
    request = state.resolved.request
    properties: dict[str, Any] = {
        "scheduler_hints": dict(request.hints),
        "availability_zone": request.availability_zone,
    }
    if state.group is not None:
        properties["group_policies"] = [state.group.policy]
        properties["group_hosts"] = sorted(group_hosts(state))
    return properties


def group_hosts(state: WalkState) -> frozenset[str]:
    """The hosts holding members of the request's server group (``InstanceGroup.get_hosts``)."""
    group = state.group
    if group is None:
        return frozenset()
    members = set(group.members)
    return frozenset(host.name for host in state.catalog.hosts if host.instance_uuids() & members)


def request_spec(state: WalkState) -> RequestSpec:
    resolved = state.resolved
    return RequestSpec(
        flavor=resolved.flavor,
        image=resolved.image,
        availability_zone=resolved.request.availability_zone,
        hints=resolved.request.hints,
        tried_hosts=state.tried_hosts,
        group=state.group,
        group_hosts=group_hosts(state),
    )


#: The hints the classic filters read, and the filter that reads each.
HINT_FILTERS = {
    "group": ("ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter"),
    "same_host": ("SameHostFilter",),
    "different_host": ("DifferentHostFilter",),
}


def ignored_hints(state: WalkState) -> str:
    """Say which hints no enabled filter reads: nova ignores them without a word."""
    enabled = set(state.scheduler.enabled_filters)
    ignored = []
    for key in state.resolved.request.hints:
        readers = HINT_FILTERS.get(key, ())
        if not enabled.intersection(readers):
            ignored.append(key)
    if not ignored:
        return ""
    return (
        f"No enabled filter reads the hint{'s' if len(ignored) > 1 else ''} {', '.join(ignored)}, so nova "
        "ignores it without a word (enable the filter in cloud.yaml's scheduler.enabled_filters, or "
        "with --enabled-filters)."
    )


def scheduler_logs(state: WalkState, instance_uuid: str, placement: Scheduling) -> tuple[LogLine, ...]:
    """What nova's filter handler logs when the filters leave no host (``nova/filters.py``).

    Placement is not one of the filters (it answers before them), so nova's
    filter results never name it.
    """

    counts = [count for count in placement.filter_counts() if count[0] != PLACEMENT]
    results = str([f"{name}: (start: {start}, end: {end})" for name, start, end in counts])
    removed = state.flow.facts.logs(
        "filters_removed_all", filter=counts[-1][0], inst_uuid=instance_uuid, str_results=results
    )
    return (*down_host_logs(state, placement), *removed)


def down_host_logs(state: WalkState, placement: Scheduling) -> tuple[LogLine, ...]:
    """ComputeFilter's WARNING for each host whose nova-compute has not reported in: compute-down's key line."""
    facts = state.flow.facts
    template = facts.default("host_state_repr")
    rejected = placement.rejected_by("ComputeFilter")
    if not rejected:
        return ()
    # the few rejected hosts, found in one pass (a dictionary of every host costs more at a hundred thousand)
    wanted = set(rejected)
    hosts = {host.name: host for host in state.hosts if host.name in wanted}
    lines: list[LogLine] = []
    for name in rejected:
        host = hosts[name]
        if host.status != "enabled" or host.state == "up":  # disabled, not silent: ComputeFilter's other reason
            continue
        shown = template % {
            "host": host.name,
            "node": host.name,
            "free_ram": host.free_ram_mb,
            "free_disk": host.free_disk_mb,
            "num_io_ops": 0,
            "num_instances": len(host.instances),
            "num_a_c": 1,
        }
        lines.extend(facts.logs("host_not_heard", host_state=shown))
    return tuple(lines)


def last_host_error(state: WalkState) -> tuple[LogLine, ...]:
    """What nova logs when a rescheduled build comes back: the error from the host tried last.

    ``exc`` is the traceback nova-compute stored in the retry information, a
    list of lines (shortened here to its first and last). Icehouse stored the
    error it caught (Python 2 names its class alone); today's nova stores the
    RescheduledException that carries it.
    """
    last = state.tried_hosts[-1] if state.tried_hosts else None
    if last is None or state.last_failure is None:
        return ()
    facts = state.flow.facts
    uuid = need_instance(state).uuid
    if facts.default("retry_exc") == "rescheduled":
        rescheduled = facts.error("rescheduled")
        line = f"nova.exception.{rescheduled.exception}: " + rescheduled.text(
            {"instance_uuid": uuid, "reason": state.last_failure}
        )
    else:
        line = f"{state.last_exception}: {state.last_failure}"
    exc = f"['Traceback (most recent call last):\\n', …, '{line}\\n']"
    return facts.logs("error_from_last_host", last_host=last, last_node=last, exc=exc, instance_uuid=uuid)


def retries_exceeded(
    state: WalkState,
    handoffs: tuple[Handoff, ...],
    error: ErrorFact,
    reason: str,
    result: Scheduling | None,
    placements: tuple[Scheduling, ...],
    logs: tuple[LogLine, ...] = (),
) -> tuple[WalkState, StepResult]:
    """No attempt left for the followed instance: ERROR with the release's fault.

    Whoever logs "Setting instance to ERROR state." writes the ERROR: the
    scheduler in Icehouse (to the one database), the conductor today (to the
    cell database).
    """
    message = error.text({"reason": reason})
    fault = Fault(message=message, code=500)
    state = with_instance(state, vm_state="error", task_state=None, host=None, fault=fault)
    state = replace(
        state,
        error=ApiError(error.exception, message, None),
        attempts=(*state.attempts, Attempt(state.attempt, None, "error", message)),
    )
    service, method = state.flow.facts.default("gives_up")
    lines = state.flow.facts.logs("retries_exceeded", service=service, method=method, ex=message, state="ERROR")
    writer = lines[-1].service
    handoff = db_write(
        writer,
        Service.DATABASE if writer is Service.NOVA_SCHEDULER else Service.CELL_DATABASE,
        "UPDATE instances",
        "vm_state error, task_state None, and an instance fault: " + message,
        tables="instances",
        values={"vm_state": "error", "task_state": None},
        instance_faults={"code": 500, "message": message},
    )
    return state, StepResult(
        (*handoffs, handoff),
        StepStatus.FAILED,
        f"No host is left to try, so the build ends here and the server goes to ERROR ({error.exception}). "
        f"The user sees it only in {state.dialect.show_command}.",
        scheduling=result,
        placements=placements,
        logs=(*logs, *lines),
    )


def flavor_dict(state: WalkState) -> dict[str, Any]:
    flavor = state.resolved.flavor
    return {
        "flavorid": flavor.id,
        "name": flavor.name,
        "memory_mb": flavor.ram,
        "vcpus": flavor.vcpus,
        "root_gb": flavor.disk,
        "ephemeral_gb": flavor.ephemeral,
        "swap": flavor.swap,
    }
