"""Step 9 of the classic flow: nova-compute asks glance for the image."""

from __future__ import annotations

from bootwalk.cloud import ENDPOINTS, auth_headers
from bootwalk.engine.state import StepResult, WalkState
from bootwalk.handoffs import (
    download,
    rest_request,
)
from bootwalk.services.volumes import boot_volume
from bootwalk.trace import Service, StepStatus


class FetchImage:
    """Step 9: nova-compute asks glance for the image."""

    name = "glance"
    title = "nova-compute asks glance for the image details (GET /v2/images/{id})"
    service = Service.GLANCE
    source = "nova/virt/libvirt/driver.py _create_image; nova/image/glance.py download"
    note = (
        "nova-api already read the image's details in step 3 and they travel with the request. "
        "The image's bits are downloaded (GET /v2/images/{id}/file; glance v1 in Icehouse) "
        "inside the hypervisor driver's spawn, after networking and block devices, and cached "
        "on the host so the next boot of the same image skips the download."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        image = state.resolved.image
        if image is None:
            return state, StepResult(
                (),
                StepStatus.SKIPPED,
                "No image: the server boots from a volume, so nova-compute downloads nothing.",
            )
        handoffs = (
            rest_request(
                Service.NOVA_COMPUTE,
                Service.GLANCE,
                "GET /v2/images/{id}",
                f"{image.name}: {image.disk_format}/{image.container_format}, {image.size} bytes",
                url=f"{ENDPOINTS['image']}/v2/images/{image.id}",
                headers=auth_headers(state.token),
                simplified=True,
            ),
            rest_request(
                Service.NOVA_COMPUTE,
                Service.GLANCE,
                "GET /v2/images/{id}/file",
                f"the bits of {image.name}",
                url=f"{ENDPOINTS['image']}/v2/images/{image.id}/file",
                headers=auth_headers(state.token),
            ),
            download(
                Service.GLANCE,
                Service.NOVA_COMPUTE,
                "200 OK",
                f"the image file, {image.size} bytes ({image.size / 2**20:.1f} MiB)",
                url=f"{ENDPOINTS['image']}/v2/images/{image.id}/file",
                size_bytes=image.size,
            ),
        )
        if boot_volume(state) is not None:
            return state, StepResult(
                (),
                StepStatus.SKIPPED,
                "The root disk is a volume, so nova-compute downloads no image; "
                "cinder makes the volume from the image in step 11.",
            )
        return state, StepResult(handoffs)
