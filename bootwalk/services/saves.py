"""nova-compute's writes to the instance row, which go through nova-conductor as RPC calls.

Which call each write is depends on the release: Icehouse's compute
manager wrote through ``conductor_api.instance_update`` (``_start_building``,
``_allocate_network``, the block-device step, the resource tracker) but saved
the Instance object in ``_spawn`` (``object_action``); today every write is
``Instance.save()``, an ``object_action`` call. The release's facts name the
call for each moment (``save_*``); this module gives each its payload.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bootwalk.engine.state import WalkState, need_host, need_instance
from bootwalk.handoffs import rpc
from bootwalk.trace import Handoff, Service


def fault_create(state: WalkState, message: str) -> Handoff:
    """nova-compute records the instance's fault (``add_instance_fault_from_exc``), the way its release does.

    Icehouse calls nova-conductor's ``instance_fault_create``; today
    ``InstanceFault.create()`` is an ``object_action`` on nova-conductor.
    """
    fact = state.flow.facts.rpc("fault_create")
    instance = need_instance(state)
    values = {"instance_uuid": instance.uuid, "code": 500, "message": message, "host": need_host(state).name}
    if fact.method == "instance_fault_create":
        args: dict[str, Any] = {"values": values}
        shown = f"the fault: {message}"
    else:
        args = {"objinst": {"instance_uuid": instance.uuid}, "objmethod": "create", "updates": values}
        shown = f"InstanceFault.create: {message}"
    return rpc(fact, Service.NOVA_COMPUTE, shown, target=Service.NOVA_CONDUCTOR, args=args)


def instance_save(
    state: WalkState,
    moment: str,
    summary: str,
    updates: Mapping[str, Any],
    *,
    expected: Any = None,
) -> Handoff:
    """nova-compute writes the instance at this moment, the way the flow's release does.

    ``expected`` is the ``expected_task_state`` the write checks, if any.
    """
    fact = state.flow.facts.rpc(moment)
    uuid = need_instance(state).uuid
    if fact.method == "instance_update":
        values = dict(updates) if expected is None else {**updates, "expected_task_state": expected}
        args: dict[str, Any] = {"instance_uuid": uuid, "updates": values, "service": "conductor"}
        shown = summary
    else:
        args = {"objinst": {"uuid": uuid}, "objmethod": "save", "updates": dict(updates)}
        if expected is not None:
            args["kwargs"] = {"expected_task_state": expected}
        shown = f"Instance.save: {summary}"
    return rpc(fact, Service.NOVA_COMPUTE, shown, target=Service.NOVA_CONDUCTOR, args=args)
