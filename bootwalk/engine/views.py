"""The views a walk ends with: the request as the trace records it, and the servers as nova shows them.

``server_view`` is ``GET /servers/{id}`` (``nova show``), ``final_servers``
the rows of ``nova list``, and ``where_it_surfaces`` one sentence on where
the user sees how the boot went.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bootwalk.cloud import instance_name, project_id, time_at, usage_time, user_id
from bootwalk.engine.addresses import auto_networks, pick_address
from bootwalk.engine.state import Instance, WalkState
from bootwalk.ids import sha224_hex
from bootwalk.request import ApiVersion, format_nic
from bootwalk.trace import Trace


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
        "nics": resolved.nics if isinstance(resolved.nics, str) else [format_nic(nic.request) for nic in resolved.nics],
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
    }


def spoken_version(state: WalkState) -> ApiVersion:
    """The compute API version the client speaks to the flow's cloud: 2.0 when the release had no microversions."""
    if state.flow.facts.default("microversions"):
        version: ApiVersion = state.resolved.request.api_version
        return version
    return ApiVersion(2, 0)


#: The fields ``GET /servers/{id}`` gains at each microversion (nova/api/openstack/compute/views/servers.py).
SINCE = {
    "locked": ApiVersion(2, 9),
    "description": ApiVersion(2, 19),
    "tags": ApiVersion(2, 26),
    "trusted_image_certificates": ApiVersion(2, 63),
    "server_groups": ApiVersion(2, 71),
    "locked_reason": ApiVersion(2, 73),
    "OS-EXT-SRV-ATTR:hostname": ApiVersion(2, 90),
    "pinned_availability_zone": ApiVersion(2, 96),
}
#: From this microversion the flavor is embedded in the server; before, it is an ID and a link.
EMBEDDED_FLAVOR = ApiVersion(2, 47)
#: From this microversion each attached volume says whether it is deleted with the server.
VOLUME_DELETE_FLAG = ApiVersion(2, 3)
#: The fields only an admin sees (2014.1 etc/nova/policy.json extended_server_attributes; today
#: nova/policies/extended_server_attributes.py): the walk's user, demo, is a member.
ADMIN_ONLY = ("OS-EXT-SRV-ATTR:host", "OS-EXT-SRV-ATTR:hypervisor_hostname", "OS-EXT-SRV-ATTR:instance_name")


def server_view(state: WalkState) -> dict[str, Any]:
    """The server as ``GET /servers/{id}`` returns it to user demo at the end (``nova show``'s fields).

    The fields are those of the microversion the client speaks (2.0 to an
    Icehouse cloud), without the admin-only ``OS-EXT-SRV-ATTR:*`` a member
    does not see (``admin_view`` has them).
    """
    instance = state.instance
    assert instance is not None
    resolved = state.resolved
    version = spoken_version(state)
    flavor, image = resolved.flavor, resolved.image
    project = project_id(state.ids)
    host = instance.host
    addresses: dict[str, list[dict[str, Any]]] = {}
    for port in instance.ports:
        addresses.setdefault(port.network.name, []).append(
            {
                "addr": port.ip_address,
                "version": 6 if ":" in port.ip_address else 4,
                "OS-EXT-IPS:type": "fixed",
                "OS-EXT-IPS-MAC:mac_addr": port.mac_address,
            }
        )
    status = {"active": "ACTIVE", "error": "ERROR"}.get(instance.vm_state, "BUILD")
    bookmark = re.sub(r"/v2(\.1)?/", "/", state.endpoint("compute") + "/", count=1).rstrip("/")
    flavor_view: dict[str, Any] = (
        {
            "original_name": flavor.name,
            "vcpus": flavor.vcpus,
            "ram": flavor.ram,
            "disk": flavor.disk,
            "ephemeral": flavor.ephemeral,
            "swap": flavor.swap,
            "extra_specs": dict(flavor.extra_specs),
        }
        if not version < EMBEDDED_FLAVOR
        else {"id": flavor.id, "links": [{"rel": "bookmark", "href": f"{bookmark}/flavors/{flavor.id}"}]}
    )
    volumes = [
        {"id": plan.volume_id, **({} if version < VOLUME_DELETE_FLAG else {"delete_on_termination": False})}
        for plan in instance.volumes
    ]
    view: dict[str, Any] = {
        "OS-DCF:diskConfig": "MANUAL",
        "OS-EXT-AZ:availability_zone": (
            state.selected_host.availability_zone
            if state.selected_host and host
            else state.flow.facts.default("hostless_availability_zone") or resolved.request.availability_zone or ""
        ),
        "OS-EXT-STS:power_state": instance.power_state,
        "OS-EXT-STS:task_state": instance.task_state,
        "OS-EXT-STS:vm_state": instance.vm_state,
        "OS-SRV-USG:launched_at": usage_time(instance.launched_at) if instance.launched_at else None,
        "OS-SRV-USG:terminated_at": None,
        "accessIPv4": resolved.request.access_ip_v4 or "",
        "accessIPv6": resolved.request.access_ip_v6 or "",
        "addresses": addresses,
        "config_drive": "True" if resolved.request.config_drive else "",
        "created": time_at(state.started_ms),
        "flavor": flavor_view,
        "hostId": sha224_hex((project + host).encode()) if host else "",
        "id": instance.uuid,
        "image": (
            {"id": image.id, "links": [{"rel": "bookmark", "href": f"{bookmark}/images/{image.id}"}]} if image else ""
        ),
        "key_name": resolved.request.key_name,
        "metadata": dict(resolved.request.meta),
        "name": instance.name,
        "os-extended-volumes:volumes_attached": volumes if instance.vm_state == "active" else [],
        "security_groups": [{"name": group} for group in resolved.request.security_groups or ("default",)],
        "status": status,
        "tenant_id": project,
        "updated": instance.launched_at or time_at(state.clock_ms),
        "user_id": user_id(state.ids),
    }
    since = {
        "locked": False,
        "description": resolved.request.description,
        "tags": list(resolved.request.tags),
        "trusted_image_certificates": list(resolved.request.trusted_image_certificate_ids) or None,
        "server_groups": [state.group.id] if state.group is not None else [],
        "locked_reason": None,
        "OS-EXT-SRV-ATTR:hostname": resolved.request.hostname or instance.name,
        "pinned_availability_zone": resolved.request.availability_zone,
    }
    view.update({key: value for key, value in since.items() if not version < SINCE[key]})
    if status in ("ACTIVE", "BUILD"):  # the view's _progress_statuses
        view["progress"] = 0
    if instance.fault is not None:
        view["fault"] = {
            "code": instance.fault.code,
            "message": instance.fault.message,
            "created": time_at(state.clock_ms),
        }
    return dict(sorted(view.items()))


def admin_view(state: WalkState) -> dict[str, Any]:
    """What an admin's ``GET /servers/{id}`` adds: the host, the hypervisor and libvirt's name for the guest."""
    instance = state.instance
    assert instance is not None
    return {
        "OS-EXT-SRV-ATTR:host": instance.host,
        "OS-EXT-SRV-ATTR:hypervisor_hostname": instance.host,
        "OS-EXT-SRV-ATTR:instance_name": instance_name(state.catalog.instances_made + 1),
    }


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
        networks = auto_networks(state.catalog)[:1]
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
        else replace(
            other,
            vm_state="active",
            task_state=None,
            power_state=1,
            launched_at=state.instance.launched_at or time_at(state.clock_ms),
        )
        for other in state.others
    )
    instances = (state.instance, *others)
    return tuple(_server_summary(state, instance, number) for number, instance in enumerate(instances, start=1))


def where_it_surfaces(trace: Trace) -> str:
    """One sentence: where the user sees how the boot went, in the words of the client the request came from."""
    from bootwalk.dialects import dialect_named

    dialect = dialect_named(trace.request.get("dialect"))
    if trace.error is not None and trace.error.http_status is not None:
        return f"{dialect.command} itself prints the error and exits 1: {trace.error.as_client_line()}"
    if trace.error is not None:
        name = trace.request["name"] if len(trace.servers) == 1 else trace.servers[0]["name"]
        return (
            f"{dialect.command} answered 202 and printed the server as BUILD; the error shows only in "
            f"{dialect.show_command} {name}: status ERROR, fault {trace.error.message!r} (code 500)."
        )
    rescheduled = [attempt for attempt in trace.attempts if attempt.result == "rescheduled"]
    if rescheduled:
        hosts = ", ".join(attempt.host or "?" for attempt in rescheduled)
        return f"nowhere. The server ended ACTIVE; only the logs of nova-compute on {hosts} show the failed attempt."
    return ""
