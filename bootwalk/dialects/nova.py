"""python-novaclient's dialect: ``nova boot``'s options, its checks, its command line and ``nova show``.

The grammar and the messages are novaclient 18's (``novaclient/v2/shell.py``
``do_boot`` and ``_boot``); the parsers of single values are in
:mod:`bootwalk.request`. Names are not looked up here: nova boot looks them up
after parsing, which the engine's ``resolve_request`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bootwalk.dialects import microversions, shared
from bootwalk.dialects.interface import ShowTable
from bootwalk.dialects.nics import parse_nics
from bootwalk.records import dataclass
from bootwalk.request import (
    CLIENT_MAX_VERSION,
    ApiVersion,
    BadOptionValue,
    BlockDevice,
    BootRequest,
    RequestError,
    check_counts,
    collect_hints,
    format_nic,
    parse_block_device,
    parse_block_device_mapping,
    parse_config_drive,
    parse_ephemeral,
)

if TYPE_CHECKING:
    from bootwalk.model import Catalog


@dataclass(frozen=True)
class NovaBootOptions:
    """``nova boot``'s options as typed: each field is one option, named as click names its value.

    Texts whose meaning depends on the others (``--nic``, ``--block-device``,
    ``--config-drive``) stay text until :func:`build_request` reads them in
    novaclient's order; key=value options arrive as pairs.
    """

    name: str
    flavor: str | None = None
    image: str | None = None
    image_with: tuple[tuple[str, str], ...] = ()
    boot_volume: str | None = None
    snapshot: str | None = None
    min_count: int | None = None
    max_count: int | None = None
    meta: tuple[tuple[str, str], ...] = ()
    files: tuple[str, ...] = ()
    key_name: str | None = None
    user_data: str | None = None
    availability_zone: str | None = None
    security_groups: str | None = None
    block_device_mapping: tuple[str, ...] = ()
    block_device: tuple[str, ...] = ()
    swap: int | None = None
    ephemeral: tuple[str, ...] = ()
    hints: tuple[tuple[str, str], ...] = ()
    nics: tuple[str, ...] = ()
    config_drive: str | None = None
    poll: bool = False
    admin_pass: str | None = None
    access_ip_v4: str | None = None
    access_ip_v6: str | None = None
    description: str | None = None
    tags: str | None = None
    return_reservation_id: bool = False
    trusted_image_certificate_ids: tuple[str, ...] = ()
    host: str | None = None
    hypervisor_hostname: str | None = None
    hostname: str | None = None
    os_compute_api_version: ApiVersion = CLIENT_MAX_VERSION
    #: False when the cloud has no microversions (Icehouse): novaclient speaks 2.0 to it.
    server_microversions: bool = True


#: bootwalk's refusal of an option the walk's microversion does not have (novaclient would not send it).
MICROVERSION_MESSAGE = (
    "{option} needs compute API version {bounds}, and this walk uses {version}; set --os-compute-api-version"
)
#: The same, against a cloud with no microversions at all: novaclient found no range and speaks 2.0.
NO_MICROVERSIONS_MESSAGE = (
    "{option} needs compute API version {bounds}, and an Icehouse cloud has no microversions (novaclient "
    "speaks 2.0 to it); leave {option} out, or walk --flow modern"
)

SOURCE_NEEDED = (
    "you need to specify at least one source ID (Image, Snapshot, or Volume), a block device mapping or provide a "
    "set of properties to match against an image"
)
OLD_AND_NEW_BLOCK_DEVICES = (
    "you can't mix old block devices (--block-device-mapping) with the new ones (--block-device, --boot-volume, "
    "--snapshot, --ephemeral, --swap)"
)


def _block_devices(option: str, texts: tuple[str, ...], parse: Callable[[str], BlockDevice]) -> tuple[BlockDevice, ...]:
    try:
        return tuple(parse(text) for text in texts)
    except RequestError as error:
        raise RequestError(str(error), option) from None


def build_request(options: NovaBootOptions, find_network: Callable[[str], object] | None = None) -> BootRequest:
    """Turn nova boot's options into a :class:`BootRequest`, with novaclient's checks in its order."""
    version = options.os_compute_api_version
    message = MICROVERSION_MESSAGE if options.server_microversions else NO_MICROVERSIONS_MESSAGE
    microversions.check("nova", microversions.given_in("nova", options), version, message)
    if not options.flavor:
        raise RequestError("you need to specify a Flavor ID.", "--flavor")
    min_count, max_count = check_counts(options.min_count, options.max_count)
    files = shared.injected_files(options.files)
    user_data = shared.read_file(options.user_data, "--user-data") if options.user_data else None
    block_device_mapping = _block_devices(
        "--block-device-mapping", options.block_device_mapping, parse_block_device_mapping
    )
    block_devices = _block_devices("--block-device", options.block_device, parse_block_device)
    ephemeral = _block_devices("--ephemeral", options.ephemeral, parse_ephemeral)
    sources = [bool(options.image or options.image_with), bool(options.boot_volume), bool(options.snapshot)]
    new_style = block_devices or ephemeral or options.swap or options.boot_volume or options.snapshot
    if sum(sources) > 1 or (sum(sources) == 0 and not (block_devices or block_device_mapping)):
        raise RequestError(SOURCE_NEEDED, "--image")
    if block_device_mapping and new_style:
        raise RequestError(OLD_AND_NEW_BLOCK_DEVICES, "--block-device-mapping")
    try:
        nics = parse_nics(options.nics, version, find_network)
    except RequestError as error:
        raise BadOptionValue(str(error), "--nic", error.see) from None
    try:
        config_drive = parse_config_drive(options.config_drive)
    except RequestError as error:
        raise RequestError(str(error), "--config-drive") from None
    return BootRequest(
        name=options.name,
        flavor=options.flavor,
        image=options.image,
        image_with=options.image_with,
        boot_volume=options.boot_volume,
        snapshot=options.snapshot,
        min_count=min_count,
        max_count=max_count,
        meta=dict(options.meta),
        files=files,
        key_name=options.key_name,
        user_data=user_data,
        availability_zone=options.availability_zone,
        security_groups=tuple(group for group in (options.security_groups or "").split(",") if group),
        block_device_mapping=block_device_mapping,
        block_devices=block_devices,
        swap=options.swap,
        ephemeral=ephemeral,
        hints=collect_hints(options.hints),
        nics=nics,
        config_drive=config_drive,
        poll=options.poll,
        admin_pass=options.admin_pass,
        access_ip_v4=options.access_ip_v4,
        access_ip_v6=options.access_ip_v6,
        description=options.description,
        tags=tuple(tag for tag in (options.tags or "").split(",") if tag),
        return_reservation_id=options.return_reservation_id,
        trusted_image_certificate_ids=options.trusted_image_certificate_ids,
        host=options.host,
        hypervisor_hostname=options.hypervisor_hostname,
        hostname=options.hostname,
        api_version=version,
        nics_explicit=bool(options.nics),
    )


def _block_device(device: BlockDevice) -> str:
    return shared.block_device(
        {
            "source": device.source_type,
            "dest": device.destination_type,
            "id": device.uuid,
            "bootindex": device.boot_index,
            "size": device.volume_size,
            "device": device.device_name,
            "format": device.guest_format,
            "shutdown": "remove" if device.delete_on_termination else None,
        }
    )


def nova_command(request: BootRequest) -> str:
    """The request as ``nova boot`` (python-novaclient) takes it."""
    words = ["nova boot", f"--flavor {shared.quote(request.flavor)}"]
    if request.image:
        words.append(f"--image {shared.quote(request.image)}")
    words += shared.pairs("--image-with", request.image_with)
    if request.boot_volume:
        words.append(f"--boot-volume {shared.quote(request.boot_volume)}")
    if request.snapshot:
        words.append(f"--snapshot {shared.quote(request.snapshot)}")
    if (request.min_count, request.max_count) != (1, 1):
        words.append(f"--min-count {request.min_count} --max-count {request.max_count}")
    words += shared.pairs("--meta", dict(request.meta))
    words += shared.placement_words(request)
    if request.security_groups:
        words.append(f"--security-groups {shared.quote(','.join(request.security_groups))}")
    words += [shared.legacy_mapping(device) for device in request.block_device_mapping]
    words += [_block_device(device) for device in request.block_devices if not shared.implicit_image(device)]
    words += shared.local_disk_and_hint_words(request)
    if isinstance(request.nics, str):
        if request.nics_explicit:
            words.append(f"--nic {request.nics}")
    else:
        words += [f"--nic {shared.quote(format_nic(nic))}" for nic in request.nics]
    if request.config_drive:
        words.append("--config-drive true")
    if request.poll:
        words.append("--poll")
    if request.admin_pass:
        words.append("--admin-pass <password>")
    words += shared.valued_flags(
        request, ("--access-ip-v4", "--access-ip-v6", "--description", "--host", "--hypervisor-hostname", "--hostname")
    )
    if request.tags:
        words.append(f"--tags {shared.quote(','.join(request.tags))}")
    if request.return_reservation_id:
        words.append("--return-reservation-id")
    words += [f"--trusted-image-certificate-id {shared.quote(c)}" for c in request.trusted_image_certificate_ids]
    words.append(shared.positional(request.name))
    return " ".join(words)


# --- nova show ----------------------------------------------------------------------------------


def _show_value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, (dict, list)):
        import json  # only for a value the show table prints as JSON

        return json.dumps(value, allow_nan=False)
    return str(value)


#: What novaclient prints for the image of a server booted from a volume (nova answers an empty image).
NO_IMAGE = "Attempt to boot from volume - no image supplied"


def server_rows(server: Mapping[str, Any], request: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """The (Property, Value) rows of ``nova show`` for a server.

    python-novaclient's ``_print_server`` sorts the keys, prints None as ``-``
    and dicts and lists as JSON, adds a ``<network> network`` row per network,
    drops ``addresses`` and ``links``, prints the image as ``name (id)`` (or
    that there is none), the flavor as ``name (id)`` before microversion 2.47,
    when nova gives its ID alone, and from 2.47 as ``flavor:*`` rows.
    """
    rows: dict[str, str] = {}
    looked_up = (request or {}).get("flavor")
    for key, value in server.items():
        if key in ("addresses", "links"):
            continue
        if key == "flavor" and isinstance(value, Mapping) and "id" in value and isinstance(looked_up, Mapping):
            rows[key] = f"{looked_up['name']} ({value['id']})"  # _find_flavor's name for the ID
            continue
        if key == "image" and not value:
            rows[key] = NO_IMAGE
            continue
        if key == "flavor" and isinstance(value, Mapping):
            for part, part_value in value.items():
                rows[f"flavor:{part}"] = _show_value(part_value)
            continue
        if key == "image" and isinstance(value, Mapping):
            rows[key] = f"{shared.image_name(value, request)} ({value['id']})"  # _find_image's name for the ID
            continue
        if key == "security_groups" and isinstance(value, list):
            rows[key] = ", ".join(group["name"] for group in value)
            continue
        if key == "fault" and isinstance(value, Mapping):
            import json

            rows[key] = json.dumps({"code": value["code"], "message": value["message"]}, allow_nan=False)
            continue
        rows[key] = _show_value(value)
    for network, addresses in (server.get("addresses") or {}).items():
        rows[f"{network} network"] = ", ".join(entry["addr"] for entry in addresses)
    return sorted(rows.items())


class NovaDialect:
    """python-novaclient's ``nova boot``, and how it ends: ``nova show``, ``--poll``'s progress."""

    name = "nova"
    command = "nova boot"
    show_command = "nova show"
    list_command = "nova list"
    walk_command = "boot"
    volume_flags = "--boot-volume <volume_id>, --snapshot <snapshot_id> or a --block-device with dest=volume"

    def build(self, options: NovaBootOptions, catalog: Catalog) -> BootRequest:
        """The request nova boot's options ask for (the command line passes its network lookup to
        :func:`build_request` itself, so that a ``--nic net-name`` is looked up as novaclient parses it)."""
        return build_request(options)

    def format_command(self, request: BootRequest) -> str:
        """The request as ``nova boot`` takes it."""
        return nova_command(request)

    def show_table(self, server: Mapping[str, Any], request: Mapping[str, Any]) -> ShowTable:
        """``nova show``: Property and Value, novaclient's rows."""
        return ShowTable(("Property", "Value"), server_rows(server, request))

    def wait_lines(self, active: bool) -> str:
        """novaclient's ``--poll``: the progress, then Finished or an error."""
        if active:
            return "Server building... 100% complete\nFinished"
        return "Server building... 0% complete\nError building server"

    def wait_failure_line(self, name: str) -> str:
        """What ``nova boot --poll`` ends on when the server went to ERROR."""
        return f"ERROR (ResourceInErrorState): <Server: {name}>"


#: The nova dialect, as the registry holds it.
NOVA = NovaDialect()
