"""Steps 10 to 12 of the classic flow: nova-compute's networking, block devices and spawn, as Icehouse did them.

The shared steps of :mod:`bootwalk.services` with Icehouse's calls: one
``POST /v2.0/ports`` that carries the binding (``_create_port``), cinder's
v1 ``os-initialize_connection`` and ``os-attach`` actions, and ``_spawn``.
The sources name nova's files and functions at 2014.1.
"""

from __future__ import annotations

from typing import Any

from bootwalk.cloud import project_id
from bootwalk.engine.state import VolumePlan, WalkState, need_host, need_instance
from bootwalk.handoffs import rest_reply, rest_request
from bootwalk.model import Network
from bootwalk.services.hypervisor import Spawn
from bootwalk.services.network import ADMIN_TOKEN, AllocateNetwork
from bootwalk.services.volumes import AttachVolumes, connector
from bootwalk.trace import Handoff, Service, Work


class ClassicNetwork(AllocateNetwork):
    """Step 10: nova-compute creates a port on each network, bound to its host, in one request."""

    source = (
        "nova/compute/manager.py ComputeManager._allocate_network; "
        "nova/network/neutronv2/api.py API.allocate_for_instance, _create_port"
    )
    note = (
        "nova-compute starts this first (task_state networking, written with instance_update) and it runs "
        "in the background while block devices are prepared. In Icehouse one POST /v2.0/ports created the "
        "port already bound to the host (binding:host_id), with an admin client because binding needs it; "
        "the security groups go as IDs, 'default' included. Since Newton nova creates the port with the "
        "user's token, then binds it with a second, admin PUT (nova/network/neutron.py today)."
    )

    def security_group_ids(self, state: WalkState) -> list[str]:
        """Every group the request names, ``default`` included, as IDs (``allocate_for_instance``)."""
        groups = state.resolved.request.security_groups or ("default",)
        return [state.ids.cloud.uuid(f"security-group:{group}") for group in groups]

    def port_body(self, state: WalkState, network: Network, fixed: str | None) -> dict[str, Any]:
        """``_create_port``'s body: the device and its owner, and the host, set at creation."""
        return {
            **super().port_body(state, network, fixed),
            "device_owner": icehouse_owner(state),
            "binding:host_id": need_host(state).name,
        }

    def port_requests(
        self, state: WalkState, network: Network, fixed: str | None, port_id: str, created: dict[str, Any]
    ) -> tuple[Handoff, ...]:
        """One POST, with an admin token, that creates the port bound to the host."""
        return self.create_port(state, network, fixed, port_id, created, bound_to=need_host(state).name)

    def binding_report(self, state: WalkState, port_id: str) -> tuple[Handoff, ...]:
        """nova reads the instance's ports back (``_build_network_info_model``): the vif_type says binding failed."""
        instance, host = need_instance(state), need_host(state)
        return (
            rest_request(
                Service.NOVA_COMPUTE,
                Service.NEUTRON,
                "GET /v2.0/ports",
                f"the ports of device {instance.uuid[:8]}…, for the network info",
                url=state.neutron_url("ports", f"tenant_id={project_id(state.ids)}&device_id={instance.uuid}"),
            ),
            rest_reply(
                Service.NEUTRON,
                Service.NOVA_COMPUTE,
                200,
                f"binding:vif_type binding_failed: no mechanism driver could bind the port on {host.name}",
                body={"ports": [{"id": port_id, "binding:host_id": host.name, "binding:vif_type": "binding_failed"}]},
            ),
        )

    def bind(self, state: WalkState, port_id: str) -> Handoff:
        """A port the user made is updated: its device, owner and host (``update_port``)."""
        instance, host = need_instance(state), need_host(state)
        return rest_request(
            Service.NOVA_COMPUTE,
            Service.NEUTRON,
            "PUT /v2.0/ports/{id}",
            f"take the port for device {instance.uuid[:8]}… on host {host.name}",
            url=state.neutron_url(f"ports/{port_id}"),
            headers=ADMIN_TOKEN,
            body={
                "port": {
                    "device_id": instance.uuid,
                    "device_owner": icehouse_owner(state),
                    "binding:host_id": host.name,
                }
            },
            work=Work.BIND_PORT,
        )

    def security_group_lookup(self, state: WalkState) -> tuple[Handoff, ...]:
        """The groups' IDs, read from neutron first (``list_security_groups``)."""
        names = ",".join(state.resolved.request.security_groups or ("default",))
        return (
            rest_request(
                Service.NOVA_COMPUTE,
                Service.NEUTRON,
                "GET /v2.0/security-groups",
                f"the IDs of security groups {names}",
                url=state.neutron_url("security-groups", f"tenant_id={project_id(state.ids)}"),
            ),
        )


def icehouse_owner(state: WalkState) -> str:
    """``'compute:%s' % instance['availability_zone']``: the zone asked for, else default_schedule_zone (None)."""
    return f"compute:{state.resolved.request.availability_zone}"


def _volume_action(state: WalkState, plan: VolumePlan, action: str, summary: str, body: Any, work: Work) -> Handoff:
    """A cinder v1 volume action, as Icehouse's python-cinderclient sent it."""
    return rest_request(
        Service.NOVA_COMPUTE,
        Service.CINDER,
        "POST /v1/{tenant_id}/volumes/{id}/action",
        summary,
        url=f"{state.endpoint('volume')}/volumes/{plan.volume_id}/action",
        body={action: body},
        work=work,
    )


class ClassicVolumes(AttachVolumes):
    """Step 11: nova-compute attaches the volumes through cinder's v1 volume actions."""

    source = (
        "nova/compute/manager.py ComputeManager._prep_block_device; "
        "nova/virt/block_device.py DriverVolumeBlockDevice.attach; nova/volume/cinder.py API"
    )
    note = (
        "task_state becomes block_device_mapping (instance_update) even when there is no volume. In "
        "Icehouse nova-compute checked the volume (check_attach), had cinder export it to the host "
        "(os-initialize_connection, with the host's connector) and marked it attached (os-attach), through "
        "cinder's v1 API. A failure is InvalidBDM, never rescheduled. Today nova uses the attachments API "
        "(cinder 3.44): create, update with the connector, complete."
    )
    detach_on_failure = False

    def attach_requests(self, state: WalkState, plan: VolumePlan) -> list[Handoff]:
        """A volume nova makes is created first (``POST /v1/{tenant_id}/volumes``)."""
        if plan.created_from is None:
            return []
        source = {"imageRef": plan.source_id} if plan.created_from == "image" else {}
        if plan.created_from == "snapshot":
            source = {"snapshot_id": plan.source_id or ""}
        return [
            rest_request(
                Service.NOVA_COMPUTE,
                Service.CINDER,
                "POST /v1/{tenant_id}/volumes",
                f"a {plan.size} GB volume from {plan.created_from} {plan.source_id or ''}".rstrip(),
                url=f"{state.endpoint('volume')}/volumes",
                body={"volume": {"size": plan.size, **source}},
                work=Work.CREATE_VOLUME,
            )
        ]

    def export(self, state: WalkState, plan: VolumePlan) -> Handoff:
        """``os-initialize_connection``: the storage exports the volume to the host's connector."""
        return _volume_action(
            state,
            plan,
            "os-initialize_connection",
            f"export volume {plan.volume_id[:8]}… to {need_host(state).name} (its iSCSI initiator and IP)",
            {"connector": connector(state)},
            Work.EXPORT_VOLUME,
        )

    def complete(self, state: WalkState, plan: VolumePlan) -> list[Handoff]:
        """``os-attach``: cinder records the volume as in-use by the instance."""
        return [
            _volume_action(
                state,
                plan,
                "os-attach",
                f"volume {plan.volume_id[:8]}… is in-use as {plan.device_name}",
                {"instance_uuid": need_instance(state).uuid, "mountpoint": plan.device_name},
                Work.COMPLETE_ATTACHMENT,
            )
        ]


def icehouse_detach(state: WalkState, plan: VolumePlan) -> tuple[Handoff, ...]:
    """``_shutdown_instance``: the export is ended (``os-terminate_connection``), then ``os-detach``."""
    return (
        _volume_action(
            state,
            plan,
            "os-terminate_connection",
            f"end the export of volume {plan.volume_id[:8]}… to {need_host(state).name}",
            {"connector": connector(state)},
            Work.DELETE_ATTACHMENT,
        ),
        _volume_action(
            state,
            plan,
            "os-detach",
            f"detach volume {plan.volume_id[:8]}…: it is available again",
            {},
            Work.DELETE_ATTACHMENT,
        ),
    )


class ClassicSpawn(Spawn):
    """Step 12: ``_spawn``: task_state spawning, the hypervisor starts the guest, then active."""

    source = (
        "nova/compute/manager.py ComputeManager._spawn; "
        "nova/virt/libvirt/driver.py LibvirtDriver.spawn, _create_domain_and_network"
    )
    note = (
        "_spawn saves task_state spawning (Instance.save, an object_action call, expecting "
        "block_device_mapping), then the driver's spawn downloads the image into the host's cache (glance "
        "v1) - the classic story showed that in step 9 - defines the guest, starts it paused and waits for "
        "neutron's network-vif-plugged event (vif_plugging_timeout 300 s; with vif_plugging_is_fatal the "
        "boot fails without it), then resumes it and logs 'Instance spawned successfully.' _spawn saves "
        "active / None / RUNNING with launched_at."
    )
