"""The boot request both dialects build, and the parsers for ``nova boot``'s values.

Everything here is pure: strings in, typed values out, or a
:class:`RequestError` carrying python-novaclient's own message. The dialects
(:mod:`bootwalk.dialects`) call these parsers; the engine only ever sees
typed values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import total_ordering
from typing import Literal, Union

from bootwalk.records import dataclass, field


class RequestError(ValueError):
    """The options do not make a boot request: the client's own message, and the option it is about.

    ``option`` names the flag as the user typed it (``--nic``, ``--min``), or is
    None while a parser that does not know its flag raises it; the dialect
    that called the parser fills it in. The message is shown as it is.
    ``see`` is the bootwalk command that lists what the option could have
    named (``net-list``), when the value named nothing in the catalog.
    """

    def __init__(self, message: str, option: str | None = None, see: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.option = option
        self.see = see


class BadOptionValue(RequestError):
    """The value given to one option is not valid: shown as click shows it, ``Invalid value for 'OPTION': …``."""

    option: str

    def __init__(self, message: str, option: str, see: str | None = None) -> None:
        super().__init__(message, option, see)


@total_ordering
@dataclass(frozen=True)
class ApiVersion:
    """A compute API microversion such as 2.37."""

    major: int
    minor: int

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, ApiVersion):
            return NotImplemented
        return (self.major, self.minor) < (other.major, other.minor)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


#: The newest microversion python-novaclient 18 knows; ``2.latest`` means it.
CLIENT_MAX_VERSION = ApiVersion(2, 96)
#: The oldest microversion of the v2.1 API.
CLIENT_MIN_VERSION = ApiVersion(2, 1)


def parse_api_version(text: str) -> ApiVersion:
    """Parse ``--os-compute-api-version``: ``2.latest`` or ``2.N``."""
    if text.strip() == "2.latest":
        return CLIENT_MAX_VERSION
    match = re.fullmatch(r"\s*2\.(\d{1,3})\s*", text)
    if match is None:
        raise RequestError(f"'{text}' is not a compute API version; give 2.latest or 2.N, e.g. 2.37")
    version = ApiVersion(2, int(match.group(1)))
    if not CLIENT_MIN_VERSION <= version <= CLIENT_MAX_VERSION:
        raise RequestError(
            f"compute API version {version} is outside what python-novaclient 18 "
            f"supports ({CLIENT_MIN_VERSION} to {CLIENT_MAX_VERSION})"
        )
    return version


# --- --nic ------------------------------------------------------------------


@dataclass(frozen=True)
class NicRequest:
    """One ``--nic`` that names a network or a port."""

    net_id: str | None = None
    net_name: str | None = None
    port_id: str | None = None
    v4_fixed_ip: str | None = None
    v6_fixed_ip: str | None = None
    tag: str | None = None


#: What ``--nic`` may be in all: ``auto``, ``none``, or a list of nics.
Nics = Union[Literal["auto", "none"], tuple[NicRequest, ...]]


def format_nic(nic: NicRequest) -> str:
    """Write a nic back as the ``--nic`` text that asks for it."""
    parts = [
        ("net-id", nic.net_id),
        ("net-name", nic.net_name),
        ("port-id", nic.port_id),
        ("v4-fixed-ip", nic.v4_fixed_ip),
        ("v6-fixed-ip", nic.v6_fixed_ip),
        ("tag", nic.tag),
    ]
    return ",".join(f"{key}={value}" for key, value in parts if value is not None)


UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def is_uuid_like(text: str) -> bool:
    """True when text looks like a UUID, with or without dashes (oslo's ``is_uuid_like``)."""
    return bool(UUID_PATTERN.match(text))


# --- key=value options --------------------------------------------------------


def parse_key_value(text: str, option: str, form: str = "<key=value>") -> tuple[str, str]:
    """Split ``key=value``; the key must not be empty."""
    key, separator, value = text.partition("=")
    if not separator or not key:
        raise RequestError(f"Invalid {option} argument '{text}'. It must be of the form {form}")
    return key, value


def collect_hints(pairs: tuple[tuple[str, str], ...]) -> dict[str, str | list[str]]:
    """Build scheduler hints from ``(key, value)`` pairs as novaclient does: a repeated key becomes a list."""
    hints: dict[str, str | list[str]] = {}
    for key, value in pairs:
        if key in hints:
            previous = hints[key]
            hints[key] = (previous if isinstance(previous, list) else [previous]) + [value]
        else:
            hints[key] = value
    return hints


def parse_file_argument(text: str) -> tuple[str, str]:
    """Split ``--file <dst-path=src-path>`` with novaclient's message."""
    destination, separator, source = text.partition("=")
    if not separator:
        raise RequestError(
            f"Invalid file argument '{text}'. File arguments must be of the form '--file <dst-path=src-path>'"
        )
    return destination, source


def parse_config_drive(text: str | None) -> bool:
    """``--config-drive``: true/1 or false/0/none/empty, as novaclient reads it."""
    value = "" if text is None else text.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0", "", "none"):
        return False
    raise RequestError("The value of the '--config-drive' option must be a boolean value.")


# --- block devices --------------------------------------------------------------

BLOCK_DEVICE_KEYS = (
    "id",
    "source",
    "dest",
    "bus",
    "type",
    "device",
    "size",
    "format",
    "bootindex",
    "shutdown",
    "tag",
    "volume_type",
)


@dataclass(frozen=True)
class BlockDevice:
    """One block device mapping, in the v2 form nova's API takes."""

    source_type: str
    destination_type: str
    boot_index: int | None
    uuid: str | None = None
    volume_size: int | None = None
    delete_on_termination: bool = False
    device_name: str | None = None
    guest_format: str | None = None

    def as_api(self) -> dict[str, object]:
        """The mapping as it goes into ``block_device_mapping_v2``."""
        body: dict[str, object] = {
            "source_type": self.source_type,
            "destination_type": self.destination_type,
        }
        if self.uuid is not None:
            body["uuid"] = self.uuid
        if self.boot_index is not None:
            body["boot_index"] = self.boot_index
        if self.volume_size is not None:
            body["volume_size"] = self.volume_size
        if self.device_name is not None:
            body["device_name"] = self.device_name
        if self.guest_format is not None:
            body["guest_format"] = self.guest_format
        body["delete_on_termination"] = self.delete_on_termination
        return body


def parse_block_device(text: str) -> BlockDevice:
    """Parse ``--block-device key1=value1[,...]`` (novaclient's keys and defaults)."""
    values: dict[str, str] = {}
    for item in text.split(","):
        key, separator, value = item.partition("=")
        if not separator or key not in BLOCK_DEVICE_KEYS:
            raise RequestError(
                f"Invalid --block-device argument '{text}'. Keys must be among "
                f"{', '.join(BLOCK_DEVICE_KEYS)}, each given as key=value"
            )
        values[key] = value
    source = values.get("source", "")
    if source not in ("image", "snapshot", "volume", "blank"):
        raise RequestError(f"Invalid --block-device argument '{text}'. source must be image, snapshot, volume or blank")
    destination = values.get("dest", "volume" if source != "blank" else "local")
    if destination not in ("volume", "local"):
        raise RequestError(f"Invalid --block-device argument '{text}'. dest must be volume or local")
    if source != "blank" and not values.get("id"):
        raise RequestError(f"Invalid --block-device argument '{text}'. source={source} needs id=")
    return BlockDevice(
        source_type=source,
        destination_type=destination,
        boot_index=_optional_int(values.get("bootindex"), "bootindex", text),
        uuid=values.get("id") or None,
        volume_size=_optional_int(values.get("size"), "size", text),
        delete_on_termination=values.get("shutdown", "preserve").lower() == "remove",
        device_name=values.get("device") or None,
        guest_format=values.get("format") or None,
    )


def parse_block_device_mapping(text: str) -> BlockDevice:
    """Parse the legacy ``--block-device-mapping <dev-name>=<id>:<type>:<size(GiB)>:<delete-on-terminate>``."""
    device, separator, mapping = text.partition("=")
    form = "<dev-name>=<id>:<type>:<size(GiB)>:<delete-on-terminate>"
    if not separator or not device or not mapping:
        raise RequestError(f"Invalid --block-device-mapping argument '{text}'. It must be of the form {form}")
    parts = mapping.split(":")
    volume_id = parts[0]
    kind = parts[1] if len(parts) > 1 and parts[1] else "volume"
    if kind not in ("volume", "snap", "snapshot"):
        raise RequestError(f"Invalid --block-device-mapping argument '{text}'. <type> must be volume or snap")
    size = _optional_int(parts[2] if len(parts) > 2 and parts[2] else None, "size", text)
    delete = len(parts) > 3 and parts[3] in ("1", "true", "True")
    return BlockDevice(
        source_type="volume" if kind == "volume" else "snapshot",
        destination_type="volume",
        boot_index=None,
        uuid=volume_id,
        volume_size=size,
        delete_on_termination=delete,
        device_name=device,
    )


def parse_ephemeral(text: str) -> BlockDevice:
    """Parse ``--ephemeral size=<size>[,format=<format>]`` (GiB)."""
    values: dict[str, str] = {}
    for item in text.split(","):
        key, separator, value = item.partition("=")
        if not separator or key not in ("size", "format"):
            raise RequestError(f"Invalid ephemeral argument '{text}'.")
        values[key] = value
    if "size" not in values:
        raise RequestError(f"Invalid ephemeral argument '{text}'.")
    return BlockDevice(
        source_type="blank",
        destination_type="local",
        boot_index=-1,
        volume_size=_optional_int(values["size"], "size", text),
        delete_on_termination=True,
        guest_format=values.get("format"),
    )


def _optional_int(text: str | None, name: str, whole: str) -> int | None:
    if text is None or text == "":
        return None
    try:
        return int(text)
    except ValueError:
        raise RequestError(f"Invalid block device argument '{whole}'. {name} must be a whole number") from None


# --- the whole request -----------------------------------------------------------------


@dataclass(frozen=True)
class BootRequest:
    """Everything the boot command was given (in either dialect), parsed but not yet looked up in the catalog."""

    name: str
    flavor: str
    image: str | None = None
    image_with: tuple[tuple[str, str], ...] = ()
    boot_volume: str | None = None
    snapshot: str | None = None
    min_count: int = 1
    max_count: int = 1
    meta: Mapping[str, str] = field(default_factory=dict)
    files: tuple[tuple[str, int], ...] = ()
    key_name: str | None = None
    user_data: bytes | None = None
    availability_zone: str | None = None
    security_groups: tuple[str, ...] = ()
    block_device_mapping: tuple[BlockDevice, ...] = ()
    block_devices: tuple[BlockDevice, ...] = ()
    swap: int | None = None
    ephemeral: tuple[BlockDevice, ...] = ()
    hints: Mapping[str, str | list[str]] = field(default_factory=dict)
    nics: Nics = "auto"
    config_drive: bool = False
    poll: bool = False
    admin_pass: str | None = None
    access_ip_v4: str | None = None
    access_ip_v6: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    return_reservation_id: bool = False
    trusted_image_certificate_ids: tuple[str, ...] = ()
    host: str | None = None
    hypervisor_hostname: str | None = None
    hostname: str | None = None
    api_version: ApiVersion = CLIENT_MAX_VERSION
    #: False when no network option was given and ``nics`` is the client's default.
    nics_explicit: bool = True


def check_counts(min_count: int | None, max_count: int | None) -> tuple[int, int]:
    """Apply novaclient's count rules and messages; return (min_count, max_count)."""
    low, high = 1, 1
    if min_count is not None:
        if min_count < 1:
            raise RequestError("min_count should be >= 1", "--min-count")
        low = high = min_count
    if max_count is not None:
        if max_count < 1:
            raise RequestError("max_count should be >= 1", "--max-count")
        high = max_count
    if min_count is not None and max_count is not None and min_count > max_count:
        raise RequestError("min_count should be <= max_count", "--min-count")
    return low, high
