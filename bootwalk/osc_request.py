"""python-openstackclient's ``server create`` flags, parsed into the same BootRequest as ``nova boot``.

The grammar and the messages are OSC's (``openstackclient/compute/v2/server.py``
``CreateServer``, ``NICAction``, ``BDMAction``); names are looked up the way
openstacksdk's ``find_*`` does, with its "No Image found for …" messages.
"""

from __future__ import annotations

from bootwalk.model import Catalog
from bootwalk.request import BlockDevice, NicRequest, RequestError, is_uuid_like

NIC_FORM = "'net-id=net-uuid,port-id=port-uuid,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,tag=tag'"


def parse_osc_nic(text: str) -> NicRequest | str:
    """One ``--nic``: ``auto``, ``none``, or keys of OSC's NICAction (net-id may be a name or an ID)."""
    if text in ("auto", "none"):
        return text
    info: dict[str, str] = {}
    for item in text.split(","):
        key, _separator, value = item.partition("=")
        if key not in ("net-id", "port-id", "v4-fixed-ip", "v6-fixed-ip", "tag") or not value:
            raise RequestError(f"Invalid argument {text}; argument must be of form {NIC_FORM}")
        info[key] = value
    if info.get("net-id") and info.get("port-id"):
        raise RequestError(f"Invalid argument {text}; either 'network' or 'port' should be specified but not both")
    if info.get("v4-fixed-ip") and info.get("v6-fixed-ip"):
        raise RequestError(
            f"Invalid argument {text}; either 'v4-fixed-ip' or 'v6-fixed-ip' should be specified but not both"
        )
    if not info.get("net-id") and not info.get("port-id"):
        raise RequestError(
            f"Invalid argument {text}; give net-id or port-id (openstack would send an empty network, "
            "which nova refuses)"
        )
    network = info.get("net-id")
    return NicRequest(
        net_id=network if network and is_uuid_like(network) else None,
        net_name=network if network and not is_uuid_like(network) else None,
        port_id=info.get("port-id"),
        v4_fixed_ip=info.get("v4-fixed-ip"),
        v6_fixed_ip=info.get("v6-fixed-ip"),
        tag=info.get("tag"),
    )


def wrapper_value(flag: str, value: str) -> str:
    """``--network`` and ``--port`` take a name or an ID, with no ',' or '='."""
    if "," in value or "=" in value:
        raise RequestError(f"argument {flag}: Invalid argument {value}; characters ',' and '=' are not allowed")
    return value


#: OSC's BDMAction keys; disk_bus, device_type, tag and volume_type are accepted and change nothing here.
BLOCK_DEVICE_KEYS = (
    "uuid", "source_type", "destination_type", "disk_bus", "device_type", "device_name", "volume_size",
    "guest_format", "boot_index", "delete_on_termination", "tag", "volume_type",
)  # fmt: skip


def parse_osc_block_device(text: str) -> BlockDevice:
    """``--block-device`` with OSC's keys (the API's own names)."""
    info: dict[str, str] = {}
    for item in text.split(","):
        key, separator, value = item.partition("=")
        if not separator or key not in BLOCK_DEVICE_KEYS:
            raise RequestError(
                f"Invalid argument {text}; the keys of --block-device are: {', '.join(BLOCK_DEVICE_KEYS)}"
            )
        info[key] = value
    boot_index = None
    if "boot_index" in info:
        try:
            boot_index = int(info["boot_index"])
        except ValueError:
            raise RequestError("The boot_index key of --block-device should be an integer") from None
    source = info.get("source_type", "blank")
    if source not in ("volume", "image", "snapshot", "blank"):
        raise RequestError("The source_type key of --block-device should be one of: volume, image, snapshot, blank")
    destination = info.get("destination_type", "volume" if source == "volume" else "local")
    if destination not in ("local", "volume"):
        raise RequestError("The destination_type key of --block-device should be one of: local, volume")
    size = None
    if "volume_size" in info:
        try:
            size = int(info["volume_size"])
        except ValueError:
            raise RequestError("The volume_size key of --block-device should be an integer") from None
    return BlockDevice(
        source_type=source,
        destination_type=destination,
        boot_index=boot_index,
        uuid=info.get("uuid"),
        volume_size=size,
        delete_on_termination=info.get("delete_on_termination", "").lower() in ("true", "1", "yes"),
        device_name=info.get("device_name"),
        guest_format=info.get("guest_format"),
    )


def check_osc_counts(minimum: int, maximum: int) -> None:
    """OSC's checks and messages for ``--min`` and ``--max``.

    OSC's third check, "max instances should be > 0", can never fire after
    these two, so it is left out.
    """
    if minimum > maximum:
        raise RequestError("min instances should be <= max instances")
    if minimum < 1:
        raise RequestError("min instances should be > 0")


class NotFound(Exception):
    """openstacksdk's ResourceNotFound: ``No Image found for cirros``."""

    def __init__(self, option: str, kind: str, name_or_id: str) -> None:
        self.option = option
        self.message = f"No {kind} found for {name_or_id}"
        super().__init__(self.message)


def find_volume_id(catalog: Catalog, option: str, name_or_id: str) -> str:
    """A volume by ID or name, as openstacksdk's find_volume."""
    for volume in catalog.volumes:
        if name_or_id in (volume.id, volume.name):
            return volume.id
    raise NotFound(option, "Volume", name_or_id)


def find_port_id(catalog: Catalog, name_or_id: str) -> str:
    """A port by ID or name, as openstacksdk's find_port."""
    for port in catalog.ports:
        if name_or_id in (port.id, port.name):
            return port.id
    raise NotFound("--port", "Port", name_or_id)


def check_exists(catalog: Catalog, option: str, kind: str, name_or_id: str) -> None:
    """Raise NotFound for an image, flavor or network the catalog does not have by ID or name."""
    entries: dict[str, list[tuple[str, str]]] = {
        "Image": [(image.id, image.name) for image in catalog.images],
        "Flavor": [(flavor.id, flavor.name) for flavor in catalog.flavors],
        "Network": [(network.id, network.name) for network in catalog.networks],
    }
    if not any(name_or_id in pair for pair in entries[kind]):
        raise NotFound(option, kind, name_or_id)
