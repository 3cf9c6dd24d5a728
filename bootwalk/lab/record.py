"""What a boot leaves in a lab's cloud: the servers, and the hosts, addresses, quotas and groups they use.

Pure: a catalog and a walk's trace in, the catalog after and the servers'
records out. The walk itself stays what it is without a lab; a lab only
hands it its cloud as it is now, and keeps what the walk made.

What each server takes, as nova keeps it:

- an ACTIVE server uses its flavor on its host (as the scheduler consumed
  it: RAM, vCPUs and disk), is listed among the host's instances, holds a
  port with its address on each network (so the next boot is handed the
  next free address), joins its server group, and marks a volume it booted
  from ``in-use``;
- every server made, ERROR ones included, counts against the project's
  quota (instances, cores, RAM) until it is deleted;
- every server made takes the next instance row: ``instance-%08x``.

A server in ERROR keeps its fault. Its claim was given back, so it uses no
host; the lab does not model the ports a failed Icehouse build left behind.
In today's nova a server no host took is kept in cell0 (``cell``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from bootwalk.cloud import instance_name, time_at, usage_time
from bootwalk.engine.deletion import Doomed, DoomedPort, DoomedVolume
from bootwalk.engine.resolve import ResolvedRequest
from bootwalk.ids import IdSource
from bootwalk.model import Catalog, HostInstance, Port
from bootwalk.scheduler import consume, release
from bootwalk.trace import Kind, Service, Trace


def _ports_in(trace: Trace) -> dict[str, tuple[str, str]]:
    """The ports neutron created in the walk, by address: (port id, MAC)."""
    found: dict[str, tuple[str, str]] = {}
    for step in trace.steps:
        for handoff in step.handoffs:
            payload = handoff.payload
            body = payload.get("body") if isinstance(payload, Mapping) else None
            port = body.get("port") if isinstance(body, Mapping) else None
            if isinstance(port, Mapping) and "mac_address" in port:
                for fixed in port.get("fixed_ips") or ():
                    found[str(fixed["ip_address"])] = (str(port["id"]), str(port["mac_address"]))
    return found


def _volumes_used(resolved: ResolvedRequest) -> set[str]:
    """The existing volumes the boot attaches: the one it boots from and any mapped by ID."""
    request = resolved.request
    used = {request.boot_volume} if request.boot_volume else set()
    for device in (*request.block_devices, *request.block_device_mapping):
        if device.source_type == "volume" and device.uuid:
            used.add(device.uuid)
    return used


def record_boot(
    catalog: Catalog, resolved: ResolvedRequest, trace: Trace, seed: int, start_ms: float = 0.0
) -> tuple[Catalog, list[dict[str, Any]]]:
    """The lab's cloud after the walk, and a record of each server it made (in the order made)."""
    servers: Sequence[Mapping[str, Any]] = trace.servers
    if not servers:  # refused before nova-api made anything (a 4xx): nothing changes
        return catalog, []
    flavor = resolved.flavor
    refused = trace.error is not None and trace.error.http_status is not None
    ports = _ports_in(trace)
    ids = IdSource(seed)
    hosts = {host.name: host for host in catalog.hosts}
    networks = {network.name: network for network in catalog.networks}
    existing = {(port.network_id, port.fixed_ip) for port in catalog.ports}
    new_ports: list[Port] = []
    active: list[str] = []
    records = []
    for number, server in enumerate(servers, start=1):
        row = catalog.instances_made + number
        if server["status"] == "ACTIVE" and server["host"] in hosts:
            instance = HostInstance(uuid=server["id"], name=server["name"])
            hosts[server["host"]] = consume(hosts[server["host"]], flavor, instance)
            active.append(server["id"])
            for network_name, addresses in (server.get("networks") or {}).items():
                network = networks.get(network_name)
                if network is None:
                    continue
                for address in addresses:
                    if (network.id, address) in existing:  # a port the user made (--nic port-id): it is in use now
                        continue
                    port_id, mac = ports.get(address) or (
                        ids.uuid(f"lab-port:{server['id']}:{address}"),
                        ids.mac(f"lab-port:{server['id']}:{address}"),
                    )
                    new_ports.append(Port(port_id, "", network.id, mac, address, "ACTIVE"))
        view = trace.server if trace.server is not None and trace.server.get("id") == server["id"] else None
        records.append(
            {
                **server,
                "flavor": {"id": flavor.id, "name": flavor.name},
                "image": None if resolved.image is None else {"id": resolved.image.id, "name": resolved.image.name},
                "instance_name": instance_name(row),
                "flow": trace.flow,
                "seed": seed,
                "group": _group_id(resolved),
                "cell": _cell(trace, server),
                "view": dict(view) if view is not None else None,
                "request": dict(trace.request),
                # refused after its rows were written (Icehouse's unknown group): nova-api never recorded the action
                "actions": [] if refused else [create_action(trace, server, followed=number == 1, start_ms=start_ms)],
                "allocations": _allocations(trace, server),
            }
        )
    made = len(servers)
    used = _volumes_used(resolved) if active else set()
    volumes = tuple(replace(volume, status="in-use") if volume.id in used else volume for volume in catalog.volumes)
    quotas = replace(
        catalog.quotas,
        instances_used=catalog.quotas.instances_used + made,
        cores_used=catalog.quotas.cores_used + made * flavor.vcpus,
        ram_used=catalog.quotas.ram_used + made * flavor.ram,
    )
    group = _group_id(resolved)
    groups = tuple(
        replace(found, members=(*found.members, *active)) if found.id == group else found
        for found in catalog.server_groups
    )
    after = replace(
        catalog,
        hosts=tuple(hosts[host.name] for host in catalog.hosts),
        ports=(*catalog.ports, *new_ports),
        volumes=tuple(volumes),
        quotas=quotas,
        server_groups=groups,
        instances_made=catalog.instances_made + made,
    )
    return after, records


def _cell(trace: Trace, server: Mapping[str, Any]) -> str | None:
    """Where today's nova keeps the server: cell0 when the conductor buried it there (no host at scheduling),
    else cell1, where it stays even when its build failed on a host and the host was cleared.

    The classic flow shows Icehouse, which had no cells v2 (and cells v1 only as an option): None.
    """
    if trace.flow == "classic":
        return None
    for record in trace.steps:
        for handoff in record.handoffs:
            values = handoff.payload.get("values") if handoff.target is Service.CELL0_DATABASE else None
            if isinstance(values, Mapping) and server["id"] in (values.get("instance_uuids") or ()):
                return "cell0"
    return "cell1"


def _group_id(resolved: ResolvedRequest) -> str | None:
    """The server group the boot's ``group`` hint names, if any."""
    value = resolved.request.hints.get("group")
    if isinstance(value, list):
        value = value[0] if value else None
    return value


class NotDeletable(ValueError):
    """A server record the lab cannot delete from: it names a flavor or network the lab's cloud lacks."""


def _user_ports(record: Mapping[str, Any]) -> set[str]:
    """The ports the user made and gave to the boot (``--nic port-id=``), from the request the lab kept."""
    request = record.get("request") or {}
    nics = request.get("nics") if isinstance(request, Mapping) else None
    found = set()
    for nic in nics if isinstance(nics, list) else ():
        for part in str(nic).split(","):
            key, _sep, value = part.partition("=")
            if key.strip() == "port-id" and value:
                found.add(value.strip())
    return found


def _attached(record: Mapping[str, Any], seed: int) -> tuple[DoomedVolume, ...]:
    """The volumes ``nova show`` listed as attached, with the attachment the boot made for each."""
    view = record.get("view") or {}
    listed = view.get("os-extended-volumes:volumes_attached") or []
    if not isinstance(listed, list) or not all(isinstance(v, Mapping) and isinstance(v.get("id"), str) for v in listed):
        raise NotDeletable("its volumes_attached are not volume ids")
    ids = IdSource(seed)
    return tuple(
        DoomedVolume(v["id"], ids.uuid(f"attachment:{v['id']}"), v.get("delete_on_termination") is True) for v in listed
    )


def doomed(record: Mapping[str, Any], catalog: Catalog, typed: str) -> Doomed:
    """The server a delete walks, from its record and the lab's cloud: its flavor, ports and volumes."""
    flavor = next((f for f in catalog.flavors if f.id == record["flavor"]["id"]), None)
    if flavor is None:
        raise NotDeletable(f"its flavor {record['flavor']['name']} is not in the lab's cloud")
    seed = record.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise NotDeletable("it has no seed")
    networks = {network.name: network for network in catalog.networks}
    by_address = {(port.network_id, port.fixed_ip): port for port in catalog.ports}
    user_ports = _user_ports(record)
    ports = []
    for network_name, addresses in (record.get("networks") or {}).items():
        network = networks.get(network_name)
        if network is None:
            continue
        for address in addresses:
            port = by_address.get((network.id, address))
            if port is not None:
                ports.append(DoomedPort(port.id, network.id, network_name, address, port.id not in user_ports))
    status = record["status"]
    power = record.get("power_state")
    return Doomed(
        uuid=record["id"],
        name=record["name"],
        typed=typed,
        status=status,
        vm_state={"ACTIVE": "active", "ERROR": "error"}.get(status, "building"),
        task_state=record.get("task_state"),
        power_state=power if isinstance(power, int) else 0,
        host=record.get("host"),
        instance_name=record["instance_name"],
        flavor=flavor,
        ports=tuple(ports),
        volumes=_attached(record, seed),
        cell=record.get("cell"),
    )


def record_delete(catalog: Catalog, server: Doomed, *, frees_user_ports: bool, cleans_up: bool) -> Catalog:
    """The lab's cloud after the delete: the host, the addresses, the quota, the group and the volumes given back.

    ``cleans_up`` is False for a server no host took in a release whose
    nova-api then only destroys the row (Icehouse): ports and volumes stay
    as they were. The host's share is given back at once; Icehouse's
    compute node row catches up at its next periodic task, which a lab
    does not wait for.
    """
    flavor = server.flavor
    hosts = tuple(
        release(host, flavor, server.uuid)
        if host.name == server.host and any(instance.uuid == server.uuid for instance in host.instances)
        else host
        for host in catalog.hosts
    )
    freed = {port.port_id for port in server.ports if port.created_by_nova or frees_user_ports} if cleans_up else set()
    attached = {volume.volume_id: volume for volume in server.volumes} if cleans_up else {}
    volumes = tuple(
        volume if volume.id not in attached else replace(volume, status="available")
        for volume in catalog.volumes
        if not (volume.id in attached and attached[volume.id].delete_on_termination)
    )
    quotas = replace(
        catalog.quotas,
        instances_used=max(catalog.quotas.instances_used - 1, 0),
        cores_used=max(catalog.quotas.cores_used - flavor.vcpus, 0),
        ram_used=max(catalog.quotas.ram_used - flavor.ram, 0),
    )
    groups = tuple(
        replace(group, members=tuple(member for member in group.members if member != server.uuid))
        for group in catalog.server_groups
    )
    return replace(
        catalog,
        hosts=hosts,
        ports=tuple(port for port in catalog.ports if port.id not in freed),
        volumes=volumes,
        quotas=quotas,
        server_groups=groups,
    )


def _reply(trace: Trace, status: int) -> str:
    """The request ID of nova-api's answer with this status: 202 for a boot, 204 for a delete."""
    for record in trace.steps:
        for handoff in record.handoffs:
            payload = handoff.payload
            if handoff.kind is Kind.REST_REPLY and handoff.target is Service.CLIENT and payload.get("status") == status:
                headers = payload.get("headers") or {}
                found = [str(value) for value in headers.values() if str(value).startswith("req-")]
                if found:
                    return found[0]
    raise ValueError(f"the walk has no {status} answer with a request ID")  # nova-api answers every walk kept


def action_time(milliseconds: float) -> str:
    """An action's time as nova's API gives it, a naive datetime to the microsecond: ``2026-01-01T12:00:00.000000``."""
    return usage_time(time_at(milliseconds))


def _action(
    name: str, request_id: str, milliseconds: float, events: list[dict[str, Any]], finished_ms: float
) -> dict[str, Any]:
    """One instance action as nova records it: ``message`` is "Error" once an event of it ended in error.

    ``updated_at`` (today's nova) is when its last event finished, which the
    walk ends with; with no event, when the action started.
    """
    failed = any(event["result"] == "Error" for event in events)
    return {
        "action": name,
        "request_id": request_id,
        "start_time": action_time(milliseconds),
        "updated_at": action_time(finished_ms if events else milliseconds),
        "message": "Error" if failed else None,
        "events": events,
    }


def create_action(trace: Trace, server: Mapping[str, Any], followed: bool, start_ms: float = 0.0) -> dict[str, Any]:
    """The ``create`` action a boot leaves on one of its servers, with the events its release records.

    The walk follows the first server through every attempt; each other
    server of the request was built once, on the host it has (or none).
    """
    from bootwalk.flows import get_flow

    shape = get_flow(trace.flow).facts.default("instance_actions")
    request_id, clock = _reply(trace, 202), start_ms  # the walk's start: the server's created, to the second
    attempts = (
        [(a.host, a.result) for a in trace.attempts]
        if followed and trace.attempts
        else [(server.get("host"), "active" if server["status"] == "ACTIVE" else "error")]
    )
    events: list[dict[str, Any]] = []
    if shape["no_host_event"] is not None and _cell(trace, server) == "cell0":
        fault = server.get("fault") or {}
        events.append({"event": shape["no_host_event"], "result": "Error", "details": fault.get("message")})
        return _action("create", request_id, clock, events, _ended(trace, start_ms))
    for host, result in attempts:
        if shape["schedule_event"] is not None:
            events.append({"event": shape["schedule_event"], "result": "Success"})
        if host is not None:
            failed = result == "error" and shape["build_error_is_error"]
            events.append({"event": shape["build_event"], "result": "Error" if failed else "Success"})
    return _action("create", request_id, clock, events, _ended(trace, start_ms))


def delete_action(trace: Trace, server: Doomed, start_ms: float = 0.0) -> dict[str, Any] | None:
    """The ``delete`` action a delete leaves, if its release records one (Icehouse: none when no host took it)."""
    from bootwalk.flows import get_flow

    shape = get_flow(trace.flow).facts.default("instance_actions")
    request_id, clock = _reply(trace, 204), start_ms
    if server.host is None:
        return _action("delete", request_id, clock, [], clock) if shape["hostless_delete_action"] else None
    events = [{"event": shape["delete_event"], "result": "Success"}]
    return _action("delete", request_id, clock, events, _ended(trace, start_ms))


def _ended(trace: Trace, start_ms: float) -> float:
    """When the walk's last handoff is done, on the lab's clock."""
    from bootwalk.timing import total_ms

    return start_ms + total_ms(trace)


def _allocations(trace: Trace, server: Mapping[str, Any]) -> dict[str, Any] | None:
    """What placement holds for an ACTIVE server of today's nova: the last claim the walk made for it, by provider.

    None in the classic flow (Icehouse had no placement) and for a server
    that holds nothing (ERROR: its claim was given back, or never made).
    """
    if server["status"] != "ACTIVE":
        return None
    claimed = None
    for record in trace.steps:
        for handoff in record.handoffs:
            payload = handoff.payload
            if handoff.call != "PUT /allocations/{uuid}" or payload.get("status") == 409:
                continue
            if str(payload.get("url", "")).endswith(f"/allocations/{server['id']}"):
                body = payload.get("body")
                claimed = body.get("allocations") if isinstance(body, Mapping) else None
    return dict(claimed) if isinstance(claimed, Mapping) else None
