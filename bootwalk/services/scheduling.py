"""The glue between a flow's scheduler step and :mod:`bootwalk.scheduler`.

What the scheduler is told about the request (the request spec and filter
properties), the hints no enabled filter reads, the filter handler's log
lines, and the end of a build that has no attempt left.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bootwalk.engine.state import StepResult, WalkState, with_instance
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


def scheduler_logs(instance_uuid: str, placement: Scheduling) -> tuple[LogLine, ...]:
    """What nova's filter handler logs when the filters leave no host (``nova/filters.py``).

    Placement is not one of the filters (it answers before them), so nova's
    filter results never name it.
    """

    counts = [count for count in placement.filter_counts() if count[0] != PLACEMENT]
    results = str([f"{name}: (start: {start}, end: {end})" for name, start, end in counts])
    return (
        LogLine(Service.NOVA_SCHEDULER, "INFO", f"Filter {counts[-1][0]} returned 0 hosts"),
        LogLine(
            Service.NOVA_SCHEDULER,
            "INFO",
            f"Filtering removed all hosts for the request with instance ID '{instance_uuid}'. "
            f"Filter results: {results}",
        ),
    )


def retries_exceeded(
    state: WalkState,
    handoffs: tuple[Handoff, ...],
    reason: str,
    result: Scheduling | None,
    placements: tuple[Scheduling, ...],
) -> tuple[WalkState, StepResult]:
    """No attempt left for the followed instance: MaxRetriesExceeded, ERROR with the fault."""
    message = f"Exceeded maximum number of retries. {reason}"
    fault = Fault(message=message, code=500)
    state = with_instance(state, vm_state="error", task_state=None, host=None, fault=fault)
    state = replace(
        state,
        error=ApiError("MaxRetriesExceeded", message, None),
        attempts=(*state.attempts, Attempt(state.attempt, None, "error", message)),
    )
    handoff = db_write(
        Service.NOVA_SCHEDULER,
        Service.DATABASE,
        "UPDATE instances",
        "vm_state error, task_state None, and an instance fault: " + message,
        tables="instances",
        values={"vm_state": "error", "task_state": None},
        instance_faults={"code": 500, "message": message},
    )
    return state, StepResult(
        (*handoffs, handoff),
        StepStatus.FAILED,
        "No host is left to try, so the build ends here and the server goes to ERROR. The user sees it "
        f"only in {state.dialect.show_command}. The text is nova's since Liberty (MaxRetriesExceeded, raised by "
        "nova-conductor); Icehouse's scheduler said 'No valid host was found.' instead.",
        scheduling=result,
        placements=placements,
        logs=(
            LogLine(Service.NOVA_CONDUCTOR, "WARNING", f"Failed to compute_task_build_instances: {message}"),
            LogLine(Service.NOVA_CONDUCTOR, "WARNING", "Setting instance to ERROR state."),
        ),
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
