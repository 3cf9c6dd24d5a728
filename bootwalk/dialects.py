"""The two command-line dialects of a boot: ``nova boot`` and ``openstack server create``.

Both are built from the same :class:`~bootwalk.request.BootRequest`, so a
walk can show the command in the dialect the user did not type. Flags that
need a compute API microversion are listed with it (python-novaclient's and
python-openstackclient's help give the same versions).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from bootwalk.request import BlockDevice, BootRequest, NicRequest, format_nic

#: The dialects, by the command's first words.
DIALECTS = {"nova": "nova boot", "openstack": "openstack server create"}


def _quote(value: object) -> str:
    return shlex.quote(str(value))


def _pairs(flag: str, pairs: Mapping[str, str | list[str]] | tuple[tuple[str, str], ...]) -> list[str]:
    items = list(pairs.items()) if isinstance(pairs, Mapping) else list(pairs)
    words = []
    for key, value in items:
        for one in value if isinstance(value, list) else [value]:
            words.append(f"{flag} {_quote(f'{key}={one}')}")
    return words


def _block_device_nova(device: BlockDevice) -> str:
    keys = {"source": device.source_type, "dest": device.destination_type, "id": device.uuid,
            "bootindex": device.boot_index, "size": device.volume_size, "device": device.device_name,
            "format": device.guest_format,
            "shutdown": "remove" if device.delete_on_termination else None}  # fmt: skip
    return "--block-device " + _quote(",".join(f"{k}={v}" for k, v in keys.items() if v is not None))


def _block_device_openstack(device: BlockDevice) -> str:
    keys = {"uuid": device.uuid, "source_type": device.source_type, "destination_type": device.destination_type,
            "boot_index": device.boot_index, "volume_size": device.volume_size, "device_name": device.device_name,
            "guest_format": device.guest_format,
            "delete_on_termination": "true" if device.delete_on_termination else None}  # fmt: skip
    return "--block-device " + _quote(",".join(f"{k}={v}" for k, v in keys.items() if v is not None))


def _legacy_mapping(device: BlockDevice) -> str:
    kind = "snap" if device.source_type == "snapshot" else ""
    size = device.volume_size if device.volume_size is not None else ""
    delete = "1" if device.delete_on_termination else "0"
    return "--block-device-mapping " + _quote(f"{device.device_name}={device.uuid}:{kind}:{size}:{delete}")


def _boot_from_volume(request: BootRequest) -> BlockDevice | None:
    """The image-to-volume root disk that ``--boot-from-volume SIZE`` makes."""
    return next(
        (d for d in request.block_devices
         if d.source_type == "image" and d.destination_type == "volume" and d.boot_index == 0),
        None,
    )  # fmt: skip


def _implicit_image(device: BlockDevice) -> bool:
    """The image-to-local root disk both clients add on their own for ``--image``."""
    return device.source_type == "image" and device.destination_type == "local" and device.boot_index == 0


def _openstack_nic(nic: NicRequest) -> str:
    if nic.port_id and not (nic.v4_fixed_ip or nic.v6_fixed_ip or nic.tag):
        return f"--port {_quote(nic.port_id)}"
    network = nic.net_name or nic.net_id
    if network and not (nic.v4_fixed_ip or nic.v6_fixed_ip or nic.tag):
        return f"--network {_quote(network)}"
    keys = {"net-id": network, "port-id": nic.port_id, "v4-fixed-ip": nic.v4_fixed_ip,
            "v6-fixed-ip": nic.v6_fixed_ip, "tag": nic.tag}  # fmt: skip
    return "--nic " + _quote(",".join(f"{k}={v}" for k, v in keys.items() if v))


def _placement_words(request: BootRequest) -> list[str]:
    """Flags both dialects spell alike: --file, --key-name, --user-data, --availability-zone."""
    words = [f"--file {_quote(destination + '=<file>')}" for destination, _size in request.files]
    if request.key_name:
        words.append(f"--key-name {_quote(request.key_name)}")
    if request.user_data is not None:
        words.append("--user-data <file>")
    if request.availability_zone:
        words.append(f"--availability-zone {_quote(request.availability_zone)}")
    return words


def _local_disk_and_hint_words(request: BootRequest) -> list[str]:
    """Flags both dialects spell alike: --swap, --ephemeral, --hint."""
    words = [f"--swap {request.swap}"] if request.swap else []
    words += [f"--ephemeral size={d.volume_size}" + (f",format={d.guest_format}" if d.guest_format else "")
              for d in request.ephemeral]  # fmt: skip
    return words + _pairs("--hint", dict(request.hints))


def _valued_flags(request: BootRequest, names: tuple[str, ...]) -> list[str]:
    """``--flag value`` for each named flag the request has a value for."""
    values = {"--access-ip-v4": request.access_ip_v4, "--access-ip-v6": request.access_ip_v6,
              "--description": request.description, "--host": request.host,
              "--hypervisor-hostname": request.hypervisor_hostname, "--hostname": request.hostname}  # fmt: skip
    return [f"{name} {_quote(values[name])}" for name in names if values[name] is not None]


def nova_command(request: BootRequest) -> str:
    """The request as ``nova boot`` (python-novaclient) takes it."""
    words = ["nova boot", f"--flavor {_quote(request.flavor)}"]
    if request.image:
        words.append(f"--image {_quote(request.image)}")
    words += _pairs("--image-with", request.image_with)
    if request.boot_volume:
        words.append(f"--boot-volume {_quote(request.boot_volume)}")
    if request.snapshot:
        words.append(f"--snapshot {_quote(request.snapshot)}")
    if (request.min_count, request.max_count) != (1, 1):
        words.append(f"--min-count {request.min_count} --max-count {request.max_count}")
    words += _pairs("--meta", dict(request.meta))
    words += _placement_words(request)
    if request.security_groups:
        words.append(f"--security-groups {_quote(','.join(request.security_groups))}")
    words += [_legacy_mapping(device) for device in request.block_device_mapping]
    words += [_block_device_nova(device) for device in request.block_devices if not _implicit_image(device)]
    words += _local_disk_and_hint_words(request)
    if isinstance(request.nics, str):
        if request.nics_explicit:
            words.append(f"--nic {request.nics}")
    else:
        words += [f"--nic {_quote(format_nic(nic))}" for nic in request.nics]
    if request.config_drive:
        words.append("--config-drive true")
    if request.poll:
        words.append("--poll")
    if request.admin_pass:
        words.append("--admin-pass <password>")
    words += _valued_flags(
        request, ("--access-ip-v4", "--access-ip-v6", "--description", "--host", "--hypervisor-hostname", "--hostname")
    )
    if request.tags:
        words.append(f"--tags {_quote(','.join(request.tags))}")
    if request.return_reservation_id:
        words.append("--return-reservation-id")
    words += [f"--trusted-image-certificate-id {_quote(c)}" for c in request.trusted_image_certificate_ids]
    words.append(_positional(request.name))
    return " ".join(words)


def _positional(name: str) -> str:
    """The server's name; after ``--`` when it starts with a dash, or argparse would take it for a flag."""
    return f"-- {_quote(name)}" if name.startswith("-") else _quote(name)


def openstack_command(request: BootRequest) -> tuple[str, list[str]]:
    """The request as ``openstack server create`` takes it, and what that command has no flag for."""
    words = ["openstack server create", f"--flavor {_quote(request.flavor)}"]
    missing: list[str] = []
    from_volume = _boot_from_volume(request)
    if from_volume is not None:
        words.append(f"--image {_quote(request.image or from_volume.uuid)}")
        words.append(f"--boot-from-volume {from_volume.volume_size}")
        if from_volume.delete_on_termination:
            words.append("--delete-on-termination")
    elif request.image:
        words.append(f"--image {_quote(request.image)}")
    words += _pairs("--image-property", request.image_with)
    if request.boot_volume:
        words.append(f"--volume {_quote(request.boot_volume)}")
    if request.snapshot:
        words.append(f"--snapshot {_quote(request.snapshot)}")
    if (request.min_count, request.max_count) != (1, 1):
        words.append(f"--min {request.min_count} --max {request.max_count}")
    words += _pairs("--property", dict(request.meta))
    words += _placement_words(request)
    words += [f"--security-group {_quote(group)}" for group in request.security_groups]
    words += [_legacy_mapping(device) for device in request.block_device_mapping]
    words += [_block_device_openstack(d) for d in request.block_devices
              if d is not from_volume and not _implicit_image(d)]  # fmt: skip
    words += _local_disk_and_hint_words(request)
    if request.nics == "auto":
        if request.nics_explicit:
            words.append("--auto-network")
    elif request.nics == "none":
        words.append("--no-network")
    else:
        words += [_openstack_nic(nic) for nic in request.nics]
    if request.config_drive:
        words.append("--use-config-drive")
    if request.poll:
        words.append("--wait")
    if request.admin_pass:
        words.append("--password <password>")
    words += _valued_flags(request, ("--description", "--host", "--hypervisor-hostname", "--hostname"))
    words += [f"--tag {_quote(tag)}" for tag in request.tags]
    words += [f"--trusted-image-cert {_quote(c)}" for c in request.trusted_image_certificate_ids]
    for flag, value in (("--access-ip-v4", request.access_ip_v4), ("--access-ip-v6", request.access_ip_v6)):
        if value is not None:
            missing.append(flag)
    if request.return_reservation_id:
        missing.append("--return-reservation-id")
    words.append(_positional(request.name))
    return " ".join(words), missing


def microversion_needs(request: BootRequest, dialect: str) -> list[str]:
    """The flags of this request that need a compute API microversion, in the dialect typed."""
    nova = dialect == "nova"
    needs: list[str] = []
    if request.nics in ("auto", "none") and not _default_auto(request, nova):
        flag = f"--nic {request.nics}" if nova else ("--auto-network" if request.nics == "auto" else "--no-network")
        needs.append(f"{flag}: 2.37 or later")
    if not isinstance(request.nics, str) and any(nic.tag for nic in request.nics):
        needs.append("--nic tag=: 2.32 to 2.36, or 2.42 or later" if nova else "--nic tag=: 2.43 or later")
    if request.files:
        needs.append("--file: 2.56 or earlier")
    if request.description is not None:
        needs.append("--description: 2.19 or later")
    if request.tags:
        needs.append(f"{'--tags' if nova else '--tag'}: 2.52 or later")
    if request.trusted_image_certificate_ids:
        flag = "--trusted-image-certificate-id" if nova else "--trusted-image-cert"
        needs.append(f"{flag}: 2.63 or later")
    if request.host or request.hypervisor_hostname:
        needs.append("--host / --hypervisor-hostname: 2.74 or later")
    if request.hostname:
        needs.append("--hostname: 2.90 or later")
    return needs


def _default_auto(request: BootRequest, nova: bool) -> bool:
    """True when 'auto' was not asked for but is what the client sends with no --nic at 2.37 or later."""
    return request.nics == "auto" and not request.nics_explicit


def header_lines(summary: Mapping[str, Any]) -> list[str]:
    """What a walk prints once, first: the command in the other dialect, and the microversions it needs."""
    dialect = summary.get("dialect", "nova")
    commands = summary.get("commands") or {}
    other = "openstack" if dialect == "nova" else "nova"
    lines = []
    if other in commands:
        lines.append(f"In the other dialect: {commands[other]}")
    missing = summary.get("no_openstack_flag") or []
    if dialect == "nova" and missing:
        lines.append(f"(openstack server create has no flag for {', '.join(missing)})")
    needs = summary.get("microversions") or []
    if needs:
        lines.append("Needs a compute API microversion: " + "; ".join(needs))
    return lines
