"""The reference commands: steps, explain, glossary, compare, scenarios and the catalog listings.

Loaded only when one of them runs (see ``LAZY_COMMANDS`` in :mod:`bootwalk.cli`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from bootwalk.cli.app import BootwalkCommand
from bootwalk.cli.errors import OperationalError, UnknownName
from bootwalk.cli.options import catalog_option, flow_choice, flow_option, format_option, load, long_option
from bootwalk.exit_codes import ExitCode

if TYPE_CHECKING:
    from bootwalk.glossary import Term


@click.command(cls=BootwalkCommand)
@flow_option
@format_option
def steps(flow: str, output_format: str) -> int:
    """Show the pipeline of a boot: each step's number, service and what it does."""
    from bootwalk.flows import get_flow

    walked = get_flow(flow)
    chosen = walked.steps

    if output_format == "json":
        import json

        rows = [
            {
                "number": number,
                "name": step.name,
                "service": step.service.value,
                "title": step.title,
                "release": walked.release,
            }
            for number, step in enumerate(chosen, start=1)
        ]
        click.echo(json.dumps(rows, indent=2, allow_nan=False))
        return ExitCode.OK
    from bootwalk.render.listing_table import print_listing

    table: list[tuple[str, ...]] = [
        (str(number), step.service.value, step.title) for number, step in enumerate(chosen, start=1)
    ]
    from bootwalk.listing import Listing

    title = f"{walked.title} · {walked.release} · today's nova client"
    print_listing(sys.stdout, Listing(title, ("#", "Service", "What happens"), table))
    return ExitCode.OK


#: What explain's argument is called in its errors.
EXPLAIN_ARGUMENT = "'N|NAME|TERM'"


@click.command(cls=BootwalkCommand)
@click.argument("step", metavar="N|NAME|TERM")
@flow_option
@catalog_option
def explain(step: str, flow: str, catalog_dir: str | None) -> int:
    """Explain a step (what is passed, what can go wrong, the real-nova note) or a glossary term.

    N is the step's number (1-12); NAME is its name, as bootwalk steps -f json lists them
    (for example: schedule, neutron, hypervisor); TERM is a word from bootwalk glossary, in any
    case or by another of its names (for example: cast, RamFilter, scheduler). A name that is
    both a step and a term shows the step; bootwalk glossary NAME shows the term.
    """
    from bootwalk.flows import get_flow

    names = [candidate.name for candidate in get_flow(flow).steps]
    if not step.isdigit() and step not in names:
        return _print_term_page(_term_or_fail(step, names, EXPLAIN_ARGUMENT))
    number = int(step) if step.isdigit() else names.index(step) + 1
    if not 1 <= number <= len(names):
        raise click.BadParameter(
            f"no step {step!r}: give a number from 1 to {len(names)} or a name: {', '.join(names)}",
            param_hint=EXPLAIN_ARGUMENT,
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
    from bootwalk.flows import DEFAULT_FLOW
    from bootwalk.hints import demo_boot
    from bootwalk.scenarios import try_it

    other_flow = None if flow == DEFAULT_FLOW else flow
    troubles = [(trouble, try_it(trouble, other_flow)) for trouble in TROUBLES[record.name]]
    console = make_console(sys.stdout)
    walked = get_flow(flow)
    page = explain_page(
        number,
        len(names),
        record,
        troubles,
        console.width,
        demo_boot().in_flow(other_flow),
        (walked.release, walked.facts.release.tag),
    )
    console.print(page)
    return ExitCode.OK


def _term_or_fail(text: str, step_names: list[str], param_hint: str) -> Term:
    """The glossary term the text names, else one line with the closest steps and terms (exit 2)."""
    from bootwalk.glossary import closest, find_term, term_names

    term = find_term(text)
    if term is not None:
        return term
    what = "step or term" if step_names else "term"
    suggestions: list[str] = []
    meant: set[str] = set()
    for name in closest(text, [*step_names, *term_names()], count=6):
        found = find_term(name)
        target = name if name in step_names or found is None else found.name
        if target not in meant:
            meant.add(target)
            suggestions.append(name)
    if suggestions:
        raise UnknownName(
            param_hint, f"no {what} {text!r}; did you mean: {', '.join(suggestions[:3])}? (see 'bootwalk glossary')"
        )
    steps = f"a number from 1 to {len(step_names)}, a step's name or a term" if step_names else "a term"
    raise UnknownName(param_hint, f"no {what} {text!r}: give {steps} (see 'bootwalk glossary')")


def _print_term_page(term: Term) -> int:
    """Print a term's page."""
    from bootwalk.render.explain import term_page
    from bootwalk.render.table import make_console

    console = make_console(sys.stdout)
    console.print(term_page(term, console.width))
    return ExitCode.OK


@click.command(cls=BootwalkCommand)
@click.argument("term", required=False)
@format_option
def glossary(term: str | None, output_format: str) -> int:
    """List the glossary: every term explain knows, with a one-line summary (or show one term).

    TERM is a term's name or another of its names, in any case (for example: cast, RamFilter,
    scheduler). It shows the term's page even for a name that is also a step, such as neutron,
    where bootwalk explain shows the step.
    """
    from bootwalk.glossary import TERMS

    chosen: tuple[Term, ...] = TERMS if term is None else (_term_or_fail(term, [], "'TERM'"),)
    if output_format == "json":
        import json

        rows = [
            {
                "term": entry.name,
                "kind": entry.kind.value,
                "summary": entry.summary,
                "definition": entry.definition,
                "aliases": list(entry.aliases),
                "see_also": list(entry.see_also),
                "shown_by": [hint.command for hint in entry.shown_by],
            }
            for entry in chosen
        ]
        click.echo(json.dumps(rows if term is None else rows[0], indent=2, allow_nan=False))
        return ExitCode.OK
    if term is not None:
        return _print_term_page(chosen[0])
    from bootwalk.flows import flow_names, get_flow
    from bootwalk.glossary import READ_ONE, find_term
    from bootwalk.listing import glossary_listings
    from bootwalk.render.listing_table import print_listing

    steps = dict.fromkeys(step.name for name in flow_names() for step in get_flow(name).steps)
    shadowed = [name for name in steps if getattr(find_term(name), "name", None) == name]
    caption = (
        f"Read a term with {READ_ONE[0].command}. For a name that is also a step ({', '.join(shadowed)}), "
        f"explain shows the step; {READ_ONE[1].command} shows the term."
    )
    print_listing(sys.stdout, *glossary_listings(TERMS, caption))
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
    from bootwalk.listing import Listing

    print_listing(sys.stdout, Listing("Scenarios", ("Name", "Lesson"), table))
    return ExitCode.OK


def _listing_command(name: str, kind: str, summary: str, ids: bool = True) -> click.Command:
    """A command that lists one kind of the catalog: a table (IDs cut unless --long) or JSON."""

    @format_option
    @catalog_option
    def command(output_format: str, catalog_dir: str | None, long_ids: bool = False) -> int:
        from bootwalk.listing import listing, records

        catalog = load(catalog_dir)
        if output_format == "json":
            import json

            click.echo(json.dumps(records(kind, catalog), indent=2, allow_nan=False))
            return ExitCode.OK
        from bootwalk.render.listing_table import print_listing

        print_listing(sys.stdout, listing(kind, catalog, long_ids), whole=long_ids)
        return ExitCode.OK

    command.__doc__ = summary
    return click.command(name, cls=BootwalkCommand)(long_option(command) if ids else command)


flavor_list = _listing_command("flavor-list", "flavors", "List the flavors in the catalog, like nova flavor-list.")
image_list = _listing_command("image-list", "images", "List the images in the catalog, like glance image-list.")
net_list = _listing_command("net-list", "networks", "List the networks in the catalog, like neutron net-list.")
server_group_list = _listing_command(
    "server-group-list", "server_groups", "List the server groups in the catalog, like nova server-group-list."
)
volume_list = _listing_command("volume-list", "volumes", "List the volumes in the catalog, like cinder list.")
port_list = _listing_command("port-list", "ports", "List the ports in the catalog, like neutron port-list.")
keypair_list = _listing_command(
    "keypair-list", "keypairs", "List the keypairs in the catalog, like nova keypair-list.", ids=False
)
security_group_list = _listing_command(
    "security-group-list",
    "security_groups",
    "List the security groups in the catalog, like neutron security-group-list.",
    ids=False,
)


@click.command("host-list", cls=BootwalkCommand)
@flow_choice(
    "Whose default allocation ratio a host gets where the catalog gives none (tables only; the JSON keeps the "
    "catalog's null)."
)
@format_option
@catalog_option
def host_list(flow: str, output_format: str, catalog_dir: str | None) -> int:
    """List the compute hosts in the catalog, with their capacity and state.

    For each host and resource: what is used, the total, the allocation
    ratio, and what the scheduler finds usable: total × ratio − used, the
    sum RamFilter, CoreFilter, DiskFilter and placement make.
    """
    from dataclasses import replace

    from bootwalk.listing import host_listings, records

    catalog = load(catalog_dir)
    if output_format == "json":
        import json

        click.echo(json.dumps(records("hosts", catalog), indent=2, allow_nan=False))
        return ExitCode.OK
    from bootwalk.flows import get_flow
    from bootwalk.render.listing_table import print_listing

    chosen = get_flow(flow)
    hosts = tuple(chosen.scheduler.host(host) for host in catalog.hosts)
    defaults = f"the {chosen.name} flow's default ({chosen.release})"
    print_listing(sys.stdout, *host_listings(replace(catalog, hosts=hosts), defaults))
    return ExitCode.OK
