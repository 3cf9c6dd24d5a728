"""``nova delete``, step by step: the steps both flows share, each asking the release's facts what differs.

The order of the steps is nova's own (``nova/compute/manager.py``
``_delete_instance`` and ``_shutdown_instance``): nova-api marks the row
``deleting`` and casts ``terminate_instance`` to the host; nova-compute
stops the guest first, then frees the network, then the volumes; last it
records the server ``deleted`` and soft-deletes its row. What differs by
release (the quota reservation, libvirt's order, the ports a delete frees,
cinder's calls, placement, a server with no host) comes from the flow's
facts; a flow lists the steps it takes (``Flow.delete_steps``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bootwalk.cloud import ENDPOINTS, client_headers, project_id
from bootwalk.engine.deletion import DeleteState, Doomed, DoomedPort
from bootwalk.engine.state import StepResult
from bootwalk.handoffs import db_write, libvirt_call, queue_delivery, rest_reply, rest_request, rpc
from bootwalk.request import CLIENT_MAX_VERSION, is_uuid_like
from bootwalk.services.keystone import password_request, token_reply
from bootwalk.services.network import ADMIN_TOKEN
from bootwalk.trace import Handoff, InstanceState, LogLine, Service, StepStatus, Work

#: power_state NOSTATE, which today's nova writes as the server is deleted.
NOSTATE = 0


def _seconds(state: DeleteState, handoffs: tuple[Handoff, ...] | list[Handoff]) -> float:
    """How long these handoffs take on the walk's simulated clock, for nova's "Took %0.2f seconds" lines."""
    return (state.now(handoffs) - state.clock_ms) / 1000


def _database(state: DeleteState) -> Service:
    """Where the instance row lives: nova's one database (Icehouse), or its cell's (cell0 when no host took it)."""
    if not state.flow.facts.default("microversions"):
        return Service.DATABASE
    return Service.CELL0_DATABASE if state.server.cell == "cell0" else Service.CELL_DATABASE


def _object_call(state: DeleteState, fact: str, shown: str, objinst: dict[str, Any], method: str) -> Handoff:
    """An object's remotable method, run by nova-conductor for nova-compute (``object_action``)."""
    args = {"objinst": objinst, "objmethod": method}
    return rpc(state.flow.facts.rpc(fact), Service.NOVA_COMPUTE, shown, target=Service.NOVA_CONDUCTOR, args=args)


class _Described:
    """A delete step whose note and source its flow gives: what the release's nova does, and where to read it."""

    def __init__(self, source: str, note: str) -> None:
        self.source = source
        self.note = note


class DeleteAuthenticate:
    """Step 1: the client gets a token from keystone, as every command does first."""

    name = "authenticate"
    title = "The client sends the user's password to keystone and gets a token"
    service = Service.KEYSTONE
    source = "keystoneauth1 identity/v3/password.py (used by python-novaclient)"
    note = (
        "Every command starts here, a delete as much as a boot: keystoneauth1 authenticates, reads the "
        "service catalog in the reply to find nova's endpoint, and every later call carries the token as "
        "X-Auth-Token."
    )

    def run(self, state: DeleteState) -> tuple[DeleteState, StepResult]:
        token, reply = token_reply(state)
        return replace(state, token=token), StepResult((password_request(state.endpoint("identity")), reply))


def _reservations(state: DeleteState) -> list[str]:
    """The UUIDs of the quota reservations Icehouse's nova-api makes for this delete: one per resource
    (``quota_reserve`` makes a row for each of instances, cores and ram)."""
    return [state.ids.uuid(f"reservation:delete:{state.server.uuid}:{resource}") for resource in RESOURCES]


#: The resources a delete gives back to the quota, in the order nova-api passes them (``_create_reservations``).
RESOURCES = ("instances", "cores", "ram")


def _reservation_deltas(server: Doomed) -> dict[str, int]:
    """What the deleted server gives back to the project's quota: one instance, its cores and its RAM."""
    return {"instances": -1, "cores": -server.flavor.vcpus, "ram": -server.flavor.ram}


def _find(state: DeleteState, compute_path: str, headers: dict[str, str]) -> list[Handoff]:
    """novaclient's ``find_resource``: an ID is read (``GET /servers/{id}``), a name is searched for first
    (``GET /servers?name=``, a list of the server trimmed here to its id and name)."""
    from urllib.parse import quote

    server = state.server
    found = {"id": server.uuid, "name": server.name}
    servers = f"{state.endpoint('compute')}/servers"
    body: dict[str, Any]
    if is_uuid_like(server.typed):
        call, url, body = f"GET {compute_path}/servers/{{id}}", f"{servers}/{server.uuid}", {"server": found}
    else:
        query = f"?name={quote(server.typed)}"
        call, url, body = f"GET {compute_path}/servers{query}", servers + query, {"servers": [found]}
    return [
        rest_request(
            Service.CLIENT,
            Service.NOVA_API,
            call,
            f"find the server {server.typed} names",
            url=url,
            headers=headers,
            work=Work.LOOKUP,
        ),
        rest_reply(
            Service.NOVA_API,
            Service.CLIENT,
            200,
            f"one server: {server.name}, id {server.uuid[:8]}…",
            body=body,
            work=Work.LOOKUP,
        ),
    ]


class DeleteRequest(_Described):
    """Step 2: nova-api marks the row ``deleting`` and casts ``terminate_instance`` to the server's host."""

    name = "nova-api"
    title = "nova-api marks the server deleting, then casts to its host (or deletes it)"
    service = Service.NOVA_API

    def run(self, state: DeleteState) -> tuple[DeleteState, StepResult]:
        facts = state.flow.facts
        server = state.server
        compute_path = facts.default("compute_path")
        headers = client_headers(state.token)
        if facts.default("microversions"):
            version = str(CLIENT_MAX_VERSION)
            headers |= {"X-OpenStack-Nova-API-Version": version, "OpenStack-API-Version": f"compute {version}"}
        handoffs = _find(state, compute_path, headers)
        handoffs.append(
            rest_request(
                Service.CLIENT,
                Service.NOVA_API,
                f"DELETE {compute_path}/servers/{{id}}",
                f"delete server {server.name} ({server.uuid[:8]}…)",
                url=f"{state.endpoint('compute')}/servers/{server.uuid}",
                headers=headers,
                work=Work.DELETE_SERVER,
            )
        )
        database = _database(state)
        handoffs.append(
            db_write(
                Service.NOVA_API,
                database,
                "UPDATE instances",
                "task_state deleting, progress 0",
                tables="instances",
                values={"task_state": "deleting", "progress": 0},
                where={"uuid": server.uuid},
            )
        )
        deleting = InstanceState(server.vm_state, "deleting", server.power_state)
        reservations = _reservations(state)
        if facts.default("delete_reserves_quota"):
            deltas = _reservation_deltas(server)
            handoffs.append(
                db_write(
                    Service.NOVA_API,
                    database,
                    "INSERT INTO reservations",
                    f"the quota to give back: {deltas['instances']} instance, {deltas['cores']} core(s), "
                    f"{deltas['ram']} MB RAM, a reservation each (in use drops at the commit)",
                    tables=("reservations", "quota_usages"),
                    values=deltas,
                )
            )
        logs: list[LogLine] = [
            *facts.logs("delete_requested"),
            *facts.logs("delete_reserved", reservations=str(reservations)),
        ]
        if server.host is None:
            return self._local(state, handoffs, logs, deleting)
        handoffs.append(_action_row(state, database))
        handoffs.append(
            rpc(
                facts.rpc("terminate_instance"),
                Service.NOVA_API,
                f"terminate instance {server.uuid[:8]}…, for topic compute.{server.host}",
                target=Service.QUEUE,
                server=server.host,
                args=_terminate_args(state),
            )
        )
        if facts.default("microversions"):  # _do_delete, after the cast: _update_queued_for_deletion
            handoffs.append(_queued_for_delete(server))
        handoffs.append(_no_content(state))
        detail = (
            f'{state.dialect.command.split()[0]} prints "Request to delete server {server.typed} has been accepted." '
            f"The server still shows in the list, task_state deleting, until nova-compute on {server.host} is done."
        )
        if state.dialect.name == "openstack":
            detail = (
                f"openstack server delete prints nothing and returns. The server still shows in the list, "
                f"task_state deleting, until nova-compute on {server.host} is done."
            )
        return replace(state, instance=deleting), StepResult(tuple(handoffs), detail=detail, logs=tuple(logs))

    def _local(
        self, state: DeleteState, handoffs: list[Handoff], logs: list[LogLine], deleting: InstanceState
    ) -> tuple[DeleteState, StepResult]:
        """No host took the server: nothing to cast to, so nova-api deletes it itself (``API._delete``)."""
        facts = state.flow.facts
        server = state.server
        database = _database(state)
        if not facts.default("hostless_delete_cleans_up"):
            # 2014.1 API._delete, "if not host": instance.destroy(), then QUOTAS.commit; nothing else.
            handoffs.append(_soft_delete(state, Service.NOVA_API, database))
            handoffs.append(_quota_commit(Service.NOVA_API, database, server))
            handoffs.append(_no_content(state))
            logs.extend(facts.logs("hostless_committed", reservations=str(_reservations(state))))
            detail = (
                f"{server.name} has no host, so there is nothing to cast to: nova-api soft-deletes the row "
                "itself and commits the quota. Icehouse does nothing else here: no instance action is recorded, and "
                f"no port or volume is looked for. The row keeps vm_state {server.vm_state} and task_state deleting."
            )
            return replace(state, instance=deleting, local=True), StepResult(
                tuple(handoffs), detail=detail, logs=tuple(logs)
            )
        # Today: _local_delete, in the server's cell (cell0): the network, the volumes, the allocations, then the row.
        logs.extend(facts.logs("local_delete", host=None))
        freeing, freed, _kept = _free_ports(state, Service.NOVA_API)
        handoffs.extend(freeing)
        handoffs.append(
            rest_request(
                Service.NOVA_API,
                Service.PLACEMENT,
                "DELETE /allocations/{uuid}",
                f"any allocation of instance {server.uuid[:8]}… (force=True)",
                url=f"{ENDPOINTS['placement']}/allocations/{server.uuid}",
            )
        )
        handoffs.append(
            rest_reply(
                Service.PLACEMENT,
                Service.NOVA_API,
                404,
                "no allocations for this consumer: nothing was ever claimed",
            )
        )
        deleted = InstanceState("deleted", None, server.power_state)
        handoffs.append(
            db_write(
                Service.NOVA_API,
                database,
                "UPDATE instances",
                "vm_state deleted, task_state None, terminated_at",
                tables="instances",
                values={"vm_state": "deleted", "task_state": None},
                where={"uuid": server.uuid},
            )
        )
        handoffs.append(_queued_for_delete(server))
        handoffs.append(_soft_delete(state, Service.NOVA_API, database))
        handoffs.append(_action_row(state, database))
        handoffs.append(_no_content(state))
        network = f"its ports ({len(freed)} deleted)" if server.ports else "the network (no port is left)"
        detail = (
            f"{server.name} has no host, so there is nothing to cast to: nova-api deletes it itself, in "
            f"{server.cell or 'its cell'} (_local_delete). It frees {network} and any allocation, records the "
            "server deleted and soft-deletes the row. It logs that the host, None, is down."
        )
        return replace(state, instance=deleted, local=True), StepResult(
            tuple(handoffs), detail=detail, logs=tuple(logs)
        )


def _terminate_args(state: DeleteState) -> dict[str, Any]:
    """terminate_instance's arguments: the instance and its block device mappings (and Icehouse's reservations)."""
    args: dict[str, Any] = {"instance": {"uuid": state.server.uuid, "host": state.server.host}, "bdms": "[...]"}
    if state.flow.facts.default("delete_reserves_quota"):
        args["reservations"] = _reservations(state)
    return args


def _action_row(state: DeleteState, database: Service) -> Handoff:
    """``_record_action_start``: the delete is an action of the server, as its create was."""
    return db_write(
        Service.NOVA_API,
        database,
        "INSERT INTO instance_actions",
        "action delete (nova instance-action-list shows it)",
        tables="instance_actions",
        values={"action": "delete", "instance_uuid": state.server.uuid},
    )


def _queued_for_delete(server: Doomed) -> Handoff:
    """Today's nova marks the instance's mapping in the API database (``_update_queued_for_deletion``)."""
    return db_write(
        Service.NOVA_API,
        Service.API_DATABASE,
        "UPDATE instance_mappings",
        "queued_for_delete true",
        tables="instance_mappings",
        values={"queued_for_delete": True},
        where={"instance_uuid": server.uuid},
    )


def _soft_delete(state: DeleteState, source: Service, database: Service) -> Handoff:
    """``instance_destroy``: the row stays, with ``deleted`` set to its id; nova list and show no longer see it."""
    tables = state.flow.facts.default("soft_deleted_tables")
    return db_write(
        source,
        database,
        "UPDATE instances SET deleted = id",
        f"soft-delete the row (deleted_at now), with {len(tables) - 1} tables that hang off it",
        tables=tables,
        values={"deleted": "id", "deleted_at": "now"},
        where={"uuid": state.server.uuid},
    )


def _quota_commit(source: Service, database: Service, server: Doomed) -> Handoff:
    """Icehouse's ``QUOTAS.commit``: the reservation is applied to quota_usages."""
    deltas = _reservation_deltas(server)
    return db_write(
        source,
        database,
        "UPDATE quota_usages",
        f"commit the reservation: in use {deltas['instances']} instance, {deltas['cores']} core(s), "
        f"{deltas['ram']} MB RAM",
        tables=("quota_usages", "reservations"),
        values=deltas,
    )


def _no_content(state: DeleteState) -> Handoff:
    """nova-api's answer to DELETE: 204, no body (``@wsgi.response(204)``); the rest goes on without the client."""
    return rest_reply(
        Service.NOVA_API,
        Service.CLIENT,
        204,
        "no body: the delete goes on without the client",
        headers=dict.fromkeys(
            state.flow.facts.default("request_id_headers"), state.ids.request_id(f"delete:{state.server.uuid}")
        ),
    )


def _skipped_on_host(state: DeleteState) -> tuple[DeleteState, StepResult]:
    """A step on the host, for a server no host took: nova-api has already done what was done."""
    return state, StepResult(
        (), StepStatus.SKIPPED, f"Nothing reaches a host: nova-api deleted {state.server.name} itself (step 2)."
    )


class TakeTerminate(_Described):
    """Step 3: nova-compute on the host takes ``terminate_instance`` off the queue."""

    name = "terminate"
    title = "nova-compute takes terminate_instance off the queue"
    service = Service.NOVA_COMPUTE

    def run(self, state: DeleteState) -> tuple[DeleteState, StepResult]:
        if state.local:
            return _skipped_on_host(state)
        facts = state.flow.facts
        server = state.server
        handoffs: list[Handoff] = [
            queue_delivery(
                Service.NOVA_COMPUTE,
                "terminate_instance",
                f"instance {server.uuid[:8]}…, for this host",
                topic=f"compute.{server.host}",
                args=_terminate_args(state),
            )
        ]
        if facts.default("delete_reads_ports"):  # 2014.1: the cache is deleted, then rebuilt from neutron
            handoffs.append(
                _object_call(
                    state,
                    "object_action",
                    "InstanceInfoCache.delete: the cached network info",
                    {"instance_uuid": server.uuid},
                    "delete",
                )
            )
            handoffs.extend(_ports_lookup(state, Service.NOVA_COMPUTE, server.ports, tenant=True))
        logs = facts.logs("terminating", action_str="Terminating")
        return state, StepResult(tuple(handoffs), logs=logs)


def _ports_lookup(
    state: DeleteState, source: Service, ports: tuple[DoomedPort, ...], *, tenant: bool = False
) -> list[Handoff]:
    """``list_ports(device_id=...)``: the ports that belong to the instance, as neutron answers."""
    server = state.server
    query = (f"tenant_id={project_id(state.ids)}&" if tenant else "") + f"device_id={server.uuid}"
    found = ", ".join(f"{port.port_id[:8]}…" for port in ports) or "none"
    return [
        rest_request(
            source,
            Service.NEUTRON,
            "GET /v2.0/ports",
            f"the ports of device {server.uuid[:8]}…",
            url=state.neutron_url("ports", query),
            work=Work.LOOKUP,
        ),
        rest_reply(
            Service.NEUTRON,
            source,
            200,
            f"port(s): {found}",
            body={"ports": [{"id": port.port_id, "device_id": server.uuid} for port in ports]},
            work=Work.LOOKUP,
        ),
    ]


class DestroyGuest(_Described):
    """Step 4: libvirt destroys the guest and undefines its domain; nova deletes the instance's files."""

    name = "destroy"
    title = "libvirt destroys the guest and forgets its domain; nova deletes its files"
    service = Service.HYPERVISOR

    def run(self, state: DeleteState) -> tuple[DeleteState, StepResult]:
        if state.local:
            return _skipped_on_host(state)
        facts = state.flow.facts
        server = state.server
        domain = server.instance_name
        if server.status != "ACTIVE":
            return state, StepResult(
                (),
                StepStatus.SKIPPED,
                f"The build failed on {server.host} and its domain was undefined then: "
                "nova finds no guest to destroy and goes on to the network.",
            )
        undefine_flags = "VIR_DOMAIN_UNDEFINE_MANAGED_SAVE"
        if facts.default("microversions"):
            undefine_flags += " | VIR_DOMAIN_UNDEFINE_NVRAM"
        calls = {
            "destroy": libvirt_call(
                "destroy",
                f"stop domain {domain} at once: the guest is not asked to shut down",
                domain=domain,
                work=Work.DESTROY_GUEST,
            ),
            "undefine": libvirt_call(
                "undefineFlags",
                f"forget domain {domain}: its definition goes",
                domain=domain,
                flags=undefine_flags,
                work=Work.UNDEFINE_GUEST,
            ),
        }
        order = facts.default("libvirt_delete_order")
        handoffs = tuple(calls[part] for part in order if part in calls)
        path = facts.default("instance_files").format(uuid=server.uuid)
        logs = (
            *facts.logs("guest_destroyed"),
            *facts.logs("guest_files_deleted", path=path),
            *facts.logs("guest_gone", seconds=_seconds(state, handoffs)),
        )
        said = {
            "destroy": "the guest is stopped",
            "undefine": "the domain undefined",
            "unplug": "its ports unplugged from the bridge",
            "files": "its disk and files deleted",
        }
        steps = [said[part] for part in order]
        detail = (
            f"In this order: {', '.join(steps[:-1])}, then {steps[-1]}. vm_state and task_state stay "
            f"{state.instance.vm_state} / deleting until the end."
        )
        return state, StepResult(handoffs, detail=detail, logs=logs)


class DeletePorts(_Described):
    """Step 5: nova-compute frees the network: neutron deletes the server's ports and their addresses."""

    name = "network"
    title = "nova-compute has neutron delete the server's ports"
    service = Service.NEUTRON

    def run(self, state: DeleteState) -> tuple[DeleteState, StepResult]:
        if state.local:
            return _skipped_on_host(state)
        facts = state.flow.facts
        server = state.server
        handoffs, freed, kept = _free_ports(state, Service.NOVA_COMPUTE)
        frees_user_ports = facts.default("delete_frees_user_ports")
        logs = (
            *facts.logs("network_deallocating", display_name=server.name),
            *facts.logs("network_deallocated", seconds=_seconds(state, handoffs)),
        )
        detail = _ports_detail(server, freed, kept, frees_user_ports)
        return state, StepResult(tuple(handoffs), detail=detail, logs=logs)


def _free_ports(state: DeleteState, source: Service) -> tuple[list[Handoff], list[DoomedPort], list[DoomedPort]]:
    """``deallocate_for_instance``, as ``source`` calls it: the ports of the device listed, then each deleted
    (or, today, a port the user made unbound and kept). Returns the handoffs, the ports freed and those kept."""
    handoffs = _ports_lookup(state, source, state.server.ports)
    frees_user_ports = state.flow.facts.default("delete_frees_user_ports")
    freed, kept = [], []
    for port in state.server.ports:
        if port.created_by_nova or frees_user_ports:
            handoffs.append(
                rest_request(
                    source,
                    Service.NEUTRON,
                    "DELETE /v2.0/ports/{id}",
                    f"port {port.port_id[:8]}…: {port.address} on {port.network_name} is free again",
                    url=state.neutron_url(f"ports/{port.port_id}"),
                    work=Work.DELETE_PORT,
                )
            )
            handoffs.append(rest_reply(Service.NEUTRON, source, 204, "port deleted"))
            freed.append(port)
        else:  # today's _unbind_ports: the port the user made stays, unbound, for another server
            handoffs.extend(_unbind(state, port, source))
            kept.append(port)
    return handoffs, freed, kept


def _unbind(state: DeleteState, port: DoomedPort, source: Service) -> list[Handoff]:
    """Today's ``_unbind_ports``: the port's binding profile and network read, then an admin PUT clears it."""
    fields = "fields=binding%3Aprofile&fields=network_id"
    return [
        rest_request(
            source,
            Service.NEUTRON,
            "GET /v2.0/ports/{id}",
            f"the binding profile and network of port {port.port_id[:8]}…",
            url=state.neutron_url(f"ports/{port.port_id}", fields),
            work=Work.LOOKUP,
        ),
        rest_request(
            source,
            Service.NEUTRON,
            "GET /v2.0/networks/{id}",
            f"network {port.network_name}'s dns_domain",
            url=state.neutron_url(f"networks/{port.network_id}", "fields=dns_domain"),
            work=Work.LOOKUP,
        ),
        rest_request(
            source,
            Service.NEUTRON,
            "PUT /v2.0/ports/{id}",
            f"port {port.port_id[:8]}… you made: unbound, kept with {port.address}",
            url=state.neutron_url(f"ports/{port.port_id}"),
            headers=ADMIN_TOKEN,
            body={"port": {"binding:host_id": None, "device_id": "", "device_owner": "", "binding:profile": {}}},
            work=Work.BIND_PORT,
        ),
        rest_reply(Service.NEUTRON, source, 200, "port unbound"),
    ]


def _ports_detail(server: Doomed, freed: list[DoomedPort], kept: list[DoomedPort], frees_user_ports: bool) -> str:
    if not server.ports:
        return "The server had no port: there is nothing to delete."
    detail = ""
    if freed:
        detail = "Freed for the next boot: " + ", ".join(f"{port.address} on {port.network_name}" for port in freed)
        detail += "."
    user_made = [port for port in freed if not port.created_by_nova]
    if user_made and frees_user_ports:
        detail += " Icehouse deletes every port of the device, the one you made with --nic port-id too."
    if kept:
        detail += " The port you made is kept, unbound: today's nova deletes only the ports it made."
    return detail.strip()


class DetachVolumes(_Described):
    """Step 6: nova-compute has cinder detach the server's volumes (and delete those marked for it)."""

    name = "volumes"
    title = "nova-compute has cinder detach the server's volumes"
    service = Service.CINDER

    def run(self, state: DeleteState) -> tuple[DeleteState, StepResult]:
        if state.local:
            return _skipped_on_host(state)
        server = state.server
        if not server.volumes:
            return state, StepResult((), StepStatus.SKIPPED, "No volume is attached: nothing to detach.")
        facts = state.flow.facts
        host = server.host or ""
        handoffs: list[Handoff] = []
        for volume in server.volumes:
            if facts.default("microversions"):
                handoffs.append(
                    rest_request(
                        Service.NOVA_COMPUTE,
                        Service.CINDER,
                        "DELETE /v3/{project_id}/attachments/{id}",
                        f"detach volume {volume.volume_id[:8]}…: it is available again",
                        url=f"{ENDPOINTS['volumev3']}/{project_id(state.ids)}/attachments/{volume.attachment_id}",
                        work=Work.DELETE_ATTACHMENT,
                    )
                )
            else:
                url = f"{state.endpoint('volume')}/volumes/{volume.volume_id}/action"
                connector = {"host": host, "initiator": f"iqn.2004-10.com.ubuntu:01:{host}"}
                handoffs.append(
                    rest_request(
                        Service.NOVA_COMPUTE,
                        Service.CINDER,
                        "POST /v1/{tenant_id}/volumes/{id}/action",
                        f"os-terminate_connection: stop exporting volume {volume.volume_id[:8]}… to {host}",
                        url=url,
                        body={"os-terminate_connection": {"connector": connector}},
                        work=Work.DELETE_ATTACHMENT,
                    )
                )
                handoffs.append(
                    rest_request(
                        Service.NOVA_COMPUTE,
                        Service.CINDER,
                        "POST /v1/{tenant_id}/volumes/{id}/action",
                        f"os-detach: volume {volume.volume_id[:8]}… is available again",
                        url=url,
                        body={"os-detach": None},
                    )
                )
            if volume.delete_on_termination:
                version_path = "/v3/{project_id}" if facts.default("microversions") else "/v1/{tenant_id}"
                base = (
                    f"{ENDPOINTS['volumev3']}/{project_id(state.ids)}"
                    if facts.default("microversions")
                    else (state.endpoint("volume"))
                )
                handoffs.append(
                    rest_request(
                        Service.NOVA_COMPUTE,
                        Service.CINDER,
                        f"DELETE {version_path}/volumes/{{id}}",
                        f"volume {volume.volume_id[:8]}… was made to be deleted with the server",
                        url=f"{base}/volumes/{volume.volume_id}",
                    )
                )
        logs = facts.logs("volumes_detached", time=_seconds(state, handoffs), num=len(server.volumes))
        return state, StepResult(tuple(handoffs), logs=logs)


class RecordDeleted(_Described):
    """nova-compute saves the row ``deleted`` (vm_state deleted, task_state None), through nova-conductor."""

    name = "deleted"
    title = "nova-compute records the server deleted"
    service = Service.NOVA_CONDUCTOR

    def __init__(self, source: str, note: str, *, destroy: bool) -> None:
        super().__init__(source, note)
        #: Whether this step also soft-deletes the row and commits the quota (Icehouse: all in a row).
        self.destroy = destroy
        if destroy:
            self.title = "nova-compute records the server deleted; nova-conductor soft-deletes its row"

    def run(self, state: DeleteState) -> tuple[DeleteState, StepResult]:
        if state.local:
            return _skipped_on_host(state)
        facts = state.flow.facts
        server = state.server
        power = NOSTATE if facts.default("delete_sets_nostate") else state.instance.power_state
        updates: dict[str, Any] = {"vm_state": "deleted", "task_state": None, "terminated_at": "now"}
        shown = "Instance.save: vm_state deleted, task_state None"
        if facts.default("delete_sets_nostate"):
            updates["power_state"] = NOSTATE
            shown += ", power_state 0"
        handoffs = [
            rpc(
                facts.rpc("object_action"),
                Service.NOVA_COMPUTE,
                shown,
                target=Service.NOVA_CONDUCTOR,
                args={"objinst": {"uuid": server.uuid}, "objmethod": "save", "updates": updates},
            )
        ]
        logs: tuple[LogLine, ...] = ()
        detail = ""
        if self.destroy:
            handoffs.extend(_destroy_calls(state))
            handoffs.append(
                _object_call(state, "object_action", "Quotas.commit: the reservation of step 2", {}, "commit")
            )
            handoffs.append(
                _object_call(
                    state,
                    "object_action",
                    "BlockDeviceMapping.destroy, for each of the server's mappings",
                    {"instance_uuid": server.uuid},
                    "destroy",
                )
            )
            logs = facts.logs("delete_committed", reservations=str(_reservations(state)))
            detail = (
                f"Icehouse leaves power_state as it was ({state.instance.power_state}); today's nova writes 0. "
                f"The delete does not tell the resource tracker: {server.host}'s usage in compute_nodes drops at "
                "its next update_available_resource periodic task."
            )
        deleted = InstanceState("deleted", None, power)
        return replace(state, instance=deleted), StepResult(tuple(handoffs), detail=detail, logs=logs)


def _destroy_calls(state: DeleteState) -> list[Handoff]:
    """The soft delete of the row, as nova-compute asks nova-conductor for it."""
    server = state.server
    fact = state.flow.facts.rpc("instance_destroy")
    if fact.method == "instance_destroy":  # 2014.1: conductor_api.instance_destroy
        args: dict[str, Any] = {"instance": {"uuid": server.uuid}}
        shown = "instance_destroy: soft-delete the row (deleted = id)"
    else:
        args = {"objinst": {"uuid": server.uuid}, "objmethod": "destroy"}
        shown = "Instance.destroy: soft-delete the row (deleted = id)"
    return [rpc(fact, Service.NOVA_COMPUTE, shown, target=Service.NOVA_CONDUCTOR, args=args, work=Work.SOFT_DELETE)]


class GiveBackAllocations(_Described):
    """Today's nova: the resource tracker takes the instance off its host, and placement deletes its allocations."""

    name = "placement"
    title = "nova-compute gives back the host's share: placement deletes the allocations"
    service = Service.PLACEMENT

    def run(self, state: DeleteState) -> tuple[DeleteState, StepResult]:
        if state.local:
            return _skipped_on_host(state)
        facts = state.flow.facts
        server = state.server
        flavor = server.flavor
        handoffs = (
            _object_call(
                state,
                "object_action",
                f"ComputeNode.save: {server.host} uses {flavor.ram} MB RAM, {flavor.vcpus} vCPU and "
                f"{flavor.disk + flavor.ephemeral} GB disk less",
                {"host": server.host},
                "save",
            ),
            rest_request(
                Service.NOVA_COMPUTE,
                Service.PLACEMENT,
                "DELETE /allocations/{uuid}",
                f"everything instance {server.uuid[:8]}… holds on {server.host}",
                url=f"{ENDPOINTS['placement']}/allocations/{server.uuid}",
            ),
            rest_reply(Service.PLACEMENT, Service.NOVA_COMPUTE, 204, "allocations deleted"),
        )
        logs = facts.logs("allocations_deleted", consumer_type="instance", uuid=server.uuid)
        detail = f"The scheduler's next request sees {server.host} with this room free again."
        return state, StepResult(handoffs, detail=detail, logs=logs)


class DestroyRow(_Described):
    """Today's nova: last, the row is soft-deleted, once placement has let go (``instance.destroy()``)."""

    name = "destroy-row"
    title = "nova-conductor soft-deletes the instance row"
    service = Service.NOVA_CONDUCTOR

    def run(self, state: DeleteState) -> tuple[DeleteState, StepResult]:
        if state.local:
            return _skipped_on_host(state)
        detail = (
            "The row stays, with deleted set to its id: nova list and nova show no longer see the server, "
            "and its instance actions are kept."
        )
        return state, StepResult(tuple(_destroy_calls(state)), detail=detail)
