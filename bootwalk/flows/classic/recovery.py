"""How the classic flow sends a failed build back: to nova-scheduler, with RetryFilter's list.

Icehouse's ``_reschedule``: nova-compute sets task_state back to scheduling
through the conductor (``instance_update``) and casts ``run_instance`` to
the scheduler again, with the hosts tried so far in
``filter_properties['retry']``; the scheduler clears host and node
(``instance_update_db``). No claim lives outside the compute host, so
nothing is handed back first. An instance the filters leave no host for is
written to ERROR by the scheduler, with the fault, in the one database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from bootwalk.engine.state import Instance, StepResult, VolumePlan, WalkState, with_instance
from bootwalk.facts import ErrorFact
from bootwalk.flows.classic.compute import icehouse_detach
from bootwalk.handoffs import db_write, rpc
from bootwalk.model import Host
from bootwalk.services.nova_api import count_instances
from bootwalk.services.saves import instance_save
from bootwalk.services.scheduling import scheduler_logs
from bootwalk.trace import ApiError, Attempt, Handoff, LogLine, Scheduling, Service, StepStatus


class ClassicRecovery:
    """Back to the scheduler with the retry hosts; a build no host takes goes to ERROR where it is."""

    def give_back(self, state: WalkState, instance: Instance, host: Host) -> tuple[Handoff, ...]:
        """Nothing: the claim lived in the compute host's resource tracker alone."""
        return ()

    def detach(self, state: WalkState, plan: VolumePlan) -> tuple[Handoff, ...]:
        """Icehouse's ``_shutdown_instance``: the export is ended, then the volume detached (cinder v1)."""
        return icehouse_detach(state, plan)

    def claim_released(self, instance: Instance, host: Host, default: str) -> str:
        """The resource tracker's own line."""
        return default

    def send_back(self, state: WalkState, instance: Instance, host: Host, reason: str) -> tuple[Handoff, ...]:
        """Set task_state back to scheduling, then cast the build to the scheduler with the hosts tried.

        Icehouse's ``_reschedule`` writes task_state alone; the scheduler's
        ``instance_update_db`` clears host and node on the next attempt.
        """
        facts = state.flow.facts
        tried = [[name, name] for name in (*state.tried_hosts, host.name)]
        return (
            instance_save(
                state, "save_rescheduled", "task_state scheduling: back to the scheduler", {"task_state": "scheduling"}
            ),
            rpc(
                facts.rpc("scheduler_run_instance"),
                Service.NOVA_COMPUTE,
                f"the build again, with retry hosts [{', '.join(h for h, _n in tried)}]",
                target=Service.QUEUE,
                args={"filter_properties": {"retry": {"num_attempts": state.attempt, "hosts": tried, "exc": reason}}},
            ),
        )

    def bury(
        self,
        state: WalkState,
        handoffs: Sequence[Handoff],
        placements: tuple[Scheduling, ...],
        instances: tuple[Instance, ...],
    ) -> tuple[WalkState, StepResult]:
        """The filters left no host for the followed instance: it, and every one after it, goes to ERROR.

        Icehouse's ``schedule_run_instance`` pops a host for each instance in
        turn; an instance with none left gets NoValidHost with an empty reason,
        and ``handle_schedule_error`` writes it to ERROR with the fault.
        """
        failed = placements[-1]
        state, handoff, logs, _message = fail_unplaced(state, instances)
        removed = sorted({verdict.filter for verdict in failed.filter_results if not verdict.passed})
        why = "Every host was filtered out." if len(placements) == 1 else ""
        return state, StepResult(
            (*handoffs, handoff),
            StepStatus.FAILED,
            f"{why} Removed by: {', '.join(removed) or 'no filter (there are no hosts)'}. nova-api had already "
            f"answered 202 in step 3, so {state.dialect.command} printed no error: the fault shows up later, "
            f"in {state.dialect.show_command} (status ERROR, fault code 500). Icehouse gave no reason after "
            "'No valid host was found.'; 'There are not enough hosts available.' came in Kilo.",
            scheduling=placements[0],
            placements=placements,
            logs=(*(scheduler_logs(state, failed.instance_uuid, failed) if failed.considered else ()), *logs),
        )


def fail_unplaced(
    state: WalkState, unplaced: tuple[Instance, ...]
) -> tuple[WalkState, Handoff, tuple[LogLine, ...], str]:
    """The instances no host was left for go to ERROR with NoValidHost (no reason), one by one."""
    facts = state.flow.facts
    logs = tuple(line for _ in unplaced for line in facts.logs("build_buried", state="ERROR"))
    return fail_instances(state, unplaced, facts.error("no_valid_host"), {"reason": ""}, logs)


def fail_instances(
    state: WalkState,
    failed: tuple[Instance, ...],
    error: ErrorFact,
    values: Mapping[str, Any],
    logs: tuple[LogLine, ...],
) -> tuple[WalkState, Handoff, tuple[LogLine, ...], str]:
    """The scheduler writes these instances to ERROR, each with the error as its fault."""
    fault = error.fault(values)
    message = fault.message
    uuids = {instance.uuid for instance in failed}
    if state.instance is not None and state.instance.uuid in uuids:
        state = with_instance(state, vm_state="error", task_state=None, fault=fault)
        state = replace(
            state,
            error=ApiError(error.exception, message, None),
            attempts=(*state.attempts, Attempt(state.attempt, None, "error", message)),
        )
    others = tuple(
        replace(other, vm_state="error", task_state=None, fault=fault, host=None) if other.uuid in uuids else other
        for other in state.others
    )
    state = replace(state, others=others)
    handoff = db_write(
        Service.NOVA_SCHEDULER,
        Service.DATABASE,
        "UPDATE instances",
        f"vm_state error, task_state None for {count_instances(len(failed))}, and an instance fault: {message}",
        tables="instances",
        values={"vm_state": "error", "task_state": None},
        instances=[instance.uuid for instance in failed],
        instance_faults={"code": 500, "message": message},
    )
    return state, handoff, logs, message
