"""python-openstackclient's dialect: ``openstack server create``'s flags, its checks, its command and its show.

The grammar and the messages are OSC's (``openstackclient/compute/v2/server.py``
``CreateServer``, ``NICAction``, ``BDMAction``); names are looked up the way
openstacksdk's ``find_*`` does, with its "No Image found for …" messages. The
request is the same :class:`~bootwalk.request.BootRequest` ``nova boot`` builds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from bootwalk.dialects import microversions, shared
from bootwalk.dialects.interface import ShowTable
from bootwalk.records import dataclass
from bootwalk.request import (
    CLIENT_MAX_VERSION,
    ApiVersion,
    BadOptionValue,
    BlockDevice,
    BootRequest,
    NicRequest,
    Nics,
    RequestError,
    collect_hints,
    is_uuid_like,
    parse_block_device_mapping,
    parse_ephemeral,
)

if TYPE_CHECKING:
    from bootwalk.model import Catalog

Parsed = TypeVar("Parsed")


@dataclass(frozen=True)
class ServerCreateOptions:
    """``openstack server create``'s flags as typed: each field is one flag, named as click names its value."""

    server_name: str
    flavor: str
    image: str | None = None
    image_properties: tuple[tuple[str, str], ...] = ()
    volume: str | None = None
    snapshot: str | None = None
    boot_from_volume: int | None = None
    delete_on_termination: bool = False
    block_device_mapping: tuple[str, ...] = ()
    block_devices: tuple[str, ...] = ()
    swap: int | None = None
    ephemeral: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    ports: tuple[str, ...] = ()
    no_network: bool = False
    auto_network: bool = False
    nics: tuple[str, ...] = ()
    password: str | None = None
    security_groups: tuple[str, ...] = ()
    no_security_group: bool = False
    key_name: str | None = None
    properties: tuple[tuple[str, str], ...] = ()
    files: tuple[str, ...] = ()
    user_data: str | None = None
    description: str | None = None
    availability_zone: str | None = None
    host: str | None = None
    hypervisor_hostname: str | None = None
    server_group: str | None = None
    hints: tuple[tuple[str, str], ...] = ()
    config_drive: bool | None = None
    min_count: int = 1
    max_count: int = 1
    tags: tuple[str, ...] = ()
    hostname: str | None = None
    wait: bool = False
    trusted_image_certificates: tuple[str, ...] = ()
    os_compute_api_version: ApiVersion = CLIENT_MAX_VERSION


NIC_FORM = "'net-id=net-uuid,port-id=port-uuid,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,tag=tag'"


def parse_nic(text: str) -> NicRequest | str:
    """One ``--nic``: ``auto``, ``none``, or keys of OSC's NICAction (net-id may be a name or an ID)."""
    if text in ("auto", "none"):
        return text
    info: dict[str, str] = {}
    for item in text.split(","):
        key, _separator, value = item.partition("=")
        if key not in ("net-id", "port-id", "v4-fixed-ip", "v6-fixed-ip", "tag") or not value:
            raise RequestError(f"Invalid argument {text}; argument must be of form {NIC_FORM}", "--nic")
        info[key] = value
    if info.get("net-id") and info.get("port-id"):
        raise RequestError(
            f"Invalid argument {text}; either 'network' or 'port' should be specified but not both", "--nic"
        )
    if info.get("v4-fixed-ip") and info.get("v6-fixed-ip"):
        raise RequestError(
            f"Invalid argument {text}; either 'v4-fixed-ip' or 'v6-fixed-ip' should be specified but not both", "--nic"
        )
    if not info.get("net-id") and not info.get("port-id"):
        raise RequestError(
            f"Invalid argument {text}; give net-id or port-id (openstack would send an empty network, "
            "which nova refuses)",
            "--nic",
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


def name_or_id(flag: str, value: str) -> str:
    """``--network`` and ``--port`` take a name or an ID, with no ',' or '='."""
    if "," in value or "=" in value:
        raise RequestError(f"argument {flag}: Invalid argument {value}; characters ',' and '=' are not allowed", flag)
    return value


#: OSC's BDMAction keys; disk_bus, device_type, tag and volume_type are accepted and change nothing here.
BLOCK_DEVICE_KEYS = (
    "uuid",
    "source_type",
    "destination_type",
    "disk_bus",
    "device_type",
    "device_name",
    "volume_size",
    "guest_format",
    "boot_index",
    "delete_on_termination",
    "tag",
    "volume_type",
)


def _integer_key(info: Mapping[str, str], key: str) -> int | None:
    """A whole-number key of ``--block-device``, if given, with OSC's message."""
    if key not in info:
        return None
    try:
        return int(info[key])
    except ValueError:
        raise RequestError(f"The {key} key of --block-device should be an integer", "--block-device") from None


def parse_block_device(text: str) -> BlockDevice:
    """``--block-device`` with OSC's keys (the API's own names)."""
    info: dict[str, str] = {}
    for item in text.split(","):
        key, separator, value = item.partition("=")
        if not separator or key not in BLOCK_DEVICE_KEYS:
            raise RequestError(
                f"Invalid argument {text}; the keys of --block-device are: {', '.join(BLOCK_DEVICE_KEYS)}",
                "--block-device",
            )
        info[key] = value
    boot_index = _integer_key(info, "boot_index")
    source = info.get("source_type", "blank")
    if source not in ("volume", "image", "snapshot", "blank"):
        raise RequestError(
            "The source_type key of --block-device should be one of: volume, image, snapshot, blank", "--block-device"
        )
    destination = info.get("destination_type", "volume" if source == "volume" else "local")
    if destination not in ("local", "volume"):
        raise RequestError(
            "The destination_type key of --block-device should be one of: local, volume", "--block-device"
        )
    size = _integer_key(info, "volume_size")
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


def check_counts(minimum: int, maximum: int) -> None:
    """OSC's checks and messages for ``--min`` and ``--max``.

    OSC's third check, "max instances should be > 0", can never fire after
    these two, so it is left out.
    """
    if minimum > maximum:
        raise RequestError("min instances should be <= max instances", "--min")
    if minimum < 1:
        raise RequestError("min instances should be > 0", "--min")


#: The bootwalk list of each kind of thing a server create names.
LISTS = {"Image": "image-list", "Flavor": "flavor-list", "Network": "net-list", "Volume": "volume-list",
         "Port": "port-list"}  # fmt: skip


class NotFound(BadOptionValue):
    """openstacksdk's ResourceNotFound: ``No Image found for cirros``."""

    def __init__(self, option: str, kind: str, name_or_id: str) -> None:
        super().__init__(f"No {kind} found for {name_or_id}", option, LISTS.get(kind))


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


#: OSC's refusal of a flag the compute API microversion does not have.
MICROVERSION_MESSAGE = "--os-compute-api-version {low} or greater is required to support the {option} option"


def _parsed(option: str, texts: tuple[str, ...], parse: Callable[[str], Parsed]) -> list[Parsed]:
    """Each text parsed; a parser's RequestError is given the option it is about."""
    try:
        return [parse(text) for text in texts]
    except RequestError as error:
        raise RequestError(str(error), option) from None


def _image_id(catalog: Catalog, name_or_id: str) -> str:
    return next(image.id for image in catalog.images if name_or_id in (image.id, image.name))


def _chosen_nics(nics: list[NicRequest | str], version: ApiVersion) -> Nics:
    """OSC's rules for the nics together: auto or none alone, at the microversions that allow them."""
    if any(isinstance(nic, str) for nic in nics) and len(nics) > 1:
        raise RequestError(
            "Specifying a --nic of auto or none cannot be used with any other --nic, --network or --port value.",
            "--nic",
        )
    words = ((microversions.AUTO_NETWORK, "auto"), (microversions.NO_NETWORK, "none"))
    asked = {feature for feature, word in words if word in nics}
    asked |= {microversions.NIC_TAG for nic in nics if isinstance(nic, NicRequest) and nic.tag}
    microversions.check("openstack", asked, version, MICROVERSION_MESSAGE)
    if nics and nics[0] == "auto":
        return "auto"
    if nics and nics[0] == "none":
        return "none"
    if nics:
        return tuple(nic for nic in nics if isinstance(nic, NicRequest))
    return "auto" if microversions.allows("openstack", microversions.AUTO_NETWORK, version) else ()


def build_request(options: ServerCreateOptions, catalog: Catalog) -> BootRequest:
    """Turn ``server create``'s flags into a BootRequest, with OSC's checks and openstacksdk's lookups."""
    version = options.os_compute_api_version
    microversions.check("openstack", microversions.given_in("openstack", options), version, MICROVERSION_MESSAGE)
    # The flags that choose the boot source, of which OSC takes one (argparse's mutually exclusive group).
    sources = {
        "--image": options.image,
        "--image-property": options.image_properties,
        "--volume": options.volume,
        "--snapshot": options.snapshot,
    }
    given_sources = [flag for flag, value in sources.items() if value]
    if len(given_sources) > 1:
        raise RequestError(
            f"argument {given_sources[1]}: not allowed with argument {given_sources[0]}", given_sources[1]
        )
    check_counts(options.min_count, options.max_count)
    nics: list[NicRequest | str] = _parsed("--nic", options.nics, parse_nic)
    nics += [
        NicRequest(net_id=value) if is_uuid_like(value) else NicRequest(net_name=value)
        for value in (name_or_id("--network", network) for network in options.networks)
    ]
    block_devices = _parsed("--block-device", options.block_devices, parse_block_device)
    legacy = _parsed("--block-device-mapping", options.block_device_mapping, parse_block_device_mapping)
    ephemeral = _parsed("--ephemeral", options.ephemeral, parse_ephemeral)
    check_exists(catalog, "--flavor", "Flavor", options.flavor)
    if options.image:
        check_exists(catalog, "--image", "Image", options.image)
    nics += [NicRequest(port_id=find_port_id(catalog, name_or_id("--port", port))) for port in options.ports]
    for nic in nics:
        if isinstance(nic, NicRequest) and nic.net_name:
            check_exists(catalog, "--network", "Network", nic.net_name)
        if isinstance(nic, NicRequest) and nic.port_id and not is_uuid_like(nic.port_id):
            find_port_id(catalog, nic.port_id)
    boot_volume = find_volume_id(catalog, "--volume", options.volume) if options.volume else None
    if options.no_network:
        nics.append("none")
    if options.auto_network:
        nics.append("auto")
    chosen_nics = _chosen_nics(nics, version)
    image = options.image
    if options.delete_on_termination and not options.boot_from_volume:
        raise RequestError(
            "--delete-on-termination can only be used with --boot-from-volume", "--delete-on-termination"
        )
    if options.boot_from_volume:
        if options.volume:
            raise RequestError("--volume is not allowed with --boot-from-volume", "--volume")
        if options.snapshot:
            raise RequestError("--snapshot is not allowed with --boot-from-volume", "--snapshot")
        if not image:
            raise RequestError(
                "An image (--image or --image-property) is required to support --boot-from-volume option",
                "--boot-from-volume",
            )
        root = BlockDevice(
            "image",
            "volume",
            0,
            uuid=_image_id(catalog, image),
            volume_size=options.boot_from_volume,
            delete_on_termination=options.delete_on_termination,
        )
        block_devices.insert(0, root)
        image = None
    elif image:
        block_devices.insert(
            0, BlockDevice("image", "local", 0, uuid=_image_id(catalog, image), delete_on_termination=True)
        )
    if not (image or boot_volume or options.snapshot or options.image_properties or block_devices or legacy):
        raise RequestError(
            "no boot source: give --image, --image-property, --volume, --snapshot or a block device", "--image"
        )
    files = shared.injected_files(options.files)
    hints = options.hints + ((("group", options.server_group),) if options.server_group else ())
    return BootRequest(
        name=options.server_name,
        flavor=options.flavor,
        image=image,
        image_with=options.image_properties,
        boot_volume=boot_volume,
        snapshot=options.snapshot,
        min_count=options.min_count,
        max_count=options.max_count,
        meta=dict(options.properties),
        files=files,
        key_name=options.key_name,
        user_data=shared.read_file(options.user_data, "--user-data") if options.user_data else None,
        availability_zone=options.availability_zone,
        security_groups=() if options.no_security_group else options.security_groups,
        block_device_mapping=tuple(legacy),
        block_devices=tuple(block_devices),
        swap=options.swap,
        ephemeral=tuple(ephemeral),
        hints=collect_hints(hints),
        nics=chosen_nics,
        config_drive=bool(options.config_drive),
        poll=options.wait,
        admin_pass=options.password,
        description=options.description,
        tags=options.tags,
        trusted_image_certificate_ids=options.trusted_image_certificates,
        host=options.host,
        hypervisor_hostname=options.hypervisor_hostname,
        hostname=options.hostname,
        api_version=version,
        nics_explicit=bool(nics),
    )


# --- the command line -----------------------------------------------------------------------------


def _block_device(device: BlockDevice) -> str:
    return shared.block_device(
        {
            "uuid": device.uuid,
            "source_type": device.source_type,
            "destination_type": device.destination_type,
            "boot_index": device.boot_index,
            "volume_size": device.volume_size,
            "device_name": device.device_name,
            "guest_format": device.guest_format,
            "delete_on_termination": "true" if device.delete_on_termination else None,
        }
    )


def _boot_from_volume(request: BootRequest) -> BlockDevice | None:
    """The image-to-volume root disk that ``--boot-from-volume SIZE`` makes."""
    return next(
        (
            d
            for d in request.block_devices
            if d.source_type == "image" and d.destination_type == "volume" and d.boot_index == 0
        ),
        None,
    )


def _nic(nic: NicRequest) -> str:
    if nic.port_id and not (nic.v4_fixed_ip or nic.v6_fixed_ip or nic.tag):
        return f"--port {shared.quote(nic.port_id)}"
    network = nic.net_name or nic.net_id
    if network and not (nic.v4_fixed_ip or nic.v6_fixed_ip or nic.tag):
        return f"--network {shared.quote(network)}"
    keys = {
        "net-id": network,
        "port-id": nic.port_id,
        "v4-fixed-ip": nic.v4_fixed_ip,
        "v6-fixed-ip": nic.v6_fixed_ip,
        "tag": nic.tag,
    }
    return "--nic " + shared.quote(",".join(f"{k}={v}" for k, v in keys.items() if v))


def openstack_command(request: BootRequest) -> tuple[str, list[str]]:
    """The request as ``openstack server create`` takes it, and what that command has no flag for."""
    words = ["openstack server create", f"--flavor {shared.quote(request.flavor)}"]
    missing: list[str] = []
    from_volume = _boot_from_volume(request)
    if from_volume is not None:
        words.append(f"--image {shared.quote(request.image or from_volume.uuid)}")
        words.append(f"--boot-from-volume {from_volume.volume_size}")
        if from_volume.delete_on_termination:
            words.append("--delete-on-termination")
    elif request.image:
        words.append(f"--image {shared.quote(request.image)}")
    words += shared.pairs("--image-property", request.image_with)
    if request.boot_volume:
        words.append(f"--volume {shared.quote(request.boot_volume)}")
    if request.snapshot:
        words.append(f"--snapshot {shared.quote(request.snapshot)}")
    if (request.min_count, request.max_count) != (1, 1):
        words.append(f"--min {request.min_count} --max {request.max_count}")
    words += shared.pairs("--property", dict(request.meta))
    words += shared.placement_words(request)
    words += [f"--security-group {shared.quote(group)}" for group in request.security_groups]
    words += [shared.legacy_mapping(device) for device in request.block_device_mapping]
    words += [_block_device(d) for d in request.block_devices if d is not from_volume and not shared.implicit_image(d)]
    words += shared.local_disk_and_hint_words(request)
    if request.nics == "auto":
        if request.nics_explicit:
            words.append("--auto-network")
    elif request.nics == "none":
        words.append("--no-network")
    else:
        words += [_nic(nic) for nic in request.nics]
    if request.config_drive:
        words.append("--use-config-drive")
    if request.poll:
        words.append("--wait")
    if request.admin_pass:
        words.append("--password <password>")
    words += shared.valued_flags(request, ("--description", "--host", "--hypervisor-hostname", "--hostname"))
    words += [f"--tag {shared.quote(tag)}" for tag in request.tags]
    words += [f"--trusted-image-cert {shared.quote(c)}" for c in request.trusted_image_certificate_ids]
    for flag, value in (("--access-ip-v4", request.access_ip_v4), ("--access-ip-v6", request.access_ip_v6)):
        if value is not None:
            missing.append(flag)
    if request.return_reservation_id:
        missing.append("--return-reservation-id")
    words.append(shared.positional(request.name))
    return " ".join(words), missing


# --- openstack server show ------------------------------------------------------------------------------
#
# python-openstackclient's ``_prep_server_detail`` (openstackclient/compute/v2/server.py) and the osc-lib
# column formatters it uses (osc_lib/utils format_dict, format_list, format_dict_of_list). Real OSC also
# lists every attribute of openstacksdk's Server resource that the walk's server view does not carry
# (host_status, locked_reason, server_groups, OS-EXT-SRV-ATTR:kernel_id, pinned_availability_zone, ...),
# mostly as None; those rows are left out here rather than guessed. At 2.47 and later the flavor is
# openstacksdk's Flavor as a dict; only the keys nova's API returns are shown.

#: OSC's PowerStateColumn: the name of each power_state number.
POWER_STATES = ("NOSTATE", "Running", "", "Paused", "Shutdown", "", "Crashed", "Suspended")

#: What OSC shows as the image of a server booted from a volume (IMAGE_STRING_FOR_BFV).
BOOTED_FROM_VOLUME = "N/A (booted from volume)"

#: The microversion that embeds the flavor in the server (before it, OSC looks the flavor up: ``name (id)``).
EMBEDDED_FLAVOR = ApiVersion(2, 47)


def format_dict(data: Mapping[str, Any], prefix: str | None = None) -> str:
    """osc-lib's ``format_dict``: ``key='value'`` sorted by key, nested dicts as ``key.inner='value'``."""
    output = ""
    for key in sorted(data):
        name = f"{prefix}.{key}" if prefix else key
        value = data[key]
        if isinstance(value, dict):
            output += format_dict(value, prefix=name) + ", "
        elif value is not None:
            output += f"{name}='{value}', "
        else:
            output += f"{name}=, "
    return output[:-2]


def _addresses(addresses: Mapping[str, list[Mapping[str, Any]]]) -> str:
    """OSC's AddressesColumn: ``private=10.0.0.5``, networks and addresses sorted."""
    return "; ".join(
        f"{network}={', '.join(sorted(entry['addr'] for entry in addresses[network] if 'addr' in entry))}"
        for network in sorted(addresses)
    )


def _api_version(request: Mapping[str, Any]) -> ApiVersion | None:
    major, _dot, minor = str(request.get("api_version", "")).partition(".")
    return ApiVersion(int(major), int(minor)) if major.isdigit() and minor.isdigit() else None


def _flavor(flavor: Mapping[str, Any], request: Mapping[str, Any]) -> str:
    version = _api_version(request)
    looked_up = request.get("flavor")
    if version is not None and version < EMBEDDED_FLAVOR and isinstance(looked_up, Mapping):
        return f"{looked_up['name']} ({looked_up['id']})"
    return format_dict(flavor)


def _plain(value: Any) -> str:
    """A value cliff's table prints as Python prints it: None, True, 0, the text."""
    return str(value)


def server_rows(server: Mapping[str, Any], request: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (Field, Value) rows of ``openstack server show``, sorted as OSC sorts them."""
    rows: dict[str, str] = {}
    for key, value in server.items():
        if key == "links":
            continue
        if key == "image":
            image = value if isinstance(value, Mapping) and any(value.values()) else None
            rows[key] = f"{shared.image_name(image, request)} ({image['id']})" if image else BOOTED_FROM_VOLUME
        elif key == "flavor" and isinstance(value, Mapping):
            rows[key] = _flavor(value, request)
        elif key == "addresses":
            rows[key] = _addresses(value or {})
        elif key == "metadata":
            rows["properties"] = format_dict(value)
        elif key == "tenant_id":
            rows["project_id"] = _plain(value)
        elif key == "os-extended-volumes:volumes_attached":
            rows["volumes_attached"] = "\n".join(
                format_dict({k: v for k, v in volume.items() if v is not None and k != "location"})
                for volume in value or []
            )
        elif key == "security_groups":
            rows[key] = "\n".join(format_dict(group) for group in value)
        elif key == "tags":
            rows[key] = ", ".join(sorted(value or []))
        elif key == "OS-EXT-STS:power_state":
            rows[key] = POWER_STATES[value] if 0 <= value < len(POWER_STATES) else "N/A"
        elif key == "fault" and isinstance(value, Mapping):
            # Not a formatted column: printed as Python prints the dict, in the order nova's API writes it.
            rows[key] = str({name: value[name] for name in ("code", "created", "message") if name in value})
        else:
            rows[key] = _plain(value)
    return sorted(rows.items())


class OpenstackDialect:
    """python-openstackclient's ``openstack server create``, and how it ends: ``openstack server show``."""

    name = "openstack"
    command = "openstack server create"
    show_command = "openstack server show"
    list_command = "openstack server list"
    walk_command = "server create"
    volume_flags = "--volume <volume>, --snapshot <snapshot> or --boot-from-volume <size>"

    def build(self, options: ServerCreateOptions, catalog: Catalog) -> BootRequest:
        """The request server create's flags ask for, looking names up as openstacksdk does."""
        return build_request(options, catalog)

    def format_command(self, request: BootRequest) -> str:
        """The request as ``openstack server create`` takes it."""
        return openstack_command(request)[0]

    def show_table(self, server: Mapping[str, Any], request: Mapping[str, Any]) -> ShowTable:
        """``openstack server show``: Field and Value, OSC's fields."""
        return ShowTable(("Field", "Value"), server_rows(server, request))

    def wait_lines(self, active: bool) -> str:
        """``--wait`` prints ``Progress: N`` only while nova reports progress, which a build leaves at 0."""
        return ""

    def wait_failure_line(self, name: str) -> str:
        """What ``openstack server create --wait`` ends on when the server went to ERROR."""
        return f"Error creating server: {name}"


#: The openstack dialect, as the registry holds it.
OPENSTACK = OpenstackDialect()
