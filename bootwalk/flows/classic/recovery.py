"""How the classic flow sends a failed build back: to nova-scheduler, with RetryFilter's list.

Icehouse's ``_reschedule``: nova-compute clears host and node through the
conductor (``instance_update``) and casts ``run_instance`` to the scheduler
again, with the hosts tried so far in ``filter_properties['retry']``. No
claim lives outside the compute host, so nothing is handed back first.
When the filters leave no host, the scheduler writes every instance of the
request to ERROR with the fault, in the one database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bootwalk.engine.state import Instance, StepResult, WalkState, with_instance
from bootwalk.handoffs import db_write, rpc_call, rpc_cast
from bootwalk.model import Host
from bootwalk.services.nova_api import count_instances
from bootwalk.services.scheduling import scheduler_logs
from bootwalk.trace import ApiError, Attempt, Fault, Handoff, LogLine, Scheduling, Service, StepStatus


class ClassicRecovery:
    """Back to the scheduler with the retry hosts; a build no host takes goes to ERROR where it is."""

    def give_back(self, state: WalkState, instance: Instance, host: Host) -> tuple[Handoff, ...]:
        """Nothing: the claim lived in the compute host's resource tracker alone."""
        return ()

    def claim_released(self, instance: Instance, host: Host, default: str) -> str:
        """The resource tracker's own line."""
        return default

    def send_back(self, state: WalkState, instance: Instance, host: Host, reason: str) -> tuple[Handoff, ...]:
        """Clear host and node, then cast the build to the scheduler with the hosts tried."""
        tried = [*state.tried_hosts, host.name]
        return (
            rpc_call(
                Service.NOVA_COMPUTE,
                Service.NOVA_CONDUCTOR,
                "instance_update",
                "host None, node None, task_state scheduling: back to the scheduler",
                topic="conductor",
                args={"instance_uuid": instance.uuid, "host": None, "node": None, "task_state": "scheduling"},
            ),
            rpc_cast(
                Service.NOVA_COMPUTE,
                "run_instance",
                f"the build again, with retry hosts [{', '.join(tried)}]",
                topic="scheduler",
                args={
                    "filter_properties": {
                        "retry": {"num_attempts": state.attempt, "hosts": tried, "exc_reason": reason}
                    }
                },
            ),
        )

    def bury(
        self,
        state: WalkState,
        handoffs: Sequence[Handoff],
        placements: tuple[Scheduling, ...],
        instances: tuple[Instance, ...],
    ) -> tuple[WalkState, StepResult]:
        """The filters left no host for some instance: every instance of the request goes to ERROR."""
        failed = placements[-1]
        message = "No valid host was found. There are not enough hosts available."
        fault = Fault(message=message, code=500)
        state = with_instance(state, vm_state="error", task_state=None, fault=fault)
        others = tuple(replace(other, vm_state="error", task_state=None, fault=fault) for other in state.others)
        state = replace(
            state,
            others=others,
            scheduling=placements[0],
            error=ApiError("NoValidHost", message, None),
            attempts=(*state.attempts, Attempt(state.attempt, None, "error", message)),
        )
        handoff = db_write(
            Service.NOVA_SCHEDULER,
            Service.DATABASE,
            "UPDATE instances",
            f"vm_state error, task_state None for {count_instances(len(instances))}, and an instance fault: " + message,
            tables="instances",
            values={"vm_state": "error", "task_state": None},
            instances=[i.uuid for i in instances],
            instance_faults={"code": 500, "message": message},
        )
        stuck = next(i for i in instances if i.uuid == failed.instance_uuid)
        if len(instances) > 1 and len(placements) > 1:
            why = (
                f"After {len(placements) - 1} instance(s) took their share, no host is left for {stuck.name}. "
                "nova wants a host for every instance it created (max_count, trimmed only by the quota), "
                "so none is built: all go to ERROR."
            )
        else:
            why = "Every host was filtered out."
        removed = sorted({verdict.filter for verdict in failed.filter_results if not verdict.passed})
        return state, StepResult(
            (*handoffs, handoff),
            StepStatus.FAILED,
            f"{why} Removed by: {', '.join(removed) or 'no filter (there are no hosts)'}. nova-api had already "
            f"answered 202 in step 3, so {state.dialect.command} printed no error: the fault shows up later, "
            f"in {state.dialect.show_command} (status ERROR, fault code 500). This is nova's text since Kilo; "
            "Icehouse said 'No valid host was found. ' with no reason, and still built the instances it could place.",
            scheduling=placements[0],
            placements=placements,
            logs=(
                *(scheduler_logs(failed.instance_uuid, failed) if failed.considered else ()),
                LogLine(Service.NOVA_CONDUCTOR, "WARNING", f"Failed to compute_task_build_instances: {message}"),
                LogLine(Service.NOVA_CONDUCTOR, "WARNING", "Setting instance to ERROR state."),
            ),
        )
