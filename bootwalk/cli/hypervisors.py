"""``bootwalk hypervisor-stats`` and ``bootwalk hypervisor stats show``: the compute nodes' sums, per release.

Read from a lab's cloud as it is now (or from a catalog), as an admin
would see them: the walk's user, demo, is a member, and nova answers
members 403 here. Icehouse sums every compute node; today's nova only
those whose service is enabled, and its API has no statistics from 2.88
on, where novaclient refuses the command (``--os-compute-api-version
2.87`` still has them; python-openstackclient asks at 2.1).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from bootwalk.cli import streams
from bootwalk.cli.app import BootwalkCommand, BootwalkSubgroup
from bootwalk.cli.options import ApiVersionType, catalog_option, chosen_lab, flow_choice, format_option, load
from bootwalk.exit_codes import ExitCode
from bootwalk.request import CLIENT_MAX_VERSION, ApiVersion

#: What a lab cannot give: the hypervisor measures it on the host's disk.
LEFT_OUT = (
    "disk_available_least is left out: libvirt measures it on each host's disk (free space less what its sparse "
    "disks may still grow into), which a lab does not have."
)


def _statistics(flow_name: str, catalog_dir: str | None) -> tuple[dict[str, int], dict[str, Any], str]:
    """The sums of the lab's cloud (or the catalog's), the release's shape of them, and the flow's name."""
    from bootwalk.cli.lab_access import lab_flow
    from bootwalk.flows import get_flow
    from bootwalk.listing import hypervisor_statistics

    lab = chosen_lab()
    if lab is not None:
        chosen = click.get_current_context().get_parameter_source("flow")
        walked = lab_flow(lab)
        if chosen is not click.core.ParameterSource.DEFAULT and flow_name != walked:
            raise click.BadParameter(f"lab {lab} walks the {walked} flow; leave --flow out", param_hint="'--flow'")
        flow_name = walked
    flow = get_flow(flow_name)
    shape = flow.facts.default("hypervisor_statistics")
    return hypervisor_statistics(load(catalog_dir), shape["counts_disabled"]), shape, flow_name


def _print(
    stats: dict[str, int], shape: dict[str, Any], flow: str, output_format: str, headings: tuple[str, str]
) -> None:
    """The sums as the client prints them (keys sorted), with what a reader must know under them."""
    from bootwalk.flows import get_flow

    release = get_flow(flow).release
    if output_format == "json":
        click.echo(json.dumps(stats, indent=2, allow_nan=False))
        return
    from bootwalk.listing import Listing
    from bootwalk.render.listing_table import print_listing

    counted = "every compute node" if shape["counts_disabled"] else "the compute nodes whose service is enabled"
    caption = (
        f"{release} sums {counted}. As an admin sees it: user demo gets 403, Policy doesn't allow "
        f"{shape['policy']} to be performed. {LEFT_OUT}"
    )
    rows: list[tuple[str, ...]] = [(key, str(value)) for key, value in sorted(stats.items())]
    print_listing(sys.stdout, Listing("Hypervisor statistics", headings, rows, caption))


FLOW_HELP = "Whose statistics: Icehouse's sum counts disabled hosts, today's does not (a lab's flow otherwise)."


@click.command("hypervisor-stats", cls=BootwalkCommand)
@click.option(
    "--os-compute-api-version",
    metavar="<compute-api-ver>",
    type=ApiVersionType(),
    default=str(CLIENT_MAX_VERSION),
    help="The compute API version novaclient speaks: the statistics are gone from 2.88 on (today's nova).",
)
@flow_choice(FLOW_HELP)
@format_option
@catalog_option
def hypervisor_stats(os_compute_api_version: ApiVersion, flow: str, output_format: str,
                     catalog_dir: str | None) -> int:  # fmt: skip
    """Show the compute nodes' summed capacity and usage, like nova hypervisor-stats (admin only in nova)."""
    from bootwalk.cli.walk import negotiated_version

    stats, shape, flow = _statistics(flow, catalog_dir)
    version, _microversions = negotiated_version(flow, os_compute_api_version)
    removed = shape["removed_at"]
    if removed is not None and version >= ApiVersion(*map(int, removed.split("."))):
        streams.say(
            f"ERROR (CommandError): The hypervisor-stats command is not supported in API version {removed} or later. "
            "(nova dropped the statistics there: --os-compute-api-version 2.87 still has them)"
        )
        return ExitCode.ERROR
    _print(stats, shape, flow, output_format, ("Property", "Value"))
    return ExitCode.OK


@click.group(cls=BootwalkSubgroup)
def hypervisor() -> None:
    """python-openstackclient's hypervisor commands: hypervisor stats show."""


@hypervisor.group("stats", cls=BootwalkSubgroup)
def stats() -> None:
    """The compute nodes' summed capacity and usage."""


@stats.command("show", short_help="Show the compute nodes' sums, as openstack hypervisor stats show does")
@flow_choice(FLOW_HELP)
@format_option
@catalog_option
def stats_show(flow: str, output_format: str, catalog_dir: str | None) -> int:
    """Show the compute nodes' summed capacity and usage, as openstack hypervisor stats show does (at 2.1)."""
    statistics, shape, flow = _statistics(flow, catalog_dir)
    streams.say("This command is deprecated.")  # ShowHypervisorStats's warning, as nova drops the API
    _print(statistics, shape, flow, output_format, ("Field", "Value"))
    return ExitCode.OK
