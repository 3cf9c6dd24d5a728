"""nova-compute and cinder: the volumes a boot attaches, through cinder's attachments API.

Shared by both flows, with :func:`boot_volume`, the volume a server boots
from when its root disk is a volume.
"""

from __future__ import annotations

from bootwalk.cloud import ENDPOINTS, project_id
from bootwalk.engine.state import StepResult, VolumePlan, WalkState, need_host, need_instance, with_instance
from bootwalk.handoffs import rest_reply, rest_request
from bootwalk.scenarios import FaultPoint
from bootwalk.services.failures import attachment_id, compute_failure
from bootwalk.trace import Handoff, LogLine, Service, StepStatus, Work


class AttachVolumes:
    """Step 11: nova-compute asks cinder to attach the volume."""

    name = "cinder"
    title = "nova-compute asks cinder to attach the volume"
    service = Service.CINDER
    source = "nova/compute/manager.py _prep_block_device; nova/virt/block_device.py attach"
    note = (
        "task_state becomes block_device_mapping even when there is no volume. Today nova uses "
        "cinder's attachments API (3.44): the attachment is created, updated with the host's "
        "connector, and completed (os-complete). Icehouse used os-initialize_connection and "
        "os-attach."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        instance, host = need_instance(state), need_host(state)
        state = with_instance(state, task_state="block_device_mapping")
        if not state.volumes:
            return state, StepResult(
                (),
                StepStatus.SKIPPED,
                f"No volume requested: the root disk is local, a file on {host.name}'s disk made from the image.",
            )
        project = project_id(state.ids)
        handoffs: list[Handoff] = []
        for plan in state.volumes:
            if plan.created_from is not None:
                handoffs.append(
                    rest_request(
                        Service.NOVA_COMPUTE,
                        Service.CINDER,
                        "POST /v3/{project_id}/volumes",
                        f"a {plan.size} GB volume from {plan.created_from} {plan.source_id or ''}".rstrip(),
                        url=f"{ENDPOINTS['volumev3']}/{project}/volumes",
                        body={"volume": {"size": plan.size, **_volume_source(plan)}},
                        work=Work.CREATE_VOLUME,
                    )
                )
            attachment = attachment_id(state, plan)
            handoffs.append(
                rest_request(
                    Service.NOVA_COMPUTE,
                    Service.CINDER,
                    "POST /v3/{project_id}/attachments",
                    f"attach volume {plan.volume_id[:8]}… ({plan.size} GB) to the instance",
                    url=f"{ENDPOINTS['volumev3']}/{project}/attachments",
                    headers={"OpenStack-API-Version": "volume 3.44"},
                    body={"attachment": {"volume_uuid": plan.volume_id, "instance_uuid": instance.uuid}},
                    work=Work.CREATE_ATTACHMENT,
                )
            )
            connector = {"host": host.name, "initiator": f"iqn.2004-10.com.ubuntu:01:{host.name}"}
            handoffs.append(
                rest_request(
                    Service.NOVA_COMPUTE,
                    Service.CINDER,
                    "PUT /v3/{project_id}/attachments/{id}",
                    f"the connector of {host.name} (its iSCSI initiator and IP)",
                    url=f"{ENDPOINTS['volumev3']}/{project}/attachments/{attachment}",
                    body={"attachment": {"connector": connector}},
                    work=Work.EXPORT_VOLUME,
                )
            )
            if state.fault_strikes(FaultPoint.VOLUME_ATTACH):
                return _volume_attach_failed(state, handoffs, plan)
            handoffs.append(
                rest_request(
                    Service.NOVA_COMPUTE,
                    Service.CINDER,
                    "POST /v3/{project_id}/attachments/{id}/action",
                    f"os-complete: volume {plan.volume_id[:8]}… is in-use as {plan.device_name}",
                    url=f"{ENDPOINTS['volumev3']}/{project}/attachments/{attachment}/action",
                    body={"os-complete": None},
                    work=Work.COMPLETE_ATTACHMENT,
                )
            )
        return state, StepResult(tuple(handoffs))


def _volume_attach_failed(state: WalkState, handoffs: list[Handoff], plan: VolumePlan) -> tuple[WalkState, StepResult]:
    host = need_host(state)
    fault = {
        "code": 500,
        "message": "The server has either erred or is incapable of performing the requested operation.",
    }
    handoffs.append(
        rest_reply(
            Service.CINDER,
            Service.NOVA_COMPUTE,
            500,
            f"cinder-volume could not export volume {plan.volume_id[:8]}… to {host.name} "
            "(the storage backend's error is in cinder-volume's log)",
            body={"computeFault": fault},
            work=Work.BACKEND_FAILURE,
        )
    )
    return compute_failure(
        state,
        handoffs,
        reason="Failure prepping block device.",
        exception="BuildAbortException",
        abort=True,
        attached=(plan,),
        logs=(
            LogLine(Service.NOVA_COMPUTE, "ERROR", "Instance failed block device setup"),
            LogLine(Service.NOVA_COMPUTE, "ERROR", "Failure prepping block device"),
            LogLine(
                Service.NOVA_COMPUTE,
                "ERROR",
                f"Build of instance {need_instance(state).uuid} aborted: Failure prepping block device.",
            ),
        ),
        what=(
            "cinder could not attach the volume. nova-compute treats a block device failure as "
            "BuildAbortException: another host would not help, so it does not reschedule."
        ),
    )


def _volume_source(plan: VolumePlan) -> dict[str, str]:
    """What cinder makes a new volume from: ``imageRef`` or ``snapshot_id``; nothing for a blank one."""
    if plan.source_id is None:
        return {}
    key = "imageRef" if plan.created_from == "image" else f"{plan.created_from}_id"
    return {key: plan.source_id}


def boot_volume(state: WalkState) -> VolumePlan | None:
    """The volume the server boots from, if it boots from one."""
    for plan in state.volumes:
        if plan.boot_index == 0:
            return plan
    return None
