"""The reference commands: steps, explain, compare, scenarios and the catalog listings.

Loaded only when one of them runs (see ``LAZY_COMMANDS`` in :mod:`bootwalk.cli`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from bootwalk.cli.app import BootwalkCommand
from bootwalk.cli.errors import OperationalError
from bootwalk.cli.options import catalog_option, flow_option, format_option, load
from bootwalk.exit_codes import ExitCode


@click.command(cls=BootwalkCommand)
@flow_option
@format_option
def steps(flow: str, output_format: str) -> int:
    """Show the pipeline of a boot: each step's number, service and what it does."""
    from bootwalk.flows import get_flow

    chosen = get_flow(flow).steps

    if output_format == "json":
        import json

        rows = [
            {"number": number, "name": step.name, "service": step.service.value, "title": step.title}
            for number, step in enumerate(chosen, start=1)
        ]
        click.echo(json.dumps(rows, indent=2, allow_nan=False))
        return ExitCode.OK
    from bootwalk.render.listing_table import print_listing

    table: list[tuple[str, ...]] = [
        (str(number), step.service.value, step.title) for number, step in enumerate(chosen, start=1)
    ]
    title = f"{get_flow(flow).title}, step by step"
    print_listing(sys.stdout, title, ("#", "Service", "What happens"), table)
    return ExitCode.OK


@click.command(cls=BootwalkCommand)
@click.argument("step", metavar="N|NAME")
@flow_option
@catalog_option
def explain(step: str, flow: str, catalog_dir: str | None) -> int:
    """Explain one step: what is passed, what can go wrong and how to see it, and the real-nova note.

    N is the step's number (1-12); NAME is its name, as bootwalk steps -f json lists them
    (for example: schedule, neutron, hypervisor).
    """
    from bootwalk.flows import get_flow

    names = [candidate.name for candidate in get_flow(flow).steps]
    number = int(step) if step.isdigit() else (names.index(step) + 1 if step in names else 0)
    if not 1 <= number <= len(names):
        raise click.BadParameter(
            f"no step {step!r}: give a number from 1 to {len(names)} or a name: {', '.join(names)}",
            param_hint="'N|NAME'",
        )
    from bootwalk.dialects.nics import parse_nics
    from bootwalk.engine import LookupFailure, resolve_request, walk
    from bootwalk.render.explain import explain_page
    from bootwalk.render.table import make_console
    from bootwalk.request import BootRequest
    from bootwalk.troubleshooting import TROUBLES

    catalog = load(catalog_dir)
    demo = BootRequest(name="demo-vm", flavor="m1.tiny", image="cirros", nics=parse_nics(("net-name=private",)))
    try:
        trace = walk(resolve_request(demo, catalog), catalog, get_flow(flow))
    except LookupFailure as failure:
        raise OperationalError(f"explain walks the demo boot, and this catalog cannot: {failure.message}") from None
    record = next((r for r in trace.steps if r.number == number), None)
    if record is None:
        raise OperationalError(f"explain walks the demo boot, and in this catalog it stops before step {number}")
    console = make_console(sys.stdout)
    console.print(explain_page(number, len(names), record, TROUBLES[record.name], console.width))
    return ExitCode.OK


@click.command(cls=BootwalkCommand)
@format_option
def compare(output_format: str) -> int:
    """Set the classic story and today's nova side by side: what changed, and in which release."""
    from bootwalk.compare import CHANGES

    if output_format == "json":
        import json
        from dataclasses import asdict

        click.echo(json.dumps([asdict(change) for change in CHANGES], indent=2, allow_nan=False))
        return ExitCode.OK
    from bootwalk.render.table import make_console

    console = make_console(sys.stdout)
    from bootwalk.render.compare_table import compare_view

    console.print(compare_view(CHANGES, console.width))
    return ExitCode.OK


@click.command(cls=BootwalkCommand)
@format_option
def scenarios(output_format: str) -> int:
    """List the failure scenarios boot --scenario can inject, each with its lesson."""
    from bootwalk.scenarios import SCENARIOS

    if output_format == "json":
        import json

        rows = [
            {"name": scenario.name, "lesson": scenario.lesson, "needs_volume": scenario.needs_volume}
            for scenario in SCENARIOS.values()
        ]
        click.echo(json.dumps(rows, indent=2, allow_nan=False))
        return ExitCode.OK
    from bootwalk.render.listing_table import print_listing

    table: list[tuple[str, ...]] = [(scenario.name, scenario.lesson) for scenario in SCENARIOS.values()]
    print_listing(sys.stdout, "Scenarios", ("Name", "Lesson"), table)
    return ExitCode.OK


def _listing_command(kind: str, summary: str) -> Callable[..., int]:
    @format_option
    @catalog_option
    def command(output_format: str, catalog_dir: str | None) -> int:
        from bootwalk.listing import listing, records

        catalog = load(catalog_dir)
        if output_format == "json":
            import json

            click.echo(json.dumps(records(kind, catalog), indent=2, allow_nan=False))
            return ExitCode.OK
        from bootwalk.render.listing_table import print_listing

        print_listing(sys.stdout, *listing(kind, catalog))
        return ExitCode.OK

    command.__doc__ = summary
    return command


flavor_list = click.command("flavor-list", cls=BootwalkCommand)(
    _listing_command("flavors", "List the flavors in the catalog, like nova flavor-list.")
)
image_list = click.command("image-list", cls=BootwalkCommand)(
    _listing_command("images", "List the images in the catalog, like glance image-list.")
)
net_list = click.command("net-list", cls=BootwalkCommand)(
    _listing_command("networks", "List the networks in the catalog, like neutron net-list.")
)
server_group_list = click.command("server-group-list", cls=BootwalkCommand)(
    _listing_command("server_groups", "List the server groups in the catalog, like nova server-group-list.")
)
host_list = click.command("host-list", cls=BootwalkCommand)(
    _listing_command("hosts", "List the compute hosts in the catalog, with their capacity and state.")
)
