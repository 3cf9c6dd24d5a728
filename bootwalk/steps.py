"""The classic story's twelve steps, each a small class, in one ordered pipeline.

Every step says, in ``note``, where the classic story parts from nova's
code, and names in ``source`` the nova file and function to read. The
handoffs a step records that belong to the story and not to nova's code are
marked ``simplified``.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from typing import Any

from bootwalk.engine import (
    Instance,
    PortBinding,
    ResolvedNic,
    Step,
    StepResult,
    VolumePlan,
    WalkState,
    address_in_network,
    boot_volume,
    need_host,
    need_instance,
    pick_address,
    plan_volumes,
    with_instance,
)
from bootwalk.model import HostInstance, Network, ServerGroup
from bootwalk.request import format_nic
from bootwalk.scheduler import RequestSpec, place_instances, release
from bootwalk.trace import (
    ApiError,
    Attempt,
    Channel,
    Fault,
    Handoff,
    LogLine,
    Scheduling,
    Service,
    StepStatus,
    weight_text,
)

#: Where the pretend cloud's endpoints live (DevStack's URL layout).
CONTROLLER = "http://controller"
ENDPOINTS = {
    "identity": f"{CONTROLLER}/identity/v3",
    "compute": f"{CONTROLLER}/compute/v2.1",
    "image": f"{CONTROLLER}/image",
    "network": f"{CONTROLLER}/networking",
    "volumev3": f"{CONTROLLER}/volume/v3",
    "placement": f"{CONTROLLER}/placement",
}
#: The simulated clock starts here; every timestamp is this plus an offset.
START_TIME = "2026-01-01T12:00:00Z"
USER_NAME = "demo"
PROJECT_NAME = "demo"
#: Where the pretend client runs, as keystone's log sees it.
CLIENT_ADDRESS = "192.168.1.10"


def _time(seconds: int) -> str:
    minutes, second = divmod(seconds, 60)
    return f"2026-01-01T12:{minutes:02d}:{second:02d}Z"


def _short_token(token: str | None) -> str:
    return f"{token[:12]}…" if token else "-"


def _project_id(state: WalkState) -> str:
    return state.ids.hex("project")


def _user_id(state: WalkState) -> str:
    return state.ids.hex("user")


def _auth_headers(state: WalkState) -> dict[str, str]:
    return {"X-Auth-Token": state.token or "", "User-Agent": "python-novaclient"}


def _fail(state: WalkState, error: ApiError) -> tuple[WalkState, StepStatus]:
    return replace(state, error=error), StepStatus.FAILED


# --- 1 and 2: keystone ---------------------------------------------------------


class Authenticate:
    """Step 1: the client sends the user's credentials to keystone."""

    name = "authenticate"
    title = "The client sends the user's credentials to keystone"
    service = Service.KEYSTONE
    source = "keystoneauth1 identity/v3/password.py (used by python-novaclient)"
    note = (
        "Real clients authenticate through keystoneauth1, which also reads the service "
        "catalog in keystone's reply to find nova's endpoint. The Icehouse-era novaclient "
        "(2.17) still used keystone v2.0 (POST /v2.0/tokens)."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {"user": {"name": USER_NAME, "domain": {"id": "default"}, "password": "******"}},
                },
                "scope": {"project": {"name": PROJECT_NAME, "domain": {"id": "default"}}},
            }
        }
        handoff = Handoff(
            Service.CLIENT,
            Service.KEYSTONE,
            Channel.REST,
            "POST /v3/auth/tokens",
            f"user {USER_NAME}'s password, scoped to project {PROJECT_NAME}",
            {"method": "POST", "url": f"{ENDPOINTS['identity']}/auth/tokens",
             "headers": {"Content-Type": "application/json"}, "body": body},
        )  # fmt: skip
        return state, StepResult((handoff,))


class IssueToken:
    """Step 2: keystone returns a token that every later call carries."""

    name = "token"
    title = "keystone returns a token that every later call carries"
    service = Service.KEYSTONE
    source = "keystone api-ref/source/v3/authenticate-v3.inc (POST /v3/auth/tokens)"
    note = (
        "The token comes back in the X-Subject-Token header, not in the body, and later "
        "requests send it as X-Auth-Token. Each service checks it with keystone "
        "(keystonemiddleware's auth_token, GET /v3/auth/tokens), which this walk does not show."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        if state.scenario is not None and state.scenario.name == "bad-credentials":
            return _refuse_credentials(state)
        token = state.ids.token()
        body = {
            "token": {
                "methods": ["password"],
                "expires_at": "2026-01-01T13:00:00.000000Z",
                "user": {"id": _user_id(state), "name": USER_NAME, "domain": {"id": "default"}},
                "project": {"id": _project_id(state), "name": PROJECT_NAME, "domain": {"id": "default"}},
                "roles": [{"name": "member"}, {"name": "reader"}],
                "catalog": [
                    {"type": kind, "endpoints": [{"interface": "public", "url": url}]}
                    for kind, url in ENDPOINTS.items()
                ],
            }
        }
        handoff = Handoff(
            Service.KEYSTONE,
            Service.CLIENT,
            Channel.REST,
            "201 Created",
            f"token {_short_token(token)} in X-Subject-Token, and the service catalog",
            {"status": 201, "headers": {"X-Subject-Token": token}, "body": body},
        )
        return replace(state, token=token), StepResult((handoff,))


def _refuse_credentials(state: WalkState) -> tuple[WalkState, StepResult]:
    """Scenario bad-credentials: keystone answers 401 and the walk ends before nova."""
    message = "The request you have made requires authentication."
    error = ApiError("Unauthorized", message, 401)
    handoff = Handoff(
        Service.KEYSTONE, Service.CLIENT, Channel.REST, "401 Unauthorized",
        f"no token: {message}",
        {"status": 401, "headers": {"WWW-Authenticate": f'Keystone uri="{ENDPOINTS["identity"]}"'},
         "body": {"error": {"code": 401, "message": message, "title": "Unauthorized"}}},
    )  # fmt: skip
    failed, status = _fail(state, error)
    return failed, StepResult(
        (handoff,),
        status,
        "keystone refused the password. Without a token the client cannot call nova, so no "
        "server exists: nova boot prints the 401 and nothing reaches nova-api.",
        logs=(LogLine(Service.KEYSTONE, "WARNING",
                      f"Authorization failed. {message} from {CLIENT_ADDRESS}"),),
    )  # fmt: skip


# --- 3: nova-api -----------------------------------------------------------------


def request_body(state: WalkState) -> dict[str, Any]:
    """The ``POST /servers`` body novaclient builds from the options (``v2/servers.py _boot``)."""
    resolved = state.resolved
    request = resolved.request
    server: dict[str, Any] = {"name": request.name, "flavorRef": resolved.flavor.id}
    server["imageRef"] = resolved.image.id if resolved.image else ""
    server["min_count"] = request.min_count
    server["max_count"] = request.max_count
    if isinstance(resolved.nics, str):
        server["networks"] = resolved.nics
    else:
        networks = []
        for nic in resolved.nics:
            entry: dict[str, str] = {}
            if nic.request.port_id:
                entry["port"] = nic.request.port_id
            else:
                entry["uuid"] = nic.network_id
            fixed = nic.request.v4_fixed_ip or nic.request.v6_fixed_ip
            if fixed:
                entry["fixed_ip"] = fixed
            if nic.request.tag:
                entry["tag"] = nic.request.tag
            networks.append(entry)
        server["networks"] = networks
    if request.security_groups:
        server["security_groups"] = [{"name": group} for group in request.security_groups]
    if request.key_name:
        server["key_name"] = request.key_name
    if request.user_data is not None:
        server["user_data"] = base64.b64encode(request.user_data).decode()
    if request.availability_zone:
        server["availability_zone"] = request.availability_zone
    if request.meta:
        server["metadata"] = dict(request.meta)
    if request.files:
        server["personality"] = [{"path": path, "contents": f"<{size} bytes, base64>"} for path, size in request.files]
    mappings = [device.as_api() for device in request.block_devices]
    if request.boot_volume:
        mappings.append({"source_type": "volume", "destination_type": "volume", "boot_index": 0,
                         "uuid": request.boot_volume, "delete_on_termination": False})  # fmt: skip
    if request.snapshot:
        mappings.append({"source_type": "snapshot", "destination_type": "volume", "boot_index": 0,
                         "uuid": request.snapshot, "delete_on_termination": False})  # fmt: skip
    mappings.extend(device.as_api() for device in request.ephemeral)
    if request.swap:
        mappings.append({"source_type": "blank", "destination_type": "local", "boot_index": -1,
                         "delete_on_termination": True, "guest_format": "swap",
                         "volume_size": request.swap})  # fmt: skip
    if mappings:
        if resolved.image and not any(m.get("boot_index") == 0 for m in mappings):
            mappings.insert(0, {"uuid": resolved.image.id, "source_type": "image",
                                "destination_type": "local", "boot_index": 0,
                                "delete_on_termination": True})  # fmt: skip
        server["block_device_mapping_v2"] = mappings
    if request.block_device_mapping:
        server["block_device_mapping"] = [
            {"device_name": device.device_name, "volume_id": device.uuid,
             "volume_size": device.volume_size, "delete_on_termination": device.delete_on_termination}
            for device in request.block_device_mapping
        ]  # fmt: skip
    if request.config_drive:
        server["config_drive"] = True
    if request.admin_pass:
        server["adminPass"] = request.admin_pass
    if request.access_ip_v4:
        server["accessIPv4"] = request.access_ip_v4
    if request.access_ip_v6:
        server["accessIPv6"] = request.access_ip_v6
    if request.description is not None:
        server["description"] = request.description
    if request.tags:
        server["tags"] = list(request.tags)
    if request.return_reservation_id:
        server["return_reservation_id"] = True
    if request.trusted_image_certificate_ids:
        server["trusted_image_certificates"] = list(request.trusted_image_certificate_ids)
    if request.host:
        server["host"] = request.host
    if request.hypervisor_hostname:
        server["hypervisor_hostname"] = request.hypervisor_hostname
    if request.hostname:
        server["hostname"] = request.hostname
    body: dict[str, Any] = {"server": server}
    if request.hints:
        body["os:scheduler_hints"] = dict(request.hints)
    return body


def _api_checks(state: WalkState) -> ApiError | None:
    """nova-api's checks, in about the order ``compute/api.py _create_instance`` makes them."""
    resolved = state.resolved
    request = resolved.request
    catalog = state.catalog
    if request.availability_zone and request.availability_zone not in {
        host.availability_zone for host in catalog.hosts
    }:
        return ApiError("BadRequest", "The requested availability zone is not available", 400)
    if not isinstance(resolved.nics, str):
        for nic in resolved.nics:
            if nic.request.port_id and nic.port is None:
                return ApiError("BadRequest", f"Port id {nic.request.port_id} could not be found.", 400)
            if nic.network is None:
                return ApiError("BadRequest", f"Network {nic.network_id} could not be found.", 400)
    elif resolved.nics == "auto" and len(_auto_networks(state)) > 1:
        return ApiError("Conflict", "Multiple possible networks found, use a Network ID to be more specific.", 409)
    if request.max_count > 1 and not isinstance(resolved.nics, str):
        if any(nic.request.port_id for nic in resolved.nics):
            return ApiError(
                "BadRequest",
                "Failed to launch instances: Unable to launch multiple instances with a single configured "
                "port ID. Please launch your instance one by one with different ports.",
                400,
            )
        if any(nic.request.v4_fixed_ip or nic.request.v6_fixed_ip for nic in resolved.nics):
            return ApiError(
                "BadRequest",
                "Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified.",
                400,
            )
    for group in request.security_groups:
        if group not in catalog.security_groups:
            return ApiError("BadRequest", f"Security group {group} not found.", 400)
    if request.key_name and request.key_name not in {pair.name for pair in catalog.keypairs}:
        return ApiError("BadRequest", "Invalid key_name provided.", 400)
    image, flavor = resolved.image, resolved.flavor
    volume_root = (
        state.resolved.request.boot_volume
        or state.resolved.request.snapshot
        or any(plan.boot_index == 0 for plan in state.volumes)
    )
    if image is not None:
        if image.status != "active":
            return ApiError("BadRequest", f"Image {image.id} is not active.", 400)
        if flavor.ram < image.min_ram:
            return ApiError("BadRequest", "Flavor's memory is too small for requested image.", 400)
        disk_bytes = flavor.disk * 2**30
        min_disk_bytes = image.min_disk * 2**30
        if not volume_root and disk_bytes != 0:
            if image.size > disk_bytes:
                return ApiError(
                    "BadRequest",
                    "Flavor's disk is too small for requested image. Flavor disk is "
                    f"{disk_bytes} bytes, image is {image.size} bytes.",
                    400,
                )
            if min_disk_bytes > disk_bytes:
                return ApiError(
                    "BadRequest",
                    "Flavor's disk is smaller than the minimum size specified in image metadata. "
                    f"Flavor disk is {disk_bytes} bytes, minimum size is {min_disk_bytes} bytes.",
                    400,
                )
        if not volume_root and disk_bytes == 0:
            return ApiError("Forbidden", "Only volume-backed servers are allowed for flavors with zero disk.", 403)
    if request.hints.get("group") is not None and find_group(state) is None:
        return ApiError("BadRequest", f"Instance group {request.hints['group']} could not be found.", 400)
    return None


QUOTA_RESOURCES = ("cores", "instances", "ram")


def check_quota(state: WalkState) -> tuple[int, ApiError | None]:
    """nova's ``check_num_instances_quota``: how many instances to create, or the 403.

    nova asks for ``max_count``; over quota, it creates as many as the
    headroom allows if that is at least ``min_count``, else refuses with
    every resource that is over, sorted, in one message.
    """
    request, flavor, quotas = state.resolved.request, state.resolved.flavor, state.catalog.quotas
    min_count, max_count = request.min_count, request.max_count
    deltas = {"instances": max_count, "cores": max_count * flavor.vcpus, "ram": max_count * flavor.ram}
    overs = [name for name in QUOTA_RESOURCES if quotas.used(name) + deltas[name] > quotas.limit(name)]
    if not overs:
        return max_count, None
    headroom = {name: quotas.limit(name) - quotas.used(name) for name in QUOTA_RESOURCES}
    allowed = min(headroom["instances"], headroom["cores"] // flavor.vcpus, headroom["ram"] // flavor.ram)
    if allowed > 0 and min_count <= allowed <= max_count:
        return allowed, None
    instances = str(min_count) if min_count == max_count else f"{min_count}-{max_count}"
    requested = {"instances": instances, "cores": str(deltas["cores"]), "ram": str(deltas["ram"])}
    over = ", ".join(overs)
    message = (
        f"Quota exceeded for {over}: Requested {', '.join(requested[name] for name in overs)}, "
        f"but already used {', '.join(str(quotas.used(name)) for name in overs)} "
        f"of {', '.join(str(quotas.limit(name)) for name in overs)} {over}"
    )
    return 0, ApiError("Forbidden", message, 403)


def find_group(state: WalkState) -> ServerGroup | None:
    """The server group the ``group`` hint names, by ID or (as Icehouse allowed) by name."""
    wanted = state.resolved.request.hints.get("group")
    if wanted is None:
        return None
    names = (wanted,) if isinstance(wanted, str) else tuple(wanted)
    return next((g for g in state.catalog.server_groups if g.id in names or g.name in names), None)


def _auto_networks(state: WalkState) -> tuple[Network, ...]:
    """The networks ``--nic auto`` can use: the project's, not the external ones."""
    return tuple(network for network in state.catalog.networks if not network.external)


def api_front(state: WalkState) -> tuple[WalkState, list[Handoff], StepResult | None, int]:
    """What nova-api does in both flows before it records anything.

    The POST, the image and network checks, the volumes, nova-api's checks
    and the quota. Returns the new state, the handoffs so far, the refusal
    (a failed step's result) if nova-api refuses, and how many instances to
    create.
    """
    resolved = state.resolved
    image = resolved.image
    body = request_body(state)
    version = str(resolved.request.api_version)
    post = Handoff(
        Service.CLIENT,
        Service.NOVA_API,
        Channel.REST,
        "POST /v2.1/servers",
        f"name {resolved.request.name}, flavorRef {resolved.flavor.id}, "
        + (f"imageRef {image.name}" if image else "no image")
        + f", networks {_describe_networks(resolved.nics)}",
        {"method": "POST", "url": f"{ENDPOINTS['compute']}/servers",
         "headers": {**_auth_headers(state), "X-OpenStack-Nova-API-Version": version,
                     "OpenStack-API-Version": f"compute {version}"},
         "body": body},
    )  # fmt: skip
    handoffs = [post]
    if image is not None:
        handoffs.append(Handoff(
            Service.NOVA_API, Service.GLANCE, Channel.REST, "GET /v2/images/{id}",
            f"image {image.name}: {image.status}, {image.disk_format}, {image.size} bytes, "
            f"min_disk {image.min_disk} GB, min_ram {image.min_ram} MB",
            {"method": "GET", "url": f"{ENDPOINTS['image']}/v2/images/{image.id}",
             "headers": _auth_headers(state)},
        ))  # fmt: skip
    if not isinstance(resolved.nics, str) and resolved.nics:
        ids = ",".join(nic.network_id for nic in resolved.nics)
        handoffs.append(Handoff(
            Service.NOVA_API, Service.NEUTRON, Channel.REST, "GET /v2.0/networks",
            "checks the requested networks exist (validate_networks)",
            {"method": "GET", "url": f"{ENDPOINTS['network']}/v2.0/networks?id={ids}",
             "headers": _auth_headers(state)},
        ))  # fmt: skip
    volumes, volume_error = plan_volumes(resolved.request, state.catalog, state.ids, image)
    state = replace(state, volumes=volumes)
    error = volume_error or _api_checks(state)
    count, quota_error = check_quota(state) if error is None else (0, None)
    error = error or quota_error
    if error is not None:
        handoffs.append(Handoff(
            Service.NOVA_API, Service.CLIENT, Channel.REST, f"{error.http_status} {error.kind}",
            error.message,
            {"status": error.http_status,
             "body": {_error_key(error.kind): {"code": error.http_status, "message": error.message}}},
        ))  # fmt: skip
        failed_state, status = _fail(state, error)
        refused = StepResult(
            tuple(handoffs), status,
            "nova-api refused the request: no instance was created, nothing was queued. "
            "The error comes straight back to nova boot.",
            logs=(LogLine(Service.NOVA_API, "INFO", f"HTTP exception thrown: {error.message}"),),
        )  # fmt: skip
        return failed_state, handoffs, refused, 0
    return state, handoffs, None, count


class RecordAndQueue:
    """Step 3: nova-api checks the request, writes the instance row and queues a message."""

    name = "nova-api"
    title = "nova-api checks the request, writes the instance row and queues the request"
    service = Service.NOVA_API
    source = "nova/compute/api.py API._create_instance, _provision_instances"
    note = (
        "nova-api reads the image (GET /v2/images/{id}) and checks flavor against image here. "
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
        uuid = instances[0].uuid
        for instance in instances:
            handoffs.append(Handoff(
                Service.NOVA_API, Service.DATABASE, Channel.DATABASE, "INSERT INTO instances",
                f"instance {instance.name} ({instance.uuid[:8]}…): vm_state building, "
                "task_state scheduling, power_state 0",
                {"table": "instances",
                 "values": {"uuid": instance.uuid, "display_name": instance.name,
                            "vm_state": "building", "task_state": "scheduling", "power_state": 0,
                            "instance_type_id": resolved.flavor.id,
                            "image_ref": image.id if image else "", "project_id": _project_id(state),
                            "user_id": _user_id(state)}},
            ))  # fmt: skip
        handoffs.append(Handoff(
            Service.NOVA_API, Service.QUEUE, Channel.RPC_CAST, "build_instances",
            f"{_count_instances(count)}, the request spec and the image, for topic conductor",
            {"exchange": "nova", "topic": "conductor", "method": "build_instances",
             "args": {"instances": [instance.uuid for instance in instances],
                      "image": {"id": image.id} if image else {},
                      "filter_properties": {"scheduler_hints": dict(resolved.request.hints)},
                      "requested_networks": _requested_networks(resolved.nics)}},
        ))  # fmt: skip
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


def create_instances(state: WalkState, count: int) -> tuple[WalkState, tuple[Instance, ...]]:
    """The request's instances, the first one followed by the walk, and its server group."""
    instances = tuple(_new_instance(state, number, count) for number in range(1, count + 1))
    state = replace(state, instance=instances[0], others=instances[1:], group=find_group(state))
    return state, instances


def accepted(state: WalkState, uuid: str) -> Handoff:
    """nova-api's 202: the server's id, its link and adminPass; the build goes on without the client."""
    request = state.resolved.request
    admin_pass = request.admin_pass or state.ids.hex("admin-pass")[:12]
    return Handoff(
        Service.NOVA_API, Service.CLIENT, Channel.REST, "202 Accepted",
        f"server id {uuid[:8]}…, adminPass; status BUILD",
        {"status": 202,
         "headers": {"Location": f"{ENDPOINTS['compute']}/servers/{uuid}",
                     "x-openstack-request-id": state.ids.request_id("create")},
         "body": {"server": {"id": uuid, "links": [
             {"rel": "self", "href": f"{ENDPOINTS['compute']}/servers/{uuid}"}],
             "OS-DCF:diskConfig": "MANUAL",
             "security_groups": [{"name": g} for g in request.security_groups or ("default",)],
             "adminPass": admin_pass}}},
    )  # fmt: skip


def _error_key(kind: str) -> str:
    return {"BadRequest": "badRequest", "Forbidden": "forbidden", "Conflict": "conflictingRequest"}.get(
        kind, "computeFault"
    )


def _new_instance(state: WalkState, number: int, count: int) -> Instance:
    """Instance ``number`` of ``count``: nova names them ``NAME-1``, ``NAME-2``… when there are several."""
    name = state.resolved.request.name
    uuid = state.ids.uuid("instance" if number == 1 else f"instance:{number}")
    return Instance(uuid=uuid, name=f"{name}-{number}" if count > 1 else name, volumes=state.volumes)


def _count_instances(count: int) -> str:
    return "1 instance" if count == 1 else f"{count} instances"


def _describe_networks(nics: Any) -> str:
    if isinstance(nics, str):
        return nics
    return "; ".join(format_nic(nic.request) for nic in nics) or "none"


def _requested_networks(nics: Any) -> Any:
    if isinstance(nics, str):
        return nics
    return [
        {"network_id": nic.network_id, "port_id": nic.request.port_id,
         "address": nic.request.v4_fixed_ip or nic.request.v6_fixed_ip}
        for nic in nics
    ]  # fmt: skip


# --- 4, 5, 6: the scheduler ----------------------------------------------------------


class Schedule:
    """Step 4: nova-scheduler picks up the message and filters and weighs the hosts."""

    name = "schedule"
    title = "nova-scheduler picks the message up, filters and weighs the compute hosts"
    service = Service.NOVA_SCHEDULER
    source = "nova/conductor/manager.py ComputeTaskManager.build_instances; nova/scheduler/filter_scheduler.py"
    note = (
        "In Icehouse the message goes to nova-conductor first, which casts run_instance to "
        "the scheduler; the scheduler reads host states from the database. Since Juno the "
        "conductor calls select_destinations (an RPC call, so it waits for the answer), and "
        "today the scheduler first asks placement for allocation candidates, then filters, "
        "weighs and claims the resources in placement. Since Queens it also returns up to "
        "max_attempts - 1 alternate hosts per instance, which a reschedule uses without "
        "asking the scheduler again."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        instance = need_instance(state)
        if state.attempt > 1:
            return self._retry(state, instance)
        resolved = state.resolved
        instances = (instance, *state.others)
        hosts = state.hosts
        handoffs = (
            Handoff(
                Service.QUEUE, Service.NOVA_CONDUCTOR, Channel.RPC_CAST, "build_instances",
                "the build request, taken off topic conductor",
                {"exchange": "nova", "topic": "conductor", "method": "build_instances"},
            ),
            Handoff(
                Service.NOVA_CONDUCTOR, Service.NOVA_SCHEDULER, Channel.RPC_CAST, "run_instance",
                f"request_spec: flavor {resolved.flavor.name}, image "
                f"{resolved.image.name if resolved.image else '-'}, {_count_instances(len(instances))}",
                {"exchange": "nova", "topic": "scheduler", "method": "run_instance",
                 "args": {"request_spec": {"instance_uuids": [i.uuid for i in instances],
                                           "instance_type": _flavor_dict(state),
                                           "num_instances": len(instances)},
                          "filter_properties": _filter_properties(state)}},
            ),
            Handoff(
                Service.NOVA_SCHEDULER, Service.DATABASE, Channel.DATABASE, "SELECT compute_nodes",
                f"the host states of {len(hosts)} compute hosts",
                {"table": "compute_nodes", "rows": [host.name for host in hosts]},
            ),
        )  # fmt: skip
        placements, after = place_instances(
            hosts,
            _request_spec(state),
            state.catalog.scheduler,
            tuple(HostInstance(i.uuid, i.name) for i in instances),
        )
        first = placements[0]
        if placements[-1].selected_host is None:
            return _no_valid_host(state, handoffs, placements, instances)
        selected = next(host for host in after if host.name == first.selected_host)
        others = tuple(
            replace(other, host=placement.selected_host)
            for other, placement in zip(state.others, placements[1:], strict=True)
        )
        state = replace(state, scheduling=first, selected_host=selected, hosts=after, others=others)
        detail = f"{first.selected_host} wins: it passed every filter and weighs the most."
        if len(instances) > 1:
            detail += (
                " Each instance consumes RAM, vCPUs and disk on its host before the next is placed, "
                "and is placed among the hosts that passed for the one before."
            )
        ignored = _ignored_hints(state)
        if ignored:
            detail += " " + ignored
        return state, StepResult(
            handoffs, detail=detail, scheduling=first, placements=placements,
            logs=(LogLine(Service.NOVA_SCHEDULER, "INFO",
                          f"Choosing host WeighedHost [host: {first.selected_host}, "
                          f"weight: {weight_text(first.weights[0].weight)}] for instance {instance.uuid}"),),
        )  # fmt: skip

    def _retry(self, state: WalkState, instance: Instance) -> tuple[WalkState, StepResult]:
        """Attempt 2 and later: the compute host sent the build back; RetryFilter skips the hosts tried."""
        config = state.catalog.scheduler
        handoffs: tuple[Handoff, ...] = (
            Handoff(
                Service.QUEUE, Service.NOVA_SCHEDULER, Channel.RPC_CAST, "run_instance",
                f"attempt {state.attempt} for {instance.name}; retry hosts: {', '.join(state.tried_hosts)}",
                {"exchange": "nova", "topic": "scheduler", "method": "run_instance",
                 "args": {"request_spec": {"instance_uuids": [instance.uuid]},
                          "filter_properties": {**_filter_properties(state),
                                                "retry": {"num_attempts": state.attempt,
                                                          "hosts": list(state.tried_hosts)}}}},
            ),
        )  # fmt: skip
        if state.attempt > config.max_attempts:
            reason = (
                f"Exceeded max scheduling attempts {config.max_attempts} for instance {instance.uuid}. "
                f"Last exception: {state.last_failure}"
            )
            return _retries_exceeded(state, handoffs, reason, None, ())
        handoffs += (
            Handoff(
                Service.NOVA_SCHEDULER,
                Service.DATABASE,
                Channel.DATABASE,
                "SELECT compute_nodes",
                f"the host states of {len(state.hosts)} compute hosts",
                {"table": "compute_nodes", "rows": [host.name for host in state.hosts]},
            ),
        )
        placements, after = place_instances(
            state.hosts, _request_spec(state), config, (HostInstance(instance.uuid, instance.name),)
        )
        result = placements[0]
        if result.selected_host is None:
            reason = f"Exhausted all hosts available for retrying build failures for instance {instance.uuid}."
            return _retries_exceeded(state, handoffs, reason, result, placements)
        selected = next(host for host in after if host.name == result.selected_host)
        state = replace(state, scheduling=result, selected_host=selected, hosts=after)
        return state, StepResult(
            handoffs,
            detail=(
                f"Attempt {state.attempt} of at most {config.max_attempts}: RetryFilter removes "
                f"{', '.join(state.tried_hosts)}, and {result.selected_host} wins among the hosts left."
            ),
            scheduling=result,
            placements=placements,
        )


def _filter_properties(state: WalkState) -> dict[str, Any]:
    request = state.resolved.request
    properties: dict[str, Any] = {
        "scheduler_hints": dict(request.hints),
        "availability_zone": request.availability_zone,
    }
    if state.group is not None:
        properties["group_policies"] = [state.group.policy]
        properties["group_hosts"] = sorted(_group_hosts(state))
    return properties


def _group_hosts(state: WalkState) -> frozenset[str]:
    """The hosts holding members of the request's server group (``InstanceGroup.get_hosts``)."""
    group = state.group
    if group is None:
        return frozenset()
    members = set(group.members)
    return frozenset(host.name for host in state.catalog.hosts if host.instance_uuids() & members)


def _request_spec(state: WalkState) -> RequestSpec:
    resolved = state.resolved
    return RequestSpec(
        flavor=resolved.flavor,
        image=resolved.image,
        availability_zone=resolved.request.availability_zone,
        hints=resolved.request.hints,
        tried_hosts=state.tried_hosts,
        group=state.group,
        group_hosts=_group_hosts(state),
    )


#: The hints the classic filters read, and the filter that reads each.
HINT_FILTERS = {
    "group": ("ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter"),
    "same_host": ("SameHostFilter",),
    "different_host": ("DifferentHostFilter",),
}


def _ignored_hints(state: WalkState) -> str:
    """Say which hints no enabled filter reads: nova ignores them without a word."""
    enabled = set(state.catalog.scheduler.enabled_filters)
    ignored = []
    for key in state.resolved.request.hints:
        readers = HINT_FILTERS.get(key, ())
        if not enabled.intersection(readers):
            ignored.append(key)
    if not ignored:
        return ""
    return (
        f"No enabled filter reads the hint{'s' if len(ignored) > 1 else ''} {', '.join(ignored)}, so nova "
        "ignores it without a word (enable the filter in cloud.yaml's scheduler.enabled_filters, or "
        "with --enabled-filters)."
    )


def _scheduler_logs(instance_uuid: str, placement: Scheduling) -> tuple[LogLine, ...]:
    """What nova's filter handler logs when the filters leave no host (``nova/filters.py``).

    Placement is not one of the filters (it answers before them), so nova's
    filter results never name it.
    """
    from bootwalk.scheduler import PLACEMENT

    counts = [count for count in placement.filter_counts() if count[0] != PLACEMENT]
    results = str([f"{name}: (start: {start}, end: {end})" for name, start, end in counts])
    return (
        LogLine(Service.NOVA_SCHEDULER, "INFO", f"Filter {counts[-1][0]} returned 0 hosts"),
        LogLine(
            Service.NOVA_SCHEDULER,
            "INFO",
            f"Filtering removed all hosts for the request with instance ID '{instance_uuid}'. "
            f"Filter results: {results}",
        ),
    )


def _no_valid_host(
    state: WalkState, handoffs: tuple[Handoff, ...], placements: tuple[Scheduling, ...], instances: tuple[Instance, ...]
) -> tuple[WalkState, StepResult]:
    """The filters left no host for some instance: every instance of the request goes to ERROR."""
    failed = placements[-1]
    message = "No valid host was found. There are not enough hosts available."
    fault = Fault(message=message, code=500)
    state = with_instance(state, vm_state="error", task_state=None, fault=fault)
    others = tuple(replace(other, vm_state="error", task_state=None, fault=fault) for other in state.others)
    state = replace(
        state,
        others=others,
        scheduling=placements[0],
        error=ApiError("NoValidHost", message, None),
        attempts=(*state.attempts, Attempt(state.attempt, None, "error", message)),
    )
    handoff = Handoff(
        Service.NOVA_SCHEDULER, Service.DATABASE, Channel.DATABASE, "UPDATE instances",
        f"vm_state error, task_state None for {_count_instances(len(instances))}, and an instance fault: "
        + message,
        {"table": "instances", "values": {"vm_state": "error", "task_state": None},
         "instances": [i.uuid for i in instances],
         "instance_faults": {"code": 500, "message": message}},
    )  # fmt: skip
    stuck = next(i for i in instances if i.uuid == failed.instance_uuid)
    if len(instances) > 1 and len(placements) > 1:
        why = (
            f"After {len(placements) - 1} instance(s) took their share, no host is left for {stuck.name}. "
            "nova wants a host for every instance it created (max_count, trimmed only by the quota), "
            "so none is built: all go to ERROR."
        )
    else:
        why = "Every host was filtered out."
    removed = sorted({verdict.filter for verdict in failed.filter_results if not verdict.passed})
    return state, StepResult(
        (*handoffs, handoff), StepStatus.FAILED,
        f"{why} Removed by: {', '.join(removed) or 'no filter (there are no hosts)'}. nova-api had already "
        "answered 202 in step 3, so nova boot printed no error: the fault shows up later, in nova show "
        "(status ERROR, fault code 500). This is nova's text since Kilo; Icehouse said 'No valid host was "
        "found. ' with no reason, and still built the instances it could place.",
        scheduling=placements[0],
        placements=placements,
        logs=(
            *(_scheduler_logs(failed.instance_uuid, failed) if failed.considered else ()),
            LogLine(Service.NOVA_CONDUCTOR, "WARNING", f"Failed to compute_task_build_instances: {message}"),
            LogLine(Service.NOVA_CONDUCTOR, "WARNING", "Setting instance to ERROR state."),
        ),
    )  # fmt: skip


def _retries_exceeded(
    state: WalkState,
    handoffs: tuple[Handoff, ...],
    reason: str,
    result: Scheduling | None,
    placements: tuple[Scheduling, ...],
) -> tuple[WalkState, StepResult]:
    """No attempt left for the followed instance: MaxRetriesExceeded, ERROR with the fault."""
    message = f"Exceeded maximum number of retries. {reason}"
    fault = Fault(message=message, code=500)
    state = with_instance(state, vm_state="error", task_state=None, host=None, fault=fault)
    state = replace(
        state,
        error=ApiError("MaxRetriesExceeded", message, None),
        attempts=(*state.attempts, Attempt(state.attempt, None, "error", message)),
    )
    handoff = Handoff(
        Service.NOVA_SCHEDULER, Service.DATABASE, Channel.DATABASE, "UPDATE instances",
        "vm_state error, task_state None, and an instance fault: " + message,
        {"table": "instances", "values": {"vm_state": "error", "task_state": None},
         "instance_faults": {"code": 500, "message": message}},
    )  # fmt: skip
    return state, StepResult(
        (*handoffs, handoff), StepStatus.FAILED,
        "No host is left to try, so the build ends here and the server goes to ERROR. The user sees it "
        "only in nova show. The text is nova's since Liberty (MaxRetriesExceeded, raised by nova-conductor); "
        "Icehouse's scheduler said 'No valid host was found.' instead.",
        scheduling=result,
        placements=placements,
        logs=(
            LogLine(Service.NOVA_CONDUCTOR, "WARNING", f"Failed to compute_task_build_instances: {message}"),
            LogLine(Service.NOVA_CONDUCTOR, "WARNING", "Setting instance to ERROR state."),
        ),
    )  # fmt: skip


def _flavor_dict(state: WalkState) -> dict[str, Any]:
    flavor = state.resolved.flavor
    return {"flavorid": flavor.id, "name": flavor.name, "memory_mb": flavor.ram, "vcpus": flavor.vcpus,
            "root_gb": flavor.disk, "ephemeral_gb": flavor.ephemeral, "swap": flavor.swap}  # fmt: skip


class RecordHost:
    """Step 5: nova-scheduler records the chosen host on the instance."""

    name = "record-host"
    title = "nova-scheduler records the chosen host on the instance"
    service = Service.NOVA_SCHEDULER
    source = "nova/scheduler/driver.py instance_update_db; nova/compute/resource_tracker.py _set_instance_host_and_node"
    note = (
        "The scheduler never writes the host. Icehouse's instance_update_db set "
        "scheduled_at and cleared host and node; the chosen host travels in the cast of "
        "step 6, and nova-compute writes host and node when it claims the resources "
        "(the resource tracker's _set_instance_host_and_node)."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        host = need_host(state).name
        instance = need_instance(state)
        handoff = Handoff(
            Service.NOVA_SCHEDULER, Service.DATABASE, Channel.DATABASE, "instance_update_db",
            f"scheduled_at for instance {instance.uuid[:8]}…; host {host} goes on in the cast",
            {"table": "instances",
             "values": {"scheduled_at": _time(1), "host": None, "node": None},
             "chosen_host": host},
        )  # fmt: skip
        return state, StepResult((handoff,))


class CastToCompute:
    """Step 6: nova-scheduler casts the request to nova-compute on the chosen host."""

    name = "cast-to-compute"
    title = "nova-scheduler casts the request to nova-compute on that host"
    service = Service.NOVA_SCHEDULER
    source = "nova/scheduler/filter_scheduler.py _provision_resource; nova/compute/rpcapi.py run_instance"
    note = (
        "A cast does not wait for an answer: the scheduler is done once the message is on the "
        "queue, routed by the key compute.<host>. Since Juno it is nova-conductor, not the "
        "scheduler, that casts build_and_run_instance to the compute host. nova-compute "
        "cannot write the database itself: it asks nova-conductor with RPC calls."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        host = need_host(state).name
        uuid = need_instance(state).uuid
        handoffs = (
            Handoff(
                Service.NOVA_SCHEDULER, Service.NOVA_COMPUTE, Channel.RPC_CAST, "run_instance",
                f"the instance and its request spec, to topic compute.{host}",
                {"exchange": "nova", "topic": f"compute.{host}", "method": "run_instance",
                 "args": {"instance": {"uuid": uuid}, "node": host,
                          "request_spec": {"instance_type": _flavor_dict(state)},
                          "requested_networks": _requested_networks(state.resolved.nics),
                          "is_first_time": True}},
            ),
            Handoff(
                Service.NOVA_COMPUTE, Service.NOVA_CONDUCTOR, Channel.RPC_CALL, "instance_update",
                "vm_state building, task_state None (the build has started)",
                {"topic": "conductor", "method": "instance_update",
                 "args": {"instance_uuid": uuid, "vm_state": "building", "task_state": None}},
            ),
            Handoff(
                Service.NOVA_COMPUTE, Service.NOVA_CONDUCTOR, Channel.RPC_CALL, "instance_update",
                f"host {host}, node {host}: the resource claim succeeded",
                {"topic": "conductor", "method": "instance_update",
                 "args": {"instance_uuid": uuid, "host": host, "node": host, "launched_on": host}},
            ),
        )  # fmt: skip
        state = with_instance(state, task_state=None, host=host)
        return state, StepResult(handoffs)


# --- 7, 8: the flavor ------------------------------------------------------------------------

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
                {"result": _flavor_dict(state)},
                simplified=True,
            ),
        )  # fmt: skip
        return state, StepResult(handoffs)


# --- 9, 10, 11: glance, neutron, cinder -----------------------------------------------------


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
            Handoff(
                Service.NOVA_COMPUTE, Service.GLANCE, Channel.REST, "GET /v2/images/{id}",
                f"{image.name}: {image.disk_format}/{image.container_format}, {image.size} bytes",
                {"method": "GET", "url": f"{ENDPOINTS['image']}/v2/images/{image.id}",
                 "headers": _auth_headers(state)},
                simplified=True,
            ),
            Handoff(
                Service.GLANCE, Service.NOVA_COMPUTE, Channel.REST, "GET /v2/images/{id}/file",
                f"the image file, {image.size} bytes ({image.size / 2**20:.1f} MiB)",
                {"method": "GET", "url": f"{ENDPOINTS['image']}/v2/images/{image.id}/file",
                 "status": 200, "headers": {"Content-Type": "application/octet-stream",
                                            "Content-Length": str(image.size)}},
            ),
        )  # fmt: skip
        if boot_volume(state) is not None:
            return state, StepResult(
                (),
                StepStatus.SKIPPED,
                "The root disk is a volume, so nova-compute downloads no image; "
                "cinder makes the volume from the image in step 11.",
            )
        return state, StepResult(handoffs)


class AllocateNetwork:
    """Step 10: nova-compute asks neutron for a port and an IP address."""

    name = "neutron"
    title = "nova-compute asks neutron for a port and an IP address on the requested network"
    service = Service.NEUTRON
    source = "nova/compute/manager.py _allocate_network; nova/network/neutron.py allocate_for_instance"
    note = (
        "In real nova this is the first thing nova-compute starts (task_state networking), "
        "and it runs in the background while block devices are prepared. nova creates the "
        "port with the user's token, then binds it to the host with an admin token; neutron "
        "later tells nova the port is plugged (network-vif-plugged)."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        instance, host = need_instance(state), need_host(state)
        state = with_instance(state, task_state="networking")
        nics = state.resolved.nics
        if nics == "none":
            return state, StepResult((), StepStatus.SKIPPED, "--nic none: the server gets no network.")
        requests: tuple[ResolvedNic, ...]
        if nics == "auto" or nics == ():
            networks = _auto_networks(state)
            if not networks:
                return state, StepResult((), StepStatus.SKIPPED, "No network to use: the server gets no network.")
            from bootwalk.request import NicRequest

            requests = (ResolvedNic(NicRequest(net_id=networks[0].id), networks[0].id, networks[0]),)
        else:
            assert not isinstance(nics, str)
            requests = nics
        handoffs: list[Handoff] = []
        bindings: list[PortBinding] = []
        for index, nic in enumerate(requests):
            assert nic.network is not None
            network = nic.network
            fixed = nic.request.v4_fixed_ip or nic.request.v6_fixed_ip
            if nic.port is not None:
                port_id, mac, address = nic.port.id, nic.port.mac_address, nic.port.fixed_ip
                created = False
            else:
                if fixed is not None and not address_in_network(network, fixed):
                    return _network_failure(state, handoffs, network, fixed)
                label = f"port:{index}" if state.attempt == 1 else f"port:{index}:attempt:{state.attempt}"
                port_id = state.ids.uuid(label)
                mac = state.ids.mac(label)
                address = pick_address(state, network, label, fixed)
                created = True
                subnet = next(
                    s for s in network.subnets if address_in_network(Network(network.name, network.id, (s,)), address)
                )
                handoffs.append(Handoff(
                    Service.NOVA_COMPUTE, Service.NEUTRON, Channel.REST, "POST /v2.0/ports",
                    f"a port on {network.name} for device {instance.uuid[:8]}…"
                    + (f", fixed IP {fixed}" if fixed else ""),
                    {"method": "POST", "url": f"{ENDPOINTS['network']}/v2.0/ports",
                     "headers": _auth_headers(state),
                     "body": {"port": {"network_id": network.id, "device_id": instance.uuid,
                                       "tenant_id": _project_id(state), "admin_state_up": True,
                                       "security_groups": list(state.resolved.request.security_groups
                                                               or ("default",)),
                                       **({"fixed_ips": [{"ip_address": fixed}]} if fixed else {})}}},
                ))  # fmt: skip
                handoffs.append(Handoff(
                    Service.NEUTRON, Service.NOVA_COMPUTE, Channel.REST, "201 Created",
                    f"port {port_id[:8]}…, MAC {mac}, IP {address}",
                    {"status": 201, "body": {"port": {
                        "id": port_id, "network_id": network.id, "mac_address": mac, "status": "DOWN",
                        "fixed_ips": [{"subnet_id": subnet.id, "ip_address": address}]}}},
                ))  # fmt: skip
            handoffs.append(Handoff(
                Service.NOVA_COMPUTE, Service.NEUTRON, Channel.REST, "PUT /v2.0/ports/{id}",
                f"bind the port to host {host.name} (device_owner compute:{host.availability_zone})",
                {"method": "PUT", "url": f"{ENDPOINTS['network']}/v2.0/ports/{port_id}",
                 "headers": {"X-Auth-Token": "(an admin token)"},
                 "body": {"port": {"device_id": instance.uuid,
                                   "device_owner": f"compute:{host.availability_zone}",
                                   "binding:host_id": host.name,
                                   "dns_name": state.resolved.request.hostname or instance.name}}},
            ))  # fmt: skip
            bindings.append(PortBinding(port_id, network, mac, address, created))
            if _scenario_strikes(state, "port-binding-failed"):
                return _port_binding_failed(state, handoffs, tuple(bindings), port_id)
        state = with_instance(state, ports=tuple(bindings))
        return state, StepResult(tuple(handoffs))


def _scenario_strikes(state: WalkState, name: str) -> bool:
    """A scenario's fault strikes the followed instance on the first host it is sent to."""
    return state.scenario is not None and state.scenario.name == name and state.attempt == 1


def _port_binding_failed(
    state: WalkState, handoffs: list[Handoff], bindings: tuple[PortBinding, ...], port_id: str
) -> tuple[WalkState, StepResult]:
    host = need_host(state)
    handoffs.append(Handoff(
        Service.NEUTRON, Service.NOVA_COMPUTE, Channel.REST, "200 OK",
        f"binding:vif_type binding_failed: no mechanism driver could bind the port on {host.name}",
        {"status": 200, "body": {"port": {"id": port_id, "binding:host_id": host.name,
                                          "binding:vif_type": "binding_failed"}}},
    ))  # fmt: skip
    reason = f"Binding failed for port {port_id}, please check neutron logs for more information."
    state = with_instance(state, ports=bindings)
    return compute_failure(
        state, handoffs, reason=reason, exception="PortBindingFailed",
        logs=(
            LogLine(Service.NEUTRON, "ERROR",
                    f"Failed to bind port {port_id} on host {host.name} for vnic_type normal using segments …"),
            LogLine(Service.NOVA_COMPUTE, "ERROR", "Instance failed network setup after 1 attempt(s)"),
            LogLine(Service.NOVA_COMPUTE, "ERROR", f"nova.exception.PortBindingFailed: {reason}"),
            LogLine(Service.NOVA_COMPUTE, "ERROR", "Failed to build and run instance"),
        ),
        what=(
            f"neutron could not bind the port on {host.name} (say its Open vSwitch agent is down). "
            "In real nova the network is set up in the background, so the PortBindingFailed "
            "surfaces when spawn waits for it; the guest is never started."
        ),
    )  # fmt: skip


def _network_failure(
    state: WalkState, handoffs: list[Handoff], network: Network, fixed: str
) -> tuple[WalkState, StepResult]:
    message = (
        f"Build of instance {need_instance(state).uuid} aborted: Failed to allocate the network(s), not rescheduling."
    )
    handoffs.append(Handoff(
        Service.NOVA_COMPUTE, Service.NEUTRON, Channel.REST, "POST /v2.0/ports",
        f"a port on {network.name} with fixed IP {fixed}",
        {"method": "POST", "url": f"{ENDPOINTS['network']}/v2.0/ports",
         "body": {"port": {"network_id": network.id, "fixed_ips": [{"ip_address": fixed}]}}},
    ))  # fmt: skip
    handoffs.append(Handoff(
        Service.NEUTRON, Service.NOVA_COMPUTE, Channel.REST, "400 Bad Request",
        f"{fixed} is not in any subnet of {network.name}",
        {"status": 400, "body": {"NeutronError": {"type": "InvalidIpForNetwork", "message": (
            f"IP address {fixed} is not a valid IP for any of the subnets on the specified network.")}}},
    ))  # fmt: skip
    fault = Fault(message=message, code=500)
    state = with_instance(state, vm_state="error", task_state=None, fault=fault)
    state = replace(state, error=ApiError("BuildAbortException", message, None))
    return state, StepResult(
        tuple(handoffs), StepStatus.FAILED,
        "Neutron refused the fixed IP. nova-compute gives up without rescheduling "
        "(BuildAbortException): the server goes to ERROR with this fault.",
    )  # fmt: skip


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
        project = _project_id(state)
        handoffs: list[Handoff] = []
        for plan in state.volumes:
            if plan.created_from is not None:
                handoffs.append(Handoff(
                    Service.NOVA_COMPUTE, Service.CINDER, Channel.REST, "POST /v3/{project_id}/volumes",
                    f"a {plan.size} GB volume from {plan.created_from} {plan.source_id or ''}".rstrip(),
                    {"method": "POST", "url": f"{ENDPOINTS['volumev3']}/{project}/volumes",
                     "body": {"volume": {"size": plan.size, **_volume_source(plan)}}},
                ))  # fmt: skip
            attachment = _attachment_id(state, plan)
            handoffs.append(Handoff(
                Service.NOVA_COMPUTE, Service.CINDER, Channel.REST, "POST /v3/{project_id}/attachments",
                f"attach volume {plan.volume_id[:8]}… ({plan.size} GB) to the instance",
                {"method": "POST", "url": f"{ENDPOINTS['volumev3']}/{project}/attachments",
                 "headers": {"OpenStack-API-Version": "volume 3.44"},
                 "body": {"attachment": {"volume_uuid": plan.volume_id, "instance_uuid": instance.uuid}}},
            ))  # fmt: skip
            handoffs.append(Handoff(
                Service.NOVA_COMPUTE, Service.CINDER, Channel.REST,
                "PUT /v3/{project_id}/attachments/{id}",
                f"the connector of {host.name} (its iSCSI initiator and IP)",
                {"method": "PUT", "url": f"{ENDPOINTS['volumev3']}/{project}/attachments/{attachment}",
                 "body": {"attachment": {"connector": {
                     "host": host.name, "initiator": f"iqn.2004-10.com.ubuntu:01:{host.name}"}}}},
            ))  # fmt: skip
            if _scenario_strikes(state, "volume-attach-failed"):
                return _volume_attach_failed(state, handoffs, plan)
            handoffs.append(Handoff(
                Service.NOVA_COMPUTE, Service.CINDER, Channel.REST,
                "POST /v3/{project_id}/attachments/{id}/action",
                f"os-complete: volume {plan.volume_id[:8]}… is in-use as {plan.device_name}",
                {"method": "POST", "url": f"{ENDPOINTS['volumev3']}/{project}/attachments/{attachment}/action",
                 "body": {"os-complete": None}},
            ))  # fmt: skip
        return state, StepResult(tuple(handoffs))


def _attachment_id(state: WalkState, plan: VolumePlan) -> str:
    return state.ids.uuid(f"attachment:{plan.volume_id}")


def _volume_attach_failed(state: WalkState, handoffs: list[Handoff], plan: VolumePlan) -> tuple[WalkState, StepResult]:
    host = need_host(state)
    handoffs.append(Handoff(
        Service.CINDER, Service.NOVA_COMPUTE, Channel.REST, "500 Internal Server Error",
        f"cinder-volume could not export volume {plan.volume_id[:8]}… to {host.name} "
        "(the storage backend's error is in cinder-volume's log)",
        {"status": 500, "body": {"computeFault": {"code": 500, "message": (
            "The server has either erred or is incapable of performing the requested operation.")}}},
    ))  # fmt: skip
    return compute_failure(
        state, handoffs, reason="Failure prepping block device.", exception="BuildAbortException",
        abort=True, attached=(plan,),
        logs=(
            LogLine(Service.NOVA_COMPUTE, "ERROR", "Instance failed block device setup"),
            LogLine(Service.NOVA_COMPUTE, "ERROR", "Failure prepping block device"),
            LogLine(Service.NOVA_COMPUTE, "ERROR",
                    f"Build of instance {need_instance(state).uuid} aborted: Failure prepping block device."),
        ),
        what=(
            "cinder could not attach the volume. nova-compute treats a block device failure as "
            "BuildAbortException: another host would not help, so it does not reschedule."
        ),
    )  # fmt: skip


def _volume_source(plan: VolumePlan) -> dict[str, str]:
    """What cinder makes a new volume from: ``imageRef`` or ``snapshot_id``; nothing for a blank one."""
    if plan.source_id is None:
        return {}
    key = "imageRef" if plan.created_from == "image" else f"{plan.created_from}_id"
    return {key: plan.source_id}


# --- 12: the hypervisor ---------------------------------------------------------------------


class Spawn:
    """Step 12: nova-compute asks the hypervisor to create and start the guest."""

    name = "hypervisor"
    title = "nova-compute asks the hypervisor (libvirt/KVM) to create and start the guest"
    service = Service.HYPERVISOR
    source = "nova/compute/manager.py _build_and_run_instance; nova/virt/libvirt/driver.py spawn"
    note = (
        "This is where nova downloads the image (inside driver.spawn). libvirt starts the "
        "guest paused and nova waits for neutron's network-vif-plugged event (up to "
        "vif_plugging_timeout, 300 s; with vif_plugging_is_fatal the boot fails without it), "
        "then resumes it. Then nova-compute logs 'Instance spawned successfully.'"
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        instance, host = need_instance(state), need_host(state)
        flavor = state.resolved.flavor
        domain = instance_name(state)
        state = with_instance(state, task_state="spawning")
        handoffs = [
            Handoff(
                Service.NOVA_COMPUTE, Service.HYPERVISOR, Channel.LIBVIRT, "defineXML",
                f"domain {domain}: {flavor.vcpus} vCPU, {flavor.ram} MiB, "
                + ("root disk on a volume" if boot_volume(state) else f"{flavor.disk} GB qcow2 root disk")
                + f", {len(instance.ports)} NIC(s)",
                {"domain": {"name": domain, "uuid": instance.uuid, "vcpu": flavor.vcpus,
                            "memory_mib": flavor.ram, "type": "kvm",
                            "interfaces": [port.mac_address for port in instance.ports]}},
            ),
            Handoff(
                Service.NOVA_COMPUTE, Service.HYPERVISOR, Channel.LIBVIRT, "createWithFlags",
                "start the guest paused until its ports are plugged",
                {"domain": domain, "flags": "VIR_DOMAIN_START_PAUSED"},
            ),
        ]  # fmt: skip
        if _scenario_strikes(state, "spawn-failed"):
            return _spawn_failed(state, handoffs, domain)
        for port in instance.ports:
            handoffs.append(Handoff(
                Service.NEUTRON, Service.NOVA_API, Channel.REST, "POST /v2.1/os-server-external-events",
                f"network-vif-plugged for port {port.port_id[:8]}…",
                {"method": "POST", "url": f"{ENDPOINTS['compute']}/os-server-external-events",
                 "body": {"events": [{"name": "network-vif-plugged", "server_uuid": instance.uuid,
                                      "tag": port.port_id, "status": "completed"}]}},
            ))  # fmt: skip
            handoffs.append(Handoff(
                Service.NOVA_API, Service.NOVA_COMPUTE, Channel.RPC_CAST, "external_instance_event",
                "the port is plugged: nova-compute stops waiting",
                {"topic": f"compute.{host.name}", "method": "external_instance_event",
                 "args": {"events": [{"name": "network-vif-plugged", "tag": port.port_id}]}},
            ))  # fmt: skip
        handoffs.append(Handoff(
            Service.NOVA_COMPUTE, Service.HYPERVISOR, Channel.LIBVIRT, "resume",
            f"domain {domain} runs",
            {"domain": domain},
        ))  # fmt: skip
        launched_at = _time(31)
        handoffs.append(Handoff(
            Service.NOVA_COMPUTE, Service.NOVA_CONDUCTOR, Channel.RPC_CALL, "instance_update",
            "vm_state active, task_state None, power_state 1 (RUNNING), launched_at",
            {"topic": "conductor", "method": "instance_update",
             "args": {"instance_uuid": instance.uuid, "vm_state": "active", "task_state": None,
                      "power_state": 1, "launched_at": launched_at}},
        ))  # fmt: skip
        state = with_instance(state, vm_state="active", task_state=None, power_state=1, launched_at=launched_at)
        state = replace(state, attempts=(*state.attempts, Attempt(state.attempt, host.name, "active")))
        return state, StepResult(
            tuple(handoffs),
            logs=(LogLine(Service.NOVA_COMPUTE, "INFO", "Instance spawned successfully."),),
        )


#: The libvirt error the spawn-failed scenario shows: an example of what a broken host says.
SPAWN_ERROR = "internal error: qemu unexpectedly closed the monitor"


def _spawn_failed(state: WalkState, handoffs: list[Handoff], domain: str) -> tuple[WalkState, StepResult]:
    host = need_host(state)
    handoffs.append(Handoff(
        Service.HYPERVISOR, Service.NOVA_COMPUTE, Channel.LIBVIRT, "libvirtError",
        f"{SPAWN_ERROR} (for example, QEMU on {host.name} cannot start the guest)",
        {"domain": domain, "error": f"libvirt.libvirtError: {SPAWN_ERROR}"},
    ))  # fmt: skip
    handoffs.append(Handoff(
        Service.NOVA_COMPUTE, Service.HYPERVISOR, Channel.LIBVIRT, "undefine",
        f"remove what is left of domain {domain}",
        {"domain": domain},
    ))  # fmt: skip
    return compute_failure(
        state, handoffs, reason=SPAWN_ERROR, exception="RescheduledException",
        attached=state.volumes,
        logs=(
            LogLine(Service.NOVA_COMPUTE, "ERROR", "Instance failed to spawn"),
            LogLine(Service.NOVA_COMPUTE, "ERROR", f"libvirt.libvirtError: {SPAWN_ERROR}"),
            LogLine(Service.NOVA_COMPUTE, "ERROR", "Failed to build and run instance"),
        ),
        what=(
            f"The hypervisor on {host.name} failed to start the guest. A failure in spawn may be "
            "this host's alone, so nova-compute sends the build back to be tried elsewhere."
        ),
    )  # fmt: skip


def compute_failure(
    state: WalkState,
    handoffs: list[Handoff],
    *,
    reason: str,
    exception: str,
    logs: tuple[LogLine, ...],
    what: str,
    abort: bool = False,
    attached: tuple[VolumePlan, ...] = (),
) -> tuple[WalkState, StepResult]:
    """A build failed on the compute host: clean up, then reschedule or end in ERROR.

    As in ``ComputeManager._do_build_and_run_instance``: a BuildAbortException
    ends the build; any other failure is re-scheduled when retries are on
    (max_attempts > 1), and otherwise ends with the reason as the fault.
    """
    instance, host = need_instance(state), need_host(state)
    cleanup_handoffs, cleanup = _cleanup(state, attached)
    handoffs.extend(cleanup_handoffs)
    config = state.catalog.scheduler
    hosts = tuple(
        release(candidate, state.resolved.flavor, instance.uuid) if candidate.name == host.name else candidate
        for candidate in state.hosts
    )
    modern = state.flow == "modern"
    if modern:
        handoffs.append(_delete_allocation(instance.uuid))
        cleanup = (*cleanup[:-1], f"allocation of {instance.uuid} deleted in placement (the claim on {host.name})")
    if not abort and config.max_attempts > 1:
        message = f"Build of instance {instance.uuid} was re-scheduled: {reason}"
        if modern:
            handoffs.append(Handoff(
                Service.NOVA_COMPUTE, Service.NOVA_CONDUCTOR, Channel.RPC_CALL, "object_action",
                "Instance.save: host None, node None, task_state scheduling",
                {"topic": "conductor", "method": "object_action",
                 "args": {"objmethod": "save", "updates": {"host": None, "node": None,
                                                           "task_state": "scheduling"}}},
            ))  # fmt: skip
            handoffs.append(Handoff(
                Service.NOVA_COMPUTE, Service.QUEUE, Channel.RPC_CAST, "build_instances",
                f"the build again, with the alternates left: [{', '.join(state.alternates)}]",
                {"exchange": "nova", "topic": "conductor", "namespace": "compute_task",
                 "method": "build_instances",
                 "args": {"host_lists": [list(state.alternates)],
                          "filter_properties": {"retry": {"num_attempts": state.attempt,
                                                          "hosts": [*state.tried_hosts, host.name],
                                                          "exc_reason": reason}}}},
            ))  # fmt: skip
        else:
            handoffs.append(Handoff(
                Service.NOVA_COMPUTE, Service.NOVA_CONDUCTOR, Channel.RPC_CALL, "instance_update",
                "host None, node None, task_state scheduling: back to the scheduler",
                {"topic": "conductor", "method": "instance_update",
                 "args": {"instance_uuid": instance.uuid, "host": None, "node": None,
                          "task_state": "scheduling"}},
            ))  # fmt: skip
            handoffs.append(Handoff(
                Service.NOVA_COMPUTE, Service.QUEUE, Channel.RPC_CAST, "run_instance",
                f"the build again, with retry hosts [{', '.join((*state.tried_hosts, host.name))}]",
                {"exchange": "nova", "topic": "scheduler", "method": "run_instance",
                 "args": {"filter_properties": {"retry": {"num_attempts": state.attempt,
                                                          "hosts": [*state.tried_hosts, host.name],
                                                          "exc_reason": reason}}}},
            ))  # fmt: skip
        state = with_instance(state, task_state="scheduling", host=None, ports=())
        state = replace(
            state,
            hosts=hosts,
            selected_host=None,
            tried_hosts=(*state.tried_hosts, host.name),
            last_failure=reason,
            attempts=(*state.attempts, Attempt(state.attempt, host.name, "rescheduled", reason)),
        )
        return state, StepResult(
            tuple(handoffs), StepStatus.RESCHEDULED,
            f"{what} {exception}: nova-compute cleans up and sends the build back: task_state goes "
            f"back to scheduling for attempt {state.attempt + 1} of at most {config.max_attempts}. "
            "nova boot answered 202 long ago; if the next host works, the user never sees this.",
            logs=(*logs, LogLine(Service.NOVA_COMPUTE, "DEBUG", message)),
            cleanup=cleanup,
        )  # fmt: skip
    if abort:
        message = f"Build of instance {instance.uuid} aborted: {reason}"
        why = f"{what} The server goes to ERROR with this fault."
    else:
        message = reason
        why = (
            f"{what} But max_attempts is 1, so rescheduling is off: nova-compute has no retry "
            "information and puts the server in ERROR with the reason itself as the fault."
        )
        logs = (*logs, LogLine(Service.NOVA_COMPUTE, "DEBUG", "Retry info not present, will not reschedule"))
    fault = Fault(message=message, code=500)
    state = with_instance(state, vm_state="error", task_state=None, host=None, ports=(), fault=fault)
    state = replace(
        state,
        hosts=hosts,
        error=ApiError(exception, message, None),
        attempts=(*state.attempts, Attempt(state.attempt, host.name, "error", message)),
    )
    return state, StepResult(
        tuple(handoffs), StepStatus.FAILED,
        why + " nova boot had answered 202: the user finds out from nova show (status ERROR, fault code 500).",
        logs=logs, cleanup=cleanup,
    )  # fmt: skip


def _delete_allocation(uuid: str) -> Handoff:
    """nova-compute gives the failed build's resources back to placement."""
    return Handoff(
        Service.NOVA_COMPUTE, Service.PLACEMENT, Channel.REST, "DELETE /allocations/{uuid}",
        f"give back what instance {uuid[:8]}… had claimed on this host",
        {"method": "DELETE", "url": f"{ENDPOINTS['placement']}/allocations/{uuid}", "status": 204},
    )  # fmt: skip


def _cleanup(state: WalkState, attached: tuple[VolumePlan, ...]) -> tuple[list[Handoff], tuple[str, ...]]:
    """What nova-compute undoes after a failed build on this host: ports, attachments, the claim."""
    instance, host, flavor = need_instance(state), need_host(state), state.resolved.flavor
    handoffs: list[Handoff] = []
    lines: list[str] = []
    for port in instance.ports:
        if port.created_by_nova:
            handoffs.append(Handoff(
                Service.NOVA_COMPUTE, Service.NEUTRON, Channel.REST, "DELETE /v2.0/ports/{id}",
                f"delete port {port.port_id[:8]}… ({port.ip_address}), which nova created",
                {"method": "DELETE", "url": f"{ENDPOINTS['network']}/v2.0/ports/{port.port_id}"},
            ))  # fmt: skip
            lines.append(f"port {port.port_id} deleted")
        else:
            handoffs.append(Handoff(
                Service.NOVA_COMPUTE, Service.NEUTRON, Channel.REST, "PUT /v2.0/ports/{id}",
                f"unbind port {port.port_id[:8]}…, which the user made: it is kept",
                {"method": "PUT", "url": f"{ENDPOINTS['network']}/v2.0/ports/{port.port_id}",
                 "body": {"port": {"device_id": "", "device_owner": "", "binding:host_id": None}}},
            ))  # fmt: skip
            lines.append(f"port {port.port_id} unbound and kept")
    project = _project_id(state)
    for plan in attached:
        attachment = _attachment_id(state, plan)
        handoffs.append(Handoff(
            Service.NOVA_COMPUTE, Service.CINDER, Channel.REST, "DELETE /v3/{project_id}/attachments/{id}",
            f"detach volume {plan.volume_id[:8]}…: it is available again",
            {"method": "DELETE", "url": f"{ENDPOINTS['volumev3']}/{project}/attachments/{attachment}"},
        ))  # fmt: skip
        lines.append(f"volume {plan.volume_id} detached")
    lines.append(
        f"claim on {host.name} released: {flavor.ram} MB RAM, {flavor.vcpus} vCPU, "
        f"{flavor.disk + flavor.ephemeral} GB disk (today: DELETE /allocations/{instance.uuid} in placement)"
    )
    return handoffs, tuple(lines)


def instance_name(state: WalkState) -> str:
    """The libvirt domain name: nova's ``instance_name_template``, ``instance-%08x``."""
    return f"instance-{1:08x}"


#: The classic story's twelve steps, in order. Adding a step is one class and one line.
CLASSIC_PIPELINE: tuple[Step, ...] = (
    Authenticate(),
    IssueToken(),
    RecordAndQueue(),
    Schedule(),
    RecordHost(),
    CastToCompute(),
    AskForFlavor(),
    ReturnFlavor(),
    FetchImage(),
    AllocateNetwork(),
    AttachVolumes(),
    Spawn(),
)


# --- what the walk ends with ------------------------------------------------------------------


def request_summary(resolved: Any, dialect: str = "nova") -> dict[str, Any]:
    """The request as the JSON trace records it: the options after lookup, and the command in both dialects."""
    from bootwalk.dialects import microversion_needs, nova_command, openstack_command

    request = resolved.request
    openstack, missing = openstack_command(request)
    return {
        "dialect": dialect,
        "commands": {"nova": nova_command(request), "openstack": openstack},
        "no_openstack_flag": missing,
        "microversions": microversion_needs(request, dialect),
        "name": request.name,
        "flavor": {"name": resolved.flavor.name, "id": resolved.flavor.id},
        "image": {"name": resolved.image.name, "id": resolved.image.id} if resolved.image else None,
        "nics": resolved.nics if isinstance(resolved.nics, str)
        else [format_nic(nic.request) for nic in resolved.nics],
        "min_count": request.min_count,
        "max_count": request.max_count,
        "availability_zone": request.availability_zone,
        "key_name": request.key_name,
        "security_groups": list(request.security_groups),
        "meta": dict(request.meta),
        "hints": dict(request.hints),
        "boot_volume": request.boot_volume,
        "snapshot": request.snapshot,
        "config_drive": request.config_drive,
        "poll": request.poll,
        "api_version": str(request.api_version),
    }  # fmt: skip


def server_view(state: WalkState) -> dict[str, Any]:
    """The server as ``GET /servers/{id}`` returns it at the end (``nova show``'s fields)."""
    instance = state.instance
    assert instance is not None
    resolved = state.resolved
    flavor, image = resolved.flavor, resolved.image
    project = _project_id(state)
    host = instance.host
    addresses: dict[str, list[dict[str, Any]]] = {}
    for port in instance.ports:
        addresses.setdefault(port.network.name, []).append({
            "addr": port.ip_address, "version": 6 if ":" in port.ip_address else 4,
            "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": port.mac_address,
        })  # fmt: skip
    status = {"active": "ACTIVE", "error": "ERROR"}.get(instance.vm_state, "BUILD")
    view: dict[str, Any] = {
        "OS-DCF:diskConfig": "MANUAL",
        "OS-EXT-AZ:availability_zone": (
            state.selected_host.availability_zone if state.selected_host and host else ""
        ),
        "OS-EXT-SRV-ATTR:host": host,
        "OS-EXT-SRV-ATTR:hypervisor_hostname": host,
        "OS-EXT-SRV-ATTR:instance_name": instance_name(state),
        "OS-EXT-STS:power_state": instance.power_state,
        "OS-EXT-STS:task_state": instance.task_state,
        "OS-EXT-STS:vm_state": instance.vm_state,
        "OS-SRV-USG:launched_at": instance.launched_at,
        "OS-SRV-USG:terminated_at": None,
        "accessIPv4": resolved.request.access_ip_v4 or "",
        "accessIPv6": resolved.request.access_ip_v6 or "",
        "addresses": addresses,
        "config_drive": "True" if resolved.request.config_drive else "",
        "created": START_TIME,
        "description": resolved.request.description,
        "flavor": {"original_name": flavor.name, "vcpus": flavor.vcpus, "ram": flavor.ram,
                   "disk": flavor.disk, "ephemeral": flavor.ephemeral, "swap": flavor.swap,
                   "extra_specs": dict(flavor.extra_specs)},
        "hostId": hashlib.sha224((project + host).encode()).hexdigest() if host else "",
        "id": instance.uuid,
        "image": {"id": image.id, "name": image.name} if image else "",
        "key_name": resolved.request.key_name,
        "locked": False,
        "metadata": dict(resolved.request.meta),
        "name": instance.name,
        "os-extended-volumes:volumes_attached": [
            {"id": plan.volume_id, "delete_on_termination": False} for plan in instance.volumes
        ] if instance.vm_state == "active" else [],
        "progress": 0,
        "security_groups": [{"name": group} for group in resolved.request.security_groups or ("default",)],
        "status": status,
        "tags": list(resolved.request.tags),
        "tenant_id": project,
        "updated": instance.launched_at or _time(2),
        "user_id": _user_id(state),
    }  # fmt: skip
    if instance.fault is not None:
        view["fault"] = {"code": instance.fault.code, "message": instance.fault.message, "created": _time(2)}
    return view


def _server_summary(state: WalkState, instance: Instance, number: int) -> dict[str, Any]:
    """One row of ``nova list``, with the host: what the final table lists for every server."""
    status = {"active": "ACTIVE", "error": "ERROR"}.get(instance.vm_state, "BUILD")
    if number == 1:
        networks = {port.network.name: [port.ip_address] for port in instance.ports}
    elif status == "ACTIVE":
        networks = _other_networks(state, number)
    else:
        networks = {}
    return {
        "id": instance.uuid,
        "name": instance.name,
        "status": status,
        "task_state": instance.task_state,
        "power_state": instance.power_state,
        "host": instance.host,
        "networks": networks,
        "fault": None if instance.fault is None else {"code": instance.fault.code, "message": instance.fault.message},
    }


def _other_networks(state: WalkState, number: int) -> dict[str, list[str]]:
    """The addresses neutron gives an instance the walk does not follow."""
    nics = state.resolved.nics
    if nics == "none":
        return {}
    if isinstance(nics, str) or not nics:
        networks = _auto_networks(state)[:1]
    else:
        networks = tuple(nic.network for nic in nics if nic.network is not None)
    return {
        network.name: [pick_address(state, network, f"port:{number}:{index}", None)]
        for index, network in enumerate(networks)
    }


def final_servers(state: WalkState) -> tuple[dict[str, Any], ...]:
    """Every server of the request as the walk leaves it; the others are built as the first was.

    The scenarios strike only the followed instance, so an instance the walk
    does not follow ends ACTIVE on its host unless scheduling failed for all.
    """
    if state.instance is None:
        return ()
    others = tuple(
        other
        if other.vm_state == "error"
        else replace(other, vm_state="active", task_state=None, power_state=1, launched_at=_time(31))
        for other in state.others
    )
    instances = (state.instance, *others)
    return tuple(_server_summary(state, instance, number) for number, instance in enumerate(instances, start=1))


def where_it_surfaces(trace: Any) -> str:
    """One sentence: where the user sees how the boot went."""
    if trace.error is not None and trace.error.http_status is not None:
        return f"nova boot itself prints the error and exits 1: {trace.error.as_client_line()}"
    if trace.error is not None:
        return (
            "nova boot answered 202 and printed the server as BUILD; the error shows only in "
            f"nova show {trace.request['name'] if len(trace.servers) == 1 else trace.servers[0]['name']}: "
            f"status ERROR, fault {trace.error.message!r} (code 500)."
        )
    rescheduled = [attempt for attempt in trace.attempts if attempt.result == "rescheduled"]
    if rescheduled:
        hosts = ", ".join(attempt.host for attempt in rescheduled)
        return f"nowhere. The server ended ACTIVE; only the logs of nova-compute on {hosts} show the failed attempt."
    return ""
