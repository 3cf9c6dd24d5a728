"""The walk commands: ``boot``, ``server create`` and ``replay``, loaded only when one of them runs.

They declare the options of ``nova boot`` or ``openstack server create``,
hand them as a typed record to the dialect (:mod:`bootwalk.dialects`), which
builds one :class:`~bootwalk.request.BootRequest` or refuses with a
``RequestError`` that becomes a usage error here, then call the engine and
present the walk (:mod:`bootwalk.cli.present`). The dialects and the engine
(and rich and yaml) are imported inside the commands, so that even
``bootwalk boot --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from bootwalk.cli.app import BootwalkCommand, BootwalkSubgroup
from bootwalk.cli.errors import OperationalError, usage_error
from bootwalk.cli.options import (
    ApiVersionType,
    F,
    KeyValueType,
    apply_options,
    chosen_detail,
    classroom_options,
    detail_options,
    export_options,
    load,
    parse_filters,
    split_walk_options,
    walk_format_option,
    walk_options,
)
from bootwalk.cli.present import present
from bootwalk.request import CLIENT_MAX_VERSION, ApiVersion, BootRequest, RequestError

if TYPE_CHECKING:
    from bootwalk.dialects import Dialect
    from bootwalk.dialects.nova import NovaBootOptions
    from bootwalk.model import Catalog

__all__ = ["boot", "replay", "server", "split_walk_options"]

NIC_METAVAR = (
    "<auto,none,net-id=net-uuid,net-name=network-name,port-id=port-uuid,"
    "v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,tag=tag>"
)


def negotiated_version(flow: str, version: ApiVersion, client: str = "novaclient") -> tuple[ApiVersion, bool]:
    """The compute API version the client speaks to the flow's cloud, and whether that cloud has microversions.

    novaclient's ``discover_version``: a cloud with no version range (Icehouse)
    gets 2.0 unless a version was asked for, which it refuses with "Server
    doesn't support microversions".
    """
    from bootwalk.flows import get_flow

    chosen = get_flow(flow)
    if chosen.facts.default("microversions"):
        return version, True
    explicit = click.get_current_context().get_parameter_source("os_compute_api_version")
    if explicit is not click.core.ParameterSource.DEFAULT and version != ApiVersion(2, 0):
        refusal = "Server doesn't support microversions: " if client == "novaclient" else ""
        raise click.BadParameter(
            f"{refusal}{chosen.release} has none, so {client} speaks 2.0 to it; leave it out, or walk --flow modern",
            param_hint="'--os-compute-api-version'",
        )
    return ApiVersion(2, 0), False


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


def walk_request(build: Callable[[Catalog], BootRequest], dialect: Dialect[Any], walk_options: dict[str, Any]) -> int:
    """Build the request (``build`` gets the catalog), walk it and render it: boot and server create share this.

    A RequestError from ``build`` is the dialect's refusal: a usage error.
    """
    from dataclasses import replace

    from bootwalk.engine import LookupFailure, resolve_request, walk
    from bootwalk.scenarios import SCENARIOS

    flow, output_format = walk_options["flow"], walk_options["output_format"]
    detail = chosen_detail(
        walk_options["verbose"],
        walk_options["quiet"],
        walk_options["level"],
        walk_options["show_server"],
        walk_options["theme"],
    )
    filters = parse_filters(walk_options["enabled_filters"])
    catalog = load(walk_options["catalog_dir"])
    try:
        request = build(catalog)
    except RequestError as error:
        raise usage_error(error) from None
    scenario = walk_options["scenario"]
    chosen = SCENARIOS[scenario] if scenario else None
    if chosen is not None and chosen.needs_volume and not _requests_volume(request):
        raise click.UsageError(f"--scenario {chosen.name} needs a volume to attach: add {dialect.volume_flags}")
    scheduler = catalog.scheduler
    if filters is not None:
        scheduler = replace(scheduler, enabled_filters=filters)
    if walk_options["max_attempts"] is not None:
        scheduler = replace(scheduler, max_attempts=walk_options["max_attempts"])
    catalog = replace(catalog, scheduler=scheduler)
    from bootwalk.engine.resolve import refused_filters
    from bootwalk.flows import get_flow

    refusal = refused_filters(get_flow(flow), get_flow(flow).scheduler.resolve(scheduler).enabled_filters)
    if refusal is not None:
        if filters is not None:
            raise click.BadParameter(refusal, param_hint="'--enabled-filters'")
        raise click.UsageError(
            f"cloud.yaml's scheduler.enabled_filters: {refusal} Leave it out, or walk --flow classic"
        )
    try:
        resolved = resolve_request(request, catalog)
    except LookupFailure as failure:
        raise click.BadParameter(failure.message, param_hint=f"'{failure.option}'") from None
    table_options = (
        "timeline", "export_svg", "export_html", "slide", "export_trace", "step_mode", "delay", "quiz", "quiz_results",
    )  # fmt: skip
    exports = {name: walk_options[name] for name in table_options} | {"seed": walk_options["seed"]}
    from bootwalk.engine.views import request_summary

    seed = walk_options["seed"]
    title = f"bootwalk {dialect.walk_command} {request.name}"
    return present(
        lambda on_step: walk(resolved, catalog, get_flow(flow), seed=seed, on_step=on_step, scenario=chosen,
                             dialect=dialect.name),
        output_format, detail, exports, title, flow, request_summary(resolved, dialect.name),
    )  # fmt: skip


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
                raise RequestError(failure.message) from None

        return build_request(typed, check)

    return walk_request(build, NOVA, common)


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


@server.command("create", context_settings={"max_content_width": 100})
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


@click.command(cls=BootwalkCommand)
@click.argument("trace_file", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@walk_format_option
@detail_options
@export_options
@classroom_options
def replay(
    trace_file: str,
    output_format: str,
    level: str,
    show_server: bool,
    theme: str,
    verbose: bool,
    quiet: bool,
    **exports: Any,
) -> int:
    """Replay a walk saved with boot -f json, through any output format.

    Prepare a walk once and replay it in class, for example:

    \b
        bootwalk boot --image cirros --flavor m1.tiny \\
            --nic net-name=private -f json demo-vm > walk.json
        bootwalk replay walk.json

    The exit code is the saved walk's: 0 if it ended ACTIVE, else 1.
    """
    from bootwalk.replay import TraceFormatError, read_trace, read_trace_stream

    detail = chosen_detail(verbose, quiet, level, show_server, theme)
    try:
        if trace_file == "-":
            # Bytes, so that replay reads no more than its limit and decodes them itself.
            standard_input = getattr(sys.stdin, "buffer", None)
            if standard_input is None:
                raise OperationalError("<stdin>: cannot be read")
            trace = read_trace_stream(standard_input, "<stdin>")
        else:
            from pathlib import Path

            trace = read_trace(Path(trace_file))
    except TraceFormatError as error:
        raise OperationalError(str(error)) from None

    def produce(on_step: Callable[[Any], None]) -> Any:
        for record in trace.steps:
            on_step(record)
        return trace

    title = f"bootwalk replay {trace.request.get('name', '')}"
    exports["seed"] = trace.seed  # the quiz draws its questions as the saved walk's did
    return present(produce, output_format, detail, exports, title, trace.flow, trace.request)


def _requests_volume(request: BootRequest) -> bool:
    devices = (*request.block_devices, *request.block_device_mapping)
    return bool(
        request.boot_volume or request.snapshot or any(device.destination_type == "volume" for device in devices)
    )
