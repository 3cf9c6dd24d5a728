"""nova-api in today's nova: a build request, a request spec and an instance mapping, then a cast."""

from __future__ import annotations

from bootwalk.cloud import ENDPOINTS, project_id
from bootwalk.engine.state import StepResult, WalkState, need_instance
from bootwalk.handoffs import db_write, rest_request, rpc
from bootwalk.services.nova_api import accepted, api_front, count_instances, create_instances, requested_networks
from bootwalk.services.volumes import CINDER_VERSION
from bootwalk.trace import Handoff, Service


def reserve_volumes(state: WalkState) -> list[Handoff]:
    """nova-api creates each existing volume's attachment, which reserves it.

    After ``_get_volumes_for_bdms`` (among nova-api's checks),
    ``check_attach_and_reserve_volume`` (``attachment_create`` with no
    connector yet); nova-compute only updates the attachment with the host's
    connector and completes it.
    """
    instance = need_instance(state)
    project = project_id(state.ids)
    handoffs: list[Handoff] = []
    for plan in state.volumes:
        if plan.created_from is not None:
            continue
        handoffs.append(
            rest_request(
                Service.NOVA_API,
                Service.CINDER,
                "POST /v3/{project_id}/attachments",
                f"reserve volume {plan.volume_id[:8]}… for the instance (an attachment with no connector yet)",
                url=f"{ENDPOINTS['volumev3']}/{project}/attachments",
                headers=CINDER_VERSION,
                body={"attachment": {"volume_uuid": plan.volume_id, "instance_uuid": instance.uuid}},
            )
        )
    return handoffs


class BuildRequest:
    """nova-api checks the request and records a build request in the API database."""

    name = "build-request"
    title = "nova-api checks the request, records a build request, casts to nova-conductor"
    service = Service.NOVA_API
    source = "nova/compute/api.py API._provision_instances, _create_reqspec_buildreq_instmapping"
    note = (
        "No instance row yet: nova-api writes a BuildRequest, a RequestSpec and an InstanceMapping "
        "(cell not yet known) to the API database in one transaction, then casts "
        "schedule_and_build_instances to the superconductor. Since Ocata (cells v2) the instance "
        "row is written in a cell database only once a host is chosen."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        resolved = state.resolved
        image = resolved.image
        state, handoffs, refused, count = api_front(state)
        if refused is not None:
            return state, refused
        state, instances = create_instances(state, count)
        uuids = [instance.uuid for instance in instances]
        handoffs.extend(reserve_volumes(state))
        handoffs.append(
            db_write(
                Service.NOVA_API,
                Service.API_DATABASE,
                "INSERT build_requests, request_specs, instance_mappings",
                f"{count_instances(count)} as build requests (building / scheduling), their request spec, "
                "and instance mappings with no cell yet",
                tables=("build_requests", "request_specs", "instance_mappings"),
                values={
                    "instance_uuids": uuids,
                    "vm_state": "building",
                    "task_state": "scheduling",
                    "power_state": 0,
                    "cell_id": None,
                },
            )
        )
        handoffs.append(
            rpc(
                state.flow.facts.rpc("schedule_and_build_instances"),
                Service.NOVA_API,
                f"the build requests and request specs of {count_instances(count)}, for topic conductor",
                target=Service.QUEUE,
                args={
                    "build_requests": uuids,
                    "request_specs": uuids,
                    "image": {"id": image.id} if image else {},
                    "requested_networks": requested_networks(resolved.nics),
                },
            )
        )
        handoffs.append(accepted(state, uuids[0]))
        detail = ""
        if count > 1:
            detail = (
                f"nova-api records {count} build requests ({instances[0].name} to {instances[-1].name}); "
                f"the walk follows {instances[0].name}."
            )
        return state, StepResult(tuple(handoffs), detail=detail)
