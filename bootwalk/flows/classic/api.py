"""Step 3 of the classic flow: nova-api records the instance and casts build_instances to the conductor."""

from __future__ import annotations

from bootwalk.cloud import project_id, user_id
from bootwalk.engine.state import StepResult, WalkState
from bootwalk.handoffs import db_write, rpc
from bootwalk.request import is_uuid_like
from bootwalk.services.nova_api import (
    accepted,
    api_front,
    count_instances,
    create_instances,
    requested_network_tuples,
)
from bootwalk.trace import Service


class RecordAndQueue:
    """Step 3: nova-api checks the request, writes the instance row and queues a message."""

    name = "nova-api"
    title = "nova-api checks the request, writes the instance row and queues the request"
    service = Service.NOVA_API
    source = "nova/compute/api.py API._create_instance, _provision_instances"
    note = (
        "nova-api reads the image from glance v1 (HEAD /v1/images/{id}) and checks flavor against image "
        "here, and reserves the quota, which it commits once the rows are written. "
        "In Icehouse it wrote the instances row (create_db_entry_for_new_instance) and cast "
        "build_instances to nova-conductor, not to the scheduler. Today it writes a "
        "BuildRequest, a RequestSpec and an InstanceMapping to the API database instead, "
        "casts schedule_and_build_instances to the conductor, and the instance row is "
        "written in a cell database only after scheduling."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        resolved = state.resolved
        image = resolved.image
        state, handoffs, refused, count = api_front(state)
        if refused is not None:
            return state, refused
        state, instances = create_instances(state, count)
        facts = state.flow.facts
        flavor = resolved.flavor
        uuid = instances[0].uuid
        deltas = {"instances": count, "cores": count * flavor.vcpus, "ram": count * flavor.ram}
        handoffs.append(
            db_write(
                Service.NOVA_API,
                Service.DATABASE,
                "INSERT INTO reservations",
                f"quota reserved: {count} instance(s), {deltas['cores']} core(s), {deltas['ram']} MB RAM "
                "(committed to quota_usages once the rows are written)",
                tables=("reservations", "quota_usages"),
                values=deltas,
            )
        )
        for instance in instances:
            row = {
                "uuid": instance.uuid,
                "display_name": instance.name,
                "vm_state": "building",
                "task_state": "scheduling",
                "power_state": 0,
                "instance_type_id": resolved.flavor.id,
                "image_ref": image.id if image else "",
                "project_id": project_id(state.ids),
                "user_id": user_id(state.ids),
            }
            handoffs.append(
                db_write(
                    Service.NOVA_API,
                    Service.DATABASE,
                    "INSERT INTO instances",
                    f"instance {instance.name} ({instance.uuid[:8]}…): vm_state building, "
                    "task_state scheduling, power_state 0",
                    tables="instances",
                    values=row,
                )
            )
        legacy = legacy_group_name(state)
        if legacy is not None:
            handoffs.append(
                db_write(
                    Service.NOVA_API,
                    Service.DATABASE,
                    "INSERT INTO instance_groups",
                    f"a new group named {legacy} (policy 'legacy'), with the new instance(s) as members",
                    tables=("instance_groups", "instance_group_members"),
                    values={"name": legacy, "policies": ["legacy"], "members": [i.uuid for i in instances]},
                )
            )
        handoffs.extend(  # _record_action_start, for each instance
            db_write(
                Service.NOVA_API,
                Service.DATABASE,
                "INSERT INTO instance_actions",
                f"action create for {instance.name} (nova instance-action-list shows it)"
                if count > 1
                else "action create (nova instance-action-list shows it)",
                tables="instance_actions",
                values={"action": "create", "instance_uuid": instance.uuid},
            )
            for instance in instances
        )
        handoffs.append(
            rpc(
                facts.rpc("build_instances"),
                Service.NOVA_API,
                f"{count_instances(count)}, the request spec and the image, for topic conductor",
                target=Service.QUEUE,
                args={
                    "instances": [instance.uuid for instance in instances],
                    "image": {"id": image.id} if image else {},
                    "filter_properties": {"scheduler_hints": dict(resolved.request.hints)},
                    "requested_networks": requested_network_tuples(resolved.nics),
                },
            )
        )
        handoffs.append(accepted(state, uuid))
        detail = ""
        if count > 1:
            detail = (
                f"nova-api creates {count} instances ({instances[0].name} to {instances[-1].name}) "
                f"for this request; the walk follows {instances[0].name}, and step 4 places every one."
            )
        if count < resolved.request.max_count:
            detail += (
                f" The quota leaves room for {count} of the {resolved.request.max_count} asked for, "
                f"which is at least --min-count {resolved.request.min_count}, so nova creates {count}."
            )
        return state, StepResult(tuple(handoffs), detail=detail.strip())


def legacy_group_name(state: WalkState) -> str | None:
    """A ``group`` hint that is not a UUID: Icehouse's nova-api makes a 'legacy' group by that name.

    ``_update_instance_group_by_name`` (nova/compute/api.py at 2014.1); the
    scheduler then looks the hint up as a UUID, and fails (see step 4).
    """
    wanted = state.resolved.request.hints.get("group")
    return wanted if isinstance(wanted, str) and not is_uuid_like(wanted) else None
