"""Step 9 of the classic flow: nova-compute asks glance for the image."""

from __future__ import annotations

from bootwalk.cloud import auth_headers
from bootwalk.engine.state import StepResult, WalkState
from bootwalk.handoffs import (
    download,
    rest_request,
)
from bootwalk.services.volumes import boot_volume
from bootwalk.trace import Service, StepStatus


class FetchImage:
    """Step 9: nova-compute asks glance for the image (the story's order: Icehouse fetched it inside spawn)."""

    name = "glance"
    title = "nova-compute asks glance for the image's details and bits (glance v1)"
    service = Service.GLANCE
    source = "nova/image/glance.py GlanceImageService.show, download; nova/virt/libvirt/driver.py _create_image"
    note = (
        "nova-api already read the image's details in step 3, and they travel with the request. Icehouse's "
        "nova always spoke glance v1 (HEAD /v1/images/{id} for the details, GET /v1/images/{id} for the "
        "bits); the download happens inside the hypervisor driver's spawn (step 12), after networking and "
        "block devices, under task_state spawning, and the image is cached on the host so the next boot "
        "of it skips the download. Today's nova uses glance v2 (GET /v2/images/{id}/file)."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        image = state.resolved.image
        if image is None:
            return state, StepResult(
                (),
                StepStatus.SKIPPED,
                "No image: the server boots from a volume, so nova-compute downloads nothing.",
            )
        if boot_volume(state) is not None:
            return state, StepResult(
                (),
                StepStatus.SKIPPED,
                "The root disk is a volume, so nova-compute downloads no image; "
                "cinder makes the volume from the image in step 11.",
            )
        url = f"{state.endpoint('image')}/v1/images/{image.id}"
        handoffs = (
            rest_request(
                Service.NOVA_COMPUTE,
                Service.GLANCE,
                "HEAD /v1/images/{id}",
                f"{image.name}: {image.disk_format}/{image.container_format}, {image.size} bytes",
                url=url,
                headers=auth_headers(state.token),
                simplified=True,
            ),
            rest_request(
                Service.NOVA_COMPUTE,
                Service.GLANCE,
                "GET /v1/images/{id}",
                f"the bits of {image.name}",
                url=url,
                headers=auth_headers(state.token),
                simplified=True,
            ),
            download(
                Service.GLANCE,
                Service.NOVA_COMPUTE,
                "200 OK",
                f"the image file, {image.size} bytes ({image.size / 2**20:.1f} MiB)",
                url=url,
                size_bytes=image.size,
                simplified=True,
            ),
        )
        return state, StepResult(handoffs)
