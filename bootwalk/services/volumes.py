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
from bootwalk.services.saves import instance_save
from bootwalk.trace import Handoff, Service, StepStatus, Work


class AttachVolumes:
    """Step 11: nova-compute asks cinder to attach the volume."""

    name = "cinder"
    title = "nova-compute asks cinder to attach the volume"
    service = Service.CINDER
    source = "nova/compute/manager.py _prep_block_device; nova/virt/block_device.py attach"
    #: Whether a failed attach detaches the volume as it cleans up.
    detach_on_failure = True
    note = (
        "task_state becomes block_device_mapping even when there is no volume. Today nova uses "
        "cinder's attachments API (3.44): the attachment is created, updated with the host's "
        "connector, and completed (os-complete). Icehouse used os-initialize_connection and "
        "os-attach."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        host = need_host(state)
        state = with_instance(state, task_state="block_device_mapping")
        saved = instance_save(
            state,
            "save_block_device_mapping",
            "vm_state building, task_state block_device_mapping",
            {"vm_state": "building", "task_state": "block_device_mapping"},
        )
        if not state.volumes:
            return state, StepResult(
                (saved,),
                StepStatus.SKIPPED,
                f"No volume: the root disk is a local file on {host.name}, made from the image.",
            )
        handoffs: list[Handoff] = [saved]
        for plan in state.volumes:
            handoffs.extend(self.attach_requests(state, plan))
            handoffs.append(self.export(state, plan))
            if state.fault_strikes(FaultPoint.VOLUME_ATTACH):
                return _volume_attach_failed(state, handoffs, plan, detach=self.detach_on_failure)
            handoffs.extend(self.complete(state, plan))
        return state, StepResult(tuple(handoffs))

    def attach_requests(self, state: WalkState, plan: VolumePlan) -> list[Handoff]:
        """The calls before the export, with cinder's attachments API.

        nova-api has already created the attachment of an existing volume
        (``check_attach_and_reserve_volume``); a volume nova-compute makes is
        created here, then attached.
        """
        instance = need_instance(state)
        project = project_id(state.ids)
        handoffs: list[Handoff] = []
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
            handoffs.append(
                rest_request(
                    Service.NOVA_COMPUTE,
                    Service.CINDER,
                    "POST /v3/{project_id}/attachments",
                    f"attach volume {plan.volume_id[:8]}… ({plan.size} GB) to the instance",
                    url=f"{ENDPOINTS['volumev3']}/{project}/attachments",
                    headers=CINDER_VERSION,
                    body={"attachment": {"volume_uuid": plan.volume_id, "instance_uuid": instance.uuid}},
                    work=Work.CREATE_ATTACHMENT,
                )
            )
        return handoffs

    def export(self, state: WalkState, plan: VolumePlan) -> Handoff:
        """The call that has the storage export the volume to the host: the attachment gets the connector."""
        attachment = attachment_id(state, plan)
        return rest_request(
            Service.NOVA_COMPUTE,
            Service.CINDER,
            "PUT /v3/{project_id}/attachments/{id}",
            f"the connector of {need_host(state).name} (its iSCSI initiator and IP)",
            url=f"{ENDPOINTS['volumev3']}/{project_id(state.ids)}/attachments/{attachment}",
            headers=CINDER_VERSION,
            body={"attachment": {"connector": connector(state)}},
            work=Work.EXPORT_VOLUME,
        )

    def complete(self, state: WalkState, plan: VolumePlan) -> list[Handoff]:
        """The calls after the export: the attachment completed (``os-complete``)."""
        project = project_id(state.ids)
        attachment = attachment_id(state, plan)
        return [
            rest_request(
                Service.NOVA_COMPUTE,
                Service.CINDER,
                "POST /v3/{project_id}/attachments/{id}/action",
                f"os-complete: volume {plan.volume_id[:8]}… is in-use as {plan.device_name}",
                url=f"{ENDPOINTS['volumev3']}/{project}/attachments/{attachment}/action",
                headers=CINDER_VERSION,
                body={"os-complete": None},
                work=Work.COMPLETE_ATTACHMENT,
            ),
        ]


#: The cinder microversion nova asks for (``nova/volume/cinder.py``).
CINDER_VERSION = {"OpenStack-API-Version": "volume 3.44"}


def connector(state: WalkState) -> dict[str, str]:
    """The host's connector: who the storage exports the volume to."""
    host = need_host(state).name
    return {"host": host, "initiator": f"iqn.2004-10.com.ubuntu:01:{host}"}


def _volume_attach_failed(
    state: WalkState, handoffs: list[Handoff], plan: VolumePlan, *, detach: bool
) -> tuple[WalkState, StepResult]:
    """cinder's backend failed the export: InvalidBDM, never rescheduled.

    Today nova aborts the build with cinder's text as the reason; Icehouse
    recorded the bare InvalidBDM. ``detach``: whether the cleanup detaches the
    volume (Icehouse's InvalidBDM path freed the network alone).
    """
    host = need_host(state)
    facts = state.flow.facts
    message = "The server has either erred or is incapable of performing the requested operation."
    request_id = "req-" + state.ids.uuid("cinder-request")
    handoffs.append(
        rest_reply(
            Service.CINDER,
            Service.NOVA_COMPUTE,
            500,
            f"cinder-volume could not export volume {plan.volume_id[:8]}… to {host.name} "
            "(the storage backend's error is in cinder-volume's log)",
            body={"computeFault": {"code": 500, "message": message}},
            work=Work.BACKEND_FAILURE,
        )
    )
    return compute_failure(
        state,
        handoffs,
        reason=f"{message} (HTTP 500) (Request-ID: {request_id})",
        exception="InvalidBDM",
        abort=facts.error("volume_failed"),
        attached=(plan,) if detach else (),
        logs=facts.logs("volume_failed"),
        what=(
            "cinder could not attach the volume. nova-compute treats a block device failure as "
            "InvalidBDM: another host would not help, so it does not reschedule."
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
