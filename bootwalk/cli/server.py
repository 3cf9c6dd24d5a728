"""``bootwalk server create``, ``list``, ``show`` and ``delete``: python-openstackclient's dialect.

``create`` walks a boot asked with the flags of ``openstack server create``;
``list`` and ``show`` print a lab's servers as ``openstack server list`` and
``openstack server show`` do.
"""

from __future__ import annotations

from typing import Any

import click

from bootwalk.cli.app import BootwalkSubgroup
from bootwalk.cli.options import (
    ApiVersionType,
    F,
    KeyValueType,
    apply_options,
    detail_options,
    format_option,
    lab_option,
    long_option,
    split_walk_options,
    walk_options,
)
from bootwalk.cli.walk import negotiated_version, walk_request
from bootwalk.request import CLIENT_MAX_VERSION

__all__ = ["server", "server_create", "server_delete", "server_list", "server_show"]


@click.group(cls=BootwalkSubgroup, context_settings={"max_content_width": 100})
def server() -> None:
    """Commands in python-openstackclient's dialect (openstack server ...)."""


def server_create_options(function: F) -> F:
    """The flags of ``openstack server create`` (python-openstackclient), with their names and metavars."""
    options = [
        click.argument("server_name", metavar="<server-name>"),
        click.option("--flavor", metavar="<flavor>", required=True,
                     help="Create server with this flavor (name or ID)."),
        click.option("--image", metavar="<image>", help="Create server boot disk from this image (name or ID)."),
        click.option("--image-property", "image_properties", metavar="<key=value>", multiple=True,
                     type=KeyValueType(), help="Create server using the image that matches the given property."),
        click.option("--volume", metavar="<volume>",
                     help="Create server using this volume as the boot disk (name or ID)."),
        click.option("--snapshot", metavar="<snapshot>",
                     help="Create server using this snapshot as the boot disk (name or ID)."),
        click.option("--boot-from-volume", type=click.IntRange(min=1), metavar="<volume-size>",
                     help="With --image: make a volume of this size (GB) from the image and boot from it."),
        click.option("--delete-on-termination", is_flag=True,
                     help="With --boot-from-volume: delete the root volume when the server is deleted."),
        click.option("--block-device-mapping", metavar="<dev-name=mapping>", multiple=True,
                     help="Legacy block device mapping: <dev-name>=<id>:<type>:<size(GB)>:<delete-on-terminate>."),
        click.option("--block-device", "block_devices", metavar="<block-device>", multiple=True,
                     help="Block device, as key=value pairs with the API's keys (uuid, source_type, "
                     "destination_type, volume_size, boot_index, delete_on_termination, ...)."),
        click.option("--swap", metavar="<swap>", type=click.IntRange(min=1), help="Create and attach a local swap "
                     "block device of <swap_size> MiB."),
        click.option("--ephemeral", metavar="<size=size[,format=format]>", multiple=True,
                     help="Create and attach a local ephemeral block device of <size> GiB."),
        click.option("--network", "networks", metavar="<network>", multiple=True,
                     help="Create a NIC on the server and connect it to this network (name or ID)."),
        click.option("--port", "ports", metavar="<port>", multiple=True,
                     help="Create a NIC on the server and connect it to this port (name or ID)."),
        click.option("--no-network", is_flag=True, help="No network is attached to the server (2.37 or later)."),
        click.option("--auto-network", is_flag=True,
                     help="Automatically allocate a network to the server (2.37 or later)."),
        click.option("--nic", "nics", metavar="<net-id=net-uuid,port-id=port-uuid,v4-fixed-ip=ip-addr,"
                     "v6-fixed-ip=ip-addr,tag=tag,auto,none>", multiple=True,
                     help="Create a NIC on the server (net-id takes a name or an ID)."),
        click.option("--password", metavar="<password>", help="Set the password to this server."),
        click.option("--security-group", "security_groups", metavar="<security-group>", multiple=True,
                     help="Security group to assign to this server (name or ID); repeat for several."),
        click.option("--no-security-group", is_flag=True, help="Do not associate a security group."),
        click.option("--key-name", metavar="<key-name>", help="Keypair to inject into this server."),
        click.option("--property", "properties", metavar="<key=value>", multiple=True, type=KeyValueType(),
                     help="Set a property on this server (repeat option to set multiple values)."),
        click.option("--file", "files", metavar="<dest-filename=source-filename>", multiple=True,
                     help="File(s) to inject into image before boot (2.56 or earlier)."),
        click.option("--user-data", metavar="<user-data>", help="User data file to serve from the metadata server."),
        click.option("--description", metavar="<description>",
                     help="Set description for the server (2.19 or later)."),
        click.option("--availability-zone", metavar="<zone-name>", help="Select an availability zone for the server."),
        click.option("--host", metavar="<host>", help="Requested host to create servers (2.74 or later)."),
        click.option("--hypervisor-hostname", metavar="<hypervisor-hostname>",
                     help="Requested hypervisor hostname to create servers (2.74 or later)."),
        click.option("--server-group", metavar="<server-group>",
                     help="Server group to create the server within (an alias for '--hint group=<server-group-id>')."),
        click.option("--hint", "hints", metavar="<key=value>", multiple=True, type=KeyValueType(),
                     help="Hints for the scheduler."),
        click.option("--use-config-drive", "config_drive", flag_value=True, default=None,
                     help="Enable config drive."),
        click.option("--no-config-drive", "config_drive", flag_value=False, help="Disable config drive."),
        click.option("--min", "min_count", metavar="<count>", type=int, default=1, show_default=True,
                     help="Minimum number of servers to launch."),
        click.option("--max", "max_count", metavar="<count>", type=int, default=1, show_default=True,
                     help="Maximum number of servers to launch."),
        click.option("--tag", "tags", metavar="<tag>", multiple=True, help="Tags for the server (2.52 or later)."),
        click.option("--hostname", metavar="<hostname>", help="Hostname configured for the server (2.90 or later)."),
        click.option("--wait", is_flag=True, help="Wait for build to complete (like nova boot --poll)."),
        click.option("--trusted-image-cert", "trusted_image_certificates", metavar="<trusted-cert-id>", multiple=True,
                     help="Trusted image certificate IDs (2.63 or later)."),
        click.option("--os-compute-api-version", metavar="<compute-api-version>", type=ApiVersionType(),
                     default=str(CLIENT_MAX_VERSION), show_default=True,
                     help="Compute API microversion of the walk (openstack negotiates the newest both sides "
                     "support; bootwalk walks this one)."),
    ]  # fmt: skip
    return apply_options(options, function)


@server.command(
    "create", context_settings={"max_content_width": 100}, short_help="Walk a new server's boot, as openstack asks it"
)
@server_create_options
@walk_options
def server_create(**options: Any) -> int:
    """Walk the boot of a new server, asked the way openstack server create asks.

    Takes python-openstackclient's flags, for example:

    \b
        bootwalk server create --image cirros --flavor m1.tiny \\
            --network private demo-vm
    """
    from bootwalk.dialects.openstack import OPENSTACK, ServerCreateOptions

    common = split_walk_options(options)
    options["os_compute_api_version"], _microversions = negotiated_version(
        common["flow"], options["os_compute_api_version"], "openstackclient"
    )
    typed = ServerCreateOptions(**options)
    return walk_request(lambda catalog: OPENSTACK.build(typed, catalog), OPENSTACK, common)


@server.command("list", short_help="List a lab's servers, as openstack server list does")
@format_option
@long_option
@lab_option
def server_list(output_format: str, long_ids: bool) -> int:
    """List the lab's servers, as openstack server list does: newest first, with networks, image and flavor."""
    import json
    import sys

    from bootwalk.cli.servers import lab_servers, list_record, networks_text
    from bootwalk.exit_codes import ExitCode

    servers = list(reversed(lab_servers("server list")))  # nova's default order: the newest first
    if output_format == "json":
        click.echo(json.dumps([list_record(found) for found in servers], indent=2, allow_nan=False))
        return ExitCode.OK
    from bootwalk.listing import Listing, short_id
    from bootwalk.render.listing_table import print_listing

    rows: list[tuple[str, ...]] = []
    for found in servers:
        networks = networks_text(found.get("networks") or {})
        image = found.get("image")
        rows.append((short_id(found["id"], long_ids), found["name"], found["status"], networks,
                     image["name"] if image else "N/A (booted from volume)", found["flavor"]["name"]))  # fmt: skip
    columns = ("ID", "Name", "Status", "Networks", "Image", "Flavor")
    print_listing(sys.stdout, Listing("Servers", columns, rows), whole=long_ids)
    return ExitCode.OK


@server.command("show", short_help="Show one of a lab's servers, as openstack server show does")
@click.argument("server_name", metavar="<server>")
@format_option
@lab_option
def server_show(server_name: str, output_format: str) -> int:
    """Show one of the lab's servers (name or ID), as openstack server show does."""
    from bootwalk.cli.servers import show_server

    return show_server(server_name, output_format, "openstack")


@server.command("delete", short_help="Delete a lab's servers, as openstack server delete does, step by step")
@click.argument("servers", metavar="<server>...", nargs=-1, required=True)
@format_option
@lambda function: detail_options(function, show=False)
@lab_option
def server_delete(servers: tuple[str, ...], output_format: str, level: str, theme: str, verbose: bool,
                  quiet: bool) -> int:  # fmt: skip
    """Delete the lab's servers (names or IDs), as openstack server delete does, and walk each delete."""
    from bootwalk.cli.deleting import delete_servers
    from bootwalk.cli.options import chosen_detail

    return delete_servers(servers, "openstack", output_format, chosen_detail(verbose, quiet, level, False, theme))


@server.group("event", cls=BootwalkSubgroup, short_help="A lab server's actions: server event list")
def server_event() -> None:
    """A lab server's actions, as python-openstackclient's server event commands show them."""


@server_event.command("list", short_help="List a lab server's actions, as openstack server event list does")
@click.argument("server_name", metavar="<server>")
@format_option
@long_option
@lab_option
def server_event_list(server_name: str, output_format: str, long_ids: bool) -> int:
    """List the actions of one of the lab's servers (name or ID), newest first, as openstack server event list does."""
    from bootwalk.cli.servers import list_actions

    return list_actions(server_name, "openstack", output_format, long_ids)
