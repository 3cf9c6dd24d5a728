"""``bootwalk delete`` and ``bootwalk server delete``: a lab's servers deleted, each narrated as its own walk.

The delete happens in the lab first, in one transaction (every server named,
and what each gives back: its host's share, its addresses, its quota, its
group membership, its volumes); then each walk is shown, as the flow's
release deletes a server. A name that finds no server (or several) gets
the client's own line on standard error, and the others are deleted all
the same, as ``nova delete a b c`` goes on; the command then exits 1 with
the client's last line.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from bootwalk.cli import streams
from bootwalk.cli.app import BootwalkCommand
from bootwalk.cli.options import chosen_detail, detail_options, format_option, lab_option
from bootwalk.exit_codes import ExitCode

if TYPE_CHECKING:
    from bootwalk.render.interface import Presentation
    from bootwalk.trace import Trace

#: What each client prints once every name was tried and some failed: novaclient's CommandError, and
#: python-openstackclient's (``openstackclient/compute/v2/server.py DeleteServer``).
GAVE_UP = {
    "nova": "ERROR (CommandError): Unable to delete the specified server(s).",
    "openstack": "{fails} of {total} servers failed to delete.",
}
#: How each client says one name failed: novaclient prints the error; openstack logs it with the name.
FAILED = {"nova": "{error}", "openstack": "Failed to delete server with name or ID '{name}': {error}"}


def delete_servers(typed: tuple[str, ...], dialect: str, output_format: str, detail: Presentation) -> int:
    """Delete the named servers of the lab, then show each delete's walk; exit 1 if any name failed."""
    from bootwalk.cli.lab_access import delete_in_lab
    from bootwalk.cli.servers import needs_lab

    lab = needs_lab("delete" if dialect == "nova" else "server delete", "deletes")
    traces, failures = delete_in_lab(lab, typed, dialect)
    if output_format == "json":
        _print_json(traces, several=len(typed) > 1)
    else:
        for number, trace in enumerate(traces, start=1):
            _print_table(trace, detail, lab, number, len(traces))
    for name, error in failures:
        streams.say(FAILED[dialect].format(name=name, error=error))
    if failures:
        streams.say(GAVE_UP[dialect].format(fails=len(failures), total=len(typed)))
        return ExitCode.ERROR
    return ExitCode.OK


def _print_json(traces: list[Trace], several: bool) -> None:
    """One server asked for: its walk's trace document (what ``replay`` reads), or nothing if none was found.
    Several asked for: a JSON array of the walks made, in the order asked (empty if none was found)."""
    import json

    from bootwalk.render.json_renderer import trace_to_dict

    documents = [trace_to_dict(trace) for trace in traces]
    if several:
        click.echo(json.dumps(documents, indent=2, allow_nan=False))
    elif documents:
        click.echo(json.dumps(documents[0], indent=2, allow_nan=False))


def _print_table(trace: Trace, detail: Presentation, lab: str, number: int, count: int) -> None:
    """One delete's walk as tables, with the lines that say which lab it changed."""
    from bootwalk.dialects import header_lines, release_line
    from bootwalk.flows import get_flow
    from bootwalk.render import OutputFormat, make_renderer

    flow = get_flow(trace.flow)
    which = f"delete {number} of {count}, " if count > 1 else ""
    lab_line = (
        f"Lab: {lab}, {which}{trace.request['name']} deleted there: its share of the host, addresses and quota "
        f"are free for the next command (see bootwalk host-list --lab {lab})"
    )
    renderer = make_renderer(
        OutputFormat.TABLE,
        sys.stdout,
        detail=detail.detail,
        level=detail.level,
        theme=detail.theme,
        total_steps=len(flow.delete_steps),
        header=(release_line(flow.release, trace.request), lab_line, *header_lines(trace.request)),
    )
    for record in trace.steps:
        renderer.on_step(record)
    renderer.finish(trace)


@click.command("delete", cls=BootwalkCommand)
@click.argument("servers", metavar="NAME|ID...", nargs=-1, required=True)
@format_option
@lambda function: detail_options(function, show=False)
@lab_option
def delete(servers: tuple[str, ...], output_format: str, level: str, theme: str, verbose: bool, quiet: bool) -> int:
    """Delete a lab's servers, like nova delete, and walk each delete through the services."""
    return delete_servers(servers, "nova", output_format, chosen_detail(verbose, quiet, level, False, theme))
