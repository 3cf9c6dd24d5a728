"""Steps 7 and 8 of the classic flow: the story's flavor round trip through nova-conductor.

Both steps belong to the classic story, not to nova's code: their notes say
so, and their handoffs are marked ``simplified``.
"""

from __future__ import annotations

from bootwalk.engine.state import StepResult, WalkState
from bootwalk.handoffs import (
    db_read,
    rpc_call,
    rpc_reply,
)
from bootwalk.services.scheduling import flavor_dict
from bootwalk.trace import Service

_FLAVOR_NOTE = (
    "There is no such call in nova: the flavor travels with the request (request_spec's "
    "instance_type in Icehouse, instance.flavor today). What is true is that nova-compute "
    "does not reach the database itself ([conductor] use_local is False by default): every read and "
    "write goes to nova-conductor as an RPC call (instance_update, or object_action for a saved "
    "Instance object, in Icehouse; object_action today)."
)


class AskForFlavor:
    """Step 7: nova-compute asks nova-conductor for the flavor."""

    name = "ask-flavor"
    title = "nova-compute asks nova-conductor for the flavor (RAM, vCPUs, disk)"
    service = Service.NOVA_COMPUTE
    source = "nova/conductor/api.py; nova/cmd/compute.py (indirection_api = ConductorAPI)"
    note = _FLAVOR_NOTE

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        flavor = state.resolved.flavor
        handoff = rpc_call(
            Service.NOVA_COMPUTE,
            Service.NOVA_CONDUCTOR,
            "get flavor",
            f"flavor id {flavor.id}; nova-compute waits for the answer",
            topic="conductor",
            args={"flavorid": flavor.id},
            simplified=True,
            shown_as="(story) get flavor",
        )
        return state, StepResult((handoff,))


class ReturnFlavor:
    """Step 8: nova-conductor reads the flavor from the database and returns it."""

    name = "return-flavor"
    title = "nova-conductor reads the flavor from the database and returns it"
    service = Service.NOVA_CONDUCTOR
    source = "nova/conductor/manager.py ConductorManager"
    note = _FLAVOR_NOTE

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        flavor = state.resolved.flavor
        handoffs = (
            db_read(
                Service.NOVA_CONDUCTOR,
                Service.DATABASE,
                "SELECT instance_types",
                f"the row of flavor {flavor.name} (flavorid {flavor.id})",
                table="instance_types",
                where={"flavorid": flavor.id},
                simplified=True,
            ),
            rpc_reply(
                Service.NOVA_CONDUCTOR,
                Service.NOVA_COMPUTE,
                f"{flavor.name}: {flavor.ram} MB RAM, {flavor.vcpus} vCPU, {flavor.disk} GB disk",
                flavor_dict(state),
                simplified=True,
            ),
        )
        return state, StepResult(handoffs)
