"""How today's nova sends a failed build back: the claim goes back to placement, the build to the conductor.

``ComputeManager._do_build_and_run_instance`` on a RescheduledException:
the allocation is deleted in placement, the instance saved with no host and
task_state scheduling (an ``object_action`` call), and ``build_instances``
is cast to the conductor with the alternates left, which claims the next
one without asking the scheduler again.
"""

from __future__ import annotations

from bootwalk.cloud import ENDPOINTS
from bootwalk.engine.state import Instance, WalkState
from bootwalk.handoffs import rest_request, rpc_call, rpc_cast
from bootwalk.model import Host
from bootwalk.trace import Handoff, Service


class ModernRecovery:
    """Back to the conductor, with the alternates: the allocation is deleted first."""

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

    def claim_released(self, instance: Instance, host: Host, default: str) -> str:
        """The claim lived in placement: its allocation is deleted there."""
        return f"allocation of {instance.uuid} deleted in placement (the claim on {host.name})"

    def send_back(self, state: WalkState, instance: Instance, host: Host, reason: str) -> tuple[Handoff, ...]:
        """Save the instance with no host, then cast build_instances to the conductor with the alternates."""
        retry_hosts = [*state.tried_hosts, host.name]
        return (
            rpc_call(
                Service.NOVA_COMPUTE,
                Service.NOVA_CONDUCTOR,
                "object_action",
                "Instance.save: host None, node None, task_state scheduling",
                topic="conductor",
                args={"objmethod": "save", "updates": {"host": None, "node": None, "task_state": "scheduling"}},
            ),
            rpc_cast(
                Service.NOVA_COMPUTE,
                "build_instances",
                f"the build again, with the alternates left: [{', '.join(state.alternates)}]",
                topic="conductor",
                namespace="compute_task",
                args={
                    "host_lists": [list(state.alternates)],
                    "filter_properties": {
                        "retry": {"num_attempts": state.attempt, "hosts": retry_hosts, "exc_reason": reason}
                    },
                },
            ),
        )
