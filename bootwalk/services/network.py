"""nova-compute and neutron: a port for each requested network, bound to the host.

Shared by both flows. Which IP neutron hands out, and whether an address
lies in a network, are :mod:`bootwalk.engine.addresses`'.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bootwalk.cloud import auth_headers, project_id
from bootwalk.engine.addresses import address_in_network, auto_networks, pick_address
from bootwalk.engine.resolve import ResolvedNic
from bootwalk.engine.state import PortBinding, StepResult, WalkState, need_host, need_instance, with_instance
from bootwalk.handoffs import rest_reply, rest_request
from bootwalk.model import Network
from bootwalk.request import NicRequest
from bootwalk.scenarios import FaultPoint
from bootwalk.services.failures import compute_failure, free_ports
from bootwalk.services.saves import instance_save
from bootwalk.trace import Handoff, Service, StepStatus, Work

#: What an admin client's calls carry: nova binds ports with admin credentials.
ADMIN_TOKEN = {"X-Auth-Token": "(an admin token)"}


class AllocateNetwork:
    """nova-compute asks neutron for a port and an IP address, then binds the port to the host.

    Today's nova (``nova/network/neutron.py``): the port is created with the
    user's token, then bound to the host with an admin token (a PUT). A
    flow whose release did otherwise overrides :meth:`port_requests`.
    """

    name = "neutron"
    title = "nova-compute asks neutron for a port and an IP address on the network"
    service = Service.NEUTRON
    source = "nova/compute/manager.py _allocate_network; nova/network/neutron.py API.allocate_for_instance"
    note = (
        "This is the first thing nova-compute starts (task_state networking), "
        "and it runs in the background while block devices are prepared. nova creates the "
        "port with the user's token, then binds it to the host with an admin token; neutron "
        "later tells nova the port is plugged (network-vif-plugged)."
    )

    def run(self, state: WalkState) -> tuple[WalkState, StepResult]:
        state = with_instance(state, task_state="networking")
        saved = instance_save(
            state,
            "save_networking",
            "vm_state building, task_state networking (expected None)",
            {"vm_state": "building", "task_state": "networking"},
            expected=[None],
        )
        nics = state.resolved.nics
        if nics == "none":
            return state, StepResult((saved,), StepStatus.SKIPPED, "--nic none: the server gets no network.")
        requests: tuple[ResolvedNic, ...]
        if nics == "auto" or nics == ():
            networks = auto_networks(state.catalog)
            if not networks:
                return state, StepResult((saved,), StepStatus.SKIPPED, "No network to use: the server gets no network.")

            requests = (ResolvedNic(NicRequest(net_id=networks[0].id), networks[0].id, networks[0]),)
        else:
            assert not isinstance(nics, str)
            requests = nics
        handoffs: list[Handoff] = [saved, *self.security_group_lookup(state)]
        bindings: list[PortBinding] = []
        for index, nic in enumerate(requests):
            assert nic.network is not None
            network = nic.network
            fixed = nic.request.v4_fixed_ip or nic.request.v6_fixed_ip
            if nic.port is not None:
                port_id, mac, address = nic.port.id, nic.port.mac_address, nic.port.fixed_ip
                handoffs.append(self.bind(state, port_id))
                bindings.append(PortBinding(port_id, network, mac, address, False))
            else:
                if fixed is not None and not address_in_network(network, fixed):
                    return _fixed_ip_refused(state, handoffs, network, fixed)
                label = f"port:{index}" if state.attempt == 1 else f"port:{index}:attempt:{state.attempt}"
                port_id = state.ids.uuid(label)
                mac = state.ids.mac(label)
                address = pick_address(state, network, label, fixed)
                subnet = next(
                    s for s in network.subnets if address_in_network(Network(network.name, network.id, (s,)), address)
                )
                created_port = {
                    "id": port_id,
                    "network_id": network.id,
                    "mac_address": mac,
                    "status": "DOWN",
                    "fixed_ips": [{"subnet_id": subnet.id, "ip_address": address}],
                }
                handoffs.extend(self.port_requests(state, network, fixed, port_id, created_port))
                bindings.append(PortBinding(port_id, network, mac, address, True))
            if state.fault_strikes(FaultPoint.PORT_BINDING):
                handoffs.extend(self.binding_report(state, port_id))
                state = replace(state, binding_failed_port=port_id)
        if state.binding_failed_port is not None and state.flow.facts.default("binding_failure_frees_ports"):
            # today: _update_port raises PortBindingFailed inside allocate_for_instance, which deletes the
            # ports it made and unbinds the user's there and then, in the background; spawn finds out later
            freed, _lines = free_ports(state, bindings)
            handoffs.extend(freed)
            state = with_instance(state, ports=())
            return state, StepResult(
                tuple(handoffs),
                detail=(
                    f"neutron could not bind the port on {need_host(state).name} (its agent is down?). "
                    "nova frees the network it had set up, but the allocation runs in the background: "
                    "the failure surfaces in spawn."
                ),
                logs=state.flow.facts.logs("network_setup_failed", attempts=1),
            )
        state = with_instance(state, ports=tuple(bindings))
        if state.binding_failed_port is not None:
            return state, StepResult(
                tuple(handoffs),
                detail=(
                    f"neutron could not bind the port on {need_host(state).name} (its agent is down?). "
                    "nova-compute goes on: the failure surfaces in spawn."
                ),
            )
        return state, StepResult(tuple(handoffs))

    def port_body(self, state: WalkState, network: Network, fixed: str | None) -> dict[str, Any]:
        """What nova asks neutron for: a port on the network for the instance (``_create_port_minimal``)."""
        instance = need_instance(state)
        port: dict[str, Any] = {
            "network_id": network.id,
            "device_id": instance.uuid,
            "tenant_id": project_id(state.ids),
            "admin_state_up": True,
        }
        groups = self.security_group_ids(state)
        if groups:
            port["security_groups"] = groups
        if fixed:
            port["fixed_ips"] = [{"ip_address": fixed}]
        return port

    def security_group_ids(self, state: WalkState) -> list[str]:
        """The groups as IDs; ``_clean_security_groups`` drops a lone ``default`` (neutron applies it anyway)."""
        groups = [group for group in state.resolved.request.security_groups if group]
        if groups in ([], ["default"]):
            return []
        return [state.ids.cloud.uuid(f"security-group:{group}") for group in groups]

    def security_group_lookup(self, state: WalkState) -> tuple[Handoff, ...]:
        """nova turns the groups' names into IDs first (``_process_security_groups``)."""
        if not self.security_group_ids(state):
            return ()
        names = ",".join(state.resolved.request.security_groups)
        return (
            rest_request(
                Service.NOVA_COMPUTE,
                Service.NEUTRON,
                "GET /v2.0/security-groups",
                f"the IDs of security groups {names}",
                url=state.neutron_url("security-groups", f"tenant_id={project_id(state.ids)}"),
                headers=auth_headers(state.token),
            ),
        )

    def port_requests(
        self, state: WalkState, network: Network, fixed: str | None, port_id: str, created: dict[str, Any]
    ) -> tuple[Handoff, ...]:
        """Create the port with the user's token, then bind it to the host with an admin token."""
        return (*self.create_port(state, network, fixed, port_id, created), self.bind(state, port_id))

    def create_port(
        self,
        state: WalkState,
        network: Network,
        fixed: str | None,
        port_id: str,
        created: dict[str, Any],
        bound_to: str | None = None,
    ) -> tuple[Handoff, Handoff]:
        """``POST /v2.0/ports`` and neutron's 201; ``bound_to`` a host, the port is made bound, with an admin token."""
        instance = need_instance(state)
        bound = f", bound to host {bound_to}" if bound_to else ""
        return (
            rest_request(
                Service.NOVA_COMPUTE,
                Service.NEUTRON,
                "POST /v2.0/ports",
                f"a port on {network.name} for device {instance.uuid[:8]}…{bound}"
                + (f", fixed IP {fixed}" if fixed else ""),
                url=state.neutron_url("ports"),
                headers=ADMIN_TOKEN if bound_to else auth_headers(state.token),
                body={"port": self.port_body(state, network, fixed)},
                work=Work.CREATE_PORT,
            ),
            rest_reply(
                Service.NEUTRON,
                Service.NOVA_COMPUTE,
                201,
                f"port {port_id[:8]}…, MAC {created['mac_address']}, IP {created['fixed_ips'][0]['ip_address']}",
                body={"port": {**created, **({"binding:host_id": bound_to} if bound_to else {})}},
            ),
        )

    def binding_report(self, state: WalkState, port_id: str) -> tuple[Handoff, ...]:
        """How nova learns the port could not be bound: neutron's answer to the PUT says so."""
        host = need_host(state)
        return (
            rest_reply(
                Service.NEUTRON,
                Service.NOVA_COMPUTE,
                200,
                f"binding:vif_type binding_failed: no mechanism driver could bind the port on {host.name}",
                body={"port": {"id": port_id, "binding:host_id": host.name, "binding:vif_type": "binding_failed"}},
            ),
        )

    def bind(self, state: WalkState, port_id: str) -> Handoff:
        """Bind a port to the host, with an admin token: ``binding:host_id`` and ``device_owner``."""
        instance, host = need_instance(state), need_host(state)
        binding = {
            "device_id": instance.uuid,
            "device_owner": f"compute:{host.availability_zone}",
            "binding:host_id": host.name,
            "dns_name": state.resolved.request.hostname or instance.name,
        }
        return rest_request(
            Service.NOVA_COMPUTE,
            Service.NEUTRON,
            "PUT /v2.0/ports/{id}",
            f"bind the port to host {host.name} (device_owner compute:{host.availability_zone})",
            url=state.neutron_url(f"ports/{port_id}"),
            headers=ADMIN_TOKEN,
            body={"port": binding},
            work=Work.BIND_PORT,
        )


def port_binding_failed(state: WalkState, handoffs: list[Handoff], port_id: str) -> tuple[WalkState, StepResult]:
    """Spawn needs the port neutron could not bind: nova fails the build on this host, and reschedules it.

    Today nova raises PortBindingFailed when it waits for the network;
    Icehouse had no such check, and libvirt's VIF driver refused the vif_type
    ``binding_failed`` as it built the guest's XML.
    """
    host = need_host(state)
    facts = state.flow.facts
    error = facts.error("port_binding_failed")
    reason = error.text({"port_id": port_id, "vif_type": "binding_failed"})
    return compute_failure(
        state,
        handoffs,
        reason=reason,
        exception=error.exception,
        logs=facts.logs("network_failed", attempts=1),
        what=f"Spawn cannot build the guest's network interface on {host.name} without a bound port.",
    )


#: What today's neutron answers for a fixed IP in none of the network's subnets (an example of its words).
NEUTRON_BAD_IP = "IP address %s is not a valid IP for any of the subnets on the specified network."


def _fixed_ip_refused(
    state: WalkState, handoffs: list[Handoff], network: Network, fixed: str
) -> tuple[WalkState, StepResult]:
    """neutron refuses a fixed IP outside the network's subnets.

    Today nova turns that into InvalidInput and aborts the build; Icehouse
    raised neutron's error when spawn waited for the network, and rescheduled
    the build, which fails the same way on every host.
    """
    facts = state.flow.facts
    handoffs.append(
        rest_request(
            Service.NOVA_COMPUTE,
            Service.NEUTRON,
            "POST /v2.0/ports",
            f"a port on {network.name} with fixed IP {fixed}",
            url=state.neutron_url("ports"),
            body={"port": {"network_id": network.id, "fixed_ips": [{"ip_address": fixed}]}},
            work=Work.CREATE_PORT,
        )
    )
    neutron_message = NEUTRON_BAD_IP % fixed
    handoffs.append(
        rest_reply(
            Service.NEUTRON,
            Service.NOVA_COMPUTE,
            400,
            f"{fixed} is not in any subnet of {network.name}",
            body={"NeutronError": {"type": "InvalidIpForNetwork", "message": neutron_message}},
        )
    )
    if facts.has_error("fixed_ip_invalid"):
        invalid = facts.error("fixed_ip_invalid")
        return compute_failure(
            state,
            handoffs,
            reason=invalid.text({"ip": fixed, "network_id": network.id}),
            exception=invalid.exception,
            logs=facts.logs("fixed_ip_refused", attempts=1),
            what="neutron refused the fixed IP, and another host would not help.",
            abort=facts.error("aborted"),
        )
    return compute_failure(
        state,
        handoffs,
        reason=neutron_message,
        exception="NeutronClientException",
        logs=(*facts.logs("fixed_ip_refused", attempts=1), *facts.logs("spawn_failed")),
        what=(
            "neutron refused the fixed IP. The error surfaces when spawn waits for the network, and "
            "Icehouse treats it as this host's failure: it reschedules, and every host fails the same way."
        ),
    )
