"""nova-compute and neutron: a port for each requested network, bound to the host.

Shared by both flows. Also the address helpers: which IP neutron hands out,
and whether an address lies in a network.
"""

from __future__ import annotations

from dataclasses import replace

from bootwalk.cloud import ENDPOINTS, auth_headers, project_id
from bootwalk.engine.addresses import address_in_network, auto_networks, pick_address
from bootwalk.engine.resolve import ResolvedNic
from bootwalk.engine.state import PortBinding, StepResult, WalkState, need_host, need_instance, with_instance
from bootwalk.handoffs import rest_reply, rest_request
from bootwalk.model import Network
from bootwalk.request import NicRequest
from bootwalk.scenarios import FaultPoint
from bootwalk.services.failures import compute_failure
from bootwalk.trace import ApiError, Fault, Handoff, LogLine, Service, StepStatus, Work


class AllocateNetwork:
    """Step 10: nova-compute asks neutron for a port and an IP address."""

    name = "neutron"
    title = "nova-compute asks neutron for a port and an IP address on the requested network"
    service = Service.NEUTRON
    source = "nova/compute/manager.py _allocate_network; nova/network/neutron.py allocate_for_instance"
    note = (
        "This is the first thing nova-compute starts (task_state networking), "
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
            networks = auto_networks(state.catalog)
            if not networks:
                return state, StepResult((), StepStatus.SKIPPED, "No network to use: the server gets no network.")

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
                port = {
                    "network_id": network.id,
                    "device_id": instance.uuid,
                    "tenant_id": project_id(state.ids),
                    "admin_state_up": True,
                    "security_groups": list(state.resolved.request.security_groups or ("default",)),
                    **({"fixed_ips": [{"ip_address": fixed}]} if fixed else {}),
                }
                handoffs.append(
                    rest_request(
                        Service.NOVA_COMPUTE,
                        Service.NEUTRON,
                        "POST /v2.0/ports",
                        f"a port on {network.name} for device {instance.uuid[:8]}…"
                        + (f", fixed IP {fixed}" if fixed else ""),
                        url=f"{ENDPOINTS['network']}/v2.0/ports",
                        headers=auth_headers(state.token),
                        body={"port": port},
                        work=Work.CREATE_PORT,
                    )
                )
                created_port = {
                    "id": port_id,
                    "network_id": network.id,
                    "mac_address": mac,
                    "status": "DOWN",
                    "fixed_ips": [{"subnet_id": subnet.id, "ip_address": address}],
                }
                handoffs.append(
                    rest_reply(
                        Service.NEUTRON,
                        Service.NOVA_COMPUTE,
                        201,
                        f"port {port_id[:8]}…, MAC {mac}, IP {address}",
                        body={"port": created_port},
                    )
                )
            binding = {
                "device_id": instance.uuid,
                "device_owner": f"compute:{host.availability_zone}",
                "binding:host_id": host.name,
                "dns_name": state.resolved.request.hostname or instance.name,
            }
            handoffs.append(
                rest_request(
                    Service.NOVA_COMPUTE,
                    Service.NEUTRON,
                    "PUT /v2.0/ports/{id}",
                    f"bind the port to host {host.name} (device_owner compute:{host.availability_zone})",
                    url=f"{ENDPOINTS['network']}/v2.0/ports/{port_id}",
                    headers={"X-Auth-Token": "(an admin token)"},
                    body={"port": binding},
                    work=Work.BIND_PORT,
                )
            )
            bindings.append(PortBinding(port_id, network, mac, address, created))
            if state.fault_strikes(FaultPoint.PORT_BINDING):
                return _port_binding_failed(state, handoffs, tuple(bindings), port_id)
        state = with_instance(state, ports=tuple(bindings))
        return state, StepResult(tuple(handoffs))


def _port_binding_failed(
    state: WalkState, handoffs: list[Handoff], bindings: tuple[PortBinding, ...], port_id: str
) -> tuple[WalkState, StepResult]:
    host = need_host(state)
    handoffs.append(
        rest_reply(
            Service.NEUTRON,
            Service.NOVA_COMPUTE,
            200,
            f"binding:vif_type binding_failed: no mechanism driver could bind the port on {host.name}",
            body={"port": {"id": port_id, "binding:host_id": host.name, "binding:vif_type": "binding_failed"}},
        )
    )
    reason = f"Binding failed for port {port_id}, please check neutron logs for more information."
    state = with_instance(state, ports=bindings)
    return compute_failure(
        state,
        handoffs,
        reason=reason,
        exception="PortBindingFailed",
        logs=(
            LogLine(
                Service.NEUTRON,
                "ERROR",
                f"Failed to bind port {port_id} on host {host.name} for vnic_type normal using segments …",
            ),
            LogLine(Service.NOVA_COMPUTE, "ERROR", "Instance failed network setup after 1 attempt(s)"),
            LogLine(Service.NOVA_COMPUTE, "ERROR", f"nova.exception.PortBindingFailed: {reason}"),
            LogLine(Service.NOVA_COMPUTE, "ERROR", "Failed to build and run instance"),
        ),
        what=(
            f"neutron could not bind the port on {host.name} (say its Open vSwitch agent is down). "
            "In real nova the network is set up in the background, so the PortBindingFailed "
            "surfaces when spawn waits for it; the guest is never started."
        ),
    )


def _network_failure(
    state: WalkState, handoffs: list[Handoff], network: Network, fixed: str
) -> tuple[WalkState, StepResult]:
    message = (
        f"Build of instance {need_instance(state).uuid} aborted: Failed to allocate the network(s), not rescheduling."
    )
    handoffs.append(
        rest_request(
            Service.NOVA_COMPUTE,
            Service.NEUTRON,
            "POST /v2.0/ports",
            f"a port on {network.name} with fixed IP {fixed}",
            url=f"{ENDPOINTS['network']}/v2.0/ports",
            body={"port": {"network_id": network.id, "fixed_ips": [{"ip_address": fixed}]}},
            work=Work.CREATE_PORT,
        )
    )
    neutron_error = {
        "type": "InvalidIpForNetwork",
        "message": f"IP address {fixed} is not a valid IP for any of the subnets on the specified network.",
    }
    handoffs.append(
        rest_reply(
            Service.NEUTRON,
            Service.NOVA_COMPUTE,
            400,
            f"{fixed} is not in any subnet of {network.name}",
            body={"NeutronError": neutron_error},
        )
    )
    fault = Fault(message=message, code=500)
    state = with_instance(state, vm_state="error", task_state=None, fault=fault)
    state = replace(state, error=ApiError("BuildAbortException", message, None))
    return state, StepResult(
        tuple(handoffs),
        StepStatus.FAILED,
        "Neutron refused the fixed IP. nova-compute gives up without rescheduling "
        "(BuildAbortException): the server goes to ERROR with this fault.",
    )
