"""What ``nova boot`` and ``openstack server create`` do alike: files they read, flags they spell the same.

Each dialect builds its request and writes its own command
(:mod:`bootwalk.dialects.nova`, :mod:`bootwalk.dialects.openstack`); what
both clients do the same way is written here once.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping

from bootwalk.request import BadOptionValue, BlockDevice, BootRequest, RequestError, parse_file_argument


def read_file(path: str, option: str) -> bytes:
    """The bytes of a file an option names (``--file``'s source, ``--user-data``), as both clients open it."""
    try:
        with open(path, "rb") as source:  # no pathlib on the walk's path: it costs start-up time
            return source.read()
    except OSError as error:
        raise BadOptionValue(f"Can't open '{path}': {error}", option) from None


def injected_files(texts: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """Each ``--file <dst-path=src-path>`` as (destination, size in bytes), reading the source."""
    files = []
    for text in texts:
        try:
            destination, source = parse_file_argument(text)
        except RequestError as error:
            raise BadOptionValue(str(error), "--file") from None
        files.append((destination, len(read_file(source, "--file"))))
    return tuple(files)


def quote(value: object) -> str:
    """A value as a shell word."""
    return shlex.quote(str(value))


def pairs(flag: str, items: Mapping[str, str | list[str]] | tuple[tuple[str, str], ...]) -> list[str]:
    """``FLAG key=value`` once per pair; a list value is written once per item."""
    listed = list(items.items()) if isinstance(items, Mapping) else list(items)
    words = []
    for key, value in listed:
        for one in value if isinstance(value, list) else [value]:
            words.append(f"{flag} {quote(f'{key}={one}')}")
    return words


def block_device(keys: Mapping[str, object]) -> str:
    """``--block-device`` with the keys that have a value, in the dialect's own key names."""
    return "--block-device " + quote(",".join(f"{key}={value}" for key, value in keys.items() if value is not None))


def legacy_mapping(device: BlockDevice) -> str:
    """``--block-device-mapping <dev-name>=<id>:<type>:<size(GiB)>:<delete-on-terminate>``: both clients take it."""
    kind = "snap" if device.source_type == "snapshot" else ""
    size = device.volume_size if device.volume_size is not None else ""
    delete = "1" if device.delete_on_termination else "0"
    return "--block-device-mapping " + quote(f"{device.device_name}={device.uuid}:{kind}:{size}:{delete}")


def implicit_image(device: BlockDevice) -> bool:
    """The image-to-local root disk both clients add on their own for ``--image``."""
    return device.source_type == "image" and device.destination_type == "local" and device.boot_index == 0


def placement_words(request: BootRequest) -> list[str]:
    """Flags both dialects spell alike: --file, --key-name, --user-data, --availability-zone."""
    words = [f"--file {quote(destination + '=<file>')}" for destination, _size in request.files]
    if request.key_name:
        words.append(f"--key-name {quote(request.key_name)}")
    if request.user_data is not None:
        words.append("--user-data <file>")
    if request.availability_zone:
        words.append(f"--availability-zone {quote(request.availability_zone)}")
    return words


def local_disk_and_hint_words(request: BootRequest) -> list[str]:
    """Flags both dialects spell alike: --swap, --ephemeral, --hint."""
    words = [f"--swap {request.swap}"] if request.swap else []
    words += [
        f"--ephemeral size={d.volume_size}" + (f",format={d.guest_format}" if d.guest_format else "")
        for d in request.ephemeral
    ]
    return words + pairs("--hint", dict(request.hints))


def valued_flags(request: BootRequest, names: tuple[str, ...]) -> list[str]:
    """``--flag value`` for each named flag the request has a value for."""
    values = {
        "--access-ip-v4": request.access_ip_v4,
        "--access-ip-v6": request.access_ip_v6,
        "--description": request.description,
        "--host": request.host,
        "--hypervisor-hostname": request.hypervisor_hostname,
        "--hostname": request.hostname,
    }
    return [f"{name} {quote(values[name])}" for name in names if values[name] is not None]


def positional(name: str) -> str:
    """The server's name; after ``--`` when it starts with a dash, or argparse would take it for a flag."""
    return f"-- {quote(name)}" if name.startswith("-") else quote(name)


def image_name(image: Mapping[str, object], request: Mapping[str, object] | None) -> object:
    """The name a client prints for the server's image: nova gives the ID, the client looks the name up.

    The walk looked the image up already (the request's ``image``); a trace
    saved before kept the name in the server itself.
    """
    looked_up = (request or {}).get("image")
    if isinstance(looked_up, Mapping) and looked_up.get("id") == image.get("id"):
        return looked_up.get("name")
    return image.get("name", image.get("id"))
