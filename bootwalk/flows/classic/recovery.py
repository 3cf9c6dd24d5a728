"""How the classic flow sends a failed build back: to nova-scheduler, with RetryFilter's list.

Icehouse's ``_reschedule``: nova-compute clears host and node through the
conductor (``instance_update``) and casts ``run_instance`` to the scheduler
again, with the hosts tried so far in ``filter_properties['retry']``. No
claim lives outside the compute host, so nothing is handed back first.
"""

from __future__ import annotations

from bootwalk.engine.state import Instance, WalkState
from bootwalk.handoffs import rpc_call, rpc_cast
from bootwalk.model import Host
from bootwalk.trace import Handoff, Service


class ClassicRecovery:
    """Back to the scheduler: ``instance_update``, then ``run_instance`` with the retry hosts."""

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
