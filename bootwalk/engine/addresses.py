"""Which addresses neutron hands out, and which networks ``--nic auto`` can use.

Used by the network step and by the final views (the addresses of the
instances the walk does not follow).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bootwalk.ids import plain_ipv4_network
from bootwalk.model import Catalog, Network

if TYPE_CHECKING:
    from bootwalk.engine.state import WalkState


def auto_networks(catalog: Catalog) -> tuple[Network, ...]:
    """The networks ``--nic auto`` can use: the project's, not the external ones."""
    return tuple(network for network in catalog.networks if not network.external)


def pick_address(state: WalkState, network: Network, label: str, fixed_ip: str | None) -> str:
    """The IP neutron hands out: the fixed IP asked for, or a free one of the first subnet."""
    if fixed_ip is not None:
        return fixed_ip
    subnet = next((s for s in network.subnets if s.ip_version == 4), network.subnets[0])
    taken = frozenset(port.fixed_ip for port in state.catalog.ports)
    return state.ids.address(label, subnet.cidr, subnet.gateway_ip, taken)


def address_in_network(network: Network, address: str) -> bool:
    """True when the address lies in one of the network's subnets (plain IPv4 without :mod:`ipaddress`)."""
    single = plain_ipv4_network(address + "/32")
    networks = [plain_ipv4_network(subnet.cidr) for subnet in network.subnets]
    if single is not None and None not in networks:
        return any(first <= single[0] < first + size for first, size in networks)  # type: ignore[misc]
    import ipaddress

    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(subnet.cidr) for subnet in network.subnets)
