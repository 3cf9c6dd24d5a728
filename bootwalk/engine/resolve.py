"""Resolve a boot request against the catalog, as the client does before it sends anything.

Pure Python: novaclient's lookups (image, ``--image-with``, flavor, networks)
and its error messages, with no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from bootwalk.model import Catalog, Flavor, Image, Network, Port
from bootwalk.records import dataclass
from bootwalk.request import BootRequest, NicRequest, is_uuid_like

if TYPE_CHECKING:
    from bootwalk.engine.state import Flow


class LookupFailure(Exception):
    """The client could not find what an option names; nothing was sent to nova.

    ``option`` is the command-line option at fault, such as ``--image``.
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option
        self.message = message


@dataclass(frozen=True)
class ResolvedNic:
    """A ``--nic`` with its network (and port, for ``port-id``) looked up.

    ``network`` is None when nova-api will not find the net-id it was given;
    ``port`` is None unless a port was asked for and exists.
    """

    request: NicRequest
    network_id: str
    network: Network | None
    port: Port | None = None


@dataclass(frozen=True)
class ResolvedRequest:
    """A boot request whose flavor, image and networks the client has looked up."""

    request: BootRequest
    flavor: Flavor
    image: Image | None
    nics: tuple[ResolvedNic, ...] | Literal["auto", "none"]


def _find_one(items: list[object], kind: str, text: str, option: str) -> object:
    if len(items) > 1:
        raise LookupFailure(option, f"Multiple {kind} matches found for '{text}', use an ID to be more specific.")
    return items[0]


def find_flavor(catalog: Catalog, text: str) -> Flavor:
    """Find a flavor by ID, then by name, as novaclient's ``find_resource`` does."""
    by_id = [flavor for flavor in catalog.flavors if flavor.id == text]
    if by_id:
        return by_id[0]
    by_name = [flavor for flavor in catalog.flavors if flavor.name == text]
    if not by_name:
        raise LookupFailure("--flavor", f"No flavor with a name or ID of '{text}' exists.")
    found = _find_one(list(by_name), "flavor", text, "--flavor")
    assert isinstance(found, Flavor)
    return found


def find_image(catalog: Catalog, text: str) -> Image:
    """Find an image by ID when the text is a UUID, else by name (novaclient's ``find_image``)."""
    if is_uuid_like(text):
        for image in catalog.images:
            if image.id == text:
                return image
        raise LookupFailure("--image", f"No Image matching {text}. (HTTP 404)")
    matches = [image for image in catalog.images if image.name == text]
    if not matches:
        raise LookupFailure("--image", f"No Image matching {text}. (HTTP 404)")
    found = _find_one(list(matches), "image", text, "--image")
    assert isinstance(found, Image)
    return found


def find_network(catalog: Catalog, name: str) -> Network:
    """Resolve ``net-name`` through neutron's ``GET /v2.0/networks?name=``."""
    matches = [network for network in catalog.networks if network.name == name]
    if not matches:
        raise LookupFailure("--nic", f"No Network matching {name}. (HTTP 404)")  # str(NotFound(404, msg))
    found = _find_one(list(matches), "network", name, "--nic")
    assert isinstance(found, Network)
    return found


def resolve_request(request: BootRequest, catalog: Catalog) -> ResolvedRequest:
    """Look up what the client looks up before it sends ``POST /servers``.

    The order is novaclient's ``_boot``: image, ``--image-with``, flavor,
    then the nics. Raises :class:`LookupFailure` with novaclient's message.
    """
    image = find_image(catalog, request.image) if request.image else None
    if image is None and request.image_with:
        wanted = dict(request.image_with)
        matching = [
            candidate
            for candidate in catalog.images
            if all(candidate.properties.get(key) == value for key, value in wanted.items())
        ]
        if not matching:
            raise LookupFailure("--image-with", "No images match the property expected by --image-with")
        image = matching[0]
    flavor = find_flavor(catalog, request.flavor)
    nics: tuple[ResolvedNic, ...] | Literal["auto", "none"]
    if isinstance(request.nics, str):
        nics = request.nics
    else:
        resolved = []
        for nic in request.nics:
            if nic.net_name is not None:
                network: Network | None = find_network(catalog, nic.net_name)
                assert network is not None
                resolved.append(ResolvedNic(nic, network.id, network))
            elif nic.net_id:
                if not is_uuid_like(nic.net_id):
                    raise LookupFailure(
                        "--nic",
                        f"net-id '{nic.net_id}' is not a UUID, so nova-api would refuse it "
                        f"(HTTP 400). To give a network by name, use --nic net-name={nic.net_id}",
                    )
                network = next((n for n in catalog.networks if n.id == nic.net_id), None)
                resolved.append(ResolvedNic(nic, nic.net_id, network))
            else:
                port = next((p for p in catalog.ports if p.id == nic.port_id), None)
                network = None
                if port is not None:
                    network = next(n for n in catalog.networks if n.id == port.network_id)
                resolved.append(ResolvedNic(nic, port.network_id if port else "", network, port))
        nics = tuple(resolved)
    return ResolvedRequest(request=request, flavor=flavor, image=image, nics=nics)


def refused_filters(flow: Flow, filters: tuple[str, ...]) -> str | None:
    """nova-scheduler's refusal of a filter its release no longer has, and what does that work now; None if none.

    ``HostManager`` loads ``enabled_filters`` at start-up and fails on a name
    it cannot find (SchedulerHostFilterNotFound), so nothing is scheduled.
    """
    removed = flow.facts.default("removed_filters")
    for name in filters:
        if name in removed:
            error = flow.facts.error("filter_not_found").text({"filter_name": name})
            return f"nova-scheduler ({flow.release}) does not start: {error} {name} was {removed[name]}."
    return None
