"""``bootwalk boot``: the walk, asked with the flags of ``nova boot`` (python-novaclient 18)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from bootwalk.cli.app import BootwalkCommand
from bootwalk.cli.options import ApiVersionType, F, KeyValueType, apply_options, split_walk_options, walk_options
from bootwalk.cli.walk import negotiated_version, walk_request
from bootwalk.request import CLIENT_MAX_VERSION, BootRequest, RequestError

if TYPE_CHECKING:
    from bootwalk.dialects.nova import NovaBootOptions
    from bootwalk.model import Catalog

__all__ = ["boot", "nova_options"]

NIC_METAVAR = (
    "<auto,none,net-id=net-uuid,net-name=network-name,port-id=port-uuid,"
    "v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,tag=tag>"
)


def nova_options(options: dict[str, Any]) -> NovaBootOptions:
    """boot's parsed options as the nova dialect's record."""
    from bootwalk.dialects.nova import NovaBootOptions

    return NovaBootOptions(**options)


def nova_boot_options(function: F) -> F:
    """Every option of ``nova boot`` (python-novaclient 18), with its name and metavar."""
    options = [
        click.argument("name", metavar="<name>"),
        click.option("--flavor", metavar="<flavor>", help="Name or ID of flavor (see 'bootwalk flavor-list')."),
        click.option("--image", metavar="<image>", help="Name or ID of image (see 'bootwalk image-list')."),
        click.option("--image-with", "image_with", metavar="<key=value>", multiple=True, type=KeyValueType(),
                     help="Image metadata property (see 'glance image-show')."),
        click.option("--boot-volume", metavar="<volume_id>", help="Volume ID to boot from."),
        click.option("--snapshot", metavar="<snapshot_id>", help="Snapshot ID to boot from (will create a volume)."),
        click.option("--min-count", type=int, metavar="<number>",
                     help="Boot at least <number> servers (limited by quota)."),
        click.option("--max-count", type=int, metavar="<number>",
                     help="Boot up to <number> servers (limited by quota)."),
        click.option("--meta", metavar="<key=value>", multiple=True, type=KeyValueType(),
                     help="Record arbitrary key/value metadata to /meta_data.json on the metadata server. "
                     "Can be specified multiple times."),
        click.option("--file", "files", metavar="<dst-path=src-path>", multiple=True,
                     help="Store arbitrary files from <src-path> locally to <dst-path> on the new server "
                     "(compute API 2.0 to 2.56 only)."),
        click.option("--key-name", metavar="<key-name>", envvar="NOVACLIENT_DEFAULT_KEY_NAME",
                     help="Key name of keypair that should be created earlier with the command keypair-add."),
        click.option("--user-data", metavar="<user-data>",
                     help="user data file to pass to be exposed by the metadata server."),
        click.option("--availability-zone", metavar="<availability-zone>",
                     help="The availability zone for server placement."),
        click.option("--security-groups", metavar="<security-groups>",
                     help="Comma separated list of security group names."),
        click.option("--block-device-mapping", metavar="<dev-name=mapping>", multiple=True,
                     help="Block device mapping in the format "
                     "<dev-name>=<id>:<type>:<size(GiB)>:<delete-on-terminate>."),
        click.option("--block-device", metavar="key1=value1[,key2=value2...]", multiple=True,
                     help="Block device mapping with the keys: id, source, dest, bus, type, device, size, "
                     "format, bootindex, shutdown, tag, volume_type."),
        click.option("--swap", metavar="<swap_size>", type=click.IntRange(min=1),
                     help="Create and attach a local swap block device of <swap_size> MiB."),
        click.option("--ephemeral", metavar="size=<size>[,format=<format>]", multiple=True,
                     help="Create and attach a local ephemeral block device of <size> GiB and format "
                     "it to <format>."),
        click.option("--hint", "hints", metavar="<key=value>", multiple=True, type=KeyValueType(),
                     help="Send arbitrary key/value pairs to the scheduler for custom use."),
        click.option("--nic", "nics", metavar=NIC_METAVAR, multiple=True,
                     help="Create a NIC on the server. Specify option multiple times to create multiple "
                     "NICs. auto and none need compute API 2.37 or later."),
        click.option("--config-drive", metavar="<value>", help="Enable config drive (true or false)."),
        click.option("--poll", is_flag=True, help="Report the new server boot progress until it completes."),
        click.option("--admin-pass", metavar="<value>", help="Admin password for the instance."),
        click.option("--access-ip-v4", metavar="<value>", help="Alternative access IPv4 of the instance."),
        click.option("--access-ip-v6", metavar="<value>", help="Alternative access IPv6 of the instance."),
        click.option("--description", metavar="<description>",
                     help="Description for the server (compute API 2.19 or later)."),
        click.option("--tags", metavar="<tags>",
                     help="Tags for the server, comma separated (compute API 2.52 or later)."),
        click.option("--return-reservation-id", is_flag=True,
                     help="Return a reservation id bound to created servers."),
        click.option("--trusted-image-certificate-id", "trusted_image_certificate_ids",
                     metavar="<trusted-image-certificate-id>", multiple=True,
                     help="Trusted image certificate IDs (compute API 2.63 or later)."),
        click.option("--host", metavar="<host>",
                     help="Requested host to create servers (compute API 2.74 or later)."),
        click.option("--hypervisor-hostname", metavar="<hypervisor-hostname>",
                     help="Requested hypervisor hostname (compute API 2.74 or later)."),
        click.option("--hostname", metavar="<hostname>",
                     help="Hostname for the instance (compute API 2.90 or later)."),
        click.option("--os-compute-api-version", metavar="<compute-api-ver>", type=ApiVersionType(),
                     default=str(CLIENT_MAX_VERSION), show_default=True,
                     help="Compute API microversion (2.latest means 2.96, python-novaclient 18's newest)."),
    ]  # fmt: skip
    return apply_options(options, function)


@click.command(cls=BootwalkCommand, context_settings={"max_content_width": 100})
@nova_boot_options
@walk_options
def boot(**options: Any) -> int:
    """Walk the boot of a new server through every OpenStack service.

    Takes the options of nova boot, for example:

    \b
        bootwalk boot --image cirros --flavor m1.tiny \\
            --nic net-name=private demo-vm
    """
    from bootwalk.dialects.nova import NOVA

    common = split_walk_options(options)
    options["os_compute_api_version"], options["server_microversions"] = negotiated_version(
        common["flow"], options["os_compute_api_version"]
    )
    typed = nova_options(options)

    def build(catalog: Catalog) -> BootRequest:
        from bootwalk.dialects.nova import build_request
        from bootwalk.engine.resolve import LookupFailure, find_network

        def check(name: str) -> None:  # novaclient's _find_network_id, as it reads the --nic value
            try:
                find_network(catalog, name)
            except LookupFailure as failure:
                raise RequestError(failure.message, see="net-list") from None

        return build_request(typed, check)

    return walk_request(build, NOVA, common)
