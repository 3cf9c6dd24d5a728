"""nova-api's behaviour that both flows share: the request body, the checks, the quota and the 202.

The order of the checks follows ``nova/compute/api.py API._create_instance``;
the messages are nova's, as novaclient prints them.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from bootwalk.cloud import ENDPOINTS, auth_headers, client_headers, project_id
from bootwalk.engine.addresses import auto_networks
from bootwalk.engine.state import Instance, StepResult, VolumePlan, WalkState, fail
from bootwalk.handoffs import rest_reply, rest_request
from bootwalk.ids import IdSource
from bootwalk.model import Catalog, Image, ServerGroup
from bootwalk.request import BlockDevice, BootRequest, format_nic, is_uuid_like
from bootwalk.trace import ApiError, Handoff, LogLine, Service, Work


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
        mappings.append(
            {
                "source_type": "volume",
                "destination_type": "volume",
                "boot_index": 0,
                "uuid": request.boot_volume,
                "delete_on_termination": False,
            }
        )
    if request.snapshot:
        mappings.append(
            {
                "source_type": "snapshot",
                "destination_type": "volume",
                "boot_index": 0,
                "uuid": request.snapshot,
                "delete_on_termination": False,
            }
        )
    mappings.extend(device.as_api() for device in request.ephemeral)
    if request.swap:
        mappings.append(
            {
                "source_type": "blank",
                "destination_type": "local",
                "boot_index": -1,
                "delete_on_termination": True,
                "guest_format": "swap",
                "volume_size": request.swap,
            }
        )
    if mappings:
        if resolved.image and not any(m.get("boot_index") == 0 for m in mappings):
            mappings.insert(
                0,
                {
                    "uuid": resolved.image.id,
                    "source_type": "image",
                    "destination_type": "local",
                    "boot_index": 0,
                    "delete_on_termination": True,
                },
            )
        server["block_device_mapping_v2"] = mappings
    if request.block_device_mapping:
        server["block_device_mapping"] = [
            {
                "device_name": device.device_name,
                "volume_id": device.uuid,
                "volume_size": device.volume_size,
                "delete_on_termination": device.delete_on_termination,
            }
            for device in request.block_device_mapping
        ]
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


Check = Callable[[WalkState], tuple[list[Handoff], ApiError | None]]


def _refuse(state: WalkState, key: str, **values: Any) -> ApiError:
    return state.flow.facts.error(key).api_error(values)


#: The longest server name nova takes (Icehouse's check_string_length, today's schema maxLength).
NAME_MAX = 255


def _early(state: WalkState) -> tuple[list[Handoff], ApiError | None]:
    """``API.create``'s checks, before anything is fetched: the name's length (Icehouse's controller checks it
    here, today's schema before), several instances with one port or one fixed IP."""
    resolved, facts = state.resolved, state.flow.facts
    if facts.has_error("server_name_too_long") and len(resolved.request.name.strip()) > NAME_MAX:
        return [], _refuse(state, "server_name_too_long", name="Server name", max_length=NAME_MAX)
    if resolved.request.max_count > 1 and not isinstance(resolved.nics, str):
        if any(nic.request.port_id for nic in resolved.nics):
            return [], _refuse(state, "multiple_ports")
        fixed = any(nic.request.v4_fixed_ip or nic.request.v6_fixed_ip for nic in resolved.nics)
        if fixed and facts.has_error("multiple_fixed_ips"):
            return [], _refuse(state, "multiple_fixed_ips")
    return [], None


def _zone(state: WalkState) -> tuple[list[Handoff], ApiError | None]:
    """The availability zone asked for must be one the hosts are in."""
    zone = state.resolved.request.availability_zone
    if zone and zone not in {host.availability_zone for host in state.catalog.hosts}:
        return [], _refuse(state, "az_unavailable")
    return [], None


def _fetch_image(state: WalkState) -> tuple[list[Handoff], ApiError | None]:
    """nova-api reads the image: a HEAD on glance v1 in Icehouse, ``GET /v2/images/{id}`` today."""
    image = state.resolved.image
    if image is None:
        return [], None
    v1 = state.flow.facts.default("glance_api") == "v1"  # Icehouse: _client.call(context, 1, 'get', ...)
    fetched = rest_request(
        Service.NOVA_API,
        Service.GLANCE,
        "HEAD /v1/images/{id}" if v1 else "GET /v2/images/{id}",
        f"image {image.name}: {image.status}, {image.disk_format}, {image.size} bytes, "
        f"min_disk {image.min_disk} GB, min_ram {image.min_ram} MB",
        url=f"{state.endpoint('image')}/{'v1' if v1 else 'v2'}/images/{image.id}",
        headers=auth_headers(state.token),
    )
    return [fetched], None


def _image(state: WalkState) -> tuple[list[Handoff], ApiError | None]:
    """The flavor against the image: active, enough RAM, a disk big enough (0 GB: a volume, today)."""
    resolved, facts = state.resolved, state.flow.facts
    image, flavor = resolved.image, resolved.flavor
    if image is None:
        return [], None
    volume_root = (
        resolved.request.boot_volume or resolved.request.snapshot or any(plan.boot_index == 0 for plan in state.volumes)
    )
    if image.status != "active":
        return [], _refuse(state, "image_not_active", image_id=image.id)
    if flavor.ram < image.min_ram:
        return [], _refuse(state, "memory_too_small")
    disk_bytes = flavor.disk * 2**30
    min_disk_bytes = image.min_disk * 2**30
    if not volume_root and disk_bytes != 0:
        if image.size > disk_bytes:
            return [], _refuse(state, "disk_smaller_than_image", flavor_size=disk_bytes, image_size=image.size)
        if min_disk_bytes > disk_bytes:
            return [], _refuse(
                state, "disk_smaller_than_min_disk", flavor_size=disk_bytes, image_min_disk=min_disk_bytes
            )
    if not volume_root and disk_bytes == 0 and facts.has_error("zero_disk_flavor"):
        return [], _refuse(state, "zero_disk_flavor")
    return [], None


def _volume_ids(state: WalkState) -> list[str]:
    """The existing volumes the request maps, each once, in the order given."""
    request = state.resolved.request
    mapped = (*request.block_device_mapping, *request.block_devices)
    wanted = [request.boot_volume] if request.boot_volume else []
    wanted += [d.uuid for d in mapped if d.source_type == "volume" and d.uuid]
    return list(dict.fromkeys(wanted))


def _get_volumes(state: WalkState, volume_ids: list[str], key: str) -> tuple[list[Handoff], ApiError | None]:
    """nova-api's ``GET`` of each volume from cinder, up to the first that is not there (refused as ``key``)."""
    handoffs: list[Handoff] = []
    v1 = state.flow.facts.default("glance_api") == "v1"  # the Icehouse cloud: cinder v1 as well
    root = f"{state.endpoint('volume')}" if v1 else f"{ENDPOINTS['volumev3']}/{project_id(state.ids)}"
    for volume_id in volume_ids:
        known = next((v for v in state.catalog.volumes if v.id == volume_id), None)
        handoffs.append(
            rest_request(
                Service.NOVA_API,
                Service.CINDER,
                "GET /v1/{tenant_id}/volumes/{id}" if v1 else "GET /v3/{project_id}/volumes/{id}",
                f"volume {volume_id[:8]}…: " + (f"available, {known.size} GB" if known else "no such volume (404)"),
                url=f"{root}/volumes/{volume_id}",
                status=200 if known else 404,
            )
        )
        if known is None:
            return handoffs, _refuse(state, key, id=volume_id, volume_id=volume_id)
    return handoffs, None


def _boot_volume(state: WalkState) -> tuple[list[Handoff], ApiError | None]:
    """With no image, nova-api reads the root volume for its image metadata; one it cannot get is invalid."""
    request = state.resolved.request
    if state.resolved.image is not None:
        return [], None
    roots = [d.uuid for d in request.block_devices if d.source_type == "volume" and d.boot_index == 0 and d.uuid]
    roots += [d.uuid for d in request.block_device_mapping if d.device_name == "vda" and d.uuid]
    root = request.boot_volume or next(iter(roots), None)
    return _get_volumes(state, [root], "boot_volume_invalid") if root else ([], None)


def _volumes(state: WalkState) -> tuple[list[Handoff], ApiError | None]:
    """After the quota, nova-api reads every mapped volume (the root one again) to check it can be attached."""
    return _get_volumes(state, _volume_ids(state), "volume_not_found")


def _security_groups(state: WalkState) -> tuple[list[Handoff], ApiError | None]:
    """Each security group must exist: nova asks neutron, and passes neutronclient's words on."""
    for group in state.resolved.request.security_groups:
        if group not in state.catalog.security_groups:
            return [], _refuse(state, "security_group_not_found", security_group_id=group)
    return [], None


def _networks(state: WalkState) -> tuple[list[Handoff], ApiError | None]:
    """``validate_networks``: the requested networks and ports exist (neutron ``GET /v2.0/networks``)."""
    resolved = state.resolved
    handoffs: list[Handoff] = []
    if not isinstance(resolved.nics, str) and resolved.nics:
        ids = ",".join(nic.network_id for nic in resolved.nics)
        handoffs.append(
            rest_request(
                Service.NOVA_API,
                Service.NEUTRON,
                "GET /v2.0/networks",
                "checks the requested networks exist (validate_networks)",
                url=state.neutron_url("networks", f"id={ids}"),
                headers=auth_headers(state.token),
                work=Work.VALIDATE,
            )
        )
        for nic in resolved.nics:
            if nic.request.port_id and nic.port is None:
                return handoffs, _refuse(state, "port_not_found", port_id=nic.request.port_id)
            if nic.network is None:
                return handoffs, _refuse(state, "network_not_found", network_id=nic.network_id)
        handoffs.extend(_port_quota(state, sum(not nic.request.port_id for nic in resolved.nics)))
    elif resolved.nics == "auto" and len(auto_networks(state.catalog)) > 1:
        return handoffs, _refuse(state, "network_ambiguous")
    elif resolved.nics == "auto" and auto_networks(state.catalog):
        handoffs.extend(_port_quota(state, 1))
    return handoffs, None


def _port_quota(state: WalkState, needed: int) -> list[Handoff]:
    """validate_networks' last question: how many ports the project may still make (neutron's port quota).

    Each instance needs a port per network it asks for; nova-api counts the
    project's ports and reads the quota, in its release's order, and trims
    ``max_count`` to what fits (PortLimitExceeded when none does).
    """
    if not needed:
        return []
    project = project_id(state.ids)
    calls = {
        "ports": rest_request(
            Service.NOVA_API,
            Service.NEUTRON,
            "GET /v2.0/ports",
            "counts the project's ports, for the port quota",
            url=state.neutron_url("ports", f"tenant_id={project}" + state.flow.facts.default("port_count_fields")),
            headers=auth_headers(state.token),
            work=Work.VALIDATE,
        ),
        "quota": rest_request(
            Service.NOVA_API,
            Service.NEUTRON,
            "GET /v2.0/quotas/{project_id}",
            f"reads the project's port quota: {needed} port(s) an instance",
            url=state.neutron_url(f"quotas/{project}"),
            headers=auth_headers(state.token),
            work=Work.VALIDATE,
        ),
    }
    return [calls[name] for name in state.flow.facts.default("port_quota_order")]


def _keypair(state: WalkState) -> tuple[list[Handoff], ApiError | None]:
    """The key pair must exist."""
    request = state.resolved.request
    if request.key_name and request.key_name not in {pair.name for pair in state.catalog.keypairs}:
        return [], _refuse(state, "key_name_invalid")
    return [], None


def _group(state: WalkState) -> tuple[list[Handoff], ApiError | None]:
    """A server group given by UUID must exist."""
    wanted = state.resolved.request.hints.get("group")
    if isinstance(wanted, str) and is_uuid_like(wanted) and find_group(state) is None:
        return [], _refuse(state, "group_not_found", group_uuid=wanted)
    return [], None


#: nova-api's checks by name, for each release's order (``api_check_order`` in its facts).
CHECKS: dict[str, Check] = {
    "early": _early,
    "zone": _zone,
    "fetch_image": _fetch_image,
    "image": _image,
    "boot_volume": _boot_volume,
    "volumes": _volumes,
    "security_groups": _security_groups,
    "networks": _networks,
    "keypair": _keypair,
    "group": _group,
}


def api_checks(state: WalkState, names: Sequence[str]) -> tuple[list[Handoff], ApiError | None, str | None]:
    """nova-api's checks ``names``, in order, and the calls each makes, up to the first refusal (and its check).

    A check the release did not make (no such error among its facts) is
    skipped: Icehouse had no zero-disk rule, and no rule against fixed IPs in
    a multi-create.
    """
    handoffs: list[Handoff] = []
    for name in names:
        made, error = CHECKS[name](state)
        handoffs.extend(made)
        if error is not None:
            return handoffs, error, name
    return handoffs, None, None


def hint_schema_error(state: WalkState) -> ApiError | None:
    """Today's nova-api checks the hints against its schema first: ``group`` and ``different_host`` take UUIDs.

    ``same_host`` given once is not checked; given several times, each must be
    a UUID. A release with no such schema (Icehouse) checks nothing here.
    """
    facts = state.flow.facts
    if not facts.has_error("hint_schema"):
        return None
    error = facts.error("hint_schema")
    name = state.resolved.request.name
    if len(name) > NAME_MAX:  # parameter_types.name: maxLength 255
        return error.api_error({"path": "server/name", "value": name, "message": f"{name!r} is too long"})
    for key in ("group", "different_host", "same_host"):
        value = state.resolved.request.hints.get(key)
        if value is None:
            continue
        if key == "same_host" and not isinstance(value, str):
            for index, item in enumerate(value):
                if not is_uuid_like(item):
                    return error.api_error({"path": index, "value": item, "message": f"'{item}' is not a 'uuid'"})
            continue
        if key == "same_host":
            continue
        values = (value,) if isinstance(value, str) else tuple(value)
        if not all(is_uuid_like(item) for item in values):
            message = f"{value!r} is not valid under any of the given schemas"
            return error.api_error({"path": key, "value": value, "message": message})
    return None


QUOTA_RESOURCES = ("cores", "instances", "ram")


def check_quota(state: WalkState) -> tuple[int, ApiError | None, tuple[LogLine, ...]]:
    """nova's ``check_num_instances_quota``: how many instances to create, or the refusal.

    nova asks for ``max_count``; over quota, it creates as many as the
    headroom allows if that is at least ``min_count``, else refuses. Today's
    nova names every resource that is over, sorted, in one message, with a
    403; Icehouse joined their names with commas but gave the numbers of the
    first alone, with a 413 (``quota_reports``).
    """
    request, flavor, quotas = state.resolved.request, state.resolved.flavor, state.catalog.quotas
    facts = state.flow.facts
    min_count, max_count = request.min_count, request.max_count
    deltas = {"instances": max_count, "cores": max_count * flavor.vcpus, "ram": max_count * flavor.ram}
    overs = [name for name in QUOTA_RESOURCES if quotas.used(name) + deltas[name] > quotas.limit(name)]
    if not overs:
        return max_count, None, ()
    headroom = {name: quotas.limit(name) - quotas.used(name) for name in QUOTA_RESOURCES}
    allowed = min(headroom["instances"], headroom["cores"] // flavor.vcpus, headroom["ram"] // flavor.ram)
    if allowed > 0 and min_count <= allowed <= max_count:
        return allowed, None, ()
    instances = str(min_count) if min_count == max_count else f"{min_count}-{max_count}"
    requested = {"instances": instances, "cores": str(deltas["cores"]), "ram": str(deltas["ram"])}
    if facts.default("quota_reports") == "first":
        first = overs[0]
        values: dict[str, Any] = {
            "overs": ",".join(overs),
            "req": requested[first],
            "used": quotas.used(first),
            "allowed": quotas.limit(first),
            "resource": first,
        }
    else:
        values = {
            "overs": ", ".join(overs),
            "req": ", ".join(requested[name] for name in overs),
            "used": ", ".join(str(quotas.used(name)) for name in overs),
            "allowed": ", ".join(str(quotas.limit(name)) for name in overs),
        }
    reasons = facts.default("quota_messages")
    logged = {
        "overs": values["overs"],
        "pid": project_id(state.ids),
        "min_count": min_count,
        "max_count": max_count,
        "msg": reasons["none"] if allowed <= 0 else reasons["some"] % allowed,
    }
    logs = facts.logs("over_quota_one" if min_count == max_count else "over_quota_range", **logged)
    return 0, facts.error("over_quota").api_error(values), logs


def find_group(state: WalkState) -> ServerGroup | None:
    """The server group the ``group`` hint names: by UUID only, as nova looks it up."""
    wanted = state.resolved.request.hints.get("group")
    if wanted is None:
        return None
    names = (wanted,) if isinstance(wanted, str) else tuple(wanted)
    return next((g for g in state.catalog.server_groups if g.id in names), None)


def client_lookups(state: WalkState) -> list[Handoff]:
    """What novaclient looks up before it sends ``POST /servers``: the flavor, the image, each named network.

    ``utils.find_resource`` tries a flavor's text as an ID first (``GET
    /flavors/m1.tiny``, a 404), then lists the flavors and matches the name;
    ``GlanceManager.find_image`` asks glance by name; ``_find_network_id``
    asks neutron by name. An ID is fetched as it is. openstackclient's own
    lookups are not shown.
    """
    if state.dialect.name != "nova":
        return []
    resolved, facts = state.resolved, state.flow.facts
    request = resolved.request
    headers = client_headers(state.token)
    compute, path = state.endpoint("compute"), facts.default("compute_path")
    found: list[Handoff] = []

    def lookup(target: Service, call: str, summary: str, url: str, status: int = 200) -> None:
        handoff = rest_request(
            Service.CLIENT, target, call, summary, url=url, headers=headers, status=status, work=Work.LOOKUP
        )
        found.append(handoff)

    flavor = resolved.flavor
    by_id = request.flavor == flavor.id
    flavors = f"GET {path}/flavors"
    lookup(
        Service.NOVA_API,
        flavors + "/{flavor}",
        f"flavor {request.flavor}: as an ID",
        f"{compute}/flavors/" + request.flavor,
        200 if by_id else 404,
    )
    if not by_id:
        lookup(
            Service.NOVA_API,
            flavors,
            f"flavor {request.flavor} by name: ID {flavor.id}",
            f"{compute}/flavors?is_public=None",
        )
    image = resolved.image
    if image is not None and request.image is not None:
        image_id = is_uuid_like(request.image)
        where = f"/{image.id}" if image_id else f"?name={request.image}"
        named = "" if image_id else f" by name: ID {image.id[:8]}…"
        lookup(
            Service.GLANCE,
            "GET /v2/images/{id}" if image_id else "GET /v2/images",
            f"image {request.image}" + named,
            f"{state.endpoint('image')}/v2/images{where}",
        )
    if not isinstance(resolved.nics, str):
        for nic in resolved.nics:
            if nic.request.net_name and nic.network is not None:
                name = nic.request.net_name
                lookup(
                    Service.NEUTRON,
                    "GET /v2.0/networks",
                    f"network {name} by name: ID {nic.network.id[:8]}…",
                    f"{state.endpoint('network')}/v2.0/networks?name={name}",
                )
    return found


def api_front(state: WalkState) -> tuple[WalkState, list[Handoff], StepResult | None, int]:
    """What nova-api does in both flows before it records anything.

    The POST, the image and network checks, the volumes, nova-api's checks
    and the quota. Returns the new state, the handoffs so far, the refusal
    (a failed step's result) if nova-api refuses, and how many instances to
    create.
    """
    resolved = state.resolved
    facts = state.flow.facts
    image = resolved.image
    body = request_body(state)
    version = str(resolved.request.api_version)
    headers = client_headers(state.token)
    if facts.default("microversions"):  # Icehouse had none: novaclient finds no range and speaks 2.0
        headers |= {"X-OpenStack-Nova-API-Version": version, "OpenStack-API-Version": f"compute {version}"}
    lookups = client_lookups(state)
    post = rest_request(
        Service.CLIENT,
        Service.NOVA_API,
        f"POST {facts.default('compute_path')}/servers",
        f"name {resolved.request.name}, flavorRef {resolved.flavor.id}, "
        + (f"imageRef {image.name}" if image else "no image")
        + f", networks {describe_networks(resolved.nics)}",
        url=f"{state.endpoint('compute')}/servers",
        headers=headers,
        body=body,
        work=Work.CREATE_SERVER,
    )
    handoffs = [*lookups, post]
    volumes = plan_volumes(resolved.request, state.catalog, state.ids, image)
    state = replace(state, volumes=volumes)
    order = facts.default("api_check_order")  # the quota is one of them: some checks come after it
    before, after = order[: order.index("quota")], order[order.index("quota") + 1 :]
    error, failed = hint_schema_error(state), None
    if error is None:
        checked, error, failed = api_checks(state, before)
        handoffs.extend(checked)
    count, quota_error, quota_logs = check_quota(state) if error is None else (0, None, ())
    error = error or quota_error
    if error is None:
        checked, error, failed = api_checks(state, after)
        handoffs.extend(checked)
    if error is not None:
        assert error.http_status is not None  # nova-api's own refusals are HTTP errors
        handoffs.append(
            rest_reply(
                Service.NOVA_API,
                Service.CLIENT,
                error.http_status,
                error.message,
                headers=retry_after(state, error),
                body={error_key(error.kind): {"code": error.http_status, "message": error.message}},
                reason=error.kind,
            )
        )
        failed_state, status = fail(state, error)
        if failed in facts.default("refused_after_records"):  # the rows were written: they stay, in BUILD
            failed_state, _instances = create_instances(failed_state, count)
        refused = StepResult(
            tuple(handoffs),
            status,
            (
                "nova-api refused the request after writing the instance records, which stay (building, "
                "scheduling); nothing was queued. "
                if failed in facts.default("refused_after_records")
                else "nova-api refused the request: no instance was created, nothing was queued. "
            )
            + f"The error comes straight back to {state.dialect.command}.",
            logs=(*quota_logs, *state.flow.facts.logs("api_refused", message=error.message)),
        )
        return failed_state, handoffs, refused, 0
    return state, handoffs, None, count


def create_instances(state: WalkState, count: int) -> tuple[WalkState, tuple[Instance, ...]]:
    """The request's instances, the first one followed by the walk, and its server group."""
    instances = tuple(new_instance(state, number, count) for number in range(1, count + 1))
    state = replace(state, instance=instances[0], others=instances[1:], group=find_group(state))
    return state, instances


def accepted(state: WalkState, uuid: str) -> Handoff:
    """nova-api's 202: the server's id, its link and adminPass; the build goes on without the client."""
    request = state.resolved.request
    admin_pass = request.admin_pass or state.ids.hex("admin-pass")[:12]
    link = f"{state.endpoint('compute')}/servers/{uuid}"
    bookmark = re.sub(r"/v2(\.1)?/", "/", link, count=1)  # the link without the API version
    return rest_reply(
        Service.NOVA_API,
        Service.CLIENT,
        202,
        f"server id {uuid[:8]}…, adminPass; status BUILD",
        headers={
            "Location": link,
            **dict.fromkeys(state.flow.facts.default("request_id_headers"), state.ids.request_id("create")),
        },
        body={
            "server": {
                "id": uuid,
                "links": [{"rel": "self", "href": link}, {"rel": "bookmark", "href": bookmark}],
                "OS-DCF:diskConfig": "MANUAL",
                "security_groups": [{"name": g} for g in request.security_groups or ("default",)],
                "adminPass": admin_pass,
            }
        },
    )


def retry_after(state: WalkState, error: ApiError) -> dict[str, str] | None:
    """Icehouse's over-quota 413 came with ``Retry-After: 0`` (``servers.py create``)."""
    if error.http_status != 413:
        return None
    return {"Retry-After": str(state.flow.facts.error("over_quota").retry_after)}


def error_key(kind: str) -> str:
    return {
        "BadRequest": "badRequest",
        "Forbidden": "forbidden",
        "Conflict": "conflictingRequest",
        "OverLimit": "overLimit",
        "NotFound": "itemNotFound",
    }.get(kind, "computeFault")


def new_instance(state: WalkState, number: int, count: int) -> Instance:
    """Instance ``number`` of ``count``: nova names them ``NAME-1``, ``NAME-2``… when there are several."""
    name = state.resolved.request.name
    uuid = state.ids.uuid("instance" if number == 1 else f"instance:{number}")
    if count > 1:
        template = state.flow.facts.default("multi_instance_display_name_template")
        name = template % {"name": name, "uuid": uuid, "count": number}
    return Instance(uuid=uuid, name=name, volumes=state.volumes)


def count_instances(count: int) -> str:
    return "1 instance" if count == 1 else f"{count} instances"


def describe_networks(nics: Any) -> str:
    if isinstance(nics, str):
        return nics
    return "; ".join(format_nic(nic.request) for nic in nics) or "none"


def requested_networks(nics: Any) -> Any:
    if isinstance(nics, str):
        return nics
    return [
        {
            "network_id": nic.network_id,
            "port_id": nic.request.port_id,
            "address": nic.request.v4_fixed_ip or nic.request.v6_fixed_ip,
        }
        for nic in nics
    ]


def requested_network_tuples(nics: Any) -> Any:
    """Icehouse's ``requested_networks``: (network_id, fixed_ip, port_id) tuples (NetworkRequest came in Juno)."""
    if isinstance(nics, str):
        return None
    return [[nic.network_id, nic.request.v4_fixed_ip or nic.request.v6_fixed_ip, nic.request.port_id] for nic in nics]


def plan_volumes(request: BootRequest, catalog: Catalog, ids: IdSource, image: Image | None) -> tuple[VolumePlan, ...]:
    """Work out the volumes the boot uses; one cinder does not have is left out (nova-api's checks refuse it)."""
    devices: list[BlockDevice] = []
    if request.boot_volume:
        devices.append(BlockDevice("volume", "volume", 0, uuid=request.boot_volume))
    if request.snapshot:
        devices.append(BlockDevice("snapshot", "volume", 0, uuid=request.snapshot))
    devices.extend(request.block_device_mapping)
    devices.extend(d for d in request.block_devices if d.destination_type == "volume")
    plans = []
    letters = "bcdefghijklmnop" if image is not None else "abcdefghijklmnop"
    for index, device in enumerate(devices):
        name = device.device_name or f"/dev/vd{letters[index]}"
        if device.source_type == "volume":
            volume = next((v for v in catalog.volumes if v.id == device.uuid), None)
            if volume is not None:
                plans.append(VolumePlan(volume.id, volume.size, name, device.boot_index))
        else:
            size = device.volume_size or (
                max(1, -(-image.size // 2**30)) if device.source_type == "image" and image else 1
            )
            plans.append(
                VolumePlan(
                    ids.uuid(f"volume:{index}"),
                    size,
                    name,
                    device.boot_index,
                    created_from=device.source_type,
                    source_id=device.uuid,
                )
            )
    return tuple(plans)
