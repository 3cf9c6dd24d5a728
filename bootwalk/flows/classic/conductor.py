"""Steps 7 and 8 of the classic flow: the story's flavor round trip through nova-conductor.

Both steps belong to the classic story, not to nova's code: their notes say
so, and their handoffs are marked ``simplified``.
"""

from __future__ import annotations

from bootwalk.engine.state import StepResult, WalkState
from bootwalk.services.scheduling import flavor_dict
from bootwalk.trace import Channel, Handoff, Service

_FLAVOR_NOTE = (
    "There is no such call in nova: the flavor travels with the request (request_spec's "
    "instance_type in Icehouse, instance.flavor today). What is true is that nova-compute "
    "has no database access of its own: every read and write goes to nova-conductor as an "
    "RPC call (instance_update in Icehouse, object_action today)."
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
        handoff = Handoff(
            Service.NOVA_COMPUTE, Service.NOVA_CONDUCTOR, Channel.RPC_CALL, "get flavor",
            f"flavor id {flavor.id}; nova-compute waits for the answer",
            {"topic": "conductor", "method": "(story) get flavor", "args": {"flavorid": flavor.id}},
            simplified=True,
        )  # fmt: skip
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
            Handoff(
                Service.NOVA_CONDUCTOR, Service.DATABASE, Channel.DATABASE, "SELECT instance_types",
                f"the row of flavor {flavor.name} (flavorid {flavor.id})",
                {"table": "instance_types", "where": {"flavorid": flavor.id}},
                simplified=True,
            ),
            Handoff(
                Service.NOVA_CONDUCTOR, Service.NOVA_COMPUTE, Channel.RPC_CALL, "reply",
                f"{flavor.name}: {flavor.ram} MB RAM, {flavor.vcpus} vCPU, {flavor.disk} GB disk",
                {"result": flavor_dict(state)},
                simplified=True,
            ),
        )  # fmt: skip
        return state, StepResult(handoffs)
