"""How today's nova sends a failed build back: the claim goes back to placement, the build to the conductor.

``ComputeManager._do_build_and_run_instance`` on a RescheduledException:
the allocation is deleted in placement, the instance saved with no host and
task_state scheduling (an ``object_action`` call), and ``build_instances``
is cast to the conductor with the alternates left, which claims the next
one without asking the scheduler again. A build no host takes is buried in
cell0: the conductor writes the instances there, in ERROR, with the fault.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bootwalk.cloud import ENDPOINTS
from bootwalk.engine.state import Instance, StepResult, VolumePlan, WalkState, with_instance
from bootwalk.flows.modern.conductor import remap_and_delete_build_requests
from bootwalk.handoffs import db_write, rest_request, rpc, rpc_error
from bootwalk.model import Host
from bootwalk.scheduler import PLACEMENT
from bootwalk.services.failures import delete_attachment
from bootwalk.services.nova_api import count_instances
from bootwalk.services.saves import instance_save
from bootwalk.services.scheduling import scheduler_logs
from bootwalk.trace import Attempt, Handoff, LogLine, Scheduling, Service, StepStatus


class ModernRecovery:
    """Back to the conductor with the alternates, the allocation deleted first; a build no host takes, to cell0."""

    def give_back(self, state: WalkState, instance: Instance, host: Host) -> tuple[Handoff, ...]:
        """nova-compute gives the failed build's resources back to placement."""
        uuid = instance.uuid
        return (
            rest_request(
                Service.NOVA_COMPUTE,
                Service.PLACEMENT,
                "DELETE /allocations/{uuid}",
                f"give back what instance {uuid[:8]}… had claimed on this host",
                url=f"{ENDPOINTS['placement']}/allocations/{uuid}",
                status=204,
            ),
        )

    def detach(self, state: WalkState, plan: VolumePlan) -> tuple[Handoff, ...]:
        """The cinder attachment is deleted."""
        return delete_attachment(state, plan)

    def claim_released(self, instance: Instance, host: Host, default: str) -> str:
        """The claim lived in placement: its allocation is deleted there."""
        return f"allocation of {instance.uuid} deleted in placement (the claim on {host.name})"

    def send_back(self, state: WalkState, instance: Instance, host: Host, reason: str) -> tuple[Handoff, ...]:
        """Save the instance with no host, give the claim back, then cast build_instances with the alternates.

        In that order, as ``_do_build_and_run_instance`` does on a RescheduledException.
        """
        facts = state.flow.facts
        retry_hosts = [[name, name] for name in (*state.tried_hosts, host.name)]
        return (
            instance_save(
                state,
                "save_rescheduled",
                "host None, node None, task_state scheduling",
                {"host": None, "node": None, "launched_on": None, "compute_id": None, "task_state": "scheduling"},
            ),
            *self.give_back(state, instance, host),
            rpc(
                facts.rpc("build_instances"),
                Service.NOVA_COMPUTE,
                f"the build again, with the alternates left: [{', '.join(state.alternates)}]",
                target=Service.QUEUE,
                args={
                    "host_lists": [list(state.alternates)],
                    "filter_properties": {
                        "retry": {"num_attempts": state.attempt, "hosts": retry_hosts, "exc_reason": reason}
                    },
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
        """NoValidHost: the conductor creates every instance in cell0, in ERROR, with the fault."""
        handoffs = list(handoffs)
        failed = placements[-1]
        facts = state.flow.facts
        candidates = [v for v in failed.filter_results if v.filter == PLACEMENT and v.passed]
        placed = [placement for placement in placements if placement.selected_host is not None]
        reason = facts.error("not_enough_hosts_reason").text({}) if candidates or placed else ""
        error = facts.error("no_valid_host")
        fault = error.fault({"reason": reason})
        message = fault.message
        state = with_instance(state, vm_state="error", task_state=None, fault=fault)
        state = replace(
            state,
            others=tuple(replace(other, vm_state="error", task_state=None, fault=fault) for other in state.others),
            scheduling=placements[0],
            error=error.fault_error({"reason": reason}),
            attempts=(*state.attempts, Attempt(state.attempt, None, "error", message)),
        )
        uuids = [instance.uuid for instance in instances]
        handoffs.extend(
            [
                rpc_error(Service.NOVA_SCHEDULER, Service.NOVA_CONDUCTOR, "NoValidHost", message),
                db_write(
                    Service.NOVA_CONDUCTOR,
                    Service.CELL0_DATABASE,
                    "INSERT INTO instances",
                    f"{count_instances(len(instances))} buried in cell0: vm_state error, task_state None, the fault, "
                    "and event conductor_schedule_and_build_instances: Error",
                    tables=("instances", "instance_faults", "instance_actions", "instance_actions_events"),
                    values={"instance_uuids": uuids, "vm_state": "error", "task_state": None},
                    instance_faults={"code": 500, "message": message},
                    instance_actions_events={"event": "conductor_schedule_and_build_instances", "result": "Error"},
                ),
                remap_and_delete_build_requests("cell0"),
            ]
        )
        logs: list[LogLine] = []
        if placed:
            logs.extend(facts.logs("not_enough_hosts", hosts=len(placed), required_count=len(instances)))
        elif not candidates:
            logs.extend(facts.logs("no_candidates"))
        else:
            logs.extend(scheduler_logs(state, failed.instance_uuid, failed))
        logs.extend(
            facts.logs("build_buried", service="compute_task", method="build_instances", ex=message, state="ERROR")
        )
        if placed:
            why = (
                f"Room for {len(placed)} of the {len(instances)} instances: the scheduler claimed them one by "
                f"one, found no host for {failed.instance_name}, gave the claims back and failed the whole "
                "request, as nova builds all of a request's instances or none."
            )
        elif not candidates:
            why = (
                "Placement has no candidate with room for the request, so the filters never run: the reason is "
                "empty, as nova's is."
            )
        else:
            why = "The filters removed every candidate placement returned."
        return state, StepResult(
            tuple(handoffs),
            StepStatus.FAILED,
            f"{why} nova-conductor buries the instance in cell0, in ERROR, and records the failed event. "
            f"nova-api had answered 202, so only {state.dialect.show_command} (or openstack server event list) tells.",
            scheduling=placements[0],
            placements=placements,
            logs=tuple(logs),
        )
