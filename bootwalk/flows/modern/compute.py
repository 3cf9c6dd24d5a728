"""nova-compute in today's nova: the claim, then networking, block devices and spawn.

Networking, block devices and the hypervisor are the shared steps of
:mod:`bootwalk.services`, with today's titles; spawn downloads the image
first, as libvirt's ``_create_image`` does inside ``driver.spawn``.
"""

from __future__ import annotations

from dataclasses import replace

from bootwalk.cloud import ENDPOINTS
from bootwalk.engine.state import StepResult, WalkState, need_host, need_instance, with_instance
from bootwalk.handoffs import download, queue_delivery, rest_request
from bootwalk.services.hypervisor import Spawn
from bootwalk.services.network import AllocateNetwork
from bootwalk.services.saves import instance_save
from bootwalk.services.volumes import AttachVolumes, boot_volume
from bootwalk.trace import Handoff, Service


class ComputeClaim:
    """nova-compute takes the build, and claims the resources on its host."""

    name = "compute-claim"
    title = "nova-compute takes the build off its queue and claims resources on the host"
    service = Service.NOVA_COMPUTE
    source = "nova/compute/manager.py build_and_run_instance, _do_build_and_run_instance, _build_and_run_instance"
    note = (
        "build_and_run_instance starts a thread, locks on the instance's UUID and takes a build "
        "semaphore (max_concurrent_builds, 10). nova-compute still reaches the database only through "
        "nova-conductor: each Instance.save is an RPC call, object_action. The resource tracker's "
        "instance_claim writes host and node; a failed claim (ComputeResourcesUnavailable) is rescheduled."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        instance, host = need_instance(state), need_host(state)
        facts = state.flow.facts
        taken = queue_delivery(
            Service.NOVA_COMPUTE,
            facts.rpc("build_and_run_instance").method,
            f"the build, taken off topic compute.{host.name}",
            topic=f"compute.{host.name}",
        )
        state = replace(state, build_started_ms=state.now((taken,)))
        handoffs = (
            taken,
            instance_save(
                state,
                "save_started",
                "vm_state building, task_state None (expected scheduling or None)",
                {"vm_state": "building", "task_state": None},
                expected=["scheduling", None],
            ),
            rest_request(
                Service.NOVA_COMPUTE,
                Service.PLACEMENT,
                "GET /allocations/{uuid}",
                f"what the scheduler claimed for {instance.name} on {host.name}",
                url=f"{ENDPOINTS['placement']}/allocations/{instance.uuid}",
            ),
            instance_save(
                state,
                "save_host",
                f"the claim succeeded: host {host.name}, node {host.name}, launched_on, compute_id",
                {
                    "host": host.name,
                    "launched_on": host.name,
                    "node": host.name,
                    "compute_id": compute_node_id(state, host.name),
                },
            ),
        )
        state = with_instance(state, task_state=None, host=host.name)
        logs = (*facts.logs("build_started"), *facts.logs("claim_succeeded", node=host.name))
        return state, StepResult(handoffs, logs=logs)


class ModernSpawn(Spawn):
    """nova-compute asks the hypervisor to start the guest; the image is downloaded inside spawn."""

    title = "nova-compute spawns the guest: downloads the image, then libvirt starts it"
    source = "nova/compute/manager.py _build_and_run_instance; nova/virt/libvirt/driver.py spawn, _create_image"
    note = (
        "task_state spawning, then driver.spawn: _create_image downloads the image (GET "
        "/v2/images/{id}/file) into the host's cache unless it is there already, the guest is defined "
        "and started paused until neutron's network-vif-plugged event (vif_plugging_timeout 300 s), then "
        "resumed. nova-compute logs 'Instance spawned successfully.', sets active / None / RUNNING and "
        "launched_at, and logs 'Took … seconds to build instance.'"
    )

    def image_handoffs(self, state: WalkState) -> tuple[Handoff, ...]:
        """libvirt's ``_create_image`` downloads the image into the host's cache, inside spawn."""
        image = state.resolved.image
        if image is None or boot_volume(state) is not None:
            return ()
        url = f"{ENDPOINTS['image']}/v2/images/{image.id}/file"
        return (
            rest_request(
                Service.NOVA_COMPUTE,
                Service.GLANCE,
                "GET /v2/images/{id}/file",
                f"download {image.name} into the image cache (inside spawn)",
                url=url,
            ),
            download(
                Service.GLANCE,
                Service.NOVA_COMPUTE,
                "200 OK",
                f"the image file, {image.size} bytes ({image.size / 2**20:.1f} MiB)",
                url=url,
                size_bytes=image.size,
            ),
        )


class ModernNetwork(AllocateNetwork):
    """nova-compute asks neutron for a port and binds it to the host (task_state networking)."""

    title = "nova-compute asks neutron for a port and binds it to the host (background)"


class ModernVolumes(AttachVolumes):
    """nova-compute attaches the volumes through cinder's attachments API (task_state block_device_mapping)."""

    title = "nova-compute prepares the block devices: cinder attachments"


def compute_node_id(state: WalkState, host: str) -> int:
    """The compute node's row ID in the cell database: the hosts in the catalog's order, from 1."""
    return 1 + [candidate.name for candidate in state.catalog.hosts].index(host)
